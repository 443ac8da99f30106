#!/usr/bin/env bash
#
# tests/corpus/make-big.sh DIR: write the large files of the hostile input
# corpus into DIR, which must exist.  They are made at test time (about
# 200 MB in all, in a second or two) and never committed; MANIFEST states
# what every program must do with each of them, as for the small files.
#
#   big-line-64mib.ndjson      a valid record whose moto_mais_vendida is a
#                              64 MiB string, between two good records
#   big-line-64mib-cut.ndjson  the same record cut off inside that string:
#                              the file ends there, with no newline
#   big-string-10mb.ndjson     a valid record whose cidade is 10,000,000
#                              bytes of UTF-8 (ASCII and two-byte letters)
#   big-array-1m.ndjson        a valid record with an extra field holding
#                              an array of 1,000,000 numbers
#   big-nesting-100k.ndjson    an extra field nested 100,000 arrays deep
#   big-nesting-100k-top.ndjson  a line that is 100,000 nested arrays
#   big-nesting-100k-objects.ndjson  a line of 100,000 nested objects
#   big-many-lines-bad.ndjson  30,000 good records (over 4 MiB, so the
#                              aggregators split it among threads) with a
#                              bad one at line 29,990
#
# Every record is the corpus's valid sale record (see MANIFEST) with its
# own _id.

set -euo pipefail

dir=${1:?usage: make-big.sh DIR}
cd "$dir"

# rec ID [MEMBERS]: the valid record with _id ID, MEMBERS (",k":v...) added
# before the closing brace, no newline.
rec() {
	printf '{"_id":"%s","data_venda":"2025-03-01","total_vendas":3,"total_faturado":1500.10,"moto_mais_vendida":"Honda CG 160","quantidade_moto_mais_vendida":2,"preco_total":30000.00,"cidade":"Fortaleza","estado":"Ceará","modalidade":"Financiamento","timestamp":"2025-06-30T12:00:00Z"%s}' \
	    "$1" "${2:-}"
}

# rec_open ID FIELD: the valid record without FIELD, up to and including
# `"FIELD":` at its end, no newline.
rec_open() {
	rec "$1" | sed -e "s/,\"$2\":\"[^\"]*\"//" -e 's/}$//' | tr -d '\n'
	printf ',"%s":' "$2"
}

# bytes N CHAR: N bytes, each the one-byte CHAR.
bytes() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

# repeat N TEXT: TEXT N times, no newline.
repeat() {
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

{
	rec big-line-64mib-1
	printf '\n'
	rec_open big-line-64mib-2 moto_mais_vendida
	printf '"'
	bytes $((64 * 1024 * 1024)) x
	printf '"}\n'
	rec big-line-64mib-3
	printf '\n'
} >big-line-64mib.ndjson.tmp
mv big-line-64mib.ndjson.tmp big-line-64mib.ndjson

{
	rec big-line-64mib-cut-1
	printf '\n'
	rec_open big-line-64mib-cut-2 moto_mais_vendida
	printf '"'
	bytes $((64 * 1024 * 1024)) x
} >big-line-64mib-cut.ndjson.tmp
mv big-line-64mib-cut.ndjson.tmp big-line-64mib-cut.ndjson

{
	rec big-string-10mb-1
	printf '\n'
	rec_open big-string-10mb-2 cidade
	printf '"'
	# 1,000,000 times 10 bytes: "Fortal" "ç" "a" + one space = 10 bytes
	repeat 1000000 'Fortalça '
	printf '"}\n'
	rec big-string-10mb-3
	printf '\n'
} >big-string-10mb.ndjson.tmp
mv big-string-10mb.ndjson.tmp big-string-10mb.ndjson

{
	rec big-array-1m-1
	printf '\n'
	rec big-array-1m-2 ',"itens":[' | sed 's/}$//' | tr -d '\n'
	repeat 999999 '7,'
	printf '7]}\n'
	rec big-array-1m-3
	printf '\n'
} >big-array-1m.ndjson.tmp
mv big-array-1m.ndjson.tmp big-array-1m.ndjson

{
	rec big-nesting-100k-1
	printf '\n\n'
	rec big-nesting-100k-3 ',"deep":' | sed 's/}$//' | tr -d '\n'
	bytes 100000 '['
	bytes 100000 ']'
	printf '}\n'
	rec big-nesting-100k-4
	printf '\n'
} >big-nesting-100k.ndjson.tmp
mv big-nesting-100k.ndjson.tmp big-nesting-100k.ndjson

{
	rec big-nesting-100k-top-1
	printf '\n'
	bytes 100000 '['
	bytes 100000 ']'
	printf '\n'
} >big-nesting-100k-top.ndjson.tmp
mv big-nesting-100k-top.ndjson.tmp big-nesting-100k-top.ndjson

{
	rec big-nesting-100k-objects-1
	printf '\n'
	repeat 100000 '{"a":'
	printf '1'
	bytes 100000 '}'
	printf '\n'
} >big-nesting-100k-objects.ndjson.tmp
mv big-nesting-100k-objects.ndjson.tmp big-nesting-100k-objects.ndjson

rec big-many-lines-bad-N |
    awk -v n=30000 -v bad=29990 '{
	for (i = 1; i <= n; i++) {
		if (i == bad) {
			print "{\"_id\":\"big-many-lines-bad-" i "\",\"data_venda\":\"2025-03-01\",\"total_vendas\":3,"
			continue
		}
		line = $0
		sub(/-N"/, "-" i "\"", line)
		print line
	}
    }' >big-many-lines-bad.ndjson.tmp
mv big-many-lines-bad.ndjson.tmp big-many-lines-bad.ndjson
