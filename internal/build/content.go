package build

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/fsread"
	"github.com/touchstone-cx/touchstone/internal/markdown"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/theme"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// source is one content/**/*.md file, read and with its front matter
// parsed, before rendering.
type source struct {
	rel      string // "content/a/b.md"
	url      string // "a/b/" (site-relative, "" for the home page)
	list     bool   // an _index.md: a list page of its section
	fm       markdown.FrontMatter
	rawFM    []byte // the front matter's TOML, for placing problems
	body     []byte
	bodyLine int
}

// readContent reads every markdown page under content/, skipping drafts
// unless asked for. Problems are added to l; a page with a broken front
// matter is left out.
func readContent(root string, drafts bool, l *diag.List) []*source {
	dir := filepath.Join(root, "content")
	var out []*source
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipDir
			}
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".md") || strings.HasPrefix(name, ".") {
			return nil
		}
		relc, _ := filepath.Rel(dir, p)
		relc = filepath.ToSlash(relc)
		rel := "content/" + relc
		src, err := fsread.ReadFile(p, fsread.TextLimit)
		if err == nil {
			src, err = fsread.Text(src)
		}
		var te *fsread.TextError
		if errors.As(err, &te) {
			l.Errorf(rel, te.Line, te.Col, "%s", te.Msg)
			return nil
		}
		if err != nil {
			l.Errorf(rel, 0, 0, "%v", err)
			return nil
		}
		s, ok := parsePage(rel, relc, src, l)
		if ok && (!s.fm.Draft || drafts) {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		l.Errorf("content", 0, 0, "%v", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].url < out[j].url })
	return out
}

// parsePage splits and decodes one page; relc is its path under content/.
func parsePage(rel, relc string, src []byte, l *diag.List) (*source, bool) {
	fm, body, bodyLine, err := markdown.SplitFrontMatter(src)
	if err != nil {
		l.AddError(rel, err)
		return nil, false
	}
	meta, err := markdown.ParseFrontMatter(fm, 2)
	if err != nil {
		l.AddError(rel, err)
		return nil, false
	}
	s := &source{rel: rel, fm: meta, rawFM: fm, body: body, bodyLine: bodyLine}
	s.url, s.list = pageURL(relc)
	if s.url == "" && !s.list {
		l.Errorf(rel, 1, 1, "content/index.md would be the home page: name it content/_index.md")
		return nil, false
	}
	return s, true
}

// pageURL maps a path under content/ to its URL: a/b.md → "a/b/",
// a/_index.md → "a/" (a list page), _index.md → "" (home).
func pageURL(relc string) (string, bool) {
	dir, file := path.Split(relc)
	base := strings.TrimSuffix(file, ".md")
	if base == "_index" {
		return dir, true
	}
	if base == "index" {
		return dir, false
	}
	return dir + slugPath(base) + "/", false
}

// slugPath keeps a file name usable in a URL: spaces become dashes.
func slugPath(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), " ", "-")
}

// checkFrontMatter reports a page's journey or brand that names nothing,
// at its line, with the nearest valid id.
func checkFrontMatter(site *model.Site, s *source, l *diag.List) {
	var ix tomlpos.Index
	for _, c := range []struct {
		key, value string
		known      bool
		valid      func() []string
	}{{"journey", s.fm.Journey, site.Journey(s.fm.Journey) != nil, site.JourneyIDs}, {"brand", s.fm.Brand, site.Brand(s.fm.Brand) != nil, site.BrandIDs}} {
		if c.value != "" && c.known {
			continue
		}
		if ix == nil {
			ix = tomlpos.Build(s.rawFM, 1) // front matter starts on line 2
		}
		e, written := ix[c.key]
		if c.value == "" {
			// An empty id is a trap, not a default (SPEC §12): the page
			// would silently take the site's brand or no journey.
			if written {
				l.Errorf(s.rel, e.Value.Line, e.Value.Col, "%s is empty: name a %s, or leave the key out", c.key, c.key)
			}
			continue
		}
		p := ix.Value(c.key)
		l.Errorf(s.rel, p.Line, p.Col, "%s", diag.Unknown(c.key, c.value, c.valid()))
	}
}

// checkLayout reports a front matter layout the theme does not have.
func checkLayout(th *theme.Theme, s *source, l *diag.List) {
	name := s.fm.Layout
	if name == "" || th == nil {
		return
	}
	if !th.Has(strings.TrimSuffix(name, ".html") + ".html") {
		p := tomlpos.Build(s.rawFM, 1).Value("layout")
		l.Errorf(s.rel, p.Line, p.Col, "%s", diag.Unknown("layout", name, th.Layouts()))
	}
}
