package charts

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// inPiece reports whether v falls in an ECharts visualMap piece.
func inPiece(p map[string]any, v float64) bool {
	num := func(k string) (float64, bool) {
		x, ok := p[k].(float64)
		return x, ok
	}
	if x, ok := num("lt"); ok && !(v < x) {
		return false
	}
	if x, ok := num("lte"); ok && !(v <= x) {
		return false
	}
	if x, ok := num("gt"); ok && !(v > x) {
		return false
	}
	if x, ok := num("gte"); ok && !(v >= x) {
		return false
	}
	return true
}

// TestGapScaleFollowsStatus: every gap falls in exactly one step of the
// heatmap's scale, and in the neutral one exactly when the report calls
// it aligned (−0.4 with a tolerance of 0.5 is not shaded orange).
func TestGapScaleFollowsStatus(t *testing.T) {
	neutral := diverging()[2]
	for _, tc := range []struct{ tol float64 }{{0.5}, {0.25}, {0}, {1}, {0.3}} {
		raw, _ := json.Marshal(gapScale(tc.tol).pieces())
		var pieces []map[string]any
		json.Unmarshal(raw, &pieces)
		for _, g := range []float64{-4, -1.9, -1, -0.6, -0.5000001, -0.5, -0.4, -0.25, 0, 0.25, 0.4, 0.5, 0.5000001, 1, 1.9, 4, tc.tol, -tc.tol, math.Nextafter(tc.tol, 9)} {
			var in []map[string]any
			for _, p := range pieces {
				if inPiece(p, g) {
					in = append(in, p)
				}
			}
			if len(in) != 1 {
				t.Errorf("tol %g: gap %g falls in %d steps", tc.tol, g, len(in))
				continue
			}
			aligned := metrics.Status(g, tc.tol) == metrics.StatusAligned
			if (in[0]["color"] == neutral) != aligned {
				t.Errorf("tol %g: gap %g is %s but coloured %s", tc.tol, g, metrics.Status(g, tc.tol), in[0]["color"])
			}
		}
	}
}
