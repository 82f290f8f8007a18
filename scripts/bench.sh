#!/usr/bin/env bash
# `npm run bench`: builds, provisions the daemon and VS Code like the tests do, and prints one
# `BENCH <name> ours=… baseline=… ratio=…` line per benchmark (ratio > 1: we are faster).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
node scripts/build.mjs >/dev/null
started=""
if [ "${VOLUMES_LAB_DAEMON:-private}" = private ] && [ "$(id -u)" = 0 ]; then
  unset VOLUMES_LAB_DOCKERD_STARTED; eval "$(bash scripts/start-dockerd.sh)"; started="${VOLUMES_LAB_DOCKERD_STARTED:-}"
fi
trap '[ -n "$started" ] && bash scripts/stop-dockerd.sh' EXIT
bash scripts/vscode-offline/setup.sh >/dev/null
node out/bench/run.js
