#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agg.h"
#include "aggcli.h"
#include "cli.h"
#include "money.h"
#include "ndjson.h"
#include "reject.h"
#include "sale.h"

#define MAX_JOBS	64
#define MIN_SPLIT	(4 * 1024 * 1024)	/* smaller files: one thread */

#define MEASURES	(SALE_BIT(SALE_TOTAL_VENDAS) | \
			 SALE_BIT(SALE_TOTAL_FATURADO) | SALE_BIT(SALE_QTD_MOTO))
#define MERGE_MEASURES	(SALE_BIT(SALE_TOTAL_VENDAS) | \
			 SALE_BIT(SALE_TOTAL_FATURADO) | \
			 SALE_BIT(SALE_QTD_MOTOS) | SALE_BIT(SALE_REGISTROS))

struct config {
	enum aggcli_key	 key;
	int		 city;
	int		 merge;
	unsigned	 want, need;
	long long	 max_errors;
	long		 jobs;
	const char	*rejects_path;
};

/* Why a record could not be added: a parse error or an overflow. */
struct bad {
	const char	*reason;
};

struct worker {
	const struct config	*cfg;
	int			 fd;
	const char		*name;
	off_t			 start, end;
	struct agg_table	*table;
	int			 failed;	/* bad record, error or no memory */
	pthread_t		 thread;
};

static const char *progname(enum aggcli_key);
static const char *overflow_reason(const struct config *,
    const struct agg_group *, const struct sale *);
static int run_input(const struct config *, const char *, struct agg_table *,
    struct rejects *);
static int emit(const struct config *, struct agg_table *);
static void usage(enum aggcli_key, int) __attribute__((noreturn));

int
aggcli_main(int argc, char *argv[], enum aggcli_key key)
{
	static const struct option longopts[] = {
		{ "city",	no_argument,		NULL, 'c' },
		{ "merge",	no_argument,		NULL, 'm' },
		{ "max-errors",	required_argument,	NULL, 'e' },
		{ "rejects",	required_argument,	NULL, 'r' },
		{ "jobs",	required_argument,	NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct config cfg;
	struct agg_table *table;
	struct rejects rej;
	int ch, i, status = 0;
	const char *opts = key == AGGCLI_STATE ? "cme:r:j:h" : "me:r:j:h";

	memset(&cfg, 0, sizeof(cfg));
	cfg.key = key;
	cfg.jobs = sysconf(_SC_NPROCESSORS_ONLN);
	while ((ch = getopt_long(argc, argv, opts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (key != AGGCLI_STATE)
				usage(key, EX_USAGE);
			cfg.city = 1;
			break;
		case 'm':
			cfg.merge = 1;
			break;
		case 'e':
			cfg.max_errors = (long long)cli_number("--max-errors",
			    optarg, 0, LLONG_MAX);
			break;
		case 'r':
			cfg.rejects_path = optarg;
			break;
		case 'j':
			cfg.jobs = (long)cli_number("--jobs", optarg, 1,
			    MAX_JOBS);
			break;
		case 'h':
			usage(key, 0);
		case 'V':
			cli_version();
		default:
			usage(key, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (cfg.jobs < 1)
		cfg.jobs = 1;
	if (cfg.jobs > MAX_JOBS)
		cfg.jobs = MAX_JOBS;

	cfg.need = cfg.merge ? MERGE_MEASURES : MEASURES;
	switch (key) {
	case AGGCLI_MONTH:
		/* --merge takes month rows or day rows: checked per row */
		cfg.want = cfg.merge ? SALE_BIT(SALE_ANO_MES) |
		    SALE_BIT(SALE_DATA_VENDA) : SALE_BIT(SALE_DATA_VENDA);
		if (!cfg.merge)
			cfg.need |= SALE_BIT(SALE_DATA_VENDA);
		break;
	case AGGCLI_STATE:
		cfg.want = SALE_BIT(SALE_ESTADO);
		if (cfg.city)
			cfg.want |= SALE_BIT(SALE_CIDADE);
		cfg.need |= cfg.want;
		break;
	case AGGCLI_MODE:
		cfg.want = SALE_BIT(SALE_MODALIDADE);
		cfg.need |= cfg.want;
		break;
	}
	cfg.want |= cfg.need;

	if (reject_open(&rej, cfg.rejects_path, cfg.max_errors) == -1)
		err(cli_errno_status(), "%s", cfg.rejects_path);
	if ((table = agg_new()) == NULL)
		err(EX_SOFTWARE, NULL);
	if (argc == 0)
		status = run_input(&cfg, "-", table, &rej);
	for (i = 0; i < argc && status == 0; i++)
		status = run_input(&cfg, argv[i], table, &rej);
	if (status == 0)
		status = emit(&cfg, table);
	if (reject_close(&rej) == -1 && status == 0)
		status = EX_IOERR;
	agg_free(table);
	return status;
}

static const char *
progname(enum aggcli_key key)
{
	switch (key) {
	case AGGCLI_MONTH:
		return "agg-by-month";
	case AGGCLI_STATE:
		return "agg-by-state";
	case AGGCLI_MODE:
		break;
	}
	return "agg-by-mode";
}

/*
 * Parse one line and add it to its group.  Returns 0, or -1 with the
 * reason in *why.
 */
static int
add_line(const struct config *cfg, struct sale_parser *p,
    struct agg_table *t, const char *line, size_t len, const char **why)
{
	struct sale s;
	struct agg_group *g;
	char month[8];
	const char *k1, *k2 = "";
	size_t n1, n2 = 0;

	if (sale_parse(p, line, len, cfg->want, cfg->need, &s) == -1) {
		*why = sale_error(p);
		return -1;
	}
	switch (cfg->key) {
	case AGGCLI_MONTH:
		if (!(s.have & (SALE_BIT(SALE_ANO_MES) |
		    SALE_BIT(SALE_DATA_VENDA)))) {
			*why = "missing \"ano_mes\"";
			return -1;
		}
		month[0] = (char)('0' + s.year / 1000);
		month[1] = (char)('0' + s.year / 100 % 10);
		month[2] = (char)('0' + s.year / 10 % 10);
		month[3] = (char)('0' + s.year % 10);
		month[4] = '-';
		month[5] = (char)('0' + s.month / 10);
		month[6] = (char)('0' + s.month % 10);
		k1 = month;
		n1 = 7;
		break;
	case AGGCLI_STATE:
		k1 = s.estado.s;
		n1 = s.estado.n;
		if (cfg->city) {
			k2 = s.cidade.s;
			n2 = s.cidade.n;
		}
		break;
	default:
		k1 = s.modalidade.s;
		n1 = s.modalidade.n;
		break;
	}
	if ((g = agg_find(t, k1, n1, k2, n2)) == NULL) {
		*why = NULL;
		return -1;
	}
	if (cfg->merge ? agg_add(g, s.total_vendas, s.faturado, s.qtd_motos,
	    s.registros) : agg_add(g, s.total_vendas, s.faturado, s.qtd_moto,
	    1)) {
		*why = overflow_reason(cfg, g, &s);
		return -1;
	}
	return 0;
}

/*
 * Why adding s to g overflows, naming the first measure whose total would
 * not fit, as the man pages word it: "field" is out of range.
 */
static const char *
overflow_reason(const struct config *cfg, const struct agg_group *g,
    const struct sale *s)
{
	int64_t v;

	v = g->total_vendas;
	if (money_add(&v, s->total_vendas) == -1)
		return "\"total_vendas\" is out of range";
	v = g->faturado;
	if (money_add(&v, s->faturado) == -1)
		return "\"total_faturado\" is out of range";
	v = g->motos;
	if (money_add(&v, cfg->merge ? s->qtd_motos : s->qtd_moto) == -1)
		return cfg->merge ?
		    "\"quantidade_motos_vendidas\" is out of range" :
		    "\"quantidade_moto_mais_vendida\" is out of range";
	return "\"registros\" is out of range";
}

/* One pass over one input in file order, with the full error policy. */
static int
run_serial(const struct config *cfg, struct ndjson_reader *r,
    struct agg_table *t, struct rejects *rej)
{
	struct sale_parser *p;
	char *line;
	size_t len;
	const char *why;
	int rc, status = 0;

	if ((p = sale_parser_new()) == NULL)
		err(EX_SOFTWARE, NULL);
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		if (add_line(cfg, p, t, line, len, &why) == 0)
			continue;
		if (why == NULL)
			err(EX_SOFTWARE, NULL);
		if (reject_line(rej, ndjson_name(r), ndjson_lineno(r), line,
		    len, why) == -1) {
			status = EX_DATAERR;
			break;
		}
	}
	if (rc == -1)
		status = cli_read_error(ndjson_name(r));
	sale_parser_free(p);
	return status;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct ndjson_reader *r;
	struct sale_parser *p;
	char *line;
	size_t len;
	const char *why;
	int rc = -1;

	r = ndjson_open_range(w->fd, w->name, w->start, w->end);
	p = sale_parser_new();
	w->table = agg_new();
	if (r != NULL && p != NULL && w->table != NULL)
		while ((rc = ndjson_next(r, &line, &len)) == 1)
			if (add_line(w->cfg, p, w->table, line, len,
			    &why) == -1)
				break;
	w->failed = rc != 0;
	sale_parser_free(p);
	ndjson_close(r);
	return NULL;
}

/* The offset just after the first newline at or after off, or size. */
static off_t
next_line(int fd, off_t off, off_t size)
{
	char buf[4096];
	ssize_t n, i;

	while (off < size) {
		if ((n = pread(fd, buf, sizeof(buf), off)) <= 0)
			return -1;
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				return off + i + 1;
		off += n;
	}
	return size;
}

/*
 * Aggregate a regular file with several threads.  Returns 0 when every
 * record was good, 1 when the caller must take the serial path (a bad
 * record, so that messages and rejects come in file order).
 */
static int
run_parallel(const struct config *cfg, struct ndjson_reader *r, off_t size,
    struct agg_table *t)
{
	struct worker w[MAX_JOBS];
	long i, n = cfg->jobs;
	off_t prev = 0;
	int failed = 0;

	memset(w, 0, sizeof(w));
	for (i = 0; i < n; i++) {
		w[i].cfg = cfg;
		w[i].fd = ndjson_fd(r);
		w[i].name = ndjson_name(r);
		w[i].start = prev;
		w[i].end = i == n - 1 ? size :
		    next_line(w[i].fd, size / n * (i + 1), size);
		if (w[i].end < prev)
			w[i].end = w[i].end == -1 ? size : prev;
		prev = w[i].end;
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0)
			err(EX_SOFTWARE, "pthread_create");
	}
	for (i = 0; i < n; i++) {
		pthread_join(w[i].thread, NULL);
		failed |= w[i].failed;
	}
	for (i = 0; i < n && !failed; i++)
		failed = agg_merge(t, w[i].table) == -1;
	for (i = 0; i < n; i++)
		agg_free(w[i].table);
	return failed;
}

static int
run_input(const struct config *cfg, const char *path, struct agg_table *t,
    struct rejects *rej)
{
	struct ndjson_reader *r;
	struct stat st;
	int status;

	if ((r = ndjson_open(path)) == NULL)
		return cli_read_error(path);
	if (cfg->jobs > 1 && fstat(ndjson_fd(r), &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size >= MIN_SPLIT &&
	    lseek(ndjson_fd(r), 0, SEEK_CUR) == 0) {
		struct agg_table *part;

		/* The threads add into their own table, kept only if clean. */
		if ((part = agg_new()) == NULL)
			err(EX_SOFTWARE, NULL);
		if (run_parallel(cfg, r, st.st_size, part) == 0 &&
		    agg_merge(t, part) == 0) {
			agg_free(part);
			ndjson_close(r);
			return 0;
		}
		agg_free(part);
	}
	status = run_serial(cfg, r, t, rej);
	ndjson_close(r);
	return status;
}

static void
put_row(struct ndjson_writer *w, const struct config *cfg,
    const struct agg_group *g)
{
	switch (cfg->key) {
	case AGGCLI_MONTH:
		ndjson_puts(w, "{\"ano_mes\":");
		break;
	case AGGCLI_STATE:
		ndjson_puts(w, "{\"estado\":");
		break;
	case AGGCLI_MODE:
		ndjson_puts(w, "{\"modalidade\":");
		break;
	}
	ndjson_put_string(w, g->k1, g->n1);
	if (cfg->city) {
		ndjson_puts(w, ",\"cidade\":");
		ndjson_put_string(w, g->k2, g->n2);
	}
	ndjson_puts(w, ",\"total_vendas\":");
	ndjson_put_int(w, g->total_vendas);
	ndjson_puts(w, ",\"total_faturado\":");
	ndjson_put_cents(w, g->faturado);
	ndjson_puts(w, ",\"quantidade_motos_vendidas\":");
	ndjson_put_int(w, g->motos);
	ndjson_puts(w, ",\"registros\":");
	ndjson_put_int(w, g->registros);
	ndjson_puts(w, "}\n");
}

static int
emit(const struct config *cfg, struct agg_table *t)
{
	struct ndjson_writer *w;
	struct agg_group **groups;
	size_t i, n = agg_count(t);

	if ((w = ndjson_writer_new(STDOUT_FILENO)) == NULL ||
	    (groups = agg_sorted(t, cfg->key == AGGCLI_MONTH ? AGG_BY_KEY :
	    AGG_BY_VENDAS)) == NULL)
		err(EX_SOFTWARE, NULL);
	for (i = 0; i < n; i++)
		put_row(w, cfg, groups[i]);
	if (ndjson_writer_free(w) == -1) {
		warn("stdout");
		return EX_IOERR;
	}
	return 0;
}

static void
usage(enum aggcli_key key, int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	fprintf(fp, "usage: %s %s[-m] [-e max-errors] [-r rejects] "
	    "[-j jobs] [file ...]\n", progname(key),
	    key == AGGCLI_STATE ? "[-c] " : "");
	exit(status);
}
