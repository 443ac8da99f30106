/*
 * Fuzz target: exact money (lib/money), decimal text <-> int64 cents.
 *
 *   - any int64: money_format and money_format_int write what printf
 *     writes, and money_parse / money_parse_int read it back to the same
 *     value (parse(format(x)) == x);
 *   - any text: money_parse and money_parse_int give the status and value
 *     of a reference written here on decimal strings (normalise the
 *     digits and the exponent, no arithmetic that can overflow), the JSON
 *     scanner agrees on what is a number, and a value that parses formats
 *     to text that parses to it again;
 *   - money_add agrees with 128-bit addition.
 *
 * UBSan checks every step for overflow and shifts.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "json.h"
#include "money.h"

#define EXP_SATURATE	1000000000000LL

struct decimal {
	int		 neg;
	const char	*digits;	/* no leading zeros; "" for zero */
	size_t		 n;		/* without trailing zeros */
	long long	 point;		/* value = digits * 10^point */
};

/* Read a JSON number by its grammar: 0, or -1 when s is no number. */
static int
reference_decimal(const char *s, size_t n, struct decimal *d, char *buf)
{
	size_t i = 0, k = 0, nfrac = 0, lead;
	long long exp = 0;
	int eneg = 0;

	d->neg = 0;
	if (i < n && s[i] == '-')
		d->neg = 1, i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return -1;
	if (s[i] == '0')
		buf[k++] = s[i++];
	else
		while (i < n && s[i] >= '0' && s[i] <= '9')
			buf[k++] = s[i++];
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			buf[k++] = s[i++], nfrac++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			exp = exp * 10 + (s[i++] - '0');
			if (exp > EXP_SATURATE)
				exp = EXP_SATURATE;
		}
	}
	if (i != n)
		return -1;
	for (lead = 0; lead < k && buf[lead] == '0'; lead++)
		;
	d->digits = buf + lead;
	d->n = k - lead;
	d->point = (eneg ? -exp : exp) - (long long)nfrac;
	while (d->n > 0 && d->digits[d->n - 1] == '0') {
		d->n--;
		d->point++;
	}
	if (d->n == 0)
		d->neg = 0, d->point = 0;
	return 0;
}

/* The status and value the decimal d scaled by 10^scale must give. */
static int
reference_scaled(const struct decimal *d, int scale, int64_t *out)
{
	long long point = d->point + scale;
	unsigned __int128 mag = 0, limit;
	size_t i;

	if (d->n == 0) {
		*out = 0;
		return MONEY_OK;
	}
	if (point < 0)
		return MONEY_EPRECISION;
	if ((long long)d->n + point > 20)
		return MONEY_EOVERFLOW;
	for (i = 0; i < d->n; i++)
		mag = mag * 10 + (unsigned)(d->digits[i] - '0');
	for (; point > 0; point--)
		mag *= 10;
	limit = d->neg ? (unsigned __int128)INT64_MAX + 1 : INT64_MAX;
	if (mag > limit)
		return MONEY_EOVERFLOW;
	*out = d->neg ? (int64_t)(0 - (uint64_t)mag) : (int64_t)mag;
	return MONEY_OK;
}

static void
check_format(int64_t x)
{
	char buf[MONEY_FMTLEN + 1 + 8], want[64];
	uint64_t mag = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
	int64_t back = 0, cents;
	size_t n;
	int rc;

	n = money_format(x, buf);
	snprintf(want, sizeof(want), "%s%" PRIu64 ".%02u", x < 0 ? "-" : "",
	    mag / 100, (unsigned)(mag % 100));
	fuzz_assert(n <= MONEY_FMTLEN && buf[n] == '\0' &&
	    strcmp(buf, want) == 0, "money_format(%" PRId64 ") = %s", x, buf);
	rc = money_parse(buf, n, &back);
	fuzz_assert(rc == MONEY_OK && back == x, "money_parse(\"%s\") = %s "
	    "%" PRId64, buf, money_strerror(rc), back);

	n = money_format_int(x, buf);
	snprintf(want, sizeof(want), "%" PRId64, x);
	fuzz_assert(buf[n] == '\0' && strcmp(buf, want) == 0,
	    "money_format_int(%" PRId64 ") = %s", x, buf);
	rc = money_parse_int(buf, n, &back);
	fuzz_assert(rc == MONEY_OK && back == x, "money_parse_int(\"%s\")",
	    buf);
	rc = money_parse(buf, n, &cents);
	if (__builtin_mul_overflow(x, 100, &back))
		fuzz_assert(rc == MONEY_EOVERFLOW, "money_parse(\"%s\") "
		    "overflows", buf);
	else
		fuzz_assert(rc == MONEY_OK && cents == back,
		    "money_parse(\"%s\") = %" PRId64 " cents", buf, cents);
}

static void
check_add(int64_t a, int64_t b)
{
	__int128 sum = (__int128)a + b;
	int64_t acc = a;
	int rc = money_add(&acc, b);

	if (sum > INT64_MAX || sum < INT64_MIN)
		fuzz_assert(rc == -1 && acc == a, "money_add overflow");
	else
		fuzz_assert(rc == 0 && acc == (int64_t)sum, "money_add");
}

/* Does the JSON scanner take s[0..n) for exactly one number? */
static int
scanner_number(const char *s, size_t n)
{
	static struct json_scan js;
	char *p = fuzz_padded(s, n);
	int ok;

	if (json_begin(&js, p, n) == -1)
		abort();
	ok = json_peek(&js) == JSON_NUMBER && js.p == p &&
	    json_number(&js, NULL) == 0 && js.p == p + n;
	free(p);
	return ok;
}

static void
check_text(const char *s, size_t n)
{
	struct decimal d;
	char *buf = malloc(n + 1), fmt[MONEY_FMTLEN + 1];
	int64_t got, want, again;
	int number, rc, wrc, scale;

	if (buf == NULL)
		abort();
	number = reference_decimal(s, n, &d, buf) == 0;
	fuzz_assert(scanner_number(s, n) == number,
	    "the JSON scanner and the grammar disagree");
	for (scale = 0; scale <= 2; scale += 2) {
		got = want = 0x5555;
		rc = scale ? money_parse(s, n, &got) :
		    money_parse_int(s, n, &got);
		wrc = number ? reference_scaled(&d, scale, &want) :
		    MONEY_ESYNTAX;
		fuzz_assert(rc == wrc, "scale %d: status %s, expected %s",
		    scale, money_strerror(rc), money_strerror(wrc));
		if (rc != MONEY_OK) {
			fuzz_assert(got == 0x5555, "output set on failure");
			continue;
		}
		fuzz_assert(got == want, "scale %d: %" PRId64 ", expected %"
		    PRId64, scale, got, want);
		if (scale) {
			size_t k = money_format(got, fmt);

			fuzz_assert(money_parse(fmt, k, &again) == MONEY_OK &&
			    again == got, "format then parse: %s", fmt);
		}
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t x, y;

	if (size >= 16) {
		memcpy(&x, data, 8);
		memcpy(&y, data + 8, 8);
		check_format(x);
		check_format(y);
		check_format(INT64_MIN + (x & 0xffff));
		check_format(INT64_MAX - (y & 0xffff));
		check_add(x, y);
	}
	check_text((const char *)data, size);
	return 0;
}
