package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/pgtest"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/postgres"
	"github.com/touchstone-cx/touchstone/internal/source/pulled"
)

// dbSite writes a small site whose answers are in PostgreSQL, read by
// a read-only role with a password.
func dbSite(t *testing.T) (root string, srv *pgtest.Server) {
	t.Helper()
	srv = pgtest.Start(t)
	srv.Exec(t,
		"CREATE SCHEMA cx",
		"CREATE TABLE cx.responses (respondent text, wave text, journey text, touchpoint text, \"be-there\" int, clarity numeric, recommend int, comment text, region text)",
		`INSERT INTO cx.responses SELECT 'R' || i, CASE WHEN i % 2 = 0 THEN '2025-H2' ELSE '2026-H1' END, 'onboarding',
			CASE WHEN i % 3 = 0 THEN 'call-centre' ELSE 'welcome-pack' END, 1 + i % 5, 1 + (i % 9) / 2.0, i % 11,
			CASE WHEN i % 4 = 0 THEN 'comment ' || i END, CASE WHEN i % 3 = 1 THEN 'North' ELSE 'South' END
			FROM generate_series(1, 400) AS i`,
		"CREATE ROLE reader LOGIN PASSWORD 'pw-Secret-42'",
		"GRANT USAGE ON SCHEMA cx TO reader",
		"GRANT SELECT ON cx.responses TO reader",
	)
	root = t.TempDir()
	files := map[string]string{
		"site.toml":                     "title = \"DB\"\nbrand = \"acme\"\nwaves = [\"2025-H2\", \"2026-H1\"]\n[scale]\nmin = 1\nmax = 5\n",
		"data/brands/acme.toml":         "name = \"Acme\"\n[[attributes]]\nid = \"be-there\"\nname = \"Be There\"\n[[attributes]]\nid = \"clarity\"\nname = \"Clarity\"\n",
		"data/journeys/onboarding.toml": "title = \"Onboarding\"\nbrand = \"acme\"\nstages = [\"Join\", \"Help\"]\n[[touchpoints]]\nid = \"welcome-pack\"\nname = \"Welcome pack\"\nstage = \"Join\"\nimportance = 2\npromise = { be-there = 4.0, clarity = 4.5 }\n[[touchpoints]]\nid = \"call-centre\"\nname = \"Call centre\"\nstage = \"Help\"\nimportance = 5\npromise = { be-there = 5.0, clarity = 4.0 }\n",
		"data/sources/cx.toml":          "kind = \"postgres\"\ndsn = \"$TOUCHSTONE_PG\"\ntable = \"cx.responses\"\nshape = \"responses\"\nsegments = { region = \"region\" }\n",
	}
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root, srv
}

// touchstone pull writes the statistics with where and when, never the
// password; without the database the source reads the pull and gives
// the same statistics.
func TestPull(t *testing.T) {
	root, srv := dbSite(t)
	dsn := fmt.Sprintf("postgres://reader:pw-Secret-42@127.0.0.1:%d/postgres?sslmode=disable", srv.Port)
	t.Setenv("TOUCHSTONE_PG", dsn)

	if _, stderr, code := runCLI(t, "pull", "-s", root, "cz"); code != 2 || !strings.Contains(stderr, `did you mean "cx"`) {
		t.Errorf("pull cz: exit %d, %s", code, stderr)
	}
	stdout, stderr, code := runCLI(t, "pull", "-s", root)
	if code != 0 {
		t.Fatalf("pull: exit %d: %s", code, stderr)
	}
	where := fmt.Sprintf("127.0.0.1:%d/postgres", srv.Port)
	if !strings.Contains(stdout, "pulled cx from "+where) {
		t.Errorf("stdout: %s", stdout)
	}
	file, err := os.ReadFile(filepath.Join(root, "data", "pulled", "cx.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file, []byte("pw-Secret-42")) || bytes.Contains(file, []byte("reader")) {
		t.Errorf("the pull holds the login:\n%s", file)
	}
	if !bytes.Contains(file, []byte("pull,,,,,,,where,"+where+"\n")) || !bytes.Contains(file, []byte("pull,,,,,,,when,")) {
		t.Errorf("no provenance:\n%s", file[:300])
	}

	site, _ := load.Site(root)
	var diags diag.List
	live := postgres.SourcesEnv(root, &diags, func(string) (string, bool) { return dsn, true })
	t.Setenv("TOUCHSTONE_PG", "")
	off := postgres.SourcesEnv(root, &diags, os.LookupEnv)
	if len(live) != 1 || len(off) != 1 {
		t.Fatalf("sources %d, %d", len(live), len(off))
	}
	if _, ok := off[0].(*pulled.Source); !ok {
		t.Fatalf("without the database, the source is %T, want the pull", off[0])
	}
	env := &source.Env{Root: root, Site: site, Diags: &diags}
	a, b := live[0].Load(context.Background(), env), off[0].Load(context.Background(), env)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if b.Pull == nil || b.Pull.Where != where || !strings.Contains(strings.Join(b.Inputs, " "), "data/sources/cx.toml") {
		t.Errorf("pull %+v, inputs %v", b.Pull, b.Inputs)
	}
	var wa, wb bytes.Buffer
	pulled.Write(&wa, a, model.Pull{})
	pulled.Write(&wb, b, model.Pull{})
	if wa.String() != wb.String() || len(a.Data.Cells) != 8 || len(a.Order) != 2 {
		t.Errorf("the pull differs from the database (%d cells, %d segment values):\n%s\nvs\n%s", len(a.Data.Cells), len(a.Order), wa.String(), wb.String())
	}
}
