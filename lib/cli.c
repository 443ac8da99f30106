#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cli.h"

long long
cli_number(const char *opt, const char *arg, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (end == arg || *end != '\0')
		errx(EX_USAGE, "%s: invalid number: %s", opt, arg);
	if (errno == ERANGE || v < min || v > max)
		errx(EX_USAGE, "%s: out of range (%lld to %lld): %s", opt, min,
		    max, arg);
	return v;
}

void
cli_version(void)
{
	printf("%s (dataops) %s\n", program_invocation_short_name,
	    DATAOPS_VERSION);
	exit(0);
}
