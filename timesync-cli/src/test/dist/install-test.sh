#!/usr/bin/env bash
# Installs the built packages on this machine and runs TimeSync from the installed files:
# - the .deb: dpkg -i, 'timesync --version', 'timesync doctor --json', man pages (one per command),
#   completion, units and the Prometheus rules in place, then dpkg -r and dpkg -P, and nothing with
#   'timesync' in its name is left behind;
# - the tar.gz: unpacked to a temporary directory, 'bin/timesync --version' and 'doctor --json'.
# Needs root and the output of './mvnw verify' (timesync-cli/target). CI runs it from .ci/run;
# it refuses to run where a timesync package is already installed, so it never removes one it did not put there.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
target=timesync-cli/target
deb=$target/timesync.deb
tarball=$(ls "$target"/timesync-*.tar.gz | head -n 1)

fail() { echo "install-test: FAIL: $*" >&2; exit 1; }
step() { echo "install-test: $*"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i)"
[ -f "$deb" ] || fail "$deb is missing: run ./mvnw verify first"
if dpkg-query -W -f '${Status}' timesync 2>/dev/null | grep -q installed; then
  fail "a timesync package is already installed here; remove it first (this test never touches one it did not install)"
fi

# doctor's JSON: one document with the ten checks; its exit code is 0, 1, 69, 73 or 77 depending on
# this machine (no chronyd runs in CI: 69), never a crash (70) or a usage error (64).
check_doctor() {
  local out rc=0
  out=$("$@" doctor --json --server 127.0.0.1:9 --samples 1 --timeout 200ms) || rc=$?
  case $rc in 0|1|69|73|77) ;; *) fail "'$* doctor --json' exited $rc: $out" ;; esac
  printf '%s' "$out" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
ids = [c["id"] for c in doc["checks"]]
assert ids == ["privileges", "time-service", "synchronised", "dns", "ntp", "state-dir", "log-dir", "lock", "leap",
               "offset"], ids
assert doc["status"] in ("pass", "warn", "fail") and isinstance(doc["exitCode"], int)
' || fail "'$* doctor --json' printed no valid report: $out"
  step "'$* doctor --json' reported $(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])') (exit $rc)"
}

# Everything with 'timesync' in its name, outside scratch space, to compare before and after.
leftovers() {
  find /usr /etc /lib /var/lib /var/log /var/cache /opt -xdev -name '*timesync*' 2>/dev/null | sort
}

# --- tar.gz ---------------------------------------------------------------------------------------
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar xzf "$tarball" -C "$unpacked"
home=$(ls -d "$unpacked"/timesync-*)
for f in bin/timesync lib/timesync.jar man/man1/timesync.1 man/man1/timesync-probe.1 \
         man/man1/timesync-service-install.1 completion/timesync systemd/timesync.service \
         systemd/timesync.timer systemd/timesync-agent.service prometheus/timesync.rules.yml README.md \
         docs/commands/probe.md; do
  [ -e "$home/$f" ] || fail "$f is missing from $tarball"
done
# The launcher's class-data archive goes to a cache of this test's own.
cache=$unpacked/cache
TIMESYNC_CACHE_DIR=$cache "$home/bin/timesync" --version | grep -q '^timesync ' || fail "bin/timesync --version from the tar.gz"
ls "$cache"/timesync-*.jsa >/dev/null 2>&1 || fail "the first run of bin/timesync made no class-data archive in $cache"
check_doctor env TIMESYNC_CACHE_DIR="$cache" "$home/bin/timesync"

# --- .deb -----------------------------------------------------------------------------------------
# The package depends on a Java 17 runtime; dpkg -i does not fetch dependencies, so make sure one is here.
# (The list is read whole first: grep -q closing the pipe early would fail it under pipefail.)
packages=$(dpkg-query -W -f '${Status} ${Provides}\n' 2>/dev/null)
if ! printf '%s\n' "$packages" | grep 'install ok installed' | grep -q 'java17-runtime-headless'; then
  step "installing default-jre-headless, the package's dependency"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless
fi
before=$(leftovers)
step "dpkg -i $deb"
# From here on a failure still purges what this test installed.
trap 'rm -rf "$unpacked"; if [ -z "${purged:-}" ]; then dpkg -P timesync >/dev/null 2>&1 || true; fi' EXIT
dpkg -i "$deb"
installed=$(dpkg -L timesync | while read -r f; do [ -f "$f" ] && echo "$f"; done)
for f in /usr/bin/timesync /usr/share/timesync/lib/timesync.jar /usr/share/man/man1/timesync.1.gz \
         /usr/share/bash-completion/completions/timesync /usr/share/zsh/vendor-completions/_timesync \
         /lib/systemd/system/timesync.service \
         /lib/systemd/system/timesync.timer /lib/systemd/system/timesync-agent.service \
         /usr/share/timesync/prometheus/timesync.rules.yml /usr/share/doc/timesync/README.md \
         /usr/share/doc/timesync/docs/commands/probe.md; do
  printf '%s\n' "$installed" | grep -qx "$f" || fail "$f is not installed by the package"
done
cmp -s timesync-cli/src/main/dist/prometheus/timesync.rules.yml /usr/share/timesync/prometheus/timesync.rules.yml \
  || fail "the installed Prometheus rules differ from timesync-cli/src/main/dist/prometheus/timesync.rules.yml"
# promtool, where .ci/run unpacked it, checks the rules as installed.
if [ -n "${TIMESYNC_PROMTOOL:-}" ] && [ -x "$TIMESYNC_PROMTOOL" ]; then
  "$TIMESYNC_PROMTOOL" check rules /usr/share/timesync/prometheus/timesync.rules.yml >/dev/null \
    || fail "promtool check rules rejects the installed rules"
fi
# Every man page the build made, one per command (timesync-probe.1.gz, timesync-service-install.1.gz, ...).
pages=0
for page in "$target"/dist-files/man/man1/*.1.gz; do
  f=/usr/share/man/man1/$(basename "$page")
  printf '%s\n' "$installed" | grep -qx "$f" || fail "$f is not installed by the package"
  cmp -s "$page" "$f" || fail "$f differs from the page the build made"
  pages=$((pages + 1))
done
[ "$pages" -ge 12 ] || fail "only $pages man pages in $target/dist-files/man/man1"
[ "$(command -v timesync)" = /usr/bin/timesync ] || fail "timesync on PATH is $(command -v timesync), not /usr/bin/timesync"
timesync --version | grep -q '^timesync ' || fail "timesync --version from the installed files"
# postinst made the class-data archive for this JVM, and the launcher uses it.
ls /var/cache/timesync/timesync-*.jsa >/dev/null 2>&1 || fail "postinst made no class-data archive in /var/cache/timesync"
timesync --version >/dev/null || fail "timesync --version with the class-data archive"
check_doctor timesync
[ ! -e /var/lib/timesync ] || fail "doctor created /var/lib/timesync (it must change nothing)"
zcat /usr/share/man/man1/timesync.1.gz | grep -qF '\fBtimesync\-doctor\fP(1)' || fail "timesync(1) does not list timesync-doctor(1)"
# man finds the page of a nested command by its git-style name.
if ! command -v man >/dev/null 2>&1; then
  step "installing man-db to look the pages up with man"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq man-db >/dev/null
fi
for name in timesync timesync-probe timesync-service-install; do
  [ "$(man -w "$name")" = "/usr/share/man/man1/$name.1.gz" ] || fail "man -w $name finds '$(man -w "$name" 2>&1)'"
done
bash -n /usr/share/bash-completion/completions/timesync || fail "the completion script does not parse"
# zsh finds _timesync in its vendor-completions and runs picocli's script for it.
if ! command -v zsh >/dev/null 2>&1; then
  step "installing zsh to check the zsh completion"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zsh >/dev/null
fi
[ "$(zsh -f -c 'autoload -U compinit; compinit -u -D; print -r -- $_comps[timesync]')" = _timesync ] \
  || fail "zsh does not pick up /usr/share/zsh/vendor-completions/_timesync"
completed=$(zsh -f -c 'autoload -U compinit; compinit -u -D; autoload -U +X bashcompinit && bashcompinit
  source /usr/share/bash-completion/completions/timesync; emulate -L sh
  COMP_WORDS=(timesync doc); COMP_CWORD=1; COMP_LINE="timesync doc"; COMP_POINT=12; _complete_timesync
  print -r -- "${COMPREPLY[@]}"' 2>/dev/null)
# (Under zsh the script offers every candidate and zsh's own matching keeps those that fit the word.)
case " $completed " in
  *" doctor "*) ;;
  *) fail "under zsh the completion offers '$completed' for 'timesync doc', without 'doctor'" ;;
esac
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify --man=no /lib/systemd/system/timesync.service /lib/systemd/system/timesync.timer /lib/systemd/system/timesync-agent.service \
    || fail "systemd-analyze rejects the packaged units"
  for unit in timesync.service timesync-agent.service; do
    level=$(systemd-analyze security --offline=true --no-pager "/lib/systemd/system/$unit" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    awk -v l="$level" 'BEGIN { exit !(l != "" && l <= 4.0) }' || fail "$unit is rated exposure '$level' by systemd-analyze security (at most 4.0)"
  done
fi

# What an agent leaves at run time, which only purge may remove.
mkdir -p /var/lib/timesync /var/log/timesync
echo '{}' > /var/lib/timesync/memo.json
echo 'run' > /var/log/timesync/status.log

step "dpkg -r timesync"
dpkg -r timesync
for f in $installed; do
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
[ -e /var/lib/timesync/memo.json ] || fail "dpkg -r removed the state; only purge may"
[ ! -e /var/cache/timesync ] || fail "dpkg -r left the class-data archive in /var/cache/timesync"
step "dpkg -P timesync"
dpkg -P timesync
purged=1
if dpkg-query -W -f '${Status}' timesync 2>/dev/null | grep -qv 'not-installed'; then
  fail "dpkg still knows timesync: $(dpkg-query -W -f '${Status}' timesync)"
fi
after=$(leftovers)
# Only what the package added counts: purge may also remove state that was there before it.
left=$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
[ -z "$left" ] || fail "left behind after purge: $left"
step "ok: installed, ran, removed and purged; nothing left behind"
