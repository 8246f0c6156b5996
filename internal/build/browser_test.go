package build

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"path"
	"sort"
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
)

// serveUnder serves an output tree from memory under a sub-path, as an
// intranet web server would.
func serveUnder(prefix string, files map[string][]byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		b, found := files[p]
		if !found {
			w.WriteHeader(http.StatusNotFound)
			w.Write(files["404.html"])
			return
		}
		if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(b)
	}))
}

// pageURLs lists the site-relative URLs of an output's pages, sorted:
// "" for the home page, "journeys/storm/" and so on.
func pageURLs(files map[string][]byte) []string {
	var pages []string
	for p := range files {
		if strings.HasSuffix(p, "index.html") {
			pages = append(pages, strings.TrimSuffix(p, "index.html"))
		}
	}
	sort.Strings(pages)
	return pages
}

// TestBrowserEveryPageUnderSubPath opens every page of the demo site,
// built for and served under a sub-path, in headless Chromium: nothing
// fails to load, nothing comes from another host, no script errors, and
// every chart is a live ECharts instance.
func TestBrowserEveryPageUnderSubPath(t *testing.T) {
	ctx := browsertest.Start(t, 1280, 900)
	res := buildSite(t, "../..", func(o *Options) { o.BaseURL = "https://intranet.example.com/reports/cx/" })
	srv := serveUnder("/reports/cx/", res.Output.Files)
	defer srv.Close()

	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ConsoleAPICalled) {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				report("console error: %s", strings.Join(args, " "))
			}
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ExceptionThrown) {
			if err != nil {
				return
			}
			report("exception: %s", ev.ExceptionDetails.Text)
		}
	}()
	// Failed loads (404s, other hosts, which this machine's network
	// refuses) show as log entries of level error.
	go func() {
		for ev, err := range chromedp.Events(ctx, log.EntryAdded) {
			if err != nil {
				return
			}
			if ev.Entry != nil && ev.Entry.Level == log.EntryLevelError {
				report("log: %s %s", ev.Entry.Text, ev.Entry.URL)
			}
		}
	}()
	pages := pageURLs(res.Output.Files)
	charts := 0
	for _, p := range pages {
		url := srv.URL + "/reports/cx/" + p
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		want, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("figure.chart .chart-canvas").length`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var live int
		// Charts start after DOMContentLoaded: poll until every canvas
		// holds a live instance that drew something.
		deadline := time.Now().Add(10 * time.Second)
		for {
			live, err = chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("figure.chart .chart-canvas")).filter(el => {
				const c = window.echarts && echarts.getInstanceByDom(el);
				return c && el.querySelector("canvas, svg") && c.getOption().series.length > 0; // svg: the print document
			}).length`))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if live == want || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if live != want {
			t.Errorf("%s: %d of %d charts are live", p, live, want)
		}
		// The chart library (1 MB) loads only where there are charts.
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`performance.getEntriesByType("resource").some(e => e.name.includes("echarts.min.js"))`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if loaded != (want > 0) {
			t.Errorf("%s: %d charts, and the chart library loaded: %v", p, want, loaded)
		}
		charts += live
	}
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	mu.Lock()
	defer mu.Unlock()
	for _, pr := range problems {
		t.Error(pr)
	}
	if charts < 40 || len(pages) < 40 {
		t.Errorf("only %d pages and %d live charts checked", len(pages), charts)
	}
}

// TestBrowserSearch: the client-side index finds pages, touchpoints,
// owners and verbatims, and shows hostile text as text.
func TestBrowserSearch(t *testing.T) {
	ctx := browsertest.Start(t, 1000, 800)
	res := buildSite(t, "../..")
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	for _, tt := range []struct{ q, want string }{
		{"welfare", "Welfare pack for priority customers"},
		{"swiftline", "Swiftline Couriers"},
		{"executive", "Executive summary"},
		{"torch", "Welfare pack for priority customers"}, // a verbatim
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/?q="+tt.q)); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const r = document.querySelectorAll("#search-results li a");
			return r.length ? Array.from(r).map(a => a.textContent).join("|") : false; })()`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("%q: no results: %v", tt.q, err)
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("search %q: got %s, want %s among them", tt.q, got, tt.want)
		}
	}
}

// TestBrowserPhoneWidth opens every page of the demo on a phone's
// screen: the page never scrolls sideways (wide tables scroll within
// themselves), and every chart fits the screen.
func TestBrowserPhoneWidth(t *testing.T) {
	ctx := browsertest.Start(t, 1000, 800)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	res := buildSite(t, "../..")
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	pages := pageURLs(res.Output.Files)
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		// The widest element that is not inside a sideways scroller.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const vw = document.documentElement.clientWidth;
			if (vw > 400) return "viewport " + vw + " px, not a phone's";
			const scrolls = el => { const s = getComputedStyle(el); return s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden"; };
			let worst = "", right = vw + 1;
			for (const el of document.querySelectorAll("main *, header *, footer *")) {
				const r = el.getBoundingClientRect();
				if (r.width === 0 || r.right <= right) continue;
				let p = el.parentElement, inside = false;
				for (; p && p !== document.body; p = p.parentElement) if (scrolls(p)) { inside = true; break; }
				if (!inside) { right = r.right; worst = el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " reaches " + Math.round(r.right) + " px of " + vw; }
			}
			if (document.documentElement.scrollWidth > vw + 1) return "page scrolls sideways to " + document.documentElement.scrollWidth + " px; " + worst;
			return worst;
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got != "" {
			t.Errorf("/%s on a phone: %s", p, got)
		}
		// The menu is one sideways-scrolling line; the current page's
		// entry is in view.
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const menu = document.querySelector(".site-header .menu");
			const cur = menu && menu.querySelector('[aria-current="page"]');
			if (!cur) return false;
			const m = menu.getBoundingClientRect(), c = cur.getBoundingClientRect();
			if (c.width > m.width) return Math.abs(c.left - m.left) > 1; // too long: its start shows
			return c.left < m.left - 1 || c.right > m.right + 1;
		})()`))
		if err != nil {
			t.Fatalf("/%s: %v", p, err)
		}
		if hidden {
			t.Errorf("/%s on a phone: the menu entry of the page is scrolled out of view", p)
		}
		// Charts take their phone layout: radars shrink, long names are
		// truncated, stage bands lose their names.
		layout, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
			const els = Array.from(document.querySelectorAll("figure.chart .chart-canvas"));
			const cs = els.map(el => window.echarts && echarts.getInstanceByDom(el));
			if (cs.some(c => !c)) return false;
			const wrong = [];
			for (const c of cs) {
				const o = c.getOption();
				// A radar of many spokes (a scorecard) shrinks further, for its names.
				const radius = o.radar && o.radar.length && (o.radar[0].indicator.length > 6 ? "32%" : "46%");
				if (radius && o.radar[0].radius !== radius) wrong.push("radar radius " + o.radar[0].radius);
				for (const s of o.series) {
					if (["scatter", "sankey", "graph"].includes(s.type) && s.label && s.label.overflow !== "truncate") wrong.push(s.type + " labels not truncated");
					if (s.type === "line" && s.markArea && s.markArea.label && s.markArea.label.show !== false) wrong.push("stage names on thin bands");
				}
			}
			return wrong.join("; ") || "ok";
		})()`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("/%s: charts not drawn: %v", p, err)
		}
		if layout != "ok" {
			t.Errorf("/%s on a phone: %s", p, layout)
		}
	}
}

// TestBrowserAccessibility runs axe-core's WCAG 2.1 A and AA rules on
// every page of the demo, in the light and the dark scheme: contrast,
// names of links and controls, landmarks, keyboard access to scrolling
// regions, and the rest of what a machine can check.
func TestBrowserAccessibility(t *testing.T) {
	ctx := browsertest.Start(t, 1280, 900)
	res := buildSite(t, "../..")
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	pages := append(pageURLs(res.Output.Files), "404.html", "search/?q=storm") // the search page with results listed
	for _, scheme := range []string{"light", "dark"} {
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if strings.Contains(p, "?q=") {
				// The results come from the index after load.
				if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#search-results li").length > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Fatalf("/%s: no results: %v", p, err)
				}
			}
			problems, err := browsertest.Axe(ctx, "")
			if err != nil {
				t.Fatalf("/%s: %v", p, err)
			}
			for _, pr := range problems {
				t.Errorf("/%s (%s): %s", p, scheme, pr)
			}
		}
	}
}
