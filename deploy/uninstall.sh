#!/usr/bin/env bash
# Removes the offramp daemon installed by install.sh: stops and disables the service, removes the
# unit, its drop-ins and <prefix> (all releases). Configuration (/etc/offramp) and data
# (/var/lib/offramp: bundles, MQTT offline buffer) stay unless --purge, which also removes the
# JavaCPP cache (/var/cache/offramp) and the offramp system user.
set -euo pipefail

SERVICE=offramp
SERVICE_USER=offramp

die() { printf 'uninstall.sh: %s\n' "$*" >&2; exit 2; }
say() { printf 'uninstall.sh: %s\n' "$*"; }

usage() {
  cat <<'USAGE'
Usage: sudo deploy/uninstall.sh [--prefix DIR] [--purge]

  --prefix DIR   where install.sh put the releases (default /opt/offramp)
  --purge        also remove /etc/offramp, /var/lib/offramp, /var/cache/offramp and the user
Environment: DESTDIR (a staged root, as for install.sh), OFFRAMP_SYSTEMCTL (tests).
USAGE
}

PREFIX=/opt/offramp
PURGE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
    --purge) PURGE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ "$PREFIX" = /* && "$PREFIX" != / ]] || die "--prefix must be an absolute path other than /"
PREFIX="${PREFIX%/}"

D="${DESTDIR:-}"
D="${D%/}"
if [[ -n "$D" ]]; then
  [[ "$D" = /* ]] || die "DESTDIR must be an absolute path, found '$D'"
elif [[ $(id -u) -ne 0 ]]; then
  die "run as root (sudo), or set DESTDIR to a staged root"
fi
SYSTEMCTL=()
if [[ -n "${OFFRAMP_SYSTEMCTL:-}" ]]; then
  read -r -a SYSTEMCTL <<<"$OFFRAMP_SYSTEMCTL"
elif [[ -z "$D" ]] && command -v systemctl >/dev/null 2>&1; then
  SYSTEMCTL=(systemctl)
fi
systemctl_() { [[ ${#SYSTEMCTL[@]} -eq 0 ]] || "${SYSTEMCTL[@]}" "$@"; }

# Refuse a prefix that is not ours: it must hold releases/ or current.
if [[ -e "$D$PREFIX" && ! -d "$D$PREFIX/releases" && ! -L "$D$PREFIX/current" ]]; then
  die "$D$PREFIX does not look like an offramp install (no releases/ or current); not removing it"
fi

systemctl_ disable --now "$SERVICE" >/dev/null 2>&1 || true
rm -f "$D/etc/systemd/system/offramp.service"
rm -rf "$D/etc/systemd/system/offramp.service.d"
systemctl_ daemon-reload || true
systemctl_ reset-failed "$SERVICE" >/dev/null 2>&1 || true
rm -rf -- "$D$PREFIX"
say "removed the service and $D$PREFIX"

if [[ $PURGE == 1 ]]; then
  rm -rf "$D/etc/offramp" "$D/var/lib/offramp" "$D/var/lib/private/offramp" \
    "$D/var/cache/offramp" "$D/var/cache/private/offramp"
  if [[ -z "$D" ]] && getent passwd "$SERVICE_USER" >/dev/null; then
    userdel "$SERVICE_USER"
  fi
  say "purged configuration, state, cache and the $SERVICE_USER user"
else
  say "kept $D/etc/offramp and $D/var/lib/offramp (bundles, MQTT buffer); --purge removes them"
fi
