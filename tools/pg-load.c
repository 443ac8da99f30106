/*
 * pg-load: load NDJSON records into PostgreSQL tables with COPY, every
 * table of one invocation in one transaction.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cli.h"
#include "copy.h"
#include "date.h"
#include "json.h"
#include "money.h"
#include "ndjson.h"
#include "pg.h"
#include "reject.h"
#include "spool.h"

#define COPY_CHUNK	(256 * 1024)	/* bytes handed to libpq at a time */

enum mode { M_APPEND, M_REPLACE, M_UPSERT };

/* How a column takes a JSON value; also the types --create infers. */
enum kind {
	K_NONE,			/* --create: only nulls seen so far */
	K_INT, K_NUM, K_BOOL, K_DATE, K_TS, K_TEXT, K_JSON
};

static const char *const kind_sql[] = {
	"text", "bigint", "numeric", "boolean", "date", "timestamptz",
	"text", "jsonb"
};

/*
 * How a column's values go in COPY's binary format; B_NONE: a type whose
 * values only the server reads (the table goes in text format).
 */
enum bin {
	B_NONE, B_INT2, B_INT4, B_INT8, B_NUMERIC, B_BOOL, B_DATE, B_TSTZ,
	B_TEXT, B_JSON, B_JSONB
};

/* The types --create makes, by kind. */
static const enum bin kind_bin[] = {
	B_TEXT, B_INT8, B_NUMERIC, B_BOOL, B_DATE, B_TSTZ, B_TEXT, B_JSONB
};

struct column {
	char		*name;
	size_t		 len;
	enum kind	 kind;
	enum bin	 bin;
	int		 key;
};

/* One -t and what follows it. */
struct table {
	const char	*name;
	char		*quoted;
	enum mode	 mode;
	const char	*keys;		/* -k, or NULL for the primary key */
	int		 create;
	int		 ignore_unknown;
	int		 allow_empty;
	char		**files;
	int		 nfiles;
	int		*spool_fd;	/* --create: copies of read-once inputs */
	struct column	*cols;
	int		 ncols;
	int		 binary;	/* rows go in binary format */
	long long	 rows;
};

/* Where COPY row numbers differ from input line numbers. */
struct linemap {
	uint64_t	(*at)[2];	/* { first row, its line } */
	size_t		 n, cap;
};

struct buf {
	char		*s;
	size_t		 n, cap;
};

/* One record's values, by column. */
struct field {
	const char	*s;
	size_t		 n;
	int		 set;
};

static PGconn		*conn;
static struct rejects	 rej;
static int		 progress;
static int		 text_copy;	/* --text-copy */
static struct json_scan	 js;

static int	 load_table(struct table *);
static void	 free_table(struct table *);
static void	 usage(int) __attribute__((noreturn));

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "table",		required_argument,	NULL, 't' },
		{ "key",		required_argument,	NULL, 'k' },
		{ "mode",		required_argument,	NULL, 'm' },
		{ "create",		no_argument,		NULL, 'c' },
		{ "ignore-unknown",	no_argument,		NULL, 'i' },
		{ "allow-empty",	no_argument,		NULL, 'a' },
		{ "max-errors",		required_argument,	NULL, 'e' },
		{ "rejects",		required_argument,	NULL, 'r' },
		{ "progress",		no_argument,		NULL, 'p' },
		{ "text-copy",		no_argument,		NULL, 'T' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "version",		no_argument,		NULL, 'V' },
		{ NULL,			0,			NULL, 0 }
	};
	struct table defaults, *tables = NULL, *cur = &defaults;
	struct timespec t0, t1;
	const char *rejects_path = NULL;
	long long max_errors = 0, total = 0;
	int ch, i, ntables = 0, nstdin = 0, status = 0;
	char *where, msg[512];
	PGresult *res;

	memset(&defaults, 0, sizeof(defaults));
	/* "-" first: operands come back in order, as option 1 */
	while ((ch = getopt_long(argc, argv, "-t:k:m:ciae:r:ph", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 1:
			if (ntables == 0) {
				warnx("%s: a file before any -t", optarg);
				usage(EX_USAGE);
			}
			cur->files = reallocarray(cur->files,
			    (size_t)cur->nfiles + 1, sizeof(*cur->files));
			if (cur->files == NULL)
				err(EX_SOFTWARE, NULL);
			cur->files[cur->nfiles++] = optarg;
			break;
		case 't':
			tables = reallocarray(tables, (size_t)ntables + 1,
			    sizeof(*tables));
			if (tables == NULL)
				err(EX_SOFTWARE, NULL);
			cur = &tables[ntables++];
			*cur = defaults;
			cur->name = optarg;
			break;
		case 'k':
			cur->keys = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "append") == 0)
				cur->mode = M_APPEND;
			else if (strcmp(optarg, "replace") == 0)
				cur->mode = M_REPLACE;
			else if (strcmp(optarg, "upsert") == 0)
				cur->mode = M_UPSERT;
			else {
				warnx("--mode: append, replace or upsert, "
				    "not %s", optarg);
				usage(EX_USAGE);
			}
			break;
		case 'c':
			cur->create = 1;
			break;
		case 'i':
			cur->ignore_unknown = 1;
			break;
		case 'a':
			cur->allow_empty = 1;
			break;
		case 'e':
			max_errors = (long long)cli_number("--max-errors",
			    optarg, 0, LLONG_MAX);
			break;
		case 'r':
			rejects_path = optarg;
			break;
		case 'p':
			progress = isatty(STDERR_FILENO);
			break;
		case 'T':
			text_copy = 1;
			break;
		case 'h':
			usage(0);
		case 'V':
			cli_version();
		default:
			usage(EX_USAGE);
		}
	}
	if (ntables == 0) {
		warnx("no table: -t is required");
		usage(EX_USAGE);
	}
	for (i = 0; i < ntables; i++) {
		if (tables[i].nfiles == 0)
			nstdin++;
		else
			for (ch = 0; ch < tables[i].nfiles; ch++)
				nstdin += strcmp(tables[i].files[ch], "-") == 0;
	}
	if (nstdin > 1)
		errx(EX_USAGE, "only one table can read standard input");
	if (reject_open(&rej, rejects_path, max_errors) == -1)
		err(cli_errno_status(), "%s", rejects_path);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((conn = pg_connect("pg-load")) == NULL)
		err(EX_SOFTWARE, NULL);
	if (PQstatus(conn) != CONNECTION_OK) {
		where = pg_redact(getenv("PG_URI"));
		errx(EX_UNAVAILABLE, "cannot connect to %s: %s",
		    where ? where : "PostgreSQL", pg_error(conn, msg,
		    sizeof(msg)));
	}
	res = PQexec(conn, "BEGIN");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		errx(pg_failure_status(conn, res), "BEGIN: %s",
		    pg_error(conn, msg, sizeof(msg)));
	PQclear(res);
	for (i = 0; i < ntables && status == 0; i++) {
		status = load_table(&tables[i]);
		total += tables[i].rows;
	}
	/* the rejects file is written out before anything commits */
	if (reject_close(&rej) == -1 && status == 0)
		status = EX_IOERR;
	if (status == 0) {
		res = PQexec(conn, "COMMIT");
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			cli_progress_end();
			warnx("COMMIT: %s", pg_error(conn, msg, sizeof(msg)));
			status = pg_failure_status(conn, res);
		}
		PQclear(res);
	}
	/* on failure, closing the connection rolls everything back */
	pg_close(conn);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cli_progress_end();
	if (status == 0)
		warnx("%lld row%s into %d table%s in %.2f s", total,
		    total == 1 ? "" : "s", ntables, ntables == 1 ? "" : "s",
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	else
		warnx("nothing loaded: the transaction was rolled back");
	for (i = 0; i < ntables; i++)
		free_table(&tables[i]);
	free(tables);
	json_free(&js);
	return status;
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t cap;

	if (b->cap - b->n >= more)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->n < more)
		cap *= 2;
	if ((b->s = realloc(b->s, cap)) == NULL)
		err(EX_SOFTWARE, NULL);
	b->cap = cap;
}

static void
buf_put(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->n, s, n);
	b->n += n;
}

/* s[0..n) as one field of COPY's text format. */
static void
put_copy_text(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, COPY_ESCAPED_MAX(n));
	b->n += copy_escape(s, n, b->s + b->n);
}

/* Run a command that returns no rows: 0, or the exit status (reported). */
static int
command(const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	char msg[512];
	int status = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		warnx("%s: %s", what, pg_result_error(res, msg, sizeof(msg)));
		status = pg_failure_status(conn, res);
	}
	PQclear(res);
	return status;
}

/*
 * How column c of type typname takes values, and sends them: binary only
 * for the built-in types themselves (their fixed OIDs), not for a type of
 * the same name in another schema.
 */
static void
type_of(struct column *c, const char *typname, const char *oid)
{
	static const struct {
		const char	*name;
		const char	*oid;
		enum kind	 kind;
		enum bin	 bin;
	} map[] = {
		{ "int2", "21", K_INT, B_INT2 },
		{ "int4", "23", K_INT, B_INT4 },
		{ "int8", "20", K_INT, B_INT8 },
		{ "numeric", "1700", K_NUM, B_NUMERIC },
		{ "float4", "700", K_NUM, B_NONE },
		{ "float8", "701", K_NUM, B_NONE },
		{ "bool", "16", K_BOOL, B_BOOL },
		{ "date", "1082", K_DATE, B_DATE },
		{ "timestamp", "1114", K_TS, B_NONE },
		{ "timestamptz", "1184", K_TS, B_TSTZ },
		{ "json", "114", K_JSON, B_JSON },
		{ "jsonb", "3802", K_JSON, B_JSONB },
		{ "text", "25", K_TEXT, B_TEXT },
		{ "varchar", "1043", K_TEXT, B_TEXT },
	};
	size_t i;

	c->kind = K_TEXT;
	c->bin = B_NONE;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(typname, map[i].name) == 0) {
			c->kind = map[i].kind;
			if (strcmp(oid, map[i].oid) == 0)
				c->bin = map[i].bin;
		}
}

static int
column_index(const struct table *t, const char *name, size_t len)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (t->cols[i].len == len &&
		    memcmp(t->cols[i].name, name, len) == 0)
			return i;
	return -1;
}

/* The table's columns and key, from the catalog. */
static int
read_columns(struct table *t)
{
	const char *params[1] = { t->quoted };
	PGresult *res;
	char msg[512];
	int i, status;

	res = PQexecParams(conn,
	    "SELECT a.attname, t.typname, "
	    "    coalesce(a.attnum = ANY (i.indkey), false), t.oid "
	    "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
	    "LEFT JOIN pg_index i ON i.indrelid = a.attrelid "
	    "    AND i.indisprimary "
	    "WHERE a.attrelid = $1::regclass AND a.attnum > 0 "
	    "    AND NOT a.attisdropped AND a.attgenerated = '' "
	    "ORDER BY a.attnum", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		warnx("%s: %s", t->name, pg_result_error(res, msg,
		    sizeof(msg)));
		status = pg_failure_status(conn, res);
		PQclear(res);
		return status;
	}
	t->ncols = PQntuples(res);
	if ((t->cols = calloc((size_t)t->ncols + 1, sizeof(*t->cols))) == NULL)
		err(EX_SOFTWARE, NULL);
	for (i = 0; i < t->ncols; i++) {
		if ((t->cols[i].name = strdup(PQgetvalue(res, i, 0))) == NULL)
			err(EX_SOFTWARE, NULL);
		t->cols[i].len = strlen(t->cols[i].name);
		type_of(&t->cols[i], PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 3));
		t->cols[i].key = t->keys == NULL &&
		    PQgetvalue(res, i, 2)[0] == 't';
	}
	PQclear(res);
	return 0;
}

/* Mark the -k columns as the key: 0, or 64 when one is not a column. */
static int
set_keys(struct table *t)
{
	const char *p = t->keys;

	if (p == NULL)
		return 0;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		int i = column_index(t, p, n);

		if (i < 0) {
			warnx("%s: -k: no column \"%.*s\"", t->name, (int)n,
			    p);
			return EX_USAGE;
		}
		t->cols[i].key = 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* "a", "b", ... (every column, or only the keys) quoted. */
static void
put_names(struct buf *b, const struct table *t, int keys_only,
    const char *prefix)
{
	int i, first = 1;

	for (i = 0; i < t->ncols; i++) {
		char *q;

		if (keys_only && !t->cols[i].key)
			continue;
		if ((q = PQescapeIdentifier(conn, t->cols[i].name,
		    t->cols[i].len)) == NULL)
			errx(EX_SOFTWARE, "%s", PQerrorMessage(conn));
		if (!first)
			buf_put(b, ", ", 2);
		first = 0;
		if (prefix != NULL)
			buf_put(b, prefix, strlen(prefix));
		buf_put(b, q, strlen(q));
		PQfreemem(q);
	}
	buf_put(b, "", 1);
	b->n--;
}

/*
 * Extended-JSON wrappers: {"$oid": s}, {"$numberInt": s} ..., {"$date": x}.
 * On the opening brace: 1 with the wrapper's name in *name and js on its
 * value, 0 (js untouched) when the object is not a wrapper.
 */
static int
wrapper(struct json_str *name)
{
	static const char *const names[] = { "$oid", "$numberInt",
	    "$numberLong", "$numberDouble", "$numberDecimal", "$date" };
	struct json_scan save = js;
	size_t i;

	if (json_open_object(&js) == -1 || json_next_key(&js, name) != 1) {
		js = save;
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name->n == strlen(names[i]) &&
		    memcmp(name->s, names[i], name->n) == 0)
			return 1;
	js = save;
	return 0;
}

/*
 * After a wrapper's value: 0 on its closing brace; 1 when other keys
 * follow, which are skipped up to that brace (the object is no wrapper
 * after all); -1 on a JSON error.
 */
static int
wrapper_end(void)
{
	struct json_str k;
	int rc;

	if ((rc = json_next_key(&js, &k)) != 1)
		return rc;
	do {
		if (json_skip(&js) == -1)
			return -1;
	} while ((rc = json_next_key(&js, &k)) == 1);
	return rc == 0 ? 1 : -1;
}

/* Close n nested wrappers: 0, 1 when one of them held more, or -1. */
static int
wrappers_end(int n)
{
	int rc, more = 0;

	while (n-- > 0) {
		if ((rc = wrapper_end()) == -1)
			return -1;
		more |= rc;
	}
	return more;
}

static int
is_name(const struct json_str *s, const char *name)
{
	return s->n == strlen(name) && memcmp(s->s, name, s->n) == 0;
}

/* Days since the epoch as YYYY-MM-DD (or more digits of year). */
static size_t
format_day(int64_t days, char *out, size_t size)
{
	int y, m, d;

	date_from_days(days, &y, &m, &d);
	return (size_t)snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

/* Milliseconds since the epoch as an ISO 8601 instant. */
static size_t
format_ms(int64_t ms, char *out, size_t size)
{
	int64_t secs = date_floor_div(ms, 1000);
	int64_t days = date_floor_div(secs, 86400);
	int64_t rem = secs - days * 86400;
	int y, m, d;

	date_from_days(days, &y, &m, &d);
	return (size_t)snprintf(out, size,
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, (int)(rem / 3600),
	    (int)(rem / 60 % 60), (int)(rem % 60),
	    (int)((ms % 1000 + 1000) % 1000));
}

/* A column's name for a message, control characters escaped. */
static const char *
shown_name(const struct column *c)
{
	static char name[200];

	return pg_safe_text(c->name, c->len, name, sizeof(name));
}

/* Why a value does not fit column c: `"total_vendas" is not an integer`. */
static const char *
not_a(const struct column *c)
{
	static char why[256];

	snprintf(why, sizeof(why), "\"%s\" is not %s", shown_name(c),
	    c->kind == K_INT ? "an integer" : c->kind == K_NUM ? "a number" :
	    c->kind == K_BOOL ? "a boolean" : c->kind == K_DATE ? "a date" :
	    c->kind == K_TS ? "a timestamp" : "a string");
	return why;
}

/*
 * Whether s[0..n) holds a word that PostgreSQL reads as a date of its
 * own, from the clock or a special value, rather than one the data
 * writes: "today", "now", "epoch", "infinity"...
 */
static int
clock_word(const char *s, size_t n)
{
#define WORD(w) { w, sizeof(w) - 1 }
	static const struct {
		const char	*s;
		size_t		 n;
	} words[] = { WORD("epoch"), WORD("infinity"), WORD("now"),
	    WORD("today"), WORD("tomorrow"), WORD("yesterday") };
#undef WORD
	size_t i = 0, j, start;

	while (i < n) {
		start = i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z')))
			i++;
		if (i - start < 3) {	/* no word is shorter */
			i += i == start;
			continue;
		}
		for (j = 0; j < sizeof(words) / sizeof(words[0]); j++)
			if (i - start == words[j].n &&
			    strncasecmp(s + start, words[j].s, i - start) == 0)
				return 1;
	}
	return 0;
}

/*
 * {"$date": x}, js on x, for column c: x an ISO 8601 instant, or
 * milliseconds since the epoch as a JSON integer or {"$numberLong": s}.
 * The column gets the instant (a timestamp, text) or its UTC day (a
 * date).  Returns NULL on success, else why not.
 */
static const char *
take_date(const struct column *c, struct field *f, char *tmp, size_t tmpsz)
{
	struct json_str s, inner;
	int64_t secs, ms, days;
	int wrapped = 1, rc;

	if (c->kind != K_DATE && c->kind != K_TS && c->kind != K_TEXT)
		return not_a(c);
	switch (json_peek(&js)) {
	case JSON_STRING:
		if (json_string(&js, &s) == -1)
			return NULL;
		if (date_parse_instant(s.s, s.n, &secs) == -1)
			return not_a(c);
		f->s = s.s;
		f->n = s.n;
		if (c->kind == K_DATE) {
			f->s = tmp;
			f->n = format_day(date_floor_div(secs, 86400), tmp,
			    tmpsz);
		}
		break;
	case JSON_OBJECT:
		if (!wrapper(&inner) || !is_name(&inner, "$numberLong") ||
		    json_peek(&js) != JSON_STRING)
			return not_a(c);
		wrapped = 2;
		if (json_string(&js, &s) == -1)
			return NULL;
		goto ms;
	case JSON_NUMBER:
		if (json_number(&js, &s) == -1)
			return NULL;
	ms:
		/* the day before 0001-01-01 has no ISO 8601 text */
		if (money_parse_int(s.s, s.n, &ms) != MONEY_OK ||
		    (days = date_floor_div(ms, 86400000)) <
		    date_to_days(1, 1, 1))
			return not_a(c);
		f->s = tmp;
		f->n = c->kind == K_DATE ? format_day(days, tmp, tmpsz) :
		    format_ms(ms, tmp, tmpsz);
		break;
	default:
		return not_a(c);
	}
	if ((rc = wrappers_end(wrapped)) == -1)
		return NULL;
	return rc == 1 ? not_a(c) : NULL;
}

/*
 * One value for column c: its COPY text in *f (pointing into the line, the
 * scanner's scratch or tmp), or NULL for JSON null.  Returns NULL on
 * success or on a JSON error (js.why), else why the value does not fit.
 */
static const char *
take_value(const struct column *c, struct field *f, char *tmp, size_t tmpsz)
{
	static char why[256];
	struct json_str s, name;
	enum json_type type = json_peek(&js);
	const char *start = js.p;
	int64_t v, secs;
	int wrapped = 0, rc;

	f->set = 1;
	/* null is NULL, json columns included: what pg-export writes back */
	if (c->kind == K_JSON && type != JSON_NULL) {
		if (json_skip(&js) == -1)
			return NULL;
		f->s = start;
		f->n = (size_t)(js.p - start);
		return NULL;
	}
	if (type == JSON_OBJECT && wrapper(&name)) {
		if (is_name(&name, "$date"))
			return take_date(c, f, tmp, tmpsz);
		/* $oid holds text; $number... text or a number */
		if (json_peek(&js) != JSON_STRING || c->kind == K_BOOL ||
		    c->kind == K_DATE || c->kind == K_TS ||
		    (is_name(&name, "$oid") && c->kind != K_TEXT))
			return not_a(c);
		wrapped = 1;
	}
	switch (type = json_peek(&js)) {
	case JSON_NULL:
		if (json_skip(&js) == -1)
			return NULL;
		f->s = NULL;
		return NULL;
	case JSON_STRING:
		if (json_string(&js, &s) == -1)
			return NULL;
		if (memchr(s.s, '\0', s.n) != NULL) {
			snprintf(why, sizeof(why), "\"%s\" holds a NUL "
			    "character, which PostgreSQL text cannot",
			    shown_name(c));
			return why;
		}
		/* numbers only inside a $number wrapper */
		if (((c->kind == K_INT || c->kind == K_NUM) && !wrapped) ||
		    c->kind == K_BOOL)
			return not_a(c);
		if ((c->kind == K_DATE || c->kind == K_TS) &&
		    clock_word(s.s, s.n))
			return not_a(c);
		if (c->kind == K_DATE && s.n > 10) {
			/* an instant: its UTC day */
			if (date_parse_instant(s.s, s.n, &secs) == -1)
				return not_a(c);
			f->s = tmp;
			f->n = format_day(date_floor_div(secs, 86400), tmp,
			    tmpsz);
			return NULL;
		}
		break;
	case JSON_NUMBER:
		if (json_number(&js, &s) == -1)
			return NULL;
		if (c->kind == K_BOOL || c->kind == K_DATE || c->kind == K_TS)
			return not_a(c);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		if (json_skip(&js) == -1)
			return NULL;
		if (c->kind != K_BOOL && c->kind != K_TEXT)
			return not_a(c);
		s.s = start;
		s.n = (size_t)(js.p - start);
		break;
	default:
		if (json_skip(&js) == -1)
			return NULL;
		return not_a(c);
	}
	f->s = s.s;
	f->n = s.n;
	if (c->kind == K_INT) {
		if ((rc = money_parse_int(s.s, s.n, &v)) != MONEY_OK) {
			snprintf(why, sizeof(why), "\"%s\" %s", shown_name(c),
			    rc == MONEY_EOVERFLOW ? "is out of range" :
			    "is not an integer");
			return why;
		}
		f->s = tmp;
		f->n = money_format_int(v, tmp);
	} else if (c->kind == K_NUM && wrapped) {
		if (money_parse(s.s, s.n, &v) == MONEY_ESYNTAX)
			return not_a(c);
	}
	if ((rc = wrappers_end(wrapped)) == -1)
		return NULL;
	return rc == 1 ? not_a(c) : NULL;
}

/*
 * Why line[0..len) is bad, given a reason found in it: the reason, or
 * what makes the line invalid JSON when it is, as the other programs,
 * which check the whole line first, would say.
 */
static const char *
line_error(const char *line, size_t len, const char *reason)
{
	if (json_begin(&js, line, len) == -1 || json_skip(&js) == -1 ||
	    json_end(&js) == -1)
		return json_error(&js);
	return reason;
}

/* One record's values into f: NULL, or why the record is bad. */
static const char *
record_fields(struct table *t, const char *line, size_t len, struct field *f,
    char (*tmp)[40])
{
	static char why[300];
	struct json_str key;
	const char *reason;
	char name[200];
	int i, rc;

	for (i = 0; i < t->ncols; i++)
		f[i].set = 0;
	if (json_begin_object(&js, line, len) == -1)
		return json_error(&js);
	while ((rc = json_next_key(&js, &key)) == 1) {
		if ((i = column_index(t, key.s, key.n)) < 0) {
			if (json_skip(&js) == -1)
				goto bad_json;
			if (t->ignore_unknown)
				continue;
			snprintf(why, sizeof(why), "no column \"%s\" in %s",
			    pg_safe_text(key.s, key.n > 64 ? 64 : key.n, name,
			    sizeof(name)), t->name);
			return line_error(line, len, why);
		}
		if ((reason = take_value(&t->cols[i], &f[i], tmp[i],
		    sizeof(tmp[i]))) != NULL)
			return line_error(line, len, reason);
		if (js.why != NULL)
			goto bad_json;
	}
	if (rc == -1 || json_end(&js) == -1)
		goto bad_json;
	return NULL;
bad_json:
	return json_error(&js);
}

/* A record's values as one row of COPY's text format. */
static void
row_text(const struct table *t, const struct field *f, struct buf *out)
{
	int i;

	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			buf_put(out, "\t", 1);
		if (!f[i].set || f[i].s == NULL)
			buf_put(out, "\\N", 2);
		else
			put_copy_text(out, f[i].s, f[i].n);
	}
	buf_put(out, "\n", 1);
}

static void
put_be(struct buf *b, uint32_t v, int size)
{
	buf_grow(b, 4);
	copy_put_be((unsigned char *)b->s + b->n, v, size);
	b->n += (size_t)size;
}

/*
 * A record's values as one row of COPY's binary format: 0, or -1 (out
 * unchanged) when a value is not in the one form pg-load writes for its
 * type, for the server to read as text.
 */
static int
row_binary(const struct table *t, const struct field *f, struct buf *out)
{
	size_t mark = out->n;
	unsigned char *p;
	int i, len;

	put_be(out, (uint32_t)t->ncols, 2);
	for (i = 0; i < t->ncols; i++) {
		const char *s = f[i].s;
		size_t n = f[i].n;

		if (!f[i].set || s == NULL) {
			put_be(out, UINT32_MAX, 4);
			continue;
		}
		switch (t->cols[i].bin) {
		case B_JSONB:
			put_be(out, (uint32_t)n + 1, 4);
			buf_put(out, "\1", 1);	/* jsonb's version */
			buf_put(out, s, n);
			continue;
		case B_TEXT:
		case B_JSON:
			put_be(out, (uint32_t)n, 4);
			buf_put(out, s, n);
			continue;
		default:
			break;
		}
		buf_grow(out, 4 + COPY_NUMERIC_MAX(n) + 8);
		p = (unsigned char *)out->s + out->n + 4;
		switch (t->cols[i].bin) {
		case B_INT2:
			len = copy_binary_int(s, n, 2, p);
			break;
		case B_INT4:
			len = copy_binary_int(s, n, 4, p);
			break;
		case B_INT8:
			len = copy_binary_int(s, n, 8, p);
			break;
		case B_NUMERIC:
			len = copy_binary_numeric(s, n, p);
			break;
		case B_BOOL:
			/* JSON's true or false, as take_value let through */
			len = (n == 4 && memcmp(s, "true", 4) == 0) ||
			    (n == 5 && memcmp(s, "false", 5) == 0) ? 1 : -1;
			*p = *s == 't';
			break;
		case B_DATE:
			len = copy_binary_date(s, n, p);
			break;
		case B_TSTZ:
			len = copy_binary_timestamptz(s, n, p);
			break;
		default:
			len = -1;
			break;
		}
		if (len == -1) {
			out->n = mark;
			return -1;
		}
		put_be(out, (uint32_t)len, 4);
		out->n += (size_t)len;
	}
	return 0;
}

static void
linemap_note(struct linemap *m, uint64_t row, uint64_t line)
{
	if (m->n > 0 && m->at[m->n - 1][1] - m->at[m->n - 1][0] ==
	    line - row)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		if ((m->at = reallocarray(m->at, m->cap,
		    sizeof(*m->at))) == NULL)
			err(EX_SOFTWARE, NULL);
	}
	m->at[m->n][0] = row;
	m->at[m->n][1] = line;
	m->n++;
}

/* The input line of COPY row `row` (1-based). */
static uint64_t
linemap_line(const struct linemap *m, uint64_t row)
{
	size_t i;

	for (i = m->n; i > 0; i--)
		if (m->at[i - 1][0] <= row)
			return row - m->at[i - 1][0] + m->at[i - 1][1];
	return row;
}

/*
 * The COPY row a server error names, from its context: the line
 * "COPY relname, line N...", where relname is the table's own name, not
 * another context line ("JSON data, line 1: ...", a trigger's) nor a
 * ", line" inside a name.  0 when there is none.
 */
static unsigned long long
copy_row(const char *ctx, const char *relname)
{
	size_t n = strlen(relname);
	unsigned long long row;
	const char *p;

	for (p = ctx; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, "COPY ", 5) == 0 &&
		    strncmp(p + 5, relname, n) == 0 &&
		    strncmp(p + 5 + n, ", line ", 7) == 0 &&
		    sscanf(p + 5 + n + 7, "%llu", &row) == 1)
			return row;
	/* a name the server cut to NAMEDATALEN: the first COPY line */
	for (p = ctx; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, "COPY ", 5) == 0 &&
		    (p = strstr(p, ", line ")) != NULL &&
		    sscanf(p + 7, "%llu", &row) == 1)
			return row;
	return 0;
}

/*
 * Report a failed COPY into relname (the table's name without its
 * schema) at the input line it names.
 */
static int
copy_failed(struct table *t, PGresult *res, const char *relname,
    const char *name, const struct linemap *m)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	char msg[512];
	unsigned long long row;

	pg_result_error(res, msg, sizeof(msg));
	cli_progress_end();
	/* a timeout or a deadlock names the row it stopped at, too */
	if (PQstatus(conn) != CONNECTION_BAD && !pg_transient(res) &&
	    ctx != NULL && (row = copy_row(ctx, relname)) > 0) {
		warnx("%s:%llu: %s", name,
		    (unsigned long long)linemap_line(m, row), msg);
		return EX_DATAERR;
	}
	warnx("%s: %s", t->name, msg);
	return pg_failure_status(conn, res);
}

static int
send_copy(struct buf *b)
{
	if (b->n == 0)
		return 0;
	if (PQputCopyData(conn, b->s, (int)b->n) != 1)
		return -1;
	b->n = 0;
	return 0;
}

/*
 * On a terminal (-p): the rows loaded so far, on one line rewritten at
 * most ten times a second, and ended when done.
 */
static void
show_progress(const struct table *t, int done)
{
	static struct timespec last;
	struct timespec now;

	if (!progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!done && (now.tv_sec - last.tv_sec) * 1000000000L +
	    (now.tv_nsec - last.tv_nsec) < 100000000L)
		return;
	last = now;
	cli_progress("%s: %lld rows", t->name, t->rows);
	if (done)
		cli_progress_end();
}

/* Start a COPY into target, in binary format or text: 0 or the status. */
static int
copy_begin(struct table *t, const char *target, int binary, struct buf *out)
{
	struct buf sql = { 0 };
	PGresult *res;
	char msg[512];
	int status = 0;

	buf_put(&sql, "COPY ", 5);
	buf_put(&sql, target, strlen(target));
	buf_put(&sql, " (", 2);
	put_names(&sql, t, 0, NULL);
	if (binary)
		buf_put(&sql, ") FROM STDIN (FORMAT binary)", 29);
	else
		buf_put(&sql, ") FROM STDIN", 13);
	res = PQexec(conn, sql.s);
	free(sql.s);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		cli_progress_end();
		warnx("%s: %s", t->name, pg_result_error(res, msg,
		    sizeof(msg)));
		status = pg_failure_status(conn, res);
	} else if (binary)
		buf_put(out, COPY_BINARY_HEADER, COPY_BINARY_HEADER_LEN);
	PQclear(res);
	return status;
}

/* Send what is left and end the COPY: 0, or the status (reported). */
static int
copy_end(struct table *t, const char *relname, const char *path,
    int binary, struct buf *out, const struct linemap *map)
{
	PGresult *res;
	char msg[512];
	int status = 0;

	if (binary)
		buf_put(out, COPY_BINARY_TRAILER, COPY_BINARY_TRAILER_LEN);
	if (send_copy(out) == 0 && PQputCopyEnd(conn, NULL) == 1) {
		res = PQgetResult(conn);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			status = copy_failed(t, res, relname, path, map);
		PQclear(res);
	} else {
		cli_progress_end();
		warnx("%s: %s", t->name, pg_error(conn, msg, sizeof(msg)));
		status = pg_failure_status(conn, NULL);
	}
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	return status;
}

/*
 * COPY one input into target (the table or its stage, quoted), whose own
 * name is relname.  In binary format when the table's types allow it,
 * until a value comes that only the server reads: the input goes on from
 * there in a COPY of text format, in the same transaction.
 */
static int
copy_file(struct table *t, const char *target, const char *relname,
    const char *path, struct ndjson_reader *r)
{
	struct buf out = { 0 };
	struct linemap map = { 0 };
	struct field *f;
	char (*tmp)[40];
	const char *why;
	char *line;
	size_t len;
	uint64_t row = 0;
	PGresult *res;
	int rc, status, binary = t->binary, copying;

	if ((status = copy_begin(t, target, binary, &out)) != 0)
		return status;
	copying = 1;
	if ((f = calloc((size_t)t->ncols + 1, sizeof(*f))) == NULL ||
	    (tmp = calloc((size_t)t->ncols + 1, sizeof(*tmp))) == NULL)
		err(EX_SOFTWARE, NULL);
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		if ((why = record_fields(t, line, len, f, tmp)) != NULL) {
			if (reject_line(&rej, path, ndjson_lineno(r), line,
			    len, why) == -1) {
				status = EX_DATAERR;
				break;
			}
			continue;
		}
		if (binary && row_binary(t, f, &out) == -1) {
			copying = 0;
			if ((status = copy_end(t, relname, path, binary, &out,
			    &map)) != 0 ||
			    (status = copy_begin(t, target, 0, &out)) != 0)
				break;
			copying = 1;
			binary = 0;
			row = 0;
			map.n = 0;
		}
		if (!binary)
			row_text(t, f, &out);
		linemap_note(&map, ++row, ndjson_lineno(r));
		t->rows++;
		if (out.n >= COPY_CHUNK) {
			if (send_copy(&out) == -1)
				break;
			show_progress(t, 0);
		}
	}
	if (rc == -1) {
		cli_progress_end();
		status = cli_read_error(path);
	}
	if (copying && status == 0)
		status = copy_end(t, relname, path, binary, &out, &map);
	else if (copying) {
		PQputCopyEnd(conn, "bad input");
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
	}
	free(out.s);
	free(map.at);
	free(f);
	free(tmp);
	return status;
}

/* The narrowest kind that holds both a and b. */
static enum kind
kind_join(enum kind a, enum kind b)
{
	if (a == K_NONE || a == b)
		return b;
	if (b == K_NONE)
		return a;
	if (a == K_JSON || b == K_JSON)
		return K_JSON;
	if ((a == K_INT && b == K_NUM) || (a == K_NUM && b == K_INT))
		return K_NUM;
	if ((a == K_DATE && b == K_TS) || (a == K_TS && b == K_DATE))
		return K_TS;
	return K_TEXT;
}

/* The kind a value suggests, for --create. */
static enum kind
kind_of_value(void)
{
	struct json_str s, name;
	int64_t secs;
	int y, m, d, rc;

	switch (json_peek(&js)) {
	case JSON_STRING:
		if (json_string(&js, &s) == -1)
			return K_NONE;
		if (date_parse(s.s, s.n, &y, &m, &d) == 0)
			return K_DATE;
		if (date_parse_instant(s.s, s.n, &secs) == 0)
			return K_TS;
		return K_TEXT;
	case JSON_NUMBER:
		if (json_number(&js, &s) == -1)
			return K_NONE;
		return memchr(s.s, '.', s.n) || memchr(s.s, 'e', s.n) ||
		    memchr(s.s, 'E', s.n) ? K_NUM : K_INT;
	case JSON_TRUE:
	case JSON_FALSE:
		json_skip(&js);
		return K_BOOL;
	case JSON_NULL:
		json_skip(&js);
		return K_NONE;
	case JSON_OBJECT:
		if (wrapper(&name)) {
			enum kind k = name.n == 4 ? K_TEXT :
			    name.s[1] == 'd' ? K_TS :
			    name.s[7] == 'I' || name.s[7] == 'L' ? K_INT :
			    K_NUM;

			if (json_skip(&js) == -1 || (rc = wrapper_end()) == -1)
				return K_NONE;
			return rc == 0 ? k : K_JSON;
		}
		/* FALLTHROUGH */
	default:
		json_skip(&js);
		return K_JSON;
	}
}

/* Add the keys of one record to the inferred columns. */
static const char *
infer_record(struct table *t, const char *line, size_t len)
{
	static char why[300];
	struct json_str key;
	enum kind k;
	int i, rc;

	if (json_begin_object(&js, line, len) == -1)
		return json_error(&js);
	while ((rc = json_next_key(&js, &key)) == 1) {
		if ((i = column_index(t, key.s, key.n)) < 0) {
			if (key.n == 0 || memchr(key.s, '\0', key.n)) {
				snprintf(why, sizeof(why), "a key cannot "
				    "name a column");
				return why;
			}
			t->cols = reallocarray(t->cols, (size_t)t->ncols + 1,
			    sizeof(*t->cols));
			if (t->cols == NULL ||
			    (t->cols[t->ncols].name = strndup(key.s,
			    key.n)) == NULL)
				err(EX_SOFTWARE, NULL);
			t->cols[t->ncols].len = key.n;
			t->cols[t->ncols].kind = K_NONE;
			t->cols[t->ncols].key = 0;
			i = t->ncols++;
		}
		k = kind_of_value();
		if (js.why != NULL)
			goto bad_json;
		t->cols[i].kind = kind_join(t->cols[i].kind, k);
	}
	if (rc == -1 || json_end(&js) == -1)
		goto bad_json;
	return NULL;
bad_json:
	return json_error(&js);
}

/* Open an input into *r: 0, or the exit status, having said why not. */
static int
open_input(const char *path, struct ndjson_reader **r)
{
	if ((*r = ndjson_open(path)) == NULL) {
		cli_progress_end();
		return cli_read_error(path);
	}
	return 0;
}

/*
 * Pass 1 of --create over one input: add the keys of its records to the
 * columns.  An input that can be read only once is copied as it is read
 * to an unlinked temporary file, line for line (blank lines kept, so that
 * pass 2 numbers lines as the input does), whose descriptor goes to
 * *spool_fd.  A bad record is skipped here: pass 2 reports it, or
 * tolerates it, at its line; the first one is kept in *bad for when no
 * record is good.  Returns 0 or an exit status.
 */
static int
infer_input(struct table *t, const char *path, int *spool_fd,
    char *bad, size_t badsz)
{
	struct ndjson_reader *r;
	struct spool spool = { 0 };
	char *line;
	const char *why;
	size_t len;
	int rc, status = 0;

	if ((status = open_input(path, &r)) != 0)
		return status;
	if (spool_needed(path, r) && spool_open(&spool) == -1)
		err(cli_errno_status(), "temporary file");
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		if (spool.f != NULL)
			spool_line(&spool, ndjson_lineno(r), line, len);
		if ((why = infer_record(t, line, len)) != NULL &&
		    *bad == '\0')
			snprintf(bad, badsz, "%s:%llu: %s", ndjson_name(r),
			    (unsigned long long)ndjson_lineno(r), why);
	}
	if (rc == -1)
		status = cli_read_error(path);
	if (spool.f != NULL && (*spool_fd = spool_close(&spool)) == -1)
		err(cli_errno_status(), "temporary file");
	ndjson_close(r);
	return status;
}

/*
 * --create on a missing table: infer its columns, then create it.
 * t->spool_fd[i] gets the copy of input i when it can be read only once.
 */
static int
create_table(struct table *t)
{
	struct buf sql = { 0 };
	char bad[600] = "";
	int i, status = 0, nin = t->nfiles ? t->nfiles : 1;

	if ((t->spool_fd = malloc((size_t)nin * sizeof(int))) == NULL)
		err(EX_SOFTWARE, NULL);
	for (i = 0; i < nin; i++)
		t->spool_fd[i] = -1;
	for (i = 0; i < nin && status == 0; i++)
		status = infer_input(t, t->nfiles ? t->files[i] : "-",
		    &t->spool_fd[i], bad, sizeof(bad));
	if (status != 0)
		return status;
	if (t->ncols == 0 && *bad != '\0') {
		/* every record bad: the first one says why */
		warnx("%s", bad);
		return EX_DATAERR;
	}
	if (t->ncols == 0) {
		warnx("%s: no records to infer the columns from", t->name);
		return EX_DATAERR;
	}
	if ((status = set_keys(t)) != 0)
		return status;
	buf_put(&sql, "CREATE TABLE ", 13);
	buf_put(&sql, t->quoted, strlen(t->quoted));
	buf_put(&sql, " (", 2);
	for (i = 0; i < t->ncols; i++) {
		char *q = PQescapeIdentifier(conn, t->cols[i].name,
		    t->cols[i].len);

		if (q == NULL)
			errx(EX_SOFTWARE, "%s", PQerrorMessage(conn));
		if (t->cols[i].kind == K_NONE)
			t->cols[i].kind = K_TEXT;
		t->cols[i].bin = kind_bin[t->cols[i].kind];
		if (i > 0)
			buf_put(&sql, ", ", 2);
		buf_put(&sql, q, strlen(q));
		buf_put(&sql, " ", 1);
		buf_put(&sql, kind_sql[t->cols[i].kind],
		    strlen(kind_sql[t->cols[i].kind]));
		PQfreemem(q);
	}
	if (t->keys != NULL) {
		buf_put(&sql, ", PRIMARY KEY (", 15);
		put_names(&sql, t, 1, NULL);
		buf_put(&sql, ")", 1);
	}
	buf_put(&sql, ")", 2);
	status = command(sql.s, t->name);
	free(sql.s);
	return status;
}

/* INSERT the stage into the table, updating rows whose key is there. */
static int
merge_stage(struct table *t, const char *stage)
{
	struct buf sql = { 0 };
	int i, status, nonkey = 0;

	buf_put(&sql, "INSERT INTO ", 12);
	buf_put(&sql, t->quoted, strlen(t->quoted));
	buf_put(&sql, " (", 2);
	put_names(&sql, t, 0, NULL);
	buf_put(&sql, ") SELECT ", 9);
	put_names(&sql, t, 0, NULL);
	buf_put(&sql, " FROM ", 6);
	buf_put(&sql, stage, strlen(stage));
	buf_put(&sql, " ON CONFLICT (", 14);
	put_names(&sql, t, 1, NULL);
	buf_put(&sql, ") DO ", 5);
	for (i = 0; i < t->ncols; i++)
		nonkey += !t->cols[i].key;
	if (nonkey == 0) {
		buf_put(&sql, "NOTHING", 7);
	} else {
		buf_put(&sql, "UPDATE SET (", 12);
		for (i = 0; i < t->ncols; i++)
			t->cols[i].key = !t->cols[i].key;
		put_names(&sql, t, 1, NULL);
		buf_put(&sql, ") = ROW (", 9);
		put_names(&sql, t, 1, "EXCLUDED.");
		buf_put(&sql, ")", 1);
		for (i = 0; i < t->ncols; i++)
			t->cols[i].key = !t->cols[i].key;
	}
	buf_put(&sql, "", 1);
	status = command(sql.s, t->name);
	free(sql.s);
	return status;
}

static int
load_table(struct table *t)
{
	const char *params[1];
	struct ndjson_reader *r;
	PGresult *res;
	char msg[512], stage[64];
	const char *target, *relname;
	int i, exists, status = 0, haskey = 0;
	int nin = t->nfiles ? t->nfiles : 1;

	if ((t->quoted = pg_quote_name(conn, t->name)) == NULL)
		errx(EX_USAGE, "%s: %s", t->name, pg_error(conn, msg,
		    sizeof(msg)));
	params[0] = t->quoted;
	res = PQexecParams(conn, "SELECT to_regclass($1) IS NOT NULL", 1,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		warnx("%s: %s", t->name, pg_result_error(res, msg,
		    sizeof(msg)));
		status = pg_failure_status(conn, res);
		PQclear(res);
		return status;
	}
	exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!exists && !t->create) {
		warnx("%s: no such table (--create makes it)", t->name);
		return EX_DATAERR;
	}
	if (!exists)
		status = create_table(t);
	else if ((status = read_columns(t)) == 0)
		status = set_keys(t);
	if (status != 0)
		return status;
	t->binary = !text_copy;
	for (i = 0; i < t->ncols; i++) {
		haskey |= t->cols[i].key;
		t->binary &= t->cols[i].bin != B_NONE;
	}
	target = t->quoted;
	relname = strchr(t->name, '.') != NULL ? strchr(t->name, '.') + 1 :
	    t->name;
	switch (t->mode) {
	case M_APPEND:
		break;
	case M_REPLACE:
		/*
		 * DELETE, not TRUNCATE: other sessions go on reading the old
		 * rows, unblocked, until the transaction commits.
		 */
		snprintf(msg, sizeof(msg), "DELETE FROM %s", t->quoted);
		if ((status = command(msg, t->name)) != 0)
			return status;
		break;
	case M_UPSERT:
		if (!haskey) {
			warnx("%s: upsert needs a key: the table has no "
			    "primary key, give -k", t->name);
			return EX_USAGE;
		}
		snprintf(stage, sizeof(stage), "pg_temp.dataops_stage");
		snprintf(msg, sizeof(msg), "DROP TABLE IF EXISTS %s; "
		    "CREATE TEMP TABLE dataops_stage (LIKE %s) "
		    "ON COMMIT DROP", stage, t->quoted);
		if ((status = command(msg, t->name)) != 0)
			return status;
		target = stage;
		relname = "dataops_stage";
		break;
	}
	for (i = 0; i < nin && status == 0; i++) {
		const char *path = t->nfiles ? t->files[i] : "-";

		if (t->spool_fd != NULL && t->spool_fd[i] != -1) {
			/* the copy pass 1 kept, read by pass 2 */
			r = ndjson_fdopen(t->spool_fd[i], strcmp(path, "-") ==
			    0 ? "<stdin>" : path);
			t->spool_fd[i] = -1;
			if (r == NULL)
				err(EX_SOFTWARE, NULL);
		} else if ((status = open_input(path, &r)) != 0)
			return status;
		status = copy_file(t, target, relname, ndjson_name(r), r);
		ndjson_close(r);
	}
	if (status != 0)
		return status;
	show_progress(t, 1);
	if (t->mode == M_REPLACE && t->rows == 0 && !t->allow_empty) {
		warnx("%s: no rows: refusing to empty the table "
		    "(--allow-empty to do it)", t->name);
		return EX_DATAERR;
	}
	if (t->mode == M_UPSERT)
		status = merge_stage(t, stage);
	return status;
}

/* Free what a table holds (at exit: valgrind then sees no leak). */
static void
free_table(struct table *t)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		free(t->cols[i].name);
	for (i = 0; t->spool_fd != NULL &&
	    i < (t->nfiles ? t->nfiles : 1); i++)
		if (t->spool_fd[i] != -1)
			close(t->spool_fd[i]);
	free(t->spool_fd);
	free(t->cols);
	free(t->files);
	PQfreemem(t->quoted);
}

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: pg-load [-ciap] [-m mode] [-k keys] [-e max-errors] "
	    "[-r rejects] [--text-copy]\n"
	    "               -t table [file ...] [-t table [file ...] ...]\n");
	exit(status);
}
