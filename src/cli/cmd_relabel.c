/* cmd_relabel.c - tierplan relabel: moves a model's data stored without a region and account
 * to the region and account it was recorded in (docs/user-guide.md, "Regions and accounts"). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "options.h"
#include "optable.h"

static const cli_opt relabel_opts[] = {
    CLI_OPT_DB,
    {"model", required_argument, 'm', 0, "--model ID", "the model whose data to move (required)",
     "model"},
    {"region", required_argument, OPT_REGION, 0, "--region R",
     "the region the data were recorded in (required)", "region"},
    {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",
     "the AWS account they were recorded in (default: unknown)", "account"},
    CLI_OPT_BUSY_TIMEOUT_H("seconds to wait for another writer to commit (default: 60)"),
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(relabel_opts);

static const cli_table relabel_table = {
    "usage: tierplan relabel --model ID --region R [--account ID]\n"
    "\n"
    "Moves the model's data stored without a region and account (ingested before regions\n"
    "were recorded, or without --region) to region R and account ID: metric minutes with\n"
    "their export spans, and invocation log sums, in one transaction. When R and ID already\n"
    "hold a minute of the same series (or a log minute of the model), nothing is moved and\n"
    "the error names it. Use it when a job starts passing --region (TIERPLAN_REGION) on a\n"
    "database that holds its earlier data without one.\n"
    "\n"
    "options:\n",
    19, relabel_opts, ""};

int cmd_relabel(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &relabel_table);
    const char *db = NULL, *model = NULL, *region = NULL, *account = "";
    tp_store *store = NULL;
    tp_store_relabel_result res = {0};
    tp_error err;
    int c, rc = 0;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        switch (c) {
        case 'h': cli_help_print(&relabel_table, stdout); return 0;
        case 'd': db = optarg; break;
        case 'm': model = optarg; break;
        case OPT_BUSY_TIMEOUT: rc = busy_timeout_option("relabel", optarg); break;
        case OPT_REGION:
        case OPT_ACCOUNT:
            rc = place_option("relabel", c, optarg, c == OPT_REGION ? &region : &account);
            break;
        default: rc = usage_error("relabel", "%s", "invalid option"); break;
        }
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("relabel", "unexpected argument \"%s\"", argv[optind]);
    if (model == NULL)
        return usage_error("relabel", "%s", "--model is required");
    if (region == NULL || region[0] == '\0')
        return usage_error("relabel", "%s", "--region is required: the region to move to");
    tp_store_open_options o = {0};
    o.flags = TP_STORE_EXISTING;
    o.busy_timeout_ms = busy_timeout_ms();
    o.warn = print_warning;
    if (tp_store_open_with(db_path(db), &o, &store, &err) != TP_OK ||
        tp_store_relabel(store, model, region, account, &res, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    printf("%s: moved to region %s, account %s: %zu metric series (%zu minutes), %zu log sum "
           "rows\n",
           model, region, tp_store_place_name(account), res.series, res.metric_minutes,
           res.log_minutes);
cleanup:
    tp_store_close(store);
    return rc;
}
