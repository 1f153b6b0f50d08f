/* ingest_logs_sniff.c - what an input is (its first bytes), and which object a file of
 * invocation logs is (its S3 key, however the prefix was synced). */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdlib.h>
#include <string.h>

#include "ingest/logs/ingest_logs.h"

static const char *find(const char *d, size_t len, const char *needle)
{
    const size_t k = strlen(needle);
    for (const char *p = d; len >= k && (p = memchr(p, needle[0], len - k + 1 - (size_t)(p - d)));
         p++)
        if (memcmp(p, needle, k) == 0)
            return p;
    return NULL;
}

/* Athena's CSV result: a first line of two or more names, every one quoted, none of them
 * "metric" (a metric CSV whose header was quoted, by a spreadsheet say, has one). */
static int athena_header(const char *d, size_t len)
{
    char buf[4096];
    const char *val[64];
    const char *nl = memchr(d, '\n', len);
    const size_t first = nl != NULL ? (size_t)(nl - d) : len;
    if (first == 0 || d[0] != '"' || find(d, first, "\"metric\"") != NULL)
        return 0;
    const int n = log_csv_split(d, first, buf, sizeof buf, val, 64);
    if (n < 2)
        return 0;
    /* every field quoted: each starts right after a comma (or the line) with a quote */
    int fields = 1;
    for (size_t i = 0, in = 0; i < first; i++) {
        if (d[i] == '"')
            in = !in;
        else if (d[i] == ',' && !in && (fields++, i + 1 >= first || d[i + 1] != '"'))
            return 0;
    }
    return fields == n;
}

enum ingest_logs_kind ingest_logs_sniff(const char *d, size_t len)
{
    if (len >= 2 && (unsigned char)d[0] == 0x1f && (unsigned char)d[1] == 0x8b)
        return INGEST_LOGS_RECORDS;
    if (len > INGEST_LOGS_SNIFF)
        len = INGEST_LOGS_SNIFF;
    if (find(d, len, "\"MetricDataResults\"") != NULL || find(d, len, "\"Datapoints\"") != NULL)
        return INGEST_NOT_LOGS;
    if (find(d, len, "\"ResultSet\"") != NULL && find(d, len, "\"ColumnInfo\"") != NULL)
        return INGEST_LOGS_ATHENA_JSON;
    if (athena_header(d, len))
        return INGEST_LOGS_ATHENA_CSV;
    /* a query's results without a row (a quiet stretch) have no "field": their "status",
     * which get-query-results always writes, tells them apart */
    if (find(d, len, "\"results\"") != NULL &&
        (find(d, len, "\"field\"") != NULL || find(d, len, "\"status\"") != NULL) &&
        find(d, len, "\"ModelInvocationLog\"") == NULL)
        return INGEST_LOGS_INSIGHTS;
    if (find(d, len, "\"ModelInvocationLog\"") != NULL ||
        (find(d, len, "\"modelId\"") != NULL && find(d, len, "\"requestId\"") != NULL))
        return INGEST_LOGS_RECORDS;
    return INGEST_NOT_LOGS;
}

char *ingest_logs_object_of_path(const char *path)
{
    char *abs = realpath(path, NULL);
    if (abs == NULL)
        return strdup(path);
    const char *at = strstr(abs, "/AWSLogs/");
    if (at != NULL)
        memmove(abs, at + 1, strlen(at + 1) + 1);
    return abs;
}
