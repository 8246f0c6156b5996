package metrics

import (
	"math"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// near reports whether got is within tol of want; the published vectors
// are rounded, so each test states the precision its source gives.
func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestStatus(t *testing.T) {
	tests := []struct {
		gap, tol float64
		want     string
	}{
		{0, 0.5, StatusAligned},
		{0.5, 0.5, StatusAligned},  // on the tolerance: aligned
		{-0.5, 0.5, StatusAligned}, // on the tolerance: aligned
		{-0.5000001, 0.5, StatusOverpromised},
		{0.5000001, 0.5, StatusUndersold},
		{-1.3, 0.5, StatusOverpromised},
		{2, 0.5, StatusUndersold},
		{0, 0, StatusAligned},
		{0.1, 0, StatusUndersold},
	}
	for _, tt := range tests {
		if got := Status(tt.gap, tt.tol); got != tt.want {
			t.Errorf("Status(%v, %v) = %q, want %q", tt.gap, tt.tol, got, tt.want)
		}
	}
}

// TestQuadrantVectors is the IPA table of FORMULA-VECTORS.md, with the
// crosshair at the means (computed, not typed: the mean performance is
// 3.66 or 3.6599999999999997 depending on how it is summed) and at the
// scale midpoint (3, 3).
func TestQuadrantVectors(t *testing.T) {
	items := []struct {
		name                string
		importance, perf    float64
		atMeans, atMidpoint string
	}{
		{"A", 4.6, 3.2, QuadrantConcentrate, QuadrantKeepUp},
		{"B", 4.4, 4.3, QuadrantKeepUp, QuadrantKeepUp},
		{"C", 3.9, 4.1, QuadrantOverkill, QuadrantKeepUp},
		{"D", 3.6, 2.9, QuadrantLowPriority, QuadrantConcentrate},
		{"E", 4.2, 3.8, QuadrantKeepUp, QuadrantKeepUp},
	}
	var perf, imp []float64
	for _, it := range items {
		perf = append(perf, it.perf)
		imp = append(imp, it.importance)
	}
	cross, ok := MeanCrosshair(perf, imp)
	if !ok {
		t.Fatal("MeanCrosshair: no crosshair")
	}
	// The exact mean of the five float64 values rounds to
	// 3.6599999999999997, a left-to-right sum divided by 5 gives 3.66:
	// either is the mean, so no test may hang on the last bit.
	if !near(cross.X, 3.66, 1e-12) {
		t.Errorf("mean performance = %v, want 3.66 (±1e-12)", cross.X)
	}
	if !near(cross.Y, 4.14, 1e-12) {
		t.Errorf("mean importance = %v, want 4.14", cross.Y)
	}
	mid := model.Scale{Min: 1, Max: 5}.Mid()
	for _, it := range items {
		if got := Quadrant(it.perf, it.importance, cross); got != it.atMeans {
			t.Errorf("%s at means: %q, want %q", it.name, got, it.atMeans)
		}
		if got := Quadrant(it.perf, it.importance, Point{X: mid, Y: mid}); got != it.atMidpoint {
			t.Errorf("%s at midpoint: %q, want %q", it.name, got, it.atMidpoint)
		}
	}
}

func TestQuadrantOnTheLines(t *testing.T) {
	c := Point{X: 3, Y: 3}
	tests := []struct {
		perf, imp float64
		want      string
	}{
		{3, 3, QuadrantKeepUp},          // on both lines: high and high
		{3, 2.9, QuadrantOverkill},      // on the performance line: high performance
		{2.9, 3, QuadrantConcentrate},   // on the importance line: high importance
		{2.9, 2.9, QuadrantLowPriority}, // below both
		{3.6599999999999997, 3, QuadrantKeepUp},
	}
	for _, tt := range tests {
		if got := Quadrant(tt.perf, tt.imp, c); got != tt.want {
			t.Errorf("Quadrant(%v, %v) = %q, want %q", tt.perf, tt.imp, got, tt.want)
		}
	}
	// A point exactly at the computed mean counts as high.
	perf := []float64{3.2, 4.3, 4.1, 2.9, 3.8}
	imp := []float64{4.6, 4.4, 3.9, 3.6, 4.2}
	cross, _ := MeanCrosshair(perf, imp)
	if got := Quadrant(cross.X, cross.Y, cross); got != QuadrantKeepUp {
		t.Errorf("point at the mean crosshair: %q, want keep-up", got)
	}
	// 3.66 is high against either float64 rendering of the mean.
	for _, x := range []float64{3.66, 3.6599999999999997} {
		if got := Quadrant(3.66, cross.Y, Point{X: x, Y: cross.Y}); got != QuadrantKeepUp {
			t.Errorf("3.66 against crosshair %v: %q, want keep-up", x, got)
		}
	}
}

func TestMeanCrosshairEmpty(t *testing.T) {
	if _, ok := MeanCrosshair(nil, nil); ok {
		t.Error("MeanCrosshair of nothing: ok, want none")
	}
	if _, ok := MeanCrosshair([]float64{1}, []float64{1, 2}); ok {
		t.Error("MeanCrosshair of mismatched lengths: ok, want none")
	}
}

func TestConsistency(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		span   float64
		want   float64
		tol    float64
		ok     bool
	}{
		// FORMULA-VECTORS.md: mean 3.7, sd_pop 0.64807 → 100·(1 − 0.64807/2) = 67.60.
		{"published", []float64{4.2, 3.1, 4.5, 2.8, 3.9}, 4, 67.60, 0.005, true},
		{"one value is perfectly consistent", []float64{3}, 4, 100, 0, true},
		{"equal values", []float64{2, 2, 2}, 4, 100, 0, true},
		// 1 and 5: sd_pop 2 = S/2 → 0, the most spread a 1..5 scale allows.
		{"extremes", []float64{1, 5}, 4, 0, 1e-12, true},
		// 0 and 10 on 0..10: sd_pop 5 = S/2 → 0.
		{"0..10 extremes", []float64{0, 10}, 10, 0, 1e-12, true},
		// 4 and 6 on 0..10: sd_pop 1 → 100·(1 − 1/5) = 80.
		{"0..10", []float64{4, 6}, 10, 80, 1e-12, true},
		{"no values", nil, 4, 0, 0, false},
		{"empty scale", []float64{1, 2}, 0, 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := Consistency(tt.values, tt.span)
		if ok != tt.ok || (ok && !near(got, tt.want, tt.tol)) {
			t.Errorf("%s: Consistency = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPopulationSD(t *testing.T) {
	if got := PopulationSD([]float64{4.2, 3.1, 4.5, 2.8, 3.9}); !near(got, 0.64807, 5e-6) {
		t.Errorf("PopulationSD = %v, want 0.64807", got)
	}
	if got := PopulationSD([]float64{2, 4, 4, 4, 5, 5, 7, 9}); got != 2 {
		t.Errorf("PopulationSD = %v, want 2", got)
	}
	if got := PopulationSD(nil); got != 0 {
		t.Errorf("PopulationSD(nil) = %v, want 0", got)
	}
}

func TestTCritical(t *testing.T) {
	tests := []struct {
		df   int
		want float64
		tol  float64
	}{
		{1, 12.7062, 5e-5},
		{7, 2.364624, 5e-7},
		{1000, 1.96234, 5e-6},
	}
	for _, tt := range tests {
		if got := TCritical(tt.df); !near(got, tt.want, tt.tol) {
			t.Errorf("TCritical(%d) = %v, want %v", tt.df, got, tt.want)
		}
	}
}

func TestMeanCI(t *testing.T) {
	// FORMULA-VECTORS.md: 4, 5, 3, 4, 5, 2, 4, 4 → mean 3.875, sample sd
	// 0.99103, SE 0.35038, t(0.975, 7) = 2.364624 → CI [3.0465, 4.7035].
	m, sd := sampleStats([]float64{4, 5, 3, 4, 5, 2, 4, 4})
	if m != 3.875 || !near(sd, 0.99103, 5e-6) {
		t.Fatalf("sample stats = %v, %v; want 3.875, 0.99103", m, sd)
	}
	lo, hi, ok := MeanCI(m, sd, 8)
	if !ok || !near(lo, 3.0465, 5e-5) || !near(hi, 4.7035, 5e-5) {
		t.Errorf("MeanCI = [%v, %v] %v, want [3.0465, 4.7035]", lo, hi, ok)
	}
	if !near((lo+hi)/2, m, 1e-15) {
		t.Errorf("CI [%v, %v] is not centred on %v", lo, hi, m)
	}

	for _, tt := range []struct {
		name string
		sd   float64
		n    int
	}{
		{"n = 1", 0, 1},
		{"n = 0", 0, 0},
		{"negative sd", -1, 10},
		{"NaN sd", math.NaN(), 10},
		{"infinite sd", math.Inf(1), 10},
	} {
		if lo, hi, ok := MeanCI(3, tt.sd, tt.n); ok {
			t.Errorf("%s: MeanCI = [%v, %v], want none", tt.name, lo, hi)
		}
	}
	// sd 0 with n ≥ 2 is a real (degenerate) interval.
	if lo, hi, ok := MeanCI(3, 0, 5); !ok || lo != 3 || hi != 3 {
		t.Errorf("MeanCI(3, 0, 5) = [%v, %v] %v, want [3, 3]", lo, hi, ok)
	}
}

func TestNPS(t *testing.T) {
	tests := []struct {
		name          string
		counts        model.NPSCounts
		score, lo, hi float64
		tol           float64
	}{
		// 10, 9, 9, 8, 7, 7, 6, 5, 3, 10: 4 promoters, 3 passives, 3 detractors.
		// var = 0.7 − 0.01 = 0.69, SE = 100·√0.069 = 26.2679, 1.96·SE = 51.4850.
		{"published ten answers", model.NPSCounts{Promoters: 4, Passives: 3, Detractors: 3}, 10, 10 - 51.4850, 10 + 51.4850, 5e-4},
		// n = 100, 50 promoters, 20 detractors: var 0.61, SE 7.810, CI [14.69, 45.31].
		{"published hundred", model.NPSCounts{Promoters: 50, Passives: 30, Detractors: 20}, 30, 14.69, 45.31, 5e-3},
		// All promoters: score 100, no spread, the interval is [100, 100].
		{"all promoters", model.NPSCounts{Promoters: 5}, 100, 100, 100, 1e-12},
		// All detractors: −100.
		{"all detractors", model.NPSCounts{Detractors: 3}, -100, -100, -100, 1e-12},
		// One promoter, one detractor: var = 1 − 0 = 1, SE = 100/√2 = 70.71,
		// 1.96·SE = 138.6 → clipped to [−100, 100].
		{"clipped", model.NPSCounts{Promoters: 1, Detractors: 1}, 0, -100, 100, 1e-12},
	}
	for _, tt := range tests {
		score, lo, hi, ok := NPS(tt.counts)
		if !ok || !near(score, tt.score, tt.tol) || !near(lo, tt.lo, tt.tol) || !near(hi, tt.hi, tt.tol) {
			t.Errorf("%s: NPS = %v [%v, %v] %v, want %v [%v, %v]", tt.name, score, lo, hi, ok, tt.score, tt.lo, tt.hi)
		}
	}
	if _, _, _, ok := NPS(model.NPSCounts{}); ok {
		t.Error("NPS of no answers: ok, want none")
	}
}

// TestNPSWidth: with p_P = p_D = 1/3 the full CI width is
// 2·1.96·100·√(2/3)/√n ≈ 320/√n. 1023 = 3·341 answers → width ≈ 10.
func TestNPSWidth(t *testing.T) {
	_, lo, hi, ok := NPS(model.NPSCounts{Promoters: 341, Passives: 341, Detractors: 341})
	want := 2 * 1.96 * 100 * math.Sqrt(2.0/3) / math.Sqrt(1023)
	if !ok || !near(hi-lo, want, 1e-9) || !near(hi-lo, 10, 0.01) {
		t.Errorf("width = %v, want %v ≈ 10", hi-lo, want)
	}
}

func TestWeightedMean(t *testing.T) {
	gaps := []float64{-0.65, -1.10, -0.83, -0.70, -1.01}
	// FORMULA-VECTORS.md: unweighted −0.858, weights 10/35/25/15/15 → −0.914.
	if got, ok := WeightedMean(gaps, []float64{1, 1, 1, 1, 1}); !ok || !near(got, -0.858, 1e-12) {
		t.Errorf("unweighted mean gap = %v, want −0.858", got)
	}
	if got, ok := WeightedMean(gaps, []float64{10, 35, 25, 15, 15}); !ok || !near(got, -0.914, 1e-12) {
		t.Errorf("weighted mean gap = %v, want −0.914", got)
	}
	// Weights are relative: scaling them changes nothing.
	if got, ok := WeightedMean(gaps, []float64{0.10, 0.35, 0.25, 0.15, 0.15}); !ok || !near(got, -0.914, 1e-12) {
		t.Errorf("weighted mean gap, fractional weights = %v, want −0.914", got)
	}
	if _, ok := WeightedMean([]float64{1}, []float64{0}); ok {
		t.Error("zero weights: ok, want none")
	}
	if _, ok := WeightedMean([]float64{1}, nil); ok {
		t.Error("mismatched lengths: ok, want none")
	}
}

func TestAlignmentAndShortfall(t *testing.T) {
	tests := []struct {
		name          string
		gaps, weights []float64
		span          float64
		align, short  float64
		ok            bool
	}{
		// The mini-site's advert: gaps −1 (w 2), +0.2 (w 1) on 1..5.
		// A = 100·(1 − (2·1 + 0.2)/(4·3)) = 81.67; s = 2·1/3 = 0.667.
		{"advert", []float64{-1, 0.2}, []float64{2, 1}, 4, 100 * (1 - 2.2/12), 2.0 / 3, true},
		{"perfect", []float64{0, 0}, []float64{1, 1}, 4, 100, 0, true},
		// The widest gap the scale allows gives 0.
		{"worst", []float64{-4}, []float64{1}, 4, 0, 4, true},
		// Exceeding a promise counts against alignment but not shortfall.
		{"undersold", []float64{1}, []float64{1}, 4, 75, 0, true},
		// 0..10: gaps −2 (w 0.5), −1 (w 1.5): A = 100·(1 − 2.5/20) = 87.5,
		// s = 2.5/2 = 1.25.
		{"0..10 fractional", []float64{-2, -1}, []float64{0.5, 1.5}, 10, 87.5, 1.25, true},
		{"no weight", []float64{-1}, []float64{0}, 4, 0, 0, false},
	}
	for _, tt := range tests {
		a, ok := Alignment(tt.gaps, tt.weights, tt.span)
		if ok != tt.ok || (ok && !near(a, tt.align, 1e-12)) {
			t.Errorf("%s: Alignment = %v, %v; want %v, %v", tt.name, a, ok, tt.align, tt.ok)
		}
		s, ok := Shortfall(tt.gaps, tt.weights)
		if ok != tt.ok || (ok && !near(s, tt.short, 1e-12)) {
			t.Errorf("%s: Shortfall = %v, %v; want %v, %v", tt.name, s, ok, tt.short, tt.ok)
		}
	}
	if _, ok := Alignment([]float64{1}, []float64{1}, 0); ok {
		t.Error("Alignment on an empty scale: ok, want none")
	}
}

// sampleStats is the mean and sample (n−1) sd, as the loader aggregates
// responses; the tests use it to build cells from raw answers.
func sampleStats(xs []float64) (m, sd float64) {
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return m, math.Sqrt(ss / float64(len(xs)-1))
}
