package diag

import "strings"

// Suggest returns the candidate nearest to name by edit distance, or ""
// when none is close enough to be a plausible typo. Case is ignored when
// measuring, so "Be-There" suggests "be-there".
func Suggest(name string, candidates []string) string {
	best, bestDist := "", -1
	lname := strings.ToLower(name)
	for _, c := range candidates {
		d := distance(lname, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	// A plausible typo changes at most about a third of the longer name;
	// beyond that a suggestion misleads more than it helps.
	limit := max(len([]rune(name)), len([]rune(best)))/3 + 1
	if bestDist <= limit {
		return best
	}
	// A name cut short or spelt out ("advert" for "ad", "fin" for
	// "finance") is a typo of another kind: take a unique prefix match.
	var match string
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if len(lc) >= 2 && len(lname) >= 2 && (strings.HasPrefix(lname, lc) || strings.HasPrefix(lc, lname)) {
			if match != "" {
				return ""
			}
			match = c
		}
	}
	return match
}

// Unknown formats the usual message for an id that names nothing:
// `unknown attribute "be-ther" (did you mean "be-there"?)`, listing the
// valid names when none is close.
func Unknown(kind, name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return "unknown " + kind + " " + quote(name) + " (did you mean " + quote(s) + "?)"
	}
	if len(candidates) == 0 {
		return "unknown " + kind + " " + quote(name) + " (there are none)"
	}
	shown := candidates
	if len(shown) > 8 {
		shown = shown[:8]
	}
	qs := make([]string, len(shown))
	for i, c := range shown {
		qs[i] = quote(c)
	}
	more := ""
	if len(candidates) > len(shown) {
		more = ", …"
	}
	return "unknown " + kind + " " + quote(name) + " (valid: " + strings.Join(qs, ", ") + more + ")"
}

func quote(s string) string { return "\"" + s + "\"" }

// distance is the Damerau (optimal string alignment) edit distance, so a
// swapped pair of letters counts as one typo, not two. Hand-written: it
// is a dozen lines and no well-kept module offers exactly this variant.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}
