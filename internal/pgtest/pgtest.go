// Package pgtest starts real, throw-away PostgreSQL servers for tests:
// initdb into a temporary folder, a server on a free loopback port with
// its unix socket in that folder, stopped and removed when the test
// ends. As root (CI) the server runs as the `postgres` OS user, since
// PostgreSQL refuses to run as root. Without PostgreSQL installed the
// test is skipped, or fails under CI=true, where a skipped database test
// would hide a broken setup.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is one running PostgreSQL.
type Server struct {
	Dir  string // the temporary folder: data/ and the socket
	Port int
	cmd  *exec.Cmd
	done chan error
}

// Superuser is the role every test server is created with; it connects
// without a password (trust), other roles need theirs over TCP.
const Superuser = "postgres"

// Bin finds the folder of initdb and postgres: PATH first, then
// Debian's /usr/lib/postgresql/<version>/bin, newest version first.
func Bin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL is not installed (no initdb in PATH or /usr/lib/postgresql/*/bin); on Debian: apt-get install postgresql postgresql-contrib")
}

// Start starts a server for t and stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Bin()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	s, err := start(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	return s
}

// DSN is a connection string for database db as the superuser.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=%s sslmode=disable", s.Port, Superuser, db)
}

// Exec runs SQL statements as the superuser in database "postgres".
func (s *Server) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range stmts {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Conn connects to database "postgres" as the superuser for the test.
func (s *Server) Conn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(ctx) })
	return c
}

// pgHBA lets the superuser in without a password (the tests' own
// set-up) and asks every other role for its password, so that tests can
// connect as a read-only role with a password in the DSN.
const pgHBA = `local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
`

func start(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres OS user (Debian's postgresql package creates it): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	command := func(name string, args ...string) *exec.Cmd {
		c := exec.Command(filepath.Join(bin, name), args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
		if cred != nil {
			c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		return c
	}
	data := filepath.Join(dir, "data")
	out, err := command("initdb", "-D", data, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(pgHBA), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if cred != nil {
		os.Chown(filepath.Join(data, "pg_hba.conf"), int(cred.Uid), int(cred.Gid))
	}
	// A free port can be taken between asking and binding: try a few.
	var lastErr error
	for range 5 {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s := &Server{Dir: dir, Port: port, done: make(chan error, 1)}
		s.cmd = command("postgres", "-D", data, "-p", strconv.Itoa(port), "-k", dir,
			"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
			"-c", "full_page_writes=off", "-c", "max_connections=40", "-c", "shared_buffers=16MB")
		logf, _ := os.Create(filepath.Join(dir, "log"))
		s.cmd.Stdout, s.cmd.Stderr = logf, logf
		if err := s.cmd.Start(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		go func() { s.done <- s.cmd.Wait(); logf.Close() }()
		if lastErr = s.ready(); lastErr == nil {
			return s, nil
		}
		s.cmd.Process.Signal(syscall.SIGINT)
		<-s.done
	}
	log, _ := os.ReadFile(filepath.Join(dir, "log"))
	os.RemoveAll(dir)
	return nil, fmt.Errorf("postgres did not start: %v\n%s", lastErr, log)
}

// ready waits until the server accepts connections or exits. The
// deadline only bounds a server that hangs; it asserts nothing on speed.
func (s *Server) ready() error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("postgres exited: %v", err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := pgx.Connect(ctx, s.DSN("postgres"))
		cancel()
		if err == nil {
			c.Close(context.Background())
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("postgres did not accept connections")
}

func (s *Server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		<-s.done
	}
	os.RemoveAll(s.Dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Sharded is the three-server setup: a coordinator whose tables are
// partitioned by a list column into postgres_fdw foreign tables, one
// partition of each on each of two shard servers.
type Sharded struct {
	Coordinator *Server
	Shards      [2]*Server
}

// Table is a table of the sharded setup: its name, column list (e.g.
// "wave text, score int") and the column it is partitioned by.
type Table struct{ Name, Columns, Key string }

// StartSharded starts three servers. Each table is created on each
// shard, and on the coordinator as a table partitioned by LIST (Key)
// whose partitions are foreign tables: the key values parts[0] on shard
// 0 and parts[1] on shard 1. Rows inserted on the coordinator are routed
// to the shards.
func StartSharded(t testing.TB, parts [2][]string, tables ...Table) *Sharded {
	t.Helper()
	c := Start(t)
	sh := &Sharded{Coordinator: c, Shards: [2]*Server{Start(t), Start(t)}}
	stmts := []string{"CREATE EXTENSION postgres_fdw"}
	for i, s := range sh.Shards {
		name := fmt.Sprintf("shard%d", i)
		stmts = append(stmts,
			fmt.Sprintf("CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '%d', dbname 'postgres', fetch_size '10000')", name, s.Port),
			fmt.Sprintf("CREATE USER MAPPING FOR PUBLIC SERVER %s OPTIONS (user '%s', password_required 'false')", name, Superuser))
	}
	for _, tb := range tables {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE %s (%s) PARTITION BY LIST (%s)", tb.Name, tb.Columns, tb.Key))
		for i, s := range sh.Shards {
			s.Exec(t, fmt.Sprintf("CREATE TABLE %s (%s)", tb.Name, tb.Columns))
			lit := make([]string, len(parts[i]))
			for j, v := range parts[i] {
				lit[j] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
			}
			stmts = append(stmts, fmt.Sprintf("CREATE FOREIGN TABLE %s_shard%d PARTITION OF %s FOR VALUES IN (%s) SERVER shard%d OPTIONS (table_name '%s')",
				tb.Name, i, tb.Name, strings.Join(lit, ", "), i, tb.Name))
		}
	}
	c.Exec(t, stmts...)
	return sh
}
