#include <stdio.h>

#include <jansson.h>

#include "oracle.h"

struct oracle_doc *
oracle_load(const char *s, size_t n, char *why, size_t size)
{
	json_error_t e;
	json_t *v;

	v = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (v == NULL)
		snprintf(why, size, "%s", e.text);
	return (struct oracle_doc *)v;
}

void
oracle_free(struct oracle_doc *doc)
{
	json_decref((json_t *)doc);
}

int
oracle_is_object(const struct oracle_doc *doc)
{
	return json_is_object((const json_t *)doc);
}

int
oracle_string(const struct oracle_doc *doc, const char *key, const char **s,
    size_t *n)
{
	json_t *v = json_object_get((const json_t *)doc, key);

	if (!json_is_string(v))
		return 0;
	*s = json_string_value(v);
	*n = json_string_length(v);
	return 1;
}

int
oracle_integer(const struct oracle_doc *doc, const char *key, int64_t *v)
{
	json_t *x = json_object_get((const json_t *)doc, key);

	if (!json_is_integer(x))
		return 0;
	*v = (int64_t)json_integer_value(x);
	return 1;
}
