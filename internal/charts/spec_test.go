package charts

import (
	"errors"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
)

// want is one expected diagnostic: its place and a part of its message.
type want struct {
	line, col int
	msg       string
}

func diagnostics(t *testing.T, err error) []diag.Diagnostic {
	t.Helper()
	if err == nil {
		return nil
	}
	var list *diag.Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T) is not a *diag.Errors", err, err)
	}
	for _, d := range list.Items {
		if d.Path != "" {
			t.Errorf("diagnostic %q has path %q; the caller fills it", d.Msg, d.Path)
		}
	}
	return list.Items
}

func checkDiagnostics(t *testing.T, err error, wants []want) {
	t.Helper()
	got := diagnostics(t, err)
	if len(got) != len(wants) {
		t.Fatalf("got %d diagnostics, want %d:\n%v", len(got), len(wants), err)
	}
	for i, w := range wants {
		d := got[i]
		if d.Line != w.line || (w.col != 0 && d.Col != w.col) || !strings.Contains(d.Msg, w.msg) {
			t.Errorf("diagnostic %d = %d:%d %q, want %d:%d containing %q", i, d.Line, d.Col, d.Msg, w.line, w.col, w.msg)
		}
	}
}

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name string
		body string
		line int
		spec Spec // compared without positions
		errs []want
	}{
		{
			name: "every key",
			body: "type    = \"heatmap\"\njourney = \"onboarding\"  # a comment\nbrand = \"acme\"\nwave = \"2025-H2\"\nassessment = \"maturity\"\ntitle = \"Where it hurts\"\nheight = \"420px\"\n",
			line: 12,
			spec: Spec{Type: "heatmap", Journey: "onboarding", Brand: "acme", Wave: "2025-H2", Assessment: "maturity", Title: "Where it hurts", Height: "420px", Line: 12},
		},
		{
			name: "type only, blank lines and comments",
			body: "\n# the heatmap\n\ntype = 'gap'\n",
			line: 3,
			spec: Spec{Type: "gap", Line: 3},
		},
		{
			name: "height in rem",
			body: "type = \"trend\"\nheight = \"30rem\"",
			line: 1,
			spec: Spec{Type: "trend", Height: "30rem", Line: 1},
		},
		{
			name: "TOML syntax error is placed",
			body: "type = \"heatmap\"\ntitle = \"unterminated\n",
			line: 20,
			errs: []want{{21, 0, "TOML"}},
		},
		{
			name: "unknown key suggests the nearest",
			body: "type = \"heatmap\"\n  jurney = \"onboarding\"\n",
			line: 5,
			spec: Spec{Type: "heatmap", Line: 5},
			errs: []want{{6, 3, `unknown key "jurney" (did you mean "journey"?)`}},
		},
		{
			name: "unknown key far from any lists them",
			body: "type = \"heatmap\"\ncolour = \"red\"\n",
			line: 1,
			errs: []want{{2, 1, `unknown key "colour" (valid: type, journey`}},
		},
		{
			name: "a table is an unknown key",
			body: "type = \"heatmap\"\n[options]\nsize = 3\n",
			line: 1,
			errs: []want{{2, 1, `unknown key "options"`}},
		},
		{
			name: "missing type",
			body: "journey = \"onboarding\"\n",
			line: 7,
			errs: []want{{7, 1, "missing type (one of heatmap, gap,"}},
		},
		{
			name: "empty block",
			body: "",
			line: 4,
			errs: []want{{4, 1, "missing type"}},
		},
		{
			name: "unknown type with suggestion at the value",
			body: "title = \"x\"\ntype = \"heatmpa\"\n",
			line: 10,
			errs: []want{{11, 8, `unknown chart type "heatmpa" (did you mean "heatmap"?)`}},
		},
		{
			// issue 12: journey = "" silently fell back to the page's.
			name: "an empty journey is an error at its value",
			body: "type = \"gap\"\njourney = \"\"\n",
			line: 20,
			errs: []want{{21, 11, "journey is empty: name a journey, or leave the key out"}},
		},
		{
			name: "every empty id is an error",
			body: "type = \"trend\"\nbrand = \"  \"\nwave = ''\n",
			line: 1,
			errs: []want{{2, 9, "brand is empty"}, {3, 8, "wave is empty"}},
		},
		{
			name: "type must be a string",
			body: "type = 3\n",
			line: 1,
			errs: []want{{1, 8, "type must be a string, not an integer"}},
		},
		{
			name: "height must be a CSS length",
			body: "type = \"nps\"\nheight = \"400px; background: url(x)\"\n",
			line: 1,
			errs: []want{{2, 10, "not a CSS length"}},
		},
		{
			name: "segments keys",
			body: "type = \"segments\"\nsegment = \"region\"\ntouchpoint = \"call-centre\"\nnps = true\n",
			line: 5,
			spec: Spec{Type: "segments", Segment: "region", Touchpoint: "call-centre", NPS: true, Line: 5},
		},
		{
			name: "segments keys: a misspelt one, a wrong kind, and both figures",
			body: "type = \"segments\"\nsegmnt = \"region\"\nnps = \"yes\"\nattribute = \"clarity\"\n",
			line: 5,
			errs: []want{
				{6, 1, `unknown key "segmnt" (did you mean "segment"?)`},
				{7, 7, "nps must be true or false, not"},
			},
		},
		{
			name: "one figure only",
			body: "type = \"segments\"\nattribute = \"clarity\"\nnps = true\n",
			line: 5,
			errs: []want{{7, 7, "attribute = \"clarity\" or nps = true, not both"}},
		},
		{
			name: "a segments key on another type",
			body: "type = \"heatmap\"\nsegment = \"region\"\n",
			line: 5,
			errs: []want{{6, 1, `key "segment" belongs to a segments chart, not a heatmap chart`}},
		},
		{
			name: "every problem of the block at once",
			body: "tipe = \"heatmap\"\nwave = 2025\nheight = \"big\"\n",
			line: 30,
			errs: []want{
				{30, 1, `unknown key "tipe" (did you mean "type"?)`},
				{30, 1, "missing type"},
				{31, 8, "wave must be a string"},
				{32, 10, "not a CSS length"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec([]byte(tt.body), tt.line)
			checkDiagnostics(t, err, tt.errs)
			if len(tt.errs) == 0 || tt.spec.Type != "" {
				spec.at = keyPlaces{}
				if spec != tt.spec {
					t.Errorf("spec = %+v, want %+v", spec, tt.spec)
				}
			}
		})
	}
}

func TestResolve(t *testing.T) {
	f := loadFixture(t)
	parse := func(t *testing.T, body string) Spec {
		t.Helper()
		s, err := ParseSpec([]byte(body), 40)
		if err != nil {
			t.Fatalf("ParseSpec: %v", err)
		}
		return s
	}
	page := Defaults{Journey: "onboarding", Brand: "acme"}
	tests := []struct {
		name string
		body string
		d    Defaults
		want Spec
		errs []want
	}{
		{
			name: "journey and brand from the page, current wave",
			body: `type = "heatmap"`,
			d:    page,
			want: Spec{Type: "heatmap", Journey: "onboarding", Brand: "acme", Wave: "2026-H1", Line: 40},
		},
		{
			name: "brand from the journey when the page names none",
			body: `type = "gap"`,
			d:    Defaults{Journey: "onboarding"},
			want: Spec{Type: "gap", Journey: "onboarding", Brand: "acme", Wave: "2026-H1", Line: 40},
		},
		{
			name: "a named wave is kept",
			body: "type = \"heatmap\"\nwave = \"2025-H2\"",
			d:    page,
			want: Spec{Type: "heatmap", Journey: "onboarding", Brand: "acme", Wave: "2025-H2", Line: 40},
		},
		{
			name: "a brand without a journey asks for the brand level",
			body: "type = \"radar\"\nbrand = \"acme\"",
			d:    page,
			want: Spec{Type: "radar", Brand: "acme", Wave: "2026-H1", Line: 40},
		},
		{
			name: "trend of the page's journey",
			body: `type = "trend"`,
			d:    page,
			want: Spec{Type: "trend", Journey: "onboarding", Brand: "acme", Wave: "2026-H1", Line: 40},
		},
		{
			name: "owners across the site without a journey",
			body: `type = "owners"`,
			d:    Defaults{Brand: "acme"},
			want: Spec{Type: "owners", Brand: "acme", Wave: "2026-H1", Line: 40},
		},
		{
			name: "scorecard takes the only assessment and ignores the page",
			body: `type = "scorecard"`,
			d:    page,
			want: Spec{Type: "scorecard", Assessment: "maturity", Wave: "2026-H1", Line: 40},
		},
		{
			name: "unknown journey at its line with a suggestion",
			body: "type = \"heatmap\"\njourney = \"onbording\"",
			d:    page,
			errs: []want{{41, 11, `unknown journey "onbording" (did you mean "onboarding"?)`}},
		},
		{
			name: "unknown wave and brand, both reported",
			body: "type = \"trend\"\nbrand = \"acne\"\nwave = \"2026-H3\"",
			d:    page,
			errs: []want{
				{41, 9, `unknown brand "acne" (did you mean "acme"?)`},
				{42, 8, `unknown wave "2026-H3" (did you mean "2026-H1"?)`},
			},
		},
		{
			name: "a journey chart without a journey",
			body: `type = "sankey"`,
			d:    Defaults{Brand: "acme"},
			errs: []want{{40, 1, `a sankey chart needs a journey`}},
		},
		{
			name: "segments: the only segment and the NPS by default",
			body: `type = "segments"`,
			d:    page,
			want: Spec{Type: "segments", Journey: "onboarding", Brand: "acme", Wave: "2026-H1", Segment: "region", NPS: true, Line: 40},
		},
		{
			name: "segments: unknown segment, touchpoint and attribute, each at its line with the nearest name",
			body: "type = \"segments\"\nsegment = \"regoin\"\ntouchpoint = \"call-center\"\nattribute = \"clarty\"",
			d:    page,
			errs: []want{
				{41, 11, `unknown segment "regoin" (did you mean "region"?)`},
				{42, 14, `journey "onboarding": unknown touchpoint "call-center" (did you mean "call-centre"?)`},
				{43, 13, `brand "acme": unknown attribute "clarty" (did you mean "clarity"?)`},
			},
		},
		{
			name: "unknown assessment",
			body: "type = \"scorecard\"\nassessment = \"maturty\"",
			d:    page,
			errs: []want{{41, 14, `unknown assessment "maturty" (did you mean "maturity"?)`}},
		},
		{
			name: "a brand that is not the journey's",
			body: "type = \"radar\"\njourney = \"onboarding\"\nbrand = \"other\"",
			d:    page,
			errs: []want{
				{42, 9, `journey "onboarding" belongs to brand "acme", not "other"`},
				{42, 9, `unknown brand "other"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(parse(t, tt.body), tt.d, f.ctx)
			checkDiagnostics(t, err, tt.errs)
			if len(tt.errs) == 0 {
				got.at = keyPlaces{}
				if got != tt.want {
					t.Errorf("Resolve = %+v, want %+v", got, tt.want)
				}
			}
		})
	}
}

// FuzzParseSpec: no input panics; a block that parses names a known
// type and a height that is safe in a style attribute; every
// diagnostic sits at or after the block's first line.
func FuzzParseSpec(f *testing.F) {
	for _, seed := range []string{
		"type = \"heatmap\"\njourney = \"onboarding\"\n",
		"type = \"trend\"\nbrand = \"acme\"\nheight = \"30rem\"\n",
		"type = \"heatmpa\"\n",
		"jurney = 1\n[t]\nx = [1, 2]\n",
		"type = \"nps\"\nheight = \"1px;}</style>\"\n",
		"title = \"</script><script>alert(1)</script>\"\ntype = \"gap\"\n",
		"type = '''\nheatmap'''\n",
		"\ufefftype = \"radar\"",
		"a.b.c = 1\n\"quoted key\" = 2\n",
		"type = \"gap\"\njourney = \"\"\n",
	} {
		f.Add([]byte(seed), 1)
	}
	f.Fuzz(func(t *testing.T, body []byte, line int) {
		if line < 1 || line > 1<<20 {
			line = 1
		}
		spec, err := ParseSpec(body, line)
		if err != nil {
			var list *diag.Errors
			if !errors.As(err, &list) || len(list.Items) == 0 {
				t.Fatalf("error %v is not a non-empty *diag.Errors", err)
			}
			for _, d := range list.Items {
				if d.Line < line || d.Col < 1 {
					t.Fatalf("diagnostic %+v placed before the block (line %d)", d, line)
				}
			}
			return
		}
		if !knownType(spec.Type) {
			t.Fatalf("accepted unknown type %q", spec.Type)
		}
		if spec.Height != "" && !cssLength.MatchString(spec.Height) {
			t.Fatalf("accepted height %q", spec.Height)
		}
		if spec.Line != line {
			t.Fatalf("Line = %d, want %d", spec.Line, line)
		}
	})
}
