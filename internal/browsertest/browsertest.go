// Package browsertest starts a real headless Chromium for tests, so that
// what a person sees (live charts, reloads, overlays) is tested as seen.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// ChromePath finds a Chromium: $CHROME, /usr/bin/chromium, or one in PATH.
func ChromePath() string {
	if p := os.Getenv("CHROME"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Need returns the Chromium to test with. Without one (or in -short
// mode) the test is skipped; under CI=true a missing Chromium fails it,
// so CI never passes by skipping what it was meant to test.
func Need(t testing.TB) string {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test skipped in -short mode")
	}
	path := ChromePath()
	if path == "" {
		msg := "no Chromium found: set $CHROME or install chromium (apt-get install chromium); .ci/run installs it"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// Tool returns the path of a command-line program a test needs (such as
// poppler-utils' pdftoppm), skipping the test without it, or failing it
// under CI=true.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " not found: apt-get install " + pkg + " (.ci/run installs it)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// Start starts a headless Chromium with a fresh profile and returns a
// tab's context; the browser stops when the test ends. Without a
// Chromium the test is skipped, except under CI=true, where it fails
// (.ci/run installs Debian's).
func Start(t testing.TB, width, height int) context.Context {
	t.Helper()
	path := Need(t)
	profile := t.TempDir()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Without these, Chromium calls home at start; this machine's
		// network refuses it and the noise hides real failures.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		// Screenshots and pixel checks see the same colours everywhere.
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(profile),
	)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit, before the profile goes
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}
