#!/usr/bin/env bash
# Installs or upgrades the offramp daemon from a runtime image (deploy/build-image.sh):
#   <prefix>/releases/<version>/   the image            <prefix>/current -> releases/<version>
#   /etc/offramp/offramp.yaml      config (never overwritten)   /var/lib/offramp/bundles/  bundles
#   /etc/systemd/system/offramp.service (+ offramp.service.d/board.conf with --board)
# An upgrade of a running service restarts it and checks its health; when the new version fails,
# current is pointed back at the previous release and the service restarted on it.
# Idempotent: a second run with the same image changes nothing. See deploy/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICE=offramp
SERVICE_USER=offramp

die() { printf 'install.sh: %s\n' "$*" >&2; exit 2; }
say() { printf 'install.sh: %s\n' "$*"; }

usage() {
  cat <<'USAGE'
Usage: sudo deploy/install.sh [OPTIONS]          (run from the image: share/offramp/install.sh)

  --image DIR        runtime image to install (default: the image this script is part of)
  --prefix DIR       where releases go (default /opt/offramp)
  --board NAME       install deploy/boards/NAME: its offramp.yaml as the config (when there is
                     none yet) and its systemd drop-in. Boards: jetson-orin, raspberry-pi-5, x86-dev
  --start            start the service after a first install (default: enable only; put a bundle
                     in /var/lib/offramp/bundles and edit /etc/offramp/offramp.yaml first)
  --force            replace an installed release of the same version whose files differ
  --rollback         point current back at the previous release and restart
  --keep N           releases kept, current and previous included (default 3)
  -h, --help         this text

Environment:
  DESTDIR                 stage into this root instead of / (no root needed; no user is created
                          and systemctl is not called unless OFFRAMP_SYSTEMCTL is set)
  OFFRAMP_SYSTEMCTL       systemctl command (tests use a fake)
  OFFRAMP_HEALTH_CMD      health check command run with sh -c; exit 0 = healthy (default: GET
                          OFFRAMP_HEALTH_URL until it answers 200 or OFFRAMP_HEALTH_TIMEOUT passes)
  OFFRAMP_HEALTH_URL      default http://HOST:PORT/observe/health from the config's http section
  OFFRAMP_HEALTH_TIMEOUT  seconds (default 90)
USAGE
}

IMAGE=""
PREFIX=/opt/offramp
BOARD=""
START=0
FORCE=0
ROLLBACK=0
KEEP=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --image) IMAGE="${2:?--image needs a directory}"; shift 2 ;;
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
    --board) BOARD="${2:?--board needs a name}"; shift 2 ;;
    --start) START=1; shift ;;
    --force) FORCE=1; shift ;;
    --rollback) ROLLBACK=1; shift ;;
    --keep) KEEP="${2:?--keep needs a number}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ "$PREFIX" = /* ]] || die "--prefix must be an absolute path, found '$PREFIX'"
[[ "$KEEP" =~ ^[0-9]+$ && "$KEEP" -ge 2 ]] || die "--keep: expected a number >= 2, found '$KEEP'"
PREFIX="${PREFIX%/}"

D="${DESTDIR:-}"
D="${D%/}"
if [[ -n "$D" ]]; then
  [[ "$D" = /* ]] || die "DESTDIR must be an absolute path, found '$D'"
elif [[ $(id -u) -ne 0 ]]; then
  die "run as root (sudo), or set DESTDIR to stage into a directory"
fi

# systemctl only on a live system (or when a test asks for its fake).
SYSTEMCTL=()
if [[ -n "${OFFRAMP_SYSTEMCTL:-}" ]]; then
  read -r -a SYSTEMCTL <<<"$OFFRAMP_SYSTEMCTL"
elif [[ -z "$D" ]]; then
  command -v systemctl >/dev/null 2>&1 || die "systemctl not found: offramp needs systemd"
  SYSTEMCTL=(systemctl)
fi
systemctl_() { [[ ${#SYSTEMCTL[@]} -eq 0 ]] || "${SYSTEMCTL[@]}" "$@"; }
service_active() { [[ ${#SYSTEMCTL[@]} -gt 0 ]] && "${SYSTEMCTL[@]}" is-active --quiet "$SERVICE"; }

# Layout of what ships with the image (share/offramp/) or of the source tree (deploy/).
if [[ -f "$HERE/systemd/offramp.service" ]]; then
  UNIT_SRC="$HERE/systemd/offramp.service"
  [[ -n "$IMAGE" ]] || IMAGE="$(cd "$HERE/../.." && pwd)"
else
  UNIT_SRC="$HERE/../systemd/offramp.service"
fi
BOARDS="$HERE/boards"

ETC="$D/etc/offramp"
STATE="$D/var/lib/offramp"
UNIT_DIR="$D/etc/systemd/system"
RELEASES="$D$PREFIX/releases"
CURRENT="$D$PREFIX/current"
PREVIOUS="$D$PREFIX/previous"
CHANGED=0

# --- health ------------------------------------------------------------------------------------
config_http() { # key (host|port) from the config's top-level http: section, or nothing
  local file="$ETC/offramp.yaml"
  [[ -r "$file" ]] || return 0
  awk -v key="$1" '
    /^[^[:space:]#]/ { in_http = ($0 ~ /^http:[[:space:]]*(#.*)?$/) ; next }
    in_http && $1 == key ":" { v = $2; gsub(/["\047]/, "", v); print v; exit }' "$file"
}
http_get_ok() { # url -> 0 when it answers HTTP 200
  local url="$1" rest hostport host port path status
  rest="${url#http://}"
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  [[ "$rest" == */* ]] || path=/
  host="${hostport%:*}"
  port="${hostport##*:}"
  [[ "$hostport" == *:* ]] || port=80
  # bash's /dev/tcp: no curl or wget needed on the board. HTTP/1.1: Helidon 4 answers 505 to 1.0.
  # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
  status=$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$1" >&3
    IFS= read -r line <&3 && printf "%s" "$line"' _ "$host" "$port" "$path" 2>/dev/null) || return 1
  [[ "$status" =~ ^HTTP/[0-9.]+\ 200 ]]
}
healthy() {
  if [[ -n "${OFFRAMP_HEALTH_CMD:-}" ]]; then
    sh -c "$OFFRAMP_HEALTH_CMD"
    return
  fi
  local host port url deadline
  host="$(config_http host)"
  port="$(config_http port)"
  case "$host" in ""|0.0.0.0|"::"|"[::]") host=127.0.0.1 ;; esac
  url="${OFFRAMP_HEALTH_URL:-http://$host:${port:-8080}/observe/health}"
  deadline=$(( $(date +%s) + ${OFFRAMP_HEALTH_TIMEOUT:-90} ))
  while :; do
    if service_active && http_get_ok "$url"; then return 0; fi
    if (( $(date +%s) >= deadline )); then
      printf 'install.sh: %s did not answer 200 within %ss\n' "$url" "${OFFRAMP_HEALTH_TIMEOUT:-90}" >&2
      return 1
    fi
    sleep 2
  done
}
restart_and_check() { # -> 0 when the restarted service is healthy
  systemctl_ restart "$SERVICE" || return 1
  healthy
}

# --- symlinks ----------------------------------------------------------------------------------
link_target() { if [[ -L "$1" ]]; then readlink "$1"; fi; }
set_link() { # path target: atomic replacement
  [[ "$(link_target "$1")" == "$2" ]] && return 0
  ln -sfn "$2" "$1.new"
  mv -T "$1.new" "$1"
  CHANGED=1
}

# --- rollback on request -----------------------------------------------------------------------
if [[ $ROLLBACK == 1 ]]; then
  prev="$(link_target "$PREVIOUS")"
  cur="$(link_target "$CURRENT")"
  [[ -n "$prev" && -d "$D$PREFIX/$prev" ]] || die "no previous release to roll back to ($PREVIOUS)"
  set_link "$CURRENT" "$prev"
  set_link "$PREVIOUS" "$cur"
  say "current -> $prev (was $cur)"
  if service_active; then
    restart_and_check || die "the service is not healthy on $prev either; see journalctl -u $SERVICE"
  fi
  exit 0
fi

# --- the image ---------------------------------------------------------------------------------
[[ -n "$IMAGE" ]] || die "no image: give --image DIR (made by deploy/build-image.sh)"
[[ -d "$IMAGE" ]] || die "--image $IMAGE: no such directory"
for f in bin/offramp bin/java VERSION; do
  [[ -e "$IMAGE/$f" ]] || die "--image $IMAGE is not a runtime image: $f is missing \
(build one with deploy/build-image.sh)"
done
VERSION="$(head -n1 "$IMAGE/VERSION")"
[[ "$VERSION" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "$IMAGE/VERSION: bad version '$VERSION'"
[[ -f "$UNIT_SRC" ]] || die "unit file not found: $UNIT_SRC"
if [[ -n "$BOARD" ]]; then
  [[ -f "$BOARDS/$BOARD/offramp.yaml" ]] || die "--board: unknown board '$BOARD' (have: \
$(cd "$BOARDS" && find . -mindepth 1 -maxdepth 1 -type d -printf '%f ' 2>/dev/null))"
fi

# --- service user (a live system only) ---------------------------------------------------------
if [[ -z "$D" ]]; then
  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/offramp --no-create-home \
      --shell /usr/sbin/nologin --comment "offramp daemon" "$SERVICE_USER"
    say "created system user $SERVICE_USER"
    CHANGED=1
  fi
  for group in video render; do
    if getent group "$group" >/dev/null && ! id -nG "$SERVICE_USER" | tr ' ' '\n' | grep -qx "$group"
    then
      usermod -a -G "$group" "$SERVICE_USER"
      CHANGED=1
    fi
  done
fi
OWNER=()      # chown arguments: only on a live system, where the user exists
[[ -n "$D" ]] || OWNER=("$SERVICE_USER:$SERVICE_USER")

ensure_dir() { # path mode [owner]
  if [[ ! -d "$1" ]]; then mkdir -p "$1"; CHANGED=1; fi
  if [[ "$(stat -c %a "$1")" != "${2#0}" ]]; then chmod "$2" "$1"; CHANGED=1; fi
  if [[ -n "${3:-}" && "$(stat -c %U:%G "$1")" != "$3" ]]; then chown "$3" "$1"; CHANGED=1; fi
}
install_file() { # src dest mode [group]: only when the content or mode differs
  local src="$1" dest="$2" mode="$3" group="${4:-}"
  if ! cmp -s "$src" "$dest" || [[ "$(stat -c %a "$dest")" != "${mode#0}" ]]; then
    install -m "$mode" "$src" "$dest"
    CHANGED=1
  fi
  if [[ -n "$group" && -z "$D" && "$(stat -c %G "$dest")" != "$group" ]]; then
    chgrp "$group" "$dest"; CHANGED=1
  fi
}

# --- directories -------------------------------------------------------------------------------
# /etc/offramp is root's (ConfigurationDirectory=); the service reads its files through its group.
ensure_dir "$ETC" 0755
ensure_dir "$STATE" 0750 "${OWNER[@]}"
ensure_dir "$STATE/bundles" 0750 "${OWNER[@]}"
ensure_dir "$UNIT_DIR" 0755
ensure_dir "$RELEASES" 0755

# --- the release -------------------------------------------------------------------------------
release="$RELEASES/$VERSION"
stage_release() { # copy the image next to its final place, then move it there in one step
  local staged="$RELEASES/.staging-$VERSION"
  rm -rf "$staged"
  mkdir -p "$staged"
  cp -a "$IMAGE/." "$staged/"
  chmod -R u=rwX,go=rX "$staged"
  rm -rf "$release"
  mv "$staged" "$release"
  CHANGED=1
}
if [[ ! -d "$release" ]]; then
  stage_release
  say "installed release $VERSION in $release"
elif ! diff -rq --no-dereference "$IMAGE" "$release" >/dev/null 2>&1; then
  [[ $FORCE == 1 ]] || die "release $VERSION is installed with different files ($release).
Rebuild with a new version, or pass --force to replace it."
  stage_release
  say "replaced release $VERSION"
fi

# --- unit, drop-in, config ---------------------------------------------------------------------
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed "s#/opt/offramp#$PREFIX#g" "$UNIT_SRC" > "$tmp/offramp.service"
unit_changed=0
cmp -s "$tmp/offramp.service" "$UNIT_DIR/offramp.service" || unit_changed=1
install_file "$tmp/offramp.service" "$UNIT_DIR/offramp.service" 0644
if [[ -n "$BOARD" && -f "$BOARDS/$BOARD/offramp.service.d/override.conf" ]]; then
  ensure_dir "$UNIT_DIR/offramp.service.d" 0755
  cmp -s "$BOARDS/$BOARD/offramp.service.d/override.conf" "$UNIT_DIR/offramp.service.d/board.conf" \
    || unit_changed=1
  install_file "$BOARDS/$BOARD/offramp.service.d/override.conf" \
    "$UNIT_DIR/offramp.service.d/board.conf" 0644
fi

config_src="$BOARDS/${BOARD:-x86-dev}/offramp.yaml"
if [[ -f "$config_src" ]]; then
  # The example is ours and kept current; the config is the admin's and never overwritten.
  install_file "$config_src" "$ETC/offramp.yaml.example" 0644
  if [[ ! -e "$ETC/offramp.yaml" ]]; then
    install_file "$config_src" "$ETC/offramp.yaml" 0640 "$SERVICE_USER"
    say "wrote $ETC/offramp.yaml from ${BOARD:-x86-dev}: edit bundle.path and source.uri"
  fi
fi
if [[ ! -e "$ETC/offramp.env" ]]; then
  printf '%s\n' "# Environment of offramp.service (EnvironmentFile=). JVM options, e.g.:" \
    "#OFFRAMP_JAVA_OPTS=-Xmx256m -XX:+UseSerialGC" > "$tmp/offramp.env"
  install_file "$tmp/offramp.env" "$ETC/offramp.env" 0640 "$SERVICE_USER"
fi

# --- switch current, restart, check, roll back -------------------------------------------------
old="$(link_target "$CURRENT")"
new="releases/$VERSION"
if [[ $unit_changed == 1 ]]; then systemctl_ daemon-reload; fi
if [[ -z "$old" ]]; then
  set_link "$CURRENT" "$new"
  systemctl_ enable "$SERVICE" >/dev/null
  if [[ $START == 1 ]]; then
    restart_and_check || die "offramp $VERSION started but is not healthy; see journalctl -u $SERVICE"
    say "offramp $VERSION is running"
  else
    say "installed offramp $VERSION (enabled, not started). Next: put a bundle in \
/var/lib/offramp/bundles, edit /etc/offramp/offramp.yaml, then: systemctl start $SERVICE"
  fi
elif [[ "$old" != "$new" ]]; then
  was_active=0
  if service_active; then was_active=1; fi
  prev_before="$(link_target "$PREVIOUS")"
  set_link "$PREVIOUS" "$old"
  set_link "$CURRENT" "$new"
  say "current -> $new (previous: $old)"
  if [[ $was_active == 1 || $START == 1 ]]; then
    if restart_and_check; then
      say "offramp $VERSION is running and healthy"
    else
      printf 'install.sh: offramp %s failed its health check; rolling back to %s\n' "$VERSION" "$old" >&2
      set_link "$CURRENT" "$old"
      if [[ -n "$prev_before" ]]; then set_link "$PREVIOUS" "$prev_before"; else rm -f "$PREVIOUS"; fi
      if restart_and_check; then
        die "rolled back: $old is running again. The failed release stays in $release; see \
journalctl -u $SERVICE"
      fi
      die "rolled back to $old, but it is not healthy either; see journalctl -u $SERVICE"
    fi
  fi
elif [[ $unit_changed == 1 ]] && service_active; then
  restart_and_check || die "offramp is not healthy after the unit changed; see journalctl -u $SERVICE"
fi

# --- prune old releases (never current or previous) --------------------------------------------
keep_a="$(link_target "$CURRENT")"
keep_b="$(link_target "$PREVIOUS")"
mapfile -t releases < <(find "$RELEASES" -mindepth 1 -maxdepth 1 -type d ! -name '.*' \
  -printf '%T@ %f\n' | sort -rn | cut -d' ' -f2-)
others=0
for r in ${releases[@]+"${releases[@]}"}; do
  [[ "releases/$r" == "$keep_a" || "releases/$r" == "$keep_b" ]] && continue
  if (( others < KEEP - 2 )); then others=$((others + 1)); continue; fi
  rm -rf "${RELEASES:?}/$r"
  say "removed old release $r"
  CHANGED=1
done

if [[ $CHANGED == 0 ]]; then say "offramp $VERSION already installed; nothing changed"; fi
