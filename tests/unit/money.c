/*
 * Unit tests for lib/money.h: exact decimal text <-> int64 cents.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "tap.h"

static const char *
status_name(int status)
{
	switch (status) {
	case MONEY_OK:
		return "MONEY_OK";
	case MONEY_ESYNTAX:
		return "MONEY_ESYNTAX";
	case MONEY_EPRECISION:
		return "MONEY_EPRECISION";
	case MONEY_EOVERFLOW:
		return "MONEY_EOVERFLOW";
	}
	return "unknown status";
}

/* money_parse(s) succeeds with want cents. */
static void
parses(const char *s, int64_t want)
{
	int64_t cents = 12345;
	int rc = money_parse(s, strlen(s), &cents);

	if (!ok(rc == MONEY_OK && cents == want,
	    "money_parse(\"%s\") = %" PRId64 " cents", s, want))
		diag("  got %s, %" PRId64, status_name(rc), cents);
}

/* money_parse(s) fails with status want and leaves the output alone. */
static void
rejects(const char *s, int want)
{
	int64_t cents = 12345;
	int rc = money_parse(s, strlen(s), &cents);

	if (!ok(rc == want, "money_parse(\"%s\") is %s", s, status_name(want)))
		diag("  got %s (cents %" PRId64 ")", status_name(rc), cents);
}

static void
parses_int(const char *s, int64_t want)
{
	int64_t v = 12345;
	int rc = money_parse_int(s, strlen(s), &v);

	if (!ok(rc == MONEY_OK && v == want,
	    "money_parse_int(\"%s\") = %" PRId64, s, want))
		diag("  got %s, %" PRId64, status_name(rc), v);
}

static void
rejects_int(const char *s, int want)
{
	int64_t v = 12345;
	int rc = money_parse_int(s, strlen(s), &v);

	if (!ok(rc == want, "money_parse_int(\"%s\") is %s", s,
	    status_name(want)))
		diag("  got %s (value %" PRId64 ")", status_name(rc), v);
}

static void
formats(int64_t cents, const char *want)
{
	char buf[MONEY_FMTLEN + 1 + 8];
	size_t n;

	memset(buf, 'X', sizeof(buf));
	n = money_format(cents, buf);
	is_mem(buf, n, want, strlen(want), "money_format(%" PRId64 ") = %s",
	    cents, want);
	ok(buf[n] == '\0' && n <= MONEY_FMTLEN,
	    "money_format(%" PRId64 ") NUL-terminates within MONEY_FMTLEN",
	    cents);
}

static void
formats_int(int64_t v, const char *want)
{
	char buf[32];
	size_t n;

	memset(buf, 'X', sizeof(buf));
	n = money_format_int(v, buf);
	is_mem(buf, n, want, strlen(want), "money_format_int(%" PRId64
	    ") = %s", v, want);
	ok(buf[n] == '\0' && n <= 20, "money_format_int(%" PRId64
	    ") NUL-terminates within 21 bytes", v);
}

/* money_parse(money_format(v)) == v, and the same for the int pair. */
static void
round_trips(int64_t v)
{
	char buf[MONEY_FMTLEN + 1];
	int64_t back = 0;
	size_t n;
	int rc;

	n = money_format(v, buf);
	rc = money_parse(buf, n, &back);
	if (!ok(rc == MONEY_OK && back == v,
	    "money_parse(money_format(%" PRId64 ")) round trip", v))
		diag("  text \"%s\" -> %s, %" PRId64, buf, status_name(rc),
		    back);
	n = money_format_int(v, buf);
	back = 0;
	rc = money_parse_int(buf, n, &back);
	if (!ok(rc == MONEY_OK && back == v,
	    "money_parse_int(money_format_int(%" PRId64 ")) round trip", v))
		diag("  text \"%s\" -> %s, %" PRId64, buf, status_name(rc),
		    back);
}

static void
test_parse(void)
{
	/* plain values and the two-decimal boundary */
	parses("0", 0);
	parses("0.01", 1);
	parses("0.1", 10);
	parses("1", 100);
	parses("1.23", 123);
	parses("1.230", 123);
	parses("12.300", 1230);
	parses("0.010", 1);
	parses("150000.50", 15000050);
	rejects("0.005", MONEY_EPRECISION);
	rejects("0.001", MONEY_EPRECISION);
	rejects("1.231", MONEY_EPRECISION);
	rejects("1.2300001", MONEY_EPRECISION);

	/* sign */
	parses("-0.50", -50);
	parses("-0", 0);
	parses("-0.00", 0);
	parses("-12.34", -1234);
	rejects("-0.005", MONEY_EPRECISION);

	/* exponents */
	parses("1e2", 10000);
	parses("1E2", 10000);
	parses("1e+2", 10000);
	parses("1.5e1", 1500);
	parses("15e-1", 150);
	parses("100e-4", 1);
	parses("-1.5e1", -1500);
	parses("1e-2", 1);
	parses("0e400", 0);
	parses("0e-400", 0);
	parses("0.00e99999999999999999999", 0);
	parses("9e16", INT64_C(900000000000000000) * 10);
	rejects("15e-3", MONEY_EPRECISION);
	rejects("1e-3", MONEY_EPRECISION);
	rejects("1e-400", MONEY_EPRECISION);
	rejects("1e-99999999999999999999", MONEY_EPRECISION);

	/* int64 cents range */
	parses("92233720368547758.07", INT64_MAX);
	parses("92233720368547758.070", INT64_MAX);
	parses("-92233720368547758.07", -INT64_MAX);
	parses("-92233720368547758.08", INT64_MIN);
	rejects("92233720368547758.08", MONEY_EOVERFLOW);
	rejects("-92233720368547758.09", MONEY_EOVERFLOW);
	rejects("100000000000000000", MONEY_EOVERFLOW);
	rejects("1e17", MONEY_EOVERFLOW);
	rejects("1e400", MONEY_EOVERFLOW);
	rejects("-1e400", MONEY_EOVERFLOW);
	rejects("1e99999999999999999999", MONEY_EOVERFLOW);
	rejects("123456789012345678901234567890", MONEY_EOVERFLOW);

	/* JSON number syntax */
	rejects("", MONEY_ESYNTAX);
	rejects(".5", MONEY_ESYNTAX);
	rejects("-.5", MONEY_ESYNTAX);
	rejects("012", MONEY_ESYNTAX);
	rejects("00", MONEY_ESYNTAX);
	rejects("-012", MONEY_ESYNTAX);
	rejects("1.", MONEY_ESYNTAX);
	rejects("1.e2", MONEY_ESYNTAX);
	rejects(" 1", MONEY_ESYNTAX);
	rejects("1 ", MONEY_ESYNTAX);
	rejects("+1", MONEY_ESYNTAX);
	rejects("-", MONEY_ESYNTAX);
	rejects("--1", MONEY_ESYNTAX);
	rejects("1e", MONEY_ESYNTAX);
	rejects("1e+", MONEY_ESYNTAX);
	rejects("1.2.3", MONEY_ESYNTAX);
	rejects("1,5", MONEY_ESYNTAX);
	rejects("0x10", MONEY_ESYNTAX);
	rejects("NaN", MONEY_ESYNTAX);
	rejects("Infinity", MONEY_ESYNTAX);
	rejects("\"1\"", MONEY_ESYNTAX);
}

static void
test_parse_bounds(void)
{
	const char text[] = "1.25xyz";
	char big[] = "12.5";
	int64_t cents = 0;
	int rc;

	/* only s[0..n) is read */
	rc = money_parse(text, 4, &cents);
	ok(rc == MONEY_OK && cents == 125,
	    "money_parse reads only n bytes (\"1.25\" of \"1.25xyz\")");
	rc = money_parse(text, 3, &cents);
	ok(rc == MONEY_OK && cents == 120, "money_parse(\"1.2\", n = 3)");
	rc = money_parse(big, 2, &cents);
	ok(rc == MONEY_OK && cents == 1200, "money_parse(\"12\", n = 2)");
	rc = money_parse_int(text, 1, &cents);
	ok(rc == MONEY_OK && cents == 1, "money_parse_int(\"1\", n = 1)");
}

/*
 * A number with a million digits and an exponent of seven digits that
 * brings it back to a small value (found reasoning over the fuzz target's
 * reference: the exponent once saturated at 100000).
 */
static void
test_parse_long_digits(void)
{
	size_t zeros = 1000000, n;
	char *s = malloc(zeros + 32);
	int64_t cents = 0;
	int rc;

	if (s == NULL) {
		ok(0, "malloc");
		return;
	}
	/* 0.000...01e1000002 = 10 */
	n = (size_t)sprintf(s, "0.");
	memset(s + n, '0', zeros);
	n += zeros;
	n += (size_t)sprintf(s + n, "1e%zu", zeros + 2);
	rc = money_parse(s, n, &cents);
	is_int(rc == MONEY_OK ? cents : -rc, 1000,
	    "money_parse(\"0.<1000000 zeros>1e1000002\") = 10.00");
	/* 1000...0e-1000005 = 100000 */
	s[0] = '1';
	memset(s + 1, '0', zeros + 10);
	n = 1 + zeros + 10;
	n += (size_t)sprintf(s + n, "e-%zu", zeros + 5);
	rc = money_parse(s, n, &cents);
	is_int(rc == MONEY_OK ? cents : -rc, 10000000,
	    "money_parse(\"1<1000010 zeros>e-1000005\") = 100000.00");
	free(s);
}

static void
test_parse_int(void)
{
	parses_int("0", 0);
	parses_int("-0", 0);
	parses_int("7", 7);
	parses_int("-7", -7);
	parses_int("4.0", 4);
	parses_int("4.000", 4);
	parses_int("1e3", 1000);
	parses_int("1E+3", 1000);
	parses_int("1.0e1", 10);
	parses_int("10e-1", 1);
	parses_int("1.5e1", 15);
	parses_int("0e400", 0);
	parses_int("9223372036854775807", INT64_MAX);
	parses_int("-9223372036854775807", -INT64_MAX);
	parses_int("-9223372036854775808", INT64_MIN);
	rejects_int("1.5", MONEY_EPRECISION);
	rejects_int("0.1", MONEY_EPRECISION);
	rejects_int("1e-1", MONEY_EPRECISION);
	rejects_int("15e-1", MONEY_EPRECISION);
	rejects_int("1e-400", MONEY_EPRECISION);
	rejects_int("9223372036854775808", MONEY_EOVERFLOW);
	rejects_int("-9223372036854775809", MONEY_EOVERFLOW);
	rejects_int("1e19", MONEY_EOVERFLOW);
	rejects_int("1e400", MONEY_EOVERFLOW);
	rejects_int("", MONEY_ESYNTAX);
	rejects_int("012", MONEY_ESYNTAX);
	rejects_int(".5", MONEY_ESYNTAX);
	rejects_int("1.", MONEY_ESYNTAX);
	rejects_int(" 1", MONEY_ESYNTAX);
	rejects_int("true", MONEY_ESYNTAX);
}

static void
test_format(void)
{
	formats(0, "0.00");
	formats(1, "0.01");
	formats(10, "0.10");
	formats(99, "0.99");
	formats(100, "1.00");
	formats(123, "1.23");
	formats(456800, "4568.00");
	formats(-1, "-0.01");
	formats(-50, "-0.50");
	formats(-100, "-1.00");
	formats(INT64_MAX, "92233720368547758.07");
	formats(INT64_MIN, "-92233720368547758.08");
	formats(-INT64_MAX, "-92233720368547758.07");

	formats_int(0, "0");
	formats_int(1, "1");
	formats_int(-1, "-1");
	formats_int(1000, "1000");
	formats_int(INT64_MAX, "9223372036854775807");
	formats_int(INT64_MIN, "-9223372036854775808");

	round_trips(0);
	round_trips(1);
	round_trips(-1);
	round_trips(99);
	round_trips(100);
	round_trips(-12345);
	round_trips(INT64_MAX);
	round_trips(INT64_MIN);
	round_trips(INT64_MIN + 1);
}

static void
test_add(void)
{
	int64_t acc;

	acc = 1;
	ok(money_add(&acc, 2) == 0 && acc == 3, "money_add 1 + 2 = 3");
	acc = -5;
	ok(money_add(&acc, 3) == 0 && acc == -2, "money_add -5 + 3 = -2");
	acc = INT64_MAX - 1;
	ok(money_add(&acc, 1) == 0 && acc == INT64_MAX,
	    "money_add reaches INT64_MAX");
	acc = INT64_MAX;
	ok(money_add(&acc, 1) == -1 && acc == INT64_MAX,
	    "money_add INT64_MAX + 1 overflows, acc unchanged");
	acc = INT64_MIN;
	ok(money_add(&acc, -1) == -1 && acc == INT64_MIN,
	    "money_add INT64_MIN - 1 overflows, acc unchanged");
	acc = INT64_MAX;
	ok(money_add(&acc, INT64_MIN) == 0 && acc == -1,
	    "money_add INT64_MAX + INT64_MIN = -1");
	acc = INT64_MAX / 2 + 1;
	ok(money_add(&acc, INT64_MAX / 2 + 1) == -1 &&
	    acc == INT64_MAX / 2 + 1, "money_add of two halves overflows");
}

static void
test_strerror(void)
{
	const char *s[4];
	int i, j, distinct = 1;

	for (i = 0; i < 4; i++) {
		s[i] = money_strerror(i);
		ok(s[i] != NULL && s[i][0] != '\0',
		    "money_strerror(%s) is a phrase", status_name(i));
	}
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			if (s[i] != NULL && s[j] != NULL &&
			    strcmp(s[i], s[j]) == 0)
				distinct = 0;
	ok(distinct, "money_strerror phrases are distinct");
	ok(money_strerror(42) != NULL, "money_strerror(42) is not NULL");
}

int
main(void)
{
	test_parse();
	test_parse_bounds();
	test_parse_long_digits();
	test_parse_int();
	test_format();
	test_add();
	test_strerror();
	return tap_done();
}
