/* cmd_report.c - the report command: every model's stats and recommendation and the fleet's
 * totals in one document (text, JSON, CSV, markdown or HTML). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fleet_args.h"
#include "optable.h"

static const cli_opt report_opts[] = {
    CLI_OPTS_FLEET_MODELS,
    CLI_OPT_FORMAT_H("text (default), json, csv, markdown or html"),
    CLI_OPT_OUTPUT_H("write the report to FILE (whole or not at all)"),
    CLI_OPT_FLEET_JOBS,
    CLI_OPTS_FLEET_SIZING,
    CLI_OPTS_FLEET_SPAN,
    CLI_OPT_NOW_H(CLI_HELP_NOW),
    CLI_OPT_FLEET_TIER,
    CLI_OPT_FLEET_PRICING,
    CLI_OPTS_FLEET_SEASONS,
    CLI_OPTS_FLEET_LAST,
    CLI_OPTS_FLEET_REFUSED,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(report_opts);

static const cli_table report_table = {
    "usage: tierplan report [--model ID ...|--all] [--format F] [-o FILE] [OPTIONS]\n"
    "\n"
    "The fleet in one document: for every model its window, TPM percentiles, the candidate\n"
    "reservations and the recommended one with its reason, cost, savings and utilization;\n"
    "then a fleet table and fleet totals as rates (per hour, per month of 730 hours, per\n"
    "term), since models have different windows. A model without data in the window is\n"
    "listed as such.\n"
    "\n"
    "options:\n",
    28, report_opts,
    "\n"
    "With --window-by or --windows the fleet table keeps each model's whole-window\n"
    "recommendation, and a second table adds each seasonal plan per month: its total over its\n"
    "span's hours x 730.\n"};

typedef struct report_args {
    fleet_args fa;
    const char *out_path;
} report_args;

/* The options only report has: 0, OPT_HELP, or an exit code. */
static int report_option(report_args *a, int c, const char *arg)
{
    switch (c) {
    case 'o': a->out_path = arg; return 0;
    case 'h': cli_help_print(&report_table, stdout); return OPT_HELP;
    default: return usage_error("report", "%s", "invalid option");
    }
}

static int report_parse(report_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &report_table);
    int c, rc;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        rc = fleet_args_option(&a->fa, "report", c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = report_option(a, c, optarg);
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("report", "unexpected argument \"%s\"", argv[optind]);
    return fleet_args_check(&a->fa, "report");
}

/* Sizes the fleet and renders it: 0, or EXIT_FAIL after the error is printed. */
static int report_run(report_args *a, const tp_pricing *pricing, const tp_plan_file *plan,
                      const tp_window *windows, size_t n_windows, tp_error *err)
{
    tp_fleet_options fo;
    tp_fleet *fleet = NULL;
    char *out = NULL;
    int rc = 0;
    const tp_format fmt = a->fa.po.d.fmt;
    fleet_args_options(&a->fa, &fo, pricing, plan);
    fo.charts = fmt == TP_FORMAT_HTML;
    fo.windows = windows;
    fo.n_windows = n_windows;
    if (tp_fleet_run(&fo, &fleet, err) != TP_OK ||
        tp_report_fleet(fleet, fmt, &out, err) != TP_OK) {
        rc = fail(err);
        goto cleanup;
    }
    if (a->out_path == NULL)
        print_report(out, fmt);
    else if (write_file_atomic(a->out_path, out, fmt == TP_FORMAT_JSON, err) != 0)
        rc = fail(err);
cleanup:
    free(out);
    tp_fleet_free(fleet);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    report_args a;
    int rc;
    tp_error err;
    tp_pricing *pricing = NULL;
    tp_plan_file *plan = NULL;
    tp_store *store = NULL;
    tp_window *windows = NULL;
    size_t n_windows = 0;
    memset(&a, 0, sizeof a);
    fleet_args_init(&a.fa);
    tp_error_clear(&err);
    rc = report_parse(&a, argc, argv);
    if (rc != 0) {
        if (rc == OPT_HELP)
            rc = 0;
        goto cleanup;
    }
    /* the database first, so that a missing one is named as such, then the catalog */
    if (open_db(a.fa.po.d.db, 0, &store, &err) != TP_OK ||
        open_pricing(a.fa.po.d.pricing_path, 1, &pricing, &err) != 0 ||
        (a.fa.plan_path != NULL && tp_plan_file_load(a.fa.plan_path, &plan, &err) != TP_OK) ||
        (a.fa.z.windows_path != NULL &&
         tp_window_load(a.fa.z.windows_path, &windows, &n_windows, &err) != TP_OK)) {
        rc = fail(&err);
        goto cleanup;
    }
    fleet_args_warn_plan(plan, a.fa.plan_path, store);
    tp_store_close(store);
    store = NULL;
    rc = report_run(&a, pricing, plan, windows, n_windows, &err);
cleanup:
    free(windows);
    tp_store_close(store);
    fleet_args_free(&a.fa);
    tp_plan_file_free(plan);
    tp_pricing_free(pricing);
    return rc;
}
