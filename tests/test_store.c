/* test_store.c - schema versioning, WAL, model listing, the CSV export round trip, corrupt
 * day rows and the private read API. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_logs.h"
#include "test_util.h"

void register_tests(void);

static char tmpdir[256];

static int make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tierplan-test-XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_schema_and_wal(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/a.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    int version = -1;
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION);
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL(sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
    CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* a database from a newer tierplan is refused, not silently misread */
    CU_ASSERT_EQUAL(sqlite3_exec(s->db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL(tp_store_open(path, &s, &err), TP_ERR_DB);
    ASSERT_CONTAINS(err.message, "schema version 99 is newer");
    ASSERT_CONTAINS(err.message, path); /* every database error names the database */
    CU_ASSERT_PTR_NULL(s);
    /* reopening a current database migrates nothing and keeps data */
    snprintf(path, sizeof path, "%s/b.db", tmpdir);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    tp_ingest_options o = {0};
    o.period_s = 60; /* one point: no period can be read from its spacing */
    CU_ASSERT_EQUAL(ingest_one(s, &o, "x.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,1\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 1);
    tp_store_close(s);
    CU_ASSERT_EQUAL(tp_store_open("/nonexistent-dir/x.db", &s, &err), TP_ERR_DB);
    ASSERT_CONTAINS(err.message, "/nonexistent-dir/x.db: cannot open database");
}

static void test_models(void)
{
    tp_store *s = open_mem();
    tp_error err;
    char **models = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(tp_store_models(s, &models, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 0);
    tp_strv_free(models, n);
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "x.csv",
                               "2026-10-05T14:00:00Z,zeta,InputTokenCount,1\n"
                               "2026-10-05T14:00:00Z,alpha,InputTokenCount,1\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(tp_store_models(s, &models, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(models[0], "alpha");
    CU_ASSERT_STRING_EQUAL(models[1], "zeta");
    tp_strv_free(models, n);
    tp_store_close(s);
}

static char *export_string(tp_store *s, const char *model)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tp_error err;
    CU_ASSERT_EQUAL(tp_store_export_csv(s, model, f, NULL, &err), TP_OK);
    fclose(f);
    return buf;
}

/* export -> ingest into an empty store -> export gives the same text: nothing is lost,
 * including tiers, periods, fractions and awkward model ids. */
static void test_export_roundtrip(void)
{
    tp_store *a = open_mem(), *b = open_mem();
    tp_error err;
    tp_ingest_options o = {0}, minute = {0};
    o.period_s = 300;
    minute.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(a, &minute, "x.csv",
                               "timestamp,model,metric,value,tier\n"
                               "2026-10-05T14:00:00Z,\"odd,\"\"id\",InputTokenCount,0.1,\n"
                               "2026-10-05T14:01:00Z,m,CacheReadInputTokenCount,1e-7,flex\n"
                               "2026-10-05T14:02:00Z,m,OutputTokenCount,123456789.5,\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(ingest_one(a, &o, "y.csv", "2026-10-05T10:00:00Z,m,OutputTokenCount,5\n",
                               NULL, &err),
                    TP_OK);
    char *first = export_string(a, NULL);
    CU_ASSERT_EQUAL(ingest_one(b, NULL, "export.csv", first, NULL, &err), TP_OK);
    char *second = export_string(b, NULL);
    CU_ASSERT_STRING_EQUAL(first, second);
    ASSERT_CONTAINS(first,
                    "timestamp,model,metric,value,tier,service_tier,period_s,region,account,"
                    "source,attribute_by,key\n");
    ASSERT_CONTAINS(first, "2026-10-05T14:00:00Z,\"odd,\"\"id\",InputTokenCount,0.1,,,60,,,metrics,,\n");
    ASSERT_CONTAINS(first, "2026-10-05T10:00:00Z,m,OutputTokenCount,5,,,300,,,metrics,,\n");
    ASSERT_CONTAINS(first, "m,CacheReadInputTokenCount,1e-07,flex,,60,,,metrics,,\n");
    char *only = export_string(a, "m");
    CU_ASSERT_PTR_NULL(strstr(only, "odd"));
    free(first);
    free(second);
    free(only);
    tp_store_close(a);
    tp_store_close(b);
}

/* Writes a blob of `bytes` zero bytes into every day row of model X's series on `date`
 * through a second, raw SQLite connection: what a damaged file looks like to the store. */
static void damage_day(const char *path, const char *date, int bytes)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t epoch_s = 0;
    CU_ASSERT_EQUAL_FATAL(tp_timestamp_parse(date, strlen(date), &epoch_s, NULL), TP_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(db,
                                             "UPDATE days SET minutes = zeroblob(?1) WHERE day = "
                                             "?2 AND series_id IN (SELECT id FROM series WHERE "
                                             "model = 'X')",
                                             -1, &st, NULL),
                          SQLITE_OK);
    sqlite3_bind_int(st, 1, bytes);
    sqlite3_bind_int64(st, 2, epoch_s / 86400);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    CU_ASSERT_EQUAL(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A file database with model X's input on three days; returns its path in path. */
static void three_days(char *path, size_t size, const char *name)
{
    tp_store *s = NULL;
    tp_error err;
    tp_ingest_options minute = {0};
    minute.period_s = 60;
    snprintf(path, size, "%s/%s", tmpdir, name);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, &minute, "x.csv",
                               "2026-10-04T23:59:00Z,X,InputTokenCount,1\n"
                               "2026-10-05T12:00:00Z,X,InputTokenCount,2\n"
                               "2026-10-06T00:00:00Z,X,InputTokenCount,3\n",
                               NULL, &err),
                    TP_OK);
    tp_store_close(s);
}

/* A day row of the wrong size is named by database, metric, model and date, with status
 * TP_ERR_DB, whether series, ingest or export reads it (not SQLite's "not an error"). */
static void test_corrupt_day_row(void)
{
    char path[300];
    tp_store *s = NULL;
    tp_series *ser = NULL;
    tp_error err;
    tp_series_query q = {0};
    q.model = "X";
    tp_ingest_options minute = {0};
    minute.period_s = 60; /* the stored series', not one inferred from a single point */
    char want[512];
    three_days(path, sizeof path, "corrupt.db");
    snprintf(want, sizeof want,
             "%s: corrupt day row: InputTokenCount of model X on 2026-10-05: 17 bytes, "
             "expected 17280",
             path);
    damage_day(path, "2026-10-05", 17);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    /* a middle day: met by the day iterator */
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_DB);
    CU_ASSERT_PTR_NULL(ser);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(ingest_one(s, &minute, "y.csv",
                               "2026-10-05T13:00:00Z,X,InputTokenCount,4\n", NULL, &err),
                    TP_ERR_DB);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    FILE *devnull = fopen("/dev/null", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(devnull);
    tp_error_clear(&err);
    CU_ASSERT_EQUAL(tp_store_export_csv(s, NULL, devnull, NULL, &err), TP_ERR_DB);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    fclose(devnull);
    tp_store_close(s);
    /* the first day: met while finding where the series starts */
    damage_day(path, "2026-10-04", 0);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_DB);
    snprintf(want, sizeof want,
             "%s: corrupt day row: InputTokenCount of model X on 2026-10-04: 0 bytes, "
             "expected 17280",
             path);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    tp_store_close(s);
    /* a row of the right size in which no minute holds a point */
    three_days(path, sizeof path, "empty.db");
    damage_day(path, "2026-10-06", STORE_DAY_BYTES);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_series_load(s, &q, &ser, &err), TP_ERR_DB);
    snprintf(want, sizeof want,
             "%s: corrupt day row: InputTokenCount of model X on 2026-10-06: no minute holds "
             "a point",
             path);
    CU_ASSERT_STRING_EQUAL(err.message, want);
    tp_store_close(s);
}

/* The private read API series loads through: the listing and the day iterator. */
static void test_series_list_and_day_iter(void)
{
    tp_store *s = open_mem();
    tp_error err;
    tp_ingest_options minute = {0};
    minute.period_s = 60;
    CU_ASSERT_EQUAL(ingest_one(s, &minute, "x.csv",
                               "timestamp,model,metric,value,tier\n"
                               "2026-10-04T23:59:00Z,X,OutputTokenCount,1,\n"
                               "2026-10-07T00:00:00Z,X,OutputTokenCount,2,\n"
                               "2026-10-05T00:00:00Z,X,InputTokenCount,3,flex\n"
                               "2026-10-05T00:00:00Z,Y,InputTokenCount,4,\n",
                               NULL, &err),
                    TP_OK);
    store_series_info *v = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(store_series_list(s, "X", &v, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(v[0].metric, "InputTokenCount"); /* ordered by metric */
    CU_ASSERT_STRING_EQUAL(v[0].resolved_tier, "flex");
    CU_ASSERT_STRING_EQUAL(v[0].service_tier, "");
    CU_ASSERT_STRING_EQUAL(v[1].metric, "OutputTokenCount");
    CU_ASSERT_EQUAL(v[1].period_s, 60);
    CU_ASSERT(v[1].has_days);
    const int64_t oct4 = 1791072000 / 86400; /* 2026-10-04T00:00:00Z */
    CU_ASSERT_EQUAL(v[1].first_day, oct4);
    CU_ASSERT_EQUAL(v[1].last_day, oct4 + 3);
    store_day_iter *it = NULL;
    static store_day day;
    int64_t d = 0;
    int found = 0;
    CU_ASSERT_EQUAL_FATAL(store_day_iter_open(s, v[1].id, oct4 - 5, oct4 + 5, &it, &err), TP_OK);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(found);
    CU_ASSERT_EQUAL(d, oct4);
    CU_ASSERT_EQUAL(day.value[1439], 1);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(found); /* absent days are skipped */
    CU_ASSERT_EQUAL(d, oct4 + 3);
    CU_ASSERT_EQUAL(day.value[0], 2);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(!found);
    store_day_iter_close(it);
    CU_ASSERT_EQUAL_FATAL(store_day_iter_open(s, v[1].id, oct4 + 1, oct4 + 2, &it, &err), TP_OK);
    CU_ASSERT_EQUAL(store_day_iter_next(it, &d, &day, &found, &err), TP_OK);
    CU_ASSERT(!found);
    store_day_iter_close(it);
    store_day_iter_close(NULL);
    store_series_list_free(v, n);
    CU_ASSERT_EQUAL(store_series_list(s, "nobody", &v, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(v);
    store_series_list_free(NULL, 0);
    tp_store_close(s);
}

/* A reader's open (TP_STORE_EXISTING) of a missing file fails with the path named and
 * creates nothing; an existing file opens; ":memory:" always opens; unknown flags are refused
 * (a later read-only bit must not be ignored by this library). */
static void test_open_existing(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/missing.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL(tp_store_open_mode(path, TP_STORE_EXISTING, &s, &err), TP_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(s);
    ASSERT_CONTAINS(err.message, path);
    ASSERT_CONTAINS(err.message, ": no database there (tierplan ingest creates one)");
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0); /* nothing created */
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", path);
    CU_ASSERT_NOT_EQUAL(access(wal, F_OK), 0);
    /* the writer's mode creates it; then the reader's mode opens it */
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(path, TP_STORE_CREATE, &s, &err), TP_OK);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(path, TP_STORE_EXISTING, &s, &err), TP_OK);
    int version = -1;
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_store_open_mode(":memory:", TP_STORE_EXISTING, &s, &err), TP_OK);
    tp_store_close(s);
    s = NULL;
    CU_ASSERT_EQUAL(tp_store_open_mode(path, 0x80u, &s, &err), TP_ERR_USAGE);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(tp_store_open_mode("", TP_STORE_EXISTING, &s, &err), TP_ERR_USAGE);
}

/* A database written by schema version 1 (as tierplan wrote it before as-of existed) opens
 * with this version: migrated to version 2, its points kept, and each ingest's series given
 * the as-of of its last stored minute + period, so that an older export ingested later does
 * not overwrite them. Version 1 is written here with raw SQL, not with the library. */
static void test_migrate_v1(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v1.db", tmpdir);
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    const char *v1 =
        "CREATE TABLE series(id INTEGER PRIMARY KEY, model TEXT NOT NULL, metric TEXT NOT NULL,"
        " service_tier TEXT NOT NULL DEFAULT '', resolved_tier TEXT NOT NULL DEFAULT '',"
        " period_s INTEGER NOT NULL CHECK (period_s > 0 AND period_s % 60 = 0),"
        " UNIQUE (model, metric, service_tier, resolved_tier, period_s));"
        "CREATE TABLE ingests(id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, format TEXT NOT NULL, ingested_at TEXT NOT NULL,"
        " points INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,"
        " replaced INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE days(series_id INTEGER NOT NULL REFERENCES series(id),"
        " day INTEGER NOT NULL, n INTEGER NOT NULL, minutes BLOB NOT NULL,"
        " PRIMARY KEY (series_id, day)) WITHOUT ROWID;"
        "INSERT INTO series VALUES (1, 'm', 'InputTokenCount', '', '', 60);"
        "INSERT INTO ingests VALUES (1, 'a.json', '', 'json', '2026-10-05T14:03:00Z', 3, 3, 0, 0),"
        " (2, 'b.json', '', 'json', '2026-10-05T14:06:00Z', 1, 1, 0, 0);"
        "PRAGMA user_version = 1;";
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
    /* 2026-10-05 is day 20731 (1,791,158,400 s); 14:00 is its minute 840. Ingest 1 wrote
     * 14:00, 14:01, 14:02 (10, 10, 12), ingest 2 wrote 14:05 (7). */
    static store_day day;
    unsigned char blob[STORE_DAY_BYTES];
    const int slot[4] = {840, 841, 842, 845};
    const double value[4] = {10, 10, 12, 7};
    for (int i = 0; i < 4; i++) {
        day.value[slot[i]] = value[i];
        day.ingest[slot[i]] = i < 3 ? 1 : 2;
    }
    store_day_encode(&day, blob);
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(db, "INSERT INTO days VALUES (1, 20731, 4, ?1)", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob, STORE_DAY_BYTES, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);

    tp_store *s = NULL;
    tp_error err;
    int version = 0;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through every migration */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM points"), 4);
    /* as-of = last minute + 60 s: ingest 1 at 14:02 -> 14:03 = 1791208980,
     * ingest 2 at 14:05 -> 14:06 = 1791209160 */
    CU_ASSERT_EQUAL(q_int(s, "SELECT as_of FROM ingest_series WHERE ingest_id=1 AND "
                             "series_id=1"),
                    1791208980);
    CU_ASSERT_EQUAL(q_int(s, "SELECT as_of FROM ingest_series WHERE ingest_id=2 AND "
                             "series_id=1"),
                    1791209160);
    CU_ASSERT_EQUAL(q_int(s, "SELECT sum(kept_newer) FROM ingests"), 0);
    /* an export as of 14:02 (older than ingest 1's 14:03) leaves 14:02 alone ... */
    tp_ingest_summary sum;
    const char *csv = "2026-10-05T14:02:00Z,m,InputTokenCount,99\n";
    tp_ingest_options o = {0};
    o.period_s = 60;
    o.as_of_s = 1791208920;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "old.csv", csv, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.kept_newer, 1);
    CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points WHERE minute = 29853482"), 12);
    /* ... and one as of 14:20 replaces it */
    o.as_of_s = 1791210000;
    CU_ASSERT_EQUAL(ingest_one(s, &o, "new.csv", csv, &sum, &err), TP_OK);
    CU_ASSERT_EQUAL(sum.replaced, 1);
    CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points WHERE minute = 29853482"), 99);
    tp_store_close(s);
}

/* Whether the plan of the same-content lookup contains what (1) or not (0). */
static int plan_has(tp_store *s, const char *what)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(s->db, "EXPLAIN QUERY PLAN " STORE_LOG_SAME_CONTENT_SQL, -1, &st, NULL),
        SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= strstr((const char *)sqlite3_column_text(st, 3), what) != NULL;
    sqlite3_finalize(st);
    return found;
}

/* The log tables as versions 6 and 7 created them, holding what the current ones hold: a
 * current file's log tables rewritten for a version 6 or 7 file. */
#define LOGS_TO_V7                                                                                 \
    "CREATE TABLE log_minutes_v7(model TEXT NOT NULL, region TEXT NOT NULL DEFAULT '',"          \
    " account TEXT NOT NULL DEFAULT '', attr_by TEXT NOT NULL, attr_key TEXT NOT NULL,"          \
    " minute INTEGER NOT NULL, requests INTEGER NOT NULL DEFAULT 0,"                             \
    " errors INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL DEFAULT 0,"               \
    " output_tokens INTEGER NOT NULL DEFAULT 0, cache_read_tokens INTEGER NOT NULL DEFAULT 0,"  \
    " cache_write_tokens INTEGER NOT NULL DEFAULT 0,"                                            \
    " PRIMARY KEY (model, region, account, attr_by, attr_key, minute)) WITHOUT ROWID;"           \
    "INSERT INTO log_minutes_v7 SELECT model, region, account, attr_by, attr_key, minute,"       \
    " requests, errors, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens"      \
    " FROM log_minutes;"                                                                         \
    "CREATE TABLE log_keys_v7(model TEXT NOT NULL, region TEXT NOT NULL DEFAULT '',"             \
    " account TEXT NOT NULL DEFAULT '', attr_by TEXT NOT NULL, attr_key TEXT NOT NULL,"          \
    " PRIMARY KEY (model, attr_by, attr_key, region, account)) WITHOUT ROWID;"                   \
    "INSERT INTO log_keys_v7 SELECT model, region, account, attr_by, attr_key FROM log_keys;"   \
    "DROP VIEW log_minutes; DROP VIEW log_keys;"                                                 \
    "DROP TABLE log_sums; DROP TABLE log_key_ids; DROP TABLE log_models;"                        \
    "ALTER TABLE log_minutes_v7 RENAME TO log_minutes;"                                          \
    "ALTER TABLE log_keys_v7 RENAME TO log_keys;"                                                \
    "CREATE INDEX log_minutes_by_minute ON log_minutes(model, minute);"

/* The log tables as version 4 created them, empty (the file's logs are dropped). */
#define LOGS_TO_V4                                                                                 \
    "DROP VIEW log_minutes; DROP VIEW log_keys;"                                                 \
    "DROP TABLE log_sums; DROP TABLE log_key_ids; DROP TABLE log_models;"                        \
    "CREATE TABLE log_minutes(model TEXT NOT NULL, attr_by TEXT NOT NULL,"                       \
    " attr_key TEXT NOT NULL, minute INTEGER NOT NULL, requests INTEGER NOT NULL DEFAULT 0,"     \
    " errors INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL DEFAULT 0,"               \
    " output_tokens INTEGER NOT NULL DEFAULT 0, cache_read_tokens INTEGER NOT NULL DEFAULT 0,"  \
    " cache_write_tokens INTEGER NOT NULL DEFAULT 0,"                                            \
    " PRIMARY KEY (model, attr_by, attr_key, minute)) WITHOUT ROWID;"                            \
    "CREATE INDEX log_minutes_by_minute ON log_minutes(model, minute);"                          \
    "CREATE TABLE log_keys(model TEXT NOT NULL, attr_by TEXT NOT NULL, attr_key TEXT NOT NULL,"  \
    " PRIMARY KEY (model, attr_by, attr_key)) WITHOUT ROWID;"

/* A schema version 4 file (log objects without the indexes: version 5 adds only the two
 * indexes, so a version 5 file with them dropped is a version 4 file) is migrated on open:
 * its rows are kept, the indexes exist, and the same-content lookup searches them instead of
 * scanning every object. */
static void test_migrate_v4_indexes(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v4.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_exec(s->db,
                     "DROP INDEX ingests_by_sha256; DROP INDEX log_objects_by_ingest;" LOGS_TO_V4
                     "INSERT INTO ingests(id, source, sha256, format, ingested_at) VALUES"
                     " (1, 'a.json', 'aa', 'invocation-log', '2026-10-05T14:03:00Z'),"
                     " (2, 'b.json', 'bb', 'invocation-log', '2026-10-05T14:04:00Z'),"
                     " (3, 'c.json', 'aa', 'invocation-log', '2026-10-05T14:05:00Z');"
                     "INSERT INTO log_objects(object, ingest_id, records) VALUES"
                     " ('a.json', 1, 1), ('b.json', 2, 1), ('c.json', 3, 1);"
                     "PRAGMA user_version = 4;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    CU_ASSERT(plan_has(s, "SCAN o")); /* what version 4 did: every object, per object */
    tp_store_close(s);
    s = NULL;

    int version = 0;
    char *other = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through version 5, and on */
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM log_objects"), 3);
    CU_ASSERT_EQUAL(q_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name "
                             "IN ('ingests_by_sha256', 'log_objects_by_ingest')"),
                    2);
    CU_ASSERT(plan_has(s, "INDEX ingests_by_sha256 (sha256=?)"));
    CU_ASSERT(plan_has(s, "INDEX log_objects_by_ingest (ingest_id=?)"));
    CU_ASSERT(!plan_has(s, "SCAN"));
    /* ingest 3's content was ingest 1's (the earliest of the others with that sha256) */
    CU_ASSERT_EQUAL(store_log_same_content(s, "aa", "zz", 3, &other, &err), TP_OK);
    CU_ASSERT_STRING_EQUAL(other != NULL ? other : "(none)", "a.json");
    free(other);
    CU_ASSERT_EQUAL(store_log_same_content(s, "bb", "bb", 2, &other, &err), TP_OK);
    CU_ASSERT_PTR_NULL(other);
    free(other);
    tp_store_close(s);
}

/* A full disk: SQLite's unix VFS turns ENOSPC into SQLITE_FULL ("database or disk is full")
 * and keeps no errno, so the message lacked the "No space left on device" that
 * docs/reliability.md promises. Here the database may not grow past its pages
 * (PRAGMA max_page_count), which SQLite reports the same way: the ingest fails naming the
 * database and the reason, what was stored stays, and the next ingest works once there is
 * room. */
static void test_full_disk_message(void)
{
    char path[300], data[300];
    snprintf(path, sizeof path, "%s/full.db", tmpdir);
    snprintf(data, sizeof data, "%s/sample-nova-pro.json", getenv("TP_SAMPLE_DATA"));
    tp_store *s = NULL;
    tp_error err;
    tp_ingest_summary sum;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    const char *csv = "timestamp,model,metric,value,tier,service_tier,period_s\n"
                      "2026-10-05T14:00:00Z,amazon.nova-pro-v1:0,InputTokenCount,1234,,,60\n";
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, NULL, "one.csv", csv, &sum, &err), TP_OK);
    const long long pages = q_int(s, "PRAGMA page_count");
    char sql[80];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages);
    CU_ASSERT_EQUAL_FATAL(q_int(s, sql), pages);
    tp_ingest *ing = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    tp_status rc = tp_ingest_file(ing, data, &sum, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    CU_ASSERT_EQUAL(rc, TP_ERR_DB);
    char want[400];
    snprintf(want, sizeof want, "%s: ", path);
    CU_ASSERT_EQUAL(strncmp(err.message, want, strlen(want)), 0);
    ASSERT_CONTAINS(err.message, ": database or disk is full (No space left on device)");
    CU_ASSERT_EQUAL(q_int(s, "SELECT COUNT(*) FROM ingests"), 1);
    CU_ASSERT_EQUAL(q_int(s, "SELECT COUNT(*) FROM series"), 1);
    CU_ASSERT_EQUAL(q_int(s, "PRAGMA max_page_count = 1073741823"), 1073741823);
    rc = tp_ingest_begin(s, NULL, &ing, &err);
    if (rc == TP_OK)
        rc = tp_ingest_file(ing, data, &sum, &err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, &err);
    tp_ingest_free(ing);
    CU_ASSERT_EQUAL(rc, TP_OK);
    CU_ASSERT_EQUAL(q_int(s, "SELECT COUNT(*) FROM ingests"), 2);
    tp_store_close(s);
}

/* One integer from SQL on a raw connection (-1 when it fails). Unlike q_int it decodes no
 * day rows: the file below holds rows that are not days on purpose. */
static long long raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The day rows of a file in key order, each (series_id, day, n, minutes) as stored. */
typedef struct day_row {
    int64_t series_id, day, n;
    int bytes;
    unsigned char *blob;
} day_row;

static size_t day_rows(sqlite3 *db, day_row *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    size_t k = 0;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(db,
                                             "SELECT series_id, day, n, minutes FROM days "
                                             "ORDER BY series_id, day",
                                             -1, &st, NULL),
                          SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        CU_ASSERT_FATAL(k < cap);
        out[k].series_id = sqlite3_column_int64(st, 0);
        out[k].day = sqlite3_column_int64(st, 1);
        out[k].n = sqlite3_column_int64(st, 2);
        out[k].bytes = sqlite3_column_bytes(st, 3);
        out[k].blob = malloc((size_t)out[k].bytes + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out[k].blob);
        memcpy(out[k].blob, sqlite3_column_blob(st, 3), (size_t)out[k].bytes);
        k++;
    }
    sqlite3_finalize(st);
    return k;
}

/* Version 6's `days`, as version 6 created it: the file at path (a current one) rewritten to
 * a version 6 file, its rows kept. */
static void downgrade_to_v6(const char *path)
{
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_exec(db,
                     "BEGIN;"
                     "CREATE TABLE days_v6(series_id INTEGER NOT NULL REFERENCES series(id),"
                     " day INTEGER NOT NULL, n INTEGER NOT NULL, minutes BLOB NOT NULL,"
                     " PRIMARY KEY (series_id, day)) WITHOUT ROWID;"
                     "INSERT INTO days_v6 SELECT series_id, day, n, minutes FROM days;"
                     "DROP TABLE days;" /* and its index */
                     "ALTER TABLE days_v6 RENAME TO days;" LOGS_TO_V7
                     "PRAGMA user_version = 6;"
                     "COMMIT;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    CU_ASSERT_EQUAL(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'days' AND "
                                "sql LIKE '%WITHOUT ROWID%'"),
                    1);
    CU_ASSERT_EQUAL(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                "tbl_name = 'days'"),
                    0);
    sqlite3_close(db);
}

/* Schema version 7 moved `days` from a WITHOUT ROWID table to a rowid table with its key in a
 * UNIQUE index. A version 6 file (a current file's `days` rebuilt with version 6's SQL) is
 * migrated on open: every row is kept byte for byte (ingested days over several series and
 * ingests, a day of random bytes, a row that is not a day at all), the series loads the same
 * doubles, the reads go through the index, and a rewrite of a day replaces its row. A current
 * file opens without migrating: with another connection holding the write lock, it opens
 * without waiting, where the version 6 file cannot be opened at all. */
static void test_migrate_v6_days(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v6.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    /* two models, three metrics, three days (2026-10-04 .. 06), two ingests, values with
     * fractions, zeros and large counts; the second ingest replaces one point */
    char csv[8192];
    size_t len = 0;
    static const char *const metric[3] = {"InputTokenCount", "OutputTokenCount",
                                          "CacheReadInputTokenCount"};
    for (int d = 4; d <= 6; d++)
        for (int m = 0; m < 3; m++)
            for (int k = 0; k < 4; k++)
                len += (size_t)snprintf(csv + len, sizeof csv - len,
                                        "2026-10-%02dT%02d:%02d:00Z,%s,%s,%.17g\n", d, 3 * k + m,
                                        7 * k + d, k == 3 ? "other" : "m", metric[m],
                                        k == 0 ? 0.0 : k == 1 ? 0.1 * d + m : 3e11 * k + d);
    tp_ingest_options o = {0};
    o.period_s = 60;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "a.csv", csv, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "b.csv",
                                     "2026-10-05T03:07:00Z,m,InputTokenCount,5\n"
                                     "2026-10-07T23:59:00Z,m,InputTokenCount,6\n",
                                     NULL, &err),
                          TP_OK);
    /* rows no ingest writes: a day of random bytes (any doubles: NaNs, negative zeros) and a
     * row of the wrong size (read as corrupt, and to be kept as such) */
    unsigned char noise[STORE_DAY_BYTES];
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < sizeof noise; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        noise[i] = (unsigned char)(x >> 32);
    }
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(s->db,
                                       "INSERT INTO series(id, model, metric, period_s) VALUES "
                                       "(90, 'raw', 'InputTokenCount', 60)",
                                       NULL, NULL, NULL),
                          SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db, "INSERT INTO days VALUES (90, ?1, 7, ?2)",
                                             -1, &st, NULL),
                          SQLITE_OK);
    sqlite3_bind_int64(st, 1, 20731);
    sqlite3_bind_blob(st, 2, noise, STORE_DAY_BYTES, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, 20732);
    sqlite3_bind_blob(st, 2, noise, 100, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* what the current file holds: its rows and model m's loaded doubles */
    static day_row before[64], after[64];
    const size_t n_before = day_rows(s->db, before, 64);
    CU_ASSERT_EQUAL(n_before, 3 * 2 * 3 + 1 + 2); /* m's and other's, m's Oct 7, raw's two */
    tp_series *ser = NULL;
    tp_series_query q = {.model = "m"};
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    const size_t minutes = tp_series_minutes(ser);
    double *input = malloc(minutes * sizeof *input);
    CU_ASSERT_PTR_NOT_NULL_FATAL(input);
    memcpy(input, tp_series_values(ser, TP_METRIC_INPUT), minutes * sizeof *input);
    tp_series_free(ser);
    tp_store_close(s);
    s = NULL;

    downgrade_to_v6(path);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    int version = 0;
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, TP_SCHEMA_VERSION); /* through version 7, and on */
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM sqlite_master WHERE name = 'days' AND "
                                   "sql LIKE '%WITHOUT ROWID%'"),
                    0);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                   "name = 'days_by_series_day' AND sql LIKE '%UNIQUE%'"),
                    1);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM sqlite_master WHERE name = 'days_v7'"),
                    0);
    /* every row as it was, byte for byte */
    const size_t n_after = day_rows(s->db, after, 64);
    CU_ASSERT_EQUAL(n_after, n_before);
    for (size_t i = 0; i < n_before && i < n_after; i++) {
        CU_ASSERT_EQUAL(after[i].series_id, before[i].series_id);
        CU_ASSERT_EQUAL(after[i].day, before[i].day);
        CU_ASSERT_EQUAL(after[i].n, before[i].n);
        CU_ASSERT_EQUAL(after[i].bytes, before[i].bytes);
        CU_ASSERT(after[i].bytes == before[i].bytes &&
                  memcmp(after[i].blob, before[i].blob, (size_t)before[i].bytes) == 0);
    }
    CU_ASSERT_EQUAL(before[n_before - 1].bytes, 100); /* the corrupt row came through too */
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                   "integrity_check = 'ok'"),
                    1);
    /* the series loads the same doubles, bit for bit */
    CU_ASSERT_EQUAL_FATAL(tp_series_load(s, &q, &ser, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_series_minutes(ser), minutes);
    CU_ASSERT(memcmp(tp_series_values(ser, TP_METRIC_INPUT), input, minutes * sizeof *input) ==
              0);
    tp_series_free(ser);
    /* the day reads search the index (a key range), not the table */
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db,
                                             "EXPLAIN QUERY PLAN SELECT day, minutes FROM days "
                                             "WHERE series_id = ?1 AND day >= ?2 AND day <= ?3 "
                                             "ORDER BY day",
                                             -1, &st, NULL),
                          SQLITE_OK);
    int searched = 0, sorted = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *plan = (const char *)sqlite3_column_text(st, 3);
        searched |= strstr(plan, "SEARCH days USING INDEX days_by_series_day") != NULL;
        sorted |= strstr(plan, "TEMP B-TREE") != NULL;
    }
    sqlite3_finalize(st);
    CU_ASSERT(searched);
    CU_ASSERT(!sorted); /* key order from the index itself */
    /* a rewritten day replaces its row: one row per key, the new point in it */
    const long long rows = raw_int(s->db, "SELECT count(*) FROM days");
    o.as_of_s = 1791504000; /* 2026-10-09: newer than b.csv's export, so its point wins */
    CU_ASSERT_EQUAL(ingest_one(s, &o, "c.csv", "2026-10-05T03:07:00Z,m,InputTokenCount,8\n",
                               NULL, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM days"), rows);
    /* (q_double decodes every row: the rows that are not days go first) */
    CU_ASSERT_EQUAL(sqlite3_exec(s->db, "DELETE FROM days WHERE series_id = 90", NULL, NULL, NULL),
                    SQLITE_OK);
    CU_ASSERT_EQUAL(q_double(s, "SELECT value FROM points p JOIN series s ON s.id = p.series_id "
                                "WHERE s.model = 'm' AND s.metric = 'InputTokenCount' AND "
                                "p.minute = 29852827"), /* 2026-10-05T03:07Z / 60 */
                    8);
    tp_store_close(s);
    s = NULL;
    for (size_t i = 0; i < n_before; i++)
        free(before[i].blob);
    for (size_t i = 0; i < n_after; i++)
        free(after[i].blob);
    free(input);

    /* a current file opens without migrating: no write lock is needed ... */
    sqlite3 *holder = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &holder), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    tp_store_open_options oo = {0};
    oo.busy_timeout_ms = -1; /* do not wait for the lock */
    for (int f = 0; f < 2; f++) {
        oo.flags = f == 0 ? TP_STORE_EXISTING : TP_STORE_READONLY;
        CU_ASSERT_EQUAL(tp_store_open_with(path, &oo, &s, &err), TP_OK);
        tp_store_close(s);
        s = NULL;
    }
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    /* ... where a version 6 file needs it to migrate */
    downgrade_to_v6(path);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    oo.flags = TP_STORE_EXISTING;
    CU_ASSERT_EQUAL(tp_store_open_with(path, &oo, &s, &err), TP_ERR_DB);
    ASSERT_CONTAINS(err.message, "database is locked");
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(holder);
}

/* Every log row and key as text, in key order (the version 7 columns, read through the views
 * from version 8 on): the caller frees it. */
static char *log_rows_text(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    CU_ASSERT_EQUAL(
        sqlite3_prepare_v2(db,
                           "SELECT (SELECT group_concat(r, ';') FROM (SELECT model || '|' || "
                           "region || '|' || account || '|' || attr_by || '|' || attr_key || "
                           "'|' || minute || '|' || requests || '|' || errors || '|' || "
                           "input_tokens || '|' || output_tokens || '|' || cache_read_tokens || "
                           "'|' || cache_write_tokens AS r FROM log_minutes ORDER BY model, "
                           "region, account, attr_by, attr_key, minute)) || ' / ' || "
                           "(SELECT group_concat(r, ';') FROM (SELECT model || '|' || region || "
                           "'|' || account || '|' || attr_by || '|' || attr_key AS r FROM "
                           "log_keys ORDER BY model, region, account, attr_by, attr_key))",
                           -1, &st, NULL),
        SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    CU_ASSERT_PTR_NOT_NULL(out);
    return out;
}

static int sum_minute(void *ctx, int64_t minute, const store_log_sums *v)
{
    int64_t *acc = ctx;
    acc[0]++;
    acc[1] += minute * v->requests + v->input_tokens + 3 * v->output_tokens +
              5 * v->cache_read_tokens + 7 * v->cache_write_tokens + 11 * v->errors;
    return 0;
}

/* Schema version 8 keeps log sums by integer model and key ids (log_sums, log_key_ids,
 * log_models) where version 7 kept the text in every row. A version 7 file (a current file's
 * log tables rebuilt with version 7's SQL) is migrated on open: every row and key is kept
 * (two models, two places, three attributions, sums from 0 to 2^40, a key with no place),
 * the views show the version 7 columns, exports read the same bytes, the readers the same
 * sums, the old tables are gone, a minute's sums still add, and a new key gets a new id. */
static void test_migrate_v7_logs(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v7.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    static const char *const model[2] = {"arn:aws:bedrock:us-east-1:123456789012:"
                                         "application-inference-profile/abc",
                                         "m"};
    static const char *const by[3] = {"identity", "metadata:team", "operation"};
    static const char *const key[3] = {"arn:aws:iam::123456789012:role/a", "blue", "Converse"};
    static const char *const region[2] = {"", "eu-west-1"};
    static const char *const account[2] = {"", "123456789012"};
    store_log_writer *w = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(store_log_writer_open(s, &w, &err), TP_OK);
    for (int m = 0; m < 2; m++)
        for (int p = 0; p < 2; p++)
            for (int k = 0; k < 3; k++)
                for (int64_t minute = 29852820; minute < 29852826; minute += 1 + k) {
                    const store_log_sums v = {minute % 7, minute % 2, (int64_t)1 << (10 * k + 20),
                                              k * 1000 + m, 0, p};
                    CU_ASSERT_EQUAL(store_log_writer_add(w, model[m], region[p], account[p],
                                                         by[k], key[k], minute, &v, &err),
                                    TP_OK);
                }
    store_log_writer_close(w);
    w = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    char *rows_before = log_rows_text(s->db), *export_before[2];
    int64_t sums_before[2] = {0, 0};
    const store_place at = {"eu-west-1", NULL};
    for (int m = 0; m < 2; m++)
        export_before[m] = export_string(s, model[m]);
    CU_ASSERT_EQUAL(store_log_minutes_at(s, model[0], &at, NULL, 0, 0, INT64_MAX, sum_minute,
                                         sums_before, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(sums_before[0], 6); /* eu-west-1's minutes: 20 .. 25 (identity's) */
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_minutes"), 2 * 2 * (6 + 3 + 2));
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_keys"), 2 * 2 * 3);
    tp_store_close(s);
    s = NULL;

    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, "BEGIN;" LOGS_TO_V7 "PRAGMA user_version = 7; COMMIT;",
                                       NULL, NULL, NULL),
                          SQLITE_OK);
    CU_ASSERT_EQUAL(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                "name IN ('log_minutes', 'log_keys')"),
                    2);
    sqlite3_close(db);

    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    int version = 0;
    CU_ASSERT_EQUAL(tp_store_schema_version(s, &version, &err), TP_OK);
    CU_ASSERT_EQUAL(version, 8);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND "
                                   "name IN ('log_minutes', 'log_keys')"),
                    2);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM sqlite_master WHERE name = "
                                   "'log_sums' AND sql LIKE '%WITHOUT ROWID%'"),
                    1);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                                   "'%_v7' OR name = 'log_minutes_by_minute'"),
                    0);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_models"), 2);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_key_ids"), 2 * 2 * 3);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_sums"), 2 * 2 * (6 + 3 + 2));
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                   "integrity_check = 'ok'"),
                    1);
    /* every row and key as it was; the exports and the readers' sums the same */
    char *rows_after = log_rows_text(s->db);
    CU_ASSERT_STRING_EQUAL(rows_after != NULL ? rows_after : "", rows_before);
    for (int m = 0; m < 2; m++) {
        char *e = export_string(s, model[m]);
        CU_ASSERT_STRING_EQUAL(e != NULL ? e : "", export_before[m]);
        CU_ASSERT(strstr(e != NULL ? e : "", "1099511627776") != NULL); /* 2^40 */
        free(e);
        free(export_before[m]);
    }
    int64_t sums_after[2] = {0, 0};
    CU_ASSERT_EQUAL(store_log_minutes_at(s, model[0], &at, NULL, 0, 0, INT64_MAX, sum_minute,
                                         sums_after, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(sums_after[0], sums_before[0]);
    CU_ASSERT_EQUAL(sums_after[1], sums_before[1]);
    /* a model's minutes are read in the key's order: no sort */
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db,
                                             "EXPLAIN QUERY PLAN SELECT minute, sum(requests) "
                                             "FROM log_sums WHERE model_id = ?1 AND minute >= ?2 "
                                             "AND minute < ?3 GROUP BY minute ORDER BY minute",
                                             -1, &st, NULL),
                          SQLITE_OK);
    int searched = 0, sorted = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *plan = (const char *)sqlite3_column_text(st, 3);
        searched |= strstr(plan, "SEARCH log_sums USING PRIMARY KEY") != NULL;
        sorted |= strstr(plan, "TEMP B-TREE") != NULL;
    }
    sqlite3_finalize(st);
    CU_ASSERT(searched);
    CU_ASSERT(!sorted);
    /* sums still add into a migrated minute; a new key takes a new id */
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(store_log_writer_open(s, &w, &err), TP_OK);
    const store_log_sums one = {1, 0, 5, 0, 0, 0};
    CU_ASSERT_EQUAL(store_log_writer_add(w, "m", "", "", "identity", key[0], 29852820, &one, &err),
                    TP_OK);
    CU_ASSERT_EQUAL(store_log_writer_add(w, "m", "", "", "identity", "new", 29852820, &one, &err),
                    TP_OK);
    store_log_writer_close(w);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT input_tokens FROM log_minutes WHERE model = 'm' AND "
                                   "region = '' AND attr_key = 'arn:aws:iam::123456789012:role/a' "
                                   "AND minute = 29852820"),
                    (1 << 20) + 5);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_sums"), 2 * 2 * (6 + 3 + 2) + 1);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT max(id) FROM log_key_ids"), 2 * 2 * 3 + 1);
    free(rows_before);
    free(rows_after);
    tp_store_close(s);
}

/* Adds one log sum (input_tokens in) of model "m" under identity's key at a place and minute. */
static void put_log(tp_store *s, const char *key, const char *region, const char *account,
                    int64_t minute, int64_t in)
{
    store_log_writer *w = NULL;
    tp_error err;
    const store_log_sums v = {1, 0, in, 0, 0, 0};
    CU_ASSERT_EQUAL_FATAL(store_log_writer_open(s, &w, &err), TP_OK);
    CU_ASSERT_EQUAL(store_log_writer_add(w, "m", region, account, "identity", key, minute, &v,
                                         &err),
                    TP_OK);
    store_log_writer_close(w);
}

/* relabel on the version 8 log tables: the keys without a place move; a key the new place
 * holds already takes the moved sums under its own id (its old row goes); a minute both places
 * hold is refused with nothing moved. */
static void test_relabel_log_ids(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/relabel.db", tmpdir);
    tp_store *s = NULL;
    tp_error err;
    tp_store_relabel_result res;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    put_log(s, "a", "", "", 100, 1);
    put_log(s, "a", "", "", 101, 2);
    put_log(s, "b", "", "", 100, 4);
    put_log(s, "a", "eu-west-1", "123456789012", 102, 8);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_key_ids"), 3);
    CU_ASSERT_EQUAL(tp_store_relabel(s, "m", "eu-west-1", "123456789012", &res, &err), TP_OK);
    CU_ASSERT_EQUAL(res.log_minutes, 3);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_key_ids"), 2); /* a, b */
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_minutes WHERE region = "
                                   "'eu-west-1' AND account = '123456789012'"),
                    4);
    /* a's three minutes under one id: 1 + 2 + 8, and b's 4 */
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(DISTINCT key_id) * 100 + sum(input_tokens) "
                                   "FROM log_sums s JOIN log_key_ids k ON k.id = s.key_id WHERE "
                                   "k.attr_key = 'a'"),
                    111);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT sum(input_tokens) FROM log_minutes WHERE attr_key = "
                                   "'b' AND region = 'eu-west-1'"),
                    4);
    /* minute 102 stored at both places: refused, nothing moved */
    put_log(s, "c", "", "", 102, 16);
    CU_ASSERT_EQUAL(tp_store_relabel(s, "m", "eu-west-1", "123456789012", &res, &err),
                    TP_ERR_CONFLICT);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_minutes WHERE region = ''"), 1);
    CU_ASSERT_EQUAL(raw_int(s->db, "SELECT count(*) FROM log_key_ids"), 3);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("store", make_tmpdir, remove_tmpdir);
    ADD(s, test_full_disk_message);
    ADD(s, test_schema_and_wal);
    ADD(s, test_open_existing);
    ADD(s, test_models);
    ADD(s, test_export_roundtrip);
    ADD(s, test_corrupt_day_row);
    ADD(s, test_series_list_and_day_iter);
    ADD(s, test_migrate_v1);
    ADD(s, test_migrate_v4_indexes);
    ADD(s, test_migrate_v6_days);
    ADD(s, test_migrate_v7_logs);
    ADD(s, test_relabel_log_ids);
}
