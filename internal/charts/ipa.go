package charts

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
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
// midpoint) and the four quadrants named on the plot.
func drawIPA(in *input) (*drawing, error) {
	qs := quadrants()
	points := make([][]item, len(qs))
	t := table{head: []string{"Touchpoint", "Stage", "Importance", "Performance", "Quadrant"}}
	sc := in.report.Scale
	lo, hi := math.Inf(1), math.Inf(-1)
	plotted := 0
	counts := map[string]int{}
	for _, f := range in.touchpoints() {
		name := touchpointName(f.tp)
		imp := f.tp.Importance
		if f.r != nil {
			imp = f.r.Importance
		}
		if f.r == nil || f.r.Performance == nil || f.r.Quadrant == "" {
			t.rows = append(t.rows, []cell{txt(name), txt(f.tp.Stage), figv(imp), txt("–"), txt("no data")})
			continue
		}
		perf := *f.r.Performance
		qi := quadrantIndex(f.r.Quadrant)
		t.rows = append(t.rows, []cell{txt(name), txt(f.tp.Stage), figv(imp), figv(perf), txt(qs[qi].name)})
		points[qi] = append(points[qi], item{
			Name:    name,
			Value:   []any{perf, imp},
			Tooltip: tip(name, "Performance "+num1(perf)+", importance "+num1(imp), qs[qi].name),
		})
		lo, hi = math.Min(lo, math.Min(perf, imp)), math.Max(hi, math.Max(perf, imp))
		plotted++
		counts[qs[qi].id]++
	}
	cross := in.jr.Crosshair
	if cross != nil {
		lo, hi = math.Min(lo, math.Min(cross.X, cross.Y)), math.Max(hi, math.Max(cross.X, cross.Y))
	}
	// Zoom to the data in whole steps, with half a step of room around
	// it for the quadrant names in the corners. The room may reach past
	// the scale (a touchpoint of importance 5 on a 1..5 scale); that
	// end's tick label is then hidden, so no axis shows a 5.5.
	axLo, axHi := sc.Min, sc.Max
	if plotted > 0 {
		axLo = math.Max(sc.Min-0.5, math.Floor(lo-0.5))
		axHi = math.Min(sc.Max+0.5, math.Ceil(hi+0.5))
	}
	// Labels run right, except near the right edge where they would
	// run off the plot.
	mid := axHi - (axHi-axLo)/4
	for _, ps := range points {
		for i := range ps {
			side := "right"
			if ps[i].Value.([]any)[0].(float64) > mid {
				side = "left"
			}
			ps[i].Label = &opts.Label{Position: side}
		}
	}
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

	summary := fmt.Sprintf("Importance–performance scatter of %d touchpoints of %s: performance across, importance up.", plotted, journeyTitle(in.journey))
	if cross != nil {
		summary += fmt.Sprintf(" The crosshair is at performance %s and importance %s.", num1(cross.X), num1(cross.Y))
		t.note = fmt.Sprintf("Crosshair at performance %s, importance %s; a point on a line counts as high.", num1(cross.X), num1(cross.Y))
	}
	for _, q := range qs {
		if counts[q.id] > 0 {
			summary += fmt.Sprintf(" %s: %d.", q.name, counts[q.id])
		}
	}

	sp := charts.NewScatter()
	sp.SetGlobalOptions(global(in, summary)...)
	sp.SetGlobalOptions(
		charts.WithXAxisOpts(xAxis),
		charts.WithYAxisOpts(yAxis),
		charts.WithGridOpts(opts.Grid{Left: "24", Right: "32", Top: "56", Bottom: "28", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(legendOpts()),
	)
	for i, q := range qs {
		sp.AddSeries(q.name, nil, withData(points[i]),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = q.symbol, 15, q.colour }),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "right", FontSize: 12}),
			charts.WithLabelLayoutOpts(opts.LabelLayout{MoveOverlap: "shiftY"}))
	}
	// The quadrants and crosshair ride on a series of their own, so
	// they show whatever quadrant has points.
	sp.AddSeries("Quadrants", nil, withData([]item{}))

	option, err := finish(sp, false, func(o map[string]any) {
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
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 440}, nil
}

func quadrantIndex(id string) int {
	for i, q := range quadrants() {
		if q.id == id {
			return i
		}
	}
	return 2
}
