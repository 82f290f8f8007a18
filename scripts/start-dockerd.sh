#!/usr/bin/env bash
# Start a private Docker Engine for the tests (Linux, as root) and give it a local test image, since the
# test machines cannot pull. Idempotent. Prints `export DOCKER_HOST=...` and `export VOLUMES_LAB_TEST_IMAGE=...`,
# and `export VOLUMES_LAB_DOCKERD_STARTED=1` when this call started the daemon (so only that caller stops it).
#   Engine: Debian's docker.io, vfs storage, no bridge network, no iptables (works in a sandbox).
#   Image:  busybox-static imported with `docker import` (sh, tar, ls, ...). Containers run with network "none".
#   With VOLUMES_LAB_TEST_DATABASES=1: PostgreSQL and MariaDB test images from Debian's packages too.
# Stop it with scripts/stop-dockerd.sh.
set -euo pipefail
ROOT="${VOLUMES_LAB_DOCKERD_ROOT:-/tmp/volumes-lab-test-dockerd}"
SOCK="$ROOT/docker.sock"
IMAGE="${VOLUMES_LAB_TEST_IMAGE:-volumes-lab/busybox:test}"

say() { echo "[dockerd] $*" >&2; }
if ! command -v dockerd >/dev/null || ! dpkg -s busybox-static >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing docker.io and busybox-static with apt-get"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io busybox-static >&2
  else
    say "missing: dockerd (Debian package docker.io) and/or busybox-static; install them as root, or point"
    say "DOCKER_HOST at a running daemon and set VOLUMES_LAB_TEST_IMAGE=busybox"
    exit 3
  fi
fi

export DOCKER_HOST="unix://$SOCK"
if ! docker version >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then say "a private dockerd needs root"; exit 3; fi
  # VOLUMES_LAB_DOCKERD_FRESH=1: start from an empty engine (the test runs), not from what earlier runs left.
  if [ "${VOLUMES_LAB_DOCKERD_FRESH:-}" = 1 ]; then
    # A daemon that was killed leaves its mounts (its data root, container shm): unmount them first.
    awk -v root="$ROOT/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
    rm -rf "$ROOT/data" "$ROOT/exec"
  fi
  mkdir -p "$ROOT/data" "$ROOT/exec" "$ROOT/tmp"
  # Its own TMPDIR: runc keeps per-exec files there, and a caller's private temp folder may vanish.
  TMPDIR="$ROOT/tmp" setsid nohup dockerd --data-root "$ROOT/data" --exec-root "$ROOT/exec" --pidfile "$ROOT/dockerd.pid" \
    -H "$DOCKER_HOST" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    >"$ROOT/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  docker version >/dev/null 2>&1 || { tail -20 "$ROOT/dockerd.log" >&2; exit 1; }
  say "private dockerd started on $DOCKER_HOST (pid $(cat "$ROOT/dockerd.pid"))"
  echo "export VOLUMES_LAB_DOCKERD_STARTED=1"
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  tmp="$(mktemp -d)"; mkdir -p "$tmp/bin" "$tmp/tmp"
  cp /bin/busybox "$tmp/bin/busybox"
  for c in sh ash tar gzip gunzip ls cat echo sleep mkdir rm touch du find sha256sum wc head tail date true false dd stat; do
    ln -sf busybox "$tmp/bin/$c"
  done
  tar -C "$tmp" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
  rm -rf "$tmp"
  say "imported test image $IMAGE"
fi
# Database images for the dump and walkthrough tests (VOLUMES_LAB_TEST_DATABASES=1, set by the test run;
# `npm start` does not need them).
if [ "${VOLUMES_LAB_TEST_DATABASES:-}" = 1 ]; then
  # A PostgreSQL image for the database-dump tests, from the machine's Debian PostgreSQL (installed when missing).
  PG_IMAGE="${VOLUMES_LAB_POSTGRES_IMAGE:-volumes-lab/postgres:test}"
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing postgresql with apt-get (for the database-dump tests)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || say "postgresql not installed: the dump tests will say so"
  fi
  if docker image inspect "$PG_IMAGE" >/dev/null 2>&1 || bash "$(dirname "$0")/make-postgres-image.sh" "$PG_IMAGE"; then
    echo "export VOLUMES_LAB_POSTGRES_IMAGE=$PG_IMAGE"
  fi
  # And a MariaDB image, from Debian's MariaDB server and client.
  MARIADB_IMAGE="${VOLUMES_LAB_MARIADB_IMAGE:-volumes-lab/mariadb:test}"
  if [ ! -x /usr/sbin/mariadbd ] || [ ! -x /usr/bin/mariadb-dump ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing mariadb-server-core and mariadb-client with apt-get (for the database-dump tests)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server-core mariadb-client >&2 || say "MariaDB not installed: the MariaDB dump test will say so"
    fi
  fi
  if docker image inspect "$MARIADB_IMAGE" >/dev/null 2>&1 || bash "$(dirname "$0")/make-mariadb-image.sh" "$MARIADB_IMAGE"; then
    echo "export VOLUMES_LAB_MARIADB_IMAGE=$MARIADB_IMAGE"
  fi
fi
echo "export DOCKER_HOST=$DOCKER_HOST"
echo "export VOLUMES_LAB_TEST_IMAGE=$IMAGE"
