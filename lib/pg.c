#include <poll.h>
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
	/*
	 * A session ended by the server (a shutdown, pg_terminate_backend)
	 * sends its error and closes the socket: libpq sees the close only
	 * when it reads again.
	 */
	if (PQstatus(conn) != CONNECTION_BAD && PQsocket(conn) >= 0) {
		struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };

		/* the close follows the error at once, if it comes */
		if (poll(&pfd, 1, 200) > 0)
			(void)PQconsumeInput(conn);
	}
	return PQstatus(conn) == CONNECTION_BAD ? EX_TEMPFAIL : EX_DATAERR;
}

/* Length of the valid UTF-8 sequence at p[0..n) (lead byte >= 0x80), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t k, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return k;
}

const char *
pg_safe_text(const char *s, size_t n, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len = 0, k;
	char esc[7];

	if (size == 0)
		return buf;
	while (i < n) {
		unsigned c = p[i];

		k = 1;
		esc[0] = '\0';
		if (c == '\t' || c == '\n' || c == '\r') {
			esc[0] = '\\';
			esc[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
			esc[2] = '\0';
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			esc[6] = '\0';
		} else if (c >= 0x80 && (k = utf8_len(p + i, n - i)) == 0) {
			k = 1;
			memcpy(esc, "\\x", 2);
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 0xf];
			esc[4] = '\0';
		} else if (c == 0xc2 && p[i + 1] <= 0x9f) {
			/* U+0080 to U+009F: C1 controls, CSI among them */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[p[i + 1] >> 4];
			esc[5] = hex[p[i + 1] & 0xf];
			esc[6] = '\0';
		}
		if (esc[0] != '\0') {
			if (strlen(esc) >= size - len)
				break;
			memcpy(buf + len, esc, strlen(esc));
			len += strlen(esc);
		} else {
			/* a character is kept whole, or left out */
			if (k >= size - len)
				break;
			memcpy(buf + len, s + i, k);
			len += k;
		}
		i += k;
	}
	buf[len] = '\0';
	return buf;
}

static const char *
first_line(const char *msg, char *buf, size_t size)
{
	if (msg == NULL || *msg == '\0')
		msg = "unknown error";
	if (strncmp(msg, "ERROR:  ", 8) == 0)
		msg += 8;
	else if (strncmp(msg, "FATAL:  ", 8) == 0)
		msg += 8;
	return pg_safe_text(msg, strcspn(msg, "\n"), buf, size);
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
