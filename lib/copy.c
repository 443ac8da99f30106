#include <string.h>

#include "copy.h"

size_t
copy_escape(const char *s, size_t n, char *out)
{
	size_t i, run = 0, len = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		char esc;

		switch (s[i]) {
		case '\\': esc = '\\'; break;
		case '\n': esc = 'n'; break;
		case '\r': esc = 'r'; break;
		case '\t': esc = 't'; break;
		default: continue;
		}
		memcpy(out + len, s + run, i - run);
		len += i - run;
		out[len++] = '\\';
		out[len++] = esc;
		run = i + 1;
	}
	memcpy(out + len, s + run, n - run);
	return len + n - run;
}
