package metrics

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
