#!/usr/bin/env bash
# Benchmark driver (`make bench`): times gen-sales, agg-by-state and
# agg-by-month on one file of sale records, side by side with DuckDB (npm
# @duckdb/node-api), jq and Miller on the same file, and prints a plain
# table for the README on standard output (progress goes to standard error).
#
# Knobs (environment):
#   BENCH_RECORDS        records in the input file (default 2000000)
#   BENCH_RUNS           timed runs per program; median and min (default 5)
#   BENCH_SKIP_SLOW=1    skip jq and Miller (one run each, slow)
#   BENCH_DUCKDB_VERSION @duckdb/node-api version (default below)
#
# The input is written by `bin/gen-sales -n N -s 1 --now ...` to
# bin/bench/sales-N-s1.ndjson and reused while its marker file (command,
# gen-sales checksum, byte size) still matches.  DuckDB is installed with
# npm into bin/bench/node_modules.  Exit status: 0 when every measurement
# ran and every tool computed the same aggregates (a MISS of a target is
# reported, not an error), 1 when the results disagree, >1 on failure.

set -euo pipefail

cd "$(dirname "$0")/.."

RECORDS=${BENCH_RECORDS:-2000000}
RUNS=${BENCH_RUNS:-5}
SKIP_SLOW=${BENCH_SKIP_SLOW:-0}
DUCKDB_PKG_VERSION=${BENCH_DUCKDB_VERSION:-1.5.6-r.1}
SEED=1
NOW=2025-06-30T12:00:00Z
DIR=bin/bench
DATA=$DIR/sales-$RECORDS-s$SEED.ndjson

# Targets.
TGT_GEN_RPS=2000000	# gen-sales records/s, at least
TGT_SPEEDUP=1.5		# agg-by-* throughput over DuckDB's, at least
TGT_RSS_KIB=16384	# agg-by-* peak RSS, below (16 MiB)

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

mkdir -p "$DIR"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

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
# sets WALL (seconds, from the shell's microsecond clock) and RSS (KiB).
run() {
	local out=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	if ! /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$out" \
	    2>"$TMP/stderr"; then
		cat "$TMP/stderr" "$TMP/time" >&2 || true
		die "failed: $*"
	fi
	t1=$EPOCHREALTIME
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
	RSS=$(awk 'END { print $2 }' "$TMP/time")
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
echo
echo "time/ours = anchor time / our time (> 1: ours is faster);"
echo "RSS/ours = anchor peak RSS / ours (> 1: ours uses less memory)."
echo "DuckDB's time is the query alone, timed inside the script; ours is"
echo "the whole process, with its default -j ($NPROC threads, the online CPUs)."
echo "jq and Miller group by estado only."

exit "$MISMATCH"
