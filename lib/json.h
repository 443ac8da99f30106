/*
 * A validating pull scanner for one JSON text held in memory, made for
 * NDJSON records: the caller walks an object's fields, takes the values it
 * wants (strings unescaped, numbers as their exact text) and skips the rest,
 * which are still fully checked.  No allocation per record.  The text must
 * be followed by a NUL and NDJSON_PADDING readable bytes (lib/ndjson.h
 * guarantees both).
 */
#ifndef DATAOPS_JSON_H
#define DATAOPS_JSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum json_type {
	JSON_BAD, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER,
	JSON_TRUE, JSON_FALSE, JSON_NULL
};

struct json_str {
	const char	*s;
	size_t		 n;
};

struct json_scan {
	const char	*text, *p, *end;
	char		*scratch;	/* unescaped strings of this text */
	size_t		 used, cap;
	const char	*why;		/* what was wrong, after an error */
	size_t		 where;		/* byte offset of the error */
	int		 first;		/* no key read yet in this object */
	int		 not_object;	/* valid JSON, but no object */
	char		 msg[160];	/* json_error's text */
};

/*
 * Start on text[0..len), with a scanner that was zeroed before its first
 * use and is reused after.  Always 0: out of memory, the program exits
 * with status 70 (EX_SOFTWARE), as a line it cannot hold is not bad data.
 */
int json_begin(struct json_scan *js, const char *text, size_t len);

/*
 * Start on a record, which must be one JSON object: json_begin, then its
 * '{' (json_next_key gives the fields).  0, or -1 (see json_error).
 */
int json_begin_object(struct json_scan *js, const char *text, size_t len);

/*
 * What went wrong, for a message: "invalid JSON: WHY at column N", or
 * "not a JSON object" after json_begin_object.
 */
const char *json_error(struct json_scan *js);

/* Free the scanner's buffer. */
void json_free(struct json_scan *js);

/* The type of the next value, after skipping white space. */
enum json_type json_peek(struct json_scan *js);

/* Consume '{': 0, or -1. */
int json_open_object(struct json_scan *js);

/*
 * The next key of the object and its ':': 1 with *key unescaped, 0 after
 * the closing '}', -1 on an error.
 */
int json_next_key(struct json_scan *js, struct json_str *key);

/* Consume '[': 0, or -1. */
int json_open_array(struct json_scan *js);

/*
 * Whether the array has another element: 1 with js->p on it, 0 after the
 * closing ']', -1 on an error.
 */
int json_next_elem(struct json_scan *js);

/* The literal true, false or null that json_peek saw: 0, or -1. */
int json_literal(struct json_scan *js);

/* A string value, unescaped: 0, or -1. */
int json_string(struct json_scan *js, struct json_str *out);

/* A number value as its exact text, checked against the grammar. */
int json_number(struct json_scan *js, struct json_str *out);

/*
 * The common case of a number, for speed: at js->p, a non-negative number
 * without exponent, of at most scale decimals and 15 digits ("123",
 * "1500.10").  Returns 1 with *v, the number times 10^scale, and the
 * number consumed; else 0, nothing consumed: read it with json_number.
 */
int json_plain_number(struct json_scan *js, int scale, int64_t *v);

/* Consume any value, checked in full: 0, or -1. */
int json_skip(struct json_scan *js);

/*
 * The length of the valid UTF-8 sequence at p[0..n), whose first byte is
 * 0x80 or more: 2 to 4, or 0 when it is not valid (cut short, overlong, a
 * surrogate, beyond U+10FFFF).
 */
size_t json_utf8_len(const unsigned char *p, size_t n);

/* Only white space is left: 0, or -1. */
int json_end(struct json_scan *js);

#ifdef __cplusplus
}
#endif

#endif
