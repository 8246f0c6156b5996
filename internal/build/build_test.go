package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/metrics/metricstest"
)

func buildSite(t *testing.T, dir string, opts ...func(*Options)) *Result {
	t.Helper()
	o := Options{Site: dir}
	for _, f := range opts {
		f(&o)
	}
	res, err := New(o).Build(context.Background())
	if err != nil {
		t.Fatalf("build %s: %v", dir, err)
	}
	return res
}

// TestMiniSiteMetrics is the contract test: the published fixture builds
// to exactly the published figures.
func TestMiniSiteMetrics(t *testing.T) {
	res := buildSite(t, "testdata/mini-site")
	want, err := os.ReadFile("testdata/mini-site.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	metricstest.CompareJSON(t, res.Output.Files["data/metrics.json"], want, 1e-9)
}

// TestFixtureCopyIsCurrent keeps testdata/mini-site identical to the
// shared fixture it was copied from, when that is beside the repository.
func TestFixtureCopyIsCurrent(t *testing.T) {
	shared := "../../../shared/fixtures"
	if _, err := os.Stat(shared); err != nil {
		t.Skip("../shared is not beside the repository")
	}
	for _, pair := range [][2]string{{"mini-site.expected.json", "mini-site.expected.json"}, {"mini-site", "mini-site"}} {
		a, b := filepath.Join(shared, pair[0]), filepath.Join("testdata", pair[1])
		filepath.Walk(a, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(a, p)
			other := filepath.Join(b, rel)
			if info.Name() == pair[0] {
				other = b
			}
			x, _ := os.ReadFile(p)
			y, err := os.ReadFile(other)
			if err != nil || !bytes.Equal(x, y) {
				t.Errorf("%s differs from %s: copy the shared fixture again", other, p)
			}
			return nil
		})
	}
}

func TestPagesAndLinks(t *testing.T) {
	res := buildSite(t, "testdata/mini-site")
	for _, p := range []string{
		"index.html", "journeys/index.html", "journeys/onboarding/index.html", "journeys/onboarding/call-centre/index.html",
		"brands/acme/index.html", "actors/index.html", "actors/finance/index.html", "search/index.html", "search/index.json",
		"404.html", "sitemap.xml", "data/metrics.json", "css/site.css", "css/chroma.css",
		"vendor/echarts/echarts.min.js", "js/charts.js",
	} {
		if _, ok := res.Output.Files[p]; !ok {
			t.Errorf("output has no %s", p)
		}
	}
	home := string(res.Output.Files["index.html"])
	for _, want := range []string{`href="./css/site.css"`, `src="./vendor/echarts/echarts.min.js"`, "Mini alignment report", `<figure class="chart chart-heatmap"`, `<figure class="chart chart-trend"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	tp := string(res.Output.Files["journeys/onboarding/call-centre/index.html"])
	for _, want := range []string{`href="../../../css/site.css"`, "She stayed with me until it worked", "Transferred three times"} {
		if !strings.Contains(tp, want) {
			t.Errorf("touchpoint page lacks %q", want)
		}
	}
	if strings.Contains(tp, "Never got a call back") {
		t.Error("touchpoint page shows a comment of an earlier wave as current")
	}
	if strings.Contains(home, "__touchstone") {
		t.Error("built output carries the dev server's reload script")
	}
}

func TestSubPathSitemap(t *testing.T) {
	res := buildSite(t, "testdata/mini-site", func(o *Options) { o.BaseURL = "https://intranet.example.com/reports/cx/" })
	sm := string(res.Output.Files["sitemap.xml"])
	for _, want := range []string{"<loc>https://intranet.example.com/reports/cx/</loc>", "<loc>https://intranet.example.com/reports/cx/journeys/onboarding/call-centre/</loc>"} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap lacks %s:\n%s", want, sm)
		}
	}
	nf := string(res.Output.Files["404.html"])
	if !strings.Contains(nf, `href="/reports/cx/css/site.css"`) {
		t.Errorf("404 page does not link from the base path")
	}
}

func TestRootFor(t *testing.T) {
	for _, tt := range []struct{ url, want string }{{"", "./"}, {"a/", "../"}, {"journeys/x/y/", "../../../"}} {
		if got := rootFor(tt.url); got != tt.want {
			t.Errorf("rootFor(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestRebase(t *testing.T) {
	got := rebase(`<a href="/journeys/x/">x</a><img src="/img/a.png"><a href="//cdn/x">c</a><a href="https://e.com/">e</a>`, "../")
	want := `<a href="../journeys/x/">x</a><img src="../img/a.png"><a href="//cdn/x">c</a><a href="https://e.com/">e</a>`
	if got != want {
		t.Errorf("rebase:\n got %s\nwant %s", got, want)
	}
}

// TestFailedBuildKeepsOutput: a broken input fails the build and the
// previous output stays byte for byte.
func TestFailedBuildKeepsOutput(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	out := filepath.Join(t.TempDir(), "public")
	res := buildSite(t, site)
	if err := res.Output.WriteAtomic(out); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	brand := filepath.Join(site, "data/brands/acme.toml")
	os.WriteFile(brand, []byte("name = \"Acme\"\n[[attributes]\nid = 1\n"), 0o644)
	_, err := New(Options{Site: site}).Build(context.Background())
	var list *diag.Errors
	if !errors.As(err, &list) {
		t.Fatalf("broken brand TOML: got %v, want diagnostics", err)
	}
	if !strings.HasPrefix(list.Error(), "data/brands/acme.toml:") || len(list.Items) != 1 {
		t.Errorf("want exactly one diagnostic, in the brand file; got:\n%v", list)
	}
	after := snapshot(t, out)
	if len(before) != len(after) {
		t.Fatalf("output changed: %d files before, %d after", len(before), len(after))
	}
	for p, b := range before {
		if !bytes.Equal(b, after[p]) {
			t.Errorf("%s changed", p)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder left behind: %s", e.Name())
		}
	}
}

func TestWriteAtomicReplaces(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := (&Output{Files: map[string][]byte{"a.html": []byte("1"), "old.html": []byte("x")}}).WriteAtomic(out); err != nil {
		t.Fatal(err)
	}
	if err := (&Output{Files: map[string][]byte{"a.html": []byte("2")}}).WriteAtomic(out); err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, out)
	if string(got["a.html"]) != "2" || got["old.html"] != nil {
		t.Errorf("second write did not replace the first: %v", got)
	}
	if err := (&Output{Files: map[string][]byte{"../escape.html": []byte("x")}}).WriteAtomic(out); err == nil {
		t.Error("a path climbing out of the output folder was written")
	}
	if string(snapshot(t, out)["a.html"]) != "2" {
		t.Error("a refused write damaged the previous output")
	}
}

func copySite(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out[rel], _ = os.ReadFile(p)
		}
		return nil
	})
	return out
}

func TestFrontMatterIDsAreChecked(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/x.md"), []byte("+++\ntitle = \"X\"\njourney = \"onbording\"\nbrand = \"acm\"\n+++\ntext\n"), 0o644)
	_, err := New(Options{Site: site}).Build(context.Background())
	if err == nil {
		t.Fatal("unknown journey and brand in front matter built")
	}
	for _, want := range []string{`content/x.md:3:11: unknown journey "onbording" (did you mean "onboarding"?)`, `content/x.md:4:9: unknown brand "acm" (did you mean "acme"?)`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in:\n%v", want, err)
		}
	}
	// An empty id is an error at its value, not a silent default
	// (issue 12, SPEC §12); a key left out is the default.
	os.WriteFile(filepath.Join(site, "content/x.md"), []byte("+++\ntitle = \"X\"\njourney = \"\"\nbrand = ''\n+++\ntext\n"), 0o644)
	_, err = New(Options{Site: site}).Build(context.Background())
	for _, want := range []string{`content/x.md:3:11: journey is empty`, `content/x.md:4:9: brand is empty`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in:\n%v", want, err)
		}
	}
	os.WriteFile(filepath.Join(site, "content/x.md"), []byte("+++\ntitle = \"X\"\n+++\ntext\n"), 0o644)
	if _, err := New(Options{Site: site}).Build(context.Background()); err != nil {
		t.Errorf("a page without journey and brand: %v", err)
	}
}

func TestFrontMatterLayout(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.MkdirAll(filepath.Join(site, "layouts"), 0o755)
	os.WriteFile(filepath.Join(site, "layouts/wide.html"), []byte(`{{define "main"}}WIDE {{.Content}}{{end}}`), 0o644)
	os.WriteFile(filepath.Join(site, "content/x.md"), []byte("+++\ntitle = \"X\"\nlayout = \"wide\"\n+++\ntext\n"), 0o644)
	res := buildSite(t, site)
	if !strings.Contains(string(res.Output.Files["x/index.html"]), "WIDE <p>text</p>") {
		t.Error("front matter layout not used")
	}
	os.WriteFile(filepath.Join(site, "content/x.md"), []byte("+++\ntitle = \"X\"\nlayout = \"wider\"\n+++\ntext\n"), 0o644)
	_, err := New(Options{Site: site}).Build(context.Background())
	if err == nil || !strings.Contains(err.Error(), `content/x.md:3:10: unknown layout "wider" (did you mean "wide"?)`) {
		t.Errorf("unknown layout: %v", err)
	}
}
