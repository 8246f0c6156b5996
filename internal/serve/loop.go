package serve

import (
	"context"
	"errors"
	"fmt"
	"github.com/touchstone-cx/touchstone/internal/fsread"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/watch"
)

// defaultStuckAfter is how long a build may run while newer changes
// wait before it is taken for stuck; see loop.stuck.
const defaultStuckAfter = 30 * time.Second

// loop is the state of Run's loop; only Run's goroutine touches it.
type loop struct {
	s       *Server
	ctx     context.Context
	builder Builder

	running *job // the build under way, or nil
	queued  bool // changes came in while it ran: build again after it
	full    bool // the next build must be a whole one (changes lost, new builder)

	// special are the inputs known not to be regular files (named pipes,
	// sockets, devices), each with what it is: reading one can block
	// for ever or never end, so no build runs while there is one.
	special map[string]string

	seq        uint64 // counts batches
	stuckAfter time.Duration
	stuckTimer *time.Timer
	lastTook   time.Duration // how long the last finished build took
}

// job is one build running in its own goroutine.
type job struct {
	cancel    context.CancelFunc
	done      chan outcome // buffered: an abandoned build never blocks
	start     time.Time
	verb      string
	seq       uint64 // the last batch it builds
	cancelled bool   // by stuck, once
}

type outcome struct {
	res  *build.Result
	err  error
	took time.Duration
	verb string
}

// batch takes in one settled burst of changes.
func (l *loop) batch(b watch.Batch) {
	s := l.s
	if s.hooks.batch != nil {
		b = s.hooks.batch(b)
	}
	l.seq++
	for _, p := range b.Paths {
		s.pending[p] = l.seq
		l.checkSpecial(p)
	}
	if b.Overflow {
		l.full = true
	}
	if len(b.Paths) == 0 && !b.Overflow {
		if l.running == nil {
			l.idle()
		}
		return
	}
	if l.running != nil {
		l.queued = true
		l.armStuck()
		return
	}
	l.start(false)
}

// start starts a build of everything pending, unless a special file
// stands in the way.
func (l *loop) start(first bool) {
	s := l.s
	verb := "rebuilt"
	if first {
		verb = "built"
	}
	if fi, err := os.Stat(s.opts.Site); err != nil || !fi.IsDir() {
		// Removed or moved away (a re-clone, a sync tool): say so rather
		// than "site.toml: not found". The watcher looks for it.
		err := fmt.Errorf("the site folder %s was removed or moved away: the last good build stays served, and the site is built again when the folder is back", s.opts.Site)
		s.apply(nil, err, 0, verb)
		l.idle()
		return
	}
	for p := range l.special {
		l.checkSpecial(p)
	}
	if len(l.special) > 0 {
		var list diag.List
		for _, p := range slices.Sorted(maps.Keys(l.special)) {
			list.Errorf(p, 0, 0, "%s, not a regular file: Touchstone reads only regular files (remove it, or move it out of the site)", l.special[p])
		}
		s.apply(nil, list.Err(), 0, verb)
		l.idle()
		return
	}
	ctx, cancel := context.WithCancel(l.ctx)
	j := &job{cancel: cancel, done: make(chan outcome, 1), start: time.Now(), verb: "rebuilt", seq: l.seq}
	builder := l.builder
	full := first || l.full || !s.good
	var changed []string
	if full {
		if first {
			j.verb = "built"
		}
	} else {
		// While broken, hand the builder every change since the last
		// good build, so that a failed rebuild can lose none of them.
		changed = slices.Sorted(maps.Keys(s.pending))
	}
	l.full, l.queued = false, false
	start, verb, done := j.start, j.verb, j.done // the loop may change j meanwhile
	go func() {
		defer cancel()
		o := outcome{verb: verb}
		if full {
			o.res, o.err = builder.Build(ctx)
		} else {
			o.res, o.err = builder.Rebuild(ctx, changed)
		}
		o.took = time.Since(start)
		done <- o
	}()
	l.running = j
}

// finish installs a finished build and starts the next one if changes
// came in meanwhile.
func (l *loop) finish(o outcome) {
	j := l.running
	l.running = nil
	l.stopStuck()
	l.lastTook = o.took
	if l.ctx.Err() != nil {
		return // shutting down; the result is of no interest
	}
	if errors.Is(o.err, context.Canceled) {
		// Cancelled as stuck, yet it returned: build again.
		l.queued = true
	} else {
		l.s.apply(o.res, o.err, o.took, o.verb)
	}
	if o.err == nil {
		// What came in while it ran stays pending for the next build.
		maps.DeleteFunc(l.s.pending, func(_ string, seq uint64) bool { return seq <= j.seq })
	}
	if l.queued {
		l.start(false)
		return
	}
	l.idle()
}

// idle tells the test hook that nothing is under way.
func (l *loop) idle() {
	if l.s.hooks.idle != nil {
		l.s.hooks.idle()
	}
}

// armStuck starts the clock on a build that newer changes wait for.
// It is generous: a build that is merely slow must not be taken for
// stuck.
func (l *loop) armStuck() {
	if l.stuckTimer != nil {
		return
	}
	wait := max(l.stuckAfter, 4*l.lastTook)
	if l.running.cancelled {
		wait = max(l.stuckAfter/4, l.lastTook)
	}
	wait -= time.Since(l.running.start)
	l.stuckTimer = time.NewTimer(max(wait, 0))
}

func (l *loop) stopStuck() {
	if l.stuckTimer != nil {
		l.stuckTimer.Stop()
		l.stuckTimer = nil
	}
}

func (l *loop) stuckC() <-chan time.Time {
	if l.stuckTimer == nil {
		return nil
	}
	return l.stuckTimer.C
}

// stuck handles a build that newer changes have waited for too long: it
// is cancelled first; if even then it does not return (a read of a named
// pipe never does), it is left behind and a fresh builder takes over,
// since the stuck one holds on to its own state.
func (l *loop) stuck() {
	l.stuckTimer = nil
	j := l.running
	if j == nil {
		return
	}
	if !j.cancelled {
		j.cancelled = true
		j.cancel()
		j.start = time.Now()
		l.armStuck()
		return
	}
	s := l.s
	if s.opts.NewBuilder == nil {
		fmt.Fprintf(s.out, "a build has not returned for %s, even when cancelled: restart touchstone serve\n", time.Since(j.start).Round(time.Second))
		return
	}
	fmt.Fprintf(s.out, "a build has not returned for %s, even when cancelled (is it reading a named pipe?): starting afresh\n", time.Since(j.start).Round(time.Second))
	l.builder = s.opts.NewBuilder()
	l.running = nil
	l.full = true
	l.start(false)
}

// scanSpecial finds the special files among the inputs before the first
// build; later ones come with the watcher's batches.
func (l *loop) scanSpecial() {
	for _, top := range l.s.opts.Inputs {
		root := filepath.Join(l.s.opts.Site, filepath.FromSlash(top))
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.Type()&(fs.ModeSymlink|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0 {
				if rel, err := filepath.Rel(l.s.opts.Site, p); err == nil {
					l.checkSpecial(filepath.ToSlash(rel))
				}
			}
			return nil
		})
	}
}

// checkSpecial looks at one input and records or forgets it as special.
// A link is followed: a link to /dev/zero never ends.
func (l *loop) checkSpecial(rel string) {
	fi, err := os.Stat(filepath.Join(l.s.opts.Site, filepath.FromSlash(rel)))
	if err != nil || fi.Mode().IsRegular() || fi.IsDir() {
		delete(l.special, rel)
		return
	}
	l.special[rel] = fsread.Kind(fi.Mode())
}
