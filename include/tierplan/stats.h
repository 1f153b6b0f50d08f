/* stats.h - percentiles, maximum and mean of per-minute TPM. */
#ifndef TIERPLAN_STATS_H
#define TIERPLAN_STATS_H

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Summary of one per-minute series, in tokens per minute. */
typedef struct tp_summary {
    double p25_tpm, p50_tpm, p90_tpm, p99_tpm;
    double max_tpm;
    double mean_tpm;
} tp_summary;

/**
 * Summarises n per-minute values (every minute of the window, zeros included).
 * Percentiles interpolate linearly between order statistics (GSL's
 * gsl_stats_quantile_from_sorted_data, numpy's default): the q-quantile of sorted x[0..n-1]
 * is x[i] + f (x[i+1] - x[i]) with i + f = q (n - 1). Formula and worked example:
 * docs/model.md.
 * @param values n non-negative, finite values; borrowed, not modified (sorted in a copy)
 * @param out filled in; it holds no pointers, nothing to free
 * @return TP_ERR_INVALID for n == 0 or a negative/non-finite value; TP_ERR_NOMEM
 */
TP_API tp_status tp_stats_summarize(const double *values, size_t n, tp_summary *out,
                                    tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
