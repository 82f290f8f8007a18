#!/usr/bin/env bash
# Builds a small PostgreSQL image for the database-dump tests from the machine's own Debian PostgreSQL
# (package postgresql), because the test daemon cannot pull: the server, initdb, pg_dumpall and psql with the
# shared libraries they load, busybox for a shell, and an entrypoint that initialises $PGDATA on first start
# (trust authentication on the local socket, as the official image does for local connections).
# Usage: make-postgres-image.sh [image]   (DOCKER_HOST must point at the daemon)
set -euo pipefail
IMAGE="${1:-volumes-lab/postgres:test}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PG_BIN/postgres" ] || { echo "[postgres-image] no PostgreSQL server here (apt-get install postgresql)" >&2; exit 3; }
PG_VERSION="$(basename "$(dirname "$PG_BIN")")"
PG_LIB="/usr/lib/postgresql/$PG_VERSION/lib"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"

copy() { mkdir -p "$root$(dirname "$1")"; cp -aL "$1" "$root$1"; }
binaries=(postgres initdb pg_ctl pg_dumpall pg_dump psql pg_isready)
for b in "${binaries[@]}"; do copy "$PG_BIN/$b"; done
for so in plpgsql dict_snowball; do copy "$PG_LIB/$so.so"; done
mkdir -p "$root/usr/share/postgresql" && cp -a "/usr/share/postgresql/$PG_VERSION" "$root/usr/share/postgresql/"
rm -rf "$root/usr/share/postgresql/$PG_VERSION/man" "$root/usr/share/postgresql/$PG_VERSION/contrib"
[ -d /usr/share/zoneinfo ] && { mkdir -p "$root/usr/share/zoneinfo"; cp -a /usr/share/zoneinfo/UTC /usr/share/zoneinfo/Etc "$root/usr/share/zoneinfo/" 2>/dev/null || true; }
# Every shared library the binaries and modules load, and the loader.
for f in "${binaries[@]/#/$PG_BIN/}" "$PG_LIB/plpgsql.so" "$PG_LIB/dict_snowball.so"; do
  ldd "$f" | awk '/=> \// { print $3 } $1 ~ /^\/lib/ { print $1 }'
done | sort -u | while read -r lib; do copy "$lib"; done

mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/var/run/postgresql" "$root/var/lib/postgresql/data" "$root/usr/local/bin"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for c in sh ls cat echo sleep mkdir rm chmod chown id; do ln -sf busybox "$root/bin/$c"; done
printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\npostgres:x:999:\n' > "$root/etc/group"
chown -R 999:999 "$root/var/run/postgresql" "$root/var/lib/postgresql"
chmod 700 "$root/var/lib/postgresql/data"
cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --auth=trust -E UTF8 --locale=C >/dev/null
  if [ -n "${POSTGRES_DB:-}" ]; then
    postgres --single -j -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE "$POSTGRES_DB";
SQL
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses= -c unix_socket_directories=/var/run/postgresql
SH
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"

tar -C "$root" --numeric-owner -c . | docker import \
  -c "ENV PATH=/usr/local/bin:$PG_BIN:/bin" -c "ENV PGDATA=/var/lib/postgresql/data" -c 'USER postgres' \
  -c 'VOLUME /var/lib/postgresql/data' -c 'CMD ["/usr/local/bin/docker-entrypoint.sh"]' - "$IMAGE" >/dev/null
echo "[postgres-image] imported $IMAGE (PostgreSQL $PG_VERSION)" >&2
