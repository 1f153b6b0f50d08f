/* store_export.c - writes everything stored (metric points and invocation log sums) as CSV
 * that ingest reads back to the same content. */
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "store/store_internal.h"
#include "store/store_logs.h"
#include "tierplan/timestamp.h"

/* Writes a CSV field, quoting it only when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *f)
{
    if (strpbrk(f, ",\"\r\n") == NULL) {
        fputs(f, out);
        return;
    }
    fputc('"', out);
    for (; *f; f++) {
        if (*f == '"')
            fputc('"', out);
        fputc(*f, out);
    }
    fputc('"', out);
}

/* Writes every point of one series, in time order; adds their count to *n. */
static tp_status export_series(tp_store *s, const char *model, const store_series_info *info,
                               FILE *out, store_day *day, size_t *n, tp_error *err)
{
    store_day_iter *it = NULL;
    tp_status rc = TP_OK;
    int64_t d = 0;
    int found = 0;
    if (!info->has_days)
        return TP_OK;
    if ((rc = store_day_iter_open(s, info->id, info->first_day, info->last_day, &it, err)) !=
        TP_OK)
        goto cleanup;
    while ((rc = store_day_iter_next(it, &d, day, &found, err)) == TP_OK && found) {
        for (int i = 0; i < STORE_DAY_MINUTES; i++) {
            if (day->ingest[i] == 0)
                continue;
            char ts[TP_TIME_BUF], num[40];
            tp_timestamp_format((d * STORE_DAY_MINUTES + i) * 60, ts);
            cnum_format(num, sizeof num, day->value[i]);
            fputs(ts, out);
            fputc(',', out);
            csv_field(out, model);
            fputc(',', out);
            csv_field(out, info->metric);
            fprintf(out, ",%s,", num);
            csv_field(out, info->resolved_tier);
            fputc(',', out);
            csv_field(out, info->service_tier);
            fprintf(out, ",%d,", info->period_s);
            csv_field(out, info->region);
            fputc(',', out);
            csv_field(out, info->account);
            fputs(",metrics,,\n", out);
            (*n)++;
        }
    }
cleanup:
    store_day_iter_close(it);
    return rc;
}

/* Writes every series of one model recorded at the place asked for (NULL: any), ordered by
 * account, region, metric, tiers and period. */
static tp_status export_model(tp_store *s, const char *model, const char *region,
                              const char *account, FILE *out, store_day *day, size_t *n,
                              tp_error *err)
{
    store_series_info *list = NULL;
    size_t n_list = 0;
    tp_status rc = store_series_list(s, model, &list, &n_list, err);
    for (size_t i = 0; rc == TP_OK && i < n_list; i++) {
        if ((region != NULL && strcmp(list[i].region, region) != 0) ||
            (account != NULL && strcmp(list[i].account, account) != 0))
            continue;
        rc = export_series(s, model, &list[i], out, day, n, err);
    }
    store_series_list_free(list, n_list);
    return rc;
}

/* The sums a row of log_minutes holds, by the names the CSV gives them (docs/formats.md). */
static const char *const log_sum_names[6] = {"requests",      "errors",
                                             "input_tokens",  "output_tokens",
                                             "cache_read_tokens", "cache_write_tokens"};

/* Writes every log sum of one model recorded at the place asked for (NULL: any): one line per
 * sum of each (place, attribution, key, minute), ordered so; adds their count to *n. */
static tp_status export_logs(tp_store *s, const char *model, const char *region,
                             const char *account, FILE *out, size_t *n, tp_error *err)
{
    sqlite3_stmt *st = NULL;
    tp_status rc = store_prepare(
        s,
        "SELECT minute, region, account, attr_by, attr_key, requests, errors, input_tokens, "
        "output_tokens, cache_read_tokens, cache_write_tokens FROM log_minutes WHERE model = ?1 "
        "AND (?2 IS NULL OR region = ?2) AND (?3 IS NULL OR account = ?3) "
        "ORDER BY account, region, attr_by, attr_key, minute",
        &st, "exporting log sums", err);
    if (rc != TP_OK)
        return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    if (region != NULL)
        sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    if (account != NULL)
        sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char ts[TP_TIME_BUF];
        const char *text[4];
        for (int k = 0; k < 4; k++) {
            const unsigned char *t = sqlite3_column_text(st, 1 + k);
            text[k] = t != NULL ? (const char *)t : "";
        }
        tp_timestamp_format(sqlite3_column_int64(st, 0) * 60, ts);
        for (int k = 0; k < 6; k++) {
            fputs(ts, out);
            fputc(',', out);
            csv_field(out, model);
            fprintf(out, ",%s,%lld,,,60,", log_sum_names[k],
                    (long long)sqlite3_column_int64(st, 5 + k));
            csv_field(out, text[0]);
            fputc(',', out);
            csv_field(out, text[1]);
            fputs(",logs,", out);
            csv_field(out, text[2]);
            fputc(',', out);
            csv_field(out, text[3]);
            fputc('\n', out);
            (*n)++;
        }
    }
    if (step != SQLITE_DONE)
        rc = store_db_error(s, err, "exporting log sums");
    sqlite3_finalize(st);
    return rc;
}

tp_status tp_store_export_csv(tp_store *s, const char *model, FILE *out, size_t *out_points,
                              tp_error *err)
{
    return tp_store_export_csv_at(s, model, NULL, NULL, out, out_points, err);
}

tp_status tp_store_export_csv_at(tp_store *s, const char *model, const char *region,
                                 const char *account, FILE *out, size_t *out_points,
                                 tp_error *err)
{
    tp_status rc = TP_OK;
    char **models = NULL;
    size_t n_models = 0, n = 0;
    int reading = 0;
    store_day *day = malloc(sizeof *day);
    if (day == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* one snapshot: an ingest running meanwhile is exported wholly or not at all */
    if ((rc = store_read_begin(s, err)) != TP_OK)
        goto cleanup;
    reading = 1;
    if (model == NULL && (rc = tp_store_models(s, &models, &n_models, err)) != TP_OK)
        goto cleanup;
    fputs("timestamp,model,metric,value,tier,service_tier,period_s,region,account,source,"
          "attribute_by,key\n",
          out);
    for (size_t i = 0; rc == TP_OK && i < (model != NULL ? 1 : n_models); i++) {
        const char *m = model != NULL ? model : models[i];
        if ((rc = export_model(s, m, region, account, out, day, &n, err)) == TP_OK)
            rc = export_logs(s, m, region, account, out, &n, err);
    }
    if (rc != TP_OK)
        goto cleanup;
    if (ferror(out) || fflush(out) != 0) {
        rc = tp_error_set(err, TP_ERR_IO, "export: write error");
        goto cleanup;
    }
cleanup:
    if (reading)
        store_read_end(s);
    if (out_points != NULL)
        *out_points = n;
    tp_strv_free(models, n_models);
    free(day);
    return rc;
}
