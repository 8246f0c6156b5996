package load

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// copySite copies the demo site's data and site.toml to a temporary
// folder.
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	root := filepath.Join("..", "..")
	copyFile := func(rel string) {
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755)
		os.WriteFile(filepath.Join(dst, rel), src, 0o644)
	}
	copyFile("site.toml")
	filepath.WalkDir(filepath.Join(root, "data"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			copyFile(rel)
		}
		return nil
	})
	return dst
}

// TestDemoSurveyEqualsResponses: the demo's storm pulse survey, a
// Qualtrics-shaped export with labels, missing codes, unfinished rows
// and waves from dates, gives exactly the figures of the responses file
// it was made from (kept in testdata).
func TestDemoSurveyEqualsResponses(t *testing.T) {
	viaSurvey, d1 := Site(filepath.Join("..", ".."))
	if d1.HasErrors() {
		t.Fatal(d1.Err())
	}
	dir := copySite(t)
	os.RemoveAll(filepath.Join(dir, "data", "surveys"))
	orig, _ := os.ReadFile(filepath.Join("testdata", "demo-responses", "storm-pulse.csv"))
	os.WriteFile(filepath.Join(dir, "data", "responses", "storm-pulse.csv"), orig, 0o644)
	viaResponses, d2 := Site(dir)
	if d2.HasErrors() {
		t.Fatal(d2.Err())
	}
	n := 0
	for k, want := range viaResponses.Cells {
		got := viaSurvey.Cells[k]
		if got == nil {
			t.Errorf("%v: missing", k)
			continue
		}
		if want.Source.Path == "data/responses/storm-pulse.csv" {
			n++
			if got.Kind != model.FromSurvey || !strings.HasPrefix(got.Source.Path, "data/surveys/") {
				t.Errorf("%v: from %v", k, got.Source)
			}
		}
		if got.Mean != want.Mean || got.N != want.N || got.SD != want.SD {
			t.Errorf("%v: got mean %v n %d sd %v, want %v %d %v", k, got.Mean, got.N, got.SD, want.Mean, want.N, want.SD)
		}
	}
	if len(viaSurvey.Cells) != len(viaResponses.Cells) {
		t.Errorf("%d cells, want %d", len(viaSurvey.Cells), len(viaResponses.Cells))
	}
	for k, want := range viaResponses.NPS {
		got := viaSurvey.NPS[k]
		if got == nil || got.Promoters != want.Promoters || got.Passives != want.Passives || got.Detractors != want.Detractors {
			t.Errorf("NPS %v: got %+v, want %+v", k, got, want)
		}
	}
	for k, want := range viaResponses.Verbatims {
		got := viaSurvey.Verbatims[k]
		if got == nil || got.Total != want.Total || len(got.Comments) != len(want.Comments) {
			t.Errorf("verbatims %v", k)
			continue
		}
		for i := range want.Comments {
			g, w := got.Comments[i], want.Comments[i]
			if g.Text != w.Text || g.Respondent != w.Respondent || (g.Recommend == nil) != (w.Recommend == nil) || g.Recommend != nil && *g.Recommend != *w.Recommend {
				t.Errorf("verbatim %v %d: got %+v, want %+v", k, i, g, w)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d cells came from the responses file", n)
	}
}

func TestSurveyAndResponsesClash(t *testing.T) {
	dir := copySite(t)
	orig, _ := os.ReadFile(filepath.Join("testdata", "demo-responses", "storm-pulse.csv"))
	os.WriteFile(filepath.Join(dir, "data", "responses", "storm-pulse.csv"), orig, 0o644)
	os.WriteFile(filepath.Join(dir, "data", "surveys", "stray.xlsx"), []byte("PK"), 0o644)
	_, d := Site(dir)
	all := d.Err().Error()
	for _, want := range []string{
		`data/surveys/storm-pulse.csv:`, `has two sources: the survey export from this row on and data/responses/storm-pulse.csv:`,
		"data/surveys/stray.xlsx: warning: no mapping in data/surveys/ names this file",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("want %q in\n%s", want, all)
		}
	}
}
