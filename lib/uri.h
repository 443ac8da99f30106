/*
 * Connection strings as messages may show them.
 */
#ifndef DATAOPS_URI_H
#define DATAOPS_URI_H

/*
 * A copy of a URI ("scheme://user:password@host/...?password=...") or of a
 * libpq "key=value" string with the password removed.  NULL when out of
 * memory.
 */
char *uri_redact(const char *uri);

#endif
