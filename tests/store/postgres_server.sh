#!/bin/sh
# A throwaway PostgreSQL server for the store tests: a fresh data directory, trust
# authentication for the user "ecsguard", listening on 127.0.0.1 at a free port and on a Unix
# socket inside the directory. Nothing outside DIR is touched.
#
#   postgres_server.sh start DIR          prints the admin URL; exit 77 when PostgreSQL's server
#                                         binaries are not installed (Debian package postgresql)
#   postgres_server.sh stop DIR           stops the server and deletes DIR
#   postgres_server.sh fixture-start STATE   for ctest: starts a server in a new temporary
#                                         directory; STATE gets two lines: the directory, then the
#                                         URL or "skip: <why>"
#   postgres_server.sh fixture-stop STATE
#
# PostgreSQL refuses to run as root; as root the server runs as the user "postgres" (or
# "nobody") and DIR is handed to that user.
set -eu

usage() { echo "usage: $0 start|stop DIR | fixture-start|fixture-stop STATE" >&2; exit 2; }
[ $# -eq 2 ] || usage

bin_dir() {
  # ECSGUARD_TEST_POSTGRES_BINDIR names the directory holding initdb and pg_ctl explicitly.
  if [ -n "${ECSGUARD_TEST_POSTGRES_BINDIR:-}" ]; then
    if [ -x "$ECSGUARD_TEST_POSTGRES_BINDIR/initdb" ] && [ -x "$ECSGUARD_TEST_POSTGRES_BINDIR/pg_ctl" ]; then
      echo "$ECSGUARD_TEST_POSTGRES_BINDIR"
      return 0
    fi
    return 1
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

server_user() {
  [ "$(id -u)" = 0 ] || return 0
  for u in postgres nobody; do
    if id -u "$u" >/dev/null 2>&1; then echo "$u"; return 0; fi
  done
  echo "running as root and there is no postgres or nobody user to run the server as" >&2
  exit 1
}

as_user() {
  user=$1; shift
  if [ -z "$user" ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$user" -- "$@"
  else
    su -s /bin/sh "$user" -c '"$0" "$@"' -- "$@"
  fi
}

random_port() {
  n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
  echo $((20000 + n % 40000))
}

start() {
  dir=$1
  bin=$(bin_dir) || {
    echo "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package postgresql" >&2
    exit 77
  }
  user=$(server_user)
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ -z "$user" ] || chown "$user" "$dir"
  if ! as_user "$user" "$bin/initdb" -D "$dir/data" -A trust -U ecsguard --no-sync -E UTF8 \
      --locale=C >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  attempt=0
  while :; do
    attempt=$((attempt + 1))
    port=$(random_port)
    if as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null 2>&1; then
      break
    fi
    if [ $attempt -ge 8 ] || ! grep -q -i -e "could not bind" -e "in use" -e "could not create" "$dir/server.log"; then
      echo "PostgreSQL did not start:" >&2
      cat "$dir/server.log" >&2
      exit 1
    fi
  done
  echo "postgresql://ecsguard@127.0.0.1:$port/postgres" >"$dir/url"
  cat "$dir/url"
}

stop() {
  dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(bin_dir) || true
    user=$(server_user)
    [ -z "$bin" ] || as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case $1 in
  start) start "$2" ;;
  stop) stop "$2" ;;
  fixture-start)
    state=$2
    [ ! -f "$state" ] || { "$0" fixture-stop "$state" || true; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/ecsguard-pg.XXXXXX")
    status=0
    url=$(start "$dir") || status=$?
    if [ $status -eq 77 ]; then
      printf '%s\nskip: PostgreSQL server binaries (initdb, pg_ctl) not found; install the Debian package postgresql\n' "$dir" >"$state"
    elif [ $status -ne 0 ]; then
      stop "$dir"
      exit $status
    else
      printf '%s\n%s\n' "$dir" "$url" >"$state"
    fi
    ;;
  fixture-stop)
    state=$2
    if [ -f "$state" ]; then
      dir=$(head -n 1 "$state")
      case $dir in
        */ecsguard-pg.*) stop "$dir" ;;
      esac
      rm -f "$state"
    fi
    ;;
  *) usage ;;
esac
