package config

import (
	"strings"
	"testing"
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

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`baseURL = "/"`, "site.toml:1:1: missing title"},
		{"title = \"T\"\ntitel = \"x\"", `site.toml:2:1: unknown setting "titel" (did you mean "title"?)`},
		{"title = \"T\"\n[scale]\nmin = 5\nmax = 1", "scale: max (1) must be greater than min (5)"},
		{"title = \"T\"\n[ipa]\ncrosshair = \"median\"", `site.toml:3:13: unknown crosshair "median"`},
		{"title = \"T\"\n[alignment]\ntolerance = -1", "site.toml:3:13: alignment.tolerance must not be negative"},
		{"title = \"T\"\nwaves = [\"a\", \"a\"]", `site.toml:2:15: wave "a" is listed twice`},
		{"title = \"T\"\n[scale\nmax = 3", "site.toml:2:"},
		{"title = \"T\"\n[data]\ncsv_separator = \"|\"", "site.toml:3:17: data.csv_separator"},
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
	})
}
