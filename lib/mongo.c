#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "date.h"
#include "money.h"
#include "mongo.h"
#include "uri.h"

/*
 * libmongoc keeps its counters in /dev/shm/mongoc-PID, made when it starts
 * (from a library constructor) and removed at exit; a process that was
 * killed leaves its file behind, and libmongoc in a later process with the
 * same pid then warns "Falling back to malloc for counters" on standard
 * error.  Before libmongoc starts, a file named after this process's own
 * pid can only be such a leftover: remove it.  This runs before the C
 * library is initialised: a system call and plain code, nothing else.
 */
static void
remove_stale_counters(int argc, char **argv, char **envp)
{
	static const char dir[] = "/dev/shm/mongoc-";
	char path[sizeof(dir) + 20], digits[20];
	unsigned long pid = (unsigned long)getpid();
	size_t n = 0, o = sizeof(dir) - 1;

	(void)argc;
	(void)argv;
	(void)envp;
	memcpy(path, dir, o);
	do {
		digits[n++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid > 0);
	while (n > 0)
		path[o++] = digits[--n];
	path[o] = '\0';
	unlink(path);
}

/*
 * Run it before any library constructor: Debian's libmongoc starts itself
 * from one, before main and before mongo_open can do anything.
 */
static void (*const preinit)(int, char **, char **)
    __attribute__((section(".preinit_array"), used)) =
    remove_stale_counters;

static int initialised;

/*
 * libmongoc's own log lines (warnings about commands a server does not
 * know, say) are not ours to show: every error reaches the program as a
 * bson_error_t and is reported in its own words.
 */
static void
quiet(mongoc_log_level_t level, const char *domain, const char *message,
    void *arg)
{
	(void)level;
	(void)domain;
	(void)message;
	(void)arg;
}

int
mongo_open(struct mongo *m, const char *appname, int timeout_ms, char *why,
    size_t size)
{
	const char *text = getenv("MONGO_URI");
	mongoc_uri_t *uri;
	bson_error_t error;
	bson_t *ping, reply;
	int ok;

	memset(m, 0, sizeof(*m));
	if (text == NULL || *text == '\0')
		text = MONGO_DEFAULT_URI;
	if ((m->db = getenv("MONGO_DB")) == NULL || *m->db == '\0')
		m->db = MONGO_DEFAULT_DB;
	if ((m->name = getenv("MONGO_COLLECTION")) == NULL || *m->name == '\0')
		m->name = MONGO_DEFAULT_COLL;
	if ((m->where = uri_redact(text)) == NULL) {
		snprintf(why, size, "%s", strerror(errno));
		return EX_SOFTWARE;
	}
	if (!initialised) {
		mongoc_init();
		mongoc_log_set_handler(quiet, NULL);
		initialised = 1;
	}
	if ((uri = mongoc_uri_new_with_error(text, &error)) == NULL) {
		snprintf(why, size, "MONGO_URI %s: %s", m->where,
		    error.message);
		return EX_USAGE;
	}
	/* bounded waits unless the URI says otherwise */
	if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri,
		    MONGOC_URI_SERVERSELECTIONTIMEOUTMS, timeout_ms);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri,
		    MONGOC_URI_CONNECTTIMEOUTMS, timeout_ms);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_SOCKETTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri,
		    MONGOC_URI_SOCKETTIMEOUTMS, 60000);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_APPNAME))
		mongoc_uri_set_appname(uri, appname);
	m->client = mongoc_client_new_from_uri_with_error(uri, &error);
	mongoc_uri_destroy(uri);
	if (m->client == NULL) {
		snprintf(why, size, "%s: %s", m->where, error.message);
		/* a mongodb+srv:// name that does not resolve, say */
		return error.domain == MONGOC_ERROR_STREAM ? EX_UNAVAILABLE :
		    EX_USAGE;
	}
	mongoc_client_set_error_api(m->client, MONGOC_ERROR_API_VERSION_2);
	ping = BCON_NEW("ping", BCON_INT32(1));
	ok = mongoc_client_command_simple(m->client, "admin", ping, NULL,
	    &reply, &error);
	bson_destroy(ping);
	bson_destroy(&reply);
	if (!ok) {
		snprintf(why, size, "cannot reach %s: %s", m->where,
		    error.message);
		mongoc_client_destroy(m->client);
		m->client = NULL;
		return EX_UNAVAILABLE;
	}
	ping = BCON_NEW("buildInfo", BCON_INT32(1));
	if (mongoc_client_command_simple(m->client, "admin", ping, NULL,
	    &reply, NULL)) {
		bson_iter_t it;

		m->ferretdb = bson_iter_init_find(&it, &reply,
		    "ferretdbVersion");
	}
	bson_destroy(ping);
	bson_destroy(&reply);
	m->coll = mongoc_client_get_collection(m->client, m->db, m->name);
	return 0;
}

void
mongo_close(struct mongo *m)
{
	if (m->coll != NULL)
		mongoc_collection_destroy(m->coll);
	if (m->client != NULL)
		mongoc_client_destroy(m->client);
	free(m->where);
	memset(m, 0, sizeof(*m));
}

int
mongo_failure_status(const bson_error_t *error)
{
	switch (error->domain) {
	case MONGOC_ERROR_STREAM:
	case MONGOC_ERROR_SERVER_SELECTION:
		return EX_TEMPFAIL;
	}
	return EX_DATAERR;
}

/* The shortest text that reads back as the same double, marked a double. */
static void
put_double(struct ndjson_writer *w, double v, int canonical)
{
	char buf[40];
	int prec;

	if (!isfinite(v)) {
		ndjson_puts(w, isnan(v) ? "{\"$numberDouble\":\"NaN\"}" :
		    v > 0 ? "{\"$numberDouble\":\"Infinity\"}" :
		    "{\"$numberDouble\":\"-Infinity\"}");
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	if (strpbrk(buf, ".eE") == NULL)
		strcat(buf, ".0");
	if (canonical) {
		ndjson_puts(w, "{\"$numberDouble\":\"");
		ndjson_puts(w, buf);
		ndjson_puts(w, "\"}");
	} else {
		ndjson_puts(w, buf);
	}
}

static void
put_date(struct ndjson_writer *w, int64_t ms, int canonical)
{
	char buf[64];
	int64_t secs = date_floor_div(ms, 1000);
	int64_t days = date_floor_div(secs, 86400);
	int64_t rem = secs - days * 86400, frac = (ms % 1000 + 1000) % 1000;
	int y, m, d;

	date_from_days(days, &y, &m, &d);
	if (canonical || y < 1970 || y > 9999) {
		snprintf(buf, sizeof(buf), "{\"$date\":{\"$numberLong\":"
		    "\"%lld\"}}", (long long)ms);
	} else if (frac != 0) {
		snprintf(buf, sizeof(buf), "{\"$date\":\"%04d-%02d-%02dT"
		    "%02d:%02d:%02d.%03dZ\"}", y, m, d, (int)(rem / 3600),
		    (int)(rem / 60 % 60), (int)(rem % 60), (int)frac);
	} else {
		snprintf(buf, sizeof(buf), "{\"$date\":\"%04d-%02d-%02dT"
		    "%02d:%02d:%02dZ\"}", y, m, d, (int)(rem / 3600),
		    (int)(rem / 60 % 60), (int)(rem % 60));
	}
	ndjson_puts(w, buf);
}

/* Any other type, as libbson writes it. */
static void
put_other(struct ndjson_writer *w, const bson_iter_t *it, int canonical)
{
	bson_t one = BSON_INITIALIZER;
	char *json, *start, *end;
	size_t n;

	bson_append_iter(&one, "v", 1, it);
	json = canonical ? bson_as_canonical_extended_json(&one, &n) :
	    bson_as_relaxed_extended_json(&one, &n);
	/* { "v" : VALUE } */
	if (json != NULL && (start = strstr(json, " : ")) != NULL &&
	    (end = strrchr(json, '}')) != NULL && end > start + 3) {
		start += 3;
		while (end > start && end[-1] == ' ')
			end--;
		ndjson_put(w, start, (size_t)(end - start));
	} else {
		ndjson_puts(w, "null");
	}
	bson_free(json);
	bson_destroy(&one);
}

void
mongo_put_value(struct ndjson_writer *w, const bson_iter_t *it,
    int canonical)
{
	char buf[BSON_DECIMAL128_STRING + 32];
	bson_iter_t child;
	const char *s;
	uint32_t n;

	switch (bson_iter_type(it)) {
	case BSON_TYPE_DOUBLE:
		put_double(w, bson_iter_double(it), canonical);
		break;
	case BSON_TYPE_UTF8:
		s = bson_iter_utf8(it, &n);
		ndjson_put_string(w, s, n);
		break;
	case BSON_TYPE_DOCUMENT:
	case BSON_TYPE_ARRAY: {
		int array = bson_iter_type(it) == BSON_TYPE_ARRAY, first = 1;

		if (!bson_iter_recurse(it, &child)) {
			ndjson_puts(w, "null");
			break;
		}
		ndjson_putc(w, array ? '[' : '{');
		while (bson_iter_next(&child)) {
			if (!first)
				ndjson_putc(w, ',');
			first = 0;
			if (!array) {
				ndjson_put_string(w, bson_iter_key(&child),
				    bson_iter_key_len(&child));
				ndjson_putc(w, ':');
			}
			mongo_put_value(w, &child, canonical);
		}
		ndjson_putc(w, array ? ']' : '}');
		break;
	}
	case BSON_TYPE_OID:
		ndjson_puts(w, "{\"$oid\":\"");
		bson_oid_to_string(bson_iter_oid(it), buf);
		ndjson_puts(w, buf);
		ndjson_puts(w, "\"}");
		break;
	case BSON_TYPE_BOOL:
		ndjson_puts(w, bson_iter_bool(it) ? "true" : "false");
		break;
	case BSON_TYPE_NULL:
		ndjson_puts(w, "null");
		break;
	case BSON_TYPE_INT32:
		if (canonical) {
			snprintf(buf, sizeof(buf), "{\"$numberInt\":\"%d\"}",
			    bson_iter_int32(it));
			ndjson_puts(w, buf);
		} else {
			ndjson_put_int(w, bson_iter_int32(it));
		}
		break;
	case BSON_TYPE_INT64:
		if (canonical) {
			snprintf(buf, sizeof(buf), "{\"$numberLong\":\"%lld\"}",
			    (long long)bson_iter_int64(it));
			ndjson_puts(w, buf);
		} else {
			ndjson_put_int(w, bson_iter_int64(it));
		}
		break;
	case BSON_TYPE_DATE_TIME:
		put_date(w, bson_iter_date_time(it), canonical);
		break;
	case BSON_TYPE_DECIMAL128: {
		bson_decimal128_t dec;
		char text[BSON_DECIMAL128_STRING];

		bson_iter_decimal128(it, &dec);
		bson_decimal128_to_string(&dec, text);
		ndjson_puts(w, "{\"$numberDecimal\":");
		ndjson_put_string(w, text, strlen(text));
		ndjson_putc(w, '}');
		break;
	}
	default:
		put_other(w, it, canonical);
		break;
	}
}

void
mongo_put_json(struct ndjson_writer *w, const bson_t *doc, int canonical)
{
	bson_iter_t it;
	int first = 1;

	ndjson_putc(w, '{');
	if (bson_iter_init(&it, doc)) {
		while (bson_iter_next(&it)) {
			if (!first)
				ndjson_putc(w, ',');
			first = 0;
			ndjson_put_string(w, bson_iter_key(&it),
			    bson_iter_key_len(&it));
			ndjson_putc(w, ':');
			mongo_put_value(w, &it, canonical);
		}
	}
	ndjson_putc(w, '}');
}

/*
 * A sum as the server gave it, in cents (scale 100) or units (scale 1).
 * A double sum is rounded to the cent: the server adds binary doubles.
 */
int
mongo_sum(const bson_iter_t *it, int64_t scale, int64_t *out)
{
	double v;

	switch (bson_iter_type(it)) {
	case BSON_TYPE_INT32:
	case BSON_TYPE_INT64:
		if (__builtin_mul_overflow(bson_iter_as_int64(it), scale, out))
			return -1;
		return 0;
	case BSON_TYPE_DOUBLE:
		v = bson_iter_double(it) * (double)scale;
		if (!isfinite(v) || fabs(v) > 9e18)
			return -1;
		*out = llround(v);
		return 0;
	case BSON_TYPE_DECIMAL128: {
		bson_decimal128_t dec;
		char text[BSON_DECIMAL128_STRING];

		bson_iter_decimal128(it, &dec);
		bson_decimal128_to_string(&dec, text);
		if (scale == 100)
			return money_parse(text, strlen(text), out) ? -1 : 0;
		return money_parse_int(text, strlen(text), out) ? -1 : 0;
	}
	default:
		return -1;
	}
}

/* ---- plain JSON to BSON ------------------------------------------------- */

#define PLAIN_DEPTH	32

static int plain_value(struct json_scan *, bson_t *, const char *, int, int);

/* The members of an object, its '{' consumed: 1, or 0. */
static int
plain_members(struct json_scan *js, bson_t *b, int depth)
{
	struct json_str k;
	int rc;

	while ((rc = json_next_key(js, &k)) == 1)
		if (k.n > INT32_MAX ||
		    plain_value(js, b, k.s, (int)k.n, depth) == 0)
			return 0;
	return rc == 0;
}

/* The next value, appended to b under key: 1, or 0. */
static int
plain_value(struct json_scan *js, bson_t *b, const char *key, int klen,
    int depth)
{
	struct json_str v;
	bson_t child;
	char ibuf[16], *end;
	const char *ikey;
	long long n;
	uint32_t i;
	int ok, rc;

	switch (json_peek(js)) {
	case JSON_STRING:
		return json_string(js, &v) == 0 && v.n <= INT32_MAX &&
		    bson_append_utf8(b, key, klen, v.s, (int)v.n);
	case JSON_NUMBER:
		/* valid JSON, then a delimiter: strtod and strtoll stop there */
		if (json_number(js, &v) == -1)
			return 0;
		errno = 0;
		if (memchr(v.s, '.', v.n) != NULL || memchr(v.s, 'e', v.n) !=
		    NULL || memchr(v.s, 'E', v.n) != NULL) {
			double d = strtod(v.s, &end);

			/* out of range: libbson's error, or its value */
			if (end != v.s + v.n || errno != 0 || !isfinite(d))
				return 0;
			return bson_append_double(b, key, klen, d);
		}
		n = strtoll(v.s, &end, 10);
		if (end != v.s + v.n || errno != 0)
			return 0;
		if (n >= INT32_MIN && n <= INT32_MAX)
			return bson_append_int32(b, key, klen, (int32_t)n);
		return bson_append_int64(b, key, klen, n);
	case JSON_TRUE:
	case JSON_FALSE:
		ok = *js->p == 't';
		return json_literal(js) == 0 &&
		    bson_append_bool(b, key, klen, ok);
	case JSON_NULL:
		return json_literal(js) == 0 && bson_append_null(b, key, klen);
	case JSON_OBJECT:
		if (depth >= PLAIN_DEPTH || json_open_object(js) == -1 ||
		    !bson_append_document_begin(b, key, klen, &child))
			return 0;
		ok = plain_members(js, &child, depth + 1);
		return bson_append_document_end(b, &child) && ok;
	case JSON_ARRAY:
		if (depth >= PLAIN_DEPTH || json_open_array(js) == -1 ||
		    !bson_append_array_begin(b, key, klen, &child))
			return 0;
		ok = 1;
		for (i = 0; ok && (rc = json_next_elem(js)) == 1; i++) {
			size_t n = bson_uint32_to_string(i, &ikey, ibuf,
			    sizeof(ibuf));

			ok = plain_value(js, &child, ikey, (int)n, depth + 1);
		}
		return bson_append_array_end(b, &child) && ok && rc == 0;
	default:
		return 0;
	}
}

int
mongo_bson_plain(struct json_scan *js, const char *line, size_t len,
    bson_t *doc)
{
	bson_init(doc);
	if (len > INT32_MAX || memchr(line, '$', len) != NULL ||
	    memchr(line, '\\', len) != NULL)
		return 0;
	if (json_begin_object(js, line, len) == -1 ||
	    !plain_members(js, doc, 1) || json_end(js) == -1) {
		bson_reinit(doc);
		return 0;
	}
	return 1;
}
