package survey_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

func writeCSV(rows [][]string, sep rune) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = sep
	w.WriteAll(rows)
	return b.Bytes()
}

func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xd800+(r>>10), 0xdc00+(r&0x3ff)
			out = append(out, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// FuzzHeader: a Qualtrics header written from fuzzed ids and question
// text is recognised as Qualtrics in every encoding and separator, its
// columns read back as written (trimmed), and the first data row
// starts where it should; any other input gives a header or an error,
// never a panic, with as many columns as its first row has fields.
func FuzzHeader(f *testing.F) {
	f.Add("Q1_1", "How far do you agree?\n- Clear", "4", byte(0))
	f.Add("V1", "ResponseID", "x", byte(1))
	f.Add("a;b", "\"quoted\"", "", byte(2))
	f.Fuzz(func(t *testing.T, id, text, answer string, mode byte) {
		if !utf8.ValidString(id) || !utf8.ValidString(text) || !utf8.ValidString(answer) || strings.ContainsAny(id+text+answer, "\x00\r\ufeff") {
			return
		}
		sep := []rune{',', ';', '\t'}[int(mode)%3]
		if strings.ContainsAny(id, ",;\t") {
			return // a header line of two fields is then ambiguous
		}
		rows := [][]string{{"ResponseId", id}, {"Response ID", text}, {`{"ImportId":"_recordId"}`, `{"ImportId":"QID1"}`}, {"R_1", answer}}
		data := writeCSV(rows, sep)
		if mode&4 != 0 {
			data = utf16LE(string(data))
		} else if mode&8 != 0 {
			data = append([]byte("\xef\xbb\xbf"), data...)
		}
		h, herr := survey.ReadHeader(bytes.NewReader(data), "auto")
		if herr != nil {
			t.Fatalf("%v for %q", herr.Msg, data)
		}
		if h.Format != survey.Qualtrics {
			t.Fatalf("format %v", h.Format)
		}
		if h.Columns[1].ID != strings.TrimSpace(id) || h.Columns[1].Text != strings.TrimSpace(text) {
			t.Fatalf("columns %+v", h.Columns)
		}
		r := csv.NewReader(h.Rest)
		r.Comma = sep
		rec, err := r.Read()
		if err != nil || len(rec) != 2 || rec[1] != answer {
			t.Fatalf("first data row %q %v", rec, err)
		}
		// Arbitrary text: no panic, columns match the first row.
		if h, herr := survey.ReadHeader(strings.NewReader(id+"\n"+text), "auto"); herr == nil {
			if len(h.Columns) != len(h.Rows[0]) {
				t.Fatalf("%d columns for %d fields", len(h.Columns), len(h.Rows[0]))
			}
		}
	})
}

func TestDetect(t *testing.T) {
	cases := []struct {
		rows [][]string
		want survey.Format
	}{
		{[][]string{{"StartDate", "Q1"}, {"Start Date", "Text"}, {`{'ImportId': 'startDate'}`, `{'ImportId': 'QID1'}`}}, survey.Qualtrics},
		{[][]string{{"V1", "V2", "Q1"}, {"ResponseID", "ResponseSet", "Text"}}, survey.QualtricsLegacy},
		{[][]string{{"Respondent ID", "Q", ""}, {"", "Response", "Other"}}, survey.SurveyMonkey},
		{[][]string{{"Timestamp", "Q"}, {"4/2/2026 10:14:00", "4"}}, survey.Plain},
		{[][]string{{"respondent", "wave", "journey"}}, survey.Plain},
	}
	for _, c := range cases {
		if got := survey.Detect(c.rows); got != c.want {
			t.Errorf("%v: got %v, want %v", c.rows, got, c.want)
		}
	}
}

func TestSurveyMonkeyNames(t *testing.T) {
	cols := survey.Columns(survey.SurveyMonkey, [][]string{{"Respondent ID", "Q", "", "Region"}, {"", "A", "Response", "Response"}})
	var got []string
	for _, c := range cols {
		got = append(got, c.ID)
	}
	if strings.Join(got, "|") != "Respondent ID|Q | A|Q|Region" {
		t.Errorf("names: %q", got)
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		in    string
		comma bool
		v     float64
		ok    bool
	}{
		{"4", false, 4, true}, {"3.5", false, 3.5, true}, {".25", false, 0.25, true}, {"-1", false, -1, true}, {"3,5", true, 3.5, true},
		{"3,5", false, 0, false}, {"1e3", false, 0, false}, {"0x1p2", false, 0, false}, {"4_2", false, 0, false}, {"0_4", false, 0, false},
		{"Inf", false, 0, false}, {"NaN", false, 0, false}, {".", false, 0, false}, {"", false, 0, false}, {"4.", false, 4, true},
	} {
		v, ok := survey.Decimal([]byte(c.in), c.comma)
		if ok != c.ok || ok && v != c.v {
			t.Errorf("Decimal(%q, %v) = %v %v", c.in, c.comma, v, ok)
		}
	}
}
