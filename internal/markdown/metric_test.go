package markdown

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// echo is a MetricResolver for tests: the figure is the arguments as
// written (sorted), the title the position it was given; a reference
// with fail=… fails with that message.
type echo struct{ calls []string }

func (e *echo) ResolveMetric(args map[string]string, line, col int) (string, string, error) {
	pos := fmt.Sprintf("%d:%d", line, col)
	e.calls = append(e.calls, pos)
	if msg, ok := args["fail"]; ok {
		return "", "", &Error{Line: line, Col: col, Msg: msg}
	}
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + "=" + args[k])
	}
	return b.String(), "at " + pos, nil
}

var spanRE = regexp.MustCompile(`<span class="metric" title="at (\d+:\d+)">([^<]*)</span>`)

func spans(html []byte) [][2]string {
	var out [][2]string
	for _, m := range spanRE.FindAllStringSubmatch(string(html), -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

func renderMetrics(t *testing.T, file string, mr MetricResolver) Doc {
	t.Helper()
	fm, body, bodyLine, err := SplitFrontMatter([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	_ = fm
	d, err := New().RenderWith(body, bodyLine, nil, WithMetrics(mr))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMetricParse(t *testing.T) {
	fm := "+++\ntitle = \"x\"\njourney = \"storm\"\n+++\n" // the body starts on line 5
	tests := []struct {
		name string
		body string
		want [][2]string // position and arguments of each reference
	}{
		{"one", `Alignment is {{< metric journey="storm" value="alignment" >}}.`,
			[][2]string{{"5:14", "journey=storm value=alignment"}}},
		{"bare values and extra blanks", "{{<metric   value=delta\twave=\"2025-H2\">}}",
			[][2]string{{"5:1", "value=delta wave=2025-H2"}}},
		{"two on a line", `{{< metric value="a" >}} and {{< metric value="b" >}}`,
			[][2]string{{"5:1", "value=a"}, {"5:30", "value=b"}}},
		{"wrapped across lines", "We fell\nby {{< metric journey=\"storm\"\n   value=\"delta\" >}} points.",
			[][2]string{{"6:4", "journey=storm value=delta"}}},
		{"CRLF", "x\r\n\r\ny {{< metric\r\nvalue=\"n\" >}}\r\n",
			[][2]string{{"7:3", "value=n"}}},
		{"columns count characters", `Über „{{< metric value="nps" >}}“`,
			[][2]string{{"5:7", "value=nps"}}},
		{"in a blockquote", "> quoted\n> {{< metric\n> value=\"gap\" >}}",
			[][2]string{{"6:3", "value=gap"}}},
		{"in a list and a table", "- item {{< metric value=\"a\" >}}\n\n| h |\n|---|\n| {{< metric value=\"b\" >}} |\n",
			[][2]string{{"5:8", "value=a"}, {"9:3", "value=b"}}},
		{"in emphasis and a link", `*{{< metric value="a" >}}* [{{< metric value="b" >}}](/x/)`,
			[][2]string{{"5:2", "value=a"}, {"5:29", "value=b"}}},
		{"in a heading", `## Storm {{< metric value="delta" >}}`,
			[][2]string{{"5:10", "value=delta"}}},
		{"in a footnote", "Claim[^1].\n\n[^1]: Source {{< metric value=\"n\" >}}.",
			[][2]string{{"7:14", "value=n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := renderMetrics(t, fm+tt.body, &echo{})
			got := spans(d.HTML)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v in\n%s", got, tt.want, d.HTML)
			}
			if d.Metrics != len(tt.want) || len(d.MetricErrors) != 0 {
				t.Errorf("Metrics = %d, MetricErrors = %v", d.Metrics, d.MetricErrors)
			}
			if strings.Contains(string(d.HTML), "{{") {
				t.Errorf("reference left in the output:\n%s", d.HTML)
			}
		})
	}
}

// TestMetricLiteral: code, escapes and text that merely looks like the
// start of a reference stay as written, unresolved.
func TestMetricLiteral(t *testing.T) {
	for _, src := range []string{
		"Write `{{< metric value=\"alignment\" >}}` in prose.",
		"```markdown\n{{< metric value=\"alignment\" >}}\n```\n",
		"    {{< metric value=\"alignment\" >}}\n",
		`\{{< metric value="alignment" >}}`,
		"{{<", "{{< >}}", "{{< 42 >}}", "{{ metric }}", "{< metric >}", "{{% metric value=x %}}",
	} {
		e := &echo{}
		d := renderMetrics(t, src, e)
		if len(e.calls) != 0 || d.Metrics != 0 || strings.Contains(string(d.HTML), "metric-error") {
			t.Errorf("%q was resolved: %s", src, d.HTML)
		}
		if !strings.Contains(string(d.HTML), "{{") && !strings.Contains(string(d.HTML), "{&lt;") {
			t.Errorf("%q lost its text: %s", src, d.HTML)
		}
	}
}

func TestMetricWithoutResolver(t *testing.T) {
	d := render(t, New(), `a {{< metric value="<b>" >}} b`)
	want := `<p>a <span class="metric-ref">{{&lt; metric value=&quot;&lt;b&gt;&quot; &gt;}}</span> b</p>`
	if !strings.Contains(string(d.HTML), want) || d.Metrics != 1 || len(d.MetricErrors) != 0 {
		t.Errorf("got %s, Metrics %d, errors %v", d.HTML, d.Metrics, d.MetricErrors)
	}
}

func TestMetricEscaped(t *testing.T) {
	mr := MetricResolverFunc(func(map[string]string, int, int) (string, string, error) {
		return `<i>63.2</i>`, `"63.249" & <more>`, nil
	})
	d := renderMetrics(t, `{{< metric value="x" >}}`, mr)
	want := `<span class="metric" title="&quot;63.249&quot; &amp; &lt;more&gt;">&lt;i&gt;63.2&lt;/i&gt;</span>`
	if !strings.Contains(string(d.HTML), want) {
		t.Errorf("got %s, want %s", d.HTML, want)
	}
}

func TestMetricErrors(t *testing.T) {
	file := "+++\ntitle = \"x\"\n+++\n" + // the body starts on line 4
		"ok {{< metric value=\"a\" >}}\n\n" +
		"{{< metric fail=\"unknown journey &quot;<storm>&quot;\" >}}\n\n" +
		"a {{< metric value=\"x\n\nb >}}\n\n" + // not closed in its paragraph
		"{{< metric journey=\"storm value=\"gap\" >}}\n\n" + // missing quote
		"{{< metric value >}}\n\n" +
		"{{< metric value=\"a\" value=\"b\" >}}\n\n" +
		"{{< metirc value=\"a\" >}} after\n\n" +
		"{{< metric, value=\"a\" >}}\n"
	e := &echo{}
	d := renderMetrics(t, file, e)
	want := []string{
		`6:1: unknown journey &quot;<storm>&quot;`,
		`8:3: metric reference is not closed: ">}}" is missing before the end of the paragraph`,
		`12:20: metric reference: the value of journey has no closing quote`,
		`14:12: metric reference: value needs a value: value="…"`,
		`16:22: metric reference: value is given twice`,
		`18:5: unknown shortcode "metirc" (did you mean "metric"?)`,
		`20:11: metric reference: expected a blank after the name, found ','`,
	}
	var got []string
	for _, err := range d.MetricErrors {
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%v is not a positioned *Error", err)
		}
		got = append(got, err.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d.Metrics != 8 {
		t.Errorf("Metrics = %d, want 8", d.Metrics)
	}
	// Only well-formed references reach the resolver.
	if fmt.Sprint(e.calls) != "[4:4 6:1]" {
		t.Errorf("resolver called at %v", e.calls)
	}
	out := string(d.HTML)
	if strings.Contains(out, "<storm>") || !strings.Contains(out, `<span class="metric-error" role="alert">6:1: unknown journey &amp;quot;&lt;storm&gt;&amp;quot;</span>`) {
		t.Errorf("error not shown escaped in place:\n%s", out)
	}
	if !strings.Contains(out, "</span> after") {
		t.Errorf("the text after a bad reference is lost:\n%s", out)
	}
}

// TestMetricText: the figure is part of the page's words and of its
// table of contents, but heading ids do not move when the data does.
func TestMetricText(t *testing.T) {
	src := "## Storm {{< metric value=\"delta\" >}}\n\nAlignment {{< metric value=\"a\" >}} now.\n"
	d := renderMetrics(t, src, &echo{})
	if len(d.Headings) != 1 || d.Headings[0].ID != "storm" || d.Headings[0].Text != "Storm value=delta" {
		t.Errorf("headings %+v", d.Headings)
	}
	if d.Text != "Storm value=delta Alignment value=a now." || d.WordCount != 5 {
		t.Errorf("text %q, %d words", d.Text, d.WordCount)
	}
}
