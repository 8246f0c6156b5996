package metrics

import (
	"cmp"
	"slices"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// Lookups by id in a report, as model.Site has for the model: every
// package that shows figures finds them through these rather than its
// own loop. All are nil-safe and return nil when there is no figure.

// Journey returns the report of the journey with id, or nil.
func (r *Report) Journey(id string) *JourneyReport {
	if r == nil {
		return nil
	}
	return model.FindID(r.Journeys, r.ix.journeys, id, func(j *JourneyReport) string { return j.ID })
}

// Brand returns the report of the brand with id, or nil.
func (r *Report) Brand(id string) *BrandReport {
	if r == nil {
		return nil
	}
	return model.FindID(r.Brands, r.ix.brands, id, func(b *BrandReport) string { return b.ID })
}

// Actor returns the load report of the actor with id, or nil.
func (r *Report) Actor(id string) *ActorReport {
	if r == nil {
		return nil
	}
	return model.FindID(r.Actors, r.ix.actors, id, func(a *ActorReport) string { return a.ID })
}

// Touchpoint returns the report of the journey's touchpoint with id, or
// nil.
func (r *JourneyReport) Touchpoint(id string) *TouchpointReport {
	if r == nil {
		return nil
	}
	return model.FindID(r.Touchpoints, r.touchIx, id, func(t *TouchpointReport) string { return t.ID })
}

// reportIndex keys a report's lookups (see model.Site.Index): with
// 100,000 touchpoints, a scan per lookup made the build quadratic.
type reportIndex struct {
	journeys, brands, actors map[string]int
}

// index keys the lookups of a finished report.
func (r *Report) index() {
	r.ix = reportIndex{
		journeys: model.IndexIDs(r.Journeys, func(j *JourneyReport) string { return j.ID }),
		brands:   model.IndexIDs(r.Brands, func(b *BrandReport) string { return b.ID }),
		actors:   model.IndexIDs(r.Actors, func(a *ActorReport) string { return a.ID }),
	}
	for _, j := range r.Journeys {
		j.touchIx = model.IndexIDs(j.Touchpoints, func(t *TouchpointReport) string { return t.ID })
	}
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
