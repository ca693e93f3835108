#!/usr/bin/env bash
# Does a fleet booted in the same second herd onto the pool? Simulates 10,000 agents (AGENTS, SEED)
# over the real Schedule (the daemon) and over the packaged systemd timer as ServiceFiles writes it
# (periodic 'timesync sync'): requests per second to one pool name in the first 10 minutes and in
# steady state, and the shortest time between two polls of one server by one agent. The last line is
# peak/mean=X (the busiest second over the steady-state mean, for the worse fleet); exits 1 when that
# is above 2.0 or an agent polls a server again within 64 s. No network: a simulation (FleetHerd).
set -euo pipefail
cd "$(dirname "$0")/../.."

jar=timesync-bench/target/benchmarks.jar
# Built from this tree each time, with what is in it (package only: nothing goes to ~/.m2).
./mvnw -q -o -B -pl timesync-bench -am package -DskipTests
exec java -cp "$jar" io.timesync.bench.FleetHerd "${AGENTS:-10000}" "${SEED:-1}"
