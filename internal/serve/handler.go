package serve

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Reserved paths. No site page can live under the prefix: the output
// tree is never asked for it.
const (
	reservedPrefix = "/__touchstone/"
	eventsPath     = reservedPrefix + "events"
	scriptPath     = reservedPrefix + "reload.js"
)

// reloadJS is the live-reload client. A string, so that it cannot be
// changed at run time.
//
//go:embed reload.js
var reloadJS string

// snapshot is what is served at one moment: the last good tree and, while
// the latest build is broken, its failure. Snapshots are never changed
// once stored; a build outcome stores a new one.
type snapshot struct {
	gen     uint64            // bumped whenever what pages show changes
	files   map[string][]byte // the last good build's output
	failure *failure          // nil while the latest build is good

	etags sync.Map // output path → ETag, computed on first request
}

func (s *snapshot) etag(name string, body []byte) string {
	if v, ok := s.etags.Load(name); ok {
		return v.(string)
	}
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:12]) + `"`
	s.etags.Store(name, tag)
	return tag
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+eventsPath, s.serveEvents)
	mux.HandleFunc("GET "+scriptPath, serveScript)
	mux.HandleFunc("GET "+reservedPrefix, http.NotFound)
	mux.HandleFunc("GET /", s.serveSite)
	return s.guard(mux)
}

func serveScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "reload.js", time.Time{}, strings.NewReader(reloadJS))
}

// serveSite serves the output tree from memory.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	snap := s.state.Load()
	name, redirect, ok := lookup(snap.files, r.URL.Path)
	if redirect != "" {
		if r.URL.RawQuery != "" {
			redirect += "?" + r.URL.RawQuery
		}
		// 302, not 301: browsers keep a 301 forever, and in a dev server
		// the folder may become a file a minute later.
		http.Redirect(w, r, redirect, http.StatusFound)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if !ok {
		s.serveNotFound(w, r, snap)
		return
	}
	body := snap.files[name]
	ctype := contentType(name, body)
	w.Header().Set("Content-Type", ctype)
	if isHTML(ctype) {
		// Pages change with the server's state (overlay, generation), not
		// only with their bytes: never reuse them.
		w.Header().Set("Cache-Control", "no-store")
		body = s.decorate(body, snap)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
		return
	}
	// Revalidate every time, answered by 304 while unchanged: fast, and
	// never stale after a rebuild.
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", snap.etag(name, body))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// serveNotFound serves the site's 404.html, or a plain page when it has
// none; either way an HTML page, so that it reloads when the missing page
// appears and shows the overlay while the build is broken.
func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request, snap *snapshot) {
	body, ok := snap.files["404.html"]
	if !ok {
		body = []byte("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>404 page not found</title></head>" +
			"<body><h1>404 page not found</h1><p><code>" + html.EscapeString(r.URL.Path) + "</code> is not in the site.</p></body></html>\n")
	}
	body = s.decorate(body, snap)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// lookup maps a URL path to an output path: "/a/" is "a/index.html", and
// "/a" redirects to "/a/" when only the folder exists.
func lookup(files map[string][]byte, urlPath string) (name, redirect string, ok bool) {
	clean := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || clean == "" {
		name = path.Join(clean, "index.html")
		_, ok = files[name]
		return name, "", ok
	}
	if _, ok := files[clean]; ok {
		return clean, "", true
	}
	if _, ok := files[clean+"/index.html"]; ok {
		return "", "/" + clean + "/", false
	}
	return clean, "", false
}

// decorate returns an HTML page with what the dev server adds: the
// overlay while the build is broken, and the reload script. The page's
// own bytes are left alone (they belong to the served tree), and nothing
// is added twice.
func (s *Server) decorate(page []byte, snap *snapshot) []byte {
	var add strings.Builder
	if snap.failure != nil && !bytes.Contains(page, []byte(`id="`+overlayID+`"`)) {
		add.WriteString(snap.failure.html)
	}
	if !bytes.Contains(page, []byte(scriptPath)) {
		fmt.Fprintf(&add, `<script src="%s" data-gen="%d" data-boot="%s"></script>`, scriptPath, snap.gen, s.boot)
	}
	return inject(page, add.String())
}

// inject inserts extra before the page's last </body>, or at its end
// when it has none.
func inject(page []byte, extra string) []byte {
	if extra == "" {
		return page
	}
	at := lastIndexFold(page, "</body>")
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(extra))
	out = append(out, page[:at]...)
	out = append(out, extra...)
	return append(out, page[at:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case.
func lastIndexFold(s []byte, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(sub)], []byte(sub)) {
			return i
		}
	}
	return -1
}

// contentType pins the types of web files, so that responses do not
// depend on the machine's mime tables.
func contentType(name string, body []byte) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".xml":
		return "application/xml"
	case ".rss":
		return "application/rss+xml"
	case ".atom":
		return "application/atom+xml"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".ico":
		return "image/x-icon"
	case ".woff":
		return "font/woff"
	case ".woff2":
		return "font/woff2"
	case ".ttf":
		return "font/ttf"
	case ".otf":
		return "font/otf"
	case ".pdf":
		return "application/pdf"
	case ".wasm":
		return "application/wasm"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(body)
}

func isHTML(ctype string) bool { return strings.HasPrefix(ctype, "text/html") }
