/* bench_report.c - times the fleet report (tp_fleet_run: load, stats, recommend per model)
 * over MODELS synthetic model-years stored in one database, with 1 and 2 worker threads
 * (docs/performance.md, "The fleet report").
 *
 * Each model is the synthetic year bench_ingest uses (tests/tools/synth.c) with its own seed
 * and peak, ingested once into a scratch database (that setup is not timed). Each job count
 * runs once to warm up and 3 times; the median is printed, and the ratio 1 job / 2 jobs.
 *
 * usage: bench_report [MODELS 1..200] [DAYS 2..366] [DB|-] [JOBS 1|2]   (defaults: 50, 365)
 * With DB, the database is kept there for profiling and comparing outputs (tierplan report
 * --db DB), and reused as is when it exists already (then MODELS and DAYS are not checked
 * against it); "-" keeps none. With JOBS only that job count runs (for a profile).
 * Besides the wall times it prints the CPU time (user + system, all threads) per fleet run,
 * which a busy machine disturbs far less than the wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "tierplan/tierplan.h"
#include "../tools/synth.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of the whole process so far: every thread's. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Writes model k's history as JSON pages under dir and ingests them into store. */
static int add_model(tp_store *store, const char *dir, int k, long days, synth_minute *m)
{
    char model[64], prefix[600], *paths[64];
    int n_pages, rc = -1;
    tp_error err;
    tp_ingest *ing = NULL;
    snprintf(model, sizeof model, "bench.model-%02d", k);
    synth_params p = {0};
    p.model = model;
    p.start_s = 1767225600; /* 2026-01-01T00:00:00Z */
    p.minutes = days * 1440;
    p.peak_prompt_tpm = 200000.0 * (1 + k % 10);
    p.cache_hit = 0.6;
    p.cache_write = 0.03;
    p.output_ratio = 0.15;
    p.seed = 2026 + (uint64_t)k;
    p.omit_idle = 1;
    snprintf(prefix, sizeof prefix, "%s/m%02d", dir, k);
    if (synth_generate(&p, m) != 0 ||
        (n_pages = synth_write_pages(&p, m, 100800, prefix, 1)) < 1 || n_pages > 64) {
        fprintf(stderr, "bench: generating model %d failed\n", k);
        return -1;
    }
    for (int i = 0; i < n_pages; i++) {
        paths[i] = malloc(640);
        snprintf(paths[i], 640, "%s-page%02d.json", prefix, i + 1);
    }
    if (tp_ingest_begin(store, NULL, &ing, &err) == TP_OK &&
        tp_ingest_files(ing, (const char *const *)paths, (size_t)n_pages, NULL, &err) == TP_OK &&
        tp_ingest_commit(ing, &err) == TP_OK)
        rc = 0;
    else
        fprintf(stderr, "bench: %s\n", err.message);
    tp_ingest_free(ing);
    for (int i = 0; i < n_pages; i++) {
        remove(paths[i]);
        free(paths[i]);
    }
    return rc;
}

/* One fleet run with `jobs` workers: seconds, or -1. */
static double run_fleet(const char *db, const tp_pricing *pricing, int jobs)
{
    tp_fleet_options o = {0};
    tp_fleet *f = NULL;
    tp_error err;
    o.db_path = db;
    o.pricing = pricing;
    o.jobs = jobs;
    const double t0 = now_s();
    if (tp_fleet_run(&o, &f, &err) != TP_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        return -1;
    }
    const double t = now_s() - t0;
    tp_fleet_free(f);
    return t;
}

/* Median wall seconds of 3 runs after a warm-up; *cpu receives the mean CPU seconds (all
 * threads, user + system) of those 3 runs: steadier than wall time on a shared machine. */
static double median_run(const char *db, const tp_pricing *pricing, int jobs, double *cpu)
{
    double t[3];
    if (run_fleet(db, pricing, jobs) < 0)
        return -1;
    const double c0 = cpu_s();
    for (int i = 0; i < 3; i++)
        if ((t[i] = run_fleet(db, pricing, jobs)) < 0)
            return -1;
    *cpu = (cpu_s() - c0) / 3;
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
    const long days = argc > 2 ? strtol(argv[2], NULL, 10) : 365;
    const char *keep = argc > 3 && strcmp(argv[3], "-") != 0 ? argv[3] : NULL;
    const int only_jobs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 0;
    char dir[] = "/tmp/tierplan-bench-report-XXXXXX", db[600], cmd[160];
    tp_store *store = NULL;
    tp_pricing *pricing = NULL;
    tp_error err;
    int rc = 1;
    if (models < 1 || models > 200 || days < 2 || days > 366 || only_jobs < 0 ||
        only_jobs > 2 || mkdtemp(dir) == NULL) {
        fprintf(stderr, "usage: bench_report [MODELS 1..200] [DAYS 2..366] [DB|-] [JOBS 1|2]\n");
        return 2;
    }
    snprintf(db, sizeof db, "%s", keep != NULL ? keep : dir);
    if (keep == NULL)
        snprintf(db, sizeof db, "%s/fleet.db", dir);
    synth_minute *m = calloc((size_t)days * 1440, sizeof *m);
    if (m == NULL ||
        tp_pricing_parse("catalog", catalog, sizeof catalog - 1, &pricing, &err) != TP_OK)
        goto cleanup;
    if (keep == NULL || access(keep, F_OK) != 0) {
        const double t0 = now_s();
        if (tp_store_open(db, &store, &err) != TP_OK)
            goto cleanup;
        for (int k = 0; k < models; k++)
            if (add_model(store, dir, k, days, m) != 0)
                goto cleanup;
        tp_store_close(store);
        store = NULL;
        printf("setup: %ld models x %ld days ingested in %.1f s (not timed below)\n", models,
               days, now_s() - t0);
    }
    double c1 = 0, c2 = 0;
    const double t1 = only_jobs != 2 ? median_run(db, pricing, 1, &c1) : 0;
    const double t2 = only_jobs != 1 ? median_run(db, pricing, 2, &c2) : 0;
    if (t1 < 0 || t2 < 0)
        goto cleanup;
    if (only_jobs == 0)
        printf("fleet report, %ld models x %ld days: --jobs 1 %.3f s, --jobs 2 %.3f s, "
               "ratio %.2fx (online cores: %ld)\n",
               models, days, t1, t2, t1 / t2, sysconf(_SC_NPROCESSORS_ONLN));
    else
        printf("fleet report, %ld models x %ld days: --jobs %d %.3f s (online cores: %ld)\n",
               models, days, only_jobs, only_jobs == 1 ? t1 : t2,
               sysconf(_SC_NPROCESSORS_ONLN));
    printf("CPU per fleet run (user + system, mean of 3): --jobs 1 %.2f s, --jobs 2 %.2f s\n",
           c1, c2);
    rc = 0;
cleanup:
    tp_store_close(store);
    tp_pricing_free(pricing);
    free(m);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
