package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree records every file and folder under dir with its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if info.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, _ := os.ReadFile(p)
		out[rel] = string(b)
		return nil
	})
	return out
}

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		a, ok := after[p]
		if !ok {
			t.Errorf("%s: %s was deleted", what, p)
		} else if a != b {
			t.Errorf("%s: %s changed", what, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s: %s appeared", what, p)
		}
	}
}

// TestBuildRefusesDangerousOutput: a build replaces its output folder
// whole, so an output that is the site, an input folder, an ancestor of
// either or a folder of somebody's files is refused with exit 1 and
// nothing on disk changes (before, each of these deleted what it named
// and said "built 16 pages").
func TestBuildRefusesDangerousOutput(t *testing.T) {
	for _, c := range []struct {
		name   string
		output string // [build] output in site.toml, relative to the site
		flag   string // -o, relative to the folder holding the site
		want   string
	}{
		{name: "site root by output", output: ".", want: "the site folder itself"},
		{name: "site root by -o", flag: "site", want: "the site folder itself"},
		{name: "site root by -o with slash", flag: "site/", want: "the site folder itself"},
		{name: "site root by -o via dot-dot", flag: "site/content/..", want: "the site folder itself"},
		{name: "content", output: "content", want: "input folder content/"},
		{name: "data", output: "data", want: "input folder data/"},
		{name: "data by -o", flag: "site/data", want: "input folder data/"},
		{name: "static", output: "static", want: "input folder static/"},
		{name: "layouts", output: "layouts", want: "input folder layouts/"},
		{name: "themes", output: "themes", want: "input folder themes/"},
		{name: "inside data", output: "data/public", want: "inside the site's input folder data/"},
		{name: "parent by output", output: "..", want: "holds the site folder"},
		{name: "parent by -o", flag: ".", want: "holds the site folder"},
		{name: "filesystem root", flag: "/", want: "holds the site folder"},
		{name: "symlink to the site", flag: "link", want: "the site folder itself"},
		{name: "folder of other files", flag: "docs", want: `not an earlier Touchstone build (no .touchstone-build marker, first "important.xlsx")`},
		{name: "a file", flag: "notes.txt", want: "not a folder"},
		{name: "a link to a folder", flag: "docslink", want: "it is a symbolic link (to "},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			site := filepath.Join(parent, "site")
			if err := os.CopyFS(site, os.DirFS(fixture)); err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{"static", "layouts", "themes/x"} {
				os.MkdirAll(filepath.Join(site, d), 0o755)
				os.WriteFile(filepath.Join(site, d, "keep.txt"), []byte("keep"), 0o644)
			}
			os.Remove(filepath.Join(site, "themes/x/keep.txt")) // an empty theme: layouts fall back to the default
			os.WriteFile(filepath.Join(parent, "other.txt"), []byte("the parent's own file"), 0o644)
			os.WriteFile(filepath.Join(parent, "notes.txt"), []byte("notes"), 0o644)
			os.MkdirAll(filepath.Join(parent, "docs"), 0o755)
			os.WriteFile(filepath.Join(parent, "docs", "important.xlsx"), []byte("PK\x03\x04 quarterly figures"), 0o644)
			os.Symlink(site, filepath.Join(parent, "link"))
			os.Symlink(filepath.Join(parent, "docs"), filepath.Join(parent, "docslink"))
			if c.output != "" {
				cfg := filepath.Join(site, "site.toml")
				b, _ := os.ReadFile(cfg)
				os.WriteFile(cfg, append(b, []byte("\n[build]\noutput = \""+c.output+"\"\n")...), 0o644)
			}
			before := tree(t, parent)
			args := []string{"build", "-s", site}
			if c.flag != "" {
				o := c.flag
				if !filepath.IsAbs(o) {
					o = filepath.Join(parent, o)
					if strings.HasSuffix(c.flag, "/") {
						o += "/"
					}
				}
				args = append(args, "-o", o)
			}
			stdout, stderr, code := runCLI(t, args...)
			if code == 0 {
				t.Errorf("exit 0, want a refusal; stdout: %s", stdout)
			}
			if !strings.Contains(stderr, "refusing to build into") || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr does not say %q:\n%s", c.want, stderr)
			}
			sameTree(t, c.name, before, tree(t, parent))
		})
	}
}

// TestBuildReplacesOnlyItsOwnOutput: a new, empty or earlier-build
// folder is written; the output carries the marker; an output of a
// version before the marker (recognised by its shape) is replaced.
func TestBuildReplacesOnlyItsOwnOutput(t *testing.T) {
	site := copyFixture(t)
	out := filepath.Join(t.TempDir(), "public")
	for i := range 2 {
		if _, stderr, code := runCLI(t, "build", "-s", site, "-o", out); code != 0 {
			t.Fatalf("build %d into %s: exit %d: %s", i+1, out, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".touchstone-build")); err != nil {
		t.Errorf("no marker: %v", err)
	}
	// An output of the version before the marker.
	os.Remove(filepath.Join(out, ".touchstone-build"))
	os.WriteFile(filepath.Join(out, "stale.html"), []byte("old"), 0o644)
	if _, stderr, code := runCLI(t, "build", "-s", site, "-o", out); code != 0 {
		t.Fatalf("build over an unmarked earlier build: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "stale.html")); err == nil {
		t.Error("the earlier build was not replaced")
	}
	empty := t.TempDir()
	if _, stderr, code := runCLI(t, "build", "-s", site, "-o", empty); code != 0 {
		t.Fatalf("build into an empty folder: exit %d: %s", code, stderr)
	}
	// The default output inside the site, twice.
	for range 2 {
		if _, stderr, code := runCLI(t, "build", "-s", site); code != 0 {
			t.Fatalf("build into public: exit %d: %s", code, stderr)
		}
	}
}

// TestBuildCleansKilledBuilds: the temporary folders of builds killed
// before they finished (kill -9) are removed by the next build; other
// folders beside the output are not.
func TestBuildCleansKilledBuilds(t *testing.T) {
	site := copyFixture(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	for _, d := range []string{".public.tmp-123", ".public.tmp-4567.old", ".public.tmp-9/data", ".public.tmp-x", ".other.tmp-1"} {
		os.MkdirAll(filepath.Join(parent, d), 0o755)
		os.WriteFile(filepath.Join(parent, d, "index.html"), bytes.Repeat([]byte("x"), 100), 0o644)
	}
	if _, stderr, code := runCLI(t, "build", "-s", site, "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var left []string
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if got := strings.Join(left, " "); got != ".other.tmp-1 .public.tmp-x public" {
		t.Errorf("beside the output: %s, want .other.tmp-1 .public.tmp-x public", got)
	}
}

// TestFailedBuildPrintsWarningsOnce: before, every warning of a failed
// build was printed twice, once alone and once with the errors.
func TestFailedBuildPrintsWarningsOnce(t *testing.T) {
	site := copyFixture(t)
	// A warning: a brand attribute no touchpoint promises; an error: a
	// chart type that does not exist.
	b, _ := os.ReadFile(filepath.Join(site, "data/brands/acme.toml"))
	os.WriteFile(filepath.Join(site, "data/brands/acme.toml"), append(b, []byte("\n[[attributes]]\nid = \"spare\"\nname = \"Spare\"\n")...), 0o644)
	os.WriteFile(filepath.Join(site, "content", "broken.md"), []byte("+++\ntitle = \"B\"\n+++\n\n```chart\ntype = \"heatmapp\"\n```\n"), 0o644)
	_, stderr, code := runCLI(t, "build", "-s", site, "-o", filepath.Join(t.TempDir(), "out"))
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, line := range strings.Split(stderr, "\n") {
		if line != "" && strings.Count(stderr, line+"\n") > 1 {
			t.Errorf("printed more than once: %s", line)
		}
	}
	if !strings.Contains(stderr, `warning: attribute "spare"`) || !strings.Contains(stderr, "1 error(s), 1 warning(s)") {
		t.Errorf("stderr:\n%s", stderr)
	}
}
