/* awscmd.h - ready-to-run `aws cloudwatch get-metric-data` commands for tierplan's inputs. */
#ifndef TIERPLAN_AWSCMD_H
#define TIERPLAN_AWSCMD_H

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest history CloudWatch keeps (hourly data: 455 days). */
#define TP_AWSCMD_MAX_DAYS 455

/**
 * Builds shell commands that export `days` days of the model's token metrics ending at the
 * minute now_s falls in. CloudWatch keeps 1-minute data 15 days, 5-minute data 63 days and
 * hourly data 455 days, so older stretches are asked for at the finest period still kept;
 * each command writes one file, and every query carries a label tierplan reads
 * (`ModelId=<id> <Metric> Period=<s> Start=<ISO> End=<ISO>`: End= is the as-of ingest
 * uses to let the most recent export win each minute).
 *
 * @param model a model id, inference profile id or ARN ([A-Za-z0-9._:/-] only, as AWS ids are)
 * @param days 1 to TP_AWSCMD_MAX_DAYS
 * @param out receives the commands, one per line group; the caller frees it with free()
 */
TP_API tp_status tp_awscmd_build(const char *model, int days, int64_t now_s, char **out,
                                 tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
