// Command ferretdb-test runs an embedded FerretDB (a MongoDB wire-protocol
// server, Apache 2.0) on its SQLite backend, for the test suite when no
// MongoDB is available.  scripts/mongo-test-server.sh builds and starts it.
//
// Usage:
//
//	ferretdb-test -dir DIR [-listen 127.0.0.1:PORT] [-log-level warn]
//
// -listen defaults to 127.0.0.1:0 (a free loopback port); a bare ":PORT"
// also binds to 127.0.0.1 only.  Once the port accepts connections, the
// MongoDB URI (mongodb://127.0.0.1:PORT/) is printed as one line on stdout;
// logs go to stderr (at warn, FerretDB logs each failed command in full).
// SIGTERM or SIGINT stops the server, within about a second.
//
// The binary from `go install .../cmd/ferretdb@v1.24.2` panics at start
// (FerretDB issue 2982), hence this small program around the public
// github.com/FerretDB/FerretDB/ferretdb package.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// stopGrace is how long to wait for FerretDB to close client connections
// after SIGTERM or SIGINT before exiting anyway.
const stopGrace = time.Second

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on; port 0 picks a free port")
	dir := flag.String("dir", "", "directory for the SQLite databases (created if missing)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	if err := run(*listen, *dir, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-test: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dir, logLevel string) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
	}

	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(flag.Args(), " "))
	}

	// ":PORT" (including ":0") means the loopback interface, never all of them.
	if strings.HasPrefix(listen, ":") {
		listen = "127.0.0.1" + listen
	}

	if _, _, err := net.SplitHostPort(listen); err != nil {
		return fmt.Errorf("bad -listen %q: %v", listen, err)
	}

	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}

	if err = os.MkdirAll(abs, 0o700); err != nil {
		return err
	}

	var level slog.Level
	if err = level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %v", logLevel, err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The SQLite backend wants a "file:" URI naming a directory, with a
	// trailing slash: file:/abs/dir/ (percent-encoded where needed).
	sqliteURL := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/", OmitHost: true}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL.String(),
	})
	if err != nil {
		return err
	}

	done := make(chan error, 1)

	go func() { done <- f.Run(ctx) }()

	// New has bound the socket already, so MongoDBURI does not block; the
	// listener accepts as soon as Run starts (connections queue before).
	// Check with a real connection before telling anyone.
	uri := f.MongoDBURI()

	u, err := url.Parse(uri)
	if err == nil {
		var conn net.Conn
		if conn, err = net.DialTimeout("tcp", u.Host, 10*time.Second); err == nil {
			_ = conn.Close()
		}
	}

	if err != nil {
		stop()
		<-done

		return fmt.Errorf("listener not reachable: %v", err)
	}

	fmt.Println(uri)

	// FerretDB waits for open client connections to wind down, which took
	// seconds with a pymongo client still connected; this is a throw-away
	// test server, so do not wait long.
	select {
	case err = <-done:
	case <-ctx.Done():
		select {
		case err = <-done:
		case <-time.After(stopGrace):
			logger.Warn("connections still open after SIGTERM; exiting anyway", slog.Duration("waited", stopGrace))
		}
	}

	if err != nil {
		return err
	}

	logger.Info("stopped")

	return nil
}
