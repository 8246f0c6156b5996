package build

import (
	"bytes"
	"regexp"
	"strings"
)

// hrefRe finds link targets in the output; attributes are always
// double-quoted (see attrRe).
var hrefRe = regexp.MustCompile(`\shref="([^"#?]*)([^"]*)"`)

// portable makes the output work opened from disk (file://), where a
// folder is not its index.html and the search index cannot be fetched
// (SPEC §11): every relative link to a folder names its index.html, and
// the search page carries the index within it.
func (r *run) portable() {
	for path, b := range r.out {
		if !strings.HasSuffix(path, ".html") || path == "404.html" {
			continue
		}
		r.out[path] = portableLinks(b)
	}
	if page, ok := r.out["search/index.html"]; ok {
		r.out["search/index.html"] = embedIndex(page, r.out["search/index.json"])
	}
}

// portableLinks appends index.html to relative links that end in a
// folder: "../journeys/" becomes "../journeys/index.html", "./"
// "./index.html". Links with a scheme, root-absolute links and
// fragments within the page stay as they are.
func portableLinks(page []byte) []byte {
	return hrefRe.ReplaceAllFunc(page, func(m []byte) []byte {
		sub := hrefRe.FindSubmatch(m)
		p, rest := string(sub[1]), string(sub[2])
		if p == "" && rest != "" { // "#x" or "?q": the page itself
			return m
		}
		if strings.HasPrefix(p, "/") || strings.Contains(p, ":") {
			return m
		}
		if p != "" && !strings.HasSuffix(p, "/") {
			return m
		}
		if p == "" {
			p = "./"
		}
		return []byte(` href="` + p + "index.html" + rest + `"`)
	})
}

// embedIndex puts the search index into the search page as a JSON
// script, which search.js reads instead of fetching the file. The index
// is encoded with json.Marshal, which escapes "<", so it cannot close
// the script.
func embedIndex(page, index []byte) []byte {
	i := bytes.LastIndex(page, []byte("</main>"))
	if i < 0 || index == nil {
		return page
	}
	var b bytes.Buffer
	b.Grow(len(page) + len(index) + 80)
	b.Write(page[:i])
	b.WriteString(`<script type="application/json" id="search-index">`)
	b.Write(index)
	b.WriteString("</script>\n")
	b.Write(page[i:])
	return b.Bytes()
}
