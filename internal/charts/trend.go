package charts

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/figure"
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
	t := table{head: []string{"Wave", "Alignment index", "Change", "Significant changes"},
		note: "The index itself has no test; ▲ ▼ count the scores and NPS of this scope whose change since the wave before is significant."}
	lo := 100.0
	for i, p := range points {
		waves[i] = p.Wave
		lo = math.Min(lo, p.Alignment)
		label := num1(p.Alignment)
		lines := []string{"Alignment index " + num1(p.Alignment)}
		// The change is the report's (over the cells both waves
		// measure), not the difference of the two points drawn.
		delta := p.Delta
		if delta != nil {
			label += " (" + signed1(*delta) + ")"
			lines = append(lines, "Change from "+points[i-1].Wave+": "+signed1(*delta)+" (cells measured in both waves)")
		}
		sig := significantIn(in, p.Wave)
		if m := sig.marks(); i > 0 && m != "" {
			// On a line of their own: beside the figure they made the
			// labels of neighbouring waves run into each other on a phone.
			label += "\n" + strings.TrimSpace(m)
		}
		if i > 0 {
			lines = append(lines, sig.lines(points[i-1].Wave)...)
		}
		t.rows = append(t.rows, []cell{txt(p.Wave), figv(p.Alignment), sfig(delta), txt(sig.text(i > 0))})
		data[i] = item{Value: p.Alignment, Label: &opts.Label{Formatter: label}, Tooltip: tip(p.Wave, lines...)}
	}

	summary := fmt.Sprintf("Line chart of the alignment index (0 to 100) of %s over %d wave(s).", scope, len(points))
	if n := len(points); n > 0 {
		summary += fmt.Sprintf(" In %s it is %s", points[n-1].Wave, num1(points[n-1].Alignment))
		if d := points[n-1].Delta; d != nil {
			summary += fmt.Sprintf(", %s from %s", signed1(*d), points[n-2].Wave)
		}
		summary += "."
		if n > 1 {
			if sig := significantIn(in, points[n-1].Wave); len(sig.rises)+len(sig.falls) == 0 {
				summary += " No score or NPS changed significantly since " + points[n-2].Wave + "."
			} else {
				summary += " Since " + points[n-2].Wave + ": " + sig.text(true) + " of scores and NPS."
			}
		}
	}

	if len(points) == 0 {
		return noData(in, summary, t, "No wave has data yet, so there is no trend to show.")
	}

	yMin := trendAxisMin(lo)
	yName := "Alignment index"
	if yMin > 0 {
		// A zoomed axis says so where the eye is, in the aria text and
		// under the data table, so nobody reads the line's height as
		// the index.
		yName += fmt.Sprintf(" (axis from %.0f)", yMin)
		summary += fmt.Sprintf(" The axis starts at %.0f, not 0.", yMin)
		t.note += fmt.Sprintf(" The chart's axis starts at %.0f, not 0.", yMin)
	}

	line := charts.NewLine()
	line.SetGlobalOptions(global(in, summary)...)
	line.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: waves, Name: "Wave", NameLocation: "middle", NameGap: 30,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}),
		charts.WithYAxisOpts(valueAxisY(yName, yMin, 100)),
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

// significance is what moved significantly in one wave within a
// chart's scope (a journey, or a brand's journeys and its own NPS).
type significance struct {
	rises, falls []string // "Clarity at Call centre, p = 0.012"
}

// significantIn gathers the significant changes of wave (since the
// wave before it) in the chart's scope, from the report as of wave.
func significantIn(in *input, wave string) significance {
	var s significance
	if in.reportOf == nil {
		return s
	}
	rep, err := in.reportOf(wave)
	if err != nil || rep == nil {
		return s
	}
	add := func(c *metrics.Change, what string) {
		if c == nil || !c.Significant {
			return
		}
		line := what + ", " + signed1(c.Delta) + ", p " + pText(c.P)
		if c.Delta > 0 {
			s.rises = append(s.rises, line)
		} else if c.Delta < 0 {
			s.falls = append(s.falls, line)
		}
	}
	var journeys []string
	switch {
	case in.journey != nil:
		journeys = []string{in.journey.ID}
	case in.brand != nil:
		if br := rep.Brand(in.brand.ID); br != nil {
			journeys = br.Journeys
			if br.NPS != nil {
				add(br.NPS.Change, "Brand NPS")
			}
		}
	}
	for _, id := range journeys {
		jr := rep.Journey(id)
		j := in.site.Journey(id)
		if jr == nil || j == nil {
			continue
		}
		if jr.NPS != nil {
			add(jr.NPS.Change, "Journey NPS of "+journeyTitle(j))
		}
		for _, tr := range jr.Touchpoints {
			name := tr.ID
			if t := j.Touchpoint(tr.ID); t != nil {
				name = touchpointName(t)
			}
			for _, c := range tr.Attributes {
				add(c.Change, in.attrName(c.ID)+" at "+name)
			}
			if tr.NPS != nil {
				add(tr.NPS.Change, "NPS at "+name)
			}
		}
	}
	return s
}

// marks is the label suffix: " ▲2 ▼1", or "" when nothing moved.
func (s significance) marks() string {
	out := ""
	if n := len(s.rises); n > 0 {
		out += " ▲" + strconv.Itoa(n)
	}
	if n := len(s.falls); n > 0 {
		out += " ▼" + strconv.Itoa(n)
	}
	return out
}

// lines are the tooltip's lines: the counts, then up to five of each.
func (s significance) lines(from string) []string {
	if len(s.rises)+len(s.falls) == 0 {
		return []string{"No significant change since " + from}
	}
	out := []string{fmt.Sprintf("Significant since %s: %s", from, s.text(true))}
	for _, group := range []struct {
		glyph string
		list  []string
	}{{"▲ ", s.rises}, {"▼ ", s.falls}} {
		for i, l := range group.list {
			if i == 5 {
				out = append(out, group.glyph+fmt.Sprintf("… and %d more", len(group.list)-5))
				break
			}
			out = append(out, group.glyph+l)
		}
	}
	return out
}

// text counts the changes in words ("–" for the first wave, which has
// nothing to compare with).
func (s significance) text(compared bool) string {
	if !compared {
		return "–"
	}
	if len(s.rises)+len(s.falls) == 0 {
		return "no significant change"
	}
	return fmt.Sprintf("▲ %d significant %s, ▼ %d significant %s", len(s.rises), plural(len(s.rises), "rise", "rises"),
		len(s.falls), plural(len(s.falls), "fall", "falls"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pText is "= 0.012" or "< 0.001".
func pText(p float64) string {
	s := figure.P(p)
	if strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + s
}

// trendAxisMin is where the trend's index axis starts: in steps of ten
// at least ten below the lowest point, so a change of a few points is
// visible, but never above 80, so the axis spans at least 20 index
// points and a move of one point cannot look like a cliff.
func trendAxisMin(lo float64) float64 {
	return math.Min(80, math.Max(0, math.Floor((lo-10)/10)*10))
}
