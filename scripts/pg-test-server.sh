#!/usr/bin/env bash
#
# A throw-away PostgreSQL cluster for the test suite (see DESIGN.md, Tests).
#
#   scripts/pg-test-server.sh start DIR   print a libpq URI, one line
#   scripts/pg-test-server.sh stop DIR    stop the cluster, remove DIR
#
# `start` makes DIR (a fresh, empty or not yet existing directory, normally
# from mktemp -d) hold everything: DIR/data (the cluster), DIR/sock (its
# private Unix socket directory) and DIR/log (initdb and server output).  It
# runs initdb (user "dataops", trust auth, UTF8), starts the server on a free
# TCP port on 127.0.0.1 (never 5432, never a system cluster's), creates the
# database dataops_test and prints
#
#   postgresql://dataops@127.0.0.1:PORT/dataops_test
#
# Any local OS user can connect with it (TCP + trust).  On failure it says
# why on stderr (with the end of DIR/log), exits non-zero and leaves no
# server running; DIR stays for inspection and `stop DIR` removes it.
#
# `stop` is quiet and idempotent: it stops the server (immediate mode) if
# one runs and removes DIR; a DIR that is already gone is fine.
#
# Binaries: the newest /usr/lib/postgresql/*/bin (Debian's postgresql
# package), else initdb on PATH; PG_BINDIR=/path/to/bin overrides.  When run
# as root the server runs as the "postgres" system user (runuser), which then
# owns DIR; otherwise it runs as the calling user.

set -euo pipefail

prog=${0##*/}
marker=.pg-test-server # written into DIR by start; stop removes only such dirs

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

usage() {
	printf 'usage: %s start DIR | stop DIR\n' "$prog" >&2
	exit 2
}

# Keep the caller's libpq and locale settings (PGHOST, PGPORT, PGDATA,
# PGSSLMODE, LC_ALL=xx_YY...) away from our own initdb/pg_ctl/createdb.
user_bindir=${PG_BINDIR:-}
while IFS= read -r var; do
	unset "$var"
done < <(compgen -e | grep '^PG' || true)
export LC_ALL=C

# Anything run as the cluster's owner goes through as_owner; owner_user is
# set by start (postgres when root) and by stop (whoever owns DIR/data).
owner_user=
as_owner() {
	if [[ -n $owner_user ]]; then
		runuser -u "$owner_user" -- "$@"
	else
		"$@"
	fi
}

find_bindir() {
	local d best=
	if [[ -n $user_bindir ]]; then
		best=$user_bindir
	else
		# highest version first (sort -V: 9.6 < 15 < 16)
		best=$(for d in /usr/lib/postgresql/*/bin; do
			if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
				printf '%s\n' "$d"
			fi
		done | sort -V | tail -n 1)
		if [[ -z $best ]] && command -v initdb >/dev/null 2>&1; then
			best=$(dirname "$(command -v initdb)")
		fi
	fi
	[[ -n $best ]] ||
		die "no PostgreSQL server binaries (install Debian's postgresql package, or set PG_BINDIR)"
	for d in initdb pg_ctl postgres createdb; do
		[[ -x $best/$d ]] || die "$best/$d: not found or not executable"
	done
	printf '%s\n' "$best"
}

# A TCP port on 127.0.0.1 that nothing listens on right now (never 5432).
free_port() {
	local port i
	if command -v python3 >/dev/null 2>&1; then
		for i in 1 2 3 4 5; do
			port=$(python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null) || port=
			if [[ $port =~ ^[0-9]+$ && $port != 5432 ]]; then
				printf '%s\n' "$port"
				return 0
			fi
			: "$i"
		done
	fi
	# No python3: random ports that `ss` does not show as listening.
	command -v ss >/dev/null 2>&1 || die "need python3 or ss to find a free port"
	for i in $(seq 1 100); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
		if ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
			printf '%s\n' "$port"
			return 0
		fi
		: "$i"
	done
	die "no free TCP port found on 127.0.0.1"
}

# ---- start ----------------------------------------------------------------

bindir=
dir=

# On any failed start: stop whatever we started, show the log.
start_cleanup() {
	local rc=$?
	if ((rc != 0)); then
		if [[ -f $dir/data/postmaster.pid ]]; then
			as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop \
				>/dev/null 2>&1 || true
		fi
		if [[ -s $dir/log ]]; then
			printf '%s: last lines of %s:\n' "$prog" "$dir/log" >&2
			tail -n 15 "$dir/log" | sed 's/^/  /' >&2
		fi
		printf '%s: start failed; no server left running (remove %s with: %s stop %s)\n' \
			"$prog" "$dir" "$0" "$dir" >&2
	fi
	exit "$rc"
}

cmd_start() {
	local port locale_opts sockpath attempt started=0

	bindir=$(find_bindir)

	[[ -e $dir && ! -d $dir ]] && die "$dir: exists and is not a directory"
	mkdir -p -- "$dir" || die "$dir: cannot create"
	dir=$(cd "$dir" && pwd -P)
	[[ $dir != / ]] || die "refusing to use / as DIR"
	if [[ -n $(ls -A "$dir") ]]; then
		die "$dir: not empty (give a fresh directory, e.g. from mktemp -d)"
	fi

	# Unix socket paths are limited to 107 bytes: DIR/sock/.s.PGSQL.NNNNN
	sockpath="$dir/sock/.s.PGSQL.65535"
	((${#sockpath} <= 107)) ||
		die "$dir: path too long for a Unix socket directory (use a shorter one, e.g. under /tmp)"

	: >"$dir/$marker"
	mkdir "$dir/data" "$dir/sock"
	chmod 700 "$dir/data"
	: >"$dir/log"

	trap start_cleanup EXIT

	if [[ $(id -u) == 0 ]]; then
		id -u postgres >/dev/null 2>&1 ||
			die "running as root but there is no 'postgres' system user (install the postgresql package, or run as a normal user)"
		owner_user=postgres
		chown -R postgres: "$dir"
		as_owner test -w "$dir/data" -a -x "$dir/data" ||
			die "$dir: the postgres user cannot reach it (a parent directory is closed to it; use one under /tmp)"
	fi
	# The owner may not be able to enter the caller's working directory.
	cd /

	if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
		locale_opts=(-E UTF8 --locale=C.UTF-8)
	else
		locale_opts=(-E UTF8 --no-locale)
	fi
	# --no-sync: nothing here has to survive a crash.
	as_owner "$bindir/initdb" -D "$dir/data" --auth=trust --username=dataops \
		"${locale_opts[@]}" --no-sync >>"$dir/log" 2>&1 ||
		die "initdb failed (see $dir/log)"

	# This is a throw-away test cluster: durability is traded for speed
	# (fsync, synchronous_commit and full_page_writes off).  Never copy these
	# settings to a cluster that holds data anyone cares about.
	cat >>"$dir/data/postgresql.conf" <<-EOF

		# --- $prog: throw-away test cluster, no durability ---
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$dir/sock'
		max_connections = 50
		fsync = off
		synchronous_commit = off
		full_page_writes = off
	EOF

	# The port goes on the command line (pg_ctl -o) so a retry can pick
	# another one when a parallel start took ours between check and bind.
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		printf '%s: starting on 127.0.0.1:%s (attempt %s)\n' \
			"$prog" "$port" "$attempt" >>"$dir/log"
		if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" \
			-o "-p $port" -w -t 30 start >/dev/null 2>&1; then
			started=1
			break
		fi
		# Did another process grab the port? Then try another; else give up.
		if [[ -f $dir/data/postmaster.pid ]]; then
			as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop \
				>/dev/null 2>&1 || true
		fi
		tail -n 20 "$dir/log" | grep -q 'could not bind\|Address already in use' ||
			break
	done
	((started)) || die "the server did not start (see $dir/log)"

	"$bindir/createdb" -h 127.0.0.1 -p "$port" -U dataops dataops_test \
		>>"$dir/log" 2>&1 ||
		die "createdb dataops_test failed (see $dir/log)"

	trap - EXIT
	printf 'postgresql://dataops@127.0.0.1:%s/dataops_test\n' "$port"
}

# ---- stop -----------------------------------------------------------------

cmd_stop() {
	local owner

	[[ -e $dir ]] || return 0
	[[ -d $dir ]] || die "$dir: not a directory"
	dir=$(cd "$dir" && pwd -P)
	if [[ ! -e $dir/$marker ]]; then
		# Not ours: remove it only if it is empty.
		[[ -z $(ls -A "$dir") ]] ||
			die "$dir: not made by '$prog start'; not removing it"
		rmdir -- "$dir"
		return 0
	fi

	if [[ -f $dir/data/postmaster.pid ]]; then
		if [[ $(id -u) == 0 ]]; then
			owner=$(stat -c %U "$dir/data")
			[[ $owner == root ]] || owner_user=$owner
		fi
		cd /
		bindir=$(find_bindir)
		if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop \
			>/dev/null 2>&1; then
			# Fine if it was not running (stale pid file); not if it still is.
			if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
				die "cannot stop the server in $dir/data"
			fi
		fi
	fi
	rm -rf -- "$dir"
}

# ---- main -----------------------------------------------------------------

(($# == 2)) || usage
[[ -n $2 ]] || usage
dir=$2
case $1 in
start) cmd_start ;;
stop) cmd_stop ;;
*) usage ;;
esac
