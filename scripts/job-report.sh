#!/usr/bin/env bash
#
# The report job (the original's Streamlit dashboard): rewrites the HTML
# page $DATAOPS_REPORT, atomically (report -o writes a temporary file and
# renames it), with the four tables, the raw records' count and last update,
# and the run history, reloading itself every DATAOPS_REPORT_REFRESH
# seconds.  Run it with `dataops-run report`, every minute.
#
# Tables: from PostgreSQL (--pg) when PG_URI is set, else the files
# $DATAOPS_DATA/vendas_por_*.ndjson that exist.  Raw records: from the
# MongoDB collection (--mongo) when MONGO_URI is set, else from
# $DATAOPS_DATA/sales.ndjson (--raw), read under the generate job's lock so
# that no half-appended line is seen.

set -euo pipefail

prog=job-report
: "${DATAOPS_DATA:?run by dataops-run}" "${DATAOPS_STATE:?run by dataops-run}"
: "${DATAOPS_REPORT:=$DATAOPS_DATA/report.html}"
(($# == 0)) || {
	printf 'usage: %s\n' "$prog" >&2
	exit 64
}

if [[ -n ${DATAOPS_ROWS_FILE:-} ]]; then
	echo 0 >"$DATAOPS_ROWS_FILE"
fi

args=(-f html -o "$DATAOPS_REPORT" --runs "$DATAOPS_STATE/runs.ndjson"
	--refresh "${DATAOPS_REPORT_REFRESH:-60}"
	--stale-after "${DATAOPS_STALE_AFTER:-10}")
locked=()
if [[ -n ${MONGO_URI:-} ]]; then
	args+=(--mongo)
elif [[ -e $DATAOPS_DATA/sales.ndjson ]]; then
	args+=(--raw "$DATAOPS_DATA/sales.ndjson")
	locked=(flock -s -w 60 -E 75 "$DATAOPS_STATE/sales.lock")
fi
if [[ -n ${PG_URI:-} ]]; then
	args+=(--pg)
else
	for t in vendas_por_ano_mes vendas_por_estado vendas_por_cidade \
		vendas_por_modalidade; do
		if [[ -e $DATAOPS_DATA/$t.ndjson ]]; then
			args+=("$DATAOPS_DATA/$t.ndjson")
		fi
	done
fi

mkdir -p -- "$(dirname -- "$DATAOPS_REPORT")"
exec "${locked[@]}" report "${args[@]}"
