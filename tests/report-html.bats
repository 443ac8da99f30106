#!/usr/bin/env bats
# report: the HTML page and the JSON document (-f html, -f json), the
# tables from PostgreSQL (--pg), the raw statistics from MongoDB (--mongo)
# or a file (--raw), the run history (--runs), the output file (-o), and the
# page as headless Chromium renders it (man/report.1).
#
# Expected values come from tests/fixtures/report-html-check.py, which
# sums the aggregate rows and the raw records itself with exact decimals
# and formats them as the page must show them, and from hand-written
# fixtures (report-html-xss.ndjson, report-html-runs.ndjson); never from
# report itself.  What the servers hold is set and changed with their own
# clients (psql, pymongo).

# $stderr and $status come from bats; JSON in single quotes is on purpose.
# shellcheck disable=SC2016,SC2154
load test_helper
bats_require_minimum_version 1.5.0

# Debian's Python (json, decimal, html.parser, zlib; pymongo for mongo_py).
PY=/usr/bin/python3
CHECK=$FIXTURES/report-html-check.py
EXAMPLES=$FIXTURES/report-html-examples.py
XSS=$FIXTURES/report-html-xss.ndjson
RUNS=$FIXTURES/report-html-runs.ndjson

setup_file() {
	local d=$BATS_FILE_TMPDIR raw

	pg_setup
	mongo_setup
	# 2000 sale records with varied cents, and their four aggregations
	raw=$(gen_cents 2000 11) || return 1
	cp "$raw" "$d/raw.ndjson"
	agg-by-month "$d/raw.ndjson" > "$d/month.ndjson"
	agg-by-state "$d/raw.ndjson" > "$d/state.ndjson"
	agg-by-state --city "$d/raw.ndjson" > "$d/city.ndjson"
	agg-by-mode "$d/raw.ndjson" > "$d/mode.ndjson"
}

teardown_file() {
	mongo_teardown
	pg_teardown
}

setup() {
	common_setup
	D=$BATS_FILE_TMPDIR
	AGGS=("$D/month.ndjson" "$D/state.ndjson" "$D/city.ndjson"
	    "$D/mode.ndjson")
	BG_PIDS=()
}

teardown() {
	local pid

	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 0
}

# check ARG...: run the independent checker (see its usage).
check() {
	run "$PY" "$CHECK" "$@"
}

# chrome ARG...: headless Chromium from Debian, with a fresh profile and
# nothing that reaches for the network (this machine has none).
chrome() {
	local profile

	command -v chromium >/dev/null || fail "chromium is not installed (make deps)"
	profile=$(mktemp -d "$BATS_TEST_TMPDIR/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --user-data-dir="$profile" \
	    "$@" 2>> "$BATS_TEST_TMPDIR/chromium.log"
}

# layout PAGE WIDTH: what is wrong with the layout of PAGE in a window
# WIDTH pixels wide, as Chromium lays it out, one problem per line, or
# "layout ok" (see tests/fixtures/report-html-layout.js, which a copy of
# PAGE runs: the page itself has no script).
layout() {
	local copy=${1%.html}-layout-$2.html

	"$PY" -c '
import sys
page = open(sys.argv[1], encoding="utf-8").read()
js = open(sys.argv[2], encoding="utf-8").read()
assert page.count("</body>") == 1
open(sys.argv[3], "w", encoding="utf-8").write(
    page.replace("</body>", "<script>\n" + js + "</script>\n</body>"))
' "$1" "$FIXTURES/report-html-layout.js" "$copy" || return 1
	chrome --dump-dom --window-size="$2",1400 "file://$PWD/$copy" > "$copy.dom"
	"$PY" -c '
import html, re, sys
m = re.findall(r"<pre id=\"layout\">(.*?)</pre>",
               open(sys.argv[1], encoding="utf-8").read(), re.S)
print(html.unescape(m[-1]) if m else "no layout report from Chromium")
' "$copy.dom"
}

# dump_dom PAGE OUT: the DOM of PAGE after Chromium loaded it, in OUT.
dump_dom() {
	chrome --dump-dom "file://$PWD/$1" > "$2"
	[[ -s $2 ]] ||
	    fail "no DOM from Chromium: $(tail -5 "$BATS_TEST_TMPDIR/chromium.log")"
}

# screenshot PAGE PNG: what Chromium shows of PAGE in a 1000x1400 window.
screenshot() {
	chrome --screenshot="$PWD/$2" --window-size=1000,1400 \
	    --hide-scrollbars "file://$PWD/$1" > /dev/null
	[[ -s $2 ]] ||
	    fail "no screenshot from Chromium: $(tail -5 "$BATS_TEST_TMPDIR/chromium.log")"
}

# pixels PNG NAME: the number of pixels of the page's colour NAME (bar,
# ok, bad, warn) in PNG.
pixels() {
	"$PY" "$CHECK" png "$1" | awk -v n="$2" '$1 == n { print $2 }'
}

# colours PNG: the number of different colours in PNG.
colours() {
	"$PY" "$CHECK" png "$1" | sed -n '1s/.* colours=//p'
}

# iso [DATE-ARG]: an instant as gen-sales --now takes it (default now).
iso() {
	date -u -d "${1:-now}" +%Y-%m-%dT%H:%M:%SZ
}

# json_get FILE EXPR: the Python expression EXPR over the JSON document in
# FILE (`d`), as JSON with sorted keys; a number with a fraction as a
# string of its exact text ("0.00", "-0.37").
json_get() {
	"$PY" -c '
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1], encoding="utf-8"), parse_float=Decimal)
v = eval(sys.argv[2])
if isinstance(v, str):
    print(v)
else:
    print(json.dumps(v, sort_keys=True, ensure_ascii=False, default=str))
' "$1" "$2"
}

# use_schema: a fresh schema of this test's own, first and only in the
# search_path of every connection made with PG_URI, with the four tables
# loaded from the aggregations of raw.ndjson.
use_schema() {
	pg_use_schema || return 1
	psql "$PG_URI" -qX -v ON_ERROR_STOP=1 \
	    -f "$DATAOPS_ROOT/scripts/schema.sql" || return 1
	pg-load -m replace -t vendas_por_ano_mes "$D/month.ndjson" \
	    -t vendas_por_estado "$D/state.ndjson" \
	    -t vendas_por_cidade "$D/city.ndjson" \
	    -t vendas_por_modalidade "$D/mode.ndjson" 2> /dev/null
}

# use_collection: a collection of this test's own, empty.
use_collection() {
	MONGO_COLLECTION=raw_${BATS_TEST_NUMBER}
	export MONGO_COLLECTION
	mongo_py 'coll.drop()'
}

# The page from files ---------------------------------------------------

@test "html: the four tables, every row and total, and the KPI cards" {
	run_to page.html report -f html --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_status 0
	[ -z "$stderr" ]
	check page page.html
	assert_output ok
	check tables page.html --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	# the same rows from standard input, mixed in another order
	cat "$D/mode.ndjson" "$D/city.ndjson" "$D/month.ndjson" \
	    "$D/state.ndjson" | sort | report -f html > stdin.html
	check tables stdin.html "${AGGS[@]}"
	assert_output ok
	# a panel per table and the integrity panel; no pipeline panel
	run grep -o '<section class="panel" id="[a-z_]*"' page.html
	assert_output "$(printf '<section class="panel" id="%s"\n' \
	    vendas_por_ano_mes vendas_por_estado vendas_por_cidade \
	    vendas_por_modalidade integridade)"
}

@test "html: the checks see a wrong number, markup from data, an unclosed tag, a URL" {
	report -f html --raw "$D/raw.ndjson" "${AGGS[@]}" > page.html
	# a number
	sed '0,/<td>R\$ /s/<td>R\$ /<td>R$ 1/' page.html > bad1.html
	check tables bad1.html "${AGGS[@]}"
	assert_failure
	assert_line --index 0 'vendas_por_ano_mes:'
	# a row less
	sed '0,/<tr><th scope="row" class="key">/{/<tr><th scope="row" class="key">/d}' \
	    page.html > bad2.html
	check tables bad2.html "${AGGS[@]}"
	assert_failure
	assert_output --regexp '^vendas_por_ano_mes: [0-9]+ rows, not [0-9]+$'
	# a script element, an event handler, an image
	sed 's|<h1>|<h1><script>alert(1)</script>|' page.html > bad3.html
	check page bad3.html
	assert_failure
	assert_output --partial "element <script>"
	sed '0,/<td>/s|<td>|<td onerror="alert(1)">|' page.html > bad4.html
	check page bad4.html
	assert_failure
	assert_output --partial "attribute onerror"
	sed 's|<h1>|<h1><img alt="">|' page.html > bad5.html
	check page bad5.html
	assert_failure
	# an element left open, one closed twice
	sed '0,/<\/td>/s|</td>||' page.html > bad6.html
	check page bad6.html
	assert_failure
	assert_output --partial '</tr> closes <td>'
	sed 's|</h1>|</h1></p>|' page.html > bad7.html
	check page bad7.html
	assert_failure
	assert_output --partial '</p> closes <header>'
	# a URL to fetch
	sed 's|</style>|body{background:url(x.png)}</style>|' page.html > bad8.html
	check page bad8.html
	assert_failure
	assert_output --partial 'a URL in the style sheet'
	sed 's|</h1>| https://example.com/</h1>|' page.html > bad9.html
	check page bad9.html
	assert_failure
	assert_output --partial 'a URL'
}

@test "html: no external URL, no script, one self-contained file" {
	report -f html --raw "$D/raw.ndjson" --runs "$RUNS" "${AGGS[@]}" \
	    > page.html
	run grep -Eci 'https?:|ftp:|//[a-z0-9]|url\(|@import|<script|<link|<img|<iframe|<object|<embed|src=|href=' page.html
	assert_output 0
	run head -c 16 page.html
	assert_output '<!DOCTYPE html>'
	grep -q '^<meta charset="utf-8">$' page.html
	# the style sheet and the charts are in the page
	[ "$(grep -c '<style>' page.html)" -eq 1 ]
	[ "$(grep -c '<svg ' page.html)" -eq 4 ]
}

@test "html: more than 25 rows go into <details>, 20 bars at most" {
	local n

	report -f html "$D/city.ndjson" > page.html
	n=$(wc -l < "$D/city.ndjson")
	[ "$n" -gt 25 ]
	run grep -c "<details><summary>Mais $((n - 25)) linhas</summary>" page.html
	assert_output 1
	run grep -c '<rect class="bar"' page.html
	assert_output 20
	grep -q 'aria-label="Faturamento por cidade (os maiores)"' page.html
	check tables page.html "$D/city.ndjson"
	assert_output ok
}

@test "html: empty input: a page without panels; json: no tables" {
	run --separate-stderr report -f html /dev/null
	assert_status 0
	printf '%s\n' "$output" > page.html
	check page page.html
	assert_output ok
	run grep -c 'class="panel"' page.html
	assert_output 0
	report -f json < /dev/null > doc.json
	run json_get doc.json '[d["tables"], d["raw"], d["integrity"], d["runs"], d["stale"]]'
	assert_output '[{}, null, null, null, false]'
}

# Chromium ------------------------------------------------------------

@test "chromium: the page renders, not blank, and its DOM holds the aggregates" {
	report -f html --raw "$D/raw.ndjson" --runs "$RUNS" "${AGGS[@]}" \
	    > page.html
	dump_dom page.html dom.html
	check page dom.html
	assert_output ok
	check tables dom.html --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	check cells dom.html pipeline
	assert_line 'caption:generate: 10 execuções, 2 com falha'
	screenshot page.html page.png
	# not one colour: text, cards and the chart's bars are drawn
	[ "$(colours page.png)" -gt 50 ]
	[ "$(pixels page.png bar)" -gt 2000 ]
	[ "$(stat -c %s page.png)" -gt 20000 ]
	# and the check sees a blank page
	printf '<!DOCTYPE html><title>x</title>\n' > blank.html
	screenshot blank.html blank.png
	[ "$(colours blank.png)" -eq 1 ]
}

@test "chromium: hostile city names are text; no script element or handler from data" {
	run_to page.html report -f html -t '<script>alert(6)</script>' "$XSS"
	assert_status 0
	check page page.html
	assert_output ok
	check tables page.html "$XSS"
	assert_output ok
	run grep -ci '<script\|<img\|<svg onload' page.html
	assert_output 0
	# no tag carries a handler; the data's "onerror=" is text
	run grep -c '<[^>]* on[a-z]*=' page.html
	assert_output 0
	grep -qF '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' page.html
	dump_dom page.html dom.html
	check page dom.html
	assert_output ok
	check tables dom.html "$XSS"
	assert_output ok
	check cells dom.html vendas_por_cidade
	assert_line --index 1 $'key:Ceará\tkey:<script>alert(1)</script>\t:5\t:R$ 100,50\t:2\t:2'
	assert_line --index 2 $'key:Ceará\tkey:"><img src=x onerror=alert(1)>\t:3\t:R$ 20,25\t:1\t:1'
	assert_line --index 3 $'key:São Paulo\tkey:A&amp;B \ufffd\ufffd[31m\t:2\t:R$ 0,02\t:1\t:1'
	check cells dom.html vendas_por_estado
	assert_line --index 1 $'key:Ceará\t:10\t:R$ 150,75\t:4\t:4'
	assert_line --index 2 $'key:<svg onload=alert(4)>\t:4\t:R$ 10,00\t:1\t:1'
	check cells dom.html vendas_por_modalidade
	assert_line --index 1 $'key:\' onmouseover=\'alert(3)\t:2\t:R$ 5,00\t:1\t:1'
	assert_line --index 2 $'key:</style><script>alert(2)</script>\t:1\t:R$ 0,01\t:0\t:1'
	check head dom.html
	assert_line 'title:<script>alert(6)</script>'
	assert_line 'h1:<script>alert(6)</script>'
	# the screenshot shows the page, styled: the </style> in a key did not
	# end the style sheet
	screenshot page.html page.png
	[ "$(pixels page.png bar)" -gt 2000 ]
}

@test "chromium: --refresh sets the refresh tag, 0 removes it" {
	report -f html "$D/mode.ndjson" > default.html
	check head default.html
	assert_line 'refresh:60'
	assert_line --partial 'atualiza a cada 60 s'
	report -f html --refresh 7 "$D/mode.ndjson" > seven.html
	check head seven.html
	assert_line 'refresh:7'
	[ "$(grep -c 'http-equiv="refresh"' seven.html)" -eq 1 ]
	dump_dom seven.html dom.html
	check head dom.html
	assert_line 'refresh:7'
	report -f html --refresh 0 "$D/mode.ndjson" > none.html
	run grep -ci 'refresh\|atualiza a cada' none.html
	assert_output 0
	dump_dom none.html dom0.html
	check head dom0.html
	assert_line 'no refresh'
	run --separate-stderr report -f html --refresh -1 "$D/mode.ndjson"
	assert_status 64
	assert_stderr 'report: --refresh: invalid number: -1'
	run --separate-stderr report -f html --refresh 86401 "$D/mode.ndjson"
	assert_status 64
	run --separate-stderr report -f html --refresh soon "$D/mode.ndjson"
	assert_status 64
	assert_output ''
}

@test "chromium: the stale banner and the red integrity cells are drawn" {
	gen-sales -n 300 -s 2 --now 2025-06-30T12:00:00Z > old.ndjson
	agg-by-mode old.ndjson > mode.ndjson
	# stale, all tables matching
	report -f html --stale-after 1 --raw old.ndjson mode.ndjson > stale.html
	screenshot stale.html stale.png
	[ "$(pixels stale.png warn)" -gt 5000 ]
	[ "$(pixels stale.png ok)" -gt 3000 ]
	[ "$(pixels stale.png bad)" -eq 0 ]
	# not stale, one row altered: red cells
	sed '1s/"total_vendas":/"total_vendas":1/' mode.ndjson > altered.ndjson
	report -f html --stale-after 0 --raw old.ndjson altered.ndjson > red.html
	screenshot red.html red.png
	[ "$(pixels red.png warn)" -eq 0 ]
	[ "$(pixels red.png bad)" -gt 1000 ]
}

@test "chromium: at 1000 and 1400 pixels, money fits its card, labels their chart, headings their cells" {
	local w

	# long city names, hundreds of billions of reais in a KPI card, a red
	# integrity panel, the run history
	cat > long.ndjson <<'EOF'
{"estado":"Rio Grande do Norte","cidade":"São Gonçalo do Amarante","total_vendas":50,"total_faturado":9000000.00,"quantidade_motos_vendidas":10,"registros":5}
{"estado":"Espírito Santo","cidade":"Cachoeiro de Itapemirim","total_vendas":40,"total_faturado":800000.00,"quantidade_motos_vendidas":10,"registros":5}
{"estado":"Mato Grosso do Sul","cidade":"Uma cidade de nome comprido, muito comprido, comprido demais","total_vendas":30,"total_faturado":500000.00,"quantidade_motos_vendidas":10,"registros":5}
{"estado":"Ceará","cidade":"Fortaleza","total_vendas":20,"total_faturado":123456789012.34,"quantidade_motos_vendidas":10,"registros":5}
EOF
	report -f html --raw "$D/raw.ndjson" --runs "$RUNS" long.ndjson \
	    "$D/mode.ndjson" > page.html
	grep -qF '<strong>R$ 123.467.089.012,34</strong>' page.html
	check page page.html
	assert_output ok
	# the longest label is cut, with an ellipsis; the tooltip has it all
	grep -qF '>Uma cidade de nome comprido, muito comprido, compri…</text>' page.html
	grep -qF '<title>Mato Grosso do Sul / Uma cidade de nome comprido, muito comprido, comprido demais: ' page.html
	for w in 1000 1400; do
		run layout page.html "$w"
		assert_output 'layout ok'
	done
	# the page of the other tests too
	report -f html --raw "$D/raw.ndjson" --runs "$RUNS" "${AGGS[@]}" > all.html
	for w in 1000 1400; do
		run layout all.html "$w"
		assert_output 'layout ok'
	done
	# and the check sees a card too narrow, a label cut off, a heading
	# aligned unlike its cells
	sed 's|</style>|.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr))}</style>|' \
	    page.html > narrow.html
	run layout narrow.html 1000
	assert_line 'KPI value wider than its card: R$ 123.467.089.012,34'
	sed 's|<svg viewBox="0 0 [0-9]* |<svg viewBox="0 0 720 |; s|<text x="[0-9]*" \(y="[0-9]*" text-anchor="end"\)|<text x="200" \1|' \
	    page.html > cut.html
	run layout cut.html 1000
	assert_line --partial 'label outside its panel: Uma cidade de nome comprido'
	sed 's|</style>|td.bad{text-align:left}</style>|' page.html > astray.html
	run layout astray.html 1000
	assert_line 'integridade: Vendas right, its cells left'
}

# Staleness -----------------------------------------------------------

@test "stale: an old timestamp with --stale-after 1: banner, json, text" {
	local before after

	gen-sales -n 50 -s 3 --now 2025-06-30T12:00:00Z > old.ndjson
	before=$((($(date +%s) - $(date -d 2025-06-30T12:00:00Z +%s)) / 86400))
	report -f html --stale-after 1 --raw old.ndjson > page.html
	report -f json --stale-after 1 --raw old.ndjson > doc.json
	report --stale-after 1 --raw old.ndjson > text
	after=$((($(date +%s) - $(date -d 2025-06-30T12:00:00Z +%s)) / 86400))
	check head page.html
	assert_line --regexp "^stale:Dados desatualizados: o registro mais recente é de ($before|$after) dias atrás \(limite: 1 min\)\.$"
	assert_line --partial 'dados de 2025-06-30T12:00:00Z'
	grep -q '<p class="stale" role="alert">' page.html
	run json_get doc.json '[d["stale"], d["data_as_of"], d["stale_after_minutes"]]'
	assert_output '[true, "2025-06-30T12:00:00Z", 1]'
	run grep -c '^  Dados de     2025-06-30T12:00:00Z  (desatualizados)$' text
	assert_output 1
}

@test "stale: a fresh timestamp is not stale with --stale-after 1" {
	gen-sales -n 50 -s 3 --now "$(iso)" > fresh.ndjson
	report -f html --stale-after 1 --raw fresh.ndjson > page.html
	check head page.html
	assert_line 'not stale'
	run grep -c 'class="stale"' page.html
	assert_output 0
	report -f json --stale-after 1 --raw fresh.ndjson > doc.json
	run json_get doc.json 'd["stale"]'
	assert_output false
	report --stale-after 1 --raw fresh.ndjson > text
	run grep -c desatualizados text
	assert_output 0
}

@test "stale: the limit is --stale-after minutes (default 15); 0 never" {
	gen-sales -n 20 -s 3 --now "$(iso '10 minutes ago')" > ten.ndjson
	report -f json --raw ten.ndjson > default.json
	run json_get default.json '[d["stale"], d["stale_after_minutes"]]'
	assert_output '[false, 15]'
	report -f html --stale-after 5 --raw ten.ndjson > five.html
	check head five.html
	assert_line --regexp '^stale:Dados desatualizados: o registro mais recente é de 10 min [0-9]+ s atrás \(limite: 5 min\)\.$'
	report -f json --stale-after 0 --raw "$D/raw.ndjson" > zero.json
	run json_get zero.json 'd["stale"]'
	assert_output false
	# no timestamp, no raw statistics: never stale
	printf '{"total_vendas":1}\n' > nots.ndjson
	report -f json --stale-after 1 --raw nots.ndjson > nots.json
	run json_get nots.json '[d["stale"], d["data_as_of"]]'
	assert_output '[false, null]'
	run --separate-stderr report -f html --stale-after 525601 /dev/null
	assert_status 64
}

# JSON ----------------------------------------------------------------

@test "json: one valid document whose numbers equal the aggregates and the raw sums" {
	run_to doc.json report -f json --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_status 0
	check json doc.json --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	run json_get doc.json 'list(d)'
	assert_output '["title", "generated_at", "data_as_of", "stale", "stale_after_minutes", "raw", "tables", "integrity", "runs"]'
	run json_get doc.json '[d["title"], d["raw"]["source"], d["runs"]]'
	assert_output "[\"Vendas de motocicletas\", \"$D/raw.ndjson\", null]"
	# without raw statistics
	report -f json -t 'Painel "A"' "$D/mode.ndjson" "$D/month.ndjson" > two.json
	check json two.json "$D/mode.ndjson" "$D/month.ndjson"
	assert_output ok
	run json_get two.json 'd["title"]'
	assert_output 'Painel "A"'
	# and the check sees a wrong number
	sed 's/"registros":2000}/"registros":2001}/' doc.json > bad.json
	check json bad.json --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_failure
}

@test "json: hostile keys and control characters, escaped, read back exactly" {
	report -f json -t $'T\x01<b>' "$XSS" > doc.json
	check json doc.json "$XSS"
	assert_output ok
	grep -qF '"cidade":"A&amp;B \u0001\u001b[31m"' doc.json
	grep -qF '"title":"T\u0001<b>"' doc.json
	run json_get doc.json 'd["tables"]["vendas_por_cidade"]["rows"][1]["cidade"]'
	assert_output '"><img src=x onerror=alert(1)>'
}

@test "html, json: C1 control characters (U+0080-U+009F) from the data: U+FFFD in HTML, escaped in JSON" {
	cat > c1.ndjson <<'EOF'
{"estado":"S\u0085o\u009b31m","cidade":"C\u0080x\u009f","total_vendas":1,"total_faturado":10.00,"quantidade_motos_vendidas":1,"registros":1}
{"modalidade":"M\u0090o","total_vendas":1,"total_faturado":10.00,"quantidade_motos_vendidas":1,"registros":1}
{"ano_mes":"2025-03","total_vendas":1,"total_faturado":10.00,"quantidade_motos_vendidas":1,"registros":1}
EOF
	run_to page.html report -f html -t $'T\xc2\x85x' c1.ndjson
	assert_status 0
	# no C1 character left; each one a U+FFFD in the cells, the bars'
	# labels and tooltips, and the title
	run "$PY" -c '
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
print(re.findall("[\x80-\x9f]", page),
      [page.count(s) for s in ("C\ufffdx\ufffd", "S\ufffdo\ufffd31m",
                               "M\ufffdo", "T\ufffdx")])' page.html
	assert_output '[] [3, 3, 3, 2]'
	run_to doc.json report -f json -t $'T\xc2\x85x' c1.ndjson
	assert_status 0
	LC_ALL=C run grep -c $'\xc2[\x80-\x9f]' doc.json
	assert_output 0
	grep -qF '"estado":"S\u0085o\u009b31m","cidade":"C\u0080x\u009f"' doc.json
	grep -qF '"modalidade":"M\u0090o"' doc.json
	grep -qF '"title":"T\u0085x"' doc.json
	run json_get doc.json '[d["title"], d["tables"]["vendas_por_cidade"]["rows"][0]["cidade"]]'
	assert_output $'["T\xc2\x85x", "C\xc2\x80x\xc2\x9f"]'
}

# Integrity -------------------------------------------------------------

@test "integrity: one row changed in a file: ok false and the exact difference" {
	# the second mode row: 2 sales less, R$ 0,37 more, one record more
	"$PY" - "$D/mode.ndjson" > mode.ndjson <<'EOF'
import re, sys
from decimal import Decimal
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if n == 1:
        change = {"total_vendas": -2, "total_faturado": Decimal("0.37"),
                  "registros": 1}
        line = re.sub(r'"(total_vendas|total_faturado|registros)":([0-9.]+)',
                      lambda m: '"%s":%s' % (m.group(1), Decimal(m.group(2))
                                             + change[m.group(1)]), line)
    sys.stdout.write(line)
EOF
	[ "$(diff "$D/mode.ndjson" mode.ndjson | grep -c '^[<>]')" -eq 2 ]
	report -f json --raw "$D/raw.ndjson" "$D/month.ndjson" mode.ndjson > doc.json
	run json_get doc.json 'd["integrity"]'
	assert_output '[{"difference": {"quantidade_motos_vendidas": 0, "registros": 0, "total_faturado": "0.00", "total_vendas": 0}, "ok": true, "table": "vendas_por_ano_mes"}, {"difference": {"quantidade_motos_vendidas": 0, "registros": 1, "total_faturado": "0.37", "total_vendas": -2}, "ok": false, "table": "vendas_por_modalidade"}]'
	grep -qF '"difference":{"total_vendas":-2,"total_faturado":0.37,"quantidade_motos_vendidas":0,"registros":1}' doc.json
	report -f html --raw "$D/raw.ndjson" "$D/month.ndjson" mode.ndjson > page.html
	check cells page.html integridade
	assert_line $':vendas_por_ano_mes\tok:✔ igual\tok:✔ igual\tok:✔ igual\tok:✔ igual'
	assert_line $':vendas_por_modalidade\tbad:✘ -2\tbad:✘ +R$ 0,37\tok:✔ igual\tbad:✘ +1'
	report --raw "$D/raw.ndjson" "$D/month.ndjson" mode.ndjson > text
	run grep '^  vendas_por_' text
	assert_line --index 0 '  vendas_por_ano_mes     ok'
	# a positive difference of money has its sign, as the counts have
	assert_line --index 1 '  vendas_por_modalidade  diferente: vendas -2, faturamento +R$ 0,37, motos +0, registros +1'
}

# The run history ------------------------------------------------------

@test "runs: failures red (class bad), counts, newest first, the last 8 of each job" {
	run_to page.html report -f html --runs "$RUNS"
	assert_status 0
	check page page.html
	assert_output ok
	check cells page.html pipeline
	assert_output "$(cat <<'EOF'
caption:generate: 10 execuções, 2 com falha
:2026-11-29T06:08:00Z	:–	ok:✔ ok	:0	:1	:2	:gen1
:2026-11-29T06:07:00Z	:1 s	ok:✔ ok	:0	:1	:2	:gen1
:2026-11-29T06:06:00Z	:1 s	ok:✔ ok	:0	:1	:2	:gen1
:2026-11-29T06:05:00Z	:3 min 7 s	bad:✘ failed	:75	:3	:0	:gen1
:2026-11-29T06:04:00Z	:1 s	ok:✔ ok	:0	:1	:2	:gen1
:2026-11-29T06:03:00Z	:1 s	ok:✔ ok	:0	:1	:2	:gen1
:2026-11-29T06:02:40Z	:1 s	ok:✔ ok	:0	:2	:2	:gen1
:2026-11-29T06:02:00Z	:10 s	bad:✘ retrying	:69	:1	:0	:gen1
caption:refresh: 2 execuções, 1 com falha
:2026-11-29T07:00:30Z	:12 s	ok:✔ ok	:0	:1	:175	:db1
:2026-11-29T05:00:00Z	:2 h 0 min	bad:✘ timeout	:124	:1	:0	:db1
caption:report: 1 execução, 0 com falha
:2026-11-29T07:01:00Z	:1 s	ok:✔ ok	:0	:1	:1.234.567	:"><script>alert(5)</script>
EOF
)"
	[ "$(grep -o '<td class="bad">' page.html | wc -l)" -eq 3 ]
	report -f json --runs "$RUNS" > doc.json
	run json_get doc.json '[(j["job"], j["runs"], j["failed"], [r["start"][11:16] for r in j["last"]]) for j in d["runs"]]'
	assert_output '[["generate", 10, 2, ["06:08", "06:07", "06:06", "06:05", "06:04", "06:03", "06:02", "06:02"]], ["refresh", 2, 1, ["07:00", "05:00"]], ["report", 1, 0, ["07:01"]]]'
	run json_get doc.json 'd["runs"][0]["last"][0]'
	assert_output '{"attempt": 1, "end": null, "exit": 0, "host": "gen1", "rows": 2, "start": "2026-11-29T06:08:00Z", "status": "ok"}'
	# text: the last run of each job
	report --runs "$RUNS" > text
	run grep -E '^  (generate|refresh|report) ' text
	assert_line --index 0 --regexp '^  generate   2026-11-29T06:08:00Z +– +ok +1 +2$'
	assert_line --index 1 --regexp '^  refresh    2026-11-29T07:00:30Z +12 s +ok +1 +175$'
	assert_line --index 2 --regexp '^  report     2026-11-29T07:01:00Z +1 s +ok +1 +1\.234\.567$'
}

@test "runs: a missing --runs file is no run yet, and is not created" {
	run_to page.html report -f html --runs nothing.ndjson "$D/mode.ndjson"
	assert_status 0
	[ -z "$stderr" ]
	check cells page.html pipeline
	assert_output 'p.meta:Nenhuma execução registrada.'
	report -f json --runs nothing.ndjson > doc.json
	run json_get doc.json 'd["runs"]'
	assert_output '[]'
	run --separate-stderr report --runs nothing.ndjson
	assert_status 0
	assert_output ''
	assert_file_not_exists nothing.ndjson
}

@test "runs: a bad record: 65 at its line; an unreadable history: 74" {
	head -3 "$RUNS" > runs.ndjson
	echo '{"job":"refresh","start":"2026-11-29T07:00:30Z"}' >> runs.ndjson
	run --separate-stderr report -f html --runs runs.ndjson
	assert_status 65
	assert_output ''
	assert_stderr 'report: runs.ndjson:4: missing "job" or "status"'
	echo '{"job":"x","status":"ok","rows":1.5}' > frac.ndjson
	run --separate-stderr report -f json --runs frac.ndjson
	assert_status 65
	assert_stderr 'report: frac.ndjson:1: a count is not an integer'
	echo '{"job":"x","status":"ok"' > cut.ndjson
	run --separate-stderr report -f json --runs cut.ndjson
	assert_status 65
	[[ $stderr == 'report: cut.ndjson:1: invalid JSON'* ]]
	mkdir dir.ndjson
	run --separate-stderr report -f json --runs dir.ndjson
	assert_status 74
	assert_stderr 'report: dir.ndjson: Is a directory'
}

# The output file --------------------------------------------------------

# strip_times FILE: FILE without its ISO 8601 instants.
strip_times() {
	sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z//g' "$1"
}

@test "-o: the page as on stdout, mode 0644, no temporary file left" {
	report -f html --raw "$D/raw.ndjson" "${AGGS[@]}" > stdout.html
	run --separate-stderr bash -c "umask 077 && report -f html -o page.html \
	    --raw '$D/raw.ndjson' ${AGGS[*]}"
	assert_status 0
	assert_output ''
	[ -z "$stderr" ]
	assert_same <(strip_times stdout.html) <(strip_times page.html)
	run stat -c %a page.html
	assert_output 644
	run ls -A
	assert_line page.html
	refute_line --regexp '^\.report\.'
	# replaced in place; -o - is the standard output
	report -f json -o page.html "$D/mode.ndjson"
	check json page.html "$D/mode.ndjson"
	assert_output ok
	report -f json -o - "$D/mode.ndjson" > dash.json
	check json dash.json "$D/mode.ndjson"
	assert_output ok
	run ls -A
	refute_line --regexp '^\.report\.'
}

@test "-o: a run that fails keeps the old page and leaves no temporary file" {
	echo 'the old page' > page.html
	{ head -2 "$D/mode.ndjson"; echo '{"modalidade":"x"'; } > bad.ndjson
	run --separate-stderr report -f html -o page.html bad.ndjson
	assert_status 65
	[[ $stderr == 'report: bad.ndjson:3: invalid JSON'* ]]
	run --separate-stderr report -f html -o page.html --runs "$RUNS" \
	    --raw bad.ndjson "$D/mode.ndjson"
	assert_status 65
	run --separate-stderr report -f html -o page.html nope.ndjson
	assert_status 74
	PG_URI='postgresql://nobody:secret@127.0.0.1:1/x' \
	    run --separate-stderr report -f html -o page.html --pg
	assert_status 69
	run cat page.html
	assert_output 'the old page'
	run ls -A
	refute_line --regexp '^\.report\.'
}

# as_user_without_override CMD...: CMD, as root without the capabilities
# that let root write into a read-only directory; as another user, CMD.
as_user_without_override() {
	if [[ $EUID -eq 0 ]]; then
		setpriv --bounding-set=-dac_override,-dac_read_search -- "$@"
	else
		"$@"
	fi
}

@test "-o: a read-only directory: 74, the old page kept" {
	mkdir ro
	echo 'the old page' > ro/page.html
	chmod 555 ro
	run --separate-stderr as_user_without_override \
	    "$(command -v report)" -f html -o ro/page.html "$D/mode.ndjson"
	chmod 755 ro
	assert_status 74
	assert_output ''
	# the file the user named, not the temporary one beside it
	assert_stderr 'report: ro/page.html: Permission denied'
	run cat ro/page.html
	assert_output 'the old page'
	run ls -A ro
	assert_output page.html
}

@test "-o: a directory as the target, a missing directory: 74, nothing left" {
	mkdir page.html
	run --separate-stderr report -f html -o page.html "$D/mode.ndjson"
	assert_status 74
	[[ $stderr == "report: page.html: "* ]]
	[ -d page.html ]
	run ls -A
	refute_line --regexp '^\.report\.'
	run --separate-stderr report -f html -o nodir/page.html "$D/mode.ndjson"
	assert_status 74
	assert_stderr 'report: nodir/page.html: No such file or directory'
}

# PostgreSQL -------------------------------------------------------------

@test "--pg: the four tables equal the aggregates; integrity ok against the raw file" {
	use_schema
	run_to doc.json report -f json --pg --raw "$D/raw.ndjson"
	assert_status 0
	[ -z "$stderr" ]
	check json doc.json --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	report -f html --pg --raw "$D/raw.ndjson" > page.html
	check tables page.html --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	run grep -c '<td class="bad">' page.html
	assert_output 0
	report --pg --raw "$D/raw.ndjson" > text
	run grep -c '^  vendas_por_[a-z_]* *ok$' text
	assert_output 4
	# rows of files add to the rows of the tables
	report -f json --pg "$D/mode.ndjson" > more.json
	check json more.json "${AGGS[@]}" "$D/mode.ndjson"
	assert_output ok
}

@test "--pg: one row altered with psql turns the integrity panel red, exact difference" {
	use_schema
	psql_q "UPDATE vendas_por_estado SET total_vendas = total_vendas + 5,
	    total_faturado = total_faturado - 0.37 WHERE estado = 'Ceará'"
	report -f json --pg --raw "$D/raw.ndjson" > doc.json
	run json_get doc.json '[(c["table"], c["ok"]) for c in d["integrity"]]'
	assert_output '[["vendas_por_ano_mes", true], ["vendas_por_estado", false], ["vendas_por_cidade", true], ["vendas_por_modalidade", true]]'
	grep -qF '{"table":"vendas_por_estado","ok":false,"difference":{"total_vendas":5,"total_faturado":-0.37,"quantidade_motos_vendidas":0,"registros":0}}' doc.json
	report -f html --pg --raw "$D/raw.ndjson" > page.html
	check cells page.html integridade
	assert_line $':vendas_por_estado\tbad:✘ +5\tbad:✘ -R$ 0,37\tok:✔ igual\tok:✔ igual'
	assert_line $':vendas_por_cidade\tok:✔ igual\tok:✔ igual\tok:✔ igual\tok:✔ igual'
	[ "$(grep -o '<td class="bad">' page.html | wc -l)" -eq 2 ]
	report --pg --raw "$D/raw.ndjson" > text
	run grep -c '^  vendas_por_estado      diferente: vendas +5, faturamento -R\$ 0,37, motos +0, registros +0$' text
	assert_output 1
}

@test "--pg: a missing table is shown as missing, not an error" {
	use_schema
	psql_q 'DROP TABLE vendas_por_cidade'
	run_to page.html report -f html --pg --raw "$D/raw.ndjson"
	assert_status 0
	[ -z "$stderr" ]
	check page page.html
	assert_output ok
	check cells page.html vendas_por_cidade
	assert_output 'p.bad:A tabela vendas_por_cidade não existe no PostgreSQL.'
	check cells page.html integridade
	assert_line $':vendas_por_cidade\tbad:✘ tabela ausente'
	report -f json --pg --raw "$D/raw.ndjson" > doc.json
	run json_get doc.json 'd["tables"]["vendas_por_cidade"]'
	assert_output '{"missing": true, "rows": [], "total": {"quantidade_motos_vendidas": 0, "registros": 0, "total_faturado": "0.00", "total_vendas": 0}}'
	run json_get doc.json '[(t, v["missing"]) for t, v in d["tables"].items()]'
	assert_output '[["vendas_por_ano_mes", false], ["vendas_por_estado", false], ["vendas_por_cidade", true], ["vendas_por_modalidade", false]]'
	run json_get doc.json '[(c["table"], c["ok"], c["difference"]) for c in d["integrity"]][2]'
	assert_output '["vendas_por_cidade", false, null]'
	# the text says so too: in the table's section and in the integrity
	run -0 report --pg --raw "$D/raw.ndjson"
	assert_line 'Vendas por cidade'
	assert_line '  A tabela vendas_por_cidade não existe no PostgreSQL.'
	assert_line '  vendas_por_cidade      ausente'
	assert_line '  vendas_por_estado      ok'
	# and without raw statistics
	run -0 --keep-empty-lines report --pg
	assert_line --index 0 'Vendas por ano/mês'
	assert_line 'Vendas por cidade'
	assert_line '  A tabela vendas_por_cidade não existe no PostgreSQL.'
	refute_line --partial 'ausente'
}

@test "--pg: a table emptied in PostgreSQL turns the integrity panel red" {
	use_schema
	psql_q 'DELETE FROM vendas_por_modalidade'
	report -f json --pg --raw "$D/raw.ndjson" > doc.json
	run json_get doc.json '[(c["table"], c["ok"]) for c in d["integrity"]]'
	assert_output '[["vendas_por_ano_mes", true], ["vendas_por_estado", true], ["vendas_por_cidade", true], ["vendas_por_modalidade", false]]'
	run json_get doc.json 'd["tables"]["vendas_por_modalidade"]'
	assert_output '{"missing": false, "rows": [], "total": {"quantidade_motos_vendidas": 0, "registros": 0, "total_faturado": "0.00", "total_vendas": 0}}'
	run json_get doc.json '[c["difference"]["registros"] for c in d["integrity"]]'
	assert_output '[0, 0, 0, -2000]'
	report -f html --pg --raw "$D/raw.ndjson" > page.html
	check page page.html
	assert_output ok
	check cells page.html integridade
	assert_line --regexp $'^:vendas_por_modalidade\tbad:✘ -[0-9.]+\tbad:✘ -R\\$ [0-9.,]+\tbad:✘ -[0-9.]+\tbad:✘ -2\\.000$'
	check cells page.html vendas_por_modalidade
	assert_output 'p.bad:A tabela vendas_por_modalidade está vazia.'
	run -0 report --pg --raw "$D/raw.ndjson"
	assert_line 'Vendas por modalidade'
	assert_line '  A tabela vendas_por_modalidade está vazia.'
	assert_line --regexp '^  vendas_por_modalidade  diferente: vendas -[0-9]+, faturamento -R\$ [0-9.,]+, motos -[0-9]+, registros -2000$'
	# an empty table is shown without raw statistics too
	report -f json --pg > noraw.json
	run json_get noraw.json '[list(d["tables"]), d["integrity"]]'
	assert_output '[["vendas_por_ano_mes", "vendas_por_estado", "vendas_por_cidade", "vendas_por_modalidade"], null]'
}

@test "--pg: an unreachable server: 69, the URI without its password" {
	PG_URI='postgresql://nobody:secret@127.0.0.1:1/x' \
	    run --separate-stderr report -f html --pg
	assert_status 69
	assert_output ''
	[[ $stderr == "report: cannot connect to postgresql://nobody@127.0.0.1:1/x: "* ]]
	[[ $stderr != *secret* ]]
}

@test "--pg: control characters in the server's message are escaped" {
	local base=${PG_SUITE_URI%%\?*}

	PG_URI="${base%/*}/no%1B%5B2J%C2%9Bdb" \
	    run --separate-stderr report -f json --pg
	assert_status 69
	assert_output ''
	[[ $stderr == *'database "no\u001b[2J\u009bdb" does not exist'* ]] ||
	    fail "stderr: $stderr"
	[[ $stderr != *$'\e'* && $stderr != *$'\xc2\x9b'* ]] ||
	    fail "a control character on stderr"
}

# MongoDB ----------------------------------------------------------------

@test "--mongo: the raw statistics from the server equal the file's; integrity ok" {
	use_schema
	use_collection
	mongo-load "$D/raw.ndjson" 2> /dev/null
	run_to doc.json report -f json --pg --mongo
	assert_status 0
	[ -z "$stderr" ]
	check json doc.json --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	run json_get doc.json 'd["raw"]["source"]'
	assert_output "MongoDB $MONGO_DB.$MONGO_COLLECTION"
	report -f html --pg --mongo > page.html
	check tables page.html --raw "$D/raw.ndjson" "${AGGS[@]}"
	assert_output ok
	run grep -c '<td class="bad">' page.html
	assert_output 0
	# the count, as pymongo sees it
	run mongo_py 'print(coll.count_documents({}))'
	assert_output 2000
}

@test "--mongo: a table altered in PostgreSQL turns the panel red" {
	use_schema
	use_collection
	mongo-load "$D/raw.ndjson" 2> /dev/null
	psql_q "UPDATE vendas_por_ano_mes SET quantidade_motos_vendidas =
	    quantidade_motos_vendidas - 3, registros = registros + 1
	    WHERE ano_mes = (SELECT min(ano_mes) FROM vendas_por_ano_mes)"
	report -f json --pg --mongo > doc.json
	grep -qF '{"table":"vendas_por_ano_mes","ok":false,"difference":{"total_vendas":0,"total_faturado":0.00,"quantidade_motos_vendidas":-3,"registros":1}}' doc.json
	run json_get doc.json '[c["ok"] for c in d["integrity"]]'
	assert_output '[false, true, true, true]'
	report -f html --pg --mongo > page.html
	check cells page.html integridade
	assert_line $':vendas_por_ano_mes\tok:✔ igual\tok:✔ igual\tbad:✘ -3\tbad:✘ +1'
	dump_dom page.html dom.html
	check cells dom.html integridade
	assert_line $':vendas_por_ano_mes\tok:✔ igual\tok:✔ igual\tbad:✘ -3\tbad:✘ +1'
}

@test "--mongo: BSON dates, 64-bit integers, a document without timestamp" {
	use_collection
	mongo_py '
from datetime import datetime
from bson.int64 import Int64
coll.insert_many([
    {"_id": "a", "data_venda": datetime(2025, 3, 1), "timestamp": datetime(2025, 6, 30, 12, 0, 5),
     "total_vendas": 3, "total_faturado": 10.5, "quantidade_moto_mais_vendida": 1},
    {"_id": "b", "data_venda": datetime(2025, 4, 2, 15), "timestamp": datetime(2025, 6, 30, 11),
     "total_vendas": Int64(4), "total_faturado": 20.25, "quantidade_moto_mais_vendida": Int64(2)},
    {"_id": "c", "data_venda": datetime(2025, 5, 31, 23, 59, 59),
     "total_vendas": 0, "total_faturado": 0.0, "quantidade_moto_mais_vendida": 0}])'
	report -f json --mongo --stale-after 0 > doc.json
	run json_get doc.json '[d["raw"], d["data_as_of"], d["stale"]]'
	assert_output "[{\"documentos\": 3, \"primeiro_dia\": \"2025-03-01\", \"quantidade_motos_vendidas\": 3, \"registros\": 3, \"source\": \"MongoDB $MONGO_DB.$MONGO_COLLECTION\", \"total_faturado\": \"30.75\", \"total_vendas\": 7, \"ultimo_dia\": \"2025-05-31\"}, \"2025-06-30T12:00:05Z\", false]"
	# an empty collection
	mongo_py 'coll.delete_many({})'
	report -f json --mongo > empty.json
	run json_get empty.json '[d["raw"], d["data_as_of"], d["stale"]]'
	assert_output "[{\"documentos\": 0, \"primeiro_dia\": null, \"quantidade_motos_vendidas\": 0, \"registros\": 0, \"source\": \"MongoDB $MONGO_DB.$MONGO_COLLECTION\", \"total_faturado\": \"0.00\", \"total_vendas\": 0, \"ultimo_dia\": null}, null, false]"
}

# start_proxy: a proxy to the test server that writes down the command of
# every message to proxy.log; MONGO_URI is set to it.  Skips when the test
# server is not a plain mongodb://HOST:PORT/.
start_proxy() {
	if [[ ! $MONGO_TEST_URI =~ ^mongodb://([^/@?,]+:[0-9]+)/?$ ]]; then
		skip "the proxy needs a plain mongodb://HOST:PORT/ test server"
	fi
	"$PY" "$FIXTURES/report-mongo-proxy.py" "${BASH_REMATCH[1]}" \
	    proxy.log proxy-port.txt 3>&- &
	BG_PIDS+=("$!")
	for _ in $(seq 100); do
		[[ -s proxy-port.txt ]] && break
		sleep 0.1
	done
	[[ -s proxy-port.txt ]] || fail "the proxy did not start"
	MONGO_URI=mongodb://127.0.0.1:$(<proxy-port.txt)/
	export MONGO_URI
}

# queries: how many times proxy.log shows the collection asked for.
queries() {
	grep -cE '^(aggregate|find|count|distinct)$' proxy.log
}

@test "--mongo: one pass over the collection, not a query per statistic" {
	local n

	use_collection
	mongo-load "$D/raw.ndjson" 2> /dev/null
	start_proxy
	run_to doc.json report -f json --mongo
	assert_status 0
	[ -z "$stderr" ]
	check json doc.json --raw "$D/raw.ndjson"
	assert_output ok
	# MongoDB answers one $group; FerretDB 1.x refuses its $max at once,
	# then gets one find (a cursor, and getMores for its batches)
	n=$(queries)
	((n >= 1 && n <= 2)) ||
	    fail "$n queries of the collection: $(sort proxy.log | uniq -c)"
	# and the check sees seven
	printf '%s\n' aggregate find find find aggregate aggregate aggregate \
	    > proxy.log
	[ "$(queries)" -eq 7 ]
	: > proxy.log
	report -f html --mongo "$D/mode.ndjson" > page.html
	check tables page.html --raw "$D/raw.ndjson" "$D/mode.ndjson"
	assert_output ok
	check cells page.html integridade
	assert_line $':vendas_por_modalidade\tok:✔ igual\tok:✔ igual\tok:✔ igual\tok:✔ igual'
	n=$(queries)
	((n >= 1 && n <= 2))
}

@test "--mongo: money to the cent, numbers of every BSON type, the rest left out" {
	use_collection
	mongo_py '
from bson.int64 import Int64
coll.insert_many([
    {"_id": 1, "total_vendas": 1, "total_faturado": 0.1, "quantidade_moto_mais_vendida": 1},
    {"_id": 2, "total_vendas": Int64(2), "total_faturado": 0.2, "quantidade_moto_mais_vendida": Int64(1)},
    {"_id": 3, "total_vendas": 3.0, "total_faturado": 1234567.89, "quantidade_moto_mais_vendida": 1},
    {"_id": 4, "total_vendas": "4", "total_faturado": None, "quantidade_moto_mais_vendida": [5]},
    {"_id": 5, "total_faturado": 10}])'
	report -f json --mongo > doc.json
	run json_get doc.json '[d["raw"]["documentos"], d["raw"]["total_vendas"], d["raw"]["total_faturado"], d["raw"]["quantidade_motos_vendidas"]]'
	assert_output '[5, 6, "1234578.19", 3]'
}

@test "--mongo: a stale libmongoc counters file of the same pid: no warning" {
	# libmongoc makes /dev/shm/mongoc-PID when it starts (before main) and
	# removes it at exit; a file left by a killed process with the same
	# pid made it warn "Falling back to malloc for counters"
	[[ -d /dev/shm && -w /dev/shm ]] || skip "no writable /dev/shm"
	use_collection
	mongo-load "$D/raw.ndjson" 2> /dev/null
	run --separate-stderr sh -c 'echo $$ > pid; : > /dev/shm/mongoc-$$
	    exec report -f json --mongo'
	rm -f "/dev/shm/mongoc-$(<pid)"
	assert_status 0
	assert_stderr ''
	run --separate-stderr sh -c 'echo $$ > pid; : > /dev/shm/mongoc-$$
	    exec report --version'
	rm -f "/dev/shm/mongoc-$(<pid)"
	assert_status 0
	assert_stderr ''
	assert_output 'report (dataops) 0.1.0'
	# and a run leaves no such file behind
	run --separate-stderr sh -c 'echo $$ > pid; exec report -f json --mongo'
	assert_status 0
	assert_stderr ''
	[ ! -e "/dev/shm/mongoc-$(<pid)" ]
}

@test "--mongo: an unreachable server: 69; with --raw: 64" {
	MONGO_URI='mongodb://u:secret@127.0.0.1:1/' \
	    run --separate-stderr report -f html --mongo --timeout 1
	assert_status 69
	assert_output ''
	[[ $stderr == "report: "*"127.0.0.1:1"* ]]
	[[ $stderr != *secret* ]]
	run --separate-stderr report --mongo --raw "$D/raw.ndjson"
	assert_status 64
	assert_stderr 'report: --raw and --mongo: give one source of raw statistics'
	run --separate-stderr report --mongo --timeout 0
	assert_status 64
}

# The man page and the README -------------------------------------------

# man_text: the man page as a reader sees it.
man_text() {
	mandoc -Tutf8 "$DATAOPS_ROOT/man/report.1" | sed 's/.\x08//g'
}

@test "man: lint-clean; every option, input, page section, JSON key, variable, status" {
	local opt id key

	run mandoc -Tlint -W warning "$DATAOPS_ROOT/man/report.1"
	assert_success
	assert_output ''
	man_text > page.txt
	# every option of usage() has an item in the options list
	for opt in $(report --help | grep -o -- '\[-[-a-z]*' | tr -d '['); do
		grep -qE "^     $opt( |,|$)" page.txt || fail "option $opt"
	done
	grep -qE '^     -h, --help$' page.txt
	grep -qE '^     --version$' page.txt
	# the inputs
	for key in 'Aggregate rows' 'Tables in PostgreSQL' 'Raw statistics' \
	    'Run history' Integrity Staleness 'Text output' 'The HTML page' \
	    'The JSON document' 'The output file'; do
		grep -q "^   $key\$" page.txt || fail "subsection $key"
	done
	# each section of a full page: its id or class, and its item
	report -f html --stale-after 1 --raw "$D/raw.ndjson" --runs "$RUNS" \
	    "${AGGS[@]}" > full.html
	grep -o '<section class="panel" id="[a-z_]*"' full.html |
	    sed 's/.*id="//; s/"//' > ids
	[ "$(wc -l < ids)" -eq 6 ]
	while read -r id; do
		grep -q "$id" page.txt || fail "section id $id"
	done < ids
	grep -q 'class="stale"' full.html
	grep -q '<section class="kpis"' full.html
	for key in 'Head' 'Header' 'Stale warning' 'KPI cards' \
	    'One section per table' 'Integrity panel' 'Pipeline panel' \
	    'Footer' 'class="stale"' 'class="kpis"' 'id="integridade"' \
	    'id="pipeline"' 'http-equiv="refresh"' '<details>'; do
		grep -qF "$key" page.txt || fail "page part $key"
	done
	# every key of the JSON document
	report -f json --raw "$D/raw.ndjson" --runs "$RUNS" "${AGGS[@]}" > doc.json
	for key in $(json_get doc.json 'sorted(set(list(d) + list(d["raw"]) + list(d["tables"]["vendas_por_cidade"]) + list(d["integrity"][0]) + list(d["runs"][0]) + list(d["runs"][0]["last"][0])))' |
	    tr -d '[],"'); do
		grep -q "\"$key\"" page.txt || fail "JSON key $key"
	done
	# the environment and the exit statuses
	sed -n '/^ENVIRONMENT$/,/^EXIT STATUS$/p' page.txt > env.txt
	for key in PG_URI MONGO_URI MONGO_DB MONGO_COLLECTION NO_COLOR; do
		grep -qE "^     $key( |$)" env.txt || fail "variable $key"
	done
	sed -n '/^EXIT STATUS$/,/^EXAMPLES$/p' page.txt > exit.txt
	for key in 0 64 65 69 70 74 75; do
		grep -qE "^           $key +[A-Z]" exit.txt || fail "status $key"
	done
}

@test "man: the examples: 5 indented (report.bats runs them), 5 flush" {
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" count
	assert_output 10
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" list
	assert_line --index 5 '6: $ report -f html -o vendas.html --raw sales.ndjson months.ndjson states.ndjson cities.ndjson modes.ndjson'
	assert_line --index 9 '10: $ gen-sales -n 2000 > batch.ndjson'
}

@test "man: example 6: the page from the four files, with the raw file" {
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" 6
	assert_output ok
	check page vendas.html
	assert_output ok
	check tables vendas.html --raw sales.ndjson months.ndjson states.ndjson \
	    cities.ndjson modes.ndjson
	assert_output ok
}

@test "man: example 7: the JSON document, integrity ok" {
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" 7
	assert_output ok
	report -f json --raw sales.ndjson months.ndjson modes.ndjson > doc.json
	check json doc.json --raw sales.ndjson months.ndjson modes.ndjson
	assert_output ok
}

@test "man: example 8: refresh every 30 s, stale after 10 minutes" {
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" 8
	assert_output ok
	report -f html --refresh 30 --stale-after 10 --raw old.ndjson > page.html
	check head page.html
	assert_line 'refresh:30'
	assert_line --regexp '^stale:Dados desatualizados: o registro mais recente é de (23|24) h [0-9]+ min atrás \(limite: 10 min\)\.$'
}

@test "man: example 9: the run history" {
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" 9
	assert_output ok
	report -f html --runs runs.ndjson > page.html
	check cells page.html pipeline
	assert_line 'caption:refresh: 2 execuções, 1 com falha'
	assert_line $':2026-11-29T06:40:00Z\t:9 s\tbad:✘ retrying\t:75\t:1\t:0\t:db1'
}

@test "man: example 10: the tables and the collection on the test servers" {
	use_schema
	use_collection
	run "$PY" "$EXAMPLES" "$DATAOPS_ROOT/man/report.1" 10
	assert_output ok
	check page vendas.html
	assert_output ok
	run mongo_py 'print(coll.count_documents({}))'
	assert_output 2000
	check cells vendas.html integridade
	[ "$(grep -c 'ok:✔ igual' <<< "$output")" -eq 4 ]
	[ "$(grep -c 'bad:' <<< "$output")" -eq 0 ]
	check cells vendas.html pipeline
	assert_line 'caption:report: 1 execução, 0 com falha'
	check head vendas.html
	assert_line 'not stale'
}

@test "README: shows how to write, open and serve the HTML page" {
	grep -q 'report -f html' "$DATAOPS_ROOT/README.md" ||
	    fail "README.md: no report -f html"
	grep -qiE 'http\.server|static (web )?server|nginx|busybox httpd' \
	    "$DATAOPS_ROOT/README.md" || fail "README.md: how to serve the page"
	grep -qiE 'open (it|the (page|file))|xdg-open|in a browser' \
	    "$DATAOPS_ROOT/README.md" || fail "README.md: how to open the page"
}
