#!/usr/bin/env bash
# Wall time of `timesync optimize` over 1, 20 and 200 servers on loopback, with the pool's default
# politeness (4 requests per server, 2 s apart). One chronyd on the wildcard address answers on
# every 127.x.y.z address, so 200 servers need one process. It never touches the clock (-x) and
# serves only 127.0.0.0/8. Needs chronyd (apt-get install chrony). Not a test: prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."

jar=timesync-cli/target/timesync.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests -pl timesync-cli -am
chronyd=$(command -v chronyd || echo /usr/sbin/chronyd)
port=${PORT:-12123}
work=$(mktemp -d)
chmod 700 "$work"
. timesync-bench/scripts/loopback-chronyd.sh
chrony_pid=
trap 'kill $chrony_pid 2>/dev/null; wait $chrony_pid 2>/dev/null; rm -rf "$work"' EXIT
start_loopback_chronyd "$chronyd" "$work" "$port"

servers() {  # $1 servers: 127.0.1.1, 127.0.1.2, ... each its own candidate
  local args=()
  for ((i = 0; i < $1; i++)); do args+=(--server "127.0.$((1 + i / 250)).$((1 + i % 250)):$port"); done
  printf '%s\n' "${args[@]}"
}

run() {  # prints wall milliseconds of one optimize over $1 servers
  mapfile -t args < <(servers "$1")
  local start end
  start=$(date +%s%N)
  java -jar "$jar" optimize --json --dry-run --state-dir "$work/state" "${args[@]}" > "$work/out.json"
  end=$(date +%s%N)
  grep -q '"selected" : \[ "127\.0\.' "$work/out.json" || { echo "run over $1 servers selected nothing" >&2; exit 1; }
  echo $(((end - start) / 1000000))
}

run 1 > /dev/null  # warm the page cache and the JIT's class data
declare -A ms
for n in 1 20 200; do
  ms[$n]=$(run "$n")
  echo "servers=$n wall_ms=${ms[$n]}"
done
awk -v a="${ms[1]}" -v b="${ms[200]}" 'BEGIN { printf "ratio 200/1 = %.3f (target < 1.10)\n", b / a }'
