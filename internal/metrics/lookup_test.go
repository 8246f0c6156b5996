package metrics

import (
	"strings"
	"testing"
)

func TestLookups(t *testing.T) {
	tp := &TouchpointReport{ID: "call"}
	j := &JourneyReport{ID: "storm", Touchpoints: []*TouchpointReport{{ID: "ad"}, tp}}
	b := &BrandReport{ID: "acme"}
	a := &ActorReport{ID: "finance"}
	r := &Report{Journeys: []*JourneyReport{{ID: "billing"}, j}, Brands: []*BrandReport{b}, Actors: []*ActorReport{a}}
	var none *Report
	for _, tt := range []struct {
		name      string
		got, want any
	}{
		{"journey", r.Journey("storm"), j},
		{"touchpoint", r.Journey("storm").Touchpoint("call"), tp},
		{"brand", r.Brand("acme"), b},
		{"actor", r.Actor("finance"), a},
		{"unknown journey", r.Journey("nope"), (*JourneyReport)(nil)},
		{"touchpoint of an unknown journey", r.Journey("nope").Touchpoint("call"), (*TouchpointReport)(nil)},
		{"unknown touchpoint", j.Touchpoint("nope"), (*TouchpointReport)(nil)},
		{"nil report", none.Brand("acme"), (*BrandReport)(nil)},
		{"nil report actor", none.Actor("finance"), (*ActorReport)(nil)},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestByLoad: owners lists read largest load first, then largest
// contributed shortfall, then id; the report keeps its id order.
func TestByLoad(t *testing.T) {
	r := &Report{Actors: []*ActorReport{
		{ID: "a", Load: 1},
		{ID: "b", Load: 0, Contributed: ptr(2.0)},
		{ID: "c", Load: 3},
		{ID: "d", Load: 0},
		{ID: "e", Load: 0, Contributed: ptr(5.0)},
	}}
	var got []string
	for _, a := range r.ByLoad() {
		got = append(got, a.ID)
	}
	if strings.Join(got, " ") != "c a e b d" {
		t.Errorf("ByLoad = %v, want c a e b d", got)
	}
	if r.Actors[0].ID != "a" {
		t.Error("ByLoad reordered the report")
	}
}
