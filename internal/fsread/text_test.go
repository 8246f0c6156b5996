package fsread_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/fsread"
)

func utf16Bytes(s string, big bool) []byte {
	var b []byte
	if big {
		b = []byte{0xfe, 0xff}
	} else {
		b = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestText(t *testing.T) {
	page := "+++\ntitle = \"Café 😀\"\n+++\n\nBody\n"
	for _, c := range []struct {
		name string
		src  []byte
		want string // the text, or the error as line:col: message
	}{
		{"utf-8", []byte(page), page},
		{"utf-8 bom", []byte("\ufeff" + page), page},
		{"crlf", []byte(strings.ReplaceAll(page, "\n", "\r\n")), page},
		{"cr only", []byte(strings.ReplaceAll(page, "\n", "\r")), page},
		{"utf-16 le", utf16Bytes(page, false), page},
		{"utf-16 be", utf16Bytes(page, true), page},
		{"utf-16 le crlf", utf16Bytes(strings.ReplaceAll(page, "\n", "\r\n"), false), page},
		{"latin-1", []byte("+++\ntitle = \"x\"\n+++\n\nCaf\xe9\n"), "5:4: file is not UTF-8 text: save it as UTF-8"},
		{"utf-16 no bom", utf16Bytes(page, false)[2:], "1:1: file is UTF-16 text without a byte order mark: save it as UTF-8"},
		{"utf-16 odd", utf16Bytes(page, false)[:9], "1:1: file is UTF-16 text with an odd number of bytes"},
		{"utf-16 lone surrogate", append(utf16Bytes("a\nb", false), 0x00, 0xd8), "2:2: file is not valid UTF-16 text"},
	} {
		got, err := fsread.Text(c.src)
		var e *fsread.TextError
		switch {
		case errors.As(err, &e):
			if s := strings.Join([]string{itoa(e.Line), itoa(e.Col)}, ":") + ": " + e.Msg; !strings.HasPrefix(s, c.want) {
				t.Errorf("%s: %s, want %s", c.name, s, c.want)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case string(got) != c.want:
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// FuzzText: what Text accepts comes out as UTF-8 without CR, with as
// many lines as the input has line ends; UTF-8 input without CR or BOM
// comes out unchanged.
func FuzzText(f *testing.F) {
	f.Add([]byte("a\r\nb\rc\n"))
	f.Add(utf16Bytes("x\ny", false))
	f.Add([]byte("\xff\xfe\x00"))
	f.Add([]byte("caf\xe9"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := fsread.Text(src)
		if err != nil {
			var e *fsread.TextError
			if !errors.As(err, &e) || e.Line < 1 || e.Col < 1 {
				t.Fatalf("error without a place: %v", err)
			}
			return
		}
		if !utf8.Valid(out) || bytes.IndexByte(out, '\r') >= 0 {
			t.Fatalf("not UTF-8 without CR: %q", out)
		}
		if utf8.Valid(src) && !bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) && !bytes.HasPrefix(src, []byte("\xff\xfe")) && !bytes.HasPrefix(src, []byte("\xfe\xff")) {
			ends := bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) - bytes.Count(src, []byte("\r\n"))
			if got := bytes.Count(out, []byte("\n")); got != ends {
				t.Fatalf("%d line ends, want %d", got, ends)
			}
			if bytes.IndexByte(src, '\r') < 0 && !bytes.Equal(src, out) {
				t.Fatalf("changed %q to %q", src, out)
			}
		}
	})
}
