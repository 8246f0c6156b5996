package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/load"
)

// buildClean builds the site at dir in memory and fails on any error;
// it returns the output and the warnings.
func buildClean(t *testing.T, dir string) *build.Result {
	t.Helper()
	res, err := build.New(build.Options{Site: dir}).Build(context.Background())
	if err != nil {
		t.Fatalf("build %s: %v", dir, err)
	}
	return res
}

func newSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "report")
	if _, err := Site(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSiteBuildsAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	files, err := Site(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"site.toml", ".gitignore", "content/_index.md", "data/actors.toml", "data/brands/larkfield.toml",
		"data/journeys/getting-connected.toml", "data/measures/tracker.csv", "data/responses/install-survey.csv"} {
		if !slices.Contains(files, want) {
			t.Errorf("Site wrote no %s (wrote %v)", want, files)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(want))); err != nil {
			t.Error(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !strings.Contains(string(b), "public/") {
		t.Errorf(".gitignore does not ignore public/: %q", b)
	}

	res := buildClean(t, dir)
	// check reports warnings too: the starter has none to explain away.
	for _, w := range res.Warnings {
		t.Errorf("warning: %v", w)
	}
	home := string(res.Output.Files["index.html"])
	if n := strings.Count(home, `<figure class="chart`); n < 3 || strings.Contains(home, "chart-error") {
		t.Errorf("home page has %d charts (error: %v)", n, strings.Contains(home, "chart-error"))
	}
	if _, ok := res.Output.Files["journeys/getting-connected/index.html"]; !ok {
		t.Error("no journey page")
	}

	// What the brief promises of the starter: a brand with 2–3 weighted
	// attributes and a persona, 3–4 actors with a partner, one journey of
	// 4–6 touchpoints in every lane, two waves with data.
	s := res.Site
	if len(s.Brands) != 1 {
		t.Fatalf("%d brands", len(s.Brands))
	}
	if n := len(s.Brands[0].Attributes); n < 2 || n > 3 || len(s.Brands[0].Personas) == 0 {
		t.Errorf("brand: %d attributes, %d personas", n, len(s.Brands[0].Personas))
	}
	partner := false
	for _, a := range s.Actors {
		partner = partner || a.Kind == "partner"
	}
	if n := len(s.Actors); n < 3 || n > 4 || !partner {
		t.Errorf("%d actors, a partner among them: %v", n, partner)
	}
	if len(s.Journeys) != 1 {
		t.Fatalf("%d journeys", len(s.Journeys))
	}
	lanes := map[string]bool{}
	for _, tp := range s.Journeys[0].Touchpoints {
		lanes[tp.Visibility] = true
	}
	if n := len(s.Journeys[0].Touchpoints); n < 4 || n > 6 || len(lanes) != 3 {
		t.Errorf("%d touchpoints in lanes %v", n, lanes)
	}
	if len(s.Waves) != 2 || len(res.Report.Journeys[0].Trend) != 2 {
		t.Errorf("waves %v, trend %+v", s.Waves, res.Report.Journeys[0].Trend)
	}
}

func TestSiteIntoEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if _, err := Site(dir); err != nil {
		t.Fatal(err)
	}
	buildClean(t, dir)
}

func TestSiteRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	os.WriteFile(mine, []byte("mine"), 0o644)
	files, err := Site(dir)
	if !errors.Is(err, ErrExists) || len(files) != 0 {
		t.Fatalf("Site into a non-empty folder: %v, wrote %v", err, files)
	}
	if !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("message does not say why: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(mine); len(entries) != 1 || string(b) != "mine" {
		t.Errorf("folder changed: %d entries, notes.txt = %q", len(entries), b)
	}

	if _, err := Site(""); err == nil {
		t.Error("Site(\"\") wrote into the current folder")
	}

	file := filepath.Join(t.TempDir(), "site.toml")
	os.WriteFile(file, []byte("title = \"x\"\n"), 0o644)
	if _, err := Site(file); !errors.Is(err, ErrExists) {
		t.Errorf("Site onto a file: %v", err)
	}
}

func TestJourney(t *testing.T) {
	dir := newSite(t)
	info, err := Journey(dir, "returns")
	if err != nil {
		t.Fatal(err)
	}
	if info.Path != "data/journeys/returns.toml" || info.Brand == nil || info.Brand.ID != "larkfield" || len(info.Actors) == 0 {
		t.Errorf("info: %+v", info)
	}
	res := buildClean(t, dir)
	if _, ok := res.Output.Files["journeys/returns/index.html"]; !ok {
		t.Error("no page at /journeys/returns/")
	}
	var found bool
	actors := map[string]bool{}
	for _, a := range res.Site.Actors {
		actors[a.ID] = true
	}
	for _, j := range res.Site.Journeys {
		if j.ID != "returns" {
			continue
		}
		found = true
		if j.Brand != "larkfield" || j.Title != "Returns" || len(j.Stages) < 2 || len(j.Touchpoints) != 2 {
			t.Errorf("journey: %+v", j)
		}
		for _, tp := range j.Touchpoints {
			if !actors[tp.Owner] {
				t.Errorf("touchpoint %s owner %q is no actor of the site", tp.ID, tp.Owner)
			}
			for _, a := range res.Site.Brands[0].Attributes {
				if _, ok := tp.Promise[a.ID]; !ok {
					t.Errorf("touchpoint %s promises nothing on %s", tp.ID, a.ID)
				}
			}
		}
	}
	if !found {
		t.Fatal("journey returns not loaded")
	}

	// Never overwrite, even a file edited since.
	p := filepath.Join(dir, "data", "journeys", "returns.toml")
	os.WriteFile(p, []byte("# edited\n"), 0o644)
	if _, err := Journey(dir, "returns"); !errors.Is(err, ErrExists) {
		t.Errorf("second Journey: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "# edited\n" {
		t.Errorf("overwritten: %q", b)
	}
}

func TestJourneyBadIDs(t *testing.T) {
	dir := newSite(t)
	for _, id := range []string{"", "Returns", "../returns", "a/b", "-returns", "_returns", "re turns", "returns.toml", "retour-ü"} {
		if _, err := Journey(dir, id); err == nil || errors.Is(err, ErrExists) {
			t.Errorf("Journey(%q): %v", id, err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "data", "journeys"))
	if len(entries) != 1 {
		t.Errorf("bad ids wrote files: %d entries", len(entries))
	}
	if _, err := Journey(dir, "Opening an Account"); err == nil || !strings.Contains(err.Error(), `"opening-an-account"`) {
		t.Errorf("no slug suggested: %v", err)
	}
}

func TestJourneyNeedsASiteWithABrand(t *testing.T) {
	empty := t.TempDir()
	if _, err := Journey(empty, "returns"); err == nil || !strings.Contains(err.Error(), "site.toml") {
		t.Errorf("no site: %v", err)
	}
	os.WriteFile(filepath.Join(empty, "site.toml"), []byte("title = \"T\"\n"), 0o644)
	if _, err := Journey(empty, "returns"); err == nil || !strings.Contains(err.Error(), "brand") {
		t.Errorf("no brand: %v", err)
	}
	if _, err := os.Stat(filepath.Join(empty, "data", "journeys", "returns.toml")); err == nil {
		t.Error("a journey was written without a brand")
	}
}

func TestJourneyWithoutActors(t *testing.T) {
	dir := newSite(t)
	os.Remove(filepath.Join(dir, "data", "actors.toml"))
	// The starter journey names actors; give it a site of its own.
	os.Remove(filepath.Join(dir, "data", "journeys", "getting-connected.toml"))
	os.RemoveAll(filepath.Join(dir, "data", "measures"))
	os.RemoveAll(filepath.Join(dir, "data", "responses"))
	os.WriteFile(filepath.Join(dir, "content", "_index.md"), []byte("+++\ntitle = \"Home\"\n+++\n"), 0o644)
	info, err := Journey(dir, "returns")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Actors) != 0 {
		t.Errorf("actors: %v", info.Actors)
	}
	buildClean(t, dir)
}

func TestJourneyOnAnotherScale(t *testing.T) {
	dir := newSite(t)
	// A site on 0..10 with no data yet: the promise and importance of the
	// new journey must sit on its scale.
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"T\"\nbrand = \"larkfield\"\n[scale]\nmin = 0\nmax = 10\n"), 0o644)
	os.Remove(filepath.Join(dir, "data", "journeys", "getting-connected.toml"))
	os.RemoveAll(filepath.Join(dir, "data", "measures"))
	os.RemoveAll(filepath.Join(dir, "data", "responses"))
	os.WriteFile(filepath.Join(dir, "content", "_index.md"), []byte("+++\ntitle = \"Home\"\n+++\n"), 0o644)
	if _, err := Journey(dir, "returns"); err != nil {
		t.Fatal(err)
	}
	if _, l := load.Site(dir); l.HasErrors() {
		t.Errorf("%v", l.Err())
	}
}

func TestPage(t *testing.T) {
	dir := newSite(t)
	today := time.Date(2026, 3, 14, 9, 30, 0, 0, time.Local)
	for _, c := range []struct{ arg, written, url, title string }{
		{"notes/first.md", "content/notes/first.md", "notes/first/", "First"},
		{"findings", "content/findings.md", "findings/", "Findings"},
		{"content/board-pack.md", "content/board-pack.md", "board-pack/", "Board pack"},
		{"notes/_index.md", "content/notes/_index.md", "notes/", "Notes"},
		{"a/./b/../deep_dive", "content/a/deep_dive.md", "a/deep_dive/", "Deep dive"},
	} {
		written, url, err := Page(dir, c.arg, today)
		if err != nil {
			t.Errorf("Page(%q): %v", c.arg, err)
			continue
		}
		if written != c.written || url != c.url {
			t.Errorf("Page(%q) = %q, %q; want %q, %q", c.arg, written, url, c.written, c.url)
		}
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(written)))
		for _, want := range []string{"+++\ntitle = \"" + c.title + "\"\n", "date  = 2026-03-14\n", "draft = false\n"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q:\n%s", written, want, b)
			}
		}
	}
	res := buildClean(t, dir)
	for _, p := range []string{"notes/first/index.html", "findings/index.html", "board-pack/index.html", "notes/index.html", "a/deep_dive/index.html"} {
		page := string(res.Output.Files[p])
		if page == "" {
			t.Errorf("no %s in the output", p)
		} else if !strings.Contains(page, `<figure class="chart`) {
			t.Errorf("%s has no live chart", p)
		}
	}

	p := filepath.Join(dir, "content", "notes", "first.md")
	os.WriteFile(p, []byte("mine"), 0o644)
	if _, _, err := Page(dir, "notes/first", today); !errors.Is(err, ErrExists) {
		t.Errorf("second Page: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "mine" {
		t.Errorf("overwritten: %q", b)
	}
}

func TestPageBadPaths(t *testing.T) {
	dir := newSite(t)
	for _, arg := range []string{"", "../escape.md", "notes/../../escape.md", "content/../../escape", "/etc/escape.md", "notes/", ".",
		"notes.txt", ".hidden.md", "notes/.hidden/x.md", "_drafts/x.md"} {
		if w, _, err := Page(dir, arg, time.Now()); err == nil {
			t.Errorf("Page(%q) wrote %s", arg, w)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.md")); err == nil {
		t.Error("a page escaped content/")
	}
	if _, _, err := Page(t.TempDir(), "x.md", time.Now()); err == nil || !strings.Contains(err.Error(), "site.toml") {
		t.Errorf("no site: %v", err)
	}
}

func TestTitleAndSlug(t *testing.T) {
	for in, want := range map[string]string{"returns": "Returns", "first-steps": "First steps", "a_b--c": "A b c", "": "Untitled", "état": "État"} {
		if got := Title(in); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Opening an Account": "opening-an-account", "returns.toml": "returns-toml", "!!!": "new-journey"} {
		if got := load.Slugify(in, "new-journey"); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzPagePath: whatever is typed after `new page`, the path written is
// inside content/, a markdown file, and not hidden from the build.
func FuzzPagePath(f *testing.F) {
	for _, s := range []string{"notes/first.md", "findings", "../x.md", "a/../../b", "/etc/x.md", "content/x", "_drafts/x.md", ".x.md", "a//b/./c", "..", "x.md/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := pagePath(in)
		if err != nil {
			return
		}
		if p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "../") || p == ".." || strings.Contains(p, "/../") ||
			!strings.HasSuffix(p, ".md") || filepath.IsAbs(p) {
			t.Fatalf("pagePath(%q) = %q", in, p)
		}
		for _, part := range strings.Split(p, "/") {
			if part == "" || part == "." || part == ".." || strings.HasPrefix(part, ".") {
				t.Fatalf("pagePath(%q) = %q: bad segment %q", in, p, part)
			}
		}
	})
}

func TestPageInASiteWithoutJourneys(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"T\"\n"), 0o644)
	written, _, err := Page(dir, "about", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, written)); strings.Contains(string(b), "```chart") {
		t.Errorf("a chart with no journey to draw:\n%s", b)
	}
	res := buildClean(t, dir)
	if _, ok := res.Output.Files["about/index.html"]; !ok {
		t.Error("no about/index.html")
	}
}
