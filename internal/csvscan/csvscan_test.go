package csvscan_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
)

// reference reads data with encoding/csv, the straightforward reader
// the scanner must agree with: records with 1-based start lines, or the
// first syntax error's line and column.
func reference(data []byte, sep rune) (recs [][]string, lines []int, errLine, errCol int) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return recs, lines, pe.Line, pe.Column
			}
			return recs, lines, -1, -1
		}
		line, _ := r.FieldPos(0)
		recs = append(recs, append([]string(nil), rec...))
		lines = append(lines, line)
	}
}

// scanAll reads data with the scanner, sequentially or in chunks.
func scanAll(t *testing.T, data []byte, sep byte, chunk int) (recs [][]string, lines []int, errLine, errCol int) {
	type res struct {
		recs        [][]string
		lines       []int
		nl          int
		eLine, eCol int
		failed      bool
	}
	base := 1
	err := csvscan.ForChunks(bytes.NewReader(data), sep, chunk, func() func(*csvscan.Chunk) res {
		var sc csvscan.Scanner
		return func(c *csvscan.Chunk) res {
			sc = csvscan.Scanner{Data: c.Data, Sep: sep, Last: c.Last, Fields: sc.Fields[:0], Arena: sc.Arena[:0]}
			var r res
			for {
				ok, serr := sc.Scan()
				if serr != nil {
					r.failed, r.eLine, r.eCol = true, serr.Line, serr.Col
					break
				}
				if !ok {
					break
				}
				rec := make([]string, len(sc.Fields))
				for i := range sc.Fields {
					rec[i] = string(sc.Content(&sc.Fields[i]))
				}
				r.recs = append(r.recs, rec)
				r.lines = append(r.lines, sc.StartLine)
			}
			r.nl = sc.Line
			return r
		}
	}, func(r res) bool {
		for i := range r.recs {
			recs = append(recs, r.recs[i])
			lines = append(lines, base+r.lines[i])
		}
		if r.failed {
			errLine, errCol = base+r.eLine, r.eCol
			return false
		}
		base += r.nl
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func compare(t *testing.T, data []byte, sep byte, chunk int) {
	t.Helper()
	wr, wl, we, wc := reference(data, rune(sep))
	gr, gl, ge, gc := scanAll(t, data, sep, chunk)
	if we != ge || (we != 0 && wc != gc) {
		t.Fatalf("chunk %d: error at %d:%d, reference %d:%d\n%q", chunk, ge, gc, we, wc, data)
	}
	if we != 0 {
		// Records before the error agree; the scanner may have fewer
		// (a chunk ends at the error).
		if len(gr) > len(wr) {
			t.Fatalf("more records than the reference before the error")
		}
		wr, wl = wr[:len(gr)], wl[:len(gr)]
	}
	if fmt.Sprint(wr) != fmt.Sprint(gr) || fmt.Sprint(wl) != fmt.Sprint(gl) {
		t.Fatalf("chunk %d:\n got %q %v\nwant %q %v\ninput %q", chunk, gr, gl, wr, wl, data)
	}
}

// randomCSV writes records of quoted and unquoted fields with separators,
// quotes and line breaks inside quotes, then maybe corrupts a byte.
func randomCSV(r *rand.Rand, sep byte, corrupt bool) []byte {
	var b bytes.Buffer
	atoms := []string{"a", "4", "3.5", " ", "é", "\"\"", "\n", "\r\n", string(sep), "x y"}
	for range r.IntN(30) + 1 {
		nf := r.IntN(4) + 1
		for f := range nf {
			if f > 0 {
				b.WriteByte(sep)
			}
			if r.IntN(3) == 0 {
				b.WriteByte('"')
				for range r.IntN(4) {
					b.WriteString(atoms[r.IntN(len(atoms))])
				}
				b.WriteByte('"')
			} else {
				for range r.IntN(3) {
					b.WriteString(atoms[r.IntN(4)])
				}
			}
		}
		if r.IntN(2) == 0 {
			b.WriteString("\r\n")
		} else {
			b.WriteByte('\n')
		}
	}
	out := b.Bytes()
	if corrupt && len(out) > 0 {
		out[r.IntN(len(out))] = "\"\n\r,;x"[r.IntN(6)]
	}
	return out
}

func TestScannerMatchesEncodingCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 800 {
		sep := []byte{',', ';', '\t'}[i%3]
		data := randomCSV(r, sep, i%2 == 1)
		for _, chunk := range []int{1 << 20, 16, 7} {
			compare(t, data, sep, chunk)
		}
	}
}

func FuzzScanner(f *testing.F) {
	f.Add([]byte("a,b\n\"x\ny\",2\r\n"), 8)
	f.Add([]byte("a,\"b\"c\n"), 3)
	f.Add([]byte("\"open\n"), 64)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		if len(data) > 2048 {
			return // longer inputs find nothing shorter ones do not, slower
		}
		chunk = 4 + abs(chunk)%64
		compare(t, data, ',', chunk)
		compare(t, data, ';', 1<<20)
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
