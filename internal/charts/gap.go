package charts

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// drawGap: a dumbbell per touchpoint from its weighted promise to its
// performance (weighted experience), widest shortfall first. The bar
// between the two ends takes the status colour; the ends differ in
// shape as well as colour. Data, table, aria text and option are steps
// of their own.
func drawGap(in *input) (*drawing, error) {
	rows, unmeasured := gapRows(in)
	t := gapTable(rows, unmeasured)
	summary := gapSummary(in, rows)
	if len(rows) == 0 {
		return noData(in, summary, t, "No experience measured in this wave, so there is no gap to show.")
	}
	option, err := gapOption(in, rows, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: clampInt(100+40*len(rows), 240, 1400)}, nil
}

// gapRow is a measured touchpoint with its verdict (SPEC §9): the same
// gap and status the tables, blueprint and ecosystem show.
type gapRow struct {
	f                  tpFigures
	name               string
	promise, perf, gap float64
}

// gapRows are the measured touchpoints, widest shortfall first (stable:
// equal gaps keep stage order), and the names of the others.
func gapRows(in *input) (rows []gapRow, unmeasured []string) {
	for _, f := range in.touchpoints() {
		if f.r == nil || f.r.Performance == nil || f.r.Promise == nil || f.r.Gap == nil {
			unmeasured = append(unmeasured, touchpointName(f.tp))
			continue
		}
		rows = append(rows, gapRow{f: f, name: touchpointName(f.tp), promise: *f.r.Promise, perf: *f.r.Performance, gap: *f.r.Gap})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].gap < rows[j].gap })
	return rows, unmeasured
}

func gapTable(rows []gapRow, unmeasured []string) table {
	t := table{head: []string{"Touchpoint", "Stage", "Weighted promise", "Performance", "Weighted gap", "Alignment", "Status", "Priority"}}
	for _, r := range rows {
		g := r.gap
		t.rows = append(t.rows, []cell{txt(r.name), txt(r.f.tp.Stage), figv(r.promise), figv(r.perf), sfig(&g), fig(r.f.r.Alignment),
			txt(r.f.r.Status), txt(priorityLabel(r.f.r.Priority))})
	}
	for _, n := range unmeasured {
		t.rows = append(t.rows, []cell{txt(n), txt(""), txt("–"), txt("–"), txt("–"), txt("–"), txt("no data"), txt("–")})
	}
	if len(unmeasured) > 0 {
		t.note = fmt.Sprintf("Not drawn, no experience measured: %d touchpoint(s).", len(unmeasured))
	}
	return t
}

func gapSummary(in *input, rows []gapRow) string {
	s := fmt.Sprintf("Dumbbell chart of weighted promise against performance at %d touchpoints of %s, sorted by gap, widest shortfall first.",
		len(rows), journeyTitle(in.journey))
	if len(rows) > 0 {
		r := rows[0]
		s += fmt.Sprintf(" %s: promise %s, performance %s, gap %s.", r.name, num1(r.promise), num1(r.perf), signed1(r.gap))
	}
	return s
}

func gapOption(in *input, rows []gapRow, summary string) ([]byte, error) {
	names := make([]string, len(rows))
	var base, span, promise, perf []item
	for i, r := range rows {
		names[i] = r.name
		status := r.f.r.Status
		tt := tip(r.name,
			"Weighted promise "+num1(r.promise)+", performance "+num1(r.perf),
			"Gap "+signed1(r.gap)+" ("+status+"), priority: "+priorityLabel(r.f.r.Priority),
			alignmentLine(r.f.r.Alignment))
		lo, hi := math.Min(r.promise, r.perf), math.Max(r.promise, r.perf)
		base = append(base, item{Value: lo})
		span = append(span, item{Value: hi - lo, Tooltip: tt,
			ItemStyle: &opts.ItemStyle{Color: statusColour(status)},
			Label:     &opts.Label{Formatter: signed1(r.gap)}})
		promise = append(promise, item{Value: []any{r.promise, i}, Tooltip: tt})
		perf = append(perf, item{Value: []any{r.perf, i}, Tooltip: tt})
	}

	sc := in.report.Scale
	bar := charts.NewBar()
	bar.SetGlobalOptions(global(in, summary)...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(valueAxisX("Score ("+num1(sc.Min)+"–"+num1(sc.Max)+")", sc.Min, sc.Max)),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 170, Overflow: "break"}}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "48", Top: "40", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center", Data: []string{"Promise", "Experience"}}),
	)
	// The dumbbell's bar is a stack: an invisible bar up to the lower
	// end, then the visible span between promise and experience.
	bar.AddSeries("base", nil, withData(base),
		charts.WithBarChartOpts(opts.BarChart{Stack: "dumbbell", BarWidth: "6"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent"}))
	bar.AddSeries("Gap", nil, withData(span),
		charts.WithBarChartOpts(opts.BarChart{Stack: "dumbbell", BarWidth: "6"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: "inherit", FontWeight: "bold"}))
	sp := charts.NewScatter()
	sp.AddSeries("Promise", nil, withData(promise),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol = "diamond"; s.SymbolSize = 16; s.Color = colPromise }))
	sp.AddSeries("Experience", nil, withData(perf),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol = "circle"; s.SymbolSize = 14; s.Color = colExperience }))
	bar.Overlap(sp)

	return finish(bar, false, func(o map[string]any) {
		series := o["series"].([]any)
		// The stack's base is scaffolding: no hover, no aria mention.
		series[0].(map[string]any)["silent"] = true
		series[0].(map[string]any)["tooltip"] = map[string]any{"show": false}
		// Labels sit beyond the upper end of the span, past its dot.
		if l, ok := series[1].(map[string]any)["label"].(map[string]any); ok {
			l["distance"] = 14
		}
		lineHeight(o, "yAxis", 14)
		for _, s := range series[2:] {
			s.(map[string]any)["z"] = 3
		}
	})
}

func alignmentLine(a *float64) string {
	if a == nil {
		return ""
	}
	return "Alignment " + num1(*a)
}
