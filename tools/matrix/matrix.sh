#!/usr/bin/env bash
# make test-matrix: the README's `make test` and `make demo` on Debian 13's QGIS 3.40 (trixie) and
# 3.44 (trixie-backports), each in a debootstrap chroot built once and cached, and on this
# machine's own QGIS; then a table of versions, test counts, demo and whether the demo's parcel
# figures equal this machine's. `matrix.sh build` only builds the chroots. Settings (environment):
# see tools/matrix/README.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tools/matrix
cache=${MATRIX_CACHE:-/var/cache/qn_landconsol/matrix}
mirror=${MATRIX_MIRROR:-http://deb.debian.org/debian}
security=${MATRIX_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
targets=${MATRIX_TARGETS:-3.40 3.44}
out=${MATRIX_OUTPUT:-$root/matrix-output}
host_test_log=${MATRIX_HOST_TEST_LOG:-}
refresh=${MATRIX_REFRESH:-0}
# what the chroots get beyond the tree's own Makefile (PyQt6 with its uic: the Qt6 check of the .ui)
extra_packages="python3-pyqt6 pyqt6-dev-tools"
qgis_packages="python3-qgis qgis qgis-providers"

log() { printf '[matrix %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# quietly COMMAND...: its output to $cache/build.log, shown (the end of it) only when it fails
quietly() {
  local rc=0
  "$@" >> "$cache/build.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || { log "failed ($rc): $*; the end of $cache/build.log:"; tail -n 25 "$cache/build.log" >&2; }
  return $rc
}

# retry N COMMAND...: COMMAND up to N times, 15 s, 30 s ... apart
retry() {
  local n=$1 try=1; shift
  until "$@"; do
    [ "$try" -ge "$n" ] && return 1
    log "attempt $try of $n failed: $*; retrying in $((try * 15)) s"
    sleep $((try * 15)); try=$((try + 1))
  done
}

# ---- mounts: every mount under the cache is undone on exit, failure or interrupt -------------
mounts_under() {  # mount points beneath $1, deepest first
  awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r
}

release() {  # stop what still runs in a chroot at or beneath $1 (by pid), unmount all beneath it
  local dir=$1 pid r m
  [ -d "$dir" ] || return 0
  dir=$(realpath "$dir")
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    r=$(readlink "/proc/$pid/root" 2>/dev/null) || continue
    case $r in "$dir"|"$dir"/*) kill -9 "$pid" 2>/dev/null || true;; esac
  done
  for m in $(mounts_under "$dir"); do
    umount "$m" 2>/dev/null || umount -l "$m" || log "could not unmount $m"
  done
}

wipe() {  # rm -rf a chroot directory, never while anything is mounted beneath it
  release "$1"
  [ -z "$(mounts_under "$(realpath -m "$1")")" ] || die "still mounted beneath $1: not removing it"
  rm -rf --one-file-system "$1"
}

ACTIVE=""
cleanup() {
  local rc=$?
  [ -n "$ACTIVE" ] && release "$ACTIVE"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() {  # bind SOURCE TARGET [ro]
  if [ -d "$1" ]; then mkdir -p "$2"; else mkdir -p "$(dirname "$2")"; [ -e "$2" ] || : > "$2"; fi
  mount --bind "$1" "$2"
  [ "${3:-}" = ro ] && mount -o remount,bind,ro "$2" || true
}

enter() {  # mount /proc, /sys, /dev, the shared apt archive into chroot $1
  local dir=$1
  ACTIVE=$dir
  mount -t proc proc "$dir/proc"
  mount --rbind /sys "$dir/sys" && mount --make-rslave "$dir/sys"
  mount --rbind /dev "$dir/dev" && mount --make-rslave "$dir/dev"
  mkdir -p "$cache/debs"
  bind "$cache/debs" "$dir/var/cache/apt/archives"
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
}

leave() { release "$1"; ACTIVE=""; }

# the environment a command sees inside: clean, plus proxies and pip's settings from here
chroot_env() {
  local v
  printf '%s\n' HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  for v in $(compgen -e); do
    case $v in
      PIP_*|MATRIX_XFAIL|http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY) printf '%s=%s\n' "$v" "${!v}";;
    esac
  done
}

in_chroot() {  # in_chroot DIR COMMAND...
  local dir=$1 child; shift
  local envs=()
  mapfile -t envs < <(chroot_env)
  # in the background and waited for, so that a signal to this script alone is handled at once
  # (the trap's release() then stops what runs in the chroot)
  chroot "$dir" /usr/bin/env -i "${envs[@]}" "$@" &
  child=$!
  wait "$child"
}

apt_in() {  # apt-get ARGS... inside chroot $1, downloads retried
  local dir=$1; shift
  retry 3 quietly in_chroot "$dir" apt-get -q -y "$@" \
    || die "apt-get $* failed 3 times in $dir: network or mirror ($mirror)? Set MATRIX_MIRROR or http_proxy."
}

# ---- pip's configuration carried in: its files, and the local paths they name -----------------
pip_config_files() {  # "file place-in-the-chroot" of each pip configuration file here
  local f
  for f in /etc/pip.conf /etc/xdg/pip/pip.conf; do [ -f "$f" ] && echo "$f $f"; done
  for f in .pip/pip.conf .config/pip/pip.conf; do [ -f "$HOME/$f" ] && echo "$HOME/$f /root/$f"; done
  [ -n "${PIP_CONFIG_FILE:-}" ] && [ -f "$PIP_CONFIG_FILE" ] && echo "$PIP_CONFIG_FILE $PIP_CONFIG_FILE"
  return 0
}

carry_pip_config() {  # copy pip's files into chroot $1; bind local directories they name (ro)
  local dir=$1 f to p seen=" "
  # what an earlier run carried in goes first (no Debian package owns these files)
  rm -rf "$dir/etc/pip.conf" "$dir/etc/xdg/pip" "$dir/root/.pip" "$dir/root/.config/pip"
  while read -r f to; do
    mkdir -p "$dir$(dirname "$to")"
    cp -L "$f" "$dir$to"
  done < <(pip_config_files)
  # local paths in those files and in PIP_* (find-links, file:// indexes, constraint, cert ...)
  for p in $( { pip_config_files | while read -r f to; do cat "$f"; done; chroot_env | grep '^PIP_'; } \
              | grep -oE '(file://)?/[^ ,;"'"'"']+' | sed 's#^file://##' | sort -u); do
    [ -e "$p" ] || continue
    [ "$(basename "$p")" = simple ] && p=$(dirname "$p")   # an index's links point beside simple/
    case "$seen" in *" $p "*) continue;; esac
    seen="$seen$p "
    if [ -d "$p" ]; then
      bind "$p" "$dir$p" ro
    elif [ -f "$p" ] && ! cmp -s "$p" "$dir$p"; then
      mkdir -p "$dir$(dirname "$p")"; cp -L "$p" "$dir$p"
    fi
  done
}

# ---- the working tree: git ls-files plus uncommitted changes, without .venv ------------------
copy_tree() {  # copy_tree DEST
  local dest=$1
  rm -rf "$dest"; mkdir -p "$dest"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -xf - -C "$dest"
}

# ---- building the chroots (once; MATRIX_REFRESH=1 builds again) ------------------------------
built() { [ -e "$1/var/lib/qn-matrix/built" ] && [ "$refresh" != 1 ]; }

configure_apt() {  # configure_apt DIR SUITE: sources (with backports), fast quiet dpkg, no daemons
  local dir=$1 suite=$2
  cat > "$dir/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
deb $mirror $suite-backports main
SOURCES
  cat > "$dir/etc/apt/apt.conf.d/90matrix" <<'APT'
Acquire::Retries "5";
Acquire::Languages "none";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT
  cat > "$dir/etc/dpkg/dpkg.cfg.d/90matrix" <<'DPKG'
force-unsafe-io
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
DPKG
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"; chmod 755 "$dir/usr/sbin/policy-rc.d"
}

debootstrap_once() {  # DIR SUITE: minbase Debian; downloaded .debs stay in the cache for a retry
  wipe "$1"
  debootstrap --variant=minbase --include=make,ca-certificates --cache-dir="$cache/debs" \
    "$2" "$1" "$mirror" > "$cache/debootstrap.log" 2>&1
}

# build_bare NAME SUITE: Debian SUITE (debootstrap minbase), then the tree's own Makefile installs
# what it needs (the README's path on a bare machine) and the matrix's extra packages
build_bare() {
  local name=$1 suite=$2 dir=$cache/qgis-$1 tmp=$cache/qgis-$1.new t0=$SECONDS
  built "$dir" && return 0
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    retry 3 quietly apt-get install -y -q --no-install-recommends debootstrap || die "cannot install debootstrap"
  }
  log "building the QGIS $name chroot (bare Debian $suite, minbase) in $tmp; its log: $cache/build.log"
  mkdir -p "$cache/debs"
  retry 3 debootstrap_once "$tmp" "$suite" \
    || die "debootstrap $suite from $mirror failed 3 times (see $cache/debootstrap.log)"
  configure_apt "$tmp" "$suite"
  enter "$tmp"
  apt_in "$tmp" update
  copy_tree "$tmp/root/tree"
  retry 3 quietly in_chroot "$tmp" make -C /root/tree .make/apt \
    || die "the Makefile's apt step failed 3 times on Debian $suite (see $cache/build.log)"
  apt_in "$tmp" install $extra_packages
  rm -rf "$tmp/root/tree"
  mkdir -p "$tmp/var/lib/qn-matrix" && date -u +%FT%TZ > "$tmp/var/lib/qn-matrix/built"
  leave "$tmp"
  wipe "$dir"; mv "$tmp" "$dir"
  log "QGIS $name chroot built in $((SECONDS - t0)) s"
}

build_backports() {  # QGIS 3.44: a copy of the 3.40 chroot with QGIS from trixie-backports
  local dir=$cache/qgis-3.44 tmp=$cache/qgis-3.44.new t0=$SECONDS
  built "$dir" && return 0
  build_bare 3.40 trixie
  log "building the QGIS 3.44 chroot (copy of 3.40 + trixie-backports) in $tmp"
  wipe "$tmp"
  cp -a --reflink=auto "$cache/qgis-3.40" "$tmp"
  enter "$tmp"
  apt_in "$tmp" update
  apt_in "$tmp" install -t trixie-backports $qgis_packages
  date -u +%FT%TZ > "$tmp/var/lib/qn-matrix/built"
  leave "$tmp"
  wipe "$dir"; mv "$tmp" "$dir"
  log "QGIS 3.44 chroot built in $((SECONDS - t0)) s"
}

ensure_extra_packages() {  # packages added to $extra_packages after the chroot was built
  local dir=$1 p missing=""
  for p in $extra_packages; do
    in_chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $p"
  done
  [ -z "$missing" ] || { log "installing$missing"; apt_in "$dir" update; apt_in "$dir" install $missing; }
}

# ---- running one row -------------------------------------------------------------------------
realdata=$(realpath -m "${QN_REALDATA:-$root/../shared/realdata}")

run_chroot() {  # run_chroot NAME: the suite and the demo on a copy of the tree in chroot NAME
  local name=$1 dir=$cache/qgis-$1 t0=$SECONDS
  log "QGIS $name: copying the tree and running make test, make demo"
  enter "$dir"
  carry_pip_config "$dir"
  [ -d "$realdata" ] && bind "$realdata" "$dir/root/shared/realdata" ro
  copy_tree "$dir/root/tree"
  rm -rf "$dir/root/out" "$dir/root/reference-township"
  [ -d "$out/host/demo-output/township" ] && cp -a "$out/host/demo-output/township" "$dir/root/reference-township"
  ensure_extra_packages "$dir"
  in_chroot "$dir" env MATRIX_REFERENCE_TOWNSHIP=/root/reference-township \
    bash -c 'cd /root/tree && exec bash tools/matrix/row.sh /root/out' || true
  rm -rf "${out:?}/$name"; mkdir -p "$out"
  cp -a "$dir/root/out" "$out/$name"
  leave "$dir"
  log "QGIS $name: done in $((SECONDS - t0)) s"
}

run_host() {  # the host's own QGIS, in the tree itself (its .venv)
  local t0=$SECONDS
  log "host: make demo (the reference figures)${host_test_log:+, test results from $host_test_log}"
  rm -rf "${out:?}/host"
  (cd "$root" && bash tools/matrix/row.sh "$out/host" "$host_test_log") || true
  log "host: done in $((SECONDS - t0)) s"
}

main() {
  [ "$(id -u)" = 0 ] || die "make test-matrix needs root (debootstrap, chroot, mount)"
  mkdir -p "$cache" "$out"
  exec 9> "$cache/lock"
  flock -n 9 || { log "another matrix run holds $cache/lock: waiting"; flock 9; }
  : > "$cache/build.log"
  release "$cache"   # mounts left by a run that was killed
  local t0=$SECONDS t rows=(host)
  for t in $targets; do
    case $t in
      3.22) build_bare 3.22 bookworm;;   # a bare Debian 12, as the README promises (not by default)
      3.40) build_bare 3.40 trixie;;
      3.44) build_backports;;
      *) die "unknown target $t (3.22, 3.40 or 3.44)";;
    esac
  done
  log "chroots ready in $((SECONDS - t0)) s"
  [ "${1:-}" = build ] && return 0
  run_host
  for t in $targets; do run_chroot "$t"; rows+=("$t"); done
  log "matrix finished in $((SECONDS - t0)) s"
  (cd "$root" && .venv/bin/python tools/matrix/report.py "$out" "${rows[@]}")
}

main "$@"
