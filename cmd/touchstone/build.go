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
	"github.com/touchstone-cx/touchstone/internal/diag"
)

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("touchstone "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", stderr)
	site := fs.String("s", ".", "site folder")
	out := fs.String("o", "", "output folder (default: [build] output of site.toml, or public)")
	drafts := fs.Bool("drafts", false, "include draft pages")
	baseURL := fs.String("base-url", "", "override site.toml's baseURL")
	portable := fs.Bool("portable", false, "make the output work opened from disk (file://): links to …/index.html, the search index embedded")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file` (for `go tool pprof`)")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2, err: errors.New("")}
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
	b := build.New(build.Options{Site: *site, Drafts: *drafts, BaseURL: *baseURL, Portable: *portable})
	b.Version = version()
	res, err := b.Build(ctx)
	if res != nil {
		printDiags(stderr, res.Warnings)
	}
	if err != nil {
		return inputErrors(err)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(*site, res.Site.Config.Output)
	}
	if err := res.Output.WriteAtomic(dir); err != nil {
		return fmt.Errorf("writing %s: %w", dir, err)
	}
	fmt.Fprintf(stdout, "built %d pages, %d charts, %d files into %s in %s\n", res.Pages, res.Charts, len(res.Output.Files), dir, res.Took.Round(1e5))
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
