// Package synth writes synthetic Touchstone sites for benchmarks: N plain
// markdown pages of about 1.5 KB (headings, lists, a table, a highlighted
// Go block, ten sections) and a wide responses CSV of R rows (8 attribute
// columns, about 10% empty cells, quoted comments with commas and the odd
// embedded newline), optionally with the same pages as a Hugo site. The
// output is deterministic: the same options always give the same bytes.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Options say what to write.
type Options struct {
	Pages int // markdown pages under content/
	Rows  int // rows of data/responses/survey.csv (none when 0)
	// Export: responses of a Qualtrics-shaped export with its mapping,
	// data/surveys/pulse.csv and pulse.toml (none when 0).
	Export int
	Hugo   bool // also write the pages as a Hugo site in DIR-hugo
	Force  bool // write into existing folders
	// Touchpoints, when set, replaces the two small journeys with this
	// many touchpoints in journeys of PerJourney (default 1,000), owned
	// by one actor per 100 touchpoints, each with a measured score on
	// two attributes in both waves (data/measures/scores.csv): the
	// scale benchmark of issue 17.
	Touchpoints, PerJourney int
}

// Write writes the site to out (and out+"-hugo").
func Write(out string, o Options) error {
	pages, rows, hugo, force := o.Pages, o.Rows, o.Hugo, o.Force
	dirs := []string{out}
	if hugo {
		dirs = append(dirs, out+"-hugo")
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); err == nil && !force {
			return fmt.Errorf("%s exists (use -force)", d)
		}
	}
	w := &writer{}
	w.file(out, "site.toml", siteTOML)
	w.file(out, "data/brands/acme.toml", brandTOML())
	if o.Touchpoints > 0 {
		w.manyTouchpoints(out, o.Touchpoints, o.PerJourney)
	} else {
		w.file(out, "data/actors.toml", actorsTOML)
		for _, j := range journeys {
			w.file(out, "data/journeys/"+j.id+".toml", journeyTOML(j))
		}
	}
	for _, p := range genPages(pages) {
		w.file(out, "content/"+p.path, p.touchstone())
		if hugo {
			w.file(out+"-hugo", "content/"+p.path, p.hugo())
		}
	}
	if hugo {
		w.file(out+"-hugo", "hugo.toml", hugoTOML)
		w.file(out+"-hugo", "themes/minimal/layouts/_default/baseof.html", hugoBaseof)
		w.file(out+"-hugo", "themes/minimal/layouts/_default/single.html", hugoSingle)
		w.file(out+"-hugo", "themes/minimal/layouts/_default/list.html", hugoList)
	}
	if w.err != nil {
		return w.err
	}
	if o.Export > 0 {
		if err := WriteExportSite(out, o.Export); err != nil {
			return err
		}
	}
	if rows > 0 {
		return writeResponsesFile(filepath.Join(out, "data/responses/survey.csv"), rows)
	}
	return nil
}

// manyTouchpoints writes n touchpoints in journeys of per, their actors
// and their measures.
func (w *writer) manyTouchpoints(out string, n, per int) {
	if per <= 0 {
		per = 1000
	}
	var actors strings.Builder
	for a := 0; a < (n+99)/100; a++ {
		fmt.Fprintf(&actors, "[[actors]]\nid = \"team-%d\"\nname = \"Team %d\"\nkind = \"department\"\n", a, a)
	}
	w.file(out, "data/actors.toml", actors.String())
	var scores strings.Builder
	scores.WriteString("wave,journey,touchpoint,attribute,score,n,sd\n")
	stages := []string{"Discover", "Join", "Use", "Leave"}
	for j := 0; j*per < n; j++ {
		id := fmt.Sprintf("journey-%d", j)
		var b strings.Builder
		fmt.Fprintf(&b, "title = \"Journey %d\"\npersona = \"owner\"\nstages = [\"Discover\", \"Join\", \"Use\", \"Leave\"]\n", j)
		for i := j * per; i < min(n, (j+1)*per); i++ {
			a1, a2 := attributes[i%len(attributes)], attributes[(i+3)%len(attributes)]
			fmt.Fprintf(&b, "\n[[touchpoints]]\nid = \"tp-%d\"\nname = \"Touchpoint %d\"\nstage = %q\nowner = \"team-%d\"\ncontributors = [\"team-%d\"]\nimportance = %d\npromise = { %s = %.1f, %s = %.1f }\n",
				i, i, stages[i%len(stages)], i/100, (i/100+1)%((n+99)/100), 2+i%4, a1, 3.5+float64(i%4)*0.4, a2, 4.0)
			for wi, wave := range []string{"2025-H2", "2026-H1"} {
				for k, a := range []string{a1, a2} {
					fmt.Fprintf(&scores, "%s,%s,tp-%d,%s,%.1f,%d,0.9\n", wave, id, i, a, 2.5+float64((i+k+wi)%5)*0.4, 40+i%60)
				}
			}
		}
		w.file(out, "data/journeys/"+id+".toml", b.String())
	}
	w.file(out, "data/measures/scores.csv", scores.String())
}

type writer struct{ err error }

func (w *writer) file(root, rel, text string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	if w.err = os.MkdirAll(filepath.Dir(p), 0o755); w.err != nil {
		return
	}
	w.err = os.WriteFile(p, []byte(text), 0o644)
}

const siteTOML = `title = "Synthetic benchmark site"
baseURL = "/"
brand = "acme"
waves = ["2025-H2", "2026-H1"]
[scale]
min = 1
max = 5
`

var attributes = []string{"be-there", "clarity", "fair", "effortless", "warm", "reliable", "honest", "simple"}

func brandTOML() string {
	var b strings.Builder
	b.WriteString("name = \"Acme\"\npromise = \"There when it matters.\"\n")
	for i, a := range attributes {
		fmt.Fprintf(&b, "\n[[attributes]]\nid = %q\nname = %q\nweight = %d\n", a, strings.ToUpper(a[:1])+a[1:], 1+i%3)
	}
	b.WriteString("\n[[personas]]\nid = \"owner\"\nname = \"Sam\"\n")
	return b.String()
}

const actorsTOML = `[[actors]]
id = "marketing"
name = "Marketing"
kind = "department"
[[actors]]
id = "service"
name = "Customer service"
kind = "department"
[[actors]]
id = "courier"
name = "Courier"
kind = "partner"
`

type journey struct {
	id          string
	stages      []string
	touchpoints []string
}

var journeys = []journey{
	{"onboarding", []string{"Discover", "Join", "Use"}, []string{"tv-ad", "website", "application", "welcome-call", "first-bill"}},
	{"support", []string{"Ask", "Resolve"}, []string{"app-chat", "call-centre", "engineer-visit", "follow-up"}},
}

func journeyTOML(j journey) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title = %q\npersona = \"owner\"\nstages = [", strings.ToUpper(j.id[:1])+j.id[1:])
	for i, s := range j.stages {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	b.WriteString("]\n")
	owners := []string{"marketing", "service", "courier"}
	for i, t := range j.touchpoints {
		fmt.Fprintf(&b, "\n[[touchpoints]]\nid = %q\nname = %q\nstage = %q\nowner = %q\nimportance = %d\npromise = { ",
			t, t, j.stages[i%len(j.stages)], owners[i%len(owners)], 2+i%4)
		for k, a := range attributes {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s = %.1f", a, 3.5+float64((i+k)%4)*0.4)
		}
		b.WriteString(" }\n")
	}
	return b.String()
}

// page is one synthetic narrative page.
type page struct {
	path   string // under content/
	title  string
	weight int
	body   string
}

func (p page) frontMatter() string {
	return fmt.Sprintf("+++\ntitle = %q\ndate = 2026-01-%02d\nweight = %d\n+++\n\n", p.title, 1+p.weight%28, p.weight)
}

func (p page) touchstone() string { return p.frontMatter() + p.body }

// hugo is the same page: Hugo reads the same TOML front matter.
func (p page) hugo() string { return p.frontMatter() + p.body }

// sections is how many folders the pages are spread over, as a report
// spread over business units would be.
const sections = 20

func genPages(n int) []page {
	var out []page
	out = append(out, page{path: "_index.md", title: "Home", body: "Welcome to the **synthetic** report.\n"})
	for s := 0; s < sections && s < n; s++ {
		out = append(out, page{path: fmt.Sprintf("unit-%02d/_index.md", s), title: fmt.Sprintf("Business unit %d", s), weight: s,
			body: fmt.Sprintf("Pages of business unit %d.\n", s)})
	}
	for i := 0; i < n; i++ {
		rng := rand.New(rand.NewPCG(7, uint64(i)))
		out = append(out, page{
			path:   fmt.Sprintf("unit-%02d/page-%05d.md", i%sections, i),
			title:  fmt.Sprintf("Finding %d: %s", i, pick(rng, topics)),
			weight: i,
			body:   pageBody(rng, i),
		})
	}
	return out
}

var topics = []string{"the bill nobody reads", "waiting on the phone", "a courier who cared", "the app that forgot",
	"first impressions", "fair prices, unfair terms", "the storm week", "a welcome that worked"}

var words = strings.Fields(`customer promise experience brand touchpoint journey owner gap score wave survey
call centre invoice clarity fair effortless reliable honest warm simple partner delivery courier app website
advert application onboarding support follow-up visit engineer complaint praise trust expectation moment
truth friction effort value price bill renewal switch loyalty churn advocate detractor promoter`)

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

func sentence(rng *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = pick(rng, words)
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

// PageBody is the markdown body (no front matter) of synthetic page i,
// as Write writes it.
func PageBody(i int) string {
	rng := rand.New(rand.NewPCG(7, uint64(i)))
	pick(rng, topics) // the title's draw
	return pageBody(rng, i)
}

// pageBody is about 1.5 KB of markdown in ten sections. The code block
// differs on every page so that no generator profits from caching
// highlighted code across pages.
func pageBody(rng *rand.Rand, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s **%s** and *%s*.\n", sentence(rng, 10), pick(rng, words), pick(rng, words))
	for s := 1; s <= 10; s++ {
		fmt.Fprintf(&b, "\n## Section %d: %s\n\n", s, pick(rng, topics))
		switch s {
		case 2:
			for k := 0; k < 3; k++ {
				fmt.Fprintf(&b, "- %s\n", sentence(rng, 5))
			}
		case 4:
			b.WriteString("| Touchpoint | Promise | Experience | Gap |\n|:--|--:|--:|--:|\n")
			for k := 0; k < 3; k++ {
				p, e := 3+rng.Float64()*2, 1+rng.Float64()*4
				fmt.Fprintf(&b, "| %s | %.1f | %.1f | %.1f |\n", pick(rng, words), p, e, e-p)
			}
		case 6:
			fmt.Fprintf(&b, "```go\nfunc gap%d(p, e float64) float64 {\n\treturn e - p // %s\n}\n```\n", i, pick(rng, words))
		case 8:
			for k := 1; k <= 3; k++ {
				fmt.Fprintf(&b, "%d. %s\n", k, sentence(rng, 4))
			}
		default:
			fmt.Fprintf(&b, "%s %s\n", sentence(rng, 9), sentence(rng, 7))
		}
	}
	return b.String()
}

// The Hugo side: the same pages, a theme that only wraps .Content in a
// small HTML shell, classes for highlighting (as Touchstone does), and no
// RSS or taxonomy pages (Touchstone makes neither).
const hugoTOML = `baseURL = "http://example.org/"
title = "Synthetic benchmark site"
theme = "minimal"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.highlight]
noClasses = false
`

const hugoBaseof = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="/css/site.css"></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
`

const hugoSingle = `{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
`

const hugoList = `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`

func writeResponsesFile(path string, rows int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := WriteResponses(f, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteResponses writes the wide survey export of the synthetic site:
// rows spread at random over its journeys' touchpoints and two waves.
func WriteResponses(w io.Writer, rows int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(3, 5))
	bw.WriteString("respondent,wave,journey,touchpoint," + strings.Join(attributes, ",") + ",recommend,comment\n")
	type tp struct{ j, t string }
	var tps []tp
	for _, j := range journeys {
		for _, t := range j.touchpoints {
			tps = append(tps, tp{j.id, t})
		}
	}
	waves := []string{"2025-H2", "2026-H1"}
	comments := []string{
		`"Quick, friendly, done"`,
		`"Waited 40 minutes, then cut off"`,
		`Fine`,
		`"They said ""we'll call back"", nobody did"`,
		`"Clear bill, at last, thank you"`,
		"\"Two lines:\nfirst, then second\"",
	}
	var line []byte
	for i := 0; i < rows; i++ {
		t := tps[rng.IntN(len(tps))]
		line = line[:0]
		line = append(line, 'R')
		line = strconv.AppendInt(line, int64(i+1), 10)
		line = append(line, ',')
		line = append(line, waves[rng.IntN(2)]...)
		line = append(line, ',')
		line = append(line, t.j...)
		line = append(line, ',')
		line = append(line, t.t...)
		base := 1 + rng.IntN(5)
		for range attributes {
			line = append(line, ',')
			if rng.IntN(10) == 0 {
				continue // about 10% missing answers
			}
			v := min(5, max(1, base+rng.IntN(3)-1))
			line = strconv.AppendInt(line, int64(v), 10)
		}
		line = append(line, ',')
		if rng.IntN(10) != 0 {
			line = strconv.AppendInt(line, int64(rng.IntN(11)), 10)
		}
		line = append(line, ',')
		if k := rng.IntN(100); k < 30 {
			c := comments[k%5]
			if k == 29 {
				c = comments[5] // a rare comment spanning two lines
			}
			line = append(line, c...)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
