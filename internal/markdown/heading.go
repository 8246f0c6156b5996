package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// assignHeadingIDs gives every heading without an explicit {#id} an id
// made from its text, unique within the page. goldmark's own generator
// slugs the raw markdown (so `[Be There](/x)` becomes "be-therex") and
// drops non-ASCII letters; authors write "Zuverlässigkeit" and expect to
// see it in the link. Explicit ids are reserved first so that an
// automatic id never takes one an author chose further down the page.
func assignHeadingIDs(headings []*ast.Heading, source []byte) {
	used := make(map[string]bool, len(headings))
	for _, h := range headings {
		if id, ok := h.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				used[string(b)] = true
			}
		}
	}
	var tw textWriter
	for _, h := range headings {
		if _, ok := h.AttributeString("id"); ok {
			continue
		}
		tw.reset()
		tw.node(h, source)
		base := slug(tw.String())
		id := base
		for i := 1; used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
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
