package metrics

import (
	"math"
	"slices"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// Change is a figure's move since the previous declared wave with the
// p of a two-sided test (SPEC §9 "Change since the previous wave").
type Change struct {
	From  float64 `json:"from"`  // the previous wave's value
	Delta float64 `json:"delta"` // current − previous
	P     float64 `json:"p"`
	// Significant: p < 1 − confidence and neither wave is low-base.
	Significant bool `json:"significant"`
}

// To is the current wave's value.
func (c Change) To() float64 { return c.From + c.Delta }

// StatsReport are the base-size rules a report applied (SPEC §9 "Base
// sizes") and how much suppress_below dropped, over all waves and
// segment values, for the build summary.
type StatsReport struct {
	MinBase         int     `json:"min_base"`
	SuppressBelow   int     `json:"suppress_below"`
	Confidence      float64 `json:"confidence"`
	SuppressedCells int     `json:"suppressed_cells"`
	SuppressedNPS   int     `json:"suppressed_nps"`
}

// confidence is the configured confidence, or the default when unset
// or impossible.
func confidence(cfg model.StatsConfig) float64 {
	if c := cfg.Confidence; c > 0 && c < 1 {
		return c
	}
	return defaultConfidence
}

// previousWave is the declared wave just before wave, "" for the first
// or a wave outside the order: strictly the one before, never an
// earlier wave with data.
func previousWave(order []string, wave string) string {
	if i := slices.Index(order, wave); i > 0 {
		return order[i-1]
	}
	return ""
}

// lowBase reports whether n answers are below min_base.
func (c *computer) lowBase(n int) bool {
	return n < c.site.Config.Stats.MinBase
}

// tq is t(0.975, df) remembered per call: cells share few distinct
// sample sizes, and each quantile costs microseconds.
func (c *computer) tq(df float64) float64 {
	if t, ok := c.tcache[df]; ok {
		return t
	}
	t := TQuantile(0.975, df)
	c.tcache[df] = t
	return t
}

// cellFigures hold the optional figures of one cell beside its report,
// so that a cell costs one allocation rather than one per figure.
type cellFigures struct {
	sd, neff float64
	low      bool
	ci       [2]float64
	change   Change
}

// cellStats sets a cell's sd, n_eff, interval (clipped to the scale),
// base flag and change since prev (the same cell in the previous wave,
// nil when absent), keeping the values in fig.
func (c *computer) cellStats(cr *CellReport, e, prev *model.Cell, fig *cellFigures) {
	if e.N > 0 {
		fig.low = c.lowBase(e.N)
		cr.LowBase = &fig.low
	}
	if !e.HasStats {
		return
	}
	neff := effN(e)
	if e.Weighted && neff > 0 {
		fig.neff = neff
		cr.NEff = &fig.neff
	}
	// A sample sd needs two observations; with one it is undefined,
	// whatever the source wrote.
	if e.N >= 2 && e.SD >= 0 && !math.IsInf(e.SD, 0) {
		fig.sd = e.SD
		cr.SD = &fig.sd
	}
	if lo, hi, ok := weightedCI(e.Mean, e.SD, e.N, neff, c.tq); ok {
		// A score cannot leave the scale, so neither may its interval
		// (as the NPS interval stays within ±100).
		sc := c.site.Config.Scale
		fig.ci = [2]float64{clip(lo, sc.Min, sc.Max), clip(hi, sc.Min, sc.Max)}
		cr.CI = &fig.ci
	}
	if prev == nil || !prev.HasStats || prev.N < 2 || e.N < 2 {
		return
	}
	if _, _, p, ok := Welch(prev.Mean, prev.SD, effN(prev), e.Mean, e.SD, neff); ok {
		fig.change = Change{
			From:        prev.Mean,
			Delta:       e.Mean - prev.Mean,
			P:           p,
			Significant: p < 1-c.conf && !c.lowBase(prev.N) && !c.lowBase(e.N),
		}
		cr.Change = &fig.change
	}
}

// npsReport is the NPS of cur with its change since prev, the same
// tally in c.prev (either nil when absent).
func (c *computer) npsReport(cur, prev *model.NPSCounts) *NPSReport {
	if cur == nil {
		return nil
	}
	f, ok := ScoreNPS(*cur)
	if !ok {
		return nil
	}
	lo, hi := f.CI()
	r := &NPSReport{Score: f.Score, N: f.N, CI: [2]float64{lo, hi}, LowBase: c.lowBase(f.N)}
	if cur.Weighted {
		r.NEff = ptr(f.NEff)
	}
	// Without a previous wave the lookup went to the wave "" — which is
	// the current one of a site without declared waves.
	if prev == nil || c.prev == "" {
		return r
	}
	if pf, ok := ScoreNPS(*prev); ok {
		if _, p, ok := NPSChange(pf, f); ok {
			r.Change = &Change{
				From:        pf.Score,
				Delta:       f.Score - pf.Score,
				P:           p,
				Significant: p < 1-c.conf && !c.lowBase(pf.N) && !r.LowBase,
			}
		}
	}
	return r
}
