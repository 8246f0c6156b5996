package load

import (
	"math"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// seeWave records a wave name found in data and where it was first seen.
func (l *loader) seeWave(w string, pos model.Pos) {
	if l.seenWaves == nil {
		l.seenWaves = map[string]model.Pos{}
	}
	if _, ok := l.seenWaves[w]; !ok {
		l.seenWaves[w] = pos
	}
}

// locate resolves the journey, touchpoint and attribute named by a data
// row, reporting unknown names with the nearest valid one. attrCol < 0
// skips the attribute.
func (l *loader) locate(t *table, rec []string, jCol, tCol int) (*model.Journey, *model.Touchpoint, bool) {
	jid := strings.TrimSpace(rec[jCol])
	j := l.site.Journey(jid)
	if l.isBroken("journey", jid) {
		return nil, nil, false // already reported where the journey is broken
	}
	if j == nil {
		t.errorAt(t.pos(jCol), "%s", diag.Unknown("journey", jid, l.site.JourneyIDs()))
		return nil, nil, false
	}
	tid := strings.TrimSpace(rec[tCol])
	tp := j.Touchpoint(tid)
	if tp == nil {
		t.errorAt(t.pos(tCol), "%s", diag.Unknown("touchpoint of journey "+strconv.Quote(j.ID), tid, touchpointIDs(j)))
		return nil, nil, false
	}
	return j, tp, true
}

// require checks that the header has every named column.
func (t *table) require(names ...string) bool {
	ok := true
	for _, n := range names {
		if _, has := t.col[n]; !has {
			msg := "missing column " + strconv.Quote(n) + " in the header"
			if s := diag.Suggest(n, t.header); s != "" {
				msg += " (is " + strconv.Quote(s) + " meant to be " + strconv.Quote(n) + "?)"
			}
			t.l.diags.Errorf(t.rel, 1, 1, "%s", msg)
			ok = false
		}
	}
	return ok
}

func (l *loader) measures() {
	for _, path := range l.files("data/measures", ".csv") {
		t, ok := l.openTable(path)
		if !ok {
			continue
		}
		l.measuresFile(t)
		t.finish()
		t.Close()
	}
}

func (l *loader) measuresFile(t *table) {
	if !t.require("wave", "journey", "touchpoint", "attribute", "score") {
		return
	}
	cw, cj, ct, ca, cs := t.col["wave"], t.col["journey"], t.col["touchpoint"], t.col["attribute"], t.col["score"]
	cn, hasN := t.col["n"]
	csd, hasSD := t.col["sd"]
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
		aid := strings.TrimSpace(rec[ca])
		brand := l.site.Brand(j.Brand)
		if !hasAttribute(brand, aid) {
			t.errorAt(t.pos(ca), "%s", diag.Unknown("attribute of brand "+strconv.Quote(j.Brand), aid, attributeIDs(brand)))
			continue
		}
		score, err := t.number(rec[cs])
		if err != nil {
			t.errorAt(t.pos(cs), "score %q is not a number", rec[cs])
			continue
		}
		if !l.inScaleRow(t, "score", score, t.pos(cs)) {
			continue
		}
		cell := &model.Cell{Mean: score, Source: t.pos(0), Kind: model.FromMeasures}
		if hasN && strings.TrimSpace(rec[cn]) != "" {
			n, err := strconv.Atoi(strings.TrimSpace(rec[cn]))
			if err != nil || n < 1 {
				t.errorAt(t.pos(cn), "n %q must be a whole number of at least 1", rec[cn])
				continue
			}
			cell.N = n
		}
		if hasSD && strings.TrimSpace(rec[csd]) != "" {
			sd, err := t.number(rec[csd])
			if err != nil || sd < 0 || math.IsInf(sd, 0) || sd != sd {
				t.errorAt(t.pos(csd), "sd %q must be a number not below 0", rec[csd])
				continue
			}
			if cell.N == 0 {
				t.errorAt(t.pos(csd), "sd given without n: add the number of answers in column n")
				continue
			}
			cell.SD = sd
			cell.HasStats = true
		}
		key := model.CellKey{Wave: wave, Journey: j.ID, Touchpoint: tp.ID, Attribute: aid}
		if prev, dup := l.site.Cells[key]; dup {
			t.errorAt(cell.Source, "%s has two sources: this row and %s", describe(key), where(prev.Source))
			continue
		}
		l.site.Cells[key] = cell
	}
}

func (l *loader) inScaleRow(t *table, what string, v float64, pos model.Pos) bool {
	s := l.site.Config.Scale
	if v < s.Min || v > s.Max || v != v {
		t.errorAt(pos, "%s %g is outside the scale %g..%g", what, v, s.Min, s.Max)
		return false
	}
	return true
}

func describe(k model.CellKey) string {
	return "experience of " + k.Journey + "/" + k.Touchpoint + " on " + strconv.Quote(k.Attribute) + " in wave " + strconv.Quote(k.Wave)
}

func where(p model.Pos) string {
	if p.Line > 0 {
		return p.Path + ":" + strconv.Itoa(p.Line)
	}
	return p.Path
}
