package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	cands := []string{"be-there", "clarity", "fair", "ad", "invoice"}
	for _, tt := range []struct{ name, want string }{
		{"be-ther", "be-there"},
		{"Be-There", "be-there"},
		{"clarty", "clarity"},
		{"calrity", "clarity"}, // a swap is one typo
		{"advert", "ad"},       // a prefix
		{"zzzzzz", ""},
		{"fiar", "fair"},
	} {
		if got := Suggest(tt.name, cands); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Path: "a.toml", Line: 3, Col: 7, Msg: "m"}, "a.toml:3:7: m"},
		{Diagnostic{Path: "a.toml", Line: 3, Msg: "m"}, "a.toml:3: m"},
		{Diagnostic{Path: "a.toml", Msg: "m"}, "a.toml: m"},
		{Diagnostic{Path: "a.toml", Line: 1, Col: 1, Severity: Warning, Msg: "m"}, "a.toml:1:1: warning: m"},
	} {
		if got := tt.d.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestListSortsAndFails(t *testing.T) {
	var l List
	l.Warnf("b", 1, 1, "w")
	if l.Err() != nil {
		t.Error("warnings alone fail")
	}
	l.Errorf("b", 2, 1, "e")
	l.Errorf("a", 9, 1, "e")
	items := l.Items()
	if items[0].Path != "a" || items[1].Line != 1 || items[2].Line != 2 {
		t.Errorf("not sorted: %v", items)
	}
	if l.Err() == nil {
		t.Error("errors do not fail")
	}
}

func TestUnknown(t *testing.T) {
	if got := Unknown("actor", "x", []string{"marketing", "finance"}); got != `unknown actor "x" (valid: "marketing", "finance")` {
		t.Errorf("got %s", got)
	}
}

// A diagnostic returned by a parser of part of a file has no path: it is
// placed in the caller's file, whether it comes as a value, a pointer,
// wrapped, or one of several; one with a path of its own keeps it.
func TestAddErrorPlacesUnplaced(t *testing.T) {
	var l List
	l.AddError("content/a.md", &Diagnostic{Line: 3, Col: 2, Msg: "pointer"})
	l.AddError("content/a.md", fmt.Errorf("wrapped: %w", Diagnostic{Line: 4, Msg: "value"}))
	l.AddError("content/a.md", errors.Join(&Diagnostic{Line: 5, Msg: "joined"}, Diagnostic{Path: "data/x.toml", Line: 1, Msg: "own"}))
	l.AddError("content/a.md", errors.New("plain"))
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.Error())
	}
	want := []string{"content/a.md: plain", "content/a.md:3:2: pointer", "content/a.md:4: value", "content/a.md:5: joined", "data/x.toml:1: own"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if s := (Diagnostic{Line: 2, Col: 7, Msg: "m"}).Error(); s != "2:7: m" {
		t.Errorf("an unplaced diagnostic reads %q, want %q", s, "2:7: m")
	}
}
