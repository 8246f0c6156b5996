package serve

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/diag"
)

// overlayID is the id of the overlay element; the client script replaces
// the element of that id when a new failure is pushed.
const overlayID = "touchstone-error-overlay"

// Limits that keep the overlay readable when a build fails badly.
const (
	contextLines  = 2   // source lines shown before and after the faulty one
	maxExcerpts   = 20  // diagnostics shown with their source
	maxLineLength = 240 // bytes of a source line shown
)

// failure is a broken build as the browser shows it.
type failure struct {
	html string // the overlay element, every piece of text escaped
}

func newFailure(site string, err error) *failure {
	return &failure{html: renderOverlay(site, diagnostics(err))}
}

// diagnostics lists what err says went wrong; an error without a place
// becomes one diagnostic without a path.
func diagnostics(err error) []diag.Diagnostic {
	var list *diag.Errors
	if errors.As(err, &list) && len(list.Items) > 0 {
		return list.Items
	}
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return []diag.Diagnostic{d}
	}
	return []diag.Diagnostic{{Severity: diag.Error, Msg: err.Error()}}
}

// renderOverlay draws the overlay for ds. The styles are scoped to the
// overlay's id and reset what a site's stylesheet may have set.
func renderOverlay(site string, ds []diag.Diagnostic) string {
	errs := 0
	for _, d := range ds {
		if d.Severity == diag.Error {
			errs++
		}
	}
	var b strings.Builder
	b.WriteString(`<div id="` + overlayID + `" role="alert" aria-live="assertive" aria-labelledby="` + overlayID + `-title">`)
	b.WriteString(overlayStyle)
	b.WriteString(`<button type="button" class="ts-close" title="Dismiss (Esc)" aria-label="Dismiss the error overlay" ` +
		`onclick="var o=document.getElementById('` + overlayID + `');if(o)o.remove()">&times;</button>`)
	fmt.Fprintf(&b, `<h2 id="%s-title">Build failed: %s</h2>`, overlayID, plural(errs, "error"))
	b.WriteString(`<p class="ts-note">The page below is the last good build. Fix the file and save: this page updates by itself.</p>`)
	b.WriteString(`<ol class="ts-list">`)
	for i, d := range ds {
		b.WriteString(`<li class="ts-item">`)
		b.WriteString(`<p class="ts-loc">`)
		if loc := location(d); loc != "" {
			b.WriteString(`<span class="ts-path">` + html.EscapeString(loc) + `</span>: `)
		}
		if d.Severity == diag.Warning {
			b.WriteString(`<span class="ts-warn">warning:</span> `)
		}
		b.WriteString(`<span class="ts-msg">` + html.EscapeString(d.Msg) + `</span></p>`)
		if i < maxExcerpts {
			b.WriteString(excerpt(site, d))
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ol></div>`)
	return b.String()
}

// location is path:line:col, as much of it as is known.
func location(d diag.Diagnostic) string {
	loc := d.Path
	if d.Line > 0 {
		loc += ":" + strconv.Itoa(d.Line)
		if d.Col > 0 {
			loc += ":" + strconv.Itoa(d.Col)
		}
	}
	return loc
}

// excerpt renders the source lines around a diagnostic, the faulty line
// marked and a caret under its column, or "" when they cannot be read.
func excerpt(site string, d diag.Diagnostic) string {
	if d.Path == "" || d.Line <= 0 {
		return ""
	}
	rel := filepath.FromSlash(d.Path)
	if !filepath.IsLocal(rel) {
		return "" // never read outside the site
	}
	f, err := os.Open(filepath.Join(site, rel))
	if err != nil {
		return ""
	}
	defer f.Close()

	first, last := max(1, d.Line-contextLines), d.Line+contextLines
	type line struct {
		n    int
		text string
	}
	var lines []line
	r := bufio.NewReader(f)
	// Read line by line and stop after the last one needed: the file may
	// be a CSV of a million rows.
	for n := 1; n <= last; n++ {
		text, err := readLine(r)
		if err != nil && text == "" {
			break
		}
		if n >= first {
			lines = append(lines, line{n, text})
		}
		if err != nil {
			break
		}
	}
	if len(lines) == 0 || lines[len(lines)-1].n < d.Line {
		return ""
	}

	width := len(strconv.Itoa(lines[len(lines)-1].n))
	var b strings.Builder
	b.WriteString(`<pre class="ts-src"><code>`)
	for _, l := range lines {
		text := l.text
		if len(text) > maxLineLength {
			cut := maxLineLength
			for cut > 0 && !utf8.RuneStart(text[cut]) {
				cut--
			}
			text = text[:cut] + "…"
		}
		mark, class := "  ", "ts-line"
		if l.n == d.Line {
			mark, class = "&gt; ", "ts-line ts-hl"
		}
		fmt.Fprintf(&b, `<span class="%s">%s%*d | %s</span>`, class, mark, width, l.n, html.EscapeString(text))
		if l.n == d.Line && d.Col > 0 {
			fmt.Fprintf(&b, `<span class="ts-line ts-caret">%s%s | %s^</span>`,
				"  ", strings.Repeat(" ", width), html.EscapeString(caretPad(l.text, d.Col)))
		}
	}
	b.WriteString(`</code></pre>`)
	return b.String()
}

// readLine reads one line without its line ending, however long, keeping
// at most a little more than is shown.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if len(b) <= maxLineLength*4 {
			b = append(b, chunk...)
		}
		if err != nil {
			return string(b), err
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

// caretPad is the blank run that puts a caret under column col (1-based,
// in characters) of line: tabs are kept so that it lines up.
func caretPad(line string, col int) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	for ; n < col-1; n++ {
		b.WriteByte(' ')
	}
	return b.String()
}

// overlayStyle is scoped to the overlay: high contrast, monospace, on
// top of everything, pinned to the top of the window, scrolling when long.
const overlayStyle = `<style>
#touchstone-error-overlay{all:initial;position:fixed;top:0;left:0;right:0;z-index:2147483647;display:block;box-sizing:border-box;max-height:80vh;overflow:auto;padding:16px 20px 20px;background:#141414;color:#f4f4f4;border-bottom:4px solid #ff5c5c;box-shadow:0 6px 24px rgba(0,0,0,.55);font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;text-align:left}
#touchstone-error-overlay *{all:revert;box-sizing:border-box;font:inherit;color:inherit}
#touchstone-error-overlay h2{margin:0 40px 4px 0;font-size:17px;font-weight:700;color:#ff8a8a}
#touchstone-error-overlay .ts-note{margin:0 0 8px;color:#cfcfcf}
#touchstone-error-overlay .ts-list{margin:0;padding:0;list-style:none}
#touchstone-error-overlay .ts-item{margin:14px 0 0;padding:0}
#touchstone-error-overlay .ts-loc{margin:0;white-space:pre-wrap;word-break:break-word}
#touchstone-error-overlay .ts-path{color:#ffd479;font-weight:700}
#touchstone-error-overlay .ts-warn{color:#ffb347;font-weight:700}
#touchstone-error-overlay .ts-msg{color:#ffffff}
#touchstone-error-overlay .ts-src{margin:6px 0 0;padding:8px 0;background:#000;color:#d8d8d8;border-radius:4px;overflow-x:auto;white-space:pre;tab-size:4}
#touchstone-error-overlay .ts-line{display:block;padding:0 12px}
#touchstone-error-overlay .ts-hl{background:#4d1f1f;color:#ffffff}
#touchstone-error-overlay .ts-caret{color:#ff6b6b;font-weight:700}
#touchstone-error-overlay .ts-close{float:right;position:sticky;top:0;margin:0 0 0 12px;padding:0 10px;border:1px solid #777;border-radius:4px;background:#2b2b2b;color:#fff;font:20px/1.4 system-ui,sans-serif;cursor:pointer}
#touchstone-error-overlay .ts-close:focus-visible{outline:2px solid #ffd479;outline-offset:2px}
@media print{#touchstone-error-overlay{display:none}}
</style>`
