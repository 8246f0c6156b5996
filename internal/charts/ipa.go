package charts

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// quadrant is one named quadrant of the importance–performance grid.
type quadrant struct {
	id, name, symbol, colour, corner string
}

// quadrants in legend order; each has its own symbol and colour.
func quadrants() []quadrant {
	return []quadrant{
		{"concentrate", "Concentrate here", "triangle", colOver, "insideTopLeft"},
		{"keep-up", "Keep up the good work", "circle", colAligned, "insideTopRight"},
		{"low-priority", "Low priority", "rect", colNoData, "insideBottomLeft"},
		{"overkill", "Possible overkill", "diamond", colUnder, "insideBottomRight"},
	}
}

// drawIPA: importance–performance scatter, x = performance, y =
// importance, a crosshair where the report puts it (means or scale
// midpoint) and the four quadrants named on the plot. The quadrants are
// this chart's alone: pages show each touchpoint's priority (SPEC §9).
// Data, table, aria text and option are steps of their own.
func drawIPA(in *input) (*drawing, error) {
	p := ipaData(in)
	t := ipaTable(p)
	summary := ipaSummary(in, p)
	if p.plotted == 0 {
		return noData(in, summary, t, "No touchpoint has a performance in this wave, so none can be placed.")
	}
	option, err := ipaOption(in, p, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 440}, nil
}

// ipaRow is a touchpoint of the scatter; q is its quadrant's index, −1
// without a performance.
type ipaRow struct {
	name, stage string
	priority    string // the touchpoint's verdict, shown beside its quadrant
	imp         float64
	perf        *float64
	q           int
}

// ipaPlot is the scatter before drawing: points per quadrant (labels
// placed), the axis range and the crosshair.
type ipaPlot struct {
	rows         []ipaRow
	points       [][]item
	counts       map[string]int
	plotted      int
	axLo, axHi   float64
	cross        *metrics.Point
	quadrantList []quadrant
}

func ipaData(in *input) *ipaPlot {
	qs := quadrants()
	p := &ipaPlot{points: make([][]item, len(qs)), counts: map[string]int{}, cross: in.jr.Crosshair, quadrantList: qs}
	sc := in.report.Scale
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, f := range in.touchpoints() {
		name := touchpointName(f.tp)
		imp := f.tp.Importance
		if f.r != nil {
			imp = f.r.Importance
		}
		if f.r == nil || f.r.Performance == nil || f.r.Quadrant == "" {
			p.rows = append(p.rows, ipaRow{name: name, stage: f.tp.Stage, imp: imp, q: -1, priority: priorityOf(f)})
			continue
		}
		perf := *f.r.Performance
		qi := quadrantIndex(f.r.Quadrant)
		p.rows = append(p.rows, ipaRow{name: name, stage: f.tp.Stage, imp: imp, perf: &perf, q: qi, priority: priorityOf(f)})
		p.points[qi] = append(p.points[qi], item{
			Name:  name,
			Value: []any{perf, imp},
			Tooltip: tip(name, "Performance "+num1(perf)+", importance "+num1(imp), qs[qi].name,
				"Priority: "+priorityLabel(priorityOf(f))+" ("+statusLabel(f.r.Status)+")"),
		})
		lo, hi = math.Min(lo, math.Min(perf, imp)), math.Max(hi, math.Max(perf, imp))
		p.plotted++
		p.counts[qs[qi].id]++
	}
	if c := p.cross; c != nil {
		lo, hi = math.Min(lo, math.Min(c.X, c.Y)), math.Max(hi, math.Max(c.X, c.Y))
	}
	// Zoom to the data in whole steps, with half a step of room around
	// it for the quadrant names in the corners. The room may reach past
	// the scale (a touchpoint of importance 5 on a 1..5 scale); that
	// end's tick label is then hidden, so no axis shows a 5.5.
	p.axLo, p.axHi = sc.Min, sc.Max
	if p.plotted > 0 {
		p.axLo = math.Max(sc.Min-0.5, math.Floor(lo-0.5))
		p.axHi = math.Min(sc.Max+0.5, math.Ceil(hi+0.5))
	}
	placeLabels(p.points, p.axLo, p.axHi)
	return p
}

func ipaTable(p *ipaPlot) table {
	t := table{head: []string{"Touchpoint", "Stage", "Importance", "Performance", "Quadrant", "Priority"}}
	for _, r := range p.rows {
		if r.q < 0 {
			t.rows = append(t.rows, []cell{txt(r.name), txt(r.stage), figv(r.imp), txt("–"), txt("no data"), txt(priorityLabel(r.priority))})
			continue
		}
		t.rows = append(t.rows, []cell{txt(r.name), txt(r.stage), figv(r.imp), fig(r.perf), txt(p.quadrantList[r.q].name), txt(priorityLabel(r.priority))})
	}
	if c := p.cross; c != nil {
		t.note = fmt.Sprintf("Crosshair at performance %s, importance %s; a point on a line counts as high.", num1(c.X), num1(c.Y))
	}
	return t
}

func ipaSummary(in *input, p *ipaPlot) string {
	s := fmt.Sprintf("Importance–performance scatter of %d touchpoints of %s: performance across, importance up.", p.plotted, journeyTitle(in.journey))
	if c := p.cross; c != nil {
		s += fmt.Sprintf(" The crosshair is at performance %s and importance %s.", num1(c.X), num1(c.Y))
	}
	for _, q := range p.quadrantList {
		if p.counts[q.id] > 0 {
			s += fmt.Sprintf(" %s: %d.", q.name, p.counts[q.id])
		}
	}
	return s
}

func ipaOption(in *input, p *ipaPlot, summary string) ([]byte, error) {
	qs, points, cross, axLo, axHi := p.quadrantList, p.points, p.cross, p.axLo, p.axHi
	sc := in.report.Scale
	inScale := func(ax any, lo, hi float64) {
		var l *opts.AxisLabel
		switch a := ax.(type) {
		case *opts.XAxis:
			a.AxisLabel = &opts.AxisLabel{Show: opts.Bool(true)}
			l = a.AxisLabel
		case *opts.YAxis:
			l = a.AxisLabel
		}
		l.ShowMinLabel = opts.Bool(lo >= sc.Min)
		l.ShowMaxLabel = opts.Bool(hi <= sc.Max)
	}
	xAxis, yAxis := valueAxisX("Performance", axLo, axHi), valueAxisY("Importance", axLo, axHi)
	inScale(&xAxis, axLo, axHi)
	inScale(&yAxis, axLo, axHi)

	sp := charts.NewScatter()
	sp.SetGlobalOptions(global(in, summary)...)
	sp.SetGlobalOptions(
		charts.WithXAxisOpts(xAxis),
		charts.WithYAxisOpts(yAxis),
		charts.WithGridOpts(opts.Grid{Left: "32", Right: "32", Top: "56", Bottom: "28", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(legendOpts()),
	)
	for i, q := range qs {
		sp.AddSeries(q.name, nil, withData(points[i]),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Symbol, s.SymbolSize, s.Color = q.symbol, 15, q.colour
				// ECharts lays labels out once, when drawing starts: a
				// symbol growing in from nothing has no size then, and
				// overlapping labels would go undetected.
				s.Animation = opts.Bool(false)
			}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "right", FontSize: 12}),
			// placeLabels has kept names apart for a half-width figure;
			// should the drawing be narrower still, ECharts hides what
			// overlaps (the tooltip and the table name every point).
			charts.WithLabelLayoutOpts(opts.LabelLayout{HideOverlap: opts.Bool(true)}))
	}
	// The quadrants and crosshair ride on a series of their own, so
	// they show whatever quadrant has points.
	sp.AddSeries("Quadrants", nil, withData([]item{}))

	return finish(sp, false, func(o map[string]any) {
		if cross == nil {
			return
		}
		series := o["series"].([]any)
		s := series[len(series)-1].(map[string]any)
		s["silent"] = true
		s["markLine"] = map[string]any{
			"silent": true, "symbol": []any{"none", "none"},
			"lineStyle": map[string]any{"color": colCrosshair, "type": "dashed", "width": 1},
			"label":     map[string]any{"show": false},
			"data":      []any{map[string]any{"xAxis": cross.X}, map[string]any{"yAxis": cross.Y}},
		}
		x0, x1, y0, y1 := any(axLo), any(axHi), any(axLo), any(axHi)
		area := func(q quadrant, xa, ya, xb, yb any, fill string) []any {
			return []any{
				map[string]any{"name": q.name, "xAxis": xa, "yAxis": ya, "itemStyle": map[string]any{"color": fill},
					"label": map[string]any{"position": q.corner}},
				map[string]any{"xAxis": xb, "yAxis": yb},
			}
		}
		quiet := "rgba(128,128,128,0.04)"
		s["markArea"] = map[string]any{
			"silent": true,
			"label":  map[string]any{"show": true, "color": colNoData, "fontSize": 12, "fontWeight": "bold"},
			"data": []any{
				area(qs[0], x0, cross.Y, cross.X, y1, "rgba(213,94,0,0.07)"),
				area(qs[1], cross.X, cross.Y, x1, y1, quiet),
				area(qs[2], x0, y0, cross.X, cross.Y, quiet),
				area(qs[3], cross.X, y0, x1, cross.Y, quiet),
			},
		}
		if l, ok := o["legend"].(map[string]any); ok {
			names := make([]any, len(qs))
			for i, q := range qs {
				names[i] = q.name
			}
			l["data"] = names
		}
	})
}

// priorityOf is a touchpoint's verdict, "" without figures.
func priorityOf(f tpFigures) string {
	if f.r == nil {
		return ""
	}
	return f.r.Priority
}

func quadrantIndex(id string) int {
	for i, q := range quadrants() {
		if q.id == id {
			return i
		}
	}
	return 2
}

// placeLabels gives each point's name a side (right, left, above,
// below) where it overlaps no other name, no point and no quadrant
// title, or hides it when no side is free: touchpoints cluster (many
// share an importance), and names written over each other help nobody.
// ECharts' own overlap handling cannot choose which name to keep, nor
// try another side. The geometry is that of a half-width figure (the
// narrowest usual one): wider drawings only have more room.
//
// What is taken is kept in a grid of cells (issue 17): a candidate is
// checked only against what lies in the cells it covers, not against
// every point of a journey of thousands, and since "overlaps anything"
// does not depend on the order of checking, the result is the same.
func placeLabels(points [][]item, lo, hi float64) {
	const plotW, plotH = 470.0, 300.0
	const fontW, lineH, sym = 6.6, 14.0, 8.0 // px per character, label height, half a symbol
	px := func(v []any) (float64, float64) {
		x, y := v[0].(float64), v[1].(float64)
		return (x - lo) / (hi - lo) * plotW, (hi - y) / (hi - lo) * plotH
	}
	taken := newRectGrid(plotW, plotH)
	// The quadrant titles sit in the corners.
	for _, r := range []rect{{0, 0, 130, 18}, {plotW - 150, 0, plotW, 18}, {0, plotH - 18, 100, plotH}, {plotW - 120, plotH - 18, plotW, plotH}} {
		taken.add(r)
	}
	for _, ps := range points {
		for _, p := range ps {
			x, y := px(p.Value.([]any))
			taken.add(rect{x - sym, y - sym, x + sym, y + sym})
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
				for _, s := range sides {
					if s.r.x0 < 0 || s.r.x1 > plotW || s.r.y0 < 0 || s.r.y1 > plotH {
						continue
					}
					if taken.overlaps(s.r) {
						continue
					}
					taken.add(s.r)
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

// rect is a box on the plot, in px from its top left corner.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) overlaps(b rect) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// rectGrid holds boxes in square cells over the plot; a box lies in
// every cell it touches, and one reaching past the plot in the edge
// cells, so a query within the plot meets every box it could overlap.
type rectGrid struct {
	cols, rows int
	cells      [][]rect
}

// gridCell is the side of a cell in px: about a label's height, so a
// cell holds few boxes and a name covers few cells.
const gridCell = 16.0

func newRectGrid(w, h float64) *rectGrid {
	cols, rows := int(math.Ceil(w/gridCell)), int(math.Ceil(h/gridCell))
	return &rectGrid{cols: cols, rows: rows, cells: make([][]rect, cols*rows)}
}

// span is the range of cells [a, b] a box's side from lo to hi covers,
// clamped to the grid; ok is false for a box with no extent to
// compare (NaN: it overlaps nothing).
func span(lo, hi float64, n int) (a, b int, ok bool) {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, 0, false
	}
	clamp := func(v float64) int { return int(math.Max(0, math.Min(float64(n-1), math.Floor(v/gridCell)))) }
	return clamp(lo), clamp(hi), true
}

func (g *rectGrid) add(r rect) {
	c0, c1, ok := span(r.x0, r.x1, g.cols)
	r0, r1, ok2 := span(r.y0, r.y1, g.rows)
	if !ok || !ok2 {
		return
	}
	for row := r0; row <= r1; row++ {
		for col := c0; col <= c1; col++ {
			g.cells[row*g.cols+col] = append(g.cells[row*g.cols+col], r)
		}
	}
}

func (g *rectGrid) overlaps(r rect) bool {
	c0, c1, ok := span(r.x0, r.x1, g.cols)
	r0, r1, ok2 := span(r.y0, r.y1, g.rows)
	if !ok || !ok2 {
		return false
	}
	for row := r0; row <= r1; row++ {
		for col := c0; col <= c1; col++ {
			for _, t := range g.cells[row*g.cols+col] {
				if r.overlaps(t) {
					return true
				}
			}
		}
	}
	return false
}
