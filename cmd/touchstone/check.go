package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/diag"
)

// cmdCheck runs the whole build in memory (every input, page, chart block
// and template) and lists every problem at once; nothing is written.
func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	site := fs.String("s", ".", "site folder")
	drafts := fs.Bool("drafts", true, "check draft pages too")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	res, err := build.New(build.Options{Site: *site, Drafts: *drafts}).Build(ctx)
	if err != nil {
		var list *diag.Errors
		if errors.As(err, &list) {
			for _, d := range list.Items {
				fmt.Fprintln(stdout, d.Error())
			}
			errs := 0
			for _, d := range list.Items {
				if d.Severity == diag.Error {
					errs++
				}
			}
			return &exitError{code: 1, err: fmt.Errorf("%d error(s), %d warning(s)", errs, len(list.Items)-errs)}
		}
		return err
	}
	printDiags(stdout, res.Warnings)
	if len(res.Warnings) > 0 {
		fmt.Fprintf(stdout, "no errors, %d warning(s)\n", len(res.Warnings))
	}
	return nil
}
