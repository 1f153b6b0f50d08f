/* metric.c - the metrics' names (metric.h): the token metrics tierplan models and every Bedrock
 * metric it accepts. The first stage, so that the store's inventory, ingest and series share
 * one table. */
#include <string.h>

#include "base/util.h"
#include "tierplan/metric.h"

_Static_assert(TP_METRIC_COUNT <= UTIL_N_METRIC_NAMES, "util_metric_names starts with tp_metric");

static const char *const keys[TP_METRIC_COUNT] = {"input", "output", "cache_read",
                                                  "cache_write"};

/* Bedrock metrics accepted beyond the ones tierplan models (util_metric_names): they ingest
 * as given so that a whole CloudWatch export loads; docs/formats.md lists them all. */
static const char *const other_metrics[] = {"InvocationClientErrors", "InvocationServerErrors",
                                            "EstimatedTPMQuotaUsage", "TimeToFirstToken",
                                            "InvocationLatency"};

const char *tp_metric_cloudwatch_name(tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? util_metric_names[m] : "?";
}

const char *tp_metric_key(tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? keys[m] : "?";
}

static int name_is(const char *name, size_t len, const char *known)
{
    return strlen(known) == len && memcmp(name, known, len) == 0;
}

int util_metric_known(const char *name, size_t len)
{
    for (size_t i = 0; i < UTIL_N_METRIC_NAMES; i++)
        if (name_is(name, len, util_metric_names[i]))
            return 1;
    for (size_t i = 0; i < sizeof other_metrics / sizeof other_metrics[0]; i++)
        if (name_is(name, len, other_metrics[i]))
            return 1;
    return 0;
}

int tp_metric_is_known(const char *name)
{
    return util_metric_known(name, strlen(name));
}
