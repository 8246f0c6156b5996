// Package figure shows numbers as every reader of a Touchstone report
// sees them: one decimal, rounded half away from zero, with the
// typographic minus sign (U+2212). Charts, templates and metric
// references all format through it, so one figure never reads 89.3 in
// a chart and 89.2 in a table.
//
// Rounding is on the number's shortest decimal form (what strconv
// prints, and what an author reading the JSON sees), not on its binary
// value: 89.25 is 89.3 and 0.15 is 0.2, although the float64 nearest
// 0.15 is a little below it.
package figure

import (
	"math"
	"strconv"
	"strings"
)

// Minus is the typographic minus sign: a hyphen reads as a dash.
const Minus = "\u2212"

// Dash stands for a figure that does not exist.
const Dash = "–"

// One shows x with one decimal, half away from zero: "89.3", "−2.0".
// A value that rounds to zero is "0.0", never "−0.0". NaN and infinities
// are not figures and show as Dash.
func One(x float64) string {
	neg, s, ok := round1(x)
	if !ok {
		return Dash
	}
	if neg && s != "0.0" {
		return Minus + s
	}
	return s
}

// Signed shows a change or a gap with its sign: "+13.4", "−2.0"; one
// that rounds to zero is "0.0", since no sign would be true of it.
func Signed(x float64) string {
	s := One(x)
	if s == Dash || s == "0.0" || strings.HasPrefix(s, Minus) {
		return s
	}
	return "+" + s
}

// Two shows a share of R² or a correlation with two decimals, as 0.23
// or −0.41: the same rule as One (half away from zero on the shortest
// decimal form, the typographic minus), one place further.
func Two(x float64) string {
	neg, s, ok := round(x, 2)
	if !ok {
		return Dash
	}
	if neg && s != "0.00" {
		return Minus + s
	}
	return s
}

// P shows a p value as analysts write it: three decimals, and "< 0.001"
// rather than a 0.000 that reads as impossible.
func P(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) || p < 0 {
		return Dash
	}
	if p < 0.001 {
		return "< 0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// Interval shows a confidence interval, "3.0 – 4.7" or "−10.1 – 35.1":
// an en dash between spaces, so it never reads as a minus.
func Interval(lo, hi float64) string {
	return One(lo) + " – " + One(hi)
}

// Count shows a whole number such as a sample size.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return Minus + s[1:]
	}
	return s
}

// Exact shows x at full precision, the shortest decimal that reads back
// as x, with the typographic minus: for titles that say what a rounded
// figure stands for.
func Exact(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Dash
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if x == 0 {
		return "0" // also for −0
	}
	return strings.Replace(s, "-", Minus, 1)
}

// round1 rounds |x| to one decimal; see round.
func round1(x float64) (neg bool, s string, ok bool) { return round(x, 1) }

// round rounds |x| to places decimals on its shortest decimal form: the
// digit after the last kept one decides, a 5 or more rounding the
// magnitude up. It returns the sign apart.
func round(x float64, places int) (neg bool, s string, ok bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false, "", false
	}
	neg = math.Signbit(x)
	digits := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	whole, frac, _ := strings.Cut(digits, ".")
	for len(frac) <= places {
		frac += "0"
	}
	// The number in units of the last place, as decimal digits.
	units := []byte(whole + frac[:places])
	if frac[places] >= '5' {
		units = increment(units)
	}
	n := len(units)
	return neg, string(units[:n-places]) + "." + string(units[n-places:]), true
}

// increment adds one to a string of decimal digits.
func increment(d []byte) []byte {
	for i := len(d) - 1; i >= 0; i-- {
		if d[i] < '9' {
			d[i]++
			return d
		}
		d[i] = '0'
	}
	return append([]byte{'1'}, d...)
}
