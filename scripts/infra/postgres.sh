# shellcheck shell=bash
# scripts/infra.sh: PostgreSQL, a local cluster in the data folder (or one found running).
# Sourced.

# as_pg CMD...: run a PostgreSQL server program as the postgres OS user (it refuses root)
as_pg() {
  if ((IS_ROOT)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

find_pg_bindir() {
  local d
  if [[ ${SHOP_PG_BINDIR:-} ]]; then PGBIN=$SHOP_PG_BINDIR; return 0; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
    [[ -x $d/initdb && -x $d/pg_ctl ]] && { PGBIN=$d; return 0; }
  done
  d=$(pg_config --bindir 2>/dev/null || true)
  [[ $d && -x $d/initdb ]] && { PGBIN=$d; return 0; }
  d=$(command -v initdb 2>/dev/null || true)
  [[ $d ]] && { PGBIN=$(dirname "$(readlink -f "$d")"); return 0; }
  PGBIN=
  return 1
}
pg_tool() { # client programs: from PGBIN when there, else PATH
  local t=$1; shift
  if [[ ${PGBIN:-} && -x $PGBIN/$t ]]; then "$PGBIN/$t" "$@"; else "$t" "$@"; fi
}
have_pg_client() { [[ ${PGBIN:-} && -x $PGBIN/psql ]] || command -v psql >/dev/null 2>&1; }

# ---------------------------------------------------------------- probes
pg_isready_ok() {
  if have_pg_client; then
    pg_tool pg_isready -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -t 2 -q 2>/dev/null
  else
    tcp_open "$HOST" "$PG_PORT"
  fi
}
pg_psql() { pg_tool psql -X -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1 "$@"; }
pg_select1() { [[ $(pg_psql -d postgres -Atqc 'select 1' 2>/dev/null) == 1 ]]; }
pg_answers() { pg_isready_ok && { ! have_pg_client || pg_select1; }; }
pg_ours() { [[ -f $PGDATA_DIR/PG_VERSION ]] && [[ ${PGBIN:-} ]] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }
pg_ctl_alive() {
  # during startup the pid file may not be there for a moment: give it a grace period
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 || ((SECONDS - STEP_START < 5))
}

# ---------------------------------------------------------------- databases
pg_init_databases() {
  local out="$LOG_DIR/init-databases.log"
  begin "applying init-databases.sql (product_service, order_service)"
  pg_psql -d postgres -q -f "$REPO_ROOT/init-databases.sql" >"$out" 2>&1 </dev/null ||
    die "init-databases.sql failed" "$out"
  end ok
}

pg_ensure_ferretdb_db() {
  local out="$LOG_DIR/createdb-ferretdb.log" exists
  exists=$(pg_psql -d postgres -Atqc "select 1 from pg_database where datname = '$FERRETDB_DB'" 2>"$out") ||
    die "cannot query PostgreSQL for the $FERRETDB_DB database" "$out"
  [[ $exists == 1 ]] && return 0
  begin "creating database $FERRETDB_DB (UTF8, C.UTF-8) for FerretDB"
  pg_tool createdb -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -E UTF8 --locale=C.UTF-8 -T template0 "$FERRETDB_DB" >"$out" 2>&1 </dev/null ||
    die "createdb $FERRETDB_DB failed" "$out"
  end ok
}

# ---------------------------------------------------------------- the local cluster
pg_write_conf() {
  # Our settings live in their own file, rewritten on every start and included from
  # postgresql.conf, so that changes to this script reach existing clusters too.
  local conf="$PGDATA_DIR/shop-infra.conf"
  as_pg tee "$conf" >/dev/null <<CONF
# Written by scripts/infra.sh on every start; edits here are overwritten.
listen_addresses = '$HOST'
port = $PG_PORT
max_connections = $PG_MAX_CONNECTIONS
unix_socket_directories = ''   # TCP only (no socket path length or permission trouble)
password_encryption = 'scram-sha-256'
# A development and test cluster: its data is disposable, speed matters more.
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  if ! grep -q "^include_if_exists = 'shop-infra.conf'" "$PGDATA_DIR/postgresql.conf"; then
    printf "\n# scripts/infra.sh\ninclude_if_exists = 'shop-infra.conf'\n" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
  fi
}

pg_initdb() {
  local pwfile="$PG_DIR/.pwfile" out="$PG_DIR/initdb.log"
  begin "initdb PostgreSQL $PG_VERSION cluster in $PGDATA_DIR"
  rm -rf "$PGDATA_DIR"
  (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pwfile")
  ((IS_ROOT)) && chown postgres:postgres "$pwfile"
  if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$out" 2>&1 </dev/null; then
    rm -f "$pwfile"
    die "initdb failed" "$out"
  fi
  rm -f "$pwfile"
  end ok
}

# pg_install: the server programs, from Debian's packages when running as root
pg_install() {
  if ((IS_ROOT)); then
    begin "installing PostgreSQL (apt-get install postgresql)"
    apt_install "$LOG_DIR/apt.log" postgresql
    end ok
    find_pg_bindir || die "PostgreSQL server programs not found after installing"
  else
    die "PostgreSQL server programs (initdb, pg_ctl) not found; run: sudo apt-get update && sudo apt-get install -y postgresql"
  fi
}

pg_start() {
  find_pg_bindir || pg_install
  if ((IS_ROOT)) && ! id postgres >/dev/null 2>&1; then
    die "the postgres OS user does not exist (PostgreSQL refuses to run as root); create it: useradd --system --home-dir /var/lib/postgresql postgres"
  fi
  PG_VERSION=$("$PGBIN/postgres" --version | awk '{print $NF}' | cut -d. -f1)
  if [[ ! -f $PGDATA_DIR/PG_VERSION ]]; then
    pg_initdb
  elif [[ $(cat "$PGDATA_DIR/PG_VERSION") != "$PG_VERSION" ]]; then
    die "$PGDATA_DIR holds a PostgreSQL $(cat "$PGDATA_DIR/PG_VERSION") cluster but the server programs in $PGBIN are version $PG_VERSION; remove that folder to start afresh"
  fi
  ((IS_ROOT)) && chown postgres:postgres "$PGDATA_DIR" && chmod 700 "$PGDATA_DIR"
  pg_write_conf
  begin "starting PostgreSQL $PG_VERSION (local) on :$PG_PORT"
  # -W: do not let pg_ctl wait; we poll ourselves. setsid + redirections: the server
  # survives this script and holds none of its pipes (nor the lock on fd 9).
  as_pg setsid "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -W start </dev/null >>"$LOG_DIR/pg_ctl.log" 2>&1 9>&- ||
    die "pg_ctl start failed" "$LOG_DIR/pg_ctl.log" "$PG_LOG"
  wait_until PostgreSQL pg_isready_ok pg_ctl_alive "$PG_LOG"
  wait_until PostgreSQL pg_select1 pg_ctl_alive "$PG_LOG"
  end ok
}

# ---------------------------------------------------------------- commands
pg_up() {
  if pg_ours; then
    begin "PostgreSQL (local) on :$PG_PORT already running"
    wait_until PostgreSQL pg_answers pg_ours "$PG_LOG"
    end "ok, ours"
  elif pg_isready_ok; then
    begin "PostgreSQL on :$PG_PORT already running, not ours; checking it"
    have_pg_client && { pg_select1 || die "a server answers on :$PG_PORT but 'select 1' as $PG_USER/$PG_PASSWORD fails (another PostgreSQL with other credentials?); stop it or fix its credentials"; }
    end ok
  else
    pg_start
  fi
  have_pg_client || die "psql is not installed; run: apt-get install -y postgresql-client"
  pg_init_databases
}

pg_down() {
  if find_pg_bindir && pg_ours; then
    begin "stopping PostgreSQL (local)"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop </dev/null >>"$LOG_DIR/pg_ctl.log" 2>&1 9>&- ||
      die "pg_ctl stop failed" "$LOG_DIR/pg_ctl.log" "$PG_LOG"
    end ok
  else
    return 1
  fi
}

pg_status() { # one line; 1 when it does not answer
  local how
  if pg_ours; then how="local, ours (pid $(head -n1 "$PGDATA_DIR/postmaster.pid"), $PGDATA_DIR)"
  elif [[ $DOCKER_SVCS == *" postgres "* ]]; then how="docker, ours"
  else how="not ours"; fi
  if pg_answers; then say "PostgreSQL  :$PG_PORT  up    ($how)"; else say "PostgreSQL  :$PG_PORT  DOWN"; return 1; fi
}
