// Package model holds the domain types of a Touchstone site: brands and
// their attributes, journeys and touchpoints, actors, experience
// observations and assessments. Types only: loading lives in load,
// computation in metrics.
package model

// Pos places a value in a source file so diagnostics can point at it.
// Path is relative to the site root; Line and Col are 1-based (0 = unknown).
type Pos struct {
	Path string
	Line int
	Col  int
}

// Scale is the closed range on which promise, experience and importance
// are expressed.
type Scale struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Span is Max − Min, the S of the formulas.
func (s Scale) Span() float64 { return s.Max - s.Min }

// Mid is the scale midpoint, the default importance and IPA crosshair.
func (s Scale) Mid() float64 { return (s.Min + s.Max) / 2 }

// Config is site.toml after defaults have been applied.
type Config struct {
	Title     string
	BaseURL   string
	Theme     string
	Brand     string   // default brand id
	Waves     []string // declared order, empty when undeclared
	Scale     Scale
	Tolerance float64
	Crosshair string // "mean" or "midpoint"
	// Importance is what places touchpoints on the IPA: "stated" (the
	// default, their importance) or "derived" (key drivers, SPEC §9).
	Importance string
	Stats      StatsConfig
	Output     string
	Unsafe     bool   // raw HTML in markdown
	CSVSep     string // "" = detect
	Params     map[string]any
	// Portable builds links to …/index.html and embed the search index,
	// so the output works opened from disk (SPEC §11).
	Portable bool
	// Paper is the print paper size, "A4" or "Letter" ([print] paper).
	Paper string
	// PrintTouchpoints puts touchpoint pages in the print document.
	PrintTouchpoints bool
	Pos              map[string]Pos // where each key was set, for diagnostics
}

// StatsConfig is [stats] of site.toml (SPEC §9 "Base sizes"). Zero
// values mean off: no low-base flags, no suppression; a Confidence
// outside (0, 1) means the default 0.95.
type StatsConfig struct {
	MinBase       int     // n below this is low-base
	SuppressBelow int     // n below this is dropped as if no data
	Confidence    float64 // significance level is 1 − Confidence
}

// Site is everything read from a site folder, ready for metrics.
type Site struct {
	Root        string
	Config      Config
	Brands      []*Brand // in file-name order
	Journeys    []*Journey
	Actors      []*Actor
	Assessments []*Assessment
	// Waves is the resolved order of survey waves; the last is current.
	Waves []string
	// Cells holds the experience observed per wave, journey, touchpoint
	// and attribute, from whichever single source supplied it.
	Cells map[CellKey]*Cell
	// NPS holds recommend answers per wave, journey and touchpoint.
	NPS map[TouchKey]*NPSCounts
	// Verbatims are free-text comments per wave, journey and touchpoint.
	Verbatims map[TouchKey]*Verbatims
	// JourneyNPS and BrandNPS are relationship NPS: recommend answers
	// without a touchpoint (journey) or without a journey (brand).
	JourneyNPS map[JourneyKey]*NPSCounts
	BrandNPS   map[BrandKey]*NPSCounts
	// Drivers are the key-driver sums per journey and wave (SPEC §9).
	Drivers map[JourneyKey]*DriverSums
	// Segments hold the same data per segment value, in a stable order
	// (segment id, then value as first seen).
	Segments []*Segment
	// Pulls say where and when data of database sources was fetched, for
	// the methodology footer (SPEC §10).
	Pulls []Pull

	ix *siteIndex // see Index
}

// Pull records one database source's statistics read from a pull file.
type Pull struct {
	Source string // the source id (data/sources/<id>.toml)
	Where  string // the database, as host/dbname, never with a password
	When   string // RFC 3339 time of the pull
}

// Brand is one data/brands/<id>.toml.
type Brand struct {
	ID         string
	Name       string
	Promise    string
	Essence    string
	Values     []string
	Attributes []*Attribute
	Personas   []*Persona
	Pos        Pos
}

// Attribute is a promise a brand makes, weighted relative to the others.
type Attribute struct {
	ID          string
	Name        string
	Description string
	Weight      float64
	Pos         Pos
}

// Persona is a customer archetype with needs.
type Persona struct {
	ID    string
	Name  string
	Needs []string
	Pos   Pos
}

// Journey is one data/journeys/<id>.toml: ordered stages and the
// touchpoints along them.
type Journey struct {
	ID          string
	Title       string
	Brand       string
	Persona     string
	Description string
	Stages      []string
	Touchpoints []*Touchpoint // in stage order, file order within a stage
	Pos         Pos

	touchIx map[string]int // see Site.Index
}

// Touchpoint is where a customer meets the brand.
type Touchpoint struct {
	ID           string
	Name         string
	Stage        string
	Channel      string
	Owner        string
	Contributors []string
	Visibility   string // frontstage | backstage | support
	Evidence     string
	Description  string
	Importance   float64
	Emotion      *float64
	// Promise is the expectation the brand sets, per attribute id.
	Promise map[string]float64
	// PromiseOrder keeps the attributes in the order they were written.
	PromiseOrder []string
	Pos          Pos
}

// Actor is a department, partner or customer segment in the ecosystem.
type Actor struct {
	ID          string
	Name        string
	Kind        string // department | partner | customer
	Role        string // frontstage | backstage
	Description string
	Pos         Pos
}

// Assessment is a scorecard such as an alignment-maturity self-assessment.
type Assessment struct {
	ID      string
	Title   string
	Scale   Scale
	Pillars []*Pillar
	Pos     Pos
}

// Pillar groups criteria of an assessment.
type Pillar struct {
	Name     string
	Criteria []*Criterion
}

// Criterion is one scored line of an assessment.
type Criterion struct {
	Name    string
	Current float64
	Target  float64
	Pos     Pos
}

// TouchKey names a touchpoint in a wave.
type TouchKey struct {
	Wave, Journey, Touchpoint string
}

// CellKey names one experience cell.
type CellKey struct {
	Wave, Journey, Touchpoint, Attribute string
}

// Cell is the experience measured for one CellKey.
type Cell struct {
	Mean float64
	// N and SD are known when HasStats; they give the confidence interval.
	N        int
	SD       float64
	HasStats bool
	// NEff is Kish's effective sample size (SPEC §9); it equals N for
	// unweighted answers, and SD is then the weighted s of §9.
	NEff     float64
	Weighted bool
	// Source is where the cell came from: the inline experience, the
	// measures row, or the first response row that contributed.
	Source Pos
	Kind   Source
}

// Source says which kind of input supplied a cell.
type Source int

// The kinds of experience source.
const (
	FromInline Source = iota
	FromMeasures
	FromResponses
	FromSurvey // a survey export read through a mapping (SPEC §8)
)

// NPSCounts are tallies of recommend answers (0..10). The counts are
// unweighted; when Weighted, the W fields are the weighted class sums
// and SWW is Σw², for SPEC §9's weighted NPS (see AddNPS). Unweighted
// tallies may leave the W fields zero.
type NPSCounts struct {
	Promoters, Passives, Detractors    int
	WPromoters, WPassives, WDetractors float64
	SWW                                float64
	Weighted                           bool
}

// N is the number of answers.
func (c NPSCounts) N() int { return c.Promoters + c.Passives + c.Detractors }

// Verbatims keeps the first comments for a touchpoint in a wave and the
// total count, so a million-row export stays in bounded memory.
type Verbatims struct {
	Total    int
	Comments []Verbatim
}

// Verbatim is one free-text survey comment.
type Verbatim struct {
	Respondent string
	Text       string
	Recommend  *int
	Pos        Pos
}
