/* bench_days.c - the `days` table's layout: schema version 6's WITHOUT ROWID table against
 * version 7's rowid table with its key in a UNIQUE index, on the same rows in the same run
 * (docs/performance.md, "The days table").
 *
 * For each layout a scratch database (WAL, synchronous=NORMAL, as the store opens one) gets
 * SERIES series x DAYS days of 17,280-byte rows in the order an ingest of get-metric-data pages
 * writes them (day after day, each series' day read, then written back: store_day_get and
 * store_day_put's statements), in one transaction; then, timed separately:
 *   rewrite  60 days of every series read and written again (a second export of them)
 *   read     every series' days in key order, each blob copied out (the loader's reads),
 *            through SQLite's memory map as a reader opens the store
 *   extent   the first and last day of every series (the series listing)
 *   probe    every day of every series looked up by its key (a per-day lookup)
 * Each measurement runs on both layouts alternately, REPS times; medians are printed with the
 * ratio version 7 / version 6. The statements are those of src/store for each version (version
 * 6 replaced a row with INSERT OR REPLACE, version 7 updates it in place by an upsert).
 *
 * usage: bench_days [SERIES 1..1000] [DAYS 1..3660]   (defaults 40, 365) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOB_BYTES 17280 /* STORE_DAY_BYTES: 1,440 x (8 + 4) */
#define REPS 3
#define DAY0 20454 /* 2026-01-01 */

static const char *const ddl[2] = {
    /* version 6 */
    "CREATE TABLE days(series_id INTEGER NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,"
    " minutes BLOB NOT NULL, PRIMARY KEY (series_id, day)) WITHOUT ROWID;",
    /* version 7 */
    "CREATE TABLE days(series_id INTEGER NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,"
    " minutes BLOB NOT NULL);"
    "CREATE UNIQUE INDEX days_by_series_day ON days(series_id, day);"};
static const char *const put_sql[2] = {
    "INSERT OR REPLACE INTO days(series_id, day, n, minutes) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO days(series_id, day, n, minutes) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
    "(series_id, day) DO UPDATE SET n = excluded.n, minutes = excluded.minutes"};

static long n_series = 40, n_days = 365;
static unsigned char blob[BLOB_BYTES], copy[BLOB_BYTES];
static char dir[] = "/tmp/tierplan-bench-days-XXXXXX";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_days: %s: %s\n", what, db != NULL ? sqlite3_errmsg(db) : "failed");
    exit(1);
}

static sqlite3 *open_db(int v, int reader)
{
    char path[128];
    sqlite3 *db = NULL;
    snprintf(path, sizeof path, "%s/v%d.db", dir, 6 + v);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL, NULL) !=
            SQLITE_OK)
        die(db, "open");
    if (reader)
        sqlite3_exec(db, "PRAGMA mmap_size=2147418112", NULL, NULL, NULL);
    return db;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    return st;
}

/* Reads day d of series s and writes it back changed: what ingest does per day touched. */
static void get_put(sqlite3_stmt *get, sqlite3_stmt *put, long s, long d)
{
    sqlite3_bind_int64(get, 1, s);
    sqlite3_bind_int64(get, 2, DAY0 + d);
    if (sqlite3_step(get) == SQLITE_ROW)
        memcpy(copy, sqlite3_column_blob(get, 0), (size_t)sqlite3_column_bytes(get, 0));
    sqlite3_reset(get);
    blob[(size_t)(s * 7 + d) % BLOB_BYTES]++;
    sqlite3_bind_int64(put, 1, s);
    sqlite3_bind_int64(put, 2, DAY0 + d);
    sqlite3_bind_int(put, 3, 1000);
    sqlite3_bind_blob(put, 4, blob, BLOB_BYTES, SQLITE_STATIC);
    if (sqlite3_step(put) != SQLITE_DONE)
        die(NULL, "put");
    sqlite3_reset(put);
}

/* Writes days [0, days) of every series, day by day, in one transaction. */
static double write_days(int v, long days)
{
    sqlite3 *db = open_db(v, 0);
    sqlite3_stmt *get = prep(db, "SELECT minutes FROM days WHERE series_id=?1 AND day=?2");
    sqlite3_stmt *put = prep(db, put_sql[v]);
    const double t0 = now_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (long d = 0; d < days; d++)
        for (long s = 1; s <= n_series; s++)
            get_put(get, put, s, d);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "commit");
    const double t = now_s() - t0;
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    sqlite3_close(db);
    return t;
}

static double read_all(int v)
{
    sqlite3 *db = open_db(v, 1);
    sqlite3_stmt *st = prep(db, "SELECT day, minutes FROM days WHERE series_id = ?1 AND day >= "
                                "?2 AND day <= ?3 ORDER BY day");
    long rows = 0;
    const double t0 = now_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (long s = 1; s <= n_series; s++) {
        sqlite3_bind_int64(st, 1, s);
        sqlite3_bind_int64(st, 2, 0);
        sqlite3_bind_int64(st, 3, DAY0 + n_days);
        while (sqlite3_step(st) == SQLITE_ROW) {
            memcpy(copy, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
            rows++;
        }
        sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    const double t = now_s() - t0;
    if (rows != n_series * n_days)
        die(NULL, "read: rows missing");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

static double extents(int v)
{
    sqlite3 *db = open_db(v, 1);
    sqlite3_stmt *st = prep(db, "SELECT min(day), max(day) FROM days WHERE series_id = ?1");
    const double t0 = now_s();
    for (long s = 1; s <= n_series; s++) {
        sqlite3_bind_int64(st, 1, s);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 1) != DAY0 + n_days - 1)
            die(db, "extent");
        sqlite3_reset(st);
    }
    const double t = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

static double probes(int v)
{
    sqlite3 *db = open_db(v, 1);
    sqlite3_stmt *st = prep(db, "SELECT n FROM days WHERE series_id = ?1 AND day = ?2");
    const double t0 = now_s();
    for (long s = 1; s <= n_series; s++)
        for (long d = 0; d < n_days; d++) {
            sqlite3_bind_int64(st, 1, s);
            sqlite3_bind_int64(st, 2, DAY0 + d);
            if (sqlite3_step(st) != SQLITE_ROW)
                die(db, "probe");
            sqlite3_reset(st);
        }
    const double t = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

static void create(int v)
{
    char path[160];
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/v%d.db%s", dir, 6 + v,
                 k == 0   ? ""
                 : k == 1 ? "-wal"
                          : "-shm");
        unlink(path);
    }
    sqlite3 *db = open_db(v, 0);
    if (sqlite3_exec(db, ddl[v], NULL, NULL, NULL) != SQLITE_OK)
        die(db, "schema");
    sqlite3_close(db);
}

static double rewrite(int v)
{
    return write_days(v, n_days < 60 ? n_days : 60);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        n_series = strtol(argv[1], NULL, 10);
    if (argc > 2)
        n_days = strtol(argv[2], NULL, 10);
    if (n_series < 1 || n_series > 1000 || n_days < 1 || n_days > 3660) {
        fprintf(stderr, "usage: bench_days [SERIES 1..1000] [DAYS 1..3660]\n");
        return 2;
    }
    if (mkdtemp(dir) == NULL) {
        perror("bench_days: mkdtemp");
        return 1;
    }
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 2654435761u >> 24);
    static const char *const name[] = {"write (ingest order, one transaction)", "rewrite 60 days",
                                       "read every series in key order",
                                       "first/last day per series", "probe every day by key"};
    double t[5][2][REPS];
    for (int r = 0; r < REPS; r++)
        for (int v = 0; v < 2; v++) {
            create(v);
            t[0][v][r] = write_days(v, n_days);
            t[1][v][r] = rewrite(v);
            t[2][v][r] = read_all(v);
            t[3][v][r] = extents(v);
            t[4][v][r] = probes(v);
        }
    printf("days table, %ld series x %ld days of %d-byte rows, median of %d (layouts alternated)\n",
           n_series, n_days, BLOB_BYTES, REPS);
    printf("%-40s %12s %12s %8s\n", "", "v6 (s)", "v7 (s)", "v7/v6");
    for (int k = 0; k < 5; k++) {
        qsort(t[k][0], REPS, sizeof(double), cmp_double);
        qsort(t[k][1], REPS, sizeof(double), cmp_double);
        printf("%-40s %12.4f %12.4f %8.2f\n", name[k], t[k][0][REPS / 2], t[k][1][REPS / 2],
               t[k][1][REPS / 2] / t[k][0][REPS / 2]);
    }
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
