package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/source/postgres"
	"github.com/touchstone-cx/touchstone/internal/source/pulled"
)

// cmdPull fetches the statistics of database sources (SPEC §10) and
// writes them to data/pulled/<source>.csv, so that the site builds
// where the database is out of reach.
func cmdPull(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("pull", stderr)
	site := fs.String("s", ".", "site folder")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	root := *site
	files, _ := filepath.Glob(filepath.Join(root, "data", "sources", "*.toml"))
	var ids []string
	for _, f := range files {
		ids = append(ids, strings.TrimSuffix(filepath.Base(f), ".toml"))
	}
	want := fs.Args()
	if len(want) == 0 {
		want = ids
		if len(ids) == 0 {
			return &exitError{code: 1, err: errors.New("no database source: data/sources/ has no <id>.toml")}
		}
	}
	for _, id := range want {
		if !slices.Contains(ids, id) {
			return &exitError{code: 2, err: errors.New("pull: " + diag.Unknown("source", id, ids))}
		}
	}
	// The site's journeys and brands name the cells; its other problems
	// are the build's to report, not the pull's. Its data is not read: a
	// pull queries each database once.
	s, _ := load.Structure(root)
	var diags diag.List
	for _, id := range want {
		rel := "data/sources/" + id + ".toml"
		src, err := postgres.Open(root, rel)
		if err != nil {
			diags.Errorf(rel, 0, 0, "%v", err)
			continue
		}
		var d diag.List
		res, prov := src.Fetch(ctx, s, &d)
		diags.Append(&d)
		if d.HasErrors() {
			continue
		}
		var b bytes.Buffer
		if err := pulled.Write(&b, res, prov); err != nil {
			return err
		}
		out := pulled.PathOf(id)
		if err := writeAtomic(filepath.Join(root, filepath.FromSlash(out)), b.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "pulled %s from %s: %d cells, %d segment values → %s (queries: aggregate %s, verbatims %s)\n",
			id, prov.Where, len(res.Data.Cells), len(res.Order), out, src.Took.Aggregate.Round(time.Millisecond), src.Took.Verbatims.Round(time.Millisecond))
	}
	if err := diags.Err(); err != nil {
		return inputErrors(err)
	}
	printDiags(stdout, diags.Items())
	return nil
}

// writeAtomic replaces path with data, never leaving half a file (a
// pull file, a PDF).
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".touchstone-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	os.Chmod(tmp.Name(), 0o644)
	return os.Rename(tmp.Name(), path)
}
