package postgres

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Resolve matches the spec's column names against the table's columns
// (ignoring case and surrounding space, as for exports), and the site's
// attributes and journeys, into a Plan. Every problem goes to diags at
// the place the name is written, with the nearest column suggested.
func (s *Spec) Resolve(cols []Column, site *model.Site, diags *diag.List) *Plan {
	columns := make([]string, len(cols))
	types := map[string]uint32{}
	for i, c := range cols {
		columns[i] = c.Name
		types[c.Name] = c.Type
	}
	p := &Plan{Lo: site.Config.Scale.Min, Hi: site.Config.Scale.Max}
	p.From = s.from()
	ok := true
	errAt := func(path string, format string, args ...any) {
		pos := s.Pos(path)
		diags.Errorf(s.Path, pos.Line, pos.Col, format, args...)
		ok = false
	}
	used := map[string]bool{}
	// col finds a named column; want says it must exist.
	col := func(name, path string, want bool) string {
		c := match(name, columns)
		if c == "" {
			if want {
				errAt(path, "%s in %s", diag.Unknown("column", name, columns), s.where())
			}
			return ""
		}
		used[strings.ToLower(c)] = true
		return c
	}
	role := func(r string) string {
		name, ok := s.Columns[r]
		if !ok {
			return ""
		}
		path := "shape" // a default column: placed at the shape
		if s.Explicit[r] {
			path = "columns." + r
			if _, found := s.ix.Key(path); !found {
				path = r // weight, respondent, wave = { column }
			}
		}
		must := s.Explicit[r] || slices.Contains(required[s.Shape], r)
		return col(name, path, must)
	}

	if s.Wave.Fixed != "" {
		p.Wave.Fixed = s.Wave.Fixed
	} else if c := role("wave"); c != "" {
		p.Wave.Expr = ident(c)
		if len(s.Wave.Ranges) > 0 {
			p.Wave.Expr = waveExpr(ident(c), s.Wave.Ranges)
		}
	}
	if s.Journey != "" {
		if site.Journey(s.Journey) == nil {
			errAt("journey", "%s", diag.Unknown("journey", s.Journey, site.JourneyIDs()))
		}
		p.Journey.Fixed = s.Journey
	} else if c := role("journey"); c != "" {
		p.Journey.Expr = ident(c)
	}
	if c := role("touchpoint"); c != "" {
		p.Touchpoint.Expr = ident(c)
	}
	if c := role("respondent"); c != "" {
		p.Respondent = ident(c)
	}
	if c := role("weight"); c != "" {
		p.Weight = asFloat(c, types[c])
	}
	if c := role("comment"); c != "" {
		p.Comment = asText(c, types[c])
	}
	for _, sg := range s.Segments {
		if c := col(sg.Column, "segments."+sg.ID, true); c != "" {
			p.Segments = append(p.Segments, SegKey{ID: sg.ID, Expr: ident(c)})
		}
	}
	for _, f := range s.Where {
		if c := col(f.Column, "where."+f.Column, true); c != "" {
			if cond := filter(ident(c), types[c], f.Values); cond != "" {
				p.Where = append(p.Where, cond)
			} else {
				errAt("where."+f.Column, "column %q can hold none of the values %s", c, strings.Join(f.Values, ", "))
			}
		}
	}

	attrs := siteAttributes(site)
	switch s.Shape {
	case ShapeResponses:
		rec := role("recommend")
		for _, c := range columns {
			id := strings.ToLower(strings.TrimSpace(c))
			if used[strings.ToLower(c)] {
				continue // a role's, a segment's or a filter's column
			}
			if slices.Contains(attrs, id) {
				p.Items = append(p.Items, Item{ID: id, Expr: asFloat(c, types[c])})
			}
		}
		if rec != "" {
			t := types[rec]
			p.Items = append(p.Items, Item{ID: recommendID, Expr: asFloat(rec, t),
				Whole: t == pgtype.Int2OID || t == pgtype.Int4OID || t == pgtype.Int8OID})
		}
		if len(p.Items) == 0 {
			errAt("shape", "%s has no column named after an attribute id (%s) nor a recommend column", s.where(), strings.Join(attrs, ", "))
		}
	case ShapeLong:
		a, x := role("attribute"), role("score")
		if a != "" && x != "" {
			p.Long = &Long{Attr: asText(a, types[a]), Score: asFloat(x, types[x])}
			values := map[string][]string{}
			if len(s.Attributes) > 0 {
				for _, v := range sortedKeys(s.Attributes) {
					id := strings.TrimSpace(s.Attributes[v])
					if id != recommendID && !slices.Contains(attrs, id) {
						errAt("attributes."+v, "%s", diag.Unknown("attribute", id, append(attrs, recommendID)))
						continue
					}
					values[id] = append(values[id], v)
				}
			} else {
				for _, id := range append(attrs, recommendID) {
					values[id] = []string{id}
				}
			}
			for _, id := range append(attrs, recommendID) {
				if vs, ok := values[id]; ok {
					p.Items = append(p.Items, Item{ID: id, Values: vs})
					p.Long.Known = append(p.Long.Known, vs...)
				}
			}
		}
	default:
		return nil
	}
	if !ok {
		return nil
	}
	p.Drivers = driverSets(p, site)
	return p
}

// asFloat is a column as a number, and asText as text: no cast when it
// already is one, so the plan reads as written, the server does not
// convert every value several times a row, and nothing stands between
// postgres_fdw and shipping it (a cast that goes through text, from an
// integer to text say, is not shipped). Integers stay integers: their
// sums are exact; numeric and text go to double precision.
func asFloat(col string, typ uint32) string {
	switch typ {
	case pgtype.Float8OID, pgtype.Float4OID, pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
		return ident(col)
	}
	return "CAST(" + ident(col) + " AS double precision)"
}

func asText(col string, typ uint32) string {
	if typ == pgtype.TextOID {
		return ident(col)
	}
	return "CAST(" + ident(col) + " AS text)"
}

// Column is a column of the table or query: its name and type OID.
type Column struct {
	Name string
	Type uint32
}

// filter is the condition that keeps rows whose column holds one of
// values, written as literals of the column's own type: a cast of the
// column (to text, say) would stop postgres_fdw from shipping the
// condition, and with it the whole aggregate, to the shards.
func filter(col string, typ uint32, values []string) string {
	var keep []string
	switch typ {
	case pgtype.BoolOID:
		for _, v := range values {
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "1", "t", "true", "yes", "y", "on":
				keep = append(keep, "true")
			case "0", "f", "false", "no", "n", "off":
				keep = append(keep, "false")
			}
		}
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.Float4OID, pgtype.Float8OID, pgtype.NumericOID:
		for _, v := range values {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				keep = append(keep, num(f))
			}
		}
	default: // text, or a literal the server coerces to the column's type
		for _, v := range values {
			keep = append(keep, lit(v))
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return col + " IN (" + strings.Join(slices.Compact(keep), ", ") + ")"
}

// where names the table or query for messages.
func (s *Spec) where() string {
	if s.Query != "" {
		return "the query"
	}
	return "table " + s.Table
}

// match finds name among columns: exactly, else ignoring case and
// surrounding space.
func match(name string, columns []string) string {
	if slices.Contains(columns, name) {
		return name
	}
	n := strings.ToLower(strings.TrimSpace(name))
	for _, c := range columns {
		if strings.ToLower(strings.TrimSpace(c)) == n {
			return c
		}
	}
	return ""
}

// siteAttributes lists every brand's attribute ids, in site order,
// once each.
func siteAttributes(site *model.Site) []string {
	var out []string
	for _, b := range site.Brands {
		for _, a := range b.Attributes {
			if !slices.Contains(out, a.ID) {
				out = append(out, a.ID)
			}
		}
	}
	return out
}

// JourneyVars are a journey's driver variables (SPEC §9): the attributes
// its touchpoints promise, in the order they are first promised, then
// recommend.
func JourneyVars(j *model.Journey) []string {
	var out []string
	for _, t := range j.Touchpoints {
		for _, a := range t.PromiseOrder {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return append(out, recommendID)
}

// driverSets lists the journeys whose every driver variable is an item.
func driverSets(p *Plan, site *model.Site) []DriverSet {
	var out []DriverSet
	for _, j := range site.Journeys {
		if p.Journey.Fixed != "" && j.ID != p.Journey.Fixed {
			continue
		}
		vars := JourneyVars(j)
		if len(vars) < 2 {
			continue
		}
		set := DriverSet{Journey: j.ID}
		for _, v := range vars {
			i := slices.IndexFunc(p.Items, func(it Item) bool { return it.ID == v })
			if i < 0 {
				set.Items = nil
				break
			}
			set.Items = append(set.Items, i)
		}
		if set.Items != nil {
			out = append(out, set)
		}
	}
	return out
}
