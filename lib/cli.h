/*
 * What every program's option parsing needs.  These print and exit: they
 * are called from main, before any work starts.
 */
#ifndef DATAOPS_CLI_H
#define DATAOPS_CLI_H

#define DATAOPS_VERSION "0.1.0"

/*
 * The decimal number arg of option opt, within [min, max]; on anything else
 * a usage error naming the option (exit 64).
 */
long long cli_number(const char *opt, const char *arg, long long min,
    long long max);

/* Print "PROGRAM (dataops) VERSION" and exit 0. */
void cli_version(void) __attribute__((noreturn));

#endif
