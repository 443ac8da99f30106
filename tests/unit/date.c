/*
 * Unit tests for lib/date.h: proleptic Gregorian dates of years 1 to 9999.
 * Expected day numbers and instants were computed with Python's datetime.
 */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "tap.h"

/* An independent month length, for walking the calendar day by day. */
static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static void
test_valid(void)
{
	ok(date_valid(2024, 2, 29), "2024-02-29 is valid (leap year)");
	ok(!date_valid(1900, 2, 29), "1900-02-29 is not (century)");
	ok(date_valid(2000, 2, 29), "2000-02-29 is valid (400 years)");
	ok(!date_valid(2025, 2, 29), "2025-02-29 is not");
	ok(!date_valid(2100, 2, 29), "2100-02-29 is not");
	ok(date_valid(2025, 2, 28), "2025-02-28 is valid");
	ok(date_valid(2025, 4, 30), "2025-04-30 is valid");
	ok(!date_valid(2025, 4, 31), "2025-04-31 is not");
	ok(date_valid(2025, 12, 31), "2025-12-31 is valid");
	ok(!date_valid(2025, 13, 1), "month 13 is not");
	ok(!date_valid(2025, 0, 1), "month 0 is not");
	ok(!date_valid(2025, 1, 0), "day 0 is not");
	ok(!date_valid(2025, 1, 32), "day 32 is not");
	ok(!date_valid(2025, -1, 1), "a negative month is not");
	ok(date_valid(1, 1, 1), "0001-01-01 is valid");
	ok(date_valid(9999, 12, 31), "9999-12-31 is valid");
	ok(!date_valid(0, 1, 1), "year 0 is not");
	ok(!date_valid(10000, 1, 1), "year 10000 is not");
	ok(!date_valid(-4, 2, 29), "a negative year is not");
}

static void
parses(const char *s, size_t n, int wy, int wm, int wd)
{
	int y = -1, m = -1, d = -1;
	int rc = date_parse(s, n, &y, &m, &d);

	if (!ok(rc == 0 && y == wy && m == wm && d == wd,
	    "date_parse(\"%.*s\", %zu) is %04d-%02d-%02d", (int)n, s, n, wy,
	    wm, wd))
		diag("  got %d: %d-%d-%d", rc, y, m, d);
}

static void
rejects(const char *s, size_t n, const char *why)
{
	int y, m, d;

	is_int(date_parse(s, n, &y, &m, &d), -1,
	    "date_parse(\"%.*s\", %zu) is -1: %s", (int)n, s, n, why);
}

static void
test_parse(void)
{
	parses("2025-03-01", 10, 2025, 3, 1);
	parses("2024-02-29", 10, 2024, 2, 29);
	parses("2000-02-29", 10, 2000, 2, 29);
	parses("0001-01-01", 10, 1, 1, 1);
	parses("9999-12-31", 10, 9999, 12, 31);
	parses("2025-03-01T12:00:00Z", 10, 2025, 3, 1);
	parses("2025-03-019", 10, 2025, 3, 1);

	rejects("2025-13-01", 10, "month 13");
	rejects("2025-00-01", 10, "month 0");
	rejects("2025-02-30", 10, "February 30");
	rejects("2025-02-29", 10, "February 29 of a common year");
	rejects("1900-02-29", 10, "February 29 of 1900");
	rejects("2025-04-31", 10, "April 31");
	rejects("2025-01-00", 10, "day 0");
	rejects("2025-01-32", 10, "day 32");
	rejects("0000-01-01", 10, "year 0");
	rejects("10000-01-01", 11, "year 10000");
	rejects("2025-03-01", 9, "9 characters");
	rejects("2025-03-01", 11, "11 characters");
	rejects("2025-03-1", 9, "a one-digit day");
	rejects("2025-3-01", 9, "a one-digit month");
	rejects("2025-3-01 ", 10, "a one-digit month, padded to 10");
	rejects(" 2025-3-01", 10, "a leading space");
	rejects("2025/03/01", 10, "slashes");
	rejects("2025-03-0a", 10, "a letter");
	rejects("2025-+3-01", 10, "a sign");
	rejects("-025-03-01", 10, "a negative year");
	rejects("20250301xx", 10, "no separators");
	rejects("", 0, "empty");
}

static void
test_parse_month(void)
{
	int y = -1, m = -1;

	ok(date_parse_month("2025-03", 7, &y, &m) == 0 && y == 2025 && m == 3,
	    "date_parse_month(\"2025-03\") is 2025, 3");
	ok(date_parse_month("0001-01", 7, &y, &m) == 0 && y == 1 && m == 1,
	    "date_parse_month(\"0001-01\") is 1, 1");
	ok(date_parse_month("9999-12", 7, &y, &m) == 0 && y == 9999 &&
	    m == 12, "date_parse_month(\"9999-12\") is 9999, 12");
	ok(date_parse_month("2025-03-01", 7, &y, &m) == 0 && y == 2025 &&
	    m == 3, "date_parse_month reads only n bytes");
	is_int(date_parse_month("2025-13", 7, &y, &m), -1, "month 13");
	is_int(date_parse_month("2025-00", 7, &y, &m), -1, "month 0");
	is_int(date_parse_month("0000-01", 7, &y, &m), -1, "year 0");
	is_int(date_parse_month("2025-3", 6, &y, &m), -1, "6 characters");
	is_int(date_parse_month("2025-03", 6, &y, &m), -1, "n == 6");
	is_int(date_parse_month("2025-03-01", 10, &y, &m), -1,
	    "a whole date is not a month");
	is_int(date_parse_month("2025/03", 7, &y, &m), -1, "a slash");
	is_int(date_parse_month("2025-x3", 7, &y, &m), -1, "a letter");
	is_int(date_parse_month("", 0, &y, &m), -1, "empty");
}

static void
instant(const char *s, int64_t want)
{
	int64_t got = INT64_MIN;
	int rc = date_parse_instant(s, strlen(s), &got);

	if (!ok(rc == 0 && got == want, "date_parse_instant(\"%s\") = %" PRId64,
	    s, want))
		diag("  got %d, %" PRId64, rc, got);
}

static void
not_instant(const char *s, const char *why)
{
	int64_t got;

	is_int(date_parse_instant(s, strlen(s), &got), -1,
	    "date_parse_instant(\"%s\") is -1: %s", s, why);
}

static void
test_instant(void)
{
	instant("1970-01-01T00:00:00Z", 0);
	instant("1970-01-01T00:00:01Z", 1);
	instant("1969-12-31T23:59:59Z", -1);
	instant("2025-03-01T00:00:00Z", 1740787200);
	instant("2025-03-01T12:00:00Z", 1740830400);
	instant("2025-03-01T12:00:00z", 1740830400);
	instant("2025-03-01T12:00:00.123Z", 1740830400);
	instant("2025-03-01T12:00:00.999999999Z", 1740830400);
	instant("2025-03-01T12:00:00.5+03:00", 1740819600);
	/* +03:00 is three hours ahead of UTC: 12:00+03:00 is 09:00Z */
	instant("2025-03-01T12:00:00+03:00", 1740819600);
	/* -03:00 (Brasília) is behind: 12:00-03:00 is 15:00Z */
	instant("2025-03-01T12:00:00-03:00", 1740841200);
	instant("2025-03-01T12:00:00+00:00", 1740830400);
	instant("2025-03-01T12:00:00-00:00", 1740830400);
	instant("2025-03-01T12:00:00+05:30", 1740830400 - 5 * 3600 - 1800);
	/* an offset can move the instant to another day */
	instant("2025-03-01T01:00:00+03:00", 1740787200 - 2 * 3600);
	instant("2025-02-28T22:00:00-03:00", 1740787200 + 3600);
	instant("2025-04-01T00:00:00Z", 1743465600);
	instant("9999-12-31T23:59:59Z", INT64_C(253402300799));
	instant("0001-01-01T00:00:00Z", INT64_C(-62135596800));

	not_instant("2025-03-01T12:00:00", "no zone");
	not_instant("2025-03-01T12:00:00.123", "fraction but no zone");
	not_instant("2025-03-01T24:00:00Z", "hour 24");
	not_instant("2025-03-01T12:60:00Z", "minute 60");
	not_instant("2025-03-01T12:00:61Z", "second 61");
	not_instant("2025-03-01T12:00Z", "no seconds");
	not_instant("2025-03-01Z", "no time");
	not_instant("2025-02-30T12:00:00Z", "February 30");
	not_instant("2025-03-01X12:00:00Z", "X instead of T");
	not_instant("2025-03-01T12:00:00.Z", "a '.' without digits");
	not_instant("2025-03-01T12:00:00+0300", "an offset without ':'");
	not_instant("2025-03-01T12:00:00+03", "an offset without minutes");
	not_instant("2025-03-01T12:00:00+24:00", "offset hour 24");
	not_instant("2025-03-01T12:00:00+03:60", "offset minute 60");
	not_instant("2025-03-01T12:00:00ZZ", "two zones");
	not_instant("2025-03-01T12:00:00Z ", "a trailing space");
	not_instant("2025-03-01T1:00:00Z", "a one-digit hour");
	not_instant("", "empty");

	/* n, not the NUL, ends the text */
	{
		int64_t got = 0;

		ok(date_parse_instant("2025-03-01T12:00:00Zjunk", 20, &got) ==
		    0 && got == 1740830400,
		    "date_parse_instant reads only n bytes");
		is_int(date_parse_instant("2025-03-01T12:00:00Z", 19, &got),
		    -1, "and needs the zone within them");
	}
}

static void
test_days(void)
{
	int y, m, d, wy = 1, wm = 1, wd = 1;
	int64_t days, want, first = INT64_C(-719162);
	int64_t bad_to = 0, bad_from = 0, bad_valid = 0, first_bad = 0;

	is_int(date_to_days(1970, 1, 1), 0, "date_to_days(1970-01-01) is 0");
	is_int(date_to_days(1970, 1, 2), 1, "1970-01-02 is 1");
	is_int(date_to_days(1969, 12, 31), -1, "1969-12-31 is -1");
	is_int(date_to_days(2025, 3, 1), 20148, "2025-03-01 is 20148");
	is_int(date_to_days(1, 1, 1), -719162, "0001-01-01 is -719162");
	is_int(date_to_days(9999, 12, 31), 2932896, "9999-12-31 is 2932896");
	date_from_days(-1, &y, &m, &d);
	ok(y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
	date_from_days(0, &y, &m, &d);
	ok(y == 1970 && m == 1 && d == 1, "day 0 is 1970-01-01");
	date_from_days(-719162, &y, &m, &d);
	ok(y == 1 && m == 1 && d == 1, "day -719162 is 0001-01-01");
	date_from_days(2932896, &y, &m, &d);
	ok(y == 9999 && m == 12 && d == 31, "day 2932896 is 9999-12-31");

	/* Walk every day of years 1..9999 with an independent calendar. */
	for (want = first; wy <= 9999; want++) {
		days = date_to_days(wy, wm, wd);
		if (days != want && bad_to++ == 0)
			first_bad = want;
		date_from_days(want, &y, &m, &d);
		if ((y != wy || m != wm || d != wd) && bad_from++ == 0)
			first_bad = want;
		if (!date_valid(wy, wm, wd))
			bad_valid++;
		if (++wd > month_days(wy, wm)) {
			if (date_valid(wy, wm, wd))
				bad_valid++;
			wd = 1;
			if (++wm > 12) {
				wm = 1;
				wy++;
			}
		}
	}
	is_int(want - first, 3652059, "3652059 days from 0001-01-01 to "
	    "9999-12-31");
	if (!is_int(bad_to, 0, "date_to_days is right for every day"))
		diag("  first wrong day number %" PRId64, first_bad);
	if (!is_int(bad_from, 0, "date_from_days is right for every day"))
		diag("  first wrong day number %" PRId64, first_bad);
	is_int(bad_valid, 0,
	    "date_valid accepts every day and rejects each month's day after");
}

static void
test_floor_div(void)
{
	is_int(date_floor_div(0, 1000), 0, "date_floor_div(0, 1000)");
	is_int(date_floor_div(999, 1000), 0, "date_floor_div(999, 1000)");
	is_int(date_floor_div(-1, 1000), -1, "date_floor_div(-1, 1000)");
	is_int(date_floor_div(-1000, 1000), -1, "date_floor_div(-1000, 1000)");
	is_int(date_floor_div(-1001, 86400), -1,
	    "date_floor_div(-1001, 86400)");
	/* once -a, which overflows: a $date of INT64_MIN milliseconds */
	is_int(date_floor_div(INT64_MIN, 1000), INT64_C(-9223372036854776),
	    "date_floor_div(INT64_MIN, 1000)");
	is_int(date_floor_div(INT64_MAX, 1000), INT64_C(9223372036854775),
	    "date_floor_div(INT64_MAX, 1000)");
}

int
main(void)
{
	test_valid();
	test_parse();
	test_parse_month();
	test_instant();
	test_days();
	test_floor_div();
	return tap_done();
}
