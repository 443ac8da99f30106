#!/usr/bin/env bats
# agg-by-state: sale records -> one row per estado (or per estado and cidade
# with --city).  Expected output comes from hand-checked fixtures
# (tests/fixtures/*.expected) and from tests/ref_agg.py, never from the
# program itself.

# $stderr_lines comes from bats; JSON with "$date" is quoted on purpose.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
}

# rec MEMBER...: a JSON object of the members given.
rec() {
	local IFS=,

	printf '{%s}\n' "$*"
}

# The members of a valid record.
E='"estado":"Ceará"'
C='"cidade":"Fortaleza"'
TV='"total_vendas":2'
TF='"total_faturado":10.50'
Q='"quantidade_moto_mais_vendida":1'
OTHERS='"data_venda":"2025-03-01","modalidade":"À vista"'
GOOD=$(rec "$E" "$C" "$TV" "$TF" "$Q" "$OTHERS")
GOOD_ROW='{"estado":"Ceará","cidade":"Fortaleza","total_vendas":2,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}'

# measures N: the measures of N GOOD records (or GOOD_ROWs), closing a row.
measures() {
	printf '"total_vendas":%d,"total_faturado":%d.%02d,"quantidade_motos_vendidas":%d,"registros":%d}' \
	    $(($1 * 2)) $(($1 * 1050 / 100)) $(($1 * 1050 % 100)) "$1" "$1"
}

# bad_record LINE REASON [OPTION...]: LINE as line 3 of in.ndjson (after a
# good record and a blank line, before another good one) is rejected with
# status 65 and `agg-by-state: in.ndjson:3: REASON`.  With --merge, the
# good lines are aggregate rows.
bad_record() {
	local line=$1 reason=$2 good=$GOOD

	shift 2
	[[ " $* " == *" --merge "* ]] && good=$GOOD_ROW
	printf '%s\n\n%s\n%s\n' "$good" "$line" "$good" >in.ndjson
	run_to out agg-by-state "$@" in.ndjson
	assert_status 65
	assert_stderr_line "agg-by-state: in.ndjson:3: $reason"
}

# replace_line N LINE SRC DST: DST is SRC with line N replaced by LINE.
replace_line() {
	LINE=$2 awk -v n="$1" 'NR == n { print ENVIRON["LINE"]; next } 1' \
	    "$3" >"$4"
}

# --- normal runs ---------------------------------------------------------

@test "agg-by-state: hand-checked fixture, per state" {
	run_to out agg-by-state "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/sales.state.expected" out
}

@test "agg-by-state: hand-checked fixture, --city" {
	run_to out agg-by-state --city "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/sales.city.expected" out
	run_to out agg-by-state -c "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.city.expected" out
}

@test "agg-by-state: 20000 generated records equal the reference" {
	gen=$(gen_data)
	ref_agg state "$gen" >expected
	run_to out agg-by-state "$gen"
	assert_status 0
	assert_stderr ''
	assert_same expected out
	(($(wc -l <expected) >= 10))
}

@test "agg-by-state: --city on 20000 generated records equals the reference" {
	gen=$(gen_data)
	ref_agg city "$gen" >expected
	run_to out agg-by-state --city "$gen"
	assert_status 0
	assert_stderr ''
	assert_same expected out
	(($(wc -l <expected) > $(ref_agg state "$gen" | wc -l)))
}

@test "agg-by-state: generated records with varied cents equal the reference" {
	gen=$(gen_cents)
	ref_agg state "$gen" >expected
	run_to out agg-by-state "$gen"
	assert_status 0
	assert_same expected out
	ref_agg city "$gen" >expected
	run_to out agg-by-state --city "$gen"
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: records of the original generator (no _id, no timestamp)" {
	run_to out agg-by-state "$FIXTURES/original.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.state.expected" out
	run_to out agg-by-state --city "$FIXTURES/original.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.city.expected" out
}

@test "agg-by-state: generated records stripped of _id and timestamp" {
	gen=$(gen_data)
	sed -E 's/"_id":"[^"]*",//; s/,"timestamp":"[^"]*"//' "$gen" >plain
	run grep -c -e '"_id"' -e '"timestamp"' plain
	assert_output 0
	ref_agg city "$gen" >expected
	run_to out agg-by-state --city plain
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: MongoDB extended JSON fixture" {
	run_to out agg-by-state "$FIXTURES/extjson.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/extjson.state.expected" out
	run_to out agg-by-state --city "$FIXTURES/extjson.ndjson"
	assert_status 0
	assert_same "$FIXTURES/extjson.city.expected" out
}

@test "agg-by-state: generated records as a MongoDB export equal the reference" {
	gen=$(gen_data)
	to_extjson "$gen" >ext
	ref_agg state "$gen" >expected
	run_to out agg-by-state ext
	assert_status 0
	assert_same expected out
	ref_agg city "$gen" >expected
	run_to out agg-by-state --city ext
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: number forms (4.0, 1e3, 12.300, 1.5E-1, \\u escapes, spaces)" {
	run_to out agg-by-state "$FIXTURES/numbers.ndjson"
	assert_status 0
	assert_same "$FIXTURES/numbers.state.expected" out
	run_to out agg-by-state --city "$FIXTURES/numbers.ndjson"
	assert_status 0
	assert_same "$FIXTURES/numbers.city.expected" out
}

@test "agg-by-state: ties in total_vendas are ordered by key bytes, not locale" {
	for e in Á a Z B Ceará Ceara; do
		rec "\"estado\":\"$e\"" "$TV" "$TF" "$Q"
	done >in.ndjson
	run_to out agg-by-state in.ndjson
	assert_status 0
	for e in B Ceara Ceará Z a Á; do
		printf '{"estado":"%s",%s\n' "$e" "$(measures 1)"
	done >expected
	assert_same expected out
}

@test "agg-by-state: --city ties order by estado, then cidade" {
	{
		rec '"estado":"Piauí"' '"cidade":"Bom Jesus"' "$TV" "$TF" "$Q"
		rec '"estado":"Rio Grande do Sul"' '"cidade":"Bom Jesus"' "$TV" "$TF" "$Q"
		rec '"estado":"Piauí"' '"cidade":"Altos"' "$TV" "$TF" "$Q"
		rec '"estado":"Bahia"' '"cidade":"Zé Doca"' "$TV" "$TF" "$Q"
		rec '"estado":"Piauí"' '"cidade":"Bom Jesus"' "$TV" "$TF" "$Q"
	} >in.ndjson
	run_to out agg-by-state --city in.ndjson
	assert_status 0
	{
		printf '{"estado":"Piauí","cidade":"Bom Jesus",%s\n' "$(measures 2)"
		printf '{"estado":"Bahia","cidade":"Zé Doca",%s\n' "$(measures 1)"
		printf '{"estado":"Piauí","cidade":"Altos",%s\n' "$(measures 1)"
		printf '{"estado":"Rio Grande do Sul","cidade":"Bom Jesus",%s\n' "$(measures 1)"
	} >expected
	assert_same expected out
}

@test "agg-by-state: keys are unescaped on input and escaped only where needed" {
	{
		rec '"estado":"Cear\u00e1"' "$TV" "$TF" "$Q"
		rec '"estado":"Ceará"' "$TV" "$TF" "$Q"
		rec '"estado":"Q \"x\" b \\ t \t c \u0001 n \n s / m \ud83c\udfcd"' \
		    '"total_vendas":1' "$TF" "$Q"
	} >in.ndjson
	run_to out agg-by-state in.ndjson
	assert_status 0
	{
		printf '{"estado":"Ceará",%s\n' "$(measures 2)"
		printf '%s\n' '{"estado":"Q \"x\" b \\ t \t c \u0001 n \n s / m 🏍","total_vendas":1,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}'
	} >expected
	assert_same expected out
	ref_agg state in.ndjson >ref
	assert_same ref out
}

@test "agg-by-state: only estado and the measures are needed, others ignored" {
	{
		rec "$E" "$TV" "$TF" "$Q"
		rec "$E" "$TV" "$TF" "$Q" '"data_venda":"not a date"' \
		    '"modalidade":5' '"cidade":null'
		rec "$Q" "$TF" "$TV" "$E" '"extra":{"nested":[1,{"a":"b"}]}'
	} >in.ndjson
	run_to out agg-by-state in.ndjson
	assert_status 0
	printf '{"estado":"Ceará",%s\n' "$(measures 3)" >expected
	assert_same expected out
}

@test "agg-by-state: same input twice gives the same bytes" {
	gen=$(gen_data)
	agg-by-state --city "$gen" >first
	agg-by-state --city "$gen" >second
	assert_same first second
}

@test "agg-by-state: -j 1, -j 2, -j 5 and the default give identical output" {
	gen=$(gen_cents)
	ref_agg city "$gen" >expected
	for j in 1 2 5; do
		run_to out.$j agg-by-state --city -j "$j" "$gen"
		assert_status 0
		assert_same expected out.$j
	done
	run_to out agg-by-state --city "$gen"
	assert_status 0
	assert_same expected out
	ref_agg state "$gen" >expected
	run_to out agg-by-state --jobs 2 "$gen"
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: several files are aggregated together" {
	gen=$(gen_data)
	head -n 7000 "$gen" >a
	tail -n +7001 "$gen" >b
	ref_agg state a "$FIXTURES/sales.ndjson" b >expected
	run_to out agg-by-state a "$FIXTURES/sales.ndjson" b
	assert_status 0
	assert_same expected out
}

# --- input framing ------------------------------------------------------

@test "agg-by-state: CRLF line ends, a BOM, no final newline, blank lines" {
	{
		printf '\xef\xbb\xbf'
		sed 's/$/\r/' "$FIXTURES/sales.ndjson"
		printf '\r\n\n'
		printf '%s' "$GOOD"
	} >in.ndjson
	cat "$FIXTURES/sales.ndjson" >plain
	echo "$GOOD" >>plain
	ref_agg city plain >expected
	run_to out agg-by-state --city in.ndjson
	assert_status 0
	assert_stderr ''
	assert_same expected out
}

@test "agg-by-state: no file operand reads standard input" {
	run_to out agg-by-state <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.state.expected" out
}

@test "agg-by-state: - reads standard input, also from a pipe" {
	run_to out agg-by-state -c - <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.city.expected" out
	run_to out bash -c 'cat "$1" | agg-by-state -' _ "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.state.expected" out
}

@test "agg-by-state: - among file operands" {
	ref_agg state "$FIXTURES/extjson.ndjson" "$FIXTURES/sales.ndjson" \
	    "$FIXTURES/numbers.ndjson" >expected
	run_to out agg-by-state "$FIXTURES/extjson.ndjson" - \
	    "$FIXTURES/numbers.ndjson" <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: empty input gives empty output and status 0" {
	run_to out agg-by-state </dev/null
	assert_status 0
	assert_stderr ''
	assert_empty_file out
	: >empty.ndjson
	run_to out agg-by-state --city empty.ndjson
	assert_status 0
	assert_empty_file out
	printf '\n\r\n\n' >blank.ndjson
	run_to out agg-by-state blank.ndjson
	assert_status 0
	assert_stderr ''
	assert_empty_file out
}

# --- --merge ------------------------------------------------------------

@test "agg-by-state: --merge of the two halves equals the whole, byte for byte" {
	gen=$(gen_cents)
	head -n 10000 "$gen" >a
	tail -n +10001 "$gen" >b
	agg-by-state a >a.rows
	agg-by-state b >b.rows
	agg-by-state "$gen" >expected
	run_to out bash -c 'cat a.rows b.rows | agg-by-state --merge'
	assert_status 0
	assert_stderr ''
	assert_same expected out
}

@test "agg-by-state: --city --merge of the two halves equals the whole" {
	gen=$(gen_cents)
	head -n 10000 "$gen" >a
	tail -n +10001 "$gen" >b
	agg-by-state --city a >a.rows
	agg-by-state --city b >b.rows
	agg-by-state --city "$gen" >expected
	run_to out bash -c 'cat a.rows b.rows | agg-by-state --city --merge'
	assert_status 0
	assert_same expected out
	run_to out agg-by-state -c -m -j 2 b.rows a.rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: --merge without --city rolls city rows up to states" {
	gen=$(gen_cents)
	agg-by-state --city "$gen" >cities
	ref_agg state "$gen" >expected
	run_to out agg-by-state --merge cities
	assert_status 0
	assert_same expected out
	# city rows of one half, state rows of the other
	head -n 10000 "$gen" >a
	tail -n +10001 "$gen" >b
	agg-by-state --city a >a.rows
	agg-by-state b >b.rows
	run_to out agg-by-state --merge a.rows b.rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: --merge of uneven parts, and of its own output" {
	gen=$(gen_cents)
	head -n 1 "$gen" >a
	sed -n '2,12345p' "$gen" >b
	tail -n +12346 "$gen" >c
	for p in a b c; do agg-by-state "$p" >"$p.rows"; done
	ref_agg state "$gen" >expected
	run_to out agg-by-state --merge c.rows a.rows b.rows
	assert_status 0
	assert_same expected out
	run_to again agg-by-state --merge out
	assert_status 0
	assert_same expected again
}

@test "agg-by-state: --merge hand-checked rows" {
	cat >rows <<-'EOF'
	{"estado":"Ceará","cidade":"Fortaleza","total_vendas":10,"total_faturado":100.10,"quantidade_motos_vendidas":3,"registros":2}
	{"estado":"Ceará","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	{"registros":4,"quantidade_motos_vendidas":0,"total_faturado":1,"total_vendas":15,"estado":"Bahia"}
	{"estado":"Ceará","cidade":"Sobral","total_vendas":0,"total_faturado":0.00,"quantidade_motos_vendidas":0,"registros":0}
	EOF
	cat >expected <<-'EOF'
	{"estado":"Bahia","total_vendas":15,"total_faturado":1.00,"quantidade_motos_vendidas":0,"registros":4}
	{"estado":"Ceará","total_vendas":15,"total_faturado":101.00,"quantidade_motos_vendidas":4,"registros":3}
	EOF
	run_to out agg-by-state --merge rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: --merge rejects bad rows" {
	bad_record '{"estado":"Ceará","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1}' \
	    'missing "registros"' --merge
	bad_record '{"estado":"Ceará","total_vendas":1,"total_faturado":1.00,"registros":1}' \
	    'missing "quantidade_motos_vendidas"' --merge
	bad_record '{"total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    'missing "estado"' --merge
	bad_record '{"estado":"Ceará","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1.5}' \
	    '"registros" is not an integer' --merge
}

@test "agg-by-state: --city --merge of state rows is a missing cidade" {
	bad_record '{"estado":"Ceará","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    'missing "cidade"' --city --merge
}

# --- bad records --------------------------------------------------------

@test "agg-by-state: invalid JSON" {
	for line in '{"estado":"Ceará",' 'hello' "$GOOD$GOOD" '{"estado":"Ceará"} x'; do
		printf '%s\n\n%s\n%s\n' "$GOOD" "$line" "$GOOD" >in.ndjson
		run_to out agg-by-state in.ndjson
		assert_status 65
		assert_stderr_line -e '^agg-by-state: in\.ndjson:3: invalid JSON(: .+)?$'
	done
}

@test "agg-by-state: not a JSON object" {
	bad_record '["Ceará"]' 'not a JSON object'
	bad_record '"Ceará"' 'not a JSON object'
	bad_record 'true' 'not a JSON object'
}

@test "agg-by-state: missing fields" {
	bad_record "$(rec "$C" "$TV" "$TF" "$Q" "$OTHERS")" 'missing "estado"'
	bad_record "$(rec "$E" "$C" "$TF" "$Q")" 'missing "total_vendas"'
	bad_record "$(rec "$E" "$C" "$TV" "$Q")" 'missing "total_faturado"'
	bad_record "$(rec "$E" "$C" "$TV" "$TF")" \
	    'missing "quantidade_moto_mais_vendida"'
	bad_record "$(rec "$E" "$TV" "$TF" "$Q")" 'missing "cidade"' --city
}

@test "agg-by-state: estado or cidade is not a string" {
	bad_record "$(rec '"estado":27' "$C" "$TV" "$TF" "$Q")" \
	    '"estado" is not a string'
	bad_record "$(rec '"estado":{"nome":"Ceará"}' "$C" "$TV" "$TF" "$Q")" \
	    '"estado" is not a string'
	bad_record "$(rec '"estado":null' "$C" "$TV" "$TF" "$Q")" \
	    '"estado" is not a string'
	bad_record "$(rec "$E" '"cidade":["Fortaleza"]' "$TV" "$TF" "$Q")" \
	    '"cidade" is not a string' --city
}

@test "agg-by-state: without --city a bad cidade is ignored" {
	{
		echo "$GOOD"
		rec "$E" '"cidade":["Fortaleza"]' "$TV" "$TF" "$Q"
	} >in.ndjson
	run_to out agg-by-state in.ndjson
	assert_status 0
	printf '{"estado":"Ceará",%s\n' "$(measures 2)" >expected
	assert_same expected out
}

@test "agg-by-state: bad measures" {
	bad_record "$(rec "$E" '"total_vendas":1.5' "$TF" "$Q")" \
	    '"total_vendas" is not an integer'
	bad_record "$(rec "$E" '"total_vendas":-1' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	bad_record "$(rec "$E" '"total_vendas":9223372036854775808' "$TF" "$Q")" \
	    '"total_vendas" is out of range'
	bad_record "$(rec "$E" "$TV" '"total_faturado":"1.00"' "$Q")" \
	    '"total_faturado" is not a number'
	bad_record "$(rec "$E" "$TV" '"total_faturado":-0.5' "$Q")" \
	    '"total_faturado" is negative'
	bad_record "$(rec "$E" "$TV" '"total_faturado":12.345' "$Q")" \
	    '"total_faturado" has more than 2 decimals'
	bad_record "$(rec "$E" "$TV" '"total_faturado":1e17' "$Q")" \
	    '"total_faturado" is out of range'
	bad_record "$(rec "$E" "$TV" "$TF" '"quantidade_moto_mais_vendida":0.5')" \
	    '"quantidade_moto_mais_vendida" is not an integer'
	bad_record "$(rec "$E" "$TV" "$TF" '"quantidade_moto_mais_vendida":-1')" \
	    '"quantidade_moto_mais_vendida" is negative'
	bad_record "$(rec "$E" "$TV" "$TF" '"quantidade_moto_mais_vendida":1e20')" \
	    '"quantidade_moto_mais_vendida" is out of range'
}

@test "agg-by-state: a failed run writes nothing on standard output" {
	bad_record "$(rec "$E" '"total_vendas":-1' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	assert_empty_file out
}

@test "agg-by-state: the line number counts blank lines" {
	printf '\n\n%s\n\r\n\n%s\n' "$GOOD" "$(rec "$TV" "$TF" "$Q")" >in.ndjson
	run_to out agg-by-state in.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-state: in.ndjson:6: missing "estado"'
}

@test "agg-by-state: bad line 15000 of 20000 is found with its line number" {
	gen=$(gen_data)
	replace_line 15000 "$(rec '"estado":1' "$C" "$TV" "$TF" "$Q")" "$gen" big.ndjson
	for j in 1 2 4 7; do
		run_to out agg-by-state -j "$j" big.ndjson
		assert_status 65
		assert_stderr_line 'agg-by-state: big.ndjson:15000: "estado" is not a string'
	done
	run_to out agg-by-state --city big.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-state: big.ndjson:15000: "estado" is not a string'
}

@test "agg-by-state: in a large file, line numbers count blank lines" {
	gen=$(gen_data)
	replace_line 15000 "$(rec "$E" "$TV" "$TF")" "$gen" tmp
	awk 'NR == 100 || NR == 7000 { print "" } 1' tmp >big.ndjson
	run_to out agg-by-state -j 4 big.ndjson
	assert_status 65
	assert_stderr_line \
	    'agg-by-state: big.ndjson:15002: missing "quantidade_moto_mais_vendida"'
}

@test "agg-by-state: bad line read from standard input is named <stdin>" {
	gen=$(gen_data)
	replace_line 15000 '{"estado":"Ceará"}' "$gen" big.ndjson
	run_to out agg-by-state -j 4 <big.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-state: <stdin>:15000: missing "total_vendas"'
	run_to out bash -c 'cat big.ndjson | agg-by-state'
	assert_status 65
	assert_stderr_line 'agg-by-state: <stdin>:15000: missing "total_vendas"'
}

@test "agg-by-state: a bad line in the second file is numbered in that file" {
	printf '%s\n%s\n' "$GOOD" "$GOOD" >a.ndjson
	printf '%s\n[]\n' "$GOOD" >b.ndjson
	run_to out agg-by-state a.ndjson b.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-state: b.ndjson:2: not a JSON object'
}

# --- --max-errors and --rejects -----------------------------------------

# mixed.ndjson: 4 good records and 3 bad ones (lines 2, 5 and 7).
make_mixed() {
	{
		echo "$GOOD"
		echo '{"estado":"Ceará",'
		echo "$GOOD"
		echo
		rec "$C" "$TV" "$TF" "$Q"
		echo "$GOOD"
		rec "$E" "$TV" "$TF" '"quantidade_moto_mais_vendida":"3"'
		echo "$GOOD"
	} >mixed.ndjson
}

@test "agg-by-state: --max-errors N tolerates N bad records" {
	make_mixed
	run_to out agg-by-state --max-errors 3 mixed.ndjson
	assert_status 0
	printf '{"estado":"Ceará",%s\n' "$(measures 4)" >expected
	assert_same expected out
	assert_stderr_line -e '^agg-by-state: mixed\.ndjson:2: invalid JSON(: .+)?$'
	assert_stderr_line 'agg-by-state: mixed.ndjson:5: missing "estado"'
	assert_stderr_line \
	    'agg-by-state: mixed.ndjson:7: "quantidade_moto_mais_vendida" is not an integer'
	assert_equal "${stderr_lines[-1]}" 'agg-by-state: 3 records rejected'
	assert_equal "${#stderr_lines[@]}" 4
}

@test "agg-by-state: --max-errors N fails on N+1 bad records" {
	make_mixed
	run_to out agg-by-state -e 2 mixed.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-state: mixed.ndjson:5: missing "estado"'
	run_to out agg-by-state --city --max-errors=2 mixed.ndjson
	assert_status 65
}

@test "agg-by-state: --max-errors in a large file with several threads" {
	gen=$(gen_data)
	replace_line 5000 "$(rec '"estado":false' "$TV" "$TF" "$Q")" "$gen" t1
	replace_line 10001 'garbage' t1 t2
	replace_line 15000 "$(rec "$E" "$TV" '"total_faturado":0.125' "$Q")" \
	    t2 big.ndjson
	ref_agg --skip-bad state big.ndjson >expected 2>/dev/null
	run_to out agg-by-state -j 4 -e 3 big.ndjson
	assert_status 0
	assert_same expected out
	assert_stderr_line 'agg-by-state: big.ndjson:5000: "estado" is not a string'
	assert_stderr_line -e '^agg-by-state: big\.ndjson:10001: invalid JSON(: .+)?$'
	assert_stderr_line \
	    'agg-by-state: big.ndjson:15000: "total_faturado" has more than 2 decimals'
	assert_equal "${stderr_lines[-1]}" 'agg-by-state: 3 records rejected'
	run_to out agg-by-state -j 4 -e 2 big.ndjson
	assert_status 65
}

@test "agg-by-state: --rejects gets the bad lines verbatim" {
	make_mixed
	run_to out agg-by-state -e 3 --rejects rej.ndjson mixed.ndjson
	assert_status 0
	sed -n '2p;5p;7p' mixed.ndjson | sort >expected
	sort rej.ndjson >got
	assert_same expected got
	gen=$(gen_data)
	b1=$'  {"estado": 1, "x":"tab\there"}  '
	replace_line 12345 "$b1" "$gen" big.ndjson
	run_to out agg-by-state -j 4 -e 1 -r rej.ndjson big.ndjson
	assert_status 0
	printf '%s\n' "$b1" >expected
	assert_same expected rej.ndjson
}

# --- errors and options -------------------------------------------------

@test "agg-by-state: an input file that cannot be opened is status 74" {
	run_to out agg-by-state nonexistent.ndjson
	assert_status 74
	assert_stderr 'agg-by-state: nonexistent.ndjson: No such file or directory'
}

@test "agg-by-state: /dev/full as output is status 74" {
	run --separate-stderr bash -c \
	    'agg-by-state --city "$1" >/dev/full' _ "$FIXTURES/sales.ndjson"
	assert_status 74
	assert_stderr 'agg-by-state: stdout: No space left on device'
}

@test "agg-by-state: a bad option is a usage error" {
	for opt in --bogus -x --cities; do
		run_to out agg-by-state "$opt" "$FIXTURES/sales.ndjson"
		assert_status 64
		assert_stderr_line -p 'usage: agg-by-state'
		assert_empty_file out
	done
	for args in "-e abc" "-j abc" "--max-errors=-1"; do
		# shellcheck disable=SC2086
		run_to out agg-by-state $args "$FIXTURES/sales.ndjson"
		assert_status 64
		assert_empty_file out
	done
}

@test "agg-by-state: --help and -h print usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr agg-by-state "$opt"
		assert_status 0
		assert_line -p 'usage: agg-by-state'
		assert_stderr ''
	done
}

@test "agg-by-state: --version" {
	run --separate-stderr agg-by-state --version
	assert_status 0
	assert_output 'agg-by-state (dataops) 0.1.0'
}

# --- man page examples (man/agg-by-state.1) --------------------------------

@test "agg-by-state: man page example: 100000 records by state, top five cities" {
	gen-sales -n 100000 -s 1 >sales.ndjson
	ref_agg state sales.ndjson >expected
	run_to out agg-by-state sales.ndjson
	assert_status 0
	assert_same expected out
	ref_agg city sales.ndjson | head -5 >expected
	run_to out bash -c 'agg-by-state --city sales.ndjson | head -5'
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: man page example: city rows roll up, whatever the threads" {
	gen-sales -n 100000 -s 1 >sales.ndjson
	agg-by-state sales.ndjson >states.ndjson
	run_to out bash -c 'agg-by-state -c sales.ndjson | agg-by-state -m'
	assert_status 0
	assert_same states.ndjson out
	run_to out agg-by-state -j 1 sales.ndjson
	assert_status 0
	assert_same states.ndjson out
}

@test "agg-by-state: man page example: escaped and plain UTF-8, ties by name" {
	cat >ce.ndjson <<-'EOF'
	{"estado":"Ceará","cidade":"Fortaleza","total_vendas":2,"total_faturado":100.00,"quantidade_moto_mais_vendida":1}
	{"estado":"São Paulo","cidade":"Campinas","total_vendas":5,"total_faturado":250.50,"quantidade_moto_mais_vendida":3}
	{"estado":"Cear\u00e1","cidade":"Sobral","total_vendas":3,"total_faturado":{"$numberDouble":"0.1"},"quantidade_moto_mais_vendida":2}
	EOF
	cat >expected <<-'EOF'
	{"estado":"Ceará","total_vendas":5,"total_faturado":100.10,"quantidade_motos_vendidas":3,"registros":2}
	{"estado":"São Paulo","total_vendas":5,"total_faturado":250.50,"quantidade_motos_vendidas":3,"registros":1}
	EOF
	run_to out agg-by-state ce.ndjson
	assert_status 0
	assert_same expected out
	cat >expected <<-'EOF'
	{"estado":"São Paulo","cidade":"Campinas","total_vendas":5,"total_faturado":250.50,"quantidade_motos_vendidas":3,"registros":1}
	{"estado":"Ceará","cidade":"Sobral","total_vendas":3,"total_faturado":0.10,"quantidade_motos_vendidas":2,"registros":1}
	{"estado":"Ceará","cidade":"Fortaleza","total_vendas":2,"total_faturado":100.00,"quantidade_motos_vendidas":1,"registros":1}
	EOF
	run_to out agg-by-state --city ce.ndjson
	assert_status 0
	assert_same expected out
}

@test "agg-by-state: man page example: a record without a city" {
	echo '{"estado":"Pará","total_vendas":1,"total_faturado":9.90,"quantidade_moto_mais_vendida":1}' >pa.ndjson
	echo '{"estado":"Pará","total_vendas":1,"total_faturado":9.90,"quantidade_motos_vendidas":1,"registros":1}' >expected
	run_to out agg-by-state pa.ndjson
	assert_status 0
	assert_same expected out
	run_to out agg-by-state -c pa.ndjson
	assert_status 65
	assert_stderr 'agg-by-state: pa.ndjson:1: missing "cidade"'
}
