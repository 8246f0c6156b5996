package postgres

import (
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Plan is a source resolved against its table's real columns and the
// site: SQL expressions (over the table aliased t) for every role, and
// the answer items to aggregate. It is the one input of the query
// builders, so a new table shape (survey-shaped tables mapped by
// questions) only has to produce a Plan.
type Plan struct {
	From       string   // `"cx"."answers" AS t` or `(SELECT …) AS t`
	Where      []string // predicates over t, ANDed
	Wave       Key
	Journey    Key
	Touchpoint Key
	Segments   []SegKey
	Respondent string // SQL over t; "" when there is none
	Weight     string // SQL over t; "" when unweighted
	Comment    string // SQL over t; "" when there is none
	// Items are the answers aggregated per group: one per attribute, and
	// "recommend". Wide shapes read each from its own column (Expr);
	// the long shape from the rows whose attribute column holds one of
	// Values, its score in Score.
	Items []Item
	Long  *Long
	// Drivers lists, per journey, the items whose complete rows feed the
	// key-driver sums: the journey's attributes in order, recommend last.
	Drivers []DriverSet
	// Lo and Hi bound attribute scores (the site's scale).
	Lo, Hi float64
	// PatternItems is the most items whose answer pattern is grouped
	// on (0: maxPatternItems; -1: never).
	PatternItems int
}

// Key is a grouping key: a SQL expression, or a value fixed for every
// row (a source's fixed wave or journey).
type Key struct {
	Expr  string
	Fixed string
}

// SegKey is a segment's id and expression.
type SegKey struct{ ID, Expr string }

// Item is one aggregated answer.
type Item struct {
	ID     string   // attribute id, or "recommend"
	Expr   string   // wide shapes: the answer, as double precision
	Whole  bool     // the column holds whole numbers only (an integer type)
	Values []string // long shape: the attribute column's values
}

// Long holds the long shape's attribute and score expressions.
type Long struct {
	Attr  string
	Score string
	Known []string // every mapped attribute value
}

// DriverSet is one journey's driver variables as item indices.
type DriverSet struct {
	Journey string
	Items   []int
}

// maxPatternItems is the most items whose answer pattern is a grouping
// key: 2^6 patterns at most multiply the groups, a few hundred, by 64.
const maxPatternItems = 6

// recommendID marks recommend answers among items.
const recommendID = "recommend"

// MaxVerbatims is how many comments are fetched per touchpoint and wave,
// as for files: a readable sample in bounded memory.
const MaxVerbatims = 200

// column kinds of the aggregate query's result, in the order built.
type colKind int

const (
	cKey          colKind = iota
	cComplete             // the group's rows are complete driver rows (true) or not
	cClass                // recommend >= j (9 or 7): with the other, the NPS class of the rows
	cOffScale             // the group's rows hold an answer off the scale (wide)
	cPresent              // the group's rows answer the item (wide, few items)
	cRowsSWW              // Σw² over the group's rows
	cRows                 // answer rows (wide) or answer rows summed (long)
	cPivots               // rows after the long shape's pivot: respondents at a touchpoint
	cRowsSW               // Σw over the group's (pivot) rows
	cWeightCount          // rows with a weight
	cWeightMin            // the smallest weight
	cBadWeight            // rows whose weight is not positive (long)
	cWeightVaries         // respondents whose weight varies (long)
	cUnknownAttr          // rows whose attribute value is not mapped (long)
	cComments
	cN
	cSW
	cSWX
	cSWXX
	cSWW
	cMin
	cMax
	cNotWhole // recommend answers that are not whole numbers
	cPromoters
	cPassives
	cDetractors
	cWPromoters
	cWPassives
	cWDetractors
	cPair // Σw·xᵢ·xⱼ over the group, i < j
)

// outCol says what one result column holds.
type outCol struct {
	kind colKind
	key  int // cKey: index into the keys
	item int // item statistics: item index; cPair: first item
	j    int // cPair: second item
}

// keyRole names what a key column is.
type keyRole struct {
	role string // wave, journey, touchpoint, segment
	seg  int
}

// builder writes one SELECT list and remembers what each column holds.
type builder struct {
	sel  []string
	cols []outCol
}

func (b *builder) add(expr string, c outCol) {
	b.sel = append(b.sel, expr)
	b.cols = append(b.cols, c)
}

// keys lists the plan's SQL grouping keys in order.
func (p *Plan) keys() ([]string, []keyRole) {
	var exprs []string
	var roles []keyRole
	for _, k := range []struct {
		role string
		k    Key
	}{{"wave", p.Wave}, {"journey", p.Journey}, {"touchpoint", p.Touchpoint}} {
		if k.k.Expr != "" {
			exprs = append(exprs, k.k.Expr)
			roles = append(roles, keyRole{role: k.role})
		}
	}
	for i, s := range p.Segments {
		exprs = append(exprs, s.Expr)
		roles = append(roles, keyRole{role: "segment", seg: i})
	}
	return exprs, roles
}

// driverUnion is every item that is a driver variable of some journey,
// in item order.
func (p *Plan) driverUnion() []int {
	in := make([]bool, len(p.Items))
	for _, d := range p.Drivers {
		for _, i := range d.Items {
			in[i] = true
		}
	}
	var out []int
	for i, ok := range in {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// completeFlag is true for a complete driver row (of one of the driver
// journeys, with every one of its variables present). It is a
// grouping key: the complete rows of a touchpoint form groups of their
// own, whose item sums are the drivers' Σw·xᵢ and Σw·xᵢ², so only the
// cross-products need columns of their own, and the condition is
// evaluated once a row, not once an aggregate.
func (p *Plan) completeFlag(journey string, present func(i int) string) string {
	var ors []string
	for _, d := range p.Drivers {
		var ands []string
		if p.Journey.Expr != "" {
			ands = append(ands, journey+" = "+lit(d.Journey))
		}
		for _, i := range d.Items {
			ands = append(ands, present(i))
		}
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	// A boolean, not a CASE: the planner counts two groups for a boolean
	// key but guesses 200 for any other expression, and a guess of a
	// million groups makes it sort every row instead of hashing.
	return "(" + strings.Join(ors, " OR ") + ")"
}

// Aggregate builds the one grouped query of the source: per group of
// (wave, journey, touchpoint[, segments], complete) the count, Σw,
// Σw·x, Σw·x², Σw² of every item, its least and greatest answer, the
// NPS class sums and the drivers' cross-products. Only count, sum, min,
// max and CASE, so that postgres_fdw and Citus push it down whole.
func (p *Plan) Aggregate() (string, []outCol) {
	if p.Long != nil {
		return p.aggregateLong()
	}
	return p.aggregateWide()
}

func (p *Plan) aggregateWide() (string, []outCol) {
	var b builder
	keys, _ := p.keys()
	for i, k := range keys {
		b.add(k, outCol{kind: cKey, key: i})
	}
	if len(p.Drivers) > 0 {
		b.add(p.completeFlag(p.Journey.Expr, func(i int) string { return p.Items[i].Expr + " IS NOT NULL" }), outCol{kind: cComplete})
	}
	// The NPS class of the row's recommend answer is a grouping key too
	// (two booleans, for the planner's estimate): each class's groups
	// then hold its count and weighted sums as the recommend item's N, Σw
	// and Σw², for two comparisons a row.
	for i, it := range p.Items {
		if it.ID == recommendID {
			b.add(it.Expr+" >= 9", outCol{kind: cClass, item: i, j: 9})
			b.add(it.Expr+" >= 7", outCol{kind: cClass, item: i, j: 7})
		}
	}
	// Answers off the scale: one more boolean key, true for the rows
	// that hold any (the groups then count them), for a few comparisons
	// a row rather than a min and a max aggregate for every item.
	var off []string
	for _, it := range p.Items {
		lo, hi := num(p.Lo), num(p.Hi)
		if it.ID == recommendID {
			lo, hi = "0", "10"
		}
		off = append(off, it.Expr+" < "+lo, it.Expr+" > "+hi)
	}
	if len(off) > 0 {
		b.add("("+strings.Join(off, " OR ")+")", outCol{kind: cOffScale})
	}
	// With few items, which of them a row answers is a grouping key as
	// well (one boolean each): every item is then answered on all rows
	// of a group or on none, and its count, Σw and Σw² are the group's,
	// leaving two sums an item. With many items the 2^k answer patterns
	// would multiply the groups too far: each item then counts its own.
	most := p.PatternItems
	if most == 0 {
		most = maxPatternItems
	}
	patterns := len(p.Items) <= most
	if patterns {
		for i, it := range p.Items {
			b.add(it.Expr+" IS NOT NULL", outCol{kind: cPresent, item: i})
		}
	}
	w := p.Weight
	b.add("count(*)", outCol{kind: cRows})
	if w != "" {
		b.add("sum("+w+")", outCol{kind: cRowsSW})
		if patterns {
			b.add("sum("+w+"*"+w+")", outCol{kind: cRowsSWW})
		}
		b.add("count("+w+")", outCol{kind: cWeightCount})
		b.add("min("+w+")", outCol{kind: cWeightMin})
	}
	if p.Comment != "" {
		b.add("sum(CASE WHEN btrim("+p.Comment+") <> '' THEN 1 ELSE 0 END)", outCol{kind: cComments})
	}
	for i, it := range p.Items {
		x := it.Expr
		if !patterns {
			b.add("count("+x+")", outCol{kind: cN, item: i})
		}
		b.add("sum("+mul(w, x)+")", outCol{kind: cSWX, item: i})
		b.add("sum("+mul(w, x+"*"+x)+")", outCol{kind: cSWXX, item: i})
		if w != "" && !patterns {
			b.add("sum(CASE WHEN "+x+" IS NOT NULL THEN "+w+" END)", outCol{kind: cSW, item: i})
			b.add("sum(CASE WHEN "+x+" IS NOT NULL THEN "+w+"*"+w+" END)", outCol{kind: cSWW, item: i})
		}
		if it.ID != recommendID {
			continue
		}
		if !it.Whole {
			b.add("sum(CASE WHEN "+x+" <> floor("+x+") THEN 1 ELSE 0 END)", outCol{kind: cNotWhole, item: i})
		}
	}
	u := p.driverUnion()
	for a, i := range u {
		for _, j := range u[a+1:] {
			b.add("sum("+mul(w, p.Items[i].Expr+"*"+p.Items[j].Expr)+")", outCol{kind: cPair, item: i, j: j})
		}
	}
	n := 0
	for _, c := range b.cols {
		if c.kind == cKey || c.kind == cComplete || c.kind == cClass || c.kind == cOffScale || c.kind == cPresent {
			n++
		}
	}
	q := "SELECT " + strings.Join(b.sel, ",\n  ") + "\nFROM " + p.From + where(p.Where) + groupBy(n)
	return q, b.cols
}

// aggregateLong pivots the answer rows of one respondent at one
// touchpoint into one row (an inner GROUP BY, pushed to each shard with
// the wave key), then sums those rows as the wide shape sums its rows.
// Respondent weights are constant within a pivot row: the query counts
// the rows where they are not.
func (p *Plan) aggregateLong() (string, []outCol) {
	keys, _ := p.keys()
	a, x := p.Long.Attr, p.Long.Score
	var in []string
	for i, k := range keys {
		in = append(in, k+" AS k"+strconv.Itoa(i))
	}
	w := p.Weight
	if w != "" {
		in = append(in, "max("+w+") AS w", "min("+w+") AS wmin", "sum(CASE WHEN "+w+" > 0 THEN 0 ELSE 1 END) AS badw")
	}
	in = append(in, "count(*) AS nrows", "sum(CASE WHEN "+a+" IN ("+lits(p.Long.Known)+") THEN 0 ELSE 1 END) AS unknown")
	if p.Comment != "" {
		in = append(in, "sum(CASE WHEN btrim("+p.Comment+") <> '' THEN 1 ELSE 0 END) AS ncom")
	}
	for i, it := range p.Items {
		is := a + " IN (" + lits(it.Values) + ")"
		s := strconv.Itoa(i)
		in = append(in,
			"count(CASE WHEN "+is+" THEN "+x+" END) AS n"+s,
			"sum(CASE WHEN "+is+" THEN "+x+" END) AS s"+s,
			"sum(CASE WHEN "+is+" THEN "+x+"*"+x+" END) AS q"+s,
			"min(CASE WHEN "+is+" THEN "+x+" END) AS lo"+s,
			"max(CASE WHEN "+is+" THEN "+x+" END) AS hi"+s)
		if it.ID == recommendID {
			in = append(in,
				"sum(CASE WHEN "+is+" AND "+x+" <> floor("+x+") THEN 1 ELSE 0 END) AS b"+s,
				"sum(CASE WHEN "+is+" AND "+x+" >= 9 THEN 1 ELSE 0 END) AS pp",
				"sum(CASE WHEN "+is+" AND "+x+" >= 7 AND "+x+" < 9 THEN 1 ELSE 0 END) AS pa",
				"sum(CASE WHEN "+is+" AND "+x+" < 7 THEN 1 ELSE 0 END) AS pd")
		}
	}
	groups := make([]string, 0, len(keys)+1)
	for i := range keys {
		groups = append(groups, strconv.Itoa(i+1))
	}
	groups = append(groups, p.Respondent)
	inner := "SELECT " + strings.Join(in, ", ") + " FROM " + p.From + where(p.Where) + " GROUP BY " + strings.Join(groups, ", ")

	var b builder
	for i := range keys {
		b.add("p.k"+strconv.Itoa(i), outCol{kind: cKey, key: i})
	}
	if len(p.Drivers) > 0 {
		jk := ""
		for i, r := range p.keyRoles() {
			if r.role == "journey" {
				jk = "p.k" + strconv.Itoa(i)
			}
		}
		b.add(p.completeFlag(jk, func(i int) string { return "p.n" + strconv.Itoa(i) + " = 1" }), outCol{kind: cComplete})
	}
	pw := ""
	if w != "" {
		pw = "p.w"
	}
	b.add("sum(p.nrows)", outCol{kind: cRows})
	b.add("count(*)", outCol{kind: cPivots})
	if w != "" {
		b.add("sum(p.w)", outCol{kind: cRowsSW})
		b.add("sum(p.badw)", outCol{kind: cBadWeight})
		b.add("sum(CASE WHEN p.w <> p.wmin THEN 1 ELSE 0 END)", outCol{kind: cWeightVaries})
	}
	b.add("sum(p.unknown)", outCol{kind: cUnknownAttr})
	if p.Comment != "" {
		// One comment per respondent and touchpoint, however many answer
		// rows repeat it.
		b.add("sum(CASE WHEN p.ncom > 0 THEN 1 ELSE 0 END)", outCol{kind: cComments})
	}
	for i, it := range p.Items {
		s := strconv.Itoa(i)
		n, sx, qx := "p.n"+s, "p.s"+s, "p.q"+s
		b.add("sum("+n+")", outCol{kind: cN, item: i})
		b.add("sum("+mul(pw, sx)+")", outCol{kind: cSWX, item: i})
		b.add("sum("+mul(pw, qx)+")", outCol{kind: cSWXX, item: i})
		if w != "" {
			b.add("sum(p.w*"+n+")", outCol{kind: cSW, item: i})
			b.add("sum(p.w*p.w*"+n+")", outCol{kind: cSWW, item: i})
		}
		b.add("min(p.lo"+s+")", outCol{kind: cMin, item: i})
		b.add("max(p.hi"+s+")", outCol{kind: cMax, item: i})
		if it.ID == recommendID {
			b.add("sum(p.b"+s+")", outCol{kind: cNotWhole, item: i})
			for _, c := range []struct {
				col  string
				n, w colKind
			}{{"p.pp", cPromoters, cWPromoters}, {"p.pa", cPassives, cWPassives}, {"p.pd", cDetractors, cWDetractors}} {
				b.add("sum("+c.col+")", outCol{kind: c.n, item: i})
				if w != "" {
					b.add("sum(p.w*"+c.col+")", outCol{kind: c.w, item: i})
				}
			}
		}
	}
	u := p.driverUnion()
	for ai, i := range u {
		for _, j := range u[ai+1:] {
			b.add("sum("+mul(pw, "p.s"+strconv.Itoa(i)+"*p.s"+strconv.Itoa(j))+")", outCol{kind: cPair, item: i, j: j})
		}
	}
	n := len(keys)
	if len(p.Drivers) > 0 {
		n++
	}
	q := "SELECT " + strings.Join(b.sel, ",\n  ") + "\nFROM (" + inner + ") AS p" + groupBy(n)
	return q, b.cols
}

func (p *Plan) keyRoles() []keyRole {
	_, r := p.keys()
	return r
}

// Verbatims builds the second query: the first MaxVerbatims comments of
// every touchpoint in every wave, in one scan of the table. Columns: the
// SQL keys of wave, journey and touchpoint (as text), the respondent,
// the comment, the recommend answer (wide shapes) and the segment
// values. A window function numbers the comments of each touchpoint;
// postgres_fdw does not ship it, so on partitions the rows with a
// comment (and only those) travel to the coordinator, which keeps 200
// a touchpoint.
func (p *Plan) Verbatims() string {
	// IS NOT NULL first: the planner knows how many comments are null,
	// not how many trim to empty, and would plan for every row.
	conds := append(append([]string(nil), p.Where...), p.Comment+" IS NOT NULL", "btrim("+p.Comment+") <> ''")
	var keys []string
	for _, k := range []Key{p.Wave, p.Journey, p.Touchpoint} {
		if k.Expr != "" {
			keys = append(keys, k.Expr)
		}
	}
	resp := "NULL"
	if p.Respondent != "" {
		resp = "CAST(" + p.Respondent + " AS text) COLLATE \"C\""
	}
	var sel, part []string
	for i, k := range keys {
		// Byte order: a deterministic sort without the locale's cost.
		sel = append(sel, "CAST("+k+" AS text) COLLATE \"C\" AS k"+strconv.Itoa(i))
		part = append(part, "k"+strconv.Itoa(i))
	}
	var inner string
	if p.Long != nil {
		// One comment per respondent at the touchpoint, however many of
		// their answer rows repeat it.
		sel = append(sel, resp+" AS r", "min("+p.Comment+" COLLATE \"C\") AS c", "NULL AS rec")
		for i, s := range p.Segments {
			sel = append(sel, "min(CAST("+s.Expr+" AS text)) AS s"+strconv.Itoa(i))
		}
		groups := make([]string, 0, len(keys)+1)
		for i := range keys {
			groups = append(groups, strconv.Itoa(i+1))
		}
		groups = append(groups, p.Respondent)
		inner = "SELECT " + strings.Join(sel, ", ") + " FROM " + p.From + where(conds) + " GROUP BY " + strings.Join(groups, ", ")
	} else {
		rec := "NULL"
		for _, it := range p.Items {
			if it.ID == recommendID {
				rec = it.Expr
			}
		}
		sel = append(sel, resp+" AS r", p.Comment+" COLLATE \"C\" AS c", rec+" AS rec")
		for i, s := range p.Segments {
			sel = append(sel, "CAST("+s.Expr+" AS text) AS s"+strconv.Itoa(i))
		}
		inner = "SELECT " + strings.Join(sel, ", ") + " FROM " + p.From + where(conds)
	}
	over := "ORDER BY r, c"
	if len(part) > 0 {
		over = "PARTITION BY " + strings.Join(part, ", ") + " " + over
	}
	order := append(append([]string(nil), part...), "n")
	return "SELECT * FROM (SELECT v.*, row_number() OVER (" + over + ") AS n FROM (" + inner + ") AS v) AS w" +
		"\nWHERE n <= " + strconv.Itoa(MaxVerbatims) + "\nORDER BY " + strings.Join(order, ", ")
}

func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\nWHERE " + strings.Join(conds, " AND ")
}

func groupBy(n int) string {
	if n == 0 {
		return ""
	}
	pos := make([]string, n)
	for i := range pos {
		pos[i] = strconv.Itoa(i + 1)
	}
	// No ORDER BY: sorted output would push the planner towards a sort
	// of every row where a hash table of a few hundred groups does; the
	// groups are put in order after they arrive.
	return "\nGROUP BY " + strings.Join(pos, ", ")
}

// mul is w·x, or x alone when unweighted.
func mul(w, x string) string {
	if w == "" {
		return x
	}
	return w + "*" + x
}

// ident quotes a column name.
func ident(name string) string { return "t." + pgx.Identifier{name}.Sanitize() }

// relation quotes a schema-qualified table name.
func relation(name string) string { return pgx.Identifier(strings.Split(name, ".")).Sanitize() }

// lit is a SQL string literal (standard_conforming_strings, on by
// default since PostgreSQL 9.1). NUL cannot be in a PostgreSQL string.
func lit(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func lits(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = lit(v)
	}
	return strings.Join(out, ", ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// dayAfter is the exclusive end of an inclusive date range.
func dayAfter(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, 1).Format("2006-01-02")
}

// waveExpr is the CASE that names a row's wave from a date column.
func waveExpr(col string, ranges []Range) string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, r := range ranges {
		b.WriteString(" WHEN " + col + " >= " + lit(r.From) + " AND " + col + " < " + lit(dayAfter(r.To)) + " THEN " + lit(r.Wave))
	}
	b.WriteString(" END")
	return b.String()
}
