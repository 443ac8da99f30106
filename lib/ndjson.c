#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "money.h"
#include "ndjson.h"

#define BLOCK	(256 * 1024)
#define WBUF	(64 * 1024)

struct ndjson_reader {
	int	 fd;
	int	 owned;		/* close fd at ndjson_close */
	int	 eof;
	int	 atstart;	/* nothing handed out yet: a BOM may follow */
	const char *name;
	off_t	 pos, end;	/* for ranges: next offset to read, limit */
	int	 ranged;
	char	*buf;
	size_t	 cap;		/* usable bytes; NDJSON_PADDING more are allocated */
	size_t	 head, tail;	/* unread bytes are buf[head..tail) */
	uint64_t lineno;
};

static struct ndjson_reader *
reader_new(int fd, const char *name)
{
	struct ndjson_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->cap = BLOCK;
	if ((r->buf = malloc(r->cap + NDJSON_PADDING + 1)) == NULL) {
		free(r);
		return NULL;
	}
	r->fd = fd;
	r->name = name;
	r->atstart = 1;
	return r;
}

struct ndjson_reader *
ndjson_open(const char *path)
{
	struct ndjson_reader *r;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return reader_new(STDIN_FILENO, "<stdin>");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if ((r = reader_new(fd, path)) == NULL) {
		close(fd);
		return NULL;
	}
	r->owned = 1;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return r;
}

struct ndjson_reader *
ndjson_fdopen(int fd, const char *name)
{
	struct ndjson_reader *r;

	if ((r = reader_new(fd, name)) != NULL)
		r->owned = 1;
	return r;
}

struct ndjson_reader *
ndjson_open_range(int fd, const char *name, off_t start, off_t end)
{
	struct ndjson_reader *r;

	if ((r = reader_new(fd, name)) == NULL)
		return NULL;
	r->ranged = 1;
	r->pos = start;
	r->end = end;
	r->atstart = start == 0;
	return r;
}

/* Read more input after buf[tail], moving or growing the buffer as needed. */
static int
fill(struct ndjson_reader *r)
{
	ssize_t n;
	size_t want;

	if (r->head > 0) {
		memmove(r->buf, r->buf + r->head, r->tail - r->head);
		r->tail -= r->head;
		r->head = 0;
	}
	if (r->tail == r->cap) {
		size_t ncap = r->cap * 2;
		char *nbuf;

		if ((nbuf = realloc(r->buf, ncap + NDJSON_PADDING + 1)) == NULL)
			return -1;
		r->buf = nbuf;
		r->cap = ncap;
	}
	want = r->cap - r->tail;
	if (r->ranged) {
		if (r->pos >= r->end) {
			r->eof = 1;
			return 0;
		}
		if ((off_t)want > r->end - r->pos)
			want = (size_t)(r->end - r->pos);
		do
			n = pread(r->fd, r->buf + r->tail, want, r->pos);
		while (n == -1 && errno == EINTR);
		if (n > 0)
			r->pos += n;
	} else {
		do
			n = read(r->fd, r->buf + r->tail, want);
		while (n == -1 && errno == EINTR);
	}
	if (n == -1)
		return -1;
	if (n == 0)
		r->eof = 1;
	r->tail += (size_t)n;
	return 0;
}

int
ndjson_next(struct ndjson_reader *r, char **line, size_t *len)
{
	size_t scanned = 0;

	for (;;) {
		char *start = r->buf + r->head;
		size_t avail = r->tail - r->head;
		char *nl = memchr(start + scanned, '\n', avail - scanned);
		size_t n;

		if (nl == NULL && !r->eof) {
			scanned = avail;
			if (fill(r) == -1)
				return -1;
			continue;
		}
		if (nl == NULL && avail == 0)
			return 0;
		n = nl != NULL ? (size_t)(nl - start) : avail;
		r->head += n + (nl != NULL);
		r->lineno++;
		scanned = 0;
		if (r->atstart) {
			r->atstart = 0;
			if (n >= 3 && memcmp(start, "\xef\xbb\xbf", 3) == 0) {
				start += 3;
				n -= 3;
			}
		}
		if (n > 0 && start[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		/*
		 * The buffer always has NDJSON_PADDING + 1 bytes past cap,
		 * so the terminator and the padding are inside it.
		 */
		start[n] = '\0';
		*line = start;
		*len = n;
		return 1;
	}
}

const char *
ndjson_name(const struct ndjson_reader *r)
{
	return r->name;
}

uint64_t
ndjson_lineno(const struct ndjson_reader *r)
{
	return r->lineno;
}

int
ndjson_fd(const struct ndjson_reader *r)
{
	return r->fd;
}

void
ndjson_close(struct ndjson_reader *r)
{
	if (r == NULL)
		return;
	if (r->owned)
		close(r->fd);
	free(r->buf);
	free(r);
}

struct ndjson_writer {
	int	 fd;
	int	 err;		/* errno of the first failed write, or 0 */
	size_t	 n;
	char	 buf[WBUF];
};

struct ndjson_writer *
ndjson_writer_new(int fd)
{
	struct ndjson_writer *w;

	if ((w = malloc(sizeof(*w))) == NULL)
		return NULL;
	w->fd = fd;
	w->err = 0;
	w->n = 0;
	return w;
}

static void
drain(struct ndjson_writer *w, const char *p, size_t n)
{
	while (n > 0 && w->err == 0) {
		ssize_t k = write(w->fd, p, n);

		if (k == -1) {
			if (errno != EINTR)
				w->err = errno;
			continue;
		}
		p += k;
		n -= (size_t)k;
	}
}

int
ndjson_writer_flush(struct ndjson_writer *w)
{
	drain(w, w->buf, w->n);
	w->n = 0;
	if (w->err != 0) {
		errno = w->err;
		return -1;
	}
	return 0;
}

void
ndjson_put(struct ndjson_writer *w, const void *s, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		ndjson_writer_flush(w);
		if (n >= sizeof(w->buf)) {
			drain(w, s, n);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

void
ndjson_puts(struct ndjson_writer *w, const char *s)
{
	ndjson_put(w, s, strlen(s));
}

void
ndjson_putc(struct ndjson_writer *w, char c)
{
	if (w->n == sizeof(w->buf))
		ndjson_writer_flush(w);
	w->buf[w->n++] = c;
}

void
ndjson_put_string(struct ndjson_writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	ndjson_putc(w, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		ndjson_put(w, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			ndjson_put(w, esc, 6);
			continue;
		}
		ndjson_put(w, esc, 2);
	}
	ndjson_put(w, s + run, n - run);
	ndjson_putc(w, '"');
}

void
ndjson_put_int(struct ndjson_writer *w, int64_t v)
{
	char buf[24];

	ndjson_put(w, buf, money_format_int(v, buf));
}

void
ndjson_put_cents(struct ndjson_writer *w, int64_t cents)
{
	char buf[MONEY_FMTLEN + 1];

	ndjson_put(w, buf, money_format(cents, buf));
}

int
ndjson_writer_free(struct ndjson_writer *w)
{
	int rc, saved;

	if (w == NULL)
		return 0;
	rc = ndjson_writer_flush(w);
	saved = errno;
	free(w);
	errno = saved;
	return rc;
}
