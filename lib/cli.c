#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cli.h"

static int	 progress_open;	/* a progress line awaits its newline */

uint64_t
cli_number(const char *opt, const char *arg, uint64_t min, uint64_t max)
{
	unsigned long long v;
	char *end;

	if (*arg < '0' || *arg > '9')
		errx(EX_USAGE, "%s: invalid number: %s", opt, arg);
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end != '\0')
		errx(EX_USAGE, "%s: invalid number: %s", opt, arg);
	if (errno == ERANGE || v < min || v > max)
		errx(EX_USAGE, "%s: out of range (%llu to %llu): %s", opt,
		    (unsigned long long)min, (unsigned long long)max, arg);
	return v;
}

void
cli_version(void)
{
	printf("%s (dataops) %s\n", program_invocation_short_name,
	    DATAOPS_VERSION);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(EX_IOERR, "stdout");
	exit(0);
}

void
cli_progress(const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* back to the start, the text, the rest of the old one erased */
	fprintf(stderr, "\r%s: %s\033[K", program_invocation_short_name,
	    text);
	progress_open = 1;
}

void
cli_progress_end(void)
{
	if (progress_open)
		fputc('\n', stderr);
	progress_open = 0;
}

int
cli_errno_status(void)
{
	return errno == ENOMEM ? EX_SOFTWARE : EX_IOERR;
}

int
cli_read_error(const char *name)
{
	int status = cli_errno_status();

	warn("%s", name);
	return status;
}
