package build

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
)

// linkRE finds href and src attributes. The output is our own, well
// formed HTML, so a pattern suffices for a checker.
var linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// checkLinks resolves every internal link of every HTML page against the
// page's own URL and reports those that lead to no file.
func checkLinks(t *testing.T, files map[string][]byte) int {
	t.Helper()
	checked := 0
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") || p == "404.html" {
			continue
		}
		base := &url.URL{Path: "/" + p}
		for _, m := range linkRE.FindAllStringSubmatch(string(b), -1) {
			raw := strings.ReplaceAll(m[1], "&amp;", "&")
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: bad link %q", p, raw)
				continue
			}
			if u.Scheme != "" || u.Host != "" || strings.HasPrefix(raw, "#") || raw == "" {
				if u.Scheme == "http" || u.Scheme == "https" {
					// Links to other hosts are allowed in prose, but
					// nothing the page loads may come from another host.
					if strings.HasPrefix(m[0], "src=") {
						t.Errorf("%s loads %s from another host", p, raw)
					}
				}
				continue
			}
			target := base.ResolveReference(u).Path
			target = strings.TrimPrefix(path.Clean(target), "/")
			if strings.HasSuffix(u.Path, "/") || target == "." || target == "" {
				target = strings.TrimPrefix(strings.TrimSuffix(target, "/")+"/index.html", "/")
				if target == "./index.html" {
					target = "index.html"
				}
			}
			checked++
			if _, ok := files[target]; !ok {
				t.Errorf("%s: broken link %q (no %s)", p, raw, target)
			}
		}
	}
	return checked
}

func TestNoBrokenLinks(t *testing.T) {
	for _, site := range []string{"testdata/mini-site", "../.."} {
		for _, base := range []string{"", "https://intranet.example.com/reports/cx/"} {
			res := buildSite(t, site, func(o *Options) { o.BaseURL = base })
			if n := checkLinks(t, res.Output.Files); n < 50 {
				t.Errorf("%s: only %d links checked", site, n)
			}
		}
	}
}
