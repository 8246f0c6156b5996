package theme

import (
	"math"
	"os"
	"strings"
	"testing"
)

// TestIndexReading pins the bands of an index's plain-words reading,
// read on the figure as shown: 84.96 shows as 85.0 and so reads strong.
func TestIndexReading(t *testing.T) {
	read := funcs()["indexReading"].(func(any) string)
	v := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		in   any
		want string
	}{
		{100.0, "strong alignment"},
		{85.0, "strong alignment"},
		{84.96, "strong alignment"}, // shown 85.0
		{84.94, "fair alignment"},   // shown 84.9
		{76.1, "fair alignment"},    // the formulas page's example
		{70.0, "fair alignment"},
		{69.95, "fair alignment"}, // shown 70.0
		{69.9, "weak alignment"},
		{0.0, "weak alignment"},
		{v(90), "strong alignment"},
		{(*float64)(nil), ""},
		{math.NaN(), ""},
		{math.Inf(1), ""},
	} {
		if got := read(c.in); got != c.want {
			t.Errorf("indexReading(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestIndexReadingDocumented: the formulas page gives the same bands.
func TestIndexReadingDocumented(t *testing.T) {
	b, err := os.ReadFile("../../content/docs/formulas.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, row := range []string{
		"| 85 or more | **strong alignment** |",
		"| 70 to under 85 | **fair alignment** |",
		"| under 70 | **weak alignment** |",
	} {
		if !strings.Contains(doc, row) {
			t.Errorf("formulas.md lacks the band %q", row)
		}
	}
	if indexStrong != 85 || indexFair != 70 {
		t.Errorf("bands %v/%v differ from the documented 85/70", indexStrong, indexFair)
	}
}
