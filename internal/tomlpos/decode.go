package tomlpos

import (
	"errors"
	"strings"

	"github.com/BurntSushi/toml"
)

// Problem is a message at a place, before a file path is attached.
type Problem struct {
	Pos
	Msg string
	// Key is the offending key's last part, for "did you mean" lookups.
	Key string
	// Path is the full dotted path of the offending key.
	Path string
}

// Decode decodes src into v and indexes it. A syntax error comes back as a
// Problem at its line and column (shifted by lineOffset). A leading UTF-8
// byte order mark is ignored, as spreadsheet and Windows editors add one.
func Decode(src []byte, v any, lineOffset int) (toml.MetaData, Index, *Problem) {
	text := strings.TrimPrefix(string(src), "\ufeff")
	md, err := toml.Decode(text, v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if msg == "" {
				msg = pe.Error()
			}
			pos := Pos{Line: pe.Position.Line, Col: max(pe.Position.Col, 1)}
			// Placed by byte offset instead: an error found at a line
			// break belongs at the end of the line it ends, where the
			// author left something unfinished; and BurntSushi/toml counts
			// lines one short for an error at the CR of a CR LF (an
			// unterminated string, say), down to line 0 on the first line.
			if st := pe.Position.Start; st >= 0 && st <= len(text) && (pos.Line < 1 || st < len(text) && (text[st] == '\n' || text[st] == '\r')) {
				pos = at(text, st)
			}
			pos.Line = max(pos.Line, 1)
			pos.Line += lineOffset
			return md, nil, &Problem{Pos: pos, Msg: "TOML: " + msg}
		}
		return md, nil, &Problem{Pos: Pos{Line: 1 + lineOffset, Col: 1}, Msg: "TOML: " + err.Error()}
	}
	return md, Build([]byte(text), lineOffset), nil
}

// Undecoded lists the keys of the document that v had no field for, each
// at its place, skipping those under any of the free-form prefixes (such
// as "params").
func Undecoded(md toml.MetaData, ix Index, freeForm ...string) []Problem {
	var out []Problem
	seen := map[string]bool{}
next:
	for _, k := range md.Undecoded() {
		for _, f := range freeForm {
			if len(k) > 0 && k[0] == f {
				continue next
			}
		}
		// Report a whole unknown table once, not each key inside it.
		for i := 1; i < len(k); i++ {
			if seen[strings.Join(k[:i], ".")] {
				continue next
			}
		}
		seen[strings.Join(k, ".")] = true
		path, pos := locate(ix, k)
		out = append(out, Problem{Pos: pos, Key: k[len(k)-1], Path: path})
	}
	return out
}

// locate finds the place of a key that toml reports without array
// indices: it tries every indexed path that matches part by part.
func locate(ix Index, k toml.Key) (string, Pos) {
	want := strings.Join(k, ".")
	best, bestPos := "", Pos{}
	for p, e := range ix {
		if stripIndices(p) != want {
			continue
		}
		// Several elements of an array of tables may carry the same
		// unknown key: report the first.
		if best == "" || e.Key.Line < bestPos.Line {
			best, bestPos = p, e.Key
		}
	}
	if best == "" {
		return want, Pos{Line: 1, Col: 1}
	}
	return best, bestPos
}

func stripIndices(p string) string {
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// at is the line and column (in characters, from 1) of byte offset i.
func at(text string, i int) Pos {
	before := text[:i]
	return Pos{Line: strings.Count(before, "\n") + 1, Col: len([]rune(before[strings.LastIndexByte(before, '\n')+1:])) + 1}
}
