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
#
# MODE=daemon compares the two ways an ultrafast daemon with its own servers can poll: for each
# profile and run, two dry-run daemons (`timesync daemon --mode ultrafast --own-servers --dry-run`)
# watch the same chronyd for DURATION seconds (default 90), each through its own relay with the same
# seed: "run per poll" (`"runPerPoll": true`: 4 samples 2 s apart at every poll, the within-run
# filter) and "filter across polls" (one request per poll, RFC 5905's clock filter over the last 8
# polls). Every measure cycle's offset is a decision's; the table gives how many decisions a minute
# and their median and 95th-percentile error (PROFILES defaults to lan and bufferbloat, RUNS to 1).
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=${MODE:-clients}
case "$mode" in
  clients)
    runs=${RUNS:-5}
    profiles=${PROFILES:-loopback lan continental intercontinental-loss asymmetric bufferbloat route-change} ;;
  daemon)
    runs=${RUNS:-1}
    profiles=${PROFILES:-lan bufferbloat} ;;
  *)
    echo "lab.sh: MODE must be clients or daemon, got '$mode'" >&2
    exit 64 ;;
esac
seed=${SEED:-1}
duration=${DURATION:-90}
port_base=${PORT_BASE:-12400}
samples=4
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
cli=timesync-cli/target/timesync.jar
bench=timesync-bench/target/benchmarks.jar
if [ ! -f "$cli" ] || ! unzip -l "$bench" io/timesync/testing/lab/ImpairmentRelay.class > /dev/null 2>&1; then
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

# Starts a relay on $1 in front of 127.0.0.1:$2 with profile $3 and seed $4 for $5 seconds (default
# 120); waits until it listens.
start_relay() {
  local out="$work/relay-$1.out"
  java -cp "$bench" io.timesync.testing.lab.ImpairmentRelay "$1" "127.0.0.1:$2" "$3" "$4" "${5:-120}" > "$out" 2> "$out.err" &
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

# Starts an honest chronyd on port $1 (server_pid), -x: it never touches the clock.
start_server() {
  cat > "$work/chrony-$1.conf" <<CONF
port $1
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 8
cmdport 0
pidfile $work/chronyd-$1.pid
CONF
  "$chronyd" -x -d "${as[@]}" -f "$work/chrony-$1.conf" > "$work/chronyd-$1.log" 2>&1 &
  server_pid=$!
  sleep 1
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "lab.sh: chronyd on port $1 did not start (PORT_BASE picks other ports):" >&2
    cat "$work/chronyd-$1.log" >&2
    exit 1
  fi
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

# A dry-run daemon needs a time service to plan for: chrony's configuration under a root of its own,
# never read by a running chronyd (with its own servers polled every second it never reads the service).
mkdir -p "$work/root/etc/chrony/sources.d"
printf 'sourcedir /etc/chrony/sources.d\n' > "$work/root/etc/chrony/chrony.conf"

run_daemon() { # profile run port way config
  local dir="$work/daemon-$3-run$2"
  mkdir -p "$dir"
  printf '%s\n' "$5" > "$dir/config.json"
  java -jar "$cli" daemon --mode ultrafast --own-servers --dry-run --config "$dir/config.json" --root "$work/root" \
    --state-dir "$dir/state" --log-dir "$dir/logs" --server "127.0.0.1:$3" --start-jitter 0s --max-stratum 15 \
    > "$dir/out" 2> "$dir/err" &
  local daemon=$!
  sleep "$duration"
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  python3 -c '
import json, sys
profile, run, way, path = sys.argv[1:5]
times, offsets = [], []
try:
    lines = open(path).read().splitlines()
except OSError:
    lines = []
for line in lines:
    cycle = json.loads(line)
    if cycle.get("event") == "cycle" and cycle.get("kind") == "measure" and cycle.get("offsetNs") is not None:
        times.append(cycle["time"])
        offsets.append(cycle["offsetNs"])
def seconds(text):
    from datetime import datetime, timezone
    whole, _, fraction = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp() + float("0." + (fraction or "0"))
span = "%.3f" % (seconds(times[-1]) - seconds(times[0])) if len(times) > 1 else "-"
print(profile, way, run, span, ",".join(str(o) for o in offsets) or "-", sep="\t")
' "$1" "$2" "$4" "$dir/logs/status.jsonl" > "$dir/result.tsv"
}

# The three clients of a run, each through its own relay with the run's seed.
run_clients() { # profile run server-port
  echo "lab.sh: $1, run $2 of $runs" >&2
  start_relay $(($3 + 1)) "$3" "$1" $((seed + $2)); relay_a=$relay_pid
  start_relay $(($3 + 2)) "$3" "$1" $((seed + $2)); relay_b=$relay_pid
  start_relay $(($3 + 3)) "$3" "$1" $((seed + $2)); relay_c=$relay_pid
  run_timesync "$1" "$2" $(($3 + 1)) &
  client_a=$!
  run_chronyd "$1" "$2" $(($3 + 2)) &
  client_b=$!
  run_commons_net "$1" "$2" $(($3 + 3)) &
  client_c=$!
  wait "$client_a" "$client_b" "$client_c"
  kill "$relay_a" "$relay_b" "$relay_c" 2>/dev/null || true
  wait "$relay_a" "$relay_b" "$relay_c" 2>/dev/null || true
}

# The two daemons of a run, each through its own relay with the run's seed.
run_daemons() { # profile run server-port
  echo "lab.sh: daemons on $1, run $2 of $runs, $duration s" >&2
  start_relay $(($3 + 1)) "$3" "$1" $((seed + $2)) $((duration + 30)); relay_a=$relay_pid
  start_relay $(($3 + 2)) "$3" "$1" $((seed + $2)) $((duration + 30)); relay_b=$relay_pid
  run_daemon "$1" "$2" $(($3 + 1)) "run per poll" '{"runPerPoll": true}' &
  client_a=$!
  run_daemon "$1" "$2" $(($3 + 2)) "filter across polls" '{}' &
  client_b=$!
  wait "$client_a" "$client_b"
  # A line each, tens of kilobytes long: appended one after the other, never by two writers at once.
  cat "$work/daemon-$(($3 + 1))-run$2/result.tsv" "$work/daemon-$(($3 + 2))-run$2/result.tsv" >> "$results"
  kill "$relay_a" "$relay_b" 2>/dev/null || true
  wait "$relay_a" "$relay_b" 2>/dev/null || true
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
  start_server "$server_port"
  for ((run = 1; run <= runs; run++)); do
    if [ "$mode" = daemon ]; then
      run_daemons "$profile" "$run" "$server_port"
    elif [ "$profile" = loopback ]; then
      echo "lab.sh: $profile, run $run of $runs" >&2
      run_loopback "$run" "$server_port"
    else
      run_clients "$profile" "$run" "$server_port"
    fi
  done
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
done

python3 - "$results" "$runs" "$mode" "$paths" <<'PY'
import math, sys
from collections import OrderedDict

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

def ordered(rows, names):
    profiles = list(OrderedDict.fromkeys(profile for profile, _ in rows))
    return sorted(rows.items(), key=lambda row: (profiles.index(row[0][0]), names.index(row[0][1])))

rows = OrderedDict()
if sys.argv[3] == "daemon":
    for line in open(sys.argv[1]):
        profile, way, run, span, offsets = line.rstrip("\n").split("\t")
        entry = rows.setdefault((profile, way), {"decisions": 0, "seconds": 0.0, "errors": []})
        if offsets != "-":
            values = [abs(int(o)) for o in offsets.split(",")]
            entry["errors"] += values
            entry["decisions"] += len(values) - 1
        if span != "-":
            entry["seconds"] += float(span)
    print("| profile | way | decisions a minute | median error | p95 error |")
    print("| --- | --- | --- | --- | --- |")
    for (profile, way), e in ordered(rows, ["run per poll", "filter across polls"]):
        errors = e["errors"]
        rate = "%.1f" % (60 * e["decisions"] / e["seconds"]) if e["seconds"] > 0 else "-"
        print("| %s | %s | %s | %s | %s |" % (profile, way, rate,
            fmt(median(errors)) if errors else "-", fmt(p95(errors)) if errors else "-"))
    sys.exit(0)

for line in open(sys.argv[1]):
    profile, client, run, offset, bound, name = line.rstrip("\n").split("\t")
    rows.setdefault((profile, client), []).append((offset, bound, name))

print("| profile | client | answered | median error | p95 error | bound contained truth | median bound (bound) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
order = lambda client: (0, client) if client.startswith("timesync") else (1 + ["chronyd -Q", "commons-net"].index(client), client)
profiles = list(OrderedDict.fromkeys(profile for profile, _ in rows))
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
for line in open(sys.argv[4]):
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
