package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark/util"

	"github.com/touchstone-cx/touchstone/internal/charts"
	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/fsread"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/markdown"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/theme"
)

// Builder builds one site and keeps what it needs to rebuild
// incrementally when a few files change.
type Builder struct {
	opts Options
	// Version names the generator in page metadata.
	Version string

	mu   sync.Mutex // one build at a time
	last *state     // the last good build, for incremental rebuilds
	// maxPage overrides maxPageSize in tests.
	maxPage int
	// dirty holds every input changed since last, whatever the caller
	// hands the next Rebuild: an incremental rebuild must start from
	// last and all that changed since, or it checks and renders against
	// a stale site (issue 12: a page naming a renamed journey was
	// checked against the site from before the rename, for ever).
	dirty map[string]bool

	// amend, when set, changes the loaded site before anything is
	// computed: the tests' seam for data no file format gives yet.
	amend func(*model.Site)
}

// state is a finished good build kept for the next Rebuild.
type state struct {
	run     *run
	pages   []*PageView
	sources map[string]*source // content path → its source
	pageOf  map[string]int     // content path → index in pages
	result  *Result
	// inputs are the files the data model was read from: a change to
	// one of them alone is a data edit.
	inputs *load.Inputs
}

// New returns a Builder for opts.
func New(opts Options) *Builder { return &Builder{opts: opts, Version: "dev"} }

// Build builds the whole site. Bad inputs give a *diag.Errors listing
// every problem, warnings included.
func (b *Builder) Build(ctx context.Context) (*Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.build(ctx, nil)
}

// build builds the whole site. prev, when set, is the last good build
// and only data files changed since: narrative pages that quote no data
// keep their previous output.
func (b *Builder) build(ctx context.Context, prev *state) (*Result, error) {
	start := time.Now()
	var l diag.List
	site, ld, inputs := load.SiteInputs(b.opts.Site)
	l.Append(ld)
	if b.amend != nil {
		b.amend(site)
	}
	if b.opts.BaseURL != "" {
		// Validated as site.toml's baseURL is: it ends up in every link.
		if u, err := config.BaseURL(b.opts.BaseURL); err != nil {
			l.Errorf("--base-url", 0, 0, "%v", err)
		} else {
			site.Config.BaseURL = u
		}
	}
	r := &run{b: b, site: site, diags: &l, reports: map[string]*metrics.Report{}, out: map[string][]byte{}, prev: prev}
	r.report = r.reportFor("")
	r.sv = &SiteView{Title: site.Config.Title, BaseURL: site.Config.BaseURL, Params: site.Config.Params, Model: site, Report: r.report,
		Generator: "Touchstone " + b.Version, Built: start}
	th, err := theme.Load(b.opts.Site, site.Config.Theme, theme.Funcs(site))
	if err != nil {
		l.AddError("layouts", err)
	}
	r.theme = th
	r.md = markdown.New(markdown.WithUnsafe(site.Config.Unsafe))
	sources := readContent(b.opts.Site, b.opts.Drafts, &l)
	for _, s := range sources {
		checkFrontMatter(site, s, &l)
		checkLayout(th, s, &l)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pages, narrative := r.plan(sources)
	if b.opts.Dev {
		devRoot(pages)
	}
	r.keepOld = prev != nil && prev.run.chrome() == r.chrome()
	r.keepUnchanged(pages)
	if th != nil {
		r.renderAll(ctx, pages)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.warnLargePages(pages)
	res := &Result{Site: site, Report: r.report, Pages: len(pages), Charts: r.charts}
	for _, d := range l.Items() {
		if d.Severity == diag.Warning {
			res.Warnings = append(res.Warnings, d)
		}
	}
	if l.HasErrors() {
		return res, l.Err()
	}
	if err := r.printPage(pages); err != nil {
		return res, err
	}
	if err := r.extras(pages); err != nil {
		return res, err
	}
	if (b.opts.Portable || site.Config.Portable) && !b.opts.Dev {
		r.portable()
	}
	res.Output = &Output{Files: r.out}
	for _, p := range pages {
		if !r.reused(p) {
			res.Rendered = append(res.Rendered, outPath(p.URL, p.Kind))
		}
	}
	res.Took = time.Since(start)
	st := &state{run: r, pages: pages, sources: map[string]*source{}, pageOf: map[string]int{}, result: res, inputs: inputs}
	for i, p := range pages {
		if s, ok := narrative[p]; ok {
			st.sources[s.rel] = s
			st.pageOf[s.rel] = i
		}
	}
	b.last, b.dirty = st, nil
	return res, nil
}

// Rebuild rebuilds after the files at changed (paths relative to the
// site root, slash-separated) were written, created or removed. An edit
// to the text of existing pages re-renders those pages and the search
// index only. A data edit (every change is an input of the data model,
// as the loader reports them) recomputes the metrics and renders the pages
// whose figures, charts or names changed, and the overview pages that
// read the whole report; narrative pages that quote no data and detail
// pages of journeys, touchpoints and owners the edit does not concern
// keep their output (see keepUnchanged). Anything else (templates,
// config, a page's title, weight, date or draft flag, a page added or
// removed, any file the loader does not read) rebuilds the whole site.
// Changes handed to a Rebuild that fails are kept: the next Rebuild
// starts from the last good build and every change since.
func (b *Builder) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dirty == nil {
		b.dirty = map[string]bool{}
	}
	for _, c := range changed {
		b.dirty[c] = true
	}
	changed = slices.Sorted(maps.Keys(b.dirty))
	if res, ok, err := b.pagesOnly(ctx, changed); ok {
		return res, err
	}
	// The loader, not a folder name, says what the data model is read
	// from; a change it cannot place rebuilds everything.
	dataOnly := b.last != nil && len(changed) > 0
	for _, c := range changed {
		dataOnly = dataOnly && b.last.inputs.Has(c)
	}
	if dataOnly {
		return b.build(ctx, b.last)
	}
	return b.build(ctx, nil)
}

// pagesOnly is the incremental path; ok is false when it does not apply.
func (b *Builder) pagesOnly(ctx context.Context, changed []string) (*Result, bool, error) {
	st := b.last
	if st == nil || len(changed) == 0 {
		return nil, false, nil
	}
	start := time.Now()
	type edit struct {
		src *source
		at  int
	}
	var edits []edit
	var l diag.List
	// Every change must be the text of a known page before any is
	// checked: the checks below are against the last good build's site,
	// which is only the site on disk when nothing else changed.
	for _, rel := range changed {
		if _, known := st.sources[rel]; !known || !strings.HasPrefix(rel, "content/") || !strings.HasSuffix(rel, ".md") {
			return nil, false, nil
		}
	}
	for _, rel := range changed {
		old := st.sources[rel]
		src, err := fsread.ReadFile(filepath.Join(b.opts.Site, filepath.FromSlash(rel)), fsread.TextLimit)
		if err == nil {
			src, err = fsread.Text(src)
		}
		if err != nil {
			return nil, false, nil // removed or unreadable: a full build explains it
		}
		s, ok := parsePage(rel, strings.TrimPrefix(rel, "content/"), src, &l)
		if ok {
			checkFrontMatter(st.run.site, s, &l)
			checkLayout(st.run.theme, s, &l)
		}
		if !ok || l.HasErrors() {
			return nil, true, l.Err()
		}
		if !sameShape(old, s) {
			return nil, false, nil
		}
		edits = append(edits, edit{s, st.pageOf[rel]})
	}
	r := st.run
	// A fresh output map sharing the unchanged files keeps the previous
	// result intact if this rebuild fails.
	out := make(map[string][]byte, len(st.result.Output.Files))
	for k, v := range st.result.Output.Files {
		out[k] = v
	}
	pages := append([]*PageView(nil), st.pages...)
	var rendered []string
	for _, e := range edits {
		p := *pages[e.at]
		rr := &run{b: b, site: r.site, diags: &l, reports: r.reports, report: r.report, sv: r.sv, theme: r.theme, md: r.md, out: out}
		rr.renderNarrative(e.src, &p)
		if l.HasErrors() {
			return nil, true, l.Err()
		}
		var buf bytes.Buffer
		if err := r.theme.Execute(&buf, layoutFor(r.theme, &p), &p); err != nil {
			l.AddError("layouts", err)
			return nil, true, l.Err()
		}
		path := outPath(p.URL, p.Kind)
		out[path] = buf.Bytes()
		pages[e.at] = &p
		rendered = append(rendered, path)
	}
	if err := ctx.Err(); err != nil {
		return nil, true, err
	}
	rr := &run{b: b, site: r.site, diags: &l, reports: r.reports, report: r.report, sv: r.sv, theme: r.theme, md: r.md, out: out}
	if err := rr.printPage(pages); err != nil {
		return nil, true, err
	}
	idx, err := searchIndex(pages)
	if err != nil {
		return nil, true, err
	}
	out["search/index.json"] = idx
	res := *st.result
	res.Output = &Output{Files: out}
	res.Rendered = rendered
	res.Took = time.Since(start)
	next := &state{run: r, pages: pages, sources: map[string]*source{}, pageOf: st.pageOf, result: &res, inputs: st.inputs}
	for k, v := range st.sources {
		next.sources[k] = v
	}
	for _, e := range edits {
		next.sources[e.src.rel] = e.src
	}
	b.last, b.dirty = next, nil
	return &res, true, nil
}

// sameShape reports whether a page edit leaves everything other pages
// show of it (menus, lists, breadcrumbs) unchanged.
func sameShape(a, b *source) bool {
	return a.url == b.url && a.list == b.list && a.fm.Title == b.fm.Title && a.fm.Weight == b.fm.Weight &&
		a.fm.Date.Equal(b.fm.Date) && a.fm.Draft == b.fm.Draft && a.fm.Summary == b.fm.Summary
}

// run is the state of one build.
type run struct {
	b          *Builder
	site       *model.Site
	diags      *diag.List
	mu         sync.Mutex // guards diags, out, charts and reports while rendering
	reports    map[string]*metrics.Report
	report     *metrics.Report
	sv         *SiteView
	theme      *theme.Theme
	md         *markdown.Markdown
	out        map[string][]byte
	charts     int
	shortfalls []Shortfall
	changes    *ChangeList // the current wave's significant changes
	prev       *state      // the last good build when only data changed
	// keepOld is set once the plan is known: prev's output of pages that
	// use no data still stands because the chrome around them is the same.
	keepOld bool
}

// maxPageSize is the size of a page above which a build warns: browsers
// take seconds to open a page of this size, and a journey of 30,000
// touchpoints made one page of 160 MB.
const maxPageSize = 8 << 20

// warnLargePages warns of pages over maxPageSize, at the input that
// makes them so large where there is one.
func (r *run) warnLargePages(pages []*PageView) {
	limit := maxPageSize
	if r.b.maxPage > 0 {
		limit = r.b.maxPage
	}
	for _, p := range pages {
		path := outPath(p.URL, p.Kind)
		n := len(r.out[path])
		if n <= limit {
			continue
		}
		where, what := model.Pos{Path: path}, "it"
		switch {
		case p.Kind == "journey" && p.Journey != nil:
			where, what = p.Journey.Pos, "the journey into several"
		case p.Kind == "actor" && p.Actor != nil:
			where, what = p.Actor.Pos, "the actor's touchpoints among several actors"
		}
		r.diags.Warnf(where.Path, where.Line, where.Col, "the page %s is %s, over %s: browsers open it slowly or not at all; split %s", path, size(n), size(limit), what)
	}
}

func size(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + " MiB"
	}
	return strconv.Itoa(n) + " bytes"
}

// reused reports whether p's previous output still stands.
func (r *run) reused(p *PageView) bool { return p.reusable && r.keepOld }

// reuseNarrative takes a page's rendered markdown from the previous build
// when only data changed and the page quotes none of it.
func (r *run) reuseNarrative(s *source, p *PageView) bool {
	if r.prev == nil {
		return false
	}
	old, ok := r.prev.sources[s.rel]
	if !ok || !bytes.Equal(old.body, s.body) || !bytes.Equal(old.rawFM, s.rawFM) {
		return false
	}
	q := r.prev.pages[r.prev.pageOf[s.rel]]
	if q.usesData || q.URL != p.URL {
		return false
	}
	p.Content, p.TOC, p.text, p.reusable = q.Content, q.TOC, q.text, true
	return true
}

// reportFor computes a wave's metrics once per build, shared by pages.
func (r *run) reportFor(wave string) *metrics.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rep, ok := r.reports[wave]; ok {
		return rep
	}
	rep := metrics.Compute(r.site, wave)
	r.reports[wave] = rep
	return rep
}

func (r *run) chartContext() charts.Context {
	return charts.Context{Site: r.site, Report: func(w string) (*metrics.Report, error) {
		if w != "" && !slices.Contains(r.site.Waves, w) {
			return nil, fmt.Errorf("unknown wave %q", w)
		}
		return r.reportFor(w), nil
	}}
}

// renderAll renders pages on every core.
func (r *run) renderAll(ctx context.Context, pages []*PageView) {
	work := make(chan *PageView)
	var wg sync.WaitGroup
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for p := range work {
				if r.reused(p) {
					path := outPath(p.URL, p.Kind)
					r.mu.Lock()
					r.out[path] = r.prev.result.Output.Files[path]
					r.mu.Unlock()
					continue
				}
				buf.Reset()
				if err := r.theme.Execute(&buf, layoutFor(r.theme, p), p); err != nil {
					r.mu.Lock()
					r.diags.AddError("layouts", err)
					r.mu.Unlock()
					continue
				}
				b := append([]byte(nil), buf.Bytes()...)
				r.mu.Lock()
				r.out[outPath(p.URL, p.Kind)] = b
				r.mu.Unlock()
			}
		}()
	}
	for _, p := range pages {
		if ctx.Err() != nil {
			break
		}
		work <- p
	}
	close(work)
	wg.Wait()
}

func layoutFor(t *theme.Theme, p *PageView) string {
	if p.Layout != "" {
		return strings.TrimSuffix(p.Layout, ".html") + ".html" // checked in plan
	}
	kind := p.Kind
	if t.Has(kind + ".html") {
		return kind + ".html"
	}
	if kind == "home" && t.Has("list.html") {
		return "list.html"
	}
	return "page.html"
}

func outPath(url, kind string) string {
	if kind == "404" {
		return "404.html"
	}
	return url + "index.html"
}

// devRoot roots the 404 page at "/" for the dev server. The page is
// served at any depth, so it links from the base path ("/reports/cx/");
// the dev server serves a sub-path site at "/", where links from the
// base path lead nowhere.
func devRoot(pages []*PageView) {
	for _, p := range pages {
		if p.Kind == "404" {
			p.Root = "/"
		}
	}
}

// rootFor is the relative prefix from a page at url to the site root, so
// links work under any sub-path and from any static server.
func rootFor(url string) string {
	n := strings.Count(url, "/")
	if n == 0 {
		return "./"
	}
	return strings.Repeat("../", n)
}

// chartRenderer draws a narrative page's chart blocks.
type chartRenderer struct {
	r        *run
	defaults charts.Defaults
	rel      string
}

func (c *chartRenderer) RenderChart(w util.BufWriter, body []byte, line, index int) error {
	spec, err := charts.ParseSpec(body, line)
	if err == nil {
		err = c.r.drawChart(w, spec, c.defaults, "chart-"+strconv.Itoa(index+1))
	}
	return placed(c.rel, err)
}

// placed fills in the page path of chart diagnostics, which the charts
// package reports by line only, so the error box on the page and the
// terminal both say where.
func placed(rel string, err error) error {
	var list *diag.Errors
	if errors.As(err, &list) {
		out := &diag.Errors{Items: append([]diag.Diagnostic(nil), list.Items...)}
		for i := range out.Items {
			if out.Items[i].Path == "" {
				out.Items[i].Path = rel
			}
		}
		return out
	}
	var d diag.Diagnostic
	if errors.As(err, &d) && d.Path == "" {
		d.Path = rel
		return d
	}
	return err
}

func (r *run) drawChart(w interface{ Write([]byte) (int, error) }, spec charts.Spec, d charts.Defaults, id string) error {
	ctx := r.chartContext()
	spec, err := charts.Resolve(spec, d, ctx)
	if err != nil {
		return err
	}
	if err := charts.Render(w, spec, id, ctx); err != nil {
		return err
	}
	r.mu.Lock()
	r.charts++
	r.mu.Unlock()
	return nil
}

// chartHTML renders a generated page's chart, or an escaped error box.
func (r *run) chartHTML(spec charts.Spec, d charts.Defaults, id string) template.HTML {
	var buf bytes.Buffer
	if err := r.drawChart(&buf, spec, d, id); err != nil {
		return template.HTML(`<div class="chart-error" role="alert">` + template.HTMLEscapeString(err.Error()) + `</div>`)
	}
	return template.HTML(buf.String())
}

// renderNarrative turns a content page's markdown into HTML.
func (r *run) renderNarrative(s *source, p *PageView) {
	brand := s.fm.Brand
	if brand == "" {
		brand = r.site.Config.Brand
	}
	cr := &chartRenderer{r: r, defaults: charts.Defaults{Journey: s.fm.Journey, Brand: brand}, rel: s.rel}
	mr := &metricResolver{r: r, rel: s.rel, journey: s.fm.Journey, brand: brand}
	doc, err := r.md.RenderWith(s.body, s.bodyLine, cr, markdown.WithMetrics(mr))
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.diags.AddError(s.rel, err)
		return
	}
	for _, e := range slices.Concat(doc.ChartErrors, doc.MetricErrors) {
		var list *diag.Errors
		if errors.As(e, &list) {
			for _, d := range list.Items {
				d.Path = s.rel
				r.diags.Add(d)
			}
			continue
		}
		var d diag.Diagnostic
		if errors.As(e, &d) {
			d.Path = s.rel
			r.diags.Add(d)
			continue
		}
		r.diags.AddError(s.rel, e)
	}
	p.Content = template.HTML(rebase(string(doc.HTML), p.Root))
	p.TOC = doc.Headings
	p.text = doc.Text
	p.usesData = doc.Charts > 0 || doc.Metrics > 0
	p.HasCharts = doc.Charts > 0
}

// rebase makes root-absolute links written in markdown ("/journeys/x/")
// relative to the page, so they carry the site's sub-path.
func rebase(html, root string) string {
	for _, attr := range []string{`href="/`, `src="/`} {
		var b strings.Builder
		rest := html
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			after := rest[i+len(attr):]
			if strings.HasPrefix(after, "/") { // protocol-relative: leave
				b.WriteString(attr)
			} else {
				b.WriteString(attr[:len(attr)-1] + root)
			}
			rest = after
		}
		html = b.String()
	}
	return html
}

// extras writes what is not a page: metrics.json, the search index, the
// sitemap, static files and the highlighting stylesheet.
func (r *run) extras(pages []*PageView) error {
	js, err := json.MarshalIndent(r.report, "", " ")
	if err != nil {
		return err
	}
	r.out["data/metrics.json"] = append(js, '\n')
	static, err := r.theme.StaticFiles()
	if err != nil {
		return err
	}
	for p, b := range static {
		r.out[p] = b
	}
	if err := copyStatic(r.b.opts.Site, r.out); err != nil {
		return err
	}
	css, err := highlightCSS()
	if err != nil {
		return err
	}
	r.out["css/chroma.css"] = css
	idx, err := searchIndex(pages)
	if err != nil {
		return err
	}
	r.out["search/index.json"] = idx
	r.out["sitemap.xml"] = sitemap(r.site.Config.BaseURL, pages)
	return nil
}

func highlightCSS() ([]byte, error) {
	light, err := markdown.HighlightCSS(markdown.LightStyle)
	if err != nil {
		return nil, err
	}
	dark, err := markdown.HighlightCSS(markdown.DarkStyle)
	if err != nil {
		return nil, err
	}
	// Each style in its own scheme: the dark style leaves some token
	// types to its base colour, and the light style's colour for them
	// (near black) would otherwise show through on the dark background.
	// Paper is white: print takes the light style whatever the screen.
	var b bytes.Buffer
	b.WriteString("@media print, not all and (prefers-color-scheme: dark) {\n")
	b.Write(light)
	b.WriteString("\n}\n@media screen and (prefers-color-scheme: dark) {\n")
	b.Write(dark)
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

type searchDoc struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
}

// searchIndex encodes the search documents as one JSON array. Each page
// keeps its encoded document and reuses it while the document is the
// same: on a one-page edit in a 2,000-page site, encoding every page's
// text again was nine tenths of the rebuild. The output is what
// json.Marshal gives for the whole slice.
func searchIndex(pages []*PageView) ([]byte, error) {
	size, id := 2, 0
	for _, p := range pages {
		if p.Kind == "404" || p.Kind == "search" || p.Segment != nil {
			continue // a segment value's page repeats its all-respondents page's words
		}
		d := searchDoc{ID: id, Title: p.Title, URL: p.URL, Kind: p.Kind, Text: p.text}
		if p.search.json == nil || p.search.doc != d {
			js, err := json.Marshal(d)
			if err != nil {
				return nil, err
			}
			p.search.doc, p.search.json = d, js
		}
		size += len(p.search.json) + 1
		id++
	}
	b := make([]byte, 0, size)
	b = append(b, '[')
	for _, p := range pages {
		if p.search.json != nil && p.Kind != "404" && p.Kind != "search" && p.Segment == nil {
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = append(b, p.search.json...)
		}
	}
	return append(b, ']'), nil
}

func sitemap(baseURL string, pages []*PageView) []byte {
	base := strings.TrimSuffix(baseURL, "/") + "/"
	if !strings.Contains(base, "://") {
		base = config.BasePath(base)
	}
	urls := make([]string, 0, len(pages))
	for _, p := range pages {
		if p.Kind != "404" {
			urls = append(urls, p.URL)
		}
	}
	sort.Strings(urls)
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("  <url><loc>")
		template.HTMLEscape(&b, []byte(base+u)) // page URLs are clean: "", "a/", "a/b/"
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}
