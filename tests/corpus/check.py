#!/usr/bin/python3
"""What tests/corpus.bats checks with independent clients: the rows that
pg-load wrote (psycopg2), the documents that mongo-load wrote (pymongo) and
the raw statistics that report computed, each against the corpus file as
Python's json module reads it.  Never runs the programs under test.

usage: check.py records FILE...            "N<TAB>FILE": the records of FILE
       check.py pg TABLE FILE [TABLE FILE ...]
       check.py mongo COLL FILE [COLL FILE ...]
       check.py raw FILE REPORT.json

pg and mongo use PG_URI, and MONGO_URI and MONGO_DB.  Each difference is
printed on stdout, as "FILE: what"; the exit status is 1 when there is one.

A file is read as the programs document it: a UTF-8 BOM at the start and a
CR before each LF dropped, empty lines skipped, every other line one JSON
object.
"""

import json
import re
import sys
from decimal import Decimal

# Debian's python3 (/usr/bin/python3) has psycopg2 and pymongo; each is
# imported where it is needed.

INSTANT_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})\Z")
LOOSE_DATE_RE = re.compile(r"([0-9]+)[-/]([0-9]+)[-/]([0-9]+)\Z")
NUMBER_WRAPPERS = ("$numberInt", "$numberLong", "$numberDouble",
                   "$numberDecimal")


class Num(str):
    """A JSON number, kept as its exact text."""


def lines(path):
    """(line number, bytes) of each record line of path."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    for n, raw in enumerate(parts, 1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if raw:
            yield n, raw


def records(path):
    """Each record of path as Python values, numbers as Num."""
    for _, raw in lines(path):
        yield json.loads(raw.decode("utf-8"), parse_int=Num, parse_float=Num)


# --- PostgreSQL -----------------------------------------------------------

def civil(days):
    """(year, month, day) of days since 1970-01-01, any year."""
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def days_from_civil(y, m, d):
    """Days since 1970-01-01 of a real day y-m-d (any year >= 1)."""
    mdays = [31, 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28,
             31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if y < 1 or not 1 <= m <= 12 or not 1 <= d <= mdays[m - 1]:
        raise ValueError("no such day: %d-%d-%d" % (y, m, d))
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def instant_epoch(text):
    """Seconds since the epoch (a Decimal) of an ISO 8601 instant."""
    m = INSTANT_RE.match(text)
    if not m:
        raise ValueError("not an instant: %r" % text)
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    if int(hh) > 23 or int(mi) > 59 or int(ss or 0) > 59:
        raise ValueError("no such time: %r" % text)
    secs = Decimal(days_from_civil(int(y), int(mo), int(d)) * 86400 +
                   int(hh) * 3600 + int(mi) * 60 + int(ss or 0))
    secs += Decimal(frac or "0")
    if zone != "Z":
        off = int(zone[1:3]) * 3600 + int(zone[4:6]) * 60
        secs -= off if zone[0] == "+" else -off
    return secs


def date_ms(value):
    """The milliseconds of {"$date": ms} or {"$date": {"$numberLong": ms}}."""
    if isinstance(value, dict):
        value = value["$numberLong"]
    return int(Decimal(value))


def unwrap(value):
    """The value inside an extended-JSON wrapper, and the wrapper's name."""
    if isinstance(value, dict) and len(value) == 1:
        (name, inner), = value.items()
        if name in NUMBER_WRAPPERS + ("$oid", "$date"):
            return inner, name
    return value, None


def expect_text(value):
    value, name = unwrap(value)
    if name == "$date":
        return None         # not in the corpus: no text form asked for
    if isinstance(value, bool):
        return b"true" if value else b"false"
    return str(value).encode("utf-8")


def expect_date(value):
    value, name = unwrap(value)
    if name == "$date":
        if isinstance(value, str) and not isinstance(value, Num):
            secs = instant_epoch(value)
        else:
            secs = Decimal(date_ms(value)) / 1000
        return "%04d-%02d-%02d" % civil(int(secs // 86400))
    if INSTANT_RE.match(value):
        return "%04d-%02d-%02d" % civil(int(instant_epoch(value) // 86400))
    m = LOOSE_DATE_RE.match(value)
    if m:
        return "%04d-%02d-%02d" % tuple(map(int, m.groups()))
    raise ValueError("no expected date for %r" % value)


def expect_epoch(value):
    value, name = unwrap(value)
    if name == "$date" and (isinstance(value, (Num, dict)) or
                            not isinstance(value, str)):
        return Decimal(date_ms(value)) / 1000
    return instant_epoch(value)


# column: (SQL expression giving text or bytes, expected value of a field)
PG_COLUMNS = [
    ("_id", "convert_to(_id, 'UTF8')", expect_text),
    ("data_venda", "data_venda::text", expect_date),
    ("total_vendas", "total_vendas::text",
     lambda v: int(Decimal(unwrap(v)[0]))),
    ("total_faturado", "total_faturado::text",
     lambda v: Decimal(unwrap(v)[0])),
    ("moto_mais_vendida", "convert_to(moto_mais_vendida, 'UTF8')",
     expect_text),
    ("quantidade_moto_mais_vendida", "quantidade_moto_mais_vendida::text",
     lambda v: int(Decimal(unwrap(v)[0]))),
    ("preco_total", "preco_total::text", lambda v: Decimal(unwrap(v)[0])),
    ("cidade", "convert_to(cidade, 'UTF8')", expect_text),
    ("estado", "convert_to(estado, 'UTF8')", expect_text),
    ("modalidade", "convert_to(modalidade, 'UTF8')", expect_text),
    ("timestamp", "extract(epoch FROM \"timestamp\")::text", expect_epoch),
]


def got_value(name, cell):
    if cell is None:
        return None
    if isinstance(cell, memoryview):
        return bytes(cell)
    if name in ("total_vendas", "quantidade_moto_mais_vendida"):
        return int(cell)
    if name in ("total_faturado", "preco_total", "timestamp"):
        return Decimal(cell)
    return cell


def check_pg(pairs):
    import os
    import psycopg2

    conn = psycopg2.connect(os.environ["PG_URI"])
    cur = conn.cursor()
    bad = []
    for table, path in pairs:
        want = {}
        try:
            recs = list(records(path))
        except ValueError as e:
            bad.append("%s: loaded, but not all of it is JSON: %s" % (path, e))
            continue
        for rec in recs:
            key = expect_text(rec.get("_id"))
            want[key] = {}
            for name, _, expect in PG_COLUMNS:
                v = rec.get(name)
                try:
                    want[key][name] = None if v is None else expect(v)
                except (ValueError, KeyError, TypeError, ArithmeticError):
                    # no value of the column stands for it: whatever
                    # pg-load wrote differs
                    want[key][name] = ("not a %s" % name, v)
        cur.execute("SELECT %s FROM \"%s\"" % (
            ", ".join(expr for _, expr, _ in PG_COLUMNS),
            table.replace('"', '""')))
        got = {}
        for row in cur.fetchall():
            values = {name: got_value(name, cell)
                      for (name, _, _), cell in zip(PG_COLUMNS, row)}
            got[values["_id"]] = values
        if len(got) != len(want):
            bad.append("%s: %d rows in %s, %d records in the file"
                       % (path, len(got), table, len(want)))
        for key, values in want.items():
            if key not in got:
                bad.append("%s: no row for _id %r" % (path, key[:60]))
                continue
            for name, _, _ in PG_COLUMNS:
                if values[name] != got[key][name]:
                    bad.append("%s: _id %r: %s is %r, the file says %r" % (
                        path, key[:60], name, repr(got[key][name])[:80],
                        repr(values[name])[:80]))
    conn.close()
    return bad


# --- MongoDB --------------------------------------------------------------
#
# Both sides are brought to one comparable form by code of this file alone:
# the documents are read as raw BSON and decoded here, the file's extended
# JSON is interpreted here (pymongo 3 cannot decode a date after 9999).
# Numbers compare by value: an integer of int64 as an int, anything else as
# the double it becomes (a 25-digit integer or 1500.10 is stored as one).

def number(d):
    if d.is_nan():
        return "NaN"
    if d.is_infinite():
        return "inf" if d > 0 else "-inf"
    if d == d.to_integral_value() and abs(d) < 2 ** 63:
        return int(d)
    return float(d)


def from_json(v):
    """The comparable form of a value of the file (extended JSON)."""
    if isinstance(v, Num):
        return number(Decimal(v))
    if isinstance(v, list):
        return [from_json(x) for x in v]
    if not isinstance(v, dict):
        return v
    if len(v) == 1:
        (name, inner), = v.items()
        if name in NUMBER_WRAPPERS and isinstance(inner, str):
            try:
                return number(Decimal(inner))
            except ArithmeticError:
                return ("not a number", inner)
        if name == "$oid":
            return ("oid", inner.lower())
        if name == "$date":
            try:
                if isinstance(inner, str) and not isinstance(inner, Num):
                    return ("date", int(instant_epoch(inner) * 1000))
                return ("date", date_ms(inner))
            except (ValueError, KeyError, TypeError, ArithmeticError):
                return ("not a date", repr(inner))
    if list(v) == ["$regularExpression"]:
        r = v["$regularExpression"]
        return ("regex", r["pattern"], "".join(sorted(r["options"])))
    return {k: from_json(x) for k, x in v.items()}


def cstring(b, i):
    j = b.index(b"\0", i)
    return b[i:j].decode("utf-8"), j + 1


def from_bson(b, i=4, end=None, array=False):
    """The comparable form of the BSON document (or array) at b[i-4:]."""
    import struct

    if end is None:
        end = i - 4 + struct.unpack_from("<i", b, i - 4)[0] - 1
    out = {}
    while i < end:
        t = b[i]
        key, i = cstring(b, i + 1)
        if t == 0x01:
            v = number(Decimal(struct.unpack_from("<d", b, i)[0]))
            i += 8
        elif t == 0x02:
            n = struct.unpack_from("<i", b, i)[0]
            v = b[i + 4:i + 4 + n - 1].decode("utf-8")
            i += 4 + n
        elif t in (0x03, 0x04):
            n = struct.unpack_from("<i", b, i)[0]
            v = from_bson(b, i + 4, i + n - 1, t == 0x04)
            i += n
        elif t == 0x07:
            v = ("oid", b[i:i + 12].hex())
            i += 12
        elif t == 0x08:
            v = b[i] == 1
            i += 1
        elif t == 0x09:
            v = ("date", struct.unpack_from("<q", b, i)[0])
            i += 8
        elif t == 0x0A:
            v = None
        elif t == 0x0B:
            pattern, i = cstring(b, i)
            options, i = cstring(b, i)
            v = ("regex", pattern, "".join(sorted(options)))
        elif t == 0x10:
            v = struct.unpack_from("<i", b, i)[0]
            i += 4
        elif t == 0x12:
            v = struct.unpack_from("<q", b, i)[0]
            i += 8
        elif t == 0x13:
            from bson.decimal128 import Decimal128
            v = number(Decimal128.from_bid(b[i:i + 16]).to_decimal())
            i += 16
        else:
            raise ValueError("BSON type 0x%02x not expected" % t)
        out[key] = v
    return list(out.values()) if array else out


def key_of(v):
    return json.dumps(v, sort_keys=True)


def check_mongo(pairs):
    import os
    import pymongo
    from bson.codec_options import CodecOptions
    from bson.raw_bson import RawBSONDocument

    client = pymongo.MongoClient(os.environ["MONGO_URI"],
                                 serverSelectionTimeoutMS=20000)
    db = client[os.environ["MONGO_DB"]]
    bad = []
    for coll, path in pairs:
        want = {}
        anonymous = []
        try:
            recs = list(records(path))
        except ValueError as e:
            bad.append("%s: loaded, but not all of it is JSON: %s" % (path, e))
            continue
        for rec in recs:
            doc = from_json(rec)
            if "_id" not in doc:
                anonymous.append(doc)
            else:
                want.setdefault(key_of(doc["_id"]), doc)  # the first stays
        collection = db.get_collection(coll, codec_options=CodecOptions(
            document_class=RawBSONDocument))
        got = {}
        got_anonymous = []
        for raw in collection.find():
            doc = from_bson(raw.raw)
            key = key_of(doc["_id"])
            if key in want:
                if key in got:
                    bad.append("%s: _id %s twice" % (path, key[:60]))
                got[key] = doc
            else:
                del doc["_id"]
                got_anonymous.append(doc)
        for key, doc in want.items():
            if key not in got:
                bad.append("%s: no document for _id %s" % (path, key[:60]))
            elif got[key] != doc:
                for k in sorted(set(got[key]) | set(doc)):
                    if got[key].get(k, "(none)") != doc.get(k, "(none)"):
                        bad.append("%s: _id %s: %s is %s, the file says %s"
                                   % (path, key[:60], k,
                                      repr(got[key].get(k, "(none)"))[:80],
                                      repr(doc.get(k, "(none)"))[:80]))
        if sorted(map(key_of, got_anonymous)) != sorted(map(key_of, anonymous)):
            bad.append("%s: %d documents without an _id of the file, %d "
                       "records without _id in it" % (
                           path, len(got_anonymous), len(anonymous)))
    return bad


# --- report --raw -------------------------------------------------------------

def check_raw(path, report_json):
    docs = 0
    sums = [Decimal(0), Decimal(0), Decimal(0)]
    for rec in records(path):
        docs += 1
        for i, name in enumerate(("total_vendas", "total_faturado",
                                  "quantidade_moto_mais_vendida")):
            if name in rec:
                sums[i] += Decimal(unwrap(rec[name])[0])
    with open(report_json, encoding="utf-8") as f:
        raw = json.load(f, parse_float=Decimal)["raw"]
    got = [raw["documentos"], raw["total_vendas"], raw["total_faturado"],
           raw["quantidade_motos_vendidas"]]
    want = [docs] + sums
    if [Decimal(x) for x in got] != want:
        names = ("documentos", "total_vendas", "total_faturado",
                 "quantidade_motos_vendidas")
        show = lambda xs: ", ".join("%s %s" % nx for nx in zip(names, xs))
        return ["report --raw says %s; the file adds up to %s"
                % (show(got), show(want))]
    return []


def main(argv):
    if len(argv) >= 2 and argv[0] == "records":
        for path in argv[1:]:
            print("%d\t%s" % (sum(1 for _ in lines(path)), path))
        return 0
    if argv and argv[0] in ("pg", "mongo") and len(argv) % 2 == 1:
        pairs = list(zip(argv[1::2], argv[2::2]))
        bad = (check_pg if argv[0] == "pg" else check_mongo)(pairs)
    elif len(argv) == 3 and argv[0] == "raw":
        bad = check_raw(argv[1], argv[2])
    else:
        sys.stderr.write(__doc__)
        return 64
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
