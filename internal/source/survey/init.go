package survey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/csvscan"
	"github.com/touchstone-cx/touchstone/internal/mapping"
)

// InitSite is what survey init needs to know of the site, to suggest
// names that exist.
type InitSite struct {
	Journeys []string // journey ids
	Waves    []string // declared waves, in order
}

// Init writes a starting mapping data/surveys/<export's name>.toml for
// an export (SPEC §8 "survey init"), copying the export into
// data/surveys/ when it is elsewhere. It never overwrites a file. It
// returns the paths written, relative to root.
func Init(root, export string, site InitSite) ([]string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(export)
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, "data", "surveys")
	absDir, _ := filepath.Abs(dir)
	base := filepath.Base(abs)
	var written []string
	target := filepath.Join(absDir, base)
	if filepath.Dir(abs) != absDir {
		if old, err := os.ReadFile(target); err == nil {
			if !bytes.Equal(old, src) {
				return nil, fmt.Errorf("%s exists and differs from %s: not overwritten (rename one of them)", relTo(root, target), export)
			}
		} else if errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(absDir, 0o755); err != nil {
				return nil, err
			}
			if err := writeNew(target, src); err != nil {
				return nil, err
			}
			written = append(written, relTo(root, target))
		} else {
			return nil, err
		}
	}
	name := strings.TrimSuffix(base, filepath.Ext(base))
	mpath := filepath.Join(absDir, name+".toml")
	if _, err := os.Stat(mpath); err == nil {
		return written, fmt.Errorf("%s exists: not overwritten", relTo(root, mpath))
	}
	text, err := Draft(bytes.NewReader(src), base, site)
	if err != nil {
		return written, fmt.Errorf("%s: %w", export, err)
	}
	if err := writeNew(mpath, []byte(text)); err != nil {
		return written, err
	}
	return append(written, relTo(root, mpath)), nil
}

func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// colStats is what a column's answers look like.
type colStats struct {
	filled, numbers, dates int
	min, max               float64
	firstDate, lastDate    string
	texts                  map[string]int
	order                  []string         // texts as first seen
	many                   bool             // more distinct texts than shown
	codes                  map[float64]bool // numbers that look like missing codes (< 0 or ≥ 90)
	otherNumbers           bool             // numbers that do not
}

const maxCandidates = 15

// Draft reads an export and writes the text of a starting mapping.
func Draft(r io.Reader, file string, site InitSite) (string, error) {
	h, herr := ReadHeader(r, "auto")
	if herr != nil {
		return "", fmt.Errorf("line %d: %s", herr.Line, herr.Msg)
	}
	stats := make([]colStats, len(h.Columns))
	for i := range stats {
		stats[i].texts = map[string]int{}
	}
	comma := h.Sep == ';'
	var sc csvscan.Scanner
	var scanErr error
	err := csvscan.ForChunks(h.Rest, h.Sep, 1<<20, func() func(*csvscan.Chunk) *csvscan.Chunk {
		// The worker reuses its buffer once it hands a chunk over: copy.
		return func(c *csvscan.Chunk) *csvscan.Chunk {
			return &csvscan.Chunk{Data: append([]byte(nil), c.Data...), Last: c.Last}
		}
	}, func(c *csvscan.Chunk) bool {
		// One pass in order: the statistics are cheap next to reading.
		sc = csvscan.Scanner{Data: c.Data, Sep: h.Sep, Last: c.Last, Fields: sc.Fields[:0], Arena: sc.Arena[:0]}
		for {
			ok, serr := sc.Scan()
			if serr != nil {
				scanErr = fmt.Errorf("CSV: %v", serr.Err)
				return false
			}
			if !ok {
				return true
			}
			for i := range sc.Fields {
				if i >= len(stats) {
					break
				}
				v := string(trim(sc.Content(&sc.Fields[i])))
				if v == "" {
					continue
				}
				s := &stats[i]
				s.filled++
				if x, ok := Decimal([]byte(v), comma); ok {
					if x < 0 || x >= 90 {
						if s.codes == nil {
							s.codes = map[float64]bool{}
						}
						if len(s.codes) < 8 {
							s.codes[x] = true
						}
					} else {
						s.otherNumbers = true
					}
					if s.numbers == 0 || x < s.min {
						s.min = x
					}
					if s.numbers == 0 || x > s.max {
						s.max = x
					}
					s.numbers++
					continue
				}
				if _, e := Date(v, "mdy"); e == DateOK {
					s.dates++
					if s.firstDate == "" || v < s.firstDate {
						s.firstDate = v
					}
					if v > s.lastDate {
						s.lastDate = v
					}
					continue
				}
				if _, seen := s.texts[v]; !seen {
					if len(s.texts) >= maxCandidates {
						s.many = true
						continue
					}
					s.order = append(s.order, v)
				}
				s.texts[v]++
			}
		}
	})
	if err == nil {
		err = scanErr
	}
	if err != nil {
		return "", err
	}
	return draftText(h, file, stats, site), nil
}

func draftText(h *Header, file string, stats []colStats, site InitSite) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Mapping of %s, a %s export (%d header row%s), written by `touchstone survey init`.\n", file, h.Format, h.Format.Rows(), plural(h.Format.Rows()))
	p("# What is left for you: tie the columns that measure something to a touchpoint\n")
	p("# and an attribute (or recommend = true) in [[questions]] below, check the\n")
	p("# candidate [labels], then run `touchstone check`. See /docs/importing-surveys/.\n\n")
	p("file    = %s\n", tomlString(file))
	p("format  = %s\n", tomlString(h.Format.Name()))
	journey := "journey-id"
	if len(site.Journeys) > 0 {
		journey = site.Journeys[0]
	}
	p("journey = %s", tomlString(journey))
	if len(site.Journeys) > 0 {
		p("   # the default journey of the questions; the site has: %s", strings.Join(site.Journeys, ", "))
	}
	p("\n")
	wave := "2026-H1"
	if len(site.Waves) > 0 {
		wave = site.Waves[len(site.Waves)-1]
	}
	p("wave    = %s   # a fixed wave; or a column of wave names or dates:\n", tomlString(wave))
	dateCol := -1
	for i, s := range stats {
		if s.dates > 0 && s.dates*2 >= s.filled {
			dateCol = i
			break
		}
	}
	if dateCol >= 0 {
		p("# wave  = { column = %s, ranges = { %s = [\"2026-01-01\", \"2026-06-30\"] } }   # dates %s … %s\n",
			tomlString(h.Columns[dateCol].ID), tomlString(wave), oneLine(stats[dateCol].firstDate), oneLine(stats[dateCol].lastDate))
	} else {
		p("# wave  = { column = \"Wave\" }\n")
	}
	for i, c := range h.Columns {
		switch id := mapping.Fold(c.ID); {
		case id == "responseid" || id == "respondent id" || id == "id" || id == "respondent":
			p("respondent = %s\n", tomlString(c.ID))
		case id == "finished" || id == "v10" && mapping.Fold(c.Text) == "finished":
			vals := []string{"1", "True"}
			p("where      = { %s = [\"%s\", \"%s\"] }   # completed responses only\n", tomlKey(c.ID), vals[0], vals[1])
		}
		_ = i
	}
	p("# weight   = \"column of respondent weights\"\n")
	p("# segments = { region = \"column of the respondent's region\" }\n")

	// Candidate value maps: one per distinct set of text answers.
	type cand struct {
		name    string
		values  []string
		missing []string
		cols    []string
	}
	var cands []*cand
	bySet := map[string]*cand{}
	labelOf := make([]string, len(stats))
	for i, s := range stats {
		// Text answers, perhaps with numeric missing codes (-99).
		if len(s.order) < 2 || s.many || s.otherNumbers || freeText(s) {
			continue
		}
		vals, others := orderLabels(s.order)
		for _, x := range slices.Sorted(maps.Keys(s.codes)) {
			others = append(others, strconv.FormatFloat(x, 'f', -1, 64))
		}
		key := strings.Join(vals, "\x00")
		c := bySet[key]
		if c == nil {
			c = &cand{name: slugName(h.Columns[i].ID), values: vals, missing: others}
			bySet[key] = c
			cands = append(cands, c)
		}
		c.cols = append(c.cols, h.Columns[i].ID)
		labelOf[i] = c.name
	}
	if len(cands) > 0 {
		p("\n[labels]   # candidate value maps of the text columns: check the numbers and their order\n")
		for _, c := range cands {
			var parts []string
			for k, v := range c.values {
				parts = append(parts, fmt.Sprintf("%s = %d", tomlString(v), k+1))
			}
			p("%s = { %s }   # %s\n", tomlKey(c.name), strings.Join(parts, ", "), oneLine(strings.Join(c.cols, ", ")))
			if len(c.missing) > 0 {
				var qs []string
				for _, m := range c.missing {
					qs = append(qs, tomlString(m))
				}
				p("# also answered, not on the scale: %s — perhaps missing = [%s] in the questions\n", strings.Join(qs, ", "), strings.Join(qs, ", "))
			}
		}
	}
	p("\n# The export's columns, one question each: uncomment and complete those that\n")
	p("# measure a touchpoint's attribute or recommend. Columns may also be named by\n")
	p("# their question text.\n")
	for i, c := range h.Columns {
		s := stats[i]
		p("\n# [[questions]]\n")
		p("# column     = %s", tomlString(c.ID))
		if c.Text != "" && c.Text != c.ID {
			p("   # %s", oneLine(shorten(c.Text, 100)))
		}
		p("\n# %s\n", describeCol(s))
		p("# touchpoint = \"\"\n# attribute  = \"\"        # or: recommend = true\n")
		if labelOf[i] != "" {
			p("# labels     = %s\n", tomlString(labelOf[i]))
		}
		if s.numbers > 0 && (s.min < 1 || s.max > 5) {
			p("# scale      = { min = %g, max = %g }   # when the question's scale is not the site's\n", s.min, s.max)
		}
	}
	p("\n# Open-text columns kept as verbatims of a touchpoint:\n# [[comments]]\n# column     = \"\"\n# touchpoint = \"\"\n")
	return b.String()
}

func describeCol(s colStats) string {
	switch {
	case s.filled == 0:
		return "(no answers)"
	case s.numbers == s.filled:
		return fmt.Sprintf("%d answers, numbers %g..%g", s.filled, s.min, s.max)
	case s.dates == s.filled:
		return fmt.Sprintf("%d answers, dates %s … %s", s.filled, oneLine(s.firstDate), oneLine(s.lastDate))
	case s.many:
		return fmt.Sprintf("%d answers, free text", s.filled)
	}
	var vals []string
	for _, v := range s.order {
		vals = append(vals, oneLine(shorten(v, 30)))
	}
	extra := ""
	if s.numbers > 0 {
		extra = fmt.Sprintf(" and numbers %g..%g", s.min, s.max)
	}
	return fmt.Sprintf("%d answers: %s%s", s.filled, strings.Join(vals, " | "), extra)
}

// likert lists answer scales in order, lowest first, so a candidate
// map of a known scale comes numbered the right way round.
var likert = [][]string{
	{"strongly disagree", "disagree", "somewhat disagree", "neither agree nor disagree", "neutral", "somewhat agree", "agree", "strongly agree"},
	{"very dissatisfied", "dissatisfied", "somewhat dissatisfied", "neither satisfied nor dissatisfied", "neutral", "somewhat satisfied", "satisfied", "very satisfied"},
	{"very poor", "poor", "fair", "average", "good", "very good", "excellent"},
	{"not at all likely", "very unlikely", "unlikely", "neither likely nor unlikely", "likely", "very likely", "extremely likely"},
	{"very difficult", "difficult", "somewhat difficult", "neither easy nor difficult", "somewhat easy", "easy", "very easy"},
}

// orderLabels orders text answers: by a known scale when most belong
// to one (the others, such as "Don't know", come back as likely
// missing codes), else as first seen.
func orderLabels(vals []string) (ordered, others []string) {
	for _, sc := range likert {
		rank := map[string]int{}
		for i, v := range sc {
			rank[v] = i
		}
		var in, out []string
		for _, v := range vals {
			if _, ok := rank[mapping.Fold(v)]; ok {
				in = append(in, v)
			} else {
				out = append(out, v)
			}
		}
		if len(in) >= 2 && len(out) <= 2 {
			sort.SliceStable(in, func(i, j int) bool { return rank[mapping.Fold(in[i])] < rank[mapping.Fold(in[j])] })
			return in, out
		}
	}
	return vals, nil
}

// freeText reports a column of open answers or ids, not a closed list.
func freeText(s colStats) bool {
	if len(s.order) == s.filled && s.filled >= 5 {
		return true // every answer different
	}
	for _, v := range s.order {
		if len(v) > 60 || strings.ContainsAny(v, "\n") {
			return true
		}
	}
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func slugName(s string) string {
	out := Slug(s)
	if out == "value" {
		return "labels"
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tomlKey writes a key bare when it can be, else quoted.
func tomlKey(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return tomlString(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}
