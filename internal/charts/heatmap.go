package charts

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// drawHeatmap: touchpoints (rows, stage order, top to bottom) × brand
// attributes (columns); a cell's colour is its gap on a diverging scale
// centred at 0, and its label is the signed gap, so the colour is never
// the only carrier of the figure. Cells keep their own gaps and
// statuses; a touchpoint's verdict is the gap chart's. Data, table, aria
// text and option are steps of their own.
func drawHeatmap(in *input) (*drawing, error) {
	g := heatmapData(in)
	t := heatmapTable(in, g)
	summary := heatmapSummary(in, g)
	if g.measured == 0 {
		return noData(in, summary, t, "No experience measured in this wave, so there is no gap to show.")
	}
	option, err := heatmapOption(in, g, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: clampInt(110+38*len(g.yNames), 260, 1400)}, nil
}

// hmCell is one (touchpoint, attribute) the touchpoint promises or has
// figures for; c is nil, or without a gap, when nothing was measured.
type hmCell struct {
	xi, yi  int
	stage   string
	promise *float64
	c       *metrics.CellReport
}

func (h hmCell) measured() bool { return h.c != nil && h.c.Gap != nil && h.c.Experience != nil }

// low says the cell rests on fewer answers than the base size (SPEC §9).
func (h hmCell) low() bool { return h.c != nil && h.c.LowBase != nil && *h.c.LowBase }

type heatGrid struct {
	xNames, yNames []string
	cells          []hmCell
	measured       int
}

func heatmapData(in *input) *heatGrid {
	tps := in.touchpoints()
	attrs := in.attributes()
	g := &heatGrid{xNames: make([]string, len(attrs)), yNames: make([]string, len(tps))}
	for i, a := range attrs {
		g.xNames[i] = in.attrName(a)
	}
	for yi, f := range tps {
		g.yNames[yi] = touchpointName(f.tp)
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
			h := hmCell{xi: xi, yi: yi, stage: f.tp.Stage, promise: promise, c: c}
			if h.measured() {
				g.measured++
			}
			g.cells = append(g.cells, h)
		}
	}
	return g
}

func heatmapTable(in *input, g *heatGrid) table {
	t := table{head: []string{"Touchpoint", "Stage", "Attribute", "Promise", "Experience", "Gap", "Status", "n", "95% CI"}}
	for _, h := range g.cells {
		row := []cell{txt(g.yNames[h.yi]), txt(h.stage), txt(g.xNames[h.xi]), fig(h.promise)}
		if !h.measured() {
			row = append(row, fig(nil), sfig(nil), txt("no data"), txt("–"), txt("–"))
		} else {
			row = append(row, fig(h.c.Experience), sfig(h.c.Gap), txt(statusLabel(h.c.Status)), intCell(h.c.N), ciCell(h.c.CI))
		}
		t.rows = append(t.rows, row)
	}
	if n := g.lowCells(); n > 0 {
		t.note = strings.TrimSpace(t.note + " " + lowNote(in, n))
	}
	return t
}

// lowCells counts the measured cells below the base size.
func (g *heatGrid) lowCells() int {
	n := 0
	for _, h := range g.cells {
		if h.measured() && h.low() {
			n++
		}
	}
	return n
}

func lowNote(in *input, n int) string {
	return fmt.Sprintf("%d cell(s) marked * rest on fewer answers than the base of %d and are faded.", n, in.minBase())
}

func heatmapSummary(in *input, g *heatGrid) string {
	aligned, worstGap, worst := 0, 0.0, ""
	for _, h := range g.cells {
		if !h.measured() {
			continue
		}
		if h.c.Status == "aligned" {
			aligned++
		}
		// A low-base cell is never named the largest shortfall (SPEC
		// §9): too few answers to single it out.
		if *h.c.Gap < worstGap && !h.low() {
			worstGap, worst = *h.c.Gap, fmt.Sprintf("%s on %s", g.yNames[h.yi], g.xNames[h.xi])
		}
	}
	s := fmt.Sprintf("Heatmap of the gap between experience and promise at %d touchpoints of %s on %d brand attributes. %d of %d measured cells are aligned within ±%s.",
		len(g.yNames), journeyTitle(in.journey), len(g.xNames), aligned, g.measured, num1(in.report.Tolerance))
	if worst != "" {
		s += fmt.Sprintf(" The largest shortfall is %s, %s.", worst, signed1(worstGap))
	}
	if n := g.lowCells(); n > 0 {
		s += " " + lowNote(in, n)
	}
	return s
}

func heatmapOption(in *input, g *heatGrid, summary string) ([]byte, error) {
	xNames, yNames := g.xNames, g.yNames
	var cells, empty []item
	for _, h := range g.cells {
		where := yNames[h.yi] + " · " + xNames[h.xi]
		if !h.measured() {
			empty = append(empty, item{
				Value:   []any{h.xi, h.yi, 0},
				Tooltip: tip(where, "Promise "+num1OrDash(h.promise), "No experience measured"),
			})
			continue
		}
		gap := *h.c.Gap
		it := item{
			Value: []any{h.xi, h.yi, gap},
			Label: &opts.Label{Formatter: signed1(gap)},
			Tooltip: tip(where,
				"Promise "+num1OrDash(h.promise)+", experience "+num1(*h.c.Experience),
				"Gap "+signed1(gap)+" ("+statusLabel(h.c.Status)+")",
				nCI(h.c), in.baseNote(h.c)),
		}
		if h.low() {
			it.ItemStyle = &opts.ItemStyle{Opacity: opts.Float(0.45)}
			it.Label.Formatter = signed1(gap) + "*"
		}
		cells = append(cells, it)
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

	return finish(hm, false, func(o map[string]any) {
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
		map[string]any{"gte": -g.mid, "lt": -g.tol, "color": c[1], "label": figure.Minus + m + "…" + figure.Minus + t},
		map[string]any{"lt": -g.mid, "color": c[0], "label": "< " + figure.Minus + m},
	}
}
