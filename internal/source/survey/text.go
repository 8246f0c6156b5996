package survey

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding is how an export's bytes encode its text.
type Encoding int

// The encodings survey tools write.
const (
	UTF8    Encoding = iota // with or without a byte order mark
	UTF16LE                 // with a byte order mark: Qualtrics' legacy export, Excel's "Unicode text"
	UTF16BE
)

// Text returns a reader of r's text as UTF-8, the byte order mark
// dropped, and the encoding found. UTF-16 is decoded as it streams, so
// a large export never sits in memory whole.
func Text(r io.Reader) (io.Reader, Encoding) {
	br := bufio.NewReaderSize(r, 1<<16)
	b, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
		return br, UTF8
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		br.Discard(2)
		return &utf16Reader{r: br, le: true}, UTF16LE
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		br.Discard(2)
		return &utf16Reader{r: br}, UTF16BE
	}
	return br, UTF8
}

// utf16Reader decodes UTF-16 to UTF-8. A lone surrogate or an odd
// trailing byte becomes U+FFFD, as encoding/json and browsers do.
type utf16Reader struct {
	r   *bufio.Reader
	le  bool
	out []byte // decoded, not yet returned
	err error
	buf [4096]byte
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) unit() (uint16, bool) {
	a, err1 := u.r.ReadByte()
	if err1 != nil {
		u.err = err1
		return 0, false
	}
	b, err2 := u.r.ReadByte()
	if err2 != nil {
		u.err = io.EOF
		u.out = utf8.AppendRune(u.out, utf8.RuneError)
		return 0, false
	}
	if u.le {
		return uint16(a) | uint16(b)<<8, true
	}
	return uint16(b) | uint16(a)<<8, true
}

func (u *utf16Reader) fill() {
	out := u.buf[:0]
	for len(out) < len(u.buf)-8 {
		c, ok := u.unit()
		if !ok {
			break
		}
		r := rune(c)
		if utf16.IsSurrogate(r) {
			if c >= 0xdc00 { // a low surrogate first
				r = utf8.RuneError
			} else if next, err := u.r.Peek(2); err == nil {
				lo := uint16(next[0]) | uint16(next[1])<<8
				if !u.le {
					lo = uint16(next[1]) | uint16(next[0])<<8
				}
				if lo >= 0xdc00 && lo < 0xe000 {
					u.r.Discard(2)
					r = utf16.DecodeRune(r, rune(lo))
				} else {
					r = utf8.RuneError
				}
			} else {
				r = utf8.RuneError
			}
		}
		out = utf8.AppendRune(out, r)
	}
	u.out = out
}
