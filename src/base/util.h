/* util.h - small helpers the library would otherwise write several times over: floor
 * division, growable arrays, calendar-month stepping, CloudWatch metric names, cross-region
 * prefixes, burn-down. */
#ifndef TIERPLAN_UTIL_H
#define TIERPLAN_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/common.h"

/* a / b rounded towards minus infinity (C's `/` rounds towards zero): minute -> day and
 * second -> minute indices of instants before 1970 must not land in the following day.
 * b must be non-zero. */
static inline int64_t util_floor_div(int64_t a, int64_t b)
{
    const int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Makes the array whose pointer variable is at *items_ptr hold at least `need` elements of
 * elem_size bytes, doubling the capacity (at least 16). On failure (out of memory, or a size
 * that would overflow) the array and *cap are left as they were and -1 is returned; the
 * caller still owns and frees the old array. Use through UTIL_GROW. */
int util_grow(void *items_ptr, size_t *cap, size_t need, size_t elem_size);

/* 0 when arr (a pointer variable) has room for `need` elements, growing it if needed;
 * -1 when it could not grow (arr unchanged). */
#define UTIL_GROW(arr, cap, need) \
    ((size_t)(need) <= (cap) ? 0 : util_grow(&(arr), &(cap), (size_t)(need), sizeof *(arr)))

/* Reads the small file at path (a catalog, plan file, windows file, JSON snapshot) into *out,
 * NUL-terminated: at most max_bytes + 1 bytes, so that the caller's parser tells a file of
 * exactly max_bytes from a larger one by *out_len. what names the kind of file in the message
 * for a directory ("a price catalog"). The caller frees *out (NULL on failure).
 * @return TP_OK; TP_ERR_IO naming path (cannot be opened or read, or a directory);
 *         TP_ERR_NOMEM */
tp_status util_read_capped(const char *path, size_t max_bytes, const char *what, char **out,
                           size_t *out_len, tp_error *err);

/* Calendar arithmetic on Unix seconds, UTC (civil-date functions of timestamp.c). */
/* The first second of the UTC calendar month that epoch_s falls in. */
int64_t util_month_start(int64_t epoch_s);
/* The first second of the calendar month `months` after the month epoch_s falls in
 * (months may be negative). */
int64_t util_month_add(int64_t epoch_s, int months);

/* The Bedrock CloudWatch metrics tierplan knows, in the order of tp_metric for the first four
 * (InputTokenCount, OutputTokenCount, CacheReadInputTokenCount, CacheWriteInputTokenCount),
 * then Invocations and InvocationThrottles. One table for ingest, series and export-cmd. */
#define UTIL_N_METRIC_NAMES 6
extern const char *const util_metric_names[UTIL_N_METRIC_NAMES];
/* Nonzero when name[0, len) is one of the metric names tierplan accepts: those above and the
 * request, error and latency metrics an export may carry (metric.c). */
int util_metric_known(const char *name, size_t len);

/* The model id past its cross-region inference profile prefix (us., eu., apac., global.,
 * us-gov., jp., au., ca.), or id itself when it has none: traffic sent through a profile is
 * metered under the profile's id. One list for the price lookup and series' suggestions. */
const char *util_strip_region(const char *id);

/* Reserved-capacity (burned-down) input of one minute; docs/model.md, "Burn-down". One
 * definition for tp_simulate_burn_down_tpm and the simulation's inner loop. */
static inline double util_burn_down_tpm(double input_tpm, double cache_read_tpm,
                                        double cache_write_tpm, double f_read, double w_write)
{
    return input_tpm + w_write * cache_write_tpm + f_read * cache_read_tpm;
}

#endif
