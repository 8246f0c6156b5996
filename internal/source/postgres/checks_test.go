package postgres_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/pgtest"
	"github.com/touchstone-cx/touchstone/internal/source/postgres"
)

const password = "S3cret-pw!x"

// TestChecks: every problem with the database is a positioned error at
// the source file, with the nearest name suggested, and the password
// appears in no message.
func TestChecks(t *testing.T) {
	s := pgtest.Start(t)
	s.Exec(t,
		"CREATE TABLE responses ("+wideColumns+")",
		"CREATE TABLE private (wave text, journey text, touchpoint text, clarity int)",
		"CREATE ROLE reader LOGIN PASSWORD '"+password+"'",
		"GRANT SELECT ON responses TO reader",
	)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().(*net.TCPAddr).Port
	l.Close()

	reader := fmt.Sprintf("postgres://reader:%s@127.0.0.1:%d/postgres?sslmode=disable", password, s.Port)
	kv := fmt.Sprintf("host=127.0.0.1 port=%d user=reader password='%s' dbname=postgres sslmode=disable", s.Port, password)
	head := "kind = \"postgres\"\ndsn = \"$PG\"\n"
	tests := []struct {
		name, file, dsn string
		line            int
		want            string
	}{
		{"column", head + "table = \"responses\"\nshape = \"responses\"\ncolumns = { touchpoint = \"touchpont\" }\n", reader, 5,
			`unknown column "touchpont" (did you mean "touchpoint"?)`},
		{"segment column", head + "table = \"responses\"\nshape = \"responses\"\nsegments = { region = \"regon\" }\n", reader, 5,
			`did you mean "region"?`},
		{"weight column", head + "table = \"responses\"\nshape = \"responses\"\nweight = \"wgts\"\n", reader, 5,
			`did you mean "wgt"?`},
		{"table", head + "table = \"responsse\"\nshape = \"responses\"\n", reader, 3,
			`unknown table "responsse" (did you mean "responses"?)`},
		{"permission", head + "table = \"private\"\nshape = \"responses\"\n", kv, 3,
			"permission denied"},
		{"refused", head + "table = \"responses\"\nshape = \"responses\"\n",
			fmt.Sprintf("postgres://reader:%s@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", password, closedPort), 2,
			"cannot connect to 127.0.0.1:"},
		{"bad dsn", head + "table = \"responses\"\nshape = \"responses\"\n",
			"postgres://reader:" + password + "@127.0.0.1:notaport/postgres", 2, "is not valid"},
		{"bad dsn key", head + "table = \"responses\"\nshape = \"responses\"\n",
			"host=127.0.0.1 password=" + password + " port=x", 2, "is not valid"},
		{"wrong password", head + "table = \"responses\"\nshape = \"responses\"\n",
			strings.Replace(reader, password, password+"-old", 1), 2, "refused the login"},
		{"unset", head + "table = \"responses\"\nshape = \"responses\"\n", "", 2,
			"PG that holds the DSN is not set"},
		{"literal dsn", "kind = \"postgres\"\ndsn = \"" + reader + "\"\ntable = \"responses\"\nshape = \"responses\"\n", reader, 2,
			"dsn must name an environment variable"},
		{"query", head + "query = \"SELECT * FROM nowhere\"\nshape = \"responses\"\n", reader, 3,
			"does not exist"},
		{"scale", head + "query = \"SELECT *, 7 AS warmth FROM responses\"\nshape = \"responses\"\n", reader, 3,
			`1 rows hold an answer outside the scale 1..5`},
		{"recommend", head + "query = \"SELECT *, 11 AS recommend2 FROM responses\"\nshape = \"responses\"\ncolumns = { recommend = \"recommend2\" }\n", reader, 3,
			`1 rows hold an answer outside the scale 1..5 (or a recommend answer outside 0..10)`},
		{"weight", head + "query = \"SELECT *, -1 AS w FROM responses\"\nshape = \"responses\"\nweight = \"w\"\n", reader, 3,
			`1 rows have a weight that is not a positive number`},
	}
	s.Exec(t, "INSERT INTO responses (respondent, wave, journey, touchpoint, clarity) VALUES ('a', '2026-H1', 'onboarding', 'call', 3)")
	site := testSite()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, "data", "sources"), 0o755)
			os.WriteFile(filepath.Join(root, "data", "sources", "db.toml"), []byte(tc.file), 0o644)
			src, err := postgres.Open(root, "data/sources/db.toml")
			if err != nil {
				t.Fatal(err)
			}
			src.Getenv = func(k string) (string, bool) { return tc.dsn, k == "PG" && tc.dsn != "" }
			var diags diag.List
			src.Fetch(context.Background(), site, &diags)
			items := diags.Items()
			if len(items) == 0 {
				t.Fatalf("no problem reported, want %q", tc.want)
			}
			found := false
			for _, d := range items {
				text := d.Error()
				if strings.Contains(text, password) || strings.Contains(text, "reader:") {
					t.Errorf("a message shows the password or DSN: %s", text)
				}
				if d.Path == "data/sources/db.toml" && d.Line == tc.line && strings.Contains(d.Msg, tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %q at line %d, got:\n%v", tc.want, tc.line, diags.Err())
			}
		})
	}
}
