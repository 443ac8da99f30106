#!/usr/bin/env bats
# agg-by-month: sale records -> one row per month ("ano_mes") of data_venda.
# Expected output comes from hand-checked fixtures (tests/fixtures/*.expected)
# and from tests/ref_agg.py, never from the program itself.

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
D='"data_venda":"2025-03-01"'
TV='"total_vendas":2'
TF='"total_faturado":10.50'
Q='"quantidade_moto_mais_vendida":1'
KEYS='"estado":"Ceará","cidade":"Fortaleza","modalidade":"À vista"'
GOOD=$(rec "$D" "$TV" "$TF" "$Q" "$KEYS")
GOOD_ROW='{"ano_mes":"2025-03","total_vendas":2,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}'
# n GOOD records (or GOOD_ROWs) aggregate to this row.
good_row() {
	printf '{"ano_mes":"2025-03","total_vendas":%d,"total_faturado":%d.%02d,"quantidade_motos_vendidas":%d,"registros":%d}\n' \
	    $(($1 * 2)) $(($1 * 1050 / 100)) $(($1 * 1050 % 100)) "$1" "$1"
}

# bad_record LINE REASON [OPTION...]: LINE as line 3 of in.ndjson (after a
# good record and a blank line, before another good one) is rejected with
# status 65 and `agg-by-month: in.ndjson:3: REASON`.  With --merge, the
# good lines are aggregate rows.
bad_record() {
	local line=$1 reason=$2 good=$GOOD

	shift 2
	[[ " $* " == *" --merge "* ]] && good=$GOOD_ROW
	printf '%s\n\n%s\n%s\n' "$good" "$line" "$good" >in.ndjson
	run_to out agg-by-month "$@" in.ndjson
	assert_status 65
	assert_stderr_line "agg-by-month: in.ndjson:3: $reason"
}

# bad_json LINE: LINE as line 3 is rejected as invalid JSON.
bad_json() {
	printf '%s\n\n%s\n%s\n' "$GOOD" "$1" "$GOOD" >in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 65
	assert_stderr_line -e '^agg-by-month: in\.ndjson:3: invalid JSON(: .+)?$'
}

# replace_line N LINE SRC DST: DST is SRC with line N replaced by LINE.
replace_line() {
	LINE=$2 awk -v n="$1" 'NR == n { print ENVIRON["LINE"]; next } 1' \
	    "$3" >"$4"
}

# --- normal runs ---------------------------------------------------------

@test "agg-by-month: hand-checked fixture" {
	run_to out agg-by-month "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/sales.month.expected" out
}

@test "agg-by-month: 20000 generated records equal the reference" {
	gen=$(gen_data)
	ref_agg month "$gen" >expected
	run_to out agg-by-month "$gen"
	assert_status 0
	assert_stderr ''
	assert_same expected out
	# the data spans several months: a real grouping was checked
	(($(wc -l <expected) >= 4))
}

@test "agg-by-month: generated records with varied cents equal the reference" {
	gen=$(gen_cents)
	ref_agg month "$gen" >expected
	run grep -c '"total_faturado":[0-9]*[.][0-9][1-9],' "$gen"
	((output > 10000))
	run_to out agg-by-month "$gen"
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: records of the original generator (no _id, no timestamp)" {
	run_to out agg-by-month "$FIXTURES/original.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.month.expected" out
}

@test "agg-by-month: generated records stripped of _id and timestamp" {
	gen=$(gen_data)
	sed -E 's/"_id":"[^"]*",//; s/,"timestamp":"[^"]*"//' "$gen" >plain
	run grep -c -e '"_id"' -e '"timestamp"' plain
	assert_output 0
	ref_agg month "$gen" >expected
	run_to out agg-by-month plain
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: MongoDB extended JSON fixture (\$date in three forms, \$number*)" {
	run_to out agg-by-month "$FIXTURES/extjson.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/extjson.month.expected" out
}

@test "agg-by-month: generated records as a MongoDB export equal the reference" {
	gen=$(gen_data)
	to_extjson "$gen" >ext
	run grep -c '"\$date"' ext
	assert_output 20000
	ref_agg month "$gen" >expected
	run_to out agg-by-month ext
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: \$date is taken as its UTC day, offsets converted" {
	{
		rec '"data_venda":{"$date":"2025-02-28T22:00:00-03:00"}' "$TV" "$TF" "$Q"
		rec '"data_venda":{"$date":"2025-03-31T23:30:00+01:00"}' "$TV" "$TF" "$Q"
		rec '"data_venda":{"$date":{"$numberLong":"1740787200000"}}' "$TV" "$TF" "$Q"
		rec '"data_venda":{"$date":1743465599999}' "$TV" "$TF" "$Q"
	} >in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 0
	good_row 4 >expected
	assert_same expected out
}

@test "agg-by-month: number forms (4.0, 1e3, 12.300, 1.5E-1, \\u escapes, spaces)" {
	run_to out agg-by-month "$FIXTURES/numbers.ndjson"
	assert_status 0
	assert_same "$FIXTURES/numbers.month.expected" out
}

@test "agg-by-month: -0 is zero, not negative" {
	rec "$D" '"total_vendas":-0' '"total_faturado":-0.00' \
	    '"quantidade_moto_mais_vendida":-0' >in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 0
	echo '{"ano_mes":"2025-03","total_vendas":0,"total_faturado":0.00,"quantidade_motos_vendidas":0,"registros":1}' >expected
	assert_same expected out
}

@test "agg-by-month: int64 extremes are summed and printed exactly" {
	rec "$D" '"total_vendas":9223372036854775806' \
	    '"total_faturado":92233720368547758.06' \
	    '"quantidade_moto_mais_vendida":9223372036854775806' >in.ndjson
	rec "$D" '"total_vendas":1' '"total_faturado":0.01' \
	    '"quantidade_moto_mais_vendida":1' >>in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 0
	echo '{"ano_mes":"2025-03","total_vendas":9223372036854775807,"total_faturado":92233720368547758.07,"quantidade_motos_vendidas":9223372036854775807,"registros":2}' >expected
	assert_same expected out
}

@test "agg-by-month: calendar edges: leap days, years 0001 and 9999, order" {
	for d in 9999-12-31 2000-02-29 0001-01-01 2024-02-29 1999-12-31; do
		rec "\"data_venda\":\"$d\"" "$TV" "$TF" "$Q"
	done >in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 0
	m='"total_vendas":2,"total_faturado":10.50,"quantidade_motos_vendidas":1,"registros":1}'
	cat >expected <<-EOF
	{"ano_mes":"0001-01",$m
	{"ano_mes":"1999-12",$m
	{"ano_mes":"2000-02",$m
	{"ano_mes":"2024-02",$m
	{"ano_mes":"9999-12",$m
	EOF
	assert_same expected out
}

@test "agg-by-month: only data_venda and the measures are needed, others ignored" {
	{
		rec "$D" "$TV" "$TF" "$Q"
		rec "$D" "$TV" "$TF" "$Q" '"estado":5' '"cidade":null' \
		    '"modalidade":[1]' '"_id":{"$oid":"x"}' '"preco_total":"?"'
		rec "$Q" "$TF" "$TV" "$D" '"extra":{"nested":[1,{"a":"b"}]}'
	} >in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 0
	good_row 3 >expected
	assert_same expected out
}

@test "agg-by-month: same input twice gives the same bytes" {
	gen=$(gen_data)
	agg-by-month "$gen" >first
	agg-by-month "$gen" >second
	assert_same first second
}

@test "agg-by-month: -j 1, -j 2, -j 5 and the default give identical output" {
	gen=$(gen_cents)
	ref_agg month "$gen" >expected
	for j in 1 2 5; do
		run_to out.$j agg-by-month -j "$j" "$gen"
		assert_status 0
		assert_same expected out.$j
	done
	run_to out.long agg-by-month --jobs=3 "$gen"
	assert_status 0
	assert_same expected out.long
}

@test "agg-by-month: several files are aggregated together" {
	gen=$(gen_data)
	head -n 7000 "$gen" >a
	tail -n +7001 "$gen" >b
	ref_agg month "$gen" >expected
	run_to out agg-by-month a "$FIXTURES/sales.ndjson" b
	assert_status 0
	ref_agg month a "$FIXTURES/sales.ndjson" b >expected
	assert_same expected out
}

# --- input framing ------------------------------------------------------

@test "agg-by-month: CRLF line ends, a BOM, no final newline, blank lines" {
	{
		printf '\xef\xbb\xbf'
		sed 's/$/\r/' "$FIXTURES/sales.ndjson"
		printf '\r\n\n'
		printf '%s' "$GOOD"
	} >in.ndjson
	cat "$FIXTURES/sales.ndjson" >plain
	echo "$GOOD" >>plain
	ref_agg month plain >expected
	run_to out agg-by-month in.ndjson
	assert_status 0
	assert_stderr ''
	assert_same expected out
}

@test "agg-by-month: no file operand reads standard input" {
	run_to out agg-by-month <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.month.expected" out
}

@test "agg-by-month: - reads standard input" {
	run_to out agg-by-month - <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.month.expected" out
}

@test "agg-by-month: standard input from a pipe" {
	run_to out bash -c 'cat "$1" | agg-by-month -' _ "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same "$FIXTURES/sales.month.expected" out
}

@test "agg-by-month: - among file operands" {
	ref_agg month "$FIXTURES/extjson.ndjson" "$FIXTURES/sales.ndjson" \
	    "$FIXTURES/numbers.ndjson" >expected
	run_to out agg-by-month "$FIXTURES/extjson.ndjson" - \
	    "$FIXTURES/numbers.ndjson" <"$FIXTURES/sales.ndjson"
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: empty input gives empty output and status 0" {
	run_to out agg-by-month </dev/null
	assert_status 0
	assert_stderr ''
	assert_empty_file out
	: >empty.ndjson
	run_to out agg-by-month empty.ndjson
	assert_status 0
	assert_empty_file out
	printf '\n\r\n\n' >blank.ndjson
	run_to out agg-by-month blank.ndjson
	assert_status 0
	assert_stderr ''
	assert_empty_file out
}

# --- --merge ------------------------------------------------------------

@test "agg-by-month: --merge of the two halves equals the whole, byte for byte" {
	gen=$(gen_cents)
	head -n 10000 "$gen" >a
	tail -n +10001 "$gen" >b
	agg-by-month a >a.rows
	agg-by-month b >b.rows
	agg-by-month "$gen" >expected
	run_to out bash -c 'cat a.rows b.rows | agg-by-month --merge'
	assert_status 0
	assert_stderr ''
	assert_same expected out
	run_to out agg-by-month -m a.rows b.rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: --merge of uneven parts, and of its own output" {
	gen=$(gen_cents)
	head -n 1 "$gen" >a
	sed -n '2,12345p' "$gen" >b
	tail -n +12346 "$gen" >c
	for p in a b c; do agg-by-month "$p" >"$p.rows"; done
	ref_agg month "$gen" >expected
	run_to out agg-by-month --merge c.rows a.rows b.rows
	assert_status 0
	assert_same expected out
	run_to again agg-by-month --merge out
	assert_status 0
	assert_same expected again
}

@test "agg-by-month: --merge of day rows keyed by data_venda" {
	gen=$(gen_cents)
	ref_agg day "$gen" >days
	run grep -c '^{"data_venda":"' days
	((output > 60))
	ref_agg month "$gen" >expected
	run_to out agg-by-month --merge days
	assert_status 0
	assert_stderr ''
	assert_same expected out
	# day rows of one half with month rows of the other
	head -n 10000 "$gen" >a
	tail -n +10001 "$gen" >b
	ref_agg day a >a.days
	agg-by-month b >b.rows
	run_to out bash -c 'cat b.rows a.days | agg-by-month --merge -j 2'
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: --merge hand-checked rows" {
	cat >rows <<-'EOF'
	{"ano_mes":"2025-01","total_vendas":10,"total_faturado":100.10,"quantidade_motos_vendidas":3,"registros":2}
	{"data_venda":"2025-01-31","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	{"registros":1,"quantidade_motos_vendidas":0,"total_faturado":1,"total_vendas":1,"ano_mes":"2024-12"}
	{"data_venda":"2025-02-01","total_vendas":2,"total_faturado":2.22,"quantidade_motos_vendidas":2,"registros":3}
	{"ano_mes":"2025-01","total_vendas":0,"total_faturado":0.00,"quantidade_motos_vendidas":0,"registros":0}
	EOF
	cat >expected <<-'EOF'
	{"ano_mes":"2024-12","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":0,"registros":1}
	{"ano_mes":"2025-01","total_vendas":15,"total_faturado":101.00,"quantidade_motos_vendidas":4,"registros":3}
	{"ano_mes":"2025-02","total_vendas":2,"total_faturado":2.22,"quantidade_motos_vendidas":2,"registros":3}
	EOF
	run_to out agg-by-month --merge rows
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: --merge rejects rows without a measure or with a bad month" {
	bad_record '{"ano_mes":"2025-03","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1}' \
	    'missing "registros"' --merge
	bad_record '{"ano_mes":"2025-13","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    '"ano_mes" is not a valid month' --merge
	bad_record '{"ano_mes":"0000-01","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    '"ano_mes" is not a valid month' --merge
	bad_record '{"ano_mes":"2025-3","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    '"ano_mes" is not a valid month' --merge
	bad_record '{"ano_mes":"2025-03","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":-1}' \
	    '"registros" is negative' --merge
	bad_record '{"ano_mes":"2025-03","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1.5,"registros":1}' \
	    '"quantidade_motos_vendidas" is not an integer' --merge
}

@test "agg-by-month: --merge of a row with both keys: one month, either order" {
	cat >rows <<-'EOF'
	{"data_venda":"2025-01-31","ano_mes":"2025-01","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	{"ano_mes":"2025-02","data_venda":"2025-02-01","total_vendas":2,"total_faturado":2.22,"quantidade_motos_vendidas":2,"registros":3}
	EOF
	cat >expected <<-'EOF'
	{"ano_mes":"2025-01","total_vendas":5,"total_faturado":0.90,"quantidade_motos_vendidas":1,"registros":1}
	{"ano_mes":"2025-02","total_vendas":2,"total_faturado":2.22,"quantidade_motos_vendidas":2,"registros":3}
	EOF
	run_to out agg-by-month --merge rows
	assert_status 0
	assert_same expected out
	bad_record '{"data_venda":"2025-03-01","ano_mes":"2025-01","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    '"data_venda" and "ano_mes" are not the same month' --merge
	bad_record '{"ano_mes":"2025-01","data_venda":"2025-03-01","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' \
	    '"data_venda" and "ano_mes" are not the same month' --merge
}

@test "agg-by-month: --merge of a sale record is a missing measure" {
	printf '%s\n' "$GOOD" >in.ndjson
	run_to out agg-by-month --merge in.ndjson
	assert_status 65
	assert_stderr_line -e '^agg-by-month: in\.ndjson:1: missing "(quantidade_motos_vendidas|registros)"$'
}

# --- bad records --------------------------------------------------------

@test "agg-by-month: invalid JSON" {
	bad_json '{"data_venda":"2025-03-01","total_vendas":2'
	bad_json 'hello'
	bad_json '{"data_venda":"2025-03-01"} x'
	bad_json "$GOOD$GOOD"
	bad_json '{"data_venda":"2025-03-01",}'
	bad_json "{'data_venda':'2025-03-01'}"
}

@test "agg-by-month: not a JSON object" {
	bad_record '[1,2,3]' 'not a JSON object'
	bad_record '"2025-03-01"' 'not a JSON object'
	bad_record '42' 'not a JSON object'
	bad_record 'null' 'not a JSON object'
}

@test "agg-by-month: missing fields" {
	bad_record "$(rec "$TV" "$TF" "$Q" "$KEYS")" 'missing "data_venda"'
	bad_record "$(rec "$D" "$TF" "$Q" "$KEYS")" 'missing "total_vendas"'
	bad_record "$(rec "$D" "$TV" "$Q" "$KEYS")" 'missing "total_faturado"'
	bad_record "$(rec "$D" "$TV" "$TF" "$KEYS")" \
	    'missing "quantidade_moto_mais_vendida"'
	bad_record '{}' 'missing "data_venda"'
}

@test "agg-by-month: data_venda is not a string" {
	bad_record "$(rec '"data_venda":20250301' "$TV" "$TF" "$Q")" \
	    '"data_venda" is not a string'
	bad_record "$(rec '"data_venda":true' "$TV" "$TF" "$Q")" \
	    '"data_venda" is not a string'
}

@test "agg-by-month: data_venda is not a valid date" {
	for d in 2025-02-29 1900-02-29 2025-04-31 2025-13-01 2025-00-10 \
	    2025-01-00 0000-01-01 2025-1-01 25-01-01 '' 2025/03/01 \
	    2025-03-01T00:00:00Z; do
		bad_record "$(rec "\"data_venda\":\"$d\"" "$TV" "$TF" "$Q")" \
		    '"data_venda" is not a valid date'
	done
	bad_record "$(rec '"data_venda":{"$date":"yesterday"}' "$TV" "$TF" "$Q")" \
	    '"data_venda" is not a valid date'
}

@test "agg-by-month: total_vendas is not an integer" {
	bad_record "$(rec "$D" '"total_vendas":1.5' "$TF" "$Q")" \
	    '"total_vendas" is not an integer'
	bad_record "$(rec "$D" '"total_vendas":"2"' "$TF" "$Q")" \
	    '"total_vendas" is not an integer'
	bad_record "$(rec "$D" '"total_vendas":null' "$TF" "$Q")" \
	    '"total_vendas" is not an integer'
}

@test "agg-by-month: total_vendas is negative or out of range" {
	bad_record "$(rec "$D" '"total_vendas":-1' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	bad_record "$(rec "$D" '"total_vendas":{"$numberLong":"-5"}' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	bad_record "$(rec "$D" '"total_vendas":9223372036854775808' "$TF" "$Q")" \
	    '"total_vendas" is out of range'
	bad_record "$(rec "$D" '"total_vendas":1e19' "$TF" "$Q")" \
	    '"total_vendas" is out of range'
}

@test "agg-by-month: total_faturado is not a number" {
	bad_record "$(rec "$D" "$TV" '"total_faturado":"10.50"' "$Q")" \
	    '"total_faturado" is not a number'
	bad_record "$(rec "$D" "$TV" '"total_faturado":true' "$Q")" \
	    '"total_faturado" is not a number'
	bad_record "$(rec "$D" "$TV" '"total_faturado":[10.5]' "$Q")" \
	    '"total_faturado" is not a number'
}

@test "agg-by-month: total_faturado is negative" {
	bad_record "$(rec "$D" "$TV" '"total_faturado":-0.01' "$Q")" \
	    '"total_faturado" is negative'
	bad_record "$(rec "$D" "$TV" '"total_faturado":-5' "$Q")" \
	    '"total_faturado" is negative'
}

@test "agg-by-month: total_faturado has more than 2 decimals" {
	bad_record "$(rec "$D" "$TV" '"total_faturado":1.005' "$Q")" \
	    '"total_faturado" has more than 2 decimals'
	bad_record "$(rec "$D" "$TV" '"total_faturado":0.001' "$Q")" \
	    '"total_faturado" has more than 2 decimals'
	bad_record "$(rec "$D" "$TV" '"total_faturado":1e-400' "$Q")" \
	    '"total_faturado" has more than 2 decimals'
	bad_record "$(rec "$D" "$TV" '"total_faturado":{"$numberDecimal":"1.005"}' "$Q")" \
	    '"total_faturado" has more than 2 decimals'
}

@test "agg-by-month: total_faturado is out of range" {
	bad_record "$(rec "$D" "$TV" '"total_faturado":92233720368547758.08' "$Q")" \
	    '"total_faturado" is out of range'
	bad_record "$(rec "$D" "$TV" '"total_faturado":1e400' "$Q")" \
	    '"total_faturado" is out of range'
}

@test "agg-by-month: quantidade_moto_mais_vendida is bad" {
	bad_record "$(rec "$D" "$TV" "$TF" '"quantidade_moto_mais_vendida":2.5')" \
	    '"quantidade_moto_mais_vendida" is not an integer'
	bad_record "$(rec "$D" "$TV" "$TF" '"quantidade_moto_mais_vendida":"1"')" \
	    '"quantidade_moto_mais_vendida" is not an integer'
	bad_record "$(rec "$D" "$TV" "$TF" '"quantidade_moto_mais_vendida":-3')" \
	    '"quantidade_moto_mais_vendida" is negative'
	bad_record "$(rec "$D" "$TV" "$TF" '"quantidade_moto_mais_vendida":1e19')" \
	    '"quantidade_moto_mais_vendida" is out of range'
}

@test "agg-by-month: a failed run writes nothing on standard output" {
	bad_record "$(rec "$D" '"total_vendas":-1' "$TF" "$Q")" \
	    '"total_vendas" is negative'
	assert_empty_file out
}

@test "agg-by-month: the line number counts blank lines" {
	printf '\n\n%s\n\r\n\n%s\n' "$GOOD" "$(rec "$D" "$TV" "$TF")" >in.ndjson
	run_to out agg-by-month in.ndjson
	assert_status 65
	assert_stderr_line \
	    'agg-by-month: in.ndjson:6: missing "quantidade_moto_mais_vendida"'
}

@test "agg-by-month: bad line 15000 of 20000 is found with its line number" {
	gen=$(gen_data)
	bad=$(rec '"data_venda":"2025-02-30"' "$TV" "$TF" "$Q")
	replace_line 15000 "$bad" "$gen" big.ndjson
	for j in 1 2 4 7; do
		run_to out agg-by-month -j "$j" big.ndjson
		assert_status 65
		assert_stderr_line \
		    'agg-by-month: big.ndjson:15000: "data_venda" is not a valid date'
	done
	run_to out agg-by-month big.ndjson
	assert_status 65
	assert_stderr_line \
	    'agg-by-month: big.ndjson:15000: "data_venda" is not a valid date'
}

@test "agg-by-month: in a large file, line numbers count blank lines" {
	gen=$(gen_data)
	bad=$(rec "$D" "$TV" "$TF" '"quantidade_moto_mais_vendida":-1')
	replace_line 15000 "$bad" "$gen" tmp
	awk 'NR == 100 || NR == 7000 { print "" } 1' tmp >big.ndjson
	run_to out agg-by-month -j 4 big.ndjson
	assert_status 65
	assert_stderr_line \
	    'agg-by-month: big.ndjson:15002: "quantidade_moto_mais_vendida" is negative'
}

@test "agg-by-month: bad first and last lines of a large file" {
	gen=$(gen_data)
	replace_line 1 'not json' "$gen" first.ndjson
	run_to out agg-by-month -j 4 first.ndjson
	assert_status 65
	assert_stderr_line -e '^agg-by-month: first\.ndjson:1: invalid JSON(: .+)?$'
	replace_line 20000 '[]' "$gen" last.ndjson
	run_to out agg-by-month -j 4 last.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-month: last.ndjson:20000: not a JSON object'
}

@test "agg-by-month: bad line read from standard input is named <stdin>" {
	gen=$(gen_data)
	replace_line 15000 '{"data_venda":"2025-03-01"}' "$gen" big.ndjson
	run_to out agg-by-month -j 4 <big.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-month: <stdin>:15000: missing "total_vendas"'
	run_to out bash -c 'cat big.ndjson | agg-by-month -'
	assert_status 65
	assert_stderr_line 'agg-by-month: <stdin>:15000: missing "total_vendas"'
}

@test "agg-by-month: a bad line in the second file is numbered in that file" {
	printf '%s\n%s\n' "$GOOD" "$GOOD" >a.ndjson
	printf '%s\n[]\n' "$GOOD" >b.ndjson
	run_to out agg-by-month a.ndjson b.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-month: b.ndjson:2: not a JSON object'
}

# --- --max-errors and --rejects -----------------------------------------

# mixed.ndjson: 4 good records and 3 bad ones (lines 2, 5 and 7).
make_mixed() {
	{
		echo "$GOOD"
		echo '{"data_venda":"2025-03-01",'
		echo "$GOOD"
		echo
		rec "$D" '"total_vendas":-2' "$TF" "$Q"
		echo "$GOOD"
		rec "$D" "$TV" '"total_faturado":1.001' "$Q"
		echo "$GOOD"
	} >mixed.ndjson
}

@test "agg-by-month: --max-errors N tolerates N bad records" {
	make_mixed
	run_to out agg-by-month --max-errors 3 mixed.ndjson
	assert_status 0
	good_row 4 >expected
	assert_same expected out
	assert_stderr_line -e '^agg-by-month: mixed\.ndjson:2: invalid JSON(: .+)?$'
	assert_stderr_line 'agg-by-month: mixed.ndjson:5: "total_vendas" is negative'
	assert_stderr_line \
	    'agg-by-month: mixed.ndjson:7: "total_faturado" has more than 2 decimals'
	assert_equal "${stderr_lines[-1]}" 'agg-by-month: 3 records rejected'
	assert_equal "${#stderr_lines[@]}" 4
}

@test "agg-by-month: --max-errors N fails on N+1 bad records" {
	make_mixed
	run_to out agg-by-month -e 2 mixed.ndjson
	assert_status 65
	assert_stderr_line 'agg-by-month: mixed.ndjson:5: "total_vendas" is negative'
	assert_stderr_line \
	    'agg-by-month: mixed.ndjson:7: "total_faturado" has more than 2 decimals'
	run_to out agg-by-month --max-errors=2 mixed.ndjson
	assert_status 65
}

@test "agg-by-month: default is no bad record tolerated" {
	make_mixed
	run_to out agg-by-month mixed.ndjson
	assert_status 65
	assert_stderr_line -e '^agg-by-month: mixed\.ndjson:2: invalid JSON(: .+)?$'
}

@test "agg-by-month: no summary line when nothing is rejected" {
	run_to out agg-by-month -e 5 "$FIXTURES/sales.ndjson"
	assert_status 0
	assert_stderr ''
	assert_same "$FIXTURES/sales.month.expected" out
}

@test "agg-by-month: --max-errors in a large file with several threads" {
	gen=$(gen_data)
	replace_line 5000 "$(rec "$D" '"total_vendas":1.5' "$TF" "$Q")" "$gen" t1
	replace_line 10001 'garbage' t1 t2
	replace_line 15000 "$(rec '"data_venda":"2025-02-29"' "$TV" "$TF" "$Q")" \
	    t2 big.ndjson
	ref_agg --skip-bad month big.ndjson >expected 2>/dev/null
	run_to out agg-by-month -j 4 -e 3 big.ndjson
	assert_status 0
	assert_same expected out
	assert_stderr_line 'agg-by-month: big.ndjson:5000: "total_vendas" is not an integer'
	assert_stderr_line -e '^agg-by-month: big\.ndjson:10001: invalid JSON(: .+)?$'
	assert_stderr_line 'agg-by-month: big.ndjson:15000: "data_venda" is not a valid date'
	assert_equal "${stderr_lines[-1]}" 'agg-by-month: 3 records rejected'
	run_to out agg-by-month -j 4 -e 2 big.ndjson
	assert_status 65
}

@test "agg-by-month: --rejects gets the bad lines verbatim" {
	make_mixed
	run_to out agg-by-month -e 3 --rejects rej.ndjson mixed.ndjson
	assert_status 0
	sed -n '2p;5p;7p' mixed.ndjson | sort >expected
	sort rej.ndjson >got
	assert_same expected got
	assert_equal "$(tail -c 1 rej.ndjson | od -An -c | tr -d ' ')" '\n'
	run_to out agg-by-month -e 3 -r rej2.ndjson mixed.ndjson
	assert_status 0
	sort rej2.ndjson >got2
	assert_same expected got2
}

@test "agg-by-month: --rejects from a large file with several threads" {
	gen=$(gen_data)
	b1=$(rec "$D" '"total_vendas":1.5' "$TF" "$Q" '"note":"tab\there"')
	b2=$'\t{"data_venda": "2025-03-01", "oops" }  '
	b3=$(rec '"data_venda":"2025-02-29"' "$TV" "$TF" "$Q" '"cidade":"São Paulo"')
	replace_line 3 "$b1" "$gen" t1
	replace_line 10001 "$b2" t1 t2
	replace_line 19999 "$b3" t2 big.ndjson
	run_to out agg-by-month -j 4 -e 3 -r rej.ndjson big.ndjson
	assert_status 0
	printf '%s\n' "$b1" "$b2" "$b3" | sort >expected
	sort rej.ndjson >got
	assert_same expected got
}

# --- errors and options -------------------------------------------------

@test "agg-by-month: an input file that cannot be opened is status 74" {
	run_to out agg-by-month nonexistent.ndjson
	assert_status 74
	assert_stderr 'agg-by-month: nonexistent.ndjson: No such file or directory'
	run_to out agg-by-month "$FIXTURES/sales.ndjson" nonexistent.ndjson
	assert_status 74
	assert_stderr_line \
	    'agg-by-month: nonexistent.ndjson: No such file or directory'
}

@test "agg-by-month: /dev/full as output is status 74" {
	run --separate-stderr bash -c \
	    'agg-by-month "$1" >/dev/full' _ "$FIXTURES/sales.ndjson"
	assert_status 74
	assert_stderr 'agg-by-month: stdout: No space left on device'
}

@test "agg-by-month: a bad option is a usage error" {
	for opt in --bogus -x -c --city; do
		run_to out agg-by-month "$opt" "$FIXTURES/sales.ndjson"
		assert_status 64
		assert_stderr_line -p 'usage: agg-by-month'
		assert_empty_file out
	done
}

@test "agg-by-month: a bad option value is a usage error" {
	for args in "-e abc" "-e -1" "--max-errors=1x" "-j abc" "-j -2" \
	    "--jobs="; do
		# shellcheck disable=SC2086
		run_to out agg-by-month $args "$FIXTURES/sales.ndjson"
		assert_status 64
		assert_empty_file out
	done
	for opt in -e --max-errors -j -r; do
		run_to out agg-by-month "$opt" </dev/null
		assert_status 64
		assert_stderr_line -p 'usage: agg-by-month'
	done
}

@test "agg-by-month: --help and -h print usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr agg-by-month "$opt"
		assert_status 0
		assert_line -p 'usage: agg-by-month'
		assert_stderr ''
	done
}

@test "agg-by-month: --version" {
	run --separate-stderr agg-by-month --version
	assert_status 0
	assert_output 'agg-by-month (dataops) 0.1.0'
}

# --- man page examples (man/agg-by-month.1) --------------------------------

@test "agg-by-month: man page example: 100000 generated records by month" {
	gen-sales -n 100000 -s 1 >sales.ndjson
	ref_agg month sales.ndjson >expected
	run_to out agg-by-month sales.ndjson
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: man page example: plain and extended JSON" {
	cat >in.ndjson <<-'EOF'
	{"data_venda":"2025-03-01","total_vendas":3,"total_faturado":1500.10,"quantidade_moto_mais_vendida":2}
	{"data_venda":{"$date":"2025-03-17T00:00:00Z"},"total_vendas":{"$numberInt":"1"},"total_faturado":12.300,"quantidade_moto_mais_vendida":1}
	{"data_venda":"2025-02-28","total_vendas":2,"total_faturado":{"$numberDecimal":"999.99"},"quantidade_moto_mais_vendida":2}
	EOF
	cat >expected <<-'EOF'
	{"ano_mes":"2025-02","total_vendas":2,"total_faturado":999.99,"quantidade_motos_vendidas":2,"registros":1}
	{"ano_mes":"2025-03","total_vendas":4,"total_faturado":1512.40,"quantidade_motos_vendidas":3,"registros":2}
	EOF
	run_to out agg-by-month <in.ndjson
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: man page example: two halves merged, and one thread" {
	gen-sales -n 100000 -s 1 >sales.ndjson
	split -l 50000 sales.ndjson part.
	agg-by-month part.aa >a.ndjson
	agg-by-month part.ab >b.ndjson
	agg-by-month sales.ndjson >whole.ndjson
	run_to out agg-by-month --merge a.ndjson b.ndjson
	assert_status 0
	assert_same whole.ndjson out
	run_to out agg-by-month -j 1 sales.ndjson
	assert_status 0
	assert_same whole.ndjson out
}

@test "agg-by-month: man page example: a day row merged with a month row" {
	cat >in.ndjson <<-'EOF'
	{"data_venda":"2025-03-01","total_vendas":3,"total_faturado":1500.10,"quantidade_motos_vendidas":2,"registros":1}
	{"ano_mes":"2025-03","total_vendas":1,"total_faturado":12.30,"quantidade_motos_vendidas":1,"registros":1}
	EOF
	echo '{"ano_mes":"2025-03","total_vendas":4,"total_faturado":1512.40,"quantidade_motos_vendidas":3,"registros":2}' >expected
	run_to out agg-by-month --merge <in.ndjson
	assert_status 0
	assert_same expected out
}

@test "agg-by-month: man page example: stop at the first bad record, or tolerate" {
	cat >dirty.ndjson <<-'EOF'
	{"data_venda":"2025-01-31","total_vendas":2,"total_faturado":99.90,"quantidade_moto_mais_vendida":1}
	{"data_venda":"2025-02-30","total_vendas":1,"total_faturado":10,"quantidade_moto_mais_vendida":1}
	{"data_venda":"2025-02-01","total_vendas":1,"total_faturado":10.001,"quantidade_moto_mais_vendida":1}
	EOF
	run_to out agg-by-month dirty.ndjson
	assert_status 65
	assert_stderr 'agg-by-month: dirty.ndjson:2: "data_venda" is not a valid date'
	run_to months.ndjson agg-by-month -e 10 -r bad.ndjson dirty.ndjson
	assert_status 0
	assert_stderr "$(printf '%s\n' \
	    'agg-by-month: dirty.ndjson:2: "data_venda" is not a valid date' \
	    'agg-by-month: dirty.ndjson:3: "total_faturado" has more than 2 decimals' \
	    'agg-by-month: 2 records rejected')"
	echo '{"ano_mes":"2025-01","total_vendas":2,"total_faturado":99.90,"quantidade_motos_vendidas":1,"registros":1}' >expected
	assert_same expected months.ndjson
	sed -n 2,3p dirty.ndjson >expected.bad
	assert_same expected.bad bad.ndjson
}
