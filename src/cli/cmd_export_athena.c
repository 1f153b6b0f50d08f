/* cmd_export_athena.c - tierplan export-cmd --source athena: the Athena table, query and
 * commands that sum invocation logs in S3 per minute where they are. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "options.h"
#include "optable.h"
#include "tierplan/timestamp.h"

static const cli_opt athena_opts[] = {
    {"source", required_argument, 's', 0, NULL, NULL, NULL},
    {"logs", required_argument, 'l', 0, "--logs S3URL",
     "where Bedrock writes the invocation logs: s3://BUCKET[/PREFIX],\n"
     "the folder holding AWSLogs/ (required)", "logs"},
    {"database", required_argument, 'D', 0, "--database D",
     "the Athena database of the table, created if missing (required;\n"
     "[a-z0-9_])", "database"},
    {"output", required_argument, 'o', 0, "--output S3URL",
     "where Athena writes query results: s3://BUCKET[/PREFIX] (required)", "output"},
    {"account", required_argument, 'A', 0, "--account ID",
     "an account under AWSLogs/ (12 digits; required, repeat for more)", "accounts"},
    {"region", required_argument, 'R', 0, "--region R",
     "a region of the logs (us-east-1; required, repeat for more)", "regions"},
    {"table", required_argument, 't', 0, "--table T",
     "the table (default: bedrock_invocation_logs; [a-z0-9_])", "table"},
    {"workgroup", required_argument, 'w', 0, "--workgroup W",
     "the Athena workgroup (default: the AWS CLI's)", "workgroup"},
    {"days", required_argument, 'n', 0, "--days N",
     "days of history before the end, 1 to 3650 (default: 14)", "days"},
    {"end", required_argument, 'e', 0, "--end T",
     "end of the export (ISO 8601; default: now), rounded down to\n"
     "the minute; not after --now", "end_s"},
    {"now", required_argument, 'N', 0, "--now T",
     "when the script runs (default: now), for reproducible output", "now_s"},
    {"attribute-by", required_argument, 'a', 0, "--attribute-by K",
     "identity (default), operation, region or metadata:KEY; give\n"
     "ingest the same --attribute-by", "attribute_by"},
    /* export-cmd's metric options, refused with --source athena */
    EXPORT_QUERY_REFUSED_OPTS,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(athena_opts);

static const cli_table athena_table = {
    "usage: tierplan export-cmd --source athena --logs S3URL --database D --output S3URL\n"
    "                           --account ID --region R [OPTIONS]\n"
    "\n"
    "Prints a shell script that sums Bedrock invocation logs in S3 per minute, model,\n"
    "account, region and attribution key in Amazon Athena, where the logs are (no records\n"
    "are downloaded): (1) CREATE EXTERNAL TABLE over the JSON lines, with partition\n"
    "projection over AWSLogs/{account}/BedrockModelInvocationLogs/{region}/YYYY/MM/DD/HH,\n"
    "(2) the per-minute query, (3) the aws athena commands that run both and wait for them,\n"
    "then the download of the CSV result as tierplan-athena-END.csv for tierplan ingest.\n"
    "Every value is checked (docs/formats.md, \"Athena\") and refused, never escaped.\n"
    "\n"
    "options:\n",
    23, athena_opts, ""};

#define MAX_PLACES 100 /* TP_AWSCMD_ATHENA_MAX_PLACES */

int cmd_export_cmd_athena(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &athena_table);
    tp_awscmd_athena_options o = {0};
    const char *accounts[MAX_PLACES + 1], *regions[MAX_PLACES + 1];
    int c;
    char *out = NULL;
    tp_error err;
    tp_error_clear(&err);
    o.days = 14;
    o.accounts = accounts;
    o.regions = regions;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        switch (c) {
        case 's':
            if (strcmp(optarg, "athena") != 0)
                return usage_error("export-cmd", "%s", "--source athena given with another");
            break;
        case 'l': o.logs = optarg; break;
        case 'D': o.database = optarg; break;
        case 'o': o.output = optarg; break;
        case 't': o.table = optarg; break;
        case 'w': o.workgroup = optarg; break;
        case 'a': o.attribute_by = optarg; break;
        case 'A':
        case 'R': { /* more than MAX_PLACES: the library names the limit */
            size_t *n = c == 'A' ? &o.n_accounts : &o.n_regions;
            if (*n <= MAX_PLACES)
                (c == 'A' ? accounts : regions)[*n] = optarg;
            *n += *n <= MAX_PLACES;
            break;
        }
        case 'h': cli_help_print(&athena_table, stdout); return 0;
        default: {
            const int r = export_query_opt(c, optarg, "--source athena", &o.days, &o.end_s, &o.now_s);
            if (r != 0)
                return r;
        }
        }
    }
    const int rc = export_args_end(argc, argv, &o.now_s);
    if (rc != 0)
        return rc;
    const tp_status st = tp_awscmd_athena_build(&o, &out, &err); /* sets out: read after */
    return export_print(st, out, &err);
}
