#!/usr/bin/env bash
# Stop the private dockerd started by scripts/start-dockerd.sh (by its PID file), and release the mounts a
# killed daemon may have left under its folder.
set -u
ROOT="${VOLUMES_LAB_DOCKERD_ROOT:-/tmp/volumes-lab-test-dockerd}"
pidfile="$ROOT/dockerd.pid"
release_mounts() {
  awk -v root="$ROOT/" 'index($2, root) == 1 { print $2 }' /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
fi
release_mounts
exit 0
