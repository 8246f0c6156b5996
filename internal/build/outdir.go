package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Marker is the file every build leaves at the top of its output, so the
// next build knows the folder is its own to replace. Without it, a
// folder with content is somebody else's and is never emptied.
const Marker = ".touchstone-build"

const markerText = "This folder is the output of touchstone build: every build replaces it whole.\n"

// CheckOutput reports why dir must not receive a build of the site at
// root: a build replaces its output folder whole, so that folder must
// not be the site, hold the site or an input folder, lie inside an input
// folder, or hold anything that is not an earlier build. It touches
// nothing.
func CheckOutput(root, dir string) error {
	site, err := realPath(root)
	if err != nil {
		return fmt.Errorf("site folder %s: %w", root, err)
	}
	out, err := realPath(dir)
	if err != nil {
		return fmt.Errorf("output %s: %w", dir, err)
	}
	refuse := func(why string) error {
		return fmt.Errorf("refusing to build into %s: %s; a build replaces its output folder whole. Choose a folder of its own, such as public (-o, or [build] output in site.toml)", dir, why)
	}
	switch {
	case out == site:
		return refuse("it is the site folder itself")
	case within(out, site):
		return refuse("it holds the site folder " + root)
	}
	for _, name := range []string{"content", "data", "layouts", "static", "themes"} { // what a build reads
		in := filepath.Join(site, name)
		if real, err := filepath.EvalSymlinks(in); err == nil {
			in = real
		}
		switch {
		case out == in:
			return refuse("it is the site's input folder " + name + "/")
		case within(in, out):
			return refuse("it is inside the site's input folder " + name + "/")
		}
	}
	return checkReplaceable(dir)
}

// checkReplaceable refuses an existing dir that is not a folder, or a
// folder with content that is not an earlier build. An earlier build is
// one with the marker; a build of a version before the marker is
// recognised by the four files every build writes.
func checkReplaceable(dir string) error {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		// The build would replace the link, not fill what it points to.
		target, _ := os.Readlink(dir)
		return fmt.Errorf("refusing to build into %s: it is a symbolic link (to %s), which a build would replace with a folder; give the folder it points to with -o, or remove the link", dir, target)
	}
	if !st.IsDir() {
		return fmt.Errorf("refusing to build into %s: it exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 || isFile(filepath.Join(dir, Marker)) {
		return nil
	}
	legacy := true
	for _, f := range []string{"index.html", "404.html", "sitemap.xml", "data/metrics.json", "search/index.json"} {
		legacy = legacy && isFile(filepath.Join(dir, filepath.FromSlash(f)))
	}
	if legacy {
		return nil
	}
	return fmt.Errorf("refusing to build into %s: it holds files that are not an earlier Touchstone build (no %s marker, first %q) and a build replaces the folder whole. Use an empty or new folder, or move those files away", dir, Marker, entries[0].Name())
}

// realPath is p made absolute with symbolic links resolved; for a path
// that does not exist yet, the links of its nearest existing ancestor.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for {
		real, err := filepath.EvalSymlinks(abs)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return filepath.Join(abs, rest), nil
		}
		rest = filepath.Join(filepath.Base(abs), rest)
		abs = parent
	}
}

// within reports whether inner lies strictly inside outer.
func within(outer, inner string) bool {
	rel, err := filepath.Rel(outer, inner)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func isFile(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular()
}

// leftovers matches the temporary folders WriteAtomic makes beside dir,
// which a build killed at the wrong moment leaves behind.
func leftovers(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.tmp-[0-9]+(\.old)?$`)
}

// cleanLeftovers removes the temporary folders of earlier builds of dir
// that were killed before they could clean up.
func cleanLeftovers(dir string, remove func(string) error) error {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil // nothing to clean, or MkdirTemp will say what is wrong
	}
	re := leftovers(base)
	for _, e := range entries {
		if e.IsDir() && re.MatchString(e.Name()) {
			if err := remove(filepath.Join(parent, e.Name())); err != nil {
				return fmt.Errorf("removing %s, left by an interrupted build: %w", filepath.Join(parent, e.Name()), err)
			}
		}
	}
	return nil
}

// StaleError says the new build is in place but the previous one could
// not be removed from where it was moved to.
type StaleError struct {
	Dir, Old string
	Err      error
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("the new build is complete in %s, but the previous build, moved aside to %s, could not be removed (%v): delete that folder by hand; the next build will try again", e.Dir, e.Old, e.Err)
}

func (e *StaleError) Unwrap() error { return e.Err }
