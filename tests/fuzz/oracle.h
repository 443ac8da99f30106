/*
 * jansson as an oracle for the fuzz targets: its own reading of a JSON
 * text, from a translation unit of its own (jansson.h and lib/json.h
 * both name JSON_OBJECT).
 */
#ifndef DATAOPS_FUZZ_ORACLE_H
#define DATAOPS_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

struct oracle_doc;

/*
 * jansson's reading of s[0..n) as any JSON value, NUL allowed in
 * strings; NULL when it refuses, with its reason in why.
 */
struct oracle_doc *oracle_load(const char *s, size_t n, char *why,
    size_t size);
void oracle_free(struct oracle_doc *doc);

/* 1 when the value is an object. */
int oracle_is_object(const struct oracle_doc *doc);

/* Member key of an object: 1 when it is a string (or integer), else 0. */
int oracle_string(const struct oracle_doc *doc, const char *key,
    const char **s, size_t *n);
int oracle_integer(const struct oracle_doc *doc, const char *key,
    int64_t *v);

#endif
