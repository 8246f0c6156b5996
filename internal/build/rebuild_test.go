package build

import (
	"context"
	"github.com/touchstone-cx/touchstone/internal/scaffold"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRebuildRendersOnlyTheEditedPage(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/notes.md"), []byte("+++\ntitle = \"Notes\"\n+++\nFirst text.\n"), 0o644)
	b := New(Options{Site: site})
	full, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "content/notes.md"), []byte("+++\ntitle = \"Notes\"\n+++\nSecond text.\n"), 0o644)
	res, err := b.Rebuild(context.Background(), []string{"content/notes.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rendered) != 1 || res.Rendered[0] != "notes/index.html" {
		t.Errorf("rendered %v, want only notes/index.html", res.Rendered)
	}
	if !strings.Contains(string(res.Output.Files["notes/index.html"]), "Second text.") {
		t.Error("edit not rendered")
	}
	if !strings.Contains(string(res.Output.Files["search/index.json"]), "Second text.") {
		t.Error("search index not updated")
	}
	if !strings.Contains(string(full.Output.Files["notes/index.html"]), "First text.") {
		t.Error("the previous result was modified in place")
	}

	// A broken chart block fails the rebuild; the fix recovers.
	os.WriteFile(filepath.Join(site, "content/notes.md"), []byte("+++\ntitle = \"Notes\"\n+++\n```chart\ntype = \"hetmap\"\n```\n"), 0o644)
	if _, err := b.Rebuild(context.Background(), []string{"content/notes.md"}); err == nil || !strings.Contains(err.Error(), "content/notes.md:5:") {
		t.Errorf("broken chart block: %v", err)
	}
	os.WriteFile(filepath.Join(site, "content/notes.md"), []byte("+++\ntitle = \"Notes\"\n+++\nThird text.\n"), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"content/notes.md"})
	if err != nil || !strings.Contains(string(res.Output.Files["notes/index.html"]), "Third text.") {
		t.Errorf("recovery: %v", err)
	}

	// A new title changes menus and lists: the whole site is rendered.
	os.WriteFile(filepath.Join(site, "content/notes.md"), []byte("+++\ntitle = \"Field notes\"\n+++\nThird text.\n"), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"content/notes.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rendered) < 5 || !strings.Contains(string(res.Output.Files["index.html"]), "Field notes") {
		t.Errorf("title change: rendered %d pages", len(res.Rendered))
	}

	// A data edit recomputes the metrics.
	os.WriteFile(filepath.Join(site, "data/measures/2026-H1.csv"), []byte("wave,journey,touchpoint,attribute,score,n,sd\n2026-H1,onboarding,welcome-pack,be-there,1.2,60,0.8\n"), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"data/measures/2026-H1.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Output.Files["data/metrics.json"]), "79.49579831932773") {
		t.Error("metrics not recomputed after a data edit")
	}
}

// TestDataEditRendersOnlyPagesThatUseData: a data edit recomputes the
// metrics and renders the pages that show them; a narrative page with
// no chart and no quoted figure keeps its output.
func TestDataEditRendersOnlyPagesThatUseData(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/plain.md"), []byte("+++\ntitle = \"Plain\"\n+++\nNo figures here.\n"), 0o644)
	b := New(Options{Site: site})
	full, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "data/measures/2026-H1.csv"), []byte("wave,journey,touchpoint,attribute,score,n,sd\n2026-H1,onboarding,welcome-pack,be-there,1.2,60,0.8\n"), 0o644)
	res, err := b.Rebuild(context.Background(), []string{"data/measures/2026-H1.csv"})
	if err != nil {
		t.Fatal(err)
	}
	rendered := strings.Join(res.Rendered, " ")
	if strings.Contains(rendered, "plain/index.html") {
		t.Error("a page that uses no data was rendered again")
	}
	for _, want := range []string{"index.html", "journeys/onboarding/index.html", "journeys/onboarding/welcome-pack/index.html"} {
		if !strings.Contains(" "+rendered+" ", " "+want+" ") {
			t.Errorf("%s not rendered after a data edit (rendered: %s)", want, rendered)
		}
	}
	if string(res.Output.Files["plain/index.html"]) != string(full.Output.Files["plain/index.html"]) {
		t.Error("the reused page changed")
	}
	// A wave added in data changes every page's footer: all render.
	os.WriteFile(filepath.Join(site, "site.toml"), []byte("title = \"Mini alignment report\"\nbrand = \"acme\"\n"), 0o644)
	if _, err := b.Rebuild(context.Background(), []string{"site.toml"}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "data/measures/2027.csv"), []byte("wave,journey,touchpoint,attribute,score\n2027-H1,onboarding,welcome-pack,clarity,4\n"), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"data/measures/2027.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Rendered, " "), "plain/index.html") || !strings.Contains(string(res.Output.Files["plain/index.html"]), "2027-H1") {
		t.Error("a new wave did not render the data-free page again")
	}
}

// TestDataEditKeepsUntouchedPages: a data edit about one journey renders
// that journey's pages, its owners' pages and the overviews again, keeps
// the pages of another journey and of owners it does not concern, and
// gives, file for file, what a build from scratch gives.
func TestDataEditKeepsUntouchedPages(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "data/actors.toml"), append(must(os.ReadFile(filepath.Join(site, "data/actors.toml"))),
		"\n[[actors]]\nid = \"bank\"\nname = \"Bank partner\"\nkind = \"partner\"\nrole = \"backstage\"\n"...), 0o644)
	os.WriteFile(filepath.Join(site, "data/journeys/paying.toml"), []byte(`title = "Paying"
brand = "acme"
persona = "owner"
stages = ["Pay"]

[[touchpoints]]
id = "direct-debit"
name = "Direct debit"
stage = "Pay"
owner = "bank"
visibility = "support"
importance = 3
promise = { clarity = 4.0 }
experience = { clarity = 3.0 }
`), 0o644)
	b := New(Options{Site: site})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The welcome pack is onboarding's, owned by the courier, with
	// marketing contributing.
	os.WriteFile(filepath.Join(site, "data/measures/2026-H1.csv"), []byte("wave,journey,touchpoint,attribute,score,n,sd\n2026-H1,onboarding,welcome-pack,be-there,1.2,60,0.8\n2026-H1,onboarding,welcome-pack,clarity,4.6,60,0.5\n"), 0o644)
	res, err := b.Rebuild(context.Background(), []string{"data/measures/2026-H1.csv"})
	if err != nil {
		t.Fatal(err)
	}
	rendered := " " + strings.Join(res.Rendered, " ") + " "
	for _, want := range []string{"index.html", "journeys/index.html", "actors/index.html", "brands/acme/index.html",
		"journeys/onboarding/index.html", "journeys/onboarding/welcome-pack/index.html", "actors/courier/index.html", "actors/marketing/index.html"} {
		if !strings.Contains(rendered, " "+want+" ") {
			t.Errorf("%s not rendered after the edit", want)
		}
	}
	for _, kept := range []string{"journeys/paying/index.html", "journeys/paying/direct-debit/index.html", "actors/bank/index.html", "search/index.html"} {
		if strings.Contains(rendered, " "+kept+" ") {
			t.Errorf("%s rendered again, though the edit does not concern it", kept)
		}
	}
	fresh, err := New(Options{Site: site}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range fresh.Output.Files {
		if got, ok := res.Output.Files[p]; !ok || string(got) != string(want) {
			t.Errorf("%s: the incremental rebuild differs from a build from scratch", p)
		}
	}
	if len(res.Output.Files) != len(fresh.Output.Files) {
		t.Errorf("%d files after the rebuild, %d from scratch", len(res.Output.Files), len(fresh.Output.Files))
	}

	// Renaming the owner changes what the journey's pages show through
	// actorName: a data edit that keeps nothing of the paying journey.
	os.WriteFile(filepath.Join(site, "data/actors.toml"), []byte(strings.Replace(string(must(os.ReadFile(filepath.Join(site, "data/actors.toml")))), "Bank partner", "Banking partner", 1)), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"data/actors.toml"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Output.Files["journeys/paying/index.html"]), "Banking partner") {
		t.Error("an owner's new name did not reach the journey page")
	}

	// A layout that looks a name up by id, here another journey's
	// touchpoint, shows a rename though nothing of its page changed.
	os.MkdirAll(filepath.Join(site, "layouts"), 0o755)
	os.WriteFile(filepath.Join(site, "layouts/actor.html"), []byte(`{{define "main"}}<p id="ad">{{tpName "onboarding" "ad"}}</p>{{end}}`), 0o644)
	if _, err := b.Rebuild(context.Background(), []string{"layouts/actor.html"}); err != nil {
		t.Fatal(err)
	}
	journey := filepath.Join(site, "data/journeys/onboarding.toml")
	os.WriteFile(journey, []byte(strings.Replace(string(must(os.ReadFile(journey))), "Radio advert", "Radio spot", 1)), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"data/journeys/onboarding.toml"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Output.Files["actors/bank/index.html"]), `<p id="ad">Radio spot</p>`) {
		t.Error("a renamed touchpoint did not reach a page that looks its name up")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestRenameJourneyRecovers is issue 12's reproduction: in a new site,
// rename a journey file, then its id in the CSVs, then in the home
// page's front matter. Each save is one Rebuild, handed what serve
// hands it: every change since the last good build. Once the tree is
// consistent the rebuild must succeed and equal a build from scratch;
// the incremental path used to check the edited page against the site
// of the last good build, which knew no journey "connect", and failed
// for ever.
func TestRenameJourneyRecovers(t *testing.T) {
	for _, mode := range []string{"every change since the last good build, sorted", "this save's changes only"} {
		t.Run(mode, func(t *testing.T) {
			site := t.TempDir()
			if _, err := scaffold.Site(site); err != nil {
				t.Fatal(err)
			}
			b := New(Options{Site: site})
			if _, err := b.Build(context.Background()); err != nil {
				t.Fatal(err)
			}
			replace := func(rel, old, new string) {
				p := filepath.Join(site, filepath.FromSlash(rel))
				os.WriteFile(p, []byte(strings.ReplaceAll(string(must(os.ReadFile(p))), old, new)), 0o644)
			}
			var pending []string
			save := func(changed ...string) (*Result, error) {
				if strings.HasPrefix(mode, "this save") {
					pending = nil
				}
				pending = append(pending, changed...)
				slices.Sort(pending) // as serve hands them
				res, err := b.Rebuild(context.Background(), pending)
				if err == nil {
					pending = nil
				}
				return res, err
			}
			os.Rename(filepath.Join(site, "data/journeys/getting-connected.toml"), filepath.Join(site, "data/journeys/connect.toml"))
			if _, err := save("data/journeys/connect.toml", "data/journeys/getting-connected.toml"); err == nil {
				t.Fatal("the CSVs still name getting-connected: want an error")
			}
			replace("data/measures/tracker.csv", "getting-connected", "connect")
			replace("data/responses/install-survey.csv", "getting-connected", "connect")
			if _, err := save("data/measures/tracker.csv", "data/responses/install-survey.csv"); err == nil {
				t.Fatal("the home page still names getting-connected: want an error")
			}
			replace("content/_index.md", `journey = "getting-connected"`, `journey = "connect"`)
			res, err := save("content/_index.md")
			if err != nil {
				t.Fatalf("the tree is consistent again, the rebuild fails: %v", err)
			}
			if _, ok := res.Output.Files["journeys/connect/index.html"]; !ok {
				t.Error("journeys/connect/ is not served")
			}
			fresh, err := New(Options{Site: site}).Build(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			sameOutput(t, res, fresh)
		})
	}
}

// sameOutput compares an incremental result with a build from scratch,
// file for file.
func sameOutput(t *testing.T, got, want *Result) {
	t.Helper()
	for p, w := range want.Output.Files {
		if g, ok := got.Output.Files[p]; !ok {
			t.Errorf("%s: missing after the rebuild", p)
		} else if string(g) != string(w) {
			t.Errorf("%s: the rebuild differs from a build from scratch", p)
		}
	}
	for p := range got.Output.Files {
		if _, ok := want.Output.Files[p]; !ok {
			t.Errorf("%s: left over after the rebuild", p)
		}
	}
}

// TestDataEditIsWhatTheLoaderReads: a change is a data edit when the
// loader reads the data model from it, not because it is under data/;
// anything else, a stray file in data/ included, rebuilds every page.
func TestDataEditIsWhatTheLoaderReads(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/plain.md"), []byte("+++\ntitle = \"Plain\"\n+++\nNo figures here.\n"), 0o644)
	b := New(Options{Site: site})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rel  string
		full bool
	}{
		{"data/measures/2026-H1.csv", false},
		{"data/responses/new.csv", false}, // a new file where the loader lists
		{"data/actors.toml", false},
		{"data/notes.md", true},
		{"data/journeys/old/onboarding.toml", true},
		{"data", true},
		{"static/robots.txt", true},
	} {
		p := filepath.Join(site, filepath.FromSlash(tc.rel))
		if _, err := os.Stat(p); err != nil {
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("id\n"), 0o644)
			defer os.Remove(p)
		} else {
			os.Chtimes(p, time.Now(), time.Now())
		}
		if tc.rel == "data/responses/new.csv" {
			os.Remove(p) // an empty responses file is an error; its removal is still a data edit
		}
		res, err := b.Rebuild(context.Background(), []string{tc.rel})
		if err != nil {
			t.Fatalf("%s: %v", tc.rel, err)
		}
		if full := slices.Contains(res.Rendered, "plain/index.html"); full != tc.full {
			t.Errorf("%s: a data-free page rendered again: %v, want %v", tc.rel, full, tc.full)
		}
	}
}

// TestDevNotFoundPage: the dev server serves a sub-path site at "/", so
// a dev build's 404 page links from "/"; a published build's from the
// base path.
func TestDevNotFoundPage(t *testing.T) {
	for _, dev := range []bool{false, true} {
		res := buildSite(t, "testdata/mini-site", func(o *Options) {
			o.BaseURL = "https://intranet.example.com/reports/cx/"
			o.Dev = dev
		})
		nf := string(res.Output.Files["404.html"])
		want := `href="/reports/cx/css/site.css"`
		if dev {
			want = `href="/css/site.css"`
		}
		if !strings.Contains(nf, want) {
			t.Errorf("dev %v: the 404 page lacks %s", dev, want)
		}
		if !dev == strings.Contains(nf, `href="/css/`) {
			t.Errorf("dev %v: the 404 page links from the wrong root", dev)
		}
		// Every other page links relatively either way.
		if home := string(res.Output.Files["index.html"]); !strings.Contains(home, `href="./css/site.css"`) {
			t.Errorf("dev %v: the home page does not link relatively", dev)
		}
	}
}
