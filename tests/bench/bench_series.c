/* bench_series.c - ingest of many distinct series: time linear in series, memory bounded by
 * the input's size (docs/performance.md, "Many series").
 *
 * Writes get-metric-data files of N and 2N one-point results (the shape that costs the most
 * memory per byte: each result is a series of its own) and a CSV of 2N one-point series,
 * then ingests each into a new database in a child process and reports the wall time and the
 * child's peak RSS (getrusage) against the documented bound, 12x the file + 64 MiB.
 * Fails (exit 1) when a peak is over the bound or 2N series take over 3x the time of N.
 * Usage: bench_series [N]   (default 100000)
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tierplan/tierplan.h"

static const char *const metrics[4] = {"InputTokenCount", "OutputTokenCount", "Invocations",
                                       "CacheReadInputTokenCount"};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* n results of one point each: four metrics of n / 4 models, as `aws cloudwatch
 * get-metric-data` writes them (one line per result here; the AWS CLI indents). */
static int write_json(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("{\"MetricDataResults\": [\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f,
                "%s{\"Id\": \"q%ld\", \"Label\": \"ModelId=bench.model-%ld %s Period=60 "
                "End=2026-01-02T00:00:00Z\", \"Timestamps\": [\"2026-01-01T00:%02ld:00Z\"], "
                "\"Values\": [%ld], \"StatusCode\": \"Complete\"}",
                i ? ",\n" : "", i, i / 4, metrics[i % 4], i % 60, i + 1);
    fputs("\n], \"Messages\": []}\n", f);
    return fclose(f);
}

static int write_csv(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("timestamp,model,metric,value,period_s\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "2026-01-01T00:%02ld:00Z,m%ld,%s,%ld,60\n", i % 60, i / 4, metrics[i % 4],
                i + 1);
    return fclose(f);
}

/* Ingests path into a new database db in a child; its wall time and peak RSS in bytes. */
static int run(const char *path, const char *db, double *secs, long *rss_bytes)
{
    unlink(db);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        tp_store *s = NULL;
        tp_ingest *ing = NULL;
        tp_error err;
        int bad =
            tp_store_open(db, &s, &err) != TP_OK || tp_ingest_begin(s, NULL, &ing, &err) != TP_OK ||
            tp_ingest_file(ing, path, NULL, &err) != TP_OK || tp_ingest_commit(ing, &err) != TP_OK;
        if (bad)
            fprintf(stderr, "bench_series: %s\n", err.message);
        tp_ingest_free(ing);
        tp_store_close(s);
        _exit(bad);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || status != 0)
        return -1;
    *secs = now_s() - t0;
    *rss_bytes = ru.ru_maxrss * 1024L;
    return 0;
}

/* Ingests one file and prints a row; 0 when its peak is within the bound. */
static int measure(const char *label, const char *path, const char *db, double *secs)
{
    struct stat st;
    long rss;
    if (stat(path, &st) != 0 || run(path, db, secs, &rss) != 0) {
        fprintf(stderr, "bench_series: %s failed\n", path);
        return -1;
    }
    const double mib = 1024.0 * 1024.0, bound = 12.0 * (double)st.st_size + 64 * mib;
    printf("%-22s %8.1f MiB %8.2f s %8.1f MiB peak RSS (%.1fx the file; bound %.1f MiB) %s\n",
           label, (double)st.st_size / mib, *secs, (double)rss / mib,
           (double)rss / (double)st.st_size, bound / mib, rss <= bound ? "ok" : "OVER");
    return rss <= bound ? 0 : -1;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    char dir[] = "/tmp/tierplan-bench-series-XXXXXX", a[96], b[96], c[96], db[96];
    if (n < 4 || mkdtemp(dir) == NULL)
        return 2;
    snprintf(a, sizeof a, "%s/n.json", dir);
    snprintf(b, sizeof b, "%s/2n.json", dir);
    snprintf(c, sizeof c, "%s/2n.csv", dir);
    snprintf(db, sizeof db, "%s/bench.db", dir);
    if (write_json(a, n) != 0 || write_json(b, 2 * n) != 0 || write_csv(c, 2 * n) != 0)
        return 2;
    char la[48], lb[48], lc[48];
    snprintf(la, sizeof la, "%ld results (json)", n);
    snprintf(lb, sizeof lb, "%ld results (json)", 2 * n);
    snprintf(lc, sizeof lc, "%ld series (csv)", 2 * n);
    double ta = 0, tb = 0, tc = 0;
    int bad = measure(la, a, db, &ta) != 0;
    bad |= measure(lb, b, db, &tb) != 0;
    bad |= measure(lc, c, db, &tc) != 0;
    const double ratio = ta > 0 ? tb / ta : 0;
    printf("time for 2N / time for N: %.2f (linear: 2.0)%s\n", ratio, ratio > 3 ? " TOO SLOW" : "");
    unlink(a);
    unlink(b);
    unlink(c);
    unlink(db);
    char side[128];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
    rmdir(dir);
    return bad || ratio > 3;
}
