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
	// Only the storm pulse goes back to being a responses file; the
	// demo's other surveys stay as they are on both sides.
	for _, name := range []string{"storm-pulse.toml", "storm-pulse.csv"} {
		if err := os.Remove(filepath.Join(dir, "data", "surveys", name)); err != nil {
			t.Fatal(err)
		}
	}
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

// TestDataFolderProblems: SPEC §12 — raw exports in data/responses/,
// stray files, many unknown columns, timestamps as waves, numbers that
// are not plain decimals, CR-only and Latin-1 files.
func TestDataFolderProblems(t *testing.T) {
	qualtrics := "StartDate,ResponseId,Q1\nStart Date,Response ID,How clear?\n\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n2026-04-02 10:14:00,R_1,4\n"
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"qualtrics in responses", map[string]string{"data/responses/export.csv": qualtrics},
			[]string{"data/responses/export.csv:1:1: this is a Qualtrics export, not a responses file: map it with `touchstone survey init data/responses/export.csv`"}},
		{"tsv in responses", map[string]string{"data/responses/export.tsv": "a\tb\n"},
			[]string{"data/responses/export.tsv: warning: .tsv files in data/responses/ are not read (only .csv are): map this export with `touchstone survey init data/responses/export.tsv`"}},
		{"xlsx in measures", map[string]string{"data/measures/m.xlsx": "PK"},
			[]string{"data/measures/m.xlsx: warning: spreadsheet files are not read: save it as CSV UTF-8"}},
		{"many unknown columns", map[string]string{"data/responses/r.csv": "respondent,wave,journey,touchpoint,be-there,Q1,Q2,Q3,Q4\nr1,w2,onboarding,invoice,4,1,2,3,4\n"},
			[]string{`data/responses/r.csv:1:45: warning: 4 columns are not attributes of any brand and are ignored: "q1", "q2", "q3", "q4" (attributes: be-there, clarity;`}},
		{"timestamps as waves", map[string]string{"data/responses/r.csv": "respondent,wave,journey,touchpoint,be-there\nr1,2026-04-02 10:14:00,onboarding,invoice,4\nr2,2026-04-03 11:00:00,onboarding,invoice,4\n"},
			[]string{`data/responses/r.csv:2:4: the wave column holds timestamps ("2026-04-02 10:14:00", and 1 more distinct ones`}},
		{"not plain decimals", map[string]string{"data/responses/r.csv": "respondent,wave,journey,touchpoint,be-there,clarity\nr1,w2,onboarding,invoice,0_4,1e0\nr2,w2,onboarding,invoice,0x1p2,4_2\n"},
			[]string{`r.csv:2:26: be-there score "0_4" is not a number`, `r.csv:2:30: clarity score "1e0" is not a number`, `r.csv:3:26: be-there score "0x1p2" is not a number`, `r.csv:3:32: clarity score "4_2" is not a number`}},
		{"measures exponent", map[string]string{"data/measures/m.csv": "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,be-there,3e0\n"},
			[]string{`data/measures/m.csv:2:`}},
		{"CR only", map[string]string{"data/responses/r.csv": "respondent,wave,journey,touchpoint,be-there\rr1,w2,onboarding,invoice,4\rr2,w2,onboarding,invoice,4\r"},
			[]string{"data/responses/r.csv:1:1: lines end in a lone CR (old Mac format): save it as UTF-8 CSV"}},
		{"Latin-1 header", map[string]string{"data/responses/r.csv": "respondent,wave,journey,touchpoint,be-there,r\xe9gion\nr1,w2,onboarding,invoice,4,x\n"},
			[]string{"data/responses/r.csv:1:", "file is not UTF-8 text: save it as UTF-8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := base()
			delete(files, "data/responses/r.csv")
			for k, v := range c.files {
				files[k] = v
			}
			_, d := Site(writeSite(t, files))
			got := lines(d)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in\n%s", w, got)
				}
			}
		})
	}
}

// TestRepeatedRespondents: a respondent answering a touchpoint twice in
// a wave, within a file or across two, is a warning naming both places;
// the same respondent at another touchpoint or wave is not.
func TestRepeatedRespondents(t *testing.T) {
	files := base()
	files["data/responses/r.csv"] = "respondent,wave,journey,touchpoint,be-there\nr1,w2,onboarding,invoice,4\nr2,w2,onboarding,invoice,3\nr1,w2,onboarding,ad,3\nr1,w1,onboarding,invoice,3\n r1 ,w2,onboarding,invoice,5\n"
	files["data/responses/s.csv"] = "wave,journey,touchpoint,respondent,clarity\nw2,onboarding,invoice,r2,4\n"
	delete(files, "data/measures/m.csv")
	_, d := Site(writeSite(t, files))
	got := lines(d)
	for _, w := range []string{
		`data/responses/r.csv:6:1: warning: this respondent already answered onboarding/invoice in wave "w2" at data/responses/r.csv:2: an export read twice?`,
		`data/responses/s.csv:2:23: warning: this respondent already answered onboarding/invoice in wave "w2" at data/responses/r.csv:3`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("want %q in\n%s", w, got)
		}
	}
	if n := strings.Count(got, "already answered"); n != 2 {
		t.Errorf("%d repeats reported, want 2:\n%s", n, got)
	}
}

// TestResponsesNPSPoolsWithWeightedSurvey: a touchpoint's recommend
// answers from a responses file (unweighted) and from a weighted survey
// pool into one NPS where every responses answer weighs 1; before, the
// weighted figures left the responses answers out.
func TestResponsesNPSPoolsWithWeightedSurvey(t *testing.T) {
	survey := "file = \"storm-pulse.csv\"\njourney = \"storm\"\nwave = { column = \"StartDate\", ranges = { \"2026-H1\" = [\"2026-01-01\", \"2026-06-30\"] } }\n" +
		"weight = \"Duration (in seconds)\"\nwhere = { Finished = [\"1\", \"True\"] }\n[[questions]]\ncolumn = \"Q2_NPS\"\ntouchpoint = \"storm-warning-call\"\nrecommend = true\n"
	resp := "respondent,wave,journey,touchpoint,recommend\nx1,2026-H1,storm,storm-warning-call,10\nx2,2026-H1,storm,storm-warning-call,9\nx3,2026-H1,storm,storm-warning-call,2\n"
	k := model.TouchKey{Wave: "2026-H1", Journey: "storm", Touchpoint: "storm-warning-call"}
	load := func(withSurvey, withResponses bool) model.NPSCounts {
		t.Helper()
		dir := copySite(t)
		os.RemoveAll(filepath.Join(dir, "data", "responses"))
		os.MkdirAll(filepath.Join(dir, "data", "responses"), 0o755)
		if withSurvey {
			os.WriteFile(filepath.Join(dir, "data", "surveys", "storm-pulse.toml"), []byte(survey), 0o644)
		} else {
			os.RemoveAll(filepath.Join(dir, "data", "surveys"))
		}
		if withResponses {
			os.WriteFile(filepath.Join(dir, "data", "responses", "x.csv"), []byte(resp), 0o644)
		}
		s, d := Site(dir)
		if d.HasErrors() {
			t.Fatal(d.Err())
		}
		if s.NPS[k] == nil {
			t.Fatalf("no NPS for %v", k)
		}
		return *s.NPS[k]
	}
	sv, rs, both := load(true, false), load(false, true), load(true, true)
	if !sv.Weighted || rs.Weighted || rs.N() != 3 {
		t.Fatalf("survey %+v, responses %+v", sv, rs)
	}
	want := model.NPSCounts{Promoters: sv.Promoters + 2, Passives: sv.Passives, Detractors: sv.Detractors + 1,
		WPromoters: sv.WPromoters + 2, WPassives: sv.WPassives, WDetractors: sv.WDetractors + 1, SWW: sv.SWW + 3, Weighted: true}
	if both != want {
		t.Errorf("pooled %+v, want %+v", both, want)
	}
}
