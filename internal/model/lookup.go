package model

// Lookups by id; every package shares these instead of writing its own.
// A site may hold 100,000 touchpoints, where a scan per lookup made the
// build quadratic: Index builds maps once the lists are complete, and
// the lookups use them. A lookup the map does not answer (a list
// changed after Index, or an unknown id) falls back to a scan, so the
// answer is always right.

// Index makes the lookups of s and its journeys keyed. Call it once the
// lists are complete (load does); it is not safe while lookups run.
func (s *Site) Index() {
	s.ix = &siteIndex{
		journeys:    IndexIDs(s.Journeys, func(j *Journey) string { return j.ID }),
		brands:      IndexIDs(s.Brands, func(b *Brand) string { return b.ID }),
		actors:      IndexIDs(s.Actors, func(a *Actor) string { return a.ID }),
		assessments: IndexIDs(s.Assessments, func(a *Assessment) string { return a.ID }),
	}
	for _, j := range s.Journeys {
		j.touchIx = IndexIDs(j.Touchpoints, func(t *Touchpoint) string { return t.ID })
	}
}

type siteIndex struct {
	journeys, brands, actors, assessments map[string]int
}

func (s *Site) index() *siteIndex {
	if s.ix == nil {
		return &siteIndex{}
	}
	return s.ix
}

// Journey returns the journey with id, or nil.
func (s *Site) Journey(id string) *Journey {
	return FindID(s.Journeys, s.index().journeys, id, func(j *Journey) string { return j.ID })
}

// Brand returns the brand with id, or nil.
func (s *Site) Brand(id string) *Brand {
	return FindID(s.Brands, s.index().brands, id, func(b *Brand) string { return b.ID })
}

// Actor returns the actor with id, or nil.
func (s *Site) Actor(id string) *Actor {
	return FindID(s.Actors, s.index().actors, id, func(a *Actor) string { return a.ID })
}

// Assessment returns the assessment with id, or nil.
func (s *Site) Assessment(id string) *Assessment {
	return FindID(s.Assessments, s.index().assessments, id, func(a *Assessment) string { return a.ID })
}

// JourneyIDs lists the journeys' ids in site order.
func (s *Site) JourneyIDs() []string { return ids(s.Journeys, func(j *Journey) string { return j.ID }) }

// BrandIDs lists the brands' ids in site order.
func (s *Site) BrandIDs() []string { return ids(s.Brands, func(b *Brand) string { return b.ID }) }

// ActorIDs lists the actors' ids in site order.
func (s *Site) ActorIDs() []string { return ids(s.Actors, func(a *Actor) string { return a.ID }) }

// Touchpoint returns the journey's touchpoint with id, or nil.
func (j *Journey) Touchpoint(id string) *Touchpoint {
	return FindID(j.Touchpoints, j.touchIx, id, func(t *Touchpoint) string { return t.ID })
}

// Attribute returns the brand's attribute with id, or nil.
func (b *Brand) Attribute(id string) *Attribute {
	if b == nil {
		return nil
	}
	return find(b.Attributes, id, func(a *Attribute) string { return a.ID })
}

// IndexIDs maps each id of list to its first position.
func IndexIDs[T any](list []*T, key func(*T) string) map[string]int {
	m := make(map[string]int, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		m[key(list[i])] = i
	}
	return m
}

// FindID returns the first element of list with id: by ix, made by
// IndexIDs, when it holds id at a position that still has it; else by a
// scan.
func FindID[T any](list []*T, ix map[string]int, id string, key func(*T) string) *T {
	if i, ok := ix[id]; ok && i < len(list) && key(list[i]) == id {
		return list[i]
	}
	return find(list, id, key)
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
