package survey_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
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
