/* awscmd_logs.c - the Logs Insights export script of `tierplan export-cmd --source logs`:
 * per-minute sums computed server-side, in queries that stay under the 10,000-row limit. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/awscmd_logs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "render/awscmd_internal.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"

#define MAX_DAYS 3650
#define MAX_QUERIES 100000

/* The first character of s that is not [A-Za-z0-9] or of extra; its '\0' when there is none. */
static const char *first_not(const char *s, const char *extra)
{
    const char *c = s;
    while (*c && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || strchr(extra, *c) != NULL))
        c++;
    return c;
}

/* 1 when s is non-empty and all of [A-Za-z0-9] or extra. */
static int only(const char *s, const char *extra)
{
    return s != NULL && *s != '\0' && *first_not(s, extra) == '\0';
}

/* The Logs Insights field of the attribution key; NULL when attribute_by is not valid. */
static const char *key_field(const char *by, char *buf, size_t size)
{
    if (by == NULL || strcmp(by, "identity") == 0)
        return "identity.arn";
    if (strcmp(by, "operation") == 0 || strcmp(by, "region") == 0)
        return by;
    if (strncmp(by, "metadata:", 9) == 0 && only(by + 9, "_")) {
        snprintf(buf, size, "requestMetadata.%s", by + 9);
        return buf;
    }
    return NULL;
}

/* The polling function, each "%s" where an aws command's --region and --profile go. */
#define POLL_FUNCTION                                                                              \
    "# tp_query START END FILE: runs one query, waits for it, saves its results\n"                 \
    "tp_query() {\n"                                                                               \
    "  id=$(aws logs start-query%s \\\n"                                                           \
    "    --log-group-name \"$TP_LOG_GROUP\" --start-time \"$1\" --end-time \"$2\" \\\n"            \
    "    --limit 10000 --query-string \"$TP_QUERY\" --query queryId --output text) \\\n"           \
    "    || return 1\n"                                                                            \
    "  while :; do\n"                                                                              \
    "    st=$(aws logs get-query-results%s \\\n"                                                   \
    "      --query-id \"$id\" --query status --output text) || return 1\n"                         \
    "    case \"$st\" in\n"                                                                        \
    "      Complete) break ;;\n"                                                                   \
    "      Scheduled|Running) sleep 5 ;;\n"                                                        \
    "      *) echo \"query $id ($1 .. $2): $st\" >&2; return 1 ;;\n"                               \
    "    esac\n"                                                                                   \
    "  done\n"                                                                                     \
    "  aws logs get-query-results%s \\\n"                                                          \
    "    --query-id \"$id\" --output json > \"$3\" || return 1\n"                                  \
    "  n=$(grep -c '\"field\": \"minute\"' \"$3\" || true)\n"                                      \
    "  if [ \"$n\" -ge 10000 ]; then\n"                                                            \
    "    echo \"$3: 10,000 rows, the limit: export again with a larger --rows-per-minute\" >&2\n"  \
    "    return 1\n"                                                                               \
    "  fi\n"                                                                                       \
    "}\n"

tp_status tp_awscmd_logs_build(const tp_awscmd_logs_options *o, char **out, tp_error *err)
{
    char kbuf[160];
    *out = NULL;
    const char *field = key_field(o->attribute_by, kbuf, sizeof kbuf);
    const int rows = o->rows_per_minute > 0 ? o->rows_per_minute : 10;
    if (o->log_group == NULL || o->log_group[0] == '\0')
        return tp_error_set_field(err, TP_ERR_USAGE, "log_group",
                                  "{log_group} is required, of [A-Za-z0-9._/#-] as log group "
                                  "names are");
    if (!only(o->log_group, "._/#-"))
        return tp_error_set_field(err, TP_ERR_USAGE, "log_group",
                                  "{log_group} \"%s\" has a character log group names never "
                                  "have ('%c'): they are of [A-Za-z0-9._/#-]",
                                  o->log_group, *first_not(o->log_group, "._/#-"));
    if (field == NULL)
        return tp_error_set_field(err, TP_ERR_USAGE, "attribute_by",
                                  "{attribute_by} is identity, operation, region or "
                                  "metadata:KEY with KEY of [A-Za-z0-9_]");
    if (o->days < 1 || o->days > MAX_DAYS)
        return tp_error_set_field(err, TP_ERR_USAGE, "days", "{days} must be 1 to %d", MAX_DAYS);
    if (rows > 9000)
        return tp_error_set_field(err, TP_ERR_USAGE, "rows_per_minute",
                                  "{rows_per_minute} must be 1 to 9000");
    if (o->end_s < 0 || (o->end_s > 0 && o->end_s > o->now_s))
        return tp_error_set_field(err, TP_ERR_USAGE, "end_s",
                                  "{end_s} is after {now_s}: invocation logs of the future do "
                                  "not exist yet");
    tp_status rc = awscmd_check_place(o->region, o->account, o->profile, err);
    if (rc != TP_OK)
        return rc;
    const int64_t end_at = o->end_s > 0 ? o->end_s : o->now_s;
    const int64_t chunk_min = 9000 / rows, end_s = end_at - end_at % 60;
    const int64_t start_s = end_s - (int64_t)o->days * 86400;
    const int64_t n = ((int64_t)o->days * 1440 + chunk_min - 1) / chunk_min;
    if (n > MAX_QUERIES)
        return tp_error_set_field(err, TP_ERR_USAGE, "days",
                                  "%lld queries: shorten {days} or lower {rows_per_minute}",
                                  (long long)n);
    strbuf b = {0}, where = {0};
    char a[TP_TIME_BUF], z[TP_TIME_BUF], stamp[TP_STORE_REGION_MAX + TP_TIME_BUF];
    /* the end in the file names: 2026-10-10T00:00:00Z -> 20261010T0000Z */
    tp_timestamp_format(end_s, z);
    /* the region in the file names: two regions' exports of one end never share a name */
    snprintf(stamp, sizeof stamp, "%s%s%.4s%.2s%.2sT%.2s%.2sZ", o->region != NULL ? o->region : "",
             o->region != NULL ? "-" : "", z, z + 5, z + 8, z + 11, z + 14);
    awscmd_put_where(&where, o->region, o->profile);
    const char *w = where.data != NULL ? where.data : "";
    sb_printf(&b, "#!/bin/sh\n# tierplan export-cmd --source logs: %d day(s) of %s%s%s\n# %s .. %s",
              o->days, o->log_group, o->region != NULL ? " in " : "",
              o->region != NULL ? o->region : "", tp_timestamp_format(start_s, a),
              tp_timestamp_format(end_s, z));
    sb_printf(&b,
              ": %lld queries of %lld minutes, for %d rows a minute\n"
              "set -e\n",
              (long long)n, (long long)chunk_min, rows);
    sb_printf(&b, "TP_LOG_GROUP='%s'\n", o->log_group);
    sb_printf(&b,
              "TP_QUERY='fields @timestamp\n"
              "| filter ispresent(modelId)\n"
              "| stats count(*) as requests, count(errorCode) as errors,\n"
              "    sum(input.inputTokenCount) as input_tokens,\n"
              "    sum(output.outputTokenCount) as output_tokens,\n"
              "    sum(input.cacheReadInputTokenCount) as cache_read_tokens,\n"
              "    sum(input.cacheWriteInputTokenCount) as cache_write_tokens\n"
              "  by bin(1m) as minute, modelId, %s as attr_key'\n",
              field);
    sb_printf(&b, POLL_FUNCTION, w, w, w);
    for (int64_t i = 0; i < n; i++) {
        const int64_t s = start_s + i * chunk_min * 60;
        const int64_t e = s + chunk_min * 60 < end_s ? s + chunk_min * 60 : end_s;
        /* the end is inclusive: one second before the next query's start */
        sb_printf(&b, "tp_query %lld %lld tierplan-logs-%s-%05lld.json\n", (long long)s,
                  (long long)e - 1, stamp, (long long)i + 1);
    }
    /* the rows name no region or account: ingest is told them */
    sb_printf(&b, "# then: tierplan ingest%s%s%s%s%s%s tierplan-logs-%s-*.json\n",
              o->region != NULL ? " --region " : "", o->region != NULL ? o->region : "",
              o->account != NULL ? " --account " : "", o->account != NULL ? o->account : "",
              o->attribute_by != NULL ? " --attribute-by " : "",
              o->attribute_by != NULL ? o->attribute_by : "", stamp);
    b.failed |= where.failed;
    free(where.data);
    return sb_finish(&b, out, err);
}
