package config

import (
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

func TestParseDefaults(t *testing.T) {
	c, l := Parse([]byte(`title = "T"`))
	if l.HasErrors() {
		t.Fatal(l.Err())
	}
	if c.Scale.Min != 1 || c.Scale.Max != 5 || c.Tolerance != 0.5 || c.Crosshair != "mean" || c.Theme != "default" || c.Output != "public" || c.BaseURL != "/" {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestParse(t *testing.T) {
	c, l := Parse([]byte("\ufefftitle = \"T\"\r\nbaseURL = \"https://h/reports/cx\"\r\nwaves = [\"b\", \"a\"]\r\n[scale]\r\nmin = 0\r\nmax = 10\r\n[alignment]\r\ntolerance = 1\r\n[ipa]\r\ncrosshair = \"midpoint\"\r\n[data]\r\ncsv_separator = \";\"\r\n[params]\r\nanything = 1\r\n"))
	if l.HasErrors() {
		t.Fatal(l.Err())
	}
	if c.Scale.Max != 10 || c.Scale.Min != 0 || c.Tolerance != 1 || c.Crosshair != "midpoint" || c.CSVSep != ";" || c.BaseURL != "https://h/reports/cx/" || strings.Join(c.Waves, ",") != "b,a" {
		t.Errorf("parsed %+v", c)
	}
	if BasePath(c.BaseURL) != "/reports/cx/" {
		t.Errorf("BasePath = %q", BasePath(c.BaseURL))
	}
}

func TestParseStats(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want model.StatsConfig
		imp  string
	}{
		{`title = "T"`, model.StatsConfig{MinBase: 30, Confidence: 0.95}, "stated"},
		{"title = \"T\"\n[stats]\nmin_base = 50\nsuppress_below = 5\nconfidence = 0.9\n[ipa]\nimportance = \"derived\"",
			model.StatsConfig{MinBase: 50, SuppressBelow: 5, Confidence: 0.9}, "derived"},
		{"title = \"T\"\n[stats]\nmin_base = 0", model.StatsConfig{MinBase: 0, Confidence: 0.95}, "stated"},
	} {
		c, l := Parse([]byte(tt.src))
		if l.HasErrors() {
			t.Fatalf("%q: %v", tt.src, l.Err())
		}
		if c.Stats != tt.want || c.Importance != tt.imp {
			t.Errorf("%q: stats %+v importance %q, want %+v %q", tt.src, c.Stats, c.Importance, tt.want, tt.imp)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`baseURL = "/"`, "site.toml:1:1: missing title"},
		{"title = \"T\"\ntitel = \"x\"", `site.toml:2:1: unknown setting "titel" (did you mean "title"?)`},
		{"title = \"T\"\n[scale]\nmin = 5\nmax = 1", "scale: max (1) must be greater than min (5)"},
		{"title = \"T\"\n[ipa]\ncrosshair = \"median\"", `site.toml:3:13: unknown crosshair "median"`},
		{"title = \"T\"\n[alignment]\ntolerance = -1", "site.toml:3:13: alignment.tolerance must be greater than 0"},
		{"title = \"T\"\n[alignment]\ntolerance = 0", "site.toml:3:13: alignment.tolerance must be greater than 0"},
		{"title = \"T\"\n[alignment]\ntolerance = 4.5", "site.toml:3:13: alignment.tolerance 4.5 is larger than the whole scale 1..5"},
		{"title = \"T\"\n[scale]\nmin = 0\nmax = 10\n[alignment]\ntolerance = 11", "site.toml:6:13: alignment.tolerance 11 is larger than the whole scale 0..10"},
		{"title = \"T\"\n[alignment]\ntolerance = nan", "site.toml:3:13: alignment.tolerance = nan: not a finite number"},
		{"title = \"T\"\n[scale]\nmax = inf", "site.toml:3:7: scale.max = inf: not a finite number"},
		{"title = \"T\"\n[scale]\nmin = -inf", "site.toml:3:7: scale.min = -inf: not a finite number"},
		{"title = \"T\"\n[params]\nx = +nan", "site.toml:3:5: params.x = +nan: not a finite number"},
		{"title = \"T\"\nwaves = [\"a\", \"a\"]", `site.toml:2:15: wave "a" is listed twice`},
		{"title = \"T\"\n[scale\nmax = 3", "site.toml:2:"},
		{"title = \"T\"\n[data]\ncsv_separator = \"|\"", "site.toml:3:17: data.csv_separator"},
		{"title = \"T\"\n[stats]\nmin_base = -1", "site.toml:3:12: stats.min_base must be a whole number"},
		{"title = \"T\"\n[stats]\nsuppress_below = -5", "site.toml:3:18: stats.suppress_below must be a whole number"},
		{"title = \"T\"\n[stats]\nconfidence = 1.5", "site.toml:3:14: stats.confidence must be between 0 and 1"},
		{"title = \"T\"\n[stats]\nconfidence = 0", "site.toml:3:14: stats.confidence must be between 0 and 1"},
		{"title = \"T\"\n[stats]\nconfidense = 0.9", `site.toml:3:1: unknown setting "stats.confidense" (did you mean "stats.confidence"?)`},
		{"title = \"T\"\n[ipa]\nimportance = \"derive\"", `site.toml:3:14: unknown importance "derive" (did you mean "derived"?)`},
		{"title = \"T\"\n[print]\npaper = \"A5\"", `site.toml:3:9: unknown paper "A5"`},
		{"title = \"T\"\n[print]\npapper = \"A4\"", `site.toml:3:1: unknown setting "print.papper"`},
	} {
		_, l := Parse([]byte(tt.src))
		err := l.Err()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q):\n got %v\nwant %q", tt.src, err, tt.want)
		}
	}
}

func TestParsePrint(t *testing.T) {
	for _, tt := range []struct {
		src, paper      string
		touch, portable bool
	}{
		{`title = "T"`, "A4", false, false},
		{"title = \"T\"\n[print]\npaper = \"letter\"\ntouchpoints = true\n[build]\nportable = true", "Letter", true, true},
		{"title = \"T\"\n[print]\npaper = \"A4\"", "A4", false, false},
	} {
		c, l := Parse([]byte(tt.src))
		if l.HasErrors() {
			t.Fatalf("%q: %v", tt.src, l.Err())
		}
		if c.Paper != tt.paper || c.PrintTouchpoints != tt.touch || c.Portable != tt.portable {
			t.Errorf("%q: paper %q touchpoints %v portable %v", tt.src, c.Paper, c.PrintTouchpoints, c.Portable)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("title = \"T\"\n[scale]\nmin = 0\nmax = 10\n"))
	f.Add([]byte("title = \"T\"\nwaves = [\"a\"]\n[params]\nx = {y = 1}\n"))
	f.Add([]byte("\ufefftitle = 'T'\r\nbaseURL = \"::\"\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, l := Parse(src)
		if !l.HasErrors() && !(c.Scale.Max > c.Scale.Min) {
			t.Errorf("accepted an empty scale: %+v", c.Scale)
		}
		if !l.HasErrors() && (c.Stats.MinBase < 0 || c.Stats.SuppressBelow < 0 || !(c.Stats.Confidence > 0 && c.Stats.Confidence < 1)) {
			t.Errorf("accepted impossible [stats]: %+v", c.Stats)
		}
	})
}
