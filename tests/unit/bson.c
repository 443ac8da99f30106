/*
 * Unit tests for mongo_bson_plain (lib/mongo.h): every line it builds is,
 * byte for byte, what libbson's bson_new_from_json makes of it; the lines
 * it leaves to libbson are the ones it must.
 */
#include <stdlib.h>
#include <string.h>

#include "mongo.h"
#include "ndjson.h"
#include "tap.h"

static struct json_scan js;

/*
 * Build line both ways: what mongo_bson_plain returns; *built, whether
 * it built what libbson builds; *ref_ok, whether libbson took the line.
 */
static int
build(const char *line, int *built, int *ref_ok)
{
	size_t len = strlen(line);
	char *p = calloc(1, len + 1 + NDJSON_PADDING);
	bson_error_t error;
	bson_t doc, *ref;
	int rc;

	if (p == NULL)
		abort();
	memcpy(p, line, len);
	rc = mongo_bson_plain(&js, p, len, &doc);
	ref = bson_new_from_json((const uint8_t *)p, (ssize_t)len, &error);
	*ref_ok = ref != NULL;
	if (rc == 1)
		*built = ref != NULL && ref->len == doc.len &&
		    memcmp(bson_get_data(ref), bson_get_data(&doc),
		    doc.len) == 0;
	else
		*built = doc.len == 5;	/* left empty */
	if (ref != NULL)
		bson_destroy(ref);
	bson_destroy(&doc);
	free(p);
	return rc;
}

/*
 * want: 1 when the fast path must take line, 0 when it must leave it to
 * libbson.
 */
static void
same(const char *line, int want, const char *name)
{
	int built, ref_ok;

	if (build(line, &built, &ref_ok) == 1)
		ok(built && want == 1, "%s: built, as libbson does: %s", name,
		    line);
	else
		ok(built && want == 0, "%s: left to libbson: %.60s", name,
		    line);
}

/* Whether line has 19 digits in a row or an exponent of 290 or more. */
static int
far(const char *line)
{
	const char *p;
	size_t run = 0;

	for (p = line; *p != '\0'; p++) {
		run = *p >= '0' && *p <= '9' ? run + 1 : 0;
		if (run >= 19)
			return 1;
		if ((*p == 'e' || *p == 'E') && (p[1] == '+' || p[1] == '-') &&
		    atoi(p + 2) >= 290)
			return 1;
	}
	return 0;
}

/*
 * -1 when line is built differently from libbson, or left to it though it
 * has no number that may be out of range (diagnosed); else 1 when built, 0
 * when left to libbson.
 */
static int
random_same(const char *line)
{
	int built, ref_ok, rc, bad;

	rc = build(line, &built, &ref_ok);
	/* only numbers perhaps out of range go to libbson */
	bad = !built || (rc == 0 && ref_ok && !far(line));
	if (bad)
		diag("%s: %s", rc == 1 ? "differs" : "left", line);
	return bad ? -1 : rc;
}

/* A random JSON value of plain text into *p, nested at most depth more. */
static void
random_value(char **p, int depth)
{
	static const char *const words[] = { "Fortaleza", "S\xc3\xa3o Paulo",
	    "Cons\xc3\xb3rcio", "", " ", "a.b", "\xf0\x9f\x8f\x8d", "_id" };
	int i, n, kind = rand() % (depth > 0 ? 7 : 5);

	switch (kind) {
	case 0:		/* an integer of 1 to 20 digits */
		n = 1 + rand() % 20;
		if (rand() % 3 == 0)
			*(*p)++ = '-';
		*(*p)++ = (char)('1' + rand() % 9);
		for (i = 1; i < n; i++)
			*(*p)++ = (char)('0' + rand() % 10);
		break;
	case 1:		/* a decimal, perhaps with an exponent */
		*p += sprintf(*p, "%s%d.%0*d", rand() % 3 ? "" : "-",
		    rand() % 100000, 1 + rand() % 9, rand() % 1000000000);
		if (rand() % 2)
			*p += sprintf(*p, "%c%s%d", rand() % 2 ? 'e' : 'E',
			    rand() % 2 ? "-" : "+", rand() % 330);
		break;
	case 2:
		*p += sprintf(*p, "\"%s\"", words[rand() % 8]);
		break;
	case 3:
		*p += sprintf(*p, "%s", rand() % 3 == 0 ? "null" :
		    rand() % 2 ? "true" : "false");
		break;
	case 4:
		*p += sprintf(*p, "%d", rand() % 2 ? 0 : rand());
		break;
	case 5:
		n = rand() % 4;
		*(*p)++ = '[';
		for (i = 0; i < n; i++) {
			if (i > 0)
				*(*p)++ = ',';
			random_value(p, depth - 1);
		}
		*(*p)++ = ']';
		break;
	default:
		n = rand() % 4;
		*(*p)++ = '{';
		for (i = 0; i < n; i++) {
			*p += sprintf(*p, "%s\"%s\":", i > 0 ? "," : "",
			    words[rand() % 8]);
			random_value(p, depth - 1);
		}
		*(*p)++ = '}';
		break;
	}
}

int
main(void)
{
	char *deep, *line;
	size_t i;
	int n, built;

	same("{}", 1, "empty object");
	same(" { \"a\" : 1 , \"b\" : [ ] , \"c\" : { } } ", 1, "white space");
	same("{\"_id\":\"000001\",\"estado\":\"Cear\xc3\xa1\","
	    "\"cidade\":\"Fortaleza\",\"modalidade\":\"Cons\xc3\xb3rcio\","
	    "\"data_venda\":\"2025-03-04\",\"total_vendas\":12,"
	    "\"total_faturado\":184320.5,\"quantidade_moto_mais_vendida\":3,"
	    "\"timestamp\":\"2025-03-04T10:11:12Z\"}", 1, "a sale");
	same("{\"a\":0,\"b\":-0,\"c\":2147483647,\"d\":-2147483648}", 1,
	    "int32 bounds");
	same("{\"a\":2147483648,\"b\":-2147483649}", 1, "int64 past int32");
	same("{\"a\":9223372036854775807,\"b\":-9223372036854775808}", 1,
	    "int64 bounds");
	same("{\"a\":9223372036854775808}", 0, "past int64");
	same("{\"a\":-9223372036854775809}", 0, "past int64, negative");
	same("{\"a\":123456789012345678901234567890}", 0, "30 digits");
	same("{\"a\":0.1,\"b\":-0.0,\"c\":1e2,\"d\":1E-2,\"e\":2.5e+3}", 1,
	    "doubles");
	same("{\"a\":1.7976931348623157e308,\"b\":2.2250738585072014e-308}",
	    1, "double bounds");
	same("{\"a\":4.9e-324}", 0, "a subnormal double");
	same("{\"a\":0.30000000000000004,\"b\":123456789.123456789}", 1,
	    "double rounding");
	same("{\"a\":1e400}", 0, "double overflow");
	same("{\"a\":-1e400}", 0, "double overflow, negative");
	same("{\"a\":1e-400}", 0, "double underflow");
	same("{\"a\":true,\"b\":false,\"c\":null}", 1, "literals");
	same("{\"a\":[1,\"x\",[true,null],{\"b\":2.5}],\"c\":[]}", 1,
	    "arrays, keys 0, 1, 2...");
	same("{\"a\":\"x\",\"a\":\"y\"}", 1, "a key twice, kept twice");
	same("{\"\":1,\"a.b\":2,\"c d\":3}", 1, "odd keys");
	same("{\"s\":\"\xe2\x80\xae\xe2\x80\x8b \xf0\x9f\x8f\x8d\"}", 1,
	    "non-ASCII text");
	same("{\"a\":{\"$oid\":\"5f0c6c1e8d1b2a3c4d5e6f70\"}}", 0,
	    "extended JSON");
	same("{\"a\":\"price in $\"}", 0, "a '$' anywhere");
	same("{\"a\":\"tab\\there\"}", 0, "an escape");
	same("{\"a\":1,}", 0, "a trailing comma");
	same("{\"a\":[1,]}", 0, "a trailing comma in an array");
	same("{\"a\":[,1]}", 0, "a leading comma in an array");
	same("{\"a\":01}", 0, "a leading zero");
	same("{\"a\":.5}", 0, "no digit before the point");
	same("{\"a\":1} x", 0, "text after the object");
	same("[1,2]", 0, "an array, not an object");
	same("{\"a\":\"\xc0\xaf\"}", 0, "invalid UTF-8");
	same("{\"a\":tru}", 0, "a cut literal");

	/* nesting: objects 32 deep built, deeper left to libbson */
	for (n = 31; n <= 34; n++) {
		if ((deep = malloc((size_t)n * 6 + 8)) == NULL)
			abort();
		line = deep;
		for (i = 1; i < (size_t)n; i++)
			line += sprintf(line, "{\"a\":");
		line += sprintf(line, "{}");
		for (i = 1; i < (size_t)n; i++)
			*line++ = '}';
		*line = '\0';
		same(deep, n <= 32, n <= 32 ? "32 levels or less" :
		    "more than 32 levels");
		free(deep);
	}
	/* random documents: every one built, each as libbson builds it */
	if ((deep = malloc(1 << 20)) == NULL)
		abort();
	srand(1);
	for (n = 0, built = 0, i = 0; i < 5000; i++) {
		char *p = deep;
		int k, keys = rand() % 12;

		*p++ = '{';
		for (k = 0; k < keys; k++) {
			p += sprintf(p, "%s\"k%d\":", k > 0 ? "," : "", k);
			random_value(&p, 4);
		}
		*p++ = '}';
		*p = '\0';
		switch (random_same(deep)) {
		case -1:
			n++;
			break;
		case 1:
			built++;
			break;
		}
	}
	ok(n == 0, "5000 random plain documents: %d differ from libbson's", n);
	ok(built > 2500, "%d of them built, the others with numbers out of "
	    "range", built);
	free(deep);
	json_free(&js);
	return tap_done();
}
