#!/usr/bin/env bash
# Runs every check and all four test tiers, and fails if any fails:
#   static  type-check (tsc --noEmit), lint (eslint), build (esbuild)
#   unit    plain Node, no daemon, no VS Code
#   daemon  plain Node against a real Docker Engine
#   host    mocha inside a real VS Code extension host (@vscode/test-electron; offline: code-server)
#   e2e     the packaged .vsix in the real workbench, driven in headless Chromium, with screenshots
# Provisions what it needs where it can (npm deps; as root on Debian: a private dockerd with a local test
# image, Node 24 + code-server + Chromium cached in ~/.cache/vscode-offline) and says what is missing where it
# cannot. Environment:
#   VOLUMES_LAB_DAEMON=private|existing  private: our own dockerd (default when root with apt or dockerd);
#                                        existing: DOCKER_HOST or the default socket, with busybox as test image
#   VOLUMES_LAB_TIERS="unit daemon host e2e"  which tiers to run
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
TIERS="${VOLUMES_LAB_TIERS:-unit daemon host e2e}"
ARTIFACTS="$ROOT/test-artifacts"
mkdir -p "$ARTIFACTS"
say() { echo "[test] $*"; }
started_dockerd=""
cleanup() { [ -n "$started_dockerd" ] && bash "$ROOT/scripts/stop-dockerd.sh"; }
trap cleanup EXIT

# --- npm dependencies --------------------------------------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund || { say "npm ci failed"; exit 1; }
fi

# --- static checks and build -------------------------------------------------------------------------------
say "type-check, lint, build"
npx tsc --noEmit -p . || { say "type-check failed"; exit 1; }
npx eslint . || { say "lint failed"; exit 1; }
npx prettier --check . >/dev/null || { npx prettier --list-different .; say "formatting differs (npm run format)"; exit 1; }
node scripts/build.mjs || { say "build failed"; exit 1; }
# Course coverage: every docker command of the course shown or run by a walkthrough step (threshold 100%).
if [ -d "${COURSE_DIR:-../shared/seeds}" ]; then node scripts/course-coverage.mjs --min 100 | tail -2; fi

declare -A PASSED FAILED
equivalence=""
total_passed=0; total_failed=0
record() { # record <tier> <passed> <failed>
  PASSED[$1]=$2; FAILED[$1]=$3
  total_passed=$((total_passed + $2)); total_failed=$((total_failed + $3))
  echo "$1: $2 passed, $3 failed"
}
# mocha's spec reporter ends with "N passing" / "N failing"; a run that printed neither counts as one failure.
mocha_counts() { # mocha_counts <tier> <log>
  local p f
  # Summed: the host tier runs several suites (main, the hostile repository untrusted and trusted, no folder).
  p=$(grep -Eo '^ *[0-9]+ passing' "$2" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { if (NR) print s }' || true)
  f=$(grep -Eo '^ *[0-9]+ failing' "$2" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { if (NR) print s }' || true)
  if [ -z "$p" ] && [ -z "$f" ]; then p=0; f=1; fi
  record "$1" "${p:-0}" "${f:-0}"
}
wants() { [[ " $TIERS " == *" $1 "* ]]; }

# --- unit --------------------------------------------------------------------------------------------------
if wants unit; then
  say "unit tier"
  npx mocha --reporter spec --timeout 20000 'out/test/unit/**/*.test.js' 2>&1 | tee "$ARTIFACTS/unit.log"
  mocha_counts unit "$ARTIFACTS/unit.log"
fi

# --- the Docker daemon the next tiers use ------------------------------------------------------------------
if wants daemon || wants host || wants e2e; then
  mode="${VOLUMES_LAB_DAEMON:-}"
  if [ -z "$mode" ]; then
    if [ "$(id -u)" = 0 ] && { command -v dockerd >/dev/null || command -v apt-get >/dev/null; }; then mode=private; else mode=existing; fi
  fi
  if [ "$mode" = private ]; then
    unset VOLUMES_LAB_DOCKERD_STARTED
    exports="$(VOLUMES_LAB_DOCKERD_FRESH=1 VOLUMES_LAB_TEST_DATABASES=1 bash scripts/start-dockerd.sh)" || { say "could not start a private Docker daemon (see above)"; exit 1; }
    eval "$exports"
    started_dockerd="${VOLUMES_LAB_DOCKERD_STARTED:-}"
    export VOLUMES_LAB_PRIVATE_DAEMON=1  # tests may restart this daemon
  else
    export VOLUMES_LAB_TEST_IMAGE="${VOLUMES_LAB_TEST_IMAGE:-busybox}"
    if command -v docker >/dev/null; then
      docker version >/dev/null 2>&1 || { say "no reachable Docker daemon (DOCKER_HOST=${DOCKER_HOST:-unset}); start Docker and retry"; exit 1; }
      docker image inspect "$VOLUMES_LAB_TEST_IMAGE" >/dev/null 2>&1 || docker pull "$VOLUMES_LAB_TEST_IMAGE" || {
        say "test image $VOLUMES_LAB_TEST_IMAGE is missing and cannot be pulled"; exit 1; }
    fi
  fi
  say "daemon: ${DOCKER_HOST:-default socket}, test image: $VOLUMES_LAB_TEST_IMAGE"
fi

# --- daemon ------------------------------------------------------------------------------------------------
if wants daemon; then
  # The ssh:// test runs a private sshd (Debian's openssh-server); elsewhere it is skipped with a reason.
  if [ ! -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null 2>&1 || say "openssh-server not installed: the ssh test will be skipped"
  fi
  say "daemon tier"
  npx mocha --reporter spec --timeout 60000 'out/test/daemon/**/*.test.js' 2>&1 | tee "$ARTIFACTS/daemon.log"
  mocha_counts daemon "$ARTIFACTS/daemon.log"
  # The cli-equivalence suites print how many actions that show a docker line they proved: the commands'
  # (cliEquivalence.test.ts) and the lab buttons' (labSteps.test.ts); the sum is the figure.
  equivalence=$(grep -Eo '^ *cli-equivalence( \(labs\))?: [0-9]+/[0-9]+ actions' "$ARTIFACTS/daemon.log" | sed 's/^ *//' | awk -F'[ :/]+' '
    { ok += $(NF-2); all += $(NF-1); parts = parts (parts ? ", " : "") $(NF-2) "/" $(NF-1) ($2 == "(labs)" ? " lab buttons" : " commands") }
    END { if (all) printf "cli-equivalence: %d/%d actions (%s)\n", ok, all, parts }')
  echo "${equivalence:-cli-equivalence: did not run}"
  # Every command the walkthrough steps show, run by test/daemon/courseCommands.test.ts (scripts/course-commands.mjs).
  course_commands=$(grep -Eo 'course-commands: [0-9]+ run, [0-9]+ marked, [0-9]+ failed' "$ARTIFACTS/daemon.log" | tail -1)
  echo "${course_commands:-course-commands: did not run}"
fi

# --- a real VS Code ----------------------------------------------------------------------------------------
if wants host || wants e2e; then
  bash scripts/vscode-offline/setup.sh || { say "cannot provision VS Code (code-server) here (see above)"; exit 1; }
fi

# --- host --------------------------------------------------------------------------------------------------
if wants host; then
  say "host tier"
  node scripts/run-host-tests.mjs 2>&1 | tee "$ARTIFACTS/host.log"
  host_exit=${PIPESTATUS[0]}
  # Summed over the suites run (main, hostile untrusted and trusted, no folder).
  mocha_counts host "$ARTIFACTS/host.log"
  # A suite whose harness failed (timed out, crashed, never started) printed no "failing" line: it counts as one.
  if [ "$host_exit" != 0 ] && [ "${FAILED[host]}" = 0 ]; then
    FAILED[host]=1; total_failed=$((total_failed + 1))
    echo "host: run-host-tests exited $host_exit with no failing test reported: counted as 1 failed"
  fi
fi

# --- e2e ---------------------------------------------------------------------------------------------------
if wants e2e; then
  say "e2e tier: packaging the .vsix"
  rm -f "$ARTIFACTS"/*.vsix
  if npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links --out "$ARTIFACTS/docker-volumes-lab.vsix" >"$ARTIFACTS/vsce.log" 2>&1; then
    node test/e2e/ui.mjs --vsix "$ARTIFACTS/docker-volumes-lab.vsix" --shots "$ARTIFACTS/e2e" 2>&1 | tee "$ARTIFACTS/e2e.log"
    # Then `npm start` itself, as a new user runs it, on a private daemon of its own (its screenshots beside).
    node test/e2e/firstRun.mjs --shots "$ARTIFACTS/e2e" 2>&1 | tee "$ARTIFACTS/e2e-first-run.log"
    p=0; f=0
    for l in "$ARTIFACTS/e2e.log" "$ARTIFACTS/e2e-first-run.log"; do
      line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$l" | tail -1)
      if [ -n "$line" ]; then
        p=$((p + $(echo "$line" | sed -E 's/^e2e: ([0-9]+) passed.*/\1/'))); f=$((f + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
      else
        f=$((f + 1))
      fi
    done
    PASSED[e2e]=$p; FAILED[e2e]=$f; total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
  else
    cat "$ARTIFACTS/vsce.log"; record e2e 0 1
  fi
fi

echo
for t in $TIERS; do echo "  $t: ${PASSED[$t]:-0} passed, ${FAILED[$t]:-0} failed"; done
[ -n "${equivalence:-}" ] && echo "  $equivalence"
[ -n "${course_commands:-}" ] && echo "  $course_commands"
echo "total: $total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ] && [ "$total_passed" -gt 0 ]
