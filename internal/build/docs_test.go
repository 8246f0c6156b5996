package build

import (
	"bufio"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/charts"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// The docs in content/docs/ are test data: the repository site builds
// with them, every page is published, every chart example draws, and the
// example files they show load into a working site.

const docsDir = "../../content/docs"

// fence is one fenced code block of a markdown file.
type fence struct {
	lang, info string
	body       string
	line       int // of the opening fence
}

// fences reads the fenced code blocks of a markdown file, outermost only:
// a ```chart inside a ````markdown block belongs to the latter's body.
func fences(t *testing.T, path string) []fence {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []fence
	var cur *fence
	var marker string
	var body strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if cur == nil {
			trimmed := strings.TrimLeft(line, " ")
			if strings.HasPrefix(trimmed, "```") {
				i := strings.IndexFunc(trimmed, func(r rune) bool { return r != '`' })
				if i < 0 {
					i = len(trimmed)
				}
				marker = trimmed[:i]
				info := strings.TrimSpace(trimmed[i:])
				lang, _, _ := strings.Cut(info, " ")
				cur = &fence{lang: lang, info: info, line: n}
				body.Reset()
			}
			continue
		}
		if t := strings.TrimSpace(line); strings.HasPrefix(t, marker) && strings.Trim(t, "`") == "" {
			cur.body = body.String()
			out = append(out, *cur)
			cur = nil
			continue
		}
		body.WriteString(line + "\n")
	}
	if cur != nil {
		t.Fatalf("%s:%d: fenced block never closed", path, cur.line)
	}
	return out
}

var fileAttr = regexp.MustCompile(`(?:^|\s)file=(\S+)`)

// examples returns the example files a docs page shows: blocks whose
// first line is a "# file: PATH" comment (TOML), or whose info string
// carries file=PATH (CSV, markdown, HTML and CSS, where a comment line
// would break the file or show if copied). PATH is relative to the site
// root.
func examples(t *testing.T, page string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, f := range fences(t, filepath.Join(docsDir, page)) {
		var name, body string
		if first, rest, _ := strings.Cut(f.body, "\n"); strings.HasPrefix(first, "# file:") {
			name, body = strings.TrimSpace(strings.TrimPrefix(first, "# file:")), rest
		} else if m := fileAttr.FindStringSubmatch(f.info); m != nil {
			name, body = m[1], f.body
		} else {
			continue
		}
		switch f.lang {
		case "toml", "csv", "markdown", "html", "css":
		default:
			t.Errorf("%s:%d: example %s is labelled %q, not toml, csv, markdown, html or css", page, f.line, name, f.lang)
		}
		clean := filepath.ToSlash(filepath.Clean(name))
		if filepath.IsAbs(name) || strings.HasPrefix(clean, "../") {
			t.Fatalf("%s:%d: example path %s leaves the site", page, f.line, name)
		}
		if _, dup := files[clean]; dup {
			t.Errorf("%s:%d: two examples of %s", page, f.line, clean)
		}
		files[clean] = body
	}
	return files
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// docsPages lists content/docs/*.md with the output path of each.
func docsPages(t *testing.T) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(docsDir)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") {
			continue
		}
		out := "docs/" + strings.TrimSuffix(name, ".md") + "/index.html"
		if name == "_index.md" {
			out = "docs/index.html"
		}
		pages[name] = out
	}
	return pages
}

func TestDocsBuild(t *testing.T) {
	res, err := New(Options{Site: "../.."}).Build(context.Background())
	if err != nil {
		t.Fatalf("the repository site does not build: %v", err)
	}
	pages := docsPages(t)
	for _, want := range []string{"_index.md", "getting-started.md", "file-formats.md", "charts.md", "formulas.md", "cli.md",
		"hosting.md", "theming.md", "importing-surveys.md"} {
		if _, ok := pages[want]; !ok {
			t.Errorf("content/docs/%s is missing", want)
		}
	}
	for src, out := range pages {
		html := string(res.Output.Files[out])
		if html == "" {
			t.Errorf("content/docs/%s: no %s in the output", src, out)
			continue
		}
		if strings.Contains(html, "chart-error") {
			t.Errorf("%s shows a chart error", out)
		}
	}
	// The docs home lists every other docs page.
	home := string(res.Output.Files["docs/index.html"])
	for src := range pages {
		link := regexp.MustCompile(`href="[./]*docs/` + regexp.QuoteMeta(strings.TrimSuffix(src, ".md")) + `/"`)
		if src != "_index.md" && !link.MatchString(home) {
			t.Errorf("the docs home does not link to %s", src)
		}
	}
}

// TestDocsCharts: the charts page shows a live example of every chart
// type, each under the markdown that makes it, and each draws.
func TestDocsCharts(t *testing.T) {
	res, err := New(Options{Site: "../.."}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.Output.Files["docs/charts/index.html"])
	if n := strings.Count(html, `<figure class="chart`); n != len(charts.Types()) {
		t.Errorf("docs/charts has %d charts, want %d", n, len(charts.Types()))
	}
	if strings.Contains(html, "chart-error") {
		t.Error("docs/charts shows a chart error")
	}
	for _, typ := range charts.Types() {
		if !strings.Contains(html, `<figure class="chart chart-`+typ+`"`) {
			t.Errorf("docs/charts has no live %s chart", typ)
		}
	}
	// Each ```chart block is preceded by a ````markdown block showing it,
	// so what readers copy is exactly what draws.
	fs := fences(t, filepath.Join(docsDir, "charts.md"))
	live := 0
	for i, f := range fs {
		if f.lang != "chart" {
			continue
		}
		live++
		if i == 0 || fs[i-1].lang != "markdown" || fs[i-1].body != "```chart\n"+f.body+"```\n" {
			t.Errorf("charts.md:%d: the chart is not shown as markdown just before it", f.line)
		}
	}
	if live != len(charts.Types()) {
		t.Errorf("charts.md has %d live chart blocks, want %d", live, len(charts.Types()))
	}
	// The list of types is the registry's: name, question and scope.
	md, err := os.ReadFile(filepath.Join(docsDir, "charts.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| \[([a-z]+)\]\(#[a-z]+\) \| (.+?) \| (.+?) \|$`)
	var got []string
	for _, m := range row.FindAllStringSubmatch(string(md), -1) {
		got = append(got, m[1]+" | "+m[2]+" | "+m[3])
	}
	var want []string
	for _, ti := range charts.Describe() {
		want = append(want, ti.Name+" | "+ti.Answers+" | "+ti.Scope)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("charts.md's list of types differs from the registry:\n got %q\nwant %q", got, want)
	}
}

// TestDocsFileFormats loads the example files of the file-formats page as
// a site: they must be complete and free of errors, and give the figures
// the formulas page works through.
func TestDocsFileFormats(t *testing.T) {
	files := examples(t, "file-formats.md")
	for _, want := range []string{"site.toml", "data/brands/", "data/actors.toml", "data/journeys/", "data/measures/", "data/responses/",
		"data/assessments/", "content/"} {
		found := false
		for name := range files {
			found = found || strings.HasPrefix(name, want)
		}
		if !found {
			t.Errorf("file-formats.md has no example of %s", want)
		}
	}
	dir := writeSite(t, files)
	site, l := load.Site(dir)
	if l.HasErrors() {
		t.Fatalf("the examples of file-formats.md do not load:\n%v", l.Err())
	}
	for _, d := range l.Items() {
		t.Errorf("warning: %v", d)
	}
	res, err := New(Options{Site: dir}).Build(context.Background())
	if err != nil {
		t.Fatalf("the examples of file-formats.md do not build:\n%v", err)
	}
	if html := string(res.Output.Files["index.html"]); strings.Count(html, `<figure class="chart`) != 3 {
		t.Errorf("the example page draws %d charts, want 3", strings.Count(html, `<figure class="chart`))
	}

	// formulas.md quotes these figures of the example site.
	rep := metrics.Compute(site, "")
	j := rep.Journeys[0]
	near := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 0.005 {
			t.Errorf("%s = %v, formulas.md says %v", what, deref(got), want)
		}
	}
	near("journey alignment", j.Alignment, 76.07)
	near("delta", j.Delta, 4.29)
	near("2025-H2 alignment", &j.Trend[0].Alignment, 71.79)
	tp := map[string]*metrics.TouchpointReport{}
	for _, t := range j.Touchpoints {
		tp[t.ID] = t
	}
	call, inv := tp["call-centre"], tp["invoice"]
	near("helpline alignment", call.Alignment, 78.33)
	near("helpline performance", call.Performance, 3.6)
	near("helpline weighted promise", call.Promise, 4.33)
	near("helpline shortfall", call.Shortfall, 0.8)
	near("invoice alignment", inv.Alignment, 62.5)
	near("invoice shortfall", inv.Shortfall, 1.5)
	if call.Quadrant != "keep-up" || inv.Quadrant != "low-priority" {
		t.Errorf("quadrants %s, %s", call.Quadrant, inv.Quadrant)
	}
	for _, a := range j.Attributes {
		if a.ID == "clarity" {
			near("clarity promise", a.Promise, 4.17)
			near("clarity experience", a.Experience, 3.8)
			near("clarity consistency", a.Consistency, 70)
		}
	}
	for _, c := range call.Attributes {
		if c.ID == "be-there" {
			near("be-there gap", c.Gap, -1.2)
			if c.N == nil || *c.N != 10 || c.CI == nil || math.Abs(c.CI[0]-2.82) > 0.005 || math.Abs(c.CI[1]-3.78) > 0.005 {
				t.Errorf("be-there n %v, CI %v", c.N, c.CI)
			}
		}
	}
	if call.NPS == nil || call.NPS.N != 11 || call.NPS.Score != 0 || math.Abs(call.NPS.CI[1]-50.39) > 0.01 {
		t.Errorf("helpline NPS %+v", call.NPS)
	}
	loads := map[string]float64{}
	for _, a := range rep.Actors {
		loads[a.ID] = a.Load
	}
	if math.Abs(loads["service"]-3.2) > 1e-9 || math.Abs(loads["finance"]-3.0) > 1e-9 {
		t.Errorf("loads %v", loads)
	}
}

// TestDocsImportExamples loads the exports of importing-surveys.md in
// place of the file-formats responses: semicolons, decimal commas, odd
// header case and several files pooled.
func TestDocsImportExamples(t *testing.T) {
	files := examples(t, "file-formats.md")
	for name := range files {
		if strings.HasPrefix(name, "data/responses/") {
			delete(files, name)
		}
	}
	imports := examples(t, "importing-surveys.md")
	if len(imports) < 2 {
		t.Fatalf("importing-surveys.md has %d examples", len(imports))
	}
	for name, body := range imports {
		if _, dup := files[name]; dup {
			t.Errorf("importing-surveys.md replaces %s of file-formats.md", name)
		}
		files[name] = body
	}
	site, l := load.Site(writeSite(t, files))
	if l.HasErrors() {
		t.Fatalf("the examples of importing-surveys.md do not load:\n%v", l.Err())
	}
	rep := metrics.Compute(site, "")
	for _, tp := range rep.Journeys[0].Touchpoints {
		if tp.ID == "call-centre" && (tp.NPS == nil || tp.Performance == nil) {
			t.Errorf("the imported answers give the helpline no figures: %+v", tp)
		}
	}
	// The figures the page works through for the Qualtrics example.
	c := site.Cells[model.CellKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call-centre", Attribute: "be-there"}]
	if c == nil || c.N != 3 || math.Abs(c.Mean-11.0/3) > 1e-12 {
		t.Errorf("helpline be-there 2026-H1: %+v, want the mean of 4, 2 and 5", c)
	}
	nps := site.NPS[model.TouchKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call-centre"}]
	if nps == nil || nps.Promoters != 2 || nps.Detractors != 1 || nps.N() != 4 {
		t.Errorf("helpline NPS 2026-H1: %+v, want 2 promoters and 1 detractor of 4", nps)
	}
}

// TestDocsThemingExamples builds the example site with the overrides of
// theming.md: the templates parse and run, and the files land.
func TestDocsThemingExamples(t *testing.T) {
	files := examples(t, "file-formats.md")
	theming := examples(t, "theming.md")
	if len(theming) == 0 {
		t.Fatal("theming.md has no examples")
	}
	for name, body := range theming {
		files[name] = body
	}
	res, err := New(Options{Site: writeSite(t, files)}).Build(context.Background())
	if err != nil {
		t.Fatalf("the examples of theming.md do not build:\n%v", err)
	}
	page := string(res.Output.Files["journeys/onboarding/index.html"])
	if !strings.Contains(page, "Confidential: for internal use only.") || !strings.Contains(page, "Northwind Bank") {
		t.Error("the footer of theming.md is not used")
	}
	if _, ok := res.Output.Files["css/house.css"]; !ok {
		t.Error("static/css/house.css is not in the output")
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
