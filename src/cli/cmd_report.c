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

static const char *report_usage =
    "usage: tierplan report [--model ID ...|--all] [--format F] [-o FILE] [OPTIONS]\n"
    "\n"
    "The fleet in one document: for every model its window, TPM percentiles, the candidate\n"
    "reservations and the recommended one with its reason, cost, savings and utilization;\n"
    "then a fleet table and fleet totals as rates (per hour, per month of 730 hours, per\n"
    "term), since models have different windows. A model without data in the window is\n"
    "listed as such.\n"
    "\n"
    "options:\n"
    "  --db PATH                 database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID                a model to report (repeatable; default: every stored model)\n"
    "  --all                     every stored model (the default)\n"
    "  --plan FILE               plan file: per-model term, service levels, reservations\n"
    "                            already held and growth (see docs/user-guide.md)\n"
    "  --format F                text (default), json, csv, markdown or html\n"
    "  -o, --output FILE         write the report to FILE (whole or not at all)\n"
    "  --jobs N                  models sized at once (default: the online cores)\n"
    "  --spill-to T              standard (default), priority, or none\n"
    "  --spill-model M           coupled (default) or independent\n"
    "  --quota-tpm N             on-demand quota for spilled traffic\n"
    "  --max-spill-minutes-pct X the cheapest reservation with at most X% of minutes spilling\n"
    "  --max-throttled-minutes N with --spill-to none or --quota-tpm: at most N throttled\n"
    "                            minutes (default 0)\n"
    "  --term-months N           commitment term in months: any term the catalog lists\n"
    "                            (default 1)\n"
    "  --scale F                 what-if: multiply all demand by F\n"
    "  --cache-hit-delta D       what-if: move D of the cacheable prompt to cache reads\n"
    "  --from T, --to T          the window, half-open UTC [from, to) (default: all data). T is\n"
    "                            an ISO 8601 time, a month YYYY-MM (--to 2026-10: up to November),\n"
    "                            today, or relative: -12h, -14d, -8w, -3mo before each model's\n"
    "                            newest data (docs/user-guide.md, \"Windows\")\n"
    "  --last SPAN               the last SPAN of data: --last 30d is --from -30d\n"
    "  --now T                   count relative times back from T instead (today: T's day)\n"
    "  --tier LIST               sum these resolved tiers instead of the model's total\n"
    "  --pricing FILE            price catalog (default: $TIERPLAN_PRICING, else\n"
    "                            data/pricing.json, else the installed catalog)\n"
    "  --window-by month         per model, a reservation per calendar month next to one flat\n"
    "                            reservation; a partial first or last month pays the whole term\n"
    "  --windows FILE            per model, a reservation per window of FILE (one from,to pair\n"
    "                            per line); gaps between windows are priced at on-demand\n"
    "  --train-until T           backtest the one --model: size on data before T, replay on\n"
    "                            data after it, next to the in-hindsight optimum\n"
    "  --force                   size even from less than a day of data, or from windows\n"
    "                            shorter than the term (they pay the whole term)\n"
    "  --busy-timeout S          seconds to wait for a lock another process holds (default:\n"
    "                            60)\n"
    "  -h, --help                show this help\n"
    "\n"
    "With --window-by or --windows the fleet table keeps each model's whole-window\n"
    "recommendation, and a second table adds each seasonal plan per month: its total over its\n"
    "span's hours x 730.\n";

typedef struct report_args {
    fleet_args fa;
    const char *out_path;
} report_args;

/* The options only report has: 0, OPT_HELP, or an exit code. */
static int report_option(report_args *a, int c, const char *arg)
{
    switch (c) {
    case 'o': a->out_path = arg; return 0;
    case 'h': fputs(report_usage, stdout); return OPT_HELP;
    default: return usage_error("report", "%s", "invalid option");
    }
}

static int report_parse(report_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        FLEET_LONG_OPTIONS,
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    int c, rc;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
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
