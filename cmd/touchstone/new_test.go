package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewSiteJourneyPage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	stdout, stderr, code := runCLI(t, "new", "site", dir)
	if code != 0 {
		t.Fatalf("new site: exit %d: %s", code, stderr)
	}
	for _, want := range []string{filepath.Join(dir, "site.toml"), filepath.Join(dir, "content", "_index.md"), "touchstone serve -s " + dir, "next:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("new site output lacks %q:\n%s", want, stdout)
		}
	}
	if stdout, stderr, code := runCLI(t, "check", "-s", dir); code != 0 || stdout != "" {
		t.Errorf("check on a new site: exit %d\n%s%s", code, stdout, stderr)
	}

	// The flag may come after the id, as people type it.
	stdout, stderr, code = runCLI(t, "new", "journey", "returns", "-s", dir)
	if code != 0 || !strings.Contains(stdout, filepath.Join(dir, "data", "journeys", "returns.toml")) || !strings.Contains(stdout, "/journeys/returns/") {
		t.Errorf("new journey: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = runCLI(t, "new", "page", "-s", dir, "notes/first")
	if code != 0 || !strings.Contains(stdout, filepath.Join(dir, "content", "notes", "first.md")) || !strings.Contains(stdout, "/notes/first/") {
		t.Errorf("new page: exit %d\n%s%s", code, stdout, stderr)
	}
	// The new journey has no data yet: warnings, no errors.
	if _, stderr, code := runCLI(t, "check", "-s", dir); code != 0 {
		t.Errorf("check after new journey and page: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, code := runCLI(t, "build", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	for _, p := range []string{"index.html", "journeys/returns/index.html", "notes/first/index.html"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
}

func TestNewNeverOverwrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	runCLI(t, "new", "site", dir)
	site := filepath.Join(dir, "site.toml")
	before, _ := os.ReadFile(site)

	_, stderr, code := runCLI(t, "new", "site", dir)
	if code != 1 || !strings.Contains(stderr, "is not empty") {
		t.Errorf("new site into a full folder: exit %d: %s", code, stderr)
	}
	if after, _ := os.ReadFile(site); string(after) != string(before) {
		t.Error("site.toml changed")
	}
	runCLI(t, "new", "journey", "-s", dir, "returns")
	_, stderr, code = runCLI(t, "new", "journey", "-s", dir, "returns")
	if code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second new journey: exit %d: %s", code, stderr)
	}
	runCLI(t, "new", "page", "-s", dir, "notes.md")
	_, stderr, code = runCLI(t, "new", "page", "-s", dir, "notes")
	if code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second new page: exit %d: %s", code, stderr)
	}
}

func TestNewRefusesBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	runCLI(t, "new", "site", dir)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new"}, 2, "site, journey or page"},
		{[]string{"new", "sit", "x"}, 2, `did you mean "site"?`},
		{[]string{"new", "site"}, 2, "missing argument"},
		{[]string{"new", "journey", "-s", dir}, 2, "missing argument"},
		{[]string{"new", "journey", "-s", dir, "a", "b"}, 2, "one argument expected"},
		{[]string{"new", "journey", "-s", dir, "Bill Pay"}, 1, `"bill-pay"`},
		{[]string{"new", "journey", "-s", dir, "../escape"}, 1, "not a valid id"},
		{[]string{"new", "page", "-s", dir, "../escape.md"}, 1, "outside content/"},
		{[]string{"new", "page", "-s", dir, "/tmp/escape.md"}, 1, "absolute"},
		{[]string{"new", "journey", "-s", filepath.Join(dir, "nowhere"), "returns"}, 1, "site.toml"},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d (want %d): %s", c.args, code, c.code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.md")); err == nil {
		t.Error("a page escaped content/")
	}
	if stdout, _, code := runCLI(t, "new", "--help"); code != 0 || !strings.Contains(stdout, "new journey ID") {
		t.Errorf("new --help: exit %d: %s", code, stdout)
	}
}
