#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "money.h"

#define MAX_DEPTH	1024

static int
fail(struct json_scan *js, const char *at, const char *why)
{
	js->why = at >= js->end ? "unexpected end of line" :
	    *at == '\0' ? "NUL byte" : why;
	js->where = (size_t)(at - js->text);
	return -1;
}

int
json_begin(struct json_scan *js, const char *text, size_t len)
{
	js->text = js->p = text;
	js->end = text + len;
	js->used = 0;
	js->why = NULL;
	js->where = 0;
	js->not_object = 0;
	if (js->cap < len) {
		size_t cap = len < 4096 ? 4096 : len;
		char *s;

		/* not bad data: the line cannot be read at all */
		if ((s = realloc(js->scratch, cap)) == NULL)
			err(EX_SOFTWARE, NULL);
		js->scratch = s;
		js->cap = cap;
	}
	return 0;
}

int
json_begin_object(struct json_scan *js, const char *text, size_t len)
{
	json_begin(js, text, len);
	if (json_peek(js) == JSON_OBJECT)
		return json_open_object(js);
	if (json_skip(js) == -1 || json_end(js) == -1)
		return -1;
	js->not_object = 1;
	return -1;
}

const char *
json_error(struct json_scan *js)
{
	if (js->not_object)
		return "not a JSON object";
	snprintf(js->msg, sizeof(js->msg), "invalid JSON: %s at column %zu",
	    js->why != NULL ? js->why : "error", js->where + 1);
	return js->msg;
}

void
json_free(struct json_scan *js)
{
	free(js->scratch);
	js->scratch = NULL;
	js->cap = 0;
}

static inline const char *
skip_ws(const char *p)
{
	/* compact JSON has none: one test */
	if ((unsigned char)*p > ' ')
		return p;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

enum json_type
json_peek(struct json_scan *js)
{
	js->p = skip_ws(js->p);
	switch (*js->p) {
	case '{':
		return JSON_OBJECT;
	case '[':
		return JSON_ARRAY;
	case '"':
		return JSON_STRING;
	case 't':
		return JSON_TRUE;
	case 'f':
		return JSON_FALSE;
	case 'n':
		return JSON_NULL;
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JSON_NUMBER;
	}
	return JSON_BAD;
}

/*
 * The first '"', '\\' or control byte at or after p; *high is set when a
 * byte >= 0x80 comes before it.
 */
static inline __attribute__((always_inline)) const char *
string_run(const char *p, int *high)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);

	for (;;) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i hit = _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
		unsigned stop = (unsigned)_mm_movemask_epi8(hit);
		unsigned hi = (unsigned)_mm_movemask_epi8(x);

		if (stop != 0) {
			unsigned k = (unsigned)__builtin_ctz(stop);

			if (hi & ((1u << k) - 1))
				*high = 1;
			return p + k;
		}
		if (hi != 0)
			*high = 1;
		p += 16;
	}
#else
	while (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) {
		if ((unsigned char)*p >= 0x80)
			*high = 1;
		p++;
	}
	return p;
#endif
}

size_t
json_utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80 || (c == 0xf0 && p[1] < 0x90) ||
		    (c == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/* The first byte of p[0..n) that is not valid UTF-8, or NULL. */
static const char *
utf8_check(const char *p, size_t n)
{
	const char *end = p + n;
	size_t k;

	while (p < end) {
		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		if ((k = json_utf8_len((const unsigned char *)p,
		    (size_t)(end - p))) == 0)
			return p;
		p += k;
	}
	return NULL;
}

static int
hex4(const char *p, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* Decode the escape at p (after the backslash) into out; return its end. */
static const char *
unescape(const char *p, char *out, size_t *n)
{
	unsigned cp, lo;

	switch (*p) {
	case '"': case '\\': case '/':
		out[0] = *p;
		*n = 1;
		return p + 1;
	case 'b': out[0] = '\b'; *n = 1; return p + 1;
	case 'f': out[0] = '\f'; *n = 1; return p + 1;
	case 'n': out[0] = '\n'; *n = 1; return p + 1;
	case 'r': out[0] = '\r'; *n = 1; return p + 1;
	case 't': out[0] = '\t'; *n = 1; return p + 1;
	case 'u':
		break;
	default:
		return NULL;
	}
	if (hex4(p + 1, &cp) == -1)
		return NULL;
	p += 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return NULL;		/* a lone low surrogate */
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) == -1 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return NULL;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	}
	if (cp < 0x80) {
		out[0] = (char)cp;
		*n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		*n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		*n = 3;
	} else {
		out[0] = (char)(0xf0 | cp >> 18);
		out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		*n = 4;
	}
	return p;
}

/*
 * Scan the string at js->p (on its opening quote).  With out, hand back
 * its unescaped text: in place when it has no escape, else in scratch.
 * The whole work, for strings with an escape or an error.
 */
static int __attribute__((noinline))
scan_string_slow(struct json_scan *js, struct json_str *out)
{
	const char *start = js->p + 1, *p = start;
	char *dst = NULL;
	size_t dn = 0;

	for (;;) {
		int high = 0;
		const char *q = string_run(p, &high), *bad;
		size_t k;

		if (high && (bad = utf8_check(p, (size_t)(q - p))) != NULL)
			return fail(js, bad, "invalid UTF-8");
		if (dst != NULL) {
			memcpy(dst + dn, p, (size_t)(q - p));
			dn += (size_t)(q - p);
		}
		p = q;
		if (*p == '"')
			break;
		if (*p != '\\')
			return fail(js, p, *p != '\0' ?
			    "control character in string" : "unclosed string");
		if (out != NULL && dst == NULL) {
			dst = js->scratch + js->used;
			dn = (size_t)(p - start);
			memcpy(dst, start, dn);
		}
		{
			char tmp[4];
			const char *e = unescape(p + 1, dst ? dst + dn : tmp,
			    &k);

			if (e == NULL || e > js->end)
				return fail(js, p, "bad escape in string");
			dn += dst != NULL ? k : 0;
			p = e;
		}
	}
	if (p >= js->end)
		return fail(js, p, "unclosed string");
	js->p = p + 1;
	if (out != NULL) {
		if (dst == NULL) {
			out->s = start;
			out->n = (size_t)(p - start);
		} else {
			out->s = dst;
			out->n = dn;
			js->used += dn;
		}
	}
	return 0;
}

/*
 * The same, with the common case inline: a string that ends at its first
 * '"', '\\' or control byte, which is that '"'.
 */
static inline int
scan_string(struct json_scan *js, struct json_str *out)
{
	const char *start = js->p + 1, *p;
	int high = 0;

	p = string_run(start, &high);
	if (__builtin_expect(*p != '"' || p >= js->end, 0) ||
	    (high && utf8_check(start, (size_t)(p - start)) != NULL))
		return scan_string_slow(js, out);
	js->p = p + 1;
	if (out != NULL) {
		out->s = start;
		out->n = (size_t)(p - start);
	}
	return 0;
}

int
json_string(struct json_scan *js, struct json_str *out)
{
	if (json_peek(js) != JSON_STRING)
		return fail(js, js->p, "expected a string");
	return scan_string(js, out);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
json_number(struct json_scan *js, struct json_str *out)
{
	const char *p = skip_ws(js->p), *start = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (is_digit(*p))
		while (is_digit(*p))
			p++;
	else
		return fail(js, p, "bad number");
	if (*p == '.') {
		if (!is_digit(*++p))
			return fail(js, p, "bad number");
		while (is_digit(*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return fail(js, p, "bad number");
		while (is_digit(*p))
			p++;
	}
	if (p > js->end)
		return fail(js, js->end, "bad number");
	js->p = p;
	if (out != NULL) {
		out->s = start;
		out->n = (size_t)(p - start);
	}
	return 0;
}

int
json_plain_number(struct json_scan *js, int scale, int64_t *v)
{
	int64_t n;
	const char *q = money_plain(js->p, js->end, scale, &n);

	if (q == NULL || is_digit(*q) || *q == '.' || *q == 'e' || *q == 'E')
		return 0;
	js->p = q;
	*v = n;
	return 1;
}

static int
literal(struct json_scan *js, const char *word, size_t n)
{
	if ((size_t)(js->end - js->p) < n || memcmp(js->p, word, n) != 0)
		return fail(js, js->p, "bad literal");
	js->p += n;
	return 0;
}

int
json_open_object(struct json_scan *js)
{
	if (json_peek(js) != JSON_OBJECT)
		return fail(js, js->p, "expected an object");
	js->p++;
	js->first = 1;
	return 0;
}

/* A key and its ':', js->p on the opening quote after white space. */
static int
read_key(struct json_scan *js, struct json_str *key)
{
	const char *p = skip_ws(js->p);

	if (*p != '"')
		return fail(js, p, "expected a key");
	js->p = p;
	if (scan_string(js, key) == -1)
		return -1;
	p = skip_ws(js->p);
	if (*p != ':')
		return fail(js, p, "expected ':'");
	js->p = p + 1;
	return 0;
}

/*
 * Past the ',' before the next member of a container that close ends: 1,
 * or 0 after close, or -1.
 */
static inline int
next_member(struct json_scan *js, char close)
{
	const char *p = skip_ws(js->p);

	if (*p == close) {
		js->first = 0;
		js->p = p + 1;
		return 0;
	}
	if (js->first)
		js->first = 0;
	else if (*p == ',')
		p++;
	else
		return fail(js, p, close == '}' ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	js->p = p;
	return 1;
}

int
json_next_key(struct json_scan *js, struct json_str *key)
{
	int rc = next_member(js, '}');

	if (rc != 1)
		return rc;
	return read_key(js, key) == -1 ? -1 : 1;
}

int
json_open_array(struct json_scan *js)
{
	if (json_peek(js) != JSON_ARRAY)
		return fail(js, js->p, "expected an array");
	js->p++;
	js->first = 1;
	return 0;
}

int
json_next_elem(struct json_scan *js)
{
	return next_member(js, ']');
}

int
json_literal(struct json_scan *js)
{
	switch (json_peek(js)) {
	case JSON_TRUE:
		return literal(js, "true", 4);
	case JSON_FALSE:
		return literal(js, "false", 5);
	case JSON_NULL:
		return literal(js, "null", 4);
	default:
		return fail(js, js->p, "expected a value");
	}
}

static int skip_nested(struct json_scan *);

int
json_skip(struct json_scan *js)
{
	/* strings and numbers, most values, without the nesting machinery */
	switch (json_peek(js)) {
	case JSON_STRING:
		return scan_string(js, NULL);
	case JSON_NUMBER:
		return json_number(js, NULL);
	default:
		return skip_nested(js);
	}
}

static int __attribute__((noinline))
skip_nested(struct json_scan *js)
{
	unsigned char stack[MAX_DEPTH];	/* '}' or ']': what closes each */
	int depth = 0;
	const char *p;

	for (;;) {
		/* a value */
		switch (json_peek(js)) {
		case JSON_OBJECT:
		case JSON_ARRAY:
			if (depth == MAX_DEPTH)
				return fail(js, js->p, "nested too deep");
			stack[depth++] = *js->p == '{' ? '}' : ']';
			p = skip_ws(js->p + 1);
			if (*p == stack[depth - 1]) {
				js->p = p + 1;
				depth--;
				break;
			}
			js->p = p;
			if (stack[depth - 1] == '}' && read_key(js, NULL) == -1)
				return -1;
			continue;
		case JSON_STRING:
			if (scan_string(js, NULL) == -1)
				return -1;
			break;
		case JSON_NUMBER:
			if (json_number(js, NULL) == -1)
				return -1;
			break;
		case JSON_TRUE:
			if (literal(js, "true", 4) == -1)
				return -1;
			break;
		case JSON_FALSE:
			if (literal(js, "false", 5) == -1)
				return -1;
			break;
		case JSON_NULL:
			if (literal(js, "null", 4) == -1)
				return -1;
			break;
		default:
			return fail(js, js->p, "expected a value");
		}
		/* after a value: close containers, or go on to the next */
		for (;;) {
			if (depth == 0)
				return 0;
			p = skip_ws(js->p);
			if (*p == ',') {
				js->p = p + 1;
				if (stack[depth - 1] == '}' &&
				    read_key(js, NULL) == -1)
					return -1;
				break;
			}
			if (*p != stack[depth - 1])
				return fail(js, p, stack[depth - 1] == '}' ?
				    "expected ',' or '}'" :
				    "expected ',' or ']'");
			js->p = p + 1;
			depth--;
		}
	}
}

int
json_end(struct json_scan *js)
{
	const char *p = skip_ws(js->p);

	if (p < js->end)
		return fail(js, p, "text after the value");
	if (p > js->end)
		return fail(js, js->end, "unexpected end of line");
	return 0;
}
