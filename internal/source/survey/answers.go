package survey

import (
	"strings"
	"time"
	"unicode"
)

// Decimal parses a number as survey exports write one: an optional
// sign, digits, and a decimal point (or a decimal comma when comma is
// set, for semicolon-separated exports). Nothing else: no exponents,
// no underscores, no hex, no "Inf" — strconv.ParseFloat's Go syntax
// would take "1e3", "0x1p2" and "4_2", which no survey tool writes and
// which are far likelier a mistake than a score.
func Decimal(b []byte, comma bool) (float64, bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	for ; i < len(b) && b[i]-'0' < 10; i++ {
		if digits < 18 {
			mant = mant*10 + uint64(b[i]-'0')
			digits++
		} else {
			return 0, false // too long to be a score
		}
	}
	intDigits := digits
	if i < len(b) && (b[i] == '.' || comma && b[i] == ',') {
		i++
		for ; i < len(b) && b[i]-'0' < 10; i++ {
			if digits >= 18 {
				return 0, false
			}
			mant = mant*10 + uint64(b[i]-'0')
			digits++
			frac++
		}
	}
	if i != len(b) || digits == 0 || intDigits == 0 && frac == 0 {
		return 0, false
	}
	// An integer below 2^53 divided by an exact power of ten is
	// correctly rounded, as ParseFloat would give.
	v := float64(mant)
	if mant >= 1<<53 {
		return 0, false
	}
	v /= pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// DateError says why a timestamp could not be read.
type DateError int

// Ways a timestamp fails.
const (
	DateOK DateError = iota
	DateBad
	DateNeedsOrder // a slashed date and no date_order
)

// Date reads the calendar date of a timestamp in the forms exports
// write: 2026-04-02 10:14:00, 2026-04-02T10:14:00Z (the date as
// written, whatever the zone), 2026-04-02, and 4/2/2026 10:14:00 or
// 4/2/2026 with order "mdy" or "dmy".
func Date(s, order string) (time.Time, DateError) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i >= 0 {
		if !plausibleTime(s[i+1:]) {
			return time.Time{}, DateBad
		}
		s = s[:i]
	}
	var y, m, d int
	switch {
	case strings.Count(s, "-") == 2:
		p := strings.Split(s, "-")
		if len(p[0]) != 4 {
			return time.Time{}, DateBad
		}
		y, m, d = atoi(p[0]), atoi(p[1]), atoi(p[2])
	case strings.Count(s, "/") == 2:
		p := strings.Split(s, "/")
		a, b, c := atoi(p[0]), atoi(p[1]), atoi(p[2])
		if len(p[2]) != 4 {
			return time.Time{}, DateBad
		}
		switch order {
		case "mdy":
			y, m, d = c, a, b
		case "dmy":
			y, m, d = c, b, a
		default:
			if len(p[0]) == 4 { // 2026/04/02 is unambiguous
				y, m, d = atoi(p[0]), atoi(p[1]), atoi(p[2])
				break
			}
			return time.Time{}, DateNeedsOrder
		}
	default:
		return time.Time{}, DateBad
	}
	if y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, DateBad
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, DateBad // 31 April
	}
	return t, DateOK
}

// plausibleTime accepts the time part of a timestamp: digits, ':', '.',
// a zone (Z, +hh:mm) and AM/PM.
func plausibleTime(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune(":.+-Z APMapm", r)) {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	if s == "" || len(s) > 4 {
		return -1
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// LooksLikeTimestamp reports a value such as "2026-04-02 10:14:00": a
// wave column holding these is a date column that needs ranges.
func LooksLikeTimestamp(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " T") {
		return false
	}
	_, e := Date(s, "mdy")
	return e == DateOK
}

// Slug is the URL id of a segment value: lower-case letters and digits
// (any script) joined by '-'; values with one slug are one value.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "value"
	}
	return out
}
