package charts

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// fixture is the small site under testdata/site, loaded and computed
// the way the build does it.
type fixture struct {
	site *model.Site
	ctx  Context
	mu   sync.Mutex
	reps map[string]*metrics.Report
}

func loadFixture(t testing.TB) *fixture {
	t.Helper()
	site, diags := load.Site("testdata/site")
	if diags.HasErrors() {
		t.Fatalf("loading the fixture site:\n%v", diags.Err())
	}
	addStats(site)
	f := &fixture{site: site, reps: map[string]*metrics.Report{}}
	f.ctx = Context{Site: site, Report: f.report}
	return f
}

func (f *fixture) report(wave string) (*metrics.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.reps[wave]; ok {
		return r, nil
	}
	r := metrics.Compute(f.site, wave)
	f.reps[wave] = r
	return r, nil
}

// pageSpecs are the twelve chart blocks of the fixture page, one per type.
func pageSpecs() []string {
	var out []string
	for _, typ := range Types() {
		body := fmt.Sprintf("type = %q\n", typ)
		out = append(out, body)
	}
	return out
}

// renderAll parses, resolves and renders every chart type for the
// fixture page (journey "onboarding"), as the build does.
func renderAll(t testing.TB, f *fixture) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i, body := range pageSpecs() {
		spec, err := ParseSpec([]byte(body), 10*i+1)
		if err != nil {
			t.Fatalf("ParseSpec(%q): %v", body, err)
		}
		spec, err = Resolve(spec, Defaults{Journey: "onboarding"}, f.ctx)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", body, err)
		}
		var b bytes.Buffer
		if err := Render(&b, spec, fmt.Sprintf("chart-%d", i+1), f.ctx); err != nil {
			t.Fatalf("Render(%s): %v", spec.Type, err)
		}
		out[spec.Type] = b.String()
	}
	return out
}

// optionOf extracts the option JSON of a rendered figure.
func optionOf(t testing.TB, figure string) string {
	t.Helper()
	const open = `<script type="application/json" data-chart-for="`
	i := strings.Index(figure, open)
	if i < 0 {
		t.Fatalf("no option script in %q", figure)
	}
	rest := figure[i+len(open):]
	rest = rest[strings.Index(rest, ">")+1:]
	return rest[:strings.Index(rest, "</script>")]
}

// addStats gives the fixture what its files cannot (the loader reads no
// segments or journey NPS from responses files): key-driver sums over 60
// complete rows, a journey NPS in both waves, and a segment "region"
// whose value "South" is below the base size.
func addStats(site *model.Site) {
	const cur, prev = "2026-H1", "2025-H2"
	var rows [][]float64
	for i := range 60 {
		x1, x2, x3 := float64(1+i%5), float64(1+(i*7/3)%5), float64(1+(i*3/2)%5)
		rows = append(rows, []float64{x1, x2, x3, math.Min(10, 2*x1+float64(int(x2)%3)+float64(i%2))})
	}
	if site.Drivers == nil {
		site.Drivers = map[model.JourneyKey]*model.DriverSums{}
	}
	site.Drivers[model.JourneyKey{Wave: cur, Journey: "onboarding"}] = metrics.DriverRows([]string{"be-there", "clarity", "warmth", "recommend"}, rows, nil)
	if site.JourneyNPS == nil {
		site.JourneyNPS = map[model.JourneyKey]*model.NPSCounts{}
	}
	site.JourneyNPS[model.JourneyKey{Wave: prev, Journey: "onboarding"}] = &model.NPSCounts{Promoters: 20, Passives: 30, Detractors: 50}
	site.JourneyNPS[model.JourneyKey{Wave: cur, Journey: "onboarding"}] = &model.NPSCounts{Promoters: 45, Passives: 30, Detractors: 25}
	seg := func(value string, n int, mean, nps float64) *model.Segment {
		s := &model.Segment{ID: "region", Value: value, Slug: strings.ToLower(value),
			Cells: map[model.CellKey]*model.Cell{}, NPS: map[model.TouchKey]*model.NPSCounts{},
			JourneyNPS: map[model.JourneyKey]*model.NPSCounts{}}
		for _, w := range []string{prev, cur} {
			for _, a := range []string{"be-there", "clarity", "warmth"} {
				s.Cells[model.CellKey{Wave: w, Journey: "onboarding", Touchpoint: "call-centre", Attribute: a}] = &model.Cell{Mean: mean, N: n, SD: 0.8, HasStats: true}
			}
		}
		p := int(float64(n) * (0.5 + nps/200))
		s.JourneyNPS[model.JourneyKey{Wave: cur, Journey: "onboarding"}] = &model.NPSCounts{Promoters: p, Detractors: n - p}
		s.NPS[model.TouchKey{Wave: cur, Journey: "onboarding", Touchpoint: "call-centre"}] = &model.NPSCounts{Promoters: p, Detractors: n - p}
		return s
	}
	site.Segments = []*model.Segment{seg("North", 80, 3.9, 20), seg("South", 12, 3.1, -30)}
}
