package load

import (
	"os"
	"path/filepath"
	"testing"
)

// fuzzFile loads the base site with one file replaced by the fuzzer's
// input: whatever it holds, loading must not panic, and a clean load
// must give a usable site.
func fuzzFile(f *testing.F, name string) {
	b := base()
	f.Add([]byte(b[name]))
	f.Add([]byte("\ufeff" + b[name]))
	f.Add([]byte(""))
	dir := writeSite(f, b)
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), src, 0o644); err != nil {
			t.Fatal(err)
		}
		s, l := Site(dir)
		if s == nil || l == nil {
			t.Fatal("no site or no diagnostics list")
		}
		if !l.HasErrors() && len(s.Waves) == 0 {
			t.Error("a clean load has no wave")
		}
	})
}

func FuzzMeasuresCSV(f *testing.F) {
	f.Add([]byte("wave;journey;touchpoint;attribute;score\nw1;onboarding;ad;be-there;3,5\n"))
	f.Add([]byte("score,attribute,touchpoint,journey,wave,n\n3,clarity,ad,onboarding,w2,\"4\"\n"))
	fuzzFile(f, "data/measures/m.csv")
}

func FuzzResponsesCSV(f *testing.F) {
	f.Add([]byte("wave,journey,touchpoint,be-there,recommend,comment\r\nw2,onboarding,ad,,10,\"a \"\"b\"\"\"\r\n"))
	fuzzFile(f, "data/responses/r.csv")
}

func FuzzJourneyTOML(f *testing.F) {
	f.Add([]byte("stages = []\n[[touchpoints]]\nid = \"x\"\nemotion = 3\n"))
	fuzzFile(f, "data/journeys/onboarding.toml")
}

func FuzzBrandTOML(f *testing.F) {
	f.Add([]byte("[[attributes]]\nid = \"be-there\"\nweight = 0\n[[attributes]]\nid = \"be-there\"\n"))
	fuzzFile(f, "data/brands/acme.toml")
}
