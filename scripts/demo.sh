#!/bin/sh
# The whole pipeline on plain files, no server: generate sales, aggregate
# them the four ways the original DAGs did, print the dashboard.
#
#	scripts/demo.sh [count]		(make demo: 100000 sales into data/)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/bin:$PATH"
count=${1:-100000}
data=${DATA_DIR:-$top/data}

mkdir -p "$data"
cd "$data"
gen-sales -n "$count" > sales.ndjson.tmp
mv sales.ndjson.tmp sales.ndjson
agg-by-month sales.ndjson > vendas_por_ano_mes.ndjson
agg-by-state sales.ndjson > vendas_por_estado.ndjson
agg-by-state --city sales.ndjson > vendas_por_cidade.ndjson
agg-by-mode sales.ndjson > vendas_por_modalidade.ndjson
report vendas_por_ano_mes.ndjson vendas_por_estado.ndjson \
    vendas_por_modalidade.ndjson
printf '\n%s sales in %s; aggregates in %s\n' "$count" \
    "$data/sales.ndjson" "$data/vendas_por_*.ndjson" >&2
