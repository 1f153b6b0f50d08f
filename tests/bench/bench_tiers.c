/* bench_tiers.c - the routing search over three tiers against today's single-stream recommend
 * on a year of per-minute demand (docs/performance.md, "Routing by service tier"). */
#include <math.h>
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

int main(void)
{
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
    double t0 = now_s();
    if (tp_recommend_run(&one, &p, &o, &r, &err) != TP_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    const double single = now_s() - t0;
    t0 = now_s();
    if (tp_recommend_tiers_run(&td, &p, &o, &r, &err) != TP_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    const double tiers = now_s() - t0;
    printf("single-stream recommend: %.3f s; routing search over 3 tiers: %.3f s; ratio %.2f\n",
           single, tiers, tiers / single);
    for (int k = 0; k < 3; k++)
        for (int m = 0; m < 4; m++)
            free(a[k][m]);
    for (int m = 0; m < 4; m++)
        free(sum[m]);
    tp_pricing_free(cat);
    return 0;
}
