/* store_export.c - writes the stored points as CSV that ingest reads back unchanged. */
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "store/store_internal.h"
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
            fputc('\n', out);
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
    fputs("timestamp,model,metric,value,tier,service_tier,period_s,region,account\n", out);
    if (model != NULL)
        rc = export_model(s, model, region, account, out, day, &n, err);
    for (size_t i = 0; rc == TP_OK && i < n_models; i++)
        rc = export_model(s, models[i], region, account, out, day, &n, err);
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
