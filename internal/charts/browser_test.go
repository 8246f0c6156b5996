package charts

import (
	"context"
	"fmt"
	"html"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
)

// chromium finds the browser: $CHROME, else Debian's chromium.

// testPage is a page with every chart type, the vendored ECharts and
// the bootstrap, as a built site serves them, plus just enough CSS for
// the screenshots to look like a page in either scheme.
func testPage(figures map[string]string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>
:root { color-scheme: light dark; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; padding: 16px; background: #fff; color: #1a1a1a; }
main { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
figure.chart { margin: 0; padding: 12px; border: 1px solid #ddd; border-radius: 8px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-canvas { width: 100%; }
details.chart-data { font-size: 13px; }
@media (prefers-color-scheme: dark) {
  body { background: #15171c; color: #e6e6e6; }
  figure.chart { border-color: #333; }
}
</style></head><body><main>
`)
	for _, typ := range Types() {
		b.WriteString(figures[typ])
	}
	b.WriteString(`</main>
<script src="vendor/echarts/echarts.min.js"></script>
<script src="js/charts.js"></script>
</body></html>
`)
	return b.String()
}

// serveTheme writes the page next to copies of the theme's scripts and
// serves the folder on loopback.
func serveTheme(t *testing.T, pages map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	static := filepath.Join("..", "..", "themes", "default", "static")
	for _, rel := range []string{"vendor/echarts/echarts.min.js", "js/charts.js"} {
		data, err := os.ReadFile(filepath.Join(static, rel))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, page := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.FileServer(http.Dir(dir)))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// chartState is what the page reports about one chart container.
type chartState struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Instance bool   `json:"instance"`
	Series   int    `json:"series"`
	Canvas   bool   `json:"canvas"`
	Inked    int    `json:"inked"` // sampled pixels that are not blank
	Aria     string `json:"aria"`
	Rows     [][]struct {
		Text  string `json:"text"`
		Value string `json:"value"`
	} `json:"rows"`
}

// probe inspects every chart: a live instance, series, and ink on the
// canvas (sampled on a grid, as transparent or uniform canvases show
// nothing), and the fallback table's cells.
const probe = `(() => Array.from(document.querySelectorAll('.chart-canvas')).map(el => {
  const inst = window.echarts && echarts.getInstanceByDom(el);
  const canvas = el.querySelector('canvas');
  let inked = 0;
  if (canvas) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    const data = ctx.getImageData(0, 0, w, h).data;
    for (let y = 2; y < h; y += 6) for (let x = 2; x < w; x += 6) {
      if (data[(y * w + x) * 4 + 3] > 0) inked++;
    }
  }
  const fig = el.closest('figure');
  const rows = Array.from(fig.querySelectorAll('details.chart-data tbody tr')).map(tr =>
    Array.from(tr.children).map(td => ({text: td.textContent, value: td.getAttribute('data-value') || ''})));
  return {
    id: el.id, type: fig.getAttribute('data-chart-type'),
    instance: !!inst,
    series: inst ? (inst.getOption().series || []).length : 0,
    canvas: !!canvas, inked: inked, aria: el.getAttribute('aria-label') || '', rows: rows,
  };
}))()`

func TestBrowserRendersEveryChart(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	f := loadFixture(t)
	figures := renderAll(t, f)
	// A second page draws a heatmap whose names are markup, to see that
	// a tooltip shows them as text; a third has no ECharts at all.
	hostile := loadFixture(t)
	const evil = `<img src=x onerror="window.pwned=1">`
	for _, tp := range hostile.site.Journeys[0].Touchpoints {
		tp.Name = evil + tp.Name
	}
	for _, a := range hostile.site.Brands[0].Attributes {
		a.Name = evil + a.Name
	}
	hostileFigures := renderAll(t, hostile)
	noECharts := strings.Replace(testPage(figures), `<script src="vendor/echarts/echarts.min.js"></script>`, "", 1)
	url := serveTheme(t, map[string]string{
		"index.html":   testPage(figures),
		"hostile.html": testPage(hostileFigures),
		"bare.html":    noECharts,
	})

	bctx := browsertest.Start(t, 1280, 900)

	var mu sync.Mutex
	var problems []string
	report := func(s string) { mu.Lock(); problems = append(problems, s); mu.Unlock() }
	go func() {
		for ev, err := range chromedp.Events(bctx, runtime.ConsoleAPICalled) {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				report("console." + string(ev.Type) + ": " + strings.Join(args, " "))
			}
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(bctx, runtime.ExceptionThrown) {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			report("exception: " + msg)
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(bctx, log.EntryAdded) {
			if err != nil {
				return
			}
			if ev.Entry != nil && ev.Entry.Level == log.EntryLevelError {
				report("log: " + ev.Entry.Text + " " + ev.Entry.URL)
			}
		}
	}()

	scheme := func(s string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s}},
			})
			return err
		})
	}
	// Charts animate in; wait until every canvas has ink, then a little
	// longer so the screenshots show the finished drawing.
	settle := chromedp.Poll[bool](`(() => { const els = document.querySelectorAll('.chart-canvas');
		return els.length === 14 && Array.from(els).every(el => { const c = el.querySelector('canvas'); return c && c.width > 0; }); })()`,
		chromedp.WithPollingTimeout(15*time.Second))

	if err := chromedp.Do(bctx, scheme("light"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, settle); err != nil {
		t.Fatalf("charts did not draw: %v", err)
	}
	time.Sleep(1500 * time.Millisecond) // the default animation lasts 1 s
	states, err := chromedp.Run(bctx, chromedp.Evaluate[[]chartState](probe))
	if err != nil {
		t.Fatal(err)
	}
	shot(t, bctx, "/tmp/charts-light.png")
	figureShots(t, bctx, "light")

	// Dark: the bootstrap redraws every chart when the scheme changes.
	if err := chromedp.Do(bctx, scheme("dark")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	dark, err := chromedp.Run(bctx, chromedp.Evaluate[[]chartState](probe))
	if err != nil {
		t.Fatal(err)
	}
	shot(t, bctx, "/tmp/charts-dark.png")
	figureShots(t, bctx, "dark")
	themed, err := chromedp.Run(bctx, chromedp.Evaluate[int](
		`Array.from(document.querySelectorAll('.chart-canvas')).filter(el => el.dataset.chartTheme === 'dark' && echarts.getInstanceByDom(el)).length`))
	if err != nil {
		t.Fatal(err)
	}
	if themed != 14 {
		t.Errorf("%d of 14 charts drawn in the dark theme after the scheme changed", themed)
	}

	// Charts follow their box: one column instead of two doubles the
	// width, and every chart redraws to fit (ResizeObserver, resize).
	fits, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`new Promise(done => {
		document.querySelector('main').style.gridTemplateColumns = '1fr';
		setTimeout(() => done(Array.from(document.querySelectorAll('.chart-canvas')).every(el =>
			Math.abs(echarts.getInstanceByDom(el).getWidth() - el.clientWidth) <= 1 && el.clientWidth > 900)), 500);
	})`, chromedp.EvalAwaitPromise))
	if err != nil || !fits {
		t.Errorf("charts did not follow their boxes to a wider layout (%v)", err)
	}
	// Before printing, charts take the printed page's width, and
	// come back afterwards.
	printed, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`(() => {
		const c = echarts.getInstanceByDom(document.getElementById('chart-1'));
		window.dispatchEvent(new Event('beforeprint'));
		const during = c.getWidth();
		window.dispatchEvent(new Event('afterprint'));
		return [during, c.getWidth(), document.getElementById('chart-1').clientWidth];
	})()`))
	if err != nil || len(printed) != 3 || printed[0] != 680 || printed[1] != printed[2] {
		t.Errorf("print widths (during, after, box) = %v (%v), want 680 then the box", printed, err)
	}

	// A tooltip holds the exact figures, as escaped HTML.
	showTip := `(() => { const el = document.getElementById('chart-1');
		echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
		const tip = Array.from(el.querySelectorAll('div')).find(d => d.innerHTML.includes('<b>'));
		return tip ? tip.innerHTML : ''; })()`
	tipHTML, err := chromedp.Run(bctx, chromedp.Poll[string](showTip, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("no tooltip: %v", err)
	}
	if !strings.Contains(tipHTML, "<b>Radio advert · Be There</b>") || !strings.Contains(tipHTML, "Gap −1.0 (overpromised)") {
		t.Errorf("tooltip = %q", tipHTML)
	}

	if err := chromedp.Do(bctx, chromedp.Navigate(url+"hostile.html")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, settle); err != nil {
		t.Fatalf("hostile page: charts did not draw: %v", err)
	}
	tipHTML, err = chromedp.Run(bctx, chromedp.Poll[string](showTip, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("hostile page: no tooltip: %v", err)
	}
	pwned, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`window.pwned === 1 || document.querySelectorAll('.chart-canvas img').length > 0`))
	if err != nil {
		t.Fatal(err)
	}
	if pwned || !strings.Contains(tipHTML, "&lt;img src=x") {
		t.Errorf("a name became markup: pwned %v, tooltip %q", pwned, tipHTML)
	}

	// Without ECharts every table opens, and nothing fails.
	if err := chromedp.Do(bctx, chromedp.Navigate(url+"bare.html")); err != nil {
		t.Fatal(err)
	}
	open, err := chromedp.Run(bctx, chromedp.Poll[int](
		`document.querySelectorAll('figure.chart-unavailable details.chart-data[open]').length || false`,
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || open != 14 {
		t.Errorf("without ECharts, %d of 14 tables open (%v)", open, err)
	}

	mu.Lock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	mu.Unlock()

	if len(states) != 14 {
		t.Fatalf("found %d chart containers, want 14", len(states))
	}
	rep, _ := f.report("")
	for i, s := range states {
		t.Run(s.Type, func(t *testing.T) {
			if !s.Instance || s.Series == 0 {
				t.Errorf("%s: instance %v, %d series: no live chart", s.ID, s.Instance, s.Series)
			}
			if !s.Canvas || s.Inked < 50 {
				t.Errorf("%s: canvas %v with %d inked samples: blank drawing", s.ID, s.Canvas, s.Inked)
			}
			if d := dark[i]; !d.Instance || d.Inked < 50 {
				t.Errorf("%s in dark scheme: instance %v, %d inked samples", s.ID, d.Instance, d.Inked)
			}
			if s.Aria == "" {
				t.Errorf("%s: no aria-label", s.ID)
			}
			checkTable(t, s, rep)
		})
	}
}

func shot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// figureShots saves one picture per chart into $CHART_SHOTS, when set,
// for a closer look than the whole page gives.
func figureShots(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	dir := os.Getenv("CHART_SHOTS")
	if dir == "" {
		return
	}
	for _, typ := range Types() {
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("figure.chart-"+typ)))
		if err != nil {
			t.Errorf("screenshot of %s: %v", typ, err)
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, typ+"-"+scheme+".png"), png, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// checkTable compares the figures of a chart's fallback table, as the
// browser shows them, with the metrics report: each figure's full value
// (data-value) must be the report's, and its text that value rounded
// to one decimal.
func checkTable(t *testing.T, s chartState, rep *metrics.Report) {
	t.Helper()
	if len(s.Rows) == 0 {
		t.Errorf("%s: empty data table", s.ID)
		return
	}
	for _, row := range s.Rows {
		for _, c := range row {
			if c.Value == "" {
				continue
			}
			v, err := strconv.ParseFloat(c.Value, 64)
			if err != nil {
				t.Errorf("%s: data-value %q: %v", s.ID, c.Value, err)
				continue
			}
			// One decimal, as every figure; shares of R² and
			// correlations with two (figure.Two), percentages with %.
			if got, want := strings.TrimPrefix(c.Text, "+"), strings.TrimPrefix(signed1(v), "+"); got != want && got != strconv.Itoa(int(v)) &&
				got != figure.Two(v) && got != want+"%" {
				t.Errorf("%s: cell shows %q for %v, want %q", s.ID, c.Text, v, want)
			}
		}
	}
	jr := rep.Journeys[0]
	tp := func(id string) *metrics.TouchpointReport {
		for _, r := range jr.Touchpoints {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no touchpoint %q in the report", id)
		return nil
	}
	val := func(row int, col int) float64 {
		c := s.Rows[row][col]
		v, err := strconv.ParseFloat(c.Value, 64)
		if err != nil {
			t.Fatalf("%s: row %d col %d (%q) has no figure", s.ID, row, col, c.Text)
		}
		return v
	}
	find := func(first string) int {
		for i, r := range s.Rows {
			if html.UnescapeString(r[0].Text) == first {
				return i
			}
		}
		t.Fatalf("%s: no row %q", s.ID, first)
		return -1
	}
	eq := func(what string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: %s = %v, report says %v", s.ID, what, got, want)
		}
	}
	switch s.Type {
	case "heatmap":
		// Rows: touchpoint, stage, attribute, promise, experience, gap…
		for i, r := range s.Rows {
			if r[4].Value == "" {
				continue
			}
			for _, tr := range jr.Touchpoints {
				for _, c := range tr.Attributes {
					if touchpointNameOf(tr.ID) == r[0].Text && attrNameOf(c.ID) == r[2].Text {
						eq(fmt.Sprintf("gap of %s/%s", tr.ID, c.ID), val(i, 5), *c.Gap)
						eq(fmt.Sprintf("experience of %s/%s", tr.ID, c.ID), val(i, 4), *c.Experience)
					}
				}
			}
		}
	case "gap":
		r := tp("invoice")
		i := find("First invoice")
		eq("invoice performance", val(i, 3), *r.Performance)
		eq("invoice weighted promise", val(i, 2), *r.Promise)
	case "journey":
		i := find("Ordering app")
		eq("app performance", val(i, 3), *tp("app").Performance)
	case "radar":
		for _, a := range jr.Attributes {
			i := find(attrNameOf(a.ID))
			eq(a.ID+" promise", val(i, 1), *a.Promise)
			if a.Experience != nil {
				eq(a.ID+" experience", val(i, 2), *a.Experience)
			}
		}
	case "ipa":
		i := find("Ordering app")
		eq("app performance", val(i, 3), *tp("app").Performance)
		eq("app importance", val(i, 2), tp("app").Importance)
	case "ecosystem":
		find("Customer service")
	case "sankey":
		i := find("Call centre")
		eq("call centre importance", val(i, 3), tp("call-centre").Importance)
	case "trend":
		for _, p := range jr.Trend {
			eq("alignment in "+p.Wave, val(find(p.Wave), 1), p.Alignment)
		}
	case "consistency":
		for _, a := range jr.Attributes {
			if a.Consistency != nil {
				eq(a.ID+" consistency", val(find(attrNameOf(a.ID)), 7), *a.Consistency)
			}
		}
	case "nps":
		n := tp("call-centre").NPS
		i := find("Call centre")
		eq("call centre NPS", val(i, 2), n.Score)
		eq("call centre n", val(i, 3), float64(n.N))
	case "owners":
		for _, a := range rep.Actors {
			if len(a.Touchpoints) > 0 {
				eq(a.ID+" load", val(find(actorNameOf(a.ID)), 2), a.Load)
			}
		}
	case "scorecard":
		for _, p := range rep.Assessments[0].Pillars {
			i := find(p.Name + " (mean)")
			eq(p.Name+" current", val(i, 2), p.Current)
			eq(p.Name+" target", val(i, 3), p.Target)
		}
	}
}

// Names in the fixture site, to match table rows with report ids.
func touchpointNameOf(id string) string {
	return map[string]string{"ad": "Radio advert", "welcome-pack": "Welcome pack delivery",
		"invoice": "First invoice", "app": "Ordering app", "call-centre": "Call centre"}[id]
}

func attrNameOf(id string) string {
	return map[string]string{"be-there": "Be There", "clarity": "Clarity", "warmth": "Warmth"}[id]
}

func actorNameOf(id string) string {
	return map[string]string{"marketing": "Marketing", "service": "Customer service",
		"courier": "Courier partner", "finance": "Finance"}[id]
}
