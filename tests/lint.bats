#!/usr/bin/env bats
# The project's own files pass their linters: man pages (mandoc -Tlint),
# shell scripts (shellcheck), and every program has its man page and suite.

load test_helper

setup() {
	common_setup
}

@test "lint: every man page is mandoc -Tlint clean" {
	run mandoc -Tlint -W warning "$DATAOPS_ROOT"/man/*.[1-9]
	assert_success
	assert_output ""
}

@test "lint: every shell script is shellcheck clean" {
	run shellcheck "$DATAOPS_ROOT"/scripts/*.sh "$DATAOPS_ROOT"/scripts/dataops-run \
	    "$DATAOPS_ROOT"/tests/*.bash "$DATAOPS_ROOT"/tests/*/run.sh \
	    "$DATAOPS_ROOT"/.ci/run
	assert_success
	assert_output ""
}

@test "lint: every program has a man page and a test suite" {
	local c t missing=""

	for c in "$DATAOPS_ROOT"/tools/*.c; do
		t=$(basename "$c" .c)
		[[ -f $DATAOPS_ROOT/man/$t.1 ]] || missing="$missing man/$t.1"
		[[ -f $DATAOPS_ROOT/tests/$t.bats ]] || missing="$missing tests/$t.bats"
	done
	[[ -z $missing ]] || fail "missing:$missing"
}

@test "lint: the SYNOPSIS of each man page names every option of usage()" {
	local c t opt missing=""

	for c in "$DATAOPS_ROOT"/tools/*.c; do
		t=$(basename "$c" .c)
		for opt in $("$t" --help | grep -o -- '\[-[a-zA-Z-]*' | tr -d '['); do
			opt=${opt#-}
			# mdoc writes a long option's dashes as \-
			sed 's/\\-/-/g' "$DATAOPS_ROOT/man/$t.1" |
			    grep -q -- "Fl ${opt}\b" ||
			    missing="$missing $t:-$opt"
		done
	done
	[[ -z $missing ]] || fail "usage() options not in the man page:$missing"
}
