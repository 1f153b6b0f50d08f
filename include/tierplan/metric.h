/* metric.h - the token metrics a planner needs and their names in CloudWatch and in reports. */
#ifndef TIERPLAN_METRIC_H
#define TIERPLAN_METRIC_H

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The token metrics a planner needs, in a fixed order. */
typedef enum tp_metric {
    TP_METRIC_INPUT = 0,   /**< InputTokenCount (excludes cached tokens) */
    TP_METRIC_OUTPUT,      /**< OutputTokenCount */
    TP_METRIC_CACHE_READ,  /**< CacheReadInputTokenCount */
    TP_METRIC_CACHE_WRITE, /**< CacheWriteInputTokenCount */
    TP_METRIC_COUNT
} tp_metric;

/** CloudWatch name of a metric ("InputTokenCount" ...); static, "?" for an unknown m. */
TP_API const char *tp_metric_cloudwatch_name(tp_metric m);
/**
 * Short key used in reports ("input", "output", "cache_read", "cache_write"); static, "?" for
 * an unknown m.
 */
TP_API const char *tp_metric_key(tp_metric m);
/** Nonzero when name (borrowed, NUL-terminated) is one of the Bedrock metric names tierplan
 * knows: the four token metrics and the request, error and latency metrics ingest accepts. */
TP_API int tp_metric_is_known(const char *name);

#ifdef __cplusplus
}
#endif

#endif
