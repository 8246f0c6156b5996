package charts

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// input is everything a chart type draws from, looked up once by Render.
type input struct {
	spec    Spec
	id      string
	title   string
	site    *model.Site
	report  *metrics.Report
	brand   *model.Brand           // nil for a scorecard
	journey *model.Journey         // nil above journey level
	jr      *metrics.JourneyReport // the journey's figures; nil with journey
	// reportOf is the report as of another wave (its changes are since
	// the wave before it), for charts that look across waves.
	reportOf func(wave string) (*metrics.Report, error)
}

// drawing is what a chart type hands back: the option, the words and
// the numbers. Render wraps them into the figure.
type drawing struct {
	option  []byte // ECharts option, JSON
	summary string // what the chart shows, for screen readers (aria)
	table   table  // the figures drawn, the chart's fallback
	height  int    // default height of the drawing in px
	// empty, when set, says in words why there is nothing to draw; the
	// figure shows it instead of a drawing (and option is nil).
	empty string
	// subtitle, when set, is a line under the title: what the figures
	// rest on (R² and n of the drivers).
	subtitle string
}

// noData is the drawing of a chart with nothing to draw: the message in
// place of empty axes, in the aria text and under the data table.
func noData(in *input, summary string, t table, message string) (*drawing, error) {
	if !strings.Contains(summary, message) {
		summary += " " + message
	}
	if t.note == "" {
		t.note = message
	} else if !strings.Contains(t.note, message) {
		t.note = message + " " + t.note
	}
	return &drawing{summary: summary, table: t, empty: message}, nil
}

// table is the data table beside a chart. The first cell of each row
// heads it. Figures keep their full value in data-value so a reader (or
// a test) can check the rounded text against the metrics.
type table struct {
	head []string
	rows [][]cell
	note string // shown under the table, e.g. why some rows are missing
}

type cell struct {
	text  string
	value *float64 // the exact figure behind text, when text is one
}

func txt(s string) cell { return cell{text: s} }

// fig is a figure rounded to one decimal for display; absent is "–".
func fig(v *float64) cell {
	if v == nil {
		return cell{text: "–"}
	}
	x := *v
	return cell{text: num1(x), value: &x}
}

// sfig is a signed figure (a gap, a delta).
func sfig(v *float64) cell {
	if v == nil {
		return cell{text: "–"}
	}
	x := *v
	return cell{text: signed1(x), value: &x}
}

func figv(x float64) cell { return fig(&x) }

// intCell is a count such as n.
func intCell(n *int) cell {
	if n == nil {
		return cell{text: "–"}
	}
	x := float64(*n)
	return cell{text: strconv.Itoa(*n), value: &x}
}

func ciCell(ci *[2]float64) cell {
	if ci == nil {
		return cell{text: "–"}
	}
	return cell{text: ciText(*ci)}
}

// validID is what an element id may be: it lands in HTML attributes, a
// CSS selector and the option, so it is kept to a safe alphabet.
var validID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)

// Render draws a resolved spec as a <figure>: a visible title, the
// drawing's container (id), the option JSON for the bootstrap script,
// and the collapsed data table. Nothing is written when it fails.
func Render(w io.Writer, spec Spec, id string, ctx Context) error {
	fail := func(format string, args ...any) error {
		return diag.Diagnostic{Line: spec.Line, Col: 1, Msg: "chart: " + fmt.Sprintf(format, args...)}
	}
	if !validID.MatchString(id) {
		return fail("invalid element id %q", id)
	}
	draw := drawer(spec.Type)
	if draw == nil {
		return fail("%s", diag.Unknown("chart type", spec.Type, Types()))
	}
	if ctx.Site == nil || ctx.Report == nil {
		return fail("no site or metrics to draw from")
	}
	if spec.Height != "" && !cssLength.MatchString(spec.Height) {
		return fail("height %q is not a CSS length", spec.Height)
	}
	rep, err := ctx.Report(spec.Wave)
	if err != nil {
		return fail("metrics of wave %q: %v", spec.Wave, err)
	}
	if rep == nil {
		return fail("no metrics for wave %q", spec.Wave)
	}
	in, err := newInput(spec, id, ctx.Site, rep)
	if err != nil {
		return fail("%v", err)
	}
	in.reportOf = ctx.Report
	d, err := draw(in)
	if err != nil {
		return fail("%s: %v", spec.Type, err)
	}
	height := spec.Height
	if height == "" {
		height = strconv.Itoa(d.height) + "px"
	}
	bw := bufio.NewWriter(w)
	writeFigure(bw, in, d, height)
	return bw.Flush()
}

// newInput looks up what the spec names. Resolve has checked the ids;
// this repeats the lookups because Render may be handed any Spec.
func newInput(spec Spec, id string, site *model.Site, rep *metrics.Report) (*input, error) {
	in := &input{spec: spec, id: id, site: site, report: rep}
	if spec.Journey != "" {
		in.journey = site.Journey(spec.Journey)
		if in.journey == nil {
			return nil, fmt.Errorf("%s", diag.Unknown("journey", spec.Journey, site.JourneyIDs()))
		}
		in.jr = rep.Journey(spec.Journey)
		if in.jr == nil {
			return nil, fmt.Errorf("no metrics for journey %q", spec.Journey)
		}
	} else if scopeOf(spec.Type) == perJourney {
		return nil, fmt.Errorf("a %s chart needs a journey", spec.Type)
	}
	brand := spec.Brand
	if in.journey != nil && in.journey.Brand != "" {
		brand = in.journey.Brand
	}
	if brand == "" {
		brand = site.Config.Brand
	}
	if brand != "" {
		in.brand = site.Brand(brand)
		if in.brand == nil && scopeOf(spec.Type) != perAssessment {
			return nil, fmt.Errorf("%s", diag.Unknown("brand", brand, site.BrandIDs()))
		}
	}
	in.title = spec.Title
	if in.title == "" {
		in.title = defaultTitle(in)
	}
	return in, nil
}

// defaultTitle names what a chart shows when its block gives no title.
func defaultTitle(in *input) string {
	what := ""
	switch {
	case in.journey != nil:
		what = journeyTitle(in.journey)
	case in.brand != nil:
		what = brandName(in.brand)
	default:
		what = "all journeys"
	}
	row, _ := lookup(in.spec.Type)
	t := row.title + ": " + what
	if in.spec.Type == "segments" && in.spec.Segment != "" {
		// Say which figure and which segment: "NPS by region: …".
		fig := "Relationship NPS"
		if !in.spec.NPS {
			fig = in.attrName(in.spec.Attribute)
		}
		if tp := in.spec.Touchpoint; tp != "" && in.journey != nil {
			if in.spec.NPS {
				fig = "NPS"
			}
			if x := in.journey.Touchpoint(tp); x != nil {
				tp = touchpointName(x)
			}
			fig += " at " + tp
		}
		t = fig + " by " + in.spec.Segment + ": " + what
	}
	if in.spec.Type == "scorecard" {
		t = row.title
		if a := in.site.Assessment(in.spec.Assessment); a != nil && a.Title != "" {
			t = a.Title + ": current and target"
		}
	}
	if n := len(in.site.Waves); in.spec.Wave != "" && n > 0 && in.spec.Wave != in.site.Waves[n-1] && in.spec.Type != "scorecard" {
		t += " (" + in.spec.Wave + ")"
	}
	return t
}

type writer interface {
	io.Writer
	io.StringWriter
}

// writeFigure writes the figure. Every text from the site goes through
// html.EscapeString; the option is JSON from encoding/json, which
// escapes <, > and & so no name can close the script element.
func writeFigure(w writer, in *input, d *drawing, height string) {
	esc := html.EscapeString
	w.WriteString(`<figure class="chart chart-` + in.spec.Type + `" data-chart-type="` + in.spec.Type + `">` + "\n")
	w.WriteString(`<figcaption class="chart-title">` + esc(in.title) + "</figcaption>\n")
	if d.subtitle != "" {
		w.WriteString(`<p class="chart-subtitle">` + esc(d.subtitle) + "</p>\n")
	}
	if d.empty != "" {
		// Words, not empty axes: nothing for the bootstrap to draw.
		w.WriteString(`<p class="chart-empty" id="` + in.id + `" role="note" aria-label="` + esc(d.summary) + `">` + esc(d.empty) + "</p>\n")
	} else {
		w.WriteString(`<div class="chart-canvas" id="` + in.id + `" style="height:` + height + `" role="img" aria-label="` + esc(d.summary) + `"></div>` + "\n")
		w.WriteString(`<script type="application/json" data-chart-for="` + in.id + `">`)
		w.Write(d.option)
		w.WriteString("</script>\n")
	}
	w.WriteString(`<details class="chart-data"><summary>Data table</summary>` + "\n")
	w.WriteString(`<table><caption>` + esc(in.title) + "</caption>\n<thead><tr>")
	for _, h := range d.table.head {
		w.WriteString(`<th scope="col">` + esc(h) + "</th>")
	}
	w.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range d.table.rows {
		w.WriteString("<tr>")
		for i, c := range row {
			tag, attrs := "td", ""
			if i == 0 {
				tag, attrs = "th", ` scope="row"`
			}
			if c.value != nil {
				attrs += ` class="num" data-value="` + strconv.FormatFloat(*c.value, 'g', -1, 64) + `"`
			}
			w.WriteString("<" + tag + attrs + ">" + esc(c.text) + "</" + tag + ">")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody></table>\n")
	if d.table.note != "" {
		w.WriteString(`<p class="chart-note">` + esc(d.table.note) + "</p>\n")
	}
	w.WriteString("</details>\n</figure>\n")
}
