/* cmd_project.c - the project command: monthly cost of each plan for the next months, per
 * model and for the fleet, with growth and a P10/P50/P90 band. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fleet_args.h"
#include "options.h"
#include "optable.h"


enum {
    OPT_MONTHS = 0x200,
    OPT_START,
    OPT_GROWTH,
    OPT_GROWTH_SD,
    OPT_RES_IN,
    OPT_RES_OUT,
    OPT_SAMPLES,
    OPT_SEED,
    OPT_ROUTE,
    OPT_ASSUME
};

static const cli_opt project_opts[] = {
    CLI_OPT_DB_H(CLI_HELP_DB),
    CLI_OPT_MODEL_H("a model to project (repeatable; default: every stored model)"),
    CLI_OPT_ALL,
    CLI_OPTS_PLACE,
    {"months", required_argument, OPT_MONTHS, 0, "--months N",
     "months to project, 1 to 60 (required)", "months"},
    {"start", required_argument, OPT_START, 0, "--start YYYY-MM",
     "the first projected month (default: the current month, the\n"
     "newest data's: its observed days and the projected rest; the\n"
     "next when the data ends with its month; never earlier)", "start_month"},
    {"growth-pct-per-month", required_argument, OPT_GROWTH, 0, "--growth-pct-per-month G",
     "demand grows G% a month, compounding (G > -100); default:\n"
     "fitted per model (a plan file's growth_pct_per_month wins)", "growth_pct_per_month"},
    {"growth-sd-pct", required_argument, OPT_GROWTH_SD, 0, "--growth-sd-pct S",
     "a given growth's standard error, S >= 0 percentage points a\n"
     "month (default 2): each sample draws its rate from N(G, S^2)", "growth_sd_pct"},
    {"reserve-input-tpm", required_argument, OPT_RES_IN, 0, "--reserve-input-tpm N",
     "a reservation already held (effective input TPM); with one", "reserve_input_tpm"},
    {"reserve-output-tpm", required_argument, OPT_RES_OUT, 0, "--reserve-output-tpm N",
     "--model only: per model, use --plan", "reserve_output_tpm"},
    CLI_OPT_PLAN_H("plan file: per-model term, service levels, held reservations,\n"
                   "growth (see docs/user-guide.md)"),
    {"samples", required_argument, OPT_SAMPLES, 0, "--samples N",
     "bootstrap samples, 1 to 100000 (default 1000)", "samples"},
    {"seed", required_argument, OPT_SEED, 0, "--seed N",
     "random seed (default 1): the same seed, the same output", "seed"},
    CLI_OPT_TERM_H("the reservations' term: any term the catalog lists"),
    CLI_OPT_MAX_SPILL_H("--max-spill-minutes-pct X",
                        "size the recommended reservation for at most X% spilling"),
    CLI_OPT_MAX_THROTTLED_H("with --spill-to none or --quota-tpm (default 0)"),
    CLI_OPT_SPILL_TO,
    CLI_OPT_SPILL_MODEL,
    CLI_OPT_QUOTA_H("on-demand quota for spilled traffic (every plan)"),
    {"route-tiers", required_argument, OPT_ROUTE, 0, "--route-tiers LIST",
     "route these requested tiers to each reservation (comma-\n"
     "separated: priority, default, flex; reserved always is);\n"
     "default: recommended, the cheapest subset of the tiers with\n"
     "traffic; held, reserved and default", "route_tiers"},
    {"assume-offered", no_argument, OPT_ASSUME, 0, "--assume-offered",
     "size a reservation although the catalog says a model's\n"
     "Reserved tier is not offered (every output says so)", "assume_offered"},
    CLI_OPTS_WINDOW_H("the history used (rounded inwards to whole UTC days; only\n"
                      "whole days count: docs/model.md, \"Projection\")",
                      "the last SPAN of whole days: --last 14d is the 14 days up to\n"
                      "the end of each model's last whole UTC day",
                      "count --last and relative times back from T instead"),
    CLI_OPT_TIER,
    CLI_OPT_PRICING,
    CLI_OPT_FORMAT_H("text (default), json, csv, markdown, html or focus (FinOps\n"
                     "FOCUS 1.2 cost and usage rows, CSV: docs/formats.md)"),
    CLI_OPT_OUTPUT_H("write the projection to FILE (whole or not at all)"),
    CLI_OPT_JOBS_H("models projected at once (default: the online cores)"),
    CLI_OPT_BUSY_TIMEOUT_WIDE,
    CLI_HIDDEN("source", required_argument, OPT_SOURCE, "source"),
    CLI_HIDDEN("key", required_argument, OPT_KEY, "keys"),
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(project_opts);

static const cli_table project_table = {
    "usage: tierplan project [--model ID ...|--all] --months N [OPTIONS] [--format F] "
    "[-o FILE]\n"
    "\n"
    "Projects month by month, for N calendar months (from the current month, or --start),\n"
    "the cost per model and for the fleet, with totals over the horizon, of: everything\n"
    "on-demand Standard, everything Priority, the recommended reservation (re-sized at each\n"
    "term start on the P50 projected path, then held), and a reservation already held, with\n"
    "the tokens each serves, sends on-demand and throttles. Each month has a P10/P50/P90 band\n"
    "from a bootstrap over blocks of whole weeks of history and the uncertainty of the growth\n"
    "and of today's level. Growth is fitted (at least 7 days with data) unless given. Reserved\n"
    "cost per month is the fixed charge (rate x 730 h); on-demand uses the month's real days.\n"
    "A model sold in units (Azure PTU, Vertex GSU) holds units on the term its catalog entry\n"
    "sells cheapest on the P50 path instead (docs/model.md, \"Projection of a model sold in\n"
    "units\"); one sold in two pools (OpenAI Scale Tier, xAI) re-sizes its input and output\n"
    "units each month on that month's P50 path, bought by the day (\"Projection of two\n"
    "pools\"). The reservation options apply to Bedrock models.\n"
    "\n"
    "options:\n",
    29, project_opts, ""};

typedef struct project_args {
    plan_opts po;
    sizing_opts z;
    model_list models;
    int all, jobs;
    const char *plan_path, *out_path;
    tp_project_options o;
    int have_in, have_out;
    tp_route_set route; /* --route-tiers, or 0 */
    int focus;          /* --format focus: FOCUS rows (CSV) */
    int assume;         /* --assume-offered */
} project_args;

/* "YYYY-MM", month 01-12: 0, or -1. */
static int parse_month(const char *s, int *year, int *month)
{
    long y, m;
    char ybuf[5], mbuf[3];
    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    memcpy(ybuf, s, 4);
    ybuf[4] = '\0';
    memcpy(mbuf, s + 5, 2);
    mbuf[2] = '\0';
    if (parse_int(ybuf, 1970, 9999, &y) != 0 || parse_int(mbuf, 1, 12, &m) != 0)
        return -1;
    *year = (int)y;
    *month = (int)m;
    return 0;
}

static int project_option(project_args *a, int c, const char *arg)
{
    long v;
    switch (c) {
    case OPT_ROUTE: return route_tiers_option("project", arg, &a->route);
    case OPT_ASSUME: a->assume = 1; return 0;
    case 'm': return model_list_add(&a->models, "project", arg);
    case 'A': a->all = 1; return 0;
    case 'L': a->plan_path = arg; return 0;
    case 'o': a->out_path = arg; return 0;
    case 'j': return jobs_option("project", arg, &a->jobs);
    case OPT_MONTHS:
        if (parse_int(arg, 1, TP_PROJECT_MAX_MONTHS, &v) != 0)
            return usage_error("project", "--months: \"%s\" is not a whole number from 1 to %d",
                               arg, TP_PROJECT_MAX_MONTHS);
        a->o.months = (int)v;
        return 0;
    case OPT_START:
        if (parse_month(arg, &a->o.start_year, &a->o.start_month) != 0)
            return usage_error("project", "--start: \"%s\" is not a month YYYY-MM", arg);
        a->o.has_start = 1;
        return 0;
    case OPT_GROWTH:
        if (parse_double(arg, -99.999999, 1000, &a->o.growth_pct_per_month) != 0)
            return usage_error("project", "--growth-pct-per-month: \"%s\" is not a percentage "
                                          "above -100 up to 1000",
                               arg);
        a->o.has_growth = 1;
        return 0;
    case OPT_GROWTH_SD:
        if (parse_double(arg, 0, 1000, &a->o.growth_sd_pct) != 0)
            return usage_error("project", "--growth-sd-pct: \"%s\" is not a percentage from 0 "
                                          "to 1000",
                               arg);
        a->o.has_growth_sd = 1;
        return 0;
    case OPT_RES_IN:
    case OPT_RES_OUT:
        if (parse_tpm(arg, c == OPT_RES_IN ? &a->o.held_input_tpm : &a->o.held_output_tpm) != 0)
            return usage_error("project", "--reserve-%s-tpm: \"%s\" is not a TPM >= 0",
                               c == OPT_RES_IN ? "input" : "output", arg);
        *(c == OPT_RES_IN ? &a->have_in : &a->have_out) = 1;
        return 0;
    case OPT_SAMPLES:
        if (parse_int(arg, 1, TP_PROJECT_MAX_SAMPLES, &v) != 0)
            return usage_error("project", "--samples: \"%s\" is not a whole number from 1 to %d",
                               arg, TP_PROJECT_MAX_SAMPLES);
        a->o.samples = (size_t)v;
        return 0;
    case OPT_SEED:
        /* at most 2^53 - 1, so that the JSON output (a double) states it exactly */
        if (parse_int(arg, 0, 9007199254740991L, &v) != 0)
            return usage_error("project", "--seed: \"%s\" is not a whole number from 0 to "
                                          "2^53 - 1",
                               arg);
        a->o.seed = (unsigned long)v;
        return 0;
    case 'h': cli_help_print(&project_table, stdout); return OPT_HELP;
    default: return usage_error("project", "%s", "invalid option");
    }
}

static int project_check(project_args *a)
{
    int rc = window_check(&a->po.d, "project");
    if (rc != 0)
        return rc;
    if (a->o.months == 0)
        return usage_error("project", "%s", "--months is required");
    if (a->all && a->models.n > 0)
        return usage_error("project", "%s", "--all and --model exclude each other");
    /* a fitted rate's uncertainty is its fit's; S is the uncertainty of a rate given, on the
     * command line or in the plan file */
    if (a->o.has_growth_sd && !a->o.has_growth && a->plan_path == NULL)
        return usage_error("project", "%s",
                           "--growth-sd-pct is the uncertainty of a given rate: give the rate "
                           "with --growth-pct-per-month (a fitted rate has its fit's)");
    if ((a->have_in || a->have_out) && a->models.n != 1)
        return usage_error("project", "%s",
                           "--reserve-input-tpm/--reserve-output-tpm need exactly one --model; "
                           "for several models give each its reservation in --plan");
    a->o.has_held = a->have_in || a->have_out;
    if ((rc = sizing_check(&a->z, &a->po, "project")) != 0)
        return rc;
    a->o.rec = a->z.ro;
    a->o.rec.route_tiers = a->route;
    a->o.rec.assume_offered = a->assume;
    return 0;
}

static int project_parse(project_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &project_table);
    int c, rc;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        if (c == 'F' && strcmp(optarg, "focus") == 0) { /* CSV rows of their own */
            a->focus = 1;
            a->po.d.fmt = TP_FORMAT_CSV;
            continue;
        }
        if (c == 'F')
            a->focus = 0; /* the last --format wins */
        rc = c == 'm' ? OPT_NOT_MINE : plan_option(&a->po, "project", c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = sizing_option(&a->z, "project", c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = project_option(a, c, optarg);
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("project", "unexpected argument \"%s\"", argv[optind]);
    return project_check(a);
}

/* A model sold in units named by --model takes none of the Bedrock reservation's options:
 * its projection holds units on the term its entry sells (docs/model.md, "Projection of a
 * model sold in units"), and these would be silently unused. Over every model they apply to
 * the Bedrock models. 0, or EXIT_USAGE. */
static int refuse_bedrock_options(const project_args *a, const tp_pricing *pricing)
{
    if (a->z.ro.term_months == 0 && a->po.spill_to == TP_SPILL_TO_STANDARD &&
        a->po.spill_model == TP_SPILL_COUPLED && !a->z.ro.has_max_spill_minutes_pct &&
        !a->z.ro.has_max_throttled_minutes && !(a->po.quota_tpm > 0) && a->route == 0 &&
        !a->assume)
        return 0;
    for (size_t i = 0; i < a->models.n; i++) {
        tp_model_price price;
        tp_error err;
        if (tp_pricing_lookup(pricing, a->models.ids[i], &price, NULL, NULL, &err) != TP_OK ||
            price.provider == TP_PROVIDER_BEDROCK)
            continue;
        return usage_error("project",
                           "model \"%s\" is sold in units (%s): --term-months, --spill-to, "
                           "--spill-model, --max-spill-minutes-pct, --max-throttled-minutes, "
                           "--quota-tpm, --route-tiers and --assume-offered apply to Bedrock "
                           "models only (%s, and overflow as the entry says)",
                           a->models.ids[i], tp_pricing_provider_name(price.provider),
                           price.unit.pools
                               ? "its input and output units are re-sized each month and "
                                 "bought by the day"
                               : "its units are held on the term its catalog entry sells "
                                 "cheapest");
    }
    return 0;
}

/* Projects and renders: 0, the failure's exit code (too little history to fit growth is a
 * data error naming the fix), or EXIT_USAGE for a usage error the library finds. */
static int project_run(project_args *a, const tp_pricing *pricing, const tp_plan_file *plan,
                       tp_error *err)
{
    tp_project_load l = {0};
    tp_projection *p = NULL;
    char *out = NULL;
    int rc = 0;
    if (refuse_bedrock_options(a, pricing) != 0)
        return EXIT_USAGE;
    l.db_path = db_path(a->po.d.db);
    l.busy_timeout_ms = busy_timeout_ms();
    l.models = a->models.n > 0 ? a->models.ids : NULL;
    l.n_models = a->models.n;
    /* each place of a model is projected apart (report's entries): these keep some */
    l.region = a->po.d.q.region;
    l.account = a->po.d.q.account;
    l.merge_regions = a->po.d.q.merge_regions;
    l.has_from = a->po.d.q.has_from;
    l.has_to = a->po.d.q.has_to;
    l.from_minute = a->po.d.q.from_minute;
    l.to_minute = a->po.d.q.to_minute;
    l.window = a->po.d.q.window;
    l.tiers = a->po.d.q.tiers;
    l.n_tiers = a->po.d.q.n_tiers;
    l.pricing = pricing;
    l.warn = print_warning;
    a->o.plan = plan;
    a->o.plan_path = plan != NULL ? a->plan_path : NULL;
    a->o.jobs = a->jobs > 0 ? a->jobs : default_jobs();
    if (tp_project_run(&l, &a->o, &p, err) != TP_OK ||
        (a->focus ? tp_report_project_focus(p, &out, err)
                  : tp_report_project(p, a->po.d.fmt, &out, err)) != TP_OK) {
        rc = fail(err);
        if (err->status == TP_ERR_USAGE)
            rc = EXIT_USAGE;
        goto cleanup;
    }
    for (size_t i = 0; i < p->n; i++) {
        char msg[1024];
        if (tp_series_merge_warning(p->models[i].model, p->models[i].region,
                                    p->models[i].account, msg, sizeof msg))
            print_warning(NULL, msg);
    }
    if (a->out_path == NULL)
        print_report(out, a->po.d.fmt);
    else if (write_file_atomic(a->out_path, out, a->po.d.fmt == TP_FORMAT_JSON, err) != 0)
        rc = fail(err);
cleanup:
    free(out);
    tp_project_free(p);
    return rc;
}

int cmd_project(int argc, char **argv)
{
    project_args a;
    int rc;
    tp_error err;
    tp_pricing *pricing = NULL;
    tp_plan_file *plan = NULL;
    tp_store *store = NULL;
    memset(&a, 0, sizeof a);
    tp_error_clear(&err);
    a.z.scale = 1.0;
    a.o.seed = 1;
    rc = project_parse(&a, argc, argv);
    if (rc != 0) {
        if (rc == OPT_HELP)
            rc = 0;
        goto cleanup;
    }
    /* the database first, so that a missing one is named as such, then the catalog */
    if (open_db(a.po.d.db, 0, &store, &err) != TP_OK ||
        open_pricing(a.po.d.pricing_path, 1, &pricing, &err) != 0 ||
        (a.plan_path != NULL && tp_plan_file_load(a.plan_path, &plan, &err) != TP_OK)) {
        rc = fail(&err);
        goto cleanup;
    }
    fleet_args_warn_plan(plan, a.plan_path, store);
    tp_store_close(store);
    store = NULL;
    rc = project_run(&a, pricing, plan, &err);
cleanup:
    tp_store_close(store);
    model_list_free(&a.models);
    demand_opts_free(&a.po.d);
    tp_plan_file_free(plan);
    tp_pricing_free(pricing);
    return rc;
}
