package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// event is one server-sent event to the open pages.
type event struct {
	name string // "hello", "reload", "css" or "build-error"
	data eventData
}

// eventData is an event's JSON payload. Gen is the generation of what
// is served after the event, so that a page can tell, when it
// reconnects, whether it missed something.
type eventData struct {
	Gen   uint64   `json:"gen"`
	Boot  string   `json:"boot,omitempty"`
	Paths []string `json:"paths,omitempty"` // css: the changed stylesheets; reload: the changed files, when few
	HTML  string   `json:"html,omitempty"`  // build-error: the overlay, escaped
}

// hub fans events out to the connected pages. It belongs to one Server.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]struct{}
	closed  bool
}

// clientBuffer is how many events a slow page may fall behind before it
// is dropped; it reconnects, learns the generation and reloads, which
// catches it up whatever it missed.
const clientBuffer = 16

func newHub() *hub { return &hub{clients: map[chan event]struct{}{}} }

// subscribe returns a channel of events; it is closed when the client is
// dropped or the hub closes.
func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan event, clientBuffer)
	if h.closed {
		close(ch)
		return ch
	}
	h.clients[ch] = struct{}{}
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[ch]; ok {
		delete(h.clients, ch)
		close(ch)
	}
}

// broadcast sends e to every client without ever blocking on one.
func (h *hub) broadcast(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- e:
		default:
			delete(h.clients, ch)
			close(ch)
		}
	}
}

// close ends every stream, for shutdown.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.clients {
		delete(h.clients, ch)
		close(ch)
	}
}

// size is the number of connected clients.
func (h *hub) size() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// serveEvents streams events to one page. It starts with "hello", which
// carries this process's boot id and the current generation: a page that
// reconnects after a restart, or missed a change, reloads.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")

	ch := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	// Read the state after subscribing: a change in between is then both
	// in hello and in an event, never in neither.
	snap := s.state.Load()

	fmt.Fprint(w, "retry: 1000\n\n")
	if writeEvent(w, event{name: "hello", data: eventData{Gen: snap.gen, Boot: s.boot}}) != nil || rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			// Keeps proxies and idle timeouts from closing the stream.
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case e, ok := <-ch:
			if !ok {
				return
			}
			if writeEvent(w, e) != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

func writeEvent(w http.ResponseWriter, e event) error {
	data, err := json.Marshal(e.data)
	if err != nil {
		return err
	}
	// JSON has no raw newlines, so one data line carries it.
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, data)
	return err
}
