#!/usr/bin/env bats
# The hostile input corpus (tests/corpus/, issue 7 part 1) through every
# program that reads NDJSON: agg-by-month, agg-by-state (and --city),
# agg-by-mode, report --raw, pg-load and mongo-load.  tests/corpus/MANIFEST
# states, for each file and program, the exit status and the message; here
# each run is checked against it, and against what that outcome implies:
#
#   every run      no crash (status < 128), no hang (60 s), peak memory at
#                  most 5 times the file's size plus 64 MiB (not under
#                  AddressSanitizer: see ASAN below), no ESC byte on the
#                  standard error
#   status 65      "program: file:line: reason" first on the standard error;
#                  nothing on the standard output; pg-load: the table as it
#                  was, one row; mongo-load: the documents it says it
#                  inserted and no others, none for a line that is not
#                  valid (extended) JSON, and a second run with --max-errors
#                  that completes the load, every line read counted once
#   status 0       the aggregators: tests/ref_agg.py's output; pg-load: the
#                  rows are the records, byte for byte; mongo-load: the
#                  documents are the records; report --raw: the counts and
#                  sums of the records (tests/corpus/check.py, with psycopg2
#                  and pymongo, never with the programs under test)
#
# Then the families that need more than a status: COPY metacharacters,
# SQL identifiers, XSS, terminal escapes, bidi characters, printf formats,
# the same _id twice.

# $status, $output, $stderr come from bats; JSON in single quotes is meant;
# each test sets its own MONGO_COLLECTION.
# shellcheck disable=SC2016,SC2154,SC2030,SC2031
load test_helper
bats_require_minimum_version 1.5.0

CORPUS=$DATAOPS_ROOT/tests/corpus
MANIFEST=$CORPUS/MANIFEST
CHECK=$CORPUS/check.py
# Debian's Python, with psycopg2 and pymongo (check.py).
PY=/usr/bin/python3
ROLLED_BACK='pg-load: nothing loaded: the transaction was rolled back'
# Under AddressSanitizer (make check-asan) a program's resident memory
# holds ASan's shadow memory, redzones and quarantine of freed blocks (256
# MiB by default) besides its own: the memory bound is make check's to
# check, and every other check of a run still holds.
ASAN=
if ldd "$(command -v pg-load)" 2>/dev/null | grep -q libasan; then
	ASAN=1
fi

setup_file() {
	pg_setup
	mongo_setup
	# the big-* files of the manifest, made once for the whole suite
	BIG=$BATS_FILE_TMPDIR/big
	mkdir -p "$BIG"
	"$CORPUS/make-big.sh" "$BIG" || return 1
	export BIG
}

teardown_file() {
	mongo_teardown
	pg_teardown
}

setup() {
	common_setup
	PROBLEMS=()
}

# --- the manifest ---------------------------------------------------------

# manifest PROG: "FILE<TAB>STATUS<TAB>LINE<TAB>REASON" for each file that
# MANIFEST gives PROG (month, state, city, mode, raw, pg or mongo).
manifest() {
	awk -v prog="$1" '
	/^#/ || NF == 0 { next }
	{
		n = split($2, ps, ",")
		hit = 0
		for (i = 1; i <= n; i++)
			if (ps[i] == prog || ps[i] == "all" || (ps[i] == "agg" &&
			    prog ~ /^(month|state|city|mode)$/))
				hit++
		if (hit == 0)
			next
		reason = $0
		sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]*/, "",
		    reason)
		printf "%s\t%s\t%s\t%s\n", $1, $3, $4, reason
	}' "$MANIFEST"
}

# corpus_file NAME: the path of a corpus file (big-*: made by make-big.sh).
corpus_file() {
	if [[ $1 == big-* ]]; then
		echo "$BIG/$1"
	else
		echo "$CORPUS/$1"
	fi
}

# count_records PROG: the number of records of every file the manifest
# gives PROG, in the associative array RECORDS, by path (check.py counts).
count_records() {
	local n path
	local -a paths=()

	while IFS=$'\t' read -r path _; do
		paths+=("$(corpus_file "$path")")
	done < <(manifest "$1")
	while IFS=$'\t' read -r n path; do
		RECORDS[$path]=$n
	done < <("$PY" "$CHECK" records "${paths[@]}")
}

# fast_loop: leave bats' DEBUG trap, which it keeps for its stack traces,
# for the rest of the test: it makes each of the thousands of commands of
# a loop over the corpus several times slower.  The loops report every
# difference they find at the end, with report_problems.
fast_loop() {
	FAST_LOOP_TRAP=$(trap -p DEBUG)
	trap - DEBUG
}

# --- one run, and what every run must do ------------------------------------

# measure IN CMD...: run CMD in the directory of the corpus file being
# checked ($dir), standard input from IN, at most 60 s; its standard output
# in ./out, standard error in ./err, peak resident memory (KiB) in ./mem,
# exit status in $rc.
measure() {
	local in=$1

	shift
	rc=0
	(cd "$dir" && exec timeout -k 5 60 /usr/bin/time -f %M \
	    -o "$BATS_TEST_TMPDIR/mem" "$@") <"$in" >out 2>err || rc=$?
}

# problem TEXT: note one way a run differs from the manifest.
problem() {
	PROBLEMS+=("$label: $*")
}

# check_run STATUS: what every run must do, and its status one of STATUS
# (A or A|B).
check_run() {
	local peak limit size

	if ((rc == 124 || rc == 137)); then
		problem "no answer within 60 s (hang)"
	elif ((rc >= 128)); then
		problem "killed by signal $((rc - 128)) (crash)"
	elif [[ "|$1|" != *"|$rc|"* ]]; then
		problem "exit status $rc, expected $1: $(head -c 300 err)"
	fi
	peak=$(tail -n 1 mem 2>/dev/null)
	size=$(stat -c %s "$path")
	limit=$((size * 5 / 1024 + 65536))
	if [[ -z $ASAN && $peak =~ ^[0-9]+$ ]] && ((peak > limit)); then
		problem "peak memory $peak KiB, more than $limit KiB"
	fi
	if grep -q $'\e' err; then
		problem "an ESC byte on the standard error"
	fi
}

# check_message PROG NAME LINE REASON: the first line of ./err is exactly
# "PROG: NAME:LINE: REASON" (REASON an extended regular expression).
check_message() {
	local first want="$1: $2:$3: " re="^($4)\$"

	first=$(head -n 1 err)
	if [[ ${first:0:${#want}} != "$want" || ! ${first:${#want}} =~ $re ]]; then
		problem "first message '${first:0:300}', expected '$want$4'"
	fi
}

# report_problems: fail with every difference found, one per line.
report_problems() {
	if [[ -n ${FAST_LOOP_TRAP:-} ]]; then
		eval "$FAST_LOOP_TRAP"
	fi
	if ((${#PROBLEMS[@]} > 0)); then
		{
			echo "-- ${#PROBLEMS[@]} differences from tests/corpus/MANIFEST --"
			printf '%s\n' "${PROBLEMS[@]}"
			echo "--"
		} | fail
	fi
}

# --- the aggregators ------------------------------------------------------------

# ref_outputs KIND DIR FILE...: tests/ref_agg.py's output for KIND of each
# FILE, in DIR/NAME (NAME the file's name), its status in DIR/NAME.status
# and its messages in DIR/NAME.err; all in one Python process (the python3
# on PATH may take a quarter of a second to start, two hundred times).
ref_outputs() {
	PYTHONDONTWRITEBYTECODE=1 "$PY" - "$@" <<-'EOF'
	import io, os, sys
	sys.path.insert(0, os.path.join(os.environ["DATAOPS_ROOT"], "tests"))
	import ref_agg
	kind, outdir = sys.argv[1:3]
	stdout, stderr = sys.stdout, sys.stderr
	for path in sys.argv[3:]:
	    out = os.path.join(outdir, os.path.basename(path))
	    with open(out, "wb") as o, open(out + ".err", "w") as e:
	        sys.stdout = io.TextIOWrapper(o, write_through=True)
	        sys.stderr = e
	        try:
	            rc = ref_agg.main([kind, path])
	        except Exception as x:
	            rc = "exception %r" % x
	        sys.stdout.flush()
	    sys.stdout, sys.stderr = stdout, stderr
	    with open(out + ".status", "w") as f:
	        f.write("%s\n" % rc)
	EOF
}

# corpus_agg KEY KIND PROG [OPTION...]: every file the manifest gives KEY
# through PROG, named on the command line (with -j 4: a file of 4 MiB or
# more is split among threads) and on standard input; a good run's output
# is ref_agg KIND's.
corpus_agg() {
	local key=$1 kind=$2 name status line reason path dir how label
	local -a good=()

	shift 2
	fast_loop
	mkdir ref
	while IFS=$'\t' read -r name status line reason; do
		[[ $status == 0 ]] && good+=("$(corpus_file "$name")")
	done < <(manifest "$key")
	ref_outputs "$kind" ref "${good[@]}"
	while IFS=$'\t' read -r name status line reason; do
		path=$(corpus_file "$name")
		dir=$(dirname "$path")
		for how in file stdin; do
			if [[ $how == file ]]; then
				label=$name
				measure /dev/null "$@" -j 4 "$name"
			else
				label="$name (standard input)"
				measure "$path" "$@"
			fi
			check_run "$status"
			if ((rc == 65)); then
				if [[ $how == file ]]; then
					check_message "$1" "$name" "$line" "$reason"
				else
					check_message "$1" '<stdin>' "$line" "$reason"
				fi
				[[ -s out ]] && problem "output after a bad record"
				(($(wc -l <err) == 1)) ||
				    problem "$(wc -l <err) lines on the standard error"
			elif ((rc == 0)); then
				[[ -s err ]] && problem "stderr: $(head -c 300 err)"
				if [[ ! -f ref/$name ]]; then
					problem "no reference: the manifest says $status"
				elif [[ $(<"ref/$name.status") != 0 ]]; then
					problem "ref_agg: $(head -c 300 "ref/$name.err")"
				elif ! cmp -s "ref/$name" out; then
					problem "output differs from ref_agg $kind: $(diff "ref/$name" out | head -c 400)"
				fi
			fi
		done
	done < <(manifest "$key")
	report_problems
}

@test "corpus: MANIFEST gives every program once for every file, and only files that exist" {
	local name p n

	for p in month state city mode raw pg mongo; do
		manifest "$p" | cut -f 1 | sort >"names.$p"
		sort -u "names.$p" >"uniq.$p"
		diffs=$(comm -23 "names.$p" "uniq.$p")
		[[ -z $diffs ]] || fail "$p given twice for: $diffs"
	done
	{
		(cd "$CORPUS" && ls ./*.ndjson) | sed 's|^\./||'
		(cd "$BIG" && ls ./*.ndjson) | sed 's|^\./||'
	} | sort >files
	for p in month state city mode raw pg mongo; do
		diffs=$(diff files "uniq.$p") ||
		    fail "$p: the manifest and the files differ: $diffs"
	done
	# every line is well formed
	run awk '!/^#/ && NF > 0 && ($3 !~ /^[0-9]+(\|[0-9]+)*$/ ||
	    ($3 == "0" && ($4 != "-" || $5 != "-")) ||
	    ($3 != "0" && $4 !~ /^[0-9]+$/ && $3 !~ /\|/))' "$MANIFEST"
	assert_output ''
	n=$(wc -l <files)
	((n >= 150)) || fail "only $n files in the corpus"
}

@test "corpus: agg-by-month on every file" {
	corpus_agg month month agg-by-month
}

@test "corpus: agg-by-state on every file" {
	corpus_agg state state agg-by-state
}

@test "corpus: agg-by-state --city on every file" {
	corpus_agg city city agg-by-state --city
}

@test "corpus: agg-by-mode on every file" {
	corpus_agg mode mode agg-by-mode
}

# --- report --raw ---------------------------------------------------------

@test "corpus: report --raw on every file" {
	local name status line reason path dir label

	fast_loop
	while IFS=$'\t' read -r name status line reason; do
		path=$(corpus_file "$name")
		dir=$(dirname "$path")
		label=$name
		measure /dev/null report --raw "$name"
		check_run "$status"
		if ((rc == 65)); then
			check_message report "$name" "$line" "$reason"
			[[ -s out ]] && problem "output after a bad record"
		elif ((rc == 0)); then
			[[ -s err ]] && problem "stderr: $(head -c 300 err)"
			[[ -s out ]] || problem "no output"
			measure /dev/null report -f json --raw "$name"
			check_run 0
			cp out report.json
			"$PY" "$CHECK" raw "$path" report.json >raw.diff 2>&1 ||
			    problem "$(head -c 400 raw.diff)"
		fi
	done < <(manifest raw)
	report_problems
}

# --- pg-load --------------------------------------------------------------

# The table each file is loaded into: the sale record's columns, _id the
# primary key, and one row that a failed load must leave alone.
pg_table_sql() {
	local t=${1//\"/\"\"}

	printf 'DROP TABLE IF EXISTS "%s";\n' "$t"
	printf 'CREATE TABLE "%s" (_id text PRIMARY KEY, data_venda date,
	    total_vendas bigint, total_faturado numeric,
	    moto_mais_vendida text, quantidade_moto_mais_vendida bigint,
	    preco_total numeric, cidade text, estado text, modalidade text,
	    "timestamp" timestamptz);\n' "$t"
	printf 'INSERT INTO "%s" (_id, cidade) VALUES (%s, %s);\n' "$t" \
	    "'sentinel-row'" "'before the load'"
}

@test "corpus: pg-load on every file: all or nothing, byte for byte" {
	local name status line reason path dir label table n re
	local -a good=() bad=()
	local -A RECORDS=()

	fast_loop
	count_records pg

	{
		echo 'SET client_min_messages = warning;'
		manifest pg | cut -f 1 | while read -r name; do
			pg_table_sql "${name%.ndjson}"
		done
	} >tables.sql
	psql "$PG_URI" -qX -v ON_ERROR_STOP=1 -f tables.sql >/dev/null

	while IFS=$'\t' read -r name status line reason; do
		path=$(corpus_file "$name")
		dir=$(dirname "$path")
		label=$name
		table=${name%.ndjson}
		measure /dev/null pg-load -i -a -m replace -t "$table" "$name"
		check_run "$status"
		[[ -s out ]] && problem "output on stdout: $(head -c 200 out)"
		if ((rc == 65)); then
			check_message pg-load "$name" "$line" "$reason"
			[[ $(tail -n 1 err) == "$ROLLED_BACK" ]] ||
			    problem "last message: $(tail -n 1 err)"
			bad+=("$table")
		elif ((rc == 0)); then
			n=${RECORDS[$path]}
			re="^pg-load: $n rows? into 1 table in [0-9]+\.[0-9]{2} s\$"
			[[ $(wc -l <err) == 1 && $(<err) =~ $re ]] ||
			    problem "summary: $(head -c 300 err), $n records"
			good+=("$table" "$path")
		fi
	done < <(manifest pg)

	# a failed load left the table as it was: the one row
	if ((${#bad[@]} > 0)); then
		for table in "${bad[@]}"; do
			printf "SELECT '%s' || '|' || count(*) || '|' || max(_id) FROM \"%s\";\n" \
			    "$table" "$table"
		done >bad.sql
		psql "$PG_URI" -qAtX -v ON_ERROR_STOP=1 -f bad.sql >bad.out
		while IFS='|' read -r table n line; do
			label=$table.ndjson
			[[ $n == 1 && $line == sentinel-row ]] ||
			    problem "after the failed load: $n rows, $line"
		done <bad.out
	fi
	# a good load replaced it with exactly the records, byte for byte
	if ((${#good[@]} > 0)); then
		label=pg
		"$PY" "$CHECK" pg "${good[@]}" >good.diff 2>&1 ||
		    problem "rows differ from the records:"$'\n'"$(head -n 40 good.diff)"
	fi
	report_problems
}

# --- mongo-load -------------------------------------------------------------

# summary_counts: the counts of mongo-load's summary, the last line of ./err,
# as "READ INSERTED UPDATED PRESENT REJECTED", or nothing.
summary_counts() {
	local re='^mongo-load: ([0-9]+) read, ([0-9]+) inserted, ([0-9]+) updated, ([0-9]+) already present, ([0-9]+) rejected in [0-9]+\.[0-9]{2} s$'

	if [[ $(tail -n 1 err) =~ $re ]]; then
		echo "${BASH_REMATCH[*]:1}"
	fi
}

@test "corpus: mongo-load on every file: stored as written, or nothing, or consistent" {
	local name status line reason path dir label coll counts n
	local r i u p x r2 i2 u2 p2 x2
	local -a good=() expect=()
	local -A RECORDS=()

	fast_loop
	count_records mongo

	while IFS=$'\t' read -r name status line reason; do
		path=$(corpus_file "$name")
		dir=$(dirname "$path")
		label=$name
		coll=c_${name%.ndjson}
		export MONGO_COLLECTION=$coll
		measure /dev/null mongo-load "$name"
		check_run "$status"
		counts=$(summary_counts)
		if [[ -z $counts ]]; then
			problem "no summary: $(tail -n 1 err | head -c 300)"
			continue
		fi
		read -r r i u p x <<<"$counts"
		((u == 0)) || problem "$u updated by an insert"
		if ((rc == 0)); then
			n=${RECORDS[$path]}
			((r == n && x == 0 && i + p == r)) ||
			    problem "summary '$counts' for $n records"
			good+=("$coll" "$path")
			expect+=("$coll" "$i")
		elif ((rc == 65)); then
			check_message mongo-load "$name" "$line" "$reason"
			((x >= 1)) || problem "a failed run rejected $x lines"
			# a line that is not valid JSON is found before anything
			# is sent: nothing of the file is loaded
			if [[ $(head -n 1 err) == *": invalid JSON"* ||
			    $(head -n 1 err) == *": not a JSON object" ||
			    $(head -n 1 err) == *": invalid extended JSON"* ]]; then
				((i == 0)) ||
				    problem "$i documents inserted before a line that is not JSON"
			fi
			# loading again, bad lines tolerated, completes the load
			measure /dev/null mongo-load -e 1000000 "$name"
			label="$name (again, with --max-errors)"
			check_run 0
			counts=$(summary_counts)
			read -r r2 i2 u2 p2 x2 <<<"$counts"
			n=${RECORDS[$path]}
			if [[ -z $counts ]] || ((r2 != n || i2 + p2 + x2 != r2 ||
			    p2 < i || x2 < 1 || u2 != 0)); then
				problem "second run '$counts' after '$r $i $u $p $x', $n records"
			fi
			expect+=("$coll" "$((i + i2))")
		else
			# 75: the documents it says it inserted, no more
			[[ -s err ]] || problem "no message"
			expect+=("$coll" "$i")
		fi
	done < <(manifest mongo)

	# what the collections hold, with pymongo
	label=mongo
	n=$(mongo_py '
bad = []
for coll, n in zip(sys.argv[1::2], sys.argv[2::2]):
    got = db[coll].count_documents({})
    if got != int(n):
        bad.append("%s: %d documents, the summaries say %s" % (coll, got, n))
print("\n".join(bad))' "${expect[@]}")
	[[ -z $n ]] || problem "$n"
	if ((${#good[@]} > 0)); then
		"$PY" "$CHECK" mongo "${good[@]}" >good.diff 2>&1 ||
		    problem "documents differ from the records:"$'\n'"$(head -n 40 good.diff)"
	fi
	report_problems
}

# --- families that need more than a status --------------------------------

# pg_corpus_table NAME: a fresh table NAME like the corpus's, one row in it.
pg_corpus_table() {
	{
		echo 'SET client_min_messages = warning;'
		pg_table_sql "$1"
	} | psql "$PG_URI" -qX -v ON_ERROR_STOP=1 >/dev/null
}

@test "corpus: COPY metacharacters arrive byte for byte in PostgreSQL, and come back through pg-export" {
	local name

	for name in hostile-copy-meta hostile-copy-end-marker; do
		pg_corpus_table "$name"
		run_to out pg-load -i -m replace -t "$name" "$CORPUS/$name.ndjson"
		assert_status 0
		run "$PY" "$CHECK" pg "$name" "$CORPUS/$name.ndjson"
		assert_output ''
	done
	# each metacharacter on its own, as the server holds it
	run psql_q "SELECT count(*) FILTER (WHERE cidade = E'\\\\N'),
	    count(*) FILTER (WHERE cidade = E'\\\\.'),
	    count(*) FILTER (WHERE cidade = E'tab\\there'),
	    count(*) FILTER (WHERE cidade = E'back\\\\slash'),
	    count(*) FILTER (WHERE cidade = E'line\\nbreak'),
	    count(*) FILTER (WHERE cidade = E'\\\\'),
	    count(*) FILTER (WHERE cidade IS NULL)
	    FROM \"hostile-copy-meta\""
	assert_output '1|1|1|1|1|1|0'
	run psql_q "SELECT cidade = E'x\\n\\\\.\\ny' AND moto_mais_vendida = E'\\\\.'
	    FROM \"hostile-copy-end-marker\" WHERE _id = 'hostile-copy-end-marker-2'"
	assert_output t
	# pg-export gives back the very strings of the file
	pg-export hostile-copy-meta >exported.ndjson
	run "$PY" - "$CORPUS/hostile-copy-meta.ndjson" exported.ndjson <<-'EOF'
	import json, sys
	keys = ("_id", "cidade", "estado", "modalidade", "moto_mais_vendida")
	want = {}
	for line in open(sys.argv[1], encoding="utf-8"):
	    if line.strip():
	        r = json.loads(line)
	        want[r["_id"]] = tuple(r[k] for k in keys)
	got = {}
	for line in open(sys.argv[2], encoding="utf-8"):
	    r = json.loads(line)
	    if r["_id"] != "sentinel-row":
	        got[r["_id"]] = tuple(r[k] for k in keys)
	print("ok" if got == want else "differ: %r" % sorted(set(got.items()) ^ set(want.items()))[:3])
	EOF
	assert_output ok
}

@test "corpus: a table name is only a name: pg-load -t 'x\"; drop table y; --'" {
	local t

	psql_q 'DROP TABLE IF EXISTS y; CREATE TABLE y (v int); INSERT INTO y VALUES (1)'
	echo '{"v":2}' >in.ndjson
	for t in 'x"; drop table y; --' 'y"; drop table y; --' \
	    "y'; drop table y; --" 'y; drop table y' \
	    'y" (v) FROM STDIN; DROP TABLE y; --' 'x"."y"; drop table y; --'; do
		run_to out pg-load -t "$t" in.ndjson
		assert_status 65
		assert_stderr "$(printf '%s\n%s' \
		    "pg-load: $t: no such table (--create makes it)" "$ROLLED_BACK")"
		assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
	done
	# with --create, the name is the new table's, character for character
	run_to out pg-load --create -t 'x"; drop table y; --' in.ndjson
	assert_status 0
	run psql_q "SELECT relname FROM pg_class WHERE relname LIKE 'x\"%'"
	assert_output 'x"; drop table y; --'
	run psql_q 'SELECT v FROM "x""; drop table y; --"'
	assert_output 2
	assert_equal "$(psql_q 'SELECT count(*) FROM y')" 1
	psql_q 'DROP TABLE "x""; drop table y; --"; DROP TABLE y'
}

@test "corpus: XSS payloads in every string field stay text in report -f html and -f json" {
	local x=$CORPUS/hostile-xss.ndjson raw='<img src=x onerror=alert(7)>.ndjson'

	cp "$x" "$raw"
	agg-by-month "$x" >months.ndjson
	agg-by-state "$x" >states.ndjson
	agg-by-state --city "$x" >cities.ndjson
	agg-by-mode "$x" >modes.ndjson
	run_to page.html report -f html -t '<script>alert(8)</script>' \
	    --raw "$raw" months.ndjson states.ndjson cities.ndjson modes.ndjson
	assert_status 0
	run "$PY" - page.html "$x" <<-'EOF'
	import json, re, sys
	from html.parser import HTMLParser
	ACTIVE = {"script", "img", "iframe", "frame", "object", "embed", "link",
	          "a", "form", "input", "button", "base", "video", "audio",
	          "source", "math", "template", "noscript"}
	bad, text = [], []
	class Page(HTMLParser):
	    def handle_starttag(self, tag, attrs):
	        if tag in ACTIVE:
	            bad.append("element <%s>" % tag)
	        for k, v in attrs:
	            if k.startswith("on") or k in ("src", "href", "srcdoc",
	                                           "formaction", "xlink:href"):
	                bad.append("attribute %s= on <%s>" % (k, tag))
	            elif v and re.match(r"\s*(javascript|data|vbscript):", v, re.I):
	                bad.append("attribute %s=%r" % (k, v))
	            if v:
	                text.append(v)
	        if tag == "meta" and dict(attrs).get("http-equiv") == "refresh" \
	                and not re.fullmatch(r"[0-9]+", dict(attrs)["content"]):
	            bad.append("refresh to %r" % dict(attrs)["content"])
	    def handle_comment(self, data):
	        bad.append("comment %r" % data[:40])
	    def handle_data(self, data):
	        text.append(data)
	Page(convert_charrefs=True).feed(open(sys.argv[1], encoding="utf-8").read())
	shown = "\n".join(text)
	for line in open(sys.argv[2], encoding="utf-8"):
	    r = json.loads(line)
	    for k in ("estado", "cidade", "modalidade"):
	        if r[k] not in shown:
	            bad.append("%s %r not shown as text" % (k, r[k]))
	for s in ("<script>alert(8)</script>", "<img src=x onerror=alert(7)>.ndjson"):
	    if s not in shown:
	        bad.append("%r not shown as text" % s)
	print("\n".join(bad) or "ok")
	EOF
	assert_output ok
	# the JSON document holds the very strings
	run_to doc.json report -f json --raw "$raw" states.ndjson cities.ndjson \
	    modes.ndjson
	assert_status 0
	run "$PY" - doc.json "$x" <<-'EOF'
	import json, sys
	doc = json.load(open(sys.argv[1], encoding="utf-8"))
	strings = set()
	def walk(v):
	    if isinstance(v, dict):
	        for k, x in v.items():
	            strings.add(k)
	            walk(x)
	    elif isinstance(v, list):
	        for x in v:
	            walk(x)
	    elif isinstance(v, str):
	        strings.add(v)
	walk(doc)
	want = set()
	for line in open(sys.argv[2], encoding="utf-8"):
	    r = json.loads(line)
	    want |= {r["estado"], r["cidade"], r["modalidade"]}
	print("ok" if want <= strings else "missing %r" % sorted(want - strings))
	EOF
	assert_output ok
}

# no_controls FILE [PTY]: FILE holds no control character but newline (and
# carriage return and report's own colours, SGR sequences, when PTY is
# given: what a terminal gets through script(1)); prints ok or what is there.
no_controls() {
	"$PY" - "$@" <<-'EOF'
	import re, sys
	b = open(sys.argv[1], "rb").read()
	if len(sys.argv) > 2:
	    b = re.sub(rb"\x1b\[[0-9;]*m", b"", b).replace(b"\r", b"")
	found = re.findall(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", b)
	print("ok" if not found else "control characters: %r" % sorted(set(found)))
	EOF
}

@test "corpus: terminal escapes and OSC 8 links in the data never reach the terminal raw" {
	local t=$CORPUS/hostile-terminal.ndjson

	agg-by-month "$t" >months.ndjson
	agg-by-state "$t" >states.ndjson
	agg-by-state --city "$t" >cities.ndjson
	agg-by-mode "$t" >modes.ndjson
	set -- --raw "$t" months.ndjson states.ndjson cities.ndjson modes.ndjson
	# to a file: plain text, each control character shown as "?"
	run_to report.txt report "$@"
	assert_status 0
	assert_stderr ''
	run no_controls report.txt
	assert_output ok
	run "$PY" - report.txt "$t" <<-'EOF'
	import json, re, sys
	shown = open(sys.argv[1], encoding="utf-8").read()
	bad = []
	for line in open(sys.argv[2], encoding="utf-8"):
	    r = json.loads(line)
	    for k in ("estado", "cidade", "modalidade"):
	        want = re.sub("[\x00-\x1f\x7f-\x9f]", "?", r[k])
	        if want not in shown:
	            bad.append("%s %r not shown as %r" % (k, r[k], want))
	print("\n".join(bad) or "ok")
	EOF
	assert_output ok
	# on a terminal (a pseudo-terminal from script(1)): report's colours,
	# nothing from the data
	script -qefc "report $(printf '%q ' "$@")" /dev/null </dev/null >tty.out ||
	    fail "report on a terminal: status $?"
	grep -q $'\e\\[' tty.out || fail "no colour on a terminal: not a terminal?"
	run no_controls tty.out pty
	assert_output ok
	# the HTML page shows them as U+FFFD, the JSON document as \u00XX
	run_to page.html report -f html "$@"
	assert_status 0
	run_to doc.json report -f json "$@"
	assert_status 0
	assert_equal "html: $(no_controls page.html); json: $(no_controls doc.json)" \
	    "html: ok; json: ok"
}

@test "corpus: right-to-left overrides and zero-width characters pass through as they are" {
	local b=$CORPUS/hostile-bidi.ndjson

	agg-by-state --city "$b" >cities.ndjson
	agg-by-mode "$b" >modes.ndjson
	ref_agg city "$b" >expected
	assert_same expected cities.ndjson
	# report writes data as it is, but for control characters (report(1))
	run_to report.txt report cities.ndjson modes.ndjson
	assert_status 0
	run "$PY" - report.txt "$b" <<-'EOF'
	import json, sys
	shown = open(sys.argv[1], encoding="utf-8").read()
	bad = []
	for line in open(sys.argv[2], encoding="utf-8"):
	    r = json.loads(line)
	    for k in ("estado", "cidade", "modalidade"):
	        if r[k] not in shown:
	            bad.append("%s %r not shown as it is" % (k, r[k]))
	print("\n".join(bad) or "ok")
	EOF
	assert_output ok
}

@test "corpus: printf directives in data, file names, table names and titles are only text" {
	local f='%n%s%x%p%99999999s.ndjson' prog

	cp "$CORPUS/hostile-format-bad.ndjson" "$f"
	for prog in agg-by-month agg-by-state agg-by-mode; do
		run_to out "$prog" "$f"
		assert_status 65
		assert_stderr "$prog: $f:3: \"total_vendas\" is not an integer"
	done
	run_to out report --raw "$f"
	assert_status 65
	assert_stderr "report: $f:3: \"total_vendas\" is not an integer"
	run_to out pg-load -t '%n%s%n%s' "$f"
	assert_status 65
	assert_stderr "$(printf '%s\n%s' \
	    'pg-load: %n%s%n%s: no such table (--create makes it)' "$ROLLED_BACK")"
	pg_corpus_table '%s%n'
	run_to out pg-load -i -m replace -r '%n%s.rej' -e 1 -t '%s%n' "$f"
	assert_status 0
	assert_equal "$(psql_q 'SELECT count(*) FROM "%s%n"')" 2
	sed -n 3p "$f" >expected.rej
	assert_same expected.rej '%n%s.rej'
	# the strings themselves, through every program
	cp "$CORPUS/hostile-format.ndjson" '%s%s%s.ndjson'
	agg-by-state --city '%s%s%s.ndjson' >cities.ndjson
	ref_agg city '%s%s%s.ndjson' >expected
	assert_same expected cities.ndjson
	run_to page.html report -f html -t '%n%s%n%s' cities.ndjson
	assert_status 0
	grep -qF '<title>%n%s%n%s</title>' page.html ||
	    fail "the title is not '%n%s%n%s'"
	run_to report.txt report --raw '%s%s%s.ndjson' cities.ndjson
	assert_status 0
	grep -qF '%99999999s' report.txt || fail "'%99999999s' not shown"
	grep -qF '%s%s%s.ndjson' report.txt || fail "the raw source not shown"
	MONGO_COLLECTION=format run --separate-stderr mongo-load '%s%s%s.ndjson'
	assert_status 0
	assert_stderr_line -e '^mongo-load: 7 read, 7 inserted, 0 updated, 0 already present, 0 rejected in [0-9.]+ s$'
	MONGO_COLLECTION=format run mongo_py 'print(sorted(d["_id"] for d in coll.find()))'
	assert_output "['%.1000000f', '%1\$s%2\$n', '%99999999s', '%n%n%n%n', '%s%s%s%s%s', '%x%x%x%p', 'hostile-format-1']"
}

@test "corpus: the same _id twice: mongo-load keeps the first copy, pg-load refuses the second" {
	local d=dup-id.ndjson

	cp "$CORPUS/$d" .
	export MONGO_COLLECTION=dup_id
	run --separate-stderr mongo-load "$d"
	assert_status 0
	assert_stderr_line -e '^mongo-load: 4 read, 3 inserted, 0 updated, 1 already present, 0 rejected in [0-9.]+ s$'
	run mongo_py 'print(coll.count_documents({}), coll.find_one({"_id": "dup-id-2"})["total_vendas"])'
	assert_output '3 3'
	run --separate-stderr mongo-load "$d"
	assert_status 0
	assert_stderr_line -e '^mongo-load: 4 read, 0 inserted, 0 updated, 4 already present, 0 rejected in [0-9.]+ s$'
	run mongo_py 'print(coll.count_documents({}))'
	assert_output 3
	# PostgreSQL: the primary key refuses the second, and nothing changes
	pg_corpus_table dup_id
	run_to out pg-load -i -m replace -t dup_id "$d"
	assert_status 65
	assert_stderr_line -e '^pg-load: dup-id\.ndjson:3: duplicate key value violates unique constraint "[^"]+"$'
	assert_stderr_line -n 1 "$ROLLED_BACK"
	assert_equal "$(psql_q "SELECT string_agg(_id, ',') FROM dup_id")" sentinel-row
	# the aggregators count both: they are two sale records
	run_to out agg-by-mode "$d"
	assert_status 0
	echo '{"modalidade":"Financiamento","total_vendas":14,"total_faturado":6000.40,"quantidade_motos_vendidas":8,"registros":4}' >expected
	assert_same expected out
}
