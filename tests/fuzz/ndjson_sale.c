/*
 * Fuzz target: the NDJSON reader (lib/ndjson) and the sale record parser
 * (lib/sale, on lib/json).  The input is a file:
 *
 *   - the reader's lines, numbers and BOM and CR handling match a plain
 *     split of the bytes, whole and read as two ranges; sometimes after a
 *     long first line, so that lines cross the reader's block boundary;
 *   - the JSON scanner accepts a line exactly when jansson does;
 *   - a parsed sale is consistent: real dates, amounts >= 0, valid UTF-8
 *     strings equal to what jansson reads; a refusal says why on one line.
 *
 * The first three input bytes are options: in the first, low nibble 7
 * puts a long line first (ending 0..240 bytes before the reader's block
 * does), 15 the same line unfinished (the input's first line goes on
 * it, past the block), and the high nibble says after which newline to
 * cut the ranges;
 * the next eleven bits are the fields the parser must find.  The rest is
 * the file.
 */
#include <sys/mman.h>

#include <unistd.h>

#include "date.h"
#include "fuzz.h"
#include "json.h"
#include "ndjson.h"
#include "oracle.h"
#include "sale.h"

#define READER_BLOCK	(256 * 1024)	/* lib/ndjson.c's BLOCK */
#define MAX_LINES	4096

struct line {
	const char	*s;	/* into the file */
	size_t		 n;
	uint64_t	 lineno;
};

static struct line	 want[MAX_LINES];

/*
 * The lines of file[0..n) as the reader must give them: split at '\n',
 * a BOM dropped from the first line when atstart, one CR dropped from the
 * end of each, blank ones skipped but counted.
 */
static size_t
split_lines(const char *file, size_t n, int atstart, struct line *out)
{
	size_t i = 0, count = 0;
	uint64_t lineno = 0;

	while (i < n) {
		const char *nl = memchr(file + i, '\n', n - i);
		size_t end = nl != NULL ? (size_t)(nl - file) : n;
		const char *s = file + i;
		size_t len = end - i;

		lineno++;
		if (atstart && lineno == 1 && len >= 3 &&
		    memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len > 0 && count < MAX_LINES) {
			out[count].s = s;
			out[count].n = len;
			out[count].lineno = lineno;
			count++;
		}
		i = end + 1;
	}
	return count;
}

static struct sale_parser	*sp;
static struct json_scan		 js;

static void	parse_line(const char *, size_t, unsigned);

/*
 * Read every line of r and compare it with w[0..nw): bytes, line number,
 * NUL and padding.  With parse, each line from the first-th on also goes
 * through the parsers, from a copy padded to the byte.
 */
static void
read_lines(struct ndjson_reader *r, const struct line *w, size_t nw,
    const char *how, int parse, size_t first, unsigned need)
{
	volatile char sink = 0;
	size_t count = 0, k;
	char *line, *copy;
	size_t len;
	int rc;

	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		fuzz_assert(len > 0, "%s: an empty line handed out", how);
		fuzz_assert(line[len] == '\0', "%s: no NUL after line", how);
		for (k = 1; k <= NDJSON_PADDING; k++)
			sink ^= line[len + k];	/* the padding is readable */
		if (count < nw) {
			fuzz_assert(len == w[count].n &&
			    memcmp(line, w[count].s, len) == 0,
			    "%s: line %zu differs", how, count);
			fuzz_assert(ndjson_lineno(r) == w[count].lineno,
			    "%s: line number %llu, expected %llu", how,
			    (unsigned long long)ndjson_lineno(r),
			    (unsigned long long)w[count].lineno);
		}
		if (parse && count >= first && count < MAX_LINES) {
			copy = fuzz_padded(line, len);
			parse_line(copy, len, need);
			free(copy);
		}
		count++;
	}
	(void)sink;
	fuzz_assert(rc == 0, "%s: read error on a memfd", how);
	if (count > MAX_LINES)
		count = MAX_LINES;
	fuzz_assert(count == nw, "%s: %zu lines, expected %zu", how, count,
	    nw);
}

/* 1 when the scanner takes line as one JSON text, 0 when it refuses. */
static int
scanner_accepts(struct json_scan *js, const char *line, size_t len)
{
	if (json_begin(js, line, len) == -1)
		abort();
	return json_skip(js) == 0 && json_end(js) == 0;
}

/* Where jansson's verdict is not comparable with the scanner's. */
static int
jansson_differs_by_design(const char *why, const char *line, size_t len)
{
	size_t i, open = 0;

	/* jansson stops at 2048 levels, the scanner at 1024 */
	for (i = 0; i < len; i++)
		open += line[i] == '[' || line[i] == '{';
	if (open >= 1000)
		return 1;
	/* jansson takes a raw NUL byte for the end of some texts */
	if (memchr(line, '\0', len) != NULL)
		return 1;
	/* jansson has no number beyond int64 or double, nor NUL in keys */
	return strstr(why, "too big") != NULL ||
	    strstr(why, "overflow") != NULL ||
	    strstr(why, "NUL byte in object key") != NULL;
}

static void
check_string(const struct oracle_doc *doc, const char *key,
    const struct sale_str *s)
{
	const char *v;
	size_t n;

	fuzz_assert(s->s != NULL, "\"%s\" found but NULL", key);
	fuzz_assert(fuzz_utf8_valid(s->s, s->n), "\"%s\" not UTF-8", key);
	fuzz_assert(oracle_string(doc, key, &v, &n) && n == s->n &&
	    memcmp(v, s->s, n) == 0, "\"%s\" differs from jansson's", key);
}

static void
check_integer(const struct oracle_doc *doc, const char *key, int64_t got)
{
	int64_t v;

	fuzz_assert(got >= 0, "\"%s\" negative", key);
	if (oracle_integer(doc, key, &v))
		fuzz_assert(v == got, "\"%s\" is %lld, jansson reads %lld",
		    key, (long long)got, (long long)v);
}

/* A parsed sale against the line as jansson reads it. */
static void
check_sale(const struct sale *s, unsigned want_mask, unsigned need,
    const struct oracle_doc *doc)
{
	fuzz_assert((s->have & ~want_mask) == 0, "a field not asked for");
	fuzz_assert((need & ~s->have) == 0, "a needed field missing");
	if (s->have & SALE_BIT(SALE_DATA_VENDA))
		fuzz_assert(date_valid(s->year, s->month, s->day),
		    "data_venda %d-%d-%d", s->year, s->month, s->day);
	if (s->have & SALE_BIT(SALE_ANO_MES))
		fuzz_assert(date_valid(s->year, s->month, 1),
		    "ano_mes %d-%d", s->year, s->month);
	if (doc == NULL)
		return;
	if (s->have & SALE_BIT(SALE_ESTADO))
		check_string(doc, "estado", &s->estado);
	if (s->have & SALE_BIT(SALE_CIDADE))
		check_string(doc, "cidade", &s->cidade);
	if (s->have & SALE_BIT(SALE_MODALIDADE))
		check_string(doc, "modalidade", &s->modalidade);
	if (s->have & SALE_BIT(SALE_TOTAL_VENDAS))
		check_integer(doc, "total_vendas", s->total_vendas);
	if (s->have & SALE_BIT(SALE_QTD_MOTO))
		check_integer(doc, "quantidade_moto_mais_vendida",
		    s->qtd_moto);
	if (s->have & SALE_BIT(SALE_QTD_MOTOS))
		check_integer(doc, "quantidade_motos_vendidas", s->qtd_motos);
	if (s->have & SALE_BIT(SALE_REGISTROS))
		check_integer(doc, "registros", s->registros);
	if (s->have & SALE_BIT(SALE_TOTAL_FATURADO))
		fuzz_assert(s->faturado >= 0, "total_faturado negative");
}

static void
parse_line(const char *line, size_t len, unsigned need)
{
	unsigned all = (1u << SALE_NFIELDS) - 1;
	struct oracle_doc *doc;
	struct sale s;
	char jwhy[200];
	int ours, rc;
	const char *why;

	ours = scanner_accepts(&js, line, len);
	doc = oracle_load(line, len, jwhy, sizeof(jwhy));
	if (ours != (doc != NULL) &&
	    !jansson_differs_by_design(doc ? "" : jwhy, line, len))
		fuzz_assert(0, "scanner says %s, jansson says %s (%s)",
		    ours ? "valid" : "invalid", doc ? "valid" : "invalid",
		    doc ? "" : jwhy);
	memset(&s, 0x55, sizeof(s));
	rc = sale_parse(sp, line, len, all, need & all, &s);
	if (rc == 0) {
		fuzz_assert(ours, "a sale from invalid JSON");
		check_sale(&s, all, need & all,
		    doc != NULL && oracle_is_object(doc) ? doc : NULL);
	} else {
		why = sale_error(sp);
		fuzz_assert(why[0] != '\0', "a refusal without a reason");
		fuzz_assert(strchr(why, '\n') == NULL, "a reason on two lines");
		fuzz_assert(fuzz_utf8_valid(why, strlen(why)),
		    "a reason that is not UTF-8: %s", why);
	}
	oracle_free(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *filler;
	struct ndjson_reader *r;
	size_t nwant, fillen = 0, total, cut, i;
	unsigned flags, need;
	char *file;
	int fd;

	if (size < 3)
		return 0;
	flags = data[0];
	need = (unsigned)data[1] << 3 | (data[2] & 7);
	data += 3;
	size -= 3;
	if (sp == NULL && (sp = sale_parser_new()) == NULL)
		abort();
	if (filler == NULL) {
		/* {"_":"xxx...x"}: one long valid line, then the input */
		if ((filler = malloc(READER_BLOCK)) == NULL)
			abort();
		memset(filler, 'x', READER_BLOCK);
		memcpy(filler, "{\"_\":\"", 6);
	}
	if ((flags & 15) == 7 || (flags & 15) == 15) {
		/* the input starts 0..240 bytes before the block ends */
		fillen = READER_BLOCK - (flags >> 4) * 16 - 1;
		/* 15: the input goes on the long line, past the block */
		if ((flags & 15) == 7)
			memcpy(filler + fillen - 3, "\"}\n", 3);
	}
	total = fillen + size;
	if ((file = malloc(total + 1)) == NULL)
		abort();
	memcpy(file, filler, fillen);
	memcpy(file + fillen, data, size);
	if (fillen > 0)
		memset(filler + fillen - 3, 'x', 3);

	if ((fd = memfd_create("ndjson", MFD_CLOEXEC)) == -1)
		abort();
	fuzz_assert(write(fd, file, total) == (ssize_t)total, "memfd write");

	/* the whole file, through a reader that owns its descriptor */
	nwant = split_lines(file, total, 1, want);
	if (lseek(fd, 0, SEEK_SET) == -1 || (r = ndjson_fdopen(dup(fd),
	    "fuzz")) == NULL)
		abort();
	read_lines(r, want, nwant, "whole", 1, fillen > 0, need);
	ndjson_close(r);

	/* the same as two ranges, cut after the (flags >> 4)th newline */
	cut = 0;
	for (i = 0; i < (flags >> 4) && cut < total; i++) {
		char *nl = memchr(file + cut, '\n', total - cut);

		if (nl == NULL)
			break;
		cut = (size_t)(nl - file) + 1;
	}
	nwant = split_lines(file, cut, 1, want);
	r = ndjson_open_range(fd, "fuzz", 0, (off_t)cut);
	read_lines(r, want, nwant, "first range", 0, 0, 0);
	ndjson_close(r);
	nwant = split_lines(file + cut, total - cut, cut == 0, want);
	r = ndjson_open_range(fd, "fuzz", (off_t)cut, (off_t)total);
	read_lines(r, want, nwant, "second range", 0, 0, 0);
	ndjson_close(r);

	close(fd);
	free(file);
	return 0;
}
