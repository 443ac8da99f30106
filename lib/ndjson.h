/*
 * NDJSON input and output.
 *
 * The reader hands out one line at a time from large block reads: no
 * allocation per line, lines of any length, a leading UTF-8 BOM and a CR
 * before the LF dropped, blank lines skipped, and the 1-based line number
 * of every line known.  Each line is NUL-terminated in place and followed
 * by at least NDJSON_PADDING readable bytes, as SIMD parsers need.
 *
 * The writer is a plain buffered writer on a file descriptor that keeps
 * the first error, so a full disk is reported once, at flush or close.
 */
#ifndef DATAOPS_NDJSON_H
#define DATAOPS_NDJSON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NDJSON_PADDING 64

struct ndjson_reader;

/*
 * Open path for reading; NULL or "-" is standard input.  Returns NULL with
 * errno set on failure.
 */
struct ndjson_reader *ndjson_open(const char *path);

/* Read the file open as fd, closed by ndjson_close, naming it name. */
struct ndjson_reader *ndjson_fdopen(int fd, const char *name);

/*
 * Read [start, end) of the regular file already open as fd, which is not
 * closed by ndjson_close.  start must be 0 or just after a newline.  Line
 * numbers count from the start of the range.
 */
struct ndjson_reader *ndjson_open_range(int fd, const char *name, off_t start,
    off_t end);

/*
 * The next non-blank line: 1 with *line and *len set (valid until the next
 * call), 0 at end of input, -1 on a read error (errno set).
 */
int ndjson_next(struct ndjson_reader *r, char **line, size_t *len);

/* The name given at open ("<stdin>" for standard input), the current line. */
const char *ndjson_name(const struct ndjson_reader *r);
uint64_t ndjson_lineno(const struct ndjson_reader *r);

/* The file descriptor read from. */
int ndjson_fd(const struct ndjson_reader *r);

/* Release the reader and close its file unless it is stdin or borrowed. */
void ndjson_close(struct ndjson_reader *r);

struct ndjson_writer;

/* A writer on fd with its own buffer.  NULL when out of memory. */
struct ndjson_writer *ndjson_writer_new(int fd);

/* Append bytes; errors are kept and reported by ndjson_writer_flush. */
void ndjson_put(struct ndjson_writer *w, const void *s, size_t n);
void ndjson_puts(struct ndjson_writer *w, const char *s);
void ndjson_putc(struct ndjson_writer *w, char c);

/* Append s[0..n) as a JSON string literal, quotes included. */
void ndjson_put_string(struct ndjson_writer *w, const char *s, size_t n);

/* Append an integer, or cents as a decimal with two places. */
void ndjson_put_int(struct ndjson_writer *w, int64_t v);
void ndjson_put_cents(struct ndjson_writer *w, int64_t cents);

/* Write out what is buffered: 0, or -1 with errno of the first error. */
int ndjson_writer_flush(struct ndjson_writer *w);

/* Flush and free; returns what ndjson_writer_flush returns. */
int ndjson_writer_free(struct ndjson_writer *w);

#ifdef __cplusplus
}
#endif

#endif
