//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestBuildRefusesIrregularFiles: a named pipe or a link to /dev/zero
// where the build reads a page, a data file, site.toml, a layout or a
// static file is reported at its path; before, the build blocked for
// ever on the pipe and ran out of memory on /dev/zero.
func TestBuildRefusesIrregularFiles(t *testing.T) {
	for _, c := range []struct {
		path string // under the site
		pipe bool   // a named pipe, else a link to /dev/zero
		want string
	}{
		{"content/pipe.md", true, "content/pipe.md: not a regular file (a named pipe)"},
		{"content/zero.md", false, "content/zero.md: not a regular file (a symbolic link to a character device)"},
		{"data/measures/pipe.csv", true, "data/measures/pipe.csv: not a regular file (a named pipe)"},
		{"data/measures/zero.csv", false, "data/measures/zero.csv: not a regular file (a symbolic link"},
		{"data/responses/pipe.csv", true, "data/responses/pipe.csv: not a regular file (a named pipe)"},
		{"data/brands/pipe.toml", true, "data/brands/pipe.toml: not a regular file (a named pipe)"},
		{"data/journeys/zero.toml", false, "data/journeys/zero.toml: not a regular file"},
		{"data/actors.toml", true, "data/actors.toml: not a regular file (a named pipe)"},
		{"site.toml", true, "site.toml: not a regular file (a named pipe)"},
		{"site.toml", false, "site.toml: not a regular file (a symbolic link to a character device)"},
		{"static/pipe.txt", true, "static/pipe.txt: not a regular file (a named pipe)"},
		{"static/img/zero.png", false, "static/img/zero.png: not a regular file (a symbolic link to a character device)"},
		{"layouts/page.html", true, "not a regular file (a named pipe)"},
	} {
		t.Run(c.path, func(t *testing.T) {
			site := copyFixture(t)
			p := filepath.Join(site, filepath.FromSlash(c.path))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.Remove(p)
			if c.pipe {
				if err := syscall.Mkfifo(p, 0o644); err != nil {
					t.Fatal(err)
				}
			} else if err := os.Symlink("/dev/zero", p); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "public")
			_, stderr, code := runCLI(t, "build", "-s", site, "-o", out)
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, want %q in:\n%s", code, c.want, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed build wrote output")
			}
		})
	}
}

// TestBuildFollowsStaticFolderLinks: a symbolic link to a folder in
// static/ is copied like a folder (before: "is a directory"); a link
// that loops back is reported, not followed for ever.
func TestBuildFollowsStaticFolderLinks(t *testing.T) {
	site := copyFixture(t)
	shared := t.TempDir()
	os.WriteFile(filepath.Join(shared, "logo.svg"), []byte("<svg/>"), 0o644)
	os.MkdirAll(filepath.Join(site, "static"), 0o755)
	os.Symlink(shared, filepath.Join(site, "static", "brand"))
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, code := runCLI(t, "build", "-s", site, "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "brand", "logo.svg")); err != nil || string(b) != "<svg/>" {
		t.Errorf("brand/logo.svg: %q %v", b, err)
	}
	os.Symlink(filepath.Join(site, "static"), filepath.Join(shared, "back"))
	_, stderr, code := runCLI(t, "build", "-s", site, "-o", out)
	if code == 0 || !strings.Contains(stderr, "static/brand/back: a symbolic link back to a folder that contains it") {
		t.Errorf("loop: exit %d: %s", code, stderr)
	}
}
