/* bench_quota.c - times tp_recommend_run under an on-demand quota over a synthetic year at
 * 1,000-TPM grid steps (docs/performance.md, "The recommender under a quota").
 *
 * The year is the same synthetic traffic bench_ingest uses (tests/tools/synth.c, same seed and
 * shape), generated straight into memory: ingest and load are timed there, not here. Each
 * configuration runs once to warm up and 3 times; the median is printed.
 *
 * usage: bench_quota [DAYS 1..1000] [QUOTA_TPM]   (defaults: 365, 400000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tierplan/tierplan.h"
#include "../test_fixtures.h"
#include "../tools/synth.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prices of Claude Sonnet 4.5 in the shipped catalog (the tests' base price, one term), output
 * burning quota 5x. */
static tp_model_price bench_price(void)
{
    tp_model_price p = base_price(1);
    snprintf(p.entry, sizeof p.entry, "bench");
    p.quota_output_weight = 5;
    return p;
}

/* Median seconds of 3 runs (after a warm-up) of one recommendation; -1 on failure. */
static double time_rec(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                       tp_recommendation *rec)
{
    double t[3];
    tp_error err;
    for (int i = -1; i < 3; i++) {
        const double t0 = now_s();
        if (tp_recommend_run(d, p, o, rec, &err) != TP_OK) {
            fprintf(stderr, "bench_quota: %s\n", err.message);
            return -1;
        }
        if (i >= 0)
            t[i] = now_s() - t0;
    }
    qsort(t, 3, sizeof t[0], cmp_double);
    return t[1];
}

int main(int argc, char **argv)
{
    const int days = argc > 1 ? atoi(argv[1]) : 365;
    const double quota = argc > 2 ? atof(argv[2]) : 400000;
    if (days < 1 || days > 1000 || !(quota > 0)) {
        fprintf(stderr, "usage: bench_quota [DAYS 1..1000] [QUOTA_TPM > 0]\n");
        return 2;
    }
    const size_t n = (size_t)days * 1440;
    synth_minute *m = calloc(n, sizeof *m);
    double *col[4];
    for (int k = 0; k < 4; k++)
        col[k] = calloc(n, sizeof *col[k]);
    if (m == NULL || !col[0] || !col[1] || !col[2] || !col[3])
        return 1;
    synth_params sp = {0};
    sp.model = "bench";
    sp.start_s = 1767225600;
    sp.minutes = (int64_t)n;
    sp.peak_prompt_tpm = 2000000;
    sp.cache_hit = 0.6;
    sp.cache_write = 0.03;
    sp.output_ratio = 0.15;
    sp.seed = 2026;
    if (synth_generate(&sp, m) != 0)
        return 1;
    for (size_t t = 0; t < n; t++) {
        col[0][t] = m[t].input;
        col[1][t] = m[t].output;
        col[2][t] = m[t].cache_read;
        col[3][t] = m[t].cache_write;
    }
    const tp_demand d = {col[0], col[1], col[2], col[3], n, 0};
    const tp_model_price p = bench_price();
    static tp_recommendation rec;
    const struct {
        const char *name;
        tp_spill_model model;
        long max_throttled; /* -1: not given (0 applies) */
        int slo;
    } runs[] = {
        {"coupled", TP_SPILL_COUPLED, -1, 0},
        {"coupled, --max-throttled-minutes 60", TP_SPILL_COUPLED, 60, 0},
        {"coupled, --max-spill-minutes-pct 5", TP_SPILL_COUPLED, -1, 1},
        {"independent", TP_SPILL_INDEPENDENT, -1, 0},
        {"independent, --max-throttled-minutes 60", TP_SPILL_INDEPENDENT, 60, 0},
    };
    printf("%d days (%zu minutes), quota %.0f TPM, step 1,000 TPM\n", days, n, quota);
    int rc = 0;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        tp_rec_options o = {0};
        o.spill_model = runs[i].model;
        o.quota_tpm = quota;
        if (runs[i].max_throttled >= 0)
            o.has_max_throttled_minutes = 1, o.max_throttled_minutes = runs[i].max_throttled;
        if (runs[i].slo)
            o.has_max_spill_minutes_pct = 1, o.max_spill_minutes_pct = 5;
        const double s = time_rec(&d, &p, &o, &rec);
        if (s < 0) {
            rc = 1;
            continue;
        }
        printf("%-42s %8.3f s (grid %zu x %zu; target < 10 s)\n", runs[i].name, s,
               rec.grid_input_points, rec.grid_output_points);
    }
    free(m);
    for (int k = 0; k < 4; k++)
        free(col[k]);
    return rc;
}
