#!/usr/bin/env bats
# The scheduled pipeline: scripts/dataops-run and its jobs (generate,
# refresh, report), crontab.example and .env.example, end to end against a
# real MongoDB-wire server (FerretDB unless MONGO_TEST_URI names another)
# and a real PostgreSQL, in the embedded default on files, and under
# Debian's cron.
#
# Expected tables come from agg-by-* over a mongo-export of the collection
# or from tests/ref_agg.py over the raw file, never from the jobs; tables
# are read back with psql.  Tests that kill or stop a server start a
# private one.  The cron daemon test waits up to 75 s for the next minute.

# shellcheck disable=SC2154 # $status, $output, $stderr: set by bats' run
load test_helper
bats_require_minimum_version 1.5.0

TABLES=(vendas_por_ano_mes vendas_por_estado vendas_por_cidade
	vendas_por_modalidade)
SYSPY=/usr/bin/python3 # Debian's, with psycopg2

setup_file() {
	pg_setup
	mongo_setup
}

teardown_file() {
	mongo_teardown
	pg_teardown
}

setup() {
	common_setup
	RUN=$DATAOPS_ROOT/scripts/dataops-run
	# every test starts in the embedded default, with its own home
	unset PG_URI MONGO_URI MONGO_DB MONGO_COLLECTION PGPASSWORD
	while IFS= read -r v; do
		unset "$v"
	done < <(compgen -e | grep '^DATAOPS_' | grep -v '^DATAOPS_ROOT$')
	export DATAOPS_HOME=$BATS_TEST_TMPDIR/home
	export DATAOPS_RETRY_DELAY=1
	mkdir -p "$DATAOPS_HOME"
	DATA=$DATAOPS_HOME/data
	RUNS=$DATA/state/runs.ndjson
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
}

at_teardown() {
	printf '%s\n' "$*" >>"$CLEANUP"
}

# ---- helpers --------------------------------------------------------------

# use_pg [URI]: the tables in PostgreSQL (the suite's database by default).
use_pg() {
	export PG_URI=${1:-$PG_SUITE_URI}
}

# use_mongo NAME [URI]: the raw sales in the collection NAME of the suite's
# database (on the suite's server by default).
use_mongo() {
	export MONGO_URI=${2:-$MONGO_TEST_URI} MONGO_DB=$MONGO_SUITE_DB
	export MONGO_COLLECTION=$1
}

# load_sales N SEED: N sale records from gen-sales into the collection.
load_sales() {
	gen-sales -n "$1" -s "$2" --now "$GEN_NOW" | mongo-load 2>/dev/null
}

# tsv: aggregate rows (NDJSON) as tab-separated values, in key order.
tsv() {
	python3 -c '
import json, sys
for line in sys.stdin:
    row = json.loads(line, parse_float=str, parse_int=str)
    print("\t".join(row.values()))'
}

# tables: the four tables as psql reads them, each sorted, under a heading.
tables() {
	local t

	for t in "${TABLES[@]}"; do
		echo "== $t"
		psql "$PG_URI" -qAtX -F $'\t' -v ON_ERROR_STOP=1 \
			-c "SELECT * FROM $t" | LC_ALL=C sort
	done
}

# expected_tables RAW: the same from agg-by-* over the raw records in RAW.
expected_tables() {
	echo "== vendas_por_ano_mes"
	agg-by-month "$1" | tsv | LC_ALL=C sort
	echo "== vendas_por_estado"
	agg-by-state "$1" | tsv | LC_ALL=C sort
	echo "== vendas_por_cidade"
	agg-by-state --city "$1" | tsv | LC_ALL=C sort
	echo "== vendas_por_modalidade"
	agg-by-mode "$1" | tsv | LC_ALL=C sort
}

# runs_of [FILE]: the run history as "job status exit attempt rows" lines.
runs_of() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["job"], r["status"], r["exit"], r["attempt"], r["rows"])' \
		"${1:-$RUNS}"
}

# descendant ROOT NAME: the pid of a process called NAME below pid ROOT
# (from /proc: procps need not be installed).
descendant() {
	local root=$1 name=$2 f stat pid comm p
	local -A parent=()
	local -a named=()

	for f in /proc/[0-9]*/stat; do
		{ read -r stat <"$f"; } 2>/dev/null || continue
		pid=${stat%% (*}
		comm=${stat#* (}
		comm=${comm%) *}
		stat=${stat##*) }
		read -r _ p _ <<<"$stat"
		parent[$pid]=$p
		[[ $comm != "$name" ]] || named+=("$pid")
	done
	for pid in "${named[@]}"; do
		for ((p = ${parent[$pid]:-0}; p > 1; p = ${parent[$p]:-0})); do
			if ((p == root)); then
				echo "$pid"
				return 0
			fi
		done
	done
	return 1
}

# running NAME: a process called NAME runs.
running() {
	local f comm

	for f in /proc/[0-9]*/comm; do
		{ read -r comm <"$f"; } 2>/dev/null || continue
		[[ $comm != "$1" ]] || return 0
	done
	return 1
}

# gone PID: PID has exited (a zombie has).
gone() {
	local stat

	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	[[ ${stat:0:1} == Z ]]
}

# Private PostgreSQL: started by pg-test-server.sh, stopped and started
# again with pg_ctl on the same port.
pg_private() {
	PG_PRIVATE_DIR=$(mktemp -d /tmp/dataops-pg.XXXXXX)
	at_teardown "'$DATAOPS_ROOT/scripts/pg-test-server.sh' stop '$PG_PRIVATE_DIR'"
	PG_PRIVATE_URI=$("$DATAOPS_ROOT/scripts/pg-test-server.sh" start "$PG_PRIVATE_DIR")
}

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
	fi
}

# The throw-away user of the cron tests, its crontab, and a copy of the
# programs and scripts it can reach wherever the checkout is.
cron_user() {
	CRON_USER=dataops-t$$
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$CRON_USER"
	at_teardown "userdel '$CRON_USER'"
	at_teardown "crontab -u '$CRON_USER' -r"
	CRON_DIR=$(mktemp -d /tmp/dataops-cron.XXXXXX)
	at_teardown "rm -rf '$CRON_DIR'"
	mkdir "$CRON_DIR/app" "$CRON_DIR/app/bin" "$CRON_DIR/home"
	cp -r "$DATAOPS_ROOT/scripts" "$CRON_DIR/app/"
	cp "$DATAOPS_ROOT"/bin/{gen-sales,mongo-load,mongo-export,agg-by-month,agg-by-state,agg-by-mode,pg-load,pg-export,report} \
		"$CRON_DIR/app/bin/"
	chmod -R a+rX "$CRON_DIR/app"
	chmod 755 "$CRON_DIR"
	chown "$CRON_USER:" "$CRON_DIR/home"
}

# crontab_for_test: crontab.example with its two paths pointed at the copy.
crontab_for_test() {
	sed -e "s|/opt/dataops/scripts/|$CRON_DIR/app/scripts/|" \
		-e "s|^DATAOPS_HOME=.*|DATAOPS_HOME=$CRON_DIR/home|" \
		"$DATAOPS_ROOT/crontab.example"
}

# ---- the embedded default -------------------------------------------------

@test "embedded default: generate, refresh and report on files under data/, nothing printed" {
	export DATAOPS_GENERATE_COUNT=300
	run "$RUN" generate
	assert_success
	assert_output ''
	run "$RUN" generate
	assert_success
	assert_output ''
	run "$RUN" refresh
	assert_success
	assert_output ''
	run "$RUN" report
	assert_success
	assert_output ''

	[[ $(wc -l <"$DATA/sales.ndjson") == 600 ]]
	ref_agg month "$DATA/sales.ndjson" >month.expected
	ref_agg state "$DATA/sales.ndjson" >state.expected
	ref_agg city "$DATA/sales.ndjson" >city.expected
	ref_agg mode "$DATA/sales.ndjson" >mode.expected
	assert_same month.expected "$DATA/vendas_por_ano_mes.ndjson"
	assert_same state.expected "$DATA/vendas_por_estado.ndjson"
	assert_same city.expected "$DATA/vendas_por_cidade.ndjson"
	assert_same mode.expected "$DATA/vendas_por_modalidade.ndjson"
	rows=$(cat month.expected state.expected city.expected mode.expected | wc -l)

	run runs_of
	assert_output "generate ok 0 1 300
generate ok 0 1 300
refresh ok 0 1 $rows
report ok 0 1 0"
	# the record's fields, in the documented order
	run grep -Ec '^\{"job":"[a-z]+","start":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z","end":"[0-9-]{10}T[0-9:]{8}Z","status":"ok","exit":0,"attempt":1,"rows":[0-9]+,"host":"[^"]+"\}$' "$RUNS"
	assert_output 4

	# the page: the run history and the tables
	assert_file_exists "$DATA/report.html"
	grep -F '<caption>generate: 2 execuções, 0 com falha' "$DATA/report.html"
	grep -F '<caption>refresh: 1 execução, 0 com falha' "$DATA/report.html"
	grep -F 'Fortaleza' "$DATA/report.html"
	for job in generate refresh report; do
		grep -q "$job: attempt 1 ok, exit 0" "$DATA/log/$job.log"
	done
}

@test "make demo's script: the embedded jobs through dataops-run, then the terminal report" {
	export DATA_DIR=$BATS_TEST_TMPDIR/demo
	run --separate-stderr "$DATAOPS_ROOT/scripts/demo.sh" 1000
	assert_status 0
	assert_line 'Vendas por ano/mês'
	assert_line 'Vendas por modalidade'
	assert_stderr_line -p "1000 sales in $DATA_DIR/sales.ndjson"
	[[ $(wc -l <"$DATA_DIR/sales.ndjson") == 1000 ]]
	ref_agg mode "$DATA_DIR/sales.ndjson" >mode.expected
	assert_same mode.expected "$DATA_DIR/vendas_por_modalidade.ndjson"
	assert_file_exists "$DATA_DIR/report.html"
	run runs_of "$DATA_DIR/state/runs.ndjson"
	assert_line -n 0 'generate ok 0 1 1000'
	assert_line -n 1 -p 'refresh ok 0 1 '
	assert_line -n 2 'report ok 0 1 0'
	# the README still starts with it
	run grep -m1 -E '^    make ' "$DATAOPS_ROOT/README.md"
	assert_output -p 'make demo'
}

@test "embedded refresh of an empty raw file leaves the tables; DATAOPS_ALLOW_EMPTY=1 empties them" {
	export DATAOPS_GENERATE_COUNT=50
	"$RUN" generate
	"$RUN" refresh
	cp "$DATA/vendas_por_modalidade.ndjson" mode.before
	: >"$DATA/sales.ndjson"
	run "$RUN" refresh
	assert_success
	assert_output ''
	assert_same mode.before "$DATA/vendas_por_modalidade.ndjson"
	grep -q 'no raw records: the tables are left as they were' "$DATA/log/refresh.log"
	DATAOPS_ALLOW_EMPTY=1 run "$RUN" refresh
	assert_success
	assert_empty_file "$DATA/vendas_por_modalidade.ndjson"
}

@test "embedded refresh with a bad record: exit 65, a summary naming the line, tables unchanged" {
	export DATAOPS_GENERATE_COUNT=20
	"$RUN" generate
	"$RUN" refresh
	cp "$DATA"/vendas_por_*.ndjson .
	echo '{"data_venda":"2025-13-01","total_vendas":1}' >>"$DATA/sales.ndjson"
	run --separate-stderr "$RUN" refresh
	assert_status 65
	assert_output ''
	assert_stderr_line -p 'refresh on '
	assert_stderr_line -p 'failed with exit status 65'
	assert_stderr_line -p '<stdin>:21: '
	for t in "${TABLES[@]}"; do
		assert_same "$t.ndjson" "$DATA/$t.ndjson"
	done
	run runs_of
	assert_line -n 2 'refresh failed 65 1 0'
}

# ---- the wrapper ----------------------------------------------------------

@test "dataops-run: 69 and 75 are retried with backoff, every attempt recorded" {
	cat >flaky.sh <<'EOF'
#!/bin/bash
n=$(cat count 2>/dev/null || echo 0)
echo $((n + 1)) >count
echo "flaky job ran" >&2
[ "$n" -ge 2 ] || exit $((n == 0 ? 75 : 69))
echo 7 >"$DATAOPS_ROWS_FILE"
EOF
	chmod +x flaky.sh
	SECONDS=0
	DATAOPS_ATTEMPTS=3 run "$RUN" "$PWD/flaky.sh"
	assert_success
	assert_output ''
	# waited 1 s, then 2 s
	((SECONDS >= 3))
	run runs_of
	assert_output 'flaky retrying 75 1 0
flaky retrying 69 2 0
flaky ok 0 3 7'
	run grep -c '^flaky job ran$' "$DATA/log/flaky.log"
	assert_output 3
}

@test "dataops-run: the last attempt's failure is summed up on stderr with the end of the log" {
	printf '#!/bin/sh\necho "cannot reach the server" >&2\nexit 69\n' >down.sh
	chmod +x down.sh
	DATAOPS_ATTEMPTS=2 run --separate-stderr "$RUN" "$PWD/down.sh"
	assert_status 69
	assert_output ''
	assert_stderr_line -p "dataops-run: down on $(uname -n) failed with exit status 69, attempt 2 of 2"
	assert_stderr_line -p "log: $DATA/log/down.log"
	assert_stderr_line '  cannot reach the server'
	((${#stderr_lines[@]} <= 14))
	run runs_of
	assert_output 'down retrying 69 1 0
down failed 69 2 0'
}

@test "dataops-run: an attempt past DATAOPS_TIMEOUT is stopped and recorded as a timeout, not retried" {
	printf '#!/bin/sh\nsleep 30\n' >slow.sh
	chmod +x slow.sh
	SECONDS=0
	DATAOPS_TIMEOUT=1 run --separate-stderr "$RUN" "$PWD/slow.sh"
	assert_status 124
	((SECONDS < 15))
	assert_stderr_line -p 'timed out after 1s'
	run runs_of
	assert_output 'slow timeout 124 1 0'
}

@test "dataops-run: a run while one is going logs \"already running\" and exits 0 at once" {
	mkdir -p "$DATA/state"
	printf '#!/bin/sh\ntrue\n' >quick.sh
	chmod +x quick.sh
	# another run holds the job's lock
	"$SYSPY" -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$DATA/state/quick.lock" locked >/dev/null 2>&1 3>&- &
	at_teardown "kill $!"
	wait_for 10 test -e locked
	SECONDS=0
	run "$RUN" "$PWD/quick.sh"
	assert_success
	assert_output ''
	((SECONDS < 5))
	grep -q 'quick: already running; this run skipped' "$DATA/log/quick.log"
	assert_empty_file "$RUNS"
}

@test "dataops-run: the log is rotated by size, DATAOPS_LOG_KEEP old ones kept" {
	cat >chatty.sh <<'EOF'
#!/bin/sh
head -c 300 /dev/zero | tr '\0' x >&2
EOF
	chmod +x chatty.sh
	export DATAOPS_LOG_MAX=200 DATAOPS_LOG_KEEP=2
	for i in 1 2 3 4 5; do
		"$RUN" "$PWD/chatty.sh"
	done
	assert_file_exists "$DATA/log/chatty.log"
	assert_file_exists "$DATA/log/chatty.log.1"
	assert_file_exists "$DATA/log/chatty.log.2"
	assert_file_not_exists "$DATA/log/chatty.log.3"
	run grep -c 'attempt 1 of 3' "$DATA/log/chatty.log"
	assert_output 1
}

@test ".env: loaded, the environment wins, and a readable password is warned about" {
	printf '#!/bin/sh\necho "count=$DATAOPS_GENERATE_COUNT db=$MONGO_DB" >&2\n' >show.sh
	chmod +x show.sh
	cat >"$DATAOPS_HOME/.env" <<'EOF'
# comment
DATAOPS_GENERATE_COUNT=9
export MONGO_DB='from_env_file'
PG_URI=postgresql://dataops:s3cret@db.example.net/dataops
EOF
	chmod 644 "$DATAOPS_HOME/.env"
	MONGO_DB=from_environment run --separate-stderr "$RUN" "$PWD/show.sh"
	assert_status 0
	assert_stderr "dataops-run: warning: $DATAOPS_HOME/.env holds a password and others can read it (mode 644): chmod 600 $DATAOPS_HOME/.env"
	grep -q 'count=9 db=from_environment' "$DATA/log/show.log"
	chmod 600 "$DATAOPS_HOME/.env"
	run "$RUN" "$PWD/show.sh"
	assert_success
	assert_output ''
	# no password, no warning, whoever can read it
	printf 'MONGO_DB=x\n' >"$DATAOPS_HOME/.env"
	chmod 644 "$DATAOPS_HOME/.env"
	run "$RUN" "$PWD/show.sh"
	assert_success
	assert_output ''
	# .env is never committed
	git -C "$DATAOPS_ROOT" check-ignore -q .env
}

@test ".env.example gives every DATAOPS_ variable the scripts read, and works as .env" {
	local v

	for v in $(grep -ho 'DATAOPS_[A-Z][A-Z_]*' "$DATAOPS_ROOT"/scripts/dataops-run \
		"$DATAOPS_ROOT"/scripts/job-*.sh | sort -u); do
		case $v in
		DATAOPS_ROWS_FILE | DATAOPS_ROOT) continue ;;
		esac
		grep -Eq "^#?$v=" "$DATAOPS_ROOT/.env.example" ||
			fail ".env.example lacks $v"
	done
	for v in MONGO_URI MONGO_DB MONGO_COLLECTION PG_URI; do
		grep -Eq "^$v=" "$DATAOPS_ROOT/.env.example" || fail ".env.example lacks $v"
	done
	cp "$DATAOPS_ROOT/.env.example" "$DATAOPS_HOME/.env"
	DATAOPS_GENERATE_COUNT= run "$RUN" generate
	assert_success
	assert_output ''
	[[ $(wc -l <"$DATA/sales.ndjson") == 2 ]]
}

# ---- with MongoDB and PostgreSQL ------------------------------------------

@test "MongoDB and PostgreSQL end to end: generate, refresh, report; the tables are agg-by-* of the collection" {
	use_pg
	use_mongo e2e
	export DATAOPS_GENERATE_COUNT=400
	run "$RUN" generate
	assert_success
	assert_output ''
	run "$RUN" generate
	assert_success
	run mongo_py 'print(coll.count_documents({}))'
	assert_output 800
	run "$RUN" refresh
	assert_success
	assert_output ''
	run "$RUN" report
	assert_success
	assert_output ''

	mongo-export >raw.ndjson 2>/dev/null
	expected_tables raw.ndjson >expected
	tables >actual
	assert_same expected actual
	rows=$(grep -vc '^==' expected)
	run runs_of
	assert_output "generate ok 0 1 400
generate ok 0 1 400
refresh ok 0 1 $rows
report ok 0 1 0"
	grep -F '<caption>generate: 2 execuções, 0 com falha' "$DATA/report.html"
	grep -F '<caption>refresh: 1 execução, 0 com falha' "$DATA/report.html"
	run grep -c '<td class="ok">✔ ok</td>' "$DATA/report.html"
	((output >= 3))
}

@test "generate: records a failed load left behind are loaded by the next run, not new ones" {
	use_mongo pending
	export DATAOPS_GENERATE_COUNT=30 DATAOPS_ATTEMPTS=1
	MONGO_URI=mongodb://127.0.0.1:1/ run --separate-stderr "$RUN" generate
	assert_status 69
	pending=$DATA/state/generate.pending.ndjson
	[[ $(wc -l <"$pending") == 30 ]]
	cp "$pending" first.ndjson
	run "$RUN" generate
	assert_success
	assert_output ''
	assert_file_not_exists "$pending"
	run mongo_py 'import json
print(sorted(d["_id"] for d in coll.find()) ==
      sorted(json.loads(l)["_id"] for l in open("first.ndjson")))'
	assert_output True
	run runs_of
	assert_output 'generate failed 69 1 0
generate ok 0 1 30'
}

@test "refresh: the password of PG_URI goes to psql through PGPASSWORD, not its command line" {
	use_mongo secret
	load_sales 50 81
	# the test server trusts every password
	use_pg "${PG_SUITE_URI/dataops@/dataops:s%40cret@}"
	mkdir spy
	cat >spy/psql <<'EOF'
#!/bin/sh
printf '%s\n' "$*" >>"$SPY_LOG"
printf 'PGPASSWORD=%s\n' "$PGPASSWORD" >>"$SPY_LOG"
exec /usr/bin/psql "$@"
EOF
	chmod +x spy/psql
	SPY_LOG=$PWD/spy.log PATH=$PWD/spy:$PATH run "$RUN" refresh
	assert_success
	assert_output ''
	run cat spy.log
	assert_line 'PGPASSWORD=s@cret'
	refute_output -p 's%40cret'
	refute_output -p 's@cret@'
}

@test "refresh --pushdown gives the same tables as the plain refresh" {
	use_pg
	use_mongo pushdown
	load_sales 1500 21
	run "$RUN" refresh
	assert_success
	tables >plain
	psql "$PG_URI" -qX -c 'DELETE FROM vendas_por_ano_mes; DELETE FROM vendas_por_estado;
		DELETE FROM vendas_por_cidade; DELETE FROM vendas_por_modalidade'
	run "$RUN" refresh --pushdown
	assert_success
	assert_output ''
	tables >pushed
	assert_same plain pushed
	grep -q 'grouped by MongoDB (mongo-export --group-by day, city, mode)' "$DATA/log/refresh.log"
	[[ $(grep -c '^[^=]' pushed) -gt 100 ]]
}

@test "an empty collection leaves the tables as they were" {
	use_pg
	use_mongo filled
	load_sales 100 31
	"$RUN" refresh
	tables >before
	use_mongo nothing_here
	run "$RUN" refresh
	assert_success
	assert_output ''
	tables >after
	assert_same before after
	run runs_of
	assert_line -n 1 'refresh ok 0 1 0'
}

@test "two refreshes started together: one runs, the other logs \"already running\"" {
	export DATAOPS_GENERATE_COUNT=100
	"$RUN" generate
	# keep the one that gets the job's lock busy: it waits for the raw
	# file's lock, held here, until both have started
	"$SYSPY" -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$DATA/state/sales.lock" locked >/dev/null 2>&1 3>&- &
	holder=$!
	at_teardown "kill $holder"
	wait_for 10 test -e locked
	"$RUN" refresh >one.out 2>&1 3>&- &
	one=$!
	"$RUN" refresh >two.out 2>&1 3>&- &
	two=$!
	wait_for 10 grep -q 'already running' "$DATA/log/refresh.log"
	kill "$holder"
	wait "$one"
	wait "$two"
	assert_empty_file one.out
	assert_empty_file two.out
	run grep -c 'refresh: already running (pid [0-9]*); this run skipped' "$DATA/log/refresh.log"
	assert_output 1
	run runs_of
	assert_line -n 1 -p 'refresh ok 0 1 '
	((${#lines[@]} == 2))
	[[ -s $DATA/vendas_por_cidade.ndjson ]]
}

@test "MongoDB killed during a refresh: non-zero, every table unchanged, a failed run shown red" {
	use_pg
	use_mongo before_kill
	load_sales 200 51
	"$RUN" refresh
	tables >before

	# a private server with enough records for the export to take a while
	MONGO_PRIVATE_DIR=$(mktemp -d /tmp/dataops-mongo.XXXXXX)
	at_teardown "'$DATAOPS_ROOT/scripts/mongo-test-server.sh' stop '$MONGO_PRIVATE_DIR'"
	uri=$(env -u MONGO_TEST_URI "$DATAOPS_ROOT/scripts/mongo-test-server.sh" \
		start "$MONGO_PRIVATE_DIR")
	use_mongo doomed "$uri"
	load_sales 20000 52
	export DATAOPS_ATTEMPTS=2
	"$RUN" refresh >out 2>err 3>&- &
	wrapper=$!
	at_teardown "kill $wrapper"
	wait_for 20 descendant "$wrapper" mongo-export >/dev/null
	export_pid=$(descendant "$wrapper" mongo-export)
	[[ -n $export_pid ]]
	kill -STOP "$export_pid"
	server=$(cat "$MONGO_PRIVATE_DIR/pid")
	kill -KILL "$server"
	wait_for 10 gone "$server"
	kill -CONT "$export_pid"
	status=0
	wait "$wrapper" || status=$?
	((status == 69 || status == 75))
	assert_empty_file out
	grep -q "refresh on .* failed with exit status $status, attempt 2 of 2" err
	tables >after
	assert_same before after
	run runs_of
	assert_line -n 1 -e '^refresh retrying (69|75) 1 0$'
	assert_line -n 2 -e '^refresh failed (69|75) 2 0$'

	use_mongo before_kill
	run "$RUN" report
	assert_success
	grep -F '<td class="bad">✘ failed</td>' "$DATA/report.html"
	# .bad is red
	red=$(grep -o -- '--bad:#[0-9a-fA-F]\{6\}' "$DATA/report.html" | head -n 1)
	red=${red#--bad:#}
	((16#${red:0:2} > 16#${red:2:2} + 64 && 16#${red:0:2} > 16#${red:4:2} + 64))
	grep -q '\.bad{color:var(--bad)' "$DATA/report.html"
}

@test "PostgreSQL stopped during the load: every table unchanged" {
	pg_private
	use_pg "$PG_PRIVATE_URI"
	use_mongo pg_stop
	load_sales 200 61
	"$RUN" refresh
	tables >before
	load_sales 200 62

	# hold a lock that the load waits for, in the middle of its transaction
	pg_hold_lock "$PG_URI" vendas_por_modalidade
	at_teardown "kill $LOCKER"
	export DATAOPS_ATTEMPTS=1
	"$RUN" refresh >out 2>err 3>&- &
	wrapper=$!
	at_teardown "kill $wrapper"
	waiting() {
		[[ $(psql "$PG_URI" -qAtX -c "SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'pg-load' AND wait_event_type = 'Lock'") == 1 ]]
	}
	wait_for 30 waiting
	pg_ctl_private -m immediate stop
	status=0
	wait "$wrapper" || status=$?
	((status != 0))
	grep -q 'pg-load' "$DATA/log/refresh.log"
	pg_ctl_private start
	tables >after
	assert_same before after
	run runs_of
	assert_line -n 1 -e '^refresh failed [0-9]+ 1 0$'
}

@test "PostgreSQL down at first, up within the retry window: success on a later attempt, both recorded" {
	pg_private
	use_pg "$PG_PRIVATE_URI"
	use_mongo comeback
	load_sales 300 71
	pg_ctl_private -m fast stop
	export DATAOPS_ATTEMPTS=5
	"$RUN" refresh >out 2>err 3>&- &
	wrapper=$!
	at_teardown "kill $wrapper"
	wait_for 30 grep -qs '"status":"retrying"' "$RUNS"
	pg_ctl_private start
	status=0
	wait "$wrapper" || status=$?
	((status == 0))
	assert_empty_file out
	assert_empty_file err
	run runs_of
	assert_line -n 0 'refresh retrying 69 1 0'
	assert_line -e '^refresh ok 0 [2-5] [0-9]+$'
	mongo-export >raw.ndjson 2>/dev/null
	expected_tables raw.ndjson >expected
	tables >actual
	assert_same expected actual
}

# ---- cron -----------------------------------------------------------------

@test "crontab.example: SHELL, PATH, MAILTO and the three jobs through the wrapper" {
	local f=$DATAOPS_ROOT/crontab.example

	grep -Eq '^SHELL=/bin/bash$' "$f"
	grep -Eq '^PATH=' "$f"
	grep -Eq '^MAILTO=' "$f"
	grep -Eq '^\*/5 \* \* \* \*[[:space:]]+/opt/dataops/scripts/dataops-run generate$' "$f"
	grep -Eq '^\* \* \* \* \*[[:space:]]+/opt/dataops/scripts/dataops-run refresh$' "$f"
	grep -Eq '^\* \* \* \* \*[[:space:]]+/opt/dataops/scripts/dataops-run report$' "$f"
	grep -q 'crontab crontab.example' "$f"
}

@test "crontab.example installs with crontab -u, and each command runs under env -i with only what it sets" {
	[[ $(id -u) == 0 ]] || skip "needs root (useradd, crontab -u)"
	cron_user
	crontab_for_test >crontab
	run crontab -u "$CRON_USER" crontab
	assert_success
	run crontab -u "$CRON_USER" -l
	assert_success
	assert_output "$(cat crontab)"

	# the environment lines, then each command, as cron would run it
	envs=()
	commands=()
	while IFS= read -r line; do
		case $line in
		'' | '#'*) ;;
		[A-Za-z_]*=*) envs+=("$line") ;;
		*)
			read -r _ _ _ _ _ cmd <<<"$line"
			commands+=("$cmd")
			;;
		esac
	done <crontab
	((${#commands[@]} == 3))
	shell=$(printf '%s\n' "${envs[@]}" | sed -n 's/^SHELL=//p')
	for cmd in "${commands[@]}"; do
		run runuser -u "$CRON_USER" -- env -i "${envs[@]}" "$shell" -c "$cmd"
		assert_success
		assert_output ''
	done
	run runs_of "$CRON_DIR/home/data/state/runs.ndjson"
	assert_output 'generate ok 0 1 2
refresh ok 0 1 '"$(cat "$CRON_DIR"/home/data/vendas_por_*.ndjson | wc -l)"'
report ok 0 1 0'
	assert_file_exists "$CRON_DIR/home/data/report.html"
}

@test "Debian's cron daemon runs a one-minute job through the wrapper (up to 75 s)" {
	[[ $(id -u) == 0 ]] || skip "needs root (useradd, crontab -u, cron)"
	cron_user
	{
		crontab_for_test | grep -Ev '^[*0-9]'
		echo "* * * * * $CRON_DIR/app/scripts/dataops-run report"
	} >crontab
	crontab -u "$CRON_USER" crontab
	if ! running cron; then
		cron -f </dev/null >/dev/null 2>&1 3>&- &
		at_teardown "kill $!"
	fi
	runs=$CRON_DIR/home/data/state/runs.ndjson
	wait_for 75 grep -q '"job":"report"' "$runs"
	run runs_of "$runs"
	assert_output 'report ok 0 1 0'
}

@test "the wrapper and the jobs are shellcheck clean" {
	run shellcheck "$DATAOPS_ROOT"/scripts/dataops-run \
		"$DATAOPS_ROOT"/scripts/job-*.sh "$DATAOPS_ROOT"/scripts/demo.sh
	assert_success
	assert_output ''
}
