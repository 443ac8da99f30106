/*
 * What every program's command line needs: option parsing, which prints
 * and exits (called from main, before any work starts), and the progress
 * line of -p.
 */
#ifndef DATAOPS_CLI_H
#define DATAOPS_CLI_H

#include <stdint.h>

#define DATAOPS_VERSION "0.1.0"

/*
 * The decimal number arg of option opt (digits only: no sign, no blanks),
 * within [min, max]; anything else is a usage error naming the option
 * (exit 64).
 */
uint64_t cli_number(const char *opt, const char *arg, uint64_t min,
    uint64_t max);

/* Print "PROGRAM (dataops) VERSION", check the write, exit 0 (or 74). */
void cli_version(void) __attribute__((noreturn));

/*
 * Show "PROGRAM: " and the formatted text on the standard error as the
 * progress line, rewriting the one shown before; the line stays open.
 */
void cli_progress(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * End the progress line, if one is open, so that what is printed next
 * has a line of its own.  Called before every message while progress
 * may be shown.
 */
void cli_progress_end(void);

/* The exit status for a failed system call, by errno: 70 for ENOMEM, else 74. */
int cli_errno_status(void);

/*
 * Say that reading (or opening) name failed, with errno's reason, and
 * return the exit status it deserves: 70 when out of memory, else 74.
 */
int cli_read_error(const char *name);

#endif
