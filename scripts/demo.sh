#!/usr/bin/env bash
#
# make demo: the scheduled pipeline on plain files, no server: the same
# generate, refresh and report jobs that cron runs (scripts/dataops-run), in
# the embedded default (no MONGO_URI, no PG_URI), then the terminal report.
#
#	scripts/demo.sh [count]		(default 100000 sales)
#
# Starts from a new data/sales.ndjson (DATA_DIR=dir for another place);
# data/vendas_por_*.ndjson get the aggregates, data/report.html the page
# cron would rewrite every minute, data/state/runs.ndjson the run history
# and data/log/ the jobs' logs.  A .env is not read: the demo never touches
# a server.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PATH="$top/bin:$PATH"
count=${1:-100000}
data=${DATA_DIR:-$top/data}

unset MONGO_URI PG_URI
export DATAOPS_ENV=/dev/null DATAOPS_HOME=$top DATAOPS_DATA=$data
export DATAOPS_STATE=$data/state DATAOPS_LOG_DIR=$data/log
export DATAOPS_REPORT=$data/report.html DATAOPS_GENERATE_COUNT=$count

mkdir -p "$data"
rm -f "$data/sales.ndjson" "$DATAOPS_STATE/generate.pending.ndjson"
for job in generate refresh report; do
	"$top/scripts/dataops-run" "$job"
done
report --raw "$data/sales.ndjson" --runs "$DATAOPS_STATE/runs.ndjson" \
	"$data/vendas_por_ano_mes.ndjson" "$data/vendas_por_estado.ndjson" \
	"$data/vendas_por_modalidade.ndjson"
printf '\n%s sales in %s; aggregates in %s; the page in %s\n' "$count" \
	"$data/sales.ndjson" "$data/vendas_por_*.ndjson" "$DATAOPS_REPORT" >&2
