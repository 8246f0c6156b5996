// Package build turns a site folder into its output: load the inputs,
// compute the metrics, render every page in parallel into an in-memory
// tree, and write that tree atomically. It also rebuilds incrementally
// for the dev server.
package build

import (
	"time"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Options say what to build.
type Options struct {
	Site    string // site root folder
	Drafts  bool   // include pages with draft = true
	BaseURL string // overrides site.toml's baseURL when set
	// Dev marks a build for the dev server, which serves the site at
	// "/" whatever baseURL says. Pages link relatively and need nothing;
	// the 404 page, served at any depth, links from "/" instead of the
	// base path.
	Dev bool
	// Portable makes the output work opened from disk, as [build]
	// portable = true does (SPEC §11).
	Portable bool
}

// Output is the built site: slash-separated paths relative to the output
// root ("index.html", "journeys/onboarding/index.html") mapped to bytes.
type Output struct {
	Files map[string][]byte
}

// Result is a finished build.
type Result struct {
	Output   *Output
	Site     *model.Site
	Report   *metrics.Report
	Warnings []diag.Diagnostic
	Pages    int
	Charts   int
	Took     time.Duration
	// Rendered lists the output paths this build (re)rendered; on a full
	// build, every page.
	Rendered []string
}
