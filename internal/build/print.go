package build

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PrintDoc is what the print layout shows: the report as one document
// (SPEC §11), each page's main content in menu order.
type PrintDoc struct {
	Date     time.Time
	Paper    string // "A4" or "Letter"
	Wave     string // the current wave
	Params   []Param
	Sections []PrintSection
}

// Param is one of site.toml's [params] with a plain value, for the
// cover: "prepared_by" reads "Prepared by".
type Param struct {
	Name, Value string
}

// coverParams are the site's plain params in key order; tables and
// lists are left to templates that know what they mean.
func coverParams(params map[string]any) []Param {
	var out []Param
	for _, k := range slices.Sorted(maps.Keys(params)) {
		var v string
		switch x := params[k].(type) {
		case string:
			v = x
		case int64, float64, bool:
			v = fmt.Sprint(x)
		default:
			continue
		}
		name := strings.ReplaceAll(strings.ReplaceAll(k, "_", " "), "-", " ")
		if name != "" {
			name = strings.ToUpper(name[:1]) + name[1:]
		}
		out = append(out, Param{Name: name, Value: v})
	}
	return out
}

// PrintSection is one page of the site inside the print document.
type PrintSection struct {
	Title  string
	URL    string // the page's own site-relative URL
	Anchor string // its element id in the print document
	Level  int    // 1 for a menu entry, 2 for a page shown under one
	HTML   template.HTML
}

// printURL is where the print document is written.
const printURL = "print/"

// printPages lists the pages of the print document in its order: the
// menu's entries (docs and search left out), each journey dashboard
// after the journeys list and, when asked, each touchpoint after its
// journey.
func (r *run) printPages(pages []*PageView) []*PageView {
	byURL := map[string]*PageView{}
	for _, p := range pages {
		if p.Kind != "404" && p.Kind != "search" {
			byURL[p.URL] = p
		}
	}
	var out []*PageView
	for _, l := range r.sv.Menu {
		p, ok := byURL[l.URL]
		if !ok || l.URL == "docs/" || strings.HasPrefix(l.URL, "docs/") {
			continue
		}
		out = append(out, p)
		if l.URL != "journeys/" {
			continue
		}
		for _, j := range r.site.Journeys {
			jp, ok := byURL["journeys/"+j.ID+"/"]
			if !ok {
				continue
			}
			out = append(out, jp)
			if !r.site.Config.PrintTouchpoints {
				continue
			}
			for _, t := range j.Touchpoints {
				if tp, ok := byURL["journeys/"+j.ID+"/"+t.ID+"/"]; ok {
					out = append(out, tp)
				}
			}
		}
	}
	return out
}

// printPage writes /print/ from the rendered pages: what each page shows
// is what the document shows, so the two cannot drift apart. Element
// ids get a prefix per section (two dashboards both have a
// "chart-heatmap"), and links to a page in the document become links
// within it.
func (r *run) printPage(pages []*PageView) error {
	inDoc := r.printPages(pages)
	anchors := map[string]string{}
	for i, p := range inDoc {
		anchors[p.URL] = "pg" + strconv.Itoa(i+1)
	}
	doc := &PrintDoc{Date: r.sv.Built, Paper: r.site.Config.Paper, Params: coverParams(r.site.Config.Params)}
	if r.report != nil {
		doc.Wave = r.report.Wave
	}
	for _, p := range inDoc {
		body := mainOf(r.out[outPath(p.URL, p.Kind)])
		level := 1
		if p.Kind == "journey" {
			level = 2
		}
		if p.Kind == "touchpoint" {
			level = 3
		}
		a := anchors[p.URL]
		title := p.Title
		if p.Kind == "home" {
			title = "Overview"
		}
		doc.Sections = append(doc.Sections, PrintSection{Title: title, URL: p.URL, Anchor: a, Level: level,
			HTML: template.HTML(rewriteSection(body, p.URL, a+"-", anchors))})
	}
	pv := &PageView{Kind: "print", Title: "Print", URL: printURL, Root: rootFor(printURL), Site: r.sv, HasCharts: true, Print: doc}
	var buf bytes.Buffer
	if err := r.theme.Execute(&buf, layoutFor(r.theme, pv), pv); err != nil {
		return err
	}
	r.out[printURL+"index.html"] = buf.Bytes()
	return nil
}

var (
	mainOpen = []byte(`<main id="main" tabindex="-1">`)
	crumbs   = regexp.MustCompile(`(?s)^\s*<nav class="crumbs"[^>]*>.*?</nav>`)
	// attrRe finds the attributes that hold a URL or an element id. The
	// output's attributes are always double-quoted, and a quote inside a
	// value or in text is escaped, so a match is always a real attribute.
	attrRe = regexp.MustCompile(`\s(href|src|id|for|data-chart-for|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"`)
)

// mainOf is a rendered page's main content, without its breadcrumbs.
func mainOf(page []byte) string {
	i := bytes.Index(page, mainOpen)
	j := bytes.LastIndex(page, []byte("</main>"))
	if i < 0 || j < i {
		return ""
	}
	body := string(page[i+len(mainOpen) : j])
	return crumbs.ReplaceAllString(body, "")
}

// rewriteSection makes a page's main content fit in the print document:
// ids carry prefix, fragment links follow them, and links resolved
// against the page's URL point into the document when their page is in
// it, else back to the site from /print/.
func rewriteSection(body, pageURL, prefix string, anchors map[string]string) string {
	base, _ := url.Parse("/" + pageURL)
	return attrRe.ReplaceAllStringFunc(body, func(m string) string {
		sub := attrRe.FindStringSubmatch(m)
		name, val := sub[1], html.UnescapeString(sub[2])
		switch name {
		case "href", "src":
			val = relink(val, base, prefix, anchors, name == "href")
		case "aria-labelledby", "aria-describedby", "aria-controls":
			ids := strings.Fields(val)
			for k := range ids {
				ids[k] = prefix + ids[k]
			}
			val = strings.Join(ids, " ")
		default:
			if val != "" {
				val = prefix + val
			}
		}
		return " " + name + `="` + html.EscapeString(val) + `"`
	})
}

// relink rewrites one link of a page at base for the print document.
func relink(val string, base *url.URL, prefix string, anchors map[string]string, isLink bool) string {
	if strings.HasPrefix(val, "#") {
		return "#" + prefix + val[1:]
	}
	u, err := url.Parse(val)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(val, "//") || val == "" {
		return val
	}
	abs := base.ResolveReference(u)
	site := strings.TrimPrefix(abs.Path, "/")
	page := strings.TrimSuffix(site, "index.html")
	if isLink && u.RawQuery == "" {
		if a, ok := anchors[page]; ok {
			if abs.Fragment != "" {
				return "#" + a + "-" + abs.Fragment
			}
			return "#" + a
		}
	}
	out := "../" + site
	if abs.RawQuery != "" {
		out += "?" + abs.RawQuery
	}
	if abs.Fragment != "" {
		out += "#" + abs.Fragment
	}
	return out
}
