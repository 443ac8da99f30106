#!/usr/bin/env bats
# Injected faults and secrets (issue 7: part 2, and the secrets of part 3),
# against real servers: a server killed or stopped (kill -STOP) in the
# middle of a load or an export, a full disk, a closed output pipe,
# SIGTERM and SIGINT, a generator killed mid-stream, an allocation that
# fails (tests/fixtures/failmalloc.c, preloaded), a wrong password, TLS
# that fails, and passwords in the URIs.  Each test ends with invariant L
# where it applies: input lines = loaded + rejected, every accepted record
# in MongoDB once (pymongo) and counted once in the tables (psql), a
# published file replaced only by rename.
#
# Faults tested elsewhere, not again here:
#   tests/pg-load.bats    pg-load killed (-9) mid-COPY; its session ended by
#                         pg_terminate_backend mid-COPY (75); an unreachable
#                         or silent server (69); passwords in every form of
#                         PG_URI never shown; a --rejects file on /dev/full
#   tests/pg-export.bats  /dev/full (74); | head -n 1; the session ended
#                         while rows come (75); a silent server (69)
#   tests/mongo-export.bats
#                         the server killed mid-export (75, the documents
#                         written counted); the cursor lost mid-stream (a
#                         proxy, 75); | head -n 1 (141); /dev/full (74); a
#                         silent server (69)
#   tests/mongo-load.bats the server killed mid-load (75); the connection cut
#                         while a batch is in flight (a proxy, 75); a load
#                         killed and loaded again converges; a silent server
#                         (69); refused credentials (69); a bad line after
#                         whole batches leaves no half load
#   tests/pipeline.bats   MongoDB killed during a refresh; PostgreSQL stopped
#                         during the load; PostgreSQL down, then up within
#                         the retries; psql gets the password through
#                         PGPASSWORD; .env readable by others warned about
#   tests/gen-sales.bats, tests/agg-by-*.bats, tests/report*.bats
#                         /dev/full (74); SIGPIPE ignored (74); report -o
#                         into a read-only or missing directory (74)
#
# Tests that kill or stop a server start a private one.  The stall tests
# hold the MongoDB programs to 60 s, the bound mongo-load(1) and
# mongo-export(1) document (socketTimeoutMS, unless MONGO_URI sets it), and
# the PostgreSQL programs to 20 s with PGCONNECT_TIMEOUT=2 (pg-load(1),
# pg-export(1) and report(1) give a server that stops answering up after
# about twice the connect timeout): a program still running then is killed
# and the test fails.  Measured times go to the TAP
# output as "# measured: ..." lines.  No bare `wait` here: with
# BATS_TEST_TIMEOUT, bats' own timer is a background job of the test.

# JSON and SQL in single quotes on purpose; $status, $output, $stderr and
# $lines come from bats.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

SYSPY=/usr/bin/python3 # Debian's, with psycopg2 and pymongo
SILENT=$DATAOPS_ROOT/tests/fixtures/mongo-silent-server.py
TLS_SERVER=$DATAOPS_ROOT/tests/fixtures/tls-server.py
# The bound the stall tests hold every program to: the MongoDB programs'
# socket timeout, as their man pages give it.
STALL_BOUND=60
# The connect timeout of the PostgreSQL stall tests, and their bound: the
# server given up after about twice the connect timeout, plus room for a
# loaded machine.
PG_STALL_TIMEOUT=2
PG_STALL_BOUND=20
# How pg-load, pg-export and report word a server that stopped answering.
PG_STALLED='the server did not answer for [0-9]+ s \(checked with a new connection\)'

setup_file() {
	pg_setup
	mongo_setup
	# the allocation-failure shim, built for this run (not by make)
	FAILMALLOC=$BATS_FILE_TMPDIR/failmalloc.so
	if ! cc -shared -fPIC -O1 -o "$FAILMALLOC" \
	    "$DATAOPS_ROOT/tests/fixtures/failmalloc.c" -ldl \
	    >"$BATS_FILE_TMPDIR/failmalloc.log" 2>&1; then
		FAILMALLOC=
	fi
	export FAILMALLOC
}

teardown_file() {
	mongo_teardown
	pg_teardown
}

setup() {
	common_setup
	CLEANUP=$BATS_TEST_TMPDIR/cleanup
	: >"$CLEANUP"
}

# Whatever a test started is stopped, even when it failed half-way: one
# command a line in $CLEANUP, run last first.
teardown() {
	local cmd

	if [[ -s $CLEANUP ]]; then
		while IFS= read -r cmd; do
			eval "$cmd" >/dev/null 2>&1 || true
		done < <(tac "$CLEANUP")
	fi
	mongo_private_stop
}

at_teardown() {
	printf '%s\n' "$*" >>"$CLEANUP"
}

# ---- helpers: processes and time ------------------------------------------

# gone PID: PID has exited (a zombie has).
gone() {
	local stat

	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	[[ ${stat:0:1} == Z ]]
}

# fault_now: the fault happens now; since_fault prints the seconds since.
fault_now() {
	FAULT_AT=$EPOCHREALTIME
	FAULT_SECONDS=$SECONDS
}

since_fault() {
	awk -v a="$FAULT_AT" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# measured WHAT: a line in the TAP output with the seconds since the fault.
measured() {
	printf '# measured: %s: %s s\n' "$1" "$took" >&3
}

# timed_wait PID LIMIT: wait until LIMIT seconds after the fault for the
# background job PID to end: its exit status in $rc, the seconds since the
# fault in $took.  Still running then: kill it (-9), fail.
timed_wait() {
	local pid=$1 deadline=$((FAULT_SECONDS + $2))

	while ! gone "$pid"; do
		if ((SECONDS >= deadline)); then
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			took="over $2 (still running: killed)"
			fail "still running $2 s after the fault (killed)"
			return 1
		fi
		sleep 0.05
	done
	took=$(since_fault)
	rc=0
	wait "$pid" || rc=$?
}

# descendant ROOT NAME: the pid of a process called NAME below pid ROOT.
descendant() {
	ps -e -o pid=,ppid=,comm= | awk -v root="$1" -v name="$2" '
		{ parent[$1] = $2; if ($3 == name) named[$1] = 1 }
		END {
			for (p in named)
				for (q = parent[p]; q > 1; q = parent[q])
					if (q == root) { print p; exit 0 }
			exit 1
		}'
}

# ---- helpers: data ----------------------------------------------------------

# rows N WORD: N records {"id":i,"s":"WORD i"}, i = 1..N.
rows() {
	awk -v n="$1" -v w="$2" \
	    'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":%d,\"s\":\"%s %d\"}\n", i, w, i }'
}

# many_groups N: N sale records, each its own month, state, city and mode,
# so that every aggregate has N rows.
many_groups() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"data_venda\":\"%04d-%02d-01\",\"total_vendas\":1,\"total_faturado\":10.00,\"quantidade_moto_mais_vendida\":1,\"estado\":\"E%d\",\"cidade\":\"C%d\",\"modalidade\":\"M%d\"}\n", 1000 + int(i / 12), i % 12 + 1, i, i, i
	}'
}

# ids FILE: the _id of every record of FILE, sorted.
ids() {
	python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        print(json.loads(line)["_id"])' "$1" | LC_ALL=C sort
}

# good_lines FILE: how many lines of FILE are JSON.
good_lines() {
	python3 -c '
import json, sys
good = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        json.loads(line)
        good += 1
    except ValueError:
        pass
print(good)' "$1"
}

# mongo_ids [URI DB]: the _id of every document of the test's collection,
# sorted, duplicates kept.
mongo_ids() {
	MONGO_PY_URI=${1:-} MONGO_PY_DB=${2:-} mongo_py '
for d in coll.find({}, {"_id": 1}):
    print(d["_id"])' | LC_ALL=C sort
}

# ---- helpers: PostgreSQL ------------------------------------------------------

# pg_private: a PostgreSQL server of the test's own, one it may kill:
# PG_PRIVATE_URI, PG_PRIVATE_DIR.
pg_private() {
	PG_PRIVATE_DIR=$(mktemp -d /tmp/dataops-pg.XXXXXX)
	at_teardown "'$DATAOPS_ROOT/scripts/pg-test-server.sh' stop '$PG_PRIVATE_DIR'"
	PG_PRIVATE_URI=$("$DATAOPS_ROOT/scripts/pg-test-server.sh" start "$PG_PRIVATE_DIR")
}

# pg_ctl_private ARG...: pg_ctl on the private server, on its own port.
pg_ctl_private() {
	local bindir port

	bindir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	port=${PG_PRIVATE_URI##*:}
	port=${port%%/*}
	if [[ $(id -u) == 0 ]]; then
		(cd / && runuser -u postgres -- "$bindir/pg_ctl" -D "$PG_PRIVATE_DIR/data" \
			-l "$PG_PRIVATE_DIR/log" -o "-p $port" -w -t 30 "$@")
	else
		"$bindir/pg_ctl" -D "$PG_PRIVATE_DIR/data" -l "$PG_PRIVATE_DIR/log" \
			-o "-p $port" -w -t 30 "$@"
	fi || {
		tail -n 20 "$PG_PRIVATE_DIR/log" >&2
		return 1
	}
}

# restart_pg: start the private server again once every process of
# ${server[@]} (its postmaster, killed, and children) has ended.  The lock
# files the killed postmaster left are removed: its pid may still be there
# as a zombie (an init that reaps no orphans), which PostgreSQL would take
# for a running server.
restart_pg() {
	local p

	for p in "${server[@]}"; do
		wait_for 30 gone "$p"
	done
	rm -f "$PG_PRIVATE_DIR/data/postmaster.pid" "$PG_PRIVATE_DIR"/sock/.s.PGSQL.*
	pg_ctl_private start >/dev/null
}

# pg_server_pids: the private server's postmaster and its children.
pg_server_pids() {
	local pm

	pm=$(head -n 1 "$PG_PRIVATE_DIR/data/postmaster.pid")
	echo "$pm" $(pgrep -P "$pm")
}

# pq SQL: the rows of SQL from the private server.
pq() {
	psql "$PG_PRIVATE_URI" -qAtX -v ON_ERROR_STOP=1 -c "$1"
}

# fingerprint URI TABLE: the row count and a digest of every row of TABLE.
fingerprint() {
	psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "SELECT count(*) || ':' ||
	    coalesce(md5(string_agg(fp_row::text, '|' ORDER BY fp_row::text)), '-') FROM $2 fp_row"
}

# wait_copy URI: wait (up to 20 s) until a pg-load session is in a COPY.
wait_copy() {
	for _ in $(seq 1 200); do
		[[ $(psql "$1" -qAtX -c "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = 'pg-load'
		    AND datname = current_database() AND query LIKE 'COPY %'") == 1 ]] &&
		    return 0
		sleep 0.1
	done
	echo "wait_copy: no COPY by pg-load after 20 s" >&2
	return 1
}

# no_session URI: pg-load has no session left (waiting up to 20 s).
no_session() {
	for _ in $(seq 1 200); do
		[[ $(psql "$1" -qAtX -c "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = 'pg-load'
		    AND datname = current_database()") == 0 ]] && return 0
		sleep 0.1
	done
	echo "no_session: pg-load still connected after 20 s" >&2
	return 1
}

# assert_new_rows URI TABLE N: TABLE holds exactly rows N new: ids 1..N,
# each with "new ID".
assert_new_rows() {
	run psql "$1" -qAtX -c "SELECT count(*), sum(id),
	    count(*) FILTER (WHERE s = 'new ' || id) FROM $2"
	assert_output "$3|$(($3 * ($3 + 1) / 2))|$3"
}

# ---- helpers: files and file systems ----------------------------------------

# mount_small DIR SIZE: a tmpfs of SIZE at DIR (made), unmounted at
# teardown; skips where mounting is not allowed.
mount_small() {
	mkdir -p "$1"
	if ! mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null; then
		skip "cannot mount a tmpfs here (needs root)"
	fi
	at_teardown "umount '$1'"
}

# fill_up DIR [KB]: fill DIR's file system, leaving KB kilobytes free.
fill_up() {
	dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null || true
	if ((${2:-0} > 0)); then
		truncate -s "-${2}K" "$1/filler"
	fi
	[[ $(df --output=avail -k "$1" | tail -n 1 | tr -d ' ') -le ${2:-0} ]]
}

# ---- helpers: the pipeline ----------------------------------------------------

# pipeline_env: dataops-run in the embedded default, with a home of the
# test's own (as tests/pipeline.bats does).
pipeline_env() {
	RUN=$DATAOPS_ROOT/scripts/dataops-run
	unset PG_URI MONGO_URI MONGO_DB MONGO_COLLECTION PGPASSWORD
	while IFS= read -r v; do
		unset "$v"
	done < <(compgen -e | grep '^DATAOPS_' | grep -v '^DATAOPS_ROOT$')
	export DATAOPS_HOME=$BATS_TEST_TMPDIR/home
	export DATAOPS_RETRY_DELAY=1 DATAOPS_ATTEMPTS=1
	mkdir -p "$DATAOPS_HOME"
	DATA=$DATAOPS_HOME/data
	RUNS=$DATA/state/runs.ndjson
}

TABLES=(vendas_por_ano_mes vendas_por_estado vendas_por_cidade
	vendas_por_modalidade)

# runs_of [FILE]: the run history as "job status exit attempt rows" lines.
runs_of() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["job"], r["status"], r["exit"], r["attempt"], r["rows"])' \
		"${1:-$RUNS}"
}

# assert_tables_of RAW [DIR]: the four table files in DIR ($DATA) are the
# reference aggregation (tests/ref_agg.py) of the records of RAW, bad lines
# skipped; and the month table counts every good line once.
assert_tables_of() {
	local dir=${2:-$DATA} good

	ref_agg --skip-bad month "$1" >expected.month
	ref_agg --skip-bad state "$1" >expected.state
	ref_agg --skip-bad city "$1" >expected.city
	ref_agg --skip-bad mode "$1" >expected.mode
	assert_same expected.month "$dir/vendas_por_ano_mes.ndjson"
	assert_same expected.state "$dir/vendas_por_estado.ndjson"
	assert_same expected.city "$dir/vendas_por_cidade.ndjson"
	assert_same expected.mode "$dir/vendas_por_modalidade.ndjson"
	good=$(good_lines "$1")
	run python3 -c '
import json, sys
print(sum(json.loads(l)["registros"] for l in open(sys.argv[1])))' \
	    "$dir/vendas_por_ano_mes.ndjson"
	assert_output "$good"
}

# ---- PostgreSQL killed ----------------------------------------------------------

@test "pg-load: the server killed (kill -9 of the postmaster) mid-COPY: 75, nothing committed; after a restart the load converges" {
	pg_private
	pq "CREATE TABLE big (id bigint PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, 'old ' || g FROM generate_series(1, 20000) g"
	# on disk before the crash: the test server commits asynchronously
	pq "CHECKPOINT"
	before=$(fingerprint "$PG_PRIVATE_URI" big)
	rows 200000 new >in.ndjson
	{ head -n 1000 in.ndjson; sleep 3; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    PG_URI=$PG_PRIVATE_URI pg-load -m replace -t big >out 2>err 3>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	wait_copy "$PG_PRIVATE_URI"
	read -ra server <<<"$(pg_server_pids)"
	fault_now
	kill -9 "${server[0]}"
	timed_wait "$pid" 30
	measured "pg-load, postmaster killed mid-COPY, to exit"
	assert_equal "$rc" 75
	run cat err
	assert_line --regexp '^pg-load: big: .+'
	assert_line 'pg-load: nothing loaded: the transaction was rolled back'
	refute_line --partial 'rows into'
	assert_empty_file out
	# the server's other processes go too; then it starts again
	restart_pg
	assert_equal "$(fingerprint "$PG_PRIVATE_URI" big)" "$before"
	# the same load again: every record once
	PG_URI=$PG_PRIVATE_URI run_to out pg-load -m replace -t big in.ndjson
	assert_status 0
	assert_new_rows "$PG_PRIVATE_URI" big 200000
}

@test "pg-export: the server killed mid-stream: 75 (never 0), whole rows counted in the message; after a restart the export is complete" {
	pg_private
	pq "CREATE TABLE big (id int PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, 'row ' || g || ' ' || repeat('.', 60)
	    FROM generate_series(1, 400000) g"
	# on disk before the crash: the test server commits asynchronously
	pq "CHECKPOINT"
	# what pg-export writes, computed apart
	awk 'BEGIN { d = sprintf("%60s", ""); gsub(/ /, ".", d)
		for (i = 1; i <= 400000; i++) printf "{\"id\":%d,\"s\":\"row %d %s\"}\n", i, i, d }' \
	    >expected
	mkfifo out.fifo
	PG_URI=$PG_PRIVATE_URI pg-export big >out.fifo 2>err 3>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	exec 4<out.fifo
	# a first row read: the export is streaming; the socket and the pipe
	# hold far less than the table
	IFS= read -r first <&4
	printf '%s\n' "$first" >got
	# every process of the server, the one streaming the rows too: a
	# postmaster killed alone leaves its backends running, and this one
	# would finish the export
	read -ra server <<<"$(pg_server_pids)"
	fault_now
	kill -9 "${server[@]}"
	cat <&4 >>got
	exec 4<&-
	timed_wait "$pid" 30
	measured "pg-export, every server process killed mid-stream, to exit"
	assert_equal "$rc" 75
	n=$(wc -l <got)
	((n < 400000))
	run cat err
	assert_output --regexp "^pg-export: .+ after $n rows\$"
	# whole rows, the first n of the table
	head -n "$n" expected >expected.head
	assert_same expected.head got
	restart_pg
	PG_URI=$PG_PRIVATE_URI run_to all pg-export big
	assert_status 0
	assert_same expected all
}

# ---- a server that stops answering ----------------------------------------------

# stop_pg: kill -STOP the private PostgreSQL (every process of it), and
# kill -CONT it at teardown.
stop_pg() {
	read -ra STOPPED <<<"$(pg_server_pids)"
	at_teardown "kill -CONT ${STOPPED[*]}"
	kill -STOP "${STOPPED[@]}"
}

cont_pg() {
	kill -CONT "${STOPPED[@]}"
}

@test "pg-load: a server that stops answering mid-COPY (kill -STOP): 75 within twice the connect timeout, nothing committed" {
	pg_private
	pq "CREATE TABLE big (id bigint PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, 'old ' || g FROM generate_series(1, 20000) g"
	before=$(fingerprint "$PG_PRIVATE_URI" big)
	rows 300000 new >in.ndjson
	{ head -n 1000 in.ndjson; sleep 2; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT PG_URI=$PG_PRIVATE_URI \
	    pg-load -m replace -t big >out 2>err 3>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	wait_copy "$PG_PRIVATE_URI"
	stop_pg
	fault_now
	status=0
	timed_wait "$pid" "$PG_STALL_BOUND" || status=$?
	measured "pg-load (PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT), server stopped mid-COPY, to exit"
	cont_pg
	((status == 0)) || return 1
	assert_equal "$rc" 75
	run cat err
	assert_line --regexp "^pg-load: big: $PG_STALLED\$"
	assert_line 'pg-load: nothing loaded: the transaction was rolled back'
	assert_empty_file out
	no_session "$PG_PRIVATE_URI"
	assert_equal "$(fingerprint "$PG_PRIVATE_URI" big)" "$before"
}

@test "pg-load: tcp_user_timeout in PG_URI bounds a server that stops answering mid-COPY: 75, nothing committed" {
	pg_private
	pq "CREATE TABLE big (id bigint PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, 'old ' || g FROM generate_series(1, 20000) g"
	before=$(fingerprint "$PG_PRIVATE_URI" big)
	rows 300000 new >in.ndjson
	# the input resumes 2 s after the stop; then 2 s without an answer
	{ head -n 1000 in.ndjson; sleep 2; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    PG_URI="$PG_PRIVATE_URI?tcp_user_timeout=2000" \
	    pg-load -m replace -t big >out 2>err 3>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	wait_copy "$PG_PRIVATE_URI"
	stop_pg
	fault_now
	timed_wait "$pid" 30
	measured "pg-load with tcp_user_timeout=2000, server stopped mid-COPY, to exit"
	cont_pg
	assert_equal "$rc" 75
	awk -v t="$took" 'BEGIN { exit !(t >= 3 && t < 15) }' ||
	    fail "took $took s: expected 4 s (2 s of input, 2 s of tcp_user_timeout)"
	run cat err
	assert_line 'pg-load: nothing loaded: the transaction was rolled back'
	no_session "$PG_PRIVATE_URI"
	assert_equal "$(fingerprint "$PG_PRIVATE_URI" big)" "$before"
}

@test "pg-export and report --pg: a server that stops answering mid-query (kill -STOP): 75 within twice the connect timeout" {
	pg_private
	export PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT
	pq "CREATE TABLE big (id int PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, repeat('.', 60) FROM generate_series(1, 400000) g"
	psql "$PG_PRIVATE_URI" -qX -v ON_ERROR_STOP=1 \
	    -f "$DATAOPS_ROOT/scripts/schema.sql" >/dev/null
	# report --pg waiting for a lock on one of its tables
	pg_hold_lock "$PG_PRIVATE_URI" vendas_por_modalidade
	at_teardown "kill $LOCKER"
	PG_URI=$PG_PRIVATE_URI report --pg >report.out 2>report.err 3>&- &
	report=$!
	at_teardown "kill -9 $report"
	waiting() {
		[[ $(pq "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = 'report' AND wait_event_type = 'Lock'") == 1 ]]
	}
	wait_for 20 waiting
	# pg-export streaming rows
	mkfifo out.fifo
	PG_URI=$PG_PRIVATE_URI pg-export big >out.fifo 2>err 3>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	exec 4<out.fifo
	IFS= read -r first <&4
	stop_pg
	fault_now
	cat <&4 >got 3>&- &
	drain=$!
	exec 4<&-
	status=0
	timed_wait "$pid" "$PG_STALL_BOUND" || status=$?
	measured "pg-export (PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT), server stopped mid-stream, to exit"
	export_rc=$rc
	export_took=$took
	timed_wait "$report" "$PG_STALL_BOUND" || status=$?
	measured "report --pg (PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT), server stopped mid-query, to exit"
	cont_pg
	((status == 0)) || return 1
	wait "$drain"
	assert_equal "$export_rc" 75
	n=$(($(wc -l <got) + 1))
	run cat err
	assert_output --regexp "^pg-export: $PG_STALLED after $n rows\$"
	assert_equal "$rc" 75
	run cat report.err
	assert_output --regexp "^report: vendas_por_modalidade: $PG_STALLED\$"
	assert_empty_file report.out
	# given up for the silence of a check, a whole one: not before
	awk -v t="$export_took" -v p="$PG_STALL_TIMEOUT" 'BEGIN { exit !(t >= p - 1) }' ||
	    fail "pg-export gave up $export_took s after the stop: before a check could time out"
}

@test "pg-export, report --pg and pg-load: a slow command on a live server is waited for (pg_sleep, a lock held 7 s), checked all along" {
	pg_private
	# the checks are new connections, which the server's log shows
	pq "ALTER SYSTEM SET log_connections = on"
	pq "SELECT pg_reload_conf()" >/dev/null
	psql "$PG_PRIVATE_URI" -qX -v ON_ERROR_STOP=1 \
	    -f "$DATAOPS_ROOT/scripts/schema.sql" >/dev/null
	gen-sales -n 300 -s 52 --now "$GEN_NOW" | agg-by-mode |
	    PG_URI=$PG_PRIVATE_URI pg-load -m replace -t vendas_por_modalidade 2>/dev/null
	pq "CREATE TABLE slow (id bigint PRIMARY KEY, s text)"
	PG_URI=$PG_PRIVATE_URI run_to expected.report report --pg
	assert_status 0
	grep -q '^Vendas por modalidade' expected.report
	export PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT
	# a query that runs 7 s: three checks at least
	fault_now
	PG_URI=$PG_PRIVATE_URI run_to got \
	    pg-export -q 'SELECT g AS n FROM pg_sleep(7), generate_series(1, 3) g'
	took=$(since_fault)
	measured "pg-export of a query running 7 s (PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT), to exit"
	assert_status 0
	printf '{"n":%d}\n' 1 2 3 >expected
	assert_same expected got
	assert_equal "$stderr" ""
	awk -v t="$took" 'BEGIN { exit !(t >= 7) }' || fail "took $took s"
	checks=$(grep -c 'connection authorized: .*application_name=pg-export liveness check$' \
	    "$PG_PRIVATE_DIR/log") || true
	((checks >= 2)) || fail "$checks liveness checks by pg-export in 7 s"
	# report --pg and pg-load waiting 7 s for locks
	pg_hold_lock "$PG_PRIVATE_URI" "vendas_por_modalidade, slow"
	locker=$LOCKER
	at_teardown "kill $locker"
	PG_URI=$PG_PRIVATE_URI report --pg >report.out 2>report.err 3>&- &
	report=$!
	at_teardown "kill -9 $report"
	rows 1000 new | PG_URI=$PG_PRIVATE_URI pg-load -m replace -t slow \
	    >load.out 2>load.err 3>&- &
	load=$!
	at_teardown "kill -9 $load"
	waiting() {
		[[ $(pq "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name IN ('report', 'pg-load')
		    AND wait_event_type = 'Lock'") == 2 ]]
	}
	wait_for 30 waiting
	fault_now
	sleep 7
	gone "$report" && fail "report --pg ended while the lock was held"
	gone "$load" && fail "pg-load ended while the lock was held"
	kill "$locker"
	timed_wait "$report" 30
	measured "report --pg waiting 7 s for a lock (PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT), to exit"
	assert_equal "$rc" 0
	timed_wait "$load" 30
	measured "pg-load waiting 7 s for a lock (PGCONNECT_TIMEOUT=$PG_STALL_TIMEOUT), to exit"
	assert_equal "$rc" 0
	assert_empty_file report.err
	assert_same expected.report report.out
	run cat load.err
	assert_output --regexp '^pg-load: 1000 rows into 1 table in [0-9.]+ s$'
	assert_new_rows "$PG_PRIVATE_URI" slow 1000
	for app in report pg-load; do
		checks=$(grep -c "connection authorized: .*application_name=$app liveness check\$" \
		    "$PG_PRIVATE_DIR/log") || true
		((checks >= 2)) || fail "$checks liveness checks by $app in 7 s"
	done
}

# stop_mongo: kill -STOP the private MongoDB-wire server, kill -CONT it at
# teardown.
stop_mongo() {
	MONGO_STOPPED=$(<"$MONGO_PRIVATE_DIR/pid")
	at_teardown "kill -CONT $MONGO_STOPPED"
	kill -STOP "$MONGO_STOPPED"
}

@test "mongo-export: a server that stops answering mid-export: 75 within socketTimeoutMS, 60 s by default; the documents written counted" {
	mongo_private_server
	export MONGO_COLLECTION=stalled
	gen=$(gen_data 3000 43)
	MONGO_URI=$MONGO_PRIVATE_URI mongo-load "$gen" 2>/dev/null
	for uri in "$MONGO_PRIVATE_URI" "${MONGO_PRIVATE_URI%/}/?socketTimeoutMS=2000"; do
		rm -f out.fifo got
		mkfifo out.fifo
		MONGO_URI=$uri mongo-export -b 100 >out.fifo 2>err 3>&- &
		pid=$!
		at_teardown "kill -9 $pid"
		exec 4<out.fifo
		IFS= read -r first <&4
		printf '%s\n' "$first" >got
		stop_mongo
		fault_now
		cat <&4 >>got 3>&- &
		drain=$!
		exec 4<&-
		timed_wait "$pid" $((STALL_BOUND + 15))
		measured "mongo-export ($uri), server stopped, to exit"
		kill -CONT "$MONGO_STOPPED"
		wait "$drain"
		assert_equal "$rc" 75
		if [[ $uri == *socketTimeoutMS=2000 ]]; then
			awk -v t="$took" 'BEGIN { exit !(t < 10) }' ||
			    fail "took $took s with socketTimeoutMS=2000"
		else
			awk -v t="$took" -v b="$STALL_BOUND" 'BEGIN { exit !(t < b + 10) }' ||
			    fail "took $took s by default"
		fi
		n=$(wc -l <got)
		run cat err
		assert_output --regexp "^mongo-export: cut short after $n documents: .+"
		ids got >got.ids
		run uniq -d got.ids
		assert_output ''
	done
}

@test "mongo-load: a server that stops answering mid-load: 75 within socketTimeoutMS; loaded again, every record once" {
	mongo_private_server
	export MONGO_COLLECTION=stalled_load
	gen=$(gen_data 3000 44)
	mkfifo in.fifo
	exec 4<>in.fifo
	# --stream: each batch sent as soon as it is read
	MONGO_URI="${MONGO_PRIVATE_URI%/}/?socketTimeoutMS=3000" \
	    mongo-load --stream in.fifo >out 2>err 3>&- 4>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	head -n 2500 "$gen" >&4
	n=$(MONGO_PY_URI=$MONGO_PRIVATE_URI MONGO_PY_DB=$MONGO_DB mongo_py '
import time
deadline = time.time() + 60
while coll.count_documents({}) < 2000 and time.time() < deadline:
    time.sleep(0.1)
print(coll.count_documents({}))')
	assert_equal "$n" 2000
	stop_mongo
	fault_now
	# the third batch: sent, never answered
	sed -n 2501,3000p "$gen" >&4
	exec 4>&-
	timed_wait "$pid" 30
	measured "mongo-load with socketTimeoutMS=3000, server stopped, to exit"
	kill -CONT "$MONGO_STOPPED"
	assert_equal "$rc" 75
	awk -v t="$took" 'BEGIN { exit !(t < 15) }' || fail "took $took s"
	run cat err
	assert_line --regexp '^mongo-load: in\.fifo: .+; loading again is safe: documents already there are skipped$'
	assert_line --regexp '^mongo-load: 3000 read, 2000 inserted, 0 updated, 0 already present, 0 rejected in [0-9.]+ s$'
	# once it answers again: the whole file, each record once
	head -n 3000 "$gen" >all.ndjson
	MONGO_URI=$MONGO_PRIVATE_URI run --separate-stderr mongo-load all.ndjson
	assert_status 0
	[[ $stderr =~ 3000\ read,\ ([0-9]+)\ inserted,\ 0\ updated,\ ([0-9]+)\ already\ present,\ 0\ rejected ]] ||
	    fail "summary: $stderr"
	assert_equal $((BASH_REMATCH[1] + BASH_REMATCH[2])) 3000
	ids all.ndjson >expected.ids
	mongo_ids "$MONGO_PRIVATE_URI" "$MONGO_DB" >got.ids
	assert_same expected.ids got.ids
}

# ---- disk full ------------------------------------------------------------------

@test "disk full: report -o, agg-by-* and gen-sales: 74, the old page intact, no temporary file left" {
	mount_small full 256k
	gen=$(gen_data 2000 45)
	agg-by-month "$gen" >month.ndjson
	agg-by-state "$gen" >state.ndjson
	agg-by-state --city "$gen" >city.ndjson
	agg-by-mode "$gen" >mode.ndjson
	report -f html month.ndjson state.ndjson city.ndjson mode.ndjson >page.html
	page_kb=$(($(stat -c %s page.html) / 1024))
	((page_kb > 24))
	echo 'the old page' >full/page.html
	# room for part of the page: some writes go through, then one fails
	fill_up full 12
	run --separate-stderr report -f html -o full/page.html \
	    month.ndjson state.ndjson city.ndjson mode.ndjson
	assert_status 74
	assert_stderr 'report: full/page.html: No space left on device'
	assert_equal "$(cat full/page.html)" 'the old page'
	run ls -A full
	assert_output "$(printf 'filler\npage.html')"
	# no room at all
	fill_up full 0
	run --separate-stderr report -f json -o full/page.html month.ndjson
	assert_status 74
	assert_equal "$(cat full/page.html)" 'the old page'
	run ls -A full
	assert_output "$(printf 'filler\npage.html')"
	# the aggregators and the generator, writing to the full disk
	for cmd in agg-by-month agg-by-state "agg-by-state --city" agg-by-mode; do
		# shellcheck disable=SC2086
		run --separate-stderr bash -c "$cmd '$gen' >full/out"
		assert_status 74
		assert_stderr "${cmd%% *}: stdout: No space left on device"
	done
	run --separate-stderr bash -c 'gen-sales -n 2000 >full/out'
	assert_status 74
	assert_stderr 'gen-sales: stdout: No space left on device'
}

@test "disk full: the embedded generate, refresh and report jobs: 74, raw file, tables and page as they were; with room again, the re-runs converge" {
	pipeline_env
	mount_small "$BATS_TEST_TMPDIR/data" 1m
	# the published files on the small disk; the run history and logs not
	export DATAOPS_DATA=$BATS_TEST_TMPDIR/data
	export DATAOPS_STATE=$DATAOPS_HOME/state DATAOPS_LOG_DIR=$DATAOPS_HOME/log
	DATA=$DATAOPS_DATA
	RUNS=$DATAOPS_STATE/runs.ndjson
	export DATAOPS_GENERATE_COUNT=300
	"$RUN" generate
	"$RUN" refresh
	"$RUN" report
	mkdir old
	cp "$DATA"/vendas_por_*.ndjson "$DATA/report.html" old/
	# 300 records more: the tables are now behind the raw file
	"$RUN" generate
	cp "$DATA/sales.ndjson" raw.before

	fill_up "$DATA" 8
	run --separate-stderr "$RUN" generate
	assert_status 74
	cmp raw.before "$DATA/sales.ndjson"
	cp "$DATAOPS_STATE/generate.pending.ndjson" pending
	run --separate-stderr "$RUN" refresh
	assert_status 74
	grep -q 'No space left on device' "$DATAOPS_LOG_DIR/refresh.log"
	run --separate-stderr "$RUN" report
	assert_status 74
	grep -q 'report: .*report.html: No space left on device' "$DATAOPS_LOG_DIR/report.log"
	for f in old/*; do
		cmp "$f" "$DATA/${f#old/}"
	done
	run ls -A "$DATA"
	assert_output "$(printf '%s\n' filler report.html sales.ndjson \
	    vendas_por_ano_mes.ndjson vendas_por_cidade.ndjson \
	    vendas_por_estado.ndjson vendas_por_modalidade.ndjson)"

	# room again: the records left pending are the ones loaded, once
	rm "$DATA/filler"
	"$RUN" generate
	cat raw.before pending >raw.expected
	assert_same raw.expected "$DATA/sales.ndjson"
	"$RUN" refresh
	assert_tables_of "$DATA/sales.ndjson"
	assert_equal "$(wc -l <"$DATA/sales.ndjson")" 900
	"$RUN" report
	if cmp -s old/report.html "$DATA/report.html"; then
		fail "the page was not rewritten"
	fi
	run runs_of
	assert_output 'generate ok 0 1 300
refresh ok 0 1 '"$(cat old/vendas_por_*.ndjson | wc -l)"'
report ok 0 1 0
generate ok 0 1 300
generate failed 74 1 0
refresh failed 74 1 0
report failed 74 1 0
generate ok 0 1 300
refresh ok 0 1 '"$(cat "$DATA"/vendas_por_*.ndjson | wc -l)"'
report ok 0 1 0'
}

# ---- SIGPIPE ----------------------------------------------------------------------

# piped CMD: run `CMD | head -n 1` in bash; $output is CMD's exit status
# (PIPESTATUS), pipe.err its standard error.
piped() {
	run bash -c "$1"' 2>pipe.err | head -n 1 >pipe.out; echo "${PIPESTATUS[0]}"'
}

@test "SIGPIPE: gen-sales | head, agg-by-* | head -1 and report | head -1 end quietly, killed by SIGPIPE" {
	many_groups 100000 >many.ndjson
	agg-by-state --city many.ndjson >many.city.ndjson
	run bash -c 'gen-sales -n 100000000 2>pipe.err | head >pipe.out; echo "${PIPESTATUS[0]}"'
	assert_output 141
	assert_empty_file pipe.err
	assert_equal "$(wc -l <pipe.out)" 10
	# DESIGN.md: a closed pipe is SIGPIPE's business, 74 only when it is
	# ignored; the output is larger than any pipe buffer, so the writer is
	# killed, never done
	for cmd in "gen-sales -n 100000000" "agg-by-state many.ndjson" \
	    "agg-by-state --city many.ndjson" "agg-by-month many.ndjson" \
	    "agg-by-mode many.ndjson" "report many.city.ndjson" \
	    "report -f html many.city.ndjson"; do
		piped "$cmd"
		[[ $output == 141 ]] || fail "$cmd | head -n 1: status $output"
		assert_empty_file pipe.err
		assert_equal "$(wc -l <pipe.out)" 1
	done
}

@test "SIGPIPE: pg-export | head -1 ends quietly, killed by SIGPIPE" {
	pg_use_schema
	psql_q "CREATE TABLE big (id int PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, repeat('x', 50) FROM generate_series(1, 300000) g"
	piped "pg-export big"
	assert_output 141
	assert_empty_file pipe.err
	assert_equal "$(cat pipe.out)" "{\"id\":1,\"s\":\"$(printf 'x%.0s' {1..50})\"}"
	piped "pg-export --array big"
	assert_output 141
	assert_empty_file pipe.err
}

# ---- signals --------------------------------------------------------------------

# signal_mid_copy SIGNAL STATUS: pg-load, sent SIGNAL in the middle of a
# COPY that replaces a table of 20000 rows, dies of it (exit STATUS as the
# shell reports it), and the table keeps its rows.
signal_mid_copy() {
	pg_use_schema
	psql_q "CREATE TABLE big (id bigint PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, 'old ' || g FROM generate_series(1, 20000) g"
	before=$(fingerprint "$PG_URI" big)
	rows 100000 new >in.ndjson
	# a background job ignores SIGINT unless told otherwise
	{ head -n 1000 in.ndjson; sleep 3; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    env --default-signal=INT,TERM pg-load -m replace -t big >out 2>err 3>&- &
	pid=$!
	at_teardown "kill -9 $pid"
	wait_copy "$PG_URI"
	fault_now
	kill -s "$1" "$pid"
	timed_wait "$pid" 30
	measured "pg-load, SIG$1 mid-COPY, to exit"
	assert_equal "$rc" "$2"
	run cat err
	refute_output --partial 'rows into'
	no_session "$PG_URI"
	assert_equal "$(fingerprint "$PG_URI" big)" "$before"
	# nothing left locked: the next load goes through
	rows 5 new | timeout 30 pg-load -m replace -t big 2>/dev/null
	assert_new_rows "$PG_URI" big 5
}

@test "pg-load: SIGTERM mid-COPY: ended by the signal (143), the old rows kept" {
	signal_mid_copy TERM 143
}

@test "pg-load: SIGINT mid-COPY: ended by the signal (130), the old rows kept" {
	signal_mid_copy INT 130
}

@test "dataops-run: SIGTERM in the middle of a refresh's load: stopped, every table as it was, the run recorded as failed" {
	pipeline_env
	pg_use_schema
	export MONGO_URI=$MONGO_TEST_URI MONGO_DB=$MONGO_SUITE_DB MONGO_COLLECTION=sigterm
	gen-sales -n 300 -s 47 --now "$GEN_NOW" | mongo-load 2>/dev/null
	"$RUN" refresh
	for t in "${TABLES[@]}"; do
		fingerprint "$PG_URI" "$t"
	done >before
	gen-sales -n 300 -s 48 --now "$GEN_NOW" | mongo-load 2>/dev/null
	# a lock the load waits for, in the middle of its transaction
	pg_hold_lock "$PG_URI" vendas_por_modalidade
	locker=$LOCKER
	at_teardown "kill $locker"
	"$RUN" refresh >out 2>err 3>&- &
	wrapper=$!
	at_teardown "kill -9 $wrapper"
	waiting() {
		[[ $(psql_q "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = 'pg-load' AND wait_event_type = 'Lock'") == 1 ]]
	}
	wait_for 30 waiting
	loader=$(descendant "$wrapper" pg-load)
	[[ -n $loader ]]
	fault_now
	kill -TERM "$wrapper"
	timed_wait "$wrapper" 30
	measured "dataops-run refresh, SIGTERM, to exit"
	((rc != 0))
	grep -q 'stopped by SIGTERM' err
	wait_for 10 gone "$loader"
	# its session, waiting for the lock, ends when the lock is let go
	kill "$locker"
	no_session "$PG_URI"
	for t in "${TABLES[@]}"; do
		fingerprint "$PG_URI" "$t"
	done >after
	assert_same before after
	run runs_of
	assert_line -n 1 -e '^refresh failed [0-9]+ 1 0$'
	grep -q 'stopped by SIGTERM' "$DATA/log/refresh.log"
}

# ---- a generator killed mid-stream ----------------------------------------------

@test "embedded refresh of a raw file cut mid-line (gen-sales killed): 65, no table replaced; tolerated, lines = loaded + rejected" {
	pipeline_env
	export DATAOPS_GENERATE_COUNT=200
	"$RUN" generate
	"$RUN" refresh
	mkdir old
	cp "$DATA"/vendas_por_*.ndjson old/
	# gen-sales appending by hand, killed (SIGPIPE) in the middle of a line
	export GEN_NOW
	run bash -c 'gen-sales -n 100000 -s 49 --now "$GEN_NOW" | head -c 50000 >>"$1"
	    echo "${PIPESTATUS[0]}"' _ "$DATA/sales.ndjson"
	assert_output 141
	[[ $(tail -c 1 "$DATA/sales.ndjson" | od -An -c | tr -d ' ') != '\n' ]]
	cut_at=$(($(wc -l <"$DATA/sales.ndjson") + 1))
	run --separate-stderr "$RUN" refresh
	assert_status 65
	grep -q "<stdin>:$cut_at: " "$DATA/log/refresh.log"
	for f in old/*; do
		cmp "$f" "$DATA/${f#old/}"
	done
	run ls -A "$DATA"
	refute_output --partial .tmp
	# the cut line let through: every other line counted once
	logged=$(stat -c %s "$DATA/log/refresh.log")
	DATAOPS_MAX_ERRORS=1 run "$RUN" refresh
	assert_success
	tail -c +$((logged + 1)) "$DATA/log/refresh.log" | grep -q "<stdin>:$cut_at: "
	assert_tables_of "$DATA/sales.ndjson"
	run runs_of
	assert_line -n 2 'refresh failed 65 1 0'
	assert_line -n 3 -e '^refresh ok 0 1 [0-9]+$'
}

@test "generate after a raw file left cut mid-line keeps every new record whole" {
	pipeline_env
	export DATAOPS_GENERATE_COUNT=20
	"$RUN" generate
	# an append cut short (gen-sales, or the job's own cat, killed)
	gen-sales -n 1000 -s 50 --now "$GEN_NOW" | head -c 1000 >>"$DATA/sales.ndjson"
	good=$(good_lines "$DATA/sales.ndjson")
	((good >= 20))
	"$RUN" generate
	# the 20 new records are whole: only the cut line is not JSON
	assert_equal "$(good_lines "$DATA/sales.ndjson")" $((good + 20))
}

@test "generate: gen-sales killed mid-stream loads nothing (file or MongoDB); the next run loads whole records, each once, and the refresh counts them once" {
	pipeline_env
	# the embedded default: the raw file
	export DATAOPS_GENERATE_COUNT=30
	"$RUN" generate
	cp "$DATA/sales.ndjson" raw.before
	kill_generate() {
		DATAOPS_GENERATE_COUNT=3000000 "$RUN" generate >out 2>err 3>&- &
		wrapper=$!
		at_teardown "kill -9 $wrapper"
		for _ in $(seq 1 400); do
			gs=$(descendant "$wrapper" gen-sales) && break
			sleep 0.02
		done
		[[ -n $gs ]] || fail "no gen-sales under dataops-run"
		kill -9 "$gs"
		rc=0
		wait "$wrapper" || rc=$?
		((rc != 0))
	}
	kill_generate
	cmp raw.before "$DATA/sales.ndjson"
	assert_file_not_exists "$DATA/state/generate.pending.ndjson"
	"$RUN" generate
	assert_equal "$(wc -l <"$DATA/sales.ndjson")" 60
	"$RUN" refresh
	assert_tables_of "$DATA/sales.ndjson"

	# MongoDB
	export MONGO_URI=$MONGO_TEST_URI MONGO_DB=$MONGO_SUITE_DB MONGO_COLLECTION=gen_killed
	kill_generate
	assert_equal "$(mongo_py 'print(coll.count_documents({}))')" 0
	assert_file_not_exists "$DATA/state/generate.pending.ndjson"
	export DATAOPS_GENERATE_COUNT=50
	"$RUN" generate
	mongo_ids >got.ids
	run uniq -d got.ids
	assert_output ''
	assert_equal "$(wc -l <got.ids)" 50
	"$RUN" refresh
	mongo-export >raw.ndjson 2>/dev/null
	assert_equal "$(wc -l <raw.ndjson)" 50
	assert_tables_of raw.ndjson
	run runs_of
	assert_line -n 0 'generate ok 0 1 30'
	assert_line -n 1 -e '^generate failed [0-9]+ 1 0$'
	assert_line -n 2 'generate ok 0 1 30'
	assert_line -n 4 -e '^generate failed [0-9]+ 1 0$'
	assert_line -n 5 'generate ok 0 1 50'
}

@test "mongo-load of a stream cut mid-line (gen-sales killed): 65 at that line; loaded again with -e 1: lines = loaded + rejected, each once; the refresh counts them once" {
	export MONGO_COLLECTION=cut_stream GEN_NOW
	run bash -c 'gen-sales -n 100000 -s 51 --now "$GEN_NOW" | head -c 700000 |
	    tee cut.ndjson | mongo-load 2>load.err
	    echo "${PIPESTATUS[0]} ${PIPESTATUS[3]}"'
	assert_output '141 65'
	cut_at=$(($(wc -l <cut.ndjson) + 1))
	run cat load.err
	assert_line --regexp "^mongo-load: <stdin>:$cut_at: invalid JSON(: .+)?\$"
	# loaded again, the cut line let through
	run --separate-stderr mongo-load -e 1 -r rejects.ndjson cut.ndjson
	assert_status 0
	[[ $stderr =~ ([0-9]+)\ read,\ ([0-9]+)\ inserted,\ 0\ updated,\ ([0-9]+)\ already\ present,\ 1\ rejected ]] ||
	    fail "summary: $stderr"
	assert_equal "${BASH_REMATCH[1]}" "$cut_at"
	assert_equal $((BASH_REMATCH[2] + BASH_REMATCH[3] + 1)) "$cut_at"
	assert_equal "$(wc -l <rejects.ndjson)" 1
	assert_equal "$(tail -n 1 cut.ndjson)" "$(cat rejects.ndjson)"
	head -n $((cut_at - 1)) cut.ndjson >whole.ndjson
	ids whole.ndjson >expected.ids
	mongo_ids >got.ids
	assert_same expected.ids got.ids
	# the refresh from the collection counts each record once
	pipeline_env
	export MONGO_URI=$MONGO_TEST_URI MONGO_DB=$MONGO_SUITE_DB MONGO_COLLECTION=cut_stream
	"$RUN" refresh
	assert_tables_of whole.ndjson
}

# ---- allocation failure -----------------------------------------------------------

# need_failmalloc: the shim, or skip where it cannot work.
need_failmalloc() {
	if ldd "$(command -v agg-by-state)" 2>/dev/null | grep -q libasan; then
		skip "the programs are built with AddressSanitizer, which owns malloc"
	fi
	[[ -n $FAILMALLOC ]] ||
	    fail "could not build tests/fixtures/failmalloc.c: $(cat "$BATS_FILE_TMPDIR/failmalloc.log")"
}

# normal OUT CMD...: CMD run with the shim failing nothing: its output in
# OUT, the number of allocations in $allocs.
normal() {
	local out=$1

	shift
	FAILMALLOC_COUNT=$PWD/count LD_PRELOAD=$FAILMALLOC "$@" >"$out" 2>/dev/null
	allocs=$(<count)
	((allocs > 0)) || fail "no allocation counted for $*"
}

# sweep CHECK CMD...: CMD run once for each N = 1 .. $allocs with its Nth
# allocation failing; CHECK N STATUS is called after each (output in
# sweep.out, stderr in sweep.err) and fails the test with its reason.
sweep() {
	local check=$1 n st

	shift
	for ((n = 1; n <= allocs; n++)); do
		st=0
		FAILMALLOC_N=$n LD_PRELOAD=$FAILMALLOC "$@" >sweep.out 2>sweep.err || st=$?
		"$check" "$n" "$st" || {
			fail "$* with allocation $n of $allocs failing: status $st, stderr: $(head -c 300 sweep.err)"
			return 1
		}
	done
	printf '# %s: %d allocations, each failed once\n' "$*" "$allocs" >&3
}

# oom_status STATUS: the status of a run whose failed allocation was not
# survived: 70 (internal error, DESIGN.md), opening or reading a file too.
oom_status() {
	(($1 == 70))
}

# no_crash N STATUS: no signal, the program's normal output (in ref.out,
# made comparable by $normalize) with a success, else a message and
# oom_status.
no_crash() {
	(($2 < 128)) || return 1
	if (($2 == 0)); then
		cmp -s <(sed "$normalize" ref.out) <(sed "$normalize" sweep.out)
	else
		[[ -s sweep.err ]] && oom_status "$2"
	fi
}

@test "allocation failure at the Nth malloc: agg-by-*, report and gen-sales never crash; 0 only with the right output, else a message" {
	need_failmalloc
	gen=$(gen_data 100 52)
	agg-by-month "$gen" >month.ndjson
	agg-by-state --city "$gen" >city.ndjson
	agg-by-mode "$gen" >mode.ndjson
	normalize='s/"generated_at":"[^"]*"//'
	for cmd in "agg-by-month $gen" "agg-by-state $gen" \
	    "agg-by-state --city $gen" "agg-by-mode $gen" \
	    "agg-by-state --merge city.ndjson" \
	    "gen-sales -n 3 -s 1 --now $GEN_NOW" \
	    "report month.ndjson city.ndjson mode.ndjson" \
	    "report -f json month.ndjson city.ndjson mode.ndjson"; do
		# shellcheck disable=SC2086
		normal ref.out $cmd
		# shellcheck disable=SC2086
		sweep no_crash $cmd
	done
}

# page_kept N STATUS: report -o failed with a message and kept the old
# page, with nothing left beside it; or succeeded with a whole page.
page_kept() {
	(($2 < 128)) || return 1
	[[ $(ls -A site) == page.html ]] || return 1
	if (($2 == 0)); then
		[[ $(tail -n 1 site/page.html) == '</html>' ]] || return 1
		echo 'the old page' >site/page.html
	else
		[[ -s sweep.err && $(cat site/page.html) == 'the old page' ]] &&
		    oom_status "$2"
	fi
}

@test "allocation failure in report -o: the old page kept, no temporary file left" {
	need_failmalloc
	gen=$(gen_data 100 52)
	agg-by-state --city "$gen" >city.ndjson
	agg-by-mode "$gen" >mode.ndjson
	mkdir site
	echo 'the old page' >site/page.html
	normal ref.out report -f html -o site/page.html city.ndjson mode.ndjson
	echo 'the old page' >site/page.html
	sweep page_kept report -f html -o site/page.html city.ndjson mode.ndjson
}

# not_bad_data N STATUS: the input is valid: a failed allocation is no
# reason for 65, nor for a rejected record; a success is the normal output,
# a failure oom_status.
not_bad_data() {
	(($2 < 128 && $2 != 65)) || return 1
	if [[ -e rejects.ndjson ]]; then
		[[ ! -s rejects.ndjson ]] || return 1
		rm -f rejects.ndjson
	fi
	if (($2 == 0)); then
		cmp -s ref.out sweep.out
	else
		oom_status "$2"
	fi
}

@test "allocation failure is no bad data: never status 65, never a record rejected" {
	need_failmalloc
	gen=$(gen_data 100 52)
	agg-by-month "$gen" >month.ndjson
	for cmd in "agg-by-month $gen" "agg-by-state $gen" "agg-by-mode $gen" \
	    "agg-by-state -e 5 -r rejects.ndjson $gen" \
	    "agg-by-month -e 5 -r rejects.ndjson $gen" \
	    "report month.ndjson"; do
		rm -f rejects.ndjson
		# shellcheck disable=SC2086
		normal ref.out $cmd
		rm -f rejects.ndjson
		# shellcheck disable=SC2086
		sweep not_bad_data $cmd
	done
}

# ---- credentials and TLS ------------------------------------------------------------

@test "PostgreSQL: a wrong password: 69 from pg-load, pg-export and report, saying so, the password not shown; the right one loads" {
	pg_private
	pq "CREATE ROLE pwuser LOGIN PASSWORD 'RightPw1'; CREATE TABLE t (a int);
	    GRANT ALL ON t TO pwuser"
	# password authentication for pwuser on this server alone
	hba=$PG_PRIVATE_DIR/data/pg_hba.conf
	{ echo 'host all pwuser 127.0.0.1/32 scram-sha-256'; cat "$hba"; } >hba
	cat hba >"$hba"
	pq "SELECT pg_reload_conf()" >/dev/null
	hostdb=${PG_PRIVATE_URI#*@}
	echo '{"a":1}' >in.ndjson
	for how in uri env none; do
		case $how in
		uri) uri=postgresql://pwuser:WrongPw9@$hostdb ;;
		*) uri=postgresql://pwuser@$hostdb ;;
		esac
		for cmd in "pg-load -t t in.ndjson" "pg-export t" "report --pg"; do
			if [[ $how == env ]]; then
				# shellcheck disable=SC2086
				PGPASSWORD=WrongPw9 PG_URI=$uri run_to out timeout 30 $cmd
			else
				# shellcheck disable=SC2086
				PG_URI=$uri run_to out timeout 30 $cmd
			fi
			assert_status 69
			assert_stderr_line --partial "${cmd%% *}: cannot connect to postgresql://pwuser@$hostdb: "
			if [[ $how == none ]]; then
				assert_stderr_line --partial 'no password supplied'
			else
				assert_stderr_line --partial 'password authentication failed for user "pwuser"'
			fi
			refute_stderr_line --partial WrongPw9
			assert_empty_file out
		done
	done
	# nothing loaded by the refused runs; the right password loads once
	assert_equal "$(pq 'SELECT count(*) FROM t')" 0
	PG_URI=postgresql://pwuser:RightPw1@$hostdb run_to out pg-load -t t in.ndjson
	assert_status 0
	PGPASSWORD=RightPw1 PG_URI=postgresql://pwuser@$hostdb run_to out pg-export t
	assert_status 0
	assert_equal "$(cat out)" '{"a":1}'
}

@test "TLS: sslmode=require without SSL, tls=true without TLS, an untrusted certificate: 69 with the reason, in bounded time" {
	base=${PG_SUITE_URI%%\?*}
	for cmd in "pg-load -t t" "pg-export t" "report --pg"; do
		# shellcheck disable=SC2086
		PG_URI="$base?sslmode=require" run_to out timeout 30 $cmd </dev/null
		assert_status 69
		assert_stderr_line --partial "${cmd%% *}: cannot connect to $base?sslmode=require: "
		assert_stderr_line --partial 'server does not support SSL, but SSL was required'
	done
	[[ $MONGO_TEST_URI =~ ^mongodb://([^/@?,]+:[0-9]+)/?$ ]] ||
	    skip "needs a plain mongodb://HOST:PORT/ test server"
	hostport=${BASH_REMATCH[1]}
	# a server that does not speak TLS: the handshake never completes
	for cmd in "mongo-load -T 2" "mongo-export -T 2" "report --mongo --timeout 2"; do
		fault_now
		# shellcheck disable=SC2086
		MONGO_URI="mongodb://u:S3cretPw@$hostport/?tls=true" \
		    run_to out timeout 30 $cmd </dev/null
		took=$(since_fault)
		measured "$cmd, tls=true to a server without TLS"
		assert_status 69
		assert_stderr_line --partial "${cmd%% *}: cannot reach mongodb://u@$hostport/?tls=true: "
		refute_stderr_line --partial S3cretPw
		awk -v t="$took" 'BEGIN { exit !(t < 10) }' || fail "took $took s"
	done
	# a server whose certificate nobody signed
	command -v openssl >/dev/null || skip "no openssl to make a certificate"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
	    -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1
	"$SYSPY" "$TLS_SERVER" cert.pem key.pem port >/dev/null 2>&1 3>&- &
	at_teardown "kill $!"
	wait_for 10 test -s port
	port=$(<port)
	for cmd in "mongo-load -T 2" "mongo-export -T 2" "report --mongo --timeout 2"; do
		# shellcheck disable=SC2086
		MONGO_URI="mongodb://u:S3cretPw@127.0.0.1:$port/?tls=true" \
		    run_to out timeout 30 $cmd </dev/null
		assert_status 69
		assert_stderr_line --partial "${cmd%% *}: cannot reach mongodb://u@127.0.0.1:$port/?tls=true: "
		assert_stderr_line --partial 'TLS handshake failed: certificate verify failed'
		refute_stderr_line --partial S3cretPw
	done
}

# ---- secrets ------------------------------------------------------------------------

@test "secrets: no program has an option for a password, a URI or a user" {
	run python3 - "$DATAOPS_ROOT"/tools/*.c "$DATAOPS_ROOT"/lib/aggcli.c <<-'EOF'
	import re, sys
	names = []
	for path in sys.argv[1:]:
	    text = open(path, encoding="utf-8").read()
	    for table in re.findall(r"struct option\s+\w+\[\]\s*=\s*\{(.*?)\n\s*\};", text, re.S):
	        names += re.findall(r'\{\s*"([^"]+)"', table)
	print(len(names))
	for n in names:
	    if re.search(r"pass|pwd|secret|token|cred|auth|uri|url|user|login|dsn|conn", n, re.I):
	        print("option --" + n)
	EOF
	assert_success
	# the tables were found (every program has --help and --version)
	((lines[0] >= 40)) || fail "only ${lines[0]} options found"
	assert_equal "${#lines[@]}" 1
	for prog in gen-sales agg-by-month agg-by-state agg-by-mode pg-load \
	    pg-export mongo-load mongo-export report; do
		run "$prog" --help
		assert_success
		[[ ${output,,} != *pass* && ${output,,} != *secret* ]] ||
		    fail "$prog --help: $output"
	done
	run "$DATAOPS_ROOT/scripts/dataops-run" --help
	assert_success
	[[ ${output,,} != *pass* ]] || fail "dataops-run --help: $output"
}

@test "secrets: every program, run with passwords in PG_URI and MONGO_URI, prints none" {
	secret=S3cretPw$RANDOM
	gen=$(gen_data 50 53)
	agg-by-mode "$gen" >mode.ndjson
	echo '{"a":1}' >in.ndjson
	check() {
		local what=$1

		shift
		run --separate-stderr timeout 60 "$@"
		# every form of the password begins with $secret
		[[ $output$stderr != *"$secret"* ]] ||
		    fail "$what: $*: the password is shown: $output$stderr"
	}
	for pg in "postgresql://u:$secret@127.0.0.1:1/x" \
	    "postgres://u:${secret}x%40y@127.0.0.1:1/x" \
	    "postgresql://u@127.0.0.1:1/x?connect_timeout=2&password=$secret" \
	    "host=127.0.0.1 port=1 dbname=x user=u password=$secret"; do
		for mongo in "mongodb://u:$secret@127.0.0.1:1/" \
		    "mongodb://u:${secret}x%40y@127.0.0.1:1/?authSource=admin"; do
			export PG_URI=$pg MONGO_URI=$mongo
			check offline gen-sales -n 2
			check offline agg-by-month "$gen"
			check offline agg-by-state --city "$gen"
			check offline agg-by-mode "$gen"
			check offline report mode.ndjson
			check usage pg-load -x
			check usage mongo-export --bogus
			check server pg-load -t t in.ndjson
			assert_status 69
			check server pg-export t
			assert_status 69
			check server mongo-load -T 1 in.ndjson
			assert_status 69
			check server mongo-export -T 1
			assert_status 69
			check server report --pg
			assert_status 69
			check server report --mongo --timeout 1
			assert_status 69
			check server report -f html -o page.html --pg --mongo --timeout 1
			assert_status 69
		done
	done
	# connected (the test server trusts any password), then an error
	pg_use_schema
	export PG_URI=${PG_URI/dataops@/dataops:$secret@}
	check connected pg-load -t nosuch in.ndjson
	assert_status 65
	check connected pg-export nosuch
	assert_status 65
	check connected report -f html -o page.html --pg
	assert_status 0
	if grep -q "$secret" page.html; then
		fail "the page shows the password"
	fi
}

@test "secrets: the jobs run with passwords in the URIs: none in ps, on stderr, in the logs, the run history or the page" {
	pipeline_env
	secret=S3cretPw$RANDOM
	"$SYSPY" "$SILENT" silent.port 3>&- &
	at_teardown "kill $!"
	wait_for 10 test -s silent.port
	# psql, slowed down so that ps sees it
	mkdir spy
	printf '#!/bin/sh\nsleep 1\nexec /usr/bin/psql "$@"\n' >spy/psql
	chmod +x spy/psql
	export PATH=$PWD/spy:$PATH
	# every process's command line, every 20 ms, until told to stop
	(
		while [[ ! -e stop ]] && ((SECONDS < 120)); do
			ps -eo pid,args
			sleep 0.02
		done
	) >ps.log 3>&- &
	sampler=$!
	at_teardown "touch '$PWD/stop'"

	# MongoDB that never answers: generate, refresh and report wait for it
	# (2 s to give up on it, where the default is 5 s)
	MONGO_URI="mongodb://u:$secret@127.0.0.1:$(<silent.port)/?connectTimeoutMS=2000&serverSelectionTimeoutMS=2000"
	export MONGO_URI
	export MONGO_DB=$MONGO_SUITE_DB MONGO_COLLECTION=secrets
	export DATAOPS_GENERATE_COUNT=10
	# the test server trusts any password
	pg_use_schema
	pg=$PG_URI
	export PG_URI=${pg/dataops@/dataops:$secret@}
	for job in generate refresh report; do
		run --separate-stderr "$RUN" "$job"
		assert_status 69
		[[ $stderr != *"$secret"* ]] || fail "$job: stderr shows the password"
	done
	# from .env, with MongoDB answering: the whole pipeline, the page made
	unset PG_URI MONGO_URI
	printf 'PG_URI=%s\nMONGO_URI=%s\n' "${pg/dataops@/dataops:$secret@}" \
	    "$MONGO_TEST_URI" >"$DATAOPS_HOME/.env"
	chmod 600 "$DATAOPS_HOME/.env"
	for job in generate refresh report; do
		run --separate-stderr "$RUN" "$job"
		assert_status 0
		[[ $stderr != *"$secret"* ]] || fail "$job: stderr shows the password"
	done
	touch stop
	wait "$sampler"
	assert_file_exists "$DATA/report.html"
	# the processes were seen, without the password
	for prog in mongo-load mongo-export report psql; do
		grep -q "[0-9] .*$prog" ps.log || fail "ps never showed $prog"
	done
	if grep -n "$secret" ps.log | head -n 5 | grep .; then
		fail "ps showed the password"
	fi
	# nothing written under the home holds it, but the .env it came from
	run grep -rl --exclude=.env -- "$secret" "$DATAOPS_HOME"
	assert_output ''
	run runs_of
	assert_output 'generate failed 69 1 0
refresh failed 69 1 0
report failed 69 1 0
generate ok 0 1 10
refresh ok 0 1 '"$(psql "$pg" -qAtX -c "SELECT (SELECT count(*) FROM vendas_por_ano_mes) +
	    (SELECT count(*) FROM vendas_por_estado) + (SELECT count(*) FROM vendas_por_cidade) +
	    (SELECT count(*) FROM vendas_por_modalidade)")"'
report ok 0 1 0'
}
