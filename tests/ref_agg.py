#!/usr/bin/env python3
"""Reference aggregator for the tests: an independent implementation of
what agg-by-month, agg-by-state and agg-by-mode compute (CONTRACT.md,
DESIGN.md), in plain Python with exact decimals, so that a test can diff a
program's output against it.  It never runs the programs.

usage: ref_agg.py [--merge] [--skip-bad] KIND [file ...]

KIND is month, state, city, mode, or day (rows keyed by "data_venda", as
mongo-export --group-by day writes them; not with --merge).  No file or
"-" is standard input.  A bad record is reported on stderr as
"ref_agg: file:line: reason" and ends the run with status 65, unless
--skip-bad is given, in which case it is left out and the run goes on.
"""

import datetime
import decimal
import json
import re
import sys
from decimal import Decimal

INT64_MAX = 2**63 - 1
EPOCH = datetime.date(1970, 1, 1)
MS_PER_DAY = 86400000

# Exact arithmetic whatever the exponent: "1e400" or "1e-400" stay exact.
decimal.setcontext(decimal.Context(
    prec=10000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow]))

NUMBER_RE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})\Z")
INSTANT_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})\Z")
NUMBER_WRAPPERS = ("$numberInt", "$numberLong", "$numberDouble",
                   "$numberDecimal")

KEYS = {
    "month": ("ano_mes",),
    "day": ("data_venda",),
    "state": ("estado",),
    "city": ("estado", "cidade"),
    "mode": ("modalidade",),
}


class Bad(Exception):
    """A bad record; the argument is the reason as the contract words it."""


def reject_constant(name):
    raise ValueError("not JSON: " + name)


def load_object(raw):
    try:
        text = raw.decode("utf-8")
        value = json.loads(text, parse_float=Decimal, parse_int=Decimal,
                           parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise Bad("invalid JSON: %s" % e)
    if not isinstance(value, dict):
        raise Bad("not a JSON object")
    return value


def field(obj, name):
    if name not in obj:
        raise Bad('missing "%s"' % name)
    return obj[name]


def string(obj, name):
    value = field(obj, name)
    if not isinstance(value, str):
        raise Bad('"%s" is not a string' % name)
    return value


def number(obj, name, what):
    """The value of a number field as a Decimal (plain or extended JSON)."""
    value = field(obj, name)
    if isinstance(value, dict) and len(value) == 1:
        (wrapper, text), = value.items()
        if (wrapper in NUMBER_WRAPPERS and isinstance(text, str)
                and NUMBER_RE.match(text)):
            return Decimal(text)
    if isinstance(value, Decimal):
        return value
    raise Bad('"%s" is not %s' % (name, what))


def integer(obj, name):
    value = number(obj, name, "an integer")
    if value != value.to_integral_value():
        raise Bad('"%s" is not an integer' % name)
    if value < 0:
        raise Bad('"%s" is negative' % name)
    if value > INT64_MAX:
        raise Bad('"%s" is out of range' % name)
    return int(value)


def cents(obj, name):
    value = number(obj, name, "a number")
    if value < 0:
        raise Bad('"%s" is negative' % name)
    scaled = value.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise Bad('"%s" has more than 2 decimals' % name)
    if scaled > INT64_MAX:
        raise Bad('"%s" is out of range' % name)
    return int(scaled)


def day_from_ms(ms, name):
    try:
        return EPOCH + datetime.timedelta(days=ms // MS_PER_DAY)
    except OverflowError:
        raise Bad('"%s" is not a valid date' % name)


def date(obj, name):
    """A sale day: "YYYY-MM-DD" or a MongoDB $date (its UTC day)."""
    value = field(obj, name)
    invalid = Bad('"%s" is not a valid date' % name)
    if isinstance(value, str):
        m = DATE_RE.match(value)
        if not m:
            raise invalid
        try:
            return datetime.date(*map(int, m.groups()))
        except ValueError:
            raise invalid
    if not isinstance(value, dict):
        raise Bad('"%s" is not a string' % name)
    if list(value) != ["$date"]:
        raise invalid
    inner = value["$date"]
    if isinstance(inner, dict) and list(inner) == ["$numberLong"]:
        inner = inner["$numberLong"]
        if not isinstance(inner, str) or not re.match(r"-?[0-9]+\Z", inner):
            raise invalid
        return day_from_ms(int(inner), name)
    if isinstance(inner, Decimal):
        if inner != inner.to_integral_value():
            raise invalid
        return day_from_ms(int(inner), name)
    if isinstance(inner, str):
        m = INSTANT_RE.match(inner)
        if not m:
            raise invalid
        y, mo, d, hh, mi, ss, zone = m.groups()
        try:
            tz = datetime.timezone.utc
            if zone != "Z":
                sign = -1 if zone[0] == "-" else 1
                tz = datetime.timezone(sign * datetime.timedelta(
                    hours=int(zone[1:3]), minutes=int(zone[4:6])))
            t = datetime.datetime(int(y), int(mo), int(d), int(hh), int(mi),
                                  int(ss or 0), tzinfo=tz)
            return t.astimezone(datetime.timezone.utc).date()
        except (ValueError, OverflowError):
            raise invalid
    raise invalid


def month(obj, name):
    value = string(obj, name)
    m = MONTH_RE.match(value)
    if not m or not 1 <= int(m.group(1)) <= 9999 \
            or not 1 <= int(m.group(2)) <= 12:
        raise Bad('"%s" is not a valid month' % name)
    return value


def group_key(kind, obj, merge):
    if kind == "month":
        if merge and "ano_mes" in obj:
            return (month(obj, "ano_mes"),)
        if merge and "data_venda" not in obj:
            raise Bad('missing "ano_mes"')
        d = date(obj, "data_venda")
        return ("%04d-%02d" % (d.year, d.month),)
    if kind == "day":
        d = date(obj, "data_venda")
        return ("%04d-%02d-%02d" % (d.year, d.month, d.day),)
    return tuple(string(obj, k) for k in KEYS[kind])


def measures(obj, merge):
    """(total_vendas, cents, quantidade, registros) of one line."""
    if merge:
        return (integer(obj, "total_vendas"), cents(obj, "total_faturado"),
                integer(obj, "quantidade_motos_vendidas"),
                integer(obj, "registros"))
    return (integer(obj, "total_vendas"), cents(obj, "total_faturado"),
            integer(obj, "quantidade_moto_mais_vendida"), 1)


def lines(name):
    """(line number, bytes) of each non-blank line: CR before LF and a BOM
    at the start of the file dropped, blank lines counted but skipped."""
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(name, "rb") as f:
            data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    for number_, raw in enumerate(parts, 1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if raw:
            yield number_, raw


def format_cents(c):
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%02d" % (sign, c // 100, c % 100)


def format_row(kind, key, sums):
    keys = KEYS[kind]
    parts = ["%s:%s" % (json.dumps(k), json.dumps(v, ensure_ascii=False))
             for k, v in zip(keys, key)]
    tv, c, q, n = sums
    parts.append('"total_vendas":%d' % tv)
    parts.append('"total_faturado":%s' % format_cents(c))
    parts.append('"quantidade_motos_vendidas":%d' % q)
    parts.append('"registros":%d' % n)
    return "{" + ",".join(parts) + "}"


def order(kind, groups):
    if kind in ("month", "day"):
        return sorted(groups)
    return sorted(groups, key=lambda k: (
        -groups[k][0], tuple(s.encode("utf-8") for s in k)))


def main(argv):
    merge = skip_bad = False
    args = []
    for a in argv:
        if a == "--merge":
            merge = True
        elif a == "--skip-bad":
            skip_bad = True
        else:
            args.append(a)
    if not args or args[0] not in KEYS or (merge and args[0] == "day"):
        sys.stderr.write(__doc__)
        return 64
    kind, files = args[0], args[1:] or ["-"]
    groups = {}
    for name in files:
        label = "<stdin>" if name == "-" else name
        for lineno, raw in lines(name):
            try:
                obj = load_object(raw)
                key = group_key(kind, obj, merge)
                m = measures(obj, merge)
            except Bad as e:
                sys.stderr.write("ref_agg: %s:%d: %s\n" % (label, lineno, e))
                if skip_bad:
                    continue
                return 65
            acc = groups.setdefault(key, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += m[i]
    out = sys.stdout.buffer
    for key in order(kind, groups):
        out.write(format_row(kind, key, groups[key]).encode("utf-8") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
