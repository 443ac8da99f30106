/*
 * PostgreSQL COPY text format: one field's text as COPY ... FROM STDIN
 * reads it back byte for byte.
 */
#ifndef DATAOPS_COPY_H
#define DATAOPS_COPY_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif

#endif
