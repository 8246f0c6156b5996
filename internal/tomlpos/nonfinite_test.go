package tomlpos

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestNonFinite(t *testing.T) {
	src := "\ufefftitle = \"inf nan\" # nan\nw = [1, nan, 2]\nninf = 3\n[scale]\nmax = +inf\n[[touchpoints]]\nid = \"a\"\npromise = { be-there = nan, x = 3 }\n[touchpoints.experience]\n\"é\" = -nan\nnote = \"\"\"\nx = nan\n\"\"\"\nnanny = 'inf'\n"
	var v map[string]any
	_, ix, p := Decode([]byte(src), &v, 0)
	if p != nil {
		t.Fatal(p)
	}
	var got []string
	for _, pr := range NonFinite([]byte(src), ix, 0) {
		got = append(got, fmt.Sprintf("%d:%d %s=%s", pr.Line, pr.Col, pr.Path, pr.Msg))
	}
	want := "2:9 w[1]=nan|5:7 scale.max=+inf|8:24 touchpoints[0].promise.be-there=nan|10:7 touchpoints[0].experience.é=-nan"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// countNonFinite counts the NaN and Inf floats of a decoded document.
func countNonFinite(v any) int {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 1
		}
	case map[string]any:
		n := 0
		for _, e := range v {
			n += countNonFinite(e)
		}
		return n
	case []any:
		n := 0
		for _, e := range v {
			n += countNonFinite(e)
		}
		return n
	case []map[string]any:
		n := 0
		for _, e := range v {
			n += countNonFinite(e)
		}
		return n
	}
	return 0
}

// FuzzNonFinite: every nan and inf a document decodes to is found, and
// nothing else.
func FuzzNonFinite(f *testing.F) {
	f.Add("a = nan\nb = [inf, 1]\n[t]\nc = { d = -inf }\n")
	f.Add("[[x]]\ny = +nan\n[[x]]\ny = 'nan'\n")
	f.Add("s = \"\"\"\nnan\n\"\"\"\nn = 1\n")
	f.Fuzz(func(t *testing.T, src string) {
		var v map[string]any
		if _, err := toml.Decode(src, &v); err != nil {
			return
		}
		_, ix, p := Decode([]byte(src), &map[string]any{}, 0)
		if p != nil {
			return
		}
		want := countNonFinite(v)
		got := NonFinite([]byte(src), ix, 0)
		if len(got) != want {
			t.Errorf("found %d, the document has %d: %+v", len(got), want, got)
		}
		for _, pr := range got {
			if w := strings.TrimLeft(pr.Msg, "+-"); w != "nan" && w != "inf" {
				t.Errorf("not a nan or inf: %+v", pr)
			}
		}
	})
}
