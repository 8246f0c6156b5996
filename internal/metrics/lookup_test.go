package metrics

import "testing"

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
