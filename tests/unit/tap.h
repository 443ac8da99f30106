/*
 * A minimal TAP producer for the C unit tests.  Each check prints
 * "ok N - name" or "not ok N - name" followed by "# " diagnostics;
 * tap_done() prints the plan "1..N" and returns the exit status for main.
 * scripts/run-tests.sh counts these lines.
 */
#ifndef DATAOPS_TAP_H
#define DATAOPS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failures;

static inline void
tap_vdiag(const char *fmt, va_list ap)
{
	fputs("# ", stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
}

/* A "# " comment line; shown by the runner under a failure. */
static inline void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vdiag(fmt, ap);
	va_end(ap);
}

static inline int
tap_vresult(int pass, const char *file, int line, const char *fmt,
    va_list ap)
{
	tap_count++;
	if (!pass)
		tap_failures++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	return pass;
}

static inline int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return rc;
}

static inline int __attribute__((format(printf, 6, 7)))
tap_is_int(intmax_t got, intmax_t want, const char *expr, const char *file,
    int line, const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		diag("  %s", expr);
		diag("       got: %jd", got);
		diag("  expected: %jd", want);
	}
	return pass;
}

/* Print s[0..n) with C escapes, for diagnostics. */
static inline void
tap_quote(const char *label, const char *s, size_t n)
{
	size_t i, shown = n > 200 ? 200 : n;

	printf("# %s: ", label);
	if (s == NULL) {
		fputs("NULL\n", stdout);
		return;
	}
	putchar('"');
	for (i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"%s (%zu bytes)\n", shown < n ? "..." : "", n);
}

static inline int __attribute__((format(printf, 7, 8)))
tap_is_mem(const char *got, size_t ngot, const char *want, size_t nwant,
    const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int pass;

	pass = got != NULL && ngot == nwant && memcmp(got, want, nwant) == 0;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_quote("     got", got, got == NULL ? 0 : ngot);
		tap_quote("expected", want, nwant);
	}
	return pass;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...)						\
	tap_is_int((intmax_t)(got), (intmax_t)(want), #got " == " #want,	\
	    __FILE__, __LINE__, __VA_ARGS__)
#define is_mem(got, ngot, want, nwant, ...)				\
	tap_is_mem((got), (ngot), (want), (nwant), __FILE__, __LINE__,	\
	    __VA_ARGS__)
#define is_str(got, want, ...)						\
	tap_is_mem((got), (got) == NULL ? 0 : strlen(got), (want),	\
	    strlen(want), __FILE__, __LINE__, __VA_ARGS__)

/* Print the plan; the exit status for main: 0 when every check passed. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	fflush(stdout);
	return tap_failures == 0 ? 0 : 1;
}

#endif
