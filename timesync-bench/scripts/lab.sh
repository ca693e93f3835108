#!/usr/bin/env bash
# How accurate are NTP clients beyond loopback, and are their error bounds true? On one machine the
# truth is known: every server and every client reads the same kernel clock, so an honest server's
# true offset is 0 and any offset a client reports is error. For each impairment profile (PROFILES)
# this starts one honest chronyd on loopback (-x: never touches the clock) and, for each of RUNS runs
# and each client, an ImpairmentRelay in front of it (seed SEED+run: every client of a run meets the
# same path), then measures with 4 samples 2 s apart:
#   timesync      `timesync probe --json --samples 4`; its bound is errorBoundNs, else rootDistanceNs
#   chronyd -Q    `chronyd -Q 'server ... iburst maxsamples 4'`, directives on the command line only;
#                 its bound is the root distance of its best sample (delay/2 + dispersion + root
#                 delay/2 + root dispersion, from its measurements log)
#   commons-net   NTPUDPClient (CommonsNetProbe): the smallest-delay reply's offset, bound delay/2 +
#                 root delay/2 + root dispersion (commons-net works in whole milliseconds)
# The three clients of a run measure at the same time, each through its own relay (a whole run of
# the defaults takes about 5 minutes). Prints a Markdown table per profile and client: runs answered,
# median and 95th-percentile absolute error, how often the bound contained the truth, and the bound's
# median. Not a test: prints figures. Needs chronyd, java and python3.
# The loopback profile has no relay: every client asks chronyd directly, TimeSync both on the default
# java and on JAVA25 (kernel timestamps, if that JDK exists), and a second table gives each client's
# median delay and jitter (RMS of the other samples' offsets from the least-delay one's) beside its error.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${RUNS:-5}
seed=${SEED:-1}
profiles=${PROFILES:-loopback lan continental intercontinental-loss asymmetric bufferbloat route-change}
port_base=${PORT_BASE:-12400}
samples=4
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
cli=timesync-cli/target/timesync.jar
bench=timesync-bench/target/benchmarks.jar
if [ ! -f "$cli" ] || ! unzip -l "$bench" io/timesync/bench/lab/ImpairmentRelay.class > /dev/null 2>&1; then
  ./mvnw -B -q package -DskipTests -pl timesync-cli,timesync-bench -am
fi
chronyd=$(command -v chronyd || echo /usr/sbin/chronyd)
user=$(id -un)
# As root, chronyd would drop to its own user and could not write its logs under our directory.
if [ "$user" = root ]; then as=(-u root); else as=(-U -u "$user"); fi

work=$(mktemp -d)
chmod 700 "$work"
# Only this shell's jobs still running: the servers, relays and clients it started.
cleanup() {
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a relay on $1 in front of 127.0.0.1:$2 with profile $3 and seed $4; waits until it listens.
start_relay() {
  local out="$work/relay-$1.out"
  java -cp "$bench" io.timesync.bench.lab.ImpairmentRelay "$1" "127.0.0.1:$2" "$3" "$4" 120 > "$out" 2> "$out.err" &
  relay_pid=$!
  for ((i = 0; i < 100; i++)); do
    if grep -qs "^relaying" "$out"; then return 0; fi
    if ! kill -0 "$relay_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "lab.sh: the relay on port $1 did not start:" >&2
  cat "$out.err" >&2
  exit 1
}

# Each client prints one line to $results: profile, client, run, offset (ns or -), bound (ns or -), bound's name;
# and one to $paths: profile, client, run, delay (ns or -), jitter (ns or -).
results="$work/results.tsv"
paths="$work/paths.tsv"
: > "$results"
: > "$paths"

run_timesync() { # profile run port [client java]
  local json
  json=$("${5:-java}" -jar "$cli" probe --json --samples "$samples" "127.0.0.1:$3" 2> "$work/probe-$3.err" || true)
  python3 -c '
import json, sys
profile, run, client, paths = sys.argv[1:5]
try:
    server = json.loads(sys.stdin.read())["servers"][0]
except (ValueError, KeyError, IndexError):
    server = {}
offset = server.get("offsetNs")
name = "errorBoundNs" if server.get("errorBoundNs") is not None else "rootDistanceNs"
bound = server.get(name)
dash = lambda value: "-" if value is None else value
print(profile, client, run, dash(offset), dash(bound), name, sep="\t")
with open(paths, "a") as out:
    print(profile, client, run, dash(server.get("delayNs")), dash(server.get("jitterNs")), sep="\t", file=out)
' "$1" "$2" "${4:-timesync}" "$paths" <<< "$json" >> "$results"
}

run_chronyd() { # profile run port
  local logdir="$work/chronyd-q-$3" out offset bound
  mkdir -p "$logdir"
  out=$(timeout 60 "$chronyd" "${as[@]}" -Q -f /dev/null \
    "server 127.0.0.1 port $3 iburst maxsamples $samples" "logdir $logdir" "log measurements" 2>&1 || true)
  offset=$(sed -n 's/.*System clock wrong by \([-0-9.e+]*\) seconds.*/\1/p' <<< "$out" | tail -1)
  bound=$(awk '$1 ~ /^[0-9][0-9][0-9][0-9]-/ { d = $13 / 2 + $14 + $15 / 2 + $16; if (best == "" || d < best) best = d }
               END { if (best != "") printf "%.0f", best * 1e9 }' "$logdir/measurements.log" 2>/dev/null || true)
  if [ -n "$offset" ]; then offset=$(awk -v s="$offset" 'BEGIN { printf "%.0f", s * 1e9 }'); fi
  printf '%s\tchronyd -Q\t%s\t%s\t%s\troot distance\n' "$1" "$2" "${offset:--}" "${bound:--}" >> "$results"
  # The least-delay sample's delay, and the RMS of the others' offsets from its offset.
  awk -v p="$1" -v r="$2" '$1 ~ /^[0-9][0-9][0-9][0-9]-/ { o[n] = $12; d[n++] = $13 }
       END { if (n == 0) { printf "%s\tchronyd -Q\t%s\t-\t-\n", p, r; exit }
             b = 0; for (i = 1; i < n; i++) if (d[i] < d[b]) b = i
             s = 0; for (i = 0; i < n; i++) if (i != b) s += (o[i] - o[b]) ^ 2
             printf "%s\tchronyd -Q\t%s\t%.0f\t%.0f\n", p, r, d[b] * 1e9, (n > 1 ? sqrt(s / (n - 1)) : 0) * 1e9 }' \
    "$logdir/measurements.log" >> "$paths" 2>/dev/null || printf '%s\tchronyd -Q\t%s\t-\t-\n' "$1" "$2" >> "$paths"
}

run_commons_net() { # profile run port
  local line
  line=$(java -cp "$bench" io.timesync.bench.lab.CommonsNetProbe 127.0.0.1 "$3" "$samples" 2000 2> /dev/null || true)
  if [ -n "$line" ]; then
    printf '%s\tcommons-net\t%s\t%s\t%s\tdelay/2\n' "$1" "$2" "${line%% *}" "$(cut -d' ' -f2 <<< "$line")" >> "$results"
    printf '%s\tcommons-net\t%s\t%s\t-\n' "$1" "$2" "$(cut -d' ' -f3 <<< "$line")" >> "$paths"
  else
    printf '%s\tcommons-net\t%s\t-\t-\tdelay/2\n' "$1" "$2" >> "$results"
  fi
}

# Every client straight to chronyd: the JVM's own path against chronyd's.
run_loopback() { # run port
  local pids=()
  run_timesync loopback "$1" "$2" "timesync (java $java_version)" java & pids+=($!)
  if [ -x "$java25" ]; then
    run_timesync loopback "$1" "$2" "timesync (java $("$java25" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ { print $3 }'))" "$java25" & pids+=($!)
  fi
  run_chronyd loopback "$1" "$2" & pids+=($!)
  run_commons_net loopback "$1" "$2" & pids+=($!)
  wait "${pids[@]}"
}
java_version=$(java -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ { print $3 }')

index=0
for profile in $profiles; do
  server_port=$((port_base + 10 * index))
  index=$((index + 1))
  cat > "$work/chrony-$server_port.conf" <<CONF
port $server_port
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 8
cmdport 0
pidfile $work/chronyd-$server_port.pid
CONF
  "$chronyd" -x -d "${as[@]}" -f "$work/chrony-$server_port.conf" > "$work/chronyd-$server_port.log" 2>&1 &
  server_pid=$!
  sleep 1
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "lab.sh: chronyd on port $server_port did not start (PORT_BASE picks other ports):" >&2
    cat "$work/chronyd-$server_port.log" >&2
    exit 1
  fi
  for ((run = 1; run <= runs; run++)); do
    echo "lab.sh: $profile, run $run of $runs" >&2
    if [ "$profile" = loopback ]; then
      run_loopback "$run" "$server_port"
      continue
    fi
    start_relay $((server_port + 1)) "$server_port" "$profile" $((seed + run)); relay_a=$relay_pid
    start_relay $((server_port + 2)) "$server_port" "$profile" $((seed + run)); relay_b=$relay_pid
    start_relay $((server_port + 3)) "$server_port" "$profile" $((seed + run)); relay_c=$relay_pid
    run_timesync "$profile" "$run" $((server_port + 1)) &
    client_a=$!
    run_chronyd "$profile" "$run" $((server_port + 2)) &
    client_b=$!
    run_commons_net "$profile" "$run" $((server_port + 3)) &
    client_c=$!
    wait "$client_a" "$client_b" "$client_c"
    kill "$relay_a" "$relay_b" "$relay_c" 2>/dev/null || true
    wait "$relay_a" "$relay_b" "$relay_c" 2>/dev/null || true
  done
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
done

python3 - "$results" "$runs" "$paths" <<'PY'
import math, sys
from collections import OrderedDict

rows = OrderedDict()
for line in open(sys.argv[1]):
    profile, client, run, offset, bound, name = line.rstrip("\n").split("\t")
    rows.setdefault((profile, client), []).append((offset, bound, name))

def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2

def p95(values):
    values = sorted(values)
    return values[max(0, math.ceil(0.95 * len(values)) - 1)]

def fmt(ns):
    if ns is None:
        return "-"
    if abs(ns) >= 1_000_000:
        return "%.2f ms" % (ns / 1e6)
    return "%.0f µs" % (ns / 1e3)

print("| profile | client | answered | median error | p95 error | bound contained truth | median bound (bound) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
profiles = list(OrderedDict.fromkeys(profile for profile, _ in rows))
order = lambda client: (0, client) if client.startswith("timesync") else (1 + ["chronyd -Q", "commons-net"].index(client), client)
for (profile, client), results in sorted(rows.items(), key=lambda row: (profiles.index(row[0][0]), order(row[0][1]))):
    answered = [(int(o), None if b == "-" else int(b), n) for o, b, n in results if o != "-"]
    errors = [abs(o) for o, _, _ in answered]
    bounds = [b for _, b, _ in answered if b is not None]
    contained = sum(1 for o, b, _ in answered if b is not None and abs(o) <= b)
    names = sorted({n for _, _, n in answered}) or ["-"]
    print("| %s | %s | %d/%s | %s | %s | %d/%d | %s (%s) |" % (
        profile, client, len(answered), sys.argv[2],
        fmt(median(errors)) if errors else "-", fmt(p95(errors)) if errors else "-",
        contained, len(answered), fmt(median(bounds)) if bounds else "-", ", ".join(names)))

paths = OrderedDict()
for line in open(sys.argv[3]):
    profile, client, run, delay, jitter = line.rstrip("\n").split("\t")
    if profile == "loopback":
        paths.setdefault(client, []).append((delay, jitter))
if paths:
    print()
    print("| loopback client | median delay | median jitter | median error |")
    print("| --- | --- | --- | --- |")
    for client in sorted(paths, key=order):
        delays = [int(d) for d, _ in paths[client] if d != "-"]
        jitters = [int(j) for _, j in paths[client] if j != "-"]
        errors = [abs(int(o)) for o, _, _ in rows.get(("loopback", client), []) if o != "-"]
        fine = lambda values: "-" if not values else "%.1f µs" % (median(values) / 1e3) if median(values) < 1e6 else fmt(median(values))
        print("| %s | %s | %s | %s |" % (client, fine(delays), fine(jitters), fine(errors)))
PY
