#!/usr/bin/env bash
# Stop the private dockerd started by scripts/start-dockerd.sh (by its PID file).
set -u
ROOT="${VOLUMES_LAB_DOCKERD_ROOT:-/tmp/volumes-lab-dockerd}"
pidfile="$ROOT/dockerd.pid"
[ -f "$pidfile" ] || exit 0
pid="$(cat "$pidfile")"
kill "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.25; done
kill -9 "$pid" 2>/dev/null || true
