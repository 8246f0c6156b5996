package charts

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// drawOwners: the shortfall load each actor carries (Σ importance ×
// shortfall over the touchpoints it owns) beside the shortfall it
// contributes to without owning it, largest load first. Within a
// journey both count that journey's touchpoints; without one they are
// the report's site-wide figures.
func drawOwners(in *input) (*drawing, error) {
	rows, scope := ownerRows(in)
	t := ownersTable(in, rows)
	summary := ownersSummary(rows, scope)
	if len(rows) == 0 {
		return noData(in, summary, t, "No touchpoint has an owner or a contributor with a shortfall figure.")
	}
	option, err := ownersOption(in, rows, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: clampInt(90+48*len(rows), 220, 1400)}, nil
}

// ownerRow is one actor's figures in the chart's scope.
type ownerRow struct {
	id, name          string
	load, contributed float64
	hasLoad, hasShare bool     // a shortfall figure backs load / contributed
	owns, helps       []string // touchpoint names, with their share
}

// ownerRows gathers the actors that own or contribute to a touchpoint in
// scope, sorted as the owners page sorts them: largest load first, then
// largest contributed shortfall, then by name.
func ownerRows(in *input) ([]*ownerRow, string) {
	var rows []*ownerRow
	index := map[string]*ownerRow{}
	get := func(id string) *ownerRow {
		if o, ok := index[id]; ok {
			return o
		}
		o := &ownerRow{id: id, name: in.actorName(id)}
		if id == "" {
			o.name = "No owner"
		}
		index[id] = o
		rows = append(rows, o)
		return o
	}
	scope := "all journeys"
	if in.journey != nil {
		scope = journeyTitle(in.journey)
		for _, f := range in.touchpoints() {
			name := touchpointName(f.tp)
			share, has := 0.0, f.r != nil && f.r.Shortfall != nil
			if has {
				share = f.r.Importance * *f.r.Shortfall
			}
			o := get(f.tp.Owner)
			o.owns = append(o.owns, name+" "+shareText(share, has))
			if has {
				o.load += share
				o.hasLoad = true
			}
			for _, c := range f.tp.Contributors {
				if c == f.tp.Owner {
					continue
				}
				h := get(c)
				h.helps = append(h.helps, name+" "+shareText(share, has))
				if has {
					h.contributed += share
					h.hasShare = true
				}
			}
		}
	} else {
		for _, a := range in.report.Actors {
			if len(a.Touchpoints) == 0 && a.Contributed == nil {
				continue // neither owns nor shares a shortfall
			}
			o := get(a.ID)
			o.load, o.hasLoad = a.Load, len(a.Touchpoints) > 0
			if a.Contributed != nil {
				o.contributed, o.hasShare = *a.Contributed, true
			}
			o.owns = in.refNames(a.Touchpoints)
			o.helps = in.refNames(a.Contributes)
		}
	}
	slices.SortStableFunc(rows, func(a, b *ownerRow) int {
		if c := cmp.Compare(b.load, a.load); c != 0 {
			return c
		}
		if c := cmp.Compare(b.contributed, a.contributed); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return rows, scope
}

func shareText(v float64, has bool) string {
	if !has {
		return "–"
	}
	return num1(v)
}

// refNames turns "journey/touchpoint" references into touchpoint names.
func (in *input) refNames(refs []string) []string {
	out := make([]string, 0, len(refs))
	for _, ref := range refs {
		jid, tid, _ := strings.Cut(ref, "/")
		name := ref
		if j := in.site.Journey(jid); j != nil {
			if t := j.Touchpoint(tid); t != nil {
				name = touchpointName(t) + " (" + journeyTitle(j) + ")"
			}
		}
		out = append(out, name)
	}
	return out
}

func ownersTable(in *input, rows []*ownerRow) table {
	t := table{head: []string{"Actor", "Kind", "Shortfall load", "Contributed shortfall", "Owns", "Contributes to"}}
	for _, o := range rows {
		kind := ""
		if a := in.site.Actor(o.id); a != nil {
			kind = a.Kind
		}
		lc, cc := txt("–"), txt("–")
		if o.hasLoad {
			lc = figv(o.load)
		}
		if o.hasShare {
			cc = figv(o.contributed)
		}
		t.rows = append(t.rows, []cell{txt(o.name), txt(kind), lc, cc, txt(strings.Join(o.owns, ", ")), txt(strings.Join(o.helps, ", "))})
	}
	return t
}

func ownersSummary(rows []*ownerRow, scope string) string {
	s := fmt.Sprintf("Bar chart of the shortfall load (importance × shortfall of the touchpoints owned) and the contributed shortfall (the same over touchpoints contributed to) of %d actors across %s, largest load first.", len(rows), scope)
	total := 0.0
	for _, o := range rows {
		total += o.load
	}
	if len(rows) > 0 && total > 0 {
		s += fmt.Sprintf(" %s carries the most, %s of %s in all.", rows[0].name, num1(rows[0].load), num1(total))
	} else {
		s += " No owner carries a shortfall."
	}
	return s
}

func ownersOption(in *input, rows []*ownerRow, summary string) ([]byte, error) {
	names := make([]string, len(rows))
	load := make([]item, len(rows))
	share := make([]item, len(rows))
	for i, o := range rows {
		names[i] = o.name
		tt := tip(o.name, "Shortfall load "+shareText(o.load, o.hasLoad), "Contributed shortfall "+shareText(o.contributed, o.hasShare),
			ownsLine("Owns", o.owns), ownsLine("Contributes to", o.helps))
		load[i] = item{Value: o.load, Label: &opts.Label{Formatter: shareText(o.load, o.hasLoad)}, Tooltip: tt}
		share[i] = item{Value: o.contributed, Label: &opts.Label{Formatter: shareText(o.contributed, o.hasShare)}, Tooltip: tt}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(global(in, summary)...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(valueAxisX("Shortfall (importance × shortfall)", 0, nil)),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 170, Overflow: "break"}}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "48", Top: "40", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center", Data: []string{"Shortfall load", "Contributed shortfall"}}),
	)
	bar.AddSeries("Shortfall load", nil, withData(load),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colOver, BorderRadius: "3"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", FontWeight: "bold"}))
	bar.AddSeries("Contributed shortfall", nil, withData(share),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colContributed, BorderRadius: "3"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	return finish(bar, true, func(o map[string]any) {
		for _, s := range o["series"].([]any) {
			m := s.(map[string]any)
			m["barMaxWidth"] = 18
			m["barGap"] = "10%"
			// go-echarts types borderRadius as a string; ECharts wants a number.
			m["itemStyle"].(map[string]any)["borderRadius"] = 3
		}
		lineHeight(o, "yAxis", 14)
	})
}

func ownsLine(label string, parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return label + ": " + strings.Join(parts, ", ")
}
