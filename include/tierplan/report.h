/* report.h - renders statistics as text, JSON (stable, for scripts) or CSV. */
#ifndef TIERPLAN_REPORT_H
#define TIERPLAN_REPORT_H

#include "tierplan/common.h"
#include "tierplan/series.h"
#include "tierplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output formats of reports. */
typedef enum tp_format { TP_FORMAT_TEXT, TP_FORMAT_JSON, TP_FORMAT_CSV } tp_format;

/** Parses "text", "json" or "csv". */
TP_API tp_status tp_format_parse(const char *name, tp_format *out, tp_error *err);

/** What tp_report_stats covers. Zero-initialise, then set what you need. */
typedef struct tp_stats_request {
    const char *model;        /**< one model, or NULL for every stored model */
    int has_from, has_to;     /**< window bounds as in tp_series_query */
    int64_t from_minute, to_minute;
    const char *const *tiers; /**< resolved tiers to sum instead of the total */
    size_t n_tiers;
} tp_stats_request;

/**
 * Computes P25/P50/P90/P99/max/mean TPM of input, output, cache-read and cache-write tokens
 * for each requested model and renders them. The JSON shape is documented in docs/formats.md
 * and kept stable: {"models":[{"model","window":{"from","to","minutes","minutes_with_data"},
 * "resolution":{...},"series_used":{...},"tpm":{"input":{"p25",...},...},"notes":[...]}]}.
 *
 * @param out receives a NUL-terminated string; the caller frees it with free()
 * @return TP_ERR_NOT_FOUND when the store holds no (matching) model
 */
TP_API tp_status tp_report_stats(tp_store *store, const tp_stats_request *req, tp_format fmt,
                                 char **out, tp_error *err);

#ifdef __cplusplus
}
#endif
#endif
