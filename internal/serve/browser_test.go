package serve

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
)

// browser starts a headless Chromium with a fresh profile and returns a
// tab's context.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, 1000, 700)
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	// Longer than patience: the first navigation also starts a renderer,
	// which takes a while on a loaded machine.
	nctx, cancel := context.WithTimeout(ctx, 3*patience)
	defer cancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
}

// eventually polls a JavaScript condition in the page until it is true.
// Errors while the page reloads are part of waiting.
func eventually(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	var lastErr error
	for {
		ectx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
		if time.Now().After(deadline) {
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			page, _ := chromedp.Run(pctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
			cancel()
			if len(page) > 2000 {
				page = page[:1000] + "\n…\n" + page[len(page)-1000:]
			}
			t.Fatalf("timed out waiting for %s (last error %v); page:\n%s", what, lastErr, page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// do runs a JavaScript statement in the page.
func do(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	ectx, cancel := context.WithTimeout(ctx, patience)
	defer cancel()
	if _, err := chromedp.Run(ectx, chromedp.Evaluate[any](js)); err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
}

// mainHas is JavaScript that says whether the page's main text has s.
func mainHas(s string) string {
	return fmt.Sprintf(`(document.querySelector('#main') || document.body).innerText.includes(%s)`, strconv.Quote(s))
}

// live is JavaScript that says the page's live-reload client is
// connected and up to date: only then is a change certain to reach it as
// an event rather than through a catch-up reload.
const live = `!!(window.__touchstoneLiveReload && window.__touchstoneLiveReload.connected)`

const (
	overlayShown = `!!document.getElementById('touchstone-error-overlay')`
	overlayGone  = `!document.getElementById('touchstone-error-overlay')`
)

func longPage(first string) string {
	var b strings.Builder
	b.WriteString(first + "\n")
	for i := range 150 {
		fmt.Fprintf(&b, "Paragraph %d of a long narrative.\n", i)
	}
	return b.String()
}

// TestBrowserLiveReload drives a real headless Chromium against the
// server over a temp site: every change shows on the open page without
// any action in the browser.
func TestBrowserLiveReload(t *testing.T) {
	ctx := browser(t)
	site := newSite(t, map[string]string{
		"content/_index.md":   "Home v1",
		"content/about.md":    longPage("About v1"),
		"static/css/site.css": "body { color: rgb(1, 2, 3); }",
	})
	r := startServer(t, site, nil)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server terminal:\n%s", r.out)
		}
	})

	navigate(t, ctx, r.url+"about/")
	eventually(t, ctx, "the first page", mainHas("About v1"))
	eventually(t, ctx, "the page to connect", live)

	// A plain write shows without any action, at the same scroll position.
	do(t, ctx, `window.scrollTo(0, 600)`)
	eventually(t, ctx, "the scroll", `window.scrollY === 600`)
	writeFile(t, site, "content/about.md", longPage("About v2"))
	eventually(t, ctx, "the edit", mainHas("About v2"))
	eventually(t, ctx, "the scroll position kept", `window.scrollY === 600`)
	eventually(t, ctx, "the page to reconnect", live)

	// A stylesheet change applies without a full reload: the marker set
	// on the window survives.
	do(t, ctx, `window.__marker = 'kept'`)
	writeFile(t, site, "static/css/site.css", "body { color: rgb(4, 5, 6); }")
	eventually(t, ctx, "the new stylesheet", `getComputedStyle(document.body).color === 'rgb(4, 5, 6)'`)
	eventually(t, ctx, "no reload for css", `window.__marker === 'kept'`)
	eventually(t, ctx, "one stylesheet link left", `document.querySelectorAll('link[rel=stylesheet]').length === 1`)

	// A broken file: the overlay names it, the old content stays, and the
	// message's markup is text, never run. Saved atomically: a plain write
	// truncates first, and a stalled test machine may build the empty
	// file in between, which would rightly become the last good build.
	renameSave(t, site, "content/about.md", "About v3\nBROKEN line")
	eventually(t, ctx, "the overlay", overlayShown+
		` && document.getElementById('touchstone-error-overlay').innerText.includes('content/about.md:2:1')`)
	eventually(t, ctx, "the old content under the overlay", mainHas("About v2"))
	if problems, err := browsertest.Axe(ctx, "#touchstone-error-overlay"); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range problems {
			t.Errorf("error overlay: %s", p)
		}
	}
	eventually(t, ctx, "the message shown as text", `document.getElementById('touchstone-error-overlay').innerText.includes('<script>alert(1)</script>')`+
		` && document.querySelectorAll('#touchstone-error-overlay script').length === 0`)
	eventually(t, ctx, "the overlay on top", `getComputedStyle(document.getElementById('touchstone-error-overlay')).position === 'fixed'`)

	// Dismissible.
	cctx, cancel := context.WithTimeout(ctx, patience)
	err := chromedp.Do(cctx, chromedp.Click(chromedp.CSS(`#touchstone-error-overlay .ts-close`)))
	cancel()
	if err != nil {
		t.Fatalf("click dismiss: %v", err)
	}
	eventually(t, ctx, "the overlay dismissed", overlayGone)

	// Every page served while broken carries it.
	navigate(t, ctx, r.url)
	eventually(t, ctx, "the overlay on another page", overlayShown+` && `+mainHas("Home v1"))
	navigate(t, ctx, r.url+"about/")
	eventually(t, ctx, "the overlay on a fresh load", overlayShown+` && `+mainHas("About v2"))

	// Fixed: the overlay goes and the page shows the fix, no restart.
	writeFile(t, site, "content/about.md", longPage("About v4"))
	eventually(t, ctx, "the fix", overlayGone+` && `+mainHas("About v4"))

	// An editor's rename-save.
	renameSave(t, site, "content/about.md", longPage("About v5"))
	eventually(t, ctx, "the rename-save", mainHas("About v5"))

	// A new page in a new nested folder, watched from its not-found page.
	navigate(t, ctx, r.url+"notes/deep/first/")
	eventually(t, ctx, "the not-found page", mainHas("404 page not found"))
	writeFile(t, site, "content/notes/deep/first.md", "First note")
	eventually(t, ctx, "the new page", mainHas("First note"))
	// And the new folder is watched from then on.
	writeFile(t, site, "content/notes/deep/first.md", "First note, edited")
	eventually(t, ctx, "an edit in the new folder", mainHas("First note, edited"))
}

// TestBrowserReloadsOnlyConcernedPages: an open page stays as it is when
// a change leaves its own file and the site's assets alone, and reloads
// when its file or an asset changes.
func TestBrowserReloadsOnlyConcernedPages(t *testing.T) {
	ctx := browser(t)
	site := newSite(t, map[string]string{
		"content/_index.md": "Home v1",
		"content/about.md":  "About v1",
		"content/other.md":  "Other v1",
		"static/js/x.js":    "var x = 1;",
	})
	r := startServer(t, site, nil)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server terminal:\n%s", r.out)
		}
	})
	navigate(t, ctx, r.url+"about/")
	eventually(t, ctx, "the first page", mainHas("About v1"))
	eventually(t, ctx, "the page to connect", live)
	do(t, ctx, `window.__marker = 'kept'`)

	writeFile(t, site, "content/other.md", "Other v2")
	eventually(t, ctx, "the change elsewhere to be seen and skipped", `window.__touchstoneLiveReload.skipped === 1`)
	eventually(t, ctx, "no reload", `window.__marker === 'kept'`)

	writeFile(t, site, "content/about.md", "About v2")
	eventually(t, ctx, "the page's own edit", mainHas("About v2"))
	eventually(t, ctx, "the page to reconnect", live)

	do(t, ctx, `window.__marker = 'kept'`)
	writeFile(t, site, "static/js/x.js", "var x = 2;")
	eventually(t, ctx, "a reload for a changed script", `window.__marker === undefined`)
	eventually(t, ctx, "the page to reconnect after the script", live)
}

// TestBrowserReconnect restarts the server on the same port: the open
// page reconnects and reloads by itself.
func TestBrowserReconnect(t *testing.T) {
	ctx := browser(t)
	site := newSite(t, map[string]string{"content/_index.md": "Before restart"})

	run := func(addr string) (*Server, func()) {
		s, err := New(Options{Site: site, Addr: addr, Builder: &fakeBuilder{site: site}, Out: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(rctx) }()
		select {
		case <-s.Ready():
		case err := <-done:
			t.Fatalf("Run: %v", err)
		case <-time.After(patience):
			t.Fatal("server not ready")
		}
		return s, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}

	first, stop := run("127.0.0.1:0")
	url := first.URL()
	navigate(t, ctx, url)
	eventually(t, ctx, "the page", mainHas("Before restart"))
	eventually(t, ctx, "the page to connect", live)
	stop()

	// Changed while the server was down: only a reload can show it.
	writeFile(t, site, "content/_index.md", "After restart")
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	_, stop = run(addr)
	defer stop()
	eventually(t, ctx, "the reload after the restart", mainHas("After restart"))
}

// TestBuiltOutputHasNoReloadScript guards the rule that the dev server
// adds its script on the way out only: what the builder made is served
// decorated, and stays as built.
func TestBuiltOutputHasNoReloadScript(t *testing.T) {
	site := newSite(t, map[string]string{"content/_index.md": "Home"})
	fb := &fakeBuilder{site: site}
	res, err := fb.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := startServer(t, site, func(o *Options) { o.Builder = fb })
	if _, _, body := get(t, r.url); !strings.Contains(body, "/__touchstone/reload.js") {
		t.Fatalf("served page lacks the script:\n%s", body)
	}
	for name, b := range res.Output.Files {
		if strings.Contains(string(b), "__touchstone") {
			t.Errorf("%s: built output has the dev server's script", filepath.ToSlash(name))
		}
	}
}
