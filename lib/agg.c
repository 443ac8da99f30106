#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "money.h"

#define ARENA_BLOCK	(64 * 1024)

struct arena_block {
	struct arena_block	*next;
	size_t			 used, cap;
	char			 data[];
};

struct agg_table {
	struct agg_group	*groups;
	size_t			 ngroups, capgroups;
	uint32_t		*slots;		/* index + 1 into groups; 0 free */
	size_t			 nslots;	/* power of two */
	struct arena_block	*arena;
	struct agg_group	**sorted;
};

struct agg_table *
agg_new(void)
{
	struct agg_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->nslots = 64;
	if ((t->slots = calloc(t->nslots, sizeof(*t->slots))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
agg_free(struct agg_table *t)
{
	struct arena_block *b, *next;

	if (t == NULL)
		return;
	for (b = t->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(t->groups);
	free(t->slots);
	free(t->sorted);
	free(t);
}

/* FNV-1a over both keys, with a separator so ("ab","") != ("a","b"). */
static uint64_t
hash_keys(const char *k1, size_t n1, const char *k2, size_t n2)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n1; i++)
		h = (h ^ (unsigned char)k1[i]) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL;
	for (i = 0; i < n2; i++)
		h = (h ^ (unsigned char)k2[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static char *
arena_copy(struct agg_table *t, const char *s, size_t n)
{
	struct arena_block *b = t->arena;
	char *p;

	if (b == NULL || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;

		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = t->arena;
		t->arena = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static int
grow_slots(struct agg_table *t)
{
	size_t n = t->nslots * 2, i;
	uint32_t *slots;

	if ((slots = calloc(n, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < t->ngroups; i++) {
		size_t j = t->groups[i].hash & (n - 1);

		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

static struct agg_group *
add_group(struct agg_table *t, size_t slot, uint64_t h, const char *k1,
    size_t n1, const char *k2, size_t n2)
{
	struct agg_group *g;

	if (t->ngroups == UINT32_MAX - 1)
		return NULL;
	if (t->ngroups == t->capgroups) {
		size_t cap = t->capgroups ? t->capgroups * 2 : 64;

		if ((g = realloc(t->groups, cap * sizeof(*g))) == NULL)
			return NULL;
		t->groups = g;
		t->capgroups = cap;
	}
	g = &t->groups[t->ngroups];
	memset(g, 0, sizeof(*g));
	if ((g->k1 = arena_copy(t, k1, n1)) == NULL ||
	    (g->k2 = arena_copy(t, k2, n2)) == NULL)
		return NULL;
	g->n1 = n1;
	g->n2 = n2;
	g->hash = h;
	t->slots[slot] = (uint32_t)++t->ngroups;
	free(t->sorted);
	t->sorted = NULL;
	if (t->ngroups * 2 > t->nslots && grow_slots(t) == -1) {
		t->ngroups--;
		t->slots[slot] = 0;
		return NULL;
	}
	return &t->groups[t->ngroups - 1];
}

struct agg_group *
agg_find(struct agg_table *t, const char *k1, size_t n1, const char *k2,
    size_t n2)
{
	uint64_t h = hash_keys(k1, n1, k2, n2);
	size_t j = h & (t->nslots - 1);
	uint32_t idx;

	while ((idx = t->slots[j]) != 0) {
		struct agg_group *g = &t->groups[idx - 1];

		if (g->hash == h && g->n1 == n1 && g->n2 == n2 &&
		    memcmp(g->k1, k1, n1) == 0 && memcmp(g->k2, k2, n2) == 0)
			return g;
		j = (j + 1) & (t->nslots - 1);
	}
	return add_group(t, j, h, k1, n1, k2, n2);
}

int
agg_add(struct agg_group *g, int64_t total_vendas, int64_t faturado,
    int64_t motos, int64_t registros)
{
	struct agg_group sum = *g;

	if (money_add(&sum.total_vendas, total_vendas) == -1 ||
	    money_add(&sum.faturado, faturado) == -1 ||
	    money_add(&sum.motos, motos) == -1 ||
	    money_add(&sum.registros, registros) == -1)
		return -1;
	*g = sum;
	return 0;
}

int
agg_merge(struct agg_table *dst, const struct agg_table *src)
{
	size_t i;

	for (i = 0; i < src->ngroups; i++) {
		const struct agg_group *s = &src->groups[i];
		struct agg_group *g;

		if ((g = agg_find(dst, s->k1, s->n1, s->k2, s->n2)) == NULL ||
		    agg_add(g, s->total_vendas, s->faturado, s->motos,
		    s->registros) == -1)
			return -1;
	}
	return 0;
}

size_t
agg_count(const struct agg_table *t)
{
	return t->ngroups;
}

/* Byte order over the whole key: keys may hold NUL bytes. */
static int
cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	if (c != 0)
		return c;
	return na < nb ? -1 : na > nb;
}

static int
cmp_key(const struct agg_group *a, const struct agg_group *b)
{
	int c = cmp_bytes(a->k1, a->n1, b->k1, b->n1);

	return c != 0 ? c : cmp_bytes(a->k2, a->n2, b->k2, b->n2);
}

static int
cmp_by_key(const void *pa, const void *pb)
{
	return cmp_key(*(struct agg_group *const *)pa,
	    *(struct agg_group *const *)pb);
}

static int
cmp_by_vendas(const void *pa, const void *pb)
{
	const struct agg_group *a = *(struct agg_group *const *)pa;
	const struct agg_group *b = *(struct agg_group *const *)pb;

	if (a->total_vendas != b->total_vendas)
		return a->total_vendas > b->total_vendas ? -1 : 1;
	return cmp_key(a, b);
}

struct agg_group **
agg_sorted(struct agg_table *t, enum agg_order order)
{
	size_t i;

	free(t->sorted);
	if ((t->sorted = malloc((t->ngroups + 1) * sizeof(*t->sorted))) ==
	    NULL)
		return NULL;
	for (i = 0; i < t->ngroups; i++)
		t->sorted[i] = &t->groups[i];
	qsort(t->sorted, t->ngroups, sizeof(*t->sorted),
	    order == AGG_BY_KEY ? cmp_by_key : cmp_by_vendas);
	return t->sorted;
}
