#!/usr/bin/env bats
# report: the terminal summary of aggregate rows.
#
# Expected output comes from a hand-checked fixture
# (tests/fixtures/report-ab.expected, worked out from report-a.ndjson and
# report-b.ndjson by hand) or from Python with exact decimals over
# generated data; never from report itself.

# shellcheck disable=SC2154 # $stderr, $stderr_lines: set by bats' run
load test_helper
bats_require_minimum_version 1.5.0

REPORT_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
REPORT_FIX=$REPORT_ROOT/tests/fixtures
ESC=$'\033'

setup_file() {
	local d=$BATS_FILE_TMPDIR

	gen-sales -n 20000 -s 5 --now 2025-06-30T12:00:00Z > "$d/sales.ndjson"
	agg-by-month "$d/sales.ndjson" > "$d/month.ndjson"
	agg-by-state "$d/sales.ndjson" > "$d/state.ndjson"
	agg-by-state --city "$d/sales.ndjson" > "$d/city.ndjson"
	agg-by-mode "$d/sales.ndjson" > "$d/mode.ndjson"
	# gen-sales writes whole multiples of ten reais: vary the cents, so
	# that sums of cents are exercised too
	python3 -c '
import re, sys
for n, line in enumerate(sys.stdin, 1):
    sys.stdout.write(re.sub(r"(\"total_faturado\":[0-9]+\.)[0-9][0-9]",
                            lambda m: m.group(1) + "%02d" % (n * 37 % 100),
                            line))' < "$d/sales.ndjson" > "$d/cents.ndjson"
	agg-by-state "$d/cents.ndjson" > "$d/state-cents.ndjson"
}

setup() {
	unset NO_COLOR
	cd "$BATS_TEST_TMPDIR" || return 1
}

# report_same EXPECTED ACTUAL: the two files are identical, byte for byte.
report_same() {
	run diff -u -- "$1" "$2"
	assert_success
}

# on_tty CMD: run the shell command CMD with a pseudo-terminal as its
# standard output (script(1) from bsdutils), printing what it wrote with
# the terminal's CRs removed.
on_tty() {
	SHELL=/bin/sh script -qc "$1" /dev/null < /dev/null | tr -d '\r'
}

# check_report REPORT INPUT...: check every row and every "Total" line of
# the report in file REPORT against the aggregate rows of INPUT..., summed
# with exact decimals: the sections present and their order, the rows and
# their order, each number as Brazilian text, each bar's length.
check_report() {
	python3 - "$@" <<'EOF'
import json, re, sys
from decimal import Decimal
from fractions import Fraction

report, inputs = sys.argv[1], sys.argv[2:]
kinds = [("month", "Vendas por ano/mês"), ("state", "Vendas por estado"),
         ("city", "Vendas por cidade"), ("mode", "Vendas por modalidade")]
groups = {k: {} for k, _ in kinds}

def kind_key(r):
    if "ano_mes" in r:
        return "month", (r["ano_mes"],)
    if "estado" in r and "cidade" in r:
        return "city", (r["estado"], r["cidade"])
    if "estado" in r:
        return "state", (r["estado"],)
    return "mode", (r["modalidade"],)

for path in inputs:
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line, parse_float=Decimal)
            k, key = kind_key(r)
            g = groups[k].setdefault(key, [0, Decimal(0), 0, 0])
            for i, m in enumerate(("total_vendas", "total_faturado",
                                   "quantidade_motos_vendidas", "registros")):
                v = r[m]
                if isinstance(v, dict):         # {"$numberDecimal": "1.50"}
                    (v,) = v.values()
                v = Decimal(v)
                g[i] += v if i == 1 else int(v)

def fint(n):
    return f"{n:,}".replace(",", ".")

def fmoney(d):
    cents = int(d * 100)
    assert cents == d * 100
    return "R$ %s,%02d" % (fint(cents // 100), cents % 100)

def bar(v, top):
    if v <= 0:
        return ""
    units = int(Fraction(v) * 192 / Fraction(top) + Fraction(1, 2))
    units = max(units, 1)
    return "█" * (units // 8) + " ▏▎▍▌▋▊▉"[units % 8].strip()

def fields(line):
    return re.split(r" {2,}", line.strip())

text = open(report, encoding="utf-8").read()
assert text.endswith("\n"), "no final newline"
blocks = text[:-1].split("\n\n")
want = [(k, t) for k, t in kinds if groups[k]]
got_titles = blocks[0::2]
assert got_titles == [t for _, t in want], "sections %r" % got_titles
for (k, title), block in zip(want, blocks[1::2]):
    lines = block.split("\n")
    keys = sorted(groups[k])
    if k != "month":
        keys.sort(key=lambda key: (-groups[k][key][0],
                                   [s.encode() for s in key]))
    assert len(lines) == len(keys) + 2, "%s: %d lines" % (title, len(lines))
    top = max(g[1] for g in groups[k].values())
    total = [sum(g[i] for g in groups[k].values()) for i in range(4)]
    for line, key in zip(lines[1:], keys + ["Total"]):
        g = groups[k][key] if key != "Total" else total
        want_f = list(key) if key != "Total" else ["Total"]
        want_f += [fint(g[0]), fmoney(g[1]), fint(g[2]), fint(g[3])]
        if key != "Total" and bar(g[1], top):
            want_f.append(bar(g[1], top))
        assert fields(line) == want_f, "%s:\n%r\n%r" % (title, line, want_f)
print("ok")
EOF
}

# check_aligned REPORT: in each section of the report in file REPORT, the
# heading line, every row and the "Total" line have the same width (in
# characters) up to the bar, the measures end in the same columns and
# the keys start in the same columns.
check_aligned() {
	python3 - "$1" <<'EOF'
import re, sys

BLOCKS = "█▉▊▋▌▍▎▏"
text = open(sys.argv[1], encoding="utf-8").read()
blocks = text[:-1].split("\n\n")
for title, block in zip(blocks[0::2], blocks[1::2]):
    lines = block.split("\n")
    spans = []
    for n, line in enumerate(lines):
        cut = min([line.find(c) for c in BLOCKS if c in line] or [len(line)])
        head = line[:cut]
        if cut < len(line):
            assert 0 < n < len(lines) - 1, "%s: bar on %r" % (title, line)
            assert head.endswith("  "), "%s: %r" % (title, line)
            assert set(line[cut:]) <= set(BLOCKS), "%s: %r" % (title, line)
            head = head[:-2]
        spans.append((len(head),
                      [m.span() for m in re.finditer(r"\S+(?: \S+)*", head)]))
    width, cols = spans[0]
    for line, (w, c) in zip(lines, spans):
        assert w == width, "%s: width %d, not %d: %r" % (title, w, width, line)
        assert [e for _, e in c[-4:]] == [e for _, e in cols[-4:]], \
            "%s: measures not aligned: %r" % (title, line)
        assert c[0][0] == 2, "%s: %r" % (title, line)
    for line, (w, c) in zip(lines[1:-1], spans[1:-1]):
        assert [s for s, _ in c[:-4]] == [s for s, _ in cols[:-4]], \
            "%s: keys not aligned: %r" % (title, line)
print("ok")
EOF
}

# man_examples PAGE [N]: run the first N examples of man/PAGE (all by
# default) in the current directory as a reader types them: each "$ " command, with
# its continuation lines and here-document, through `bash -o pipefail`.
# Each must exit 0, and the lines the page shows after a command must be
# exactly what it writes.  With N = count, print the number of examples.
man_examples() {
	mandoc -Tutf8 "$REPORT_ROOT/man/$1" > "$BATS_TEST_TMPDIR/.page"
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

# A hand-checked fixture ----------------------------------------------

@test "report: two files: sections, sums of equal keys, order, formats" {
	run --separate-stderr sh -c "report '$REPORT_FIX/report-a.ndjson' \
	    '$REPORT_FIX/report-b.ndjson' > out"
	assert_success
	[ -z "$stderr" ]
	report_same "$REPORT_FIX/report-ab.expected" out
}

@test "report: the order of files and of rows does not change the report" {
	report "$REPORT_FIX/report-b.ndjson" "$REPORT_FIX/report-a.ndjson" > ba
	report_same "$REPORT_FIX/report-ab.expected" ba
	cat "$REPORT_FIX/report-a.ndjson" "$REPORT_FIX/report-b.ndjson" |
	    tac > all.ndjson
	report all.ndjson > reversed
	report_same "$REPORT_FIX/report-ab.expected" reversed
}

@test "report: the fixture agrees with the Python check" {
	report "$REPORT_FIX/report-a.ndjson" "$REPORT_FIX/report-b.ndjson" > out
	run check_report out "$REPORT_FIX/report-a.ndjson" \
	    "$REPORT_FIX/report-b.ndjson"
	assert_success
	assert_output ok
	run check_aligned out
	assert_output ok
}

@test "report: '-' and no file read standard input" {
	cat "$REPORT_FIX/report-a.ndjson" "$REPORT_FIX/report-b.ndjson" \
	    > all.ndjson
	report < all.ndjson > none
	report_same "$REPORT_FIX/report-ab.expected" none
	report - < all.ndjson > dash
	report_same "$REPORT_FIX/report-ab.expected" dash
	report "$REPORT_FIX/report-a.ndjson" - \
	    < "$REPORT_FIX/report-b.ndjson" > mixed
	report_same "$REPORT_FIX/report-ab.expected" mixed
}

# Generated data ------------------------------------------------------

@test "report: rows and totals equal exact sums of the rows (20000 records)" {
	local d=$BATS_FILE_TMPDIR rows n

	for rows in "$d/state.ndjson" "$d/state-cents.ndjson"; do
		report_totals "$rows"
	done
	# the cents do vary
	n=$(grep -vc '"total_faturado":[0-9]*\.00,' "$d/state-cents.ndjson")
	[ "$n" -ge 20 ]
}

# report_totals ROWS: report's rows and Total line for the state rows in
# file ROWS equal exact sums of them.
report_totals() {
	[ "$(wc -l < "$1")" -eq 27 ]
	report "$1" > out
	run check_report out "$1"
	assert_success
	assert_output ok
	# the Total line, worked out separately from the state rows
	total=$(python3 -c '
import json, sys
from decimal import Decimal
t = [0, Decimal(0), 0, 0]
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line, parse_float=Decimal)
    for i, m in enumerate(("total_vendas", "total_faturado",
                           "quantidade_motos_vendidas", "registros")):
        t[i] += r[m]
f = lambda n: f"{n:,}".replace(",", ".")
print(f(t[0]), "R$ " + f(int(t[1])) + ",%02d" % (t[1] * 100 % 100),
      f(t[2]), f(t[3]))' "$1")
	run sh -c "grep '^  Total ' out | tr -s ' ' | cut -d' ' -f3-"
	assert_output "$total"
	[[ $total == *" 20.000" ]]
}

@test "report: all four kinds of generated rows, mixed in one input" {
	local d=$BATS_FILE_TMPDIR

	cat "$d/mode.ndjson" "$d/city.ndjson" "$d/state.ndjson" \
	    "$d/month.ndjson" | sort > mixed.ndjson
	report mixed.ndjson > out
	run check_report out "$d/month.ndjson" "$d/state.ndjson" \
	    "$d/city.ndjson" "$d/mode.ndjson"
	assert_success
	assert_output ok
	# every section totals the same 20000 records
	run sh -c "grep '^  Total ' out | tr -s ' ' | cut -d' ' -f3- | sort -u"
	assert_output --regexp '^[0-9.]+ R\$ [0-9.]+,[0-9]{2} [0-9.]+ 20\.000$'
}

@test "report: columns are aligned in every section" {
	local d=$BATS_FILE_TMPDIR

	report "$d/month.ndjson" "$d/state.ndjson" "$d/city.ndjson" \
	    "$d/mode.ndjson" > out
	run check_aligned out
	assert_success
	assert_output ok
	# the check sees a misaligned line
	sed '5s/^  /   /' out > bad
	run check_aligned bad
	assert_failure
}

@test "report: bars: eighths, a sliver for a little revenue, none for none" {
	cat > rows.ndjson <<'EOF'
{"modalidade":"A","total_vendas":3,"total_faturado":1000000.00,"quantidade_motos_vendidas":1,"registros":1}
{"modalidade":"B","total_vendas":2,"total_faturado":0.01,"quantidade_motos_vendidas":1,"registros":1}
{"modalidade":"C","total_vendas":1,"total_faturado":0.00,"quantidade_motos_vendidas":0,"registros":1}
EOF
	report rows.ndjson > out
	# no blank at the end of a line
	run grep -n ' $' out
	assert_output ""
	run --keep-empty-lines cat out
	assert_line --index 3 \
	    "  A                3  R\$ 1.000.000,00      1          1  ████████████████████████"
	assert_line --index 4 \
	    "  B                2          R\$ 0,01      1          1  ▏"
	assert_line --index 5 \
	    "  C                1          R\$ 0,00      0          1"
}

# Colour and the terminal ---------------------------------------------

@test "report: no escape sequence when stdout is not a terminal" {
	report "$BATS_FILE_TMPDIR/state.ndjson" > out
	run grep -c "$ESC" out
	assert_output 0
	[ -s out ]
}

@test "report: colour on a terminal, and the same text" {
	report "$BATS_FILE_TMPDIR/city.ndjson" > plain
	on_tty "report '$BATS_FILE_TMPDIR/city.ndjson'" > tty.out
	run grep -c "$ESC" tty.out
	refute_output 0
	run grep -cF "${ESC}[1mVendas por cidade${ESC}[0m" tty.out
	assert_output 1
	# a coloured bar on every row
	run grep -c "  $ESC\[36m[^ ]*$ESC\[0m\$" tty.out
	assert_output "$(($(wc -l < plain) - 4))"
	sed "s/$ESC\[[0-9;]*m//g" tty.out > stripped
	report_same plain stripped
}

@test "report: NO_COLOR=1 on a terminal: no colour" {
	report "$BATS_FILE_TMPDIR/mode.ndjson" > plain
	NO_COLOR=1 on_tty "report '$BATS_FILE_TMPDIR/mode.ndjson'" > tty.out
	report_same plain tty.out
	run grep -c "$ESC" tty.out
	assert_output 0
}

@test "report: NO_COLOR set but empty on a terminal: colour (no-color.org)" {
	NO_COLOR='' on_tty "report '$BATS_FILE_TMPDIR/mode.ndjson'" > tty.out
	run grep -cF "${ESC}[1mVendas por modalidade${ESC}[0m" tty.out
	assert_output 1
}

@test "report: control characters in a key are shown as '?'" {
	cat > ctl.ndjson <<'EOF'
{"estado":"\u001b[31mX","total_vendas":4,"total_faturado":4.00,"quantidade_motos_vendidas":1,"registros":1}
{"estado":"a\tb\u007fc\nd","total_vendas":3,"total_faturado":2.00,"quantidade_motos_vendidas":1,"registros":1}
{"estado":"Ceará","cidade":"\u001b]0;pwned\u0007","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
EOF
	report ctl.ndjson > out
	[ "$(wc -l < out)" -eq 12 ]
	run -0 --keep-empty-lines report ctl.ndjson
	refute_output --partial "$ESC"
	refute_output --partial $'\a'
	refute_output --partial $'\t'
	refute_output --partial $'\x7f'
	assert_line --index 2 "  Estado   Vendas  Faturamento  Motos  Registros"
	assert_line --index 3 "  ?[31mX        4      R\$ 4,00      1          1  ████████████████████████"
	assert_line --index 4 "  a?b?c?d       3      R\$ 2,00      1          1  ████████████"
	assert_line --index 10 "  Ceará   ?]0;pwned?       1      R\$ 1,00      1          1  ████████████████████████"
	run check_aligned out
	assert_output ok
}

@test "report: C1 control characters (U+0080-U+009F) are '?', columns kept" {
	# U+009B is CSI on terminals that take 8-bit controls
	cat > c1.ndjson <<'EOF'
{"estado":"A\u009b2JB","total_vendas":2,"total_faturado":2.00,"quantidade_motos_vendidas":1,"registros":1}
{"estado":"Ceará\u0085","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
EOF
	run -0 --keep-empty-lines report c1.ndjson
	refute_output --partial $'\xc2\x9b'
	refute_output --partial $'\xc2\x85'
	assert_line --index 2 "  Estado  Vendas  Faturamento  Motos  Registros"
	assert_line --index 3 "  A?2JB        2      R\$ 2,00      1          1  ████████████████████████"
	assert_line --index 4 "  Ceará?       1      R\$ 1,00      1          1  ████████████"
	assert_line --index 5 "  Total        3      R\$ 3,00      2          2"
}

@test "report: a NUL character in a key is shown as '?', not cut off" {
	cat > nul.ndjson <<'EOF'
{"estado":"A\u0000B","total_vendas":2,"total_faturado":2.00,"quantidade_motos_vendidas":1,"registros":1}
{"estado":"A\u0000C","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
EOF
	run -0 --keep-empty-lines report nul.ndjson
	assert_line --index 3 "  A?B          2      R\$ 2,00      1          1  ████████████████████████"
	assert_line --index 4 "  A?C          1      R\$ 1,00      1          1  ████████████"
}

# Empty input and errors ----------------------------------------------

@test "report: empty input gives empty output" {
	run --separate-stderr report /dev/null
	assert_success
	assert_output ""
	[ -z "$stderr" ]
	run report < /dev/null
	assert_success
	assert_output ""
	printf '\n\n\n' > blank.ndjson
	run report blank.ndjson - < /dev/null
	assert_success
	assert_output ""
}

@test "report: a malformed line: 65, file:line on stderr, nothing on stdout" {
	{
		head -1 "$REPORT_FIX/report-a.ndjson"
		echo
		echo '{"estado":"Ceará","total_vendas":1,'
	} > bad.ndjson
	run --separate-stderr report bad.ndjson
	assert_failure 65
	assert_output ""
	[[ $stderr == "report: bad.ndjson:3: invalid JSON"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	# in a second file, on standard input
	run --separate-stderr report "$REPORT_FIX/report-a.ndjson" - < bad.ndjson
	assert_failure 65
	assert_output ""
	[[ $stderr == "report: <stdin>:3: invalid JSON"* ]]
}

@test "report: a bad measure: 65 with the reason" {
	local m='"quantidade_motos_vendidas":1,"registros":1'

	echo '{"estado":"x","total_vendas":-1,"total_faturado":1.00,'"$m"'}' > neg
	run --separate-stderr report neg
	assert_failure 65
	[ "$stderr" = 'report: neg:1: "total_vendas" is negative' ]
	echo '{"ano_mes":"2025-13","total_vendas":1,"total_faturado":1,'"$m"'}' > mon
	run --separate-stderr report mon
	assert_failure 65
	[ "$stderr" = 'report: mon:1: "ano_mes" is not a valid month' ]
	echo '{"modalidade":"x","total_vendas":1,"total_faturado":1.001,'"$m"'}' > dec
	run --separate-stderr report dec
	assert_failure 65
	[ "$stderr" = 'report: dec:1: "total_faturado" has more than 2 decimals' ]
	echo '{"modalidade":"x","total_vendas":1,"total_faturado":1}' > miss
	run --separate-stderr report miss
	assert_failure 65
	[ "$stderr" = 'report: miss:1: missing "quantidade_motos_vendidas"' ] ||
	    [ "$stderr" = 'report: miss:1: missing "registros"' ]
}

@test "report: a row without any key: 65" {
	cat > nokey.ndjson <<'EOF'
{"modalidade":"À vista","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
{"cidade":"Fortaleza","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
EOF
	run --separate-stderr report nokey.ndjson
	assert_failure 65
	assert_output ""
	[ "$stderr" = 'report: nokey.ndjson:2: missing "ano_mes", "estado" or "modalidade"' ]
}

@test "report: a sum that overflows: 65 with file:line" {
	echo '{"estado":"x","total_vendas":9223372036854775807,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}' > big.ndjson
	run --separate-stderr report big.ndjson big.ndjson
	assert_failure 65
	assert_output ""
	[ "$stderr" = "report: big.ndjson:1: a sum overflows" ]
}

@test "report: a nonexistent file: 74, nothing on stdout" {
	run --separate-stderr report "$REPORT_FIX/report-a.ndjson" nope.ndjson
	assert_failure 74
	assert_output ""
	[ "$stderr" = "report: nope.ndjson: No such file or directory" ]
}

@test "report: totals that overflow: 65, and no half report" {
	cat > big.ndjson <<'EOF'
{"ano_mes":"2025-01","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
{"estado":"A","total_vendas":9223372036854775807,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
{"estado":"B","total_vendas":1,"total_faturado":1.00,"quantidade_motos_vendidas":1,"registros":1}
EOF
	run --separate-stderr report big.ndjson
	assert_failure 65
	[[ $stderr == *overflow* ]]
	assert_output ""
}

@test "report: /dev/full as output: 74" {
	run --separate-stderr sh -c "report '$REPORT_FIX/report-a.ndjson' > /dev/full"
	assert_failure 74
	[ "$stderr" = "report: stdout: No space left on device" ]
}

@test "report: a bad option: 64, usage on stderr" {
	run --separate-stderr report -x
	assert_failure 64
	assert_output ""
	[ "${stderr_lines[0]}" = "report: invalid option -- 'x'" ]
	[[ ${stderr_lines[1]} == "usage: report [-f text|html|json] "* ]]
	run --separate-stderr report --bogus
	assert_failure 64
	[ "${stderr_lines[0]}" = "report: unrecognized option '--bogus'" ]
}

@test "report: --help and -h print usage on stdout" {
	run --separate-stderr report --help
	assert_success
	assert_line --index 0 --partial "usage: report [-f text|html|json] [-o file]"
	assert_output --partial "[file ...]"
	[ -z "$stderr" ]
	run --separate-stderr report -h
	assert_success
	assert_line --index 0 --partial "usage:"
}

@test "report: --version" {
	run report --version
	assert_success
	assert_output "report (dataops) 0.1.0"
}

# The man page --------------------------------------------------------

@test "report: man page is lint-clean and every example has a test" {
	run mandoc -Tlint -W warning "$REPORT_ROOT/man/report.1"
	assert_success
	assert_output ""
	run man_examples report.1 count
	assert_output 5
}

@test "report: man page example 1: generate, keep a copy, show the modes" {
	run man_examples report.1 1
	assert_success
	assert_output ok
	[ "$(wc -l < sales.ndjson)" -eq 100000 ]
	agg-by-mode sales.ndjson | report > out
	run cat out
	assert_line --index 0 "Vendas por modalidade"
	assert_line --regexp '^  Financiamento  '
	assert_line --regexp '^  À vista  '
	assert_line --regexp '^  Consórcio  '
	assert_line --regexp '^  Total .* 100\.000$'
	assert_equal "${#lines[@]}" 6
}

@test "report: man page example 2: four kinds, fixed section order" {
	run man_examples report.1 2
	assert_success
	assert_output ok
	report modes.ndjson cities.ndjson months.ndjson states.ndjson > out
	run check_report out months.ndjson states.ndjson cities.ndjson \
	    modes.ndjson
	assert_output ok
}

@test "report: man page example 3: money on the row and the Total line" {
	run man_examples report.1 3
	assert_success
	assert_output ok
}

@test "report: man page example 4: equal keys added, control chars as '?'" {
	run man_examples report.1 4
	assert_success
	assert_output ok
	report ce.ndjson > out
	run grep -c "$ESC" out
	assert_output 0
}

@test "report: man page example 5: NO_COLOR=1 on a terminal" {
	run man_examples report.1 5
	assert_success
	assert_output ok
	on_tty 'NO_COLOR=1 report cities.ndjson' > tty.out
	run grep -c "$ESC" tty.out
	assert_output 0
	run grep -c '^Vendas por cidade$' tty.out
	assert_output 1
	# and without it, colour: the check above can fail
	on_tty 'report cities.ndjson' > tty2.out
	run grep -c "$ESC" tty2.out
	refute_output 0
}

# Raw statistics, integrity and runs in the text summary ---------------

@test "report: text: the raw statistics, the integrity and the runs" {
	cat > raw.ndjson <<'EOF'
{"data_venda":"2025-03-01","total_vendas":2,"total_faturado":100.50,"quantidade_moto_mais_vendida":1,"modalidade":"Financiamento","timestamp":"2025-06-30T12:00:00Z"}
{"data_venda":"2025-03-15","total_vendas":3,"total_faturado":1000.25,"quantidade_moto_mais_vendida":2,"modalidade":"À vista","timestamp":"2025-06-30T12:00:07.900Z"}
{"data_venda":"2025-02-27","total_vendas":1,"total_faturado":0.05,"quantidade_moto_mais_vendida":1,"modalidade":"Financiamento","timestamp":"2025-06-29T23:59:59Z"}
EOF
	cat > modes.ndjson <<'EOF'
{"modalidade":"Financiamento","total_vendas":3,"total_faturado":100.55,"quantidade_motos_vendidas":2,"registros":2}
{"modalidade":"À vista","total_vendas":3,"total_faturado":1000.25,"quantidade_motos_vendidas":2,"registros":1}
EOF
	run -0 --keep-empty-lines report --stale-after 0 --raw raw.ndjson \
	    --runs "$REPORT_FIX/report-html-runs.ndjson" modes.ndjson
	assert_line --index 7 'Dados brutos (raw.ndjson)'
	assert_line --index 8 ''
	assert_line --index 9 '  Documentos   3'
	assert_line --index 10 '  Vendas       6'
	assert_line --index 11 '  Faturamento  R$ 1.100,80'
	assert_line --index 12 '  Motos        4'
	assert_line --index 13 '  Datas        2025-02-27 a 2025-03-15'
	assert_line --index 14 '  Dados de     2025-06-30T12:00:07Z'
	assert_line --index 16 'Integridade'
	assert_line --index 18 '  vendas_por_modalidade  ok'
	assert_line --index 20 'Execuções'
	assert_line --index 23 --regexp '^  generate   2026-11-29T06:08:00Z +– +ok +1 +2$'
	assert_line --index 24 --regexp '^  refresh    2026-11-29T07:00:30Z +12 s +ok +1 +175$'
	assert_line --index 25 --regexp '^  report     2026-11-29T07:01:00Z +1 s +ok +1 +1\.234\.567$'
	# --keep-empty-lines counts the empty string after the last newline
	[ "${#lines[@]}" -eq 27 ]
	# stale by the default limit; a row changed: "diferente"
	sed 's/"registros":1}/"registros":4}/' modes.ndjson > changed.ndjson
	run -0 report --raw raw.ndjson changed.ndjson
	assert_line '  Dados de     2025-06-30T12:00:07Z  (desatualizados)'
	assert_line '  vendas_por_modalidade  diferente: vendas +0, faturamento R$ 0,00, motos +0, registros +3'
}

@test "report: --raw: a record without a measure adds nothing to its sum" {
	# hand-summed: vendas 3 + 3, faturado 10.25 + 10.25 + 0.50, motos 2 + 2
	cat > raw.ndjson <<'EOF'
{"total_vendas":3,"total_faturado":10.25,"quantidade_moto_mais_vendida":2}
{"total_vendas":3,"total_faturado":10.25,"quantidade_moto_mais_vendida":2}
{"data_venda":"2025-03-01"}
{"total_faturado":0.50}
EOF
	run -0 report --stale-after 0 --raw raw.ndjson
	assert_line '  Documentos   4'
	assert_line '  Vendas       6'
	assert_line '  Faturamento  R$ 21,00'
	assert_line '  Motos        4'
	run -0 report -f json --raw raw.ndjson
	run python3 -c '
import json, sys
r = json.loads(sys.argv[1])["raw"]
print(r["documentos"], r["total_vendas"], r["total_faturado"],
      r["quantidade_motos_vendidas"])' "$output"
	assert_output '4 6 21.0 4'
	# a measure that is there but null is still an error
	printf '%s\n' '{"total_vendas":3}' '{"total_vendas":null}' > null.ndjson
	run --separate-stderr report --raw null.ndjson
	assert_status 65
	assert_stderr 'report: null.ndjson:2: "total_vendas" is not an integer'
	assert_output ''
}

@test "report: control characters in raw sources, jobs and statuses never reach the terminal" {
	local name=$'raw\033[31m\a.ndjson'

	gen-sales -n 3 -s 1 --now 2025-06-30T12:00:00Z > "$name"
	cat > runs.ndjson <<'EOF'
{"job":"gen\u001b[2Jerate","start":"2026-11-29T06:40:00Z\u009b6n","end":"2026-11-29T06:40:02Z","status":"fa\u0007il\u001b]0;x\u0007ed","exit":1,"attempt":1,"rows":0,"host":"h\u001bost"}
EOF
	report --raw "$name" --runs runs.ndjson > out
	run grep -c "$ESC\\|"$'\a\\|\xc2\x9b' out
	assert_output 0
	run grep -c '^Dados brutos (raw?\[31m?\.ndjson)$' out
	assert_output 1
	run grep -c '^  gen?\[2Jerate  2026-11-29T06:40:00Z?6n  *–  fa?il?\]0;x?ed  *1  *0$' out
	assert_output 1
	# on a terminal, in colour: only report's own SGR sequences
	on_tty "report --raw '$name' --runs runs.ndjson" > tty.out
	run grep -c "$ESC" tty.out
	refute_output 0
	sed "s/$ESC\[[0-9;]*m//g" tty.out > stripped
	run grep -c "$ESC\\|"$'\a\\|\xc2\x9b' stripped
	assert_output 0
	report_same out stripped
}

# runs_aligned FILE: in the "Execuções" section of the report in FILE, each
# run's line is as long as the heading (in characters), its left-aligned
# entries start where their heading starts and its right-aligned ones end
# where theirs ends.
runs_aligned() {
	python3 - "$1" <<'EOF'
import sys

lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
block = lines[lines.index("Execuções") + 2:]
block = block[:block.index("")] if "" in block else block
head, rows = block[0], block[1:]
assert rows, "no run"
left = [head.index(h) for h in ("Job", "Início", "Estado")]
right = [head.index(h) + len(h) for h in ("Duração", "#", "Linhas")]
for row in rows:
    assert len(row) == len(head), "%d, not %d: %r" % (len(row), len(head), row)
    for s in left:
        assert row[s - 1] == " ", "no blank before column %d: %r" % (s, row)
    for e in right:
        assert row[e - 1] != " " and (e == len(row) or row[e] == " "), \
            "not ending at column %d: %r" % (e, row)
print("ok")
EOF
}

@test "report: text: the runs' headings line up with their columns, in characters" {
	report --runs "$REPORT_FIX/report-html-runs.ndjson" > out
	run sed -n 4p out
	assert_output '  Job        Início                     Duração  Estado     #     Linhas'
	run runs_aligned out
	assert_output ok
	# wider entries widen their columns, headings included; UTF-8 counts
	# one column per character
	cat > runs.ndjson <<'EOF'
{"job":"atualização-das-tabelas","start":"2026-11-29T06:40:00Z","end":"2026-11-30T09:41:05Z","status":"interrompido","exit":143,"attempt":12345,"rows":1234567890123}
{"job":"só","start":"2026-11-29T06:40:00Z","status":"ok"}
EOF
	report --runs runs.ndjson > wide
	run cat wide
	assert_line --index 1 '  Job                      Início                     Duração  Estado            #             Linhas'
	assert_line --index 2 '  atualização-das-tabelas  2026-11-29T06:40:00Z    27 h 1 min  interrompido  12345  1.234.567.890.123'
	assert_line --index 3 '  só                       2026-11-29T06:40:00Z             –  ok                0                  0'
	run runs_aligned wide
	assert_output ok
	# and the check sees a heading padded by bytes
	sed '4s/Início /Início/' out > bad
	run runs_aligned bad
	assert_failure
}
