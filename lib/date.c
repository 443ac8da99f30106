#include "date.h"

static int
digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int
date_parse(const char *s, size_t n, int *y, int *m, int *d)
{
	if (n != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	return date_valid(*y, *m, *d) ? 0 : -1;
}

int
date_parse_month(const char *s, size_t n, int *y, int *m)
{
	if (n != 7 || s[4] != '-' || digits(s, 4, y) || digits(s + 5, 2, m))
		return -1;
	return date_valid(*y, *m, 1) ? 0 : -1;
}

int
date_parse_instant(const char *s, size_t n, int64_t *epoch)
{
	int y, m, d, hh, mm, ss, oh = 0, om = 0;
	size_t i = 19;
	int64_t t;

	if (n < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    date_parse(s, 10, &y, &m, &d) == -1 || s[13] != ':' ||
	    s[16] != ':' || digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) ||
	    digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return -1;
	}
	t = date_to_days(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		*epoch = t;
		return 0;
	}
	if (i + 6 != n || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':' ||
	    digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) ||
	    oh > 23 || om > 59)
		return -1;
	t += (s[i] == '+' ? -1 : 1) * (oh * 3600 + om * 60);
	*epoch = t;
	return 0;
}

int64_t
date_floor_div(int64_t a, int64_t b)
{
	/* no -a: it overflows for INT64_MIN */
	return a / b - (a % b < 0);
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
int64_t
date_to_days(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
date_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}
