package metrics

import "testing"

// TestSignificantChanges: only significant changes, scores apart from
// NPS, each largest |delta| first; a touchpoint counts its own.
func TestSignificantChanges(t *testing.T) {
	n := 40
	ch := func(d float64, sig bool) *Change { return &Change{From: 3, Delta: d, P: 0.01, Significant: sig} }
	rep := &Report{
		Journeys: []*JourneyReport{{ID: "j", Brand: "b", NPS: &NPSReport{Score: 10, Change: ch(-30, true)},
			Touchpoints: []*TouchpointReport{
				{ID: "t1", Owner: "o", Attributes: []*CellReport{{ID: "a", N: &n, Change: ch(0.3, true)}, {ID: "c", Change: ch(-0.9, true)}, {ID: "d", Change: ch(2, false)}},
					NPS: &NPSReport{Score: 5, Change: ch(12, true)}},
				{ID: "t2", Attributes: []*CellReport{{ID: "a", Change: ch(0.5, true)}, {ID: "c"}}},
			}}},
		Brands: []*BrandReport{{ID: "b", NPS: &NPSReport{Change: ch(50, false)}}},
	}
	scores, nps := rep.SignificantChanges()
	got := ""
	for _, m := range scores {
		got += m.Touchpoint + "/" + m.Attribute + " "
	}
	if got != "t1/c t2/a t1/a " || scores[2].N != 40 || scores[0].Owner != "o" {
		t.Errorf("scores = %q %+v", got, scores)
	}
	if len(nps) != 2 || nps[0].Touchpoint != "" || nps[0].Change.Delta != -30 || nps[1].Touchpoint != "t1" || !nps[1].NPS {
		t.Errorf("nps = %+v", nps)
	}
	if r, f := rep.Journeys[0].Touchpoints[0].Significant(); r != 2 || f != 1 {
		t.Errorf("t1 significant = %d rises, %d falls; want 2, 1", r, f)
	}
	if s, n := (*Report)(nil).SignificantChanges(); s != nil || n != nil {
		t.Error("nil report has changes")
	}
}

func TestTouchpointLowBase(t *testing.T) {
	yes, no, e := true, false, 3.0
	for _, tt := range []struct {
		cells []*CellReport
		want  bool
	}{
		{nil, false},
		{[]*CellReport{{Experience: &e, LowBase: &no}}, false},
		{[]*CellReport{{Experience: &e, LowBase: &no}, {Experience: &e, LowBase: &yes}}, true},
		{[]*CellReport{{LowBase: &yes}}, false}, // no experience: nothing rests on it
	} {
		if got := (&TouchpointReport{Attributes: tt.cells}).LowBase(); got != tt.want {
			t.Errorf("LowBase = %v, want %v", got, tt.want)
		}
	}
}
