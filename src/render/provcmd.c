/* provcmd.c - the export scripts of `tierplan export-cmd --provider azure|gcp|openai`: one
 * file a day of per-minute token counts, each page followed, each file renamed when whole. */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/provcmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "tierplan/timestamp.h"

#define MAX_DAYS 3650
/* az monitor metrics list --top: the Metrics API returns the top 10 series per metric under
 * a dimension filter unless told more; 1000 deployments of one account is beyond any seen */
#define TOP "1000"

static const char *const names[] = {"", "azure", "gcp", "openai"};

tp_provcmd_provider tp_provcmd_provider_parse(const char *name)
{
    for (int i = 1; i <= 3 && name != NULL; i++)
        if (strcmp(name, names[i]) == 0)
            return (tp_provcmd_provider)i;
    return 0;
}

/* 1 when s is non-empty and all of [A-Za-z0-9] or extra. */
static int only(const char *s, const char *extra)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr(extra, *s) != NULL))
            return 0;
    return 1;
}

/* 1 when id names an account of Microsoft.CognitiveServices (Azure ids ignore case):
 * .../providers/Microsoft.CognitiveServices/accounts/NAME, NAME the last segment. */
static int cognitive_account(const char *id)
{
    static const char mid[] = "/providers/microsoft.cognitiveservices/accounts/";
    const size_t n = sizeof mid - 1, len = strlen(id);
    for (size_t i = 0; i + n < len; i++)
        if (strncasecmp(id + i, mid, n) == 0)
            return strchr(id + i + n, '/') == NULL;
    return 0;
}

static tp_status check(const tp_provcmd_options *o, tp_error *err)
{
    if (o->provider < TP_PROVCMD_AZURE || o->provider > TP_PROVCMD_OPENAI)
        return tp_error_set_field(err, TP_ERR_USAGE, "provider",
                                  "{provider} is azure, gcp or openai");
    if (o->provider == TP_PROVCMD_AZURE &&
        (o->resource == NULL || strncmp(o->resource, "/subscriptions/", 15) != 0 ||
         !only(o->resource, "._()/-")))
        return tp_error_set_field(err, TP_ERR_USAGE, "resource",
                                  "{provider} azure needs {resource}: the resource id of the "
                                  "Azure OpenAI account (/subscriptions/.../accounts/NAME, of "
                                  "[A-Za-z0-9._()/-])");
    /* the metrics read are an Azure OpenAI / Foundry account's (Microsoft.CognitiveServices/
     * accounts): another resource has none of them, and az would fail on each day */
    if (o->provider == TP_PROVCMD_AZURE && !cognitive_account(o->resource))
        return tp_error_set_field(err, TP_ERR_USAGE, "resource",
                                  "{resource} is not an Azure OpenAI account: its id must be "
                                  "/subscriptions/SUB/resourceGroups/RG/providers/"
                                  "Microsoft.CognitiveServices/accounts/NAME");
    if (o->provider != TP_PROVCMD_AZURE && o->resource != NULL)
        return tp_error_set_field(err, TP_ERR_USAGE, "resource",
                                  "{resource} applies to {provider} azure only");
    const size_t pn = o->project != NULL ? strlen(o->project) : 0;
    if (o->provider == TP_PROVCMD_GCP &&
        (pn < 6 || pn > 30 || !only(o->project, "-") || o->project[0] < 'a' ||
         o->project[0] > 'z'))
        return tp_error_set_field(err, TP_ERR_USAGE, "project",
                                  "{provider} gcp needs {project}: a Google Cloud project id "
                                  "(6 to 30 of [a-z0-9-], starting with a letter)");
    if (o->provider != TP_PROVCMD_GCP && o->project != NULL)
        return tp_error_set_field(err, TP_ERR_USAGE, "project",
                                  "{project} applies to {provider} gcp only");
    if (o->days < 1 || o->days > MAX_DAYS)
        return tp_error_set_field(err, TP_ERR_USAGE, "days", "{days} must be 1 to %d", MAX_DAYS);
    if (o->end_s < 0 || (o->end_s > 0 && o->end_s > o->now_s))
        return tp_error_set_field(err, TP_ERR_USAGE, "end_s",
                                  "{end_s} is after {now_s}: metrics of the future do not "
                                  "exist yet");
    return TP_OK;
}

/* The paging function: runs its command once per page, appending each page to FILE.part and
 * passing the page token the last page gave (the member named by $TP_NEXT) as the query
 * parameter $TP_PAGE; renames FILE.part to FILE after the last page. Pages are whole JSON
 * documents one after another: tierplan ingest reads them as one export. A failed request's
 * answer (curl --fail-with-body keeps it) is shown before the script stops. */
#define PAGES_FUNCTION                                                                             \
    "# tp_pages FILE COMMAND...: every page of COMMAND's answer into FILE\n"                       \
    "tp_pages() {\n"                                                                               \
    "  f=$1; shift\n"                                                                              \
    "  : > \"$f.part\" || stop \"$f\"\n"                                                           \
    "  tok=\n"                                                                                     \
    "  while :; do\n"                                                                              \
    "    \"$@\" ${tok:+--data-urlencode \"$TP_PAGE=$tok\"} > \"$f.page\" ||\n"                     \
    "      { s=$?; head -c 2000 \"$f.page\" >&2; echo >&2; (exit $s); stop \"$f\"; }\n"           \
    "    cat \"$f.page\" >> \"$f.part\" || stop \"$f\"\n"                                          \
    "    tok=$(tr -d '\\n' < \"$f.page\" | sed -n \"s/.*\\\"$TP_NEXT\\\": *\\\"\\([^\\\"]*\\)\\\".*/\\1/p\")\n" \
    "    rm -f \"$f.page\"\n"                                                                      \
    "    [ -n \"$tok\" ] || break\n"                                                               \
    "  done\n"                                                                                     \
    "  mv -f \"$f.part\" \"$f\" || stop \"$f\"\n"                                                  \
    "}\n"

/* The secret (a bearer token or key) goes to curl in a header file readable by the user
 * alone (-H @FILE), never on a command line (ps shows those to every user); the file is
 * removed at the script's end, by stop and on a signal. Not by an EXIT trap: dash leaks the
 * trap's text when it runs, which the valgrind CI run (it follows the shell) counts. */
#define HEADER_FILE                                                                                \
    "# the credential goes to curl in a file only you can read, removed on exit: never in a\n"     \
    "# command line, which every user of the machine can see\n"                                    \
    "umask 077\n"                                                                                  \
    "TP_HDR=$(mktemp) || { echo 'export stopped: mktemp failed' >&2; exit 3; }\n"                  \
    "trap 'rm -f \"$TP_HDR\"; exit 3' HUP INT TERM\n"                                              \
    "# tp_auth TOKEN: the header file of TOKEN (printf is built into sh: no command line)\n"       \
    "tp_auth() { printf 'Authorization: Bearer %%s\\n' \"$1\" > \"$TP_HDR\"; }\n"

tp_status tp_provcmd_build(const tp_provcmd_options *o, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = check(o, err);
    if (rc != TP_OK)
        return rc;
    const char *name = names[o->provider];
    const int64_t end_at = o->end_s > 0 ? o->end_s : o->now_s;
    const int64_t end_s = end_at - end_at % 60;
    const int64_t start_s = end_s - (int64_t)o->days * 86400;
    char a[TP_TIME_BUF], z[TP_TIME_BUF], stamp[TP_TIME_BUF];
    tp_timestamp_format(start_s, a);
    tp_timestamp_format(end_s, z);
    snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2sZ", z, z + 5, z + 8, z + 11, z + 14);
    strbuf b = {0};
    sb_printf(&b, "#!/bin/sh\n# tierplan export-cmd --provider %s: %d day(s), %s .. %s\n", name,
              o->days, a, z);
    sb_printf(&b, "# run it as a script (sh FILE): a command that fails stops it (status 3) "
                  "and\n# leaves no partial file (each export is written to NAME.part, renamed "
                  "when whole)\n"
                  "set -u\n"
                  "stop() { s=$?; rm -f \"$1.part\" \"$1.page\" ${TP_HDR:+\"$TP_HDR\"}; echo "
                  "\"export stopped: the "
                  "command for $1 failed (status $s)\" >&2; exit 3; }\n");
    if (o->provider == TP_PROVCMD_GCP) {
        sb_printf(&b, HEADER_FILE);
        /* an access token lives an hour: a fresh one for each day's export */
        sb_printf(&b, "# tp_token FILE: a fresh access token (one lives an hour) before FILE's "
                      "export\n"
                      "tp_token() { t=$(gcloud auth print-access-token) && [ -n \"$t\" ] && "
                      "tp_auth \"$t\" || stop \"$1\"; }\n"
                      "TP_PAGE=pageToken TP_NEXT=nextPageToken\n");
        sb_printf(&b, "%s", PAGES_FUNCTION);
    } else if (o->provider == TP_PROVCMD_OPENAI) {
        sb_printf(&b, "# an admin key of the organization (platform.openai.com, "
                      "Settings > Admin keys)\n"
                      "[ -n \"${OPENAI_ADMIN_KEY:-}\" ] || { echo 'export stopped: set "
                      "OPENAI_ADMIN_KEY to an admin key' >&2; exit 3; }\n");
        sb_printf(&b, HEADER_FILE);
        sb_printf(&b, "tp_auth \"$OPENAI_ADMIN_KEY\" || stop \"$TP_HDR\"\n"
                      "TP_PAGE=page TP_NEXT=next_page\n");
        sb_printf(&b, "%s", PAGES_FUNCTION);
    }
    for (int d = 0; d < o->days; d++) {
        const int64_t s = start_s + (int64_t)d * 86400, e = s + 86400;
        char ts[TP_TIME_BUF], te[TP_TIME_BUF], file[96];
        tp_timestamp_format(s, ts);
        tp_timestamp_format(e, te);
        snprintf(file, sizeof file, "tierplan-%s-%s-%03d.json", name, stamp, d + 1);
        switch (o->provider) {
        case TP_PROVCMD_AZURE:
            sb_printf(&b,
                      "az monitor metrics list --resource '%s' --metric ProcessedPromptTokens "
                      "GeneratedTokens --interval PT1M --aggregation Total --filter "
                      "\"ModelDeploymentName eq '*'\" --top " TOP " --start-time %s --end-time "
                      "%s --output json > '%s.part' || stop '%s'\nmv -f '%s.part' '%s'\n",
                      o->resource, ts, te, file, file, file, file);
            break;
        case TP_PROVCMD_GCP:
            sb_printf(&b,
                      "tp_token '%s'\n"
                      "tp_pages '%s' curl -sS --fail-with-body -G -H @\"$TP_HDR\" "
                      "'https://monitoring.googleapis.com/v3/projects/%s/timeSeries' "
                      "--data-urlencode 'filter=metric.type = "
                      "\"aiplatform.googleapis.com/publisher/online_serving/token_count\"' "
                      "--data-urlencode 'interval.startTime=%s' --data-urlencode "
                      "'interval.endTime=%s' --data-urlencode 'aggregation.alignmentPeriod=60s' "
                      "--data-urlencode 'aggregation.perSeriesAligner=ALIGN_SUM' "
                      "--data-urlencode 'aggregation.crossSeriesReducer=REDUCE_SUM' "
                      "--data-urlencode 'aggregation.groupByFields=resource.label.model_user_id' "
                      "--data-urlencode 'aggregation.groupByFields=metric.label.type'\n",
                      file, file, o->project, ts, te);
            break;
        default:
            sb_printf(&b,
                      "tp_pages '%s' curl -sS --fail-with-body -G -H @\"$TP_HDR\" "
                      "'https://api.openai.com/v1/organization/usage/completions' "
                      "--data-urlencode 'start_time=%lld' --data-urlencode "
                      "'end_time=%lld' --data-urlencode 'bucket_width=1m' --data-urlencode "
                      "'group_by=model' --data-urlencode 'batch=false' --data-urlencode "
                      "'limit=1440'\n",
                      file, (long long)s, (long long)e);
            break;
        }
    }
    if (o->provider != TP_PROVCMD_AZURE)
        sb_puts(&b, "rm -f \"$TP_HDR\"\n");
    /* a Cloud Monitoring answer states no span (no point for a minute without tokens): the
     * ingest line names it, for coverage (docs/formats.md) */
    if (o->provider == TP_PROVCMD_GCP)
        sb_printf(&b,
                  "# then: tierplan ingest --span-from %s --span-to %s "
                  "tierplan-%s-%s-*.json\n",
                  a, z, name, stamp);
    else
        sb_printf(&b, "# then: tierplan ingest tierplan-%s-%s-*.json\n", name, stamp);
    return sb_finish(&b, out, err);
}
