#!/usr/bin/python3
"""MongoDB baselines for scripts/bench.sh (run with /usr/bin/python3,
Debian's, which has python3-pymongo).

  bench-mongo.py load URI DB COLLECTION FILE
      As the original Python stack loaded MongoDB: drop the collection,
      then read the NDJSON records of FILE with json.loads and insert them
      with pymongo's insert_many (its defaults: ordered) in batches of
      1,000.  Prints the number of documents inserted.

  bench-mongo.py export URI DB COLLECTION
      Every document of the collection, from pymongo's find() (its
      defaults), as one line of json.dumps each (compact separators, UTF-8
      kept; the sale records hold only strings and numbers, so plain
      json.dumps serves and bson.json_util is not needed) on standard
      output.  Prints the number of documents on standard error.
"""

import json
import sys

import pymongo

BATCH = 1000


def load(uri, db, coll, path):
    client = pymongo.MongoClient(uri)
    col = client[db][coll]
    col.drop()
    n = 0
    batch = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            batch.append(json.loads(line))
            if len(batch) == BATCH:
                n += len(col.insert_many(batch).inserted_ids)
                batch = []
    if batch:
        n += len(col.insert_many(batch).inserted_ids)
    client.close()
    print(n)


def export(uri, db, coll):
    client = pymongo.MongoClient(uri)
    out = sys.stdout
    n = 0
    for doc in client[db][coll].find():
        out.write(json.dumps(doc, ensure_ascii=False,
                             separators=(",", ":")) + "\n")
        n += 1
    out.flush()
    client.close()
    print(n, file=sys.stderr)


def main(argv):
    if len(argv) == 6 and argv[1] == "load":
        load(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) == 5 and argv[1] == "export":
        export(argv[2], argv[3], argv[4])
    else:
        sys.exit("usage: bench-mongo.py load URI DB COLLECTION FILE | "
                 "export URI DB COLLECTION")


if __name__ == "__main__":
    main(sys.argv)
