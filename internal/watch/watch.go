// Package watch turns file system events under a site folder into
// debounced batches of changed site-relative paths.
//
// fsnotify has no recursive watch and editors save in odd ways (write a
// temporary file and rename it over the original, touch swap and backup
// files, change modes), so the raw event stream is a poor trigger for a
// rebuild. A Watcher watches every folder of the tree, including folders
// that appear later, drops the noise and hands out one Batch per burst.
// It uses its own types only: nothing downstream imports fsnotify.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for Options.
const (
	DefaultDebounce = 50 * time.Millisecond
	DefaultMaxWait  = 500 * time.Millisecond
	DefaultPoll     = 500 * time.Millisecond
)

// Options say what to watch and how long to wait for a burst to settle.
type Options struct {
	// Root is the folder to watch, recursively.
	Root string
	// Only, when set, limits watching to these top-level entries of Root
	// (folders or files, e.g. "content", "site.toml"); everything else
	// under Root is neither watched nor reported. Entries that do not
	// exist yet are picked up when they are created.
	Only []string
	// Ignore lists folders (relative to Root, or absolute) that are never
	// watched, typically the build output. ".git", ".hg", ".svn" and
	// "node_modules" are always ignored, wherever they are.
	Ignore []string
	// Debounce is how long the tree must stay quiet before a batch is
	// handed out. Zero means DefaultDebounce.
	Debounce time.Duration
	// MaxWait bounds how long a batch is held back while changes keep
	// coming, so that a continuous writer still triggers rebuilds.
	// Zero means DefaultMaxWait.
	MaxWait time.Duration
	// Poll is how often Root is looked for while it is gone (removed or
	// moved away, as a re-clone or a sync tool does): the operating
	// system cannot tell when a folder appears where none is watched.
	// Zero means DefaultPoll.
	Poll time.Duration
}

// Batch is one settled burst of changes.
type Batch struct {
	// Paths are the changed paths, relative to Root, slash-separated,
	// sorted and unique. A path was written, created or removed; a
	// removed or moved-away folder is reported as the folder's own path
	// (everything under it is gone). Files inside a newly created folder
	// are reported one by one.
	Paths []string
	// Overflow says the operating system dropped events: Paths may be
	// incomplete and the consumer should rebuild everything.
	Overflow bool
}

// Watcher watches a tree. Receive from Batches and Errors until they are
// closed; Close stops it.
type Watcher struct {
	root     string // absolute
	only     map[string]bool
	ignore   map[string]bool // absolute paths
	debounce time.Duration
	maxWait  time.Duration
	poll     time.Duration

	fsw     *fsnotify.Watcher
	batches chan Batch
	errs    chan error
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once

	// Owned by the loop goroutine (and by New before it starts).
	dirs     map[string]bool // watched folders, absolute
	rootInfo os.FileInfo     // the root folder being watched, to notice it replaced
	lost     bool            // the root is gone: looked for every poll
}

// ErrRootGone is the error, sent on Errors, that says the root folder
// was removed or moved away. The Watcher looks for it every
// Options.Poll and, once it is back, watches it again and hands out an
// Overflow batch: rebuild everything.
var ErrRootGone = errors.New("the site folder is gone")

// New starts watching opts.Root. It fails when the tree cannot be
// watched in full, for instance when the inotify watch limit is reached.
func New(opts Options) (*Watcher, error) {
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", root)
	}
	w := &Watcher{
		root:     root,
		ignore:   map[string]bool{},
		debounce: opts.Debounce,
		maxWait:  opts.MaxWait,
		poll:     opts.Poll,
		rootInfo: fi,
		batches:  make(chan Batch),
		errs:     make(chan error),
		done:     make(chan struct{}),
		stopped:  make(chan struct{}),
		dirs:     map[string]bool{},
	}
	if w.debounce <= 0 {
		w.debounce = DefaultDebounce
	}
	if w.maxWait <= 0 {
		w.maxWait = DefaultMaxWait
	}
	if w.maxWait < w.debounce {
		w.maxWait = w.debounce
	}
	if w.poll <= 0 {
		w.poll = DefaultPoll
	}
	if len(opts.Only) > 0 {
		w.only = map[string]bool{}
		for _, name := range opts.Only {
			w.only[filepath.Clean(filepath.FromSlash(name))] = true
		}
	}
	for _, p := range opts.Ignore {
		p = filepath.FromSlash(p)
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		w.ignore[filepath.Clean(p)] = true
	}

	w.fsw, err = fsnotify.NewWatcher()
	if err != nil {
		return nil, explain("", err)
	}
	if err := w.addTree(root, nil); err != nil {
		w.fsw.Close()
		return nil, err
	}
	go w.loop()
	return w, nil
}

// Batches delivers settled bursts of changes. While nobody receives,
// further changes are merged into the pending batch, so a slow consumer
// sees fewer, larger batches and never a backlog.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Errors delivers problems met while watching, such as a new folder that
// could not be watched. They do not stop the Watcher.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching and closes Batches and Errors. It is safe to call
// more than once.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		err = w.fsw.Close()
		<-w.stopped
	})
	return err
}

// change is what the loop remembers about one path in the pending batch.
type change struct {
	// created says the first event seen for the path in this batch was
	// a Create: if the path is gone when the batch settles, it was a
	// temporary file the consumer never saw, and is dropped.
	created bool
}

func (w *Watcher) loop() {
	defer close(w.stopped)
	defer close(w.batches)
	defer close(w.errs)

	var (
		pending  = map[string]change{}
		overflow bool
		first    time.Time // when the pending batch got its first change
		timer    = time.NewTimer(time.Hour)
		timerC   <-chan time.Time
		ready    bool
		errQueue []error
		batch    Batch // pending, settled; valid while settled
		settled  bool
	)
	timer.Stop()
	defer timer.Stop()
	// The root's own watch cannot see it come back, nor a parent moved:
	// a stat per poll can.
	poll := time.NewTicker(w.poll)
	defer poll.Stop()

	note := func(rel string, created bool) {
		settled = false
		if _, ok := pending[rel]; !ok {
			pending[rel] = change{created: created}
		}
	}
	reset := func() {
		pending, overflow, first, ready, settled = map[string]change{}, false, time.Time{}, false, false
	}
	// arm restarts the quiet period, without pushing the batch past
	// first+maxWait.
	arm := func() {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		wait := w.debounce
		if limit := first.Add(w.maxWait).Sub(now); limit < wait {
			wait = limit
		}
		if wait < 0 {
			wait = 0
		}
		// Since Go 1.23, Reset never lets a stale fire through.
		timer.Reset(wait)
		timerC = timer.C
	}

	for {
		var (
			batchC chan Batch
			errC   chan error
			nextE  error
		)
		if ready {
			if !settled {
				batch, settled = w.settle(pending, overflow), true
			}
			if len(batch.Paths) == 0 && !batch.Overflow {
				// Only transient files: nothing to report.
				reset()
				continue
			}
			batchC = w.batches
		}
		if len(errQueue) > 0 {
			errC, nextE = w.errs, errQueue[0]
		}

		select {
		case <-w.done:
			return
		case batchC <- batch:
			reset()
		case errC <- nextE:
			errQueue = errQueue[1:]
		case <-timerC:
			timerC = nil
			ready = true
		case <-poll.C:
			if w.checkRoot(false, note, &errQueue) {
				overflow, settled = true, false
				arm()
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost, possibly including new folders:
				// watch whatever is there now and tell the consumer
				// to rebuild everything.
				overflow, settled = true, false
				if err := w.addTree(w.root, nil); err != nil {
					errQueue = append(errQueue, err)
				}
				arm()
				continue
			}
			errQueue = append(errQueue, fmt.Errorf("watch: %w", err))
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if filepath.Clean(ev.Name) == w.root && ev.Has(fsnotify.Remove|fsnotify.Rename) {
				// The root itself was removed or moved away (a re-clone,
				// a sync tool): nothing is watched any more.
				if w.checkRoot(true, note, &errQueue) {
					overflow, settled = true, false
					arm()
				}
				continue
			}
			if w.handle(ev, note, &errQueue) && !ready {
				arm()
			}
		}
	}
}

// handle folds one fsnotify event into the pending batch and reports
// whether it counted.
func (w *Watcher) handle(ev fsnotify.Event, note func(string, bool), errQueue *[]error) bool {
	if ev.Op == fsnotify.Chmod || ev.Op == 0 {
		// Mode changes (touch, Spotlight, antivirus) change no content.
		return false
	}
	path := filepath.Clean(ev.Name)
	rel, ok := w.rel(path)
	if !ok || rel == "." || w.skip(path, rel) {
		return false
	}
	counted := false
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		note(rel, false)
		counted = true
		if w.dirs[path] {
			// A moved folder keeps its inotify watches under the old
			// names; drop them so that the new location is watched
			// afresh, with its real names, when it appears.
			w.forget(path)
		}
	}
	if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) {
		fi, err := os.Lstat(path)
		switch {
		case err != nil:
			// Gone already: a temporary file, or removed in the same
			// burst. Remember it anyway; settle drops it if it never
			// existed for the consumer.
			note(rel, ev.Has(fsnotify.Create))
			counted = true
		case fi.IsDir():
			if ev.Has(fsnotify.Create) {
				// Files may have been created in the folder before its
				// watch was added: addTree reports them.
				if err := w.addTree(path, func(r string) { note(r, true) }); err != nil {
					*errQueue = append(*errQueue, err)
				}
				counted = true
			}
		default:
			note(rel, ev.Has(fsnotify.Create))
			counted = true
		}
	}
	return counted
}

// checkRoot notices a root that is gone or replaced (or, with gone, is
// told so by its own watch), drops every watch, and watches the root
// again as soon as a folder is back at its path, noting every file in
// it. It reports whether the consumer must rebuild everything.
func (w *Watcher) checkRoot(gone bool, note func(string, bool), errQueue *[]error) bool {
	fi, err := os.Stat(w.root)
	back := err == nil && fi.IsDir()
	if !w.lost {
		if !gone && back && os.SameFile(fi, w.rootInfo) {
			return false
		}
		for p := range w.dirs {
			_ = w.fsw.Remove(p) // gone with its folder, mostly
		}
		clear(w.dirs)
		w.lost = true
		if !back {
			*errQueue = append(*errQueue, fmt.Errorf("watch: %s was removed or moved away (%w): serving the last build; it is rebuilt when the folder is back", w.root, ErrRootGone))
			return true
		}
	}
	if !back {
		return false
	}
	w.rootInfo, w.lost = fi, false
	if err := w.addTree(w.root, func(r string) { note(r, true) }); err != nil {
		*errQueue = append(*errQueue, fmt.Errorf("%w: %s is back but cannot be watched again: restart to see later changes", err, w.root))
	}
	return true
}

// settle turns the pending changes into a batch.
func (w *Watcher) settle(pending map[string]change, overflow bool) Batch {
	b := Batch{Overflow: overflow}
	for rel, c := range pending {
		if c.created {
			if _, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel))); err != nil {
				continue // born and gone within the burst
			}
		}
		b.Paths = append(b.Paths, rel)
	}
	sort.Strings(b.Paths)
	return b
}

// addTree watches dir and every folder below it. When found is not nil,
// it is called with every file met, so that files created in a new
// folder before its watch existed are not missed.
func (w *Watcher) addTree(dir string, found func(rel string)) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked; its Remove event follows
			}
			return fmt.Errorf("watch: %w", err)
		}
		rel, ok := w.rel(path)
		if !ok {
			return nil
		}
		if path != w.root && w.skip(path, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if found != nil {
				found(rel)
			}
			return nil
		}
		if err := w.fsw.Add(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return explain(path, err)
		}
		w.dirs[path] = true
		return nil
	})
}

// forget drops the watches of dir and every folder below it.
func (w *Watcher) forget(dir string) {
	for p := range w.dirs {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			delete(w.dirs, p)
			// The watch may be gone already (deleted folder); that is
			// the state we want.
			_ = w.fsw.Remove(p)
		}
	}
}

// rel returns path relative to the root, slash-separated; ok is false for
// the root itself and for paths outside it.
func (w *Watcher) rel(path string) (string, bool) {
	if path == w.root {
		return ".", true
	}
	r, err := filepath.Rel(w.root, path)
	if err != nil || !filepath.IsLocal(r) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// skip says whether path (rel to the root) is noise: outside Only, in an
// ignored folder, or an editor's temporary file.
func (w *Watcher) skip(path, rel string) bool {
	if rel == "." {
		return false
	}
	if w.only != nil {
		top, _, _ := strings.Cut(rel, "/")
		if !w.only[filepath.FromSlash(top)] {
			return true
		}
	}
	for p := path; p != w.root && len(p) > len(w.root); p = filepath.Dir(p) {
		if w.ignore[p] {
			return true
		}
		switch filepath.Base(p) {
		case ".git", ".hg", ".svn", "node_modules":
			return true
		}
	}
	return IsTemp(filepath.Base(path))
}

// IsTemp reports whether a file name is one of the temporary or backup
// files editors and operating systems write next to the files they
// edit: vim's swap files, backups and its "4913" write test, Emacs'
// lock and auto-save files, JetBrains' safe-write files and macOS'
// .DS_Store.
func IsTemp(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store":
		return true
	case strings.HasSuffix(name, "~"):
		return true
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swo"), strings.HasSuffix(name, ".swx"):
		return true
	case strings.HasPrefix(name, ".#"):
		return true
	case len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	case strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// explain wraps an error from adding a watch, saying how to lift the
// operating system limit when that is what failed.
func explain(path string, err error) error {
	where := ""
	if path != "" {
		where = " " + path
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("watch%s: the limit of inotify watches is reached (%w); raise it with: sudo sysctl fs.inotify.max_user_watches=524288 (add fs.inotify.max_user_watches=524288 to /etc/sysctl.conf to keep it)", where, err)
	case errors.Is(err, syscall.EMFILE):
		return fmt.Errorf("watch%s: the limit of inotify instances or open files is reached (%w); raise it with: sudo sysctl fs.inotify.max_user_instances=512 (or ulimit -n 4096 for open files)", where, err)
	}
	return fmt.Errorf("watch%s: %w", where, err)
}
