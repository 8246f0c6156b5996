package markdown

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		fm       string
		body     string
		bodyLine int
		errLine  int // 0: no error
		errHas   string
	}{
		{name: "none", src: "# Hi\n", body: "# Hi\n", bodyLine: 1},
		{name: "empty file", src: "", body: "", bodyLine: 1},
		{name: "basic", src: "+++\ntitle = \"x\"\n+++\n# Hi\n", fm: "title = \"x\"\n", body: "# Hi\n", bodyLine: 4},
		{name: "bom", src: "\xEF\xBB\xBF+++\ntitle = \"x\"\n+++\nbody", fm: "title = \"x\"\n", body: "body", bodyLine: 4},
		{name: "crlf", src: "+++\r\ntitle = \"x\"\r\n+++\r\na\r\nb\r\n", fm: "title = \"x\"\r\n", body: "a\nb\n", bodyLine: 4},
		{name: "trailing spaces on delimiters", src: "+++  \na = 1\n+++\t\nx", fm: "a = 1\n", body: "x", bodyLine: 4},
		{name: "empty front matter", src: "+++\n+++\nx", fm: "", body: "x", bodyLine: 3},
		{name: "closing at end of file", src: "+++\na = 1\n+++", fm: "a = 1\n", body: "", bodyLine: 4},
		{name: "several lines", src: "+++\na = 1\nb = 2\n\nc = 3\n+++\n\n# T\n", fm: "a = 1\nb = 2\n\nc = 3\n", body: "\n# T\n", bodyLine: 7},
		{name: "plus in text is not front matter", src: "++++\nx", body: "++++\nx", bodyLine: 1},
		{name: "not at start", src: "\n+++\na = 1\n+++\n", body: "\n+++\na = 1\n+++\n", bodyLine: 1},
		{name: "unclosed", src: "+++\ntitle = \"x\"\n# Hi\n", errLine: 1, errHas: "never closed"},
		{name: "yaml", src: "---\ntitle: x\n---\n", errLine: 1, errHas: "TOML between +++"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, line, err := SplitFrontMatter([]byte(tt.src))
			if tt.errLine > 0 {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("err = %v, want *Error", err)
				}
				if e.Line != tt.errLine || !strings.Contains(e.Msg, tt.errHas) {
					t.Fatalf("err = %v, want line %d containing %q", e, tt.errLine, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(fm) != tt.fm || string(body) != tt.body || line != tt.bodyLine {
				t.Fatalf("got fm %q body %q line %d, want %q %q %d", fm, body, line, tt.fm, tt.body, tt.bodyLine)
			}
			if tt.fm == "" && tt.bodyLine == 1 && fm != nil {
				t.Fatalf("fm = %q, want nil without front matter", fm)
			}
		})
	}
}

func TestParseFrontMatter(t *testing.T) {
	full := `title = "Onboarding — what we promised"
date = 2026-03-01
draft = true
weight = -3
summary = "Where the promise breaks."
journey = "onboarding"
brand = "northwind"
tags = ["billing", "onboarding"]
layout = "wide"
[params]
hero = "img/x.png"
n = 2
`
	tests := []struct {
		name string
		fm   string
		want FrontMatter
	}{
		{name: "all keys", fm: full, want: FrontMatter{
			Title: "Onboarding — what we promised", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			Draft: true, Weight: -3, Summary: "Where the promise breaks.", Journey: "onboarding",
			Brand: "northwind", Tags: []string{"billing", "onboarding"}, Layout: "wide",
			Params: map[string]any{"hero": "img/x.png", "n": int64(2)},
		}},
		{name: "date string", fm: "title = \"x\"\ndate = \"2026-03-01\"", want: FrontMatter{Title: "x", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}},
		{name: "local datetime", fm: "title = \"x\"\ndate = 2026-03-01T10:30:00", want: FrontMatter{Title: "x", Date: time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)}},
		{name: "offset datetime", fm: "title = \"x\"\ndate = 2026-03-01T10:30:00Z", want: FrontMatter{Title: "x", Date: time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)}},
		{name: "single tag string", fm: "title = \"x\"\ntags = \"cx\"", want: FrontMatter{Title: "x", Tags: []string{"cx"}}},
		{name: "dotted params", fm: "title = \"x\"\nparams.colour = \"red\"", want: FrontMatter{Title: "x", Params: map[string]any{"colour": "red"}}},
		{name: "crlf", fm: "title = \"x\"\r\nweight = 2\r\n", want: FrontMatter{Title: "x", Weight: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFrontMatter([]byte(tt.fm), 2)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Date.Equal(tt.want.Date) {
				t.Fatalf("date = %v, want %v", got.Date, tt.want.Date)
			}
			got.Date, tt.want.Date = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseFrontMatterErrors(t *testing.T) {
	type pos struct {
		line, col int
		has       string
	}
	tests := []struct {
		name      string
		fm        string
		firstLine int
		want      []pos
	}{
		{name: "missing title", fm: "draft = true\n", firstLine: 2, want: []pos{{1, 1, "missing title"}}},
		{name: "no front matter at all", fm: "", firstLine: 1, want: []pos{{1, 1, "missing title"}}},
		{name: "empty title", fm: "draft = false\ntitle = \"  \"\n", firstLine: 2, want: []pos{{3, 1, "missing title"}}},
		{name: "unknown key suggests", fm: "title = \"x\"\n\n  titel = \"y\"\n", firstLine: 2, want: []pos{{4, 3, `unknown front matter key "titel" (did you mean "title"?)`}}},
		{name: "unknown key lists", fm: "title = \"x\"\nzzzzzz = 1\n", firstLine: 2, want: []pos{{3, 1, `"zzzzzz" (valid: "title"`}}},
		{name: "unknown table", fm: "title = \"x\"\n[param]\na = 1\n", firstLine: 2, want: []pos{{3, 1, `did you mean "params"`}}},
		{name: "unknown quoted key", fm: "title = \"x\"\n\"jouney\" = \"a\"\n", firstLine: 2, want: []pos{{3, 1, `did you mean "journey"`}}},
		{name: "several at once", fm: "titl = \"x\"\ndraft = \"yes\"\nweight = 1.5\ntags = [1, 2]\n", firstLine: 2, want: []pos{
			{1, 1, "missing title"}, {2, 1, `did you mean "title"`}, {3, 1, "draft must be true or false, not a string"},
			{4, 1, "weight must be an integer, not a float"}, {5, 1, "tags must be an array of strings"},
		}},
		{name: "title not a string", fm: "title = 3\n", firstLine: 2, want: []pos{{2, 1, "title must be a string, not an integer"}}},
		{name: "bad date string", fm: "title = \"x\"\ndate = \"March\"\n", firstLine: 2, want: []pos{{3, 1, `date "March" is not a date`}}},
		{name: "time only", fm: "title = \"x\"\ndate = 10:30:00\n", firstLine: 2, want: []pos{{3, 1, "only a time of day"}}},
		{name: "params not a table", fm: "title = \"x\"\nparams = 1\n", firstLine: 2, want: []pos{{3, 1, "params must be a table"}}},
		{name: "key in multi-line string is not a key", fm: "title = \"x\"\nsummary = \"\"\"\ntitel = 1\n\"\"\"\nbrnd = \"a\"\n", firstLine: 2, want: []pos{{6, 1, `did you mean "brand"`}}},
		{name: "syntax error offset by first line", fm: "title = \"x\"\ndraft = \n", firstLine: 2, want: []pos{{3, 0, "front matter:"}}},
		{name: "syntax error column", fm: "title = \"x\"\nweight = 1x\n", firstLine: 5, want: []pos{{6, 0, "front matter:"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFrontMatter([]byte(tt.fm), tt.firstLine)
			if err == nil {
				t.Fatal("no error")
			}
			var got []*Error
			var list ErrorList
			var single *Error
			switch {
			case errors.As(err, &list):
				got = list
			case errors.As(err, &single):
				got = []*Error{single}
			default:
				t.Fatalf("err %T %v is not positioned", err, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				g := got[i]
				// col 0 in a want: any column, but there must be one.
				if g.Line != w.line || (w.col != 0 && g.Col != w.col) || (w.col == 0 && g.Col < 1) || !strings.Contains(g.Msg, w.has) {
					t.Errorf("error %d = %d:%d %q, want %d:%d containing %q", i, g.Line, g.Col, g.Msg, w.line, w.col, w.has)
				}
			}
		})
	}
}

// errors.As with an *Error target must see into an ErrorList, so a
// caller that only wants the first place gets it.
func TestErrorListAs(t *testing.T) {
	_, err := ParseFrontMatter([]byte("titl = 1\n"), 2)
	var e *Error
	if !errors.As(err, &e) || e.Line != 1 {
		t.Fatalf("errors.As(%v) = %v", err, e)
	}
	if !strings.Contains(err.Error(), "1:1: missing title\n2:1: unknown") {
		t.Fatalf("Error() = %q", err.Error())
	}
}

// Front matter is placed by tomlpos like every other TOML input: keys
// written quoted, dotted, as table headers or after a multi-line string
// are found where they are written, with CR LF lines as with LF.
func TestFrontMatterKeyPlaces(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		fm := strings.ReplaceAll("# comment\ntitle = \"a\"\n  \"quoted key\" = 1\nsummary = '''\nfake = 1\n'''\n[[arr]]\nx = 1\n[ tbl . sub ]\n", "\n", eol)
		_, err := ParseFrontMatter([]byte(fm), 2)
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("%q: %v, want an ErrorList", eol, err)
		}
		var got []string
		for _, e := range list {
			got = append(got, fmt.Sprintf("%d:%d", e.Line, e.Col))
		}
		// quoted key on file line 4 col 3; [[arr]] on 8; [ tbl . sub ] on 10.
		if want := []string{"4:3", "8:1", "10:1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("%q: unknown keys placed at %v, want %v (%v)", eol, got, want, err)
		}
	}
}

// A syntax error in a page saved on Windows is placed on its own line,
// not one short (BurntSushi/toml counts a CR LF's CR on the line before).
func TestFrontMatterSyntaxErrorCRLF(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		fm := strings.ReplaceAll("title = \"a\"\nsummary = \"never closed\ndate = 2026-01-01\n", "\n", eol)
		_, err := ParseFrontMatter([]byte(fm), 2)
		var e *Error
		if !errors.As(err, &e) || e.Line != 3 {
			t.Errorf("%q: error %v, want it on file line 3", eol, err)
		}
	}
}
