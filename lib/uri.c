#include <stdlib.h>
#include <string.h>

#include "uri.h"

char *
uri_redact(const char *uri)
{
	const char *scheme, *at, *colon, *pw;
	char *out;
	size_t n;

	if ((scheme = strstr(uri, "://")) == NULL) {
		/* "key=value ..." form: drop the password=... word */
		if ((out = strdup(uri)) == NULL)
			return NULL;
		if ((pw = strstr(out, "password")) != NULL) {
			n = strcspn(pw, " \t");
			n += strspn(pw + n, " \t");
			memmove((char *)pw, pw + n, strlen(pw + n) + 1);
		}
		return out;
	}
	scheme += 3;
	at = strchr(scheme, '@');
	colon = memchr(scheme, ':', at != NULL ? (size_t)(at - scheme) : 0);
	if (at != NULL && colon != NULL) {
		/* user:password@host */
		n = (size_t)(colon - uri);
		if ((out = malloc(strlen(uri) + 1)) == NULL)
			return NULL;
		memcpy(out, uri, n);
		strcpy(out + n, at);
	} else if ((out = strdup(uri)) == NULL) {
		return NULL;
	}
	/* ...?password=... in the query string */
	if ((pw = strstr(out, "password=")) != NULL) {
		char *amp = strchr(pw, '&');

		if (amp != NULL)
			memmove((char *)pw, amp + 1, strlen(amp + 1) + 1);
		else
			*(char *)(pw > out && (pw[-1] == '?' || pw[-1] == '&') ?
			    pw - 1 : pw) = '\0';
	}
	return out;
}
