package source

import (
	"math/big"
	"math/bits"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// Exact accumulates unweighted answers in one pass and constant memory
// with no rounding at all until the end. Survey answers are short
// decimals, so those with at most three decimals are summed exactly as
// integer thousandths (Σm in an int64, Σm² in 128 bits): no division
// per value, and partial sums from chunks parsed in parallel add up
// exactly, in any order. Any other value goes to a Welford accumulator,
// merged with the exact part by Chan's formula at the end.
//
// A responses file (every answer unweighted, most on a grid) fills an
// Exact beside its Acc's Moments; Acc.Cell then takes the exact
// figures, so a cell's mean and sd do not depend on how its rows were
// cut into chunks nor on how many there are.
type Exact struct {
	n      int64  // exact part: number of values,
	s      int64  // Σ m, m = value·1000,
	qh, ql uint64 // Σ m², high and low words
	wn     int64  // Welford part
	wmean  float64
	wm2    float64
}

// The grid of the exact part: GridDigits decimals, values scaled by
// GridScale, at most maxGridInt integer digits so that m² fits in 64
// bits.
const (
	GridDigits = 3
	GridScale  = 1000
	maxGridInt = 6
)

// AddGrid records the value m/GridScale exactly.
func (a *Exact) AddGrid(m int64) {
	a.n++
	a.s += m
	var c uint64
	a.ql, c = bits.Add64(a.ql, uint64(m*m), 0)
	a.qh += c
}

// AddFloat records a value off the grid.
func (a *Exact) AddFloat(x float64) {
	a.wn++
	d := x - a.wmean
	a.wmean += d / float64(a.wn)
	a.wm2 += d * (x - a.wmean)
}

// Merge adds b's values to a.
func (a *Exact) Merge(b *Exact) {
	a.n += b.n
	a.s += b.s
	var c uint64
	a.ql, c = bits.Add64(a.ql, b.ql, 0)
	a.qh += b.qh + c
	a.wn, a.wmean, a.wm2 = chan3(a.wn, a.wmean, a.wm2, b.wn, b.wmean, b.wm2)
}

// chan3 merges two (n, mean, M2) summaries (Chan et al.).
func chan3(na int64, ma, m2a float64, nb int64, mb, m2b float64) (int64, float64, float64) {
	switch {
	case nb == 0:
		return na, ma, m2a
	case na == 0:
		return nb, mb, m2b
	}
	n := na + nb
	d := mb - ma
	fa, fb, fn := float64(na), float64(nb), float64(n)
	return n, ma + d*fb/fn, m2a + m2b + d*d*fa*fb/fn
}

// Count is the number of values.
func (a *Exact) Count() int { return int(a.n + a.wn) }

// Stats returns the mean and M2 (the sum of squared deviations). The
// exact part is converted with one rounding each, through big numbers:
// this runs once per cell.
func (a *Exact) Stats() (mean, m2 float64) {
	if a.n == 0 {
		return a.wmean, a.wm2
	}
	const prec = 256
	n := new(big.Int).SetInt64(a.n)
	s := new(big.Int).SetInt64(a.s)
	q := new(big.Int).Lsh(new(big.Int).SetUint64(a.qh), 64)
	q.Add(q, new(big.Int).SetUint64(a.ql))
	// mean = s / (n·1000); M2 = (n·q − s²) / (n·1000²)
	den := new(big.Float).SetPrec(prec).SetInt(new(big.Int).Mul(n, big.NewInt(GridScale)))
	gm, _ := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).SetInt(s), den).Float64()
	num := new(big.Int).Sub(new(big.Int).Mul(n, q), new(big.Int).Mul(s, s))
	den.Mul(den, big.NewFloat(GridScale))
	gm2, _ := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).SetInt(num), den).Float64()
	_, mean, m2 = chan3(a.n, gm, gm2, a.wn, a.wmean, a.wm2)
	return mean, m2
}

// Moments are the same answers as sufficient statistics (all weights
// 1), for whatever pools or stores Moments (segments, pull files):
// float sums, each rounded once (Cell uses the exact sums, not these).
func (a *Exact) Moments() model.Moments {
	const scale2 = GridScale * GridScale
	n := float64(a.Count())
	sx := float64(a.s)/GridScale + a.wmean*float64(a.wn)
	q := float64(a.qh)*0x1p64 + float64(a.ql)
	sxx := q/scale2 + a.wm2 + a.wmean*a.wmean*float64(a.wn)
	return model.Moments{N: int64(a.Count()), SW: n, SWX: sx, SWXX: sxx, SWW: n}
}

// pow10 holds the powers of ten a score's decimals divide by.
var (
	pow10f = [GridDigits + 1]float64{1, 10, 100, 1000}
	pow10i = [GridDigits + 1]int64{1, 10, 100, 1000}
)

// GridDecimal parses the scores survey tools write, "4", "3.5", ".25",
// with a decimal comma when comma is set: at most six integer digits
// and three decimals, nothing else. It returns the value as
// strconv.ParseFloat would (an integer below 2^53 divided by an exact
// power of ten is correctly rounded, which is what ParseFloat
// guarantees) and the value in thousandths, exact, for AddGrid; ok is
// false for anything else, which then takes a slower path.
func GridDecimal(b []byte, comma bool) (v float64, m int64, ok bool) {
	var ip int64
	i := 0
	for ; i < len(b) && b[i]-'0' < 10; i++ {
		ip = ip*10 + int64(b[i]-'0')
	}
	nd := i
	if nd > maxGridInt {
		return 0, 0, false
	}
	var frac int64
	fd := 0
	if i < len(b) && (b[i] == '.' || comma && b[i] == ',') {
		i++
		for ; i < len(b) && b[i]-'0' < 10; i++ {
			if fd == GridDigits {
				return 0, 0, false
			}
			frac = frac*10 + int64(b[i]-'0')
			fd++
		}
	}
	if i != len(b) || nd+fd == 0 {
		return 0, 0, false
	}
	mant := ip*pow10i[fd] + frac
	return float64(mant) / pow10f[fd], mant * pow10i[GridDigits-fd], true
}
