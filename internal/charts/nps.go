package charts

import (
	"fmt"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// drawNPS: the Net Promoter Score of each touchpoint that has
// recommend answers, in stage order, as a dot with its 95% confidence
// interval as an error bar. The bar is a candlestick whose open and
// close are the score and whose low and high are the interval: a
// custom series would need a JavaScript render function. Data, table,
// aria text and option are steps of their own.
func drawNPS(in *input) (*drawing, error) {
	rows, without := npsData(in)
	t := npsTable(in, rows, without)
	summary := npsSummary(in, rows)
	if len(rows) == 0 {
		return noData(in, summary, t, "No recommend answers in this wave, so there is no Net Promoter Score to show.")
	}
	option, err := npsOption(in, rows, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 380}, nil
}

type npsRow struct {
	name, stage string
	n           *metrics.NPSReport
}

// npsData lists the touchpoints with recommend answers, in stage order,
// and the names of those without.
func npsData(in *input) (rows []npsRow, without []string) {
	for _, f := range in.touchpoints() {
		name := touchpointName(f.tp)
		if f.r == nil || f.r.NPS == nil {
			without = append(without, name)
			continue
		}
		rows = append(rows, npsRow{name: name, stage: f.tp.Stage, n: f.r.NPS})
	}
	return rows, without
}

// lowNPS counts the scores below the base size (SPEC §9).
func lowNPS(rows []npsRow) int {
	n := 0
	for _, r := range rows {
		if r.n.LowBase {
			n++
		}
	}
	return n
}

func lowNPSNote(in *input) string {
	return fmt.Sprintf("Scores marked * rest on fewer answers than the base of %d and are faded.", in.minBase())
}

func npsTable(in *input, rows []npsRow, without []string) table {
	t := table{head: []string{"Touchpoint", "Stage", "NPS", "n", "95% CI"}}
	for _, r := range rows {
		score, n, ci := r.n.Score, r.n.N, r.n.CI
		t.rows = append(t.rows, []cell{txt(r.name), txt(r.stage), sfig(&score), intCell(&n), ciCell(&ci)})
	}
	if len(without) > 0 {
		t.note = fmt.Sprintf("No recommend answers in this wave: %s.", joinOr(without))
	}
	if lowNPS(rows) > 0 {
		t.note = trimJoin(t.note, lowNPSNote(in))
	}
	return t
}

func npsSummary(in *input, rows []npsRow) string {
	s := fmt.Sprintf("Net Promoter Score with 95%% confidence interval at %d touchpoints of %s, from −100 to +100.", len(rows), journeyTitle(in.journey))
	if len(rows) == 0 {
		return s
	}
	best, worst := rows[0], rows[0]
	for _, r := range rows[1:] {
		if r.n.Score > best.n.Score {
			best = r
		}
		if r.n.Score < worst.n.Score {
			worst = r
		}
	}
	if len(rows) == 1 {
		s += fmt.Sprintf(" %s scores %s.", best.name, signed1(best.n.Score))
	} else {
		s += fmt.Sprintf(" Highest: %s (%s); lowest: %s (%s).", best.name, signed1(best.n.Score), worst.name, signed1(worst.n.Score))
	}
	if lowNPS(rows) > 0 {
		s += " " + lowNPSNote(in)
	}
	return s
}

func npsOption(in *input, rows []npsRow, summary string) ([]byte, error) {
	names := make([]string, len(rows))
	var bars, dots []item
	for i, r := range rows {
		n := r.n
		names[i] = r.name
		lines := []string{"NPS " + signed1(n.Score) + " (n " + strconv.Itoa(n.N) + ")", "95% CI " + ciText(n.CI)}
		label := signed1(n.Score)
		if c := n.Change; c != nil {
			mark := "not significant"
			if c.Significant && c.Delta > 0 {
				mark, label = "▲ significant rise", label+" ▲"
			} else if c.Significant && c.Delta < 0 {
				mark, label = "▼ significant fall", label+" ▼"
			}
			lines = append(lines, fmt.Sprintf("%s since the previous wave, %s (p %s)", signed1(c.Delta), mark, pText(c.P)))
		}
		if n.LowBase {
			label += "*"
			lines = append(lines, fmt.Sprintf("n = %d, below the base of %d", n.N, in.minBase()))
		}
		tt := tip(r.name, lines...)
		bars = append(bars, item{Value: []any{n.Score, n.Score, n.CI[0], n.CI[1]}, Tooltip: tt})
		dot := item{Value: []any{i, n.Score}, Tooltip: tt, Label: &opts.Label{Formatter: label}}
		if n.LowBase {
			dot.ItemStyle = &opts.ItemStyle{Opacity: opts.Float(0.45)}
		}
		dots = append(dots, dot)
	}

	k := charts.NewKLine()
	k.SetGlobalOptions(global(in, summary)...)
	k.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: names,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 110, Overflow: "break"}}),
		charts.WithYAxisOpts(valueAxisY("NPS", -100, 100)),
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "24", Top: "40", Bottom: "16", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center", Data: []string{"NPS", "95% confidence interval"}}),
	)
	k.SetXAxis(names)
	k.AddSeries("95% confidence interval", nil, withData(bars),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colPromise, Color0: colPromise, BorderColor: colPromise, BorderColor0: colPromise}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "16" }))
	sp := charts.NewScatter()
	sp.AddSeries("NPS", nil, withData(dots),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "circle", 14, colExperience }),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", FontSize: 13, FontWeight: "bold", Color: "inherit"}))
	k.Overlap(sp)

	return finish(k, false, func(o map[string]any) {
		series := o["series"].([]any)
		bar := series[0].(map[string]any)
		bar["itemStyle"].(map[string]any)["borderWidth"] = 2
		dot := series[1].(map[string]any)
		dot["z"] = 3
		twoLineLabels(o, "xAxis")
		dot["label"].(map[string]any)["distance"] = 10
		// Zero is where promoters and detractors balance.
		dot["markLine"] = map[string]any{
			"silent": true, "symbol": []any{"none", "none"},
			"lineStyle": map[string]any{"color": colCrosshair, "type": "dashed", "width": 1},
			"label":     map[string]any{"show": false},
			"data":      []any{map[string]any{"yAxis": 0}},
		}
	})
}
