package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// fence parses src and returns its first fenced code block.
func fence(t *testing.T, src string) *ast.FencedCodeBlock {
	t.Helper()
	doc := goldmark.New().Parser().Parse(text.NewReader([]byte(src)))
	f, ok := doc.FirstChild().(*ast.FencedCodeBlock)
	if !ok {
		t.Fatalf("no fenced block in %q", src)
	}
	return f
}

// stubCode stands in for the highlighter: it answers from outputs in
// turn (the last one repeats) and counts its calls.
type stubCode struct {
	outputs []string
	calls   int
}

func (s *stubCode) fn(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(s.outputs[min(s.calls, len(s.outputs)-1)])
		s.calls++
	}
	return ast.WalkContinue, nil
}

func renderCode(t *testing.T, r *codeRenderer, src string) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := r.render(bufferWriter{&buf}, []byte(src), fence(t, src), true); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestCodeCache(t *testing.T) {
	tests := []struct {
		name      string
		outputs   []string
		want      string
		wantCalls int
	}{
		{"clean output is kept", []string{`<span class="k">x</span>`}, "<span class=\"k\">x</span>\n", 1},
		{"timeout err is rendered again", []string{`<span class="err">x</span>`, `<span class="k">x</span>`}, "<span class=\"k\">x</span>\n", 2},
		{"real err is kept after one retry", []string{"<span class=\"err\">x</span>\n"}, "<span class=\"err\">x</span>\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubCode{outputs: tt.outputs}
			r := &codeRenderer{fn: stub.fn, cache: map[string][]byte{}, limit: maxCodeCache}
			src := "```go\nx\n```\n"
			for range 3 {
				if got := renderCode(t, r, src); got != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			}
			if stub.calls != tt.wantCalls {
				t.Fatalf("highlighter ran %d times, want %d (then cached)", stub.calls, tt.wantCalls)
			}
			// Another info string is another entry: attributes change output.
			renderCode(t, r, "```go {hl_lines=[1]}\nx\n```\n")
			if stub.calls == tt.wantCalls {
				t.Fatal("different info string served from cache")
			}
		})
	}
}

func TestCodeCacheBounded(t *testing.T) {
	stub := &stubCode{outputs: []string{strings.Repeat("y", 100)}}
	r := &codeRenderer{fn: stub.fn, cache: map[string][]byte{}, limit: 1000}
	for i := range 50 {
		renderCode(t, r, "```go\n"+strings.Repeat("x", i)+"\n```\n")
		if r.size > r.limit {
			t.Fatalf("cache holds %d bytes, limit %d", r.size, r.limit)
		}
	}
}

// The real highlighter, cached or not, gives the same page.
func TestCodeCacheSameOutput(t *testing.T) {
	m := New()
	first := render(t, m, benchPage).HTML
	again := render(t, m, benchPage).HTML
	if !bytes.Equal(first, again) {
		t.Fatal("cached rendering differs from the first")
	}
	if !bytes.Contains(first, []byte(`<span class="kd">func</span>`)) {
		t.Fatal("code not highlighted")
	}
}
