#!/usr/bin/env bash
# Builds a small MariaDB image for the database-dump tests from the machine's Debian MariaDB (packages
# mariadb-server-core and mariadb-client), because the test daemon cannot pull: the server, the mariadb and
# mariadb-dump clients with the shared libraries they load, busybox for a shell, and a data folder
# initialised here with mariadb-install-db (root authenticates through the local socket, as it does in a
# fresh Debian install). A named volume mounted at /var/lib/mysql starts as a copy of it.
# Usage: make-mariadb-image.sh [image]   (DOCKER_HOST must point at the daemon)
set -euo pipefail
IMAGE="${1:-volumes-lab/mariadb:test}"
for f in /usr/sbin/mariadbd /usr/bin/mariadb /usr/bin/mariadb-dump /usr/bin/mariadb-install-db; do
  [ -x "$f" ] || { echo "[mariadb-image] $f missing (apt-get install mariadb-server-core mariadb-client)" >&2; exit 3; }
done
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
copy() { mkdir -p "$root$(dirname "$1")"; cp -aL "$1" "$root$1"; }
binaries=(/usr/sbin/mariadbd /usr/bin/mariadb /usr/bin/mariadb-dump)
for b in "${binaries[@]}"; do copy "$b"; done
ln -s mariadb "$root/usr/bin/mysql"
ln -s mariadb-dump "$root/usr/bin/mysqldump"
for b in "${binaries[@]}"; do ldd "$b" | awk '/=> \// { print $3 } $1 ~ /^\/lib/ { print $1 }'; done | sort -u | while read -r lib; do copy "$lib"; done
mkdir -p "$root/usr/share/mysql" && cp -a /usr/share/mysql/english /usr/share/mysql/charsets "$root/usr/share/mysql/"
mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/run/mysqld" "$root/var/lib"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for c in sh ls cat echo sleep mkdir rm; do ln -sf busybox "$root/bin/$c"; done
printf 'root:x:0:0:root:/root:/bin/sh\nmysql:x:999:999:MariaDB:/var/lib/mysql:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nmysql:x:999:\n' > "$root/etc/group"
mariadb-install-db --no-defaults --datadir="$root/var/lib/mysql" --user=root --auth-root-authentication-method=socket \
  --skip-test-db -- --innodb-log-file-size=8M >/dev/null 2>&1 || { echo "[mariadb-image] mariadb-install-db failed" >&2; exit 1; }
tar -C "$root" --numeric-owner -c . | docker import \
  -c 'ENV PATH=/usr/sbin:/usr/bin:/bin' -c 'VOLUME /var/lib/mysql' \
  -c 'CMD ["mariadbd", "--no-defaults", "--user=root", "--datadir=/var/lib/mysql", "--socket=/run/mysqld/mysqld.sock", "--skip-networking", "--lc-messages-dir=/usr/share/mysql", "--innodb-log-file-size=8M"]' \
  - "$IMAGE" >/dev/null
echo "[mariadb-image] imported $IMAGE (MariaDB $(/usr/sbin/mariadbd --version | awk '{ print $3 }'))" >&2
