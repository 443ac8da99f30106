/*
 * A copy of an input that can be read only once (standard input, a pipe),
 * for programs that read their input twice: once to check it, once to
 * use it.  The copy is an unlinked temporary file in $TMPDIR (or /tmp),
 * line for line, blank lines kept, so that the second reading numbers
 * lines as the first did.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ndjson.h"

struct spool {
	FILE		*f;
	uint64_t	 written;	/* lines written */
};

/* Whether the input open in r, named path, can be read only once. */
int spool_needed(const char *path, struct ndjson_reader *r);

/* Start a copy: 0, or -1 with errno set. */
int spool_open(struct spool *s);

/* Add line lineno (lines numbered from 1, in order). */
void spool_line(struct spool *s, uint64_t lineno, const char *line,
    size_t len);

/*
 * End the copy: a descriptor of it at offset 0, for ndjson_fdopen, or -1
 * with errno set (a write error: a full disk).
 */
int spool_close(struct spool *s);

#endif
