// Package tomlpos finds where each key and value of a TOML document is
// written, so that a problem found after decoding (an unknown id, a score
// off the scale) can be reported at its line and column.
//
// It exists because BurntSushi/toml, which does the decoding, keeps key
// positions private and does not index the elements of arrays of tables.
// This is a locator, not a parser: it assumes the document already
// decoded without error and only tracks strings, comments, brackets and
// table headers well enough to name every key.
package tomlpos

import (
	"strconv"
	"strings"
)

// Pos is a 1-based line and column.
type Pos struct{ Line, Col int }

// Entry is where a key and its value start.
type Entry struct{ Key, Value Pos }

// Index maps a key path to its place. Paths join keys with dots and
// index arrays with brackets: "touchpoints[2].promise.be-there",
// "touchpoints[0].contributors[1]", "pillars[1].criteria[0].current".
type Index map[string]Entry

// Key returns the position of the key at path, or ok=false.
func (ix Index) Key(path string) (Pos, bool) {
	e, ok := ix[path]
	return e.Key, ok
}

// Value returns the position of the value at path, or of the nearest
// enclosing path that is known, so a diagnostic is always placed
// somewhere useful.
func (ix Index) Value(path string) Pos {
	for p := path; p != ""; p = parent(p) {
		if e, ok := ix[p]; ok {
			return e.Value
		}
	}
	return Pos{Line: 1, Col: 1}
}

// Near returns the key position of path or of its nearest known parent.
func (ix Index) Near(path string) Pos {
	for p := path; p != ""; p = parent(p) {
		if e, ok := ix[p]; ok {
			return e.Key
		}
	}
	return Pos{Line: 1, Col: 1}
}

func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// Build indexes src. lineOffset is added to every line, for TOML that
// sits inside another file (front matter, a chart block).
func Build(src []byte, lineOffset int) Index {
	s := &scanner{src: string(src), line: 1, col: 1, ix: Index{}, counts: map[string]int{}, off: lineOffset}
	s.document()
	return s.ix
}

type scanner struct {
	src       string
	i         int
	line, col int
	off       int
	ix        Index
	counts    map[string]int // array-of-tables path → elements seen
	table     string         // current [table] prefix
}

func (s *scanner) pos() Pos { return Pos{Line: s.line + s.off, Col: s.col} }

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *scanner) next() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else if s.src[s.i]&0xC0 != 0x80 { // count runes, not bytes
		s.col++
	}
	s.i++
}

// skip passes spaces, and newlines and comments when nl is set.
func (s *scanner) skip(nl bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.next()
		case c == '\n' && nl:
			s.next()
		case c == '#':
			for !s.eof() && s.peek() != '\n' {
				s.next()
			}
		default:
			if strings.HasPrefix(s.src[s.i:], "\ufeff") {
				s.i += 3
				continue
			}
			return
		}
	}
}

func (s *scanner) document() {
	for {
		s.skip(true)
		if s.eof() {
			return
		}
		if s.peek() == '[' {
			s.header()
			continue
		}
		start := s.i
		s.keyValue(s.table)
		if s.i == start { // not a key: skip the line to stay robust
			for !s.eof() && s.peek() != '\n' {
				s.next()
			}
		}
	}
}

func (s *scanner) header() {
	p := s.pos()
	s.next()
	array := s.peek() == '['
	if array {
		s.next()
	}
	parts := s.keyParts()
	for !s.eof() && s.peek() != '\n' && s.peek() != ']' {
		s.next()
	}
	for s.peek() == ']' {
		s.next()
	}
	// Resolve every part but the last against arrays of tables seen so
	// far: [[pillars.criteria]] belongs to the latest pillar.
	path := ""
	for i, part := range parts {
		path = join(path, part)
		if i == len(parts)-1 {
			break
		}
		if n, ok := s.counts[path]; ok {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	if array {
		n := s.counts[path]
		s.counts[path] = n + 1
		s.ix[path] = Entry{Key: p, Value: p}
		path += "[" + strconv.Itoa(n) + "]"
	}
	s.ix[path] = Entry{Key: p, Value: p}
	s.table = path
}

// keyParts reads a dotted key (bare or quoted parts).
func (s *scanner) keyParts() []string {
	var parts []string
	for {
		s.skip(false)
		var part string
		switch s.peek() {
		case '"', '\'':
			part = s.str()
		default:
			st := s.i
			for !s.eof() {
				c := s.peek()
				if c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
					s.next()
					continue
				}
				break
			}
			part = s.src[st:s.i]
		}
		if part == "" && (s.peek() != '"' && s.peek() != '\'') {
			return parts
		}
		parts = append(parts, part)
		s.skip(false)
		if s.peek() != '.' {
			return parts
		}
		s.next()
	}
}

func (s *scanner) keyValue(prefix string) {
	kp := s.pos()
	parts := s.keyParts()
	if len(parts) == 0 {
		return
	}
	s.skip(false)
	if s.peek() != '=' {
		return
	}
	s.next()
	s.skip(false)
	path := prefix
	for _, part := range parts {
		path = join(path, part)
		if _, ok := s.ix[path]; !ok {
			s.ix[path] = Entry{Key: kp, Value: kp}
		}
	}
	s.ix[path] = Entry{Key: kp, Value: s.pos()}
	s.value(path)
}

func (s *scanner) value(path string) {
	switch s.peek() {
	case '"', '\'':
		s.str()
	case '{':
		s.next()
		for {
			s.skip(true)
			if s.eof() {
				return
			}
			if s.peek() == '}' {
				s.next()
				return
			}
			if s.peek() == ',' {
				s.next()
				continue
			}
			st := s.i
			s.keyValue(path)
			if s.i == st {
				s.next()
			}
		}
	case '[':
		s.next()
		for n := 0; ; {
			s.skip(true)
			if s.eof() {
				return
			}
			switch s.peek() {
			case ']':
				s.next()
				return
			case ',':
				s.next()
				continue
			}
			el := path + "[" + strconv.Itoa(n) + "]"
			p := s.pos()
			s.ix[el] = Entry{Key: p, Value: p}
			st := s.i
			s.value(el)
			if s.i == st {
				s.next()
			}
			n++
		}
	default:
		// A number, boolean or date: up to a delimiter.
		for !s.eof() {
			c := s.peek()
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' {
				return
			}
			s.next()
		}
	}
}

// str consumes a basic, literal or multi-line string and returns its text
// (escapes are kept as written: only key names are needed).
func (s *scanner) str() string {
	q := s.peek()
	triple := strings.HasPrefix(s.src[s.i:], strings.Repeat(string(q), 3))
	if triple {
		s.next()
		s.next()
		s.next()
		st := s.i
		for !s.eof() && !strings.HasPrefix(s.src[s.i:], strings.Repeat(string(q), 3)) {
			if q == '"' && s.peek() == '\\' {
				s.next()
			}
			s.next()
		}
		text := s.src[st:s.i]
		for k := 0; k < 3; k++ {
			s.next()
		}
		// Up to two more quotes may close a multi-line string.
		for s.peek() == q {
			s.next()
		}
		return text
	}
	s.next()
	st := s.i
	for !s.eof() && s.peek() != q && s.peek() != '\n' {
		if q == '"' && s.peek() == '\\' {
			s.next()
		}
		s.next()
	}
	text := s.src[st:s.i]
	if s.peek() == q {
		s.next()
	}
	return text
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}
