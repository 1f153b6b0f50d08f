/* provcmd.h - a script of the commands that export other providers' per-minute token metrics
 * for `tierplan ingest`: Azure Monitor (`az monitor metrics list`), Google Cloud Monitoring
 * (`timeSeries.list` through curl) and the OpenAI usage API (curl), for `tierplan export-cmd
 * --provider`. */
#ifndef TIERPLAN_PROVCMD_H
#define TIERPLAN_PROVCMD_H

#include <stdint.h>

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which provider's export. */
typedef enum tp_provcmd_provider {
    TP_PROVCMD_AZURE = 1, /**< Azure Monitor metrics of an Azure OpenAI / Foundry resource */
    TP_PROVCMD_GCP,       /**< Cloud Monitoring time series of Vertex AI publisher models */
    TP_PROVCMD_OPENAI     /**< the OpenAI organization's completions usage */
} tp_provcmd_provider;

/** What to export. Zero-initialise, then set. */
typedef struct tp_provcmd_options {
    tp_provcmd_provider provider;
    /** Azure: the resource id of the Azure OpenAI / Foundry account
     * ("/subscriptions/.../resourceGroups/.../providers/Microsoft.CognitiveServices/accounts/
     * NAME"; [A-Za-z0-9._()/-]). Required for Azure, refused otherwise. Borrowed. */
    const char *resource;
    /** Google: the project id ([a-z0-9-], 6 to 30). Required for Google, refused otherwise.
     * Borrowed. */
    const char *project;
    int days;      /**< days of history, 1 to 3650 */
    int64_t now_s; /**< when the script runs: the export ends at the minute now_s falls in
                        unless end_s is set */
    int64_t end_s; /**< end of the export (Unix seconds, rounded down to the minute), at most
                        now_s; 0: now_s */
} tp_provcmd_options;

/**
 * Builds a POSIX shell script that exports one day per file (the provider's per-minute data
 * of every model or deployment), following each page to the last, into
 * tierplan-PROVIDER-END-NNN.json (END the export's end as YYYYMMDDTHHMMZ): each file is
 * written as NAME.part and renamed when whole, and a command that fails stops the script
 * (status 3) leaving no partial file. Azure: `az monitor metrics list` of
 * ProcessedPromptTokens and GeneratedTokens per ModelDeploymentName at PT1M, Total. Google:
 * `timeSeries.list` of Vertex AI's publisher token_count summed per minute, model_user_id and
 * type (token from `gcloud auth print-access-token`). OpenAI: the completions usage of
 * 1-minute buckets grouped by model, without batch jobs (key from $OPENAI_ADMIN_KEY). The
 * last line is the ingest command to run on the files (docs/formats.md, "Other providers'
 * metrics").
 * @param out receives the script; the caller frees it with free()
 * @return TP_OK; TP_ERR_USAGE for a missing, invalid or inapplicable option (naming its
 *         request field: provider, resource, project, days, end_s); TP_ERR_NOMEM
 */
TP_API tp_status tp_provcmd_build(const tp_provcmd_options *o, char **out, tp_error *err);

/** The provider named name ("azure", "gcp", "openai"), or 0 for another name. */
TP_API tp_provcmd_provider tp_provcmd_provider_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif
