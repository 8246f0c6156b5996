package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/pdf"
)

// cmdPDF builds the site in memory and prints its print document to one
// PDF through headless Chromium.
func cmdPDF(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("pdf", stderr)
	site := fs.String("s", ".", "site folder")
	out := fs.String("o", "report.pdf", "the PDF file to write")
	paper := fs.String("paper", "", "paper size, A4 or Letter (default: [print] paper of site.toml, or A4)")
	drafts := fs.Bool("drafts", false, "include draft pages")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *paper != "" {
		if _, ok := pdf.PaperSize(*paper); !ok {
			return &exitError{code: 2, err: fmt.Errorf("touchstone pdf: unknown paper %q (valid: A4, Letter)", *paper)}
		}
	}
	// Before the build: without a browser there is nothing to print with.
	chrome, err := pdf.FindChrome(os.Getenv, pdf.LookPath)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("touchstone pdf: %w", err)}
	}
	start := time.Now()
	b := build.New(build.Options{Site: *site, Drafts: *drafts})
	b.Version = version()
	res, err := b.Build(ctx)
	if res != nil {
		printDiags(stderr, res.Warnings)
	}
	if err != nil {
		return inputErrors(err)
	}
	p := *paper
	if p == "" {
		p = res.Site.Config.Paper
	}
	doc, err := pdf.Report(ctx, res.Output.Files, pdf.Options{Chrome: chrome, Paper: p, Title: res.Site.Config.Title,
		Date: start.Format("2 January 2006")})
	if err != nil {
		return err
	}
	// Written whole, then renamed: a failed write leaves no half a PDF.
	if err := writeAtomic(*out, doc); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %d KB) in %s\n", *out, p, len(doc)/1024, time.Since(start).Round(time.Millisecond))
	return nil
}
