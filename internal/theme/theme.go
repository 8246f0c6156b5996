// Package theme finds and parses the templates and static files of a
// site's look: the site's own layouts/ over themes/<name>/ over the
// default theme embedded in the binary.
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	touchstone "github.com/touchstone-cx/touchstone"
	"github.com/touchstone-cx/touchstone/internal/fsread"
)

// Theme is a parsed set of page layouts and the static files to copy.
type Theme struct {
	layouts map[string]*template.Template
	static  map[string]source // output path → where it comes from
	// site is, per layout, what its templates read of .Site.
	site map[string][]string
	// partials holds the partials alone, for the cached function.
	partials *template.Template
	cache    sync.Map // cacheKey → template.HTML
}

type cacheKey struct{ name, key string }

type source struct {
	fsys fs.FS
	name string
}

// layer is one place templates and static files may come from, in
// increasing priority.
type layer struct {
	layouts fs.FS // may be nil
	static  fs.FS // may be nil
	label   string
}

// Load reads the theme called name for the site at root. funcs are the
// template functions the layouts may call.
func Load(root, name string, funcs template.FuncMap) (*Theme, error) {
	embedded, err := fs.Sub(touchstone.DefaultTheme, "themes/default")
	if err != nil {
		return nil, err
	}
	layers := []layer{{layouts: sub(embedded, "layouts"), static: sub(embedded, "static"), label: "embedded default theme"}}
	themeDir := filepath.Join(root, "themes", name)
	if isDir(themeDir) {
		layers = append(layers, layer{layouts: dirFS(filepath.Join(themeDir, "layouts")), static: dirFS(filepath.Join(themeDir, "static")), label: "themes/" + name})
	} else if name != "default" {
		return nil, fmt.Errorf("site.toml: theme %q not found: there is no folder themes/%s", name, name)
	}
	layers = append(layers, layer{layouts: dirFS(filepath.Join(root, "layouts")), label: "layouts"})

	// Later layers override earlier ones file by file.
	files := map[string]source{}
	static := map[string]source{}
	for _, ly := range layers {
		collect(ly.layouts, ".html", files)
		collect(ly.static, "", static)
	}
	t := &Theme{layouts: map[string]*template.Template{}, site: map[string][]string{}, static: static}
	funcs = withCached(funcs, t)
	var partials []string
	var pages []string
	for name := range files {
		switch {
		case strings.HasPrefix(name, "partials/"):
			partials = append(partials, name)
		case name == "baseof.html":
		default:
			pages = append(pages, name)
		}
	}
	sort.Strings(partials)
	sort.Strings(pages)
	if _, ok := files["baseof.html"]; !ok {
		return nil, errors.New("theme: no baseof.html layout")
	}
	// baseof and the partials are read and parsed once; each layout is
	// parsed into its own clone of them. The set also serves the cached
	// function, which renders partials alone.
	read := func(name string) (string, error) {
		b, err := fs.ReadFile(files[name].fsys, files[name].name)
		return string(b), err
	}
	baseText, err := read("baseof.html")
	if err != nil {
		return nil, err
	}
	shared, err := template.New("baseof.html").Funcs(funcs).Parse(baseText)
	if err != nil {
		return nil, errors.New(templateError(err))
	}
	for _, name := range partials {
		text, err := read(name)
		if err != nil {
			return nil, err
		}
		if _, err := shared.New(name).Parse(text); err != nil {
			return nil, errors.New(templateError(err))
		}
	}
	var errs []error
	for _, p := range pages {
		text, err := read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		tpl, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := tpl.New(p).Parse(text); err != nil {
			errs = append(errs, errors.New(templateError(err)))
			continue
		}
		t.layouts[p] = tpl
		t.site[p] = siteFields(tpl)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	t.partials = shared
	return t, nil
}

// withCached returns funcs plus "cached": {{cached "partials/x.html" .
// KEY…}} renders the partial with the data once per theme load for each
// distinct KEY… and reuses the HTML after, as Hugo's partialCached does.
// The default theme's header and footer are the same on every page of
// one depth, and template execution is reflective: a 25-entry menu costs
// about a hundred function calls a page, which profiling showed as the
// largest part of building plain pages. The keys must name everything
// the partial shows that differs between pages.
func withCached(funcs template.FuncMap, t *Theme) template.FuncMap {
	out := make(template.FuncMap, len(funcs)+1)
	for k, v := range funcs {
		out[k] = v
	}
	out["cached"] = t.cached
	return out
}

func (t *Theme) cached(name string, data any, key ...any) (template.HTML, error) {
	// Go syntax keeps keys apart: ("a b", "c") is not ("a", "b c").
	k := cacheKey{name: name, key: fmt.Sprintf("%#v", key)}
	if h, ok := t.cache.Load(k); ok {
		return h.(template.HTML), nil
	}
	if t.partials.Lookup(name) == nil {
		return "", fmt.Errorf("cached: no partial %q", name)
	}
	var buf bytes.Buffer
	if err := t.partials.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	// Two pages may render the same key at once; both get the same HTML.
	h, _ := t.cache.LoadOrStore(k, template.HTML(buf.String()))
	return h.(template.HTML), nil
}

// templateError keeps html/template's "template: name:line:col: msg"
// message but makes the place lead, as every other diagnostic does.
func templateError(err error) string {
	return strings.TrimPrefix(err.Error(), "template: ")
}

// Layouts lists the page layouts by name without ".html", sorted.
func (t *Theme) Layouts() []string {
	var out []string
	for name := range t.layouts {
		out = append(out, strings.TrimSuffix(name, ".html"))
	}
	sort.Strings(out)
	return out
}

// Has reports whether a layout exists.
func (t *Theme) Has(layout string) bool { _, ok := t.layouts[layout]; return ok }

// Execute renders layout with data. Layouts define "main" (and may define
// "title" and "head") for baseof.html to place.
func (t *Theme) Execute(w io.Writer, layout string, data any) error {
	tpl, ok := t.layouts[layout]
	if !ok {
		return fmt.Errorf("theme: no layout %q", layout)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "baseof.html", data); err != nil {
		return errors.New(templateError(err))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// StaticFiles returns every static file of the theme layers: output
// path → content.
func (t *Theme) StaticFiles() (map[string][]byte, error) {
	out := make(map[string][]byte, len(t.static))
	for p, src := range t.static {
		b, err := fs.ReadFile(src.fsys, src.name)
		if err != nil {
			return nil, err
		}
		out[p] = b
	}
	return out, nil
}

func collect(fsys fs.FS, ext string, into map[string]source) {
	if fsys == nil {
		return
	}
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if ext != "" && path.Ext(p) != ext {
			return nil
		}
		into[p] = source{fsys: fsys, name: p}
		return nil
	})
}

func sub(fsys fs.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil
	}
	return s
}

func dirFS(dir string) fs.FS {
	if !isDir(dir) {
		return nil
	}
	return fsread.DirFS(dir) // a named pipe among the layouts must not block the build
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
