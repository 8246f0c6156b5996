package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/diag"
)

// fakeBuilder stands in for the real build over a real folder, so that
// the server is tested end to end without depending on the pipeline:
// content/a/b.md becomes a/b/index.html with the file's lines as
// paragraphs, static/ is copied, and a file containing BROKEN fails the
// build at that place.
type fakeBuilder struct {
	site  string
	delay time.Duration // makes a build slow, to catch early reloads

	mu       sync.Mutex
	builds   int
	rebuilds [][]string
}

func (f *fakeBuilder) Build(ctx context.Context) (*build.Result, error) {
	f.mu.Lock()
	f.builds++
	f.mu.Unlock()
	return f.build(ctx)
}

func (f *fakeBuilder) Rebuild(ctx context.Context, changed []string) (*build.Result, error) {
	f.mu.Lock()
	f.rebuilds = append(f.rebuilds, changed)
	f.mu.Unlock()
	return f.build(ctx)
}

func (f *fakeBuilder) build(ctx context.Context) (*build.Result, error) {
	start := time.Now()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	files := map[string][]byte{}
	var (
		list     diag.List
		rendered []string
	)
	content := filepath.Join(f.site, "content")
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(f.site, p)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := string(src)
		if i := strings.Index(text, "BROKEN"); i >= 0 {
			line := strings.Count(text[:i], "\n") + 1
			col := i - strings.LastIndex(text[:i], "\n")
			list.Errorf(rel, line, col, "cannot parse BROKEN <script>alert(1)</script>")
			return nil
		}
		out := strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md")
		switch {
		case out == "_index":
			out = "index.html"
		case path.Base(out) == "_index":
			out = path.Dir(out) + "/index.html"
		default:
			out += "/index.html"
		}
		var body strings.Builder
		for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
			fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(l))
		}
		files[out] = fmt.Appendf(nil, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>"+
			"<link rel=\"stylesheet\" href=\"/css/site.css\"></head>\n<body><main id=\"main\">\n%s</main>\n</body></html>\n",
			html.EscapeString(out), body.String())
		rendered = append(rendered, out)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	static := filepath.Join(f.site, "static")
	err = filepath.WalkDir(static, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(static, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return &build.Result{
		Output:   &build.Output{Files: files},
		Pages:    len(rendered),
		Rendered: rendered,
		Took:     time.Since(start),
	}, nil
}

func (f *fakeBuilder) rebuildCalls() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.rebuilds...)
}

// syncBuffer is the server's terminal, read by the test while the server
// writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// patience bounds every wait; generous, never an assertion of speed.
const patience = 10 * time.Second

// writeFile writes a site file, making its folders.
func writeFile(t *testing.T, site, rel, text string) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// renameSave replaces a file the way vim and JetBrains editors do: write
// a temporary file, rename it over the original. Tests that check what
// follows one save use it: a plain write truncates first, and a stalled
// machine may rebuild the empty file in between, a state of its own.
func renameSave(t *testing.T, site, rel, text string) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := p + ".new"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// newSite writes a small site into a temp folder.
func newSite(t *testing.T, files map[string]string) string {
	t.Helper()
	site := t.TempDir()
	for rel, text := range files {
		writeFile(t, site, rel, text)
	}
	return site
}

// running is a server started with Run over a fake builder.
type running struct {
	srv     *Server
	url     string
	out     *syncBuffer
	builder *fakeBuilder
}

func startServer(t *testing.T, site string, tweak func(*Options)) *running {
	t.Helper()
	fb := &fakeBuilder{site: site}
	out := &syncBuffer{}
	opts := Options{Site: site, Addr: "127.0.0.1:0", Builder: fb, Out: out}
	if tweak != nil {
		tweak(&opts)
	}
	if b, ok := opts.Builder.(*fakeBuilder); ok {
		fb = b
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(patience):
			t.Error("Run did not return after cancel")
		}
	})
	select {
	case <-s.Ready():
	case err := <-done:
		t.Fatalf("Run ended before serving: %v\n%s", err, out)
	case <-time.After(patience):
		t.Fatalf("server not ready\n%s", out)
	}
	return &running{srv: s, url: s.URL(), out: out, builder: fb}
}

// get fetches a URL and returns status, content type and body.
func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b.String()
}

// sse is a test client of the event stream.
type sse struct {
	events chan sseEvent
	cancel context.CancelFunc
}

type sseEvent struct {
	name string
	data eventData
}

func connectSSE(t *testing.T, base string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"__touchstone/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	c := &sse{events: make(chan sseEvent, 64), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(c.events)
		r := bufio.NewReader(resp.Body)
		var ev sseEvent
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data)
			case line == "" && ev.name != "":
				c.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	t.Cleanup(cancel)
	return c
}

// next waits for the next event other than hello.
func (c *sse) next(t *testing.T) sseEvent {
	t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				t.Fatal("event stream ended")
			}
			if ev.name != "hello" {
				return ev
			}
		case <-timeout:
			t.Fatal("no event")
		}
	}
}

// hello waits for the stream's first event.
func (c *sse) hello(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev := <-c.events:
		if ev.name != "hello" {
			t.Fatalf("first event %q, want hello", ev.name)
		}
		return ev
	case <-time.After(patience):
		t.Fatal("no hello")
	}
	return sseEvent{}
}
