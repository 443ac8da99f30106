/*
 * The bad-record policy of every program that reads records: report each
 * bad line as "program: file:line: reason" on standard error, keep it
 * verbatim in the --rejects file when there is one, and tolerate up to
 * --max-errors of them.
 */
#ifndef DATAOPS_REJECT_H
#define DATAOPS_REJECT_H

#include <stdint.h>
#include <stdio.h>

struct rejects {
	long long	 max;		/* --max-errors */
	long long	 count;		/* bad lines so far */
	const char	*path;		/* --rejects, or NULL */
	FILE		*fp;
};

/* Open the --rejects file if any: 0, or -1 with errno set. */
int reject_open(struct rejects *r, const char *path, long long max);

/*
 * Report one bad line, on a line of its own (a progress line is ended
 * first).  Returns 0 while the line is tolerated, -1 when it is one too
 * many (the caller stops with status 65).
 */
int reject_line(struct rejects *r, const char *name, uint64_t lineno,
    const char *line, size_t len, const char *why);

/*
 * Print the "N records rejected" summary when some were tolerated, and close
 * the --rejects file: 0, or -1 (message printed) when it could not be
 * written.
 */
int reject_close(struct rejects *r);

#endif
