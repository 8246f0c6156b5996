package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
)

// chartsReady waits until the chart bootstrap says every chart drew.
func chartsReady(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.hasAttribute('data-charts-ready')`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("%s: the charts never finished drawing: %v", page, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestBrowserPrintDocument opens /print/ at 1366 px: a cover, contents
// listing every section, every section present, every chart drawn
// complete as SVG (vectors for print). TOUCHSTONE_SCREENSHOTS=dir also
// saves a screenshot of its top.
func TestBrowserPrintDocument(t *testing.T) {
	ctx := browsertest.Start(t, 1366, 900)
	res := buildSite(t, "../..")
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/print/")); err != nil {
		t.Fatal(err)
	}
	chartsReady(t, ctx, "/print/")
	type facts struct {
		Cover, Contents, Sections, Charts, SVG, Canvas, Empty int
		Titles                                                []string
	}
	f := eval[facts](t, ctx, `(() => {
		const charts = [...document.querySelectorAll('.print-page .chart-canvas')];
		return {
			Cover: document.querySelectorAll('.print-cover h1').length,
			Contents: document.querySelectorAll('.print-contents li a').length,
			Sections: document.querySelectorAll('.print-page').length,
			Charts: charts.length,
			SVG: charts.filter(c => c.querySelector('svg')).length,
			Canvas: charts.filter(c => c.querySelector('canvas')).length,
			Empty: charts.filter(c => !c.querySelector('svg path, svg text')).length,
			Titles: [...document.querySelectorAll('.print-page h1')].map(h => h.textContent.trim()),
		};
	})()`)
	if f.Cover != 1 || f.Contents != f.Sections || f.Sections != 12 {
		t.Errorf("cover %d, contents entries %d, sections %d (want 1, 12, 12)", f.Cover, f.Contents, f.Sections)
	}
	if f.Charts < 33 || f.SVG != f.Charts || f.Canvas != 0 || f.Empty != 0 {
		t.Errorf("%d charts: %d SVG, %d canvas, %d empty", f.Charts, f.SVG, f.Canvas, f.Empty)
	}
	if len(f.Titles) != f.Sections {
		t.Errorf("page titles %q", f.Titles)
	}
	if dir := os.Getenv("TOUCHSTONE_SCREENSHOTS"); dir != "" {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "print-1366.png"), png, 0o644)
	}
}

// TestBrowserChartExport presses each download button of a chart with
// the keyboard and checks what arrives: a PNG, an SVG document and the
// chart's data table as CSV (byte-order mark, quoted cells).
func TestBrowserChartExport(t *testing.T) {
	ctx := browsertest.Start(t, 1366, 900)
	res := buildSite(t, "../..")
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	dir := t.TempDir()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}), chromedp.Navigate(srv.URL+"/journeys/storm/")); err != nil {
		t.Fatal(err)
	}
	chartsReady(t, ctx, "/journeys/storm/")
	if n := eval[int](t, ctx, `document.querySelectorAll('figure.chart .chart-export button').length - 3 * document.querySelectorAll('figure.chart .chart-canvas').length`); n != 0 {
		t.Errorf("charts and download buttons differ by %d", n)
	}
	const fig = `figure.chart-heatmap`
	for _, kind := range []string{"png", "svg", "csv"} {
		sel := fig + ` .chart-export-` + kind
		if err := chromedp.Do(ctx, chromedp.Focus(sel), chromedp.KeyEvent("\r")); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		// The file can appear before Chromium has written it: take it
		// once it has bytes and two reads 100 ms apart agree.
		var got, last []byte
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && got == nil; time.Sleep(100 * time.Millisecond) {
			matches, _ := filepath.Glob(filepath.Join(dir, "*."+kind))
			if len(matches) != 1 {
				continue
			}
			b, _ := os.ReadFile(matches[0])
			if len(b) > 0 && bytes.Equal(b, last) {
				got = b
			}
			last = b
		}
		switch {
		case got == nil:
			t.Errorf("%s: nothing downloaded", kind)
		case kind == "png" && !bytes.HasPrefix(got, []byte("\x89PNG\r\n\x1a\n")):
			t.Errorf("png: not a PNG: %q", got[:min(16, len(got))])
		case kind == "png" && len(got) < 5000:
			t.Errorf("png: only %d bytes", len(got))
		case kind == "svg" && (!bytes.Contains(got, []byte("<svg")) || !bytes.Contains(got, []byte("<text"))):
			t.Errorf("svg: no drawing: %.200s", got)
		case kind == "csv":
			want := eval[string](t, ctx, `[...document.querySelectorAll('`+fig+` details.chart-data thead th')].map(th => th.textContent).join(',')`)
			text := string(got)
			if !strings.HasPrefix(text, "\ufeff"+want+"\r\n") {
				t.Errorf("csv: want a BOM and the header %q, got %.200q", want, text)
			}
			rows := eval[int](t, ctx, `document.querySelectorAll('`+fig+` details.chart-data tr').length`)
			if n := strings.Count(text, "\r\n"); n != rows {
				t.Errorf("csv: %d lines, the table has %d rows", n, rows)
			}
		}
	}
	// The CSV cell quoting, on hostile text.
	got := eval[string](t, ctx, `(() => {
		const t = document.createElement('table');
		t.innerHTML = '<tr><th>a,b</th><td>say "hi"</td><td data-value="-0.4">−0.4</td><td>=1+1</td></tr>';
		return window.touchstoneTableCSV(t);
	})()`)
	if want := "\ufeff\"a,b\",\"say \"\"hi\"\"\",-0.4,'=1+1\r\n"; got != want {
		t.Errorf("csv quoting:\n got %q\nwant %q", got, want)
	}
}

// TestBrowserPortable opens a portable build from disk (file://): the
// charts draw, links lead to pages that exist, and search finds a term
// and links to its page.
func TestBrowserPortable(t *testing.T) {
	ctx := browsertest.Start(t, 1366, 900)
	res := buildSite(t, "../..", func(o *Options) { o.Portable = true })
	dir := filepath.Join(t.TempDir(), "report")
	if err := res.Output.WriteAtomic(dir); err != nil {
		t.Fatal(err)
	}
	root := "file://" + filepath.ToSlash(dir) + "/"
	if err := chromedp.Do(ctx, chromedp.Navigate(root+"index.html")); err != nil {
		t.Fatal(err)
	}
	chartsReady(t, ctx, "index.html")
	// Follow the menu to the journeys list, then a dashboard.
	for _, step := range []struct{ sel, want string }{
		{`.menu a[href$="journeys/index.html"]`, "journeys/index.html"},
		{`main a[href$="storm/index.html"]`, "journeys/storm/index.html"},
	} {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(cctx, chromedp.Click(step.sel))
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", step.sel, err)
		}
		// A navigation replaces the page under a poll: ask again until
		// the new page answers.
		at := ""
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			at, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.href : ''`))
			if strings.HasSuffix(at, "/"+step.want) {
				break
			}
		}
		if !strings.HasSuffix(at, "/"+step.want) {
			t.Fatalf("after %s: at %q", step.sel, at)
		}
	}
	chartsReady(t, ctx, "journeys/storm/")
	if n := eval[int](t, ctx, `[...document.querySelectorAll('.chart-canvas')].filter(c => !echarts.getInstanceByDom(c)).length`); n != 0 {
		t.Errorf("%d charts not drawn from file://", n)
	}
	// Every link of the dashboard names a file.
	links := eval[[]string](t, ctx, `[...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith('file:'))`)
	for _, l := range links {
		p := strings.TrimPrefix(strings.SplitN(strings.SplitN(l, "#", 2)[0], "?", 2)[0], "file://")
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			t.Errorf("link %s: not a file", l)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(root+"search/index.html"), chromedp.SendKeys("#q", "storm")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#search-results li a').length > 0`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("search found nothing from file://: %s", eval[string](t, ctx, `document.getElementById('search-status').textContent`))
	}
	first := eval[string](t, ctx, `document.querySelector('#search-results li a').href`)
	if p := strings.TrimPrefix(first, "file://"); !strings.HasSuffix(p, "index.html") {
		t.Errorf("search result %s does not name a file", first)
	} else if _, err := os.Stat(p); err != nil {
		t.Errorf("search result %s: %v", first, err)
	}
}

// TestBrowserChartsLegible reads every chart's text as ECharts drew it
// (zrender's display list: each text's box, rotation included) on every
// page at a phone's width (390 px), a laptop's (1366 px) and in the
// print document at the paper's width, and fails on text that overlaps
// other text or is cut at the chart's edge: on the demo, and on a site
// with a journey of 24 touchpoints with long names, stages and owners.
func TestBrowserChartsLegible(t *testing.T) {
	check, err := os.ReadFile("testdata/legible.js")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Start(t, 1366, 900)
	for _, site := range []string{"../..", bigJourneySite(t, 24)} {
		res := buildSite(t, site)
		srv := serveUnder("/", res.Output.Files)
		var pages []string
		for _, p := range pageURLs(res.Output.Files) {
			if bytes.Contains(res.Output.Files[p+"index.html"], []byte(`data-chart-for=`)) && p != "print/" {
				pages = append(pages, p)
			}
		}
		if len(pages) < 3 {
			t.Fatalf("%s: only %d pages with charts", site, len(pages))
		}
		type view struct {
			width int64
			print bool
			pages []string
		}
		for _, v := range []view{{390, false, pages}, {1366, false, pages}, {688, true, []string{"print/"}}} {
			media := ""
			if v.print {
				media = "print"
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(v.width, 900), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
				return err
			})); err != nil {
				t.Fatal(err)
			}
			for _, p := range v.pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				chartsReady(t, ctx, p)
				for _, problem := range eval[[]string](t, ctx, string(check)) {
					t.Errorf("%s /%s at %d px%s: %s", res.Site.Config.Title, p, v.width, map[bool]string{true: " (print)"}[v.print], problem)
				}
			}
		}
		srv.Close()
	}
}

// bigJourneySite writes the mini site with one more journey of n
// touchpoints whose names, stages and owners are long, for the
// legibility test.
func bigJourneySite(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/mini-site")); err != nil {
		t.Fatal(err)
	}
	actors := filepath.Join(dir, "data", "actors.toml")
	a, _ := os.ReadFile(actors)
	a = append(a, "\n[[actors]]\nid = \"outsourcer\"\nname = \"Northern Regional Contact-Centre Outsourcing Partner Ltd\"\nkind = \"partner\"\nrole = \"frontstage\"\n"...)
	os.WriteFile(actors, a, 0o644)
	stages := []string{"Finding out what is on offer", "Signing up and moving the account", "Living with the service day to day", "Getting help when something goes wrong"}
	owners := []string{"marketing", "service", "courier", "finance", "outsourcer"}
	var b strings.Builder
	b.WriteString("title = \"Living with the service over a whole year, from first look to renewal\"\nbrand = \"acme\"\npersona = \"owner\"\nstages = [")
	for i, s := range stages {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + s + `"`)
	}
	b.WriteString("]\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[touchpoints]]\nid = \"tp-%d\"\nname = \"Touchpoint %d with a deliberately long and descriptive name\"\nstage = %q\nchannel = \"Phone\"\nowner = %q\nvisibility = \"frontstage\"\nimportance = %d\nemotion = %d\n",
			i, i+1, stages[i*len(stages)/n], owners[i%len(owners)], 1+i%5, i%5-2)
		fmt.Fprintf(&b, "promise = { be-there = %.1f, clarity = %.1f }\nexperience = { be-there = %.1f, clarity = %.1f }\n",
			3.0+float64(i%4)*0.5, 4.5-float64(i%3)*0.5, 1.5+float64(i%7)*0.5, 2.0+float64(i%5)*0.6)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "journeys", "year.toml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
