/* ingest_azure.c - decodes Azure Monitor metrics as `az monitor metrics list --output json`
 * prints them (the REST Metrics - List response): per deployment of an Azure OpenAI / Foundry
 * resource, the prompt and generated tokens of each minute (docs/formats.md, "Azure Monitor
 * metrics"). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/ingest_provider.h"
#include "tierplan/timestamp.h"

/* Azure's metric names (REST API names, Microsoft.CognitiveServices/accounts) and the series
 * each is stored as. Azure publishes no count of cached prompt tokens (only "Prompt Token
 * Cache Match Rate", a percentage): ProcessedPromptTokens counts them as input. */
static const struct {
    const char *azure, *metric;
} metric_map[] = {
    {"ProcessedPromptTokens", "InputTokenCount"},
    {"GeneratedTokens", "OutputTokenCount"},
    {"AzureOpenAIRequests", "Invocations"},
};
#define N_METRICS (sizeof metric_map / sizeof metric_map[0])

/* Reads an ISO 8601 duration of days, hours, minutes and seconds ("PT1M", "PT1H", "P1D");
 * returns its seconds, or -1. */
static long long iso_duration_s(const char *s)
{
    long long total = 0;
    int in_time = 0, any = 0;
    if (*s != 'P' && *s != 'p')
        return -1;
    s++;
    while (*s) {
        if (*s == 'T' || *s == 't') {
            if (in_time)
                return -1;
            in_time = 1;
            s++;
            continue;
        }
        long long n = 0;
        const char *d = s;
        while (*s >= '0' && *s <= '9' && n < 1000000)
            n = n * 10 + (*s++ - '0');
        if (s == d)
            return -1;
        const char u = (char)(*s | 0x20);
        if (!in_time && u == 'd')
            total += n * 86400;
        else if (in_time && u == 'h')
            total += n * 3600;
        else if (in_time && u == 'm')
            total += n * 60;
        else if (in_time && u == 's')
            total += n;
        else
            return -1;
        any = 1;
        s++;
    }
    return any ? total : -1;
}

/* Reads the interval as the Azure CLI prints it (Python's str of a timedelta): "H:MM:SS",
 * "N day, H:MM:SS" or "N days, H:MM:SS" ("0:01:00" is a minute, "1 day, 0:00:00" a day);
 * returns its seconds, or -1 (also for fractions of a second). */
static long long timedelta_s(const char *s)
{
    long long days = 0, f[3] = {0, 0, 0};
    const char *p = s;
    if (*p >= '0' && *p <= '9' && strchr(s, ',') != NULL) {
        while (*p >= '0' && *p <= '9' && days < 1000000)
            days = days * 10 + (*p++ - '0');
        if (strncmp(p, " days, ", 7) == 0)
            p += 7;
        else if (strncmp(p, " day, ", 6) == 0)
            p += 6;
        else
            return -1;
    }
    for (int k = 0; k < 3; k++) {
        const char *d = p;
        while (*p >= '0' && *p <= '9' && f[k] < 1000000)
            f[k] = f[k] * 10 + (*p++ - '0');
        /* hours take one or two digits, minutes and seconds exactly two */
        if (p == d || (k > 0 && p - d != 2) || (k == 0 && p - d > 2))
            return -1;
        if (k < 2 && *p++ != ':')
            return -1;
    }
    if (*p != '\0' || f[0] > 23 || f[1] > 59 || f[2] > 59)
        return -1;
    return days * 86400 + f[0] * 3600 + f[1] * 60 + f[2];
}

/* The ModelDeploymentName of a time series (matched however Azure cases the dimension), or
 * NULL when the export was not split by it. */
static const char *deployment_of(const cJSON *ts)
{
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(ts, "metadatavalues"), *m;
    cJSON_ArrayForEach(m, mv)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
        const cJSON *nv = cJSON_GetObjectItemCaseSensitive(name, "value");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "value");
        if (cJSON_IsString(nv) && strcasecmp(nv->valuestring, "ModelDeploymentName") == 0 &&
            cJSON_IsString(v))
            return v->valuestring;
    }
    return NULL;
}

/* One entry of timeseries[] (at where) of metric into s. */
static tp_status read_series(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                             const cJSON *ts, const char *metric, int period_s,
                             const int64_t span[2], const char *where, tp_error *err)
{
    tp_status rc;
    char w[400];
    const char *model = deployment_of(ts);
    if (model == NULL && opts->model == NULL)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: %s.metadatavalues: no ModelDeploymentName dimension "
                                  "(export with --filter \"ModelDeploymentName eq '*'\", or "
                                  "pass {model})",
                                  dec->name, where);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(ts, "data");
    if (!cJSON_IsArray(data))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s.data: not an array", dec->name, where);
    ingest_group *g;
    snprintf(w, sizeof w, "%s.metadatavalues", where);
    if ((rc = prov_group(opts, dec, s, model, metric, period_s, w, &g, err)) != TP_OK)
        return rc;
    /* the span asked for, as a CloudWatch label's Start= and End=: the series' coverage,
     * and its as-of (pages of one export share it; several exports: the widest) */
    if (span != NULL) {
        g->start_s = g->has_start && g->start_s < span[0] ? g->start_s : span[0];
        g->end_s = g->has_end && g->end_s > span[1] ? g->end_s : span[1];
        g->has_start = g->has_end = 1;
    }
    uint32_t j = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, data)
    {
        int64_t t;
        double v;
        const cJSON *total = cJSON_GetObjectItemCaseSensitive(p, "total");
        snprintf(w, sizeof w, "%s.data[%u].timeStamp", where, (unsigned)j);
        if ((rc = prov_timestamp(dec, cJSON_GetObjectItemCaseSensitive(p, "timeStamp"), 0, w,
                                 &t, err)) != TP_OK)
            return rc;
        if (total == NULL && (cJSON_GetObjectItemCaseSensitive(p, "average") != NULL ||
                              cJSON_GetObjectItemCaseSensitive(p, "maximum") != NULL ||
                              cJSON_GetObjectItemCaseSensitive(p, "count") != NULL))
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.data[%u]: no total (export with --aggregation Total: "
                                "an average or maximum is no count of tokens)",
                                dec->name, where, (unsigned)j);
        /* a minute without data has no total (null or absent): nothing to store */
        if (total != NULL && !cJSON_IsNull(total)) {
            snprintf(w, sizeof w, "%s.data[%u].total", where, (unsigned)j);
            if ((rc = prov_value(dec, total, 0, w, &v, err)) != TP_OK)
                return rc;
            if (ingest_group_push(g, t, v, j) != 0)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
        j++;
    }
    return TP_OK;
}

tp_status ingest_azure_doc(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                           const cJSON *doc, const char *docname, tp_error *err)
{
    tp_status rc;
    char where[300];
    const cJSON *interval = cJSON_GetObjectItemCaseSensitive(doc, "interval");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(doc, "value");
    if (!cJSON_IsString(interval))
        return tp_error_set(err, TP_ERR_PARSE,
                            "%s: %s$.interval: missing or not a string (az monitor metrics "
                            "list output has one, e.g. \"0:01:00\" or \"PT1M\")",
                            dec->name, docname);
    if (!cJSON_IsArray(value))
        return tp_error_set(err, TP_ERR_PARSE, "%s: %s$.value: not an array", dec->name,
                            docname);
    /* ISO 8601 as the REST API writes it ("PT1M"), or the Azure CLI's "0:01:00" */
    long long period_s = iso_duration_s(interval->valuestring);
    if (period_s < 0)
        period_s = timedelta_s(interval->valuestring);
    char what[80];
    snprintf(what, sizeof what, "interval \"%.20s\"", interval->valuestring);
    snprintf(where, sizeof where, "%s$.interval", docname);
    if ((rc = prov_check_period(opts, dec, period_s, where, what, err)) != TP_OK)
        return rc;
    /* timespan: "START/END", ISO 8601 */
    const cJSON *tspan = cJSON_GetObjectItemCaseSensitive(doc, "timespan");
    int64_t span[2];
    int has_span = 0;
    if (cJSON_IsString(tspan)) {
        const char *t = tspan->valuestring, *slash = strchr(t, '/');
        has_span = slash != NULL &&
                   tp_timestamp_parse(t, (size_t)(slash - t), &span[0], NULL) == TP_OK &&
                   tp_timestamp_parse(slash + 1, strlen(slash + 1), &span[1], NULL) == TP_OK &&
                   span[0] < span[1];
        if (!has_span)
            return tp_error_set(err, TP_ERR_PARSE,
                                "%s: %s$.timespan: \"%.80s\" is not START/END in ISO 8601",
                                dec->name, docname, t);
    }
    /* resourceregion (an Azure region) is not recorded, and said so in docs/formats.md
     * rather than in a warning: every export has one, and --strict fails on any warning */
    int mi = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, value)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
        const cJSON *nv = cJSON_GetObjectItemCaseSensitive(name, "value");
        const cJSON *tss = cJSON_GetObjectItemCaseSensitive(m, "timeseries");
        snprintf(where, sizeof where, "%s$.value[%d]", docname, mi);
        if (!cJSON_IsString(nv))
            return tp_error_set(err, TP_ERR_PARSE, "%s: %s.name.value: missing or not a string",
                                dec->name, where);
        const char *metric = NULL;
        for (size_t k = 0; k < N_METRICS && metric == NULL; k++)
            if (strcasecmp(nv->valuestring, metric_map[k].azure) == 0)
                metric = metric_map[k].metric;
        if (metric == NULL)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.name.value: unknown metric \"%.80s\" (tierplan reads "
                                "ProcessedPromptTokens, GeneratedTokens and "
                                "AzureOpenAIRequests)",
                                dec->name, where, nv->valuestring);
        if (!cJSON_IsArray(tss))
            return tp_error_set(err, TP_ERR_PARSE, "%s: %s.timeseries: not an array", dec->name,
                                where);
        int ti = 0;
        const cJSON *ts;
        cJSON_ArrayForEach(ts, tss)
        {
            char w[340];
            snprintf(w, sizeof w, "%s.timeseries[%d]", where, ti++);
            if ((rc = read_series(opts, dec, s, ts, metric, (int)period_s,
                                   has_span ? span : NULL, w, err)) != TP_OK)
                return rc;
        }
        mi++;
    }
    return TP_OK;
}
