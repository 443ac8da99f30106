#!/usr/bin/env bash
#
# tests/fuzz/run.sh [TARGET...]: run the libFuzzer targets built in
# bin/fuzz/ (make fuzz builds them and calls this), each for FUZZ_SECONDS
# seconds (default 60; 0 runs only the seeds and the corpus once).
#
# Each target first replays its saved crashes (tests/fuzz/crashes/
# TARGET-*): they stay as regression inputs once fixed.  Then it fuzzes,
# seeded from tests/fixtures/*.ndjson, every file under tests/corpus/ (as
# it is at run time) and tests/fuzz/seeds/TARGET/, cut to what the target
# reads; what it learns is kept in bin/fuzz/corpus/TARGET for the next
# run.  A new crash is written to tests/fuzz/crashes/TARGET-crash-SHA1
# (or -leak-, -timeout-, -oom-): reproduce with bin/fuzz/TARGET FILE.
#
# Then a table: seconds, executions and coverage per target.  The last
# line is "N passed, N failed", as make check's is: one test per saved
# crash replayed and one per target fuzzed without a crash (a target whose
# saved crash still fails is not fuzzed).  Exits 1 when a target crashed
# or a saved crash still fails.

set -uo pipefail

cd "$(dirname "$0")/../.." || exit 70

secs=${FUZZ_SECONDS:-60}
bin=bin/fuzz
crashes=tests/fuzz/crashes
if [[ ! $secs =~ ^[0-9]+$ ]]; then
	echo "fuzz: FUZZ_SECONDS must be a number of seconds, not $secs" >&2
	exit 64
fi

if (($# > 0)); then
	targets=("$@")
else
	targets=()
	for src in tests/fuzz/*.c; do
		t=$(basename "$src" .c)
		[[ $t == oracle ]] || targets+=("$t")
	done
fi

# What each target reads, and how long an input may be.
max_len() {
	case $1 in
	ndjson_sale | extjson) echo 16384 ;;
	*) echo 4096 ;;
	esac
}
dict() {
	case $1 in
	ndjson_sale | extjson) echo tests/fuzz/json.dict ;;
	money) echo tests/fuzz/money.dict ;;
	esac
}

# seed TARGET DIR: write TARGET's seeds into DIR, from the fixtures, the
# hostile corpus (whatever is in tests/corpus/ now) and hand-made seeds.
seed() {
	rm -rf "$2" && mkdir -p "$2" || return 1
	python3 - "$1" "$2" tests/fixtures tests/corpus "tests/fuzz/seeds/$1" <<'PY'
import hashlib, os, re, sys

target, out, *roots = sys.argv[1:]
CAP = 1 << 20           # bytes read from one file
LINES = 2000            # lines taken from one file
NUMBER = re.compile(rb'-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?')
WRAPPED = re.compile(rb'"\$number\w+"\s*:\s*"([^"]*)"')
DATE = re.compile(rb'\d{4}-\d\d-\d\d(?:[Tt ][0-9:.]+(?:[Zz]|[+-]\d\d:\d\d)?)?')

def files():
    for root in roots:
        if not os.path.isdir(root):
            continue
        if root.endswith("/fixtures"):
            names = [os.path.join(root, n) for n in sorted(os.listdir(root))
                     if n.endswith(".ndjson")]
        else:
            names = []
            for d, dirs, ns in os.walk(root):
                dirs[:] = sorted(x for x in dirs if x[0] not in "._")
                names += [os.path.join(d, n) for n in sorted(ns)
                          if not n.endswith((".pyc", ".py"))]
        for name in names:
            if os.path.isfile(name):
                with open(name, "rb") as f:
                    yield root, f.read(CAP)

seen = set()
def put(data):
    h = hashlib.sha1(data).hexdigest()
    if h not in seen:
        seen.add(h)
        with open(os.path.join(out, h), "wb") as f:
            f.write(data)

for root, text in files():
    if root.endswith("/" + target):
        put(text)       # a hand-made seed, as it is
        continue
    lines = text.split(b"\n")[:LINES]
    if target == "ndjson_sale":
        # options: cut after one line, no long first line, nothing needed
        put(b"\x09\x00\x00" + text[:65536])
        for line in lines:
            put(b"\x09\x00\x00" + line)
    elif target == "extjson":
        for line in lines:
            put(b"\x00" + line)
            for m in WRAPPED.finditer(line):
                put(b"\x01" + m.group(1))
            for m in DATE.finditer(line):
                put(b"\x03" + m.group(0))
    elif target == "money":
        for line in lines:
            for m in NUMBER.finditer(line):
                put(m.group(0))
            for m in WRAPPED.finditer(line):
                put(m.group(1))
    elif target == "copy":
        put(b"\x00\x00" + text[:4096])
        for line in lines:
            put(b"\x03\x00" + line)
print(len(seen))
PY
}

# stat NAME LOG: a number from libFuzzer's final statistics.
stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

status=0
passed=0
failed=0
summary=()
mkdir -p "$crashes" "$bin/corpus" "$bin/seeds" "$bin/logs"
for t in "${targets[@]}"; do
	exe=$bin/$t
	log=$bin/logs/$t.log
	if [[ ! -x $exe ]]; then
		echo "fuzz: $exe: not built (make fuzz builds it)" >&2
		status=1
		failed=$((failed + 1))
		continue
	fi
	# the crashes saved before, once each
	bad=0
	for f in "$crashes/$t"-*; do
		[[ -f $f ]] || continue
		if "$exe" "$f" >"$log" 2>&1; then
			passed=$((passed + 1))
		else
			echo "fuzz: $t: a saved crash still fails: $f" >&2
			grep -E 'check failed|ERROR|runtime error' "$log" |
			    tail -n 5 >&2
			failed=$((failed + 1))
			bad=1
		fi
	done
	if ((bad)); then
		status=1
		summary+=("$(printf '%-12s %8s %12s %8s %8s  %s' "$t" - - - - \
		    "saved crash fails")")
		continue
	fi
	nseeds=$(seed "$t" "$bin/seeds/$t") || nseeds=0
	mkdir -p "$bin/corpus/$t"
	args=(-max_len="$(max_len "$t")" -timeout=25 -rss_limit_mb=2560
	    -print_final_stats=1 -artifact_prefix="$crashes/$t-")
	if [[ -n $(dict "$t") ]]; then
		args+=(-dict="$(dict "$t")")
	fi
	if ((secs > 0)); then
		args+=(-max_total_time="$secs")
	else
		args+=(-runs=0)
	fi
	echo "fuzz: $t: ${secs}s from $nseeds seeds and $(find "$bin/corpus/$t" \
	    -type f | wc -l) corpus inputs"
	start=$SECONDS
	"$exe" "${args[@]}" "$bin/corpus/$t" "$bin/seeds/$t" >"$log" 2>&1
	rc=$?
	took=$((SECONDS - start))
	execs=$(stat number_of_executed_units "$log")
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	result=ok
	if ((rc == 0)); then
		passed=$((passed + 1))
	else
		status=1
		failed=$((failed + 1))
		result="CRASH: $(sed -n 's/.*Test unit written to //p' "$log" |
		    tail -n 1)"
		grep -E 'check failed|ERROR:|runtime error' "$log" | head -n 3 >&2
	fi
	summary+=("$(printf '%-12s %8s %12s %8s %8s  %s' "$t" "$took" \
	    "${execs:-?}" "$((${execs:-0} / (took > 0 ? took : 1)))" \
	    "${cov:-?}" "$result")")
done

echo
printf '%-12s %8s %12s %8s %8s  %s\n' target seconds executions exec/s \
    coverage result
printf '%s\n' "${summary[@]}"
echo
printf '%d passed, %d failed\n' "$passed" "$failed"
exit "$status"
