package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyFixture copies the mini-site into a temp folder.
func copyFixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(fixture)); err != nil {
		t.Fatal(err)
	}
	return dst
}

type mistake struct {
	file, old, new string
}

func (m mistake) apply(t *testing.T, site string) {
	t.Helper()
	p := filepath.Join(site, m.file)
	b, err := os.ReadFile(p)
	if err != nil && m.old != "" {
		t.Fatal(err)
	}
	if m.old == "" { // a new file
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(m.new), 0o644)
		return
	}
	if !strings.Contains(string(b), m.old) {
		t.Fatalf("%s has no %q", m.file, m.old)
	}
	os.WriteFile(p, []byte(strings.Replace(string(b), m.old, m.new, 1)), 0o644)
}

// TestCheckFindsEveryMistake: for each kind of mistake, check on a copy of
// the fixture exits 1 and names the file, the line and the likely
// intended value.
func TestCheckFindsEveryMistake(t *testing.T) {
	const j = "data/journeys/onboarding.toml"
	for _, tt := range []struct {
		name string
		m    mistake
		want string
	}{
		{"TOML syntax", mistake{"data/brands/acme.toml", `name = "Acme Supplies"`, `name = "Acme Supplies`}, "data/brands/acme.toml:1:"},
		{"CSV syntax", mistake{"data/measures/2026-H1.csv", "2026-H1,onboarding,welcome-pack,be-there,4.2,60,0.8", `2026-H1,onboarding,"welcome-pack,be-there,4.2,60,0.8`}, "data/measures/2026-H1.csv:"},
		{"unknown attribute", mistake{j, "promise = { clarity = 4.5 }", "promise = { clarty = 4.5 }"}, `data/journeys/onboarding.toml:50:13: unknown attribute of brand "acme" "clarty" (did you mean "clarity"?)`},
		{"unknown actor", mistake{j, `owner = "courier"`, `owner = "couriers"`}, `data/journeys/onboarding.toml:23:9: unknown actor "couriers" (did you mean "courier"?)`},
		{"unknown stage", mistake{j, `stage = "Get help"`, `stage = "Get Help"`}, `unknown stage "Get Help" (did you mean "Get help"?)`},
		{"unknown persona", mistake{j, `persona = "owner"`, `persona = "ower"`}, `data/journeys/onboarding.toml:3:11: unknown persona of brand "acme" "ower" (did you mean "owner"?)`},
		{"unknown brand", mistake{j, `brand = "acme"`, `brand = "acne"`}, `data/journeys/onboarding.toml:2:9: unknown brand "acne" (did you mean "acme"?)`},
		{"unknown journey", mistake{"data/measures/2026-H1.csv", "2026-H1,onboarding,welcome-pack,be-there", "2026-H1,onbording,welcome-pack,be-there"}, `data/measures/2026-H1.csv:2:9: unknown journey "onbording" (did you mean "onboarding"?)`},
		{"unknown touchpoint", mistake{"data/responses/call-centre.csv", "r101,2026-H1,onboarding,call-centre", "r101,2026-H1,onboarding,call-center"}, `data/responses/call-centre.csv:5:25: unknown touchpoint of journey "onboarding" "call-center" (did you mean "call-centre"?)`},
		{"unknown wave", mistake{"data/measures/2026-H1.csv", "2026-H1,onboarding,welcome-pack,be-there", "2026-H2,onboarding,welcome-pack,be-there"}, `data/measures/2026-H1.csv:2:1: unknown wave "2026-H2"`},
		{"unknown chart type", mistake{"content/_index.md", `type = "heatmap"`, `type = "heatmapp"`}, `content/_index.md:9:8: chart block: unknown chart type "heatmapp" (did you mean "heatmap"?)`},
		{"unknown chart key", mistake{"content/_index.md", `title = "Promise against experience"`, `titel = "Promise against experience"`}, `content/_index.md:10:1: chart block: unknown key "titel" (did you mean "title"?)`},
		{"unknown assessment", mistake{"content/_index.md", `type = "trend"`, "type = \"scorecard\"\nassessment = \"maturty\""}, `content/_index.md:15:14: chart: unknown assessment "maturty"`},
		{"duplicate id", mistake{"data/actors.toml", `id = "finance"`, `id = "marketing"`}, `data/actors.toml:20:1: duplicate actor id "marketing" (first defined at line 2)`},
		{"score off scale", mistake{"data/measures/2026-H1.csv", "be-there,4.2,60", "be-there,42,60"}, `data/measures/2026-H1.csv:2:42: score 42 is outside the scale 1..5`},
		{"wrong field count", mistake{"data/measures/2025-H2.csv", "2025-H2,onboarding,ad,clarity,3.8,120,0.7", "2025-H2,onboarding,ad,clarity,3.8,120"}, `data/measures/2025-H2.csv:3:1: row has 6 fields but the header has 7`},
		{"non-numeric score", mistake{"data/responses/call-centre.csv", "r102,2026-H1,onboarding,call-centre,3,", "r102,2026-H1,onboarding,call-centre,three,"}, `data/responses/call-centre.csv:6:37: be-there score "three" is not a number`},
		{"NPS out of range", mistake{"data/responses/call-centre.csv", `r101,2026-H1,onboarding,call-centre,4,4,9,`, `r101,2026-H1,onboarding,call-centre,4,4,19,`}, `data/responses/call-centre.csv:5:41: recommend "19" must be a whole number from 0 to 10`},
		{"two sources", mistake{"data/measures/2026-H1.csv", "2026-H1,onboarding,welcome-pack,clarity,4.6,60,0.5", "2026-H1,onboarding,welcome-pack,clarity,4.6,60,0.5\n2026-H1,onboarding,invoice,clarity,3.1,,"}, `data/journeys/onboarding.toml:51:16: experience of onboarding/invoice on "clarity" in wave "2026-H1" has two sources: this inline experience (which belongs to the current wave) and data/measures/2026-H1.csv:4`},
		{"missing required field", mistake{j, "name = \"Radio advert\"\n", ""}, `data/journeys/onboarding.toml:7:1: touchpoint "ad" has no name`},
		{"weight not positive", mistake{"data/brands/acme.toml", "weight = 2", "weight = 0"}, `data/brands/acme.toml:9:10: weight of attribute "be-there" must be positive (got 0)`},
		{"importance not positive", mistake{j, "importance = 4", "importance = -4"}, `importance of "invoice" must be positive (got -4)`},
		{"empty journey", mistake{"data/journeys/empty.toml", "", "title = \"Nothing yet\"\nstages = [\"One\"]\n"}, `data/journeys/empty.toml:1:1: journey "empty" is empty`},
		{"unknown front matter key", mistake{"content/_index.md", `journey = "onboarding"`, `jouney = "onboarding"`}, `content/_index.md:3:1: unknown front matter key "jouney" (did you mean "journey"?)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := copyFixture(t)
			tt.m.apply(t, site)
			stdout, _, code := runCLI(t, "check", "-s", site)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("want %q in:\n%s", tt.want, stdout)
			}
		})
	}
}

func TestCheckReportsAllAtOnce(t *testing.T) {
	site := copyFixture(t)
	for _, m := range []mistake{
		{"data/journeys/onboarding.toml", `owner = "courier"`, `owner = "couriers"`},
		{"data/measures/2026-H1.csv", "be-there,4.2,60", "be-there,42,60"},
		{"content/_index.md", `type = "heatmap"`, `type = "heatmapp"`},
		{"data/brands/acme.toml", "weight = 2", "weight = 0"},
	} {
		m.apply(t, site)
	}
	stdout, _, code := runCLI(t, "check", "-s", site)
	for _, want := range []string{"data/journeys/onboarding.toml:23:9:", "data/measures/2026-H1.csv:2:42:", "content/_index.md:9:8:", "data/brands/acme.toml:9:10:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("want %q in:\n%s", want, stdout)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
}

func TestCheckWarnings(t *testing.T) {
	site := copyFixture(t)
	mistake{"data/journeys/onboarding.toml", "promise = { clarity = 4.5 }\nexperience = { clarity = 3.0 }", "promise = { clarity = 4.5 }"}.apply(t, site)
	mistake{"data/measures/2025-H2.csv", "2025-H2,onboarding,invoice,clarity,2.6,80,1.1\n", ""}.apply(t, site)
	stdout, _, code := runCLI(t, "check", "-s", site)
	if code != 0 || !strings.Contains(stdout, `warning: touchpoint "invoice" of journey "onboarding" has no experience data in any wave`) {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}
