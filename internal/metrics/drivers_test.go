package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// sumsFromCorr are driver sums whose variables have mean 0, variance 1
// and the correlation matrix R (recommend last), over n rows of weight 1.
func sumsFromCorr(vars []string, R []float64, n int64) *model.DriverSums {
	d := model.NewDriverSums(vars)
	d.N, d.SW = n, float64(n)
	for i := range R {
		d.SS[i] = float64(n) * R[i]
	}
	return d
}

func TestDriversFromCorrelations(t *testing.T) {
	tests := []struct {
		name   string
		R      []float64 // x1, x2, y
		r2     float64
		shares []float64
	}{
		// FORMULA-VECTORS "Shapley (LMG) shares with two predictors".
		{"correlated", []float64{1, 0.2, 0.5, 0.2, 1, 0.3, 0.5, 0.3, 1},
			0.291667, []float64{0.225833, 0.065833}},
		// Uncorrelated predictors: each share is its r², R² their sum.
		{"uncorrelated", []float64{1, 0, 0.5, 0, 1, 0.3, 0.5, 0.3, 1},
			0.34, []float64{0.25, 0.09}},
		// A predictor unrelated to recommend and to the other gets 0.
		{"irrelevant", []float64{1, 0, 0.6, 0, 1, 0, 0.6, 0, 1},
			0.36, []float64{0.36, 0}},
	}
	for _, tt := range tests {
		d := Drivers(sumsFromCorr([]string{"a", "b", "recommend"}, tt.R, 100))
		if d == nil {
			t.Fatalf("%s: no drivers", tt.name)
		}
		if d.N != 100 || !near(d.R2, tt.r2, 1e-6) || len(d.Attributes) != 2 {
			t.Errorf("%s: n %d R² %v, want 100 %v", tt.name, d.N, d.R2, tt.r2)
			continue
		}
		var sum float64
		for i, a := range d.Attributes {
			if a.Share == nil || !near(*a.Share, tt.shares[i], 1e-6) || !near(a.R, tt.R[i*3+2], 1e-12) {
				t.Errorf("%s: %s r %v share %v, want %v %v", tt.name, a.ID, a.R, a.Share, tt.R[i*3+2], tt.shares[i])
				continue
			}
			sum += *a.Share
		}
		if !near(sum, d.R2, 1e-12) {
			t.Errorf("%s: shares sum to %v, R² is %v", tt.name, sum, d.R2)
		}
	}
}

// synthetic draws n rows of three correlated attributes on 1..5 and a
// recommend on 0..10 that depends on them, with weights in [0.5, 2.5).
func synthetic(n int, seed uint64) (rows [][]float64, ws []float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for range n {
		z := rng.NormFloat64()
		x1 := 3 + 0.8*z + 0.6*rng.NormFloat64()
		x2 := 3 + 0.5*z + 0.9*rng.NormFloat64()
		x3 := 3 + rng.NormFloat64()
		y := 1 + 0.9*x1 + 0.4*x2 + 0.2*x3 + 1.2*rng.NormFloat64()
		rows = append(rows, []float64{x1, x2, x3, y})
		ws = append(ws, 0.5+2*rng.Float64())
	}
	return rows, ws
}

// lsR2 fits recommend on the predictors in mask (with an intercept) by
// weighted least squares on the rows themselves and returns its R².
func lsR2(rows [][]float64, ws []float64, mask int) float64 {
	n := len(rows)
	var cols []int
	for j := 0; j < 3; j++ {
		if mask&(1<<j) != 0 {
			cols = append(cols, j)
		}
	}
	var sw, swy float64
	for i, r := range rows {
		sw += ws[i]
		swy += ws[i] * r[3]
	}
	ybar := swy / sw
	// √w scales each row: ordinary least squares on the scaled rows is
	// weighted least squares on the rows.
	X := mat.NewDense(n, len(cols)+1, nil)
	Y := mat.NewDense(n, 1, nil)
	for i, r := range rows {
		s := math.Sqrt(ws[i])
		X.Set(i, 0, s)
		for c, j := range cols {
			X.Set(i, c+1, s*r[j])
		}
		Y.Set(i, 0, s*r[3])
	}
	var beta mat.Dense
	if err := beta.Solve(X, Y); err != nil {
		panic(err)
	}
	var sse, sst float64
	for i, r := range rows {
		fit := beta.At(0, 0)
		for c, j := range cols {
			fit += beta.At(c+1, 0) * r[j]
		}
		sse += ws[i] * (r[3] - fit) * (r[3] - fit)
		sst += ws[i] * (r[3] - ybar) * (r[3] - ybar)
	}
	return 1 - sse/sst
}

// TestDriversThreePredictors checks the shares from sums against LMG
// computed by brute force: regressions fitted on the rows for every
// subset, and each predictor's gain in R² averaged over the 3! orders
// in which the predictors can enter.
func TestDriversThreePredictors(t *testing.T) {
	for _, weighted := range []bool{false, true} {
		rows, ws := synthetic(400, 42)
		if !weighted {
			for i := range ws {
				ws[i] = 1
			}
		}
		d := Drivers(DriverRows([]string{"a", "b", "c", "recommend"}, rows, ws))
		if d == nil {
			t.Fatal("no drivers")
		}
		var r2 [8]float64
		for mask := range r2 {
			if mask != 0 {
				r2[mask] = lsR2(rows, ws, mask)
			}
		}
		orders := [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
		var want [3]float64
		for _, o := range orders {
			mask := 0
			for _, j := range o {
				want[j] += (r2[mask|1<<j] - r2[mask]) / 6
				mask |= 1 << j
			}
		}
		if !near(d.R2, r2[7], 1e-9) {
			t.Errorf("weighted %v: R² %v, least squares %v", weighted, d.R2, r2[7])
		}
		for j, a := range d.Attributes {
			if a.Share == nil || !near(*a.Share, want[j], 1e-9) {
				t.Errorf("weighted %v: %s share %v, brute force %v", weighted, a.ID, a.Share, want[j])
			}
			// r² is the R² of the one-predictor regression.
			if !near(a.R*a.R, r2[1<<j], 1e-9) {
				t.Errorf("weighted %v: %s r² %v, one-predictor R² %v", weighted, a.ID, a.R*a.R, r2[1<<j])
			}
		}
	}
}

func TestDriversDegenerate(t *testing.T) {
	rows, _ := synthetic(29, 1)
	vars := []string{"a", "b", "c", "recommend"}
	if d := Drivers(DriverRows(vars, rows, nil)); d != nil {
		t.Errorf("29 rows gave drivers %+v", d)
	}
	if d := Drivers(nil); d != nil {
		t.Error("nil sums gave drivers")
	}
	// Recommend constant: nothing to explain.
	rows, _ = synthetic(50, 2)
	for _, r := range rows {
		r[3] = 7
	}
	if d := Drivers(DriverRows(vars, rows, nil)); d != nil {
		t.Errorf("constant recommend gave drivers %+v", d)
	}
	// An attribute that never varies is left out; c = a + b exactly is
	// collinear: it adds nothing beyond a and b, and the shares still
	// sum to R² without NaN.
	rows, _ = synthetic(60, 3)
	for _, r := range rows {
		r[2] = r[0] + r[1]
	}
	d := Drivers(DriverRows(vars, rows, nil))
	if d == nil || len(d.Attributes) != 3 {
		t.Fatalf("collinear: %+v", d)
	}
	var sum float64
	for _, a := range d.Attributes {
		if a.Share == nil || math.IsNaN(*a.Share) || math.IsNaN(a.R) {
			t.Fatalf("collinear: %s r %v share %v", a.ID, a.R, a.Share)
		}
		sum += *a.Share
	}
	if !near(sum, d.R2, 1e-9) || !near(d.R2, lsR2Collinear(rows), 1e-6) {
		t.Errorf("collinear: shares sum %v, R² %v, least squares on a, b %v", sum, d.R2, lsR2Collinear(rows))
	}
	for _, r := range rows {
		r[1] = 4
	}
	d = Drivers(DriverRows(vars, rows, nil))
	if d == nil || len(d.Attributes) != 2 || d.Attributes[0].ID != "a" || d.Attributes[1].ID != "c" {
		t.Errorf("constant b: %+v, want a and c only", d)
	}
}

// lsR2Collinear is R² of recommend on a and b, which span c = a + b.
func lsR2Collinear(rows [][]float64) float64 {
	ws := make([]float64, len(rows))
	for i := range ws {
		ws[i] = 1
	}
	return lsR2(rows, ws, 0b011)
}

// FuzzDrivers feeds rows made of the fuzzer's bytes (three attributes
// and recommend, small integers as survey answers are, with weights)
// and checks properties that hold for any data: R² within [0, 1], |r|
// at most 1, finite shares summing to R², and the figures unchanged
// when an attribute is rescaled (a 1..5 answer read as 0..100).
func FuzzDrivers(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14"), uint8(40))
	f.Add([]byte{0, 0, 0, 0, 1}, uint8(31))
	f.Add([]byte("collinear answers repeat, repeat, repeat"), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		if len(data) == 0 {
			return
		}
		at := func(i int) float64 { return float64(data[i%len(data)]) }
		vars := []string{"a", "b", "c", "recommend"}
		var rows, scaled [][]float64
		var ws []float64
		for i := range int(n) {
			r := []float64{1 + math.Mod(at(5*i), 5), 1 + math.Mod(at(5*i+1), 5), 1 + math.Mod(at(5*i+2)+at(5*i), 5), math.Mod(at(5*i+3), 11)}
			rows = append(rows, r)
			scaled = append(scaled, []float64{(r[0] - 1) * 25, r[1], r[2], r[3]})
			ws = append(ws, 0.5+math.Mod(at(5*i+4), 4))
		}
		d := Drivers(DriverRows(vars, rows, ws))
		if int(n) < MinDriverRows {
			if d != nil {
				t.Fatalf("%d rows gave drivers", n)
			}
			return
		}
		if d == nil {
			return
		}
		if !(d.R2 >= 0 && d.R2 <= 1) {
			t.Fatalf("R² = %v", d.R2)
		}
		var sum float64
		for _, a := range d.Attributes {
			if !(math.Abs(a.R) <= 1) || a.Share == nil || math.IsNaN(*a.Share) || math.IsInf(*a.Share, 0) {
				t.Fatalf("%s: r %v share %v", a.ID, a.R, a.Share)
			}
			sum += *a.Share
		}
		if !near(sum, d.R2, 1e-9) {
			t.Fatalf("shares sum to %v, R² %v", sum, d.R2)
		}
		e := Drivers(DriverRows(vars, scaled, ws))
		if e == nil || len(e.Attributes) != len(d.Attributes) || !near(e.R2, d.R2, 1e-6) {
			t.Fatalf("rescaled: %+v, was %+v", e, d)
		}
		for i, a := range d.Attributes {
			if b := e.Attributes[i]; b.ID != a.ID || !near(b.R, a.R, 1e-6) || !near(*b.Share, *a.Share, 1e-6) {
				t.Fatalf("rescaled %s: r %v share %v, was %v %v", a.ID, b.R, *b.Share, a.R, *a.Share)
			}
		}
	})
}
