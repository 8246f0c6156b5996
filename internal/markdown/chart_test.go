package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark/util"
)

// figures is a ChartRenderer for tests: it draws a <figure> that shows
// what it was given, and fails (after writing some markup that must not
// reach the page) on a body containing "fail".
type figures struct{ prefix string }

func (f figures) RenderChart(w util.BufWriter, body []byte, line int, index int) error {
	if bytes.Contains(body, []byte("fail")) {
		_, _ = w.WriteString("<figure>half-written")
		return &Error{Line: line, Col: 1, Msg: `unknown chart type "<fail>" (did you mean "gap"?)`}
	}
	_, err := fmt.Fprintf(w, "<figure class=\"chart\" id=\"%schart-%d\" data-line=\"%d\">%s</figure>\n",
		f.prefix, index, line, html.EscapeString(strings.TrimSpace(string(body))))
	return err
}

// page renders a whole page file the way build does.
func page(t testing.TB, m *Markdown, file string, cr ChartRenderer) Doc {
	t.Helper()
	fm, body, bodyLine, err := SplitFrontMatter([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if fm != nil {
		if _, err := ParseFrontMatter(fm, 2); err != nil {
			t.Fatal(err)
		}
	}
	d, err := m.RenderWith(body, bodyLine, cr)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var figureRE = regexp.MustCompile(`<figure class="chart" id="chart-(\d+)" data-line="(\d+)">([^<]*)</figure>`)

func TestChartLines(t *testing.T) {
	body := "# Report\n\n```chart\ntype = \"heatmap\"\n```\n\nText.\n\n- item\n\n  ```chart\n  type = \"gap\"\n  title = \"In a list\"\n  ```\n\n> ```chart\n> type = \"radar\"\n> ```\n"
	// Lines of the first body line of each chart, counted in body.
	bodyLines := []int{4, 12, 17}
	tests := []struct {
		name  string
		file  string
		shift int
	}{
		{"no front matter", body, 0},
		{"three-line front matter", "+++\ntitle = \"x\"\n+++\n" + body, 3},
		{"seven-line front matter, CRLF", strings.ReplaceAll("+++\ntitle = \"x\"\ndate = 2026-01-01\n\n# comment\ntags = [\"a\"]\n+++\n"+body, "\n", "\r\n"), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := page(t, New(), tt.file, figures{})
			got := figureRE.FindAllStringSubmatch(string(d.HTML), -1)
			if len(got) != 3 || d.Charts != 3 {
				t.Fatalf("found %d figures, Charts = %d, in\n%s", len(got), d.Charts, d.HTML)
			}
			wantBodies := []string{`type = &#34;heatmap&#34;`, "type = &#34;gap&#34;\ntitle = &#34;In a list&#34;", `type = &#34;radar&#34;`}
			for i, g := range got {
				if g[1] != strconv.Itoa(i) {
					t.Errorf("chart %d has index %s", i, g[1])
				}
				if want := strconv.Itoa(bodyLines[i] + tt.shift); g[2] != want {
					t.Errorf("chart %d at line %s, want %s", i, g[2], want)
				}
				if g[3] != wantBodies[i] {
					t.Errorf("chart %d body %q, want %q", i, g[3], wantBodies[i])
				}
			}
			if strings.Contains(string(d.HTML), "language-chart") || strings.Contains(string(d.HTML), "chroma") {
				t.Errorf("chart block also rendered as code:\n%s", d.HTML)
			}
			if len(d.ChartErrors) != 0 {
				t.Errorf("ChartErrors = %v", d.ChartErrors)
			}
		})
	}
}

func TestChartEmptyBlockPointsAtFence(t *testing.T) {
	var line int
	cr := ChartRendererFunc(func(w util.BufWriter, body []byte, l, _ int) error {
		line = l
		if len(body) != 0 {
			t.Errorf("body = %q", body)
		}
		return nil
	})
	page(t, New(), "+++\ntitle = \"x\"\n+++\n\n```chart\n```\n", cr)
	if line != 5 {
		t.Errorf("line = %d, want 5 (the fence)", line)
	}
}

func TestChartError(t *testing.T) {
	src := "```chart\ntype = \"fail\"\n```\n\n```chart\ntype = \"gap\"\n```\n\n```chart\nfail again\n```\n"
	d := page(t, New(), "+++\ntitle = \"x\"\n+++\n"+src, figures{})
	out := string(d.HTML)
	if d.Charts != 3 || len(d.ChartErrors) != 2 {
		t.Fatalf("Charts = %d, ChartErrors = %v", d.Charts, d.ChartErrors)
	}
	var e *Error
	if !errors.As(d.ChartErrors[0], &e) || e.Line != 5 {
		t.Errorf("first error %v, want *Error at line 5", d.ChartErrors[0])
	}
	if !errors.As(d.ChartErrors[1], &e) || e.Line != 13 {
		t.Errorf("second error %v, want *Error at line 13", d.ChartErrors[1])
	}
	want := `<div class="chart-error" role="alert">5:1: unknown chart type &quot;&lt;fail&gt;&quot; (did you mean &quot;gap&quot;?)</div>`
	if !strings.Contains(out, want) {
		t.Errorf("missing %s in\n%s", want, out)
	}
	if strings.Contains(out, "half-written") || strings.Contains(out, "<fail>") {
		t.Errorf("failed chart's partial output or unescaped message leaked:\n%s", out)
	}
	// The good chart between the bad ones still renders.
	if !strings.Contains(out, `id="chart-1"`) {
		t.Errorf("second chart missing:\n%s", out)
	}
}

func TestChartWithoutRenderer(t *testing.T) {
	d := render(t, New(), "```chart\ntitle = \"<b>&</b>\"\n```\n")
	want := "<pre class=\"chart-spec\">title = &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;\n</pre>"
	if !strings.Contains(string(d.HTML), want) || d.Charts != 1 {
		t.Errorf("got %s, Charts %d", d.HTML, d.Charts)
	}
}

func TestChartRendererDefaultAndPerCall(t *testing.T) {
	m := New(WithChartRenderer(figures{prefix: "default-"}))
	src := "```chart\ntype = \"gap\"\n```\n"
	if d := render(t, m, src); !strings.Contains(string(d.HTML), `id="default-chart-0"`) {
		t.Errorf("default renderer not used: %s", d.HTML)
	}
	d, err := m.RenderWith([]byte(src), 1, figures{prefix: "page-"})
	if err != nil || !strings.Contains(string(d.HTML), `id="page-chart-0"`) {
		t.Errorf("per-call renderer not used: %s %v", d.HTML, err)
	}
}

// TestConcurrentRender renders many pages at once on one Markdown, each
// with its own ChartRenderer, and checks every page against a sequential
// rendering. Run with -race.
//
// chroma gives each regexp match a 250 ms wall-clock timeout, and a
// starved goroutine (many of them on two cores under -race) can get a
// token marked class="err" even after codeRenderer's second try. That is
// chroma's, not a race here, so such a page is logged rather than
// failed; any other difference fails.
func TestConcurrentRender(t *testing.T) {
	// The reference comes from its own Markdown so that the concurrent
	// renders start with an empty highlight cache and run chroma at once.
	ref, m := New(), New()
	pages := make([]string, 8)
	want := make([][]byte, len(pages))
	for i := range pages {
		pages[i] = fmt.Sprintf("+++\ntitle = \"p%d\"\n+++\n%s\n```chart\ntype = \"gap\"\npage = %d\n```\n\n## Same\n\n## Same\n\n```go\nvar page = %d // each page its own code\n```\n", i, benchPage, i, i)
		want[i] = page(t, ref, pages[i], figures{prefix: fmt.Sprintf("p%d-", i)}).HTML
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range max(runtime.GOMAXPROCS(0)*2, 8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 10 {
				i := (g + r) % len(pages)
				fm, body, line, _ := SplitFrontMatter([]byte(pages[i]))
				_, _ = ParseFrontMatter(fm, 2)
				d, err := m.RenderWith(body, line, figures{prefix: fmt.Sprintf("p%d-", i)})
				if err != nil {
					errs <- err.Error()
					return
				}
				if !bytes.Equal(d.HTML, want[i]) {
					if bytes.Contains(d.HTML, []byte(`class="err"`)) && !bytes.Contains(want[i], []byte(`class="err"`)) {
						t.Logf("page %d: chroma regexp timeout under load", i)
						continue
					}
					errs <- fmt.Sprintf("page %d differs when rendered concurrently", i)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
