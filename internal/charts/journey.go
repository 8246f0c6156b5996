package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// drawJourney: weighted promise and performance as lines across the
// touchpoints in stage order, the emotion curve on a second axis
// (−2..2), and the stages as alternating bands behind them. Data,
// table, aria text and option are steps of their own.
func drawJourney(in *input) (*drawing, error) {
	rows := journeyRows(in)
	t := journeyTable(rows)
	summary := journeySummary(in, rows)
	if !rows.drawable() {
		return noData(in, summary, t, "No promise, experience or emotion to draw along this journey.")
	}
	option, err := journeyOption(in, rows, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 400}, nil
}

// journeyRow is a touchpoint along the journey: its weighted promise,
// performance and emotion, each absent when unknown.
type journeyRow struct {
	f                   tpFigures
	name                string
	promise, perf, emot *float64
}

type journeyRowList []journeyRow

func (rows journeyRowList) count() (measured int, hasEmotion bool) {
	for _, r := range rows {
		if r.perf != nil {
			measured++
		}
		hasEmotion = hasEmotion || r.emot != nil
	}
	return measured, hasEmotion
}

func (rows journeyRowList) drawable() bool {
	for _, r := range rows {
		if r.perf != nil || r.promise != nil || r.emot != nil {
			return true
		}
	}
	return false
}

func journeyRows(in *input) journeyRowList {
	var rows journeyRowList
	for _, f := range in.touchpoints() {
		r := journeyRow{f: f, name: touchpointName(f.tp)}
		if f.r != nil {
			r.promise, r.perf = f.r.Promise, f.r.Performance
		}
		if f.tp.Emotion != nil {
			r.emot = ptr(*f.tp.Emotion)
		}
		rows = append(rows, r)
	}
	return rows
}

func journeyTable(rows journeyRowList) table {
	t := table{head: []string{"Touchpoint", "Stage", "Weighted promise", "Performance", "Emotion"}}
	for _, r := range rows {
		t.rows = append(t.rows, []cell{txt(r.name), txt(r.f.tp.Stage), fig(r.promise), fig(r.perf), sfig(r.emot)})
	}
	return t
}

func journeySummary(in *input, rows journeyRowList) string {
	measured, hasEmotion := rows.count()
	s := fmt.Sprintf("Line chart of the journey %s: weighted promise and performance at %d touchpoints in stage order (%d measured)",
		journeyTitle(in.journey), len(rows), measured)
	if hasEmotion {
		s += ", with the customer's emotion from −2 to +2 on a second axis"
	}
	s += "."
	tps := make([]tpFigures, len(rows))
	for i, r := range rows {
		tps[i] = r.f
	}
	if low, ok := lowestEmotion(tps); ok {
		s += fmt.Sprintf(" Emotion is lowest at %s.", low)
	}
	return s
}

func journeyOption(in *input, rows journeyRowList, summary string) ([]byte, error) {
	_, hasEmotion := rows.count()
	tps := make([]tpFigures, len(rows))
	names := make([]string, len(rows))
	var promise, perf, emotion []item
	for i, r := range rows {
		tps[i], names[i] = r.f, r.name
		tt := tip(r.name+" ("+r.f.tp.Stage+")",
			"Weighted promise "+num1OrDash(r.promise),
			"Performance "+num1OrDash(r.perf),
			emotionLine(r.emot))
		promise = append(promise, item{Value: valueOr(r.promise), Tooltip: tt})
		perf = append(perf, item{Value: valueOr(r.perf), Tooltip: tt})
		emotion = append(emotion, item{Value: valueOr(r.emot), Tooltip: tt})
	}

	// Bands behind the lines, one per stage that has touchpoints, so a
	// reader sees where each stage begins without reading every label.
	var bands []any
	for k, st := range stageSpans(tps) {
		fill := "rgba(128,128,128,0.10)"
		if k%2 == 1 {
			fill = "rgba(128,128,128,0.03)"
		}
		// A stage name wraps within its band. The plot's width is only
		// known in the browser; 560 px is that of a half-width figure,
		// the narrowest usual place.
		width := max(40, 560*(st.last-st.first+1)/max(1, len(tps))-8)
		bands = append(bands, []any{
			map[string]any{"name": st.name, "xAxis": float64(st.first) - 0.5, "itemStyle": map[string]any{"color": fill},
				"label": map[string]any{"width": width, "overflow": "break"}},
			map[string]any{"xAxis": float64(st.last) + 0.5},
		})
	}

	sc := in.report.Scale
	line := charts.NewLine()
	line.SetGlobalOptions(global(in, summary)...)
	// Up to six touchpoints, names wrap under their slot; more would
	// collide, so they lean and are cut short (the tooltip and the
	// table have them whole).
	xLabel := &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 100, Overflow: "break"}
	if len(tps) > 6 {
		xLabel = &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Rotate: 35, Width: 130, Overflow: "truncate"}
	}
	// Room on the left for the axis name, which ECharts' containLabel
	// leaves out, and more for a first leaning touchpoint name.
	left := "40"
	if xLabel.Rotate > 0 {
		left = "64" // the first leaning name reaches left of the plot
	}
	line.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: names,
			AxisLabel: xLabel}),
		charts.WithYAxisOpts(valueAxisY("Score", sc.Min, sc.Max)),
		// Right: room for the emotion axis's name, beyond its labels.
		charts.WithGridOpts(opts.Grid{Left: left, Right: "32", Top: "76", Bottom: "16", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center", Data: []string{"Promise", "Experience", "Emotion"}}),
	)
	// A hidden value axis under the categories carries the stage bands:
	// on it a band can run from the edge of its first touchpoint's slot
	// to the edge of its last, even for a stage of one touchpoint.
	line.ExtendXAxis(opts.XAxis{Type: "value", Show: opts.Bool(false), Min: -0.5, Max: float64(len(tps)) - 0.5})
	line.ExtendYAxis(opts.YAxis{Type: "value", Name: "Emotion", NameLocation: "middle", NameGap: 28, Min: -2, Max: 2,
		Position: "right", SplitNumber: 4,
		AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	line.SetXAxis(names)
	line.AddSeries("Promise", nil, withData(promise),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Symbol, s.SymbolSize, s.Color, s.ConnectNulls = "diamond", 12, colPromise, opts.Bool(true)
		}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3}),
	)
	line.AddSeries("Experience", nil, withData(perf),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Symbol, s.SymbolSize, s.Color, s.ConnectNulls = "circle", 11, colExperience, opts.Bool(true)
		}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3}),
	)
	if hasEmotion {
		line.AddSeries("Emotion", nil, withData(emotion),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Symbol, s.SymbolSize, s.Color, s.YAxisIndex = "triangle", 11, colEmotion, 1
				s.Smooth, s.ConnectNulls = opts.Bool(true), opts.Bool(true)
			}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Type: "dashed"}),
		)
	}

	line.AddSeries("Stages", nil, withData([]item{}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.XAxisIndex = 1 }))

	return finish(line, false, func(o map[string]any) {
		// Stage bands: go-echarts' mark-area items have no per-area
		// style, so they are written here, on the hidden axis' series.
		series := o["series"].([]any)
		s := series[len(series)-1].(map[string]any)
		s["silent"] = true
		// A smoothed emotion curve must not swing past ±2 between
		// points: monotone smoothing keeps it within its neighbours.
		if hasEmotion {
			series[2].(map[string]any)["smoothMonotone"] = "x"
		}
		// With two y axes and a hidden x axis, ECharts would draw each
		// axis line at the other's zero (the middle of the emotion
		// axis, the first band): keep them on the grid's edges.
		for _, key := range []string{"xAxis", "yAxis"} {
			for _, a := range o[key].([]any) {
				a.(map[string]any)["axisLine"] = map[string]any{"onZero": false}
			}
		}
		twoLineLabels(o, "xAxis")
		s["markArea"] = map[string]any{
			"silent": true,
			"label":  map[string]any{"show": true, "position": "top", "color": colNoData, "fontSize": 12, "lineHeight": 14, "distance": 4},
			"data":   bands,
		}
	})
}

type stageSpan struct {
	name        string
	first, last int
}

// stageSpans groups consecutive touchpoints of one stage; the journey
// lists touchpoints in stage order, so each stage is one run.
func stageSpans(tps []tpFigures) []stageSpan {
	var out []stageSpan
	for i, f := range tps {
		if n := len(out); n > 0 && out[n-1].name == f.tp.Stage {
			out[n-1].last = i
			continue
		}
		out = append(out, stageSpan{name: f.tp.Stage, first: i, last: i})
	}
	return out
}

func emotionLine(e *float64) string {
	if e == nil {
		return ""
	}
	return "Emotion " + signed1(*e)
}

func lowestEmotion(tps []tpFigures) (string, bool) {
	found, low, name := false, 0.0, ""
	for _, f := range tps {
		if f.tp.Emotion != nil && (!found || *f.tp.Emotion < low) {
			found, low, name = true, *f.tp.Emotion, touchpointName(f.tp)
		}
	}
	if !found {
		return "", false
	}
	return fmt.Sprintf("%s (%s)", name, signed1(low)), true
}
