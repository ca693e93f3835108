#!/usr/bin/env bash
# Does the daemon's memory grow? Runs `timesync daemon --dry-run --mode ultrafast --own-servers`
# (a measure cycle every second) against 20 servers on loopback for DURATION seconds (default 180),
# with every server gone for the middle third (an outage: backoff, then recovery). Prints the heap
# in use after a full GC at the first third, after the outage and at the end, and the cycles run.
# One chronyd on the wildcard address answers on every 127.x address; it never touches the clock
# (-x). Needs chronyd and a JDK's jcmd. Not a test: prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${DURATION:-180}
jar=timesync-cli/target/timesync.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests -pl timesync-cli -am
chronyd=$(command -v chronyd || echo /usr/sbin/chronyd)
jcmd=$(command -v jcmd || echo "$(dirname "$(readlink -f "$(command -v java)")")/jcmd")
port=${PORT:-12124}
work=$(mktemp -d)
chmod 700 "$work"
. timesync-bench/scripts/loopback-chronyd.sh
start_chronyd() { start_loopback_chronyd "$chronyd" "$work" "$port"; }
# The system the dry run plans for: a chrony with a sourcedir, under a root of its own.
mkdir -p "$work/root/etc/chrony/sources.d"
echo "sourcedir /etc/chrony/sources.d" > "$work/root/etc/chrony/chrony.conf"
servers=()
for ((i = 1; i <= 20; i++)); do servers+=(--server "127.0.2.$i:$port"); done

start_chronyd
java -Xmx256m -jar "$jar" daemon --dry-run --mode ultrafast --own-servers --start-jitter 0s --service chrony \
  --root "$work/root" --state-dir "$work/state" --log-dir "$work/log" --samples 1 --timeout 200ms \
  "${servers[@]}" 2> "$work/daemon.err" &
daemon_pid=$!
trap 'kill $daemon_pid $chrony_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

heap() {  # heap in use after a full GC, in KiB
  "$jcmd" "$daemon_pid" GC.run > /dev/null
  "$jcmd" "$daemon_pid" GC.heap_info | awk '/used/ { for (i = 1; i < NF; i++) if ($i == "used") { sub("K", "", $(i+1)); print $(i+1); exit } }'
}
cycles() { grep -c '"event":"cycle"' "$work/log/status.jsonl" || true; }

third=$((duration / 3))
sleep "$third"
first=$(heap); c1=$(cycles)
echo "after ${third}s: heap_used_kib=$first cycles=$c1"
kill "$chrony_pid"; wait "$chrony_pid" 2>/dev/null || true
sleep "$third"
second=$(heap); c2=$(cycles)
echo "after the outage (${third}s more): heap_used_kib=$second cycles=$c2 state_lines=$(grep -c '"event":"state"' "$work/log/status.jsonl")"
start_chronyd
sleep "$third"
third_heap=$(heap); c3=$(cycles)
echo "after recovery (${third}s more): heap_used_kib=$third_heap cycles=$c3"
grep -o '"to":"[a-z]*"' "$work/log/status.jsonl" | tr '\n' ' '; echo
awk -v a="$first" -v b="$third_heap" 'BEGIN { printf "heap end/first = %.3f\n", b / a }'
