package build

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/bench/synth"
	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metricref"
	"github.com/touchstone-cx/touchstone/internal/scaffold"
	"github.com/touchstone-cx/touchstone/internal/theme"
)

func themeFunc(t *testing.T, name string) func(any) string {
	t.Helper()
	f, ok := theme.Funcs(nil)[name].(func(any) string)
	if !ok {
		t.Fatalf("theme has no %s(any) string", name)
	}
	return f
}

// The whole-site test of SPEC §9 "One verdict per touchpoint": every
// figure shown beside a touchpoint's name (the dashboard's touchpoint
// table, the blueprint, the charts' data tables, the touchpoint page's
// KPIs) is the figure of data/metrics.json, formatted by package figure.
// It reads the output as a reader would and the JSON as a program would,
// so a template or chart that computes its own figure fails it.

// jsonTP is a touchpoint of metrics.json, decoded independently of the
// metrics package's types.
type jsonTP struct {
	ID          string   `json:"id"`
	Importance  float64  `json:"importance"`
	Alignment   *float64 `json:"alignment"`
	Performance *float64 `json:"performance"`
	Promise     *float64 `json:"promise"`
	Shortfall   *float64 `json:"shortfall"`
	Gap         *float64 `json:"gap"`
	Status      string   `json:"status"`
	Priority    string   `json:"priority"`
	Quadrant    string   `json:"quadrant"`
	NPS         *struct {
		Score float64    `json:"score"`
		N     int        `json:"n"`
		CI    [2]float64 `json:"ci"`
	} `json:"nps"`
}

type jsonDoc struct {
	Journeys []struct {
		ID          string    `json:"id"`
		Touchpoints []*jsonTP `json:"touchpoints"`
	} `json:"journeys"`
	Brands []struct {
		ID        string   `json:"id"`
		Alignment *float64 `json:"alignment"`
		Delta     *float64 `json:"delta"`
		DeltaFrom string   `json:"delta_from"`
	} `json:"brands"`
}

func one(v *float64) string {
	if v == nil {
		return "–"
	}
	return figure.One(*v)
}

func signedOrDash(v *float64) string {
	if v == nil {
		return "–"
	}
	return figure.Signed(*v)
}

var (
	statusWords   = map[string]string{"aligned": "Aligned", "overpromised": "Over-promised", "undersold": "Undersold", "": "No data"}
	priorityWords = map[string]string{"fix-first": "Fix first", "fix-next": "Fix next", "keep": "Keep", "tell-more": "Tell more", "": "–"}
	chartPriority = map[string]string{"fix-first": "fix first", "fix-next": "fix next", "keep": "keep", "tell-more": "tell more", "": "–"}
)

// checkVerdicts builds dir and checks every touchpoint figure of every
// journey dashboard and touchpoint page against metrics.json. It
// returns the number of figures checked.
func checkVerdicts(t *testing.T, dir string) int {
	t.Helper()
	res, err := New(Options{Site: dir}).Build(context.Background())
	if err != nil {
		t.Fatalf("build %s: %v", dir, err)
	}
	var doc jsonDoc
	if err := json.Unmarshal(res.Output.Files["data/metrics.json"], &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	defer func() { t.Logf("%s: %d figures checked", dir, checked) }()
	eq := func(where, got, want string) {
		t.Helper()
		checked++
		if got != want {
			t.Errorf("%s: shows %q, metrics.json says %q", where, got, want)
		}
	}
	for _, jd := range doc.Journeys {
		j := res.Site.Journey(jd.ID)
		byID := map[string]*jsonTP{}
		byName := map[string]*jsonTP{}
		for _, tp := range jd.Touchpoints {
			byID[tp.ID] = tp
			byName[j.Touchpoint(tp.ID).Name] = tp
		}
		page := string(res.Output.Files["journeys/"+jd.ID+"/index.html"])

		// The dashboard's touchpoint table.
		rows := dashRow.FindAllStringSubmatch(page, -1)
		if len(rows) != len(jd.Touchpoints) {
			t.Fatalf("%s: %d touchpoint rows for %d touchpoints", jd.ID, len(rows), len(jd.Touchpoints))
		}
		for _, m := range rows {
			tp := byID[m[1]]
			where := jd.ID + " table, " + m[2]
			eq(where+" importance", m[3], figure.One(tp.Importance))
			eq(where+" performance", m[4], one(tp.Performance))
			eq(where+" gap", html.UnescapeString(m[5]), signedOrDash(tp.Gap))
			eq(where+" alignment", m[6], one(tp.Alignment))
			nps := figure.Dash
			if tp.NPS != nil {
				nps = figure.Signed(tp.NPS.Score)
			}
			eq(where+" NPS", html.UnescapeString(m[7]), nps)
			eq(where+" status", m[8], statusWords[tp.Status])
			eq(where+" priority", m[9], priorityWords[tp.Priority])
		}

		// The blueprint: every item of a touchpoint takes its status.
		for _, m := range bpItem.FindAllStringSubmatch(page, -1) {
			status := m[1]
			if status == "none" {
				status = ""
			}
			eq(jd.ID+" blueprint, "+m[2], status, byID[m[2]].Status)
		}

		// Chart data tables: rows headed by a touchpoint's name.
		for _, fig := range figureRE.FindAllStringSubmatch(page, -1) {
			typ, body := fig[1], fig[2]
			head := cellsOf(theadRE.FindString(body), thCol)
			for _, row := range rowRE.FindAllStringSubmatch(body, -1) {
				tp := byName[html.UnescapeString(row[1])]
				if tp == nil {
					continue
				}
				cells := cellsOf(row[2], tdCell)
				for i, col := range head[1:] {
					if i >= len(cells) {
						break
					}
					where := fmt.Sprintf("%s %s chart, %s, %s", jd.ID, typ, row[1], col)
					got := cells[i]
					if typ == "heatmap" {
						continue // cell figures: checked by the charts' own tests
					}
					switch col {
					case "Weighted promise":
						eq(where, got, one(tp.Promise))
					case "Performance":
						eq(where, got, one(tp.Performance))
					case "Weighted gap":
						eq(where, got, signedOrDash(tp.Gap))
					case "Alignment":
						eq(where, got, one(tp.Alignment))
					case "Importance":
						eq(where, got, figure.One(tp.Importance))
					case "Status":
						want := tp.Status
						if want == "" {
							want = "no data"
						}
						eq(where, got, want)
					case "Priority":
						eq(where, got, chartPriority[tp.Priority])
					case "NPS":
						if tp.NPS != nil {
							eq(where, got, figure.Signed(tp.NPS.Score))
						}
					case "95% CI":
						if typ == "nps" && tp.NPS != nil {
							eq(where, got, figure.Interval(tp.NPS.CI[0], tp.NPS.CI[1]))
						}
					}
				}
			}
		}

		// Each touchpoint's own page.
		for _, tp := range jd.Touchpoints {
			p := html.UnescapeString(string(res.Output.Files["journeys/"+jd.ID+"/"+tp.ID+"/index.html"]))
			where := jd.ID + "/" + tp.ID + " page"
			m := tpKPIs.FindStringSubmatch(p)
			if m == nil {
				t.Errorf("%s: KPIs not found", where)
				continue
			}
			eq(where+" alignment", m[1], one(tp.Alignment))
			eq(where+" performance", m[3], one(tp.Performance))
			eq(where+" promise", m[4], one(tp.Promise))
			eq(where+" importance", m[6], figure.One(tp.Importance))
			if tp.Status != "" {
				eq(where+" status", m[2], statusWords[tp.Status])
				eq(where+" gap", m[5], "gap "+figure.Signed(*tp.Gap))
				eq(where+" priority", m[7], "Priority: "+priorityWords[tp.Priority])
			}
			if strings.Contains(p, "Quadrant") || strings.Contains(p, "Keep up the good work") {
				t.Errorf("%s: shows an IPA quadrant outside the IPA chart", where)
			}
		}
	}
	// The home page's brand KPI.
	home := html.UnescapeString(string(res.Output.Files["index.html"]))
	if homeKPI.FindStringSubmatch(home) == nil && len(doc.Brands) > 0 && doc.Brands[0].Alignment != nil {
		t.Errorf("%s: the home page shows no brand alignment KPI", dir)
	}
	if m := homeKPI.FindStringSubmatch(home); m != nil && len(doc.Brands) > 0 {
		b := doc.Brands[0]
		eq("home brand index", m[1], one(b.Alignment))
		// The plain-words reading, by the bands of the formulas page
		// applied to the figure as shown (issue 16).
		if b.Alignment != nil {
			shown, err := strconv.ParseFloat(strings.ReplaceAll(one(b.Alignment), figure.Minus, "-"), 64)
			if err != nil {
				t.Fatal(err)
			}
			want := "weak alignment"
			if shown >= 85 {
				want = "strong alignment"
			} else if shown >= 70 {
				want = "fair alignment"
			}
			eq("home brand index reading", m[3], want)
		}
		if b.Delta != nil {
			eq("home brand delta", m[2], figure.Signed(*b.Delta)+" since "+b.DeltaFrom)
		} else if m[2] != "" {
			t.Errorf("home shows a delta %q the brand does not have", m[2])
		}
	}
	return checked
}

var (
	dashRow = regexp.MustCompile(`<tr(?: class="[^"]*")?><th scope="row"><a href="([^"/]+)/">([^<]*)</a>(?:<span class="base-note">[^<]*</span>)?</th><td>[^<]*</td><td>.*?</td>` +
		`<td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>` +
		`<td class="num">(?:<span[^>]*>)?([^<]*)(?:</span>)?.*?</td>` +
		`<td><span class="status status-[a-z]+">([^<]*)</span>\s*</td><td>([^<]*)</td><td>.*?</td></tr>`)
	bpItem   = regexp.MustCompile(`<a class="bp-item status-([a-z]+)" href="([^"/]+)/">`)
	figureRE = regexp.MustCompile(`(?s)<figure class="chart chart-([a-z]+)"(.*?)</figure>`)
	theadRE  = regexp.MustCompile(`(?s)<thead>.*?</thead>`)
	rowRE    = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th>(.*?)</tr>`)
	thCol    = regexp.MustCompile(`<th scope="col"[^>]*>([^<]*)</th>`)
	tdCell   = regexp.MustCompile(`<td[^>]*>([^<]*)</td>`)
	tpKPIs   = regexp.MustCompile(`(?s)Touchpoint alignment</p><p class="kpi-value">([^<]*)<span.*?</p>(?:<span class="status[^"]*">([^<]*)</span>)?.*?` +
		`Performance</p><p class="kpi-value small">([^<]*)<span class="unit"> vs ([^<]*) promised</span></p>(?:<p class="kpi-delta">([^<]*)</p>)?</div>.*?` +
		`Importance</p><p class="kpi-value small">([^<]*)</p>(?:<p class="kpi-delta">([^<]*)</p>)?</div>`)
	homeKPI = regexp.MustCompile(`(?s)Brand alignment index</p><p class="kpi-value">([^<]*)<span class="unit">/100</span></p>\s*(?:<p class="kpi-delta">([^<]*)</p>)?\s*(?:<p class="kpi-reading">([^<]*)</p>)?`)
)

func cellsOf(s string, re *regexp.Regexp) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestVerdictsDemo: on the demo report (the repository root) every
// touchpoint figure a reader sees equals metrics.json.
func TestVerdictsDemo(t *testing.T) {
	if n := checkVerdicts(t, "../.."); n < 300 {
		t.Errorf("only %d figures checked", n)
	}
}

// TestVerdictsGenerated: the same on sites Touchstone generates: the
// starter site of `touchstone new site` and a synthetic site with
// survey responses.
func TestVerdictsGenerated(t *testing.T) {
	starter := filepath.Join(t.TempDir(), "starter")
	if _, err := scaffold.Site(starter); err != nil {
		t.Fatal(err)
	}
	if n := checkVerdicts(t, starter); n < 20 {
		t.Errorf("starter: only %d figures checked", n)
	}
	synthetic := filepath.Join(t.TempDir(), "synth")
	if err := synth.Write(synthetic, synth.Options{Pages: 3, Rows: 3000}); err != nil {
		t.Fatal(err)
	}
	if n := checkVerdicts(t, synthetic); n < 20 {
		t.Errorf("synthetic: only %d figures checked", n)
	}
}

// demoBuild builds the demo once per test that needs it.
func demoBuild(t *testing.T) (*Result, jsonDoc) {
	t.Helper()
	res, err := New(Options{Site: "../.."}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var doc jsonDoc
	if err := json.Unmarshal(res.Output.Files["data/metrics.json"], &doc); err != nil {
		t.Fatal(err)
	}
	return res, doc
}

func (d jsonDoc) tp(journey, id string) *jsonTP {
	for _, j := range d.Journeys {
		if j.ID == journey {
			for _, tp := range j.Touchpoints {
				if tp.ID == id {
					return tp
				}
			}
		}
	}
	return nil
}

// chartRow returns the data-table row of a chart type headed by name.
func chartRow(page, typ, name string) (head, cells []string) {
	for _, fig := range figureRE.FindAllStringSubmatch(page, -1) {
		if fig[1] != typ {
			continue
		}
		head = cellsOf(theadRE.FindString(fig[2]), thCol)
		for _, row := range rowRE.FindAllStringSubmatch(fig[2], -1) {
			if html.UnescapeString(row[1]) == name {
				return head[1:], cellsOf(row[2], tdCell)
			}
		}
	}
	return nil, nil
}

func column(head, cells []string, col string) string {
	for i, h := range head {
		if h == col && i < len(cells) {
			return cells[i]
		}
	}
	return "(no " + col + ")"
}

// TestStormCallGapChartAgreesWithTable pins issue 12's first
// contradiction: the gap chart marked "Proactive storm call" aligned
// (weighted gap −0.498 then) while the table and blueprint said
// over-promised. Now all three show the touchpoint's one status, the
// tolerance rule on its weighted gap.
func TestStormCallGapChartAgreesWithTable(t *testing.T) {
	res, doc := demoBuild(t)
	tp := doc.tp("storm", "storm-warning-call")
	if tp == nil || tp.Gap == nil || tp.Performance == nil || tp.Promise == nil {
		t.Fatal("no verdict for storm-warning-call")
	}
	if *tp.Gap != *tp.Performance-*tp.Promise {
		t.Errorf("gap %v is not performance − promise", *tp.Gap)
	}
	want := "aligned"
	if *tp.Gap < -0.5 {
		want = "overpromised"
	}
	if tp.Status != want {
		t.Errorf("status %q for gap %v, want %q", tp.Status, *tp.Gap, want)
	}
	page := string(res.Output.Files["journeys/storm/index.html"])
	head, cells := chartRow(page, "gap", "Proactive storm call")
	if got := column(head, cells, "Status"); got != tp.Status {
		t.Errorf("gap chart says %q, metrics %q", got, tp.Status)
	}
	for _, m := range dashRow.FindAllStringSubmatch(page, -1) {
		if m[1] == "storm-warning-call" && m[8] != statusWords[tp.Status] {
			t.Errorf("table says %q, metrics %q", m[8], tp.Status)
		}
	}
	for _, m := range bpItem.FindAllStringSubmatch(page, -1) {
		if m[2] == "storm-warning-call" && m[1] != tp.Status {
			t.Errorf("blueprint says %q, metrics %q", m[1], tp.Status)
		}
	}
}

// TestPowerCutStatusAndPriorityAgree pins the second: "Reporting a power
// cut" was Over-promised with the quadrant "Keep up the good work". Its
// priority now follows from its status: over-promised and important.
func TestPowerCutStatusAndPriorityAgree(t *testing.T) {
	res, doc := demoBuild(t)
	tp := doc.tp("storm", "outage-report")
	if tp.Status != "overpromised" || tp.Priority != "fix-first" {
		t.Errorf("outage-report %q %q, want overpromised fix-first", tp.Status, tp.Priority)
	}
	p := html.UnescapeString(string(res.Output.Files["journeys/storm/outage-report/index.html"]))
	if !strings.Contains(p, "Priority: Fix first") || strings.Contains(p, "Keep up the good work") {
		t.Error("the power cut page does not say fix first, or still says keep up the good work")
	}
	dash := string(res.Output.Files["journeys/storm/index.html"])
	for _, m := range dashRow.FindAllStringSubmatch(dash, -1) {
		if m[1] == "outage-report" && (m[8] != "Over-promised" || m[9] != "Fix first") {
			t.Errorf("dashboard row says %q, %q", m[8], m[9])
		}
	}
}

// TestWelfarePackIsNotLowPriority pins the third: the welfare pack (a
// large shortfall, NPS −85.7) was "Low priority". Over-promised, it is
// fix-first or fix-next, and "Low priority" is nowhere outside the IPA.
func TestWelfarePackIsNotLowPriority(t *testing.T) {
	res, doc := demoBuild(t)
	tp := doc.tp("storm", "welfare-pack")
	if tp.Status != "overpromised" || (tp.Priority != "fix-first" && tp.Priority != "fix-next") {
		t.Errorf("welfare pack %q %q, want overpromised and fix-first or fix-next", tp.Status, tp.Priority)
	}
	p := html.UnescapeString(string(res.Output.Files["journeys/storm/welfare-pack/index.html"]))
	if strings.Contains(p, "Low priority") {
		t.Error("the welfare pack page says Low priority")
	}
	dash := html.UnescapeString(string(res.Output.Files["journeys/storm/index.html"]))
	// The IPA chart keeps its quadrants; nothing else shows them.
	withoutIPA := regexp.MustCompile(`(?s)<figure class="chart chart-ipa".*?</figure>`).ReplaceAllString(dash, "")
	if strings.Contains(withoutIPA, "Low priority") || strings.Contains(withoutIPA, "Keep up the good work") {
		t.Error("the storm dashboard shows an IPA quadrant outside the IPA chart")
	}
}

// Test8925RoundsOneWay pins the fourth: 89.25 showed as 89.3 in a chart
// and 89.2 in a table. Every formatter of the site is package figure's.
func Test8925RoundsOneWay(t *testing.T) {
	tf1 := themeFunc(t, "f1")
	for _, v := range []float64{89.25, 0.05, 2.675, -0.25, -0.04} {
		want := figure.One(v)
		if got := metricref.Format("alignment", v); got != want {
			t.Errorf("metric reference f1(%v) = %q, want %q", v, got, want)
		}
		if got := tf1(v); got != want {
			t.Errorf("theme f1(%v) = %q, want %q", v, got, want)
		}
	}
	if figure.One(89.25) != "89.3" || figure.One(-0.04) != "0.0" {
		t.Errorf("figure.One: 89.25 → %q, −0.04 → %q", figure.One(89.25), figure.One(-0.04))
	}
}

// TestEmptyCurrentWaveShowsNoDelta pins the fifth: with an empty current
// wave the home page showed "–" beside "+13.4 since 2025-H2". The delta
// is the report's, and an empty wave has none.
func TestEmptyCurrentWaveShowsNoDelta(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	edit := func(rel, old, new string) {
		b, err := os.ReadFile(filepath.Join(site, rel))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.Contains(s, old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		if err := os.WriteFile(filepath.Join(site, rel), []byte(strings.ReplaceAll(s, old, new)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("site.toml", `waves = ["2025-H2", "2026-H1"]`, `waves = ["2025-H2", "2026-H1", "2026-H2"]`)
	// Inline experience belongs to the last wave: without it, 2026-H2
	// has no data at all.
	edit("data/journeys/onboarding.toml", "experience = { be-there = 3.5, clarity = 4.2 }\n", "")
	edit("data/journeys/onboarding.toml", "experience = { clarity = 3.0 }\n", "")
	res := buildSite(t, site)
	if res.Report.Wave != "2026-H2" {
		t.Skipf("the current wave is %s: an empty declared wave is no longer current", res.Report.Wave)
	}
	home := html.UnescapeString(string(res.Output.Files["index.html"]))
	m := homeKPI.FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no brand KPI on the home page")
	}
	if m[1] != "–" || m[2] != "" || strings.Contains(home, " since ") {
		t.Errorf("home shows index %q and delta %q; want – and none", m[1], m[2])
	}
	journeys := html.UnescapeString(string(res.Output.Files["journeys/index.html"]))
	tbody := regexp.MustCompile(`(?s)<tbody>.*?</tbody>`).FindString(journeys)
	if tbody == "" || strings.Contains(tbody, "+") || strings.Contains(tbody, figure.Minus) {
		t.Errorf("the journeys list shows a change in an empty wave: %s", tbody)
	}
}

// TestDemoMetricReferencesShowTheirTitle: every figure quoted in the
// demo's prose shows, rounded by package figure, the exact value its
// title carries.
func TestDemoMetricReferencesShowTheirTitle(t *testing.T) {
	res, _ := demoBuild(t)
	n := 0
	for path, b := range res.Output.Files {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		for _, m := range metricSpan.FindAllStringSubmatch(string(b), -1) {
			title, text := html.UnescapeString(m[1]), html.UnescapeString(m[2])
			k := strings.LastIndex(title, ": ")
			v, err := strconv.ParseFloat(strings.Replace(title[k+2:], figure.Minus, "-", 1), 64)
			if err != nil {
				t.Errorf("%s: title %q carries no figure", path, title)
				continue
			}
			n++
			if !strings.Contains(text, ".") {
				continue // a count
			}
			// A p of a change has its own rule (three decimals, "< 0.001"),
			// a driver's share or r two decimals: all package figure's.
			want := []string{figure.One(v), figure.Signed(v)}
			if strings.HasPrefix(title, "p of ") {
				want = []string{figure.P(v)}
			} else if strings.HasPrefix(title, "Share of R²") || strings.HasPrefix(title, "Correlation of ") {
				want = []string{figure.Two(v)}
			}
			if !slices.Contains(want, text) {
				t.Errorf("%s: %q shows %q, want %q", path, title, text, want[0])
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d metric references in the demo", n)
	}
}
