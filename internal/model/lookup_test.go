package model_test

import (
	"strconv"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// TestLookupsAreKeyed: after Index, a lookup reads one element, not the
// list (a scan per touchpoint made 100,000 touchpoints quadratic); a
// list changed after Index still gives right answers.
func TestLookupsAreKeyed(t *testing.T) {
	var list []*model.Touchpoint
	for i := range 10000 {
		list = append(list, &model.Touchpoint{ID: "tp-" + strconv.Itoa(i)})
	}
	calls := 0
	key := func(tp *model.Touchpoint) string { calls++; return tp.ID }
	ix := model.IndexIDs(list, func(tp *model.Touchpoint) string { return tp.ID })
	if got := model.FindID(list, ix, "tp-9999", key); got != list[9999] || calls != 1 {
		t.Errorf("indexed lookup: %v after %d reads, want one read", got, calls)
	}
	calls = 0
	if got := model.FindID(list, nil, "tp-9999", key); got != list[9999] || calls != 10000 {
		t.Errorf("without an index: %v after %d reads", got, calls)
	}
	// Changed after indexing: moved, removed, added.
	list[0], list[9999] = list[9999], list[0]
	list = append(list, &model.Touchpoint{ID: "new"})
	for _, id := range []string{"tp-0", "tp-9999", "new", "tp-5"} {
		if got := model.FindID(list, ix, id, key); got == nil || got.ID != id {
			t.Errorf("stale index, %s: %v", id, got)
		}
	}
	if got := model.FindID(list, ix, "missing", key); got != nil {
		t.Errorf("missing: %v", got)
	}

	// Through the site.
	s := &model.Site{Journeys: []*model.Journey{{ID: "a", Touchpoints: list}, {ID: "b"}}, Actors: []*model.Actor{{ID: "x"}}}
	s.Index()
	if s.Journey("b") == nil || s.Journey("a").Touchpoint("tp-77") == nil || s.Actor("x") == nil || s.Journey("c") != nil || s.Brand("z") != nil {
		t.Error("site lookups")
	}
	// Duplicates: the first wins, as with a scan.
	d := []*model.Touchpoint{{ID: "a", Name: "1"}, {ID: "a", Name: "2"}}
	if got := model.FindID(d, model.IndexIDs(d, func(tp *model.Touchpoint) string { return tp.ID }), "a", key); got.Name != "1" {
		t.Errorf("duplicate: %s", got.Name)
	}
}
