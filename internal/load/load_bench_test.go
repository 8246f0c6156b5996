package load_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

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
	cpu := cpuTime()
	for b.Loop() {
		s, l := load.Site(dir)
		if l.HasErrors() {
			b.Fatal(l.Err())
		}
		if len(s.Cells) == 0 {
			b.Fatal("no cells")
		}
	}
	// CPU time over all cores says what parallel parsing costs, and is
	// steadier than wall time on a busy machine.
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
