/* bench_units.c - times the unit search (Azure PTU shape) on a synthetic year against
 * today's Bedrock recommend on the same minutes, in the same run (docs/performance.md, "Unit
 * -based providers"). Target: the PTU search within 2x the Bedrock recommend.
 *
 * The year is bench_quota's synthetic traffic (tests/tools/synth.c, same seed and shape). Each
 * configuration runs once to warm up and 3 times; the median is printed.
 *
 * usage: bench_units [DAYS 1..1000]   (default 365) */
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

typedef struct job {
    const tp_demand *d;
    const tp_model_price *p;
    int kind; /* 0 Bedrock recommend, 1 unit optimum, 2 split, 3 every term and split */
} job;

static int run_job(const job *j, tp_error *err)
{
    static tp_recommendation rec;
    tp_rec_options ro = {0};
    tp_units_options uo = {0};
    tp_units_result r;
    tp_units_split_result s;
    static tp_units_plan plan;
    switch (j->kind) {
    case 0: return tp_recommend_run(j->d, j->p, &ro, &rec, err) != TP_OK;
    case 1:
        uo.term = TP_UNIT_1_YEAR;
        return tp_units_optimum(j->d, j->p, &uo, &r, err) != TP_OK;
    case 2:
        uo.term = TP_UNIT_1_YEAR;
        return tp_units_split(j->d, j->p, &uo, &s, err) != TP_OK;
    default: return tp_units_plan_run(j->d, j->p, &uo, &plan, err) != TP_OK;
    }
}

/* Median seconds of 3 runs after a warm-up; -1 on failure. */
static double time_job(const job *j)
{
    double t[3];
    tp_error err;
    for (int i = -1; i < 3; i++) {
        const double t0 = now_s();
        if (run_job(j, &err) != 0) {
            fprintf(stderr, "bench_units: %s\n", err.message);
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
    if (days < 1 || days > 1000) {
        fprintf(stderr, "usage: bench_units [DAYS 1..1000]\n");
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
    const tp_model_price bedrock = base_price(1);
    /* gpt-4.1's unit model (3,000 TPM a PTU, output x4, minimum 15, step 5), the Sonnet
     * sample's on-demand prices, the shipped example PTU prices */
    tp_model_price ptu = base_price(1);
    ptu.provider = TP_PROVIDER_AZURE_PTU;
    snprintf(ptu.unit.name, sizeof ptu.unit.name, "PTU");
    ptu.unit.capacity_tpm_per_unit = 3000;
    ptu.unit.output_weight = 4;
    ptu.unit.cache_write_weight = 1;
    ptu.unit.minimum_units = 15;
    ptu.unit.step_units = 5;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        ptu.unit.per_unit_hour_usd[t] = -1;
    ptu.unit.per_unit_hour_usd[TP_UNIT_HOURLY] = 1.0;
    ptu.unit.per_unit_hour_usd[TP_UNIT_1_MONTH] = 0.356164;
    ptu.unit.per_unit_hour_usd[TP_UNIT_1_YEAR] = 0.30274;
    const struct {
        const char *name;
        job j;
    } runs[] = {
        {"Bedrock recommend (baseline)", {&d, &bedrock, 0}},
        {"PTU optimum, 1 year", {&d, &ptu, 1}},
        {"PTU reservation + hourly, 1 year", {&d, &ptu, 2}},
        {"PTU plan: 3 terms + 2 splits", {&d, &ptu, 3}},
    };
    printf("%d days (%zu minutes)\n", days, n);
    double base = -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        const double s = time_job(&runs[i].j);
        if (s < 0) {
            rc = 1;
            continue;
        }
        if (i == 0)
            base = s;
        printf("%-36s %8.3f s  %5.2fx the baseline\n", runs[i].name, s, base > 0 ? s / base : 0);
    }
    free(m);
    for (int k = 0; k < 4; k++)
        free(col[k]);
    return rc;
}
