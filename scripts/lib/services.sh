# PostgreSQL and Redis on loopback, shared by `make run` (scripts/run.sh, data kept under var/) and `make test`
# (scripts/with-services.sh, a throwaway directory). Source it; every function is safe to call as root (the
# PostgreSQL server refuses to run as root, so it runs as the postgres system user, created if missing).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_bin() {
  local dir
  dir=$(pg_config --bindir 2>/dev/null)
  if [ -x "$dir/postgres" ]; then echo "$dir"; return; fi
  dir=$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && dirname "$dir"
}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_prepare_dir() {  # DIR: make it the postgres user's when we are root (initdb wants an empty dir it owns)
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$1"
  fi
  chmod 700 "$1"
}

pg_init() {  # DATA_DIR LOG: a new cluster (UTF-8, C.UTF-8 collation, local trust) unless one is there already
  [ -f "$1/PG_VERSION" ] && return 0
  pg_prepare_dir "$1"
  as_pg "$(pg_bin)/initdb" -D "$1" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$2" 2>&1 || { cat "$2" >&2; return 1; }
}

pg_start() {  # DATA_DIR PORT SOCKET_DIR LOG [extra server options]: start and wait until it accepts connections
  local data=$1 port=$2 sockets=$3 log=$4
  shift 4
  mkdir -p "$sockets"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$sockets"
    touch "$log" && chown postgres "$log"
  fi
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -o "-c listen_addresses=127.0.0.1 -p $port -k $sockets $*" -l "$log" -w -t 60 start \
    >/dev/null || { tail -n 20 "$log" >&2; return 1; }
}

pg_stop() {  # DATA_DIR [mode: fast (default) or immediate]
  as_pg "$(pg_bin)/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}

pg_createdb() {  # PORT NAME: create the database unless it exists
  as_pg "$(pg_bin)/psql" -h 127.0.0.1 -p "$1" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$2'" \
    | grep -q 1 || as_pg "$(pg_bin)/createdb" -h 127.0.0.1 -p "$1" -U postgres "$2"
}

redis_start() {  # DIR PORT [persist: yes|no]: start in the background and wait for PONG
  local dir=$1 port=$2 persist=${3:-no}
  mkdir -p "$dir"
  local keep=(--save '' --appendonly no)
  [ "$persist" = yes ] && keep=(--save 60 1 --appendonly yes)
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes "${keep[@]}" \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" || return 1
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "Redis did not start; its log:" >&2
  tail -n 20 "$dir/redis.log" >&2
  return 1
}

redis_stop() {  # DIR PORT: save (when persistent) and stop
  redis-cli -p "$2" shutdown >/dev/null 2>&1 || { [ -f "$1/redis.pid" ] && kill "$(cat "$1/redis.pid")" 2>/dev/null; }
  for _ in $(seq 50); do [ -f "$1/redis.pid" ] && kill -0 "$(cat "$1/redis.pid")" 2>/dev/null || return 0; sleep 0.1; done
}
