# Start a throwaway PostgreSQL server on loopback and export LOOKALIKE_TEST_POSTGRES_URL.
# Sourced by .ci/run; safe to source again (an already running server is reused). Non-interactive.
PG_PORT="${LOOKALIKE_PG_PORT:-54329}"
PG_HOME="${LOOKALIKE_PG_HOME:-/tmp/lookalike-pg}"

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(_pg_bin)" ]; then  # Debian/Ubuntu packages
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN="$(_pg_bin)"
_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  rm -rf "$PG_HOME" && mkdir -p "$PG_HOME"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_HOME"
  _as_pg sh -c "echo postgres > '$PG_HOME/pw'"
  _as_pg "$PG_BIN/initdb" -D "$PG_HOME/data" -U postgres --pwfile="$PG_HOME/pw" \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  _as_pg "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w -s start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_HOME -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
_psql() { PGPASSWORD=postgres "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -tA "$@"; }
if [ "$(_psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'lookalike'")" != "1" ]; then
  _psql -c "CREATE ROLE lookalike LOGIN PASSWORD 'lookalike'"
fi
if [ "$(_psql -c "SELECT 1 FROM pg_database WHERE datname = 'lookalike'")" != "1" ]; then
  _psql -c "CREATE DATABASE lookalike OWNER lookalike"
fi
export LOOKALIKE_TEST_POSTGRES_URL="postgresql://lookalike:lookalike@127.0.0.1:$PG_PORT/lookalike"
