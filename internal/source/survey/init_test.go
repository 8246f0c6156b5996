package survey_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

// TestInit: init copies the export, writes a mapping that loads as it
// is (no questions yet, no errors), lists every column with its
// question text and candidate labels, and never overwrites.
func TestInit(t *testing.T) {
	for _, c := range []struct{ export, format, column, label string }{
		{"testdata/qualtrics/storm.csv", `format  = "qualtrics"`, `# column     = "Q1_2"   # How far do you agree? - The call centre was clear`,
			`q1-1 = { "Strongly disagree" = 1, "Disagree" = 2, "Neither agree nor disagree" = 3, "Agree" = 4, "Strongly agree" = 5 }`},
		{"testdata/surveymonkey/storm.csv", `format  = "surveymonkey"`, `# column     = "How was our call centre? | Was clear"   # How was our call centre?`, `"Disagree" = 1, "Agree" = 2, "Strongly agree" = 3`},
		{"testdata/utf16/storm.txt", `format  = "plain"`, `# column     = "Call thére"`, ``},
		{"testdata/limesurvey/storm.csv", `format  = "plain"`, `# column     = "Q1[SQ001]"`, ``},
	} {
		t.Run(c.export, func(t *testing.T) {
			root := t.TempDir()
			written, err := survey.Init(root, c.export, survey.InitSite{Journeys: []string{"storm"}, Waves: []string{"2025-H2", "2026-H1"}})
			if err != nil {
				t.Fatal(err)
			}
			base := filepath.Base(c.export)
			name := strings.TrimSuffix(base, filepath.Ext(base))
			if strings.Join(written, ",") != "data/surveys/"+base+",data/surveys/"+name+".toml" {
				t.Fatalf("written %v", written)
			}
			text, _ := os.ReadFile(filepath.Join(root, "data", "surveys", name+".toml"))
			for _, want := range []string{c.format, c.column, c.label, `journey = "storm"`, `wave    = "2026-H1"`} {
				if !strings.Contains(string(text), want) {
					t.Errorf("want %q in\n%s", want, text)
				}
			}
			d := &diag.List{}
			res := survey.New("data/surveys/"+name+".toml").Load(context.Background(), &source.Env{Root: root, Site: testSite(), Diags: d})
			if d.Len() != 0 || len(res.Data.Cells) != 0 {
				t.Errorf("the fresh mapping: %v", d.Items())
			}
			if _, err := survey.Init(root, c.export, survey.InitSite{}); err == nil || !strings.Contains(err.Error(), "exists: not overwritten") {
				t.Errorf("second init: %v", err)
			}
			after, _ := os.ReadFile(filepath.Join(root, "data", "surveys", name+".toml"))
			if string(after) != string(text) {
				t.Error("the mapping was overwritten")
			}
		})
	}
}
