// Command editlatency measures the dev server as an author meets it, over
// HTTP on loopback:
//
//	editlatency -bin touchstone -site DIR -page content/a/b.md -n 10
//
// starts `touchstone serve` on a free loopback port, then edits the page
// n times and, after each save, polls the page's URL until the new text
// is served: the time from the save to that answer is the edit latency.
// With -cold it instead measures the time from starting the server to
// the first answer of the home page. With -data FILE it edits a measures
// CSV instead: the score of its first row goes up and down by 0.1, and
// the touchpoint page of that row is polled until its figures change;
// the server's own count of the pages it rendered again is reported
// with each edit. It prints one line per measure and a summary line:
// "min ... median ... max ...".
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// patience bounds every wait: a server that never answers is a failed
// run, not a hung benchmark.
const patience = 30 * time.Second

func main() {
	bin := flag.String("bin", "touchstone", "the touchstone binary")
	site := flag.String("site", ".", "site folder")
	page := flag.String("page", "", "content file to edit, relative to the site (e.g. content/unit-07/page-00007.md)")
	n := flag.Int("n", 10, "number of edits")
	cold := flag.Bool("cold", false, "measure the cold start's first answer instead of edits")
	data := flag.String("data", "", "measures CSV to edit instead of a page, relative to the site (e.g. data/measures/2026-H1.csv)")
	flag.Parse()
	if !*cold && *page == "" && *data == "" || *n < 1 || *n > 1000 {
		flag.Usage()
		os.Exit(2)
	}
	var err error
	if *data != "" {
		err = runData(*bin, *site, *data, *n)
	} else {
		err = run(*bin, *site, *page, *n, *cold)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "editlatency:", err)
		os.Exit(1)
	}
}

// serve starts `touchstone serve` on a free loopback port, its output
// to stdout, and returns the server's base URL; stop ends it.
func serve(bin, site string, stdout io.Writer) (base string, cmd *exec.Cmd, err error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	cmd = exec.Command(bin, "serve", "-s", site, "--addr", fmt.Sprintf("127.0.0.1:%d", port))
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("http://127.0.0.1:%d/", port), cmd, nil
}

func run(bin, site, page string, n int, cold bool) error {
	client := &http.Client{Timeout: 5 * time.Second}
	start := time.Now()
	base, cmd, err := serve(bin, site, io.Discard)
	if err != nil {
		return err
	}
	defer stop(cmd)

	// The first answer of the home page.
	first, err := poll(client, base, func([]byte) bool { return true }, 0)
	if err != nil {
		return fmt.Errorf("first request: %w", err)
	}
	if cold {
		fmt.Printf("cold start to first answer: %s\n", ms(first.Sub(start)))
		fmt.Printf("summary cold: %s\n", ms(first.Sub(start)))
		return nil
	}

	path := filepath.Join(site, filepath.FromSlash(page))
	orig, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	defer os.WriteFile(path, orig, 0o644) // leave the site as it was
	url := base + pageURL(page)
	if _, err := poll(client, url, func(b []byte) bool { return true }, 0); err != nil {
		return fmt.Errorf("page %s: %w", url, err)
	}
	// Let the watcher settle after the first build.
	time.Sleep(time.Second)

	var lat []time.Duration
	for i := 0; i < n; i++ {
		marker := fmt.Sprintf("edit-%d-%d", i, time.Now().UnixNano())
		edited := bytes.Replace(orig, []byte("\n## "), []byte("\n"+marker+"\n\n## "), 1)
		if bytes.Equal(edited, orig) {
			edited = append(append([]byte(nil), orig...), "\n"+marker+"\n"...)
		}
		t0 := time.Now()
		if err := os.WriteFile(path, edited, 0o644); err != nil {
			return err
		}
		seen, err := poll(client, url, func(b []byte) bool { return bytes.Contains(b, []byte(marker)) }, 2*time.Millisecond)
		if err != nil {
			return fmt.Errorf("edit %d: %w", i+1, err)
		}
		lat = append(lat, seen.Sub(t0))
		fmt.Printf("edit %d visible after %s\n", i+1, ms(seen.Sub(t0)))
		time.Sleep(300 * time.Millisecond)
	}
	slices.Sort(lat)
	fmt.Printf("summary edit: min %s median %s max %s (n=%d)\n", ms(lat[0]), ms(lat[len(lat)/2]), ms(lat[len(lat)-1]), len(lat))
	return nil
}

// runData measures data edits: a score in a measures CSV changes, and
// the touchpoint page it belongs to is polled until it shows a change.
func runData(bin, site, data string, n int) error {
	client := &http.Client{Timeout: 5 * time.Second}
	path := filepath.Join(site, filepath.FromSlash(data))
	orig, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(orig), "\n")
	if len(lines) < 2 {
		return fmt.Errorf("%s: no data row", data)
	}
	head := strings.Split(strings.TrimSpace(lines[0]), ",")
	row := strings.Split(strings.TrimSpace(lines[1]), ",")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	si, ok := col["score"]
	ji, ok2 := col["journey"]
	ti, ok3 := col["touchpoint"]
	if !ok || !ok2 || !ok3 || len(row) != len(head) {
		return fmt.Errorf("%s: needs journey, touchpoint and score columns (plain commas, no quotes)", data)
	}
	var score float64
	if _, err := fmt.Sscan(row[si], &score); err != nil {
		return fmt.Errorf("%s:2: score %q: %w", data, row[si], err)
	}
	out := &lockedBuffer{}
	base, cmd, err := serve(bin, site, out)
	if err != nil {
		return err
	}
	defer stop(cmd)
	url := base + "journeys/" + row[ji] + "/" + row[ti] + "/"
	defer os.WriteFile(path, orig, 0o644) // leave the site as it was
	if _, err := poll(client, url, func([]byte) bool { return true }, 0); err != nil {
		return fmt.Errorf("page %s: %w", url, err)
	}
	time.Sleep(time.Second)
	var lat []time.Duration
	for i := 0; i < n; i++ {
		before, err := get(client, url)
		if err != nil {
			return err
		}
		row[si] = fmt.Sprintf("%.2f", score+0.1*float64(1-2*(i%2))) // up, down, up…
		edited := lines[0] + strings.Join(row, ",") + "\n" + strings.Join(lines[2:], "")
		mark := out.Len()
		t0 := time.Now()
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			return err
		}
		seen, err := poll(client, url, func(b []byte) bool { return !bytes.Equal(b, before) }, 2*time.Millisecond)
		if err != nil {
			return fmt.Errorf("data edit %d: %w", i+1, err)
		}
		lat = append(lat, seen.Sub(t0))
		time.Sleep(300 * time.Millisecond)
		fmt.Printf("data edit %d visible after %s; server: %s\n", i+1, ms(seen.Sub(t0)), strings.TrimSpace(out.From(mark)))
	}
	slices.Sort(lat)
	fmt.Printf("summary data edit: min %s median %s max %s (n=%d)\n", ms(lat[0]), ms(lat[len(lat)/2]), ms(lat[len(lat)-1]), len(lat))
	return nil
}

func get(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// lockedBuffer is the server's output, written by the process while the
// measure reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}

// From returns what was written after the first n bytes.
func (l *lockedBuffer) From(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b.Bytes()[n:])
}

// poll GETs url until ok accepts a 200 answer's body, and returns when.
func poll(c *http.Client, url string, ok func([]byte) bool, every time.Duration) (time.Time, error) {
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		resp, err := c.Get(url)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK && ok(body) {
				return time.Now(), nil
			}
		}
		if every > 0 {
			time.Sleep(every)
		} else {
			time.Sleep(time.Millisecond)
		}
	}
	return time.Time{}, errors.New("no answer within " + patience.String())
}

// pageURL maps content/a/b.md to a/b/ as the generator does.
func pageURL(rel string) string {
	rel = strings.TrimPrefix(rel, "content/")
	rel = strings.TrimSuffix(rel, ".md")
	if strings.HasSuffix(rel, "_index") {
		return strings.TrimSuffix(rel, "_index")
	}
	return rel + "/"
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// stop interrupts the server and waits for it, killing it if it lingers.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGINT)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
