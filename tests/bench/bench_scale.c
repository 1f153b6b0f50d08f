/* bench_scale.c - cost at organisation scale (docs/performance.md, "Organisation scale"):
 * showback over many distinct keys and the ingest of many one-record log objects, each at a
 * tenth of the size and at the size, so that the ratio of the two shows whether the cost is
 * linear (10x the input: about 10x the time; it was quadratic before schema version 5 and the
 * sorted cents).
 *
 * Keys: writes K invocation records of K distinct identities over one day, ingests them, then
 * runs tp_showback_run in a child and reports its wall time and peak RSS (getrusage); checks
 * that every key has its line and the cents add up. Objects: writes M files of one record each
 * (1,000 a folder) and ingests the folder in a child as `tierplan ingest DIR` does; checks that
 * every record was stored. Fails (exit 1) when a check fails.
 * Usage: bench_scale [KEYS [OBJECTS]]   (defaults 1000000 and 100000; 0 skips a part)
 */
#define _DEFAULT_SOURCE /* wait4, mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tierplan/tierplan.h"

#define MODEL "anthropic.claude-haiku-4-5-20251001-v1:0"
#define DAY0 1755216000 /* 2025-08-15T00:00Z */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Record i: identity u<i>, minute i mod 1440 of the day, 100..196 input and 10..22 output
 * tokens. */
static void record(FILE *f, long i)
{
    const long m = i % 1440;
    fprintf(f,
            "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":"
            "\"2025-08-15T%02ld:%02ld:%02ldZ\",\"accountId\":\"123456789012\",\"identity\":"
            "{\"arn\":\"arn:aws:iam::123456789012:user/u%07ld\"},\"region\":\"us-east-1\","
            "\"requestId\":\"r%ld\",\"operation\":\"Converse\",\"modelId\":\"" MODEL "\","
            "\"input\":{\"inputTokenCount\":%ld},\"output\":{\"outputTokenCount\":%ld}}\n",
            m / 60, m % 60, i % 60, i, i, 100 + i % 97, 10 + i % 13);
}

typedef int (*child_fn)(const char *db, const char *input, long n);

/* Runs fn in a child; 0 with its wall time and peak RSS (KiB) when it exits 0. */
static int in_child(child_fn fn, const char *db, const char *input, long n, double *secs,
                    long *rss_kib)
{
    const double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(db, input, n));
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    *secs = now_s() - t0;
    *rss_kib = ru.ru_maxrss;
    return 0;
}

/* Ingests every input under path into db (a folder: recursively, in name order); exits 0 when
 * n records were read. */
static int ingest(const char *db, const char *path, long n)
{
    tp_store *s = NULL;
    tp_ingest *ing = NULL;
    tp_error err = {0};
    char **paths = NULL;
    size_t n_paths = 0, records = 0;
    tp_ingest_summary *sums = NULL;
    int ok = tp_store_open(db, &s, &err) == TP_OK &&
             tp_ingest_expand_path(path, &paths, &n_paths, &err) == TP_OK &&
             (sums = calloc(n_paths, sizeof *sums)) != NULL &&
             tp_ingest_begin(s, NULL, &ing, &err) == TP_OK &&
             tp_ingest_files(ing, (const char *const *)paths, n_paths, sums, &err) == TP_OK &&
             tp_ingest_commit(ing, &err) == TP_OK;
    for (size_t i = 0; ok && i < n_paths; i++)
        records += sums[i].records;
    if (!ok)
        fprintf(stderr, "bench_scale: %s\n", err.message);
    else if (records != (size_t)n)
        fprintf(stderr, "bench_scale: %zu records read of %ld\n", records, n);
    tp_strv_free(paths, n_paths);
    free(sums);
    tp_ingest_free(ing);
    tp_store_close(s);
    return ok && records == (size_t)n ? 0 : 1;
}

/* The showback of the day with 5,000 input TPM reserved; exits 0 when each of the n keys has
 * its line and the cents add up. */
static int showback(const char *db, const char *unused, long n)
{
    (void)unused;
    tp_store *s = NULL;
    tp_showback *sb = NULL;
    tp_error err = {0};
    tp_series_query q = {0};
    tp_showback_options o = {0};
    tp_model_price p;
    memset(&p, 0, sizeof p);
    p.input_per_million_usd = 1, p.output_per_million_usd = 5;
    p.reserved_input_per_1k_tpm_hour_usd = 6, p.burn_down_cache_write = 1;
    p.quota_output_weight = 1, p.tier_multiplier[TP_TIER_STANDARD] = 1;
    q.model = MODEL;
    q.has_from = q.has_to = 1, q.from_minute = DAY0 / 60, q.to_minute = DAY0 / 60 + 1440;
    o.reserve_input_tpm = 5000, o.spill_model = TP_SPILL_INDEPENDENT;
    int ok = tp_store_open_mode(db, TP_STORE_READONLY, &s, &err) == TP_OK &&
             tp_showback_run(s, &q, &p, &o, &sb, &err) == TP_OK;
    if (!ok)
        fprintf(stderr, "bench_scale: %s\n", err.message);
    size_t keys = 0;
    int64_t cents = 0;
    for (size_t i = 0; ok && i < sb->n_lines; i++) {
        keys += !sb->lines[i].idle;
        cents += sb->lines[i].total_cents;
    }
    if (ok && (keys != (size_t)n || cents != sb->total_cents)) {
        fprintf(stderr, "bench_scale: %zu keys of %ld, %lld cents of %lld\n", keys, n,
                (long long)cents, (long long)sb->total_cents);
        ok = 0;
    }
    tp_showback_free(sb);
    tp_store_close(s);
    return ok ? 0 : 1;
}

typedef struct run {
    long n;
    double ingest_s, run_s;
    long ingest_rss, run_rss;
} run;

static int keys_run(const char *dir, long n, run *r)
{
    char path[600], db[600];
    snprintf(path, sizeof path, "%s/keys-%ld.jsonl", dir, n);
    snprintf(db, sizeof db, "%s/keys.db", dir);
    unlink(db);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    for (long i = 0; i < n; i++)
        record(f, i);
    int rc = fclose(f) != 0 ? -1 : 0;
    r->n = n;
    if (rc == 0 && (in_child(ingest, db, path, n, &r->ingest_s, &r->ingest_rss) != 0 ||
                    in_child(showback, db, NULL, n, &r->run_s, &r->run_rss) != 0))
        rc = -1;
    unlink(path);
    unlink(db);
    return rc;
}

static int objects_run(const char *dir, long n, run *r)
{
    char sub[600], path[700], db[600], cmd[800];
    snprintf(db, sizeof db, "%s/objects.db", dir);
    unlink(db);
    int rc = 0;
    for (long i = 0; rc == 0 && i < n; i++) {
        snprintf(sub, sizeof sub, "%s/objects/%04ld", dir, i / 1000);
        if (i % 1000 == 0) {
            snprintf(path, sizeof path, "%s/objects", dir);
            mkdir(path, 0700);
            mkdir(sub, 0700);
        }
        snprintf(path, sizeof path, "%s/o%07ld.json", sub, i);
        FILE *f = fopen(path, "w");
        if (f == NULL)
            rc = -1;
        else {
            record(f, i);
            rc = fclose(f) != 0 ? -1 : 0;
        }
    }
    snprintf(path, sizeof path, "%s/objects", dir);
    r->n = n;
    if (rc == 0 && in_child(ingest, db, path, n, &r->ingest_s, &r->ingest_rss) != 0)
        rc = -1;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        rc = -1;
    unlink(db);
    return rc;
}

static void print_pair(const char *what, const run *a, const run *b, int showback_part)
{
    for (int i = 0; i < 2; i++) {
        const run *r = i ? b : a;
        printf("%-10s %9ld %10.2f %10.1f", what, r->n, r->ingest_s, (double)r->ingest_rss / 1024);
        if (showback_part)
            printf(" %10.2f %10.1f", r->run_s, (double)r->run_rss / 1024);
        printf("\n");
    }
    printf("%-10s %9s %10.2f %10s", "", "ratio", b->ingest_s / a->ingest_s, "");
    if (showback_part)
        printf(" %10.2f", b->run_s / a->run_s);
    printf("   (10x the input; linear is 10)\n");
}

int main(int argc, char **argv)
{
    const long keys = argc > 1 ? atol(argv[1]) : 1000000;
    const long objects = argc > 2 ? atol(argv[2]) : 100000;
    char dir[] = "/tmp/tp-bench-scale-XXXXXX";
    run k[2] = {{0}}, o[2] = {{0}};
    if ((keys != 0 && keys < 10) || (objects != 0 && objects < 10) || mkdtemp(dir) == NULL)
        return 2;
    int rc = 0;
    printf("%-10s %9s %10s %10s %10s %10s\n", "part", "n", "ingest s", "peak MiB", "showback s",
           "peak MiB");
    if (keys > 0 && (keys_run(dir, keys / 10, &k[0]) != 0 || keys_run(dir, keys, &k[1]) != 0))
        rc = 1;
    else if (keys > 0)
        print_pair("keys", &k[0], &k[1], 1);
    fflush(stdout);
    if (rc == 0 && objects > 0 &&
        (objects_run(dir, objects / 10, &o[0]) != 0 || objects_run(dir, objects, &o[1]) != 0))
        rc = 1;
    else if (rc == 0 && objects > 0)
        print_pair("objects", &o[0], &o[1], 0);
    rmdir(dir);
    if (rc)
        fprintf(stderr, "bench_scale: a run failed or its check did not hold\n");
    return rc;
}
