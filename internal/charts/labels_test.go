package charts

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// placeLabelsQuadratic is placeLabels as it was before its grid: every
// candidate checked against every name, point and title placed so far.
// It is the reference the grid must agree with.
func placeLabelsQuadratic(points [][]item, lo, hi float64) {
	const plotW, plotH = 470.0, 300.0
	const fontW, lineH, sym = 6.6, 14.0, 8.0 // px per character, label height, half a symbol
	type rect struct{ x0, y0, x1, y1 float64 }
	overlaps := func(a, b rect) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }
	px := func(v []any) (float64, float64) {
		x, y := v[0].(float64), v[1].(float64)
		return (x - lo) / (hi - lo) * plotW, (hi - y) / (hi - lo) * plotH
	}
	// The quadrant titles sit in the corners.
	taken := []rect{{0, 0, 130, 18}, {plotW - 150, 0, plotW, 18}, {0, plotH - 18, 100, plotH}, {plotW - 120, plotH - 18, plotW, plotH}}
	for _, ps := range points {
		for _, p := range ps {
			x, y := px(p.Value.([]any))
			taken = append(taken, rect{x - sym, y - sym, x + sym, y + sym})
		}
	}
	// Quadrants in order of urgency, so "concentrate here" keeps its
	// names when space runs out.
	for _, ps := range points {
		for i := range ps {
			x, y := px(ps[i].Value.([]any))
			ps[i].Label = &opts.Label{Show: opts.Bool(false)}
			// The whole name first; then, rather than none, a short one.
			texts := []string{ps[i].Name}
			if short := shorten(ps[i].Name, 18); short != ps[i].Name {
				texts = append(texts, short)
			}
		text:
			for _, text := range texts {
				w := fontW * float64(len([]rune(text)))
				sides := []struct {
					pos string
					r   rect
				}{
					{"right", rect{x + sym + 4, y - lineH/2, x + sym + 4 + w, y + lineH/2}},
					{"left", rect{x - sym - 4 - w, y - lineH/2, x - sym - 4, y + lineH/2}},
					{"top", rect{x - w/2, y - sym - 4 - lineH, x + w/2, y - sym - 4}},
					{"bottom", rect{x - w/2, y + sym + 4, x + w/2, y + sym + 4 + lineH}},
				}
			side:
				for _, s := range sides {
					if s.r.x0 < 0 || s.r.x1 > plotW || s.r.y0 < 0 || s.r.y1 > plotH {
						continue
					}
					for _, r := range taken {
						if overlaps(s.r, r) {
							continue side
						}
					}
					taken = append(taken, s.r)
					ps[i].Label = &opts.Label{Position: s.pos}
					if text != ps[i].Name {
						ps[i].Label.Formatter = text
					}
					break text
				}
			}
		}
	}
}

// ipaPoints makes n points in four quadrants, deterministic for a seed:
// half of them in tight clusters (touchpoints share importances), with
// names of varied length, some long enough to be shortened.
func ipaPoints(n int, seed uint64) [][]item {
	r := rand.New(rand.NewPCG(seed, 1))
	points := make([][]item, 4)
	for i := range n {
		x, y := 1+4*r.Float64(), 1+4*r.Float64()
		if i%2 == 1 {
			x, y = 3+0.2*r.Float64(), float64(1+r.IntN(5))
		}
		name := fmt.Sprintf("Touchpoint %d", i)
		if i%3 == 0 {
			name += " with a rather long name indeed"
		}
		q := r.IntN(4)
		points[q] = append(points[q], item{Name: name, Value: []any{x, y}})
	}
	return points
}

func labelsOf(points [][]item) []opts.Label {
	var ls []opts.Label
	for _, ps := range points {
		for _, p := range ps {
			ls = append(ls, *p.Label)
		}
	}
	return ls
}

// TestPlaceLabelsGrid: the grid places every name as the quadratic
// reference does, on sparse, dense and clustered plots.
func TestPlaceLabelsGrid(t *testing.T) {
	placed := 0
	for _, n := range []int{0, 1, 5, 20, 60, 200, 1000} {
		for seed := range uint64(5) {
			// 2..4 puts points off the plot; 3..3 makes every
			// coordinate NaN or infinite.
			axes := [][2]float64{{0.5, 5.5}, {2, 4}, {3, 3}}
			ax := axes[int(seed)%len(axes)]
			a, b := ipaPoints(n, seed), ipaPoints(n, seed)
			placeLabels(a, ax[0], ax[1])
			placeLabelsQuadratic(b, ax[0], ax[1])
			for _, l := range labelsOf(a) {
				if l.Show == nil {
					placed++
				}
			}
			if la, lb := labelsOf(a), labelsOf(b); !reflect.DeepEqual(la, lb) {
				for i := range la {
					if !reflect.DeepEqual(la[i], lb[i]) {
						t.Errorf("n=%d seed=%d axis=%v: label %d is %+v, the reference gives %+v", n, seed, ax, i, la[i], lb[i])
						break
					}
				}
			}
		}
	}
	if placed < 100 {
		t.Errorf("only %d names placed: the cases do not exercise the placement", placed)
	}
}

// BenchmarkPlaceLabels: one journey's IPA labels at 1k, 10k and 30k
// touchpoints (issue 17), with the grid ("grid") and, for comparison,
// the quadratic reference ("quadratic").
func BenchmarkPlaceLabels(b *testing.B) {
	for _, impl := range []struct {
		name  string
		place func([][]item, float64, float64)
	}{{"grid", placeLabels}, {"quadratic", placeLabelsQuadratic}} {
		for _, n := range []int{1000, 10000, 30000} {
			b.Run(fmt.Sprintf("%s/%d", impl.name, n), func(b *testing.B) {
				points := ipaPoints(n, 1)
				b.ReportAllocs()
				for b.Loop() {
					impl.place(points, 0.5, 5.5)
				}
			})
		}
	}
}
