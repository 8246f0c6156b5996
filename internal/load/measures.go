package load

import (
	"math"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/csvtable"
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
	ct := csvtable.Table{Rel: t.rel, Header: t.header, Col: t.col}
	return ct.Require(t.l.diags, names...)
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
	unpromised := map[[3]string]bool{} // warned of once a file
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
		if _, ok := tp.Promise[aid]; !ok {
			if k := [3]string{j.ID, tp.ID, aid}; !unpromised[k] {
				unpromised[k] = true
				l.warnf(t.pos(ca), "touchpoint %q of journey %q does not promise %q, so its experience on it is not compared with anything: add %q to the touchpoint's promise, or remove the rows", tp.ID, j.ID, aid, aid)
			}
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
			if limit := maxSD(l.site.Config.Scale, cell.N); sd > limit {
				s := l.site.Config.Scale
				t.errorAt(t.pos(csd), "sd %g is impossible on the scale %g..%g: %d answers between %g and %g have an sd of at most %.3g", sd, s.Min, s.Max, cell.N, s.Min, s.Max, limit)
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

// maxSD is the largest standard deviation n answers on scale s can
// have: half of them at each end. That is half the span for the
// population sd, times sqrt(n/(n-1)) for the sample sd; with one answer,
// half the span, whichever an export meant.
func maxSD(s model.Scale, n int) float64 {
	half := s.Span() / 2
	if n < 2 {
		return half
	}
	return half * math.Sqrt(float64(n)/float64(n-1))
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
