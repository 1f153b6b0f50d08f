/* cmd_export_logs.c - tierplan export-cmd --source logs: the Logs Insights export script. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "options.h"
#include "tierplan/timestamp.h"

static const char *usage =
    "usage: tierplan export-cmd --source logs --log-group NAME [OPTIONS]\n"
    "\n"
    "Prints a shell script of aws logs start-query / get-query-results commands that sum\n"
    "Bedrock invocation logs per minute, model and attribution key in CloudWatch Logs\n"
    "Insights (no raw logs are downloaded). Each query covers few enough minutes to stay\n"
    "under Logs Insights' 10,000 rows; the script polls each until it is Complete and saves\n"
    "its results as tierplan-logs-END-NNNNN.json for tierplan ingest (END the export's end,\n"
    "YYYYMMDDTHHMMZ: daily exports never overwrite each other).\n"
    "\n"
    "options:\n"
    "  --log-group NAME       the log group Bedrock writes invocation logs to (required)\n"
    "  --days N               days of history before the end, 1 to 3650 (default: 14)\n"
    "  --end T                end of the export (ISO 8601; default: now), rounded down to\n"
    "                         the minute; not after --now\n"
    "  --now T                when the script runs (default: now), for reproducible output\n"
    "  --attribute-by K       identity (default), operation, region or metadata:KEY; give\n"
    "                         ingest the same --attribute-by\n"
    "  --rows-per-minute N    expected (model, key) pairs a minute, 1 to 9000 (default: 10):\n"
    "                         each query covers 9000 / N minutes\n"
    "  -h, --help             show this help\n";

int cmd_export_cmd_logs(int argc, char **argv)
{
    static const struct option opts[] = {{"source", required_argument, NULL, 's'},
                                         {"log-group", required_argument, NULL, 'g'},
                                         {"days", required_argument, NULL, 'n'},
                                         {"attribute-by", required_argument, NULL, 'a'},
                                         {"rows-per-minute", required_argument, NULL, 'r'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"end", required_argument, NULL, 'e'},
                                         {"now", required_argument, NULL, 'N'},
                                         {"busy-timeout", required_argument, NULL, 'b'},
                                         {"model", required_argument, NULL, 'M'},
                                         {"since-store", no_argument, NULL, 'S'},
                                         {"overlap-minutes", required_argument, NULL, 'O'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    tp_awscmd_logs_options o = {0};
    long v;
    int c;
    char *out = NULL;
    tp_error err;
    tp_error_clear(&err);
    o.days = 14;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (strcmp(optarg, "logs") != 0)
                return usage_error("export-cmd", "%s", "--source logs or no --source");
            break;
        case 'g': o.log_group = optarg; break;
        case 'a': o.attribute_by = optarg; break;
        case 'n':
            if (parse_int(optarg, 1, 3650, &v) != 0)
                return usage_error("export-cmd", "--days: \"%s\" is not a number from 1 to 3650",
                                   optarg);
            o.days = (int)v;
            break;
        case 'r':
            if (parse_int(optarg, 1, 9000, &v) != 0)
                return usage_error("export-cmd",
                                   "--rows-per-minute: \"%s\" is not a number from 1 to 9000",
                                   optarg);
            o.rows_per_minute = (int)v;
            break;
        case 'e':
        case 'N':
            if (tp_time_parse(optarg, strlen(optarg), c == 'e' ? &o.end_s : &o.now_s, NULL) !=
                    TP_OK ||
                (c == 'e' ? o.end_s : o.now_s) <= 0)
                return usage_error("export-cmd", "--%s: \"%s\" is not an ISO 8601 time after 1970",
                                   c == 'e' ? "end" : "now", optarg);
            break;
        case 'M':
        case 'S':
        case 'O': /* the metric export's: name them rather than "invalid option" */
            return usage_error("export-cmd", "--%s does not apply with --source logs (a query "
                                             "covers every model)",
                               c == 'M' ? "model" : c == 'S' ? "since-store" : "overlap-minutes");
        case 'd': /* accepted everywhere; export-cmd does not use the database */
        case 'b': break;
        case 'h': fputs(usage, stdout); return 0;
        default:
            return usage_error("export-cmd", "%s",
                               "invalid option for --source logs (see its --help)");
        }
    }
    if (optind < argc)
        return usage_error("export-cmd", "unexpected argument \"%s\"", argv[optind]);
    if (o.now_s == 0)
        o.now_s = (int64_t)time(NULL);
    if (tp_awscmd_logs_build(&o, &out, &err) != TP_OK)
        return err.status == TP_ERR_USAGE ? usage_error("export-cmd", "%s", err.message)
                                          : fail(&err);
    fputs(out, stdout);
    free(out);
    return 0;
}

int export_cmd_wants_logs(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--source=logs") == 0 ||
            (strcmp(argv[i], "--source") == 0 && i + 1 < argc && strcmp(argv[i + 1], "logs") == 0))
            return 1;
    return 0;
}
