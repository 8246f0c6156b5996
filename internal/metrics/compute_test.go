package metrics

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics/metricstest"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// siteBuilder keeps the hand-built sites of these tests short.
type siteBuilder struct{ site *model.Site }

func newSite(min, max, tol float64, waves ...string) *siteBuilder {
	return &siteBuilder{site: &model.Site{
		Config: model.Config{Scale: model.Scale{Min: min, Max: max}, Tolerance: tol, Crosshair: "mean"},
		Waves:  waves,
		Cells:  map[model.CellKey]*model.Cell{},
		NPS:    map[model.TouchKey]*model.NPSCounts{},
	}}
}

// attrs is "id:weight" pairs in brand order.
func (b *siteBuilder) brand(id string, attrs ...any) *siteBuilder {
	br := &model.Brand{ID: id}
	for i := 0; i < len(attrs); i += 2 {
		br.Attributes = append(br.Attributes, &model.Attribute{ID: attrs[i].(string), Weight: attrs[i+1].(float64)})
	}
	b.site.Brands = append(b.site.Brands, br)
	return b
}

func (b *siteBuilder) journey(id, brand string, tps ...*model.Touchpoint) *siteBuilder {
	b.site.Journeys = append(b.site.Journeys, &model.Journey{ID: id, Brand: brand, Touchpoints: tps})
	return b
}

func (b *siteBuilder) actors(ids ...string) *siteBuilder {
	for _, id := range ids {
		b.site.Actors = append(b.site.Actors, &model.Actor{ID: id})
	}
	return b
}

func (b *siteBuilder) cell(wave, j, t, a string, mean float64) *siteBuilder {
	b.site.Cells[model.CellKey{Wave: wave, Journey: j, Touchpoint: t, Attribute: a}] = &model.Cell{Mean: mean}
	return b
}

func (b *siteBuilder) stats(wave, j, t, a string, mean float64, n int, sd float64) *siteBuilder {
	b.site.Cells[model.CellKey{Wave: wave, Journey: j, Touchpoint: t, Attribute: a}] =
		&model.Cell{Mean: mean, N: n, SD: sd, HasStats: true, Kind: model.FromMeasures}
	return b
}

// tp makes a touchpoint; promise is "attribute", value pairs.
func tp(id, stage, owner string, importance float64, promise ...any) *model.Touchpoint {
	t := &model.Touchpoint{ID: id, Stage: stage, Owner: owner, Importance: importance, Promise: map[string]float64{}}
	for i := 0; i < len(promise); i += 2 {
		a := promise[i].(string)
		t.Promise[a] = promise[i+1].(float64)
		t.PromiseOrder = append(t.PromiseOrder, a)
	}
	return t
}

func marshal(t *testing.T, r *Report) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

// tenSite is a 0..10 scale with fractional weights (x 0.5, y 1.5),
// tolerance 1, two waves, and touchpoints with every shape of data:
//
//	t1  importance 8, P x 8 y 6, E x 6 (n 10, sd 2) y 7 (n 1)
//	t2  importance 5 (the loader's default: the midpoint of 0..10),
//	    P x 5 y 9, E y 6 only, from a measures row without n and sd
//	t3  importance 2, P x 4, no experience, but NPS answers
//	t4  importance 3, no promise, E x 9: experience without a promise
//
// In the previous wave w1 only t1 x was measured, at 7.
func tenSite() *model.Site {
	b := newSite(0, 10, 1, "w1", "w2").
		brand("b", "x", 0.5, "y", 1.5).
		actors("a2", "a0", "a1"). // not in id order: the report sorts them
		journey("j", "",          // no brand: the site's
			tp("t1", "s1", "a1", 8, "x", 8.0, "y", 6.0),
			tp("t2", "s2", "a1", model.Scale{Min: 0, Max: 10}.Mid(), "x", 5.0, "y", 9.0),
			tp("t3", "s2", "a2", 2, "x", 4.0),
			tp("t4", "s3", "a2", 3)).
		stats("w2", "j", "t1", "x", 6, 10, 2).
		stats("w2", "j", "t1", "y", 7, 1, 0).
		cell("w2", "j", "t2", "y", 6).
		cell("w2", "j", "t4", "x", 9).
		cell("w1", "j", "t1", "x", 7)
	b.site.Config.Brand = "b"
	b.site.Journeys[0].Touchpoints[0].Contributors = []string{"a2", "nobody"}
	b.site.NPS[model.TouchKey{Wave: "w2", Journey: "j", Touchpoint: "t3"}] = &model.NPSCounts{Promoters: 2, Passives: 1, Detractors: 1}
	// Answers of another wave must not leak into the current one.
	b.site.NPS[model.TouchKey{Wave: "w1", Journey: "j", Touchpoint: "t1"}] = &model.NPSCounts{Promoters: 9}
	return b.site
}

// TestTenPointScale works every figure of tenSite out by hand.
func TestTenPointScale(t *testing.T) {
	// Cells with both P and E (g = E − P, tolerance 1):
	//   t1 x: g −2 overpromised; t1 y: g +1 aligned; t2 y: g −3 overpromised.
	// t1: A = 100·(1 − (0.5·2 + 1.5·1)/(10·2)) = 87.5
	//     perf = (0.5·6 + 1.5·7)/2 = 6.75, promise = (0.5·8 + 1.5·6)/2 = 6.5
	//     shortfall = 0.5·2/2 = 0.5
	// t2: A = 100·(1 − 1.5·3/(10·1.5)) = 70, perf 6, promise 9, shortfall 3
	// A_J: Σ i·w·|g| = 8·0.5·2 + 8·1.5·1 + 5·1.5·3 = 8 + 12 + 22.5 = 42.5,
	//      Σ i·w = 4 + 12 + 7.5 = 23.5 → 100·(1 − 42.5/235) = 81.91489361702128
	// w1: t1 x only, g −1 → 100·(1 − 4·1/(10·4)) = 90; delta = −8.085106382978722
	// IPA at the means: x = (6.75 + 6)/2 = 6.375, y = (8 + 5)/2 = 6.5
	//     t1 (6.75, 8) keep-up; t2 (6, 5) low-priority
	// Attributes: x only t1 → P 8, E 6, C 100;
	//     y: P = (8·6 + 5·9)/13 = 93/13, E = (8·7 + 5·6)/13 = 86/13,
	//        sd_pop(7, 6) = 0.5 → C = 100·(1 − 0.5/5) = 90
	// t1 x CI: 6 ± t(0.975, 9)·2/√10, t = 2.262157162798205
	// t3 NPS: 2 of 4 promoters, 1 detractor → 25; var = 0.75 − 0.0625,
	//     SE = 100·√(0.6875/4) → [−56.2573073637073, 106.26 clipped to 100]
	// Loads: a1 = 8·0.5 + 5·3 = 19; a2 owns t3, t4 without data → 0; a0 owns nothing.
	// a2 contributes to t1: contributed = 8·0.5 = 4.
	// Verdicts (gap = perf − promise, tolerance 1, crosshair y 6.5):
	//     t1 6.75 − 6.5 = 0.25 aligned, keep (its x cell is overpromised,
	//     but the touchpoint's verdict is on its weighted gap);
	//     t2 6 − 9 = −3 overpromised, importance 5 < 6.5 → fix-next.
	// Delta over the cells both waves have (t1 x only, P 8, weight 8·0.5):
	//     w2 100·(1 − 2/10) = 80, w1 100·(1 − 1/10) = 90 → −10, not the
	//     −8.09 of the two trend points, which compare different cells.
	want := `{
	"scale": {"min": 0, "max": 10}, "tolerance": 1, "wave": "w2", "waves": ["w1", "w2"],
	"brands": [{"id": "b", "alignment": 81.91489361702128, "journeys": ["j"], "delta": -10, "delta_from": "w1",
		"trend": [{"wave": "w1", "alignment": 90}, {"wave": "w2", "alignment": 81.91489361702128, "delta": -10}],
		"attributes": [
			{"id": "x", "promise": 8, "experience": 6, "consistency": 100},
			{"id": "y", "promise": 7.153846153846154, "experience": 6.615384615384615, "consistency": 90}]}],
	"journeys": [{
		"id": "j", "brand": "b", "alignment": 81.91489361702128, "delta": -10, "delta_from": "w1",
		"trend": [{"wave": "w1", "alignment": 90}, {"wave": "w2", "alignment": 81.91489361702128, "delta": -10}],
		"crosshair": {"x": 6.375, "y": 6.5},
		"touchpoints": [
			{"id": "t1", "stage": "s1", "owner": "a1", "importance": 8,
			 "attributes": [
				{"id": "x", "promise": 8, "experience": 6, "gap": -2, "status": "overpromised",
				 "n": 10, "sd": 2, "ci": [4.569286188058671, 7.430713811941329]},
				{"id": "y", "promise": 6, "experience": 7, "gap": 1, "status": "aligned", "n": 1}],
			 "alignment": 87.5, "performance": 6.75, "promise": 6.5, "shortfall": 0.5,
			 "gap": 0.25, "status": "aligned", "priority": "keep", "quadrant": "keep-up"},
			{"id": "t2", "stage": "s2", "owner": "a1", "importance": 5,
			 "attributes": [
				{"id": "x", "promise": 5},
				{"id": "y", "promise": 9, "experience": 6, "gap": -3, "status": "overpromised"}],
			 "alignment": 70, "performance": 6, "promise": 9, "shortfall": 3,
			 "gap": -3, "status": "overpromised", "priority": "fix-next", "quadrant": "low-priority"},
			{"id": "t3", "stage": "s2", "owner": "a2", "importance": 2,
			 "attributes": [{"id": "x", "promise": 4}],
			 "nps": {"score": 25, "n": 4, "ci": [-56.2573073637073, 100]}},
			{"id": "t4", "stage": "s3", "owner": "a2", "importance": 3,
			 "attributes": [{"id": "x", "experience": 9}]}],
		"attributes": [
			{"id": "x", "promise": 8, "experience": 6, "consistency": 100},
			{"id": "y", "promise": 7.153846153846154, "experience": 6.615384615384615, "consistency": 90}]}],
	"actors": [
		{"id": "a0", "load": 0, "touchpoints": []},
		{"id": "a1", "load": 19, "touchpoints": ["j/t1", "j/t2"]},
		{"id": "a2", "load": 0, "touchpoints": ["j/t3", "j/t4"], "contributes": ["j/t1"], "contributed": 4}]
}`
	got := marshal(t, Compute(tenSite(), ""))
	metricstest.CompareJSON(t, got, []byte(want), 1e-12)

	// CompareJSON lets the Report's extra keys through when the expected
	// document lacks them, so check directly that a touchpoint without
	// data has none of the figures, in the struct and in the JSON.
	var doc struct {
		Journeys []struct {
			Touchpoints []map[string]json.RawMessage `json:"touchpoints"`
		} `json:"journeys"`
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{2, 3} {
		m := doc.Journeys[0].Touchpoints[i]
		for _, k := range []string{"alignment", "performance", "promise", "shortfall", "status", "quadrant"} {
			if v, ok := m[k]; ok {
				t.Errorf("touchpoint %d without data has %s = %s, want it omitted", i, k, v)
			}
		}
	}
	if strings.Contains(string(got), "NaN") || strings.Contains(string(got), "null") {
		t.Errorf("JSON has NaN or null: %s", got)
	}
}

// TestWaveAsOf computes tenSite as of w1: the trend stops at w1, so
// there is no delta, and only t1 x has data.
func TestWaveAsOf(t *testing.T) {
	r := Compute(tenSite(), "w1")
	j := r.Journeys[0]
	if r.Wave != "w1" || len(r.Waves) != 2 {
		t.Errorf("wave %q waves %v, want w1 of [w1 w2]", r.Wave, r.Waves)
	}
	if j.Alignment == nil || *j.Alignment != 90 || len(j.Trend) != 1 || j.Delta != nil {
		t.Errorf("alignment %v trend %v delta %v, want 90, [w1 90], none", j.Alignment, j.Trend, j.Delta)
	}
	t1 := j.Touchpoints[0]
	// t1 x: P 8, E 7, g −1 (aligned at tolerance 1):
	// A = 100·(1 − 0.5·1/(10·0.5)) = 90, perf 7, promise 8, shortfall 1.
	if *t1.Alignment != 90 || *t1.Performance != 7 || *t1.Promise != 8 || *t1.Shortfall != 1 || t1.Status != StatusAligned {
		t.Errorf("t1 = %+v", t1)
	}
	// The w1 answers, not w2's.
	if t1.NPS == nil || t1.NPS.Score != 100 || t1.NPS.N != 9 {
		t.Errorf("t1 NPS = %+v, want 100 of 9", t1.NPS)
	}
	if r.Journeys[0].Touchpoints[2].NPS != nil {
		t.Error("t3 has an NPS in w1, want none")
	}
	// One touchpoint with a performance: the crosshair is on it, and a
	// point on the lines is high & high.
	if j.Crosshair == nil || *j.Crosshair != (Point{X: 7, Y: 8}) || t1.Quadrant != QuadrantKeepUp {
		t.Errorf("crosshair %v quadrant %q, want {7 8} keep-up", j.Crosshair, t1.Quadrant)
	}
	// t2 has data only in w2.
	if t2 := j.Touchpoints[1]; t2.Alignment != nil || t2.Quadrant != "" || len(t2.Attributes) != 2 || t2.Attributes[1].Experience != nil {
		t.Errorf("t2 in w1 = %+v, want promises only", t2)
	}
}

func TestMidpointCrosshair(t *testing.T) {
	site := tenSite()
	site.Config.Crosshair = "midpoint"
	j := Compute(site, "").Journeys[0]
	// Crosshair (5, 5): t1 (6.75, 8) keep-up; t2 (6, 5) is on the
	// importance line, so high importance: keep-up.
	if j.Crosshair == nil || *j.Crosshair != (Point{X: 5, Y: 5}) {
		t.Errorf("crosshair = %v, want {5 5}", j.Crosshair)
	}
	for i, want := range []string{QuadrantKeepUp, QuadrantKeepUp, "", ""} {
		if got := j.Touchpoints[i].Quadrant; got != want {
			t.Errorf("touchpoint %d quadrant %q, want %q", i, got, want)
		}
	}
}

// TestTwoBrands: a brand's index is one sum over all its journeys'
// cells, not the mean of its journeys' indices; journeys go to their own
// brand; a brand without journeys has no figures.
func TestTwoBrands(t *testing.T) {
	site := newSite(1, 5, 0.5, "w").
		brand("p", "a", 1.0).
		brand("q", "a", 1.0, "b", 1.0).
		brand("r", "a", 1.0).
		actors().
		journey("j1", "p", tp("t", "s", "", 1, "a", 5.0)).
		journey("j2", "q",
			tp("u", "s", "", 3, "a", 4.0, "b", 3.0),
			tp("v", "s", "", 2, "a", 3.0, "b", 3.0)).
		journey("j3", "p", tp("t", "s", "", 3, "a", 4.0)).
		cell("w", "j1", "t", "a", 4).
		cell("w", "j2", "u", "a", 2).
		cell("w", "j2", "u", "b", 4).
		cell("w", "j2", "v", "a", 4).
		cell("w", "j2", "v", "b", 3).
		cell("w", "j3", "t", "a", 4).
		site
	r := Compute(site, "")

	// j1: i 1, |g| 1 → 100·(1 − 1/4) = 75; j3: i 3, g 0 → 100.
	// p pooled: Σ i·w·|g| = 1, Σ i·w = 4 → 100·(1 − 1/16) = 93.75
	// (the mean of the journey indices would be 87.5).
	// j2 = q: u a g −2, u b g +1, v a g +1, v b g 0;
	//   Σ i·w·|g| = 3·2 + 3·1 + 2·1 + 0 = 11, Σ i·w = 3 + 3 + 2 + 2 = 10
	//   → 100·(1 − 11/40) = 72.5.
	wantJ := []float64{75, 72.5, 100}
	for i, w := range wantJ {
		if a := r.Journeys[i].Alignment; a == nil || !near(*a, w, 1e-12) {
			t.Errorf("journey %s alignment %v, want %v", r.Journeys[i].ID, a, w)
		}
	}
	wantB := []struct {
		id        string
		alignment *float64
		journeys  string
	}{
		{"p", ptr(93.75), "j1 j3"},
		{"q", ptr(72.5), "j2"},
		{"r", nil, ""},
	}
	for i, w := range wantB {
		b := r.Brands[i]
		if b.ID != w.id || strings.Join(b.Journeys, " ") != w.journeys ||
			(w.alignment == nil) != (b.Alignment == nil) ||
			(w.alignment != nil && !near(*b.Alignment, *w.alignment, 1e-12)) {
			t.Errorf("brand %d = %s %v %v, want %s %v %v", i, b.ID, b.Alignment, b.Journeys, w.id, w.alignment, w.journeys)
		}
	}
	// p's attribute a over j1 t (i 1, P 5, E 4) and j3 t (i 3, P 4, E 4):
	// P = (5 + 12)/4 = 4.25, E = 4, values 4, 4 → C 100.
	pa := r.Brands[0].Attributes
	if len(pa) != 1 || *pa[0].Promise != 4.25 || *pa[0].Experience != 4 || *pa[0].Consistency != 100 {
		t.Errorf("brand p attributes %+v", pa)
	}
	if br := r.Brands[2]; len(br.Trend) != 0 || len(br.Attributes) != 0 {
		t.Errorf("brand r trend %v attributes %v, want none", br.Trend, br.Attributes)
	}
	// One verdict per touchpoint, on its weighted gap, not its worst
	// cell: u has an overpromised cell (a −2) and an undersold one, yet
	// perf 3 − promise 3.5 = −0.5 is on the tolerance line → aligned;
	// v (perf 3.5, promise 3) is +0.5 → aligned too.
	for i, want := range []float64{-0.5, 0.5} {
		tr := r.Journeys[1].Touchpoints[i]
		if tr.Gap == nil || !near(*tr.Gap, want, 1e-12) || tr.Status != StatusAligned || tr.Priority != PriorityKeep {
			t.Errorf("%s gap %v status %q priority %q, want %v aligned keep", tr.ID, tr.Gap, tr.Status, tr.Priority, want)
		}
	}
	if c := r.Journeys[1].Touchpoints[0].Attributes[0]; c.Status != StatusOverpromised {
		t.Errorf("u's cell a status %q, want overpromised (cells keep their own)", c.Status)
	}
	// One wave: a trend of one point and no delta.
	if j := r.Journeys[0]; len(j.Trend) != 1 || j.Delta != nil {
		t.Errorf("j1 trend %v delta %v, want one point, no delta", j.Trend, j.Delta)
	}
	got := string(marshal(t, r))
	// r has no alignment: null, never 0.
	if !strings.Contains(got, `{"id":"r","alignment":null,"journeys":[]}`) {
		t.Errorf("brand r marshals as %s", got[strings.Index(got, `{"id":"r"`):])
	}
}

// TestAbsentFiguresNeverNaN: weights and importances that sum to 0
// leave figures undefined; they must be absent, never NaN (which would
// not marshal) nor 0.
func TestAbsentFiguresNeverNaN(t *testing.T) {
	site := newSite(0, 10, 1, "w").
		brand("b", "a", 0.0).
		journey("j", "b", tp("t", "s", "", 0, "a", 5.0)).
		cell("w", "j", "t", "a", 3).
		site
	r := Compute(site, "")
	j := r.Journeys[0]
	tr := j.Touchpoints[0]
	if j.Alignment != nil || len(j.Trend) != 0 || tr.Alignment != nil || tr.Performance != nil || tr.Shortfall != nil || tr.Quadrant != "" {
		t.Errorf("zero weights: journey %+v touchpoint %+v, want no figures", j, tr)
	}
	// The cell itself is known: gap −2, overpromised.
	if c := tr.Attributes[0]; c.Gap == nil || *c.Gap != -2 || c.Status != StatusOverpromised {
		t.Errorf("cell %+v, want gap −2 overpromised", c)
	}
	b := marshal(t, r)
	if strings.Contains(string(b), "NaN") {
		t.Errorf("JSON has NaN: %s", b)
	}
	// Attribute with cells but zero importance: listed, consistency known,
	// means undefined.
	if as := j.Attributes; len(as) != 1 || as[0].Promise != nil || as[0].Consistency == nil || *as[0].Consistency != 100 {
		t.Errorf("attributes %+v", as)
	}
}

func TestEmptySite(t *testing.T) {
	got := marshal(t, Compute(&model.Site{}, ""))
	want := `{"scale":{"min":0,"max":0},"tolerance":0,"wave":"","waves":[],"brands":[],"journeys":[],"actors":[],"stats":{"min_base":0,"suppress_below":0,"confidence":0.95,"suppressed_cells":0,"suppressed_nps":0}}`
	if string(got) != want {
		t.Errorf("empty site:\n got %s\nwant %s", got, want)
	}
}

// TestUnknownWave: a wave outside the order (the CLI validates it; the
// function must still not fail) sees every wave's trend but has no
// figures of its own.
func TestUnknownWave(t *testing.T) {
	r := Compute(tenSite(), "w9")
	j := r.Journeys[0]
	if r.Wave != "w9" || j.Alignment != nil || len(j.Trend) != 2 || j.Delta != nil {
		t.Errorf("wave %q alignment %v trend %v delta %v", r.Wave, j.Alignment, j.Trend, j.Delta)
	}
}

// TestComputeDoesNotAlias: the report owns its slices, so a caller that
// edits it does not change the site.
func TestComputeDoesNotAlias(t *testing.T) {
	site := tenSite()
	r := Compute(site, "")
	r.Waves[0] = "changed"
	if site.Waves[0] != "w1" {
		t.Error("Report.Waves aliases Site.Waves")
	}
}

func TestAssessments(t *testing.T) {
	site := &model.Site{Assessments: []*model.Assessment{{
		ID: "maturity",
		Pillars: []*model.Pillar{
			{Name: "Intimacy", Criteria: []*model.Criterion{{Current: 2, Target: 4}, {Current: 3, Target: 5}}},
			{Name: "Empty"}, // no criteria: no mean, left out
			{Name: "Delivery", Criteria: []*model.Criterion{{Current: 1.5, Target: 4}}},
		},
	}}}
	r := Compute(site, "")
	want := []PillarReport{{"Intimacy", 2.5, 4.5}, {"Delivery", 1.5, 4}}
	if len(r.Assessments) != 1 || r.Assessments[0].ID != "maturity" || len(r.Assessments[0].Pillars) != len(want) {
		t.Fatalf("assessments %+v", r.Assessments)
	}
	for i, w := range want {
		if got := r.Assessments[0].Pillars[i]; got != w {
			t.Errorf("pillar %d = %+v, want %+v", i, got, w)
		}
	}
	if Compute(&model.Site{}, "").Assessments != nil {
		t.Error("no assessments: want none in the report")
	}
}

// TestTouchpointOrder: touchpoints keep the journey's (stage) order and
// cells follow the brand's attribute order, not the promise's.
func TestTouchpointOrder(t *testing.T) {
	site := newSite(1, 5, 0.5, "w").
		brand("b", "c", 1.0, "a", 1.0, "b", 1.0).
		journey("j", "b", tp("z", "s1", "", 3, "b", 3.0, "a", 3.0), tp("y", "s2", "", 3)).
		cell("w", "j", "z", "c", 4).
		site
	r := Compute(site, "")
	tps := r.Journeys[0].Touchpoints
	if tps[0].ID != "z" || tps[1].ID != "y" {
		t.Errorf("touchpoints %s %s, want z y", tps[0].ID, tps[1].ID)
	}
	var ids []string
	for _, c := range tps[0].Attributes {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, " ") != "c a b" {
		t.Errorf("cells %v, want c a b", ids)
	}
	// No cell has both P and E: no figures, no journey attributes.
	if tps[0].Alignment != nil || len(r.Journeys[0].Attributes) != 0 {
		t.Errorf("touchpoint %+v attributes %+v, want none", tps[0], r.Journeys[0].Attributes)
	}
}

// TestEmptyCurrentWaveHasNoDelta pins issue 12's home page that showed
// "–" beside "+13.4 since 2025-H2": with no data in the current wave,
// neither the journey nor the brand has a delta, whatever came before.
func TestEmptyCurrentWaveHasNoDelta(t *testing.T) {
	site := newSite(1, 5, 0.5, "w0", "w1", "w2").
		brand("b", "a", 1.0).
		actors().
		journey("j", "b", tp("t", "s", "", 3, "a", 4.0)).
		cell("w0", "j", "t", "a", 3).
		cell("w1", "j", "t", "a", 4).
		site
	r := Compute(site, "w2") // named: which wave is current by default is another rule
	j, b := r.Journeys[0], r.Brands[0]
	if j.Alignment != nil || b.Alignment != nil {
		t.Fatalf("alignment %v %v, want none in the empty wave", j.Alignment, b.Alignment)
	}
	if j.Delta != nil || j.DeltaFrom != "" || b.Delta != nil || b.DeltaFrom != "" {
		t.Errorf("delta journey %v from %q, brand %v from %q; want none", j.Delta, j.DeltaFrom, b.Delta, b.DeltaFrom)
	}
	// As of w1 the change is w1 − w0: 100 − 75.
	r = Compute(site, "w1")
	if b := r.Brands[0]; b.Delta == nil || *b.Delta != 25 || b.DeltaFrom != "w0" {
		t.Errorf("brand delta as of w1 = %v from %q, want +25 from w0", b.Delta, b.DeltaFrom)
	}
}

// TestPriority is the verdict table of SPEC §9.
func TestPriority(t *testing.T) {
	cross := Point{X: 3, Y: 3.5}
	for _, tt := range []struct {
		status string
		imp    float64
		want   string
	}{
		{StatusOverpromised, 4, PriorityFixFirst},
		{StatusOverpromised, 3.5, PriorityFixFirst}, // on the line counts as high
		{StatusOverpromised, 3.4, PriorityFixNext},
		{StatusAligned, 5, PriorityKeep},
		{StatusAligned, 1, PriorityKeep},
		{StatusUndersold, 5, PriorityTellMore},
		{"", 5, ""},
	} {
		if got := Priority(tt.status, tt.imp, cross); got != tt.want {
			t.Errorf("Priority(%q, %v) = %q, want %q", tt.status, tt.imp, got, tt.want)
		}
	}
}
