package serve

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// hosts decides which Host headers and Origins the server answers.
//
// A page on any web site open in the author's browser can make its own
// name resolve to 127.0.0.1 (DNS rebinding) and then read the dev
// server as if it were its own origin: the unpublished figures
// included. Such a request names the foreign site in its Host header,
// so the server answers only the names it is known by: localhost, the
// loopback addresses, the address it listens on and the host named by
// --addr. A name typed as an IP literal cannot be rebound, so when the
// server listens on every interface, the machine's own addresses are
// accepted too.
type hosts struct {
	mu     sync.RWMutex
	named  string // the host of --addr, lower case, without brackets
	listen net.IP // the address listened on; nil until known
}

// setListen records the address the server listens on.
func (h *hosts) setListen(a net.Addr) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return
	}
	h.mu.Lock()
	h.listen = tcp.IP
	h.mu.Unlock()
}

// allowed reports whether host (a Host header or an Origin's host, with
// or without a port) names this server.
func (h *hosts) allowed(host string) bool {
	name := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		name = hh
	}
	name = strings.TrimSuffix(strings.ToLower(strings.Trim(name, "[]")), ".")
	if name == "" {
		return false
	}
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true // RFC 6761: always the loopback
	}
	h.mu.RLock()
	named, listen := h.named, h.listen
	h.mu.RUnlock()
	if named != "" && name == named {
		return true
	}
	ip := net.ParseIP(name)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() || listen != nil && ip.Equal(listen) {
		return true
	}
	if listen != nil && listen.IsUnspecified() {
		return isLocalAddress(ip)
	}
	return false
}

// isLocalAddress reports whether ip is an address of this machine.
func isLocalAddress(ip net.IP) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// originAllowed reports whether a request's Origin, if it has one, is a
// page of this server. A request without Origin (a same-origin GET, curl)
// is fine; "null" (a sandboxed or file: page) is not.
func (h *hosts) originAllowed(origin string) bool {
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	return h.allowed(u.Host)
}

// guard answers 403 to a request for a foreign Host, and to a request
// of the event stream from a foreign Origin.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allowed(r.Host) {
			http.Error(w, "403 forbidden: this dev server answers only to localhost and the address it listens on (Host "+
				quoteHeader(r.Host)+")", http.StatusForbidden)
			return
		}
		if strings.HasPrefix(r.URL.Path, reservedPrefix) && !s.hosts.originAllowed(r.Header.Get("Origin")) {
			http.Error(w, "403 forbidden: a page of another origin may not read this dev server", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// quoteHeader quotes a header value for a plain-text message.
func quoteHeader(v string) string {
	if len(v) > 100 {
		v = v[:100] + "…"
	}
	return `"` + strings.ReplaceAll(v, `"`, `\"`) + `"`
}
