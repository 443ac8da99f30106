#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

int
spool_needed(const char *path, struct ndjson_reader *r)
{
	struct stat st;

	return path == NULL || strcmp(path, "-") == 0 ||
	    fstat(ndjson_fd(r), &st) == -1 || !S_ISREG(st.st_mode);
}

int
spool_open(struct spool *s)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	s->f = NULL;
	s->written = 0;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/dataops.XXXXXX", dir) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(path)) == -1)
		return -1;
	unlink(path);
	if ((s->f = fdopen(fd, "w+")) == NULL) {
		close(fd);
		return -1;
	}
	return 0;
}

void
spool_line(struct spool *s, uint64_t lineno, const char *line, size_t len)
{
	for (; s->written + 1 < lineno; s->written++)
		putc('\n', s->f);
	fwrite(line, 1, len, s->f);
	putc('\n', s->f);
	s->written++;
}

int
spool_close(struct spool *s)
{
	int fd = -1, saved;

	if (fflush(s->f) == EOF || ferror(s->f) ||
	    (fd = dup(fileno(s->f))) == -1 || lseek(fd, 0, SEEK_SET) == -1) {
		saved = errno ? errno : EIO;
		if (fd != -1)
			close(fd);
		fclose(s->f);
		s->f = NULL;
		errno = saved;
		return -1;
	}
	fclose(s->f);
	s->f = NULL;
	return fd;
}
