package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16LE(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// TestPageEncodings: a page saved with CR-only line ends or as UTF-16
// is read (before: "missing title"); a page in Latin-1 or with invalid
// UTF-8 in its body is an error at its line (before: passed into the
// HTML).
func TestPageEncodings(t *testing.T) {
	page := "+++\ntitle = \"Über uns\"\n+++\n\nSome **text** here.\n"
	for _, c := range []struct {
		name string
		src  []byte
		want string // "" to build
	}{
		{"cr only", []byte(strings.ReplaceAll(page, "\n", "\r")), ""},
		{"crlf", []byte(strings.ReplaceAll(page, "\n", "\r\n")), ""},
		{"utf-16", utf16LE(strings.ReplaceAll(page, "\n", "\r\n")), ""},
		{"latin-1 body", []byte("+++\ntitle = \"About\"\n+++\n\nCaf\xe9 au lait\n"), "content/about.md:5:4: file is not UTF-8 text: save it as UTF-8"},
		{"utf-16 without bom", utf16LE(page)[2:], "content/about.md:1:1: file is UTF-16 text without a byte order mark"},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := copyFixture(t)
			os.WriteFile(filepath.Join(site, "content", "about.md"), c.src, 0o644)
			out := filepath.Join(t.TempDir(), "public")
			_, stderr, code := runCLI(t, "build", "-s", site, "-o", out)
			if c.want != "" {
				if code != 1 || !strings.Contains(stderr, c.want) {
					t.Errorf("exit %d, want %q in:\n%s", code, c.want, stderr)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, _ := os.ReadFile(filepath.Join(out, "about", "index.html"))
			if !strings.Contains(string(b), "Über uns") || !strings.Contains(string(b), "<strong>text</strong>") {
				t.Errorf("page not read right:\n%s", b)
			}
		})
	}
}

// TestBaseURLFlagValidated: --base-url is checked as site.toml's baseURL
// is (before, anything went into every link).
func TestBaseURLFlagValidated(t *testing.T) {
	for _, bad := range []string{"javascript:alert(1)//", "not a url", "http://[::1"} {
		out := filepath.Join(t.TempDir(), "public")
		_, stderr, code := runCLI(t, "build", "-s", fixture, "-o", out, "--base-url", bad)
		if code != 1 || !strings.Contains(stderr, "--base-url: baseURL ") {
			t.Errorf("--base-url %q: exit %d: %s", bad, code, stderr)
		}
		site := copyFixture(t)
		cfg := filepath.Join(site, "site.toml")
		b, _ := os.ReadFile(cfg)
		os.WriteFile(cfg, []byte("baseURL = \""+bad+"\"\n"+string(b)), 0o644)
		_, stderr, code = runCLI(t, "build", "-s", site, "-o", out)
		if code != 1 || !strings.Contains(stderr, "site.toml:1:11: baseURL ") {
			t.Errorf("baseURL %q: exit %d: %s", bad, code, stderr)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, code := runCLI(t, "build", "-s", fixture, "-o", out, "--base-url", "https://staging.example.com/cx"); code != 0 {
		t.Fatalf("a good --base-url: %s", stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "sitemap.xml")); !strings.Contains(string(b), "<loc>https://staging.example.com/cx/</loc>") {
		t.Errorf("sitemap:\n%s", b)
	}
}
