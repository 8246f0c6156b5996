package metrics

import "github.com/touchstone-cx/touchstone/internal/model"

// Report is every computed figure of a site: the JSON export of SPEC §6
// and what pages and charts draw. Optional figures are pointers so that
// absent values are omitted, never 0.
type Report struct {
	Scale     model.Scale      `json:"scale"`
	Tolerance float64          `json:"tolerance"`
	Wave      string           `json:"wave"`
	Waves     []string         `json:"waves"`
	Brands    []*BrandReport   `json:"brands"`
	Journeys  []*JourneyReport `json:"journeys"`
	Actors    []*ActorReport   `json:"actors"`
	// Assessments are not part of SPEC §6 but of the scorecard chart.
	Assessments []*AssessmentReport `json:"assessments,omitempty"`

	ix reportIndex // see lookup.go
}

// BrandReport is the alignment of a brand over all its journeys.
type BrandReport struct {
	ID        string   `json:"id"`
	Alignment *float64 `json:"alignment"`
	Journeys  []string `json:"journeys"`
	// Trend is the brand index per wave that has data.
	Trend []WavePoint `json:"trend,omitempty"`
	// Attributes are the brand-level weighted promise and experience
	// per attribute across all its journeys (radar at brand level).
	Attributes []*AttributeReport `json:"attributes,omitempty"`
}

// WavePoint is an alignment index in one wave.
type WavePoint struct {
	Wave      string  `json:"wave"`
	Alignment float64 `json:"alignment"`
}

// JourneyReport holds a journey's figures in the current wave.
type JourneyReport struct {
	ID          string              `json:"id"`
	Brand       string              `json:"brand"`
	Alignment   *float64            `json:"alignment"`
	Delta       *float64            `json:"delta,omitempty"` // current − previous wave
	Trend       []WavePoint         `json:"trend"`
	Touchpoints []*TouchpointReport `json:"touchpoints"`
	Attributes  []*AttributeReport  `json:"attributes"`
	// Crosshair is where the IPA quadrants meet (x = performance, y = importance).
	Crosshair *Point `json:"crosshair,omitempty"`

	touchIx map[string]int // see lookup.go
}

// Point is an (x, y) pair.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// TouchpointReport holds one touchpoint's figures.
type TouchpointReport struct {
	ID          string        `json:"id"`
	Stage       string        `json:"stage"`
	Owner       string        `json:"owner"`
	Importance  float64       `json:"importance"`
	Attributes  []*CellReport `json:"attributes"`
	Alignment   *float64      `json:"alignment,omitempty"`
	Performance *float64      `json:"performance,omitempty"`
	Promise     *float64      `json:"promise,omitempty"` // weighted promise
	Shortfall   *float64      `json:"shortfall,omitempty"`
	Status      string        `json:"status,omitempty"` // worst status of its cells
	NPS         *NPSReport    `json:"nps,omitempty"`
	Quadrant    string        `json:"quadrant,omitempty"`
}

// CellReport is one attribute at one touchpoint.
type CellReport struct {
	ID         string      `json:"id"`
	Promise    *float64    `json:"promise,omitempty"`
	Experience *float64    `json:"experience,omitempty"`
	Gap        *float64    `json:"gap,omitempty"`
	Status     string      `json:"status,omitempty"`
	N          *int        `json:"n,omitempty"`
	SD         *float64    `json:"sd,omitempty"`
	CI         *[2]float64 `json:"ci,omitempty"`
}

// NPSReport is a Net Promoter Score with its 95% interval.
type NPSReport struct {
	Score float64    `json:"score"`
	N     int        `json:"n"`
	CI    [2]float64 `json:"ci"`
}

// AttributeReport is an attribute's importance-weighted figures within a
// journey (or a brand).
type AttributeReport struct {
	ID          string   `json:"id"`
	Promise     *float64 `json:"promise,omitempty"`
	Experience  *float64 `json:"experience,omitempty"`
	Consistency *float64 `json:"consistency,omitempty"`
}

// ActorReport is the shortfall load an actor carries.
type ActorReport struct {
	ID          string   `json:"id"`
	Load        float64  `json:"load"`
	Touchpoints []string `json:"touchpoints"` // "journey/touchpoint" it owns
	Contributes []string `json:"contributes,omitempty"`
}

// AssessmentReport summarises a scorecard.
type AssessmentReport struct {
	ID      string         `json:"id"`
	Pillars []PillarReport `json:"pillars"`
}

// PillarReport is the mean current and target score of a pillar.
type PillarReport struct {
	Name    string  `json:"name"`
	Current float64 `json:"current"`
	Target  float64 `json:"target"`
}
