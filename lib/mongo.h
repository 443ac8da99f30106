/*
 * What mongo-load, mongo-export and report share on libmongoc: the
 * collection from MONGO_URI, MONGO_DB and MONGO_COLLECTION, the exit status
 * an error deserves, and documents written as compact extended JSON.
 */
#ifndef DATAOPS_MONGO_H
#define DATAOPS_MONGO_H

#include <stddef.h>

#include <mongoc/mongoc.h>

#include "json.h"
#include "ndjson.h"

#define MONGO_DEFAULT_URI	"mongodb://127.0.0.1:27017"
#define MONGO_DEFAULT_DB	"unifor"
#define MONGO_DEFAULT_COLL	"dataops_dados"

struct mongo {
	mongoc_client_t		*client;
	mongoc_collection_t	*coll;
	char			*where;		/* the URI without password */
	const char		*db, *name;
	int			 ferretdb;	/* the server is FerretDB */
};

/*
 * Connect and check the server answers (a ping), choosing a server for at
 * most timeout_ms.  Returns 0, or an exit status with the reason in why:
 * 64 for a malformed URI, 69 when no server answers or the credentials
 * are refused, 70 when out of memory.
 */
int mongo_open(struct mongo *m, const char *appname, int timeout_ms,
    char *why, size_t size);

void mongo_close(struct mongo *m);

/*
 * The exit status for an error after mongo_open succeeded: 75 when the
 * connection was lost or timed out (worth a retry), else 65.
 */
int mongo_failure_status(const bson_error_t *error);

/*
 * A $sum the server computed, in units (scale 1) or cents (scale 100):
 * 0, or -1 when it is no number or out of range.  A double is rounded to
 * the nearest cent: servers add money as binary doubles.
 */
int mongo_sum(const bson_iter_t *it, int64_t scale, int64_t *out);

/*
 * Write doc as one line of extended JSON, without the newline: relaxed
 * (plain numbers, ISO dates) or canonical (type-exact wrappers).
 */
void mongo_put_json(struct ndjson_writer *w, const bson_t *doc,
    int canonical);

/* Write the current value of it, as mongo_put_json does. */
void mongo_put_value(struct ndjson_writer *w, const bson_iter_t *it,
    int canonical);

/*
 * The document of one line of plain JSON, into doc (initialised here;
 * bson_destroy it either way): 1.  The same document as libbson's
 * bson_new_from_json, built at a fraction of the cost, for lines with no
 * '$' (no extended JSON) and no '\\' (no escapes), nested at most 32
 * deep, valid, with numbers in range.  0 for any other line, which is left
 * to libbson (doc is then empty).
 */
int mongo_bson_plain(struct json_scan *js, const char *line, size_t len,
    bson_t *doc);

#endif
