/*
 * Unit tests for lib/date.h: calendar dates, months and ISO 8601 instants
 * (what data_venda, ano_mes and MongoDB's $date become).
 */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "tap.h"

static void
valid(int y, int m, int d, int want)
{
	is_int(date_valid(y, m, d), want, "date_valid(%04d-%02d-%02d) is %d",
	    y, m, d, want);
}

static void
parses(const char *s, int wy, int wm, int wd)
{
	int y = 0, m = 0, d = 0, rc;

	rc = date_parse(s, strlen(s), &y, &m, &d);
	if (!ok(rc == 0 && y == wy && m == wm && d == wd,
	    "date_parse(\"%s\")", s))
		diag("  got %d: %d %d %d", rc, y, m, d);
}

static void
rejects(const char *s)
{
	int y, m, d;

	is_int(date_parse(s, strlen(s), &y, &m, &d), -1,
	    "date_parse(\"%s\") fails", s);
}

static void
month(const char *s, int rc, int wy, int wm)
{
	int y = 0, m = 0, got;

	got = date_parse_month(s, strlen(s), &y, &m);
	if (rc == 0) {
		if (!ok(got == 0 && y == wy && m == wm,
		    "date_parse_month(\"%s\")", s))
			diag("  got %d: %d %d", got, y, m);
	} else
		is_int(got, -1, "date_parse_month(\"%s\") fails", s);
}

static void
instant(const char *s, int64_t want)
{
	int64_t t = 42;
	int rc = date_parse_instant(s, strlen(s), &t);

	if (!ok(rc == 0 && t == want, "date_parse_instant(\"%s\") = %" PRId64,
	    s, want))
		diag("  got %d, %" PRId64, rc, t);
}

static void
bad_instant(const char *s)
{
	int64_t t;

	is_int(date_parse_instant(s, strlen(s), &t), -1,
	    "date_parse_instant(\"%s\") fails", s);
}

static void
test_valid(void)
{
	valid(2025, 3, 1, 1);
	valid(2024, 2, 29, 1);
	valid(2000, 2, 29, 1);
	valid(2025, 2, 29, 0);
	valid(1900, 2, 29, 0);
	valid(2025, 4, 30, 1);
	valid(2025, 4, 31, 0);
	valid(2025, 12, 31, 1);
	valid(2025, 1, 32, 0);
	valid(2025, 1, 0, 0);
	valid(2025, 0, 1, 0);
	valid(2025, 13, 1, 0);
	valid(1, 1, 1, 1);
	valid(9999, 12, 31, 1);
	valid(0, 12, 31, 0);
	valid(10000, 1, 1, 0);
	valid(-1, 1, 1, 0);
}

static void
test_parse(void)
{
	const char text[] = "2025-03-01T00:00:00Z";
	int y = 0, m = 0, d = 0;

	parses("2025-03-01", 2025, 3, 1);
	parses("2024-02-29", 2024, 2, 29);
	parses("0001-01-01", 1, 1, 1);
	parses("9999-12-31", 9999, 12, 31);
	ok(date_parse(text, 10, &y, &m, &d) == 0 && y == 2025 && m == 3 &&
	    d == 1, "date_parse reads only n bytes");
	rejects("2025-02-29");
	rejects("2025-04-31");
	rejects("2025-13-01");
	rejects("2025-00-01");
	rejects("2025-01-00");
	rejects("0000-01-01");
	rejects("2025-3-01");
	rejects("2025-03-1");
	rejects("25-03-01");
	rejects("2025/03/01");
	rejects("2025-03-01 ");
	rejects(" 2025-03-01");
	rejects("2025-03-01T00:00:00Z");
	rejects("+025-03-01");
	rejects("2025-0a-01");
	rejects("");
}

static void
test_month(void)
{
	month("2025-03", 0, 2025, 3);
	month("0001-01", 0, 1, 1);
	month("9999-12", 0, 9999, 12);
	month("2025-13", -1, 0, 0);
	month("2025-00", -1, 0, 0);
	month("0000-01", -1, 0, 0);
	month("2025-3", -1, 0, 0);
	month("2025-03-01", -1, 0, 0);
	month("2025/03", -1, 0, 0);
	month("", -1, 0, 0);
}

static void
test_instant(void)
{
	instant("1970-01-01T00:00:00Z", 0);
	instant("1969-12-31T23:59:59Z", -1);
	instant("2025-03-01T00:00:00Z", 1740787200);
	instant("2025-03-01T00:00:00.000Z", 1740787200);
	instant("2025-03-01T00:00:00.999999Z", 1740787200);
	instant("2025-02-28T23:59:59.999Z", 1740787199);
	instant("2025-02-28T22:00:00-03:00", 1740790800);
	instant("2025-03-01T01:00:00+01:00", 1740787200);
	instant("2025-03-01T00:00:00+00:00", 1740787200);
	instant("0001-01-01T00:00:00Z", INT64_C(-62135596800));
	instant("9999-12-31T23:59:59Z", INT64_C(253402300799));
	bad_instant("2025-03-01");
	bad_instant("2025-03-01T00:00:00");
	bad_instant("2025-03-01T00:00:00.");
	bad_instant("2025-03-01T00:00:00.Z");
	bad_instant("2025-03-01T24:00:00Z");
	bad_instant("2025-03-01T00:60:00Z");
	bad_instant("2025-02-30T00:00:00Z");
	bad_instant("2025-03-01T00:00:00+0300");
	bad_instant("2025-03-01T00:00:00+03");
	bad_instant("2025-03-01T00:00:00Zjunk");
	bad_instant("2025-03-01X00:00:00Z");
	bad_instant("");
}

static void
test_days(void)
{
	int y, m, d, ok_all = 1;
	int64_t days, expect;

	is_int(date_to_days(1970, 1, 1), 0, "date_to_days(1970-01-01) = 0");
	is_int(date_to_days(2025, 3, 1), 20148, "date_to_days(2025-03-01)");
	is_int(date_to_days(1969, 12, 31), -1, "date_to_days(1969-12-31)");
	is_int(date_to_days(1, 1, 1), -719162, "date_to_days(0001-01-01)");
	is_int(date_to_days(9999, 12, 31), 2932896,
	    "date_to_days(9999-12-31)");
	date_from_days(-1, &y, &m, &d);
	ok(y == 1969 && m == 12 && d == 31, "date_from_days(-1)");

	/* every day of years 1..9999, in order, both ways */
	expect = date_to_days(1, 1, 1);
	for (y = 1; y <= 9999 && ok_all; y++)
		for (m = 1; m <= 12 && ok_all; m++)
			for (d = 1; date_valid(y, m, d) && ok_all; d++) {
				int by, bm, bd;

				days = date_to_days(y, m, d);
				date_from_days(days, &by, &bm, &bd);
				if (days != expect++ || by != y || bm != m ||
				    bd != d) {
					diag("  %04d-%02d-%02d: %" PRId64
					    " -> %04d-%02d-%02d", y, m, d, days,
					    by, bm, bd);
					ok_all = 0;
				}
			}
	ok(ok_all, "every day 0001-01-01..9999-12-31 round trips in order");
}

int
main(void)
{
	test_valid();
	test_parse();
	test_month();
	test_instant();
	test_days();
	return tap_done();
}
