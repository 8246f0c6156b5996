package metrics

import (
	"cmp"
	"slices"
	"strings"
)

// Lookups by id in a report, as model.Site has for the model: every
// package that shows figures finds them through these rather than its
// own loop. All are nil-safe and return nil when there is no figure.

// Journey returns the report of the journey with id, or nil.
func (r *Report) Journey(id string) *JourneyReport {
	if r == nil {
		return nil
	}
	return find(r.Journeys, id, func(j *JourneyReport) string { return j.ID })
}

// Brand returns the report of the brand with id, or nil.
func (r *Report) Brand(id string) *BrandReport {
	if r == nil {
		return nil
	}
	return find(r.Brands, id, func(b *BrandReport) string { return b.ID })
}

// Actor returns the load report of the actor with id, or nil.
func (r *Report) Actor(id string) *ActorReport {
	if r == nil {
		return nil
	}
	return find(r.Actors, id, func(a *ActorReport) string { return a.ID })
}

// Touchpoint returns the report of the journey's touchpoint with id, or
// nil.
func (r *JourneyReport) Touchpoint(id string) *TouchpointReport {
	if r == nil {
		return nil
	}
	return find(r.Touchpoints, id, func(t *TouchpointReport) string { return t.ID })
}

func find[T any](list []*T, id string, key func(*T) string) *T {
	for _, x := range list {
		if key(x) == id {
			return x
		}
	}
	return nil
}

// ByLoad returns the actors largest load first, then largest contributed
// shortfall, then by id: the order of every owners list a reader sees.
// The report keeps its own order (by id), so the JSON diffs well.
func (r *Report) ByLoad() []*ActorReport {
	if r == nil {
		return nil
	}
	out := slices.Clone(r.Actors)
	slices.SortStableFunc(out, func(x, y *ActorReport) int {
		if c := cmp.Compare(y.Load, x.Load); c != 0 {
			return c
		}
		if c := cmp.Compare(orZero(y.Contributed), orZero(x.Contributed)); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out
}

func orZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
