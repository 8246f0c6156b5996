package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/model"
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

// number parses a numeric cell; with ';' as separator a decimal comma is
// accepted, as spreadsheets in most of Europe write it.
func (t *table) number(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if t.sep == ';' {
		s = strings.Replace(s, ",", ".", 1)
	}
	return strconv.ParseFloat(s, 64)
}

// The rest of this file reads large CSV files fast: survey exports run to
// millions of rows, and encoding/csv, which allocates a string per record
// and reads on one core, is several times slower than the work the
// loader does with the fields. A file is cut into chunks of whole records
// that are parsed on every core by a hand-written scanner; its results
// are merged in file order, so diagnostics, positions and "first seen"
// places are those a sequential read gives. The scanner follows
// encoding/csv's rules and messages exactly (RFC 4180 quotes, \r\n read
// as \n, blank lines skipped, a trailing \r dropped at the end of the
// file); the tests compare the two on random and fuzzed input.

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

// chunk is a run of whole records of a CSV file.
type chunk struct {
	seq  int
	data []byte
	last bool // ends the file: an open quote at its end is an error
}

// forChunks reads r to its end, cuts it into chunks of whole records and
// parses them on every core: each worker gets its own parse function from
// newParse (so it can keep caches without locks). merge receives the
// results on the calling goroutine in file order and stops the read by
// returning false. The error is a read error.
//
// Each worker reads its next chunk itself, under a lock: reading and
// cutting take a few percent of the time parsing does, and a separate
// reader goroutine would have to compete with the workers for the cores.
func forChunks[R any](r io.Reader, sep byte, newParse func() func(*chunk) R, merge func(R) bool) error {
	first := make([]byte, chunkSize)
	n, err := io.ReadFull(r, first)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		// The whole file fits in one chunk: no goroutines for the
		// small files most sites have.
		merge(newParse()(&chunk{data: trimFinalCR(first[:n]), last: true}))
		return nil
	}
	if err != nil {
		return err
	}
	type result struct {
		seq int
		r   R
	}
	c := &cutter{r: r, sep: sep, carry: first[:n], checkAt: 4 * chunkSize}
	// Each worker holds a chunk: beyond eight, memory grows faster than
	// the file can be read.
	workers := min(runtime.GOMAXPROCS(0), 8)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parse := newParse()
			buf := make([]byte, 0, chunkSize)
			for {
				ch, ok := c.next(buf)
				if !ok {
					return
				}
				results <- result{ch.seq, parse(ch)}
				buf = ch.data[:0]
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int]R{}
	want := 0
	for res := range results {
		if c.stop.Load() {
			continue // drain
		}
		pending[res.seq] = res.r
		for {
			r, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			want++
			if !merge(r) {
				c.stop.Store(true)
				break
			}
		}
	}
	return c.err
}

// cutter hands out the chunks of a file in order.
type cutter struct {
	stop    atomic.Bool
	mu      sync.Mutex
	r       io.Reader
	sep     byte
	carry   []byte // read but not handed out: the start of the next chunk
	seq     int
	done    bool
	err     error
	checkAt int // buffer size at which to look for a syntax error
}

// next fills buf (reallocated when too small) with the next chunk.
func (c *cutter) next(buf []byte) (*chunk, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.stop.Load() {
		return nil, false
	}
	buf = append(buf[:0], c.carry...)
	if cap(buf) < chunkSize {
		buf = append(make([]byte, 0, chunkSize), buf...)
	}
	for {
		m, err := io.ReadFull(c.r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			c.err, c.done = err, true
			return nil, false
		}
		if eof {
			c.done = true
			if len(buf) == 0 {
				return nil, false
			}
			return c.hand(&chunk{data: trimFinalCR(buf), last: true}), true
		}
		// Cut after the last newline outside quotes; what follows is
		// the start of the next chunk.
		if cut := lastRecordEnd(buf); cut >= 0 {
			c.carry = append(c.carry[:0], buf[cut:]...)
			return c.hand(&chunk{data: buf[:cut]}), true
		}
		// One record longer than the buffer: grow it, as encoding/csv
		// would hold such a record whole. An unbalanced quote (a syntax
		// error) makes everything after it look like one record: parse
		// what there is, which reports the error, rather than read on.
		if len(buf) >= c.checkAt {
			c.checkAt *= 2
			if hasSyntaxError(buf, c.sep) {
				c.done = true
				return c.hand(&chunk{data: buf, last: true}), true
			}
		}
		buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
	}
}

func (c *cutter) hand(ch *chunk) *chunk {
	ch.seq = c.seq
	c.seq++
	return ch
}

// trimFinalCR drops a \r that ends the file, as encoding/csv does.
func trimFinalCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// lastRecordEnd returns the length of the longest prefix of b made of
// whole records (ending in a newline outside quotes), or -1. b starts at
// a record start, so a newline is outside quotes when an even number of
// quotes precede it: in valid CSV quotes come in pairs (an escaped quote
// is two). Invalid CSV may be cut in the wrong place, but the scanner
// reports its first syntax error, which lies before any wrong cut, and
// reading stops there.
func lastRecordEnd(b []byte) int {
	quotes := bytes.Count(b, []byte{'"'})
	end := len(b)
	for {
		i := bytes.LastIndexByte(b[:end], '\n')
		if i < 0 {
			return -1
		}
		quotes -= bytes.Count(b[i+1:end], []byte{'"'})
		if quotes%2 == 0 {
			return i + 1
		}
		end = i
	}
}

// hasSyntaxError reports whether records from the start of b break the
// quoting rules before b ends.
func hasSyntaxError(b []byte, sep byte) bool {
	s := recordScanner{data: b, sep: sep}
	for {
		ok, err := s.scan()
		if err != nil {
			return err != errTruncated
		}
		if !ok {
			return false
		}
	}
}

// fieldSpan is one field of the record just scanned.
type fieldSpan struct {
	at     int  // offset of its first byte (the opening quote if quoted): its place
	lo, hi int  // its content, quotes excluded: in the data, or in the arena
	esc    bool // the content held "" or \r\n and was unescaped into the arena
}

// recordScanner splits a chunk into records and fields without copying
// or allocating, with encoding/csv's rules.
type recordScanner struct {
	data []byte
	sep  byte
	last bool // data ends the file
	off  int  // start of the next record
	line int  // newlines before off, from the chunk's start
	// The record just scanned.
	start     int // its offset
	startLine int // newlines before it
	multiline bool
	fields    []fieldSpan
	arena     []byte // unescaped contents of this record
}

// syntaxError is encoding/csv's ErrBareQuote or ErrQuote at a place;
// line counts newlines from the chunk's start.
type syntaxError struct {
	line, col int
	err       error
}

// errTruncated: the data ended inside quotes without being the end of the
// file.
var errTruncated = &syntaxError{err: errors.New("truncated")}

// stopBytes marks, per separator, the bytes that end an unquoted field:
// the separator, newline and a quote (an error there).
var stopBytes = func() (t [3][256]bool) {
	for i, sep := range []byte{',', ';', '\t'} {
		t[i][sep], t[i]['\n'], t[i]['"'] = true, true, true
	}
	return t
}()

func sepIndex(sep byte) int {
	switch sep {
	case ';':
		return 1
	case '\t':
		return 2
	}
	return 0
}

// scan reads the next record into s.fields; ok is false at the end.
func (s *recordScanner) scan() (ok bool, _ *syntaxError) {
	d, n, sep := s.data, len(s.data), s.sep
	stop := &stopBytes[sepIndex(sep)]
	for s.off < n { // blank lines are no records
		if d[s.off] == '\n' {
			s.off++
			s.line++
		} else if d[s.off] == '\r' && s.off+1 < n && d[s.off+1] == '\n' {
			s.off += 2
			s.line++
		} else {
			break
		}
	}
	if s.off >= n {
		return false, nil
	}
	s.start, s.startLine, s.multiline = s.off, s.line, false
	// The fields are collected in a local slice, kept in registers,
	// and stored on the way out.
	fields := s.fields[:0]
	s.arena = s.arena[:0]
	i := s.off
	for {
		if i < n && d[i] == '"' {
			f := fieldSpan{at: i, lo: i + 1}
			j := i + 1
			for {
				k := bytes.IndexByte(d[j:], '"')
				if k < 0 {
					s.newlines(j, n, &f)
					return false, s.openQuote()
				}
				q := j + k
				s.newlines(j, q, &f)
				if q+1 < n && d[q+1] == '"' { // "" is a quote
					f.esc = true
					j = q + 2
					continue
				}
				a := q + 1
				if !s.last && (a == n || a+1 == n && d[a] == '\r') {
					// Cut mid-record: what follows decides.
					return false, errTruncated
				}
				f.hi = q
				if f.esc {
					f.lo, f.hi = s.unescape(d[f.lo:f.hi])
				}
				fields = append(fields, f)
				switch {
				case a == n:
					s.off = n
					s.fields = fields
					return true, nil
				case d[a] == sep:
					i = a + 1
				case d[a] == '\n':
					s.off, s.line = a+1, s.line+1
					s.fields = fields
					return true, nil
				case d[a] == '\r' && a+1 < n && d[a+1] == '\n':
					s.off, s.line = a+2, s.line+1
					s.fields = fields
					return true, nil
				default:
					return false, s.errAt(q, csv.ErrQuote)
				}
				break
			}
			continue
		}
		// An unquoted field: this loop is where most of the time goes,
		// so one table lookup a byte tells the three bytes that end it.
		j := i
		for j < n && !stop[d[j]] {
			j++
		}
		if j < n && d[j] == '"' {
			return false, s.errAt(j, csv.ErrBareQuote)
		}
		f := fieldSpan{at: i, lo: i, hi: j}
		if j == n {
			fields = append(fields, f)
			s.off = n
			s.fields = fields
			return true, nil
		}
		if d[j] == sep {
			fields = append(fields, f)
			i = j + 1
			continue
		}
		if j > i && d[j-1] == '\r' { // \r\n ends the line
			f.hi = j - 1
		}
		fields = append(fields, f)
		s.off, s.line = j+1, s.line+1
		s.fields = fields
		return true, nil
	}
}

// newlines counts the newlines of quoted content d[from:to] and marks
// \r\n in it for unescaping (encoding/csv reads it as \n).
func (s *recordScanner) newlines(from, to int, f *fieldSpan) {
	seg := s.data[from:to]
	for {
		k := bytes.IndexByte(seg, '\n')
		if k < 0 {
			return
		}
		s.line++
		s.multiline = true
		if k > 0 && seg[k-1] == '\r' || k == 0 && from > 0 && s.data[from-1] == '\r' {
			f.esc = true
		}
		from += k + 1
		seg = seg[k+1:]
	}
}

// openQuote is the error for a quote still open where the data ends; like
// encoding/csv, it points just past the last line read.
func (s *recordScanner) openQuote() *syntaxError {
	if !s.last {
		return errTruncated
	}
	d, n := s.data, len(s.data)
	ls := s.start
	if n-1 > s.start {
		if k := bytes.LastIndexByte(d[s.start:n-1], '\n'); k >= 0 {
			ls = s.start + k + 1
		}
	}
	length := n - ls
	if length >= 2 && d[n-2] == '\r' && d[n-1] == '\n' {
		length--
	}
	return &syntaxError{line: s.startLine + bytes.Count(d[s.start:ls], []byte{'\n'}), col: 1 + length, err: csv.ErrQuote}
}

func (s *recordScanner) errAt(o int, err error) *syntaxError {
	line, col := s.pos(o)
	return &syntaxError{line: line, col: col, err: err}
}

// pos is the place of offset o of the current record: newlines from the
// chunk's start and the 1-based byte column, as encoding/csv counts them.
func (s *recordScanner) pos(o int) (line, col int) {
	if !s.multiline {
		return s.startLine, o - s.start + 1
	}
	return s.posMultiline(o)
}

func (s *recordScanner) posMultiline(o int) (line, col int) {
	seg := s.data[s.start:o]
	ls := s.start
	if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
		ls = s.start + k + 1
	}
	return s.startLine + bytes.Count(seg, []byte{'\n'}), o - ls + 1
}

// content is field f's text: a slice of the chunk, or of the record's
// arena when it had to be unescaped. It is valid until the next scan.
func (s *recordScanner) content(f *fieldSpan) []byte {
	if f.esc {
		return s.arena[f.lo:f.hi]
	}
	return s.data[f.lo:f.hi]
}

// unescape appends quoted content to the arena as encoding/csv reads it
// and returns where it is.
func (s *recordScanner) unescape(src []byte) (lo, hi int) {
	start := len(s.arena)
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '"' {
			i++ // "" → "
		} else if c == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			continue // \r\n → \n
		}
		s.arena = append(s.arena, c)
	}
	return start, len(s.arena)
}
