package tomlpos

import (
	"sort"
	"strings"
)

// NonFinite lists the values of a decoded document written as nan or
// inf (TOML allows both, signed or not): no setting or score of a site
// can be one, and they would otherwise pass every range check (each
// comparison with NaN is false) and surface far away, as
// "json: unsupported value: NaN". src and lineOffset are those given
// to Decode; ix is the index it returned. Problems come in the order of
// the document, each at the value, with the key path in Path and the
// word as written (nan, +inf, …) in Msg.
func NonFinite(src []byte, ix Index, lineOffset int) []Problem {
	text := strings.TrimPrefix(string(src), "\ufeff")
	if !strings.Contains(text, "nan") && !strings.Contains(text, "inf") {
		return nil // the common case, without splitting the document
	}
	lines := strings.Split(text, "\n")
	var out []Problem
	for path, e := range ix {
		n := e.Value.Line - lineOffset - 1
		if n < 0 || n >= len(lines) {
			continue
		}
		rest := skipRunes(lines[n], e.Value.Col-1)
		if word := nonFiniteWord(rest); word != "" {
			out = append(out, Problem{Pos: e.Value, Path: path, Msg: word})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	return out
}

func skipRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[i:]
		}
		n--
	}
	return ""
}

// nonFiniteWord returns the nan or inf starting s, with its sign, or "".
func nonFiniteWord(s string) string {
	w := s
	if strings.HasPrefix(w, "+") || strings.HasPrefix(w, "-") {
		w = w[1:]
	}
	for _, k := range []string{"nan", "inf"} {
		if strings.HasPrefix(w, k) {
			end := len(s) - len(w) + len(k)
			if end == len(s) || !isBare(s[end]) {
				return s[:end]
			}
		}
	}
	return ""
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
