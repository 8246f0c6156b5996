package charts

import (
	"slices"
	"testing"
)

// TestRegistry: every row is complete and names a type once; the pages'
// lists come from the rows.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range registry() {
		if r.name == "" || r.title == "" || r.answers == "" || r.draw == nil {
			t.Errorf("incomplete row %+v", r)
		}
		if seen[r.name] {
			t.Errorf("type %q twice", r.name)
		}
		seen[r.name] = true
		if !validID.MatchString("chart-" + r.name) {
			t.Errorf("type %q cannot be part of an element id", r.name)
		}
		if got, _ := lookup(r.name); got.name != r.name || drawer(r.name) == nil || scopeOf(r.name) != r.scope {
			t.Errorf("lookup(%q) = %+v", r.name, got)
		}
	}
	if got := OnPage("brand"); !slices.Equal(got, []string{"radar", "trend"}) {
		t.Errorf("brand page charts %v", got)
	}
	if got := OnPage("journey"); len(got) != 12 || slices.Contains(got, "scorecard") || slices.Contains(got, "segments") || !slices.Contains(got, "drivers") {
		t.Errorf("journey page charts %v", got)
	}
	if drawer("nope") != nil || knownType("") {
		t.Error("an unknown type has a row")
	}
	if d := Describe(); len(d) != len(Types()) || d[0].Scope != "a journey" || d[3].Scope != "a journey or a brand" {
		t.Errorf("Describe = %+v", d)
	}
}
