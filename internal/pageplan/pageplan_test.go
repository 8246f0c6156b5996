package pageplan_test

import (
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/pageplan"
)

func fixture() (*model.Site, *metrics.Report) {
	j := &model.Journey{ID: "j", Stages: []string{"S1", "S2"}, Touchpoints: []*model.Touchpoint{
		{ID: "a", Name: "A", Stage: "S1", Owner: "o", Visibility: "frontstage", Channel: "Phone", Evidence: "Letter"},
		{ID: "b", Name: "B", Stage: "S2", Owner: "p", Contributors: []string{"o"}, Visibility: "backstage"},
		{ID: "c", Name: "C", Stage: "S2", Owner: "o", Visibility: "support"},
		{ID: "d", Name: "D", Stage: "S1", Owner: "p"},
	}}
	f := func(v float64) *float64 { return &v }
	rep := &metrics.Report{Journeys: []*metrics.JourneyReport{{ID: "j", Touchpoints: []*metrics.TouchpointReport{
		{ID: "a", Importance: 4, Shortfall: f(0.5), Status: metrics.StatusOverpromised},
		{ID: "b", Importance: 2, Shortfall: f(1.5), Status: metrics.StatusOverpromised},
		// A shortfall, but aligned overall: not a "largest shortfall".
		{ID: "c", Importance: 5, Shortfall: f(0.45), Status: metrics.StatusAligned},
		{ID: "d", Importance: 1, Shortfall: f(0), Status: metrics.StatusUndersold},
	}}}}
	return &model.Site{Journeys: []*model.Journey{j}, Actors: []*model.Actor{{ID: "o", Name: "Owner"}, {ID: "p", Name: "Partner"}}}, rep
}

func TestShortfalls(t *testing.T) {
	site, rep := fixture()
	sf := pageplan.Shortfalls(site, rep, 3)
	// b: 2 × 1.5 = 3; a: 4 × 0.5 = 2; c is aligned, d has none.
	if len(sf) != 2 || sf[0].Touchpoint.ID != "b" || sf[1].Touchpoint.ID != "a" || sf[0].Owner.Name != "Partner" {
		t.Errorf("shortfalls %+v", sf)
	}
	if got := pageplan.Shortfalls(site, rep, 1); len(got) != 1 {
		t.Errorf("n = 1 gave %d", len(got))
	}
}

func TestOwners(t *testing.T) {
	site, rep := fixture()
	got := pageplan.Owners(site, rep)["o"]
	if len(got) != 3 || got[0].Touchpoint.ID != "a" || got[0].Contributor || !got[1].Contributor || got[1].Report.ID != "b" {
		t.Errorf("owned by o: %+v", got)
	}
}

func TestBlueprint(t *testing.T) {
	site, rep := fixture()
	bp := pageplan.NewBlueprint(site.Journeys[0], rep.Journeys[0])
	want := map[string][2][]string{ // lane → items at S1, S2
		"Evidence":   {{"Letter"}, nil},
		"Customer":   {{"Phone"}, nil},
		"Frontstage": {{"A", "D"}, nil},
		"Backstage":  {nil, {"B"}},
		"Support":    {nil, {"C"}},
	}
	if len(bp.Lanes) != 5 {
		t.Fatalf("%d lanes", len(bp.Lanes))
	}
	for _, l := range bp.Lanes {
		for si, items := range l.Cells {
			var names []string
			for _, it := range items {
				names = append(names, it.Text)
				if it.Text == "C" && it.Status != metrics.StatusAligned {
					t.Errorf("C has status %q, want its verdict", it.Status)
				}
			}
			w := want[l.Name][si]
			if len(names) != len(w) {
				t.Errorf("%s at %d: %v, want %v", l.Name, si, names, w)
				continue
			}
			for i := range w {
				if names[i] != w[i] {
					t.Errorf("%s at %d: %v, want %v", l.Name, si, names, w)
				}
			}
		}
	}
}
