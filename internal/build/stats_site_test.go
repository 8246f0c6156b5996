package build

import (
	"context"
	"fmt"
	"html"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// statsFiles is a small site that exercises every §9 figure a page
// shows: two waves of responses where the help desk's "Be There" rises
// significantly (clarity does not move), a chat whose twelve answers
// are below the base of 30 (its fall is large but never significant,
// its shortfall the largest but never named), and a kiosk with three
// answers that suppress_below = 5 drops with its comment.
func statsFiles() map[string]string {
	var csv strings.Builder
	csv.WriteString("respondent,wave,journey,touchpoint,be-there,clarity,recommend,comment\n")
	id := 0
	row := func(wave, tp string, bt, cl, rec any, comment string) {
		id++
		fmt.Fprintf(&csv, "r%d,%s,help,%s,%v,%v,%v,%s\n", id, wave, tp, bt, cl, rec, comment)
	}
	for i := range 40 {
		row("w1", "desk", []int{2, 3, 3, 4}[i%4], []int{3, 4}[i%2], []int{3, 5, 6, 7, 8}[i%5], "")
		row("w2", "desk", []int{4, 4, 5, 3}[i%4], []int{3, 4}[i%2], []int{9, 10, 8, 9, 6}[i%5], "")
	}
	for i := range 12 {
		row("w1", "chat", []int{4, 5}[i%2], "", "", "")
		row("w2", "chat", []int{1, 2}[i%2], "", "", "")
	}
	for i := range 3 {
		row("w2", "kiosk", 3, 3, 7, fmt.Sprintf("KIOSK-SECRET %d", i))
	}
	return map[string]string{
		"site.toml": "title = \"Stats\"\nbrand = \"acme\"\nwaves = [\"w1\", \"w2\"]\n[stats]\nmin_base = 30\nsuppress_below = 5\n",
		"data/brands/acme.toml": "name = \"Acme\"\npromise = \"There.\"\n[[attributes]]\nid = \"be-there\"\nname = \"Be There\"\n" +
			"[[attributes]]\nid = \"clarity\"\nname = \"Clarity\"\n",
		"data/actors.toml": "[[actors]]\nid = \"service\"\nname = \"Customer Service\"\nkind = \"department\"\nrole = \"frontstage\"\n",
		"data/journeys/help.toml": "title = \"Getting help\"\nstages = [\"Ask\"]\n" +
			"[[touchpoints]]\nid = \"desk\"\nname = \"Help desk\"\nstage = \"Ask\"\nowner = \"service\"\nimportance = 4\npromise = { be-there = 4.5, clarity = 4.5 }\n" +
			"[[touchpoints]]\nid = \"chat\"\nname = \"Web chat\"\nstage = \"Ask\"\nowner = \"service\"\nimportance = 5\npromise = { be-there = 5 }\n" +
			"[[touchpoints]]\nid = \"kiosk\"\nname = \"Kiosk\"\nstage = \"Ask\"\nowner = \"service\"\npromise = { be-there = 4, clarity = 4 }\n",
		"data/responses/help.csv": csv.String(),
		"content/_index.md":       "+++\ntitle = \"Stats\"\n+++\nHome.\n",
		"content/regions.md": "+++\ntitle = \"By region\"\njourney = \"help\"\n+++\n```chart\ntype = \"segments\"\nsegment = \"region\"\ntouchpoint = \"desk\"\nattribute = \"be-there\"\n```\n\n" +
			"```chart\ntype = \"segments\"\nsegment = \"region\"\n```\n",
	}
}

// amendStats adds what no file format gives on this branch: a journey
// and brand NPS in both waves (a significant rise), 40 complete
// key-driver rows, and a segment "region" whose North answers are
// weighted.
func amendStats(site *model.Site) {
	site.JourneyNPS = map[model.JourneyKey]*model.NPSCounts{
		{Wave: "w1", Journey: "help"}: {Promoters: 10, Passives: 10, Detractors: 30},
		{Wave: "w2", Journey: "help"}: {Promoters: 30, Passives: 10, Detractors: 10},
	}
	site.BrandNPS = map[model.BrandKey]*model.NPSCounts{{Wave: "w2", Brand: "acme"}: {Promoters: 20, Passives: 20, Detractors: 10}}
	var rows [][]float64
	for i := range 40 {
		bt, cl := float64(1+i%5), float64(1+(i*2/3)%5)
		rows = append(rows, []float64{bt, cl, math.Min(10, 1.6*bt+0.5*cl+float64(i%3))})
	}
	site.Drivers = map[model.JourneyKey]*model.DriverSums{{Wave: "w2", Journey: "help"}: metrics.DriverRows([]string{"be-there", "clarity", "recommend"}, rows, nil)}
	seg := func(value string, mean float64, n int, neff float64) *model.Segment {
		s := &model.Segment{ID: "region", Value: value, Slug: strings.ToLower(value), Cells: map[model.CellKey]*model.Cell{},
			JourneyNPS: map[model.JourneyKey]*model.NPSCounts{{Wave: "w2", Journey: "help"}: {Promoters: n / 2, Detractors: n / 4, Passives: n - n/2 - n/4}}}
		for _, w := range []string{"w1", "w2"} {
			s.Cells[model.CellKey{Wave: w, Journey: "help", Touchpoint: "desk", Attribute: "be-there"}] = &model.Cell{Mean: mean, N: n, SD: 0.7, HasStats: true, NEff: neff, Weighted: neff > 0}
		}
		return s
	}
	site.Segments = []*model.Segment{seg("North", 4.2, 60, 41.5), seg("South", 3.4, 20, 0)}
}

func buildStats(t *testing.T) *Result {
	t.Helper()
	b := New(Options{Site: writeSite(t, statsFiles())})
	b.amend = amendStats
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// welchP is Welch's two-sided p from raw answers, computed here apart
// from the accumulators the loader and metrics use.
func welchP(a, b []float64) float64 {
	ms := func(x []float64) (m, v float64) {
		for _, y := range x {
			m += y
		}
		m /= float64(len(x))
		for _, y := range x {
			v += (y - m) * (y - m)
		}
		return m, v / float64(len(x)-1)
	}
	m1, v1 := ms(a)
	m2, v2 := ms(b)
	n1, n2 := float64(len(a)), float64(len(b))
	se2 := v1/n1 + v2/n2
	df := se2 * se2 / ((v1/n1)*(v1/n1)/(n1-1) + (v2/n2)*(v2/n2)/(n2-1))
	tt := math.Abs(m2-m1) / math.Sqrt(se2)
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(tt)
}

func cycle(vals []float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = vals[i%len(vals)]
	}
	return out
}

var statsTagRE = regexp.MustCompile(`<[^>]+>`)

func text(s string) string {
	return html.UnescapeString(strings.Join(strings.Fields(statsTagRE.ReplaceAllString(s, " ")), " "))
}

// TestStatsSite builds the site and reads its pages as a reader would.
func TestStatsSite(t *testing.T) {
	res := buildStats(t)
	files := res.Output.Files
	page := func(p string) string {
		t.Helper()
		b, ok := files[p]
		if !ok {
			t.Fatalf("no %s in the output", p)
		}
		return string(b)
	}
	rep := res.Report
	jr := rep.Journey("help")
	desk, chat := jr.Touchpoint("desk"), jr.Touchpoint("chat")

	// The figures behind the pages, against numbers computed apart.
	bt := desk.Attributes[0]
	wantP := welchP(cycle([]float64{2, 3, 3, 4}, 40), cycle([]float64{4, 4, 5, 3}, 40))
	if bt.ID != "be-there" || bt.Change == nil || !bt.Change.Significant || math.Abs(bt.Change.P-wantP) > 1e-9 || math.Abs(bt.Change.Delta-1) > 1e-12 {
		t.Fatalf("desk be-there change = %+v, want significant +1 with p %v", bt.Change, wantP)
	}
	if cl := desk.Attributes[1]; cl.Change == nil || cl.Change.Significant {
		t.Fatalf("desk clarity change = %+v, want one that is not significant", cl.Change)
	}
	cc := chat.Attributes[0]
	if cc.Change == nil || cc.Change.P >= 0.05 || cc.Change.Significant || cc.LowBase == nil || !*cc.LowBase {
		t.Fatalf("chat change = %+v low %v: want p < 0.05, low base, not significant", cc.Change, cc.LowBase)
	}

	// ▲ beside the desk's rise, with p in the title and in words; none
	// beside clarity, which did not move significantly.
	tpPage := page("journeys/help/desk/index.html")
	words := "significant rise, p = " + figure.P(wantP)
	if wantP < 0.001 {
		words = "significant rise, p < 0.001"
	}
	if !strings.Contains(text(tpPage), "4.0 ▲ "+words) {
		t.Errorf("touchpoint page lacks %q", words)
	}
	if n := strings.Count(tpPage, `class="sig `); n != 3 { // be-there, the desk's NPS in the KPI and across waves
		t.Errorf("touchpoint page has %d marks, want 3 (be-there, NPS twice)", n)
	}
	dash := page("journeys/help/index.html")
	if !strings.Contains(dash, `<span class="moved"><span class="sig sig-rise"`) || !strings.Contains(text(dash), words+" Be There") {
		t.Errorf("the journey's touchpoint table does not mark the desk's rise")
	}

	// Low base: the chat is faded with its note, not a largest
	// shortfall (though its −3.5 is the widest gap), not a change.
	chatPage := page("journeys/help/chat/index.html")
	if !strings.Contains(chatPage, `<tr class="low-base">`) || !strings.Contains(chatPage, "n = 12, below the base of 30") {
		t.Error("the chat's low-base row is not faded with its note")
	}
	if !strings.Contains(text(chatPage), "−3.0 p < 0.001, below the base, so never significant") {
		t.Error("the chat's fall does not say why it is not significant")
	}
	if strings.Contains(chatPage, `class="sig `) {
		t.Error("a low-base fall is marked significant")
	}
	home := page("index.html")
	if strings.Contains(home, "Web chat") || !strings.Contains(home, "Help desk") {
		t.Errorf("home shortfalls: want the desk and not the low-base chat:\n%s", text(home))
	}

	// Suppressed: the kiosk's three answers and comments are gone; the
	// summary says how many.
	for p, b := range files {
		if strings.Contains(string(b), "KIOSK-SECRET") {
			t.Errorf("%s shows a suppressed comment", p)
		}
	}
	if got := res.Suppressed(); got != ", 2 cells and 1 NPS suppressed (n < 5)" {
		t.Errorf("summary note %q", got)
	}

	// /changes/: every significant change, largest first, with names
	// and links; the chat's larger fall is not there.
	ch := page("changes/index.html")
	tx := text(ch)
	for _, want := range []string{
		"Help desk Be There +1.0 ▲ " + words + " 3.0 → 4.0",
		"40 Getting help Customer Service",
		"(whole journey) NPS +80.0 ▲",
		"−40.0 → +40.0",
	} {
		if !strings.Contains(tx, want) {
			t.Errorf("changes page lacks %q:\n%s", want, tx)
		}
	}
	// Largest first: the desk's NPS (+100) above the journey's (+80).
	if a, b := strings.Index(tx, "Help desk NPS +100.0"), strings.Index(tx, "(whole journey) NPS +80.0"); a < 0 || b < a {
		t.Errorf("NPS changes not largest first:\n%s", tx)
	}
	if strings.Contains(tx, "Web chat") || strings.Contains(tx, "Clarity") {
		t.Errorf("changes page lists a change that is not significant:\n%s", tx)
	}
	for _, link := range []string{`href="../journeys/help/desk/"`, `href="../actors/service/"`, `href="../journeys/help/"`} {
		if !strings.Contains(ch, link) {
			t.Errorf("changes page has no link %s", link)
		}
	}
	if !strings.Contains(home, `href="./changes/"`) || !strings.Contains(text(home), "significant changes since w1") {
		t.Error("the home page does not link the changes")
	}
	if !strings.Contains(page("sitemap.xml"), "changes/") || !strings.Contains(page("search/index.json"), `"url":"changes/"`) {
		t.Error("the changes page is not in the sitemap and search")
	}

	// Journey and brand NPS KPIs with CI, n and the mark.
	if !strings.Contains(text(dash), "Journey NPS +40.0 ▲ significant rise") || !strings.Contains(dash, "n = 50") {
		t.Errorf("journey NPS KPI missing:\n%s", text(dash)[:400])
	}
	if !strings.Contains(text(page("brands/acme/index.html")), "Brand NPS +20.0") || !strings.Contains(text(home), "Brand NPS +20.0") {
		t.Error("brand NPS KPI missing on the brand or home page")
	}

	// Drivers on the dashboard, R² and n in the subtitle.
	if jr.Drivers == nil || !strings.Contains(dash, `data-chart-type="drivers"`) ||
		!strings.Contains(dash, fmt.Sprintf("R² = %s, n = 40 complete answer rows", figure.Two(jr.Drivers.R2))) {
		t.Error("the dashboard lacks the drivers chart with R² and n")
	}

	// Segments: a page per value, the switcher on both, the chart.
	north := page("segments/region/north/journeys/help/desk/index.html")
	crumbs := north[strings.Index(north, `<nav class="crumbs"`):]
	if crumbs := text(crumbs[:strings.Index(crumbs, "</nav>")]); crumbs != "Home Journeys Getting help Help desk Help desk · North" {
		t.Errorf("segment page crumbs %q", crumbs)
	}
	if !strings.Contains(north, "region = North") || !strings.Contains(north, `aria-current="page">North</a>`) {
		t.Error("North's desk page lacks its banner or current switch")
	}
	if !strings.Contains(tpPage, `<nav class="segment-switch"`) || !strings.Contains(tpPage, `href="../../../segments/region/south/journeys/help/desk/"`) ||
		!strings.Contains(tpPage, `aria-current="page">All respondents</a>`) {
		t.Error("the desk page has no segment switcher")
	}
	if strings.Contains(page("search/index.json"), "segments/region") {
		t.Error("segment pages are in the search index")
	}
	regions := page("regions/index.html")
	if strings.Count(regions, `data-chart-type="segments"`) != 2 || !strings.Contains(regions, `"North","South"`) {
		t.Error("the segments charts are not drawn")
	}
	if checked := checkLinks(t, files); checked == 0 {
		t.Error("no links checked")
	}
}
