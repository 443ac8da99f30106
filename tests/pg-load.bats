#!/usr/bin/env bats
# pg-load: NDJSON records -> rows of PostgreSQL tables, through COPY, every
# table of one invocation in one transaction (man/pg-load.1).
#
# Each test runs in a schema of its own (pg_use_schema) in the suite's
# database (pg_setup), so no test sees another's tables.  What pg-load
# wrote is read back with independent clients: psql (psql_q, and the
# server's own row_to_json) and Debian's psycopg2 (/usr/bin/python3);
# expected values come from tests/ref_agg.py, from Python's json module or
# from the test itself, never from pg-load or pg-export alone.

# JSON in single quotes is on purpose; $stderr and $status come from bats.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

# Debian's Python, which has psycopg2 (the python3 on PATH may not).
PY=/usr/bin/python3

setup_file() {
	pg_setup
}

teardown_file() {
	pg_teardown
}

setup() {
	common_setup
	pg_use_schema
}

# dataops_tables: the four tables of DESIGN.md (tests/fixtures/pg-schema.sql).
dataops_tables() {
	psql "$PG_URI" -qX -v ON_ERROR_STOP=1 -f "$FIXTURES/pg-schema.sql"
}

# db_json TABLE: the rows of TABLE as the server writes them in JSON
# (row_to_json: column order, numeric digits as stored), sorted.
db_json() {
	psql_q "SELECT row_to_json(fp_row) FROM $1 fp_row" | LC_ALL=C sort
}

# fingerprint TABLE: the row count and a digest of every row of TABLE.
fingerprint() {
	# the alias is no column's name: ty has a column t, and t::text
	# would be that column alone
	psql_q "SELECT count(*) || ':' || coalesce(md5(string_agg(fp_row::text,
	    '|' ORDER BY fp_row::text)), '-') FROM $1 fp_row"
}

# rows N WORD: N records {"id":i,"s":"WORD i"}, i = 1..N.
rows() {
	awk -v n="$1" -v w="$2" \
	    'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":%d,\"s\":\"%s %d\"}\n", i, w, i }'
}

# big_table NAME N: NAME (id bigint primary key, s text) holding N rows
# "old i", written by psql.
big_table() {
	psql_q "CREATE TABLE $1 (id bigint PRIMARY KEY, s text);
	    INSERT INTO $1 SELECT g, 'old ' || g FROM generate_series(1, $2) g"
}

# summary_line N T: the line pg-load ends a good run with, as a pattern.
summary_line() {
	local r=rows t=tables

	(($1 == 1)) && r=row
	(($2 == 1)) && t=table
	printf '^pg-load: %s %s into %s %s in [0-9]+\\.[0-9]{2} s$' "$1" "$r" "$2" "$t"
}

ROLLED_BACK='pg-load: nothing loaded: the transaction was rolled back'

# pg_load_sessions: how many connections pg-load has open to this database.
pg_load_sessions() {
	psql_q "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'pg-load' AND datname = current_database()"
}

# wait_copy: wait (up to 20 s) until a pg-load session is inside a COPY.
wait_copy() {
	local i

	for i in $(seq 1 200); do
		[[ $(psql_q "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = 'pg-load'
		    AND datname = current_database() AND query LIKE 'COPY %'") == 1 ]] &&
		    return 0
		sleep 0.1
	done
	echo "wait_copy: no COPY by pg-load after 20 s" >&2
	return 1
}

# wait_no_session: wait (up to 20 s) until pg-load has no session left.
wait_no_session() {
	local i

	for i in $(seq 1 200); do
		[[ $(pg_load_sessions) == 0 ]] && return 0
		sleep 0.1
	done
	echo "wait_no_session: pg-load still connected after 20 s" >&2
	return 1
}

# A table with a column of each kind pg-load converts, holding one row.
typed_table() {
	psql_q "CREATE TABLE ty (k varchar(7) PRIMARY KEY, i bigint,
	    s smallint, n numeric(18,2), f double precision, b boolean,
	    d date, ts timestamptz, j jsonb, t text, u uuid);
	    INSERT INTO ty (k, i, t) VALUES ('k0', 0, 'before')"
}

GOOD1='{"k":"g1","i":1}'
GOOD2='{"k":"g2","i":2}'

# bad_line LINE REASON [OPTION...]: with LINE as line 4 of in.ndjson (after
# a good record and two blank lines, before another good record), pg-load
# -m replace into ty exits 65 with exactly `pg-load: in.ndjson:4: REASON`
# and the roll-back line on stderr, and ty is as it was.
bad_line() {
	local line=$1 reason=$2 before

	shift 2
	printf '%s\n\n\n%s\n%s\n' "$GOOD1" "$line" "$GOOD2" >in.ndjson
	before=$(fingerprint ty)
	run_to out pg-load "$@" -m replace -t ty in.ndjson
	assert_status 65
	assert_stderr "$(printf 'pg-load: in.ndjson:4: %s\n%s' "$reason" "$ROLLED_BACK")"
	assert_empty_file out
	assert_equal "$(fingerprint ty)" "$before"
}

# --- normal runs ----------------------------------------------------------

@test "pg-load: the four aggregate tables of 20000 records equal the reference, in one run" {
	gen=$(gen_data)
	dataops_tables
	agg-by-month "$gen" >month.ndjson
	agg-by-state "$gen" >state.ndjson
	agg-by-state --city "$gen" >city.ndjson
	agg-by-mode "$gen" >mode.ndjson
	run_to out pg-load -m replace -t vendas_por_ano_mes month.ndjson \
	    -t vendas_por_estado state.ndjson -t vendas_por_cidade city.ndjson \
	    -t vendas_por_modalidade mode.ndjson
	assert_status 0
	assert_empty_file out
	n=$(cat month.ndjson state.ndjson city.ndjson mode.ndjson | wc -l)
	assert_stderr --regexp "$(summary_line "$n" 4)"
	for kind in month:vendas_por_ano_mes state:vendas_por_estado \
	    city:vendas_por_cidade mode:vendas_por_modalidade; do
		ref_agg "${kind%%:*}" "$gen" | LC_ALL=C sort >"expected.${kind%%:*}"
		db_json "${kind#*:}" >"got.${kind%%:*}"
		assert_same "expected.${kind%%:*}" "got.${kind%%:*}"
	done
	# a real grouping was checked
	(($(wc -l <expected.city) > 100))
}

@test "pg-load: money to the cent: varied cents, each table from a pipe" {
	gen=$(gen_cents)
	dataops_tables
	agg-by-month "$gen" | pg-load -m replace -t vendas_por_ano_mes
	agg-by-state "$gen" | pg-load -m replace -t vendas_por_estado
	agg-by-state --city "$gen" | pg-load -m replace -t vendas_por_cidade
	agg-by-mode "$gen" | pg-load -m replace -t vendas_por_modalidade
	for kind in month:vendas_por_ano_mes state:vendas_por_estado \
	    city:vendas_por_cidade mode:vendas_por_modalidade; do
		ref_agg "${kind%%:*}" "$gen" | LC_ALL=C sort >expected
		db_json "${kind#*:}" >got
		assert_same expected got
	done
	# the cents are not all zero
	run psql_q "SELECT count(*) FROM vendas_por_cidade
	    WHERE total_faturado <> trunc(total_faturado)"
	((output > 50))
}

@test "pg-load: replace twice gives the same rows" {
	gen=$(gen_data)
	dataops_tables
	agg-by-state --city "$gen" >city.ndjson
	pg-load -m replace -t vendas_por_cidade city.ndjson
	first=$(fingerprint vendas_por_cidade)
	run_to out pg-load -m replace -t vendas_por_cidade city.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line "$(wc -l <city.ndjson)" 1)"
	assert_equal "$(fingerprint vendas_por_cidade)" "$first"
	ref_agg city "$gen" | LC_ALL=C sort >expected
	db_json vendas_por_cidade >got
	assert_same expected got
}

@test "pg-load: replace leaves only the new rows" {
	big_table t 100
	rows 3 new >in.ndjson
	run_to out pg-load -m replace -t t in.ndjson
	assert_status 0
	run psql_q "SELECT id, s FROM t ORDER BY id"
	assert_output "$(printf '1|new 1\n2|new 2\n3|new 3')"
}

@test "pg-load: append adds rows and keeps the old ones" {
	big_table t 2
	printf '{"id":10,"s":"ten"}\n{"s":"eleven","id":11}\n' >in.ndjson
	run_to out pg-load -t t in.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 2 1)"
	run psql_q "SELECT id, s FROM t ORDER BY id"
	assert_output "$(printf '1|old 1\n2|old 2\n10|ten\n11|eleven')"
	# -m append says the same as the default
	printf '{"id":12,"s":"twelve"}\n' >in2.ndjson
	run_to out pg-load -m append -t t in2.ndjson
	assert_status 0
	assert_equal "$(psql_q 'SELECT count(*) FROM t')" 5
}

@test "pg-load: append of a key already there: 65 at its line, nothing added" {
	big_table t 2
	printf '{"id":10,"s":"ten"}\n\n{"id":2,"s":"again"}\n' >in.ndjson
	before=$(fingerprint t)
	run_to out pg-load -t t in.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: in.ndjson:3: duplicate key value violates unique constraint "t_pkey"'
	assert_stderr_line "$ROLLED_BACK"
	assert_equal "$(fingerprint t)" "$before"
}

@test "pg-load: upsert inserts new keys, updates existing ones, leaves the others" {
	psql_q "CREATE TABLE u (k text PRIMARY KEY, v bigint, w text);
	    INSERT INTO u VALUES ('a', 1, 'x'), ('b', 2, 'y'), ('c', 3, 'z')"
	printf '{"k":"b","v":20,"w":"yy"}\n{"k":"d","v":4,"w":"new"}\n' >in.ndjson
	run_to out pg-load -m upsert -t u in.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 2 1)"
	run psql_q "SELECT k, v, w FROM u ORDER BY k"
	assert_output "$(printf 'a|1|x\nb|20|yy\nc|3|z\nd|4|new')"
}

@test "pg-load: upsert replaces the whole row: a key missing from the record is NULL" {
	psql_q "CREATE TABLE u (k text PRIMARY KEY, v bigint, w text);
	    INSERT INTO u VALUES ('a', 1, 'x')"
	echo '{"k":"a","v":10}' | pg-load -m upsert -t u
	run psql_q "SELECT k, v, w IS NULL FROM u"
	assert_output 'a|10|t'
}

@test "pg-load: upsert on a composite primary key (vendas_por_cidade)" {
	dataops_tables
	psql_q "INSERT INTO vendas_por_cidade VALUES
	    ('Ceará', 'Fortaleza', 1, 1.00, 1, 1), ('Ceará', 'Sobral', 2, 2.00, 2, 2)"
	cat >in.ndjson <<-'EOF'
	{"estado":"Ceará","cidade":"Sobral","total_vendas":20,"total_faturado":20.50,"quantidade_motos_vendidas":20,"registros":20}
	{"estado":"Piauí","cidade":"Sobral","total_vendas":3,"total_faturado":3.00,"quantidade_motos_vendidas":3,"registros":3}
	EOF
	run_to out pg-load -m upsert -t vendas_por_cidade in.ndjson
	assert_status 0
	run psql_q "SELECT estado, cidade, total_vendas, total_faturado FROM vendas_por_cidade ORDER BY 1, 2"
	assert_output "$(printf 'Ceará|Fortaleza|1|1.00\nCeará|Sobral|20|20.50\nPiauí|Sobral|3|3.00')"
}

@test "pg-load: upsert with -k on a table whose key is a unique index, not a primary key" {
	psql_q "CREATE TABLE u (id serial, k text UNIQUE, v bigint);
	    INSERT INTO u (id, k, v) VALUES (1, 'a', 1)"
	printf '{"id":1,"k":"a","v":10}\n{"id":2,"k":"b","v":2}\n' >in.ndjson
	run_to out pg-load -m upsert -k k -t u in.ndjson
	assert_status 0
	run psql_q "SELECT id, k, v FROM u ORDER BY k"
	assert_output "$(printf '1|a|10\n2|b|2')"
}

@test "pg-load: upsert without a key: 64, with -k on a column without a unique index: 65" {
	psql_q "CREATE TABLE nok (k text, v bigint); INSERT INTO nok VALUES ('a', 1)"
	echo '{"k":"a","v":2}' >in.ndjson
	run_to out pg-load -m upsert -t nok in.ndjson
	assert_status 64
	assert_stderr_line 'pg-load: nok: upsert needs a key: the table has no primary key, give -k'
	run_to out pg-load -m upsert -k k -t nok in.ndjson
	assert_status 65
	assert_stderr_line --partial 'no unique or exclusion constraint matching the ON CONFLICT'
	run psql_q "SELECT k, v FROM nok"
	assert_output 'a|1'
}

@test "pg-load: upsert of the same key twice in one input: 65, nothing changed" {
	psql_q "CREATE TABLE u (k text PRIMARY KEY, v bigint); INSERT INTO u VALUES ('a', 1)"
	printf '{"k":"a","v":2}\n{"k":"a","v":3}\n' >in.ndjson
	run_to out pg-load -m upsert -t u in.ndjson
	assert_status 65
	assert_stderr_line "$ROLLED_BACK"
	run psql_q "SELECT k, v FROM u"
	assert_output 'a|1'
}

@test "pg-load: keys map to columns by name, in any order; a missing key is NULL" {
	psql_q "CREATE TABLE t (a text, b bigint, c numeric, d boolean)"
	cat >in.ndjson <<-'EOF'
	{"d":true,"c":1.5,"b":2,"a":"x"}
	{"b":3}
	{}
	EOF
	run_to out pg-load -t t in.ndjson
	assert_status 0
	run psql_q "SELECT coalesce(a, '<null>'), coalesce(b::text, '<null>'),
	    coalesce(c::text, '<null>'), coalesce(d::text, '<null>') FROM t ORDER BY b NULLS LAST"
	assert_output "$(printf 'x|2|1.5|true\n<null>|3|<null>|<null>\n<null>|<null>|<null>|<null>')"
}

@test "pg-load: JSON null is SQL NULL in every column, json and jsonb included" {
	psql_q "CREATE TABLE t (id int, a text, b bigint, c date, j json, jb jsonb)"
	echo '{"id":1,"a":null,"b":null,"c":null,"j":null,"jb":null}' >in.ndjson
	run_to out pg-load -t t in.ndjson
	assert_status 0
	run psql_q "SELECT a IS NULL, b IS NULL, c IS NULL, j IS NULL, jb IS NULL FROM t"
	assert_output 't|t|t|t|t'
}

@test "pg-load: a key names its column exactly, letter case included" {
	psql_q 'CREATE TABLE t (a text, "A" text)'
	echo '{"a":"lower","A":"upper"}' | pg-load -t t
	run psql_q 'SELECT a, "A" FROM t'
	assert_output 'lower|upper'
}

@test "pg-load: values of each column type, as the server reads them" {
	typed_table
	cat >in.ndjson <<-'EOF'
	{"k":"a","i":4.0,"s":1e3,"n":12345678.905e1,"f":0.1,"b":true,"d":"2025-03-01","ts":"2025-03-01T12:00:00.5-03:00","j":{"x":[1,"2",null]},"t":"plain","u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}
	{"k":"b","i":-9223372036854775808,"n":-0.50,"b":false,"d":"2025-03-01T23:30:00-03:00","ts":"2025-03-01 12:00","j":"str","t":12.50}
	{"k":"c","i":9223372036854775807,"n":9999999999999999.99,"j":[],"t":true}
	EOF
	run_to out pg-load -m replace -t ty in.ndjson
	assert_status 0
	run psql_q "SELECT k, i, s, n, f, b, d, ts AT TIME ZONE 'UTC', j::text, t, u FROM ty ORDER BY k"
	assert_output "$(printf '%s\n' \
	    'a|4|1000|123456789.05|0.1|t|2025-03-01|2025-03-01 15:00:00.5|{"x": [1, "2", null]}|plain|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' \
	    'b|-9223372036854775808||-0.50||f|2025-03-02|2025-03-01 12:00:00|"str"|12.50|' \
	    'c|9223372036854775807||9999999999999999.99|||||[]|true|')"
}

@test "pg-load: numeric keeps every digit of the record" {
	psql_q "CREATE TABLE t (id int, n numeric)"
	printf '{"id":1,"n":12345678901234567890.12}\n{"id":2,"n":0.000000000000000000000001}\n{"id":3,"n":-1e-3}\n' >in.ndjson
	pg-load -t t in.ndjson
	run psql_q "SELECT n FROM t ORDER BY id"
	assert_output "$(printf '12345678901234567890.12\n0.000000000000000000000001\n-0.001')"
}

# binary_tables: bt and bt2, of every type pg-load writes in COPY's
# binary format.
binary_tables() {
	psql_q "CREATE TABLE bt (k int4 PRIMARY KEY, a int2, b int4, c int8,
	    n numeric, n2 numeric(10,2), bo boolean, d date, ts timestamptz,
	    tx text, v varchar(20), j json, jb jsonb);
	    CREATE TABLE bt2 (LIKE bt INCLUDING ALL)"
}

# copy_log: the server's log, when the server is the one the tests
# started (scripts/pg-test-server.sh: DIR/data and DIR/log); else skip.
copy_log() {
	local data

	data=$(psql_q 'SHOW data_directory' 2>/dev/null) || data=
	[[ -n $data && -r ${data%/data}/log ]] ||
	    skip "the server's log is not ours to read"
	SERVER_LOG=${data%/data}/log
}

@test "pg-load: binary COPY and text COPY give the same rows, value for value" {
	binary_tables
	$PY "$BATS_TEST_DIRNAME/pg-binary-gen.py" 3000 7 >in.ndjson
	run_to out pg-load -t bt in.ndjson
	assert_status 0
	run_to out pg-load --text-copy -t bt2 in.ndjson
	assert_status 0
	# the server's text of every row: digits, scales, microseconds
	run psql_q "SELECT count(*) FROM bt"
	assert_output 3000
	assert_equal "$(fingerprint bt)" "$(fingerprint bt2)"
	run psql_q "SELECT count(*) FROM bt WHERE n IS NOT NULL AND d IS NOT NULL
	    AND ts IS NOT NULL AND j IS NOT NULL AND tx <> ''"
	[ "$output" -gt 1000 ]
}

@test "pg-load: rows go in binary format where the types allow, in text with --text-copy or another type" {
	local u=$RANDOM$RANDOM from

	copy_log
	psql_q "CREATE TABLE b1_$u (k int4, d date, ts timestamptz, n numeric);
	    CREATE TABLE b2_$u (LIKE b1_$u); CREATE TABLE b3_$u (LIKE b1_$u);
	    CREATE TABLE o_$u (k int4, f float8)"
	printf '{"k":1,"d":"2025-03-01","ts":"2025-03-01T12:00:00Z","n":1.5}\n' >in.ndjson
	printf '{"k":1,"f":0.5}\n' >other.ndjson
	from=$(($(stat -c %s "$SERVER_LOG") + 1))
	PG_URI=$PG_URI%20-clog_statement%3Dall pg-load -t b1_$u in.ndjson \
	    -t o_$u other.ndjson
	PG_URI=$PG_URI%20-clog_statement%3Dall pg-load --text-copy \
	    -t b2_$u in.ndjson
	# two COPYs for b3: binary up to line 2, text from there
	printf '{"k":2,"d":"2025/03/02"}\n' >>in.ndjson
	PG_URI=$PG_URI%20-clog_statement%3Dall pg-load -t b3_$u in.ndjson
	tail -c +$from "$SERVER_LOG" | grep -o "COPY \"[a-z0-9_]*_$u\" (.*) FROM STDIN.*" >log
	run cat log
	assert_output "$(printf '%s\n' \
	    "COPY \"b1_$u\" (\"k\", \"d\", \"ts\", \"n\") FROM STDIN (FORMAT binary)" \
	    "COPY \"o_$u\" (\"k\", \"f\") FROM STDIN" \
	    "COPY \"b2_$u\" (\"k\", \"d\", \"ts\", \"n\") FROM STDIN" \
	    "COPY \"b3_$u\" (\"k\", \"d\", \"ts\", \"n\") FROM STDIN (FORMAT binary)" \
	    "COPY \"b3_$u\" (\"k\", \"d\", \"ts\", \"n\") FROM STDIN")"
	run psql_q "SELECT count(*) FROM b3_$u"
	assert_output 2
}

@test "pg-load: a type named as a built-in one, in another schema, goes in text format" {
	psql_q "CREATE TYPE $TEST_SCHEMA.text AS (a int, b text);
	    CREATE TABLE c (k int, r $TEST_SCHEMA.text)"
	echo '{"k":1,"r":"(5,five)"}' >in.ndjson
	run_to out pg-load -t c in.ndjson
	assert_status 0
	run psql_q "SELECT k, (r).a, (r).b FROM c"
	assert_output '1|5|five'
}

@test "pg-load: a value only the server reads sends the rest of the input in text format" {
	binary_tables
	# line 3: a date, line 5: a number, line 7: an instant in forms
	# pg-load does not write in binary; the server reads them
	cat >in.ndjson <<-'EOF'
	{"k":1,"d":"2025-03-01","n":1.5}
	{"k":2,"d":"2025-03-02"}
	{"k":3,"d":"2025/03/03"}
	{"k":4,"d":"2025-03-04"}
	{"k":5,"n":2.5e2}
	{"k":6,"b":2147483647}
	{"k":7,"ts":"2025-03-01 12:00:00+00"}
	EOF
	run_to out pg-load -t bt in.ndjson
	assert_status 0
	run psql_q "SELECT k, d, n, b, ts FROM bt ORDER BY k"
	assert_output "$(printf '%s\n' '1|2025-03-01|1.5||' '2|2025-03-02|||' \
	    '3|2025-03-03|||' '4|2025-03-04|||' '5||250||' '6|||2147483647|' \
	    '7||||2025-03-01 12:00:00+00')"
}

@test "pg-load: the server's errors name the input line in binary format and after the switch to text" {
	binary_tables
	psql_q "INSERT INTO bt (k) VALUES (4)"
	before=$(fingerprint bt)
	# binary: a key already there, a value too long, a scale too large
	for bad in '{"k":4}' '{"k":9,"v":"123456789012345678901"}' \
	    '{"k":9,"n2":123456789.5}'; do
		printf '{"k":1}\n\n{"k":2}\n%s\n{"k":5}\n' "$bad" >in.ndjson
		run_to out pg-load -t bt in.ndjson
		assert_status 65
		assert_stderr --regexp '^pg-load: in\.ndjson:4: (duplicate key|value too long|numeric field overflow)'
		assert_equal "$(fingerprint bt)" "$before"
	done
	# text, after a value that switched: lines still the file's
	printf '{"k":1}\n{"k":2,"d":"2025/03/01"}\n\n{"k":3}\n{"k":4}\n' >in.ndjson
	run_to out pg-load -t bt in.ndjson
	assert_status 65
	assert_stderr --regexp '^pg-load: in\.ndjson:5: duplicate key'
	# an int4 out of range and a day that is not: the server's words
	printf '{"k":1}\n{"k":2,"b":2147483648}\n' >in.ndjson
	run_to out pg-load -t bt in.ndjson
	assert_status 65
	assert_stderr --partial 'in.ndjson:2: value "2147483648" is out of range for type integer'
	printf '{"k":1}\n{"k":2}\n{"k":3,"d":"2025-02-30"}\n' >in.ndjson
	run_to out pg-load -t bt in.ndjson
	assert_status 65
	assert_stderr --partial 'in.ndjson:3: date/time field value out of range: "2025-02-30"'
	assert_equal "$(fingerprint bt)" "$before"
}

@test "pg-load: MongoDB extended JSON values" {
	psql_q "CREATE TABLE t (oid text, i int, l bigint, f double precision,
	    n numeric, d date, ts timestamptz, ts2 timestamptz, txt text)"
	cat >in.ndjson <<-'EOF'
	{"oid":{"$oid":"5f1d7a0b2c3e4f5a6b7c8d9e"},"i":{"$numberInt":"5"},"l":{"$numberLong":"9007199254740993"},"f":{"$numberDouble":"1.5"},"n":{"$numberDecimal":"1234.50"},"d":{"$date":{"$numberLong":"1740873599999"}},"ts":{"$date":"2025-03-01T12:00:00Z"},"ts2":{"$date":1740830400123},"txt":{"$date":{"$numberLong":"-1"}}}
	EOF
	run_to out pg-load -t t in.ndjson
	assert_status 0
	run psql_q "SELECT oid, i, l, f, n, d, ts AT TIME ZONE 'UTC', ts2 AT TIME ZONE 'UTC', txt FROM t"
	assert_output '5f1d7a0b2c3e4f5a6b7c8d9e|5|9007199254740993|1.5|1234.50|2025-03-01|2025-03-01 12:00:00|2025-03-01 12:00:00.123|1969-12-31T23:59:59.999Z'
}

@test "pg-load: a schema-qualified table" {
	psql_q "CREATE SCHEMA ${TEST_SCHEMA}_other; CREATE TABLE ${TEST_SCHEMA}_other.t (v int)"
	echo '{"v":7}' >in.ndjson
	run_to out pg-load -t "${TEST_SCHEMA}_other.t" in.ndjson
	assert_status 0
	run psql_q "SELECT v FROM ${TEST_SCHEMA}_other.t"
	assert_output 7
	# a table whose name holds a dot, reached with its schema
	psql_q "CREATE TABLE \"my.table\" (v int)"
	run_to out pg-load -t "$TEST_SCHEMA.my.table" in.ndjson
	assert_status 0
	run psql_q 'SELECT v FROM "my.table"'
	assert_output 7
	psql_q "DROP SCHEMA ${TEST_SCHEMA}_other CASCADE"
}

@test "pg-load: -i ignores keys that name no column" {
	psql_q "CREATE TABLE t (a text)"
	printf '{"a":"x","extra":1,"more":{"deep":[1]}}\n' >in.ndjson
	run_to out pg-load -i -t t in.ndjson
	assert_status 0
	run psql_q "SELECT a FROM t"
	assert_output x
	run_to out pg-load --ignore-unknown -t t in.ndjson
	assert_status 0
	assert_equal "$(psql_q 'SELECT count(*) FROM t')" 2
}

@test "pg-load: generated columns are left to the server" {
	psql_q "CREATE TABLE t (a int, twice int GENERATED ALWAYS AS (a * 2) STORED)"
	echo '{"a":21}' | pg-load -t t
	run psql_q "SELECT a, twice FROM t"
	assert_output '21|42'
}

# --- transactions, concurrency, failures ---------------------------------

@test "pg-load: several tables in one run are committed together" {
	big_table a 5
	big_table b 5
	rows 2 A >a.ndjson
	rows 3 B >b.ndjson
	run_to out pg-load -m replace -t a a.ndjson -t b b.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 5 2)"
	run psql_q "SELECT string_agg(s, ',' ORDER BY id) FROM a UNION ALL SELECT string_agg(s, ',' ORDER BY id) FROM b"
	assert_output "$(printf 'A 1,A 2\nB 1,B 2,B 3')"
}

@test "pg-load: one bad input fails the whole run: the first table's replace is not kept" {
	dataops_tables
	gen=$(gen_data)
	agg-by-month "$gen" | pg-load -m replace -t vendas_por_ano_mes
	agg-by-mode "$gen" | pg-load -m replace -t vendas_por_modalidade
	month=$(fingerprint vendas_por_ano_mes)
	mode=$(fingerprint vendas_por_modalidade)
	echo '{"ano_mes":"2030-01","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' >month.ndjson
	agg-by-mode "$gen" | sed '2s/"total_vendas":/"total_vendas":"x",/' >mode.ndjson
	echo '{"estado":"Ceará","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' >state.ndjson
	run_to out pg-load -m replace -t vendas_por_ano_mes month.ndjson \
	    -t vendas_por_modalidade mode.ndjson -t vendas_por_estado state.ndjson
	assert_status 65
	assert_stderr_line --regexp '^pg-load: mode\.ndjson:2: '
	assert_stderr_line "$ROLLED_BACK"
	assert_equal "$(fingerprint vendas_por_ano_mes)" "$month"
	assert_equal "$(fingerprint vendas_por_modalidade)" "$mode"
	assert_equal "$(psql_q 'SELECT count(*) FROM vendas_por_estado')" 0
}

@test "pg-load: a server error in the last table rolls back the first" {
	big_table a 5
	psql_q "CREATE TABLE b (k varchar(2))"
	before=$(fingerprint a)
	rows 2 new >a.ndjson
	printf '{"k":"ok"}\n{"k":"too long"}\n' >b.ndjson
	run_to out pg-load -m replace -t a a.ndjson -t b b.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: b.ndjson:2: value too long for type character varying(2)'
	assert_equal "$(fingerprint a)" "$before"
	assert_equal "$(psql_q 'SELECT count(*) FROM b')" 0
}

@test "pg-load: replace: concurrent readers never see an empty or partial table" {
	big_table big 30000
	rows 30000 A >a.ndjson
	rows 40000 B >b.ndjson
	# a reader: one psql session counting the rows every 20 ms
	(
		while [[ ! -e stop ]]; do
			echo 'SELECT count(*) FROM big;'
			sleep 0.02
		done | timeout 120 psql "$PG_URI" -qAtX -v ON_ERROR_STOP=1 \
		    >counts 2>errors
		echo $? >reader.rc
	) 3>&- &
	reader=$!
	sleep 0.5
	for i in 1 2 3 4 5 6; do
		f=a.ndjson
		((i % 2)) && f=b.ndjson
		# a slow input keeps each transaction open for a while
		if ! { head -n 10000 "$f"; sleep 0.5; tail -n +10001 "$f"; } |
		    timeout 60 pg-load -m replace -t big 2>>load.err; then
			touch stop
			wait "$reader"
			fail "replace $i failed: $(cat load.err)"
		fi
	done
	sleep 0.3
	touch stop
	wait "$reader"
	assert_equal "$(cat reader.rc)" 0
	assert_empty_file errors
	# every count is a whole table, old or new
	run grep -cvx -e 30000 -e 40000 counts
	assert_output 0
	grep -qx 30000 counts
	grep -qx 40000 counts
	(($(wc -l <counts) >= 60))
	assert_equal "$(psql_q 'SELECT count(*) FROM big')" 30000
}

@test "pg-load: kill -9 in the middle of a COPY leaves the table as it was" {
	big_table big 20000
	before=$(fingerprint big)
	rows 100000 new >in.ndjson
	{ head -n 1000 in.ndjson; sleep 3; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    pg-load -m replace -t big 2>err 3>&- &
	pid=$!
	wait_copy
	kill -9 "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 137
	wait_no_session
	assert_equal "$(fingerprint big)" "$before"
	# wait "$pid" waited for the whole pipeline; a bare wait would also
	# wait for bats' own BATS_TEST_TIMEOUT watchdog, till it fires
	# and nothing was left locked: the next load goes through
	rows 5 next | timeout 30 pg-load -m replace -t big
	assert_equal "$(psql_q 'SELECT count(*) FROM big')" 5
}

@test "pg-load: connection lost in the middle of a COPY: 75, nothing committed" {
	big_table big 20000
	before=$(fingerprint big)
	rows 100000 new >in.ndjson
	{ head -n 1000 in.ndjson; sleep 2; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    pg-load -m replace -t big 2>err 3>&- &
	pid=$!
	wait_copy
	psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	    WHERE application_name = 'pg-load' AND datname = current_database()" >/dev/null
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 75
	run cat err
	assert_line --partial 'terminating connection due to administrator command'
	assert_line "$ROLLED_BACK"
	assert_equal "$(fingerprint big)" "$before"
}

@test "pg-load: a lock timeout or a statement timeout: 75, nothing committed, no line blamed" {
	big_table big 2000
	before=$(fingerprint big)
	# another session holds the table (SQLSTATE 55P03); settings go in
	# the URI's options, which pg_use_schema set (PGOPTIONS would not count)
	pg_hold_lock "$PG_URI" big
	rows 10 new >in.ndjson
	PG_URI=$PG_URI%20-clock_timeout%3D300 run_to out pg-load -m replace -t big in.ndjson
	kill "$LOCKER"
	assert_status 75
	assert_stderr_line --partial 'canceling statement due to lock timeout'
	assert_stderr_line "$ROLLED_BACK"
	wait_no_session
	assert_equal "$(fingerprint big)" "$before"
	# the server cancels the COPY while it waits for input (SQLSTATE
	# 57014): the line it stopped at is not to blame
	rows 20000 new >in.ndjson
	{ head -n 1000 in.ndjson; sleep 2; tail -n +1001 in.ndjson; } 2>/dev/null 3>&- |
	    PG_URI=$PG_URI%20-cstatement_timeout%3D1000 pg-load -m replace -t big \
	    >out 2>err 3>&- || rc=$?
	assert_equal "${rc:-0}" 75
	run cat err
	assert_line --partial 'canceling statement due to statement timeout'
	refute_line --regexp '^pg-load: <stdin>:[0-9]+:'
	assert_line "$ROLLED_BACK"
	assert_equal "$(fingerprint big)" "$before"
}

@test "pg-load: options= in PG_URI wins over PGOPTIONS (ENVIRONMENT)" {
	# PG_URI holds options=-csearch_path=<this test's schema>
	psql_q "CREATE TABLE t (a int)"
	echo '{"a":1}' >in.ndjson
	PGOPTIONS='-c search_path=pg_catalog' run_to out pg-load -t t in.ndjson
	assert_status 0
	run psql_q "SELECT a FROM t"
	assert_output 1
}

@test "pg-load: an unreachable server: 69 at once, and the password is not shown" {
	echo '{"a":1}' >in.ndjson
	start=$(date +%s)
	PG_URI=postgresql://u:secret@127.0.0.1:1/x run_to out timeout 30 pg-load -t t in.ndjson
	assert_status 69
	(($(date +%s) - start < 5))
	assert_stderr --regexp '^pg-load: cannot connect to postgresql://u@127\.0\.0\.1:1/x: .+'
	refute_stderr_line --partial secret
	assert_empty_file out
}

@test "pg-load: a password in the URI's query string is not shown either" {
	echo '{"a":1}' >in.ndjson
	for uri in 'postgresql://u@127.0.0.1:1/x?password=secret' \
	    'postgresql://u@127.0.0.1:1/x?password=secret&connect_timeout=5' \
	    'postgresql://u@127.0.0.1:1/x?connect_timeout=5&password=secret' \
	    'postgres://u:secret@127.0.0.1:1/x'; do
		PG_URI=$uri run_to out timeout 30 pg-load -t t in.ndjson
		assert_status 69
		refute_stderr_line --partial secret
	done
}

@test "pg-load: a password in a key=value PG_URI is not shown, however it is written" {
	echo '{"a":1}' >in.ndjson
	for uri in 'host=127.0.0.1 port=1 dbname=x user=u password=secret' \
	    'password=secret host=127.0.0.1 port=1 dbname=x' \
	    'host=127.0.0.1 port=1 dbname=x password = secret' \
	    "host=127.0.0.1 port=1 dbname=x password='sec ret'"; do
		PG_URI=$uri run_to out timeout 30 pg-load -t t in.ndjson
		assert_status 69
		refute_stderr_line --partial sec
		refute_stderr_line --partial ret\'
	done
}

# silent_server: a TCP listener on 127.0.0.1 that never answers; its port
# in $SILENT_PORT, its process in $SILENT_PID (it ends by itself in 120 s).
silent_server() {
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(120)
' >port 3>&- &
	SILENT_PID=$!
	for _ in $(seq 1 50); do
		[[ -s port ]] && break
		sleep 0.1
	done
	SILENT_PORT=$(cat port)
}

@test "pg-load: a server that does not answer: 69 after PGCONNECT_TIMEOUT or connect_timeout" {
	silent_server
	echo '{"a":1}' >in.ndjson
	start=$(date +%s)
	PGCONNECT_TIMEOUT=2 PG_URI=postgresql://u:secret@127.0.0.1:$SILENT_PORT/x \
	    run_to out timeout 30 pg-load -t t in.ndjson
	took=$(($(date +%s) - start))
	assert_status 69
	((took >= 1 && took < 6))
	refute_stderr_line --partial secret
	start=$(date +%s)
	PG_URI="postgresql://u@127.0.0.1:$SILENT_PORT/x?connect_timeout=2" \
	    run_to out timeout 30 pg-load -t t in.ndjson
	took=$(($(date +%s) - start))
	assert_status 69
	((took >= 1 && took < 6))
	kill "$SILENT_PID"
}

@test "pg-load: a server that does not answer: 69 after 10 s by default" {
	silent_server
	echo '{"a":1}' >in.ndjson
	start=$(date +%s)
	PG_URI=postgresql://u@127.0.0.1:$SILENT_PORT/x run_to out timeout 60 pg-load -t t in.ndjson
	took=$(($(date +%s) - start))
	assert_status 69
	((took >= 9 && took < 16))
	kill "$SILENT_PID"
}

# --- hostile strings and names ------------------------------------------

# The strings of the round-trip tests, as a Python list.
HOSTILE='["tab\there", "new\nline", "cr\rhere", "crlf\r\n", "back\\slash",
"\\.", "\\.\n", "\\N", "\\", "end\\", "\\t\\n", "\"double\" quotes",
"'"'"'single'"'"' quotes", "%n%s%x%d", "$(echo pwned) `id`", "emoji 😀🇧🇷",
"\u202eRTL override\u202c", "zero\u200bwidth\u200c\u200djoin\ufeff",
"\u2028\u2029", "\u0001\u001f\u007f\u0080\u009f", "é À ç ã 日本語 Ελληνικά",
"", " ", "  leading and trailing  ", "null", "\\\\N", "COPY x FROM STDIN;",
"a\tb\\tc\nd\\n", "x" * 100000]'

@test "pg-load: hostile strings arrive byte for byte, and come back through pg-export" {
	psql_q "CREATE TABLE hs (id int PRIMARY KEY, s text, v varchar)"
	HOSTILE=$HOSTILE $PY - >in.ndjson <<-'EOF'
	import json, os
	for i, v in enumerate(eval(os.environ["HOSTILE"]), 1):
	    # every string both escaped to ASCII and written as UTF-8
	    print(json.dumps({"id": 2 * i, "s": v, "v": v}, ensure_ascii=True))
	    print(json.dumps({"v": v, "id": 2 * i + 1, "s": v}, ensure_ascii=False))
	EOF
	run_to out pg-load -t hs in.ndjson
	assert_status 0
	# read back with psycopg2, as bytes
	HOSTILE=$HOSTILE run $PY - <<-'EOF'
	import os, psycopg2
	want = eval(os.environ["HOSTILE"])
	c = psycopg2.connect(os.environ["PG_URI"])
	cur = c.cursor()
	cur.execute("SELECT id, convert_to(s, 'UTF8'), convert_to(v, 'UTF8') FROM hs ORDER BY id")
	got = cur.fetchall()
	assert len(got) == 2 * len(want), len(got)
	for id, s, v in got:
	    w = want[id // 2 - 1].encode("utf-8")
	    assert bytes(s) == w and bytes(v) == w, (id, bytes(s)[:80], w[:80])
	print("ok")
	EOF
	assert_output ok
	# and through pg-export, as JSON
	pg-export hs >exported.ndjson
	run $PY - in.ndjson exported.ndjson <<-'EOF'
	import json, sys
	a = sorted((json.loads(l) for l in open(sys.argv[1], encoding="utf-8")), key=lambda r: r["id"])
	b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
	assert a == b, "differ"
	print("ok")
	EOF
	assert_output ok
	# pg-export | pg-load into a new table keeps them too
	pg-export hs | pg-load --create -k id -t hs2
	run psql_q "SELECT count(*) FROM hs FULL JOIN hs2 USING (id)
	    WHERE hs.s IS DISTINCT FROM hs2.s OR hs.v IS DISTINCT FROM hs2.v"
	assert_output 0
}

@test "pg-load: a string holding U+0000 is a bad record" {
	typed_table
	bad_line '{"k":"b","t":"nul\u0000here"}' '"t" holds a NUL character, which PostgreSQL text cannot'
}

@test "pg-load: a table name is a name, not SQL" {
	psql_q "CREATE TABLE y (v int); INSERT INTO y VALUES (1)"
	echo '{"v":2}' >in.ndjson
	run_to out pg-load -t 'x; drop table y' in.ndjson
	assert_status 65
	assert_stderr "$(printf '%s\n%s' 'pg-load: x; drop table y: no such table (--create makes it)' "$ROLLED_BACK")"
	run_to out pg-load -t 'y; drop table y; --' in.ndjson
	assert_status 65
	run_to out pg-load -t 'y" (v) FROM STDIN; DROP TABLE y; --' in.ndjson
	assert_status 65
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
	# with --create, the hostile name becomes the name of a new table
	run_to out pg-load --create -t 'x; drop table y' in.ndjson
	assert_status 0
	run psql_q "SELECT relname FROM pg_class WHERE relname LIKE 'x;%'"
	assert_output 'x; drop table y'
	run psql_q 'SELECT v FROM "x; drop table y"'
	assert_output 2
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
}

@test "pg-load: a table name holding a double quote" {
	psql_q 'CREATE TABLE "a""b" (v int); CREATE TABLE a (v int); CREATE TABLE b (v int)'
	echo '{"v":3}' >in.ndjson
	run_to out pg-load -t 'a"b' in.ndjson
	assert_status 0
	run psql_q 'SELECT v FROM "a""b"'
	assert_output 3
	assert_equal "$(psql_q 'SELECT count(*) FROM a') $(psql_q 'SELECT count(*) FROM b')" '0 0'
	run_to out pg-load --create -t 'c"d' in.ndjson
	assert_status 0
	run psql_q 'SELECT v FROM "c""d"'
	assert_output 3
}

@test "pg-load: hostile keys become column names with --create, and are names only" {
	psql_q "CREATE TABLE y (v int); INSERT INTO y VALUES (1)"
	$PY - >in.ndjson <<-'EOF'
	import json
	keys = ['a"b', "x y", "Maiúscula", '"; DROP TABLE y; --', "v) FROM STDIN; --", "tab\tkey", "😀"]
	print(json.dumps({k: i for i, k in enumerate(keys)}))
	EOF
	run_to out pg-load --create -t weird in.ndjson
	assert_status 0
	run $PY - in.ndjson <<-'EOF'
	import json, os, sys, psycopg2
	rec = json.loads(open(sys.argv[1], encoding="utf-8").read())
	c = psycopg2.connect(os.environ["PG_URI"])
	cur = c.cursor()
	cur.execute("""SELECT column_name FROM information_schema.columns
	    WHERE table_name = 'weird' AND table_schema = current_schema()
	    ORDER BY ordinal_position""")
	assert [r[0] for r in cur.fetchall()] == list(rec), "columns"
	cur.execute("SELECT * FROM weird")
	assert list(cur.fetchone()) == list(rec.values()), "values"
	print("ok")
	EOF
	assert_output ok
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
}

@test "pg-load: -k is column names, not SQL" {
	psql_q "CREATE TABLE y (v int PRIMARY KEY); INSERT INTO y VALUES (1)"
	echo '{"v":1}' >in.ndjson
	run_to out pg-load -m upsert -k 'v) DO NOTHING; DROP TABLE y; --' -t y in.ndjson
	assert_status 64
	assert_stderr_line 'pg-load: y: -k: no column "v) DO NOTHING; DROP TABLE y; --"'
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
}

# --- --create ---------------------------------------------------------------

# column_types TABLE: "name type" of each column of TABLE, in order.
column_types() {
	psql_q "SELECT column_name || ' ' || data_type FROM information_schema.columns
	    WHERE table_name = '$1' AND table_schema = current_schema()
	    ORDER BY ordinal_position"
}

# primary_key TABLE: the primary key columns of TABLE, in key order.
primary_key() {
	psql_q "SELECT string_agg(k.column_name, ',' ORDER BY k.ordinal_position)
	    FROM information_schema.table_constraints c
	    JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
	    WHERE c.table_name = '$1' AND c.table_schema = current_schema()
	    AND c.constraint_type = 'PRIMARY KEY'"
}

@test "pg-load: --create infers the types and makes the key the primary key" {
	cat >in.ndjson <<-'EOF'
	{"id":1,"num":1.5,"exp":1e3,"day":"2025-03-01","at":"2025-03-01T12:00:00Z","off":"2025-03-01T12:00:00.250+03:00","yes":true,"name":"x","obj":{"a":1},"arr":[1,2],"nothing":null,"oid":{"$oid":"abc"},"long":{"$numberLong":"7"},"dec":{"$numberDecimal":"1.25"},"dbl":{"$numberDouble":"2.5"},"when":{"$date":"2025-03-01T00:00:00Z"},"mixnum":1,"mixtime":"2025-03-01","mixtext":1,"mixjson":"s","notday":"2025-02-30","nozone":"2025-03-01T12:00:00"}
	{"id":2,"mixnum":2.5,"mixtime":"2025-03-01T10:00:00Z","mixtext":"one","mixjson":[1],"no":false}
	EOF
	run_to out pg-load --create -k id -t inferred in.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 2 1)"
	run column_types inferred
	assert_output "$(printf '%s\n' 'id bigint' 'num numeric' 'exp numeric' \
	    'day date' 'at timestamp with time zone' 'off timestamp with time zone' \
	    'yes boolean' 'name text' 'obj jsonb' 'arr jsonb' 'nothing text' \
	    'oid text' 'long bigint' 'dec numeric' 'dbl numeric' \
	    'when timestamp with time zone' 'mixnum numeric' \
	    'mixtime timestamp with time zone' 'mixtext text' 'mixjson jsonb' \
	    'notday text' 'nozone text' 'no boolean')"
	run primary_key inferred
	assert_output id
	run psql_q "SELECT id, num, exp, day, at AT TIME ZONE 'UTC', off AT TIME ZONE 'UTC', yes, obj::text, arr::text, nothing IS NULL, oid, long, dec, dbl, mixnum, mixtime AT TIME ZONE 'UTC', mixtext, mixjson::text, no FROM inferred ORDER BY id"
	assert_output "$(printf '%s\n' \
	    '1|1.5|1000|2025-03-01|2025-03-01 12:00:00|2025-03-01 09:00:00.25|t|{"a": 1}|[1, 2]|t|abc|7|1.25|2.5|1|2025-03-01 00:00:00|1|"s"|' \
	    '2|||||||||t|||||2.5|2025-03-01 10:00:00|one|[1]|f')"
}

@test "pg-load: --create with a composite key, and without a key" {
	printf '{"estado":"Ceará","cidade":"Sobral","n":1}\n' >in.ndjson
	run_to out pg-load --create -k estado,cidade -t c1 in.ndjson
	assert_status 0
	run primary_key c1
	assert_output estado,cidade
	run_to out pg-load -c -t c2 in.ndjson
	assert_status 0
	run primary_key c2
	assert_output ''
	run column_types c2
	assert_output "$(printf '%s\n' 'estado text' 'cidade text' 'n bigint')"
}

@test "pg-load: --create uses an existing table as it is" {
	psql_q "CREATE TABLE t (a text, b numeric(5,1))"
	echo '{"a":"x","b":2}' >in.ndjson
	run_to out pg-load --create -t t in.ndjson
	assert_status 0
	run column_types t
	assert_output "$(printf '%s\n' 'a text' 'b numeric')"
	run psql_q "SELECT a, b FROM t"
	assert_output 'x|2.0'
}

@test "pg-load: --create from standard input reads it twice" {
	gen=$(gen_data)
	agg-by-state --city "$gen" >city.ndjson
	run_to out pg-load --create -k estado,cidade -t cidades <city.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line "$(wc -l <city.ndjson)" 1)"
	run column_types cidades
	assert_output "$(printf '%s\n' 'estado text' 'cidade text' \
	    'total_vendas bigint' 'total_faturado numeric' \
	    'quantidade_motos_vendidas bigint' 'registros bigint')"
	ref_agg city "$gen" | LC_ALL=C sort >expected
	db_json cidades >got
	assert_same expected got
	# and with "-"
	run_to out pg-load --create -k estado,cidade -t cidades2 - <city.ndjson
	assert_status 0
	db_json cidades2 >got2
	assert_same expected got2
}

@test "pg-load: --create from a pipe that is not standard input" {
	rows 3 x >in.ndjson
	run_to out pg-load --create -k id -t piped <(cat in.ndjson)
	assert_status 0
	assert_stderr --regexp "$(summary_line 3 1)"
	assert_equal "$(psql_q 'SELECT count(*) FROM piped')" 3
}

@test "pg-load: --create with no record: 65, no table" {
	run_to out pg-load --create -t empty </dev/null
	assert_status 65
	assert_stderr_line 'pg-load: empty: no records to infer the columns from'
	assert_stderr_line "$ROLLED_BACK"
	assert_equal "$(psql_q "SELECT to_regclass('empty') IS NULL")" t
}

@test "pg-load: --create: a bad first line is reported at its line" {
	printf '\n[1,2]\n{"a":1}\n' >in.ndjson
	run_to out pg-load --create -t c in.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: in.ndjson:2: not a JSON object'
	assert_equal "$(psql_q "SELECT to_regclass('c') IS NULL")" t
}

@test "pg-load: --create: a bad line in the middle is reported at its line, no table" {
	printf '{"a":1}\n\n{"a":\n{"a":2}\n' >in.ndjson
	run_to out pg-load --create -t c in.ndjson
	assert_status 65
	assert_stderr_line --regexp '^pg-load: in\.ndjson:3: invalid JSON'
	assert_equal "$(psql_q "SELECT to_regclass('c') IS NULL")" t
}

@test "pg-load: --create from standard input numbers lines as they come, blank ones included" {
	printf '\n\n{"a":"x"}\n\n{"a":"y"\n' >in.ndjson
	run_to out pg-load --create -t c <in.ndjson
	assert_status 65
	assert_stderr_line --regexp '^pg-load: <stdin>:5: invalid JSON'
	printf '\r\n{"a":"x"}\r\n\r\n{"a":"nul\\u0000"}\r\n' >in2.ndjson
	run_to out pg-load --create -t c <in2.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: <stdin>:4: "a" holds a NUL character, which PostgreSQL text cannot'
}

@test "pg-load: --create with -e: records after a tolerated bad one give columns too" {
	printf '{"a":1}\nnot json\n{"a":2,"b":"late"}\n' >in.ndjson
	run_to out pg-load --create -e 1 -t c in.ndjson
	assert_status 0
	assert_stderr_line --regexp '^pg-load: in\.ndjson:2: invalid JSON'
	run psql_q "SELECT a, coalesce(b, '<null>') FROM c ORDER BY a"
	assert_output "$(printf '1|<null>\n2|late')"
}

# --- bad records, each at its line ----------------------------------------

@test "pg-load: invalid JSON: 65 at its line" {
	typed_table
	for line in 'nope' '{"k":"b"' '{"k":"b"} x' '{"k":"b",}' "{'k':'b'}" '{"k":"\x"}'; do
		printf '%s\n\n\n%s\n%s\n' "$GOOD1" "$line" "$GOOD2" >in.ndjson
		run_to out pg-load -m replace -t ty in.ndjson
		assert_status 65
		assert_stderr_line --regexp '^pg-load: in\.ndjson:4: invalid JSON(: .+)?$'
		assert_stderr_line "$ROLLED_BACK"
	done
	assert_equal "$(psql_q 'SELECT k FROM ty')" k0
}

@test "pg-load: not a JSON object: 65 at its line" {
	typed_table
	bad_line '[1,2]' 'not a JSON object'
	bad_line '"a string"' 'not a JSON object'
	bad_line '42' 'not a JSON object'
	bad_line 'null' 'not a JSON object'
}

@test "pg-load: a key that names no column: 65 at its line" {
	typed_table
	bad_line '{"k":"b","nope":1}' 'no column "nope" in ty'
	bad_line '{"k":"b","K":1}' 'no column "K" in ty'
}

@test "pg-load: wrong types for an integer column: 65 at its line" {
	typed_table
	bad_line '{"k":"b","i":"5"}' '"i" is not an integer'
	bad_line '{"k":"b","i":1.5}' '"i" is not an integer'
	bad_line '{"k":"b","i":true}' '"i" is not an integer'
	bad_line '{"k":"b","i":[1]}' '"i" is not an integer'
	bad_line '{"k":"b","i":{"$numberInt":"x"}}' '"i" is not an integer'
	bad_line '{"k":"b","i":9223372036854775808}' '"i" is out of range'
	bad_line '{"k":"b","s":40000}' 'value "40000" is out of range for type smallint'
}

@test "pg-load: wrong types for a numeric column: 65 at its line" {
	typed_table
	bad_line '{"k":"b","n":"1.5"}' '"n" is not a number'
	bad_line '{"k":"b","n":true}' '"n" is not a number'
	bad_line '{"k":"b","n":{"a":1}}' '"n" is not a number'
	bad_line '{"k":"b","n":123456789012345678.5}' 'numeric field overflow'
	bad_line '{"k":"b","f":"x"}' '"f" is not a number'
}

@test "pg-load: wrong types for a boolean column: 65 at its line" {
	typed_table
	bad_line '{"k":"b","b":1}' '"b" is not a boolean'
	bad_line '{"k":"b","b":"true"}' '"b" is not a boolean'
	bad_line '{"k":"b","b":[true]}' '"b" is not a boolean'
}

@test "pg-load: wrong types for date and timestamp columns: 65 at its line" {
	typed_table
	bad_line '{"k":"b","d":20250301}' '"d" is not a date'
	bad_line '{"k":"b","d":true}' '"d" is not a date'
	bad_line '{"k":"b","d":"2025-03-01T25:00:00Z"}' '"d" is not a date'
	bad_line '{"k":"b","d":"2025-02-30"}' 'date/time field value out of range: "2025-02-30"'
	bad_line '{"k":"b","d":"hello"}' 'invalid input syntax for type date: "hello"'
	bad_line '{"k":"b","ts":1740830400}' '"ts" is not a timestamp'
	bad_line '{"k":"b","ts":"nope"}' 'invalid input syntax for type timestamp with time zone: "nope"'
}

@test "pg-load: a wrapper with more than its value is invalid JSON or no value, never loaded" {
	typed_table
	# the line is not JSON: the "a" inside the wrapper has no value
	bad_line '{"k":"z","i":{"$numberInt":"3","a":,"t":"evil"}' \
	    'invalid JSON: expected a value at column 36'
	bad_line '{"k":"z","i":{"$numberInt":"3","a":,"t":"evil"}' \
	    'invalid JSON: expected a value at column 36' -i
	# valid JSON, but an object with two keys is no $numberInt
	bad_line '{"k":"z","i":{"$numberInt":"3","a":1},"t":"evil"}' \
	    '"i" is not an integer'
	bad_line '{"k":"z","n":{"$numberDecimal":"1.5","a":1}}' '"n" is not a number'
	bad_line '{"k":"z","t":{"$oid":"ab","a":1}}' '"t" is not a string'
	bad_line '{"k":"z","d":{"$date":"2025-03-01T00:00:00Z","a":1}}' \
	    '"d" is not a date'
	bad_line '{"k":"z","ts":{"$date":{"$numberLong":"1","a":1}}}' \
	    '"ts" is not a timestamp'
	# a type error before a syntax error further on: the syntax error
	bad_line '{"k":"z","i":"5","t":}' 'invalid JSON: expected a value at column 22'
}

@test "pg-load: --create: a wrapper with more keys is an object, read to its end" {
	printf '%s\n' '{"k":"z","w":{"$numberInt":"3","x":1},"after":2}' >in.ndjson
	run_to out pg-load --create -t made in.ndjson
	assert_status 0
	run psql_q "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
	    FROM pg_attribute WHERE attrelid = 'made'::regclass AND attnum > 0"
	assert_output 'k text, w jsonb, after bigint'
	run psql_q "SELECT k, w::text, after FROM made"
	assert_output 'z|{"x": 1, "$numberInt": "3"}|2'
}

@test "pg-load: a \$date after year 9999 keeps its whole year" {
	typed_table
	printf '%s\n' \
	    '{"k":"a","d":{"$date":253402300800000},"ts":{"$date":253402300800000}}' \
	    '{"k":"b","d":{"$date":253403510400000},"ts":{"$date":{"$numberLong":"253403556245678"}}}' \
	    '{"k":"c","d":{"$date":{"$numberLong":"3155760000000000"}},"t":{"$date":253403510400000}}' \
	    >in.ndjson
	run_to out pg-load -m replace -t ty in.ndjson
	assert_status 0
	run psql_q "SELECT k, d, ts AT TIME ZONE 'UTC', t FROM ty ORDER BY k"
	# the same from the server's own arithmetic on the milliseconds
	psql_q 'CREATE FUNCTION ms(bigint) RETURNS timestamptz LANGUAGE sql
	    AS $$ SELECT timestamptz $e$epoch$e$ + ($1 / 1000) * interval $i$1 s$i$
	        + ($1 % 1000) * interval $i$1 ms$i$ $$'
	assert_output "$(psql_q "SELECT k, (ms(d) AT TIME ZONE 'UTC')::date,
	    ms(ts) AT TIME ZONE 'UTC', t FROM (VALUES
	        ('a', 253402300800000, 253402300800000, NULL),
	        ('b', 253403510400000, 253403556245678, NULL),
	        ('c', 3155760000000000, NULL, '10000-01-15T00:00:00.000Z'))
	        AS x(k, d, ts, t) ORDER BY k")"
	assert_output "$(printf '%s\n' 'a|10000-01-01|10000-01-01 00:00:00|' \
	    'b|10000-01-15|10000-01-15 12:44:05.678|' \
	    'c|101972-01-21||10000-01-15T00:00:00.000Z')"
	# before 0001-01-01 there is no ISO 8601 year to give the server
	bad_line '{"k":"b","d":{"$date":-62135596800001}}' '"d" is not a date'
	bad_line '{"k":"b","ts":{"$date":{"$numberLong":"-62135596800001"}}}' \
	    '"ts" is not a timestamp'
	printf '%s\n' '{"k":"a","d":{"$date":-62135596800000},"ts":{"$date":-62135596800000}}' >in.ndjson
	run_to out pg-load -m replace -t ty in.ndjson
	assert_status 0
	assert_equal "$(psql_q "SELECT d, ts AT TIME ZONE 'UTC' FROM ty")" \
	    '0001-01-01|0001-01-01 00:00:00'
}

@test "pg-load: \$date holds an ISO 8601 instant or milliseconds, nothing else" {
	typed_table
	bad_line '{"k":"b","d":{"$date":"yesterday"}}' '"d" is not a date'
	bad_line '{"k":"b","ts":{"$date":"yesterday"}}' '"ts" is not a timestamp'
	bad_line '{"k":"b","t":{"$date":"now"}}' '"t" is not a string'
	bad_line '{"k":"b","d":{"$date":"2025-03-01"}}' '"d" is not a date'
	bad_line '{"k":"b","ts":{"$date":"2025-02-30T00:00:00Z"}}' '"ts" is not a timestamp'
	bad_line '{"k":"b","d":{"$date":""}}' '"d" is not a date'
	bad_line '{"k":"b","d":{"$date":null}}' '"d" is not a date'
	bad_line '{"k":"b","d":{"$date":true}}' '"d" is not a date'
	bad_line '{"k":"b","ts":{"$date":false}}' '"ts" is not a timestamp'
	bad_line '{"k":"b","d":{"$date":[1]}}' '"d" is not a date'
	bad_line '{"k":"b","d":{"$date":1.5}}' '"d" is not a date'
	bad_line '{"k":"b","d":{"$date":{"$numberInt":"1"}}}' '"d" is not a date'
	bad_line '{"k":"b","d":{"$date":{"$numberLong":"x"}}}' '"d" is not a date'
	bad_line '{"k":"b","d":{"$date":{"$numberLong":1}}}' '"d" is not a date'
	bad_line '{"k":"b","i":{"$date":1}}' '"i" is not an integer'
	bad_line '{"k":"b","b":{"$date":1}}' '"b" is not a boolean'
	# and not a number wrapper in a date or timestamp column
	bad_line '{"k":"b","d":{"$numberLong":"20250301"}}' '"d" is not a date'
	bad_line '{"k":"b","ts":{"$numberInt":"1"}}' '"ts" is not a timestamp'
	# the instant's UTC day, in a date column
	printf '%s\n' '{"k":"a","d":{"$date":"2025-03-01T23:30:00-03:00"},"ts":{"$date":"2025-03-01T12:00:00.250+01:00"}}' >in.ndjson
	run_to out pg-load -m replace -t ty in.ndjson
	assert_status 0
	assert_equal "$(psql_q "SELECT d, ts AT TIME ZONE 'UTC' FROM ty")" \
	    '2025-03-02|2025-03-01 11:00:00.25'
}

@test "pg-load: words the server reads as a date of its own are not dates" {
	typed_table
	for word in today Today ' TODAY ' tomorrow yesterday now epoch \
	    infinity -infinity 'today 12:00' 'today BC'; do
		bad_line "{\"k\":\"b\",\"d\":\"$word\"}" '"d" is not a date'
		bad_line "{\"k\":\"b\",\"ts\":\"$word\"}" '"ts" is not a timestamp'
	done
	# other text goes to the server, which reads a date or refuses it
	bad_line '{"k":"b","d":"hello"}' 'invalid input syntax for type date: "hello"'
	printf '%s\n' '{"k":"a","d":"2025/03/01","ts":"2025-03-01 12:00:00+00"}' \
	    '{"k":"b","d":"2025-3-1","t":"today"}' >in.ndjson
	run_to out pg-load -m replace -t ty in.ndjson
	assert_status 0
	assert_equal "$(psql_q "SELECT k, d, ts AT TIME ZONE 'UTC', t FROM ty ORDER BY k")" \
	    "$(printf '%s\n' 'a|2025-03-01|2025-03-01 12:00:00|' 'b|2025-03-01||today')"
}

@test "pg-load: control characters in the server's messages and in keys are escaped" {
	typed_table
	bad_line '{"k":"b","d":"\u001b[2J"}' \
	    'invalid input syntax for type date: "\u001b[2J"'
	bad_line '{"k":"b","d":"\u009b6n\u007f\u0007"}' \
	    'invalid input syntax for type date: "\u009b6n\u007f\u0007"'
	bad_line '{"k":"b","ts":"a\tb\rc"}' \
	    'invalid input syntax for type timestamp with time zone: "a\tb\rc"'
	bad_line '{"k":"b","u":"\u001b]0;x\u0007"}' \
	    'invalid input syntax for type uuid: "\u001b]0;x\u0007"'
	bad_line '{"k":"b","x\u001b[31m":1}' 'no column "x\u001b[31m" in ty'
	# a column named with one, in its own messages
	psql_q "ALTER TABLE ty ADD COLUMN \"c$(printf '\033')[1m\" bigint"
	bad_line '{"k":"b","c\u001b[1m":"x"}' '"c\u001b[1m" is not an integer'
	# and a connection's error, the database's name in it
	base=${PG_SUITE_URI%%\?*}
	PG_URI="${base%/*}/no%1B%5B2Jdb" run_to out pg-load -t ty in.ndjson
	assert_status 69
	assert_stderr --partial 'database "no\u001b[2Jdb" does not exist'
	[[ $stderr != *$'\e'* ]] || fail "an ESC byte on stderr"
}

@test "pg-load: an object or an array for a text column: 65 at its line" {
	typed_table
	bad_line '{"k":"b","t":{"a":1}}' '"t" is not a string'
	bad_line '{"k":"b","t":[]}' '"t" is not a string'
}

@test "pg-load: the server's own errors are reported at the input line" {
	typed_table
	bad_line '{"k":"toolong8"}' 'value too long for type character varying(7)'
	bad_line '{"i":5}' 'null value in column "k" of relation "ty" violates not-null constraint'
	bad_line '{"k":"b","u":"not-a-uuid"}' 'invalid input syntax for type uuid: "not-a-uuid"'
	bad_line '{"k":"g1"}' 'duplicate key value violates unique constraint "ty_pkey"'
}

@test "pg-load: a server error on a json value is reported at the input line" {
	typed_table
	bad_line '{"k":"b","j":"\u0000"}' 'unsupported Unicode escape sequence'
}

@test "pg-load: line numbers stay right deep into a file, after blank lines and tolerated records" {
	psql_q "CREATE TABLE lm (k varchar(7) PRIMARY KEY, v bigint)"
	$PY - >in.ndjson <<-'EOF'
	for i in range(1, 150001):
	    if i % 1000 == 0:
	        print()
	    if i == 70000:
	        print("garbage")
	    if i == 140000:
	        print('{"k":"toolong8","v":1}')
	        continue
	    print('{"k":"%d","v":%d}' % (i, i))
	EOF
	line=$(grep -n toolong8 in.ndjson | cut -d: -f1)
	bad=$(grep -n garbage in.ndjson | cut -d: -f1)
	run_to out pg-load -e 1 -t lm in.ndjson
	assert_status 65
	assert_stderr_line --regexp "^pg-load: in\\.ndjson:$bad: invalid JSON"
	assert_stderr_line "pg-load: in.ndjson:$line: value too long for type character varying(7)"
	assert_equal "$(psql_q 'SELECT count(*) FROM lm')" 0
}

@test "pg-load: a bad line in the second file is numbered in that file" {
	typed_table
	printf '%s\n%s\n' "$GOOD1" "$GOOD2" >a.ndjson
	printf '\n{"k":"x"}\n{"k":"y","i":"z"}\n' >b.ndjson
	run_to out pg-load -m replace -t ty a.ndjson b.ndjson
	assert_status 65
	assert_stderr "$(printf '%s\n%s' 'pg-load: b.ndjson:3: "i" is not an integer' "$ROLLED_BACK")"
	printf '\n{"k":"x"}\n{"k":"toolong8"}\n' >c.ndjson
	run_to out pg-load -m replace -t ty a.ndjson c.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: c.ndjson:3: value too long for type character varying(7)'
	assert_equal "$(psql_q 'SELECT k FROM ty')" k0
}

@test "pg-load: a bad line on standard input is named <stdin>" {
	typed_table
	printf '%s\n\n{"k":"b","i":"5"}\n' "$GOOD1" >in.ndjson
	run_to out pg-load -m replace -t ty <in.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: <stdin>:3: "i" is not an integer'
	printf '%s\n{"k":"toolong8"}\n' "$GOOD1" >in.ndjson
	run_to out pg-load -m replace -t ty - <in.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: <stdin>:2: value too long for type character varying(7)'
}

@test "pg-load: a BOM and CRLF line ends are accepted" {
	psql_q "CREATE TABLE t (a text)"
	printf '\xef\xbb\xbf{"a":"x"}\r\n{"a":"y"}\r\n' >in.ndjson
	run_to out pg-load -t t in.ndjson
	assert_status 0
	run psql_q "SELECT a FROM t ORDER BY a"
	assert_output "$(printf 'x\ny')"
}

# --- --max-errors and --rejects -----------------------------------------------

@test "pg-load: --max-errors tolerates bad records, --rejects keeps them verbatim" {
	typed_table
	cat >in.ndjson <<-'EOF'
	{"k":"a","i":1}
	{"k":"bad1","i":"x"}
	{"k":"b","i":2}

	not json at all
	{"k":"c","i":3}
	EOF
	run_to out pg-load -e 2 -r rejects.ndjson -m replace -t ty in.ndjson
	assert_status 0
	assert_stderr_line 'pg-load: in.ndjson:2: "i" is not an integer'
	assert_stderr_line --regexp '^pg-load: in\.ndjson:5: invalid JSON'
	assert_stderr_line 'pg-load: 2 records rejected'
	assert_stderr_line --regexp "$(summary_line 3 1)"
	sed -n '2p;5p' in.ndjson >expected
	assert_same expected rejects.ndjson
	run psql_q "SELECT k, i FROM ty ORDER BY k"
	assert_output "$(printf 'a|1\nb|2\nc|3')"
	# long options
	run_to out pg-load --max-errors 2 --rejects rejects2.ndjson -m replace -t ty in.ndjson
	assert_status 0
	assert_same expected rejects2.ndjson
}

@test "pg-load: one bad record more than --max-errors: 65, nothing changed" {
	typed_table
	printf '{"k":"a"}\n[]\n{"k":"b"}\n[]\n' >in.ndjson
	run_to out pg-load -e 1 -r rejects.ndjson -m replace -t ty in.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: in.ndjson:2: not a JSON object'
	assert_stderr_line 'pg-load: in.ndjson:4: not a JSON object'
	assert_stderr_line "$ROLLED_BACK"
	refute_stderr_line --partial 'records rejected'
	assert_equal "$(psql_q 'SELECT k FROM ty')" k0
}

@test "pg-load: --max-errors counts over every table of the run" {
	psql_q "CREATE TABLE a (v int); CREATE TABLE b (v int)"
	printf '{"v":1}\n{"v":"x"}\n' >a.ndjson
	printf '{"v":"y"}\n{"v":2}\n' >b.ndjson
	run_to out pg-load -e 1 -t a a.ndjson -t b b.ndjson
	assert_status 65
	assert_equal "$(psql_q 'SELECT count(*) FROM a')" 0
	run_to out pg-load -e 2 -r rej.ndjson -t a a.ndjson -t b b.ndjson
	assert_status 0
	assert_stderr_line 'pg-load: 2 records rejected'
	printf '{"v":"x"}\n{"v":"y"}\n' >expected
	assert_same expected rej.ndjson
}

@test "pg-load: a row the server refuses is not tolerated by --max-errors" {
	typed_table
	printf '{"k":"a"}\n{"k":"toolong8"}\n' >in.ndjson
	run_to out pg-load -e 10 -m replace -t ty in.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: in.ndjson:2: value too long for type character varying(7)'
	assert_equal "$(psql_q 'SELECT k FROM ty')" k0
}

@test "pg-load: a --rejects file that cannot be created: 74 before anything" {
	typed_table
	echo '{"k":"a"}' >in.ndjson
	run_to out pg-load -r nodir/rejects.ndjson -m replace -t ty in.ndjson
	assert_status 74
	assert_stderr_line 'pg-load: nodir/rejects.ndjson: No such file or directory'
	assert_equal "$(psql_q 'SELECT k FROM ty')" k0
}

@test "pg-load: a --rejects file that cannot be written: 74, and nothing committed" {
	typed_table
	printf '{"k":"a"}\n[]\n' >in.ndjson
	run_to out pg-load -e 1 -r /dev/full -m replace -t ty in.ndjson
	assert_status 74
	assert_stderr_line 'pg-load: /dev/full: No space left on device'
	assert_equal "$(psql_q 'SELECT k FROM ty')" k0
}

# --- replace with no rows -----------------------------------------------

@test "pg-load: replace with an empty input: 65, the table as it was" {
	big_table t 3
	before=$(fingerprint t)
	run_to out pg-load -m replace -t t </dev/null
	assert_status 65
	assert_stderr "$(printf '%s\n%s' 'pg-load: t: no rows: refusing to empty the table (--allow-empty to do it)' "$ROLLED_BACK")"
	printf '\n\n\r\n' >blank.ndjson
	run_to out pg-load -m replace -t t blank.ndjson
	assert_status 65
	# every record rejected is no record either
	printf '[]\n' >bad.ndjson
	run_to out pg-load -e 5 -m replace -t t bad.ndjson
	assert_status 65
	assert_equal "$(fingerprint t)" "$before"
}

@test "pg-load: --allow-empty lets replace empty the table" {
	big_table t 3
	run_to out pg-load -m replace --allow-empty -t t </dev/null
	assert_status 0
	assert_stderr --regexp "$(summary_line 0 1)"
	assert_equal "$(psql_q 'SELECT count(*) FROM t')" 0
	big_table u 3
	run_to out pg-load -m replace -t u -a </dev/null
	assert_status 0
	assert_equal "$(psql_q 'SELECT count(*) FROM u')" 0
}

@test "pg-load: append and upsert of an empty input: 0, nothing changed" {
	big_table t 3
	before=$(fingerprint t)
	run_to out pg-load -t t </dev/null
	assert_status 0
	assert_stderr --regexp "$(summary_line 0 1)"
	run_to out pg-load -m upsert -t t </dev/null
	assert_status 0
	assert_equal "$(fingerprint t)" "$before"
}

# --- options and operands -------------------------------------------------

@test "pg-load: options before the first -t are defaults, after a -t its own" {
	big_table a 3
	big_table b 3
	big_table c 3
	echo '{"id":10,"s":"A","x":1}' >a.ndjson
	echo '{"id":20,"s":"B"}' >b.ndjson
	echo '{"id":1,"s":"C","x":1}' >c.ndjson
	# a: replace (default) and -i; b: append (its own -m); c: replace,
	# upsert given after its file, and -i
	run_to out pg-load -m replace -t a -i a.ndjson -t b -m append b.ndjson \
	    -t c c.ndjson -i -m upsert
	assert_status 0
	assert_stderr --regexp "$(summary_line 3 3)"
	run psql_q "SELECT string_agg(id || s, ',' ORDER BY id) FROM a"
	assert_output 10A
	run psql_q "SELECT string_agg(id || s, ',' ORDER BY id) FROM b"
	assert_output '1old 1,2old 2,3old 3,20B'
	run psql_q "SELECT string_agg(id || s, ',' ORDER BY id) FROM c"
	assert_output '1C,2old 2,3old 3'
	# -i given to one table only: the other still refuses unknown keys
	run_to out pg-load -m replace -t a -i a.ndjson -t c c.ndjson
	assert_status 65
	assert_stderr_line 'pg-load: c.ndjson:1: no column "x" in c'
}

@test "pg-load: '-' and no file read standard input; one table only may" {
	big_table a 1
	big_table b 1
	rows 2 A >a.ndjson
	rows 3 B >b.ndjson
	run_to out pg-load -m replace -t a - -t b b.ndjson <a.ndjson
	assert_status 0
	run_to out pg-load -m replace -t a -t b b.ndjson <a.ndjson
	assert_status 0
	assert_equal "$(psql_q 'SELECT count(*) FROM a')" 2
	run_to out pg-load -t a -t b </dev/null
	assert_status 64
	assert_stderr_line 'pg-load: only one table can read standard input'
	run_to out pg-load -t a - -t b - </dev/null
	assert_status 64
	run_to out pg-load -t a a.ndjson - - </dev/null
	assert_status 64
}

@test "pg-load: several files for one table, in order" {
	psql_q "CREATE TABLE t (n serial, s text)"
	printf '{"n":1,"s":"a"}\n' >1.ndjson
	printf '{"n":2,"s":"b"}\n{"n":3,"s":"c"}\n' >2.ndjson
	run_to out pg-load -t t 1.ndjson 2.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 3 1)"
	run psql_q "SELECT string_agg(s, '' ORDER BY n) FROM t"
	assert_output abc
}

@test "pg-load: a file that cannot be opened: 74, nothing committed" {
	big_table a 1
	before=$(fingerprint a)
	rows 2 A >a.ndjson
	run_to out pg-load -m replace -t a a.ndjson -t a missing.ndjson
	assert_status 74
	assert_stderr "$(printf '%s\n%s' 'pg-load: missing.ndjson: No such file or directory' "$ROLLED_BACK")"
	assert_equal "$(fingerprint a)" "$before"
}

@test "pg-load: a table that does not exist: 65" {
	echo '{"a":1}' >in.ndjson
	run_to out pg-load -t nosuch in.ndjson
	assert_status 65
	assert_stderr "$(printf '%s\n%s' 'pg-load: nosuch: no such table (--create makes it)' "$ROLLED_BACK")"
}

@test "pg-load: -k naming no column: 64" {
	big_table t 1
	echo '{"id":1}' >in.ndjson
	run_to out pg-load -m upsert -k id,nope -t t in.ndjson
	assert_status 64
	assert_stderr_line 'pg-load: t: -k: no column "nope"'
}

@test "pg-load: usage errors: 64 and the usage on stderr" {
	echo '{"a":1}' >in.ndjson
	for args in '' '-x -t t' '--bogus -t t' 'in.ndjson -t t' '-m merge -t t' \
	    '-t' '-r'; do
		# shellcheck disable=SC2086
		run_to out pg-load $args
		assert_status 64
		assert_stderr_line --partial 'usage: pg-load'
		assert_empty_file out
	done
	# a bad number names its option (as in every program of the toolkit)
	run_to out pg-load -e -1 -t t
	assert_status 64
	assert_stderr 'pg-load: --max-errors: invalid number: -1'
	run_to out pg-load -e 99999999999999999999 -t t
	assert_status 64
	assert_stderr_line --partial 'pg-load: --max-errors: out of range'
	run_to out pg-load
	assert_stderr_line 'pg-load: no table: -t is required'
	run_to out pg-load in.ndjson -t t
	assert_stderr_line 'pg-load: in.ndjson: a file before any -t'
	run_to out pg-load -m merge -t t
	assert_stderr_line 'pg-load: --mode: append, replace or upsert, not merge'
	run_to out pg-load -e x -t t
	assert_status 64
	assert_stderr 'pg-load: --max-errors: invalid number: x'
}

@test "pg-load: usage errors come before connecting" {
	PG_URI=postgresql://u:secret@127.0.0.1:1/x run_to out pg-load -m merge -t t
	assert_status 64
	PG_URI=postgresql://u:secret@127.0.0.1:1/x run_to out pg-load -t a -t b
	assert_status 64
}

@test "pg-load: --help and -h print the usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr pg-load "$opt"
		assert_status 0
		assert_stderr ''
		assert_line --index 0 --regexp '^usage: pg-load \[-ciap\] \[-m mode\] \[-k keys\]'
	done
}

@test "pg-load: --version" {
	run --separate-stderr pg-load --version
	assert_status 0
	assert_output 'pg-load (dataops) 0.1.0'
}

@test "pg-load: nothing on standard output; a full one does not matter" {
	psql_q "CREATE TABLE t (a int)"
	echo '{"a":1}' >in.ndjson
	run --separate-stderr pg-load -t t in.ndjson
	assert_status 0
	assert_output ''
	pg-load -t t in.ndjson >/dev/full
	assert_equal "$(psql_q 'SELECT count(*) FROM t')" 2
}

@test "pg-load: --progress off a terminal: only the summary line" {
	psql_q "CREATE TABLE t (id int, s text)"
	rows 1000 x >in.ndjson
	run_to out pg-load -p -t t in.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 1000 1)"
	run_to out pg-load --progress -t t in.ndjson
	assert_status 0
	assert_stderr --regexp "$(summary_line 1000 1)"
}

@test "pg-load: --progress on a terminal shows the rows as they load" {
	psql_q "CREATE TABLE big (id int, s text)"
	rows 200000 x >in.ndjson
	cat >run.sh <<-'EOF'
	{ head -n 100000 in.ndjson; sleep 2.5; tail -n +100001 in.ndjson; } |
	    pg-load -p -m replace -t big
	EOF
	SHELL=/bin/sh timeout 60 script -qec 'bash run.sh' /dev/null </dev/null >tty.out
	assert_equal "$(psql_q 'SELECT count(*) FROM big')" 200000
	# the counts shown, in order
	tr '\r' '\n' <tty.out |
	    sed -n 's/^pg-load: big: \([0-9]*\) rows\x1b\[K$/\1/p' >counts
	assert_equal "$(tail -n 1 counts)" 200000
	# one at least while the input paused, halfway
	run awk '$1 >= 1 && $1 < 200000' counts
	assert_success
	refute_output ''
}

@test "pg-load: --progress on a terminal: each message has a line of its own" {
	psql_q "CREATE TABLE t (id int, s text);
	    CREATE TABLE u (id int PRIMARY KEY, s text)"
	# a bad record, and a row the server refuses, each after enough rows
	# for the progress line to show
	{ rows 50000 x; echo '{"id":"one","s":"bad"}'; rows 8 y; } >in.ndjson
	{ rows 50000 x; echo '{"id":1,"s":"again"}'; } >dup.ndjson
	st=0
	SHELL=/bin/sh timeout 60 script -qec 'pg-load -p -e 5 -t t in.ndjson' \
	    /dev/null </dev/null >tty.out || st=$?
	assert_equal "$st" 0
	run tty_lines tty.out
	assert_line --index 0 --regexp '^pg-load: t: [1-9][0-9]* rows$'
	assert_line --index 1 'pg-load: in.ndjson:50001: "id" is not an integer'
	assert_line --index 2 'pg-load: t: 50008 rows'
	assert_line --index 3 'pg-load: 1 record rejected'
	assert_line --index 4 --regexp "$(summary_line 50008 1)"
	# every line, blank ones included
	assert_equal "$(tty_lines tty.out | wc -l)" 5
	assert_equal "$(psql_q 'SELECT count(*) FROM t')" 50008
	st=0
	SHELL=/bin/sh timeout 60 script -qec 'pg-load -p -t u dup.ndjson' \
	    /dev/null </dev/null >tty.out || st=$?
	assert_equal "$st" 65
	run tty_lines tty.out
	assert_line --index 0 --regexp '^pg-load: u: [1-9][0-9]* rows$'
	assert_line --index 1 --regexp '^pg-load: dup\.ndjson:50001: duplicate key value violates unique constraint "u_pkey"'
	assert_line --index 2 "$ROLLED_BACK"
	# every line, blank ones included
	assert_equal "$(tty_lines tty.out | wc -l)" 3
	assert_equal "$(psql_q 'SELECT count(*) FROM u')" 0
}

# --- the man page ---------------------------------------------------------

# man_example N: run examples 1 to N of man/pg-load.1, as a reader would,
# with the tables of the page made by its first command.
man_example() {
	cp "$FIXTURES/pg-schema.sql" schema.sql
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/pg-load.1" "$1"
	assert_success
	assert_output ok
}

@test "pg-load: a server's WARNING has a line of its own, named, on a terminal too" {
	psql_q "CREATE TABLE w (id int, s text);
	    CREATE FUNCTION warn_y() RETURNS trigger LANGUAGE plpgsql AS
	    \$\$ BEGIN IF NEW.s = 'y 1' THEN
	        RAISE WARNING 'row % said %', NEW.id, E'a\\tb'; END IF;
	    RETURN NEW; END \$\$;
	    CREATE TRIGGER w BEFORE INSERT ON w FOR EACH ROW EXECUTE FUNCTION warn_y()"
	{ rows 50000 x; rows 8 y; } >in.ndjson
	run_to out pg-load -t w in.ndjson
	assert_status 0
	# the tab escaped, as in every message pg-load passes on
	assert_equal "$(sed -n 1p <<<"$stderr")" 'pg-load: WARNING:  row 1 said a\tb'
	[[ $(sed -n 2p <<<"$stderr") =~ $(summary_line 50008 1) ]]
	assert_equal "$(wc -l <<<"$stderr")" 2
	st=0
	SHELL=/bin/sh timeout 60 script -qec 'pg-load -p -t w in.ndjson' \
	    /dev/null </dev/null >tty.out || st=$?
	assert_equal "$st" 0
	run tty_lines tty.out
	assert_line 'pg-load: WARNING:  row 1 said a\tb'
	assert_line 'pg-load: w: 50008 rows'
	assert_line --regexp "$(summary_line 50008 1)"
	# no line holds two messages
	refute_line --regexp 'rows.*WARNING|WARNING.*rows'
	refute_line --regexp '^.+pg-load: '
}

@test "pg-load: man page is lint-clean and every example has a test" {
	run mandoc -Tlint -W warning "$DATAOPS_ROOT/man/pg-load.1"
	assert_success
	assert_output ''
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/pg-load.1" count
	assert_output 9
}

@test "pg-load: the man page's CREATE TABLE statements are the fixture's" {
	sed -n '/^\.Ss The dataops tables$/,/^\.Ed$/p' "$DATAOPS_ROOT/man/pg-load.1" |
	    sed '1,/^\.Bd -literal/d; /^\.Ed$/d' >page.sql
	assert_same "$FIXTURES/pg-schema.sql" page.sql
	# and they make the tables of DESIGN.md
	dataops_tables
	run psql_q "SELECT table_name || '.' || column_name || ' ' || data_type ||
	    coalesce('(' || character_maximum_length || ')', '') ||
	    coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '')
	    FROM information_schema.columns WHERE table_schema = current_schema()
	    AND data_type IN ('character varying', 'numeric') ORDER BY 1"
	assert_output "$(printf '%s\n' \
	    'vendas_por_ano_mes.ano_mes character varying(7)' \
	    'vendas_por_ano_mes.total_faturado numeric(18,2)' \
	    'vendas_por_cidade.total_faturado numeric(18,2)' \
	    'vendas_por_estado.total_faturado numeric(18,2)' \
	    'vendas_por_modalidade.total_faturado numeric(18,2)')"
	run primary_key vendas_por_cidade
	assert_output estado,cidade
	run primary_key vendas_por_ano_mes
	assert_output ano_mes
}

@test "pg-load: man page example 1: the four tables in one transaction" {
	man_example 1
	gen-sales -n 20000 -s 7 --now "$GEN_NOW" >expected.sales
	cmp expected.sales sales.ndjson
	ref_agg city sales.ndjson | LC_ALL=C sort >expected
	db_json vendas_por_cidade >got
	assert_same expected got
}

@test "pg-load: man page example 2: one table from a pipe" {
	man_example 2
	ref_agg mode sales.ndjson | LC_ALL=C sort >expected
	db_json vendas_por_modalidade >got
	assert_same expected got
}

@test "pg-load: man page example 3: upsert" {
	man_example 3
}

@test "pg-load: man page example 4: a bad record rolls back every table" {
	man_example 4
	run psql_q "SELECT count(*) FROM vendas_por_modalidade WHERE modalidade IN ('Pix', 'Boleto')"
	assert_output 0
}

@test "pg-load: man page example 5: the server's error at the input line" {
	man_example 5
}

@test "pg-load: man page example 6: tolerate and keep a bad record" {
	man_example 6
	run psql_q "SELECT count(*) FROM vendas_por_modalidade WHERE modalidade = 'Pix'"
	assert_output 1
}

@test "pg-load: man page example 7: no record, no emptying, unless asked" {
	man_example 7
	assert_equal "$(psql_q 'SELECT count(*) FROM vendas_por_estado')" 0
}

@test "pg-load: man page example 8: --create" {
	man_example 8
	run primary_key eventos
	assert_output id
}

@test "pg-load: man page example 9: option scope" {
	man_example 9
	ref_agg state sales.ndjson | LC_ALL=C sort >expected
	db_json vendas_por_estado >got
	assert_same expected got
}
