/*
 * Unit tests for lib/json.h: the validating pull scanner.  Every text is
 * copied into a zeroed buffer of len + 1 + NDJSON_PADDING bytes, as the
 * header requires (a NUL after the text and padding the scanner may read).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "ndjson.h"
#include "tap.h"

static struct json_scan js;	/* zeroed: no scratch buffer yet */
static char *text;		/* the padded copy of the current text */
static size_t text_len;

/* Put s[0..n) in a fresh padded buffer and start the scanner on it. */
static const char *
start_n(const char *s, size_t n)
{
	free(text);
	if ((text = calloc(1, n + 1 + NDJSON_PADDING)) == NULL)
		abort();
	memcpy(text, s, n);
	text_len = n;
	if (json_begin(&js, text, n) == -1)
		abort();
	return text;
}

static const char *
start(const char *s)
{
	return start_n(s, strlen(s));
}

/* json_skip then json_end on s[0..n): 0, or -1 with js.why set. */
static int
scan_n(const char *s, size_t n)
{
	start_n(s, n);
	return json_skip(&js) == -1 || json_end(&js) == -1 ? -1 : 0;
}

static void
valid_n(const char *s, size_t n, const char *name)
{
	if (!ok(scan_n(s, n) == 0, "valid: %s", name)) {
		tap_quote("text", s, n);
		diag("  why: %s at %zu", js.why ? js.why : "(null)", js.where);
	}
}

/* The text as a one-line test name: control bytes as C escapes. */
static const char *
name_of(const char *s)
{
	static char name[256];
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n + 5 < sizeof(name); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20)
			n += (size_t)snprintf(name + n, sizeof(name) - n,
			    "\\x%02x", c);
		else
			name[n++] = (char)c;
	}
	name[n] = '\0';
	return name;
}

static void
valid(const char *s)
{
	valid_n(s, strlen(s), name_of(s));
}

/* s[0..n) is rejected; with why, for that reason; with where >= 0, there. */
static void
invalid_n(const char *s, size_t n, const char *name, const char *why,
    long where)
{
	int rc = scan_n(s, n);
	int pass = rc == -1 && js.why != NULL &&
	    (why == NULL || strcmp(js.why, why) == 0) &&
	    (where < 0 || js.where == (size_t)where);

	if (!ok(pass, "invalid: %s", name)) {
		tap_quote("text", s, n);
		if (rc == 0)
			diag("  accepted");
		else
			diag("  got why \"%s\" at %zu", js.why ? js.why :
			    "(null)", js.where);
		if (why != NULL || where >= 0)
			diag("  expected why \"%s\" at %ld", why ? why : "any",
			    where);
	}
}

static void
invalid(const char *s, const char *name)
{
	invalid_n(s, strlen(s), name, NULL, -1);
}

static void
test_valid(void)
{
	valid("{}");
	valid("[]");
	valid(" \t\r\n{ } \r\n\t ");
	valid("{\"a\":1}");
	valid("{ \"a\" : 1 , \"b\" : [ ] , \"c\" : { } }");
	valid("{\"a\":[1,[2,[3,{}]],{\"b\":{\"c\":[true,false,null]}}],"
	    "\"d\":\"x\"}");
	valid("[[[[[[[[[[]]]]]]]]]]");
	valid("[{\"a\":[{\"b\":[{}]}]},[],{},\"s\",-1.5e+10,true]");
	valid("\"a bare string\"");
	valid("0");
	valid("-0");
	valid("1.5e-3");
	valid("1E+10");
	valid("-12.34e5");
	valid("0.0");
	valid("123456789012345678901234567890");
	valid("true");
	valid("false");
	valid("null");
	valid("{\"\":\"\"}");
	valid("\"\\u0000 is an escaped NUL\"");
	valid("\"é, € and 😀 in UTF-8\"");
	valid("\"\xf4\x8f\xbf\xbf is U+10FFFF\"");
	valid("\"\xe0\xa0\x80 is U+0800, \xef\xbf\xbf is U+FFFF\"");
	valid("\"a \x7f (DEL) is allowed\"");
}

static void
test_walk(void)
{
	struct json_str key, val;
	const char *t;
	int rc;

	t = start("{\"a\":1,\"b\":[1,{\"c\":[]}],\"d\":{\"e\":null},"
	    "\"s\":\"x\",\"n\" : -2.50 }");
	is_int(json_peek(&js), JSON_OBJECT, "json_peek sees an object");
	is_int(json_open_object(&js), 0, "json_open_object");
	is_int(json_next_key(&js, &key), 1, "first key");
	is_mem(key.s, key.n, "a", 1, "the first key is \"a\"");
	is_int(json_peek(&js), JSON_NUMBER, "its value is a number");
	is_int(json_number(&js, &val), 0, "json_number");
	is_mem(val.s, val.n, "1", 1, "the number's text is \"1\"");
	is_int(json_next_key(&js, &key), 1, "second key");
	is_mem(key.s, key.n, "b", 1, "the second key is \"b\"");
	is_int(json_peek(&js), JSON_ARRAY, "its value is an array");
	is_int(json_skip(&js), 0, "json_skip skips the nested array");
	is_int(json_next_key(&js, &key), 1, "third key");
	is_mem(key.s, key.n, "d", 1, "the third key is \"d\"");
	is_int(json_skip(&js), 0, "json_skip skips the nested object");
	is_int(json_next_key(&js, &key), 1, "fourth key");
	is_int(json_peek(&js), JSON_STRING, "its value is a string");
	is_int(json_string(&js, &val), 0, "json_string");
	is_mem(val.s, val.n, "x", 1, "the string is \"x\"");
	is_int(json_next_key(&js, &key), 1, "fifth key, after spaces");
	is_mem(key.s, key.n, "n", 1, "the fifth key is \"n\"");
	is_int(json_number(&js, &val), 0, "json_number after a space");
	is_mem(val.s, val.n, "-2.50", 5, "json_number keeps \"-2.50\" as is");
	ok(val.s == t + strlen(t) - 7, "the number points into the text");
	is_int(json_next_key(&js, &key), 0, "json_next_key is 0 at '}'");
	is_int(json_end(&js), 0, "json_end after the object");

	start("{}");
	json_open_object(&js);
	is_int(json_next_key(&js, &key), 0, "an empty object has no key");
	is_int(json_end(&js), 0, "and ends there");

	start("{\"a\":1,}");
	json_open_object(&js);
	json_next_key(&js, &key);
	json_skip(&js);
	is_int(json_next_key(&js, &key), -1,
	    "json_next_key rejects a trailing comma");
	is_int(js.where, 7, "at the '}' (offset 7)");

	start("{\"a\":1 \"b\":2}");
	json_open_object(&js);
	json_next_key(&js, &key);
	json_skip(&js);
	is_int(json_next_key(&js, &key), -1,
	    "json_next_key rejects a missing comma");

	start("{,\"a\":1}");
	json_open_object(&js);
	is_int(json_next_key(&js, &key), -1,
	    "json_next_key rejects a leading comma");

	start("{\"a\" 1}");
	json_open_object(&js);
	rc = json_next_key(&js, &key);
	is_int(rc, -1, "json_next_key rejects a missing colon");
	is_int(js.where, 5, "at the '1' (offset 5)");

	start("[1]");
	is_int(json_open_object(&js), -1, "json_open_object on an array");
	start("42");
	is_int(json_string(&js, &val), -1, "json_string on a number");
	start("\"42\"");
	is_int(json_number(&js, &val), -1, "json_number on a string");
	start("");
	is_int(json_peek(&js), JSON_BAD, "json_peek of empty text is JSON_BAD");
	start("+1");
	is_int(json_peek(&js), JSON_BAD, "json_peek of \"+1\" is JSON_BAD");
}

static void
unescapes(const char *s, const char *want, size_t nwant, const char *name)
{
	struct json_str out = { NULL, 0 };
	int rc;

	start(s);
	rc = json_string(&js, &out);
	if (rc == -1) {
		ok(0, "unescape %s", name);
		diag("  why: %s at %zu", js.why ? js.why : "(null)", js.where);
		return;
	}
	is_mem(out.s, out.n, want, nwant, "unescape %s", name);
}

static void
test_strings(void)
{
	static const char all[] =
	    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e1\\ud83d\\ude00\"";
	static const char all_out[] =
	    "\"\\/\b\f\n\r\t\xc3\xa1\xf0\x9f\x98\x80";
	struct json_str out, k1, v1, k2, v2;
	const char *t;

	unescapes(all, all_out, sizeof(all_out) - 1, "every escape");
	unescapes("\"\\u00E1\\u00c9\"", "\xc3\xa1\xc3\x89", 4,
	    "upper- and lowercase hex");
	unescapes("\"\\u0041\\u007f\"", "A\x7f", 2, "\\u0041 and \\u007f (1 byte)");
	unescapes("\"\\u0080\\u07ff\"", "\xc2\x80\xdf\xbf", 4,
	    "\\u0080 and \\u07ff (2 bytes)");
	unescapes("\"\\u0800\\u20ac\\uffff\"",
	    "\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf", 9,
	    "\\u0800, \\u20ac and \\uffff (3 bytes)");
	unescapes("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80", 4,
	    "uppercase surrogate pair");
	unescapes("\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf", 4,
	    "the highest surrogate pair (U+10FFFF)");
	unescapes("\"\\ud800\\udc00\"", "\xf0\x90\x80\x80", 4,
	    "the lowest surrogate pair (U+10000)");
	unescapes("\"a\\u0000b\"", "a\0b", 3, "\\u0000 as a NUL byte");
	unescapes("\"Cear\\u00e1 \\\"CE\\\" S\\u00e3o\"",
	    "Ceará \"CE\" São", strlen("Ceará \"CE\" São"),
	    "escapes among plain text");
	unescapes("\"\"", "", 0, "the empty string");

	t = start("\"plain São Paulo\"");
	is_int(json_string(&js, &out), 0, "a string without escapes");
	ok(out.s == t + 1, "is returned in place, pointing into the text");
	is_mem(out.s, out.n, "plain São Paulo", strlen("plain São Paulo"),
	    "with its exact bytes");

	/* Several unescaped strings of one text must not overwrite each other. */
	start("{\"k\\u0031\":\"v\\n1\",\"k2\":\"w\\t2\",\"k\\u0033\":3}");
	json_open_object(&js);
	json_next_key(&js, &k1);
	json_string(&js, &v1);
	json_next_key(&js, &k2);
	json_string(&js, &v2);
	json_next_key(&js, &out);
	json_skip(&js);
	is_int(json_next_key(&js, &out), 0, "an object with escaped keys");
	ok(k1.n == 2 && memcmp(k1.s, "k1", 2) == 0 &&
	    v1.n == 3 && memcmp(v1.s, "v\n1", 3) == 0 &&
	    k2.n == 2 && memcmp(k2.s, "k2", 2) == 0 &&
	    v2.n == 3 && memcmp(v2.s, "w\t2", 3) == 0,
	    "its unescaped keys and values are all still intact at the end");

	/* Long strings: the scratch space grows, the SIMD path crosses blocks */
	{
		size_t n = 20000, i;
		char *s = malloc(n * 2 + 3), *want = malloc(n * 2);
		size_t len = 0, wlen = 0;

		s[len++] = '"';
		for (i = 0; i < n / 4; i++) {
			memcpy(s + len, "ab\\n", 4);
			len += 4;
			memcpy(want + wlen, "ab\n", 3);
			wlen += 3;
			if (i % 5 == 0) {
				memcpy(s + len, "\xc3\xa9", 2);
				len += 2;
				memcpy(want + wlen, "\xc3\xa9", 2);
				wlen += 2;
			}
		}
		s[len++] = '"';
		start_n(s, len);
		is_int(json_string(&js, &out), 0,
		    "a 20000-byte string with escapes and UTF-8");
		is_mem(out.s, out.n, want, wlen, "is unescaped in full");
		free(s);
		free(want);
	}
}

static void
test_invalid_strings(void)
{
	invalid("\"\\ud83d\"", "a lone high surrogate");
	invalid("\"\\ud83dx\"", "a high surrogate followed by text");
	invalid("\"\\ud83d\\u0041\"", "a high surrogate then a non-surrogate");
	invalid("\"\\ud83d\\ud83d\"", "two high surrogates");
	invalid("\"\\ude00\"", "a lone low surrogate");
	invalid("\"\\ude00\\ud83d\"", "a surrogate pair in the wrong order");
	invalid("\"\\x41\"", "the escape \\x");
	invalid("\"\\a\"", "the escape \\a");
	invalid("\"\\'\"", "the escape \\'");
	invalid("\"\\u12\"", "a short \\u escape");
	invalid("\"\\u12g4\"", "a \\u escape with a non-hex digit");
	invalid("\"\\", "a backslash at the end");
	invalid("\"a\tb\"", "a raw tab in a string");
	invalid("\"a\nb\"", "a raw newline in a string");
	invalid("\"\x01\"", "a raw 0x01 in a string");
	invalid("\"\x1f\"", "a raw 0x1f in a string");
	invalid("\"\xc0\x80\"", "overlong UTF-8 C0 80");
	invalid("\"\xc1\xbf\"", "overlong UTF-8 C1 BF");
	invalid("\"\xe0\x80\x80\"", "overlong UTF-8 E0 80 80");
	invalid("\"\xf0\x80\x80\x80\"", "overlong UTF-8 F0 80 80 80");
	invalid("\"\xed\xa0\x80\"", "a UTF-8 encoded surrogate ED A0 80");
	invalid("\"\xf4\x90\x80\x80\"", "UTF-8 above U+10FFFF");
	invalid("\"\xf5\x80\x80\x80\"", "the byte F5");
	invalid("\"\xff\"", "the byte FF");
	invalid("\"\x80\"", "a lone continuation byte");
	invalid("\"a\xc3\"", "a truncated 2-byte sequence before the quote");
	invalid("\"a\xe2\x82\"", "a truncated 3-byte sequence before the quote");
	invalid("\"a\xe2\x82", "a truncated sequence at the end of the text");
	invalid("\"a\xc3", "a truncated 2-byte sequence at the end");
	invalid("\"0123456789abcdef0123456789\xc3\x28 and more text\"",
	    "invalid UTF-8 past the first 16 bytes");
	invalid("{\"k\xc0\x80\":1}", "invalid UTF-8 in a key");
	invalid("\"abc", "an unclosed string");
	invalid("\"", "a lone quote");
	invalid("{\"a", "an unclosed key");
	invalid("\"abc\\\"", "a string whose last quote is escaped");
	invalid("\xc3\xa9", "UTF-8 outside a string");
}

static void
test_invalid_structure(void)
{
	invalid_n("{\"a\":1,}", 8, "a trailing comma in an object",
	    NULL, 7);
	invalid_n("[1,2,]", 6, "a trailing comma in an array", NULL, 5);
	invalid("[,]", "a lone comma in an array");
	invalid("[1 2]", "a missing comma in an array");
	invalid("{\"a\" 1}", "a missing colon");
	invalid("{\"a\"}", "a key without a value");
	invalid("{\"a\":}", "a colon without a value");
	invalid("{1:2}", "a number as a key");
	invalid("{a:1}", "an unquoted key");
	invalid("{'a':1}", "a single-quoted key");
	invalid("{\"a\":1]", "an object closed by ']'");
	invalid("[1}", "an array closed by '}'");
	invalid("{\"a\":1", "an unclosed object");
	invalid_n("[1,2", 4, "an unclosed array", "unexpected end of line",
	    4);
	invalid("[", "a lone '['");
	invalid("]", "a lone ']'");
	invalid("", "empty text");
	invalid("   ", "only white space");
	invalid("\f1", "a form feed is not white space");
	invalid("\xc2\xa0" "1", "a no-break space is not white space");
}

static void
test_numbers(void)
{
	struct json_str out;
	const char *t;

	invalid("01", "a leading zero \"01\"");
	invalid("-01", "a leading zero \"-01\"");
	invalid("00", "\"00\"");
	invalid("[01]", "a leading zero in an array");
	invalid("1.", "\"1.\"");
	invalid("1.e3", "\"1.e3\"");
	invalid(".5", "\".5\"");
	invalid("-", "\"-\"");
	invalid("-.5", "\"-.5\"");
	invalid("- 1", "\"- 1\"");
	invalid("1e", "\"1e\"");
	invalid("1e+", "\"1e+\"");
	invalid("1E-", "\"1E-\"");
	invalid("+1", "\"+1\"");
	invalid("0x10", "\"0x10\"");
	invalid("NaN", "\"NaN\"");
	invalid("Infinity", "\"Infinity\"");
	invalid("-Infinity", "\"-Infinity\"");
	invalid("1 2", "two numbers");

	t = start("-12.5e+3");
	is_int(json_number(&js, &out), 0, "json_number(\"-12.5e+3\")");
	ok(out.s == t && out.n == 8, "is the exact text, in place");
	is_int(json_end(&js), 0, "and consumes it all");

	t = start("  -0.50E-2 ");
	is_int(json_number(&js, &out), 0, "json_number skips white space");
	is_mem(out.s, out.n, "-0.50E-2", 8, "json_number keeps \"-0.50E-2\"");
	is_int(json_end(&js), 0, "trailing white space is fine");

	start("123456789012345678901234567890.000000000000000000001");
	json_number(&js, &out);
	is_mem(out.s, out.n,
	    "123456789012345678901234567890.000000000000000000001", 52,
	    "json_number keeps a long number exactly");

	start("{\"n\":10,\"m\":-0}");
	json_open_object(&js);
	json_next_key(&js, &out);
	json_number(&js, &out);
	is_mem(out.s, out.n, "10", 2, "json_number stops at the comma");
	json_next_key(&js, &out);
	json_number(&js, &out);
	is_mem(out.s, out.n, "-0", 2, "json_number stops at the '}'");
	is_int(json_next_key(&js, &out), 0, "and the object ends");

	start("1.");
	is_int(json_number(&js, &out), -1, "json_number(\"1.\") is -1");
	start("-");
	is_int(json_number(&js, &out), -1, "json_number(\"-\") is -1");
	is_int(js.where, 1, "the error is at offset 1, after the '-'");
}

/* json_plain_number(text, scale): want (1 with v, or 0, untouched). */
static void
plain(const char *text, int scale, int want, int64_t v, size_t used)
{
	int64_t got = -7;
	const char *t = start(text);
	int rc = json_plain_number(&js, scale, &got);

	if (want)
		ok(rc == 1 && got == v && js.p == t + used,
		    "json_plain_number(\"%s\", %d) is %lld, %zu bytes", text,
		    scale, (long long)v, used);
	else
		ok(rc == 0 && got == -7 && js.p == t,
		    "json_plain_number(\"%s\", %d) leaves it to json_number",
		    text, scale);
}

static void
test_plain_numbers(void)
{
	plain("0", 2, 1, 0, 1);
	plain("7", 0, 1, 7, 1);
	plain("1500.10,", 2, 1, 150010, 7);
	plain("1500.1}", 2, 1, 150010, 6);
	plain("12.34 ", 2, 1, 1234, 5);
	plain("0.05", 2, 1, 5, 4);
	plain("999999999999999", 0, 1, 999999999999999LL, 15);
	plain("999999999999999.99", 2, 1, 99999999999999999LL, 18);
	plain("1234567890123456", 0, 0, 0, 0);	/* 16 digits */
	plain("4.0", 0, 0, 0, 0);		/* an integer with a fraction */
	plain("1.500", 2, 0, 0, 0);		/* a third decimal */
	plain("1e3", 0, 0, 0, 0);
	plain("1.5E2", 2, 0, 0, 0);
	plain("-1", 0, 0, 0, 0);
	plain("-0", 0, 0, 0, 0);
	plain("01", 0, 0, 0, 0);
	plain("1.", 2, 0, 0, 0);
	plain("1..2", 2, 0, 0, 0);
	plain("\"1\"", 0, 0, 0, 0);
}

static void
test_literals(void)
{
	invalid("tru", "\"tru\"");
	invalid("nul", "\"nul\"");
	invalid("fals", "\"fals\"");
	invalid("True", "\"True\"");
	invalid("nULL", "\"nULL\"");
	invalid("[tru]", "\"tru\" in an array");
	invalid("[truex]", "\"truex\" in an array");
	invalid("{\"a\":nul}", "\"nul\" in an object");
	invalid_n("falsey", 6, "\"falsey\": an error right after the literal",
	    NULL, 5);
	invalid_n("true false", 10, "two literals", NULL, 5);
	invalid_n("{} x", 4, "text after an object, found by json_end", NULL,
	    3);
	invalid_n("\"a\"\"b\"", 6, "two strings", NULL, 3);
}

static void
test_nul(void)
{
	/* The text holds a NUL before its end: always an error, "NUL byte". */
	invalid_n("{\"a\":\"x\0y\"}", 11, "a NUL byte inside a string",
	    "NUL byte", 7);
	invalid_n("{\"a\":1\0}", 8, "a NUL byte after a number",
	    "NUL byte", 6);
	invalid_n("{\"a\":1,\0\"b\":2}", 14, "a NUL byte before a key",
	    "NUL byte", 7);
	invalid_n("{\"a\0\":1}", 8, "a NUL byte inside a key", "NUL byte",
	    3);
	invalid_n("[1,\0 2]", 7, "a NUL byte where a value should be",
	    "NUL byte", 3);
	invalid_n("{}\0", 3, "a NUL byte after the value", "NUL byte", 2);
	invalid_n("{} \0 ", 5, "a NUL byte in trailing white space",
	    "NUL byte", 3);
	invalid_n("\0", 1, "a lone NUL byte", "NUL byte", 0);
	invalid_n("[tr\0e]", 6, "a NUL byte inside a literal", NULL, -1);
	invalid_n("[1\0" "2]", 5, "a NUL byte inside a number", NULL, -1);
}

static void
test_depth(void)
{
	enum { DEEP = 1024 };
	char *s = malloc(2 * (DEEP + 1) + 1);
	char *o = malloc(6 * (DEEP + 1) + 2);
	size_t i, n;

	for (i = 0; i < DEEP; i++) {
		s[i] = '[';
		s[2 * DEEP - 1 - i] = ']';
	}
	valid_n(s, 2 * DEEP, "1024 nested arrays");

	for (i = 0; i < DEEP + 1; i++) {
		s[i] = '[';
		s[2 * (DEEP + 1) - 1 - i] = ']';
	}
	invalid_n(s, 2 * (DEEP + 1), "1025 nested arrays", NULL, 1024);

	n = 0;
	for (i = 0; i < DEEP + 1; i++) {
		memcpy(o + n, "{\"a\":", 5);
		n += 5;
	}
	o[n++] = '1';
	for (i = 0; i < DEEP + 1; i++)
		o[n++] = '}';
	invalid_n(o, n, "1025 nested objects", NULL, -1);
	free(s);
	free(o);
}

static void
test_depth_objects(void)
{
	enum { DEEP = 1024 };
	char *o = malloc(6 * DEEP + 2);
	size_t i, n = 0;

	for (i = 0; i < DEEP; i++) {
		memcpy(o + n, "{\"a\":", 5);
		n += 5;
	}
	o[n++] = '1';
	for (i = 0; i < DEEP; i++)
		o[n++] = '}';
	valid_n(o, n, "1024 nested objects");
	free(o);
}

static void
test_big_array(void)
{
	enum { N = 1000000 };
	char *s = malloc(2 * N + 2);
	size_t i, n = 0;

	s[n++] = '[';
	for (i = 0; i < N; i++) {
		s[n++] = (char)('0' + i % 10);
		s[n++] = ',';
	}
	s[n - 1] = ']';
	valid_n(s, n, "a 1,000,000-element array");
	s[n - 1] = ',';
	s[n++] = ']';
	invalid_n(s, n, "the same array with a trailing comma", NULL,
	    (long)n - 1);
	free(s);
}

int
main(void)
{
	test_valid();
	test_walk();
	test_strings();
	test_invalid_strings();
	test_invalid_structure();
	test_numbers();
	test_plain_numbers();
	test_literals();
	test_nul();
	test_depth();
	test_depth_objects();
	test_big_array();
	json_free(&js);
	free(text);
	return tap_done();
}
