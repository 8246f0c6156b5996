package build

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// statsSite has what the loader does not yet supply: journey and brand
// NPS in two waves and key-driver sums, beside a cell with a change.
func statsSite() *model.Site {
	rng := rand.New(rand.NewPCG(3, 4))
	drv := model.NewDriverSums([]string{"be-there", "clarity", "recommend"})
	for range 80 {
		x := 1 + float64(rng.IntN(5))
		y := 1 + float64(rng.IntN(5))
		drv.Add([]float64{x, y, math.Min(10, 1.5*x+0.4*y+float64(rng.IntN(3)))}, 1)
	}
	tp := &model.Touchpoint{ID: "desk", Name: "Help desk", Importance: 3,
		Promise: map[string]float64{"be-there": 4, "clarity": 4}, PromiseOrder: []string{"be-there", "clarity"}}
	return &model.Site{
		Config: model.Config{Brand: "acme", Scale: model.Scale{Min: 1, Max: 5}, Tolerance: 0.5, Crosshair: "mean",
			Stats: model.StatsConfig{MinBase: 30, Confidence: 0.95}},
		Waves: []string{"w1", "w2"},
		Brands: []*model.Brand{{ID: "acme", Name: "Acme", Attributes: []*model.Attribute{
			{ID: "be-there", Name: "Be There", Weight: 1}, {ID: "clarity", Name: "Clarity", Weight: 1}}}},
		Journeys: []*model.Journey{{ID: "help", Title: "Getting help", Brand: "acme", Touchpoints: []*model.Touchpoint{tp}}},
		Cells: map[model.CellKey]*model.Cell{
			{Wave: "w1", Journey: "help", Touchpoint: "desk", Attribute: "be-there"}: {Mean: 3.2, N: 80, SD: 0.9, HasStats: true},
			{Wave: "w2", Journey: "help", Touchpoint: "desk", Attribute: "be-there"}: {Mean: 3.6, N: 90, SD: 0.8, HasStats: true},
		},
		JourneyNPS: map[model.JourneyKey]*model.NPSCounts{
			{Wave: "w1", Journey: "help"}: {Promoters: 50, Passives: 30, Detractors: 20},
			{Wave: "w2", Journey: "help"}: {Promoters: 40, Passives: 30, Detractors: 30},
		},
		BrandNPS: map[model.BrandKey]*model.NPSCounts{
			{Wave: "w2", Brand: "acme"}: {Promoters: 12, Passives: 5, Detractors: 3},
		},
		Drivers: map[model.JourneyKey]*model.DriverSums{{Wave: "w2", Journey: "help"}: drv},
	}
}

// TestMetricStatsFigures quotes §9's figures and holds each to the
// report: the text as shown, the title carrying the figure in full.
func TestMetricStatsFigures(t *testing.T) {
	site := statsSite()
	rep := metrics.Compute(site, "")
	j := rep.Journey("help")
	if j.NPS == nil || j.Drivers == nil || rep.Brand("acme").NPS == nil {
		t.Fatalf("the site lacks the figures to quote: %+v", j)
	}
	cell := j.Touchpoints[0].Attributes[0]
	tests := []struct {
		args  string
		want  float64
		text  string
		title string // a part of the title
	}{
		// FORMULA-VECTORS "NPS difference": 30 → 10, p 0.079411.
		{`journey="help" value="nps"`, j.NPS.Score, "+10.0", "Relationship NPS of Getting help, n = 100, 95% CI"},
		{`journey="help" value="nps-n"`, 100, "100", "Recommend answers behind the relationship NPS of Getting help"},
		{`journey="help" value="p"`, j.NPS.Change.P, "0.079", "since w1 (−20.0, not significant)"},
		{`brand="acme" value="nps"`, rep.Brand("acme").NPS.Score, "+45.0", "Relationship NPS of Acme, n = 20"},
		{`journey="help" attribute="clarity" value="share"`, *j.Drivers.Attributes[1].Share, figure.Two(*j.Drivers.Attributes[1].Share), "of Clarity in recommending after Getting help, n = 80"},
		{`journey="help" attribute="be-there" value="r"`, j.Drivers.Attributes[0].R, figure.Two(j.Drivers.Attributes[0].R), "Correlation of Be There with recommend"},
		{`journey="help" touchpoint="desk" attribute="be-there" value="p"`, cell.Change.P, figure.P(cell.Change.P), "(+0.4, significant)"},
	}
	m := &metricResolver{r: &run{site: site, reports: map[string]*metrics.Report{}}, rel: "content/x.md"}
	for _, tt := range tests {
		text, exact, err := m.ResolveMetric(parseArgs(t, tt.args), 1, 1)
		if err != nil {
			t.Errorf("%s: %v", tt.args, err)
			continue
		}
		k := strings.LastIndex(exact, ": ")
		v, perr := strconv.ParseFloat(exact[k+2:], 64)
		if text != tt.text || perr != nil || v != tt.want || !strings.Contains(exact, tt.title) {
			t.Errorf("%s: %q (%q), want %q with %v and %q", tt.args, text, exact, tt.text, tt.want, tt.title)
		}
	}
	if !near(j.NPS.Change.P, 0.079411, 1e-6) || cell.Change.P >= 0.05 {
		t.Errorf("the vectors moved: NPS p %v, cell p %v", j.NPS.Change.P, cell.Change.P)
	}

	for _, tt := range []struct{ args, want string }{
		{`brand="acme" value="p"`, `brand "acme"'s NPS has no change in wave w2: that needs, in w1 too`},
		{`journey="help" value="share"`, `value "share" needs attribute="…"`},
		{`journey="help" attribute="clarty" value="r"`, `unknown attribute "clarty" (did you mean "clarity"?)`},
		{`journey="help" value="nps" wave="w1"`, ``},
		{`journey="help" value="p" wave="w1"`, `has no change in wave w1: there is no wave before it`},
		{`journey="help" attribute="clarity" value="share" wave="w1"`, `journey "help" has no key drivers in wave w1: that needs 30 complete answer rows`},
		{`journey="help" touchpoint="desk" attribute="clarity" value="p"`, `has no experience data in wave w2`},
		{`actor="x" value="p"`, `unknown actor "x"`},
	} {
		_, _, err := m.ResolveMetric(parseArgs(t, tt.args), 1, 1)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.args, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.args, err, tt.want)
		}
	}
}

// TestMetricChangeInBuild quotes the p of the mini-site's call-centre
// changes through a whole build.
func TestMetricChangeInBuild(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/p.md"), []byte("+++\ntitle = \"P\"\njourney = \"onboarding\"\n+++\n"+
		"{{< metric touchpoint=\"call-centre\" value=\"p\" >}} {{< metric touchpoint=\"call-centre\" attribute=\"be-there\" value=\"p\" >}}\n"), 0o644)
	res := buildSite(t, site)
	rep := res.Report
	if rep == nil {
		t.Fatal("no report")
	}
	tr := rep.Journey("onboarding").Touchpoint("call-centre")
	want := []string{figure.P(tr.NPS.Change.P), figure.P(tr.Attributes[0].Change.P)}
	var got []string
	for _, m := range metricSpan.FindAllStringSubmatch(string(res.Output.Files["p/index.html"]), -1) {
		got = append(got, m[2])
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || want[0] == want[1] {
		t.Errorf("p/index.html shows %v, want %v", got, want)
	}
}

// parseArgs splits `k="v" k="v"` as the shortcode does.
func parseArgs(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("bad args %q", s)
		}
		out[k] = strings.Trim(v, `"`)
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestSuppressedVerbatims: with suppress_below above the call centre's
// seven answers, its cells leave the report and its comments the page.
func TestSuppressedVerbatims(t *testing.T) {
	for _, suppress := range []int{0, 8} {
		site := copySite(t, "testdata/mini-site")
		f, err := os.OpenFile(filepath.Join(site, "site.toml"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "\n[stats]\nsuppress_below = %d\n", suppress)
		f.Close()
		res := buildSite(t, site)
		page := string(res.Output.Files["journeys/onboarding/call-centre/index.html"])
		cc := res.Report.Journey("onboarding").Touchpoint("call-centre")
		shown := strings.Contains(page, "Picked up at once")
		if suppress == 0 && (!shown || cc.Performance == nil) || suppress == 8 && (shown || cc.Performance != nil || cc.NPS != nil) {
			t.Errorf("suppress_below %d: comment shown %v, performance %v, NPS %v", suppress, shown, cc.Performance, cc.NPS)
		}
		if s := res.Report.Stats; suppress == 8 && (s.SuppressedCells != 4 || s.SuppressedNPS != 2) {
			t.Errorf("stats %+v, want 4 cells (two waves × two attributes) and 2 NPS suppressed", s)
		}
	}
}
