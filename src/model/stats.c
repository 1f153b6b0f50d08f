/* stats.c - order statistics of per-minute demand via a radix sort and GSL quantiles, and the
 * stats of a stored model (its metrics, effective input and burn-down factors). */
#include "tierplan/stats.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bigalloc.h"
#include "base/util.h"
#include "model/stats_internal.h"
#include "store/store_rows.h"

/* The quantiles asked for and the order statistics they interpolate between. */
static const double quantile_q[4] = {0.25, 0.50, 0.90, 0.99};

/* gsl_stats_quantile_from_sorted_data (GSL 2.x, statistics/quantiles_source.c) on the two
 * order statistics it reads, lo = x[lhs] and hi = x[lhs + 1], written as GSL writes it so
 * that every percentile is bit for bit what the full sort gave. */
static double quantile_from(double q, size_t n, double lo, double hi)
{
    const double index = q * (double)(n - 1);
    const size_t lhs = (size_t)(int)index;
    const double delta = index - (double)lhs;
    if (lhs == n - 1)
        return lo;
    return (1 - delta) * lo + delta * hi;
}

static size_t quantile_lhs(double q, size_t n)
{
    return (size_t)(int)(q * (double)(n - 1));
}

/* Below this many keys a selection sorts them by insertion. */
#define SELECT_SMALL 48

/* The scratch a selection shares across its levels. */
typedef struct selector {
    uint32_t *count;     /* 65,536 counters: keys per digit */
    unsigned char *want; /* 65,536 flags: the digits holding a wanted rank (cleared after use) */
} selector;

static void insertion_sort(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        const uint64_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* The ranks falling in one digit: ranks[first..first+n_ranks-1], less the keys below it. */
typedef struct digit_group {
    size_t digit, first, n_ranks, below, size;
} digit_group;

/* Groups ranks (ascending) by the digit whose keys hold them; returns the number of groups. */
static size_t group_ranks(const uint32_t *count, const size_t *ranks, size_t nr,
                          digit_group *g)
{
    size_t below = 0, k = 0, ng = 0;
    for (size_t d = 0; d < 65536 && k < nr; d++) {
        if (k < nr && ranks[k] < below + count[d]) {
            g[ng] = (digit_group){d, k, 0, below, count[d]};
            for (; k < nr && ranks[k] < below + count[d]; k++)
                g[ng].n_ranks++;
            ng++;
        }
        below += count[d];
    }
    return ng;
}

/* Selection instead of a sort (an MSD radix select): the bit patterns of non-negative doubles
 * order like unsigned integers, so one counting pass over the highest 16 bits in which the
 * keys differ names the digit of every wanted rank; only those digits' keys are gathered,
 * and each group is selected in alone, 16 bits lower, until a few keys are left to sort or
 * all are equal. A year of minutes costs a few linear passes where a full LSD radix sort
 * needed eight with random writes.
 * ranks[0..nr-1] ascending, below n (at most 16); out[k] receives the key of rank ranks[k].
 * known_diff: the OR of every a[i] XOR a[0] where the caller has it, else NULL. */
static int select_keys(const uint64_t *a, size_t n, const size_t *ranks, size_t nr,
                       uint64_t *out, selector *sel, const uint64_t *known_diff)
{
    if (n <= SELECT_SMALL) {
        uint64_t small[SELECT_SMALL];
        memcpy(small, a, n * sizeof *a);
        insertion_sort(small, n);
        for (size_t k = 0; k < nr; k++)
            out[k] = small[ranks[k]];
        return 0;
    }
    /* the bits in which keys differ: from the caller when it had them (one pass less) */
    uint64_t diff = known_diff != NULL ? *known_diff : 0;
    for (size_t i = 0; known_diff == NULL && i < n; i++)
        diff |= a[i] ^ a[0];
    int shift = 0;
    while (shift < 48 && (diff >> (shift + 16)) != 0)
        shift++;
    if (diff == 0) { /* all equal, zeros of idle minutes included: nothing to order */
        for (size_t k = 0; k < nr; k++)
            out[k] = a[0];
        return 0;
    }
    memset(sel->count, 0, 65536 * sizeof *sel->count);
    for (size_t i = 0; i < n; i++)
        sel->count[(a[i] >> shift) & 0xffff]++;
    digit_group g[16];
    const size_t ng = group_ranks(sel->count, ranks, nr, g);
    size_t n_any = 0;
    for (size_t j = 0; j < ng; j++) {
        sel->want[g[j].digit] = 1;
        n_any += g[j].size;
    }
    /* the wanted digits' keys, gathered without a branch, then each digit's apart */
    uint64_t *any = malloc((n_any + 1) * sizeof *any), *sub = NULL;
    int rc = any == NULL ? -1 : 0;
    size_t m = 0;
    if (any != NULL)
        for (size_t i = 0; i < n; i++) {
            any[m] = a[i];
            m += sel->want[(a[i] >> shift) & 0xffff];
        }
    for (size_t j = 0; j < ng; j++)
        sel->want[g[j].digit] = 0;
    for (size_t j = 0; rc == 0 && j < ng; j++) {
        size_t r[16] = {0}, len = 0;
        if ((sub = ng == 1 ? any : malloc((g[j].size + 1) * sizeof *sub)) == NULL) {
            rc = -1;
            break;
        }
        for (size_t i = 0; ng > 1 && i < m; i++) {
            sub[len] = any[i];
            len += ((any[i] >> shift) & 0xffff) == g[j].digit;
        }
        for (size_t k = 0; k < g[j].n_ranks; k++)
            r[k] = ranks[g[j].first + k] - g[j].below;
        rc = select_keys(sub, g[j].size, r, g[j].n_ranks, out + g[j].first, sel, NULL);
        if (sub != any)
            free(sub);
    }
    free(any);
    return rc;
}

/* The values of ranks[0..nr-1] (ascending, at most 16) of key[0..n-1] into out; diff is the
 * OR of every key XOR key[0]. */
static int select_ranks(const uint64_t *key, size_t n, uint64_t diff, const size_t *ranks,
                        size_t nr, double *out)
{
    selector sel = {calloc(65536, sizeof *sel.count), calloc(65536, 1)};
    uint64_t bits[16];
    int rc = -1;
    if (sel.count != NULL && sel.want != NULL && nr <= 16 &&
        select_keys(key, n, ranks, nr, bits, &sel, &diff) == 0) {
        memcpy(out, bits, nr * sizeof *out);
        rc = 0;
    }
    free(sel.count);
    free(sel.want);
    return rc;
}

/* The summary from the keys of n values (their bits, -0.0 made +0.0), diff the OR of every
 * key XOR key[0], sum the values' sum. */
static tp_status summarize_keys(const uint64_t *key, size_t n, uint64_t diff, long double sum,
                                tp_summary *out, tp_error *err)
{
    /* lhs and lhs + 1 of each quantile, then the maximum: ascending, as select_ranks needs */
    size_t ranks[9];
    double x[9];
    for (int q = 0; q < 4; q++) {
        const size_t lhs = quantile_lhs(quantile_q[q], n);
        ranks[2 * q] = lhs;
        ranks[2 * q + 1] = lhs + 1 < n ? lhs + 1 : lhs;
    }
    ranks[8] = n - 1;
    if (select_ranks(key, n, diff, ranks, 9, x) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    out->p25_tpm = quantile_from(quantile_q[0], n, x[0], x[1]);
    out->p50_tpm = quantile_from(quantile_q[1], n, x[2], x[3]);
    out->p90_tpm = quantile_from(quantile_q[2], n, x[4], x[5]);
    out->p99_tpm = quantile_from(quantile_q[3], n, x[6], x[7]);
    out->max_tpm = x[8];
    out->mean_tpm = (double)(sum / (long double)n);
    return TP_OK;
}

static tp_status bad_minute(size_t i, double v, tp_error *err)
{
    return tp_error_set(err, TP_ERR_INVALID, "statistics: minute %zu is %s", i,
                        isfinite(v) ? "negative" : "not finite");
}

/* tp_stats_summarize with the caller's key array (n uint64_t, written over): a model's
 * metrics summarised one after another share one. */
static tp_status summarize_with(const double *values, size_t n, uint64_t *key, tp_summary *out,
                                tp_error *err)
{
    /* long double keeps the mean exact to the last unit over a year of minutes */
    long double sum = 0;
    uint64_t diff = 0; /* the bits in which the keys differ, for the selection */
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]) || values[i] < 0)
            return bad_minute(i, values[i], err);
        const double v = values[i] + 0.0; /* + 0.0 turns -0.0 into +0.0 for the bit order */
        memcpy(&key[i], &v, sizeof v);
        diff |= key[i] ^ key[0];
        sum += values[i];
    }
    return summarize_keys(key, n, diff, sum, out, err);
}

tp_status tp_stats_summarize(const double *values, size_t n, tp_summary *out, tp_error *err)
{
    if (n == 0)
        return tp_error_set(err, TP_ERR_INVALID, "statistics of an empty window");
    uint64_t *key = bigalloc(n * sizeof *key);
    if (key == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const tp_status rc = summarize_with(values, n, key, out, err);
    free(key);
    return rc;
}

tp_status stats_summarize_in_place(void *values, size_t n, tp_summary *out, tp_error *err)
{
    if (n == 0)
        return tp_error_set(err, TP_ERR_INVALID, "statistics of an empty window");
    unsigned char *bytes = values;
    uint64_t *key = values; /* each minute's key is stored over its value, once it is read */
    long double sum = 0;
    uint64_t diff = 0, key0 = 0;
    for (size_t i = 0; i < n; i++) {
        double v;
        memcpy(&v, bytes + i * sizeof v, sizeof v); /* a byte copy: read before the store */
        if (!isfinite(v) || v < 0)
            return bad_minute(i, v, err);
        const double z = v + 0.0; /* + 0.0 turns -0.0 into +0.0 for the bit order */
        uint64_t k;
        memcpy(&k, &z, sizeof k);
        key[i] = k; /* allocated memory: the store makes it a uint64_t */
        key0 = i == 0 ? k : key0;
        diff |= k ^ key0;
        sum += v;
    }
    return summarize_keys(key, n, diff, sum, out, err);
}

/* Burn-down factors from the catalog when it has the model, else the defaults; the effective
 * input is summarised with them (formula: docs/model.md), computed into scratch (the model's
 * minutes of doubles, the caller's) and summarised in place there. */
static tp_status effective_summary(const tp_pricing *pricing, tp_model_stats *m, double *scratch,
                                   tp_error *err)
{
    tp_model_price price;
    tp_error lookup_err;
    m->burn_down_cache_read = 0.1;
    m->burn_down_cache_write = 1.0;
    m->cache_read_from = m->cache_write_from = tp_pricing_factor_origin_name(TP_FACTOR_DEFAULT);
    snprintf(m->factors_from, sizeof m->factors_from, "default factors: no price catalog");
    if (pricing != NULL) {
        if (tp_pricing_lookup(pricing, tp_series_model(m->series), &price, NULL, NULL,
                              &lookup_err) == TP_OK) {
            m->burn_down_cache_read = price.burn_down_cache_read;
            m->burn_down_cache_write = price.burn_down_cache_write;
            m->cache_read_from = tp_pricing_factor_origin_name(price.burn_down_cache_read_origin);
            m->cache_write_from = tp_pricing_factor_origin_name(price.burn_down_cache_write_origin);
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
    double *e = scratch;
    if (n == 0)
        return tp_error_set(err, TP_ERR_INVALID, "statistics of an empty window");
    for (size_t t = 0; t < n; t++)
        e[t] = util_burn_down_tpm(in[t], cr[t], cw[t], m->burn_down_cache_read,
                                  m->burn_down_cache_write);
    /* bit for bit tp_stats_summarize's (tests/test_stats_select.c checks the two agree) */
    return stats_summarize_in_place(e, n, &m->effective_input, err);
}

/* The percentiles of every metric of a loaded model, its resolution flag and its effective
 * input. */
static tp_status summarize_model(const tp_pricing *pricing, tp_model_stats *m, tp_error *err)
{
    size_t minutes = tp_series_minutes(m->series);
    if (minutes == 0)
        return tp_error_set(err, TP_ERR_INVALID, "statistics of an empty window");
    /* one key array for every summary of the model (its pages touched once, not five times) */
    uint64_t *key = bigalloc(minutes * sizeof *key);
    if (key == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    tp_status rc = TP_OK;
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        rc = summarize_with(tp_series_values(m->series, k), minutes, key, &m->tpm[k], err);
        if (rc != TP_OK)
            break;
        size_t nr = tp_series_resolution(m->series, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            tp_series_resolution(m->series, k, r, &period, NULL);
            m->coarse |= period > 60;
        }
    }
    /* the keys are done with: the effective input is computed over them (allocated memory,
     * so the doubles stored there are what it holds from then on) */
    if (rc == TP_OK)
        rc = effective_summary(pricing, m, (double *)(void *)key, err);
    free(key);
    return rc;
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
        free(set->omitted[i].region);
        free(set->omitted[i].account);
        free(set->omitted[i].reason);
    }
    free(set->models);
    free(set->omitted);
    free(set);
}

/* Appends (q's model and place, reason) to set->omitted, which has room for every place. */
static tp_status omit(tp_stats_set *set, const tp_series_query *q, tp_status status,
                      const tp_error *why, tp_field_name_fn name, void *name_ctx, tp_error *err)
{
    tp_stats_omitted *o = &set->omitted[set->n_omitted++];
    char reason[sizeof why->message];
    o->status = status;
    o->model = strdup(q->model);
    o->region = strdup(q->merge_regions ? "*" : q->region != NULL ? q->region : "");
    o->account = strdup(q->account != NULL ? q->account : "");
    o->reason = strdup(tp_error_rename(why, name, name_ctx, reason, sizeof reason));
    if (o->model == NULL || o->region == NULL || o->account == NULL || o->reason == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

tp_status tp_stats_all(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                       tp_stats_set **out, tp_error *err)
{
    tp_series_query every = *q;
    every.model = NULL; /* as documented: every model */
    return stats_all(store, &every, pricing, NULL, NULL, out, err);
}

/* Whether v holds place p (model, region and account). */
static int holds(const tp_store_place *v, size_t n, const tp_store_place *p)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].model, p->model) == 0 && strcmp(v[i].region, p->region) == 0 &&
            strcmp(v[i].account, p->account) == 0)
            return 1;
    return 0;
}

/* Whether p is in q's region and account (NULL: any; the region is summed over with
 * merge_regions). */
static int in_filter(const tp_series_query *q, const tp_store_place *p)
{
    return (q->region == NULL || q->merge_regions || strcmp(p->region, q->region) == 0) &&
           (q->account == NULL || strcmp(p->account, q->account) == 0);
}

/* Whether v holds a place of model within q's filters. */
static int model_in(const tp_series_query *q, const tp_store_place *v, size_t n,
                    const char *model)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].model, model) == 0 && in_filter(q, &v[i]))
            return 1;
    return 0;
}

tp_status stats_places(tp_store *store, const tp_series_query *q, tp_store_place **out,
                       size_t *n_out, tp_error *err)
{
    tp_store_place *all = NULL, *kind = NULL;
    size_t n_all = 0, n_kind = 0, k = 0;
    /* every place is an entry, as in the fleet (report, check): a place holding only logs
     * is listed as one holding metrics is (docs/user-guide.md, "Regions and accounts"; data
     * of one place stored without a region, tierplan relabel moves there). With --source,
     * the places holding that kind, and a model holding none is one entry without data */
    const store_places_kind first =
        q->source == TP_SOURCE_LOGS ? STORE_PLACES_LOGS : STORE_PLACES_METRICS;
    *out = NULL;
    *n_out = 0;
    tp_status rc = tp_store_places(store, q->model, &all, &n_all, err);
    if (rc == TP_OK)
        rc = store_places_of(store, q->model, first, &kind, &n_kind, err);
    for (size_t i = 0; i < n_all && rc == TP_OK; i++) {
        const tp_store_place *p = &all[i];
        int keep = in_filter(q, p) &&
                   (q->source == TP_SOURCE_AUTO || holds(kind, n_kind, p) ||
                    !model_in(q, kind, n_kind, p->model));
        /* merged: one entry per model and account (sorted by model, account, region: the
         * first kept place of the pair stands for it) */
        for (size_t j = 0; keep && q->merge_regions && j < k; j++)
            keep = !(strcmp(all[j].model, p->model) == 0 &&
                     strcmp(all[j].account, p->account) == 0);
        if (!keep) {
            free(all[i].model);
            free(all[i].region);
            free(all[i].account);
            continue;
        }
        all[k++] = all[i];
    }
    if (rc != TP_OK) {
        tp_store_places_free(all, n_all);
        all = NULL;
        k = 0;
    }
    tp_store_places_free(kind, n_kind);
    *out = all;
    *n_out = k;
    return rc;
}

tp_status stats_all(tp_store *store, const tp_series_query *q, const tp_pricing *pricing,
                    tp_field_name_fn name, void *name_ctx, tp_stats_set **out, tp_error *err)
{
    tp_store_place *places = NULL;
    size_t n_places = 0;
    tp_stats_set *set = NULL;
    tp_status rc = stats_places(store, q, &places, &n_places, err);
    *out = NULL;
    if (rc != TP_OK)
        goto cleanup;
    set = calloc(1, sizeof *set);
    if (set == NULL ||
        (set->models = calloc(n_places ? n_places : 1, sizeof *set->models)) == NULL ||
        (set->omitted = calloc(n_places ? n_places : 1, sizeof *set->omitted)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_places; i++) {
        set->n_stored++;
        tp_series_query one = *q;
        tp_model_stats *m = &set->models[set->n];
        tp_error why;
        tp_error_clear(&why);
        one.model = places[i].model;
        one.account = places[i].account;
        if (!q->merge_regions)
            one.region = places[i].region; /* this place alone: never two regions overlaid */
        rc = load_model(store, &one, pricing, m, &why);
        if (rc == TP_OK) {
            set->n++;
            continue;
        }
        tp_series_free(m->series);
        memset(m, 0, sizeof *m);
        if (rc != TP_ERR_NOT_FOUND && rc != TP_ERR_TOO_BIG) {
            if (err != NULL)
                *err = why; /* with the fields it names */
            goto cleanup;
        }
        if ((rc = omit(set, &one, rc, &why, name, name_ctx, err)) != TP_OK)
            goto cleanup;
    }
    *out = set;
    set = NULL;
cleanup:
    tp_stats_set_free(set);
    tp_store_places_free(places, n_places);
    return rc;
}
