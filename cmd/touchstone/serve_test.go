package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/scaffold"
)

// serveChild is set in the environment of the process
// TestServeStopsOnSignal starts: it runs "touchstone serve" on that site.
const serveChild = "TOUCHSTONE_TEST_SERVE_SITE"

// TestServeStopsOnSignal is issue 17's deaf server, as a user meets it:
// a named pipe appears among the inputs of a running "touchstone
// serve", then Ctrl+C (SIGINT) or SIGTERM must end the process.
func TestServeStopsOnSignal(t *testing.T) {
	if site := os.Getenv(serveChild); site != "" {
		os.Args = []string{"touchstone", "serve", "-s", site, "--addr", "127.0.0.1:0"}
		main()
		return
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		site := filepath.Join(t.TempDir(), "site")
		if _, err := scaffold.Site(site); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestServeStopsOnSignal$")
		cmd.Env = append(os.Environ(), serveChild+"="+site)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		wait := func(what string) {
			t.Helper()
			for lines.Scan() {
				if strings.Contains(lines.Text(), what) {
					return
				}
			}
			t.Fatalf("the server never printed %q", what)
		}
		wait("serving on")
		if err := syscall.Mkfifo(filepath.Join(site, "data/measures/pipe.csv"), 0o644); err != nil {
			t.Fatal(err)
		}
		wait("named pipe")
		cmd.Process.Signal(sig)
		go func() {
			for lines.Scan() {
			}
		}()
		if err := cmd.Wait(); err != nil {
			t.Errorf("%v: the server did not end cleanly: %v", sig, err)
		}
		if ctx.Err() != nil {
			t.Errorf("%v: the server had to be killed", sig)
		}
	}
}
