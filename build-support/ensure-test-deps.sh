#!/usr/bin/env bash
# Installs the Debian packages the tests use, when they are missing. Quiet when all are present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mapfile -t wanted < <(grep -v '^\s*#' "$ROOT/build-support/test-packages.txt" | awk 'NF {print $1}')

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  printf 'offramp test: these Debian packages are missing and I cannot install them without root:\n  %s\nRun: sudo apt-get install %s\n' \
    "${missing[*]}" "${missing[*]}" >&2
  exit 2
fi

printf 'offramp test: installing %s\n' "${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
