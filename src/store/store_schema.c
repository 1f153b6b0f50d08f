/* store_schema.c - the schema: the SQL that creates and upgrades a database file (PRAGMA
 * user_version counts the migrations applied), and the as-of table version 2 added. */
#define _POSIX_C_SOURCE 200809L
#include "store/store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Schema version 1. Tiers are '' (not NULL) when absent so that UNIQUE keys compare equal.
 * Points are stored a UTC day per row: one row carries the 1,440 minutes of one series and
 * day (value and writing ingest per minute). A row per point made every ingest a B-tree
 * insert per point and every load a row step per point; a row per day makes a year of one
 * metric 365 rows, and ingest a read-modify-write per day touched (docs/performance.md).
 * Foreign keys are declared for readers of the schema but not enforced (PRAGMA foreign_keys
 * stays off): only this module writes. */
static const char *const migrate_v1 =
    "CREATE TABLE series("
    " id INTEGER PRIMARY KEY,"
    " model TEXT NOT NULL,"
    " metric TEXT NOT NULL,"
    " service_tier TEXT NOT NULL DEFAULT '',"
    " resolved_tier TEXT NOT NULL DEFAULT '',"
    " period_s INTEGER NOT NULL CHECK (period_s > 0 AND period_s % 60 = 0),"
    " UNIQUE (model, metric, service_tier, resolved_tier, period_s));"
    "CREATE TABLE ingests("
    " id INTEGER PRIMARY KEY,"
    " source TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " format TEXT NOT NULL,"
    " ingested_at TEXT NOT NULL,"
    " points INTEGER NOT NULL DEFAULT 0,"
    " inserted INTEGER NOT NULL DEFAULT 0,"
    " replaced INTEGER NOT NULL DEFAULT 0,"
    " unchanged INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE days("
    " series_id INTEGER NOT NULL REFERENCES series(id),"
    " day INTEGER NOT NULL," /* Unix seconds / 86400: one UTC day of the series */
    " n INTEGER NOT NULL,"   /* minutes of the day that hold a point */
    " minutes BLOB NOT NULL," /* STORE_DAY_BYTES: see store_day_encode */
    " PRIMARY KEY (series_id, day)) WITHOUT ROWID;";

/* Version 2: the as-of of each ingest's series (see store_asof_put), and the points an ingest
 * left alone because the stored ones were newer. */
static const char *const migrate_v2 =
    "ALTER TABLE ingests ADD COLUMN kept_newer INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE ingest_series("
    " ingest_id INTEGER NOT NULL REFERENCES ingests(id),"
    " series_id INTEGER NOT NULL REFERENCES series(id),"
    " as_of INTEGER NOT NULL," /* Unix seconds: when the ingested snapshot was taken */
    " PRIMARY KEY (ingest_id, series_id)) WITHOUT ROWID;";

/* Version 3: the span each ingested export asked CloudWatch for, per series (the Start= and
 * End= of its label, or ingest's --span-from/--span-to), from which `tierplan series` tells
 * a minute without traffic (inside a span, no datapoint) from a minute never exported. A
 * series may hold several spans of one ingest (documents of one file asked for different
 * ranges). Data ingested before version 3 has no span: its coverage is unknown. */
static const char *const migrate_v3 =
    "CREATE TABLE ingest_spans("
    " ingest_id INTEGER NOT NULL REFERENCES ingests(id),"
    " series_id INTEGER NOT NULL REFERENCES series(id),"
    " from_s INTEGER NOT NULL," /* Unix seconds, inclusive */
    " to_s INTEGER NOT NULL,"   /* Unix seconds, exclusive */
    " CHECK (to_s > from_s),"
    " PRIMARY KEY (series_id, from_s, to_s, ingest_id)) WITHOUT ROWID;";

/* Version 1 files do not say when their data was exported. The nearest the stored data tells is
 * what ingest assumes for an export without End=: its last timestamp + period, here the last
 * minute each ingest still holds in each series. A later export then still wins those minutes
 * and an older one re-ingested does not overwrite them. */
static tp_status fill_v2(tp_store *s, tp_error *err)
{
    tp_status rc = TP_OK;
    sqlite3_stmt *rd = NULL;
    store_day *day = malloc(sizeof *day);
    uint32_t *ids = malloc(STORE_DAY_MINUTES * sizeof *ids);
    int64_t *last = malloc(STORE_DAY_MINUTES * sizeof *last);
    if (day == NULL || ids == NULL || last == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = store_prepare(s,
                            "SELECT d.series_id, d.day, d.minutes, s.period_s FROM days d "
                            "JOIN series s ON s.id = d.series_id",
                            &rd, "migrating to version 2", err)) != TP_OK)
        goto cleanup;
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        const int64_t sid = sqlite3_column_int64(rd, 0), d = sqlite3_column_int64(rd, 1);
        const int bytes = sqlite3_column_bytes(rd, 2);
        if (store_day_decode(sqlite3_column_blob(rd, 2), bytes, day) != 0)
            continue; /* a corrupt row is named when it is read; its as-of is moot */
        size_t n = 0;
        for (int m = 0; m < STORE_DAY_MINUTES; m++) {
            if (day->ingest[m] == 0)
                continue;
            size_t k = 0;
            while (k < n && ids[k] != day->ingest[m])
                k++;
            if (k == n)
                ids[n++] = day->ingest[m];
            last[k] = d * STORE_DAY_MINUTES + m; /* minutes ascend: the last one stays */
        }
        for (size_t k = 0; k < n && rc == TP_OK; k++)
            rc = store_asof_put(s, ids[k], sid, last[k] * 60 + sqlite3_column_int(rd, 3), err);
        if (rc != TP_OK)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "migrating to version 2");
cleanup:
    sqlite3_finalize(rd);
    free(day);
    free(ids);
    free(last);
    return rc;
}

/* Version 4: invocation log sums (docs/formats.md, "Invocation logs"). Log values are additive
 * per source object: log_objects names every object (S3 key, path or sha256 of stdin) whose
 * records were added once, and log_minutes holds the per-minute sums per model, attribution
 * (how the key was chosen: identity, metadata:KEY, operation, region) and key. Token counts
 * are whole numbers: sums stay exact. */
static const char *const migrate_v4_logs =
    "CREATE TABLE log_objects("
    " object TEXT PRIMARY KEY,"
    " ingest_id INTEGER NOT NULL REFERENCES ingests(id),"
    " records INTEGER NOT NULL DEFAULT 0,"
    " first_minute INTEGER,"
    " last_minute INTEGER) WITHOUT ROWID;"
    "CREATE TABLE log_minutes("
    " model TEXT NOT NULL,"
    " attr_by TEXT NOT NULL,"
    " attr_key TEXT NOT NULL,"
    " minute INTEGER NOT NULL," /* Unix seconds / 60 */
    " requests INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0,"
    " input_tokens INTEGER NOT NULL DEFAULT 0,"
    " output_tokens INTEGER NOT NULL DEFAULT 0,"
    " cache_read_tokens INTEGER NOT NULL DEFAULT 0,"
    " cache_write_tokens INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (model, attr_by, attr_key, minute)) WITHOUT ROWID;"
    "CREATE INDEX log_minutes_by_minute ON log_minutes(model, minute);"
    /* the distinct keys, so that the cap on metadata keys per model reads a few rows, not
     * every minute of every key */
    "CREATE TABLE log_keys("
    " model TEXT NOT NULL,"
    " attr_by TEXT NOT NULL,"
    " attr_key TEXT NOT NULL,"
    " PRIMARY KEY (model, attr_by, attr_key)) WITHOUT ROWID;";

/* Version 5: indexes for the log ingest's per-object lookups, which scanned every stored
 * object (docs/performance.md, "Many log objects"): the same-content warning finds ingests by
 * sha256, then their objects by ingest. */
static const char *const migrate_v5_indexes =
    "CREATE INDEX ingests_by_sha256 ON ingests(sha256);"
    "CREATE INDEX log_objects_by_ingest ON log_objects(ingest_id);";

/* Version 6: where data was recorded (docs/user-guide.md, "Regions and accounts"). A series'
 * key and a log sum's key gain the AWS region and account ('' unknown: the data already
 * stored, and data ingested without them). SQLite cannot change a UNIQUE constraint or a
 * primary key in place: each table is rebuilt under its own name, keeping the series ids the
 * day rows, as-ofs and spans refer to, inside the migration's transaction. */
static const char *const migrate_v6_places =
    "CREATE TABLE series_v6("
    " id INTEGER PRIMARY KEY,"
    " model TEXT NOT NULL,"
    " region TEXT NOT NULL DEFAULT '',"
    " account TEXT NOT NULL DEFAULT '',"
    " metric TEXT NOT NULL,"
    " service_tier TEXT NOT NULL DEFAULT '',"
    " resolved_tier TEXT NOT NULL DEFAULT '',"
    " period_s INTEGER NOT NULL CHECK (period_s > 0 AND period_s % 60 = 0),"
    " UNIQUE (model, region, account, metric, service_tier, resolved_tier, period_s));"
    "INSERT INTO series_v6(id, model, metric, service_tier, resolved_tier, period_s) "
    " SELECT id, model, metric, service_tier, resolved_tier, period_s FROM series;"
    "DROP TABLE series;"
    "ALTER TABLE series_v6 RENAME TO series;"
    "CREATE TABLE log_minutes_v6("
    " model TEXT NOT NULL,"
    " region TEXT NOT NULL DEFAULT '',"
    " account TEXT NOT NULL DEFAULT '',"
    " attr_by TEXT NOT NULL,"
    " attr_key TEXT NOT NULL,"
    " minute INTEGER NOT NULL," /* Unix seconds / 60 */
    " requests INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0,"
    " input_tokens INTEGER NOT NULL DEFAULT 0,"
    " output_tokens INTEGER NOT NULL DEFAULT 0,"
    " cache_read_tokens INTEGER NOT NULL DEFAULT 0,"
    " cache_write_tokens INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (model, region, account, attr_by, attr_key, minute)) WITHOUT ROWID;"
    "INSERT INTO log_minutes_v6(model, attr_by, attr_key, minute, requests, errors, "
    " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens) "
    " SELECT model, attr_by, attr_key, minute, requests, errors, input_tokens, output_tokens, "
    " cache_read_tokens, cache_write_tokens FROM log_minutes;"
    "DROP TABLE log_minutes;" /* drops log_minutes_by_minute with it */
    "ALTER TABLE log_minutes_v6 RENAME TO log_minutes;"
    "CREATE INDEX log_minutes_by_minute ON log_minutes(model, minute);"
    "CREATE TABLE log_keys_v6("
    " model TEXT NOT NULL,"
    " region TEXT NOT NULL DEFAULT '',"
    " account TEXT NOT NULL DEFAULT '',"
    " attr_by TEXT NOT NULL,"
    " attr_key TEXT NOT NULL,"
    " PRIMARY KEY (model, attr_by, attr_key, region, account)) WITHOUT ROWID;"
    "INSERT INTO log_keys_v6(model, attr_by, attr_key) "
    " SELECT model, attr_by, attr_key FROM log_keys;"
    "DROP TABLE log_keys;"
    "ALTER TABLE log_keys_v6 RENAME TO log_keys;";

/* Version 7: the day rows in an ordinary rowid table, their key (series_id, day) in a UNIQUE
 * index of its own. Up to version 6 `days` was WITHOUT ROWID: its rows (17 KB, mostly the
 * minutes blob) lived in the key's B-tree, whose interior cells then carried overflowing
 * records, so every key comparison on the way down read a whole row (docs/performance.md,
 * "The days table"). The index holds only the key and the rowid; the row keeps its columns
 * and their order, so every statement on `days` reads as before, in key order through the
 * index. The rows are copied in key order, which lays each series' days out one after the
 * other; the index is built after the copy. */
static const char *const migrate_v7_days =
    "CREATE TABLE days_v7("
    " series_id INTEGER NOT NULL REFERENCES series(id),"
    " day INTEGER NOT NULL,"
    " n INTEGER NOT NULL,"
    " minutes BLOB NOT NULL);"
    "INSERT INTO days_v7(series_id, day, n, minutes) "
    " SELECT series_id, day, n, minutes FROM days ORDER BY series_id, day;"
    "DROP TABLE days;"
    "ALTER TABLE days_v7 RENAME TO days;"
    "CREATE UNIQUE INDEX days_by_series_day ON days(series_id, day);";

/* Version 8: log sums reference their model and key by small integer ids. Up to version 7 each
 * minute-row of log_minutes carried the model id (often a 60-byte ARN), region, account,
 * attribution and key as text, twice (the primary key and the (model, minute) index): about
 * 300 B a stored minute-row (docs/performance.md, "The log store: schema version 8"). Now:
 * - log_models: a row per model (its id);
 * - log_key_ids: a row per (model, region, account, attribution, key), what log_keys held;
 * - log_sums: the sums of one minute of one key, WITHOUT ROWID keyed (model_id, minute,
 *   key_id): the key is the row, integers only (about 30 B), and the readers' walk of a
 *   model's minutes in order is the key's own order, so no second index is needed.
 * The views log_minutes and log_keys show the version 7 columns (for `sqlite3` users and
 * exports); the library writes and reads the tables. The rows are copied in key order. */
static const char *const migrate_v8_log_ids =
    "CREATE TABLE log_models("
    " id INTEGER PRIMARY KEY,"
    " model TEXT NOT NULL UNIQUE);"
    "CREATE TABLE log_key_ids("
    " id INTEGER PRIMARY KEY,"
    " model_id INTEGER NOT NULL REFERENCES log_models(id),"
    " region TEXT NOT NULL DEFAULT '',"
    " account TEXT NOT NULL DEFAULT '',"
    " attr_by TEXT NOT NULL,"
    " attr_key TEXT NOT NULL,"
    " UNIQUE (model_id, attr_by, attr_key, region, account));"
    "CREATE TABLE log_sums("
    " model_id INTEGER NOT NULL REFERENCES log_models(id),"
    " minute INTEGER NOT NULL," /* Unix seconds / 60 */
    " key_id INTEGER NOT NULL REFERENCES log_key_ids(id),"
    " requests INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0,"
    " input_tokens INTEGER NOT NULL DEFAULT 0,"
    " output_tokens INTEGER NOT NULL DEFAULT 0,"
    " cache_read_tokens INTEGER NOT NULL DEFAULT 0,"
    " cache_write_tokens INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (model_id, minute, key_id)) WITHOUT ROWID;"
    "INSERT INTO log_models(model) SELECT model FROM log_keys UNION SELECT model FROM "
    " log_minutes ORDER BY 1;"
    "INSERT INTO log_key_ids(model_id, region, account, attr_by, attr_key) "
    " SELECT m.id, k.region, k.account, k.attr_by, k.attr_key FROM "
    " (SELECT model, region, account, attr_by, attr_key FROM log_keys UNION "
    "  SELECT model, region, account, attr_by, attr_key FROM log_minutes) k "
    " JOIN log_models m ON m.model = k.model ORDER BY m.id, k.attr_by, k.attr_key, k.region, "
    " k.account;"
    "INSERT INTO log_sums(model_id, minute, key_id, requests, errors, input_tokens, "
    " output_tokens, cache_read_tokens, cache_write_tokens) "
    " SELECT k.model_id, l.minute, k.id, l.requests, l.errors, l.input_tokens, l.output_tokens, "
    " l.cache_read_tokens, l.cache_write_tokens FROM log_minutes l "
    " JOIN log_models m ON m.model = l.model "
    " JOIN log_key_ids k ON k.model_id = m.id AND k.attr_by = l.attr_by AND "
    " k.attr_key = l.attr_key AND k.region = l.region AND k.account = l.account "
    " ORDER BY 1, 2, 3;"
    "DROP TABLE log_minutes;" /* and log_minutes_by_minute */
    "DROP TABLE log_keys;"
    "CREATE VIEW log_minutes AS SELECT m.model AS model, k.region AS region, "
    " k.account AS account, k.attr_by AS attr_by, k.attr_key AS attr_key, s.minute AS minute, "
    " s.requests AS requests, s.errors AS errors, s.input_tokens AS input_tokens, "
    " s.output_tokens AS output_tokens, s.cache_read_tokens AS cache_read_tokens, "
    " s.cache_write_tokens AS cache_write_tokens "
    " FROM log_sums s JOIN log_key_ids k ON k.id = s.key_id JOIN log_models m ON m.id = s.model_id;"
    "CREATE VIEW log_keys AS SELECT m.model AS model, k.region AS region, k.account AS account, "
    " k.attr_by AS attr_by, k.attr_key AS attr_key "
    " FROM log_key_ids k JOIN log_models m ON m.id = k.model_id;";

/* migrations[i] takes a database from user_version i to i + 1: its SQL, then its fill (may be
 * NULL), which computes what the new tables hold for the existing data. */
static const struct {
    const char *sql;
    tp_status (*fill)(tp_store *s, tp_error *err);
} migrations[] = {{migrate_v1, NULL}, {migrate_v2, fill_v2}, {migrate_v3, NULL},
                  {migrate_v4_logs, NULL}, {migrate_v5_indexes, NULL},
                  {migrate_v6_places, NULL}, {migrate_v7_days, NULL},
                  {migrate_v8_log_ids, NULL}};
#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])
_Static_assert(N_MIGRATIONS == TP_SCHEMA_VERSION, "each migration raises the version by one");

tp_status store_too_new(tp_store *s, int version, tp_error *err)
{
    return tp_error_set(err, TP_ERR_DB,
                        "%s: schema version %d is newer than this tierplan (%d); upgrade "
                        "tierplan",
                        s->path, version, (int)N_MIGRATIONS);
}

tp_status store_migrate(tp_store *s, tp_error *err)
{
    tp_status rc = store_exec(s, "BEGIN IMMEDIATE", "upgrading the schema", err);
    if (rc != TP_OK)
        return rc;
    int v = 0;
    if ((rc = tp_store_schema_version(s, &v, err)) != TP_OK)
        goto cleanup;
    if (v > (int)N_MIGRATIONS) {
        rc = store_too_new(s, v, err);
        goto cleanup;
    }
    for (; v < (int)N_MIGRATIONS; v++) {
        char pragma[64], what[64];
        snprintf(what, sizeof what, "migrating to schema version %d", v + 1);
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if ((rc = store_exec(s, migrations[v].sql, what, err)) != TP_OK ||
            (migrations[v].fill != NULL && (rc = migrations[v].fill(s, err)) != TP_OK) ||
            (rc = store_exec(s, pragma, what, err)) != TP_OK)
            goto cleanup;
    }
    rc = store_exec(s, "COMMIT", "upgrading the schema", err);
cleanup:
    if (rc != TP_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

tp_status store_asof_put(tp_store *s, int64_t ingest_id, int64_t series_id, int64_t as_of_s,
                         tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    if ((rc = store_prepare(s,
                            "INSERT INTO ingest_series(ingest_id, series_id, as_of) "
                            "VALUES (?1, ?2, ?3) ON CONFLICT (ingest_id, series_id) "
                            "DO UPDATE SET as_of = max(as_of, excluded.as_of)",
                            &st, "recording as-of", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, ingest_id);
    sqlite3_bind_int64(st, 2, series_id);
    sqlite3_bind_int64(st, 3, as_of_s);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_error(s, err, "recording as-of");
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_asof_get(tp_store *s, int64_t ingest_id, int64_t series_id,
                         int64_t *out_as_of_s, int *out_found, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    *out_found = 0;
    if ((rc = store_prepare(s,
                            "SELECT as_of FROM ingest_series WHERE ingest_id = ?1 AND "
                            "series_id = ?2",
                            &st, "reading as-of", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, ingest_id);
    sqlite3_bind_int64(st, 2, series_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *out_as_of_s = sqlite3_column_int64(st, 0);
        *out_found = 1;
    } else if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "reading as-of");
    }
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_span_put(tp_store *s, int64_t ingest_id, int64_t series_id, int64_t from_s,
                         int64_t to_s, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    if ((rc = store_prepare(s,
                            "INSERT OR IGNORE INTO ingest_spans(ingest_id, series_id, from_s, "
                            "to_s) VALUES (?1, ?2, ?3, ?4)",
                            &st, "recording an export's span", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, ingest_id);
    sqlite3_bind_int64(st, 2, series_id);
    sqlite3_bind_int64(st, 3, from_s);
    sqlite3_bind_int64(st, 4, to_s);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_error(s, err, "recording an export's span");
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status store_span_put_stored(tp_store *s, int64_t ingest_id, const store_series_key *key,
                                int64_t from_s, int64_t to_s, size_t *out_n, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    tp_status rc = TP_OK;
    int step;
    *out_n = 0;
    /* a lookup that never creates: an export of nothing must not list a series of nothing */
    if ((rc = store_prepare(s,
                            "SELECT id FROM series WHERE model=?1 AND metric=?2 AND "
                            "service_tier=?3 AND resolved_tier=?4 AND (?5=0 OR period_s=?5) "
                            "AND region=?6 AND account=?7 ORDER BY id",
                            &st, "looking up series", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(st, 1, key->model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key->metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key->service_tier != NULL ? key->service_tier : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 4, key->resolved_tier != NULL ? key->resolved_tier : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 5, key->period_s);
    sqlite3_bind_text(st, 6, key->region != NULL ? key->region : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, key->account != NULL ? key->account : "", -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (UTIL_GROW(ids, cap, n + 1) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "looking up series");
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t i = 0; i < n; i++)
        if ((rc = store_span_put(s, ingest_id, ids[i], from_s, to_s, err)) != TP_OK)
            goto cleanup;
    *out_n = n;
cleanup:
    sqlite3_finalize(st);
    free(ids);
    return rc;
}

tp_status store_spans_get(tp_store *s, int64_t series_id, store_span **out, size_t *out_n,
                          tp_error *err)
{
    sqlite3_stmt *st = NULL;
    store_span *v = NULL;
    size_t n = 0, cap = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    *out_n = 0;
    if ((rc = store_prepare(s,
                            "SELECT DISTINCT from_s, to_s FROM ingest_spans WHERE series_id = ?1 "
                            "ORDER BY from_s, to_s",
                            &st, "reading export spans", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, series_id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (UTIL_GROW(v, cap, n + 1) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        v[n].from_s = sqlite3_column_int64(st, 0);
        v[n].to_s = sqlite3_column_int64(st, 1);
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "reading export spans");
        goto cleanup;
    }
    *out = v;
    *out_n = n;
    v = NULL;
cleanup:
    free(v);
    sqlite3_finalize(st);
    return rc;
}
