/* cmd_report.c - the report command: every model's stats and recommendation and the fleet's
 * totals in one document (text, JSON, CSV, markdown or HTML). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"

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
    "  --from T, --to T          the window, half-open UTC [from, to) (default: all data)\n"
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
    plan_opts po;
    tp_rec_options ro;
    model_list models;
    int all, force, jobs;
    int by_month, have_train;
    int64_t train_until;
    const char *plan_path, *out_path, *windows_path;
    double scale, delta;
} report_args;

/* The recommend options report takes: 0, OPT_NOT_MINE, or an exit code. */
static int rec_option(report_args *a, int c, const char *arg)
{
    long v;
    switch (c) {
    case 'x':
        if (parse_double(arg, 0, 100, &a->ro.max_spill_minutes_pct) != 0)
            return usage_error("report", "--max-spill-minutes-pct: \"%s\" is not a percentage",
                               arg);
        a->ro.has_max_spill_minutes_pct = 1;
        return 0;
    case 'X':
        if (parse_int(arg, 0, LONG_MAX, &v) != 0)
            return usage_error("report", "--max-throttled-minutes: \"%s\" is not a count", arg);
        a->ro.has_max_throttled_minutes = 1;
        a->ro.max_throttled_minutes = v;
        return 0;
    case 'n':
        /* whether the catalog lists the term is the library's check, naming the terms it has */
        if (parse_int(arg, 1, 120, &v) != 0)
            return usage_error("report", "--term-months: \"%s\" is not a whole number of months "
                                         "from 1 to 120",
                               arg);
        a->ro.term_months = (int)v;
        return 0;
    case 'k':
        if (parse_double(arg, 0, 1e6, &a->scale) != 0)
            return usage_error("report", "--scale: \"%s\" is not a factor >= 0", arg);
        return 0;
    case 'D':
        if (parse_double(arg, -1, 1, &a->delta) != 0)
            return usage_error("report", "--cache-hit-delta: \"%s\" is not within [-1, 1]", arg);
        return 0;
    case 'Z': a->force = 1; return 0;
    case 'W':
        if (strcmp(arg, "month") != 0)
            return usage_error("report", "--window-by: \"%s\" is not \"month\"", arg);
        a->by_month = 1;
        return 0;
    case 'w': a->windows_path = arg; return 0;
    case 'U':
        if (parse_minute(arg, &a->train_until) != 0)
            return usage_error("report", "--train-until: \"%s\" is not an ISO 8601 timestamp",
                               arg);
        a->have_train = 1;
        return 0;
    default: return OPT_NOT_MINE;
    }
}

/* The options only report has: 0, OPT_HELP, or an exit code. */
static int report_option(report_args *a, int c, const char *arg)
{
    switch (c) {
    case 'm': return model_list_add(&a->models, "report", arg);
    case 'A': a->all = 1; return 0;
    case 'L': a->plan_path = arg; return 0;
    case 'o': a->out_path = arg; return 0;
    case 'j': return jobs_option("report", arg, &a->jobs);
    case 'h': fputs(report_usage, stdout); return OPT_HELP;
    default: return usage_error("report", "%s", "invalid option");
    }
}

static int report_check(const report_args *a)
{
    int rc = window_check(&a->po.d, "report");
    if (rc != 0)
        return rc;
    if (a->all && a->models.n > 0)
        return usage_error("report", "%s", "--all and --model exclude each other");
    if (a->have_train && a->models.n != 1)
        return usage_error("report", "%s",
                           "--train-until backtests one model: give exactly one --model");
    if (a->by_month + (a->windows_path != NULL) + a->have_train > 1)
        return usage_error("report", "%s",
                           "--window-by, --windows and --train-until exclude each other");
    if ((a->by_month || a->windows_path != NULL || a->have_train) &&
        (a->scale != 1 || a->delta != 0))
        return usage_error("report", "%s",
                           "--scale and --cache-hit-delta apply to a single window only");
    if (a->ro.has_max_throttled_minutes && a->po.spill_to != TP_SPILL_TO_NONE &&
        a->po.quota_tpm <= 0)
        return usage_error("report", "%s",
                           "--max-throttled-minutes needs --spill-to none or --quota-tpm "
                           "(without either nothing is throttled)");
    return 0;
}

static int report_parse(report_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        PLAN_LONG_OPTIONS,
        {"max-spill-minutes-pct", required_argument, NULL, 'x'},
        {"max-throttled-minutes", required_argument, NULL, 'X'},
        {"term-months", required_argument, NULL, 'n'},
        {"scale", required_argument, NULL, 'k'},
        {"cache-hit-delta", required_argument, NULL, 'D'},
        {"force", no_argument, NULL, 'Z'},
        {"window-by", required_argument, NULL, 'W'},
        {"windows", required_argument, NULL, 'w'},
        {"train-until", required_argument, NULL, 'U'},
        {"all", no_argument, NULL, 'A'},
        {"plan", required_argument, NULL, 'L'},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0}};
    int c, rc;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        rc = c == 'm' ? OPT_NOT_MINE : plan_option(&a->po, "report", c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = rec_option(a, c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = report_option(a, c, optarg);
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("report", "unexpected argument \"%s\"", argv[optind]);
    return report_check(a);
}

/* Sizes the fleet and renders it: 0, or EXIT_FAIL after the error is printed. */
static int report_run(report_args *a, const tp_pricing *pricing, const tp_plan_file *plan,
                      const tp_window *windows, size_t n_windows, tp_error *err)
{
    tp_fleet_options fo = {0};
    tp_fleet *fleet = NULL;
    char *out = NULL;
    int rc = 0;
    fo.db_path = db_path(a->po.d.db);
    fo.busy_timeout_ms = busy_timeout_ms();
    fo.models = a->models.n > 0 ? a->models.ids : NULL;
    fo.n_models = a->models.n;
    fo.has_from = a->po.d.q.has_from;
    fo.has_to = a->po.d.q.has_to;
    fo.from_minute = a->po.d.q.from_minute;
    fo.to_minute = a->po.d.q.to_minute;
    fo.tiers = a->po.d.q.tiers;
    fo.n_tiers = a->po.d.q.n_tiers;
    fo.pricing = pricing;
    fo.rec = a->ro;
    fo.scale = a->scale;
    fo.cache_hit_delta = a->delta;
    fo.force = a->force;
    fo.plan = plan;
    fo.jobs = a->jobs > 0 ? a->jobs : default_jobs();
    fo.charts = a->po.d.fmt == TP_FORMAT_HTML;
    fo.window_by_month = a->by_month;
    fo.windows = windows;
    fo.n_windows = n_windows;
    fo.has_train_until = a->have_train;
    fo.train_until_minute = a->train_until;
    fo.warn = print_warning;
    if (tp_fleet_run(&fo, &fleet, err) != TP_OK ||
        tp_report_fleet(fleet, a->po.d.fmt, &out, err) != TP_OK) {
        rc = fail(err);
        goto cleanup;
    }
    if (a->out_path == NULL)
        print_report(out, a->po.d.fmt);
    else if (write_file_atomic(a->out_path, out, a->po.d.fmt == TP_FORMAT_JSON, err) != 0)
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
    tp_error_clear(&err);
    a.scale = 1.0;
    rc = report_parse(&a, argc, argv);
    if (rc != 0) {
        if (rc == OPT_HELP)
            rc = 0;
        goto cleanup;
    }
    a.ro.spill_model = a.po.spill_model;
    a.ro.spill_to = a.po.spill_to;
    a.ro.quota_tpm = a.po.quota_tpm;
    /* the database first, so that a missing one is named as such, then the catalog */
    if (open_db(a.po.d.db, 0, &store, &err) != TP_OK ||
        open_pricing(a.po.d.pricing_path, 1, &pricing, &err) != 0 ||
        (a.plan_path != NULL && tp_plan_file_load(a.plan_path, &plan, &err) != TP_OK) ||
        (a.windows_path != NULL &&
         tp_window_load(a.windows_path, &windows, &n_windows, &err) != TP_OK)) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_store_close(store);
    store = NULL;
    rc = report_run(&a, pricing, plan, windows, n_windows, &err);
cleanup:
    free(windows);
    tp_store_close(store);
    model_list_free(&a.models);
    demand_opts_free(&a.po.d);
    tp_plan_file_free(plan);
    tp_pricing_free(pricing);
    return rc;
}
