package postgres_test

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/source/postgres"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // diagnostics, as path:line:col: message substrings
	}{
		{"ok long", `kind = "postgres"
dsn = "${PG}"
table = "cx.answers"
shape = "long"
columns = { respondent = "id", attribute = "q", score = "v" }
wave = { column = "started", ranges = { "2025-H2" = ["2025-07-01", "2025-12-31"], "2026-H1" = ["2026-01-01", "2026-06-30"] } }
`, nil},
		{"unknown key", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"responses\"\nsegmnts = { a = \"b\" }\n",
			[]string{`:5:1: unknown key "segmnts" (did you mean "segments"?)`}},
		{"literal dsn", "kind = \"postgres\"\ndsn = \"host=db password=hunter2\"\ntable = \"t\"\nshape = \"responses\"\n",
			[]string{":2:7: dsn must name an environment variable"}},
		{"kind", "kind = \"postgress\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"responses\"\n",
			[]string{`:1:8: unknown kind "postgress" (did you mean "postgres"?)`}},
		{"both", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nquery = \"SELECT 1\"\nshape = \"responses\"\n",
			[]string{":4:9: give table or query, not both"}},
		{"not select", "kind = \"postgres\"\ndsn = \"$PG\"\nquery = \"DELETE FROM t\"\nshape = \"responses\"\n",
			[]string{":3:9: query must be one SELECT"}},
		{"shape", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"lng\"\n",
			[]string{`:4:9: unknown shape "lng" (did you mean "long"?)`}},
		{"no shape", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\n", []string{"say how the table is shaped"}},
		{"role", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"long\"\ncolumns = { scroe = \"v\" }\n",
			[]string{`:5:13: unknown column role "scroe" (did you mean "score"?)`}},
		{"ranges", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"responses\"\nwave = { column = \"d\", ranges = { a = [\"2026-01-01\", \"2025-01-01\"], b = [\"2026-13-01\", \"x\"] } }\n",
			[]string{`wave "a" ends (2025-01-01) before it starts`, `the range of wave "b" must be two dates`}},
		{"overlap", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"responses\"\nwave = { column = \"d\", ranges = { a = [\"2026-01-01\", \"2026-03-01\"], b = [\"2026-03-01\", \"2026-04-01\"] } }\n",
			[]string{`the ranges of waves "a" and "b" overlap`}},
		{"survey", "kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\n[[questions]]\ncolumn = \"Q1\"\n",
			[]string{"survey-shaped tables ([[questions]]) are not read from databases yet"}},
		{"syntax", "kind = \"postgres\"\ndsn = \n", []string{":2:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.List
			postgres.Parse("data/sources/x.toml", []byte(tc.src), &diags)
			var got []string
			for _, d := range diags.Items() {
				got = append(got, d.Error())
			}
			all := strings.Join(got, "\n")
			if len(tc.want) == 0 && len(got) > 0 {
				t.Errorf("unexpected problems:\n%s", all)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("want %q in:\n%s", w, all)
				}
			}
			if strings.Contains(all, "hunter2") {
				t.Errorf("the password is shown:\n%s", all)
			}
		})
	}
}

// FuzzParse: any source file parses without panicking; every problem is
// placed in the file; a file without problems names an environment
// variable for its DSN, one of table or query, and a known shape; and a
// literal DSN is never repeated in a message.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		sources["wide.toml"], sources["long.toml"], sources["unweighted.toml"],
		"kind = \"postgres\"\ndsn = \"postgres://u:hunter2@h/db\"\ntable = \"t\"\nshape = \"responses\"\n",
		"kind = \"postgres\"\ndsn = \"$PG\"\ntable = \"t\"\nshape = \"responses\"\nwave = { column = \"d\", ranges = { a = [\"2026-01-01\", \"2026-03-01\"] } }\nwhere = { f = [1, \"x\", true] }\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var diags diag.List
		spec := postgres.Parse("s.toml", src, &diags)
		lines := strings.Count(string(src), "\n") + 2
		for _, d := range diags.Items() {
			if d.Path != "s.toml" || d.Line < 1 || d.Line > lines {
				t.Fatalf("misplaced: %v (%d lines)", d, lines)
			}
		}
		var raw struct {
			DSN any `toml:"dsn"`
		}
		if _, err := toml.Decode(strings.TrimPrefix(string(src), "\ufeff"), &raw); err == nil {
			if dsn, ok := raw.DSN.(string); ok && len(dsn) > 3 && !strings.HasPrefix(dsn, "$") {
				for _, d := range diags.Items() {
					if strings.Contains(d.Msg, dsn) && !strings.Contains(d.Msg, "unknown key") {
						t.Fatalf("a literal DSN is repeated: %v", d)
					}
				}
			}
		}
		if diags.HasErrors() {
			return
		}
		if spec == nil || spec.DSNVar == "" || (spec.Table == "") == (spec.Query == "") ||
			(spec.Shape != postgres.ShapeResponses && spec.Shape != postgres.ShapeLong) {
			t.Fatalf("accepted an unusable source: %+v", spec)
		}
	})
}
