/* cmd_export_logs.c - tierplan export-cmd --source logs: the Logs Insights export script. */
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

static const cli_opt logs_opts[] = {
    {"source", required_argument, 's', 0, NULL, NULL, NULL},
    {"log-group", required_argument, 'g', 0, "--log-group NAME",
     "the log group Bedrock writes invocation logs to (required)", "log_group"},
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
    {"rows-per-minute", required_argument, 'r', 0, "--rows-per-minute N",
     "expected (model, key) pairs a minute, 1 to 9000 (default: 10):\n"
     "each query covers 9000 / N minutes", "rows_per_minute"},
    {"region", required_argument, OPT_REGION, 0, "--region R",
     "the log group's region (us-east-1): --region in every aws\n"
     "command, R in the file names, ingest --region R in the last\n"
     "line (default: the AWS CLI's region, data stored without one)", "region"},
    {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",
     "the logs' AWS account (12 digits): ingest --account ID in the\n"
     "last line", "account"},
    {"profile", required_argument, 'p', 0, "--profile P",
     "run the aws commands with --profile P (the AWS CLI profile)", "profile"},
    /* export-cmd's metric options, refused with --source logs */
    EXPORT_QUERY_REFUSED_OPTS,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(logs_opts);

static const cli_table logs_table = {
    "usage: tierplan export-cmd --source logs --log-group NAME [OPTIONS]\n"
    "\n"
    "Prints a shell script of aws logs start-query / get-query-results commands that sum\n"
    "Bedrock invocation logs per minute, model and attribution key in CloudWatch Logs\n"
    "Insights (no raw logs are downloaded). Each query covers few enough minutes to stay\n"
    "under Logs Insights' 10,000 rows; the script polls each until it is Complete and saves\n"
    "its results as tierplan-logs[-REGION]-END-NNNNN.json for tierplan ingest (END the\n"
    "export's end, YYYYMMDDTHHMMZ: daily exports, and two regions' exports, never overwrite\n"
    "each other). The last line is the ingest command to run on them.\n"
    "\n"
    "options:\n",
    25, logs_opts, ""};

int cmd_export_cmd_logs(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &logs_table);
    tp_awscmd_logs_options o = {0};
    long v;
    int c;
    char *out = NULL;
    tp_error err;
    tp_error_clear(&err);
    o.days = 14;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        switch (c) {
        case 's':
            if (strcmp(optarg, "logs") != 0)
                return usage_error("export-cmd", "%s", "--source logs or no --source");
            break;
        case 'g': o.log_group = optarg; break;
        case OPT_REGION: o.region = optarg; break; /* checked by tp_awscmd_logs_build */
        case OPT_ACCOUNT: o.account = optarg; break;
        case 'p': o.profile = optarg; break;
        case 'a': o.attribute_by = optarg; break;
        case 'r':
            if (parse_int(optarg, 1, 9000, &v) != 0)
                return usage_error("export-cmd",
                                   "--rows-per-minute: \"%s\" is not a number from 1 to 9000",
                                   optarg);
            o.rows_per_minute = (int)v;
            break;
        case 'h': cli_help_print(&logs_table, stdout); return 0;
        default: {
            const int r = export_query_opt(c, optarg, "--source logs", &o.days, &o.end_s, &o.now_s);
            if (r != 0)
                return r;
        }
        }
    }
    const int rc = export_args_end(argc, argv, &o.now_s);
    if (rc != 0)
        return rc;
    const tp_status st = tp_awscmd_logs_build(&o, &out, &err); /* sets out: read after */
    return export_print(st, out, &err);
}

int export_query_opt(int c, const char *arg, const char *flag, int *days, int64_t *end_s,
                     int64_t *now_s)
{
    long v;
    switch (c) {
    case 'n':
        if (parse_int(arg, 1, 3650, &v) != 0)
            return usage_error("export-cmd", "--days: \"%s\" is not a number from 1 to 3650",
                               arg);
        *days = (int)v;
        return 0;
    case 'e':
    case 'N': {
        int64_t *t = c == 'e' ? end_s : now_s;
        if (tp_timestamp_parse(arg, strlen(arg), t, NULL) != TP_OK || *t <= 0)
            return usage_error("export-cmd", "--%s: \"%s\" is not an ISO 8601 time after 1970",
                               c == 'e' ? "end" : "now", arg);
        return 0;
    }
    case 'M':
    case 'S':
    case 'O': /* the metric export's: name them rather than "invalid option" */
        return usage_error("export-cmd", "--%s does not apply with %s (%s covers every model)",
                           c == 'M' ? "model" : c == 'S' ? "since-store" : "overlap-minutes",
                           flag, strncmp(flag, "--source", 8) == 0 ? "a query" : "the export");
    case 'd': /* accepted everywhere; export-cmd does not use the database */
    case 'b': return 0;
    default: return usage_error("export-cmd", "invalid option for %s (see its --help)", flag);
    }
}

int export_args_end(int argc, char **argv, int64_t *now_s)
{
    if (optind < argc)
        return usage_error("export-cmd", "unexpected argument \"%s\"", argv[optind]);
    if (*now_s == 0)
        *now_s = (int64_t)time(NULL);
    return 0;
}

int export_print(tp_status st, char *out, const tp_error *err)
{
    if (st != TP_OK)
        return err->status == TP_ERR_USAGE ? lib_usage_error("export-cmd", err) : fail(err);
    fputs(out, stdout);
    free(out);
    return 0;
}

int export_cmd_wants_source(int argc, char **argv, const char *source)
{
    for (int i = 1; i < argc; i++)
        if ((strncmp(argv[i], "--source=", 9) == 0 && strcmp(argv[i] + 9, source) == 0) ||
            (strcmp(argv[i], "--source") == 0 && i + 1 < argc && strcmp(argv[i + 1], source) == 0))
            return 1;
    return 0;
}
