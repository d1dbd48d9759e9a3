# Shell functions shared by the bench scripts (sourced, not run): a free port, stopping a process,
# starting limsd and waiting for its port, and the HTTP helpers. The caller defines log, die and
# LIMSD (the binary), and exports limsd's LIMS_* settings with LIMS_HTTP_PORT_FILE=<dir>/port.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_pid() {  # pid: TERM, wait up to 10 s, then KILL
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Starts limsd in `dir` (its log appended to dir/limsd.log) and waits up to 60 s for the port it
# writes to dir/port; sets LIMSD_PID and URL.
start_limsd() {
  local dir=$1
  rm -f "$dir/port"
  (cd "$dir" && exec "$LIMSD" >>"$dir/limsd.log" 2>&1) &
  LIMSD_PID=$!
  for _ in $(seq 1 600); do
    [[ -s $dir/port ]] && break
    kill -0 "$LIMSD_PID" 2>/dev/null || { tail -20 "$dir/limsd.log"; die "limsd exited during start-up"; }
    sleep 0.1
  done
  [[ -s $dir/port ]] || die "limsd did not start within 60 s"
  URL="http://127.0.0.1:$(cat "$dir/port")"
}

api() {  # method path token body -> response body; fails on a non-2xx status
  curl -sS --fail-with-body --max-time "${API_TIMEOUT:-60}" -X "$1" "$URL$2" -H 'Content-Type: application/json' \
    ${3:+-H "Authorization: Bearer $3"} ${4:+--data "$4"}
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
