# Shell functions shared by scripts/db.sh and scripts/replica.sh (sourced, not run): secrets, the
# pid file of a private mariadbd, and stopping it. The caller defines PIDFILE, log and die.

new_secret() { head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32; }

# file: created 0600 before the secret is written into it; an existing secret is kept.
write_secret() {
  local file=$1
  [[ -s $file ]] && return 0
  (umask 077; new_secret >"$file")
}

# The pid of the running server, from PIDFILE; fails when none runs.
running_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid; pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# SIGTERM, then wait up to 60 s for a clean shutdown. what: named in the error ("mariadbd").
stop_server() {
  local what=$1 pid
  if ! pid=$(running_pid); then log "not running"; return 0; fi
  kill -TERM "$pid"
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { log "stopped"; return 0; }
    sleep 0.1
  done
  die "$what (pid $pid) did not stop within 60 s"
}
