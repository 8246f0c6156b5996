package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// Statuses of a cell and of a touchpoint (SPEC §5, §9): the tolerance
// rule on the cell's gap, or on the touchpoint's weighted gap.
const (
	StatusAligned      = "aligned"
	StatusOverpromised = "overpromised"
	StatusUndersold    = "undersold"
)

// Quadrants of the importance–performance analysis (SPEC §5).
const (
	QuadrantConcentrate = "concentrate"  // high importance, low performance
	QuadrantKeepUp      = "keep-up"      // high importance, high performance
	QuadrantLowPriority = "low-priority" // low importance, low performance
	QuadrantOverkill    = "overkill"     // low importance, high performance
)

// Priorities of a touchpoint (SPEC §9 "One verdict per touchpoint"): its
// status read against its importance.
const (
	PriorityFixFirst = "fix-first" // overpromised, importance at or above the crosshair
	PriorityFixNext  = "fix-next"  // overpromised, importance below the crosshair
	PriorityKeep     = "keep"      // aligned
	PriorityTellMore = "tell-more" // undersold: the brand may promise more
)

// z975 is the standard normal 97.5% quantile the NPS interval uses: the
// NPS is a difference of proportions, for which the spec asks a normal
// approximation, not Student's t.
const z975 = 1.96

// Status classifies a gap (experience − promise) against the tolerance.
// The boundary |gap| == tol counts as aligned.
func Status(gap, tol float64) string {
	switch {
	case gap < -tol:
		return StatusOverpromised
	case gap > tol:
		return StatusUndersold
	default:
		return StatusAligned
	}
}

// Priority is a touchpoint's verdict: its status, and for an
// over-promised touchpoint whether its importance reaches the IPA
// crosshair's (a point on the line counts as high, as in Quadrant).
// An empty status (no data) has no priority.
func Priority(status string, importance float64, crosshair Point) string {
	switch status {
	case StatusOverpromised:
		if importance >= crosshair.Y {
			return PriorityFixFirst
		}
		return PriorityFixNext
	case StatusAligned:
		return PriorityKeep
	case StatusUndersold:
		return PriorityTellMore
	}
	return ""
}

// Quadrant places a touchpoint in the importance–performance grid whose
// lines cross at crosshair (X = performance, Y = importance). A point on
// a line counts as high.
func Quadrant(performance, importance float64, crosshair Point) string {
	highP := performance >= crosshair.X
	highI := importance >= crosshair.Y
	switch {
	case highI && !highP:
		return QuadrantConcentrate
	case highI && highP:
		return QuadrantKeepUp
	case !highI && !highP:
		return QuadrantLowPriority
	default:
		return QuadrantOverkill
	}
}

// MeanCrosshair is the "mean" IPA crosshair: the mean performance and
// the mean importance of the points given (the touchpoints that have a
// performance). ok is false for no points. The means are plain sums
// divided by the count, so a test can reproduce them bit for bit (the
// mean of 3.2, 4.3, 4.1, 2.9, 3.8 is 3.6599999999999997, not 3.66).
func MeanCrosshair(performance, importance []float64) (p Point, ok bool) {
	if len(performance) == 0 || len(performance) != len(importance) {
		return Point{}, false
	}
	return Point{X: mean(performance), Y: mean(importance)}, true
}

// mean is the arithmetic mean of a non-empty slice.
func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// PopulationSD is the population standard deviation (divisor n) of
// values, 0 for fewer than two. Population, not sample: consistency
// describes the touchpoints that exist, it does not estimate a larger set.
func PopulationSD(values []float64) float64 {
	if len(values) < 2 {
		return 0
	}
	m := mean(values)
	var ss float64
	for _, x := range values {
		d := x - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(values)))
}

// Consistency is C = clamp(100·(1 − sd_pop/(S/2)), 0, 100) for the
// experience values of one attribute across touchpoints; span is S, the
// scale's max − min. S/2 is the largest population sd a set of scores on
// the scale can have, so 0 means as spread as possible. ok is false
// without values or with an empty scale.
func Consistency(values []float64, span float64) (c float64, ok bool) {
	if len(values) == 0 || span <= 0 {
		return 0, false
	}
	c = 100 * (1 - PopulationSD(values)/(span/2))
	return math.Max(0, math.Min(100, c)), true
}

// TCritical is t(0.975, df), the two-sided 95% critical value of
// Student's t with df degrees of freedom (df ≥ 1).
func TCritical(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// MeanCI is the 95% confidence interval of a mean from n observations
// with sample sd: mean ± t(0.975, n−1)·sd/√n. ok is false when n < 2
// (no spread can be estimated) or sd is not a finite non-negative number.
func MeanCI(mean, sd float64, n int) (lo, hi float64, ok bool) {
	return meanCI(mean, sd, n, TCritical)
}

// meanCI is MeanCI with the source of t(0.975, df) given, so Compute can
// reuse the quantile of each df: it is an inverse incomplete beta, by
// far the dearest step of a report.
func meanCI(mean, sd float64, n int, tcrit func(df int) float64) (lo, hi float64, ok bool) {
	if n < 2 || !(sd >= 0) || math.IsInf(sd, 0) {
		return 0, 0, false
	}
	h := tcrit(n-1) * sd / math.Sqrt(float64(n))
	return mean - h, mean + h, true
}

// NPS is the Net Promoter Score 100·(p_P − p_D) of the counts with its
// 95% interval score ± 1.96·SE, SE = 100·√((p_P + p_D − (p_P − p_D)²)/n),
// clipped to [−100, 100]; weighted counts use SPEC §9's weighted
// proportions and n_eff (see ScoreNPS). ok is false without answers.
func NPS(counts model.NPSCounts) (score, lo, hi float64, ok bool) {
	f, ok := ScoreNPS(counts)
	if !ok {
		return 0, 0, 0, false
	}
	lo, hi = f.CI()
	return f.Score, lo, hi, true
}

// WeightedMean is Σ w·x / Σ w. ok is false when the lengths differ or
// the weights sum to 0 (the mean is then undefined, not 0).
func WeightedMean(values, weights []float64) (m float64, ok bool) {
	if len(values) != len(weights) {
		return 0, false
	}
	var acc weighted
	for i, x := range values {
		acc.add(x, weights[i])
	}
	return acc.value()
}

// Alignment is the alignment index 100·(1 − Σ w·|g| / (S·Σ w)) of gaps g
// with weights w on a scale of span S. For a touchpoint the weights are
// the attribute weights w_a; for a journey or a brand they are i_t·w_a.
// ok is false when the lengths differ, the weights sum to 0 or S ≤ 0.
func Alignment(gaps, weights []float64, span float64) (a float64, ok bool) {
	if len(gaps) != len(weights) {
		return 0, false
	}
	var acc indexSum
	for i, g := range gaps {
		acc.add(g, weights[i])
	}
	return acc.value(span)
}

// Shortfall is Σ w·max(0, −g) / Σ w: how far, on average, experience
// falls short of the promise, counting only the shortfalls (exceeding a
// promise elsewhere does not make up for breaking one). ok is false
// when the lengths differ or the weights sum to 0.
func Shortfall(gaps, weights []float64) (s float64, ok bool) {
	if len(gaps) != len(weights) {
		return 0, false
	}
	var acc weighted
	for i, g := range gaps {
		acc.add(math.Max(0, -g), weights[i])
	}
	return acc.value()
}

// weighted accumulates a weighted mean; it is the single implementation
// behind performance, weighted promise, shortfall and attribute means.
type weighted struct{ num, den float64 }

func (w *weighted) add(x, weight float64) {
	w.num += weight * x
	w.den += weight
}

// merge adds another accumulator's sums, as if its values had been
// added here.
func (w *weighted) merge(o weighted) {
	w.num += o.num
	w.den += o.den
}

func (w weighted) value() (float64, bool) {
	if w.den == 0 {
		return 0, false
	}
	return w.num / w.den, true
}

// indexSum accumulates the alignment index; it is the single
// implementation behind touchpoint, journey and brand alignment.
type indexSum struct{ num, den float64 }

func (s *indexSum) add(gap, weight float64) {
	s.num += weight * math.Abs(gap)
	s.den += weight
}

// merge adds another accumulator's sums, as if its cells had been
// added here.
func (s *indexSum) merge(o indexSum) {
	s.num += o.num
	s.den += o.den
}

func (s indexSum) value(span float64) (float64, bool) {
	if s.den == 0 || span <= 0 {
		return 0, false
	}
	return 100 * (1 - s.num/(span*s.den)), true
}
