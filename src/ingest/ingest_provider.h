/* ingest_provider.h - what the decoders of other providers' metric exports share
 * (ingest_provider.c): Azure Monitor metrics (ingest_azure.c), Google Cloud Monitoring time
 * series (ingest_gcp.c) and the OpenAI usage API (ingest_openai.c). Each turns its export into
 * ordinary per-model token series under the Bedrock metric names, as CloudWatch's are. */
#ifndef TIERPLAN_INGEST_PROVIDER_H
#define TIERPLAN_INGEST_PROVIDER_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest_internal.h"

/* The provider format data[0, len) (of the input name) is in: "azure-monitor",
 * "gcp-monitoring", "openai-usage" (static), or NULL for anything else (CloudWatch JSON among
 * it). Looks at the first 64 KiB only, for the members each format opens with. Cloud
 * Monitoring's answer when no series matches is read as an export without points: `{"unit":
 * ...}` (a member of its answer only) always, `{}` only in a file named as export-cmd
 * --provider gcp names its files (tierplan-gcp-*), since `{}` alone says nothing. */
const char *ingest_provider_sniff(const char *name, const char *data, size_t len);

/* Decodes a provider export (format from ingest_provider_sniff): one document or several
 * concatenated (pages of one export). Same contract as ingest_decode_json. */
tp_status ingest_decode_provider(const tp_ingest_options *opts, ingest_decoded *dec,
                                 const char *format, const char *data, size_t len,
                                 tp_error *err);

/* The groups of one input by series key (model, metric): a key read at several places of the
 * input (several deployments' dimensions, several pages, several projects' results) is
 * gathered into one group whose points are summed per timestamp when the set is finished.
 * Owns its groups (free with prov_set_deinit). */
typedef struct prov_set {
    ingest_group *g;
    size_t n, cap;
    /* the span the export states, over all its documents (prov_set_span): given to each
     * group that has none of its own when the set is finished */
    int64_t from_s, to_s;
    int has_from, has_to;
} prov_set;

/* Widens the span the export states: to_s (the end of its last interval: its as-of) and,
 * when has_from, from_s (the start of the span it answers for: its coverage). */
void prov_set_span(prov_set *s, int has_from, int64_t from_s, int64_t to_s);

/* The group of (model, metric) in s, created at where (for messages) when new: model is
 * opts->model when given, the resolved tier opts->tier, the region and account opts' (the
 * providers' own regions are no AWS regions: docs/formats.md). period_s is the period the
 * export says its points have; a key seen with two periods is refused. *out is borrowed. */
tp_status prov_group(const tp_ingest_options *opts, const ingest_decoded *dec, prov_set *s,
                     const char *model, const char *metric, int period_s, const char *where,
                     ingest_group **out, tp_error *err);

/* Sums the points of each group that share a timestamp, gives each group without a span of
 * its own the export's (prov_set_span) and moves the groups into dec. */
tp_status prov_set_finish(ingest_decoded *dec, prov_set *s, tp_error *err);
void prov_set_deinit(prov_set *s);

/* Checks a period the export states (seconds; what says it, e.g. "$.interval \"PT5M\"")
 * against a minute and the command's --period: 60 s is read as is; a coarser period only
 * when --period names it (otherwise refused with the period found); anything else refused. */
tp_status prov_check_period(const tp_ingest_options *opts, const ingest_decoded *dec,
                            int64_t period_s, const char *where, const char *what,
                            tp_error *err);

/* Reads a timestamp (ISO 8601 string, or Unix seconds as a number when numeric is set) at
 * where into *out_s; refuses one that is not on a whole minute. */
tp_status prov_timestamp(const ingest_decoded *dec, const cJSON *item, int numeric,
                         const char *where, int64_t *out_s, tp_error *err);

/* Reads a token count at where: a number, or a string of digits when str_ok (Cloud
 * Monitoring's int64Value). Refuses what is not a finite number >= 0. */
tp_status prov_value(const ingest_decoded *dec, const cJSON *item, int str_ok,
                     const char *where, double *out, tp_error *err);

/* ingest_warn that reports a warning lost to memory exhaustion (TP_ERR_NOMEM): every
 * allocation that fails is reported (tests/alloc_fail.c). */
tp_status prov_warn(ingest_decoded *dec, tp_error *err, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Refuses a model id that is empty, not UTF-8 or holds control characters. */
tp_status prov_check_model(const ingest_decoded *dec, const char *model, const char *where,
                           tp_error *err);

/* The decoders of one document each; docname is "" or "document N, " for messages. s
 * gathers the groups of the whole input; *more is set when the document says another page
 * follows it. */
tp_status ingest_azure_doc(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                           const cJSON *doc, const char *docname, tp_error *err);
tp_status ingest_gcp_doc(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                         const cJSON *doc, const char *docname, int *more, tp_error *err);
tp_status ingest_openai_doc(const tp_ingest_options *opts, ingest_decoded *dec, prov_set *s,
                            const cJSON *doc, const char *docname, int *more, tp_error *err);

#endif
