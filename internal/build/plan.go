package build

import (
	"html/template"
	"sort"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/charts"
	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/pageplan"
)

// plan builds every page's view: the narrative pages from content/ and
// the pages the generator makes from data (SPEC §4).
func (r *run) plan(sources []*source) ([]*PageView, map[*PageView]*source) {
	var pages []*PageView
	byURL := map[string]*PageView{}
	add := func(p *PageView) *PageView {
		p.Site = r.sv
		if p.Root == "" {
			p.Root = rootFor(p.URL)
		}
		if prev, dup := byURL[p.URL+"|"+p.Kind]; dup && p.Kind != "404" {
			return prev
		}
		byURL[p.URL+"|"+p.Kind] = p
		pages = append(pages, p)
		return p
	}
	var home *PageView
	narrative := map[*PageView]*source{}
	for _, s := range sources {
		kind := "page"
		if s.list {
			kind = "list"
		}
		if s.url == "" {
			kind = "home"
		}
		p := add(&PageView{Kind: kind, Title: s.fm.Title, Summary: s.fm.Summary, Date: s.fm.Date, Tags: s.fm.Tags,
			Params: s.fm.Params, URL: s.url, Weight: s.fm.Weight, Layout: s.fm.Layout})
		narrative[p] = s
		if kind == "home" {
			home = p
		}
	}
	if home == nil {
		home = add(&PageView{Kind: "home", Title: r.site.Config.Title, URL: ""})
	}
	var charted []chartJob
	r.generated(add, &charted)
	home.Shortfalls = r.shortfalls
	home.ChangeList = r.changes
	if len(r.report.Brands) > 0 {
		home.BrandReport = r.report.Brands[0]
		if b := r.report.Brand(r.site.Config.Brand); b != nil {
			home.BrandReport = b
		}
		home.Brand = r.site.Brand(home.BrandReport.ID)
	}
	add(&PageView{Kind: "search", Title: "Search", URL: "search/"})
	add(&PageView{Kind: "404", Title: "Page not found", URL: "404/", Root: config.BasePath(r.site.Config.BaseURL)}) // served at any depth, it links from the base path

	// List pages list the pages directly below them.
	for _, p := range pages {
		if p.Kind != "list" && p.Kind != "home" {
			continue
		}
		for _, c := range pages {
			if _, ok := narrative[c]; !ok || c == p || c.Kind == "home" {
				continue
			}
			if parentURL(c.URL) == p.URL {
				p.Children = append(p.Children, c)
			}
		}
		sort.SliceStable(p.Children, func(i, j int) bool {
			a, b := p.Children[i], p.Children[j]
			if a.Weight != b.Weight {
				return a.Weight < b.Weight
			}
			if !a.Date.Equal(b.Date) {
				return a.Date.After(b.Date)
			}
			return a.Title < b.Title
		})
	}
	r.sv.Menu = r.menu(pages)
	for _, p := range pages {
		if p.Segment != nil {
			p.Breadcrumbs = segmentBreadcrumbs(p, byURL)
			continue
		}
		p.Breadcrumbs = breadcrumbs(p, byURL)
	}
	// Narrative pages render their markdown here so charts see the
	// finished plan; templates run later, in parallel.
	var work []func()
	for p, s := range narrative {
		work = append(work, func() {
			if !r.reuseNarrative(s, p) {
				r.renderNarrative(s, p)
			}
		})
	}
	for i := range charted {
		c := &charted[i]
		work = append(work, func() {
			if c.ctx != nil {
				c.html = r.chartIn(*c.ctx, c.spec, c.d, "chart-"+c.key)
				return
			}
			c.html = r.chartHTML(c.spec, c.d, "chart-"+c.key)
		})
	}
	parallel(work, func(f func()) { f() })
	for _, c := range charted {
		c.page.Charts[c.key] = c.html
		c.page.HasCharts = true
	}
	return pages, narrative
}

func parentURL(u string) string {
	u = strings.TrimSuffix(u, "/")
	i := strings.LastIndex(u, "/")
	if i < 0 {
		return ""
	}
	return u[:i+1]
}

func breadcrumbs(p *PageView, byURL map[string]*PageView) []Link {
	if p.URL == "" || p.Kind == "404" {
		return nil
	}
	crumbs := []Link{{Title: "Home", URL: ""}}
	parts := strings.Split(strings.TrimSuffix(p.URL, "/"), "/")
	for i := 1; i < len(parts); i++ {
		u := strings.Join(parts[:i], "/") + "/"
		title := parts[i-1]
		for _, kind := range []string{"list", "journeys", "journey", "actors", "brands", "page"} {
			if q, ok := byURL[u+"|"+kind]; ok {
				title = q.Title
				break
			}
		}
		crumbs = append(crumbs, Link{Title: title, URL: u})
	}
	return crumbs
}

// menu is the header navigation: home, journeys, owners, brand pages and
// the top-level narrative pages by weight.
func (r *run) menu(pages []*PageView) []Link {
	menu := []Link{{Title: "Overview", URL: ""}}
	// The data pages first: they are the report; narrative pages follow
	// by weight.
	if len(r.site.Journeys) > 0 {
		menu = append(menu, Link{Title: "Journeys", URL: "journeys/"})
	}
	if len(r.site.Actors) > 0 {
		menu = append(menu, Link{Title: "Owners", URL: "actors/"})
	}
	if len(r.site.Journeys) > 0 && len(r.site.Waves) > 1 {
		menu = append(menu, Link{Title: "Changes", URL: "changes/"})
	}
	var top []*PageView
	for _, p := range pages {
		if (p.Kind == "page" || p.Kind == "list") && strings.Count(p.URL, "/") == 1 {
			top = append(top, p)
		}
	}
	sort.SliceStable(top, func(i, j int) bool {
		if top[i].Weight != top[j].Weight {
			return top[i].Weight < top[j].Weight
		}
		return top[i].Title < top[j].Title
	})
	for _, p := range top {
		menu = append(menu, Link{Title: p.Title, URL: p.URL})
	}
	return menu
}

// chartJob is a chart of a generated page, drawn with the narrative
// pages in parallel: drawn one after the other, the demo's 24 were a
// fifth of a data rebuild.
type chartJob struct {
	page *PageView
	key  string // the chart's name in page.Charts, and its element id after "chart-"
	spec charts.Spec
	d    charts.Defaults
	html template.HTML
	// ctx, when set, draws from other figures than the site's: a
	// segment value's (segments.go).
	ctx *charts.Context
}

// generated adds the pages made from data: brands, journeys, touchpoints,
// actors. Their charts are added to charted, to be drawn later.
func (r *run) generated(add func(*PageView) *PageView, charted *[]chartJob) {
	rep := r.report
	// Verbatims beside a suppressed cell are dropped with it (SPEC §9
	// "Base sizes"): a few answers next to their comments can name people.
	shown, _ := metrics.Suppress(r.site)
	base := map[string]*PageView{} // all respondents' pages by URL, for segment switchers
	if len(r.site.Brands) > 0 {
		add(&PageView{Kind: "brands", Title: "Brands", URL: "brands/"})
	}
	for _, b := range r.site.Brands {
		br := rep.Brand(b.ID)
		p := add(&PageView{Kind: "brand", Title: b.Name, URL: "brands/" + b.ID + "/", Brand: b, BrandReport: br, Summary: b.Promise})
		base[p.URL] = p
		d := charts.Defaults{Brand: b.ID}
		p.Charts = map[string]template.HTML{}
		for _, typ := range charts.OnPage("brand") {
			*charted = append(*charted, chartJob{page: p, key: typ, spec: charts.Spec{Type: typ, Brand: b.ID, Line: 1}, d: d})
		}
		p.text = b.Promise + " " + b.Essence
	}
	if len(r.site.Journeys) > 0 {
		add(&PageView{Kind: "journeys", Title: "Journeys", URL: "journeys/"})
	}
	for _, j := range r.site.Journeys {
		rp := rep.Journey(j.ID)
		p := add(&PageView{Kind: "journey", Title: j.Title, URL: "journeys/" + j.ID + "/", Journey: j, JourneyReport: rp, Summary: j.Description})
		base[p.URL] = p
		p.Brand = r.site.Brand(brandOf(r.site, j)) // a journey naming no brand belongs to the site's
		d := charts.Defaults{Journey: j.ID, Brand: j.Brand}
		p.Charts = map[string]template.HTML{}
		for _, typ := range charts.OnPage("journey") {
			if typ == "drivers" && (rp == nil || rp.Drivers == nil) {
				continue // a dashboard shows key drivers only where there are some
			}
			*charted = append(*charted, chartJob{page: p, key: typ, spec: charts.Spec{Type: typ, Journey: j.ID, Line: 1}, d: d})
		}
		p.Blueprint = pageplan.NewBlueprint(j, rp)
		p.text = j.Description
		for _, t := range j.Touchpoints {
			tp := add(&PageView{Kind: "touchpoint", Title: t.Name, URL: "journeys/" + j.ID + "/" + t.ID + "/", Journey: j, Touchpoint: t,
				JourneyReport: rp, Brand: p.Brand, Summary: t.Description})
			tp.TouchpointReport = rp.Touchpoint(t.ID)
			base[tp.URL] = tp
			tp.Actor = r.site.Actor(t.Owner)
			for _, w := range r.site.Waves {
				wr := r.reportFor(w)
				if f := wr.Journey(j.ID).Touchpoint(t.ID); f != nil {
					tp.Waves = append(tp.Waves, WaveFigures{Wave: w, Touchpoint: f})
				}
			}
			current := r.site.Waves[len(r.site.Waves)-1]
			tp.Verbatims = shown.Verbatims[model.TouchKey{Wave: current, Journey: j.ID, Touchpoint: t.ID}]
			var text []string
			text = append(text, t.Channel, t.Evidence, t.Description, t.Stage)
			if tp.Verbatims != nil {
				for i, v := range tp.Verbatims.Comments {
					if i == 20 {
						break
					}
					text = append(text, v.Text)
				}
			}
			tp.text = strings.Join(text, " ")
		}
	}
	r.segmentPages(add, charted, base, shown)
	if len(r.site.Actors) > 0 {
		add(&PageView{Kind: "actors", Title: "Owners", URL: "actors/"})
	}
	owned := pageplan.Owners(r.site, rep)
	for _, a := range r.site.Actors {
		p := add(&PageView{Kind: "actor", Title: a.Name, URL: "actors/" + a.ID + "/", Actor: a})
		p.ActorReport = rep.Actor(a.ID)
		p.Owned = owned[a.ID]
		p.text = a.Kind + " " + a.Role
	}
	if len(r.site.Journeys) > 0 {
		r.changes = changeList(r.site, rep)
		p := add(&PageView{Kind: "changes", Title: "Significant changes", URL: "changes/", ChangeList: r.changes,
			Summary: "Every significant change of wave " + rep.Wave + ", largest first."})
		p.text = r.changes.text()
	}
	// Home KPIs: the largest shortfalls across journeys.
	r.shortfalls = pageplan.Shortfalls(r.site, rep, 3)
}

// brandOf is the journey's brand: its own, else the site's.
func brandOf(site *model.Site, j *model.Journey) string {
	if j.Brand != "" {
		return j.Brand
	}
	return site.Config.Brand
}
