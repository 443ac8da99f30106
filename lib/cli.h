/*
 * What every program's option parsing needs.  These print and exit: they
 * are called from main, before any work starts.
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

#endif
