package responses

import (
	"hash/maphash"
	"sync/atomic"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// A respondent answering the same touchpoint twice in one wave is most
// often an export appended twice or a file copied under a new name
// (issue 17). The responses files remember every (wave, journey,
// touchpoint, respondent) they read, as a 64-bit hash in an
// open-addressing table with the place of its first row, and warn at a
// repeat naming both places. Memory and time are bounded: once the
// table holds maxRepeatKeys keys (about 180,000 respondent rows, 3.5
// MB), the check stops, so a million-row export costs what it did.
const (
	repeatSlots   = 1 << 18
	maxRepeatKeys = repeatSlots * 7 / 10
)

// repeats is the table, shared by the responses files of a load.
type repeats struct {
	// full is set once the table stops taking keys: workers then stop
	// computing them.
	full  atomic.Bool
	seed  maphash.Seed
	keys  []uint64 // 0: empty
	lines []uint32
	files []uint16
	n     int
	paths []string // file index → path
}

func newRepeats() *repeats { return &repeats{seed: maphash.MakeSeed()} }

// touchHash hashes a resolved (wave, journey, touchpoint), once per
// target.
func (r *repeats) touchHash(k model.TouchKey) uint64 {
	return maphash.String(r.seed, k.Wave+"\x00"+k.Journey+"\x00"+k.Touchpoint)
}

// key combines a touchpoint's hash with a respondent's.
func (r *repeats) key(touch uint64, respondent []byte) uint64 {
	h := touch*0x9e3779b97f4a7c15 ^ maphash.Bytes(r.seed, respondent)
	if h == 0 {
		h = 1
	}
	return h
}

// file registers a file and returns its index.
func (r *repeats) file(path string) int {
	r.paths = append(r.paths, path)
	return len(r.paths) - 1
}

// see records key at (file, line) and returns the first place when the
// key was seen before.
func (r *repeats) see(key uint64, file, line int) (model.Pos, bool) {
	if r.keys == nil {
		r.alloc(1 << 12)
	}
	mask := len(r.keys) - 1
	i := int(key>>32) & mask
	for {
		switch r.keys[i] {
		case key:
			return model.Pos{Path: r.paths[r.files[i]], Line: int(r.lines[i])}, true
		case 0:
			if r.n >= maxRepeatKeys || file >= 1<<16 {
				r.full.Store(true)
				return model.Pos{}, false
			}
			r.keys[i], r.lines[i], r.files[i] = key, uint32(line), uint16(file)
			r.n++
			if r.n*10 > len(r.keys)*7 && len(r.keys) < repeatSlots {
				r.grow()
			}
			return model.Pos{}, false
		}
		i = (i + 1) & mask
	}
}

func (r *repeats) alloc(n int) {
	r.keys, r.lines, r.files = make([]uint64, n), make([]uint32, n), make([]uint16, n)
}

// grow doubles the table: it starts small, as most sites' files are.
func (r *repeats) grow() {
	keys, lines, files := r.keys, r.lines, r.files
	r.alloc(2 * len(keys))
	mask := len(r.keys) - 1
	for j, k := range keys {
		if k == 0 {
			continue
		}
		i := int(k>>32) & mask
		for r.keys[i] != 0 {
			i = (i + 1) & mask
		}
		r.keys[i], r.lines[i], r.files[i] = k, lines[j], files[j]
	}
}
