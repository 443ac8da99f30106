/*
 * mongo-load: insert NDJSON records (MongoDB extended JSON) into a
 * collection with unordered bulk writes.  A document whose _id is already
 * there counts as loaded, so loading a file again is harmless: that is how
 * a load cut short is finished.
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "json.h"
#include "mongo.h"
#include "ndjson.h"
#include "reject.h"
#include "spool.h"

#define DUPLICATE_KEY	11000
#define BATCH_BYTES	(8 * 1024 * 1024)
#define FERRETDB_UPDATES 32	/* updates per command at most, on FerretDB */
#define MAX_DOCUMENT	(16 * 1024 * 1024)	/* maxBsonObjectSize */

enum mode { M_INSERT, M_UPSERT, M_MERGE };

/* One input, checked: its name, and its copy when it is read only once. */
struct input {
	char	*name;
	int	 spool;		/* descriptor of the copy, or -1 */
};

/* The lines of the batch being built, to name them in errors. */
struct batch {
	mongoc_bulk_operation_t	*bulk;
	const char		*name;
	uint64_t		*lineno;
	size_t			*off, *len;
	char			*text;
	size_t			 n, cap, bytes, textcap;
};

struct counts {
	long long		 read, inserted, updated, present;
};

static struct mongo	 m;
static enum mode	 mode = M_INSERT;
static struct rejects	 rej;
static struct counts	 total;
static size_t		 batch_size = 1000;
static int		 stream;	/* send as lines are read, no check first */
static int		 progress;

static int	 check(const char *, struct input *);
static int	 load(const char *, struct input *);
static void	 usage(int) __attribute__((noreturn));

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "mode",	required_argument,	NULL, 'm' },
		{ "drop",	no_argument,		NULL, 'd' },
		{ "batch-size",	required_argument,	NULL, 'b' },
		{ "timeout",	required_argument,	NULL, 'T' },
		{ "max-errors",	required_argument,	NULL, 'e' },
		{ "rejects",	required_argument,	NULL, 'r' },
		{ "progress",	no_argument,		NULL, 'p' },
		{ "stream",	no_argument,		NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct timespec t0, t1;
	const char *rejects_path = NULL, *mode_arg = NULL;
	long long max_errors = 0;
	struct input *in;
	int ch, i, drop = 0, timeout = 5, status = 0;
	char why[512];

	while ((ch = getopt_long(argc, argv, "m:db:T:e:r:psh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (mode_arg != NULL && strcmp(mode_arg, optarg) != 0)
				errx(EX_USAGE, "--mode %s and --mode %s: "
				    "give one", mode_arg, optarg);
			mode_arg = optarg;
			if (strcmp(optarg, "insert") == 0)
				mode = M_INSERT;
			else if (strcmp(optarg, "upsert") == 0)
				mode = M_UPSERT;
			else if (strcmp(optarg, "merge") == 0)
				mode = M_MERGE;
			else
				errx(EX_USAGE, "--mode: insert, upsert or "
				    "merge, not %s", optarg);
			break;
		case 's':
			stream = 1;
			break;
		case 'd':
			drop = 1;
			break;
		case 'b':
			batch_size = cli_number("--batch-size", optarg, 1,
			    100000);
			break;
		case 'T':
			timeout = (int)cli_number("--timeout", optarg, 1,
			    3600);
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
	if (reject_open(&rej, rejects_path, max_errors) == -1)
		err(cli_errno_status(), "%s", rejects_path);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((status = mongo_open(&m, "mongo-load", timeout * 1000, why,
	    sizeof(why))) != 0)
		errx(status, "%s", why);
	/*
	 * FerretDB 1.x holds a connection of its pool (100) for each update
	 * of a command until the command ends: one of 100 updates or more
	 * never ends, and the server hangs.
	 */
	if (m.ferretdb && mode != M_INSERT && batch_size > FERRETDB_UPDATES)
		batch_size = FERRETDB_UPDATES;
	/*
	 * Every input is checked before anything is written, so that a bad
	 * line leaves the collection as it was.
	 */
	if (argc == 0) {
		static char *stdin_only[] = { "-", NULL };

		argc = 1;
		argv = stdin_only;
	}
	if ((in = calloc((size_t)argc, sizeof(*in))) == NULL)
		err(EX_SOFTWARE, NULL);
	for (i = 0; i < argc && status == 0; i++)
		status = stream ? 0 : check(argv[i], &in[i]);
	if (drop && status == 0) {
		bson_error_t error;

		if (!mongoc_collection_drop_with_opts(m.coll, NULL, &error) &&
		    error.code != 26)	/* NamespaceNotFound: nothing to drop */
			errx(mongo_failure_status(&error), "--drop: %s",
			    error.message);
	}
	for (i = 0; i < argc && status == 0; i++)
		status = load(argv[i], &in[i]);
	if (reject_close(&rej) == -1 && status == 0)
		status = EX_IOERR;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cli_progress_end();
	warnx("%lld read, %lld inserted, %lld updated, %lld already present, "
	    "%lld rejected in %.2f s", total.read, total.inserted,
	    total.updated, total.present, rej.count,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; i < argc; i++)
		free(in[i].name);
	free(in);
	mongo_close(&m);
	mongoc_cleanup();
	return status;
}

static void
batch_reset(struct batch *b)
{
	bson_t opts = BSON_INITIALIZER;

	BSON_APPEND_BOOL(&opts, "ordered", false);
	if (b->bulk != NULL)
		mongoc_bulk_operation_destroy(b->bulk);
	b->bulk = mongoc_collection_create_bulk_operation_with_opts(m.coll,
	    &opts);
	bson_destroy(&opts);
	b->n = 0;
	b->bytes = 0;
}

static void
batch_keep(struct batch *b, uint64_t lineno, const char *line, size_t len)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		if ((b->lineno = reallocarray(b->lineno, b->cap,
		    sizeof(*b->lineno))) == NULL ||
		    (b->off = reallocarray(b->off, b->cap,
		    sizeof(*b->off))) == NULL ||
		    (b->len = reallocarray(b->len, b->cap,
		    sizeof(*b->len))) == NULL)
			err(EX_SOFTWARE, NULL);
	}
	if (b->textcap - b->bytes < len) {
		while (b->textcap - b->bytes < len)
			b->textcap = b->textcap ? b->textcap * 2 : 65536;
		if ((b->text = realloc(b->text, b->textcap)) == NULL)
			err(EX_SOFTWARE, NULL);
	}
	memcpy(b->text + b->bytes, line, len);
	b->lineno[b->n] = lineno;
	b->off[b->n] = b->bytes;
	b->len[b->n] = len;
	b->bytes += len;
	b->n++;
}

static long long
reply_count(const bson_t *reply, const char *key)
{
	bson_iter_t it;

	if (bson_iter_init_find(&it, reply, key) &&
	    BSON_ITER_HOLDS_NUMBER(&it))
		return bson_iter_as_int64(&it);
	return 0;
}

/* Send the batch; sort its write errors into present and rejected. */
static int
batch_flush(struct batch *b)
{
	bson_t reply;
	bson_error_t error;
	bson_iter_t it, errs, one;
	int ok, status = 0, nerrs = 0;

	if (b->n == 0)
		return 0;
	ok = mongoc_bulk_operation_execute(b->bulk, &reply, &error);
	total.inserted += reply_count(&reply, "nInserted") +
	    reply_count(&reply, "nUpserted");
	total.updated += reply_count(&reply, "nMatched");
	if (bson_iter_init_find(&it, &reply, "writeErrors") &&
	    BSON_ITER_HOLDS_ARRAY(&it) && bson_iter_recurse(&it, &errs)) {
		while (bson_iter_next(&errs) && status == 0) {
			int64_t index = -1, code = 0;
			const char *msg = "write error";
			char why[512];

			if (!bson_iter_recurse(&errs, &one))
				continue;
			nerrs++;
			while (bson_iter_next(&one)) {
				const char *k = bson_iter_key(&one);

				if (strcmp(k, "index") == 0)
					index = bson_iter_as_int64(&one);
				else if (strcmp(k, "code") == 0)
					code = bson_iter_as_int64(&one);
				else if (strcmp(k, "errmsg") == 0 &&
				    BSON_ITER_HOLDS_UTF8(&one))
					msg = bson_iter_utf8(&one, NULL);
			}
			if (code == DUPLICATE_KEY) {
				total.present++;
				continue;
			}
			if (index < 0 || (size_t)index >= b->n) {
				cli_progress_end();
				warnx("%s: %s", b->name, msg);
				status = EX_DATAERR;
				break;
			}
			snprintf(why, sizeof(why), "refused by the server: %s",
			    msg);
			if (reject_line(&rej, b->name, b->lineno[index],
			    b->text + b->off[index], b->len[index], why) == -1)
				status = EX_DATAERR;
		}
	}
	/*
	 * Write errors are handled above; but the reply lists those of the
	 * commands that came back, and a lost connection or a timeout may
	 * have cut the batch short after them.
	 */
	if (!ok && nerrs > 0 && mongo_failure_status(&error) != EX_TEMPFAIL)
		ok = 1;
	bson_destroy(&reply);
	if (!ok && status == 0) {
		status = mongo_failure_status(&error);
		cli_progress_end();
		warnx("%s: %s%s", b->name, error.message,
		    status == EX_TEMPFAIL ? "; loading again is safe: "
		    "documents already there are skipped" : "");
	}
	batch_reset(b);
	return status;
}

/* Whether the integer text t[0..n) fits in 64 bits, signed. */
static int
fits_int64(const char *t, size_t n)
{
	const char *max = "9223372036854775807";
	size_t digits;

	if (n > 0 && *t == '-') {
		t++;
		n--;
		max = "9223372036854775808";
	}
	for (digits = n; digits > 1 && *t == '0'; digits--)
		t++;
	return digits < 19 || (digits == 19 && memcmp(t, max, 19) <= 0);
}

/*
 * Check the value that comes next for what libbson would change without
 * a word: an integer beyond 64 bits (it wraps), a $date on a day that
 * does not exist (it rolls over to the next month), regular expression
 * options it does not know (it drops them).  Objects are walked; arrays
 * are left to the scanner.  0, or -1 with *why set when the value is
 * valid JSON that would be changed (else json_error tells).
 */
static int
strict(struct json_scan *js, const struct json_str *key, int in_regex,
    int depth, const char **why)
{
	static char msg[200];
	struct json_str k, v;
	int is_date, is_options, rc, y, mo, d;
	size_t i;

	is_date = key != NULL && key->n == 5 && memcmp(key->s, "$date", 5) == 0;
	is_options = key != NULL && ((key->n == 8 &&
	    memcmp(key->s, "$options", 8) == 0) ||
	    (in_regex && key->n == 7 && memcmp(key->s, "options", 7) == 0));
	in_regex = key != NULL && key->n == 18 &&
	    memcmp(key->s, "$regularExpression", 18) == 0;
	switch (json_peek(js)) {
	case JSON_NUMBER:
		if (json_number(js, &v) == -1)
			return -1;
		if (memchr(v.s, '.', v.n) == NULL && memchr(v.s, 'e', v.n) ==
		    NULL && memchr(v.s, 'E', v.n) == NULL &&
		    !fits_int64(v.s, v.n)) {
			snprintf(msg, sizeof(msg), "%.*s: an integer out of "
			    "the 64-bit range", (int)(v.n > 40 ? 40 : v.n),
			    v.s);
			*why = msg;
			return -1;
		}
		return 0;
	case JSON_STRING:
		if (!is_date && !is_options)
			return json_skip(js);
		if (json_string(js, &v) == -1)
			return -1;
		if (is_date && v.n >= 10 && v.s[4] == '-' && v.s[7] == '-' &&
		    date_parse(v.s, 10, &y, &mo, &d) == -1) {
			snprintf(msg, sizeof(msg), "$date \"%.*s\": no such "
			    "day", 10, v.s);
			*why = msg;
			return -1;
		}
		for (i = 0; is_options && i < v.n; i++)
			if (strchr("ilmsux", v.s[i]) == NULL) {
				*why = "$options: only i, l, m, s, u and x";
				return -1;
			}
		return 0;
	case JSON_OBJECT:
		/* deeper, the scanner alone: it has a limit of its own */
		if (depth >= 32)
			return json_skip(js);
		if (json_open_object(js) == -1)
			return -1;
		while ((rc = json_next_key(js, &k)) == 1)
			if (strict(js, &k, in_regex, depth + 1, why) == -1)
				return -1;
		return rc;
	default:
		return json_skip(js);
	}
}

/*
 * Whether a valid line may hold what strict() looks for: a $date, regular
 * expression options, or 19 digits in a row.
 */
static int
suspect(const char *line, size_t len)
{
	size_t i, run = 0;

	if (memmem(line, len, "$date", 5) != NULL ||
	    memmem(line, len, "ptions\"", 7) != NULL)
		return 1;
	for (i = 0; i < len; i++)
		if (line[i] >= '0' && line[i] <= '9') {
			if (++run >= 19)
				return 1;
		} else
			run = 0;
	return 0;
}

/*
 * The document of one line into doc, always initialised (bson_destroy it):
 * 0, or -1 with why.
 */
static int
document(struct json_scan *js, const char *line, size_t len, bson_t *doc,
    const char **why)
{
	static char msg[600];
	struct json_str key;
	bson_error_t error;
	bson_t *slow;
	int rc;

	/* most lines: plain JSON, built as libbson would at far less cost */
	if (mongo_bson_plain(js, line, len, doc))
		return 0;
	if (json_begin_object(js, line, len) == -1) {
		*why = json_error(js);
		return -1;
	}
	/* the rest of the object, checked */
	while ((rc = json_next_key(js, &key)) == 1)
		if (json_skip(js) == -1)
			break;
	if (rc != 0 || json_end(js) == -1) {
		*why = json_error(js);
		return -1;
	}
	/* again, for what libbson would change, when the line may hold it */
	if (suspect(line, len)) {
		json_begin_object(js, line, len);
		while (json_next_key(js, &key) == 1)
			if (strict(js, &key, 0, 1, why) == -1)
				return -1;
	}
	if ((slow = bson_new_from_json((const uint8_t *)line, (ssize_t)len,
	    &error)) == NULL) {
		snprintf(msg, sizeof(msg), "invalid extended JSON: %s",
		    error.message);
		*why = msg;
		return -1;
	}
	bson_destroy(doc);
	bson_copy_to(slow, doc);
	bson_destroy(slow);
	return 0;
}

/* What stops the document of a line from being sent, or NULL. */
static const char *
problem(const bson_t *doc)
{
	static char why[100];

	/* libmongoc would fail the whole batch for it, naming no line */
	if (doc->len > MAX_DOCUMENT) {
		snprintf(why, sizeof(why), "document of %u bytes, more than "
		    "the %d a server takes", doc->len, MAX_DOCUMENT);
		return why;
	}
	if (mode != M_INSERT && !bson_has_field(doc, "_id"))
		return mode == M_UPSERT ? "missing \"_id\", which "
		    "--mode upsert needs" : "missing \"_id\", which "
		    "--mode merge needs";
	return NULL;
}

/* Queue one document in the batch: 0, or why not. */
static const char *
queue(struct batch *b, bson_t *doc)
{
	bson_t selector = BSON_INITIALIZER, update = BSON_INITIALIZER;
	bson_t opts = BSON_INITIALIZER, set;
	bson_error_t error;
	bson_iter_t id;
	static char why[600];
	bool ok;

	if (mode == M_INSERT) {
		/* the document came from valid JSON: the server checks keys */
		BSON_APPEND_BOOL(&opts, "validate", false);
		ok = mongoc_bulk_operation_insert_with_opts(b->bulk, doc,
		    &opts, &error);
	} else {
		/* problem() made sure it is there */
		if (bson_iter_init_find(&id, doc, "_id"))
			bson_append_iter(&selector, "_id", 3, &id);
		BSON_APPEND_BOOL(&opts, "upsert", true);
		if (mode == M_UPSERT) {
			ok = mongoc_bulk_operation_replace_one_with_opts(
			    b->bulk, &selector, doc, &opts, &error);
		} else {
			bson_iter_t it;

			BSON_APPEND_DOCUMENT_BEGIN(&update, "$set", &set);
			if (bson_iter_init(&it, doc))
				while (bson_iter_next(&it))
					if (strcmp(bson_iter_key(&it),
					    "_id") != 0)
						bson_append_iter(&set, NULL, 0,
						    &it);
			bson_append_document_end(&update, &set);
			ok = mongoc_bulk_operation_update_one_with_opts(
			    b->bulk, &selector, &update, &opts, &error);
		}
	}
	bson_destroy(&selector);
	bson_destroy(&update);
	bson_destroy(&opts);
	if (!ok) {
		snprintf(why, sizeof(why), "%s", error.message);
		return why;
	}
	return NULL;
}

/*
 * Pass 1 over one input: every line is made a document and checked, and
 * the bad ones rejected, before anything is sent.  An input that can be
 * read only once is copied to a temporary file for pass 2.
 */
static int
check(const char *path, struct input *in)
{
	static struct json_scan js;
	struct ndjson_reader *r;
	struct spool spool = { 0 };
	const char *why;
	bson_t doc;
	char *line;
	size_t len;
	int rc, status = 0;

	in->spool = -1;
	if ((r = ndjson_open(path)) == NULL)
		return cli_read_error(path);
	if ((in->name = strdup(ndjson_name(r))) == NULL)
		err(EX_SOFTWARE, NULL);
	if (spool_needed(path, r) && spool_open(&spool) == -1)
		err(cli_errno_status(), "temporary file");
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		total.read++;
		if (spool.f != NULL)
			spool_line(&spool, ndjson_lineno(r), line, len);
		why = NULL;
		if (document(&js, line, len, &doc, &why) == 0)
			why = problem(&doc);
		bson_destroy(&doc);
		if (why != NULL && reject_line(&rej, in->name,
		    ndjson_lineno(r), line, len, why) == -1) {
			status = EX_DATAERR;
			break;
		}
	}
	if (rc == -1)
		status = cli_read_error(path);
	if (spool.f != NULL && (in->spool = spool_close(&spool)) == -1)
		err(cli_errno_status(), "temporary file");
	ndjson_close(r);
	return status;
}

/* Pass 2: send the documents of the lines pass 1 found good. */
static int
load(const char *path, struct input *in)
{
	static struct json_scan js;
	static struct batch b;
	static long long sent;
	struct ndjson_reader *r;
	const char *why;
	bson_t doc;
	char *line;
	size_t len;
	int rc, status = 0;

	r = in->name != NULL && in->spool != -1 ?
	    ndjson_fdopen(in->spool, in->name) : ndjson_open(path);
	if (r == NULL) {
		cli_progress_end();
		return cli_read_error(path);
	}
	b.name = ndjson_name(r);
	batch_reset(&b);
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		sent++;
		if (stream)
			total.read++;
		why = NULL;
		if (document(&js, line, len, &doc, &why) == 0 &&
		    (why = problem(&doc)) == NULL)
			why = queue(&b, &doc);
		else if (!stream) {
			/* rejected by pass 1 */
			bson_destroy(&doc);
			continue;
		}
		bson_destroy(&doc);
		if (why != NULL) {
			if (reject_line(&rej, b.name, ndjson_lineno(r), line,
			    len, why) == -1) {
				status = EX_DATAERR;
				break;
			}
			continue;
		}
		batch_keep(&b, ndjson_lineno(r), line, len);
		if (b.n >= batch_size || b.bytes >= BATCH_BYTES) {
			if ((status = batch_flush(&b)) != 0)
				break;
			if (progress)
				cli_progress("%lld of %lld lines", sent,
				    total.read);
		}
	}
	if (rc == -1) {
		cli_progress_end();
		status = cli_read_error(path);
	}
	if (status == 0)
		status = batch_flush(&b);
	ndjson_close(r);
	return status;
}

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: mongo-load [-dps] [-m mode] [-b batch-size] [-T timeout] "
	    "[-e max-errors]\n"
	    "                  [-r rejects] [file ...]\n");
	exit(status);
}
