#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "uri.h"

static int
is_password(const char *key, size_t n)
{
	return n == 8 && strncmp(key, "password", 8) == 0;
}

/*
 * A libpq "key = value ..." string without its password entries.  The
 * syntax is libpq's: spaces around "=" allowed, a value single-quoted
 * (with \' and \\ inside) or up to the next space (with \ escaping).
 */
static char *
redact_conninfo(const char *s, char *out)
{
	const char *p = s, *entry, *key;
	size_t keylen, len = 0;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		entry = key = p;
		while (*p != '\0' && *p != '=' && !isspace((unsigned char)*p))
			p++;
		keylen = (size_t)(p - key);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '=') {
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (*p == '\'') {
				for (p++; *p != '\0' && *p != '\''; p++)
					if (*p == '\\' && p[1] != '\0')
						p++;
				if (*p == '\'')
					p++;
			} else {
				for (; *p != '\0' &&
				    !isspace((unsigned char)*p); p++)
					if (*p == '\\' && p[1] != '\0')
						p++;
			}
		}
		if (is_password(key, keylen))
			continue;
		if (len > 0)
			out[len++] = ' ';
		memcpy(out + len, entry, (size_t)(p - entry));
		len += (size_t)(p - entry);
	}
	out[len] = '\0';
	return out;
}

/*
 * A URI without the password of its user information
 * ("user:password@host") and without password=... in its query string.
 */
static char *
redact_uri(const char *uri, const char *authority, char *out)
{
	size_t auth_end = strcspn(authority, "/?");
	const char *at = memchr(authority, '@', auth_end);
	const char *colon = at != NULL ?
	    memchr(authority, ':', (size_t)(at - authority)) : NULL;
	const char *q, *param;
	size_t len, n;
	int first = 1;

	if (colon != NULL) {
		len = (size_t)(colon - uri);
		memcpy(out, uri, len);
		authority = at;
	} else {
		len = (size_t)(authority - uri);
		memcpy(out, uri, len);
	}
	n = strcspn(authority, "?");
	memcpy(out + len, authority, n);
	len += n;
	q = authority + n;
	if (*q == '?') {
		for (param = q + 1; *param != '\0'; param += n +
		    (param[n] == '&')) {
			n = strcspn(param, "&");
			if (is_password(param, strcspn(param, "=&")) || n == 0)
				continue;
			out[len++] = first ? '?' : '&';
			first = 0;
			memcpy(out + len, param, n);
			len += n;
			if (param[n] == '\0')
				break;
		}
	}
	out[len] = '\0';
	return out;
}

char *
uri_redact(const char *uri)
{
	const char *scheme = strstr(uri, "://");
	char *out;

	if ((out = malloc(strlen(uri) + 2)) == NULL)
		return NULL;
	/* libpq takes a URI only when it starts with its scheme */
	if (scheme != NULL && (strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "postgres://", 11) == 0 ||
	    strspn(uri, "abcdefghijklmnopqrstuvwxyz+.-") ==
	    (size_t)(scheme - uri)))
		return redact_uri(uri, scheme + 3, out);
	return redact_conninfo(uri, out);
}
