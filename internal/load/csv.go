package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

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

// openTable opens a CSV file, skips a UTF-8 byte order mark, detects the
// separator from the header (European spreadsheets export ';' with
// decimal commas) unless the site sets one, and reads the header.
func (l *loader) openTable(path string) (*table, bool) {
	rel := l.rel(path)
	f, err := openRegular(path)
	if err != nil {
		l.diags.Errorf(rel, 0, 0, "%v", err)
		return nil, false
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var bom int64
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		bom = 3
	}
	sep := ','
	switch l.site.Config.CSVSep {
	case ";":
		sep = ';'
	case "\t":
		sep = '\t'
	case ",":
	default:
		head, _ := br.Peek(br.Buffered())
		if len(head) == 0 {
			head, _ = br.Peek(4096)
		}
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			head = head[:i]
		}
		sep = detectSep(head)
	}
	// A file of lone CR line ends (old Mac spreadsheets) reads as one
	// endless header row: say what it is.
	if head, _ := br.Peek(4096); bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 && bytes.Count(head, []byte{'\r'}) > 1 {
		f.Close()
		l.diags.Errorf(rel, 1, 1, "lines end in a lone CR (old Mac format): save it as UTF-8 CSV with ordinary line ends")
		return nil, false
	}
	r := csv.NewReader(br)
	r.Comma = sep
	r.ReuseRecord = true
	t := &table{rel: rel, f: f, r: r, sep: sep, bom: bom, col: map[string]int{}, l: l}
	header, err := r.Read()
	if err != nil {
		f.Close()
		if errors.Is(err, io.EOF) {
			l.diags.Errorf(rel, 1, 1, "empty file: a header row is required")
		} else {
			t.csvError(err)
		}
		return nil, false
	}
	for i, h := range header {
		if !utf8.ValidString(h) {
			f.Close()
			line, col := r.FieldPos(i)
			l.diags.Errorf(rel, line, col, "file is not UTF-8 text: save it as UTF-8 (spreadsheets: \"CSV UTF-8\")")
			return nil, false
		}
	}
	t.header = append([]string(nil), header...)
	for i, h := range t.header {
		h = strings.ToLower(strings.TrimSpace(h))
		t.header[i] = h
		if _, dup := t.col[h]; dup {
			line, col := r.FieldPos(i)
			l.diags.Errorf(rel, line, col, "column %q appears twice in the header", h)
			continue
		}
		t.col[h] = i
	}
	return t, true
}

// detectSep picks the separator that splits the header into the most
// fields outside quotes.
func detectSep(head []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(head) {
		switch c {
		case '"':
			quoted = !quoted
		case ',', ';', '\t':
			if !quoted {
				counts[c]++
			}
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
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

func (t *table) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		t.l.diags.Errorf(t.rel, pe.Line, pe.Column, "CSV: %v", pe.Err)
		return
	}
	t.l.diags.Errorf(t.rel, 0, 0, "%v", err)
}

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

// dataStart is where the records after the header start: the byte offset
// in the file and the line number.
func (t *table) dataStart() (int64, int, error) {
	off := t.bom + t.r.InputOffset()
	head := make([]byte, off)
	if _, err := t.f.ReadAt(head, 0); err != nil {
		return 0, 0, err
	}
	return off, 1 + bytes.Count(head, []byte{'\n'}), nil
}

// chunkSize is how much of a file one worker parses at a time: big enough
// that handing a chunk over costs nothing next to parsing it, small
// enough that the few in flight keep memory low (goal: constant memory
// whatever the file size). A variable so tests can cut tiny chunks.
var chunkSize = 1 << 20
