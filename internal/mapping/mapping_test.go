package mapping_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/mapping"
	"github.com/touchstone-cx/touchstone/internal/model"
)

func testSite() *model.Site {
	b := &model.Brand{ID: "tidewell", Attributes: []*model.Attribute{{ID: "be-there"}, {ID: "clarity"}}}
	j := &model.Journey{ID: "storm", Brand: "tidewell", Touchpoints: []*model.Touchpoint{{ID: "storm-call"}, {ID: "storm-sms"}}}
	return &model.Site{Config: model.Config{Brand: "tidewell"}, Brands: []*model.Brand{b}, Journeys: []*model.Journey{j}}
}

const full = `file    = "storm-*.csv"
format  = "qualtrics"
journey = "storm"
wave    = { column = "StartDate", date_order = "mdy", ranges = { "2025-H2" = ["2025-07-01", "2025-12-31"], "2026-H1" = ["2026-01-01", "2026-06-30"] } }
respondent = "ResponseId"
weight     = "wgt"
where      = { Finished = ["1", "True"] }
segments   = { region = "Q_Region" }

[labels]
agree5 = { "Strongly disagree" = 1, "Disagree" = 2, "Neither" = 3, "Agree" = 4, "Strongly agree" = 5 }

[[questions]]
column     = "Q1_1"
touchpoint = "storm-call"
attribute  = "be-there"
labels     = "agree5"
missing    = [-1, "Don't know"]
scale      = { min = 0, max = 10 }
reverse    = true

[[questions]]
column    = "Q2"
recommend = true

[[comments]]
column     = "Q5"
touchpoint = "storm-sms"
`

func TestDecodeFull(t *testing.T) {
	var d diag.List
	m := mapping.Decode("data/surveys/s.toml", []byte(full), mapping.Options{}, &d)
	m.Check(testSite(), &d)
	if d.Len() != 0 {
		t.Fatalf("unexpected problems: %v", d.Items())
	}
	if m.File != "storm-*.csv" || m.Format != "qualtrics" || m.Journey != "storm" || m.Respondent.Name != "ResponseId" || m.Weight.Name != "wgt" {
		t.Errorf("top keys: %+v", m)
	}
	if m.Wave.Column.Name != "StartDate" || m.Wave.DateOrder != "mdy" || len(m.Wave.Ranges) != 2 || m.Wave.Ranges[0].Wave != "2025-H2" {
		t.Errorf("wave: %+v", m.Wave)
	}
	if m.Wave.Column.Pos.Line != 4 {
		t.Errorf("wave column at line %d, want 4", m.Wave.Column.Pos.Line)
	}
	if len(m.Where) != 1 || m.Where[0].Column.Name != "Finished" || strings.Join(m.Where[0].Values, ",") != "1,true" {
		t.Errorf("where: %+v", m.Where)
	}
	if len(m.Segments) != 1 || m.Segments[0].ID != "region" || m.Segments[0].Column.Name != "Q_Region" {
		t.Errorf("segments: %+v", m.Segments)
	}
	q := m.Questions[0]
	if q.Column.Name != "Q1_1" || q.Column.Pos.Line != 14 || q.Touchpoint != "storm-call" || q.Attribute != "be-there" || !q.Reverse ||
		q.Scale == nil || q.Scale.Max != 10 || !q.IsMissing("-1") || !q.IsMissing(" don't KNOW ") || q.IsMissing("0") {
		t.Errorf("question 1: %+v", q)
	}
	if v, ok := m.Labels["agree5"].Lookup(" strongly AGREE"); !ok || v != 5 {
		t.Errorf("label lookup: %v %v", v, ok)
	}
	if !m.Questions[1].Recommend || m.Questions[1].Journey != "storm" || m.Questions[1].Touchpoint != "" {
		t.Errorf("question 2: %+v", m.Questions[1])
	}
	if c := m.Comments[0]; c.Column.Name != "Q5" || c.Touchpoint != "storm-sms" || c.Journey != "storm" {
		t.Errorf("comment: %+v", c)
	}
	var cols []string
	for _, c := range m.Columns() {
		cols = append(cols, fmt.Sprintf("%s@%d", c.Name, c.Pos.Line))
	}
	if got := strings.Join(cols, " "); got != "StartDate@4 ResponseId@5 wgt@6 Finished@7 Q_Region@8 Q1_1@14 Q2@23 Q5@27" {
		t.Errorf("columns: %s", got)
	}
}

func TestProblems(t *testing.T) {
	head := "file = \"x.csv\"\njourney = \"storm\"\nwave = \"2026-H1\"\n"
	cases := []struct {
		name, src, want string
	}{
		{"unknown top key", head + "weigth = \"w\"\n", `s.toml:4:1: unknown key "weigth" (did you mean "weight"?)`},
		{"unknown question key", head + "[[questions]]\ncolumn = \"Q1\"\ntouchpoint = \"storm-call\"\natribute = \"clarity\"\n", `s.toml:7:1: unknown key "atribute" (did you mean "attribute"?)`},
		{"unknown wave key", "file = \"x.csv\"\nwave = { colum = \"W\" }\n", `unknown key "colum" (did you mean "column"?)`},
		{"unknown journey", "file = \"x.csv\"\njourney = \"strom\"\nwave = \"w\"\n", `s.toml:2:11: unknown journey "strom" (did you mean "storm"?)`},
		{"unknown touchpoint", head + "[[questions]]\ncolumn = \"Q1\"\ntouchpoint = \"storm-cal\"\nattribute = \"clarity\"\n", `s.toml:6:14: unknown touchpoint of journey "storm" "storm-cal" (did you mean "storm-call"?)`},
		{"unknown attribute", head + "[[questions]]\ncolumn = \"Q1\"\ntouchpoint = \"storm-call\"\nattribute = \"clarty\"\n", `unknown attribute of brand "tidewell" "clarty" (did you mean "clarity"?)`},
		{"unknown labels", head + "[labels]\nagree5 = { a = 1 }\n[[questions]]\ncolumn = \"Q1\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\nlabels = \"agre5\"\n", `s.toml:10:10: unknown labels "agre5" (did you mean "agree5"?)`},
		{"attribute and recommend", head + "[[questions]]\ncolumn = \"Q1\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\nrecommend = true\n", "either an attribute or recommend"},
		{"no touchpoint for attribute", head + "[[questions]]\ncolumn = \"Q1\"\nattribute = \"clarity\"\n", "needs a touchpoint"},
		{"bad format", "file = \"x.csv\"\nformat = \"qualtrix\"\nwave = \"w\"\n", `unknown format "qualtrix" (did you mean "qualtrics"?)`},
		{"missing wave", "file = \"x.csv\"\n", `missing key "wave"`},
		{"missing file", "wave = \"w\"\n", `missing key "file"`},
		{"bad range", "file = \"x.csv\"\nwave = { column = \"D\", ranges = { a = [\"2026-13-01\", \"2026-01-02\"] } }\n", `range of wave "a" must be`},
		{"overlap", "file = \"x.csv\"\nwave = { column = \"D\", ranges = { a = [\"2026-01-01\", \"2026-03-01\"], b = [\"2026-03-01\", \"2026-06-01\"] } }\n", `overlaps`},
		{"bad date order", "file = \"x.csv\"\nwave = { column = \"D\", date_order = \"ymd\" }\n", `date_order must be`},
		{"bad scale", head + "[[questions]]\ncolumn = \"Q1\"\ntouchpoint = \"storm-call\"\nattribute = \"clarity\"\nscale = { min = 5, max = 1 }\n", "scale min 5 must be below max 1"},
		{"label not number", head + "[labels]\nx = { a = \"one\" }\n", `label "a" of "x" must map to a number`},
		{"segment not slug", head + "segments = { Region = \"R\" }\n", `segment id "Region" is not a slug`},
		{"empty journey", "file = \"x.csv\"\njourney = \"\"\nwave = \"w\"\n", "journey is empty"},
		{"brand-level attribute", "file = \"x.csv\"\nwave = \"w\"\n[[questions]]\ncolumn = \"Q1\"\nattribute = \"clarity\"\n", "names no journey"},
		{"syntax", "file = \n", "s.toml:1:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d diag.List
			m := mapping.Decode("s.toml", []byte(c.src), mapping.Options{}, &d)
			if m != nil {
				m.Check(testSite(), &d)
			}
			var got []string
			for _, it := range d.Items() {
				got = append(got, it.Error())
			}
			all := strings.Join(got, "\n")
			if !strings.Contains(all, c.want) {
				t.Errorf("want %q among:\n%s", c.want, all)
			}
		})
	}
}

func TestBrandLevel(t *testing.T) {
	var d diag.List
	m := mapping.Decode("s.toml", []byte("file = \"x.csv\"\nwave = \"w\"\n[[questions]]\ncolumn = \"NPS\"\nrecommend = true\n"), mapping.Options{}, &d)
	m.Check(testSite(), &d)
	if d.Len() != 0 {
		t.Fatal(d.Items())
	}
	if q := m.Questions[0]; q.Journey != "" || q.Touchpoint != "" || m.BrandOf(testSite()) != "tidewell" {
		t.Errorf("brand-level question: %+v", q)
	}
}

func TestExtraKeys(t *testing.T) {
	var d diag.List
	src := "kind = \"postgres\"\ntable = \"t\"\nwave = \"w\"\nfile = \"x\"\n"
	mapping.Decode("s.toml", []byte(src), mapping.Options{Extra: []string{"kind", "table"}, NoFile: true}, &d)
	if d.Len() != 1 || !strings.Contains(d.Items()[0].Msg, `unknown key "file"`) {
		t.Errorf("got %v", d.Items())
	}
}

// FuzzDecode checks properties of decoding any text: no panic; every
// problem is placed in the file (a line that exists); and a mapping
// written from fuzzed names reads back with those names.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(full), "Q1_1", "Strongly agree", "storm-call")
	f.Add([]byte("file = 1\n[[questions]]\ncolumn = [\n"), "Q 1", "x", "y")
	f.Add([]byte("wave = { ranges = 3 }\nwhere = { a = {} }\n"), "", "\"", "\\")
	f.Fuzz(func(t *testing.T, src []byte, col, label, tp string) {
		var d diag.List
		m := mapping.Decode("s.toml", src, mapping.Options{}, &d)
		if m != nil {
			m.Check(testSite(), &d)
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, it := range d.Items() {
			if it.Path != "s.toml" || it.Line < 0 || it.Line > lines {
				t.Fatalf("problem placed outside the file (%d lines): %v", lines, it)
			}
		}
		// Round trip of names through a generated mapping.
		gen := fmt.Sprintf("file = \"x.csv\"\njourney = \"storm\"\nwave = \"w\"\n[labels]\nm = { %s = 4 }\n[[questions]]\ncolumn = %s\ntouchpoint = %s\nattribute = \"clarity\"\nlabels = \"m\"\n",
			strconv.Quote(label), strconv.Quote(col), strconv.Quote(tp))
		if !validTOMLString(col) || !validTOMLString(label) || !validTOMLString(tp) {
			return
		}
		var d2 diag.List
		m2 := mapping.Decode("g.toml", []byte(gen), mapping.Options{}, &d2)
		if m2 == nil {
			t.Fatalf("generated mapping does not parse: %v\n%s", d2.Items(), gen)
		}
		m2.Check(testSite(), &d2)
		q := m2.Questions[0]
		if q.Column.Name != strings.TrimSpace(col) || q.Touchpoint != strings.TrimSpace(tp) {
			t.Fatalf("names changed: %q %q", q.Column.Name, q.Touchpoint)
		}
		if v, ok := m2.Labels["m"].Lookup(strings.ToUpper(label)); !ok || v != 4 {
			if strings.ToLower(strings.ToUpper(label)) == strings.ToLower(label) {
				t.Fatalf("label %q not found back", label)
			}
		}
		badTP := strings.TrimSpace(tp) != "storm-call" && strings.TrimSpace(tp) != "storm-sms"
		reported := false
		for _, it := range d2.Items() {
			reported = reported || strings.Contains(it.Msg, "touchpoint")
		}
		if badTP != reported {
			t.Fatalf("touchpoint %q: reported=%v, problems %v", tp, reported, d2.Items())
		}
	})
}

// validTOMLString: strconv.Quote output is a valid TOML basic string
// only for text without control characters TOML forbids escaping the Go
// way (\x..) and valid UTF-8.
func validTOMLString(s string) bool {
	if !utf8Valid(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r > 0xffff && false {
			return false
		}
		if r >= 0x80 && !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
