/*
 * Fuzz target: the values pg-load writes in COPY's binary format
 * (lib/copy: copy_binary_int, _numeric, _date, _timestamptz).  The first
 * byte picks the function, the rest is the value's text.  A model written
 * here says whether the text is in the one form the function takes and,
 * if so, which value PostgreSQL's own reader (int8in, numeric_in,
 * date_in, timestamptz_in with TimeZone UTC) makes of it; the function
 * must write that value, or refuse exactly the texts the model refuses.
 * Days are counted with H. Hinnant's days_from_civil, not lib/date.
 */
#include "copy.h"
#include "fuzz.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s, all of them digits: their value, else -1. */
static long
num(const char *s, int n)
{
	long v = 0;

	while (n-- > 0) {
		if (!isdig(*s))
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

static long long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (long long)era * 146097 + doe - 719468;
}

/* YYYY-MM-DD at s, a real day of years 1..9999: days since 2000-01-01. */
static int
model_day(const char *s, long long *days)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	long y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	int leap;

	if (y < 1 || s[4] != '-' || s[7] != '-' || m < 1 || m > 12 || d < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*days = days_from_civil(y, m, d) - days_from_civil(2000, 1, 1);
	return 0;
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

static void
check_int(const char *s, size_t n, int size, const unsigned char *out,
    int len)
{
	__int128 v = 0, lim = (__int128)1 << (8 * size - 1);
	size_t i = s[0] == '-';
	int ok = n > i && n - i <= 20 && !(s[i] == '0' && n - i > 1);

	for (; ok && i < n; i++) {
		ok = isdig(s[i]);
		v = v * 10 + (s[i] - '0');
	}
	if (ok && s[0] == '-')
		v = -v;
	ok = ok && v >= -lim && v < lim;
	fuzz_assert(ok == (len != -1), "int%d \"%.*s\": model %d, got %d",
	    size, (int)n, s, ok, len);
	if (ok)
		fuzz_assert(len == size && (int64_t)(get_be(out, size) <<
		    (64 - 8 * size)) >> (64 - 8 * size) == (int64_t)v,
		    "int%d \"%.*s\": wrong value", size, (int)n, s);
}

static void
check_numeric(const char *s, size_t n, const unsigned char *out, int len)
{
	char want[1100], got[1100];
	size_t i = s[0] == '-', ip, ni, nf = 0, k = 0, g = 0;
	int ok, nonzero = 0, nd, weight, sign, dscale, d, w;

	/* the model: [-]digits[.digits], 1000 bytes at most */
	ip = i;
	while (i < n && isdig(s[i]))
		i++;
	ni = i - ip;
	if (i < n && s[i] == '.') {
		while (++i < n && isdig(s[i]))
			nf++;
		ok = nf > 0;
	} else
		ok = 1;
	ok = ok && ni > 0 && i == n && n <= 1000;
	fuzz_assert(ok == (len != -1), "numeric \"%.*s\": model %d, got %d",
	    (int)n, s, ok, len);
	if (!ok)
		return;
	/* what numeric_out prints for it: no leading zeros, every scale digit */
	while (ni > 1 && s[ip] == '0') {
		ip++;
		ni--;
	}
	for (i = ip; i < n; i++)
		nonzero |= isdig(s[i]) && s[i] != '0';
	if (s[0] == '-' && nonzero)
		want[k++] = '-';
	memcpy(want + k, s + ip, n - ip);
	k += n - ip;
	want[k] = '\0';

	/* the value written, printed the same way */
	nd = (int)get_be(out, 2);
	weight = (int16_t)get_be(out + 2, 2);
	sign = (int)get_be(out + 4, 2);
	dscale = (int)get_be(out + 6, 2);
	fuzz_assert(len == 8 + 2 * nd, "numeric: length");
	fuzz_assert(sign == 0 || (sign == 0x4000 && nd > 0), "numeric: sign");
	fuzz_assert(nd == 0 ? weight == 0 : get_be(out + 8, 2) != 0 &&
	    get_be(out + 8 + 2 * (nd - 1), 2) != 0, "numeric: not normal");
	fuzz_assert(dscale == (int)nf, "numeric: scale %d, %zu digits",
	    dscale, nf);
	k = 0;
	if (sign)
		got[k++] = '-';
	/* integer part: groups weight down to 0 */
	if (weight < 0)
		got[k++] = '0';
	for (w = weight; w >= 0; w--) {
		d = w <= weight && weight - w < nd ?
		    (int)get_be(out + 8 + 2 * (weight - w), 2) : 0;
		fuzz_assert(d < 10000, "numeric: digit %d", d);
		k += (size_t)snprintf(got + k, sizeof(got) - k,
		    w == weight ? "%d" : "%04d", d);
	}
	if (dscale > 0) {
		got[k++] = '.';
		for (g = 0; (int)g < dscale; g++) {
			int at = weight + 1 + (int)(g / 4);	/* digit index */

			d = at >= 0 && at < nd ?
			    (int)get_be(out + 8 + 2 * at, 2) : 0;
			got[k++] = (char)('0' + d / (g % 4 == 0 ? 1000 :
			    g % 4 == 1 ? 100 : g % 4 == 2 ? 10 : 1) % 10);
		}
	}
	got[k] = '\0';
	fuzz_assert(strcmp(got, want) == 0, "numeric \"%s\": wrote %s", want,
	    got);
}

static void
check_date(const char *s, size_t n, const unsigned char *out, int len)
{
	long long days = 0;
	int ok = n == 10 && model_day(s, &days) == 0;

	fuzz_assert(ok == (len != -1), "date \"%.*s\": model %d, got %d",
	    (int)n, s, ok, len);
	if (ok)
		fuzz_assert(len == 4 && (int32_t)get_be(out, 4) == days,
		    "date \"%.*s\": wrong day", (int)n, s);
}

static void
check_timestamptz(const char *s, size_t n, const unsigned char *out,
    int len)
{
	long long days = 0, us = 0;
	long h = 0, mi = 0, sec = 0, oh, om, off = 0;
	size_t p = 19, k = 0;
	int ok;

	ok = n >= 19 && model_day(s, &days) == 0 && s[10] == 'T' &&
	    s[13] == ':' && s[16] == ':' && (h = num(s + 11, 2)) >= 0 &&
	    h <= 23 && (mi = num(s + 14, 2)) >= 0 && mi <= 59 &&
	    (sec = num(s + 17, 2)) >= 0 && sec <= 59;
	if (ok && p < n && s[p] == '.') {
		while (++p < n && isdig(s[p]) && k < 7) {
			us = us * 10 + (s[p] - '0');
			k++;
		}
		ok = k >= 1 && k <= 6;
		while (k++ < 6)
			us *= 10;
	}
	if (ok && p < n && s[p] == 'Z')
		p++;
	else if (ok && p < n && (s[p] == '+' || s[p] == '-')) {
		ok = n - p == 6 && s[p + 3] == ':' &&
		    (oh = num(s + p + 1, 2)) >= 0 && oh <= 15 &&
		    (om = num(s + p + 4, 2)) >= 0 && om <= 59;
		if (ok)
			off = (s[p] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
		p += 6;
	}
	ok = ok && p == n;
	fuzz_assert(ok == (len != -1), "timestamptz \"%.*s\": model %d, "
	    "got %d", (int)n, s, ok, len);
	if (ok)
		fuzz_assert(len == 8 && (int64_t)get_be(out, 8) ==
		    ((days * 86400 + h * 3600 + mi * 60 + sec - off) *
		    1000000 + us), "timestamptz \"%.*s\": wrong instant",
		    (int)n, s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out;
	char *s;
	size_t n;
	int len, which;

	if (size < 1 || size > 1200)
		return 0;
	which = data[0] % 6;
	n = size - 1;
	/* the text in an allocation of its own size, for ASan */
	if ((s = malloc(n + 1)) == NULL ||
	    (out = malloc(COPY_NUMERIC_MAX(n))) == NULL)
		abort();
	memcpy(s, data + 1, n);
	s[n] = '\0';
	switch (which) {
	case 0:
	case 1:
	case 2:
		len = copy_binary_int(s, n, 2 << which, out);
		check_int(s, n, 2 << which, out, len);
		break;
	case 3:
		len = copy_binary_numeric(s, n, out);
		check_numeric(s, n, out, len);
		break;
	case 4:
		len = copy_binary_date(s, n, out);
		check_date(s, n, out, len);
		break;
	default:
		len = copy_binary_timestamptz(s, n, out);
		check_timestamptz(s, n, out, len);
		break;
	}
	free(s);
	free(out);
	return 0;
}
