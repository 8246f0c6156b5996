// Package mapping is the survey vocabulary of SPEC §8 shared by survey
// exports (data/surveys/<id>.toml) and database sources
// (data/sources/<id>.toml): which column holds the wave, the
// respondent, the weight and the segments, which rows count, and which
// column answers which (journey, touchpoint, attribute) cell, through
// which value map, missing codes and scale. It decodes a mapping with
// every key placed (internal/tomlpos) and checks it against the site;
// reading the answers is the job of the sources that use it.
package mapping

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// Mapping is one decoded mapping file.
type Mapping struct {
	Path    string // the mapping file, relative to the site root
	File    string // glob of the export(s), relative to the mapping's folder
	FilePos model.Pos
	Format  string // auto | qualtrics | surveymonkey | plain
	// Journey is the default journey of every question; empty: the
	// questions name theirs, or are brand-level.
	Journey    string
	JourneyPos model.Pos
	// Brand is the brand of brand-level questions (default: the site's).
	Brand      string
	BrandPos   model.Pos
	Wave       Wave
	Respondent Column // Name empty when absent
	Weight     Column
	Where      []Filter
	Segments   []Segment
	Labels     map[string]*Labels
	Questions  []Question
	Comments   []Comment
}

// Column names a column of the export or table, and where the mapping
// names it.
type Column struct {
	Name string
	Pos  model.Pos
}

// Wave says which wave a row belongs to: a fixed wave, a column of wave
// names, or a column of dates cut into waves by ranges.
type Wave struct {
	Fixed     string
	Column    Column
	Ranges    []Range // sorted by From
	DateOrder string  // "", "mdy" or "dmy": how a slashed date reads
	Pos       model.Pos
}

// Range is an inclusive range of calendar dates that makes one wave.
type Range struct {
	Wave     string
	From, To time.Time // dates at midnight UTC
	Pos      model.Pos
}

// Filter keeps only rows whose column holds one of Values (compared
// ignoring case and surrounding space).
type Filter struct {
	Column Column
	Values []string
}

// Segment is one respondent segment: its id and the column of values.
type Segment struct {
	ID     string
	Column Column
}

// Labels is one value map: text answers to numbers. Keys are folded
// (lower case, trimmed) so that answers match ignoring case and
// surrounding space; Names keeps them as written, for suggestions.
type Labels struct {
	Name   string
	Values map[string]float64
	Names  []string
	Pos    model.Pos
}

// Lookup returns the number of a text answer.
func (l *Labels) Lookup(answer string) (float64, bool) {
	v, ok := l.Values[Fold(answer)]
	return v, ok
}

// Question ties one column to one cell.
type Question struct {
	Column     Column
	Journey    string // "" for a brand-level recommend question
	Touchpoint string // "" for a journey- or brand-level recommend question
	Attribute  string // "" when Recommend
	Recommend  bool
	Labels     string // a [labels] map, or ""
	LabelsPos  model.Pos
	// TouchpointPos and AttributePos place those values (or the table
	// when absent).
	TouchpointPos, AttributePos model.Pos
	Missing                     []string // folded
	Scale                       *Scale   // the question's own scale; nil: the site's
	Reverse                     bool
	Pos                         model.Pos // the [[questions]] table
}

// Scale is a question's own answer scale.
type Scale struct{ Min, Max float64 }

// Comment ties an open-text column to a touchpoint's verbatims.
type Comment struct {
	Column     Column
	Journey    string
	Touchpoint string
	// TouchpointPos places the touchpoint value.
	TouchpointPos model.Pos
	Pos           model.Pos
}

// Fold is how answers, labels, filter values and column names compare:
// ignoring case and surrounding space.
func Fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// IsMissing reports whether an answer is one of the question's missing
// codes.
func (q *Question) IsMissing(answer string) bool {
	if len(q.Missing) == 0 {
		return false
	}
	f := Fold(answer)
	for _, m := range q.Missing {
		if m == f {
			return true
		}
	}
	return false
}

// Keys are the top-level keys of a survey mapping, for "did you mean".
var topKeys = []string{"file", "format", "journey", "brand", "wave", "respondent", "weight", "where", "segments", "labels", "questions", "comments"}

var questionKeys = []string{"column", "journey", "touchpoint", "attribute", "recommend", "labels", "missing", "scale", "reverse"}

var commentKeys = []string{"column", "journey", "touchpoint"}

var waveKeys = []string{"column", "ranges", "date_order"}

// Formats are the export formats a mapping may name.
var Formats = []string{"auto", "qualtrics", "surveymonkey", "plain"}

// raw is the file as BurntSushi/toml decodes it; the flexible keys
// (wave, where, missing, label values) are read by hand.
type raw struct {
	File       string                    `toml:"file"`
	Format     string                    `toml:"format"`
	Journey    string                    `toml:"journey"`
	Brand      string                    `toml:"brand"`
	Wave       any                       `toml:"wave"`
	Respondent string                    `toml:"respondent"`
	Weight     string                    `toml:"weight"`
	Where      map[string]any            `toml:"where"`
	Segments   map[string]string         `toml:"segments"`
	Labels     map[string]map[string]any `toml:"labels"`
	Questions  []rawQuestion             `toml:"questions"`
	Comments   []rawComment              `toml:"comments"`
}

type rawQuestion struct {
	Column     string         `toml:"column"`
	Journey    *string        `toml:"journey"`
	Touchpoint string         `toml:"touchpoint"`
	Attribute  string         `toml:"attribute"`
	Recommend  bool           `toml:"recommend"`
	Labels     string         `toml:"labels"`
	Missing    any            `toml:"missing"`
	Scale      map[string]any `toml:"scale"`
	Reverse    bool           `toml:"reverse"`
}

type rawComment struct {
	Column     string  `toml:"column"`
	Journey    *string `toml:"journey"`
	Touchpoint string  `toml:"touchpoint"`
}

// Options adapt decoding to the file that holds the vocabulary.
type Options struct {
	// Extra are further top-level keys the caller reads itself (a
	// database source's kind, dsn, table…): they are not unknown.
	Extra []string
	// NoFile: the file and format keys do not apply (a database
	// source); they are then unknown keys.
	NoFile bool
}

// Decode decodes a mapping file's text. path is the file relative to
// the site root, for positions. Every problem goes to d; the Mapping is
// nil only when the TOML itself does not parse.
func Decode(path string, src []byte, opt Options, d *diag.List) *Mapping {
	var r raw
	md, ix, perr := tomlpos.Decode(src, &r, 0)
	if perr != nil {
		d.Errorf(path, perr.Line, perr.Col, "%s", perr.Msg)
		return nil
	}
	at := func(key string) model.Pos {
		p := ix.Near(key)
		return model.Pos{Path: path, Line: p.Line, Col: p.Col}
	}
	atV := func(key string) model.Pos {
		p := ix.Value(key)
		return model.Pos{Path: path, Line: p.Line, Col: p.Col}
	}
	known := append([]string(nil), topKeys...)
	if opt.NoFile {
		known = known[2:]
	}
	known = append(known, opt.Extra...)
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	reported := map[tomlpos.Pos]bool{}
	for _, p := range tomlpos.Undecoded(md, ix, "wave", "where", "labels") {
		// The same unknown key in several [[questions]] is placed at
		// the first: say it once.
		if reported[p.Pos] {
			continue
		}
		reported[p.Pos] = true
		keys := known
		switch {
		case strings.HasPrefix(p.Path, "questions["):
			keys = questionKeys
		case strings.HasPrefix(p.Path, "comments["):
			keys = commentKeys
		}
		if !strings.Contains(p.Path, ".") && isKnown[p.Key] {
			continue // an extra key the caller decodes
		}
		d.Errorf(path, p.Line, p.Col, "%s", diag.Unknown("key", p.Key, keys))
	}
	if opt.NoFile {
		for _, k := range []string{"file", "format"} {
			if _, ok := ix.Key(k); ok {
				p := at(k)
				d.Errorf(path, p.Line, p.Col, "%s", diag.Unknown("key", k, known))
			}
		}
	}
	errAt := func(p model.Pos, format string, args ...any) { d.Errorf(p.Path, p.Line, p.Col, format, args...) }

	m := &Mapping{Path: path, File: r.File, FilePos: atV("file"), Format: Fold(r.Format),
		Journey: strings.TrimSpace(r.Journey), JourneyPos: atV("journey"), Brand: strings.TrimSpace(r.Brand), BrandPos: atV("brand"),
		Respondent: Column{strings.TrimSpace(r.Respondent), atV("respondent")},
		Weight:     Column{strings.TrimSpace(r.Weight), atV("weight")},
		Labels:     map[string]*Labels{}}
	if !opt.NoFile {
		if _, ok := ix.Key("file"); !ok {
			errAt(model.Pos{Path: path, Line: 1, Col: 1}, "missing key \"file\": the export(s) beside this mapping, e.g. file = \"export.csv\"")
		} else if strings.TrimSpace(r.File) == "" {
			errAt(m.FilePos, "file is empty: name the export(s) beside this mapping")
		}
		if m.Format == "" {
			m.Format = "auto"
		} else if !contains(Formats, m.Format) {
			errAt(atV("format"), "%s", diag.Unknown("format", r.Format, Formats))
		}
	}
	for _, k := range []string{"journey", "brand", "respondent", "weight"} {
		if p, ok := ix.Key(k); ok {
			v := map[string]string{"journey": r.Journey, "brand": r.Brand, "respondent": r.Respondent, "weight": r.Weight}[k]
			if strings.TrimSpace(v) == "" {
				errAt(model.Pos{Path: path, Line: p.Line, Col: p.Col}, "%s is empty: give a value or leave the key out", k)
			}
		}
	}
	m.decodeWave(r.Wave, ix, at, atV, errAt)
	// where, in key order for stable messages.
	for _, col := range sortedKeys(r.Where) {
		key := "where." + quoteKey(col)
		vals, ok := scalars(r.Where[col])
		if !ok || len(vals) == 0 {
			errAt(atV(key), "where %q: give the values to keep, e.g. where = { Finished = [\"1\", \"True\"] }", col)
			continue
		}
		for i := range vals {
			vals[i] = Fold(vals[i])
		}
		m.Where = append(m.Where, Filter{Column{strings.TrimSpace(col), at(key)}, vals})
	}
	for _, id := range sortedKeys(r.Segments) {
		key := "segments." + quoteKey(id)
		if !isSlug(id) {
			errAt(at(key), "segment id %q is not a slug: use lowercase letters, digits, '-' and '_'", id)
		}
		if strings.TrimSpace(r.Segments[id]) == "" {
			errAt(atV(key), "segment %q names no column", id)
			continue
		}
		m.Segments = append(m.Segments, Segment{id, Column{strings.TrimSpace(r.Segments[id]), atV(key)}})
	}
	for _, name := range sortedKeys(r.Labels) {
		key := "labels." + quoteKey(name)
		lm := &Labels{Name: name, Values: map[string]float64{}, Pos: at(key)}
		for _, text := range sortedKeys(r.Labels[name]) {
			v, ok := number(r.Labels[name][text])
			vk := key + "." + quoteKey(text)
			if !ok {
				errAt(atV(vk), "label %q of %q must map to a number", text, name)
				continue
			}
			f := Fold(text)
			if _, dup := lm.Values[f]; dup {
				errAt(at(vk), "label %q of %q is given twice (labels match ignoring case and surrounding space)", text, name)
				continue
			}
			lm.Values[f] = v
			lm.Names = append(lm.Names, text)
		}
		m.Labels[name] = lm
	}
	for i, rq := range r.Questions {
		key := fmt.Sprintf("questions[%d]", i)
		q := Question{Column: Column{strings.TrimSpace(rq.Column), atV(key + ".column")}, Journey: m.Journey,
			Touchpoint: strings.TrimSpace(rq.Touchpoint), Attribute: strings.TrimSpace(rq.Attribute), Recommend: rq.Recommend,
			Labels: strings.TrimSpace(rq.Labels), LabelsPos: atV(key + ".labels"), Reverse: rq.Reverse, Pos: at(key),
			TouchpointPos: atV(key + ".touchpoint"), AttributePos: atV(key + ".attribute")}
		if rq.Journey != nil {
			q.Journey = strings.TrimSpace(*rq.Journey)
		}
		if q.Column.Name == "" {
			errAt(q.Pos, "question %d names no column", i+1)
		}
		if rq.Missing != nil {
			vals, ok := scalars(rq.Missing)
			if !ok {
				errAt(atV(key+".missing"), "missing must be a list of answers, e.g. missing = [\"-1\", \"Don't know\"]")
			}
			for _, v := range vals {
				q.Missing = append(q.Missing, Fold(v))
			}
		}
		if rq.Scale != nil {
			lo, ok1 := number(rq.Scale["min"])
			hi, ok2 := number(rq.Scale["max"])
			for k := range rq.Scale {
				if k != "min" && k != "max" {
					errAt(at(key+".scale."+quoteKey(k)), "%s", diag.Unknown("key", k, []string{"min", "max"}))
				}
			}
			switch {
			case !ok1 || !ok2:
				errAt(atV(key+".scale"), "scale needs numbers min and max, e.g. scale = { min = 0, max = 10 }")
			case !(lo < hi):
				errAt(atV(key+".scale"), "scale min %g must be below max %g", lo, hi)
			default:
				q.Scale = &Scale{lo, hi}
			}
		}
		m.Questions = append(m.Questions, q)
	}
	for i, rc := range r.Comments {
		key := fmt.Sprintf("comments[%d]", i)
		c := Comment{Column: Column{strings.TrimSpace(rc.Column), atV(key + ".column")}, Journey: m.Journey,
			Touchpoint: strings.TrimSpace(rc.Touchpoint), Pos: at(key), TouchpointPos: atV(key + ".touchpoint")}
		if rc.Journey != nil {
			c.Journey = strings.TrimSpace(*rc.Journey)
		}
		if c.Column.Name == "" {
			errAt(c.Pos, "comment %d names no column", i+1)
		}
		m.Comments = append(m.Comments, c)
	}
	return m
}

func (m *Mapping) decodeWave(w any, ix tomlpos.Index, at, atV func(string) model.Pos, errAt func(model.Pos, string, ...any)) {
	m.Wave.Pos = atV("wave")
	switch w := w.(type) {
	case nil:
		errAt(model.Pos{Path: m.Path, Line: 1, Col: 1}, "missing key \"wave\": a fixed wave (wave = \"2026-H1\") or a column (wave = { column = \"Wave\" })")
	case string:
		m.Wave.Fixed = strings.TrimSpace(w)
		if m.Wave.Fixed == "" {
			errAt(m.Wave.Pos, "wave is empty")
		}
	case map[string]any:
		for k := range w {
			if !contains(waveKeys, k) {
				errAt(at("wave."+quoteKey(k)), "%s", diag.Unknown("key", k, waveKeys))
			}
		}
		col, _ := w["column"].(string)
		m.Wave.Column = Column{strings.TrimSpace(col), atV("wave.column")}
		if m.Wave.Column.Name == "" {
			errAt(m.Wave.Pos, "wave table needs column = \"…\": the column that holds wave names or dates")
		}
		if do, ok := w["date_order"]; ok {
			s, _ := do.(string)
			m.Wave.DateOrder = Fold(s)
			if m.Wave.DateOrder != "mdy" && m.Wave.DateOrder != "dmy" {
				errAt(atV("wave.date_order"), "date_order must be \"mdy\" (4/2/2026 is 2 April) or \"dmy\" (4/2/2026 is 4 February)")
				m.Wave.DateOrder = ""
			}
		}
		if rg, ok := w["ranges"]; ok {
			ranges, ok := rg.(map[string]any)
			if !ok {
				errAt(atV("wave.ranges"), "ranges must be a table of wave = [\"first day\", \"last day\"]")
				break
			}
			for _, name := range sortedKeys(ranges) {
				key := "wave.ranges." + quoteKey(name)
				p := at(key)
				pair, ok := ranges[name].([]any)
				var from, to time.Time
				var ok1, ok2 bool
				if ok && len(pair) == 2 {
					from, ok1 = calendarDate(pair[0])
					to, ok2 = calendarDate(pair[1])
				}
				switch {
				case !ok1 || !ok2:
					errAt(atV(key), "range of wave %q must be [\"YYYY-MM-DD\", \"YYYY-MM-DD\"], first and last day", name)
					continue
				case to.Before(from):
					errAt(atV(key), "range of wave %q ends before it starts", name)
					continue
				}
				m.Wave.Ranges = append(m.Wave.Ranges, Range{Wave: name, From: from, To: to, Pos: p})
			}
			sort.Slice(m.Wave.Ranges, func(i, j int) bool { return m.Wave.Ranges[i].From.Before(m.Wave.Ranges[j].From) })
			for i := 1; i < len(m.Wave.Ranges); i++ {
				a, b := m.Wave.Ranges[i-1], m.Wave.Ranges[i]
				if !b.From.After(a.To) {
					errAt(b.Pos, "range of wave %q overlaps that of %q: a date must fall in one wave", b.Wave, a.Wave)
				}
			}
		}
	default:
		errAt(m.Wave.Pos, "wave must be a wave name or a table { column = \"…\" }")
	}
}

// WaveOf returns the wave whose range holds the date, or "".
func (w *Wave) WaveOf(date time.Time) string {
	for _, r := range w.Ranges {
		if !date.Before(r.From) && !date.After(r.To) {
			return r.Wave
		}
	}
	return ""
}

// calendarDate reads a range end: "2025-07-01" or a TOML local date.
func calendarDate(v any) (time.Time, bool) {
	switch v := v.(type) {
	case string:
		t, err := time.Parse("2006-01-02", strings.TrimSpace(v))
		return t, err == nil
	case time.Time:
		return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// scalars reads a value or a list of values as strings: authors write
// missing = [-1, "Don't know"] and where = { Finished = true } too.
func scalars(v any) ([]string, bool) {
	list, isList := v.([]any)
	if !isList {
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		switch e := e.(type) {
		case string:
			out = append(out, e)
		case int64:
			out = append(out, strconv.FormatInt(e, 10))
		case float64:
			out = append(out, strconv.FormatFloat(e, 'f', -1, 64))
		case bool:
			out = append(out, strconv.FormatBool(e))
		default:
			return out, false
		}
	}
	return out, true
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return 0, false
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// quoteKey writes a key part as tomlpos indexes it: unquoted, as the
// decoded key reads.
func quoteKey(k string) string { return k }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isSlug(s string) bool {
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && (r == '-' || r == '_')
		if !ok {
			return false
		}
	}
	return s != ""
}

// Columns lists every column the mapping names, each with its place in
// the mapping, in file order of the keys: what a source must find in
// its export's header or its table (a database source checks them
// against the table's columns).
func (m *Mapping) Columns() []Column {
	var out []Column
	add := func(c Column) {
		if c.Name != "" {
			out = append(out, c)
		}
	}
	add(m.Wave.Column)
	add(m.Respondent)
	add(m.Weight)
	for _, f := range m.Where {
		add(f.Column)
	}
	for _, s := range m.Segments {
		add(s.Column)
	}
	for _, q := range m.Questions {
		add(q.Column)
	}
	for _, c := range m.Comments {
		add(c.Column)
	}
	return out
}
