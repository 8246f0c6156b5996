package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
)

// base is a small valid site; each test case changes one file.
func base() map[string]string {
	return map[string]string{
		"site.toml": "title = \"T\"\nbrand = \"acme\"\nwaves = [\"w1\", \"w2\"]\n",
		"data/brands/acme.toml": `name = "Acme"
[[attributes]]
id = "be-there"
name = "Be There"
weight = 2
[[attributes]]
id = "clarity"
name = "Clarity"
[[personas]]
id = "owner"
name = "Owner"
`,
		"data/actors.toml": `[[actors]]
id = "marketing"
name = "Marketing"
kind = "department"
[[actors]]
id = "finance"
name = "Finance"
kind = "department"
`,
		"data/journeys/onboarding.toml": `title = "Onboarding"
persona = "owner"
stages = ["Discover", "Join"]
[[touchpoints]]
id = "ad"
name = "Advert"
stage = "Discover"
owner = "marketing"
importance = 3
promise = { be-there = 4.5, clarity = 4.0 }
[[touchpoints]]
id = "invoice"
name = "Invoice"
stage = "Join"
owner = "finance"
promise = { clarity = 4.5, be-there = 3 }
`,
		"data/measures/m.csv":  "wave,journey,touchpoint,attribute,score,n,sd\nw1,onboarding,ad,be-there,3.1,120,0.9\nw1,onboarding,ad,clarity,3.8,,\nw2,onboarding,ad,be-there,3.5,10,1\nw2,onboarding,ad,clarity,4,10,1\n",
		"data/responses/r.csv": "respondent,wave,journey,touchpoint,be-there,clarity,recommend,comment\nr1,w2,onboarding,invoice,4,3,9,\"Clear, at last\"\nr2,w2,onboarding,invoice,2,,6,\nr3,w2,onboarding,invoice,3,4,,\n",
	}
}

func writeSite(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func lines(l *diag.List) string {
	var b strings.Builder
	for _, d := range l.Items() {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestBaseSiteIsClean(t *testing.T) {
	s, l := Site(writeSite(t, base()))
	if l.Len() != 0 {
		t.Fatalf("diagnostics on a good site:\n%s", lines(l))
	}
	if got := strings.Join(s.Waves, ","); got != "w1,w2" {
		t.Errorf("waves = %s", got)
	}
	c := s.Cells[cellKey("w2", "onboarding", "invoice", "be-there")]
	if c == nil || c.N != 3 || c.Mean != 3 || c.SD != 1 {
		t.Errorf("responses aggregate: %+v", c)
	}
	if c := s.Cells[cellKey("w2", "onboarding", "invoice", "clarity")]; c == nil || c.N != 2 || c.Mean != 3.5 {
		t.Errorf("an empty cell must be a missing answer, not 0: %+v", c)
	}
	if n := s.NPS[touchKey("w2", "onboarding", "invoice")]; n == nil || n.Promoters != 1 || n.Detractors != 1 || n.N() != 2 {
		t.Errorf("NPS counts: %+v", n)
	}
	if v := s.Verbatims[touchKey("w2", "onboarding", "invoice")]; v == nil || v.Total != 1 || v.Comments[0].Text != "Clear, at last" {
		t.Errorf("verbatims: %+v", v)
	}
	if imp := s.Journeys[0].Touchpoints[1].Importance; imp != 3 {
		t.Errorf("default importance = %g, want the scale midpoint 3", imp)
	}
}

// TestErrors: each mistake is reported at its file, line and column with
// the likely intended name.
func TestErrors(t *testing.T) {
	for _, tt := range []struct {
		name, file, text string
		want             []string
	}{
		{"unknown attribute", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], "be-there = 4.5", "be-ther = 4.5", 1),
			[]string{`data/journeys/onboarding.toml:10:13: unknown attribute of brand "acme" "be-ther" (did you mean "be-there"?)`}},
		{"unknown actor", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], `owner = "finance"`, `owner = "finanse"`, 1),
			[]string{`data/journeys/onboarding.toml:15:9: unknown actor "finanse" (did you mean "finance"?)`}},
		{"unknown stage", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], `stage = "Join"`, `stage = "Joins"`, 1),
			[]string{`data/journeys/onboarding.toml:14:9: touchpoint "invoice" is in no listed stage: unknown stage "Joins" (did you mean "Join"?)`}},
		{"unknown persona", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], `persona = "owner"`, `persona = "owners"`, 1),
			[]string{`data/journeys/onboarding.toml:2:11: unknown persona of brand "acme" "owners" (did you mean "owner"?)`}},
		{"unknown brand", "data/journeys/onboarding.toml", "brand = \"acm\"\n" + base()["data/journeys/onboarding.toml"],
			[]string{`data/journeys/onboarding.toml:1:9: unknown brand "acm" (did you mean "acme"?)`}},
		{"unknown key", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], "importance = 3", "importanse = 3", 1),
			[]string{`data/journeys/onboarding.toml:9:1: unknown key "importanse" (did you mean "importance"?)`}},
		{"duplicate touchpoint", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], `id = "invoice"`, `id = "ad"`, 1),
			[]string{`data/journeys/onboarding.toml:12:1: duplicate touchpoint id "ad" in journey "onboarding" (first defined at line 5)`}},
		{"promise off scale", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], "be-there = 4.5", "be-there = 45", 1),
			[]string{`data/journeys/onboarding.toml:10:24: promise 45 is outside the scale 1..5`}},
		{"importance not positive", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], "importance = 3", "importance = 0", 1),
			[]string{`data/journeys/onboarding.toml:9:14: importance of "ad" must be positive (got 0)`}},
		{"empty journey", "data/journeys/empty.toml", "title = \"E\"\nstages = [\"A\"]\n",
			[]string{`data/journeys/empty.toml:1:1: journey "empty" is empty`}},
		{"missing name", "data/journeys/onboarding.toml", strings.Replace(base()["data/journeys/onboarding.toml"], "name = \"Advert\"\n", "", 1),
			[]string{`data/journeys/onboarding.toml:5:1: touchpoint "ad" has no name`}},
		{"weight not positive", "data/brands/acme.toml", strings.Replace(base()["data/brands/acme.toml"], "weight = 2", "weight = -2", 1),
			[]string{`data/brands/acme.toml:5:10: weight of attribute "be-there" must be positive (got -2)`}},
		{"duplicate attribute", "data/brands/acme.toml", strings.Replace(base()["data/brands/acme.toml"], `id = "clarity"`, `id = "be-there"`, 1),
			[]string{`data/brands/acme.toml:7:1: duplicate attribute id "be-there" (first defined at line 3)`}},
		{"id not a slug", "data/actors.toml", strings.Replace(base()["data/actors.toml"], `id = "finance"`, `id = "../Finance"`, 1),
			[]string{`data/actors.toml:6:1: actor id "../Finance" is not a slug`}},
		{"TOML syntax", "data/brands/acme.toml", "name = \"Acme\n", []string{`data/brands/acme.toml:1:`, "TOML:"}},
		{"CSV wrong field count", "data/measures/m.csv", "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,be-there\n",
			[]string{`data/measures/m.csv:2:1: row has 4 fields but the header has 5`}},
		{"CSV non-numeric", "data/measures/m.csv", "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,be-there,high\n",
			[]string{`data/measures/m.csv:2:27: score "high" is not a number`}},
		{"CSV score off scale", "data/measures/m.csv", "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,be-there,7\n",
			[]string{`data/measures/m.csv:2:27: score 7 is outside the scale 1..5`}},
		{"CSV unknown touchpoint", "data/measures/m.csv", "wave,journey,touchpoint,attribute,score\nw1,onboarding,advert,be-there,3\n",
			[]string{`data/measures/m.csv:2:15: unknown touchpoint of journey "onboarding" "advert" (did you mean "ad"?)`}},
		{"CSV unknown wave", "data/measures/m.csv", "wave,journey,touchpoint,attribute,score\nw3,onboarding,ad,be-there,3\n",
			[]string{`data/measures/m.csv:2:1: unknown wave "w3" (did you mean "w1"?)`}},
		{"CSV missing column", "data/measures/m.csv", "wave,journey,touchpoint,attribut,score\n",
			[]string{`data/measures/m.csv:1:1: missing column "attribute" in the header (is "attribut" meant to be "attribute"?)`}},
		{"NPS out of range", "data/responses/r.csv", "respondent,wave,journey,touchpoint,be-there,recommend\nr1,w2,onboarding,invoice,4,11\n",
			[]string{`data/responses/r.csv:2:28: recommend "11" must be a whole number from 0 to 10`}},
		{"two sources", "data/measures/m2.csv", "wave,journey,touchpoint,attribute,score\nw2,onboarding,invoice,clarity,3\n",
			[]string{`data/responses/r.csv:2:1: experience of onboarding/invoice on "clarity" in wave "w2" has two sources: responses from this row on and data/measures/m2.csv:2`}},
		{"not UTF-8", "data/measures/m.csv", "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,be-there,3\xff\n",
			[]string{`data/measures/m.csv:2:`, "not UTF-8"}},
		{"unknown response column", "data/responses/r.csv", "respondent,wave,journey,touchpoint,be-ther,recommend\nr1,w2,onboarding,invoice,4,9\n",
			[]string{`data/responses/r.csv:1:36: warning: column "be-ther" is not an attribute of any brand and is ignored (did you mean "be-there"?)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := base()
			files[tt.file] = tt.text
			_, l := Site(writeSite(t, files))
			got := lines(l)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in:\n%s", w, got)
				}
			}
		})
	}
}

// TestManyMistakesAtOnce: every problem is reported in one run.
func TestManyMistakesAtOnce(t *testing.T) {
	files := base()
	files["data/journeys/onboarding.toml"] = strings.NewReplacer(`owner = "finance"`, `owner = "finanse"`, "be-there = 4.5", "be-ther = 4.5").Replace(files["data/journeys/onboarding.toml"])
	files["data/measures/m.csv"] += "w1,onboarding,ad,clarty,3,,\n"
	_, l := Site(writeSite(t, files))
	if n := strings.Count(lines(l), "did you mean"); n != 3 {
		t.Errorf("want 3 problems with suggestions, got %d:\n%s", n, lines(l))
	}
}

// TestRealWorldFiles: BOM, CRLF, semicolons with decimal commas, trailing
// empty lines.
func TestRealWorldFiles(t *testing.T) {
	files := base()
	files["data/measures/m.csv"] = "\ufeffwave;journey;touchpoint;attribute;score;n;sd\r\nw1;onboarding;ad;be-there;3,1;120;0,9\r\nw2;onboarding;ad;be-there;3,5;10;1\r\n\r\n\r\n"
	files["data/brands/acme.toml"] = "\ufeff" + strings.ReplaceAll(files["data/brands/acme.toml"], "\n", "\r\n")
	s, l := Site(writeSite(t, files))
	if l.HasErrors() {
		t.Fatalf("errors:\n%s", lines(l))
	}
	c := s.Cells[cellKey("w1", "onboarding", "ad", "be-there")]
	if c == nil || c.Mean != 3.1 || c.SD != 0.9 || c.N != 120 {
		t.Errorf("semicolon CSV with decimal commas: %+v", c)
	}
}

func TestWavesFromDataInLexicalOrder(t *testing.T) {
	files := base()
	files["site.toml"] = "title = \"T\"\n"
	s, l := Site(writeSite(t, files))
	if l.HasErrors() {
		t.Fatal(lines(l))
	}
	if got := strings.Join(s.Waves, ","); got != "w1,w2" {
		t.Errorf("waves = %s", got)
	}
}

func TestInlineExperienceIsCurrentWave(t *testing.T) {
	files := base()
	files["data/journeys/onboarding.toml"] = strings.Replace(files["data/journeys/onboarding.toml"], "promise = { clarity = 4.5, be-there = 3 }", "promise = { clarity = 4.5, be-there = 3 }\nexperience = { be-there = 2.5 }", 1)
	files["data/responses/r.csv"] = "respondent,wave,journey,touchpoint,clarity\nr1,w2,onboarding,invoice,4\n"
	s, l := Site(writeSite(t, files))
	if l.HasErrors() {
		t.Fatal(lines(l))
	}
	if c := s.Cells[cellKey("w2", "onboarding", "invoice", "be-there")]; c == nil || c.Mean != 2.5 {
		t.Errorf("inline experience not in the last wave: %+v", c)
	}
}
