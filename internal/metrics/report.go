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
	// Stats are the base-size rules applied and what they dropped (§9).
	Stats *StatsReport `json:"stats,omitempty"`
	// Segments are the brands and journeys per segment value (§9).
	Segments []*SegmentReport `json:"segments,omitempty"`

	ix reportIndex // see lookup.go
}

// BrandReport is the alignment of a brand over all its journeys.
type BrandReport struct {
	ID        string   `json:"id"`
	Alignment *float64 `json:"alignment"`
	Journeys  []string `json:"journeys"`
	// Trend is the brand index per wave that has data.
	Trend []WavePoint `json:"trend,omitempty"`
	// Delta is the change since the previous wave with data, over the
	// cells present in both waves (see Change); nil when the report's
	// wave has no data or no wave before it has.
	Delta *float64 `json:"delta,omitempty"`
	// DeltaFrom is the wave Delta is measured from.
	DeltaFrom string `json:"delta_from,omitempty"`
	// Attributes are the brand-level weighted promise and experience
	// per attribute across all its journeys (radar at brand level).
	Attributes []*AttributeReport `json:"attributes,omitempty"`
	// NPS is the brand's relationship NPS (§9).
	NPS *NPSReport `json:"nps,omitempty"`
}

// WavePoint is an alignment index in one wave.
type WavePoint struct {
	Wave      string  `json:"wave"`
	Alignment float64 `json:"alignment"`
	// Delta is the change from the trend point before, over the cells
	// both waves measure; nil on the first point or with no cell shared.
	Delta *float64 `json:"delta,omitempty"`
}

// JourneyReport holds a journey's figures in the current wave.
type JourneyReport struct {
	ID          string              `json:"id"`
	Brand       string              `json:"brand"`
	Alignment   *float64            `json:"alignment"`
	Delta       *float64            `json:"delta,omitempty"`      // current − previous wave, over the cells both have
	DeltaFrom   string              `json:"delta_from,omitempty"` // the previous wave of Delta
	Trend       []WavePoint         `json:"trend"`
	Touchpoints []*TouchpointReport `json:"touchpoints"`
	Attributes  []*AttributeReport  `json:"attributes"`
	// Crosshair is where the IPA quadrants meet (x = performance, y = importance).
	Crosshair *Point `json:"crosshair,omitempty"`
	// NPS is the journey's relationship NPS; Drivers its key drivers (§9).
	NPS     *NPSReport     `json:"nps,omitempty"`
	Drivers *DriversReport `json:"drivers,omitempty"`

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
	// Gap, Status and Priority are the touchpoint's one verdict (SPEC
	// §9): Gap = Performance − Promise, Status the tolerance rule on
	// Gap, Priority the status read against importance. Every page and
	// chart shows these; Quadrant is the IPA chart's alone.
	Gap      *float64   `json:"gap,omitempty"`
	Status   string     `json:"status,omitempty"`
	Priority string     `json:"priority,omitempty"`
	NPS      *NPSReport `json:"nps,omitempty"`
	Quadrant string     `json:"quadrant,omitempty"`
	// IPAImportance is the touchpoint's derived importance on the scale
	// when [ipa] importance = "derived" placed it on the IPA (see
	// AxisImportance); absent when the stated importance did.
	IPAImportance *float64 `json:"ipa_importance,omitempty"`
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
	// NEff is Kish's effective n of weighted answers (§9); LowBase is
	// set whenever n is known; Change compares with the previous wave.
	NEff    *float64 `json:"n_eff,omitempty"`
	LowBase *bool    `json:"low_base,omitempty"`
	Change  *Change  `json:"change,omitempty"`
}

// NPSReport is a Net Promoter Score with its 95% interval.
type NPSReport struct {
	Score float64    `json:"score"`
	N     int        `json:"n"`
	CI    [2]float64 `json:"ci"`
	// NEff is set for weighted answers (§9).
	NEff    *float64 `json:"n_eff,omitempty"`
	LowBase bool     `json:"low_base"`
	Change  *Change  `json:"change,omitempty"`
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
	ID   string  `json:"id"`
	Load float64 `json:"load"` // Σ i_t·s_t over the touchpoints it owns
	// Contributed is Σ i_t·s_t over the touchpoints it contributes to
	// without owning them: a partner's share in shortfalls it does not
	// own. Omitted when it contributes to none with a shortfall figure.
	Contributed *float64 `json:"contributed,omitempty"`
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
