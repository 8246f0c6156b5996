package charts

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// drawRadar: per brand attribute, the importance-weighted promise and
// experience, within a journey or, when the block names a brand and no
// journey, over all the brand's journeys.
func drawRadar(in *input) (*drawing, error) {
	var reports []*metrics.AttributeReport
	scope := ""
	switch {
	case in.jr != nil:
		reports, scope = in.jr.Attributes, journeyTitle(in.journey)
	case in.brand != nil:
		if br := in.report.Brand(in.brand.ID); br != nil {
			reports = br.Attributes
		}
		scope = brandName(in.brand) + ", all journeys"
	}
	// Brand order, whatever order the report uses.
	byID := map[string]*metrics.AttributeReport{}
	for _, a := range reports {
		byID[a.ID] = a
	}
	var order []string
	if in.journey != nil {
		order = in.attributes()
	} else if in.brand != nil {
		for _, a := range in.brand.Attributes {
			if byID[a.ID] != nil {
				order = append(order, a.ID)
			}
		}
	}

	sc := in.report.Scale
	t := table{head: []string{"Attribute", "Weighted promise", "Weighted experience", "Gap"}}
	var indicators []*opts.Indicator
	var pv, ev []any
	var plines, elines []string
	for _, id := range order {
		a := byID[id]
		name := in.attrName(id)
		var p, e, g *float64
		if a != nil {
			p, e = a.Promise, a.Experience
		}
		if p != nil && e != nil {
			g = ptr(*e - *p)
		}
		t.rows = append(t.rows, []cell{txt(name), fig(p), fig(e), sfig(g)})
		indicators = append(indicators, &opts.Indicator{Name: name, Min: float32(sc.Min), Max: float32(sc.Max)})
		pv = append(pv, valueOr(p))
		ev = append(ev, valueOr(e))
		plines = append(plines, name+" "+num1OrDash(p))
		elines = append(elines, name+" "+num1OrDash(e))
	}

	summary := fmt.Sprintf("Radar chart of %d brand attributes for %s: weighted promise against weighted experience.", len(order), scope)
	if worst, g, ok := widest(t.rows); ok {
		summary += fmt.Sprintf(" The widest gap is on %s (%s).", worst, signed1(g))
	}

	measured := false
	for _, v := range ev {
		if v != missing {
			measured = true
		}
	}
	if !measured {
		return noData(in, summary, t, "No experience measured in this wave, so there is nothing to set against the promise.")
	}

	r := charts.NewRadar()
	r.SetGlobalOptions(global(in, summary)...)
	r.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center"}),
		charts.WithRadarComponentOpts(opts.RadarComponent{
			Indicator:   indicators,
			Shape:       "polygon",
			SplitNumber: int(sc.Max - sc.Min),
			Center:      []string{"50%", "56%"},
			AxisName:    &opts.AxisName{Show: opts.Bool(true), Color: colAxisName, FontSize: 13, Width: 130, Overflow: "break"},
			SplitArea:   &opts.SplitArea{Show: opts.Bool(false)},
		}),
	)
	r.AddSeries("Promise", []opts.RadarData{{Name: "Promise", Value: pv}},
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "diamond", 10, colPromise }),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Type: "dashed"}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.08)}))
	r.AddSeries("Experience", []opts.RadarData{{Name: "Experience", Value: ev}},
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "circle", 9, colExperience }),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.25)}))

	option, err := finish(r, true, func(o map[string]any) {
		radarTooltips(o, tip("Weighted promise", plines...), tip("Weighted experience", elines...))
		if rc, ok := o["radar"].(map[string]any); ok {
			rc["radius"] = "62%"
		}
	})
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 420}, nil
}

// radarTooltips puts one precomputed tooltip on each series' single
// data item, in series order: go-echarts' RadarData has no tooltip.
func radarTooltips(o map[string]any, tips ...*itemTooltip) {
	for i, s := range o["series"].([]any) {
		if i >= len(tips) {
			return
		}
		data, _ := s.(map[string]any)["data"].([]any)
		for _, d := range data {
			d.(map[string]any)["tooltip"] = map[string]any{"formatter": tips[i].Formatter}
		}
	}
}

// widest finds the row whose gap (last column) is furthest below zero,
// or above it when none is below.
func widest(rows [][]cell) (string, float64, bool) {
	found, best, name := false, 0.0, ""
	for _, r := range rows {
		g := r[len(r)-1].value
		if g == nil {
			continue
		}
		if !found || abs(*g) > abs(best) || abs(*g) == abs(best) && *g < best {
			found, best, name = true, *g, strings.TrimSpace(r[0].text)
		}
	}
	return name, best, found
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
