#!/usr/bin/env bats
# dataops(7): the EXAMPLES of the toolkit's page, run as a reader types
# them, and their results checked against tests/ref_agg.py (an independent
# aggregator in Python) and against each other.

load test_helper
bats_require_minimum_version 1.5.0

DATAOPS_BATS_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

setup() {
	unset NO_COLOR
	cd "$BATS_TEST_TMPDIR" || return 1
}

# man_examples PAGE [N]: run the first N examples of man/PAGE (all by
# default) in the current directory as a reader types them: each "$ "
# command, with its continuation lines and here-document, through
# `bash -o pipefail`.  Each must exit 0, and the lines the page shows after
# a command must be exactly what it writes.  With N = count, print the
# number of examples.
man_examples() {
	mandoc -Tutf8 "$DATAOPS_BATS_ROOT/man/$1" > "$BATS_TEST_TMPDIR/.page"
	python3 - "$BATS_TEST_TMPDIR/.page" "${2:-0}" <<'EOF'
import re, subprocess, sys

lines = re.sub(".\b", "", open(sys.argv[1], encoding="utf-8").read())
lines = lines.split("\n")
start = lines.index("EXAMPLES") + 1
end = next(i for i in range(start, len(lines))
           if lines[i] and not lines[i][0].isspace())
body = lines[start:end]
indent = lambda l: len(l) - len(l.lstrip(" "))
text_indent = min(indent(l) for l in body if l.strip())
displays, cur = [], None
for l in body:
    if l.strip() and indent(l) == text_indent:
        if cur is not None:
            displays.append(cur)
            cur = None
    elif cur is not None:
        cur.append(l[base:])
    elif l.strip():
        base = indent(l)
        cur = [l[base:]]
if cur is not None:
    displays.append(cur)
for d in displays:
    while d and d[-1] == "":
        d.pop()

if sys.argv[2] == "count":
    print(len(displays))
    sys.exit(0)
upto = int(sys.argv[2]) or len(displays)
for n, d in enumerate(displays[:upto], 1):
    i = 0
    while i < len(d):
        if not d[i].startswith("$ "):
            sys.exit("example %d: not a command: %r" % (n, d[i]))
        cmd = [d[i][2:]]
        i += 1
        while re.search(r"(\||\\|&&)\s*$", cmd[-1]) and i < len(d):
            cmd.append(d[i])
            i += 1
        here = re.search(r"<<-?\s*'?(\w+)'?", "\n".join(cmd))
        if here:
            while i < len(d) and d[i] != here.group(1):
                cmd.append(d[i])
                i += 1
            if i == len(d):
                sys.exit("example %d: no %s" % (n, here.group(1)))
            cmd.append(d[i])
            i += 1
        shown = []
        while i < len(d) and not d[i].startswith("$ "):
            shown.append(d[i])
            i += 1
        cmd = "\n".join(cmd)
        p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = p.stdout.decode("utf-8")
        if p.returncode != 0:
            sys.exit("example %d: exit %d: %s\n%s" %
                     (n, p.returncode, cmd, out[-2000:]))
        if shown and out.split("\n")[:-1] != shown:
            sys.exit("example %d: %s\n-- page shows --\n%s\n-- got --\n%s" %
                     (n, cmd, "\n".join(shown), out[-3000:]))
print("ok")
EOF
}

# sales_totals FILE: the sums over the sale records of FILE, as report
# writes them on a "Total" line: vendas, faturamento, motos, registros.
sales_totals() {
	python3 - "$1" <<'EOF'
import json, sys
from decimal import Decimal

t = [0, Decimal(0), 0, 0]
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line, parse_float=Decimal)
    t[0] += r["total_vendas"]
    t[1] += r["total_faturado"]
    t[2] += r["quantidade_moto_mais_vendida"]
    t[3] += 1
f = lambda n: f"{n:,}".replace(",", ".")
cents = int(t[1] * 100)
print(f(t[0]), "R$ %s,%02d" % (f(cents // 100), cents % 100), f(t[2]), f(t[3]))
EOF
}

@test "dataops(7): lint-clean, and every example has a test" {
	run mandoc -Tlint -W warning "$DATAOPS_BATS_ROOT/man/dataops.7"
	assert_success
	assert_output ""
	run man_examples dataops.7 count
	assert_output 2
}

@test "dataops(7) example 1: the plain-file pipeline" {
	run man_examples dataops.7 1
	assert_success
	assert_output ok
	[ "$(wc -l < data/sales.ndjson)" -eq 100000 ]
	# each table as the reference aggregator computes it
	for t in month:ano_mes state:estado city:cidade mode:modalidade; do
		python3 "$DATAOPS_BATS_ROOT/tests/ref_agg.py" "${t%%:*}" \
		    data/sales.ndjson > "ref.${t#*:}"
		[ -s "ref.${t#*:}" ]
		run cmp "ref.${t#*:}" "data/vendas_por_${t#*:}.ndjson"
		assert_success
	done
	# the report: four sections in order, each totalling all the sales
	report data/vendas_por_*.ndjson > out
	run grep '^Vendas por' out
	assert_output "$(printf '%s\n' 'Vendas por ano/mês' \
	    'Vendas por estado' 'Vendas por cidade' 'Vendas por modalidade')"
	total=$(sales_totals data/sales.ndjson)
	[[ $total == *" 100.000" ]]
	run sh -c "grep '^  Total ' out | tr -s ' ' | cut -d' ' -f3-"
	assert_output "$(printf '%s\n' "$total" "$total" "$total" "$total")"
}

@test "dataops(7) example 2: merged shards equal the whole, byte for byte" {
	run man_examples dataops.7 2
	assert_success
	assert_output ok
	run wc -l shard.aa shard.ab shard.ac shard.ad
	assert_output --regexp '^ *25000 shard\.aa
 *25000 shard\.ab
 *25000 shard\.ac
 *25000 shard\.ad
 *100000 total$'
	[ ! -e shard.ae ]
	run sh -c 'agg-by-state --merge shard.a?.agg |
	    cmp - data/vendas_por_estado.ndjson'
	assert_success
	run sh -c 'agg-by-state --city --merge shard.a?.agg |
	    cmp - data/vendas_por_cidade.ndjson'
	assert_success
	# the comparison can fail: three shards are not the whole
	run sh -c 'agg-by-state --merge shard.a[abc].agg |
	    cmp -s - data/vendas_por_estado.ndjson'
	assert_failure
}

@test "dataops(7) example 2: report of the shards equals report of the whole" {
	run man_examples dataops.7 2
	assert_success
	report shard.a?.agg > shards
	report data/vendas_por_cidade.ndjson > whole
	run cmp shards whole
	assert_success
	run grep -c '^Vendas por' shards
	assert_output 1
}
