package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/diag"
)

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("touchstone "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses a command's flags. -h (or --help) has printed the
// command's usage and ends it with exit 0, as a request for help is no
// error; any other flag error exits 2.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return &exitError{code: 0, err: errors.New("")}
	}
	return &exitError{code: 2, err: errors.New("")}
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", stderr)
	site := fs.String("s", ".", "site folder")
	out := fs.String("o", "", "output folder (default: [build] output of site.toml, or public)")
	drafts := fs.Bool("drafts", false, "include draft pages")
	baseURL := fs.String("base-url", "", "override site.toml's baseURL")
	portable := fs.Bool("portable", false, "make the output work opened from disk (file://): links to …/index.html, the search index embedded")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file` (for `go tool pprof`)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		// A profile of the real command, writing included, is what a slow
		// build report needs; the package benchmarks profile parts.
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// The output folder is checked before anything is built, and from
	// site.toml alone: a build replaces it whole, so it must not be the
	// site, an input folder or somebody's files.
	dir := *out
	if dir == "" {
		cfg, _ := config.Load(*site)
		dir = filepath.Join(*site, cfg.Output)
	}
	if err := build.CheckOutput(*site, dir); err != nil {
		return err
	}
	b := build.New(build.Options{Site: *site, Drafts: *drafts, BaseURL: *baseURL, Portable: *portable})
	b.Version = version()
	res, err := b.Build(ctx)
	// A failed build's list holds its warnings too: printed once, there.
	var list *diag.Errors
	if res != nil && !errors.As(err, &list) {
		printDiags(stderr, res.Warnings)
	}
	if err != nil {
		return inputErrors(err)
	}
	if *out == "" && filepath.Join(*site, res.Site.Config.Output) != dir {
		return fmt.Errorf("site.toml changed during the build: build again")
	}
	var stale *build.StaleError
	if err := res.Output.WriteAtomic(dir); errors.As(err, &stale) {
		fmt.Fprintf(stderr, "warning: %v\n", stale)
	} else if err != nil {
		return fmt.Errorf("writing %s: %w", dir, err)
	}
	fmt.Fprintf(stdout, "built %d pages, %d charts, %d files into %s in %s%s\n", res.Pages, res.Charts, len(res.Output.Files), dir, res.Took.Round(1e5), res.Suppressed())
	return nil
}

func printDiags(w io.Writer, ds []diag.Diagnostic) {
	for _, d := range ds {
		fmt.Fprintln(w, d.Error())
	}
}

// inputErrors turns a failed build into exit 1 with every diagnostic
// printed once.
func inputErrors(err error) error {
	var list *diag.Errors
	if errors.As(err, &list) {
		var errs, warns int
		for _, d := range list.Items {
			if d.Severity == diag.Error {
				errs++
			} else {
				warns++
			}
		}
		return &exitError{code: 1, err: fmt.Errorf("%s\n%d error(s), %d warning(s)", list.Error(), errs, warns)}
	}
	return err
}
