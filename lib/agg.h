/*
 * The group-by engine: a hash table of groups keyed by one or two strings,
 * each carrying the sums of an aggregate row.  Memory grows with the number
 * of groups, never with the number of records.
 */
#ifndef DATAOPS_AGG_H
#define DATAOPS_AGG_H

#include <stddef.h>
#include <stdint.h>

struct agg_group {
	const char	*k1, *k2;	/* NUL-terminated keys; k2 may be "" */
	size_t		 n1, n2;
	uint64_t	 hash;
	int64_t		 total_vendas;
	int64_t		 faturado;	/* cents */
	int64_t		 motos;		/* quantidade_motos_vendidas */
	int64_t		 registros;
};

enum agg_order {
	AGG_BY_KEY,		/* k1, then k2, ascending in byte order */
	AGG_BY_VENDAS		/* total_vendas descending, then by key */
};

struct agg_table;

struct agg_table *agg_new(void);
void agg_free(struct agg_table *t);

/*
 * The group keyed by (k1, k2), added with zero sums when new.  The pointer
 * is valid until the next group is added.  NULL when out of memory.
 */
struct agg_group *agg_find(struct agg_table *t, const char *k1, size_t n1,
    const char *k2, size_t n2);

/* Add one row's measures to g: 0, or -1 (g unchanged) on int64 overflow. */
int agg_add(struct agg_group *g, int64_t total_vendas, int64_t faturado,
    int64_t motos, int64_t registros);

/* Add every group of src into dst: 0, or -1 on overflow or no memory. */
int agg_merge(struct agg_table *dst, const struct agg_table *src);

/* Number of groups. */
size_t agg_count(const struct agg_table *t);

/*
 * All groups in the given order, in an array owned by the table and valid
 * until the table changes.  NULL when out of memory.
 */
struct agg_group **agg_sorted(struct agg_table *t, enum agg_order order);

#endif
