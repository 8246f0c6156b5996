package build

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/fsread"
)

// copyStatic adds the site's static/ folder to the output as is.
// Symbolic links are followed, to folders too; only regular files are
// copied (see fsread).
func copyStatic(root string, out map[string][]byte) error {
	err := fsread.Walk(filepath.Join(root, "static"), func(rel, p string) error {
		b, err := fsread.ReadFile(p, fsread.StaticLimit)
		if err != nil {
			return &fsread.WalkError{Rel: rel, Err: err}
		}
		out[rel] = b
		return nil
	})
	var we *fsread.WalkError
	if errors.As(err, &we) {
		return &diag.Errors{Items: []diag.Diagnostic{{Path: path.Join("static", we.Rel), Msg: we.Err.Error(), Severity: diag.Error}}}
	}
	return err
}

// Paths returns the output's file paths, sorted.
func (o *Output) Paths() []string {
	ps := make([]string, 0, len(o.Files))
	for p := range o.Files {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// WriteAtomic writes the output tree to dir so that dir only ever holds
// a complete build: everything goes to a temporary sibling folder, which
// then replaces dir with two renames. A failure at any point leaves the
// previous dir as it was and removes the temporary folder. dir must be
// absent, empty or an earlier build (see CheckOutput, which also checks
// dir against the site); the build leaves the Marker file in it.
// Temporary folders of earlier builds that were killed are removed
// first. When the new build is in place but the previous one cannot be
// removed, the error is a *StaleError.
func (o *Output) WriteAtomic(dir string) error {
	return o.writeAtomic(dir, os.RemoveAll)
}

// writeAtomic is WriteAtomic with the removal of folders given, so tests
// can make it fail where permissions cannot (as root).
func (o *Output) writeAtomic(dir string, remove func(string) error) (err error) {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := checkReplaceable(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	if err := cleanLeftovers(dir, remove); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	placed := false
	defer func() {
		if err != nil && !placed {
			remove(tmp)
		}
	}()
	paths := o.Paths()
	full := make(map[string]string, len(paths))
	dirs := map[string]bool{}
	for _, p := range paths {
		// Output paths come from ids validated as slugs and from content
		// file names; refuse anything that could climb out all the same.
		clean := filepath.Clean(filepath.FromSlash(p))
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
			return fmt.Errorf("refusing to write %q outside the output folder", p)
		}
		full[p] = filepath.Join(tmp, clean)
		dirs[filepath.Dir(full[p])] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		return err
	}
	// Files are written on every core: with thousands of pages, a tenth
	// of a build went to these system calls, one after the other.
	var mu sync.Mutex
	parallel(paths, func(p string) {
		if werr := os.WriteFile(full[p], o.Files[p], 0o644); werr != nil {
			mu.Lock()
			if err == nil {
				err = werr
			}
			mu.Unlock()
		}
	})
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the previous build back
		}
		return err
	}
	placed = true
	if old != "" {
		if err := remove(old); err != nil {
			return &StaleError{Dir: dir, Old: old, Err: err}
		}
	}
	return nil
}
