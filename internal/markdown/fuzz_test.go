package markdown

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// seedPages adds every golden input to the corpus: real pages are the
// best starting point for mutations.
func seedPages(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzFrontMatter(f *testing.F) {
	seedPages(f)
	for _, s := range []string{
		"", "+++", "+++\n", "+++\n+++", "\xEF\xBB\xBF+++\r\ntitle = \"x\"\r\n+++\r\n",
		"+++\ntitle = \"x\"\ndate = 2026-01-01T10:00:00+02:00\ntags = \"a\"\n[params]\na.b = 1\n+++\n",
		"+++\ntitl = 1\n[[params]]\n'quoted' = \"\"\"\nx = 1\n\"\"\"\n+++\n",
		"+++\ntitle = \"x\nfoo\n+++\n", "---\ntitle: x\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fm, body, bodyLine, err := SplitFrontMatter(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 {
				t.Fatalf("split error %v is not positioned", err)
			}
			return
		}
		if bodyLine < 1 || len(body) > len(src) {
			t.Fatalf("bodyLine %d, body %d of %d bytes", bodyLine, len(body), len(src))
		}
		if fm == nil {
			return
		}
		_, err = ParseFrontMatter(fm, 2)
		if err == nil {
			return
		}
		var list ErrorList
		var single *Error
		switch {
		case errors.As(err, &list):
			if len(list) == 0 {
				t.Fatal("empty ErrorList")
			}
			for _, e := range list {
				// Every problem lies between the two +++ lines.
				if e.Line < 1 || e.Line >= bodyLine {
					t.Fatalf("error %v outside the front matter (body starts on line %d)", e, bodyLine)
				}
			}
		case errors.As(err, &single):
			if single.Line < 2 || single.Line >= bodyLine {
				t.Fatalf("error %v outside the front matter (body starts on line %d)", single, bodyLine)
			}
		default:
			t.Fatalf("error %T %v is not positioned", err, err)
		}
	})
}

func FuzzRender(f *testing.F) {
	seedPages(f)
	for _, s := range []string{
		"", "#", "```chart", "```chart\n```", "> ```chart\n> fail\n", "- ```chart\n  x\n",
		"| a |\n|---|\n| `x` |", "[^1]\n\n[^1]: ```chart\n    y\n    ```", "## x {#x}\n## x\n## x-1",
		"\"'--...<<>>'\"", "<div>\n*x*\n</div>", "```go\nfunc(\n```", "\t```chart\n\tx\n",
		`{{< metric journey="storm" value="alignment" >}}`, "{{< metric\nvalue=x >}}", "> {{< metric\n> a=\"b >}}",
		"`{{< metric >}}`", "{{< metrc a=b >}}", "{{<{{<{{< metric", "\t{{< metric a=b >}}", "- {{< metric a=\"\n  b\" >}}",
		"## {{< metric value=fail >}}", "[^1]\n\n[^1]: {{< metric a=b a=c >}}", "{{< metric a=\"x\"y >}}", "\\{{< metric >}}",
		"{{< metric a=b\r\n\r\n>}}", "| {{< metric a=b >}} |\n|---|", "{{< metric \xff=1 >}}",
	} {
		f.Add([]byte(s))
	}
	m := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := bytes.Count(src, []byte("\n")) + 1
		var seen []int
		cr := ChartRendererFunc(func(w util.BufWriter, body []byte, line, index int) error {
			if line < 1 || line > lines {
				t.Errorf("chart %d at line %d of a %d-line body", index, line, lines)
			}
			seen = append(seen, index)
			if bytes.Contains(body, []byte("fail")) {
				return errors.New("<fail>")
			}
			_, err := w.Write([]byte("<figure></figure>"))
			return err
		})
		var resolved int
		mr := MetricResolverFunc(func(args map[string]string, line, col int) (string, string, error) {
			if line < 1 || line > lines || col < 1 {
				t.Errorf("metric reference at %d:%d of a %d-line body", line, col, lines)
			}
			resolved++
			for _, v := range args {
				if strings.Contains(v, "fail") {
					return "", "", errors.New("<fail>")
				}
			}
			return "<m>", "<exact>", nil
		})
		d, err := m.RenderWith(src, 1, cr, WithMetrics(mr))
		if err != nil {
			t.Fatal(err)
		}
		if resolved > d.Metrics || len(d.MetricErrors) > d.Metrics {
			t.Fatalf("Metrics %d, resolver called %d times, %d errors", d.Metrics, resolved, len(d.MetricErrors))
		}
		for _, e := range d.MetricErrors {
			var pe *Error
			if errors.As(e, &pe) && (pe.Line < 1 || pe.Line > lines || pe.Col < 1) {
				t.Fatalf("metric error %v outside a %d-line body", e, lines)
			}
		}
		if bytes.Contains(d.HTML, []byte("<m>")) || bytes.Contains(d.HTML, []byte("<exact>")) {
			t.Fatal("metric figure not escaped")
		}
		if d.Charts != len(seen) || len(d.ChartErrors) > d.Charts {
			t.Fatalf("Charts %d, renderer called %d times, %d errors", d.Charts, len(seen), len(d.ChartErrors))
		}
		for i, idx := range seen {
			if idx != i {
				t.Fatalf("chart indexes %v are not 0, 1, 2, …", seen)
			}
		}
		if len(d.Text) > MaxText {
			t.Fatalf("Text is %d bytes", len(d.Text))
		}
		if utf8.Valid(src) && !utf8.ValidString(d.Text) {
			t.Fatalf("Text is not UTF-8: %q", d.Text)
		}
		ids := map[string]bool{}
		for _, h := range d.Headings {
			if h.ID == "" || ids[h.ID] {
				t.Fatalf("heading id %q empty or repeated in %+v", h.ID, d.Headings)
			}
			ids[h.ID] = true
		}
		if bytes.Contains(d.HTML, []byte("<fail>")) {
			t.Fatal("chart error not escaped")
		}
	})
}
