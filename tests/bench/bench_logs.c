/* bench_logs.c - ingest of invocation logs: records per second, plain and gzip, and peak
 * memory flat in the number of records (docs/performance.md, "Invocation logs").
 *
 * Writes N/10 and N generated records (three teams, bodies, cache use, errors) as JSON lines
 * and as gzip, then ingests each into a new database in a child process and reports the wall
 * time, the rate and the child's peak RSS (getrusage), and, as the floor of the gzip ingest,
 * the time zlib alone takes to inflate the same file (gzread to a buffer, best of 3, in the
 * same run): target ingest <= 4x inflate. Checks the sums against the
 * generator's truth. Fails (exit 1) when the peak for N records is over 2x the peak for N/10
 * plus 16 MiB (memory must not grow with the records), or the sums differ.
 * Usage: bench_logs [N]   (default 1000000); TP_BENCH_LOGS_KEEP_DB=prefix keeps each store
 * (of the plain input) as prefix-N.db.
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
#include <zlib.h>

#include "genlogs.h"
#include "tierplan/tierplan.h"

#define MODEL "anthropic.claude-haiku-4-5-20251001-v1:0"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Ingests path into a new database db in a child; returns 0 with the wall time and the
 * child's peak RSS in KiB. */
static int ingest_child(const char *path, const char *db, double *secs, long *rss_kib)
{
    unlink(db);
    const double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        tp_store *s = NULL;
        tp_ingest *ing = NULL;
        tp_error err;
        int ok = tp_store_open(db, &s, &err) == TP_OK &&
                 tp_ingest_begin(s, NULL, &ing, &err) == TP_OK &&
                 tp_ingest_file(ing, path, NULL, &err) == TP_OK &&
                 tp_ingest_commit(ing, &err) == TP_OK;
        if (!ok)
            fprintf(stderr, "bench_logs: %s\n", err.message);
        tp_ingest_free(ing);
        tp_store_close(s);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    *secs = now_s() - t0;
    *rss_kib = ru.ru_maxrss;
    return 0;
}

/* The store's input tokens of the model against the generator's. */
static int check_sums(const char *db, const genlogs_truth *truth, int64_t minutes)
{
    tp_store *s = NULL;
    tp_series *ser = NULL;
    tp_error err;
    tp_series_query q = {0};
    int bad = -1;
    q.model = MODEL;
    q.has_from = q.has_to = 1, q.from_minute = 1755216000 / 60;
    q.to_minute = q.from_minute + minutes;
    if (tp_store_open_mode(db, TP_STORE_READONLY, &s, &err) == TP_OK &&
        tp_series_load(s, &q, &ser, &err) == TP_OK) {
        const double *in = tp_series_values(ser, TP_METRIC_INPUT);
        bad = 0;
        for (int64_t m = 0; m < minutes; m++) {
            int64_t want = 0;
            for (int t = 0; t < GENLOGS_TEAMS; t++)
                want += truth[m * GENLOGS_TEAMS + t].input;
            bad += in[m] != (double)want;
        }
    }
    tp_series_free(ser);
    tp_store_close(s);
    return bad;
}

/* The floor: seconds zlib takes to inflate path (best of 3), or -1. */
static double inflate_s(const char *path)
{
    static char buf[1 << 16];
    double best = -1;
    for (int i = 0; i < 3; i++) {
        const double t0 = now_s();
        gzFile f = gzopen(path, "rb");
        if (f == NULL)
            return -1;
        int n;
        while ((n = gzread(f, buf, sizeof buf)) > 0)
            ;
        gzclose(f);
        if (n < 0)
            return -1;
        const double t = now_s() - t0;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

typedef struct run {
    long records;
    double inflate_s;
    double plain_s, gz_s;
    long plain_rss, gz_rss;
    long long plain_bytes, gz_bytes;
} run;

/* The generator's truth of p, regenerated (to /dev/null): it is not held while a child
 * ingests, so that the child's peak RSS is the ingest's own. NULL when out of memory. */
static genlogs_truth *truth_of(const genlogs_params *p)
{
    genlogs_truth *t = calloc((size_t)p->minutes * GENLOGS_TEAMS, sizeof *t);
    if (t != NULL && genlogs_write(p, 0, p->minutes, "/dev/null", 0, t) < 0) {
        free(t);
        t = NULL;
    }
    return t;
}

/* Ingests path and checks the sums; 0 when both succeed. */
static int ingest_and_check(const genlogs_params *p, const char *path, const char *db,
                            double *secs, long *rss)
{
    if (ingest_child(path, db, secs, rss) != 0)
        return -1;
    genlogs_truth *t = truth_of(p);
    int rc = t != NULL && check_sums(db, t, p->minutes) == 0 ? 0 : -1;
    free(t);
    return rc;
}

static int one_size(const char *dir, long target, run *r)
{
    /* 3 teams x 0..46 records a minute: 69 a minute on average */
    genlogs_params p = {"arn:aws:bedrock:us-east-1::foundation-model/" MODEL, 1755216000, 0, 46,
                        7};
    char plain[600], gz[600], db[600];
    struct stat st;
    p.minutes = target / 69 + 1;
    genlogs_truth *scratch = calloc((size_t)p.minutes * GENLOGS_TEAMS, sizeof *scratch);
    snprintf(plain, sizeof plain, "%s/logs-%ld.jsonl", dir, target);
    snprintf(gz, sizeof gz, "%s/logs-%ld.jsonl.gz", dir, target);
    snprintf(db, sizeof db, "%s/bench.db", dir);
    int rc = scratch == NULL ? -1 : 0;
    if (rc == 0 && ((r->records = genlogs_write(&p, 0, p.minutes, plain, 0, scratch)) < 0 ||
                    genlogs_write(&p, 0, p.minutes, gz, 1, scratch) < 0))
        rc = -1;
    free(scratch);
    if (rc == 0 && stat(plain, &st) == 0)
        r->plain_bytes = (long long)st.st_size;
    if (rc == 0 && stat(gz, &st) == 0)
        r->gz_bytes = (long long)st.st_size;
    if (rc == 0 && (r->inflate_s = inflate_s(gz)) < 0)
        rc = -1;
    if (rc == 0 && (ingest_and_check(&p, gz, db, &r->gz_s, &r->gz_rss) != 0 ||
                    ingest_and_check(&p, plain, db, &r->plain_s, &r->plain_rss) != 0))
        rc = -1;
    unlink(plain);
    unlink(gz);
    /* TP_BENCH_LOGS_KEEP_DB=prefix keeps the store as prefix-N.db, for sqlite3's dbstat */
    const char *keep = getenv("TP_BENCH_LOGS_KEEP_DB");
    char kept[700];
    snprintf(kept, sizeof kept, "%s-%ld.db", keep != NULL ? keep : "", target);
    if (keep == NULL || rc != 0 || rename(db, kept) != 0)
        unlink(db);
    return rc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    char dir[] = "/tmp/tp-bench-logs-XXXXXX";
    run small = {0}, big = {0};
    if (n < 1000 || mkdtemp(dir) == NULL)
        return 2;
    int rc = one_size(dir, n / 10, &small) != 0 || one_size(dir, n, &big) != 0;
    rmdir(dir);
    if (rc) {
        fprintf(stderr, "bench_logs: a run failed or its sums differ from the generator's\n");
        return 1;
    }
    const run *runs[2] = {&small, &big};
    printf("%10s %8s %10s %8s %12s %10s %10s\n", "records", "input", "MB", "seconds",
           "records/s", "peak MiB", "x inflate");
    for (int i = 0; i < 2; i++) {
        const run *r = runs[i];
        printf("%10ld %8s %10.1f %8.2f %12.0f %10.1f %10.2f\n", r->records, "gzip",
               (double)r->gz_bytes / 1048576.0, r->gz_s, (double)r->records / r->gz_s,
               (double)r->gz_rss / 1024.0, r->gz_s / r->inflate_s);
        printf("%10ld %8s %10.1f %8.2f %12.0f %10s\n", r->records, "inflate",
               (double)r->gz_bytes / 1048576.0, r->inflate_s,
               (double)r->records / r->inflate_s, "(floor)");
        printf("%10ld %8s %10.1f %8.2f %12.0f %10.1f\n", r->records, "plain",
               (double)r->plain_bytes / 1048576.0, r->plain_s, (double)r->records / r->plain_s,
               (double)r->plain_rss / 1024.0);
    }
    if (big.gz_rss > 2 * small.gz_rss + 16384 || big.plain_rss > 2 * small.plain_rss + 16384) {
        fprintf(stderr, "bench_logs: peak memory grew with the records\n");
        return 1;
    }
    return 0;
}
