package serve

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
)

// TestFIFOUnderServe is issue 17's hang: a named pipe appearing among
// the inputs blocked every later rebuild (a read of it never returns)
// and Ctrl+C with it. The fake builder reads every page with
// os.ReadFile, as a careless build would: it must never be handed the
// pipe. The server says what is wrong and where, and recovers once the
// pipe is gone; the cleanup checks that Run stops.
func TestFIFOUnderServe(t *testing.T) {
	site := newSite(t, map[string]string{"content/_index.md": "Home v1"})
	r := startServer(t, site, nil)
	events := connectSSE(t, r.url)
	events.hello(t)

	if err := syscall.Mkfifo(filepath.Join(site, "content/pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := events.next(t)
	if ev.name != "build-error" || !strings.Contains(ev.data.HTML, "content/pipe.md") || !strings.Contains(ev.data.HTML, "named pipe") {
		t.Fatalf("event %+v, want build-error naming content/pipe.md", ev)
	}
	// Later saves are seen, and still refused while the pipe is there.
	renameSave(t, site, "content/_index.md", "Home v2")
	waitFor(t, func() bool { return strings.Count(r.out.String(), "named pipe, not a regular file") >= 2 }, "the terminal naming the pipe")
	os.Remove(filepath.Join(site, "content/pipe.md"))
	for ev.name != "reload" {
		ev = events.next(t)
	}
	if _, _, body := get(t, r.url); !strings.Contains(body, "Home v2") || strings.Contains(body, overlayID) {
		t.Errorf("after the pipe is removed:\n%s", body)
	}
}

// TestFIFOAtStart: a pipe already there when serve starts is found
// before the first build.
func TestFIFOAtStart(t *testing.T) {
	site := newSite(t, map[string]string{"content/_index.md": "Home"})
	if err := syscall.Mkfifo(filepath.Join(site, "content/pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(site, "content/zero.md"))
	r := startServer(t, site, nil)
	_, _, body := get(t, r.url)
	for _, want := range []string{"content/pipe.md", "named pipe", "content/zero.md", "character device"} {
		if !strings.Contains(body, want) {
			t.Errorf("first page lacks %q:\n%s", want, body)
		}
	}
}

// blockingBuilder is a build stuck in a read: it ignores its context.
type blockingBuilder struct {
	*fakeBuilder
	blockBuild bool // block the first build too
	entered    chan struct{}
	release    chan struct{}
	once       sync.Once
}

func newBlockingBuilder(site string) *blockingBuilder {
	return &blockingBuilder{fakeBuilder: &fakeBuilder{site: site}, entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (b *blockingBuilder) Build(ctx context.Context) (*build.Result, error) {
	if b.blockBuild {
		b.block()
	}
	return b.fakeBuilder.Build(ctx)
}

func (b *blockingBuilder) Rebuild(ctx context.Context, changed []string) (*build.Result, error) {
	b.block()
	return b.fakeBuilder.Rebuild(ctx, changed)
}

func (b *blockingBuilder) block() {
	b.entered <- struct{}{}
	<-b.release // never before the test ends
}

func (b *blockingBuilder) free() { b.once.Do(func() { close(b.release) }) }

// runServer runs a server as startServer does, with a hand on the
// Server before it runs, and returns a function that stops it and
// reports whether Run returned.
func runServer(t *testing.T, opts Options, tweak func(*Server)) (*Server, func() bool) {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var (
		once     sync.Once
		returned bool
	)
	stop := func() bool {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
				returned = true
			case <-time.After(patience):
			}
		})
		return returned
	}
	t.Cleanup(func() { stop() })
	return s, stop
}

// TestStopWhileBuildStuck: Ctrl+C ends serve whatever a build is doing,
// in the first build and in a rebuild.
func TestStopWhileBuildStuck(t *testing.T) {
	for _, first := range []bool{true, false} {
		site := newSite(t, map[string]string{"content/_index.md": "Home"})
		b := newBlockingBuilder(site)
		b.blockBuild = first
		t.Cleanup(b.free)
		s, stop := runServer(t, Options{Site: site, Builder: b}, nil)
		if !first {
			<-s.Ready()
			renameSave(t, site, "content/_index.md", "Home v2")
		}
		select {
		case <-b.entered:
		case <-time.After(patience):
			t.Fatal("the build did not start")
		}
		if !stop() {
			t.Fatalf("first build %v: Run did not return while a build was stuck", first)
		}
	}
}

// TestStuckBuildReplaced: a build that does not return even when
// cancelled holds its builder; a fresh builder takes over and later
// saves are served.
func TestStuckBuildReplaced(t *testing.T) {
	site := newSite(t, map[string]string{"content/_index.md": "Home v1"})
	stuck := newBlockingBuilder(site)
	t.Cleanup(stuck.free)
	out := &syncBuffer{}
	s, _ := runServer(t, Options{Site: site, Builder: stuck, Out: out,
		NewBuilder: func() Builder { return &fakeBuilder{site: site} }},
		func(s *Server) { s.stuckAfter = 50 * time.Millisecond })
	<-s.Ready()
	url := s.URL()
	renameSave(t, site, "content/_index.md", "Home v2")
	select {
	case <-stuck.entered:
	case <-time.After(patience):
		t.Fatal("the rebuild did not start")
	}
	renameSave(t, site, "content/_index.md", "Home v3")
	waitFor(t, func() bool {
		_, _, body := get(t, url)
		return strings.Contains(body, "Home v3")
	}, "the save after a stuck build to be served")
	if !strings.Contains(out.String(), "starting afresh") {
		t.Errorf("the terminal does not say what happened:\n%s", out)
	}
}

// TestSiteFolderRemovedAndBack is issue 17's lost watch: the site
// folder removed and put back while serving. The terminal says what
// happened, and the edits after it are served.
func TestSiteFolderRemovedAndBack(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	writeFile(t, site, "content/_index.md", "Home v1")
	r := startServer(t, site, func(o *Options) { o.Poll = 20 * time.Millisecond })
	if err := os.RemoveAll(site); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(r.out.String(), "was removed or moved away") }, "the terminal to say the folder is gone")
	waitFor(t, func() bool {
		_, _, body := get(t, r.url)
		return strings.Contains(body, "the site folder "+html.EscapeString(site)+" was removed or moved away")
	}, "the overlay to say the folder is gone")
	writeFile(t, site, "content/_index.md", "Home v2")
	waitFor(t, func() bool {
		_, _, body := get(t, r.url)
		return strings.Contains(body, "Home v2")
	}, "the page of the folder put back")
	renameSave(t, site, "content/_index.md", "Home v3")
	waitFor(t, func() bool {
		_, _, body := get(t, r.url)
		return strings.Contains(body, "Home v3")
	}, "an edit after the folder came back")
}
