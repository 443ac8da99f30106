/*
 * The fields of a sale record, or of an aggregate row, read from one JSON
 * line.  The parser checks the whole line is one valid JSON object, then
 * extracts the fields asked for, accepting the MongoDB extended-JSON forms
 * ($numberInt, $numberLong, $numberDouble, $numberDecimal, $date).  Money
 * goes from text to cents without a double.
 */
#ifndef DATAOPS_SALE_H
#define DATAOPS_SALE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sale_field {
	SALE_DATA_VENDA,	/* "YYYY-MM-DD" or $date: year, month, day */
	SALE_ANO_MES,		/* "YYYY-MM": year, month */
	SALE_ESTADO,
	SALE_CIDADE,
	SALE_MODALIDADE,
	SALE_TOTAL_VENDAS,	/* integer >= 0 */
	SALE_TOTAL_FATURADO,	/* money >= 0, in cents */
	SALE_QTD_MOTO,		/* quantidade_moto_mais_vendida, integer >= 0 */
	SALE_QTD_MOTOS,		/* quantidade_motos_vendidas, integer >= 0 */
	SALE_REGISTROS,		/* integer >= 0 */
	SALE_TIMESTAMP,		/* ISO 8601 instant or $date: epoch seconds */
	SALE_NFIELDS
};

#define SALE_BIT(f)	(1u << (f))

struct sale_str {
	const char	*s;
	size_t		 n;
};

struct sale {
	unsigned	 have;		/* SALE_BIT of each field found */
	int		 year, month, day;
	struct sale_str	 estado, cidade, modalidade;
	int64_t		 total_vendas, faturado, qtd_moto, qtd_motos,
			 registros;
	int64_t		 timestamp;
};

struct sale_parser;

/* A parser with its own buffers; NULL when out of memory. */
struct sale_parser *sale_parser_new(void);
void sale_parser_free(struct sale_parser *p);

/*
 * Parse line[0..len), which must be followed by NDJSON_PADDING readable
 * bytes (lib/ndjson.h guarantees it).  Extract the fields in the mask want
 * and in need; those in need must be present.  Strings stay valid until the next
 * call.  Returns 0, or -1 with the reason in sale_error().
 */
int sale_parse(struct sale_parser *p, const char *line, size_t len,
    unsigned want, unsigned need, struct sale *s);

/* Why the last sale_parse failed: `"total_vendas" is negative`. */
const char *sale_error(const struct sale_parser *p);

/* The JSON name of a field. */
const char *sale_field_name(enum sale_field f);

#ifdef __cplusplus
}
#endif

#endif
