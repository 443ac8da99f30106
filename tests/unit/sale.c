/*
 * Unit tests for lib/sale.h: one JSON line to the fields of a sale,
 * including MongoDB extended JSON.  Every line is copied into a zeroed
 * buffer with a NUL and NDJSON_PADDING bytes after it, as ndjson gives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"
#include "sale.h"
#include "tap.h"

#define ALL_FIELDS	((1u << SALE_NFIELDS) - 1)
#define B(f)		SALE_BIT(SALE_##f)

static struct sale_parser *parser;
static char *line;		/* the padded copy of the last line parsed */

/* sale_parse on a padded copy of s; the copy lives until the next call. */
static int
parse(const char *s, unsigned want, unsigned need, struct sale *out)
{
	size_t n = strlen(s);

	free(line);
	if ((line = calloc(1, n + 1 + NDJSON_PADDING)) == NULL)
		abort();
	memcpy(line, s, n);
	memset(out, 0, sizeof(*out));
	return sale_parse(parser, line, n, want, need, out);
}

/* The sale_str holds exactly want. */
static int
str_is(struct sale_str got, const char *want)
{
	return got.s != NULL && got.n == strlen(want) &&
	    memcmp(got.s, want, got.n) == 0;
}

/* s parses with field f (an integer or cents) equal to want. */
static void
amount(const char *s, enum sale_field f, int64_t want, const char *name)
{
	struct sale sale;
	int64_t got = INT64_MIN;
	int rc = parse(s, SALE_BIT(f), SALE_BIT(f), &sale);

	switch (f) {
	case SALE_TOTAL_VENDAS:
		got = sale.total_vendas;
		break;
	case SALE_TOTAL_FATURADO:
		got = sale.faturado;
		break;
	case SALE_QTD_MOTO:
		got = sale.qtd_moto;
		break;
	case SALE_QTD_MOTOS:
		got = sale.qtd_motos;
		break;
	case SALE_REGISTROS:
		got = sale.registros;
		break;
	default:
		abort();
	}
	if (!ok(rc == 0 && got == want, "%s: %s = %" PRId64, name,
	    sale_field_name(f), want)) {
		diag("  line: %s", s);
		if (rc == -1)
			diag("  error: %s", sale_error(parser));
		else
			diag("  got %" PRId64, got);
	}
}

/* s parses with data_venda the day y-m-d. */
static void
date_is(const char *s, int y, int m, int d, const char *name)
{
	struct sale sale;
	int rc = parse(s, B(DATA_VENDA), B(DATA_VENDA), &sale);

	if (!ok(rc == 0 && sale.year == y && sale.month == m && sale.day == d,
	    "%s: data_venda is %04d-%02d-%02d", name, y, m, d)) {
		diag("  line: %s", s);
		if (rc == -1)
			diag("  error: %s", sale_error(parser));
		else
			diag("  got %04d-%02d-%02d", sale.year, sale.month,
			    sale.day);
	}
}

/* s is rejected with exactly the reason why. */
static void
fails(const char *s, unsigned want, unsigned need, const char *why)
{
	struct sale sale;
	int rc = parse(s, want, need, &sale);

	if (!ok(rc == -1 && strcmp(sale_error(parser), why) == 0,
	    "%s is rejected: %s", s, why)) {
		if (rc == 0)
			diag("  accepted");
		else
			diag("  got: %s", sale_error(parser));
	}
}

/* s is rejected with a reason that starts with prefix. */
static void
fails_with(const char *s, unsigned want, const char *prefix,
    const char *name)
{
	struct sale sale;
	int rc = parse(s, want, 0, &sale);

	if (!ok(rc == -1 && strncmp(sale_error(parser), prefix,
	    strlen(prefix)) == 0, "%s is rejected: %s...", name, prefix)) {
		diag("  line: %s", s);
		if (rc == 0)
			diag("  accepted");
		else
			diag("  got: %s", sale_error(parser));
	}
}

static void
test_full_record(void)
{
	static const char rec[] =
	    "{\"_id\":\"6b0bc4a80bfdf682c875b75c\",\"data_venda\":\"2026-08-09\","
	    "\"ano_mes\":\"2026-08\",\"total_vendas\":3,"
	    "\"total_faturado\":47570.00,"
	    "\"moto_mais_vendida\":\"Honda Pop 110i\","
	    "\"quantidade_moto_mais_vendida\":1,"
	    "\"quantidade_motos_vendidas\":3,\"registros\":1,"
	    "\"preco_total\":10290.00,\"cidade\":\"Belo Horizonte\","
	    "\"estado\":\"Minas Gerais\",\"modalidade\":\"Consórcio\","
	    "\"timestamp\":\"2026-11-29T06:22:32.063Z\"}";
	unsigned want = ALL_FIELDS & ~B(ANO_MES);
	struct sale s;
	int rc;

	rc = parse(rec, want, want, &s);
	if (!is_int(rc, 0, "a full gen-sales-like record parses"))
		diag("  error: %s", sale_error(parser));
	is_int(s.have, want, "every wanted field is in have");
	ok(s.year == 2026 && s.month == 8 && s.day == 9,
	    "data_venda is 2026-08-09");
	ok(str_is(s.estado, "Minas Gerais"), "estado");
	ok(str_is(s.cidade, "Belo Horizonte"), "cidade");
	ok(str_is(s.modalidade, "Consórcio"), "modalidade (UTF-8)");
	is_int(s.total_vendas, 3, "total_vendas");
	is_int(s.faturado, 4757000, "total_faturado in cents");
	is_int(s.qtd_moto, 1, "quantidade_moto_mais_vendida");
	is_int(s.qtd_motos, 3, "quantidade_motos_vendidas");
	is_int(s.registros, 1, "registros");
	ok(s.estado.s > line && s.estado.s < line + strlen(rec),
	    "a string without escapes points into the line");

	rc = parse(rec, B(ANO_MES), B(ANO_MES), &s);
	ok(rc == 0 && s.have == B(ANO_MES) && s.year == 2026 && s.month == 8,
	    "ano_mes alone: 2026-08");

	/* both: a day row that names its month, in either key order */
	rc = parse(rec, B(DATA_VENDA) | B(ANO_MES), 0, &s);
	ok(rc == 0 && s.year == 2026 && s.month == 8 && s.day == 9,
	    "data_venda, then ano_mes of the same month: the day stays");
	rc = parse("{\"ano_mes\":\"2026-08\",\"data_venda\":\"2026-08-09\"}",
	    B(DATA_VENDA) | B(ANO_MES), 0, &s);
	ok(rc == 0 && s.year == 2026 && s.month == 8 && s.day == 9,
	    "ano_mes, then data_venda of the same month: the day");
	fails("{\"data_venda\":\"2025-03-01\",\"ano_mes\":\"2025-01\"}",
	    B(DATA_VENDA) | B(ANO_MES), 0,
	    "\"data_venda\" and \"ano_mes\" are not the same month");
	fails("{\"ano_mes\":\"2025-01\",\"data_venda\":\"2025-03-01\"}",
	    B(DATA_VENDA) | B(ANO_MES), 0,
	    "\"data_venda\" and \"ano_mes\" are not the same month");

	rc = parse(rec, B(ESTADO) | B(TOTAL_VENDAS), 0, &s);
	is_int(s.have, B(ESTADO) | B(TOTAL_VENDAS),
	    "only the fields in want are marked in have");
	ok(rc == 0 && str_is(s.estado, "Minas Gerais") && s.total_vendas == 3,
	    "and they are extracted");

	rc = parse(rec, 0, 0, &s);
	ok(rc == 0 && s.have == 0, "want 0: the line is checked, nothing kept");

	rc = parse("{\"estado\":\"SP\"}", ALL_FIELDS, 0, &s);
	ok(rc == 0 && s.have == B(ESTADO),
	    "absent fields are not in have, and not required without need");

	rc = parse("{}", ALL_FIELDS, 0, &s);
	ok(rc == 0 && s.have == 0, "an empty object parses with need 0");

	fails("{\"estado\":\"SP\"}", B(ESTADO) | B(CIDADE),
	    B(ESTADO) | B(CIDADE), "missing \"cidade\"");
	fails("{}", B(TOTAL_FATURADO), B(TOTAL_FATURADO),
	    "missing \"total_faturado\"");
	fails("{\"total_vendas\":1}", B(DATA_VENDA) | B(TOTAL_VENDAS),
	    B(DATA_VENDA) | B(TOTAL_VENDAS), "missing \"data_venda\"");
	fails("{\"Estado\":\"SP\"}", B(ESTADO), B(ESTADO), "missing \"estado\"");
	fails("{\"estado \":\"SP\"}", B(ESTADO), B(ESTADO),
	    "missing \"estado\"");
}

static void
test_extended_json(void)
{
	amount("{\"total_vendas\":{\"$numberInt\":\"5\"}}", SALE_TOTAL_VENDAS,
	    5, "$numberInt");
	amount("{\"total_vendas\":{\"$numberLong\":\"9000000000\"}}",
	    SALE_TOTAL_VENDAS, INT64_C(9000000000), "$numberLong");
	amount("{\"registros\":{\"$numberDouble\":\"3.0\"}}", SALE_REGISTROS,
	    3, "$numberDouble with a zero fraction");
	amount("{\"total_faturado\":{\"$numberDouble\":\"2.5\"}}",
	    SALE_TOTAL_FATURADO, 250, "$numberDouble");
	amount("{\"total_faturado\":{\"$numberDecimal\":\"1234.56\"}}",
	    SALE_TOTAL_FATURADO, 123456, "$numberDecimal");
	amount("{\"total_faturado\":{\"$numberDecimal\":\"12.300\"}}",
	    SALE_TOTAL_FATURADO, 1230, "$numberDecimal \"12.300\"");
	amount("{\"quantidade_motos_vendidas\":{\"$numberLong\":\"7\"}}",
	    SALE_QTD_MOTOS, 7, "$numberLong");
	amount("{\"quantidade_moto_mais_vendida\":{ \"$numberInt\" : \"2\" }}",
	    SALE_QTD_MOTO, 2, "$numberInt with spaces");

	date_is("{\"data_venda\":{\"$date\":\"2025-03-01T00:00:00Z\"}}",
	    2025, 3, 1, "$date as an ISO string");
	date_is("{\"data_venda\":{\"$date\":\"2025-03-01T23:59:59.999Z\"}}",
	    2025, 3, 1, "$date late in the day");
	date_is("{\"data_venda\":{\"$date\":\"2025-03-01T01:00:00+03:00\"}}",
	    2025, 2, 28, "$date with +03:00 is the UTC day before");
	date_is("{\"data_venda\":{\"$date\":\"2025-02-28T22:00:00-03:00\"}}",
	    2025, 3, 1, "$date with -03:00 is the UTC day after");
	date_is("{\"data_venda\":{\"$date\":{\"$numberLong\":"
	    "\"1740787199999\"}}}", 2025, 2, 28,
	    "$date as {\"$numberLong\": ms}");
	date_is("{\"data_venda\":{\"$date\":{\"$numberLong\":"
	    "\"1740787200000\"}}}", 2025, 3, 1,
	    "$date as {\"$numberLong\": ms} at midnight");
	date_is("{\"data_venda\":{\"$date\":1743465599999}}", 2025, 3, 31,
	    "$date as plain ms");
	date_is("{\"data_venda\":{\"$date\":0}}", 1970, 1, 1, "$date 0");
	date_is("{\"data_venda\":{\"$date\":-1}}", 1969, 12, 31,
	    "$date -1 ms floors to the previous day");
	date_is("{\"data_venda\":{\"$date\":{\"$numberLong\":\"-1\"}}}",
	    1969, 12, 31, "$date {\"$numberLong\":\"-1\"}");
	date_is("{\"data_venda\":{\"$date\":-86400000}}", 1969, 12, 31,
	    "$date -86400000 ms is 1969-12-31");
	date_is("{\"data_venda\":{\"$date\":-86400001}}", 1969, 12, 30,
	    "$date -86400001 ms is 1969-12-30");
	date_is("{\"data_venda\":{\"$date\":\"1969-12-31T23:59:59Z\"}}",
	    1969, 12, 31, "$date as an ISO string before 1970");
	date_is("{\"data_venda\":{\"$date\":-62135596800000}}", 1, 1, 1,
	    "$date at 0001-01-01");
	date_is("{\"data_venda\":{\"$date\":253402300799999}}", 9999, 12, 31,
	    "$date at the end of 9999-12-31");
	date_is("{\"data_venda\":\"2024-02-29\"}", 2024, 2, 29,
	    "a plain date string");

	fails("{\"data_venda\":{\"$date\":253402300800000}}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a valid date");
	fails("{\"data_venda\":{\"$date\":-62135596800001}}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a valid date");
	fails("{\"data_venda\":{\"$date\":\"2025-03-01\"}}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a valid date");
	fails("{\"data_venda\":{\"$date\":true}}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a valid date");
	fails("{\"data_venda\":{\"$dat\":0}}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a valid date");
	fails("{\"data_venda\":\"2025-02-29\"}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a valid date");
	fails("{\"data_venda\":20250301}", B(DATA_VENDA), 0,
	    "\"data_venda\" is not a string");
	fails("{\"ano_mes\":\"2025-13\"}", B(ANO_MES), 0,
	    "\"ano_mes\" is not a valid month");
	fails("{\"total_vendas\":{\"$numberInt\":5}}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is not an integer");
	fails("{\"total_vendas\":{\"$numberInt\":\"5\",\"x\":1}}",
	    B(TOTAL_VENDAS), 0, "\"total_vendas\" is not an integer");
	fails("{\"total_vendas\":{\"$numberString\":\"5\"}}", B(TOTAL_VENDAS),
	    0, "\"total_vendas\" is not an integer");
	fails("{\"total_faturado\":{\"$numberDouble\":\"NaN\"}}",
	    B(TOTAL_FATURADO), 0, "\"total_faturado\" is not a number");
}

static void
test_money_and_errors(void)
{
	amount("{\"total_faturado\":12.300}", SALE_TOTAL_FATURADO, 1230,
	    "\"12.300\"");
	amount("{\"total_faturado\":0.01}", SALE_TOTAL_FATURADO, 1, "0.01");
	amount("{\"total_faturado\":1e2}", SALE_TOTAL_FATURADO, 10000, "1e2");
	amount("{\"total_faturado\":-0}", SALE_TOTAL_FATURADO, 0, "-0");
	amount("{\"total_faturado\":92233720368547758.07}",
	    SALE_TOTAL_FATURADO, INT64_MAX, "INT64_MAX cents");
	amount("{\"total_vendas\":1e3}", SALE_TOTAL_VENDAS, 1000, "1e3");
	amount("{\"total_vendas\":4.0}", SALE_TOTAL_VENDAS, 4, "4.0");

	fails("{\"total_faturado\":1.234}", B(TOTAL_FATURADO), 0,
	    "\"total_faturado\" has more than 2 decimals");
	fails("{\"total_faturado\":{\"$numberDecimal\":\"1.234\"}}",
	    B(TOTAL_FATURADO), 0, "\"total_faturado\" has more than 2 decimals");
	fails("{\"total_vendas\":-1}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is negative");
	fails("{\"total_faturado\":-0.01}", B(TOTAL_FATURADO), 0,
	    "\"total_faturado\" is negative");
	fails("{\"registros\":{\"$numberLong\":\"-3\"}}", B(REGISTROS), 0,
	    "\"registros\" is negative");
	fails("{\"total_faturado\":1e400}", B(TOTAL_FATURADO), 0,
	    "\"total_faturado\" is out of range");
	fails("{\"total_vendas\":1e400}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is out of range");
	fails("{\"total_vendas\":9223372036854775808}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is out of range");
	fails("{\"total_faturado\":92233720368547758.08}", B(TOTAL_FATURADO),
	    0, "\"total_faturado\" is out of range");

	fails("{\"estado\":5}", B(ESTADO), 0, "\"estado\" is not a string");
	fails("{\"cidade\":null}", B(CIDADE), 0, "\"cidade\" is not a string");
	fails("{\"modalidade\":[\"x\"]}", B(MODALIDADE), 0,
	    "\"modalidade\" is not a string");
	fails("{\"total_vendas\":\"5\"}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is not an integer");
	fails("{\"total_vendas\":1.5}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is not an integer");
	fails("{\"total_vendas\":true}", B(TOTAL_VENDAS), 0,
	    "\"total_vendas\" is not an integer");
	fails("{\"total_faturado\":\"10.00\"}", B(TOTAL_FATURADO), 0,
	    "\"total_faturado\" is not a number");
	fails("{\"ano_mes\":202503}", B(ANO_MES), 0,
	    "\"ano_mes\" is not a string");

	/* Errors in fields not wanted do not matter, but JSON errors do. */
	{
		struct sale s;

		ok(parse("{\"estado\":5,\"total_vendas\":\"x\"}", B(CIDADE), 0,
		    &s) == 0, "type errors in fields not wanted are ignored");
	}

	fails("[1]", ALL_FIELDS, 0, "not a JSON object");
	fails("42", ALL_FIELDS, 0, "not a JSON object");
	fails("\"estado\"", ALL_FIELDS, 0, "not a JSON object");
	fails("null", ALL_FIELDS, 0, "not a JSON object");
	fails(" [ ] ", ALL_FIELDS, 0, "not a JSON object");

	fails_with("", ALL_FIELDS, "invalid JSON", "an empty line");
	fails_with("{\"estado\":\"SP\"", ALL_FIELDS, "invalid JSON",
	    "an unclosed object");
	fails_with("{\"estado\":\"SP\",}", ALL_FIELDS, "invalid JSON",
	    "a trailing comma");
	fails_with("{\"estado\":\"SP\"} x", ALL_FIELDS, "invalid JSON",
	    "text after the object");
	fails_with("{\"estado\":\"SP\"}{}", ALL_FIELDS, "invalid JSON",
	    "two objects");
	fails_with("[1,]", ALL_FIELDS, "invalid JSON",
	    "an invalid non-object");
	fails_with("{\"x\":[1,],\"estado\":\"SP\"}", B(ESTADO), "invalid JSON",
	    "invalid JSON in a field not wanted");
	fails_with("{\"x\":\"\xc0\x80\"}", B(ESTADO), "invalid JSON",
	    "invalid UTF-8 in a field not wanted");
	fails_with("{\"estado\":\"S\xc3\"}", B(ESTADO), "invalid JSON",
	    "invalid UTF-8 in a wanted string");
	fails_with("{\"total_vendas\":01}", B(TOTAL_VENDAS), "invalid JSON",
	    "a leading zero in a wanted number");
	fails_with("{\"estado\":\"SP\",\"estado\"}", B(ESTADO),
	    "invalid JSON", "a key without a value after a good field");
	fails("{\"estado\":\"SP\",}", B(ESTADO), 0,
	    "invalid JSON: expected a key at column 16");
	{
		struct sale s;
		static const char nul[] = "{\"estado\":\"S\0P\"}";
		size_t n = sizeof(nul) - 1;
		int rc;

		free(line);
		line = calloc(1, n + 1 + NDJSON_PADDING);
		memcpy(line, nul, n);
		rc = sale_parse(parser, line, n, B(ESTADO), 0, &s);
		if (!ok(rc == -1 && strcmp(sale_error(parser),
		    "invalid JSON: NUL byte at column 13") == 0,
		    "a NUL byte in the line: invalid JSON: NUL byte at "
		    "column 13"))
			diag("  got %d: %s", rc, sale_error(parser));
	}
}

static void
test_keys_and_strings(void)
{
	struct sale s;
	int rc;

	rc = parse("{\"estado\":\"SP\",\"total_vendas\":1,\"estado\":\"RJ\","
	    "\"total_vendas\":2}", B(ESTADO) | B(TOTAL_VENDAS), 0, &s);
	ok(rc == 0 && str_is(s.estado, "RJ") && s.total_vendas == 2,
	    "a duplicate key: the last value wins");

	rc = parse("{\"estad\\u006f\":\"SP\",\"total\\u005fvendas\":7,"
	    "\"\\u0063idade\":\"Santos\"}", B(ESTADO) | B(TOTAL_VENDAS) |
	    B(CIDADE), B(ESTADO) | B(TOTAL_VENDAS) | B(CIDADE), &s);
	if (!ok(rc == 0 && str_is(s.estado, "SP") && s.total_vendas == 7 &&
	    str_is(s.cidade, "Santos"),
	    "keys with escapes (\"estad\\u006f\") are recognised"))
		diag("  rc %d: %s", rc, rc ? sale_error(parser) : "");

	rc = parse("{\"estado\":\"Cear\\u00e1\",\"cidade\":\"S\\u00e3o "
	    "\\\"Paulo\\\"\\n\",\"modalidade\":\"\\u00c0 vista \\ud83d\\ude00\","
	    "\"total_vendas\":3}",
	    B(ESTADO) | B(CIDADE) | B(MODALIDADE) | B(TOTAL_VENDAS), 0, &s);
	is_int(rc, 0, "a line with escaped strings parses");
	ok(str_is(s.estado, "Ceará"), "estado \"Cear\\u00e1\" is \"Ceará\"");
	ok(str_is(s.cidade, "São \"Paulo\"\n"),
	    "cidade is unescaped, quotes and newline included");
	ok(str_is(s.modalidade, "À vista \xf0\x9f\x98\x80"),
	    "modalidade with a surrogate pair is UTF-8");
	ok(str_is(s.estado, "Ceará") && str_is(s.cidade, "São \"Paulo\"\n"),
	    "the earlier strings are still valid after the later ones");

	/* A longer line with escapes, then a shorter one: each parse holds */
	{
		char big[9000];
		size_t n = 0, i;

		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "{\"cidade\":\"");
		for (i = 0; i < 1000; i++)
			n += (size_t)snprintf(big + n, sizeof(big) - n,
			    "\\u00e9x");
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "\",\"estado\":\"\\tTab\"}");
		rc = parse(big, B(CIDADE) | B(ESTADO), 0, &s);
		ok(rc == 0 && s.cidade.n == 3000 &&
		    memcmp(s.cidade.s, "éxéx", 6) == 0 &&
		    memcmp(s.cidade.s + 2994, "éxéx", 6) == 0 &&
		    str_is(s.estado, "\tTab"),
		    "a 7000-byte line with 1000 escapes");
		rc = parse("{\"estado\":\"Paran\\u00e1\"}", B(ESTADO), 0, &s);
		ok(rc == 0 && str_is(s.estado, "Paraná"),
		    "the next, shorter line parses with its own strings");
	}
}

static void
test_field_names(void)
{
	static const char *const names[SALE_NFIELDS] = {
		"data_venda", "ano_mes", "estado", "cidade", "modalidade",
		"total_vendas", "total_faturado",
		"quantidade_moto_mais_vendida", "quantidade_motos_vendidas",
		"registros", "timestamp",
	};
	int f;

	for (f = 0; f < SALE_NFIELDS; f++)
		is_str(sale_field_name((enum sale_field)f), names[f],
		    "sale_field_name(%d) is %s", f, names[f]);
}

int
main(void)
{
	if ((parser = sale_parser_new()) == NULL)
		return 1;
	test_full_record();
	test_extended_json();
	test_money_and_errors();
	test_keys_and_strings();
	test_field_names();
	sale_parser_free(parser);
	sale_parser_free(NULL);
	free(line);
	return tap_done();
}
