#!/usr/bin/env bats
# agg-by-mode: sale records -> one row per modalidade.  Expected output
# comes from hand-checked fixtures (tests/fixtures/*.expected) and from
# tests/ref_agg.py, never from the program itself.

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
M='"modalidade":"Financiamento"'
TV='"total_vendas":2'
TF='"total_faturado":10.50'
Q='"quantidade_moto_mais_vendida":1'
OTHERS='"data_venda":"2025-03-01","estado":"Ceará","cidade":"Fortaleza"'
GOOD=$(rec "$M" "$TV" "$TF" "$Q" "$OTHERS")
GOOD_ROW='{"modalidade":"Financiamento","total_vendas":2,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}'

# measures N: the measures of N GOOD records (or GOOD_ROWs), closing a row.
measures() {
	printf '"total_vendas":%d,"total_faturado":%d.%02d,"quantidade_motos_vendidas":%d,"registros":%d}' \
	    $(($1 * 2)) $(($1 * 1050 / 100)) $(($1 * 1050 % 100)) "$1" "$1"
}

# bad_record LINE REASON [OPTION...]: LINE as line 3 of in.ndjson (after a
# good record and a blank line, before another good one) is rejected with
# status 65 and `agg-by-mode: in.ndjson:3: REASON`.  With --merge, the
# good lines are aggregate rows.
bad_record() {
	local line=$1 reason=$2 good=$GOOD

	shift 2
	[[ " $* " == *" --merge "* ]] && good=$GOOD_ROW
	printf '%s\n\n%s\n%s\n' "$good" "$line" "$good" >in.ndjson
	run_to out agg-by-mode "$@" in.ndjson
	assert_status 65
	assert_stderr_line "agg-by-mode: in.ndjson:3: $reason"
}

# replace_line N LINE SRC DST: DST is SRC with line N replaced by LINE.
replace_line() {
	LINE=$2 awk -v n="$1" 'NR == n { print ENVIRON["LINE"]; next } 1' \
	    "$3" >"$4"
}

# --- normal runs ---------------------------------------------------------

@test "agg-by-mode: hand-checked fixture" {
	run_to out agg-by-mode "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/sales.mode.expected" out
}

@test "agg-by-mode: 20000 generated records equal the reference" {
	gen=$(gen_data)
	ref_agg mode "$gen" >expected
	run_to out agg-by-mode "$gen"
	assert_status 0
	assert_stderr ''
	assert_same expected out
	assert_equal "$(wc -l <expected)" 3
}

@test "agg-by-mode: generated records with varied cents equal the reference" {
	gen=$(gen_cents)
	ref_agg mode "$gen" >expected
	run_to out agg-by-mode "$gen"
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: records of the original generator (no _id, no timestamp)" {
	run_to out agg-by-mode "$FIXTURES/original.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.mode.expected" out
}

@test "agg-by-mode: generated records stripped of _id and timestamp" {
	gen=$(gen_data)
	sed -E 's/"_id":"[^"]*",//; s/,"timestamp":"[^"]*"//' "$gen" >plain
	run grep -c -e '"_id"' -e '"timestamp"' plain
	assert_output 0
	ref_agg mode "$gen" >expected
	run_to out agg-by-mode plain
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: MongoDB extended JSON fixture" {
	run_to out agg-by-mode "$FIXTURES/extjson.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/extjson.mode.expected" out
}

@test "agg-by-mode: generated records as a MongoDB export equal the reference" {
	gen=$(gen_data)
	to_extjson "$gen" >ext
	ref_agg mode "$gen" >expected
	run_to out agg-by-mode ext
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: number forms (4.0, 1e3, 12.300, 1.5E-1, \\u escapes, spaces)" {
	run_to out agg-by-mode "$FIXTURES/numbers.ndjson"
	assert_status 0
	assert_same "$FIXTURES/numbers.mode.expected" out
}

@test "agg-by-mode: ties in total_vendas are ordered by key bytes, not locale" {
	for m in "À vista" Financiamento Consórcio "a prazo" "Leasing"; do
		rec "\"modalidade\":\"$m\"" "$TV" "$TF" "$Q"
	done >in.ndjson
	rec '"modalidade":"Zero"' '"total_vendas":0' "$TF" "$Q" >>in.ndjson
	rec '"modalidade":"Leasing"' '"total_vendas":1' "$TF" "$Q" >>in.ndjson
	run_to out agg-by-mode in.ndjson
	assert_status 0
	{
		printf '{"modalidade":"Leasing","total_vendas":3,"total_faturado":21.00,"quantidade_motos_vendidas":2,"registros":2}\n'
		for m in Consórcio Financiamento "a prazo" "À vista"; do
			printf '{"modalidade":"%s",%s\n' "$m" "$(measures 1)"
		done
		printf '{"modalidade":"Zero","total_vendas":0,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}\n'
	} >expected
	assert_same expected out
}

@test "agg-by-mode: keys are unescaped on input and escaped only where needed" {
	{
		rec '"modalidade":"Cons\u00f3rcio"' "$TV" "$TF" "$Q"
		rec '"modalidade":"Consórcio"' "$TV" "$TF" "$Q"
		rec '"modalidade":"a\"b\\c\td\u001fe\r"' '"total_vendas":1' "$TF" "$Q"
	} >in.ndjson
	run_to out agg-by-mode in.ndjson
	assert_status 0
	{
		printf '{"modalidade":"Consórcio",%s\n' "$(measures 2)"
		printf '%s\n' '{"modalidade":"a\"b\\c\td\u001fe\r","total_vendas":1,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}'
	} >expected
	assert_same expected out
}

@test "agg-by-mode: only modalidade and the measures are needed, others ignored" {
	{
		rec "$M" "$TV" "$TF" "$Q"
		rec "$M" "$TV" "$TF" "$Q" '"data_venda":"2025-02-30"' \
		    '"estado":5' '"cidade":null'
		rec "$Q" "$TF" "$TV" "$M" '"extra":{"nested":[1,{"a":"b"}]}'
	} >in.ndjson
	run_to out agg-by-mode in.ndjson
	assert_status 0
	printf '{"modalidade":"Financiamento",%s\n' "$(measures 3)" >expected
	assert_same expected out
}

@test "agg-by-mode: same input twice gives the same bytes" {
	gen=$(gen_data)
	agg-by-mode "$gen" >first
	agg-by-mode "$gen" >second
	assert_same first second
}

@test "agg-by-mode: -j 1, -j 2, -j 5 and the default give identical output" {
	gen=$(gen_cents)
	ref_agg mode "$gen" >expected
	for j in 1 2 5; do
		run_to out.$j agg-by-mode -j "$j" "$gen"
		assert_status 0
		assert_same expected out.$j
	done
	run_to out agg-by-mode "$gen"
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: several files are aggregated together" {
	gen=$(gen_data)
	head -n 7000 "$gen" >a
	tail -n +7001 "$gen" >b
	ref_agg mode a "$FIXTURES/sales.ndjson" b >expected
	run_to out agg-by-mode a "$FIXTURES/sales.ndjson" b
	assert_status 0
	assert_same expected out
}

# --- input framing ------------------------------------------------------

@test "agg-by-mode: CRLF line ends, a BOM, no final newline, blank lines" {
	{
		printf '\xef\xbb\xbf'
		sed 's/$/\r/' "$FIXTURES/sales.ndjson"
		printf '\r\n\n'
		printf '%s' "$GOOD"
	} >in.ndjson
	cat "$FIXTURES/sales.ndjson" >plain
	echo "$GOOD" >>plain
	ref_agg mode plain >expected
	run_to out agg-by-mode in.ndjson
	assert_status 0
	assert_stderr ''
	assert_same expected out
}

@test "agg-by-mode: no file operand reads standard input" {
	run_to out agg-by-mode <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.mode.expected" out
}

@test "agg-by-mode: - reads standard input, also from a pipe" {
	run_to out agg-by-mode - <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.mode.expected" out
	run_to out bash -c 'cat "$1" | agg-by-mode -' _ "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.mode.expected" out
}

@test "agg-by-mode: - among file operands" {
	ref_agg mode "$FIXTURES/extjson.ndjson" "$FIXTURES/sales.ndjson" \
	    "$FIXTURES/numbers.ndjson" >expected
	run_to out agg-by-mode "$FIXTURES/extjson.ndjson" - \
	    "$FIXTURES/numbers.ndjson" <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: empty input gives empty output and status 0" {
	run_to out agg-by-mode </dev/null
	assert_status 0
	assert_stderr ''
	assert_empty_file out
	: >empty.ndjson
	run_to out agg-by-mode empty.ndjson
	assert_status 0
	assert_empty_file out
	printf '\n\r\n\n' >blank.ndjson
	run_to out agg-by-mode blank.ndjson
	assert_status 0
	assert_stderr ''
	assert_empty_file out
}

# --- --merge ------------------------------------------------------------

@test "agg-by-mode: --merge of the two halves equals the whole, byte for byte" {
	gen=$(gen_cents)
	head -n 10000 "$gen" >a
	tail -n +10001 "$gen" >b
	agg-by-mode a >a.rows
	agg-by-mode b >b.rows
	agg-by-mode "$gen" >expected
	run_to out bash -c 'cat a.rows b.rows | agg-by-mode --merge'
	assert_status 0
	assert_stderr ''
	assert_same expected out
	run_to out agg-by-mode -m -j 2 b.rows a.rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: --merge of uneven parts, and of its own output" {
	gen=$(gen_cents)
	head -n 1 "$gen" >a
	sed -n '2,12345p' "$gen" >b
	tail -n +12346 "$gen" >c
	for p in a b c; do agg-by-mode "$p" >"$p.rows"; done
	ref_agg mode "$gen" >expected
	run_to out agg-by-mode --merge c.rows a.rows b.rows
	assert_status 0
	assert_same expected out
	run_to again agg-by-mode --merge out
	assert_status 0
	assert_same expected again
}

@test "agg-by-mode: --merge hand-checked rows" {
	cat >rows <<-'EOF'
	{"modalidade":"À vista","total_vendas":10,"total_faturado":100.10,"quantidade_motos_vendidas":3,"registros":2}
	{"modalidade":"Consórcio","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	{"registros":4,"quantidade_motos_vendidas":0,"total_faturado":1,"total_vendas":15,"modalidade":"Financiamento"}
	{"modalidade":"À vista","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	{"modalidade":"Consórcio","total_vendas":0,"total_faturado":0.00,"quantidade_motos_vendidas":0,"registros":0}
	EOF
	cat >expected <<-'EOF'
	{"modalidade":"Financiamento","total_vendas":15,"total_faturado":1.00,"quantidade_motos_vendidas":0,"registros":4}
	{"modalidade":"À vista","total_vendas":15,"total_faturado":101.00,"quantidade_motos_vendidas":4,"registros":3}
	{"modalidade":"Consórcio","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	EOF
	run_to out agg-by-mode --merge rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: --merge rejects bad rows" {
	bad_record '{"modalidade":"Financiamento","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1}' \
	    'missing "registros"' --merge
	bad_record '{"total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    'missing "modalidade"' --merge
	bad_record '{"modalidade":"Financiamento","total_vendas":1,"total_faturado":1.001,"quantidade_motos_vendidas":1,"registros":1}' \
	    '"total_faturado" has more than 2 decimals' --merge
	bad_record '{"modalidade":"Financiamento","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":-1,"registros":1}' \
	    '"quantidade_motos_vendidas" is negative' --merge
}

@test "agg-by-mode: --merge of a sale record is a missing measure" {
	printf '%s\n' "$GOOD" >in.ndjson
	run_to out agg-by-mode --merge in.ndjson
	assert_status 65
	assert_stderr_line -e '^agg-by-mode: in\.ndjson:1: missing "(quantidade_motos_vendidas|registros)"$'
}

# --- bad records --------------------------------------------------------

@test "agg-by-mode: invalid JSON" {
	for line in '{"modalidade":"Financiamento",' 'hello' "$GOOD$GOOD" \
	    '{"modalidade":"Financiamento"} x' $'{"modalidade":"a\tb"}'; do
		printf '%s\n\n%s\n%s\n' "$GOOD" "$line" "$GOOD" >in.ndjson
		run_to out agg-by-mode in.ndjson
		assert_status 65
		assert_stderr_line -e '^agg-by-mode: in\.ndjson:3: invalid JSON(: .+)?$'
	done
}

@test "agg-by-mode: not a JSON object" {
	bad_record '["Financiamento"]' 'not a JSON object'
	bad_record '"Financiamento"' 'not a JSON object'
	bad_record '3.14' 'not a JSON object'
}

@test "agg-by-mode: missing fields" {
	bad_record "$(rec "$TV" "$TF" "$Q" "$OTHERS")" 'missing "modalidade"'
	bad_record "$(rec "$M" "$TF" "$Q")" 'missing "total_vendas"'
	bad_record "$(rec "$M" "$TV" "$Q")" 'missing "total_faturado"'
	bad_record "$(rec "$M" "$TV" "$TF")" \
	    'missing "quantidade_moto_mais_vendida"'
}

@test "agg-by-mode: modalidade is not a string" {
	bad_record "$(rec '"modalidade":1' "$TV" "$TF" "$Q")" \
	    '"modalidade" is not a string'
	bad_record "$(rec '"modalidade":["Financiamento"]' "$TV" "$TF" "$Q")" \
	    '"modalidade" is not a string'
	bad_record "$(rec '"modalidade":false' "$TV" "$TF" "$Q")" \
	    '"modalidade" is not a string'
}

@test "agg-by-mode: bad measures" {
	bad_record "$(rec "$M" '"total_vendas":2.5' "$TF" "$Q")" \
	    '"total_vendas" is not an integer'
	bad_record "$(rec "$M" '"total_vendas":-7' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	bad_record "$(rec "$M" '"total_vendas":1e30' "$TF" "$Q")" \
	    '"total_vendas" is out of range'
	bad_record "$(rec "$M" "$TV" '"total_faturado":{"amount":1}' "$Q")" \
	    '"total_faturado" is not a number'
	bad_record "$(rec "$M" "$TV" '"total_faturado":-100' "$Q")" \
	    '"total_faturado" is negative'
	bad_record "$(rec "$M" "$TV" '"total_faturado":{"$numberDouble":"0.125"}' "$Q")" \
	    '"total_faturado" has more than 2 decimals'
	bad_record "$(rec "$M" "$TV" '"total_faturado":92233720368547758.08' "$Q")" \
	    '"total_faturado" is out of range'
	bad_record "$(rec "$M" "$TV" "$TF" '"quantidade_moto_mais_vendida":1.01')" \
	    '"quantidade_moto_mais_vendida" is not an integer'
	bad_record "$(rec "$M" "$TV" "$TF" '"quantidade_moto_mais_vendida":{"$numberInt":"-1"}')" \
	    '"quantidade_moto_mais_vendida" is negative'
	bad_record "$(rec "$M" "$TV" "$TF" '"quantidade_moto_mais_vendida":9223372036854775808')" \
	    '"quantidade_moto_mais_vendida" is out of range'
}

@test "agg-by-mode: a failed run writes nothing on standard output" {
	bad_record "$(rec "$M" '"total_vendas":-1' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	assert_empty_file out
}

@test "agg-by-mode: the line number counts blank lines" {
	printf '\n\n%s\n\r\n\n%s\n' "$GOOD" "$(rec "$TV" "$TF" "$Q")" >in.ndjson
	run_to out agg-by-mode in.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-mode: in.ndjson:6: missing "modalidade"'
}

@test "agg-by-mode: bad line 15000 of 20000 is found with its line number" {
	gen=$(gen_data)
	replace_line 15000 "$(rec "$M" "$TV" '"total_faturado":-1' "$Q")" \
	    "$gen" big.ndjson
	for j in 1 2 4 7; do
		run_to out agg-by-mode -j "$j" big.ndjson
		assert_status 65
		assert_stderr_line 'agg-by-mode: big.ndjson:15000: "total_faturado" is negative'
	done
	run_to out agg-by-mode big.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-mode: big.ndjson:15000: "total_faturado" is negative'
}

@test "agg-by-mode: in a large file, line numbers count blank lines" {
	gen=$(gen_data)
	replace_line 15000 '[]' "$gen" tmp
	awk 'NR == 100 || NR == 7000 { print "" } 1' tmp >big.ndjson
	run_to out agg-by-mode -j 4 big.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-mode: big.ndjson:15002: not a JSON object'
}

@test "agg-by-mode: bad line read from standard input is named <stdin>" {
	gen=$(gen_data)
	replace_line 15000 '{"modalidade":"Financiamento"}' "$gen" big.ndjson
	run_to out agg-by-mode -j 4 - <big.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-mode: <stdin>:15000: missing "total_vendas"'
	run_to out bash -c 'cat big.ndjson | agg-by-mode'
	assert_status 65
	assert_stderr_line 'agg-by-mode: <stdin>:15000: missing "total_vendas"'
}

@test "agg-by-mode: a bad line in the second file is numbered in that file" {
	printf '%s\n%s\n' "$GOOD" "$GOOD" >a.ndjson
	printf '\n%s\n\n{\n' "$GOOD" >b.ndjson
	run_to out agg-by-mode a.ndjson b.ndjson
	assert_status 65
	assert_stderr_line -e '^agg-by-mode: b\.ndjson:4: invalid JSON(: .+)?$'
}

# --- --max-errors and --rejects -----------------------------------------

# mixed.ndjson: 4 good records and 3 bad ones (lines 2, 5 and 7).
make_mixed() {
	{
		echo "$GOOD"
		echo 'null'
		echo "$GOOD"
		echo
		rec '"modalidade":{"$oid":"x"}' "$TV" "$TF" "$Q"
		echo "$GOOD"
		rec "$M" "$TV" "$TF"
		echo "$GOOD"
	} >mixed.ndjson
}

@test "agg-by-mode: --max-errors N tolerates N bad records" {
	make_mixed
	run_to out agg-by-mode --max-errors 3 mixed.ndjson
	assert_status 0
	printf '{"modalidade":"Financiamento",%s\n' "$(measures 4)" >expected
	assert_same expected out
	assert_stderr_line 'agg-by-mode: mixed.ndjson:2: not a JSON object'
	assert_stderr_line 'agg-by-mode: mixed.ndjson:5: "modalidade" is not a string'
	assert_stderr_line \
	    'agg-by-mode: mixed.ndjson:7: missing "quantidade_moto_mais_vendida"'
	assert_equal "${stderr_lines[-1]}" 'agg-by-mode: 3 records rejected'
	assert_equal "${#stderr_lines[@]}" 4
}

@test "agg-by-mode: --max-errors N fails on N+1 bad records" {
	make_mixed
	run_to out agg-by-mode -e 2 mixed.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-mode: mixed.ndjson:5: "modalidade" is not a string'
	run_to out agg-by-mode --max-errors=2 mixed.ndjson
	assert_status 65
}

@test "agg-by-mode: --max-errors in a large file with several threads" {
	gen=$(gen_data)
	replace_line 5000 '"just a string"' "$gen" t1
	replace_line 10001 "$(rec "$M" '"total_vendas":"9"' "$TF" "$Q")" t1 t2
	replace_line 15000 "$(rec "$M" "$TV" "$TF" '"quantidade_moto_mais_vendida":-2')" \
	    t2 big.ndjson
	ref_agg --skip-bad mode big.ndjson >expected 2>/dev/null
	run_to out agg-by-mode -j 4 -e 3 big.ndjson
	assert_status 0
	assert_same expected out
	assert_stderr_line 'agg-by-mode: big.ndjson:5000: not a JSON object'
	assert_stderr_line 'agg-by-mode: big.ndjson:10001: "total_vendas" is not an integer'
	assert_stderr_line \
	    'agg-by-mode: big.ndjson:15000: "quantidade_moto_mais_vendida" is negative'
	assert_equal "${stderr_lines[-1]}" 'agg-by-mode: 3 records rejected'
	run_to out agg-by-mode -j 4 -e 2 big.ndjson
	assert_status 65
}

@test "agg-by-mode: --rejects gets the bad lines verbatim" {
	make_mixed
	run_to out agg-by-mode -e 3 --rejects rej.ndjson mixed.ndjson
	assert_status 0
	sed -n '2p;5p;7p' mixed.ndjson | sort >expected
	sort rej.ndjson >got
	assert_same expected got
	gen=$(gen_data)
	b1='{"modalidade":"Financiamento","total_vendas":2,"total_faturado":1e-3}'
	b2=$'{"modalidade":\x01}'
	replace_line 4321 "$b1" "$gen" t1
	replace_line 17777 "$b2" t1 big.ndjson
	run_to out agg-by-mode -j 4 -e 2 -r rej.ndjson big.ndjson
	assert_status 0
	printf '%s\n' "$b1" "$b2" | sort >expected
	sort rej.ndjson >got
	assert_same expected got
}

# --- errors and options -------------------------------------------------

@test "agg-by-mode: an input file that cannot be opened is status 74" {
	run_to out agg-by-mode nonexistent.ndjson
	assert_status 74
	assert_stderr 'agg-by-mode: nonexistent.ndjson: No such file or directory'
}

@test "agg-by-mode: /dev/full as output is status 74" {
	run --separate-stderr bash -c \
	    'agg-by-mode "$1" >/dev/full' _ "$FIXTURES/sales.ndjson"
	assert_status 74
	assert_stderr 'agg-by-mode: stdout: No space left on device'
}

@test "agg-by-mode: a bad option is a usage error" {
	for opt in --bogus -x -c --city; do
		run_to out agg-by-mode "$opt" "$FIXTURES/sales.ndjson"
		assert_status 64
		assert_stderr_line -p 'usage: agg-by-mode'
		assert_empty_file out
	done
	for args in "-e abc" "-j abc" "-e 1.5"; do
		# shellcheck disable=SC2086
		run_to out agg-by-mode $args "$FIXTURES/sales.ndjson"
		assert_status 64
		assert_empty_file out
	done
}

@test "agg-by-mode: --help and -h print usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr agg-by-mode "$opt"
		assert_status 0
		assert_line -p 'usage: agg-by-mode'
		assert_stderr ''
	done
}

@test "agg-by-mode: --version" {
	run --separate-stderr agg-by-mode --version
	assert_status 0
	assert_output 'agg-by-mode (dataops) 0.1.0'
}

# --- man page examples (man/agg-by-mode.1) ---------------------------------

@test "agg-by-mode: man page example: 100000 generated records by mode" {
	gen-sales -n 100000 -s 1 >sales.ndjson
	ref_agg mode sales.ndjson >expected
	run_to out agg-by-mode sales.ndjson
	assert_status 0
	assert_same expected out
	run_to out agg-by-mode --max-errors 10 --rejects bad.ndjson sales.ndjson
	assert_status 0
	assert_stderr ''
	assert_same expected out
}

@test "agg-by-mode: man page example: generate, keep a copy, report" {
	run_to out bash -c \
	    'gen-sales -n 100000 | tee sales.ndjson | agg-by-mode | report'
	assert_status 0
	assert_equal "$(wc -l <sales.ndjson)" 100000
	run grep -c 'Vendas por modalidade' out
	assert_output 1
}

@test "agg-by-mode: man page example: ties go by name in byte order" {
	cat >modes.ndjson <<-'EOF'
	{"modalidade":"Consórcio","total_vendas":1,"total_faturado":0,"quantidade_moto_mais_vendida":0}
	{"modalidade":"À vista","total_vendas":4,"total_faturado":49.99,"quantidade_moto_mais_vendida":{"$numberLong":"1"}}
	{"modalidade":"Financiamento","total_vendas":4,"total_faturado":1e3,"quantidade_moto_mais_vendida":2}
	EOF
	cat >expected <<-'EOF'
	{"modalidade":"Financiamento","total_vendas":4,"total_faturado":1000.00,"quantidade_motos_vendidas":2,"registros":1}
	{"modalidade":"À vista","total_vendas":4,"total_faturado":49.99,"quantidade_motos_vendidas":1,"registros":1}
	{"modalidade":"Consórcio","total_vendas":1,"total_faturado":0.00,"quantidade_motos_vendidas":0,"registros":1}
	EOF
	run_to out agg-by-mode modes.ndjson
	assert_status 0
	assert_same expected out
}

@test "agg-by-mode: man page example: a file, then standard input, one bad record" {
	cat >modes.ndjson <<-'EOF'
	{"modalidade":"Consórcio","total_vendas":1,"total_faturado":0,"quantidade_moto_mais_vendida":0}
	{"modalidade":"À vista","total_vendas":4,"total_faturado":49.99,"quantidade_moto_mais_vendida":{"$numberLong":"1"}}
	{"modalidade":"Financiamento","total_vendas":4,"total_faturado":1e3,"quantidade_moto_mais_vendida":2}
	EOF
	agg-by-mode modes.ndjson >expected.ndjson
	run_to out.ndjson bash -c 'echo '\''{"modalidade":"Consórcio","total_vendas":1,"total_faturado":"12.50","quantidade_moto_mais_vendida":1}'\'' |
	    agg-by-mode -e 1 modes.ndjson -'
	assert_status 0
	assert_stderr "$(printf '%s\n' \
	    'agg-by-mode: <stdin>:1: "total_faturado" is not a number' \
	    'agg-by-mode: 1 record rejected')"
	assert_same expected.ndjson out.ndjson
}
