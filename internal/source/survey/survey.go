// Package survey reads survey exports exactly as the tools write them
// (Qualtrics, SurveyMonkey, Google Forms, LimeSurvey, a spreadsheet),
// described by a mapping data/surveys/<id>.toml (SPEC §8), into
// mergeable sufficient statistics. It is one source.Source: the
// header rows are recognised, each mapped column is found by id or
// question text, and the data rows stream through the fast scanner of
// internal/csvscan on every core, in constant memory.
package survey

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/mapping"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
)

// MaxVerbatims is how many comments are kept per touchpoint and wave (a
// readable sample, bounded memory); the total is counted exactly.
const MaxVerbatims = 200

// maxRowErrors bounds the row problems listed per export: a systematic
// mistake in a million rows reads as one problem with a count.
const maxRowErrors = 50

// chunkSize is how much of an export one worker parses at a time.
const chunkSize = 1 << 20

// Source is one mapping file and the export(s) it describes.
type Source struct {
	rel   string
	chunk int
}

// New returns the source of the mapping at rel (relative to the site
// root, slash-separated).
func New(rel string) *Source { return &Source{rel: rel, chunk: chunkSize} }

// WithChunkSize sets the chunk size, so tests can cut tiny chunks and
// check that figures do not depend on where chunks end.
func (s *Source) WithChunkSize(n int) *Source { s.chunk = n; return s }

// Path is the mapping file.
func (s *Source) Path() string { return s.rel }

// Load reads the mapping and its exports.
func (s *Source) Load(ctx context.Context, env *source.Env) *source.Result {
	res := source.NewResult(model.FromSurvey)
	res.Inputs = append(res.Inputs, s.rel)
	src, err := os.ReadFile(filepath.Join(env.Root, filepath.FromSlash(s.rel)))
	if err != nil {
		env.Diags.Errorf(s.rel, 0, 0, "%v", err)
		return res
	}
	var md diag.List
	m := mapping.Decode(s.rel, src, mapping.Options{}, &md)
	if m == nil {
		env.Diags.Append(&md)
		return res
	}
	m.Check(env.Site, &md)
	broken := md.HasErrors()
	env.Diags.Append(&md)
	dir := filepath.Dir(filepath.Join(env.Root, filepath.FromSlash(s.rel)))
	paths, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(m.File)))
	if err != nil {
		errAt(env.Diags, m.FilePos, "file %q is not a valid pattern: %v", m.File, err)
		return res
	}
	sort.Strings(paths)
	var exports []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && !strings.HasSuffix(strings.ToLower(p), ".toml") {
			exports = append(exports, p)
		}
	}
	if len(exports) == 0 && m.File != "" {
		errAt(env.Diags, m.FilePos, "file %q matches no export beside this mapping (in %s)", m.File, relTo(env.Root, dir))
	}
	if m.Wave.Fixed != "" && !broken {
		res.SeeWave(m.Wave.Fixed, m.Wave.Pos)
	}
	segValue := map[segKey]string{}
	for _, p := range exports {
		if ctx.Err() != nil {
			return res
		}
		rel := relTo(env.Root, p)
		res.Inputs = append(res.Inputs, rel)
		r := &reader{src: s, env: env, m: m, rel: rel, res: res, broken: broken, segValue: segValue}
		r.read(p)
	}
	return res
}

func errAt(d *diag.List, p model.Pos, format string, args ...any) {
	d.Errorf(p.Path, p.Line, p.Col, format, args...)
}

func relTo(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// Header is what the first rows of an export say.
type Header struct {
	Format  Format
	Sep     byte
	Rows    [][]string // the header rows
	Columns []Column
	// DataLine is the line the data rows start on; Rest reads them.
	DataLine int
	Rest     io.Reader
	Encoding Encoding
	restAt   int // offset in the buffer read where the data rows start
}

// errNotUTF8 is the message for text in another encoding (Latin-1,
// Windows-1252): what to do about it.
const errNotUTF8 = `file is not UTF-8 text: save it as UTF-8 (spreadsheets: "CSV UTF-8"), or export it again as UTF-8 or UTF-16`

// ReadHeader recognises an export's encoding, separator and format
// (format "auto", or the one the mapping names) and reads its header
// rows. The problem, if any, comes with a line and column.
func ReadHeader(r io.Reader, format string) (*Header, *HeaderError) {
	text, enc := Text(r)
	buf := make([]byte, 0, 64<<10)
	eof := false
	for {
		// Enough for the header rows: three records, or the file.
		for !eof && len(buf) < cap(buf) {
			n, err := text.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				eof = true
			} else if err != nil {
				return nil, &HeaderError{Msg: err.Error()}
			}
		}
		h, herr, more := parseHeader(buf, eof, format)
		if !more {
			if h != nil {
				h.Encoding = enc
				h.Rest = io.MultiReader(strings.NewReader(string(buf[h.restAt:])), text)
			}
			return h, herr
		}
		if len(buf) >= 64<<20 {
			return nil, &HeaderError{Line: 1, Col: 1, Msg: "the header rows do not end within 64 MB: a quote is not closed"}
		}
		buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
	}
}

// HeaderError is a problem with an export's header rows.
type HeaderError struct {
	Line, Col int
	Msg       string
}

func parseHeader(buf []byte, eof bool, format string) (h *Header, herr *HeaderError, more bool) {
	firstLine := buf
	if i := indexNL(buf); i >= 0 {
		firstLine = buf[:i]
	} else if !eof {
		return nil, nil, true
	}
	if cr := strings.Count(string(firstLine), "\r"); cr > 1 || cr == 1 && !strings.HasSuffix(string(firstLine), "\r") {
		return nil, &HeaderError{Line: 1, Col: 1, Msg: "lines end in a lone CR (old Mac format): save it as UTF-8 CSV with ordinary line ends"}, false
	}
	sep := DetectSep(firstLine)
	sc := csvscan.Scanner{Data: buf, Sep: sep, Last: eof}
	var rows [][]string
	want := 3
	switch format {
	case "plain":
		want = 1
	case "surveymonkey":
		want = 2
	}
	var offs []int
	var lines []int
	for len(rows) < want {
		ok, serr := sc.Scan()
		if serr == csvscan.ErrTruncated {
			return nil, nil, true
		}
		if serr != nil {
			return nil, &HeaderError{Line: 1 + serr.Line, Col: serr.Col, Msg: "CSV: " + serr.Err.Error()}, false
		}
		if !ok {
			break
		}
		if !eof && sc.Off == len(buf) {
			return nil, nil, true // the record may go on
		}
		row := make([]string, len(sc.Fields))
		for i := range sc.Fields {
			row[i] = string(sc.Content(&sc.Fields[i]))
		}
		if !validUTF8(row) {
			return nil, &HeaderError{Line: 1 + sc.StartLine, Col: 1, Msg: errNotUTF8}, false
		}
		rows = append(rows, row)
		offs = append(offs, sc.Off)
		lines = append(lines, sc.Line)
	}
	if len(rows) == 0 {
		return nil, &HeaderError{Line: 1, Col: 1, Msg: "empty file: a header row is required"}, false
	}
	var f Format
	switch format {
	case "plain":
		f = Plain
	case "surveymonkey":
		f = SurveyMonkey
	case "qualtrics":
		f = QualtricsLegacy
		if len(rows) > 2 && anyImportID(rows[2]) {
			f = Qualtrics
		}
	default:
		f = Detect(rows)
	}
	n := min(f.Rows(), len(rows))
	h = &Header{Format: f, Sep: sep, Rows: rows[:n], Columns: Columns(f, rows[:n]), DataLine: 1 + lines[n-1]}
	h.restAt = offs[n-1]
	return h, nil, false
}

func anyImportID(row []string) bool {
	for _, f := range row {
		if isImportID(f) {
			return true
		}
	}
	return false
}

func indexNL(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// DetectSep picks the separator (comma, semicolon or tab) that splits a
// header line into the most fields outside quotes; on a tie tab wins
// (no question text holds one), then comma.
func DetectSep(line []byte) byte {
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		switch c {
		case '"':
			quoted = !quoted
		case ',', ';', '\t':
			if !quoted {
				counts[c]++
			}
		}
	}
	best := byte('\t')
	for _, c := range []byte{',', ';'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func validUTF8(row []string) bool {
	for _, f := range row {
		if strings.ToValidUTF8(f, "\x00") != f {
			return false
		}
	}
	return true
}
