package survey_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/bench/synth"
	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

func synthSite() *model.Site {
	var attrs []*model.Attribute
	for _, a := range []string{"be-there", "clarity", "fair", "effortless", "warm", "reliable", "honest", "simple"} {
		attrs = append(attrs, &model.Attribute{ID: a})
	}
	tps := func(ids ...string) []*model.Touchpoint {
		var out []*model.Touchpoint
		for _, id := range ids {
			out = append(out, &model.Touchpoint{ID: id})
		}
		return out
	}
	return &model.Site{Config: model.Config{Brand: "acme", Scale: model.Scale{Min: 1, Max: 5}},
		Brands: []*model.Brand{{ID: "acme", Attributes: attrs}},
		Journeys: []*model.Journey{
			{ID: "onboarding", Brand: "acme", Touchpoints: tps("tv-ad", "website", "application", "welcome-call", "first-bill")},
			{ID: "support", Brand: "acme", Touchpoints: tps("app-chat", "call-centre", "engineer-visit", "follow-up")},
		}}
}

// BenchmarkExport reads a 100k-row Qualtrics-shaped export (the
// whole-program benchmark's, smaller) through its mapping;
// BenchmarkEncodingCSV only reads the same file with encoding/csv.
func BenchmarkExport(b *testing.B) {
	root := b.TempDir()
	if err := synth.WriteExportSite(root, 100000); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		d := &diag.List{}
		res := survey.New("data/surveys/pulse.toml").Load(context.Background(), &source.Env{Root: root, Site: synthSite(), Diags: d})
		if d.HasErrors() || len(res.Data.Cells) == 0 {
			b.Fatal(d.Err())
		}
	}
}

func BenchmarkEncodingCSV(b *testing.B) {
	var buf bytes.Buffer
	synth.WriteExport(&buf, 100000)
	path := filepath.Join(b.TempDir(), "e.csv")
	os.WriteFile(path, buf.Bytes(), 0o644)
	b.ResetTimer()
	for range b.N {
		f, _ := os.Open(path)
		r := csv.NewReader(f)
		r.ReuseRecord = true
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			}
		}
		f.Close()
	}
}

// TestChunksAgree: figures, verbatims (the first 200 in file order, and
// the totals) and segments do not depend on where chunks end, though
// later chunks stop keeping comments once the merge has enough.
func TestChunksAgree(t *testing.T) {
	root := t.TempDir()
	if err := synth.WriteExportSite(root, 6000); err != nil {
		t.Fatal(err)
	}
	load := func(chunk int) *source.Result {
		d := &diag.List{}
		res := survey.New("data/surveys/pulse.toml").WithChunkSize(chunk).Load(context.Background(), &source.Env{Root: root, Site: synthSite(), Diags: d})
		if d.HasErrors() {
			t.Fatal(d.Err())
		}
		return res
	}
	want := load(1 << 24)
	for _, chunk := range []int{4096, 50000} {
		got := load(chunk)
		if len(got.Order) != len(want.Order) {
			t.Fatalf("chunk %d: %d segment values, want %d", chunk, len(got.Order), len(want.Order))
		}
		datas := map[string][2]*source.Data{"": {got.Data, want.Data}}
		for _, v := range want.Order {
			datas[v.Value] = [2]*source.Data{got.Segments[v], want.Segments[v]}
		}
		for name, pair := range datas {
			g, w := pair[0], pair[1]
			if g == nil {
				t.Fatalf("chunk %d: no segment %q", chunk, name)
			}
			for k, wa := range w.Cells {
				ga := g.Cells[k]
				if ga == nil || ga.N != wa.N || ga.First != wa.First || math.Abs(ga.SWX-wa.SWX) > 1e-6 {
					t.Errorf("chunk %d %q %v: %+v, want %+v", chunk, name, k, ga, wa)
				}
			}
			for k, wv := range w.Verbatims {
				gv := g.Verbatims[k]
				if gv == nil || gv.Total != wv.Total || len(gv.Comments) != len(wv.Comments) {
					t.Fatalf("chunk %d %q %v: verbatims differ", chunk, name, k)
				}
				for i := range wv.Comments {
					if gv.Comments[i].Pos != wv.Comments[i].Pos || gv.Comments[i].Text != wv.Comments[i].Text {
						t.Fatalf("chunk %d %q %v comment %d: %+v, want %+v", chunk, name, k, i, gv.Comments[i], wv.Comments[i])
					}
				}
			}
		}
	}
}
