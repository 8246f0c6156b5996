package serve

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestForeignHostForbidden is issue 17's DNS rebinding: a request
// naming a foreign Host, or an event stream asked for by a page of a
// foreign Origin, is refused; the names the server is known by are not.
func TestForeignHostForbidden(t *testing.T) {
	s, ts := newTestServer(t, t.TempDir(), tree())
	s.hosts.named = "devbox.lan"
	for _, tc := range []struct {
		path, host, origin string
		want               int
	}{
		{"/data/metrics.json", "evil.example", "", http.StatusForbidden},
		{"/data/metrics.json", "evil.example:1313", "", http.StatusForbidden},
		{"/", "127.0.0.1.evil.example", "", http.StatusForbidden},
		{"/", "localhost.evil.example:1313", "", http.StatusForbidden},
		{"/", "", "", http.StatusForbidden},
		{"/__touchstone/events", "evil.example", "", http.StatusForbidden},
		{"/__touchstone/events", "127.0.0.1", "http://evil.example", http.StatusForbidden},
		{"/__touchstone/events", "127.0.0.1", "http://evil.example:1313", http.StatusForbidden},
		{"/__touchstone/events", "127.0.0.1", "null", http.StatusForbidden},
		{"/__touchstone/events", "127.0.0.1", "file://", http.StatusForbidden},
		{"/data/metrics.json", "localhost", "", http.StatusOK},
		{"/data/metrics.json", "LocalHost:1313", "", http.StatusOK},
		{"/data/metrics.json", "localhost.:1313", "", http.StatusOK},
		{"/data/metrics.json", "127.0.0.1:1313", "", http.StatusOK},
		{"/data/metrics.json", "127.0.0.2", "", http.StatusOK},
		{"/data/metrics.json", "[::1]:1313", "", http.StatusOK},
		{"/data/metrics.json", "devbox.lan:1313", "", http.StatusOK},
		{"/data/metrics.json", "127.0.0.1", "http://evil.example", http.StatusOK}, // a cross-origin GET cannot read it (no CORS)
		{"/__touchstone/reload.js", "localhost:1313", "", http.StatusOK},
		{"/__touchstone/reload.js", "localhost:1313", "http://localhost:1313", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.Host = tc.host
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		if tc.path == eventsPath && tc.want == http.StatusOK {
			continue // a stream: answered by TestEventStreamOrigin
		}
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("GET %s Host %q Origin %q: %d, want %d", tc.path, tc.host, tc.origin, rec.Code, tc.want)
		}
	}

	// Over the network, as curl -H 'Host: evil.example' would.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/data/metrics.json", nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign Host over the network: %d", resp.StatusCode)
	}
}

// TestEventStreamOrigin: the event stream opens for a page of the
// server itself and without Origin.
func TestEventStreamOrigin(t *testing.T) {
	_, ts := newTestServer(t, t.TempDir(), tree())
	for _, origin := range []string{"", ts.URL, "http://localhost:1313"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+eventsPath, nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("events with Origin %q: %d", origin, resp.StatusCode)
		}
	}
}

// TestListenAddressAllowed: a server listening on every interface
// answers the machine's own addresses; one listening on loopback only
// answers no other address.
func TestListenAddressAllowed(t *testing.T) {
	h := &hosts{}
	h.setListen(&net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 1313})
	if !h.allowed("10.1.2.3:1313") || h.allowed("10.1.2.4:1313") {
		t.Error("listen address")
	}
	all := &hosts{}
	all.setListen(&net.TCPAddr{IP: net.IPv4zero, Port: 1313})
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !all.allowed(net.JoinHostPort(n.IP.String(), "1313")) {
			t.Errorf("listening on all interfaces, own address %s refused", n.IP)
		}
	}
	if all.allowed("203.0.113.9") || all.allowed("evil.example") {
		t.Error("listening on all interfaces, a foreign host is allowed")
	}
	if addrHost("DevBox.lan:1313") != "devbox.lan" || addrHost("127.0.0.1:1313") != "" || addrHost("[::1]:1313") != "" {
		t.Error("addrHost")
	}
}
