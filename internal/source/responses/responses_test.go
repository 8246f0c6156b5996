package responses_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/responses"
)

// The site of three responses files (different column orders, one
// semicolon-separated with decimal commas and a byte order mark) that
// load's whole-site tests check as JSON; here the source is run on its
// own and its Result checked against figures worked out by hand from
// the files.
const root = "../../load/testdata/sites/several-responses"

func run(t *testing.T, chunk int) (*source.Result, *diag.List) {
	t.Helper()
	site, ld := load.Site(root) // brands and journeys; its figures are not used
	if ld.HasErrors() {
		t.Fatalf("the site does not load: %v", ld.Err())
	}
	var d diag.List
	env := &source.Env{Root: root, Site: site, Diags: &d}
	s := responses.New("data/responses")
	if chunk > 0 {
		s.WithChunkSize(chunk)
	}
	if s.Path() != "data/responses" {
		t.Errorf("Path() = %q", s.Path())
	}
	return s.Load(context.Background(), env), &d
}

// sd is the textbook sample sd, in two passes.
func sd(xs ...float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func TestResult(t *testing.T) {
	res, d := run(t, 0)
	if d.HasErrors() {
		t.Fatalf("errors: %v", d.Err())
	}
	if res.Kind != model.FromResponses {
		t.Errorf("kind %v", res.Kind)
	}
	wantIn := []string{"data/responses/a-jan.csv", "data/responses/b-feb.csv", "data/responses/c-mar.csv"}
	if !slices.Equal(res.Inputs, wantIn) {
		t.Errorf("Inputs = %q, want %q", res.Inputs, wantIn)
	}
	if _, ok := res.Waves["2026"]; !ok || len(res.Waves) != 2 {
		t.Errorf("waves %v, want 2025 and 2026", res.Waves)
	}
	if p := res.Waves["2025"]; p != (model.Pos{Path: "data/responses/a-jan.csv", Line: 7, Col: 4}) {
		t.Errorf("wave 2025 first seen at %v", p)
	}
	// speed at the phone in 2026: a1 4, a2 5; b1 3, b2 4; c1 4,5 c2 2.
	k := model.CellKey{Wave: "2026", Journey: "support", Touchpoint: "phone", Attribute: "speed"}
	a := res.Data.Cells[k]
	if a == nil {
		t.Fatalf("no cell %v", k)
	}
	c := a.Cell(res.Kind)
	if c.N != 6 || c.Mean != 22.5/6 || math.Abs(c.SD-sd(4, 5, 3, 4, 4.5, 2)) > 1e-12 || c.Kind != model.FromResponses || !c.HasStats {
		t.Errorf("cell %+v, want n 6 mean 3.75 sd %v", *c, sd(4, 5, 3, 4, 4.5, 2))
	}
	if c.Source != (model.Pos{Path: "data/responses/a-jan.csv", Line: 2, Col: 1}) {
		t.Errorf("first answer at %v", c.Source)
	}
	// The Moments say the same, for whatever pools Moments.
	if m := a.Moments; m.N != 6 || m.SW != 6 || m.SWW != 6 || math.Abs(m.SWX-22.5) > 1e-12 || math.Abs(m.SWXX-(16+25+9+16+20.25+4)) > 1e-9 {
		t.Errorf("moments %+v", m)
	}
	// One answer: n known, no sd.
	one := res.Data.Cells[model.CellKey{Wave: "2025", Journey: "support", Touchpoint: "email", Attribute: "clarity"}].Cell(res.Kind)
	if one.N != 1 || one.Mean != 4 || one.SD != 0 || !one.HasStats {
		t.Errorf("one-answer cell %+v", *one)
	}
	// Recommend 2026 phone: a1 9, a2 10, a3 6; b1 8; c1 9, c2 5, c4 10.
	n := res.Data.NPS[model.TouchKey{Wave: "2026", Journey: "support", Touchpoint: "phone"}]
	if n == nil || n.Promoters != 4 || n.Passives != 1 || n.Detractors != 2 {
		t.Errorf("NPS %+v, want 4/1/2", n)
	}
	vb := res.Data.Verbatims[model.TouchKey{Wave: "2026", Journey: "support", Touchpoint: "email"}]
	if vb == nil || vb.Total != 2 || vb.Comments[0].Text != "Two days for a reply" || vb.Comments[1].Text != "No answer; gave up" {
		t.Errorf("verbatims %+v", vb)
	}
	if vb != nil && (vb.Comments[0].Respondent != "a5" || vb.Comments[0].Recommend == nil || *vb.Comments[0].Recommend != 3) {
		t.Errorf("verbatim %+v", vb.Comments[0])
	}
	if len(res.Segments) != 0 {
		t.Errorf("responses have no segments: %v", res.Segments)
	}
	checkDrivers(t, res)
	// The unknown "date" column is the one warning.
	if d.Len() != 1 {
		t.Errorf("diagnostics: %v", d.Items())
	}
}

// TestChunks: figures, places and messages do not depend on where
// chunks end.
func TestChunks(t *testing.T) {
	want, wd := run(t, 0)
	for _, size := range []int{1, 7, 40, 1000} {
		got, gd := run(t, size)
		if !reflect.DeepEqual(got.Data.NPS, want.Data.NPS) || !reflect.DeepEqual(got.Data.Verbatims, want.Data.Verbatims) || !reflect.DeepEqual(got.Waves, want.Waves) {
			t.Errorf("chunk %d: NPS, verbatims or waves differ", size)
		}
		if len(got.Data.Cells) != len(want.Data.Cells) {
			t.Errorf("chunk %d: %d cells, want %d", size, len(got.Data.Cells), len(want.Data.Cells))
		}
		for k, w := range want.Data.Cells {
			g := got.Data.Cells[k]
			if g == nil || !reflect.DeepEqual(g.Cell(got.Kind), w.Cell(want.Kind)) {
				t.Errorf("chunk %d: cell %v differs", size, k)
			}
		}
		if !reflect.DeepEqual(gd.Items(), wd.Items()) {
			t.Errorf("chunk %d: diagnostics differ: %v, want %v", size, gd.Items(), wd.Items())
		}
	}
}

// checkDrivers recomputes the key-driver sums (SPEC §9) from the files
// with encoding/csv: a row counts when it has recommend and a score on
// every attribute its journey promises.
func checkDrivers(t *testing.T, res *source.Result) {
	t.Helper()
	site, _ := load.Site(root)
	want := map[model.JourneyKey]*model.DriverSums{}
	for _, name := range []string{"a-jan.csv", "b-feb.csv", "c-mar.csv"} {
		b, err := os.ReadFile(filepath.Join(root, "data", "responses", name))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		cr := csv.NewReader(bytes.NewReader(b))
		semicolon := bytes.Count(b[:bytes.IndexByte(b, '\n')], []byte(";")) > 0
		if semicolon {
			cr.Comma = ';' // and decimal commas
		}
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[strings.TrimSpace(h)] = i
		}
	row:
		for _, r := range rows[1:] {
			j := site.Journey(strings.TrimSpace(r[col["journey"]]))
			if j == nil || j.Touchpoint(strings.TrimSpace(r[col["touchpoint"]])) == nil {
				continue
			}
			vars := source.DriverVars(j, site.Brand(j.Brand))
			x := make([]float64, len(vars))
			for k, v := range vars {
				c, ok := col[v]
				if !ok || strings.TrimSpace(r[c]) == "" {
					continue row
				}
				text := strings.TrimSpace(r[c])
				if semicolon {
					text = strings.Replace(text, ",", ".", 1)
				}
				f, err := strconv.ParseFloat(text, 64)
				if err != nil {
					continue row
				}
				x[k] = f
			}
			k := model.JourneyKey{Wave: strings.TrimSpace(r[col["wave"]]), Journey: j.ID}
			if want[k] == nil {
				want[k] = model.NewDriverSums(vars)
			}
			want[k].Add(x, 1)
		}
	}
	if len(want) == 0 {
		t.Fatal("the test site has no complete driver rows: the check would check nothing")
	}
	if len(res.Data.Drivers) != len(want) {
		t.Errorf("drivers for %d journey-waves, want %d", len(res.Data.Drivers), len(want))
	}
	for k, w := range want {
		g := res.Data.Drivers[k]
		if g == nil || g.N != w.N || !slices.Equal(g.Vars, w.Vars) {
			t.Errorf("%v: drivers %+v, want %+v", k, g, w)
			continue
		}
		for i := range w.SS {
			if math.Abs(g.SS[i]-w.SS[i]) > 1e-9 {
				t.Errorf("%v: Σxx[%d] = %v, want %v", k, i, g.SS[i], w.SS[i])
			}
		}
		for i := range w.S {
			if math.Abs(g.S[i]-w.S[i]) > 1e-9 {
				t.Errorf("%v: Σx[%d] = %v, want %v", k, i, g.S[i], w.S[i])
			}
		}
	}
}
