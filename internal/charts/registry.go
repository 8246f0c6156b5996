package charts

// The chart-type registry: one row per type with everything the package
// and its readers know about it. Adding a chart type is a row here and a
// file with its draw function (and their tests); parsing, resolving,
// rendering, the generated pages' chart lists and the docs' list of
// types all read this table.

// chartType is one row of the registry.
type chartType struct {
	name    string
	scope   scope
	title   string // default title; ": " and what it is of follow
	answers string // the question it answers, as the docs list it
	draw    func(*input) (*drawing, error)
	// pages are the generated pages that show it: "journey" dashboards
	// and "brand" pages, in registry order.
	pages []string
}

// registry returns the table in the order of SPEC §3. A function, not a
// package variable: nothing can change it.
func registry() []chartType {
	return []chartType{
		{name: "heatmap", scope: perJourney, draw: drawHeatmap, pages: []string{"journey"},
			title:   "Where experience meets the promise",
			answers: "Where, and on which promise, does experience part from the promise?"},
		{name: "gap", scope: perJourney, draw: drawGap, pages: []string{"journey"},
			title:   "Promise and experience by touchpoint",
			answers: "Which touchpoints fall furthest short?"},
		{name: "journey", scope: perJourney, draw: drawJourney, pages: []string{"journey"},
			title:   "Promise, experience and emotion along the journey",
			answers: "How does the experience rise and fall along the journey?"},
		{name: "radar", scope: journeyOrBrand, draw: drawRadar, pages: []string{"journey", "brand"},
			title:   "Brand attributes, promise and experience",
			answers: "Which promises does the brand keep, overall?"},
		{name: "ipa", scope: perJourney, draw: drawIPA, pages: []string{"journey"},
			title:   "Importance and performance",
			answers: "Where should effort go first?"},
		{name: "ecosystem", scope: journeyOrSite, draw: drawEcosystem, pages: []string{"journey"},
			title:   "Who shapes each touchpoint",
			answers: "Who stands behind each touchpoint?"},
		{name: "sankey", scope: perJourney, draw: drawSankey, pages: []string{"journey"},
			title:   "From owner to touchpoint to stage",
			answers: "How is responsibility for what matters spread?"},
		{name: "trend", scope: journeyOrBrand, draw: drawTrend, pages: []string{"journey", "brand"},
			title:   "Alignment index by wave",
			answers: "Is alignment improving between waves?"},
		{name: "consistency", scope: perJourney, draw: drawConsistency, pages: []string{"journey"},
			title:   "Consistency of experience across touchpoints",
			answers: "Is each promise kept evenly, or only in places?"},
		{name: "nps", scope: perJourney, draw: drawNPS, pages: []string{"journey"},
			title:   "Net Promoter Score by touchpoint",
			answers: "Where do customers turn into promoters or detractors?"},
		{name: "owners", scope: journeyOrSite, draw: drawOwners, pages: []string{"journey"},
			title:   "Shortfall load by owner",
			answers: "Which team or partner carries the most shortfall?"},
		{name: "scorecard", scope: perAssessment, draw: drawScorecard,
			title:   "Assessment: current and target",
			answers: "How mature is the organisation, against its target?"},
		// SPEC §9: drawn on a journey's dashboard when it has drivers.
		{name: "drivers", scope: perJourney, draw: drawDrivers, pages: []string{"journey"},
			title:   "Key drivers of recommending",
			answers: "Which promises move customers to recommend?"},
		// SPEC §9: placed by chart blocks (and segment pages' authors).
		{name: "segments", scope: perJourney, draw: drawSegments,
			title:   "One figure across a segment's values",
			answers: "Do customer segments meet the brand differently?"},
	}
}

// lookup returns the registry row of a type.
func lookup(name string) (chartType, bool) {
	for _, t := range registry() {
		if t.name == name {
			return t, true
		}
	}
	return chartType{}, false
}

// Types lists the chart types in registry order (SPEC §3). It returns a
// fresh slice so that no caller can change the package's idea of them.
func Types() []string {
	reg := registry()
	out := make([]string, len(reg))
	for i, t := range reg {
		out[i] = t.name
	}
	return out
}

func knownType(t string) bool {
	_, ok := lookup(t)
	return ok
}

// scopeOf is what a type draws from; an unknown type is per journey,
// the strictest, and fails elsewhere.
func scopeOf(typ string) scope {
	t, _ := lookup(typ)
	return t.scope
}

// drawer returns the function that draws a chart type, nil if unknown.
func drawer(typ string) func(*input) (*drawing, error) {
	t, _ := lookup(typ)
	return t.draw
}

// OnPage lists, in registry order, the chart types a generated page of
// kind ("journey" or "brand") draws.
func OnPage(kind string) []string {
	var out []string
	for _, t := range registry() {
		for _, p := range t.pages {
			if p == kind {
				out = append(out, t.name)
			}
		}
	}
	return out
}

// TypeInfo describes a chart type for readers: the docs' list of types
// is checked against it.
type TypeInfo struct {
	Name    string
	Answers string // the question it answers
	Scope   string // what it is drawn for, in words
}

// Describe lists every chart type for readers, in registry order.
func Describe() []TypeInfo {
	reg := registry()
	out := make([]TypeInfo, len(reg))
	for i, t := range reg {
		out[i] = TypeInfo{Name: t.name, Answers: t.answers, Scope: t.scope.String()}
	}
	return out
}

// String says what a scope draws from, as the docs list it.
func (s scope) String() string {
	switch s {
	case journeyOrBrand:
		return "a journey or a brand"
	case journeyOrSite:
		return "a journey or the site"
	case perAssessment:
		return "an assessment"
	}
	return "a journey"
}
