// Package metricstest compares a metrics JSON export with an expected
// document, for the tests of metrics and of the packages that produce
// the export (the whole-site tests of build and the CLI).
package metricstest

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
)

// maxReported caps the differences reported, so one systematic error
// does not bury the test log.
const maxReported = 40

// CompareJSON reports, through t, every difference between two JSON
// documents of the SPEC §6 shape. Numbers match when they are within tol
// absolutely or relatively; strings, booleans and array lengths match
// exactly; objects have the same keys. A key whose value is null counts
// as absent (§6: absent values are omitted or null). got may carry the
// keys the Report has beyond §6 (see AllowedExtra) even when want has
// not; any other extra key is a difference.
func CompareJSON(t testing.TB, got, want []byte, tol float64) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got: invalid JSON: %v", err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want: invalid JSON: %v", err)
	}
	var diffs []string
	compare(&diffs, "", g, w, tol)
	for i, d := range diffs {
		if i == maxReported {
			t.Errorf("… and %d more differences", len(diffs)-maxReported)
			break
		}
		t.Error(d)
	}
}

// AllowedExtra reports whether got may have the key at path (as
// "journeys[0].touchpoints[2].promise") when the expected document has
// not. These are exactly the figures metrics.Report carries beyond §6;
// the list is explicit so that a new key is a decision, not an accident.
func AllowedExtra(path string) bool {
	switch stripIndices(path) {
	case "journeys[].delta",
		"journeys[].crosshair",
		"journeys[].touchpoints[].promise",
		"journeys[].touchpoints[].status",
		"journeys[].touchpoints[].gap",      // SPEC §9, newer than the fixture
		"journeys[].touchpoints[].priority", // SPEC §9
		"journeys[].delta_from",
		"journeys[].trend[].delta",
		"brands[].delta",
		"brands[].delta_from",
		"brands[].trend[].delta",
		"actors[].contributed",
		"journeys[].touchpoints[].attributes[].sd",
		"brands[].trend",
		"brands[].attributes",
		"actors[].contributes",
		"assessments":
		return true
	}
	return allowedStats(stripIndices(path))
}

func compare(diffs *[]string, path string, got, want any, tol float64) {
	add := func(format string, args ...any) {
		*diffs = append(*diffs, fmt.Sprintf("%s: ", orRoot(path))+fmt.Sprintf(format, args...))
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			add("got %s, want an object", describe(got))
			return
		}
		for _, k := range sortedKeys(w) {
			gv, has := g[k]
			if !has || gv == nil {
				if w[k] != nil {
					add("key %q missing, want %s", k, describe(w[k]))
				}
				continue
			}
			compare(diffs, join(path, k), gv, w[k], tol)
		}
		for _, k := range sortedKeys(g) {
			if wv, has := w[k]; (has && wv != nil) || g[k] == nil {
				continue
			}
			if !AllowedExtra(join(path, k)) {
				add("unexpected key %q = %s", k, describe(g[k]))
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			add("got %s, want an array", describe(got))
			return
		}
		if len(g) != len(w) {
			add("got %d elements, want %d", len(g), len(w))
		}
		for i := range min(len(g), len(w)) {
			compare(diffs, fmt.Sprintf("%s[%d]", path, i), g[i], w[i], tol)
		}
	case float64:
		g, ok := got.(float64)
		if !ok {
			add("got %s, want %v", describe(got), w)
			return
		}
		if !Close(g, w, tol) {
			add("got %v, want %v (diff %g)", g, w, g-w)
		}
	default: // string, bool, nil
		if got != want {
			add("got %s, want %s", describe(got), describe(want))
		}
	}
}

// Close reports whether a and b differ by at most tol, absolutely or
// relative to the larger magnitude.
func Close(a, b, tol float64) bool {
	d := math.Abs(a - b)
	return d <= tol || d <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// stripIndices turns "a[3].b[12]" into "a[].b[]".
func stripIndices(path string) string {
	var b strings.Builder
	inIndex := false
	for _, r := range path {
		switch {
		case r == '[':
			inIndex = true
			b.WriteRune(r)
		case r == ']':
			inIndex = false
			b.WriteRune(r)
		case !inIndex:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// describe renders a decoded value briefly for a message.
func describe(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return strings.TrimSpace(s)
}
