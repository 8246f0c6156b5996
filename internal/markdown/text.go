package markdown

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// MaxText caps Doc.Text: the search index ships to every browser that
// opens /search/, so each page contributes its opening, not its all.
const MaxText = 4 << 10

// textWriter accumulates the words of a tree as plain text: whitespace
// collapsed to single spaces, markup, code blocks, raw HTML and charts
// left out. It counts every word, also past the cap.
type textWriter struct {
	buf     []byte
	limit   int // 0: unlimited
	pending bool
	inWord  bool
	alnum   bool // the current word has a letter or digit
	words   int
}

func (t *textWriter) reset() { *t = textWriter{buf: t.buf[:0], limit: t.limit} }

// String returns the text so far.
func (t *textWriter) String() string { return string(t.buf) }

// space ends the current word; spaces are written lazily so the text
// never starts or ends with one.
func (t *textWriter) space() {
	if t.inWord && t.alnum {
		t.words++
	}
	t.inWord, t.alnum = false, false
	t.pending = true
}

func (t *textWriter) write(b []byte) {
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if asciiSpace(c) {
				t.space()
				b = b[1:]
				continue
			}
			// A run of ASCII is the common case: take it whole.
			n := 1
			for n < len(b) && b[n] < utf8.RuneSelf && !asciiSpace(b[n]) {
				n++
			}
			t.startWord()
			if !t.alnum {
				for _, c := range b[:n] {
					if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
						t.alnum = true
						break
					}
				}
			}
			t.append(b[:n])
			b = b[n:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if unicode.IsSpace(r) {
			t.space()
		} else {
			t.startWord()
			if !t.alnum && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				t.alnum = true
			}
			t.append(b[:size])
		}
		b = b[size:]
	}
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// startWord writes the space owed before a word that follows another.
func (t *textWriter) startWord() {
	if t.pending && len(t.buf) > 0 && (t.limit == 0 || len(t.buf) <= t.limit) {
		t.buf = append(t.buf, ' ')
	}
	t.pending = false
	t.inWord = true
}

func (t *textWriter) append(b []byte) {
	// Keep a byte past the cap so finish can tell whether the cap falls
	// between words or inside one.
	if t.limit == 0 || len(t.buf) <= t.limit {
		t.buf = append(t.buf, b...)
	}
}

// finish ends the last word and trims the text to the cap at a word
// boundary.
func (t *textWriter) finish() (string, int) {
	t.space()
	out := t.buf
	if t.limit > 0 && len(out) > t.limit {
		// Cut at the last space before the cap so no word is halved
		// (which also keeps UTF-8 whole).
		if i := bytes.LastIndexByte(out[:t.limit+1], ' '); i > 0 {
			out = out[:i]
		} else {
			cut := t.limit
			for cut > 0 && !utf8.RuneStart(out[cut]) {
				cut--
			}
			out = out[:cut]
		}
	}
	return string(out), t.words
}

// node writes the text of n and its descendants.
func (t *textWriter) node(n ast.Node, source []byte) {
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		return t.visit(n, entering, source), nil
	})
}

func (t *textWriter) visit(n ast.Node, entering bool, source []byte) ast.WalkStatus {
	if !entering {
		return ast.WalkContinue
	}
	switch n := n.(type) {
	case *ast.Text:
		t.write(unescape(n.Segment.Value(source)))
		if n.SoftLineBreak() || n.HardLineBreak() {
			t.space()
		}
	case *ast.String:
		t.write(n.Value)
	case *ast.CodeSpan:
		// Code is literal: no backslash escapes or entities to resolve.
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				t.write(c.Segment.Value(source))
			case *ast.String:
				t.write(c.Value)
			}
		}
		return ast.WalkSkipChildren
	case *MetricRef:
		// The figure as rendered; empty before rendering, so heading ids
		// (assigned while parsing) never change with the data.
		t.write([]byte(n.text))
		return ast.WalkSkipChildren
	case *ast.AutoLink:
		t.write(n.Label(source))
		return ast.WalkSkipChildren
	case *ast.RawHTML, *ast.HTMLBlock, *ast.FencedCodeBlock, *ast.CodeBlock, *ChartBlock:
		// Markup and code make poor search hits and crowd out prose.
		t.space()
		return ast.WalkSkipChildren
	default:
		if n.Type() == ast.TypeBlock {
			t.space()
		}
	}
	return ast.WalkContinue
}

// unescape resolves backslash escapes and entities the way the HTML
// renderer does, copying only when there is something to resolve.
func unescape(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return b
	}
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	return util.ResolveEntityNames(b)
}
