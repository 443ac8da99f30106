#!/usr/bin/env bats
# gen-sales: simulated sale records.

load test_helper
bats_require_minimum_version 1.5.0

NOW=2025-06-30T12:00:00Z

# check_records FILE START END TIMESTAMP [STATE...]
# Validates every line of FILE independently of gen-sales: field order and
# types, money with exactly two decimals, the consistency rules, the date
# range, the timestamp, the _id shape, and (when given) the states allowed.
check_records() {
	python3 - "$@" <<'EOF'
import json, re, sys
from decimal import Decimal

path, start, end, stamp = sys.argv[1:5]
allowed = set(sys.argv[5:])
fields = ["_id", "data_venda", "total_vendas", "total_faturado",
          "moto_mais_vendida", "quantidade_moto_mais_vendida", "preco_total",
          "cidade", "estado", "modalidade", "timestamp"]
modes = {"À vista", "Financiamento", "Consórcio"}
money = re.compile(r'"(total_faturado|preco_total)":(-?[0-9.eE+-]+)[,}]')
date = re.compile(r"^\d{4}-\d{2}-\d{2}$")
prefix = "%08x" % int(__import__("datetime").datetime.fromisoformat(
    stamp.replace("Z", "+00:00")).timestamp())
price = {}
n = 0

def fail(lineno, what):
    sys.exit("line %d: %s" % (lineno, what))

with open(path, "rb") as f:
    for lineno, raw in enumerate(f, 1):
        n += 1
        text = raw.decode("utf-8")            # strict: must be UTF-8
        if not text.endswith("}\n"):
            fail(lineno, "not one object per line")
        if "\\u" in text:
            fail(lineno, "non-ASCII escaped")
        r = json.loads(text, parse_float=Decimal)
        if list(r) != fields:
            fail(lineno, "fields %r" % list(r))
        for name, value in money.findall(text):
            if not re.fullmatch(r"\d+\.\d\d", value):
                fail(lineno, "%s is %s" % (name, value))
        for k in ("_id", "data_venda", "moto_mais_vendida", "cidade",
                  "estado", "modalidade", "timestamp"):
            if not isinstance(r[k], str) or r[k] == "":
                fail(lineno, "%s not a string" % k)
        for k in ("total_vendas", "quantidade_moto_mais_vendida"):
            if type(r[k]) is not int:
                fail(lineno, "%s not an integer" % k)
        for k in ("total_faturado", "preco_total"):
            if not isinstance(r[k], Decimal):
                fail(lineno, "%s not a decimal" % k)
        if not re.fullmatch(r"[0-9a-f]{24}", r["_id"]) or \
           not r["_id"].startswith(prefix):
            fail(lineno, "_id %s" % r["_id"])
        if not date.match(r["data_venda"]) or \
           not start <= r["data_venda"] <= end:
            fail(lineno, "data_venda %s" % r["data_venda"])
        __import__("datetime").date.fromisoformat(r["data_venda"])
        tv, q = r["total_vendas"], r["quantidade_moto_mais_vendida"]
        if not 1 <= tv or not 1 <= q <= tv:
            fail(lineno, "quantities %d %d" % (tv, q))
        unit = r["preco_total"] / q
        if unit != unit.quantize(Decimal("0.01")) or unit <= 0:
            fail(lineno, "preco_total %s not %d units" % (r["preco_total"], q))
        if price.setdefault(r["moto_mais_vendida"], unit) != unit:
            fail(lineno, "two prices for %s" % r["moto_mais_vendida"])
        if r["total_faturado"] < r["preco_total"]:
            fail(lineno, "total_faturado < preco_total")
        if q == tv and r["total_faturado"] != r["preco_total"]:
            fail(lineno, "all units one model, yet revenue differs")
        if r["modalidade"] not in modes:
            fail(lineno, "modalidade %s" % r["modalidade"])
        if allowed and r["estado"] not in allowed:
            fail(lineno, "estado %s" % r["estado"])
        if r["timestamp"] != stamp:
            fail(lineno, "timestamp %s" % r["timestamp"])

print(n)
EOF
}

@test "gen-sales: -n 1000 writes exactly 1000 lines" {
	run bash -c "gen-sales -n 1000 -s 1 --now $NOW | wc -l"
	assert_success
	assert_output 1000
}

@test "gen-sales: without -n writes the original batch of 2" {
	run bash -c "gen-sales --now $NOW | wc -l"
	assert_success
	assert_output 2
}

@test "gen-sales: -n 0 writes nothing" {
	run gen-sales -n 0 -s 1
	assert_success
	assert_output ""
}

@test "gen-sales: every record is valid and consistent" {
	gen-sales -n 20000 -s 7 --now 2025-06-30T12:00:00.250Z \
	    --start 2024-02-20 --end 2024-03-10 > "$BATS_TEST_TMPDIR/s"
	run check_records "$BATS_TEST_TMPDIR/s" 2024-02-20 2024-03-10 \
	    2025-06-30T12:00:00.250Z
	assert_success
	assert_output 20000
}

@test "gen-sales: dates cover the range given, ends included" {
	gen-sales -n 5000 -s 3 --now $NOW --start 2024-12-30 \
	    --end 2025-01-02 > "$BATS_TEST_TMPDIR/s"
	run bash -c "jq -r .data_venda '$BATS_TEST_TMPDIR/s' | sort -u"
	assert_output "$(printf '%s\n' 2024-12-30 2024-12-31 2025-01-01 \
	    2025-01-02)"
}

@test "gen-sales: default range is the 120 days before --now" {
	gen-sales -n 20000 -s 5 --now $NOW > "$BATS_TEST_TMPDIR/s"
	run check_records "$BATS_TEST_TMPDIR/s" 2025-03-02 2025-06-29 \
	    2025-06-30T12:00:00.000Z
	assert_success
	run bash -c "jq -r .data_venda '$BATS_TEST_TMPDIR/s' | sort -u |
	    sed -n '1p;\$p;\$='"
	assert_output "$(printf '%s\n' 2025-03-02 2025-06-29 120)"
}

@test "gen-sales: --end alone gives the 120 days up to it" {
	run bash -c "gen-sales -n 20000 -s 5 --now $NOW --end 2024-01-31 |
	    jq -r .data_venda | sort -u | sed -n '1p;\$p'"
	assert_output "$(printf '%s\n' 2023-10-04 2024-01-31)"
}

@test "gen-sales: --start alone runs to the day before --now" {
	run bash -c "gen-sales -n 20000 -s 5 --now $NOW --start 2025-06-01 |
	    jq -r .data_venda | sort -u | sed -n '1p;\$p'"
	assert_output "$(printf '%s\n' 2025-06-01 2025-06-29)"
}

@test "gen-sales: a one-day range" {
	run bash -c "gen-sales -n 100 -s 5 --now $NOW --start 2024-02-29 \
	    --end 2024-02-29 | jq -r .data_venda | sort -u"
	assert_output 2024-02-29
}

@test "gen-sales: --now with an offset and a fraction is converted to UTC" {
	run bash -c "gen-sales -n 1 -s 1 --now 2025-06-30T09:00:00.25-03:00 |
	    jq -r '._id[:8], .timestamp'"
	assert_success
	# 2025-06-30T12:00:00Z is 1751284800 seconds, 0x68627c40
	assert_output "$(printf '%s\n' 68627c40 2025-06-30T12:00:00.250Z)"
}

@test "gen-sales: --now with +00:00 equals Z" {
	a=$(gen-sales -n 50 -s 9 --now 2025-06-30T12:00:00+00:00)
	b=$(gen-sales -n 50 -s 9 --now $NOW)
	[ -n "$a" ]
	[ "$a" = "$b" ]
}

@test "gen-sales: same seed and --now give identical output" {
	gen-sales -n 10000 -s 42 --now $NOW > "$BATS_TEST_TMPDIR/a"
	gen-sales -n 10000 -s 42 --now $NOW > "$BATS_TEST_TMPDIR/b"
	run cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_success
	[ "$(wc -l < "$BATS_TEST_TMPDIR/a")" -eq 10000 ]
}

@test "gen-sales: a smaller -n is a prefix of a larger one" {
	gen-sales -n 10 -s 42 --now $NOW > "$BATS_TEST_TMPDIR/a"
	gen-sales -n 1000 -s 42 --now $NOW | head -10 > "$BATS_TEST_TMPDIR/b"
	run cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_success
}

@test "gen-sales: a different seed gives different records" {
	gen-sales -n 100 -s 42 --now $NOW > "$BATS_TEST_TMPDIR/a"
	gen-sales -n 100 --seed 43 --now $NOW > "$BATS_TEST_TMPDIR/b"
	run cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_failure
	# not even one _id in common
	run bash -c "cat '$BATS_TEST_TMPDIR/a' '$BATS_TEST_TMPDIR/b' |
	    jq -r ._id | sort | uniq -d"
	assert_output ""
}

@test "gen-sales: no seed gives a different run each time" {
	a=$(gen-sales -n 20 --now $NOW)
	b=$(gen-sales -n 20 --now $NOW)
	[ -n "$a" ]
	[ "$a" != "$b" ]
}

@test "gen-sales: _id is unique over 100000 records" {
	gen-sales -n 100000 -s 1 --now $NOW > "$BATS_TEST_TMPDIR/s"
	run bash -c "jq -r ._id '$BATS_TEST_TMPDIR/s' | sort -u | wc -l"
	assert_output 100000
}

@test "gen-sales: _id rises through a run, by one from record to record" {
	# as an ObjectId's counter does; any seed, so with and without a
	# carry out of the last digits
	for s in 1 7 123456789; do
		gen-sales -n 5000 -s $s --now $NOW > "$BATS_TEST_TMPDIR/s"
		run /usr/bin/python3 -c '
import json, sys
ids = [json.loads(l)["_id"] for l in open(sys.argv[1])]
n = [int(i[8:], 16) for i in ids]
assert len(ids) == 5000
assert all(i[:8] == ids[0][:8] for i in ids), "time prefix"
bad = [k for k in range(1, len(n)) if n[k] != n[k - 1] + 1]
print("not consecutive at record", bad[0] + 1 if bad else "none")
' "$BATS_TEST_TMPDIR/s"
		assert_success
		assert_output "not consecutive at record none"
	done
}

@test "gen-sales: --uf CE gives only Ceará and its cities" {
	gen-sales -n 2000 -s 1 --now $NOW --uf CE > "$BATS_TEST_TMPDIR/s"
	run bash -c "jq -r .estado '$BATS_TEST_TMPDIR/s' | sort -u"
	assert_output "Ceará"
	run bash -c "jq -r .cidade '$BATS_TEST_TMPDIR/s' | sort | uniq -c |
	    sort -rn | head -1"
	assert_output --regexp '^ *[0-9]+ Fortaleza$'
}

@test "gen-sales: --uf is case-insensitive and takes a list" {
	gen-sales -n 3000 -s 2 --now $NOW --uf sp,Ce,rj > "$BATS_TEST_TMPDIR/s"
	run check_records "$BATS_TEST_TMPDIR/s" 2025-03-02 2025-06-29 \
	    2025-06-30T12:00:00.000Z "São Paulo" "Ceará" "Rio de Janeiro"
	assert_success
	run bash -c "jq -r .estado '$BATS_TEST_TMPDIR/s' | sort -u"
	assert_output "$(printf '%s\n' Ceará 'Rio de Janeiro' 'São Paulo')"
}

@test "gen-sales: all 27 states, several cities each, all three modes" {
	gen-sales -n 100000 -s 11 --now $NOW > "$BATS_TEST_TMPDIR/s"
	run bash -c "jq -r .estado '$BATS_TEST_TMPDIR/s' | sort -u | wc -l"
	assert_output 27
	# every state has at least 3 cities
	run bash -c "jq -r '[.estado, .cidade] | @tsv' '$BATS_TEST_TMPDIR/s' |
	    sort -u | cut -f1 | uniq -c | awk '\$1 < 3'"
	assert_output ""
	run bash -c "jq -r .modalidade '$BATS_TEST_TMPDIR/s' | sort -u"
	assert_output "$(printf '%s\n' Consórcio Financiamento 'À vista')"
	# São Paulo is the largest market
	run bash -c "jq -r .estado '$BATS_TEST_TMPDIR/s' | sort | uniq -c |
	    sort -rn | head -1"
	assert_output --regexp '^ *[0-9]+ São Paulo$'
}

@test "gen-sales: modalidade is about 30/50/20 percent" {
	run bash -c "gen-sales -n 100000 -s 4 --now $NOW |
	    jq -r .modalidade | sort | uniq -c | awk '
	    \$2 == \"Financiamento\" && \$1 > 48500 && \$1 < 51500 { ok++ }
	    \$2 == \"Consórcio\" && \$1 > 18800 && \$1 < 21200 { ok++ }
	    \$2 == \"À\" && \$1 > 28600 && \$1 < 31400 { ok++ }
	    END { print ok }'"
	assert_output 3
}

@test "gen-sales: Sundays sell least, Saturdays less, December beats February" {
	gen-sales -n 100000 -s 8 --now $NOW --start 2024-01-01 \
	    --end 2024-12-31 > "$BATS_TEST_TMPDIR/s"
	run python3 - "$BATS_TEST_TMPDIR/s" <<'EOF'
import json, sys, datetime, collections
day = collections.defaultdict(list)
month = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    d = datetime.date.fromisoformat(r["data_venda"])
    day[d.isoweekday()].append(r["total_vendas"])
    month[d.month].append(r["total_vendas"])
mean = lambda v: sum(v) / len(v)
weekday = min(mean(day[i]) for i in range(1, 6))
print(mean(day[7]) < mean(day[6]) / 2, mean(day[6]) < weekday,
      mean(month[12]) > 1.2 * mean(month[2]))
EOF
	assert_output "True True True"
}

@test "gen-sales: a large -n streams: | head -1 returns at once" {
	run timeout 10 sh -c 'gen-sales -n 100000000 | head -1'
	assert_success
	assert_output --regexp '^\{"_id":"[0-9a-f]{24}",.*\}$'
	[ "${#lines[@]}" -eq 1 ]
}

@test "gen-sales: a closed pipe with SIGPIPE ignored is an I/O error" {
	run timeout 10 bash -c "trap '' PIPE
	    gen-sales -n 100000000 2> '$BATS_TEST_TMPDIR/err' | head -c 1
	    exit \${PIPESTATUS[0]}"
	assert_failure 74
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output "gen-sales: stdout: Broken pipe"
}

@test "gen-sales: /dev/full as output exits 74" {
	run bash -c 'gen-sales -n 10 -s 1 > /dev/full'
	assert_failure 74
	assert_output "gen-sales: stdout: No space left on device"
	run timeout 10 bash -c 'gen-sales -n 100000000 > /dev/full'
	assert_failure 74
	assert_output "gen-sales: stdout: No space left on device"
}

@test "gen-sales: a bad option is a usage error" {
	run gen-sales -x
	assert_failure 64
	assert_line --index 0 "gen-sales: invalid option -- 'x'"
	assert_line --index 1 --partial "usage: gen-sales [-n count]"
	run gen-sales --bogus
	assert_failure 64
	assert_line --index 0 "gen-sales: unrecognized option '--bogus'"
	run gen-sales -n
	assert_failure 64
	run gen-sales extra
	assert_failure 64
	assert_line --index 0 "gen-sales: unexpected argument: extra"
}

@test "gen-sales: a bad --count is a usage error naming it" {
	run gen-sales --count abc
	assert_failure 64
	assert_line --index 0 "gen-sales: --count: invalid number: abc"
	run gen-sales -n -1
	assert_failure 64
	assert_line --index 0 "gen-sales: --count: invalid number: -1"
	run gen-sales -n 12x
	assert_failure 64
	assert_line --index 0 "gen-sales: --count: invalid number: 12x"
	run gen-sales -n ''
	assert_failure 64
	assert_line --index 0 "gen-sales: --count: invalid number: "
	max=18446744073709551615 big=18446744073709551616
	run gen-sales -n $big
	assert_failure 64
	assert_line --index 0 \
	    "gen-sales: --count: out of range (0 to $max): $big"
	run gen-sales -s ' 1'
	assert_failure 64
	assert_line --index 0 "gen-sales: --seed: invalid number:  1"
}

@test "gen-sales: the largest seed is accepted" {
	run bash -c "gen-sales -n 3 -s 18446744073709551615 --now $NOW | wc -l"
	assert_success
	assert_output 3
}

@test "gen-sales: a bad --start or --end is a usage error" {
	run gen-sales --start 2025-02-30
	assert_failure 64
	assert_line --index 0 "gen-sales: --start: invalid date: 2025-02-30"
	run gen-sales --end 2025-6-1
	assert_failure 64
	assert_line --index 0 "gen-sales: --end: invalid date: 2025-6-1"
	run gen-sales --start 2025-06-02 --end 2025-06-01
	assert_failure 64
	assert_line --index 0 \
	    "gen-sales: --start: 2025-06-02 is after the end date 2025-06-01"
	run gen-sales --now $NOW --start 2025-06-30
	assert_failure 64
	assert_line --index 0 \
	    "gen-sales: --start: 2025-06-30 is after the end date 2025-06-29"
}

@test "gen-sales: a bad --now is a usage error" {
	for t in 2025-06-30 2025-06-30T12:00:00 2025-06-30T25:00:00Z \
	    2025-06-30T12:00:00Zx 1969-12-31T23:59:59Z 2106-02-07T06:28:16Z; do
		run gen-sales --now "$t"
		assert_failure 64
		assert_line --index 0 "gen-sales: --now: invalid timestamp: $t"
	done
	run bash -c "gen-sales -n 1 --now 2106-02-07T06:28:15Z | jq -r ._id"
	assert_output --regexp '^ffffffff[0-9a-f]{16}$'
}

@test "gen-sales: an unknown --uf code is a usage error naming it" {
	run gen-sales --uf CE,XX
	assert_failure 64
	assert_line --index 0 "gen-sales: --uf: unknown state: XX"
	run gen-sales --uf CEA
	assert_failure 64
	assert_line --index 0 "gen-sales: --uf: unknown state: CEA"
	run gen-sales --uf CE,
	assert_failure 64
	assert_line --index 0 "gen-sales: --uf: empty state code"
}

@test "gen-sales: --help prints usage on stdout" {
	run --separate-stderr gen-sales --help
	assert_success
	assert_line --index 0 --partial "usage: gen-sales [-n count] [-s seed]"
	[ -z "$stderr" ]
	run gen-sales -h
	assert_success
	assert_line --index 0 --partial "usage: gen-sales"
}

@test "gen-sales: --version" {
	run gen-sales --version
	assert_success
	assert_output "gen-sales (dataops) 0.1.0"
}

@test "gen-sales: man page example: a reproducible sample" {
	cd "$BATS_TEST_TMPDIR"
	gen-sales -n 1000 -s 42 --now 2025-06-30T12:00:00Z > sales.ndjson
	run check_records sales.ndjson 2025-03-02 2025-06-29 \
	    2025-06-30T12:00:00.000Z
	assert_success
	assert_output 1000
}

@test "gen-sales: man page example: cities of five sales in Ceará" {
	run bash -c 'gen-sales -n 5 --uf CE | jq .cidade'
	assert_success
	[ "${#lines[@]}" -eq 5 ]
	cities='^"(Fortaleza|Caucaia|Juazeiro do Norte|Maracanaú|Sobral|Crato)"$'
	for l in "${lines[@]}"; do
		[[ $l =~ $cities ]]
	done
}

# aggregate FILE KEY: the aggregate rows of the records in FILE, computed in
# exact decimals by python, in the order and format of dataops' aggregators.
aggregate() {
	python3 - "$@" <<'EOF'
import json, sys
from decimal import Decimal
path, key = sys.argv[1:]
groups = {}
for line in open(path, encoding="utf-8"):
    r = json.loads(line, parse_float=Decimal)
    k = r["data_venda"][:7] if key == "ano_mes" else r[key]
    g = groups.setdefault(k, [0, Decimal(0), 0, 0])
    g[0] += r["total_vendas"]
    g[1] += r["total_faturado"]
    g[2] += r["quantidade_moto_mais_vendida"]
    g[3] += 1
if key == "ano_mes":
    order = sorted(groups)
else:
    order = sorted(groups, key=lambda k: (-groups[k][0], k.encode()))
for k in order:
    g = groups[k]
    print('{"%s":%s,"total_vendas":%d,"total_faturado":%s,'
          '"quantidade_motos_vendidas":%d,"registros":%d}' % (key,
          json.dumps(k, ensure_ascii=False), g[0],
          g[1].quantize(Decimal("0.01")), g[2], g[3]))
EOF
}

@test "gen-sales: man page example: the Northeast per state" {
	gen-sales -n 100000 --start 2024-01-01 --end 2024-12-31 \
	    --uf MA,PI,CE,RN,PB,PE,AL,SE,BA | tee "$BATS_TEST_TMPDIR/s" |
	    agg-by-state > "$BATS_TEST_TMPDIR/agg"
	aggregate "$BATS_TEST_TMPDIR/s" estado > "$BATS_TEST_TMPDIR/expected"
	run cat "$BATS_TEST_TMPDIR/agg"
	assert_output "$(cat "$BATS_TEST_TMPDIR/expected")"
	[ "${#lines[@]}" -eq 9 ]
}

@test "gen-sales: man page example: totals per month" {
	gen-sales -n 100000 | tee "$BATS_TEST_TMPDIR/s" |
	    agg-by-month > "$BATS_TEST_TMPDIR/agg"
	aggregate "$BATS_TEST_TMPDIR/s" ano_mes > "$BATS_TEST_TMPDIR/expected"
	run cat "$BATS_TEST_TMPDIR/agg"
	assert_output "$(cat "$BATS_TEST_TMPDIR/expected")"
	[ "${#lines[@]}" -ge 4 ]
}
