package model

// This file holds the one currency between data sources and metrics
// (DESIGN "Part two"): mergeable sufficient statistics. A responses
// file, a survey export, a database's GROUP BY and a pull file all
// produce them; metrics turns them into means, n_eff, CIs, tests and
// drivers. Nothing downstream of a source sees a raw answer row.

// Moments are the sufficient statistics of the answers to one cell:
// the count and the weighted sums that give the mean, Kish's n_eff and
// the weighted variance of SPEC §9. Unweighted answers have w = 1.
// Two Moments add, in any order, which is what lets chunks parsed in
// parallel, several exports and database shards pool.
type Moments struct {
	N    int64   // number of answers (unweighted)
	SW   float64 // Σw
	SWX  float64 // Σw·x
	SWXX float64 // Σw·x²
	SWW  float64 // Σw²
}

// Add records one answer x with weight w.
func (m *Moments) Add(x, w float64) {
	m.N++
	m.SW += w
	m.SWX += w * x
	m.SWXX += w * x * x
	m.SWW += w * w
}

// Merge adds o's answers to m.
func (m *Moments) Merge(o Moments) {
	m.N += o.N
	m.SW += o.SW
	m.SWX += o.SWX
	m.SWXX += o.SWXX
	m.SWW += o.SWW
}

// AddNPS records one recommend answer (0..10) with weight w in c. The
// counts stay unweighted; the W fields and SWW carry the weights (equal
// to the counts when every weight is 1) so that metrics can apply §9's
// weighted NPS and Kish's n_eff.
func (c *NPSCounts) AddNPS(score int, w float64) {
	switch {
	case score >= 9:
		c.Promoters++
		c.WPromoters += w
	case score >= 7:
		c.Passives++
		c.WPassives += w
	default:
		c.Detractors++
		c.WDetractors += w
	}
	c.SWW += w * w
	if w != 1 {
		c.Weighted = true
	}
}

// Merge adds o's answers to c. Counts kept without weights (a
// responses file's: every answer weighs 1) take a weight of 1 per
// answer when they meet weighted ones, so that a pooled NPS counts
// every answer, not only the weighted source's.
func (c *NPSCounts) Merge(o NPSCounts) {
	if c.Weighted != o.Weighted {
		c.unitWeights()
		o.unitWeights()
	}
	c.Promoters += o.Promoters
	c.Passives += o.Passives
	c.Detractors += o.Detractors
	c.WPromoters += o.WPromoters
	c.WPassives += o.WPassives
	c.WDetractors += o.WDetractors
	c.SWW += o.SWW
	c.Weighted = c.Weighted || o.Weighted
}

// unitWeights gives counts that carry no weights a weight of 1 each.
func (c *NPSCounts) unitWeights() {
	if c.WPromoters == 0 && c.WPassives == 0 && c.WDetractors == 0 && c.N() > 0 {
		c.WPromoters, c.WPassives, c.WDetractors = float64(c.Promoters), float64(c.Passives), float64(c.Detractors)
		c.SWW = float64(c.N())
	}
}

// DriverSums accumulate, over complete answer rows (a respondent's row
// at a touchpoint with recommend and every attribute the journey
// promises), the weighted sums and cross-products from which metrics
// derives Pearson r and Shapley shares (SPEC §9 "Key drivers"). Vars
// are the journey's attribute ids in the journey's order, then
// "recommend" last; SS is the row-major |Vars|×|Vars| matrix of Σw·xᵢ·xⱼ.
type DriverSums struct {
	Vars []string
	N    int64
	SW   float64
	S    []float64 // Σw·xᵢ
	SS   []float64 // Σw·xᵢ·xⱼ
}

// NewDriverSums returns empty sums over vars (recommend last).
func NewDriverSums(vars []string) *DriverSums {
	k := len(vars)
	return &DriverSums{Vars: vars, S: make([]float64, k), SS: make([]float64, k*k)}
}

// Add records one complete row x (aligned with Vars) with weight w.
func (d *DriverSums) Add(x []float64, w float64) {
	d.N++
	d.SW += w
	k := len(d.Vars)
	for i := 0; i < k; i++ {
		wx := w * x[i]
		d.S[i] += wx
		row := d.SS[i*k : i*k+k]
		for j := 0; j < k; j++ {
			row[j] += wx * x[j]
		}
	}
}

// Merge adds o's rows to d; both must be over the same Vars.
func (d *DriverSums) Merge(o *DriverSums) {
	d.N += o.N
	d.SW += o.SW
	for i := range d.S {
		d.S[i] += o.S[i]
	}
	for i := range d.SS {
		d.SS[i] += o.SS[i]
	}
}

// JourneyKey names a journey in a wave (journey NPS, drivers).
type JourneyKey struct {
	Wave, Journey string
}

// BrandKey names a brand in a wave (brand NPS).
type BrandKey struct {
	Wave, Brand string
}

// Segment is the data of one value of one respondent segment (SPEC §9
// "Segments"): the same figures as the whole site's, over that value's
// respondents only. Inline experience and measures have no segments.
type Segment struct {
	ID    string // the segment's id in the mapping, e.g. "region"
	Value string // as written in the data, e.g. "North West"
	Slug  string // URL id of the value; values with one slug are one value
	Cells map[CellKey]*Cell
	NPS   map[TouchKey]*NPSCounts
	// JourneyNPS and BrandNPS are relationship NPS (recommend questions
	// without a touchpoint, or without a journey).
	JourneyNPS map[JourneyKey]*NPSCounts
	BrandNPS   map[BrandKey]*NPSCounts
	Drivers    map[JourneyKey]*DriverSums
	Verbatims  map[TouchKey]*Verbatims
}
