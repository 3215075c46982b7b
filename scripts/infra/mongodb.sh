# shellcheck shell=bash
# scripts/infra.sh: the MongoDB-wire server, a local mongod when one is installed, else FerretDB
# (built once from infra/ferretdb into the cache) on the PostgreSQL of postgres.sh; or one found
# running. Sourced.

MONGO_PING_HOW=tcp
mongo_ping() {
  local uri="mongodb://$HOST:$MONGO_PORT/"
  if command -v node >/dev/null 2>&1 && [[ -f $REPO_ROOT/node_modules/mongodb/package.json ]]; then
    MONGO_PING_HOW="ping via the mongodb driver"
    timeout 10 node -e '
      const { MongoClient } = require(process.argv[1]);
      const c = new MongoClient(process.argv[2], { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 });
      c.connect().then(() => c.db("admin").command({ ping: 1 }))
        .then((r) => c.close().then(() => process.exit(r.ok === 1 ? 0 : 1)))
        .catch(() => process.exit(1));' "$REPO_ROOT/node_modules/mongodb" "$uri" >/dev/null 2>&1
  elif [[ ${FERRET_BIN:-} && -x $FERRET_BIN ]]; then
    MONGO_PING_HOW="wire ping"
    "$FERRET_BIN" -ping "$uri" -timeout 3s >/dev/null 2>&1
  elif command -v mongosh >/dev/null 2>&1; then
    MONGO_PING_HOW="mongosh ping"
    timeout 10 mongosh --quiet "$uri" --eval 'db.adminCommand({ping:1}).ok' >/dev/null 2>&1
  else
    MONGO_PING_HOW="TCP check only"
    tcp_open "$HOST" "$MONGO_PORT"
  fi
}
mongo_impl() { cat "$MONGO_IMPL_FILE" 2>/dev/null || true; } # ferretdb | mongod | nothing
mongo_ours() {
  case $(mongo_impl) in
    ferretdb) pid_alive "$MONGO_PID" ferretdb- ;;
    mongod) pid_alive "$MONGO_PID" mongod ;;
    *) return 1 ;;
  esac
}

# ---------------------------------------------------------------- FerretDB
ferret_version() { awk '$1 == "github.com/FerretDB/FerretDB" {print $2; exit}' "$FERRET_SRC/go.mod" | sed 's/^v//'; }
ferret_bin_path() {
  FERRET_VERSION=$(ferret_version)
  [[ $FERRET_VERSION ]] || die "cannot read the FerretDB version from $FERRET_SRC/go.mod"
  FERRET_BIN="$CACHE_DIR/bin/ferretdb-$FERRET_VERSION-$(hash_of "$FERRET_SRC/go.mod" "$FERRET_SRC/go.sum" "$FERRET_SRC"/*.go)"
}

ferret_build() {
  ferret_bin_path
  [[ -x $FERRET_BIN ]] && return 0
  command -v go >/dev/null 2>&1 || die "no mongod and no Go toolchain: install Go 1.24+ (to build FerretDB) or MongoDB"
  local log="$LOG_DIR/ferretdb-build.log" tmp
  mkdir -p "$CACHE_DIR/bin"
  tmp="$FERRET_BIN.tmp.$$"
  begin "building FerretDB $FERRET_VERSION (once; about a minute) into $FERRET_BIN"
  # CGO off: the postgresql handler is pure Go and the SQLite backend is left out.
  if ! (cd "$FERRET_SRC" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" go build -tags ferretdb_no_sqlite -trimpath -o "$tmp" .) \
    >"$log" 2>&1 </dev/null; then
    rm -f "$tmp"
    die "go build of infra/ferretdb failed" "$log"
  fi
  mv -f "$tmp" "$FERRET_BIN"
  end ok
  # drop binaries of older sources
  find "$CACHE_DIR/bin" -maxdepth 1 -name 'ferretdb-*' ! -name "$(basename "$FERRET_BIN")" ! -name '*.tmp.*' -delete 2>/dev/null || true
}

# ---------------------------------------------------------------- starting
mongo_start_mongod() { # sets pid
  mkdir -p "$MONGO_DIR/db"
  begin "starting mongod (local) on :$MONGO_PORT"
  setsid mongod --dbpath "$MONGO_DIR/db" --bind_ip "$HOST" --port "$MONGO_PORT" \
    --logpath "$MONGO_LOG" --logappend </dev/null >>"$MONGO_DIR/mongod.stdout.log" 2>&1 9>&- &
  pid=$!
  echo mongod >"$MONGO_IMPL_FILE"
}

mongo_start_ferretdb() { # sets pid
  pg_ensure_ferretdb_db
  ferret_build
  begin "starting FerretDB $FERRET_VERSION (local, on PostgreSQL database $FERRETDB_DB) on :$MONGO_PORT"
  # FerretDB logs each failed query (e.g. every duplicate key) at error level: keep the log bounded
  if [[ -f $MONGO_LOG ]] && (($(stat -c %s "$MONGO_LOG") > 50 * 1024 * 1024)); then mv -f "$MONGO_LOG" "$MONGO_LOG.1"; fi
  printf '\n==== %s: starting %s\n' "$(date -Is)" "$FERRET_BIN" >>"$MONGO_LOG"
  FERRETDB_LOG_LEVEL=${FERRETDB_LOG_LEVEL:-error} setsid "$FERRET_BIN" \
    -listen-addr "$HOST:$MONGO_PORT" \
    -postgresql-url "postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$FERRETDB_DB" \
    </dev/null >>"$MONGO_LOG" 2>&1 9>&- &
  pid=$!
  echo ferretdb >"$MONGO_IMPL_FILE"
}

# ---------------------------------------------------------------- commands
mongo_up() {
  if mongo_ours; then
    begin "MongoDB wire server ($(mongo_impl), local) on :$MONGO_PORT already running"
    local note="ok, ours"
    if [[ $(mongo_impl) == ferretdb ]]; then
      ferret_bin_path
      if [[ $(readlink "/proc/$(pid_in "$MONGO_PID")/exe" 2>/dev/null) != "$FERRET_BIN" ]]; then
        note="ok, ours (an older build than infra/ferretdb: 'down' then 'up' to switch)"
      fi
    fi
    wait_until MongoDB mongo_ping mongo_ours "$MONGO_LOG"
    end "$note"
    return 0
  fi
  command -v mongod >/dev/null 2>&1 || ferret_bin_path
  if tcp_open "$HOST" "$MONGO_PORT"; then
    begin "MongoDB on :$MONGO_PORT already running, not ours; checking it"
    local deadline=$((SECONDS + WAIT_TIMEOUT))
    until mongo_ping; do
      ((SECONDS >= deadline)) &&
        die "something listens on :$MONGO_PORT but does not answer a MongoDB ping within ${WAIT_TIMEOUT}s: $(describe_pid "$(listener_pid "$MONGO_PORT")"); stop it and run 'up' again"
      sleep 1
      dot
    done
    end "ok ($MONGO_PING_HOW)"
    return 0
  fi
  rm -f "$MONGO_PID" "$MONGO_IMPL_FILE"
  local pid
  if command -v mongod >/dev/null 2>&1; then mongo_start_mongod; else mongo_start_ferretdb; fi
  echo "$pid" >"$MONGO_PID"
  disown "$pid" 2>/dev/null || true
  wait_until MongoDB mongo_ping mongo_ours "$MONGO_LOG"
  end "ok ($MONGO_PING_HOW)"
}

mongo_down() {
  local rc=0
  case $(mongo_impl) in
    ferretdb) stop_pid "$MONGO_PID" ferretdb- "FerretDB (local)" 20 || rc=$? ;;
    mongod) stop_pid "$MONGO_PID" mongod "mongod (local)" 60 || rc=$? ;;
    *) return 1 ;;
  esac
  rm -f "$MONGO_IMPL_FILE"
  return $rc
}

mongo_status() { # one line; 1 when it does not answer
  local how
  if mongo_ours; then
    how="$(mongo_impl), local, ours (pid $(pid_in "$MONGO_PID"))"
    [[ $(mongo_impl) == ferretdb ]] && ferret_bin_path
  elif [[ $DOCKER_SVCS == *" mongodb "* ]]; then how="docker, ours"
  else
    how="not ours"
    command -v mongod >/dev/null 2>&1 || ferret_bin_path
  fi
  if mongo_ping; then say "MongoDB     :$MONGO_PORT up    ($how; $MONGO_PING_HOW)"; else say "MongoDB     :$MONGO_PORT DOWN"; return 1; fi
}
