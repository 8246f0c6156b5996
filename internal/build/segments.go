package build

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"

	"github.com/touchstone-cx/touchstone/internal/charts"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/pageplan"
)

// Segment pages (SPEC §9 "Segments"). A static site has no server to
// filter on, so each segment value's journey, touchpoint and brand
// pages are generated ahead, under a prefix of their own:
//
//	/segments/<segment>/<value>/journeys/<journey>/
//	/segments/<segment>/<value>/journeys/<journey>/<touchpoint>/
//	/segments/<segment>/<value>/brands/<brand>/
//
// They are the same layouts with the value's figures in place of the
// whole site's, so every figure, chart and table follows one path. A
// page with segmented data carries a switcher: plain links, so it works
// without script, in print, from disk and in search engines, and every
// view has an address to share. The prefix cannot collide with a
// journey's or touchpoint's id, as a /journeys/<id>/segments/ path could.

// SegmentView names the segment value a page shows.
type SegmentView struct {
	ID    string // "region"
	Value string // "North West", as written in the data
	Slug  string // "north-west"
}

// SegmentSwitch is the switcher of a page: all respondents, then each
// segment's values, every link to the same page for that value.
type SegmentSwitch struct {
	All    SwitchLink
	Groups []SwitchGroup
}

// SwitchGroup is one segment's values.
type SwitchGroup struct {
	Segment string
	Links   []SwitchLink
}

// SwitchLink is one choice of the switcher; URL is site-relative.
type SwitchLink struct {
	Title   string
	URL     string
	Current bool
}

// segmentPrefix is where a segment value's pages live.
func segmentPrefix(s *model.Segment) string {
	return "segments/" + s.ID + "/" + s.Slug + "/"
}

// journeysWithData lists, per segment value, the journeys it has any
// figure for: cells, touchpoint or journey NPS.
func journeysWithData(s *model.Segment) map[string]bool {
	out := map[string]bool{}
	for k := range s.Cells {
		out[k.Journey] = true
	}
	for k := range s.NPS {
		out[k.Journey] = true
	}
	for k := range s.JourneyNPS {
		out[k.Journey] = true
	}
	return out
}

// segmentPages adds each segment value's pages for the journeys and
// brands it has data for, and a switcher on every page that has
// segmented data. base is the page of all respondents at each URL.
func (r *run) segmentPages(add func(*PageView) *PageView, charted *[]chartJob, base map[string]*PageView, shown *model.Site) {
	if len(r.site.Segments) == 0 {
		return
	}
	rep := r.report
	// switches collects the links of every URL ("journeys/x/"), in the
	// order of the site's segments.
	switches := map[string]*SegmentSwitch{}
	link := func(url string, s *model.Segment, page string) {
		sw := switches[url]
		if sw == nil {
			sw = &SegmentSwitch{All: SwitchLink{Title: "All respondents", URL: url}}
			switches[url] = sw
		}
		if n := len(sw.Groups); n == 0 || sw.Groups[n-1].Segment != s.ID {
			sw.Groups = append(sw.Groups, SwitchGroup{Segment: s.ID})
		}
		g := &sw.Groups[len(sw.Groups)-1]
		g.Links = append(g.Links, SwitchLink{Title: s.Value, URL: page})
	}
	var segPages []*PageView
	for i, s := range r.site.Segments {
		sr := rep.Segment(s.ID, s.Slug)
		if sr == nil {
			continue
		}
		var verbatims map[model.TouchKey]*model.Verbatims
		if i < len(shown.Segments) {
			verbatims = shown.Segments[i].Verbatims
		}
		view := &SegmentView{ID: s.ID, Value: s.Value, Slug: s.Slug}
		prefix := segmentPrefix(s)
		ctx := r.segmentContext(s)
		has := journeysWithData(s)
		brands := map[string]bool{}
		for k := range s.BrandNPS {
			brands[k.Brand] = true
		}
		for _, j := range r.site.Journeys {
			if !has[j.ID] {
				continue
			}
			brands[brandOf(r.site, j)] = true
			jr := sr.Journey(j.ID)
			url := "journeys/" + j.ID + "/"
			p := add(&PageView{Kind: "journey", Title: j.Title + " · " + s.Value, URL: prefix + url, Journey: j, JourneyReport: jr,
				Summary: j.Description, Segment: view, Brand: r.site.Brand(brandOf(r.site, j))})
			link(url, s, p.URL)
			segPages = append(segPages, p)
			p.Charts = map[string]template.HTML{}
			d := charts.Defaults{Journey: j.ID, Brand: j.Brand}
			for _, typ := range charts.OnPage("journey") {
				if typ == "drivers" && (jr == nil || jr.Drivers == nil) || !segmentChart(typ) {
					continue
				}
				*charted = append(*charted, chartJob{page: p, key: typ, spec: charts.Spec{Type: typ, Journey: j.ID, Line: 1}, d: d, ctx: &ctx})
			}
			p.Blueprint = pageplan.NewBlueprint(j, jr)
			for _, t := range j.Touchpoints {
				turl := url + t.ID + "/"
				tp := add(&PageView{Kind: "touchpoint", Title: t.Name + " · " + s.Value, URL: prefix + turl, Journey: j, Touchpoint: t,
					JourneyReport: jr, Brand: p.Brand, Summary: t.Description, Segment: view})
				link(turl, s, tp.URL)
				segPages = append(segPages, tp)
				tp.TouchpointReport = jr.Touchpoint(t.ID)
				tp.Actor = r.site.Actor(t.Owner)
				for _, w := range r.site.Waves {
					if f := r.reportFor(w).Segment(s.ID, s.Slug).Journey(j.ID).Touchpoint(t.ID); f != nil {
						tp.Waves = append(tp.Waves, WaveFigures{Wave: w, Touchpoint: f})
					}
				}
				if n := len(r.site.Waves); n > 0 {
					tp.Verbatims = verbatims[model.TouchKey{Wave: r.site.Waves[n-1], Journey: j.ID, Touchpoint: t.ID}]
				}
			}
		}
		for _, b := range r.site.Brands {
			if !brands[b.ID] {
				continue
			}
			url := "brands/" + b.ID + "/"
			p := add(&PageView{Kind: "brand", Title: b.Name + " · " + s.Value, URL: prefix + url, Brand: b, BrandReport: sr.Brand(b.ID),
				Summary: b.Promise, Segment: view})
			link(url, s, p.URL)
			segPages = append(segPages, p)
			p.Charts = map[string]template.HTML{}
			for _, typ := range charts.OnPage("brand") {
				*charted = append(*charted, chartJob{page: p, key: typ, spec: charts.Spec{Type: typ, Brand: b.ID, Line: 1},
					d: charts.Defaults{Brand: b.ID}, ctx: &ctx})
			}
		}
	}
	// Every page of a URL, all respondents' and each value's, gets the
	// same switcher with its own choice marked.
	for url, sw := range switches {
		if p := base[url]; p != nil {
			p.SegmentSwitch = markCurrent(sw, url)
		}
	}
	for _, p := range segPages {
		plain := p.URL[len(segmentPrefix(&model.Segment{ID: p.Segment.ID, Slug: p.Segment.Slug})):]
		if sw := switches[plain]; sw != nil {
			p.SegmentSwitch = markCurrent(sw, p.URL)
		}
	}
}

// segmentChart reports whether a segment value's dashboard draws a
// chart type: who owns and shapes the journey (ecosystem, sankey,
// owners) is the same for every segment, and the all-respondents
// dashboard shows it; drawing it again per value only costs build time.
func segmentChart(typ string) bool {
	switch typ {
	case "ecosystem", "sankey", "owners":
		return false
	}
	return true
}

// markCurrent is a copy of sw with the link to url marked current.
func markCurrent(sw *SegmentSwitch, url string) *SegmentSwitch {
	out := &SegmentSwitch{All: sw.All}
	out.All.Current = sw.All.URL == url
	for _, g := range sw.Groups {
		links := slices.Clone(g.Links)
		for i := range links {
			links[i].Current = links[i].URL == url
		}
		out.Groups = append(out.Groups, SwitchGroup{Segment: g.Segment, Links: links})
	}
	return out
}

// segmentBreadcrumbs are a segment page's crumbs: the all-respondents
// pages it mirrors, that page's own included.
func segmentBreadcrumbs(p *PageView, byURL map[string]*PageView) []Link {
	prefix := segmentPrefix(&model.Segment{ID: p.Segment.ID, Slug: p.Segment.Slug})
	plain := *p
	plain.URL = p.URL[len(prefix):]
	crumbs := breadcrumbs(&plain, byURL)
	// The page over all respondents, then (as every page's last crumb)
	// this one, titled with its value.
	title := p.Title
	if q, ok := byURL[plain.URL+"|"+p.Kind]; ok {
		title = q.Title
	}
	return append(crumbs, Link{Title: title, URL: plain.URL})
}

// segmentContext draws charts from a segment value's figures: the
// report of each wave with the value's brands and journeys in place of
// the whole site's.
func (r *run) segmentContext(s *model.Segment) charts.Context {
	base := r.chartContext()
	return charts.Context{Site: r.site, Report: func(w string) (*metrics.Report, error) {
		rep, err := base.Report(w)
		if err != nil {
			return nil, err
		}
		sr := rep.Segment(s.ID, s.Slug)
		if sr == nil {
			return nil, fmt.Errorf("no figures for %s = %s in wave %q", s.ID, s.Value, w)
		}
		cp := *rep
		cp.Brands, cp.Journeys, cp.Segments = sr.Brands, sr.Journeys, nil
		return &cp, nil
	}}
}

// chartIn renders a generated page's chart from ctx, or an error box.
func (r *run) chartIn(ctx charts.Context, spec charts.Spec, d charts.Defaults, id string) template.HTML {
	var buf bytes.Buffer
	spec, err := charts.Resolve(spec, d, ctx)
	if err == nil {
		err = charts.Render(&buf, spec, id, ctx)
	}
	if err != nil {
		return template.HTML(`<div class="chart-error" role="alert">` + template.HTMLEscapeString(err.Error()) + `</div>`)
	}
	r.mu.Lock()
	r.charts++
	r.mu.Unlock()
	return template.HTML(buf.String())
}
