package postgres

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// The table shapes of SPEC §10.
const (
	ShapeResponses = "responses" // wide: wave, journey, touchpoint, one column per attribute id
	ShapeLong      = "long"      // one answer a row: attribute and score columns
	ShapeSurvey    = "survey"    // wide, mapped by [[questions]] (SPEC §8)
)

// Spec is a source file decoded and checked on its own, before any
// database or site is at hand. Column names are as the author wrote
// them; Resolve matches them against the table's real columns.
type Spec struct {
	ID   string // the file name without .toml
	Path string // relative to the site root, slash-separated

	DSNVar string // the environment variable holding the DSN
	Table  string // a table or view, or
	Query  string // a SELECT
	Shape  string

	// Columns maps a role (wave, journey, touchpoint, respondent,
	// weight, recommend, comment, attribute, score) to a column name.
	// Roles left out take their defaults (the role's own name) where
	// the shape has one; Explicit says which were written.
	Columns  map[string]string
	Explicit map[string]bool
	// Journey is a fixed journey of every row (then no journey column).
	Journey string
	// Wave is a fixed wave, or Column with optional date Ranges.
	Wave Wave
	// Attributes maps values of the attribute column (long shape) to
	// attribute ids, "recommend" marking recommend answers.
	Attributes map[string]string
	Segments   []Segment // in id order
	Where      []Filter  // in column order

	// Survey vocabulary kept, undecoded, for the survey-shaped tables
	// that the mapping package resolves (SPEC §8).
	Questions []map[string]any
	Comments  []map[string]any
	Labels    map[string]any

	ix tomlpos.Index
}

// Wave says where a row's wave comes from.
type Wave struct {
	Fixed  string
	Column string
	Ranges []Range // in start order; empty: the column holds wave names
}

// Range is an inclusive calendar-date range that names a wave.
type Range struct {
	Wave     string
	From, To string // YYYY-MM-DD
}

// Segment is a respondent segment: its id and its column.
type Segment struct{ ID, Column string }

// Filter keeps only rows whose column holds one of the values.
type Filter struct {
	Column string
	Values []string
}

// rawFile is the TOML as written.
type rawFile struct {
	Kind       string            `toml:"kind"`
	DSN        string            `toml:"dsn"`
	Table      string            `toml:"table"`
	Query      string            `toml:"query"`
	Shape      string            `toml:"shape"`
	Columns    map[string]string `toml:"columns"`
	Attributes map[string]string `toml:"attributes"`
	Segments   map[string]string `toml:"segments"`
	Weight     string            `toml:"weight"`
	Respondent string            `toml:"respondent"`
	Journey    string            `toml:"journey"`
	Where      map[string]any    `toml:"where"`
	Wave       any               `toml:"wave"`
	Labels     map[string]any    `toml:"labels"`
	Questions  []map[string]any  `toml:"questions"`
	Comments   []map[string]any  `toml:"comments"`
}

var topKeys = []string{"kind", "dsn", "table", "query", "shape", "columns", "attributes", "segments",
	"weight", "respondent", "journey", "where", "wave", "labels", "questions", "comments"}

// roles lists the column roles each shape takes, with their defaults
// ("" = optional, used only when written or when a column of the
// role's name exists).
var roles = map[string][]string{
	ShapeResponses: {"wave", "journey", "touchpoint", "respondent", "weight", "recommend", "comment"},
	ShapeLong:      {"wave", "journey", "touchpoint", "respondent", "weight", "attribute", "score", "comment"},
}

// required are the roles a table must have a column for (unless wave
// or journey is fixed).
var required = map[string][]string{
	ShapeResponses: {"wave", "journey", "touchpoint"},
	ShapeLong:      {"wave", "journey", "touchpoint", "respondent", "attribute", "score"},
}

var (
	envRef = regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$`)
	isDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Parse decodes a source file. Every problem goes to diags at its place;
// the Spec is nil when the file cannot be used at all.
func Parse(rel string, src []byte, diags *diag.List) *Spec {
	var raw rawFile
	md, ix, perr := tomlpos.Decode(src, &raw, 0)
	if perr != nil {
		diags.Errorf(rel, perr.Line, perr.Col, "%s", perr.Msg)
		return nil
	}
	s := &Spec{ID: idOf(rel), Path: rel, ix: ix, Columns: map[string]string{}, Explicit: map[string]bool{},
		Attributes: raw.Attributes, Questions: raw.Questions, Comments: raw.Comments, Labels: raw.Labels}
	bad := func(path, format string, args ...any) {
		p := ix.Value(path)
		diags.Errorf(rel, p.Line, p.Col, format, args...)
	}
	// Values decoded into any are checked here, or kept for the mapping
	// package (the survey vocabulary).
	for _, p := range tomlpos.Undecoded(md, ix, "wave", "where", "labels", "questions", "comments") {
		if strings.Contains(p.Path, ".") || strings.Contains(p.Path, "[") {
			diags.Errorf(rel, p.Line, p.Col, "unknown key %q", p.Path)
			continue
		}
		diags.Errorf(rel, p.Line, p.Col, "%s", diag.Unknown("key", p.Key, topKeys))
	}

	switch raw.Kind {
	case "postgres":
	case "":
		diags.Errorf(rel, 1, 1, `kind is missing: write kind = "postgres"`)
	default:
		bad("kind", "%s", diag.Unknown("kind", raw.Kind, []string{"postgres"}))
	}

	// The DSN holds a password: it lives in the environment, never in
	// the site's files. The value is not repeated in the message, as it
	// may be exactly the secret.
	switch {
	case raw.DSN == "":
		diags.Errorf(rel, 1, 1, `dsn is missing: write dsn = "$TOUCHSTONE_PG" and put the connection string in that environment variable`)
	case !envRef.MatchString(raw.DSN):
		bad("dsn", `dsn must name an environment variable, as in dsn = "$TOUCHSTONE_PG": a connection string written here would put the database password in the site's files`)
	default:
		s.DSNVar = strings.Trim(raw.DSN[1:], "{}")
	}

	s.Table, s.Query = strings.TrimSpace(raw.Table), strings.TrimSpace(raw.Query)
	switch {
	case s.Table == "" && s.Query == "":
		diags.Errorf(rel, 1, 1, `say where the answers are: table = "schema.table", or query = "SELECT …"`)
	case s.Table != "" && s.Query != "":
		bad("query", "give table or query, not both")
	case s.Query != "" && !isSelect(s.Query):
		bad("query", "query must be one SELECT (or WITH … SELECT) statement")
	case s.Table != "" && !validTable(s.Table):
		bad("table", "table %q is not a table name (schema.table)", s.Table)
	}

	s.Shape = raw.Shape
	switch raw.Shape {
	case ShapeResponses, ShapeLong:
	case "":
		if len(raw.Questions) == 0 {
			diags.Errorf(rel, 1, 1, `say how the table is shaped: shape = "responses" (one column per attribute), shape = "long" (one answer a row), or [[questions]] mapping its columns`)
			s.Shape = ""
		} else {
			s.Shape = ShapeSurvey
		}
	default:
		bad("shape", "%s", diag.Unknown("shape", raw.Shape, []string{ShapeResponses, ShapeLong}))
		s.Shape = ""
	}
	if s.Shape == ShapeSurvey {
		bad("questions", `survey-shaped tables ([[questions]]) are not read from databases yet: use shape = "responses" or shape = "long"`)
	}

	known := roles[s.Shape]
	for _, role := range sortedKeys(raw.Columns) {
		col := strings.TrimSpace(raw.Columns[role])
		switch {
		case known != nil && !slices.Contains(known, role):
			p, _ := ix.Key("columns." + role)
			diags.Errorf(rel, p.Line, p.Col, "%s", diag.Unknown("column role", role, known))
		case col == "":
			bad("columns."+role, "the column of %s is empty", role)
		default:
			s.Columns[role], s.Explicit[role] = col, true
		}
	}
	for _, kv := range [][2]string{{"weight", raw.Weight}, {"respondent", raw.Respondent}} {
		if kv[1] == "" {
			continue
		}
		if s.Explicit[kv[0]] {
			bad(kv[0], "%s is given twice: here and in columns", kv[0])
			continue
		}
		s.Columns[kv[0]], s.Explicit[kv[0]] = strings.TrimSpace(kv[1]), true
	}
	s.Journey = strings.TrimSpace(raw.Journey)
	if s.Journey != "" && s.Explicit["journey"] {
		bad("journey", "journey is fixed here and also named as a column: keep one")
	}

	switch w := raw.Wave.(type) {
	case nil:
	case string:
		if strings.TrimSpace(w) == "" {
			bad("wave", "wave is empty")
		}
		s.Wave.Fixed = strings.TrimSpace(w)
	case map[string]any:
		s.parseWave(w, bad, diags)
	default:
		bad("wave", `wave is a wave name ("2026-H1") or a table: { column = "…" } or { column = "…", ranges = { "2026-H1" = ["2026-01-01", "2026-06-30"] } }`)
	}
	if (s.Wave.Fixed != "" || s.Wave.Column != "") && s.Explicit["wave"] {
		bad("wave", "wave is given twice: here and in columns")
	}
	if s.Wave.Column != "" {
		s.Columns["wave"], s.Explicit["wave"] = s.Wave.Column, true
	}
	for _, role := range known {
		if _, ok := s.Columns[role]; ok {
			continue
		}
		if (role == "wave" && s.Wave.Fixed != "") || (role == "journey" && s.Journey != "") || role == "weight" {
			continue // weights are used only when named
		}
		s.Columns[role] = role // the default: the column named after its role
	}

	for _, id := range sortedKeys(raw.Segments) {
		col := strings.TrimSpace(raw.Segments[id])
		if col == "" {
			bad("segments."+id, "segment %q names no column", id)
			continue
		}
		s.Segments = append(s.Segments, Segment{ID: id, Column: col})
	}
	for _, col := range sortedKeys(raw.Where) {
		var vals []string
		switch v := raw.Where[col].(type) {
		case []any:
			for _, x := range v {
				vals = append(vals, scalar(x))
			}
		default:
			vals = []string{scalar(v)}
		}
		if len(vals) == 0 {
			bad("where."+col, "where %q keeps no value: list the values to keep", col)
			continue
		}
		s.Where = append(s.Where, Filter{Column: col, Values: vals})
	}
	if len(raw.Attributes) > 0 && s.Shape != ShapeLong {
		bad("attributes", `attributes maps values of the attribute column of a shape = "long" table`)
	}
	for _, v := range sortedKeys(raw.Attributes) {
		if strings.TrimSpace(raw.Attributes[v]) == "" {
			bad("attributes."+v, "attribute value %q maps to an empty id", v)
		}
	}
	return s
}

func (s *Spec) parseWave(w map[string]any, bad func(string, string, ...any), diags *diag.List) {
	for _, k := range sortedKeys(w) {
		if k != "column" && k != "ranges" {
			p, _ := s.ix.Key("wave." + k)
			diags.Errorf(s.Path, p.Line, p.Col, "%s", diag.Unknown("key", k, []string{"column", "ranges"}))
		}
	}
	col, _ := w["column"].(string)
	if strings.TrimSpace(col) == "" {
		bad("wave", "wave = { column = \"…\" } needs the column")
		return
	}
	s.Wave.Column = strings.TrimSpace(col)
	rs, ok := w["ranges"]
	if !ok {
		return
	}
	ranges, ok := rs.(map[string]any)
	if !ok {
		bad("wave.ranges", `ranges maps wave names to inclusive date ranges: { "2026-H1" = ["2026-01-01", "2026-06-30"] }`)
		return
	}
	for _, name := range sortedKeys(ranges) {
		path := "wave.ranges." + name
		pair, _ := ranges[name].([]any)
		var from, to string
		if len(pair) == 2 {
			from, _ = pair[0].(string)
			to, _ = pair[1].(string)
		}
		if !validDate(from) || !validDate(to) {
			bad(path, `the range of wave %q must be two dates, ["YYYY-MM-DD", "YYYY-MM-DD"]`, name)
			continue
		}
		if from > to {
			bad(path, "the range of wave %q ends (%s) before it starts (%s)", name, to, from)
			continue
		}
		s.Wave.Ranges = append(s.Wave.Ranges, Range{Wave: name, From: from, To: to})
	}
	slices.SortFunc(s.Wave.Ranges, func(a, b Range) int { return strings.Compare(a.From, b.From) })
	for i := 1; i < len(s.Wave.Ranges); i++ {
		a, b := s.Wave.Ranges[i-1], s.Wave.Ranges[i]
		if b.From <= a.To {
			bad("wave.ranges."+b.Wave, "the ranges of waves %q and %q overlap", a.Wave, b.Wave)
		}
	}
}

// Pos is where the value at a key path is written (or the nearest
// enclosing key's), for placing problems found later.
func (s *Spec) Pos(path string) tomlpos.Pos {
	if s.ix == nil {
		return tomlpos.Pos{Line: 1, Col: 1}
	}
	return s.ix.Value(path)
}

// RelPos is where the table or query is named.
func (s *Spec) RelPos() tomlpos.Pos {
	if s.Query != "" {
		return s.Pos("query")
	}
	return s.Pos("table")
}

func idOf(rel string) string {
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	return strings.TrimSuffix(base, ".toml")
}

func validDate(s string) bool {
	if !isDate.MatchString(s) {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$`)

func validTable(s string) bool { return tableName.MatchString(s) }

func isSelect(q string) bool {
	l := strings.ToLower(strings.TrimSpace(q))
	l = strings.TrimSuffix(strings.TrimSpace(l), ";")
	return (strings.HasPrefix(l, "select") || strings.HasPrefix(l, "with")) && !strings.Contains(l, ";")
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
