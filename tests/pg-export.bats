#!/usr/bin/env bats
# pg-export: a PostgreSQL table or query -> NDJSON, one object per row, or
# one JSON array (man/pg-export.1).
#
# Each test runs in a schema of its own (pg_use_schema) in the suite's
# database (pg_setup).  The rows are written with psql, and what pg-export
# writes is checked against tests/ref_agg.py, the server's own row_to_json,
# psycopg2 and Python's json module (/usr/bin/python3, Debian's, which has
# psycopg2), never against pg-export itself.

# JSON and SQL in single quotes are on purpose; $stderr comes from bats.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

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

# dataops_tables: the four tables of DESIGN.md, filled by psql (\copy from
# the server's own json_populate_record) with the reference aggregates of
# gen_data's 20000 records.
dataops_tables() {
	local gen kind table

	psql "$PG_URI" -qX -v ON_ERROR_STOP=1 -f "$FIXTURES/pg-schema.sql" || return 1
	gen=$(gen_data) || return 1
	for kind in month:vendas_por_ano_mes state:vendas_por_estado \
	    city:vendas_por_cidade mode:vendas_por_modalidade; do
		table=${kind#*:}
		ref_agg "${kind%%:*}" "$gen" >"ref.${kind%%:*}" || return 1
		psql "$PG_URI" -qX -v ON_ERROR_STOP=1 \
		    -c "CREATE TEMP TABLE src (r text)" \
		    -c "\\copy src FROM 'ref.${kind%%:*}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')" \
		    -c "INSERT INTO $table SELECT (json_populate_record(NULL::$table, r::json)).* FROM src" ||
		    return 1
	done
}

# pk_order TABLE COLUMNS [ORDER]: the COLUMNS of TABLE's rows in the
# server's ORDER BY ORDER (COLUMNS by default), one row a line, fields
# joined by "|".
pk_order() {
	psql_q "SELECT concat_ws('|', $2) FROM $1 ORDER BY ${3:-$2}"
}

# keys_of FILE FIELDS...: the FIELDS of each JSON line of FILE, joined by
# "|", one line each, in file order.
keys_of() {
	$PY - "$@" <<-'EOF'
	import json, sys
	for line in open(sys.argv[1], encoding="utf-8"):
	    r = json.loads(line)
	    print("|".join(str(r[f]) for f in sys.argv[2:]))
	EOF
}

# --- the original API routes ------------------------------------------------

@test "pg-export: the three API routes: each table's rows exactly, in primary key order" {
	dataops_tables
	for kind in month:vendas_por_ano_mes:ano_mes city:vendas_por_cidade:estado,cidade \
	    mode:vendas_por_modalidade:modalidade state:vendas_por_estado:estado; do
		IFS=: read -r k table key <<<"$kind"
		run_to "out.$k" pg-export "$table"
		assert_status 0
		assert_stderr ''
		# the same rows, byte for byte, as the reference aggregator writes them
		LC_ALL=C sort "ref.$k" >expected
		LC_ALL=C sort "out.$k" >got
		assert_same expected got
		# in the order the server sorts the primary key
		# shellcheck disable=SC2086
		keys_of "out.$k" ${key//,/ } >got.order
		pk_order "$table" "$key" >expected.order
		assert_same expected.order got.order
	done
	(($(wc -l <out.city) > 100))
}

@test "pg-export: vendas_por_ano_mes is what agg-by-month wrote, byte for byte" {
	dataops_tables
	run_to out pg-export vendas_por_ano_mes
	assert_status 0
	assert_same ref.month out
}

@test "pg-export: every row equals the server's row_to_json" {
	dataops_tables
	pg-export vendas_por_cidade | LC_ALL=C sort >got
	psql_q "SELECT row_to_json(t) FROM vendas_por_cidade t" | LC_ALL=C sort >expected
	assert_same expected got
}

# --- --array ---------------------------------------------------------------

@test "pg-export: --array is one JSON array of the NDJSON rows" {
	dataops_tables
	pg-export vendas_por_cidade >ndjson
	run_to array pg-export --array vendas_por_cidade
	assert_status 0
	run $PY - ndjson array <<-'EOF'
	import json, sys
	from decimal import Decimal
	rows = [json.loads(l, parse_float=Decimal) for l in open(sys.argv[1], encoding="utf-8")]
	text = open(sys.argv[2], encoding="utf-8").read()
	arr = json.loads(text, parse_float=Decimal)
	assert isinstance(arr, list) and arr == rows, "differ"
	# one row a line: "[", the rows with a comma after all but the last, "]"
	lines = text.split("\n")
	assert lines[0] == "[" and lines[-2] == "]" and lines[-1] == "", lines[:2]
	body = lines[1:-2]
	assert [l.rstrip(",") for l in body] == open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
	assert all(l.endswith(",") for l in body[:-1]) and not body[-1].endswith(",")
	print(len(arr))
	EOF
	assert_output "$(wc -l <ndjson)"
	# -a is --array
	run_to short pg-export -a vendas_por_cidade
	assert_same array short
}

@test "pg-export: a server's WARNING goes to stderr on a line of its own, named" {
	psql_q "CREATE FUNCTION warn() RETURNS int LANGUAGE plpgsql AS
	    \$\$ BEGIN RAISE WARNING 'care%ful', chr(10); RETURN 7; END \$\$"
	run_to out pg-export -q 'SELECT warn() AS n'
	assert_status 0
	assert_equal "$(cat out)" '{"n":7}'
	assert_equal "$(sed -n 1p <<<"$stderr")" 'pg-export: WARNING:  care\nful'
	assert_equal "$(grep -c . <<<"$stderr")" 1
}

@test "pg-export: --array of no row is []" {
	psql_q "CREATE TABLE t (a int)"
	run_to out pg-export --array t
	assert_status 0
	echo '[]' >expected
	assert_same expected out
	run_to out pg-export -a -q 'SELECT 1 AS a WHERE false'
	assert_same expected out
}

@test "pg-export: --array of one row" {
	psql_q "CREATE TABLE t (a int); INSERT INTO t VALUES (1)"
	run_to out pg-export --array t
	printf '[\n{"a":1}\n]\n' >expected
	assert_same expected out
}

# --- order -------------------------------------------------------------------

@test "pg-export: --order-by one column, descending, or several" {
	dataops_tables
	run_to out pg-export --order-by 'total_vendas desc' vendas_por_estado
	assert_status 0
	# ties, if any, are the server's business: compare the totals
	keys_of out total_vendas >got.totals
	psql_q "SELECT total_vendas FROM vendas_por_estado ORDER BY total_vendas DESC" >expected.totals
	assert_same expected.totals got.totals
	run_to out pg-export -o 'estado DESC,cidade' vendas_por_cidade
	assert_status 0
	keys_of out estado cidade >got
	pk_order vendas_por_cidade estado,cidade 'estado DESC, cidade' >expected
	assert_same expected got
	run_to out pg-export -o 'registros ASC,estado,cidade Desc' vendas_por_cidade
	assert_status 0
	keys_of out registros estado cidade >got
	psql_q "SELECT concat_ws('|', registros, estado, cidade) FROM vendas_por_cidade
	    ORDER BY registros, estado, cidade DESC" >expected
	assert_same expected got
}

@test "pg-export: the primary key order is the key's, not the columns'" {
	psql_q "CREATE TABLE t (a text, b text, v int, PRIMARY KEY (b, a));
	    INSERT INTO t VALUES ('2', 'x', 1), ('1', 'y', 2), ('3', 'x', 3), ('1', 'x', 4)"
	run_to out pg-export t
	assert_status 0
	printf '%s\n' '{"a":"1","b":"x","v":4}' '{"a":"2","b":"x","v":1}' \
	    '{"a":"3","b":"x","v":3}' '{"a":"1","b":"y","v":2}' >expected
	assert_same expected out
}

@test "pg-export: --order-by is column names, not SQL" {
	psql_q "CREATE TABLE t (a int PRIMARY KEY); INSERT INTO t VALUES (1);
	    CREATE TABLE y (v int); INSERT INTO y VALUES (1)"
	for order in 'a; drop table y' 'a desc; drop table y; --' \
	    '(select 1 from y)' 'a) desc; drop table y' 'a"; drop table y; --'; do
		run_to out pg-export --order-by "$order" t
		assert_status 65
		assert_stderr_line --partial 'does not exist'
		assert_empty_file out
	done
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
}

@test "pg-export: --order-by a column that does not exist: 65" {
	psql_q "CREATE TABLE t (a int)"
	run_to out pg-export --order-by nope t
	assert_status 65
	assert_stderr 'pg-export: column "nope" does not exist'
}

@test "pg-export: --order-by names are exact, letter case included" {
	psql_q 'CREATE TABLE t ("Nome" text, nome text);
	    INSERT INTO t VALUES ($$b$$, $$1$$), ($$a$$, $$2$$)'
	run_to out pg-export -o Nome t
	assert_status 0
	printf '%s\n' '{"Nome":"a","nome":"2"}' '{"Nome":"b","nome":"1"}' >expected
	assert_same expected out
	run_to out pg-export -o nome t
	printf '%s\n' '{"Nome":"b","nome":"1"}' '{"Nome":"a","nome":"2"}' >expected
	assert_same expected out
}

# --- queries -----------------------------------------------------------------

@test "pg-export: --query writes the rows of any query" {
	dataops_tables
	run_to out pg-export --query "SELECT estado, sum(registros) AS registros
	    FROM vendas_por_cidade GROUP BY estado ORDER BY estado"
	assert_status 0
	$PY - ref.state <<-'EOF' >expected
	import json, sys
	rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
	for r in sorted(rows, key=lambda r: r["estado"].encode()):
	    print(json.dumps({"estado": r["estado"], "registros": r["registros"]},
	                     ensure_ascii=False, separators=(",", ":")))
	EOF
	assert_same expected out
	run_to out2 pg-export -q 'SELECT 1 AS one, $$x$$ AS "two words", NULL AS nothing;  ;
	'
	assert_status 0
	echo '{"one":1,"two words":"x","nothing":null}' >expected2
	assert_same expected2 out2
}

@test "pg-export: a query the server refuses: 65" {
	run_to out pg-export -q 'SELEC 1'
	assert_status 65
	assert_stderr 'pg-export: syntax error at or near "SELEC"'
	assert_empty_file out
	run_to out pg-export -q 'SELECT 1; SELECT 2'
	assert_status 65
	assert_stderr 'pg-export: cannot insert multiple commands into a prepared statement'
	run_to out pg-export -q 'SELECT * FROM nosuch'
	assert_status 65
	assert_stderr 'pg-export: relation "nosuch" does not exist'
	run_to out pg-export -q 'SELECT $1::int'
	assert_status 65
	run_to out pg-export -q ''
	assert_status 65
}

@test "pg-export: a query that fails part way: 65, after the rows before" {
	run_to out pg-export -q 'SELECT 10 / (3 - g) AS q FROM generate_series(1, 5) g'
	assert_status 65
	assert_stderr 'pg-export: division by zero after 2 rows'
	printf '%s\n' '{"q":5}' '{"q":10}' >expected
	assert_same expected out
}

@test "pg-export: a query without columns: 65" {
	run_to out pg-export -q 'SELECT'
	assert_status 65
	assert_stderr 'pg-export: the query returns no columns'
	run_to out pg-export -q 'CREATE TABLE zz (a int)'
	assert_status 65
	assert_equal "$(psql_q "SELECT to_regclass('zz') IS NULL")" t
}

@test "pg-export: two columns of one name give both keys" {
	run_to out pg-export -q 'SELECT 1 AS a, 2 AS a'
	assert_status 0
	echo '{"a":1,"a":2}' >expected
	assert_same expected out
}

# --- values ------------------------------------------------------------------

@test "pg-export: numbers keep their exact digits; NaN and the infinities are strings" {
	psql_q "CREATE TABLE n (id int PRIMARY KEY, n numeric, m numeric(18,2),
	    f double precision, r real, i2 smallint, i8 bigint, o oid);
	    INSERT INTO n VALUES
	    (1, 12345678901234567890.12, 1048799470.00, 0.1, 1.5, -32768, -9223372036854775808, 4294967295),
	    (2, 'NaN', 10.5, 'NaN', 'Infinity', 0, 9223372036854775807, 0),
	    (3, 0.000000000000000000000001, -0.5, '-Infinity', '-Infinity', 1, 1, 1),
	    (4, 1e30, 0, 1e300, 3.4e38, 2, 2, 2),
	    (5, -0.0, 0.10, 2.2250738585072014e-308, 1e-45, 3, 3, 3)"
	run_to out pg-export n
	assert_status 0
	assert_stderr ''
	printf '%s\n' \
	    '{"id":1,"n":12345678901234567890.12,"m":1048799470.00,"f":0.1,"r":1.5,"i2":-32768,"i8":-9223372036854775808,"o":4294967295}' \
	    '{"id":2,"n":"NaN","m":10.50,"f":"NaN","r":"Infinity","i2":0,"i8":9223372036854775807,"o":0}' \
	    '{"id":3,"n":0.000000000000000000000001,"m":-0.50,"f":"-Infinity","r":"-Infinity","i2":1,"i8":1,"o":1}' \
	    '{"id":4,"n":1000000000000000000000000000000,"m":0.00,"f":1e+300,"r":3.4e+38,"i2":2,"i8":2,"o":2}' \
	    '{"id":5,"n":0.0,"m":0.10,"f":2.2250738585072014e-308,"r":1e-45,"i2":3,"i8":3,"o":3}' \
	    >expected
	assert_same expected out
	# valid JSON, and the same numbers for Python's exact decimals
	run $PY - out <<-'EOF'
	import json, sys
	from decimal import Decimal
	for l in open(sys.argv[1]):
	    json.loads(l, parse_float=Decimal)
	r = json.loads(open(sys.argv[1]).readline(), parse_float=Decimal)
	print(r["n"], r["m"])
	EOF
	assert_output '12345678901234567890.12 1048799470.00'
}

@test "pg-export: NULL is null in every type" {
	psql_q "CREATE TABLE t (a int, b numeric, c text, d date, e timestamptz,
	    f boolean, g json, h jsonb, i uuid, j int[], k bytea, l interval);
	    INSERT INTO t DEFAULT VALUES"
	run_to out pg-export t
	assert_status 0
	echo '{"a":null,"b":null,"c":null,"d":null,"e":null,"f":null,"g":null,"h":null,"i":null,"j":null,"k":null,"l":null}' >expected
	assert_same expected out
}

@test "pg-export: booleans are true and false" {
	psql_q "CREATE TABLE t (id int PRIMARY KEY, b boolean); INSERT INTO t VALUES (1, true), (2, false)"
	run_to out pg-export t
	printf '%s\n' '{"id":1,"b":true}' '{"id":2,"b":false}' >expected
	assert_same expected out
}

@test "pg-export: dates and timestamps in ISO 8601, timestamptz in UTC" {
	psql_q "CREATE TABLE t (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz);
	    INSERT INTO t VALUES
	    (1, '2025-03-01', '2025-03-01 12:34:56', '2025-03-01 12:34:56-03'),
	    (2, '0001-01-01', '2025-12-31 23:59:59.999999', '2025-03-01 12:00:00.5+05:30'),
	    (3, '9999-12-31', '1970-01-01 00:00:00', '1969-12-31 23:59:59.123Z'),
	    (4, 'infinity', '-infinity', 'infinity')"
	# the caller's zones change nothing
	PGTZ=Asia/Kolkata TZ=America/Sao_Paulo run_to out pg-export t
	assert_status 0
	printf '%s\n' \
	    '{"id":1,"d":"2025-03-01","ts":"2025-03-01T12:34:56","tz":"2025-03-01T15:34:56Z"}' \
	    '{"id":2,"d":"0001-01-01","ts":"2025-12-31T23:59:59.999999","tz":"2025-03-01T06:30:00.5Z"}' \
	    '{"id":3,"d":"9999-12-31","ts":"1970-01-01T00:00:00","tz":"1969-12-31T23:59:59.123Z"}' \
	    '{"id":4,"d":"infinity","ts":"-infinity","tz":"infinity"}' >expected
	assert_same expected out
	# and Python reads the instants back as the server holds them
	run $PY - out <<-'EOF'
	import json, os, sys, psycopg2
	from datetime import datetime
	c = psycopg2.connect(os.environ["PG_URI"])
	cur = c.cursor()
	cur.execute("SELECT id, tz FROM t WHERE id < 4 ORDER BY id")
	want = dict(cur.fetchall())
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["id"] < 4:
	        got = datetime.fromisoformat(r["tz"].replace("Z", "+00:00"))
	        assert got == want[r["id"]], (got, want[r["id"]])
	print("ok")
	EOF
	assert_output ok
}

@test "pg-export: json and jsonb inline, one line a row" {
	psql_q "CREATE TABLE t (id int PRIMARY KEY, j json, jb jsonb);
	    INSERT INTO t VALUES
	    (1, E'{\"a\":\\n [1, 2],\\r\\n\"s\":\"x\\\\ny\"}', '{\"b\": {\"c\": null}, \"t\": \"a\\\\tb\"}'),
	    (2, '\"just a string\"', '[1, \"two\", {\"3\": [true]}]'),
	    (3, '42', 'null'),
	    (4, '{\"ü\": \"😀\"}', '\"\\\\u00e9\"')"
	run_to out pg-export t
	assert_status 0
	assert_equal "$(wc -l <out)" 4
	run $PY - out <<-'EOF'
	import json, os, sys, psycopg2
	c = psycopg2.connect(os.environ["PG_URI"])
	cur = c.cursor()
	cur.execute("SELECT id, j::text, jb::text FROM t ORDER BY id")
	for (id, j, jb), line in zip(cur.fetchall(), open(sys.argv[1], encoding="utf-8")):
	    r = json.loads(line)
	    assert r == {"id": id, "j": json.loads(j), "jb": json.loads(jb)}, (r, j, jb)
	print("ok")
	EOF
	assert_output ok
	run sed -n 2p out
	assert_output '{"id":2,"j":"just a string","jb":[1, "two", {"3": [true]}]}'
}

@test "pg-export: other types are the server's text, as strings" {
	psql_q "CREATE TABLE t (u uuid, i interval, b bytea, a int[], m money, x text, v varchar(3), c char(3), tm time, inet inet);
	    INSERT INTO t VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 2 hours', '\\x0102ff',
	    '{1,2,NULL}', 12.5, 'x', 'abc', 'a', '12:30:00', '10.0.0.1/8')"
	run_to out pg-export t
	assert_status 0
	printf '%s\n' '{"u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","i":"P1DT2H","b":"\\x0102ff","a":"{1,2,NULL}","m":"$12.50","x":"x","v":"abc","c":"a  ","tm":"12:30:00","inet":"10.0.0.1/8"}' >expected
	assert_same expected out
}

# The strings of the hostile-string test, as a Python list.
HOSTILE='["tab\there", "new\nline", "cr\rhere", "crlf\r\n", "back\\slash",
"\\.", "\\.\n", "\\N", "\\", "end\\", "\\t\\n", "\"double\" quotes",
"'"'"'single'"'"' quotes", "%n%s%x%d", "emoji 😀🇧🇷",
"\u202eRTL override\u202c", "zero\u200bwidth\u200c\u200djoin\ufeff",
"\u2028\u2029", "\u0001\u001f\u007f\u0080\u009f\b\f\u000b", "é À ç ã 日本語",
"", " ", "null", "\\\\N", "a\tb\\tc\nd\\n", "x" * 70000]'

@test "pg-export: hostile strings come out byte for byte" {
	HOSTILE=$HOSTILE run $PY - <<-'EOF'
	import os, psycopg2
	c = psycopg2.connect(os.environ["PG_URI"])
	cur = c.cursor()
	cur.execute("CREATE TABLE hs (id int PRIMARY KEY, s text)")
	for i, v in enumerate(eval(os.environ["HOSTILE"]), 1):
	    cur.execute("INSERT INTO hs VALUES (%s, %s)", (i, v))
	c.commit()
	print("ok")
	EOF
	assert_output ok
	run_to out pg-export hs
	assert_status 0
	HOSTILE=$HOSTILE run $PY - out <<-'EOF'
	import json, os, sys
	want = eval(os.environ["HOSTILE"])
	lines = open(sys.argv[1], "rb").read().split(b"\n")
	assert lines[-1] == b"" and len(lines) == len(want) + 1, len(lines)
	for i, (line, w) in enumerate(zip(lines, want), 1):
	    r = json.loads(line.decode("utf-8"))
	    assert r == {"id": i, "s": w}, (i, line[:80])
	    assert r["s"].encode("utf-8") == w.encode("utf-8")
	print("ok")
	EOF
	assert_output ok
}

@test "pg-export: column names are JSON-escaped keys" {
	psql_q 'CREATE TABLE t ("a""b" int, "back\slash" int, "tab	key" int, "Maiúscula" int, "😀" int);
	    INSERT INTO t VALUES (1, 2, 3, 4, 5)'
	run_to out pg-export t
	assert_status 0
	run $PY - out <<-'EOF'
	import json, sys
	r = json.loads(open(sys.argv[1], encoding="utf-8").read())
	assert list(r.items()) == [('a"b', 1), ("back\\slash", 2), ("tab\tkey", 3), ("Maiúscula", 4), ("😀", 5)], r
	print("ok")
	EOF
	assert_output ok
}

@test "pg-export: a big table streams, every row once" {
	psql_q "CREATE TABLE big (id int PRIMARY KEY, s text);
	    INSERT INTO big SELECT g, repeat('x', g % 50) FROM generate_series(1, 200000) g"
	run_to out pg-export big
	assert_status 0
	assert_equal "$(wc -l <out)" 200000
	assert_equal "$(head -n 1 out)" '{"id":1,"s":"x"}'
	assert_equal "$(tail -n 1 out)" '{"id":200000,"s":""}'
	run_to arr pg-export --array big
	assert_status 0
	run $PY -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' arr
	assert_output 200000
}

@test "pg-export: an empty table writes nothing" {
	psql_q "CREATE TABLE t (a int)"
	run_to out pg-export t
	assert_status 0
	assert_stderr ''
	assert_empty_file out
}

# --- table names -------------------------------------------------------------

@test "pg-export: a table that does not exist: 65" {
	run_to out pg-export nosuch
	assert_status 65
	assert_stderr 'pg-export: nosuch: no such table'
	assert_empty_file out
}

@test "pg-export: a schema-qualified table, a view, a name with a dot" {
	psql_q "CREATE SCHEMA ${TEST_SCHEMA}_o; CREATE TABLE ${TEST_SCHEMA}_o.t (a int);
	    INSERT INTO ${TEST_SCHEMA}_o.t VALUES (7);
	    CREATE VIEW v AS SELECT 8 AS b;
	    CREATE TABLE \"my.table\" (c int); INSERT INTO \"my.table\" VALUES (9)"
	run_to out pg-export "${TEST_SCHEMA}_o.t"
	assert_status 0
	echo '{"a":7}' >expected
	assert_same expected out
	run_to out pg-export v
	echo '{"b":8}' >expected
	assert_same expected out
	run_to out pg-export "$TEST_SCHEMA.my.table"
	assert_status 0
	echo '{"c":9}' >expected
	assert_same expected out
	psql_q "DROP SCHEMA ${TEST_SCHEMA}_o CASCADE"
}

@test "pg-export: a table name is a name, not SQL" {
	psql_q 'CREATE TABLE y (v int); INSERT INTO y VALUES (1);
	    CREATE TABLE "a""b" (w int); INSERT INTO "a""b" VALUES (2);
	    CREATE TABLE "x; drop table y" (z int); INSERT INTO "x; drop table y" VALUES (3)'
	for name in 'y; drop table y' 'y WHERE false; DROP TABLE y; --' \
	    'y" ; drop table y; --' '(SELECT 1)'; do
		run_to out pg-export "$name"
		assert_status 65
		assert_stderr "pg-export: $name: no such table"
	done
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
	run_to out pg-export 'a"b'
	assert_status 0
	echo '{"w":2}' >expected
	assert_same expected out
	run_to out pg-export 'x; drop table y'
	assert_status 0
	echo '{"z":3}' >expected
	assert_same expected out
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
}

@test "pg-export: names are exact, letter case included" {
	psql_q 'CREATE TABLE "Mixed" (a int); CREATE TABLE mixed (b int)'
	run_to out pg-export Mixed
	assert_status 0
	run_to out2 pg-export mixed
	assert_status 0
	run_to out3 pg-export MIXED
	assert_status 65
}

# --- input, output, options ----------------------------------------------------

@test "pg-export: reads no standard input; '-' is a table name" {
	psql_q "CREATE TABLE t (a int); INSERT INTO t VALUES (1)"
	# a standard input that never ends does not hold it up
	run_to out timeout 20 pg-export t < <(exec 3>&-; exec sleep 30)
	assert_status 0
	echo '{"a":1}' >expected
	assert_same expected out
	run_to out pg-export -
	assert_status 65
	assert_stderr 'pg-export: -: no such table'
	psql_q 'CREATE TABLE "-" (dash int); INSERT INTO "-" VALUES (2)'
	run_to out pg-export -- -
	assert_status 0
	echo '{"dash":2}' >expected
	assert_same expected out
}

@test "pg-export: /dev/full as output: 74" {
	psql_q "CREATE TABLE t (a int); INSERT INTO t VALUES (1)"
	run --separate-stderr pg-export t
	assert_output '{"a":1}'
	run --separate-stderr sh -c 'pg-export t >/dev/full'
	assert_status 74
	assert_stderr 'pg-export: stdout: No space left on device'
	run --separate-stderr sh -c 'pg-export --array t >/dev/full'
	assert_status 74
}

@test "pg-export: a closed output pipe ends it quietly" {
	psql_q "CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 300000)"
	run --separate-stderr bash -c 'pg-export big | head -n 1'
	assert_status 0
	assert_output '{"id":1}'
	assert_stderr ''
}

@test "pg-export: usage errors: 64, the usage on stderr" {
	for args in '' '-x t' '--bogus t' 'a b' '-q' '-o' '-q SELECT\ 1 t' \
	    '--query=SELECT\ 1 --order-by a'; do
		eval "set -- $args"
		run_to out pg-export "$@"
		assert_status 64
		assert_stderr_line --regexp '^(usage: |       )pg-export |^pg-export: --order-by is for tables'
		assert_empty_file out
	done
	run_to out pg-export
	assert_stderr_line 'pg-export: a table or --query is needed'
	run_to out pg-export -q 'SELECT 1' t
	assert_stderr_line 'pg-export: a table and --query: give one of them'
	run_to out pg-export -q 'SELECT 1' -o a
	assert_stderr 'pg-export: --order-by is for tables: put ORDER BY in the query'
}

@test "pg-export: usage errors come before connecting" {
	PG_URI=postgresql://u:secret@127.0.0.1:1/x run_to out pg-export
	assert_status 64
	PG_URI=postgresql://u:secret@127.0.0.1:1/x run_to out pg-export -q 'SELECT 1' -o a
	assert_status 64
}

@test "pg-export: --help and -h print the usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr pg-export "$opt"
		assert_status 0
		assert_stderr ''
		assert_line --index 0 'usage: pg-export [-a] [-o order-by] table'
		assert_line --index 1 '       pg-export [-a] -q query'
	done
}

@test "pg-export: --version" {
	run --separate-stderr pg-export --version
	assert_status 0
	assert_output 'pg-export (dataops) 0.1.0'
}

# --- the server ----------------------------------------------------------------

@test "pg-export: an unreachable server: 69 at once, and the password is not shown" {
	start=$(date +%s)
	PG_URI=postgresql://u:secret@127.0.0.1:1/x run_to out timeout 30 pg-export t
	assert_status 69
	(($(date +%s) - start < 5))
	assert_stderr --regexp '^pg-export: cannot connect to postgresql://u@127\.0\.0\.1:1/x: .+'
	refute_stderr_line --partial secret
	assert_empty_file out
	PG_URI='host=127.0.0.1 port=1 dbname=x password=secret' run_to out pg-export t
	assert_status 69
	refute_stderr_line --partial secret
}

@test "pg-export: a server that does not answer: 69 after PGCONNECT_TIMEOUT" {
	python3 -c '
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(60)
' >port 3>&- &
	server=$!
	for _ in $(seq 1 50); do
		[[ -s port ]] && break
		sleep 0.1
	done
	start=$(date +%s)
	PGCONNECT_TIMEOUT=2 PG_URI=postgresql://u:secret@127.0.0.1:$(cat port)/x \
	    run_to out timeout 30 pg-export t
	took=$(($(date +%s) - start))
	kill "$server"
	assert_status 69
	((took >= 1 && took < 6))
	refute_stderr_line --partial secret
}

@test "pg-export: the connection lost while rows come: 75" {
	# a killer: once the COPY runs, end pg-export's session from the server
	(
		for _ in $(seq 1 100); do
			[[ $(psql_q "SELECT count(*) FROM pg_stat_activity
			    WHERE application_name = 'pg-export' AND query LIKE 'COPY%'
			    AND datname = current_database()") == 1 ]] && break
			sleep 0.1
		done
		sleep 1
		psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		    WHERE application_name = 'pg-export' AND datname = current_database()"
	) >/dev/null 2>&1 3>&- &
	killer=$!
	rc=0
	timeout 60 pg-export -q "SELECT g FROM generate_series(1, 300) g
	    WHERE pg_sleep(0.02)::text = ''" >out 2>err || rc=$?
	wait "$killer"
	run cat err
	assert_output --regexp '^pg-export: terminating connection due to administrator command after [0-9]+ rows$'
	assert_equal "$rc" 75
}

@test "pg-export: a statement timeout or a lock timeout: 75, worth a retry" {
	# the server cancels the query (SQLSTATE 57014); settings go in the
	# URI's options, which pg_use_schema set (PGOPTIONS would not count)
	PG_URI=$PG_URI%20-cstatement_timeout%3D300 run_to out \
	    pg-export -q 'SELECT 1 AS x FROM pg_sleep(5)'
	assert_status 75
	assert_stderr 'pg-export: canceling statement due to statement timeout after 0 rows'
	assert_empty_file out
	# another session holds the table (SQLSTATE 55P03)
	psql_q 'CREATE TABLE held (id int PRIMARY KEY)'
	psql_q "INSERT INTO held VALUES (1)"
	pg_hold_lock "$PG_URI" held
	PG_URI=$PG_URI%20-clock_timeout%3D300 run_to out pg-export held
	kill "$LOCKER"
	assert_status 75
	assert_stderr --regexp '^pg-export: held: canceling statement due to lock timeout|^pg-export: canceling statement due to lock timeout'
	# a refused query is still 65: not worth a retry
	run_to out pg-export -q 'SELECT * FROM nosuch'
	assert_status 65
}

# --- the man page ----------------------------------------------------------------

# man_example N: run examples 1 to N of man/pg-export.1, as a reader would.
man_example() {
	cp "$FIXTURES/pg-schema.sql" schema.sql
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/pg-export.1" "$1"
	assert_success
	assert_output ok
}

@test "pg-export: man page is lint-clean and every example has a test" {
	run mandoc -Tlint -W warning "$DATAOPS_ROOT/man/pg-export.1"
	assert_success
	assert_output ''
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/pg-export.1" count
	assert_output 6
}

@test "pg-export: man page example 1: the three routes" {
	man_example 1
	ref_agg month sales.ndjson >expected
	pg-export vendas_por_ano_mes >got
	assert_same expected got
	ref_agg mode sales.ndjson | LC_ALL=C sort >expected
	pg-export vendas_por_modalidade | LC_ALL=C sort >got
	assert_same expected got
}

@test "pg-export: man page example 2: --array and --order-by" {
	man_example 2
}

@test "pg-export: man page example 3: a query" {
	man_example 3
}

@test "pg-export: man page example 4: how the types come out" {
	man_example 4
}

@test "pg-export: man page example 5: a copy of a table" {
	man_example 5
	run psql_q "SELECT count(*) FROM (SELECT * FROM copia EXCEPT SELECT * FROM vendas_por_ano_mes) d"
	assert_output 0
}

@test "pg-export: man page example 6: errors" {
	man_example 6
	assert_equal "$(psql_q "SELECT to_regclass('copia') IS NOT NULL")" t
}
