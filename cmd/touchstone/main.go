// Command touchstone builds brand ↔ customer-experience alignment reports:
// a site folder of markdown, TOML and CSV becomes a static site of
// figures and charts. Each subcommand lives in its own file; this one
// only dispatches and sets the exit code.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitError carries a specific exit code (check's 1 on input errors).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil && ee.err.Error() != "" {
				fmt.Fprintln(os.Stderr, ee.err)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "touchstone:", err)
		os.Exit(1)
	}
}

const usage = `Touchstone builds brand and customer-experience alignment reports.

Usage:
  touchstone build   [-s SITE] [-o OUT] [--drafts] [--base-url URL] [--portable]
  touchstone pdf     [-s SITE] [-o report.pdf] [--paper A4|Letter]
  touchstone serve   [-s SITE] [--addr 127.0.0.1:1313] [--open] [--drafts]
  touchstone check   [-s SITE]
  touchstone metrics [-s SITE] [--json] [--wave W]
  touchstone pull    [-s SITE] [SOURCE...]
  touchstone new site DIR | new journey ID | new page PATH   [-s SITE]
  touchstone survey init EXPORT [-s SITE]
  touchstone version

SITE defaults to the current folder.
`

// run is main without the process: testable with any arguments and
// writers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2, err: errors.New("")}
	}
	switch args[0] {
	case "build":
		return cmdBuild(ctx, args[1:], stdout, stderr)
	case "check":
		return cmdCheck(ctx, args[1:], stdout, stderr)
	case "metrics":
		return cmdMetrics(ctx, args[1:], stdout, stderr)
	case "pdf":
		return cmdPDF(ctx, args[1:], stdout, stderr)
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "pull":
		return cmdPull(ctx, args[1:], stdout, stderr)
	case "new":
		return cmdNew(ctx, args[1:], stdout, stderr)
	case "survey":
		return cmdSurvey(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		return cmdVersion(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return &exitError{code: 2, err: fmt.Errorf("touchstone: unknown command %q", args[0])}
}
