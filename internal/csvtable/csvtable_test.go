package csvtable_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/csvtable"
	"github.com/touchstone-cx/touchstone/internal/diag"
)

func open(t *testing.T, text, sep string) (*csvtable.Table, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "r.csv")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var d diag.List
	tb, ok := csvtable.Open(p, "r.csv", sep, &d)
	var b strings.Builder
	for _, x := range d.Items() {
		b.WriteString(x.Error() + "\n")
	}
	if ok {
		t.Cleanup(tb.Close)
	} else if tb != nil {
		t.Error("a table with ok false")
	}
	return tb, b.String()
}

// TestOpen: separators, byte order marks and the header's problems, each
// with its message and place.
func TestOpen(t *testing.T) {
	for _, c := range []struct {
		name, text, sep string
		header          string // the header as read, joined by "|"; "" when not opened
		sepWant         rune
		diag            string // a substring of the diagnostics; "" for none
		dataLine        int
	}{
		{"comma", "Wave, Journey ,touchpoint\nw,j,t\n", "", "wave|journey|touchpoint", ',', "", 2},
		{"semicolon", "\ufeffwave;journey;touchpoint\nw;j;t\n", "", "wave|journey|touchpoint", ';', "", 2},
		{"tab", "wave\tjourney\ttouchpoint\n", "", "wave|journey|touchpoint", '\t', "", 2},
		{"site sets it", "a;b,c,d\n", ";", "a|b,c,d", ';', "", 2},
		{"quoted header over two lines", "\"wa\nve\",j\nw,j\n", "", "wa\nve|j", ',', "", 3},
		{"lone CR", "wave,journey\rw,j\rx,y\r", "", "", 0, "r.csv:1:1: lines end in a lone CR", 0},
		{"empty", "", "", "", 0, "r.csv:1:1: empty file: a header row is required", 0},
		{"Latin-1", "w\xe2ve,journey\n", "", "", 0, "r.csv:1:1: file is not UTF-8 text", 0},
		{"CSV syntax", "wave,jo\"urney\n", "", "", 0, "r.csv:1:8: CSV: bare \" in non-quoted-field", 0},
		{"twice", "wave,journey,Wave\n", "", "wave|journey|wave", ',', "r.csv:1:14: column \"wave\" appears twice", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb, d := open(t, c.text, c.sep)
			if c.diag == "" && d != "" || !strings.Contains(d, c.diag) {
				t.Errorf("diagnostics %q, want %q", d, c.diag)
			}
			if c.header == "" {
				if tb != nil {
					t.Errorf("opened: %q", tb.Header)
				}
				return
			}
			if tb == nil {
				t.Fatal("not opened")
			}
			if got := strings.Join(tb.Header, "|"); got != c.header || tb.Sep != c.sepWant {
				t.Errorf("header %q sep %q, want %q %q", got, tb.Sep, c.header, c.sepWant)
			}
			off, line, err := tb.DataStart()
			if err != nil || line != c.dataLine {
				t.Errorf("data starts on line %d (%v), want %d", line, err, c.dataLine)
			}
			if rest := c.text[off:]; strings.Contains(rest, strings.Split(c.text, "\n")[0]) && line == 2 {
				t.Errorf("data start %d is inside the header: %q", off, rest)
			}
		})
	}
}

// TestRequire: a missing column names the header's nearest.
func TestRequire(t *testing.T) {
	tb, _ := open(t, "wav,journey,touchpoint\n", "")
	var d diag.List
	if tb.Require(&d, "wave", "journey") {
		t.Error("wave is missing")
	}
	if got := d.Items(); len(got) != 1 || !strings.Contains(got[0].Error(), `missing column "wave" in the header (is "wav" meant to be "wave"?)`) {
		t.Errorf("diagnostics %v", got)
	}
	if tb.HeaderCol(2) != 13 {
		t.Errorf("column of the third field: %d, want 13", tb.HeaderCol(2))
	}
}

// FuzzOpen: whatever the file, Open either reports why it cannot read
// it or gives a header of lower-cased, trimmed names whose Col index
// names each one's first place, and a data start inside the file, on
// the line after the header's.
func FuzzOpen(f *testing.F) {
	for _, s := range []string{"wave,journey\nw,j\n", "\ufeffA;B;a\n1;2;3", "\"x\ny\",z\n", "a\rb\rc", "", "w\xe2ve\n"} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		p := filepath.Join(dir, "r.csv")
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		var d diag.List
		tb, ok := csvtable.Open(p, "r.csv", "", &d)
		if !ok {
			if !d.HasErrors() {
				t.Fatal("not opened, and no error says why")
			}
			return
		}
		defer tb.Close()
		for i, h := range tb.Header {
			if h != strings.ToLower(strings.TrimSpace(h)) {
				t.Errorf("header %q is not normalised", h)
			}
			if j := tb.Col[h]; j > i || tb.Header[j] != h {
				t.Errorf("Col[%q] = %d, first at or before %d", h, j, i)
			}
		}
		off, line, err := tb.DataStart()
		if err != nil || off < 0 || off > int64(len(src)) {
			t.Fatalf("data start %d (%v) in %d bytes", off, err, len(src))
		}
		// The line is the one after the header's last line end; data
		// after a header that ends without one cannot be.
		if line != 1+strings.Count(string(src[:off]), "\n") || off < int64(len(src)) && line < 2 {
			t.Errorf("data start %d on line %d", off, line)
		}
	})
}
