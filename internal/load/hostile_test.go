package load

import (
	"strings"
	"testing"
)

// hostileCase changes files of the base site and lists what must and
// must not be reported.
type hostileCase struct {
	name  string
	files map[string]string // file → new content; "" removes it
	want  []string
	not   []string
}

func runHostile(t *testing.T, cases []hostileCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			files := base()
			for f, text := range tt.files {
				if text == "" {
					delete(files, f)
				} else {
					files[f] = text
				}
			}
			_, l := Site(writeSite(t, files))
			got := lines(l)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in:\n%s", w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("do not want %q in:\n%s", w, got)
				}
			}
		})
	}
}

func replaced(file, old, new string) map[string]string {
	s := base()[file]
	if !strings.Contains(s, old) {
		panic(file + " has no " + old)
	}
	return map[string]string{file: strings.Replace(s, old, new, 1)}
}

const assessment = `title = "Maturity"
[[pillars]]
name = "Strategy"
[[pillars.criteria]]
name = "Vision"
current = 2
target = 4
`

// TestNonFiniteAndImpossibleNumbers: nan and inf anywhere in TOML are
// errors at their place (before, they passed every range check and
// failed as "json: unsupported value: NaN"); an sd no answers on the
// scale can have and an overflowing weight are errors; a measures row
// for an attribute the touchpoint does not promise is a warning.
func TestNonFiniteAndImpossibleNumbers(t *testing.T) {
	noJSON := []string{"json:", "unsupported value", "outside the scale NaN"}
	runHostile(t, []hostileCase{
		{"promise nan", replaced("data/journeys/onboarding.toml", "be-there = 4.5", "be-there = nan"),
			[]string{"data/journeys/onboarding.toml:10:24: touchpoints[0].promise.be-there = nan: not a finite number"}, noJSON},
		{"experience inf", replaced("data/journeys/onboarding.toml", "promise = { clarity = 4.5, be-there = 3 }", "promise = { clarity = 4.5, be-there = 3 }\nexperience = { clarity = +inf }"),
			[]string{"data/journeys/onboarding.toml:17:26: touchpoints[1].experience.clarity = +inf: not a finite number"}, append(noJSON, "never promised")},
		{"importance nan", replaced("data/journeys/onboarding.toml", "importance = 3", "importance = -nan"),
			[]string{"data/journeys/onboarding.toml:9:14: touchpoints[0].importance = -nan: not a finite number"}, noJSON},
		{"emotion nan", replaced("data/journeys/onboarding.toml", "importance = 3", "importance = 3\nemotion = nan"),
			[]string{"data/journeys/onboarding.toml:10:11: touchpoints[0].emotion = nan: not a finite number"},
			append(noJSON, "unknown journey")},
		{"weight nan", replaced("data/brands/acme.toml", "weight = 2", "weight = nan"),
			[]string{"data/brands/acme.toml:5:10: attributes[0].weight = nan: not a finite number"}, append(noJSON, "unknown brand", "unknown attribute")},
		{"weight overflowing", replaced("data/brands/acme.toml", "weight = 2", "weight = 1e308"),
			[]string{`data/brands/acme.toml:5:10: weight of attribute "be-there" is too large (1e+308)`}, noJSON},
		{"assessment current nan", map[string]string{"data/assessments/maturity.toml": strings.Replace(assessment, "current = 2", "current = nan", 1)},
			[]string{"data/assessments/maturity.toml:6:11: pillars[0].criteria[0].current = nan: not a finite number"}, noJSON},
		{"assessment scale inf", map[string]string{"data/assessments/maturity.toml": assessment + "[scale]\nmin = 1\nmax = inf\n"},
			[]string{"data/assessments/maturity.toml:10:7: scale.max = inf: not a finite number"}, noJSON},
		{"string nan is text", replaced("data/brands/acme.toml", `name = "Acme"`, `name = "nan"`), nil, []string{"finite"}},
		{"sd larger than the scale", map[string]string{"data/measures/m.csv": "wave,journey,touchpoint,attribute,score,n,sd\nw1,onboarding,ad,be-there,3,30,9\n"},
			[]string{"data/measures/m.csv:2:32: sd 9 is impossible on the scale 1..5: 30 answers between 1 and 5 have an sd of at most 2.03"}, nil},
		{"sd at the limit", map[string]string{"data/measures/m.csv": "wave,journey,touchpoint,attribute,score,n,sd\nw1,onboarding,ad,be-there,3,2,2.8284\n"},
			nil, []string{"impossible"}},
		{"sd negative", map[string]string{"data/measures/m.csv": "wave,journey,touchpoint,attribute,score,n,sd\nw1,onboarding,ad,be-there,3,30,-1\n"},
			[]string{`data/measures/m.csv:2:32: sd "-1" must be a number not below 0`}, nil},
		{"measure not promised", map[string]string{
			"data/journeys/onboarding.toml": strings.Replace(base()["data/journeys/onboarding.toml"], "promise = { be-there = 4.5, clarity = 4.0 }", "promise = { be-there = 4.5 }", 1),
			"data/measures/m.csv":           "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,clarity,3\nw2,onboarding,ad,clarity,3\nw2,onboarding,ad,be-there,3\n"},
			[]string{`data/measures/m.csv:2:18: warning: touchpoint "ad" of journey "onboarding" does not promise "clarity"`}, nil},
	})
}

// TestMeasureNotPromisedWarnedOnce: one warning per touchpoint and
// attribute of a file, not one per row.
func TestMeasureNotPromisedWarnedOnce(t *testing.T) {
	files := base()
	files["data/journeys/onboarding.toml"] = strings.Replace(files["data/journeys/onboarding.toml"], "promise = { be-there = 4.5, clarity = 4.0 }", "promise = { be-there = 4.5 }", 1)
	files["data/measures/m.csv"] = "wave,journey,touchpoint,attribute,score\nw1,onboarding,ad,clarity,3\nw2,onboarding,ad,clarity,3\nw2,onboarding,ad,be-there,3\n"
	_, l := Site(writeSite(t, files))
	if n := strings.Count(lines(l), "does not promise"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, lines(l))
	}
}

func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range s { // ASCII and BMP text is enough here
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// TestBrokenFileDoesNotCascade and encodings: one syntax error in
// actors.toml is one error (before: one more "unknown actor (there are
// none)" per owner); TOML saved with CR-only line ends or as UTF-16 is
// read; Latin-1 gets the UTF-8 message at its place.
func TestMessagesOfHostileFiles(t *testing.T) {
	runHostile(t, []hostileCase{
		{"actors syntax error", map[string]string{"data/actors.toml": "[[actors]\nid = \"x\"\n"},
			[]string{"data/actors.toml:2:9: TOML:"}, []string{"unknown actor"}},
		{"actors not UTF-8", map[string]string{"data/actors.toml": "[[actors]]\nid = \"fin\xe9\"\n"},
			[]string{"data/actors.toml:2:10: file is not UTF-8 text: save it as UTF-8"}, []string{"unknown actor"}},
		{"brand CR only", map[string]string{"data/brands/acme.toml": strings.ReplaceAll(base()["data/brands/acme.toml"], "\n", "\r")}, nil, []string{"acme.toml"}},
		{"journey UTF-16", map[string]string{"data/journeys/onboarding.toml": utf16LE(base()["data/journeys/onboarding.toml"])}, nil, []string{"onboarding.toml"}},
		{"site.toml UTF-16 CRLF", map[string]string{"site.toml": utf16LE(strings.ReplaceAll(base()["site.toml"], "\n", "\r\n"))}, nil, []string{"site.toml"}},
		{"site.toml Latin-1", map[string]string{"site.toml": "title = \"Caf\xe9\"\n"}, []string{"site.toml:1:13: file is not UTF-8 text: save it as UTF-8"}, nil},
	})
}

// TestDeclaredWaveWithoutData: a wave declared before its data exists
// is a warning and does not become the current wave (before, the
// inline experience moved into it and the trend compared different
// touchpoints).
func TestDeclaredWaveWithoutData(t *testing.T) {
	inline := strings.Replace(base()["data/journeys/onboarding.toml"], "promise = { clarity = 4.5, be-there = 3 }", "promise = { clarity = 4.5, be-there = 3 }\nexperience = { be-there = 2.5 }", 1)
	for _, c := range []struct {
		name, waves string
		drop        bool // no data files at all
		want        string
		warnings    []string
	}{
		{"future wave", `["w1", "w2", "w3"]`, false, "w1,w2",
			[]string{`site.toml:3:22: warning: wave "w3" is declared but no data has it yet: the current wave is "w2" until data of "w3" arrives`}},
		{"two future waves", `["w1", "w2", "w3", "w4"]`, false, "w1,w2",
			[]string{`site.toml:3:22: warning: wave "w3"`, `site.toml:3:28: warning: wave "w4"`}},
		{"empty wave between", `["w0", "w1", "w2"]`, false, "w0,w1,w2",
			[]string{`site.toml:3:10: warning: wave "w0" is declared but no data has it: trends show nothing for it`}},
		{"no data at all", `["w1", "w2"]`, true, "w1,w2", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := base()
			files["site.toml"] = "title = \"T\"\nbrand = \"acme\"\nwaves = " + c.waves + "\n"
			files["data/journeys/onboarding.toml"] = inline
			files["data/responses/r.csv"] = "respondent,wave,journey,touchpoint,clarity\nr1,w2,onboarding,invoice,4\n"
			if c.drop {
				delete(files, "data/responses/r.csv")
				delete(files, "data/measures/m.csv")
			}
			s, l := Site(writeSite(t, files))
			if l.HasErrors() {
				t.Fatal(lines(l))
			}
			if got := strings.Join(s.Waves, ","); got != c.want {
				t.Errorf("waves %s, want %s", got, c.want)
			}
			current := s.Waves[len(s.Waves)-1]
			if cell := s.Cells[cellKey(current, "onboarding", "invoice", "be-there")]; cell == nil || cell.Mean != 2.5 {
				t.Errorf("inline experience not in %s: %+v", current, cell)
			}
			got := lines(l)
			for _, w := range c.warnings {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in:\n%s", w, got)
				}
			}
			if n := strings.Count(got, "is declared but"); n != len(c.warnings) {
				t.Errorf("%d wave warnings, want %d:\n%s", n, len(c.warnings), got)
			}
		})
	}
}
