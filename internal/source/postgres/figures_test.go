package postgres_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/pgtest"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/postgres"
)

// testSite is a small site: one brand of three attributes, two
// journeys whose touchpoints promise some of them.
func testSite() *model.Site {
	tp := func(id string, attrs ...string) *model.Touchpoint {
		p := map[string]float64{}
		for _, a := range attrs {
			p[a] = 4
		}
		return &model.Touchpoint{ID: id, Promise: p, PromiseOrder: attrs, Importance: 3}
	}
	return &model.Site{
		Config: model.Config{Scale: model.Scale{Min: 1, Max: 5}, Brand: "nw"},
		Brands: []*model.Brand{{ID: "nw", Attributes: []*model.Attribute{{ID: "be-there"}, {ID: "clarity"}, {ID: "warmth"}}}},
		Journeys: []*model.Journey{
			{ID: "onboarding", Brand: "nw", Touchpoints: []*model.Touchpoint{tp("call", "be-there", "clarity"), tp("invoice", "clarity")}},
			{ID: "storm", Brand: "nw", Touchpoints: []*model.Touchpoint{tp("outage", "warmth", "be-there")}},
		},
	}
}

// answerRow is one respondent at one touchpoint, as the wide table
// holds it; nil is a missing answer.
type answerRow struct {
	respondent, wave, journey, touchpoint string
	region                                *string
	weight                                float64
	scores                                map[string]*float64
	recommend                             *float64
	comment                               string
}

var attrs = []string{"be-there", "clarity", "warmth"}

// rowsFor makes n respondents' answers, with decimals, gaps, blank
// touchpoints (journey-level recommend) and comments.
func rowsFor(n int, seed uint64) []answerRow {
	r := rand.New(rand.NewPCG(seed, 7))
	regions := []string{"North", "South", "East"}
	var out []answerRow
	for i := range n {
		wave := []string{"2025-H2", "2026-H1"}[r.IntN(2)]
		journey, tps := "onboarding", []string{"call", "invoice", ""}
		if r.IntN(3) == 0 {
			journey, tps = "storm", []string{"outage", ""}
		}
		var region *string
		if r.IntN(10) > 0 {
			region = &regions[r.IntN(3)]
		}
		w := float64(1+r.IntN(16)) / 8 // 0.125 .. 2
		for _, tp := range tps {
			if r.IntN(4) == 0 {
				continue
			}
			row := answerRow{respondent: fmt.Sprintf("R%05d", i), wave: wave, journey: journey, touchpoint: tp,
				region: region, weight: w, scores: map[string]*float64{}}
			if tp != "" {
				for _, a := range attrs {
					if r.IntN(6) > 0 {
						x := float64(1+r.IntN(9)) / 2 // 0.5 steps, 0.5..4.5 → shifted
						x = math.Min(5, x+0.5)
						row.scores[a] = &x
					}
				}
			}
			if r.IntN(5) > 0 {
				x := float64(r.IntN(11))
				row.recommend = &x
			}
			if r.IntN(3) == 0 && tp != "" {
				row.comment = fmt.Sprintf("comment %d at %s, it's \"fine\"", i, tp)
			}
			out = append(out, row)
		}
	}
	return out
}

// expected computes, in Go, what the database must return for rows.
func expected(site *model.Site, rows []answerRow, weighted bool) *source.Result {
	res := source.NewResult(model.FromResponses)
	for _, row := range rows {
		w := 1.0
		if weighted {
			w = row.weight
		}
		datas := []*source.Data{res.Data}
		if row.region != nil {
			datas = append(datas, res.Segment(source.SegmentValue{Segment: "region", Value: *row.region}))
		}
		for _, d := range datas {
			if row.touchpoint == "" {
				if row.recommend != nil {
					k := model.JourneyKey{Wave: row.wave, Journey: row.journey}
					if d.JourneyNPS[k] == nil {
						d.JourneyNPS[k] = &model.NPSCounts{}
					}
					d.JourneyNPS[k].AddNPS(int(*row.recommend), w)
				}
				continue
			}
			for _, a := range attrs {
				if x := row.scores[a]; x != nil {
					k := model.CellKey{Wave: row.wave, Journey: row.journey, Touchpoint: row.touchpoint, Attribute: a}
					if d.Cells[k] == nil {
						d.Cells[k] = &source.Acc{}
					}
					d.Cells[k].Add(*x, w)
				}
			}
			tk := model.TouchKey{Wave: row.wave, Journey: row.journey, Touchpoint: row.touchpoint}
			if row.recommend != nil {
				if d.NPS[tk] == nil {
					d.NPS[tk] = &model.NPSCounts{}
				}
				d.NPS[tk].AddNPS(int(*row.recommend), w)
			}
			if row.comment != "" {
				if d.Verbatims[tk] == nil {
					d.Verbatims[tk] = &model.Verbatims{}
				}
				d.Verbatims[tk].Total++
			}
			vars := postgres.JourneyVars(site.Journey(row.journey))
			x := make([]float64, len(vars))
			complete := row.recommend != nil
			for i, v := range vars {
				switch {
				case v == "recommend" && row.recommend != nil:
					x[i] = *row.recommend
				case row.scores[v] != nil:
					x[i] = *row.scores[v]
				default:
					complete = false
				}
			}
			if complete {
				jk := model.JourneyKey{Wave: row.wave, Journey: row.journey}
				if d.Drivers[jk] == nil {
					d.Drivers[jk] = model.NewDriverSums(vars)
				}
				d.Drivers[jk].Add(x, w)
			}
		}
	}
	return res
}

const wideColumns = `respondent text, wave text, journey text, touchpoint text, region text, wgt double precision,
	"be-there" numeric, clarity double precision, "Warmth" real, recommend int, comment text, finished int`

const longColumns = `response_id text, wave text, journey text, touchpoint text, region text, wgt double precision,
	question text, value numeric, comment_text text`

// insert writes rows into the wide table and the long table (one row
// per answer, the comment repeated on each of the respondent's rows),
// plus rows the sources' where filters must drop.
func insert(t *testing.T, c *pgx.Conn, rows []answerRow) {
	t.Helper()
	ctx := context.Background()
	f := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	var wide, long [][]any
	qs := map[string]string{"be-there": "Q1", "clarity": "Q2", "warmth": "Q3"}
	for _, r := range rows {
		var region any
		if r.region != nil {
			region = *r.region
		}
		var rec any
		if r.recommend != nil {
			rec = int32(*r.recommend)
		}
		var comment any
		if r.comment != "" {
			comment = r.comment
		}
		tp := any(r.touchpoint)
		if r.touchpoint == "" {
			tp = nil
		}
		wide = append(wide, []any{r.respondent, r.wave, r.journey, tp, region, r.weight,
			f(r.scores["be-there"]), f(r.scores["clarity"]), f(r.scores["warmth"]), rec, comment, int32(1)})
		for _, a := range attrs {
			if x := r.scores[a]; x != nil {
				long = append(long, []any{r.respondent, r.wave, r.journey, tp, region, r.weight, qs[a], *x, comment})
			}
		}
		if r.recommend != nil {
			long = append(long, []any{r.respondent, r.wave, r.journey, tp, region, r.weight, "NPS", *r.recommend, comment})
		}
	}
	// Unfinished responses, off the scale: the where filter drops them.
	wide = append(wide, []any{"X1", "2026-H1", "onboarding", "call", "North", 1.0, 99.0, 99.0, 99.0, int32(99), "dropped", int32(0)})
	cols := []string{"respondent", "wave", "journey", "touchpoint", "region", "wgt", "be-there", "clarity", "Warmth", "recommend", "comment", "finished"}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"responses"}, cols, pgx.CopyFromRows(wide)); err != nil {
		t.Fatal(err)
	}
	lcols := []string{"response_id", "wave", "journey", "touchpoint", "region", "wgt", "question", "value", "comment_text"}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"answers"}, lcols, pgx.CopyFromRows(long)); err != nil {
		t.Fatal(err)
	}
}

// sources are the source files the tests read the same rows through.
var sources = map[string]string{
	"wide.toml": `kind = "postgres"
dsn = "$PG"
table = "responses"
shape = "responses"
weight = "wgt"
where = { finished = [1] }
segments = { region = "region" }
`,
	"unweighted.toml": `kind = "postgres"
dsn = "$PG"
query = "SELECT * FROM responses WHERE finished = 1"
shape = "responses"
segments = { region = "region" }
`,
	"long.toml": `kind = "postgres"
dsn = "$PG"
table = "answers"
shape = "long"
columns = { respondent = "response_id", attribute = "question", score = "value", weight = "wgt", comment = "comment_text" }
attributes = { Q1 = "be-there", Q2 = "clarity", Q3 = "warmth", NPS = "recommend" }
segments = { region = "region" }
`,
}

func writeSources(t *testing.T) string {
	root := t.TempDir()
	dir := filepath.Join(root, "data", "sources")
	os.MkdirAll(dir, 0o755)
	for name, src := range sources {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func fetch(t *testing.T, root, name, dsn string, site *model.Site) *source.Result {
	t.Helper()
	s, err := postgres.Open(root, "data/sources/"+strings.TrimSuffix(name, "+counts"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, "+counts") {
		s.PatternItems = -1 // every item counts its own answers
	}
	s.Getenv = func(k string) (string, bool) { return dsn, k == "PG" }
	var diags diag.List
	res, _ := s.Fetch(context.Background(), site, &diags)
	if diags.Len() > 0 {
		t.Fatalf("%s: %v", name, diags.Err())
	}
	return res
}

// TestFiguresSingleAndSharded reads the same rows through each table
// shape on one server and on the three-server postgres_fdw setup; every
// figure equals, to 1e-9, the figures computed here in Go from the rows
// inserted.
func TestFiguresSingleAndSharded(t *testing.T) {
	site := testSite()
	rows := rowsFor(1500, 1)
	root := writeSources(t)
	want := map[string]*source.Result{
		"wide.toml":              expected(site, rows, true),
		"wide.toml+counts":       expected(site, rows, true),
		"unweighted.toml+counts": expected(site, rows, false),
		"long.toml":              expected(site, rows, true),
		"unweighted.toml":        expected(site, rows, false),
	}
	check := func(t *testing.T, dsn string) map[string]*source.Result {
		got := map[string]*source.Result{}
		names := []string{"wide.toml+counts", "unweighted.toml+counts"}
		for name := range sources {
			names = append(names, name)
		}
		for _, name := range names {
			got[name] = fetch(t, root, name, dsn, site)
			t.Logf("%s: %d cells, %d NPS, %d journey NPS, %d drivers, %d verbatims, %d segment values", name, len(got[name].Data.Cells),
				len(got[name].Data.NPS), len(got[name].Data.JourneyNPS), len(got[name].Data.Drivers), len(got[name].Data.Verbatims), len(got[name].Segments))
			compareResults(t, name, got[name], want[name])
		}
		return got
	}

	var single map[string]*source.Result
	t.Run("single", func(t *testing.T) {
		s := pgtest.Start(t)
		s.Exec(t, "CREATE TABLE responses ("+wideColumns+")", "CREATE TABLE answers ("+longColumns+")")
		insert(t, s.Conn(t), rows)
		single = check(t, s.DSN("postgres"))
	})
	t.Run("sharded", func(t *testing.T) {
		sh := pgtest.StartSharded(t, [2][]string{{"2025-H2"}, {"2026-H1"}},
			pgtest.Table{Name: "responses", Columns: wideColumns, Key: "wave"},
			pgtest.Table{Name: "answers", Columns: longColumns, Key: "wave"})
		insert(t, sh.Coordinator.Conn(t), rows)
		// As autovacuum would on a live coordinator: without statistics
		// on the foreign partitions the planner may think a remote
		// GROUP BY not worth it for tiny tables.
		sh.Coordinator.Exec(t, "ANALYZE responses", "ANALYZE answers")
		for i, s := range sh.Shards {
			var n int
			s.Conn(t).QueryRow(context.Background(), "SELECT count(*) FROM responses").Scan(&n)
			if n == 0 {
				t.Fatalf("shard %d holds no rows: the setup does not shard", i)
			}
		}
		sharded := check(t, sh.Coordinator.DSN("postgres"))
		explainPushdown(t, sh.Coordinator, site, "wide.toml", wideColumns)
		explainPushdown(t, sh.Coordinator, site, "long.toml", longColumns)
		for name := range sources {
			if single[name] != nil {
				compareResults(t, name+" sharded vs single", sharded[name], single[name])
			}
		}
	})
}

func close(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func compareResults(t *testing.T, name string, got, want *source.Result) {
	t.Helper()
	compareData(t, name, got.Data, want.Data)
	if len(got.Segments) != len(want.Segments) {
		t.Errorf("%s: %d segment values, want %d", name, len(got.Segments), len(want.Segments))
	}
	for sv, wd := range want.Segments {
		gd := got.Segments[sv]
		if gd == nil {
			t.Errorf("%s: segment %v missing", name, sv)
			continue
		}
		compareData(t, fmt.Sprintf("%s %s=%s", name, sv.Segment, sv.Value), gd, wd)
	}
}

func compareData(t *testing.T, name string, got, want *source.Data) {
	t.Helper()
	if len(got.Cells) != len(want.Cells) {
		t.Errorf("%s: %d cells, want %d", name, len(got.Cells), len(want.Cells))
	}
	for k, w := range want.Cells {
		g := got.Cells[k]
		if g == nil {
			t.Errorf("%s: cell %v missing", name, k)
			continue
		}
		if g.N != w.N || !close(g.SW, w.SW) || !close(g.SWX, w.SWX) || !close(g.SWXX, w.SWXX) || !close(g.SWW, w.SWW) {
			t.Errorf("%s: cell %v = %+v, want %+v", name, k, g.Moments, w.Moments)
		}
		gc, wc := g.Cell(model.FromResponses), w.Cell(model.FromResponses)
		if !close(gc.Mean, wc.Mean) || !close(gc.SD, wc.SD) || !close(gc.NEff, wc.NEff) || gc.Weighted != wc.Weighted {
			t.Errorf("%s: cell %v figures %+v, want %+v", name, k, gc, wc)
		}
	}
	compareNPS(t, name, got.NPS, want.NPS)
	compareNPS(t, name+" journey", got.JourneyNPS, want.JourneyNPS)
	if len(got.Drivers) != len(want.Drivers) {
		t.Errorf("%s: drivers of %d journeys, want %d", name, len(got.Drivers), len(want.Drivers))
	}
	for k, w := range want.Drivers {
		g := got.Drivers[k]
		if g == nil {
			t.Errorf("%s: drivers %v missing", name, k)
			continue
		}
		ok := g.N == w.N && close(g.SW, w.SW) && strings.Join(g.Vars, ",") == strings.Join(w.Vars, ",")
		for i := range w.S {
			ok = ok && close(g.S[i], w.S[i])
		}
		for i := range w.SS {
			ok = ok && close(g.SS[i], w.SS[i])
		}
		if !ok {
			t.Errorf("%s: drivers %v = %+v, want %+v", name, k, g, w)
		}
	}
	if len(got.Verbatims) != len(want.Verbatims) {
		t.Errorf("%s: verbatims at %d touchpoints, want %d", name, len(got.Verbatims), len(want.Verbatims))
	}
	for k, w := range want.Verbatims {
		g := got.Verbatims[k]
		if g == nil || g.Total != w.Total {
			t.Errorf("%s: verbatims %v = %+v, want total %d", name, k, g, w.Total)
			continue
		}
		if len(g.Comments) == 0 || len(g.Comments) > min(w.Total, postgres.MaxVerbatims) {
			t.Errorf("%s: %d comments kept of %d", name, len(g.Comments), w.Total)
		}
	}
}

func compareNPS[K comparable](t *testing.T, name string, got, want map[K]*model.NPSCounts) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: NPS of %d, want %d", name, len(got), len(want))
	}
	for k, w := range want {
		g := got[k]
		if g == nil {
			t.Errorf("%s: NPS %v missing", name, k)
			continue
		}
		if g.Promoters != w.Promoters || g.Passives != w.Passives || g.Detractors != w.Detractors ||
			!close(g.WPromoters, w.WPromoters) || !close(g.WPassives, w.WPassives) || !close(g.WDetractors, w.WDetractors) ||
			!close(g.SWW, w.SWW) || g.Weighted != w.Weighted {
			t.Errorf("%s: NPS %v = %+v, want %+v", name, k, g, w)
		}
	}
}

// explainPushdown asks the coordinator how it runs a source's query:
// the GROUP BY (the long shape's inner one) must go to each shard
// (postgres_fdw's Remote SQL), so that only grouped rows cross the
// network.
func explainPushdown(t *testing.T, c *pgtest.Server, site *model.Site, name, columns string) {
	t.Helper()
	var diags diag.List
	spec := postgres.Parse(name, []byte(sources[name]), &diags)
	types := map[string]uint32{"text": pgtype.TextOID, "double": pgtype.Float8OID, "numeric": pgtype.NumericOID, "real": pgtype.Float4OID, "int": pgtype.Int4OID}
	var cols []postgres.Column
	for _, def := range strings.Split(columns, ",") {
		f := strings.Fields(def)
		cols = append(cols, postgres.Column{Name: strings.Trim(f[0], `"`), Type: types[f[1]]})
	}
	plan := spec.Resolve(cols, site, &diags)
	if diags.Len() > 0 || plan == nil {
		t.Fatal(diags.Err())
	}
	q, _ := plan.Aggregate()
	conn := c.Conn(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "SET enable_partitionwise_aggregate = on"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "EXPLAIN (VERBOSE) "+q)
	if err != nil {
		t.Fatal(err)
	}
	var plans []string
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plans = append(plans, line)
	}
	rows.Close()
	remote := 0
	for _, l := range plans {
		if strings.Contains(l, "Remote SQL:") && strings.Contains(l, "GROUP BY") {
			remote++
		}
	}
	if remote != 2 {
		t.Errorf("%s: the aggregate is not pushed down to both shards:\n%s", name, strings.Join(plans, "\n"))
	}
}
