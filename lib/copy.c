#include <stdint.h>
#include <string.h>

#include "copy.h"
#include "date.h"

/* What follows the backslash for each byte COPY needs escaped, else 0. */
static const char escape_of[256] = {
	['\\'] = '\\', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
};

size_t
copy_escape(const char *s, size_t n, char *out)
{
	size_t i = 0, run = 0, len = 0;

	for (;;) {
		/* one test per byte: escapes are rare */
		while (i < n && escape_of[(unsigned char)s[i]] == 0)
			i++;
		memcpy(out + len, s + run, i - run);
		len += i - run;
		if (i == n)
			return len;
		out[len++] = '\\';
		out[len++] = escape_of[(unsigned char)s[i]];
		run = ++i;
	}
}

/* PostgreSQL's dates and timestamps count from 2000-01-01. */
#define PG_EPOCH_DAYS	10957		/* 2000-01-01 - 1970-01-01 */

void
copy_put_be(unsigned char *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (unsigned char)v;
		v >>= 8;
	}
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* Two digits at s as a number, or -1. */
static int
two_digits(const char *s)
{
	return digits(s, 2) ? (s[0] - '0') * 10 + s[1] - '0' : -1;
}

int
copy_binary_int(const char *s, size_t n, int size, unsigned char *out)
{
	const char *end = s + n;
	uint64_t v = 0, max;
	int neg = 0;

	if (n > 0 && *s == '-') {
		neg = 1;
		s++;
	}
	if (s == end || end - s > 20 || !digits(s, (size_t)(end - s)) ||
	    (*s == '0' && end - s > 1))
		return -1;
	max = (uint64_t)1 << (8 * size - 1);	/* |minimum| */
	for (; s < end; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max - !neg)
		return -1;
	copy_put_be(out, neg ? -v : v, size);
	return size;
}

int
copy_binary_numeric(const char *s, size_t n, unsigned char *out)
{
	const char *end = s + n, *ip, *fp = NULL;
	size_t ni, nf = 0, lead, total, k, nd = 0;
	int neg = 0, weight;
	unsigned d;

	if (n > 1000)
		return -1;
	if (n > 0 && *s == '-') {
		neg = 1;
		s++;
	}
	ip = s;
	while (s < end && digits(s, 1))
		s++;
	ni = (size_t)(s - ip);
	if (s < end && *s == '.') {
		fp = ++s;
		while (s < end && digits(s, 1))
			s++;
		nf = (size_t)(s - fp);
		if (nf == 0)
			return -1;
	}
	if (s != end || ni == 0)
		return -1;
	while (ni > 0 && *ip == '0') {
		ip++;
		ni--;
	}
	/*
	 * Base-10000 digits: the integer part padded with zeros on the left
	 * to whole groups of four decimal digits, the fraction on the
	 * right; zero groups at either end dropped, as numeric_in does.
	 */
	lead = (4 - ni % 4) % 4;
	total = lead + ni + nf;
	total += (4 - total % 4) % 4;
	weight = (int)((lead + ni) / 4) - 1;
	for (k = 0; k < total; k += 4) {
		size_t j;

		d = 0;
		for (j = k; j < k + 4; j++) {
			size_t at = j - lead;	/* wraps below lead */
			char c = j < lead ? '0' : at < ni ? ip[at] :
			    at - ni < nf ? fp[at - ni] : '0';

			d = d * 10 + (unsigned)(c - '0');
		}
		if (nd == 0 && d == 0) {
			weight--;
			continue;
		}
		copy_put_be(out + 8 + 2 * nd++, d, 2);
	}
	while (nd > 0 && out[8 + 2 * (nd - 1)] == 0 &&
	    out[8 + 2 * (nd - 1) + 1] == 0)
		nd--;
	if (nd == 0) {
		weight = 0;
		neg = 0;
	}
	copy_put_be(out, nd, 2);
	copy_put_be(out + 2, (uint64_t)weight, 2);
	copy_put_be(out + 4, neg ? 0x4000 : 0, 2);
	copy_put_be(out + 6, nf, 2);
	return (int)(8 + 2 * nd);
}

/* YYYY-MM-DD at s[0..10) into days since 2000-01-01: 0, or -1. */
static int
day_of(const char *s, int64_t *days)
{
	int y, m, d;

	if (date_parse(s, 10, &y, &m, &d) == -1)
		return -1;
	*days = date_to_days(y, m, d) - PG_EPOCH_DAYS;
	return 0;
}

int
copy_binary_date(const char *s, size_t n, unsigned char *out)
{
	int64_t days;

	if (n != 10 || day_of(s, &days) == -1)
		return -1;
	copy_put_be(out, (uint64_t)days, 4);
	return 4;
}

int
copy_binary_timestamptz(const char *s, size_t n, unsigned char *out)
{
	const char *p = s + 19, *end = s + n;
	int64_t days, secs, us = 0;
	int h, mi, sec, oh, om, k = 0, off = 0;

	if (n < 19 || day_of(s, &days) == -1 || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || (h = two_digits(s + 11)) < 0 ||
	    h > 23 || (mi = two_digits(s + 14)) < 0 || mi > 59 ||
	    (sec = two_digits(s + 17)) < 0 || sec > 59)
		return -1;
	if (p < end && *p == '.') {
		for (p++; p < end && digits(p, 1) && k < 7; p++, k++)
			us = us * 10 + (*p - '0');
		if (k == 0 || k > 6)
			return -1;
		for (; k < 6; k++)
			us *= 10;
	}
	if (p < end && *p == 'Z')
		p++;
	else if (p < end && (*p == '+' || *p == '-')) {
		if (end - p != 6 || p[3] != ':' ||
		    (oh = two_digits(p + 1)) < 0 || oh > 15 ||
		    (om = two_digits(p + 4)) < 0 || om > 59)
			return -1;
		off = (oh * 60 + om) * 60;
		if (*p == '-')
			off = -off;
		p += 6;
	}
	if (p != end)
		return -1;
	secs = days * 86400 + h * 3600 + mi * 60 + sec - off;
	copy_put_be(out, (uint64_t)(secs * 1000000 + us), 8);
	return 8;
}
