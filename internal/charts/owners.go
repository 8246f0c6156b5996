package charts

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// drawOwners: the shortfall load each owning actor carries (Σ of
// importance × shortfall over the touchpoints it owns), largest first.
// Within a journey the load counts that journey's touchpoints; without
// one it is the site-wide load of the report.
func drawOwners(in *input) (*drawing, error) {
	type owner struct {
		id    string
		load  float64
		parts []string // "Call centre 7.1"
		has   bool     // some owned touchpoint has a shortfall figure
	}
	var owners []*owner
	index := map[string]*owner{}
	get := func(id string) *owner {
		if o, ok := index[id]; ok {
			return o
		}
		o := &owner{id: id}
		index[id] = o
		owners = append(owners, o)
		return o
	}
	scope := "all journeys"
	if in.journey != nil {
		scope = journeyTitle(in.journey)
		for _, f := range in.touchpoints() {
			o := get(f.tp.Owner)
			if f.r == nil || f.r.Shortfall == nil {
				o.parts = append(o.parts, touchpointName(f.tp)+" –")
				continue
			}
			share := f.r.Importance * *f.r.Shortfall
			o.load += share
			o.has = true
			o.parts = append(o.parts, touchpointName(f.tp)+" "+num1(share))
		}
	} else {
		for _, a := range in.report.Actors {
			if len(a.Touchpoints) == 0 {
				continue // contributes only: owns no load
			}
			o := get(a.ID)
			o.load, o.has = a.Load, true
			o.parts = append(o.parts, a.Touchpoints...)
		}
	}
	sort.SliceStable(owners, func(i, j int) bool { return owners[i].load > owners[j].load })

	names := make([]string, len(owners))
	data := make([]item, len(owners))
	t := table{head: []string{"Owner", "Kind", "Shortfall load", "Touchpoints owned"}}
	total := 0.0
	for i, o := range owners {
		name := in.actorName(o.id)
		if o.id == "" {
			name = "No owner"
		}
		names[i] = name
		kind := ""
		if a := in.site.Actor(o.id); a != nil {
			kind = a.Kind
		}
		load := o.load
		lc := figv(load)
		if !o.has {
			lc = txt("–")
		}
		t.rows = append(t.rows, []cell{txt(name), txt(kind), lc, txt(strings.Join(o.parts, ", "))})
		data[i] = item{Value: load, Label: &opts.Label{Formatter: num1(load)},
			Tooltip: tip(name, "Shortfall load "+num1(load), "Owns: "+strings.Join(o.parts, ", "))}
		total += load
	}

	summary := fmt.Sprintf("Bar chart of the shortfall load (importance × shortfall of the touchpoints owned) of %d owners across %s, largest first.", len(owners), scope)
	if len(owners) > 0 && total > 0 {
		summary += fmt.Sprintf(" %s carries the most, %s of %s in all.", names[0], num1(owners[0].load), num1(total))
	} else {
		summary += " No owner carries a shortfall."
	}

	bar := charts.NewBar()
	bar.SetGlobalOptions(global(in, summary)...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(valueAxisX("Shortfall load", 0, nil)),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 170, Overflow: "break"}}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "48", Top: "16", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	bar.AddSeries("Shortfall load", nil, withData(data),
		charts.WithBarChartOpts(opts.BarChart{BarWidth: "60%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colOver, BorderRadius: "3"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", FontWeight: "bold"}))
	option, err := finish(bar, false, func(o map[string]any) {
		s := o["series"].([]any)[0].(map[string]any)
		s["barMaxWidth"] = 28
		lineHeight(o, "yAxis", 14)
		// go-echarts types borderRadius as a string; ECharts wants a number.
		s["itemStyle"].(map[string]any)["borderRadius"] = 3
	})
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: clampInt(90+40*len(owners), 220, 1200)}, nil
}
