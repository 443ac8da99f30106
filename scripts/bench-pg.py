#!/usr/bin/python3
"""PostgreSQL helpers for scripts/bench.sh (run with /usr/bin/python3).

  bench-pg.py csv IN OUT
      Write the NDJSON sale records of IN as CSV rows for
      `\\copy sales FROM OUT CSV`: the columns of the bench's sales table,
      in its order; JSON null or a missing field as an empty unquoted field
      (NULL), every other string quoted when it must be (an empty string is
      always quoted, so it stays ''); numbers as their exact JSON text.

  bench-pg.py insert URI FILE N
      The row-by-row baseline, as the original Python stack loaded
      PostgreSQL: psycopg2, one INSERT statement per record, all in one
      transaction, for the first N records of FILE.  The records are read
      and parsed before the clock starts; the INSERTs and the COMMIT are
      timed.  Prints "ROWS SECONDS" on standard output.
"""

import json
import sys
import time
from decimal import Decimal

COLUMNS = ("_id", "data_venda", "total_vendas", "total_faturado",
           "moto_mais_vendida", "quantidade_moto_mais_vendida",
           "preco_total", "cidade", "estado", "modalidade", "timestamp")


def to_csv(src, dst):
    # parse_float=str keeps numbers as written ("233060.00", not 233060.0)
    loads = json.JSONDecoder(parse_float=str, parse_int=str).decode
    special = set(',"\r\n')

    def field(v):
        if v is None:
            return ""
        if not isinstance(v, str):
            # true/false, nested values: their JSON text
            v = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        if v == "" or not special.isdisjoint(v):
            return '"' + v.replace('"', '""') + '"'
        return v

    n = 0
    with open(src, encoding="utf-8") as inp, \
            open(dst, "w", encoding="utf-8", newline="") as out:
        buf = []
        for line in inp:
            rec = loads(line)
            buf.append(",".join(field(rec.get(c)) for c in COLUMNS))
            n += 1
            if len(buf) == 65536:
                out.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            out.write("\n".join(buf) + "\n")
    return n


def insert(uri, path, limit):
    import psycopg2  # Debian's python3-psycopg2

    recs = []
    with open(path, encoding="utf-8") as inp:
        for line in inp:
            if len(recs) == limit:
                break
            recs.append(json.loads(line, parse_float=Decimal))
    cols = ", ".join('"%s"' % c for c in COLUMNS)
    sql = "INSERT INTO sales (%s) VALUES (%s)" % (
        cols, ", ".join(["%s"] * len(COLUMNS)))
    conn = psycopg2.connect(uri)
    cur = conn.cursor()
    t0 = time.perf_counter()
    for r in recs:
        cur.execute(sql, tuple(r.get(c) for c in COLUMNS))
    conn.commit()
    t1 = time.perf_counter()
    conn.close()
    print(len(recs), "%.6f" % (t1 - t0))


def main(argv):
    if len(argv) == 4 and argv[1] == "csv":
        print(to_csv(argv[2], argv[3]))
    elif len(argv) == 5 and argv[1] == "insert":
        insert(argv[2], argv[3], int(argv[4]))
    else:
        sys.exit("usage: bench-pg.py csv IN OUT | insert URI FILE N")


if __name__ == "__main__":
    main(sys.argv)
