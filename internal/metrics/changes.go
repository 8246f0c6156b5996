package metrics

import (
	"cmp"
	"math"
	"slices"
)

// Moved is one significant change of the report's wave (SPEC §9
// "Change since the previous wave"): an attribute cell of a touchpoint,
// or the NPS of a touchpoint, a journey or a brand.
type Moved struct {
	Brand      string // the brand of a brand NPS; else the journey's
	Journey    string // "" for a brand NPS
	Touchpoint string // "" for a journey or brand NPS
	Attribute  string // "" for an NPS
	Owner      string // the touchpoint's owner, "" above touchpoints
	NPS        bool   // the figure is an NPS (−100..100), not a score
	Change     Change
	N          int // answers in the report's wave
}

// SignificantChanges lists every significant change of the report's
// wave: scores (attribute cells) first, largest |delta| first, then NPS
// the same way. Scores and NPS are on different ranges, so they are
// ordered apart: one list would put every NPS move above every score.
// Low-base figures are never significant (see Change), so none is here.
func (r *Report) SignificantChanges() (scores, nps []Moved) {
	if r == nil {
		return nil, nil
	}
	for _, j := range r.Journeys {
		for _, t := range j.Touchpoints {
			for _, c := range t.Attributes {
				if c.Change != nil && c.Change.Significant {
					n := 0
					if c.N != nil {
						n = *c.N
					}
					scores = append(scores, Moved{Brand: j.Brand, Journey: j.ID, Touchpoint: t.ID, Attribute: c.ID, Owner: t.Owner, Change: *c.Change, N: n})
				}
			}
			if m, ok := npsMoved(t.NPS); ok {
				m.Brand, m.Journey, m.Touchpoint, m.Owner = j.Brand, j.ID, t.ID, t.Owner
				nps = append(nps, m)
			}
		}
		if m, ok := npsMoved(j.NPS); ok {
			m.Brand, m.Journey = j.Brand, j.ID
			nps = append(nps, m)
		}
	}
	for _, b := range r.Brands {
		if m, ok := npsMoved(b.NPS); ok {
			m.Brand = b.ID
			nps = append(nps, m)
		}
	}
	largestFirst(scores)
	largestFirst(nps)
	return scores, nps
}

func npsMoved(n *NPSReport) (Moved, bool) {
	if n == nil || n.Change == nil || !n.Change.Significant {
		return Moved{}, false
	}
	return Moved{NPS: true, Change: *n.Change, N: n.N}, true
}

// largestFirst orders by |delta|, then by place, so the order is stable
// across builds.
func largestFirst(list []Moved) {
	slices.SortStableFunc(list, func(a, b Moved) int {
		if c := cmp.Compare(math.Abs(b.Change.Delta), math.Abs(a.Change.Delta)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Journey, b.Journey), cmp.Compare(a.Touchpoint, b.Touchpoint), cmp.Compare(a.Attribute, b.Attribute))
	})
}

// Significant counts a touchpoint's significant rises and falls over
// its cells and its NPS, for tables that mark touchpoints.
func (t *TouchpointReport) Significant() (rises, falls int) {
	if t == nil {
		return 0, 0
	}
	count := func(c *Change) {
		switch {
		case c == nil || !c.Significant:
		case c.Delta > 0:
			rises++
		case c.Delta < 0:
			falls++
		}
	}
	for _, c := range t.Attributes {
		count(c.Change)
	}
	if t.NPS != nil {
		count(t.NPS.Change)
	}
	return rises, falls
}

// LowBase reports whether any measured cell of the touchpoint rests on
// fewer answers than min_base: such a touchpoint is never named a
// largest shortfall (SPEC §9 "Base sizes").
func (t *TouchpointReport) LowBase() bool {
	if t == nil {
		return false
	}
	for _, c := range t.Attributes {
		if c.Experience != nil && c.LowBase != nil && *c.LowBase {
			return true
		}
	}
	return false
}
