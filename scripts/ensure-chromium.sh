#!/usr/bin/env bash
# Makes sure Debian's chromium is installed: the browser the scorecard panel's
# test (test/scorecard/panel.browser.test.ts, part of `npm test`) and the
# real-editor tests (test/e2e, via scripts/e2e-setup.sh) drive with playwright-core.
# Idempotent: nothing happens when the packages are there already.
#
#   bash scripts/ensure-chromium.sh            # chromium
#   source scripts/ensure-chromium.sh          # defines ensure_apt_packages / ensure_chromium
#   ensure_apt_packages chromium libkrb5-dev   # (what scripts/e2e-setup.sh does)
#
# Installing needs root (CI is root); otherwise it says which packages are missing.

ensure_apt_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    printf '[apt] %s already installed\n' "$*"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    printf '[apt] ERROR: missing Debian packages: %s (run this as root, or: apt-get install -y %s)\n' "${missing[*]}" "${missing[*]}" >&2
    return 1
  fi
  printf '[apt] updating package lists\n'
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  printf '[apt] installing %s\n' "${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_chromium() {
  ensure_apt_packages chromium || return 1
  if [ ! -x /usr/bin/chromium ]; then
    printf '[apt] ERROR: /usr/bin/chromium not found after installing the chromium package\n' >&2
    return 1
  fi
  printf '[apt] chromium: %s\n' "$(/usr/bin/chromium --version 2>/dev/null || echo '?')"
}

# Run as a script (not sourced): ensure chromium.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -Eeuo pipefail
  ensure_chromium
fi
