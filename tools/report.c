/*
 * report: the sales dashboard.  Reads aggregate rows, sorts them into one
 * section per kind (month, state, city, mode) and renders the sections.
 *
 * The code is in three layers so that other inputs and outputs slot in:
 * inputs fill a struct dashboard (load_rows), renderers read it
 * (render_text).
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agg.h"
#include "cli.h"
#include "money.h"
#include "ndjson.h"
#include "sale.h"

enum kind { K_MONTH, K_STATE, K_CITY, K_MODE, K_NKINDS };

struct section {
	const char		*title;
	const char		*key1, *key2;	/* column headings */
	enum agg_order		 order;
	struct agg_table	*rows;
	struct agg_group	 total;		/* the sum of every row */
};

struct dashboard {
	struct section		 sec[K_NKINDS];
};

struct style {
	int			 color;
};

#define BAR_WIDTH	24

static int load_rows(struct dashboard *, const char *);
static void render_text(struct dashboard *, FILE *, const struct style *);
static void usage(int) __attribute__((noreturn));

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL,		0,		NULL, 0 }
	};
	static const struct section init[K_NKINDS] = {
		{ .title = "Vendas por ano/mês", .key1 = "Ano/mês",
		    .order = AGG_BY_KEY },
		{ .title = "Vendas por estado", .key1 = "Estado",
		    .order = AGG_BY_VENDAS },
		{ .title = "Vendas por cidade", .key1 = "Estado",
		    .key2 = "Cidade", .order = AGG_BY_VENDAS },
		{ .title = "Vendas por modalidade", .key1 = "Modalidade",
		    .order = AGG_BY_VENDAS },
	};
	struct dashboard d;
	struct style st;
	const char *nocolor;
	int ch, i, status = 0;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
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

	memcpy(d.sec, init, sizeof(d.sec));
	for (i = 0; i < K_NKINDS; i++)
		if ((d.sec[i].rows = agg_new()) == NULL)
			err(EX_OSERR, NULL);
	if (argc == 0)
		status = load_rows(&d, "-");
	for (i = 0; i < argc && status == 0; i++)
		status = load_rows(&d, argv[i]);
	if (status != 0)
		return status;

	nocolor = getenv("NO_COLOR");
	st.color = isatty(STDOUT_FILENO) &&
	    (nocolor == NULL || *nocolor == '\0');
	render_text(&d, stdout, &st);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return EX_IOERR;
	}
	for (i = 0; i < K_NKINDS; i++)
		agg_free(d.sec[i].rows);
	return 0;
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

	if ((r = ndjson_open(path)) == NULL) {
		warn("%s", path);
		return EX_IOERR;
	}
	if ((p = sale_parser_new()) == NULL)
		err(EX_OSERR, NULL);
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		struct agg_group *g;
		const char *why = NULL, *k1 = "", *k2 = "";
		size_t n1 = 0, n2 = 0;
		char month[8];
		enum kind k = K_MONTH;

		if (sale_parse(p, line, len, want, need, &s) == -1) {
			why = sale_error(p);
		} else if (s.have & SALE_BIT(SALE_ANO_MES)) {
			k = K_MONTH;
			snprintf(month, sizeof(month), "%04d-%02d", s.year,
			    s.month);
			k1 = month;
			n1 = 7;
		} else if (s.have & SALE_BIT(SALE_ESTADO)) {
			k = s.have & SALE_BIT(SALE_CIDADE) ? K_CITY : K_STATE;
			k1 = s.estado.s;
			n1 = s.estado.n;
			if (k == K_CITY) {
				k2 = s.cidade.s;
				n2 = s.cidade.n;
			}
		} else if (s.have & SALE_BIT(SALE_MODALIDADE)) {
			k = K_MODE;
			k1 = s.modalidade.s;
			n1 = s.modalidade.n;
		} else {
			why = "missing \"ano_mes\", \"estado\" or "
			    "\"modalidade\"";
		}
		if (why == NULL) {
			if ((g = agg_find(d->sec[k].rows, k1, n1, k2,
			    n2)) == NULL)
				err(EX_OSERR, NULL);
			if (agg_add(g, s.total_vendas, s.faturado,
			    s.qtd_motos, s.registros) == -1 ||
			    agg_add(&d->sec[k].total, s.total_vendas,
			    s.faturado, s.qtd_motos, s.registros) == -1)
				why = "a sum overflows";
		}
		if (why != NULL) {
			warnx("%s:%llu: %s", ndjson_name(r),
			    (unsigned long long)ndjson_lineno(r), why);
			status = EX_DATAERR;
			break;
		}
	}
	if (rc == -1) {
		warn("%s", path);
		status = EX_IOERR;
	}
	sale_parser_free(p);
	ndjson_close(r);
	return status;
}

/* Integers with '.' between thousands: 1.234.567. */
static void
fmt_int(int64_t v, char *buf, size_t size)
{
	char digits[24];
	size_t n = money_format_int(v < 0 ? -v : v, digits), i, o = 0;

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
	int64_t mag = cents < 0 ? -cents : cents;

	fmt_int(mag / 100, units, sizeof(units));
	snprintf(buf, size, "%sR$ %s,%02d", cents < 0 ? "-" : "", units,
	    (int)(mag % 100));
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
		err(EX_OSERR, NULL);
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
		if (agg_count(d->sec[i].rows) == 0)
			continue;
		if (!first)
			putc('\n', fp);
		first = 0;
		render_section(&d->sec[i], fp, st);
	}
}

static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr, "usage: report [file ...]\n");
	exit(status);
}
