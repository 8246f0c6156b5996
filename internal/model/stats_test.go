package model_test

import (
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// TestNPSMergeCountsAndWeights: counts kept without weights (a
// responses file's) pooled with a weighted survey's count each answer
// with weight 1, in either order; two unweighted counts stay plain
// counts.
func TestNPSMergeCountsAndWeights(t *testing.T) {
	plain := model.NPSCounts{Promoters: 4, Passives: 1, Detractors: 2}
	var weighted model.NPSCounts
	weighted.AddNPS(10, 2)
	weighted.AddNPS(3, 0.5)
	want := model.NPSCounts{Promoters: 5, Passives: 1, Detractors: 3, WPromoters: 6, WPassives: 1, WDetractors: 2.5, SWW: 7 + 4 + 0.25, Weighted: true}
	a := plain
	a.Merge(weighted)
	b := weighted
	b.Merge(plain)
	for _, got := range []model.NPSCounts{a, b} {
		if got != want {
			t.Errorf("merged %+v, want %+v", got, want)
		}
	}
	c := plain
	c.Merge(model.NPSCounts{Promoters: 1})
	if c != (model.NPSCounts{Promoters: 5, Passives: 1, Detractors: 2}) {
		t.Errorf("two unweighted counts: %+v", c)
	}
	// Unweighted answers recorded with AddNPS already carry weight 1.
	var u model.NPSCounts
	u.AddNPS(9, 1)
	u.Merge(weighted)
	if u.WPromoters != 3 || u.SWW != 1+4+0.25 || !u.Weighted {
		t.Errorf("AddNPS(·, 1) then weighted: %+v", u)
	}
}
