// Package serve is the dev server: it builds a site, serves the output
// tree from memory, rebuilds when an input changes and live-reloads the
// open pages by server-sent events, showing an error overlay on every
// page while the build is broken.
//
// The reload script and the overlay are added to HTML responses on the
// way out; the built tree itself is never touched, so nothing of the
// dev server can leak into a published build.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/watch"
)

// DefaultAddr is where the server listens unless told otherwise:
// loopback only, Hugo's port.
const DefaultAddr = "127.0.0.1:1313"

// portTries is how many ports after the asked one are tried when it is
// taken.
const portTries = 10

// Builder builds the site; *build.Builder is one. Rebuild gets the
// changed inputs, relative to the site root and slash-separated.
type Builder interface {
	Build(ctx context.Context) (*build.Result, error)
	Rebuild(ctx context.Context, changed []string) (*build.Result, error)
}

// Options configure a Server.
type Options struct {
	// Site is the site root folder. Required.
	Site string
	// Addr is host:port to listen on; DefaultAddr when empty. When the
	// port is taken, the next ones are tried. Port 0 picks a free port.
	Addr string
	// Builder builds the site; NewBuilder() when nil.
	Builder Builder
	// NewBuilder returns a fresh builder: the first one when Builder is
	// nil, and one to take over from a builder whose build does not
	// return even when cancelled (a read of a named pipe never does).
	// build.New(build.Options{Site: Site, Dev: true}) when nil and
	// Builder is nil too; when only Builder is set, a stuck build can
	// only be reported.
	NewBuilder func() Builder
	// Out receives the terminal lines: where the site is served, rebuild
	// times, build errors. Discarded when nil.
	Out io.Writer
	// Open opens the site in the default browser once it is served.
	Open bool
	// OpenBrowser opens a URL; the operating system's opener (xdg-open,
	// open, rundll32) when nil.
	OpenBrowser func(url string) error
	// Output is the build output folder, relative to Site or absolute;
	// it is never watched. "public" when empty.
	Output string
	// Inputs are the top-level entries of Site that are watched;
	// DefaultInputs() when nil.
	Inputs []string
	// Debounce is how long the inputs must stay quiet before a rebuild;
	// watch.DefaultDebounce when zero.
	Debounce time.Duration
	// Poll is how often the site folder is looked for while it is gone;
	// watch.DefaultPoll when zero.
	Poll time.Duration
}

// DefaultInputs are the top-level entries of a site that feed its build
// (SPEC §2). Everything else in the site folder, such as the Go sources
// of a repository that is also a site, is not watched.
func DefaultInputs() []string {
	return []string{"site.toml", "content", "data", "layouts", "static", "themes"}
}

// Server is one dev server. Create it with New and start it with Run.
type Server struct {
	opts    Options
	builder Builder
	out     io.Writer
	boot    string // identifies this process to reconnecting pages
	hub     *hub
	hosts   *hosts
	handler http.Handler

	state atomic.Pointer[snapshot]

	ready chan struct{}
	url   string // set before ready is closed

	// Owned by Run.
	good     bool              // a build has succeeded
	pending  map[string]uint64 // inputs changed since the last good build → the batch that last changed each
	warnings string            // the warnings last printed

	stuckAfter time.Duration // defaultStuckAfter when zero; tests shorten it
	hooks      hooks
}

// hooks let tests see the loop's progress; nil in use.
type hooks struct {
	batch func(watch.Batch) watch.Batch // sees, and may trim, every batch
	idle  func()                        // nothing is being built or waits to be
}

// New returns a Server for opts. It does no I/O: Run builds and listens.
func New(opts Options) (*Server, error) {
	if opts.Site == "" {
		return nil, errors.New("serve: no site folder")
	}
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.Output == "" {
		opts.Output = "public"
	}
	if opts.Inputs == nil {
		opts.Inputs = DefaultInputs()
	}
	if opts.OpenBrowser == nil {
		opts.OpenBrowser = openBrowser
	}
	s := &Server{
		opts:    opts,
		builder: opts.Builder,
		out:     opts.Out,
		boot:    newBootID(),
		hub:     newHub(),
		hosts:   &hosts{named: addrHost(opts.Addr)},
		ready:   make(chan struct{}),
		pending: map[string]uint64{},
	}
	if s.builder == nil && s.opts.NewBuilder == nil {
		s.opts.NewBuilder = func() Builder { return build.New(build.Options{Site: opts.Site, Dev: true}) }
	}
	if s.builder == nil {
		s.builder = s.opts.NewBuilder()
	}
	if s.out == nil {
		s.out = io.Discard
	}
	s.state.Store(&snapshot{})
	s.handler = s.routes()
	return s, nil
}

// Ready is closed once the server listens; URL is valid from then on.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// URL is the address the site is served at, such as
// "http://127.0.0.1:1313/". Empty until Ready is closed.
func (s *Server) URL() string {
	select {
	case <-s.ready:
		return s.url
	default:
		return ""
	}
}

// Run builds the site, serves it and rebuilds on every change until ctx
// is done. Call it once. A build that fails on bad inputs does not stop it: the last
// good build stays served with an error overlay. Run returns nil when
// ctx ends it, or the error that kept it from serving.
//
// Builds run beside the loop that serves and watches, so that nothing a
// build does (a read that never returns, say) keeps Run from ending when
// ctx is done: Run returns without waiting for it.
func (s *Server) Run(ctx context.Context) error {
	// Watch before the first build, so that a save during it is not
	// missed: it becomes the first rebuild.
	w, err := watch.New(watch.Options{
		Root:     s.opts.Site,
		Only:     s.opts.Inputs,
		Ignore:   []string{s.opts.Output},
		Debounce: s.opts.Debounce,
		Poll:     s.opts.Poll,
	})
	if err != nil {
		return err
	}
	defer w.Close()
	l := &loop{s: s, ctx: ctx, builder: s.builder, stuckAfter: s.stuckAfter, special: map[string]string{}}
	if l.stuckAfter == 0 {
		l.stuckAfter = defaultStuckAfter
	}
	l.scanSpecial()

	// The first build, waited for before listening so that the first
	// request finds a site; Ctrl+C still ends it.
	l.start(true)
	for l.running != nil {
		select {
		case <-ctx.Done():
			l.running.cancel()
			return nil
		case o := <-l.running.done:
			if o.err != nil && !isInputError(o.err) && ctx.Err() == nil {
				return fmt.Errorf("build: %w", o.err)
			}
			l.finish(o)
		case <-l.stuckC():
			l.stuck()
		}
	}

	ln, asked, err := listen(s.opts.Addr)
	if err != nil {
		return err
	}
	s.url = siteURL(ln.Addr())
	s.hosts.setListen(ln.Addr())
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		// No WriteTimeout: the event stream stays open.
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if port := ln.Addr().(*net.TCPAddr).Port; asked != 0 && port != asked {
		fmt.Fprintf(s.out, "port %d in use, serving on %s\n", asked, s.url)
	} else {
		fmt.Fprintf(s.out, "serving on %s\n", s.url)
	}
	fmt.Fprintln(s.out, "press Ctrl+C to stop")
	close(s.ready)
	if s.opts.Open {
		if err := s.opts.OpenBrowser(s.url); err != nil {
			fmt.Fprintf(s.out, "could not open a browser (%v): open %s yourself\n", err, s.url)
		}
	}

	defer func() {
		if l.running != nil {
			l.running.cancel() // not waited for: it may never return
		}
		// Event streams never end by themselves: end them first, or
		// Shutdown would wait for them.
		s.hub.close()
		shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if srv.Shutdown(shut) != nil {
			srv.Close()
		}
	}()

	l.idle()
	for {
		var done <-chan outcome
		if l.running != nil {
			done = l.running.done
		}
		select {
		case <-ctx.Done():
			return nil
		case err := <-served:
			return fmt.Errorf("serve: %w", err)
		case err, ok := <-w.Errors():
			if !ok {
				return nil
			}
			// The watcher goes on; the user must know that some change
			// may go unseen, and how to fix it.
			fmt.Fprintln(s.out, err)
		case b, ok := <-w.Batches():
			if !ok {
				return nil
			}
			l.batch(b)
		case o := <-done:
			l.finish(o)
		case <-l.stuckC():
			l.stuck()
		}
	}
}

// apply installs a build's outcome and then tells the open pages. The
// order matters: a page told to reload must fetch the new tree.
func (s *Server) apply(res *build.Result, err error, took time.Duration, verb string) {
	old := s.state.Load()
	if err != nil {
		if s.good {
			fmt.Fprintf(s.out, "build failed, serving the last good build:\n%s\n", err)
		} else {
			fmt.Fprintf(s.out, "build failed:\n%s\n", err)
		}
		next := &snapshot{gen: old.gen + 1, files: old.files, failure: newFailure(s.opts.Site, err)}
		if old.failure != nil && old.failure.html == next.failure.html {
			return // the same errors again: nothing new to show
		}
		s.state.Store(next)
		s.hub.broadcast(event{name: "build-error", data: eventData{Gen: next.gen, HTML: next.failure.html}})
		return
	}

	s.good = true
	var files map[string][]byte
	if res != nil && res.Output != nil {
		// A copy: the builder may update its own map on the next
		// rebuild while this one is being served.
		files = maps.Clone(res.Output.Files)
	}
	if res != nil && res.Took > 0 {
		took = res.Took
	}
	pages := 0
	if res != nil {
		pages = len(res.Rendered)
		if verb == "built" && res.Pages > 0 {
			pages = res.Pages
		}
		// The same warnings on every save would bury the rebuild lines:
		// print them when they change.
		var warnings strings.Builder
		for _, w := range res.Warnings {
			warnings.WriteString(w.Error() + "\n")
		}
		if warnings.String() != s.warnings {
			s.warnings = warnings.String()
			fmt.Fprint(s.out, s.warnings)
		}
	}
	fmt.Fprintf(s.out, "%s in %dms (%s)\n", verb, took.Milliseconds(), plural(pages, "page"))

	changed := diff(old.files, files)
	if len(changed) == 0 && old.failure == nil {
		return // nothing a page could show differently
	}
	next := &snapshot{gen: old.gen + 1, files: files}
	s.state.Store(next)
	if old.failure == nil && onlyCSS(changed, old.files, files) {
		s.hub.broadcast(event{name: "css", data: eventData{Gen: next.gen, Paths: changed}})
		return
	}
	// The changed files go with the reload, so that a page whose own file
	// and assets did not change stays as it is (reload.js decides). After
	// a failure every page reloads, to lose its overlay; after a change
	// to most of the site, the list would only be long.
	ev := eventData{Gen: next.gen}
	if old.failure == nil && len(changed) <= maxReloadPaths {
		ev.Paths = changed
	}
	s.hub.broadcast(event{name: "reload", data: ev})
}

// maxReloadPaths bounds the changed files named in a reload event.
const maxReloadPaths = 500

// isInputError tells a build that failed on bad inputs, which the
// overlay shows, from one that could not run at all.
func isInputError(err error) bool {
	var list *diag.Errors
	var d diag.Diagnostic
	return errors.As(err, &list) || errors.As(err, &d)
}

// diff lists the output paths whose bytes differ between two trees,
// sorted.
func diff(old, new map[string][]byte) []string {
	var changed []string
	for p, b := range new {
		if ob, ok := old[p]; !ok || string(ob) != string(b) {
			changed = append(changed, p)
		}
	}
	for p := range old {
		if _, ok := new[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	return changed
}

// onlyCSS says whether every change is an edit of an existing
// stylesheet, which pages can take without reloading.
func onlyCSS(changed []string, old, new map[string][]byte) bool {
	if len(changed) == 0 {
		return false
	}
	for _, p := range changed {
		_, inOld := old[p]
		_, inNew := new[p]
		if !strings.HasSuffix(p, ".css") || !inOld || !inNew {
			return false
		}
	}
	return true
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// listen listens on addr or, when its port is taken, on one of the next
// ports. It returns the port asked for.
func listen(addr string) (net.Listener, int, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		// "127.0.0.1" or "localhost": the default port.
		host, portText = addr, "1313"
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return nil, 0, fmt.Errorf("serve: bad port in address %q", addr)
	}
	last := min(port+portTries, 65535)
	if port == 0 {
		last = 0
	}
	for p := port; p <= last; p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err == nil {
			return ln, port, nil
		}
		if !inUse(err) {
			return nil, 0, fmt.Errorf("serve: %w", err)
		}
	}
	return nil, 0, fmt.Errorf("serve: ports %d to %d are all in use; choose another with --addr", port, last)
}

func inUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) ||
		strings.Contains(err.Error(), "address already in use") ||
		strings.Contains(err.Error(), "Only one usage of each socket address")
}

// addrHost is the host part of an --addr, lower case, or "" when it is
// an IP address or empty (IP addresses are checked as addresses).
func addrHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if net.ParseIP(host) != nil {
		return ""
	}
	return strings.TrimSuffix(host, ".")
}

// siteURL is the URL to print for a listener: an unspecified host (all
// interfaces) is reached through localhost.
func siteURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port)) + "/"
}

func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; the browser outlives its opener
	return nil
}

// newBootID identifies this server process, so that a page reconnecting
// after a restart knows to reload.
func newBootID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
