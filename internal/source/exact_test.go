package source_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
)

// TestGridDecimal: the fast path parses exactly what ParseFloat parses,
// to the same value, or declines.
func TestGridDecimal(t *testing.T) {
	for _, s := range []string{"0", "1", "5", "3.5", "3,5", ".5", "5.", "999999.999", "1000000", "0.001", "0.0001", "4.125",
		"", ".", "x", "1e3", "+1", "-1", "1..2", "1.2.3", "007.100", "3.14159"} {
		for _, comma := range []bool{false, true} {
			v, m, ok := source.GridDecimal([]byte(s), comma)
			ps := s
			if comma {
				ps = strings.Replace(s, ",", ".", 1)
			}
			want, err := strconv.ParseFloat(ps, 64)
			if ok && (err != nil || v != want || float64(m) != math.Round(want*1000)) {
				t.Errorf("GridDecimal(%q, %v) = %v, %d; ParseFloat: %v, %v", s, comma, v, m, want, err)
			}
		}
	}
	// What it must take: the common answers.
	for _, s := range []string{"4", "3.5", ".25", "10", "999999.999"} {
		if _, _, ok := source.GridDecimal([]byte(s), false); !ok {
			t.Errorf("GridDecimal(%q) declined", s)
		}
	}
}

// welford is the reference: one value at a time.
type welford struct {
	n        int
	mean, m2 float64
}

func (a *welford) add(x float64) {
	a.n++
	d := x - a.mean
	a.mean += d / float64(a.n)
	a.m2 += d * (x - a.mean)
}

// TestExact: the exact sums give the mean and sd of the reference to
// far better than 1e-9, whatever the split into chunks; an Acc holding
// them gives those figures as its cell, and its Moments agree.
func TestExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(5000)
		var ref welford
		parts := make([]source.Exact, 1+rng.IntN(7))
		for i := 0; i < n; i++ {
			p := &parts[rng.IntN(len(parts))]
			if rng.IntN(10) == 0 {
				x := 1 + 4*rng.Float64()
				ref.add(x)
				p.AddFloat(x)
				continue
			}
			m := int64(1000 + rng.IntN(4001))
			ref.add(float64(m) / 1000)
			p.AddGrid(m)
		}
		var total source.Exact
		for i := range parts {
			total.Merge(&parts[i])
		}
		mean, m2 := total.Stats()
		if total.Count() != ref.n || math.Abs(mean-ref.mean) > 1e-12 || math.Abs(m2-ref.m2) > 1e-9*math.Max(1, ref.m2) {
			t.Fatalf("n %d mean %v m2 %v, reference n %d mean %v m2 %v", total.Count(), mean, m2, ref.n, ref.mean, ref.m2)
		}
		a := source.Acc{Moments: total.Moments(), Exact: &total}
		c := a.Cell(model.FromResponses)
		wantSD := 0.0
		if ref.n >= 2 {
			wantSD = math.Sqrt(ref.m2 / float64(ref.n-1))
		}
		if c.N != ref.n || c.Mean != mean || math.Abs(c.SD-wantSD) > 1e-9 || !c.HasStats || c.Kind != model.FromResponses {
			t.Fatalf("cell %+v, want n %d mean %v sd %v", *c, ref.n, mean, wantSD)
		}
		// Without the exact part, the Moments alone give the same
		// figures to rounding.
		m := source.Acc{Moments: a.Moments}
		mc := m.Cell(model.FromResponses)
		if mc.N != c.N || math.Abs(mc.Mean-c.Mean) > 1e-9 || math.Abs(mc.SD-c.SD) > 1e-6 {
			t.Fatalf("from Moments %+v, exact %+v", *mc, *c)
		}
	}
}
