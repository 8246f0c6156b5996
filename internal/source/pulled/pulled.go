// Package pulled reads and writes pull files, data/pulled/<source>.csv
// (SPEC §10): the sufficient statistics a database source fetched,
// written by `touchstone pull` so that a site builds offline and
// reproducibly. A pull holds aggregates (and the verbatim sample the
// report shows), never answer rows; numbers are written with full
// precision, so a build from a pull equals a build from the database.
//
// The file is CSV, one number a row, so that a new pull diffs well in
// git:
//
//	record,segment,segment_value,wave,journey,touchpoint,item,stat,value
//	pull,,,,,,,where,db.example.com:5432/cx
//	cell,,,2026-H1,onboarding,call,be-there,n,40
//	cell,region,North,2026-H1,onboarding,call,be-there,swx,121.5
//
// Records: pull (stat source, where, when), cell (item = attribute;
// stat n, sw, swx, swxx, sww), nps (touchpoint empty: the journey's;
// stat promoters, passives, detractors, wpromoters, wpassives,
// wdetractors, sww, weighted), drivers (stat vars = the variables
// space-separated, n, sw, s with item = i, ss with item = "i j"),
// verbatims (stat total) and verbatim (item = respondent, stat = the
// recommend answer or empty, value = the text).
package pulled

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
)

// Header is the pull file's first row.
var Header = []string{"record", "segment", "segment_value", "wave", "journey", "touchpoint", "item", "stat", "value"}

// Write writes res as a pull file, with where and when it was fetched.
// The order is sorted, so that the same statistics give the same file.
func Write(w io.Writer, res *source.Result, p model.Pull) error {
	cw := csv.NewWriter(w)
	cw.Write(Header)
	for _, kv := range [][2]string{{"source", p.Source}, {"where", p.Where}, {"when", p.When}} {
		cw.Write([]string{"pull", "", "", "", "", "", "", kv[0], kv[1]})
	}
	writeData(cw, "", "", res.Data)
	for _, sv := range res.Order {
		writeData(cw, sv.Segment, sv.Value, res.Segments[sv])
	}
	cw.Flush()
	return cw.Error()
}

func f64(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func writeData(cw *csv.Writer, seg, val string, d *source.Data) {
	row := func(rec, wave, journey, touch, item, stat, value string) {
		cw.Write([]string{rec, seg, val, wave, journey, touch, item, stat, value})
	}
	for _, k := range sortedKeys(d.Cells, cmpCell) {
		a := d.Cells[k]
		for _, sv := range [][2]string{{"n", strconv.FormatInt(a.N, 10)}, {"sw", f64(a.SW)}, {"swx", f64(a.SWX)}, {"swxx", f64(a.SWXX)}, {"sww", f64(a.SWW)}} {
			row("cell", k.Wave, k.Journey, k.Touchpoint, k.Attribute, sv[0], sv[1])
		}
	}
	nps := func(wave, journey, touch string, c *model.NPSCounts) {
		for _, sv := range [][2]string{
			{"promoters", strconv.Itoa(c.Promoters)}, {"passives", strconv.Itoa(c.Passives)}, {"detractors", strconv.Itoa(c.Detractors)},
			{"wpromoters", f64(c.WPromoters)}, {"wpassives", f64(c.WPassives)}, {"wdetractors", f64(c.WDetractors)},
			{"sww", f64(c.SWW)}, {"weighted", strconv.FormatBool(c.Weighted)},
		} {
			row("nps", wave, journey, touch, "", sv[0], sv[1])
		}
	}
	for _, k := range sortedKeys(d.NPS, cmpTouch) {
		nps(k.Wave, k.Journey, k.Touchpoint, d.NPS[k])
	}
	for _, k := range sortedKeys(d.JourneyNPS, cmpJourney) {
		nps(k.Wave, k.Journey, "", d.JourneyNPS[k])
	}
	for _, k := range sortedKeys(d.Drivers, cmpJourney) {
		ds := d.Drivers[k]
		row("drivers", k.Wave, k.Journey, "", "", "vars", strings.Join(ds.Vars, " "))
		row("drivers", k.Wave, k.Journey, "", "", "n", strconv.FormatInt(ds.N, 10))
		row("drivers", k.Wave, k.Journey, "", "", "sw", f64(ds.SW))
		n := len(ds.Vars)
		for i := range n {
			row("drivers", k.Wave, k.Journey, "", strconv.Itoa(i), "s", f64(ds.S[i]))
		}
		for i := range n {
			for j := range n {
				row("drivers", k.Wave, k.Journey, "", strconv.Itoa(i)+" "+strconv.Itoa(j), "ss", f64(ds.SS[i*n+j]))
			}
		}
	}
	for _, k := range sortedKeys(d.Verbatims, cmpTouch) {
		v := d.Verbatims[k]
		row("verbatims", k.Wave, k.Journey, k.Touchpoint, "", "total", strconv.Itoa(v.Total))
		for _, c := range v.Comments {
			rec := ""
			if c.Recommend != nil {
				rec = strconv.Itoa(*c.Recommend)
			}
			row("verbatim", k.Wave, k.Journey, k.Touchpoint, c.Respondent, rec, c.Text)
		}
	}
}

func sortedKeys[K comparable, V any](m map[K]V, c func(a, b K) int) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, c)
	return out
}

func cmpCell(a, b model.CellKey) int {
	return cmp.Or(cmp.Compare(a.Wave, b.Wave), cmp.Compare(a.Journey, b.Journey), cmp.Compare(a.Touchpoint, b.Touchpoint), cmp.Compare(a.Attribute, b.Attribute))
}

func cmpTouch(a, b model.TouchKey) int {
	return cmp.Or(cmp.Compare(a.Wave, b.Wave), cmp.Compare(a.Journey, b.Journey), cmp.Compare(a.Touchpoint, b.Touchpoint))
}

func cmpJourney(a, b model.JourneyKey) int {
	return cmp.Or(cmp.Compare(a.Wave, b.Wave), cmp.Compare(a.Journey, b.Journey))
}

// Read reads a pull file. Every problem goes to diags at its line and
// column in rel; the Result holds whatever could be read, and its Pull
// says where and when the data was fetched.
func Read(rel string, r io.Reader, diags *diag.List) *source.Result {
	res := source.NewResult(model.FromResponses)
	res.Inputs = []string{rel}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, so a wrong header says so
	cr.ReuseRecord = true
	pull := model.Pull{}
	first := true
	bad := func(line, col int, format string, args ...any) {
		diags.Errorf(rel, line, col, format, args...)
	}
	// drivers being read, per population and journey, with the
	// elements set so far.
	type pending struct {
		ds   *model.DriverSums
		line int
		set  []bool
	}
	drv := map[*source.Data]map[model.JourneyKey]*pending{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if pe2, ok := err.(*csv.ParseError); ok {
				pe = pe2
				bad(pe.Line, max(pe.Column, 1), "%s", pe.Err)
				if pe.Err == csv.ErrFieldCount {
					continue
				}
			} else {
				bad(1, 1, "%v", err)
			}
			break
		}
		line, _ := cr.FieldPos(0)
		if !first && len(rec) != len(Header) {
			bad(line, 1, "%d fields, want %d (%s)", len(rec), len(Header), strings.Join(Header, ","))
			continue
		}
		if first {
			first = false
			if !slices.Equal(rec, Header) {
				bad(line, 1, "not a pull file: the header must be %s", strings.Join(Header, ","))
				return res
			}
			continue
		}
		at := func(i int) (int, int) { return cr.FieldPos(i) }
		fail := func(i int, format string, args ...any) {
			l, c := at(i)
			bad(l, c, format, args...)
		}
		kind, seg, segVal, wave, journey, touch, item, stat, value := rec[0], rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7], rec[8]
		if kind == "pull" {
			switch stat {
			case "source":
				pull.Source = value
			case "where":
				pull.Where = value
			case "when":
				pull.When = value
			default:
				fail(7, "%s", diag.Unknown("pull stat", stat, []string{"source", "where", "when"}))
			}
			continue
		}
		if (seg == "") != (segVal == "") {
			fail(1, "segment and segment_value go together")
			continue
		}
		d := res.Data
		if seg != "" {
			d = res.Segment(source.SegmentValue{Segment: seg, Value: segVal})
		}
		if wave == "" || journey == "" {
			fail(3, "%s record without wave or journey", kind)
			continue
		}
		number := func() (float64, bool) {
			v, err := strconv.ParseFloat(value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				fail(8, "%s %s %q is not a number", kind, stat, value)
				return 0, false
			}
			return v, true
		}
		count := func() (int64, bool) {
			v, err := strconv.ParseInt(value, 10, 64)
			if err != nil || v < 0 {
				fail(8, "%s %s %q is not a count", kind, stat, value)
				return 0, false
			}
			return v, true
		}
		switch kind {
		case "cell":
			if touch == "" || item == "" {
				fail(5, "cell record without touchpoint or attribute")
				continue
			}
			k := model.CellKey{Wave: wave, Journey: journey, Touchpoint: touch, Attribute: item}
			a := d.Cells[k]
			if a == nil {
				a = &source.Acc{First: model.Pos{Path: rel, Line: line, Col: 1}}
				d.Cells[k] = a
			}
			switch stat {
			case "n":
				if n, ok := count(); ok {
					a.N = n
				}
			case "sw", "swx", "swxx", "sww":
				if v, ok := number(); ok {
					*map[string]*float64{"sw": &a.SW, "swx": &a.SWX, "swxx": &a.SWXX, "sww": &a.SWW}[stat] = v
				}
			default:
				fail(7, "%s", diag.Unknown("cell stat", stat, []string{"n", "sw", "swx", "swxx", "sww"}))
			}
		case "nps":
			var c *model.NPSCounts
			if touch == "" {
				k := model.JourneyKey{Wave: wave, Journey: journey}
				if c = d.JourneyNPS[k]; c == nil {
					c = &model.NPSCounts{}
					d.JourneyNPS[k] = c
				}
			} else {
				k := model.TouchKey{Wave: wave, Journey: journey, Touchpoint: touch}
				if c = d.NPS[k]; c == nil {
					c = &model.NPSCounts{}
					d.NPS[k] = c
				}
			}
			switch stat {
			case "promoters", "passives", "detractors":
				if n, ok := count(); ok && n <= math.MaxInt32 {
					*map[string]*int{"promoters": &c.Promoters, "passives": &c.Passives, "detractors": &c.Detractors}[stat] = int(n)
				}
			case "wpromoters", "wpassives", "wdetractors", "sww":
				if v, ok := number(); ok {
					*map[string]*float64{"wpromoters": &c.WPromoters, "wpassives": &c.WPassives, "wdetractors": &c.WDetractors, "sww": &c.SWW}[stat] = v
				}
			case "weighted":
				b, err := strconv.ParseBool(value)
				if err != nil {
					fail(8, "nps weighted %q is not true or false", value)
				}
				c.Weighted = b
			default:
				fail(7, "%s", diag.Unknown("nps stat", stat, []string{"promoters", "passives", "detractors", "wpromoters", "wpassives", "wdetractors", "sww", "weighted"}))
			}
		case "drivers":
			k := model.JourneyKey{Wave: wave, Journey: journey}
			if drv[d] == nil {
				drv[d] = map[model.JourneyKey]*pending{}
			}
			pd := drv[d][k]
			if stat == "vars" {
				if pd != nil {
					fail(8, "drivers of %s in %s listed twice", journey, wave)
					continue
				}
				vars := strings.Fields(value)
				if len(vars) < 2 || len(vars) > 64 {
					fail(8, "drivers need 2 to 64 variables, not %d", len(vars))
					continue
				}
				ds := model.NewDriverSums(vars)
				drv[d][k] = &pending{ds: ds, line: line, set: make([]bool, 2+len(vars)+len(vars)*len(vars))}
				continue
			}
			if pd == nil {
				fail(7, "drivers %s before the drivers' vars", stat)
				continue
			}
			n := len(pd.ds.Vars)
			idx := func(s string) (int, bool) {
				i, err := strconv.Atoi(s)
				if err != nil || i < 0 || i >= n || strconv.Itoa(i) != s {
					fail(6, "drivers variable index %q is not one of 0..%d", s, n-1)
					return 0, false
				}
				return i, true
			}
			slot := -1
			switch stat {
			case "n":
				if v, ok := count(); ok {
					pd.ds.N, slot = v, 0
				}
			case "sw":
				if v, ok := number(); ok {
					pd.ds.SW, slot = v, 1
				}
			case "s":
				if i, ok := idx(item); ok {
					if v, ok := number(); ok {
						pd.ds.S[i], slot = v, 2+i
					}
				}
			case "ss":
				a, b, _ := strings.Cut(item, " ")
				if i, ok := idx(a); ok {
					if j, ok := idx(b); ok {
						if v, ok := number(); ok {
							pd.ds.SS[i*n+j], slot = v, 2+n+i*n+j
						}
					}
				}
			default:
				fail(7, "%s", diag.Unknown("drivers stat", stat, []string{"vars", "n", "sw", "s", "ss"}))
			}
			if slot >= 0 {
				if pd.set[slot] {
					fail(7, "drivers %s %s given twice", stat, item)
				}
				pd.set[slot] = true
			}
		case "verbatims":
			if touch == "" || stat != "total" {
				fail(7, "verbatims records are: touchpoint, stat total")
				continue
			}
			if n, ok := count(); ok && n <= math.MaxInt32 {
				tk := model.TouchKey{Wave: wave, Journey: journey, Touchpoint: touch}
				if d.Verbatims[tk] == nil {
					d.Verbatims[tk] = &model.Verbatims{}
				}
				d.Verbatims[tk].Total = int(n)
			}
		case "verbatim":
			tk := model.TouchKey{Wave: wave, Journey: journey, Touchpoint: touch}
			vb := d.Verbatims[tk]
			if vb == nil {
				fail(0, "verbatim before its touchpoint's verbatims total")
				continue
			}
			v := model.Verbatim{Respondent: item, Text: value, Pos: model.Pos{Path: rel, Line: line, Col: 1}}
			if stat != "" {
				r, err := strconv.Atoi(stat)
				if err != nil || r < 0 || r > 10 {
					fail(7, "verbatim recommend %q must be a whole number from 0 to 10", stat)
					continue
				}
				v.Recommend = &r
			}
			if len(vb.Comments) >= vb.Total {
				fail(0, "more verbatims than their total (%d)", vb.Total)
				continue
			}
			vb.Comments = append(vb.Comments, v)
		default:
			fail(0, "%s", diag.Unknown("record", kind, []string{"pull", "cell", "nps", "drivers", "verbatims", "verbatim"}))
		}
	}
	if first {
		bad(1, 1, "empty pull file: run touchstone pull again")
		return res
	}
	for d, m := range drv {
		for k, pd := range m {
			if slices.Contains(pd.set, false) {
				bad(pd.line, 1, "drivers of %s in %s are incomplete: run touchstone pull again", k.Journey, k.Wave)
				delete(m, k)
				continue
			}
			d.Drivers[k] = pd.ds
		}
	}
	if pull.Where == "" || pull.When == "" {
		bad(1, 1, "the pull does not say where and when it was fetched (pull,…,where and pull,…,when rows): run touchstone pull again")
	}
	res.Pull = &pull
	return res
}

// Source is a pull file used in place of its database source.
type Source struct {
	root, rel string
	also      []string
}

// Open returns the pull file at rel (relative to root, slash-separated),
// e.g. data/pulled/cx.csv. also are further inputs to name in the
// Result (the source file the pull stands for), so that editing them
// rebuilds.
func Open(root, rel string, also ...string) *Source { return &Source{root: root, rel: rel, also: also} }

// Path is the pull file.
func (s *Source) Path() string { return s.rel }

// Load reads the pull file.
func (s *Source) Load(_ context.Context, env *source.Env) *source.Result {
	f, err := os.Open(filepath.Join(s.root, filepath.FromSlash(s.rel)))
	if err != nil {
		env.Diags.Errorf(s.rel, 0, 0, "%v", err)
		res := source.NewResult(model.FromResponses)
		res.Inputs = []string{s.rel}
		return res
	}
	defer f.Close()
	res := Read(s.rel, f, env.Diags)
	if res.Pull != nil && res.Pull.Source == "" {
		res.Pull.Source = strings.TrimSuffix(filepath.Base(s.rel), ".csv")
	}
	if env.Site != nil {
		checkIDs(env.Site, res, env.Diags)
	}
	res.Inputs = append(res.Inputs, s.also...)
	return res
}

// checkIDs reports cells whose journey, touchpoint or attribute the site
// no longer has (it changed since the pull), and drops them.
func checkIDs(site *model.Site, res *source.Result, diags *diag.List) {
	datas := []*source.Data{res.Data}
	for _, sv := range res.Order {
		datas = append(datas, res.Segments[sv])
	}
	for i, d := range datas {
		for _, k := range sortedKeys(d.Cells, cmpCell) {
			a := d.Cells[k]
			msg := ""
			j := site.Journey(k.Journey)
			switch {
			case j == nil:
				msg = diag.Unknown("journey", k.Journey, site.JourneyIDs())
			case j.Touchpoint(k.Touchpoint) == nil:
				ids := make([]string, len(j.Touchpoints))
				for i, t := range j.Touchpoints {
					ids[i] = t.ID
				}
				msg = diag.Unknown("touchpoint", k.Touchpoint, ids)
			default:
				b := site.Brand(cmp.Or(j.Brand, site.Config.Brand))
				if b.Attribute(k.Attribute) == nil {
					msg = fmt.Sprintf("%q is not an attribute of brand %q (journey %q)", k.Attribute, cmp.Or(j.Brand, site.Config.Brand), k.Journey)
				}
			}
			if msg != "" {
				if i == 0 { // once, not again for every segment value
					diags.Errorf(a.First.Path, a.First.Line, 1, "%s (the site changed since the pull: run touchstone pull again)", msg)
				}
				delete(d.Cells, k)
			}
		}
	}
}

// Path of the pull file of a source id.
func PathOf(id string) string { return fmt.Sprintf("data/pulled/%s.csv", id) }
