// Package markdown is Touchstone's goldmark pipeline: it splits and reads
// a page's TOML front matter, and renders its markdown body to HTML with
// the extensions the spec promises (GFM, footnotes, typographer, heading
// anchors, highlighted code), the `chart` fenced block handed to a
// ChartRenderer and the inline `{{< metric … >}}` reference handed to a
// MetricResolver.
package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Option configures New, goldmark style.
type Option func(*config)

type config struct {
	unsafe bool
	charts ChartRenderer
}

// WithUnsafe lets raw HTML in markdown through to the page (site.toml
// `[markdown] unsafe = true`). Off, it is replaced by an HTML comment.
func WithUnsafe(unsafe bool) Option { return func(c *config) { c.unsafe = unsafe } }

// WithChartRenderer sets the ChartRenderer used when Render is given
// none. Without one, chart blocks show their TOML in <pre class="chart-spec">.
func WithChartRenderer(cr ChartRenderer) Option { return func(c *config) { c.charts = cr } }

// Markdown renders pages. Build one per site and share it: it is safe
// for concurrent use, and building the goldmark instance (extensions,
// renderer tables) is the expensive part.
type Markdown struct {
	md     goldmark.Markdown
	charts ChartRenderer
	key    parser.ContextKey
	code   *codeRenderer
}

// New builds the pipeline.
func New(opts ...Option) *Markdown {
	var c config
	for _, o := range opts {
		o(&c)
	}
	m := &Markdown{charts: c.charts, key: parser.NewContextKey(), code: newCodeRenderer()}
	var rendererOpts []goldmark.Option
	if c.unsafe {
		rendererOpts = append(rendererOpts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	m.md = goldmark.New(append(rendererOpts,
		goldmark.WithParserOptions(
			// {#id .class} after a heading: stable anchors that survive
			// rewording the heading.
			parser.WithHeadingAttribute(),
		),
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.NewTypographer(extension.WithTypographicSubstitutions(typography())),
			&pageExtension{key: m.key},
		),
		// Below goldmark's 1000, so it takes fenced code blocks; chart
		// blocks are gone from the tree before rendering starts.
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(m.code, 200))),
	)...)
	return m
}

// typography writes typographic punctuation as characters rather than
// goldmark's default entities: smaller pages, and the plain text for
// search and headings needs no entity decoding.
func typography() map[extension.TypographicPunctuation][]byte {
	return map[extension.TypographicPunctuation][]byte{
		extension.LeftSingleQuote:  []byte("‘"),
		extension.RightSingleQuote: []byte("’"),
		extension.LeftDoubleQuote:  []byte("“"),
		extension.RightDoubleQuote: []byte("”"),
		extension.EnDash:           []byte("–"),
		extension.EmDash:           []byte("—"),
		extension.Ellipsis:         []byte("…"),
		extension.LeftAngleQuote:   []byte("«"),
		extension.RightAngleQuote:  []byte("»"),
		extension.Apostrophe:       []byte("’"),
	}
}

// Heading is an entry of a page's table of contents.
type Heading struct {
	Level int    // 1 to 6
	ID    string // the anchor, unique within the page
	Text  string // plain text, markup removed
}

// Doc is a rendered page body.
type Doc struct {
	HTML         []byte
	Headings     []Heading // in document order
	Charts       int       // chart blocks on the page
	ChartErrors  []error   // as returned by the ChartRenderer, in page order
	Metrics      int       // metric references on the page
	MetricErrors []error   // syntax errors (*Error) and the MetricResolver's, in page order
	Text         string    // plain text for the search index, at most MaxText bytes
	WordCount    int       // words of the whole page, not only of Text
}

// Render renders a page body (the markdown after the front matter) with
// the ChartRenderer given to New. bodyLine is the file line on which the
// body starts (from SplitFrontMatter), so chart lines are file lines.
func (m *Markdown) Render(src []byte, bodyLine int) (Doc, error) {
	return m.RenderWith(src, bodyLine, nil)
}

// RenderWith is Render with this page's ChartRenderer (chart defaults
// such as journey and brand come from the page); nil uses New's. Options
// add more of the page's own state, such as WithMetrics.
func (m *Markdown) RenderWith(src []byte, bodyLine int, cr ChartRenderer, opts ...PageOption) (Doc, error) {
	if cr == nil {
		cr = m.charts
	}
	page := &pageState{charts: cr, bodyLine: max(bodyLine, 1)}
	for _, o := range opts {
		o(page)
	}
	pc := parser.NewContext()
	pc.Set(m.key, page)
	root := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	var buf bytes.Buffer
	buf.Grow(2*len(src) + 1024)
	if err := m.md.Renderer().Render(bufferWriter{&buf}, src, root); err != nil {
		return Doc{}, fmt.Errorf("render markdown: %w", err)
	}
	doc := Doc{HTML: buf.Bytes(), Charts: page.count, ChartErrors: page.errs, Metrics: page.metricCount, MetricErrors: page.metricErrs}
	doc.Headings, doc.Text, doc.WordCount = summarize(root, src)
	return doc, nil
}

// summarize collects the table of contents and the plain text in one
// walk of the tree.
func summarize(root ast.Node, src []byte) ([]Heading, string, int) {
	var headings []Heading
	page := textWriter{limit: MaxText, buf: make([]byte, 0, min(len(src), MaxText)+8)}
	var heading textWriter
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			heading.reset()
			heading.node(h, src)
			text, _ := heading.finish()
			var id string
			if v, ok := h.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					id = string(b)
				}
			}
			headings = append(headings, Heading{Level: h.Level, ID: id, Text: text})
		}
		return page.visit(n, entering, src), nil
	})
	text, words := page.finish()
	return headings, text, words
}

// bufferWriter lets goldmark write straight into a bytes.Buffer: given a
// plain io.Writer it would add a bufio.Writer, that is a 4 KB buffer and
// a second copy of every page.
type bufferWriter struct{ *bytes.Buffer }

func (bufferWriter) Buffered() int { return 0 }
func (bufferWriter) Flush() error  { return nil }
