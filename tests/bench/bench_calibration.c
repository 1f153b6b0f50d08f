/* bench_calibration.c - how often a projection's bands hold what happens: histories drawn from
 * known processes, each projected one month ahead from 6 weeks, and the realised month's
 * on-demand cost checked against P10..P90 and P25..P75 (docs/model.md, "Calibration").
 *
 * Each trial draws 72 daily totals of effective input tokens (42 days of history,
 * 2026-09-20 .. 10-31, and the 30 days of November), flat within each day, with a weekly shape
 * (weekdays 1, Saturday 0.6, Sunday 0.5) and log-normal day-to-day noise of standard
 * deviation 0.15 around a level of 1e8 tokens a day:
 *   iid        independent days
 *   ar0.7      log noise AR(1), day-to-day autocorrelation 0.7 (stationary sd 0.15)
 *   ar0.9      the same at 0.9
 *   shift      independent days; the level moves by +/-30% on a day drawn in 14 .. 35
 *   growth     independent days growing at a monthly rate drawn in -2% .. +6%, compounding
 * tierplan projects November (growth fitted, as a user would run it) with 400 samples; the
 * realised cost is the 30 days' tokens at 3 USD per million. Coverage is the share of trials
 * whose realised cost lies within the band (nominal 80% and 50%).
 *
 * usage: bench_calibration [TRIALS 10..5000]   (default 200 per process) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tierplan/tierplan.h"

#define HIST_DAYS 42
#define NEXT_DAYS 30
#define DAYS (HIST_DAYS + NEXT_DAYS)
#define SAMPLES 400
#define FIRST_DAY 20716 /* 2026-09-20, a Sunday */
#define SIGMA 0.15
#define LEVEL 1e8

static uint64_t rng = 88172645463325252u;

static double uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1.0p-53;
}

static double normal(void)
{
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Monday 0 .. Sunday 6 of a Unix day (1970-01-01 was a Thursday). */
static int weekday(int64_t day)
{
    return (int)((day % 7 + 7 + 3) % 7);
}

enum { P_IID, P_AR7, P_AR9, P_SHIFT, P_GROWTH, P_COUNT };
static const char *const names[P_COUNT] = {"independent days", "autocorrelated 0.7",
                                           "autocorrelated 0.9", "level shift +/-30%",
                                           "growth -2% .. +6%/month"};

/* The daily totals of one trial of process p. */
static void draw(int p, double y[DAYS])
{
    static const double shape[7] = {1, 1, 1, 1, 1, 0.6, 0.5};
    const double phi = p == P_AR7 ? 0.7 : p == P_AR9 ? 0.9 : 0.0;
    const int shift_day = 14 + (int)(uniform() * 22);
    const double shift = uniform() < 0.5 ? 1.3 : 0.7;
    const double rate = -0.02 + 0.08 * uniform();
    double x = SIGMA * normal();
    for (int d = 0; d < DAYS; d++) {
        if (d > 0)
            x = phi * x + sqrt(1 - phi * phi) * SIGMA * normal();
        double v = LEVEL * shape[weekday(FIRST_DAY + d)] * exp(x - SIGMA * SIGMA / 2);
        if (p == P_SHIFT && d >= shift_day)
            v *= shift;
        if (p == P_GROWTH)
            v *= pow(1 + rate, (d - (HIST_DAYS - 1)) / TP_DAYS_PER_MONTH);
        y[d] = v;
    }
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of n sorted values, interpolated as gsl_stats_quantile_from_sorted_data. */
static double quantile(const double *v, size_t n, double q)
{
    const double h = (double)(n - 1) * q;
    const size_t i = (size_t)h;
    return i + 1 < n ? v[i] + (h - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

static const char catalog[] =
    "{\"currency\": \"USD\", \"tiers\": {\"priority\": 1.75, \"standard\": 1.0}, \"models\": "
    "{\"*\": {\"on_demand_per_million\": {\"input\": 3, \"output\": 15, \"cache_read\": 0.3, "
    "\"cache_write\": 3.75}, \"reserved_per_1k_tpm_hour\": {\"input\": 0.12, \"output\": 0.6}, "
    "\"reserved_example\": true}}}";

int main(int argc, char **argv)
{
    const long trials = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    tp_pricing *pricing = NULL;
    tp_model_price price;
    tp_error err;
    const size_t n = (size_t)HIST_DAYS * 1440;
    double *b = calloc(4 * n, sizeof *b), cost[SAMPLES];
    int rc = 1;
    if (trials < 10 || trials > 5000) {
        fprintf(stderr, "usage: bench_calibration [TRIALS 10..5000]\n");
        free(b);
        return 2;
    }
    if (b == NULL ||
        tp_pricing_parse("catalog", catalog, sizeof catalog - 1, &pricing, &err) != TP_OK ||
        tp_pricing_lookup(pricing, "bench", &price, NULL, NULL, &err) != TP_OK) {
        fprintf(stderr, "bench: %s\n", b == NULL ? "out of memory" : err.message);
        goto cleanup;
    }
    const clock_t t0 = clock();
    printf("calibration: %ld trials per process, 6 weeks of history, the next month projected "
           "with %d samples (growth fitted)\n\n",
           trials, SAMPLES);
    printf("| process | P10..P90 held (nominal 80%%) | P25..P75 held (nominal 50%%) | median "
           "P10..P90 width, %% of P50 |\n| --- | ---: | ---: | ---: |\n");
    for (int p = 0; p < P_COUNT; p++) {
        long in80 = 0, in50 = 0;
        double *width = malloc((size_t)trials * sizeof *width);
        if (width == NULL)
            goto cleanup;
        for (long t = 0; t < trials; t++) {
            double y[DAYS], real = 0;
            draw(p, y);
            for (int d = 0; d < HIST_DAYS; d++)
                for (size_t m = 0; m < 1440; m++)
                    b[(size_t)d * 1440 + m] = y[d] / 1440.0;
            for (int d = HIST_DAYS; d < DAYS; d++)
                real += y[d] * 3e-6;
            tp_project_input in;
            memset(&in, 0, sizeof in);
            in.model = "bench";
            in.demand = (tp_demand){b, b + n, b + 2 * n, b + 3 * n, n, (int64_t)FIRST_DAY * 1440};
            in.price = price;
            tp_project_options o = {0};
            tp_projection *pr = NULL;
            o.months = 1;
            o.has_start = 1, o.start_year = 2026, o.start_month = 11;
            o.samples = SAMPLES;
            o.seed = (unsigned long)(1000 * p + t);
            o.keep_samples = 1;
            if (tp_project_demand(&in, 1, &o, &pr, &err) != TP_OK) {
                fprintf(stderr, "bench: %s\n", err.message);
                free(width);
                goto cleanup;
            }
            memcpy(cost, pr->models[0].sample_cost_usd, sizeof cost); /* on demand, month 0 */
            tp_project_free(pr);
            qsort(cost, SAMPLES, sizeof cost[0], cmp_double);
            const double p10 = quantile(cost, SAMPLES, 0.1), p90 = quantile(cost, SAMPLES, 0.9);
            in80 += real >= p10 && real <= p90;
            in50 += real >= quantile(cost, SAMPLES, 0.25) && real <= quantile(cost, SAMPLES, 0.75);
            width[t] = 100 * (p90 - p10) / quantile(cost, SAMPLES, 0.5);
        }
        qsort(width, (size_t)trials, sizeof *width, cmp_double);
        printf("| %s | %.0f%% | %.0f%% | %.1f%% |\n", names[p], 100.0 * (double)in80 / trials,
               100.0 * (double)in50 / trials, quantile(width, (size_t)trials, 0.5));
        fflush(stdout);
        free(width);
    }
    printf("\n%.1f s of CPU\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    rc = 0;
cleanup:
    free(b);
    tp_pricing_free(pricing);
    return rc;
}
