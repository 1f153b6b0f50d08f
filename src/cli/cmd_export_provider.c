/* cmd_export_provider.c - tierplan export-cmd --provider azure|gcp|openai: the export
 * scripts of other providers' per-minute token metrics. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "options.h"
#include "optable.h"
#include "tierplan/provcmd.h"

static const cli_opt provider_opts[] = {
    {"provider", required_argument, 'P', 0, "--provider P",
     "azure (Azure Monitor), gcp (Cloud Monitoring: Vertex AI) or\n"
     "openai (the usage API) (required)", "provider"},
    {"resource", required_argument, 'R', 0, "--resource ID",
     "azure: the Azure OpenAI / Foundry account's resource id\n"
     "(/subscriptions/.../accounts/NAME)", "resource"},
    {"project", required_argument, 'j', 0, "--project P",
     "gcp: the Google Cloud project id", "project"},
    {"days", required_argument, 'n', 0, "--days N",
     "days of history before the end, 1 to 3650 (default: 14)", "days"},
    {"end", required_argument, 'e', 0, "--end T",
     "end of the export (ISO 8601; default: now), rounded down to\n"
     "the minute; not after --now", "end_s"},
    {"now", required_argument, 'N', 0, "--now T",
     "when the script runs (default: now), for reproducible output", "now_s"},
    /* export-cmd's metric options, refused with --provider */
    EXPORT_QUERY_REFUSED_OPTS,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(provider_opts);

static const cli_table provider_table = {
    "usage: tierplan export-cmd --provider azure|gcp|openai [OPTIONS]\n"
    "\n"
    "Prints a shell script that exports another provider's tokens per minute and model, one\n"
    "file a day, for tierplan ingest: azure runs az monitor metrics list (ProcessedPromptTokens\n"
    "and GeneratedTokens per ModelDeploymentName, PT1M, Total, --top 1000: the API gives 10\n"
    "deployments otherwise); gcp runs curl on Cloud Monitoring's timeSeries.list (Vertex AI's\n"
    "token_count per model and type, summed per minute; a token a day from gcloud auth\n"
    "print-access-token); openai runs curl on the usage API (completions, 1-minute buckets by\n"
    "model, batch jobs left out; key from $OPENAI_ADMIN_KEY). curl gets the token or key in a\n"
    "header file only you can read, removed on exit, never on its command line. Every page is\n"
    "followed; each file is written as NAME.part and renamed when whole; a command that fails\n"
    "stops the script with status 3 (a refused request's answer shown). Files are named\n"
    "tierplan-PROVIDER-END-NNN.json (END the export's end, YYYYMMDDTHHMMZ); the last line is\n"
    "the ingest command to run on them.\n"
    "\n"
    "options:\n",
    20, provider_opts, ""};

int export_cmd_wants_provider(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--provider", 10) == 0 &&
            (argv[i][10] == '\0' || argv[i][10] == '='))
            return 1;
    return 0;
}

int cmd_export_cmd_provider(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &provider_table);
    tp_provcmd_options o = {0};
    int c;
    char *out = NULL;
    tp_error err;
    tp_error_clear(&err);
    o.days = 14;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        switch (c) {
        case 'P':
            if ((o.provider = tp_provcmd_provider_parse(optarg)) == 0)
                return usage_error("export-cmd", "--provider: \"%s\" is not azure, gcp or openai",
                                   optarg);
            break;
        case 'R': o.resource = optarg; break; /* checked by tp_provcmd_build */
        case 'j': o.project = optarg; break;
        case 'h': cli_help_print(&provider_table, stdout); return 0;
        default: {
            const int r = export_query_opt(c, optarg, "--provider", &o.days, &o.end_s, &o.now_s);
            if (r != 0)
                return r;
        }
        }
    }
    const int rc = export_args_end(argc, argv, &o.now_s);
    if (rc != 0)
        return rc;
    const tp_status st = tp_provcmd_build(&o, &out, &err); /* sets out: read after */
    return export_print(st, out, &err);
}
