/* stats.c - order statistics of per-minute demand via a radix sort and GSL quantiles. */
#include "tierplan/stats.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sorts non-negative finite doubles ascending. Their IEEE-754 bit patterns order like
 * unsigned integers, so an LSD radix sort on 16-bit digits needs four linear passes where
 * qsort needs n log n comparisons through a function pointer: a year of minutes (525,600)
 * sorts in a few milliseconds. */
static int radix_sort_nonneg(double *v, size_t n)
{
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    size_t *count = calloc(65536, sizeof *count);
    if (a == NULL || b == NULL || count == NULL) {
        free(a);
        free(b);
        free(count);
        return -1;
    }
    memcpy(a, v, n * sizeof *a);
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> shift) & 0xffff]++;
        if (count[(a[0] >> shift) & 0xffff] == n)
            continue; /* every key shares this digit (common for the high digits) */
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i] >> shift) & 0xffff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    memcpy(v, a, n * sizeof *v);
    free(a);
    free(b);
    free(count);
    return 0;
}

tp_status tp_stats_summarize(const double *values, size_t n, tp_summary *out, tp_error *err)
{
    if (n == 0)
        return tp_error_set(err, TP_ERR_INVALID, "statistics of an empty window");
    double *sorted = malloc(n * sizeof *sorted);
    if (sorted == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    /* long double keeps the mean exact to the last unit over a year of minutes */
    long double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]) || values[i] < 0) {
            free(sorted);
            return tp_error_set(err, TP_ERR_INVALID, "statistics: minute %zu is %s", i,
                                isfinite(values[i]) ? "negative" : "not finite");
        }
        sorted[i] = values[i] + 0.0; /* + 0.0 turns -0.0 into +0.0 for the bit sort */
        sum += values[i];
    }
    if (radix_sort_nonneg(sorted, n) != 0) {
        free(sorted);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    out->p25_tpm = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.25);
    out->p50_tpm = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.50);
    out->p90_tpm = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.90);
    out->p99_tpm = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.99);
    out->max_tpm = sorted[n - 1];
    out->mean_tpm = (double)(sum / (long double)n);
    free(sorted);
    return TP_OK;
}
