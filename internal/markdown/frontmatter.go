package markdown

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// Error is a problem at a place in a page file: the one positioned
// error type of the project, diag.Diagnostic, with Line and Col (1-based)
// counted in the whole file (front matter offsets already applied) and
// no Path: the caller knows the path, and diag.List.AddError puts it in.
type Error = diag.Diagnostic

// ErrorList is several problems in one front matter, in line order. It
// exists so that `touchstone check` can report every bad key at once;
// errors.As(err, &e) with e an *Error still finds the first.
type ErrorList []*Error

func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap exposes each *Error to errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

const (
	bom   = "\xEF\xBB\xBF"
	delim = "+++"
)

// SplitFrontMatter separates the TOML front matter between `+++` lines at
// the very start of src from the markdown body. bodyLine is the 1-based
// line of the file on which body starts, so positions in the body can be
// reported in file lines. The front matter, when present, always starts
// on line 2 of the file. A UTF-8 byte order mark is skipped and CRLF line
// ends are accepted; the body is returned with LF line ends (line numbers
// are unchanged) because goldmark would otherwise keep the CRs inside
// code blocks. A page without front matter returns fm == nil and the
// whole input as body.
func SplitFrontMatter(src []byte) (fm []byte, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte(bom))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	switch string(bytes.TrimRight(first, " \t\r")) {
	case delim:
	case "---":
		// Hugo users reach for YAML by habit; say so rather than render
		// the block as a rule and a heading.
		return nil, nil, 0, &Error{Line: 1, Col: 1, Msg: "front matter must be TOML between +++ lines (YAML between --- lines is not supported)"}
	default:
		return nil, lf(src), 1, nil
	}
	line := 2
	start := len(src) - len(rest)
	for off := start; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(src)
		}
		if string(bytes.TrimRight(src[off:end], " \t\r")) == delim {
			return src[start:off], lf(src[next:]), line + 1, nil
		}
		off = next
	}
	return nil, nil, 0, &Error{Line: 1, Col: 1, Msg: "front matter opened with +++ is never closed (add a +++ line after it)"}
}

// lf turns CRLF into LF, copying only when there is a CR to remove.
func lf(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// FrontMatter is the metadata of a narrative page (SPEC §2).
type FrontMatter struct {
	Title   string
	Date    time.Time // zero when absent; local dates and times are read as UTC
	Draft   bool
	Weight  int
	Summary string
	Journey string
	Brand   string
	Tags    []string
	Params  map[string]any
	Layout  string
}

// frontMatterKeys are the valid keys, for "did you mean" suggestions.
func frontMatterKeys() []string {
	return []string{"title", "date", "draft", "weight", "summary", "journey", "brand", "tags", "params", "layout"}
}

// ParseFrontMatter decodes front matter as split by SplitFrontMatter.
// firstLine is the file line of fm's first line (2 for a page that
// starts with +++), so that every error is placed in the page file. The
// error is an ErrorList holding every problem found, or a single *Error
// for TOML syntax errors, after which nothing else can be trusted.
func ParseFrontMatter(fm []byte, firstLine int) (FrontMatter, error) {
	if firstLine < 1 {
		firstLine = 1
	}
	var out FrontMatter
	raw := map[string]any{}
	// tomlpos decodes and places: the same syntax-error placement as every
	// other TOML input (CR LF lines included, so a page saved on Windows
	// is placed right) and the same key index.
	md, ix, problem := tomlpos.Decode(fm, &raw, firstLine-1)
	if problem != nil {
		return out, &Error{Line: problem.Line, Col: problem.Col, Msg: "front matter: " + strings.TrimPrefix(problem.Msg, "TOML: ")}
	}
	at := func(key string) (int, int) {
		if p, ok := ix.Key(key); ok {
			return p.Line, p.Col
		}
		// A key only ever written as part of a dotted header ([a.b])
		// is indexed under its full path: the first such place is it.
		best := tomlpos.Pos{}
		for path, e := range ix {
			if strings.HasPrefix(path, key+".") || strings.HasPrefix(path, key+"[") {
				if best.Line == 0 || e.Key.Line < best.Line || e.Key.Line == best.Line && e.Key.Col < best.Col {
					best = e.Key
				}
			}
		}
		if best.Line > 0 {
			return best.Line, best.Col
		}
		return firstLine, 0
	}
	var errs ErrorList
	fail := func(key, format string, args ...any) {
		line, col := at(key)
		errs = append(errs, &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
	str := func(key string, dst *string) {
		v, ok := raw[key]
		if !ok {
			return
		}
		s, ok := v.(string)
		if !ok {
			fail(key, "%s must be a string, not %s", key, tomlType(v))
			return
		}
		*dst = s
	}

	// Walk the keys in document order so errors come out in line order.
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		key := k[0]
		if seen[key] {
			continue
		}
		seen[key] = true
		v := raw[key]
		switch key {
		case "title":
			str(key, &out.Title)
			if _, ok := v.(string); ok && strings.TrimSpace(out.Title) == "" {
				fail(key, "missing title")
			}
		case "summary":
			str(key, &out.Summary)
		case "journey":
			str(key, &out.Journey)
		case "brand":
			str(key, &out.Brand)
		case "layout":
			str(key, &out.Layout)
		case "draft":
			b, ok := v.(bool)
			if !ok {
				fail(key, "draft must be true or false, not %s", tomlType(v))
			}
			out.Draft = b
		case "weight":
			n, ok := v.(int64)
			if !ok || n < math.MinInt32 || n > math.MaxInt32 {
				fail(key, "weight must be an integer, not %s", tomlType(v))
			}
			out.Weight = int(n)
		case "date":
			t, msg := toDate(v)
			if msg != "" {
				fail(key, "%s", msg)
			}
			out.Date = t
		case "tags":
			tags, ok := toStrings(v)
			if !ok {
				fail(key, "tags must be an array of strings, like tags = [\"billing\", \"onboarding\"]")
			}
			out.Tags = tags
		case "params":
			p, ok := v.(map[string]any)
			if !ok {
				fail(key, "params must be a table, not %s", tomlType(v))
			}
			out.Params = p
		default:
			fail(key, "%s", diag.Unknown("front matter key", key, frontMatterKeys()))
		}
	}
	if _, ok := raw["title"]; !ok {
		// Point at the opening +++: there is no title line to point at.
		errs = append(errs, &Error{Line: max(firstLine-1, 1), Col: 1, Msg: "missing title"})
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool {
			if errs[i].Line != errs[j].Line {
				return errs[i].Line < errs[j].Line
			}
			return errs[i].Col < errs[j].Col
		})
		return out, errs
	}
	return out, nil
}

// toDate accepts a TOML offset datetime, local datetime or local date,
// or a string in one of the layouts authors type by hand.
func toDate(v any) (time.Time, string) {
	switch d := v.(type) {
	case time.Time:
		// BurntSushi gives local dates the machine's zone offset; a page
		// date must not change with the machine that builds the site.
		switch d.Location().String() {
		case "date-local", "datetime-local":
			return time.Date(d.Year(), d.Month(), d.Day(), d.Hour(), d.Minute(), d.Second(), d.Nanosecond(), time.UTC), ""
		case "time-local":
			return time.Time{}, "date must include a date, not only a time of day"
		}
		return d, ""
	case string:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, strings.TrimSpace(d)); err == nil {
				return t, ""
			}
		}
		return time.Time{}, fmt.Sprintf("date %q is not a date (write date = 2026-03-01 or date = \"2026-03-01\")", d)
	}
	return time.Time{}, fmt.Sprintf("date must be a date, not %s", tomlType(v))
}

func toStrings(v any) ([]string, bool) {
	switch t := v.(type) {
	case string:
		// A lone tag written without brackets is unambiguous; accept it.
		return []string{t}, true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// tomlType names a decoded TOML value's type the way the TOML spec does.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}
