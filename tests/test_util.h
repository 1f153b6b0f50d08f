/* test_util.h - helpers shared by the unit tests (header-only, static). */
#ifndef TIERPLAN_TEST_UTIL_H
#define TIERPLAN_TEST_UTIL_H

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"
#include "tierplan/tierplan.h"

#define ADD(suite, fn) CU_add_test(suite, #fn, fn)
#define ASSERT_NEAR(a, b, tol) CU_ASSERT(fabs((double)(a) - (double)(b)) <= (tol))
#define ASSERT_CONTAINS(hay, needle)                                                           \
    do {                                                                                       \
        const char *hay_ = (hay) != NULL ? (hay) : "(null)";                                   \
        if (strstr(hay_, (needle)) == NULL)                                                    \
            fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", (needle), hay_);                \
        CU_ASSERT_PTR_NOT_NULL(strstr(hay_, (needle)));                                        \
    } while (0)

/* Warnings collected by ingest, joined by newlines. */
typedef struct warnings {
    char text[8192];
    int count;
} warnings;

static inline void collect_warning(void *ctx, const char *msg)
{
    warnings *w = ctx;
    size_t n = strlen(w->text);
    snprintf(w->text + n, sizeof w->text - n, "%s\n", msg);
    w->count++;
}

static inline tp_store *open_mem(void)
{
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(":memory:", &s, &err), TP_OK);
    return s;
}

/* Ingests one buffer as one command. Returns the status; err holds the message. */
static inline tp_status ingest_one(tp_store *s, const tp_ingest_options *o, const char *name,
                            const char *data, tp_ingest_summary *sum, tp_error *err)
{
    tp_ingest *ing = NULL;
    tp_status rc = tp_ingest_begin(s, o, &ing, err);
    if (rc == TP_OK)
        rc = tp_ingest_buffer(ing, name, data, strlen(data), sum, err);
    if (rc == TP_OK)
        rc = tp_ingest_commit(ing, err);
    tp_ingest_free(ing);
    return rc;
}

/* Decodes every stored day into TEMP TABLE points(series_id, minute, value, ingest_id), one
 * row per stored point, so that tests can state what the store holds in plain SQL. */
static inline void refresh_points(tp_store *s)
{
    sqlite3_stmt *rd = NULL, *wr = NULL;
    static store_day day;
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(s->db,
                                       "DROP TABLE IF EXISTS temp.points; CREATE TEMP TABLE "
                                       "points(series_id, minute, value, ingest_id)",
                                       NULL, NULL, NULL),
                          SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(s->db, "SELECT series_id, day, minutes, n FROM days", -1, &rd, NULL),
        SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db, "INSERT INTO temp.points VALUES (?,?,?,?)",
                                             -1, &wr, NULL),
                          SQLITE_OK);
    while (sqlite3_step(rd) == SQLITE_ROW) {
        CU_ASSERT_EQUAL_FATAL(store_day_decode(sqlite3_column_blob(rd, 2),
                                               sqlite3_column_bytes(rd, 2), &day),
                              0);
        int n = 0;
        for (int i = 0; i < STORE_DAY_MINUTES; i++) {
            if (day.ingest[i] == 0)
                continue;
            n++;
            sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
            sqlite3_bind_int64(wr, 2, sqlite3_column_int64(rd, 1) * STORE_DAY_MINUTES + i);
            sqlite3_bind_double(wr, 3, day.value[i]);
            sqlite3_bind_int64(wr, 4, day.ingest[i]);
            CU_ASSERT_EQUAL(sqlite3_step(wr), SQLITE_DONE);
            sqlite3_reset(wr);
        }
        CU_ASSERT_EQUAL(n, sqlite3_column_int(rd, 3)); /* the row's count matches its minutes */
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
}

/* One integer from a SQL query (-1 when it fails); sees the decoded points table. */
static inline long long q_int(tp_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    refresh_points(s);
    long long v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static inline double q_double(tp_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    refresh_points(s);
    double v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

#endif
