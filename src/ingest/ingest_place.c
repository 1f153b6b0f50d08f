/* ingest_place.c - where ingested data was recorded: the guard that keeps data of an unknown
 * region from being merged into a model stored under a region (docs/user-guide.md, "Regions
 * and accounts"). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "ingest/ingest_internal.h"
#include "store/store_rows.h"

/* Appends the distinct non-empty regions (field 0) or accounts (field 1) of places, of the
 * places in region `in` when in is not NULL, joined by ", "; returns how many. */
static size_t list_known(strbuf *b, const tp_store_place *v, size_t n, int field,
                         const char *in)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *x = field == 0 ? v[i].region : v[i].account;
        if (x[0] == '\0' || (in != NULL && strcmp(v[i].region, in) != 0))
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(field == 0 ? v[j].region : v[j].account, x) == 0 &&
                   (in == NULL || strcmp(v[j].region, in) == 0);
        if (seen)
            continue;
        sb_printf(b, "%s%s", k > 0 ? ", " : "", x);
        k++;
    }
    return k;
}

tp_status ingest_place_guard(tp_store *store, const tp_ingest_options *opts, const char *name,
                             int logs, const char *model, const char *region,
                             const char *account, tp_error *err)
{
    tp_store_place *v = NULL;
    size_t n = 0;
    strbuf b = {0};
    char *text = NULL;
    /* Metric exports are overlaid minute by minute, log sums added: each kind is compared with
     * its own (a metric export without a region never mixes with log sums, which are read
     * apart: tp_series_load reads one source) */
    tp_status rc = store_places_of(store, model, logs ? STORE_PLACES_LOGS : STORE_PLACES_METRICS,
                                   &v, &n, err);
    if (rc != TP_OK)
        goto cleanup;
    int unknown_stored = 0, place_stored = 0, no_account_here = 0;
    for (size_t i = 0; i < n; i++) {
        unknown_stored |= v[i].region[0] == '\0';
        no_account_here |= region[0] != '\0' && strcmp(v[i].region, region) == 0 &&
                           v[i].account[0] == '\0';
        place_stored |= strcmp(v[i].region, region) == 0 && strcmp(v[i].account, account) == 0;
    }
    if (region[0] == '\0' && list_known(&b, v, n, 0, NULL) > 0) {
        if ((rc = sb_finish(&b, &text, err)) != TP_OK)
            goto cleanup;
        /* where a region can come from differs: a log record's region field or its S3 path
         * (AWSLogs/ACCOUNT/BedrockModelInvocationLogs/REGION/), a metric export's label or a
         * CSV's region column */
        rc = tp_error_set_field(err, TP_ERR_CONFLICT, NULL,
                                logs ? "%s: model %s has no region, but the database holds it in "
                                       "%s: pass {region} (the region these logs were recorded "
                                       "in: their records name none, nor does an S3 path "
                                       "AWSLogs/ACCOUNT/BedrockModelInvocationLogs/REGION/); "
                                       "data without a region is never merged into a region's: "
                                       "nothing stored"
                                     : "%s: model %s has no region, but the database holds it in "
                                       "%s: pass {region} (the region these data were recorded "
                                       "in; or label the export Region=R, or give a CSV a "
                                       "region column); data without a region is never merged "
                                       "into a region's: nothing stored",
                                name, model, text);
        goto cleanup;
    }
    if (account[0] == '\0' && list_known(&b, v, n, 1, region) > 0) {
        if ((rc = sb_finish(&b, &text, err)) != TP_OK)
            goto cleanup;
        rc = tp_error_set_field(err, TP_ERR_CONFLICT, NULL,
                                logs ? "%s: model %s in %s has no account, but the database "
                                       "holds it there under account %s: pass {account} (its "
                                       "records name no accountId, nor does an S3 path): "
                                       "nothing stored"
                                     : "%s: model %s in %s has no account, but the database "
                                       "holds it there under account %s: pass {account} (or "
                                       "label the export Account=ID, or give a CSV an account "
                                       "column): nothing stored",
                                name, model, tp_store_place_name(region), text);
        goto cleanup;
    }
    /* warned once, when the place is first stored beside the unknown one: a daily job that
     * keeps passing its region (or a file ingested again) must not warn, or fail --strict,
     * every day for what it was told the first time */
    if (region[0] != '\0' && unknown_stored && !place_stored && opts->warn != NULL) {
        char msg[1024];
        snprintf(msg, sizeof msg,
                 "%s: model %.300s is also stored without a region (data ingested before "
                 "regions were recorded, or without --region); these data are kept apart under "
                 "%s: commands on the model now need --region (or --region unknown); to move "
                 "them there: tierplan relabel --model %.300s --region %s%s%s",
                 name, model, region, model, region, account[0] != '\0' ? " --account " : "",
                 account);
        opts->warn(opts->warn_ctx, msg);
    }
    /* the same for an account: data with one, where the region holds the model without */
    if (account[0] != '\0' && no_account_here && !place_stored && opts->warn != NULL) {
        char msg[1024];
        snprintf(msg, sizeof msg,
                 "%s: model %.300s is also stored in %s without an account; these data are "
                 "kept apart under account %s: commands on the model there now need --account "
                 "(or --account unknown)",
                 name, model, region, account);
        opts->warn(opts->warn_ctx, msg);
    }
cleanup:
    if (text == NULL && !b.failed)
        free(b.data); /* not handed over: no error was written from it */
    free(text);
    tp_store_places_free(v, n);
    return rc;
}
