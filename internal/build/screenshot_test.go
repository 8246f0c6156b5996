package build

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
)

// TestScreenshots refreshes the README's screenshots of the demo site:
//
//	TOUCHSTONE_SCREENSHOTS=docs/screenshots go test ./internal/build -run Screenshots
//
// (the path is relative to the repository root). Without the variable it
// only checks that the pages can be captured.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TOUCHSTONE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TOUCHSTONE_SCREENSHOTS to a folder to refresh the screenshots")
	}
	ctx := browsertest.Start(t, 1366, 900)
	res := buildSite(t, "../..")
	srv := serveUnder("/", res.Output.Files)
	defer srv.Close()
	shots := []struct{ name, page, scheme string }{
		{"dashboard-light", "journeys/storm/", "light"},
		{"dashboard-dark", "journeys/storm/", "dark"},
		{"touchpoint-light", "journeys/storm/welfare-pack/", "light"},
	}
	for _, s := range shots {
		scheme := chromedp.Func(func(ctx2 context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx2, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s.scheme}},
			})
			return err
		})
		if err := chromedp.Do(ctx, scheme, chromedp.Navigate(srv.URL+"/"+s.page), chromedp.Sleep(2500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("../..", dir, s.name+".png")
		os.MkdirAll(filepath.Dir(out), 0o755)
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
