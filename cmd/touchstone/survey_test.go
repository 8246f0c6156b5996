package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSurveyInit: on a new site, survey init of a Qualtrics export kept
// elsewhere copies it and writes a mapping; the site still checks clean;
// filling in one question gives the touchpoint data; a second init
// overwrites nothing.
func TestSurveyInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	if _, stderr, code := runCLI(t, "new", "site", dir); code != 0 {
		t.Fatal(stderr)
	}
	export := filepath.Join(t.TempDir(), "pulse.csv")
	os.WriteFile(export, []byte("StartDate,Finished,ResponseId,Q1\nStart Date,Finished,Response ID,How clear was it?\n"+
		"\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n"+
		"2026-04-02 10:14:00,True,R_1,Agree\n2026-04-03 10:14:00,True,R_2,Disagree\n"), 0o644)
	stdout, stderr, code := runCLI(t, "survey", "init", export, "-s", dir)
	if code != 0 || !strings.Contains(stdout, "data/surveys/pulse.csv") || !strings.Contains(stdout, "data/surveys/pulse.toml") {
		t.Fatalf("survey init: exit %d\n%s%s", code, stdout, stderr)
	}
	mapping, _ := os.ReadFile(filepath.Join(dir, "data", "surveys", "pulse.toml"))
	for _, want := range []string{`format  = "qualtrics"`, `# column     = "Q1"   # How clear was it?`, `"Disagree" = 1, "Agree" = 2`, `where      = { Finished = ["1", "True"] }`} {
		if !strings.Contains(string(mapping), want) {
			t.Errorf("mapping lacks %q:\n%s", want, mapping)
		}
	}
	if _, stderr, code := runCLI(t, "check", "-s", dir); code != 0 {
		t.Errorf("check after survey init: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "survey", "init", export, "-s", dir); code == 0 || !strings.Contains(stderr, "not overwritten") {
		t.Errorf("second init: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "survey"); code != 2 || !strings.Contains(stderr, "survey init") {
		t.Errorf("survey without init: exit %d: %s", code, stderr)
	}
}
