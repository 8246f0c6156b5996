package charts

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// at walks a decoded option: strings index objects, ints arrays.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: %T is not an object", path, v)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: %T has no element %d", path, v, k)
			}
			v = a[k]
		}
	}
	return v
}

func num(t *testing.T, v any) float64 {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	return f
}

func near(t *testing.T, what string, got any, want float64) {
	t.Helper()
	if g := num(t, got); math.Abs(g-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", what, g, want)
	}
}

func strs(t *testing.T, v any) []string {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%v (%T) is not an array", v, v)
	}
	out := make([]string, len(a))
	for i, x := range a {
		out[i], _ = x.(string)
	}
	return out
}

func eqStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// TestChartOptions checks, for every type, that the option is valid
// JSON built with the figures of the report: the series carry the
// numbers the metrics computed, in stage order (or the documented sort).
func TestChartOptions(t *testing.T) {
	f := loadFixture(t)
	figures := renderAll(t, f)
	rep, _ := f.report("")
	jr := rep.Journeys[0]
	tp := map[string]*metrics.TouchpointReport{}
	for _, r := range jr.Touchpoints {
		tp[r.ID] = r
	}
	stageOrder := []string{"Radio advert", "Welcome pack delivery", "First invoice", "Ordering app", "Call centre"}

	checks := map[string]func(t *testing.T, o map[string]any){
		"heatmap": func(t *testing.T, o map[string]any) {
			eqStrings(t, "columns", strs(t, at(t, o, "xAxis", 0, "data")), []string{"Be There", "Clarity", "Warmth"})
			eqStrings(t, "rows", strs(t, at(t, o, "yAxis", 0, "data")), stageOrder)
			// First invoice (row 2) × Clarity (column 1).
			found := false
			for _, d := range at(t, o, "series", 0, "data").([]any) {
				v := at(t, d, "value").([]any)
				if num(t, v[0]) == 1 && num(t, v[1]) == 2 {
					near(t, "invoice clarity gap", v[2], *tp["invoice"].Attributes[0].Gap)
					if l := at(t, d, "label", "formatter"); l != "−1.5" {
						t.Errorf("label %q, want −1.5", l)
					}
					found = true
				}
			}
			if !found {
				t.Error("no cell for First invoice × Clarity")
			}
			// A symmetric scale centred at zero, in steps from the
			// tolerance: the middle one is the aligned band.
			near(t, "visualMap min", at(t, o, "visualMap", 0, "min"), -2)
			near(t, "visualMap max", at(t, o, "visualMap", 0, "max"), 2)
			near(t, "aligned band from", at(t, o, "visualMap", 0, "pieces", 2, "gte"), -0.5)
			near(t, "aligned band to", at(t, o, "visualMap", 0, "pieces", 2, "lte"), 0.5)
			// Promise without experience: the "no data" series.
			if n := len(at(t, o, "series", 1, "data").([]any)); n != 1 {
				t.Errorf("%d cells without data, want 1 (First invoice × Warmth)", n)
			}
		},
		"gap": func(t *testing.T, o map[string]any) {
			// Sorted by weighted gap, widest shortfall first.
			eqStrings(t, "rows", strs(t, at(t, o, "yAxis", 0, "data")),
				[]string{"First invoice", "Call centre", "Radio advert", "Welcome pack delivery", "Ordering app"})
			near(t, "invoice promise", at(t, o, "series", 2, "data", 0, "value", 0), *tp["invoice"].Promise)
			near(t, "invoice performance", at(t, o, "series", 3, "data", 0, "value", 0), *tp["invoice"].Performance)
			near(t, "span", at(t, o, "series", 1, "data", 0, "value"), *tp["invoice"].Promise-*tp["invoice"].Performance)
		},
		"journey": func(t *testing.T, o map[string]any) {
			eqStrings(t, "touchpoints", strs(t, at(t, o, "xAxis", 0, "data")), stageOrder)
			for i, id := range []string{"ad", "welcome-pack", "invoice", "app", "call-centre"} {
				near(t, id+" promise", at(t, o, "series", 0, "data", i, "value"), *tp[id].Promise)
				near(t, id+" performance", at(t, o, "series", 1, "data", i, "value"), *tp[id].Performance)
			}
			near(t, "call centre emotion", at(t, o, "series", 2, "data", 4, "value"), -2)
			near(t, "emotion axis min", at(t, o, "yAxis", 1, "min"), -2)
			if n := len(at(t, o, "series", 3, "markArea", "data").([]any)); n != 4 {
				t.Errorf("%d stage bands, want 4", n)
			}
		},
		"radar": func(t *testing.T, o map[string]any) {
			names := []string{}
			for _, ind := range at(t, o, "radar", "indicator").([]any) {
				names = append(names, at(t, ind, "name").(string))
			}
			eqStrings(t, "indicators", names, []string{"Be There", "Clarity", "Warmth"})
			for i, a := range jr.Attributes {
				near(t, a.ID+" promise", at(t, o, "series", 0, "data", 0, "value", i), *a.Promise)
				near(t, a.ID+" experience", at(t, o, "series", 1, "data", 0, "value", i), *a.Experience)
			}
		},
		"ipa": func(t *testing.T, o map[string]any) {
			lines := at(t, o, "series", 4, "markLine", "data").([]any)
			near(t, "crosshair x", at(t, lines[0], "xAxis"), jr.Crosshair.X)
			near(t, "crosshair y", at(t, lines[1], "yAxis"), jr.Crosshair.Y)
			// Concentrate here: invoice and call centre.
			conc := at(t, o, "series", 0, "data").([]any)
			if len(conc) != 2 || at(t, conc[0], "name") != "First invoice" {
				t.Fatalf("concentrate points = %v", conc)
			}
			near(t, "invoice performance", at(t, conc[0], "value", 0), *tp["invoice"].Performance)
			near(t, "invoice importance", at(t, conc[0], "value", 1), 4)
			if n := len(at(t, o, "series", 4, "markArea", "data").([]any)); n != 4 {
				t.Errorf("%d quadrants, want 4", n)
			}
		},
		"ecosystem": func(t *testing.T, o map[string]any) {
			nodes := at(t, o, "series", 0, "data").([]any)
			links := at(t, o, "series", 0, "links").([]any)
			if len(nodes) != 4+5 || len(links) != 5+3 {
				t.Errorf("%d nodes and %d links, want 9 and 8", len(nodes), len(links))
			}
			// The call centre is overpromised: its category says so.
			cats := at(t, o, "series", 0, "categories").([]any)
			for _, n := range nodes {
				if at(t, n, "name") == "Call centre" {
					c := int(num(t, at(t, n, "category")))
					if at(t, cats[c], "name") != "Overpromised" {
						t.Errorf("call centre in category %v", at(t, cats[c], "name"))
					}
				}
			}
		},
		"sankey": func(t *testing.T, o map[string]any) {
			links := at(t, o, "series", 0, "links").([]any)
			if len(links) != 10 {
				t.Fatalf("%d links, want 10", len(links))
			}
			for _, l := range links {
				if at(t, l, "target") == "Call centre" {
					near(t, "owner → call centre", at(t, l, "value"), tp["call-centre"].Importance)
					if at(t, l, "source") != "Customer service" {
						t.Errorf("call centre owned by %v", at(t, l, "source"))
					}
				}
			}
			if v := at(t, o, "series", 0, "layoutIterations"); v != 0.0 {
				t.Errorf("layoutIterations = %v, want 0 to keep stage order", v)
			}
		},
		"trend": func(t *testing.T, o map[string]any) {
			eqStrings(t, "waves", strs(t, at(t, o, "xAxis", 0, "data")), []string{"2025-H2", "2026-H1"})
			// A zoomed axis says where it starts (issue 16).
			lo := 100.0
			for _, p := range jr.Trend {
				lo = math.Min(lo, p.Alignment)
			}
			yMin := at(t, o, "yAxis", 0, "min").(float64)
			if yMin > lo-10 || 100-yMin < 20 {
				t.Errorf("axis from %v for a lowest point of %v: want at least 10 below it and a span of 20", yMin, lo)
			}
			if name, want := at(t, o, "yAxis", 0, "name"), fmt.Sprintf("Alignment index (axis from %.0f)", yMin); yMin > 0 && name != want {
				t.Errorf("axis name %q, want %q", name, want)
			}
			if sum := at(t, o, "aria", "label", "description"); yMin > 0 && !strings.Contains(fmt.Sprint(sum), fmt.Sprintf("The axis starts at %.0f, not 0.", yMin)) {
				t.Errorf("the aria description does not say where the axis starts: %v", sum)
			}
			for i, p := range jr.Trend {
				near(t, p.Wave, at(t, o, "series", 0, "data", i, "value"), p.Alignment)
			}
			// The change is the report's delta (over the cells both waves
			// measure), which here differs from the points' difference.
			// ▲1: the journey NPS rose from −30 to +20 (p far below
			// 0.05); no cell moved significantly.
			if jr.NPS == nil || jr.NPS.Change == nil || !jr.NPS.Change.Significant {
				t.Fatalf("fixture: the journey NPS change is not significant: %+v", jr.NPS)
			}
			want := num1(jr.Trend[1].Alignment) + " (" + signed1(*jr.Delta) + ")\n▲1" // the marks on a line of their own
			if l := at(t, o, "series", 0, "data", 1, "label", "formatter"); l != want {
				t.Errorf("label %q, want %q", l, want)
			}
			if l := at(t, o, "series", 0, "data", 0, "label", "formatter").(string); strings.ContainsAny(l, "▲▼") {
				t.Errorf("the first wave has nothing to compare with, yet is marked: %q", l)
			}
			if tt := at(t, o, "series", 0, "data", 1, "tooltip", "formatter").(string); !strings.Contains(tt, "▲ Journey NPS of Becoming a customer, +50.0, p &lt; 0.001") {
				t.Errorf("tooltip does not list the NPS rise with its p: %s", tt)
			}
		},
		"drivers": func(t *testing.T, o map[string]any) {
			d := jr.Drivers
			if d == nil || len(d.Attributes) != 3 {
				t.Fatalf("fixture drivers = %+v", d)
			}
			// Bars largest share first; the shares sum to R² (LMG).
			sum, last := 0.0, math.Inf(1)
			names := strs(t, at(t, o, "yAxis", 0, "data"))
			for i, name := range names {
				v := at(t, o, "series", 0, "data", i, "value").(float64)
				if v > last {
					t.Errorf("bar %s (%v) above a smaller one", name, v)
				}
				last = v
				sum += v
			}
			if len(names) != 3 || math.Abs(sum-d.R2) > 1e-9 {
				t.Errorf("bars %v sum to %v, want R² %v", names, sum, d.R2)
			}
			tt := at(t, o, "series", 0, "data", 0, "tooltip", "formatter").(string)
			if !strings.Contains(tt, "Correlation with recommend r = ") {
				t.Errorf("tooltip without r: %s", tt)
			}
		},
		"segments": func(t *testing.T, o map[string]any) {
			// The journey NPS by region, computed by hand: North 48
			// promoters and 32 detractors of 80 (+20.0), South 4 and 8
			// of 12 (−33.3, below the base of 30: starred).
			eqStrings(t, "values", strs(t, at(t, o, "xAxis", 0, "data")), []string{"North", "South"})
			near(t, "North", at(t, o, "series", 1, "data", 0, "value", 1), 20)
			near(t, "South", at(t, o, "series", 1, "data", 1, "value", 1), 100*(4.0-8.0)/12)
			if l := at(t, o, "series", 1, "data", 1, "label", "formatter"); l != "−33.3*" {
				t.Errorf("South label %q, want the low-base star", l)
			}
			near(t, "all respondents", at(t, o, "series", 1, "markLine", "data", 0, "yAxis"), jr.NPS.Score)
			// The interval is North's: 1.96·SE of 80 answers.
			pp, pd := 0.6, 0.4
			se := 100 * math.Sqrt((pp+pd-(pp-pd)*(pp-pd))/80)
			near(t, "North CI high", at(t, o, "series", 0, "data", 0, "value", 3), 20+1.96*se)
		},
		"consistency": func(t *testing.T, o map[string]any) {
			// Clarity at the five touchpoints: 4.2, 4.6, 3.0, 4.1, 4.0.
			box := at(t, o, "series", 0, "data", 1, "value").([]any)
			for i, w := range []float64{3.0, 4.0, 4.1, 4.2, 4.6} {
				near(t, fmt.Sprintf("clarity five-number %d", i), box[i], w)
			}
			if l := strs(t, at(t, o, "xAxis", 0, "data"))[1]; l != "Clarity\nconsistency "+num1(*jr.Attributes[1].Consistency) {
				t.Errorf("label %q", l)
			}
		},
		"nps": func(t *testing.T, o map[string]any) {
			eqStrings(t, "touchpoints", strs(t, at(t, o, "xAxis", 0, "data")), []string{"Ordering app", "Call centre"})
			n := tp["call-centre"].NPS
			bar := at(t, o, "series", 0, "data", 1, "value").([]any)
			for i, w := range []float64{n.Score, n.Score, n.CI[0], n.CI[1]} {
				near(t, fmt.Sprintf("call centre bar %d", i), bar[i], w)
			}
			near(t, "call centre score", at(t, o, "series", 1, "data", 1, "value", 1), n.Score)
		},
		"owners": func(t *testing.T, o map[string]any) {
			eqStrings(t, "owners", strs(t, at(t, o, "yAxis", 0, "data")), []string{"Finance", "Customer service", "Marketing", "Courier partner"})
			load := map[string]float64{}
			for _, a := range rep.Actors {
				load[a.ID] = a.Load
			}
			for i, id := range []string{"finance", "service", "marketing", "courier"} {
				near(t, id+" load", at(t, o, "series", 0, "data", i, "value"), load[id])
			}
			// Finance contributes to the call centre: its contributed
			// shortfall is the call centre's importance × shortfall.
			cc := tp["call-centre"]
			near(t, "finance contributed", at(t, o, "series", 1, "data", 0, "value"), cc.Importance**cc.Shortfall)
		},
		"scorecard": func(t *testing.T, o map[string]any) {
			inds := at(t, o, "radar", "indicator").([]any)
			if len(inds) != 5 || !strings.HasPrefix(at(t, inds[2], "name").(string), "2.1 ") {
				t.Fatalf("indicators = %v", inds)
			}
			for i, w := range []float64{4, 4, 5, 3, 4} {
				near(t, fmt.Sprintf("target %d", i), at(t, o, "series", 0, "data", 0, "value", i), w)
			}
			for i, w := range []float64{2, 3, 2, 1, 3} {
				near(t, fmt.Sprintf("current %d", i), at(t, o, "series", 1, "data", 0, "value", i), w)
			}
		},
	}

	for _, typ := range Types() {
		t.Run(typ, func(t *testing.T) {
			fig := figures[typ]
			raw := optionOf(t, fig)
			var o map[string]any
			if err := json.Unmarshal([]byte(raw), &o); err != nil {
				t.Fatalf("option is not JSON: %v\n%s", err, raw)
			}
			// What every chart has: a title, an item tooltip, an aria
			// description that is also the container's label.
			if at(t, o, "title", "text") == "" {
				t.Error("no title")
			}
			if at(t, o, "tooltip", "trigger") != "item" || at(t, o, "tooltip", "confine") != true {
				t.Errorf("tooltip = %v", o["tooltip"])
			}
			desc, _ := at(t, o, "aria", "label", "description").(string)
			if at(t, o, "aria", "enabled") != true || len(desc) < 40 {
				t.Errorf("aria = %v", o["aria"])
			}
			if !strings.Contains(fig, `aria-label="`+htmlEsc(desc)+`"`) {
				t.Error("the container's aria-label is not the aria description")
			}
			if !strings.Contains(fig, `<details class="chart-data"><summary>Data table</summary>`) {
				t.Error("no data table")
			}
			if len(at(t, o, "series").([]any)) == 0 {
				t.Fatal("no series")
			}
			checks[typ](t, o)
			golden(t, typ, raw)
		})
	}
}

func htmlEsc(s string) string { return html.EscapeString(s) }

// golden compares the option with testdata/<type>.golden.json, which
// -update rewrites: a change to any chart shows up in review.
func golden(t *testing.T, typ, raw string) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(raw), "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", typ+".golden.json")
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("option differs from %s (go test -update rewrites it after review):\n%s", path, firstDiff(string(want), pretty.String()))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, a, b)
		}
	}
	return ""
}

// TestOptionsAreStable: the same input gives the same bytes, so builds
// are reproducible and golden files mean something.
func TestOptionsAreStable(t *testing.T) {
	f := loadFixture(t)
	a, b := renderAll(t, f), renderAll(t, f)
	for typ := range a {
		if a[typ] != b[typ] {
			t.Errorf("%s renders differently twice", typ)
		}
	}
}

// TestHostileNames gives every name in the site markup and quotes: none
// may reach the page raw, in the HTML, the option or the tooltips.
func TestHostileNames(t *testing.T) {
	const evil = `</script><script>alert(1)</script>"'&<b>{a}`
	f := loadFixture(t)
	s := f.site
	for _, b := range s.Brands {
		b.Name = evil + b.Name
		for _, a := range b.Attributes {
			a.Name = evil + a.Name
		}
	}
	for _, j := range s.Journeys {
		j.Title = evil
		for _, tp := range j.Touchpoints {
			tp.Name = evil + tp.Name
		}
	}
	for _, a := range s.Actors {
		a.Name = evil + a.Name
	}
	for _, a := range s.Assessments {
		a.Title = evil
		for _, p := range a.Pillars {
			p.Name = evil + p.Name
			for _, c := range p.Criteria {
				c.Name = evil + c.Name
			}
		}
	}
	for i, typ := range Types() {
		body := fmt.Sprintf("type = %q\ntitle = %q\n", typ, evil)
		spec, err := ParseSpec([]byte(body), 1)
		if err != nil {
			t.Fatal(err)
		}
		if spec, err = Resolve(spec, Defaults{Journey: "onboarding"}, f.ctx); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := Render(&out, spec, fmt.Sprintf("c%d", i), f.ctx); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		html := out.String()
		for _, raw := range []string{"<script>alert", "</script><", "<b>{a}", `"'&`} {
			if strings.Contains(html, raw) {
				t.Errorf("%s: %q appears raw in the output", typ, raw)
			}
		}
		// Exactly one script element: the option's.
		if n := strings.Count(html, "</script>"); n != 1 {
			t.Errorf("%s: %d </script> in the output, want 1", typ, n)
		}
		var o map[string]any
		if err := json.Unmarshal([]byte(optionOf(t, html)), &o); err != nil {
			t.Fatalf("%s: option is not JSON: %v", typ, err)
		}
		// Tooltips are HTML in ECharts: the names in them are escaped,
		// and so are the braces ECharts would substitute.
		walkStrings(o, nil, func(path []string, s string) {
			if len(path) > 0 && path[len(path)-1] == "formatter" && strings.Contains(s, "<b>") {
				if strings.Contains(s, "<script>") || strings.Contains(s, "{a}") {
					t.Errorf("%s: tooltip %q carries raw markup", typ, s)
				}
			}
		})
	}
}

func walkStrings(v any, path []string, fn func([]string, string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkStrings(e, append(path, k), fn)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, path, fn)
		}
	case string:
		fn(path, x)
	}
}

func TestRenderErrors(t *testing.T) {
	f := loadFixture(t)
	ok := Spec{Type: "heatmap", Journey: "onboarding", Brand: "acme", Line: 9}
	tests := []struct {
		name string
		spec Spec
		id   string
		ctx  Context
		msg  string
	}{
		{"bad id", ok, `x" onload="alert(1)`, f.ctx, "invalid element id"},
		{"unknown type", Spec{Type: "pie", Line: 9}, "c1", f.ctx, `unknown chart type "pie"`},
		{"no journey", Spec{Type: "sankey", Line: 9}, "c1", f.ctx, "needs a journey"},
		{"unknown journey", Spec{Type: "gap", Journey: "nope", Line: 9}, "c1", f.ctx, `unknown journey "nope"`},
		{"unsafe height", Spec{Type: "gap", Journey: "onboarding", Height: "1px;color:red", Line: 9}, "c1", f.ctx, "not a CSS length"},
		{"no metrics", ok, "c1", Context{Site: f.site, Report: func(string) (*metrics.Report, error) { return nil, fmt.Errorf("boom") }}, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := Render(&out, tt.spec, tt.id, tt.ctx)
			var d diag.Diagnostic
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !errors.As(err, &d) || d.Line != 9 {
				t.Fatalf("Render error = %v, want one at line 9 containing %q", err, tt.msg)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", out.Len())
			}
		})
	}
}

// TestEarlierWave draws a heatmap of the previous wave: its figures,
// and a title that says which wave it is.
func TestEarlierWave(t *testing.T) {
	f := loadFixture(t)
	spec, err := Resolve(Spec{Type: "heatmap", Wave: "2025-H2", Line: 1}, Defaults{Journey: "onboarding"}, f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Render(&out, spec, "old", f.ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(2025-H2)</figcaption>") {
		t.Error("the title does not name the wave")
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(optionOf(t, out.String())), &o); err != nil {
		t.Fatal(err)
	}
	// Radio advert × Be There measured 3.1 in 2025-H2 against 4.5.
	near(t, "2025-H2 gap", at(t, o, "series", 0, "data", 0, "value", 2), 3.1-4.5)
}

func TestFiveNumbers(t *testing.T) {
	tests := []struct {
		in   []float64
		want [5]float64
	}{
		{[]float64{3}, [5]float64{3, 3, 3, 3, 3}},
		{[]float64{4, 2}, [5]float64{2, 2.5, 3, 3.5, 4}},
		{[]float64{4.2, 3.1, 4.5, 2.8, 3.9}, [5]float64{2.8, 3.1, 3.9, 4.2, 4.5}},
		{[]float64{1, 2, 3, 4}, [5]float64{1, 1.75, 2.5, 3.25, 4}},
	}
	for _, tt := range tests {
		got := fiveNumbers(tt.in)
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-12 {
				t.Errorf("fiveNumbers(%v) = %v, want %v", tt.in, got, tt.want)
				break
			}
		}
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		x             float64
		plain, signed string
	}{
		{3.55, "3.6", "+3.6"},
		{-1.4285714285714284, "−1.4", "−1.4"},
		{0.04, "0.0", "0.0"},
		{-0.04, "0.0", "0.0"},
		{0.20000000000000018, "0.2", "+0.2"},
		{100, "100.0", "+100.0"},
	}
	for _, tt := range tests {
		if got := num1(tt.x); got != tt.plain {
			t.Errorf("num1(%v) = %q, want %q", tt.x, got, tt.plain)
		}
		if got := signed1(tt.x); got != tt.signed {
			t.Errorf("signed1(%v) = %q, want %q", tt.x, got, tt.signed)
		}
	}
	if got := esc(`<b>{a}</b> & "x"`); got != "&lt;b&gt;&#123;a&#125;&lt;/b&gt; &amp; &#34;x&#34;" {
		t.Errorf("esc = %q", got)
	}
}

// TestWiderScopes draws the charts that also work above a journey: a
// brand's radar and trend, and the site's owners and ecosystem.
func TestWiderScopes(t *testing.T) {
	f := loadFixture(t)
	rep, _ := f.report("")
	br := rep.Brands[0]
	tests := []struct {
		body  string
		check func(t *testing.T, o map[string]any)
	}{
		{"type = \"radar\"\nbrand = \"acme\"", func(t *testing.T, o map[string]any) {
			for i, a := range br.Attributes {
				near(t, a.ID+" brand promise", at(t, o, "series", 0, "data", 0, "value", i), *a.Promise)
				near(t, a.ID+" brand experience", at(t, o, "series", 1, "data", 0, "value", i), *a.Experience)
			}
		}},
		{"type = \"trend\"\nbrand = \"acme\"", func(t *testing.T, o map[string]any) {
			for i, p := range br.Trend {
				near(t, "brand alignment in "+p.Wave, at(t, o, "series", 0, "data", i, "value"), p.Alignment)
			}
		}},
		{`type = "owners"`, func(t *testing.T, o map[string]any) {
			near(t, "largest site-wide load", at(t, o, "series", 0, "data", 0, "value"), 6)
		}},
		{`type = "ecosystem"`, func(t *testing.T, o map[string]any) {
			if n := len(at(t, o, "series", 0, "data").([]any)); n != 9 {
				t.Errorf("%d nodes, want 9", n)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			spec, err := ParseSpec([]byte(tt.body), 1)
			if err != nil {
				t.Fatal(err)
			}
			// A page without a journey.
			if spec, err = Resolve(spec, Defaults{Brand: "acme"}, f.ctx); err != nil {
				t.Fatal(err)
			}
			if spec.Journey != "" {
				t.Fatalf("journey %q resolved for a brand- or site-level chart", spec.Journey)
			}
			var out bytes.Buffer
			if err := Render(&out, spec, "wide", f.ctx); err != nil {
				t.Fatal(err)
			}
			var o map[string]any
			if err := json.Unmarshal([]byte(optionOf(t, out.String())), &o); err != nil {
				t.Fatal(err)
			}
			tt.check(t, o)
		})
	}
}

// TestNoData: a site that has measured nothing yet still draws every
// chart (empty, and saying so) rather than failing the build.
func TestNoData(t *testing.T) {
	f := loadFixture(t)
	for k := range f.site.Cells {
		delete(f.site.Cells, k)
	}
	for k := range f.site.NPS {
		delete(f.site.NPS, k)
	}
	f.site.Drivers, f.site.Segments, f.site.JourneyNPS = nil, nil, nil
	for _, j := range f.site.Journeys {
		for _, tp := range j.Touchpoints {
			tp.Emotion = nil
		}
	}
	// Charts with nothing to draw say so in words instead of empty axes
	// (issue 12: an NPS chart without recommend answers drew bare axes):
	// the message in the figure, in its aria text and under its table.
	empty := map[string]string{
		"heatmap":     "No experience measured",
		"gap":         "No experience measured",
		"radar":       "No experience measured",
		"ipa":         "No touchpoint has a performance",
		"trend":       "No wave has data yet",
		"consistency": "No experience measured",
		"nps":         "No recommend answers",
		"journey":     "No promise, experience or emotion",
		"drivers":     "No key drivers in this wave",
		"segments":    "No segmented data",
	}
	for typ, fig := range renderAll(t, f) {
		msg, isEmpty := empty[typ]
		if !isEmpty {
			if !json.Valid([]byte(optionOf(t, fig))) {
				t.Errorf("%s: option is not JSON", typ)
			}
			continue
		}
		if strings.Contains(fig, `type="application/json"`) || strings.Contains(fig, "chart-canvas") {
			t.Errorf("%s: draws empty axes instead of saying it has no data", typ)
		}
		m := regexp.MustCompile(`<p class="chart-empty"[^>]*aria-label="([^"]*)"[^>]*>([^<]*)</p>`).FindStringSubmatch(fig)
		if m == nil || !strings.HasPrefix(m[2], msg) || !strings.Contains(m[1], msg) {
			t.Errorf("%s: no visible message %q with it in the aria text in\n%s", typ, msg, fig)
		}
		if !strings.Contains(fig, `<p class="chart-note">`+m[2]) {
			t.Errorf("%s: the data table does not say %q", typ, m[2])
		}
	}
}

// TestTrendAxisMin pins the trend axis rule: ten below the lowest point
// in steps of ten, never below 0, never above 80 (a span of 20 at least).
func TestTrendAxisMin(t *testing.T) {
	for _, c := range []struct{ lo, want float64 }{
		{0, 0}, {5, 0}, {10, 0}, {19.9, 0}, {20, 10}, {67.3, 50}, {70, 60}, {71, 60},
		{89.9, 70}, {90, 80}, {95.5, 80}, {99.1, 80}, {100, 80},
	} {
		if got := trendAxisMin(c.lo); got != c.want {
			t.Errorf("trendAxisMin(%v) = %v, want %v", c.lo, got, c.want)
		}
		if got := trendAxisMin(c.lo); 100-got < 20 || got > c.lo {
			t.Errorf("trendAxisMin(%v) = %v: span under 20 or above the point", c.lo, got)
		}
	}
}
