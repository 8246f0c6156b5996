package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// assignHeadingIDs gives every heading an id unique within the page: its
// own {#id}, or one made from its text. goldmark's own generator
// slugs the raw markdown (so `[Be There](/x)` becomes "be-therex") and
// drops non-ASCII letters; authors write "Zuverlässigkeit" and expect to
// see it in the link. Explicit ids are reserved first so that an
// automatic id never takes one an author chose further down the page.
func assignHeadingIDs(headings []*ast.Heading, source []byte) {
	used := make(map[string]bool, len(headings))
	// own[i] is heading i's {#id}, kept when it is the first to ask for
	// it; a repeated one is made unique like any generated id, since two
	// elements with one id break the anchor for both.
	own := make([]string, len(headings))
	keep := make([]bool, len(headings))
	for i, h := range headings {
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok && len(b) > 0 {
				own[i] = string(b)
				keep[i] = !used[own[i]]
				used[own[i]] = true
			}
		}
	}
	var tw textWriter
	for i, h := range headings {
		if keep[i] {
			continue
		}
		base := own[i]
		if base == "" {
			tw.reset()
			tw.node(h, source)
			base = slug(tw.String())
		}
		id := base
		for n := 1; used[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
	}
}

// slug lower-cases letters and digits of any script, turns spaces into
// hyphens and drops punctuation, the way GitHub anchors read.
func slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '-' || r == '_':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "heading"
	}
	return b.String()
}

// renderHeading is goldmark's heading plus a visible anchor link, so a
// reader can copy a link to any section.
func (r *nodeRenderer) renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := "0123456"[n.Level]
	if entering {
		_, _ = w.WriteString("<h")
		_ = w.WriteByte(level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, node, html.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if v, ok := n.AttributeString("id"); ok {
		if id, ok := v.([]byte); ok && len(id) > 0 {
			_, _ = w.WriteString(` <a class="anchor" href="#`)
			_, _ = w.Write(util.EscapeHTML(id))
			_, _ = w.WriteString(`" aria-label="Link to this section">#</a>`)
		}
	}
	_, _ = w.WriteString("</h")
	_ = w.WriteByte(level)
	_, _ = w.WriteString(">\n")
	return ast.WalkContinue, nil
}
