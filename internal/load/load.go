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

	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/fsread"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// SiteInputs loads the site at root, and says which inputs the data
// model was read from. The returned site is usable for whatever loaded
// cleanly even when the list holds errors, so check can report problems
// of later stages too.
func SiteInputs(root string) (*model.Site, *diag.List, *Inputs) {
	l := structure(root)
	l.measures()
	l.sources()
	l.resolveWaves()
	l.inline()
	l.warnings()
	return l.site, l.diags, l.inputs
}

// Structure loads what names the cells of a site — site.toml, brands,
// actors, journeys and assessments — and no experience data: what a
// source needs to read answers against (touchstone pull), without
// reading every source of the site.
func Structure(root string) (*model.Site, *diag.List) {
	l := structure(root)
	return l.site, l.diags
}

func structure(root string) *loader {
	l := &loader{root: root, diags: &diag.List{}, inputs: &Inputs{}}
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
	l.site.Index() // the lists are complete: lookups by id are keyed from here
	return l
}

type loader struct {
	root  string
	site  *model.Site
	diags *diag.List
	// waves seen in data files, with the first place each was seen.
	seenWaves map[string]model.Pos
	// pending inline experience, placed once the current wave is known.
	pending []inlineCell
	// inputs are where the data model was read from (see Inputs).
	inputs *Inputs
	// broken names files that failed to decode (brands, journeys): what
	// refers to them is not checked further, so one syntax error does
	// not bury itself under a cascade of "unknown" messages.
	broken map[string]bool
	// actorSet holds the actors' ids, once they are read (see isActor).
	actorSet map[string]bool
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
	l.inputGlob(dir, ext)
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

// openRegular opens a data file to stream it, refusing anything that is
// not a regular file (a named pipe would block the build for ever).
func openRegular(path string) (*os.File, error) { return fsread.Open(path) }

// readText reads a text input (see fsread.Text), refusing anything that
// is not UTF-8 or UTF-16 with// a message that says what to do about it.
func (l *loader) readText(path string) ([]byte, bool) {
	src, err := fsread.ReadFile(path, fsread.TextLimit)
	if err != nil {
		l.diags.Errorf(l.rel(path), 0, 0, "%v", err)
		return nil, false
	}
	// UTF-16 and CR-only line ends are read; other encodings are not.
	src, err = fsread.Text(src)
	var te *fsread.TextError
	if errors.As(err, &te) {
		l.diags.Errorf(l.rel(path), te.Line, te.Col, "%s", te.Msg)
		return nil, false
	}
	return src, true
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
	// A nan or inf would pass every range check below (comparisons with
	// NaN are false) and fail far away; the file counts as not decoded,
	// so nothing downstream reports its consequences.
	if bad := tomlpos.NonFinite(src, ix, 0); len(bad) > 0 {
		for _, p := range bad {
			l.diags.Errorf(rel, p.Line, p.Col, "%s", NonFiniteMsg(p))
		}
		return ix, false
	}
	return ix, true
}

// NonFiniteMsg says what is wrong with a nan or inf in a TOML file.
func NonFiniteMsg(p tomlpos.Problem) string {
	return p.Path + " = " + p.Msg + ": not a finite number; write a number such as 4 or 3.5"
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

// isActor reports whether id names an actor, or whether that cannot be
// known because actors.toml did not decode (then it is not reported).
// The set is made once: a linear search per touchpoint made loading
// 100,000 touchpoints quadratic.
func (l *loader) isActor(id string) bool {
	if l.isBroken("actors", "") {
		return true
	}
	if l.actorSet == nil {
		l.actorSet = make(map[string]bool, len(l.site.Actors))
		for _, a := range l.site.Actors {
			l.actorSet[a.ID] = true
		}
	}
	return l.actorSet[id]
}

// anyBroken reports whether any file of kind failed to decode.
func (l *loader) anyBroken(kind string) bool {
	for k := range l.broken {
		if strings.HasPrefix(k, kind+"/") {
			return true
		}
	}
	return false
}

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
