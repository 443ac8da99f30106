/*
 * mongo-export: a collection as NDJSON, one document per line, from a
 * find or an aggregation pipeline; or, with --group-by, the sums of the
 * sale records grouped by the server, as rows agg-by-* --merge finishes.
 */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "mongo.h"
#include "ndjson.h"

enum group { G_NONE, G_DAY, G_STATE, G_CITY, G_MODE };

static int	 canonical;

static bson_t	*json_arg(const char *, const char *);
static bson_t	*group_pipeline(enum group, const bson_t *, int);
static int	 export_groups_apart(struct mongo *, enum group, const bson_t *,
		    struct ndjson_writer *, long long *);
static void	 put_group_row(struct ndjson_writer *, enum group,
		    const bson_t *, const char **);
static void	 usage(int) __attribute__((noreturn));

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "query",	required_argument,	NULL, 'q' },
		{ "fields",	required_argument,	NULL, 'f' },
		{ "sort",	required_argument,	NULL, 's' },
		{ "limit",	required_argument,	NULL, 'l' },
		{ "skip",	required_argument,	NULL, 'k' },
		{ "batch-size",	required_argument,	NULL, 'b' },
		{ "pipeline",	required_argument,	NULL, 'P' },
		{ "group-by",	required_argument,	NULL, 'g' },
		{ "canonical",	no_argument,		NULL, 'c' },
		{ "timeout",	required_argument,	NULL, 'T' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const char *query = NULL, *fields = NULL, *sort = NULL;
	const char *pipeline = NULL, *why = NULL;
	long long limit = -1, skip = -1, batch = -1;
	enum group group = G_NONE;
	struct mongo m;
	struct ndjson_writer *w;
	mongoc_cursor_t *cursor;
	const bson_t *doc;
	bson_t *filter = NULL, *stages = NULL, opts = BSON_INITIALIZER;
	bson_t everything = BSON_INITIALIZER;
	bson_error_t error;
	long long written = 0;
	int ch, timeout = 5, status;
	char msg[512];

	while ((ch = getopt_long(argc, argv, "q:f:s:l:k:b:P:g:cT:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'q':
			query = optarg;
			break;
		case 'f':
			fields = optarg;
			break;
		case 's':
			sort = optarg;
			break;
		case 'l':
			limit = (long long)cli_number("--limit", optarg, 0,
			    LLONG_MAX);
			break;
		case 'k':
			skip = (long long)cli_number("--skip", optarg, 0,
			    LLONG_MAX);
			break;
		case 'b':
			batch = (long long)cli_number("--batch-size", optarg,
			    1, 1000000);
			break;
		case 'P':
			pipeline = optarg;
			break;
		case 'g':
			if (strcmp(optarg, "day") == 0)
				group = G_DAY;
			else if (strcmp(optarg, "state") == 0)
				group = G_STATE;
			else if (strcmp(optarg, "city") == 0)
				group = G_CITY;
			else if (strcmp(optarg, "mode") == 0)
				group = G_MODE;
			else
				errx(EX_USAGE, "--group-by: day, state, city "
				    "or mode, not %s", optarg);
			break;
		case 'c':
			canonical = 1;
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
	if (optind != argc) {
		warnx("unexpected argument: %s", argv[optind]);
		usage(EX_USAGE);
	}
	if (pipeline != NULL && (query || fields || sort || limit >= 0 ||
	    skip >= 0 || group != G_NONE))
		errx(EX_USAGE, "--pipeline does its own filtering: no "
		    "--query, --fields, --sort, --limit, --skip or --group-by");
	if (group != G_NONE && (fields || sort || limit >= 0 || skip >= 0 ||
	    batch > 0 || canonical))
		errx(EX_USAGE, "--group-by takes only --query");

	if (query != NULL)
		filter = json_arg("--query", query);
	if (fields != NULL) {
		bson_t proj;
		const char *p = fields;

		BSON_APPEND_DOCUMENT_BEGIN(&opts, "projection", &proj);
		while (*p != '\0') {
			size_t n = strcspn(p, ",");

			if (n > 0)
				bson_append_int32(&proj, p, (int)n, 1);
			p += n + (p[n] == ',');
		}
		bson_append_document_end(&opts, &proj);
	}
	if (sort != NULL) {
		bson_t *s = json_arg("--sort", sort);

		BSON_APPEND_DOCUMENT(&opts, "sort", s);
		bson_destroy(s);
	}
	if (limit >= 0)
		BSON_APPEND_INT64(&opts, "limit", limit);
	if (skip >= 0)
		BSON_APPEND_INT64(&opts, "skip", skip);
	if (batch > 0)
		BSON_APPEND_INT32(&opts, "batchSize", (int32_t)batch);
	if (pipeline != NULL)
		stages = json_arg("--pipeline", pipeline);
	else if (group != G_NONE)
		stages = group_pipeline(group, filter, -1);

	if ((status = mongo_open(&m, "mongo-export", timeout * 1000, msg,
	    sizeof(msg))) != 0)
		errx(status, "%s", msg);
	if (group != G_NONE && m.ferretdb) {
		if ((w = ndjson_writer_new(STDOUT_FILENO)) == NULL)
			err(EX_SOFTWARE, NULL);
		status = export_groups_apart(&m, group, filter, w, &written);
		if (ndjson_writer_free(w) == -1) {
			warn("stdout");
			status = EX_IOERR;
		}
		bson_destroy(&opts);
		if (filter != NULL)
			bson_destroy(filter);
		bson_destroy(stages);
		mongo_close(&m);
		mongoc_cleanup();
		return status;
	}
	if (stages != NULL)
		cursor = mongoc_collection_aggregate(m.coll,
		    MONGOC_QUERY_NONE, stages, &opts, NULL);
	else
		cursor = mongoc_collection_find_with_opts(m.coll,
		    filter != NULL ? filter : &everything, &opts, NULL);
	if ((w = ndjson_writer_new(STDOUT_FILENO)) == NULL)
		err(EX_SOFTWARE, NULL);
	while (mongoc_cursor_next(cursor, &doc)) {
		if (group != G_NONE) {
			put_group_row(w, group, doc, &why);
			if (why != NULL)
				break;
		} else {
			mongo_put_json(w, doc, canonical);
			ndjson_putc(w, '\n');
		}
		written++;
	}
	status = 0;
	if (why != NULL) {
		warnx("the server's row %lld: %s", written + 1, why);
		status = EX_DATAERR;
	} else if (mongoc_cursor_error(cursor, &error)) {
		status = mongo_failure_status(&error);
		warnx("%s after %lld document%s: %s", status == EX_TEMPFAIL ?
		    "cut short" : "failed", written, written == 1 ? "" : "s",
		    error.message);
	}
	mongoc_cursor_destroy(cursor);
	if (ndjson_writer_free(w) == -1) {
		warn("stdout");
		status = EX_IOERR;
	}
	bson_destroy(&opts);
	if (filter != NULL)
		bson_destroy(filter);
	if (stages != NULL)
		bson_destroy(stages);
	mongo_close(&m);
	mongoc_cleanup();
	return status;
}

/* A JSON option value (or @FILE) as BSON; an array becomes {"pipeline":}. */
static bson_t *
json_arg(const char *opt, const char *arg)
{
	bson_error_t error;
	char *text = NULL, *wrapped;
	bson_t *doc;
	size_t n;

	if (arg[0] == '@') {
		FILE *fp = fopen(arg + 1, "r");
		size_t cap = 0;
		ssize_t k;

		if (fp == NULL)
			err(EX_IOERR, "%s", arg + 1);
		n = 0;
		while ((k = getdelim(&text, &cap, '\0', fp)) > 0)
			n += (size_t)k;
		if (ferror(fp))
			err(EX_IOERR, "%s", arg + 1);
		fclose(fp);
		if (text == NULL)
			text = strdup("");
		arg = text;
	}
	n = strspn(arg, " \t\r\n");
	if (arg[n] == '[') {
		if (asprintf(&wrapped, "{\"pipeline\": %s}", arg) == -1)
			err(EX_SOFTWARE, NULL);
		doc = bson_new_from_json((const uint8_t *)wrapped, -1, &error);
		free(wrapped);
	} else {
		doc = bson_new_from_json((const uint8_t *)arg, -1, &error);
	}
	if (doc == NULL)
		errx(EX_USAGE, "%s: %s", opt, error.message);
	free(text);
	return doc;
}

static const char *const measure_names[] = { "total_vendas", "total_faturado",
    "quantidade_motos_vendidas", "registros" };
static const char *const measure_fields[] = { "$total_vendas",
    "$total_faturado", "$quantidade_moto_mais_vendida", NULL };

/*
 * {$match}, then {$group} with $sum only (what every MongoDB-wire server,
 * FerretDB included, supports), keyed as agg-by-* --merge reads them: all
 * four sums, or (measure >= 0) that one alone, sorted by key.
 */
static bson_t *
group_pipeline(enum group group, const bson_t *filter, int measure)
{
	bson_t *p = bson_new(), stages, stage, g, id, sum, by;
	int n = 0, i;
	char key[16];

	BSON_APPEND_ARRAY_BEGIN(p, "pipeline", &stages);
	if (filter != NULL) {
		snprintf(key, sizeof(key), "%d", n++);
		BSON_APPEND_DOCUMENT_BEGIN(&stages, key, &stage);
		BSON_APPEND_DOCUMENT(&stage, "$match", filter);
		bson_append_document_end(&stages, &stage);
	}
	snprintf(key, sizeof(key), "%d", n++);
	BSON_APPEND_DOCUMENT_BEGIN(&stages, key, &stage);
	BSON_APPEND_DOCUMENT_BEGIN(&stage, "$group", &g);
	switch (group) {
	case G_DAY:
		BSON_APPEND_UTF8(&g, "_id", "$data_venda");
		break;
	case G_STATE:
		BSON_APPEND_UTF8(&g, "_id", "$estado");
		break;
	case G_CITY:
		BSON_APPEND_DOCUMENT_BEGIN(&g, "_id", &id);
		BSON_APPEND_UTF8(&id, "estado", "$estado");
		BSON_APPEND_UTF8(&id, "cidade", "$cidade");
		bson_append_document_end(&g, &id);
		break;
	default:
		BSON_APPEND_UTF8(&g, "_id", "$modalidade");
		break;
	}
	for (i = 0; i < 4; i++) {
		if (measure >= 0 && i != measure)
			continue;
		BSON_APPEND_DOCUMENT_BEGIN(&g, measure_names[i], &sum);
		if (measure_fields[i] != NULL)
			BSON_APPEND_UTF8(&sum, "$sum", measure_fields[i]);
		else
			BSON_APPEND_INT32(&sum, "$sum", 1);
		bson_append_document_end(&g, &sum);
	}
	bson_append_document_end(&stage, &g);
	bson_append_document_end(&stages, &stage);
	if (measure >= 0) {
		snprintf(key, sizeof(key), "%d", n++);
		BSON_APPEND_DOCUMENT_BEGIN(&stages, key, &stage);
		BSON_APPEND_DOCUMENT_BEGIN(&stage, "$sort", &by);
		BSON_APPEND_INT32(&by, "_id", 1);
		bson_append_document_end(&stage, &by);
		bson_append_document_end(&stages, &stage);
	}
	bson_append_array_end(p, &stages);
	return p;
}

/*
 * FerretDB 1.x gives every $group accumulator after the first no documents
 * (its issue 4616), so there each sum is asked for on its own, sorted by
 * key, and the four answers are read in step.
 */
static int
export_groups_apart(struct mongo *m, enum group group, const bson_t *filter,
    struct ndjson_writer *w, long long *written)
{
	mongoc_cursor_t *cursor[4];
	const bson_t *doc[4];
	bson_error_t error;
	const char *why = NULL;
	int i, more, status = 0;

	for (i = 0; i < 4; i++) {
		bson_t *p = group_pipeline(group, filter, i);

		cursor[i] = mongoc_collection_aggregate(m->coll,
		    MONGOC_QUERY_NONE, p, NULL, NULL);
		bson_destroy(p);
	}
	for (;;) {
		bson_t row = BSON_INITIALIZER, id0 = BSON_INITIALIZER;
		bson_iter_t it;

		for (i = 0, more = 0; i < 4; i++)
			more += mongoc_cursor_next(cursor[i], &doc[i]);
		if (more == 0)
			break;
		for (i = 0; i < 4 && more == 4; i++) {
			bson_t id = BSON_INITIALIZER;

			if (bson_iter_init_find(&it, doc[i], "_id"))
				bson_append_iter(i == 0 ? &id0 : &id, "_id",
				    3, &it);
			if (i > 0 && !bson_equal(&id0, &id))
				more = 0;
			bson_destroy(&id);
			if (bson_iter_init_find(&it, doc[i], measure_names[i]))
				bson_append_iter(&row, measure_names[i], -1,
				    &it);
		}
		if (more != 4) {
			bson_destroy(&row);
			bson_destroy(&id0);
			why = "the collection changed while it was read";
			status = EX_TEMPFAIL;
			break;
		}
		bson_concat(&row, &id0);
		put_group_row(w, group, &row, &why);
		bson_destroy(&row);
		bson_destroy(&id0);
		if (why != NULL) {
			status = EX_DATAERR;
			break;
		}
		(*written)++;
	}
	for (i = 0; i < 4; i++) {
		if (status == 0 && mongoc_cursor_error(cursor[i], &error)) {
			status = mongo_failure_status(&error);
			warnx("%s after %lld row%s: %s", status == EX_TEMPFAIL ?
			    "cut short" : "failed", *written,
			    *written == 1 ? "" : "s", error.message);
		}
		mongoc_cursor_destroy(cursor[i]);
	}
	if (why != NULL)
		warnx("the server's row %lld: %s", *written + 1, why);
	return status;
}

static void
put_group_row(struct ndjson_writer *w, enum group group, const bson_t *doc,
    const char **why)
{
	const char *const *names = measure_names;
	bson_iter_t it, key;
	int64_t v[4];
	int i;

	*why = NULL;
	for (i = 0; i < 4; i++) {
		if (!bson_iter_init_find(&it, doc, names[i]) ||
		    mongo_sum(&it, i == 1 ? 100 : 1, &v[i]) == -1) {
			*why = "a sum is missing or not a number";
			return;
		}
	}
	if (!bson_iter_init_find(&it, doc, "_id")) {
		*why = "no _id";
		return;
	}
	ndjson_putc(w, '{');
	switch (group) {
	case G_DAY:
		ndjson_puts(w, "\"data_venda\":");
		mongo_put_value(w, &it, 0);
		break;
	case G_CITY:
		ndjson_puts(w, "\"estado\":");
		if (BSON_ITER_HOLDS_DOCUMENT(&it) &&
		    bson_iter_recurse(&it, &key) &&
		    bson_iter_find(&key, "estado"))
			mongo_put_value(w, &key, 0);
		else
			ndjson_puts(w, "null");
		ndjson_puts(w, ",\"cidade\":");
		if (BSON_ITER_HOLDS_DOCUMENT(&it) &&
		    bson_iter_recurse(&it, &key) &&
		    bson_iter_find(&key, "cidade"))
			mongo_put_value(w, &key, 0);
		else
			ndjson_puts(w, "null");
		break;
	case G_STATE:
		ndjson_puts(w, "\"estado\":");
		mongo_put_value(w, &it, 0);
		break;
	default:
		ndjson_puts(w, "\"modalidade\":");
		mongo_put_value(w, &it, 0);
		break;
	}
	ndjson_puts(w, ",\"total_vendas\":");
	ndjson_put_int(w, v[0]);
	ndjson_puts(w, ",\"total_faturado\":");
	ndjson_put_cents(w, v[1]);
	ndjson_puts(w, ",\"quantidade_motos_vendidas\":");
	ndjson_put_int(w, v[2]);
	ndjson_puts(w, ",\"registros\":");
	ndjson_put_int(w, v[3]);
	ndjson_puts(w, "}\n");
}

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: mongo-export [-c] [-q query] [-f fields] [-s sort] "
	    "[-l limit] [-k skip]\n"
	    "                    [-b batch-size] [-T timeout]\n"
	    "       mongo-export [-c] -P pipeline [-b batch-size] "
	    "[-T timeout]\n"
	    "       mongo-export -g day|state|city|mode [-q query] "
	    "[-T timeout]\n");
	exit(status);
}
