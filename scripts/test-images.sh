#!/usr/bin/env bash
# npm run test:images (scripts/test-images.sh): builds the four services' images from the root
# Dockerfile and runs them as production does, against the local databases:
#
#   1. the engine: Docker when `docker info` answers; else podman with the runc runtime
#      (podman, runc and debootstrap installed with apt-get when missing, as root), set up for
#      this kind of machine by a containers.conf in the cache folder
#   2. the base image: node:24-bookworm-slim where its registry answers (or it is there
#      already); else a local one of the same make (Debian bookworm minbase from Debian's
#      packages, the official Node binary, a `node` user uid 1000), built once and kept in the
#      engine and as a tarball in the cache folder, so later runs reuse it
#   3. the four images, shop/<service>:$IMAGE_TAG, with the CA bundle as a build secret only
#   4. the databases (scripts/infra.sh up); databases of this test's own, dropped and made anew
#      each run, owned by a PostgreSQL role of its own with a fresh random password
#   5. a mail catcher on a spare port, then the four containers one after the other
#      (--network host, ports $TEST_IMAGES_PORT_BASE+1..+4) with NODE_ENV=production and
#      random secrets: JWT_SECRET, INTERNAL_API_KEY, DB_PASSWORD, ADMIN_PASSWORD; each is timed
#      from `run` to its first 200 on /health/ready
#   6. checks: every process runs as non-root and cannot write its own code, the image keeps no
#      CA bundle; each API docs page, its Swagger UI files and OpenAPI document answer; then
#      ./test-services.sh against the containers (an order end to end, its mail)
#   7. a summary: each image's size and start time
#   8. images a rebuild replaced (untagged, unused) and older than a day are pruned, so the
#      engine's store does not grow run after run; younger ones stay as the next build's cache
# The containers and the mail catcher are removed at the end whatever happened; their logs stay
# in logs/test-images/.
#
# Environment:
#   IMAGE_TAG               tag of the images built (default test)
#   NODE_IMAGE              a base image to use as is (skips step 2's choice)
#   TEST_IMAGES_PORT_BASE   the services listen on +1..+4 (default 13000: 13001-13004)
#   TEST_IMAGES_ENGINE      docker | podman (default: docker when `docker info` answers)
#   PG_ADMIN_USER, PG_ADMIN_PASSWORD  a PostgreSQL superuser (default postgres / password)
#   SHOP_CACHE_DIR          cache folder (default ~/.cache/shop-microservices)
set -Eeuo pipefail
SCRIPT=test-images
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=scripts/lib/ensure-node.sh
source "$REPO_ROOT/scripts/lib/ensure-node.sh"
no_args "$@"
trap 'fail_step' ERR

SERVICES=(user-service product-service notification-service order-service) # the order they start in
declare -A OFFSET=([user-service]=1 [product-service]=2 [order-service]=3 [notification-service]=4)
IMAGE_TAG=${IMAGE_TAG:-test}
PORT_BASE=${TEST_IMAGES_PORT_BASE:-13000}
CACHE_DIR=${SHOP_CACHE_DIR:-${HOME:-/root}/.cache/shop-microservices}
LOGS="$REPO_ROOT/logs/test-images"
OFFICIAL_NODE_IMAGE=node:24-bookworm-slim
LOCAL_BASE="localhost/shop-node-base:$SHOP_NODE_VERSION-bookworm"
NAME_PREFIX=shop-test-images
DB_ROLE=shop_test_images
PG_ADMIN_USER=${PG_ADMIN_USER:-postgres}
PG_ADMIN_PASSWORD=${PG_ADMIN_PASSWORD:-password}
T_START=$SECONDS
mkdir -p "$LOGS" "$CACHE_DIR"
rm -f "$LOGS"/*.log

ensure_node "$SCRIPT"
# On the host: the mail catcher, the databases' preparation and ./test-services.sh use node_modules.
bash "$REPO_ROOT/scripts/lib/ensure-deps.sh" "$SCRIPT"
command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install -y curl)"

# ---------------------------------------------------------------- 1. the engine
ENGINE=()
engine() { "${ENGINE[@]}" "$@"; }
choose_engine() {
  local want=${TEST_IMAGES_ENGINE:-}
  if [[ $want != podman ]] && command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
    ENGINE=(docker)
    say "engine: Docker ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    return
  fi
  [[ $want == docker ]] && die "TEST_IMAGES_ENGINE=docker, but \`docker info\` does not answer"
  say "engine: no Docker engine answers (\`docker info\`): using podman with runc"
  local missing=() cmd
  for cmd in podman runc debootstrap; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
  if ((${#missing[@]})); then
    ((EUID == 0)) || die "podman, runc and debootstrap are needed (missing: ${missing[*]}): apt-get install -y podman runc debootstrap, as root"
    begin "installing ${missing[*]} with apt-get (log: logs/test-images/apt.log)"
    # podman's recommended packages too (apt_install leaves recommends out)
    apt_install "$LOGS/apt.log" podman runc debootstrap buildah catatonit uidmap fuse-overlayfs slirp4netns \
      netavark aardvark-dns containernetworking-plugins iptables
    end
  fi
  # crun (podman's default) refuses on this kind of machine (cgroup v1, setrlimit not permitted);
  # runc works without default ulimits and with cgroupfs as the cgroup manager.
  export CONTAINERS_CONF="$CACHE_DIR/containers.conf"
  printf '%s\n' '# Written by scripts/test-images.sh: podman with runc on a cgroup v1 machine' \
    '[containers]' 'default_ulimits = []' '[engine]' 'cgroup_manager = "cgroupfs"' >"$CONTAINERS_CONF.tmp.$$"
  mv "$CONTAINERS_CONF.tmp.$$" "$CONTAINERS_CONF"
  export BUILDAH_ISOLATION=chroot
  ENGINE=(podman --runtime runc)
  say "engine: podman $(podman version --format '{{.Client.Version}}' 2>/dev/null || echo '?') --runtime runc, CONTAINERS_CONF=$CONTAINERS_CONF, BUILDAH_ISOLATION=chroot"
}

# ---------------------------------------------------------------- 2. the base image
image_exists() { engine image inspect "$1" >/dev/null 2>&1; }

# The local base: Debian bookworm minbase + the official Node in /usr/local + user node (1000),
# as node:24-bookworm-slim has them. The root file system is kept as a tarball in the cache.
build_local_base() {
  local tarball="$CACHE_DIR/node-base-$SHOP_NODE_VERSION-bookworm.tar" lock root mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
  exec {lock}>>"$CACHE_DIR/node-base.lock"
  flock -w 900 "$lock" || die "could not lock $CACHE_DIR/node-base.lock within 900s"
  if [[ ! -s $tarball ]]; then
    ((EUID == 0)) || die "building the local base image needs root (debootstrap)"
    command -v debootstrap >/dev/null 2>&1 || apt_install "$LOGS/apt.log" debootstrap
    ensure_node_dist "$SCRIPT"
    root=$(mktemp -d "$CACHE_DIR/.node-base.XXXXXX")
    begin "local base: debootstrap --variant=minbase bookworm from $mirror (log: logs/test-images/debootstrap.log)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$LOGS/debootstrap.log" 2>&1 ||
      { rm -rf "$root"; die "debootstrap failed" "$LOGS/debootstrap.log"; }
    end
    begin "local base: Node $SHOP_NODE_VERSION from $NODE_DIST_DIR into /usr/local, user node (uid 1000)"
    cp -a "$NODE_DIST_DIR/bin" "$NODE_DIST_DIR/include" "$NODE_DIST_DIR/lib" "$NODE_DIST_DIR/share" "$root/usr/local/"
    grep -q '^node:' "$root/etc/group" || echo 'node:x:1000:' >>"$root/etc/group"
    grep -q '^node:' "$root/etc/passwd" || echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$root/etc/passwd"
    grep -q '^node:' "$root/etc/shadow" || echo 'node:!:20000:0:99999:7:::' >>"$root/etc/shadow"
    install -d -o 1000 -g 1000 -m 755 "$root/home/node"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
      "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
    tar --numeric-owner -C "$root" -cf "$tarball.tmp.$$" . && mv "$tarball.tmp.$$" "$tarball"
    rm -rf "$root"
    end "ok, $(du -m "$tarball" | cut -f1) MB in ${tarball/#$HOME/\~}"
  fi
  if ! image_exists "$LOCAL_BASE"; then
    begin "local base: importing ${tarball/#$HOME/\~} as $LOCAL_BASE"
    engine import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["node"]' \
      "$tarball" "$LOCAL_BASE" >"$LOGS/import.log" 2>&1 || die "import failed" "$LOGS/import.log"
    end
  fi
  exec {lock}>&-
}

choose_base() {
  if [[ ${NODE_IMAGE:-} ]]; then
    say "base: $NODE_IMAGE (NODE_IMAGE)"
    return
  fi
  if image_exists "$OFFICIAL_NODE_IMAGE" || image_exists "docker.io/library/$OFFICIAL_NODE_IMAGE"; then
    NODE_IMAGE=$OFFICIAL_NODE_IMAGE
    say "base: $NODE_IMAGE (already in the engine)"
    return
  fi
  begin "base: pulling $OFFICIAL_NODE_IMAGE"
  if timeout 300 "${ENGINE[@]}" pull "docker.io/library/$OFFICIAL_NODE_IMAGE" >"$LOGS/pull.log" 2>&1; then
    end
    NODE_IMAGE=$OFFICIAL_NODE_IMAGE
    return
  fi
  end "no answer ($(grep -m1 -o 'dial tcp.*\|no such host\|timeout.*' "$LOGS/pull.log" | head -c 100 || echo 'see logs/test-images/pull.log'))"
  if image_exists "$LOCAL_BASE"; then
    say "base: $LOCAL_BASE (the local one, built earlier)"
  else
    say "base: building the local one, $LOCAL_BASE (once; later runs reuse it)"
    build_local_base
  fi
  NODE_IMAGE=$LOCAL_BASE
}

# ---------------------------------------------------------------- 3. the images
ca_bundle() {
  local f
  for f in "${NODE_EXTRA_CA_CERTS:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [[ $f && -s $f ]]; then echo "$f"; return; fi
  done
}

declare -A BUILD_SECONDS
build_images() {
  local svc ca t0 args
  ca=$(ca_bundle)
  for svc in "${SERVICES[@]}"; do
    args=(build --network host -f "$REPO_ROOT/Dockerfile" --build-arg "SERVICE=$svc" --build-arg "PORT=$((3000 + OFFSET[$svc]))"
      --build-arg "NODE_IMAGE=$NODE_IMAGE" -t "shop/$svc:$IMAGE_TAG")
    [[ $ca ]] && args+=(--secret "id=ca,src=$ca")
    [[ ${ENGINE[0]} == podman ]] && args+=(--format docker) # keeps HEALTHCHECK (OCI has none)
    begin "building shop/$svc:$IMAGE_TAG (log: logs/test-images/build-$svc.log)"
    t0=$SECONDS
    engine "${args[@]}" "$REPO_ROOT" >"$LOGS/build-$svc.log" 2>&1 || die "building the $svc image failed" "$LOGS/build-$svc.log"
    BUILD_SECONDS[$svc]=$((SECONDS - t0))
    end
  done
}

# ---------------------------------------------------------------- 4. the databases
random_secret() { node -e 'console.log(require("node:crypto").randomBytes(Number(process.argv[1])).toString("base64url"))' "${1:-32}"; }

# This test's own databases, fresh each run: PostgreSQL (role $DB_ROLE, whose password is
# DB_PASSWORD), MongoDB, and the Redis keys under its prefixes.
prepare_databases() {
  begin "databases: scripts/infra.sh up (log: logs/test-images/infra.log)"
  bash "$REPO_ROOT/scripts/infra.sh" up >"$LOGS/infra.log" 2>&1 </dev/null || die "scripts/infra.sh up failed" "$LOGS/infra.log"
  end
  begin "databases: fresh ${NAME_PREFIX//-/_}_{product,order} (owner $DB_ROLE, new password), Mongo and Redis"
  # shellcheck disable=SC2016 # JavaScript, not shell
  (cd "$REPO_ROOT" && node -e '
    const [adminUser, adminPassword, role, password, prefix] = process.argv.slice(1);
    const { Client } = require("pg");
    const { MongoClient } = require("mongodb");
    const Redis = require("ioredis");
    (async () => {
      const pg = new Client({ host: "127.0.0.1", port: 5432, user: adminUser, password: adminPassword, database: "postgres" });
      await pg.connect();
      const exists = (await pg.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount > 0;
      const quoted = "\x27" + password.replace(/\x27/g, "\x27\x27") + "\x27";
      await pg.query(`${exists ? "ALTER" : "CREATE"} ROLE ${role} LOGIN PASSWORD ${quoted}`);
      for (const db of ["product", "order"]) {
        await pg.query(`DROP DATABASE IF EXISTS ${prefix}_${db} WITH (FORCE)`);
        await pg.query(`CREATE DATABASE ${prefix}_${db} OWNER ${role}`);
      }
      await pg.end();
      const mongo = new MongoClient("mongodb://127.0.0.1:27017", { serverSelectionTimeoutMS: 10000 });
      await mongo.connect();
      for (const db of ["user", "notification"]) await mongo.db(`${prefix}_${db}`).dropDatabase();
      await mongo.close();
      const redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true });
      await redis.connect();
      let cursor = "0", n = 0;
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) n += await redis.del(...keys);
      } while (cursor !== "0");
      await redis.quit();
    })().catch((e) => { console.error(e); process.exit(1); });
  ' "$PG_ADMIN_USER" "$PG_ADMIN_PASSWORD" "$DB_ROLE" "$DB_PASSWORD" "${NAME_PREFIX//-/_}") >"$LOGS/databases.log" 2>&1 ||
    die "preparing the databases failed" "$LOGS/databases.log"
  end
}

# ---------------------------------------------------------------- 5. the containers
MAIL_PID=
cleanup() {
  local rc=$? svc
  trap - EXIT ERR
  fail_step
  if ((${#ENGINE[@]})); then
    for svc in "${SERVICES[@]}"; do
      if engine container inspect "$NAME_PREFIX-$svc" >/dev/null 2>&1; then
        engine logs "$NAME_PREFIX-$svc" >"$LOGS/$svc.log" 2>&1 || true
        engine stop -t 10 "$NAME_PREFIX-$svc" >/dev/null 2>&1 || true # SIGTERM: the graceful shutdown
        engine rm -f "$NAME_PREFIX-$svc" >/dev/null 2>&1 || true
      fi
    done
    say "containers removed (their logs: logs/test-images/<service>.log)"
    if ((rc != 0)); then
      for svc in "${SERVICES[@]}"; do
        if [[ -s $LOGS/$svc.log ]]; then
          printf '%s: ---- last lines of logs/test-images/%s.log ----\n' "$SCRIPT" "$svc" >&2
          tail -n 15 "$LOGS/$svc.log" >&2
        fi
      done
    fi
  fi
  if alive "$MAIL_PID" && [[ $(cmdline_of "$MAIL_PID") == *mail-catcher.js* ]]; then kill "$MAIL_PID" 2>/dev/null || true; fi
  exit "$rc"
}

url_of() { echo "http://127.0.0.1:$((PORT_BASE + OFFSET[$1]))"; }

start_mail_catcher() {
  MAIL_PORT=$((PORT_BASE + 25))
  while port_busy "$MAIL_PORT"; do MAIL_PORT=$((MAIL_PORT + 1)); done
  MAIL_FILE="$LOGS/mail.jsonl"
  rm -f "$MAIL_FILE"
  begin "mail catcher on 127.0.0.1:$MAIL_PORT (mail in logs/test-images/mail.jsonl)"
  (close_inherited_fds && exec node "$REPO_ROOT/scripts/services/mail-catcher.js" --port "$MAIL_PORT" --out "$MAIL_FILE") \
    >"$LOGS/mail-catcher.log" 2>&1 &
  MAIL_PID=$!
  WAIT_TIMEOUT=20 wait_until "the mail catcher" "tcp_open 127.0.0.1 $MAIL_PORT" "alive $MAIL_PID" "$LOGS/mail-catcher.log"
  end
}

# env_of SERVICE: the container's environment, one -e per variable
env_of() {
  local svc=$1 db=${NAME_PREFIX//-/_}
  local e=(NODE_ENV=production LOG_LEVEL=info "PORT=$((PORT_BASE + OFFSET[$1]))" "INTERNAL_API_KEY=$INTERNAL_API_KEY"
    "USER_SERVICE_URL=$(url_of user-service)" "PRODUCT_SERVICE_URL=$(url_of product-service)"
    "ORDER_SERVICE_URL=$(url_of order-service)" "NOTIFICATION_SERVICE_URL=$(url_of notification-service)"
    REDIS_HOST=127.0.0.1 REDIS_PORT=6379)
  case $svc in
    user-service) e+=("MONGODB_URI=mongodb://127.0.0.1:27017/${db}_user" "JWT_SECRET=$JWT_SECRET"
      "ADMIN_EMAIL=$ADMIN_EMAIL" "ADMIN_PASSWORD=$ADMIN_PASSWORD" "RATE_LIMIT_PREFIX=$db:rl") ;;
    product-service | order-service) e+=(DB_HOST=127.0.0.1 DB_PORT=5432 "DB_USERNAME=$DB_ROLE" "DB_PASSWORD=$DB_PASSWORD"
      "DB_NAME=${db}_${svc%-service}") ;;
    notification-service) e+=("MONGODB_URI=mongodb://127.0.0.1:27017/${db}_notification" "BULL_PREFIX=$db:bull"
      SMTP_HOST=127.0.0.1 "SMTP_PORT=$MAIL_PORT") ;;
  esac
  local v
  for v in "${e[@]}"; do printf -- '-e\n%s\n' "$v"; done
}

declare -A START_SECONDS
start_containers() {
  local svc port t0 args=()
  for svc in "${SERVICES[@]}"; do
    port=$((PORT_BASE + OFFSET[$svc]))
    port_busy "$port" && die "port $port (for $svc) is taken: $(describe_pid "$(listener_pid "$port")"); set TEST_IMAGES_PORT_BASE"
  done
  for svc in "${SERVICES[@]}"; do
    mapfile -t args < <(env_of "$svc")
    begin "starting $svc (shop/$svc:$IMAGE_TAG) on $(url_of "$svc"), waiting for /health/ready"
    t0=$(date +%s.%N)
    # podman runs a HEALTHCHECK through systemd timers, which this machine has not: we poll ourselves.
    [[ ${ENGINE[0]} == podman ]] && args+=(--no-healthcheck)
    engine run -d --name "$NAME_PREFIX-$svc" --network host "${args[@]}" "shop/$svc:$IMAGE_TAG" >"$LOGS/run-$svc.log" 2>&1 ||
      die "podman/docker run of $svc failed" "$LOGS/run-$svc.log"
    # shellcheck disable=SC2317 # called through wait_until
    ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(url_of "$svc")/health/ready") == 200 ]]; }
    # shellcheck disable=SC2317
    running() { [[ $(engine container inspect -f '{{.State.Running}}' "$NAME_PREFIX-$svc" 2>/dev/null) == true ]]; }
    WAIT_TIMEOUT=120 wait_until "$svc" ready running
    START_SECONDS[$svc]=$(node -e 'console.log(((Date.now() / 1000) - Number(process.argv[1])).toFixed(1))' "$t0")
    end "ready in ${START_SECONDS[$svc]}s"
  done
}

# ---------------------------------------------------------------- 6. checks
check_containers() {
  local svc c uid out
  for svc in "${SERVICES[@]}"; do
    c="$NAME_PREFIX-$svc"
    begin "$svc: runs as non-root, cannot write its code, no CA bundle or build secret in the image"
    uid=$(engine exec "$c" node -e 'console.log(process.getuid())' 2>&1) || die "exec into $c failed: $uid"
    [[ $uid =~ ^[0-9]+$ && $uid != 0 ]] || die "$svc runs as uid $uid"
    # shellcheck disable=SC2016 # expanded in the container
    out=$(engine exec "$c" sh -c '
      for f in dist/main.js package.json /app/package.json /app/node_modules/express/package.json; do
        if (: >>"$f") 2>/dev/null; then echo "wrote $f"; fi
      done
      for d in . dist /app /app/node_modules /app/packages/telemetry; do
        if (: >"$d/.write-test") 2>/dev/null; then echo "created a file in $d"; rm -f "$d/.write-test"; fi
      done
      if [ -e /run/secrets/ca ]; then echo "/run/secrets/ca is there"; fi' 2>&1) || die "exec into $c failed: $out"
    [[ -z $out ]] || die "$svc: $out"
    engine image inspect -f '{{.Config.Env}}' "shop/$svc:$IMAGE_TAG" | grep -q NODE_EXTRA_CA_CERTS &&
      die "$svc: the image's environment names NODE_EXTRA_CA_CERTS"
    end "ok (uid $uid)"
  done
}

# What a service loads from disk at run time beyond its code: Swagger UI's page and files, the
# OpenAPI document (the paths of scripts/services/lib.sh).
declare -A DOCS_PATH=([user-service]=/api-docs [product-service]=/api [order-service]=/api/docs [notification-service]=/api-docs)
declare -A RAW_DOCS_PATH=([user-service]=/api-docs.json [product-service]=/api-json [order-service]=/api/docs.json [notification-service]=/api-docs-json)
check_docs() {
  local svc url path code
  for svc in "${SERVICES[@]}"; do
    url=$(url_of "$svc")
    begin "$svc: API docs page, Swagger UI files and OpenAPI document"
    for path in "${DOCS_PATH[$svc]}/" "${DOCS_PATH[$svc]}/swagger-ui.css" "${DOCS_PATH[$svc]}/swagger-ui-bundle.js" "${RAW_DOCS_PATH[$svc]}"; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url$path")
      [[ $code == 200 ]] || die "$svc: GET $path answered $code"
    done
    end
  done
}

run_smoke_test() {
  local rc=0
  say "./test-services.sh against the containers:"
  USER_SERVICE_URL=$(url_of user-service) PRODUCT_SERVICE_URL=$(url_of product-service) \
    ORDER_SERVICE_URL=$(url_of order-service) NOTIFICATION_SERVICE_URL=$(url_of notification-service) \
    INTERNAL_API_KEY=$INTERNAL_API_KEY ADMIN_EMAIL=$ADMIN_EMAIL ADMIN_PASSWORD=$ADMIN_PASSWORD \
    MAIL_CHECK_FILE=$MAIL_FILE "$REPO_ROOT/test-services.sh" </dev/null 2>&1 | tee "$LOGS/test-services.log" | sed 's/^/  /' || rc=$?
  ((rc == 0)) || die "./test-services.sh failed against the containers (exit $rc)"
}

prune_replaced_images() {
  local reclaimed
  reclaimed=$(engine image prune -f --filter until=24h 2>&1 | grep -c '^[0-9a-f]\{12,\}' || true)
  say "pruned $reclaimed replaced image(s) older than a day (\`image prune --filter until=24h\`)"
}

summary() {
  local svc size
  say "summary ($((SECONDS - T_START))s in all; base $NODE_IMAGE):"
  printf '  %-32s %8s %7s %7s\n' image size build start
  for svc in "${SERVICES[@]}"; do
    size=$(engine image inspect -f '{{.Size}}' "shop/$svc:$IMAGE_TAG")
    printf '  %-32s %5s MB %6ss %6ss\n' "shop/$svc:$IMAGE_TAG" "$((size / 1000000))" "${BUILD_SECONDS[$svc]}" "${START_SECONDS[$svc]}"
  done
}

# ---------------------------------------------------------------- the run
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
choose_engine
for svc in "${SERVICES[@]}"; do engine rm -f "$NAME_PREFIX-$svc" >/dev/null 2>&1 || true; done # a killed run's leftovers
choose_base
build_images
# Secrets that are not the development defaults, new each run.
JWT_SECRET=$(random_secret 48)
INTERNAL_API_KEY=$(random_secret 32)
DB_PASSWORD=$(random_secret 24)
ADMIN_EMAIL=admin@test-images.local
ADMIN_PASSWORD="Adm1n-$(random_secret 18)"
prepare_databases
start_mail_catcher
start_containers
check_containers
check_docs
run_smoke_test
summary
prune_replaced_images
say "passed"
