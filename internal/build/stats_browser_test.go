package build

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
)

// TestBrowserStatsPages opens /changes/ and a dashboard with the drivers
// chart at a phone's width and a laptop's: nothing reaches past the
// viewport, the drivers chart draws, the marks' words are there for
// screen readers. Screenshots go to $TOUCHSTONE_STATS_SHOTS when set.
func TestBrowserStatsPages(t *testing.T) {
	ctx := browsertest.Start(t, 1366, 900)
	res := buildStats(t)
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	shots := os.Getenv("TOUCHSTONE_STATS_SHOTS")
	for _, width := range []int64{390, 1366} {
		emulate := chromedp.EmulateViewport(width, 900)
		if width < 500 {
			emulate = chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile)
		}
		for _, p := range []string{"changes/", "journeys/help/", "segments/region/north/journeys/help/desk/"} {
			if err := chromedp.Do(ctx, emulate, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
				t.Fatal(err)
			}
			if p == "journeys/help/" {
				drawn := chromedp.Poll[bool](`(() => { const c = document.querySelector('#chart-drivers canvas'); return !!c && c.width > 0; })()`,
					chromedp.WithPollingTimeout(15*time.Second))
				if _, err := chromedp.Run(ctx, drawn); err != nil {
					t.Errorf("%d px: the drivers chart did not draw: %v", width, err)
				}
				time.Sleep(1200 * time.Millisecond) // the animation
			}
			over, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const vw = document.documentElement.clientWidth;
				if (document.documentElement.scrollWidth > vw + 1) return "the page scrolls sideways to " + document.documentElement.scrollWidth + " px";
				const scrolls = el => { const s = getComputedStyle(el); return s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden"; };
				for (const el of document.querySelectorAll("main *")) {
					const r = el.getBoundingClientRect();
					if (r.width === 0 || r.right <= vw + 1) continue;
					let q = el.parentElement, inside = false;
					for (; q && q !== document.body; q = q.parentElement) if (scrolls(q)) { inside = true; break; }
					if (!inside) return el.tagName.toLowerCase() + "." + el.className + " reaches " + Math.round(r.right) + " px of " + vw;
				}
				return "";
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if over != "" {
				t.Errorf("/%s at %d px: %s", p, width, over)
			}
			if p == "changes/" {
				words, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.sig .vh').textContent`))
				if err != nil || words != " significant rise, p < 0.001" {
					t.Errorf("mark's words %q (%v)", words, err)
				}
			}
			if shots != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("%s/%s-%d.png", shots, map[string]string{"changes/": "changes", "journeys/help/": "dashboard",
					"segments/region/north/journeys/help/desk/": "segment-touchpoint"}[p], width)
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
