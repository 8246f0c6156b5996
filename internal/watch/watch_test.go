package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// patience bounds every wait: generous, because CI machines stall, and
// never an assertion of speed.
const patience = 10 * time.Second

// site makes a temp folder with files (site-relative slash paths).
func site(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		write(t, dir, f, "x")
	}
	return dir
}

func write(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, opts Options) *Watcher {
	t.Helper()
	w, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// until receives batches until every path in want has been reported,
// and returns all batches received. Watch errors fail the test.
func until(t *testing.T, w *Watcher, want ...string) []Batch {
	t.Helper()
	var (
		got   []Batch
		seen  = map[string]bool{}
		timer = time.NewTimer(patience)
	)
	defer timer.Stop()
	for {
		missing := false
		for _, p := range want {
			if !seen[p] {
				missing = true
			}
		}
		if !missing {
			return got
		}
		select {
		case b, ok := <-w.Batches():
			if !ok {
				t.Fatalf("batches closed; got %v, want %v", got, want)
			}
			got = append(got, b)
			for _, p := range b.Paths {
				seen[p] = true
			}
		case err := <-w.Errors():
			t.Fatalf("watch error: %v", err)
		case <-timer.C:
			t.Fatalf("timed out waiting for %v; got %v", want, got)
		}
	}
}

func reported(batches []Batch) []string {
	var all []string
	for _, b := range batches {
		all = append(all, b.Paths...)
	}
	return all
}

func assertNone(t *testing.T, batches []Batch, unwanted ...string) {
	t.Helper()
	all := reported(batches)
	for _, p := range unwanted {
		if slices.Contains(all, p) {
			t.Errorf("%s reported; batches %v", p, batches)
		}
	}
}

func TestCreateWriteDelete(t *testing.T) {
	root := site(t, "content/old.md")
	w := start(t, Options{Root: root})

	write(t, root, "content/new.md", "hello")
	until(t, w, "content/new.md")

	write(t, root, "content/old.md", "changed")
	until(t, w, "content/old.md")

	if err := os.Remove(filepath.Join(root, "content/old.md")); err != nil {
		t.Fatal(err)
	}
	until(t, w, "content/old.md")
}

func TestRenameSave(t *testing.T) {
	// Editors write a temporary file and rename it over the original.
	// The original must be reported; the temporary, which the consumer
	// never saw, must not.
	root := site(t, "content/page.md")
	// Within one burst the temporary file is never reported; a quiet
	// period of a whole second keeps a stalled test machine from
	// splitting this one in two.
	w := start(t, Options{Root: root, Debounce: time.Second, MaxWait: patience})

	tmp := filepath.Join(root, "content", ".page.md.tmp.1234")
	if err := os.WriteFile(tmp, []byte("new text"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(root, "content", "page.md")); err != nil {
		t.Fatal(err)
	}
	got := until(t, w, "content/page.md")
	assertNone(t, got, "content/.page.md.tmp.1234")

	// The file is still watched after being replaced.
	write(t, root, "content/page.md", "again")
	until(t, w, "content/page.md")
}

func TestVimStyleSave(t *testing.T) {
	// vim: write test file 4913, rename the original to a backup~, write
	// the new file, delete the backup.
	root := site(t, "content/page.md")
	w := start(t, Options{Root: root})
	dir := filepath.Join(root, "content")

	write(t, root, "content/4913", "")
	os.Remove(filepath.Join(dir, "4913"))
	if err := os.Rename(filepath.Join(dir, "page.md"), filepath.Join(dir, "page.md~")); err != nil {
		t.Fatal(err)
	}
	write(t, root, "content/page.md", "vim")
	os.Remove(filepath.Join(dir, "page.md~"))
	write(t, root, "content/.page.md.swp", "swap")
	write(t, root, "content/sentinel.md", "s")

	got := until(t, w, "content/page.md", "content/sentinel.md")
	assertNone(t, got, "content/4913", "content/page.md~", "content/.page.md.swp")
}

func TestNewNestedFolder(t *testing.T) {
	root := site(t, "content/_index.md")
	w := start(t, Options{Root: root})

	// The file is written before the watcher can have added the new
	// folders: it must be found by scanning them.
	write(t, root, "content/a/b/c/page.md", "deep")
	until(t, w, "content/a/b/c/page.md")

	// And the new folders are watched from then on.
	write(t, root, "content/a/b/c/page.md", "edited")
	write(t, root, "content/a/b/other.md", "other")
	until(t, w, "content/a/b/c/page.md", "content/a/b/other.md")
}

func TestFolderMovedIn(t *testing.T) {
	// A folder that arrives with files already in it (git checkout, a
	// copy, a move) raises one event for the folder: its files must be
	// found by scanning it. The staging area is outside Only, so unseen.
	root := site(t, "content/_index.md")
	w := start(t, Options{Root: root, Only: []string{"content"}})

	write(t, root, "staging/notes/deep/first.md", "first")
	write(t, root, "staging/notes/second.md", "second")
	if err := os.Rename(filepath.Join(root, "staging/notes"), filepath.Join(root, "content/notes")); err != nil {
		t.Fatal(err)
	}
	until(t, w, "content/notes/deep/first.md", "content/notes/second.md")

	write(t, root, "content/notes/deep/third.md", "third")
	until(t, w, "content/notes/deep/third.md")
}

func TestRemoveAndMoveFolder(t *testing.T) {
	root := site(t, "content/gone/x.md", "content/from/sub/y.md")
	w := start(t, Options{Root: root})

	if err := os.RemoveAll(filepath.Join(root, "content/gone")); err != nil {
		t.Fatal(err)
	}
	until(t, w, "content/gone")

	if err := os.Rename(filepath.Join(root, "content/from"), filepath.Join(root, "content/to")); err != nil {
		t.Fatal(err)
	}
	until(t, w, "content/from", "content/to/sub/y.md")

	// Events in the moved folder carry the new names, not the old.
	write(t, root, "content/to/sub/z.md", "z")
	got := until(t, w, "content/to/sub/z.md")
	assertNone(t, got, "content/from/sub/z.md")
}

func TestTempFilesIgnored(t *testing.T) {
	root := site(t, "content/page.md")
	w := start(t, Options{Root: root})

	temps := []string{
		"content/page.md~", "content/.page.md.swp", "content/.page.md.swx",
		"content/4913", "content/.#page.md", "content/#page.md#",
		"content/.DS_Store", "content/page.md___jb_tmp___",
	}
	for _, p := range temps {
		write(t, root, p, "temp")
	}
	write(t, root, "content/sentinel.md", "s")
	// Events arrive in order: had a temp file counted, it would be in
	// the batches that carry the sentinel or before.
	got := until(t, w, "content/sentinel.md")
	assertNone(t, got, temps...)
}

func TestChmodIgnored(t *testing.T) {
	root := site(t, "content/page.md")
	w := start(t, Options{Root: root})

	if err := os.Chmod(filepath.Join(root, "content/page.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := os.Chtimes(filepath.Join(root, "content/page.md"), now, now); err != nil {
		t.Fatal(err)
	}
	write(t, root, "content/sentinel.md", "s")
	got := until(t, w, "content/sentinel.md")
	assertNone(t, got, "content/page.md")
}

func TestBurstIsOneBatch(t *testing.T) {
	root := site(t, "content/_index.md")
	// A long MaxWait so that a slow machine writing the files still
	// produces few batches; the point is the debounce, not the clock.
	w := start(t, Options{Root: root, Debounce: 500 * time.Millisecond, MaxWait: patience})

	var want []string
	for i := range 200 {
		p := fmt.Sprintf("content/burst/page-%03d.md", i)
		want = append(want, p)
		write(t, root, p, "x")
	}
	got := until(t, w, want...)
	if len(got) > 3 {
		t.Errorf("a burst of 200 files gave %d batches, want 1 (or very few)", len(got))
	}
	for _, b := range got {
		if !slices.IsSorted(b.Paths) || len(slices.Compact(slices.Clone(b.Paths))) != len(b.Paths) {
			t.Errorf("paths not sorted and unique: %v", b.Paths)
		}
	}
}

func TestContinuousWritesStillBatch(t *testing.T) {
	// A writer that never pauses must not starve the consumer: MaxWait
	// hands out a batch while it is still writing.
	root := site(t, "content/log.md")
	w := start(t, Options{Root: root, Debounce: 100 * time.Millisecond, MaxWait: 300 * time.Millisecond})

	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			os.WriteFile(filepath.Join(root, "content/log.md"), []byte(fmt.Sprint(i)), 0o644)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	defer func() { close(stop); <-done }()

	select {
	case b := <-w.Batches():
		if !slices.Contains(b.Paths, "content/log.md") {
			t.Errorf("batch %v lacks content/log.md", b)
		}
	case err := <-w.Errors():
		t.Fatal(err)
	case <-time.After(patience):
		t.Fatal("no batch while writes kept coming")
	}
}

func TestIgnoredFolders(t *testing.T) {
	root := site(t, "content/page.md", "public/index.html", ".git/HEAD", "node_modules/x/y.js")
	w := start(t, Options{Root: root, Ignore: []string{"public"}})

	write(t, root, "public/index.html", "new")
	write(t, root, "public/new/folder/page.html", "new")
	write(t, root, ".git/HEAD", "ref")
	write(t, root, ".git/objects/ab/cdef", "obj")
	write(t, root, "node_modules/x/y.js", "js")
	write(t, root, "content/.git/config", "nested repo")
	write(t, root, "content/sentinel.md", "s")

	got := until(t, w, "content/sentinel.md")
	for _, p := range reported(got) {
		if p != "content/sentinel.md" {
			t.Errorf("reported %s; batches %v", p, got)
		}
	}
	for _, d := range w.fsw.WatchList() {
		if strings.Contains(d, "public") || strings.Contains(d, ".git") || strings.Contains(d, "node_modules") {
			t.Errorf("ignored folder %s is watched", d)
		}
	}
}

func TestOnly(t *testing.T) {
	root := site(t, "content/page.md", "internal/x.go", "site.toml")
	w := start(t, Options{Root: root, Only: []string{"content", "data", "site.toml"}})

	write(t, root, "internal/x.go", "package x")
	write(t, root, "README.md", "readme")
	write(t, root, "data/brands/b.toml", "name = 'b'") // data/ appears later
	write(t, root, "site.toml", "title = 't'")
	got := until(t, w, "data/brands/b.toml", "site.toml")
	assertNone(t, got, "internal/x.go", "README.md")
}

func TestCloseStops(t *testing.T) {
	w := start(t, Options{Root: t.TempDir()})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, ok := <-w.Batches(); ok {
		t.Error("Batches not closed")
	}
	if _, ok := <-w.Errors(); ok {
		t.Error("Errors not closed")
	}
}

func TestNewFails(t *testing.T) {
	if _, err := New(Options{Root: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("New on a missing folder: no error")
	}
}

func TestExplainLimits(t *testing.T) {
	err := explain("/site/content", fmt.Errorf("add: %w", syscall.ENOSPC))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("%v does not wrap ENOSPC", err)
	}
	for _, want := range []string{"/site/content", "sudo sysctl fs.inotify.max_user_watches=524288"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if err := explain("", syscall.EMFILE); !strings.Contains(err.Error(), "max_user_instances") {
		t.Errorf("%q lacks the instances hint", err)
	}
}

func TestIsTemp(t *testing.T) {
	for name, want := range map[string]bool{
		"page.md~":           true,
		".page.md.swp":       true,
		".page.md.swx":       true,
		".page.md.swo":       true,
		"4913":               true,
		".#page.md":          true,
		"#page.md#":          true,
		".DS_Store":          true,
		"x___jb_tmp___":      true,
		"page.md":            false,
		"site.toml":          false,
		"#":                  false,
		"49130":              false,
		"c#.md":              false,
		"measures-2026.csv":  false,
		".gitkeep":           false,
		"swp.md":             false,
		"notes#draft.md":     false,
		"_index.md":          false,
		"1-not-a-backup.txt": false,
	} {
		if got := IsTemp(name); got != want {
			t.Errorf("IsTemp(%q) = %v, want %v", name, got, want)
		}
	}
}

// next receives batches and errors until cond accepts a batch; errors
// are collected, not fatal.
func next(t *testing.T, w *Watcher, cond func(Batch) bool) (Batch, []error) {
	t.Helper()
	var errs []error
	timer := time.NewTimer(patience)
	defer timer.Stop()
	for {
		select {
		case b := <-w.Batches():
			if cond(b) {
				return b, errs
			}
		case err := <-w.Errors():
			errs = append(errs, err)
		case <-timer.C:
			t.Fatalf("timed out; errors %v", errs)
		}
	}
}

// TestRootRemovedAndBack is issue 17's lost watch: the site folder
// removed and put back (a re-clone, a sync tool) is watched again, with
// an Overflow batch to rebuild everything, and later edits are seen.
func TestRootRemovedAndBack(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "site")
	write(t, root, "content/a.md", "a")
	w := start(t, Options{Root: root, Poll: 20 * time.Millisecond})

	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	// Rebuild everything: the files' own events may be lost with
	// their watches.
	_, errs := next(t, w, func(b Batch) bool { return b.Overflow })
	for len(errs) == 0 {
		select {
		case err := <-w.Errors():
			errs = append(errs, err)
		case <-time.After(patience):
			t.Fatal("no error said the folder is gone")
		}
	}
	if !errors.Is(errs[0], ErrRootGone) || !strings.Contains(errs[0].Error(), root) {
		t.Errorf("error %v, want ErrRootGone naming %s", errs[0], root)
	}

	write(t, root, "content/a.md", "a again")
	write(t, root, "site.toml", "title = \"back\"")
	b, _ := next(t, w, func(b Batch) bool { return b.Overflow })
	if !slices.Contains(b.Paths, "site.toml") {
		t.Errorf("the batch after the folder came back: %+v", b)
	}
	write(t, root, "content/b.md", "b")
	until(t, w, "content/b.md")
}

// TestRootReplaced: the folder moved away and another put in its place
// at once; the new one is watched, the old one no longer.
func TestRootReplaced(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "site")
	write(t, root, "content/a.md", "a")
	write(t, parent, "fresh/content/a.md", "fresh")
	w := start(t, Options{Root: root, Poll: 20 * time.Millisecond})

	if err := os.Rename(root, filepath.Join(parent, "old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(parent, "fresh"), root); err != nil {
		t.Fatal(err)
	}
	next(t, w, func(b Batch) bool { return b.Overflow })
	write(t, parent, "old/content/stale.md", "not in the site")
	write(t, root, "content/new.md", "new")
	batches := until(t, w, "content/new.md")
	assertNone(t, batches, "content/stale.md")
}

// TestParentMoved: a parent of the root renamed sends the root's watch
// nothing; the poll notices the root's path now names nothing.
func TestParentMoved(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "p", "site")
	write(t, root, "content/a.md", "a")
	w := start(t, Options{Root: root, Poll: 20 * time.Millisecond})

	if err := os.Rename(filepath.Join(parent, "p"), filepath.Join(parent, "q")); err != nil {
		t.Fatal(err)
	}
	_, errs := next(t, w, func(b Batch) bool { return b.Overflow })
	for len(errs) == 0 {
		select {
		case err := <-w.Errors():
			errs = append(errs, err)
		case <-time.After(patience):
			t.Fatal("no error said the folder is gone")
		}
	}
	if !errors.Is(errs[0], ErrRootGone) {
		t.Errorf("error %v, want ErrRootGone", errs[0])
	}
	write(t, parent, "q/site/content/stale.md", "moved away")
	if err := os.Rename(filepath.Join(parent, "q"), filepath.Join(parent, "p")); err != nil {
		t.Fatal(err)
	}
	next(t, w, func(b Batch) bool { return b.Overflow })
	write(t, root, "content/b.md", "b")
	until(t, w, "content/b.md")
}
