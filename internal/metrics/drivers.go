package metrics

import (
	"math"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// Key drivers (SPEC §9 "Key drivers"): from the weighted sums and
// cross-products of complete answer rows, the Pearson r of each
// attribute with recommend and its Shapley (LMG) share of the R² of
// recommend regressed on all of them. Everything comes from the
// correlation matrix, so a database can push the sums down and the
// rows never reach this package.

// MinDriverRows is the fewest complete rows that give drivers.
const MinDriverRows = 30

// maxShapley is the most predictors whose shares are computed: the
// exact Shapley value needs the R² of all 2^p subsets. A brand promises
// a handful of attributes; past this only r and R² are given.
const maxShapley = 16

// DriversReport are the key drivers of a journey in a wave.
type DriversReport struct {
	N          int64           `json:"n"`  // complete rows
	R2         float64         `json:"r2"` // of recommend on all attributes
	Attributes []*DriverReport `json:"attributes"`
}

// DriverReport is one attribute's r with recommend and its share of R².
type DriverReport struct {
	ID    string   `json:"id"`
	R     float64  `json:"r"`
	Share *float64 `json:"share,omitempty"`
}

// Share returns the share of the attribute with id, and whether it has
// one.
func (d *DriversReport) Share(id string) (float64, bool) {
	if d == nil {
		return 0, false
	}
	for _, a := range d.Attributes {
		if a.ID == id && a.Share != nil {
			return *a.Share, true
		}
	}
	return 0, false
}

// Drivers computes the key drivers from sums over Vars (attributes,
// then recommend last). nil with fewer than MinDriverRows rows, without
// an attribute, or when recommend does not vary. An attribute that does
// not vary over the rows has no correlation and is left out.
func Drivers(d *model.DriverSums) *DriversReport {
	if d == nil || d.N < MinDriverRows || !(d.SW > 0) || len(d.Vars) < 2 ||
		len(d.S) != len(d.Vars) || len(d.SS) != len(d.Vars)*len(d.Vars) {
		return nil
	}
	k := len(d.Vars)
	y := k - 1
	mu := make([]float64, k)
	for i := range mu {
		mu[i] = d.S[i] / d.SW
	}
	cov := func(i, j int) float64 { return d.SS[i*k+j]/d.SW - mu[i]*mu[j] }
	varies := func(i int) bool {
		// Relative to the raw second moment: Σw·x²/Σw − mean² loses the
		// digits of a variance far smaller than the mean's square.
		v := cov(i, i)
		return v > 1e-12*math.Max(1e-300, d.SS[i*k+i]/d.SW) && !math.IsInf(v, 0) && !math.IsNaN(v)
	}
	if !varies(y) {
		return nil
	}
	var keep []int
	for i := 0; i < y; i++ {
		if varies(i) {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	p := len(keep)
	corr := func(i, j int) float64 {
		if i == j {
			return 1
		}
		return clip(cov(i, j)/math.Sqrt(cov(i, i)*cov(j, j)), -1, 1)
	}
	// R is the (p+1)×(p+1) correlation matrix of the kept attributes and
	// recommend (last).
	R := make([]float64, (p+1)*(p+1))
	idx := append(append([]int{}, keep...), y)
	for a, i := range idx {
		for b, j := range idx {
			R[a*(p+1)+b] = corr(i, j)
		}
	}
	rep := &DriversReport{N: d.N, Attributes: make([]*DriverReport, 0, p)}
	for a, i := range keep {
		rep.Attributes = append(rep.Attributes, &DriverReport{ID: d.Vars[i], R: R[a*(p+1)+p]})
	}
	if p > maxShapley {
		full := append([]float64{}, R...)
		for a := 0; a < p; a++ {
			sweep(full, p+1, a)
		}
		rep.R2 = clip(1-full[p*(p+1)+p], 0, 1)
		return rep
	}
	r2 := subsetR2(R, p)
	rep.R2 = r2[len(r2)-1]
	for a, s := range shapley(r2, p) {
		rep.Attributes[a].Share = ptr(s)
	}
	return rep
}

// subsetR2 returns the R² of recommend (the last of the p+1 variables
// of the correlation matrix R) on every subset of the p predictors,
// indexed by the subset's bit mask. It walks the subsets depth-first,
// sweeping one predictor in per level, so each subset costs one sweep
// of the matrix rather than a solve from scratch.
func subsetR2(R []float64, p int) []float64 {
	m := p + 1
	r2 := make([]float64, 1<<p)
	// One working matrix per depth: a level sweeps a copy of its parent's.
	bufs := make([][]float64, p+1)
	for i := range bufs {
		bufs[i] = make([]float64, m*m)
	}
	copy(bufs[0], R)
	var walk func(i, mask int)
	walk = func(i, mask int) {
		a := bufs[i]
		if i == p {
			r2[mask] = clip(1-a[p*m+p], 0, 1)
			return
		}
		copy(bufs[i+1], a)
		walk(i+1, mask)
		copy(bufs[i+1], a)
		sweep(bufs[i+1], m, i)
		walk(i+1, mask|1<<i)
	}
	walk(0, 0)
	return r2
}

// sweep applies the sweep operator to the m×m symmetric matrix a on
// pivot k: afterwards the entry of the last variable on the diagonal is
// its residual variance given the swept variables, that is 1 − R² on a
// correlation matrix. A pivot whose residual variance is (numerically)
// 0 is a predictor that the swept ones already explain: it adds nothing
// to R², and it is skipped rather than divided by.
func sweep(a []float64, m, k int) {
	d := a[k*m+k]
	if !(d > 1e-10) {
		return
	}
	for i := 0; i < m; i++ {
		if i == k {
			continue
		}
		f := a[i*m+k] / d
		for j := 0; j < m; j++ {
			if j == k {
				continue
			}
			a[i*m+j] -= f * a[k*m+j]
		}
	}
	for i := 0; i < m; i++ {
		if i != k {
			a[i*m+k] /= d
			a[k*m+i] /= d
		}
	}
	a[k*m+k] = -1 / d
}

// shapley is the exact Shapley value of each of p players in the game
// whose worth is r2[mask]: share_j = Σ_{S ∌ j} |S|!(p−|S|−1)!/p! ·
// (R²(S ∪ j) − R²(S)), which is LMG's average over all orders in which
// the predictors can enter the regression. The shares sum to R² of all.
func shapley(r2 []float64, p int) []float64 {
	fact := make([]float64, p+1)
	fact[0] = 1
	for i := 1; i <= p; i++ {
		fact[i] = fact[i-1] * float64(i)
	}
	w := make([]float64, p)
	for s := 0; s < p; s++ {
		w[s] = fact[s] * fact[p-s-1] / fact[p]
	}
	out := make([]float64, p)
	for mask := range r2 {
		s := popcount(mask)
		for j := 0; j < p; j++ {
			if mask&(1<<j) == 0 {
				out[j] += w[s] * (r2[mask|1<<j] - r2[mask])
			}
		}
	}
	return out
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// DriverRows feeds rows into DriverSums: a helper for tests and
// sources that hold rows. Each row is aligned with vars (recommend
// last); weights may be nil (all 1).
func DriverRows(vars []string, rows [][]float64, weights []float64) *model.DriverSums {
	d := model.NewDriverSums(vars)
	for i, r := range rows {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		d.Add(r, w)
	}
	return d
}

// AxisImportance is where the touchpoint sits on the importance axis of
// the IPA: its derived importance when [ipa] importance = "derived" gave
// it one, else its stated importance.
func (t *TouchpointReport) AxisImportance() float64 {
	if t.IPAImportance != nil {
		return *t.IPAImportance
	}
	return t.Importance
}

// derivedImportance sets, under [ipa] importance = "derived", each
// touchpoint's IPAImportance from the journey's drivers: the mean share
// of the attributes the touchpoint promises (an attribute without a
// share counts 0), mapped linearly onto the scale so that 0 is the
// scale's minimum and the journey's largest attribute share its
// maximum. Shares are fractions of R², and their size depends on how
// much recommend the attributes explain at all; relative to the largest
// they say which matter most, which is what an importance axis shows.
// Without drivers (or with R² 0) the stated importance stays.
func (c *computer) derivedImportance(j *model.Journey, jr *JourneyReport) {
	if c.site.Config.Importance != "derived" || jr.Drivers == nil {
		return
	}
	var top float64
	for _, a := range jr.Drivers.Attributes {
		if a.Share != nil {
			top = math.Max(top, *a.Share)
		}
	}
	if !(top > 0) {
		return
	}
	sc := c.site.Config.Scale
	for i, t := range j.Touchpoints {
		var sum float64
		var n int
		for _, a := range c.attributes(j) {
			if _, ok := t.Promise[a.ID]; !ok {
				continue
			}
			s, _ := jr.Drivers.Share(a.ID)
			sum += math.Max(0, s)
			n++
		}
		if n > 0 {
			jr.Touchpoints[i].IPAImportance = ptr(sc.Min + sc.Span()*sum/float64(n)/top)
		}
	}
}
