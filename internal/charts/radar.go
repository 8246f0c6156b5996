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
// journey, over all the brand's journeys. Data, table, aria text and
// option are steps of their own.
func drawRadar(in *input) (*drawing, error) {
	rows, scope := radarData(in)
	t := radarTable(rows)
	summary := fmt.Sprintf("Radar chart of %d brand attributes for %s: weighted promise against weighted experience.", len(rows), scope)
	if worst, g, ok := widest(t.rows); ok {
		summary += fmt.Sprintf(" The widest gap is on %s (%s).", worst, signed1(g))
	}
	measured := false
	for _, r := range rows {
		measured = measured || r.e != nil
	}
	if !measured {
		return noData(in, summary, t, "No experience measured in this wave, so there is nothing to set against the promise.")
	}
	option, err := radarOption(in, rows, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 420}, nil
}

// radarRow is an attribute's weighted promise and experience.
type radarRow struct {
	name string
	p, e *float64
}

func radarData(in *input) ([]radarRow, string) {
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
	rows := make([]radarRow, len(order))
	for i, id := range order {
		rows[i].name = in.attrName(id)
		if a := byID[id]; a != nil {
			rows[i].p, rows[i].e = a.Promise, a.Experience
		}
	}
	return rows, scope
}

func radarTable(rows []radarRow) table {
	t := table{head: []string{"Attribute", "Weighted promise", "Weighted experience", "Gap"}}
	for _, r := range rows {
		var g *float64
		if r.p != nil && r.e != nil {
			g = ptr(*r.e - *r.p)
		}
		t.rows = append(t.rows, []cell{txt(r.name), fig(r.p), fig(r.e), sfig(g)})
	}
	return t
}

func radarOption(in *input, rows []radarRow, summary string) ([]byte, error) {
	sc := in.report.Scale
	var indicators []*opts.Indicator
	var pv, ev []any
	var plines, elines []string
	for _, r := range rows {
		indicators = append(indicators, &opts.Indicator{Name: r.name, Min: float32(sc.Min), Max: float32(sc.Max)})
		pv = append(pv, valueOr(r.p))
		ev = append(ev, valueOr(r.e))
		plines = append(plines, r.name+" "+num1OrDash(r.p))
		elines = append(elines, r.name+" "+num1OrDash(r.e))
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

	return finish(r, true, func(o map[string]any) {
		radarTooltips(o, tip("Weighted promise", plines...), tip("Weighted experience", elines...))
		if rc, ok := o["radar"].(map[string]any); ok {
			rc["radius"] = "62%"
		}
	})
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
