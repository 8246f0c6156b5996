// Package postgres reads survey answers from a PostgreSQL table or query
// described by data/sources/<id>.toml (SPEC §10). It pushes the
// aggregation down: one grouped query returns, per (wave, journey,
// touchpoint[, segments]), the sufficient statistics of every answer
// item, the NPS class sums and the key-driver cross-products, and a
// second query fetches a bounded sample of verbatims. No answer row
// crosses the network and memory does not grow with rows; the query is
// plain count/sum/CASE, so it runs unchanged on one server, on tables
// partitioned over postgres_fdw and on Citus.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/pulled"
)

// Source is one database source file.
type Source struct {
	rel   string
	spec  *Spec
	parse diag.List // problems of the file itself, reported by Load
	// Getenv reads the environment variable that holds the DSN; tests
	// replace it.
	Getenv func(string) (string, bool)
	// PatternItems is Plan.PatternItems for this source's queries (0:
	// the default); tests use it to run both forms of the query.
	PatternItems int
	// Took is how long the last Fetch's two queries ran, for pull's
	// report and the benchmark.
	Took struct{ Aggregate, Verbatims time.Duration }
}

// Open reads and parses the source file at rel (relative to root,
// slash-separated). Only an unreadable file is an error; problems in it
// are reported when the source loads.
func Open(root, rel string) (*Source, error) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	s := &Source{rel: rel, Getenv: os.LookupEnv}
	s.spec = Parse(rel, src, &s.parse)
	return s, nil
}

// Path is the source file.
func (s *Source) Path() string { return s.rel }

// Spec is the parsed source file, nil when it could not be parsed.
func (s *Source) Spec() *Spec { return s.spec }

// Configured reports whether the DSN's environment variable is set, so
// that a build can fall back to a pull file when it is not.
func (s *Source) Configured() bool {
	if s.spec == nil || s.spec.DSNVar == "" {
		return false
	}
	v, ok := s.Getenv(s.spec.DSNVar)
	return ok && strings.TrimSpace(v) != ""
}

// Load queries the database.
func (s *Source) Load(ctx context.Context, env *source.Env) *source.Result {
	res, _ := s.Fetch(ctx, env.Site, env.Diags)
	return res
}

// Fetch queries the database and says where the data came from
// (host:port/database, never a user or password) and when.
func (s *Source) Fetch(ctx context.Context, site *model.Site, diags *diag.List) (*source.Result, model.Pull) {
	res := source.NewResult(model.FromResponses)
	res.Inputs = []string{s.rel}
	diags.Append(&s.parse)
	pull := model.Pull{Source: idOf(s.rel), When: time.Now().UTC().Format(time.RFC3339)}
	if s.spec == nil || s.parse.HasErrors() {
		return res, pull
	}
	sp := s.spec
	dsnPos := sp.Pos("dsn")
	dsn, ok := s.Getenv(sp.DSNVar)
	if !ok || strings.TrimSpace(dsn) == "" {
		diags.Errorf(s.rel, dsnPos.Line, dsnPos.Col, "the environment variable %s that holds the DSN is not set, and there is no pull data/pulled/%s.csv: set it, or run touchstone pull where the database is reachable", sp.DSNVar, sp.ID)
		return res, pull
	}
	r := redactor(dsn)
	fail := func(pos interface{ lc() (int, int) }, format string, args ...any) {
		l, c := pos.lc()
		diags.Errorf(s.rel, l, c, "%s", r.clean(fmt.Sprintf(format, args...)))
	}
	at := func(path string) lc { p := sp.Pos(path); return lc{p.Line, p.Col} }
	relAt := lc{sp.RelPos().Line, sp.RelPos().Col}

	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		fail(at("dsn"), "the DSN in %s is not valid: %s", sp.DSNVar, unwrapParse(err))
		return res, pull
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	pull.Where = whereOf(cfg)
	r.add(cfg.Password)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		fail(at("dsn"), "cannot connect to %s (DSN from %s): %s", pull.Where, sp.DSNVar, connectReason(err))
		return res, pull
	}
	defer conn.Close(context.Background())
	// Best effort: engines speaking the protocol may not know these.
	// Partitionwise aggregation lets postgres_fdw push the GROUP BY to
	// each shard; read-only guards against a mis-granted role.
	conn.Exec(ctx, "SET enable_partitionwise_aggregate = on")
	conn.Exec(ctx, "SET default_transaction_read_only = on")
	// The grouped query's hash table holds a few hundred groups, but the
	// planner's guess multiplies the keys' distinct values; with the
	// default 4 MB it would sort every row instead.
	conn.Exec(ctx, "SET work_mem = '64MB'")
	// Compiling these wide expressions costs seconds a process (three
	// with parallel workers) and gains about as much on the aggregate,
	// and nothing on the verbatims query: measured in bench/RESULTS-postgres.md.
	conn.Exec(ctx, "SET jit = off")

	columns, err := describe(ctx, conn, sp.from())
	if err != nil {
		fail(relAt, "%s", s.relProblem(ctx, conn, err))
		return res, pull
	}
	plan := sp.Resolve(columns, site, diags)
	if plan == nil {
		return res, pull
	}
	plan.PatternItems = s.PatternItems
	q, cols := plan.Aggregate()
	g := &gather{plan: plan, site: site, res: res, first: model.Pos{Path: s.rel, Line: relAt.l, Col: relAt.c},
		problems: map[string]bool{}}
	var groups []*group
	start := time.Now()
	rows, err := conn.Query(ctx, q)
	if err == nil {
		for rows.Next() {
			vals, verr := rows.Values()
			if verr != nil {
				err = verr
				break
			}
			groups = append(groups, g.row(vals, cols))
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		fail(relAt, "the aggregate query on %s failed: %s", sp.where(), pgReason(err))
		return res, pull
	}
	s.Took.Aggregate = time.Since(start)
	sortGroups(groups)
	for _, gr := range groups {
		g.add(gr)
	}
	g.report(func(format string, args ...any) { fail(relAt, format, args...) }, sp)
	start = time.Now()
	if err := g.verbatims(ctx, conn); err != nil {
		fail(relAt, "the verbatims query on %s failed: %s", sp.where(), pgReason(err))
	}
	s.Took.Verbatims = time.Since(start)
	g.finish(sp)
	return res, pull
}

type lc struct{ l, c int }

func (p lc) lc() (int, int) { return p.l, p.c }

// from is the relation the queries read, aliased t.
func (s *Spec) from() string {
	if s.Query != "" {
		return "(" + strings.TrimSuffix(strings.TrimSpace(s.Query), ";") + ") AS t"
	}
	return relation(s.Table) + " AS t"
}

// describe lists the relation's columns without reading a row.
func describe(ctx context.Context, conn *pgx.Conn, from string) ([]Column, error) {
	rows, err := conn.Query(ctx, "SELECT * FROM "+from+" LIMIT 0")
	if err != nil {
		return nil, err
	}
	var cols []Column
	for _, f := range rows.FieldDescriptions() {
		cols = append(cols, Column{Name: f.Name, Type: f.DataTypeOID})
	}
	rows.Close()
	return cols, rows.Err()
}

// relProblem explains why the table or query cannot be read, with the
// nearest table names from information_schema for a missing table.
func (s *Source) relProblem(ctx context.Context, conn *pgx.Conn, err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "42P01": // undefined_table
			if s.spec.Table == "" {
				return "the query names a table that does not exist: " + pe.Message
			}
			return diag.Unknown("table", s.spec.Table, tables(ctx, conn))
		case "42501": // insufficient_privilege
			return fmt.Sprintf("permission denied reading %s: %s (grant the role SELECT on it)", s.spec.where(), pe.Message)
		case "3F000": // invalid_schema_name
			return fmt.Sprintf("%s: %s", s.spec.where(), pe.Message)
		}
	}
	return fmt.Sprintf("cannot read %s: %s", s.spec.where(), pgReason(err))
}

func tables(ctx context.Context, conn *pgx.Conn) []string {
	rows, err := conn.Query(ctx, `SELECT table_schema, table_name FROM information_schema.tables
		WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sch, name string
		if rows.Scan(&sch, &name) == nil {
			if sch == "public" {
				out = append(out, name)
			}
			out = append(out, sch+"."+name)
		}
	}
	return out
}

// whereOf names the database for provenance: host:port/database. The
// user and password are left out on purpose.
func whereOf(cfg *pgx.ConnConfig) string {
	host := cfg.Host
	if strings.HasPrefix(host, "/") {
		host = "localhost"
	}
	return fmt.Sprintf("%s:%d/%s", host, cfg.Port, cfg.Database)
}

func connectReason(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return "the server refused the login (" + pe.Message + ")"
		case "3D000":
			return pe.Message
		}
		return pe.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		return ce.Unwrap().Error()
	}
	return err.Error()
}

func pgReason(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Detail != "" {
			msg += " (" + pe.Detail + ")"
		}
		return msg
	}
	return err.Error()
}

// unwrapParse is the reason a DSN does not parse, without the DSN that
// pgx quotes (user and host included) before it.
func unwrapParse(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "`: "); i >= 0 {
		return msg[i+3:]
	}
	return msg
}

// redactor removes the DSN and its password from messages: they reach
// terminals, CI logs and the browser overlay.
type redact struct{ secrets []string }

var kvPassword = regexp.MustCompile(`(?i)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

func redactor(dsn string) *redact {
	r := &redact{}
	r.add(dsn)
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			r.add(pw)
			r.add(url.QueryEscape(pw))
			r.add(url.PathEscape(pw))
		}
	}
	for _, m := range kvPassword.FindAllStringSubmatch(dsn, -1) {
		r.add(m[1])
		r.add(strings.Trim(m[1], "'"))
	}
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			userinfo := dsn[i+3 : at]
			if c := strings.IndexByte(userinfo, ':'); c >= 0 {
				r.add(userinfo[c+1:])
			}
		}
	}
	return r
}

func (r *redact) add(s string) {
	if s != "" && !slices.Contains(r.secrets, s) {
		r.secrets = append(r.secrets, s)
		sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	}
}

func (r *redact) clean(msg string) string {
	for _, s := range r.secrets {
		msg = strings.ReplaceAll(msg, s, "[redacted]")
	}
	return msg
}

// gather turns the aggregate query's rows into a Result.
type gather struct {
	plan  *Plan
	site  *model.Site
	res   *source.Result
	first model.Pos

	noWave, noJourney, noTouch, badWeight, varies, unknownAttr int64
	notWhole, offScale                                         int64
	lo, hi                                                     []float64 // per item, over every group
	problems                                                   map[string]bool
	messages                                                   []string
	comments                                                   []model.TouchKey
}

// group is one result row decoded.
type group struct {
	keys      []*string
	complete  bool
	offScale  bool
	present   []bool // wide with few items: the items the group's rows answer
	class     *int   // NPS class key of the wide shape: 2 promoters, 1 passives, 0 detractors
	classItem int
	rows      float64 // answer rows
	pivots    float64 // rows after the pivot (long); the rows (wide)
	rowsSW    float64
	rowsSWW   float64
	wCount    float64
	wMin      *float64
	items     []model.Moments
	lo, hi    []*float64
	nps       model.NPSCounts
	hasNPS    bool
	comments  float64
	pairs     map[[2]int]float64
	weighted  bool
	bad       struct{ weight, varies, unknown, notWhole float64 }
}

func (g *gather) row(vals []any, cols []outCol) *group {
	p := g.plan
	gr := group{items: make([]model.Moments, len(p.Items)), lo: make([]*float64, len(p.Items)), hi: make([]*float64, len(p.Items)),
		pairs: map[[2]int]float64{}, weighted: p.Weight != "", pivots: -1}
	for i, c := range cols {
		v := vals[i]
		switch c.kind {
		case cKey:
			gr.keys = append(gr.keys, text(v))
		case cComplete:
			gr.complete = v == true
		case cOffScale:
			gr.offScale = v == true
		case cPresent:
			if gr.present == nil {
				gr.present = make([]bool, len(p.Items))
			}
			gr.present[c.item] = v == true
		case cRowsSWW:
			gr.rowsSWW = number(v)
		case cClass:
			if b, ok := v.(bool); ok {
				gr.classItem = c.item
				if gr.class == nil {
					gr.class = new(int)
				}
				if b && (c.j == 9 || *gr.class == 0) {
					*gr.class = map[int]int{9: 2, 7: 1}[c.j]
				}
			}
		case cRows:
			gr.rows = number(v)
		case cPivots:
			gr.pivots = number(v)
		case cRowsSW:
			gr.rowsSW = number(v)
		case cWeightCount:
			gr.wCount = number(v)
		case cWeightMin:
			gr.wMin = optNumber(v)
		case cBadWeight:
			gr.bad.weight = number(v)
		case cWeightVaries:
			gr.bad.varies = number(v)
		case cUnknownAttr:
			gr.bad.unknown = number(v)
		case cComments:
			gr.comments = number(v)
		case cN:
			gr.items[c.item].N = int64(number(v))
		case cSW:
			gr.items[c.item].SW = number(v)
		case cSWX:
			gr.items[c.item].SWX = number(v)
		case cSWXX:
			gr.items[c.item].SWXX = number(v)
		case cSWW:
			gr.items[c.item].SWW = number(v)
		case cMin:
			gr.lo[c.item] = optNumber(v)
		case cMax:
			gr.hi[c.item] = optNumber(v)
		case cNotWhole:
			gr.bad.notWhole += number(v)
		case cPromoters:
			gr.nps.Promoters, gr.hasNPS = int(number(v)), true
		case cPassives:
			gr.nps.Passives = int(number(v))
		case cDetractors:
			gr.nps.Detractors = int(number(v))
		case cWPromoters:
			gr.nps.WPromoters = number(v)
		case cWPassives:
			gr.nps.WPassives = number(v)
		case cWDetractors:
			gr.nps.WDetractors = number(v)
		case cPair:
			gr.pairs[[2]int{c.item, c.j}] = number(v)
		}
	}
	if gr.pivots < 0 {
		gr.pivots = gr.rows
	}
	// An item answered on every row of the group: its count, Σw and Σw²
	// are the group's (not answered: zero, and its sums came back NULL).
	for i, ok := range gr.present {
		if ok {
			m := &gr.items[i]
			m.N, m.SW, m.SWW = int64(gr.rows), gr.rowsSW, gr.rowsSWW
		}
	}
	if gr.class != nil {
		m := gr.items[gr.classItem]
		if !gr.weighted {
			m.SW = float64(m.N)
		}
		n := int(m.N)
		switch *gr.class {
		case 2:
			gr.nps.Promoters, gr.nps.WPromoters = n, m.SW
		case 1:
			gr.nps.Passives, gr.nps.WPassives = n, m.SW
		default:
			gr.nps.Detractors, gr.nps.WDetractors = n, m.SW
		}
		gr.hasNPS = true
	}
	if !gr.weighted {
		for i := range gr.items {
			m := &gr.items[i]
			m.SW, m.SWW = float64(m.N), float64(m.N)
		}
		gr.nps.WPromoters, gr.nps.WPassives, gr.nps.WDetractors = float64(gr.nps.Promoters), float64(gr.nps.Passives), float64(gr.nps.Detractors)
		gr.rowsSW = gr.pivots
	} else if p.Long == nil {
		// Wide rows: a weight missing or not positive.
		if gr.wCount < gr.rows || (gr.wMin != nil && *gr.wMin <= 0) {
			gr.bad.weight = math.Max(1, gr.rows-gr.wCount)
		}
	}
	return &gr
}

// sortGroups puts groups in key order (NULL first), so that segment
// values are first seen, and sums added, in the same order every time.
func sortGroups(gs []*group) {
	sort.SliceStable(gs, func(a, b int) bool {
		ka, kb := gs[a].keys, gs[b].keys
		for i := range ka {
			x, y := ka[i], kb[i]
			switch {
			case x == nil && y == nil:
				continue
			case x == nil:
				return true
			case y == nil:
				return false
			case *x != *y:
				return *x < *y
			}
		}
		if gs[a].complete != gs[b].complete {
			return !gs[a].complete
		}
		if gs[a].offScale != gs[b].offScale {
			return !gs[a].offScale
		}
		for i := range gs[a].present {
			if gs[a].present[i] != gs[b].present[i] {
				return !gs[a].present[i]
			}
		}
		ca, cb := -1, -1
		if gs[a].class != nil {
			ca = *gs[a].class
		}
		if gs[b].class != nil {
			cb = *gs[b].class
		}
		return ca < cb
	})
}

// problem records a message once.
func (g *gather) problem(format string, args ...any) {
	m := fmt.Sprintf(format, args...)
	if !g.problems[m] {
		g.problems[m] = true
		g.messages = append(g.messages, m)
	}
}

func (g *gather) add(gr *group) {
	p := g.plan
	if g.lo == nil {
		g.lo, g.hi = make([]float64, len(p.Items)), make([]float64, len(p.Items))
		for i := range g.lo {
			g.lo[i], g.hi[i] = math.Inf(1), math.Inf(-1)
		}
	}
	g.badWeight += int64(gr.bad.weight)
	g.varies += int64(gr.bad.varies)
	g.unknownAttr += int64(gr.bad.unknown)
	g.notWhole += int64(gr.bad.notWhole)
	if gr.offScale {
		g.offScale += int64(gr.rows)
	}
	for i := range p.Items {
		if gr.lo[i] != nil {
			g.lo[i] = math.Min(g.lo[i], *gr.lo[i])
		}
		if gr.hi[i] != nil {
			g.hi[i] = math.Max(g.hi[i], *gr.hi[i])
		}
	}
	var segs []source.SegmentValue
	k := 0
	key := func(fixed Key) (string, bool) {
		if fixed.Expr == "" {
			return fixed.Fixed, true
		}
		v := gr.keys[k]
		k++
		if v == nil {
			return "", false
		}
		return strings.TrimSpace(*v), true
	}
	wave, okW := key(p.Wave)
	journey, okJ := key(p.Journey)
	touch, _ := key(p.Touchpoint)
	for i, s := range p.Segments {
		v := gr.keys[k+i]
		if v != nil && strings.TrimSpace(*v) != "" {
			segs = append(segs, source.SegmentValue{Segment: s.ID, Value: strings.TrimSpace(*v)})
		}
	}
	switch {
	case !okW || wave == "":
		g.noWave += int64(gr.rows)
		return
	case !okJ || journey == "":
		g.noJourney += int64(gr.rows)
		return
	}
	j := g.site.Journey(journey)
	if j == nil {
		g.problem("journey %s", diag.Unknown("journey", journey, g.site.JourneyIDs()))
		return
	}
	brand := j.Brand
	if brand == "" {
		brand = g.site.Config.Brand
	}
	b := g.site.Brand(brand)
	datas := []*source.Data{g.res.Data}
	for _, sv := range segs {
		datas = append(datas, g.res.Segment(sv))
	}
	if touch == "" {
		// A row without a touchpoint: its recommend answer is the
		// journey's relationship NPS (SPEC §9).
		for i, it := range p.Items {
			if it.ID != recommendID && gr.items[i].N > 0 {
				g.noTouch += gr.items[i].N
			}
		}
		if gr.hasNPS && gr.nps.N() > 0 {
			nps := g.npsOf(gr, p)
			for _, d := range datas {
				mergeInto(d.JourneyNPS, model.JourneyKey{Wave: wave, Journey: journey}, nps)
			}
		}
		return
	}
	tp := j.Touchpoint(touch)
	if tp == nil {
		ids := make([]string, len(j.Touchpoints))
		for i, t := range j.Touchpoints {
			ids[i] = t.ID
		}
		g.problem("journey %q: %s", journey, diag.Unknown("touchpoint", touch, ids))
		return
	}
	for i, it := range p.Items {
		m := gr.items[i]
		if it.ID == recommendID || m.N == 0 {
			continue
		}
		if b.Attribute(it.ID) == nil {
			g.problem("%q is not an attribute of brand %q (journey %q)", it.ID, brand, journey)
			continue
		}
		ck := model.CellKey{Wave: wave, Journey: journey, Touchpoint: touch, Attribute: it.ID}
		for _, d := range datas {
			a := d.Cells[ck]
			if a == nil {
				a = &source.Acc{First: g.first}
				d.Cells[ck] = a
			}
			a.Merge(m)
		}
	}
	tk := model.TouchKey{Wave: wave, Journey: journey, Touchpoint: touch}
	if gr.hasNPS && gr.nps.N() > 0 {
		nps := g.npsOf(gr, p)
		for _, d := range datas {
			mergeInto(d.NPS, tk, nps)
		}
	}
	if gr.comments > 0 {
		for _, d := range datas {
			v := d.Verbatims[tk]
			if v == nil {
				v = &model.Verbatims{}
				d.Verbatims[tk] = v
				if d == g.res.Data {
					g.comments = append(g.comments, tk)
				}
			}
			v.Total += int(gr.comments)
		}
	}
	if gr.complete && gr.pivots > 0 {
		g.drivers(gr, journey, wave, datas)
	}
}

// drivers adds a complete group's rows to its journey's driver sums:
// over complete rows, the item sums are the drivers' Σw·xᵢ and Σw·xᵢ².
func (g *gather) drivers(gr *group, journey, wave string, datas []*source.Data) {
	p := g.plan
	set := slices.IndexFunc(p.Drivers, func(d DriverSet) bool { return d.Journey == journey })
	if set < 0 {
		return
	}
	ds := p.Drivers[set]
	vars := make([]string, len(ds.Items))
	for a, i := range ds.Items {
		vars[a] = p.Items[i].ID
	}
	sums := model.NewDriverSums(vars)
	sums.N, sums.SW = int64(gr.pivots), gr.rowsSW
	n := len(vars)
	for a, i := range ds.Items {
		sums.S[a] = gr.items[i].SWX
		for c, j := range ds.Items {
			switch {
			case i == j:
				sums.SS[a*n+c] = gr.items[i].SWXX
			default:
				sums.SS[a*n+c] = gr.pairs[[2]int{min(i, j), max(i, j)}]
			}
		}
	}
	jk := model.JourneyKey{Wave: wave, Journey: journey}
	for _, d := range datas {
		if cur := d.Drivers[jk]; cur != nil {
			cur.Merge(sums)
		} else {
			cp := *sums
			cp.S = slices.Clone(sums.S)
			cp.SS = slices.Clone(sums.SS)
			d.Drivers[jk] = &cp
		}
	}
}

// npsOf is the group's recommend tallies, with Σw² and the weighted flag.
func (g *gather) npsOf(gr *group, p *Plan) model.NPSCounts {
	nps := gr.nps
	for i, it := range p.Items {
		if it.ID == recommendID {
			nps.SWW = gr.items[i].SWW
		}
	}
	n := float64(nps.N())
	nps.Weighted = nps.SWW != n || nps.WPromoters != float64(nps.Promoters) ||
		nps.WPassives != float64(nps.Passives) || nps.WDetractors != float64(nps.Detractors)
	return nps
}

func mergeInto[K comparable](m map[K]*model.NPSCounts, k K, c model.NPSCounts) {
	if cur := m[k]; cur != nil {
		cur.Merge(c)
		return
	}
	cp := c
	m[k] = &cp
}

// report places the problems found in the data at the table line.
func (g *gather) report(fail func(string, ...any), sp *Spec) {
	for _, m := range g.messages {
		fail("%s", m)
	}
	if g.noWave > 0 {
		if len(sp.Wave.Ranges) > 0 {
			fail("%d rows have a date in no wave range, or none", g.noWave)
		} else {
			fail("%d rows have no wave", g.noWave)
		}
	}
	if g.noJourney > 0 {
		fail("%d rows have no journey", g.noJourney)
	}
	if g.noTouch > 0 {
		fail("%d attribute answers have no touchpoint (only recommend may be journey-level)", g.noTouch)
	}
	if g.badWeight > 0 {
		fail("%d rows have a weight that is not a positive number", g.badWeight)
	}
	if g.varies > 0 {
		fail("%d respondents have different weights on rows of one touchpoint: a weight belongs to the respondent", g.varies)
	}
	if g.unknownAttr > 0 {
		fail("%d rows have an attribute value that names no attribute (map the values with attributes = { value = \"attribute-id\" })", g.unknownAttr)
	}
	if g.notWhole > 0 {
		fail("%d recommend answers are not whole numbers", g.notWhole)
	}
	if g.offScale > 0 {
		fail("%d rows hold an answer outside the scale %g..%g (or a recommend answer outside 0..10)", g.offScale, g.plan.Lo, g.plan.Hi)
	}
	for i, it := range g.plan.Items {
		if g.lo == nil {
			break // no row at all
		}
		lo, hi := g.plan.Lo, g.plan.Hi
		if it.ID == recommendID {
			lo, hi = 0, 10
		}
		if g.lo[i] < lo || g.hi[i] > hi {
			what := fmt.Sprintf("answers of %q", it.ID)
			if it.ID == recommendID {
				what = "recommend answers"
			}
			fail("%s range from %g to %g, outside the scale %g..%g", what, g.lo[i], g.hi[i], lo, hi)
		}
	}
}

// verbatims fetches the first comments of every touchpoint that has
// any, with one more query.
func (g *gather) verbatims(ctx context.Context, conn *pgx.Conn) error {
	p := g.plan
	if p.Comment == "" || len(g.comments) == 0 {
		return nil
	}
	rows, err := conn.Query(ctx, p.Verbatims())
	if err != nil {
		return err
	}
	defer rows.Close()
	nkeys := 0
	for _, k := range []Key{p.Wave, p.Journey, p.Touchpoint} {
		if k.Expr != "" {
			nkeys++
		}
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		i := 0
		key := func(k Key) string {
			if k.Expr == "" {
				return k.Fixed
			}
			v := text(vals[i])
			i++
			if v == nil {
				return ""
			}
			return strings.TrimSpace(*v)
		}
		tk := model.TouchKey{Wave: key(p.Wave), Journey: key(p.Journey), Touchpoint: key(p.Touchpoint)}
		v := model.Verbatim{Pos: g.first}
		if r := text(vals[nkeys]); r != nil {
			v.Respondent = *r
		}
		if t := text(vals[nkeys+1]); t != nil {
			v.Text = strings.TrimSpace(*t)
		}
		if vals[nkeys+2] != nil {
			r := int(math.Round(number(vals[nkeys+2])))
			v.Recommend = &r
		}
		add := func(d *source.Data) {
			// Only touchpoints the aggregate accepted have an entry.
			if vb := d.Verbatims[tk]; vb != nil && len(vb.Comments) < MaxVerbatims {
				vb.Comments = append(vb.Comments, v)
			}
		}
		add(g.res.Data)
		for si, s := range p.Segments {
			if sv := text(vals[nkeys+3+si]); sv != nil && strings.TrimSpace(*sv) != "" {
				if d, ok := g.res.Segments[source.SegmentValue{Segment: s.ID, Value: strings.TrimSpace(*sv)}]; ok {
					add(d)
				}
			}
		}
	}
	return rows.Err()
}

// finish puts segment values in a stable order: by segment as the
// source file lists them, then as first seen.
func (g *gather) finish(sp *Spec) {
	idx := map[string]int{}
	for i, s := range sp.Segments {
		idx[s.ID] = i
	}
	sort.SliceStable(g.res.Order, func(a, b int) bool {
		return idx[g.res.Order[a].Segment] < idx[g.res.Order[b].Segment]
	})
}

// text is a key value as text; nil for NULL.
func text(v any) *string {
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		s = x
	case time.Time:
		s = x.Format("2006-01-02")
	case pgtype.Numeric:
		f, _ := x.Float64Value()
		s = fmt.Sprint(f.Float64)
	default:
		s = fmt.Sprint(x)
	}
	return &s
}

// optNumber is a min or max: nil for NULL (no answer in the group).
func optNumber(v any) *float64 {
	if v == nil {
		return nil
	}
	f := number(v)
	return &f
}

// number is an aggregate as float64; NULL (a sum over no row) is 0.
func number(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case int16:
		return float64(x)
	case float64:
		return x
	case float32:
		return float64(x)
	case pgtype.Numeric:
		f, err := x.Float64Value()
		if err != nil {
			return math.NaN()
		}
		return f.Float64
	}
	return math.NaN()
}

// Sources lists the database sources of the site at root, one per
// data/sources/*.toml: the database itself when the environment
// variable of its DSN is set, else its pull file data/pulled/<id>.csv
// when there is one (a build offline, or in CI), else the database
// source, which then reports the unset variable at the dsn line.
func Sources(root string, diags *diag.List) []source.Source {
	return SourcesEnv(root, diags, os.LookupEnv)
}

// SourcesEnv is Sources with the environment read through getenv.
func SourcesEnv(root string, diags *diag.List, getenv func(string) (string, bool)) []source.Source {
	entries, err := os.ReadDir(filepath.Join(root, "data", "sources"))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			diags.Errorf("data/sources", 0, 0, "%v", err)
		}
		return nil
	}
	var out []source.Source
	for _, e := range entries {
		rel := "data/sources/" + e.Name()
		switch {
		case e.IsDir() || strings.HasPrefix(e.Name(), "."):
			continue
		case !strings.HasSuffix(e.Name(), ".toml"):
			diags.Warnf(rel, 0, 0, "not a source file (data/sources holds <id>.toml files): ignored")
			continue
		}
		s, err := Open(root, rel)
		if err != nil {
			diags.Errorf(rel, 0, 0, "%v", err)
			continue
		}
		s.Getenv = getenv
		pull := pulled.PathOf(idOf(rel))
		if !s.Configured() && s.spec != nil && !s.parse.HasErrors() {
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(pull))); err == nil {
				out = append(out, pulled.Open(root, pull, rel))
				continue
			}
		}
		out = append(out, s)
	}
	return out
}
