package responses

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
	"github.com/touchstone-cx/touchstone/internal/csvtable"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

// file is one responses file being read: what the workers parsing it
// share (read-only while they run) and what the merge adds to.
type file struct {
	src    *Source
	env    *source.Env
	res    *source.Result
	t      *csvtable.Table
	accs   map[model.CellKey]*source.Exact // the folder's, pooled
	firsts map[model.CellKey]model.Pos
	seen   *repeats
	errs   int // row problems, listed or not

	ly                 layout
	sep                byte
	fields             int // in the header
	scaleMin, scaleMax float64
	journeyIDs         []string
	// adjacent is the first of the wave, journey and touchpoint columns
	// when they are next to each other (as exports have them), else -1.
	adjacent int
	// full says, per touchpoint and wave, the first chunk that alone
	// holds MaxVerbatims comments: later chunks need keep none, which
	// saves copying comments that the merge would drop.
	fullMu sync.Mutex
	full   map[model.TouchKey]*atomic.Int64
}

// init readies the shared, read-only part once the layout is known.
func (f *file) init() {
	site := f.env.Site
	f.sep, f.fields = byte(f.t.Sep), len(f.t.Header)
	f.scaleMin, f.scaleMax = site.Config.Scale.Min, site.Config.Scale.Max
	f.journeyIDs = site.JourneyIDs()
	f.full = map[model.TouchKey]*atomic.Int64{}
	ly := &f.ly
	f.adjacent = -1
	if lo := min(ly.wave, ly.journey, ly.touchpoint); max(ly.wave, ly.journey, ly.touchpoint) == lo+2 {
		f.adjacent = lo
	}
}

// chunkResult is what parsing one chunk found. Lines are counted from the
// chunk's first line (0); the merge makes them file lines.
type chunkResult struct {
	lines int
	keys  []rowKey // (wave, journey, touchpoint, respondent) of each row with a respondent
	waves []waveSeen
	slots []*slot
	diags []rowDiag // the first maxRowErrors row problems
	errs  int       // every row problem, listed or not
	fatal *rowDiag  // a problem that ends the file: CSV syntax, not UTF-8
}

type waveSeen struct {
	wave      string
	line, col int
}

// rowKey is a row's respondent key for the repeat check.
type rowKey struct {
	h         uint64
	line, col int32
	tg        *target
}

type rowDiag struct {
	line, col int
	msg       string
}

// slot is a chunk's figures for one touchpoint in one wave.
type slot struct {
	key       model.TouchKey
	accs      []cellAcc // per score column
	nps       model.NPSCounts
	drivers   *model.DriverSums // complete rows (SPEC §9 "Key drivers"), nil until one
	comments  int
	keep      bool // an earlier chunk has not yet filled the verbatims
	verbatims []model.Verbatim
}

// cellAcc is a chunk's answers to one score column in one slot, and the
// place of the first (relative to the chunk).
type cellAcc struct {
	source.Exact
	first model.Pos
}

// target is what the wave, journey and touchpoint cells of a row name.
// Rows repeat the same few, so each worker resolves a spelling once and
// caches it.
type target struct {
	wave   string
	kind   targetKind
	msg    string // for unknownJourney, unknownTouchpoint
	key    model.TouchKey
	attrOK []bool // per attribute column: an attribute of the journey's brand
	brand  string
	// drvVars are the journey's key-driver variables (its promised
	// attributes, then recommend) and drvCols the score column of each
	// attribute; nil when the file lacks one, so no row is complete.
	drvVars []string
	drvCols []int
	full    *atomic.Int64 // file.full of key
	hash    uint64        // of key, for the repeat check
	// The slot of the chunk being parsed, valid when seq matches, and
	// whether the chunk has its wave yet.
	seq     int
	slot    *slot
	waveSeq int
}

type targetKind int

const (
	targetOK targetKind = iota
	noWave
	brokenJourney // reported where the journey is: rows are skipped silently
	unknownJourney
	unknownTouchpoint
	journeyLevel // an empty touchpoint: the journey's relationship NPS (SPEC §9)
)

// maxTargets bounds a worker's cache: a file of a million distinct
// misspellings must not fill memory.
const maxTargets = 4096

// parser parses chunks of one responses file on one worker.
type parser struct {
	f       *file
	sc      csvscan.Scanner
	targets map[string]*target // by the raw cells
	spans   map[string]*target // by the bytes of adjacent cells
	byName  map[model.TouchKey]*target
	key     []byte
	res     *chunkResult
	// vals and have are this row's valid scores per score column; x is
	// a complete row's driver variables.
	vals  []float64
	have  []bool
	x     []float64
	seq   int
	waves map[string]bool // seen in this chunk
}

func (f *file) newParser() func(*csvscan.Chunk) *chunkResult {
	p := &parser{f: f, targets: map[string]*target{}, spans: map[string]*target{}, byName: map[model.TouchKey]*target{},
		vals: make([]float64, len(f.ly.scores)), have: make([]bool, len(f.ly.scores))}
	return p.parse
}

// rowError records a row problem; only the first maxRowErrors of a chunk
// are formatted, the rest counted.
func (p *parser) rowError(line, col int, format string, args ...any) {
	p.res.errs++
	if len(p.res.diags) < maxRowErrors {
		p.res.diags = append(p.res.diags, rowDiag{line, col, fmt.Sprintf(format, args...)})
	}
}

func (p *parser) parse(c *csvscan.Chunk) *chunkResult {
	f := p.f
	p.seq++ // tells this chunk's slots from the last one's
	p.res = &chunkResult{}
	p.waves = map[string]bool{}
	sc := &p.sc
	*sc = csvscan.Scanner{Data: c.Data, Sep: f.sep, Last: c.Last, Fields: sc.Fields[:0], Arena: sc.Arena[:0]}
	// Checked per chunk, which is fast; per field only when it fails, to
	// find the place.
	valid := utf8.Valid(c.Data)
	comma := f.sep == ';'
	ly := &f.ly
	scaleMin, scaleMax := f.scaleMin, f.scaleMax
	for {
		ok, serr := sc.Scan()
		if serr != nil {
			p.res.fatal = &rowDiag{serr.Line, serr.Col, "CSV: " + serr.Err.Error()}
			break
		}
		if !ok {
			break
		}
		fields := sc.Fields
		if len(fields) != f.fields {
			p.rowError(sc.StartLine, 1, "row has %d fields but the header has %d", len(fields), f.fields)
			continue
		}
		if len(fields) == 1 && len(trim(sc.Content(&fields[0]))) == 0 {
			continue
		}
		if !valid {
			if i := invalidField(sc); i >= 0 {
				line, col := sc.Pos(fields[i].At)
				p.res.fatal = &rowDiag{line, col, `file is not UTF-8 text: save it as UTF-8 (spreadsheets: "CSV UTF-8")`}
				break
			}
		}
		tg := p.target()
		if tg.kind == noWave {
			line, col := sc.Pos(fields[ly.wave].At)
			p.rowError(line, col, "missing wave")
			continue
		}
		if tg.waveSeq != p.seq {
			tg.waveSeq = p.seq
			if !p.waves[tg.wave] {
				p.waves[tg.wave] = true
				line, col := sc.Pos(fields[ly.wave].At)
				p.res.waves = append(p.res.waves, waveSeen{tg.wave, line, col})
			}
		}
		switch tg.kind {
		case brokenJourney:
			continue
		case unknownJourney, unknownTouchpoint:
			at := ly.journey
			if tg.kind == unknownTouchpoint {
				at = ly.touchpoint
			}
			line, col := sc.Pos(fields[at].At)
			p.rowError(line, col, "%s", tg.msg)
			continue
		}
		if tg.seq != p.seq {
			tg.seq = p.seq
			tg.slot = &slot{key: tg.key, accs: make([]cellAcc, len(ly.scores)), keep: tg.full.Load() > int64(c.Seq)}
			p.res.slots = append(p.res.slots, tg.slot)
		}
		s := tg.slot
		clear(p.have)
		for i := range ly.scores {
			ac := &ly.scores[i]
			fs := &fields[ac.col]
			raw := sc.Content(fs)
			if !plain(raw) {
				raw = bytes.TrimSpace(raw)
			}
			if len(raw) == 0 {
				continue // a missing answer, never a zero
			}
			if tg.kind == journeyLevel {
				line, col := sc.Pos(fs.At)
				p.rowError(line, col, "%s score without a touchpoint: a row with an empty touchpoint gives only the journey's recommend (its relationship NPS)", ac.attribute)
				continue
			}
			var v float64
			var m int64
			var exact bool
			if len(raw) == 1 && raw[0]-'0' < 10 { // most answers: one digit
				m = int64(raw[0] - '0')
				v, m, exact = float64(m), m*source.GridScale, true
			} else {
				v, m, exact = source.GridDecimal(raw, comma)
			}
			if !exact {
				var err error
				if v, err = f.number(raw); err != nil {
					line, col := sc.Pos(fs.At)
					p.rowError(line, col, "%s score %q is not a number", ac.attribute, raw)
					continue
				}
			}
			if v < scaleMin || v > scaleMax || v != v {
				line, col := sc.Pos(fs.At)
				p.rowError(line, col, "%s %g is outside the scale %g..%g", ac.what, v, f.scaleMin, f.scaleMax)
				continue
			}
			if !tg.attrOK[i] {
				line, col := sc.Pos(fs.At)
				p.rowError(line, col, "%q is not an attribute of brand %q (journey %q)", ac.attribute, tg.brand, tg.key.Journey)
				continue
			}
			a := &s.accs[i]
			if a.Count() == 0 {
				line, col := sc.Pos(fields[0].At)
				a.first = model.Pos{Path: f.t.Rel, Line: line, Col: col}
			}
			if exact {
				a.AddGrid(m)
			} else {
				a.AddFloat(v)
			}
			p.vals[i], p.have[i] = v, true
		}
		if ly.respondent >= 0 && !f.seen.full.Load() {
			fs := &fields[ly.respondent]
			if id := trim(sc.Content(fs)); len(id) > 0 {
				line, col := sc.Pos(fs.At)
				p.res.keys = append(p.res.keys, rowKey{f.seen.key(tg.hash, id), int32(line), int32(col), tg})
			}
		}
		rec10 := -1
		if ly.recommend >= 0 {
			fs := &fields[ly.recommend]
			if raw := trim(sc.Content(fs)); len(raw) > 0 {
				v, ok := recommend(raw)
				if !ok {
					line, col := sc.Pos(fs.At)
					p.rowError(line, col, "recommend %q must be a whole number from 0 to 10", raw)
				} else {
					// Counts only, as responses have always given: the
					// weighted fields stay empty (unweighted answers).
					switch {
					case v >= 9:
						s.nps.Promoters++
					case v >= 7:
						s.nps.Passives++
					default:
						s.nps.Detractors++
					}
					rec10 = v
				}
			}
		}
		if rec10 >= 0 && tg.drvCols != nil {
			p.driverRow(s, tg, rec10)
		}
		if ly.comment >= 0 && tg.kind != journeyLevel {
			fs := &fields[ly.comment]
			if text := trim(sc.Content(fs)); len(text) > 0 {
				s.comments++
				if s.keep && len(s.verbatims) < MaxVerbatims {
					line, col := sc.Pos(fs.At)
					v := model.Verbatim{Text: string(text), Pos: model.Pos{Path: f.t.Rel, Line: line, Col: col}}
					if rec10 >= 0 {
						r := rec10
						v.Recommend = &r
					}
					if ly.respondent >= 0 {
						v.Respondent = string(trim(sc.Content(&fields[ly.respondent])))
					}
					s.verbatims = append(s.verbatims, v)
				}
			}
		}
	}
	p.res.lines = sc.Line
	for _, s := range p.res.slots {
		if len(s.verbatims) == MaxVerbatims {
			full := f.fullFor(s.key)
			for {
				old := full.Load()
				if old <= int64(c.Seq) || full.CompareAndSwap(old, int64(c.Seq)) {
					break
				}
			}
		}
	}
	return p.res
}

// invalidField returns the first field of the record that is not UTF-8,
// or -1.
func invalidField(sc *csvscan.Scanner) int {
	for i := range sc.Fields {
		if !utf8.Valid(sc.Content(&sc.Fields[i])) {
			return i
		}
	}
	return -1
}

// target resolves the row's wave, journey and touchpoint cells.
func (p *parser) target() *target {
	f, sc := p.f, &p.sc
	if a := f.adjacent; a >= 0 {
		// The three cells as they are in the file, separators included,
		// are the key: the same bytes always parse to the same cells.
		fs := sc.Fields[a : a+3]
		if !fs[0].Esc && !fs[1].Esc && !fs[2].Esc {
			if tg, ok := p.spans[string(sc.Data[fs[0].At:fs[2].Hi])]; ok {
				return tg
			}
		}
	}
	return p.targetSlow()
}

func (p *parser) targetSlow() *target {
	f, sc := p.f, &p.sc
	w := sc.Content(&sc.Fields[f.ly.wave])
	j := sc.Content(&sc.Fields[f.ly.journey])
	tp := sc.Content(&sc.Fields[f.ly.touchpoint])
	// The key holds the raw cells with their lengths, so that no two
	// different rows share one.
	k := p.key[:0]
	k = binary.AppendUvarint(k, uint64(len(w)))
	k = append(k, w...)
	k = binary.AppendUvarint(k, uint64(len(j)))
	k = append(k, j...)
	k = append(k, tp...)
	p.key = k
	if tg, ok := p.targets[string(k)]; ok { // no allocation: the compiler sees the conversion is only a lookup
		return tg
	}
	tg := p.resolve(string(trim(w)), string(trim(j)), string(trim(tp)))
	if len(p.targets) < maxTargets {
		p.targets[string(k)] = tg
		if a := f.adjacent; a >= 0 {
			if fs := sc.Fields[a : a+3]; !fs[0].Esc && !fs[1].Esc && !fs[2].Esc {
				p.spans[string(sc.Data[fs[0].At:fs[2].Hi])] = tg
			}
		}
	}
	return tg
}

func (p *parser) resolve(wave, jid, tid string) *target {
	name := model.TouchKey{Wave: wave, Journey: jid, Touchpoint: tid}
	if tg, ok := p.byName[name]; ok {
		return tg
	}
	tg := p.f.resolve(name)
	if len(p.byName) < maxTargets {
		p.byName[name] = tg
	}
	return tg
}

// resolve looks a row's names up in the site, as the row-by-row checks
// always have: wave first, then journey (silently skipped when its file
// is broken, reported otherwise), then touchpoint.
func (f *file) resolve(name model.TouchKey) *target {
	site := f.env.Site
	tg := &target{wave: name.Wave}
	if name.Wave == "" {
		tg.kind = noWave
		return tg
	}
	j := site.Journey(name.Journey)
	if f.env.IsBroken("journey", name.Journey) {
		tg.kind = brokenJourney
		return tg
	}
	if j == nil {
		tg.kind = unknownJourney
		tg.msg = diag.Unknown("journey", name.Journey, f.journeyIDs)
		return tg
	}
	if name.Touchpoint == "" {
		// A journey-level row: its recommend is the journey's
		// relationship NPS; it has no cells and no verbatims.
		tg.kind = journeyLevel
		tg.key = model.TouchKey{Wave: name.Wave, Journey: j.ID}
		tg.hash = f.seen.touchHash(tg.key)
		tg.full = f.fullFor(tg.key)
		tg.attrOK = make([]bool, len(f.ly.scores))
		return tg
	}
	tp := j.Touchpoint(name.Touchpoint)
	if tp == nil {
		tg.kind = unknownTouchpoint
		tg.msg = diag.Unknown("touchpoint of journey "+strconv.Quote(j.ID), name.Touchpoint, touchpointIDs(j))
		return tg
	}
	tg.key = model.TouchKey{Wave: name.Wave, Journey: j.ID, Touchpoint: tp.ID}
	tg.hash = f.seen.touchHash(tg.key)
	tg.full = f.fullFor(tg.key)
	tg.brand = j.Brand
	b := site.Brand(j.Brand)
	tg.attrOK = make([]bool, len(f.ly.scores))
	for i, a := range f.ly.scores {
		tg.attrOK[i] = hasAttribute(b, a.attribute)
	}
	if vars := source.DriverVars(j, b); vars != nil {
		cols := make([]int, len(vars)-1)
		for k, v := range vars[:len(vars)-1] {
			cols[k] = -1
			for i, a := range f.ly.scores {
				if a.attribute == v {
					cols[k] = i
				}
			}
			if cols[k] < 0 {
				cols = nil // the file has no column for it: no row is complete
				break
			}
		}
		if cols != nil {
			tg.drvVars, tg.drvCols = vars, cols
		}
	}
	return tg
}

// driverRow adds the row to its slot's key-driver sums when it is
// complete: a valid answer on every attribute the journey promises, and
// recommend (SPEC §9). Responses are unweighted.
func (p *parser) driverRow(s *slot, tg *target, rec10 int) {
	if cap(p.x) < len(tg.drvVars) {
		p.x = make([]float64, len(tg.drvVars))
	}
	x := p.x[:len(tg.drvVars)]
	for k, col := range tg.drvCols {
		if !p.have[col] {
			return
		}
		x[k] = p.vals[col]
	}
	x[len(x)-1] = float64(rec10)
	if s.drivers == nil {
		s.drivers = model.NewDriverSums(tg.drvVars)
	}
	s.drivers.Add(x, 1)
}

// fullFor returns the shared first-full-chunk of a touchpoint and wave.
func (f *file) fullFor(k model.TouchKey) *atomic.Int64 {
	f.fullMu.Lock()
	defer f.fullMu.Unlock()
	a := f.full[k]
	if a == nil {
		a = new(atomic.Int64)
		a.Store(math.MaxInt64)
		f.full[k] = a
	}
	return a
}

// number parses a score the fast path did not take: plain decimals
// only (survey.Decimal), so "1e3", "0x1p2" and "4_2", which Go's
// ParseFloat would take, are errors.
func (f *file) number(raw []byte) (float64, error) {
	v, ok := survey.Decimal(raw, f.sep == ';')
	if !ok {
		return 0, errNotDecimal
	}
	return v, nil
}

var errNotDecimal = errors.New("not a plain decimal number")

// recommend parses a 0..10 answer as strconv.Atoi would, then checks the
// range.
func recommend(raw []byte) (int, bool) {
	switch {
	case len(raw) == 1 && raw[0]-'0' < 10:
		return int(raw[0] - '0'), true
	case len(raw) == 2 && raw[0] == '1' && raw[1] == '0':
		return 10, true
	}
	v, err := strconv.Atoi(string(raw))
	return v, err == nil && v >= 0 && v <= 10
}

// trim is bytes.TrimSpace, with the common case (nothing to trim) small
// enough to be inlined.
func trim(b []byte) []byte {
	if plain(b) {
		return b
	}
	return bytes.TrimSpace(b)
}

// plain reports whether b has nothing to trim: empty, or printable ASCII
// at both ends.
func plain(b []byte) bool {
	return len(b) == 0 || b[0]-'!' < 0x7f-'!' && b[len(b)-1]-'!' < 0x7f-'!'
}

func touchpointIDs(j *model.Journey) []string {
	ids := make([]string, len(j.Touchpoints))
	for i, t := range j.Touchpoints {
		ids[i] = t.ID
	}
	return ids
}

func hasAttribute(b *model.Brand, id string) bool {
	if b == nil {
		return false
	}
	for _, a := range b.Attributes {
		if a.ID == id {
			return true
		}
	}
	return false
}
