package figure_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/figure"
)

func TestOne(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{89.25, "89.3"}, // exact in float64: half away from zero, not to even
		{89.35, "89.4"},
		{89.24999999, "89.2"},
		{0.05, "0.1"},
		{0.15, "0.2"}, // the float is 0.1499…, the decimal 0.15
		{0.25, "0.3"},
		{2.675, "2.7"},
		{2.65, "2.7"},
		{-0.25, "−0.3"},
		{-2.65, "−2.7"},
		{-0.04, "0.0"}, // never "−0.0"
		{-0.05, "−0.1"},
		{math.Copysign(0, -1), "0.0"},
		{0, "0.0"},
		{9.95, "10.0"},
		{99.96, "100.0"},
		{-99.95, "−100.0"},
		{3, "3.0"},
		{1e21, "1000000000000000000000.0"},
		{1e-7, "0.0"},
		{math.NaN(), "–"},
		{math.Inf(1), "–"},
	} {
		if got := figure.One(tt.x); got != tt.want {
			t.Errorf("One(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestSigned(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{13.4, "+13.4"},
		{-2, "−2.0"},
		{0.04, "0.0"},
		{-0.04, "0.0"},
		{0.05, "+0.1"},
		{-0.25, "−0.3"},
		{0, "0.0"},
	} {
		if got := figure.Signed(tt.x); got != tt.want {
			t.Errorf("Signed(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestIntervalAndCount(t *testing.T) {
	if got := figure.Interval(3.0465, 4.7035); got != "3.0 – 4.7" {
		t.Errorf("Interval = %q", got)
	}
	if got := figure.Interval(-10.14, 35.1); got != "−10.1 – 35.1" {
		t.Errorf("Interval = %q", got)
	}
	if got := figure.Count(-3); got != "−3" {
		t.Errorf("Count(−3) = %q", got)
	}
	if got := figure.Exact(-0.6000000000000001); got != "−0.6000000000000001" {
		t.Errorf("Exact = %q", got)
	}
}

// TestOneAgainstBigRounding checks One against rounding the exact
// shortest decimal another way: scaled to an integer of hundredths in
// strconv.ParseFloat's own decimal reading, then rounded with integer
// arithmetic half away from zero.
func TestOneAgainstIntegerRounding(t *testing.T) {
	for i := -20000; i <= 20000; i++ {
		// Every hundredth in −200..200: the decimal x = i/100.
		x, _ := strconv.ParseFloat(hundredths(i), 64)
		tenths := (abs(i) + 5) / 10
		want := strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
		if i < 0 && tenths != 0 {
			want = figure.Minus + want
		}
		if got := figure.One(x); got != want {
			t.Fatalf("One(%s) = %q, want %q", hundredths(i), got, want)
		}
	}
}

func hundredths(i int) string {
	s := strconv.Itoa(abs(i))
	for len(s) < 3 {
		s = "0" + s
	}
	s = s[:len(s)-2] + "." + s[len(s)-2:]
	if i < 0 {
		s = "-" + s
	}
	return s
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// FuzzOne checks properties on any float: the text parses back (with
// an ASCII minus) to within half a tenth of x, has exactly one decimal,
// and never reads "−0.0".
func FuzzOne(f *testing.F) {
	for _, x := range []float64{89.25, 0.05, 2.675, -0.25, -0.04, 1e300, -1e-300} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		s := figure.One(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if s != figure.Dash {
				t.Fatalf("One(%v) = %q", x, s)
			}
			return
		}
		if s == figure.Minus+"0.0" {
			t.Fatalf("One(%v) = −0.0", x)
		}
		dot := strings.IndexByte(s, '.')
		if dot < 0 || len(s)-dot != 2 {
			t.Fatalf("One(%v) = %q: not one decimal", x, s)
		}
		back, err := strconv.ParseFloat(strings.Replace(s, figure.Minus, "-", 1), 64)
		if err != nil {
			t.Fatalf("One(%v) = %q: %v", x, s, err)
		}
		if d := math.Abs(back - x); d > 0.05+1e-9*math.Max(1, math.Abs(x)) {
			t.Fatalf("One(%v) = %q, off by %v", x, s, d)
		}
	})
}

func TestTwoAndP(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{0.225833, "0.23"}, {0.065833, "0.07"}, {0.005, "0.01"}, {-0.004, "0.00"}, {-0.41, "\u22120.41"},
		{1, "1.00"}, {0.125, "0.13"}, {0.285, "0.29"}, {2.675, "2.68"}, {12.345, "12.35"}, {-0.995, "\u22121.00"},
	} {
		if got := figure.Two(tt.x); got != tt.want {
			t.Errorf("Two(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
	for v, want := range map[float64]string{0.0794: "0.079", 0.05: "0.050", 0.0009: "< 0.001", 0.001: "0.001", 1: "1.000"} {
		if got := figure.P(v); got != want {
			t.Errorf("P(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestP(t *testing.T) {
	for p, want := range map[float64]string{0.0794: "0.079", 0.05: "0.050", 0.0009: "< 0.001", 0.001: "0.001", 1: "1.000", 0.0125: "0.013", math.NaN(): "–"} {
		if got := figure.P(p); got != want {
			t.Errorf("P(%v) = %q, want %q", p, got, want)
		}
	}
}

func TestTwoSigns(t *testing.T) {
	for x, want := range map[float64]string{0.234: "0.23", -0.051: "−0.05", -0.001: "0.00", 1: "1.00"} {
		if got := figure.Two(x); got != want {
			t.Errorf("Two(%v) = %q, want %q", x, got, want)
		}
	}
}
