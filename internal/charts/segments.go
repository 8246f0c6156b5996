package charts

import (
	"fmt"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// segFigure is one figure of the segments chart: a score or an NPS with
// what backs it.
type segFigure struct {
	value  float64
	ci     *[2]float64
	n      *int
	low    bool
	change *metrics.Change
}

// segmentFigure picks the spec's figure out of a journey's report: a
// touchpoint's cell or NPS, or the journey's attribute or relationship
// NPS. ok is false when the figure is absent.
func segmentFigure(spec Spec, jr *metrics.JourneyReport) (segFigure, bool) {
	if jr == nil {
		return segFigure{}, false
	}
	npsOf := func(n *metrics.NPSReport) (segFigure, bool) {
		if n == nil {
			return segFigure{}, false
		}
		ci, nn := n.CI, n.N
		return segFigure{value: n.Score, ci: &ci, n: &nn, low: n.LowBase, change: n.Change}, true
	}
	if spec.Touchpoint != "" {
		tr := jr.Touchpoint(spec.Touchpoint)
		if tr == nil {
			return segFigure{}, false
		}
		if spec.NPS {
			return npsOf(tr.NPS)
		}
		for _, c := range tr.Attributes {
			if c.ID == spec.Attribute && c.Experience != nil {
				return segFigure{value: *c.Experience, ci: c.CI, n: c.N, low: c.LowBase != nil && *c.LowBase, change: c.Change}, true
			}
		}
		return segFigure{}, false
	}
	if spec.NPS {
		return npsOf(jr.NPS)
	}
	for _, a := range jr.Attributes {
		if a.ID == spec.Attribute && a.Experience != nil {
			return segFigure{value: *a.Experience}, true
		}
	}
	return segFigure{}, false
}

// drawSegments: one figure (an attribute's experience or an NPS) across
// the values of one segment (SPEC §9 "Segments"), each value a dot with
// its 95% interval as an error bar, the figure over all respondents a
// dashed line. Low-base values are faded and starred.
func drawSegments(in *input) (*drawing, error) {
	spec := in.spec
	what := "the relationship NPS"
	unit, fmtV := "NPS", signed1
	lo, hi := -100.0, 100.0
	if !spec.NPS {
		what = "experience of " + in.attrName(spec.Attribute)
		unit, fmtV = "Experience", num1
		lo, hi = in.report.Scale.Min, in.report.Scale.Max
	}
	if spec.Touchpoint != "" {
		name := spec.Touchpoint
		if t := in.journey.Touchpoint(spec.Touchpoint); t != nil {
			name = touchpointName(t)
		}
		if spec.NPS {
			what = "NPS"
		}
		what += " at " + name
	}
	t := table{head: []string{spec.Segment, unit, "n", "95% CI"}}
	summary := fmt.Sprintf("Comparison of %s across the values of segment %q along %s.", what, spec.Segment, journeyTitle(in.journey))

	var names []string
	var bars, dots []item
	var without []string
	lowCount := 0
	for _, s := range in.site.Segments {
		if s.ID != spec.Segment {
			continue
		}
		var jr *metrics.JourneyReport
		if sr := in.report.Segment(s.ID, s.Slug); sr != nil {
			jr = sr.Journey(in.journey.ID)
		}
		f, ok := segmentFigure(spec, jr)
		if !ok {
			without = append(without, s.Value)
			continue
		}
		i := len(names)
		names = append(names, s.Value)
		v := f.value
		lines := []string{unit + " " + fmtV(v)}
		if f.n != nil {
			lines = append(lines, "n "+strconv.Itoa(*f.n))
		}
		if f.ci != nil {
			lines = append(lines, "95% CI "+ciText(*f.ci))
		}
		label := fmtV(v)
		if f.low {
			lowCount++
			label += "*"
			lines = append(lines, fmt.Sprintf("n = %d, below the base of %d", *f.n, in.minBase()))
		}
		tt := tip(s.Value, lines...)
		t.rows = append(t.rows, []cell{txt(s.Value), {text: fmtV(v), value: &v}, intCell(f.n), ciCell(f.ci)})
		dot := item{Value: []any{i, v}, Tooltip: tt, Label: &opts.Label{Formatter: label}}
		if f.low {
			dot.ItemStyle = &opts.ItemStyle{Opacity: opts.Float(0.45)}
		}
		dots = append(dots, dot)
		if f.ci != nil {
			bars = append(bars, item{Value: []any{v, v, f.ci[0], f.ci[1]}, Tooltip: tt})
		} else {
			bars = append(bars, item{Value: []any{missing, missing, missing, missing}})
		}
	}
	all, hasAll := segmentFigure(spec, in.jr)
	if hasAll {
		a := all.value
		t.rows = append(t.rows, []cell{txt("All respondents"), {text: fmtV(a), value: &a}, intCell(all.n), ciCell(all.ci)})
		summary += " All respondents: " + fmtV(a) + "."
	}
	if len(without) > 0 {
		t.note = fmt.Sprintf("No figure for: %s.", joinOr(without))
	}
	if lowCount > 0 {
		note := fmt.Sprintf("Values marked * rest on fewer answers than the base of %d and are faded.", in.minBase())
		t.note = trimJoin(t.note, note)
		summary += " " + note
	}
	if len(names) == 0 {
		msg := fmt.Sprintf("No segmented data for segment %q: segments come from the segments of a survey mapping or database source.", spec.Segment)
		if spec.Segment == "" {
			msg = "No segmented data: segments come from the segments of a survey mapping or database source."
		}
		if len(without) > 0 {
			msg = fmt.Sprintf("No value of segment %q has this figure in this wave.", spec.Segment)
		}
		return noData(in, summary, t, msg)
	}
	for i, n := range names {
		summary += fmt.Sprintf(" %s: %s.", n, dots[i].Label.Formatter)
	}

	k := charts.NewKLine()
	k.SetGlobalOptions(global(in, summary)...)
	k.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: names,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 110, Overflow: "break"}}),
		charts.WithYAxisOpts(valueAxisY(unit, lo, hi)),
		// The right margin holds the "All" line's label, beside the plot
		// where no value's label can run into it.
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "88", Top: "40", Bottom: "16", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center", Data: []string{unit, "95% confidence interval"}}),
	)
	k.SetXAxis(names)
	k.AddSeries("95% confidence interval", nil, withData(bars),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colPromise, Color0: colPromise, BorderColor: colPromise, BorderColor0: colPromise}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "16" }))
	sp := charts.NewScatter()
	sp.AddSeries(unit, nil, withData(dots),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "circle", 14, colExperience }),
		// Above the dot, inside its own column: to its right, the last
		// value ran into the "All" line's label on a phone.
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", FontSize: 13, FontWeight: "bold", Color: "inherit"}))
	k.Overlap(sp)
	option, err := finish(k, false, func(o map[string]any) {
		series := o["series"].([]any)
		series[0].(map[string]any)["itemStyle"].(map[string]any)["borderWidth"] = 2
		dot := series[1].(map[string]any)
		dot["z"] = 3
		dot["label"].(map[string]any)["distance"] = 10
		twoLineLabels(o, "xAxis")
		if hasAll {
			dot["markLine"] = map[string]any{
				"silent": true, "symbol": []any{"none", "none"},
				"lineStyle": map[string]any{"color": colCrosshair, "type": "dashed", "width": 1},
				"label":     map[string]any{"show": true, "position": "end", "formatter": esc("All\n" + fmtV(all.value))},
				"data":      []any{map[string]any{"yAxis": all.value}},
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 360}, nil
}

func trimJoin(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
