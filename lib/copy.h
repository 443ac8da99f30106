/*
 * PostgreSQL COPY text format: one field's text as COPY ... FROM STDIN
 * reads it back byte for byte.
 */
#ifndef DATAOPS_COPY_H
#define DATAOPS_COPY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most bytes copy_escape writes for n bytes of text. */
#define COPY_ESCAPED_MAX(n)	(2 * (n))

/*
 * Write s[0..n) into out (COPY_ESCAPED_MAX(n) bytes) as one field of
 * COPY's text format: backslash, newline, carriage return and tab
 * escaped, every other byte as is.  Returns the length written.  s must
 * hold no NUL: PostgreSQL text cannot.
 */
size_t copy_escape(const char *s, size_t n, char *out);

/*
 * COPY's binary format, for the values whose text the server would read
 * back as exactly these bytes.  A binary COPY starts with the header and
 * ends with the trailer; a row is a 16-bit field count, then every field
 * as a 32-bit length (-1 for NULL) and its bytes, all in network order.
 */
#define COPY_BINARY_HEADER	"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0"
#define COPY_BINARY_HEADER_LEN	19
#define COPY_BINARY_TRAILER	"\377\377"
#define COPY_BINARY_TRAILER_LEN	2

/* v in n bytes (at most 8) at p, in network order. */
void copy_put_be(unsigned char *p, uint64_t v, int n);

/* The most bytes copy_binary_numeric writes for n bytes of text. */
#define COPY_NUMERIC_MAX(n)	(8 + 2 * ((n) / 4 + 2))

/*
 * Each writes one value into out and returns its length, or -1 when s is
 * not in the one form it takes, for which the text format is left to the
 * server's own parsing:
 *
 * copy_binary_int: a decimal integer, optionally negative, no leading
 * zeros, that fits in size bytes (2, 4 or 8): int2, int4, int8.
 * copy_binary_numeric: [-]digits[.digits], at most 1000 bytes: numeric,
 * its scale the digits after the point, as numeric_in makes it.
 * copy_binary_date: YYYY-MM-DD, a real day of years 1 to 9999: date.
 * copy_binary_timestamptz: YYYY-MM-DDTHH:MM:SS, a fraction of at most 6
 * digits, then Z, +hh:mm or -hh:mm (hh at most 15) or nothing for UTC:
 * timestamptz, whose session time zone must be UTC.
 */
int copy_binary_int(const char *s, size_t n, int size, unsigned char *out);
int copy_binary_numeric(const char *s, size_t n, unsigned char *out);
int copy_binary_date(const char *s, size_t n, unsigned char *out);
int copy_binary_timestamptz(const char *s, size_t n, unsigned char *out);

#ifdef __cplusplus
}
#endif

#endif
