package main

// Lookup indexes: why this file exists.
//
// FerretDB 1.24 pushes an equality filter down to PostgreSQL as `_jsonb->'field' @> value`
// (containment, so that it also matches arrays holding the value). The indexes it creates for a
// collection's MongoDB indexes are btree indexes on `(_jsonb->'field')`, and a btree cannot serve
// `@>`: every findOne({_id}), every update by _id and every lookup by an indexed field reads the
// whole table. A collection that only grows (notifications) gets slower with every row: on
// 20,000 documents a find by _id took 56 ms instead of about 1 ms.
//
// A GIN index (jsonb_path_ops) on the same expression serves `@>`, and PostgreSQL's planner picks
// it for FerretDB's statements as they are. So, while FerretDB runs, this adds one such index
// beside every field FerretDB indexes, _id included, and drops none of FerretDB's: FerretDB keeps
// its own indexes, its metadata and its unique constraints, and never looks at these. A
// collection dropped in MongoDB drops its table and these with it.
//
// Indexes are built CONCURRENTLY, so writes go on while a big collection gets one; a build that
// failed leaves an invalid index, which the next pass drops and builds again.

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lookupIndexSuffix names the indexes this file owns: <table>_<field hash>_lookup.
const lookupIndexSuffix = "_lookup"

// fieldInIndexDef finds FerretDB's top-level key expressions in an index definition:
// `(_jsonb -> 'field'::text)`. Nested paths (`#>`) are left alone: FerretDB does not push them down.
var fieldInIndexDef = regexp.MustCompile(`\(_jsonb -> '((?:[^']|'')+)'::text\)`)

type lookupIndex struct {
	schema, table, field, name string
}

// wantedLookupIndexes lists, for every FerretDB collection table, the GIN index each indexed field
// should have, and whether it exists and is valid.
func wantedLookupIndexes(ctx context.Context, pool *pgxpool.Pool) (missing, invalid []lookupIndex, err error) {
	rows, err := pool.Query(ctx, `
		SELECT n.nspname, t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisvalid
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = '_jsonb' AND NOT a.attisdropped
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		return nil, nil, err
	}
	type tableKey struct{ schema, table string }
	fields := map[tableKey]map[string]bool{}
	existing := map[string]bool{}
	for rows.Next() {
		var schema, table, index, def string
		var valid bool
		if err := rows.Scan(&schema, &table, &index, &def, &valid); err != nil {
			return nil, nil, err
		}
		if strings.HasSuffix(index, lookupIndexSuffix) {
			if valid {
				existing[schema+"."+index] = true
			} else {
				invalid = append(invalid, lookupIndex{schema: schema, table: table, name: index})
			}
			continue
		}
		if !strings.Contains(def, "USING btree") {
			continue
		}
		k := tableKey{schema, table}
		if fields[k] == nil {
			fields[k] = map[string]bool{}
		}
		for _, m := range fieldInIndexDef.FindAllStringSubmatch(def, -1) {
			fields[k][strings.ReplaceAll(m[1], "''", "'")] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for k, fs := range fields {
		for field := range fs {
			ix := lookupIndex{schema: k.schema, table: k.table, field: field, name: lookupIndexName(k.table, field)}
			if !existing[k.schema+"."+ix.name] && !isInvalid(invalid, ix) {
				missing = append(missing, ix)
			}
		}
	}
	return missing, invalid, nil
}

func isInvalid(invalid []lookupIndex, ix lookupIndex) bool {
	for _, i := range invalid {
		if i.schema == ix.schema && i.name == ix.name {
			return true
		}
	}
	return false
}

// lookupIndexName fits PostgreSQL's 63-byte names whatever the field is called.
func lookupIndexName(table, field string) string {
	if len(table) > 40 {
		table = table[:40]
	}
	return fmt.Sprintf("%s_%s%s", table, strHash(field), lookupIndexSuffix)
}

func strHash(s string) string {
	var h uint32 = 2166136261 // FNV-1a
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// ensureLookupIndexes makes one pass: drops invalid leftovers, builds what is missing.
func ensureLookupIndexes(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	missing, invalid, err := wantedLookupIndexes(ctx, pool)
	if err != nil {
		return err
	}
	for _, ix := range invalid {
		q := fmt.Sprintf(`DROP INDEX CONCURRENTLY IF EXISTS %s`, pgx.Identifier{ix.schema, ix.name}.Sanitize())
		if _, err := pool.Exec(ctx, q); err != nil {
			return err
		}
		// built again by the next pass, as missing
	}
	for _, ix := range missing {
		q := fmt.Sprintf(`CREATE INDEX CONCURRENTLY IF NOT EXISTS %s ON %s USING gin ((_jsonb -> %s) jsonb_path_ops)`,
			pgx.Identifier{ix.name}.Sanitize(), pgx.Identifier{ix.schema, ix.table}.Sanitize(), quoteLiteral(ix.field))
		if _, err := pool.Exec(ctx, q); err != nil {
			// a table dropped meanwhile, or a concurrent build: the next pass sees
			logger.Warn("lookup index not built", slog.String("table", ix.schema+"."+ix.table), slog.String("field", ix.field), slog.Any("err", err))
			continue
		}
		logger.Info("lookup index built", slog.String("table", ix.schema+"."+ix.table), slog.String("field", ix.field))
	}
	return nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// keepLookupIndexes runs a pass every `every` until ctx ends. Collections and their indexes
// appear while services start (and whenever one creates an index), so it keeps looking; a pass
// that finds nothing to do is one catalogue query.
func keepLookupIndexes(ctx context.Context, pgURL string, every time.Duration, logger *slog.Logger) {
	cfg, err := pgxpool.ParseConfig(pgURL)
	if err == nil {
		cfg.MaxConns = 1 // one DDL at a time; FerretDB keeps its own pool
		var pool *pgxpool.Pool
		if pool, err = pgxpool.NewWithConfig(ctx, cfg); err == nil {
			runLookupIndexes(ctx, pool, every, logger)
			pool.Close()
			return
		}
	}
	logger.Error("lookup indexes: cannot reach PostgreSQL", slog.Any("err", err))
}

func runLookupIndexes(ctx context.Context, pool *pgxpool.Pool, every time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if err := ensureLookupIndexes(ctx, pool, logger); err != nil && ctx.Err() == nil {
			// PostgreSQL away for a while: FerretDB reports that itself; try again next tick
			logger.Debug("lookup indexes: pass failed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
