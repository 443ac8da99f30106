/*
 * What the libFuzzer targets in tests/fuzz/ share.  Each target is one
 * LLVMFuzzerTestOneInput that feeds its input to lib/ and checks a
 * property with an oracle of its own (another parser, a reference model
 * written here, a round trip); a failed check aborts, and libFuzzer keeps
 * the input as a crash file.
 */
#ifndef DATAOPS_FUZZ_H
#define DATAOPS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed property: say which, then abort so libFuzzer saves the input. */
#define fuzz_assert(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__,	\
		    __LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/*
 * s[0..n) in an allocation of exactly n + 1 + NDJSON_PADDING bytes: a NUL
 * after it, then padding, as lib/ndjson.h promises its readers.  The
 * padding holds stale bytes (the text again), not zeros, as a reused read
 * buffer does; ASan sees any read past it.  Free with free().
 */
static inline char *
fuzz_padded(const void *s, size_t n)
{
	char *p = malloc(n + 1 + NDJSON_PADDING);
	size_t i;

	if (p == NULL)
		abort();
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	for (i = 0; i < NDJSON_PADDING; i++)
		p[n + 1 + i] = n > 0 ? ((const char *)s)[i % n] : '"';
	return p;
}

/* Append s[0..n) to buf as the inside of a JSON string literal. */
static inline size_t
fuzz_json_escape(char *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			out[k++] = '\\';
			out[k++] = (char)c;
		} else if (c < 0x20) {
			memcpy(out + k, "\\u00", 4);
			out[k + 4] = hex[c >> 4];
			out[k + 5] = hex[c & 15];
			k += 6;
		} else {
			out[k++] = (char)c;
		}
	}
	return k;
}

/* 1 when s[0..n) is valid UTF-8 (no surrogates, no overlongs). */
static inline int
fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k, j;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			k = 2;
			cp = p[i] & 0x1f;
		} else if ((p[i] & 0xf0) == 0xe0) {
			k = 3;
			cp = p[i] & 0x0f;
		} else if ((p[i] & 0xf8) == 0xf0) {
			k = 4;
			cp = p[i] & 0x07;
		} else {
			return 0;
		}
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
		    (k == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k;
	}
	return 1;
}

#endif
