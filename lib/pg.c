#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "pg.h"
#include "uri.h"

/*
 * The liveness watchdog.  libpq has no read timeout: a server that stops
 * answering without closing the connection (a stopped process, a network
 * that drops packets) would hold a program in PQexec or PQgetCopyData
 * forever.  A thread asks the server for a new connection every "period"
 * seconds (the connect timeout) with the parameters of the watched one;
 * when none is answered, it shuts the watched connection's socket down,
 * which wakes libpq wherever it waits and ends the connection.  A slow
 * command on a live server is waited for: new connections still get
 * answers.  One connection is watched at a time.
 */
static struct {
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;		/* CLOCK_MONOTONIC, once ready */
	pthread_t	 thread;
	const PGconn	*conn;		/* the watched connection, or NULL */
	int		 sock;		/* a dup of its socket: ours to close */
	int		 period;	/* seconds between checks */
	int		 running;	/* the thread is to be joined */
	int		 closing;	/* stop now: pg_close or exit */
	int		 fired;		/* the connection was shut down... */
	double		 silent;	/* ...after so many seconds unanswered */
} dog = { .lock = PTHREAD_MUTEX_INITIALIZER, .sock = -1 };

/*
 * The parameters of the watched connection, for the checks: the strings
 * are constants and the environment's.  The checks name themselves apart
 * ("pg-load liveness check"), for the server's log and pg_stat_activity.
 */
#define NPARAMS	4
static const char *ping_keys[NPARAMS], *ping_vals[NPARAMS];
static char ping_name[64];

static void	 notice(void *, const char *);
static int	 stalled(const PGconn *);
static int	 watch_start(PGconn *, const char **, const char **);
static void	 watch_stop(void);

PGconn *
pg_connect(const char *appname)
{
	const char *keys[NPARAMS], *vals[NPARAMS];
	const char *uri = getenv("PG_URI");
	PGconn *conn;
	int n = 0, saved;

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

		if (watch_start(conn, keys, vals) == -1) {
			saved = errno;
			PQfinish(conn);
			errno = saved;
			return NULL;
		}
		PQsetNoticeProcessor(conn, notice, (void *)appname);
		PQsetClientEncoding(conn, "UTF8");
		res = PQexec(conn, "SET DateStyle = ISO; SET TimeZone = 'UTC'; "
		    "SET IntervalStyle = iso_8601; SET extra_float_digits = 3; "
		    "SET client_min_messages = warning");
		PQclear(res);
	}
	return conn;
}

/*
 * A notice from the server (a WARNING a trigger raises, say): on a line
 * of its own after any progress line, named by the program, control
 * characters escaped.
 */
static void
notice(void *prog, const char *message)
{
	char buf[1024];
	size_t n = strlen(message);

	while (n > 0 && message[n - 1] == '\n')
		n--;
	cli_progress_end();
	fprintf(stderr, "%s: %s\n", (const char *)prog,
	    pg_safe_text(message, n, buf, sizeof(buf)));
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
pg_failure_status(PGconn *conn, const PGresult *res)
{
	if (stalled(conn) || pg_transient(res))
		return EX_TEMPFAIL;
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

int
pg_transient(const PGresult *res)
{
	static const char *const codes[] = {
		"40001",	/* serialization_failure */
		"40003",	/* statement_completion_unknown */
		"40P01",	/* deadlock_detected */
		"55P03",	/* lock_not_available: lock_timeout, NOWAIT */
		"57014",	/* query_canceled: statement_timeout */
		"57P01",	/* admin_shutdown */
		"57P02",	/* crash_shutdown */
		"57P03",	/* cannot_connect_now */
		"57P05",	/* idle_session_timeout */
		"25P03",	/* idle_in_transaction_session_timeout */
		"53000",	/* insufficient_resources */
		"53100",	/* disk_full */
		"53200",	/* out_of_memory */
		"53300",	/* too_many_connections */
	};
	const char *state;
	size_t i;

	if (res == NULL ||
	    (state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) == NULL)
		return 0;
	if (strncmp(state, "08", 2) == 0)	/* connection_exception */
		return 1;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(state, codes[i]) == 0)
			return 1;
	return 0;
}

void
pg_close(PGconn *conn)
{
	if (conn != NULL && conn == dog.conn)
		watch_stop();
	PQfinish(conn);
}

/* Did the watchdog shut conn down (NULL: the watched connection)? */
static int
stalled(const PGconn *conn)
{
	int fired;

	pthread_mutex_lock(&dog.lock);
	fired = dog.fired && dog.conn != NULL &&
	    (conn == NULL || conn == dog.conn);
	pthread_mutex_unlock(&dog.lock);
	return fired;
}

/*
 * The seconds between checks: the connect timeout libpq applies to conn,
 * 2 at least as libpq makes it; 0 when it waits forever (no checks).
 * -1 when out of memory.
 */
static int
watch_period(PGconn *conn)
{
	PQconninfoOption *opts, *o;
	long period = 0;
	char *end;

	if ((opts = PQconninfo(conn)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "connect_timeout") != 0 ||
		    o->val == NULL)
			continue;
		errno = 0;
		period = strtol(o->val, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (end == o->val || *end != '\0' || errno != 0)
			period = 0;
	}
	PQconninfoFree(opts);
	if (period <= 0)
		return 0;
	if (period > INT_MAX / 2)
		return INT_MAX / 2;
	return period < 2 ? 2 : (int)period;
}

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * The thread: a check every period until told to stop.  A check that
 * fails at once (a name that does not resolve for a moment, a refused
 * connection) is not yet silence: the connection is given up when the
 * checks have gone unanswered for half a period at least, which a check
 * that times out always has.
 */
static void *
watch(void *arg)
{
	struct timespec last, first, start, now, next;
	PGPing ping;
	int failing = 0;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &last);
	pthread_mutex_lock(&dog.lock);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &next);
		next.tv_sec += dog.period;
		while (!dog.closing && pthread_cond_timedwait(&dog.wake,
		    &dog.lock, &next) != ETIMEDOUT)
			;
		if (dog.closing)
			break;
		pthread_mutex_unlock(&dog.lock);
		clock_gettime(CLOCK_MONOTONIC, &start);
		ping = PQpingParams(ping_keys, ping_vals, 1);
		clock_gettime(CLOCK_MONOTONIC, &now);
		pthread_mutex_lock(&dog.lock);
		if (ping == PQPING_OK || ping == PQPING_REJECT) {
			/* the server answers, if only to refuse */
			last = now;
			failing = 0;
			continue;
		}
		if (ping != PQPING_NO_RESPONSE)
			break;		/* bad parameters: nothing to learn */
		if (!failing) {
			failing = 1;
			first = start;
		}
		if (seconds_between(&first, &now) < dog.period / 2.0)
			continue;
		if (!dog.closing) {
			dog.fired = 1;
			dog.silent = seconds_between(&last, &now);
			shutdown(dog.sock, SHUT_RDWR);
		}
		break;
	}
	pthread_mutex_unlock(&dog.lock);
	return NULL;
}

/*
 * Watch conn, a connection just made with keys and vals (NULL-ended, the
 * first being fallback_application_name): 0, or -1 with errno set.  The
 * socket is watched through a dup of its own, which libpq never closes,
 * so that it can never be another file by the time it is shut down.
 */
static int
watch_start(PGconn *conn, const char **keys, const char **vals)
{
	static int ready, registered;
	pthread_condattr_t attr;
	sigset_t all, old;
	int period, rc, i;

	if (dog.running)
		return 0;	/* one at a time: the first stays watched */
	if ((period = watch_period(conn)) <= 0)
		return period;
	if (!ready) {
		if ((rc = pthread_condattr_init(&attr)) != 0) {
			errno = rc;
			return -1;
		}
		if ((rc = pthread_condattr_setclock(&attr,
		    CLOCK_MONOTONIC)) == 0)
			rc = pthread_cond_init(&dog.wake, &attr);
		pthread_condattr_destroy(&attr);
		if (rc != 0) {
			errno = rc;
			return -1;
		}
		ready = 1;
	}
	/* exit(3) must not unload libpq and OpenSSL under a check */
	if (!registered) {
		if (atexit(watch_stop) != 0) {
			errno = ENOMEM;
			return -1;
		}
		registered = 1;
	}
	if ((dog.sock = fcntl(PQsocket(conn), F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	for (i = 0; i < NPARAMS; i++) {
		ping_keys[i] = keys[i];
		ping_vals[i] = vals[i];
		if (keys[i] == NULL)
			break;
	}
	snprintf(ping_name, sizeof(ping_name), "%s liveness check", vals[0]);
	ping_vals[0] = ping_name;
	dog.conn = conn;
	dog.period = period;
	dog.closing = 0;
	dog.fired = 0;
	/* signals stay the main thread's business */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&dog.thread, NULL, watch, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close(dog.sock);
		dog.sock = -1;
		dog.conn = NULL;
		errno = rc;
		return -1;
	}
	dog.running = 1;
	return 0;
}

/* Stop the thread, at once unless a check is under way, and wait for it. */
static void
watch_stop(void)
{
	if (!dog.running)
		return;
	pthread_mutex_lock(&dog.lock);
	dog.closing = 1;
	pthread_cond_signal(&dog.wake);
	pthread_mutex_unlock(&dog.lock);
	pthread_join(dog.thread, NULL);
	dog.running = 0;
	close(dog.sock);
	dog.sock = -1;
	dog.conn = NULL;
	dog.fired = 0;
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
		} else if (c >= 0x80 && (k = json_utf8_len(p + i, n - i)) == 0) {
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

/* The message for a connection the watchdog shut down, in buf. */
static const char *
stalled_error(char *buf, size_t size)
{
	double silent;

	pthread_mutex_lock(&dog.lock);
	silent = dog.silent;
	pthread_mutex_unlock(&dog.lock);
	snprintf(buf, size, "the server did not answer for %.0f s "
	    "(checked with a new connection)", silent);
	return buf;
}

const char *
pg_error(PGconn *conn, char *buf, size_t size)
{
	if (stalled(conn))
		return stalled_error(buf, size);
	return first_line(PQerrorMessage(conn), buf, size);
}

const char *
pg_result_error(const PGresult *res, char *buf, size_t size)
{
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	if (stalled(NULL))
		return stalled_error(buf, size);
	return first_line(primary != NULL ? primary :
	    PQresultErrorMessage(res), buf, size);
}
