/* stats.c - order statistics of per-minute demand via a radix sort and GSL quantiles, and the
 * stats of a stored model (its metrics, effective input and burn-down factors). */
#include "tierplan/stats.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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

/* Burn-down factors from the catalog when it has the model, else the defaults; the effective
 * input is summarised with them (formula: docs/model.md). */
static tp_status effective_summary(const tp_pricing *pricing, tp_model_stats *m, tp_error *err)
{
    tp_model_price price;
    tp_error lookup_err;
    m->burn_down_cache_read = 0.1;
    m->burn_down_cache_write = 1.0;
    m->cache_read_from = m->cache_write_from = tp_factor_origin_name(TP_FACTOR_DEFAULT);
    snprintf(m->factors_from, sizeof m->factors_from, "default factors: no price catalog");
    if (pricing != NULL) {
        if (tp_pricing_lookup(pricing, tp_series_model(m->series), &price, NULL, NULL,
                              &lookup_err) == TP_OK) {
            m->burn_down_cache_read = price.burn_down_cache_read;
            m->burn_down_cache_write = price.burn_down_cache_write;
            m->cache_read_from = tp_factor_origin_name(price.burn_down_cache_read_origin);
            m->cache_write_from = tp_factor_origin_name(price.burn_down_cache_write_origin);
            snprintf(m->factors_from, sizeof m->factors_from, "catalog entry %s; cache read %s",
                     price.entry, m->cache_read_from);
        } else {
            snprintf(m->factors_from, sizeof m->factors_from,
                     "default factors: the catalog has no entry for the model");
        }
    }
    const size_t n = tp_series_minutes(m->series);
    const double *in = tp_series_values(m->series, TP_METRIC_INPUT);
    const double *cr = tp_series_values(m->series, TP_METRIC_CACHE_READ);
    const double *cw = tp_series_values(m->series, TP_METRIC_CACHE_WRITE);
    double *e = malloc((n ? n : 1) * sizeof *e);
    if (e == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t t = 0; t < n; t++)
        e[t] = util_burn_down_tpm(in[t], cr[t], cw[t], m->burn_down_cache_read,
                                  m->burn_down_cache_write);
    tp_status rc = tp_stats_summarize(e, n, &m->effective_input, err);
    free(e);
    return rc;
}

/* The percentiles of every metric of a loaded model, its resolution flag and its effective
 * input. */
static tp_status summarize_model(const tp_pricing *pricing, tp_model_stats *m, tp_error *err)
{
    size_t minutes = tp_series_minutes(m->series);
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        tp_status rc = tp_stats_summarize(tp_series_values(m->series, k), minutes, &m->tpm[k],
                                          err);
        if (rc != TP_OK)
            return rc;
        size_t nr = tp_series_resolution(m->series, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            tp_series_resolution(m->series, k, r, &period, NULL);
            m->coarse |= period > 60;
        }
    }
    return effective_summary(pricing, m, err);
}

/* Loads and summarises into a zeroed *m; on failure m->series may be set (the caller frees). */
static tp_status load_model(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                            tp_model_stats *m, tp_error *err)
{
    tp_status rc = tp_series_load(store, q, &m->series, err);
    if (rc != TP_OK)
        return rc;
    return summarize_model(pricing, m, err);
}

tp_status tp_stats_model(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                         tp_model_stats **out, tp_error *err)
{
    *out = NULL;
    tp_model_stats *m = calloc(1, sizeof *m);
    if (m == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    tp_status rc = load_model(store, q, pricing, m, err);
    if (rc != TP_OK) {
        tp_stats_model_free(m);
        return rc;
    }
    *out = m;
    return TP_OK;
}

void tp_stats_model_free(tp_model_stats *m)
{
    if (m == NULL)
        return;
    tp_series_free(m->series);
    free(m);
}

void tp_stats_set_free(tp_stats_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++)
        tp_series_free(set->models[i].series);
    for (size_t i = 0; i < set->n_omitted; i++) {
        free(set->omitted[i].model);
        free(set->omitted[i].reason);
    }
    free(set->models);
    free(set->omitted);
    free(set);
}

/* Appends (model, reason) to set->omitted, which has room for every stored model. */
static tp_status omit(tp_stats_set *set, const char *model, tp_status status,
                      const tp_error *why, tp_error *err)
{
    tp_stats_omitted *o = &set->omitted[set->n_omitted++];
    o->status = status;
    o->model = strdup(model);
    o->reason = strdup(why->message);
    if (o->model == NULL || o->reason == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

tp_status tp_stats_all(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                       tp_stats_set **out, tp_error *err)
{
    char **names = NULL;
    size_t n_names = 0;
    tp_stats_set *set = NULL;
    tp_status rc = tp_store_models(store, &names, &n_names, err);
    *out = NULL;
    if (rc != TP_OK)
        goto cleanup;
    set = calloc(1, sizeof *set);
    if (set == NULL || (set->models = calloc(n_names ? n_names : 1, sizeof *set->models)) == NULL ||
        (set->omitted = calloc(n_names ? n_names : 1, sizeof *set->omitted)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    set->n_stored = n_names;
    for (size_t i = 0; i < n_names; i++) {
        tp_series_query one = *q;
        tp_model_stats *m = &set->models[set->n];
        tp_error why;
        tp_error_clear(&why);
        one.model = names[i];
        rc = load_model(store, &one, pricing, m, &why);
        if (rc == TP_OK) {
            set->n++;
            continue;
        }
        tp_series_free(m->series);
        memset(m, 0, sizeof *m);
        if (rc != TP_ERR_NOT_FOUND && rc != TP_ERR_TOO_BIG) {
            rc = tp_error_set(err, rc, "%s", why.message);
            goto cleanup;
        }
        if ((rc = omit(set, names[i], rc, &why, err)) != TP_OK)
            goto cleanup;
    }
    *out = set;
    set = NULL;
cleanup:
    tp_stats_set_free(set);
    tp_strv_free(names, n_names);
    return rc;
}
