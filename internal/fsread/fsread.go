// Package fsread reads the files of a site safely: only regular files,
// following symbolic links only when they end at one, and never more
// than a limit. A named pipe (FIFO) named like a page would block a
// build forever, and a link to /dev/zero would read until memory runs
// out; both are reported as "not a regular file" at their path instead.
// Every reader of site inputs goes through this package.
package fsread

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Limits per file. Text inputs (site.toml, TOML data, markdown pages)
// are read whole and parsed; no real one comes near the limit. Static
// files are copied into the in-memory output, so theirs bounds what one
// file may add to it. CSV files are streamed and need no limit once
// they are known to be regular files.
const (
	TextLimit   = 64 << 20
	StaticLimit = 1 << 30
)

// ErrNotRegular is the error for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is the error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// Error says what is wrong with one file, without its path: callers
// place it at the path they report.
type Error struct {
	Err  error  // ErrNotRegular or ErrTooLarge
	What string // the kind of file found, or the sizes
}

func (e *Error) Error() string {
	if e.Err == ErrNotRegular {
		return fmt.Sprintf("not a regular file (%s): only ordinary files can be read; remove it or replace it with a file", e.What)
	}
	return e.What
}

func (e *Error) Unwrap() error { return e.Err }

// Kind names a file mode for messages: "a named pipe", "a socket", …
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// Check reports whether path, followed through symbolic links, is a
// regular file, without opening it.
func Check(path string) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("a symbolic link to nothing readable: %w", err)
		}
		if !target.Mode().IsRegular() {
			return &Error{Err: ErrNotRegular, What: "a symbolic link to " + Kind(target.Mode())}
		}
		return nil
	}
	if !st.Mode().IsRegular() {
		return &Error{Err: ErrNotRegular, What: Kind(st.Mode())}
	}
	return nil
}

// Open opens path for reading if it is a regular file. The file is
// opened without blocking and checked again once open, so a pipe put in
// its place between the check and the open cannot block either.
func Open(path string) (*os.File, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &Error{Err: ErrNotRegular, What: Kind(st.Mode())}
	}
	return f, nil
}

// ReadFile reads the regular file at path, refusing one larger than
// limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > limit {
		return nil, tooLarge(st.Size(), limit)
	}
	// The size may change while reading: read one byte past the limit
	// to notice.
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(int64(len(b)), limit)
	}
	return b, nil
}

func tooLarge(size, limit int64) error {
	return &Error{Err: ErrTooLarge, What: fmt.Sprintf("file too large: %s, over the limit of %s a file", mib(size), mib(limit))}
}

func mib(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// WalkError is a problem found by Walk at Rel, the slash-separated path
// under the root ("" for the root itself).
type WalkError struct {
	Rel string
	Err error
}

func (e *WalkError) Error() string {
	if e.Rel == "" {
		return e.Err.Error()
	}
	return e.Rel + ": " + e.Err.Error()
}

func (e *WalkError) Unwrap() error { return e.Err }

// Walk calls fn for every regular file under root, in lexical order,
// with its slash-separated path relative to root. Symbolic links are
// followed, to files and folders alike; a link to a folder that is
// being walked already (a loop) is an error, as is anything that is
// neither a file nor a folder. A missing root is no error. Errors are
// *WalkError; fn's errors are returned as they are and stop the walk.
func Walk(root string, fn func(rel, path string) error) error {
	real, err := filepath.EvalSymlinks(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &WalkError{Err: err}
	}
	return walk(root, "", []string{real}, fn)
}

// walk walks dir (rel under the root); open holds the real paths of the
// folders being walked, dir's included, to find loops.
func walk(dir, rel string, open []string, fn func(rel, path string) error) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &WalkError{Rel: rel, Err: err}
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		r := e.Name()
		if rel != "" {
			r = rel + "/" + e.Name()
		}
		st, err := os.Stat(p) // follows links
		if err != nil {
			return &WalkError{Rel: r, Err: err}
		}
		switch {
		case st.Mode().IsRegular():
			if err := fn(r, p); err != nil {
				return err
			}
		case st.IsDir():
			real, err := filepath.EvalSymlinks(p)
			if err != nil {
				return &WalkError{Rel: r, Err: err}
			}
			for _, o := range open {
				if o == real {
					return &WalkError{Rel: r, Err: fmt.Errorf("a symbolic link back to a folder that contains it (%s): remove the link", real)}
				}
			}
			if err := walk(p, r, append(open, real), fn); err != nil {
				return err
			}
		default:
			what := Kind(st.Mode())
			if e.Type()&fs.ModeSymlink != 0 {
				what = "a symbolic link to " + what
			}
			return &WalkError{Rel: r, Err: &Error{Err: ErrNotRegular, What: what}}
		}
	}
	return nil
}

// DirFS is os.DirFS(dir) whose files open only when they are regular
// files (see Open); folders open as usual, to be listed.
func DirFS(dir string) fs.FS { return dirFS(dir) }

type dirFS string

func (d dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return os.Open(p)
	}
	f, err := Open(p)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}
