/*
 * pg-export: a PostgreSQL table or query as NDJSON, one object per row,
 * or as one JSON array: what the original API's routes returned.
 *
 * Rows stream through COPY ... TO STDOUT in text format; the column types
 * from describing the query say how each field becomes JSON.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cli.h"
#include "ndjson.h"
#include "pg.h"

/* Built-in type OIDs (pg_type.dat); they never change. */
#define BOOLOID		16
#define INT8OID		20
#define INT2OID		21
#define INT4OID		23
#define OIDOID		26
#define JSONOID		114
#define FLOAT4OID	700
#define FLOAT8OID	701
#define DATEOID		1082
#define TIMESTAMPOID	1114
#define TIMESTAMPTZOID	1184
#define NUMERICOID	1700
#define JSONBOID	3802

enum shape { S_NUMBER, S_BOOL, S_JSON, S_TIME, S_STRING };

struct column {
	char		*key;		/* "name": */
	size_t		 keylen;
	enum shape	 shape;
};

static PGconn		*conn;

static char	*table_query(const char *, const char *);
static int	 export(const char *, int);
static void	 failed(PGresult *) __attribute__((noreturn));
static void	 usage(int) __attribute__((noreturn));

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "query",	required_argument,	NULL, 'q' },
		{ "array",	no_argument,		NULL, 'a' },
		{ "order-by",	required_argument,	NULL, 'o' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const char *query = NULL, *order = NULL;
	char *sql, *where, msg[512];
	int ch, array = 0, status;

	while ((ch = getopt_long(argc, argv, "q:ao:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			query = optarg;
			break;
		case 'a':
			array = 1;
			break;
		case 'o':
			order = optarg;
			break;
		case 'h':
			usage(0);
		case 'V':
			cli_version();
		default:
			usage(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((query == NULL) == (argc != 1)) {
		warnx(query == NULL ? "a table or --query is needed" :
		    "a table and --query: give one of them");
		usage(EX_USAGE);
	}
	if (query != NULL && order != NULL)
		errx(EX_USAGE, "--order-by is for tables: put ORDER BY in "
		    "the query");

	if ((conn = pg_connect("pg-export")) == NULL)
		err(EX_SOFTWARE, NULL);
	if (PQstatus(conn) != CONNECTION_OK) {
		where = pg_redact(getenv("PG_URI"));
		errx(EX_UNAVAILABLE, "cannot connect to %s: %s",
		    where ? where : "PostgreSQL", pg_error(conn, msg,
		    sizeof(msg)));
	}
	sql = query != NULL ? strdup(query) : table_query(argv[0], order);
	if (sql == NULL)
		err(EX_SOFTWARE, NULL);
	status = export(sql, array);
	free(sql);
	pg_close(conn);
	return status;
}

static void
append(char **s, size_t *n, const char *t)
{
	size_t k = strlen(t);

	if ((*s = realloc(*s, *n + k + 1)) == NULL)
		err(EX_SOFTWARE, NULL);
	memcpy(*s + *n, t, k + 1);
	*n += k;
}

/* SELECT * FROM the table, by --order-by or else its primary key. */
static char *
table_query(const char *table, const char *order)
{
	char *quoted, *sql = NULL, msg[512];
	const char *params[1];
	size_t n = 0;
	PGresult *res = NULL;
	int i;

	if ((quoted = pg_quote_name(conn, table)) == NULL)
		errx(EX_USAGE, "%s: %s", table, pg_error(conn, msg,
		    sizeof(msg)));
	params[0] = quoted;
	res = PQexecParams(conn, "SELECT to_regclass($1) IS NOT NULL", 1,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		errx(pg_failure_status(conn, res), "%s: %s", table,
		    pg_result_error(res, msg, sizeof(msg)));
	if (PQgetvalue(res, 0, 0)[0] != 't')
		errx(EX_DATAERR, "%s: no such table", table);
	PQclear(res);
	append(&sql, &n, "SELECT * FROM ");
	append(&sql, &n, quoted);
	if (order != NULL) {
		const char *p = order;

		append(&sql, &n, " ORDER BY ");
		while (*p != '\0') {
			size_t len = strcspn(p, ","), name = len;
			const char *dir = "";
			char *q;

			if (len > 5 && strncasecmp(p + len - 5, " desc", 5) == 0) {
				name = len - 5;
				dir = " DESC";
			} else if (len > 4 &&
			    strncasecmp(p + len - 4, " asc", 4) == 0) {
				name = len - 4;
			}
			if ((q = PQescapeIdentifier(conn, p, name)) == NULL)
				errx(EX_USAGE, "--order-by: %s", pg_error(conn,
				    msg, sizeof(msg)));
			if (p != order)
				append(&sql, &n, ", ");
			append(&sql, &n, q);
			append(&sql, &n, dir);
			PQfreemem(q);
			p += len + (p[len] == ',');
		}
	} else {
		res = PQexecParams(conn,
		    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
		    "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
		    "WHERE i.indrelid = $1::regclass AND i.indisprimary "
		    "ORDER BY array_position(i.indkey, a.attnum)", 1, NULL,
		    params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			errx(pg_failure_status(conn, res), "%s: %s", table,
			    pg_result_error(res, msg, sizeof(msg)));
		for (i = 0; i < PQntuples(res); i++) {
			char *q = PQescapeIdentifier(conn,
			    PQgetvalue(res, i, 0), strlen(PQgetvalue(res, i,
			    0)));

			if (q == NULL)
				errx(EX_SOFTWARE, "%s", pg_error(conn, msg,
				    sizeof(msg)));
			append(&sql, &n, i == 0 ? " ORDER BY " : ", ");
			append(&sql, &n, q);
			PQfreemem(q);
		}
		PQclear(res);
	}
	PQfreemem(quoted);
	return sql;
}

static enum shape
shape_of(Oid type)
{
	switch (type) {
	case INT2OID: case INT4OID: case INT8OID: case OIDOID:
	case NUMERICOID: case FLOAT4OID: case FLOAT8OID:
		return S_NUMBER;
	case BOOLOID:
		return S_BOOL;
	case JSONOID: case JSONBOID:
		return S_JSON;
	case TIMESTAMPOID: case TIMESTAMPTZOID:
		return S_TIME;
	}
	return S_STRING;
}

/* Exit with the message of res, a command that failed, freed first. */
static void
failed(PGresult *res)
{
	char msg[512];
	int status = pg_failure_status(conn, res);

	pg_result_error(res, msg, sizeof(msg));
	PQclear(res);
	errx(status, "%s", msg);
}

/* The columns of sql, described by the server without running it. */
static struct column *
describe(const char *sql, int *ncols)
{
	struct column *cols;
	PGresult *res;
	int i;

	res = PQprepare(conn, "", sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		failed(res);
	PQclear(res);
	res = PQdescribePrepared(conn, "");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		failed(res);
	*ncols = PQnfields(res);
	if (*ncols == 0) {
		PQclear(res);
		errx(EX_DATAERR, "the query returns no columns");
	}
	if ((cols = calloc((size_t)*ncols, sizeof(*cols))) == NULL)
		err(EX_SOFTWARE, NULL);
	for (i = 0; i < *ncols; i++) {
		const char *name = PQfname(res, i);

		/* the key, escaped once: "name": */
		{
			size_t k, n = strlen(name);
			char *key = malloc(n * 6 + 4), *o = key;

			if (key == NULL)
				err(EX_SOFTWARE, NULL);
			*o++ = '"';
			for (k = 0; k < n; k++) {
				unsigned char c = (unsigned char)name[k];

				if (c == '"' || c == '\\') {
					*o++ = '\\';
					*o++ = (char)c;
				} else if (c < 0x20) {
					o += sprintf(o, "\\u%04x", c);
				} else {
					*o++ = (char)c;
				}
			}
			*o++ = '"';
			*o++ = ':';
			*o = '\0';
			cols[i].key = key;
			cols[i].keylen = (size_t)(o - key);
		}
		cols[i].shape = shape_of(PQftype(res, i));
	}
	PQclear(res);
	return cols;
}

/*
 * Decode one field of COPY's text format in place (s[0..n) with its
 * backslash escapes); return the new length.
 */
static size_t
copy_unescape(char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c != '\\' || i + 1 == n) {
			s[o++] = c;
			continue;
		}
		c = s[++i];
		switch (c) {
		case 'b': s[o++] = '\b'; break;
		case 'f': s[o++] = '\f'; break;
		case 'n': s[o++] = '\n'; break;
		case 'r': s[o++] = '\r'; break;
		case 't': s[o++] = '\t'; break;
		case 'v': s[o++] = '\v'; break;
		case 'x': {
			unsigned v = 0;
			int k;

			for (k = 0; k < 2 && i + 1 < n &&
			    strchr("0123456789abcdefABCDEF", s[i + 1]) &&
			    s[i + 1] != '\0'; k++) {
				char h = s[++i];

				v = v * 16 + (unsigned)(h <= '9' ? h - '0' :
				    (h | 0x20) - 'a' + 10);
			}
			s[o++] = (char)v;
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = (unsigned)(c - '0');
				int k;

				for (k = 0; k < 2 && i + 1 < n &&
				    s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					v = v * 8 + (unsigned)(s[++i] - '0');
				s[o++] = (char)v;
			} else {
				s[o++] = c;
			}
		}
	}
	return o;
}

static void
put_value(struct ndjson_writer *w, enum shape shape, char *s, size_t n)
{
	size_t i;

	switch (shape) {
	case S_NUMBER:
		/* NaN and the infinities are no JSON numbers */
		if (n > 0 && (s[n - 1] == 'N' || s[n - 1] == 'y')) {
			ndjson_put_string(w, s, n);
			return;
		}
		ndjson_put(w, s, n);
		return;
	case S_BOOL:
		ndjson_puts(w, s[0] == 't' ? "true" : "false");
		return;
	case S_JSON:
		/* json keeps its input's line breaks: white space here */
		for (i = 0; i < n; i++)
			if (s[i] == '\n' || s[i] == '\r')
				s[i] = ' ';
		ndjson_put(w, s, n);
		return;
	case S_TIME:
		/* ISO style "2025-03-01 12:00:00+00" as ISO 8601 */
		if (n > 10 && s[10] == ' ')
			s[10] = 'T';
		if (n > 3 && memcmp(s + n - 3, "+00", 3) == 0) {
			s[n - 3] = 'Z';
			n -= 2;
		}
		/* FALLTHROUGH */
	case S_STRING:
		ndjson_put_string(w, s, n);
		return;
	}
}

/* Run sql through COPY and write its rows. */
static int
export(const char *sql, int array)
{
	struct ndjson_writer *w;
	struct column *cols;
	char *copy = NULL, *row, msg[512];
	size_t n = 0, len = strlen(sql);
	long long rows = 0;
	PGresult *res;
	int ncols, i, got, status = 0;

	while (len > 0 && strchr(" \t\r\n;", sql[len - 1]) != NULL)
		len--;
	cols = describe(sql, &ncols);
	append(&copy, &n, "COPY (");
	if ((copy = realloc(copy, n + len + 32)) == NULL)
		err(EX_SOFTWARE, NULL);
	memcpy(copy + n, sql, len);
	strcpy(copy + n + len, "\n) TO STDOUT");
	res = PQexec(conn, copy);
	free(copy);
	if (PQresultStatus(res) != PGRES_COPY_OUT)
		failed(res);
	PQclear(res);

	if ((w = ndjson_writer_new(STDOUT_FILENO)) == NULL)
		err(EX_SOFTWARE, NULL);
	if (array)
		ndjson_putc(w, '[');
	while ((got = PQgetCopyData(conn, &row, 0)) > 0) {
		char *p = row, *end = row + got - 1;	/* before '\n' */

		if (array && rows > 0)
			ndjson_putc(w, ',');
		ndjson_puts(w, array ? "\n{" : "{");
		for (i = 0; i < ncols; i++) {
			char *tab = memchr(p, '\t', (size_t)(end - p));
			size_t flen;

			if (tab == NULL)
				tab = end;
			if (i > 0)
				ndjson_putc(w, ',');
			ndjson_put(w, cols[i].key, cols[i].keylen);
			if (tab - p == 2 && p[0] == '\\' && p[1] == 'N') {
				ndjson_puts(w, "null");
			} else {
				flen = copy_unescape(p, (size_t)(tab - p));
				put_value(w, cols[i].shape, p, flen);
			}
			p = tab + 1;
		}
		ndjson_puts(w, array ? "}" : "}\n");
		PQfreemem(row);
		rows++;
	}
	res = NULL;
	if (got == -2 || (res = PQgetResult(conn)) == NULL ||
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		warnx("%s after %lld rows", pg_error(conn, msg, sizeof(msg)),
		    rows);
		status = pg_failure_status(conn, res);
	}
	PQclear(res);
	if (array)
		ndjson_puts(w, rows > 0 ? "\n]\n" : "]\n");
	if (ndjson_writer_free(w) == -1) {
		warn("stdout");
		status = EX_IOERR;
	}
	for (i = 0; i < ncols; i++)
		free(cols[i].key);
	free(cols);
	return status;
}

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: pg-export [-a] [-o order-by] table\n"
	    "       pg-export [-a] -q query\n");
	exit(status);
}
