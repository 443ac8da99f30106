/*
 * Unit tests for lib/uri.h: connection strings without their password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "uri.h"

/* uri_redact(uri) is want. */
static void
redacts(const char *uri, const char *want)
{
	char *got = uri_redact(uri);

	if (!ok(got != NULL && strcmp(got, want) == 0, "uri_redact(\"%s\")",
	    uri))
		diag("  got \"%s\", expected \"%s\"", got ? got : "(null)",
		    want);
	free(got);
}

static void
test_uri(void)
{
	redacts("postgresql://u@h:5432/db", "postgresql://u@h:5432/db");
	redacts("postgresql://u:secret@h:5432/db", "postgresql://u@h:5432/db");
	redacts("postgres://u:secret@h1,h2/db?sslmode=require",
	    "postgres://u@h1,h2/db?sslmode=require");
	redacts("postgresql://h/db?password=secret", "postgresql://h/db");
	redacts("postgresql://h/db?password=secret&connect_timeout=5",
	    "postgresql://h/db?connect_timeout=5");
	redacts("postgresql://h/db?connect_timeout=5&password=secret",
	    "postgresql://h/db?connect_timeout=5");
	redacts("postgresql://h/db?a=1&password=secret&b=2",
	    "postgresql://h/db?a=1&b=2");
	redacts("postgresql://h/db?passwordx=1", "postgresql://h/db?passwordx=1");
	redacts("postgresql://h/db?password", "postgresql://h/db");
	redacts("postgresql://h/x@y:z", "postgresql://h/x@y:z");
	redacts("mongodb+srv://ana:pw@cluster0.x.net/?retryWrites=true",
	    "mongodb+srv://ana@cluster0.x.net/?retryWrites=true");
	redacts("mongodb://127.0.0.1:27017", "mongodb://127.0.0.1:27017");
}

static void
test_conninfo(void)
{
	redacts("host=h port=1 dbname=x user=u password=secret",
	    "host=h port=1 dbname=x user=u");
	redacts("password=secret host=h", "host=h");
	redacts("host=h password = secret dbname=x", "host=h dbname=x");
	redacts("host=h password= secret", "host=h");
	redacts("host=h password ='se cret' dbname=x", "host=h dbname=x");
	redacts("host=h password='it\\'s x' dbname=x", "host=h dbname=x");
	redacts("host=h password=a\\ b dbname=x", "host=h dbname=x");
	redacts("  host=h   application_name='a b'  ",
	    "host=h application_name='a b'");
	redacts("host=h passfile=/p dbname='password=no'",
	    "host=h passfile=/p dbname='password=no'");
	redacts("dbname=x", "dbname=x");
	redacts("", "");
}

int
main(void)
{
	test_uri();
	test_conninfo();
	return tap_done();
}
