#!/usr/bin/env bash
#
# Run every test: the C unit tests (bin/test/*, each printing TAP) and then
# the bats suites (tests/*.bats, all in one `bats --tap` run).  Each failure
# is shown again at the end with its diagnostics, and the very last line is
# "N passed, N failed".  Exits 1 when a test failed or when none ran.
#
# TESTS="tests/agg-by-month.bats money" runs a subset: each word is a .bats
# file, a unit test binary (bin/test/X), its source (tests/unit/X.c) or a
# bare unit test name (X).  `make` must have built the binaries.
# FILTER=REGEX runs only the bats tests whose names match (bats --filter).

set -uo pipefail

cd "$(dirname "$0")/.." || exit 70

# The programs under test: bin/, or DATAOPS_BIN (make check-asan: bin/asan).
bin=${DATAOPS_BIN:-$PWD/bin}
export DATAOPS_BIN=$bin

# A test that hangs fails after this many seconds instead of holding the
# run (bats stops it and says so).
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-600}

passed=0
failed=0
skipped=0
units=()
suites=()
scratch=$(mktemp -d "${TMPDIR:-/tmp}/run-tests.XXXXXX") || exit 70
servers=()
# The test servers started here are stopped on the way out, whatever happens.
cleanup() {
	local s

	for s in "${servers[@]}"; do
		"${s%% *}" stop "${s#* }" >/dev/null 2>&1
	done
	rm -rf "$scratch"
}
trap cleanup EXIT
faillog=$scratch/failures
: >"$faillog"

# What tally found in the last TAP stream it read.
tap_plan=-1
tap_tests=0
tap_notok=0

# fail_note LABEL TEXT: record one failure that is not a "not ok" line.
fail_note() {
	failed=$((failed + 1))
	printf 'not ok - %s: %s\n' "$1" "$2" >>"$faillog"
}

# tally LABEL FILE: count the TAP results in FILE, copying each "not ok"
# line and the diagnostics under it to the failure log.
tally() {
	local label=$1 file=$2 line infail=0

	tap_plan=-1
	tap_tests=0
	tap_notok=0
	while IFS= read -r line || [[ -n $line ]]; do
		case $line in
		"not ok "*)
			tap_tests=$((tap_tests + 1))
			tap_notok=$((tap_notok + 1))
			failed=$((failed + 1))
			infail=1
			printf '%s: %s\n' "$label" "$line" >>"$faillog"
			;;
		"ok "*" # skip"* | "ok "*" # SKIP"*)
			tap_tests=$((tap_tests + 1))
			skipped=$((skipped + 1))
			infail=0
			;;
		"ok "*)
			tap_tests=$((tap_tests + 1))
			passed=$((passed + 1))
			infail=0
			;;
		[0-9]*..[0-9]*)
			if [[ $line =~ ^1\.\.([0-9]+) ]]; then
				tap_plan=${BASH_REMATCH[1]}
			fi
			infail=0
			;;
		*)
			# diagnostics ("# ...") and stray output of a failure
			if ((infail)); then
				printf '    %s\n' "$line" >>"$faillog"
			fi
			;;
		esac
	done <"$file"
}

# run_unit BINARY: run one C unit test binary and count its results.
run_unit() {
	local t=$1 out=$scratch/unit.out rc

	if [[ ! -x $t || -d $t ]]; then
		fail_note "$t" "no such unit test binary (run make)"
		echo "$t: missing"
		return
	fi
	timeout --kill-after=10 600 "$t" >"$out" 2>&1
	rc=$?
	tally "$t" "$out"
	printf '%s: %d tests, %d failed' "$t" "$tap_tests" "$tap_notok"
	if ((rc != 0 && tap_notok == 0)); then
		fail_note "$t" "exited with status $rc without a failing test"
		tail -n 20 "$out" | sed 's/^/    /' >>"$faillog"
		printf ', exit status %d' "$rc"
	elif ((tap_plan < 0)); then
		fail_note "$t" "no TAP plan: stopped early or printed nothing"
		tail -n 20 "$out" | sed 's/^/    /' >>"$faillog"
	elif ((tap_plan != tap_tests)); then
		fail_note "$t" "planned $tap_plan tests but ran $tap_tests"
	fi
	echo
}

# start_servers: one throw-away PostgreSQL and one MongoDB-wire server for
# the whole run (each suite makes its own database on them), unless
# PG_TEST_URI and MONGO_TEST_URI name servers to use.
start_servers() {
	local dir uri

	if [[ -z ${PG_TEST_URI:-} ]]; then
		# not under $scratch: the server's user must reach it
		dir=$(mktemp -d "${TMPDIR:-/tmp}/dataops-pg.XXXXXX") || exit 70
		servers+=("scripts/pg-test-server.sh $dir")
		if uri=$(scripts/pg-test-server.sh start "$dir"); then
			export PG_TEST_URI=$uri
		else
			fail_note postgresql "the test server did not start"
		fi
	fi
	if [[ -z ${MONGO_TEST_URI:-} && -x scripts/mongo-test-server.sh ]]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/dataops-mongo.XXXXXX") || exit 70
		servers+=("scripts/mongo-test-server.sh $dir")
		if uri=$(scripts/mongo-test-server.sh start "$dir"); then
			export MONGO_TEST_URI=$uri
		else
			fail_note mongodb "the test server did not start"
		fi
	fi
}

# run_suites FILE...: run the bats files in one bats process, showing its
# TAP output as it comes, and count the results.
run_suites() {
	local out=$scratch/bats.out rc

	if ! command -v bats >/dev/null; then
		fail_note bats "bats is not installed"
		return
	fi
	start_servers
	bats --tap ${FILTER:+--filter "$FILTER"} "$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	tally bats "$out"
	if ((tap_plan > tap_tests)); then
		fail_note bats "stopped after $tap_tests of $tap_plan tests"
	elif ((rc != 0 && tap_notok == 0)); then
		fail_note bats "exited with status $rc without a failing test"
		tail -n 20 "$out" | sed 's/^/    /' >>"$faillog"
	fi
}

if [[ -n ${TESTS:-} ]]; then
	read -ra wanted <<<"$TESTS"
	for t in "${wanted[@]}"; do
		case $t in
		*.bats) suites+=("$t") ;;
		tests/unit/*.c) units+=("$bin/test/$(basename "$t" .c)") ;;
		*/*) units+=("$t") ;;
		*) units+=("$bin/test/$t") ;;
		esac
	done
else
	for t in "$bin"/test/*; do
		[[ -f $t && -x $t ]] && units+=("$t")
	done
	for t in tests/*.bats; do
		[[ -f $t ]] && suites+=("$t")
	done
fi

for t in "${units[@]}"; do
	run_unit "$t"
done
for t in "${suites[@]}"; do
	if [[ ! -f $t ]]; then
		fail_note "$t" "no such bats file"
	fi
done
if ((${#suites[@]} > 0)); then
	existing=()
	for t in "${suites[@]}"; do
		[[ -f $t ]] && existing+=("$t")
	done
	((${#existing[@]} > 0)) && run_suites "${existing[@]}"
fi

if [[ -s $faillog ]]; then
	echo
	echo "Failures:"
	cat "$faillog"
fi
echo
if ((skipped > 0)); then
	echo "($skipped skipped)"
fi
if ((passed + failed == 0)); then
	echo "no tests ran"
fi
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0 && passed > 0))
