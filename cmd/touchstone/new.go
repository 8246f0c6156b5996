package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/scaffold"
)

const newUsage = `Usage:
  touchstone new site DIR                 a small, complete site in a new folder
  touchstone new journey ID [-s SITE]     data/journeys/ID.toml, a page at /journeys/ID/
  touchstone new page PATH  [-s SITE]     content/PATH (.md added when missing)

Nothing is ever overwritten.
`

// cmdNew writes scaffolding: a site, a journey or a page.
func cmdNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, newUsage)
		return &exitError{code: 2, err: errors.New("touchstone new: say what to create: site, journey or page")}
	}
	kind, rest := args[0], args[1:]
	switch kind {
	case "site", "journey", "page":
	case "-h", "--help", "help":
		fmt.Fprint(stdout, newUsage)
		return nil
	default:
		fmt.Fprint(stderr, newUsage)
		return &exitError{code: 2, err: errors.New("touchstone new: " + diag.Unknown("kind", kind, []string{"site", "journey", "page"}))}
	}
	fs := newFlags("new "+kind, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, newUsage) }
	site := fs.String("s", ".", "site folder")
	name, err := parseInterleaved(fs, rest)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, err: fmt.Errorf("touchstone new %s: %w", kind, err)}
	}
	switch kind {
	case "site":
		return newSite(name, stdout)
	case "journey":
		return newJourney(*site, name, stdout)
	default:
		return newPage(*site, name, stdout)
	}
}

// parseInterleaved parses flags given before or after the one positional
// argument ("new journey returns -s mysite" as well as "-s mysite
// returns"), which the flag package alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(pos) {
	case 0:
		return "", errors.New("missing argument (see touchstone new --help)")
	case 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("one argument expected, got %d: %s", len(pos), strings.Join(pos, " "))
}

func newSite(dir string, stdout io.Writer) error {
	files, err := scaffold.Site(dir)
	if err != nil {
		return fmt.Errorf("new site: %w", err)
	}
	fmt.Fprintf(stdout, "created a new site in %s:\n", dir)
	for _, f := range files {
		fmt.Fprintf(stdout, "  %s\n", filepath.Join(dir, filepath.FromSlash(f)))
	}
	fmt.Fprintf(stdout, `
next:
  touchstone serve -s %[1]s     preview it at http://127.0.0.1:1313/, reloading as you edit
  then edit %[2]s (your brand), data/actors.toml, data/journeys/, and
  replace the sample data in data/measures/ and data/responses/;
  content/_index.md lists these steps on the report's home page.
  touchstone check -s %[1]s     lists every problem with file:line:col
`, dir, "data/brands/larkfield.toml")
	return nil
}

func newJourney(site, id string, stdout io.Writer) error {
	info, err := scaffold.Journey(site, id)
	if err != nil {
		return fmt.Errorf("new journey: %w", err)
	}
	fmt.Fprintf(stdout, "created %s (brand %q", filepath.Join(site, filepath.FromSlash(info.Path)), info.Brand.ID)
	if len(info.Actors) == 0 {
		fmt.Fprint(stdout, "; no actors yet, so the touchpoints have no owner")
	}
	fmt.Fprintln(stdout, ")")
	fmt.Fprintf(stdout, `
next:
  rename its stages and touchpoints, set each promise, and add experience
  rows with journey = %q to data/measures/*.csv or data/responses/*.csv.
  touchstone serve%[2]s   shows it at /journeys/%[3]s/
`, id, siteFlag(site), id)
	return nil
}

func newPage(site, path string, stdout io.Writer) error {
	written, url, err := scaffold.Page(site, path, time.Now())
	if err != nil {
		return fmt.Errorf("new page: %w", err)
	}
	fmt.Fprintf(stdout, "created %s\n", filepath.Join(site, filepath.FromSlash(written)))
	fmt.Fprintf(stdout, `
next:
  write it in markdown below the +++ front matter; chart blocks place charts.
  touchstone serve%s   shows it at /%s
`, siteFlag(site), url)
	return nil
}

func siteFlag(site string) string {
	if site == "." || site == "" {
		return ""
	}
	return " -s " + site
}
