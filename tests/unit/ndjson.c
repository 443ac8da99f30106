/*
 * Unit tests for lib/ndjson.h: the line reader (BOM, CRLF, blank lines,
 * line numbers, long lines, ranges, padding) and the buffered writer.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ndjson.h"
#include "tap.h"

#define MB	(1024 * 1024)
/* A string literal as pointer and length, NULs inside included. */
#define LIT(s)	(s), (sizeof(s) - 1)

struct line {
	char		*s;
	size_t		 n;
	uint64_t	 lineno;
};

struct lines {
	struct line	*v;
	size_t		 n, cap;
	int		 status;	/* last ndjson_next: 0 or -1 */
	int		 terminated;	/* every line had a NUL at s[n] */
};

static char tmpdir[] = "/tmp/ndjson-test.XXXXXX";
static int tmpseq;

static void
die(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A new file in the test directory holding s[0..n); returns its path. */
static char *
write_file(const char *s, size_t n)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/f%d", tmpdir, tmpseq++) == -1)
		die("asprintf");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		die(path);
	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k == -1)
			die("write");
		s += k;
		n -= (size_t)k;
	}
	close(fd);
	return path;
}

static void
lines_free(struct lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->v[i].s);
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

/* Read every line of r, copying each; also touch the padding after it. */
static void
read_all(struct ndjson_reader *r, struct lines *ls)
{
	char *line;
	size_t len, i;
	volatile unsigned char sink = 0;
	int rc;

	memset(ls, 0, sizeof(*ls));
	ls->terminated = 1;
	while ((rc = ndjson_next(r, &line, &len)) == 1) {
		if (ls->n == ls->cap) {
			ls->cap = ls->cap ? ls->cap * 2 : 64;
			ls->v = realloc(ls->v, ls->cap * sizeof(*ls->v));
			if (ls->v == NULL)
				die("realloc");
		}
		if (line[len] != '\0')
			ls->terminated = 0;
		for (i = 1; i <= NDJSON_PADDING; i++)
			sink ^= (unsigned char)line[len + i];
		if ((ls->v[ls->n].s = malloc(len + 1)) == NULL)
			die("malloc");
		memcpy(ls->v[ls->n].s, line, len);
		ls->v[ls->n].s[len] = '\0';
		ls->v[ls->n].n = len;
		ls->v[ls->n].lineno = ndjson_lineno(r);
		ls->n++;
	}
	ls->status = rc;
	(void)sink;
}

/* Read the file holding s[0..n) through ndjson_open. */
static void
read_text(const char *s, size_t n, struct lines *ls)
{
	char *path = write_file(s, n);
	struct ndjson_reader *r;

	if ((r = ndjson_open(path)) == NULL)
		die("ndjson_open");
	read_all(r, ls);
	ndjson_close(r);
	free(path);
}

/*
 * Check ls against want, a list of lines (with their 1-based line
 * numbers in wantno) terminated by NULL.
 */
static void
expect_lines(const char *what, const struct lines *ls, const char **want,
    const uint64_t *wantno)
{
	size_t i, nwant = 0;

	while (want[nwant] != NULL)
		nwant++;
	if (!is_int(ls->n, nwant, "%s: %zu lines", what, nwant))
		for (i = 0; i < ls->n; i++)
			tap_quote("  line", ls->v[i].s, ls->v[i].n);
	for (i = 0; i < ls->n && i < nwant; i++) {
		is_mem(ls->v[i].s, ls->v[i].n, want[i], strlen(want[i]),
		    "%s: line %zu text", what, i + 1);
		is_int(ls->v[i].lineno, wantno[i], "%s: line %zu number", what,
		    i + 1);
	}
	is_int(ls->status, 0, "%s: then end of input", what);
}

static void
test_basic(void)
{
	struct lines ls;
	const char *want[] = { "{\"a\":1}", "[2]", NULL };
	const uint64_t no[] = { 1, 2 };

	read_text(LIT("{\"a\":1}\n[2]\n"), &ls);
	expect_lines("two lines", &ls, want, no);
	ok(ls.terminated, "two lines: each line is NUL-terminated in place");
	lines_free(&ls);
}

static void
test_empty(void)
{
	struct lines ls;
	const char *none[] = { NULL };
	const uint64_t no[] = { 0 };

	read_text(LIT(""), &ls);
	expect_lines("empty file", &ls, none, no);
	lines_free(&ls);
	read_text(LIT("\n\n\r\n\n"), &ls);
	expect_lines("only blank lines", &ls, none, no);
	lines_free(&ls);
	read_text(LIT("\xef\xbb\xbf"), &ls);
	expect_lines("only a BOM", &ls, none, no);
	lines_free(&ls);
}

static void
test_eof_twice(void)
{
	char *path = write_file(LIT("x\n")), *line;
	struct ndjson_reader *r;
	size_t len;

	if ((r = ndjson_open(path)) == NULL)
		die("ndjson_open");
	ok(ndjson_next(r, &line, &len) == 1, "eof: first call gives the line");
	is_int(ndjson_next(r, &line, &len), 0, "eof: second call gives 0");
	is_int(ndjson_next(r, &line, &len), 0, "eof: third call still 0");
	ndjson_close(r);
	free(path);
}

static void
test_crlf(void)
{
	struct lines ls;
	const char *want1[] = { "{\"a\":1}", "{\"b\":2}", "c", NULL };
	const uint64_t no1[] = { 1, 2, 3 };
	const char *want2[] = { "a\rb", "\r", NULL };
	const uint64_t no2[] = { 1, 2 };
	const char *want3[] = { "x", "y", NULL };
	const uint64_t no3[] = { 1, 3 };

	read_text(LIT("{\"a\":1}\r\n{\"b\":2}\r\nc\r\n"), &ls);
	expect_lines("CRLF line ends", &ls, want1, no1);
	lines_free(&ls);
	read_text(LIT("a\rb\r\n\r\r\n"), &ls);
	expect_lines("CR not before LF kept, one CR dropped", &ls, want2,
	    no2);
	lines_free(&ls);
	read_text(LIT("x\n\r\ny\r\n"), &ls);
	expect_lines("CRLF-only line is blank", &ls, want3, no3);
	lines_free(&ls);
}

static void
test_bom(void)
{
	struct lines ls;
	const char *want1[] = { "{}", "\xef\xbb\xbf[]", NULL };
	const uint64_t no1[] = { 1, 2 };
	const char *want2[] = { "{}", NULL };
	const uint64_t no2[] = { 2 };
	const char *want3[] = { "{}", NULL };
	const uint64_t no3[] = { 1 };
	const char *want4[] = { "\xef\xbb\xbf{}", NULL };
	const uint64_t no4[] = { 2 };

	read_text(LIT("\xef\xbb\xbf{}\n\xef\xbb\xbf[]\n"), &ls);
	expect_lines("BOM dropped at file start only", &ls, want1, no1);
	lines_free(&ls);
	read_text(LIT("\xef\xbb\xbf\n{}\n"), &ls);
	expect_lines("BOM alone on the first line", &ls, want2, no2);
	lines_free(&ls);
	read_text(LIT("\xef\xbb\xbf{}\r\n"), &ls);
	expect_lines("BOM and CRLF", &ls, want3, no3);
	lines_free(&ls);
	read_text(LIT("\n\xef\xbb\xbf{}\n"), &ls);
	expect_lines("BOM after a blank first line is kept", &ls, want4, no4);
	lines_free(&ls);
}

static void
test_no_final_newline(void)
{
	struct lines ls;
	const char *want1[] = { "a", "{\"b\":2}", NULL };
	const uint64_t no1[] = { 1, 2 };
	const char *want2[] = { "{}", NULL };
	const uint64_t no2[] = { 1 };
	const char *want3[] = { "{}", NULL };
	const uint64_t no3[] = { 3 };

	read_text(LIT("a\n{\"b\":2}"), &ls);
	expect_lines("no final newline", &ls, want1, no1);
	ok(ls.terminated, "no final newline: last line NUL-terminated");
	lines_free(&ls);
	read_text(LIT("{}"), &ls);
	expect_lines("one line, no newline", &ls, want2, no2);
	lines_free(&ls);
	read_text(LIT("\n\n{}"), &ls);
	expect_lines("blank lines then a line without newline", &ls, want3,
	    no3);
	lines_free(&ls);
}

static void
test_blank(void)
{
	struct lines ls;
	const char *want[] = { "{}", "  ", "\t", "[]", NULL };
	const uint64_t no[] = { 3, 5, 6, 8 };

	/* blank = empty once the CR is gone; spaces are content */
	read_text(LIT("\n\n{}\n\r\n  \n\t\n\n[]\n\n"), &ls);
	expect_lines("blank lines skipped but counted", &ls, want, no);
	lines_free(&ls);
}

static void
test_nul(void)
{
	struct lines ls;
	static const char text[] = "{\"a\":\"x\0y\"}\n\0\n{}\n";

	read_text(text, sizeof(text) - 1, &ls);
	is_int(ls.n, 3, "NUL: three lines");
	if (ls.n == 3) {
		is_mem(ls.v[0].s, ls.v[0].n, "{\"a\":\"x\0y\"}", 11,
		    "NUL: line with a NUL inside has its full length");
		is_mem(ls.v[1].s, ls.v[1].n, "\0", 1,
		    "NUL: a line holding one NUL is not blank");
		is_mem(ls.v[2].s, ls.v[2].n, "{}", 2,
		    "NUL: line after it intact");
		is_int(ls.v[2].lineno, 3, "NUL: line number after it");
	}
	lines_free(&ls);
}

static void
test_long_line(void)
{
	size_t n = 10 * MB, i;
	char *text = malloc(n + 16);
	int same = 1;
	struct lines ls;

	if (text == NULL)
		die("malloc");
	text[0] = '"';
	for (i = 1; i < n - 1; i++)
		text[i] = (char)('a' + i % 26);
	text[n - 1] = '"';
	memcpy(text + n, "\r\n{}\n", 5);
	read_text(text, n + 5, &ls);
	is_int(ls.n, 2, "10 MB line: two lines");
	if (ls.n == 2) {
		is_int(ls.v[0].n, n, "10 MB line: full length");
		if (ls.v[0].n == n)
			same = memcmp(ls.v[0].s, text, n) == 0;
		ok(same, "10 MB line: every byte intact");
		is_mem(ls.v[1].s, ls.v[1].n, "{}", 2, "10 MB line: next line");
		is_int(ls.v[1].lineno, 2, "10 MB line: next line number");
	}
	ok(ls.terminated, "10 MB line: NUL-terminated");
	lines_free(&ls);
	free(text);
}

/*
 * A file of many lines of varied lengths, some blank, some CRLF, that
 * crosses many read blocks.  want[i] is the text of line i+1, or NULL
 * when that line is blank.
 */
struct corpus {
	char	*text;
	size_t	 n;
	char	**want;
	size_t	 nlines;
};

static void
corpus_make(struct corpus *c, size_t nlines)
{
	size_t i, cap = nlines * 400, k;

	c->text = malloc(cap);
	c->want = calloc(nlines, sizeof(*c->want));
	if (c->text == NULL || c->want == NULL)
		die("malloc");
	c->n = 0;
	c->nlines = nlines;
	for (i = 0; i < nlines; i++) {
		size_t len = (i * 7919) % 300;
		char *s;

		if (i % 11 == 5) {
			c->text[c->n++] = '\n';
			continue;
		}
		if ((s = malloc(len + 32)) == NULL)
			die("malloc");
		k = (size_t)sprintf(s, "{\"n\":%zu,\"p\":\"", i + 1);
		while (k < len + 14) {
			s[k] = (char)('A' + (i + k) % 26);
			k++;
		}
		s[k++] = '"';
		s[k++] = '}';
		s[k] = '\0';
		memcpy(c->text + c->n, s, k);
		c->n += k;
		if (i % 3 == 0)
			c->text[c->n++] = '\r';
		c->text[c->n++] = '\n';
		c->want[i] = s;
	}
}

static void
corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++)
		free(c->want[i]);
	free(c->want);
	free(c->text);
}

/* Compare lines read from [first line, ...) of the corpus; 1 if all match. */
static int
corpus_check(const struct corpus *c, const struct lines *ls, size_t first,
    size_t last, uint64_t base)
{
	size_t i, j = 0;

	for (i = first; i < last; i++) {
		if (c->want[i] == NULL)
			continue;
		if (j >= ls->n) {
			diag("  line %zu missing", i + 1);
			return 0;
		}
		if (ls->v[j].n != strlen(c->want[i]) ||
		    memcmp(ls->v[j].s, c->want[i], ls->v[j].n) != 0) {
			diag("  line %zu differs", i + 1);
			tap_quote("     got", ls->v[j].s, ls->v[j].n);
			tap_quote("expected", c->want[i], strlen(c->want[i]));
			return 0;
		}
		if (ls->v[j].lineno != i + 1 - base) {
			diag("  line %zu numbered %ju", i + 1,
			    (uintmax_t)ls->v[j].lineno);
			return 0;
		}
		j++;
	}
	if (j != ls->n) {
		diag("  %zu lines more than expected", ls->n - j);
		return 0;
	}
	return 1;
}

static void
test_many_lines(void)
{
	struct corpus c;
	struct lines ls;

	corpus_make(&c, 200000);
	read_text(c.text, c.n, &ls);
	ok(ls.status == 0 && corpus_check(&c, &ls, 0, c.nlines, 0),
	    "200000 lines across blocks: text and line numbers");
	ok(ls.terminated, "200000 lines: each NUL-terminated");
	lines_free(&ls);
	corpus_free(&c);
}

static void
test_range(void)
{
	struct corpus c;
	struct lines a, b;
	struct ndjson_reader *r;
	char *path, *mid;
	size_t split, firstb;
	int fd;

	corpus_make(&c, 100000);
	path = write_file(c.text, c.n);
	if ((fd = open(path, O_RDONLY)) == -1)
		die(path);
	/* split just after the newline nearest the middle */
	mid = memchr(c.text + c.n / 2, '\n', c.n - c.n / 2);
	split = (size_t)(mid - c.text) + 1;
	firstb = 0;
	for (mid = c.text; mid < c.text + split; mid++)
		if (*mid == '\n')
			firstb++;

	if ((r = ndjson_open_range(fd, "half", 0, (off_t)split)) == NULL)
		die("ndjson_open_range");
	is_str(ndjson_name(r), "half", "range: ndjson_name is the name given");
	is_int(ndjson_fd(r), fd, "range: ndjson_fd is the fd given");
	read_all(r, &a);
	ndjson_close(r);
	if ((r = ndjson_open_range(fd, "half", (off_t)split,
	    (off_t)c.n)) == NULL)
		die("ndjson_open_range");
	read_all(r, &b);
	ndjson_close(r);

	ok(a.status == 0 && corpus_check(&c, &a, 0, firstb, 0),
	    "range: first half has its lines, numbered from 1");
	ok(b.status == 0 && corpus_check(&c, &b, firstb, c.nlines, firstb),
	    "range: second half has the rest, numbered from its start");
	ok(a.n + b.n > 0 && a.terminated && b.terminated,
	    "range: lines NUL-terminated");
	ok(fcntl(fd, F_GETFD) != -1, "range: ndjson_close leaves fd open");
	lines_free(&a);
	lines_free(&b);
	close(fd);
	free(path);
	corpus_free(&c);
}

static void
test_range_edges(void)
{
	static const char text[] = "\xef\xbb\xbf{}\n\xef\xbb\xbf[]\n1";
	char *path = write_file(text, sizeof(text) - 1);
	struct ndjson_reader *r;
	struct lines ls;
	const char *want1[] = { "{}", NULL };
	const char *want2[] = { "\xef\xbb\xbf[]", "1", NULL };
	const char *none[] = { NULL };
	const uint64_t no[] = { 1, 2 };
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		die(path);
	r = ndjson_open_range(fd, "x", 0, 6);
	read_all(r, &ls);
	ndjson_close(r);
	expect_lines("range at 0: BOM dropped", &ls, want1, no);
	lines_free(&ls);
	r = ndjson_open_range(fd, "x", 6, (off_t)sizeof(text) - 1);
	read_all(r, &ls);
	ndjson_close(r);
	expect_lines("range after 0: BOM kept, last line without newline",
	    &ls, want2, no);
	lines_free(&ls);
	r = ndjson_open_range(fd, "x", 6, 6);
	read_all(r, &ls);
	ndjson_close(r);
	expect_lines("empty range", &ls, none, no);
	lines_free(&ls);
	close(fd);
	free(path);
}

/* Lines from a pipe fed a few bytes at a time by a child process. */
static void
test_pipe(void)
{
	struct corpus c;
	struct lines ls;
	struct ndjson_reader *r;
	char name[32];
	int p[2], status;
	pid_t pid;

	corpus_make(&c, 5000);
	if (pipe(p) == -1)
		die("pipe");
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		size_t off = 0;

		close(p[0]);
		while (off < c.n) {
			size_t k = c.n - off < 7 ? c.n - off : 7;

			if (write(p[1], c.text + off, k) != (ssize_t)k)
				_exit(1);
			off += k;
		}
		_exit(0);
	}
	close(p[1]);
	snprintf(name, sizeof(name), "/dev/fd/%d", p[0]);
	if ((r = ndjson_open(name)) == NULL)
		die("ndjson_open pipe");
	read_all(r, &ls);
	ndjson_close(r);
	close(p[0]);
	waitpid(pid, &status, 0);
	ok(ls.status == 0 && corpus_check(&c, &ls, 0, c.nlines, 0),
	    "pipe written 7 bytes at a time: all lines");
	lines_free(&ls);
	corpus_free(&c);
}

static void
test_stdin(void)
{
	char *path = write_file(LIT("\n{\"x\":1}\n")), *line;
	struct ndjson_reader *r;
	size_t len;
	int fd, saved;

	if ((saved = dup(STDIN_FILENO)) == -1)
		die("dup");
	if ((fd = open(path, O_RDONLY)) == -1 || dup2(fd, STDIN_FILENO) == -1)
		die("dup2");
	close(fd);
	r = ndjson_open("-");
	ok(r != NULL, "stdin: ndjson_open(\"-\")");
	if (r != NULL) {
		is_int(ndjson_fd(r), STDIN_FILENO, "stdin: fd 0");
		is_str(ndjson_name(r), "<stdin>", "stdin: named <stdin>");
		ok(ndjson_next(r, &line, &len) == 1 && len == 7 &&
		    ndjson_lineno(r) == 2, "stdin: reads line 2");
		ndjson_close(r);
		ok(fcntl(STDIN_FILENO, F_GETFD) != -1,
		    "stdin: ndjson_close leaves fd 0 open");
	}
	r = ndjson_open(NULL);
	ok(r != NULL && ndjson_fd(r) == STDIN_FILENO,
	    "stdin: ndjson_open(NULL) reads fd 0");
	ndjson_close(r);
	dup2(saved, STDIN_FILENO);
	close(saved);
	free(path);
}

static void
test_fdopen(void)
{
	char *path = write_file(LIT("\xef\xbb\xbf{}\r\n\n[1]")), *line;
	struct ndjson_reader *r;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		die(path);
	r = ndjson_fdopen(fd, "named.ndjson");
	ok(r != NULL, "ndjson_fdopen");
	if (r == NULL)
		return;
	is_str(ndjson_name(r), "named.ndjson", "fdopen: the name given");
	is_int(ndjson_fd(r), fd, "fdopen: the fd given");
	ok(ndjson_next(r, &line, &len) == 1 && len == 2 &&
	    memcmp(line, "{}", 2) == 0 && ndjson_lineno(r) == 1,
	    "fdopen: BOM and CR dropped from line 1");
	ok(ndjson_next(r, &line, &len) == 1 && len == 3 &&
	    memcmp(line, "[1]", 3) == 0 && ndjson_lineno(r) == 3,
	    "fdopen: line 3 without a newline");
	is_int(ndjson_next(r, &line, &len), 0, "fdopen: then end of input");
	ndjson_close(r);
	ok(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
	    "fdopen: ndjson_close closes the fd");
	free(path);
}

static void
test_open_errors(void)
{
	struct ndjson_reader *r;
	char *path, *line;
	size_t len;

	errno = 0;
	r = ndjson_open("/nonexistent/dir/file.ndjson");
	ok(r == NULL && errno == ENOENT, "ndjson_open of a missing file: "
	    "NULL, ENOENT");
	if (asprintf(&path, "%s/dir", tmpdir) == -1 || mkdir(path, 0700) == -1)
		die("mkdir");
	r = ndjson_open(path);
	if (r == NULL) {
		ok(errno == EISDIR, "directory: refused at open with EISDIR");
	} else {
		errno = 0;
		ok(ndjson_next(r, &line, &len) == -1 && errno == EISDIR,
		    "directory: ndjson_next gives -1, EISDIR");
		ndjson_close(r);
	}
	rmdir(path);
	free(path);
	ndjson_close(NULL);
	ok(1, "ndjson_close(NULL) is harmless");
}

/* The bytes written to a temporary file by fn through a writer. */
static char *
written(void (*fn)(struct ndjson_writer *), size_t *n, int *rc)
{
	char *path = write_file("", 0), *buf;
	struct ndjson_writer *w;
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDWR)) == -1)
		die(path);
	if ((w = ndjson_writer_new(fd)) == NULL)
		die("ndjson_writer_new");
	fn(w);
	*rc = ndjson_writer_free(w);
	if (fstat(fd, &st) == -1 || (buf = malloc((size_t)st.st_size + 1))
	    == NULL)
		die("fstat");
	*n = (size_t)pread(fd, buf, (size_t)st.st_size, 0);
	buf[*n] = '\0';
	close(fd);
	unlink(path);
	free(path);
	return buf;
}

static const char *str_in;
static size_t str_n;

static void
put_one_string(struct ndjson_writer *w)
{
	ndjson_put_string(w, str_in, str_n);
}

/* ndjson_put_string(s[0..n)) writes exactly want. */
static void
escapes(const char *what, const char *s, size_t n, const char *want)
{
	char *got;
	size_t len;
	int rc;

	str_in = s;
	str_n = n;
	got = written(put_one_string, &len, &rc);
	is_mem(got, len, want, strlen(want), "put_string: %s", what);
	free(got);
}

/* ndjson_put_string of one control character gives one of two forms. */
static void
escapes_either(const char *what, const char *s, const char *want1,
    const char *want2)
{
	char *got;
	size_t len;
	int rc;

	str_in = s;
	str_n = strlen(s);
	got = written(put_one_string, &len, &rc);
	if (!ok((len == strlen(want1) && memcmp(got, want1, len) == 0) ||
	    (len == strlen(want2) && memcmp(got, want2, len) == 0),
	    "put_string: %s as %s or %s", what, want1, want2))
		tap_quote("got", got, len);
	free(got);
}

static void
test_put_string(void)
{
	escapes("empty", "", 0, "\"\"");
	escapes("plain ASCII", "Fortaleza", 9, "\"Fortaleza\"");
	escapes("quote", "a\"b", 3, "\"a\\\"b\"");
	escapes("backslash", "a\\b", 3, "\"a\\\\b\"");
	escapes("newline and tab", "a\nb\tc", 5, "\"a\\nb\\tc\"");
	escapes("control chars as \\u00XX", "\x01\x1f", 2,
	    "\"\\u0001\\u001f\"");
	escapes("NUL inside", "a\0b", 3, "\"a\\u0000b\"");
	escapes("slash not escaped", "a/b", 3, "\"a/b\"");
	escapes("UTF-8 passthrough", "São Paulo, Ceará, À vista, Consórcio",
	    strlen("São Paulo, Ceará, À vista, Consórcio"),
	    "\"São Paulo, Ceará, À vista, Consórcio\"");
	escapes("4-byte UTF-8 passthrough", "\xf0\x9f\x8f\x8d",
	    4, "\"\xf0\x9f\x8f\x8d\"");
	escapes_either("CR", "\r", "\"\\r\"", "\"\\u000d\"");
	escapes_either("backspace", "\b", "\"\\b\"", "\"\\u0008\"");
	escapes_either("form feed", "\f", "\"\\f\"", "\"\\u000c\"");
}

static char *big_string;
#define BIG	(200 * 1024)

static void
put_big(struct ndjson_writer *w)
{
	ndjson_puts(w, "[");
	ndjson_put_string(w, big_string, BIG);
	ndjson_putc(w, ',');
	ndjson_put(w, big_string, BIG);
	ndjson_putc(w, ']');
}

static void
test_put_big(void)
{
	char *got, *want, *p;
	size_t len, i;
	int rc;

	big_string = malloc(BIG);
	want = malloc(2 * BIG + 16);
	if (big_string == NULL || want == NULL)
		die("malloc");
	for (i = 0; i < BIG; i++)
		big_string[i] = (char)('a' + i % 26);
	big_string[BIG / 2] = '"';
	big_string[BIG / 3] = '\n';
	p = want;
	*p++ = '[';
	*p++ = '"';
	for (i = 0; i < BIG; i++) {
		if (big_string[i] == '"') {
			*p++ = '\\';
			*p++ = '"';
		} else if (big_string[i] == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else
			*p++ = big_string[i];
	}
	*p++ = '"';
	*p++ = ',';
	memcpy(p, big_string, BIG);
	p += BIG;
	*p++ = ']';
	got = written(put_big, &len, &rc);
	is_int(rc, 0, "writer: 400 KB written, free returns 0");
	is_mem(got, len, want, (size_t)(p - want),
	    "writer: 400 KB in order across buffer flushes");
	free(got);
	free(want);
	free(big_string);
}

static void
put_numbers(struct ndjson_writer *w)
{
	ndjson_put_int(w, 0);
	ndjson_putc(w, ' ');
	ndjson_put_int(w, INT64_MIN);
	ndjson_putc(w, ' ');
	ndjson_put_int(w, INT64_MAX);
	ndjson_putc(w, ' ');
	ndjson_put_cents(w, 0);
	ndjson_putc(w, ' ');
	ndjson_put_cents(w, -50);
	ndjson_putc(w, ' ');
	ndjson_put_cents(w, 456800);
	ndjson_putc(w, ' ');
	ndjson_put_cents(w, INT64_MAX);
	ndjson_putc(w, '\n');
}

static void
test_put_numbers(void)
{
	static const char want[] = "0 -9223372036854775808 "
	    "9223372036854775807 0.00 -0.50 4568.00 92233720368547758.07\n";
	char *got;
	size_t len;
	int rc;

	got = written(put_numbers, &len, &rc);
	is_mem(got, len, want, sizeof(want) - 1,
	    "writer: put_int and put_cents");
	free(got);
}

static void
test_dev_full(void)
{
	struct ndjson_writer *w;
	int fd, rc;

	if ((fd = open("/dev/full", O_WRONLY)) == -1) {
		ok(0, "open /dev/full: %s", strerror(errno));
		return;
	}
	if ((w = ndjson_writer_new(fd)) == NULL)
		die("ndjson_writer_new");
	ndjson_puts(w, "{\"a\":1}\n");
	errno = 0;
	rc = ndjson_writer_flush(w);
	ok(rc == -1 && errno == ENOSPC, "/dev/full: flush gives -1, ENOSPC");
	ndjson_puts(w, "more\n");
	errno = 0;
	rc = ndjson_writer_flush(w);
	ok(rc == -1 && errno == ENOSPC, "/dev/full: the error is kept");
	errno = 0;
	rc = ndjson_writer_free(w);
	ok(rc == -1 && errno == ENOSPC, "/dev/full: free gives -1, ENOSPC");
	close(fd);

	/* an error in a large put, past the buffer, is kept too */
	if ((fd = open("/dev/full", O_WRONLY)) == -1 ||
	    (w = ndjson_writer_new(fd)) == NULL)
		die("/dev/full");
	big_string = calloc(1, BIG);
	ndjson_put(w, big_string, BIG);
	errno = 0;
	rc = ndjson_writer_free(w);
	ok(rc == -1 && errno == ENOSPC,
	    "/dev/full: large put, free gives -1, ENOSPC");
	free(big_string);
	close(fd);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		die("mkdtemp");
	test_basic();
	test_empty();
	test_eof_twice();
	test_crlf();
	test_bom();
	test_no_final_newline();
	test_blank();
	test_nul();
	test_long_line();
	test_many_lines();
	test_range();
	test_range_edges();
	test_pipe();
	test_stdin();
	test_fdopen();
	test_open_errors();
	test_put_string();
	test_put_big();
	test_put_numbers();
	test_dev_full();
	{
		char *cmd;

		if (asprintf(&cmd, "rm -rf '%s'", tmpdir) != -1) {
			if (system(cmd) != 0)
				diag("could not remove %s", tmpdir);
			free(cmd);
		}
	}
	return tap_done();
}
