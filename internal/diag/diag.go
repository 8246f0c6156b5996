// Package diag carries positioned diagnostics (path:line:col: message),
// collects them into lists so that every problem is reported at once,
// and suggests the nearest valid name for a misspelt id.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Severity tells an error, which fails a build, from a warning.
type Severity int

// Severities.
const (
	Error Severity = iota
	Warning
)

// Diagnostic is one problem at one place in one input file.
type Diagnostic struct {
	Path     string // relative to the site root, slash-separated
	Line     int    // 1-based; 0 when unknown
	Col      int    // 1-based; 0 when unknown
	Severity Severity
	Msg      string
}

// Error formats the diagnostic as path:line:col: message. A diagnostic
// not yet placed in a file (a parser of part of a file returns them, and
// its caller knows the path) reads line:col: message.
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Path)
	if d.Line > 0 {
		if d.Path != "" {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	return b.String()
}

// List collects diagnostics. The zero value is ready to use.
type List struct {
	items []Diagnostic
}

// Add appends a diagnostic.
func (l *List) Add(d Diagnostic) { l.items = append(l.items, d) }

// Errorf records an error at path:line:col.
func (l *List) Errorf(path string, line, col int, format string, args ...any) {
	l.Add(Diagnostic{Path: path, Line: line, Col: col, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at path:line:col.
func (l *List) Warnf(path string, line, col int, format string, args ...any) {
	l.Add(Diagnostic{Path: path, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Append adds all of other's diagnostics.
func (l *List) Append(other *List) {
	if other != nil {
		l.items = append(l.items, other.items...)
	}
}

// AddError records err: a Diagnostic (a value or a pointer, wrapped or
// not, or every one of an Errors list or of an error that unwraps to
// several) keeps its place, in path when it has none of its own;
// anything else is placed at path.
func (l *List) AddError(path string, err error) {
	if err == nil {
		return
	}
	var list *Errors
	if errors.As(err, &list) {
		for _, d := range list.Items {
			l.Add(placed(d, path))
		}
		return
	}
	if many, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range many.Unwrap() {
			l.AddError(path, e)
		}
		return
	}
	var p *Diagnostic
	if errors.As(err, &p) && p != nil {
		l.Add(placed(*p, path))
		return
	}
	var d Diagnostic
	if errors.As(err, &d) {
		l.Add(placed(d, path))
		return
	}
	l.Add(Diagnostic{Path: path, Severity: Error, Msg: err.Error()})
}

// placed puts a diagnostic that has no file yet in path.
func placed(d Diagnostic, path string) Diagnostic {
	if d.Path == "" {
		d.Path = path
	}
	return d
}

// Items returns the diagnostics sorted by path, line and column, so that
// output is stable whatever order files were read in.
func (l *List) Items() []Diagnostic {
	out := append([]Diagnostic(nil), l.items...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return out
}

// Len is the number of diagnostics.
func (l *List) Len() int { return len(l.items) }

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	for _, d := range l.items {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns nil when there is no error, else an *Errors holding every
// diagnostic (warnings included, so they are printed with the errors).
func (l *List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &Errors{Items: l.Items()}
}

// Errors is a failed step's diagnostics as one error value.
type Errors struct {
	Items []Diagnostic
}

// Error joins the diagnostics one per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.Items))
	for i, d := range e.Items {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}
