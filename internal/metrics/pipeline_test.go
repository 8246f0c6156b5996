package metrics

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// answer is one respondent's row at a touchpoint (tp "" is a
// relationship question of the journey, rec only).
type answer struct {
	wave, tp, region string
	w                float64
	x, y             float64 // 0 = not asked
	rec              int     // −1 = not asked
}

// pipelineAnswers are the raw rows of the whole-pipeline site: weighted
// answers in three waves at two touchpoints and for the journey.
//
//	t1 (importance 4, promises x and y): 60 rows in w2 and w3, 40 in w1;
//	   y not asked in w2 (so y has no change in w3: strictly the wave before)
//	t2 (importance 2, promises x): 10 rows in w2 and w3, far apart
//	   (small p, but low-base: never significant); 3 rows of y in w3
//	   (suppressed, and with it t2's verbatims in w3)
//	journey: 40 relationship recommend answers in w2 and w3
func pipelineAnswers() []answer {
	rng := rand.New(rand.NewPCG(11, 12))
	likert := func(m float64) float64 { return math.Max(1, math.Min(5, math.Round(m+rng.NormFloat64()))) }
	region := func() string {
		if rng.IntN(2) == 0 {
			return "north"
		}
		return "south"
	}
	var out []answer
	for _, wave := range []string{"w1", "w2", "w3"} {
		n, shift := 60, 0.0
		if wave == "w1" {
			n = 40
		}
		if wave == "w3" {
			shift = 0.6
		}
		for range n {
			x := likert(3 + shift)
			y := likert(2.8 + 0.5*(x-3))
			if wave == "w2" {
				y = 0
			}
			rec := int(math.Max(0, math.Min(10, math.Round(2*x+0.5*y+rng.NormFloat64()))))
			out = append(out, answer{wave, "t1", region(), 0.5 + 1.5*rng.Float64(), x, y, rec})
		}
	}
	for i := range 10 {
		out = append(out, answer{"w2", "t2", region(), 1 + float64(i%3), likert(2), 0, -1})
		out = append(out, answer{"w3", "t2", region(), 1 + float64(i%2), 5 - float64(i%4/3), 0, -1})
	}
	for i := range 3 {
		out = append(out, answer{"w3", "t2", "north", 1, 0, float64(3 + i), -1})
	}
	for _, wave := range []string{"w2", "w3"} {
		for range 40 {
			out = append(out, answer{wave, "", region(), 0.5 + rng.Float64(), 0, 0, rng.IntN(11)})
		}
	}
	return out
}

// pipelineData aggregates rows as a source does: a cell per (wave,
// touchpoint, attribute), NPS tallies, driver sums over complete rows.
func pipelineData(rows []answer, keep func(answer) bool) (cells map[model.CellKey]*model.Cell, nps map[model.TouchKey]*model.NPSCounts,
	jnps map[model.JourneyKey]*model.NPSCounts, drv map[model.JourneyKey]*model.DriverSums) {
	type key = model.CellKey
	xs, ws := map[key][]float64{}, map[key][]float64{}
	nps = map[model.TouchKey]*model.NPSCounts{}
	jnps = map[model.JourneyKey]*model.NPSCounts{}
	drv = map[model.JourneyKey]*model.DriverSums{}
	for _, r := range rows {
		if !keep(r) {
			continue
		}
		if r.tp == "" {
			k := model.JourneyKey{Wave: r.wave, Journey: "j"}
			if jnps[k] == nil {
				jnps[k] = &model.NPSCounts{}
			}
			jnps[k].AddNPS(r.rec, r.w)
			continue
		}
		for _, a := range []struct {
			id string
			v  float64
		}{{"x", r.x}, {"y", r.y}} {
			if a.v != 0 {
				k := key{Wave: r.wave, Journey: "j", Touchpoint: r.tp, Attribute: a.id}
				xs[k] = append(xs[k], a.v)
				ws[k] = append(ws[k], r.w)
			}
		}
		if r.rec >= 0 {
			k := model.TouchKey{Wave: r.wave, Journey: "j", Touchpoint: r.tp}
			if nps[k] == nil {
				nps[k] = &model.NPSCounts{}
			}
			nps[k].AddNPS(r.rec, r.w)
			if r.x != 0 && r.y != 0 {
				jk := model.JourneyKey{Wave: r.wave, Journey: "j"}
				if drv[jk] == nil {
					drv[jk] = model.NewDriverSums([]string{"x", "y", "recommend"})
				}
				drv[jk].Add([]float64{r.x, r.y, float64(r.rec)}, r.w)
			}
		}
	}
	cells = map[model.CellKey]*model.Cell{}
	for k := range xs {
		cells[k] = weightedCell(xs[k], ws[k])
	}
	return cells, nps, jnps, drv
}

func pipelineSite() (*model.Site, []answer) {
	rows := pipelineAnswers()
	all := func(answer) bool { return true }
	site := &model.Site{
		Config: model.Config{
			Scale: model.Scale{Min: 1, Max: 5}, Tolerance: 0.5, Crosshair: "mean", Importance: "derived",
			Stats: model.StatsConfig{MinBase: 30, SuppressBelow: 5, Confidence: 0.95},
		},
		Waves:  []string{"w1", "w2", "w3"},
		Brands: []*model.Brand{{ID: "b", Attributes: []*model.Attribute{{ID: "x", Weight: 1}, {ID: "y", Weight: 1}}}},
		Journeys: []*model.Journey{{ID: "j", Brand: "b", Touchpoints: []*model.Touchpoint{
			tp("t1", "s", "ops", 4, "x", 4.0, "y", 4.0),
			tp("t2", "s", "ops", 2, "x", 3.5),
		}}},
		Verbatims: map[model.TouchKey]*model.Verbatims{
			{Wave: "w3", Journey: "j", Touchpoint: "t1"}: {Total: 1, Comments: []model.Verbatim{{Text: "fine"}}},
			{Wave: "w3", Journey: "j", Touchpoint: "t2"}: {Total: 1, Comments: []model.Verbatim{{Text: "who I am"}}},
		},
		BrandNPS: map[model.BrandKey]*model.NPSCounts{
			{Wave: "w3", Brand: "b"}: {Promoters: 50, Passives: 30, Detractors: 20},
			{Wave: "w2", Brand: "b"}: {Promoters: 40, Passives: 30, Detractors: 30},
		},
	}
	site.Cells, site.NPS, site.JourneyNPS, site.Drivers = pipelineData(rows, all)
	for _, region := range []string{"north", "south"} {
		seg := &model.Segment{ID: "region", Value: region, Slug: region}
		seg.Cells, seg.NPS, seg.JourneyNPS, seg.Drivers = pipelineData(rows, func(a answer) bool { return a.region == region })
		site.Segments = append(site.Segments, seg)
	}
	return site, rows
}

// expectCell is a cell's figures computed from the rows by definition.
type expectCell struct {
	n                int
	mean, neff, s, t float64
}

func expect(rows []answer, wave, tp, attr, region string) expectCell {
	var xs, ws []float64
	for _, r := range rows {
		v := r.x
		if attr == "y" {
			v = r.y
		}
		if r.wave == wave && r.tp == tp && v != 0 && (region == "" || r.region == region) {
			xs = append(xs, v)
			ws = append(ws, r.w)
		}
	}
	if len(xs) == 0 {
		return expectCell{}
	}
	m, neff, s2 := weightedStats(xs, ws)
	return expectCell{n: len(xs), mean: m, neff: neff, s: math.Sqrt(s2),
		t: distuv.StudentsT{Mu: 0, Sigma: 1, Nu: neff - 1}.Quantile(0.975)}
}

// welchP is the two-sided p of Welch's test written out in full.
func welchP(a, b expectCell) float64 {
	v1, v2 := a.s*a.s/a.neff, b.s*b.s/b.neff
	tv := (b.mean - a.mean) / math.Sqrt(v1+v2)
	df := (v1 + v2) * (v1 + v2) / (v1*v1/(a.neff-1) + v2*v2/(b.neff-1))
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(tv))
}

// expectNPS is the weighted NPS and its SE from the rows by definition.
func expectNPS(rows []answer, wave, tp string) (score, se float64, n int) {
	var sw, sww, wp, wd float64
	for _, r := range rows {
		if r.wave != wave || r.tp != tp || r.rec < 0 {
			continue
		}
		n++
		sw += r.w
		sww += r.w * r.w
		if r.rec >= 9 {
			wp += r.w
		} else if r.rec <= 6 {
			wd += r.w
		}
	}
	p, d := wp/sw, wd/sw
	return 100 * (p - d), 100 * math.Sqrt((p+d-(p-d)*(p-d))/(sw*sw/sww)), n
}

// pearson is the weighted correlation of columns i and j of the complete
// t1 rows of wave, by definition.
func pearson(rows []answer, wave string, i, j int) float64 {
	col := func(r answer, k int) float64 { return []float64{r.x, r.y, float64(r.rec)}[k] }
	var sw, mi, mj float64
	var use []answer
	for _, r := range rows {
		if r.wave == wave && r.tp == "t1" && r.x != 0 && r.y != 0 && r.rec >= 0 {
			use = append(use, r)
			sw += r.w
			mi += r.w * col(r, i)
			mj += r.w * col(r, j)
		}
	}
	mi /= sw
	mj /= sw
	var cij, cii, cjj float64
	for _, r := range use {
		di, dj := col(r, i)-mi, col(r, j)-mj
		cij += r.w * di * dj
		cii += r.w * di * di
		cjj += r.w * dj * dj
	}
	return cij / math.Sqrt(cii*cjj)
}

func TestWholePipeline(t *testing.T) {
	site, rows := pipelineSite()
	r := Compute(site, "")
	// The t2/y cell of the whole site and of the north segment, and
	// t2/x in a region with fewer than five of its ten rows.
	small := 0
	for _, cells := range []map[model.CellKey]*model.Cell{site.Cells, site.Segments[0].Cells, site.Segments[1].Cells} {
		for _, c := range cells {
			if c.N < 5 {
				small++
			}
		}
	}
	if r.Wave != "w3" || r.Stats == nil || *r.Stats != (StatsReport{MinBase: 30, SuppressBelow: 5, Confidence: 0.95, SuppressedCells: small}) || small < 2 {
		t.Fatalf("wave %q stats %+v, want %d cells suppressed", r.Wave, r.Stats, small)
	}
	j := r.Journey("j")
	t1, t2 := j.Touchpoint("t1"), j.Touchpoint("t2")

	// t1/x: a weighted cell with a change since w2.
	cur, prev := expect(rows, "w3", "t1", "x", ""), expect(rows, "w2", "t1", "x", "")
	x := t1.Attributes[0]
	if x.ID != "x" || *x.N != cur.n || !near(*x.Experience, cur.mean, 1e-12) || x.NEff == nil || !near(*x.NEff, cur.neff, 1e-9) ||
		!near(*x.SD, cur.s, 1e-9) || *x.LowBase {
		t.Errorf("t1/x = %+v, want %+v", x, cur)
	}
	h := cur.t * cur.s / math.Sqrt(cur.neff)
	if x.CI == nil || !near(x.CI[0], cur.mean-h, 1e-9) || !near(x.CI[1], cur.mean+h, 1e-9) {
		t.Errorf("t1/x CI %v, want %v ± %v", x.CI, cur.mean, h)
	}
	p := welchP(prev, cur)
	if c := x.Change; c == nil || !near(c.From, prev.mean, 1e-12) || !near(c.Delta, cur.mean-prev.mean, 1e-12) ||
		!near(c.P, p, 1e-9) || c.Significant != (p < 0.05) || !c.Significant {
		t.Errorf("t1/x change %+v, want from %v p %v significant", c, prev.mean, p)
	}
	// t1/y: not asked in w2, so no change, not a fall-back to w1.
	if y := t1.Attributes[1]; y.ID != "y" || y.Change != nil || y.Experience == nil {
		t.Errorf("t1/y = %+v, want a figure without change", y)
	}

	// t2/x: ten answers, low-base; the interval clipped to the scale; a
	// change with a small p that is not significant.
	cur2, prev2 := expect(rows, "w3", "t2", "x", ""), expect(rows, "w2", "t2", "x", "")
	x2 := t2.Attributes[0]
	if !*x2.LowBase || *x2.N != 10 || x2.CI == nil || x2.CI[1] != 5 || cur2.mean+cur2.t*cur2.s/math.Sqrt(cur2.neff) <= 5 {
		t.Errorf("t2/x = %+v (CI %v), want low-base with its CI clipped at 5", x2, x2.CI)
	}
	if c := x2.Change; c == nil || !near(c.P, welchP(prev2, cur2), 1e-9) || c.P >= 0.05 || c.Significant {
		t.Errorf("t2/x change %+v, want p < 0.05 and not significant (low base)", c)
	}
	// t2/y: three answers, suppressed: gone, as are t2's verbatims.
	if len(t2.Attributes) != 1 {
		t.Errorf("t2 attributes %+v, want x only (y suppressed)", t2.Attributes)
	}
	sup, _ := Suppress(site)
	if sup.Verbatims[model.TouchKey{Wave: "w3", Journey: "j", Touchpoint: "t2"}] != nil ||
		sup.Verbatims[model.TouchKey{Wave: "w3", Journey: "j", Touchpoint: "t1"}] == nil {
		t.Errorf("verbatims after suppression: %v", sup.Verbatims)
	}
	if site.Cells[model.CellKey{Wave: "w3", Journey: "j", Touchpoint: "t2", Attribute: "y"}] == nil {
		t.Error("Suppress changed the site it was given")
	}

	// Weighted touchpoint NPS with its z-test change.
	s3, se3, n3 := expectNPS(rows, "w3", "t1")
	s2, se2, _ := expectNPS(rows, "w2", "t1")
	z := (s3 - s2) / math.Sqrt(se3*se3+se2*se2)
	pz := 2 * distuv.UnitNormal.CDF(-math.Abs(z))
	if n := t1.NPS; n == nil || n.N != n3 || !near(n.Score, s3, 1e-9) || !near(n.CI[0], math.Max(-100, s3-1.96*se3), 1e-9) ||
		n.NEff == nil || n.LowBase || n.Change == nil || !near(n.Change.P, pz, 1e-9) || !near(n.Change.From, s2, 1e-9) {
		t.Errorf("t1 NPS %+v, want %v (SE %v, n %d), change p %v", n, s3, se3, n3, pz)
	}
	// Journey NPS (relationship question) and brand NPS: the
	// FORMULA-VECTORS difference, w2 → w3 reversed (+20, p 0.079).
	js, jse, jn := expectNPS(rows, "w3", "")
	if n := j.NPS; n == nil || n.N != jn || !near(n.Score, js, 1e-9) || !near(n.CI[1], math.Min(100, js+1.96*jse), 1e-9) {
		t.Errorf("journey NPS %+v, want %v of %d", n, js, jn)
	}
	b := r.Brand("b")
	if n := b.NPS; n == nil || n.Score != 30 || n.Change == nil || !near(n.Change.P, 0.079411, 1e-6) || n.Change.Significant {
		t.Errorf("brand NPS %+v, want 30 with p 0.079411, not significant", n)
	}

	// Drivers over t1's complete rows of w3 (t2 never asks y).
	r1, r2, r12 := pearson(rows, "w3", 0, 2), pearson(rows, "w3", 1, 2), pearson(rows, "w3", 0, 1)
	R2 := (r1*r1 + r2*r2 - 2*r1*r2*r12) / (1 - r12*r12)
	share := []float64{(r1*r1 + R2 - r2*r2) / 2, (r2*r2 + R2 - r1*r1) / 2}
	d := j.Drivers
	if d == nil || d.N != 60 || !near(d.R2, R2, 1e-9) || !near(d.Attributes[0].R, r1, 1e-9) || !near(d.Attributes[1].R, r2, 1e-9) ||
		!near(*d.Attributes[0].Share, share[0], 1e-9) || !near(*d.Attributes[1].Share, share[1], 1e-9) {
		t.Fatalf("drivers %+v, want n 60 R² %v r %v %v shares %v", d, R2, r1, r2, share)
	}
	// Derived importance: t1 the mean share of x and y, t2 the share of
	// x, on 1..5 with the largest share at 5.
	top := math.Max(share[0], share[1])
	want1 := 1 + 4*(share[0]+share[1])/2/top
	want2 := 1 + 4*share[0]/top
	if t1.IPAImportance == nil || !near(*t1.IPAImportance, want1, 1e-9) || t2.IPAImportance == nil || !near(*t2.IPAImportance, want2, 1e-9) {
		t.Errorf("IPA importance %v %v, want %v %v", t1.IPAImportance, t2.IPAImportance, want1, want2)
	}
	if j.Crosshair == nil || !near(j.Crosshair.Y, (want1+want2)/2, 1e-9) || t1.Importance != 4 {
		t.Errorf("crosshair %+v, want y %v; stated importance kept (%v)", j.Crosshair, (want1+want2)/2, t1.Importance)
	}

	// Segments: one report per value, the same figures over its rows.
	if len(r.Segments) != 2 || r.Segment("region", "north") == nil {
		t.Fatalf("segments %+v", r.Segments)
	}
	for _, s := range r.Segments {
		e := expect(rows, "w3", "t1", "x", s.Value)
		sx := s.Journeys[0].Touchpoints[0].Attributes[0]
		if s.Segment != "region" || *sx.N != e.n || !near(*sx.Experience, e.mean, 1e-12) || !near(*sx.NEff, e.neff, 1e-9) ||
			len(s.Brands) != 1 || s.Journeys[0].NPS == nil {
			t.Errorf("segment %s: t1/x %+v, want %+v", s.Value, sx, e)
		}
	}

	// The JSON carries every §9 addition.
	js2, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"stats":{"min_base":30,"suppress_below":5,"confidence":0.95`, `"n_eff":`, `"low_base":true`,
		`"change":{"from":`, `"significant":true`, `"drivers":{"n":60,"r2":`, `"share":`, `"segments":[{"segment":"region"`,
		`"ipa_importance":`} {
		if !strings.Contains(string(js2), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

// TestChangeStrict: the previous wave is the declared one before; no
// data there means no change, whatever earlier waves hold. All weights
// 1 give §5's figures: Welch with n for n_eff.
func TestChangeStrict(t *testing.T) {
	b := newSite(1, 5, 0.5, "w1", "w2", "w3").brand("b", "x", 1.0).journey("j", "b", tp("t", "s", "o", 3, "x", 4.0))
	b.stats("w1", "j", "t", "x", 3.0, 50, 1)
	b.stats("w3", "j", "t", "x", 4.0, 50, 1)
	if c := Compute(b.site, "").Journeys[0].Touchpoints[0].Attributes[0].Change; c != nil {
		t.Errorf("change against w1 across an empty w2: %+v", c)
	}
	b.stats("w2", "j", "t", "x", 3.6, 40, 1.2)
	b.site.Config.Stats.MinBase = 30
	c := Compute(b.site, "").Journeys[0].Touchpoints[0].Attributes[0].Change
	_, _, p, _ := Welch(3.6, 1.2, 40, 4.0, 1, 50)
	if c == nil || c.From != 3.6 || !near(c.Delta, 0.4, 1e-12) || c.P != p || c.Significant != (p < 0.05) {
		t.Errorf("change %+v, want from 3.6 by 0.4 with p %v", c, p)
	}
	// confidence 0.8 makes p = 0.09 significant.
	b.site.Config.Stats.Confidence = 0.8
	if c := Compute(b.site, "").Journeys[0].Touchpoints[0].Attributes[0].Change; c == nil || !c.Significant || p < 0.05 || p >= 0.2 {
		t.Errorf("at 80%% confidence: %+v (p %v), want significant", c, p)
	}
	// The report as of w2 compares w2 with w1.
	if c := Compute(b.site, "w2").Journeys[0].Touchpoints[0].Attributes[0].Change; c == nil || c.From != 3.0 {
		t.Errorf("as of w2: %+v, want from 3.0", c)
	}
}

// TestSuppressionLeavesIndices: a suppressed cell leaves the index and
// trend as if it had never been there.
func TestSuppressionLeavesIndices(t *testing.T) {
	mk := func(withSmall bool, suppress int) *Report {
		b := newSite(1, 5, 0.5, "w1", "w2").brand("b", "x", 1.0, "y", 1.0).journey("j", "b", tp("t", "s", "o", 3, "x", 4.0, "y", 4.0))
		b.stats("w1", "j", "t", "x", 3.0, 50, 1)
		b.stats("w2", "j", "t", "x", 3.5, 50, 1)
		if withSmall {
			b.stats("w1", "j", "t", "y", 1.0, 3, 1)
			b.stats("w2", "j", "t", "y", 1.0, 4, 1)
		}
		b.site.NPS[model.TouchKey{Wave: "w2", Journey: "j", Touchpoint: "t"}] = &model.NPSCounts{Promoters: 2}
		b.site.Config.Stats.SuppressBelow = suppress
		return Compute(b.site, "")
	}
	clean, suppressed, kept := mk(false, 5), mk(true, 5), mk(true, 0)
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if js(clean.Journeys) != js(suppressed.Journeys) || js(clean.Brands) != js(suppressed.Brands) {
		t.Errorf("suppressed:\n%s\nwithout the cells:\n%s", js(suppressed.Journeys), js(clean.Journeys))
	}
	if s := suppressed.Stats; s.SuppressedCells != 2 || s.SuppressedNPS != 1 || suppressed.Journeys[0].Touchpoints[0].NPS != nil {
		t.Errorf("stats %+v, want 2 cells and 1 NPS suppressed", s)
	}
	if *kept.Journeys[0].Alignment == *clean.Journeys[0].Alignment || kept.Journeys[0].Touchpoints[0].NPS == nil {
		t.Error("without suppress_below the small cells should count")
	}
}

// TestNoWaves: a site without declared waves has its data under wave
// "" and no previous wave, so nothing is compared with itself.
func TestNoWaves(t *testing.T) {
	b := newSite(1, 5, 0.5).brand("b", "x", 1.0).journey("j", "b", tp("t", "s", "o", 3, "x", 4.0))
	b.stats("", "j", "t", "x", 3.0, 50, 1)
	b.site.NPS[model.TouchKey{Journey: "j", Touchpoint: "t"}] = &model.NPSCounts{Promoters: 20, Detractors: 10}
	tr := Compute(b.site, "").Journeys[0].Touchpoints[0]
	if tr.NPS == nil || tr.NPS.Change != nil || tr.Attributes[0].Change != nil || tr.Attributes[0].Experience == nil {
		t.Errorf("no waves: %+v %+v", tr.NPS, tr.Attributes[0])
	}
}
