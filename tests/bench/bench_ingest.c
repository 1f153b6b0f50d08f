/* bench_ingest.c - ingest and stats throughput against same-run floors; see docs/performance.md.
 *
 * Generates a year of per-minute data for one model (525,600 minutes x 4 metrics) as AWS
 * CLI-style indented get-metric-data pages of at most 100,800 points, then times, 5 runs each
 * (after one warm-up), reporting medians:
 *   parse   cJSON parsing alone of the same files (read + parse + free)
 *   scan    the floor of decoding: a minimal streaming scanner of the same files (read, then
 *           every Timestamps item by fixed positions and every Values item by strtod)
 *   decode  tierplan's decoding of the files into groups, as ingest does (the streaming
 *           scanner, ingest_json_scan.c), and its cJSON path (ingest_decode_json_tree) that
 *           the scanner falls back on: target decode <= 2x scan
 *   insert  a bare prepared INSERT loop of the same points into an equally keyed table
 *   import  the sqlite3 shell's .import of the same points as CSV (when sqlite3 is installed)
 *   ingest  tierplan's ingest of the files (one transaction, as `tierplan ingest`)
 *   stats   tierplan's stats for the model over the year, load included
 *   sim     tierplan's simulation of one reservation over the loaded year (coupled and
 *           independent, with a per-minute quota), load excluded
 *   rec     tierplan's recommendation (exact optimum + candidates) over the loaded year, and
 *           for 50 such models already loaded (50 what-if variants of the year)
 * Usage: bench_ingest [DAYS]   (default 365)
 */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tools/synth.h"
#include "ingest/ingest_internal.h"
#include "tierplan/tierplan.h"

#define RUNS 5
#define MODEL "bench.model-v1:0"

static char dir[256];
static int n_pages;
static char *page_paths[64];
static synth_minute *minutes_data;
static int64_t n_minutes;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs fn once to warm caches, then RUNS times; returns the median seconds (< 0: failed). */
static double median_of(int (*fn)(void))
{
    double t[RUNS];
    if (fn() != 0)
        return -1;
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_s();
        if (fn() != 0)
            return -1;
        t[i] = now_s() - t0;
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    return t[RUNS / 2];
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void page_path(int i, char *buf, size_t n)
{
    snprintf(buf, n, "%s/year-page%02d.json", dir, i + 1);
}

static int run_parse(void)
{
    for (int i = 0; i < n_pages; i++) {
        char path[512];
        size_t len;
        page_path(i, path, sizeof path);
        char *data = read_file(path, &len);
        cJSON *doc = data ? cJSON_ParseWithLength(data, len) : NULL;
        int ok = doc != NULL;
        cJSON_Delete(doc);
        free(data);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int two(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static double scan_sum; /* read after the runs, so that the scan is not optimised away */

/* The floor: every Timestamps and Values item of every page, nothing checked or kept. */
static int run_scan(void)
{
    for (int i = 0; i < n_pages; i++) {
        char path[512];
        size_t len;
        page_path(i, path, sizeof path);
        char *data = read_file(path, &len);
        if (data == NULL)
            return -1;
        const char *p = data;
        while ((p = strstr(p, "\"Timestamps\"")) != NULL && (p = strchr(p, '[')) != NULL) {
            for (p++;;) {
                while (*p == ' ' || *p == '\n' || *p == ',')
                    p++;
                if (*p != '"')
                    break;
                const int64_t day =
                    days_from_civil(two(p + 1) * 100 + two(p + 3), two(p + 6), two(p + 9));
                scan_sum += (double)(day * 86400 + two(p + 12) * 3600 + two(p + 15) * 60);
                p = strchr(p + 1, '"') + 1;
            }
            if ((p = strstr(p, "\"Values\"")) == NULL || (p = strchr(p, '[')) == NULL)
                break;
            for (p++;;) {
                while (*p == ' ' || *p == '\n' || *p == ',')
                    p++;
                if (*p == ']')
                    break;
                char *e;
                scan_sum += strtod(p, &e);
                p = e;
            }
        }
        free(data);
    }
    return 0;
}

/* tierplan's decoding of every page (tree: the cJSON path alone), nothing stored. */
static int decode_pages(int tree)
{
    for (int i = 0; i < n_pages; i++) {
        char path[512];
        size_t len;
        tp_error err;
        ingest_decoded dec = {0};
        tp_ingest_options opts = {0};
        page_path(i, path, sizeof path);
        char *data = read_file(path, &len);
        dec.name = path;
        const tp_status rc = data == NULL ? TP_ERR_IO
                             : tree       ? ingest_decode_json_tree(&opts, &dec, data, len, &err)
                                          : ingest_decode_json(&opts, &dec, data, len, &err);
        const int ok = rc == TP_OK && dec.n_groups > 0;
        ingest_decoded_deinit(&dec);
        free(data);
        if (!ok)
            return -1;
    }
    return 0;
}

static int run_decode(void)
{
    return decode_pages(0);
}

static int run_decode_tree(void)
{
    return decode_pages(1);
}

/* 1 when every page is read by the streaming scanner (not declined to cJSON). */
static int pages_scanned(void)
{
    for (int i = 0; i < n_pages; i++) {
        char path[512];
        size_t len;
        tp_error err;
        ingest_decoded dec = {0};
        tp_ingest_options opts = {0};
        page_path(i, path, sizeof path);
        char *data = read_file(path, &len);
        dec.name = path;
        const int ok = data != NULL && ingest_json_scan(&opts, &dec, data, len, &err) == 1;
        ingest_decoded_deinit(&dec);
        free(data);
        if (!ok)
            return 0;
    }
    return 1;
}

static size_t points_total(void)
{
    size_t n = 0;
    for (int64_t i = 0; i < n_minutes; i++) {
        const synth_minute *m = &minutes_data[i];
        n += (m->input > 0) + (m->output > 0) + (m->cache_read > 0) + (m->cache_write > 0);
    }
    return n;
}

static const char *floor_schema =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    "CREATE TABLE p(series_id INTEGER NOT NULL, minute INTEGER NOT NULL, value REAL NOT NULL,"
    " PRIMARY KEY (series_id, minute)) WITHOUT ROWID;";

static void fresh_db(const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    char extra[600];
    unlink(path);
    snprintf(extra, sizeof extra, "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", path);
    unlink(extra);
}

static int run_insert(void)
{
    char path[512];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    fresh_db("floor.db", path, sizeof path);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, floor_schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO p VALUES (?1, ?2, ?3)", -1, &st, NULL) != SQLITE_OK)
        goto cleanup;
    int64_t m0 = (int64_t)1767225600 / 60;
    for (int k = 0; k < 4; k++) {
        for (int64_t i = 0; i < n_minutes; i++) {
            const synth_minute *m = &minutes_data[i];
            double v = k == 0 ? m->input : k == 1 ? m->output : k == 2 ? m->cache_read
                                                                        : m->cache_write;
            if (v <= 0)
                continue;
            sqlite3_bind_int(st, 1, k + 1);
            sqlite3_bind_int64(st, 2, m0 + i);
            sqlite3_bind_double(st, 3, v);
            if (sqlite3_step(st) != SQLITE_DONE)
                goto cleanup;
            sqlite3_reset(st);
        }
    }
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
cleanup:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

static int write_import_csv(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    int64_t m0 = (int64_t)1767225600 / 60;
    for (int k = 0; k < 4; k++)
        for (int64_t i = 0; i < n_minutes; i++) {
            const synth_minute *m = &minutes_data[i];
            double v = k == 0 ? m->input : k == 1 ? m->output : k == 2 ? m->cache_read
                                                                        : m->cache_write;
            if (v > 0)
                fprintf(f, "%d,%lld,%.1f\n", k + 1, (long long)(m0 + i), v);
        }
    return fclose(f) == 0 ? 0 : -1;
}

static int run_import(void)
{
    char path[512], cmd[2048];
    fresh_db("import.db", path, sizeof path);
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' \"PRAGMA journal_mode=WAL\" \"PRAGMA synchronous=NORMAL\" "
             "\"CREATE TABLE p(series_id INTEGER NOT NULL, minute INTEGER NOT NULL, value REAL "
             "NOT NULL, PRIMARY KEY (series_id, minute)) WITHOUT ROWID\" "
             "\".import --csv '%s/points.csv' p\" >/dev/null",
             path, dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int run_ingest(void)
{
    char path[512];
    tp_store *s = NULL;
    tp_ingest *ing = NULL;
    tp_error err;
    int rc = -1;
    fresh_db("tierplan.db", path, sizeof path);
    if (tp_store_open(path, &s, &err) != TP_OK || tp_ingest_begin(s, NULL, &ing, &err) != TP_OK)
        goto cleanup;
    if (tp_ingest_files(ing, (const char *const *)page_paths, (size_t)n_pages, NULL, &err) !=
        TP_OK)
        goto cleanup;
    rc = tp_ingest_commit(ing, &err) == TP_OK ? 0 : -1;
cleanup:
    if (rc != 0)
        fprintf(stderr, "bench: ingest: %s\n", err.message);
    tp_ingest_free(ing);
    tp_store_close(s);
    return rc;
}

/* Stats over the ingested year: load the series from SQLite and summarise four metrics. */
static int run_stats(void)
{
    char path[512];
    tp_store *s = NULL;
    tp_series *ser = NULL;
    tp_error err;
    int rc = -1;
    snprintf(path, sizeof path, "%s/tierplan.db", dir);
    tp_series_query q = {0};
    q.model = MODEL;
    if (tp_store_open(path, &s, &err) != TP_OK || tp_series_load(s, &q, &ser, &err) != TP_OK)
        goto cleanup;
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        tp_summary sum;
        if (tp_stats_summarize(tp_series_values(ser, k), tp_series_minutes(ser), &sum, &err) !=
            TP_OK)
            goto cleanup;
    }
    rc = 0;
cleanup:
    tp_series_free(ser);
    tp_store_close(s);
    return rc;
}

static tp_series *sim_series;
static tp_model_price sim_price;
static tp_spill_model sim_model;

/* One simulation over the loaded year (the quota exercises the throttling branch too). */
static int run_sim(void)
{
    tp_sim_options o = {0};
    tp_sim_result r;
    o.reserve_input_tpm = 800000;
    o.reserve_output_tpm = 150000;
    o.spill_model = sim_model;
    o.quota_tpm = 400000;
    tp_demand d = tp_series_demand(sim_series);
    return tp_simulate_run(&d, &sim_price, &o, &r, NULL) == TP_OK && r.minutes == (size_t)n_minutes
               ? 0
               : -1;
}

static const char *bench_catalog =
    "{\"currency\":\"USD\",\"tiers\":{\"priority\":1.75,\"standard\":1.0},\"models\":{"
    "\"*\":{\"on_demand_per_million\":{\"input\":3,\"output\":15,\"cache_read\":0.3,"
    "\"cache_write\":3.75},\"reserved_per_1k_tpm_hour\":{\"input\":0.12,\"output\":0.6}}}}";

static int run_rec(void)
{
    tp_rec_options o = {0};
    tp_recommendation rec;
    o.spill_model = sim_model;
    tp_demand d = tp_series_demand(sim_series);
    return tp_recommend_run(&d, &sim_price, &o, &rec, NULL) == TP_OK ? 0 : -1;
}

/* 50 models, already loaded: 50 distinct demands (the year scaled 0.5x .. 1.5x). */
static tp_whatif *fleet[50];

static int run_fleet(void)
{
    for (int m = 0; m < 50; m++) {
        tp_rec_options o = {0};
        tp_recommendation rec;
        tp_demand d = tp_whatif_demand(fleet[m]);
        if (tp_recommend_run(&d, &sim_price, &o, &rec, NULL) != TP_OK)
            return -1;
    }
    return 0;
}

static double rec_c = -1, rec_i = -1, fleet_s = -1;

/* Loads the year once, then times simulations of it: returns the medians. */
static int sim_medians(double *coupled_s, double *independent_s)
{
    char path[512];
    tp_store *s = NULL;
    tp_pricing *p = NULL;
    tp_error err;
    int rc = -1;
    snprintf(path, sizeof path, "%s/tierplan.db", dir);
    tp_series_query q = {0};
    q.model = MODEL;
    if (tp_store_open(path, &s, &err) != TP_OK || tp_series_load(s, &q, &sim_series, &err) != TP_OK ||
        tp_pricing_parse("bench", bench_catalog, strlen(bench_catalog), &p, &err) != TP_OK ||
        tp_pricing_lookup(p, MODEL, &sim_price, NULL, NULL, &err) != TP_OK)
        goto cleanup;
    sim_model = TP_SPILL_COUPLED;
    *coupled_s = median_of(run_sim);
    sim_model = TP_SPILL_INDEPENDENT;
    *independent_s = median_of(run_sim);
    sim_model = TP_SPILL_COUPLED;
    rec_c = median_of(run_rec);
    sim_model = TP_SPILL_INDEPENDENT;
    rec_i = median_of(run_rec);
    {
        tp_demand d = tp_series_demand(sim_series);
        int ok = 1;
        for (int m = 0; m < 50; m++)
            ok &= tp_whatif_apply(&d, 0.5 + m / 49.0, 0, &fleet[m], &err) == TP_OK;
        /* the fleet takes seconds: one warm-up and 3 runs would do, but keep the method */
        fleet_s = ok ? median_of(run_fleet) : -1;
        for (int m = 0; m < 50; m++)
            tp_whatif_free(fleet[m]);
    }
    rc = *coupled_s >= 0 && *independent_s >= 0 && rec_c >= 0 && rec_i >= 0 && fleet_s >= 0
             ? 0
             : -1;
cleanup:
    tp_series_free(sim_series);
    sim_series = NULL;
    tp_pricing_free(p);
    tp_store_close(s);
    return rc;
}

static double load_only_s(void)
{
    char path[512];
    tp_store *s = NULL;
    tp_series *ser = NULL;
    tp_error err;
    double t[RUNS];
    snprintf(path, sizeof path, "%s/tierplan.db", dir);
    tp_series_query q = {0};
    q.model = MODEL;
    if (tp_store_open(path, &s, &err) != TP_OK)
        return -1;
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_s();
        if (tp_series_load(s, &q, &ser, &err) != TP_OK)
            return -1;
        t[i] = now_s() - t0;
        tp_series_free(ser);
    }
    tp_store_close(s);
    qsort(t, RUNS, sizeof t[0], cmp_double);
    return t[RUNS / 2];
}

int main(int argc, char **argv)
{
    int days = argc > 1 ? atoi(argv[1]) : 365;
    if (days < 1 || days > 1000) {
        fprintf(stderr, "usage: bench_ingest [DAYS 1..1000]\n");
        return 2;
    }
    snprintf(dir, sizeof dir, "/tmp/tierplan-bench-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    n_minutes = (int64_t)days * 1440;
    minutes_data = calloc((size_t)n_minutes, sizeof *minutes_data);
    synth_params p = {0};
    p.model = MODEL;
    p.start_s = 1767225600; /* 2026-01-01T00:00:00Z */
    p.minutes = n_minutes;
    p.peak_prompt_tpm = 2000000;
    p.cache_hit = 0.6;
    p.cache_write = 0.03;
    p.output_ratio = 0.15;
    p.seed = 2026;
    p.omit_idle = 1;
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s/year", dir);
    if (minutes_data == NULL || synth_generate(&p, minutes_data) != 0 ||
        (n_pages = synth_write_pages(&p, minutes_data, 100800, prefix, 1)) < 1 || n_pages > 64 ||
        write_import_csv() != 0) {
        fprintf(stderr, "bench: generating data failed\n");
        return 1;
    }
    for (int i = 0; i < n_pages && i < 64; i++) {
        page_paths[i] = malloc(512);
        if (page_paths[i] == NULL)
            return 1;
        page_path(i, page_paths[i], 512);
    }
    size_t pts = points_total();
    printf("tierplan %s benchmark: %d days, %lld minutes, %zu points in %d pages, median of %d "
           "warm runs\n",
           tp_version(), days, (long long)n_minutes, pts, n_pages, RUNS);
    /* interleaved: floor, scanner, cJSON path, twice, the second round reported */
    double scan = -1, decode = -1, decode_tree = -1;
    for (int round = 0; round < 2; round++) {
        scan = median_of(run_scan);
        decode = median_of(run_decode);
        decode_tree = median_of(run_decode_tree);
    }
    const int all_scanned = pages_scanned();
    double parse = median_of(run_parse);
    double insert = median_of(run_insert);
    int have_sqlite3 = system("command -v sqlite3 >/dev/null 2>&1") == 0;
    double import = have_sqlite3 ? median_of(run_import) : -1;
    double ingest = median_of(run_ingest);
    double stats = median_of(run_stats);
    double load = load_only_s();
    double sim_c = -1, sim_i = -1;
    if (scan < 0 || decode < 0 || decode_tree < 0 || parse < 0 || insert < 0 || ingest < 0 || stats < 0 || load < 0 ||
        sim_medians(&sim_c, &sim_i) != 0) {
        fprintf(stderr, "bench: a measurement failed\n");
        return 1;
    }
#define ROW(name, t) printf("%-34s %9.3f s  %12.0f points/s\n", name, t, (double)pts / (t))
    ROW("floor: cJSON parse only", parse);
    ROW("floor: streaming scan of the pages", scan);
    ROW("decode: streaming scanner", decode);
    ROW("decode: cJSON path (before)", decode_tree);
    printf("ratio decode / scan floor           %9.2f  (target <= 2.00; cJSON path %.2f)%s\n",
           decode / scan, decode_tree / scan,
           all_scanned ? "" : "  (pages declined to cJSON!)");
    ROW("floor: bare prepared INSERT loop", insert);
    if (import >= 0)
        ROW("floor: sqlite3 .import of CSV", import);
    else
        printf("floor: sqlite3 .import of CSV      (sqlite3 shell not installed)\n");
    ROW("tierplan ingest (parse + store)", ingest);
    printf("ratio ingest / (parse + insert)     %9.2f\n", ingest / (parse + insert));
    printf("ratio ingest / (scan + insert)      %9.2f\n", ingest / (scan + insert));
    if (import >= 0)
        printf("ratio ingest / .import              %9.2f  (target <= 1.00)\n", ingest / import);
    printf("%-34s %9.3f s\n", "load a year (4 metrics) from SQLite", load);
    printf("%-34s %9.3f s  (target < 0.5 s)\n", "stats over a year, load included", stats);
    printf("%-34s %9.1f ms (target < 20 ms)\n", "simulate a year, coupled", sim_c * 1e3);
    printf("%-34s %9.1f ms (target < 20 ms)\n", "simulate a year, independent", sim_i * 1e3);
    printf("%-34s %9.1f ms (target < 100 ms)\n", "recommend a year, coupled", rec_c * 1e3);
    printf("%-34s %9.1f ms (target < 100 ms)\n", "recommend a year, independent", rec_i * 1e3);
    printf("%-34s %9.3f s  (target < 5 s)\n", "recommend 50 loaded years", fleet_s);
    if (scan_sum < 0)
        printf("(scan checksum %g)\n", scan_sum);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", dir);
    for (int i = 0; i < n_pages && i < 64; i++)
        free(page_paths[i]);
    free(minutes_data);
    return 0;
}
