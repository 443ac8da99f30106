#!/usr/bin/env bash
#
# The generate job (the original's dag_gerar_dados.py): DATAOPS_GENERATE_COUNT
# new sale records (default 2, the original's batch) from gen-sales, loaded
# into the MongoDB collection with mongo-load when MONGO_URI is set, else
# appended to $DATAOPS_DATA/sales.ndjson.  Run it with `dataops-run generate`,
# which loads .env and sets DATAOPS_*.
#
# The records are first written to $DATAOPS_STATE/generate.pending.ndjson,
# which goes away once they are loaded.  An attempt cut short (the server
# went away) leaves it, and the next attempt loads those same records
# instead of new ones: mongo-load skips the _ids already there, so nothing
# is lost and nothing is loaded twice.
#
# Tells dataops-run the number of documents inserted (appended, for the
# file) through $DATAOPS_ROWS_FILE.

set -euo pipefail

prog=job-generate
: "${DATAOPS_DATA:?run by dataops-run}" "${DATAOPS_STATE:?run by dataops-run}"
count=${DATAOPS_GENERATE_COUNT:-2}
if [[ ! $count =~ ^[0-9]{1,12}$ ]]; then
	printf '%s: DATAOPS_GENERATE_COUNT: not a number: %s\n' "$prog" "$count" >&2
	exit 78
fi
(($# == 0)) || {
	printf 'usage: %s\n' "$prog" >&2
	exit 64
}

pending=$DATAOPS_STATE/generate.pending.ndjson
rows=0
tell_rows() {
	if [[ -n ${DATAOPS_ROWS_FILE:-} ]]; then
		printf '%d\n' "$rows" >"$DATAOPS_ROWS_FILE"
	fi
}
trap tell_rows EXIT

if [[ -e $pending ]]; then
	printf '%s: loading the %d records an earlier attempt left in %s\n' \
		"$prog" "$(wc -l <"$pending")" "$pending" >&2
else
	gen-sales -n "$count" >"$pending.tmp"
	mv -f -- "$pending.tmp" "$pending"
fi

if [[ -n ${MONGO_URI:-} ]]; then
	# mongo-load's summary line ("N read, N inserted, ...") goes to the
	# log, and gives the number of documents inserted.
	said=$(mktemp "${TMPDIR:-/tmp}/dataops-generate.XXXXXX")
	trap 'rm -f -- "$said"; tell_rows' EXIT
	status=0
	mongo-load "$pending" 2>"$said" || status=$?
	cat -- "$said" >&2
	rows=$(sed -n 's/^mongo-load: [0-9]* read, \([0-9]*\) inserted,.*/\1/p' "$said" | tail -n 1)
	rows=${rows:-0}
	((status == 0)) || exit "$status"
else
	# Appended under an exclusive lock, which the refresh and report jobs
	# take shared to see only whole lines; a failed append is undone.
	raw=$DATAOPS_DATA/sales.ndjson
	exec {lock_fd}>>"$DATAOPS_STATE/sales.lock"
	if ! flock -w 60 "$lock_fd"; then
		printf '%s: %s: locked by another job for 60 s\n' "$prog" "$raw" >&2
		exit 75
	fi
	size=$(stat -c %s -- "$raw" 2>/dev/null) || size=0
	if ((size > 0)) && [[ -n $(tail -c 1 -- "$raw") ]]; then
		# A line cut short (an append killed before the undo ran, a hand
		# edit): its records are still pending, so the part goes, or the
		# next record would be glued to it.
		cut=$(tail -c 1048576 -- "$raw" | LC_ALL=C awk '{ n = length($0) } END { print n + 0 }')
		printf '%s: %s: dropping %d bytes of a line cut short at its end\n' \
			"$prog" "$raw" "$cut" >&2
		size=$((size - cut))
		truncate -s "$size" -- "$raw"
	fi
	if ! cat -- "$pending" >>"$raw"; then
		truncate -s "$size" -- "$raw" || true
		exit 74
	fi
	exec {lock_fd}>&-
	rows=$(wc -l <"$pending")
fi
rm -f -- "$pending"
