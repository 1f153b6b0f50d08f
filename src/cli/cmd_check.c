/* cmd_check.c - the check command: sizes the fleet as report does and fails (exit 1) when a
 * threshold is crossed, for scheduled CI jobs. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "fleet_args.h"
#include "optable.h"


enum {
    OPT_MODEL_COST = 0x200,
    OPT_FLEET_COST,
    OPT_UTIL,
    OPT_SPILL,
    OPT_THROTTLED,
    OPT_CHANGE,
    OPT_COVERAGE,
    OPT_STALE,
    OPT_BASELINE,
    OPT_RESERVE_IN,
    OPT_RESERVE_OUT,
    OPT_HELD_OVERFLOW,
    OPT_SAVINGS_VS_HELD,
    OPT_COST_CHANGE
};

static const cli_opt check_opts[] = {
    {"fail-model-monthly-cost-above", required_argument, OPT_MODEL_COST, 0,
     "--fail-model-monthly-cost-above USD ", "a model's recommended cost per month", NULL},
    {"fail-fleet-monthly-cost-above", required_argument, OPT_FLEET_COST, 0,
     "--fail-fleet-monthly-cost-above USD ", "the fleet's: the sum over models", NULL},
    {"fail-held-utilization-below", required_argument, OPT_UTIL, 0,
     "--fail-held-utilization-below PCT\n",
     "input or output utilization of the reservation held\n"
     "(--reserve-* or --plan) below PCT %: as its metrics\n"
     "show it where traffic asked for reserved, else simulated\n"
     "(alias: --fail-utilization-below)", NULL},
    {"fail-utilization-below", required_argument, OPT_UTIL, 0, NULL, NULL, NULL},
    {"fail-held-overflow-minutes-pct-above", required_argument, OPT_HELD_OVERFLOW, 0,
     "--fail-held-overflow-minutes-pct-above P\n",
     "the held reservation overflows in more than P % of the\n"
     "minutes: observed, else simulated (alias:\n"
     "--fail-held-spill-minutes-pct-above)", NULL},
    {"fail-held-spill-minutes-pct-above", required_argument, OPT_HELD_OVERFLOW, 0, NULL, NULL,
     NULL},
    {"fail-savings-vs-held-pct-above", required_argument, OPT_SAVINGS_VS_HELD, 0,
     "--fail-savings-vs-held-pct-above P",
     "the recommended plan would save more than P % of\n"
     "what the held one costs per month", NULL},
    {"fail-spill-minutes-pct-above", required_argument, OPT_SPILL, 0,
     "--fail-spill-minutes-pct-above P",
     "more than P % of the window's minutes spill, simulated\n"
     "(the held reservation where there is one, else the\n"
     "recommended)", NULL},
    {"fail-throttled-minutes-above", required_argument, OPT_THROTTLED, 0,
     "--fail-throttled-minutes-above N", "more than N minutes throttled (likewise)", NULL},
    {"fail-cost-change-pct-above", required_argument, OPT_COST_CHANGE, 0,
     "--fail-cost-change-pct-above D",
     "the recommended plan's cost per month moves more than\n"
     "D % from --baseline", NULL},
    {"fail-change-pct-above", required_argument, OPT_CHANGE, 0, "--fail-change-pct-above D",
     "the recommended input TPM, output TPM or cost per\n"
     "month moves more than D % from --baseline (from a\n"
     "baseline of 0, any change fails; a size inside the\n"
     "baseline's flat region is no change; the cost is left\n"
     "to --fail-cost-change-pct-above when given)", NULL},
    {"fail-coverage-below", required_argument, OPT_COVERAGE, 0, "--fail-coverage-below PCT",
     "less than PCT % of the window inside exported spans", NULL},
    {"fail-stale-hours-above", required_argument, OPT_STALE, 0, "--fail-stale-hours-above H",
     "more than H hours from the newest data to now", NULL},
    CLI_TEXT("\noptions:\n", 28),
    {"baseline", required_argument, OPT_BASELINE, 0, "--baseline FILE",
     "an earlier `recommend` or `report --format json` output; one\n"
     "from another catalog or options is not compared (n/a)", NULL},
    {"reserve-input-tpm", required_argument, OPT_RESERVE_IN, 0, "--reserve-input-tpm N",
     "the reservation held by the one --model (with the", "reserve_input_tpm"},
    {"reserve-output-tpm", required_argument, OPT_RESERVE_OUT, 0, "--reserve-output-tpm N",
     "--fail-held-* gates; or a --plan file's reserve_*_tpm)", "reserve_output_tpm"},
    CLI_OPT_NOW_H("the time staleness is measured to, and relative windows\n"
                  "end at (default: now, and each model's newest data)"),
    CLI_OPT_FORMAT_H("text (default: failures only), json or markdown"),
    CLI_OPT_OUTPUT_H("write the result to FILE (whole or not at all)"),
    /* the fleet's options, described in report's help (the break keeps the lines as they were
     * before the list was built from the table) */
    CLI_BRIEF("as in `tierplan report --help`"),
    CLI_OPTS_FLEET_MODELS,
    CLI_OPT_FLEET_JOBS,
    CLI_OPTS_FLEET_SPAN,
    CLI_OPT_FLEET_TIER,
    CLI_BREAK,
    CLI_OPT_FLEET_PRICING,
    CLI_OPTS_FLEET_SIZING,
    CLI_OPTS_FLEET_LAST,
    CLI_UNLISTED,
    CLI_OPTS_FLEET_SEASONS, /* parsed to be refused by name (check_check) */
    CLI_OPTS_FLEET_REFUSED,
    CLI_LISTED,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(check_opts);

static const cli_table check_table = {
    "usage: tierplan check [--model ID ...|--all] [OPTIONS] --fail-... [--baseline FILE]\n"
    "\n"
    "Sizes every model as report does and checks the thresholds given. Exit status 0 when\n"
    "every threshold holds, 1 when any fails (each failure one line: model, what, value,\n"
    "threshold), 2 for usage or data errors. JSON and markdown list every check.\n"
    "\n"
    "thresholds (at least one; PCT and P are 0 to 100):\n",
    35, check_opts, ""};

typedef struct check_args {
    fleet_args fa;
    tp_gate_options go;
    tp_format fmt;
    const char *baseline_path, *out_path;
    int has_reserve_in, has_reserve_out;
    double reserve_in_tpm, reserve_out_tpm;
} check_args;

/* A threshold: a number within [0, 1e15]; 0, or the usage exit code. */
static int threshold(const char *opt, const char *arg, int *has, double *v)
{
    if (parse_double(arg, 0, 1e15, v) != 0)
        return usage_error("check", "%s: \"%s\" is not a number >= 0", opt, arg);
    *has = 1;
    return 0;
}

/* A percentage threshold: 0 to 100 (a share of minutes or of a reservation). */
static int pct_threshold(const char *opt, const char *arg, int *has, double *v)
{
    if (parse_double(arg, 0, 100, v) != 0)
        return usage_error("check", "%s: \"%s\" is not a percentage from 0 to 100", opt, arg);
    *has = 1;
    return 0;
}

static int check_option(check_args *a, int c, const char *arg)
{
    tp_gate_options *g = &a->go;
    tp_error err;
    switch (c) {
    case OPT_MODEL_COST:
        return threshold("--fail-model-monthly-cost-above", arg, &g->has_model_cost,
                         &g->model_monthly_cost_above_usd);
    case OPT_FLEET_COST:
        return threshold("--fail-fleet-monthly-cost-above", arg, &g->has_fleet_cost,
                         &g->fleet_monthly_cost_above_usd);
    case OPT_UTIL:
        return pct_threshold("--fail-held-utilization-below", arg, &g->has_utilization,
                         &g->utilization_below_pct);
    case OPT_HELD_OVERFLOW:
        return pct_threshold("--fail-held-overflow-minutes-pct-above", arg,
                             &g->has_held_overflow, &g->held_overflow_minutes_pct_above);
    case OPT_SAVINGS_VS_HELD:
        return pct_threshold("--fail-savings-vs-held-pct-above", arg, &g->has_savings_vs_held,
                             &g->savings_vs_held_pct_above);
    case OPT_COST_CHANGE:
        return threshold("--fail-cost-change-pct-above", arg, &g->has_cost_change,
                         &g->cost_change_pct_above);
    case OPT_SPILL:
        return pct_threshold("--fail-spill-minutes-pct-above", arg, &g->has_spill,
                         &g->spill_minutes_pct_above);
    case OPT_THROTTLED:
        return threshold("--fail-throttled-minutes-above", arg, &g->has_throttled,
                         &g->throttled_minutes_above);
    case OPT_CHANGE:
        return threshold("--fail-change-pct-above", arg, &g->has_change, &g->change_pct_above);
    case OPT_COVERAGE:
        return pct_threshold("--fail-coverage-below", arg, &g->has_coverage,
                         &g->coverage_below_pct);
    case OPT_STALE:
        return threshold("--fail-stale-hours-above", arg, &g->has_stale, &g->stale_hours_above);
    case OPT_BASELINE: a->baseline_path = arg; return 0;
    case OPT_RESERVE_IN:
        if (parse_tpm(arg, &a->reserve_in_tpm) != 0)
            return usage_error("check", "--reserve-input-tpm: \"%s\" is not a TPM >= 0", arg);
        a->has_reserve_in = 1;
        return 0;
    case OPT_RESERVE_OUT:
        if (parse_tpm(arg, &a->reserve_out_tpm) != 0)
            return usage_error("check", "--reserve-output-tpm: \"%s\" is not a TPM >= 0", arg);
        a->has_reserve_out = 1;
        return 0;
    case 'F':
        /* check renders text, json and markdown: not the demand options' list */
        if (tp_format_parse(arg, &a->fmt, &err) != TP_OK || a->fmt == TP_FORMAT_CSV ||
            a->fmt == TP_FORMAT_HTML)
            return usage_error("check", "--format: \"%s\" is not text, json or markdown", arg);
        return 0;
    case 'o': a->out_path = arg; return 0;
    case 'h': cli_help_print(&check_table, stdout); return OPT_HELP;
    default: return OPT_NOT_MINE;
    }
}

/* The combinations a check cannot run with (0, or the usage exit code). */
static int check_check(check_args *a)
{
    const tp_gate_options *g = &a->go;
    const fleet_args *fa = &a->fa;
    int rc = fleet_args_check(&a->fa, "check");
    if (rc != 0)
        return rc;
    if (!g->has_model_cost && !g->has_fleet_cost && !g->has_utilization && !g->has_spill &&
        !g->has_throttled && !g->has_change && !g->has_coverage && !g->has_stale &&
        !g->has_held_overflow && !g->has_savings_vs_held && !g->has_cost_change)
        return usage_error("check", "%s", "give at least one --fail-... threshold");
    if (fa->z.by_month || fa->z.windows_path != NULL || fa->z.have_train)
        return usage_error("check", "%s", "check sizes each model's whole window: --window-by, "
                                          "--windows and --train-until are for report");
    if ((a->has_reserve_in || a->has_reserve_out) &&
        (fa->plan_path != NULL || fa->models.n != 1))
        return usage_error("check", "%s", "--reserve-input-tpm and --reserve-output-tpm are the "
                                          "reservation of exactly one --model, without --plan");
    const char *held = g->has_utilization       ? "--fail-held-utilization-below"
                       : g->has_held_overflow   ? "--fail-held-overflow-minutes-pct-above"
                       : g->has_savings_vs_held ? "--fail-savings-vs-held-pct-above"
                                                : NULL;
    if (held != NULL && !a->has_reserve_in && !a->has_reserve_out && fa->plan_path == NULL)
        return usage_error("check", "%s is about a reservation held: give "
                                    "--reserve-input-tpm/--reserve-output-tpm or a --plan file "
                                    "with reserve_*_tpm", held);
    if ((g->has_change || g->has_cost_change) != (a->baseline_path != NULL))
        return usage_error("check", "%s", "--fail-change-pct-above or "
                                          "--fail-cost-change-pct-above and --baseline go "
                                          "together");
    return 0;
}

static int check_parse(check_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &check_table);
    int c, rc;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        rc = check_option(a, c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = fleet_args_option(&a->fa, "check", c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = usage_error("check", "%s", "invalid option");
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("check", "unexpected argument \"%s\"", argv[optind]);
    return check_check(a);
}

/* The held reservation of --reserve-*: a plan file of one default entry. */
static tp_status reserve_plan(const check_args *a, tp_plan_file **plan, tp_error *err)
{
    char json[256];
    snprintf(json, sizeof json, "{\"default\":{\"reserve_input_tpm\":%.17g,"
                                "\"reserve_output_tpm\":%.17g}}",
             a->reserve_in_tpm, a->reserve_out_tpm);
    return tp_plan_file_parse("--reserve-*", json, strlen(json), plan, err);
}

/* Sizes, checks and renders: 0 every threshold holds, EXIT_VERDICT one fails, EXIT_USAGE an
 * error (printed). */
static int check_run(check_args *a, const tp_pricing *pricing, const tp_plan_file *plan,
                     tp_error *err)
{
    tp_fleet_options fo;
    tp_fleet *fleet = NULL;
    tp_gate *gate = NULL;
    char *out = NULL;
    int rc = EXIT_USAGE;
    fleet_args_options(&a->fa, &fo, pricing, plan);
    /* --now (a window option) anchors relative windows and staleness alike */
    a->go.now_minute = a->fa.po.d.win.has_now ? a->fa.po.d.win.now_minute
                                              : (int64_t)time(NULL) / 60;
    if (tp_fleet_run(&fo, &fleet, err) != TP_OK) {
        fail(err);
        goto cleanup;
    }
    if (fleet->totals.n_ok == 0) {
        /* the models are stored (checked before): name them, their data is elsewhere */
        tp_error_set(err, TP_ERR_NOT_FOUND,
                     "no model has data in the window (%s%s%s): nothing to check",
                     fleet->n > 0 ? fleet->models[0].model : "no models stored",
                     fleet->n > 1 ? ", " : "", fleet->n > 2 ? "..." : fleet->n > 1
                                                                  ? fleet->models[1].model : "");
        fail(err);
        goto cleanup;
    }
    if (tp_gate_run(fleet, &a->go, &gate, err) != TP_OK ||
        tp_report_gate(gate, a->fmt, &out, err) != TP_OK) {
        fail(err);
        goto cleanup;
    }
    rc = gate->n_failed > 0 ? EXIT_VERDICT : 0;
    if (a->out_path == NULL)
        print_report(out, a->fmt);
    else if (write_file_atomic(a->out_path, out, a->fmt == TP_FORMAT_JSON, err) != 0) {
        fail(err);
        rc = EXIT_USAGE;
    }
cleanup:
    free(out);
    tp_gate_free(gate);
    tp_fleet_free(fleet);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    check_args a;
    int rc;
    tp_error err;
    tp_pricing *pricing = NULL;
    tp_plan_file *plan = NULL;
    tp_snapshot *baseline = NULL;
    tp_store *store = NULL;
    memset(&a, 0, sizeof a);
    fleet_args_init(&a.fa);
    tp_error_clear(&err);
    rc = check_parse(&a, argc, argv);
    if (rc != 0) {
        rc = rc == OPT_HELP ? 0 : rc;
        goto cleanup;
    }
    /* exit 1 means a threshold failed: every error before the checks is 2 */
    if (open_db(a.fa.po.d.db, 0, &store, &err) != TP_OK ||
        fleet_args_stored(&a.fa, store, &err) != TP_OK ||
        open_pricing(a.fa.po.d.pricing_path, 1, &pricing, &err) != 0 ||
        (a.fa.plan_path != NULL && tp_plan_file_load(a.fa.plan_path, &plan, &err) != TP_OK) ||
        ((a.has_reserve_in || a.has_reserve_out) && reserve_plan(&a, &plan, &err) != TP_OK) ||
        (a.baseline_path != NULL &&
         tp_snapshot_load(a.baseline_path, &baseline, &err) != TP_OK)) {
        fail(&err);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (a.fa.plan_path != NULL)
        fleet_args_warn_plan(plan, a.fa.plan_path, store);
    tp_store_close(store);
    store = NULL;
    a.go.baseline = baseline;
    a.go.held_hint = "--reserve-* or the plan file's reserve_*_tpm";
    rc = check_run(&a, pricing, plan, &err);
cleanup:
    tp_store_close(store);
    fleet_args_free(&a.fa);
    tp_plan_file_free(plan);
    tp_snapshot_free(baseline);
    tp_pricing_free(pricing);
    return rc;
}
