package charts

import (
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Colours. Mid-tones from the Okabe–Ito set, which stays distinct under
// the common colour-vision deficiencies and reads on light and dark
// backgrounds alike; shapes and dashes double every colour distinction.
const (
	colPromise    = "#3d85c6" // blue
	colExperience = "#e69f00" // orange
	colEmotion    = "#cc79a7" // reddish purple
	colAligned    = "#009e73" // bluish green
	colOver       = "#d55e00" // vermillion: the brand promised more than it delivered
	colUnder      = "#56b4e9" // sky blue: delivered more than promised
	colNoData     = "#999999"
	// colContributed is a lighter vermillion: a share in shortfalls an
	// actor does not own (the owners chart also sets it apart by decal).
	colContributed = "#f0a765"
	colCrosshair   = "#888888"
	colLabelDark   = "#1a1a1a" // text on the light cells of the heatmap
	// colAxisName is ECharts' own light-theme axis label grey: radar
	// spoke names otherwise take the faint spoke colour. The bootstrap
	// swaps it for the dark theme's text colour in dark mode.
	colAxisName = "#6e7079"
)

// diverging is the gap scale: orange below zero (overpromised), a light
// neutral at zero, blue above (undersold). Orange against blue survives
// red–green colour blindness, and the ends are light enough for dark
// labels, so the cells read in light and dark schemes.
func diverging() []string {
	return []string{"#d55e00", "#f0a765", "#f2f2f2", "#86bfe6", "#2b83c6"}
}

func palette() opts.Colors {
	return opts.Colors{colPromise, colExperience, colAligned, colEmotion, colOver, colUnder, "#f0e442", "#0072b2"}
}

func statusColour(status string) string {
	switch status {
	case "aligned":
		return colAligned
	case "overpromised":
		return colOver
	case "undersold":
		return colUnder
	}
	return colNoData
}

// priorityLabel names a touchpoint's verdict as the pages do.
func priorityLabel(p string) string {
	switch p {
	case metrics.PriorityFixFirst:
		return "fix first"
	case metrics.PriorityFixNext:
		return "fix next"
	case metrics.PriorityKeep:
		return "keep"
	case metrics.PriorityTellMore:
		return "tell more"
	}
	return "–"
}

func statusLabel(status string) string {
	if status == "" {
		return "no data"
	}
	return status
}

// num1, signed1 and ciText are figure's, under the short names the
// chart files use: every chart shows a figure as the pages do.
func num1(x float64) string { return figure.One(x) }

func signed1(x float64) string { return figure.Signed(x) }

func ciText(ci [2]float64) string { return figure.Interval(ci[0], ci[1]) }

// esc makes site text safe inside a tooltip. ECharts writes tooltips
// as HTML and substitutes {a}, {b}, {c}… in formatter strings, so both
// the markup and the braces are escaped.
func esc(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, "{", "&#123;")
	return strings.ReplaceAll(s, "}", "&#125;")
}

// tip is a tooltip precomputed as escaped HTML: a bold heading and
// lines of figures. ECharts cannot call Go, and a JavaScript formatter
// would need FuncOpts, which must never carry site text.
func tip(heading string, lines ...string) *itemTooltip {
	var b strings.Builder
	b.WriteString("<b>" + esc(heading) + "</b>")
	for _, l := range lines {
		if l != "" {
			b.WriteString("<br/>" + esc(l))
		}
	}
	return &itemTooltip{Formatter: b.String()}
}

type itemTooltip struct {
	Formatter string `json:"formatter"`
}

// item is a data item with what go-echarts' per-type structs lack: a
// precomputed tooltip and label per item.
type item struct {
	Name       string          `json:"name,omitempty"`
	Value      any             `json:"value"`
	Tooltip    *itemTooltip    `json:"tooltip,omitempty"`
	Label      *opts.Label     `json:"label,omitempty"`
	ItemStyle  *opts.ItemStyle `json:"itemStyle,omitempty"`
	Symbol     string          `json:"symbol,omitempty"`
	SymbolSize any             `json:"symbolSize,omitempty"`
}

// missing is how ECharts spells an absent value in a data array.
const missing = "-"

func valueOr(v *float64) any {
	if v == nil {
		return missing
	}
	return *v
}

// withData sets a series' data to our own items.
func withData(data any) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Data = data })
}

// global returns the options every chart shares: its stable id, the
// title (kept in the option for exports and aria, but hidden because
// the figure's caption shows it), the colours and the aria summary.
func global(in *input, summary string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: in.id}),
		charts.WithTitleOpts(opts.Title{Title: in.title, Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithColorsOpts(palette()),
		charts.WithAriaOpts(&opts.Aria{
			Enabled: opts.Bool(true),
			Label:   &opts.AriaLabel{Enabled: opts.Bool(true), Description: summary},
		}),
	}
}

// echart is a go-echarts chart, whatever its type.
type echart interface {
	Validate()
	JSON() map[string]any
}

// finish turns a go-echarts chart into the option JSON: Validate, then
// json.Marshal(JSON()), then the patches go-echarts has no field for.
// The option is round-tripped through a generic map for those patches;
// encoding/json sorts keys, so the bytes are stable for golden files.
func finish(c echart, decal bool, patch func(opt map[string]any)) ([]byte, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("encoding option: %w", err)
	}
	var opt map[string]any
	if err := json.Unmarshal(raw, &opt); err != nil {
		return nil, fmt.Errorf("decoding option: %w", err)
	}
	prune(opt)
	// go-echarts always writes a toolbox; an empty one only costs bytes.
	if tb, ok := opt["toolbox"].(map[string]any); ok && len(tb) == 0 {
		delete(opt, "toolbox")
	}
	// Transparent so the page's own light or dark background shows.
	opt["backgroundColor"] = "transparent"
	if t, ok := opt["tooltip"].(map[string]any); ok {
		// Keep the tooltip inside the chart: near the edge of a
		// narrow screen it would otherwise be cut off.
		t["confine"] = true
	}
	// go-echarts types aria.decal.decals wrongly (as itself), so the
	// patterns are patched in: they tell filled series apart without
	// colour. Only charts with filled areas ask for them.
	if aria, ok := opt["aria"].(map[string]any); ok {
		aria["decal"] = map[string]any{"show": decal}
	}
	// go-echarts types axisLabel.interval as a string; ECharts adds 1
	// to it, and "0"+1 is "01". Numbers go back to numbers.
	for _, key := range []string{"xAxis", "yAxis"} {
		axes, _ := opt[key].([]any)
		for _, a := range axes {
			l, _ := a.(map[string]any)["axisLabel"].(map[string]any)
			if s, ok := l["interval"].(string); ok {
				if n, err := strconv.Atoi(s); err == nil {
					l["interval"] = n
				}
			}
		}
	}
	if patch != nil {
		patch(opt)
	}
	out, err := json.Marshal(opt)
	if err != nil {
		return nil, fmt.Errorf("encoding option: %w", err)
	}
	return out, nil
}

// prune drops null members of objects: go-echarts writes some unset
// fields as null, which ECharts would read as an explicit value.
// Nulls inside arrays are data ("no value") and stay.
func prune(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			prune(e)
		}
	case []any:
		for _, e := range x {
			prune(e)
		}
	}
}

// twoLineLabels gives the first axis of key ("xAxis") labels room for
// a second line: go-echarts types lineHeight as a string, which
// ECharts does not read as a number.
func twoLineLabels(o map[string]any, key string) {
	lineHeight(o, key, 16)
}

// lineHeight sets the label line height of the first axis of key.
func lineHeight(o map[string]any, key string, px int) {
	axes, _ := o[key].([]any)
	if len(axes) == 0 {
		return
	}
	a := axes[0].(map[string]any)
	l, _ := a["axisLabel"].(map[string]any)
	if l == nil {
		l = map[string]any{}
		a["axisLabel"] = l
	}
	l["lineHeight"] = px
}

// Shared look of axes and legends: names in the middle of the axis.

func legendOpts() opts.Legend {
	return opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center"}
}

func valueAxisX(name string, lo, hi any) opts.XAxis {
	return opts.XAxis{Type: "value", Name: name, NameLocation: "middle", NameGap: 28, Min: lo, Max: hi,
		SplitLine: &opts.SplitLine{Show: opts.Bool(true)}}
}

func valueAxisY(name string, lo, hi any) opts.YAxis {
	return opts.YAxis{Type: "value", Name: name, NameLocation: "middle", NameGap: 36, Min: lo, Max: hi,
		AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}, SplitLine: &opts.SplitLine{Show: opts.Bool(true)}}
}

// Names of things, falling back to ids so a chart never shows a blank.

func journeyTitle(j *model.Journey) string {
	if j.Title != "" {
		return j.Title
	}
	return j.ID
}

func brandName(b *model.Brand) string {
	if b.Name != "" {
		return b.Name
	}
	return b.ID
}

func touchpointName(t *model.Touchpoint) string {
	if t.Name != "" {
		return t.Name
	}
	return t.ID
}

func (in *input) attrName(id string) string {
	if in.brand != nil {
		for _, a := range in.brand.Attributes {
			if a.ID == id && a.Name != "" {
				return a.Name
			}
		}
	}
	return id
}

func (in *input) actorName(id string) string {
	if a := in.site.Actor(id); a != nil && a.Name != "" {
		return a.Name
	}
	return id
}

// touchpoints pairs the journey's touchpoints, in stage order, with
// their figures (nil when the report has none).
func (in *input) touchpoints() []tpFigures {
	if in.journey == nil {
		return nil
	}
	byID := map[string]*metrics.TouchpointReport{}
	if in.jr != nil {
		for _, tr := range in.jr.Touchpoints {
			byID[tr.ID] = tr
		}
	}
	out := make([]tpFigures, 0, len(in.journey.Touchpoints))
	for _, t := range in.journey.Touchpoints {
		out = append(out, tpFigures{tp: t, r: byID[t.ID]})
	}
	return out
}

type tpFigures struct {
	tp *model.Touchpoint
	r  *metrics.TouchpointReport
}

func (f tpFigures) cell(attr string) *metrics.CellReport {
	if f.r == nil {
		return nil
	}
	for _, c := range f.r.Attributes {
		if c.ID == attr {
			return c
		}
	}
	return nil
}

// attributes lists the journey's attributes in the brand's order: those
// a touchpoint promises or the report has figures for. Ids the brand
// does not define (load has reported them) follow in journey order.
func (in *input) attributes() []string {
	used := map[string]bool{}
	var order []string
	add := func(id string) {
		if !used[id] {
			used[id] = true
			order = append(order, id)
		}
	}
	if in.journey != nil {
		for _, t := range in.journey.Touchpoints {
			for _, a := range t.PromiseOrder {
				add(a)
			}
			rest := make([]string, 0, len(t.Promise))
			for a := range t.Promise {
				rest = append(rest, a)
			}
			sort.Strings(rest)
			for _, a := range rest {
				add(a)
			}
		}
	}
	if in.jr != nil {
		for _, a := range in.jr.Attributes {
			add(a.ID)
		}
	}
	var out []string
	if in.brand != nil {
		for _, a := range in.brand.Attributes {
			if used[a.ID] {
				out = append(out, a.ID)
				delete(used, a.ID)
			}
		}
	}
	for _, a := range order {
		if used[a] {
			out = append(out, a)
		}
	}
	return out
}

func clampInt(x, lo, hi int) int { return max(lo, min(hi, x)) }

// nCI describes the data behind a cell: "n 60, 95% CI 4.0–4.4".
func nCI(c *metrics.CellReport) string {
	if c == nil {
		return ""
	}
	var parts []string
	if c.N != nil {
		parts = append(parts, "n "+strconv.Itoa(*c.N))
	}
	if c.CI != nil {
		parts = append(parts, "95% CI "+ciText(*c.CI))
	}
	return strings.Join(parts, ", ")
}

func ptr(x float64) *float64 { return &x }

// minBase is the [stats] min_base the report applied.
func (in *input) minBase() int {
	if in.report != nil && in.report.Stats != nil {
		return in.report.Stats.MinBase
	}
	return in.site.Config.Stats.MinBase
}

// baseNote is "n = 12, below the base of 30" for a low-base cell, ""
// otherwise: the same words as the pages'.
func (in *input) baseNote(c *metrics.CellReport) string {
	if c == nil || c.LowBase == nil || !*c.LowBase || c.N == nil {
		return ""
	}
	return fmt.Sprintf("n = %d, below the base of %d", *c.N, in.minBase())
}
