/* bench_tiers.c - the routing search over three tiers against today's single-stream recommend
 * on a year of per-minute demand (docs/performance.md, "Routing by service tier"). The two
 * alternate, round after round (first argument: rounds, default 7, after one warm-up round),
 * so that each ratio compares runs made moments apart on a shared machine; it prints each
 * figure's minimum and median, wall and CPU (all threads).
 *
 * Each call runs as in a fresh process, as the CLI runs it: its large buffers are mapped anew
 * (glibc's malloc otherwise learns, after the first free, to keep blocks of up to 32 MB in its
 * heap, and a second call finds a year's arrays already mapped). Second argument "warm": let
 * it learn, the figures of a caller that recommends again and again in one process. */
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tierplan/pricing.h"
#include "tierplan/recommend.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *catalog =
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0,\"flex\":0.5,"
    "\"batch\":0.5},\"models\":{\"m\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,"
    "\"cache_read\":0.3,\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,"
    "\"output\":0.60},\"reserved_minimum_tpm\":{\"input\":0,\"output\":0},"
    "\"reserved_step_tpm\":1000}}}";

/* CPU seconds of the whole process (every thread): what the work costs whatever the load. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v (n > 0) and prints its minimum and median. */
static void print_min_median(const char *what, double *v, int n, const char *unit)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%-34s min %7.3f%s  median %7.3f%s\n", what, v[0], unit, median, unit);
}

#define MAX_ROUNDS 100

int main(int argc, char **argv)
{
    const int rounds = argc > 1 ? atoi(argv[1]) : 7;
    const int warm = argc > 2 && strcmp(argv[2], "warm") == 0;
    if (rounds < 1 || rounds > MAX_ROUNDS || (argc > 2 && !warm) || argc > 3) {
        fprintf(stderr, "usage: bench_tiers [ROUNDS, 1 to %d [warm]]\n", MAX_ROUNDS);
        return 2;
    }
#ifdef __GLIBC__
    if (!warm) /* a fixed threshold: blocks over 128 KiB always mapped anew */
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    const size_t n = 525600; /* a year of minutes */
    double *a[3][4];
    tp_pricing *cat = NULL;
    tp_model_price p;
    tp_error err;
    if (tp_pricing_parse("bench", catalog, strlen(catalog), &cat, &err) != TP_OK ||
        tp_pricing_lookup(cat, "m", &p, NULL, NULL, &err) != TP_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    srand(7);
    for (int k = 0; k < 3; k++)
        for (int m = 0; m < 4; m++)
            if ((a[k][m] = malloc(n * sizeof(double))) == NULL)
                return 1;
    double *sum[4];
    for (int m = 0; m < 4; m++)
        if ((sum[m] = calloc(n, sizeof(double))) == NULL)
            return 1;
    const double scale[3] = {100000, 40000, 60000}; /* default, priority, flex */
    for (size_t t = 0; t < n; t++) {
        const double day = 0.6 + 0.4 * sin((double)(t % 1440) / 1440.0 * 6.283);
        for (int k = 0; k < 3; k++) {
            const double x = scale[k] * day * (0.5 + (double)rand() / RAND_MAX);
            const double v[4] = {x, 0.12 * x, 0.5 * x, 0.02 * x};
            for (int m = 0; m < 4; m++) {
                a[k][m][t] = v[m];
                sum[m][t] += v[m];
            }
        }
    }
    tp_tier_demand td;
    memset(&td, 0, sizeof td);
    td.minutes = n;
    const int tier[3] = {TP_SERVICE_DEFAULT, TP_SERVICE_PRIORITY, TP_SERVICE_FLEX};
    for (int k = 0; k < 3; k++) {
        const tp_demand d = {a[k][0], a[k][1], a[k][2], a[k][3], n, 0};
        td.tier[tier[k]] = d;
    }
    const tp_demand one = {sum[0], sum[1], sum[2], sum[3], n, 0};
    tp_rec_options o = {0};
    tp_recommendation r;
    double single[MAX_ROUNDS], tiers[MAX_ROUNDS], ratio[MAX_ROUNDS];
    double single_cpu[MAX_ROUNDS], tiers_cpu[MAX_ROUNDS], ratio_cpu[MAX_ROUNDS];
    for (int k = -1; k < rounds; k++) { /* round -1 warms up */
        double t0 = now_s(), c0 = cpu_s();
        if (tp_recommend_run(&one, &p, &o, &r, &err) != TP_OK)
            return fprintf(stderr, "%s\n", err.message), 1;
        const double t_single = now_s() - t0, c_single = cpu_s() - c0;
        t0 = now_s();
        c0 = cpu_s();
        if (tp_recommend_tiers_run(&td, &p, &o, &r, &err) != TP_OK)
            return fprintf(stderr, "%s\n", err.message), 1;
        const double t_tiers = now_s() - t0, c_tiers = cpu_s() - c0;
        if (k < 0)
            continue;
        single[k] = t_single;
        tiers[k] = t_tiers;
        ratio[k] = t_tiers / t_single;
        single_cpu[k] = c_single;
        tiers_cpu[k] = c_tiers;
        ratio_cpu[k] = c_tiers / c_single;
    }
    printf("%d rounds, a year (%zu minutes), single stream then 3 tiers in each (%s):\n",
           rounds, n, warm ? "warm" : "as in a fresh process");
    print_min_median("single-stream recommend", single, rounds, " s");
    print_min_median("routing search over 3 tiers", tiers, rounds, " s");
    print_min_median("ratio, round by round (target 4)", ratio, rounds, "  ");
    print_min_median("single-stream recommend, CPU", single_cpu, rounds, " s");
    print_min_median("routing search over 3 tiers, CPU", tiers_cpu, rounds, " s");
    print_min_median("CPU ratio, round by round", ratio_cpu, rounds, "  ");
    for (int k = 0; k < 3; k++)
        for (int m = 0; m < 4; m++)
            free(a[k][m]);
    for (int m = 0; m < 4; m++)
        free(sum[m]);
    tp_pricing_free(cat);
    return 0;
}
