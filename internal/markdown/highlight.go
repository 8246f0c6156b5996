package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/touchstone-cx/touchstone/internal/diag"
)

// Highlighting styles the default theme ships, for HighlightCSS.
const (
	LightStyle = "github"
	DarkStyle  = "github-dark"
)

// HighlightCSS returns the stylesheet for highlighted code in the named
// chroma style (LightStyle, DarkStyle or any other chroma style). The
// theme ships it; pages carry only classes.
func HighlightCSS(style string) ([]byte, error) {
	s, ok := styles.Registry[strings.ToLower(style)]
	if !ok {
		return nil, fmt.Errorf("%s", diag.Unknown("highlighting style", style, styles.Names()))
	}
	var buf bytes.Buffer
	if err := chromahtml.New(chromahtml.WithClasses(true)).WriteCSS(&buf, s); err != nil {
		return nil, fmt.Errorf("highlighting style %s: %w", style, err)
	}
	// chroma also styles a bare `.bg` class, meant for its standalone
	// pages; our pages never use it, and so generic a name would paint
	// any element of the theme or of an author's HTML that happens to
	// carry it. The same colours reach code blocks through `.chroma`.
	var out bytes.Buffer
	for line := range bytes.Lines(buf.Bytes()) {
		rule := line
		if i := bytes.Index(rule, []byte("*/")); i >= 0 {
			rule = rule[i+2:] // past the /* TokenType */ comment
		}
		if !bytes.HasPrefix(bytes.TrimSpace(rule), []byte(".bg ")) {
			out.Write(line)
		}
	}
	return out.Bytes(), nil
}

// maxCodeCache bounds the memory of highlighted blocks kept for reuse.
const maxCodeCache = 8 << 20

// codeRenderer draws fenced code through goldmark-highlighting and keeps
// the result, keyed by info string and code. chroma's regexp lexers cost
// about a millisecond for a dozen lines of Go, over ten times the rest of
// a page; the dev server re-renders the same blocks on every save, and a
// site repeats its snippets. It also works around chroma giving every
// regexp match a 250 ms wall-clock timeout: a goroutine starved of CPU
// (a loaded machine) gets a token marked `err`, so such output is
// rendered once more before it is kept.
type codeRenderer struct {
	inner renderer.NodeRenderer
	fn    renderer.NodeRendererFunc // inner's, set once by RegisterFuncs
	limit int                       // bytes of cache
	// formatter and style draw blocks without attributes (see direct).
	formatter *chromahtml.Formatter
	style     *chroma.Style

	mu    sync.Mutex
	cache map[string][]byte
	size  int
}

// chartLexerOnce registers chartLexer with chroma, once per process.
var chartLexerOnce sync.Once

// chartLexer reads the body of a chart block quoted inside a highlighted
// markdown block (the docs show ```chart examples in ````markdown). For
// a language it does not know, chroma's markdown lexer asks its registry,
// which then globs every file name pattern of every lexer: over a fifth
// of a second for the demo site's docs, the better part of a cold
// `serve`. Named, the lookup is a map access. Its one Text token is what
// chroma emits for an unknown language, so the output does not change.
func chartLexer() chroma.Lexer {
	return chroma.MustNewLexer(&chroma.Config{Name: "chart", Aliases: []string{"chart"}}, func() chroma.Rules {
		return chroma.Rules{"root": {{Pattern: `(?s).+`, Type: chroma.Text}}}
	})
}

func newCodeRenderer() *codeRenderer {
	chartLexerOnce.Do(func() { lexers.Register(chartLexer()) })
	return &codeRenderer{
		inner: highlighting.NewHTMLRenderer(
			highlighting.WithStyle(LightStyle),
			// Classes, not inline styles: the theme switches colour
			// schemes with one stylesheet each, and pages stay small.
			highlighting.WithFormatOptions(chromahtml.WithClasses(true), chromahtml.WithPreWrapper(focusablePre{})),
			highlighting.WithWrapperRenderer(plainPre),
		),
		cache:     map[string][]byte{},
		limit:     maxCodeCache,
		formatter: chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithPreWrapper(focusablePre{})),
		style:     styles.Get(LightStyle),
	}
}

// focusablePre opens code blocks as <pre tabindex="0">: a block wider
// than the page scrolls sideways, and a keyboard can only scroll what it
// can focus (WCAG 2.1.1; axe's scrollable-region-focusable).
type focusablePre struct{}

func (focusablePre) Start(code bool, styleAttr string) string {
	if code {
		return `<pre tabindex="0"` + styleAttr + `><code>`
	}
	return `<pre tabindex="0"` + styleAttr + `>`
}

func (focusablePre) End(code bool) string {
	if code {
		return `</code></pre>`
	}
	return `</pre>`
}

// plainPre wraps the code blocks chroma does not highlight (no language,
// or one it does not know) as goldmark would, but focusable like the
// highlighted ones. Highlighted blocks get their <pre> from focusablePre.
func plainPre(w util.BufWriter, c highlighting.CodeBlockContext, entering bool) {
	if c.Highlighted() {
		return
	}
	if !entering {
		_, _ = w.WriteString("</code></pre>\n")
		return
	}
	_, _ = w.WriteString(`<pre tabindex="0"><code`)
	if lang, ok := c.Language(); ok && len(lang) > 0 {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.Write(util.EscapeHTML(lang))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
}

// SetOption passes goldmark's renderer options (XHTML, …) to the
// highlighter, which would otherwise receive them directly.
func (r *codeRenderer) SetOption(name renderer.OptionName, value any) {
	if s, ok := r.inner.(renderer.SetOptioner); ok {
		s.SetOption(name, value)
	}
}

type captured map[ast.NodeKind]renderer.NodeRendererFunc

func (c captured) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	c := captured{}
	r.inner.RegisterFuncs(c)
	r.fn = c[ast.KindFencedCodeBlock]
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.FencedCodeBlock)
	if !entering || n.Language(source) == nil {
		// Unlabelled code is not highlighted: nothing worth keeping.
		return r.fn(w, source, node, entering)
	}
	var key bytes.Buffer
	if n.Info != nil {
		key.Write(n.Info.Segment.Value(source))
	}
	key.WriteByte(0)
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		key.Write(seg.Value(source))
	}
	r.mu.Lock()
	html, ok := r.cache[string(key.Bytes())]
	r.mu.Unlock()
	if ok {
		_, err := w.Write(html)
		return ast.WalkContinue, err
	}

	var buf bytes.Buffer
	for attempt := 0; attempt < 2; attempt++ {
		buf.Reset()
		if !r.direct(&buf, source, n) {
			if _, err := r.fn(bufferWriter{&buf}, source, node, true); err != nil {
				return ast.WalkStop, err
			}
		}
		if !bytes.Contains(buf.Bytes(), []byte(`class="err"`)) {
			break
		}
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
		// chroma ends on </pre>; goldmark's blocks end with a newline,
		// and the next block should not start on the same line.
		buf.WriteByte('\n')
	}
	html = buf.Bytes()
	r.mu.Lock()
	if r.size+len(html)+key.Len() > r.limit {
		// Start afresh rather than track recency: simple, and a site
		// whose snippets exceed the budget refills it in one build.
		clear(r.cache)
		r.size = 0
	}
	r.cache[key.String()] = html
	r.size += len(html) + key.Len()
	r.mu.Unlock()
	_, err := w.Write(html)
	return ast.WalkContinue, err
}

// direct highlights a block whose info string is a bare language, the
// usual case, exactly as goldmark-highlighting does but with one chroma
// formatter for every block. goldmark-highlighting makes a formatter per
// block, and a formatter's first use computes the CSS of every token
// type of the style, which took a third of the highlighting time of a
// page. chroma's formatter caches that under a lock, so sharing it is
// safe. Blocks with attributes ({hl_lines=…}, {linenos=…}) and unknown
// languages take goldmark-highlighting's path.
func (r *codeRenderer) direct(buf *bytes.Buffer, source []byte, n *ast.FencedCodeBlock) bool {
	if r.formatter == nil || n.Attributes() != nil || n.Info != nil && bytes.IndexByte(n.Info.Segment.Value(source), '{') >= 0 {
		return false
	}
	lexer := lexers.Get(string(n.Language(source)))
	if lexer == nil {
		return false
	}
	var code strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(source))
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		return false
	}
	_ = r.formatter.Format(buf, r.style, it) // as goldmark-highlighting: what was written stays
	return true
}
