package charts

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// drawTrend: the alignment index per wave that has data, of a journey
// or (brand level) of a brand, each point labelled with its value and
// its change from the previous wave.
func drawTrend(in *input) (*drawing, error) {
	var points []metrics.WavePoint
	scope := ""
	switch {
	case in.jr != nil:
		points, scope = in.jr.Trend, journeyTitle(in.journey)
	case in.brand != nil:
		if br := in.report.Brand(in.brand.ID); br != nil {
			points = br.Trend
		}
		scope = brandName(in.brand) + " (all journeys)"
	}

	waves := make([]string, len(points))
	data := make([]item, len(points))
	t := table{head: []string{"Wave", "Alignment index", "Change"}}
	lo := 100.0
	for i, p := range points {
		waves[i] = p.Wave
		lo = math.Min(lo, p.Alignment)
		label := num1(p.Alignment)
		lines := []string{"Alignment index " + num1(p.Alignment)}
		var delta *float64
		if i > 0 {
			delta = ptr(p.Alignment - points[i-1].Alignment)
			label += " (" + signed1(*delta) + ")"
			lines = append(lines, "Change from "+points[i-1].Wave+": "+signed1(*delta))
		}
		t.rows = append(t.rows, []cell{txt(p.Wave), figv(p.Alignment), sfig(delta)})
		data[i] = item{Value: p.Alignment, Label: &opts.Label{Formatter: label}, Tooltip: tip(p.Wave, lines...)}
	}

	summary := fmt.Sprintf("Line chart of the alignment index (0 to 100) of %s over %d wave(s).", scope, len(points))
	if n := len(points); n > 0 {
		summary += fmt.Sprintf(" In %s it is %s", points[n-1].Wave, num1(points[n-1].Alignment))
		if n > 1 {
			summary += fmt.Sprintf(", %s from %s", signed1(points[n-1].Alignment-points[n-2].Alignment), points[n-2].Wave)
		}
		summary += "."
	} else {
		summary += " No wave has data yet."
		t.note = "No wave has data yet."
	}

	// Start the axis below the lowest point in steps of ten, so a change
	// of a few points is visible without exaggerating it.
	yMin := math.Max(0, math.Floor((lo-10)/10)*10)

	line := charts.NewLine()
	line.SetGlobalOptions(global(in, summary)...)
	line.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: waves, Name: "Wave", NameLocation: "middle", NameGap: 30,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}),
		charts.WithYAxisOpts(valueAxisY("Alignment index", yMin, 100)),
		// Bottom: room for the axis name, which containLabel leaves out.
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "40", Top: "36", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	line.SetXAxis(waves)
	line.AddSeries("Alignment index", nil, withData(data),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "circle", 12, colPromise }),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.12)}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", FontSize: 13, FontWeight: "bold"}),
	)
	option, err := finish(line, false, nil)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 320}, nil
}
