package charts

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// drawConsistency: per attribute, a boxplot of the experience measured
// at the journey's touchpoints, with each touchpoint as a dot over it
// and the consistency index (SPEC §5) under the attribute's name. Data,
// table, aria text and option are steps of their own.
func drawConsistency(in *input) (*drawing, error) {
	spreads := consistencyData(in)
	t := consistencyTable(spreads)
	summary := consistencySummary(in, spreads)
	measured := false
	for _, sp := range spreads {
		measured = measured || len(sp.values) > 0
	}
	if !measured {
		return noData(in, summary, t, "No experience measured in this wave, so there is no spread to show.")
	}
	option, err := consistencyOption(in, spreads, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 400}, nil
}

// spread is one attribute's experience across the journey's
// touchpoints, with the cells it comes from.
type spread struct {
	name   string
	cons   *float64
	values []float64
	from   []tpCell
}

type tpCell struct {
	tp *tpFigures
	c  *metrics.CellReport
}

func consistencyData(in *input) []spread {
	byID := map[string]*metrics.AttributeReport{}
	for _, a := range in.jr.Attributes {
		byID[a.ID] = a
	}
	tps := in.touchpoints()
	var out []spread
	for _, a := range in.attributes() {
		sp := spread{name: in.attrName(a)}
		if r := byID[a]; r != nil {
			sp.cons = r.Consistency
		}
		for k := range tps {
			c := tps[k].cell(a)
			if c == nil || c.Experience == nil {
				continue
			}
			sp.values = append(sp.values, *c.Experience)
			sp.from = append(sp.from, tpCell{tp: &tps[k], c: c})
		}
		out = append(out, sp)
	}
	return out
}

func consistencyTable(spreads []spread) table {
	t := table{head: []string{"Attribute", "Touchpoints measured", "Min", "Q1", "Median", "Q3", "Max", "Consistency"}}
	for _, sp := range spreads {
		if len(sp.values) == 0 {
			t.rows = append(t.rows, []cell{txt(sp.name), figCount(0), txt("–"), txt("–"), txt("–"), txt("–"), txt("–"), fig(sp.cons)})
			continue
		}
		row := []cell{txt(sp.name), figCount(len(sp.values))}
		for _, v := range fiveNumbers(sp.values) {
			row = append(row, figv(v))
		}
		t.rows = append(t.rows, append(row, fig(sp.cons)))
	}
	return t
}

func consistencySummary(in *input, spreads []spread) string {
	var least string
	leastC := math.Inf(1)
	for _, sp := range spreads {
		if sp.cons != nil && *sp.cons < leastC {
			leastC, least = *sp.cons, sp.name
		}
	}
	s := fmt.Sprintf("Box plot of the experience measured at the touchpoints of %s, one box per brand attribute (%d attributes).",
		journeyTitle(in.journey), len(spreads))
	if least != "" {
		s += fmt.Sprintf(" The least consistent attribute is %s (consistency %s of 100).", least, num1(leastC))
	}
	return s
}

func consistencyOption(in *input, spreads []spread, summary string) ([]byte, error) {
	names := make([]string, len(spreads))
	var boxes, dots []item
	for i, sp := range spreads {
		names[i] = sp.name
		if sp.cons != nil {
			names[i] = sp.name + "\nconsistency " + num1(*sp.cons)
		}
		for k, e := range sp.values {
			dots = append(dots, item{Value: []any{i, e},
				Tooltip: tip(touchpointName(sp.from[k].tp.tp), sp.name+": experience "+num1(e), nCI(sp.from[k].c))})
		}
		if len(sp.values) == 0 {
			boxes = append(boxes, item{Value: []any{missing, missing, missing, missing, missing}})
			continue
		}
		five := fiveNumbers(sp.values)
		consLine := ""
		if sp.cons != nil {
			consLine = "Consistency " + num1(*sp.cons)
		}
		boxes = append(boxes, item{Value: five[:], Tooltip: tip(sp.name,
			fmt.Sprintf("%d touchpoints measured", len(sp.values)),
			"Min "+num1(five[0])+", Q1 "+num1(five[1])+", median "+num1(five[2])+", Q3 "+num1(five[3])+", max "+num1(five[4]),
			consLine)})
	}

	sc := in.report.Scale
	bp := charts.NewBoxPlot()
	bp.SetGlobalOptions(global(in, summary)...)
	bp.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: names,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}),
		charts.WithYAxisOpts(valueAxisY("Experience", sc.Min, sc.Max)),
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "24", Top: "40", Bottom: "16", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(legendOpts()),
	)
	bp.SetXAxis(names)
	bp.AddSeries("Spread across touchpoints", nil, withData(boxes),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "rgba(61,133,198,0.18)", BorderColor: colPromise, BorderWidth: 2}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Color = colPromise }))
	sp := charts.NewScatter()
	sp.AddSeries("Touchpoint", nil, withData(dots),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "circle", 10, colExperience }),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1, Opacity: opts.Float(0.9)}))
	bp.Overlap(sp)

	return finish(bp, false, func(o map[string]any) {
		s := o["series"].([]any)[0].(map[string]any)
		s["boxWidth"] = []any{24, 64}
		twoLineLabels(o, "xAxis")
	})
}

// fiveNumbers is min, Q1, median, Q3, max with quartiles interpolated
// linearly between order statistics (R's type 7, spreadsheets'
// QUARTILE), the convention most readers will have met.
func fiveNumbers(values []float64) [5]float64 {
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	q := func(p float64) float64 {
		h := p * float64(len(v)-1)
		lo := math.Floor(h)
		i := int(lo)
		if i+1 >= len(v) {
			return v[len(v)-1]
		}
		return v[i] + (h-lo)*(v[i+1]-v[i])
	}
	return [5]float64{v[0], q(0.25), q(0.5), q(0.75), v[len(v)-1]}
}

func figCount(n int) cell {
	x := float64(n)
	return cell{text: fmt.Sprint(n), value: &x}
}
