#!/usr/bin/env bash
#
# The refresh job (the original's dag_vendas_ano_mes.py, dag_vendas_estado.py
# and dag_vendas_modalidade.py, in one): sums the raw sale records by month,
# by state, by state and city, and by payment mode, and replaces the four
# tables vendas_por_ano_mes, vendas_por_estado, vendas_por_cidade and
# vendas_por_modalidade.  Run it with `dataops-run refresh [--pushdown]`.
#
#	job-refresh.sh [--pushdown | --no-pushdown]
#
# Raw records: the MongoDB collection when MONGO_URI is set, else
# $DATAOPS_DATA/sales.ndjson.  Tables: PostgreSQL when PG_URI is set
# (created from schema.sql, beside this file, when missing), else the files
# $DATAOPS_DATA/vendas_por_*.ndjson.
#
# One pass over the raw records (mongo-export runs once) feeds agg-by-month,
# agg-by-state --city and agg-by-mode at once through tee; the per-state
# rows are the city rows merged (agg-by-state --merge).  Each result is
# staged in a temporary file, and only when every stage exited 0 are the
# four tables replaced, all in one pg-load transaction (for files: four
# renames).  A failure anywhere leaves every table as it was, and the job
# exits with the status of the stage that failed first (69 and 75 are what
# dataops-run retries).
#
# --pushdown (or DATAOPS_PUSHDOWN=1) lets MongoDB do the grouping, for
# collections too large to stream: mongo-export --group-by day, city and
# mode, finished by agg-by-* --merge; the tables come out the same.  The
# three queries run side by side, not as one snapshot: a generate run that
# lands between them shows in some tables and not yet in others until the
# next refresh.  Without a MongoDB (embedded mode) there is nothing to push
# down to and the plain pass runs.
#
# No raw records at all (an empty or missing collection or file) is most
# likely a wrong MONGO_DB or MONGO_COLLECTION, so the tables are left as
# they are (exit 0, a line in the log), unless DATAOPS_ALLOW_EMPTY=1, which
# empties them.  DATAOPS_MAX_ERRORS=N lets N bad records through each
# aggregator (default 0: a bad record fails the refresh, exit 65).
#
# Tells dataops-run the number of rows loaded into the four tables through
# $DATAOPS_ROWS_FILE.

set -euo pipefail

prog=job-refresh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${DATAOPS_DATA:?run by dataops-run}" "${DATAOPS_STATE:?run by dataops-run}"

usage() {
	printf 'usage: %s [--pushdown | --no-pushdown]\n' "$prog" >&2
	exit 64
}

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

pushdown=${DATAOPS_PUSHDOWN:-0}
while (($# > 0)); do
	case $1 in
	--pushdown) pushdown=1 ;;
	--no-pushdown) pushdown=0 ;;
	*) usage ;;
	esac
	shift
done
max_errors=${DATAOPS_MAX_ERRORS:-0}
[[ $max_errors =~ ^[0-9]{1,18}$ ]] || {
	say "DATAOPS_MAX_ERRORS: not a number: $max_errors"
	exit 78
}
case ${DATAOPS_ALLOW_EMPTY:-0} in
1 | yes | true) allow_empty=1 ;;
*) allow_empty=0 ;;
esac

# kinds of aggregate, in the order of the tables
kinds=(month state city mode)
declare -A table=(
	[month]=vendas_por_ano_mes [state]=vendas_por_estado
	[city]=vendas_por_cidade [mode]=vendas_por_modalidade
)
fields=data_venda,total_vendas,total_faturado,quantidade_moto_mais_vendida
fields=$fields,estado,cidade,modalidade

rows=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dataops-refresh.XXXXXX")
cleanup() {
	rm -rf -- "$work"
	if [[ -n ${DATAOPS_ROWS_FILE:-} ]]; then
		printf '%d\n' "$rows" >"$DATAOPS_ROWS_FILE"
	fi
}
trap cleanup EXIT

# first_failure NAME=STATUS...: the status of the first stage that failed
# of itself (a stage killed by SIGPIPE, 141, only followed another one's
# failure); 0 when all succeeded.  Names each failed stage in the log.
first_failure() {
	local arg first=0 piped=0

	for arg; do
		case ${arg#*=} in
		0) ;;
		141) piped=141 ;;
		*)
			say "${arg%=*} exited with status ${arg#*=}"
			((first != 0)) || first=${arg#*=}
			;;
		esac
	done
	((first != 0)) || first=$piped
	echo "$first"
}

# pg_env: psql's connection from PG_URI, with the password moved into
# PGPASSWORD (out of user:password@, a password= parameter of the URI, or
# of a key=value string), so that ps(1) does not show it.
pg_env() {
	local uri=$PG_URI pass=

	if [[ $uri =~ ^(postgres(ql)?://)([^:@/?#]*):([^@/?#]*)@(.*)$ ]]; then
		pass=${BASH_REMATCH[4]}
		uri=${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}
	fi
	if [[ $uri =~ ^(postgres(ql)?://[^?]*\?(.*&)?)password=([^&]*)(&?)(.*)$ ]]; then
		pass=${BASH_REMATCH[4]}
		uri=${BASH_REMATCH[1]}${BASH_REMATCH[6]}
		uri=${uri%[?&]}
	elif [[ $uri =~ ^(.*[[:space:]]|)password[[:space:]]*=[[:space:]]*(\'[^\']*\'|[^[:space:]]*)(.*)$ ]]; then
		pass=${BASH_REMATCH[2]}
		pass=${pass#\'}
		pass=${pass%\'}
		uri=${BASH_REMATCH[1]}${BASH_REMATCH[3]}
		uri=${uri# }
	fi
	if [[ -n $pass ]]; then
		if [[ $uri == postgres*://* ]]; then
			# percent-decoding
			pass=${pass//\\/\\\\}
			printf -v pass '%b' "${pass//%/\\x}"
		fi
		PGPASSWORD=$pass
		export PGPASSWORD
	fi
	psql_uri=$uri
}

# create_tables: the tables schema.sql makes, if missing.  The first thing
# done, so that a server that is down fails the run in seconds.
create_tables() {
	local status=0

	command -v psql >/dev/null || {
		say "psql not found (Debian package postgresql-client)"
		exit 70
	}
	pg_env
	psql -X -q -v ON_ERROR_STOP=1 -d "$psql_uri" -f "$here/schema.sql" \
		>/dev/null || status=$?
	case $status in
	0) ;;
	2)
		say "cannot reach PostgreSQL to create the tables"
		exit 69
		;;
	*)
		say "$here/schema.sql failed (psql status $status)"
		exit 70
		;;
	esac
}

# raw_records: the raw records on standard output.  From the file, the
# whole lines there when the pass starts, read outside generate's lock.
raw_records() {
	local raw=$DATAOPS_DATA/sales.ndjson size fd

	if [[ -n ${MONGO_URI:-} ]]; then
		mongo-export -f "$fields"
		return
	fi
	exec {fd}>>"$DATAOPS_STATE/sales.lock"
	flock -s -w 60 "$fd" || {
		say "$raw: locked by another job for 60 s"
		return 75
	}
	size=$(stat -c %s -- "$raw" 2>/dev/null) || size=0
	exec {fd}>&-
	if ((size > 0)); then
		head -c "$size" -- "$raw"
	fi
}

# one_pass: the staged aggregates from one read of the raw records.
one_pass() {
	local month_pid city_pid month_status=0 city_status=0 pipe

	mkfifo "$work/month.fifo" "$work/city.fifo"
	agg-by-month -e "$max_errors" <"$work/month.fifo" >"$work/month.ndjson" &
	month_pid=$!
	agg-by-state -e "$max_errors" --city <"$work/city.fifo" >"$work/city.ndjson" &
	city_pid=$!
	set +e
	raw_records | tee "$work/month.fifo" "$work/city.fifo" |
		agg-by-mode -e "$max_errors" >"$work/mode.ndjson"
	pipe=("${PIPESTATUS[@]}")
	wait "$month_pid"
	month_status=$?
	wait "$city_pid"
	city_status=$?
	set -e
	status=$(first_failure "export=${pipe[0]}" "agg-by-month=$month_status" \
		"agg-by-state --city=$city_status" "agg-by-mode=${pipe[2]}" \
		"tee=${pipe[1]}")
	((status == 0)) || return "$status"
	agg-by-state --merge "$work/city.ndjson" >"$work/state.ndjson"
}

# pushed_down: the staged aggregates from the server's own grouping.
pushed_down() {
	local g pid args=()
	local -A pids

	say "grouped by MongoDB (mongo-export --group-by day, city, mode)"
	for g in day city mode; do
		mongo-export --group-by "$g" >"$work/$g.groups" &
		pids[$g]=$!
	done
	for g in day city mode; do
		pid=0
		wait "${pids[$g]}" || pid=$?
		args+=("mongo-export --group-by $g=$pid")
	done
	status=$(first_failure "${args[@]}")
	((status == 0)) || return "$status"
	agg-by-month --merge "$work/day.groups" >"$work/month.ndjson"
	agg-by-state --city --merge "$work/city.groups" >"$work/city.ndjson"
	agg-by-state --merge "$work/city.ndjson" >"$work/state.ndjson"
	agg-by-mode --merge "$work/mode.groups" >"$work/mode.ndjson"
}

# ---- the job --------------------------------------------------------------

if [[ -n ${PG_URI:-} ]]; then
	create_tables
fi

status=0
if ((pushdown)) && [[ -n ${MONGO_URI:-} ]]; then
	pushed_down || status=$?
else
	((pushdown == 0)) || say "no MONGO_URI: nothing to push down to, one pass over the file"
	one_pass || status=$?
fi
if ((status != 0)); then
	say "nothing replaced: every table is as it was"
	exit "$status"
fi

empty=1
staged=0
for k in "${kinds[@]}"; do
	if [[ -s $work/$k.ndjson ]]; then
		empty=0
	fi
	staged=$((staged + $(wc -l <"$work/$k.ndjson")))
done
if ((empty && !allow_empty)); then
	say "no raw records: the tables are left as they were (DATAOPS_ALLOW_EMPTY=1 empties them)"
	exit 0
fi

if [[ -n ${PG_URI:-} ]]; then
	load=(pg-load -m replace)
	((allow_empty == 0)) || load+=(--allow-empty)
	for k in "${kinds[@]}"; do
		load+=(-t "${table[$k]}" "$work/$k.ndjson")
	done
	status=0
	"${load[@]}" || status=$?
	if ((status != 0)); then
		say "nothing replaced: every table is as it was"
		exit "$status"
	fi
else
	# Copies beside their targets, then four renames.
	for k in "${kinds[@]}"; do
		if ! cp -- "$work/$k.ndjson" "$DATAOPS_DATA/.${table[$k]}.ndjson.tmp"; then
			for t in "${table[@]}"; do
				rm -f -- "$DATAOPS_DATA/.$t.ndjson.tmp"
			done
			say "nothing replaced: every table is as it was"
			exit 74
		fi
	done
	for k in "${kinds[@]}"; do
		mv -f -- "$DATAOPS_DATA/.${table[$k]}.ndjson.tmp" \
			"$DATAOPS_DATA/${table[$k]}.ndjson"
	done
fi
rows=$staged
