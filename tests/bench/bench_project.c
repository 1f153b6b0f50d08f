/* bench_project.c - times a projection (tp_project_demand: growth fit, bootstrap, the four
 * plans month by month) of one model and of a fleet, each with a year of history, 12 months
 * and 1000 samples (docs/performance.md, "Projections").
 *
 * Histories are synthetic years (tests/tools/synth.c, as bench_report's), held in memory:
 * the fleet's models cycle over four distinct years so that memory stays near 170 MB, which
 * does not change the work (every model is projected on its own). Each case runs once to warm
 * up and 3 times; the median is printed.
 *
 * usage: bench_project [MODELS 1..200] [JOBS 1..64]   (defaults: 50, 2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tierplan/tierplan.h"
#include "../tools/synth.h"

#define DAYS 364 /* 52 whole weeks */
#define YEARS 4

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

/* Year k as four arrays in one block; NULL when out of memory. */
static double *make_year(int k, synth_minute *m)
{
    const size_t n = (size_t)DAYS * 1440;
    synth_params p = {0};
    p.model = "bench";
    p.start_s = 1767225600; /* 2026-01-01T00:00:00Z */
    p.minutes = (int64_t)n;
    p.peak_prompt_tpm = 200000.0 * (1 + k);
    p.cache_hit = 0.6;
    p.cache_write = 0.03;
    p.output_ratio = 0.15;
    p.seed = 2026 + (uint64_t)k;
    double *b = malloc(4 * n * sizeof *b);
    if (b == NULL || synth_generate(&p, m) != 0) {
        free(b);
        return NULL;
    }
    for (size_t t = 0; t < n; t++) {
        b[t] = m[t].input;
        b[n + t] = m[t].output;
        b[2 * n + t] = m[t].cache_read;
        b[3 * n + t] = m[t].cache_write;
    }
    return b;
}

/* One projection of the first `models` inputs: seconds, or -1. */
static double run(const tp_project_input *in, size_t models, int jobs)
{
    tp_project_options o = {0};
    tp_projection *p = NULL;
    tp_error err;
    o.months = 12;
    o.samples = 1000;
    o.seed = 1;
    o.jobs = jobs;
    const double t0 = now_s();
    if (tp_project_demand(in, models, &o, &p, &err) != TP_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        return -1;
    }
    const double t = now_s() - t0;
    tp_project_free(p);
    return t;
}

static double median_run(const tp_project_input *in, size_t models, int jobs)
{
    double t[3];
    if (run(in, models, jobs) < 0)
        return -1;
    for (int i = 0; i < 3; i++)
        if ((t[i] = run(in, models, jobs)) < 0)
            return -1;
    qsort(t, 3, sizeof t[0], cmp_double);
    return t[1];
}

static const char catalog[] =
    "{\"currency\": \"USD\", \"tiers\": {\"priority\": 1.75, \"standard\": 1.0}, \"models\": "
    "{\"*\": {\"on_demand_per_million\": {\"input\": 3, \"output\": 15, \"cache_read\": 0.3, "
    "\"cache_write\": 3.75}, \"reserved_per_1k_tpm_hour\": {\"input\": 0.12, \"output\": 0.6}, "
    "\"reserved_example\": true}}}";

int main(int argc, char **argv)
{
    const long models = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
    const long jobs = argc > 2 ? strtol(argv[2], NULL, 10) : 2;
    double *year[YEARS] = {NULL};
    tp_project_input *in = NULL;
    tp_pricing *pricing = NULL;
    tp_model_price price;
    tp_error err;
    int rc = 1;
    if (models < 1 || models > 200 || jobs < 1 || jobs > 64) {
        fprintf(stderr, "usage: bench_project [MODELS 1..200] [JOBS 1..64]\n");
        return 2;
    }
    synth_minute *m = calloc((size_t)DAYS * 1440, sizeof *m);
    in = calloc((size_t)models, sizeof *in);
    if (m == NULL || in == NULL ||
        tp_pricing_parse("catalog", catalog, sizeof catalog - 1, &pricing, &err) != TP_OK ||
        tp_pricing_lookup(pricing, "bench", &price, NULL, NULL, &err) != TP_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        goto cleanup;
    }
    for (int k = 0; k < YEARS; k++)
        if ((year[k] = make_year(k, m)) == NULL)
            goto cleanup;
    static char names[200][32];
    const size_t n = (size_t)DAYS * 1440;
    for (long k = 0; k < models; k++) {
        const double *b = year[k % YEARS];
        snprintf(names[k], sizeof names[k], "bench.model-%02ld", k);
        in[k].model = names[k];
        in[k].demand = (tp_demand){b, b + n, b + 2 * n, b + 3 * n, n, 1767225600 / 60};
        in[k].price = price;
    }
    const double one = median_run(in, 1, 1), fleet = median_run(in, (size_t)models, (int)jobs);
    if (one < 0 || fleet < 0)
        goto cleanup;
    printf("project, %d days of history, 12 months, 1000 samples (median of 3):\n", DAYS);
    printf("  1 model, 1 job:        %.3f s\n", one);
    printf("  %ld models, %ld job%s:     %.3f s\n", models, jobs, jobs == 1 ? "" : "s", fleet);
    rc = 0;
cleanup:
    for (int k = 0; k < YEARS; k++)
        free(year[k]);
    free(m);
    free(in);
    tp_pricing_free(pricing);
    return rc;
}
