/*
 * report: the sales dashboard.  Reads aggregate rows (files, or the four
 * tables in PostgreSQL), the raw collection's statistics (MongoDB, or a raw
 * NDJSON file) and the pipeline's run history, and renders them as a
 * terminal summary, one self-contained HTML page, or one JSON document.
 *
 * Inputs fill a struct dashboard (load_*); renderers only read it
 * (render_text, render_json, render_html).
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "agg.h"
#include "cli.h"
#include "date.h"
#include "json.h"
#include "money.h"
#include "mongo.h"
#include "ndjson.h"
#include "pg.h"
#include "sale.h"

enum kind { K_MONTH, K_STATE, K_CITY, K_MODE, K_NKINDS };

struct section {
	const char		*title;
	const char		*table;		/* its PostgreSQL table */
	const char		*key1, *key2;	/* column headings */
	const char		*json1, *json2;	/* JSON keys */
	enum agg_order		 order;
	struct agg_table	*rows;
	struct agg_group	 total;		/* the sum of every row */
	int			 missing;	/* --pg: no such table */
	int			 read;		/* --pg: its table was read */
};

/* What the raw records add up to: from MongoDB or a raw NDJSON file. */
struct raw {
	int			 have;
	char			 source[256];
	long long		 docs;
	int64_t			 newest;	/* newest "timestamp", or 0 */
	int			 has_newest;
	char			 first_day[11], last_day[11];
	int			 has_sums;
	int64_t			 total_vendas, faturado, motos;
};

struct run {
	char			*job, *start, *end, *status, *host;
	long long		 exit, attempt, rows;
	double			 seconds;	/* -1 when not known */
};

#define RUNS_PER_JOB	8

struct job {
	char			*name;
	struct run		 last[RUNS_PER_JOB];	/* newest first */
	int			 n;
	long long		 total, failed;
};

struct dashboard {
	struct section		 sec[K_NKINDS];
	struct raw		 raw;
	struct job		*jobs;
	int			 njobs;
	int			 has_runs;
	time_t			 now;
	int			 refresh;	/* seconds, 0 = none */
	long			 stale_after;	/* minutes */
	int			 stale;
	const char		*title;
};

struct style {
	int			 color;
};

#define BAR_WIDTH	24

static int	 load_rows(struct dashboard *, const char *);
static int	 load_pg(struct dashboard *);
static int	 load_mongo(struct dashboard *, int);
static int	 load_raw(struct dashboard *, const char *);
static int	 load_runs(struct dashboard *, const char *);
static void	 dashboard_free(struct dashboard *);
static void	 render_text(struct dashboard *, FILE *, const struct style *);
static void	 render_text_extra(struct dashboard *, FILE *,
		    const struct style *);
static void	 render_runs_text(struct dashboard *, FILE *,
		    const struct style *);
static void	 render_json(struct dashboard *, FILE *);
static void	 render_html(struct dashboard *, FILE *);
static FILE	*open_output(const char *, char **);
static int	 close_output(FILE *, const char *, char *);
static void	 remove_unpublished(void);
static int	 shown(const struct section *);
static void	 usage(int) __attribute__((noreturn));

static char	*unpublished;	/* -o's temporary file, until close_output */

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "format",	required_argument,	NULL, 'f' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "pg",		no_argument,		NULL, 'P' },
		{ "mongo",	no_argument,		NULL, 'M' },
		{ "raw",	required_argument,	NULL, 'R' },
		{ "runs",	required_argument,	NULL, 'r' },
		{ "refresh",	required_argument,	NULL, 'F' },
		{ "stale-after", required_argument,	NULL, 'S' },
		{ "title",	required_argument,	NULL, 't' },
		{ "timeout",	required_argument,	NULL, 'T' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	static const struct section init[K_NKINDS] = {
		{ .title = "Vendas por ano/mês", .table = "vendas_por_ano_mes",
		    .key1 = "Ano/mês", .json1 = "ano_mes",
		    .order = AGG_BY_KEY },
		{ .title = "Vendas por estado", .table = "vendas_por_estado",
		    .key1 = "Estado", .json1 = "estado",
		    .order = AGG_BY_VENDAS },
		{ .title = "Vendas por cidade", .table = "vendas_por_cidade",
		    .key1 = "Estado", .key2 = "Cidade", .json1 = "estado",
		    .json2 = "cidade", .order = AGG_BY_VENDAS },
		{ .title = "Vendas por modalidade",
		    .table = "vendas_por_modalidade", .key1 = "Modalidade",
		    .json1 = "modalidade", .order = AGG_BY_VENDAS },
	};
	struct dashboard d;
	struct style st;
	const char *format = "text", *output = NULL, *raw = NULL;
	const char *runs = NULL, *nocolor;
	char *tmp = NULL;
	int ch, i, pg = 0, mongo = 0, timeout = 5, status = 0;
	FILE *out;

	memset(&d, 0, sizeof(d));
	d.refresh = 60;
	d.stale_after = 15;
	d.title = "Vendas de motocicletas";
	while ((ch = getopt_long(argc, argv, "f:o:t:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "html") != 0 &&
			    strcmp(optarg, "json") != 0)
				errx(EX_USAGE, "--format: text, html or json, "
				    "not %s", optarg);
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'P':
			pg = 1;
			break;
		case 'M':
			mongo = 1;
			break;
		case 'R':
			raw = optarg;
			break;
		case 'r':
			runs = optarg;
			break;
		case 'F':
			d.refresh = (int)cli_number("--refresh", optarg, 0,
			    86400);
			break;
		case 'S':
			d.stale_after = (long)cli_number("--stale-after",
			    optarg, 0, 525600);
			break;
		case 't':
			d.title = optarg;
			break;
		case 'T':
			timeout = (int)cli_number("--timeout", optarg, 1,
			    3600);
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
	if (raw != NULL && mongo)
		errx(EX_USAGE, "--raw and --mongo: give one source of raw "
		    "statistics");

	memcpy(d.sec, init, sizeof(d.sec));
	for (i = 0; i < K_NKINDS; i++)
		if ((d.sec[i].rows = agg_new()) == NULL)
			err(EX_SOFTWARE, NULL);
	d.now = time(NULL);
	/* aggregate rows from stdin unless another input is named */
	if (argc == 0 && !pg && !mongo && raw == NULL && runs == NULL)
		status = load_rows(&d, "-");
	for (i = 0; i < argc && status == 0; i++)
		status = load_rows(&d, argv[i]);
	if (status == 0 && pg)
		status = load_pg(&d);
	if (status == 0 && mongo)
		status = load_mongo(&d, timeout);
	if (status == 0 && raw != NULL)
		status = load_raw(&d, raw);
	if (status == 0 && runs != NULL)
		status = load_runs(&d, runs);
	if (status != 0) {
		dashboard_free(&d);
		return status;
	}
	d.stale = d.raw.has_newest && d.stale_after > 0 &&
	    d.now - d.raw.newest > d.stale_after * 60;

	if ((out = open_output(output, &tmp)) == NULL) {
		status = cli_errno_status();
		dashboard_free(&d);
		return status;
	}
	nocolor = getenv("NO_COLOR");
	st.color = output == NULL && isatty(STDOUT_FILENO) &&
	    (nocolor == NULL || *nocolor == '\0');
	if (strcmp(format, "html") == 0)
		render_html(&d, out);
	else if (strcmp(format, "json") == 0)
		render_json(&d, out);
	else
		render_text(&d, out, &st);
	status = close_output(out, output, tmp);
	dashboard_free(&d);
	return status;
}

/* Add one aggregate row to its section: NULL, or why not. */
static const char *
add_row(struct dashboard *d, enum kind k, const char *k1, size_t n1,
    const char *k2, size_t n2, const struct sale *s)
{
	struct agg_group *g;

	if ((g = agg_find(d->sec[k].rows, k1, n1, k2, n2)) == NULL)
		err(EX_SOFTWARE, NULL);
	if (agg_add(g, s->total_vendas, s->faturado, s->qtd_motos,
	    s->registros) == -1 || agg_add(&d->sec[k].total,
	    s->total_vendas, s->faturado, s->qtd_motos, s->registros) == -1)
		return "a sum overflows";
	return NULL;
}

/* Add the aggregate rows of one file to their sections. */
static int
load_rows(struct dashboard *d, const char *path)
{
	const unsigned need = SALE_BIT(SALE_TOTAL_VENDAS) |
	    SALE_BIT(SALE_TOTAL_FATURADO) | SALE_BIT(SALE_QTD_MOTOS) |
	    SALE_BIT(SALE_REGISTROS);
	const unsigned want = need | SALE_BIT(SALE_ANO_MES) |
	    SALE_BIT(SALE_ESTADO) | SALE_BIT(SALE_CIDADE) |
	    SALE_BIT(SALE_MODALIDADE);
	struct ndjson_reader *r;
	struct sale_parser *p;
	struct sale s;
	char *line;
	size_t len;
	int rc, status = 0;

	if ((r = ndjson_open(path)) == NULL)
		return cli_read_error(path);
	if ((p = sale_parser_new()) == NULL)
		err(EX_SOFTWARE, NULL);
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		const char *why = NULL;
		char month[8];

		if (sale_parse(p, line, len, want, need, &s) == -1) {
			why = sale_error(p);
		} else if (s.have & SALE_BIT(SALE_ANO_MES)) {
			snprintf(month, sizeof(month), "%04d-%02d", s.year,
			    s.month);
			why = add_row(d, K_MONTH, month, 7, "", 0, &s);
		} else if (s.have & SALE_BIT(SALE_ESTADO)) {
			if (s.have & SALE_BIT(SALE_CIDADE))
				why = add_row(d, K_CITY, s.estado.s,
				    s.estado.n, s.cidade.s, s.cidade.n, &s);
			else
				why = add_row(d, K_STATE, s.estado.s,
				    s.estado.n, "", 0, &s);
		} else if (s.have & SALE_BIT(SALE_MODALIDADE)) {
			why = add_row(d, K_MODE, s.modalidade.s,
			    s.modalidade.n, "", 0, &s);
		} else {
			why = "missing \"ano_mes\", \"estado\" or "
			    "\"modalidade\"";
		}
		if (why != NULL) {
			warnx("%s:%llu: %s", ndjson_name(r),
			    (unsigned long long)ndjson_lineno(r), why);
			status = EX_DATAERR;
			break;
		}
	}
	if (rc == -1)
		status = cli_read_error(path);
	sale_parser_free(p);
	ndjson_close(r);
	return status;
}

/* A numeric column's text as cents or units: 0, or -1. */
static int
pg_number(const char *text, int cents, int64_t *v)
{
	size_t n = strlen(text);

	return (cents ? money_parse(text, n, v) :
	    money_parse_int(text, n, v)) == MONEY_OK ? 0 : -1;
}

/* The four tables through PG_URI; a table that is not there is noted. */
static int
load_pg(struct dashboard *d)
{
	PGconn *conn;
	PGresult *res;
	char sql[512], msg[512], *where;
	int k, i;

	if ((conn = pg_connect("report")) == NULL)
		err(EX_SOFTWARE, NULL);
	if (PQstatus(conn) != CONNECTION_OK) {
		where = pg_redact(getenv("PG_URI"));
		warnx("cannot connect to %s: %s", where ? where : "PostgreSQL",
		    pg_error(conn, msg, sizeof(msg)));
		free(where);
		pg_close(conn);
		return EX_UNAVAILABLE;
	}
	for (k = 0; k < K_NKINDS; k++) {
		struct section *sec = &d->sec[k];

		{
			const char *params[1] = { sec->table };

			res = PQexecParams(conn,
			    "SELECT to_regclass($1) IS NOT NULL", 1, NULL,
			    params, NULL, NULL, 0);
		}
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			warnx("%s: %s", sec->table, pg_result_error(res, msg,
			    sizeof(msg)));
			k = pg_failure_status(conn, res);
			PQclear(res);
			pg_close(conn);
			return k;
		}
		sec->missing = PQgetvalue(res, 0, 0)[0] != 't';
		sec->read = !sec->missing;
		PQclear(res);
		if (sec->missing)
			continue;
		snprintf(sql, sizeof(sql), "SELECT %s%s, total_vendas, "
		    "total_faturado, quantidade_motos_vendidas, registros "
		    "FROM %s", sec->json1, k == K_CITY ? ", cidade" : "",
		    sec->table);
		res = PQexec(conn, sql);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			int status = pg_failure_status(conn, res);

			warnx("%s: %s", sec->table, pg_result_error(res, msg,
			    sizeof(msg)));
			PQclear(res);
			pg_close(conn);
			return status;
		}
		for (i = 0; i < PQntuples(res); i++) {
			struct sale s;
			int c = k == K_CITY ? 2 : 1;
			const char *why = NULL;

			memset(&s, 0, sizeof(s));
			if (pg_number(PQgetvalue(res, i, c), 0,
			    &s.total_vendas) == -1 ||
			    pg_number(PQgetvalue(res, i, c + 1), 1,
			    &s.faturado) == -1 ||
			    pg_number(PQgetvalue(res, i, c + 2), 0,
			    &s.qtd_motos) == -1 ||
			    pg_number(PQgetvalue(res, i, c + 3), 0,
			    &s.registros) == -1)
				why = "a measure is not a number";
			else
				why = add_row(d, (enum kind)k,
				    PQgetvalue(res, i, 0),
				    (size_t)PQgetlength(res, i, 0),
				    k == K_CITY ? PQgetvalue(res, i, 1) : "",
				    k == K_CITY ?
				    (size_t)PQgetlength(res, i, 1) : 0, &s);
			if (why != NULL) {
				warnx("%s: row %d: %s", sec->table, i + 1,
				    why);
				PQclear(res);
				pg_close(conn);
				return EX_DATAERR;
			}
		}
		PQclear(res);
	}
	pg_close(conn);
	return 0;
}

/* An ISO 8601 instant, a day, or a $date as epoch seconds: 0, or -1. */
static int
instant_of(const bson_iter_t *it, int64_t *secs)
{
	const char *s;
	uint32_t n;
	int y, m, dd;

	if (BSON_ITER_HOLDS_DATE_TIME(it)) {
		int64_t ms = bson_iter_date_time(it);

		*secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
		return 0;
	}
	if (!BSON_ITER_HOLDS_UTF8(it))
		return -1;
	s = bson_iter_utf8(it, &n);
	if (date_parse_instant(s, n, secs) == 0)
		return 0;
	if (date_parse(s, n, &y, &m, &dd) == 0) {
		*secs = date_to_days(y, m, dd) * 86400;
		return 0;
	}
	return -1;
}

/* The UTC day of an instant, as YYYY-MM-DD. */
static void
day_from(int64_t secs, char out[11])
{
	int y, m, d;

	date_from_days(secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400),
	    &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static void
day_of(const bson_iter_t *it, char out[11])
{
	int64_t secs;

	if (instant_of(it, &secs) == -1)
		out[0] = '\0';
	else
		day_from(secs, out);
}

/* A sum of the $group's answer, in units or cents: 0, or -1. */
static int
group_sum(const bson_t *doc, const char *key, int64_t scale, int64_t *out,
    bson_error_t *error)
{
	bson_iter_t it;

	*out = 0;
	if (bson_iter_init_find(&it, doc, key) &&
	    mongo_sum(&it, scale, out) == 0)
		return 0;
	bson_set_error(error, 0, 0, "the sum of %s is no number", key);
	return -1;
}

/*
 * Every statistic from one $group: 1 when done, 0 when the server cannot
 * (FerretDB 1.x has no $min or $max there, and gives every accumulator
 * after the first no document: its issue 4616), -1 on an error.  The count
 * is asked first and last, so that a server that drops accumulators is
 * caught rather than believed.
 */
static int
raw_grouped(struct mongo *m, struct raw *raw, bson_error_t *error)
{
	bson_t *pipeline;
	mongoc_cursor_t *cursor;
	const bson_t *doc;
	bson_iter_t it;
	int64_t n = 0, again = 0;
	int rc = 1;

	pipeline = BCON_NEW("pipeline", "[", "{", "$group", "{",
	    "_id", BCON_NULL,
	    "n", "{", "$sum", BCON_INT32(1), "}",
	    "newest", "{", "$max", BCON_UTF8("$timestamp"), "}",
	    "first", "{", "$min", BCON_UTF8("$data_venda"), "}",
	    "last", "{", "$max", BCON_UTF8("$data_venda"), "}",
	    "total_vendas", "{", "$sum", BCON_UTF8("$total_vendas"), "}",
	    "total_faturado", "{", "$sum", BCON_UTF8("$total_faturado"), "}",
	    "quantidade_moto_mais_vendida", "{", "$sum",
	    BCON_UTF8("$quantidade_moto_mais_vendida"), "}",
	    "again", "{", "$sum", BCON_INT32(1), "}",
	    "}", "}", "]");
	cursor = mongoc_collection_aggregate(m->coll, MONGOC_QUERY_NONE,
	    pipeline, NULL, NULL);
	/* no document at all: an empty collection */
	if (mongoc_cursor_next(cursor, &doc)) {
		if (group_sum(doc, "n", 1, &n, error) == -1 ||
		    group_sum(doc, "again", 1, &again, error) == -1)
			rc = 0;
		else if (n != again)
			rc = 0;
		else if (group_sum(doc, "total_vendas", 1, &raw->total_vendas,
		    error) == -1 || group_sum(doc, "total_faturado", 100,
		    &raw->faturado, error) == -1 || group_sum(doc,
		    "quantidade_moto_mais_vendida", 1, &raw->motos, error) == -1)
			rc = -1;
		if (rc == 1) {
			raw->docs = n;
			if (bson_iter_init_find(&it, doc, "newest") &&
			    instant_of(&it, &raw->newest) == 0)
				raw->has_newest = 1;
			if (bson_iter_init_find(&it, doc, "first"))
				day_of(&it, raw->first_day);
			if (bson_iter_init_find(&it, doc, "last"))
				day_of(&it, raw->last_day);
		}
	}
	if (mongoc_cursor_error(cursor, error))
		rc = error->domain == MONGOC_ERROR_SERVER ||
		    error->domain == MONGOC_ERROR_QUERY ? 0 : -1;
	mongoc_cursor_destroy(cursor);
	bson_destroy(pipeline);
	return rc;
}

/* Add a number of a document to a raw sum, as $sum would: 0, or -1. */
static int
scan_add(const bson_iter_t *it, const char *key, int64_t scale,
    int64_t *sum, bson_error_t *error)
{
	int64_t v;

	/* $sum leaves out what is no number; so does this */
	if (!BSON_ITER_HOLDS_NUMBER(it) && !BSON_ITER_HOLDS_DECIMAL128(it))
		return 0;
	if (mongo_sum(it, scale, &v) == -1) {
		bson_set_error(error, 0, 0, "a %s is out of range", key);
		return -1;
	}
	if (money_add(sum, v) == -1) {
		bson_set_error(error, 0, 0, "the sum of %s overflows", key);
		return -1;
	}
	return 0;
}

/*
 * Every statistic from one find that reads the five fields of every
 * document, added up here: money to the cent of each document.
 */
static int
raw_scanned(struct mongo *m, struct raw *raw, bson_error_t *error)
{
	bson_t filter = BSON_INITIALIZER, *opts;
	mongoc_cursor_t *cursor;
	const bson_t *doc;
	int64_t secs, first = 0, last = 0;
	int days = 0, rc = 0;

	opts = BCON_NEW("projection", "{", "_id", BCON_INT32(0),
	    "timestamp", BCON_INT32(1), "data_venda", BCON_INT32(1),
	    "total_vendas", BCON_INT32(1), "total_faturado", BCON_INT32(1),
	    "quantidade_moto_mais_vendida", BCON_INT32(1), "}");
	cursor = mongoc_collection_find_with_opts(m->coll, &filter, opts,
	    NULL);
	raw->docs = raw->total_vendas = raw->faturado = raw->motos = 0;
	raw->has_newest = 0;
	raw->first_day[0] = raw->last_day[0] = '\0';
	while (rc == 0 && mongoc_cursor_next(cursor, &doc)) {
		bson_iter_t it;

		raw->docs++;
		if (!bson_iter_init(&it, doc))
			continue;
		while (rc == 0 && bson_iter_next(&it)) {
			const char *key = bson_iter_key(&it);

			if (strcmp(key, "timestamp") == 0) {
				if (instant_of(&it, &secs) == 0 &&
				    (!raw->has_newest || secs > raw->newest)) {
					raw->newest = secs;
					raw->has_newest = 1;
				}
			} else if (strcmp(key, "data_venda") == 0) {
				if (instant_of(&it, &secs) == 0) {
					if (!days || secs < first)
						first = secs;
					if (!days || secs > last)
						last = secs;
					days = 1;
				}
			} else if (strcmp(key, "total_vendas") == 0) {
				rc = scan_add(&it, key, 1, &raw->total_vendas,
				    error);
			} else if (strcmp(key, "total_faturado") == 0) {
				rc = scan_add(&it, key, 100, &raw->faturado,
				    error);
			} else if (strcmp(key,
			    "quantidade_moto_mais_vendida") == 0) {
				rc = scan_add(&it, key, 1, &raw->motos, error);
			}
		}
	}
	if (rc == 0 && mongoc_cursor_error(cursor, error))
		rc = -1;
	if (rc == 0 && days) {
		day_from(first, raw->first_day);
		day_from(last, raw->last_day);
	}
	mongoc_cursor_destroy(cursor);
	bson_destroy(opts);
	bson_destroy(&filter);
	return rc;
}

/*
 * The raw collection's statistics, in one pass over the collection: one
 * $group where the server computes it right, else one find.
 */
static int
load_mongo(struct dashboard *d, int timeout)
{
	struct mongo m;
	struct raw *raw = &d->raw;
	bson_error_t error;
	char msg[512];
	int status, rc;

	if ((status = mongo_open(&m, "report", timeout * 1000, msg,
	    sizeof(msg))) != 0) {
		warnx("%s", msg);
		return status;
	}
	raw->have = 1;
	snprintf(raw->source, sizeof(raw->source), "MongoDB %s.%s", m.db,
	    m.name);
	if ((rc = raw_grouped(&m, raw, &error)) == 0)
		rc = raw_scanned(&m, raw, &error);
	if (rc == -1) {
		status = mongo_failure_status(&error);
		warnx("%s: %s", raw->source, error.message);
		mongo_close(&m);
		return status;
	}
	raw->has_sums = 1;
	mongo_close(&m);
	return 0;
}

/* The same statistics from a raw NDJSON file. */
static int
load_raw(struct dashboard *d, const char *path)
{
	const unsigned want = SALE_BIT(SALE_DATA_VENDA) |
	    SALE_BIT(SALE_TOTAL_VENDAS) | SALE_BIT(SALE_TOTAL_FATURADO) |
	    SALE_BIT(SALE_QTD_MOTO) | SALE_BIT(SALE_TIMESTAMP);
	struct raw *raw = &d->raw;
	struct ndjson_reader *r;
	struct sale_parser *p;
	struct sale s;
	char *line, day[11];
	size_t len;
	int rc, status = 0;

	if ((r = ndjson_open(path)) == NULL)
		return cli_read_error(path);
	if ((p = sale_parser_new()) == NULL)
		err(EX_SOFTWARE, NULL);
	raw->have = raw->has_sums = 1;
	snprintf(raw->source, sizeof(raw->source), "%s", ndjson_name(r));
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		const char *why = NULL;

		/* a field the record lacks adds nothing, as with $sum */
		if (sale_parse(p, line, len, want, 0, &s) == -1)
			why = sale_error(p);
		else if (((s.have & SALE_BIT(SALE_TOTAL_VENDAS)) &&
		    money_add(&raw->total_vendas, s.total_vendas)) ||
		    ((s.have & SALE_BIT(SALE_TOTAL_FATURADO)) &&
		    money_add(&raw->faturado, s.faturado)) ||
		    ((s.have & SALE_BIT(SALE_QTD_MOTO)) &&
		    money_add(&raw->motos, s.qtd_moto)))
			why = "a sum overflows";
		if (why != NULL) {
			warnx("%s:%llu: %s", ndjson_name(r),
			    (unsigned long long)ndjson_lineno(r), why);
			status = EX_DATAERR;
			break;
		}
		raw->docs++;
		if ((s.have & SALE_BIT(SALE_TIMESTAMP)) &&
		    (!raw->has_newest || s.timestamp > raw->newest)) {
			raw->newest = s.timestamp;
			raw->has_newest = 1;
		}
		if (s.have & SALE_BIT(SALE_DATA_VENDA)) {
			snprintf(day, sizeof(day), "%04d-%02d-%02d", s.year,
			    s.month, s.day);
			if (raw->first_day[0] == '\0' ||
			    strcmp(day, raw->first_day) < 0)
				memcpy(raw->first_day, day, sizeof(day));
			if (strcmp(day, raw->last_day) > 0)
				memcpy(raw->last_day, day, sizeof(day));
		}
	}
	if (rc == -1)
		status = cli_read_error(path);
	sale_parser_free(p);
	ndjson_close(r);
	return status;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		err(EX_SOFTWARE, NULL);
	return p;
}

static struct job *
job_named(struct dashboard *d, const char *name)
{
	int i;

	for (i = 0; i < d->njobs; i++)
		if (strcmp(d->jobs[i].name, name) == 0)
			return &d->jobs[i];
	d->jobs = reallocarray(d->jobs, (size_t)d->njobs + 1,
	    sizeof(*d->jobs));
	if (d->jobs == NULL)
		err(EX_SOFTWARE, NULL);
	memset(&d->jobs[d->njobs], 0, sizeof(d->jobs[0]));
	d->jobs[d->njobs].name = xstrndup(name, strlen(name));
	return &d->jobs[d->njobs++];
}

static void
run_free(struct run *r)
{
	free(r->job);
	free(r->start);
	free(r->end);
	free(r->status);
	free(r->host);
}

/* Free what d holds (at exit: valgrind then sees no leak). */
static void
dashboard_free(struct dashboard *d)
{
	int i, k;

	for (i = 0; i < K_NKINDS; i++)
		agg_free(d->sec[i].rows);
	for (i = 0; i < d->njobs; i++) {
		for (k = 0; k < d->jobs[i].n; k++)
			run_free(&d->jobs[i].last[k]);
		free(d->jobs[i].name);
	}
	free(d->jobs);
}

/* One run record: 0, or -1 with why. */
static int
parse_run(struct json_scan *js, const char *line, size_t len, struct run *r,
    const char **why)
{
	struct json_str key, v;
	int64_t n, a, b;
	int rc;

	memset(r, 0, sizeof(*r));
	r->seconds = -1;
	if (json_begin(js, line, len) == -1)
		err(EX_SOFTWARE, NULL);
	if (json_open_object(js) == -1)
		goto bad_json;
	while ((rc = json_next_key(js, &key)) == 1) {
		char **str = NULL;
		long long *num = NULL;

		if (key.n == 3 && memcmp(key.s, "job", 3) == 0)
			str = &r->job;
		else if (key.n == 5 && memcmp(key.s, "start", 5) == 0)
			str = &r->start;
		else if (key.n == 3 && memcmp(key.s, "end", 3) == 0)
			str = &r->end;
		else if (key.n == 6 && memcmp(key.s, "status", 6) == 0)
			str = &r->status;
		else if (key.n == 4 && memcmp(key.s, "host", 4) == 0)
			str = &r->host;
		else if (key.n == 4 && memcmp(key.s, "exit", 4) == 0)
			num = &r->exit;
		else if (key.n == 7 && memcmp(key.s, "attempt", 7) == 0)
			num = &r->attempt;
		else if (key.n == 4 && memcmp(key.s, "rows", 4) == 0)
			num = &r->rows;
		if (str != NULL && json_peek(js) == JSON_STRING) {
			if (json_string(js, &v) == -1)
				goto bad_json;
			free(*str);
			*str = xstrndup(v.s, v.n);
		} else if (num != NULL && json_peek(js) == JSON_NUMBER) {
			if (json_number(js, &v) == -1)
				goto bad_json;
			if (money_parse_int(v.s, v.n, &n) != MONEY_OK) {
				*why = "a count is not an integer";
				return -1;
			}
			*num = n;
		} else if (json_skip(js) == -1) {
			goto bad_json;
		}
	}
	if (rc == -1 || json_end(js) == -1)
		goto bad_json;
	if (r->job == NULL || r->status == NULL) {
		*why = "missing \"job\" or \"status\"";
		return -1;
	}
	if (r->start != NULL && r->end != NULL &&
	    date_parse_instant(r->start, strlen(r->start), &a) == 0 &&
	    date_parse_instant(r->end, strlen(r->end), &b) == 0)
		r->seconds = (double)(b - a);
	return 0;
bad_json:
	*why = "invalid JSON";
	return -1;
}

/* The run history: the last RUNS_PER_JOB runs of each job. */
static int
load_runs(struct dashboard *d, const char *path)
{
	struct json_scan js;
	struct ndjson_reader *r;
	struct run run;
	const char *why = NULL;
	char *line;
	size_t len;
	int rc, i, status = 0;

	memset(&js, 0, sizeof(js));
	d->has_runs = 1;
	if ((r = ndjson_open(path)) == NULL) {
		if (errno == ENOENT)
			return 0;	/* no run yet */
		return cli_read_error(path);
	}
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		struct job *j;

		if (parse_run(&js, line, len, &run, &why) == -1) {
			warnx("%s:%llu: %s", ndjson_name(r),
			    (unsigned long long)ndjson_lineno(r), why);
			run_free(&run);
			status = EX_DATAERR;
			break;
		}
		j = job_named(d, run.job);
		j->total++;
		if (strcmp(run.status, "ok") != 0)
			j->failed++;
		if (j->n == RUNS_PER_JOB)
			run_free(&j->last[--j->n]);
		for (i = j->n; i > 0; i--)
			j->last[i] = j->last[i - 1];
		j->last[0] = run;
		j->n++;
	}
	if (rc == -1)
		status = cli_read_error(path);
	ndjson_close(r);
	json_free(&js);
	return status;
}

/*
 * -o: a temporary file beside the target, renamed over it at the end, so
 * that a reader never sees half a page and a failure keeps the old one.
 * NULL on failure, said, with errno kept.
 */
static FILE *
open_output(const char *path, char **tmp)
{
	char *copy, *dir;
	int fd, saved;
	FILE *fp;

	*tmp = NULL;
	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	if ((copy = strdup(path)) == NULL)
		err(EX_SOFTWARE, NULL);
	dir = dirname(copy);
	if (asprintf(tmp, "%s/.report.XXXXXX", dir) == -1)
		err(EX_SOFTWARE, NULL);
	free(copy);
	/* the reader knows the file it named, not the temporary one */
	if ((fd = mkstemp(*tmp)) == -1) {
		saved = errno;
		warn("%s", path);
		free(*tmp);
		*tmp = NULL;
		errno = saved;
		return NULL;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		saved = errno;
		warn("%s", path);
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		errno = saved;
		return NULL;
	}
	fchmod(fd, 0644);
	/* an error that ends the program before close_output leaves none */
	unpublished = *tmp;
	atexit(remove_unpublished);
	return fp;
}

/* atexit: -o's temporary file, if neither renamed nor removed */
static void
remove_unpublished(void)
{
	if (unpublished != NULL)
		unlink(unpublished);
}

static int
close_output(FILE *fp, const char *path, char *tmp)
{
	int failed, saved = 0;

	failed = fflush(fp) == EOF || ferror(fp);
	if (failed)
		saved = errno;
	if (tmp == NULL) {
		if (failed) {
			errno = saved;
			warn("stdout");
			return EX_IOERR;
		}
		return 0;
	}
	unpublished = NULL;
	if (!failed && fsync(fileno(fp)) == -1) {
		failed = 1;
		saved = errno;
	}
	if (fclose(fp) == EOF && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed && rename(tmp, path) == -1) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		unlink(tmp);
		errno = saved;
		warn("%s", path);
		free(tmp);
		return EX_IOERR;
	}
	free(tmp);
	return 0;
}

/* Integers with '.' between thousands: 1.234.567. */
static void
fmt_int(int64_t v, char *buf, size_t size)
{
	char digits[24];
	size_t n, i, o = 0;
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu",
	    (unsigned long long)mag);
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	for (i = 0; i < n && o + 1 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* Money as R$ 1.234.567,89. */
static void
fmt_money(int64_t cents, char *buf, size_t size)
{
	char units[32];
	uint64_t mag = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;

	fmt_int((int64_t)(mag / 100), units, sizeof(units));
	snprintf(buf, size, "%sR$ %s,%02d", cents < 0 ? "-" : "", units,
	    (int)(mag % 100));
}

/* An instant as ISO 8601 UTC. */
static void
fmt_instant(int64_t secs, char *buf, size_t size)
{
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	int y, m, d;

	date_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
	    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* A duration as "42 s", "3 min 5 s", "2 h 10 min". */
static void
fmt_duration(double secs, char *buf, size_t size)
{
	long s = (long)(secs + 0.5);

	if (secs < 0)
		snprintf(buf, size, "–");
	else if (s < 60)
		snprintf(buf, size, "%ld s", s);
	else if (s < 3600)
		snprintf(buf, size, "%ld min %ld s", s / 60, s % 60);
	else if (s < 2 * 86400)
		snprintf(buf, size, "%ld h %ld min", s / 3600, s / 60 % 60);
	else
		snprintf(buf, size, "%ld dias", s / 86400);
}

/* The integrity check of one section against the raw totals. */
struct check {
	int		 ok[4];		/* vendas, faturado, motos, registros */
	int64_t		 diff[4];	/* table - raw */
	int		 all;
};

static void
check_section(const struct dashboard *d, const struct section *sec,
    struct check *c)
{
	const struct raw *raw = &d->raw;
	int64_t t[4] = { sec->total.total_vendas, sec->total.faturado,
	    sec->total.motos, sec->total.registros };
	int64_t r[4] = { raw->total_vendas, raw->faturado, raw->motos,
	    raw->docs };
	int i;

	c->all = 1;
	for (i = 0; i < 4; i++) {
		c->diff[i] = t[i] - r[i];
		c->ok[i] = c->diff[i] == 0;
		c->all &= c->ok[i];
	}
}

/*
 * A section is shown, and checked, when it has rows, or when its table was
 * looked for in PostgreSQL: an empty table and a missing one are news.
 */
static int
shown(const struct section *sec)
{
	return sec->missing || sec->read || agg_count(sec->rows) > 0;
}


/* Columns a UTF-8 string takes: one per code point. */
static size_t
width(const char *s, size_t len)
{
	size_t w = 0, i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/*
 * Print a string from the data padded to w columns, with control
 * characters (C0, DEL, C1) shown as '?' so data cannot drive the terminal.
 */
static void
put_text(FILE *fp, const char *s, size_t len, size_t w)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, i;

	for (i = 0; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			n++;
		if (p[i] < 0x20 || p[i] == 0x7f) {
			putc('?', fp);
		} else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			putc('?', fp);
			i++;
		} else {
			putc(p[i], fp);
		}
	}
	for (; n < w; n++)
		putc(' ', fp);
}

static void
put_bar(FILE *fp, int64_t v, int64_t max, const struct style *st)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋",
	    "▊", "▉" };
	long long units;
	int i;

	if (max <= 0 || v <= 0)
		return;
	/* eighths of a cell, rounded; at least a sliver for any sale */
	units = (long long)((__int128)v * BAR_WIDTH * 8 * 2 / max + 1) / 2;
	if (units == 0)
		units = 1;
	if (st->color)
		fputs("\033[36m", fp);
	for (i = 0; i < units / 8; i++)
		fputs("█", fp);
	fputs(eighths[units % 8], fp);
	if (st->color)
		fputs("\033[0m", fp);
}

static void
render_section(const struct section *sec, FILE *fp, const struct style *st)
{
	struct agg_group **rows;
	const struct agg_group *total = &sec->total;
	size_t n = agg_count(sec->rows), i, w1, w2 = 0;
	size_t wv = strlen("Vendas"), wf = strlen("Faturamento");
	size_t wm = strlen("Motos"), wr = strlen("Registros");
	char buf[48];
	int64_t max = 0;

	if ((rows = agg_sorted(sec->rows, sec->order)) == NULL)
		err(EX_SOFTWARE, NULL);
	w1 = width(sec->key1, strlen(sec->key1));
	if (w1 < width("Total", 5))
		w1 = width("Total", 5);
	if (sec->key2 != NULL)
		w2 = width(sec->key2, strlen(sec->key2));
	for (i = 0; i < n; i++) {
		const struct agg_group *g = rows[i];

		if (width(g->k1, g->n1) > w1)
			w1 = width(g->k1, g->n1);
		if (sec->key2 != NULL && width(g->k2, g->n2) > w2)
			w2 = width(g->k2, g->n2);
		if (g->faturado > max)
			max = g->faturado;
	}
	fmt_int(total->total_vendas, buf, sizeof(buf));
	if (strlen(buf) > wv)
		wv = strlen(buf);
	fmt_money(total->faturado, buf, sizeof(buf));
	if (strlen(buf) > wf)
		wf = strlen(buf);
	fmt_int(total->motos, buf, sizeof(buf));
	if (strlen(buf) > wm)
		wm = strlen(buf);
	fmt_int(total->registros, buf, sizeof(buf));
	if (strlen(buf) > wr)
		wr = strlen(buf);

	fprintf(fp, "%s%s%s\n\n", st->color ? "\033[1m" : "", sec->title,
	    st->color ? "\033[0m" : "");
	fputs("  ", fp);
	put_text(fp, sec->key1, strlen(sec->key1), w1);
	if (sec->key2 != NULL) {
		fputs("  ", fp);
		put_text(fp, sec->key2, strlen(sec->key2), w2);
	}
	fprintf(fp, "  %*s  %*s  %*s  %*s\n", (int)wv, "Vendas",
	    (int)wf, "Faturamento",
	    (int)wm, "Motos", (int)wr, "Registros");
	for (i = 0; i <= n; i++) {
		const struct agg_group *g = i < n ? rows[i] : total;

		fputs("  ", fp);
		put_text(fp, i < n ? g->k1 : "Total", i < n ? g->n1 : 5, w1);
		if (sec->key2 != NULL) {
			fputs("  ", fp);
			put_text(fp, g->k2, i < n ? g->n2 : 0, w2);
		}
		fmt_int(g->total_vendas, buf, sizeof(buf));
		fprintf(fp, "  %*s", (int)wv, buf);
		fmt_money(g->faturado, buf, sizeof(buf));
		fprintf(fp, "  %*s", (int)wf, buf);
		fmt_int(g->motos, buf, sizeof(buf));
		fprintf(fp, "  %*s", (int)wm, buf);
		fmt_int(g->registros, buf, sizeof(buf));
		fprintf(fp, "  %*s", (int)wr, buf);
		if (i < n && g->faturado > 0) {
			fputs("  ", fp);
			put_bar(fp, g->faturado, max, st);
		}
		putc('\n', fp);
	}
}

static void
render_text(struct dashboard *d, FILE *fp, const struct style *st)
{
	int i, first = 1;

	for (i = 0; i < K_NKINDS; i++) {
		const struct section *sec = &d->sec[i];

		if (!shown(sec))
			continue;
		if (!first)
			putc('\n', fp);
		first = 0;
		if (!sec->missing && agg_count(sec->rows) > 0) {
			render_section(sec, fp, st);
			continue;
		}
		/* a table that --pg found missing or empty */
		fprintf(fp, "%s%s%s\n\n  %sA tabela %s %s.%s\n",
		    st->color ? "\033[1m" : "", sec->title,
		    st->color ? "\033[0m" : "", st->color ? "\033[31m" : "",
		    sec->table, sec->missing ? "não existe no PostgreSQL" :
		    "está vazia", st->color ? "\033[0m" : "");
	}
	render_text_extra(d, fp, st);
}


/* The raw statistics, the integrity check and the runs, as text. */
static void
render_text_extra(struct dashboard *d, FILE *fp, const struct style *st)
{
	char buf[64], buf2[64];
	int k;

	if (d->raw.have) {
		fprintf(fp, "\n%sDados brutos%s (", st->color ? "\033[1m" :
		    "", st->color ? "\033[0m" : "");
		put_text(fp, d->raw.source, strlen(d->raw.source), 0);
		fputs(")\n\n", fp);
		fmt_int(d->raw.docs, buf, sizeof(buf));
		fprintf(fp, "  Documentos   %s\n", buf);
		if (d->raw.has_sums) {
			fmt_int(d->raw.total_vendas, buf, sizeof(buf));
			fprintf(fp, "  Vendas       %s\n", buf);
			fmt_money(d->raw.faturado, buf, sizeof(buf));
			fprintf(fp, "  Faturamento  %s\n", buf);
			fmt_int(d->raw.motos, buf, sizeof(buf));
			fprintf(fp, "  Motos        %s\n", buf);
		}
		if (d->raw.first_day[0] != '\0')
			fprintf(fp, "  Datas        %s a %s\n", d->raw.first_day,
			    d->raw.last_day);
		if (d->raw.has_newest) {
			fmt_instant(d->raw.newest, buf, sizeof(buf));
			fprintf(fp, "  Dados de     %s%s\n", buf, d->stale ?
			    "  (desatualizados)" : "");
		}
	}
	if (d->raw.has_sums) {
		int header = 0;

		for (k = 0; k < K_NKINDS; k++) {
			const struct section *sec = &d->sec[k];
			struct check c;

			if (!shown(sec))
				continue;
			if (!header)
				fprintf(fp, "\n%sIntegridade%s\n\n",
				    st->color ? "\033[1m" : "",
				    st->color ? "\033[0m" : "");
			header = 1;
			fprintf(fp, "  %-22s ", sec->table);
			if (sec->missing) {
				fprintf(fp, "%sausente%s\n", st->color ?
				    "\033[31m" : "", st->color ? "\033[0m" :
				    "");
				continue;
			}
			check_section(d, sec, &c);
			if (c.all) {
				fprintf(fp, "%sok%s\n", st->color ?
				    "\033[32m" : "", st->color ? "\033[0m" :
				    "");
				continue;
			}
			fmt_money(c.diff[1], buf2, sizeof(buf2));
			fprintf(fp, "%sdiferente%s: vendas %+lld, faturamento "
			    "%s%s, motos %+lld, registros %+lld\n", st->color ?
			    "\033[31m" : "", st->color ? "\033[0m" : "",
			    (long long)c.diff[0], c.diff[1] > 0 ? "+" : "", buf2,
			    (long long)c.diff[2], (long long)c.diff[3]);
		}
	}
	if (d->has_runs && d->njobs > 0)
		render_runs_text(d, fp, st);
}

/* Own text right-aligned in w columns (characters, not bytes). */
static void
put_right(FILE *fp, const char *s, size_t w)
{
	size_t n;

	for (n = width(s, strlen(s)); n < w; n++)
		putc(' ', fp);
	put_text(fp, s, strlen(s), 0);
}

static void
widen(size_t *w, const char *s)
{
	if (s != NULL && width(s, strlen(s)) > *w)
		*w = width(s, strlen(s));
}

/*
 * The last run of each job: columns as wide as their widest entry, two
 * blanks apart (the minimum widths keep the usual lines as they were).
 */
static void
render_runs_text(struct dashboard *d, FILE *fp, const struct style *st)
{
	size_t wj = 9, ws = 20, wd = 12, wt = 7, wa = 3, wr = 9, n;
	char buf[64];
	int i;

	for (i = 0; i < d->njobs; i++) {
		const struct run *r = &d->jobs[i].last[0];

		widen(&wj, r->job);
		widen(&ws, r->start);
		fmt_duration(r->seconds, buf, sizeof(buf));
		widen(&wd, buf);
		widen(&wt, r->status);
		snprintf(buf, sizeof(buf), "%lld", r->attempt);
		widen(&wa, buf);
		fmt_int(r->rows, buf, sizeof(buf));
		widen(&wr, buf);
	}
	fprintf(fp, "\n%sExecuções%s\n\n  ", st->color ? "\033[1m" : "",
	    st->color ? "\033[0m" : "");
	put_text(fp, "Job", 3, wj);
	fputs("  ", fp);
	put_text(fp, "Início", strlen("Início"), ws);
	fputs("  ", fp);
	put_right(fp, "Duração", wd);
	fputs("  ", fp);
	put_text(fp, "Estado", 6, wt);
	fputs("  ", fp);
	put_right(fp, "#", wa);
	fputs("  ", fp);
	put_right(fp, "Linhas", wr);
	putc('\n', fp);
	for (i = 0; i < d->njobs; i++) {
		const struct run *r = &d->jobs[i].last[0];
		int bad = strcmp(r->status, "ok") != 0;

		fputs("  ", fp);
		put_text(fp, r->job, strlen(r->job), wj);
		fputs("  ", fp);
		put_text(fp, r->start ? r->start : "",
		    r->start ? strlen(r->start) : 0, ws);
		fmt_duration(r->seconds, buf, sizeof(buf));
		fputs("  ", fp);
		put_right(fp, buf, wd);
		fputs("  ", fp);
		if (bad && st->color)
			fputs("\033[31m", fp);
		put_text(fp, r->status, strlen(r->status), 0);
		if (bad && st->color)
			fputs("\033[0m", fp);
		/* the padding after the colour */
		n = width(r->status, strlen(r->status));
		fprintf(fp, "%*s", n < wt ? (int)(wt - n) : 0, "");
		fputs("  ", fp);
		snprintf(buf, sizeof(buf), "%lld", r->attempt);
		put_right(fp, buf, wa);
		fputs("  ", fp);
		fmt_int(r->rows, buf, sizeof(buf));
		put_right(fp, buf, wr);
		putc('\n', fp);
	}
}

/* The C1 control character (U+0080 to U+009F) at s[0..n), or -1. */
static int
c1_at(const char *s, size_t n)
{
	if (n >= 2 && (unsigned char)s[0] == 0xc2 &&
	    (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
		return (unsigned char)s[1];
	return -1;
}

/* s[0..n) as a JSON string literal, control characters escaped. */
static void
json_str(FILE *fp, const char *s, size_t n)
{
	size_t i;
	int c1;

	putc('"', fp);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else if ((c1 = c1_at(s + i, n - i)) != -1) {
			fprintf(fp, "\\u%04x", (unsigned)c1);
			i++;
		} else
			putc(c, fp);
	}
	putc('"', fp);
}

static void
json_cstr(FILE *fp, const char *s)
{
	if (s == NULL)
		fputs("null", fp);
	else
		json_str(fp, s, strlen(s));
}

static void
json_measures(FILE *fp, const struct agg_group *g)
{
	char cents[MONEY_FMTLEN + 1];

	money_format(g->faturado, cents);
	fprintf(fp, "\"total_vendas\":%lld,\"total_faturado\":%s,"
	    "\"quantidade_motos_vendidas\":%lld,\"registros\":%lld",
	    (long long)g->total_vendas, cents, (long long)g->motos,
	    (long long)g->registros);
}

static void
render_json(struct dashboard *d, FILE *fp)
{
	char buf[64];
	int i, k, j, first;

	fputs("{\"title\":", fp);
	json_cstr(fp, d->title);
	fmt_instant(d->now, buf, sizeof(buf));
	fprintf(fp, ",\"generated_at\":\"%s\",\"data_as_of\":", buf);
	if (d->raw.has_newest) {
		fmt_instant(d->raw.newest, buf, sizeof(buf));
		fprintf(fp, "\"%s\"", buf);
	} else {
		fputs("null", fp);
	}
	fprintf(fp, ",\"stale\":%s,\"stale_after_minutes\":%ld,\"raw\":",
	    d->stale ? "true" : "false", d->stale_after);
	if (d->raw.have) {
		fputs("{\"source\":", fp);
		json_cstr(fp, d->raw.source);
		fprintf(fp, ",\"documentos\":%lld,\"primeiro_dia\":",
		    d->raw.docs);
		json_cstr(fp, d->raw.first_day[0] ? d->raw.first_day : NULL);
		fputs(",\"ultimo_dia\":", fp);
		json_cstr(fp, d->raw.last_day[0] ? d->raw.last_day : NULL);
		if (d->raw.has_sums) {
			struct agg_group g;

			memset(&g, 0, sizeof(g));
			g.total_vendas = d->raw.total_vendas;
			g.faturado = d->raw.faturado;
			g.motos = d->raw.motos;
			g.registros = d->raw.docs;
			putc(',', fp);
			json_measures(fp, &g);
		}
		putc('}', fp);
	} else {
		fputs("null", fp);
	}
	fputs(",\"tables\":{", fp);
	for (k = 0, first = 1; k < K_NKINDS; k++) {
		struct section *sec = &d->sec[k];
		struct agg_group **rows;
		size_t n = agg_count(sec->rows), r;

		if (!shown(sec))
			continue;
		if (!first)
			putc(',', fp);
		first = 0;
		if ((rows = agg_sorted(sec->rows, sec->order)) == NULL)
			err(EX_SOFTWARE, NULL);
		fprintf(fp, "\"%s\":{\"missing\":%s,\"rows\":[", sec->table,
		    sec->missing ? "true" : "false");
		for (r = 0; r < n; r++) {
			fprintf(fp, "%s{\"%s\":", r ? "," : "", sec->json1);
			json_str(fp, rows[r]->k1, rows[r]->n1);
			if (sec->json2 != NULL) {
				fprintf(fp, ",\"%s\":", sec->json2);
				json_str(fp, rows[r]->k2, rows[r]->n2);
			}
			putc(',', fp);
			json_measures(fp, rows[r]);
			putc('}', fp);
		}
		fputs("],\"total\":{", fp);
		json_measures(fp, &sec->total);
		fputs("}}", fp);
	}
	fputs("},\"integrity\":", fp);
	if (d->raw.has_sums) {
		putc('[', fp);
		for (k = 0, first = 1; k < K_NKINDS; k++) {
			struct check c;

			if (!shown(&d->sec[k]))
				continue;
			if (d->sec[k].missing) {
				fprintf(fp, "%s{\"table\":\"%s\",\"ok\":false,"
				    "\"difference\":null}", first ? "" : ",",
				    d->sec[k].table);
				first = 0;
				continue;
			}
			check_section(d, &d->sec[k], &c);
			money_format(c.diff[1], buf);
			fprintf(fp, "%s{\"table\":\"%s\",\"ok\":%s,"
			    "\"difference\":{\"total_vendas\":%lld,"
			    "\"total_faturado\":%s,"
			    "\"quantidade_motos_vendidas\":%lld,"
			    "\"registros\":%lld}}", first ? "" : ",",
			    d->sec[k].table, c.all ? "true" : "false",
			    (long long)c.diff[0], buf, (long long)c.diff[2],
			    (long long)c.diff[3]);
			first = 0;
		}
		putc(']', fp);
	} else {
		fputs("null", fp);
	}
	fputs(",\"runs\":", fp);
	if (!d->has_runs) {
		fputs("null}\n", fp);
		return;
	}
	putc('[', fp);
	for (i = 0; i < d->njobs; i++) {
		struct job *job = &d->jobs[i];

		fprintf(fp, "%s{\"job\":", i ? "," : "");
		json_cstr(fp, job->name);
		fprintf(fp, ",\"runs\":%lld,\"failed\":%lld,\"last\":[",
		    job->total, job->failed);
		for (j = 0; j < job->n; j++) {
			const struct run *r = &job->last[j];

			fputs(j ? ",{\"start\":" : "{\"start\":", fp);
			json_cstr(fp, r->start);
			fputs(",\"end\":", fp);
			json_cstr(fp, r->end);
			fputs(",\"status\":", fp);
			json_cstr(fp, r->status);
			fprintf(fp, ",\"exit\":%lld,\"attempt\":%lld,"
			    "\"rows\":%lld,\"host\":", r->exit, r->attempt,
			    r->rows);
			json_cstr(fp, r->host);
			putc('}', fp);
		}
		fputs("]}", fp);
	}
	fputs("]}\n", fp);
}

/* s[0..n) with &, <, >, " and ' escaped, control characters as U+FFFD. */
static void
html_n(FILE *fp, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fputs("\xef\xbf\xbd", fp);
			else if (c1_at(s + i, n - i) != -1) {
				fputs("\xef\xbf\xbd", fp);
				i++;
			} else
				putc(c, fp);
		}
	}
}

static void
html(FILE *fp, const char *s)
{
	html_n(fp, s, strlen(s));
}

/* printf for the page's own text; never for data. */
static void
out(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
out(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
}

/* Money in a few characters for chart labels: R$ 1,2 bi, R$ 35 mi. */
static void
fmt_money_short(int64_t cents, char *buf, size_t size)
{
	static const struct {
		double		 scale;
		const char	*unit;
	} units[] = { { 1e9, "bi" }, { 1e6, "mi" }, { 1e3, "mil" } };
	double v = (double)cents / 100;
	size_t i;
	char *comma;

	for (i = 0; i < 3; i++)
		if (v >= units[i].scale) {
			snprintf(buf, size, v / units[i].scale >= 100 ?
			    "R$ %.0f %s" : "R$ %.1f %s", v / units[i].scale,
			    units[i].unit);
			if ((comma = strchr(buf, '.')) != NULL)
				*comma = ',';
			return;
		}
	fmt_money(cents, buf, size);
}

static const char css[] =
":root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--muted:#5d6778;"
"--line:#dde1e8;--bar:#2f6fd6;--ok:#167a3e;--okbg:#e3f4e9;--bad:#b42318;"
"--badbg:#fde8e6;--warn:#8a5a00;--warnbg:#fff4d6}\n"
"@media (prefers-color-scheme:dark){:root{--bg:#11151c;--card:#1a202a;"
"--ink:#e6e9ef;--muted:#9aa4b5;--line:#2c3441;--bar:#6ea0f0;--ok:#5fd08a;"
"--okbg:#143222;--bad:#ff8a80;--badbg:#3a1715;--warn:#f2c45a;"
"--warnbg:#3a2e0c}}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 "
"system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
"sans-serif}\n"
"header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}\n"
"header{padding-top:20px}\n"
"h1{font-size:1.6rem;margin:0 0 4px}\n"
"h2{font-size:1.15rem;margin:0 0 12px}\n"
".meta{color:var(--muted);margin:0 0 12px}\n"
".stale{background:var(--warnbg);color:var(--warn);border:1px solid "
"currentColor;border-radius:8px;padding:8px 12px;font-weight:600}\n"
/* cards grow to their number and wrap, never letting it overflow */
".kpis{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}\n"
".kpi{flex:1 1 200px;background:var(--card);border:1px solid var(--line);"
"border-radius:10px;padding:14px 16px}\n"
".kpi p{margin:0;color:var(--muted);font-size:.85rem}\n"
".kpi strong{display:block;font-size:1.35rem;font-variant-numeric:"
"tabular-nums;white-space:nowrap}\n"
"section.panel{background:var(--card);border:1px solid var(--line);"
"border-radius:10px;padding:16px;margin:16px 0}\n"
"svg{width:100%;height:auto;display:block;margin-bottom:12px;"
"overflow:visible}\n"
"svg text{fill:var(--muted);font-size:12px}\n"
"svg .bar{fill:var(--bar)}\n"
"svg .line{stroke:var(--bar);stroke-width:2.5;fill:none}\n"
"svg .dot{fill:var(--bar)}\n"
"svg .axis{stroke:var(--line)}\n"
".scroll{overflow-x:auto}\n"
"table{border-collapse:collapse;width:100%;font-variant-numeric:"
"tabular-nums}\n"
"caption{text-align:left;color:var(--muted);padding-bottom:6px}\n"
"th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:"
"right;white-space:nowrap}\n"
"th:first-child,td:first-child,.key{text-align:left}\n"
"td.key{white-space:normal}\n"
"thead th{color:var(--muted);font-weight:600}\n"
"tfoot th,tfoot td{font-weight:700;border-bottom:0}\n"
".ok{color:var(--ok);background:var(--okbg)}\n"
".bad{color:var(--bad);background:var(--badbg);font-weight:600}\n"
/* the text columns of the run tables, headings and cells alike */
"#pipeline th:nth-child(3),#pipeline td:nth-child(3),"
"#pipeline th:nth-child(7),#pipeline td:nth-child(7),"
"td[colspan]{text-align:left}\n"
"details summary{cursor:pointer;color:var(--muted);margin:8px 0}\n"
"footer{color:var(--muted);font-size:.85rem;padding-bottom:24px}\n"
"@media (max-width:600px){body{font-size:14px}th,td{padding:5px 4px}"
".kpi strong{font-size:1.2rem}}\n"
"@media print{body{background:#fff;color:#000}section.panel,.kpi{"
"border-color:#999;break-inside:avoid}.stale{border:2px solid #000}"
"details{display:block}}\n";

/* Append s[0..len) to buf[0..*n), as much as fits in size. */
static void
label_add(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	if (len > size - *n)
		len = size - *n;
	memcpy(buf + *n, s, len);
	*n += len;
}

/*
 * A bar's label, "key" or "city (state)", cut to at most max characters
 * with an ellipsis: the bar's tooltip has the whole of it.
 */
static void
hbar_label(FILE *fp, const struct section *sec, const struct agg_group *g,
    size_t max)
{
	char label[512];
	size_t n = 0, i, chars = 0;

	/* by length, not as C strings: a key may hold a NUL */
	if (sec->key2 != NULL) {
		label_add(label, sizeof(label), &n, g->k2, g->n2);
		label_add(label, sizeof(label), &n, " (", 2);
		label_add(label, sizeof(label), &n, g->k1, g->n1);
		label_add(label, sizeof(label), &n, ")", 1);
	} else {
		label_add(label, sizeof(label), &n, g->k1, g->n1);
	}
	if (width(label, n) <= max) {
		html_n(fp, label, n);
		return;
	}
	/* the bytes of the first max - 1 characters, then "…" */
	for (i = 0; i < n; i++)
		if (((unsigned char)label[i] & 0xc0) != 0x80 &&
		    chars++ == max - 1)
			break;
	html_n(fp, label, i);
	out(fp, "…");
}

/* Label widths in the chart's units: 12px text, about 7 a character. */
#define LABEL_UNITS(chars)	((int)(chars) * 7)
#define LABEL_MAX_CHARS		52

/* Horizontal bars: one per row, longest for the largest revenue. */
static void
chart_hbars(FILE *fp, const struct section *sec, struct agg_group **rows,
    size_t n, const char *label)
{
	const int right = 110, bars = 400, bh = 18, gap = 6;
	int64_t max = 1;
	size_t i, chars = 0, c;
	int left, w;
	char buf[64];

	for (i = 0; i < n; i++) {
		if (rows[i]->faturado > max)
			max = rows[i]->faturado;
		c = sec->key2 != NULL ? width(rows[i]->k2, rows[i]->n2) + 2 +
		    width(rows[i]->k1, rows[i]->n1) + 1 :
		    width(rows[i]->k1, rows[i]->n1);
		if (c > chars)
			chars = c;
	}
	/* room for the longest label, up to a limit; bars get the rest */
	if (chars > LABEL_MAX_CHARS)
		chars = LABEL_MAX_CHARS;
	left = LABEL_UNITS(chars) + 16;
	if (left < 120)
		left = 120;
	w = left + bars + right < 720 ? 720 : left + bars + right;
	out(fp, "<svg viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"",
	    w, n * (size_t)(bh + gap) + 8);
	html(fp, label);
	out(fp, "\"><title>");
	html(fp, label);
	out(fp, "</title>\n");
	for (i = 0; i < n; i++) {
		const struct agg_group *g = rows[i];
		int y = 4 + (int)i * (bh + gap);
		double bw = (double)(w - left - right) * (double)g->faturado /
		    (double)max;

		out(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 8, y + 13);
		hbar_label(fp, sec, g, LABEL_MAX_CHARS);
		out(fp, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\" rx=\"3\"><title>", left, y,
		    bw < 1 && g->faturado > 0 ? 1 : bw, bh);
		html_n(fp, g->k1, g->n1);
		if (sec->key2 != NULL) {
			out(fp, " / ");
			html_n(fp, g->k2, g->n2);
		}
		out(fp, ": ");
		fmt_money(g->faturado, buf, sizeof(buf));
		html(fp, buf);
		fmt_money_short(g->faturado, buf, sizeof(buf));
		out(fp, "</title></rect><text x=\"%.1f\" y=\"%d\">", left +
		    bw + 6, y + 13);
		html(fp, buf);
		out(fp, "</text>\n");
	}
	out(fp, "</svg>\n");
}

/* Vertical bars, for the few payment modes. */
static void
chart_vbars(FILE *fp, struct agg_group **rows, size_t n, const char *label)
{
	const int w = 720, h = 240, top = 24, bottom = 40;
	int64_t max = 1;
	size_t i;
	char buf[64];
	double slot = n ? (double)(w - 40) / (double)n : 0;

	for (i = 0; i < n; i++)
		if (rows[i]->faturado > max)
			max = rows[i]->faturado;
	out(fp, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w,
	    h);
	html(fp, label);
	out(fp, "\"><title>");
	html(fp, label);
	out(fp, "</title>\n<line class=\"axis\" x1=\"20\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", h - bottom, w - 20, h - bottom);
	for (i = 0; i < n; i++) {
		const struct agg_group *g = rows[i];
		double bh = (double)(h - top - bottom) * (double)g->faturado /
		    (double)max, x = 20 + slot * (double)i + slot * 0.2;

		out(fp, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\" rx=\"4\"><title>", x,
		    h - bottom - bh, slot * 0.6, bh);
		html_n(fp, g->k1, g->n1);
		fmt_money(g->faturado, buf, sizeof(buf));
		out(fp, ": ");
		html(fp, buf);
		fmt_money_short(g->faturado, buf, sizeof(buf));
		out(fp, "</title></rect><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">", x + slot * 0.3,
		    h - bottom - bh - 6);
		html(fp, buf);
		out(fp, "</text><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">", x + slot * 0.3, h - bottom + 18);
		html_n(fp, g->k1, g->n1);
		out(fp, "</text>\n");
	}
	out(fp, "</svg>\n");
}

/* Months as a time series of revenue. */
static void
chart_line(FILE *fp, struct agg_group **rows, size_t n, const char *label)
{
	const int w = 720, h = 260, left = 90, right = 30, top = 20,
	    bottom = 40;
	int64_t max = 1;
	size_t i;
	char buf[64];
	double step = n > 1 ? (double)(w - left - right) / (double)(n - 1) :
	    0;

	for (i = 0; i < n; i++)
		if (rows[i]->faturado > max)
			max = rows[i]->faturado;
	out(fp, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w,
	    h);
	html(fp, label);
	out(fp, "\"><title>");
	html(fp, label);
	out(fp, "</title>\n<line class=\"axis\" x1=\"%d\" y1=\"%d\" "
	    "x2=\"%d\" y2=\"%d\"/><line class=\"axis\" x1=\"%d\" y1=\"%d\" "
	    "x2=\"%d\" y2=\"%d\"/>\n", left, h - bottom, w - right,
	    h - bottom, left, top, left, h - bottom);
	fmt_money_short(max, buf, sizeof(buf));
	out(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6,
	    top + 4);
	html(fp, buf);
	out(fp, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">R$ 0"
	    "</text>\n<polyline class=\"line\" points=\"", left - 6,
	    h - bottom);
	for (i = 0; i < n; i++)
		out(fp, "%s%.1f,%.1f", i ? " " : "", left + step * (double)i +
		    (n == 1 ? (double)(w - left - right) / 2 : 0),
		    h - bottom - (double)(h - top - bottom) *
		    (double)rows[i]->faturado / (double)max);
	out(fp, "\"/>\n");
	for (i = 0; i < n; i++) {
		double x = left + step * (double)i + (n == 1 ?
		    (double)(w - left - right) / 2 : 0);
		double y = h - bottom - (double)(h - top - bottom) *
		    (double)rows[i]->faturado / (double)max;

		out(fp, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\">"
		    "<title>", x, y);
		html_n(fp, rows[i]->k1, rows[i]->n1);
		fmt_money(rows[i]->faturado, buf, sizeof(buf));
		out(fp, ": ");
		html(fp, buf);
		out(fp, "</title></circle>");
		/* label every month when few, else about a dozen */
		if (n <= 12 || i % ((n + 11) / 12) == 0) {
			out(fp, "<text x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"middle\">", x, h - bottom + 18);
			html_n(fp, rows[i]->k1, rows[i]->n1);
			out(fp, "</text>");
		}
		out(fp, "\n");
	}
	out(fp, "</svg>\n");
}

static void
html_row_cells(FILE *fp, const struct agg_group *g)
{
	char buf[64];

	fmt_int(g->total_vendas, buf, sizeof(buf));
	out(fp, "<td>%s</td>", buf);
	fmt_money(g->faturado, buf, sizeof(buf));
	out(fp, "<td>%s</td>", buf);
	fmt_int(g->motos, buf, sizeof(buf));
	out(fp, "<td>%s</td>", buf);
	fmt_int(g->registros, buf, sizeof(buf));
	out(fp, "<td>%s</td>", buf);
}

static void
html_table_row(FILE *fp, const struct section *sec, const struct agg_group *g)
{
	out(fp, "<tr><th scope=\"row\" class=\"key\">");
	html_n(fp, g->k1, g->n1);
	out(fp, "</th>");
	if (sec->key2 != NULL) {
		out(fp, "<td class=\"key\">");
		html_n(fp, g->k2, g->n2);
		out(fp, "</td>");
	}
	html_row_cells(fp, g);
	out(fp, "</tr>\n");
}

#define TABLE_ROWS	25	/* more go into a <details> */
#define CHART_BARS	20

static void
html_section(FILE *fp, struct section *sec, int k)
{
	struct agg_group **rows;
	size_t n = agg_count(sec->rows), i;
	char label[256];

	out(fp, "<section class=\"panel\" id=\"%s\" aria-labelledby=\"h-%s\">"
	    "\n<h2 id=\"h-%s\">", sec->table, sec->table, sec->table);
	html(fp, sec->title);
	out(fp, "</h2>\n");
	if (sec->missing || n == 0) {
		/* only --pg makes a section without rows */
		out(fp, "<p class=\"bad\">A tabela %s %s.</p>\n</section>\n",
		    sec->table, sec->missing ? "não existe no PostgreSQL" :
		    "está vazia");
		return;
	}
	if ((rows = agg_sorted(sec->rows, sec->order)) == NULL)
		err(EX_SOFTWARE, NULL);
	switch (k) {
	case K_MONTH:
		chart_line(fp, rows, n, "Faturamento por mês");
		break;
	case K_MODE:
		chart_vbars(fp, rows, n, "Faturamento por modalidade");
		break;
	default:
		snprintf(label, sizeof(label), "Faturamento por %s%s",
		    k == K_CITY ? "cidade" : "estado", n > CHART_BARS ?
		    " (os maiores)" : "");
		chart_hbars(fp, sec, rows, n > CHART_BARS ? CHART_BARS : n,
		    label);
		break;
	}
	out(fp, "<div class=\"scroll\"><table>\n<caption>");
	html(fp, sec->title);
	out(fp, " — tabela <code>%s</code></caption>\n<thead><tr>"
	    "<th scope=\"col\">", sec->table);
	html(fp, sec->key1);
	out(fp, "</th>");
	if (sec->key2 != NULL) {
		out(fp, "<th scope=\"col\" class=\"key\">");
		html(fp, sec->key2);
		out(fp, "</th>");
	}
	out(fp, "<th scope=\"col\">Vendas</th><th scope=\"col\">Faturamento"
	    "</th><th scope=\"col\">Motos</th><th scope=\"col\">Registros</th>"
	    "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n && i < TABLE_ROWS; i++)
		html_table_row(fp, sec, rows[i]);
	out(fp, "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>%s",
	    sec->key2 != NULL ? "<td></td>" : "");
	html_row_cells(fp, &sec->total);
	out(fp, "</tr></tfoot>\n</table></div>\n");
	if (n > TABLE_ROWS) {
		out(fp, "<details><summary>Mais %zu linhas</summary>\n"
		    "<div class=\"scroll\"><table>\n<thead><tr>"
		    "<th scope=\"col\">", n - TABLE_ROWS);
		html(fp, sec->key1);
		out(fp, "</th>");
		if (sec->key2 != NULL) {
			out(fp, "<th scope=\"col\" class=\"key\">");
			html(fp, sec->key2);
			out(fp, "</th>");
		}
		out(fp, "<th scope=\"col\">Vendas</th><th scope=\"col\">"
		    "Faturamento</th><th scope=\"col\">Motos</th>"
		    "<th scope=\"col\">Registros</th></tr></thead>\n<tbody>\n");
		for (i = TABLE_ROWS; i < n; i++)
			html_table_row(fp, sec, rows[i]);
		out(fp, "</tbody></table></div></details>\n");
	}
	out(fp, "</section>\n");
}

static void
html_integrity(FILE *fp, struct dashboard *d)
{
	static const char *const what[] = { "Vendas", "Faturamento", "Motos",
	    "Registros" };
	char buf[64];
	int k, i;

	out(fp, "<section class=\"panel\" id=\"integridade\" "
	    "aria-labelledby=\"h-integridade\">\n<h2 id=\"h-integridade\">"
	    "Integridade</h2>\n<div class=\"scroll\"><table>\n<caption>"
	    "Totais de cada tabela comparados com os dados brutos (");
	html(fp, d->raw.source);
	out(fp, ")</caption>\n<thead><tr><th scope=\"col\">Tabela</th>");
	for (i = 0; i < 4; i++)
		out(fp, "<th scope=\"col\">%s</th>", what[i]);
	out(fp, "</tr></thead>\n<tbody>\n");
	for (k = 0; k < K_NKINDS; k++) {
		struct section *sec = &d->sec[k];
		struct check c;

		if (!shown(sec))
			continue;
		out(fp, "<tr><th scope=\"row\"><code>%s</code></th>",
		    sec->table);
		if (sec->missing) {
			out(fp, "<td class=\"bad\" colspan=\"4\">✘ tabela "
			    "ausente</td></tr>\n");
			continue;
		}
		check_section(d, sec, &c);
		for (i = 0; i < 4; i++) {
			if (c.ok[i]) {
				out(fp, "<td class=\"ok\">✔ igual</td>");
				continue;
			}
			if (i == 1)
				fmt_money(c.diff[i], buf, sizeof(buf));
			else
				fmt_int(c.diff[i], buf, sizeof(buf));
			out(fp, "<td class=\"bad\">✘ %s%s</td>",
			    c.diff[i] > 0 ? "+" : "", buf);
		}
		out(fp, "</tr>\n");
	}
	out(fp, "</tbody></table></div>\n</section>\n");
}

static void
html_runs(FILE *fp, struct dashboard *d)
{
	char buf[64];
	int i, j;

	out(fp, "<section class=\"panel\" id=\"pipeline\" "
	    "aria-labelledby=\"h-pipeline\">\n<h2 id=\"h-pipeline\">Pipeline"
	    "</h2>\n");
	if (d->njobs == 0)
		out(fp, "<p class=\"meta\">Nenhuma execução registrada.</p>\n");
	for (i = 0; i < d->njobs; i++) {
		struct job *job = &d->jobs[i];

		out(fp, "<div class=\"scroll\"><table>\n<caption>");
		html(fp, job->name);
		out(fp, ": %lld execuç%s, %lld com falha</caption>\n<thead><tr>"
		    "<th scope=\"col\">Início</th><th scope=\"col\">Duração"
		    "</th><th scope=\"col\">Estado</th><th scope=\"col\">"
		    "Saída</th><th scope=\"col\">Tentativa</th>"
		    "<th scope=\"col\">Linhas</th><th scope=\"col\">Host</th>"
		    "</tr></thead>\n<tbody>\n", job->total,
		    job->total == 1 ? "ão" : "ões", job->failed);
		for (j = 0; j < job->n; j++) {
			const struct run *r = &job->last[j];
			int ok = strcmp(r->status, "ok") == 0;

			out(fp, "<tr><th scope=\"row\">");
			html(fp, r->start != NULL ? r->start : "–");
			fmt_duration(r->seconds, buf, sizeof(buf));
			out(fp, "</th><td>%s</td><td class=\"%s\">%s ", buf,
			    ok ? "ok" : "bad", ok ? "✔" : "✘");
			html(fp, r->status);
			out(fp, "</td><td>%lld</td><td>%lld</td>", r->exit,
			    r->attempt);
			fmt_int(r->rows, buf, sizeof(buf));
			out(fp, "<td>%s</td><td>", buf);
			html(fp, r->host != NULL ? r->host : "");
			out(fp, "</td></tr>\n");
		}
		out(fp, "</tbody></table></div>\n");
	}
	out(fp, "</section>\n");
}

static void
html_kpi(FILE *fp, const char *label, const char *value)
{
	out(fp, "<div class=\"kpi\"><p>%s</p><strong>", label);
	html(fp, value);
	out(fp, "</strong></div>\n");
}

static void
render_html(struct dashboard *d, FILE *fp)
{
	const struct agg_group *tot = NULL;
	char buf[64], asof[64];
	int k;

	for (k = 0; k < K_NKINDS && tot == NULL; k++)
		if (agg_count(d->sec[k].rows) > 0)
			tot = &d->sec[k].total;
	out(fp, "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"color-scheme\" content=\"light dark\">\n");
	if (d->refresh > 0)
		out(fp, "<meta http-equiv=\"refresh\" content=\"%d\">\n",
		    d->refresh);
	out(fp, "<title>");
	html(fp, d->title);
	out(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
	    "<h1>", css);
	html(fp, d->title);
	fmt_instant(d->now, buf, sizeof(buf));
	out(fp, "</h1>\n<p class=\"meta\">Gerado em <time datetime=\"%s\">%s"
	    "</time>", buf, buf);
	if (d->raw.has_newest) {
		fmt_instant(d->raw.newest, asof, sizeof(asof));
		out(fp, " · dados de <time datetime=\"%s\">%s</time>", asof,
		    asof);
	}
	if (d->refresh > 0)
		out(fp, " · atualiza a cada %d s", d->refresh);
	out(fp, "</p>\n");
	if (d->stale) {
		fmt_duration((double)(d->now - d->raw.newest), buf,
		    sizeof(buf));
		out(fp, "<p class=\"stale\" role=\"alert\">Dados desatualizados:"
		    " o registro mais recente é de %s atrás (limite: %ld min)."
		    "</p>\n", buf, d->stale_after);
	}
	out(fp, "</header>\n<main>\n<section class=\"kpis\" "
	    "aria-label=\"Indicadores\">\n");
	if (d->raw.have) {
		fmt_int(d->raw.docs, buf, sizeof(buf));
		html_kpi(fp, "Documentos brutos", buf);
	}
	if (tot != NULL || d->raw.has_sums) {
		fmt_int(tot ? tot->total_vendas : d->raw.total_vendas, buf,
		    sizeof(buf));
		html_kpi(fp, "Vendas", buf);
		fmt_money(tot ? tot->faturado : d->raw.faturado, buf,
		    sizeof(buf));
		html_kpi(fp, "Faturamento", buf);
		fmt_int(tot ? tot->motos : d->raw.motos, buf, sizeof(buf));
		html_kpi(fp, "Motos (mais vendidas)", buf);
	}
	out(fp, "</section>\n");
	for (k = 0; k < K_NKINDS; k++)
		if (shown(&d->sec[k]))
			html_section(fp, &d->sec[k], k);
	if (d->raw.has_sums)
		html_integrity(fp, d);
	if (d->has_runs)
		html_runs(fp, d);
	out(fp, "</main>\n<footer><p>dataops report %s", DATAOPS_VERSION);
	if (d->raw.have) {
		out(fp, " · dados brutos: ");
		html(fp, d->raw.source);
	}
	out(fp, "</p></footer>\n</body>\n</html>\n");
}

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: report [-f text|html|json] [-o file] [--pg] [--mongo] "
	    "[--raw file]\n"
	    "              [--runs file] [--refresh seconds] "
	    "[--stale-after minutes]\n"
	    "              [-t title] [--timeout seconds] [file ...]\n");
	exit(status);
}
