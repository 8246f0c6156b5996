// Package source is the seam between where survey answers live (response
// files, survey exports, database tables, pull files) and the site
// model. Each kind of source is one package implementing Source (in the
// litestream style: an interface here, one package per implementation);
// load asks every source for its Result and pools them, checking that a
// cell has one source only. A Result holds mergeable sufficient
// statistics (model.Moments and friends), never raw answer rows, so
// memory does not grow with rows and a database can do the work.
package source

import (
	"context"
	"maps"
	"math"
	"math/big"
	"slices"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Source is one place survey answers come from.
type Source interface {
	// Path is the file that declares the source (a mapping, a source
	// file, a responses CSV), relative to the site root and
	// slash-separated: where its problems are placed.
	Path() string
	// Load reads the source. Problems go to env.Diags, positioned; the
	// Result holds whatever could be read.
	Load(ctx context.Context, env *Env) *Result
}

// Env is what a source may use while it loads. Site has its config,
// brands, journeys and actors loaded and must be treated as read-only.
type Env struct {
	Root  string
	Site  *model.Site
	Diags *diag.List
	// Broken reports a brand or journey file that failed to decode
	// (kind "brand" or "journey"); what refers to it is not checked
	// further, so one syntax error does not bury itself under a cascade
	// of "unknown" messages. Nil: nothing is broken.
	Broken func(kind, id string) bool
}

// IsBroken reports whether the file of kind and id failed to decode.
func (e *Env) IsBroken(kind, id string) bool { return e.Broken != nil && e.Broken(kind, id) }

// SegmentValue names one value of one respondent segment.
type SegmentValue struct {
	Segment, Value string
}

// Acc is one cell's accumulated answers and where the first came from.
// Exact, when set, holds the same answers summed without rounding (a
// responses file's, all unweighted): Cell takes its figures.
type Acc struct {
	model.Moments
	First model.Pos
	Exact *Exact
}

// Data is one population's statistics: everyone's, or one segment
// value's.
type Data struct {
	Cells      map[model.CellKey]*Acc
	NPS        map[model.TouchKey]*model.NPSCounts
	JourneyNPS map[model.JourneyKey]*model.NPSCounts
	BrandNPS   map[model.BrandKey]*model.NPSCounts
	Drivers    map[model.JourneyKey]*model.DriverSums
	Verbatims  map[model.TouchKey]*model.Verbatims
}

// NewData returns empty, ready-to-fill Data.
func NewData() *Data {
	return &Data{
		Cells:      map[model.CellKey]*Acc{},
		NPS:        map[model.TouchKey]*model.NPSCounts{},
		JourneyNPS: map[model.JourneyKey]*model.NPSCounts{},
		BrandNPS:   map[model.BrandKey]*model.NPSCounts{},
		Drivers:    map[model.JourneyKey]*model.DriverSums{},
		Verbatims:  map[model.TouchKey]*model.Verbatims{},
	}
}

// Result is what one source yields.
type Result struct {
	// Kind says which kind of input supplied the cells (for messages and
	// the methodology note).
	Kind model.Source
	Data *Data
	// Segments hold the same statistics per segment value; Order lists
	// the values in a stable order (segment, then first seen).
	Segments map[SegmentValue]*Data
	Order    []SegmentValue
	// Inputs are every file the source read, relative to the site root:
	// an edit to one of them is a data edit for build and serve.
	Inputs []string
	// Pull is set when the statistics came from a pull file.
	Pull *model.Pull
	// Waves are the waves the source's data names, each with the first
	// place it was seen (a row of an export, a mapping's wave key), so
	// load can report a wave site.toml does not declare.
	Waves map[string]model.Pos
}

// SeeWave records a wave the data names, keeping its first place.
func (r *Result) SeeWave(w string, pos model.Pos) {
	if r.Waves == nil {
		r.Waves = map[string]model.Pos{}
	}
	if _, ok := r.Waves[w]; !ok {
		r.Waves[w] = pos
	}
}

// DriverVars are the variables of a journey's key-driver sums (SPEC §9):
// the attributes its touchpoints promise, in the brand's order (else
// first written), then "recommend" last.
func DriverVars(j *model.Journey, b *model.Brand) []string {
	promised := map[string]bool{}
	var order []string
	for _, t := range j.Touchpoints {
		for _, a := range t.PromiseOrder {
			if !promised[a] {
				promised[a] = true
				order = append(order, a)
			}
		}
		for _, a := range slices.Sorted(maps.Keys(t.Promise)) {
			if !promised[a] {
				promised[a] = true
				order = append(order, a)
			}
		}
	}
	var vars []string
	if b != nil {
		for _, a := range b.Attributes {
			if promised[a.ID] {
				vars = append(vars, a.ID)
				delete(promised, a.ID)
			}
		}
	}
	for _, a := range order {
		if promised[a] {
			vars = append(vars, a)
		}
	}
	if len(vars) == 0 {
		return nil
	}
	return append(vars, "recommend")
}

// NewResult returns an empty Result of the given kind.
func NewResult(kind model.Source) *Result {
	return &Result{Kind: kind, Data: NewData(), Segments: map[SegmentValue]*Data{}}
}

// Segment returns the Data of one segment value, creating it on first use.
func (r *Result) Segment(v SegmentValue) *Data {
	d, ok := r.Segments[v]
	if !ok {
		d = NewData()
		r.Segments[v] = d
		r.Order = append(r.Order, v)
	}
	return d
}

// Cell turns accumulated answers into a model cell with SPEC §9's
// figures: the weighted mean, n (the count of answers), Kish's n_eff
// and the weighted s, which with all weights 1 are exactly §5's mean,
// n and sample sd. A cell of one answer has no sd.
func (a *Acc) Cell(kind model.Source) *model.Cell {
	if e := a.Exact; e != nil {
		// The exact sums: the figures a responses file has always given.
		mean, m2 := e.Stats()
		c := &model.Cell{Mean: mean, N: e.Count(), Source: a.First, Kind: kind, HasStats: true}
		if c.N >= 2 {
			c.SD = math.Sqrt(m2 / float64(c.N-1))
		}
		return c
	}
	m := a.Moments
	c := &model.Cell{N: int(m.N), Source: a.First, Kind: kind, HasStats: true}
	if m.SW <= 0 {
		return c
	}
	c.Mean = m.SWX / m.SW
	c.NEff = m.SW * m.SW / m.SWW
	c.Weighted = m.SWW != m.SW || float64(m.N) != m.SW
	if m.N >= 2 && c.NEff > 1 {
		ss := sumSquares(m)
		if !c.Weighted {
			// §5's sample sd, computed as the responses engine does,
			// so a file read either way gives the same figures.
			c.SD = math.Sqrt(ss / float64(m.N-1))
		} else {
			c.SD = math.Sqrt(ss / m.SW * c.NEff / (c.NEff - 1))
		}
	}
	return c
}

// sumSquares is Σw·(x − mean)² = (Σw·Σw·x² − (Σw·x)²) / Σw, with the
// products and the difference exact (big floats: this runs once per
// cell) and one rounding at the end. The float formula loses digits to
// cancellation when the spread is small next to the mean; clamped at 0.
func sumSquares(m model.Moments) float64 {
	const prec = 256
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	a := new(big.Float).SetPrec(prec).Mul(f(m.SW), f(m.SWXX))
	b := new(big.Float).SetPrec(prec).Mul(f(m.SWX), f(m.SWX))
	a.Sub(a, b)
	a.Quo(a, f(m.SW))
	v, _ := a.Float64()
	return math.Max(0, v)
}
