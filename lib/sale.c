#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "json.h"
#include "money.h"
#include "sale.h"

struct sale_parser {
	struct json_scan	js;
	char			reason[200];
};

static const char *const field_names[SALE_NFIELDS] = {
	"data_venda", "ano_mes", "estado", "cidade", "modalidade",
	"total_vendas", "total_faturado", "quantidade_moto_mais_vendida",
	"quantidade_motos_vendidas", "registros", "timestamp",
};

static int
fail(struct sale_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	return -1;
}

static int
bad_json(struct sale_parser *p)
{
	return fail(p, "%s", json_error(&p->js));
}

/*
 * The field a key names, or -1.  A key's length and the low 3 bits of its
 * first byte pick the one candidate, which is then compared: no chain of
 * compares, no jump table, whatever order the keys come in.
 */
#define SLOT(n, c)	((n) << 3 | ((unsigned char)(c) & 7))

static signed char field_slot[32 << 3];

static void
init_slots(void)
{
	int f;

	memset(field_slot, -1, sizeof(field_slot));
	for (f = 0; f < SALE_NFIELDS; f++) {
		signed char *slot = &field_slot[SLOT(strlen(field_names[f]),
		    field_names[f][0])];

		if (*slot != -1)
			abort();	/* two names in one slot: pick others */
		*slot = (signed char)f;
	}
}

static uint64_t
load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t
load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* a[0..n) == b[0..n), for 4 <= n <= 32, in overlapping words */
static int
same(const char *a, const char *b, size_t n)
{
	uint64_t diff;

	if (n < 8)
		return load32(a) == load32(b) &&
		    load32(a + n - 4) == load32(b + n - 4);
	diff = (load64(a) ^ load64(b)) |
	    (load64(a + n - 8) ^ load64(b + n - 8));
	if (n > 16)
		diff |= load64(a + 8) ^ load64(b + 8);
	if (n > 24)
		diff |= load64(a + 16) ^ load64(b + 16);
	return diff == 0;
}

static int
field_of(const struct json_str *key)
{
	int f;

	if (key->n < 4 || key->n >= 32)
		return -1;
	f = field_slot[SLOT(key->n, key->s[0])];
	if (f < 0 || !same(key->s, field_names[f], key->n))
		return -1;
	return f;
}

static int
is_key(const struct json_str *k, const char *name)
{
	return k->n == strlen(name) && memcmp(k->s, name, k->n) == 0;
}

/*
 * The text of a number: a JSON number, or the string in one of the
 * extended-JSON wrappers.  1 on success, 0 when the value is something
 * else (consumed), -1 on a JSON error.
 */
static int
number_text(struct json_scan *js, struct json_str *tok)
{
	struct json_str k, v;
	int rc, found = 0;

	switch (json_peek(js)) {
	case JSON_NUMBER:
		return json_number(js, tok) == -1 ? -1 : 1;
	case JSON_OBJECT:
		break;
	default:
		return json_skip(js) == -1 ? -1 : 0;
	}
	if (json_open_object(js) == -1)
		return -1;
	while ((rc = json_next_key(js, &k)) == 1) {
		if (found == 0 && json_peek(js) == JSON_STRING &&
		    (is_key(&k, "$numberInt") || is_key(&k, "$numberLong") ||
		    is_key(&k, "$numberDouble") ||
		    is_key(&k, "$numberDecimal"))) {
			if (json_string(js, &v) == -1)
				return -1;
			*tok = v;
			found = 1;
			continue;
		}
		found = -1;
		if (json_skip(js) == -1)
			return -1;
	}
	return rc == -1 ? -1 : found == 1;
}

static int
get_amount(struct sale_parser *p, int f, int cents, int64_t *out)
{
	struct json_str tok;
	const char *what = cents ? "a number" : "an integer";
	int rc;

	if (json_peek(&p->js) == JSON_NUMBER &&
	    json_plain_number(&p->js, cents ? 2 : 0, out))
		return 0;
	if ((rc = number_text(&p->js, &tok)) == -1)
		return bad_json(p);
	if (rc == 0)
		return fail(p, "\"%s\" is not %s", field_names[f], what);
	rc = cents ? money_parse(tok.s, tok.n, out) :
	    money_parse_int(tok.s, tok.n, out);
	switch (rc) {
	case MONEY_OK:
		break;
	case MONEY_EPRECISION:
		if (cents)
			return fail(p, "\"%s\" has more than 2 decimals",
			    field_names[f]);
		/* FALLTHROUGH */
	case MONEY_ESYNTAX:
		return fail(p, "\"%s\" is not %s", field_names[f], what);
	default:
		return fail(p, "\"%s\" is out of range", field_names[f]);
	}
	if (*out < 0)
		return fail(p, "\"%s\" is negative", field_names[f]);
	return 0;
}

static int
get_str(struct sale_parser *p, int f, struct sale_str *out)
{
	struct json_str v;

	if (json_peek(&p->js) != JSON_STRING) {
		if (json_skip(&p->js) == -1)
			return bad_json(p);
		return fail(p, "\"%s\" is not a string", field_names[f]);
	}
	if (json_string(&p->js, &v) == -1)
		return bad_json(p);
	out->s = v.s;
	out->n = v.n;
	return 0;
}

/*
 * {"$date": "ISO instant" | ms | {"$numberLong": "ms"}}: seconds since the
 * epoch in *secs.  0 on success, 1 when it is not such a date, -1 on a
 * JSON error.
 */
static int
extended_date(struct json_scan *js, int64_t *out)
{
	struct json_str k, tok;
	int64_t secs, ms;
	int rc, n, found = 0;

	if (json_open_object(js) == -1)
		return -1;
	while ((rc = json_next_key(js, &k)) == 1) {
		if (found != 0 || !is_key(&k, "$date")) {
			found = -1;
			if (json_skip(js) == -1)
				return -1;
			continue;
		}
		found = -1;
		if (json_peek(js) == JSON_STRING) {
			if (json_string(js, &tok) == -1)
				return -1;
			if (date_parse_instant(tok.s, tok.n, &secs) == 0) {
				*out = secs;
				found = 1;
			}
			continue;
		}
		if ((n = number_text(js, &tok)) == -1)
			return -1;
		if (n == 1 && money_parse_int(tok.s, tok.n, &ms) == MONEY_OK) {
			*out = date_floor_div(ms, 1000);
			found = 1;
		}
	}
	if (rc == -1)
		return -1;
	return found == 1 ? 0 : 1;
}

static int
get_date(struct sale_parser *p, struct sale *s)
{
	static const char bad[] = "\"data_venda\" is not a valid date";
	struct json_str v;
	int64_t days = 0;
	int rc;

	switch (json_peek(&p->js)) {
	case JSON_STRING:
		if (json_string(&p->js, &v) == -1)
			return bad_json(p);
		if (date_parse(v.s, v.n, &s->year, &s->month, &s->day) == -1)
			return fail(p, bad);
		return 0;
	case JSON_OBJECT:
		break;
	default:
		if (json_skip(&p->js) == -1)
			return bad_json(p);
		return fail(p, "\"data_venda\" is not a string");
	}
	if ((rc = extended_date(&p->js, &days)) == -1)
		return bad_json(p);
	days = date_floor_div(days, 86400);
	if (rc == 1 || days < date_to_days(1, 1, 1) ||
	    days > date_to_days(9999, 12, 31))
		return fail(p, bad);
	date_from_days(days, &s->year, &s->month, &s->day);
	return 0;
}

static int
get_timestamp(struct sale_parser *p, struct sale *s)
{
	static const char bad[] = "\"timestamp\" is not an ISO 8601 instant";
	struct json_str v;
	int rc;

	switch (json_peek(&p->js)) {
	case JSON_STRING:
		if (json_string(&p->js, &v) == -1)
			return bad_json(p);
		if (date_parse_instant(v.s, v.n, &s->timestamp) == -1)
			return fail(p, bad);
		return 0;
	case JSON_OBJECT:
		if ((rc = extended_date(&p->js, &s->timestamp)) == -1)
			return bad_json(p);
		return rc == 0 ? 0 : fail(p, bad);
	default:
		if (json_skip(&p->js) == -1)
			return bad_json(p);
		return fail(p, bad);
	}
}

static int
get_month(struct sale_parser *p, struct sale *s)
{
	struct sale_str m;

	if (get_str(p, SALE_ANO_MES, &m) == -1)
		return -1;
	if (date_parse_month(m.s, m.n, &s->year, &s->month) == -1)
		return fail(p, "\"ano_mes\" is not a valid month");
	s->day = 0;
	return 0;
}

/*
 * data_venda or ano_mes.  A record may hold both, if they name the same
 * month: else its month would depend on the order of its keys.
 */
static int
get_when(struct sale_parser *p, int f, struct sale *s)
{
	int other = f == SALE_DATA_VENDA ? SALE_ANO_MES : SALE_DATA_VENDA;
	struct sale when;

	if ((f == SALE_DATA_VENDA ? get_date(p, &when) :
	    get_month(p, &when)) == -1)
		return -1;
	if (s->have & SALE_BIT(other)) {
		if (when.year != s->year || when.month != s->month)
			return fail(p, "\"data_venda\" and \"ano_mes\" are "
			    "not the same month");
		if (f == SALE_ANO_MES)
			return 0;	/* the day stays */
	}
	s->year = when.year;
	s->month = when.month;
	s->day = when.day;
	return 0;
}

static int
get_field(struct sale_parser *p, int f, struct sale *s)
{
	switch (f) {
	case SALE_DATA_VENDA:
	case SALE_ANO_MES:
		return get_when(p, f, s);
	case SALE_ESTADO:
		return get_str(p, f, &s->estado);
	case SALE_CIDADE:
		return get_str(p, f, &s->cidade);
	case SALE_MODALIDADE:
		return get_str(p, f, &s->modalidade);
	case SALE_TOTAL_VENDAS:
		return get_amount(p, f, 0, &s->total_vendas);
	case SALE_TOTAL_FATURADO:
		return get_amount(p, f, 1, &s->faturado);
	case SALE_QTD_MOTO:
		return get_amount(p, f, 0, &s->qtd_moto);
	case SALE_QTD_MOTOS:
		return get_amount(p, f, 0, &s->qtd_motos);
	case SALE_REGISTROS:
		return get_amount(p, f, 0, &s->registros);
	case SALE_TIMESTAMP:
		return get_timestamp(p, s);
	}
	return fail(p, "field %d unknown", f);
}

struct sale_parser *
sale_parser_new(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, init_slots);
	return calloc(1, sizeof(struct sale_parser));
}

void
sale_parser_free(struct sale_parser *p)
{
	if (p == NULL)
		return;
	json_free(&p->js);
	free(p);
}

const char *
sale_error(const struct sale_parser *p)
{
	return p->reason;
}

const char *
sale_field_name(enum sale_field f)
{
	return field_names[f];
}

int
sale_parse(struct sale_parser *p, const char *line, size_t len,
    unsigned want, unsigned need, struct sale *s)
{
	struct json_str key;
	const char *bad = NULL;
	int f, rc;

	want |= need;
	s->have = 0;
	if (json_begin_object(&p->js, line, len) == -1)
		return bad_json(p);
	while ((rc = json_next_key(&p->js, &key)) == 1) {
		f = field_of(&key);
		if (bad != NULL || f < 0 || !(want & SALE_BIT(f))) {
			if (json_skip(&p->js) == -1)
				return bad_json(p);
			continue;
		}
		if (get_field(p, f, s) == -1) {
			if (p->js.why != NULL)
				return -1;
			/* a bad field; but invalid JSON says more */
			bad = p->reason;
			continue;
		}
		s->have |= SALE_BIT(f);
	}
	if (rc == -1 || json_end(&p->js) == -1)
		return bad_json(p);
	if (bad != NULL)
		return -1;
	if ((need & ~s->have) != 0)
		for (f = 0; f < SALE_NFIELDS; f++)
			if (need & ~s->have & SALE_BIT(f))
				return fail(p, "missing \"%s\"",
				    field_names[f]);
	return 0;
}
