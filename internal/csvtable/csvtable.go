// Package csvtable opens the CSV tables of data/measures/ and
// data/responses/ as both have always been opened: a UTF-8 byte order
// mark skipped, the separator detected from the header (European
// spreadsheets export ';' with decimal commas) unless the site sets
// one, lone-CR files and other encodings refused with a message that
// says what to do, and the header read and normalised. The measures
// reader goes on row by row with the encoding/csv reader; the responses
// source seeks past the header and streams the rest through csvscan.
package csvtable

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/fsread"
)

// Table is a CSV file whose header has been read.
type Table struct {
	Rel    string // slash-separated, relative to the site root
	F      *os.File
	R      *csv.Reader // positioned after the header
	Header []string    // lower-cased and trimmed
	Col    map[string]int
	Sep    rune
	BOM    int64 // bytes of byte order mark skipped at the start
}

// NotUTF8 is the message for a table in another encoding.
const NotUTF8 = `file is not UTF-8 text: save it as UTF-8 (spreadsheets: "CSV UTF-8")`

// Open opens the table at path (rel for messages) and reads its header;
// csvSep is site.toml's csv_sep ("" detects it). Problems go to d; ok is
// false when the file cannot be read as a table.
func Open(path, rel, csvSep string, d *diag.List) (*Table, bool) {
	f, err := fsread.Open(path)
	if err != nil {
		d.Errorf(rel, 0, 0, "%v", err)
		return nil, false
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var bom int64
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		bom = 3
	}
	sep := ','
	switch csvSep {
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
		d.Errorf(rel, 1, 1, "lines end in a lone CR (old Mac format): save it as UTF-8 CSV with ordinary line ends")
		return nil, false
	}
	r := csv.NewReader(br)
	r.Comma = sep
	r.ReuseRecord = true
	t := &Table{Rel: rel, F: f, R: r, Sep: sep, BOM: bom, Col: map[string]int{}}
	header, err := r.Read()
	if err != nil {
		f.Close()
		if errors.Is(err, io.EOF) {
			d.Errorf(rel, 1, 1, "empty file: a header row is required")
		} else {
			CSVError(d, rel, err)
		}
		return nil, false
	}
	for i, h := range header {
		if !utf8.ValidString(h) {
			f.Close()
			line, col := r.FieldPos(i)
			d.Errorf(rel, line, col, "%s", NotUTF8)
			return nil, false
		}
	}
	t.Header = append([]string(nil), header...)
	for i, h := range t.Header {
		h = strings.ToLower(strings.TrimSpace(h))
		t.Header[i] = h
		if _, dup := t.Col[h]; dup {
			line, col := r.FieldPos(i)
			d.Errorf(rel, line, col, "column %q appears twice in the header", h)
			continue
		}
		t.Col[h] = i
	}
	return t, true
}

// CSVError reports an error of the encoding/csv reader at its place.
func CSVError(d *diag.List, rel string, err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		d.Errorf(rel, pe.Line, pe.Column, "CSV: %v", pe.Err)
		return
	}
	d.Errorf(rel, 0, 0, "%v", err)
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

// Close closes the file.
func (t *Table) Close() { t.F.Close() }

// Require reports each missing column of names, with the header's
// nearest name suggested; false when any is missing.
func (t *Table) Require(d *diag.List, names ...string) bool {
	ok := true
	for _, n := range names {
		if _, has := t.Col[n]; !has {
			msg := "missing column " + strconv.Quote(n) + " in the header"
			if s := diag.Suggest(n, t.Header); s != "" {
				msg += " (is " + strconv.Quote(s) + " meant to be " + strconv.Quote(n) + "?)"
			}
			d.Errorf(t.Rel, 1, 1, "%s", msg)
			ok = false
		}
	}
	return ok
}

// DataStart is where the records after the header start: the byte
// offset in the file and the line number.
func (t *Table) DataStart() (int64, int, error) {
	off := t.BOM + t.R.InputOffset()
	head := make([]byte, off)
	if _, err := t.F.ReadAt(head, 0); err != nil {
		return 0, 0, err
	}
	return off, 1 + bytes.Count(head, []byte{'\n'}), nil
}

// HeaderCol is the column of header field i, the header being the last
// record the reader read.
func (t *Table) HeaderCol(i int) int {
	_, col := t.R.FieldPos(0)
	for k := 0; k < i; k++ {
		col += len(t.Header[k]) + 1
	}
	return col
}
