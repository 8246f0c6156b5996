package build

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metricref"
	"github.com/touchstone-cx/touchstone/internal/theme"
)

// jsonDoc navigates a decoded metrics.json: keys for objects, "id=x" to
// pick the element of an array with that id, numbers for array indexes.
func jsonAt(doc any, path ...string) (any, bool) {
	cur := doc
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[p]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			if id, ok := strings.CutPrefix(p, "id="); ok {
				found := false
				for _, e := range c {
					if m, ok := e.(map[string]any); ok && m["id"] == id {
						cur, found = e, true
						break
					}
				}
				if !found {
					return nil, false
				}
				continue
			}
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

var metricSpan = regexp.MustCompile(`<span class="metric" title="([^"]*)">([^<]*)</span>`)

// TestMetricReferences resolves every value kind against the mini-site
// and holds the figures to mini-site.expected.json: the text is the
// expected value as the site shows it, the title carries it in full.
func TestMetricReferences(t *testing.T) {
	raw, err := os.ReadFile("testdata/mini-site.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	want := decodeJSON(t, raw)
	j := []string{"journeys", "id=onboarding"}
	j = j[:len(j):len(j)] // every append below copies
	tp := func(id string, rest ...string) []string {
		return append([]string{"journeys", "id=onboarding", "touchpoints", "id=" + id}, rest...)
	}
	cell := func(t, a, field string) []string { return tp(t, "attributes", "id="+a, field) }
	// delta has no place in §6's example document; it is the difference
	// of the last two trend points there.
	trendDelta := func(doc any) float64 {
		a, _ := jsonAt(doc, append(j, "trend", "0", "alignment")...)
		b, _ := jsonAt(doc, append(j, "trend", "1", "alignment")...)
		return b.(float64) - a.(float64)
	}
	tests := []struct {
		ref    string   // the reference's arguments
		path   []string // where the expected figure is; nil: use calc
		calc   func(doc any) float64
		format string // "f1", "signed" or "count"
	}{
		{ref: `brand="acme" value="alignment"`, path: []string{"brands", "id=acme", "alignment"}, format: "f1"},
		// Acme has one journey, so its brand figures are the journey's.
		{ref: `brand="acme" value="delta"`, calc: trendDelta, format: "signed"},
		{ref: `brand="acme" attribute="be-there" value="promise"`, path: append(j, "attributes", "id=be-there", "promise"), format: "f1"},
		{ref: `brand="acme" attribute="clarity" value="experience"`, path: append(j, "attributes", "id=clarity", "experience"), format: "f1"},
		{ref: `brand="acme" attribute="clarity" value="consistency"`, path: append(j, "attributes", "id=clarity", "consistency"), format: "f1"},
		{ref: `journey="onboarding" value="alignment"`, path: append(j, "alignment"), format: "f1"},
		{ref: `journey="onboarding" value="alignment" wave="2025-H2"`, path: append(j, "trend", "0", "alignment"), format: "f1"},
		{ref: `journey="onboarding" value="delta"`, calc: trendDelta, format: "signed"},
		{ref: `journey="onboarding" attribute="be-there" value="promise"`, path: append(j, "attributes", "id=be-there", "promise"), format: "f1"},
		{ref: `journey="onboarding" attribute="be-there" value="experience"`, path: append(j, "attributes", "id=be-there", "experience"), format: "f1"},
		{ref: `journey="onboarding" attribute="be-there" value="consistency"`, path: append(j, "attributes", "id=be-there", "consistency"), format: "f1"},
		{ref: `journey="onboarding" touchpoint="call-centre" value="alignment"`, path: tp("call-centre", "alignment"), format: "f1"},
		{ref: `journey="onboarding" touchpoint="call-centre" value="performance"`, path: tp("call-centre", "performance"), format: "f1"},
		// §6 has no weighted promise: Σ w·P / Σ w with Be There weighing 2.
		{ref: `journey="onboarding" touchpoint="call-centre" value="promise"`, calc: func(doc any) float64 {
			bt, _ := jsonAt(doc, cell("call-centre", "be-there", "promise")...)
			cl, _ := jsonAt(doc, cell("call-centre", "clarity", "promise")...)
			return (2*bt.(float64) + cl.(float64)) / 3
		}, format: "f1"},
		{ref: `journey="onboarding" touchpoint="call-centre" value="shortfall"`, path: tp("call-centre", "shortfall"), format: "f1"},
		{ref: `journey="onboarding" touchpoint="call-centre" value="importance"`, path: tp("call-centre", "importance"), format: "f1"},
		{ref: `journey="onboarding" touchpoint="call-centre" value="nps"`, path: tp("call-centre", "nps", "score"), format: "signed"},
		{ref: `journey="onboarding" touchpoint="call-centre" value="nps-n"`, path: tp("call-centre", "nps", "n"), format: "count"},
		{ref: `journey="onboarding" touchpoint="call-centre" attribute="be-there" value="gap"`, path: cell("call-centre", "be-there", "gap"), format: "signed"},
		{ref: `journey="onboarding" touchpoint="welcome-pack" attribute="be-there" value="gap"`, path: cell("welcome-pack", "be-there", "gap"), format: "signed"},
		{ref: `journey="onboarding" touchpoint="welcome-pack" attribute="clarity" value="promise"`, path: cell("welcome-pack", "clarity", "promise"), format: "f1"},
		{ref: `journey="onboarding" touchpoint="welcome-pack" attribute="clarity" value="experience"`, path: cell("welcome-pack", "clarity", "experience"), format: "f1"},
		{ref: `journey="onboarding" touchpoint="welcome-pack" attribute="clarity" value="n"`, path: cell("welcome-pack", "clarity", "n"), format: "count"},
		{ref: `actor="finance" value="load"`, path: []string{"actors", "id=finance", "load"}, format: "f1"},
		{ref: `actor="service" value="load"`, path: []string{"actors", "id=service", "load"}, format: "f1"},
	}
	var page strings.Builder
	page.WriteString("+++\ntitle = \"Figures\"\n+++\n")
	for _, tt := range tests {
		fmt.Fprintf(&page, "- {{< metric %s >}}\n", tt.ref)
	}
	site := copySite(t, "testdata/mini-site")
	if err := os.WriteFile(filepath.Join(site, "content/figures.md"), []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res := buildSite(t, site)
	out := string(res.Output.Files["figures/index.html"])
	got := metricSpan.FindAllStringSubmatch(out, -1)
	if len(got) != len(tests) {
		t.Fatalf("%d metric spans for %d references in\n%s", len(got), len(tests), out)
	}
	for i, tt := range tests {
		var v float64
		if tt.path != nil {
			x, ok := jsonAt(want, tt.path...)
			if !ok {
				t.Fatalf("%s: nothing at %v in the expected JSON", tt.ref, tt.path)
			}
			v = x.(float64)
		} else {
			v = tt.calc(want)
		}
		var text string
		switch tt.format {
		case "f1":
			text = figure.One(v)
		case "signed":
			text = figure.Signed(v)
		case "count":
			text = strconv.Itoa(int(v))
		}
		if got[i][2] != text {
			t.Errorf("{{< metric %s >}} shows %q, want %q (%v)", tt.ref, got[i][2], text, v)
		}
		title := html.UnescapeString(got[i][1])
		_, exact, _ := strings.Cut(title, ": ")
		if k := strings.LastIndex(title, ": "); k >= 0 {
			exact = title[k+2:]
		}
		f, err := strconv.ParseFloat(strings.Replace(exact, figure.Minus, "-", 1), 64)
		if err != nil || math.Abs(f-v) > 1e-9 {
			t.Errorf("{{< metric %s >}} title %q does not carry %v in full", tt.ref, title, v)
		}
	}
	// The figures are words of the page for search.
	if !strings.Contains(string(res.Output.Files["search/index.json"]), "79.5") {
		t.Error("the search index lacks the quoted figures")
	}
}

// TestMetricDefaults: the page's journey, else its brand, else the
// site's brand, is what a reference without one is about.
func TestMetricDefaults(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/j.md"), []byte("+++\ntitle = \"J\"\njourney = \"onboarding\"\n+++\n"+
		"{{< metric value=\"alignment\" >}} {{< metric touchpoint=\"invoice\" value=\"shortfall\" >}} {{< metric brand=\"acme\" value=\"delta\" >}}\n"), 0o644)
	os.WriteFile(filepath.Join(site, "content/b.md"), []byte("+++\ntitle = \"B\"\n+++\n{{< metric value=\"alignment\" >}} {{< metric attribute=\"be-there\" value=\"consistency\" >}}\n"), 0o644)
	res := buildSite(t, site)
	for page, want := range map[string][]string{
		"j/index.html": {"79.5", "1.5", "+11.1"},
		"b/index.html": {"79.5", "84.3"},
	} {
		var got []string
		for _, m := range metricSpan.FindAllStringSubmatch(string(res.Output.Files[page]), -1) {
			got = append(got, m[2])
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s shows %v, want %v", page, got, want)
		}
	}
	// The title says what the figure is in readers' words, and of what:
	// on a journey's page the brand's figure (asked with brand=) reads
	// as the brand's, the page's default as the journey's (issue 12).
	titles := func(page string) []string {
		var out []string
		for _, m := range metricSpan.FindAllStringSubmatch(string(res.Output.Files[page]), -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
		return out
	}
	for page, want := range map[string][]string{
		"j/index.html": {
			"Journey alignment index of Becoming a customer, 2026-H1: 79.4957983193",
			"Shortfall of the touchpoint First invoice (Becoming a customer), 2026-H1: 1.5",
			"Change in the brand alignment index of Acme Supplies since 2025-H2, 2026-H1: 11.13795518",
		},
		"b/index.html": {
			"Brand alignment index of Acme Supplies, 2026-H1: 79.4957983193",
			"Consistency of Be There across the brand Acme Supplies, 2026-H1: 84.",
		},
	} {
		got := titles(page)
		if len(got) != len(want) {
			t.Fatalf("%s: titles %q", page, got)
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("%s: title %q, want it to begin %q", page, got[i], want[i])
			}
		}
	}
}

// TestMetricErrors: every mistake fails the build at the reference's
// file, line and column, with the nearest valid name; a figure that does
// not exist is an error, never a 0.
func TestMetricErrors(t *testing.T) {
	tests := []struct {
		ref  string
		want string // the message after path:line:col: of the "{"
	}{
		{`{{< metric jorney="onboarding" value="alignment" >}}`, `unknown metric key "jorney" (did you mean "journey"?)`},
		{`{{< metric journey="onboarding" >}}`, `metric reference needs value="…", one of "alignment", "delta"`},
		{`{{< metric journey="onboarding" value="alignmnet" >}}`, `unknown metric value "alignmnet" (did you mean "alignment"?)`},
		{`{{< metric journey="onbording" value="alignment" >}}`, `unknown journey "onbording" (did you mean "onboarding"?)`},
		{`{{< metric journey="onboarding" touchpoint="invoce" value="alignment" >}}`, `unknown touchpoint "invoce" (did you mean "invoice"?) in journey "onboarding"`},
		{`{{< metric journey="onboarding" attribute="clarty" value="experience" >}}`, `unknown attribute "clarty" (did you mean "clarity"?) of brand "acme"`},
		{`{{< metric actor="finanse" value="load" >}}`, `unknown actor "finanse" (did you mean "finance"?)`},
		{`{{< metric brand="acm" value="alignment" >}}`, `unknown brand "acm" (did you mean "acme"?)`},
		{`{{< metric journey="onboarding" value="alignment" wave="2026H1" >}}`, `unknown wave "2026H1" (did you mean "2026-H1"?)`},
		{`{{< metric journey="onboarding" touchpoint="survey" value="alignment" >}}`,
			`touchpoint "survey" of journey "onboarding" has no alignment in wave 2026-H1: no attribute there has both promise and experience`},
		{`{{< metric journey="onboarding" touchpoint="survey" attribute="clarity" value="experience" wave="2025-H2" >}}`,
			`attribute "clarity" at touchpoint "survey" of journey "onboarding" has no experience data in wave 2025-H2`},
		{`{{< metric journey="onboarding" touchpoint="ad" value="nps" >}}`, `touchpoint "ad" of journey "onboarding" has no NPS in wave 2026-H1: no recommend answers`},
		{`{{< metric journey="onboarding" touchpoint="ad" attribute="be-there" value="n" >}}`, `attribute "be-there" at touchpoint "ad" of journey "onboarding" has no sample size in wave 2026-H1: its score comes without n`},
		{`{{< metric journey="onboarding" touchpoint="invoice" attribute="be-there" value="gap" >}}`, `attribute "be-there" at touchpoint "invoice" of journey "onboarding" has no promise`},
		{`{{< metric journey="onboarding" value="gap" >}}`, `value "gap" is a figure of a touchpoint or a touchpoint's attribute (touchpoint=, attribute=), not of journey "onboarding"`},
		{`{{< metric actor="finance" journey="onboarding" value="load" >}}`, `an actor's figure takes no journey=`},
		{`{{< metric touchpoint="ad" value="alignment" >}}`, `a touchpoint's figure needs journey="…"`},
	}
	var page strings.Builder
	page.WriteString("+++\ntitle = \"Broken\"\n+++\n\n")
	const first = 5 // the file line of the first reference
	for _, tt := range tests {
		// After a multi-byte letter, so the column counts characters.
		fmt.Fprintf(&page, "Über %s\n\n", tt.ref)
	}
	// A syntax error is placed at the character at fault: the misspelt
	// name, the value whose closing quote is missing.
	page.WriteString("Then {{< metrics value=\"alignment\" >}}\n\n")
	page.WriteString("Then {{< metric journey=\"onboarding value=\"alignment\" >}}\n")
	site := copySite(t, "testdata/mini-site")
	os.WriteFile(filepath.Join(site, "content/broken.md"), []byte(page.String()), 0o644)
	// A touchpoint with a promise and no data in any wave.
	f, err := os.OpenFile(filepath.Join(site, "data/journeys/onboarding.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[[touchpoints]]\nid = \"survey\"\nname = \"Follow-up survey\"\nstage = \"Get help\"\nowner = \"service\"\npromise = { clarity = 4 }\n")
	f.Close()
	_, err = New(Options{Site: site}).Build(context.Background())
	if err == nil {
		t.Fatal("a page with broken metric references built")
	}
	msg := err.Error()
	for i, tt := range tests {
		want := fmt.Sprintf("content/broken.md:%d:6: %s", first+2*i, tt.want)
		if !strings.Contains(msg, want) {
			t.Errorf("want %q in:\n%s", want, msg)
		}
	}
	for _, want := range []string{
		fmt.Sprintf(`content/broken.md:%d:10: unknown shortcode "metrics" (did you mean "metric"?)`, first+2*len(tests)),
		fmt.Sprintf("content/broken.md:%d:25: metric reference: the value of journey has no closing quote", first+2*len(tests)+2),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("want %q in:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "content/broken.md:"); n != len(tests)+2 {
		t.Errorf("%d diagnostics for %d broken references:\n%s", n, len(tests)+2, msg)
	}
}

// TestMetricFormatMatchesTheme: prose shows a figure exactly as the
// dashboards' template functions do.
func TestMetricFormatMatchesTheme(t *testing.T) {
	funcs := theme.Funcs(nil)
	tf1 := funcs["f1"].(func(any) string)
	tsigned := funcs["signed"].(func(any) string)
	for _, v := range []float64{0, 0.04, -0.04, 0.05, -0.05, 2.25, 63.249, -14.75, 100, -100, 89.25, 2.675} {
		if got, want := metricref.Format("alignment", v), tf1(v); got != want {
			t.Errorf("f1(%v) = %q, theme shows %q", v, got, want)
		}
		if got, want := metricref.Format("delta", v), tsigned(v); got != want {
			t.Errorf("signed(%v) = %q, theme shows %q", v, got, want)
		}
	}
}

// TestMetricRebuild: under serve, a page edit re-resolves its references
// (a broken one fails the rebuild, its fix recovers) and a data edit
// re-quotes the figure.
func TestMetricRebuild(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	page := filepath.Join(site, "content/notes.md")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(page, []byte("+++\ntitle = \"Notes\"\njourney = \"onboarding\"\n+++\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shows := func(res *Result, want string) {
		t.Helper()
		m := metricSpan.FindStringSubmatch(string(res.Output.Files["notes/index.html"]))
		if m == nil || m[2] != want {
			t.Errorf("notes show %v, want %s", m, want)
		}
	}
	write("Welcome pack: {{< metric touchpoint=\"welcome-pack\" attribute=\"be-there\" value=\"experience\" >}}.\n")
	b := New(Options{Site: site})
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	shows(res, "4.2")

	write("Welcome pack: {{< metric touchpoint=\"welcome-pak\" value=\"nps\" >}}.\n")
	_, err = b.Rebuild(context.Background(), []string{"content/notes.md"})
	if err == nil || !strings.Contains(err.Error(), `content/notes.md:5:15: unknown touchpoint "welcome-pak" (did you mean "welcome-pack"?)`) {
		t.Errorf("broken reference: %v", err)
	}
	write("Welcome pack: {{< metric touchpoint=\"welcome-pack\" attribute=\"be-there\" value=\"gap\" >}}.\n")
	res, err = b.Rebuild(context.Background(), []string{"content/notes.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rendered) != 1 {
		t.Errorf("a page edit rendered %v", res.Rendered)
	}
	shows(res, "+0.2")

	os.WriteFile(filepath.Join(site, "data/measures/2026-H1.csv"), []byte("wave,journey,touchpoint,attribute,score,n,sd\n"+
		"2026-H1,onboarding,welcome-pack,be-there,1.2,60,0.8\n2026-H1,onboarding,welcome-pack,clarity,4.6,60,0.5\n"), 0o644)
	res, err = b.Rebuild(context.Background(), []string{"data/measures/2026-H1.csv"})
	if err != nil {
		t.Fatal(err)
	}
	shows(res, "−2.8")
}
