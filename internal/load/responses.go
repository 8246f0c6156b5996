package load

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

// maxVerbatims is how many comments are kept per touchpoint and wave: a
// page shows a readable sample, and memory stays bounded whatever the
// size of the export. The total count is kept exactly.
const maxVerbatims = 200

// acc accumulates a mean and a sample variance in one pass and constant
// memory. Survey answers are short decimals, so those with at most three
// decimals are summed exactly as integer thousandths (Σm in an int64, Σm²
// in 128 bits): no rounding at all until the end, no division per value,
// and partial sums from chunks parsed in parallel add up exactly, in any
// order. Any other value goes to a Welford accumulator, merged with the
// exact part by Chan's formula at the end.
type acc struct {
	n      int64  // exact part: number of values,
	s      int64  // Σ m, m = value·1000,
	qh, ql uint64 // Σ m², high and low words
	wn     int64  // Welford part
	wmean  float64
	wm2    float64
	first  model.Pos
}

// gridDigits is how many decimals the exact part takes; maxGridInt bounds
// the integer digits so that m² fits in 64 bits.
const (
	gridDigits = 3
	gridScale  = 1000
	maxGridInt = 6
)

func (a *acc) addGrid(m int64) {
	a.n++
	a.s += m
	var c uint64
	a.ql, c = bits.Add64(a.ql, uint64(m*m), 0)
	a.qh += c
}

func (a *acc) addFloat(x float64) {
	a.wn++
	d := x - a.wmean
	a.wmean += d / float64(a.wn)
	a.wm2 += d * (x - a.wmean)
}

// merge adds b's values to a.
func (a *acc) merge(b *acc) {
	a.n += b.n
	a.s += b.s
	var c uint64
	a.ql, c = bits.Add64(a.ql, b.ql, 0)
	a.qh += b.qh + c
	a.wn, a.wmean, a.wm2 = chan3(a.wn, a.wmean, a.wm2, b.wn, b.wmean, b.wm2)
}

// chan3 merges two (n, mean, M2) summaries (Chan et al.).
func chan3(na int64, ma, m2a float64, nb int64, mb, m2b float64) (int64, float64, float64) {
	switch {
	case nb == 0:
		return na, ma, m2a
	case na == 0:
		return nb, mb, m2b
	}
	n := na + nb
	d := mb - ma
	fa, fb, fn := float64(na), float64(nb), float64(n)
	return n, ma + d*fb/fn, m2a + m2b + d*d*fa*fb/fn
}

// count is the number of values.
func (a *acc) count() int { return int(a.n + a.wn) }

// stats returns the mean and M2 (the sum of squared deviations). The
// exact part is converted with one rounding each, through big numbers:
// this runs once per cell.
func (a *acc) stats() (mean, m2 float64) {
	if a.n == 0 {
		return a.wmean, a.wm2
	}
	const prec = 256
	n := new(big.Int).SetInt64(a.n)
	s := new(big.Int).SetInt64(a.s)
	q := new(big.Int).Lsh(new(big.Int).SetUint64(a.qh), 64)
	q.Add(q, new(big.Int).SetUint64(a.ql))
	// mean = s / (n·1000); M2 = (n·q − s²) / (n·1000²)
	den := new(big.Float).SetPrec(prec).SetInt(new(big.Int).Mul(n, big.NewInt(gridScale)))
	gm, _ := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).SetInt(s), den).Float64()
	num := new(big.Int).Sub(new(big.Int).Mul(n, q), new(big.Int).Mul(s, s))
	den.Mul(den, big.NewFloat(gridScale))
	gm2, _ := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).SetInt(num), den).Float64()
	_, mean, m2 = chan3(a.n, gm, gm2, a.wn, a.wmean, a.wm2)
	return mean, m2
}

func (l *loader) responses() {
	accs := map[model.CellKey]*acc{}
	seen := newRepeats()
	for _, path := range l.files("data/responses", ".csv") {
		t, ok := l.openTable(path)
		if !ok {
			continue
		}
		l.responsesFile(t, accs, seen)
		t.finish()
		t.Close()
	}
	// Several response files pool into one source: exports are often
	// split by month or channel. A cell also given by measures or inline
	// is a conflict.
	keys := make([]model.CellKey, 0, len(accs))
	for k := range accs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return accs[keys[i]].first.Line < accs[keys[j]].first.Line })
	for _, k := range keys {
		a := accs[k]
		if prev, dup := l.site.Cells[k]; dup {
			l.errorf(a.first, "%s has two sources: responses from this row on and %s", describe(k), where(prev.Source))
			continue
		}
		mean, m2 := a.stats()
		c := &model.Cell{Mean: mean, N: a.count(), Source: a.first, Kind: model.FromResponses}
		if c.N >= 2 {
			c.SD = math.Sqrt(m2 / float64(c.N-1))
		}
		c.HasStats = true // with n = 1 the n is known, no sd nor CI
		l.site.Cells[k] = c
	}
}

// attrCol is a responses column holding an attribute's scores.
type attrCol struct {
	id  string
	col int
}

// respFile is what the workers parsing one responses file share; all of
// it is read-only while they run.
type respFile struct {
	l                  *loader
	rel                string
	sep                byte
	fields             int // in the header
	seen               *repeats
	cw, cj, ct         int
	cr, cc, cid        int // -1 when absent
	attrs              []attrCol
	scaleMin, scaleMax float64
	scoreWhat          []string // "<attribute> score", for messages
	journeyIDs         []string
	// adjacent is the first of the wave, journey and touchpoint columns
	// when they are next to each other (as exports have them), else -1.
	adjacent int
	// full says, per touchpoint and wave, the first chunk that alone
	// holds maxVerbatims comments: later chunks need keep none, which
	// saves copying comments that the merge would drop.
	fullMu sync.Mutex
	full   map[model.TouchKey]*atomic.Int64
}

func (l *loader) responsesFile(t *table, accs map[model.CellKey]*acc, seen *repeats) {
	if l.rawExport(t) || !t.require("wave", "journey", "touchpoint") {
		return
	}
	f := &respFile{l: l, rel: t.rel, sep: byte(t.sep), fields: len(t.header), full: map[model.TouchKey]*atomic.Int64{}, seen: seen,
		cw: t.col["wave"], cj: t.col["journey"], ct: t.col["touchpoint"], cr: -1, cc: -1, cid: -1,
		scaleMin: l.site.Config.Scale.Min, scaleMax: l.site.Config.Scale.Max, journeyIDs: l.site.JourneyIDs()}
	f.adjacent = -1
	if lo := min(f.cw, f.cj, f.ct); max(f.cw, f.cj, f.ct) == lo+2 {
		f.adjacent = lo
	}
	if c, ok := t.col["recommend"]; ok {
		f.cr = c
	}
	if c, ok := t.col["comment"]; ok {
		f.cc = c
	}
	if c, ok := t.col["respondent"]; ok {
		f.cid = c
	}
	anyBroken := false
	for _, b := range l.site.Brands {
		anyBroken = anyBroken || l.isBroken("brand", b.ID)
	}
	all := map[string]bool{}
	var allIDs []string
	for _, b := range l.site.Brands {
		for _, a := range b.Attributes {
			if !all[a.ID] {
				all[a.ID] = true
				allIDs = append(allIDs, a.ID)
			}
		}
	}
	var unknown []int
	meta := map[string]bool{"respondent": true, "wave": true, "journey": true, "touchpoint": true, "recommend": true, "comment": true}
	for i, h := range t.header {
		switch {
		case meta[h]:
		case all[h]:
			f.attrs = append(f.attrs, attrCol{h, i})
			f.scoreWhat = append(f.scoreWhat, h+" score")
		case h == "" || anyBroken:
		default:
			unknown = append(unknown, i)
		}
	}
	l.unknownColumns(t, unknown, allIDs)

	off, line, err := t.dataStart()
	if err != nil {
		l.diags.Errorf(t.rel, 0, 0, "%v", err)
		return
	}
	if _, err := t.f.Seek(off, 0); err != nil {
		l.diags.Errorf(t.rel, 0, 0, "%v", err)
		return
	}
	fileIx, repeatsN := seen.file(t.rel), 0
	// Wave cells that look like timestamps are one error, not a wave
	// each.
	stamps, first, firstStamp := 0, model.Pos{}, ""
	// line is the number of the chunk's first line; results come in file
	// order, each saying how many lines it spans.
	merge := func(r *chunkResult) bool {
		base := line
		line += r.lines
		pos := func(rl, col int) model.Pos { return model.Pos{Path: t.rel, Line: base + rl, Col: col} }
		for _, w := range r.waves {
			if survey.LooksLikeTimestamp(w.wave) {
				stamps++
				if stamps == 1 {
					first = pos(w.line, w.col)
					firstStamp = w.wave
				}
				continue
			}
			l.seeWave(w.wave, pos(w.line, w.col))
		}
		for _, d := range r.diags {
			t.errorf(base+d.line, d.col, "%s", d.msg)
		}
		for _, k := range r.keys {
			if seen.full.Load() {
				break // the check stopped (see repeats)
			}
			if first, dup := seen.see(k.h, fileIx, base+int(k.line)); dup {
				repeatsN++
				if repeatsN <= maxRowErrors {
					l.diags.Warnf(t.rel, base+int(k.line), int(k.col), "%s", repeatMsg(k.tg.key, first))
				}
			}
		}
		t.errs += r.errs - len(r.diags)
		for _, s := range r.slots {
			f.mergeSlot(s, accs, base)
		}
		if r.fatal != nil {
			l.diags.Errorf(t.rel, base+r.fatal.line, r.fatal.col, "%s", r.fatal.msg)
			return false
		}
		return true
	}
	if err := csvscan.ForChunks(t.f, f.sep, chunkSize, f.newParser, merge); err != nil {
		l.diags.Errorf(t.rel, 0, 0, "%v", err)
	}
	if repeatsN > maxRowErrors {
		l.diags.Warnf(t.rel, 0, 0, "%d more repeated respondents in this file not listed", repeatsN-maxRowErrors)
	}
	if stamps > 0 {
		l.errorf(first, "the wave column holds timestamps (%q, and %d more distinct ones in this file's chunks), not wave names such as \"2026-H1\": to cut waves from dates, read the file through a mapping with wave = { column = \"wave\", ranges = … } (touchstone survey init %s)", firstStamp, stamps-1, t.rel)
	}
}

// mergeSlot adds a chunk's figures for one touchpoint and wave to the
// site's, base being the chunk's first line.
func (f *respFile) mergeSlot(s *slot, accs map[model.CellKey]*acc, base int) {
	l := f.l
	tk := s.key
	if s.nps.N() > 0 {
		c := l.site.NPS[tk]
		if c == nil {
			c = &model.NPSCounts{}
			l.site.NPS[tk] = c
		}
		c.Promoters += s.nps.Promoters
		c.Passives += s.nps.Passives
		c.Detractors += s.nps.Detractors
	}
	if s.comments > 0 {
		vb := l.site.Verbatims[tk]
		if vb == nil {
			vb = &model.Verbatims{}
			l.site.Verbatims[tk] = vb
		}
		vb.Total += s.comments
		for _, v := range s.verbatims {
			if len(vb.Comments) >= maxVerbatims {
				break
			}
			v.Pos.Line += base
			vb.Comments = append(vb.Comments, v)
		}
	}
	for i := range s.accs {
		a := &s.accs[i]
		if a.count() == 0 {
			continue
		}
		k := model.CellKey{Wave: tk.Wave, Journey: tk.Journey, Touchpoint: tk.Touchpoint, Attribute: f.attrs[i].id}
		g := accs[k]
		if g == nil {
			g = &acc{first: a.first}
			g.first.Line += base
			accs[k] = g
		}
		g.merge(a)
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
	accs      []acc // per attribute column
	nps       model.NPSCounts
	comments  int
	keep      bool // an earlier chunk has not yet filled the verbatims
	verbatims []model.Verbatim
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
	full   *atomic.Int64 // respFile.full of key
	hash   uint64        // of key, for the repeat check
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
)

// maxTargets bounds a worker's cache: a file of a million distinct
// misspellings must not fill memory.
const maxTargets = 4096

// parser parses chunks of one responses file on one worker.
type parser struct {
	f       *respFile
	sc      csvscan.Scanner
	targets map[string]*target // by the raw cells
	spans   map[string]*target // by the bytes of adjacent cells
	byName  map[model.TouchKey]*target
	key     []byte
	res     *chunkResult
	seq     int
	waves   map[string]bool // seen in this chunk
}

func (f *respFile) newParser() func(*csvscan.Chunk) *chunkResult {
	p := &parser{f: f, targets: map[string]*target{}, spans: map[string]*target{}, byName: map[model.TouchKey]*target{}}
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
			line, col := sc.Pos(fields[f.cw].At)
			p.rowError(line, col, "missing wave")
			continue
		}
		if tg.waveSeq != p.seq {
			tg.waveSeq = p.seq
			if !p.waves[tg.wave] {
				p.waves[tg.wave] = true
				line, col := sc.Pos(fields[f.cw].At)
				p.res.waves = append(p.res.waves, waveSeen{tg.wave, line, col})
			}
		}
		switch tg.kind {
		case brokenJourney:
			continue
		case unknownJourney, unknownTouchpoint:
			at := f.cj
			if tg.kind == unknownTouchpoint {
				at = f.ct
			}
			line, col := sc.Pos(fields[at].At)
			p.rowError(line, col, "%s", tg.msg)
			continue
		}
		if tg.seq != p.seq {
			tg.seq = p.seq
			tg.slot = &slot{key: tg.key, accs: make([]acc, len(f.attrs)), keep: tg.full.Load() > int64(c.Seq)}
			p.res.slots = append(p.res.slots, tg.slot)
		}
		s := tg.slot
		for i, ac := range f.attrs {
			fs := &fields[ac.col]
			raw := sc.Content(fs)
			if !plain(raw) {
				raw = bytes.TrimSpace(raw)
			}
			if len(raw) == 0 {
				continue // a missing answer, never a zero
			}
			var v float64
			var m int64
			var exact bool
			if len(raw) == 1 && raw[0]-'0' < 10 { // most answers: one digit
				m = int64(raw[0] - '0')
				v, m, exact = float64(m), m*gridScale, true
			} else {
				v, m, exact = fastDecimal(raw, comma)
			}
			if !exact {
				var err error
				if v, err = f.number(raw); err != nil {
					line, col := sc.Pos(fs.At)
					p.rowError(line, col, "%s score %q is not a number", ac.id, raw)
					continue
				}
			}
			if v < scaleMin || v > scaleMax || v != v {
				line, col := sc.Pos(fs.At)
				p.rowError(line, col, "%s %g is outside the scale %g..%g", f.scoreWhat[i], v, f.scaleMin, f.scaleMax)
				continue
			}
			if !tg.attrOK[i] {
				line, col := sc.Pos(fs.At)
				p.rowError(line, col, "%q is not an attribute of brand %q (journey %q)", ac.id, tg.brand, tg.key.Journey)
				continue
			}
			a := &s.accs[i]
			if a.count() == 0 {
				line, col := sc.Pos(fields[0].At)
				a.first = model.Pos{Path: f.rel, Line: line, Col: col}
			}
			if exact {
				a.addGrid(m)
			} else {
				a.addFloat(v)
			}
		}
		if f.cid >= 0 && !f.seen.full.Load() {
			fs := &fields[f.cid]
			if id := trim(sc.Content(fs)); len(id) > 0 {
				line, col := sc.Pos(fs.At)
				p.res.keys = append(p.res.keys, rowKey{f.seen.key(tg.hash, id), int32(line), int32(col), tg})
			}
		}
		rec10 := -1
		if f.cr >= 0 {
			fs := &fields[f.cr]
			if raw := trim(sc.Content(fs)); len(raw) > 0 {
				v, ok := recommend(raw)
				if !ok {
					line, col := sc.Pos(fs.At)
					p.rowError(line, col, "recommend %q must be a whole number from 0 to 10", raw)
				} else {
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
		if f.cc >= 0 {
			fs := &fields[f.cc]
			if text := trim(sc.Content(fs)); len(text) > 0 {
				s.comments++
				if s.keep && len(s.verbatims) < maxVerbatims {
					line, col := sc.Pos(fs.At)
					v := model.Verbatim{Text: string(text), Pos: model.Pos{Path: f.rel, Line: line, Col: col}}
					if rec10 >= 0 {
						r := rec10
						v.Recommend = &r
					}
					if f.cid >= 0 {
						v.Respondent = string(trim(sc.Content(&fields[f.cid])))
					}
					s.verbatims = append(s.verbatims, v)
				}
			}
		}
	}
	p.res.lines = sc.Line
	for _, s := range p.res.slots {
		if len(s.verbatims) == maxVerbatims {
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
	w := sc.Content(&sc.Fields[f.cw])
	j := sc.Content(&sc.Fields[f.cj])
	tp := sc.Content(&sc.Fields[f.ct])
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
func (f *respFile) resolve(name model.TouchKey) *target {
	l := f.l
	tg := &target{wave: name.Wave}
	if name.Wave == "" {
		tg.kind = noWave
		return tg
	}
	j := l.site.Journey(name.Journey)
	if l.isBroken("journey", name.Journey) {
		tg.kind = brokenJourney
		return tg
	}
	if j == nil {
		tg.kind = unknownJourney
		tg.msg = diag.Unknown("journey", name.Journey, f.journeyIDs)
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
	b := l.site.Brand(j.Brand)
	tg.attrOK = make([]bool, len(f.attrs))
	for i, a := range f.attrs {
		tg.attrOK[i] = hasAttribute(b, a.id)
	}
	return tg
}

// fullFor returns the shared first-full-chunk of a touchpoint and wave.
func (f *respFile) fullFor(k model.TouchKey) *atomic.Int64 {
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
// only, as table.number.
func (f *respFile) number(raw []byte) (float64, error) {
	v, ok := survey.Decimal(raw, f.sep == ';')
	if !ok {
		return 0, errNotDecimal
	}
	return v, nil
}

// pow10 holds the powers of ten a score's decimals divide by.
var (
	pow10f = [gridDigits + 1]float64{1, 10, 100, 1000}
	pow10i = [gridDigits + 1]int64{1, 10, 100, 1000}
)

// fastDecimal parses the scores survey tools write, "4", "3.5", ".25",
// with a decimal comma when comma is set: at most six integer digits and
// three decimals, nothing else. It returns the value as strconv.ParseFloat
// would (an integer below 2^53 divided by an exact power of ten is
// correctly rounded, which is what ParseFloat guarantees) and the value
// in thousandths, exact; ok is false for anything else, which then takes
// the slow path.
func fastDecimal(b []byte, comma bool) (v float64, m int64, ok bool) {
	var ip int64
	i := 0
	for ; i < len(b) && b[i]-'0' < 10; i++ {
		ip = ip*10 + int64(b[i]-'0')
	}
	nd := i
	if nd > maxGridInt {
		return 0, 0, false
	}
	var frac int64
	fd := 0
	if i < len(b) && (b[i] == '.' || comma && b[i] == ',') {
		i++
		for ; i < len(b) && b[i]-'0' < 10; i++ {
			if fd == gridDigits {
				return 0, 0, false
			}
			frac = frac*10 + int64(b[i]-'0')
			fd++
		}
	}
	if i != len(b) || nd+fd == 0 {
		return 0, 0, false
	}
	mant := ip*pow10i[fd] + frac
	return float64(mant) / pow10f[fd], mant * pow10i[gridDigits-fd], true
}

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

// headerCol is the column of header field i, counted from field 0's.
func headerCol(header []string, i, first int) int {
	col := first
	for k := 0; k < i; k++ {
		col += len(header[k]) + 1
	}
	return col
}

// maxUnknownColumns is how many unknown columns of a responses file are
// reported one by one (each with its nearest attribute); more are one
// warning that lists them.
const maxUnknownColumns = 3

// unknownColumns reports header columns that name no attribute: one by
// one with the nearest attribute when few, else one warning listing
// them (an export with its own column names).
func (l *loader) unknownColumns(t *table, unknown []int, allIDs []string) {
	_, col0 := t.r.FieldPos(0) // the header is the last record read
	if len(unknown) <= maxUnknownColumns {
		for _, i := range unknown {
			h := t.header[i]
			msg := "column " + strconv.Quote(h) + " is not an attribute of any brand and is ignored"
			if s := diag.Suggest(h, allIDs); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			l.diags.Warnf(t.rel, 1, headerCol(t.header, i, col0), "%s", msg)
		}
	} else {
		// Many unknown columns are one problem (an export with its
		// own column names), not a screenful.
		var names []string
		for _, i := range unknown {
			names = append(names, strconv.Quote(t.header[i]))
		}
		l.diags.Warnf(t.rel, 1, headerCol(t.header, unknown[0], col0), "%d columns are not attributes of any brand and are ignored: %s (attributes: %s; an export with its own column names is read through a mapping: touchstone survey init %s)",
			len(unknown), strings.Join(names, ", "), strings.Join(allIDs, ", "), t.rel)
	}

}
