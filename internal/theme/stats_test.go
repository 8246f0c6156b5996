package theme

import (
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/metrics"
)

func TestMark(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    *metrics.Change
		nps  bool
		want []string // parts of the HTML, in order; none: no mark
	}{
		{"none", nil, false, nil},
		{"not significant", &metrics.Change{From: 3, Delta: 0.9, P: 0.2}, false, nil},
		{"rise", &metrics.Change{From: 3.1, Delta: 0.4, P: 0.012, Significant: true}, false,
			[]string{`class="sig sig-rise"`, `title="Significant rise since the previous wave: 3.1 → 3.5 (+0.4), p = 0.012"`, `aria-hidden="true">▲<`, `<span class="vh"> significant rise, p = 0.012</span>`}},
		{"fall, tiny p", &metrics.Change{From: 4, Delta: -1.25, P: 1e-9, Significant: true}, false,
			[]string{`sig-fall`, `4.0 → 2.8 (−1.3), p &lt; 0.001`, `▼`, `significant fall, p &lt; 0.001`}},
		{"nps, signed", &metrics.Change{From: -20, Delta: 35, P: 0.001, Significant: true}, true,
			[]string{`−20.0 → +15.0 (+35.0), p = 0.001`}},
	} {
		got := string(Mark(tt.c, tt.nps))
		if tt.want == nil {
			if got != "" {
				t.Errorf("%s: %q, want no mark", tt.name, got)
			}
			continue
		}
		rest := got
		for _, w := range tt.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: %q lacks %q (in order)", tt.name, got, w)
				break
			}
			rest = rest[i+len(w):]
		}
	}
}

func TestBaseNote(t *testing.T) {
	n := 12
	for _, tt := range []struct {
		n    any
		want string
	}{{12, "n = 12, below the base of 30"}, {&n, "n = 12, below the base of 30"}, {(*int)(nil), ""}} {
		if got := BaseNote(tt.n, 30); got != tt.want {
			t.Errorf("BaseNote(%v) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
