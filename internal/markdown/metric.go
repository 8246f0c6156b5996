package markdown

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/touchstone-cx/touchstone/internal/diag"
)

// KindMetric is the NodeKind of MetricRef.
var KindMetric = ast.NewNodeKind("Metric")

// MetricRef is an inline metric reference in prose, written the way
// Hugo writes shortcodes:
//
//	{{< metric journey="storm" touchpoint="welfare-pack" value="nps" >}}
//
// The renderer asks the page's MetricResolver for the figure, so a
// number quoted in a narrative is always the number the data gives. The
// reference may wrap across lines of its paragraph; in code spans and
// code blocks it is literal text like any other.
type MetricRef struct {
	ast.BaseInline
	Args   map[string]string // key → value, as written
	Keys   []string          // the keys in the order written
	Line   int               // 1-based file line of the opening "{{<"
	Col    int               // 1-based column (in characters) of the "{"
	Source []byte            // the reference as written

	err   error  // a syntax error found while parsing
	text  string // the resolved figure, set when rendered
	exact string
	page  *pageState // see ChartBlock.page
}

// Kind implements ast.Node.
func (n *MetricRef) Kind() ast.NodeKind { return KindMetric }

// Dump implements ast.Node.
func (n *MetricRef) Dump(source []byte, level int) {
	m := map[string]string{"Line": strconv.Itoa(n.Line), "Col": strconv.Itoa(n.Col)}
	for _, k := range n.Keys {
		m["arg "+k] = n.Args[k]
	}
	ast.DumpHelper(n, source, level, m, nil)
}

// MetricResolver turns the arguments of one metric reference into the
// figure to print: text as the site shows it (one decimal, signed where
// the site signs) and exact, the full-precision value and what it is, for
// the reader who hovers. line and col place the reference in the page
// file, for errors. An error is shown in place of the figure and
// reported in Doc.MetricErrors; a figure that does not exist must be an
// error, never a zero.
type MetricResolver interface {
	ResolveMetric(args map[string]string, line, col int) (text, exact string, err error)
}

// MetricResolverFunc adapts a function to MetricResolver.
type MetricResolverFunc func(args map[string]string, line, col int) (text, exact string, err error)

// ResolveMetric implements MetricResolver.
func (f MetricResolverFunc) ResolveMetric(args map[string]string, line, col int) (string, string, error) {
	return f(args, line, col)
}

// PageOption configures one RenderWith call.
type PageOption func(*pageState)

// WithMetrics resolves the page's metric references through mr. Without
// it, references are shown as written and only their syntax is checked.
func WithMetrics(mr MetricResolver) PageOption {
	return func(p *pageState) { p.metrics = mr }
}

// Shortcodes are the names `{{< name … >}}` may take; anything else
// after "{{<" is an error rather than silently literal text, since an
// author who wrote it expected a figure.
var shortcodes = []string{"metric"}

// maxMetricRef bounds how far a reference may run: an unclosed "{{<"
// must not make every later one rescan the rest of a long paragraph.
const maxMetricRef = 2048

// metricParser is the inline parser of metric references.
type metricParser struct {
	key parser.ContextKey
}

func (p *metricParser) Trigger() []byte { return []byte{'{'} }

func (p *metricParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("{{<")) {
		return nil
	}
	// Commit only to "{{<", optional blanks, then a name: "{{<" alone
	// stays text.
	i := 3
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i >= len(line) || !isNameStart(line[i]) {
		return nil
	}
	page, _ := pc.Get(p.key).(*pageState)
	if page == nil {
		page = &pageState{bodyLine: 1}
	}

	// Gather the rest of the paragraph (up to the bound) with the source
	// offset of every byte, so that problems can be placed exactly, then
	// put the reader back and advance it past what the reference takes.
	startLine, startSeg := block.Position()
	var buf []byte
	var offs []int
	for len(buf) < maxMetricRef {
		l, seg := block.PeekLine()
		if l == nil {
			break
		}
		for j := range l {
			buf = append(buf, l[j])
			offs = append(offs, seg.Start+max(0, j-seg.Padding))
		}
		if bytes.Contains(l, []byte(">}}")) {
			break
		}
		block.AdvanceLine()
	}
	block.SetPosition(startLine, startSeg)

	source := block.Source()
	n := &MetricRef{page: page, Args: map[string]string{}}
	n.Line, n.Col = page.position(source, offs[0])
	s := refScanner{buf: buf, pos: i}
	name := s.name()
	end, err := s.args(n)
	if name != "metric" {
		// Take the whole reference when it closes, else the opener and
		// name only: the rest is likely prose.
		if end < 0 {
			end = s.nameEnd
		}
		n.Args, n.Keys = map[string]string{}, nil
		err = s.errAt(i, diag.Unknown("shortcode", name, shortcodes))
	} else if end < 0 {
		end = s.nameEnd
	}
	if err != nil {
		e := err.(*refError)
		ln, col := page.position(source, offs[min(e.at, len(offs)-1)])
		n.err = &Error{Line: ln, Col: col, Msg: e.msg}
	}
	n.Source = append([]byte(nil), buf[:end]...)
	block.Advance(end)
	n.SetPos(offs[0])
	return n
}

// position is the file line and column of a source offset. References
// come in document order, so counting resumes where the last one ended.
func (p *pageState) position(source []byte, off int) (line, col int) {
	off = min(max(off, 0), len(source))
	if off < p.lastOff {
		p.lastOff, p.lastLine = 0, 0
	}
	p.lastLine += bytes.Count(source[p.lastOff:off], []byte("\n"))
	p.lastOff = off
	start := bytes.LastIndexByte(source[:off], '\n') + 1
	return p.bodyLine + p.lastLine, utf8.RuneCount(source[start:off]) + 1
}

// refError is a syntax error at byte at of the gathered text.
type refError struct {
	at  int
	msg string
}

func (e *refError) Error() string { return e.msg }

// refScanner reads the inside of a reference: name, then key="value"
// pairs (quotes optional for values without blanks), then ">}}".
type refScanner struct {
	buf     []byte
	pos     int
	nameEnd int
}

func (s *refScanner) errAt(at int, msg string) error { return &refError{at: at, msg: msg} }

func (s *refScanner) name() string {
	start := s.pos
	for s.pos < len(s.buf) && isNameByte(s.buf[s.pos]) {
		s.pos++
	}
	s.nameEnd = s.pos
	return string(s.buf[start:s.pos])
}

func (s *refScanner) blanks() {
	for s.pos < len(s.buf) && isBlank(s.buf[s.pos]) {
		s.pos++
	}
}

// args reads the arguments into n and returns the end of the reference
// (just past ">}}"), or -1 with the error when it never closes.
func (s *refScanner) args(n *MetricRef) (int, error) {
	if s.pos < len(s.buf) && !isBlank(s.buf[s.pos]) && !bytes.HasPrefix(s.buf[s.pos:], []byte(">}}")) {
		return -1, s.errAt(s.pos, "metric reference: expected a blank after the name, found "+quoteByte(s.buf, s.pos))
	}
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	for {
		s.blanks()
		if s.pos >= len(s.buf) {
			return -1, s.errAt(0, `metric reference is not closed: ">}}" is missing before the end of the paragraph`)
		}
		if bytes.HasPrefix(s.buf[s.pos:], []byte(">}}")) {
			return s.pos + 3, first
		}
		keyAt := s.pos
		for s.pos < len(s.buf) && isNameByte(s.buf[s.pos]) {
			s.pos++
		}
		key := string(s.buf[keyAt:s.pos])
		if key == "" {
			// Skip the stray character and carry on to find the end.
			fail(s.errAt(s.pos, `metric reference: expected key="value", found `+quoteByte(s.buf, s.pos)))
			_, size := utf8.DecodeRune(s.buf[s.pos:])
			s.pos += size
			continue
		}
		if s.pos >= len(s.buf) || s.buf[s.pos] != '=' {
			fail(s.errAt(keyAt, `metric reference: `+key+` needs a value: `+key+`="…"`))
			continue
		}
		s.pos++ // '='
		valAt := s.pos
		var val string
		if s.pos < len(s.buf) && s.buf[s.pos] == '"' {
			s.pos++
			start := s.pos
			for s.pos < len(s.buf) && s.buf[s.pos] != '"' && s.buf[s.pos] != '\n' && !bytes.HasPrefix(s.buf[s.pos:], []byte(">}}")) {
				s.pos++
			}
			if s.pos >= len(s.buf) || s.buf[s.pos] != '"' {
				fail(s.errAt(valAt, `metric reference: the value of `+key+` has no closing quote`))
				continue
			}
			val = string(s.buf[start:s.pos])
			s.pos++
			// `a="x b="y"` closes a's value at b's opening quote: what
			// follows is then no blank. Say where the quote went missing.
			if s.pos < len(s.buf) && !isBlank(s.buf[s.pos]) && !bytes.HasPrefix(s.buf[s.pos:], []byte(">}}")) {
				fail(s.errAt(valAt, `metric reference: the value of `+key+` has no closing quote`))
				continue
			}
		} else {
			for s.pos < len(s.buf) && !isBlank(s.buf[s.pos]) && s.buf[s.pos] != '"' && !bytes.HasPrefix(s.buf[s.pos:], []byte(">}}")) {
				s.pos++
			}
			val = string(s.buf[valAt:s.pos])
			if val == "" {
				fail(s.errAt(valAt, `metric reference: `+key+` needs a value: `+key+`="…"`))
				continue
			}
		}
		if _, dup := n.Args[key]; dup {
			fail(s.errAt(keyAt, `metric reference: `+key+` is given twice`))
			continue
		}
		n.Args[key] = val
		n.Keys = append(n.Keys, key)
	}
}

func quoteByte(b []byte, i int) string {
	if i >= len(b) {
		return "the end"
	}
	r, _ := utf8.DecodeRune(b[i:])
	return strconv.QuoteRune(r)
}

func isNameStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNameByte(c byte) bool {
	return isNameStart(c) || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (r *nodeRenderer) renderMetric(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*MetricRef)
	fail := func(err error) {
		if n.page != nil {
			n.page.metricErrs = append(n.page.metricErrs, err)
		}
		_, _ = w.WriteString(`<span class="metric-error" role="alert">`)
		_, _ = w.Write(util.EscapeHTML([]byte(err.Error())))
		_, _ = w.WriteString(`</span>`)
	}
	if n.page != nil {
		n.page.metricCount++
	}
	if n.err != nil {
		fail(n.err)
		return ast.WalkContinue, nil
	}
	var mr MetricResolver
	if n.page != nil {
		mr = n.page.metrics
	}
	if mr == nil {
		_, _ = w.WriteString(`<span class="metric-ref">`)
		_, _ = w.Write(util.EscapeHTML(n.Source))
		_, _ = w.WriteString(`</span>`)
		return ast.WalkContinue, nil
	}
	args := make(map[string]string, len(n.Args))
	for k, v := range n.Args {
		args[k] = v
	}
	text, exact, err := mr.ResolveMetric(args, n.Line, n.Col)
	if err != nil {
		fail(err)
		return ast.WalkContinue, nil
	}
	n.text, n.exact = text, exact
	_, _ = w.WriteString(`<span class="metric"`)
	if exact != "" {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML([]byte(exact)))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	_, _ = w.Write(util.EscapeHTML([]byte(text)))
	_, _ = w.WriteString(`</span>`)
	return ast.WalkContinue, nil
}
