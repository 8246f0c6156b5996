package source_test

import (
	"math"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
)

// TestCellExact: with all weights 1, Acc.Cell gives §5's mean and
// sample sd, computed here the textbook way (two passes), to the last
// digit for answers on a half-point grid.
func TestCellExact(t *testing.T) {
	for _, xs := range [][]float64{
		{4, 4, 4, 4}, {1, 5}, {3, 3.5, 4, 2, 5, 1, 4.5}, {5, 5, 5, 5, 5, 5, 5, 5, 5, 4},
	} {
		var a source.Acc
		sum := 0.0
		for _, x := range xs {
			a.Add(x, 1)
			sum += x
		}
		c := a.Cell(model.FromSurvey)
		mean := sum / float64(len(xs))
		ss := 0.0
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / float64(len(xs)-1))
		if c.Mean != mean || math.Abs(c.SD-sd) > 1e-15 || c.N != len(xs) || c.NEff != float64(len(xs)) || c.Weighted {
			t.Errorf("%v: got mean %v sd %v n %d neff %v, want %v %v", xs, c.Mean, c.SD, c.N, c.NEff, mean, sd)
		}
	}
}

func TestDriverVars(t *testing.T) {
	b := &model.Brand{Attributes: []*model.Attribute{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	j := &model.Journey{Touchpoints: []*model.Touchpoint{
		{Promise: map[string]float64{"c": 4}, PromiseOrder: []string{"c"}},
		{Promise: map[string]float64{"a": 4, "z": 1}, PromiseOrder: []string{"a"}},
	}}
	if got := strings.Join(source.DriverVars(j, b), ","); got != "a,c,z,recommend" {
		t.Errorf("got %s", got)
	}
	if source.DriverVars(&model.Journey{}, b) != nil {
		t.Error("a journey promising nothing has no drivers")
	}
}
