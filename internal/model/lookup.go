package model

// Lookups by id. Sites hold tens of journeys and actors, so a scan is as
// fast as a map and keeps the types plain; every package shares these
// instead of writing its own.

// Journey returns the journey with id, or nil.
func (s *Site) Journey(id string) *Journey {
	return find(s.Journeys, id, func(j *Journey) string { return j.ID })
}

// Brand returns the brand with id, or nil.
func (s *Site) Brand(id string) *Brand {
	return find(s.Brands, id, func(b *Brand) string { return b.ID })
}

// Actor returns the actor with id, or nil.
func (s *Site) Actor(id string) *Actor {
	return find(s.Actors, id, func(a *Actor) string { return a.ID })
}

// Assessment returns the assessment with id, or nil.
func (s *Site) Assessment(id string) *Assessment {
	return find(s.Assessments, id, func(a *Assessment) string { return a.ID })
}

// JourneyIDs lists the journeys' ids in site order.
func (s *Site) JourneyIDs() []string { return ids(s.Journeys, func(j *Journey) string { return j.ID }) }

// BrandIDs lists the brands' ids in site order.
func (s *Site) BrandIDs() []string { return ids(s.Brands, func(b *Brand) string { return b.ID }) }

// ActorIDs lists the actors' ids in site order.
func (s *Site) ActorIDs() []string { return ids(s.Actors, func(a *Actor) string { return a.ID }) }

// Touchpoint returns the journey's touchpoint with id, or nil.
func (j *Journey) Touchpoint(id string) *Touchpoint {
	return find(j.Touchpoints, id, func(t *Touchpoint) string { return t.ID })
}

// Attribute returns the brand's attribute with id, or nil.
func (b *Brand) Attribute(id string) *Attribute {
	if b == nil {
		return nil
	}
	return find(b.Attributes, id, func(a *Attribute) string { return a.ID })
}

func find[T any](list []*T, id string, key func(*T) string) *T {
	for _, x := range list {
		if key(x) == id {
			return x
		}
	}
	return nil
}

func ids[T any](list []*T, key func(*T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = key(x)
	}
	return out
}
