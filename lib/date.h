/*
 * Calendar dates in the proleptic Gregorian calendar, years 1 to 9999.
 */
#ifndef DATAOPS_DATE_H
#define DATAOPS_DATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when y-m-d is a real day of years 1..9999, else 0. */
int date_valid(int y, int m, int d);

/* Parse exactly "YYYY-MM-DD" (n == 10) into a valid date: 0, or -1. */
int date_parse(const char *s, size_t n, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM" (n == 7), month 1..12: 0, or -1. */
int date_parse_month(const char *s, size_t n, int *y, int *m);

/*
 * Parse an ISO 8601 instant ("2025-03-01T12:00:00Z", fractional seconds
 * and a +hh:mm offset allowed) into seconds since the epoch: 0, or -1.
 */
int date_parse_instant(const char *s, size_t n, int64_t *epoch);

/*
 * a / b rounded down (b > 0), for any int64 a: the day of an instant or
 * the second of a millisecond before the epoch.
 */
int64_t date_floor_div(int64_t a, int64_t b);

/* Days since 1970-01-01 of a valid date, and back. */
int64_t date_to_days(int y, int m, int d);
void date_from_days(int64_t days, int *y, int *m, int *d);

#ifdef __cplusplus
}
#endif

#endif
