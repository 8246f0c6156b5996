package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindChart is the NodeKind of ChartBlock. goldmark hands out kinds from
// a registry at init time, hence a variable; it is never reassigned.
var KindChart = ast.NewNodeKind("Chart")

// ChartBlock replaces a fenced code block of language `chart`: the
// renderer draws it through the page's ChartRenderer instead of
// highlighting it as code.
type ChartBlock struct {
	ast.BaseBlock
	Body  []byte // the block's TOML, fences excluded
	Line  int    // 1-based file line of the first body line (of the fence when empty)
	Index int    // 0-based order of the chart on its page

	// page is the per-Render state the node renderer needs. goldmark's
	// renderers never see the parser context, so the transformer hands
	// it over on the node; that keeps the renderer stateless and one
	// goldmark instance safe for concurrent pages.
	page *pageState
}

// Kind implements ast.Node.
func (n *ChartBlock) Kind() ast.NodeKind { return KindChart }

// Dump implements ast.Node.
func (n *ChartBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Line":  fmt.Sprint(n.Line),
		"Index": fmt.Sprint(n.Index),
		"Body":  string(n.Body),
	}, nil)
}

// ChartRenderer draws one chart block. body is the block's TOML, line
// the file line of its first body line (for positioned errors) and index
// its 0-based order on the page (for stable element ids). An error is
// shown in place of the chart and reported in Doc.ChartErrors; anything
// written to w before the error is discarded.
type ChartRenderer interface {
	RenderChart(w util.BufWriter, body []byte, line int, index int) error
}

// ChartRendererFunc adapts a function to ChartRenderer.
type ChartRendererFunc func(w util.BufWriter, body []byte, line int, index int) error

// RenderChart implements ChartRenderer.
func (f ChartRendererFunc) RenderChart(w util.BufWriter, body []byte, line int, index int) error {
	return f(w, body, line, index)
}

// pageState is what one Render call shares between its transformer and
// its node renderers, reached through the parser context and the nodes.
type pageState struct {
	charts   ChartRenderer
	bodyLine int
	count    int
	errs     []error

	metrics     MetricResolver
	metricCount int
	metricErrs  []error
	// lastOff and lastLine cache position's count of newlines.
	lastOff, lastLine int
}

// pageExtension is the goldmark extension for our own nodes: chart
// blocks and heading ids (transformer), metric references (inline
// parser) and their renderers.
type pageExtension struct {
	key parser.ContextKey // where Render leaves its *pageState
}

func (e *pageExtension) Extend(m goldmark.Markdown) {
	// Transformers run in ascending order: after the footnote transformer
	// (999), which drops unreferenced footnotes and moves the rest to the
	// end, so chart indexes follow the page as rendered.
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&pageTransformer{key: e.key}, 2000)))
	// No other inline parser starts at '{'.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(&metricParser{key: e.key}, 100)))
	// The lower number wins: 100 takes headings from goldmark's html
	// renderer (1000) and table cells from its table extension (500).
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{}, 100)))
}

// pageTransformer gives headings their ids and turns chart fences into
// ChartBlocks, in one walk of the tree.
type pageTransformer struct {
	key parser.ContextKey
}

func (t *pageTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	page, _ := pc.Get(t.key).(*pageState)
	if page == nil {
		// Parsed without RenderWith's context: lines count from the
		// start of src, and charts show their spec.
		page = &pageState{bodyLine: 1}
	}
	source := reader.Source()
	var charts []*ast.FencedCodeBlock
	var headings []*ast.Heading
	// Replacing nodes while ast.Walk is iterating them would derail the
	// walk, so collect first and replace after.
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			if string(n.Language(source)) == "chart" {
				charts = append(charts, n)
			}
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			headings = append(headings, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	assignHeadingIDs(headings, source)
	for i, fence := range charts {
		page.count++
		c := &ChartBlock{Index: i, page: page}
		lines := fence.Lines()
		var start int
		if lines.Len() > 0 {
			start = lines.At(0).Start
			var body bytes.Buffer
			for j := 0; j < lines.Len(); j++ {
				seg := lines.At(j)
				body.Write(seg.Value(source))
			}
			c.Body = body.Bytes()
		} else {
			start = max(fence.Pos(), 0)
		}
		start = min(start, len(source))
		c.Line = page.bodyLine + bytes.Count(source[:start], []byte("\n"))
		c.SetLines(lines)
		c.SetBlankPreviousLines(fence.HasBlankPreviousLines())
		c.SetPos(fence.Pos())
		fence.Parent().ReplaceChild(fence.Parent(), fence, c)
	}
}

func (r *nodeRenderer) renderChart(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ChartBlock)
	var cr ChartRenderer
	if n.page != nil {
		cr = n.page.charts
	}
	if cr == nil {
		_, _ = w.WriteString(`<pre class="chart-spec">`)
		_, _ = w.Write(util.EscapeHTML(n.Body))
		_, _ = w.WriteString("</pre>\n")
		return ast.WalkContinue, nil
	}
	// Render into a scratch buffer so a renderer that fails halfway
	// leaves no broken markup behind, only the error box.
	var buf bytes.Buffer
	bw := bufferWriter{&buf}
	if err := cr.RenderChart(bw, n.Body, n.Line, n.Index); err != nil {
		if n.page != nil {
			n.page.errs = append(n.page.errs, err)
		}
		_, _ = w.WriteString(`<div class="chart-error" role="alert">`)
		_, _ = w.Write(util.EscapeHTML([]byte(err.Error())))
		_, _ = w.WriteString("</div>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.Write(buf.Bytes())
	return ast.WalkContinue, nil
}
