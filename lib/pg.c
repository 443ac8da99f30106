#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "pg.h"
#include "uri.h"

PGconn *
pg_connect(const char *appname)
{
	const char *keys[5], *vals[5];
	const char *uri = getenv("PG_URI");
	PGconn *conn;
	int n = 0;

	/* earlier parameters are overridden by what the URI says */
	keys[n] = "fallback_application_name";
	vals[n++] = appname;
	if (getenv("PGCONNECT_TIMEOUT") == NULL) {
		keys[n] = "connect_timeout";
		vals[n++] = "10";
	}
	if (uri != NULL && *uri != '\0') {
		keys[n] = "dbname";
		vals[n++] = uri;
	}
	keys[n] = NULL;
	vals[n] = NULL;
	if ((conn = PQconnectdbParams(keys, vals, 1)) == NULL)
		return NULL;
	if (PQstatus(conn) == CONNECTION_OK) {
		PGresult *res;

		PQsetClientEncoding(conn, "UTF8");
		res = PQexec(conn, "SET DateStyle = ISO; SET TimeZone = 'UTC'; "
		    "SET IntervalStyle = iso_8601; SET extra_float_digits = 3; "
		    "SET client_min_messages = warning");
		PQclear(res);
	}
	return conn;
}

char *
pg_redact(const char *uri)
{
	if (uri == NULL || *uri == '\0')
		return strdup("libpq defaults");
	return uri_redact(uri);
}

char *
pg_quote_name(PGconn *conn, const char *name)
{
	const char *dot = strchr(name, '.');
	char *schema, *table, *out;
	size_t n;

	if (dot == NULL)
		return PQescapeIdentifier(conn, name, strlen(name));
	if ((schema = PQescapeIdentifier(conn, name,
	    (size_t)(dot - name))) == NULL)
		return NULL;
	if ((table = PQescapeIdentifier(conn, dot + 1,
	    strlen(dot + 1))) == NULL) {
		PQfreemem(schema);
		return NULL;
	}
	n = strlen(schema) + 1 + strlen(table) + 1;
	/* PQfreemem is free(3) on every platform libpq supports but Windows */
	if ((out = malloc(n)) != NULL) {
		strcpy(out, schema);
		strcat(out, ".");
		strcat(out, table);
	}
	PQfreemem(schema);
	PQfreemem(table);
	return out;
}

int
pg_failure_status(PGconn *conn)
{
	return PQstatus(conn) == CONNECTION_BAD ? EX_TEMPFAIL : EX_DATAERR;
}

static const char *
first_line(const char *msg, char *buf, size_t size)
{
	size_t n;

	if (msg == NULL || *msg == '\0')
		msg = "unknown error";
	if (strncmp(msg, "ERROR:  ", 8) == 0)
		msg += 8;
	else if (strncmp(msg, "FATAL:  ", 8) == 0)
		msg += 8;
	n = strcspn(msg, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, msg, n);
	buf[n] = '\0';
	return buf;
}

const char *
pg_error(PGconn *conn, char *buf, size_t size)
{
	return first_line(PQerrorMessage(conn), buf, size);
}

const char *
pg_result_error(const PGresult *res, char *buf, size_t size)
{
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	return first_line(primary != NULL ? primary :
	    PQresultErrorMessage(res), buf, size);
}
