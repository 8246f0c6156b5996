package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sectionURLs are the pages of a print document, in its order.
func sectionURLs(doc string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<section class="print-page[^"]*" id="pg\d+" data-url="([^"]*)"`).FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestPrintDocument pins /print/ of the demo: a cover with the title,
// params and wave, contents, and the menu's pages in menu order with
// each journey dashboard after the journeys list; no docs, no search;
// element ids unique; links into the document stay in it.
func TestPrintDocument(t *testing.T) {
	res := buildSite(t, "../..")
	doc := string(res.Output.Files["print/index.html"])
	if doc == "" {
		t.Fatal("no print/index.html")
	}
	for _, want := range []string{`<section class="print-cover"`, "Tidewell Energy — Brand &amp; Experience Alignment 2026",
		"<dt>Prepared by</dt><dd>Customer Experience Strategy</dd>", "Wave <strong>2026-H1</strong>", `<nav class="print-contents"`,
		`class="kind-print"`, `@page { size: A4; }`} {
		if !strings.Contains(doc, want) {
			t.Errorf("print document lacks %q", want)
		}
	}
	got := sectionURLs(doc)
	// The menu order: the generated pages (significant changes among
	// them), then the narrative.
	want := []string{"", "journeys/", "journeys/billing/", "journeys/storm/", "journeys/switching/", "actors/", "changes/",
		"summary/", "ecosystem/", "be-there-programme/", "recommendations/", "methodology/"}
	if !slices.Equal(got, want) {
		t.Errorf("sections\n got %q\nwant %q", got, want)
	}
	// Every section is in the contents, linked to its anchor.
	for i := range want {
		a := `href="#pg` + strconv.Itoa(i+1) + `"`
		if !strings.Contains(doc, a) {
			t.Errorf("contents lack %s", a)
		}
	}
	ids := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]*)"`).FindAllStringSubmatch(doc, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	// Every chart's option finds its element.
	for _, m := range regexp.MustCompile(`data-chart-for="([^"]*)"`).FindAllStringSubmatch(doc, -1) {
		if ids[m[1]] != 1 {
			t.Errorf("chart %q has no element", m[1])
		}
	}
	if n := strings.Count(doc, `data-chart-for="`); n < 33 {
		t.Errorf("only %d charts in the print document", n)
	}
	// In-page links point at ids that exist.
	for _, m := range regexp.MustCompile(`href="#([^"]*)"`).FindAllStringSubmatch(doc, -1) {
		if m[1] != "main" && ids[m[1]] == 0 {
			t.Errorf("link to #%s, which is not in the document", m[1])
		}
	}
	// No breadcrumbs, nothing of the docs.
	if strings.Contains(doc, `class="crumbs"`) || strings.Contains(doc, `data-url="docs/`) {
		t.Error("the print document shows breadcrumbs or documentation")
	}
}

// TestPrintTouchpoints: with [print] touchpoints = true each touchpoint
// page follows its journey's dashboard.
func TestPrintTouchpoints(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/mini-site")); err != nil {
		t.Fatal(err)
	}
	toml := filepath.Join(dir, "site.toml")
	src, _ := os.ReadFile(toml)
	without := sectionURLs(string(buildSite(t, dir).Output.Files["print/index.html"]))
	os.WriteFile(toml, append(src, "\n[print]\ntouchpoints = true\npaper = \"Letter\"\n"...), 0o644)
	res := buildSite(t, dir)
	doc := string(res.Output.Files["print/index.html"])
	with := sectionURLs(doc)
	var tps []string
	for _, j := range res.Site.Journeys {
		for _, tp := range j.Touchpoints {
			tps = append(tps, "journeys/"+j.ID+"/"+tp.ID+"/")
		}
	}
	if len(tps) == 0 || len(with) != len(without)+len(tps) {
		t.Fatalf("touchpoints = true: %d sections, without: %d, touchpoints %d", len(with), len(without), len(tps))
	}
	for _, u := range tps {
		i := slices.Index(with, u)
		j := slices.Index(with, u[:strings.Index(u[len("journeys/"):], "/")+len("journeys/")+1])
		if i < 0 || j < 0 || i < j {
			t.Errorf("touchpoint %s at %d, its journey at %d", u, i, j)
		}
	}
	if !strings.Contains(doc, "@page { size: letter; }") {
		t.Error("[print] paper = Letter not applied")
	}
}

// TestRelink pins how links of a page become links of the document.
func TestRelink(t *testing.T) {
	anchors := map[string]string{"": "pg1", "journeys/": "pg2", "journeys/storm/": "pg3"}
	for _, tt := range []struct{ page, in, want string }{
		{"journeys/storm/", "#charts", "#pg3-charts"},
		{"journeys/storm/", "../../", "#pg1"},
		{"journeys/storm/", "../", "#pg2"},
		{"journeys/storm/", "../../index.html", "#pg1"},
		{"journeys/storm/", "restoration/", "../journeys/storm/restoration/"},
		{"journeys/storm/", "../../actors/field/#x", "../actors/field/#x"},
		{"journeys/storm/", "../billing/#kpis", "../journeys/billing/#kpis"},
		{"summary/", "../journeys/storm/#touchpoints", "#pg3-touchpoints"},
		{"summary/", "../css/site.css", "../css/site.css"},
		{"summary/", "https://example.com/a/", "https://example.com/a/"},
		{"summary/", "mailto:a@b.c", "mailto:a@b.c"},
		{"summary/", "../search/?q=x", "../search/?q=x"},
		{"", "journeys/", "#pg2"},
		{"", "./", "#pg1"},
	} {
		got := rewriteSection(`<a href="`+tt.in+`">x</a>`, tt.page, anchors[tt.page]+"-", anchors)
		if want := `<a href="` + tt.want + `">x</a>`; got != want {
			t.Errorf("%s: %s → %s, want %s", tt.page, tt.in, got, want)
		}
	}
	got := rewriteSection(`<div id="chart-gap" aria-labelledby="a b"></div><script type="application/json" data-chart-for="chart-gap">{"x":"id=\"q\""}</script><label for="f">`, "journeys/storm/", "pg3-", anchors)
	want := `<div id="pg3-chart-gap" aria-labelledby="pg3-a pg3-b"></div><script type="application/json" data-chart-for="pg3-chart-gap">{"x":"id=\"q\""}</script><label for="pg3-f">`
	if got != want {
		t.Errorf("ids:\n got %s\nwant %s", got, want)
	}
}

// TestPortableLinks pins which links name their index.html.
func TestPortableLinks(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"../journeys/", "../journeys/index.html"},
		{"./", "./index.html"},
		{"../../", "../../index.html"},
		{"storm/#kpis", "storm/index.html#kpis"},
		{"../search/?q=x", "../search/index.html?q=x"},
		{"#main", "#main"},
		{"../css/site.css", "../css/site.css"},
		{"https://example.com/", "https://example.com/"},
		{"/reports/", "/reports/"},
		{"../journeys/index.html", "../journeys/index.html"},
	} {
		got := string(portableLinks([]byte(`<a class="x" href="` + tt.in + `">`)))
		if want := `<a class="x" href="` + tt.want + `">`; got != want {
			t.Errorf("%s → %s, want %s", tt.in, got, want)
		}
	}
}

// TestPortableBuild: the portable output's pages link only to files
// that exist, and the search page carries the index.
func TestPortableBuild(t *testing.T) {
	res := buildSite(t, "../..", func(o *Options) { o.Portable = true })
	files := res.Output.Files
	link := regexp.MustCompile(`\s(?:href|src)="([^"#?]*)[^"]*"`)
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") || p == "404.html" {
			continue
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			if m[1] == "" || strings.Contains(m[1], ":") {
				continue
			}
			target := filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(p), m[1])))
			if _, ok := files[target]; !ok {
				t.Errorf("%s links to %s: no such file", p, m[1])
			}
		}
	}
	search := string(files["search/index.html"])
	if !strings.Contains(search, `<script type="application/json" id="search-index">[{`) {
		t.Error("the search page does not carry the index")
	}
	if strings.Contains(string(buildSite(t, "../..").Output.Files["search/index.html"]), `id="search-index"`) {
		t.Error("a normal build embeds the index")
	}
}

// TestHeatmapsShareScale: the demo's three journey heatmaps use one
// colour scale, so a page that shows two compares like with like.
func TestHeatmapsShareScale(t *testing.T) {
	res := buildSite(t, "../..")
	opt := regexp.MustCompile(`(?s)data-chart-for="chart-heatmap">(.*?)</script>`)
	var scales []string
	for _, j := range res.Site.Journeys {
		m := opt.FindSubmatch(res.Output.Files["journeys/"+j.ID+"/index.html"])
		if m == nil {
			t.Fatalf("%s: no heatmap", j.ID)
		}
		var o struct{ VisualMap json.RawMessage }
		if err := json.Unmarshal(m[1], &o); err != nil {
			t.Fatal(err)
		}
		scales = append(scales, string(o.VisualMap))
	}
	if len(scales) < 2 {
		t.Fatal("the demo has fewer than two journeys")
	}
	for i := 1; i < len(scales); i++ {
		if scales[i] != scales[0] {
			t.Errorf("heatmap scales differ:\n%s\n%s", scales[0], scales[i])
		}
	}
}
