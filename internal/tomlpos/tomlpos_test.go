package tomlpos

import (
	"testing"

	"github.com/BurntSushi/toml"
)

const journey = `title = "Becoming a customer" # comment with "quote"
stages = ["Discover",
  "Join"]
notes = """
a [fake] = header
"""

[[touchpoints]]
id = "ad"
promise = { be-there = 4.5, "clarity" = 4.0 }
contributors = ["agency", "x"]

[[touchpoints]]
id = 'call'
a.b = 1

[scale]
max = 5

[[pillars]]
name = "P1"
[[pillars.criteria]]
name = "c1"
[[pillars]]
name = "P2"
[[pillars.criteria]]
name = "c2"
[[pillars.criteria]]
name = "c3"
`

func TestBuild(t *testing.T) {
	var v map[string]any
	if _, err := toml.Decode(journey, &v); err != nil {
		t.Fatalf("fixture is not valid TOML: %v", err)
	}
	ix := Build([]byte(journey), 0)
	tests := []struct {
		path     string
		key, val Pos
	}{
		{"title", Pos{1, 1}, Pos{1, 9}},
		{"stages", Pos{2, 1}, Pos{2, 10}},
		{"stages[1]", Pos{3, 3}, Pos{3, 3}},
		{"touchpoints[0].id", Pos{9, 1}, Pos{9, 6}},
		{"touchpoints[0].promise.be-there", Pos{10, 13}, Pos{10, 24}},
		{"touchpoints[0].promise.clarity", Pos{10, 29}, Pos{10, 41}},
		{"touchpoints[0].contributors[1]", Pos{11, 27}, Pos{11, 27}},
		{"touchpoints[1].id", Pos{14, 1}, Pos{14, 6}},
		{"touchpoints[1].a.b", Pos{15, 1}, Pos{15, 7}},
		{"scale.max", Pos{18, 1}, Pos{18, 7}},
		{"pillars[1].name", Pos{25, 1}, Pos{25, 8}},
		{"pillars[1].criteria[1].name", Pos{29, 1}, Pos{29, 8}},
		{"pillars[0].criteria[0].name", Pos{23, 1}, Pos{23, 8}},
	}
	for _, tt := range tests {
		e, ok := ix[tt.path]
		if !ok {
			t.Errorf("%s: not indexed", tt.path)
			continue
		}
		if e.Key != tt.key || e.Value != tt.val {
			t.Errorf("%s: got key %v value %v, want %v %v", tt.path, e.Key, e.Value, tt.key, tt.val)
		}
	}
	if _, ok := ix["a"]; ok {
		t.Errorf("text inside a multi-line string was taken for a key")
	}
}

func TestOffsetAndNear(t *testing.T) {
	ix := Build([]byte("type = \"heatmap\"\n"), 10)
	if p, _ := ix.Key("type"); p.Line != 11 {
		t.Errorf("offset not applied: %v", p)
	}
	if p := ix.Near("type.x[3]"); p.Line != 11 {
		t.Errorf("Near did not fall back to the parent: %v", p)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add(journey)
	f.Add("a = [[1,2],[3]]\nb = { c = { d = 1 } }\n'e' = '''x'''")
	f.Add("[[a.b]]\n[a]\n[[a.b]]")
	f.Fuzz(func(t *testing.T, src string) {
		Build([]byte(src), 0) // must not panic or loop
	})
}

// TestDecodePlacesSyntaxErrors: a syntax error comes back at its line
// and column, shifted by the offset, including those the TOML library
// reports at line 0 (an unterminated string before a CR LF).
func TestDecodePlacesSyntaxErrors(t *testing.T) {
	for _, tt := range []struct {
		src       string
		offset    int
		line, col int
	}{
		{"type = \"heatmap\njourney = 1\n", 0, 1, 16},
		{"type = \"heatmap\r\njourney = 1\n", 0, 1, 16},
		{"a = 1\ntype = \"heatmap\r\njourney = 1\n", 10, 12, 16},
		{"a = 1\nb = \n", 4, 6, 5},
	} {
		var v map[string]any
		_, _, p := Decode([]byte(tt.src), &v, tt.offset)
		if p == nil {
			t.Errorf("%q: no problem reported", tt.src)
			continue
		}
		if p.Line != tt.line || p.Col != tt.col {
			t.Errorf("%q (offset %d): at %d:%d, want %d:%d (%s)", tt.src, tt.offset, p.Line, p.Col, tt.line, tt.col, p.Msg)
		}
	}
}
