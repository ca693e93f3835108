# Sourced by the benchmark scripts: one chronyd on the wildcard address, which answers on every
# 127.x address (so one process stands in for many servers) and never touches the clock (-x).
# Sets chrony_pid; its config, pid file and log go in the directory given.

# start_loopback_chronyd CHRONYD DIRECTORY PORT
start_loopback_chronyd() {
  local chronyd=$1 dir=$2 port=$3 as
  cat > "$dir/chrony.conf" <<CONF
port $port
bindaddress 0.0.0.0
allow 127.0.0.0/8
local stratum 2
cmdport 0
pidfile $dir/chronyd.pid
CONF
  if [ "$(id -u)" -eq 0 ]; then as=(-u root); else as=(-U -u "$(id -un)"); fi
  "$chronyd" -x -d "${as[@]}" -f "$dir/chrony.conf" > "$dir/chronyd.log" 2>&1 &
  chrony_pid=$!
  sleep 1
}
