package charts

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// drawDrivers: the key drivers of recommending along a journey (SPEC §9
// "Key drivers"), one bar per attribute of its Shapley (LMG) share of
// the R² of recommend regressed on the attributes, largest first; r in
// the tooltip and the table, R² and n in the subtitle. The shares sum
// to R², so the bars read as how the explained part divides.
func drawDrivers(in *input) (*drawing, error) {
	var d *metrics.DriversReport
	if in.jr != nil {
		d = in.jr.Drivers
	}
	t := table{head: []string{"Attribute", "Share of R²", "Share of the explained", "Correlation r"}}
	scope := journeyTitle(in.journey)
	if d == nil {
		summary := fmt.Sprintf("Key drivers of recommending along %s.", scope)
		return noData(in, summary, t, fmt.Sprintf("No key drivers in this wave: they need at least %d answer rows with recommend and every attribute of the journey.", metrics.MinDriverRows))
	}
	rows := slices.Clone(d.Attributes)
	slices.SortStableFunc(rows, func(a, b *metrics.DriverReport) int {
		if c := cmp.Compare(shareOr(b), shareOr(a)); c != 0 {
			return c
		}
		return cmp.Compare(b.R, a.R)
	})
	sub := fmt.Sprintf("R² = %s, n = %d complete answer rows", figure.Two(d.R2), d.N)
	names := make([]string, 0, len(rows))
	bars := make([]item, 0, len(rows))
	var noShare []string
	for _, a := range rows {
		name := in.attrName(a.ID)
		r := a.R
		rc := cell{text: figure.Two(r), value: &r}
		if a.Share == nil {
			noShare = append(noShare, name)
			t.rows = append(t.rows, []cell{txt(name), txt("–"), txt("–"), rc})
			continue
		}
		s := *a.Share
		part := "–"
		var partV *float64
		if d.R2 > 0 {
			p := 100 * s / d.R2
			part, partV = num1(p)+"%", &p
		}
		t.rows = append(t.rows, []cell{txt(name), {text: figure.Two(s), value: &s}, {text: part, value: partV}, rc})
		names = append(names, name)
		bars = append(bars, item{Value: s, Label: &opts.Label{Formatter: figure.Two(s)},
			Tooltip: tip(name, "Share of R² "+figure.Two(s)+" ("+part+" of the explained "+figure.Two(d.R2)+")", "Correlation with recommend r = "+figure.Two(r))})
	}
	if len(noShare) > 0 {
		t.note = fmt.Sprintf("Too many attributes for exact shares: %s show r only.", joinOr(noShare))
	}
	summary := fmt.Sprintf("Bar chart of the key drivers of recommending along %s: each attribute's share of R² (%s) of recommend on all attributes, over %d complete answer rows, largest first.",
		scope, figure.Two(d.R2), d.N)
	if len(names) > 0 {
		summary += fmt.Sprintf(" %s drives most (share %s, r = %s).", names[0], figure.Two(*rows[0].Share), figure.Two(rows[0].R))
	}
	if len(names) == 0 {
		dr, err := noData(in, summary, t, "No attribute has a share of R² to show: too many attributes for exact shares.")
		if dr != nil {
			dr.subtitle = sub
		}
		return dr, err
	}

	bar := charts.NewBar()
	bar.SetGlobalOptions(global(in, summary)...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(valueAxisX("Share of R²", 0, nil)),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 140, Overflow: "break"}}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "48", Top: "16", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	bar.AddSeries("Share of R²", nil, withData(bars),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colPromise}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", FontWeight: "bold"}))
	option, err := finish(bar, false, func(o map[string]any) {
		for _, s := range o["series"].([]any) {
			m := s.(map[string]any)
			m["barMaxWidth"] = 22
			m["itemStyle"].(map[string]any)["borderRadius"] = 3
		}
		lineHeight(o, "yAxis", 14)
	})
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 100 + 44*len(names), subtitle: sub}, nil
}

func shareOr(a *metrics.DriverReport) float64 {
	if a.Share == nil {
		return -1
	}
	return *a.Share
}
