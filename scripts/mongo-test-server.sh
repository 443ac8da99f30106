#!/usr/bin/env bash
#
# A throw-away MongoDB-wire server for the test suite (see DESIGN.md, Tests).
#
#   scripts/mongo-test-server.sh start DIR   print a mongodb:// URI, one line
#   scripts/mongo-test-server.sh stop DIR    stop the server, remove DIR
#   scripts/mongo-test-server.sh build       build bin/ferretdb-test if stale
#
# `start` picks, in this order:
#
#   1. MONGO_TEST_URI, if set: prints it and starts nothing;
#   2. a `mongod` on PATH: started on a free TCP port on 127.0.0.1 with
#      DIR/data as its dbpath;
#   3. FerretDB v1.24.2 (Apache 2.0) on its SQLite backend in DIR/data, on a
#      free port on 127.0.0.1: bin/ferretdb-test, a small Go program
#      (tests/ferretdb) that embeds it.  It is built with `go build` on first
#      use and whenever it is older than its sources; that needs Go >= 1.24
#      (`go` on PATH, else /usr/local/go/bin/go) and the Go module proxy, and
#      takes one to two minutes the first time, a few seconds after that.
#
# MONGO_TEST_SERVER=mongod or =ferretdb skips the other one (default: auto).
# MONGO_TEST_START_TIMEOUT (seconds, default 60) bounds the wait for the
# port to accept a connection; the FerretDB build is not counted in it.
#
# The URI printed is mongodb://127.0.0.1:PORT/ for the servers started here
# (no auth, no TLS), or MONGO_TEST_URI as given.  DIR (a fresh, empty or not
# yet existing directory, normally from mktemp -d) holds DIR/data, DIR/pid
# (the server's pid), DIR/uri and DIR/log (the server's output).  The server
# runs in the background, detached from the caller's stdout, until `stop`.
# On failure `start` says why on stderr (with the end of DIR/log), exits
# non-zero and leaves no server running; DIR stays for inspection and
# `stop DIR` removes it.
#
# `stop` is quiet and idempotent: it sends SIGTERM to the server if one
# runs, SIGKILL if it is still there 5 seconds later, and removes DIR; a DIR
# that is already gone is fine.
#
# FerretDB v1.24.2 has only $sum and $count as $group accumulators, and no
# $lookup or date operators ($month, $dateToString, ...): keep what the
# tests ask of the server to what both it and MongoDB do.  Two more of its
# limits are the tools' business, not this script's: a $group gives every
# accumulator after the first no documents (FerretDB issue 4616; see
# mongo-export(1)), and endSessions, which drivers send on close, is
# unknown (libmongoc's warning about it is not shown by the tools).

set -euo pipefail

prog=${0##*/}
marker=.mongo-test-server # written into DIR by start; stop removes only such dirs
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
src=$root/tests/ferretdb
bin=$root/bin/ferretdb-test
min_go_minor=24 # FerretDB v1.24.2 needs Go 1.24
no_mongo="no MongoDB: set MONGO_TEST_URI, install mongod, or install Go >= 1.$min_go_minor for FerretDB"

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

usage() {
	printf 'usage: %s start DIR | stop DIR | build\n' "$prog" >&2
	exit 2
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
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
			if [[ $port =~ ^[0-9]+$ && $port != 27017 ]]; then
				printf '%s\n' "$port"
				return 0
			fi
			: "$i"
		done
	fi
	# No python3: random ports that nothing accepts a connection on.
	for i in $(seq 1 100); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
		if ! port_open "$port"; then
			printf '%s\n' "$port"
			return 0
		fi
		: "$i"
	done
	die "no free TCP port found on 127.0.0.1"
}

# Does 127.0.0.1:PORT accept a TCP connection?
port_open() {
	# shellcheck disable=SC2016 # $1 is for the inner bash
	timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# Is PID running (a zombie, dead but not yet reaped by us, is not)?
alive() {
	local pid=$1 stat
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) } # after "PID (COMM) ": the state letter
	[[ ${stat:0:1} != Z ]]
}

# Is PID running and the server of DIR (not a recycled pid)?
is_our_server() {
	local pid=$1 cmdline
	alive "$pid" || return 1
	cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	[[ $cmdline == *"$dir/data"* ]]
}

# kill_server PID [started]: SIGTERM, then SIGKILL after 5 s; returns once
# PID is gone (or 2 s after SIGKILL).  Without "started", PID (from
# DIR/pid) must be the server of DIR; with it, PID is a child this very
# run started, which may not have exec'd the server yet.
kill_server() {
	local pid=$1 i
	if [[ ${2:-} == started ]]; then
		alive "$pid" || return 0
	else
		is_our_server "$pid" || return 0
	fi
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do
		alive "$pid" || return 0
		sleep 0.1
		: "$i"
	done
	kill -KILL "$pid" 2>/dev/null || return 0
	for i in $(seq 1 20); do
		alive "$pid" || return 0
		sleep 0.1
		: "$i"
	done
}

# ---- FerretDB build ---------------------------------------------------------

# The go command to use (Go >= 1.24), or nothing.
find_go() {
	local go ver minor
	for go in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
		[[ -n $go && -x $go ]] || continue
		ver=$(GOTOOLCHAIN=local "$go" env GOVERSION 2>/dev/null) || continue
		# go1.26.8, go1.24rc1, devel ...: need go1.N with N >= 24
		if [[ $ver =~ ^go1\.([0-9]+) ]]; then
			minor=${BASH_REMATCH[1]}
			if ((minor >= min_go_minor)); then
				printf '%s\n' "$go"
				return 0
			fi
		fi
	done
	return 1
}

# True when bin/ferretdb-test is missing or older than what it is built from.
ferretdb_stale() {
	[[ -x $bin ]] || return 0
	[[ -n $(find "$src/main.go" "$src/go.mod" "$src/go.sum" \
		"${BASH_SOURCE[0]}" -newer "$bin" -print -quit 2>/dev/null) ]]
}

# Build bin/ferretdb-test from tests/ferretdb (stock FerretDB from the Go
# module proxy).  The binary is replaced with mv, so servers still running
# the old one are unharmed.
build_ferretdb() {
	local go=$1 rc=0
	mkdir -p "$root/bin"
	(
		cd "$src"
		export GOTOOLCHAIN=local CGO_ENABLED=0
		"$go" build -o "$bin.tmp.$$" . &&
			mv -f "$bin.tmp.$$" "$bin"
	) || rc=$?
	rm -f "$bin.tmp.$$"
	return "$rc"
}

# Make sure bin/ferretdb-test is up to date; build output goes to stderr.
ensure_ferretdb() {
	local go lock fd
	if [[ -x $bin ]] && ! ferretdb_stale; then
		return 0
	fi
	go=$(find_go) || die "$no_mongo"
	mkdir -p "$root/bin"
	lock=$root/bin/.ferretdb-build.lock
	# Parallel starts: one builds, the others wait for it.
	if command -v flock >/dev/null 2>&1; then
		exec {fd}>"$lock"
		flock -w 900 "$fd" || die "timed out waiting for another build ($lock)"
	fi
	if ferretdb_stale; then
		printf '%s: building %s with %s (%s; the first build takes a minute or two)\n' \
			"$prog" "${bin#"$root"/}" "$go" "$(GOTOOLCHAIN=local "$go" env GOVERSION)" >&2
		build_ferretdb "$go" >&2 ||
			die "building FerretDB failed (output above); $no_mongo"
	fi
	if [[ -n ${fd:-} ]]; then
		exec {fd}>&-
	fi
}

# ---- start ------------------------------------------------------------------

dir=
server_pid=

# On any failed start: stop whatever we started, show the log.
start_cleanup() {
	local rc=$?
	if ((rc != 0)); then
		if [[ -n $server_pid ]]; then
			kill_server "$server_pid" started
		fi
		rm -f -- "$dir/pid"
		if [[ -s $dir/log ]]; then
			printf '%s: last lines of %s:\n' "$prog" "$dir/log" >&2
			tail -n 15 "$dir/log" | sed 's/^/  /' >&2
		fi
		printf '%s: start failed; no server left running (remove %s with: %s stop %s)\n' \
			"$prog" "$dir" "$0" "$dir" >&2
	fi
	exit "$rc"
}

# Wait until the server's port accepts a connection, the server dies, or
# the deadline passes.  For FerretDB the port is known once it printed its
# URI into DIR/uri; for mongod it is given.
wait_ready() {
	local port=$1 deadline=$2
	while :; do
		if [[ -z $port && -s $dir/uri ]]; then
			port=$(sed -n 's|^mongodb://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$dir/uri")
			[[ -n $port ]] || die "unexpected output from $bin: $(head -c 200 "$dir/uri")"
		fi
		if [[ -n $port ]] && port_open "$port"; then
			return 0
		fi
		alive "$server_pid" || return 1
		((SECONDS < deadline)) || return 2
		sleep 0.1
	done
}

start_mongod() {
	local deadline=$1 mongod port attempt rc
	mongod=$(command -v mongod)
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		printf '%s: starting %s on 127.0.0.1:%s (attempt %s)\n' \
			"$prog" "$mongod" "$port" "$attempt" >>"$dir/log"
		"$mongod" --dbpath "$dir/data" --bind_ip 127.0.0.1 --port "$port" \
			--nounixsocket --wiredTigerCacheSizeGB 0.25 \
			--setParameter diagnosticDataCollectionEnabled=false \
			</dev/null >>"$dir/log" 2>&1 &
		server_pid=$!
		printf '%s\n' "$server_pid" >"$dir/pid"
		rc=0
		wait_ready "$port" "$deadline" || rc=$?
		if ((rc == 0)); then
			printf 'mongodb://127.0.0.1:%s/\n' "$port" >"$dir/uri"
			return 0
		fi
		if ((rc == 2)); then
			die "mongod did not accept connections within ${start_timeout}s (see $dir/log)"
		fi
		# It died: another process grabbed the port? Then try another.
		server_pid=
		tail -n 30 "$dir/log" | grep -qi 'address already in use' ||
			die "mongod exited at start (see $dir/log); MONGO_TEST_SERVER=ferretdb uses FerretDB instead"
	done
	die "mongod: no free port after 5 attempts (see $dir/log)"
}

start_ferretdb() {
	local deadline=$1 rc=0
	printf '%s: starting %s\n' "$prog" "$bin" >>"$dir/log"
	# Port 0: the kernel picks a free port, so no race with other starts.
	"$bin" -listen 127.0.0.1:0 -dir "$dir/data" </dev/null >"$dir/uri" 2>>"$dir/log" &
	server_pid=$!
	printf '%s\n' "$server_pid" >"$dir/pid"
	wait_ready "" "$deadline" || rc=$?
	case $rc in
	0) ;;
	2) die "FerretDB did not accept connections within ${start_timeout}s (see $dir/log)" ;;
	*) die "FerretDB exited at start (see $dir/log)" ;;
	esac
}

cmd_start() {
	local kind=${MONGO_TEST_SERVER:-auto} deadline

	start_timeout=${MONGO_TEST_START_TIMEOUT:-60}
	[[ $start_timeout =~ ^[0-9]+$ ]] ||
		die "MONGO_TEST_START_TIMEOUT: not a number of seconds: $start_timeout"
	case $kind in
	auto | mongod | ferretdb) ;;
	*) die "MONGO_TEST_SERVER: expected auto, mongod or ferretdb, got '$kind'" ;;
	esac

	[[ -e $dir && ! -d $dir ]] && die "$dir: exists and is not a directory"
	mkdir -p -- "$dir" || die "$dir: cannot create"
	dir=$(cd "$dir" && pwd -P)
	[[ $dir != / ]] || die "refusing to use / as DIR"
	if [[ -n $(ls -A "$dir") ]]; then
		die "$dir: not empty (give a fresh directory, e.g. from mktemp -d)"
	fi
	: >"$dir/$marker"

	if [[ -n ${MONGO_TEST_URI:-} ]]; then
		printf '%s\n' "$MONGO_TEST_URI" >"$dir/uri"
		printf '%s\n' "$MONGO_TEST_URI"
		return 0
	fi

	if [[ $kind == mongod ]] && ! command -v mongod >/dev/null 2>&1; then
		die "MONGO_TEST_SERVER=mongod but there is no mongod on PATH"
	fi
	if [[ $kind == ferretdb ]] || ! command -v mongod >/dev/null 2>&1; then
		kind=ferretdb
		ensure_ferretdb # before the clock starts: the first build is slow
	else
		kind=mongod
	fi

	mkdir "$dir/data"
	chmod 700 "$dir/data"
	: >"$dir/log"
	trap start_cleanup EXIT
	# The server must not keep the caller's working directory busy.
	cd /

	deadline=$((SECONDS + start_timeout))
	"start_$kind" "$deadline"

	trap - EXIT
	cat "$dir/uri"
}

# ---- stop -------------------------------------------------------------------

cmd_stop() {
	local pid

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
	if [[ -f $dir/pid ]]; then
		pid=$(<"$dir/pid")
		kill_server "$pid"
		if is_our_server "$pid"; then
			die "cannot stop the server (pid $pid) in $dir"
		fi
	fi
	rm -rf -- "$dir"
}

# ---- main -------------------------------------------------------------------

start_timeout=60
case ${1:-} in
start | stop)
	(($# == 2)) || usage
	[[ -n $2 ]] || usage
	dir=$2
	"cmd_$1"
	;;
build)
	(($# == 1)) || usage
	ensure_ferretdb
	printf '%s\n' "$bin"
	;;
*) usage ;;
esac
