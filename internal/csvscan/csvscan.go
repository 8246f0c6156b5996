// Package csvscan splits CSV text into records and fields, fast, for
// the survey answers every source of files reads (data/responses/ and
// survey exports in data/surveys/).
//
// It is hand-written rather than built on encoding/csv for three
// reasons. Speed: encoding/csv allocates a string per record and reads
// on one core, several times slower than the aggregation that follows.
// Constant memory: a file is read in chunks of whole records and a
// record's fields are spans of the chunk, never copies. Parallel
// chunks: ForChunks parses chunks on every core and hands the results
// back in file order, so positions and "first seen" places are those of
// a sequential read. The scanner follows encoding/csv's rules and
// messages exactly (RFC 4180 quotes, \r\n read as \n, blank lines
// skipped, a trailing \r dropped at the end of the file); tests compare
// the two on random and fuzzed input.
package csvscan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Chunk is a run of whole records of a CSV file: Seq counts chunks from
// 0 in file order, Last says it ends the file.
type Chunk struct {
	Seq  int
	Data []byte
	Last bool // ends the file: an open quote at its end is an error
}

// ForChunks reads r to its end, cuts it into chunks of whole records and
// parses them on every core: each worker gets its own parse function from
// newParse (so it can keep caches without locks). merge receives the
// results on the calling goroutine in file order and stops the read by
// returning false. The error is a read error.
//
// Each worker reads its next chunk itself, under a lock: reading and
// cutting take a few percent of the time parsing does, and a separate
// reader goroutine would have to compete with the workers for the cores.
func ForChunks[R any](r io.Reader, sep byte, chunkSize int, newParse func() func(*Chunk) R, merge func(R) bool) error {
	first := make([]byte, chunkSize)
	n, err := io.ReadFull(r, first)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		// The whole file fits in one chunk: no goroutines for the
		// small files most sites have.
		merge(newParse()(&Chunk{Data: trimFinalCR(first[:n]), Last: true}))
		return nil
	}
	if err != nil {
		return err
	}
	type result struct {
		Seq int
		r   R
	}
	c := &cutter{r: r, Sep: sep, size: chunkSize, carry: first[:n], checkAt: 4 * chunkSize}
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
				results <- result{ch.Seq, parse(ch)}
				buf = ch.Data[:0]
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
		pending[res.Seq] = res.r
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
	return c.Err
}

// cutter hands out the chunks of a file in order.
type cutter struct {
	stop    atomic.Bool
	mu      sync.Mutex
	r       io.Reader
	Sep     byte
	carry   []byte // read but not handed out: the start of the next chunk
	Seq     int
	done    bool
	Err     error
	checkAt int // buffer size at which to look for a syntax error
	size    int // of a chunk
}

// next fills buf (reallocated when too small) with the next chunk.
func (c *cutter) next(buf []byte) (*Chunk, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.stop.Load() {
		return nil, false
	}
	buf = append(buf[:0], c.carry...)
	if cap(buf) < c.size {
		buf = append(make([]byte, 0, c.size), buf...)
	}
	for {
		m, err := io.ReadFull(c.r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			c.Err, c.done = err, true
			return nil, false
		}
		if eof {
			c.done = true
			if len(buf) == 0 {
				return nil, false
			}
			return c.hand(&Chunk{Data: trimFinalCR(buf), Last: true}), true
		}
		// Cut after the last newline outside quotes; what follows is
		// the start of the next chunk.
		if cut := lastRecordEnd(buf); cut >= 0 {
			c.carry = append(c.carry[:0], buf[cut:]...)
			return c.hand(&Chunk{Data: buf[:cut]}), true
		}
		// One record longer than the buffer: grow it, as encoding/csv
		// would hold such a record whole. An unbalanced quote (a syntax
		// error) makes everything after it look like one record: parse
		// what there is, which reports the error, rather than read on.
		if len(buf) >= c.checkAt {
			c.checkAt *= 2
			if hasSyntaxError(buf, c.Sep) {
				c.done = true
				return c.hand(&Chunk{Data: buf, Last: true}), true
			}
		}
		buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
	}
}

func (c *cutter) hand(ch *Chunk) *Chunk {
	ch.Seq = c.Seq
	c.Seq++
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
	s := Scanner{Data: b, Sep: sep}
	for {
		ok, err := s.Scan()
		if err != nil {
			return err != ErrTruncated
		}
		if !ok {
			return false
		}
	}
}

// Field is one field of the record just scanned.
type Field struct {
	At     int  // offset of its first byte (the opening quote if quoted): its place
	Lo, Hi int  // its content, quotes excluded: in the data, or in the arena
	Esc    bool // the content held "" or \r\n and was unescaped into the arena
}

// Scanner splits a chunk into records and fields without copying
// or allocating, with encoding/csv's rules.
type Scanner struct {
	Data []byte
	Sep  byte
	Last bool // Data ends the file
	Off  int  // start of the next record
	Line int  // newlines before Off, from the chunk's start
	// The record just scanned.
	Start     int // its offset
	StartLine int // newlines before it
	Multiline bool
	Fields    []Field
	Arena     []byte // unescaped contents of this record
}

// SyntaxError is encoding/csv's ErrBareQuote or ErrQuote at a place;
// line counts newlines from the chunk's start.
type SyntaxError struct {
	Line, Col int
	Err       error
}

// ErrTruncated says the data ended inside quotes without being the end of the
// file.
var ErrTruncated = &SyntaxError{Err: errors.New("truncated")}

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

// Scan reads the next record into s.Fields; ok is false at the end.
func (s *Scanner) Scan() (ok bool, _ *SyntaxError) {
	d, n, sep := s.Data, len(s.Data), s.Sep
	stop := &stopBytes[sepIndex(sep)]
	for s.Off < n { // blank lines are no records
		if d[s.Off] == '\n' {
			s.Off++
			s.Line++
		} else if d[s.Off] == '\r' && s.Off+1 < n && d[s.Off+1] == '\n' {
			s.Off += 2
			s.Line++
		} else {
			break
		}
	}
	if s.Off >= n {
		return false, nil
	}
	s.Start, s.StartLine, s.Multiline = s.Off, s.Line, false
	// The fields are collected in a local slice, kept in registers,
	// and stored on the way out.
	fields := s.Fields[:0]
	s.Arena = s.Arena[:0]
	i := s.Off
	for {
		if i < n && d[i] == '"' {
			f := Field{At: i, Lo: i + 1}
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
					f.Esc = true
					j = q + 2
					continue
				}
				a := q + 1
				if !s.Last && (a == n || a+1 == n && d[a] == '\r') {
					// Cut mid-record: what follows decides.
					return false, ErrTruncated
				}
				f.Hi = q
				if f.Esc {
					f.Lo, f.Hi = s.unescape(d[f.Lo:f.Hi])
				}
				fields = append(fields, f)
				switch {
				case a == n:
					s.Off = n
					s.Fields = fields
					return true, nil
				case d[a] == sep:
					i = a + 1
				case d[a] == '\n':
					s.Off, s.Line = a+1, s.Line+1
					s.Fields = fields
					return true, nil
				case d[a] == '\r' && a+1 < n && d[a+1] == '\n':
					s.Off, s.Line = a+2, s.Line+1
					s.Fields = fields
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
		f := Field{At: i, Lo: i, Hi: j}
		if j == n {
			fields = append(fields, f)
			s.Off = n
			s.Fields = fields
			return true, nil
		}
		if d[j] == sep {
			fields = append(fields, f)
			i = j + 1
			continue
		}
		if j > i && d[j-1] == '\r' { // \r\n ends the line
			f.Hi = j - 1
		}
		fields = append(fields, f)
		s.Off, s.Line = j+1, s.Line+1
		s.Fields = fields
		return true, nil
	}
}

// newlines counts the newlines of quoted content d[from:to] and marks
// \r\n in it for unescaping (encoding/csv reads it as \n).
func (s *Scanner) newlines(from, to int, f *Field) {
	seg := s.Data[from:to]
	for {
		k := bytes.IndexByte(seg, '\n')
		if k < 0 {
			return
		}
		s.Line++
		s.Multiline = true
		if k > 0 && seg[k-1] == '\r' || k == 0 && from > 0 && s.Data[from-1] == '\r' {
			f.Esc = true
		}
		from += k + 1
		seg = seg[k+1:]
	}
}

// openQuote is the error for a quote still open where the data ends; like
// encoding/csv, it points just past the last line read.
func (s *Scanner) openQuote() *SyntaxError {
	if !s.Last {
		return ErrTruncated
	}
	d, n := s.Data, len(s.Data)
	ls := s.Start
	if n-1 > s.Start {
		if k := bytes.LastIndexByte(d[s.Start:n-1], '\n'); k >= 0 {
			ls = s.Start + k + 1
		}
	}
	length := n - ls
	if length >= 2 && d[n-2] == '\r' && d[n-1] == '\n' {
		length--
	}
	return &SyntaxError{Line: s.StartLine + bytes.Count(d[s.Start:ls], []byte{'\n'}), Col: 1 + length, Err: csv.ErrQuote}
}

func (s *Scanner) errAt(o int, err error) *SyntaxError {
	line, col := s.Pos(o)
	return &SyntaxError{Line: line, Col: col, Err: err}
}

// Pos is the place of offset o of the current record: newlines from the
// chunk's start and the 1-based byte column, as encoding/csv counts them.
func (s *Scanner) Pos(o int) (line, col int) {
	if !s.Multiline {
		return s.StartLine, o - s.Start + 1
	}
	return s.posMultiline(o)
}

func (s *Scanner) posMultiline(o int) (line, col int) {
	seg := s.Data[s.Start:o]
	ls := s.Start
	if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
		ls = s.Start + k + 1
	}
	return s.StartLine + bytes.Count(seg, []byte{'\n'}), o - ls + 1
}

// Content is field f's text: a slice of the chunk, or of the record's
// arena when it had to be unescaped. It is valid until the next scan.
func (s *Scanner) Content(f *Field) []byte {
	if f.Esc {
		return s.Arena[f.Lo:f.Hi]
	}
	return s.Data[f.Lo:f.Hi]
}

// unescape appends quoted content to the arena as encoding/csv reads it
// and returns where it is.
func (s *Scanner) unescape(src []byte) (lo, hi int) {
	start := len(s.Arena)
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '"' {
			i++ // "" → "
		} else if c == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			continue // \r\n → \n
		}
		s.Arena = append(s.Arena, c)
	}
	return start, len(s.Arena)
}
