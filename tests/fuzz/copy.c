/*
 * Fuzz target: pg-load's COPY text encoder (lib/copy).  The input is a
 * row: the first byte gives the number of fields (1 to 8), the second
 * which are NULL, the rest is cut into the fields' bytes, any bytes.  The
 * row is written as pg-load writes it (copy_escape, tabs, \N, newline)
 * and read back by a model of PostgreSQL's COPY FROM text reader
 * (CopyReadLineText and CopyReadAttributesText in copyfromparse.c): the
 * row must be one line with no end-of-data marker and no bare carriage
 * return, and give back every field byte for byte and every NULL as
 * NULL: decode(encode(s)) == s.
 */
#include "copy.h"
#include "fuzz.h"

#define MAX_FIELDS	8

struct field {
	const char	*s;
	size_t		 n;
	int		 null;
};

static int
is_octal(char c)
{
	return c >= '0' && c <= '7';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * CopyReadLineText: the line is row[0..n) up to its newline, a backslash
 * taking the byte after it along; \. is the end-of-data marker and a
 * carriage return ends a line (or is an error mid-line).
 */
static size_t
read_line(const char *row, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fuzz_assert(row[i] != '\r', "bare carriage return at %zu", i);
		if (row[i] == '\n')
			return i;
		if (row[i] == '\\') {
			fuzz_assert(i + 1 < n, "backslash at the end of data");
			fuzz_assert(row[i + 1] != '.',
			    "end-of-data marker at %zu", i);
			i++;
		}
	}
	fuzz_assert(0, "no newline at the end of the row");
	return n;
}

/* CopyReadAttributesText on line[0..n): the fields, unescaped, in out. */
static size_t
read_fields(const char *line, size_t n, char *buf, struct field *out,
    size_t max)
{
	size_t i = 0, nf = 0, o = 0;

	for (;;) {
		size_t start = i, ostart = o;

		fuzz_assert(nf < max, "more fields than written");
		while (i < n && line[i] != '\t') {
			char c = line[i++];
			int h;

			if (c != '\\' || i == n) {
				buf[o++] = c;
				continue;
			}
			c = line[i++];
			if (is_octal(c)) {
				int v = c - '0';

				if (i < n && is_octal(line[i])) {
					v = v * 8 + (line[i++] - '0');
					if (i < n && is_octal(line[i]))
						v = v * 8 + (line[i++] - '0');
				}
				c = (char)(v & 0xff);
			} else if (c == 'x' && i < n &&
			    (h = hex_value(line[i])) >= 0) {
				int v = h;

				i++;
				if (i < n && (h = hex_value(line[i])) >= 0) {
					v = v * 16 + h;
					i++;
				}
				c = (char)v;
			} else {
				switch (c) {
				case 'b': c = '\b'; break;
				case 'f': c = '\f'; break;
				case 'n': c = '\n'; break;
				case 'r': c = '\r'; break;
				case 't': c = '\t'; break;
				case 'v': c = '\v'; break;
				}
			}
			buf[o++] = c;
		}
		/* NULL is the raw text \N, before any unescaping */
		out[nf].null = i - start == 2 && line[start] == '\\' &&
		    line[start + 1] == 'N';
		out[nf].s = buf + ostart;
		out[nf].n = o - ostart;
		nf++;
		if (i == n)
			return nf;
		i++;	/* the tab */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field want[MAX_FIELDS], got[MAX_FIELDS + 1];
	size_t nf, rest, i, len = 0, linelen, ngot;
	unsigned nulls;
	char *row, *buf;

	if (size < 2)
		return 0;
	nf = 1 + data[0] % MAX_FIELDS;
	nulls = data[1];
	data += 2;
	rest = size - 2;
	for (i = 0; i < nf; i++) {
		want[i].s = (const char *)data + rest * i / nf;
		want[i].n = rest * (i + 1) / nf - rest * i / nf;
		want[i].null = (nulls >> i) & 1;
	}

	/* the row as pg-load writes it, in a buffer of the promised size */
	if ((row = malloc(COPY_ESCAPED_MAX(rest) + 3 * nf + 1)) == NULL ||
	    (buf = malloc(rest + 3 * nf + 1)) == NULL)
		abort();
	for (i = 0; i < nf; i++) {
		char *out;
		size_t k;

		if (i > 0)
			row[len++] = '\t';
		if (want[i].null) {
			memcpy(row + len, "\\N", 2);
			len += 2;
			continue;
		}
		/* exactly the room promised, so ASan sees any overrun */
		if ((out = malloc(COPY_ESCAPED_MAX(want[i].n) + 1)) == NULL)
			abort();
		k = copy_escape(want[i].s, want[i].n, out);
		fuzz_assert(k <= COPY_ESCAPED_MAX(want[i].n),
		    "%zu bytes for %zu", k, want[i].n);
		fuzz_assert(k >= want[i].n, "shorter than its text");
		memcpy(row + len, out, k);
		len += k;
		free(out);
	}
	row[len++] = '\n';

	linelen = read_line(row, len);
	fuzz_assert(linelen == len - 1, "the row ends at %zu of %zu",
	    linelen, len);
	ngot = read_fields(row, linelen, buf, got, MAX_FIELDS + 1);
	fuzz_assert(ngot == nf, "%zu fields back, %zu written", ngot, nf);
	for (i = 0; i < nf; i++) {
		fuzz_assert(got[i].null == want[i].null, "field %zu: NULL is "
		    "%d, written %d", i, got[i].null, want[i].null);
		if (want[i].null)
			continue;
		fuzz_assert(got[i].n == want[i].n && memcmp(got[i].s,
		    want[i].s, want[i].n) == 0, "field %zu differs", i);
	}
	free(row);
	free(buf);
	return 0;
}
