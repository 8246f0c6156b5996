package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
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

// A site whose answers are in PostgreSQL builds like one whose answers
// are in a responses file: the same rows, written here as a CSV by an
// independent loop, give the same figures (to 1e-9). Without the
// database the build reads the pull, gives the same metrics.json, and
// every page's footer says where and when the data was pulled.
func TestDatabaseSiteBuilds(t *testing.T) {
	root, srv := dbSite(t)
	dsn := fmt.Sprintf("postgres://reader:pw-Secret-42@127.0.0.1:%d/postgres?sslmode=disable", srv.Port)
	t.Setenv("TOUCHSTONE_PG", dsn)
	out := filepath.Join(t.TempDir(), "live")
	if _, stderr, code := runCLI(t, "build", "-s", root, "-o", out); code != 0 {
		t.Fatalf("build from the database: exit %d: %s", code, stderr)
	}
	live := readMetrics(t, out)

	// The same rows as dbSite's generate_series, as a responses file.
	csvSite := t.TempDir()
	var rows strings.Builder
	rows.WriteString("respondent,wave,journey,touchpoint,be-there,clarity,recommend,comment\n")
	for i := 1; i <= 400; i++ {
		wave, tp, comment := "2026-H1", "welcome-pack", ""
		if i%2 == 0 {
			wave = "2025-H2"
		}
		if i%3 == 0 {
			tp = "call-centre"
		}
		if i%4 == 0 {
			comment = fmt.Sprintf("comment %d", i)
		}
		fmt.Fprintf(&rows, "R%d,%s,onboarding,%s,%d,%g,%d,%s\n", i, wave, tp, 1+i%5, 1+float64(i%9)/2, i%11, comment)
	}
	for _, name := range []string{"site.toml", "data/brands/acme.toml", "data/journeys/onboarding.toml"} {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(csvSite, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, b, 0o644)
	}
	os.MkdirAll(filepath.Join(csvSite, "data", "responses"), 0o755)
	os.WriteFile(filepath.Join(csvSite, "data", "responses", "answers.csv"), []byte(rows.String()), 0o644)
	outCSV := filepath.Join(t.TempDir(), "csv")
	if _, stderr, code := runCLI(t, "build", "-s", csvSite, "-o", outCSV); code != 0 {
		t.Fatalf("build from the CSV: exit %d: %s", code, stderr)
	}
	fromCSV := readMetrics(t, outCSV)
	delete(live, "segments") // a responses file has no segments
	compareNumbers(t, "journeys", live["journeys"], fromCSV["journeys"])
	compareNumbers(t, "brands", live["brands"], fromCSV["brands"])

	if _, stderr, code := runCLI(t, "pull", "-s", root); code != 0 {
		t.Fatalf("pull: exit %d: %s", code, stderr)
	}
	t.Setenv("TOUCHSTONE_PG", "")
	offline := filepath.Join(t.TempDir(), "offline")
	if _, stderr, code := runCLI(t, "build", "-s", root, "-o", offline); code != 0 {
		t.Fatalf("build from the pull: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(out, "data", "metrics.json"))
	b, _ := os.ReadFile(filepath.Join(offline, "data", "metrics.json"))
	if !bytes.Equal(a, b) {
		t.Errorf("metrics.json from the pull differs from the database's")
	}
	home, _ := os.ReadFile(filepath.Join(offline, "index.html"))
	where := fmt.Sprintf("127.0.0.1:%d/postgres", srv.Port)
	if !bytes.Contains(home, []byte("pulled from "+where)) {
		t.Errorf("the footer does not say where the data was pulled from")
	}
	if bytes.Contains(home, []byte("pw-Secret-42")) {
		t.Errorf("the page shows the password")
	}
}

func readMetrics(t *testing.T, out string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "data", "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// compareNumbers walks two decoded JSON values and fails on any
// difference beyond 1e-9 in a number or any difference in shape.
func compareNumbers(t *testing.T, path string, a, b any) {
	t.Helper()
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			t.Errorf("%s: %T vs %T", path, a, b)
			return
		}
		for k := range x {
			if _, ok := y[k]; !ok {
				t.Errorf("%s.%s only in the database's figures", path, k)
			}
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				t.Errorf("%s.%s only in the CSV's figures", path, k)
				continue
			}
			compareNumbers(t, path+"."+k, x[k], y[k])
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			t.Errorf("%s: %v vs %v", path, a, b)
			return
		}
		for i := range x {
			compareNumbers(t, fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
		}
	case float64:
		y, ok := b.(float64)
		if !ok || math.Abs(x-y) > 1e-9 {
			t.Errorf("%s: %v vs %v", path, a, b)
		}
	default:
		if a != b {
			t.Errorf("%s: %v vs %v", path, a, b)
		}
	}
}
