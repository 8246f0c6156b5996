package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
)

// TestPDFWithoutChrome: no Chromium means a message saying how to get
// one and a non-zero exit, before any build.
func TestPDFWithoutChrome(t *testing.T) {
	for _, tt := range []struct{ env, want string }{
		{"", "apt-get install chromium"},
		{"/nonexistent/chromium", "TOUCHSTONE_CHROME=/nonexistent/chromium"},
	} {
		t.Setenv("TOUCHSTONE_CHROME", tt.env)
		t.Setenv("PATH", t.TempDir())
		out := filepath.Join(t.TempDir(), "r.pdf")
		_, stderr, code := runCLI(t, "pdf", "-s", fixture, "-o", out)
		if code == 0 || !strings.Contains(stderr, tt.want) {
			t.Errorf("TOUCHSTONE_CHROME=%q: exit %d, %q; want non-zero and %q", tt.env, code, stderr, tt.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a PDF was written without a browser")
		}
	}
}

func TestPDFBadPaper(t *testing.T) {
	if _, stderr, code := runCLI(t, "pdf", "-s", fixture, "--paper", "A5"); code != 2 || !strings.Contains(stderr, `unknown paper "A5"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestPDF prints the fixture site through the command.
func TestPDF(t *testing.T) {
	t.Setenv("TOUCHSTONE_CHROME", browsertest.Need(t))
	out := filepath.Join(t.TempDir(), "r.pdf")
	stdout, stderr, code := runCLI(t, "pdf", "-s", fixture, "-o", out, "--paper", "Letter")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %v %.20q", err, b)
	}
	if !strings.Contains(stdout, "Letter") {
		t.Errorf("summary: %q", stdout)
	}
	// Letter is 612 × 792 points.
	if !strings.Contains(string(b), "612 792") {
		t.Error("not printed on Letter paper")
	}
}
