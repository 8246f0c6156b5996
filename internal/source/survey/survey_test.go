package survey_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

func testSite() *model.Site {
	promise := map[string]float64{"be-there": 4, "clarity": 4}
	order := []string{"be-there", "clarity"}
	tp := func(id string) *model.Touchpoint {
		return &model.Touchpoint{ID: id, Promise: promise, PromiseOrder: order}
	}
	b := &model.Brand{ID: "tidewell", Attributes: []*model.Attribute{{ID: "be-there"}, {ID: "clarity"}}}
	return &model.Site{
		Config: model.Config{Brand: "tidewell", Scale: model.Scale{Min: 1, Max: 5}},
		Brands: []*model.Brand{b},
		Journeys: []*model.Journey{
			{ID: "storm", Brand: "tidewell", Touchpoints: []*model.Touchpoint{tp("storm-call"), tp("storm-sms")}},
			{ID: "billing", Brand: "tidewell", Touchpoints: []*model.Touchpoint{tp("bill")}},
		},
	}
}

func load(t *testing.T, dir, mapping string, chunk int) (*source.Result, *diag.List) {
	t.Helper()
	d := &diag.List{}
	env := &source.Env{Root: filepath.Join("testdata", dir), Site: testSite(), Diags: d}
	s := survey.New(mapping)
	if chunk > 0 {
		s.WithChunkSize(chunk)
	}
	return s.Load(context.Background(), env), d
}

// refQ is one question as the independent reader sees it: a column by
// index and the plain arithmetic of SPEC §8.
type refQ struct {
	col        int
	key        model.CellKey // Wave filled per row; Attribute "" for recommend
	labels     map[string]float64
	missing    []string
	lo, hi     float64 // the question's scale
	reverse    bool
	recommend  bool
	journeyNPS bool
}

type refSpec struct {
	file    string
	sep     rune
	skip    int // header rows
	utf16   bool
	keep    func(row []string) bool
	wave    func(row []string) string
	weight  func(row []string) float64
	qs      []refQ
	segment int // column of the segment, or -1
}

type refCell struct {
	n       int
	sw, swx float64
	nps     [3]int // detractors, passives, promoters
}

// reference aggregates an export with encoding/csv and hand arithmetic.
func reference(t *testing.T, s refSpec) map[string]*refCell {
	src, err := os.ReadFile(s.file)
	if err != nil {
		t.Fatal(err)
	}
	if s.utf16 {
		u := make([]uint16, 0, len(src)/2)
		for i := 2; i+1 < len(src); i += 2 {
			u = append(u, uint16(src[i])|uint16(src[i+1])<<8)
		}
		src = []byte(string(utf16.Decode(u)))
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(src))
	r.Comma = s.sep
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*refCell{}
	get := func(k string) *refCell {
		if out[k] == nil {
			out[k] = &refCell{}
		}
		return out[k]
	}
	for _, row := range rows[s.skip:] {
		if s.keep != nil && !s.keep(row) {
			continue
		}
		w := s.wave(row)
		if w == "" {
			continue
		}
		wt := 1.0
		if s.weight != nil {
			wt = s.weight(row)
		}
		for _, q := range s.qs {
			raw := strings.TrimSpace(row[q.col])
			if raw == "" || contains(q.missing, raw) {
				continue
			}
			var v float64
			if x, ok := q.labels[raw]; ok {
				v = x
			} else {
				v, err = strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
				if err != nil {
					t.Fatalf("reference: %q", raw)
				}
			}
			keys := []string{""}
			if s.segment >= 0 && strings.TrimSpace(row[s.segment]) != "" {
				keys = append(keys, survey.Slug(row[s.segment])+"/")
			}
			k := q.key
			k.Wave = w
			for _, pre := range keys {
				if q.recommend {
					c := get(pre + fmt.Sprint(k))
					switch {
					case v >= 9:
						c.nps[2]++
					case v >= 7:
						c.nps[1]++
					default:
						c.nps[0]++
					}
					continue
				}
				if q.reverse {
					v = q.lo + q.hi - v
				}
				x := 1 + (v-q.lo)*4/(q.hi-q.lo)
				c := get(pre + fmt.Sprint(k))
				c.n++
				c.sw += wt
				c.swx += wt * x
				if q.reverse {
					v = q.lo + q.hi - v // undo for the next key
				}
			}
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// compare checks a Result against the reference, cell by cell.
func compare(t *testing.T, res *source.Result, want map[string]*refCell) {
	t.Helper()
	got := map[string]*refCell{}
	add := func(pre string, d *source.Data) {
		for k, a := range d.Cells {
			got[pre+fmt.Sprint(k)] = &refCell{n: int(a.N), sw: a.SW, swx: a.SWX}
		}
		for k, c := range d.NPS {
			got[pre+fmt.Sprint(model.CellKey{Wave: k.Wave, Journey: k.Journey, Touchpoint: k.Touchpoint})] = &refCell{nps: [3]int{c.Detractors, c.Passives, c.Promoters}}
		}
		for k, c := range d.JourneyNPS {
			got[pre+fmt.Sprint(model.CellKey{Wave: k.Wave, Journey: k.Journey})] = &refCell{nps: [3]int{c.Detractors, c.Passives, c.Promoters}}
		}
		for k, c := range d.BrandNPS {
			got[pre+fmt.Sprint(model.CellKey{Wave: k.Wave, Journey: "brand:" + k.Brand})] = &refCell{nps: [3]int{c.Detractors, c.Passives, c.Promoters}}
		}
	}
	add("", res.Data)
	for v, d := range res.Segments {
		add(survey.Slug(v.Value)+"/", d)
	}
	for k, w := range want {
		g := got[k]
		if g == nil {
			t.Errorf("%s: missing", k)
			continue
		}
		if g.n != w.n || g.nps != w.nps || math.Abs(g.sw-w.sw) > 1e-9 || math.Abs(g.swx-w.swx) > 1e-9 {
			t.Errorf("%s: got n=%d Σw=%g Σwx=%g nps=%v, want n=%d Σw=%g Σwx=%g nps=%v", k, g.n, g.sw, g.swx, g.nps, w.n, w.sw, w.swx, w.nps)
		}
	}
	for k := range got {
		if want[k] == nil {
			t.Errorf("%s: unexpected", k)
		}
	}
}

var agree5 = map[string]float64{"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}

func dateWave(col int, mdy bool) func([]string) string {
	return func(row []string) string {
		s := row[col]
		var y, m int
		if mdy {
			p := strings.Split(strings.Fields(s)[0], "/")
			m, _ = strconv.Atoi(p[0])
			y, _ = strconv.Atoi(p[2])
		} else {
			y, _ = strconv.Atoi(s[:4])
			m, _ = strconv.Atoi(s[5:7])
		}
		switch {
		case y == 2025 && m >= 7:
			return "2025-H2"
		case y == 2026 && m <= 6:
			return "2026-H1"
		}
		return ""
	}
}

func cell(j, tp, a string) model.CellKey {
	return model.CellKey{Journey: j, Touchpoint: tp, Attribute: a}
}

func TestExports(t *testing.T) {
	fixed := func(w string) func([]string) string { return func([]string) string { return w } }
	cases := []struct {
		name, dir, mapping string
		spec               refSpec
		format             survey.Format
	}{
		{"qualtrics 3-row", "qualtrics", "storm.toml", refSpec{
			file: "testdata/qualtrics/storm.csv", sep: ',', skip: 3, segment: 14,
			keep:   func(r []string) bool { return r[5] == "True" },
			wave:   dateWave(0, false),
			weight: func(r []string) float64 { v, _ := strconv.ParseFloat(r[15], 64); return v },
			qs: []refQ{
				{col: 8, key: cell("storm", "storm-call", "be-there"), labels: agree5, missing: []string{"Don't know"}, lo: 1, hi: 5},
				{col: 9, key: cell("storm", "storm-call", "clarity"), labels: agree5, lo: 1, hi: 5},
				{col: 10, key: cell("storm", "storm-sms", "be-there"), missing: []string{"-99"}, lo: 0, hi: 10},
				{col: 11, key: cell("storm", "storm-sms", "clarity"), labels: agree5, lo: 1, hi: 5, reverse: true},
				{col: 12, key: cell("storm", "storm-call", ""), recommend: true},
				{col: 13, key: cell("storm", "", ""), recommend: true},
			}}, survey.Qualtrics},
		{"qualtrics legacy", "legacy", "billing.toml", refSpec{
			file: "testdata/legacy/billing.csv", sep: ',', skip: 2, segment: -1,
			keep: func(r []string) bool { return r[9] == "1" }, wave: fixed("2026-H1"),
			qs: []refQ{
				{col: 10, key: cell("billing", "bill", "clarity"), lo: 1, hi: 5},
				{col: 11, key: cell("billing", "bill", "be-there"), lo: 1, hi: 5},
				{col: 12, key: cell("billing", "bill", ""), recommend: true},
			}}, survey.QualtricsLegacy},
		{"surveymonkey", "surveymonkey", "storm.toml", refSpec{
			file: "testdata/surveymonkey/storm.csv", sep: ',', skip: 2, segment: 12, wave: fixed("2026-H1"),
			qs: []refQ{
				{col: 9, key: cell("storm", "storm-call", "be-there"), labels: agree5, lo: 1, hi: 5},
				{col: 10, key: cell("storm", "storm-call", "clarity"), labels: agree5, lo: 1, hi: 5},
				{col: 11, key: cell("storm", "storm-call", ""), recommend: true},
			}}, survey.SurveyMonkey},
		{"google forms", "gforms", "storm.toml", refSpec{
			file: "testdata/gforms/storm.csv", sep: ',', skip: 1, segment: -1, wave: dateWave(0, true),
			qs: []refQ{
				{col: 1, key: cell("storm", "storm-call", "be-there"), lo: 1, hi: 5},
				{col: 2, key: cell("storm", "storm-call", "clarity"), lo: 1, hi: 5},
				{col: 3, key: cell("storm", "storm-call", ""), recommend: true},
			}}, survey.Plain},
		{"limesurvey", "limesurvey", "storm.toml", refSpec{
			file: "testdata/limesurvey/storm.csv", sep: ';', skip: 1, segment: -1, wave: func(r []string) string { return r[8] },
			qs: []refQ{
				{col: 5, key: cell("storm", "storm-call", "be-there"), lo: 1, hi: 5},
				{col: 6, key: cell("storm", "storm-call", "clarity"), lo: 1, hi: 5},
				{col: 7, key: cell("storm", "", ""), recommend: true},
			}}, survey.Plain},
		{"tsv", "tsv", "storm.toml", refSpec{
			file: "testdata/tsv/storm.tsv", sep: '\t', skip: 1, segment: -1, wave: func(r []string) string { return r[1] },
			qs: []refQ{
				{col: 2, key: cell("storm", "storm-call", "be-there"), lo: 1, hi: 5},
				{col: 3, key: cell("storm", "storm-call", "clarity"), lo: 1, hi: 5},
				{col: 4, key: cell("storm", "storm-call", ""), recommend: true},
			}}, survey.Plain},
		{"utf-16", "utf16", "storm.toml", refSpec{
			file: "testdata/utf16/storm.txt", sep: '\t', skip: 1, segment: -1, utf16: true, wave: func(r []string) string { return r[1] },
			qs: []refQ{
				{col: 2, key: cell("storm", "storm-call", "be-there"), lo: 1, hi: 5},
				{col: 3, key: cell("storm", "storm-call", "clarity"), lo: 1, hi: 5},
				{col: 4, key: cell("storm", "storm-call", ""), recommend: true},
			}}, survey.Plain},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := reference(t, c.spec)
			for _, chunk := range []int{0, 8, 64} {
				res, d := load(t, c.dir, c.mapping, chunk)
				for _, it := range d.Items() {
					if it.Severity == diag.Error {
						t.Fatalf("chunk %d: %v", chunk, it)
					}
				}
				compare(t, res, want)
			}
			f, _ := os.Open(c.spec.file)
			defer f.Close()
			h, herr := survey.ReadHeader(f, "auto")
			if herr != nil || h.Format != c.format {
				t.Errorf("format: got %v %v, want %v", h, herr, c.format)
			}
		})
	}
}

func TestQualtricsDetails(t *testing.T) {
	res, d := load(t, "qualtrics", "storm.toml", 0)
	var warns []string
	for _, it := range d.Items() {
		warns = append(warns, it.Error())
	}
	want := "storm.csv:13: warning: 1 rows have a StartDate date in no wave range of storm.toml and were left out (the first on this line)"
	if len(warns) != 1 || warns[0] != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(warns, "\n"), want)
	}
	vb := res.Data.Verbatims[model.TouchKey{Wave: "2025-H2", Journey: "storm", Touchpoint: "storm-call"}]
	if vb == nil || vb.Total != 2 || vb.Comments[1].Text != "Waited 40 minutes.\nThen the line dropped." || vb.Comments[1].Respondent != "R_1b" ||
		vb.Comments[1].Recommend == nil || *vb.Comments[1].Recommend != 4 || vb.Comments[1].Pos.Line != 6 {
		t.Errorf("verbatims: %+v", vb)
	}
	// North West and north-west are one value, shown as first written.
	var values []string
	for _, v := range res.Order {
		values = append(values, v.Value)
	}
	if strings.Join(values, "|") != "North West|South" {
		t.Errorf("segment values: %v", values)
	}
	if res.Waves["2025-H2"].Line != 5 || res.Waves["2026-H1"].Path != "storm.toml" {
		t.Errorf("waves seen: %v", res.Waves)
	}
	// Drivers: complete rows at storm-call (be-there, clarity,
	// recommend), weighted. 2025-H2: R_1a (4,5,9 w1.5), R_1b (2,3,4 w1),
	// R_1c (5,4,10 w0.5); R_1d is filtered out.
	ds := res.Data.Drivers[model.JourneyKey{Wave: "2025-H2", Journey: "storm"}]
	if ds == nil || ds.N != 3 || ds.SW != 3 || ds.S[0] != 1.5*4+2+0.5*5 || ds.S[2] != 1.5*9+4+0.5*10 || ds.SS[0*3+2] != 1.5*4*9+2*4+0.5*5*10 {
		t.Errorf("drivers: %+v", ds)
	}
	if strings.Join(ds.Vars, ",") != "be-there,clarity,recommend" {
		t.Errorf("driver vars %v", ds.Vars)
	}
	// 2026-H1: R_2b has no be-there answer (Don't know): not complete.
	if ds := res.Data.Drivers[model.JourneyKey{Wave: "2026-H1", Journey: "storm"}]; ds == nil || ds.N != 2 {
		t.Errorf("drivers 2026-H1: %+v", ds)
	}
	if c := res.Data.JourneyNPS[model.JourneyKey{Wave: "2025-H2", Journey: "storm"}]; c == nil || !c.Weighted || c.WPromoters != 2 {
		t.Errorf("weighted journey NPS: %+v", c)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, csv, toml string
		want            []string
	}{
		{"unknown column", "a,b\n1,2\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"zz\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.toml:5:10: unknown column "zz" (valid: "a", "b") in e.csv (a plain export)`}},
		{"nearest by question text", "Q1,Q2\nThe bill was clear,The bill arrived\n\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\n4,5\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"the bill was clearr\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.toml:5:10: unknown column "the bill was clearr" (did you mean "The bill was clear"?) in e.csv (a Qualtrics export)`}},
		{"label not in map", "q\nAgre\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[labels]\na = { Agree = 4 }\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\nlabels = \"a\"\n",
			[]string{`e.csv:2:1: q answer "Agre" is not in labels "a" (e.toml:5) (did you mean "Agree"?)`}},
		{"text without labels", "q\nAgree\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:1: q answer "Agree" is not a number: map text answers to numbers with labels (question at e.toml:4)`}},
		{"off scale", "q\n7\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:1: q answer 7 is outside the site's scale 1..5 (question at e.toml:4)`}},
		{"exponent rejected", "q\n1e0\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`q answer "1e0" is not a number`}},
		{"recommend", "q\n7.5\n11\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nrecommend = true\n",
			[]string{`e.csv:2:1: q answer 7.5 must be a whole number from 0 to 10`, `e.csv:3:1: q answer 11 must be`}},
		{"slashed date", "d,q\n4/2/2026 10:14:00,4\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = { column = \"d\", ranges = { w = [\"2026-01-01\", \"2026-06-30\"] } }\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:1: date "4/2/2026 10:14:00" has slashes: say how to read it with date_order = "mdy" (month first) or "dmy" in the wave table at e.toml:3`}},
		{"weight", "q,w\n4,0\n4,x\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\nweight = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:3: weight "0" must be a positive number`, `e.csv:3:3: weight "x"`}},
		{"latin-1", "q\n\xe9\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:1: file is not UTF-8 text: save it as UTF-8`}},
		{"latin-1 header", "r\xe9gion,q\nx,4\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:1:1: file is not UTF-8 text: save it as UTF-8`}},
		{"CR only", "q\r4\r5\r", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:1:1: lines end in a lone CR`}},
		{"no file", "", "file = \"nothing-*.csv\"\njourney = \"storm\"\nwave = \"w\"\n",
			[]string{`e.toml:1:8: file "nothing-*.csv" matches no export beside this mapping`}},
		{"timestamps as wave names", "d,q\n2026-04-02 10:14:00,4\n2026-04-03 11:00:00,4\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = { column = \"d\" }\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:1: column "d" holds timestamps ("2026-04-02 10:14:00" and 1 more), not wave names: cut them into waves with ranges`}},
		{"field count", "q,r\n4\n", "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv:2:1: row has 1 fields but the header has 2`}},
		{"many problems capped", "q\n" + strings.Repeat("9\n", 80), "file = \"e.csv\"\njourney = \"storm\"\nwave = \"w\"\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\n",
			[]string{`e.csv: 30 more problems in this file not listed`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.csv != "" {
				os.WriteFile(filepath.Join(dir, "e.csv"), []byte(c.csv), 0o644)
			}
			os.WriteFile(filepath.Join(dir, "e.toml"), []byte(c.toml), 0o644)
			d := &diag.List{}
			survey.New("e.toml").Load(context.Background(), &source.Env{Root: dir, Site: testSite(), Diags: d})
			var got []string
			for _, it := range d.Items() {
				got = append(got, it.Error())
			}
			all := strings.Join(got, "\n")
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("want %q among:\n%s", w, all)
				}
			}
		})
	}
}

// TestRandomExports: random Qualtrics-shaped exports (text labels,
// missing codes, a 0..10 question, recommend, a filter, a segment,
// comments with separators, quotes and line breaks; comma, semicolon or
// tab; CRLF or LF) give, at any chunk size, the figures of the
// independent reader.
func TestRandomExports(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	labels := []string{"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"}
	for iter := range 60 {
		sep := []rune{',', ';', '\t'}[iter%3]
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = sep
		w.UseCRLF = iter%2 == 0
		w.Write([]string{"Finished", "Q1", "Q2", "Q3", "Region", "Q4"})
		w.Write([]string{"Finished", "The adviser was there", "How clear (0-10)", "Recommend?", "Region", "Anything else?"})
		w.Write([]string{`{"ImportId":"finished"}`, `{"ImportId":"QID1"}`, `{"ImportId":"QID2"}`, `{"ImportId":"QID3"}`, `{"ImportId":"QID5"}`, `{"ImportId":"QID4_TEXT"}`})
		for range 1 + rng.IntN(300) {
			row := []string{[]string{"True", "False", "1"}[rng.IntN(3)], "", "", "", "", ""}
			switch r := rng.IntN(7); {
			case r < 5:
				row[1] = labels[r]
			case r == 5:
				row[1] = "Don't know"
			}
			switch r := rng.IntN(13); {
			case r <= 10:
				row[2] = strconv.Itoa(r)
			case r == 11:
				row[2] = "-99"
			}
			if rng.IntN(5) > 0 {
				row[3] = strconv.Itoa(rng.IntN(11))
			}
			row[4] = []string{"North", "north", "South", "", "Île-de-France"}[rng.IntN(5)]
			if rng.IntN(3) == 0 {
				row[5] = []string{"ok", "a, b; c\td", "two\nlines", `say "hi"`}[rng.IntN(4)]
			}
			w.Write(row)
		}
		w.Flush()
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "e.csv"), b.Bytes(), 0o644)
		os.WriteFile(filepath.Join(dir, "e.toml"), []byte(`file = "e.csv"
journey = "storm"
wave = "2026-H1"
where = { Finished = ["1", "true"] }
segments = { region = "Region" }
[labels]
agree5 = { "Strongly disagree" = 1, "Disagree" = 2, "Neither agree nor disagree" = 3, "Agree" = 4, "Strongly agree" = 5 }
[[questions]]
column = "Q1"
touchpoint = "storm-call"
attribute = "be-there"
labels = "agree5"
missing = ["don't know"]
[[questions]]
column = "how clear (0-10)"
touchpoint = "storm-call"
attribute = "clarity"
scale = { min = 0, max = 10 }
missing = [-99]
[[questions]]
column = "Q3"
touchpoint = "storm-call"
recommend = true
[[comments]]
column = "Q4"
touchpoint = "storm-call"
`), 0o644)
		want := reference(t, refSpec{file: filepath.Join(dir, "e.csv"), sep: sep, skip: 3, segment: 4,
			keep: func(r []string) bool { return r[0] != "False" }, wave: func([]string) string { return "2026-H1" },
			qs: []refQ{
				{col: 1, key: cell("storm", "storm-call", "be-there"), labels: agree5, missing: []string{"Don't know"}, lo: 1, hi: 5},
				{col: 2, key: cell("storm", "storm-call", "clarity"), missing: []string{"-99"}, lo: 0, hi: 10},
				{col: 3, key: cell("storm", "storm-call", ""), recommend: true},
			}})
		for _, chunk := range []int{1 << 20, 16 + rng.IntN(200)} {
			d := &diag.List{}
			res := survey.New("e.toml").WithChunkSize(chunk).Load(context.Background(), &source.Env{Root: dir, Site: testSite(), Diags: d})
			if d.HasErrors() {
				t.Fatalf("iteration %d: %v", iter, d.Err())
			}
			compare(t, res, want)
		}
	}
}

// TestNoAnswersNoCell: a mapped question without answers in a wave
// (empty or missing codes only) gives no cell, so another source may
// supply it (SPEC §9).
func TestNoAnswersNoCell(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "e.csv"), []byte("w,q,r\n2026-H1,-1,4\n2026-H1,,5\n2025-H2,4,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "e.toml"), []byte("file = \"e.csv\"\njourney = \"storm\"\nwave = { column = \"w\" }\n[[questions]]\ncolumn = \"q\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\nmissing = [\"-1\"]\n[[questions]]\ncolumn = \"r\"\ntouchpoint = \"storm-call\"\nattribute = \"be-there\"\n"), 0o644)
	d := &diag.List{}
	res := survey.New("e.toml").Load(context.Background(), &source.Env{Root: dir, Site: testSite(), Diags: d})
	if d.Len() != 0 {
		t.Fatal(d.Items())
	}
	var got []string
	for k, a := range res.Data.Cells {
		got = append(got, fmt.Sprintf("%s/%s:%d", k.Wave, k.Attribute, a.N))
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "2025-H2/clarity:1 2026-H1/be-there:2" {
		t.Errorf("cells: %v", got)
	}
}
