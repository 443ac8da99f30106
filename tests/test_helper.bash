# shellcheck shell=bash
#
# tests/test_helper.bash: what every bats suite shares.  A suite starts
# with `load test_helper` and `bats_require_minimum_version 1.5.0`, and
# calls common_setup from its setup().
#
#   1. environment   bin/ first on PATH, a fixed locale and time zone,
#                    no colour or configuration from the caller
#   2. libraries     bats-support, bats-assert, bats-file
#   3. scratch       a per-test directory, the fixtures
#   4. references    ref_agg (tests/ref_agg.py), generated and converted data
#   5. assertions    on stderr and on whole files
#   6. services      PostgreSQL and MongoDB for the suites that need them
#                    (to come: each behind a function, started once per file)

# 1. Environment --------------------------------------------------------

# The checkout this file is in (tests/..), whichever directory holds the
# suite that loads it.
DATAOPS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIXTURES=$DATAOPS_ROOT/tests/fixtures
# the programs under test: bin/, or DATAOPS_BIN (make check-asan)
PATH="${DATAOPS_BIN:-$DATAOPS_ROOT/bin}:$PATH"
export DATAOPS_ROOT FIXTURES PATH

# UTF-8 text, byte-order sorting in the tools the tests use (sort, comm).
export LC_ALL=C.UTF-8
# A time zone three hours west of UTC and no tzdata needed: a program that
# takes a day or a month in local time instead of UTC gets it wrong here.
export TZ=BRT3
# Colour decisions are the program's own: nothing forced from outside.
unset NO_COLOR CLICOLOR CLICOLOR_FORCE FORCE_COLOR
# The programs read these; a test sets what it needs, nothing leaks in
# from the caller's .env.
unset MONGO_URI MONGO_DB MONGO_COLLECTION PG_URI PGHOST PGPORT PGDATABASE \
    PGUSER PGPASSWORD PGSERVICE

# 2. Libraries ----------------------------------------------------------

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '/usr/lib/bats/bats-file/load'

# 3. Scratch ------------------------------------------------------------

# common_setup: run each test in its own empty directory, so that file
# names in messages are short and nothing is shared between tests.
common_setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# 4. References ---------------------------------------------------------

# ref_agg [--merge] [--skip-bad] KIND [FILE...]: the reference aggregation
# (KIND month, day, state, city or mode) of FILE... on stdout.
ref_agg() {
	python3 "$DATAOPS_ROOT/tests/ref_agg.py" "$@"
}

# GEN_NOW: the fixed "now" of the generated data.
GEN_NOW=2025-06-30T12:00:00Z

# gen_data [N [SEED]]: print the path of a file of N (20000) sale records
# from gen-sales with seed SEED (7), made once per bats file.
gen_data() {
	local n=${1:-20000} seed=${2:-7}
	local f=$BATS_FILE_TMPDIR/gen-$n-$seed.ndjson

	if [[ ! -s $f ]]; then
		if ! gen-sales -n "$n" -s "$seed" --now "$GEN_NOW" >"$f.tmp"; then
			echo "gen_data: gen-sales -n $n -s $seed failed" >&2
			return 1
		fi
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# gen_cents [N [SEED]]: gen_data's file with the cents of each
# total_faturado varied (gen-sales writes whole multiples of ten reais), so
# that sums of cents are exercised.
gen_cents() {
	local src f

	src=$(gen_data "$@") || return 1
	f=${src%.ndjson}-cents.ndjson
	if [[ ! -s $f ]]; then
		awk '{
			if (match($0, /"total_faturado":[0-9]+\.[0-9][0-9]/)) {
				e = RSTART + RLENGTH - 1
				$0 = substr($0, 1, e - 2) \
				    sprintf("%02d", NR * 37 % 100) substr($0, e + 1)
			}
			print
		}' "$src" >"$f.tmp" && mv "$f.tmp" "$f" || return 1
	fi
	echo "$f"
}

# to_extjson FILE: FILE's sale records as a MongoDB export writes them:
# _id as $oid, numbers in $numberInt/$numberLong/$numberDouble/
# $numberDecimal, data_venda as each of the three $date forms in turn
# (an ISO string at midnight, $numberLong and plain milliseconds late and
# mid-day), number texts kept digit for digit.
to_extjson() {
	python3 - "$1" <<'PY'
import hashlib, json, sys
from datetime import date

class Num(str):
    pass

def emit(v):
    if isinstance(v, Num):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" +
                              emit(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(map(emit, v)) + "]"
    return json.dumps(v, ensure_ascii=False)

def wrap(kind, text):
    return {kind: text}

with open(sys.argv[1], encoding="utf-8") as f:
    for i, line in enumerate(f):
        if not line.strip():
            continue
        r = json.loads(line, parse_int=Num, parse_float=Num)
        out = {}
        for k, v in r.items():
            if k == "_id":
                v = {"$oid": hashlib.md5(v.encode()).hexdigest()[:24]}
            elif k == "data_venda":
                days = (date.fromisoformat(v) - date(1970, 1, 1)).days
                form = i % 3
                if form == 0:
                    v = {"$date": v + "T00:00:00Z"}
                elif form == 1:
                    ms = days * 86400000 + 86399999
                    v = {"$date": {"$numberLong": str(ms)}}
                else:
                    v = {"$date": Num(days * 86400000 + 43200000)}
            elif k == "timestamp":
                v = {"$date": v}
            elif k in ("total_vendas", "quantidade_moto_mais_vendida"):
                v = wrap(("$numberInt", "$numberLong")[i % 2], str(v))
            elif k in ("total_faturado", "preco_total"):
                v = wrap(("$numberDecimal", "$numberDouble")[i % 2], str(v))
            out[k] = v
        print(emit(out))
PY
}

# 5. Assertions ---------------------------------------------------------

# run_to FILE CMD...: `run --separate-stderr CMD...` with CMD's standard
# output saved byte for byte in FILE ($output stays empty, $stderr and
# $stderr_lines hold the standard error).
run_to() {
	local file=$1

	shift
	run --separate-stderr _run_to "$file" "$@"
}

_run_to() {
	local file=$1

	shift
	"$@" >"$file"
}

# assert_status N: the last `run` exited with status N; if not, show its
# standard error.
# shellcheck disable=SC2154
assert_status() {
	if [[ $status != "$1" ]]; then
		{
			echo "-- exit status $status, expected $1 --"
			echo "stderr:"
			printf '%s\n' "${stderr:-}" | head -n 20
			echo "--"
		} | fail
		return 1
	fi
}

# wait_for SECONDS CMD...: run CMD every 0.05 s until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))

	shift
	until "$@"; do
		if ((SECONDS >= deadline)); then
			echo "wait_for: gave up after waiting for: $*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# The stderr assertions below hand bats-assert a local $output and $lines
# made from $stderr and $stderr_lines, which `run --separate-stderr` sets.

# assert_stderr [-p|-e] [EXPECTED]: assert_output on stderr.
# shellcheck disable=SC2034,SC2154
assert_stderr() {
	local output=$stderr

	assert_output "$@"
}

# assert_stderr_line [-n N] [-p|-e] EXPECTED: assert_line on stderr.
# shellcheck disable=SC2034,SC2154
assert_stderr_line() {
	local output=$stderr
	local -a lines=("${stderr_lines[@]}")

	assert_line "$@"
}

# refute_stderr_line [-p|-e] UNEXPECTED: refute_line on stderr.
# shellcheck disable=SC2034,SC2154
refute_stderr_line() {
	local output=$stderr
	local -a lines=("${stderr_lines[@]}")

	refute_line "$@"
}

# assert_same EXPECTED ACTUAL: the two files are identical byte for byte;
# on failure show the start of a unified diff.
assert_same() {
	local diffs

	if ! diffs=$(diff -u -- "$1" "$2"); then
		{
			echo "-- files differ: $1 (expected) $2 (actual) --"
			printf '%s\n' "$diffs" | head -n 40
			echo "--"
		} | fail
		return 1
	fi
}

# assert_empty_file FILE: FILE exists and holds nothing.
assert_empty_file() {
	assert_file_exists "$1"
	if [[ -s $1 ]]; then
		{
			echo "-- file is not empty: $1 --"
			head -c 2000 -- "$1"
			echo "--"
		} | fail
		return 1
	fi
}

# tty_lines FILE: the lines of a terminal session (what script(1) wrote to
# FILE) as the screen ends up showing them: of each line, what follows its
# last carriage return, erase-to-end-of-line escapes dropped.  A progress
# line rewritten in place shows as its last text.
tty_lines() {
	sed 's/\r$//; s/.*\r//; s/\x1b\[K//g' "$1"
}

# 6. Services -----------------------------------------------------------
#
# scripts/run-tests.sh starts one throw-away PostgreSQL for the whole run
# (scripts/pg-test-server.sh) unless PG_TEST_URI names one, and exports
# PG_TEST_URI.  A suite that needs it calls pg_setup from setup_file: the
# suite gets a database of its own, and every test of it finds PG_URI
# pointing there.  Run alone (`bats tests/pg-load.bats`), a suite starts a
# server of its own.

# pg_setup: in setup_file: a fresh database for this suite.
pg_setup() {
	local base query db

	if [[ -z ${PG_TEST_URI:-} ]]; then
		PG_OWN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dataops-pg.XXXXXX") || return 1
		PG_TEST_URI=$("$DATAOPS_ROOT/scripts/pg-test-server.sh" start "$PG_OWN_DIR") || return 1
		export PG_OWN_DIR PG_TEST_URI
	fi
	db=t_$(basename "$BATS_TEST_FILENAME" .bats | tr -c 'a-z0-9\n' _)_$$
	psql "$PG_TEST_URI" -qAtX -v ON_ERROR_STOP=1 \
	    -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" || return 1
	base=${PG_TEST_URI%%\?*}
	query=${PG_TEST_URI#"$base"}
	PG_SUITE_URI=${base%/*}/$db$query
	PG_SUITE_DB=$db
	export PG_SUITE_URI PG_SUITE_DB
	PG_URI=$PG_SUITE_URI
	export PG_URI
}

# pg_teardown: in teardown_file: drop the suite's database (and stop the
# suite's own server, if it started one).
pg_teardown() {
	if [[ -n ${PG_SUITE_DB:-} ]]; then
		psql "$PG_TEST_URI" -qAtX \
		    -c "DROP DATABASE IF EXISTS \"$PG_SUITE_DB\" WITH (FORCE)" >/dev/null 2>&1
	fi
	if [[ -n ${PG_OWN_DIR:-} ]]; then
		"$DATAOPS_ROOT/scripts/pg-test-server.sh" stop "$PG_OWN_DIR"
	fi
}

# pg_use_schema: in setup: a fresh, empty schema for this test (tN),
# first and only in the search_path of every connection made with PG_URI;
# TEST_SCHEMA is its name.
pg_use_schema() {
	local s=t${BATS_TEST_NUMBER} sep='?'

	psql "$PG_SUITE_URI" -qAtX -v ON_ERROR_STOP=1 \
	    -c 'SET client_min_messages = warning' \
	    -c "DROP SCHEMA IF EXISTS $s CASCADE" -c "CREATE SCHEMA $s" \
	    >/dev/null || return 1
	[[ $PG_SUITE_URI == *\?* ]] && sep='&'
	PG_URI="$PG_SUITE_URI${sep}options=-csearch_path%3D$s"
	TEST_SCHEMA=$s
	export PG_URI TEST_SCHEMA
}

# pg_hold_lock URI TABLE[, TABLE...]: another session (psycopg2) locks
# the tables in ACCESS EXCLUSIVE mode and holds them until it is killed,
# 5 minutes at most; LOCKER is its pid.  Returns once the lock is held.
pg_hold_lock() {
	local flag

	flag=$(mktemp -u "$BATS_TEST_TMPDIR/locked.XXXXXX")
	/usr/bin/python3 -c '
import psycopg2, sys, time
c = psycopg2.connect(sys.argv[1])
c.cursor().execute("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE" % sys.argv[2])
open(sys.argv[3], "w").close()
time.sleep(300)' "$1" "$2" "$flag" >/dev/null 2>&1 3>&- &
	# shellcheck disable=SC2034 # for the caller
	LOCKER=$!
	wait_for 10 test -e "$flag"
}

# psql_q SQL: the rows of SQL from the suite's database, unaligned, for
# checking what a program wrote with an independent client.
psql_q() {
	psql "$PG_URI" -qAtX -v ON_ERROR_STOP=1 -c "$1"
}

# Each test of a suite that called pg_setup talks to the suite's database.
if [[ -n ${PG_SUITE_URI:-} ]]; then
	PG_URI=$PG_SUITE_URI
	export PG_URI
fi

# 7. MongoDB ------------------------------------------------------------
#
# scripts/run-tests.sh starts one MongoDB-wire server for the whole run
# (scripts/mongo-test-server.sh: mongod, or FerretDB) unless MONGO_TEST_URI
# names one, and exports MONGO_TEST_URI.  A suite that needs it calls
# mongo_setup from setup_file: the suite gets a database of its own, and
# every test of it finds MONGO_URI and MONGO_DB pointing there (each test
# picks its MONGO_COLLECTION).  Run alone (`bats tests/mongo-load.bats`), a
# suite starts a server of its own.
#
# What the programs wrote is checked with an independent client: pymongo,
# run by /usr/bin/python3, Debian's python3 with python3-pymongo (the
# python3 first on PATH may be another build that cannot import it).

MONGO_PY=/usr/bin/python3

# mongo_setup: in setup_file: a fresh database for this suite.
mongo_setup() {
	if [[ -z ${MONGO_TEST_URI:-} ]]; then
		MONGO_OWN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dataops-mongo.XXXXXX") || return 1
		MONGO_TEST_URI=$("$DATAOPS_ROOT/scripts/mongo-test-server.sh" start "$MONGO_OWN_DIR") || return 1
		export MONGO_OWN_DIR MONGO_TEST_URI
	fi
	MONGO_SUITE_DB=t_$(basename "$BATS_TEST_FILENAME" .bats | tr -c 'a-z0-9\n' _)_$$
	export MONGO_SUITE_DB
	MONGO_URI=$MONGO_TEST_URI
	MONGO_DB=$MONGO_SUITE_DB
	export MONGO_URI MONGO_DB
	mongo_py 'client.drop_database(db.name)'
}

# mongo_teardown: in teardown_file: drop the suite's database (and stop the
# suite's own server, if it started one).
mongo_teardown() {
	if [[ -n ${MONGO_SUITE_DB:-} && -n ${MONGO_TEST_URI:-} ]]; then
		mongo_py 'client.drop_database(db.name)' >/dev/null 2>&1
	fi
	if [[ -n ${MONGO_OWN_DIR:-} ]]; then
		"$DATAOPS_ROOT/scripts/mongo-test-server.sh" stop "$MONGO_OWN_DIR"
	fi
}

# mongo_py CODE [ARG...]: run the Python statements CODE with pymongo
# against the suite's database, whatever MONGO_URI and MONGO_DB say (or
# against MONGO_PY_URI and MONGO_PY_DB when set): `db` is that database,
# `coll` the collection MONGO_COLLECTION names (default dataops_dados),
# `client` the client; json, os, sys, bson and bson.json_util (as
# json_util) are imported, and sys.argv[1:] holds the ARGs.  Standard input
# is CODE's.
mongo_py() {
	local code=$1

	shift
	MONGO_PY_URI=${MONGO_PY_URI:-$MONGO_TEST_URI} \
	MONGO_PY_DB=${MONGO_PY_DB:-$MONGO_SUITE_DB} \
	"$MONGO_PY" -c 'import json, os, sys
import bson, pymongo
from bson import json_util
client = pymongo.MongoClient(os.environ["MONGO_PY_URI"],
    serverSelectionTimeoutMS=20000)
db = client[os.environ["MONGO_PY_DB"]]
coll = db[os.environ.get("MONGO_COLLECTION") or "dataops_dados"]
'"$code" "$@"
}

# mongo_private_server: in a test: start a server of the test's own, one
# it may kill, on a fresh directory; MONGO_PRIVATE_URI is its URI and
# MONGO_PRIVATE_DIR its directory (the pid is in $MONGO_PRIVATE_DIR/pid).
# Skips the test when no server can be started here (MONGO_TEST_URI names
# an outside server, and there is neither mongod nor Go for FerretDB).
# mongo_private_stop, from teardown, stops it.
mongo_private_server() {
	MONGO_PRIVATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dataops-mongo.XXXXXX") || return 1
	if ! MONGO_PRIVATE_URI=$(MONGO_TEST_URI='' \
	    "$DATAOPS_ROOT/scripts/mongo-test-server.sh" start "$MONGO_PRIVATE_DIR" 2>&1); then
		"$DATAOPS_ROOT/scripts/mongo-test-server.sh" stop "$MONGO_PRIVATE_DIR"
		MONGO_PRIVATE_DIR=
		skip "no server of its own: $MONGO_PRIVATE_URI"
	fi
	MONGO_PRIVATE_URI=${MONGO_PRIVATE_URI##*$'\n'}
}

mongo_private_stop() {
	if [[ -n ${MONGO_PRIVATE_DIR:-} ]]; then
		"$DATAOPS_ROOT/scripts/mongo-test-server.sh" stop "$MONGO_PRIVATE_DIR"
		MONGO_PRIVATE_DIR=
	fi
}

# Each test of a suite that called mongo_setup talks to the suite's database.
if [[ -n ${MONGO_SUITE_DB:-} && -n ${MONGO_TEST_URI:-} ]]; then
	MONGO_URI=$MONGO_TEST_URI
	MONGO_DB=$MONGO_SUITE_DB
	export MONGO_URI MONGO_DB
fi
