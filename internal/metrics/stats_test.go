package metrics

import (
	"math"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// weightedStats computes §9's weighted cell from raw answers by its
// definition (deviations from the weighted mean), not from running sums
// as sources do, so a test compares two ways.
func weightedStats(xs, ws []float64) (mean, neff, s2 float64) {
	var sw, sww, swx float64
	for i, x := range xs {
		sw += ws[i]
		sww += ws[i] * ws[i]
		swx += ws[i] * x
	}
	mean = swx / sw
	neff = sw * sw / sww
	var dev float64
	for i, x := range xs {
		dev += ws[i] * (x - mean) * (x - mean)
	}
	return mean, neff, dev / sw * neff / (neff - 1)
}

// weightedCell is what a source makes of answers: Moments, then a Cell.
func weightedCell(xs, ws []float64) *model.Cell {
	var m model.Moments
	for i, x := range xs {
		m.Add(x, ws[i])
	}
	mean := m.SWX / m.SW
	neff := m.SW * m.SW / m.SWW
	ss := math.Max(0, m.SWXX-m.SWX*m.SWX/m.SW)
	return &model.Cell{Mean: mean, N: int(m.N), NEff: neff, SD: math.Sqrt(ss / m.SW * neff / (neff - 1)),
		HasStats: true, Weighted: m.SWW != m.SW, Kind: model.FromResponses}
}

func TestTQuantile(t *testing.T) {
	for _, tt := range []struct{ df, want, tol float64 }{
		{7, 2.364624, 1e-6},
		{1, 12.7062, 1e-4},
		{1000, 1.96234, 1e-5},
		{2.846154, 3.282012, 1e-6}, // FORMULA-VECTORS: the weighted cell's df
	} {
		if got := TQuantile(0.975, tt.df); !near(got, tt.want, tt.tol) {
			t.Errorf("t(0.975, %v) = %v, want %v", tt.df, got, tt.want)
		}
	}
}

func TestWeightedCell(t *testing.T) {
	tests := []struct {
		name                   string
		xs, ws                 []float64
		mean, neff, s2, lo, hi float64
	}{
		// FORMULA-VECTORS "A weighted cell (Kish)".
		{"kish", []float64{3, 4, 2, 5, 4}, []float64{1, 1, 2, 2, 4},
			3.7, 100.0 / 26, 1.364865, 1.744888, 5.655112},
		// All weights 1: §5's figures, mean 3.6, sd² 1.3, t(0.975, 4) = 2.776445.
		{"unweighted", []float64{3, 4, 2, 5, 4}, []float64{1, 1, 1, 1, 1},
			3.6, 5, 1.3, 3.6 - 2.776445*math.Sqrt(1.3/5), 3.6 + 2.776445*math.Sqrt(1.3/5)},
		// Every weight 2 is the same as every weight 1: only relative
		// weights matter.
		{"scaled", []float64{3, 4, 2, 5, 4}, []float64{2, 2, 2, 2, 2},
			3.6, 5, 1.3, 3.6 - 2.776445*math.Sqrt(1.3/5), 3.6 + 2.776445*math.Sqrt(1.3/5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mean, neff, s2 := weightedStats(tt.xs, tt.ws)
			if !near(mean, tt.mean, 1e-12) || !near(neff, tt.neff, 1e-6) || !near(s2, tt.s2, 1e-6) {
				t.Errorf("by definition: mean %v n_eff %v s² %v, want %v %v %v", mean, neff, s2, tt.mean, tt.neff, tt.s2)
			}
			c := weightedCell(tt.xs, tt.ws)
			if !near(c.Mean, tt.mean, 1e-12) || !near(c.NEff, tt.neff, 1e-9) || !near(c.SD*c.SD, tt.s2, 1e-6) {
				t.Errorf("from sums: %+v, want mean %v n_eff %v s² %v", c, tt.mean, tt.neff, tt.s2)
			}
			lo, hi, ok := WeightedCI(c.Mean, c.SD, c.N, c.NEff)
			if !ok || !near(lo, tt.lo, 1e-5) || !near(hi, tt.hi, 1e-5) {
				t.Errorf("CI = [%v, %v] %v, want [%v, %v]", lo, hi, ok, tt.lo, tt.hi)
			}
		})
	}
	// With n_eff = n the weighted interval is MeanCI bit for bit.
	lo1, hi1, _ := MeanCI(3.875, 0.99103, 8)
	lo2, hi2, _ := WeightedCI(3.875, 0.99103, 8, 8)
	if lo1 != lo2 || hi1 != hi2 {
		t.Errorf("WeightedCI with n_eff = n: [%v, %v], MeanCI [%v, %v]", lo2, hi2, lo1, hi1)
	}
	for _, bad := range []struct {
		sd   float64
		n    int
		neff float64
	}{{1, 1, 1}, {1, 5, 1}, {math.NaN(), 5, 4}, {-1, 5, 4}, {math.Inf(1), 5, 4}, {1, 5, math.Inf(1)}} {
		if _, _, ok := WeightedCI(3, bad.sd, bad.n, bad.neff); ok {
			t.Errorf("WeightedCI(sd %v, n %v, n_eff %v) gave an interval", bad.sd, bad.n, bad.neff)
		}
	}
}

func TestWelch(t *testing.T) {
	g1 := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	g2 := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	m1, s1 := sampleStats(g1)
	m2, s2 := sampleStats(g2)
	tests := []struct {
		name                   string
		m1, s1, n1, m2, s2, n2 float64
		t, df, p               float64
		ok                     bool
	}{
		// FORMULA-VECTORS: R's t.test(extra ~ group, data = sleep), whose
		// t is group 1 − group 2; Welch's is the second argument (the
		// current wave) minus the first, so group 2 goes first.
		{"sleep", m2, s2, 10, m1, s1, 10, -1.860813, 17.776474, 0.079394, true},
		// Reversed groups: t changes sign, df and p do not.
		{"reversed", m1, s1, 10, m2, s2, 10, 1.860813, 17.776474, 0.079394, true},
		// Equal sd and n: df = 2n − 2 and t = Δ/(s·√(2/n)); with
		// Δ = 1, s = 1, n = 8 t = 2, and R's 2*pt(-2, 14) = 0.06528795.
		{"pooled", 3, 1, 8, 4, 1, 8, 2, 14, 0.06528795, true},
		{"no change", 3, 1, 8, 3, 1, 8, 0, 14, 1, true},
		{"n of one", 3, 1, 1, 4, 1, 8, 0, 0, 0, false},
		{"no spread", 3, 0, 8, 4, 0, 8, 0, 0, 0, false},
		{"nan", math.NaN(), 1, 8, 4, 1, 8, 0, 0, 0, false},
	}
	for _, tt := range tests {
		tv, df, p, ok := Welch(tt.m1, tt.s1, tt.n1, tt.m2, tt.s2, tt.n2)
		if ok != tt.ok || ok && (!near(tv, tt.t, 1e-6) || !near(df, tt.df, 1e-6) || !near(p, tt.p, 1e-6)) {
			t.Errorf("%s: t %v df %v p %v ok %v, want %v %v %v %v", tt.name, tv, df, p, ok, tt.t, tt.df, tt.p, tt.ok)
		}
	}
}

func TestScoreNPS(t *testing.T) {
	tests := []struct {
		name          string
		c             model.NPSCounts
		score, se, ne float64
	}{
		// FORMULA-VECTORS "NPS difference", both waves.
		{"wave 1", model.NPSCounts{Promoters: 50, Passives: 30, Detractors: 20}, 30, 7.810250, 100},
		{"wave 2", model.NPSCounts{Promoters: 40, Passives: 30, Detractors: 30}, 10, 8.306624, 100},
		// Weighted: promoters 2, 2; a passive 1; detractors 1, 4 → Σw 10,
		// p_P 0.4, p_D 0.5, n_eff 100/26, SE = 100·√(0.89·26/100).
		{"weighted", weightedNPS([]int{10, 9, 7, 0, 5}, []float64{2, 2, 1, 1, 4}), -10, 100 * math.Sqrt(0.89*0.26), 100.0 / 26},
		// Every weight 3 is the same as every weight 1.
		{"scaled", weightedNPS([]int{10, 9, 8, 6, 0}, []float64{3, 3, 3, 3, 3}), 0, 100 * math.Sqrt(0.8/5), 5},
	}
	for _, tt := range tests {
		f, ok := ScoreNPS(tt.c)
		if !ok || !near(f.Score, tt.score, 1e-9) || !near(f.SE, tt.se, 1e-6) || !near(f.NEff, tt.ne, 1e-9) {
			t.Errorf("%s: %+v %v, want score %v SE %v n_eff %v", tt.name, f, ok, tt.score, tt.se, tt.ne)
		}
	}
	if _, ok := ScoreNPS(model.NPSCounts{Promoters: 2, Weighted: true}); ok {
		t.Error("weighted counts without weights gave an NPS")
	}
}

func weightedNPS(scores []int, ws []float64) model.NPSCounts {
	var c model.NPSCounts
	for i, s := range scores {
		c.AddNPS(s, ws[i])
	}
	return c
}

func TestNPSChange(t *testing.T) {
	w1, _ := ScoreNPS(model.NPSCounts{Promoters: 50, Passives: 30, Detractors: 20})
	w2, _ := ScoreNPS(model.NPSCounts{Promoters: 40, Passives: 30, Detractors: 30})
	tests := []struct {
		name string
		a, b NPSFigures
		z, p float64
		ok   bool
	}{
		{"FORMULA-VECTORS", w1, w2, -1.754116, 0.079411, true},
		{"reversed", w2, w1, 1.754116, 0.079411, true},
		// z = 1.959964 is the 97.5% normal quantile: p = 0.05.
		{"at 5%", NPSFigures{Score: 0, SE: 3}, NPSFigures{Score: 1.959964 * 5, SE: 4}, 1.959964, 0.05, true},
		{"no spread", NPSFigures{Score: 100}, NPSFigures{Score: -100}, 0, 0, false},
	}
	for _, tt := range tests {
		z, p, ok := NPSChange(tt.a, tt.b)
		if ok != tt.ok || ok && (!near(z, tt.z, 1e-6) || !near(p, tt.p, 1e-6)) {
			t.Errorf("%s: z %v p %v ok %v, want %v %v %v", tt.name, z, p, ok, tt.z, tt.p, tt.ok)
		}
	}
}
