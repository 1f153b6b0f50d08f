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
    const char *nl = memchr(d, '\n', len); /* Athena's CSV: its header names the query's columns */
    const size_t first = nl != NULL ? (size_t)(nl - d) : len;
    if (find(d, first, "\"minute\"") != NULL && find(d, first, "\"model_id\"") != NULL)
        return INGEST_LOGS_ATHENA_CSV;
    if (find(d, len, "\"results\"") != NULL && find(d, len, "\"field\"") != NULL &&
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
