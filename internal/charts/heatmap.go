package charts

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// drawHeatmap: touchpoints (rows, stage order, top to bottom) × brand
// attributes (columns); a cell's colour is its gap on a diverging scale
// centred at 0, and its label is the signed gap, so the colour is never
// the only carrier of the figure.
func drawHeatmap(in *input) (*drawing, error) {
	tps := in.touchpoints()
	attrs := in.attributes()
	xNames := make([]string, len(attrs))
	for i, a := range attrs {
		xNames[i] = in.attrName(a)
	}
	yNames := make([]string, len(tps))
	for i, f := range tps {
		yNames[i] = touchpointName(f.tp)
	}

	t := table{head: []string{"Touchpoint", "Stage", "Attribute", "Promise", "Experience", "Gap", "Status", "n", "95% CI"}}
	var cells, empty []item
	maxAbs, aligned, worstGap := 0.0, 0, 0.0
	worst := ""
	for yi, f := range tps {
		for xi, a := range attrs {
			c := f.cell(a)
			var promise *float64
			if p, ok := f.tp.Promise[a]; ok {
				promise = ptr(p)
			}
			if c != nil && c.Promise != nil {
				promise = c.Promise
			}
			if c == nil && promise == nil {
				continue // the touchpoint makes no promise on this attribute
			}
			row := []cell{txt(yNames[yi]), txt(f.tp.Stage), txt(xNames[xi]), fig(promise)}
			if c == nil || c.Gap == nil || c.Experience == nil {
				row = append(row, fig(nil), sfig(nil), txt("no data"), txt("–"), txt("–"))
				t.rows = append(t.rows, row)
				empty = append(empty, item{
					Value:   []any{xi, yi, 0},
					Tooltip: tip(yNames[yi]+" · "+xNames[xi], "Promise "+num1OrDash(promise), "No experience measured"),
				})
				continue
			}
			g := *c.Gap
			row = append(row, fig(c.Experience), sfig(c.Gap), txt(statusLabel(c.Status)), intCell(c.N), ciCell(c.CI))
			t.rows = append(t.rows, row)
			maxAbs = math.Max(maxAbs, math.Abs(g))
			if c.Status == "aligned" {
				aligned++
			}
			if g < worstGap {
				worstGap, worst = g, fmt.Sprintf("%s on %s", yNames[yi], xNames[xi])
			}
			cells = append(cells, item{
				Value: []any{xi, yi, g},
				Label: &opts.Label{Formatter: signed1(g)},
				Tooltip: tip(yNames[yi]+" · "+xNames[xi],
					"Promise "+num1OrDash(promise)+", experience "+num1(*c.Experience),
					"Gap "+signed1(g)+" ("+statusLabel(c.Status)+")",
					nCI(c)),
			})
		}
	}

	summary := fmt.Sprintf("Heatmap of the gap between experience and promise at %d touchpoints of %s on %d brand attributes. %d of %d measured cells are aligned within ±%s.",
		len(tps), journeyTitle(in.journey), len(attrs), aligned, len(cells), num1(in.report.Tolerance))
	if worst != "" {
		summary += fmt.Sprintf(" The largest shortfall is %s, %s.", worst, signed1(worstGap))
	}
	if len(cells) == 0 {
		summary += " No experience has been measured yet."
		t.note = "No experience measured in this wave."
	}

	// One scale for every heatmap (a page comparing two journeys, or two
	// waves, compares like with like), and the tolerance band in the
	// neutral colour: a gap the report calls aligned is never shaded.
	scale := gapScale(in.report.Tolerance)
	bound := scale.bound

	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(global(in, summary)...)
	hm.SetGlobalOptions(
		// HeatMap.Validate does not copy SetXAxis data to the axis
		// (the known go-echarts gap): set the categories here.
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xNames, Position: "top",
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 110, Overflow: "break"},
			SplitArea: &opts.SplitArea{Show: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: yNames, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 170, Overflow: "break"}}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "24", Top: "16", Bottom: "64", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type: "continuous", Calculable: opts.Bool(false),
			Min: float32(-bound), Max: float32(bound),
			Orient: "horizontal", Left: "center", Bottom: "4",
			InRange: &opts.VisualMapInRange{Color: diverging()},
		}),
	)
	cellStyle := &opts.ItemStyle{BorderColor: "rgba(128,128,128,0.35)", BorderWidth: 1}
	hm.AddSeries("Gap (experience − promise)", nil, withData(cells),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Color: colLabelDark, FontSize: 13}),
		charts.WithItemStyleOpts(*cellStyle))
	hm.AddSeries("No experience data", nil, withData(empty),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "no data", Color: colNoData, FontSize: 11}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "rgba(153,153,153,0.15)", BorderColor: "rgba(128,128,128,0.35)", BorderWidth: 1}))

	option, err := finish(hm, false, func(o map[string]any) {
		// The scale maps the gap series only; its text sits beside
		// the bar, and handles are labelled with one decimal.
		if vms, ok := o["visualMap"].([]any); ok && len(vms) > 0 {
			vm := vms[0].(map[string]any)
			vm["seriesIndex"] = 0
			vm["dimension"] = 2
			vm["precision"] = 1
			vm["type"] = "piecewise"
			vm["pieces"] = scale.pieces()
			vm["itemWidth"] = 14
			vm["itemHeight"] = 14
			vm["itemGap"] = 6
			vm["textGap"] = 4
			vm["textStyle"] = map[string]any{"fontSize": 11}
			vm["text"] = []string{"undersold", "over-promised"}
			vm["showLabel"] = true
			delete(vm, "inRange")
			delete(vm, "calculable")
		}
		twoLineLabels(o, "xAxis")
		lineHeight(o, "yAxis", 14)
	})
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: clampInt(110+38*len(tps), 260, 1400)}, nil
}

func num1OrDash(v *float64) string {
	if v == nil {
		return "–"
	}
	return num1(*v)
}

// gapColours is the diverging scale of gaps, over-promised (orange) to
// undersold (blue), with the aligned band neutral.
type gapColours struct {
	tol, mid, bound float64
}

// gapScale sets the steps from the tolerance alone, so that they mean
// the same on every heatmap, in every wave, and a data edit changes no
// other journey's page: the aligned band ±tol, a light step to twice
// the tolerance (at least tol + 0.5), a strong step beyond.
func gapScale(tol float64) gapColours {
	mid := math.Max(2*tol, tol+0.5)
	return gapColours{tol: tol, mid: mid, bound: 2 * mid}
}

// pieces are the visualMap's steps, named with their range; the band
// edges follow metrics.Status: |gap| == tol is aligned.
func (g gapColours) pieces() []any {
	c := diverging()
	t, m := num1(g.tol), num1(g.mid)
	// ECharts lays a horizontal piecewise scale out from the last piece
	// on the left to the first on the right, with text[1] before it and
	// text[0] after: listed high to low, it reads over-promised to
	// undersold, left to right.
	return []any{
		map[string]any{"gt": g.mid, "color": c[4], "label": "> +" + m},
		map[string]any{"gt": g.tol, "lte": g.mid, "color": c[3], "label": "+" + t + "…+" + m},
		map[string]any{"gte": -g.tol, "lte": g.tol, "color": c[2], "label": "±" + t},
		map[string]any{"gte": -g.mid, "lt": -g.tol, "color": c[1], "label": minus + m + "…" + minus + t},
		map[string]any{"lt": -g.mid, "color": c[0], "label": "< " + minus + m},
	}
}
