#!/usr/bin/python3
"""Records for pg-load's binary COPY test: every column type pg-load
writes in COPY's binary format, at random and at the edges, in the forms
that stay in binary (tests/pg-load.bats loads them twice, in binary and
in text format, and compares what the server holds).

usage: pg-binary-gen.py N SEED > records.ndjson
"""
import json
import random
import sys

n, seed = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)


def digits(k):
    return "".join(rnd.choice("0123456789") for _ in range(k))


def integer(bits):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return rnd.choice([lo, hi, 0, -1, 1, lo + 1, hi - 1,
                       rnd.randint(lo, hi), rnd.randint(-999, 999)])


def numeric():
    shape = rnd.randrange(6)
    if shape == 0:
        return rnd.choice(["0", "-0", "0.00", "-0.000", "10000",
                           "0.0001", "0.00001", "99999999.99999999",
                           "1000000000000000000000000000000.5",
                           "-0.00000000000000000000000000000001"])
    ip = digits(rnd.randrange(0, 25)).lstrip("0") or "0"
    s = ("-" if rnd.random() < 0.4 else "") + ip
    if shape > 1:
        s += "." + digits(rnd.randrange(1, 25))
    return s


def day():
    y = rnd.choice([1, 2, 1969, 1970, 1999, 2000, 2024, 9999,
                    rnd.randint(1, 9999)])
    m = rnd.randint(1, 12)
    d = rnd.randint(1, 29 if m == 2 and y % 4 == 0 and
                    (y % 100 or y % 400 == 0) else
                    28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)
    return "%04d-%02d-%02d" % (y, m, d)


def instant():
    s = "%sT%02d:%02d:%02d" % (day(), rnd.randint(0, 23),
                               rnd.randint(0, 59), rnd.randint(0, 59))
    k = rnd.randrange(7)
    if k:
        s += "." + digits(k)
    off = rnd.randrange(4)
    if off == 1:
        s += "Z"
    elif off >= 2:
        s += "%s%02d:%02d" % (rnd.choice("+-"), rnd.randint(0, 15),
                              rnd.choice([0, 30, 45, 59]))
    return s


def text():
    alphabet = ["a", "Z", " ", "\t", "\n", "\r", "\\", "\\N", "\\.", '"',
                "'", ",", "ç", "ã", "€", "😀", "\u2028", "\x01", "\x7f"]
    return "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(30)))


def maybe(f):
    return None if rnd.random() < 0.1 else f()


for k in range(1, n + 1):
    r = {"k": k}
    r["a"] = maybe(lambda: integer(16))
    r["b"] = maybe(lambda: integer(32))
    r["c"] = maybe(lambda: integer(64))
    r["n"] = maybe(numeric)
    r["n2"] = maybe(lambda: rnd.choice(["1.005", "-1.005", "12345678.994",
                                        "0.1", "7", "2.675"]))
    r["bo"] = maybe(lambda: rnd.random() < 0.5)
    r["d"] = maybe(day)
    r["ts"] = maybe(instant)
    r["tx"] = maybe(text)
    r["v"] = maybe(lambda: text()[:20])
    r["j"] = maybe(lambda: {"x": [1, "2", None], "t": text()})
    r["jb"] = maybe(lambda: rnd.choice([{"b": 1, "a": [text()]}, [], 1.5,
                                        "s", True, None]))
    line = json.dumps({key: v for key, v in r.items() if v is not None or
                       rnd.random() < 0.5}, ensure_ascii=False)
    # numbers as the text generated, not as Python would print them
    for key in ("n", "n2"):
        if r[key] is not None:
            line = line.replace('"%s": "%s"' % (key, r[key]),
                                '"%s": %s' % (key, r[key]), 1)
    print(line)
