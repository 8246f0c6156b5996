package load

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/csvtable"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

// maxRowErrors bounds the diagnostics one CSV file can produce: a
// systematic mistake in a million-row export should read as one problem
// with a count, not a million lines.
const maxRowErrors = 50

// table is a CSV file being read row by row.
type table struct {
	rel    string
	f      *os.File
	r      *csv.Reader
	header []string
	col    map[string]int // lower-cased, trimmed header name → index
	sep    rune
	bom    int64 // bytes of byte order mark skipped at the start
	errs   int
	l      *loader
}

// openTable opens a CSV file and reads its header (see csvtable.Open:
// the responses source opens its files the same way).
func (l *loader) openTable(path string) (*table, bool) {
	ct, ok := csvtable.Open(path, l.rel(path), l.site.Config.CSVSep, l.diags)
	if !ok {
		return nil, false
	}
	return &table{rel: ct.Rel, f: ct.F, r: ct.R, header: ct.Header, col: ct.Col, sep: ct.Sep, bom: ct.BOM, l: l}, true
}

func (t *table) Close() { t.f.Close() }

// next returns the next record, skipping blank trailing lines; ok is false
// at the end of the file or when the file cannot be read further.
func (t *table) next() ([]string, bool) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil, false
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				t.errorf(pe.StartLine, 1, "row has %d fields but the header has %d", len(rec), len(t.header))
				continue
			}
			t.csvError(err)
			return nil, false
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		for i, f := range rec {
			if !utf8.ValidString(f) {
				p := t.pos(i)
				t.l.diags.Errorf(t.rel, p.Line, p.Col, "file is not UTF-8 text: save it as UTF-8 (spreadsheets: \"CSV UTF-8\")")
				return nil, false
			}
		}
		return rec, true
	}
}

func (t *table) csvError(err error) { csvtable.CSVError(t.l.diags, t.rel, err) }

// pos is the place of field i of the record just read.
func (t *table) pos(i int) model.Pos {
	line, col := t.r.FieldPos(i)
	return model.Pos{Path: t.rel, Line: line, Col: col}
}

// errorf reports a row problem, up to maxRowErrors per file.
func (t *table) errorf(line, col int, format string, args ...any) {
	t.errs++
	if t.errs <= maxRowErrors {
		t.l.diags.Errorf(t.rel, line, col, format, args...)
	}
}

func (t *table) errorAt(p model.Pos, format string, args ...any) {
	t.errorf(p.Line, p.Col, format, args...)
}

// finish reports how many row problems were not listed.
func (t *table) finish() {
	if t.errs > maxRowErrors {
		t.l.diags.Errorf(t.rel, 0, 0, "%d more problems in this file not listed", t.errs-maxRowErrors)
	}
}

// number parses a numeric cell: plain decimals only (survey.Decimal),
// so "1e3", "0x1p2" and "4_2", which Go's ParseFloat would take, are
// errors; with ';' as separator a decimal comma is accepted, as
// spreadsheets in most of Europe write it.
func (t *table) number(s string) (float64, error) {
	v, ok := survey.Decimal([]byte(strings.TrimSpace(s)), t.sep == ';')
	if !ok {
		return 0, errNotDecimal
	}
	return v, nil
}

var errNotDecimal = errors.New("not a plain decimal number")

// chunkSize is how much of a file one worker parses at a time: big enough
// that handing a chunk over costs nothing next to parsing it, small
// enough that the few in flight keep memory low (goal: constant memory
// whatever the file size). The responses source is given it; a variable
// so tests can cut tiny chunks.
var chunkSize = 1 << 20
