package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html from the current output")

// TestGolden renders every testdata/*.md page (front matter and all, as
// build does) and compares the HTML, followed by a comment with the rest
// of the Doc, with testdata/*.golden.html. Run with -update to accept a
// change, then read the diff.
func TestGolden(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	m := New()
	for _, path := range pages {
		name := strings.TrimSuffix(filepath.Base(path), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fm, body, bodyLine, err := SplitFrontMatter(src)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseFrontMatter(fm, 2); err != nil {
				t.Fatal(err)
			}
			d, err := m.RenderWith(body, bodyLine, figures{}, WithMetrics(&echo{}))
			if err != nil {
				t.Fatal(err)
			}
			got := golden(d)
			want := filepath.Join("testdata", name+".golden.html")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantBytes, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, wantBytes) {
				t.Errorf("%s differs from %s (go test -update accepts the new output):\n%s", path, want, firstDiff(wantBytes, got))
			}
		})
	}
}

func golden(d Doc) []byte {
	var b bytes.Buffer
	b.Write(d.HTML)
	b.WriteString("<!--\n")
	for _, h := range d.Headings {
		fmt.Fprintf(&b, "heading %d #%s %q\n", h.Level, h.ID, h.Text)
	}
	fmt.Fprintf(&b, "charts %d\n", d.Charts)
	for _, e := range d.ChartErrors {
		fmt.Fprintf(&b, "chart error %s\n", e)
	}
	if d.Metrics > 0 {
		fmt.Fprintf(&b, "metrics %d\n", d.Metrics)
	}
	for _, e := range d.MetricErrors {
		fmt.Fprintf(&b, "metric error %s\n", e)
	}
	fmt.Fprintf(&b, "words %d\ntext %q\n-->\n", d.WordCount, d.Text)
	return b.Bytes()
}

// firstDiff shows the first differing line, which is usually enough to
// see what changed.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return ""
}
