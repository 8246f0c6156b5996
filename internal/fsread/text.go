package fsread

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// NotUTF8 is the message for text that is not UTF-8, the same in every
// reader of the site.
const NotUTF8 = "file is not UTF-8 text: save it as UTF-8"

// TextError is a problem with a text file's encoding, at a 1-based line
// and column.
type TextError struct {
	Line, Col int
	Msg       string
}

func (e *TextError) Error() string { return e.Msg }

// Text turns a text file's bytes into UTF-8 with \n line ends, whatever
// an editor saved: a UTF-8 byte order mark is dropped, UTF-16 with a
// byte order mark (Windows Notepad's "Unicode") is decoded, and CR LF
// and CR-only line ends (old Mac editors) become \n, so each line keeps
// its number. Anything else that is not UTF-8, such as Latin-1, is a
// *TextError at the first bad byte.
func Text(src []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		src = src[3:]
	case bytes.HasPrefix(src, []byte("\xff\xfe")), bytes.HasPrefix(src, []byte("\xfe\xff")):
		u, err := fromUTF16(src[2:], src[0] == 0xfe)
		if err != nil {
			return nil, err
		}
		src = u
	}
	if !utf8.Valid(src) {
		if looksUTF16(src) {
			return nil, &TextError{Line: 1, Col: 1, Msg: "file is UTF-16 text without a byte order mark: save it as UTF-8"}
		}
		line, col := badUTF8(src)
		return nil, &TextError{Line: line, Col: col, Msg: NotUTF8}
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if bytes.IndexByte(src, 0) >= 0 && looksUTF16(src) {
		return nil, &TextError{Line: 1, Col: 1, Msg: "file is UTF-16 text without a byte order mark: save it as UTF-8"}
	}
	return src, nil
}

// fromUTF16 decodes UTF-16 (little-endian unless big), refusing an odd
// length or unpaired surrogates.
func fromUTF16(b []byte, big bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, &TextError{Line: 1, Col: 1, Msg: "file is UTF-16 text with an odd number of bytes: save it as UTF-8"}
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if big {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(units))
	line, col := 1, 1
	for i := 0; i < len(units); i++ {
		r := rune(units[i])
		if utf16.IsSurrogate(r) {
			if i+1 < len(units) {
				r = utf16.DecodeRune(r, rune(units[i+1]))
			} else {
				r = utf8.RuneError
			}
			if r == utf8.RuneError {
				return nil, &TextError{Line: line, Col: col, Msg: "file is not valid UTF-16 text: save it as UTF-8"}
			}
			i++
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// looksUTF16 reports text where every other byte of the start is zero:
// ASCII saved as UTF-16 without a byte order mark.
func looksUTF16(b []byte) bool {
	n := min(len(b), 200) &^ 1
	if n < 4 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	return even*2 > n/2 || odd*2 > n/2
}

// badUTF8 is the line and column (in runes) of the first byte that is
// not UTF-8.
func badUTF8(src []byte) (line, col int) {
	line, col = 1, 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		src = src[size:]
	}
	return line, col
}
