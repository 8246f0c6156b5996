//go:build unix

package fsread_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/fsread"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.md")
	os.WriteFile(file, []byte("hello"), 0o644)
	fifo := filepath.Join(dir, "pipe.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink(file, filepath.Join(dir, "link.md"))
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.md"))
	os.Symlink(fifo, filepath.Join(dir, "pipelink.md"))
	os.Symlink(filepath.Join(dir, "nothing"), filepath.Join(dir, "dangling.md"))
	os.Mkdir(filepath.Join(dir, "folder.md"), 0o755)
	for _, c := range []struct {
		name  string
		limit int64
		want  string // "" for the content "hello"
		is    error
	}{
		{"a.md", 100, "", nil},
		{"link.md", 100, "", nil},
		{"a.md", 5, "", nil},
		{"a.md", 4, "file too large: 5 bytes, over the limit of 4 bytes a file", fsread.ErrTooLarge},
		{"pipe.md", 100, "not a regular file (a named pipe)", fsread.ErrNotRegular},
		{"zero.md", 100, "not a regular file (a symbolic link to a character device)", fsread.ErrNotRegular},
		{"pipelink.md", 100, "not a regular file (a symbolic link to a named pipe)", fsread.ErrNotRegular},
		{"folder.md", 100, "not a regular file (a folder)", fsread.ErrNotRegular},
		{"dangling.md", 100, "a symbolic link to nothing readable", nil},
		{"missing.md", 100, "no such file", nil},
	} {
		b, err := fsread.ReadFile(filepath.Join(dir, c.name), c.limit)
		if c.want == "" {
			if err != nil || string(b) != "hello" {
				t.Errorf("%s: %q, %v", c.name, b, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %v is not %v", c.name, err, c.is)
		}
	}
}

func TestWalk(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(root, "css"), 0o755)
	os.WriteFile(filepath.Join(root, "css", "a.css"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(outside, "logo.svg"), []byte("svg"), 0o644)
	os.Symlink(outside, filepath.Join(root, "img"))                              // a linked folder is followed
	os.Symlink(filepath.Join(outside, "logo.svg"), filepath.Join(root, "l.svg")) // a linked file too
	var got []string
	err := fsread.Walk(root, func(rel, path string) error {
		got = append(got, rel)
		return nil
	})
	if err != nil || strings.Join(got, " ") != "css/a.css img/logo.svg l.svg" {
		t.Errorf("walk: %v %v", got, err)
	}

	// A loop: a link inside a folder back to it.
	os.Symlink(root, filepath.Join(root, "css", "up"))
	err = fsread.Walk(root, func(string, string) error { return nil })
	var we *fsread.WalkError
	if !errors.As(err, &we) || we.Rel != "css/up" || !strings.Contains(err.Error(), "symbolic link back to a folder that contains it") {
		t.Errorf("loop: %v", err)
	}
	os.Remove(filepath.Join(root, "css", "up"))

	// Two links to one folder are no loop.
	os.Symlink(outside, filepath.Join(root, "img2"))
	got = nil
	if err := fsread.Walk(root, func(rel, _ string) error { got = append(got, rel); return nil }); err != nil || len(got) != 4 {
		t.Errorf("two links to one folder: %v %v", got, err)
	}

	os.Symlink("/dev/zero", filepath.Join(root, "zero.bin"))
	err = fsread.Walk(root, func(string, string) error { return nil })
	if !errors.As(err, &we) || we.Rel != "zero.bin" || !errors.Is(err, fsread.ErrNotRegular) {
		t.Errorf("device: %v", err)
	}

	if err := fsread.Walk(filepath.Join(root, "missing"), func(string, string) error { return errors.New("called") }); err != nil {
		t.Errorf("missing root: %v", err)
	}
}

func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.html"), []byte("a"), 0o644)
	syscall.Mkfifo(filepath.Join(dir, "b.html"), 0o644)
	fsys := fsread.DirFS(dir)
	if _, err := fsys.Open("b.html"); !errors.Is(err, fsread.ErrNotRegular) {
		t.Errorf("pipe: %v", err)
	}
	if f, err := fsys.Open("a.html"); err != nil {
		t.Errorf("file: %v", err)
	} else {
		f.Close()
	}
	if _, err := fsys.Open("../x"); err == nil {
		t.Error("an invalid path opened")
	}
}
