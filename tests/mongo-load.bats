#!/usr/bin/env bats
# mongo-load: NDJSON (MongoDB extended JSON) -> documents in a collection.
# What it wrote is read back with an independent client, pymongo (mongo_py
# in tests/test_helper.bash), and compared with the input as Python's json
# and bson.json_util read it, never with anything the program says.

# $stderr_lines comes from bats; JSON with "$oid" is quoted on purpose.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
	mongo_setup
}

teardown_file() {
	mongo_teardown
}

setup() {
	common_setup
	# a collection per test: no test sees another's documents
	MONGO_COLLECTION=load_$BATS_TEST_NUMBER
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

GEN_N=50000
GEN_SEED=11
SILENT=$DATAOPS_ROOT/tests/fixtures/mongo-silent-server.py
PROXY=$DATAOPS_ROOT/tests/fixtures/mongo-drop-proxy.py
TYPES=$DATAOPS_ROOT/tests/fixtures/mongo-types.canonical.ndjson
RELAXED=$DATAOPS_ROOT/tests/fixtures/mongo-types.relaxed.expected

# assert_count N: the test's collection holds N documents (pymongo).
assert_count() {
	local n

	n=$(mongo_py 'print(coll.count_documents({}))') || fail "pymongo failed"
	[[ $n == "$1" ]] ||
	    fail "collection $MONGO_COLLECTION holds $n documents, expected $1"
}

# assert_collection_is FILE: the collection holds exactly the records of
# FILE (plain JSON, each with an _id), one document each: same _id, same
# fields in the same order, same values, integers stored as integers and
# other numbers as doubles.
assert_collection_is() {
	local diffs

	if ! diffs=$(mongo_py '
def kind(v):
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, int):
        return "int"
    return type(v).__name__

def typed(d):
    return [(k, kind(v), v) for k, v in d.items()]

want = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if line.strip():
            d = json.loads(line)
            want[d["_id"]] = (n, d)
bad = []
for doc in coll.find():
    n, d = want.pop(doc["_id"], (None, None))
    if d is None:
        bad.append("unexpected or duplicate document %r" % doc["_id"])
    elif typed(doc) != typed(d):
        bad.append("line %d: file %r\n  collection %r" % (n, typed(d), typed(doc)))
if want:
    bad.append("%d records missing, e.g. line %d" % (len(want), min(n for n, _ in want.values())))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
' "$1"); then
		printf -- '-- collection %s differs from %s --\n%s\n' \
		    "$MONGO_COLLECTION" "$1" "$diffs" | fail
		return 1
	fi
}

# canonical_dump: the collection's documents sorted by _id, each as one
# line of canonical extended JSON written by pymongo.
canonical_dump() {
	mongo_py '
for d in coll.find().sort("_id", 1):
    print(json_util.dumps(d, json_options=json_util.CANONICAL_JSON_OPTIONS,
                          separators=(",", ":"), ensure_ascii=False))'
}

# assert_summary READ INSERTED UPDATED PRESENT REJECTED: the last line of
# the last run's stderr (or of FILE, given as a 6th argument) is the
# summary with these counts (each an extended regex).
assert_summary() {
	local re last

	re="^mongo-load: $1 read, $2 inserted, $3 updated, $4 already present, $5 rejected in [0-9]+\\.[0-9]{2} s\$"
	if [[ -n ${6:-} ]]; then
		last=$(tail -n 1 -- "$6")
	else
		last=${stderr_lines[${#stderr_lines[@]}-1]:-}
	fi
	[[ $last =~ $re ]] ||
	    fail "last line of stderr: '$last'; expected the summary /$re/"
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

# assert_faster_than S: the last timed run took less than S seconds.
assert_faster_than() {
	((elapsed_ms < $1 * 1000)) ||
	    fail "took ${elapsed_ms} ms, expected less than $1 s"
}

# wait_for_count N [URI DB]: wait (up to 60 s) until the test's collection
# holds at least N documents; print how many it holds.
wait_for_count() {
	MONGO_PY_URI=${2:-} MONGO_PY_DB=${3:-} mongo_py '
import time
deadline = time.time() + 60
while True:
    n = coll.count_documents({})
    if n >= int(sys.argv[1]) or time.time() > deadline:
        break
    time.sleep(0.1)
print(n)' "$1"
}

# start_silent_server: a server that accepts connections and never
# answers; its port is in $silent_port.
start_silent_server() {
	"$MONGO_PY" "$SILENT" port.txt 3>&- &
	BG_PIDS+=("$!")
	for _ in $(seq 100); do
		[[ -s port.txt ]] && break
		sleep 0.1
	done
	silent_port=$(<port.txt)
}

# start_drop_proxy COMMAND: a proxy to the test server that cuts the
# connection when the client sends COMMAND; its URI is in $proxy_uri.
# Skips when the test server is not a plain mongodb://HOST:PORT/.
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

# bad_line LINE REASON [OPTION...]: LINE as line 3 of in.ndjson (after a
# good record and a blank line, before another good one) ends the load
# with status 65 and `mongo-load: in.ndjson:3: REASON` (an extended regex),
# and nothing is loaded.
bad_line() {
	local line=$1 reason=$2

	shift 2
	printf '%s\n\n%s\n%s\n' '{"_id":"good-1","n":1}' "$line" \
	    '{"_id":"good-2","n":2}' >in.ndjson
	run --separate-stderr mongo-load "$@" in.ndjson
	assert_status 65
	assert_stderr_line -e "^mongo-load: in\\.ndjson:3: $reason\$"
	assert_summary '[0-9]+' 0 0 0 1
	assert_count 0
}

# --- loading -------------------------------------------------------------

@test "mongo-load: 50000 generated sales, every document field by field" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	run --separate-stderr mongo-load "$gen"
	assert_status 0
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
	assert_summary 50000 50000 0 0 0
	assert_count 50000
	assert_collection_is "$gen"
}

@test "mongo-load: loading the same file again leaves one copy of each" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	run --separate-stderr mongo-load "$gen"
	assert_status 0
	run --separate-stderr mongo-load "$gen"
	assert_status 0
	assert_summary 50000 0 0 50000 0
	assert_count 50000
	assert_collection_is "$gen"
}

@test "mongo-load: a file that overlaps what is loaded adds only the new records" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	head -n 2000 "$gen" >first.ndjson
	head -n 5000 "$gen" >more.ndjson
	run --separate-stderr mongo-load first.ndjson
	assert_status 0
	assert_summary 2000 2000 0 0 0
	run --separate-stderr mongo-load more.ndjson
	assert_status 0
	assert_summary 5000 3000 0 2000 0
	assert_collection_is more.ndjson
}

@test "mongo-load: canonical extended JSON keeps every type (pymongo reads it back)" {
	run --separate-stderr mongo-load "$TYPES"
	assert_status 0
	assert_summary 3 3 0 0 0
	canonical_dump >got
	assert_same "$TYPES" got
}

@test "mongo-load: relaxed extended JSON: integers by size, doubles, \$date, \$oid" {
	run --separate-stderr mongo-load "$RELAXED"
	assert_status 0
	assert_summary 3 3 0 0 0
	# A relaxed small integer is an int32, whatever it was before export.
	sed -e 's/"long":{"\$numberLong":"5"}/"long":{"$numberInt":"5"}/' \
	    -e 's/"k":{"\$numberLong":"2"}/"k":{"$numberInt":"2"}/' \
	    -e 's/"quantidade_moto_mais_vendida":{"\$numberLong":"2"}/"quantidade_moto_mais_vendida":{"$numberInt":"2"}/' \
	    "$TYPES" >expected
	canonical_dump >got
	assert_same expected got
}

@test "mongo-load: generated sales as a MongoDB export (\$oid, \$date, \$number*)" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	head -n 3000 "$gen" >plain.ndjson
	# $numberDecimal as $numberDouble: FerretDB 1.x has no decimal128
	to_extjson plain.ndjson |
	    sed 's/"\$numberDecimal"/"$numberDouble"/g' >ext.ndjson
	run --separate-stderr mongo-load ext.ndjson
	assert_status 0
	assert_summary 3000 3000 0 0 0
	mongo_py '
opts = json_util.CANONICAL_JSON_OPTIONS
def canon(d):
    return json_util.dumps(d, json_options=opts, sort_keys=False)
want = {}
with open(sys.argv[1]) as f:
    for line in f:
        d = json_util.loads(line, json_options=opts)
        want[d["_id"]] = canon(d)
got = {d["_id"]: canon(d) for d in coll.find()}
bad = [k for k in want if got.get(k) != want[k]]
if bad or len(got) != len(want):
    sys.exit("%d differ, e.g. %s\n  want %s\n  got  %s" % (len(bad), bad[0],
             want[bad[0]], got.get(bad[0])) if bad else "counts differ")
' ext.ndjson
}

@test "mongo-load: no operand and - read standard input, named <stdin>" {
	printf '%s\n' '{"_id":"a","n":1}' '{"_id":"b","n":2}' >in.ndjson
	run --separate-stderr mongo-load <in.ndjson
	assert_status 0
	assert_summary 2 2 0 0 0
	printf '%s\n' '{"_id":"c","n":3}' '[3]' >in2.ndjson
	run --separate-stderr mongo-load - <in2.ndjson
	assert_status 65
	assert_stderr_line 'mongo-load: <stdin>:2: not a JSON object'
	printf '%s\n' '{"_id":"a","n":1}' '{"_id":"b","n":2}' '{"_id":"c","n":3}' \
	    >expected.ndjson
	run --separate-stderr mongo-load - <in2.ndjson -e 1
	assert_status 0
	assert_collection_is expected.ndjson
}

@test "mongo-load: several files, - among them; a bad line numbered in its file" {
	printf '%s\n' '{"_id":"a","n":1}' >one.ndjson
	printf '%s\n' '{"_id":"b","n":2}' >two.ndjson
	printf '%s\n' '{"_id":"c","n":3}' '{"_id":"d","n":4}' >three.ndjson
	run --separate-stderr mongo-load one.ndjson - three.ndjson <two.ndjson
	assert_status 0
	assert_summary 4 4 0 0 0
	cat one.ndjson two.ndjson three.ndjson >expected.ndjson
	assert_collection_is expected.ndjson
	printf '%s\n' '{"_id":"e","n":5}' 'oops' >bad.ndjson
	run --separate-stderr mongo-load one.ndjson bad.ndjson
	assert_status 65
	assert_stderr_line -e '^mongo-load: bad\.ndjson:2: invalid JSON(: .+)?$'
}

@test "mongo-load: CRLF line ends, a BOM, blank lines, no final newline" {
	printf '\xef\xbb\xbf{"_id":"a","s":"x"}\r\n\r\n\n{"_id":"b","s":"y"}\r\n{"_id":"c","s":"z"}' \
	    >in.ndjson
	run --separate-stderr mongo-load in.ndjson
	assert_status 0
	assert_summary 3 3 0 0 0
	printf '%s\n' '{"_id":"a","s":"x"}' '{"_id":"b","s":"y"}' '{"_id":"c","s":"z"}' \
	    >expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: empty input loads nothing and succeeds" {
	run --separate-stderr mongo-load </dev/null
	assert_status 0
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
	assert_summary 0 0 0 0 0
	printf '\n\n' >blank.ndjson
	run --separate-stderr mongo-load blank.ndjson
	assert_status 0
	assert_summary 0 0 0 0 0
	assert_count 0
}

@test "mongo-load: documents without _id get one from the driver (so a re-load duplicates them)" {
	printf '%s\n' '{"n":1}' '{"n":2}' >in.ndjson
	run --separate-stderr mongo-load in.ndjson
	assert_status 0
	assert_summary 2 2 0 0 0
	run mongo_py 'print(sorted(d["n"] for d in coll.find()),
      all(isinstance(d["_id"], bson.ObjectId) for d in coll.find()))'
	assert_output '[1, 2] True'
}

# --- modes ---------------------------------------------------------------

# The collection before each mode test, and the changes loaded over it.
base_and_changes() {
	printf '%s\n' '{"_id":"a","x":1,"y":1,"sub":{"k":1}}' \
	    '{"_id":"b","x":1,"y":1}' >base.ndjson
	printf '%s\n' '{"_id":"a","x":2,"sub":{"j":2}}' '{"_id":"c","x":3}' \
	    >changes.ndjson
	run --separate-stderr mongo-load base.ndjson
	assert_status 0
}

@test "mongo-load: --mode insert (the default) never changes a document already there" {
	base_and_changes
	run --separate-stderr mongo-load --mode insert changes.ndjson
	assert_status 0
	assert_summary 2 1 0 1 0
	printf '%s\n' '{"_id":"a","x":1,"y":1,"sub":{"k":1}}' \
	    '{"_id":"b","x":1,"y":1}' '{"_id":"c","x":3}' >expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: --mode upsert replaces a document by _id, inserts new ones" {
	base_and_changes
	run --separate-stderr mongo-load --mode upsert changes.ndjson
	assert_status 0
	assert_summary 2 1 1 0 0
	printf '%s\n' '{"_id":"a","x":2,"sub":{"j":2}}' '{"_id":"b","x":1,"y":1}' \
	    '{"_id":"c","x":3}' >expected.ndjson
	assert_collection_is expected.ndjson
	# again: the same result
	run --separate-stderr mongo-load -m upsert changes.ndjson
	assert_status 0
	assert_summary 2 0 2 0 0
	assert_collection_is expected.ndjson
}

@test "mongo-load: --mode merge sets the fields given (\$set), keeps the others" {
	base_and_changes
	run --separate-stderr mongo-load --mode merge changes.ndjson
	assert_status 0
	assert_summary 2 1 1 0 0
	# top-level fields are set: a sub-document is replaced whole
	printf '%s\n' '{"_id":"a","x":2,"y":1,"sub":{"j":2}}' \
	    '{"_id":"b","x":1,"y":1}' '{"_id":"c","x":3}' >expected.ndjson
	assert_collection_is expected.ndjson
	run --separate-stderr mongo-load --mode=merge changes.ndjson
	assert_status 0
	assert_collection_is expected.ndjson
}

# 350 updates, in several commands: FerretDB 1.x hangs on a command of
# 100 updates or more, and takes some 40 ms for each document it changes.
@test "mongo-load: --mode upsert and merge over several batches of updates" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	head -n 1000 "$gen" >base.ndjson
	sed -n 701,1050p "$gen" >later.ndjson
	run --separate-stderr mongo-load base.ndjson
	assert_status 0
	# records 701 to 1000 changed, 1001 to 1050 new: total_vendas + 1 and
	# no preco_total
	python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    d["total_vendas"] += 1
    del d["preco_total"]
    print(json.dumps(d, ensure_ascii=False))' later.ndjson >changed.ndjson
	run --separate-stderr mongo-load --mode upsert changed.ndjson
	assert_status 0
	assert_summary 350 50 300 0 0
	{ head -n 700 base.ndjson; cat changed.ndjson; } >expected.ndjson
	assert_collection_is expected.ndjson
	run --separate-stderr mongo-load --mode merge later.ndjson
	assert_status 0
	assert_summary 350 0 350 0 0
	# merge puts preco_total back, at the end of each document
	python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    p = d.pop("preco_total")
    d["preco_total"] = p
    print(json.dumps(d, ensure_ascii=False))' later.ndjson >moved.ndjson
	{ head -n 700 base.ndjson; cat moved.ndjson; } >expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: conflicting --mode values are a usage error, and nothing is done" {
	printf '%s\n' '{"_id":"keep"}' >keep.ndjson
	run --separate-stderr mongo-load keep.ndjson
	assert_status 0
	printf '%s\n' '{"_id":"new"}' >in.ndjson
	for args in "--mode insert --mode upsert" "-m upsert -m merge" \
	    "--mode=merge --mode insert" "--drop -m merge -m upsert"; do
		# shellcheck disable=SC2086
		run --separate-stderr mongo-load $args in.ndjson
		assert_status 64
		assert_stderr_line -p -- '--mode'
	done
	assert_collection_is keep.ndjson
	# the same mode twice is no conflict
	run --separate-stderr mongo-load -m upsert --mode upsert in.ndjson
	assert_status 0
}

@test "mongo-load: --drop empties the collection first" {
	printf '%s\n' '{"_id":"old","n":0}' '{"_id":"a","n":9}' >old.ndjson
	run --separate-stderr mongo-load old.ndjson
	assert_status 0
	printf '%s\n' '{"_id":"a","n":1}' '{"_id":"b","n":2}' >in.ndjson
	run --separate-stderr mongo-load --drop in.ndjson
	assert_status 0
	assert_summary 2 2 0 0 0
	assert_collection_is in.ndjson
	run --separate-stderr mongo-load -d </dev/null
	assert_status 0
	assert_count 0
	# a collection that does not exist is nothing to drop
	MONGO_COLLECTION=never_there run --separate-stderr mongo-load --drop in.ndjson
	assert_status 0
	MONGO_COLLECTION=never_there assert_collection_is in.ndjson
}

# --- bad lines -----------------------------------------------------------

@test "mongo-load: invalid JSON is status 65 with file:line" {
	for line in '{"_id":"x",' '{"_id":"x"} trailing' '{"_id":"x","n":NaN}' \
	    "{'_id':'x'}" '{"_id":"x" "n":1}' 'oops'; do
		bad_line "$line" 'invalid JSON(: .+)?'
	done
}

@test "mongo-load: a line that is not an object is status 65 with file:line" {
	for line in '[1,2]' '"text"' '42' 'null' 'true'; do
		bad_line "$line" 'not a JSON object'
	done
}

@test "mongo-load: bad extended JSON is status 65 with file:line" {
	for line in '{"_id":{"$oid":"xyz"}}' '{"_id":"x","n":{"$numberInt":"12x"}}' \
	    '{"_id":"x","n":{"$numberLong":"1.5"}}' \
	    '{"_id":"x","d":{"$date":"yesterday"}}'; do
		bad_line "$line" 'invalid extended JSON(: .+)?'
	done
}

@test "mongo-load: --mode upsert and merge need an _id on every line" {
	bad_line '{"n":3}' 'missing "_id", which --mode upsert needs' --mode upsert
	bad_line '{"n":3}' 'missing "_id", which --mode merge needs' --mode merge
}

@test "mongo-load: --max-errors N tolerates N bad lines, --rejects keeps them verbatim" {
	printf '%s\n' '{"_id":"a"}' 'oops' '{"_id":"b"}' '[1]' '{"_id":"c"}' \
	    '{"_id":{"$oid":"xyz"}}' '{"_id":"d"}' >in.ndjson
	run --separate-stderr mongo-load -e 3 --rejects rej.ndjson in.ndjson
	assert_status 0
	assert_stderr_line -e '^mongo-load: in\.ndjson:2: invalid JSON(: .+)?$'
	assert_stderr_line 'mongo-load: in.ndjson:4: not a JSON object'
	assert_stderr_line -e '^mongo-load: in\.ndjson:6: invalid extended JSON(: .+)?$'
	assert_stderr_line 'mongo-load: 3 records rejected'
	assert_summary 7 4 0 0 3
	sed -n '2p;4p;6p' in.ndjson >expected.rej
	assert_same expected.rej rej.ndjson
	printf '%s\n' '{"_id":"a"}' '{"_id":"b"}' '{"_id":"c"}' '{"_id":"d"}' \
	    >expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: one bad line more than --max-errors is status 65" {
	printf '%s\n' '{"_id":"a"}' 'oops' '{"_id":"b"}' '[1]' '{"_id":"c"}' \
	    '{"_id":{"$oid":"xyz"}}' '{"_id":"d"}' >in.ndjson
	run --separate-stderr mongo-load --max-errors 2 -r rej.ndjson in.ndjson
	assert_status 65
	assert_stderr_line -e '^mongo-load: in\.ndjson:6: invalid extended JSON(: .+)?$'
	refute_stderr_line -p 'records rejected'
	sed -n '2p;4p;6p' in.ndjson >expected.rej
	assert_same expected.rej rej.ndjson
	assert_count 0
	# the default tolerates none
	run --separate-stderr mongo-load in.ndjson
	assert_status 65
	assert_stderr_line -e '^mongo-load: in\.ndjson:2: invalid JSON(: .+)?$'
	refute_stderr_line -p 'in.ndjson:4'
}

@test "mongo-load: a bad line after whole batches leaves no half load behind" {
	# DESIGN.md: "Bad input never crashes a program and never leaves half
	# a load behind."
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	{ head -n 2500 "$gen"; echo '{"_id":"broken",'; sed -n 2501,3000p "$gen"; } \
	    >in.ndjson
	run --separate-stderr mongo-load in.ndjson
	assert_status 65
	assert_stderr_line -e '^mongo-load: in\.ndjson:2501: invalid JSON(: .+)?$'
	assert_count 0
	# from a pipe too, with --drop: the collection is not even emptied
	mongo_py 'coll.insert_one({"_id": "kept"})'
	run --separate-stderr mongo-load --drop <in.ndjson
	assert_status 65
	assert_stderr_line -e '^mongo-load: <stdin>:2501: invalid JSON(: .+)?$'
	assert_count 1
	# and the good lines go in when the bad one is tolerated
	run --separate-stderr mongo-load --drop -e 1 <in.ndjson
	assert_status 0
	assert_count 3000
}

@test "mongo-load: a document the server cannot take is a bad line, not a silent loss" {
	"$MONGO_PY" -c '
import json
print(json.dumps({"_id": "small", "n": 1}))
print(json.dumps({"_id": "huge", "s": "x" * (17 * 1024 * 1024)}))
print(json.dumps({"_id": "small2", "n": 2}))' >in.ndjson
	run --separate-stderr mongo-load in.ndjson
	assert_status 65
	assert_stderr_line -e '^mongo-load: in\.ndjson:2: document of [0-9]+ bytes, more than the 16777216 a server takes$'
	assert_summary 2 0 0 0 1
	assert_count 0
	# tolerated, it is left out and the others go in
	run --separate-stderr mongo-load -e 1 -r rej.ndjson in.ndjson
	assert_status 0
	assert_summary 3 2 0 0 1
	sed -n 2p in.ndjson >expected.rej
	assert_same expected.rej rej.ndjson
	sed -n '1p;3p' in.ndjson >expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: --rejects that cannot be written is status 74" {
	run --separate-stderr mongo-load -r "$BATS_TEST_TMPDIR/no/such/dir/rej" </dev/null
	assert_status 74
	assert_stderr_line -p 'no/such/dir/rej: No such file or directory'
	printf '%s\n' '{"_id":"a"}' 'oops' >in.ndjson
	run --separate-stderr mongo-load -e 1 -r /dev/full in.ndjson
	assert_status 74
	assert_stderr_line 'mongo-load: /dev/full: No space left on device'
}

@test "mongo-load: an input file that cannot be opened is status 74" {
	run --separate-stderr mongo-load nonexistent.ndjson
	assert_status 74
	assert_stderr_line 'mongo-load: nonexistent.ndjson: No such file or directory'
}

# --- batches and progress ------------------------------------------------

# insert_commands: the number of insert commands the server has run.
insert_commands() {
	mongo_py 'print(client.admin.command("serverStatus")["metrics"]["commands"]["insert"]["total"])'
}

@test "mongo-load: one unordered bulk insert a batch: a document already there stops none after it" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	head -n 2500 "$gen" >all.ndjson
	# every other record first: each batch of the second load mixes
	# documents already there with new ones
	awk 'NR % 2 == 1' all.ndjson >odd.ndjson
	run --separate-stderr mongo-load odd.ndjson
	assert_status 0
	assert_summary 1250 1250 0 0 0
	before=$(insert_commands)
	run --separate-stderr mongo-load --batch-size 1000 all.ndjson
	assert_status 0
	assert_summary 2500 1250 0 1250 0
	after=$(insert_commands)
	# 1000 + 1000 + 500: three round trips, not 2500
	assert_equal "$((after - before))" 3
	assert_collection_is all.ndjson
	before=$(insert_commands)
	run --separate-stderr mongo-load -b 300 all.ndjson
	assert_status 0
	assert_summary 2500 0 0 2500 0
	after=$(insert_commands)
	assert_equal "$((after - before))" 9
}

@test "mongo-load: --progress shows a running count per batch on a TTY" {
	command -v script >/dev/null || skip "no script(1) for a TTY"
	for i in $(seq 20); do
		printf '{"_id":"p%02d","n":%d}\n' "$i" "$i"
	done >in.ndjson
	run script -qec "mongo-load --progress --batch-size 7 in.ndjson" /dev/null
	assert_success
	assert_output -p $'\rmongo-load: 7 of 20 lines\e[K\rmongo-load: 14 of 20 lines\e[K'
	assert_output -e 'mongo-load: 20 read, 20 inserted, 0 updated, 0 already present, 0 rejected in [0-9.]+ s'
	assert_count 20
}

@test "mongo-load: --progress on a TTY: each message has a line of its own" {
	command -v script >/dev/null || skip "no script(1) for a TTY"
	# 30 good lines (three batches shown), a bad one, 9 good
	{
		for i in $(seq 30); do
			printf '{"_id":"a%02d","n":%d}\n' "$i" "$i"
		done
		echo 'not json'
		for i in $(seq 9); do
			printf '{"_id":"b%02d","n":%d}\n' "$i" "$i"
		done
	} >in.ndjson
	# --stream: rejected while the progress line is shown
	st=0
	script -qec "mongo-load -p -s -e 5 -b 10 in.ndjson" /dev/null \
	    </dev/null >tty.out || st=$?
	assert_equal "$st" 0
	run tty_lines tty.out
	assert_line --index 0 'mongo-load: 30 of 30 lines'
	assert_line --index 1 --regexp '^mongo-load: in\.ndjson:31: invalid JSON: '
	assert_line --index 2 'mongo-load: 1 record rejected'
	assert_line --index 3 --regexp '^mongo-load: 40 read, 39 inserted, 0 updated, 0 already present, 1 rejected in [0-9.]+ s$'
	# every line, blank ones included
	assert_equal "$(tty_lines tty.out | wc -l)" 4
	assert_count 39
	# checked first: rejected before the progress line, the summaries after
	export MONGO_COLLECTION=${MONGO_COLLECTION}_b
	st=0
	script -qec "mongo-load -p -e 5 -b 10 in.ndjson" /dev/null \
	    </dev/null >tty.out || st=$?
	assert_equal "$st" 0
	run tty_lines tty.out
	assert_line --index 0 --regexp '^mongo-load: in\.ndjson:31: invalid JSON: '
	assert_line --index 1 'mongo-load: 30 of 40 lines'
	assert_line --index 2 'mongo-load: 1 record rejected'
	assert_line --index 3 --regexp '^mongo-load: 40 read, 39 inserted, 0 updated, 0 already present, 1 rejected in [0-9.]+ s$'
	# every line, blank ones included
	assert_equal "$(tty_lines tty.out | wc -l)" 4
	assert_count 39
}

@test "mongo-load: no progress when standard error is not a TTY" {
	printf '%s\n' '{"_id":"a"}' '{"_id":"b"}' '{"_id":"c"}' >in.ndjson
	run --separate-stderr mongo-load -p -b 1 in.ndjson
	assert_status 0
	assert_equal "${#stderr_lines[@]}" 1
	assert_summary 3 3 0 0 0
}

@test "mongo-load: a batch is bounded by bytes as well as by --batch-size" {
	command -v script >/dev/null || skip "no script(1) for a TTY"
	# 30 documents of 1 MB with --batch-size 100000: sent in several
	# batches all the same
	"$MONGO_PY" -c '
import json
for i in range(30):
    print(json.dumps({"_id": i, "s": "%02d" % i * 500000}))' >in.ndjson
	run script -qec "mongo-load --progress --batch-size 100000 in.ndjson" /dev/null
	assert_success
	assert_output -e $'\rmongo-load: [1-9][0-9]? of 30 lines'
	[[ $output =~ $'\r'mongo-load:\ ([0-9]+)\ of ]]
	((BASH_REMATCH[1] < 30))
	assert_count 30
}

# --- servers -------------------------------------------------------------

@test "mongo-load: server not running is status 69 within --timeout" {
	MONGO_URI=mongodb://127.0.0.1:1 timed mongo-load --timeout 2 </dev/null
	assert_status 69
	assert_stderr_line -p 'mongodb://127.0.0.1:1'
	assert_faster_than 5
}

@test "mongo-load: a server that never answers is status 69 within --timeout" {
	start_silent_server
	printf '%s\n' '{"_id":"a"}' >in.ndjson
	MONGO_URI=mongodb://127.0.0.1:$silent_port/ timed mongo-load --timeout 2 in.ndjson
	assert_status 69
	assert_stderr_line -p "127.0.0.1:$silent_port"
	assert_faster_than 5
	# the default is a few seconds
	MONGO_URI=mongodb://127.0.0.1:$silent_port/ timed mongo-load in.ndjson
	assert_status 69
	assert_faster_than 15
}

@test "mongo-load: the password in MONGO_URI is never printed" {
	MONGO_URI=mongodb://user:s3cret@127.0.0.1:1/ run --separate-stderr \
	    mongo-load -T 2 </dev/null
	assert_status 69
	assert_stderr_line -p 'mongodb://user@127.0.0.1:1/'
	refute_stderr_line -p 's3cret'
	MONGO_URI='mongodb://user:s3cr%40et@127.0.0.1:1/?authSource=admin' \
	    run --separate-stderr mongo-load -T 2 </dev/null
	assert_status 69
	refute_stderr_line -p 's3cr'
	# malformed: a usage error, still without the password
	MONGO_URI='mongodb://user:s3cret@' run --separate-stderr mongo-load </dev/null
	assert_status 64
	refute_stderr_line -p 's3cret'
}

@test "mongo-load: refused credentials are status 69, the password not printed" {
	local hostport

	[[ $MONGO_TEST_URI =~ ^mongodb://([^/@?,]+:[0-9]+)/?$ ]] ||
	    skip "needs a plain mongodb://HOST:PORT/ test server"
	# the assertions use =~ too: keep the match
	hostport=${BASH_REMATCH[1]}
	MONGO_URI="mongodb://nobody:s3cret@$hostport/" \
	    run --separate-stderr mongo-load -T 5 </dev/null
	assert_status 69
	refute_stderr_line -p 's3cret'
	assert_stderr_line -p "mongodb://nobody@$hostport/"
}

@test "mongo-load: mongodb+srv:// whose name cannot be resolved is status 69" {
	MONGO_URI='mongodb+srv://user:s3cret@cluster0.abcde.invalid/?retryWrites=true&w=majority' \
	    timed timeout 60 mongo-load -T 2 </dev/null
	refute_stderr_line -p 's3cret'
	assert_stderr_line -p 'cluster0.abcde.invalid'
	assert_status 69
}

@test "mongo-load: server killed mid-load (--stream) is status 75, with a message" {
	mongo_private_server
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	mkfifo in.fifo
	exec 4<>in.fifo
	MONGO_URI=$MONGO_PRIVATE_URI mongo-load --stream --timeout 2 in.fifo \
	    >load.out 2>load.err 3>&- 4>&- &
	pid=$!
	BG_PIDS+=("$pid")
	head -n 2500 "$gen" >&4
	n=$(wait_for_count 2000 "$MONGO_PRIVATE_URI" "$MONGO_DB")
	assert_equal "$n" 2000
	kill -9 "$(<"$MONGO_PRIVATE_DIR/pid")"
	sed -n 2501,3000p "$gen" >&4
	exec 4>&-
	t0=$SECONDS
	status=0
	wait "$pid" || status=$?
	((SECONDS - t0 < 15)) || fail "took $((SECONDS - t0)) s after the kill"
	stderr=$(<load.err)
	mapfile -t stderr_lines <load.err
	assert_status 75
	assert_stderr_line -e '^mongo-load: in\.fifo: .+'
	assert_summary 3000 2000 0 0 0 load.err
}

@test "mongo-load: connection lost while a batch is in flight is status 75, never 0" {
	start_drop_proxy insert
	printf '%s\n' '{"_id":"a"}' '{"_id":"b"}' >in.ndjson
	MONGO_URI=$proxy_uri timed mongo-load -T 2 in.ndjson
	assert_status 75
	assert_count 0
}

@test "mongo-load: connection lost mid-load (--stream) is status 75; loading again converges" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	head -n 3000 "$gen" >in.ndjson
	# a proxy that drops nothing, killed after two batches went through
	start_drop_proxy no-such-command
	proxy_pid=${BG_PIDS[${#BG_PIDS[@]}-1]}
	mkfifo in.fifo
	exec 4<>in.fifo
	MONGO_URI=$proxy_uri mongo-load --stream --timeout 2 in.fifo \
	    >load.out 2>load.err 3>&- 4>&- &
	pid=$!
	BG_PIDS+=("$pid")
	head -n 2500 in.ndjson >&4
	n=$(wait_for_count 2000)
	assert_equal "$n" 2000
	kill -9 "$proxy_pid"
	sed -n 2501,3000p in.ndjson >&4
	exec 4>&-
	t0=$SECONDS
	status=0
	wait "$pid" || status=$?
	((SECONDS - t0 < 15)) || fail "took $((SECONDS - t0)) s after the loss"
	stderr=$(<load.err)
	mapfile -t stderr_lines <load.err
	assert_status 75
	assert_stderr_line -e '^mongo-load: in\.fifo: .+; loading again is safe: documents already there are skipped$'
	assert_summary 3000 2000 0 0 0 load.err
	assert_count 2000
	# the recovery: the same load again, straight to the server
	run --separate-stderr mongo-load in.ndjson
	assert_status 0
	assert_summary 3000 1000 0 2000 0
	assert_collection_is in.ndjson
	# and once more: nothing changes
	run --separate-stderr mongo-load in.ndjson
	assert_status 0
	assert_summary 3000 0 0 3000 0
	assert_collection_is in.ndjson
}

@test "mongo-load: a load killed mid-stream (--stream), loaded again, converges" {
	gen=$(gen_data "$GEN_N" "$GEN_SEED")
	mkfifo in.fifo
	exec 4<>in.fifo
	mongo-load --stream in.fifo >load.out 2>load.err 3>&- 4>&- &
	pid=$!
	BG_PIDS+=("$pid")
	head -n 20000 "$gen" >&4
	n=$(wait_for_count 19000)
	((n >= 19000)) || fail "only $n documents loaded"
	kill -9 "$pid"
	wait "$pid" || true
	exec 4>&-
	n=$(mongo_py 'print(coll.count_documents({}))')
	((n >= 19000 && n <= 20000)) || fail "$n documents after the kill"
	run --separate-stderr mongo-load "$gen"
	assert_status 0
	assert_summary 50000 $((50000 - n)) 0 "$n" 0
	assert_count 50000
	assert_collection_is "$gen"
}

# --- options -------------------------------------------------------------

@test "mongo-load: a bad option is a usage error" {
	for opt in --bogus -x --canonical -q; do
		run --separate-stderr mongo-load "$opt" </dev/null
		assert_status 64
		assert_stderr_line -p 'usage: mongo-load'
	done
}

@test "mongo-load: a bad option value is a usage error" {
	for args in "--mode foo" "-m INSERT" "--batch-size 0" "-b x" \
	    "--batch-size 100001" "--timeout 0" "-T 1x" "--max-errors -1" \
	    "-e abc"; do
		# shellcheck disable=SC2086
		MONGO_URI=mongodb://127.0.0.1:1 run --separate-stderr mongo-load $args </dev/null
		assert_status 64
	done
	for opt in -m --mode -b -T -e -r --rejects; do
		run --separate-stderr mongo-load "$opt" </dev/null
		assert_status 64
		assert_stderr_line -p 'usage: mongo-load'
	done
}

@test "mongo-load: --help and -h print usage on stdout" {
	for opt in --help -h; do
		run --separate-stderr mongo-load "$opt"
		assert_status 0
		assert_line -p 'usage: mongo-load'
		assert_stderr ''
	done
}

@test "mongo-load: --version" {
	run --separate-stderr mongo-load --version
	assert_status 0
	assert_output 'mongo-load (dataops) 0.1.0'
}

# --- the man page ----------------------------------------------------------

# man_example N: run examples 1 to N of man/mongo-load.1, as a reader would
# (tests/fixtures/pg-examples.py runs any page's examples).
man_example() {
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/mongo-load.1" "$1"
	assert_success
	assert_output ok
}

@test "mongo-load: man page is lint-clean and every example has a test" {
	run mandoc -Tlint -W warning "$DATAOPS_ROOT/man/mongo-load.1"
	assert_success
	assert_output ''
	run python3 "$FIXTURES/pg-examples.py" "$DATAOPS_ROOT/man/mongo-load.1" count
	assert_output 7
}

@test "mongo-load: man page examples 1 to 3: a load, the same again, a pipe" {
	man_example 3
	gen-sales -n 2 -s 8 --now 2025-06-30T12:05:00Z >two.ndjson
	cat sales.ndjson two.ndjson >expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: man page example 4: merge and upsert" {
	man_example 4
	python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    d = json.loads(line)
    if n == 1:
        d["total_vendas"] = 13
    elif n == 2:
        d["total_vendas"] = 14
    print(json.dumps(d, ensure_ascii=False))' sales.ndjson >expected.ndjson
	gen-sales -n 2 -s 8 --now 2025-06-30T12:05:00Z >>expected.ndjson
	assert_collection_is expected.ndjson
}

@test "mongo-load: man page examples 5 and 6: bad lines" {
	man_example 6
	run mongo_py 'print(sorted(d["_id"] for d in coll.find({"_id": {"$in": ["n1", "n2", "n3", "n4"]}})))'
	assert_output "['n1', 'n4']"
}

@test "mongo-load: man page example 7: no server" {
	man_example 7
}
