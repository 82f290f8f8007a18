#!/usr/bin/env bash
# `npm start`: builds the extension and opens it in VS Code, connected to a Docker daemon.
#   - VS Code desktop when the `code` CLI exists (the extension runs from this folder, in development mode), in a
#     window of its own profile (--user-data-dir; your extensions, language pack included, stay available);
#   - otherwise a local code-server (the real VS Code workbench in a browser) on 127.0.0.1, whose URL is printed.
#   - Docker: the daemon your environment points at (setting, DOCKER_HOST, docker context, default socket);
#     if none answers and this is Linux as root, a private dockerd of our own (stopped again on exit).
#   - The folder it opens is a lab workspace outside this clone, holding the course's lab projects
#     (written once, never overwritten); in desktop and code-server alike it opens trusted, with the first course
#     module open the first time.
# Environment: VOLUMES_LAB_PORT (default 8080), VOLUMES_LAB_WORKSPACE (default: ~/docker-volumes-lab, outside this clone),
#              VOLUMES_LAB_DAEMON=private to always use a private daemon (VOLUMES_LAB_DOCKERD_ROOT: its folder, default
#              ${XDG_DATA_HOME:-~/.local/share}/docker-volumes-lab/private-docker),
#              VOLUMES_LAB_PROFILE: npm start's VS Code profile folder (default: <offline VS Code home>/run for
#              code-server, ${XDG_DATA_HOME:-~/.local/share}/docker-volumes-lab/desktop for VS Code desktop),
#              VOLUMES_LAB_SKIP_BUILD=1 to use node_modules and the build in dist/ and out/ as they are (a test runs
#              this script on the tree it runs from).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
WORKSPACE="${VOLUMES_LAB_WORKSPACE:-$HOME/docker-volumes-lab}"
say() { echo "[start] $*"; }

# The lab workspace must be a folder of its own: the clone itself, a folder inside it or one holding it would open
# the extension's source instead of the labs. A clone made as ~/docker-volumes-lab moves the default aside; a folder
# the user named is refused.
overlaps_clone() {
  local root workspace
  root="$(realpath -m "$ROOT")/"; workspace="$(realpath -m "$1")/"
  case "$workspace" in "$root"*) return 0 ;; esac
  case "$root" in "$workspace"*) return 0 ;; esac
  return 1
}
if overlaps_clone "$WORKSPACE"; then
  if [ -n "${VOLUMES_LAB_WORKSPACE:-}" ]; then
    echo "[start] VOLUMES_LAB_WORKSPACE=$WORKSPACE overlaps this clone ($ROOT): name a folder outside it" >&2
    exit 2
  fi
  WORKSPACE="$HOME/docker-volumes-lab-course"
fi

# The code-server way is provisioned from Linux builds (Node 24 for linux-x64, Debian packages for its native modules).
if ! command -v code >/dev/null 2>&1 && [ "$(uname)" != Linux ]; then
  echo "[start] no \`code\` command found: install VS Code, then its \`code\` command (palette: Shell Command: Install 'code' command in PATH), and run npm start again" >&2
  exit 2
fi

# code-server needs its port: one taken (by an earlier `npm start`, or another program) is said before anything starts,
# rather than announcing an address where something else answers.
PORT="${VOLUMES_LAB_PORT:-8080}"
if ! command -v code >/dev/null 2>&1 &&
  ! node -e "const s = require('net').createServer().once('error', () => process.exit(1));
    s.listen($PORT, '127.0.0.1', () => s.close(() => process.exit(0)))"; then
  echo "[start] port $PORT on 127.0.0.1 is taken (an earlier npm start still running?): stop it, or set VOLUMES_LAB_PORT to a free port" >&2
  exit 2
fi

if [ "${VOLUMES_LAB_SKIP_BUILD:-}" != 1 ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies"; npm ci --no-audit --no-fund
  fi
  node scripts/build.mjs >/dev/null
fi

# The lab workspace: each lab project where Create Lab Files would write it (<workspace>/<lab>); files the
# learner already has are kept.
mkdir -p "$WORKSPACE"
for lab in labs/*/; do
  name="$(basename "$lab")"
  [ -e "$WORKSPACE/$name" ] || cp -R "$lab" "$WORKSPACE/$name"
done
say "lab workspace: $WORKSPACE"

daemon_answers() {
  node -e "
    const { DockerodeClient } = require('./out/src/docker/dockerodeClient');
    const { resolveEndpoint } = require('./out/src/docker/endpoint');
    const fs = require('fs'), os = require('os');
    let endpoint;
    try {
      endpoint = resolveEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir(),
        exists: f => fs.existsSync(f), readFile: f => { try { return fs.readFileSync(f, 'utf8'); } catch { return undefined; } } });
    } catch (e) { console.error(e.message); process.exit(1); }
    new DockerodeClient({ endpoint, timeoutMs: 3000 }).version().then(
      v => { console.error('[start] Docker ' + v.version + ' at ' + endpoint.host); process.exit(0); },
      e => { console.error(e.message); process.exit(1); });"
}

started_dockerd=""
code_server_pid=""
cleanup() {
  [ -n "$code_server_pid" ] && kill "$code_server_pid" 2>/dev/null
  [ -n "$started_dockerd" ] && bash scripts/stop-dockerd.sh
  return 0
}
trap cleanup EXIT INT TERM

if [ "${VOLUMES_LAB_DAEMON:-}" = private ] || ! daemon_answers; then
  if [ "$(uname)" = Linux ] && [ "$(id -u)" = 0 ]; then
    # The lab's volumes live in this daemon: a folder that survives a reboot, and not the tests' daemon (the test run
    # starts its own from empty).
    export VOLUMES_LAB_DOCKERD_ROOT="${VOLUMES_LAB_DOCKERD_ROOT:-${XDG_DATA_HOME:-$HOME/.local/share}/docker-volumes-lab/private-docker}"
    say "starting a private Docker daemon (its data: $VOLUMES_LAB_DOCKERD_ROOT)"
    unset VOLUMES_LAB_DOCKERD_STARTED
    eval "$(bash scripts/start-dockerd.sh)"
    started_dockerd="${VOLUMES_LAB_DOCKERD_STARTED:-}"
  else
    say "no Docker daemon answers: the Volumes view will say why and how to fix it"
  fi
fi

# The profile belongs to `npm start` and opens the lab workspace it wrote: trusted, with the first course module
# opened on its first start (a user setting only, so a profile of our own rather than the user's). Trust is switched
# off in this profile only: the trusted-folders list lives in the profile's storage (code-server: the browser's), which
# a script cannot fill, so the folder would open in Restricted Mode. Chat and the secondary side bar stay closed so
# that the first screen is the course and the Volumes view.
write_profile() { # write_profile <user-data-dir>
  mkdir -p "$1/User"
  node -e '
    const fs = require("fs"), file = process.argv[1];
    let s = {}; try { s = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
    Object.assign(s, { "telemetry.telemetryLevel": "off", "update.mode": "none", "extensions.autoCheckUpdates": false,
      "workbench.startupEditor": "none", "security.workspace.trust.enabled": false, "volumesLab.course.openOnStartup": true,
      "chat.disableAIFeatures": true, "chat.commandCenter.enabled": false, "workbench.secondarySideBar.defaultVisibility": "hidden",
      "workbench.tips.enabled": false, "extensions.ignoreRecommendations": true });
    fs.writeFileSync(file, JSON.stringify(s, null, 2));' "$1/User/settings.json"
}

if command -v code >/dev/null 2>&1; then
  # Its own --user-data-dir makes a VS Code instance of its own, beside any window already open. The extensions folder
  # stays the user's: a French language pack installed there keeps the workbench, and the course, in French.
  RUN_DIR="${VOLUMES_LAB_PROFILE:-${XDG_DATA_HOME:-$HOME/.local/share}/docker-volumes-lab/desktop}"
  write_profile "$RUN_DIR/user-data"
  # As root (a container, a lab VM), Electron refuses to start without --no-sandbox, yet `code` still exits 0: no window
  # would open and nothing would say why. VS Code's CLI also wants --user-data-dir as root, which is passed anyway.
  sandbox=()
  [ "$(id -u)" = 0 ] && sandbox=(--no-sandbox)
  say "opening VS Code desktop with the extension from $ROOT (profile: $RUN_DIR/user-data)"
  code --new-window ${sandbox[@]+"${sandbox[@]}"} --user-data-dir "$RUN_DIR/user-data" --extensionDevelopmentPath="$ROOT" "$WORKSPACE"
  if [ -n "$started_dockerd" ]; then
    say "the private daemon runs until you press Ctrl+C"
    while true; do sleep 3600; done
  fi
  exit 0
fi

VSCODE_OFFLINE_NO_BROWSER=1 bash scripts/vscode-offline/setup.sh
OFFLINE_HOME="${VSCODE_OFFLINE_HOME:-$HOME/.cache/vscode-offline}"
RUN_DIR="${VOLUMES_LAB_PROFILE:-$OFFLINE_HOME/run}"
mkdir -p "$RUN_DIR/extensions"
write_profile "$RUN_DIR/user-data"
vsix="$RUN_DIR/docker-volumes-lab.vsix"
npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links --out "$vsix" >/dev/null
NODE24="$OFFLINE_HOME/node24/bin/node"
CS="$OFFLINE_HOME/code-server/node_modules/code-server/out/node/entry.js"
"$NODE24" "$CS" --extensions-dir "$RUN_DIR/extensions" --user-data-dir "$RUN_DIR/user-data" --install-extension "$vsix" --force >/dev/null
"$NODE24" "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-getting-started-override --extensions-dir "$RUN_DIR/extensions" --user-data-dir "$RUN_DIR/user-data" "$WORKSPACE" &
code_server_pid=$!
ready=""
for _ in $(seq 1 60); do
  if ! kill -0 "$code_server_pid" 2>/dev/null; then
    code_server_pid=""
    echo "[start] code-server stopped before it answered on port $PORT: its messages are above" >&2
    exit 1
  fi
  if node -e "require('http').get('http://127.0.0.1:$PORT/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "[start] code-server did not answer on port $PORT within 30 s" >&2
  exit 1
fi
echo
say "Docker Volumes Lab is running in VS Code: open http://127.0.0.1:$PORT/?folder=$WORKSPACE"
say "press Ctrl+C to stop"
wait "$code_server_pid"
