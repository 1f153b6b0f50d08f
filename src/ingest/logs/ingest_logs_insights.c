/* ingest_logs_insights.c - the rows of `aws logs get-query-results` output of any query: the
 * per-minute sums `tierplan export-cmd --source logs` asks for, or a row per request (summed
 * per minute by the caller); every value a string, the columns judged by ingest_logs_columns.c
 * (docs/formats.md, "Query results"). */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"

/* Cells of one row beyond this are not read (a query returns at most a few dozen fields). */
#define MAX_CELLS 256

/* One row: an array of {"field", "value"}. why is NULL for a good row; *fail is set to -1
 * out of memory, -2 past LOG_COLS_MAX_NAMES distinct names. */
static const char *read_row(const cJSON *row, log_cols *lc, log_record *r, int *fail)
{
    int col[MAX_CELLS];
    const char *val[MAX_CELLS];
    size_t n = 0;
    const cJSON *cell;
    cJSON_ArrayForEach(cell, row)
    {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(cell, "field");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cell, "value");
        if (!cJSON_IsString(f) || !cJSON_IsString(v) || n == MAX_CELLS)
            continue;
        if ((col[n] = log_cols_find(lc, f->valuestring, strlen(f->valuestring))) < 0) {
            *fail = col[n];
            return "not read";
        }
        val[n++] = v->valuestring;
    }
    return log_cols_row(lc, col, val, n, r);
}

tp_status ingest_logs_insights(const char *name, const char *data, size_t len, log_cols *lc,
                               insights_row_fn fn, void *ctx, tp_error *err)
{
    tp_status rc = TP_OK;
    int oom;
    cJSON *doc = cnum_json_parse(data, len, NULL, 0, &oom);
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(doc, "status");
    const cJSON *row;
    size_t i = 0;
    if (oom) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (doc == NULL || !cJSON_IsArray(results)) {
        rc = tp_error_set(err, TP_ERR_PARSE,
                          "%s: not aws logs get-query-results output (no results array)", name);
        goto cleanup;
    }
    cJSON_ArrayForEach(row, results)
    {
        log_record r;
        int fail = 0;
        const char *why = cJSON_IsArray(row) ? read_row(row, lc, &r, &fail) : "not a row";
        if (fail != 0) {
            rc = fail == -1 ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
                            : tp_error_set(err, TP_ERR_PARSE,
                                           "%s: row %zu: more than %d distinct fields: not "
                                           "query results tierplan reads",
                                           name, i + 1, LOG_COLS_MAX_NAMES);
            goto cleanup;
        }
        if ((rc = fn(ctx, &r, ++i, why, err)) != TP_OK)
            goto cleanup;
    }
    if (cJSON_IsString(status) && strcmp(status->valuestring, "Complete") != 0)
        rc = fn(ctx, NULL, 0, status->valuestring, err); /* the caller warns: partial results */
cleanup:
    cJSON_Delete(doc);
    return rc;
}
