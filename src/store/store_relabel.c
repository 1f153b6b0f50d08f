/* store_relabel.c - tp_store_relabel: a model's data stored without a region or account
 * (ingested before regions were recorded, or without --region) moved to the place it was
 * recorded in, in one transaction: metric series (their day rows, as-ofs and export spans
 * follow the series) and invocation log sums. Any minute the place already holds is refused:
 * merging would count one minute twice or pick one export over another without saying so. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "store/store_rows.h"
#include "tierplan/timestamp.h"

/* Sets err to the first minute both places hold and returns TP_ERR_CONFLICT. */
static tp_status overlap(const char *model, const char *what, int64_t minute,
                         const char *region, const char *account, tp_error *err)
{
    char ts[TP_TIME_BUF];
    tp_timestamp_format(minute * 60, ts);
    return tp_error_set(err, TP_ERR_CONFLICT,
                        "relabel: %s of model %s at %s is stored both without a region and "
                        "in region %s, account %s: nothing moved (the data overlap; delete "
                        "one of them by re-creating the database from the exports)",
                        what, model, ts, region, tp_store_place_name(account));
}

/* Merges the day rows of series src into series dst (same key, other place); refuses a
 * minute both hold. */
static tp_status merge_series(tp_store *s, int64_t src, int64_t dst, const char *model,
                              const char *metric, const char *region, const char *account,
                              tp_error *err)
{
    sqlite3_stmt *st = NULL;
    store_day *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    tp_status rc = TP_OK;
    if (a == NULL || b == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = store_prepare(s,
                            "SELECT x.day FROM days x JOIN days y ON y.day = x.day AND "
                            "y.series_id = ?2 WHERE x.series_id = ?1 ORDER BY x.day",
                            &st, "relabelling", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_int64(st, 1, src);
    sqlite3_bind_int64(st, 2, dst);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const int64_t day = sqlite3_column_int64(st, 0);
        if ((rc = store_day_get(s, src, day, a, err)) != TP_OK ||
            (rc = store_day_get(s, dst, day, b, err)) != TP_OK)
            goto cleanup;
        for (int m = 0; m < STORE_DAY_MINUTES; m++) {
            if (a->ingest[m] != 0 && b->ingest[m] != 0) {
                rc = overlap(model, metric, day * STORE_DAY_MINUTES + m, region, account, err);
                goto cleanup;
            }
            if (a->ingest[m] != 0) {
                b->value[m] = a->value[m];
                b->ingest[m] = a->ingest[m];
            }
        }
        if ((rc = store_day_put(s, dst, day, b, err)) != TP_OK)
            goto cleanup;
    }
    if (step != SQLITE_DONE) {
        rc = store_db_error(s, err, "relabelling");
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* the shared days are in dst now; the others move whole, with the as-ofs and spans */
    static const char *const moves[] = {
        "DELETE FROM days WHERE series_id = ?1 AND day IN (SELECT day FROM days WHERE "
        "series_id = ?2)",
        "UPDATE days SET series_id = ?2 WHERE series_id = ?1",
        "INSERT INTO ingest_series(ingest_id, series_id, as_of) SELECT ingest_id, ?2, as_of "
        "FROM ingest_series WHERE series_id = ?1 ON CONFLICT (ingest_id, series_id) DO "
        "UPDATE SET as_of = max(as_of, excluded.as_of)",
        "DELETE FROM ingest_series WHERE series_id = ?1",
        "INSERT OR IGNORE INTO ingest_spans(ingest_id, series_id, from_s, to_s) SELECT "
        "ingest_id, ?2, from_s, to_s FROM ingest_spans WHERE series_id = ?1",
        "DELETE FROM ingest_spans WHERE series_id = ?1",
        "DELETE FROM series WHERE id = ?1"};
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        if ((rc = store_prepare(s, moves[i], &st, "relabelling", err)) != TP_OK)
            goto cleanup;
        sqlite3_bind_int64(st, 1, src);
        sqlite3_bind_int64(st, 2, dst);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = store_db_error(s, err, "relabelling");
            goto cleanup;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
cleanup:
    sqlite3_finalize(st);
    free(a);
    free(b);
    return rc;
}

/* Moves every metric series of the model without a region or account. */
static tp_status move_series(tp_store *s, const char *model, const char *region,
                             const char *account, tp_store_relabel_result *res, tp_error *err)
{
    sqlite3_stmt *list = NULL, *find = NULL, *upd = NULL;
    tp_status rc = TP_OK;
    if ((rc = store_prepare(s,
                            "SELECT s.id, s.metric, s.service_tier, s.resolved_tier, "
                            "s.period_s, (SELECT coalesce(sum(n), 0) FROM days d WHERE "
                            "d.series_id = s.id) FROM series s WHERE s.model = ?1 AND "
                            "s.region = '' AND s.account = '' ORDER BY s.id",
                            &list, "relabelling", err)) != TP_OK ||
        (rc = store_prepare(s,
                            "SELECT id FROM series WHERE model = ?1 AND region = ?2 AND "
                            "account = ?3 AND metric = ?4 AND service_tier = ?5 AND "
                            "resolved_tier = ?6 AND period_s = ?7",
                            &find, "relabelling", err)) != TP_OK ||
        (rc = store_prepare(s, "UPDATE series SET region = ?2, account = ?3 WHERE id = ?1",
                            &upd, "relabelling", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(list, 1, model, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(list)) == SQLITE_ROW) {
        const int64_t src = sqlite3_column_int64(list, 0);
        const char *metric = (const char *)sqlite3_column_text(list, 1);
        sqlite3_reset(find);
        sqlite3_bind_text(find, 1, model, -1, SQLITE_STATIC);
        sqlite3_bind_text(find, 2, region, -1, SQLITE_STATIC);
        sqlite3_bind_text(find, 3, account, -1, SQLITE_STATIC);
        for (int c = 1; c <= 3; c++)
            sqlite3_bind_text(find, c + 3, (const char *)sqlite3_column_text(list, c), -1,
                              SQLITE_TRANSIENT);
        sqlite3_bind_int(find, 7, sqlite3_column_int(list, 4));
        int f = sqlite3_step(find);
        if (f == SQLITE_ROW) {
            const int64_t dst = sqlite3_column_int64(find, 0);
            if ((rc = merge_series(s, src, dst, model, metric, region, account, err)) !=
                TP_OK)
                goto cleanup;
        } else if (f == SQLITE_DONE) {
            sqlite3_reset(upd);
            sqlite3_bind_int64(upd, 1, src);
            sqlite3_bind_text(upd, 2, region, -1, SQLITE_STATIC);
            sqlite3_bind_text(upd, 3, account, -1, SQLITE_STATIC);
            if (sqlite3_step(upd) != SQLITE_DONE) {
                rc = store_db_error(s, err, "relabelling");
                goto cleanup;
            }
        } else {
            rc = store_db_error(s, err, "relabelling");
            goto cleanup;
        }
        res->series++;
        res->metric_minutes += (size_t)sqlite3_column_int64(list, 5);
    }
    if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "relabelling");
cleanup:
    sqlite3_finalize(list);
    sqlite3_finalize(find);
    sqlite3_finalize(upd);
    return rc;
}

/* Moves the model's log sums without a region or account; refuses a minute both hold. */
static tp_status move_logs(tp_store *s, const char *model, const char *region,
                           const char *account, tp_store_relabel_result *res, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = TP_OK;
    /* the keys (log_key_ids) move; the sums keep their key ids, except where the key is
     * stored at the new place already: those take its id (no minute is at both places) */
    if ((rc = store_prepare(s,
                            "SELECT min(x.minute) FROM log_sums x JOIN log_models m ON "
                            "m.id = x.model_id JOIN log_key_ids kx ON kx.id = x.key_id WHERE "
                            "m.model = ?1 AND kx.region = '' AND kx.account = '' AND EXISTS "
                            "(SELECT 1 FROM log_sums y JOIN log_key_ids ky ON ky.id = y.key_id "
                            "WHERE y.model_id = x.model_id AND y.minute = x.minute AND "
                            "ky.region = ?2 AND ky.account = ?3)",
                            &st, "relabelling", err)) != TP_OK)
        goto cleanup;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = store_db_error(s, err, "relabelling");
        goto cleanup;
    }
    if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
        rc = overlap(model, "invocation log sums", sqlite3_column_int64(st, 0), region,
                     account, err);
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
#define UNKNOWN_KEYS                                                                               \
    "SELECT k.id FROM log_key_ids k JOIN log_models m ON m.id = k.model_id WHERE m.model = ?1 "    \
    "AND k.region = '' AND k.account = ''"
/* the key at the new place with the same attribution as key o */
#define TARGET(o)                                                                                  \
    "SELECT t.id FROM log_key_ids t WHERE t.model_id = " o ".model_id AND t.attr_by = " o          \
    ".attr_by AND t.attr_key = " o ".attr_key AND t.region = ?2 AND t.account = ?3"
    static const char *const moves[] = {
        "SELECT count(*) FROM log_sums WHERE key_id IN (" UNKNOWN_KEYS ")",
        "UPDATE log_sums SET key_id = (SELECT t.id FROM log_key_ids o JOIN log_key_ids t ON "
        "t.model_id = o.model_id AND t.attr_by = o.attr_by AND t.attr_key = o.attr_key AND "
        "t.region = ?2 AND t.account = ?3 WHERE o.id = log_sums.key_id) WHERE key_id IN "
        "(" UNKNOWN_KEYS " AND EXISTS (" TARGET("k") "))",
        "DELETE FROM log_key_ids WHERE id IN (" UNKNOWN_KEYS " AND EXISTS (" TARGET("k") "))",
        "UPDATE log_key_ids SET region = ?2, account = ?3 WHERE id IN (" UNKNOWN_KEYS ")"};
#undef UNKNOWN_KEYS
#undef TARGET
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        if ((rc = store_prepare(s, moves[i], &st, "relabelling", err)) != TP_OK)
            goto cleanup;
        sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
        if (i > 0) {
            sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
        }
        const int step = sqlite3_step(st);
        if (i == 0 && step == SQLITE_ROW)
            res->log_minutes = (size_t)sqlite3_column_int64(st, 0);
        else if (step != SQLITE_DONE) {
            rc = store_db_error(s, err, "relabelling");
            goto cleanup;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
cleanup:
    sqlite3_finalize(st);
    return rc;
}

tp_status tp_store_relabel(tp_store *s, const char *model, const char *region,
                           const char *account, tp_store_relabel_result *out, tp_error *err)
{
    tp_store_relabel_result res = {0};
    if (out != NULL)
        *out = res;
    if (model == NULL || model[0] == '\0')
        return tp_error_set_field(err, TP_ERR_USAGE, "model", "relabel needs {model}");
    if (!tp_store_region_valid(region))
        return tp_error_set_field(err, TP_ERR_USAGE, "region",
                                  "relabel needs {region}: an AWS region such as us-east-1");
    if (account == NULL)
        account = "";
    if (account[0] != '\0' && !tp_store_account_valid(account))
        return tp_error_set_field(err, TP_ERR_USAGE, "account",
                                  "{account} %s is not an AWS account id (12 digits)",
                                  account);
    if (s->readonly)
        return tp_error_set(err, TP_ERR_USAGE, "%s: opened read-only: cannot relabel",
                            s->path);
    tp_status rc = store_exec(s, "BEGIN IMMEDIATE", "relabelling", err);
    if (rc != TP_OK)
        return rc;
    if ((rc = move_series(s, model, region, account, &res, err)) != TP_OK ||
        (rc = move_logs(s, model, region, account, &res, err)) != TP_OK)
        goto cleanup;
    if (res.series == 0 && res.log_minutes == 0) {
        rc = tp_error_set(err, TP_ERR_NOT_FOUND,
                          "relabel: model %s has no data stored without a region and account",
                          model);
        goto cleanup;
    }
    rc = store_exec(s, "COMMIT", "relabelling", err);
cleanup:
    if (rc != TP_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    else if (out != NULL)
        *out = res;
    return rc;
}
