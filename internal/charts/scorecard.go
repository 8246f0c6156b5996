package charts

import (
	"fmt"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// drawScorecard: an assessment as a radar, one spoke per criterion,
// current against target. Criteria are numbered by pillar ("2.3") and
// the spokes of a pillar share a label colour, so the pillars read as
// groups; the full wording is in the tooltip and the table, because
// criteria are sentences that would crowd the spokes.
func drawScorecard(in *input) (*drawing, error) {
	a := in.site.Assessment(in.spec.Assessment)
	if a == nil {
		return nil, fmt.Errorf("unknown assessment %q", in.spec.Assessment)
	}
	scale := a.Scale
	if scale.Max <= scale.Min {
		scale = in.report.Scale
	}
	var pillarMeans map[string]metrics.PillarReport
	for _, ar := range in.report.Assessments {
		if ar.ID == a.ID {
			pillarMeans = map[string]metrics.PillarReport{}
			for _, p := range ar.Pillars {
				pillarMeans[p.Name] = p
			}
		}
	}
	pillarColours := []string{colPromise, colOver, colAligned, colEmotion, "#0072b2", "#b07d00"}

	t := table{head: []string{"Criterion", "Pillar", "Current", "Target", "Gap to target"}}
	var indicators []*opts.Indicator
	var cur, tgt []any
	var curLines, tgtLines []string
	widestGap, widestName := 0.0, ""
	for pi, p := range a.Pillars {
		colour := pillarColours[pi%len(pillarColours)]
		for ci, c := range p.Criteria {
			code := strconv.Itoa(pi+1) + "." + strconv.Itoa(ci+1)
			label := code + " " + shorten(c.Name, 20)
			indicators = append(indicators, &opts.Indicator{Name: label, Min: float32(scale.Min), Max: float32(scale.Max), Color: colour})
			cur = append(cur, c.Current)
			tgt = append(tgt, c.Target)
			gap := c.Current - c.Target
			t.rows = append(t.rows, []cell{txt(code + " " + c.Name), txt(p.Name), figv(c.Current), figv(c.Target), sfig(&gap)})
			curLines = append(curLines, code+" "+num1(c.Current))
			tgtLines = append(tgtLines, code+" "+num1(c.Target))
			if gap < widestGap {
				widestGap, widestName = gap, code+" "+c.Name
			}
		}
		if pm, ok := pillarMeans[p.Name]; ok {
			g := pm.Current - pm.Target
			t.rows = append(t.rows, []cell{txt(p.Name + " (mean)"), txt(p.Name), figv(pm.Current), figv(pm.Target), sfig(&g)})
		}
	}

	summary := fmt.Sprintf("Radar chart of the assessment %q: current against target score on %d criteria in %d pillars, on a scale of %s to %s.",
		a.Title, len(indicators), len(a.Pillars), num1(scale.Min), num1(scale.Max))
	if widestName != "" {
		summary += fmt.Sprintf(" The furthest from target is %s (%s).", widestName, signed1(widestGap))
	}

	if len(indicators) == 0 {
		return noData(in, summary, t, "The assessment has no criteria to draw.")
	}
	option, err := scorecardOption(in, scale, radarSeries{indicators, cur, tgt, curLines, tgtLines}, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: 460}, nil
}

// radarSeries is what a scorecard's radar draws: spokes, the current and
// target values on them, and their tooltip lines.
type radarSeries struct {
	indicators         []*opts.Indicator
	cur, tgt           []any
	curLines, tgtLines []string
}

func scorecardOption(in *input, scale model.Scale, rs radarSeries, summary string) ([]byte, error) {
	indicators, cur, tgt, curLines, tgtLines := rs.indicators, rs.cur, rs.tgt, rs.curLines, rs.tgtLines
	r := charts.NewRadar()
	r.SetGlobalOptions(global(in, summary)...)
	r.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center"}),
		charts.WithRadarComponentOpts(opts.RadarComponent{
			Indicator:   indicators,
			Shape:       "polygon",
			SplitNumber: int(scale.Max - scale.Min),
			Center:      []string{"50%", "56%"},
			AxisName:    &opts.AxisName{Show: opts.Bool(true), Color: colAxisName, FontSize: 11},
			SplitArea:   &opts.SplitArea{Show: opts.Bool(false)},
		}),
	)
	r.AddSeries("Target", []opts.RadarData{{Name: "Target", Value: tgt}},
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "diamond", 9, colPromise }),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Type: "dashed"}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.06)}))
	r.AddSeries("Current", []opts.RadarData{{Name: "Current", Value: cur}},
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Symbol, s.SymbolSize, s.Color = "circle", 8, colExperience }),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 3}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.25)}))

	return finish(r, true, func(o map[string]any) {
		radarTooltips(o, tip("Target", tgtLines...), tip("Current", curLines...))
		if rc, ok := o["radar"].(map[string]any); ok {
			rc["radius"] = "60%"
		}
	})
}

// shorten cuts s to at most n runes at a word boundary, with an
// ellipsis, for labels that must stay short.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for i := n; i > n/3; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return string(r[:cut]) + "…"
}
