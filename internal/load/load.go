// Package load reads a site folder's data (site.toml, brands, journeys,
// actors, assessments, measures and responses) into a model.Site,
// streaming survey exports, and reports every problem it finds at its
// file, line and column.
package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// Site loads the site at root. The returned site is usable for whatever
// loaded cleanly even when the list holds errors, so check can report
// problems of later stages too.
func Site(root string) (*model.Site, *diag.List) {
	l := &loader{root: root, diags: &diag.List{}}
	cfg, cl := config.Load(root)
	l.diags.Append(cl)
	l.site = &model.Site{
		Root:      root,
		Config:    cfg,
		Cells:     map[model.CellKey]*model.Cell{},
		NPS:       map[model.TouchKey]*model.NPSCounts{},
		Verbatims: map[model.TouchKey]*model.Verbatims{},
	}
	l.brands()
	l.actors()
	l.journeys()
	l.assessments()
	l.measures()
	l.responses()
	l.sources()
	l.resolveWaves()
	l.inline()
	l.warnings()
	return l.site, l.diags
}

type loader struct {
	root  string
	site  *model.Site
	diags *diag.List
	// waves seen in data files, with the first place each was seen.
	seenWaves map[string]model.Pos
	// pending inline experience, placed once the current wave is known.
	pending []inlineCell
	// broken names files that failed to decode (brands, journeys): what
	// refers to them is not checked further, so one syntax error does
	// not bury itself under a cascade of "unknown" messages.
	broken map[string]bool
}

type inlineCell struct {
	journey, touchpoint, attribute string
	score                          float64
	pos                            model.Pos
}

// rel turns a path under root into the slash-separated form used in
// diagnostics.
func (l *loader) rel(p string) string {
	r, err := filepath.Rel(l.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

func (l *loader) errorf(pos model.Pos, format string, args ...any) {
	l.diags.Errorf(pos.Path, pos.Line, pos.Col, format, args...)
}

func (l *loader) warnf(pos model.Pos, format string, args ...any) {
	l.diags.Warnf(pos.Path, pos.Line, pos.Col, format, args...)
}

// files lists dir/*.ext sorted by name; a missing folder is no error.
func (l *loader) files(dir, ext string) []string {
	entries, err := os.ReadDir(filepath.Join(l.root, dir))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			l.diags.Errorf(dir, 0, 0, "%v", err)
		}
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ext) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		out = append(out, filepath.Join(l.root, dir, e.Name()))
	}
	sort.Strings(out)
	return out
}

// readText reads a text input, refusing anything that is not UTF-8 with
// a message that says what to do about it.
func (l *loader) readText(path string) ([]byte, bool) {
	src, err := os.ReadFile(path)
	if err != nil {
		l.diags.Errorf(l.rel(path), 0, 0, "%v", err)
		return nil, false
	}
	if !utf8.Valid(src) {
		line, col := badUTF8(src)
		l.diags.Errorf(l.rel(path), line, col, "file is not UTF-8 text: save it as UTF-8 (spreadsheets: \"CSV UTF-8\")")
		return nil, false
	}
	return src, true
}

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

// decode decodes a TOML file into v, reporting syntax errors and unknown
// keys (with the nearest known key suggested). ok is false when the file
// could not be decoded at all.
func (l *loader) decode(path string, v any, known []string, freeForm ...string) (tomlpos.Index, bool) {
	src, ok := l.readText(path)
	if !ok {
		return nil, false
	}
	rel := l.rel(path)
	md, ix, perr := tomlpos.Decode(src, v, 0)
	if perr != nil {
		l.diags.Errorf(rel, perr.Line, perr.Col, "%s", perr.Msg)
		return nil, false
	}
	for _, p := range tomlpos.Undecoded(md, ix, freeForm...) {
		l.diags.Errorf(rel, p.Line, p.Col, "%s", diag.Unknown("key", p.Key, known))
	}
	return ix, true
}

// at places a key path of a file.
func at(rel string, ix tomlpos.Index, path string) model.Pos {
	p := ix.Near(path)
	return model.Pos{Path: rel, Line: p.Line, Col: p.Col}
}

// atValue places the value of a key path of a file.
func atValue(rel string, ix tomlpos.Index, path string) model.Pos {
	p := ix.Value(path)
	return model.Pos{Path: rel, Line: p.Line, Col: p.Col}
}

// checkID validates an id used in URLs and file names: lowercase letters,
// digits, '-' and '_', so no id can climb out of the output folder.
func (l *loader) checkID(kind, id string, pos model.Pos) bool {
	if id == "" {
		l.errorf(pos, "missing %s id", kind)
		return false
	}
	if !IsSlug(id) {
		l.errorf(pos, "%s id %q is not a slug: use lowercase letters, digits, '-' and '_' (e.g. %q)", kind, id, Slugify(id, "id"))
		return false
	}
	return true
}

// IsSlug reports whether s can be an id: lowercase letters and digits,
// then also '-' and '_'. Ids become file names and URL segments.
func IsSlug(s string) bool {
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && (r == '-' || r == '_')
		if !ok {
			return false
		}
	}
	return s != ""
}

// Slugify suggests an id for a name ("Opening an Account" →
// "opening-an-account"), or fallback when nothing of it is usable.
func Slugify(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return fallback
	}
	return out
}

// inScale reports a score outside the site scale.
func (l *loader) inScale(what string, v float64, pos model.Pos) bool {
	s := l.site.Config.Scale
	if v < s.Min || v > s.Max || v != v {
		l.errorf(pos, "%s %g is outside the scale %g..%g", what, v, s.Min, s.Max)
		return false
	}
	return true
}

func (l *loader) isBroken(kind, id string) bool { return l.broken[kind+"/"+id] }

func (l *loader) markBroken(kind, id string) {
	if l.broken == nil {
		l.broken = map[string]bool{}
	}
	l.broken[kind+"/"+id] = true
}

func touchpointIDs(j *model.Journey) []string {
	ids := make([]string, len(j.Touchpoints))
	for i, t := range j.Touchpoints {
		ids[i] = t.ID
	}
	return ids
}

func attributeIDs(b *model.Brand) []string {
	if b == nil {
		return nil
	}
	ids := make([]string, len(b.Attributes))
	for i, a := range b.Attributes {
		ids[i] = a.ID
	}
	return ids
}

func hasAttribute(b *model.Brand, id string) bool {
	if b == nil {
		return false
	}
	for _, a := range b.Attributes {
		if a.ID == id {
			return true
		}
	}
	return false
}
