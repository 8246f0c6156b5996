package config

import (
	"strings"
	"testing"
)

func TestBaseURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/", "/"},
		{"/reports/cx", "/reports/cx/"},
		{"reports/", "reports/"},
		{"https://intranet.example.com/reports/cx/", "https://intranet.example.com/reports/cx/"},
		{"http://localhost:8080", "http://localhost:8080/"},
		{"http://[::1]:8080/x", "http://[::1]:8080/x/"},
		{"javascript:alert(1)//", `has the scheme "javascript:"`},
		{"JavaScript:alert(1)", `has the scheme "javascript:"`},
		{"not a url", `holds ' '`},
		{"http://[::1", "is not a URL (missing ']' in host)"},
		{"data:text/html,<b>x", "holds '<'"},
		{"ftp://h/x/", `has the scheme "ftp:"`},
		{"https:///x", "has no host"},
		{"//cdn.example.com/x", "has a host but no scheme"},
		{"https://u:p@h/", "holds a user name"},
		{"/x?y=1", "has a query or fragment"},
		{"/x#top", "has a query or fragment"},
		{"\t/x", `holds '\t'`},
		{" ", "is empty"},
		{"mailto:x@y", `has the scheme "mailto:"`},
	} {
		got, err := BaseURL(c.in)
		if err != nil {
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("BaseURL(%q): %v, want %q", c.in, err, c.want)
			}
			continue
		}
		if got != c.want {
			t.Errorf("BaseURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// site.toml says the same, at the value.
	_, l := Parse([]byte("title = \"T\"\nbaseURL = \"javascript:alert(1)//\"\n"))
	if err := l.Err(); err == nil || !strings.Contains(err.Error(), `site.toml:2:11: baseURL "javascript:alert(1)//" has the scheme "javascript:"`) {
		t.Errorf("site.toml: %v", err)
	}
}

// FuzzBaseURL: an accepted base URL ends in a slash, has no space or
// markup character, is http(s) or a path, and is accepted as it is.
func FuzzBaseURL(f *testing.F) {
	for _, s := range []string{"/", "https://h/x", "javascript:alert(1)//", "http://[::1", "a b", "//h/x", "/x?y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := BaseURL(s)
		if err != nil {
			return
		}
		if !strings.HasSuffix(u, "/") || strings.ContainsAny(u, " \t\n\"<>`\\?#") {
			t.Errorf("BaseURL(%q) = %q", s, u)
		}
		if i := strings.Index(u, ":"); i >= 0 && !strings.HasPrefix(strings.ToLower(u), "http://") && !strings.HasPrefix(strings.ToLower(u), "https://") && !strings.Contains(u[:i], "/") {
			t.Errorf("BaseURL(%q) = %q: not http(s)", s, u)
		}
		if again, err := BaseURL(u); err != nil || again != u {
			t.Errorf("BaseURL(%q) = %q, then %q, %v", s, u, again, err)
		}
	})
}

// TestWavesComparedWithoutCase: "2026-H1" and "2026-h1" are one wave.
func TestWavesComparedWithoutCase(t *testing.T) {
	_, l := Parse([]byte("title = \"T\"\nwaves = [\"2026-H1\", \"2026-h1\", \"2026-H2\"]\n"))
	if err := l.Err(); err == nil || !strings.Contains(err.Error(), `site.toml:2:21: wave "2026-h1" is listed twice (also as "2026-H1")`) {
		t.Errorf("got %v", err)
	}
}
