package load

// The responses loader parses on every core with a hand-written scanner.
// These tests hold it to the straightforward implementation it replaced,
// kept here as the reference: encoding/csv record by record, Welford
// accumulators, the same checks in the same order. Both must give the
// same cells (means and sd to 1e-9, n and places exactly), NPS counts,
// verbatims, waves and diagnostics, on random exports full of what real
// ones hold (empty cells, quotes, CRLF, semicolons with decimal commas,
// comments spanning lines, mistakes of every kind) cut into chunks of
// every size, and on whatever the fuzzer makes.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// refAcc is the reference accumulator: Welford, one value at a time.
type refAcc struct {
	n     int
	mean  float64
	m2    float64
	first model.Pos
}

func (a *refAcc) add(x float64) {
	a.n++
	d := x - a.mean
	a.mean += d / float64(a.n)
	a.m2 += d * (x - a.mean)
}

// refSite is Site with the reference responses loader.
func refSite(root string) (*model.Site, *diag.List) {
	return siteWith(root, (*loader).refResponses)
}

// siteWith mirrors Site with responses loaded by f.
func siteWith(root string, f func(*loader)) (*model.Site, *diag.List) {
	s, l := Site(root) // for the config; the rest is redone below
	_ = l
	ld := &loader{root: root, diags: &diag.List{}}
	ld.site = &model.Site{Root: root, Config: s.Config, Cells: map[model.CellKey]*model.Cell{},
		NPS: map[model.TouchKey]*model.NPSCounts{}, Verbatims: map[model.TouchKey]*model.Verbatims{}}
	ld.brands()
	ld.actors()
	ld.journeys()
	ld.assessments()
	ld.measures()
	f(ld)
	ld.resolveWaves()
	ld.inline()
	ld.warnings()
	return ld.site, ld.diags
}

func (l *loader) refResponses() {
	accs := map[model.CellKey]*refAcc{}
	seen := map[refRepeat]model.Pos{}
	for _, path := range l.files("data/responses", ".csv") {
		t, ok := l.openTable(path)
		if !ok {
			continue
		}
		l.refResponsesFile(t, accs, seen)
		t.finish()
		t.Close()
	}
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
		c := &model.Cell{Mean: a.mean, N: a.n, Source: a.first, Kind: model.FromResponses, HasStats: true}
		if a.n >= 2 {
			c.SD = math.Sqrt(a.m2 / float64(a.n-1))
		}
		l.site.Cells[k] = c
	}
}

// refRepeat is a respondent's key, for the straightforward repeat check.
type refRepeat struct {
	k          model.TouchKey
	respondent string
}

func (l *loader) refResponsesFile(t *table, accs map[model.CellKey]*refAcc, seen map[refRepeat]model.Pos) {
	repeatsN := 0
	defer func() {
		if repeatsN > maxRowErrors {
			l.diags.Warnf(t.rel, 0, 0, "%d more repeated respondents in this file not listed", repeatsN-maxRowErrors)
		}
	}()
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
	var attrs []attrCol
	var unknown []int
	meta := map[string]bool{"respondent": true, "wave": true, "journey": true, "touchpoint": true, "recommend": true, "comment": true}
	for i, h := range t.header {
		switch {
		case meta[h]:
		case all[h]:
			attrs = append(attrs, attrCol{h, i})
		case h == "" || anyBroken:
		default:
			unknown = append(unknown, i)
		}
	}
	l.unknownColumns(t, unknown, allIDs)
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
		if jid := strings.TrimSpace(rec[cj]); strings.TrimSpace(rec[ct]) == "" && l.site.Journey(jid) != nil && !l.isBroken("journey", jid) {
			// A journey-level row (SPEC §9): its recommend is the
			// journey's relationship NPS; a score has no cell to go to.
			for _, ac := range attrs {
				if strings.TrimSpace(rec[ac.col]) != "" {
					t.errorAt(t.pos(ac.col), "%s score without a touchpoint: a row with an empty touchpoint gives only the journey's recommend (its relationship NPS)", ac.id)
				}
			}
			tk := model.TouchKey{Wave: wave, Journey: jid}
			if hasID {
				if id := strings.TrimSpace(rec[cid]); id != "" {
					p := t.pos(cid)
					if first, dup := seen[refRepeat{tk, id}]; dup {
						repeatsN++
						if repeatsN <= maxRowErrors {
							l.diags.Warnf(t.rel, p.Line, p.Col, "%s", repeatMsg(tk, first))
						}
					} else {
						seen[refRepeat{tk, id}] = model.Pos{Path: t.rel, Line: p.Line}
					}
				}
			}
			if hasRec {
				if raw := strings.TrimSpace(rec[cr]); raw != "" {
					v, err := strconv.Atoi(raw)
					if err != nil || v < 0 || v > 10 {
						t.errorAt(t.pos(cr), "recommend %q must be a whole number from 0 to 10", raw)
					} else {
						jk := model.JourneyKey{Wave: wave, Journey: jid}
						if l.site.JourneyNPS == nil {
							l.site.JourneyNPS = map[model.JourneyKey]*model.NPSCounts{}
						}
						c := l.site.JourneyNPS[jk]
						if c == nil {
							c = &model.NPSCounts{}
							l.site.JourneyNPS[jk] = c
						}
						c.AddNPS(v, 1)
					}
				}
			}
			continue
		}
		j, tp, ok := l.locate(t, rec, cj, ct)
		if !ok {
			continue
		}
		brand := l.site.Brand(j.Brand)
		for _, ac := range attrs {
			raw := strings.TrimSpace(rec[ac.col])
			if raw == "" {
				continue
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
				a = &refAcc{first: t.pos(0)}
				accs[k] = a
			}
			a.add(v)
		}
		tk := model.TouchKey{Wave: wave, Journey: j.ID, Touchpoint: tp.ID}
		if hasID {
			if id := strings.TrimSpace(rec[cid]); id != "" {
				p := t.pos(cid)
				if first, dup := seen[refRepeat{tk, id}]; dup {
					repeatsN++
					if repeatsN <= maxRowErrors {
						l.diags.Warnf(t.rel, p.Line, p.Col, "%s", repeatMsg(tk, first))
					}
				} else {
					seen[refRepeat{tk, id}] = model.Pos{Path: t.rel, Line: p.Line}
				}
			}
		}
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

// sameLoad reports how the fast loader's result differs from the
// reference's on the site at root.
func sameLoad(t *testing.T, root string) {
	t.Helper()
	got, gl := Site(root)
	want, wl := refSite(root)
	if g, w := lines(gl), lines(wl); g != w {
		t.Fatalf("diagnostics differ:\n--- fast\n%s--- reference\n%s", g, w)
	}
	if !reflect.DeepEqual(got.Waves, want.Waves) {
		t.Errorf("waves = %v, want %v", got.Waves, want.Waves)
	}
	if len(got.Cells) != len(want.Cells) {
		t.Errorf("%d cells, want %d", len(got.Cells), len(want.Cells))
	}
	for k, w := range want.Cells {
		g := got.Cells[k]
		if g == nil {
			t.Errorf("cell %v missing", k)
			continue
		}
		if g.N != w.N || g.Source != w.Source || g.Kind != w.Kind || g.HasStats != w.HasStats ||
			math.Abs(g.Mean-w.Mean) > 1e-9 || math.Abs(g.SD-w.SD) > 1e-9 {
			t.Errorf("cell %v = %+v, want %+v", k, *g, *w)
		}
	}
	if !reflect.DeepEqual(got.NPS, want.NPS) {
		t.Errorf("NPS differ:\n%s\nwant\n%s", dumpNPS(got.NPS), dumpNPS(want.NPS))
	}
	if !reflect.DeepEqual(got.Verbatims, want.Verbatims) {
		for k, w := range want.Verbatims {
			if g := got.Verbatims[k]; !reflect.DeepEqual(g, w) {
				t.Errorf("verbatims %v differ: got %d/%d, want %d/%d", k, len(g.Comments), g.Total, len(w.Comments), w.Total)
				for i := range min(len(g.Comments), len(w.Comments)) {
					if !reflect.DeepEqual(g.Comments[i], w.Comments[i]) {
						t.Errorf("first difference at %d: %+v, want %+v", i, g.Comments[i], w.Comments[i])
						break
					}
				}
			}
		}
		if len(got.Verbatims) != len(want.Verbatims) {
			t.Errorf("%d verbatim keys, want %d", len(got.Verbatims), len(want.Verbatims))
		}
	}
}

func dumpNPS(m map[model.TouchKey]*model.NPSCounts) string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%v %+v", k, *v))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// randomExport writes a responses file as survey tools and people make
// them; mistakes says how often a row holds one.
func randomExport(rng *rand.Rand, rows int, semicolon, crlf bool, mistakes float64) string {
	sep := ","
	if semicolon {
		sep = ";"
	}
	nl := "\n"
	if crlf {
		nl = "\r\n"
	}
	cols := []string{"respondent", "wave", "journey", "touchpoint", "be-there", "clarity", "recommend", "comment"}
	if rng.IntN(3) == 0 {
		cols = append(cols, "be-ther") // an unknown column: a warning
	}
	rng.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	var b strings.Builder
	if rng.IntN(4) == 0 {
		b.WriteString("\ufeff")
	}
	b.WriteString(strings.Join(cols, sep) + nl)
	pick := func(good []string, bad []string) string {
		if len(bad) > 0 && rng.Float64() < mistakes {
			return bad[rng.IntN(len(bad))]
		}
		return good[rng.IntN(len(good))]
	}
	dec := "."
	if semicolon {
		dec = ","
	}
	quote := func(s string) string {
		if strings.ContainsAny(s, sep+"\"\r\n") || rng.IntN(20) == 0 {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	scores := []string{"", "", "1", "2", "3", "4", "5", " 4 ", "3" + dec + "5", "2" + dec + "25", "4" + dec + "125", "5" + dec, dec + "5", "1" + dec + "0001", "3" + dec + "33333"}
	badScores := []string{"x", "6", "0", "-1", "1e0", "+2", "NaN", "inf", "3" + dec + "5" + dec + "1", "0x1p1", "\u00a03", "1_0"}
	comments := []string{"", "", "", "Fine", "Clear, at last", `He said "soon", twice`, "Two lines:\nfirst\nsecond", "CRLF\r\ninside", "café ☕", " padded ", "\u00a0nbsp\u00a0", "lone\rcr"}
	for i := 0; i < rows; i++ {
		if rng.Float64() < mistakes/4 {
			b.WriteString(nl) // blank line
		}
		if rng.Float64() < mistakes/4 {
			b.WriteString(strings.Repeat("x"+sep, rng.IntN(len(cols)+3)) + "y" + nl) // wrong field count
			continue
		}
		cells := make([]string, len(cols))
		for k, c := range cols {
			var v string
			switch c {
			case "respondent":
				v = "r" + strconv.Itoa(i)
				if rng.IntN(8) == 0 { // a repeat, reported as one
					v = "r" + strconv.Itoa(rng.IntN(i+1))
				}
			case "wave":
				v = pick([]string{"w1", "w2", " w2"}, []string{"", "w3"})
			case "journey":
				v = pick([]string{"onboarding"}, []string{"onbording", "nope"})
			case "touchpoint":
				v = pick([]string{"ad", "invoice", "invoice "}, []string{"advert", "invoic"})
			case "be-there", "clarity", "be-ther":
				v = pick(scores, badScores)
			case "recommend":
				v = pick([]string{"", "0", "6", "7", "8", "9", "10", " 9", "07"}, []string{"11", "x", "-1", "9.5"})
			case "comment":
				v = pick(comments, nil)
			}
			cells[k] = quote(v)
		}
		b.WriteString(strings.Join(cells, sep) + nl)
	}
	return b.String()
}

func writeResponses(t testing.TB, files map[string]string) string {
	t.Helper()
	site := base()
	delete(site, "data/responses/r.csv")
	// The measures give invoice no cells, so responses never conflict
	// with them (a conflict is tested on its own).
	site["data/measures/m.csv"] = "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,be-there,3.1\n"
	for k, v := range files {
		site[k] = v
	}
	return writeSite(t, site)
}

func withChunkSize(t *testing.T, n int) {
	old := chunkSize
	chunkSize = n
	t.Cleanup(func() { chunkSize = old })
}

// TestResponsesMatchReference compares the two loaders on random exports
// cut into chunks from tiny (every few records a chunk, records longer
// than a chunk) to the real size.
func TestResponsesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{16, 100, 1000, 64 << 10, 1 << 20} {
		for i := 0; i < 12; i++ {
			semicolon, crlf := i%2 == 1, i%3 == 1
			mistakes := []float64{0, 0.01, 0.2}[i%3]
			rows := 1 + rng.IntN(3000)
			text := randomExport(rng, rows, semicolon, crlf, mistakes)
			if i%4 == 3 {
				text = strings.TrimRight(text, "\r\n") // no newline at the end
			}
			if i == 5 {
				text += "\r" // a stray \r at the end
			}
			t.Run(fmt.Sprintf("chunk%d/%d", size, i), func(t *testing.T) {
				withChunkSize(t, size)
				sameLoad(t, writeResponses(t, map[string]string{"data/responses/a.csv": text}))
			})
		}
	}
}

// TestResponsesSyntaxErrors: a broken quote ends the file's reading at
// its place, whichever chunk it falls in, as encoding/csv stops there.
func TestResponsesSyntaxErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	good := randomExport(rng, 2000, false, false, 0.05)
	lines := strings.SplitAfter(good, "\n")
	for _, size := range []int{16, 1000, 1 << 20} {
		for _, tt := range []struct {
			name string
			edit func(string) string
		}{
			{"bare quote", func(s string) string { return s[:len(s)-1] + `x"y` + "\n" }},
			{"text after closing quote", func(s string) string { return s[:len(s)-1] + `,"a"b` + "\n" }},
			{"open quote at the end", func(s string) string { return s + `r,w1,onboarding,ad,"never closed` + "\n" }},
			{"open quote at the very end", func(s string) string { return s + `"` }},
			{"not UTF-8", func(s string) string { return s[:len(s)-1] + "\xff\n" }},
			{"not UTF-8 in a bad row", func(s string) string { return "\xff,1\n" + s }},
		} {
			for _, at := range []int{1, len(lines) / 2, len(lines) - 2} {
				t.Run(fmt.Sprintf("%s/chunk%d/line%d", tt.name, size, at), func(t *testing.T) {
					withChunkSize(t, size)
					edited := append([]string(nil), lines...)
					edited[at] = tt.edit(edited[at])
					sameLoad(t, writeResponses(t, map[string]string{"data/responses/a.csv": strings.Join(edited, "")}))
				})
			}
		}
	}
}

// TestResponsesSeveralFiles: files pool into one source per cell, with
// the first place and the verbatim cap across files.
func TestResponsesSeveralFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	withChunkSize(t, 1000)
	files := map[string]string{}
	for i := 0; i < 3; i++ {
		files[fmt.Sprintf("data/responses/%d.csv", i)] = randomExport(rng, 800, i == 1, i == 2, 0.01)
	}
	sameLoad(t, writeResponses(t, files))
}

// TestResponsesConflict: a responses cell also given by measures is one
// error naming both.
func TestResponsesConflict(t *testing.T) {
	site := base()
	site["data/responses/r.csv"] = "respondent,wave,journey,touchpoint,be-there\nr1,w1,onboarding,ad,4\nr2,w1,onboarding,ad,5\n"
	sameLoad(t, writeSite(t, site))
}

// TestResponsesManyErrors: past maxRowErrors problems only a count is
// listed, whichever chunks they fall in.
func TestResponsesManyErrors(t *testing.T) {
	for _, size := range []int{64, 1 << 20} {
		withChunkSize(t, size)
		var b strings.Builder
		b.WriteString("wave,journey,touchpoint,be-there,recommend\n")
		for i := 0; i < 500; i++ {
			fmt.Fprintf(&b, "w2,onboarding,invoice,%d,%d\n", i%8, i%13)
		}
		sameLoad(t, writeResponses(t, map[string]string{"data/responses/a.csv": b.String()}))
	}
}

func FuzzResponsesMatchReference(f *testing.F) {
	rng := rand.New(rand.NewPCG(7, 7))
	f.Add([]byte(base()["data/responses/r.csv"]), uint16(16))
	f.Add([]byte(randomExport(rng, 30, true, true, 0.2)), uint16(40))
	f.Add([]byte(randomExport(rng, 30, false, false, 0.2)), uint16(7))
	f.Add([]byte("wave,journey,touchpoint,be-there,comment\nw2,onboarding,ad,3,\"a\nb\"\"c\"\r\n\"w2\",onboarding,ad,\"4\",x"), uint16(3))
	dir := writeResponses(f, nil)
	if err := os.MkdirAll(filepath.Join(dir, "data/responses"), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, size uint16) {
		withChunkSize(t, 1+int(size)%4096)
		if err := os.WriteFile(filepath.Join(dir, "data/responses/r.csv"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		sameLoad(t, dir)
	})
}

// TestResponsesMutated: exports with random bytes changed, cut, or a
// quote, newline or separator inserted, in chunks of random size.
func TestResponsesMutated(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	dir := writeResponses(t, nil)
	if err := os.MkdirAll(filepath.Join(dir, "data/responses"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 400; i++ {
		src := []byte(randomExport(rng, 1+rng.IntN(40), rng.IntN(2) == 0, rng.IntN(2) == 0, 0.1))
		for k := rng.IntN(6); k > 0; k-- {
			switch rng.IntN(3) {
			case 0:
				src[rng.IntN(len(src))] = byte(rng.IntN(256))
			case 1:
				a := rng.IntN(len(src))
				b := a + rng.IntN(len(src)-a)
				src = append(src[:a:a], src[b:]...)
			case 2:
				a, c := rng.IntN(len(src)+1), rng.IntN(5)
				src = append(src[:a:a], append([]byte("\"\r\n,;"[c:c+1]), src[a:]...)...)
			}
			if len(src) == 0 {
				src = []byte("wave")
			}
		}
		size := 1 + rng.IntN(300)
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			withChunkSize(t, size)
			if err := os.WriteFile(filepath.Join(dir, "data/responses/r.csv"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if t.Failed() {
					t.Logf("chunk size %d, input %q", size, src)
				}
			}()
			sameLoad(t, dir)
		})
	}
}
