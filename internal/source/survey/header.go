package survey

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/mapping"
)

// Format is the header layout of an export.
type Format int

// The header layouts survey tools write.
const (
	Plain           Format = iota // one header row: Google Forms, Typeform, LimeSurvey, a spreadsheet
	Qualtrics                     // ids, question text, {"ImportId": …}
	QualtricsLegacy               // ids (V1… or Q1…), question text
	SurveyMonkey                  // question text carried over blanks, sub-item labels
)

func (f Format) String() string {
	switch f {
	case Qualtrics:
		return "Qualtrics"
	case QualtricsLegacy:
		return "Qualtrics (legacy)"
	case SurveyMonkey:
		return "SurveyMonkey"
	}
	return "plain"
}

// Rows is how many header rows the format has.
func (f Format) Rows() int {
	switch f {
	case Qualtrics:
		return 3
	case QualtricsLegacy, SurveyMonkey:
		return 2
	}
	return 1
}

// Name is the mapping's spelling of the format.
func (f Format) Name() string {
	switch f {
	case Qualtrics, QualtricsLegacy:
		return "qualtrics"
	case SurveyMonkey:
		return "surveymonkey"
	}
	return "plain"
}

var legacyID = regexp.MustCompile(`^(?i)(v[0-9]+|q[0-9]+.*)$`)

// Detect recognises an export's format from its first rows (up to
// three), as format "auto" does.
func Detect(rows [][]string) Format {
	row := func(i int) []string {
		if i < len(rows) {
			return rows[i]
		}
		return nil
	}
	for _, f := range row(2) {
		if isImportID(f) {
			return Qualtrics
		}
	}
	r1, r2 := row(0), row(1)
	if len(r1) > 0 && len(r2) > 0 {
		a, b := mapping.Fold(r1[0]), mapping.Fold(r2[0])
		if (a == "v1" || a == "responseid") && (b == "responseid" || b == "response id") {
			return QualtricsLegacy
		}
		// Legacy ids V1… then Q1…: most of row 1 looks like ids while
		// row 2 is text.
		ids := 0
		for _, f := range r1 {
			if legacyID.MatchString(strings.TrimSpace(f)) {
				ids++
			}
		}
		if ids >= 2 && ids*2 >= len(r1) && mapping.Fold(r1[0]) == "v1" {
			return QualtricsLegacy
		}
		sub, blank, respID := false, false, false
		for _, f := range r2 {
			if s := mapping.Fold(f); s == "response" || s == "open-ended response" {
				sub = true
			}
		}
		for _, f := range r1 {
			s := mapping.Fold(f)
			blank = blank || s == ""
			respID = respID || s == "respondent id" || s == "collector id"
		}
		if sub && (blank || respID) {
			return SurveyMonkey
		}
	}
	return Plain
}

// isImportID reports a Qualtrics row-3 cell: {"ImportId":"QID1"}, or
// {'ImportId': 'QID1'} in older exports.
func isImportID(f string) bool {
	f = strings.TrimSpace(f)
	return strings.HasPrefix(f, `{"ImportId"`) || strings.HasPrefix(f, `{'ImportId'`)
}

// Column is one column of an export: the names it answers to.
type Column struct {
	ID   string // Qualtrics: row 1; plain: the header; SurveyMonkey: the composed name
	Text string // the question text, when the format has one
}

// Name is the column's display name: its id, with the question text.
func (c Column) Name() string {
	if c.Text != "" && c.Text != c.ID {
		return c.ID + " (" + shorten(c.Text, 60) + ")"
	}
	return c.ID
}

// Columns names the columns of an export from its header rows, by the
// rules of SPEC §8 "Column names".
func Columns(f Format, rows [][]string) []Column {
	if len(rows) == 0 {
		return nil
	}
	cols := make([]Column, len(rows[0]))
	switch f {
	case Qualtrics, QualtricsLegacy:
		for i, id := range rows[0] {
			cols[i].ID = strings.TrimSpace(id)
			if len(rows) > 1 && i < len(rows[1]) {
				cols[i].Text = strings.TrimSpace(rows[1][i])
			}
		}
	case SurveyMonkey:
		carried := ""
		for i, q := range rows[0] {
			if strings.TrimSpace(q) != "" {
				carried = strings.TrimSpace(q)
			}
			name := carried
			if len(rows) > 1 && i < len(rows[1]) {
				if sub := strings.TrimSpace(rows[1][i]); sub != "" && mapping.Fold(sub) != "response" {
					name += " | " + sub
				}
			}
			cols[i] = Column{ID: name, Text: carried}
		}
	default:
		for i, h := range rows[0] {
			cols[i].ID = strings.TrimSpace(h)
		}
	}
	return cols
}

// Index finds columns by any of their names, ignoring case and
// surrounding space.
type Index struct {
	cols  []Column
	names map[string][]int
}

// NewIndex indexes columns by id and question text.
func NewIndex(cols []Column) *Index {
	ix := &Index{cols: cols, names: map[string][]int{}}
	for i, c := range cols {
		for _, n := range []string{c.ID, c.Text} {
			if n == "" {
				continue
			}
			k := mapping.Fold(n)
			if l := ix.names[k]; len(l) == 0 || l[len(l)-1] != i {
				ix.names[k] = append(ix.names[k], i)
			}
		}
	}
	return ix
}

// Find returns the column named name, or a message saying why none is:
// unknown (with the nearest names) or ambiguous (with the ids to use).
func (ix *Index) Find(name string) (int, string) {
	l := ix.names[mapping.Fold(name)]
	switch {
	case len(l) == 1:
		return l[0], ""
	case len(l) > 1:
		// An id beats question text another column shares.
		for _, i := range l {
			if mapping.Fold(ix.cols[i].ID) == mapping.Fold(name) {
				return i, ""
			}
		}
		var ids []string
		for _, i := range l {
			ids = append(ids, strconv.Quote(ix.cols[i].ID))
		}
		return -1, "column " + strconv.Quote(name) + " is the question text of several columns: name one by its id (" + strings.Join(ids, ", ") + ")"
	}
	var cands []string
	for _, c := range ix.cols {
		cands = append(cands, c.ID)
		if c.Text != "" && c.Text != c.ID {
			cands = append(cands, c.Text)
		}
	}
	return -1, diag.Unknown("column", name, cands)
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
