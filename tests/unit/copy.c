/*
 * Unit tests for lib/copy.h: one field of COPY's text format.
 */
#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "tap.h"

/* copy_escape(s) writes want, in no more than the room it promises. */
static void
escapes(const char *s, size_t n, const char *want, const char *name)
{
	char *out = malloc(COPY_ESCAPED_MAX(n) + 1);
	size_t k;

	if (out == NULL) {
		ok(0, "malloc");
		return;
	}
	k = copy_escape(s, n, out);
	is_mem(out, k, want, strlen(want), "copy_escape: %s", name);
	free(out);
}

int
main(void)
{
	escapes("", 0, "", "nothing");
	escapes("Fortaleza", 9, "Fortaleza", "plain text as is");
	escapes("Cear\xc3\xa1", 6, "Cear\xc3\xa1", "UTF-8 as is");
	escapes("a\\b", 3, "a\\\\b", "a backslash doubled");
	escapes("a\tb", 3, "a\\tb", "a tab, which ends a field");
	escapes("a\nb", 3, "a\\nb", "a newline, which ends a row");
	escapes("a\rb", 3, "a\\rb", "a carriage return");
	escapes("\\N", 2, "\\\\N", "the text \\N is not NULL");
	escapes("\\.", 2, "\\\\.", "the text \\. is not the end of data");
	escapes("\t\t\n\n\\\\", 6, "\\t\\t\\n\\n\\\\\\\\",
	    "only escapes: twice the length");
	escapes("\b\f\v\x01\x7f", 5, "\b\f\v\x01\x7f",
	    "other control bytes as is: COPY reads them back");
	return tap_done();
}
