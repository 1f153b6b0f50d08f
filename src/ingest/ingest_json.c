/* ingest_json.c - decodes CloudWatch JSON: get-metric-data (with NextToken pages and several
 * concatenated documents) and get-metric-statistics. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

/* Label words that set a string field of the series key ("Key=Value"). */
static char **label_slot(ingest_group *g, const char *key, size_t kn)
{
    if (kn == 7 && strncasecmp(key, "ModelId", 7) == 0)
        return &g->model;
    if (kn == 11 && strncasecmp(key, "ServiceTier", 11) == 0)
        return &g->service_tier;
    if (kn == 19 && strncasecmp(key, "ResolvedServiceTier", 19) == 0)
        return &g->resolved_tier;
    if (kn == 6 && strncasecmp(key, "Region", 6) == 0)
        return &g->region;
    if (kn == 7 && strncasecmp(key, "Account", 7) == 0)
        return &g->account;
    return NULL;
}

static int label_sep(char c)
{
    return isspace((unsigned char)c) || c == ',' || c == ';' || c == '|';
}

/* Splits a label into the fields tierplan understands: the known metric names and the
 * Key=Value words that `tierplan export-cmd` writes (ModelId, Period, Start, End,
 * ServiceTier, ResolvedServiceTier, Region, Account). Words it does not know are ignored: labels are free
 * text. The first occurrence of a field wins. */
static tp_status parse_label(const ingest_decoded *dec, const char *where, const char *label,
                             ingest_group *g, tp_error *err)
{
    const char *p = label;
    while (*p) {
        while (*p && label_sep(*p))
            p++;
        const char *w = p;
        while (*p && !label_sep(*p))
            p++;
        size_t n = (size_t)(p - w);
        if (n == 0)
            break;
        const char *eq = memchr(w, '=', n);
        char **slot = NULL;
        if (eq == NULL) {
            if (!util_metric_known(w, n))
                continue;
            slot = &g->metric;
            eq = w - 1; /* the whole word is the value */
        } else if ((size_t)(eq - w) == 6 && strncasecmp(w, "Period", 6) == 0) {
            double v;
            if (cnum_parse(eq + 1, (size_t)(p - eq - 1), &v) != 0 || !ingest_period_valid(v))
                return tp_error_set(err, TP_ERR_INVALID,
                                    "%s: %s.Label: Period must be a whole number of minutes "
                                    "in seconds (60, 300, 3600 ...)",
                                    dec->name, where);
            g->period_s = (int)v;
            continue;
        } else if ((size_t)(eq - w) == 5 && strncasecmp(w, "Start", 5) == 0) {
            if (!g->has_start &&
                tp_timestamp_parse(eq + 1, (size_t)(p - eq - 1), &g->start_s, NULL) != TP_OK)
                return tp_error_set(err, TP_ERR_INVALID,
                                    "%s: %s.Label: Start \"%.*s\" is not an ISO 8601 timestamp",
                                    dec->name, where, (int)(p - eq - 1), eq + 1);
            g->has_start = 1;
            continue;
        } else if ((size_t)(eq - w) == 3 && strncasecmp(w, "End", 3) == 0) {
            if (!g->has_end &&
                tp_timestamp_parse(eq + 1, (size_t)(p - eq - 1), &g->end_s, NULL) != TP_OK)
                return tp_error_set(err, TP_ERR_INVALID,
                                    "%s: %s.Label: End \"%.*s\" is not an ISO 8601 timestamp",
                                    dec->name, where, (int)(p - eq - 1), eq + 1);
            g->has_end = 1;
            continue;
        } else if ((slot = label_slot(g, w, (size_t)(eq - w))) == NULL) {
            continue;
        }
        if (*slot == NULL && (*slot = strndup(eq + 1, (size_t)(p - eq - 1))) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    return TP_OK;
}

/* Applies the command's options over what the label said and checks what is required. */
static tp_status group_finish_key(const tp_ingest_options *opts, const ingest_decoded *dec,
                                  ingest_group *g, const char *label, tp_error *err)
{
    char **fields[3] = {&g->model, &g->metric, &g->resolved_tier};
    const char *forced[3] = {opts->model, opts->metric, opts->tier};
    for (int i = 0; i < 3; i++) {
        if (forced[i] == NULL)
            continue;
        free(*fields[i]);
        *fields[i] = strdup(forced[i]);
        if (*fields[i] == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    if (g->metric == NULL)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s: label \"%s\" names no known metric (pass {metric})",
                                  dec->name, g->where, label != NULL ? label : "");
    if (!tp_metric_is_known(g->metric))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: unknown metric \"%s\"", dec->name,
                            g->where, g->metric);
    if (g->model == NULL || g->model[0] == '\0')
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s: label \"%s\" has no ModelId= (pass {model})", dec->name,
                                  g->where, label != NULL ? label : "");
    if ((g->service_tier == NULL && (g->service_tier = strdup("")) == NULL) ||
        (g->resolved_tier == NULL && (g->resolved_tier = strdup("")) == NULL))
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    char label_at[256];
    snprintf(label_at, sizeof label_at, "%s.Label", g->where);
    tp_status rc;
    if ((rc = ingest_place_resolve(opts, dec, label_at, "region", &g->region, err)) != TP_OK ||
        (rc = ingest_place_resolve(opts, dec, label_at, "account", &g->account, err)) != TP_OK)
        return rc;
    const char *names[3] = {"model id", "ServiceTier", "ResolvedServiceTier"};
    const char *texts[3] = {g->model, g->service_tier, g->resolved_tier};
    for (int i = 0; i < 3; i++) {
        const char *problem = ingest_text_problem(texts[i], strlen(texts[i]));
        if (problem != NULL)
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s: %s holds %s", dec->name,
                                g->where, names[i], problem);
    }
    return TP_OK;
}

/* Starts group g at where (its elem names the array its points come from) with the series
 * key its label and the command's options give. */
tp_status ingest_json_group_open(const tp_ingest_options *opts, const ingest_decoded *dec,
                                 ingest_group *g, const char *where, const char *elem,
                                 const char *label, tp_error *err)
{
    tp_status rc;
    g->elem = elem;
    if ((g->where = strdup(where)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if ((rc = parse_label(dec, where, label, g, err)) != TP_OK)
        return rc;
    return group_finish_key(opts, dec, g, label, err);
}

/* Reads a timestamp item: an ISO 8601 string, or epoch seconds or milliseconds as a number or
 * a numeric string (what the AWS CLI writes with cli_timestamp_format = wire). Returns 0, or
 * as ingest_epoch_number 1 (no timestamp) or 2 (not on a whole minute). */
static int ts_item(const cJSON *item, int64_t *out)
{
    double v;
    if (cJSON_IsString(item)) {
        const size_t n = strlen(item->valuestring);
        if (tp_timestamp_parse(item->valuestring, n, out, NULL) == TP_OK)
            return 0;
        if (cnum_parse(item->valuestring, n, &v) != 0)
            return 1;
    } else if (cJSON_IsNumber(item)) {
        v = item->valuedouble;
    } else {
        return 1;
    }
    return ingest_epoch_number(v, out);
}

/* The error for a timestamp item ts_item refused with why; the message names where. */
static tp_status ts_error(const ingest_decoded *dec, const char *where, const cJSON *item,
                          int why, tp_error *err)
{
    char text[48];
    if (cJSON_IsString(item))
        snprintf(text, sizeof text, "\"%.40s\"", item->valuestring);
    else if (cJSON_IsNumber(item))
        cnum_format(text, sizeof text, item->valuedouble);
    else
        snprintf(text, sizeof text, "(not a string or number)");
    if (why == 2)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: timestamp %s is not on a whole minute (CloudWatch "
                            "periods start on whole minutes)",
                            dec->name, where, text);
    return tp_error_set(err, TP_ERR_PARSE, "%s: %s: unparsable timestamp %s", dec->name, where,
                        text);
}

/* The error for a value item that is not a storable number; not_number completes the
 * message when it is no number at all. */
static tp_status value_error(const ingest_decoded *dec, const char *where, const cJSON *item,
                             const char *not_number, tp_error *err)
{
    if (!cJSON_IsNumber(item))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s: %s", dec->name, where, not_number);
    if (!isfinite(item->valuedouble))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: value is not a finite number",
                            dec->name, where);
    char num[40];
    cnum_format(num, sizeof num, item->valuedouble);
    return tp_error_set(err, TP_ERR_INVALID, "%s: %s: negative value %s", dec->name, where, num);
}

/* Nonzero when item is a number that may be stored. */
static int value_ok(const cJSON *item)
{
    return cJSON_IsNumber(item) && ingest_value_problem(item->valuedouble) == NULL;
}

tp_status ingest_json_page_open(ingest_decoded *dec, const char *docname, size_t n,
                               int has_next, tp_error *err)
{
    if (UTIL_GROW(dec->pages, dec->cap_pages, dec->n_pages + 1) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    ingest_page *pg = &dec->pages[dec->n_pages++];
    memset(pg, 0, sizeof *pg);
    pg->has_next = has_next;
    char where[512];
    if (docname[0] != '\0') /* docname is "document N, " */
        snprintf(where, sizeof where, "%s (%.*s)", dec->name, (int)strlen(docname) - 2,
                 docname);
    else
        snprintf(where, sizeof where, "%s", dec->name);
    pg->where = strdup(where);
    pg->res = calloc(n ? n : 1, sizeof *pg->res);
    if (pg->where == NULL || pg->res == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

tp_status ingest_json_note_result(ingest_decoded *dec, const char *where, const char *id,
                                  const char *label, const char *status, tp_error *err)
{
    ingest_page *pg = &dec->pages[dec->n_pages - 1];
    ingest_result *r = &pg->res[pg->n_res++];
    const char *ids = id != NULL ? id : "?";
    size_t kn = strlen(ids) + strlen(label) + 2;
    char loc[600];
    snprintf(loc, sizeof loc, "%s: %s", dec->name, where);
    r->id_len = strlen(ids);
    r->where = strdup(loc);
    r->key = malloc(kn);
    if (r->key != NULL)
        snprintf(r->key, kn, "%s\n%s", ids, label);
    const int incomplete = status != NULL && strcmp(status, "Complete") != 0;
    if (incomplete)
        r->status = strdup(status);
    r->said_complete = status != NULL && !incomplete;
    if (r->where == NULL || r->key == NULL || (incomplete && r->status == NULL))
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

/* The first key that occurs twice among obj's members, or NULL. cJSON keeps both and
 * answers lookups with the first, which would silently drop the second "Values". */
static const char *dup_key(const cJSON *obj)
{
    for (const cJSON *a = obj->child; a != NULL; a = a->next)
        for (const cJSON *b = a->next; b != NULL && a->string != NULL; b = b->next)
            if (b->string != NULL && strcmp(a->string, b->string) == 0)
                return a->string;
    return NULL;
}

static tp_status check_keys(const ingest_decoded *dec, const cJSON *obj, const char *where,
                            tp_error *err)
{
    const char *k = cJSON_IsObject(obj) ? dup_key(obj) : NULL;
    if (k == NULL)
        return TP_OK;
    return tp_error_set(err, TP_ERR_PARSE, "%s: %s: duplicate key \"%.64s\"", dec->name, where,
                        k);
}

/* Decodes one entry of MetricDataResults (at where) into g. */
static tp_status gmd_result(const tp_ingest_options *opts, ingest_decoded *dec,
                            const cJSON *r, const char *where, ingest_group *g, tp_error *err)
{
    tp_status rc;
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(r, "Label");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "Id");
    const cJSON *tss = cJSON_GetObjectItemCaseSensitive(r, "Timestamps");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(r, "Values");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(r, "StatusCode");
    if (!cJSON_IsObject(r) || !cJSON_IsArray(tss) || !cJSON_IsArray(vals))
        return tp_error_set(err, TP_ERR_PARSE,
                            "%s: %s: expected an object with Timestamps and Values arrays",
                            dec->name, where);
    if ((rc = check_keys(dec, r, where, err)) != TP_OK)
        return rc;
    int nt = cJSON_GetArraySize(tss), nv = cJSON_GetArraySize(vals);
    if (nt != nv)
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s: %d Timestamps but %d Values", dec->name,
                            where, nt, nv);
    const char *lab = cJSON_IsString(label) ? label->valuestring : "";
    if ((rc = ingest_json_note_result(dec, where, cJSON_IsString(id) ? id->valuestring : NULL,
                                      lab, cJSON_IsString(status) ? status->valuestring : NULL,
                                      err)) != TP_OK ||
        (rc = ingest_json_group_open(opts, dec, g, where, "Values", lab, err)) != TP_OK)
        return rc;
    if (nt > 0 && (g->pts = malloc((size_t)nt * sizeof *g->pts)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    g->cap = (size_t)nt; /* exactly: most results of a wide export hold a point or two */
    const cJSON *t = tss->child, *v = vals->child;
    for (uint32_t j = 0; t != NULL && v != NULL; t = t->next, v = v->next, j++) {
        char w[300]; /* formatted only on error: this loop runs once per datapoint */
        int64_t ts;
        int why = ts_item(t, &ts);
        if (why != 0) {
            snprintf(w, sizeof w, "%s.Timestamps[%u]", where, (unsigned)j);
            return ts_error(dec, w, t, why, err);
        }
        if (!value_ok(v)) {
            snprintf(w, sizeof w, "%s.Values[%u]", where, (unsigned)j);
            return value_error(dec, w, v, "not a number", err);
        }
        if (ingest_group_push(g, ts, v->valuedouble, j) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    return TP_OK;
}

/* get-metric-data: the page record, then one group per entry of MetricDataResults. */
static tp_status decode_gmd(const tp_ingest_options *opts, ingest_decoded *dec, cJSON *doc,
                            const char *docname, tp_error *err)
{
    tp_status rc = TP_OK;
    ingest_group g = {0};
    char where[256];
    cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "MetricDataResults");
    if (!cJSON_IsArray(results))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s$.MetricDataResults: not an array",
                            dec->name, docname);
    int ri = 0;
    cJSON *r;
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(doc, "NextToken");
    if ((rc = ingest_json_page_open(dec, docname, (size_t)cJSON_GetArraySize(results),
                                    cJSON_IsString(next) && next->valuestring[0] != '\0',
                                    err)) != TP_OK)
        goto cleanup;
    /* Each result's tree is freed once decoded: the decoded points take less room than
     * cJSON's nodes, so the document's tree bounds the memory of decoding it. */
    while ((r = results->child) != NULL) {
        snprintf(where, sizeof where, "%s$.MetricDataResults[%d]", docname, ri);
        if ((rc = gmd_result(opts, dec, r, where, &g, err)) != TP_OK ||
            (rc = ingest_take_group(dec, &g, err)) != TP_OK)
            goto cleanup;
        cJSON_Delete(cJSON_DetachItemViaPointer(results, r));
        ri++;
    }
cleanup:
    ingest_group_deinit(&g);
    return rc;
}

/* get-metric-statistics: one group of the Sum statistic of each datapoint. */
static tp_status decode_gms(const tp_ingest_options *opts, ingest_decoded *dec,
                            const cJSON *doc, const char *docname, tp_error *err)
{
    tp_status rc = TP_OK;
    ingest_group g = {0};
    char where[256];
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(doc, "Label");
    const cJSON *dps = cJSON_GetObjectItemCaseSensitive(doc, "Datapoints");
    snprintf(where, sizeof where, "%s$", docname);
    if (!cJSON_IsArray(dps))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s.Datapoints: not an array", dec->name,
                            where);
    if ((rc = ingest_json_group_open(opts, dec, &g, where, "Datapoints",
                         cJSON_IsString(label) ? label->valuestring : "", err)) != TP_OK)
        goto cleanup;
    uint32_t j = 0;
    const cJSON *dp;
    cJSON_ArrayForEach(dp, dps)
    {
        char w[300]; /* formatted only on error */
        int64_t ts;
        const cJSON *tsi = cJSON_GetObjectItemCaseSensitive(dp, "Timestamp");
        snprintf(w, sizeof w, "%s.Datapoints[%u]", where, (unsigned)j);
        if ((rc = check_keys(dec, dp, w, err)) != TP_OK)
            goto cleanup;
        int why = ts_item(tsi, &ts);
        if (why != 0) {
            snprintf(w, sizeof w, "%s.Datapoints[%u].Timestamp", where, (unsigned)j);
            rc = ts_error(dec, w, tsi, why, err);
            goto cleanup;
        }
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(dp, "Sum");
        if (!value_ok(sum)) {
            snprintf(w, sizeof w, "%s.Datapoints[%u].Sum", where, (unsigned)j);
            rc = value_error(dec, w, sum,
                             "missing or not a number (export with --statistics Sum)", err);
            goto cleanup;
        }
        if (ingest_group_push(&g, ts, sum->valuedouble, j) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        j++;
    }
    rc = ingest_take_group(dec, &g, err);
cleanup:
    ingest_group_deinit(&g);
    return rc;
}

/* Line number (1-based) of offset off in data. */
static size_t line_of(const char *data, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

static size_t skip_space(const char *data, size_t off, size_t len)
{
    while (off < len && isspace((unsigned char)data[off]))
        off++;
    return off;
}

/* Decodes one parsed document by its shape and notes its format in dec. */
static tp_status decode_doc(const tp_ingest_options *opts, ingest_decoded *dec, cJSON *doc,
                            const char *docname, tp_error *err)
{
    tp_status rc;
    const char *fmt;
    char where[64];
    snprintf(where, sizeof where, "%s$", docname);
    if ((rc = check_keys(dec, doc, where, err)) != TP_OK)
        return rc;
    if (cJSON_GetObjectItemCaseSensitive(doc, "MetricDataResults") != NULL) {
        fmt = "get-metric-data";
        rc = decode_gmd(opts, dec, doc, docname, err);
    } else if (cJSON_GetObjectItemCaseSensitive(doc, "Datapoints") != NULL) {
        fmt = "get-metric-statistics";
        rc = decode_gms(opts, dec, doc, docname, err);
    } else {
        return tp_error_set(err, TP_ERR_PARSE,
                            "%s: %s$: not an export tierplan reads: neither CloudWatch "
                            "get-metric-data (MetricDataResults) nor get-metric-statistics "
                            "(Datapoints) output, nor Azure Monitor metrics (value[]."
                            "timeseries), Cloud Monitoring time series (timeSeries) or OpenAI "
                            "usage (data[] of buckets) (docs/formats.md)",
                            dec->name, docname);
    }
    if (rc != TP_OK)
        return rc;
    if (dec->format != NULL && strcmp(dec->format, fmt) != 0)
        dec->format = "mixed";
    else
        dec->format = fmt;
    return TP_OK;
}

tp_status ingest_decode_json(const tp_ingest_options *opts, ingest_decoded *dec,
                             const char *data, size_t len, tp_error *err)
{
    const int scanned = ingest_json_scan(opts, dec, data, len, err);
    if (scanned != 0)
        return scanned > 0 ? TP_OK : TP_ERR_NOMEM;
    return ingest_decode_json_tree(opts, dec, data, len, err);
}

tp_status ingest_decode_json_tree(const tp_ingest_options *opts, ingest_decoded *dec,
                                  const char *data, size_t len, tp_error *err)
{
    tp_status rc = TP_OK;
    cJSON *doc = NULL;
    size_t off = 0, ndoc = 0;
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
        /* Documents are named ("document 2, $.x") only when the file holds more than one:
         * single-document files get plain "$.x" paths. */
        if (ndoc > 1 || (end != NULL && doc != NULL)) {
            size_t rest = skip_space(data, doc != NULL ? (size_t)(end - data) : len, len);
            if (ndoc > 1 || rest < len)
                snprintf(docname, sizeof docname, "document %zu, ", ndoc);
        }
        if (doc == NULL) {
            const char *ep = cJSON_GetErrorPtr();
            size_t eoff = ep != NULL && ep >= data && ep <= data + len ? (size_t)(ep - data) : off;
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: %smalformed JSON", dec->name,
                              line_of(data, eoff), docname);
            goto cleanup;
        }
        off = (size_t)(end - data);
        if ((rc = decode_doc(opts, dec, doc, docname, err)) != TP_OK)
            goto cleanup;
        cJSON_Delete(doc); /* one document in memory at a time */
        doc = NULL;
    }
    if (ndoc == 0)
        rc = tp_error_set(err, TP_ERR_PARSE, "%s: empty input", dec->name);
    dec->documents = ndoc;
cleanup:
    cJSON_Delete(doc);
    return rc;
}
