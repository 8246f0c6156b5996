package load

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// maxVerbatims is how many comments are kept per touchpoint and wave: a
// page shows a readable sample, and memory stays bounded whatever the
// size of the export. The total count is kept exactly.
const maxVerbatims = 200

// acc accumulates a mean and sample variance in one pass (Welford), so a
// response file of any length aggregates in constant memory without the
// cancellation error of summing squares.
type acc struct {
	n     int
	mean  float64
	m2    float64
	first model.Pos
}

func (a *acc) add(x float64) {
	a.n++
	d := x - a.mean
	a.mean += d / float64(a.n)
	a.m2 += d * (x - a.mean)
}

func (l *loader) responses() {
	accs := map[model.CellKey]*acc{}
	for _, path := range l.files("data/responses", ".csv") {
		t, ok := l.openTable(path)
		if !ok {
			continue
		}
		l.responsesFile(t, accs)
		t.finish()
		t.Close()
	}
	// Several response files pool into one source: exports are often
	// split by month or channel. A cell also given by measures or inline
	// is a conflict.
	keys := make([]model.CellKey, 0, len(accs))
	for k := range accs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return accs[keys[i]].first.Line < accs[keys[j]].first.Line })
	for _, k := range keys {
		a := accs[k]
		if prev, dup := l.site.Cells[k]; dup {
			l.errorf(a.first, "%s has two sources: responses from this row on and %s", describe(k), where(prev.Source))
			continue
		}
		c := &model.Cell{Mean: a.mean, N: a.n, Source: a.first, Kind: model.FromResponses}
		if a.n >= 2 {
			c.SD = math.Sqrt(a.m2 / float64(a.n-1))
			c.HasStats = true
		} else {
			c.HasStats = true // n = 1: the n is known, no sd nor CI
		}
		l.site.Cells[k] = c
	}
}

func (l *loader) responsesFile(t *table, accs map[model.CellKey]*acc) {
	if !t.require("wave", "journey", "touchpoint") {
		return
	}
	cw, cj, ct := t.col["wave"], t.col["journey"], t.col["touchpoint"]
	cr, hasRec := t.col["recommend"]
	cc, hasComment := t.col["comment"]
	cid, hasID := t.col["respondent"]
	anyBroken := false
	for _, b := range l.site.Brands {
		anyBroken = anyBroken || l.isBroken("brand", b.ID)
	}
	all := map[string]bool{}
	var allIDs []string
	for _, b := range l.site.Brands {
		for _, a := range b.Attributes {
			if !all[a.ID] {
				all[a.ID] = true
				allIDs = append(allIDs, a.ID)
			}
		}
	}
	type attrCol struct {
		id  string
		col int
	}
	var attrs []attrCol
	meta := map[string]bool{"respondent": true, "wave": true, "journey": true, "touchpoint": true, "recommend": true, "comment": true}
	for i, h := range t.header {
		switch {
		case meta[h]:
		case all[h]:
			attrs = append(attrs, attrCol{h, i})
		case h == "" || anyBroken:
		default:
			msg := "column " + strconv.Quote(h) + " is not an attribute of any brand and is ignored"
			if s := diag.Suggest(h, allIDs); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			_, col := t.r.FieldPos(0) // the header is the last record read
			l.diags.Warnf(t.rel, 1, headerCol(t.header, i, col), "%s", msg)
		}
	}
	for {
		rec, ok := t.next()
		if !ok {
			return
		}
		wave := strings.TrimSpace(rec[cw])
		if wave == "" {
			t.errorAt(t.pos(cw), "missing wave")
			continue
		}
		l.seeWave(wave, t.pos(cw))
		j, tp, ok := l.locate(t, rec, cj, ct)
		if !ok {
			continue
		}
		brand := l.brand(j.Brand)
		for _, ac := range attrs {
			raw := strings.TrimSpace(rec[ac.col])
			if raw == "" {
				continue // a missing answer, never a zero
			}
			v, err := t.number(raw)
			if err != nil {
				t.errorAt(t.pos(ac.col), "%s score %q is not a number", ac.id, raw)
				continue
			}
			if !l.inScaleRow(t, ac.id+" score", v, t.pos(ac.col)) {
				continue
			}
			if !hasAttribute(brand, ac.id) {
				t.errorAt(t.pos(ac.col), "%q is not an attribute of brand %q (journey %q)", ac.id, j.Brand, j.ID)
				continue
			}
			k := model.CellKey{Wave: wave, Journey: j.ID, Touchpoint: tp.ID, Attribute: ac.id}
			a := accs[k]
			if a == nil {
				a = &acc{first: t.pos(0)}
				accs[k] = a
			}
			a.add(v)
		}
		tk := model.TouchKey{Wave: wave, Journey: j.ID, Touchpoint: tp.ID}
		var rec10 *int
		if hasRec {
			if raw := strings.TrimSpace(rec[cr]); raw != "" {
				v, err := strconv.Atoi(raw)
				if err != nil || v < 0 || v > 10 {
					t.errorAt(t.pos(cr), "recommend %q must be a whole number from 0 to 10", raw)
				} else {
					c := l.site.NPS[tk]
					if c == nil {
						c = &model.NPSCounts{}
						l.site.NPS[tk] = c
					}
					switch {
					case v >= 9:
						c.Promoters++
					case v >= 7:
						c.Passives++
					default:
						c.Detractors++
					}
					rec10 = &v
				}
			}
		}
		if hasComment {
			if text := strings.TrimSpace(rec[cc]); text != "" {
				vb := l.site.Verbatims[tk]
				if vb == nil {
					vb = &model.Verbatims{}
					l.site.Verbatims[tk] = vb
				}
				vb.Total++
				if len(vb.Comments) < maxVerbatims {
					v := model.Verbatim{Text: text, Recommend: rec10, Pos: t.pos(cc)}
					if hasID {
						v.Respondent = strings.TrimSpace(rec[cid])
					}
					vb.Comments = append(vb.Comments, v)
				}
			}
		}
	}
}

// headerCol is the column of header field i, counted from field 0's.
func headerCol(header []string, i, first int) int {
	col := first
	for k := 0; k < i; k++ {
		col += len(header[k]) + 1
	}
	return col
}
