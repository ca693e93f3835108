#!/usr/bin/env bash
# What TimeSync costs a machine, through the packaged launcher (bin/timesync of the built tar.gz),
# beside chronyd:
# - the daemon in each mode (--dry-run --own-servers, 3 servers on loopback, so ultrafast measures
#   every second): RSS, threads and CPU after 40 s and at the end of DURATION seconds (default 150),
#   and its CPU share over the steady part of the run (from 10 s on);
# - one-shot 'probe --samples 1' and 'sync --dry-run': CPU (user + sys) and wall, median of RUNS
#   (default 5), through the launcher, then with the class-data archive off (TIMESYNC_CDS=off), then
#   as a plain 'java -jar' without the launcher's settings, so that what each saves shows;
# - beside every CPU figure the load average over the last minute, since other work on the machine
#   inflates them (RSS and threads are not affected). MODES picks the daemon's modes (default all three).
# - chronyd: the serving chronyd's RSS and CPU over the same runs, and 'chronyd -Q' measuring once.
# One chronyd on the wildcard address answers on every 127.x address and never touches the clock (-x).
# Not a test: prints a table. Needs chronyd; builds the tar.gz with the wrapper if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${DURATION:-150}
modes=${MODES:-ultrafast fast lazy}
runs=${RUNS:-5}
port=${PORT:-12125}
tarball=$(ls timesync-cli/target/timesync-*.tar.gz 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
  ./mvnw -B -q package -DskipTests -pl timesync-cli -am
  tarball=$(ls timesync-cli/target/timesync-*.tar.gz | head -n 1)
fi
chronyd=$(command -v chronyd || echo /usr/sbin/chronyd)
work=$(mktemp -d)
chmod 700 "$work"
tar xzf "$tarball" -C "$work"
timesync=$(ls -d "$work"/timesync-*/bin/timesync)
jar=$(dirname "$timesync")/../lib/timesync.jar
export TIMESYNC_CACHE_DIR=$work/cache
unset TIMESYNC_JAVA_OPTS TIMESYNC_CDS

. timesync-bench/scripts/loopback-chronyd.sh
chrony_pid=
daemon_pid=
trap 'kill $daemon_pid $chrony_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
start_loopback_chronyd "$chronyd" "$work" "$port"
# The system the dry runs plan for: a chrony with a sourcedir, under a root of its own.
mkdir -p "$work/root/etc/chrony/sources.d"
echo "sourcedir /etc/chrony/sources.d" > "$work/root/etc/chrony/chrony.conf"
servers=(--server "127.0.3.1:$port" --server "127.0.3.2:$port" --server "127.0.3.3:$port")

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
threads() { ls "/proc/$1/task" | wc -l; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() { printf '| %-46s | %-22s | %-22s | %-12s |\n' "$@"; }
load() { cut -d' ' -f1 /proc/loadavg; }
echo "TimeSync $("$timesync" --version | head -n 1 | cut -d' ' -f2), $(java -version 2>&1 | head -n 1), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "chronyd: $("$chronyd" --version | head -n 1)"
echo
row "one-shot (median of $runs)" "CPU user+sys" "wall" "load average"
row "---" "---" "---" "---"

# One command, RUNS times: the medians of CPU (user + sys of the process and its children) and wall.
oneshot() {
  local label=$1; shift
  local cpu=() wall=() t0 t1 c0 c1
  for ((i = 0; i < runs; i++)); do
    read -r c0 < <(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    read -r c1 < <(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
    cpu+=("$(awk -v a="$c0" -v b="$c1" -v hz="$hz" 'BEGIN { printf "%.3f", (b - a) / hz }')")
    wall+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
  done
  row "$label" "$(printf '%s\n' "${cpu[@]}" | median) s" "$(printf '%s\n' "${wall[@]}" | median) s" "$(load)"
}

probe=(probe --samples 1 "127.0.3.1:$port")
sync=(sync --dry-run --service chrony --root "$work/root" --samples 1 "${servers[@]}")
"$timesync" --version > /dev/null # makes the class-data archive, as the package's post-install does
oneshot "probe --samples 1, launcher" "$timesync" "${probe[@]}"
oneshot "probe --samples 1, launcher, TIMESYNC_CDS=off" env TIMESYNC_CDS=off "$timesync" "${probe[@]}"
oneshot "probe --samples 1, plain java -jar" java -jar "$jar" "${probe[@]}"
oneshot "sync --dry-run, launcher" "$timesync" "${sync[@]}"
oneshot "sync --dry-run, plain java -jar" java -jar "$jar" "${sync[@]}"
oneshot "chronyd -Q, one server, one sample" "$chronyd" -Q -f /dev/null "server 127.0.3.1 port $port iburst maxsamples 1"
echo

row "daemon --dry-run --own-servers, 3 servers" "after 40 s" "after ${duration} s" "load average"
row "---" "---" "---" "---"
for mode in $modes; do
  state=$work/state-$mode
  "$timesync" daemon --dry-run --mode "$mode" --own-servers --start-jitter 0s --service chrony --root "$work/root" \
    --state-dir "$state" --log-dir "$state/log" --samples 1 "${servers[@]}" > /dev/null 2> "$work/daemon-$mode.err" &
  daemon_pid=$!
  sleep 10
  c10=$(cpu_ticks "$daemon_pid")
  sleep 30
  at40="$(rss_mib "$daemon_pid") MiB, $(threads "$daemon_pid") threads"
  c40=$(cpu_ticks "$daemon_pid")
  load40=$(load)
  sleep $((duration - 40))
  c_end=$(cpu_ticks "$daemon_pid")
  at_end="$(rss_mib "$daemon_pid") MiB, $(threads "$daemon_pid") threads"
  cycles=$(grep -c '"event":"cycle"' "$state/log/status.jsonl" || true)
  row "$mode: RSS, threads" "$at40" "$at_end" ""
  row "$mode: CPU from 10 s on (share of one core)" \
    "$(awk -v a="$c10" -v b="$c40" -v hz="$hz" 'BEGIN { printf "%.2f %%", 100 * (b - a) / hz / 30 }')" \
    "$(awk -v a="$c10" -v b="$c_end" -v hz="$hz" -v d="$duration" 'BEGIN { printf "%.2f %%", 100 * (b - a) / hz / (d - 10) }')" \
    "$load40, $(load)"
  row "$mode: cycles logged, total CPU" "" "$cycles, $(awk -v c="$c_end" -v hz="$hz" 'BEGIN { printf "%.2f s", c / hz }')" ""
  kill "$daemon_pid"
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=
done
row "chronyd serving them all: RSS, threads" "" "$(rss_mib "$chrony_pid") MiB, $(threads "$chrony_pid") threads" ""
row "chronyd serving them all: total CPU" "" "$(awk -v c="$(cpu_ticks "$chrony_pid")" -v hz="$hz" 'BEGIN { printf "%.2f s", c / hz }')" ""
