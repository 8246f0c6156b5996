package build

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/theme"
)

// The rules of incremental data rebuilds (reuse.go) hold only while
// everything a template can read is classified: a page is kept after a
// data edit when its layout reads nothing of the site beyond the chrome
// and the names, and those are unchanged. A SiteView field or template
// function added without saying which it is would let a kept page show
// stale figures; these tests fail until it is classified here.

// How a template input behaves under a data edit.
const (
	inChrome = "chrome"   // part of run.chrome(): a change re-renders every page
	inConfig = "config"   // comes from site.toml, whose edit is a full build
	rerender = "rerender" // a layout reading it is never kept (chromeField is false)
	pure     = "pure"     // a function of its arguments alone
	byName   = "names"    // reads display names: names() must change with them
)

func TestSiteViewFieldsClassified(t *testing.T) {
	class := map[string]string{
		"Title": inChrome, "BaseURL": inChrome, "Menu": inChrome, "Generator": inChrome,
		"Params": inConfig,
		"Model":  rerender, "Report": rerender, "Built": rerender,
	}
	typ := reflect.TypeOf(SiteView{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		c, ok := class[f.Name]
		if !ok {
			t.Errorf("SiteView.%s is not classified for incremental rebuilds: add it to this test and to chrome()/chromeField in reuse.go as fits", f.Name)
			continue
		}
		if c == inChrome && !chromeField("Site."+f.Name) {
			t.Errorf("SiteView.%s is classified chrome, but chromeField does not treat it so", f.Name)
		}
		if c != inChrome && chromeField("Site."+f.Name) {
			t.Errorf("SiteView.%s is treated as chrome by chromeField but classified %s", f.Name, c)
		}
	}
	// Each chrome field must change chrome() when it changes.
	base := func() *run {
		return &run{site: &model.Site{}, sv: &SiteView{Title: "t", BaseURL: "/", Generator: "g", Menu: []Link{{Title: "a", URL: "a/"}}}, report: &metrics.Report{}}
	}
	for name, mutate := range map[string]func(*SiteView){
		"Title":     func(s *SiteView) { s.Title = "u" },
		"BaseURL":   func(s *SiteView) { s.BaseURL = "/x/" },
		"Generator": func(s *SiteView) { s.Generator = "h" },
		"Menu":      func(s *SiteView) { s.Menu[0].Title = "b" },
	} {
		a, b := base(), base()
		mutate(b.sv)
		if a.chrome() == b.chrome() {
			t.Errorf("a change of SiteView.%s leaves chrome() unchanged", name)
		}
	}
}

func TestTemplateFuncsClassified(t *testing.T) {
	class := map[string]string{
		"rel": pure, "f1": pure, "signed": pure, "ci": pure, "has": pure, "statusLabel": pure, "priorityLabel": pure,
		"tp": pure, "journeyReport": pure, "pValue": pure, "pIs": pure, "share": pure, "mark": pure, "npsMark": pure, "low": pure, "dict": pure,
		"lower": pure, "date": pure, "add": pure, "indexReading": pure,
		// minBase and baseNote read [stats] of site.toml, whose edit is a full build.
		"minBase": inConfig, "baseNote": inConfig,
		"actorName": byName, "brandName": byName, "personaName": byName, "attrName": byName, "tpName": byName, "journeyTitle": byName,
	}
	funcs := theme.Funcs(&model.Site{})
	for _, name := range slices.Sorted(maps.Keys(funcs)) {
		if _, ok := class[name]; !ok {
			t.Errorf("template function %q is not classified for incremental rebuilds: say here whether it is pure or reads names (and then make names() cover it)", name)
		}
	}
	for name := range class {
		if _, ok := funcs[name]; !ok {
			t.Errorf("%q is classified but is no template function: drop it here", name)
		}
	}
	// A function reading names: renaming what it reads changes names(),
	// so no page showing the old name is kept.
	for name, tt := range map[string]struct {
		args   []any
		rename func(*model.Site)
	}{
		"actorName":    {[]any{"a"}, func(s *model.Site) { s.Actors[0].Name = "Renamed" }},
		"brandName":    {[]any{"b"}, func(s *model.Site) { s.Brands[0].Name = "Renamed" }},
		"personaName":  {[]any{"b", "p"}, func(s *model.Site) { s.Brands[0].Personas[0].Name = "Renamed" }},
		"attrName":     {[]any{"b", "x"}, func(s *model.Site) { s.Brands[0].Attributes[0].Name = "Renamed" }},
		"tpName":       {[]any{"j", "t"}, func(s *model.Site) { s.Journeys[0].Touchpoints[0].Name = "Renamed" }},
		"journeyTitle": {[]any{"j"}, func(s *model.Site) { s.Journeys[0].Title = "Renamed" }},
	} {
		if class[name] != byName {
			t.Errorf("%s: a rename case for a function not classified as reading names", name)
		}
		before, after := namesSite(), namesSite()
		tt.rename(after)
		call := func(s *model.Site) string {
			f := reflect.ValueOf(theme.Funcs(s)[name])
			in := make([]reflect.Value, len(tt.args))
			for i, a := range tt.args {
				in[i] = reflect.ValueOf(a)
			}
			return f.Call(in)[0].String()
		}
		if call(before) == call(after) {
			t.Fatalf("%s: the rename does not change what it shows; fix the test case", name)
		}
		if names(before) == names(after) {
			t.Errorf("%s shows a renamed name, but names() is unchanged: a page kept after the data edit would show the old name", name)
		}
	}
	for name, c := range class {
		if c == byName {
			found := false
			for _, n := range []string{"actorName", "brandName", "personaName", "attrName", "tpName", "journeyTitle"} {
				found = found || n == name
			}
			if !found {
				t.Errorf("%s reads names but has no rename case in this test", name)
			}
		}
	}
}

func namesSite() *model.Site {
	s := &model.Site{
		Config: model.Config{Brand: "b"},
		Actors: []*model.Actor{{ID: "a", Name: "Actor"}},
		Brands: []*model.Brand{{ID: "b", Name: "Brand",
			Attributes: []*model.Attribute{{ID: "x", Name: "Attr"}},
			Personas:   []*model.Persona{{ID: "p", Name: "Persona"}}}},
		Journeys: []*model.Journey{{ID: "j", Title: "Journey", Brand: "b",
			Touchpoints: []*model.Touchpoint{{ID: "t", Name: "Touch"}}}},
	}
	return s
}
