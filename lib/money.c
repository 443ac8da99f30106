#include <stdint.h>
#include <string.h>

#include "money.h"

/*
 * Exponents saturate here: beyond the digits any number held in memory
 * can have, so that the saturated value gives the same result.
 */
#define EXP_CLAMP ((int64_t)1 << 50)

/* Split a JSON number into its digits (with '.' inside) and exponent. */
static int
scan_number(const char *s, size_t n, int *neg, const char **ip, size_t *ni,
    const char **fp, size_t *nf, int64_t *exp)
{
	size_t i = 0;

	*neg = 0;
	if (i < n && s[i] == '-') {
		*neg = 1;
		i++;
	}
	*ip = s + i;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return MONEY_ESYNTAX;
	if (s[i] == '0') {
		i++;
	} else {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	*ni = (size_t)(s + i - *ip);
	*fp = s + i;
	*nf = 0;
	if (i < n && s[i] == '.') {
		i++;
		*fp = s + i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		*nf = (size_t)(s + i - *fp);
		if (*nf == 0)
			return MONEY_ESYNTAX;
	}
	*exp = 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		size_t start;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (*exp < EXP_CLAMP)
				*exp = *exp * 10 + (s[i] - '0');
			i++;
		}
		if (i == start)
			return MONEY_ESYNTAX;
		if (eneg)
			*exp = -*exp;
	}
	return i == n ? MONEY_OK : MONEY_ESYNTAX;
}

static char
digit_at(const char *ip, size_t ni, const char *fp, size_t k)
{
	return k < ni ? ip[k] : fp[k - ni];
}

/* The common case in one pass: s[0..n) is "-?" and a plain number. */
static int
parse_plain(const char *s, size_t n, int scale, int64_t *out)
{
	const char *p = s, *end = s + n;
	int64_t v = 0;

	if (p < end && *p == '-')
		p++;
	if ((p = money_plain(p, end, scale, &v)) != end)
		return 0;
	*out = *s == '-' ? -v : v;
	return 1;
}

/* The number scaled by 10^scale, which must come out an integer. */
static int
parse_scaled(const char *s, size_t n, int scale, int64_t *out)
{
	const char *ip, *fp;
	size_t ni, nf, nd, keep, k;
	int64_t exp, shift;
	uint64_t mag = 0, limit;
	int neg, rc;

	if (parse_plain(s, n, scale, out))
		return MONEY_OK;
	if ((rc = scan_number(s, n, &neg, &ip, &ni, &fp, &nf, &exp)) != 0)
		return rc;
	nd = ni + nf;
	shift = exp - (int64_t)nf + scale;	/* value = digits * 10^shift */
	keep = nd;
	if (shift < 0) {
		/* the last -shift digits must all be zero */
		size_t drop = (size_t)-shift > nd ? nd : (size_t)-shift;

		keep = nd - drop;
		for (k = keep; k < nd; k++)
			if (digit_at(ip, ni, fp, k) != '0')
				return MONEY_EPRECISION;
		shift = 0;
	}
	for (k = 0; k < keep; k++) {
		unsigned d = (unsigned)(digit_at(ip, ni, fp, k) - '0');

		if (mag > (UINT64_MAX - d) / 10)
			return MONEY_EOVERFLOW;
		mag = mag * 10 + d;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; shift > 0 && mag != 0; shift--) {
		if (mag > limit / 10)
			return MONEY_EOVERFLOW;
		mag *= 10;
	}
	if (mag > limit)
		return MONEY_EOVERFLOW;
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return MONEY_OK;
}

int
money_parse(const char *s, size_t n, int64_t *cents)
{
	return parse_scaled(s, n, 2, cents);
}

int
money_parse_int(const char *s, size_t n, int64_t *v)
{
	return parse_scaled(s, n, 0, v);
}

size_t
money_format_int(int64_t v, char *buf)
{
	char tmp[21];
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

size_t
money_format(int64_t cents, char *buf)
{
	uint64_t mag = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
	size_t len = 0;
	char tmp[21];
	size_t n;

	if (cents < 0)
		buf[len++] = '-';
	n = money_format_int((int64_t)(mag / 100), tmp);
	memcpy(buf + len, tmp, n);
	len += n;
	buf[len++] = '.';
	buf[len++] = (char)('0' + mag % 100 / 10);
	buf[len++] = (char)('0' + mag % 10);
	buf[len] = '\0';
	return len;
}

int
money_add(int64_t *acc, int64_t v)
{
	int64_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}

const char *
money_strerror(int status)
{
	switch (status) {
	case MONEY_OK:
		return "no error";
	case MONEY_ESYNTAX:
		return "is not a number";
	case MONEY_EPRECISION:
		return "has more than 2 decimals";
	case MONEY_EOVERFLOW:
		return "is out of range";
	}
	return "is invalid";
}
