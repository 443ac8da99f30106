#!/usr/bin/env bats
# mongo-export: a collection, a pipeline or the server's sums by group ->
# NDJSON (man/mongo-export.1).
#
# The documents are written with an independent client, pymongo (mongo_py
# in tests/test_helper.bash), never with mongo-load, and what mongo-export
# writes is checked against hand-checked fixtures, Python's json module,
# pymongo's bson and json_util, and tests/ref_agg.py, never against
# mongo-export itself.

# JSON with "$..." in single quotes is on purpose; $stderr comes from bats.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

TYPES=$FIXTURES/mongo-types.canonical.ndjson
RELAXED=$FIXTURES/mongo-types.relaxed.expected
PROXY=$FIXTURES/mongo-drop-proxy.py
SILENT=$FIXTURES/mongo-silent-server.py

setup_file() {
	mongo_setup || return 1
	# One collection of 20000 sales, cents varied, that the tests only
	# read: "sales", written by pymongo as json.loads reads the file
	# (integers as integers, money as doubles).
	SALES_FILE=$(gen_cents) || return 1
	export SALES_FILE
	MONGO_COLLECTION=sales mongo_py '
coll.drop()
with open(sys.argv[1], encoding="utf-8") as f:
    coll.insert_many([json.loads(line) for line in f])
' "$SALES_FILE"
}

teardown_file() {
	mongo_teardown
}

setup() {
	common_setup
	# a collection per test that writes one; "sales" is shared, read-only
	MONGO_COLLECTION=export_$BATS_TEST_NUMBER
	export MONGO_COLLECTION
	BG_PIDS=()
}

teardown() {
	local pid

	for pid in "${BG_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	mongo_private_stop
	return 0
}

# use_sales: the test reads the shared collection of $SALES_FILE.
use_sales() {
	MONGO_COLLECTION=sales
	export MONGO_COLLECTION
}

# insert_canonical FILE: insert each line of FILE, MongoDB extended JSON,
# with pymongo, in file order.
insert_canonical() {
	mongo_py '
opts = json_util.CANONICAL_JSON_OPTIONS
with open(sys.argv[1], encoding="utf-8") as f:
    docs = [json_util.loads(line, json_options=opts) for line in f if line.strip()]
coll.insert_many(docs)
' "$1"
}

# expected_find FILTER SORT SKIP LIMIT FIELDS: the records of $SALES_FILE
# as a find should return them, computed by Python from the file: FILTER a
# JSON object of field: value equalities, SORT a JSON list of [field, 1|-1]
# pairs, FIELDS a comma-separated list or "" for all; one line each, as
# json.dumps writes it (which writes a double as mongo-export's relaxed
# form does: the shortest text, ".0" when whole).
expected_find() {
	python3 - "$SALES_FILE" "$@" <<-'EOF'
	import functools, json, sys
	path, flt, order, skip, limit, fields = sys.argv[1:]
	flt, order = json.loads(flt), json.loads(order)
	skip, limit = int(skip), int(limit)
	recs = [json.loads(l) for l in open(path, encoding="utf-8")]
	recs = [r for r in recs if all(r.get(k) == v for k, v in flt.items())]
	def cmp(a, b):
	    for f, d in order:
	        if a[f] != b[f]:
	            return d if a[f] > b[f] else -d
	    return 0
	if order:
	    recs.sort(key=functools.cmp_to_key(cmp))
	recs = recs[skip:]
	if limit:
	    recs = recs[:limit]
	keep = set(fields.split(",")) | {"_id"} if fields else None
	for r in recs:
	    if keep is not None:
	        r = {k: v for k, v in r.items() if k in keep}
	    print(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
	EOF
}

# filter_sales FIELD VALUE: the lines of $SALES_FILE whose FIELD is the
# string VALUE.
filter_sales() {
	python3 - "$SALES_FILE" "$1" "$2" <<-'EOF'
	import json, sys
	for line in open(sys.argv[1], encoding="utf-8"):
	    if json.loads(line).get(sys.argv[2]) == sys.argv[3]:
	        sys.stdout.write(line)
	EOF
}

# timed CMD...: `run --separate-stderr CMD...`, and $elapsed_ms its wall
# time in milliseconds.
timed() {
	local t0 t1

	t0=${EPOCHREALTIME/./}
	run --separate-stderr "$@"
	t1=${EPOCHREALTIME/./}
	elapsed_ms=$(((t1 - t0) / 1000))
}

# start_drop_proxy COMMAND: a proxy to the test server that cuts the
# connection when the client sends COMMAND; its URI is in $proxy_uri.
start_drop_proxy() {
	local hostport

	if [[ ! $MONGO_TEST_URI =~ ^mongodb://([^/@?,]+:[0-9]+)/?$ ]]; then
		skip "the proxy needs a plain mongodb://HOST:PORT/ test server"
	fi
	hostport=${BASH_REMATCH[1]}
	"$MONGO_PY" "$PROXY" "$hostport" "$1" proxy-port.txt 3>&- &
	BG_PIDS+=("$!")
	for _ in $(seq 100); do
		[[ -s proxy-port.txt ]] && break
		sleep 0.1
	done
	proxy_uri=mongodb://127.0.0.1:$(<proxy-port.txt)/
}

# assert_cut_short FILE WHAT: the last run stopped with status 75 and
# "mongo-export: cut short after N WHAT: ...", and FILE holds exactly N
# complete lines; N is left in $cut.
assert_cut_short() {
	local re="^mongo-export: cut short after ([0-9]+) $2: .+"

	assert_status 75
	[[ ${stderr_lines[0]:-} =~ $re ]] ||
	    fail "stderr: '${stderr:-}'; expected /$re/"
	cut=${BASH_REMATCH[1]}
	assert_equal "$(wc -l <"$1")" "$cut"
	if [[ -s $1 ]]; then
		assert_equal "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" '\n'
	fi
	python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    json.loads(line)' "$1" || fail "$1 holds a line that is not JSON"
}

# --- what a document looks like ----------------------------------------------

@test "mongo-export: relaxed extended JSON by default, every type as the fixture shows" {
	insert_canonical "$TYPES"
	run_to got mongo-export --sort '{"_id":1}'
	assert_status 0
	assert_stderr ''
	assert_same "$RELAXED" got
}

@test "mongo-export: --canonical keeps every type: pymongo reads back the very BSON" {
	insert_canonical "$TYPES"
	run_to got mongo-export --canonical --sort '{"_id":1}'
	assert_status 0
	assert_stderr ''
	assert_same "$TYPES" got
	run_to got2 mongo-export -c -s '{"_id":1}'
	assert_same "$TYPES" got2
}

@test "mongo-export: --canonical on 3000 sales of every number and date type, byte for byte" {
	head -n 3000 "$SALES_FILE" >plain.ndjson
	# $oid, $date in three forms, $numberInt and $numberLong, doubles
	# (FerretDB 1.x has no $numberDecimal)
	to_extjson plain.ndjson | sed 's/"\$numberDecimal"/"$numberDouble"/g' >ext.ndjson
	mongo_py '
opts = json_util.RELAXED_JSON_OPTIONS
with open(sys.argv[1], encoding="utf-8") as f:
    coll.insert_many([json_util.loads(line, json_options=opts) for line in f])
' ext.ndjson
	run_to got mongo-export --canonical
	assert_status 0
	# each line, read by pymongo's canonical parser and encoded, is the
	# document the server holds, byte for byte
	mongo_py '
from bson.raw_bson import RawBSONDocument
from bson.codec_options import CodecOptions
opts = json_util.CANONICAL_JSON_OPTIONS
raw = coll.with_options(codec_options=CodecOptions(document_class=RawBSONDocument))
held = {d["_id"]: d.raw for d in raw.find()}
n = bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    n += 1
    d = json_util.loads(line, json_options=opts)
    if bson.encode(d) != held.pop(d["_id"], None):
        bad += 1
        if bad < 4:
            print("line %d differs: %s" % (n, line[:300]))
if held:
    print("%d documents missing" % len(held))
sys.exit(1 if bad or held or n != 3000 else 0)
' got
	# and the relaxed form is the same JSON values, integer widths aside
	run_to relaxed mongo-export
	assert_status 0
	mongo_py '
from bson.codec_options import CodecOptions
held = {d["_id"]: d for d in coll.with_options(
    codec_options=CodecOptions(tz_aware=True)).find()}
for line in open(sys.argv[1], encoding="utf-8"):
    d = json_util.loads(line, json_options=json_util.RELAXED_JSON_OPTIONS)
    h = held.pop(d["_id"])
    assert list(d) == list(h), line
    for k in d:
        assert d[k] == h[k] and type(d[k]) in (type(h[k]), int), (k, line)
assert not held
' relaxed
}

@test "mongo-export: 20000 documents, each as pymongo wrote it" {
	use_sales
	run_to got mongo-export
	assert_status 0
	assert_stderr ''
	expected_find '{}' '[]' 0 0 '' | LC_ALL=C sort >expected
	LC_ALL=C sort got >got.sorted
	assert_same expected got.sorted
}

@test "mongo-export: an empty or missing collection writes nothing, status 0" {
	run_to got mongo-export
	assert_status 0
	assert_stderr ''
	assert_empty_file got
	mongo_py 'coll.insert_one({"_id": 1}); coll.delete_many({})'
	run_to got mongo-export --group-by state
	assert_status 0
	assert_empty_file got
}

# --- find options ------------------------------------------------------------

@test "mongo-export: --query selects, from the command line or @FILE" {
	use_sales
	q='{"estado":"Ceará","modalidade":"Consórcio"}'
	expected_find "$q" '[]' 0 0 '' | LC_ALL=C sort >expected
	(($(wc -l <expected) > 10))
	run_to got mongo-export --query "$q"
	assert_status 0
	LC_ALL=C sort got >got.sorted
	assert_same expected got.sorted
	printf '%s\n' "$q" >q.json
	run_to got mongo-export -q @q.json
	assert_status 0
	LC_ALL=C sort got >got.sorted
	assert_same expected got.sorted
	# extended JSON in a query
	MONGO_COLLECTION=export_$BATS_TEST_NUMBER insert_canonical "$TYPES"
	MONGO_COLLECTION=export_$BATS_TEST_NUMBER run_to got \
	    mongo-export -q '{"_id":{"$oid":"0123456789abcdef01234567"}}'
	assert_status 0
	sed -n 3p "$RELAXED" >expected
	assert_same expected got
}

@test "mongo-export: --fields writes _id and those fields, in document order" {
	use_sales
	q='{"estado":"Acre"}'
	expected_find "$q" '[["_id",1]]' 0 0 'total_vendas,data_venda,cidade' >expected
	run_to got mongo-export -q "$q" -s '{"_id":1}' --fields total_vendas,data_venda,cidade
	assert_status 0
	assert_same expected got
	head -n 1 got | grep -q '^{"_id":"[0-9a-f]*","data_venda":"[0-9-]*","total_vendas":[0-9]*,"cidade":"[^"]*"}$' ||
	    fail "not in document order: $(head -n 1 got)"
	# a field no document has is no error
	expected_find "$q" '[["_id",1]]' 0 0 'estado,nada' >expected
	run_to got mongo-export -q "$q" -s '{"_id":1}' -f estado,nada
	assert_status 0
	assert_same expected got
}

@test "mongo-export: --sort, --skip and --limit, as a find" {
	use_sales
	expected_find '{}' '[["total_vendas",-1],["_id",1]]' 10 25 '' >expected
	run_to got mongo-export --sort '{"total_vendas":-1,"_id":1}' --skip 10 --limit 25
	assert_status 0
	assert_stderr ''
	assert_same expected got
	printf '%s\n' '{"total_vendas":-1,"_id":1}' >s.json
	run_to got mongo-export -s @s.json -k 10 -l 25
	assert_status 0
	assert_same expected got
	# by two keys ascending, the whole collection
	expected_find '{}' '[["data_venda",1],["_id",1]]' 0 0 '' >expected
	run_to got mongo-export -s '{"data_venda":1,"_id":1}'
	assert_status 0
	assert_same expected got
	# --limit 0 is no limit, as in a find
	run_to got mongo-export -s '{"data_venda":1,"_id":1}' -l 0
	assert_status 0
	assert_same expected got
	# --skip past the end
	run_to got mongo-export -k 20000
	assert_status 0
	assert_empty_file got
}

@test "mongo-export: --batch-size changes the replies, not the output" {
	use_sales
	q='{"estado":"Acre"}'
	expected_find "$q" '[["_id",1]]' 0 0 '' >expected
	for b in 1 7 1000; do
		run_to got mongo-export -q "$q" -s '{"_id":1}' --batch-size "$b"
		assert_status 0
		assert_same expected got
	done
	# the first reply holds --batch-size documents: cut at the getMore
	start_drop_proxy getMore
	MONGO_URI=$proxy_uri run_to got mongo-export -q "$q" -s '{"_id":1}' -b 7 -T 2
	assert_cut_short got documents
	assert_equal "$cut" 7
	head -n 7 expected >expected.7
	assert_same expected.7 got
}

# --- pipelines ---------------------------------------------------------------

@test "mongo-export: --pipeline runs a pipeline: an array, {\"pipeline\": [...]}, or @FILE" {
	use_sales
	p='[{"$match":{"estado":"Ceará"}},{"$sort":{"_id":1}},{"$project":{"total_vendas":1,"modalidade":1}}]'
	expected_find '{"estado":"Ceará"}' '[["_id",1]]' 0 0 'modalidade,total_vendas' >expected
	run_to got mongo-export --pipeline "$p"
	assert_status 0
	assert_stderr ''
	assert_same expected got
	run_to got mongo-export -P "{\"pipeline\": $p}"
	assert_status 0
	assert_same expected got
	printf '%s\n' "$p" | sed 's/},{/},\n {/g' >p.json
	(($(wc -l <p.json) == 3))
	run_to got mongo-export -P @p.json
	assert_status 0
	assert_same expected got
	# with --batch-size, and --canonical
	run_to got mongo-export -P @p.json -b 5
	assert_status 0
	assert_same expected got
	run_to got mongo-export -P @p.json -c -b 5
	assert_status 0
	python3 -c '
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(re.sub(r"\{\"\$numberInt\":\"(-?[0-9]+)\"\}", r"\1", line), end="")' got >unwrapped
	assert_same expected unwrapped
	grep -q '"total_vendas":{"$numberInt":"[0-9]*"}' got
}

@test "mongo-export: --pipeline that groups, counted independently" {
	use_sales
	run_to got mongo-export -P '[{"$group":{"_id":"$modalidade","n":{"$sum":1}}},{"$sort":{"_id":1}}]'
	assert_status 0
	python3 -c '
import collections, json, sys
n = collections.Counter(json.loads(l)["modalidade"] for l in open(sys.argv[1], encoding="utf-8"))
for k in sorted(n, key=lambda s: s.encode()):
    print(json.dumps({"_id": k, "n": n[k]}, ensure_ascii=False, separators=(",", ":")))' \
	    "$SALES_FILE" >expected
	assert_same expected got
}

# --- grouping on the server --------------------------------------------------

# assert_grouped GROUP KIND AGG...: mongo-export --group-by GROUP piped to
# AGG --merge, and mongo-export piped to AGG, both equal ref_agg KIND over
# $SALES_FILE, byte for byte: to the cent.
assert_grouped() {
	local group=$1 kind=$2

	shift 2
	ref_agg "$kind" "$SALES_FILE" >expected
	run_to rows mongo-export --group-by "$group"
	assert_status 0
	assert_stderr ''
	run_to merged "$@" --merge rows
	assert_status 0
	assert_same expected merged
	run_to plain mongo-export
	assert_status 0
	run_to direct "$@" plain
	assert_status 0
	assert_same expected direct
}

@test "mongo-export: --group-by day | agg-by-month --merge equals agg-by-month, to the cent" {
	use_sales
	assert_grouped day month agg-by-month
	# the day rows themselves, against the reference's
	ref_agg day "$SALES_FILE" | LC_ALL=C sort >expected
	LC_ALL=C sort rows >rows.sorted
	assert_same expected rows.sorted
	# cents that do not add up to whole reais: the rounding is tested
	grep -q '"total_faturado":[0-9]*\.[0-9][1-9]' rows
}

@test "mongo-export: --group-by state | agg-by-state --merge equals agg-by-state, to the cent" {
	use_sales
	assert_grouped state state agg-by-state
	assert_equal "$(wc -l <rows)" "$(wc -l <expected)"
}

@test "mongo-export: --group-by city | agg-by-state --city --merge equals agg-by-state --city" {
	use_sales
	assert_grouped city city agg-by-state --city
	assert_equal "$(wc -l <rows)" "$(wc -l <expected)"
}

@test "mongo-export: --group-by mode | agg-by-mode --merge equals agg-by-mode, to the cent" {
	use_sales
	assert_grouped mode mode agg-by-mode
	ref_agg mode "$SALES_FILE" | LC_ALL=C sort >expected
	LC_ALL=C sort rows >rows.sorted
	assert_same expected rows.sorted
}

@test "mongo-export: --group-by with --query sums only what the query selects" {
	use_sales
	filter_sales modalidade 'À vista' >avista.ndjson
	(($(wc -l <avista.ndjson) > 1000))
	ref_agg state avista.ndjson >expected
	run_to rows mongo-export -g state -q '{"modalidade":"À vista"}'
	assert_status 0
	run_to got agg-by-state --merge rows
	assert_status 0
	assert_same expected got
	ref_agg month avista.ndjson >expected
	run_to rows mongo-export -g day --query '{"modalidade":"À vista"}'
	assert_status 0
	run_to got agg-by-month -m rows
	assert_same expected got
}

@test "mongo-export: --group-by rounds the server's double sums to the cent" {
	# 0.1 + 0.7 is 0.7999999999999999 in doubles, 0.1 + 0.2 is
	# 0.30000000000000004; integers of both widths add exactly
	mongo_py '
docs = [
    {"_id": 1, "modalidade": "A", "total_vendas": 1, "total_faturado": 0.1, "quantidade_moto_mais_vendida": 1},
    {"_id": 2, "modalidade": "A", "total_vendas": bson.int64.Int64(2), "total_faturado": 0.7, "quantidade_moto_mais_vendida": bson.int64.Int64(2)},
    {"_id": 3, "modalidade": "B", "total_vendas": 3, "total_faturado": 0.1, "quantidade_moto_mais_vendida": 0},
    {"_id": 4, "modalidade": "B", "total_vendas": 4, "total_faturado": 0.2, "quantidade_moto_mais_vendida": 0},
    {"_id": 5, "modalidade": "C", "total_vendas": 5, "total_faturado": 1234567.89, "quantidade_moto_mais_vendida": 1},
    {"_id": 6, "modalidade": "C", "total_vendas": 6, "total_faturado": 0.01, "quantidade_moto_mais_vendida": 1},
]
assert 0.1 + 0.7 < 0.8 and 0.1 + 0.2 > 0.3
coll.insert_many(docs)'
	run_to rows mongo-export --group-by mode
	assert_status 0
	LC_ALL=C sort rows >got
	cat >expected <<-'EOF'
	{"modalidade":"A","total_vendas":3,"total_faturado":0.80,"quantidade_motos_vendidas":3,"registros":2}
	{"modalidade":"B","total_vendas":7,"total_faturado":0.30,"quantidade_motos_vendidas":0,"registros":2}
	{"modalidade":"C","total_vendas":11,"total_faturado":1234567.90,"quantidade_motos_vendidas":2,"registros":2}
	EOF
	assert_same expected got
}

@test "mongo-export: --group-by day of data_venda stored as dates still merges into months" {
	head -n 3000 "$SALES_FILE" >plain.ndjson
	to_extjson plain.ndjson | sed 's/"\$numberDecimal"/"$numberDouble"/g' >ext.ndjson
	mongo_py '
opts = json_util.RELAXED_JSON_OPTIONS
with open(sys.argv[1], encoding="utf-8") as f:
    coll.insert_many([json_util.loads(line, json_options=opts) for line in f])
' ext.ndjson
	ref_agg month plain.ndjson >expected
	run_to rows mongo-export -g day
	assert_status 0
	grep -q '"data_venda":{"\$date":' rows
	run_to got agg-by-month --merge rows
	assert_status 0
	assert_same expected got
}

# --- failures ----------------------------------------------------------------

@test "mongo-export: cursor lost mid-stream is status 75, saying how many documents were written" {
	use_sales
	start_drop_proxy getMore
	MONGO_URI=$proxy_uri run_to got mongo-export -b 50 -T 2
	assert_cut_short got documents
	assert_equal "$cut" 50
	# the default first reply, then the loss
	MONGO_URI=$proxy_uri run_to got mongo-export -s '{"_id":1}' -T 2
	assert_cut_short got documents
	expected_find '{}' '[["_id",1]]' 0 "$cut" '' >expected
	assert_same expected got
	# a pipeline
	MONGO_URI=$proxy_uri run_to got mongo-export -P '[{"$match":{}}]' -b 10 -T 2
	assert_cut_short got documents
	assert_equal "$cut" 10
	# server-side groups: more cities than fit in the first reply
	MONGO_URI=$proxy_uri run_to got mongo-export -g city -T 2
	assert_cut_short got 'rows?'
	(($(ref_agg city "$SALES_FILE" | wc -l) > cut))
}

@test "mongo-export: the connection lost before the first reply is status 75, 0 documents" {
	use_sales
	start_drop_proxy find
	MONGO_URI=$proxy_uri run_to got mongo-export -T 2
	assert_cut_short got documents
	assert_equal "$cut" 0
	assert_stderr_line -p 'cut short after 0 documents: '
}

@test "mongo-export: server killed mid-export is status 75, never 0" {
	mongo_private_server
	MONGO_PY_URI=$MONGO_PRIVATE_URI mongo_py '
with open(sys.argv[1], encoding="utf-8") as f:
    coll.insert_many([json.loads(line) for line in f])
' "$SALES_FILE"
	# read one line, kill the server, read the rest
	{
		rc=0
		MONGO_URI=$MONGO_PRIVATE_URI mongo-export -b 1000 -T 2 2>err ||
		    rc=$?
		echo "$rc" >rc
	} | {
		IFS= read -r first
		printf '%s\n' "$first" >got
		kill -9 "$(<"$MONGO_PRIVATE_DIR/pid")"
		cat >>got
	}
	status=$(<rc)
	stderr=$(<err)
	mapfile -t stderr_lines <err
	assert_cut_short got documents
	assert_equal "$cut" 1000
}

@test "mongo-export: server not running is status 69 within --timeout" {
	MONGO_URI=mongodb://127.0.0.1:1/ timed mongo-export --timeout 2
	assert_status 69
	assert_output ''
	assert_stderr_line -p 'mongo-export: cannot reach mongodb://127.0.0.1:1/: '
	((elapsed_ms < 5000)) || fail "took $elapsed_ms ms"
	MONGO_URI=mongodb://127.0.0.1:1/ timed mongo-export -g day -T 2
	assert_status 69
}

@test "mongo-export: a server that never answers is status 69 within --timeout" {
	"$MONGO_PY" "$SILENT" port.txt 3>&- &
	BG_PIDS+=("$!")
	for _ in $(seq 100); do
		[[ -s port.txt ]] && break
		sleep 0.1
	done
	MONGO_URI=mongodb://127.0.0.1:$(<port.txt)/ timed mongo-export -T 2
	assert_status 69
	((elapsed_ms < 5000)) || fail "took $elapsed_ms ms"
	# the default is a few seconds
	MONGO_URI=mongodb://127.0.0.1:$(<port.txt)/ timed mongo-export
	assert_status 69
	((elapsed_ms < 15000)) || fail "took $elapsed_ms ms"
}

@test "mongo-export: the password in MONGO_URI is never printed" {
	MONGO_URI=mongodb://user:s3cret@127.0.0.1:1/ run --separate-stderr mongo-export -T 1
	assert_status 69
	assert_stderr_line -p 'mongodb://user@127.0.0.1:1/'
	refute_stderr_line -p 's3cret'
	MONGO_URI='mongodb://user:s3cret@' run --separate-stderr mongo-export
	assert_status 64
	refute_stderr_line -p 's3cret'
}

@test "mongo-export: a query the server refuses is status 65" {
	use_sales
	run_to got mongo-export -q '{"$bogus":1}'
	assert_status 65
	assert_stderr_line -p 'mongo-export: failed after 0 documents: '
	assert_empty_file got
	run_to got mongo-export -P '[{"$nosuchstage":{}}]'
	assert_status 65
	assert_empty_file got
}

@test "mongo-export: | head -n 1 ends quietly" {
	use_sales
	run bash -c 'mongo-export -s "{\"_id\":1}" 2>err | head -n 1 >first; echo "${PIPESTATUS[0]}" >rc'
	assert_success
	# killed by SIGPIPE, as a filter is, and nothing said
	assert_equal "$(<rc)" 141
	assert_empty_file err
	expected_find '{}' '[["_id",1]]' 0 1 '' >expected
	assert_same expected first
	run bash -c 'mongo-export -g city 2>err | head -n 1 >first; echo "${PIPESTATUS[0]}" >rc'
	assert_success
	assert_empty_file err
	assert_equal "$(wc -l <first)" 1
}

@test "mongo-export: /dev/full as output is status 74" {
	use_sales
	run_to /dev/full mongo-export -q '{"estado":"Acre"}'
	assert_status 74
	assert_stderr_line 'mongo-export: stdout: No space left on device'
	run_to /dev/full mongo-export -g mode
	assert_status 74
	assert_stderr_line 'mongo-export: stdout: No space left on device'
}

# --- usage -------------------------------------------------------------------

@test "mongo-export: options that do not go together are a usage error" {
	for args in "-P [] -q {}" "-P [] -f a" "-P [] -s {}" "-P [] -l 1" \
	    "-P [] -k 1" "-P [] -g day"; do
		# shellcheck disable=SC2086
		MONGO_URI=mongodb://127.0.0.1:1/ run --separate-stderr mongo-export $args
		assert_status 64
		assert_stderr 'mongo-export: --pipeline does its own filtering: no --query, --fields, --sort, --limit, --skip or --group-by'
	done
	for args in "-g day -f a" "-g state -s {}" "-g city -l 1" "-g mode -k 1" \
	    "-g day -b 10" "-g day -c" "--group-by=mode --canonical"; do
		# shellcheck disable=SC2086
		MONGO_URI=mongodb://127.0.0.1:1/ run --separate-stderr mongo-export $args
		assert_status 64
		assert_stderr 'mongo-export: --group-by takes only --query'
	done
}

@test "mongo-export: JSON that is not JSON, a bad option value, an operand: status 64" {
	for args in "-q {bad" "-s nope" "-P [{]" "-q @" "--limit -1" "-l x" \
	    "--skip 1x" "-b 0" "-b 1000001" "-T 0" "--timeout 3601" "-g week" \
	    "-g DAY"; do
		# shellcheck disable=SC2086
		MONGO_URI=mongodb://127.0.0.1:1/ run --separate-stderr mongo-export $args
		if [[ $args == "-q @" ]]; then
			assert_status 74
		else
			assert_status 64
		fi
		assert_output ''
	done
	MONGO_URI=mongodb://127.0.0.1:1/ run --separate-stderr mongo-export -q '{bad'
	assert_stderr_line -p 'mongo-export: --query: '
	run --separate-stderr mongo-export -P @no-such-file.json
	assert_status 74
	assert_stderr 'mongo-export: no-such-file.json: No such file or directory'
	run --separate-stderr mongo-export sales
	assert_status 64
	assert_stderr_line 'mongo-export: unexpected argument: sales'
	assert_stderr_line -p 'usage: mongo-export'
}

@test "mongo-export: a bad option is a usage error" {
	for opt in --bogus -x --drop -m; do
		run --separate-stderr mongo-export "$opt"
		assert_status 64
		assert_stderr_line -p 'usage: mongo-export'
	done
	for opt in -q --query -f -s -l -k -b -P -g -T; do
		run --separate-stderr mongo-export "$opt"
		assert_status 64
		assert_stderr_line -p 'usage: mongo-export'
	done
}

@test "mongo-export: --help and -h print usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr mongo-export "$opt"
		assert_status 0
		assert_line -n 0 -p 'usage: mongo-export'
		assert_stderr ''
	done
}

@test "mongo-export: --version" {
	run --separate-stderr mongo-export --version
	assert_status 0
	assert_output 'mongo-export (dataops) 0.1.0'
}

# --- the man page ------------------------------------------------------------

@test "mongo-export: man page is lint-clean and every example has a test" {
	run mandoc -Tlint -W warning "$DATAOPS_ROOT/man/mongo-export.1"
	assert_success
	assert_output ''
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/mongo-export.1" count
	assert_output 8
}

@test "mongo-export: man page examples 1 to 8, as a reader types them" {
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/mongo-export.1" 8
	assert_success
	assert_output ok
	# the months the page shows are the reference's
	ref_agg month sales.ndjson >expected
	run_to got mongo-export -g day
	run_to merged agg-by-month --merge got
	assert_same expected merged
}
