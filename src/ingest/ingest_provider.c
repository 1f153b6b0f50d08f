/* ingest_provider.c - what the decoders of Azure Monitor, Cloud Monitoring and OpenAI usage
 * exports share: format detection, the document loop, series gathered by key and summed per
 * minute, and the checks of periods, timestamps, values and model ids. */
#define _POSIX_C_SOURCE 200809L
#include "ingest/ingest_provider.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "base/util.h"
#include "tierplan/timestamp.h"

/* Nonzero when the quoted member name key occurs in data[0, len). */
static int has_key(const char *data, size_t len, const char *key)
{
    char q[64];
    const int n = snprintf(q, sizeof q, "\"%s\"", key);
    for (size_t i = 0; n > 0 && i + (size_t)n <= len; i++) {
        const char *p = memchr(data + i, '"', len - i);
        if (p == NULL || (size_t)(p - data) + (size_t)n > len)
            return 0;
        i = (size_t)(p - data);
        if (memcmp(p, q, (size_t)n) == 0)
            return 1;
    }
    return 0;
}

/* 1 when data[0, len) is one JSON object of no member but "unit" (a string): Cloud
 * Monitoring's answer when no series matches; `{}` counts only when empty_ok. */
static int gcp_empty(const char *data, size_t len, int empty_ok)
{
    if (len > 4096)
        return 0;
    const char *end = NULL;
    int oom = 0;
    cJSON *doc = cnum_json_parse(data, len, &end, 0, &oom);
    int ok = doc != NULL && cJSON_IsObject(doc) && end != NULL;
    while (ok && end < data + len && isspace((unsigned char)*end))
        end++;
    ok = ok && end == data + len;
    int members = 0;
    const cJSON *m;
    const cJSON *obj = ok ? doc : NULL;
    cJSON_ArrayForEach(m, obj)
    {
        ok = ok && strcmp(m->string, "unit") == 0 && cJSON_IsString(m);
        members++;
    }
    cJSON_Delete(doc);
    return ok && (members > 0 || empty_ok);
}

/* 1 when name's last component starts with "tierplan-gcp-" (export-cmd --provider gcp). */
static int gcp_file_name(const char *name)
{
    const char *slash = name != NULL ? strrchr(name, '/') : NULL;
    const char *base = slash != NULL ? slash + 1 : name;
    return base != NULL && strncmp(base, "tierplan-gcp-", 13) == 0;
}

const char *ingest_provider_sniff(const char *name, const char *data, size_t len)
{
    const size_t n = len < 65536 ? len : 65536;
    /* CloudWatch's members come first in its exports: its own decoder reads them */
    if (has_key(data, n, "MetricDataResults") || has_key(data, n, "Datapoints"))
        return NULL;
    if (has_key(data, n, "timeseries") && has_key(data, n, "value"))
        return "azure-monitor";
    if (has_key(data, n, "timeSeries") ||
        (has_key(data, n, "points") && has_key(data, n, "metric") &&
         has_key(data, n, "resource")))
        return "gcp-monitoring";
    if (has_key(data, n, "object") && has_key(data, n, "bucket") &&
        has_key(data, n, "results"))
        return "openai-usage";
    if (gcp_empty(data, len, gcp_file_name(name)))
        return "gcp-monitoring";
    return NULL;
}

tp_status prov_warn(ingest_decoded *dec, tp_error *err, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const size_t before = dec->n_warnings;
    ingest_warn(dec, "%s", msg);
    return dec->n_warnings > before ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}

tp_status prov_check_model(const ingest_decoded *dec, const char *model, const char *where,
                           tp_error *err)
{
    if (model == NULL || model[0] == '\0')
        return tp_error_set_field(err, TP_ERR_INVALID, NULL, "%s: %s: no model id (pass {model})",
                                  dec->name, where);
    const char *problem = ingest_text_problem(model, strlen(model));
    if (problem != NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: model id holds %s", dec->name, where,
                            problem);
    return TP_OK;
}

tp_status prov_group(const tp_ingest_options *opts, const ingest_decoded *dec, prov_set *s,
                     const char *model, const char *metric, int period_s, const char *where,
                     ingest_group **out, tp_error *err)
{
    tp_status rc;
    if (opts->model != NULL)
        model = opts->model;
    if ((rc = prov_check_model(dec, model, where, err)) != TP_OK)
        return rc;
    for (size_t i = 0; i < s->n; i++) {
        ingest_group *g = &s->g[i];
        if (strcmp(g->model, model) != 0 || strcmp(g->metric, metric) != 0)
            continue;
        if (g->period_s != period_s)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s: %s %s has points of %d s here but of %d s at %s",
                                dec->name, where, model, metric, period_s, g->period_s,
                                g->where);
        *out = g;
        return TP_OK;
    }
    if (UTIL_GROW(s->g, s->cap, s->n + 1) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    ingest_group *g = &s->g[s->n++];
    memset(g, 0, sizeof *g);
    g->period_s = period_s;
    g->elem = NULL;
    if ((g->model = strdup(model)) == NULL || (g->metric = strdup(metric)) == NULL ||
        (g->service_tier = strdup("")) == NULL ||
        (g->resolved_tier = strdup(opts->tier != NULL ? opts->tier : "")) == NULL ||
        (g->where = strdup(where)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if ((rc = ingest_place_resolve(opts, dec, where, "region", &g->region, err)) != TP_OK ||
        (rc = ingest_place_resolve(opts, dec, where, "account", &g->account, err)) != TP_OK)
        return rc;
    *out = g;
    return TP_OK;
}

static int by_ts(const void *a, const void *b)
{
    const ingest_point *x = a, *y = b;
    if (x->ts_s != y->ts_s)
        return x->ts_s < y->ts_s ? -1 : 1;
    return x->loc < y->loc ? -1 : x->loc > y->loc;
}

void prov_set_span(prov_set *s, int has_from, int64_t from_s, int64_t to_s)
{
    if (has_from && (!s->has_from || from_s < s->from_s)) {
        s->from_s = from_s;
        s->has_from = 1;
    }
    if (!s->has_to || to_s > s->to_s) {
        s->to_s = to_s;
        s->has_to = 1;
    }
}

tp_status prov_set_finish(ingest_decoded *dec, prov_set *s, tp_error *err)
{
    tp_status rc;
    for (size_t i = 0; i < s->n; i++) {
        ingest_group *g = &s->g[i];
        /* the export's own span: its as-of, and its coverage when it states its start */
        if (!g->has_end && s->has_to) {
            g->end_s = s->to_s;
            g->has_end = 1;
        }
        if (!g->has_start && s->has_from && g->has_end && s->from_s < g->end_s) {
            g->start_s = s->from_s;
            g->has_start = 1;
        }
        if (g->n > 1)
            qsort(g->pts, g->n, sizeof *g->pts, by_ts);
        size_t k = 0;
        for (size_t j = 0; j < g->n; j++) {
            if (k > 0 && g->pts[k - 1].ts_s == g->pts[j].ts_s)
                g->pts[k - 1].value += g->pts[j].value;
            else
                g->pts[k++] = g->pts[j];
        }
        g->n = k;
        if ((rc = ingest_take_group(dec, g, err)) != TP_OK)
            return rc;
    }
    return TP_OK;
}

void prov_set_deinit(prov_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        ingest_group_deinit(&s->g[i]);
    free(s->g);
    memset(s, 0, sizeof *s);
}

tp_status prov_check_period(const tp_ingest_options *opts, const ingest_decoded *dec,
                            int64_t period_s, const char *where, const char *what,
                            tp_error *err)
{
    if (period_s < 60 || period_s > 86400 || period_s % 60 != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: %s is not a whole number of minutes from 1 minute to a "
                            "day",
                            dec->name, where, what);
    if (period_s == 60 && (opts->period_s == 0 || opts->period_s == 60))
        return TP_OK;
    if (opts->period_s == period_s)
        return TP_OK;
    if (opts->period_s != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s: %s (%lld s) but {period_s} %d s", dec->name, where,
                                  what, (long long)period_s, opts->period_s);
    return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                              "%s: %s: %s (%lld s) is coarser than a minute: export per "
                              "minute, or read it at its period with {period_s} %lld",
                              dec->name, where, what, (long long)period_s,
                              (long long)period_s);
}

tp_status prov_timestamp(const ingest_decoded *dec, const cJSON *item, int numeric,
                         const char *where, int64_t *out_s, tp_error *err)
{
    int64_t t;
    if (cJSON_IsString(item)) {
        if (tp_timestamp_parse(item->valuestring, strlen(item->valuestring), &t, NULL) != TP_OK)
            return tp_error_set(err, TP_ERR_PARSE, "%s: %s: unparsable timestamp \"%.40s\"",
                                dec->name, where, item->valuestring);
    } else if (numeric && cJSON_IsNumber(item)) {
        const double v = item->valuedouble;
        if (!isfinite(v) || v < 0 || v > 253402300740.0 || v != floor(v))
            return tp_error_set(err, TP_ERR_PARSE, "%s: %s: unparsable timestamp", dec->name,
                                where);
        t = (int64_t)v;
    } else {
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s: missing or not a timestamp", dec->name,
                            where);
    }
    if (t % 60 != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: timestamp is not on a whole minute (export with a "
                            "one-minute alignment)",
                            dec->name, where);
    *out_s = t;
    return TP_OK;
}

tp_status prov_value(const ingest_decoded *dec, const cJSON *item, int str_ok,
                     const char *where, double *out, tp_error *err)
{
    double v;
    if (cJSON_IsNumber(item)) {
        v = item->valuedouble;
    } else if (str_ok && cJSON_IsString(item) &&
               cnum_parse(item->valuestring, strlen(item->valuestring), &v) == 0) {
        /* int64Value: a decimal string */
    } else {
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s: missing or not a number", dec->name,
                            where);
    }
    const char *problem = ingest_value_problem(v);
    if (problem != NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: value is %s", dec->name, where,
                            problem);
    *out = v;
    return TP_OK;
}

static size_t skip_space(const char *data, size_t off, size_t len)
{
    while (off < len && isspace((unsigned char)data[off]))
        off++;
    return off;
}

static size_t line_of(const char *data, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

tp_status ingest_decode_provider(const tp_ingest_options *opts, ingest_decoded *dec,
                                 const char *format, const char *data, size_t len,
                                 tp_error *err)
{
    tp_status rc = TP_OK;
    cJSON *doc = NULL;
    prov_set s = {0};
    size_t off = 0, ndoc = 0;
    int more = 0;
    if (opts->metric != NULL) {
        rc = tp_error_set_field(err, TP_ERR_USAGE, NULL,
                                "%s: {metric} does not apply to %s exports: each series "
                                "names its metric",
                                dec->name, format);
        goto cleanup;
    }
    while ((off = skip_space(data, off, len)) < len) {
        const char *end = NULL;
        char docname[48] = "";
        int oom;
        doc = cnum_json_parse(data + off, len - off, &end, 0, &oom);
        if (oom) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        ndoc++;
        if (ndoc > 1 || (doc != NULL && skip_space(data, (size_t)(end - data), len) < len))
            snprintf(docname, sizeof docname, "document %zu, ", ndoc);
        if (doc == NULL) {
            const char *ep = cJSON_GetErrorPtr();
            size_t eoff = ep != NULL && ep >= data && ep <= data + len ? (size_t)(ep - data) : off;
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: %smalformed JSON", dec->name,
                              line_of(data, eoff), docname);
            goto cleanup;
        }
        off = (size_t)(end - data);
        const cJSON *dup = cnum_json_duplicate(doc, &oom);
        if (dup != NULL || oom) {
            rc = oom ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
                     : tp_error_set(err, TP_ERR_PARSE, "%s: %s$: duplicate key \"%.64s\"",
                                    dec->name, docname, dup->string);
            goto cleanup;
        }
        more = 0;
        if (strcmp(format, "azure-monitor") == 0)
            rc = ingest_azure_doc(opts, dec, &s, doc, docname, err);
        else if (strcmp(format, "gcp-monitoring") == 0)
            rc = ingest_gcp_doc(opts, dec, &s, doc, docname, &more, err);
        else
            rc = ingest_openai_doc(opts, dec, &s, doc, docname, &more, err);
        if (rc != TP_OK)
            goto cleanup;
        cJSON_Delete(doc); /* one document in memory at a time */
        doc = NULL;
    }
    if (ndoc == 0) {
        rc = tp_error_set(err, TP_ERR_PARSE, "%s: empty input", dec->name);
        goto cleanup;
    }
    /* pages are read in any order, but an export whose last page says another follows was
     * cut short: its minutes are not all here */
    if (more && (rc = prov_warn(dec, err,
                                "%s: its last page says another page follows (%s): that "
                                "page is not in this input, so its minutes are missing",
                                dec->name,
                                strcmp(format, "gcp-monitoring") == 0 ? "nextPageToken"
                                                                      : "has_more")) != TP_OK)
        goto cleanup;
    dec->format = format;
    dec->documents = ndoc;
    rc = prov_set_finish(dec, &s, err);
cleanup:
    cJSON_Delete(doc);
    prov_set_deinit(&s);
    return rc;
}
