package markdown

import (
	"testing"

	"github.com/touchstone-cx/touchstone/internal/bench/synth"
)

// BenchmarkRenderPage renders the synthetic benchmark pages (about 1.5
// KB: ten sections, lists, a table, a highlighted Go block), each one new
// to the highlighter, as a full build meets them; the whole-program
// comparison with Hugo uses the same pages.
func BenchmarkRenderPage(b *testing.B) {
	const n = 200
	pages := make([][]byte, n)
	size := 0
	for i := range pages {
		pages[i] = []byte(synth.PageBody(i))
		size += len(pages[i])
	}
	m := New()
	b.SetBytes(int64(size / n))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.code.forget() // every block highlighted afresh, as in a build
		if _, err := m.Render(pages[i%n], 6); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
