// Command ferretdb-embedded runs FerretDB 1.24 (a MongoDB-wire-compatible server)
// on top of PostgreSQL, for machines where no mongod and no Docker engine exist.
//
// FerretDB's own `go install .../cmd/ferretdb` panics (it expects generated version
// files; upstream issue 2982), but its public `ferretdb` package is built to be
// embedded, so this tiny main module does exactly that. It is built and started by
// scripts/infra.sh:
//
//	go build -tags ferretdb_no_sqlite -trimpath -o ferretdb-1.24.2 .
//
// Modes:
//
//	ferretdb-embedded [-listen-addr ADDR] [-postgresql-url URL] [-log-level LEVEL] [-lookup-index-interval 2s]
//	    serve until SIGTERM/SIGINT, adding GIN lookup indexes beside FerretDB's own (lookup_indexes.go)
//	ferretdb-embedded -ping mongodb://HOST:PORT/ [-timeout 5s]
//	    send one real `ping` command over the wire (FerretDB's ping also checks its
//	    PostgreSQL backend) and exit 0 on success, 1 otherwise
//
// Every flag can also be given by environment variable (FERRETDB_LISTEN_ADDR,
// FERRETDB_POSTGRESQL_URL, FERRETDB_LOG_LEVEL); a flag wins over the variable.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/FerretDB/wire/wireclient"
)

const (
	defaultListenAddr    = "127.0.0.1:27017"
	defaultPostgreSQLURL = "postgres://postgres:password@127.0.0.1:5432/ferretdb"
)

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func main() {
	listenAddr := flag.String("listen-addr", env("FERRETDB_LISTEN_ADDR", defaultListenAddr),
		"TCP address to listen on (env FERRETDB_LISTEN_ADDR)")
	pgURL := flag.String("postgresql-url", env("FERRETDB_POSTGRESQL_URL", defaultPostgreSQLURL),
		"PostgreSQL URL of FerretDB's backend database (env FERRETDB_POSTGRESQL_URL)")
	logLevel := flag.String("log-level", env("FERRETDB_LOG_LEVEL", "error"),
		"log level: debug, info, warn or error (env FERRETDB_LOG_LEVEL); warn logs every failed command")
	lookupEvery := flag.Duration("lookup-index-interval", 2*time.Second,
		"how often to add GIN lookup indexes beside FerretDB's own (see lookup_indexes.go); 0 turns it off")
	ping := flag.String("ping", "", "instead of serving: ping this mongodb://host:port/ URI and exit")
	timeout := flag.Duration("timeout", 5*time.Second, "timeout for -ping")
	flag.Parse()

	if *ping != "" {
		os.Exit(runPing(*ping, *timeout))
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatalf("bad -log-level %q: %v", *logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
	})
	if err != nil {
		fatalf("cannot start FerretDB: %v", err)
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	if *lookupEvery > 0 {
		go keepLookupIndexes(ctx, *pgURL, *lookupEvery, logger)
	}

	// Announce readiness once a real ping (which also reaches PostgreSQL) succeeds.
	go func() {
		uri := "mongodb://" + *listenAddr + "/"
		pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if conn := wireclient.ConnectPing(pctx, uri, slog.New(slog.NewTextHandler(io.Discard, nil))); conn != nil {
			_ = conn.Close()
			fmt.Fprintf(os.Stderr, "%s ferretdb-embedded: ready on %s (backend %s)\n",
				time.Now().Format(time.RFC3339), *listenAddr, redact(*pgURL))
		}
	}()

	fmt.Fprintf(os.Stderr, "%s ferretdb-embedded: FerretDB %s starting on %s, pid %d\n",
		time.Now().Format(time.RFC3339), "v1.24.2", *listenAddr, os.Getpid())

	if err = <-done; err != nil && !errors.Is(err, context.Canceled) {
		fatalf("FerretDB stopped: %v", err)
	}
	fmt.Fprintf(os.Stderr, "%s ferretdb-embedded: stopped\n", time.Now().Format(time.RFC3339))
}

func runPing(uri string, timeout time.Duration) int {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	conn, err := wireclient.Connect(ctx, uri, quiet)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ping %s: %v\n", uri, err)
		return 1
	}
	defer conn.Close()

	if err = conn.Ping(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ping %s: %v\n", uri, err)
		return 1
	}
	return 0
}

// redact hides the password of a URL for log lines.
func redact(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	userinfo := u[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return u[:scheme+3] + userinfo[:i] + ":***" + u[at:]
	}
	return u
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s ferretdb-embedded: "+format+"\n", append([]any{time.Now().Format(time.RFC3339)}, args...)...)
	os.Exit(1)
}
