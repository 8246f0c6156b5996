package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// This file holds the inferential formulas of SPEC §9: weighted means
// and NPS with Kish's n_eff, Welch's t and the z test of two NPS. All
// are pure functions of sufficient statistics.

// defaultConfidence is the confidence of [stats] when none is set.
const defaultConfidence = 0.95

// TQuantile is the p quantile of Student's t with df degrees of
// freedom; df need not be whole (weighted cells have df = n_eff − 1,
// Welch's test the Welch–Satterthwaite df).
func TQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// effN is the n a cell's interval and tests use: Kish's n_eff when the
// source gave one, else the count (cells from before weights, measures
// rows and hand-built sites have NEff 0 and are unweighted).
func effN(c *model.Cell) float64 {
	if c.NEff > 0 {
		return c.NEff
	}
	return float64(c.N)
}

// WeightedCI is the 95% interval mean ± t(0.975, n_eff − 1)·s/√n_eff of
// SPEC §9, s being the weighted sd (with all weights 1, n_eff = n and
// this is §5's interval). ok is false with fewer than two answers, with
// n_eff ≤ 1 (all the weight on one answer) or without a finite sd ≥ 0.
func WeightedCI(mean, sd float64, n int, neff float64) (lo, hi float64, ok bool) {
	return weightedCI(mean, sd, n, neff, func(df float64) float64 { return TQuantile(0.975, df) })
}

func weightedCI(mean, sd float64, n int, neff float64, tcrit func(df float64) float64) (lo, hi float64, ok bool) {
	if n < 2 || !(neff > 1) || math.IsInf(neff, 0) || !(sd >= 0) || math.IsInf(sd, 0) {
		return 0, 0, false
	}
	h := tcrit(neff-1) * sd / math.Sqrt(neff)
	return mean - h, mean + h, true
}

// Welch is Welch's two-sample t test of SPEC §9 "Change since the
// previous wave": t = (m₂ − m₁)/√(s₁²/n₁ + s₂²/n₂), df by
// Welch–Satterthwaite, p two-sided from Student's t. Pass n_eff for n
// when weighted. ok is false when either n ≤ 1, an sd is not a finite
// number ≥ 0, or both sd are 0 (no spread: t is undefined).
func Welch(m1, s1, n1, m2, s2, n2 float64) (t, df, p float64, ok bool) {
	for _, x := range []float64{m1, s1, n1, m2, s2, n2} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, 0, 0, false
		}
	}
	if !(n1 > 1) || !(n2 > 1) || s1 < 0 || s2 < 0 {
		return 0, 0, 0, false
	}
	v1, v2 := s1*s1/n1, s2*s2/n2
	se := math.Sqrt(v1 + v2)
	if !(se > 0) {
		return 0, 0, 0, false
	}
	t = (m2 - m1) / se
	df = (v1 + v2) * (v1 + v2) / (v1*v1/(n1-1) + v2*v2/(n2-1))
	// Survival, not 1 − CDF: a large |t| keeps its small p.
	p = math.Min(1, 2*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t)))
	return t, df, p, true
}

// NPSFigures are the Net Promoter Score of a set of recommend answers
// and what its interval and tests need.
type NPSFigures struct {
	Score float64 // 100·(p_P − p_D)
	SE    float64 // 100·√((p_P + p_D − (p_P − p_D)²)/n_eff)
	N     int     // answers (unweighted)
	NEff  float64 // Kish's n_eff; N when unweighted
}

// CI is the 95% interval Score ± 1.96·SE clipped to [−100, 100].
func (f NPSFigures) CI() (lo, hi float64) {
	return math.Max(-100, f.Score-z975*f.SE), math.Min(100, f.Score+z975*f.SE)
}

// ScoreNPS computes the NPS of counts: with weights (counts.Weighted)
// p_P = Σw[promoter]/Σw and p_D likewise, and the SE uses n_eff =
// (Σw)²/Σw² (SPEC §9); otherwise the plain proportions of §5. ok is
// false without answers (or without weight).
func ScoreNPS(counts model.NPSCounts) (f NPSFigures, ok bool) {
	n := counts.N()
	if n < 1 || counts.Promoters < 0 || counts.Passives < 0 || counts.Detractors < 0 {
		return NPSFigures{}, false
	}
	var pp, pd, neff float64
	if counts.Weighted {
		sw := counts.WPromoters + counts.WPassives + counts.WDetractors
		if !(sw > 0) || !(counts.SWW > 0) || math.IsInf(sw, 0) {
			return NPSFigures{}, false
		}
		pp, pd = counts.WPromoters/sw, counts.WDetractors/sw
		neff = sw * sw / counts.SWW
	} else {
		fn := float64(n)
		pp, pd = float64(counts.Promoters)/fn, float64(counts.Detractors)/fn
		neff = fn
	}
	d := pp - pd
	// The per-respondent variance is ≥ 0 in exact arithmetic; rounding
	// can push it a hair below 0 when everyone answers alike.
	v := math.Max(0, pp+pd-d*d)
	return NPSFigures{Score: 100 * d, SE: 100 * math.Sqrt(v/neff), N: n, NEff: neff}, true
}

// NPSChange is the z test of SPEC §9 for the difference of two NPS:
// z = (NPS₂ − NPS₁)/√(SE₁² + SE₂²), p two-sided from the standard
// normal. ok is false when both SE are 0 (everyone answered alike in
// both waves: z is undefined).
func NPSChange(a, b NPSFigures) (z, p float64, ok bool) {
	se := math.Sqrt(a.SE*a.SE + b.SE*b.SE)
	if !(se > 0) || math.IsInf(se, 0) {
		return 0, 0, false
	}
	z = (b.Score - a.Score) / se
	p = math.Min(1, 2*distuv.UnitNormal.Survival(math.Abs(z)))
	return z, p, true
}

// clip keeps x within [lo, hi].
func clip(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
