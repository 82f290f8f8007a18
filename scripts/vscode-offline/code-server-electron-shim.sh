#!/usr/bin/env bash
# A stand-in VS Code executable for @vscode/test-electron's runTests({ vscodeExecutablePath }) where VS Code
# desktop cannot be downloaded: runTests spawns
#   <exe> --no-sandbox ... --extensionTestsPath=X --extensionDevelopmentPath=Y [workspace] [--user-data-dir=...]
# and we run the same suite in code-server's extension host. The exit code is the test result, as with Electron.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE24_BIN="${NODE24_BIN:-${VSCODE_OFFLINE_HOME:-$HOME/.cache/vscode-offline}/node24/bin/node}"
args=(); tests=""; ws=""
while [ $# -gt 0 ]; do
  case "$1" in
    --extensionTestsPath=*) tests="${1#*=}" ;;
    --extensionTestsPath) shift; tests="$1" ;;
    --extensionDevelopmentPath=*) args+=(--ext "${1#*=}") ;;
    --extensionDevelopmentPath) shift; args+=(--ext "$1") ;;
    --*) ;;                          # desktop-only flags
    *) [ -z "$ws" ] && ws="$1" ;;    # the first positional argument is the folder to open
  esac
  shift
done
[ -n "$ws" ] && args+=(--workspace "$ws")
exec "$NODE24_BIN" "$HERE/run-ext-tests.mjs" "${args[@]}" --tests "$tests" --timeout "${HARNESS_TIMEOUT:-600}"
