package build

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// chrome is what every page shows of the site around its content, and
// the names the template functions look up (actorName and the like):
// when it is unchanged, a page whose own data is unchanged renders to
// the same bytes.
func (r *run) chrome() string {
	rep := r.report
	return fmt.Sprint(r.sv.Title, r.sv.BaseURL, r.sv.Menu, r.sv.Generator, rep.Wave, rep.Waves, rep.Scale, rep.Tolerance, names(r.site), r.site.Pulls)
}

// names are the display names of everything a template can look up by id.
func names(s *model.Site) string {
	var b strings.Builder
	for _, a := range s.Actors {
		fmt.Fprintf(&b, "a %q %q\n", a.ID, a.Name)
	}
	for _, br := range s.Brands {
		fmt.Fprintf(&b, "B %q %q\n", br.ID, br.Name)
		for _, p := range br.Personas {
			fmt.Fprintf(&b, "p %q %q %q\n", br.ID, p.ID, p.Name)
		}
		for _, at := range br.Attributes {
			fmt.Fprintf(&b, "b %q %q %q\n", br.ID, at.ID, at.Name)
		}
	}
	for _, j := range s.Journeys {
		fmt.Fprintf(&b, "j %q %q\n", j.ID, j.Title)
		for _, t := range j.Touchpoints {
			fmt.Fprintf(&b, "t %q %q\n", t.ID, t.Name)
		}
	}
	return b.String()
}

// chromeField reports whether a chain a layout reads of .Site (see
// theme.SiteFields) is part of the chrome.
func chromeField(f string) bool {
	for _, c := range []string{"Site.Title", "Site.BaseURL", "Site.Menu", "Site.Generator",
		"Site.Report.Wave", "Site.Report.Waves", "Site.Report.Scale", "Site.Report.Tolerance", "Site.Model.Pulls"} {
		if f == c || strings.HasPrefix(f, c+".") {
			return true
		}
	}
	return false
}

// keepUnchanged marks, after a data edit, the pages whose output stands:
// their layout reads nothing of the site beyond the chrome, which is
// unchanged, and all they carry themselves (figures, charts, verbatims,
// the journey they are on) is deeply equal to the last build's. So a
// data edit re-renders the detail pages of what it touched, and the
// overview pages that read the whole report, not every page with
// figures. Pages with children are left to render: comparing them would
// mean comparing every child's whole site.
func (r *run) keepUnchanged(pages []*PageView) {
	if !r.keepOld || r.theme == nil {
		return
	}
	old := make(map[string]*PageView, len(r.prev.pages))
	for _, q := range r.prev.pages {
		old[outPath(q.URL, q.Kind)] = q
	}
	local := map[string]bool{}
	var candidates []*PageView
	for _, p := range pages {
		if p.reusable || p.Children != nil {
			continue
		}
		layout := layoutFor(r.theme, p)
		ok, known := local[layout]
		if !known {
			ok = true
			for _, f := range r.theme.SiteFields(layout) {
				ok = ok && chromeField(f)
			}
			local[layout] = ok
		}
		if ok {
			candidates = append(candidates, p)
		}
	}
	// Deep comparisons of verbatims and reports add up: on every core.
	parallel(candidates, func(p *PageView) {
		if q := old[outPath(p.URL, p.Kind)]; q != nil && q.Children == nil && samePage(q, p) {
			p.reusable = true
		}
	})
}

// samePage compares two builds' views of one page, leaving out the site
// (compared once, as the chrome) and what templates cannot see.
func samePage(a, b *PageView) bool {
	x, y := *a, *b
	for _, p := range []*PageView{&x, &y} {
		p.Site, p.text, p.usesData, p.reusable = nil, "", false, false
		p.search.doc, p.search.json = searchDoc{}, nil
	}
	return reflect.DeepEqual(x, y)
}
