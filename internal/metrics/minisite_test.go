package metrics

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics/metricstest"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// miniSite is, written by hand, the model.Site that the fixture
// fixtures/mini-site loads to (site.toml, data/brands/acme.toml,
// data/journeys/onboarding.toml, data/actors.toml, data/measures/*.csv,
// data/responses/call-centre.csv). Written out rather than loaded so
// that this package's test does not depend on load: a difference here is
// a metrics bug, not a loader bug.
func miniSite() *model.Site {
	f := func(v float64) *float64 { return &v }
	site := &model.Site{
		Config: model.Config{
			Title:     "Mini alignment report",
			Theme:     "default",
			Brand:     "acme",
			Waves:     []string{"2025-H2", "2026-H1"},
			Scale:     model.Scale{Min: 1, Max: 5},
			Tolerance: 0.5,
			Crosshair: "mean",
			Output:    "public",
		},
		Waves: []string{"2025-H2", "2026-H1"},
		Brands: []*model.Brand{{
			ID:      "acme",
			Name:    "Acme Supplies",
			Promise: "We are there when your shop needs us, and we say things plainly.",
			Values:  []string{"Reliability", "Plain speaking"},
			Attributes: []*model.Attribute{
				{ID: "be-there", Name: "Be There", Weight: 2},
				{ID: "clarity", Name: "Clarity", Weight: 1}, // weight defaulted
			},
			Personas: []*model.Persona{{ID: "owner", Name: "Shop owner"}},
		}},
		Journeys: []*model.Journey{{
			ID:      "onboarding",
			Title:   "Becoming a customer",
			Brand:   "acme",
			Persona: "owner",
			Stages:  []string{"Discover", "Join", "Get help"},
			// In stage order, file order within a stage, as the loader
			// sorts them: the invoice (Join) comes before the call centre
			// (Get help) although the file lists it last.
			Touchpoints: []*model.Touchpoint{
				{
					ID: "ad", Name: "Radio advert", Stage: "Discover", Channel: "Broadcast",
					Owner: "marketing", Visibility: "frontstage", Importance: 3, Emotion: f(1),
					Promise:      map[string]float64{"be-there": 4.5, "clarity": 4.0},
					PromiseOrder: []string{"be-there", "clarity"},
				},
				{
					ID: "welcome-pack", Name: "Welcome pack delivery", Stage: "Join", Channel: "Post",
					Owner: "courier", Contributors: []string{"marketing"}, Visibility: "frontstage",
					Importance: 2, Emotion: f(2),
					Promise:      map[string]float64{"be-there": 4.0, "clarity": 4.5},
					PromiseOrder: []string{"be-there", "clarity"},
				},
				{
					ID: "invoice", Name: "First invoice", Stage: "Join", Channel: "Email",
					Owner: "finance", Visibility: "backstage", Importance: 4, Emotion: f(-1),
					Promise:      map[string]float64{"clarity": 4.5},
					PromiseOrder: []string{"clarity"},
				},
				{
					ID: "call-centre", Name: "Call centre", Stage: "Get help", Channel: "Phone",
					Owner: "service", Visibility: "frontstage", Importance: 5, Emotion: f(-2),
					Promise:      map[string]float64{"be-there": 5.0, "clarity": 4.0},
					PromiseOrder: []string{"be-there", "clarity"},
				},
			},
		}},
		Actors: []*model.Actor{
			{ID: "marketing", Name: "Marketing", Kind: "department", Role: "backstage"},
			{ID: "service", Name: "Customer service", Kind: "department", Role: "frontstage"},
			{ID: "courier", Name: "Courier partner", Kind: "partner", Role: "frontstage"},
			{ID: "finance", Name: "Finance", Kind: "department", Role: "backstage"},
		},
		Cells: map[model.CellKey]*model.Cell{},
		NPS:   map[model.TouchKey]*model.NPSCounts{},
	}

	cell := func(wave, tp, attr string, c *model.Cell) {
		site.Cells[model.CellKey{Wave: wave, Journey: "onboarding", Touchpoint: tp, Attribute: attr}] = c
	}
	inline := func(mean float64) *model.Cell { return &model.Cell{Mean: mean, Kind: model.FromInline} }
	measured := func(mean float64, n int, sd float64) *model.Cell {
		return &model.Cell{Mean: mean, N: n, SD: sd, HasStats: true, Kind: model.FromMeasures}
	}
	responses := func(answers ...float64) *model.Cell {
		m, sd := sampleStats(answers)
		return &model.Cell{Mean: m, N: len(answers), SD: sd, HasStats: true, Kind: model.FromResponses}
	}

	// Inline experience belongs to the last wave.
	cell("2026-H1", "ad", "be-there", inline(3.5))
	cell("2026-H1", "ad", "clarity", inline(4.2))
	cell("2026-H1", "invoice", "clarity", inline(3.0))
	// data/measures/2026-H1.csv
	cell("2026-H1", "welcome-pack", "be-there", measured(4.2, 60, 0.8))
	cell("2026-H1", "welcome-pack", "clarity", measured(4.6, 60, 0.5))
	// data/measures/2025-H2.csv; the welcome pack rows have no n and sd.
	cell("2025-H2", "ad", "be-there", measured(3.1, 120, 0.9))
	cell("2025-H2", "ad", "clarity", measured(3.8, 120, 0.7))
	cell("2025-H2", "welcome-pack", "be-there", &model.Cell{Mean: 3.9, Kind: model.FromMeasures})
	cell("2025-H2", "welcome-pack", "clarity", &model.Cell{Mean: 4.4, Kind: model.FromMeasures})
	cell("2025-H2", "invoice", "clarity", measured(2.6, 80, 1.1))
	// data/responses/call-centre.csv, empty answers left out.
	cell("2026-H1", "call-centre", "be-there", responses(4, 3, 5, 2, 4, 3, 4))
	cell("2026-H1", "call-centre", "clarity", responses(4, 4, 5, 3, 4, 5, 3))
	cell("2025-H2", "call-centre", "be-there", responses(2, 3, 3))
	cell("2025-H2", "call-centre", "clarity", responses(3, 4))
	// recommend 9, 8, 10, 3, 9, 7, 6 and 4, 7, 6.
	site.NPS[model.TouchKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call-centre"}] =
		&model.NPSCounts{Promoters: 3, Passives: 2, Detractors: 2}
	site.NPS[model.TouchKey{Wave: "2025-H2", Journey: "onboarding", Touchpoint: "call-centre"}] =
		&model.NPSCounts{Promoters: 0, Passives: 1, Detractors: 2}
	return site
}

// TestMiniSite checks every figure of the fixture against
// mini-site.expected.json (testdata holds a copy of
// fixtures/mini-site.expected.json).
func TestMiniSite(t *testing.T) {
	want, err := os.ReadFile("testdata/mini-site.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(Compute(miniSite(), ""), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	metricstest.CompareJSON(t, got, want, 1e-9)
}

// TestMiniSiteExtras checks the figures the Report has beyond §6, which
// the expected file does not hold.
func TestMiniSiteExtras(t *testing.T) {
	r := Compute(miniSite(), "2026-H1")
	j := r.Journeys[0]
	// 79.49579831932773 − 68.3578431372549
	if j.Delta == nil || !near(*j.Delta, 79.49579831932773-68.3578431372549, 1e-12) {
		t.Errorf("delta = %v, want 11.138", j.Delta)
	}
	// Mean performance of 3.7333, 4.3333, 3.0, 3.7143 and mean importance
	// of 3, 2, 4, 5.
	wantX := (3.733333333333333 + 4.333333333333333 + 3.0 + 3.714285714285714) / 4
	if j.Crosshair == nil || !near(j.Crosshair.X, wantX, 1e-12) || j.Crosshair.Y != 3.5 {
		t.Errorf("crosshair = %+v, want {%v 3.5}", j.Crosshair, wantX)
	}
	// Touchpoint promise (weights 2, 1) and the verdict on the weighted
	// gap (perf − promise, tolerance 0.5) against the crosshair's
	// importance 3.5 (SPEC §9).
	wantTP := []struct {
		promise, gap     float64
		status, priority string
	}{
		{(2*4.5 + 4.0) / 3, 3.733333333333333 - 13.0/3, StatusOverpromised, PriorityFixNext}, // importance 3
		{(2*4.0 + 4.5) / 3, 4.333333333333333 - 12.5/3, StatusAligned, PriorityKeep},
		{4.5, 3.0 - 4.5, StatusOverpromised, PriorityFixFirst},                                // importance 4
		{(2*5.0 + 4.0) / 3, 3.714285714285714 - 14.0/3, StatusOverpromised, PriorityFixFirst}, // importance 5
	}
	for i, w := range wantTP {
		tp := j.Touchpoints[i]
		if tp.Promise == nil || !near(*tp.Promise, w.promise, 1e-12) || tp.Gap == nil || !near(*tp.Gap, w.gap, 1e-12) ||
			tp.Status != w.status || tp.Priority != w.priority {
			t.Errorf("%s: promise %v gap %v %q %q, want %v %v %q %q", tp.ID, tp.Promise, tp.Gap, tp.Status, tp.Priority,
				w.promise, w.gap, w.status, w.priority)
		}
	}
	if sd := j.Touchpoints[1].Attributes[0].SD; sd == nil || *sd != 0.8 {
		t.Errorf("welcome-pack be-there sd = %v, want 0.8", sd)
	}
	b := r.Brands[0]
	if len(b.Trend) != 2 || b.Trend[0].Alignment != j.Trend[0].Alignment || b.Trend[1].Alignment != j.Trend[1].Alignment ||
		*b.Trend[1].Delta != *j.Trend[1].Delta || *b.Delta != *j.Delta {
		t.Errorf("brand trend %v, want the journey's %v (one journey)", b.Trend, j.Trend)
	}
	if len(b.Attributes) != 2 || *b.Attributes[0].Promise != 4.65 {
		t.Errorf("brand attributes %+v, want the journey's", b.Attributes)
	}
	var marketing *ActorReport
	for _, a := range r.Actors {
		if a.ID == "marketing" {
			marketing = a
		}
	}
	if marketing == nil || len(marketing.Contributes) != 1 || marketing.Contributes[0] != "onboarding/welcome-pack" {
		t.Errorf("marketing contributes %+v, want [onboarding/welcome-pack]", marketing)
	}
}

// TestMiniSitePreviousWave computes the report as of 2025-H2: the trend
// stops at that wave, so there is no delta.
func TestMiniSitePreviousWave(t *testing.T) {
	r := Compute(miniSite(), "2025-H2")
	j := r.Journeys[0]
	if r.Wave != "2025-H2" || len(j.Trend) != 1 || j.Delta != nil {
		t.Fatalf("wave %q trend %v delta %v; want 2025-H2, one point, no delta", r.Wave, j.Trend, j.Delta)
	}
	if j.Alignment == nil || !near(*j.Alignment, 68.3578431372549, 1e-9) {
		t.Errorf("alignment = %v, want 68.3578431372549", j.Alignment)
	}
	cc := j.Touchpoints[3]
	// recommend 4, 7, 6: no promoters, two detractors → −66.67.
	if cc.NPS == nil || cc.NPS.N != 3 || !near(cc.NPS.Score, -200.0/3, 1e-12) {
		t.Errorf("call-centre NPS = %+v, want −66.67 of 3", cc.NPS)
	}
	// clarity from 3, 4: n 2, mean 3.5.
	cl := cc.Attributes[1]
	if cl.N == nil || *cl.N != 2 || *cl.Experience != 3.5 || cl.CI == nil {
		t.Errorf("call-centre clarity = %+v, want n 2, mean 3.5 with a CI", cl)
	}
	// The welcome pack's 2025-H2 rows have no n and sd.
	wp := j.Touchpoints[1].Attributes[0]
	if wp.N != nil || wp.SD != nil || wp.CI != nil || wp.Experience == nil || *wp.Experience != 3.9 {
		t.Errorf("welcome-pack be-there = %+v, want 3.9 without n, sd, ci", wp)
	}
}
