/* cmd_series.c - tierplan series: every stored series, its span and its export coverage. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "options.h"
#include "optable.h"

static const cli_opt series_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("only this model (default: every model)"),
    CLI_OPT_FORMAT,
    {"region", required_argument, OPT_REGION, 0, "--region R",
     "only series recorded in region R (us-east-1; unknown: without one)", "region"},
    {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",
     "only series of AWS account ID (12 digits; unknown: without one)", "account"},
    CLI_OPT_BUSY_TIMEOUT,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(series_opts);

static const cli_table series_table = {
    "usage: tierplan series [--model ID] [--region R] [--account ID] [--format F]\n"
    "\n"
    "Lists every stored series (model, metric, tier) with its periods, first and last minute,\n"
    "minutes with data and coverage: the share of its first .. last minutes inside the span\n"
    "some ingested export asked CloudWatch for (the Start= and End= of its labels, or ingest\n"
    "--span-from/--span-to). CloudWatch omits idle minutes, so a minute without data inside\n"
    "a span had no traffic; one outside every span was never exported. Uncovered spans of an\n"
    "hour or more are listed. Without any recorded span a series' coverage is unknown. A\n"
    "model stored in several regions or accounts is listed per place, each with its own\n"
    "coverage.\n"
    "\n"
    "options:\n",
    21, series_opts, ""};

int cmd_series(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &series_table);
    demand_opts o = {0};
    tp_store *store = NULL;
    tp_inventory *inv = NULL;
    char *out = NULL;
    tp_error err;
    int c, rc = 0;
    tp_error_clear(&err);
    o.fmt = TP_FORMAT_TEXT;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        if (c == 'h') {
            cli_help_print(&series_table, stdout);
            goto cleanup;
        }
        if ((rc = demand_option(&o, "series", c, optarg)) == OPT_NOT_MINE)
            rc = usage_error("series", "%s", "invalid option");
        if (rc != 0)
            goto cleanup;
    }
    if (optind < argc) {
        rc = usage_error("series", "unexpected argument \"%s\"", argv[optind]);
        goto cleanup;
    }
    if (open_db(o.db, 0, &store, &err) != TP_OK ||
        tp_inventory_load_at(store, o.q.model, o.q.region, o.q.account, &inv, &err) != TP_OK ||
        tp_report_series(inv, o.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, o.fmt);
cleanup:
    free(out);
    tp_inventory_free(inv);
    tp_store_close(store);
    demand_opts_free(&o);
    return rc;
}
