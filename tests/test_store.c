/* test_store.c - schema versioning, WAL, model listing and the CSV export round trip. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <unistd.h>

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
    CU_ASSERT_PTR_NULL(s);
    /* reopening a current database migrates nothing and keeps data */
    snprintf(path, sizeof path, "%s/b.db", tmpdir);
    CU_ASSERT_EQUAL_FATAL(tp_store_open(path, &s, &err), TP_OK);
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "x.csv", "2026-10-05T14:00:00Z,m,InputTokenCount,1\n",
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
    CU_ASSERT_EQUAL(ingest_one(s, NULL, "x.csv",
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
    tp_ingest_options o = {0};
    o.period_s = 300;
    CU_ASSERT_EQUAL(ingest_one(a, NULL, "x.csv",
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
    ASSERT_CONTAINS(first, "timestamp,model,metric,value,tier,service_tier,period_s\n");
    ASSERT_CONTAINS(first, "2026-10-05T14:00:00Z,\"odd,\"\"id\",InputTokenCount,0.1,,,60\n");
    ASSERT_CONTAINS(first, "2026-10-05T10:00:00Z,m,OutputTokenCount,5,,,300\n");
    ASSERT_CONTAINS(first, "m,CacheReadInputTokenCount,1e-07,flex,,60\n");
    char *only = export_string(a, "m");
    CU_ASSERT_PTR_NULL(strstr(only, "odd"));
    free(first);
    free(second);
    free(only);
    tp_store_close(a);
    tp_store_close(b);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("store", make_tmpdir, remove_tmpdir);
    ADD(s, test_schema_and_wal);
    ADD(s, test_models);
    ADD(s, test_export_roundtrip);
}
