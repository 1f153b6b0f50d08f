/* ingest.c - format detection and parsing of CloudWatch JSON and CSV into the store. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/ingest.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cnum.h"
#include "sha256.h"
#include "store_internal.h"
#include "tierplan/timestamp.h"

static const char *const known_metrics[] = {
    "InputTokenCount",        "OutputTokenCount",       "CacheReadInputTokenCount",
    "CacheWriteInputTokenCount", "Invocations",         "InvocationThrottles",
    "InvocationClientErrors", "InvocationServerErrors", "EstimatedTPMQuotaUsage",
    "TimeToFirstToken",       "InvocationLatency"};

int tp_metric_is_known(const char *name)
{
    for (size_t i = 0; i < sizeof known_metrics / sizeof known_metrics[0]; i++)
        if (strcmp(name, known_metrics[i]) == 0)
            return 1;
    return 0;
}

struct doc_page;

struct tp_ingest {
    tp_store *store;
    tp_ingest_options opts; /* read-only once begun: decoder threads read it */
    struct doc_page *pending; /* pages with a NextToken not yet answered in this command */
    size_t n_pending;
    store_day *day; /* scratch for group_store (17 KB: too big for the stack of a thread) */
    int failed;
    int committed;
};

/* One datapoint as read, before it is stored. loc locates it in the input: the array index
 * in JSON, the line number in CSV. */
typedef struct point {
    int64_t ts_s;
    double value;
    uint32_t loc;
} point;

/* Points of one series key read from one place in the input. */
typedef struct group {
    char *model, *metric, *service_tier, *resolved_tier;
    int period_s;     /* 0 until known */
    char *where;      /* e.g. "$.MetricDataResults[2]" or "document 2, $.Datapoints" */
    const char *elem; /* JSON array the loc indexes ("Values", "Datapoints"), NULL for CSV */
    point *pts;
    size_t n, cap;
} group;

/* A get-metric-data document as decoded: its query Ids and whether it has a NextToken. */
typedef struct doc_page {
    char *where; /* "file" or "file (document 2)" */
    char **ids;
    size_t n_ids;
    int has_next;
} doc_page;

/* One input file. Decoding (read, hash, parse, validate) fills the first block and touches
 * no database, so it can run on another thread; storing then consumes it in file order. */
typedef struct file_ctx {
    char *name;
    char *data; /* the input when read from a file (owned), NULL once decoded */
    size_t len;
    tp_status rc; /* outcome of decoding; err holds its message */
    tp_error err;
    group *groups; /* decoded points, in input order */
    size_t n_groups, cap_groups;
    doc_page *pages; /* get-metric-data documents, in input order */
    size_t n_pages;
    char **warnings; /* raised while decoding, emitted when stored */
    size_t n_warnings;
    tp_ingest_summary sum;
    int64_t *series_ids; /* distinct series written, for the summary */
    size_t n_series, cap_series;
} file_ctx;

static void fc_warn(file_ctx *fc, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void fc_warn(file_ctx *fc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char **nw = realloc(fc->warnings, (fc->n_warnings + 1) * sizeof *nw);
    if (nw == NULL)
        return; /* a warning lost to memory exhaustion is not worth failing the ingest */
    fc->warnings = nw;
    if ((nw[fc->n_warnings] = strdup(msg)) != NULL)
        fc->n_warnings++;
}

static void warnf(tp_ingest *ing, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warnf(tp_ingest *ing, const char *fmt, ...)
{
    if (ing->opts.warn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ing->opts.warn(ing->opts.warn_ctx, msg);
}

static void group_deinit(group *g)
{
    free(g->model);
    free(g->metric);
    free(g->service_tier);
    free(g->resolved_tier);
    free(g->where);
    free(g->pts);
    memset(g, 0, sizeof *g);
}

static int group_push(group *g, int64_t ts_s, double value, uint32_t loc)
{
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 256;
        point *np = realloc(g->pts, ncap * sizeof *np);
        if (np == NULL)
            return -1;
        g->pts = np;
        g->cap = ncap;
    }
    g->pts[g->n++] = (point){ts_s, value, loc};
    return 0;
}

static char *xstrndup(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r != NULL) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int cmp_point(const void *a, const void *b)
{
    const point *x = a, *y = b;
    if (x->ts_s != y->ts_s)
        return x->ts_s < y->ts_s ? -1 : 1;
    return x->loc < y->loc ? -1 : x->loc > y->loc;
}

static void loc_str(const file_ctx *fc, const group *g, const point *p, char *buf, size_t size)
{
    if (g->elem == NULL)
        snprintf(buf, size, "%s:%u", fc->name, (unsigned)p->loc);
    else
        snprintf(buf, size, "%s: %s.%s[%u]", fc->name, g->where, g->elem, (unsigned)p->loc);
}

static tp_status note_series(file_ctx *fc, int64_t id)
{
    for (size_t i = 0; i < fc->n_series; i++)
        if (fc->series_ids[i] == id)
            return TP_OK;
    if (fc->n_series == fc->cap_series) {
        size_t ncap = fc->cap_series ? fc->cap_series * 2 : 16;
        int64_t *n = realloc(fc->series_ids, ncap * sizeof *n);
        if (n == NULL)
            return TP_ERR_NOMEM;
        fc->series_ids = n;
        fc->cap_series = ncap;
    }
    fc->series_ids[fc->n_series++] = id;
    return TP_OK;
}

/* Decides the period of a group: option, label, else the smallest gap between timestamps. */
static tp_status group_period(tp_ingest *ing, const file_ctx *fc, group *g, tp_error *err)
{
    if (ing->opts.period_s > 0)
        g->period_s = ing->opts.period_s;
    if (g->period_s > 0)
        return TP_OK;
    int64_t gap = 0;
    for (size_t i = 1; i < g->n; i++) {
        int64_t d = g->pts[i].ts_s - g->pts[i - 1].ts_s;
        if (d > 0 && (gap == 0 || d < gap))
            gap = d;
    }
    if (gap == 0) {
        g->period_s = 60;
        warnf(ing, "%s: %s: a single timestamp, period assumed 60 s (pass --period to set it)",
              fc->name, g->where);
        return TP_OK;
    }
    if (gap % 60 != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: timestamps %lld s apart: the period must be a whole number "
                            "of minutes (pass --period)",
                            fc->name, g->where, (long long)gap);
    if (gap > 86400)
        gap = 86400; /* a day is CloudWatch's coarsest useful period; larger gaps are idle */
    g->period_s = (int)gap;
    if (g->n < TP_INGEST_FEW_POINTS && g->period_s > 60)
        warnf(ing,
              "%s: %s: period inferred as %d s from only %zu points; sparse per-minute data "
              "can look coarser (pass --period 60 if it is per-minute)",
              fc->name, g->where, g->period_s, g->n);
    return TP_OK;
}

/* Sorts, checks and stores one group, a read-modify-write of each UTC day it touches.
 * Per minute: a free slot is inserted, an equal value is unchanged, a different value
 * replaces one from an earlier command and conflicts with one from this command. */
static tp_status group_store(tp_ingest *ing, file_ctx *fc, group *g, tp_error *err)
{
    tp_status rc;
    store_day *day = ing->day;
    if (g->n == 0)
        return TP_OK;
    qsort(g->pts, g->n, sizeof *g->pts, cmp_point);
    if ((rc = group_period(ing, fc, g, err)) != TP_OK)
        return rc;
    store_series_key key = {g->model, g->metric, g->service_tier, g->resolved_tier, g->period_s};
    int64_t sid = 0;
    if ((rc = store_series_get(ing->store, &key, &sid, err)) != TP_OK)
        return rc;
    if (note_series(fc, sid) != TP_OK)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (fc->sum.ingest_id <= 0 || fc->sum.ingest_id > (int64_t)UINT32_MAX)
        return tp_error_set(err, TP_ERR_DB, "database: ingest id %lld out of range",
                            (long long)fc->sum.ingest_id);
    const uint32_t this_ingest = (uint32_t)fc->sum.ingest_id;
    const int64_t batch_first = ing->store->batch_first_ingest;
    size_t i = 0;
    while (i < g->n) {
        const int64_t d = floor_div(floor_div(g->pts[i].ts_s, 60), STORE_DAY_MINUTES);
        int changed = 0;
        if ((rc = store_day_get(ing->store, sid, d, day, err)) != TP_OK)
            return rc;
        for (; i < g->n; i++) {
            const point *p = &g->pts[i];
            const int64_t minute = floor_div(p->ts_s, 60);
            if (floor_div(minute, STORE_DAY_MINUTES) != d)
                break;
            const int slot = (int)(minute - d * STORE_DAY_MINUTES);
            if (day->ingest[slot] == 0) {
                day->value[slot] = p->value;
                day->ingest[slot] = this_ingest;
                fc->sum.inserted++;
                changed = 1;
            } else if (day->value[slot] == p->value) {
                fc->sum.unchanged++;
            } else if ((int64_t)day->ingest[slot] >= batch_first) {
                char loc[512], ts[TP_TIME_BUF], a[40], b[40];
                loc_str(fc, g, p, loc, sizeof loc);
                cnum_format(a, sizeof a, day->value[slot]);
                cnum_format(b, sizeof b, p->value);
                return tp_error_set(err, TP_ERR_CONFLICT,
                                    "%s: conflicting values %s and %s for the same series and "
                                    "minute in one ingest at %s (%s %s)",
                                    loc, a, b, tp_time_format(minute * 60, ts), g->model,
                                    g->metric);
            } else {
                day->value[slot] = p->value;
                day->ingest[slot] = this_ingest;
                fc->sum.replaced++;
                changed = 1;
            }
            if (fc->sum.points == 0 || minute < fc->sum.first_minute)
                fc->sum.first_minute = minute;
            if (fc->sum.points == 0 || minute > fc->sum.last_minute)
                fc->sum.last_minute = minute;
            fc->sum.points++;
        }
        if (changed && (rc = store_day_put(ing->store, sid, d, day, err)) != TP_OK)
            return rc;
    }
    return TP_OK;
}

static tp_status check_value(const file_ctx *fc, const char *where, double v, tp_error *err)
{
    if (!isfinite(v))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: value is not a finite number",
                            fc->name, where);
    if (v < 0) {
        char num[40];
        cnum_format(num, sizeof num, v);
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: negative value %s", fc->name, where,
                            num);
    }
    return TP_OK;
}

/* Splits a label into the fields tierplan understands: the known metric names and the
 * Key=Value words that `tierplan export-cmd` writes (ModelId, Period, ServiceTier,
 * ResolvedServiceTier). Words it does not know are ignored: labels are free text. */
static tp_status parse_label(const file_ctx *fc, const char *where, const char *label, group *g,
                             tp_error *err)
{
    const char *p = label;
    while (*p) {
        while (*p && (isspace((unsigned char)*p) || *p == ',' || *p == ';' || *p == '|'))
            p++;
        const char *w = p;
        while (*p && !isspace((unsigned char)*p) && *p != ',' && *p != ';' && *p != '|')
            p++;
        size_t n = (size_t)(p - w);
        if (n == 0)
            break;
        const char *eq = memchr(w, '=', n);
        char **slot = NULL;
        if (eq == NULL) {
            for (size_t i = 0; i < sizeof known_metrics / sizeof known_metrics[0]; i++)
                if (strlen(known_metrics[i]) == n && memcmp(w, known_metrics[i], n) == 0)
                    slot = &g->metric;
            if (slot == NULL)
                continue;
            eq = w - 1; /* the whole word is the value */
        } else {
            size_t kn = (size_t)(eq - w);
            if (kn == 7 && strncasecmp(w, "ModelId", 7) == 0)
                slot = &g->model;
            else if (kn == 11 && strncasecmp(w, "ServiceTier", 11) == 0)
                slot = &g->service_tier;
            else if (kn == 19 && strncasecmp(w, "ResolvedServiceTier", 19) == 0)
                slot = &g->resolved_tier;
            else if (kn == 6 && strncasecmp(w, "Period", 6) == 0) {
                double v;
                if (cnum_parse(eq + 1, (size_t)(p - eq - 1), &v) != 0 || v < 60 || v > 86400 ||
                    fmod(v, 60) != 0)
                    return tp_error_set(err, TP_ERR_INVALID,
                                        "%s: %s.Label: Period must be a whole number of minutes "
                                        "in seconds (60, 300, 3600 ...)",
                                        fc->name, where);
                g->period_s = (int)v;
                continue;
            } else
                continue;
        }
        if (*slot == NULL) {
            *slot = xstrndup(eq + 1, (size_t)(p - eq - 1));
            if (*slot == NULL)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
    }
    return TP_OK;
}

/* Applies the command's options over what the label said and checks what is required. */
static tp_status group_finish_key(const tp_ingest *ing, const file_ctx *fc, group *g,
                                  const char *label, tp_error *err)
{
    char **fields[3] = {&g->model, &g->metric, &g->resolved_tier};
    const char *forced[3] = {ing->opts.model, ing->opts.metric, ing->opts.tier};
    for (int i = 0; i < 3; i++) {
        if (forced[i] == NULL)
            continue;
        free(*fields[i]);
        *fields[i] = strdup(forced[i]);
        if (*fields[i] == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    if (g->metric == NULL)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: label \"%s\" names no known metric (pass --metric)",
                            fc->name, g->where, label != NULL ? label : "");
    if (!tp_metric_is_known(g->metric))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: unknown metric \"%s\"", fc->name,
                            g->where, g->metric);
    if (g->model == NULL || g->model[0] == '\0')
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: label \"%s\" has no ModelId= (pass --model)", fc->name,
                            g->where, label != NULL ? label : "");
    if ((g->service_tier == NULL && (g->service_tier = strdup("")) == NULL) ||
        (g->resolved_tier == NULL && (g->resolved_tier = strdup("")) == NULL))
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

static tp_status parse_ts_item(const file_ctx *fc, const char *where, const cJSON *item,
                               int64_t *out, tp_error *err)
{
    if (!cJSON_IsString(item) ||
        tp_time_parse(item->valuestring, strlen(item->valuestring), out) != TP_OK)
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s: unparsable timestamp %s%s%s", fc->name,
                            where, cJSON_IsString(item) ? "\"" : "(not a string)",
                            cJSON_IsString(item) ? item->valuestring : "",
                            cJSON_IsString(item) ? "\"" : "");
    return TP_OK;
}

/* Moves g into the file's decoded groups; g is left empty. */
static tp_status fc_take_group(file_ctx *fc, group *g, tp_error *err)
{
    if (g->n == 0) {
        group_deinit(g);
        return TP_OK;
    }
    if (fc->n_groups == fc->cap_groups) {
        size_t ncap = fc->cap_groups ? fc->cap_groups * 2 : 8;
        group *ng = realloc(fc->groups, ncap * sizeof *ng);
        if (ng == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        fc->groups = ng;
        fc->cap_groups = ncap;
    }
    fc->groups[fc->n_groups++] = *g;
    memset(g, 0, sizeof *g);
    return TP_OK;
}

static void page_deinit(doc_page *pg)
{
    free(pg->where);
    tp_strv_free(pg->ids, pg->n_ids);
}

/* Records a get-metric-data document's query Ids and NextToken for the pagination check. */
static tp_status fc_add_page(file_ctx *fc, const char *docname, const cJSON *results,
                             const cJSON *next_token, tp_error *err)
{
    doc_page *np = realloc(fc->pages, (fc->n_pages + 1) * sizeof *np);
    if (np == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    fc->pages = np;
    doc_page *pg = &np[fc->n_pages++];
    memset(pg, 0, sizeof *pg);
    pg->has_next = cJSON_IsString(next_token) && next_token->valuestring[0] != '\0';
    size_t n = (size_t)cJSON_GetArraySize(results);
    char where[512];
    if (docname[0] != '\0') /* docname is "document N, " */
        snprintf(where, sizeof where, "%s (%.*s)", fc->name, (int)strlen(docname) - 2, docname);
    else
        snprintf(where, sizeof where, "%s", fc->name);
    pg->where = strdup(where);
    pg->ids = calloc(n ? n : 1, sizeof *pg->ids);
    if (pg->where == NULL || pg->ids == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const cJSON *r;
    cJSON_ArrayForEach(r, results)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "Id");
        if (!cJSON_IsString(id))
            continue;
        if ((pg->ids[pg->n_ids] = strdup(id->valuestring)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        pg->n_ids++;
    }
    return TP_OK;
}

/* In file order: a page answers every earlier page with a NextToken that shares a query Id
 * with it; a page with a NextToken then waits for its own answer. Takes pg's contents. */
static tp_status pending_update(tp_ingest *ing, doc_page *pg, tp_error *err)
{
    for (size_t i = 0; i < ing->n_pending;) {
        int match = 0;
        for (size_t a = 0; a < pg->n_ids && !match; a++)
            for (size_t k = 0; k < ing->pending[i].n_ids && !match; k++)
                match = strcmp(ing->pending[i].ids[k], pg->ids[a]) == 0;
        if (match) {
            page_deinit(&ing->pending[i]);
            ing->pending[i] = ing->pending[--ing->n_pending];
        } else {
            i++;
        }
    }
    if (!pg->has_next)
        return TP_OK;
    doc_page *np = realloc(ing->pending, (ing->n_pending + 1) * sizeof *np);
    if (np == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    ing->pending = np;
    ing->pending[ing->n_pending++] = *pg;
    memset(pg, 0, sizeof *pg);
    return TP_OK;
}

static tp_status ingest_gmd(const tp_ingest *ing, file_ctx *fc, const cJSON *doc, const char *docname,
                            tp_error *err)
{
    tp_status rc = TP_OK;
    group g = {0};
    char where[256];
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "MetricDataResults");
    if (!cJSON_IsArray(results))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s$.MetricDataResults: not an array",
                            fc->name, docname);
    int ri = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, results)
    {
        snprintf(where, sizeof where, "%s$.MetricDataResults[%d]", docname, ri);
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(r, "Label");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "Id");
        const cJSON *tss = cJSON_GetObjectItemCaseSensitive(r, "Timestamps");
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(r, "Values");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(r, "StatusCode");
        const char *label_s = cJSON_IsString(label) ? label->valuestring : "";
        if (!cJSON_IsObject(r) || !cJSON_IsArray(tss) || !cJSON_IsArray(vals)) {
            rc = tp_error_set(err, TP_ERR_PARSE,
                              "%s: %s: expected an object with Timestamps and Values arrays",
                              fc->name, where);
            goto cleanup;
        }
        int nt = cJSON_GetArraySize(tss), nv = cJSON_GetArraySize(vals);
        if (nt != nv) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s: %s: %d Timestamps but %d Values",
                              fc->name, where, nt, nv);
            goto cleanup;
        }
        if (cJSON_IsString(status) && strcmp(status->valuestring, "Complete") != 0)
            fc_warn(fc, "%s: %s (Id %s): StatusCode %s: CloudWatch returned incomplete data; "
                       "ingested what is there",
                  fc->name, where, cJSON_IsString(id) ? id->valuestring : "?",
                  status->valuestring);
        g.where = strdup(where);
        g.elem = "Values";
        if (g.where == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        if ((rc = parse_label(fc, where, label_s, &g, err)) != TP_OK ||
            (rc = group_finish_key(ing, fc, &g, label_s, err)) != TP_OK)
            goto cleanup;
        const cJSON *t = tss->child, *v = vals->child;
        for (uint32_t j = 0; t != NULL && v != NULL; t = t->next, v = v->next, j++) {
            char w[300]; /* formatted only on error: this loop runs once per datapoint */
            int64_t ts;
            if (!cJSON_IsString(t) ||
                tp_time_parse(t->valuestring, strlen(t->valuestring), &ts) != TP_OK) {
                snprintf(w, sizeof w, "%s.Timestamps[%u]", where, (unsigned)j);
                rc = parse_ts_item(fc, w, t, &ts, err);
                goto cleanup;
            }
            if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !isfinite(v->valuedouble)) {
                snprintf(w, sizeof w, "%s.Values[%u]", where, (unsigned)j);
                rc = cJSON_IsNumber(v)
                         ? check_value(fc, w, v->valuedouble, err)
                         : tp_error_set(err, TP_ERR_PARSE, "%s: %s: not a number", fc->name, w);
                goto cleanup;
            }
            if (group_push(&g, ts, v->valuedouble, j) != 0) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
        }
        if ((rc = fc_take_group(fc, &g, err)) != TP_OK)
            goto cleanup;
        ri++;
    }
    rc = fc_add_page(fc, docname, results, cJSON_GetObjectItemCaseSensitive(doc, "NextToken"),
                     err);
cleanup:
    group_deinit(&g);
    return rc;
}

static tp_status ingest_gms(const tp_ingest *ing, file_ctx *fc, const cJSON *doc, const char *docname,
                            tp_error *err)
{
    tp_status rc = TP_OK;
    group g = {0};
    char where[256];
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(doc, "Label");
    const cJSON *dps = cJSON_GetObjectItemCaseSensitive(doc, "Datapoints");
    const char *label_s = cJSON_IsString(label) ? label->valuestring : "";
    snprintf(where, sizeof where, "%s$", docname);
    if (!cJSON_IsArray(dps))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s.Datapoints: not an array", fc->name,
                            where);
    g.where = strdup(where);
    g.elem = "Datapoints";
    if (g.where == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = parse_label(fc, where, label_s, &g, err)) != TP_OK ||
        (rc = group_finish_key(ing, fc, &g, label_s, err)) != TP_OK)
        goto cleanup;
    uint32_t j = 0;
    const cJSON *dp;
    cJSON_ArrayForEach(dp, dps)
    {
        char w[300]; /* formatted only on error */
        int64_t ts;
        const cJSON *tsi = cJSON_GetObjectItemCaseSensitive(dp, "Timestamp");
        if (!cJSON_IsString(tsi) ||
            tp_time_parse(tsi->valuestring, strlen(tsi->valuestring), &ts) != TP_OK) {
            snprintf(w, sizeof w, "%s.Datapoints[%u].Timestamp", where, (unsigned)j);
            rc = parse_ts_item(fc, w, tsi, &ts, err);
            goto cleanup;
        }
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(dp, "Sum");
        if (!cJSON_IsNumber(sum) || !(sum->valuedouble >= 0) || !isfinite(sum->valuedouble)) {
            snprintf(w, sizeof w, "%s.Datapoints[%u].Sum", where, (unsigned)j);
            rc = cJSON_IsNumber(sum)
                     ? check_value(fc, w, sum->valuedouble, err)
                     : tp_error_set(err, TP_ERR_PARSE,
                                    "%s: %s: missing or not a number (export with --statistics "
                                    "Sum)",
                                    fc->name, w);
            goto cleanup;
        }
        if (group_push(&g, ts, sum->valuedouble, j) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        j++;
    }
    rc = fc_take_group(fc, &g, err);
cleanup:
    group_deinit(&g);
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

static tp_status ingest_json(const tp_ingest *ing, file_ctx *fc, const char *data, size_t len,
                             tp_error *err)
{
    tp_status rc = TP_OK;
    cJSON *doc = NULL;
    size_t off = 0, ndoc = 0;
    /* Count documents first so that single-document files get plain "$.x" paths. */
    for (;;) {
        while (off < len && isspace((unsigned char)data[off]))
            off++;
        if (off >= len)
            break;
        const char *end = NULL;
        char docname[48] = "";
        locale_t prev = cnum_enter(); /* cJSON reads numbers with LC_NUMERIC's decimal point */
        doc = cJSON_ParseWithLengthOpts(data + off, len - off, &end, 0);
        cnum_restore(prev);
        ndoc++;
        if (ndoc > 1 || (end != NULL && doc != NULL)) {
            /* Name documents only when the file holds more than one. */
            size_t rest = doc != NULL ? (size_t)(end - data) : len;
            while (rest < len && isspace((unsigned char)data[rest]))
                rest++;
            if (ndoc > 1 || rest < len)
                snprintf(docname, sizeof docname, "document %zu, ", ndoc);
        }
        if (doc == NULL) {
            const char *ep = cJSON_GetErrorPtr();
            size_t eoff = ep != NULL && ep >= data && ep <= data + len ? (size_t)(ep - data) : off;
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: %smalformed JSON", fc->name,
                              line_of(data, eoff), docname);
            goto cleanup;
        }
        off = (size_t)(end - data);
        const char *fmt;
        if (cJSON_GetObjectItemCaseSensitive(doc, "MetricDataResults") != NULL) {
            fmt = "get-metric-data";
            rc = ingest_gmd(ing, fc, doc, docname, err);
        } else if (cJSON_GetObjectItemCaseSensitive(doc, "Datapoints") != NULL) {
            fmt = "get-metric-statistics";
            rc = ingest_gms(ing, fc, doc, docname, err);
        } else {
            rc = tp_error_set(err, TP_ERR_PARSE,
                              "%s: %s$: neither get-metric-data (MetricDataResults) nor "
                              "get-metric-statistics (Datapoints) output",
                              fc->name, docname);
            goto cleanup;
        }
        if (rc != TP_OK)
            goto cleanup;
        if (fc->sum.format != NULL && strcmp(fc->sum.format, fmt) != 0)
            fc->sum.format = "mixed";
        else
            fc->sum.format = fmt;
        cJSON_Delete(doc); /* one document in memory at a time */
        doc = NULL;
    }
    if (ndoc == 0)
        rc = tp_error_set(err, TP_ERR_PARSE, "%s: empty input", fc->name);
    fc->sum.documents = ndoc;
cleanup:
    cJSON_Delete(doc);
    return rc;
}

/* ---- CSV ---- */

enum { COL_TS, COL_MODEL, COL_METRIC, COL_VALUE, COL_TIER, COL_STIER, COL_PERIOD, N_COLS };
static const char *const col_names[N_COLS] = {"timestamp", "model",        "metric",  "value",
                                              "tier",      "service_tier", "period_s"};

/* Splits one CSV line (RFC 4180 quoting) into at most max fields, unquoting into buf.
 * Returns the field count, or -1 for a malformed quote or too many fields. */
static int csv_split(const char *line, size_t len, char *buf, char **fields, int max)
{
    int n = 0;
    size_t i = 0;
    char *o = buf;
    for (;;) {
        if (n == max)
            return -1;
        fields[n++] = o;
        if (i < len && line[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        *o++ = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                *o++ = line[i++];
            }
            if (i < len && line[i] != ',')
                return -1;
        } else {
            while (i < len && line[i] != ',')
                *o++ = line[i++];
        }
        *o++ = '\0';
        if (i >= len)
            return n;
        i++; /* the comma */
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Index of the group with this key in gs, adding one when new; -1 on allocation failure. */
static long csv_group(group **gs, size_t *n, const char *model, const char *metric,
                      const char *tier, const char *stier, int period_s, size_t line)
{
    for (size_t i = *n; i-- > 0;) {
        group *g = &(*gs)[i];
        if (g->period_s == period_s && strcmp(g->model, model) == 0 &&
            strcmp(g->metric, metric) == 0 && strcmp(g->resolved_tier, tier) == 0 &&
            strcmp(g->service_tier, stier) == 0)
            return (long)i;
    }
    group *ng = realloc(*gs, (*n + 1) * sizeof *ng);
    if (ng == NULL)
        return -1;
    *gs = ng;
    group *g = &ng[*n];
    memset(g, 0, sizeof *g);
    char where[64];
    snprintf(where, sizeof where, "line %zu", line);
    g->model = strdup(model);
    g->metric = strdup(metric);
    g->resolved_tier = strdup(tier);
    g->service_tier = strdup(stier);
    g->where = strdup(where);
    g->period_s = period_s;
    (*n)++;
    if (!g->model || !g->metric || !g->resolved_tier || !g->service_tier || !g->where)
        return -1;
    return (long)(*n - 1);
}

static tp_status ingest_csv(const tp_ingest *ing, file_ctx *fc, const char *data, size_t len,
                            tp_error *err)
{
    tp_status rc = TP_OK;
    group *gs = NULL;
    size_t ngs = 0;
    char *buf = NULL;
    size_t bufcap = 0;
    int map[N_COLS]; /* column index of each known field, -1 when absent */
    int ncols = 0, have_header = 0;
    for (int i = 0; i < N_COLS; i++)
        map[i] = i < 5 ? i : -1; /* headerless: timestamp,model,metric,value[,tier] */
    size_t line = 0, off = 0;
    fc->sum.format = "csv";
    fc->sum.documents = 1;
    while (off < len) {
        const char *ls = data + off;
        const char *nl = memchr(ls, '\n', len - off);
        size_t ll = nl != NULL ? (size_t)(nl - ls) : len - off;
        off += ll + (nl != NULL);
        line++;
        if (ll > 0 && ls[ll - 1] == '\r')
            ll--;
        if (ll >= 4096) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: line longer than 4096 bytes",
                              fc->name, line);
            goto cleanup;
        }
        if (bufcap < ll + 16) {
            free(buf);
            bufcap = 2 * ll + 16;
            if ((buf = malloc(bufcap)) == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
        }
        char *f[16];
        int nf = csv_split(ls, ll, buf, f, 16);
        if (nf < 0) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: malformed CSV (quotes or too many "
                                                 "fields)",
                              fc->name, line);
            goto cleanup;
        }
        if (nf == 1 && trim(f[0])[0] == '\0')
            continue; /* blank line */
        for (int i = 0; i < nf; i++)
            f[i] = trim(f[i]);
        if (!have_header && line == 1 && strcasecmp(f[0], "timestamp") == 0) {
            for (int i = 0; i < N_COLS; i++)
                map[i] = -1;
            for (int i = 0; i < nf; i++) {
                int k = 0;
                while (k < N_COLS && strcasecmp(f[i], col_names[k]) != 0)
                    k++;
                if (k == N_COLS || map[k] >= 0) {
                    rc = tp_error_set(err, TP_ERR_PARSE,
                                      "%s:1: %s column \"%s\" (expected timestamp, model, "
                                      "metric, value and optionally tier, service_tier, "
                                      "period_s)",
                                      fc->name, k == N_COLS ? "unknown" : "duplicate", f[i]);
                    goto cleanup;
                }
                map[k] = i;
            }
            for (int k = 0; k <= COL_VALUE; k++)
                if (map[k] < 0) {
                    rc = tp_error_set(err, TP_ERR_PARSE, "%s:1: missing column \"%s\"",
                                      fc->name, col_names[k]);
                    goto cleanup;
                }
            have_header = 1;
            ncols = nf;
            continue;
        }
        if (!have_header && ncols == 0)
            ncols = nf < 4 ? 4 : nf;
        if (nf != ncols || (!have_header && nf > 5)) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: %d fields, expected %d", fc->name,
                              line, nf, have_header ? ncols : (nf > 5 ? 5 : ncols));
            goto cleanup;
        }
        int64_t ts;
        double v;
        const char *model = ing->opts.model ? ing->opts.model : f[map[COL_MODEL]];
        const char *metric = ing->opts.metric ? ing->opts.metric : f[map[COL_METRIC]];
        const char *tier = ing->opts.tier       ? ing->opts.tier
                           : map[COL_TIER] >= 0 && map[COL_TIER] < nf ? f[map[COL_TIER]]
                                                                    : "";
        const char *stier = map[COL_STIER] >= 0 ? f[map[COL_STIER]] : "";
        int period_s = 0;
        const char *tsf = f[map[COL_TS]], *vf = f[map[COL_VALUE]];
        if (tp_time_parse(tsf, strlen(tsf), &ts) != TP_OK) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: unparsable timestamp \"%s\"", fc->name,
                              line, tsf);
            goto cleanup;
        }
        if (cnum_parse(vf, strlen(vf), &v) != 0) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: value \"%s\" is not a number",
                              fc->name, line, vf);
            goto cleanup;
        }
        if (!isfinite(v) || v < 0) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s:%zu: value %s is %s", fc->name, line, vf,
                              isfinite(v) ? "negative" : "not a finite number");
            goto cleanup;
        }
        if (model[0] == '\0') {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s:%zu: empty model", fc->name, line);
            goto cleanup;
        }
        if (!tp_metric_is_known(metric)) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s:%zu: unknown metric \"%s\"", fc->name,
                              line, metric);
            goto cleanup;
        }
        if (map[COL_PERIOD] >= 0 && f[map[COL_PERIOD]][0] != '\0') {
            double p;
            const char *pf = f[map[COL_PERIOD]];
            if (cnum_parse(pf, strlen(pf), &p) != 0 || p < 60 || p > 86400 || fmod(p, 60) != 0) {
                rc = tp_error_set(err, TP_ERR_INVALID,
                                  "%s:%zu: period_s \"%s\" is not a whole number of minutes "
                                  "in seconds",
                                  fc->name, line, pf);
                goto cleanup;
            }
            period_s = (int)p;
        }
        long gi = csv_group(&gs, &ngs, model, metric, tier, stier, period_s, line);
        if (gi < 0 || group_push(&gs[gi], ts, v, (uint32_t)line) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    for (size_t i = 0; i < ngs; i++)
        if ((rc = fc_take_group(fc, &gs[i], err)) != TP_OK)
            goto cleanup;
cleanup:
    for (size_t i = 0; i < ngs; i++)
        group_deinit(&gs[i]);
    free(gs);
    free(buf);
    return rc;
}

/* ---- entry points ---- */

tp_status tp_ingest_begin(tp_store *store, const tp_ingest_options *opts, tp_ingest **out,
                          tp_error *err)
{
    tp_status rc;
    *out = NULL;
    if (opts != NULL && opts->period_s != 0 &&
        (opts->period_s < 60 || opts->period_s % 60 != 0 || opts->period_s > 86400))
        return tp_error_set(err, TP_ERR_USAGE,
                            "--period must be a whole number of minutes in seconds (60 to "
                            "86400), got %d",
                            opts->period_s);
    if (opts != NULL && opts->metric != NULL && !tp_metric_is_known(opts->metric))
        return tp_error_set(err, TP_ERR_USAGE, "--metric: unknown metric \"%s\"", opts->metric);
    tp_ingest *ing = calloc(1, sizeof *ing);
    if (ing == NULL || (ing->day = malloc(sizeof *ing->day)) == NULL) {
        free(ing);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    ing->store = store;
    if (opts != NULL)
        ing->opts = *opts;
    if (ing->opts.max_file_bytes == 0)
        ing->opts.max_file_bytes = TP_INGEST_DEFAULT_MAX_BYTES;
    if ((rc = store_batch_begin(store, err)) != TP_OK) {
        free(ing->day);
        free(ing);
        return rc;
    }
    *out = ing;
    return TP_OK;
}

/* SHA-256 costs about as much as parsing the JSON; where a second core is free it runs on
 * its own thread beside the parse. */
typedef struct hash_job {
    const char *data;
    size_t len;
    char hex[65];
} hash_job;

static void *hash_thread(void *arg)
{
    hash_job *j = arg;
    sha256_hex(j->data, j->len, j->hex);
    return NULL;
}

static void fc_free(file_ctx *fc)
{
    if (fc == NULL)
        return;
    for (size_t i = 0; i < fc->n_groups; i++)
        group_deinit(&fc->groups[i]);
    for (size_t i = 0; i < fc->n_pages; i++)
        page_deinit(&fc->pages[i]);
    tp_strv_free(fc->warnings, fc->n_warnings);
    free(fc->groups);
    free(fc->pages);
    free(fc->series_ids);
    free(fc->data);
    free(fc->name);
    free(fc);
}

static file_ctx *fc_new(const char *name)
{
    file_ctx *fc = calloc(1, sizeof *fc);
    if (fc != NULL && (fc->name = strdup(name)) == NULL) {
        free(fc);
        fc = NULL;
    }
    return fc;
}

/* Decodes data into fc (hash, format detection, parse, validation). Reads only ing->opts:
 * safe on a thread of its own. The outcome is in fc->rc and fc->err. */
static void decode(const tp_ingest *ing, file_ctx *fc, const char *data, size_t len,
                   int hash_in_parallel)
{
    hash_job job = {data, len, {0}};
    pthread_t hasher;
    int hashing = 0;
    tp_error_clear(&fc->err);
    if (len > ing->opts.max_file_bytes) {
        fc->rc = tp_error_set(&fc->err, TP_ERR_TOO_BIG,
                              "%s: %zu bytes is over the input cap of %zu bytes (raise it with "
                              "--max-input-mb)",
                              fc->name, len, ing->opts.max_file_bytes);
        return;
    }
    if (hash_in_parallel)
        hashing = pthread_create(&hasher, NULL, hash_thread, &job) == 0;
    if (!hashing)
        hash_thread(&job);
    size_t i = 0;
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    if (i == len)
        fc->rc = tp_error_set(&fc->err, TP_ERR_PARSE, "%s: empty input", fc->name);
    else if (data[i] == '{' || data[i] == '[')
        fc->rc = ingest_json(ing, fc, data, len, &fc->err);
    else
        fc->rc = ingest_csv(ing, fc, data, len, &fc->err);
    if (hashing)
        pthread_join(hasher, NULL);
    memcpy(fc->sum.sha256, job.hex, sizeof job.hex);
}

/* Stores a decoded file: provenance row, warnings, points, pagination check. */
static tp_status store_decoded(tp_ingest *ing, file_ctx *fc, tp_error *err)
{
    tp_status rc;
    for (size_t i = 0; i < fc->n_warnings; i++)
        warnf(ing, "%s", fc->warnings[i]);
    if (fc->rc != TP_OK) {
        if (err != NULL)
            *err = fc->err;
        return fc->rc;
    }
    if ((rc = store_ingest_add(ing->store, fc->name,
                               strcmp(fc->sum.format, "csv") == 0 ? "csv" : "json",
                               &fc->sum.ingest_id, err)) != TP_OK)
        return rc;
    for (size_t i = 0; i < fc->n_groups; i++)
        if ((rc = group_store(ing, fc, &fc->groups[i], err)) != TP_OK)
            return rc;
    for (size_t i = 0; i < fc->n_pages; i++)
        if ((rc = pending_update(ing, &fc->pages[i], err)) != TP_OK)
            return rc;
    fc->sum.series = fc->n_series;
    return store_ingest_finish(ing->store, fc->sum.ingest_id, fc->sum.sha256,
                               (int64_t)fc->sum.points, (int64_t)fc->sum.inserted,
                               (int64_t)fc->sum.replaced, (int64_t)fc->sum.unchanged, err);
}

static tp_status fail_command(tp_ingest *ing, tp_status rc)
{
    ing->failed = 1;
    store_batch_rollback(ing->store);
    return rc;
}

tp_status tp_ingest_buffer(tp_ingest *ing, const char *name, const char *data, size_t len,
                           tp_ingest_summary *summary, tp_error *err)
{
    if (ing->failed || ing->committed)
        return tp_error_set(err, TP_ERR_USAGE, "%s: ingest already %s", name,
                            ing->failed ? "failed" : "committed");
    file_ctx *fc = fc_new(name);
    if (fc == NULL)
        return fail_command(ing, tp_error_set(err, TP_ERR_NOMEM, "out of memory"));
    decode(ing, fc, data, len, 1);
    tp_status rc = store_decoded(ing, fc, err);
    if (summary != NULL)
        *summary = fc->sum;
    fc_free(fc);
    return rc == TP_OK ? TP_OK : fail_command(ing, rc);
}

/* Reads a whole file (or stdin for "-") into a new buffer, refusing more than cap bytes. */
static tp_status read_capped(const char *path, size_t cap, char **out, size_t *out_len,
                             tp_error *err)
{
    tp_status rc = TP_OK;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path; /* for messages */
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, bcap = 0;
    *out = NULL;
    if (f == NULL)
        return tp_error_set(err, TP_ERR_IO, "%s: %s", name, strerror(errno));
    for (;;) {
        if (bcap - len < 65536) {
            size_t ncap = bcap ? bcap * 2 : 1 << 20;
            if (ncap > cap + 1)
                ncap = cap + 1; /* one byte past the cap tells "too big" from "exactly cap" */
            if (ncap <= len) {
                rc = tp_error_set(err, TP_ERR_TOO_BIG,
                                  "%s: over the input cap of %zu bytes (raise it with "
                                  "--max-input-mb)",
                                  name, cap);
                goto cleanup;
            }
            char *nb = realloc(buf, ncap);
            if (nb == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "%s: out of memory", name);
                goto cleanup;
            }
            buf = nb;
            bcap = ncap;
        }
        size_t got = fread(buf + len, 1, bcap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = tp_error_set(err, TP_ERR_IO, "%s: read error", name);
        goto cleanup;
    }
    if (len > cap) {
        rc = tp_error_set(err, TP_ERR_TOO_BIG,
                          "%s: over the input cap of %zu bytes (raise it with --max-input-mb)",
                          name, cap);
        goto cleanup;
    }
    *out = buf;
    *out_len = len;
    buf = NULL;
cleanup:
    free(buf);
    if (!is_stdin)
        fclose(f);
    return rc;
}

/* Reads and decodes one path into a new file_ctx (NULL only when out of memory). */
static file_ctx *decode_path(const tp_ingest *ing, const char *path, int hash_in_parallel)
{
    file_ctx *fc = fc_new(strcmp(path, "-") == 0 ? "<stdin>" : path);
    if (fc == NULL)
        return NULL;
    fc->rc = read_capped(path, ing->opts.max_file_bytes, &fc->data, &fc->len, &fc->err);
    if (fc->rc == TP_OK) {
        decode(ing, fc, fc->data, fc->len, hash_in_parallel);
        free(fc->data); /* the groups hold what is needed */
        fc->data = NULL;
    }
    return fc;
}

typedef struct decode_job {
    const tp_ingest *ing;
    const char *path;
    file_ctx *out;
} decode_job;

static void *decode_thread(void *arg)
{
    decode_job *j = arg;
    j->out = decode_path(j->ing, j->path, 1);
    return NULL;
}

tp_status tp_ingest_files(tp_ingest *ing, const char *const *paths, size_t n,
                          tp_ingest_summary *summaries, tp_error *err)
{
    tp_status rc = TP_OK;
    file_ctx *cur = NULL;
    decode_job job = {ing, NULL, NULL};
    pthread_t th;
    int running = 0;
    if (ing->failed || ing->committed)
        return tp_error_set(err, TP_ERR_USAGE, "ingest already %s",
                            ing->failed ? "failed" : "committed");
    if (n == 0)
        return TP_OK;
    /* A two-stage pipeline: while this thread stores file i, another reads, hashes and
     * parses file i + 1. Errors still surface in file order. */
    cur = decode_path(ing, paths[0], 1);
    for (size_t i = 0; i < n; i++) {
        if (cur == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            break;
        }
        if (i + 1 < n) {
            job.path = paths[i + 1];
            job.out = NULL;
            running = pthread_create(&th, NULL, decode_thread, &job) == 0;
            if (!running)
                decode_thread(&job); /* no thread to be had: decode in turn */
        }
        rc = store_decoded(ing, cur, err);
        if (summaries != NULL)
            summaries[i] = cur->sum;
        fc_free(cur);
        cur = NULL;
        if (running) {
            pthread_join(th, NULL);
            running = 0;
        }
        cur = job.out;
        job.out = NULL;
        if (rc != TP_OK)
            break;
    }
    fc_free(cur);
    return rc == TP_OK ? TP_OK : fail_command(ing, rc);
}

tp_status tp_ingest_file(tp_ingest *ing, const char *path, tp_ingest_summary *summary,
                         tp_error *err)
{
    return tp_ingest_files(ing, &path, 1, summary, err);
}

tp_status tp_ingest_commit(tp_ingest *ing, tp_error *err)
{
    if (ing->failed || ing->committed)
        return tp_error_set(err, TP_ERR_USAGE, "ingest already %s",
                            ing->failed ? "failed" : "committed");
    for (size_t i = 0; i < ing->n_pending; i++)
        warnf(ing,
              "%s: has a NextToken but its next page was not given: the export is incomplete "
              "(fetch the remaining pages and ingest them together)",
              ing->pending[i].where);
    tp_status rc = store_batch_commit(ing->store, err);
    if (rc != TP_OK) {
        ing->failed = 1;
        return rc;
    }
    ing->committed = 1;
    return TP_OK;
}

void tp_ingest_free(tp_ingest *ing)
{
    if (ing == NULL)
        return;
    if (!ing->committed)
        store_batch_rollback(ing->store);
    for (size_t i = 0; i < ing->n_pending; i++)
        page_deinit(&ing->pending[i]);
    free(ing->pending);
    free(ing->day);
    free(ing);
}
