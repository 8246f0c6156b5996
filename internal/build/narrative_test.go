package build

import (
	"context"
	"html"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// The demo report's narrative quotes figures only through metric
// references, and its words about them (rose, fell, largest, only) hold
// for the data. Together the two keep every claim in the prose true when
// the data changes: a changed figure is re-quoted by the build, a changed
// direction fails here.

// figureRules find text that looks like a computed figure typed into
// prose. Touchstone shows every computed figure with one decimal (or a
// sign, or as an NPS), so a figure copied from the site carries a decimal
// point, a sign or a percent sign; a bare integer is almost always a
// count, a year, a scale end, a list number or part of a date, and is
// allowed. What remains allowed is listed in allowedFigures.
var figureRules = []struct {
	name string
	re   *regexp.Regexp
}{
	{"a decimal", regexp.MustCompile(`\d[.,]\d`)},
	// A sign before a digit, not inside a word or a range: "+4.3", "−12",
	// "–3", but not "2025-H2" or "0–6".
	{"a signed number", regexp.MustCompile(`(?:^|[^\p{L}\p{N}])[-+−–±]\s?\d`)},
	{"a percentage", regexp.MustCompile(`\d\s?(?:%|per ?cent\b)`)},
	{"a number of points", regexp.MustCompile(`\d\s?(?:points?|pts?)\b`)},
	{"a ratio", regexp.MustCompile(`\d\s?/\s?\d`)},
	{"a sample size", regexp.MustCompile(`\bn\s?=\s?\d`)},
}

// allowedFigures are removed before the rules run: method constants, not
// results. A "95% confidence interval" is how the figures are computed.
var allowedFigures = regexp.MustCompile(`\b95\s?% (?:confidence )?interval`)

// skipped are the elements whose text is not prose: metric references
// (the point), code, and charts with their data tables.
var skipped = regexp.MustCompile(`^(?:figure|pre|code|script|style)$`)

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)

// inline elements join their text to the next without a space.
var inline = map[string]bool{"a": true, "em": true, "strong": true, "span": true, "sup": true, "sub": true, "del": true, "b": true, "i": true}

// proseText is the text of rendered markdown outside metric references,
// code and charts.
func proseText(src string) string {
	var b strings.Builder
	skip, depth := "", 0
	last := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(src, -1) {
		if skip == "" {
			b.WriteString(src[last:m[0]])
		}
		last = m[1]
		closing := src[m[2]:m[3]] == "/"
		name := strings.ToLower(src[m[4]:m[5]])
		attrs := src[m[6]:m[7]]
		switch {
		case skip != "":
			if name == skip && !strings.HasSuffix(attrs, "/") {
				if closing {
					depth--
				} else {
					depth++
				}
				if depth == 0 {
					skip = ""
				}
			}
		case !closing && (skipped.MatchString(name) || name == "span" && strings.Contains(attrs, `class="metric`)):
			skip, depth = name, 1
		case !inline[name]:
			b.WriteByte(' ')
		}
	}
	if skip == "" {
		b.WriteString(src[last:])
	}
	return html.UnescapeString(b.String())
}

// bareFigures lists what in text looks like a typed-in figure.
func bareFigures(text string) []string {
	text = allowedFigures.ReplaceAllString(text, " ")
	var found []string
	for _, r := range figureRules {
		for _, loc := range r.re.FindAllStringIndex(text, -1) {
			from, to := max(loc[0]-30, 0), min(loc[1]+30, len(text))
			for from > 0 && !isRuneStart(text[from]) {
				from--
			}
			for to < len(text) && !isRuneStart(text[to]) {
				to++
			}
			found = append(found, r.name+": …"+strings.Join(strings.Fields(text[from:to]), " ")+"…")
		}
	}
	return found
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }

func TestBareFigureRules(t *testing.T) {
	for _, s := range []string{
		"alignment is 63.2 now", "it rose by +4.3", "a gap of −1.7", "a gap of –1.7", "NPS of -12", "42% of customers",
		"12 per cent", "up 7 points", "scored 81/100", "from 28 answers (n = 28)", "a gap of ± 0.5",
	} {
		if len(bareFigures(s)) == 0 {
			t.Errorf("%q passes as prose", s)
		}
	}
	for _, s := range []string{
		"the 2025-H2 and 2026-H1 waves", "on a 1 to 5 scale", "the 1–5 scale, 0–10 answers, promoters (9–10)", "in 2027",
		"three journeys", "24 to 48 hours ahead", "a 95% confidence interval", "a 95% interval", "Seven actions", "15 June 2026",
	} {
		if f := bareFigures(s); len(f) != 0 {
			t.Errorf("%q flagged: %v", s, f)
		}
	}
	got := proseText(`<p>a <span class="metric" title="x: 63.249">63.2</span> b <code>+1</code> <strong>c</strong>d</p>` +
		`<figure class="chart"><div><table><td>4.5</td></table></div></figure><p>e&amp;f</p>`)
	if strings.Join(strings.Fields(got), " ") != "a b cd e&f" {
		t.Errorf("proseText = %q", got)
	}
}

// TestNarrativeQuotesNoBareFigures builds the demo report and fails on
// any narrative page (the docs aside) with a figure typed into its prose
// instead of quoted through {{< metric … >}}.
func TestNarrativeQuotesNoBareFigures(t *testing.T) {
	b := New(Options{Site: "../.."})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatalf("the repository site does not build: %v", err)
	}
	st := b.last
	var rels []string
	for rel := range st.pageOf {
		if !strings.HasPrefix(rel, "content/docs/") {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	quoted := map[string]int{}
	for _, rel := range rels {
		content := string(st.pages[st.pageOf[rel]].Content)
		quoted[rel] = strings.Count(content, `<span class="metric" title=`)
		for _, f := range bareFigures(proseText(content)) {
			t.Errorf("%s: %s: quote it with {{< metric … >}}", rel, f)
		}
		if strings.Contains(content, "metric-error") || strings.Contains(content, `class="metric-ref"`) {
			t.Errorf("%s has an unresolved metric reference", rel)
		}
	}
	// The pages whose story is told in figures do quote them.
	for _, rel := range []string{"content/_index.md", "content/summary.md", "content/be-there-programme.md", "content/recommendations.md"} {
		if quoted[rel] < 3 {
			t.Errorf("%s quotes %d figures through metric references", rel, quoted[rel])
		}
	}
}

// TestNarrativeClaims holds the demo narrative's words about its figures
// to the data: each check names the page and the claim it guards.
func TestNarrativeClaims(t *testing.T) {
	res := buildSite(t, "../..")
	now, before := res.Report, metrics.Compute(res.Site, "2025-H2")
	if now.Wave != "2026-H1" {
		t.Fatalf("the narrative is written as of 2026-H1, the current wave is %s", now.Wave)
	}
	type tpRef struct{ journey, id string }
	find := func(rep *metrics.Report, j, id string) *metrics.TouchpointReport {
		for _, jr := range rep.Journeys {
			if jr.ID != j {
				continue
			}
			for _, tr := range jr.Touchpoints {
				if tr.ID == id {
					return tr
				}
			}
		}
		t.Fatalf("no touchpoint %s/%s in %s", j, id, rep.Wave)
		return nil
	}
	cellExp := func(tr *metrics.TouchpointReport, attr string) (float64, bool) {
		for _, c := range tr.Attributes {
			if c.ID == attr && c.Experience != nil {
				return *c.Experience, true
			}
		}
		return 0, false
	}
	claim := func(ok bool, page, words string) {
		t.Helper()
		if !ok {
			t.Errorf("%s says %q, and the data no longer does", page, words)
		}
	}

	// The storm journey moved most, and upwards.
	var storm float64
	for _, j := range now.Journeys {
		if j.ID == "storm" && j.Delta != nil {
			storm = *j.Delta
		}
	}
	claim(storm > 0, "be-there-programme.md", "the storm journey's alignment index rose")
	for _, j := range now.Journeys {
		if j.ID != "storm" {
			claim(j.Delta == nil || *j.Delta < storm, "_index.md", "the storm journey moved more in one wave than any journey in the period")
		}
	}

	// The three largest gaps, in order.
	var all []tpRef
	short := map[tpRef]float64{}
	for _, j := range now.Journeys {
		for _, tr := range j.Touchpoints {
			if tr.Shortfall != nil {
				r := tpRef{j.ID, tr.ID}
				all = append(all, r)
				short[r] = *tr.Shortfall
			}
		}
	}
	sort.Slice(all, func(a, b int) bool { return short[all[a]] > short[all[b]] })
	top := []tpRef{{"billing", "quarterly-bill"}, {"billing", "price-change-notice"}, {"storm", "welfare-pack"}}
	claim(len(all) > 3 && slices.Equal(all[:3], top) && short[all[2]] > short[all[3]], "summary.md", "the three largest gaps, ranked by shortfall")

	// Who carries the load.
	load := map[string]float64{}
	owned := map[string]int{}
	for _, a := range now.Actors {
		load[a.ID] = a.Load
		owned[a.ID] = len(a.Touchpoints)
	}
	for id, l := range load {
		if id != "finance" && id != "legal" {
			claim(l < load["legal"] && load["legal"] < load["finance"], "summary.md", "Finance and Legal carry the heaviest loads")
		}
	}
	claim(owned["courier"] == 1 && load["courier"] > load["service"], "summary.md", "Swiftline carries more from a single touchpoint than Customer Service across all of its own")

	// The quarterly bill: most important in its journey, Clarity then Fair.
	bill := find(now, "billing", "quarterly-bill")
	for _, j := range now.Journeys {
		if j.ID == "billing" {
			for _, tr := range j.Touchpoints {
				claim(tr.ID == bill.ID || tr.Importance < bill.Importance, "summary.md", "the bill is the most important touchpoint in its journey")
			}
		}
	}
	gap := func(tr *metrics.TouchpointReport, attr string) float64 {
		for _, c := range tr.Attributes {
			if c.ID == attr && c.Gap != nil {
				return *c.Gap
			}
		}
		t.Fatalf("%s has no gap on %s", tr.ID, attr)
		return 0
	}
	claim(gap(bill, "clarity") < gap(bill, "fair") && gap(bill, "fair") < 0, "summary.md", "promise under strain: Clarity, then Fair")
	notice := find(now, "billing", "price-change-notice")
	claim(gap(notice, "clarity") < gap(notice, "fair") && gap(notice, "fair") < -0.5, "summary.md", "fairness suffers nearly as much as clarity")

	// The welfare pack: the lowest NPS, falling, as Be There fell there alone.
	pack, packBefore := find(now, "storm", "welfare-pack"), find(before, "storm", "welfare-pack")
	for _, j := range now.Journeys {
		for _, tr := range j.Touchpoints {
			if tr.NPS != nil && tr != pack {
				claim(pack.NPS != nil && pack.NPS.Score < tr.NPS.Score, "_index.md", "the welfare pack's NPS is the lowest of any touchpoint")
			}
		}
	}
	var stormNow, stormBefore *metrics.JourneyReport
	for i, j := range now.Journeys {
		if j.ID == "storm" {
			stormNow, stormBefore = j, before.Journeys[i]
		}
	}
	var best string
	bestNPS := -101.0
	for i, tr := range stormNow.Touchpoints {
		prev := stormBefore.Touchpoints[i]
		if tr.NPS != nil && tr.NPS.Score > bestNPS {
			best, bestNPS = tr.ID, tr.NPS.Score
		}
		if tr.NPS != nil && prev.NPS != nil {
			fell := tr.NPS.Score < prev.NPS.Score
			claim(fell == (tr.ID == "welfare-pack"), "be-there-programme.md", "willingness to recommend fell at one touchpoint, the welfare pack")
		}
		e, ok1 := cellExp(tr, "be-there")
		p, ok2 := cellExp(prev, "be-there")
		if ok1 && ok2 {
			claim((e < p) == (tr.ID == "welfare-pack"), "be-there-programme.md", "Be There at the welfare pack fell while it rose everywhere else")
		}
	}
	claim(best == "storm-warning-call", "be-there-programme.md", "willingness to recommend is highest at the storm call itself")
	outage, outageBefore := find(now, "storm", "outage-report"), find(before, "storm", "outage-report")
	claim(outage.NPS != nil && outageBefore.NPS != nil && outage.NPS.Score > outageBefore.NPS.Score, "be-there-programme.md", "willingness to recommend rose at the outage line")
	claim(pack.NPS != nil && packBefore.NPS != nil && pack.NPS.Score < packBefore.NPS.Score, "be-there-programme.md", "NPS fell at the welfare pack")

	// What is working.
	crew := find(now, "storm", "crew-on-site")
	for _, tr := range stormNow.Touchpoints {
		claim(tr == crew || tr.Alignment == nil || *tr.Alignment < *crew.Alignment, "summary.md", "crews on site are the best-regarded part of the storm journey")
	}
	for _, j := range now.Journeys {
		for _, tr := range j.Touchpoints {
			claim((tr.Status == "undersold") == (j.ID == "billing" && tr.ID == "usage-insights"), "summary.md", "usage insights is the one touchpoint where we deliver more than we promise")
		}
	}

	// Significance, as the narrative words it (SPEC §9).
	sig := func(c *metrics.Change) bool { return c != nil && c.Significant }
	cellChange := func(tr *metrics.TouchpointReport, attr string) *metrics.Change {
		for _, c := range tr.Attributes {
			if c.ID == attr {
				return c.Change
			}
		}
		return nil
	}
	claim(sig(cellChange(outage, "be-there")) && cellChange(outage, "be-there").Delta > 0, "be-there-programme.md", "Be There at the outage line: a significant rise")
	claim(sig(outage.NPS.Change) && outage.NPS.Change.Delta > 0, "be-there-programme.md", "NPS at the outage line: a significant rise")
	claim(pack.NPS.Change != nil && !pack.NPS.Change.Significant && pack.NPS.LowBase, "be-there-programme.md", "the welfare pack's NPS fall is not significant and below the base size")
	claim(cellChange(pack, "be-there") != nil && !sig(cellChange(pack, "be-there")), "be-there-programme.md", "the welfare pack's Be There fall is not significant")
	for _, id := range []string{"outage-report", "outage-map", "restoration-updates"} {
		tr := find(now, "storm", id)
		rose := false
		for _, c := range tr.Attributes {
			rose = rose || sig(c.Change) && c.Change.Delta > 0
		}
		claim(rose, "_index.md", "scores rose significantly at the outage line, the outage map and the progress texts ("+id+")")
	}
	for _, tr := range stormNow.Touchpoints {
		three := tr.ID == "outage-report" || tr.ID == "outage-map" || tr.ID == "restoration-updates"
		for _, c := range tr.Attributes {
			if c.Change == nil {
				continue
			}
			claim(!three || sig(c.Change) && c.Change.Delta > 0, "be-there-programme.md", "every score at the outage line, the outage map and the progress texts rose significantly ("+tr.ID+" "+c.ID+")")
			claim(!sig(c.Change) || c.Change.Delta > 0, "be-there-programme.md", "no score of the storm journey fell significantly ("+tr.ID+" "+c.ID+")")
		}
	}

	// Relationship NPS, key drivers and regions (SPEC §9), as the home
	// page words them.
	journeyOf := func(rep *metrics.Report, id string) *metrics.JourneyReport {
		for _, j := range rep.Journeys {
			if j.ID == id {
				return j
			}
		}
		t.Fatalf("no journey %s in %s", id, rep.Wave)
		return nil
	}
	upNotSig := func(n *metrics.NPSReport) bool {
		return n != nil && n.Change != nil && n.Change.Delta > 0 && !n.Change.Significant
	}
	claim(len(now.Brands) == 1 && upNotSig(now.Brands[0].NPS), "_index.md", "the brand's NPS is up, but not significantly")
	billing := journeyOf(now, "billing")
	claim(upNotSig(billing.NPS), "_index.md", "the billing NPS is up too, and not significant either")
	claim(sig(journeyOf(now, "storm").NPS.Change) && journeyOf(now, "storm").NPS.Change.Delta > 0, "_index.md", "customers who had a storm power cut: a significant rise")
	for _, j := range now.Journeys {
		claim(j.ID == "storm" || j.NPS == nil || !sig(j.NPS.Change), "_index.md", "only customers who had a storm power cut moved significantly ("+j.ID+")")
	}
	d := billing.Drivers
	claim(d != nil && d.N > 100 && d.N < 150, "_index.md", "drivers from plan customers only, a little over a hundred of them")
	if d != nil {
		share := map[string]float64{}
		var order []string
		for _, a := range d.Attributes {
			if a.Share != nil {
				share[a.ID] = *a.Share
				order = append(order, a.ID)
			}
		}
		sort.Slice(order, func(a, b int) bool { return share[order[a]] > share[order[b]] })
		claim(len(order) == 4 && order[0] == "be-there" && order[1] == "clarity" && order[3] == "fair", "_index.md", "Be There explains the largest share, then Clarity; Fair the least")
	}
	plan := find(now, "billing", "payment-plan")
	for _, c := range plan.Attributes {
		if c.ID == "clarity" {
			claim(c.Promise == nil && c.Experience != nil, "_index.md", "Clarity, which the plan does not even promise")
		}
	}
	var wales, others []*metrics.JourneyReport
	for _, sg := range now.Segments {
		if sg.Segment != "region" {
			continue
		}
		for _, j := range sg.Journeys {
			if j.ID == "billing" {
				if sg.Value == "Wales" {
					wales = append(wales, j)
				} else {
					others = append(others, j)
				}
			}
		}
	}
	claim(len(wales) == 1 && len(others) == 2, "_index.md", "the three regions")
	if len(wales) == 1 {
		w := wales[0]
		for _, o := range others {
			claim(w.NPS != nil && o.NPS != nil && w.NPS.Score < o.NPS.Score, "_index.md", "Wales gives the lowest billing score of the three regions")
			claim(w.NPS != nil && o.NPS != nil && w.NPS.CI[1] > o.NPS.CI[0] && o.NPS.CI[1] > w.NPS.CI[0], "_index.md", "Wales' interval overlaps the others'")
		}
		for _, tr := range w.Touchpoints {
			if tr.ID != "payment-plan" {
				continue
			}
			for _, c := range tr.Attributes {
				claim(c.LowBase != nil && *c.LowBase, "_index.md", "in Wales fewer plan customers answered than the base size ("+c.ID+")")
			}
		}
	}
}
