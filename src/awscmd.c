/* awscmd.c - generates the CloudWatch export commands printed by `tierplan export-cmd`. */
#include "tierplan/awscmd.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"
#include "tierplan/timestamp.h"

/* Query ids, one per entry of util_metric_names. */
static const char *const export_ids[UTIL_N_METRIC_NAMES] = {
    "input", "output", "cacheread", "cachewrite", "invocations", "throttles"};

/* Retention tiers of CloudWatch: data older than `kept_days` exists only at coarser periods. */
static const struct {
    int period_s;
    int kept_days;
} retention[] = {{60, 15}, {300, 63}, {3600, TP_AWSCMD_MAX_DAYS}};

tp_status tp_awscmd_build(const char *model, int days, int64_t now_s, char **out,
                          tp_error *err)
{
    strbuf b = {0};
    *out = NULL;
    if (model == NULL || model[0] == '\0')
        return tp_error_set(err, TP_ERR_USAGE, "export-cmd: --model is required");
    for (const char *c = model; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("._:/-", *c) != NULL))
            return tp_error_set(err, TP_ERR_USAGE,
                                "export-cmd: model id \"%s\" has a character AWS ids never "
                                "have ('%c')",
                                model, *c);
    if (days < 1 || days > TP_AWSCMD_MAX_DAYS)
        return tp_error_set(err, TP_ERR_USAGE,
                            "export-cmd: --days must be 1 to %d (CloudWatch keeps no more)",
                            TP_AWSCMD_MAX_DAYS);
    /* the whole id: file names cut to a fixed length would name two models' exports alike */
    char *slug = strdup(model);
    if (slug == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (char *c = slug; *c; c++)
        if (*c == ':' || *c == '/')
            *c = '_';
    const int64_t end_s = now_s - now_s % 60;
    int done_days = 0;
    sb_printf(&b, "# tierplan export-cmd: %d day(s) of %s ending %s\n", days, model,
              "at the current minute");
    for (size_t r = 0; r < sizeof retention / sizeof retention[0] && done_days < days; r++) {
        int upto = days < retention[r].kept_days ? days : retention[r].kept_days;
        if (upto <= done_days)
            continue;
        int period = retention[r].period_s;
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        tp_time_format(end_s - (int64_t)upto * 86400, from);
        tp_time_format(end_s - (int64_t)done_days * 86400, to);
        sb_printf(&b,
                  "# days %d to %d back, period %d s (CloudWatch keeps this period %d days)\n",
                  done_days, upto, period, retention[r].kept_days);
        sb_printf(&b,
                  "aws cloudwatch get-metric-data --output json --scan-by TimestampAscending "
                  "--start-time %s --end-time %s --metric-data-queries '[",
                  from, to);
        for (size_t m = 0; m < UTIL_N_METRIC_NAMES; m++)
            sb_printf(&b,
                      "%s{\"Id\":\"%s\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/Bedrock\","
                      "\"MetricName\":\"%s\",\"Dimensions\":[{\"Name\":\"ModelId\",\"Value\":\"%s\"}]},"
                      "\"Period\":%d,\"Stat\":\"Sum\"},\"Label\":\"ModelId=%s %s Period=%d "
                      "Start=%s End=%s\",\"ReturnData\":true}",
                      m ? "," : "", export_ids[m], util_metric_names[m], model, period, model,
                      util_metric_names[m], period, from, to);
        sb_printf(&b, "]' > 'tierplan-%s-%ds.json'\n", slug, period);
        done_days = upto;
    }
    sb_printf(&b, "# then: tierplan ingest tierplan-%s-*.json\n", slug);
    free(slug);
    return sb_finish(&b, out, err);
}
