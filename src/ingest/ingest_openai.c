/* ingest_openai.c - decodes the OpenAI usage API's completions buckets (GET
 * /v1/organization/usage/completions?bucket_width=1m&group_by=model: pages of buckets, each
 * with a result per model) (docs/formats.md, "OpenAI usage API"). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_provider.h"

/* Adds value (at where) to the series (model, metric) at minute t0 of a bucket of period_s. */
static tp_status add(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                     const char *model, const char *metric, int period_s, int64_t t0,
                     double value, uint32_t loc, const char *where, tp_error *err)
{
    ingest_group *g;
    tp_status rc = prov_group(opts, dec, s, model, metric, period_s, where, &g, err);
    if (rc != TP_OK)
        return rc;
    if (ingest_group_push(g, t0, value, loc) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

/* One result of a bucket (at where): its input tokens less the cached ones as input (the
 * usage API counts cached tokens among input_tokens; Bedrock's InputTokenCount does not),
 * the cached ones as cache reads, output, and requests. */
static tp_status read_result(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                             const cJSON *r, int64_t t0, int period_s, uint32_t loc,
                             const char *where, size_t *batch_skipped, tp_error *err)
{
    tp_status rc;
    char w[400];
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(r, "object");
    if (cJSON_IsString(obj) &&
        strcmp(obj->valuestring, "organization.usage.completions.result") != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.object: \"%.80s\" is not completions usage (export "
                            "/v1/organization/usage/completions)",
                            dec->name, where, obj->valuestring);
    const cJSON *batch = cJSON_GetObjectItemCaseSensitive(r, "batch");
    if (cJSON_IsTrue(batch)) {
        (*batch_skipped)++; /* the Batch API is served apart from reserved capacity */
        return TP_OK;
    }
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "model");
    const char *model = cJSON_IsString(m) ? m->valuestring : NULL;
    if (model == NULL && opts->model == NULL)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s.model: missing or null (export with group_by=model, "
                                  "or pass {model})",
                                  dec->name, where);
    static const char *const names[4] = {"input_tokens", "input_cached_tokens", "output_tokens",
                                         "num_model_requests"};
    double v[4] = {0, 0, 0, 0};
    int have[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, names[k]);
        if (item == NULL || cJSON_IsNull(item)) {
            if (k == 0 || k == 2)
                return tp_error_set(err, TP_ERR_PARSE, "%s: %s.%s: missing", dec->name, where,
                                    names[k]);
            continue;
        }
        snprintf(w, sizeof w, "%s.%s", where, names[k]);
        if ((rc = prov_value(dec, item, 0, w, &v[k], err)) != TP_OK)
            return rc;
        have[k] = 1;
    }
    if (v[1] > v[0])
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.input_cached_tokens: more than input_tokens (which counts "
                            "them)",
                            dec->name, where);
    if ((rc = add(opts, dec, s, model, "InputTokenCount", period_s, t0, v[0] - v[1], loc, where,
                  err)) != TP_OK ||
        (rc = add(opts, dec, s, model, "OutputTokenCount", period_s, t0, v[2], loc, where,
                  err)) != TP_OK)
        return rc;
    if (have[1] && (rc = add(opts, dec, s, model, "CacheReadInputTokenCount", period_s, t0, v[1],
                             loc, where, err)) != TP_OK)
        return rc;
    if (have[3] && (rc = add(opts, dec, s, model, "Invocations", period_s, t0, v[3], loc, where,
                             err)) != TP_OK)
        return rc;
    return TP_OK;
}

tp_status ingest_openai_doc(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                            const cJSON *doc, const char *docname, int *more, tp_error *err)
{
    tp_status rc;
    char where[300];
    size_t batch_skipped = 0;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    if (!cJSON_IsArray(data))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s$.data: not an array", dec->name, docname);
    *more = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "has_more"));
    uint32_t bi = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, data)
    {
        int64_t t0, t1;
        char w[340];
        snprintf(where, sizeof where, "%s$.data[%u]", docname, (unsigned)bi);
        snprintf(w, sizeof w, "%s.start_time", where);
        if ((rc = prov_timestamp(dec, cJSON_GetObjectItemCaseSensitive(b, "start_time"), 1, w,
                                 &t0, err)) != TP_OK)
            return rc;
        snprintf(w, sizeof w, "%s.end_time", where);
        if ((rc = prov_timestamp(dec, cJSON_GetObjectItemCaseSensitive(b, "end_time"), 1, w,
                                 &t1, err)) != TP_OK)
            return rc;
        if ((rc = prov_check_period(opts, dec, t1 - t0, where, "start_time to end_time",
                                    err)) != TP_OK)
            return rc;
        /* the buckets span the request whole, empty ones included: the export's span
         * (its coverage) runs from the first bucket's start to the last one's end (its
         * as-of) */
        prov_set_span(s, 1, t0, t1);
        const cJSON *results = cJSON_GetObjectItemCaseSensitive(b, "results");
        if (!cJSON_IsArray(results))
            return tp_error_set(err, TP_ERR_PARSE, "%s: %s.results: not an array", dec->name,
                                where);
        int ri = 0;
        const cJSON *r;
        cJSON_ArrayForEach(r, results)
        {
            snprintf(w, sizeof w, "%s.results[%d]", where, ri++);
            if ((rc = read_result(opts, dec, s, r, t0, (int)(t1 - t0), bi, w, &batch_skipped,
                                  err)) != TP_OK)
                return rc;
        }
        bi++;
    }
    if (batch_skipped > 0)
        return prov_warn(dec, err,
                         "%s: %s%zu results of Batch API usage skipped: batch jobs are not "
                         "served from reserved capacity (export with batch=false)",
                         dec->name, docname, batch_skipped);
    return TP_OK;
}
