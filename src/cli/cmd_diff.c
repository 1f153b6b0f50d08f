/* cmd_diff.c - the diff command: what changed between two recommend or report JSON outputs. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "optable.h"

static const cli_opt diff_opts[] = {
    CLI_OPT_FORMAT_H("text (default), json, or markdown (a pull-request comment: the\n"
                     "fleet total first, one short table)"),
    CLI_OPT_OUTPUT_H("write the diff to FILE (whole or not at all)"),
    {"region", required_argument, OPT_REGION, 0, "--region R",
     "only entries recorded in region R (us-east-1; unknown: without\n"
     "one), in both files; regions merged are of no one region", "region"},
    {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",
     "only entries of AWS account ID (12 digits; unknown: without\n"
     "one), in both files", "account"},
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(diff_opts);

static const cli_table diff_table = {
    "usage: tierplan diff OLD.json NEW.json [--region R] [--account ID] [--format F] [-o FILE]\n"
    "\n"
    "What changed between two `recommend --format json` or `report --format json` outputs\n"
    "(yesterday's and today's, say): per model the recommended reservation, cost and savings\n"
    "per month, utilization, spill minutes, window and coverage, old and new with absolute and\n"
    "relative changes, the largest cost change first; models whose figures did not change are\n"
    "folded into one line. Figures from different catalogs or options are marked as not\n"
    "comparable. Entries are matched by model, region and account.\n"
    "\n"
    "options:\n",
    22, diff_opts, ""};

typedef struct diff_args {
    tp_format fmt;
    const char *paths[2], *out_path;
    const char *region, *account; /* --region, --account: NULL any, "" unknown */
} diff_args;

static int diff_parse(diff_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &diff_table);
    tp_error err;
    int c;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        switch (c) {
        case 'F':
            if (tp_format_parse(optarg, &a->fmt, &err) != TP_OK || a->fmt == TP_FORMAT_CSV ||
                a->fmt == TP_FORMAT_HTML)
                return usage_error("diff", "--format: \"%s\" is not text, json or markdown",
                                   optarg);
            break;
        case 'o': a->out_path = optarg; break;
        case OPT_REGION:
        case OPT_ACCOUNT: {
            const int rc =
                place_option("diff", c, optarg, c == OPT_REGION ? &a->region : &a->account);
            if (rc != 0)
                return rc;
            break;
        }
        case 'h': cli_help_print(&diff_table, stdout); return OPT_HELP;
        default: return usage_error("diff", "%s", "invalid option");
        }
    }
    if (argc - optind != 2)
        return usage_error("diff", "%s", "give two files: OLD.json NEW.json");
    a->paths[0] = argv[optind];
    a->paths[1] = argv[optind + 1];
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    diff_args a;
    tp_error err;
    tp_snapshot *old_s = NULL, *new_s = NULL;
    char *out = NULL;
    int rc;
    memset(&a, 0, sizeof a);
    tp_error_clear(&err);
    if ((rc = diff_parse(&a, argc, argv)) != 0) {
        rc = rc == OPT_HELP ? 0 : rc;
        goto cleanup;
    }
    if (tp_snapshot_load(a.paths[0], &old_s, &err) != TP_OK ||
        tp_snapshot_load(a.paths[1], &new_s, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    const size_t n_old = old_s->n, n_new = new_s->n;
    tp_snapshot_filter(old_s, a.region, a.account);
    tp_snapshot_filter(new_s, a.region, a.account);
    if (old_s->n == 0 && new_s->n == 0 && n_old + n_new > 0) {
        /* as the commands that read the database: nothing at the place asked for is exit 1 */
        tp_error_set(&err, TP_ERR_NOT_FOUND, "%s and %s have no entry in region %s, account %s",
                     a.paths[0], a.paths[1],
                     a.region != NULL ? tp_store_place_name(a.region) : "any",
                     a.account != NULL ? tp_store_place_name(a.account) : "any");
        rc = fail(&err);
        goto cleanup;
    }
    if (tp_report_diff(old_s, new_s, a.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    if (a.out_path == NULL)
        print_report(out, a.fmt);
    else if (write_file_atomic(a.out_path, out, a.fmt == TP_FORMAT_JSON, &err) != 0)
        rc = fail(&err);
cleanup:
    free(out);
    tp_snapshot_free(old_s);
    tp_snapshot_free(new_s);
    return rc;
}
