#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "reject.h"

int
reject_open(struct rejects *r, const char *path, long long max)
{
	memset(r, 0, sizeof(*r));
	r->max = max;
	r->path = path;
	if (path != NULL && (r->fp = fopen(path, "w")) == NULL)
		return -1;
	return 0;
}

int
reject_line(struct rejects *r, const char *name, uint64_t lineno,
    const char *line, size_t len, const char *why)
{
	cli_progress_end();
	warnx("%s:%llu: %s", name, (unsigned long long)lineno, why);
	if (r->fp != NULL) {
		fwrite(line, 1, len, r->fp);
		putc('\n', r->fp);
	}
	return ++r->count > r->max ? -1 : 0;
}

int
reject_close(struct rejects *r)
{
	int rc = 0;

	cli_progress_end();
	/* after a fatal one, the message said it all */
	if (r->count > 0 && r->count <= r->max)
		warnx("%lld record%s rejected", r->count,
		    r->count == 1 ? "" : "s");
	if (r->fp != NULL && fclose(r->fp) == EOF) {
		warn("%s", r->path);
		rc = -1;
	}
	r->fp = NULL;
	return rc;
}
