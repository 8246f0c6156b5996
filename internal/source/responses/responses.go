// Package responses reads data/responses/*.csv, the wide files of one
// row per respondent and touchpoint (SPEC §2), as a source.Source: the
// files of the folder are one source, pooled per cell, whose Result load
// merges with the survey mappings' and database sources'.
//
// A responses file is the mapping where every column is named after
// what it measures (SPEC §8): its header is compiled into a layout
// (wave, journey, touchpoint, respondent, one score column per
// attribute, recommend, comment), and its rows stream through the same
// scanner as survey exports (internal/csvscan, chunks parsed on every
// core) into the same currency (source.Data). What differs from the
// survey engine, and why:
//
//   - A survey question is one cell fixed by the mapping; a responses
//     row names its own wave, journey and touchpoint, so the cells a
//     row feeds are resolved per row (cached per worker by the bytes of
//     the three cells, which rows repeat) rather than once per column.
//   - Responses answers are unweighted and on the site's scale, without
//     labels, missing codes or rescaling, so the per-answer work is a
//     digit or two; they are summed exactly as integer thousandths
//     (source.Exact, which Acc.Cell prefers) so that figures never
//     depend on how rows were cut into chunks, and stay those the
//     responses path has always given. The survey engine's per-question
//     label, missing-code and scale steps and its weighted float sums
//     (model.Moments) are work this path does not need and would change
//     the last digits of its figures.
//
// What is shared: the scanner and the chunking (csvscan), the header
// reading of data/ tables (csvtable), the plain-decimal and timestamp
// rules (survey.Decimal, survey.LooksLikeTimestamp), the raw-export
// recognition (survey.ReadHeader), the currency (source.Data, Acc) and
// the pooling and two-sources check (load).
package responses

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
	"github.com/touchstone-cx/touchstone/internal/csvtable"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

// MaxVerbatims is how many comments are kept per touchpoint and wave: a
// page shows a readable sample, and memory stays bounded whatever the
// size of the export. The total count is kept exactly.
const MaxVerbatims = survey.MaxVerbatims

// maxRowErrors bounds the diagnostics one file can produce: a
// systematic mistake in a million-row export should read as one problem
// with a count, not a million lines.
const maxRowErrors = 50

// defaultChunk is how much of a file one worker parses at a time: big
// enough that handing a chunk over costs nothing next to parsing it,
// small enough that the few in flight keep memory low.
const defaultChunk = 1 << 20

// Source is the responses files of one folder.
type Source struct {
	dir   string
	chunk int
}

// New returns the source of the *.csv files in dir (relative to the
// site root, slash-separated: "data/responses").
func New(dir string) *Source { return &Source{dir: dir, chunk: defaultChunk} }

// WithChunkSize sets the chunk size, so tests can cut tiny chunks and
// check that nothing depends on where chunks end.
func (s *Source) WithChunkSize(n int) *Source { s.chunk = n; return s }

// Path is the folder.
func (s *Source) Path() string { return s.dir }

// Files lists the folder's *.csv files, sorted; a missing folder is no
// error.
func (s *Source) Files(env *source.Env) []string {
	dir := filepath.Join(env.Root, filepath.FromSlash(s.dir))
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			env.Diags.Errorf(s.dir, 0, 0, "%v", err)
		}
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".csv") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		out = append(out, filepath.Join(dir, e.Name()))
	}
	sort.Strings(out)
	return out
}

// Load reads every file of the folder. Several files pool into one
// source (exports are often split by month or channel); a respondent
// repeated within or across them is warned about.
func (s *Source) Load(ctx context.Context, env *source.Env) *source.Result {
	res := source.NewResult(model.FromResponses)
	accs := map[model.CellKey]*source.Exact{}
	firsts := map[model.CellKey]model.Pos{}
	seen := newRepeats()
	for _, path := range s.Files(env) {
		if ctx.Err() != nil {
			break
		}
		rel := relTo(env.Root, path)
		res.Inputs = append(res.Inputs, rel)
		t, ok := csvtable.Open(path, rel, env.Site.Config.CSVSep, env.Diags)
		if !ok {
			continue
		}
		f := &file{src: s, env: env, res: res, t: t, accs: accs, firsts: firsts, seen: seen}
		f.read()
		if f.errs > maxRowErrors {
			env.Diags.Errorf(rel, 0, 0, "%d more problems in this file not listed", f.errs-maxRowErrors)
		}
		t.Close()
	}
	for k, e := range accs {
		res.Data.Cells[k] = &source.Acc{Moments: e.Moments(), First: firsts[k], Exact: e}
	}
	return res
}

func relTo(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// layout says what each column of a responses file measures: the
// mapping the header stands for. Absent columns are -1.
type layout struct {
	wave, journey, touchpoint int
	respondent, recommend     int
	comment                   int
	scores                    []score
	unknown                   []int // columns that name nothing
}

// score is a column of one attribute's scores.
type score struct {
	attribute string
	col       int
	what      string // "<attribute> score", for messages
}

// meta are the columns that are not attributes.
var meta = [...]string{"respondent", "wave", "journey", "touchpoint", "recommend", "comment"}

// layoutOf compiles a header (lower-cased, trimmed) against the site's
// attributes; the wave, journey and touchpoint columns must be there.
func layoutOf(col map[string]int, header []string, attrs map[string]bool, anyBroken bool) layout {
	ly := layout{wave: col["wave"], journey: col["journey"], touchpoint: col["touchpoint"], respondent: -1, recommend: -1, comment: -1}
	if c, ok := col["recommend"]; ok {
		ly.recommend = c
	}
	if c, ok := col["comment"]; ok {
		ly.comment = c
	}
	if c, ok := col["respondent"]; ok {
		ly.respondent = c
	}
	for i, h := range header {
		switch {
		case isMeta(h):
		case attrs[h]:
			ly.scores = append(ly.scores, score{h, i, h + " score"})
		case h == "" || anyBroken:
		default:
			ly.unknown = append(ly.unknown, i)
		}
	}
	return ly
}

func isMeta(h string) bool {
	for _, m := range meta {
		if h == m {
			return true
		}
	}
	return false
}

// maxUnknownColumns is how many unknown columns of a responses file are
// reported one by one (each with its nearest attribute); more are one
// warning that lists them.
const maxUnknownColumns = 3

// unknownColumns reports header columns that name no attribute: one by
// one with the nearest attribute when few, else one warning listing
// them (an export with its own column names).
func unknownColumns(d *diag.List, t *csvtable.Table, unknown []int, allIDs []string) {
	if len(unknown) <= maxUnknownColumns {
		for _, i := range unknown {
			h := t.Header[i]
			msg := "column " + strconv.Quote(h) + " is not an attribute of any brand and is ignored"
			if s := diag.Suggest(h, allIDs); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			d.Warnf(t.Rel, 1, t.HeaderCol(i), "%s", msg)
		}
		return
	}
	// Many unknown columns are one problem (an export with its own
	// column names), not a screenful.
	var names []string
	for _, i := range unknown {
		names = append(names, strconv.Quote(t.Header[i]))
	}
	d.Warnf(t.Rel, 1, t.HeaderCol(unknown[0]), "%d columns are not attributes of any brand and are ignored: %s (attributes: %s; an export with its own column names is read through a mapping: touchstone survey init %s)",
		len(unknown), strings.Join(names, ", "), strings.Join(allIDs, ", "), t.Rel)
}

// rawExport recognises a survey tool's export put in data/responses/
// (it lacks the wave, journey and touchpoint columns and has a
// Qualtrics or SurveyMonkey header) and says how to map it.
func rawExport(d *diag.List, root string, t *csvtable.Table) bool {
	if _, ok := t.Col["wave"]; ok {
		return false
	}
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(t.Rel)))
	if err != nil {
		return false
	}
	defer f.Close()
	h, herr := survey.ReadHeader(f, "auto")
	if herr != nil || h.Format == survey.Plain {
		return false
	}
	d.Errorf(t.Rel, 1, 1, "this is a %s export, not a responses file: map it with `touchstone survey init %s` (it copies the export to data/surveys/ and writes a mapping beside it), then remove it from data/responses/", h.Format, t.Rel)
	return true
}

// read streams one file's rows into the source's Result.
func (f *file) read() {
	env, t := f.env, f.t
	if rawExport(env.Diags, env.Root, t) || !t.Require(env.Diags, "wave", "journey", "touchpoint") {
		return
	}
	site := env.Site
	anyBroken := false
	for _, b := range site.Brands {
		anyBroken = anyBroken || env.IsBroken("brand", b.ID)
	}
	all := map[string]bool{}
	var allIDs []string
	for _, b := range site.Brands {
		for _, a := range b.Attributes {
			if !all[a.ID] {
				all[a.ID] = true
				allIDs = append(allIDs, a.ID)
			}
		}
	}
	f.ly = layoutOf(t.Col, t.Header, all, anyBroken)
	unknownColumns(env.Diags, t, f.ly.unknown, allIDs)
	f.init()

	off, line, err := t.DataStart()
	if err != nil {
		env.Diags.Errorf(t.Rel, 0, 0, "%v", err)
		return
	}
	if _, err := t.F.Seek(off, 0); err != nil {
		env.Diags.Errorf(t.Rel, 0, 0, "%v", err)
		return
	}
	seen := f.seen
	fileIx, repeatsN := seen.file(t.Rel), 0
	// Wave cells that look like timestamps are one error, not a wave
	// each.
	stamps, first, firstStamp := 0, model.Pos{}, ""
	// line is the number of the chunk's first line; results come in file
	// order, each saying how many lines it spans.
	merge := func(r *chunkResult) bool {
		base := line
		line += r.lines
		pos := func(rl, col int) model.Pos { return model.Pos{Path: t.Rel, Line: base + rl, Col: col} }
		for _, w := range r.waves {
			if survey.LooksLikeTimestamp(w.wave) {
				stamps++
				if stamps == 1 {
					first = pos(w.line, w.col)
					firstStamp = w.wave
				}
				continue
			}
			f.res.SeeWave(w.wave, pos(w.line, w.col))
		}
		for _, d := range r.diags {
			f.rowError(base+d.line, d.col, d.msg)
		}
		for _, k := range r.keys {
			if seen.full.Load() {
				break // the check stopped (see repeats)
			}
			if first, dup := seen.see(k.h, fileIx, base+int(k.line)); dup {
				repeatsN++
				if repeatsN <= maxRowErrors {
					env.Diags.Warnf(t.Rel, base+int(k.line), int(k.col), "%s", repeatMsg(k.tg.key, first))
				}
			}
		}
		f.errs += r.errs - len(r.diags)
		for _, s := range r.slots {
			f.mergeSlot(s, base)
		}
		if r.fatal != nil {
			env.Diags.Errorf(t.Rel, base+r.fatal.line, r.fatal.col, "%s", r.fatal.msg)
			return false
		}
		return true
	}
	if err := csvscan.ForChunks(t.F, f.sep, f.src.chunk, f.newParser, merge); err != nil {
		env.Diags.Errorf(t.Rel, 0, 0, "%v", err)
	}
	if repeatsN > maxRowErrors {
		env.Diags.Warnf(t.Rel, 0, 0, "%d more repeated respondents in this file not listed", repeatsN-maxRowErrors)
	}
	if stamps > 0 {
		env.Diags.Errorf(first.Path, first.Line, first.Col, "the wave column holds timestamps (%q, and %d more distinct ones in this file's chunks), not wave names such as \"2026-H1\": to cut waves from dates, read the file through a mapping with wave = { column = \"wave\", ranges = … } (touchstone survey init %s)", firstStamp, stamps-1, t.Rel)
	}
}

// rowError reports a row problem, up to maxRowErrors per file.
func (f *file) rowError(line, col int, msg string) {
	f.errs++
	if f.errs <= maxRowErrors {
		f.env.Diags.Errorf(f.t.Rel, line, col, "%s", msg)
	}
}

// mergeSlot adds a chunk's figures for one touchpoint and wave to the
// Result's, base being the chunk's first line.
func (f *file) mergeSlot(s *slot, base int) {
	d := f.res.Data
	tk := s.key
	if s.nps.N() > 0 && tk.Touchpoint == "" {
		jk := model.JourneyKey{Wave: tk.Wave, Journey: tk.Journey}
		c := d.JourneyNPS[jk]
		if c == nil {
			c = &model.NPSCounts{}
			d.JourneyNPS[jk] = c
		}
		c.Merge(s.nps)
	} else if s.nps.N() > 0 {
		c := d.NPS[tk]
		if c == nil {
			c = &model.NPSCounts{}
			d.NPS[tk] = c
		}
		c.Merge(s.nps)
	}
	if s.drivers != nil {
		jk := model.JourneyKey{Wave: tk.Wave, Journey: tk.Journey}
		if ds := d.Drivers[jk]; ds != nil {
			ds.Merge(s.drivers)
		} else {
			d.Drivers[jk] = s.drivers
		}
	}
	if s.comments > 0 {
		vb := d.Verbatims[tk]
		if vb == nil {
			vb = &model.Verbatims{}
			d.Verbatims[tk] = vb
		}
		vb.Total += s.comments
		for _, v := range s.verbatims {
			if len(vb.Comments) >= MaxVerbatims {
				break
			}
			v.Pos.Line += base
			vb.Comments = append(vb.Comments, v)
		}
	}
	for i := range s.accs {
		a := &s.accs[i]
		if a.Count() == 0 {
			continue
		}
		k := model.CellKey{Wave: tk.Wave, Journey: tk.Journey, Touchpoint: tk.Touchpoint, Attribute: f.ly.scores[i].attribute}
		g := f.accs[k]
		if g == nil {
			g = &source.Exact{}
			f.accs[k] = g
			p := a.first
			p.Line += base
			f.firsts[k] = p
		}
		g.Merge(&a.Exact)
	}
}

// repeatMsg is the warning at a repeated respondent.
func repeatMsg(k model.TouchKey, first model.Pos) string {
	return "this respondent already answered " + k.Journey + "/" + k.Touchpoint + " in wave \"" + k.Wave + "\" at " + where(first) + ": an export read twice? (both rows count)"
}

func where(p model.Pos) string {
	if p.Line > 0 {
		return p.Path + ":" + strconv.Itoa(p.Line)
	}
	return p.Path
}
