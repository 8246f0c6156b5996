package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/diag"
)

// tree is a small built site.
func tree() map[string][]byte {
	return map[string][]byte{
		"index.html":                      []byte("<!doctype html><html><body><h1>Home</h1></body></html>"),
		"journeys/onboarding/index.html":  []byte("<html><BODY><p>Onboarding</p></BODY></html>"),
		"css/site.css":                    []byte("body{color:red}"),
		"js/charts.js":                    []byte("console.log(1)"),
		"data/metrics.json":               []byte(`{"a":1}`),
		"img/logo.svg":                    []byte("<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
		"404.html":                        []byte("<html><body>Lost? Custom 404</body></html>"),
		"notes/fragment.html":             []byte("<p>no body element</p>"),
		"notes/has-script/index.html":     []byte(`<html><body>x<script src="/__touchstone/reload.js"></script></body></html>`),
		"notes/body-in-text/index.html":   []byte("<html><body><pre>&lt;/body&gt;</pre><script>var s='</body>'</script>end</body></html>"),
		"static/unknown.bin":              {0, 1, 2, 3},
		"journeys/onboarding/data.json":   []byte(`[]`),
		"search/index.json":               []byte(`[]`),
		"docs/guide.pdf":                  []byte("%PDF-1.4"),
		"fonts/inter.woff2":               []byte("wOF2"),
		"feed/index.xml":                  []byte("<rss/>"),
		"journeys/onboarding/chart.js":    []byte("x"),
		"journeys/onboarding/style.css":   []byte("x"),
		"journeys/onboarding/readme.txt":  []byte("x"),
		"journeys/onboarding/favicon.ico": []byte("x"),
	}
}

// newTestServer returns a Server holding files as its last build, and
// an httptest server in front of its handler.
func newTestServer(t *testing.T, site string, files map[string][]byte) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Options{Site: site, Builder: &fakeBuilder{site: site}})
	if err != nil {
		t.Fatal(err)
	}
	s.apply(&build.Result{Output: &build.Output{Files: files}}, nil, time.Millisecond, "built")
	ts := httptest.NewServer(s.handler)
	t.Cleanup(ts.Close)
	return s, ts
}

func TestLookup(t *testing.T) {
	files := tree()
	for _, tc := range []struct {
		url, name, redirect string
		ok                  bool
	}{
		{"/", "index.html", "", true},
		{"/index.html", "index.html", "", true},
		{"/journeys/onboarding/", "journeys/onboarding/index.html", "", true},
		{"/journeys/onboarding", "", "/journeys/onboarding/", false},
		{"/css/site.css", "css/site.css", "", true},
		{"/css/../css/site.css", "css/site.css", "", true},
		{"/../../etc/passwd", "etc/passwd", "", false},
		{"/missing/", "missing/index.html", "", false},
		{"/missing", "missing", "", false},
	} {
		name, redirect, ok := lookup(files, tc.url)
		if name != tc.name || redirect != tc.redirect || ok != tc.ok {
			t.Errorf("lookup(%q) = %q, %q, %v; want %q, %q, %v", tc.url, name, redirect, ok, tc.name, tc.redirect, tc.ok)
		}
	}
}

func TestContentTypes(t *testing.T) {
	_, ts := newTestServer(t, t.TempDir(), tree())
	for path, want := range map[string]string{
		"/":                                "text/html; charset=utf-8",
		"/journeys/onboarding/":            "text/html; charset=utf-8",
		"/css/site.css":                    "text/css; charset=utf-8",
		"/js/charts.js":                    "text/javascript; charset=utf-8",
		"/data/metrics.json":               "application/json",
		"/img/logo.svg":                    "image/svg+xml",
		"/docs/guide.pdf":                  "application/pdf",
		"/fonts/inter.woff2":               "font/woff2",
		"/feed/index.xml":                  "application/xml",
		"/journeys/onboarding/readme.txt":  "text/plain; charset=utf-8",
		"/journeys/onboarding/favicon.ico": "image/x-icon",
		"/static/unknown.bin":              "application/octet-stream",
		"/__touchstone/reload.js":          "text/javascript; charset=utf-8",
		"/nowhere/":                        "text/html; charset=utf-8",
	} {
		_, ct, _ := get(t, ts.URL+path)
		if ct != want {
			t.Errorf("%s: Content-Type %q, want %q", path, ct, want)
		}
	}
}

func TestInjectOnlyIntoHTML(t *testing.T) {
	files := tree()
	_, ts := newTestServer(t, t.TempDir(), files)
	for _, tc := range []struct {
		path   string
		inject bool
	}{
		{"/", true},
		{"/journeys/onboarding/", true}, // upper-case </BODY>
		{"/notes/fragment.html", true},  // no </body>: appended
		{"/css/site.css", false},
		{"/js/charts.js", false},
		{"/data/metrics.json", false},
		{"/img/logo.svg", false},
		{"/__touchstone/reload.js", false},
	} {
		_, _, body := get(t, ts.URL+tc.path)
		n := strings.Count(body, `<script src="/__touchstone/reload.js"`)
		if tc.inject && n != 1 {
			t.Errorf("%s: %d reload scripts, want 1:\n%s", tc.path, n, body)
		}
		if !tc.inject && strings.Contains(body, "__touchstone/reload.js\"") {
			t.Errorf("%s: reload script injected into a non-HTML response", tc.path)
		}
	}

	// Never twice: a page that has the script keeps its one copy.
	_, _, body := get(t, ts.URL+"/notes/has-script/")
	if n := strings.Count(body, "/__touchstone/reload.js"); n != 1 {
		t.Errorf("page with the script: %d copies, want 1", n)
	}
	// Before the last </body>, not one inside a script or text.
	_, _, body = get(t, ts.URL+"/notes/body-in-text/")
	if !strings.HasSuffix(body, `end<script src="/__touchstone/reload.js" data-gen="1" data-boot="`+bootOf(t, body)+`"></script></body></html>`) {
		t.Errorf("script not before the last </body>:\n%s", body)
	}
	// The built tree itself is never changed.
	for name, b := range files {
		if strings.Contains(string(b), "data-boot") {
			t.Errorf("%s: the served tree was modified", name)
		}
	}
}

func bootOf(t *testing.T, body string) string {
	t.Helper()
	_, after, ok := strings.Cut(body, `data-boot="`)
	if !ok {
		t.Fatalf("no data-boot in %s", body)
	}
	boot, _, _ := strings.Cut(after, `"`)
	return boot
}

func TestInject(t *testing.T) {
	for _, tc := range []struct{ page, want string }{
		{"<body>a</body>", "<body>aX</body>"},
		{"<BODY>a</Body>", "<BODY>aX</Body>"},
		{"<body>'</body>'</body>", "<body>'</body>'X</body>"},
		{"no body", "no bodyX"},
		{"", "X"},
	} {
		if got := string(inject([]byte(tc.page), "X")); got != tc.want {
			t.Errorf("inject(%q) = %q, want %q", tc.page, got, tc.want)
		}
	}
}

func TestNotFoundAndRedirect(t *testing.T) {
	files := tree()
	_, ts := newTestServer(t, t.TempDir(), files)

	status, _, body := get(t, ts.URL+"/no/such/page/")
	if status != http.StatusNotFound || !strings.Contains(body, "Custom 404") || !strings.Contains(body, "/__touchstone/reload.js") {
		t.Errorf("404 with 404.html: %d %q", status, body)
	}
	status, _, _ = get(t, ts.URL+"/__touchstone/nothing")
	if status != http.StatusNotFound {
		t.Errorf("unknown reserved path: %d", status)
	}

	delete(files, "404.html")
	_, ts = newTestServer(t, t.TempDir(), files)
	status, _, body = get(t, ts.URL+"/no/<such>/")
	if status != http.StatusNotFound || !strings.Contains(body, "404 page not found") || strings.Contains(body, "<such>") {
		t.Errorf("plain 404: %d %q", status, body)
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(ts.URL + "/journeys/onboarding?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/journeys/onboarding/?x=1" {
		t.Errorf("folder without slash: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	resp, err = http.Post(ts.URL+"/", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestCaching(t *testing.T) {
	_, ts := newTestServer(t, t.TempDir(), tree())
	resp, err := http.Get(ts.URL + "/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("css: ETag %q, Cache-Control %q", etag, resp.Header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/css/site.css", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", resp.StatusCode)
	}

	resp, err = http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("html Cache-Control %q", resp.Header.Get("Cache-Control"))
	}

	resp, err = http.Head(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength <= 0 {
		t.Errorf("HEAD: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
}

func TestOverlay(t *testing.T) {
	site := newSite(t, map[string]string{
		"data/brands/northwind.toml": "name = \"Northwind\"\n# <b>bold</b>\n\tpromise = oops\nvalues = []\n[[attributes]]\nid = \"x\"\n",
	})
	files := tree()
	s, ts := newTestServer(t, site, files)

	bad := &diag.Errors{Items: []diag.Diagnostic{
		{Path: "data/brands/northwind.toml", Line: 3, Col: 12, Msg: `expected a value, found <script>alert("x")</script>`},
		{Path: "data/brands/northwind.toml", Line: 99, Col: 1, Msg: "past the end"},
		{Path: "../../etc/passwd", Line: 1, Col: 1, Msg: "outside"},
		{Path: "content/x.md", Severity: diag.Warning, Msg: "a warning & more"},
	}}
	s.apply(nil, bad, time.Millisecond, "rebuilt")

	for _, path := range []string{"/", "/journeys/onboarding/", "/no/such/page/", "/notes/fragment.html"} {
		_, _, body := get(t, ts.URL+path)
		if n := strings.Count(body, `id="touchstone-error-overlay"`); n != 1 {
			t.Errorf("%s: %d overlays, want 1", path, n)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s: message not escaped", path)
		}
	}
	_, _, body := get(t, ts.URL+"/")
	for _, want := range []string{
		"<h1>Home</h1>", // the last good build stays
		"data/brands/northwind.toml:3:12",
		"expected a value, found &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
		`  1 | name = &#34;Northwind&#34;`,
		`  2 | # &lt;b&gt;bold&lt;/b&gt;`,
		`&gt; 3 | ` + "\tpromise = oops",
		`    | ` + "\t" + `          ^`, // a tab, then ten blanks: column 12
		`  5 | [[attributes]]`,
		"past the end",
		"a warning &amp; more",
		"Build failed: 3 errors",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("overlay lacks %q:\n%s", want, body)
		}
	}
	for _, unwanted := range []string{"  6 | ", "root:"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("overlay has %q", unwanted)
		}
	}
	// The overlay comes before the script and both before </body>.
	if !strings.Contains(body, `</ol></div><script src="/__touchstone/reload.js"`) {
		t.Errorf("overlay not followed by the script:\n%s", body)
	}

	// The next good build removes it.
	s.apply(&build.Result{Output: &build.Output{Files: files}}, nil, time.Millisecond, "rebuilt")
	_, _, body = get(t, ts.URL+"/")
	if strings.Contains(body, "touchstone-error-overlay") {
		t.Error("overlay still served after a good build")
	}
}

func TestOverlayPlainError(t *testing.T) {
	html := renderOverlay(t.TempDir(), diagnostics(errors.New("template: page.html: <bad>")))
	if !strings.Contains(html, "template: page.html: &lt;bad&gt;") {
		t.Errorf("plain error not shown escaped: %s", html)
	}
}

func TestCaretPad(t *testing.T) {
	for _, tc := range []struct {
		line string
		col  int
		want string
	}{
		{"abc", 1, ""},
		{"abc", 3, "  "},
		{"\tab", 3, "\t "},
		{"é=x", 3, "  "},
		{"ab", 5, "    "},
	} {
		if got := caretPad(tc.line, tc.col); got != tc.want {
			t.Errorf("caretPad(%q, %d) = %q, want %q", tc.line, tc.col, got, tc.want)
		}
	}
}

func TestHub(t *testing.T) {
	h := newHub()
	fast, slow := h.subscribe(), h.subscribe()
	for i := range clientBuffer + 1 {
		h.broadcast(event{name: "reload", data: eventData{Gen: uint64(i)}})
		<-fast
	}
	// The slow client, a full buffer behind, was dropped: its channel
	// drains and closes, and it reconnects.
	n := 0
	for range slow {
		n++
	}
	if n != clientBuffer || h.size() != 1 {
		t.Errorf("slow client got %d events, hub has %d clients", n, h.size())
	}
	h.unsubscribe(slow) // already gone: no panic
	h.close()
	if _, ok := <-fast; ok {
		t.Error("close left a client open")
	}
	if _, ok := <-h.subscribe(); ok {
		t.Error("subscribe after close gave an open channel")
	}
}

func TestRunPortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	site := newSite(t, map[string]string{"content/_index.md": "Home"})
	r := startServer(t, site, func(o *Options) { o.Addr = "127.0.0.1:" + strconv.Itoa(port) })

	if r.url == "http://127.0.0.1:"+strconv.Itoa(port)+"/" {
		t.Fatalf("served on the taken port")
	}
	want := "port " + strconv.Itoa(port) + " in use, serving on " + r.url
	if !strings.Contains(r.out.String(), want) {
		t.Errorf("terminal lacks %q:\n%s", want, r.out)
	}
	if status, _, body := get(t, r.url); status != http.StatusOK || !strings.Contains(body, "Home") {
		t.Errorf("GET %s: %d %s", r.url, status, body)
	}
}

func TestListenDefaults(t *testing.T) {
	if _, _, err := listen("127.0.0.1:http-alt"); err == nil {
		t.Error("named port accepted")
	}
	ln, asked, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if asked != 0 || !strings.HasPrefix(siteURL(ln.Addr()), "http://127.0.0.1:") {
		t.Errorf("listen 127.0.0.1:0: asked %d, url %s", asked, siteURL(ln.Addr()))
	}
	if got := siteURL(&net.TCPAddr{IP: net.IPv4zero, Port: 1313}); got != "http://localhost:1313/" {
		t.Errorf("all interfaces: %s", got)
	}
	if got := siteURL(&net.TCPAddr{IP: net.IPv6loopback, Port: 1313}); got != "http://[::1]:1313/" {
		t.Errorf("ipv6: %s", got)
	}
}

func TestRunOpen(t *testing.T) {
	site := newSite(t, map[string]string{"content/_index.md": "Home"})
	opened := make(chan string, 1)
	r := startServer(t, site, func(o *Options) {
		o.Open = true
		o.OpenBrowser = func(url string) error {
			opened <- url
			return errors.New("no display")
		}
	})
	select {
	case u := <-opened:
		if u != r.url {
			t.Errorf("opened %s, serving %s", u, r.url)
		}
	case <-time.After(patience):
		t.Fatal("browser not opened")
	}
	waitFor(t, func() bool { return strings.Contains(r.out.String(), "could not open a browser (no display)") },
		"failure to open said on the terminal")
}

// TestReloadAfterRebuild checks the order that matters: a page told to
// reload must get the new build. The builder is slow on purpose.
func TestReloadAfterRebuild(t *testing.T) {
	site := newSite(t, map[string]string{
		"content/_index.md":   "Home v1",
		"static/css/site.css": "body{color:red}",
	})
	fb := &fakeBuilder{site: site, delay: 300 * time.Millisecond}
	r := startServer(t, site, func(o *Options) { o.Builder = fb })
	if !strings.Contains(r.out.String(), "built in ") || !strings.Contains(r.out.String(), "(1 page)") {
		t.Errorf("terminal lacks the build line:\n%s", r.out)
	}
	events := connectSSE(t, r.url)
	hello := events.hello(t)
	if hello.data.Boot == "" {
		t.Error("hello without a boot id")
	}

	renameSave(t, site, "content/_index.md", "Home v2")
	ev := events.next(t)
	if ev.name != "reload" || ev.data.Gen <= hello.data.Gen {
		t.Fatalf("event %+v, want reload with a newer generation than %d", ev, hello.data.Gen)
	}
	// No wait here: when the event is out, the new page is served.
	if _, _, body := get(t, r.url); !strings.Contains(body, "Home v2") {
		t.Errorf("reload sent before the rebuild was served:\n%s", body)
	}
	if calls := r.builder.rebuildCalls(); len(calls) == 0 || calls[len(calls)-1][0] != "content/_index.md" {
		t.Errorf("Rebuild calls %v", calls)
	}
	waitFor(t, func() bool { return strings.Contains(r.out.String(), "rebuilt in ") }, "rebuilt line")

	// A stylesheet alone: swapped, not reloaded.
	renameSave(t, site, "static/css/site.css", "body{color:blue}")
	ev = events.next(t)
	if ev.name != "css" || len(ev.data.Paths) != 1 || ev.data.Paths[0] != "css/site.css" {
		t.Fatalf("event %+v, want css for css/site.css", ev)
	}
	if _, _, body := get(t, r.url+"css/site.css"); body != "body{color:blue}" {
		t.Errorf("css event before the new stylesheet was served: %s", body)
	}

	// Broken: pushed to open pages; the old page stays.
	renameSave(t, site, "content/_index.md", "Home v3\nBROKEN here")
	ev = events.next(t)
	if ev.name != "build-error" || !strings.Contains(ev.data.HTML, "content/_index.md:2:1") ||
		strings.Contains(ev.data.HTML, "<script>alert") {
		t.Fatalf("event %+v, want build-error naming content/_index.md:2:1, escaped", ev)
	}
	_, _, body := get(t, r.url)
	if !strings.Contains(body, "Home v2") || !strings.Contains(body, "touchstone-error-overlay") {
		t.Errorf("broken: want the last good page with the overlay:\n%s", body)
	}
	if !strings.Contains(r.out.String(), "content/_index.md:2:1: cannot parse BROKEN") {
		t.Errorf("terminal lacks the error:\n%s", r.out)
	}

	// Fixed: reload, overlay gone. Rebuild is given every change since
	// the last good build.
	renameSave(t, site, "content/about.md", "About")
	renameSave(t, site, "content/_index.md", "Home v4")
	for {
		ev = events.next(t)
		if ev.name == "reload" {
			break
		}
	}
	_, _, body = get(t, r.url)
	if !strings.Contains(body, "Home v4") || strings.Contains(body, "touchstone-error-overlay") {
		t.Errorf("fixed: want the new page without overlay:\n%s", body)
	}
}

func TestRebuildGetsChangesSinceLastGoodBuild(t *testing.T) {
	// Whatever the builder keeps between rebuilds, a failed rebuild must
	// not make it lose a change: while broken, every Rebuild gets all the
	// changes since the last good build.
	site := newSite(t, map[string]string{"content/_index.md": "Home"})
	r := startServer(t, site, nil)
	events := connectSSE(t, r.url)
	events.hello(t)
	// call waits for a Rebuild call, from the from-th on, that was given
	// every path in want, and returns its index and paths.
	call := func(from int, want ...string) (int, map[string]bool) {
		t.Helper()
		var (
			at  int
			got map[string]bool
		)
		waitFor(t, func() bool {
			calls := r.builder.rebuildCalls()
			for i := from; i < len(calls); i++ {
				got = map[string]bool{}
				for _, p := range calls[i] {
					got[p] = true
				}
				all := true
				for _, p := range want {
					all = all && got[p]
				}
				if all {
					at = i
					return true
				}
			}
			return false
		}, fmt.Sprintf("a Rebuild of %v", want))
		return at, got
	}

	renameSave(t, site, "content/b.md", "BROKEN")
	if ev := events.next(t); ev.name != "build-error" {
		t.Fatalf("event %q, want build-error", ev.name)
	}
	n, _ := call(0, "content/b.md")
	renameSave(t, site, "content/c.md", "c")
	n, _ = call(n+1, "content/b.md", "content/c.md")
	renameSave(t, site, "content/b.md", "fixed")
	if ev := events.next(t); ev.name != "reload" {
		t.Fatalf("event %q, want reload", ev.name)
	}
	n, _ = call(n+1, "content/b.md", "content/c.md")
	renameSave(t, site, "content/d.md", "d")
	_, got := call(n+1, "content/d.md")
	if got["content/b.md"] || got["content/c.md"] {
		t.Errorf("after a good build, Rebuild still got earlier changes: %v", got)
	}
}

func TestInitialBuildBroken(t *testing.T) {
	site := newSite(t, map[string]string{"content/_index.md": "Home\nBROKEN"})
	r := startServer(t, site, nil)
	status, _, body := get(t, r.url)
	if status != http.StatusNotFound || !strings.Contains(body, "content/_index.md:2:1") || !strings.Contains(body, "/__touchstone/reload.js") {
		t.Fatalf("broken first build: %d\n%s", status, body)
	}
	events := connectSSE(t, r.url)
	events.hello(t)
	renameSave(t, site, "content/_index.md", "Home fixed")
	if ev := events.next(t); ev.name != "reload" {
		t.Fatalf("event %q, want reload", ev.name)
	}
	if _, _, body := get(t, r.url); !strings.Contains(body, "Home fixed") {
		t.Errorf("after the fix:\n%s", body)
	}
}

func TestRunFailsWithoutSite(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without a site: no error")
	}
	missing := t.TempDir() + "/missing"
	s, err := New(Options{Site: missing, Addr: "127.0.0.1:0", Builder: &fakeBuilder{site: missing}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background()); err == nil {
		t.Error("Run on a missing folder: no error")
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWarningsPrintedWhenChanged(t *testing.T) {
	out := &syncBuffer{}
	s, err := New(Options{Site: t.TempDir(), Builder: &fakeBuilder{}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	warn := func(msgs ...string) *build.Result {
		res := &build.Result{Output: &build.Output{Files: tree()}}
		for _, m := range msgs {
			res.Warnings = append(res.Warnings, diag.Diagnostic{Path: "data/j.toml", Line: 1, Col: 1, Severity: diag.Warning, Msg: m})
		}
		return res
	}
	s.apply(warn("no data"), nil, time.Millisecond, "built")
	s.apply(warn("no data"), nil, time.Millisecond, "rebuilt")
	s.apply(warn("no data", "another"), nil, time.Millisecond, "rebuilt")
	got := out.String()
	if n := strings.Count(got, "data/j.toml:1:1: warning: no data"); n != 2 {
		t.Errorf("warning printed %d times, want 2 (first build, then when the list changed):\n%s", n, got)
	}
	if n := strings.Count(got, " in 1ms ("); n != 3 {
		t.Errorf("%d build lines, want 3:\n%s", n, got)
	}
}
