/*
 * Exact money: decimal text <-> int64 cents.  No binary floating point is
 * ever involved, so a sum of cents equals the sum of its parts exactly.
 */
#ifndef DATAOPS_MONEY_H
#define DATAOPS_MONEY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum money_status {
	MONEY_OK = 0,
	MONEY_ESYNTAX,		/* not a JSON number */
	MONEY_EPRECISION,	/* a non-zero digit after the second decimal */
	MONEY_EOVERFLOW		/* outside int64 cents */
};

/* Longest text money_format writes, without the NUL. */
#define MONEY_FMTLEN 22

/*
 * Parse the JSON number s[0..n) (sign, digits, fraction, exponent: "1e2",
 * "-0.50", "12.300") into cents.  Leading zeros and a bare ".5" are syntax
 * errors, as in JSON.  Returns a money_status.
 */
int money_parse(const char *s, size_t n, int64_t *cents);

/*
 * Parse the JSON number s[0..n) as an integer (an exponent or zero
 * fraction is allowed: "1e3", "4.0").  Returns a money_status;
 * MONEY_EPRECISION when it has a fractional part.
 */
int money_parse_int(const char *s, size_t n, int64_t *v);

/*
 * The common case of a number, read in one pass for speed: at p, before
 * end, a non-negative number without exponent, of at most 15 integer
 * digits and scale (at most 3) decimals: "0", "123", "1500.10".  Returns
 * where it stops, with *v the number times 10^scale; NULL when what is
 * at p is no such number.  What follows is the caller's to check: a digit,
 * a '.' or an exponent there means the general path.
 */
static inline const char *
money_plain(const char *p, const char *end, int scale, int64_t *v)
{
	const char *digits = p, *stop;
	uint64_t n = 0;
	int nf = 0;

	if (p < end && *p == '0' && p + 1 < end &&
	    (unsigned)(p[1] - '0') < 10)
		return NULL;
	stop = end - p > 15 ? p + 15 : end;
	for (; p < stop && (unsigned)(*p - '0') < 10; p++)
		n = n * 10 + (unsigned)(*p - '0');
	if (p == digits)
		return NULL;
	if (p < end && *p == '.') {
		for (p++; p < end && nf < scale && (unsigned)(*p - '0') < 10;
		    p++, nf++)
			n = n * 10 + (unsigned)(*p - '0');
		if (nf == 0)
			return NULL;
	}
	for (; nf < scale; nf++)
		n *= 10;
	*v = (int64_t)n;
	return p;
}

/* Write cents as "-1234.56" into buf (MONEY_FMTLEN+1 bytes); return length. */
size_t money_format(int64_t cents, char *buf);

/* Write v in decimal into buf (21 bytes at least); return the length. */
size_t money_format_int(int64_t v, char *buf);

/* *acc += v; return -1 (and leave *acc alone) on int64 overflow, else 0. */
int money_add(int64_t *acc, int64_t v);

/* A short English phrase for a money_status, for error messages. */
const char *money_strerror(int status);

#ifdef __cplusplus
}
#endif

#endif
