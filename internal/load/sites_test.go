package load_test

// Whole-pipeline tests for the site conventions that the mini-site
// fixture does not exercise: each folder under testdata/sites is loaded
// with load.Site, computed with metrics.Compute in its current wave and
// compared, as JSON, with the expected.json beside its site.toml to 1e-9.
// The expected figures were computed independently of this code from the
// raw files and SPEC §5; each folder's README.md shows the arithmetic.
// Beyond the JSON, each case asserts the facts of its conventions
// directly, so a failure names the convention that broke.

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/metrics/metricstest"
	"github.com/touchstone-cx/touchstone/internal/model"
)

const sitesDir = "testdata/sites"

// tol is the tolerance of every comparison with a hand-computed figure.
const tol = 1e-9

// wantWarning is a warning the site must produce: at path:line, with a
// message containing text. Col 0 means any column.
type wantWarning struct {
	path      string
	line, col int
	text      string
}

type siteCase struct {
	// warnings are exactly the warnings the site loads with.
	warnings []wantWarning
	// check asserts the site's conventions on the loaded model, the
	// report and the report's JSON (decoded into a generic map).
	check func(t *testing.T, site *model.Site, rep *metrics.Report, doc map[string]any)
}

var siteCases = map[string]siteCase{
	"ten-point":         {warnings: []wantWarning{{"data/measures/claims.csv", 7, 50, `touchpoint "web-form" of journey "claim" does not promise "care"`}}, check: checkTenPoint},
	"no-waves":          {warnings: []wantWarning{{"data/journeys/delivery.toml", 31, 0, `touchpoint "returns-label" of journey "delivery" has no experience data`}}, check: checkNoWaves},
	"two-brands":        {check: checkTwoBrands},
	"several-responses": {warnings: []wantWarning{{"data/responses/b-feb.csv", 1, 44, `column "date" is not an attribute of any brand and is ignored`}}, check: checkSeveralResponses},
}

func TestSites(t *testing.T) {
	entries, err := os.ReadDir(sitesDir)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	for name := range siteCases {
		if !slices.Contains(dirs, name) {
			t.Errorf("case %q has no folder %s/%s", name, sitesDir, name)
		}
	}
	for _, name := range dirs {
		t.Run(name, func(t *testing.T) {
			c, ok := siteCases[name]
			if !ok {
				t.Fatalf("folder %s/%s has no case in siteCases: add one", sitesDir, name)
			}
			root := filepath.Join(sitesDir, name)
			site, diags := load.Site(root)
			if diags.HasErrors() {
				t.Fatalf("load.Site(%s) reported errors:\n%s", root, formatDiags(diags))
			}
			checkWarnings(t, diags, c.warnings)

			rep := metrics.Compute(site, "")
			got, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(root, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			metricstest.CompareJSON(t, got, want, tol)

			var doc map[string]any
			if err := json.Unmarshal(got, &doc); err != nil {
				t.Fatal(err)
			}
			c.check(t, site, rep, doc)
		})
	}
}

func formatDiags(l *diag.List) string {
	var b strings.Builder
	for _, d := range l.Items() {
		b.WriteString("  ")
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// checkWarnings requires exactly the wanted warnings, in any order.
func checkWarnings(t *testing.T, l *diag.List, want []wantWarning) {
	t.Helper()
	var got []diag.Diagnostic
	for _, d := range l.Items() {
		if d.Severity == diag.Warning {
			got = append(got, d)
		}
	}
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, d := range got {
			if !used[i] && d.Path == w.path && d.Line == w.line && (w.col == 0 || d.Col == w.col) && strings.Contains(d.Msg, w.text) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing warning %s:%d:%d: …%s…; warnings:\n%s", w.path, w.line, w.col, w.text, formatDiags(l))
		}
	}
	for i, d := range got {
		if !used[i] {
			t.Errorf("unexpected warning: %s", d.Error())
		}
	}
}

// --- helpers over the report -------------------------------------------

func journeyReport(t *testing.T, rep *metrics.Report, id string) *metrics.JourneyReport {
	t.Helper()
	for _, j := range rep.Journeys {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("no journey %q in the report", id)
	return nil
}

func touchReport(t *testing.T, j *metrics.JourneyReport, id string) *metrics.TouchpointReport {
	t.Helper()
	for _, tp := range j.Touchpoints {
		if tp.ID == id {
			return tp
		}
	}
	t.Fatalf("no touchpoint %q in journey %q", id, j.ID)
	return nil
}

func cellReport(t *testing.T, tp *metrics.TouchpointReport, id string) *metrics.CellReport {
	t.Helper()
	for _, c := range tp.Attributes {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no attribute %q at touchpoint %q", id, tp.ID)
	return nil
}

func brandReport(t *testing.T, rep *metrics.Report, id string) *metrics.BrandReport {
	t.Helper()
	for _, b := range rep.Brands {
		if b.ID == id {
			return b
		}
	}
	t.Fatalf("no brand %q in the report", id)
	return nil
}

func actorReport(t *testing.T, rep *metrics.Report, id string) *metrics.ActorReport {
	t.Helper()
	for _, a := range rep.Actors {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no actor %q in the report", id)
	return nil
}

func modelTouch(t *testing.T, site *model.Site, journey, id string) *model.Touchpoint {
	t.Helper()
	for _, j := range site.Journeys {
		if j.ID != journey {
			continue
		}
		for _, tp := range j.Touchpoints {
			if tp.ID == id {
				return tp
			}
		}
	}
	t.Fatalf("no touchpoint %s/%s in the site", journey, id)
	return nil
}

func near(a, b float64) bool { return metricstest.Close(a, b, tol) }

func wantFloat(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s absent, want %v", what, want)
		return
	}
	if !near(*got, want) {
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

// jsonTouch is touchpoint tp of journey j in the decoded JSON.
func jsonTouch(t *testing.T, doc map[string]any, j, tp string) map[string]any {
	t.Helper()
	for _, jv := range doc["journeys"].([]any) {
		jm := jv.(map[string]any)
		if jm["id"] != j {
			continue
		}
		for _, tv := range jm["touchpoints"].([]any) {
			if tm := tv.(map[string]any); tm["id"] == tp {
				return tm
			}
		}
	}
	t.Fatalf("no touchpoint %s/%s in the JSON", j, tp)
	return nil
}

// noFigures requires a touchpoint without data to carry no figures at
// all in the JSON: absent or null, never 0.
func noFigures(t *testing.T, doc map[string]any, j, tp string) {
	t.Helper()
	m := jsonTouch(t, doc, j, tp)
	for _, k := range []string{"alignment", "performance", "shortfall", "quadrant", "nps", "promise", "status"} {
		if v, ok := m[k]; ok && v != nil {
			t.Errorf("%s/%s: JSON key %q = %v, want it absent", j, tp, k, v)
		}
	}
	for _, av := range m["attributes"].([]any) {
		am := av.(map[string]any)
		for _, k := range []string{"experience", "gap", "status", "n", "ci", "sd"} {
			if v, ok := am[k]; ok && v != nil {
				t.Errorf("%s/%s attribute %v: JSON key %q = %v, want it absent", j, tp, am["id"], k, v)
			}
		}
	}
}

// noStats requires a cell without n/sd to have neither n nor a CI.
func noStats(t *testing.T, what string, c *metrics.CellReport) {
	t.Helper()
	if c.N != nil || c.CI != nil || c.SD != nil {
		t.Errorf("%s: n/sd/ci = %v/%v/%v, want all absent (no stats in the source)", what, c.N, c.SD, c.CI)
	}
}

// hasCI requires n and a CI of mean ± t(0.975, n−1)·sd/√n.
func hasCI(t *testing.T, what string, c *metrics.CellReport, n int, sd float64) {
	t.Helper()
	if c.N == nil || *c.N != n {
		t.Errorf("%s: n = %v, want %d", what, c.N, n)
	}
	if c.CI == nil || c.Experience == nil {
		t.Errorf("%s: no CI (or no experience), want one from n = %d", what, n)
		return
	}
	// The interval is kept within the site's scale (1..5 here), as an
	// NPS interval is kept within ±100.
	half := metrics.TCritical(n-1) * sd / math.Sqrt(float64(n))
	wantLo, wantHi := max(*c.Experience-half, 1), min(*c.Experience+half, 5)
	if lo, hi := c.CI[0], c.CI[1]; !near(lo, wantLo) || !near(hi, wantHi) {
		t.Errorf("%s: CI = [%v, %v], want %v ± %v within 1..5", what, lo, hi, *c.Experience, half)
	}
}

// --- ten-point ----------------------------------------------------------

func checkTenPoint(t *testing.T, site *model.Site, rep *metrics.Report, doc map[string]any) {
	cfg := site.Config
	if cfg.Scale != (model.Scale{Min: 0, Max: 10}) || cfg.Tolerance != 1 || cfg.Crosshair != "midpoint" {
		t.Errorf("config scale %v tolerance %v crosshair %q, want 0..10, 1, midpoint", cfg.Scale, cfg.Tolerance, cfg.Crosshair)
	}
	// Declared order wins over lexical order ("autumn" < "spring").
	if !slices.Equal(site.Waves, []string{"spring", "autumn"}) || rep.Wave != "autumn" {
		t.Errorf("waves %v, current %q; want [spring autumn], autumn", site.Waves, rep.Wave)
	}
	var weights []float64
	for _, a := range site.Brands[0].Attributes {
		weights = append(weights, a.Weight)
	}
	if !slices.Equal(weights, []float64{0.5, 1.5, 2.25}) {
		t.Errorf("attribute weights %v, want [0.5 1.5 2.25]", weights)
	}
	// Default importance is the scale midpoint, 5 on 0..10.
	for id, want := range map[string]float64{"hotline": 8, "web-form": 5, "assessor": 2.5, "payout": 5} {
		if got := modelTouch(t, site, "claim", id).Importance; got != want {
			t.Errorf("importance of %s = %v, want %v", id, got, want)
		}
	}
	if j := site.Journeys[0]; j.Brand != "tenco" {
		t.Errorf("journey brand %q, want tenco (site.toml)", j.Brand)
	}
	// Measures without n/sd columns: no cell has stats; the minimum of
	// the scale, 0, is a score like any other.
	for k, c := range site.Cells {
		if c.HasStats || c.N != 0 {
			t.Errorf("cell %v has stats (n %d) but the measures have no n/sd columns", k, c.N)
		}
	}
	if c := site.Cells[model.CellKey{Wave: "spring", Journey: "claim", Touchpoint: "web-form", Attribute: "speed"}]; c == nil || c.Mean != 0 {
		t.Errorf("spring web-form speed = %v, want a cell with score 0", c)
	}
	// Inline experience belongs to the last declared wave.
	for _, a := range []string{"speed", "care"} {
		if c := site.Cells[model.CellKey{Wave: "autumn", Journey: "claim", Touchpoint: "payout", Attribute: a}]; c == nil || c.Kind != model.FromInline {
			t.Errorf("payout %s in autumn = %+v, want an inline cell", a, c)
		}
		if c := site.Cells[model.CellKey{Wave: "spring", Journey: "claim", Touchpoint: "payout", Attribute: a}]; c != nil {
			t.Errorf("payout %s has a spring cell %+v; inline experience is the current wave's only", a, c)
		}
	}

	j := journeyReport(t, rep, "claim")
	for _, tp := range j.Touchpoints {
		for _, c := range tp.Attributes {
			noStats(t, tp.ID+"/"+c.ID, c)
		}
	}
	// |gap| == tolerance is aligned, on both sides.
	if c := cellReport(t, touchReport(t, j, "hotline"), "speed"); c.Gap == nil || *c.Gap != 1 || c.Status != metrics.StatusAligned {
		t.Errorf("hotline speed gap %v status %q, want +1 aligned", c.Gap, c.Status)
	}
	if c := cellReport(t, touchReport(t, j, "assessor"), "honesty"); c.Gap == nil || *c.Gap != -1 || c.Status != metrics.StatusAligned {
		t.Errorf("assessor honesty gap %v status %q, want -1 aligned", c.Gap, c.Status)
	}
	// Experience without a promise is shown but has no gap and counts in
	// no sum.
	wf := touchReport(t, j, "web-form")
	if c := cellReport(t, wf, "care"); c.Promise != nil || c.Gap != nil || c.Status != "" || c.Experience == nil || *c.Experience != 6 {
		t.Errorf("web-form care = %+v, want experience 6 only", c)
	}
	wantFloat(t, "web-form performance (speed, honesty only)", wf.Performance, (1.5*2.5+2.25*6.5)/3.75)
	// Crosshair at the midpoint (5, 5); web-form's default importance
	// lies on the line and counts as high.
	if j.Crosshair == nil || *j.Crosshair != (metrics.Point{X: 5, Y: 5}) {
		t.Errorf("crosshair %v, want (5, 5)", j.Crosshair)
	}
	if wf.Quadrant != metrics.QuadrantConcentrate {
		t.Errorf("web-form quadrant %q, want concentrate (importance 5 on the line counts as high)", wf.Quadrant)
	}
	if a := actorReport(t, rep, "board"); a.Load != 0 || a.Touchpoints == nil || len(a.Touchpoints) != 0 {
		t.Errorf("board = %+v, want load 0 and an empty touchpoint list", a)
	}
}

// --- no-waves -----------------------------------------------------------

func checkNoWaves(t *testing.T, site *model.Site, rep *metrics.Report, doc map[string]any) {
	if len(site.Config.Waves) != 0 {
		t.Fatalf("site.toml declares waves %v; the fixture must not", site.Config.Waves)
	}
	// Lexical order of every wave name seen, whatever the file order.
	want := []string{"2024-Q4", "2025-Q1", "2025-Q2"}
	if !slices.Equal(site.Waves, want) || rep.Wave != "2025-Q2" || !slices.Equal(rep.Waves, want) {
		t.Errorf("waves %v (report %v, current %q), want %v, current 2025-Q2", site.Waves, rep.Waves, rep.Wave, want)
	}
	cfg := site.Config
	if cfg.Scale != (model.Scale{Min: 1, Max: 5}) || cfg.Tolerance != 0.5 || cfg.Crosshair != "mean" {
		t.Errorf("defaults: scale %v tolerance %v crosshair %q, want 1..5, 0.5, mean", cfg.Scale, cfg.Tolerance, cfg.Crosshair)
	}
	for _, j := range site.Journeys {
		if j.Brand != "solo" {
			t.Errorf("journey %s brand %q, want solo (the only brand)", j.ID, j.Brand)
		}
	}
	// Inline experience: the last wave; the same touchpoint's measures
	// in an earlier wave are no conflict.
	for _, a := range []string{"reliability", "warmth"} {
		if c := site.Cells[model.CellKey{Wave: "2025-Q2", Journey: "delivery", Touchpoint: "doorstep", Attribute: a}]; c == nil || c.Kind != model.FromInline {
			t.Errorf("doorstep %s in 2025-Q2 = %+v, want inline", a, c)
		}
		if c := site.Cells[model.CellKey{Wave: "2024-Q4", Journey: "delivery", Touchpoint: "doorstep", Attribute: a}]; c == nil || c.Kind != model.FromMeasures {
			t.Errorf("doorstep %s in 2024-Q4 = %+v, want from measures", a, c)
		}
	}
	for k := range site.Cells {
		if k.Touchpoint == "returns-label" {
			t.Errorf("returns-label has a cell %v; the fixture gives it none", k)
		}
	}

	d := journeyReport(t, rep, "delivery")
	rl := touchReport(t, d, "returns-label")
	if rl.Alignment != nil || rl.Performance != nil || rl.Shortfall != nil || rl.Quadrant != "" || rl.NPS != nil {
		t.Errorf("returns-label has figures %+v, want none", rl)
	}
	if len(rl.Attributes) != 2 {
		t.Errorf("returns-label lists %d attributes, want its 2 promises", len(rl.Attributes))
	}
	noFigures(t, doc, "delivery", "returns-label")
	// The crosshair is the mean over the touchpoints with a performance:
	// returns-label (importance 3) is not one of them.
	if d.Crosshair == nil || !near(d.Crosshair.Y, (4.0+2+5)/3) {
		t.Errorf("delivery crosshair %v, want y = mean importance of checkout, tracking, doorstep", d.Crosshair)
	}
	var waves []string
	for _, p := range d.Trend {
		waves = append(waves, p.Wave)
	}
	if !slices.Equal(waves, want) {
		t.Errorf("delivery trend waves %v, want %v", waves, want)
	}
	// The delta compares only the cells both waves measure (issue 17),
	// recomputed independently: −3.125 rather than the −4.39 between the
	// two trend points, which compare different sets of cells.
	if d.Delta == nil || !near(*d.Delta, -3.125) || d.DeltaFrom != "2025-Q1" {
		t.Errorf("delivery delta %v from %q, want −3.125 from 2025-Q1 (over the shared cells)", d.Delta, d.DeltaFrom)
	}

	// legacy: fax has data in 2024-Q4 only, letter in 2025-Q2 only, so
	// the trend skips 2025-Q1; the two waves share no cell, so there is
	// no delta (issue 17: a change compares the same cells).
	l := journeyReport(t, rep, "legacy")
	waves = waves[:0]
	for _, p := range l.Trend {
		waves = append(waves, p.Wave)
	}
	if !slices.Equal(waves, []string{"2024-Q4", "2025-Q2"}) {
		t.Errorf("legacy trend waves %v, want [2024-Q4 2025-Q2] (no data in 2025-Q1)", waves)
	}
	if l.Delta != nil || l.Alignment == nil || len(l.Trend) != 2 {
		t.Errorf("legacy delta %v, want none: its waves share no cell", l.Delta)
	}
	noFigures(t, doc, "legacy", "fax")
	if a := actorReport(t, rep, "shop"); a.Load != 0 || len(a.Touchpoints) != 3 {
		t.Errorf("shop = %+v, want load 0 over 3 owned touchpoints", a)
	}
}

// --- two-brands ---------------------------------------------------------

func checkTwoBrands(t *testing.T, site *model.Site, rep *metrics.Report, doc map[string]any) {
	brands := map[string]string{}
	for _, j := range site.Journeys {
		brands[j.ID] = j.Brand
	}
	wantBrands := map[string]string{"alpha-signup": "alpha", "beta-play": "beta", "beta-support": "beta"}
	for id, b := range wantBrands {
		if brands[id] != b {
			t.Errorf("journey %s brand %q, want %q", id, brands[id], b)
		}
	}
	alpha, beta := brandReport(t, rep, "alpha"), brandReport(t, rep, "beta")
	if !slices.Equal(alpha.Journeys, []string{"alpha-signup"}) || !slices.Equal(beta.Journeys, []string{"beta-play", "beta-support"}) {
		t.Errorf("brand journeys alpha %v beta %v", alpha.Journeys, beta.Journeys)
	}
	// Pooled over the brand's cells: (13 + 2) / (24 + 1) of the
	// i·w-weighted |gap| sums, not the mean of 86.46 and 50.
	play, support := journeyReport(t, rep, "beta-play"), journeyReport(t, rep, "beta-support")
	wantFloat(t, "beta alignment", beta.Alignment, 100*(1-15.0/(4*25)))
	if beta.Alignment != nil && play.Alignment != nil && support.Alignment != nil &&
		near(*beta.Alignment, (*play.Alignment+*support.Alignment)/2) {
		t.Errorf("beta alignment %v is the mean of its journeys' indices, want the pooled index", *beta.Alignment)
	}
	// "trust" is an attribute of both brands with different weights: each
	// journey uses its own brand's (alpha 3, beta 1).
	wantFloat(t, "demo alignment (beta weights)", touchReport(t, play, "demo").Alignment, 100*(1-(1*0.5+2*0.5)/(4*3)))
	wantFloat(t, "app alignment (alpha weights)", touchReport(t, journeyReport(t, rep, "alpha-signup"), "app").Alignment, 100*(1-(3*0.5+1*0.1)/(4*4)))

	// Actors own touchpoints in both brands' journeys.
	if a := actorReport(t, rep, "digital"); !slices.Equal(a.Touchpoints, []string{"alpha-signup/app", "beta-play/demo"}) {
		t.Errorf("digital owns %v", a.Touchpoints)
	}
	if a := actorReport(t, rep, "retail"); !slices.Equal(a.Touchpoints, []string{"alpha-signup/branch", "beta-play/checkout"}) {
		t.Errorf("retail owns %v", a.Touchpoints)
	}

	// n and CI only where the measures row gives n and sd.
	app := touchReport(t, journeyReport(t, rep, "alpha-signup"), "app")
	hasCI(t, "app trust", cellReport(t, app, "trust"), 25, 1.0)
	noStats(t, "app ease", cellReport(t, app, "ease"))
	demo := touchReport(t, play, "demo")
	hasCI(t, "demo trust (n = 2, t with 1 df)", cellReport(t, demo, "trust"), 2, 0.5)
	noStats(t, "demo fun", cellReport(t, demo, "fun"))
	hasCI(t, "chat trust", cellReport(t, touchReport(t, support, "chat"), "trust"), 3, 1.0)
	if c := site.Cells[model.CellKey{Wave: "w1", Journey: "alpha-signup", Touchpoint: "app", Attribute: "trust"}]; c == nil || c.HasStats {
		t.Errorf("w1 app trust = %+v, want a cell without stats (empty n and sd)", c)
	}
}

// --- several-responses --------------------------------------------------

func checkSeveralResponses(t *testing.T, site *model.Site, rep *metrics.Report, doc map[string]any) {
	// Guard the fixture itself: an editor or git setting that drops the
	// BOM or the CRLFs would silently weaken this test.
	raw, err := os.ReadFile(filepath.Join(sitesDir, "several-responses", "data", "responses", "c-mar.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbfrespondent;")) || bytes.Count(raw, []byte("\r\n")) != 5 || !bytes.Contains(raw, []byte(";4,5;3,5;")) {
		t.Errorf("c-mar.csv lost its BOM, CRLF line ends, ';' separator or decimal commas")
	}

	cell := func(w, tp, a string) *model.Cell {
		return site.Cells[model.CellKey{Wave: w, Journey: "support", Touchpoint: tp, Attribute: a}]
	}
	// One pooled aggregate per cell over the three files; empty answers
	// are missing, not 0.
	for _, c := range []struct {
		w, tp, a string
		n        int
		mean     float64
	}{
		{"2026", "phone", "speed", 6, 22.5 / 6}, // 4 5 | 3 4 | 4,5 2
		{"2026", "phone", "clarity", 7, 4},      // 3 4 | 4 5 | 3,5 4 4,5
		{"2026", "email", "speed", 4, 3.125},    // 3 2 | 4 | 3,5
		{"2026", "email", "clarity", 1, 4},      // 4
		{"2025", "phone", "speed", 2, 2.5},
		{"2025", "email", "clarity", 1, 4},
	} {
		got := cell(c.w, c.tp, c.a)
		if got == nil || got.Kind != model.FromResponses || got.N != c.n || !near(got.Mean, c.mean) {
			t.Errorf("%s %s %s = %+v, want from responses, n %d, mean %v", c.w, c.tp, c.a, got, c.n, c.mean)
		}
	}
	// The visit row of b-feb.csv has empty scores and recommend 10: it
	// counts for the NPS and makes no cell, so the measures stay the only
	// source of the visit's scores.
	for _, a := range []string{"speed", "clarity"} {
		if c := cell("2026", "visit", a); c == nil || c.Kind != model.FromMeasures || c.N != 50 {
			t.Errorf("2026 visit %s = %+v, want from measures with n 50", a, c)
		}
	}
	nps := func(w, tp string) model.NPSCounts {
		if c := site.NPS[model.TouchKey{Wave: w, Journey: "support", Touchpoint: tp}]; c != nil {
			return *c
		}
		return model.NPSCounts{}
	}
	for _, c := range []struct {
		w, tp string
		want  model.NPSCounts
	}{
		{"2026", "phone", model.NPSCounts{Promoters: 4, Passives: 1, Detractors: 2}}, // 9 10 6 | 8 - | 9 5 10
		{"2026", "email", model.NPSCounts{Promoters: 1, Passives: 1, Detractors: 1}}, // 7 3 | 9 | -
		{"2026", "visit", model.NPSCounts{Promoters: 1}},
		{"2025", "phone", model.NPSCounts{Passives: 1, Detractors: 1}},
	} {
		if got := nps(c.w, c.tp); got != c.want {
			t.Errorf("NPS counts %s %s = %+v, want %+v", c.w, c.tp, got, c.want)
		}
	}
	// A quoted comment keeps its ';'; b-feb.csv has no comment column.
	quoted := func(c model.Verbatim) bool {
		return c.Text == "Helpful; friendly" && c.Recommend != nil && *c.Recommend == 9
	}
	if v := site.Verbatims[model.TouchKey{Wave: "2026", Journey: "support", Touchpoint: "phone"}]; v == nil || v.Total != 3 || !slices.ContainsFunc(v.Comments, quoted) {
		t.Errorf("2026 phone verbatims = %+v, want 3 with \"Helpful; friendly\" (recommend 9)", v)
	}

	j := journeyReport(t, rep, "support")
	phone, email, visit := touchReport(t, j, "phone"), touchReport(t, j, "email"), touchReport(t, j, "visit")
	sd := math.Sqrt(5.875 / 5) // phone speed: squared deviations from 3.75 sum to 5.875
	hasCI(t, "phone speed", cellReport(t, phone, "speed"), 6, sd)
	if c := cellReport(t, phone, "speed"); c.SD == nil || !near(*c.SD, sd) {
		t.Errorf("phone speed sd %v, want %v", c.SD, sd)
	}
	// n = 1: the n is known, there is no sd nor CI.
	if c := cellReport(t, email, "clarity"); c.N == nil || *c.N != 1 || c.CI != nil || c.SD != nil {
		t.Errorf("email clarity n/sd/ci = %v/%v/%v, want 1 and no sd nor CI", c.N, c.SD, c.CI)
	}
	hasCI(t, "visit clarity (measures)", cellReport(t, visit, "clarity"), 50, 1.2)
	// NPS of the current wave only, pooled over the files.
	if phone.NPS == nil || phone.NPS.N != 7 || !near(phone.NPS.Score, 100*2.0/7) {
		t.Errorf("phone NPS %+v, want n 7, score 100·(4−2)/7", phone.NPS)
	}
	if visit.NPS == nil || visit.NPS.N != 1 || visit.NPS.Score != 100 || visit.NPS.CI != [2]float64{100, 100} {
		t.Errorf("visit NPS %+v, want 100 from one answer with CI [100, 100]", visit.NPS)
	}
}
