/*
 * Unit tests for lib/copy.h: one field of COPY's text format, and values
 * in its binary format (expected bytes worked out by hand and, for days
 * and instants, with Python's datetime).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "tap.h"

/* copy_escape(s) writes want, in no more than the room it promises. */
static void
escapes(const char *s, size_t n, const char *want, const char *name)
{
	char *out = malloc(COPY_ESCAPED_MAX(n) + 1);
	size_t k;

	if (out == NULL) {
		ok(0, "malloc");
		return;
	}
	k = copy_escape(s, n, out);
	is_mem(out, k, want, strlen(want), "copy_escape: %s", name);
	free(out);
}

/*
 * The value f writes for s is the bytes of hex, or no value (-1) when
 * hex is NULL.  size: for copy_binary_int.
 */
static void
binary(const char *fn, const char *s, int size, const char *hex)
{
	unsigned char out[COPY_NUMERIC_MAX(1000) + 16], want[64];
	size_t n = strlen(s), k;
	int len = -1;

	memset(out, 0xee, sizeof(out));
	if (strcmp(fn, "int") == 0)
		len = copy_binary_int(s, n, size, out);
	else if (strcmp(fn, "numeric") == 0)
		len = copy_binary_numeric(s, n, out);
	else if (strcmp(fn, "date") == 0)
		len = copy_binary_date(s, n, out);
	else if (strcmp(fn, "timestamptz") == 0)
		len = copy_binary_timestamptz(s, n, out);
	if (hex == NULL) {
		is_int(len, -1, "%s %s: not written in binary", fn, s);
		return;
	}
	for (k = 0; hex[2 * k] != '\0'; k++) {
		unsigned v;

		sscanf(hex + 2 * k, "%2x", &v);
		want[k] = (unsigned char)v;
	}
	is_mem((char *)out, len < 0 ? 0 : (size_t)len, (char *)want, k,
	    "%s %s", fn, s);
}

int
main(void)
{
	escapes("", 0, "", "nothing");
	escapes("Fortaleza", 9, "Fortaleza", "plain text as is");
	escapes("Cear\xc3\xa1", 6, "Cear\xc3\xa1", "UTF-8 as is");
	escapes("a\\b", 3, "a\\\\b", "a backslash doubled");
	escapes("a\tb", 3, "a\\tb", "a tab, which ends a field");
	escapes("a\nb", 3, "a\\nb", "a newline, which ends a row");
	escapes("a\rb", 3, "a\\rb", "a carriage return");
	escapes("\\N", 2, "\\\\N", "the text \\N is not NULL");
	escapes("\\.", 2, "\\\\.", "the text \\. is not the end of data");
	escapes("\t\t\n\n\\\\", 6, "\\t\\t\\n\\n\\\\\\\\",
	    "only escapes: twice the length");
	escapes("\b\f\v\x01\x7f", 5, "\b\f\v\x01\x7f",
	    "other control bytes as is: COPY reads them back");

	binary("int", "0", 2, "0000");
	binary("int", "-0", 2, "0000");
	binary("int", "-1", 2, "ffff");
	binary("int", "32767", 2, "7fff");
	binary("int", "-32768", 2, "8000");
	binary("int", "32768", 2, NULL);
	binary("int", "-32769", 2, NULL);
	binary("int", "2147483647", 4, "7fffffff");
	binary("int", "-2147483648", 4, "80000000");
	binary("int", "2147483648", 4, NULL);
	binary("int", "1234567890123", 8, "0000011f71fb04cb");
	binary("int", "9223372036854775807", 8, "7fffffffffffffff");
	binary("int", "-9223372036854775808", 8, "8000000000000000");
	binary("int", "9223372036854775808", 8, NULL);
	binary("int", "99999999999999999999", 8, NULL);
	binary("int", "184467440737095516150", 8, NULL);
	binary("int", "007", 8, NULL);
	binary("int", "+7", 8, NULL);
	binary("int", "", 8, NULL);
	binary("int", "-", 8, NULL);
	binary("int", "1.0", 8, NULL);

	/* ndigits, weight, sign, dscale, then base-10000 digits */
	binary("numeric", "0", 0, "0000000000000000");
	binary("numeric", "-0.00", 0, "0000000000000002");
	binary("numeric", "000.10", 0, "0001ffff0000000203e8");
	binary("numeric", "12345.6", 0, "0003000100000001000109291770");
	binary("numeric", "-0.00001", 0, "0001fffe4000000503e8");
	binary("numeric", "10000", 0, "00010001000000000001");
	binary("numeric", "-99999999.99999999", 0,
	    "0004000140000008270f270f270f270f");
	binary("numeric", "1e3", 0, NULL);
	binary("numeric", ".5", 0, NULL);
	binary("numeric", "1.", 0, NULL);
	binary("numeric", "+1", 0, NULL);
	binary("numeric", "NaN", 0, NULL);
	binary("numeric", "-", 0, NULL);
	binary("numeric", "", 0, NULL);

	/* days since 2000-01-01 */
	binary("date", "2000-01-01", 0, "00000000");
	binary("date", "1999-12-31", 0, "ffffffff");
	binary("date", "2000-03-01", 0, "0000003c");
	binary("date", "1970-01-01", 0, "ffffd533");
	binary("date", "0001-01-01", 0, "fff4dbf9");
	binary("date", "9999-12-31", 0, "002c95d3");
	binary("date", "2025-02-29", 0, NULL);
	binary("date", "0000-01-01", 0, NULL);
	binary("date", "2025-3-01", 0, NULL);
	binary("date", "2025/03/01", 0, NULL);
	binary("date", "2025-03-01T00:00:00Z", 0, NULL);

	/* microseconds since 2000-01-01 00:00 UTC */
	binary("timestamptz", "2000-01-01T00:00:00Z", 0, "0000000000000000");
	binary("timestamptz", "2000-01-01T00:00:00.000001", 0,
	    "0000000000000001");
	binary("timestamptz", "2000-01-01T01:00:00+01:00", 0,
	    "0000000000000000");
	binary("timestamptz", "1999-12-31T23:59:59.5-00:30", 0,
	    "000000006b4230e0");
	binary("timestamptz", "2025-03-01T12:00:00.123456+05:45", 0,
	    "0002d2409c944340");
	binary("timestamptz", "0001-01-01T00:00:00Z", 0, "ff1fe2ffc59c6000");
	binary("timestamptz", "9999-12-31T23:59:59.999999-15:00", 0,
	    "0380e71823e21bff");
	binary("timestamptz", "2000-01-01T24:00:00Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:60:00Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:60Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:00.1234567Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:00.Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:00+16:00", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:00+0100", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:00+01", 0, NULL);
	binary("timestamptz", "2000-01-01 00:00:00Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00Z", 0, NULL);
	binary("timestamptz", "2000-01-01T00:00:00z", 0, NULL);
	return tap_done();
}
