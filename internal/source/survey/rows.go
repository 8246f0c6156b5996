package survey

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/mapping"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
)

// reader reads one export of a mapping into the source's Result.
type reader struct {
	src    *Source
	env    *source.Env
	m      *mapping.Mapping
	rel    string // the export
	res    *source.Result
	broken bool // the mapping has errors: check columns, aggregate nothing
	errs   int
	// dropped counts rows whose date is in no wave range; firstDrop is
	// the first one's line.
	dropped, firstDrop int
	// segValue is the value as first written of each segment slug,
	// shared by the exports of the mapping.
	segValue map[segKey]string
	// stamps counts distinct timestamps met in a wave column of names.
	stamps     int
	firstStamp string
	stampAt    model.Pos
}

// plan is the mapping compiled against one export's columns; read-only
// while workers parse.
type plan struct {
	rel        string
	mapRel     string
	sep        byte
	fields     int
	wave       *mapping.Wave
	waveCol    int
	respondent int
	weight     int
	weightLine int
	where      []filter
	segments   []segCol
	questions  []question
	comments   []comment
	drivers    []driverPlan
	site       model.Scale
	// full marks the verbatims (per segment value, or everyone's, and
	// touchpoint and wave) that the merge has filled with MaxVerbatims
	// comments: chunks parsed later need keep none, which saves copying
	// comments that would be dropped.
	full sync.Map // fullKey → true
}

type fullKey struct {
	seg segKey // zero for everyone's
	k   model.TouchKey
}

type filter struct {
	col    int
	values []string
}

type segCol struct {
	id  string
	col int
}

type qKind int

const (
	attrQ qKind = iota
	touchRec
	journeyRec
	brandRec
)

type question struct {
	q      *mapping.Question
	col    int
	name   string // the column's id, for messages
	kind   qKind
	labels *mapping.Labels
	brand  string
	// scale maps answers: on the question's scale lo..hi, onto the
	// site's.
	lo, hi float64
	scaled bool
	// numericLabels: the map recodes numbers too ("1" = 5), so numbers
	// go through it first.
	numericLabels bool
}

type comment struct {
	col                 int
	journey, touchpoint string
	rec                 int // index of the touchpoint's recommend question, or -1
}

// driverPlan is one touchpoint whose answer rows feed its journey's key
// drivers: the question of every variable, recommend last.
type driverPlan struct {
	journey string
	vars    []string
	qs      []int
}

func (r *reader) errorf(p model.Pos, format string, args ...any) {
	r.env.Diags.Errorf(p.Path, p.Line, p.Col, format, args...)
}

func (r *reader) read(path string) {
	f, err := os.Open(path)
	if err != nil {
		r.env.Diags.Errorf(r.rel, 0, 0, "%v", err)
		return
	}
	defer f.Close()
	h, herr := ReadHeader(f, r.m.Format)
	if herr != nil {
		r.env.Diags.Errorf(r.rel, herr.Line, herr.Col, "%s", herr.Msg)
		return
	}
	p, ok := r.compile(h)
	if !ok || r.broken {
		return
	}
	line := h.DataLine
	merge := func(c *chunkResult) bool {
		base := line
		line += c.lines
		r.mergeChunk(p, c, base)
		if c.fatal != nil {
			r.env.Diags.Errorf(r.rel, base+c.fatal.line, c.fatal.col, "%s", c.fatal.msg)
			return false
		}
		return true
	}
	if err := csvscan.ForChunks(h.Rest, h.Sep, r.src.chunk, func() func(*csvscan.Chunk) *chunkResult { return newParser(p).parse }, merge); err != nil {
		r.env.Diags.Errorf(r.rel, 0, 0, "%v", err)
	}
	if r.errs > maxRowErrors {
		r.env.Diags.Errorf(r.rel, 0, 0, "%d more problems in this file not listed", r.errs-maxRowErrors)
	}
	if r.stamps > 0 {
		r.errorf(r.stampAt, "column %q holds timestamps (%q and %d more), not wave names: cut them into waves with ranges, e.g. wave = { column = %q, ranges = { \"2026-H1\" = [\"2026-01-01\", \"2026-06-30\"] } } (wave at %s:%d)",
			r.m.Wave.Column.Name, r.firstStamp, r.stamps-1, r.m.Wave.Column.Name, r.m.Path, r.m.Wave.Pos.Line)
	}
	if r.dropped > 0 {
		r.env.Diags.Warnf(r.rel, r.firstDrop, 0, "%d rows have a %s date in no wave range of %s and were left out (the first on this line)", r.dropped, r.m.Wave.Column.Name, r.m.Path)
	}
}

// compile finds every mapped column in the export's header.
func (r *reader) compile(h *Header) (*plan, bool) {
	m, site := r.m, r.env.Site
	ix := NewIndex(h.Columns)
	ok := true
	find := func(c mapping.Column) int {
		if c.Name == "" {
			return -1
		}
		i, msg := ix.Find(c.Name)
		if i < 0 {
			r.errorf(c.Pos, "%s in %s (a %s export)", msg, r.rel, h.Format)
			ok = false
		}
		return i
	}
	p := &plan{rel: r.rel, mapRel: m.Path, sep: h.Sep, fields: len(h.Columns), wave: &m.Wave, waveCol: -1, site: site.Config.Scale}
	p.waveCol = find(m.Wave.Column)
	p.respondent = find(m.Respondent)
	p.weight = find(m.Weight)
	p.weightLine = m.Weight.Pos.Line
	for _, w := range m.Where {
		p.where = append(p.where, filter{find(w.Column), w.Values})
	}
	for _, s := range m.Segments {
		p.segments = append(p.segments, segCol{s.ID, find(s.Column)})
	}
	brand := m.BrandOf(site)
	recOf := map[model.TouchKey]int{}
	for i := range m.Questions {
		q := &m.Questions[i]
		col := find(q.Column)
		pq := question{q: q, col: col, labels: m.Labels[q.Labels], lo: site.Config.Scale.Min, hi: site.Config.Scale.Max}
		if col >= 0 {
			pq.name = h.Columns[col].ID
		}
		switch {
		case !q.Recommend:
			pq.kind = attrQ
		case q.Journey == "":
			pq.kind, pq.brand = brandRec, brand
		case q.Touchpoint == "":
			pq.kind = journeyRec
		default:
			pq.kind = touchRec
			k := model.TouchKey{Journey: q.Journey, Touchpoint: q.Touchpoint}
			if _, dup := recOf[k]; !dup {
				recOf[k] = len(p.questions)
			}
		}
		if q.Scale != nil {
			pq.lo, pq.hi, pq.scaled = q.Scale.Min, q.Scale.Max, true
		}
		if pq.labels != nil {
			for _, n := range pq.labels.Names {
				if _, ok := Decimal([]byte(strings.TrimSpace(n)), false); ok {
					pq.numericLabels = true
				}
			}
		}
		p.questions = append(p.questions, pq)
	}
	for i := range m.Comments {
		c := &m.Comments[i]
		rec, has := recOf[model.TouchKey{Journey: c.Journey, Touchpoint: c.Touchpoint}]
		if !has {
			rec = -1
		}
		p.comments = append(p.comments, comment{find(c.Column), c.Journey, c.Touchpoint, rec})
	}
	// Key drivers: a touchpoint with a recommend question and a question
	// for every attribute its journey promises.
	for k, rec := range recOf {
		j := site.Journey(k.Journey)
		if j == nil {
			continue
		}
		vars := source.DriverVars(j, site.Brand(j.Brand))
		if vars == nil {
			continue
		}
		qs := make([]int, len(vars))
		complete := true
		for vi, v := range vars[:len(vars)-1] {
			qs[vi] = -1
			for qi, pq := range p.questions {
				if pq.kind == attrQ && pq.q.Journey == k.Journey && pq.q.Touchpoint == k.Touchpoint && pq.q.Attribute == v {
					qs[vi] = qi
					break
				}
			}
			complete = complete && qs[vi] >= 0
		}
		qs[len(vars)-1] = rec
		if complete {
			p.drivers = append(p.drivers, driverPlan{k.Journey, vars, qs})
		}
	}
	sortDrivers(p.drivers)
	return p, ok
}

// sortDrivers orders driver plans by their recommend question, so the
// sums are added in the same order every run.
func sortDrivers(d []driverPlan) {
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j].qs[len(d[j].qs)-1] < d[j-1].qs[len(d[j-1].qs)-1]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// chunkResult is what one chunk of rows gave. Lines count from the
// chunk's first line (0); the merge makes them file lines.
type chunkResult struct {
	lines     int
	data      *source.Data
	segs      map[segKey]*segPart
	segOrder  []segKey
	waves     []waveSeen
	diags     []rowDiag
	errs      int
	fatal     *rowDiag
	dropped   int
	firstDrop int
}

type segKey struct{ id, slug string }

type segPart struct {
	value string // as first written in the chunk
	data  *source.Data
	t     *target
}

type waveSeen struct {
	wave      string
	line, col int
}

type rowDiag struct {
	line, col int
	msg       string
}

// parser parses chunks of one export on one worker. Rows repeat the
// same few waves, segment values and answers, so it resolves each once
// per chunk (waves, labels, missing codes, the cells a row feeds) and
// allocates nothing per row on the common path.
type parser struct {
	p     *plan
	sc    csvscan.Scanner
	res   *chunkResult
	vals  []float64
	has   []bool
	recs  []int // per question: the whole recommend answer, or -1
	drv   []float64
	comma bool
	// waves: index of each wave name; waveOf: the wave index of a
	// wave cell or a date, by its bytes.
	waves   []string
	waveIx  map[string]int
	waveOf  map[string]int
	seen    []bool // wave index seen in this chunk
	main    target
	targets []*target
	slots   []*slot               // of the row's targets in its wave
	segs    []map[string]*segPart // per segment column: raw value → part
	labels  []map[string]labelHit // per question: raw answer → value
	recent  [][]recentLabel       // per question: its commonest answers
	missing [][][]byte            // per question: folded missing codes
	where   [][][]byte
}

type labelHit struct {
	v  float64
	ok bool
}

// recentLabel is an answer of a labelled question and its value.
type recentLabel struct {
	raw []byte
	hit labelHit
}

// maxRecent is how many answers of a question the short list holds.
const maxRecent = 8

// target is one population a row feeds (everyone, or one segment
// value), with per-wave slots of the cells it reaches.
type target struct {
	data  *source.Data
	seg   segKey // zero for everyone's
	slots []*slot
}

// slot holds, for one target and wave, the accumulators each question,
// driver plan and comment column feeds: found in the maps once a chunk.
type slot struct {
	cells []*source.Acc
	nps   []*model.NPSCounts
	drv   []*model.DriverSums
	vb    []*model.Verbatims
	// keep says, per comment column, whether comments are still kept:
	// the merge has not yet filled that touchpoint's.
	keep []bool
}

// maxCache bounds each per-worker cache: a file of a million distinct
// misspellings must not fill memory.
const maxCache = 4096

func newParser(p *plan) *parser {
	n := len(p.questions)
	ps := &parser{p: p, vals: make([]float64, n), has: make([]bool, n), recs: make([]int, n), comma: p.sep == ';',
		waveIx: map[string]int{}, waveOf: map[string]int{}, labels: make([]map[string]labelHit, n), recent: make([][]recentLabel, n), missing: make([][][]byte, n)}
	for i, q := range p.questions {
		ps.labels[i] = map[string]labelHit{}
		for _, m := range q.q.Missing {
			ps.missing[i] = append(ps.missing[i], []byte(m))
		}
	}
	for _, f := range p.where {
		var vals [][]byte
		for _, v := range f.values {
			vals = append(vals, []byte(v))
		}
		ps.where = append(ps.where, vals)
	}
	return ps
}

func (ps *parser) rowError(line, col int, format string, args ...any) {
	ps.res.errs++
	if len(ps.res.diags) < maxRowErrors {
		ps.res.diags = append(ps.res.diags, rowDiag{line, col, fmt.Sprintf(format, args...)})
	}
}

func (ps *parser) at(i int) (line, col int) { return ps.sc.Pos(ps.sc.Fields[i].At) }

func (ps *parser) cell(i int) []byte { return trim(ps.sc.Content(&ps.sc.Fields[i])) }

func (ps *parser) parse(c *csvscan.Chunk) *chunkResult {
	p := ps.p
	ps.res = &chunkResult{data: source.NewData(), segs: map[segKey]*segPart{}, firstDrop: -1}
	ps.main = target{data: ps.res.data}
	ps.segs = make([]map[string]*segPart, len(p.segments))
	for i := range ps.segs {
		ps.segs[i] = map[string]*segPart{}
	}
	for i := range ps.seen {
		ps.seen[i] = false
	}
	sc := &ps.sc
	*sc = csvscan.Scanner{Data: c.Data, Sep: p.sep, Last: c.Last, Fields: sc.Fields[:0], Arena: sc.Arena[:0]}
	valid := utf8.Valid(c.Data)
rows:
	for {
		ok, serr := sc.Scan()
		if serr != nil {
			ps.res.fatal = &rowDiag{serr.Line, serr.Col, "CSV: " + serr.Err.Error()}
			break
		}
		if !ok {
			break
		}
		if len(sc.Fields) == 1 && len(ps.cell(0)) == 0 {
			continue
		}
		if len(sc.Fields) != p.fields {
			ps.rowError(sc.StartLine, 1, "row has %d fields but the header has %d", len(sc.Fields), p.fields)
			continue
		}
		if !valid {
			for i := range sc.Fields {
				if !utf8.Valid(sc.Content(&sc.Fields[i])) {
					line, col := ps.at(i)
					ps.res.fatal = &rowDiag{line, col, errNotUTF8}
					break rows
				}
			}
		}
		for i, f := range p.where {
			if !anyFold(ps.cell(f.col), ps.where[i]) {
				continue rows
			}
		}
		wave, ok := ps.wave()
		if !ok {
			if ps.res.fatal != nil {
				break
			}
			continue
		}
		w := 1.0
		if p.weight >= 0 {
			raw := ps.cell(p.weight)
			v, ok := Decimal(raw, ps.comma)
			if !ok || !(v > 0) {
				line, col := ps.at(p.weight)
				ps.rowError(line, col, "weight %q must be a positive number (weight column at %s:%d)", raw, p.mapRel, p.weightLine)
				continue
			}
			w = v
		}
		ps.row(wave, w)
	}
	ps.res.lines = sc.Line
	return ps.res
}

// waveIndex names a wave by its index, adding it on first sight.
func (ps *parser) waveIndex(w string) int {
	if i, ok := ps.waveIx[w]; ok {
		return i
	}
	ps.waveIx[w] = len(ps.waves)
	ps.waves = append(ps.waves, w)
	ps.seen = append(ps.seen, false)
	return len(ps.waves) - 1
}

// wave is the row's wave index; ok false drops the row (reported).
func (ps *parser) wave() (int, bool) {
	p := ps.p
	var wi int
	if p.wave.Fixed != "" {
		wi = ps.waveIndex(p.wave.Fixed)
		ps.seen[wi] = true // seen at the mapping's wave key
		return wi, true
	}
	raw := ps.cell(p.waveCol)
	if len(raw) == 0 {
		line, col := ps.at(p.waveCol)
		ps.rowError(line, col, "missing wave: column %q is empty", p.wave.Column.Name)
		return 0, false
	}
	if len(p.wave.Ranges) == 0 {
		wi, ok := ps.waveOf[string(raw)]
		if !ok {
			wi = ps.waveIndex(string(raw))
			if len(ps.waveOf) < maxCache {
				ps.waveOf[string(raw)] = wi
			}
		}
		if !ps.seen[wi] {
			ps.seen[wi] = true
			line, col := ps.at(p.waveCol)
			ps.res.waves = append(ps.res.waves, waveSeen{ps.waves[wi], line, col})
		}
		return wi, true
	}
	// A timestamp's wave depends on its date only: cache by the date.
	date := raw
	for i, c := range raw {
		if c == ' ' || c == 'T' {
			date = raw[:i]
			break
		}
	}
	wi, ok := ps.waveOf[string(date)]
	if ok && (len(date) == len(raw) || plausibleTime(string(raw[len(date)+1:]))) {
		if wi < 0 {
			ps.drop()
			return 0, false
		}
		ps.seeRange(wi)
		return wi, true
	}
	line, col := ps.at(p.waveCol)
	d, e := Date(string(raw), p.wave.DateOrder)
	switch e {
	case DateNeedsOrder:
		ps.res.fatal = &rowDiag{line, col, fmt.Sprintf("date %q has slashes: say how to read it with date_order = \"mdy\" (month first) or \"dmy\" in the wave table at %s:%d", raw, p.mapRel, p.wave.Pos.Line)}
		return 0, false
	case DateBad:
		ps.rowError(line, col, "%q in column %q is not a date (2026-04-02, 2026-04-02 10:14:00, 2026-04-02T10:14:00Z or 4/2/2026 10:14:00)", raw, p.wave.Column.Name)
		return 0, false
	}
	wi = -1
	if w := p.wave.WaveOf(d); w != "" {
		wi = ps.waveIndex(w)
	}
	if len(ps.waveOf) < maxCache {
		ps.waveOf[string(date)] = wi
	}
	if wi < 0 {
		ps.drop()
		return 0, false
	}
	ps.seeRange(wi)
	return wi, true
}

func (ps *parser) drop() {
	ps.res.dropped++
	if ps.res.firstDrop < 0 {
		ps.res.firstDrop = ps.sc.StartLine
	}
}

// seeRange records a wave given by a date range, seen at the range.
func (ps *parser) seeRange(wi int) {
	if !ps.seen[wi] {
		ps.seen[wi] = true
		ps.res.waves = append(ps.res.waves, waveSeen{ps.waves[wi], -1, 0})
	}
}

// anyFold reports whether v is one of values (folded), ignoring case.
// A value of another length is skipped without a look: case folding
// keeps the length of everything but a few letters (the Kelvin sign)
// no export writes in a code or a filter value.
func anyFold(v []byte, values [][]byte) bool {
	for _, x := range values {
		if len(x) == len(v) && bytes.EqualFold(v, x) {
			return true
		}
	}
	return false
}

// slotOf returns the slot of a target in a wave.
func (ps *parser) slotOf(t *target, wi int) *slot {
	for len(t.slots) <= wi {
		t.slots = append(t.slots, nil)
	}
	sl := t.slots[wi]
	if sl == nil {
		p := ps.p
		sl = &slot{cells: make([]*source.Acc, len(p.questions)), nps: make([]*model.NPSCounts, len(p.questions)),
			drv: make([]*model.DriverSums, len(p.drivers)), vb: make([]*model.Verbatims, len(p.comments)), keep: make([]bool, len(p.comments))}
		for ci, c := range p.comments {
			_, full := p.full.Load(fullKey{t.seg, model.TouchKey{Wave: ps.waves[wi], Journey: c.journey, Touchpoint: c.touchpoint}})
			sl.keep[ci] = !full
		}
		t.slots[wi] = sl
	}
	return sl
}

// row adds one kept row's answers.
func (ps *parser) row(wi int, w float64) {
	p, res := ps.p, ps.res
	wave := ps.waves[wi]
	targets := append(ps.targets[:0], &ps.main)
	for si, s := range p.segments {
		v := ps.cell(s.col)
		if len(v) == 0 {
			continue
		}
		sp := ps.segs[si][string(v)]
		if sp == nil {
			k := segKey{s.id, Slug(string(v))}
			sp = res.segs[k]
			if sp == nil {
				sp = &segPart{value: string(v), data: source.NewData()}
				sp.t = &target{data: sp.data, seg: k}
				res.segs[k] = sp
				res.segOrder = append(res.segOrder, k)
			}
			if len(ps.segs[si]) < maxCache {
				ps.segs[si][string(v)] = sp
			}
		}
		targets = append(targets, sp.t)
	}
	ps.targets = targets
	slots := ps.slots[:0]
	for _, t := range targets {
		slots = append(slots, ps.slotOf(t, wi))
	}
	ps.slots = slots
	for qi := range p.questions {
		q := &p.questions[qi]
		ps.has[qi], ps.recs[qi] = false, -1
		raw := ps.cell(q.col)
		if len(raw) == 0 || len(ps.missing[qi]) > 0 && anyFold(raw, ps.missing[qi]) {
			continue
		}
		v, ok := ps.answer(qi, q, raw)
		if !ok {
			continue
		}
		ps.vals[qi], ps.has[qi] = v, true
		if q.kind == attrQ {
			for ti, t := range targets {
				sl := slots[ti]
				a := sl.cells[qi]
				if a == nil {
					k := model.CellKey{Wave: wave, Journey: q.q.Journey, Touchpoint: q.q.Touchpoint, Attribute: q.q.Attribute}
					if a = t.data.Cells[k]; a == nil {
						line, col := ps.at(q.col)
						a = &source.Acc{First: model.Pos{Path: p.rel, Line: line, Col: col}}
						t.data.Cells[k] = a
					}
					sl.cells[qi] = a
				}
				a.Add(v, w)
			}
			continue
		}
		n := int(v)
		ps.recs[qi] = n
		for ti, t := range targets {
			sl := slots[ti]
			c := sl.nps[qi]
			if c == nil {
				c = npsOf(t.data, q, wave)
				sl.nps[qi] = c
			}
			c.AddNPS(n, w)
		}
	}
	for di, dp := range p.drivers {
		x := ps.drv[:0]
		complete := true
		for _, qi := range dp.qs {
			if !ps.has[qi] {
				complete = false
				break
			}
			x = append(x, ps.vals[qi])
		}
		ps.drv = x
		if !complete {
			continue
		}
		for ti, t := range targets {
			sl := slots[ti]
			s := sl.drv[di]
			if s == nil {
				k := model.JourneyKey{Wave: wave, Journey: dp.journey}
				if s = t.data.Drivers[k]; s == nil {
					s = model.NewDriverSums(dp.vars)
					t.data.Drivers[k] = s
				}
				sl.drv[di] = s
			}
			s.Add(x, w)
		}
	}
	for ci, c := range p.comments {
		text := ps.cell(c.col)
		if len(text) == 0 {
			continue
		}
		var v *model.Verbatim
		for ti, t := range targets {
			sl := slots[ti]
			vb := sl.vb[ci]
			if vb == nil {
				k := model.TouchKey{Wave: wave, Journey: c.journey, Touchpoint: c.touchpoint}
				if vb = t.data.Verbatims[k]; vb == nil {
					vb = &model.Verbatims{}
					t.data.Verbatims[k] = vb
				}
				sl.vb[ci] = vb
			}
			vb.Total++
			if !sl.keep[ci] || len(vb.Comments) >= MaxVerbatims {
				continue
			}
			if v == nil {
				line, col := ps.at(c.col)
				v = &model.Verbatim{Text: string(text), Pos: model.Pos{Path: p.rel, Line: line, Col: col}}
				if c.rec >= 0 && ps.recs[c.rec] >= 0 {
					r := ps.recs[c.rec]
					v.Recommend = &r
				}
				if p.respondent >= 0 {
					v.Respondent = string(ps.cell(p.respondent))
				}
			}
			vb.Comments = append(vb.Comments, *v)
		}
	}
}

// npsOf finds or makes the NPS counts a recommend question feeds.
func npsOf(d *source.Data, q *question, wave string) *model.NPSCounts {
	var c *model.NPSCounts
	switch q.kind {
	case touchRec:
		k := model.TouchKey{Wave: wave, Journey: q.q.Journey, Touchpoint: q.q.Touchpoint}
		if c = d.NPS[k]; c == nil {
			c = &model.NPSCounts{}
			d.NPS[k] = c
		}
	case journeyRec:
		k := model.JourneyKey{Wave: wave, Journey: q.q.Journey}
		if c = d.JourneyNPS[k]; c == nil {
			c = &model.NPSCounts{}
			d.JourneyNPS[k] = c
		}
	default:
		k := model.BrandKey{Wave: wave, Brand: q.brand}
		if c = d.BrandNPS[k]; c == nil {
			c = &model.NPSCounts{}
			d.BrandNPS[k] = c
		}
	}
	return c
}

// answer turns a raw answer into the number the cell takes: through
// the question's labels, then reverse, then its scale onto the site's;
// a recommend answer must be a whole number 0..10.
func (ps *parser) answer(qi int, q *question, raw []byte) (float64, bool) {
	p := ps.p
	v, isNum := Decimal(raw, ps.comma)
	if q.labels != nil && (!isNum || q.numericLabels) {
		// The few answers of a closed question are found by a look
		// along a short list, cheaper than hashing; the map holds the
		// rest.
		var hit labelHit
		cached := false
		for _, r := range ps.recent[qi] {
			if string(r.raw) == string(raw) {
				hit, cached = r.hit, true
				break
			}
		}
		if !cached {
			hit, cached = ps.labels[qi][string(raw)]
			if cached && len(ps.recent[qi]) < maxRecent {
				ps.recent[qi] = append(ps.recent[qi], recentLabel{[]byte(string(raw)), hit})
			}
		}
		if !cached {
			hit.v, hit.ok = q.labels.Lookup(string(raw))
			if len(ps.labels[qi]) < maxCache {
				ps.labels[qi][string(raw)] = hit
			}
		}
		if !hit.ok && isNum {
			// A number the map does not recode is taken as it is.
		} else if !hit.ok {
			line, col := ps.at(q.col)
			ps.rowError(line, col, "%s answer %q is not in labels %q (%s:%d)%s", q.name, raw, q.labels.Name, p.mapRel, q.labels.Pos.Line, didYouMean(string(raw), q.labels.Names))
			return 0, false
		}
		if hit.ok {
			v, isNum = hit.v, true
		}
	}
	if !isNum {
		line, col := ps.at(q.col)
		ps.rowError(line, col, "%s answer %q is not a number: map text answers to numbers with labels (question at %s:%d)", q.name, raw, p.mapRel, q.q.Pos.Line)
		return 0, false
	}
	if q.kind != attrQ {
		if v != math.Trunc(v) || v < 0 || v > 10 {
			line, col := ps.at(q.col)
			ps.rowError(line, col, "%s answer %s must be a whole number from 0 to 10 to count as recommend (question at %s:%d)", q.name, fmtNum(v, raw), p.mapRel, q.q.Pos.Line)
			return 0, false
		}
		return v, true
	}
	if v < q.lo || v > q.hi {
		line, col := ps.at(q.col)
		which := "the site's scale"
		if q.scaled {
			which = "the question's scale"
		}
		ps.rowError(line, col, "%s answer %s is outside %s %g..%g (question at %s:%d)", q.name, fmtNum(v, raw), which, q.lo, q.hi, p.mapRel, q.q.Pos.Line)
		return 0, false
	}
	if q.q.Reverse {
		v = q.lo + q.hi - v
	}
	if q.scaled {
		v = p.site.Min + (v-q.lo)*(p.site.Max-p.site.Min)/(q.hi-q.lo)
	}
	return v, true
}

func fmtNum(v float64, raw []byte) string {
	if len(raw) > 0 {
		return string(raw)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func didYouMean(s string, names []string) string {
	if n := diag.Suggest(s, names); n != "" {
		return " (did you mean " + strconv.Quote(n) + "?)"
	}
	return ""
}

// mergeChunk adds a chunk's figures and problems to the Result in file
// order; base is the chunk's first line.
func (r *reader) mergeChunk(p *plan, c *chunkResult, base int) {
	res := r.res
	for _, w := range c.waves {
		if w.line < 0 {
			for _, rg := range r.m.Wave.Ranges {
				if rg.Wave == w.wave {
					res.SeeWave(w.wave, rg.Pos)
				}
			}
			continue
		}
		pos := model.Pos{Path: r.rel, Line: base + w.line, Col: w.col}
		if LooksLikeTimestamp(w.wave) {
			// A wave column of timestamps is a date column without
			// ranges: one error, not a wave per second.
			if r.stamps == 0 {
				r.firstStamp, r.stampAt = w.wave, pos
			}
			r.stamps++
			continue
		}
		res.SeeWave(w.wave, pos)
	}
	for _, d := range c.diags {
		r.errs++
		if r.errs <= maxRowErrors {
			r.env.Diags.Errorf(r.rel, base+d.line, d.col, "%s", d.msg)
		}
	}
	r.errs += c.errs - len(c.diags)
	if c.dropped > 0 {
		if r.dropped == 0 {
			r.firstDrop = base + c.firstDrop
		}
		r.dropped += c.dropped
	}
	mergeData(res.Data, c.data, base)
	markFull(&p.full, segKey{}, res.Data, c.data)
	for _, k := range c.segOrder {
		sp := c.segs[k]
		v, seen := r.segValue[k]
		if !seen {
			v = sp.value
			r.segValue[k] = v
		}
		d := res.Segment(source.SegmentValue{Segment: k.id, Value: v})
		mergeData(d, sp.data, base)
		markFull(&p.full, k, d, sp.data)
	}
}

// markFull records the verbatims of a chunk that the merge has filled.
func markFull(full *sync.Map, seg segKey, merged, chunk *source.Data) {
	for k := range chunk.Verbatims {
		if vb := merged.Verbatims[k]; vb != nil && len(vb.Comments) >= MaxVerbatims {
			full.Store(fullKey{seg, k}, true)
		}
	}
}

// mergeData adds src (positions relative to a chunk starting at line
// base) to dst.
func mergeData(dst, src *source.Data, base int) {
	for k, a := range src.Cells {
		g := dst.Cells[k]
		if g == nil {
			g = &source.Acc{First: a.First}
			g.First.Line += base
			dst.Cells[k] = g
		}
		g.Merge(a.Moments)
	}
	mergeNPS(dst.NPS, src.NPS)
	mergeNPS(dst.JourneyNPS, src.JourneyNPS)
	mergeNPS(dst.BrandNPS, src.BrandNPS)
	for k, s := range src.Drivers {
		if g := dst.Drivers[k]; g != nil {
			g.Merge(s)
		} else {
			dst.Drivers[k] = s
		}
	}
	for k, vb := range src.Verbatims {
		g := dst.Verbatims[k]
		if g == nil {
			g = &model.Verbatims{}
			dst.Verbatims[k] = g
		}
		g.Total += vb.Total
		for _, v := range vb.Comments {
			if len(g.Comments) >= MaxVerbatims {
				break
			}
			v.Pos.Line += base
			g.Comments = append(g.Comments, v)
		}
	}
}

func mergeNPS[K comparable](dst, src map[K]*model.NPSCounts) {
	for k, c := range src {
		if g := dst[k]; g != nil {
			g.Merge(*c)
		} else {
			cc := *c
			dst[k] = &cc
		}
	}
}

// trim is bytes.TrimSpace with the common case inlined.
func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r' || b[len(b)-1] == '\n') {
		b = b[:len(b)-1]
	}
	return b
}
