package load_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/bench/synth"
	"github.com/touchstone-cx/touchstone/internal/load"
)

// BenchmarkLoadResponses loads a synthetic site whose one responses CSV
// has 100,000 rows (8 attribute columns, about 10% empty cells, quoted
// comments); the CSV dominates. MB/s is over the CSV file.
func BenchmarkLoadResponses(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := synth.Write(dir, synth.Options{Rows: 100_000}); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "data/responses/survey.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		s, l := load.Site(dir)
		if l.HasErrors() {
			b.Fatal(l.Err())
		}
		if len(s.Cells) == 0 {
			b.Fatal("no cells")
		}
	}
}
