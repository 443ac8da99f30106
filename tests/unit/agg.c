/*
 * Unit tests for lib/agg.h: the group-by hash table, its sums and its
 * two sort orders.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "tap.h"

/* agg_find with NUL-terminated keys. */
static struct agg_group *
find(struct agg_table *t, const char *k1, const char *k2)
{
	return agg_find(t, k1, strlen(k1), k2, strlen(k2));
}

/* The group has exactly these sums. */
static int
has_sums(const struct agg_group *g, int64_t vendas, int64_t faturado,
    int64_t motos, int64_t registros)
{
	return g != NULL && g->total_vendas == vendas &&
	    g->faturado == faturado && g->motos == motos &&
	    g->registros == registros;
}

static void
show_group(const char *label, const struct agg_group *g)
{
	if (g == NULL) {
		diag("%s: NULL", label);
		return;
	}
	diag("%s: (\"%s\", \"%s\") vendas %" PRId64 " faturado %" PRId64
	    " motos %" PRId64 " registros %" PRId64, label, g->k1, g->k2,
	    g->total_vendas, g->faturado, g->motos, g->registros);
}

static void
test_find(void)
{
	struct agg_table *t = agg_new();
	struct agg_group *g, *again, *other;
	char k1[] = "Ceará", k2[] = "Fortaleza";

	if (!ok(t != NULL, "agg_new returns a table"))
		return;
	is_int(agg_count(t), 0, "a new table has no groups");

	g = find(t, "Ceará", "Fortaleza");
	ok(g != NULL, "agg_find creates a group");
	is_int(agg_count(t), 1, "one group after the first find");
	ok(has_sums(g, 0, 0, 0, 0), "a new group has zero sums");
	is_str(g->k1, "Ceará", "the group keeps k1");
	is_str(g->k2, "Fortaleza", "the group keeps k2");
	is_int(g->n1, strlen("Ceará"), "n1 is the byte length of k1");
	is_int(g->n2, strlen("Fortaleza"), "n2 is the byte length of k2");
	ok(g->k1 != k1 && g->k2 != k2, "the keys are copied, not borrowed");

	is_int(agg_add(g, 3, 150, 2, 1), 0, "agg_add returns 0");
	/* The caller's key buffers may change; the group must not. */
	memset(k1, 'x', sizeof(k1) - 1);
	memset(k2, 'x', sizeof(k2) - 1);
	again = find(t, "Ceará", "Fortaleza");
	ok(again == g, "agg_find returns the same group for the same keys");
	is_int(agg_count(t), 1, "finding it again adds no group");
	ok(has_sums(again, 3, 150, 2, 1), "the sums are kept");
	is_str(again->k1, "Ceará", "k1 survives the caller changing its copy");

	/* Only n1/n2 bytes of the keys count, not what follows them. */
	again = agg_find(t, "Ceará!!", strlen("Ceará"), "Fortaleza??", 9);
	ok(again == g, "only n1 and n2 bytes of the keys are compared");

	other = find(t, "Ceará", "Sobral");
	ok(other != NULL && other != find(t, "Ceará", "Fortaleza"),
	    "a different k2 is a different group");
	is_int(agg_count(t), 2, "two groups");
	other = find(t, "Ceara", "Fortaleza");
	is_int(agg_count(t), 3, "a different k1 is a different group");

	/* ("ab","") and ("a","b") concatenate to the same bytes. */
	g = find(t, "ab", "");
	agg_add(g, 1, 0, 0, 0);
	other = find(t, "a", "b");
	ok(other != NULL && has_sums(other, 0, 0, 0, 0),
	    "(\"a\",\"b\") is not the group (\"ab\",\"\")");
	agg_add(other, 10, 0, 0, 0);
	g = find(t, "ab", "");
	ok(has_sums(g, 1, 0, 0, 0), "(\"ab\",\"\") keeps its own sums");
	is_str(g->k2, "", "an empty k2 is kept as \"\"");
	is_int(g->n2, 0, "an empty k2 has length 0");
	other = find(t, "", "ab");
	ok(has_sums(other, 0, 0, 0, 0),
	    "(\"\",\"ab\") is a third, distinct group");
	is_int(agg_count(t), 6, "six groups in all");
	agg_free(t);
	agg_free(NULL);
	ok(1, "agg_free(NULL) is harmless");
}

static void
test_add_overflow(void)
{
	struct agg_table *t = agg_new();
	struct agg_group *g = find(t, "SP", "");

	is_int(agg_add(g, INT64_MAX - 1, 100, 5, 1), 0,
	    "agg_add up to INT64_MAX - 1");
	is_int(agg_add(g, 1, 1, 1, 1), 0, "agg_add reaching INT64_MAX");
	ok(has_sums(g, INT64_MAX, 101, 6, 2), "sums after reaching the limit");

	is_int(agg_add(g, 1, 0, 0, 0), -1,
	    "agg_add past INT64_MAX in total_vendas is -1");
	if (!ok(has_sums(g, INT64_MAX, 101, 6, 2),
	    "the group is unchanged after the overflow"))
		show_group("group", g);

	g = find(t, "RJ", "");
	agg_add(g, 7, 700, 3, INT64_MAX);
	is_int(agg_add(g, 1, 1, 1, 1), -1,
	    "overflow in the last measure (registros) is -1");
	if (!ok(has_sums(g, 7, 700, 3, INT64_MAX),
	    "the measures before it are not added either"))
		show_group("group", g);

	g = find(t, "MG", "");
	agg_add(g, 0, INT64_MIN + 5, 0, 0);
	is_int(agg_add(g, 0, -6, 0, 0), -1,
	    "agg_add below INT64_MIN (faturado) is -1");
	ok(has_sums(g, 0, INT64_MIN + 5, 0, 0), "and leaves the group alone");
	is_int(agg_add(g, 0, -5, 0, 0), 0, "agg_add reaching INT64_MIN is 0");
	ok(g->faturado == INT64_MIN, "faturado is INT64_MIN");

	g = find(t, "BA", "");
	agg_add(g, 5, 5, 5, 5);
	is_int(agg_add(g, -5, -5, -5, -5), 0, "negative rows may be added");
	ok(has_sums(g, 0, 0, 0, 0), "and subtract");
	agg_free(t);
}

/* Deterministic pseudo-random rows. */
static uint64_t
next_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void
test_merge(void)
{
	static const char *const states[] = { "SP", "RJ", "MG", "Ceará",
	    "ab", "a" };
	static const char *const cities[] = { "", "b", "Fortaleza", "Sobral",
	    "São Paulo" };
	struct agg_table *a = agg_new(), *b = agg_new(), *all = agg_new();
	struct agg_group **ga, **gall;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t i, n, nb, bad = 0, first_bad = 0;
	int64_t want_vendas = 0, got_vendas = 0;

	for (i = 0; i < 20000; i++) {
		const char *k1 = states[next_rand(&seed) % 6];
		const char *k2 = cities[next_rand(&seed) % 5];
		int64_t v = (int64_t)(next_rand(&seed) % 100);
		int64_t f = (int64_t)(next_rand(&seed) % 10000000);
		int64_t m = (int64_t)(next_rand(&seed) % 7);

		/* the first half into a, the second into b, all into all */
		agg_add(find(i < 10000 ? a : b, k1, k2), v, f, m, 1);
		agg_add(find(all, k1, k2), v, f, m, 1);
		want_vendas += v;
	}
	/* a group only b has, to be created by the merge */
	agg_add(find(b, "only-in-b", "x"), 1, 2, 3, 4);
	agg_add(find(all, "only-in-b", "x"), 1, 2, 3, 4);
	want_vendas += 1;

	nb = agg_count(b);
	is_int(agg_merge(a, b), 0, "agg_merge returns 0");
	is_int(agg_count(a), agg_count(all),
	    "the merged table has as many groups as adding all rows");
	is_int(agg_count(all), 31, "30 key pairs plus the one only b had");
	ga = agg_sorted(a, AGG_BY_KEY);
	gall = agg_sorted(all, AGG_BY_KEY);
	n = agg_count(all);
	for (i = 0; ga != NULL && gall != NULL && i < n; i++) {
		got_vendas += ga[i]->total_vendas;
		if (strcmp(ga[i]->k1, gall[i]->k1) != 0 ||
		    strcmp(ga[i]->k2, gall[i]->k2) != 0 ||
		    !has_sums(ga[i], gall[i]->total_vendas, gall[i]->faturado,
		    gall[i]->motos, gall[i]->registros)) {
			if (bad++ == 0)
				first_bad = i;
		}
	}
	if (!ok(ga != NULL && gall != NULL && bad == 0,
	    "every merged group has the sums of adding all rows in one") &&
	    bad > 0) {
		diag("%zu groups differ; the first:", bad);
		show_group("merged", ga[first_bad]);
		show_group("expected", gall[first_bad]);
	}
	is_int(got_vendas, want_vendas,
	    "merged total_vendas adds up to every row's");
	ok(has_sums(find(a, "only-in-b", "x"), 1, 2, 3, 4),
	    "a group only src had is copied with its sums");
	is_int(agg_count(b), nb, "agg_merge leaves src's group count alone");
	ok(has_sums(find(b, "only-in-b", "x"), 1, 2, 3, 4),
	    "agg_merge leaves src's sums alone");

	/* merging an empty table changes nothing */
	{
		struct agg_table *empty = agg_new();

		n = agg_count(a);
		is_int(agg_merge(a, empty), 0, "merging an empty table is 0");
		is_int(agg_count(a), n, "and adds no group");
		is_int(agg_merge(empty, a), 0, "merging into an empty table");
		is_int(agg_count(empty), n, "copies every group");
		agg_free(empty);
	}

	/* overflow while merging */
	{
		struct agg_table *x = agg_new(), *y = agg_new();

		agg_add(find(x, "SP", ""), INT64_MAX, 0, 0, 1);
		agg_add(find(y, "SP", ""), 1, 0, 0, 1);
		is_int(agg_merge(x, y), -1, "agg_merge overflowing is -1");
		ok(has_sums(find(x, "SP", ""), INT64_MAX, 0, 0, 1),
		    "the overflowing group of dst is unchanged");
		agg_free(x);
		agg_free(y);
	}
	agg_free(a);
	agg_free(b);
	agg_free(all);
}

/* The sorted groups are exactly these (k1, k2) pairs, in this order. */
static int
is_order(struct agg_group **g, size_t n, const char *const *want,
    size_t nwant, const char *name)
{
	size_t i;
	int pass = g != NULL && n == nwant / 2;

	for (i = 0; pass && i < n; i++)
		if (strcmp(g[i]->k1, want[2 * i]) != 0 ||
		    strcmp(g[i]->k2, want[2 * i + 1]) != 0)
			pass = 0;
	ok(pass, "%s", name);
	if (!pass && g != NULL)
		for (i = 0; i < n; i++)
			diag("  got [%zu] (\"%s\", \"%s\") vendas %" PRId64,
			    i, g[i]->k1, g[i]->k2, g[i]->total_vendas);
	return pass;
}

static void
test_sort_by_key(void)
{
	/* Byte order: ' ' < 'A' < 'Z' < 'a' < UTF-8 lead bytes (>= 0xc3). */
	static const char *const want[] = {
		" Árvore", "",
		"Abc", "",
		"Sa", "z",
		"Sao", "",
		"Sao", "Paulo",
		"Sao", "paulo",
		"São", "",		/* 'S', then 0xc3 > 'a' */
		"Zebra", "",
		"a", "b",
		"ab", "",
		"abc", "",
		"Árvore", "",
		"Ébano", "",
	};
	static const char *const insert[] = {
		"São", "", "Zebra", "", "Árvore", "", "abc", "", "Sao", "paulo",
		"Ébano", "", "ab", "", "Sao", "Paulo", "a", "b", " Árvore", "",
		"Sao", "", "Abc", "", "Sa", "z",
	};
	struct agg_table *t = agg_new();
	struct agg_group **g;
	size_t i;

	for (i = 0; i < sizeof(insert) / sizeof(insert[0]); i += 2)
		agg_add(find(t, insert[i], insert[i + 1]), (int64_t)i, 0, 0, 1);
	g = agg_sorted(t, AGG_BY_KEY);
	is_order(g, agg_count(t), want, sizeof(want) / sizeof(want[0]),
	    "AGG_BY_KEY sorts k1 then k2 in byte order");
	/* the example from the brief, on its own */
	{
		struct agg_table *u = agg_new();

		find(u, "Árvore", "");
		find(u, "Zebra", "");
		find(u, "zebra", "");
		g = agg_sorted(u, AGG_BY_KEY);
		ok(g != NULL && strcmp(g[0]->k1, "Zebra") == 0 &&
		    strcmp(g[1]->k1, "zebra") == 0 &&
		    strcmp(g[2]->k1, "Árvore") == 0,
		    "\"Árvore\" sorts after \"Zebra\" and \"zebra\" (UTF-8 "
		    "bytes > ASCII)");
		agg_free(u);
	}
	agg_free(t);
}

/*
 * Keys are n1/n2 bytes and may hold a NUL (a JSON "\u0000" unescapes to
 * one); byte order must look at every byte, or distinct groups tie.
 */
static void
test_sort_nul_in_key(void)
{
	struct agg_table *t = agg_new();
	struct agg_group **g;
	int pass;

	agg_find(t, "a\0c", 3, "", 0);
	agg_find(t, "a\0b", 3, "", 0);
	agg_find(t, "a\0", 2, "", 0);
	agg_find(t, "a", 1, "x", 1);
	is_int(agg_count(t), 4, "keys differing after a NUL are 4 groups");
	g = agg_sorted(t, AGG_BY_KEY);
	pass = g != NULL &&
	    g[0]->n1 == 1 && memcmp(g[0]->k1, "a", 1) == 0 &&
	    g[1]->n1 == 2 && memcmp(g[1]->k1, "a\0", 2) == 0 &&
	    g[2]->n1 == 3 && memcmp(g[2]->k1, "a\0b", 3) == 0 &&
	    g[3]->n1 == 3 && memcmp(g[3]->k1, "a\0c", 3) == 0;
	if (!ok(pass, "AGG_BY_KEY orders keys holding NUL bytes by all "
	    "their bytes: a, a\\0, a\\0b, a\\0c") && g != NULL) {
		size_t i;

		for (i = 0; i < 4; i++)
			tap_quote("  got k1", g[i]->k1, g[i]->n1);
	}
	agg_free(t);
}

static void
test_sort_by_vendas(void)
{
	static const char *const want[] = {
		"ZZ", "",
		"RJ", "z",
		"SP", "",
		"SP", "a",
		"SP", "b",
		"AM", "x",
		"Árvore", "",
		"BA", "",
	};
	struct agg_table *t = agg_new();
	struct agg_group **g, *sp_a;

	agg_add(find(t, "SP", "b"), 10, 1, 0, 1);
	agg_add(find(t, "BA", ""), 0, 99999, 0, 1);
	agg_add(find(t, "SP", "a"), 10, 2, 0, 1);
	agg_add(find(t, "Árvore", ""), 1, 0, 0, 1);
	agg_add(find(t, "RJ", "z"), 10, 3, 0, 1);
	agg_add(find(t, "AM", "x"), 5, 4, 0, 1);
	agg_add(find(t, "SP", ""), 10, 0, 0, 1);
	agg_add(find(t, "ZZ", ""), 20, 5, 0, 1);
	g = agg_sorted(t, AGG_BY_VENDAS);
	is_order(g, agg_count(t), want, sizeof(want) / sizeof(want[0]),
	    "AGG_BY_VENDAS: total_vendas descending, ties by k1 then k2");

	/* a later change is seen by a new sort */
	sp_a = find(t, "SP", "a");
	agg_add(sp_a, 100, 0, 0, 0);
	g = agg_sorted(t, AGG_BY_VENDAS);
	ok(g != NULL && g[0] == find(t, "SP", "a"),
	    "sorting again reflects new sums");
	g = agg_sorted(t, AGG_BY_KEY);
	ok(g != NULL && strcmp(g[0]->k1, "AM") == 0 &&
	    strcmp(g[7]->k1, "Árvore") == 0,
	    "the same table sorts by key afterwards");
	agg_free(t);
}

static void
test_many_groups(void)
{
	enum { NGROUPS = 100000 };
	struct agg_table *t = agg_new();
	struct agg_group **g;
	char key[32], k2[32];
	size_t i, bad = 0, prev_bad = 0, first_bad = 0;
	int pass;

	/* Two passes: every key is created, then found again, across growth. */
	for (int pass_no = 0; pass_no < 2; pass_no++)
		for (i = 0; i < NGROUPS; i++) {
			struct agg_group *grp;

			snprintf(key, sizeof(key), "k%zu", i);
			snprintf(k2, sizeof(k2), "%zu", i % 7);
			grp = find(t, key, k2);
			if (grp == NULL ||
			    agg_add(grp, (int64_t)i, 2 * (int64_t)i, 1, 1) == -1)
				bad++;
		}
	is_int(bad, 0, "100000 groups created and found again");
	is_int(agg_count(t), NGROUPS, "agg_count is 100000");

	bad = 0;
	for (i = 0; i < NGROUPS; i++) {
		struct agg_group *grp;

		snprintf(key, sizeof(key), "k%zu", i);
		snprintf(k2, sizeof(k2), "%zu", i % 7);
		grp = find(t, key, k2);
		if (!has_sums(grp, 2 * (int64_t)i, 4 * (int64_t)i, 2, 2) ||
		    strcmp(grp->k1, key) != 0 || strcmp(grp->k2, k2) != 0) {
			if (bad++ == 0)
				first_bad = i;
		}
	}
	if (!is_int(bad, 0, "every group has the sums of its two rows"))
		diag("the first wrong group is k%zu", first_bad);
	is_int(agg_count(t), NGROUPS, "looking them up adds no group");

	g = agg_sorted(t, AGG_BY_KEY);
	pass = g != NULL;
	for (i = 1; pass && i < NGROUPS; i++)
		if (strcmp(g[i - 1]->k1, g[i]->k1) >= 0)
			prev_bad++;
	ok(pass && prev_bad == 0, "100000 groups sorted by key, strictly "
	    "increasing");
	ok(pass && strcmp(g[0]->k1, "k0") == 0 &&
	    strcmp(g[1]->k1, "k1") == 0 && strcmp(g[2]->k1, "k10") == 0 &&
	    strcmp(g[NGROUPS - 1]->k1, "k99999") == 0,
	    "byte order: k0, k1, k10, ..., k99999");
	g = agg_sorted(t, AGG_BY_VENDAS);
	ok(g != NULL && strcmp(g[0]->k1, "k99999") == 0 &&
	    strcmp(g[NGROUPS - 1]->k1, "k0") == 0,
	    "by vendas: k99999 first, k0 last");
	agg_free(t);
}

static void
test_empty(void)
{
	struct agg_table *t = agg_new();
	struct agg_group **g;

	g = agg_sorted(t, AGG_BY_KEY);
	ok(g != NULL, "agg_sorted of an empty table is not NULL");
	is_int(agg_count(t), 0, "and it has zero groups");
	g = agg_sorted(t, AGG_BY_VENDAS);
	ok(g != NULL, "agg_sorted by vendas of an empty table is not NULL");
	agg_free(t);
}

int
main(void)
{
	test_find();
	test_add_overflow();
	test_merge();
	test_sort_by_key();
	test_sort_nul_in_key();
	test_sort_by_vendas();
	test_many_groups();
	test_empty();
	return tap_done();
}
