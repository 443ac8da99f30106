/*
 * What pg-load, pg-export and report share on libpq: the connection from
 * PG_URI, names quoted as SQL identifiers, URIs without their password,
 * and the exit status a failure deserves.
 */
#ifndef DATAOPS_PG_H
#define DATAOPS_PG_H

#include <libpq-fe.h>

/*
 * Connect with PG_URI, or with libpq's own defaults (PGHOST, PGDATABASE,
 * .pgpass, ...) when it is unset, naming the application and bounding the
 * connect time (10 s unless PGCONNECT_TIMEOUT or the URI say otherwise);
 * client encoding UTF8, DateStyle ISO, TimeZone UTC.  Always returns a
 * connection: check PQstatus.  NULL with errno set when out of memory or
 * threads.
 *
 * Once connected, a thread checks every connect timeout (2 s at least)
 * that the server still answers a new connection; when the checks get no
 * answer for a whole connect timeout, the connection is shut down and the
 * call waiting on it fails (pg_failure_status and pg_error say so): a
 * server that stops answering is given up within about twice the connect
 * timeout.  A connect timeout of 0 turns the checks off.
 *
 * Unlike the rest of lib/, a notice the server sends (a WARNING a trigger
 * raises) is printed at once on standard error, "appname: WARNING:  ...",
 * on a line of its own, as only libpq's callback sees it when it comes.
 */
PGconn *pg_connect(const char *appname);

/* Stop the checks on conn and PQfinish it.  Use it for every pg_connect. */
void pg_close(PGconn *conn);

/*
 * A copy of uri with its password removed ("postgresql://ana@db/x"), for
 * messages; "libpq defaults" for NULL.  NULL when out of memory.
 */
char *pg_redact(const char *uri);

/*
 * name ("table" or "schema.table", split at the first dot) quoted as SQL
 * identifiers: "schema"."table".  Free with PQfreemem.  NULL on error.
 */
char *pg_quote_name(PGconn *conn, const char *name);

/*
 * The exit status for a failed command, whose result is res (or NULL):
 * 75 when it is worth a retry: the connection is gone, the server stopped
 * answering, or res's SQLSTATE says the failure was of the moment
 * (pg_transient); else 65 (the server refused the data or the request).
 */
int pg_failure_status(PGconn *conn, const PGresult *res);

/*
 * Whether res failed for a reason of the moment, which a retry may not
 * meet: a deadlock or serialization failure, a lock or statement timeout,
 * a server shutting down, too many connections, a full disk, no memory,
 * a connection error.
 */
int pg_transient(const PGresult *res);

/*
 * The first line of libpq's last error message, without "ERROR:  ", made
 * safe to print as pg_safe_text makes it; for a connection shut down
 * because the server stopped answering, how long it did not answer.
 */
const char *pg_error(PGconn *conn, char *buf, size_t size);

/* The same for a result's message. */
const char *pg_result_error(const PGresult *res, char *buf, size_t size);

/*
 * s[0..n) as text safe to print on a terminal, in buf (size bytes, cut to
 * fit at a character): tab, newline and carriage return as \t, \n and \r,
 * other control characters (U+0000 to U+001F, U+007F, U+0080 to U+009F)
 * as \u00XX, bytes that are not UTF-8 as \xXX.  Returns buf.  For what the
 * server or the data puts in a message.
 */
const char *pg_safe_text(const char *s, size_t n, char *buf, size_t size);

#endif
