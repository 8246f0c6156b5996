package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixture = "../../internal/build/testdata/mini-site"

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code = 0
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
			errb.WriteString(ee.Error())
		} else {
			code = 1
			errb.WriteString(err.Error())
		}
	}
	return out.String(), errb.String(), code
}

func TestBuildWritesMetrics(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	stdout, stderr, code := runCLI(t, "build", "-s", fixture, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "pages") || !strings.Contains(stdout, "charts") {
		t.Errorf("no summary line: %q", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "data", "metrics.json"))
	if err != nil || !json.Valid(b) {
		t.Fatalf("metrics.json: %v", err)
	}
}

func TestCheck(t *testing.T) {
	if _, stderr, code := runCLI(t, "check", "-s", fixture); code != 0 {
		t.Errorf("check on a good site: exit %d: %s", code, stderr)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "site.toml"), []byte("titel = \"x\"\n"), 0o644)
	stdout, _, code := runCLI(t, "check", "-s", bad)
	if code != 1 || !strings.Contains(stdout, `site.toml:1:1: unknown setting "titel" (did you mean "title"?)`) || !strings.Contains(stdout, "missing title") {
		t.Errorf("check on a bad site: exit %d, output:\n%s", code, stdout)
	}
}

func TestMetrics(t *testing.T) {
	stdout, stderr, code := runCLI(t, "metrics", "-s", fixture, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Wave     string
		Journeys []struct{ Alignment float64 }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || doc.Wave != "2026-H1" || doc.Journeys[0].Alignment != 79.49579831932773 {
		t.Errorf("metrics --json: %v %+v", err, doc)
	}
	stdout, _, code = runCLI(t, "metrics", "-s", fixture, "--wave", "2025-H2")
	if code != 0 || !strings.Contains(stdout, "journey onboarding (brand acme): alignment 68.4") {
		t.Errorf("metrics table for 2025-H2: exit %d\n%s", code, stdout)
	}
	_, stderr, code = runCLI(t, "metrics", "-s", fixture, "--wave", "2026-H3")
	if code != 1 || !strings.Contains(stderr, `did you mean "2026-H1"?`) {
		t.Errorf("unknown wave: exit %d: %s", code, stderr)
	}
}

func TestVersionAndUsage(t *testing.T) {
	stdout, _, code := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "touchstone ") || !strings.Contains(stdout, "go1.") || !strings.Contains(stdout, "commit") {
		t.Errorf("version: %q", stdout)
	}
	if _, _, code := runCLI(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestBuildFailsWithPlaces(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "site.toml"), []byte("title = \"T\"\n"), 0o644)
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(site, "content", "_index.md"), []byte("+++\ntitle = \"Home\"\n+++\n\n```chart\ntype = \"heatmapp\"\n```\n"), 0o644)
	out := filepath.Join(t.TempDir(), "public")
	_, stderr, code := runCLI(t, "build", "-s", site, "-o", out)
	if code != 1 || !strings.Contains(stderr, "content/_index.md:6:") || !strings.Contains(stderr, `"heatmap"`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed build wrote output")
	}
}

// TestHelpExitsZero pins that asking any command for help is no error:
// the usage goes out and the exit code is 0, while a bad flag is 2.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{
		{"-h"}, {"help"}, {"build", "-h"}, {"serve", "-h"}, {"check", "-h"}, {"metrics", "-h"},
		{"new", "site", "-h"}, {"new", "journey", "-h"}, {"new", "page", "-h"}, {"version", "-h"},
		{"build", "--help"}, {"pdf", "-h"}, {"pull", "-h"}, {"survey", "init", "-h"},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != 0 {
			t.Errorf("%v: exit %d, want 0 (%s)", args, code, stderr)
		}
	}
	if _, _, code := runCLI(t, "build", "--no-such-flag"); code != 2 {
		t.Errorf("a bad flag exits %d, want 2", code)
	}
}

// TestBuildSummarySaysSuppressed: with suppress_below above the call
// centre's seven answers, the summary line says what was dropped; with
// nothing dropped it says nothing of it.
func TestBuildSummarySaysSuppressed(t *testing.T) {
	for _, tt := range []struct {
		stats, want string
	}{
		{"", ""},
		{"\n[stats]\nsuppress_below = 8\n", ", 4 cells and 2 NPS suppressed (n < 8)\n"},
	} {
		site := filepath.Join(t.TempDir(), "site")
		if err := os.CopyFS(site, os.DirFS(fixture)); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(filepath.Join(site, "site.toml"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(tt.stats)
		f.Close()
		stdout, stderr, code := runCLI(t, "build", "-s", site, "-o", filepath.Join(t.TempDir(), "out"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if tt.want == "" && strings.Contains(stdout, "suppressed") || tt.want != "" && !strings.HasSuffix(stdout, tt.want) {
			t.Errorf("summary %q, want it to end %q", stdout, tt.want)
		}
	}
}
