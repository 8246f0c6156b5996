package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/bench/synth"
	"github.com/touchstone-cx/touchstone/internal/build"
)

// synthSite writes a synthetic site of n plain pages (about 1.5 KB each:
// headings, lists, a table, a highlighted Go block) and a small survey.
func synthSite(b *testing.B, pages int) string {
	dir := filepath.Join(b.TempDir(), "site")
	if err := synth.Write(dir, synth.Options{Pages: pages, Rows: 1000}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild builds a 500-page site into memory, as `touchstone
// build` does before writing it out.
func BenchmarkBuild(b *testing.B) {
	dir := synthSite(b, 500)
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		res, err := build.New(build.Options{Site: dir}).Build(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if res.Pages < 500 {
			b.Fatalf("%d pages", res.Pages)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/500/1e3, "ms/page")
}

// BenchmarkRebuildPage is the dev server's one-page edit on a 2,000-page
// site: the page's text changes, only it (and the search index) render
// again.
func BenchmarkRebuildPage(b *testing.B) {
	dir := synthSite(b, 2000)
	bl := build.New(build.Options{Site: dir, Dev: true})
	if _, err := bl.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	rel := "content/unit-07/page-00007.md"
	path := filepath.Join(dir, filepath.FromSlash(rel))
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		edited := strings.Replace(string(src), "## Section 1:", "## Section 1 (edit "+time.Duration(i).String()+"):", 1)
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := bl.Rebuild(context.Background(), []string{rel})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rendered) != 1 {
			b.Fatalf("rendered %v, want the one page", res.Rendered)
		}
	}
}

// cpuTime is the process's user and system time so far: with pages
// rendered on every core, CPU time per op tells the cost, and it is
// steadier than wall time on a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRebuildData is the dev server's data edit on the demo site:
// one score of the current wave changes, the metrics are computed again
// and the pages it shows on are rendered again.
func BenchmarkRebuildData(b *testing.B) {
	dir := b.TempDir()
	for _, d := range []string{"content", "data"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("..", "..", d))); err != nil {
			b.Fatal(err)
		}
	}
	cfg, err := os.ReadFile(filepath.Join("..", "..", "site.toml"))
	if err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "site.toml"), cfg, 0o644)
	bl := build.New(build.Options{Site: dir, Dev: true})
	full, err := bl.Build(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	rel := "data/measures/2026-H1.csv"
	path := filepath.Join(dir, filepath.FromSlash(rel))
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i, rendered := 0, 0
	for b.Loop() {
		i++
		score := "3.73"
		if i%2 == 1 {
			score = "3.83"
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(src), ",3.73,", ","+score+",", 1)), 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := bl.Rebuild(context.Background(), []string{rel})
		if err != nil {
			b.Fatal(err)
		}
		rendered = len(res.Rendered)
	}
	b.ReportMetric(float64(rendered), "pages-rendered")
	b.ReportMetric(float64(full.Pages), "pages")
}

// BenchmarkBuildTouchpoints builds sites of 1,000, 3,000 and 10,000
// touchpoints (journeys of 1,000, see synth.Options.Touchpoints) into
// memory; cpu-µs/touchpoint stays flat when the build is linear.
// bench/scale.sh times the whole program at 10k, 30k and 100k.
func BenchmarkBuildTouchpoints(b *testing.B) {
	for _, n := range []int{1000, 3000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "site")
			if err := synth.Write(dir, synth.Options{Pages: 10, Touchpoints: n, PerJourney: 1000}); err != nil {
				b.Fatal(err)
			}
			cpu := cpuTime()
			for b.Loop() {
				res, err := build.New(build.Options{Site: dir}).Build(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if res.Pages < n {
					b.Fatalf("%d pages", res.Pages)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/float64(n)/1e3, "cpu-µs/touchpoint")
		})
	}
}
