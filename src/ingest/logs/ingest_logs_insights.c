/* ingest_logs_insights.c - the rows of `aws logs get-query-results` output of the query that
 * `tierplan export-cmd --source logs` prints: per-minute sums per model and key, every value
 * a string, a missing field 0. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"
#include "tierplan/timestamp.h"

/* The minute of a Logs Insights time, "2025-08-15 12:44:00.000" (UTC) or ISO 8601. */
static int minute_of(const char *v, int64_t *out)
{
    char buf[64];
    int64_t t = 0;
    size_t n = strlen(v);
    if (n == 0 || n >= sizeof buf - 1)
        return -1;
    memcpy(buf, v, n + 1);
    if (n > 10 && buf[10] == ' ')
        buf[10] = 'T';
    if (tp_timestamp_parse(buf, n, &t, NULL) != TP_OK)
        return -1;
    *out = t / 60;
    return 0;
}

/* A count given as a string ("123", "123.0"); absent is 0. -1 when it is not a whole number
 * from 0 to 1e12. */
static int count_of(const char *v, int64_t *out)
{
    double d = 0;
    *out = 0;
    if (v == NULL)
        return 0;
    if (cnum_parse(v, strlen(v), &d) != 0 || !isfinite(d) || d < 0 ||
        d > INGEST_MAX_TOKENS_PER_MINUTE || d != floor(d))
        return -1;
    *out = (int64_t)d;
    return 0;
}

/* One row: an array of {"field", "value"}. why is NULL for a good row. */
static const char *read_row(const cJSON *row, const char *attribute_by, log_record *r)
{
    const char *minute = NULL, *model = NULL, *key = NULL, *nums[6] = {NULL};
    const char *region = NULL, *account = NULL;
    static const char *const names[6] = {"requests",          "errors",
                                         "input_tokens",      "output_tokens",
                                         "cache_read_tokens", "cache_write_tokens"};
    const cJSON *cell;
    memset(&r->v, 0, sizeof r->v);
    cJSON_ArrayForEach(cell, row)
    {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(cell, "field");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cell, "value");
        if (!cJSON_IsString(f) || !cJSON_IsString(v))
            continue;
        const char *name = f->valuestring;
        if (strcmp(name, "minute") == 0 || strcmp(name, "@timestamp") == 0 ||
            strcmp(name, "bin(1m)") == 0)
            minute = v->valuestring;
        else if (strcmp(name, "modelId") == 0)
            model = v->valuestring;
        else if (strcmp(name, "attr_key") == 0)
            key = v->valuestring;
        else if (strcmp(name, "region") == 0)
            region = v->valuestring;
        else if (strcmp(name, "accountId") == 0)
            account = v->valuestring;
        for (int k = 0; k < 6; k++)
            if (strcmp(name, names[k]) == 0)
                nums[k] = v->valuestring;
    }
    if (minute == NULL || minute_of(minute, &r->minute) != 0)
        return "no minute (a time like 2025-08-15 12:44:00.000)";
    if (model != NULL && strlen(model) > TP_INGEST_MAX_ID_BYTES)
        return log_why_long_model; /* refused whole: a cut id would merge models */
    if (model == NULL || *model == '\0')
        return "no modelId";
    const char *bad = ingest_text_problem(model, strlen(model));
    if (bad != NULL) /* the S3 path's reasons: ingest_text_problem gives one of two */
        return strcmp(bad, "invalid UTF-8") == 0 ? "a modelId that is not text (invalid UTF-8)"
                                                 : "a modelId that is not text (a control "
                                                   "character)";
    if (key != NULL && strlen(key) > TP_INGEST_MAX_ID_BYTES)
        return log_why_long_key;
    int64_t *dst[6] = {&r->v.requests,          &r->v.errors,
                       &r->v.input_tokens,      &r->v.output_tokens,
                       &r->v.cache_read_tokens, &r->v.cache_write_tokens};
    for (int k = 0; k < 6; k++)
        if (count_of(nums[k], dst[k]) != 0)
            return "a count that is not a whole number from 0 to 1e12";
    r->model = log_model_id(model);
    r->region = region;
    r->account = account;
    if (key != NULL && (attribute_by == NULL || strcmp(attribute_by, "identity") == 0))
        key = log_identity(key, r->key_buf, sizeof r->key_buf); /* fits: a prefix of key */
    r->key_problem = key != NULL && *key != '\0' ? ingest_text_problem(key, strlen(key)) : NULL;
    r->keyless = key == NULL || *key == '\0' || r->key_problem != NULL;
    r->key = r->keyless ? "unknown" : key;
    return NULL;
}

tp_status ingest_logs_insights(const char *name, const char *data, size_t len,
                               const char *attribute_by, insights_row_fn fn, void *ctx,
                               tp_error *err)
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
        const char *why = cJSON_IsArray(row) ? read_row(row, attribute_by, &r) : "not a row";
        if ((rc = fn(ctx, &r, ++i, why, err)) != TP_OK)
            goto cleanup;
    }
    if (cJSON_IsString(status) && strcmp(status->valuestring, "Complete") != 0)
        rc = fn(ctx, NULL, 0, status->valuestring, err); /* the caller warns: partial results */
cleanup:
    cJSON_Delete(doc);
    return rc;
}
