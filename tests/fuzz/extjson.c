/*
 * Fuzz target: MongoDB extended JSON, both ways.  The first input byte
 * chooses what the rest is:
 *
 *   0  a line: the sale parser takes it or says why on one line; what
 *      mongo_bson_plain builds of it is what libbson reads; and when
 *      libbson reads it as a document, lib/mongo writes it as canonical
 *      extended JSON that libbson reads back to the same BSON bytes, and
 *      as relaxed extended JSON that reads back and writes the same again;
 *   1  a number text: {"$numberInt"|"$numberLong"|"$numberDouble"|
 *      "$numberDecimal": text} gives the sale parser what the bare number
 *      gives, which is what lib/money gives; a wrapper with another key
 *      is refused;
 *   2  milliseconds since the epoch: {"$date": ms}, {"$date":
 *      {"$numberLong": "ms"}} and {"$date": "ISO 8601"} give the same
 *      timestamp and day, which gmtime(3) gives;
 *   3  a date text: "timestamp": text and {"$date": text} agree, and a
 *      time read formats (gmtime) to text that reads back to it.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "fuzz.h"
#include "json.h"
#include "money.h"
#include "mongo.h"
#include "ndjson.h"
#include "sale.h"

static struct sale_parser	*sp;

/* One line through the sale parser, asking for the fields in want. */
static int
parse(const char *line, size_t len, unsigned want, struct sale *s,
    char *why, size_t size)
{
	char *p = fuzz_padded(line, len);
	int rc;

	memset(s, 0x55, sizeof(*s));
	rc = sale_parse(sp, p, len, want, 0, s);
	if (rc == -1) {
		fuzz_assert(sale_error(sp)[0] != '\0' &&
		    strchr(sale_error(sp), '\n') == NULL, "a bad reason");
		snprintf(why, size, "%s", sale_error(sp));
	} else {
		fuzz_assert((s->have & ~want) == 0, "a field not asked for");
		why[0] = '\0';
	}
	free(p);
	return rc;
}

/* What lib/mongo writes for doc, as a string to free. */
static char *
written(const bson_t *doc, int canonical, size_t *n)
{
	static int fd = -1;
	struct ndjson_writer *w;
	struct stat st;
	char *text;

	if (fd == -1 && (fd = memfd_create("extjson", MFD_CLOEXEC)) == -1)
		abort();
	if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1 ||
	    (w = ndjson_writer_new(fd)) == NULL)
		abort();
	mongo_put_json(w, doc, canonical);
	fuzz_assert(ndjson_writer_free(w) == 0, "write to a memfd");
	if (fstat(fd, &st) == -1 || (text = malloc((size_t)st.st_size +
	    1)) == NULL)
		abort();
	*n = (size_t)st.st_size;
	fuzz_assert(pread(fd, text, *n, 0) == (ssize_t)*n, "memfd read");
	text[*n] = '\0';
	return text;
}

/*
 * 1 when a key of doc, at any depth, starts with '$': relaxed extended
 * JSON cannot tell {"$type": 5} from a legacy $binary wrapper.
 */
static int
dollar_keys(const bson_t *doc)
{
	bson_iter_t it;
	bson_t sub;
	const uint8_t *buf;
	uint32_t n;

	if (!bson_iter_init(&it, doc))
		return 0;
	while (bson_iter_next(&it)) {
		if (bson_iter_key(&it)[0] == '$')
			return 1;
		if (!BSON_ITER_HOLDS_DOCUMENT(&it) &&
		    !BSON_ITER_HOLDS_ARRAY(&it))
			continue;
		if (BSON_ITER_HOLDS_DOCUMENT(&it))
			bson_iter_document(&it, &n, &buf);
		else
			bson_iter_array(&it, &n, &buf);
		if (bson_init_static(&sub, buf, n) && dollar_keys(&sub))
			return 1;
	}
	return 0;
}

/* What mongo_bson_plain builds is what libbson built (ref), byte for byte. */
static void
plain(const char *line, size_t len, const bson_t *ref)
{
	static struct json_scan js;
	char *p = fuzz_padded(line, len);
	bson_t doc;

	if (mongo_bson_plain(&js, p, len, &doc))
		fuzz_assert(ref != NULL && ref->len == doc.len &&
		    memcmp(bson_get_data(ref), bson_get_data(&doc),
		    doc.len) == 0, "mongo_bson_plain differs from libbson: "
		    "%.*s", (int)len, line);
	else
		fuzz_assert(doc.len == 5, "mongo_bson_plain left a document");
	bson_destroy(&doc);
	free(p);
}

static void
mode_line(const char *line, size_t len)
{
	char why[256], *canon, *relaxed, *again;
	size_t ncanon, nrelaxed, nagain;
	bson_t *doc, *back;
	bson_error_t error;
	struct sale s;

	parse(line, len, (1u << SALE_NFIELDS) - 1, &s, why, sizeof(why));
	doc = bson_new_from_json((const uint8_t *)line, (ssize_t)len, &error);
	plain(line, len, doc);
	if (doc == NULL)
		return;
	canon = written(doc, 1, &ncanon);
	back = bson_new_from_json((const uint8_t *)canon, (ssize_t)ncanon,
	    &error);
	fuzz_assert(back != NULL, "canonical output unreadable: %s: %s",
	    error.message, canon);
	fuzz_assert(back->len == doc->len && memcmp(bson_get_data(back),
	    bson_get_data(doc), doc->len) == 0,
	    "canonical output reads back different: %s", canon);
	bson_destroy(back);
	free(canon);
	if (dollar_keys(doc)) {
		bson_destroy(doc);
		return;
	}

	relaxed = written(doc, 0, &nrelaxed);
	back = bson_new_from_json((const uint8_t *)relaxed,
	    (ssize_t)nrelaxed, &error);
	fuzz_assert(back != NULL, "relaxed output unreadable: %s: %s",
	    error.message, relaxed);
	again = written(back, 0, &nagain);
	fuzz_assert(nagain == nrelaxed && memcmp(again, relaxed,
	    nrelaxed) == 0, "relaxed output changes on a second pass: "
	    "%s then %s", relaxed, again);
	bson_destroy(back);
	bson_destroy(doc);
	free(relaxed);
	free(again);
}

static void
mode_number(const uint8_t *data, size_t size)
{
	static const char *const wrappers[] = { "$numberInt", "$numberLong",
	    "$numberDouble", "$numberDecimal" };
	static const int fields[] = { SALE_TOTAL_FATURADO, SALE_TOTAL_VENDAS };
	const char *text, *wrapper;
	size_t n, len, f;
	char *line, why[256], whyplain[256];
	struct sale s, plain;
	int rc, rcplain, extra, money, cents;
	int64_t v;

	if (size < 1)
		return;
	text = (const char *)data + 1;
	n = size - 1;
	wrapper = wrappers[data[0] & 3];
	extra = (data[0] & 4) != 0;
	if ((line = malloc(6 * n + 128)) == NULL)
		abort();
	for (f = 0; f < 2; f++) {
		const char *name = sale_field_name(fields[f]);

		cents = fields[f] == SALE_TOTAL_FATURADO;
		len = (size_t)sprintf(line, "{\"%s\":{\"%s\":\"", name,
		    wrapper);
		len += fuzz_json_escape(line + len, text, n);
		len += (size_t)sprintf(line + len, "\"%s}}",
		    extra ? ",\"x\":1" : "");
		rc = parse(line, len, SALE_BIT(fields[f]), &s, why,
		    sizeof(why));
		money = cents ? money_parse(text, n, &v) :
		    money_parse_int(text, n, &v);
		if (extra) {
			fuzz_assert(rc == -1, "a wrapper with two keys taken");
			continue;
		}
		fuzz_assert((rc == 0) == (money == MONEY_OK && v >= 0),
		    "%s: the parser says %s, money_parse %s", line,
		    rc == 0 ? "yes" : why, money_strerror(money));
		if (rc == 0)
			fuzz_assert((cents ? s.faturado : s.total_vendas) ==
			    v, "%s: %" PRId64, line, v);
		/* the bare number, when the text is one */
		if (money == MONEY_ESYNTAX)
			continue;
		len = (size_t)sprintf(line, "{\"%s\":%.*s}", name, (int)n,
		    text);
		rcplain = parse(line, len, SALE_BIT(fields[f]), &plain,
		    whyplain, sizeof(whyplain));
		fuzz_assert(rc == rcplain && strcmp(why, whyplain) == 0,
		    "%s: bare says \"%s\", wrapped \"%s\"", line, whyplain,
		    why);
		if (rc == 0)
			fuzz_assert((cents ? s.faturado : s.total_vendas) ==
			    (cents ? plain.faturado : plain.total_vendas),
			    "%s: values differ", line);
	}
	free(line);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
mode_date(const uint8_t *data, size_t size)
{
	char line[256], why[256], iso[64];
	int64_t ms, secs, day;
	struct tm tm;
	time_t t;
	struct sale s;
	int form, rc, inrange;
	size_t len;

	if (size < 8)
		return;
	memcpy(&ms, data, 8);
	secs = floor_div(ms, 1000);
	day = floor_div(secs, 86400);
	t = (time_t)(day * 86400);
	inrange = gmtime_r(&t, &tm) != NULL && tm.tm_year + 1900 >= 1 &&
	    tm.tm_year + 1900 <= 9999;
	iso[0] = '\0';
	if (inrange) {
		time_t ts = (time_t)secs;
		struct tm tt;

		gmtime_r(&ts, &tt);
		snprintf(iso, sizeof(iso),
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tt.tm_year + 1900,
		    tt.tm_mon + 1, tt.tm_mday, tt.tm_hour, tt.tm_min,
		    tt.tm_sec, (int)(ms - secs * 1000));
	}
	for (form = 0; form < 3; form++) {
		static const char *const forms[] = {
			"{\"%s\":{\"$date\":%s}}",
			"{\"%s\":{\"$date\":{\"$numberLong\":\"%s\"}}}",
			"{\"%s\":{\"$date\":\"%s\"}}",
		};
		const char *fmt = forms[form];
		char num[32];

		if (form == 2 && !inrange)
			break;
		snprintf(num, sizeof(num), "%" PRId64, ms);
		len = (size_t)snprintf(line, sizeof(line), fmt, "timestamp",
		    form == 2 ? iso : num);
		rc = parse(line, len, SALE_BIT(SALE_TIMESTAMP), &s, why,
		    sizeof(why));
		fuzz_assert(rc == 0 && s.timestamp == secs, "%s: %s, %" PRId64
		    " instead of %" PRId64, line, why, s.timestamp, secs);
		len = (size_t)snprintf(line, sizeof(line), fmt, "data_venda",
		    form == 2 ? iso : num);
		rc = parse(line, len, SALE_BIT(SALE_DATA_VENDA), &s, why,
		    sizeof(why));
		if (!inrange) {
			fuzz_assert(rc == -1, "%s: a day outside 1..9999",
			    line);
			continue;
		}
		fuzz_assert(rc == 0 && s.year == tm.tm_year + 1900 &&
		    s.month == tm.tm_mon + 1 && s.day == tm.tm_mday,
		    "%s: %s %d-%d-%d, gmtime says %d-%d-%d", line, why,
		    s.year, s.month, s.day, tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
	}
}

static void
mode_date_text(const uint8_t *data, size_t size)
{
	char *line, why[256], whywrapped[256];
	struct sale s, wrapped;
	size_t len;
	int rc, rcw;

	if ((line = malloc(6 * size + 64)) == NULL)
		abort();
	len = (size_t)sprintf(line, "{\"timestamp\":\"");
	len += fuzz_json_escape(line + len, (const char *)data, size);
	len += (size_t)sprintf(line + len, "\"}");
	rc = parse(line, len, SALE_BIT(SALE_TIMESTAMP), &s, why, sizeof(why));
	len = (size_t)sprintf(line, "{\"timestamp\":{\"$date\":\"");
	len += fuzz_json_escape(line + len, (const char *)data, size);
	len += (size_t)sprintf(line + len, "\"}}");
	rcw = parse(line, len, SALE_BIT(SALE_TIMESTAMP), &wrapped, whywrapped,
	    sizeof(whywrapped));
	fuzz_assert(rc == rcw && (rc == -1 || s.timestamp ==
	    wrapped.timestamp), "%s: \"%s\" and \"%s\"", line, why,
	    whywrapped);
	if (rc == 0) {
		time_t t = (time_t)s.timestamp;
		struct tm tm;

		fuzz_assert(gmtime_r(&t, &tm) != NULL, "gmtime");
		len = (size_t)snprintf(line, 64, "{\"timestamp\":\""
		    "%04d-%02d-%02dT%02d:%02d:%02dZ\"}", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		if (tm.tm_year + 1900 >= 1 && tm.tm_year + 1900 <= 9999) {
			rc = parse(line, len, SALE_BIT(SALE_TIMESTAMP), &s,
			    why, sizeof(why));
			fuzz_assert(rc == 0 && s.timestamp == (int64_t)t,
			    "%s: %s", line, why);
		}
	}
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (sp == NULL && (sp = sale_parser_new()) == NULL)
		abort();
	switch (data[0] & 3) {
	case 0:
		mode_line((const char *)data + 1, size - 1);
		break;
	case 1:
		mode_number(data + 1, size - 1);
		break;
	case 2:
		mode_date(data + 1, size - 1);
		break;
	case 3:
		mode_date_text(data + 1, size - 1);
		break;
	}
	return 0;
}
