package markdown

import (
	"regexp"
	"strings"
	"testing"
)

func render(t testing.TB, m *Markdown, src string) Doc {
	t.Helper()
	d, err := m.Render([]byte(src), 1)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFeatures(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string // substrings of the HTML
		absent []string
	}{
		{name: "gfm table", src: "| a | b |\n|:--|--:|\n| 1 | 2 |\n",
			want: []string{"<table>", `<th style="text-align:left">a</th>`, `<td style="text-align:right">2</td>`}},
		{name: "strikethrough", src: "~~gone~~", want: []string{"<del>gone</del>"}},
		{name: "task list", src: "- [x] done\n- [ ] todo\n",
			want: []string{`<li><input checked="" disabled="" type="checkbox"> done</li>`, `<li><input disabled="" type="checkbox"> todo</li>`}},
		{name: "autolink", src: "see https://example.com/x and www.example.org.",
			want: []string{`<a href="https://example.com/x">https://example.com/x</a>`, `<a href="http://www.example.org">www.example.org</a>.`}},
		{name: "footnote", src: "claim[^src]\n\n[^src]: the survey\n",
			want: []string{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`, `<li id="fn:1">`, "the survey"}},
		{name: "typographer quotes", src: `"Be there" isn't 'optional'`,
			want: []string{"“Be there” isn’t ‘optional’"}, absent: []string{"&ldquo;", "&quot;"}},
		{name: "typographer dashes and ellipsis", src: "2025--2026 --- and so...",
			want: []string{"2025–2026 — and so…"}},
		{name: "raw html omitted by default", src: "a <b>bold</b>\n\n<div>block</div>\n",
			want: []string{"<!-- raw HTML omitted -->"}, absent: []string{"<b>", "<div>"}},
		{name: "javascript links dropped", src: "[x](javascript:alert(1))", absent: []string{"javascript:"}},
		{name: "plain code without language", src: "```\n<a & b>\n```\n", want: []string{"<pre tabindex=\"0\"><code>&lt;a &amp; b&gt;\n</code></pre>"}},
		{name: "unknown language left plain", src: "```nosuchlang\nx < y\n```\n", want: []string{`<pre tabindex="0"><code class="language-nosuchlang">x &lt; y`}},
		{name: "heading attribute", src: "## Title {#custom .wide}\n", want: []string{`<h2 id="custom" class="wide">Title <a class="anchor" href="#custom"`}},
	}
	m := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := string(render(t, m, tt.src).HTML)
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %q in\n%s", w, html)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(html, a) {
					t.Errorf("unexpected %q in\n%s", a, html)
				}
			}
		})
	}
}

func TestUnsafeKeepsRawHTML(t *testing.T) {
	html := string(render(t, New(WithUnsafe(true)), "a <b>bold</b>\n\n<div>block</div>\n").HTML)
	for _, w := range []string{"<b>bold</b>", "<div>block</div>"} {
		if !strings.Contains(html, w) {
			t.Errorf("missing %q in %s", w, html)
		}
	}
	if strings.Contains(html, "omitted") {
		t.Errorf("raw HTML omitted although unsafe: %s", html)
	}
}

func TestHeadings(t *testing.T) {
	src := "# Intro {#}\n\n## Be *There*\n\nSetext\n------\n\n## Be There\n\n## Be There {#be-there-1}\n\n### Zuverlässigkeit & [Klarheit](/k/)\n\n## !!!\n\n## `code` heading\n\n## Twice {#intro}\n\n## Again {#intro}\n"
	d := render(t, New(), src)
	want := []Heading{
		{1, "intro-1", "Intro"}, // {#} is no id; "intro" is taken below
		{2, "be-there", "Be There"},
		{2, "setext", "Setext"},
		{2, "be-there-2", "Be There"}, // -1 is taken by the explicit id below
		{2, "be-there-1", "Be There"},
		{3, "zuverlässigkeit--klarheit", "Zuverlässigkeit & Klarheit"},
		{2, "heading", "!!!"},
		{2, "code-heading", "code heading"},
		{2, "intro", "Twice"},
		{2, "intro-2", "Again"}, // an explicit id already taken
	}
	if len(d.Headings) != len(want) {
		t.Fatalf("headings = %+v", d.Headings)
	}
	seen := map[string]bool{}
	for i, w := range want {
		if d.Headings[i] != w {
			t.Errorf("heading %d = %+v, want %+v", i, d.Headings[i], w)
		}
		if seen[d.Headings[i].ID] {
			t.Errorf("duplicate id %q", d.Headings[i].ID)
		}
		seen[d.Headings[i].ID] = true
	}
	html := string(d.HTML)
	for _, w := range []string{
		`<h2 id="be-there">Be <em>There</em> <a class="anchor" href="#be-there" aria-label="Link to this section">#</a></h2>`,
		`<h2 id="setext">Setext <a class="anchor" href="#setext" aria-label="Link to this section">#</a></h2>`,
		`<h1 id="intro-1">Intro <a class="anchor" href="#intro-1" aria-label="Link to this section">#</a></h1>`,
	} {
		if !strings.Contains(html, w) {
			t.Errorf("missing %q in\n%s", w, html)
		}
	}
	// Ids restart on every page: the generator holds no state between calls.
	if d2 := render(t, New(), "# Intro\n"); d2.Headings[0].ID != "intro" {
		t.Errorf("second page id = %q", d2.Headings[0].ID)
	}
}

func TestHighlighting(t *testing.T) {
	src := "```go\npackage main\n\nfunc main() { println(\"<hi>\") }\n```\n"
	html := string(render(t, New(), src).HTML)
	if !strings.Contains(html, `<pre tabindex="0" class="chroma">`) {
		t.Errorf("no chroma pre in %s", html)
	}
	if !regexp.MustCompile(`<span class="kd">func</span>`).MatchString(html) {
		t.Errorf("func keyword not classed in %s", html)
	}
	if strings.Contains(html, "style=") {
		t.Errorf("inline style in highlighted code: %s", html)
	}
	if !strings.Contains(html, "&lt;hi&gt;") || strings.Contains(html, "<hi>") {
		t.Errorf("code not escaped: %s", html)
	}
}

func TestHighlightCSS(t *testing.T) {
	for _, style := range []string{LightStyle, DarkStyle, "GitHub"} {
		css, err := HighlightCSS(style)
		if err != nil {
			t.Fatal(err)
		}
		s := string(css)
		if !strings.Contains(s, ".chroma {") || !strings.Contains(s, ".chroma .kd {") {
			t.Errorf("%s: stylesheet lacks .chroma rules:\n%s", style, s)
		}
		if strings.Contains(s, ".bg ") {
			t.Errorf("%s: stylesheet styles the generic .bg class", style)
		}
	}
	light, _ := HighlightCSS(LightStyle)
	dark, _ := HighlightCSS(DarkStyle)
	if string(light) == string(dark) {
		t.Error("light and dark stylesheets are the same")
	}
	if _, err := HighlightCSS("githib"); err == nil || !strings.Contains(err.Error(), `did you mean "github"`) {
		t.Errorf("unknown style err = %v", err)
	}
}

func TestText(t *testing.T) {
	src := "# Title\n\nSome *emphasis* and `co\\de` with\na soft break &amp; an escaped \\*star\\*.\n\n" +
		"- one\n- two\n\n| h1 | h2 |\n|---|---|\n| c1 | c2 |\n\n```go\nfunc hidden() {}\n```\n\n" +
		"```chart\ntype = \"gap\"\n```\n\n<div>raw</div>\n\nLink to https://example.com — done.\n"
	d := render(t, New(), src)
	want := "Title Some emphasis and co\\de with a soft break & an escaped *star*. one two h1 h2 c1 c2 Link to https://example.com — done."
	if d.Text != want {
		t.Errorf("Text =\n%q, want\n%q", d.Text, want)
	}
	// "—" has no letter or digit: not a word.
	if d.WordCount != 22 {
		t.Errorf("WordCount = %d, want 22", d.WordCount)
	}
}

func TestTextCapped(t *testing.T) {
	word := "alignment "
	src := strings.Repeat(word, 2*MaxText/len(word))
	d := render(t, New(), src)
	if len(d.Text) > MaxText || len(d.Text) < MaxText-len(word) {
		t.Errorf("len(Text) = %d, want just under %d", len(d.Text), MaxText)
	}
	if strings.HasSuffix(d.Text, " ") || !strings.HasSuffix(d.Text, "alignment") {
		t.Errorf("Text ends %q", d.Text[len(d.Text)-20:])
	}
	if d.WordCount != 2*MaxText/len(word) {
		t.Errorf("WordCount = %d, want %d (the whole page)", d.WordCount, 2*MaxText/len(word))
	}
}
