#include <string.h>

#include "copy.h"

/* What follows the backslash for each byte COPY needs escaped, else 0. */
static const char escape_of[256] = {
	['\\'] = '\\', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
};

size_t
copy_escape(const char *s, size_t n, char *out)
{
	size_t i = 0, run = 0, len = 0;

	for (;;) {
		/* one test per byte: escapes are rare */
		while (i < n && escape_of[(unsigned char)s[i]] == 0)
			i++;
		memcpy(out + len, s + run, i - run);
		len += i - run;
		if (i == n)
			return len;
		out[len++] = '\\';
		out[len++] = escape_of[(unsigned char)s[i]];
		run = ++i;
	}
}
