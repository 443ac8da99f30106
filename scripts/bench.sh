#!/usr/bin/env bash
# Benchmark driver (`make bench`): times gen-sales, agg-by-state and
# agg-by-month on one file of sale records, side by side with DuckDB (npm
# @duckdb/node-api), jq and Miller on the same file, then pg-load and
# pg-export against a throw-away PostgreSQL (psql \copy, psql COPY and
# row-by-row psycopg2 INSERTs as anchors), and prints a plain table for the
# README on standard output (progress goes to standard error).
#
# Knobs (environment):
#   BENCH_RECORDS        records in the input file (default 2000000)
#   BENCH_RUNS           timed runs per program; median and min (default 5)
#   BENCH_SKIP_SLOW=1    skip jq and Miller (one run each, slow)
#   BENCH_DUCKDB_VERSION @duckdb/node-api version (default below)
#   BENCH_SKIP_PG=1      skip the PostgreSQL section
#
# The input is written by `bin/gen-sales -n N -s 1 --now ...` to
# bin/bench/sales-N-s1.ndjson and reused while its marker file (command,
# gen-sales checksum, byte size) still matches.  DuckDB is installed with
# npm into bin/bench/node_modules.
#
# PostgreSQL: a cluster from `scripts/pg-test-server.sh start` in a fresh
# mktemp -d directory under /tmp (stopped and removed on exit; fsync,
# synchronous_commit and full_page_writes off), table `sales` created with
# the record's columns.  Loads, into the emptied table (TRUNCATE, untimed,
# before every run), runs interleaved: `bin/pg-load -m replace -t sales
# FILE`; `psql -c "\copy sales FROM 'FILE.csv' CSV"` of the same rows
# converted to CSV beforehand (scripts/bench-pg.py, untimed, cached as
# bin/bench/*.csv); and the server's floor, `COPY sales FROM
# 'DATADIR/bench-sales.bin' (FORMAT binary)` of a file in its data
# directory written from the table an untimed pg-load filled.  Row-by-row
# INSERTs in one transaction through psycopg2 (/usr/bin/python3, Debian's
# python3-psycopg2) on the first 50,000 records (BENCH_PG_SAMPLE; at most
# all of them), its rate extrapolated.  Exports the loaded table to
# /dev/null: `bin/pg-export sales` against psql's `COPY (SELECT
# row_to_json(t) FROM sales t) TO STDOUT`.  The three bulk loads must
# leave the same rows (count and a checksum of every row), and
# pg-export's output must aggregate (agg-by-state) exactly like the input
# file.  Exit status: 0 when every measurement ran and every tool
# computed the same aggregates (a MISS of a target is reported, not an
# error), 1 when the results disagree, >1 on failure.

set -euo pipefail

cd "$(dirname "$0")/.."

RECORDS=${BENCH_RECORDS:-2000000}
RUNS=${BENCH_RUNS:-5}
SKIP_SLOW=${BENCH_SKIP_SLOW:-0}
SKIP_PG=${BENCH_SKIP_PG:-0}
DUCKDB_PKG_VERSION=${BENCH_DUCKDB_VERSION:-1.5.6-r.1}
SEED=1
NOW=2025-06-30T12:00:00Z
DIR=bin/bench
DATA=$DIR/sales-$RECORDS-s$SEED.ndjson

# Targets.
TGT_GEN_RPS=2000000	# gen-sales records/s, at least
TGT_SPEEDUP=1.5		# agg-by-* throughput over DuckDB's, at least
TGT_RSS_KIB=16384	# agg-by-* peak RSS, below (16 MiB)
TGT_PGLOAD_COPY=0.9	# pg-load throughput over psql \copy's, at least
TGT_PGLOAD_RBR=50	# pg-load throughput over row-by-row INSERTs', at least
TGT_PGLOAD_FLOOR=0.9	# pg-load throughput over the server's own binary COPY
TGT_PGEXPORT=1		# pg-export throughput over psql COPY row_to_json's

PG_SAMPLE=${BENCH_PG_SAMPLE:-50000}	# records for the row-by-row INSERT baseline
PY=/usr/bin/python3	# Debian's, with python3-psycopg2 (not a pyenv one)

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 2
}

note() {
	printf 'bench: %s\n' "$*" >&2
}

case $RECORDS in
'' | *[!0-9]* | 0) die "BENCH_RECORDS: not a positive integer: $RECORDS" ;;
esac
case $RUNS in
'' | *[!0-9]* | 0) die "BENCH_RUNS: not a positive integer: $RUNS" ;;
esac
case $PG_SAMPLE in
'' | *[!0-9]* | 0) die "BENCH_PG_SAMPLE: not a positive integer: $PG_SAMPLE" ;;
esac
[ "$PG_SAMPLE" -le "$RECORDS" ] || PG_SAMPLE=$RECORDS

for p in gen-sales agg-by-state agg-by-month; do
	[ -x "bin/$p" ] || die "bin/$p: not built (run make)"
done
for p in node /usr/bin/time; do
	command -v "$p" >/dev/null || die "$p: not found (make bench installs it)"
done
if [ "$SKIP_SLOW" != 1 ]; then
	for p in jq mlr; do
		command -v "$p" >/dev/null ||
		    die "$p: not found (make bench installs it)"
	done
fi
if [ "$SKIP_PG" != 1 ]; then
	for p in pg-load pg-export; do
		[ -x "bin/$p" ] || die "bin/$p: not built (run make)"
	done
	command -v psql >/dev/null ||
	    die "psql: not found (make bench installs postgresql-client)"
	"$PY" -c 'import psycopg2' 2>/dev/null ||
	    die "$PY: no psycopg2 (make bench installs python3-psycopg2)"
fi

mkdir -p "$DIR"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
PGDIR=	# the PostgreSQL cluster's directory while one runs
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$PGDIR" ]; then
		scripts/pg-test-server.sh stop "$PGDIR" ||
		    note "could not stop the PostgreSQL server in $PGDIR"
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------

# median and min of the numbers on standard input, as "median min".
stats() {
	sort -g | awk '{ v[NR] = $1 }
	    END {
		if (NR == 0) exit 1
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.6f %.6f\n", m, v[1]
	    }'
}

# run OUT CMD...: run CMD with standard output to OUT under GNU time;
# sets WALL (seconds, from the shell's microsecond clock), RSS (KiB) and
# CPUTIME (user + system seconds of CMD and its children).
run() {
	local out=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	if ! /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$@" >"$out" \
	    2>"$TMP/stderr"; then
		cat "$TMP/stderr" "$TMP/time" >&2 || true
		die "failed: $*"
	fi
	t1=$EPOCHREALTIME
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
	RSS=$(awk 'END { print $2 }' "$TMP/time")
	CPUTIME=$(awk 'END { printf "%.2f", $3 + $4 }' "$TMP/time")
}

# Formatting: seconds, KiB as MiB, ratios, integers with thousands commas.
fsec() { awk -v x="$1" 'BEGIN { printf "%.3f s", x }'; }
fmib() { awk -v x="$1" 'BEGIN { printf "%.1f MiB", x / 1024 }'; }
fratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
fint() {
	awk -v x="$1" 'BEGIN {
		s = sprintf("%.0f", x); o = ""
		while (length(s) > 3) {
			o = "," substr(s, length(s) - 2) o
			s = substr(s, 1, length(s) - 3)
		}
		print s o
	}'
}
# ge A B / lt A B: numeric comparisons as PASS or MISS.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? "PASS" : "MISS" }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? "PASS" : "MISS" }'; }

# canon KEY < rows: aggregate rows as sorted "key vendas motos registros
# faturado" lines, for comparing results across tools.
canon() {
	jq -r --arg k "$1" '[.[$k], .total_vendas, .quantidade_motos_vendidas,
	    .registros, .total_faturado] | @tsv' | LC_ALL=C sort
}

# same A B: do two canon files agree (integers exactly, money to a cent)?
same() {
	[ "$(wc -l <"$1")" -eq "$(wc -l <"$2")" ] || return 1
	paste "$1" "$2" | awk -F '\t' '
	    $1 != $6 || $2 != $7 || $3 != $8 || $4 != $9 { bad = 1 }
	    { d = $5 - $10; if (d < 0) d = -d; if (d > 0.0100001) bad = 1 }
	    END { exit bad }'
}

# --- machine ---------------------------------------------------------------

NPROC=$(nproc)
CPU=$(awk -F ': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[ -n "$CPU" ] || CPU=$(uname -m)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg)

# --- DuckDB from npm -------------------------------------------------------

if ! command -v npm >/dev/null; then
	note "npm not found: installing Debian's npm"
	scripts/deps.sh npm
fi
have=$(node -p "try { require('./$DIR/node_modules/@duckdb/node-api/package.json').version } catch (e) { '' }")
if [ "$have" != "$DUCKDB_PKG_VERSION" ]; then
	note "installing @duckdb/node-api@$DUCKDB_PKG_VERSION into $DIR"
	npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error \
	    "@duckdb/node-api@$DUCKDB_PKG_VERSION" >&2 ||
	    die "npm install @duckdb/node-api@$DUCKDB_PKG_VERSION failed"
fi
DUCKDB_VERSION=$(node scripts/bench-duckdb.mjs --version)

# --- input file ------------------------------------------------------------

GEN=(bin/gen-sales -n "$RECORDS" -s "$SEED" --now "$NOW")
spec="${GEN[*]} cksum=$(cksum <bin/gen-sales | awk '{ print $1 "-" $2 }')"
marker=$DATA.marker
if [ -f "$DATA" ] && [ -f "$marker" ] &&
    [ "$(cat "$marker")" = "$spec bytes=$(stat -c %s "$DATA")" ]; then
	note "reusing $DATA"
else
	note "writing $DATA (${GEN[*]})"
	rm -f "$marker"
	"${GEN[@]}" >"$DATA.tmp" || die "gen-sales failed"
	mv "$DATA.tmp" "$DATA"
	printf '%s bytes=%s\n' "$spec" "$(stat -c %s "$DATA")" >"$marker"
fi
BYTES=$(stat -c %s "$DATA")
LINES=$(wc -l <"$DATA")
[ "$LINES" -eq "$RECORDS" ] ||
    die "$DATA: $LINES lines, expected $RECORDS"
# Read it once so every timed run starts with the file in the page cache.
cat "$DATA" >/dev/null

# --- gen-sales -------------------------------------------------------------

: >"$TMP/gen.wall"
: >"$TMP/gen.rss"
for i in $(seq "$RUNS"); do
	note "gen-sales run $i/$RUNS"
	run /dev/null "${GEN[@]}"
	echo "$WALL" >>"$TMP/gen.wall"
	echo "$RSS" >>"$TMP/gen.rss"
done
read -r GEN_MED GEN_MIN < <(stats <"$TMP/gen.wall")
GEN_RSS=$(sort -n "$TMP/gen.rss" | tail -n 1)
GEN_RPS=$(awk -v n="$RECORDS" -v t="$GEN_MED" 'BEGIN { printf "%.0f", n / t }')

# --- aggregators: ours and DuckDB, runs interleaved ------------------------

# bench_kind KIND PROG KEY: fills $TMP/KIND.* files.
bench_kind() {
	local kind=$1 prog=$2 key=$3 i
	: >"$TMP/$kind.ours.wall"
	: >"$TMP/$kind.ours.rss"
	: >"$TMP/$kind.duck.wall"
	: >"$TMP/$kind.duck.proc"
	: >"$TMP/$kind.duck.rss"
	for i in $(seq "$RUNS"); do
		note "$prog run $i/$RUNS"
		run "$TMP/$kind.ours.out" "bin/$prog" "$DATA"
		echo "$WALL" >>"$TMP/$kind.ours.wall"
		echo "$RSS" >>"$TMP/$kind.ours.rss"
		note "DuckDB $kind run $i/$RUNS"
		run "$TMP/$kind.duck.out" node scripts/bench-duckdb.mjs \
		    --rows "$DATA" "$kind"
		head -n 1 "$TMP/$kind.duck.out" >>"$TMP/$kind.duck.wall"
		echo "$WALL" >>"$TMP/$kind.duck.proc"
		echo "$RSS" >>"$TMP/$kind.duck.rss"
	done
	canon "$key" <"$TMP/$kind.ours.out" >"$TMP/$kind.ours.canon"
	tail -n +2 "$TMP/$kind.duck.out" | canon "$key" >"$TMP/$kind.duck.canon"
}

bench_kind state agg-by-state estado
bench_kind month agg-by-month ano_mes

# --- jq and Miller (agg-by-state only, one run each) -----------------------

# shellcheck disable=SC2016 # jq variables, not the shell's
JQ_PROG='reduce inputs as $r ({};
	.[$r.estado] as $a
	| .[$r.estado] = [$a[0] + $r.total_vendas, $a[1] + $r.total_faturado,
	    $a[2] + $r.quantidade_moto_mais_vendida, $a[3] + 1])
    | to_entries[]
    | {estado: .key, total_vendas: .value[0], total_faturado: .value[1],
	quantidade_motos_vendidas: .value[2], registros: .value[3]}'
if [ "$SKIP_SLOW" != 1 ]; then
	note "jq run 1/1 (slow)"
	run "$TMP/jq.out" jq -c -n "$JQ_PROG" "$DATA"
	JQ_WALL=$WALL JQ_RSS=$RSS
	canon estado <"$TMP/jq.out" >"$TMP/jq.canon"
	note "Miller run 1/1 (slow)"
	run "$TMP/mlr.out" mlr --ijson --ojson stats1 -a sum,count \
	    -f total_vendas,total_faturado,quantidade_moto_mais_vendida \
	    -g estado "$DATA"
	MLR_WALL=$WALL MLR_RSS=$RSS
	jq -c '.[] | {estado, total_vendas: .total_vendas_sum,
	    total_faturado: .total_faturado_sum,
	    quantidade_motos_vendidas: .quantidade_moto_mais_vendida_sum,
	    registros: .total_vendas_count}' "$TMP/mlr.out" |
	    canon estado >"$TMP/mlr.canon"
	JQ_VERSION=$(jq --version)
	MLR_VERSION=$(mlr --version)
fi

# --- PostgreSQL: pg-load and pg-export -------------------------------------

# psql_q SQL...: run statements on the bench cluster, quietly.
psql_q() {
	psql "$URI" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null ||
	    die "psql failed: $*"
}

# psql_v SQL: one value.
psql_v() {
	psql "$URI" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" ||
	    die "psql failed: $1"
}

# empty_sales: TRUNCATE, then a CHECKPOINT so every run starts alike.
empty_sales() {
	psql_q -c 'TRUNCATE sales' -c 'CHECKPOINT'
}

# sales_digest: "rows checksum" over every row of sales, in any order.
sales_digest() {
	psql_v "SELECT count(*) || ' ' || coalesce(sum(('x' ||
	    substr(md5(t::text), 1, 16))::bit(64)::bigint), 0) FROM sales t"
}

# psql_copy NAME NOTE SQL: in run $i, time psql running SQL, a COPY of
# every record, into the emptied table: wall and CPU time to NAME.wall and
# NAME.cpu, and after the last run the table's digest to NAME.digest.
psql_copy() {
	empty_sales
	note "$2"
	run "$TMP/$1.out" psql "$URI" -X -v ON_ERROR_STOP=1 -c "$3"
	[ "$(cat "$TMP/$1.out")" = "COPY $RECORDS" ] ||
	    die "$3: $(cat "$TMP/$1.out"), expected COPY $RECORDS"
	echo "$WALL" >>"$TMP/$1.wall"
	echo "$CPUTIME" >>"$TMP/$1.cpu"
	[ "$i" -lt "$RUNS" ] || sales_digest >"$TMP/$1.digest"
}

if [ "$SKIP_PG" != 1 ]; then
	# The same rows as CSV, for \copy (untimed; kept while DATA is).
	CSV=$DIR/sales-$RECORDS-s$SEED.csv
	cspec="$(cat "$marker") conv=$(cksum <scripts/bench-pg.py |
	    awk '{ print $1 "-" $2 }')"
	if [ -f "$CSV" ] && [ -f "$CSV.marker" ] &&
	    [ "$(cat "$CSV.marker")" = "$cspec bytes=$(stat -c %s "$CSV")" ]; then
		note "reusing $CSV"
	else
		note "writing $CSV (scripts/bench-pg.py csv)"
		rm -f "$CSV.marker"
		n=$("$PY" scripts/bench-pg.py csv "$DATA" "$CSV.tmp") ||
		    die "CSV conversion failed"
		[ "$n" -eq "$RECORDS" ] || die "$CSV: $n rows, expected $RECORDS"
		mv "$CSV.tmp" "$CSV"
		printf '%s bytes=%s\n' "$cspec" "$(stat -c %s "$CSV")" \
		    >"$CSV.marker"
	fi
	cat "$CSV" >/dev/null

	# Under /tmp itself: the server runs as postgres when we are root,
	# and must reach the directory.
	PGDIR=$(mktemp -d /tmp/bench-pg.XXXXXX)
	note "starting PostgreSQL in $PGDIR"
	URI=$(scripts/pg-test-server.sh start "$PGDIR") ||
	    die "scripts/pg-test-server.sh start failed"
	export PG_URI=$URI PGCLIENTENCODING=UTF8
	PG_VERSION=$(psql_v 'SHOW server_version')
	PSYCOPG_VERSION=$("$PY" -c 'import psycopg2; print(psycopg2.__version__.split()[0])')
	psql_q -c 'CREATE TABLE sales (_id text primary key, data_venda date,
	    total_vendas bigint, total_faturado numeric, moto_mais_vendida text,
	    quantidade_moto_mais_vendida bigint, preco_total numeric,
	    cidade text, estado text, modalidade text, "timestamp" timestamptz)'

	# Row-by-row INSERTs on a sample: the rate, timed inside Python.
	: >"$TMP/rbr.wall"
	for i in $(seq "$RUNS"); do
		empty_sales
		note "row-by-row INSERT run $i/$RUNS ($PG_SAMPLE records)"
		run "$TMP/rbr.out" "$PY" scripts/bench-pg.py insert "$URI" \
		    "$DATA" "$PG_SAMPLE"
		read -r n secs <"$TMP/rbr.out"
		[ "$n" -eq "$PG_SAMPLE" ] ||
		    die "row-by-row: $n rows inserted, expected $PG_SAMPLE"
		[ "$(psql_v 'SELECT count(*) FROM sales')" -eq "$PG_SAMPLE" ] ||
		    die "row-by-row: the table does not hold $PG_SAMPLE rows"
		echo "$secs" >>"$TMP/rbr.wall"
	done

	# The server's floor: the same rows in COPY's binary format, in a
	# file in the cluster's data directory (written from an untimed
	# pg-load), read by the server itself: no client, no socket, nothing
	# to parse but binary.  No client can load the table faster.
	empty_sales
	note "pg-load, untimed, for the server's binary file"
	bin/pg-load -m replace -t sales "$DATA" 2>"$TMP/stderr" ||
	    die "pg-load (untimed): $(cat "$TMP/stderr")"
	FLOOR_FILE=$(psql_v 'SHOW data_directory')/bench-sales.bin
	psql_q -c "COPY sales TO '$FLOOR_FILE' (FORMAT binary)"

	# Bulk loads into the emptied table, interleaved; pg-load last, so
	# the table it leaves is the one exported.
	for f in copy.wall copy.cpu floor.wall floor.cpu load.wall load.cpu; do
		: >"$TMP/$f"
	done
	for i in $(seq "$RUNS"); do
		psql_copy floor "server COPY FROM its binary file, run $i/$RUNS" \
		    "COPY sales FROM '$FLOOR_FILE' (FORMAT binary)"
		psql_copy copy "psql \\copy run $i/$RUNS" \
		    "\\copy sales FROM '$CSV' CSV"

		empty_sales
		note "pg-load run $i/$RUNS"
		run /dev/null bin/pg-load -m replace -t sales "$DATA"
		grep -q "^pg-load: $RECORDS rows into 1 table" "$TMP/stderr" ||
		    die "pg-load: $(cat "$TMP/stderr")"
		echo "$WALL" >>"$TMP/load.wall"
		echo "$CPUTIME" >>"$TMP/load.cpu"
		[ "$i" -lt "$RUNS" ] || sales_digest >"$TMP/load.digest"
	done

	# Exports of the loaded table, hint bits set and statistics fresh.
	psql_q -c 'VACUUM (ANALYZE) sales' -c 'CHECKPOINT'
	for f in export.wall export.cpu rowjson.wall rowjson.cpu exportq.wall \
	    exportq.cpu; do
		: >"$TMP/$f"
	done
	for i in $(seq "$RUNS"); do
		note "pg-export run $i/$RUNS"
		run /dev/null bin/pg-export sales
		echo "$WALL" >>"$TMP/export.wall"
		echo "$CPUTIME" >>"$TMP/export.cpu"
		note "psql COPY row_to_json run $i/$RUNS"
		run /dev/null psql "$URI" -X -v ON_ERROR_STOP=1 \
		    -c "COPY (SELECT row_to_json(t) FROM sales t) TO STDOUT"
		echo "$WALL" >>"$TMP/rowjson.wall"
		echo "$CPUTIME" >>"$TMP/rowjson.cpu"
		# The same without pg-export's ORDER BY the primary key: the
		# work psql's COPY does, for attributing the difference.
		note "pg-export -q (no ORDER BY) run $i/$RUNS"
		run /dev/null bin/pg-export -q 'SELECT * FROM sales'
		echo "$WALL" >>"$TMP/exportq.wall"
		echo "$CPUTIME" >>"$TMP/exportq.cpu"
	done
	# pg-export's rows, summed by state, against the input file's sums.
	note "checking pg-export's output (agg-by-state)"
	bin/pg-export sales | bin/agg-by-state - >"$TMP/export.state" ||
	    die "pg-export | agg-by-state failed"

	note "stopping PostgreSQL"
	scripts/pg-test-server.sh stop "$PGDIR" ||
	    die "scripts/pg-test-server.sh stop $PGDIR failed"
	PGDIR=
fi

# --- report ----------------------------------------------------------------

MISMATCH=0
row() {
	# label median min rss ratio-time ratio-rss
	printf '  %-28s %10s %10s %11s %9s %9s\n' "$@"
}

echo "dataops benchmark"
echo
printf '%-9s %s\n' machine "$NPROC CPUs (nproc), $CPU, $MEM RAM"
printf '%-9s %s\n' kernel "$(uname -sr)"
printf '%-9s %s\n' date "$DATE"
printf '%-9s %s\n' load "$LOAD (1, 5, 15 min averages when the run began)"
printf '%-9s %s\n' input "$DATA: $(fint "$RECORDS") records, $(awk \
    -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')" "" "${GEN[*]}"
printf '%-9s %s\n' runs "median of $RUNS runs (min beside it); wall time, peak RSS from GNU time"
printf '%-9s %s\n' "" "input read once before timing (page cache warm)"
printf '%-9s %s\n' anchors "DuckDB $DUCKDB_VERSION (@duckdb/node-api $DUCKDB_PKG_VERSION, in-memory, SET threads=2)"
if [ "$SKIP_SLOW" != 1 ]; then
	printf '%-9s %s\n' "" "$JQ_VERSION, $MLR_VERSION (1 run each: slow)"
else
	printf '%-9s %s\n' "" "jq and Miller skipped (BENCH_SKIP_SLOW=1)"
fi
if [ "$SKIP_PG" != 1 ]; then
	printf '%-9s %s\n' "" "PostgreSQL $PG_VERSION, throw-away local cluster"
	printf '%-9s %s\n' "" "(TCP on 127.0.0.1; fsync, synchronous_commit, full_page_writes off),"
	printf '%-9s %s\n' "" "$(psql --version | sed 's/ (PostgreSQL)//'), psycopg2 $PSYCOPG_VERSION under $PY"
else
	printf '%-9s %s\n' "" "PostgreSQL skipped (BENCH_SKIP_PG=1)"
fi
echo

printf '%-30s %10s %10s %11s %14s\n' "gen-sales (to /dev/null)" median min "peak RSS" "records/s"
printf '  %-28s %10s %10s %11s %14s\n' "bin/gen-sales -n $RECORDS" \
    "$(fsec "$GEN_MED")" "$(fsec "$GEN_MIN")" "$(fmib "$GEN_RSS")" \
    "$(fint "$GEN_RPS")"
echo

# report_kind KIND PROG: the table for one aggregator; sets SPEEDUP[KIND]
# (DuckDB time / ours) and OURS_RSS[KIND] (KiB).
declare -A SPEEDUP OURS_RSS
report_kind() {
	local kind=$1 prog=$2 om on or dm dn dr dp rps
	read -r om on < <(stats <"$TMP/$kind.ours.wall")
	or=$(sort -n "$TMP/$kind.ours.rss" | tail -n 1)
	read -r dm dn < <(stats <"$TMP/$kind.duck.wall")
	read -r dp _ < <(stats <"$TMP/$kind.duck.proc")
	dr=$(sort -n "$TMP/$kind.duck.rss" | tail -n 1)
	rps=$(awk -v n="$RECORDS" -v t="$om" 'BEGIN { printf "%.0f", n / t }')

	printf '%-30s %10s %10s %11s %9s %9s\n' "$prog" median min "peak RSS" \
	    "time/ours" "RSS/ours"
	row "ours: bin/$prog" "$(fsec "$om")" "$(fsec "$on")" "$(fmib "$or")" \
	    "1.00x" "1.00x"
	row "DuckDB: query only" "$(fsec "$dm")" "$(fsec "$dn")" \
	    "$(fmib "$dr")" "$(fratio "$dm" "$om")" "$(fratio "$dr" "$or")"
	if [ "$kind" = state ] && [ "$SKIP_SLOW" != 1 ]; then
		row "jq: reduce (1 run)" "$(fsec "$JQ_WALL")" - \
		    "$(fmib "$JQ_RSS")" "$(fratio "$JQ_WALL" "$om")" \
		    "$(fratio "$JQ_RSS" "$or")"
		row "Miller: stats1 (1 run)" "$(fsec "$MLR_WALL")" - \
		    "$(fmib "$MLR_RSS")" "$(fratio "$MLR_WALL" "$om")" \
		    "$(fratio "$MLR_RSS" "$or")"
	fi
	printf '  ours: %s records/s; DuckDB whole node process (start-up + query): median %s\n' \
	    "$(fint "$rps")" "$(fsec "$dp")"
	local agree="DuckDB"
	if ! same "$TMP/$kind.ours.canon" "$TMP/$kind.duck.canon"; then
		agree="" MISMATCH=1
		printf '  RESULTS DIFFER: ours vs DuckDB\n'
	fi
	if [ "$kind" = state ] && [ "$SKIP_SLOW" != 1 ]; then
		for a in jq:jq mlr:Miller; do
			if same "$TMP/$kind.ours.canon" "$TMP/${a%:*}.canon"; then
				agree="$agree${agree:+, }${a#*:}"
			else
				MISMATCH=1
				printf '  RESULTS DIFFER: ours vs %s\n' "${a#*:}"
			fi
		done
	fi
	if [ -n "$agree" ]; then
		printf '  same aggregates as: %s (%s groups)\n' "$agree" \
		    "$(wc -l <"$TMP/$kind.ours.canon")"
	fi
	echo
	SPEEDUP[$kind]=$(awk -v a="$dm" -v b="$om" 'BEGIN { printf "%.2f", a / b }')
	OURS_RSS[$kind]=$or
}

report_kind state agg-by-state
report_kind month agg-by-month

# The PostgreSQL tables; sets LOAD_VS_COPY, LOAD_VS_RBR, EXPORT_VS_PSQL.
if [ "$SKIP_PG" != 1 ]; then
	prow() {
		# label median min cpu rows/s time/ours
		printf '  %-34s %10s %10s %10s %12s %9s\n' "$@"
	}
	read -r lm ln < <(stats <"$TMP/load.wall")
	read -r lc _ < <(stats <"$TMP/load.cpu")
	read -r cm cn < <(stats <"$TMP/copy.wall")
	read -r cc _ < <(stats <"$TMP/copy.cpu")
	read -r rm rn < <(stats <"$TMP/rbr.wall")
	read -r fm fn < <(stats <"$TMP/floor.wall")
	lrps=$(awk -v n="$RECORDS" -v t="$lm" 'BEGIN { printf "%.0f", n / t }')
	crps=$(awk -v n="$RECORDS" -v t="$cm" 'BEGIN { printf "%.0f", n / t }')
	rrps=$(awk -v n="$PG_SAMPLE" -v t="$rm" 'BEGIN { printf "%.0f", n / t }')
	rext=$(awk -v n="$RECORDS" -v r="$rrps" 'BEGIN { printf "%.6f", n / r }')
	frps=$(awk -v n="$RECORDS" -v t="$fm" 'BEGIN { printf "%.0f", n / t }')

	printf '%-36s %10s %10s %10s %12s %9s\n' \
	    "pg-load ($(fint "$RECORDS") rows)" median min "client CPU" \
	    "rows/s" "time/ours"
	prow "ours: bin/pg-load -m replace" "$(fsec "$lm")" "$(fsec "$ln")" \
	    "$(fsec "$lc")" "$(fint "$lrps")" "1.00x"
	prow "psql \\copy, CSV" "$(fsec "$cm")" "$(fsec "$cn")" \
	    "$(fsec "$cc")" "$(fint "$crps")" "$(fratio "$cm" "$lm")"
	prow "row-by-row INSERT, $(fint "$PG_SAMPLE") rows" "$(fsec "$rm")" \
	    "$(fsec "$rn")" - "$(fint "$rrps")" "$(fratio "$lrps" "$rrps")"
	prow "server floor: COPY FROM its file" "$(fsec "$fm")" "$(fsec "$fn")" \
	    - "$(fint "$frps")" "$(fratio "$fm" "$lm")"
	echo "  each run loads into the emptied table (TRUNCATE + CHECKPOINT before it,"
	echo "  untimed); pg-load -m replace still runs its DELETE, on no rows."
	printf '  row-by-row: psycopg2, one INSERT per record, one transaction, on the\n'
	if [ "$PG_SAMPLE" -lt "$RECORDS" ]; then
		printf '  first %s records (INSERTs + COMMIT timed in Python); %s rows at\n' \
		    "$(fint "$PG_SAMPLE")" "$(fint "$RECORDS")"
		printf '  that rate: about %s (extrapolated, not measured); time/ours from rows/s.\n' \
		    "$(fsec "$rext")"
	else
		printf '  %s records (INSERTs + COMMIT timed in Python); time/ours from rows/s.\n' \
		    "$(fint "$PG_SAMPLE")"
	fi
	echo "  server floor: COPY sales FROM a file of the same rows in binary format"
	echo "  in the server's data directory: the server's own work, no client; its"
	printf '  rate is %s row-by-row'"'"'s, the most any client could reach.\n' \
	    "$(fratio "$frps" "$rrps")"
	LOAD_DIGEST=$(cat "$TMP/load.digest")
	COPY_DIGEST=$(cat "$TMP/copy.digest")
	FLOOR_DIGEST=$(cat "$TMP/floor.digest")
	if [ "$LOAD_DIGEST" = "$COPY_DIGEST" ] &&
	    [ "$LOAD_DIGEST" = "$FLOOR_DIGEST" ] &&
	    [ "${LOAD_DIGEST%% *}" = "$RECORDS" ]; then
		echo "  same table contents: pg-load, \\copy and the server's file ($(fint "$RECORDS") rows, checksum of every row)"
	else
		MISMATCH=1
		printf '  RESULTS DIFFER: pg-load (%s) vs \\copy (%s) vs server file (%s): rows checksum\n' \
		    "$LOAD_DIGEST" "$COPY_DIGEST" "$FLOOR_DIGEST"
	fi
	echo

	read -r em en < <(stats <"$TMP/export.wall")
	read -r ec _ < <(stats <"$TMP/export.cpu")
	read -r jm jn < <(stats <"$TMP/rowjson.wall")
	read -r jc _ < <(stats <"$TMP/rowjson.cpu")
	read -r qm qn < <(stats <"$TMP/exportq.wall")
	read -r qc _ < <(stats <"$TMP/exportq.cpu")
	qrps=$(awk -v n="$RECORDS" -v t="$qm" 'BEGIN { printf "%.0f", n / t }')
	erps=$(awk -v n="$RECORDS" -v t="$em" 'BEGIN { printf "%.0f", n / t }')
	jrps=$(awk -v n="$RECORDS" -v t="$jm" 'BEGIN { printf "%.0f", n / t }')
	printf '%-36s %10s %10s %10s %12s %9s\n' \
	    "pg-export (to /dev/null)" median min "client CPU" "rows/s" \
	    "time/ours"
	prow "ours: bin/pg-export sales" "$(fsec "$em")" "$(fsec "$en")" \
	    "$(fsec "$ec")" "$(fint "$erps")" "1.00x"
	prow "psql: COPY (row_to_json(t))" "$(fsec "$jm")" "$(fsec "$jn")" \
	    "$(fsec "$jc")" "$(fint "$jrps")" "$(fratio "$jm" "$em")"
	prow "ours, no ORDER BY: pg-export -q" "$(fsec "$qm")" "$(fsec "$qn")" \
	    "$(fsec "$qc")" "$(fint "$qrps")" "$(fratio "$qm" "$em")"
	echo "  pg-export sales: SELECT * ORDER BY the primary key, COPY text, JSON"
	echo "  built by the client; psql: COPY (SELECT row_to_json(t) FROM sales t)"
	echo "  TO STDOUT, JSON built by the server, no ORDER BY; pg-export -q"
	echo "  'SELECT * FROM sales': pg-export without the ORDER BY (not a target)."
	printf '  psql time / pg-export -q time (both unordered): %s\n' \
	    "$(fratio "$jm" "$qm")"
	if cmp -s "$TMP/export.state" "$TMP/state.ours.out"; then
		echo "  pg-export's rows, summed by agg-by-state: same as the input file's"
	else
		MISMATCH=1
		echo "  RESULTS DIFFER: pg-export | agg-by-state vs agg-by-state on the input file"
	fi
	echo

	LOAD_VS_COPY=$(awk -v a="$cm" -v b="$lm" 'BEGIN { printf "%.2f", a / b }')
	LOAD_VS_RBR=$(awk -v a="$lrps" -v b="$rrps" 'BEGIN { printf "%.1f", a / b }')
	FLOOR_VS_RBR=$(awk -v a="$frps" -v b="$rrps" 'BEGIN { printf "%.1f", a / b }')
	LOAD_VS_FLOOR=$(awk -v a="$fm" -v b="$lm" 'BEGIN { printf "%.2f", a / b }')
	EXPORT_VS_PSQL=$(awk -v a="$jm" -v b="$em" 'BEGIN { printf "%.2f", a / b }')
fi

printf '%-44s %16s %7s\n' "targets" measured result
printf '  %-42s %16s %7s\n' \
    "gen-sales >= $(fint "$TGT_GEN_RPS") records/s" \
    "$(fint "$GEN_RPS")/s" "$(ge "$GEN_RPS" "$TGT_GEN_RPS")"
for k in state month; do
	sp=${SPEEDUP[$k]} rs=${OURS_RSS[$k]}
	printf '  %-42s %16s %7s\n' \
	    "agg-by-$k >= ${TGT_SPEEDUP}x DuckDB throughput" "${sp}x" \
	    "$(ge "$sp" "$TGT_SPEEDUP")"
	printf '  %-42s %16s %7s\n' \
	    "agg-by-$k peak RSS < $((TGT_RSS_KIB / 1024)) MiB" "$(fmib "$rs")" \
	    "$(lt "$rs" "$TGT_RSS_KIB")"
done
if [ "$SKIP_PG" != 1 ]; then
	printf '  %-42s %16s %7s\n' \
	    "pg-load >= ${TGT_PGLOAD_COPY}x psql \\copy throughput" \
	    "${LOAD_VS_COPY}x" "$(ge "$LOAD_VS_COPY" "$TGT_PGLOAD_COPY")"
	printf '  %-42s %16s %7s\n' \
	    "pg-load >= ${TGT_PGLOAD_RBR}x row-by-row INSERT rate" \
	    "${LOAD_VS_RBR}x" "$(ge "$LOAD_VS_RBR" "$TGT_PGLOAD_RBR")"
	if [ "$(ge "$FLOOR_VS_RBR" "$TGT_PGLOAD_RBR")" = MISS ]; then
		printf '    (out of reach on this server: its own COPY of a binary file is %sx)\n' \
		    "$FLOOR_VS_RBR"
	fi
	printf '  %-42s %16s %7s\n' \
	    "pg-load >= ${TGT_PGLOAD_FLOOR}x the server's floor" \
	    "${LOAD_VS_FLOOR}x" "$(ge "$LOAD_VS_FLOOR" "$TGT_PGLOAD_FLOOR")"
	printf '  %-42s %16s %7s\n' \
	    "pg-export >= ${TGT_PGEXPORT}x psql COPY row_to_json" \
	    "${EXPORT_VS_PSQL}x" "$(ge "$EXPORT_VS_PSQL" "$TGT_PGEXPORT")"
fi
echo
echo "time/ours = anchor time / our time (> 1: ours is faster);"
echo "RSS/ours = anchor peak RSS / ours (> 1: ours uses less memory)."
echo "DuckDB's time is the query alone, timed inside the script; ours is"
echo "the whole process, with its default -j ($NPROC threads, the online CPUs)."
echo "jq and Miller group by estado only."
if [ "$SKIP_PG" != 1 ]; then
	echo "PostgreSQL: client CPU = user + system time of the client process"
	echo "(GNU time); the server's own work is not in it.  The server and the"
	echo "client share the machine's $NPROC CPUs."
fi

# --- MongoDB: mongo-load and mongo-export ----------------------------------
#
# Knobs (environment):
#   BENCH_SKIP_MONGO=1     skip this section
#   BENCH_MONGO_RECORDS    documents loaded and exported (default 200000;
#                          against FerretDB each 1M-document run takes
#                          minutes: fewer keep a run under a minute)
#
# A MongoDB-wire server from `scripts/mongo-test-server.sh start` in a
# fresh mktemp -d directory under /tmp (MONGO_TEST_URI if set, else mongod,
# else FerretDB on SQLite; stopped and removed on exit), database bench,
# collection sales.  The input is `bin/gen-sales -n N -s 2 --now ...` in
# bin/bench/sales-N-s2.ndjson (kept while its marker matches, like the
# file above).  Loads, runs interleaved, each into an absent collection
# (dropped, untimed, before it; both still send their own drop):
# `bin/mongo-load --drop FILE` against the original Python way,
# scripts/bench-mongo.py load: json.loads per line, pymongo insert_many in
# batches of 1,000 (/usr/bin/python3, Debian's python3-pymongo).  Exports
# of the collection mongo-load left, to /dev/null, interleaved:
# `bin/mongo-export` against scripts/bench-mongo.py export: pymongo find()
# and json.dumps per document.  Wall time from the shell's clock, client
# CPU (user + system of the client process) from GNU time, server CPU
# from /proc/PID/stat of the server (utime + stime, before and after each
# run; "-" when the server is not one started here, e.g. MONGO_TEST_URI).
# Checks, untimed: both loads leave the same documents (mongo-export
# --canonical, sorted, checksummed: types included); pymongo's export is
# byte for byte mongo-export's; mongo-export's output summed by
# agg-by-state equals agg-by-state on the input file.  A difference sets
# MISMATCH; a MISS of a target is only reported.

MONGODIR=	# the MongoDB-wire server's directory while one runs

# mongo_server_stop: stop the server of MONGODIR, if one runs.
# shellcheck disable=SC2317 # called by the EXIT trap
mongo_server_stop() {
	if [ -n "$MONGODIR" ]; then
		scripts/mongo-test-server.sh stop "$MONGODIR" ||
		    note "could not stop the MongoDB-wire server in $MONGODIR"
		MONGODIR=
	fi
}

# mongo_server_ticks PID: utime + stime of PID in clock ticks, or "-".
mongo_server_ticks() {
	local s
	if [ -z "$1" ] || ! s=$(cat "/proc/$1/stat" 2>/dev/null); then
		echo -
		return
	fi
	# After "PID (COMM) ", utime and stime are the 12th and 13th fields.
	awk '{ print $12 + $13 }' <<<"${s##*) }"
}

# mongo_run LABEL OUT CMD...: run(), plus the server's CPU seconds in MONGO_SCPU.
mongo_run() {
	local label=$1 out=$2 a b
	shift 2
	note "$label"
	a=$(mongo_server_ticks "$mpid")
	run "$out" "$@"
	b=$(mongo_server_ticks "$mpid")
	if [ "$a" = - ] || [ "$b" = - ]; then
		MONGO_SCPU=-
	else
		MONGO_SCPU=$(awk -v a="$a" -v b="$b" -v hz="$hz" \
		    'BEGIN { printf "%.2f", (b - a) / hz }')
	fi
}

# mongo_digest: "documents checksum" of the collection, in any order.
mongo_digest() {
	"${menv[@]}" bin/mongo-export --canonical >"$TMP/mongo.canon" ||
	    die "mongo-export --canonical failed"
	printf '%s %s\n' "$(wc -l <"$TMP/mongo.canon")" \
	    "$(LC_ALL=C sort "$TMP/mongo.canon" | cksum | tr ' ' -)"
}

# mongo_stat FILE: "median min" of FILE, or "- -" when it holds a "-".
mongo_stat() {
	if grep -q -- - "$1"; then echo "- -"; else stats <"$1"; fi
}

mongo_sec() { if [ "$1" = - ]; then echo -; else fsec "$1"; fi; }

mongo_row() {
	# label median min client-CPU server-CPU docs/s time/ours
	printf '  %-34s %9s %9s %10s %10s %9s %9s\n' "$@"
}

mongo_head() {
	printf '%-36s %9s %9s %10s %10s %9s %9s\n' "$1" median min \
	    "client CPU" "server CPU" "docs/s" "time/ours"
}

# mongo_trap_command "$(trap -p EXIT)": the COMMAND of "trap -- 'COMMAND'
# EXIT", or nothing.
mongo_trap_command() {
	[ -n "$1" ] || return 0
	eval "set -- $1"
	printf '%s' "${3:-}"
}

bench_mongo() {
	local n=${BENCH_MONGO_RECORDS:-200000} seed=2 data mmarker mspec
	local muri mpid hz prev_trap old_trap i p f coll=sales db=bench
	local lm ln lc lsc pm pn pc psc em en ec es xm xn xc xs
	local lrps prps erps xrps py_digest ml_digest server pymongo_version
	local mv fv mload0 mload1
	local load_wall load_cpu export_wall export_cpu
	local -a menv gen

	case $n in
	'' | *[!0-9]* | 0)
		die "BENCH_MONGO_RECORDS: not a positive integer: $n" ;;
	esac
	for p in mongo-load mongo-export agg-by-state gen-sales; do
		[ -x "bin/$p" ] || die "bin/$p: not built (run make)"
	done
	"$PY" -c 'import pymongo' 2>/dev/null ||
	    die "$PY: no pymongo (make bench installs python3-pymongo)"
	hz=$(getconf CLK_TCK)

	# The input: its own seed, so it is not a prefix of the one above.
	data=$DIR/sales-$n-s$seed.ndjson
	gen=(bin/gen-sales -n "$n" -s "$seed" --now "$NOW")
	mmarker=$data.marker
	mspec="${gen[*]} cksum=$(cksum <bin/gen-sales | awk '{ print $1 "-" $2 }')"
	if [ -f "$data" ] && [ -f "$mmarker" ] &&
	    [ "$(cat "$mmarker")" = "$mspec bytes=$(stat -c %s "$data")" ]; then
		note "reusing $data"
	else
		note "writing $data (${gen[*]})"
		rm -f "$mmarker"
		"${gen[@]}" >"$data.tmp" || die "gen-sales failed"
		mv "$data.tmp" "$data"
		printf '%s bytes=%s\n' "$mspec" "$(stat -c %s "$data")" \
		    >"$mmarker"
	fi
	[ "$(wc -l <"$data")" -eq "$n" ] || die "$data: not $n lines"
	cat "$data" >/dev/null
	bin/agg-by-state "$data" >"$TMP/mongo.input.state" ||
	    die "agg-by-state $data failed"

	# The server; its stop chained before whatever EXIT trap is set.
	MONGODIR=$(mktemp -d /tmp/dataops-mongo.XXXXXX)
	prev_trap=$(trap -p EXIT)
	old_trap=$(mongo_trap_command "$prev_trap")
	# shellcheck disable=SC2064 # the old trap's command, expanded now
	trap "mongo_server_stop${old_trap:+; $old_trap}" EXIT
	note "starting a MongoDB-wire server in $MONGODIR"
	mload0=$(cut -d ' ' -f 1-3 /proc/loadavg)
	muri=$(scripts/mongo-test-server.sh start "$MONGODIR") ||
	    die "scripts/mongo-test-server.sh start failed"
	mpid=
	[ -f "$MONGODIR/pid" ] && mpid=$(cat "$MONGODIR/pid")
	menv=(env MONGO_URI="$muri" MONGO_DB="$db" MONGO_COLLECTION="$coll")
	read -r pymongo_version mv fv < <("$PY" -c '
import sys, pymongo
i = pymongo.MongoClient(sys.argv[1]).server_info()
print(pymongo.version, i["version"], i.get("ferretdbVersion", "-"))' \
	    "$muri") || die "cannot ask $muri for its version"
	if [ "$fv" = - ]; then
		server="MongoDB $mv"
	else
		# Built from tests/ferretdb, FerretDB says "unknown".
		[ "$fv" != unknown ] || fv=$(awk '$1 == "require" &&
		    $2 == "github.com/FerretDB/FerretDB" { print $3 }' \
		    tests/ferretdb/go.mod)
		server="FerretDB ${fv:-(version unknown)} (reports MongoDB $mv)"
	fi


	for f in ml.wall ml.cpu ml.scpu py.wall py.cpu py.scpu \
	    me.wall me.cpu me.scpu pe.wall pe.cpu pe.scpu; do
		: >"$TMP/mongo.$f"
	done
	for i in $(seq "$RUNS"); do
		"${menv[@]}" bin/mongo-load --drop /dev/null 2>/dev/null ||
		    die "mongo-load --drop /dev/null failed"
		mongo_run "pymongo insert_many run $i/$RUNS" "$TMP/mongo.py.out" \
		    "$PY" scripts/bench-mongo.py load "$muri" "$db" "$coll" \
		    "$data"
		[ "$(cat "$TMP/mongo.py.out")" = "$n" ] ||
		    die "pymongo load: $(cat "$TMP/mongo.py.out") inserted, expected $n"
		echo "$WALL" >>"$TMP/mongo.py.wall"
		echo "$CPUTIME" >>"$TMP/mongo.py.cpu"
		echo "$MONGO_SCPU" >>"$TMP/mongo.py.scpu"
		[ "$i" -lt "$RUNS" ] || py_digest=$(mongo_digest)

		"${menv[@]}" bin/mongo-load --drop /dev/null 2>/dev/null ||
		    die "mongo-load --drop /dev/null failed"
		mongo_run "mongo-load run $i/$RUNS" /dev/null \
		    "${menv[@]}" bin/mongo-load --drop "$data"
		grep -q "^mongo-load: $n read, $n inserted" "$TMP/stderr" ||
		    die "mongo-load: $(cat "$TMP/stderr")"
		echo "$WALL" >>"$TMP/mongo.ml.wall"
		echo "$CPUTIME" >>"$TMP/mongo.ml.cpu"
		echo "$MONGO_SCPU" >>"$TMP/mongo.ml.scpu"
		[ "$i" -lt "$RUNS" ] || ml_digest=$(mongo_digest)
	done

	for i in $(seq "$RUNS"); do
		mongo_run "mongo-export run $i/$RUNS" /dev/null \
		    "${menv[@]}" bin/mongo-export
		echo "$WALL" >>"$TMP/mongo.me.wall"
		echo "$CPUTIME" >>"$TMP/mongo.me.cpu"
		echo "$MONGO_SCPU" >>"$TMP/mongo.me.scpu"
		mongo_run "pymongo find + json.dumps run $i/$RUNS" /dev/null \
		    "$PY" scripts/bench-mongo.py export "$muri" "$db" "$coll"
		[ "$(cat "$TMP/stderr")" = "$n" ] ||
		    die "pymongo export: $(cat "$TMP/stderr") documents, expected $n"
		echo "$WALL" >>"$TMP/mongo.pe.wall"
		echo "$CPUTIME" >>"$TMP/mongo.pe.cpu"
		echo "$MONGO_SCPU" >>"$TMP/mongo.pe.scpu"
	done
	note "checking the exports (agg-by-state; pymongo's output)"
	"${menv[@]}" bin/mongo-export >"$TMP/mongo.export" ||
	    die "mongo-export failed"
	"$PY" scripts/bench-mongo.py export "$muri" "$db" "$coll" \
	    >"$TMP/mongo.pyexport" 2>/dev/null || die "pymongo export failed"
	bin/agg-by-state "$TMP/mongo.export" >"$TMP/mongo.export.state" ||
	    die "agg-by-state on mongo-export's output failed"

	mload1=$(cut -d ' ' -f 1-3 /proc/loadavg)
	note "stopping the MongoDB-wire server"
	scripts/mongo-test-server.sh stop "$MONGODIR" ||
	    die "scripts/mongo-test-server.sh stop $MONGODIR failed"
	MONGODIR=
	if [ -n "$old_trap" ]; then
		trap -- "$old_trap" EXIT
	else
		trap - EXIT
	fi

	# --- the MongoDB report ---
	read -r lm ln < <(stats <"$TMP/mongo.ml.wall")
	read -r lc _ < <(stats <"$TMP/mongo.ml.cpu")
	read -r lsc _ < <(mongo_stat "$TMP/mongo.ml.scpu")
	read -r pm pn < <(stats <"$TMP/mongo.py.wall")
	read -r pc _ < <(stats <"$TMP/mongo.py.cpu")
	read -r psc _ < <(mongo_stat "$TMP/mongo.py.scpu")
	read -r em en < <(stats <"$TMP/mongo.me.wall")
	read -r ec _ < <(stats <"$TMP/mongo.me.cpu")
	read -r es _ < <(mongo_stat "$TMP/mongo.me.scpu")
	read -r xm xn < <(stats <"$TMP/mongo.pe.wall")
	read -r xc _ < <(stats <"$TMP/mongo.pe.cpu")
	read -r xs _ < <(mongo_stat "$TMP/mongo.pe.scpu")
	lrps=$(awk -v n="$n" -v t="$lm" 'BEGIN { printf "%.0f", n / t }')
	prps=$(awk -v n="$n" -v t="$pm" 'BEGIN { printf "%.0f", n / t }')
	erps=$(awk -v n="$n" -v t="$em" 'BEGIN { printf "%.0f", n / t }')
	xrps=$(awk -v n="$n" -v t="$xm" 'BEGIN { printf "%.0f", n / t }')

	echo
	echo "MongoDB: $server, throw-away, 127.0.0.1"
	printf '  input %s: %s documents (%s)\n' "$data" "$(fint "$n")" \
	    "${gen[*]}"
	printf '  pymongo %s under %s; median of %s runs (min beside it)\n' \
	    "$pymongo_version" "$PY" "$RUNS"
	printf '  load %s at the start of this section, %s at its end\n' \
	    "$mload0" "$mload1"
	echo
	mongo_head "mongo-load ($(fint "$n") docs)"
	mongo_row "ours: bin/mongo-load --drop" "$(fsec "$lm")" "$(fsec "$ln")" \
	    "$(fsec "$lc")" "$(mongo_sec "$lsc")" "$(fint "$lrps")" "1.00x"
	mongo_row "pymongo: insert_many, 1,000/batch" "$(fsec "$pm")" \
	    "$(fsec "$pn")" "$(fsec "$pc")" "$(mongo_sec "$psc")" "$(fint "$prps")" \
	    "$(fratio "$pm" "$lm")"
	echo "  each run loads into an absent collection (dropped untimed before"
	echo "  it); pymongo: json.loads per line, insert_many (ordered) per 1,000;"
	echo "  mongo-load: unordered bulk inserts of 1,000 (its default)."
	if [ "$py_digest" = "$ml_digest" ] && [ "${ml_digest%% *}" = "$n" ]; then
		echo "  same documents: mongo-load and pymongo ($(fint "$n"), canonical extended JSON, checksum)"
	else
		MISMATCH=1
		printf '  RESULTS DIFFER: mongo-load (%s) vs pymongo (%s): documents checksum\n' \
		    "$ml_digest" "$py_digest"
	fi
	echo
	mongo_head "mongo-export (to /dev/null)"
	mongo_row "ours: bin/mongo-export" "$(fsec "$em")" "$(fsec "$en")" \
	    "$(fsec "$ec")" "$(mongo_sec "$es")" "$(fint "$erps")" "1.00x"
	mongo_row "pymongo: find() + json.dumps" "$(fsec "$xm")" "$(fsec "$xn")" \
	    "$(fsec "$xc")" "$(mongo_sec "$xs")" "$(fint "$xrps")" \
	    "$(fratio "$xm" "$em")"
	echo "  pymongo: find() with its defaults, json.dumps(doc, ensure_ascii=False,"
	echo "  separators=(',', ':')) per document (not bson.json_util), one write each."
	if cmp -s "$TMP/mongo.export" "$TMP/mongo.pyexport"; then
		echo "  same output, byte for byte: mongo-export and pymongo + json.dumps"
	else
		MISMATCH=1
		echo "  RESULTS DIFFER: mongo-export vs pymongo + json.dumps (bytes)"
	fi
	if cmp -s "$TMP/mongo.export.state" "$TMP/mongo.input.state"; then
		echo "  mongo-export's documents, summed by agg-by-state: same as the input file's"
	else
		MISMATCH=1
		echo "  RESULTS DIFFER: mongo-export | agg-by-state vs agg-by-state on the input file"
	fi
	echo

	load_wall=$(awk -v a="$pm" -v b="$lm" 'BEGIN { printf "%.2f", a / b }')
	load_cpu=$(awk -v a="$pc" -v b="$lc" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 999 }')
	export_wall=$(awk -v a="$xm" -v b="$em" 'BEGIN { printf "%.2f", a / b }')
	export_cpu=$(awk -v a="$xc" -v b="$ec" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 999 }')
	printf '%-44s %16s %7s\n' "MongoDB targets (pymongo / ours)" measured result
	printf '  %-42s %16s %7s\n' "mongo-load wall time <= pymongo's" \
	    "${load_wall}x" "$(ge "$load_wall" 1)"
	printf '  %-42s %16s %7s\n' "mongo-load client CPU <= 1/3 pymongo's" \
	    "${load_cpu}x" "$(ge "$load_cpu" 3)"
	printf '  %-42s %16s %7s\n' "mongo-export wall time <= pymongo's" \
	    "${export_wall}x" "$(ge "$export_wall" 1)"
	printf '  %-42s %16s %7s\n' "mongo-export client CPU <= 1/3 pymongo's" \
	    "${export_cpu}x" "$(ge "$export_cpu" 3)"
	echo
	echo "MongoDB: client CPU = user + system time of the client process (GNU"
	echo "time); server CPU = the server process's user + system time over the"
	echo "run (/proc/PID/stat).  Server and client share the machine's $NPROC CPUs."
}

if [ "${BENCH_SKIP_MONGO:-0}" != 1 ]; then
	bench_mongo
fi

exit "$MISMATCH"
