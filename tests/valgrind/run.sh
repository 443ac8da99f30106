#!/usr/bin/env bash
#
# tests/valgrind/run.sh: the C unit tests and a sample of the bats suites
# with every program under valgrind (make check-valgrind; `make` must have
# built bin/).
#
# bin/valgrind/ gets one wrapper script per program and per unit test that
# execs valgrind on the real binary in bin/.  The unit tests run through
# scripts/run-tests.sh and the suites through bats, both with
# DATAOPS_BIN=bin/valgrind, so that the suites find the wrappers first on
# PATH, as make check-asan does with bin/asan.  valgrind writes to
# bin/valgrind/logs/PID.log, never to the standard error the tests
# compare, and exits 1 on an error or a definite leak; since a test that
# expects a failure could take that 1 for its own, every log is read at
# the end too: one run with an error fails the whole.
#
# Which tests: VALGRIND_TESTS names the suites; of their tests, those whose
# names match the extended regular expression VALGRIND_ONLY and not
# VALGRIND_SKIP run.  The default sample (a few minutes) is every test of
# agg-by-mode (the engine the three aggregators share, threads included),
# gen-sales and report, and pg-load's man page examples (every mode,
# several tables, --create, bad records); VALGRIND_ONLY= runs the whole
# suites.  VALGRIND_SKIP leaves out by default the tests that time a
# program or kill it, which valgrind's slowdown and its own process name
# defeat.  VALGRIND_UNITS=0 leaves out the unit tests.
#
# The last line is "N passed, N failed", as make check's is: the unit
# tests and bats tests that passed, and those that failed plus the program
# runs whose valgrind log shows an error or a definite leak.

set -uo pipefail

cd "$(dirname "$0")/../.." || exit 70

root=$PWD
real=$root/bin
wrap=$root/bin/valgrind
logs=$wrap/logs
suites=${VALGRIND_TESTS-tests/agg-by-mode.bats tests/gen-sales.bats \
tests/report.bats tests/pg-load.bats}
only=${VALGRIND_ONLY-^(agg-by-mode|gen-sales|report): |^pg-load: man page ex}
skip=${VALGRIND_SKIP-kill|SIGTERM|SIGINT|concurrent|connection lost|does not \
answer|stops answering|within [0-9]+ s|--progress on a terminal}

if ! command -v valgrind >/dev/null; then
	echo "check-valgrind: valgrind is not installed (make deps)" >&2
	exit 69
fi

opts=(--error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --num-callers=30
    --suppressions="$root/tests/valgrind/dataops.supp"
    --log-file="$logs/%p.log")

# wrap DIR BINARY: DIR/NAME runs BINARY under valgrind, found on PATH so
# that its argv[0] is its bare name, as getopt's messages show it.
wrap() {
	local out name

	name=$(basename "$2")
	out=$1/$name
	{
		echo '#!/bin/sh'
		# shellcheck disable=SC2016 # the wrapper expands $PATH
		printf 'PATH=%s:"$PATH" exec valgrind' "'$(dirname "$2")'"
		printf " '%s'" "${opts[@]}"
		printf " '%s' \"\$@\"\n" "$name"
	} >"$out" && chmod +x "$out"
}

# filter FILE...: an ERE for bats --filter that matches exactly the tests
# of FILE... whose names match $only and not $skip; the others are counted
# in $scratch/skipped.
filter() {
	local f line name re=''
	local pattern='^[[:blank:]]*@test[[:blank:]]+(.*[^[:blank:]])[[:blank:]]+\{'

	for f in "$@"; do
		while IFS= read -r line; do
			[[ $line =~ $pattern ]] || continue
			name=${BASH_REMATCH[1]#[\'\"]}
			name=${name%[\'\"]}
			if [[ -n $only && ! $name =~ $only ]] ||
			    [[ -n $skip && $name =~ $skip ]]; then
				echo "$name" >>"$scratch/skipped"
				continue
			fi
			name=$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')
			re+="${re:+|}$name"
		done <"$f"
	done
	printf '^(%s)$' "$re"
}

rm -rf "$wrap"
mkdir -p "$wrap/test" "$logs" || exit 70
scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-valgrind.XXXXXX") || exit 70
trap 'rm -rf "$scratch"' EXIT
for b in "$real"/*; do
	[[ -f $b && -x $b && $(basename "$b") != ferretdb-test ]] &&
	    wrap "$wrap" "$b"
done

status=0
passed=0
failed=0
units=()
if [[ ${VALGRIND_UNITS:-1} != 0 ]]; then
	for t in "$real"/test/*; do
		if [[ -f $t && -x $t ]]; then
			wrap "$wrap/test" "$t"
			units+=("$(basename "$t")")
		fi
	done
fi
if ((${#units[@]} > 0)); then
	DATAOPS_BIN=$wrap TESTS="${units[*]}" scripts/run-tests.sh |
	    tee "$scratch/units.out"
	((PIPESTATUS[0] == 0)) || status=1
	# run-tests.sh's last line: "N passed, N failed"
	counts=$(tail -n 1 "$scratch/units.out")
	if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	else
		failed=$((failed + 1))
	fi
fi

read -ra files <<<"$suites"
if ((${#files[@]} > 0)); then
	: >"$scratch/skipped"
	re=$(filter "${files[@]}")
	# each suite that needs PostgreSQL starts a server of its own
	DATAOPS_BIN=$wrap bats --tap --filter "$re" "${files[@]}" 2>&1 |
	    tee "$scratch/bats.out"
	rc=${PIPESTATUS[0]}
	bats_passed=$(grep -c '^ok ' "$scratch/bats.out")
	bats_failed=$(grep -c '^not ok ' "$scratch/bats.out")
	echo
	echo "bats under valgrind: $bats_passed passed, $bats_failed failed," \
	    "$(wc -l <"$scratch/skipped") left out (VALGRIND_ONLY," \
	    "VALGRIND_SKIP)"
	passed=$((passed + bats_passed))
	failed=$((failed + bats_failed))
	if ((rc != 0 || bats_failed > 0 || bats_passed == 0)); then
		status=1
		((bats_failed > 0)) || failed=$((failed + 1))
	fi
fi

# Every program run left a log; those with errors say so in their summary.
runs=0
bad=()
for log in "$logs"/*.log; do
	[[ -f $log ]] || continue
	runs=$((runs + 1))
	if grep -q 'ERROR SUMMARY: [1-9]' "$log"; then
		bad+=("$log")
	fi
done
echo
echo "valgrind: $runs program runs, ${#bad[@]} with errors or definite leaks"
for log in "${bad[@]}"; do
	echo "--- $log"
	grep -m 1 'Command:' "$log"
	grep -E '^==[0-9]+== ' "$log" | sed -n '/Command:/,$p' | sed 1d |
	    grep -vE '^==[0-9]+== *$' | head -n 40
done
if ((${#bad[@]} > 0)); then
	status=1
	failed=$((failed + ${#bad[@]}))
fi
echo
printf '%d passed, %d failed\n' "$passed" "$failed"
exit "$status"
