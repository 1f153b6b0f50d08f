/* cmd_plan.c - the commands that price a reservation: simulate and recommend. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "optable.h"
#include "options.h"

/* ---- simulate ---- */

static const cli_opt simulate_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("the model (required)"),
    {"reserve-input-tpm", required_argument, 'i', 0, "--reserve-input-tpm N",
     "reserved effective input TPM (required; 0 for none)", "reserve_input_tpm"},
    {"reserve-output-tpm", required_argument, 'o', 0, "--reserve-output-tpm N",
     "reserved output TPM (required; 0 for none)", "reserve_output_tpm"},
    CLI_OPT_SPILL_TO_H("standard (default), priority, or none (overflow is throttled)"),
    CLI_OPT_SPILL_MODEL_H("coupled (default: a request needs both input and output\n"
                          "capacity) or independent"),
    CLI_OPT_QUOTA_H(CLI_HELP_QUOTA),
    CLI_OPTS_WINDOW,
    CLI_OPT_TIER,
    CLI_OPTS_SOURCE,
    CLI_OPTS_PLACE,
    CLI_OPT_PRICING,
    CLI_OPT_SCALE_H("what-if: multiply all demand by F (> 0) before simulating,\n"
                    "as recommend --scale does"),
    {"per-minute", required_argument, 'M', 0, "--per-minute FILE.csv",
     "write the minute-by-minute trace", NULL},
    {"route-tiers", required_argument, 0x300, 0, "--route-tiers LIST",
     "simulate by service tier, these requested tiers routed to the\n"
     "reservation (priority, default, flex; reserved always is), the\n"
     "others in their own tier at their own price", "route_tiers"},
    CLI_OPT_FORMAT,
    CLI_OPT_BUSY_TIMEOUT,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(simulate_opts);

static const cli_table simulate_table = {
    "usage: tierplan simulate --model ID --reserve-input-tpm N --reserve-output-tpm N "
    "[OPTIONS]\n"
    "\n"
    "Simulates a reservation minute by minute over the window: what the reservation serves,\n"
    "what spills over to on-demand, and what it all costs against running everything at\n"
    "on-demand Standard prices. The input reservation is in effective (burned-down) TPM:\n"
    "input + cache_write x w + cache_read x f, with the catalog's factors (0.1, 1.0 default).\n"
    "\n"
    "options:\n",
    26, simulate_opts, ""};

/* What simulate parses on top of the plan options. */
typedef struct sim_args {
    plan_opts po;
    tp_sim_options so;
    const char *trace_path; /* --per-minute, or NULL */
    double scale;           /* --scale: 1 unless given */
    tp_route_set route;     /* --route-tiers, or 0 */
    int have_in, have_out;  /* both reservations are required, 0 included */
} sim_args;

/* Parses and checks simulate's command line: 0, OPT_HELP, or an exit code. */
static int sim_parse(sim_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &simulate_table);
    int c, rc;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        if ((rc = plan_option(&a->po, "simulate", c, optarg)) != OPT_NOT_MINE) {
            if (rc != 0)
                return rc;
            continue;
        }
        switch (c) {
        case 'i':
            if (parse_tpm(optarg, &a->so.reserve_input_tpm) != 0)
                return usage_error("simulate", "--reserve-input-tpm: \"%s\" is not a TPM >= 0",
                                   optarg);
            a->have_in = 1;
            break;
        case 'o':
            if (parse_tpm(optarg, &a->so.reserve_output_tpm) != 0)
                return usage_error("simulate", "--reserve-output-tpm: \"%s\" is not a TPM >= 0",
                                   optarg);
            a->have_out = 1;
            break;
        case 'M': a->trace_path = optarg; break;
        case 0x300:
            if ((rc = route_tiers_option("simulate", optarg, &a->route)) != 0)
                return rc;
            break;
        case 'k':
            if (parse_double(optarg, 0, 1e6, &a->scale) != 0 || a->scale <= 0)
                return usage_error("simulate", "--scale: \"%s\" is not a factor above 0 up to "
                                               "1000000",
                                   optarg);
            break;
        case 'h': cli_help_print(&simulate_table, stdout); return OPT_HELP;
        default: return usage_error("simulate", "%s", "invalid option");
        }
    }
    if (optind < argc)
        return usage_error("simulate", "unexpected argument \"%s\"", argv[optind]);
    if ((rc = plan_check(&a->po, "simulate")) != 0)
        return rc;
    if (!a->have_in || !a->have_out)
        return usage_error("simulate", "%s",
                           "--reserve-input-tpm and --reserve-output-tpm are required");
    if (a->route != 0 && (a->trace_path != NULL || a->scale != 1))
        return usage_error("simulate", "%s",
                           "--route-tiers takes neither --per-minute nor --scale");
    return 0;
}

int cmd_simulate(int argc, char **argv)
{
    sim_args a = {0};
    char *out = NULL;
    int rc;
    tp_error err;
    tp_store *store = NULL;
    tp_pricing *pricing = NULL;
    tp_series *series = NULL;
    tp_model_price price;
    tp_sim_result result;
    tp_whatif *whatif = NULL;
    tp_error_clear(&err);
    a.scale = 1.0;
    rc = sim_parse(&a, argc, argv);
    if (rc != 0) {
        if (rc == OPT_HELP)
            rc = 0;
        goto cleanup;
    }
    a.so.spill_model = a.po.spill_model;
    a.so.spill_to = a.po.spill_to;
    a.so.quota_tpm = a.po.quota_tpm;
    if (plan_load(&a.po, &pricing, &price, &store, &series, &err) != 0) {
        rc = fail(&err);
        goto cleanup;
    }
    if (price.provider != TP_PROVIDER_BEDROCK) {
        /* simulate replays a Bedrock reservation; units are planned by recommend */
        rc = usage_error("simulate",
                         "model \"%s\" is sold in units (%s, catalog entry \"%s\"): simulate "
                         "replays a Bedrock reservation; plan it in units with tierplan "
                         "recommend --model %s",
                         a.po.d.q.model, tp_pricing_provider_name(price.provider), price.entry,
                         a.po.d.q.model);
        goto cleanup;
    }
    if (a.trace_path != NULL && (a.so.trace = fopen(a.trace_path, "w")) == NULL) {
        tp_error_set(&err, TP_ERR_IO, "%s: cannot write", a.trace_path);
        rc = fail(&err);
        goto cleanup;
    }
    tp_demand demand = tp_series_demand(series);
    /* a reservation is billed 730 h a calendar month (docs/model.md, "Terms"): the window's
     * share of its months, whatever its days */
    price = tp_pricing_bill_span(&price, demand.from_minute,
                                 demand.from_minute + (int64_t)demand.minutes);
    /* the same what-if recommend applies (whatif.h): a fixed reservation under more traffic */
    if (a.scale != 1) {
        if (tp_whatif_apply(&demand, a.scale, 0, &whatif, &err) != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        demand = tp_whatif_demand(whatif);
    }
    tp_sim_tiers_result tiers;
    if (a.route != 0) {
        const tp_tier_demand td = tp_series_route_demand(series);
        if (tp_simulate_tiers_run(&td, &price, &a.so, a.route, &tiers, &err) != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        result = tiers.sim;
    } else if (tp_simulate_run(&demand, &price, &a.so, &result, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    /* the held reservation as its metrics show it, on the demand as loaded */
    tp_sim_observed observed;
    int has_observed = 0;
    if (tp_simulate_observe_series(series, &price, &a.so, &has_observed, &observed, &err) !=
        TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_sim_report rep = {series, pricing, &price, &a.so, &result, a.scale,
                         a.route != 0 ? &tiers : NULL, has_observed ? &observed : NULL};
    if (tp_report_sim(&rep, a.po.d.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, a.po.d.fmt);
cleanup:
    /* the trace is buffered: a full disk shows only when it is closed */
    if (a.so.trace != NULL && fclose(a.so.trace) != 0 && rc == 0) {
        tp_error_set(&err, TP_ERR_IO, "%s: write error", a.trace_path);
        rc = fail(&err);
    }
    free(out);
    tp_whatif_free(whatif);
    demand_opts_free(&a.po.d);
    tp_series_free(series);
    tp_store_close(store);
    tp_pricing_free(pricing);
    return rc;
}

/* ---- recommend ---- */

static const cli_opt recommend_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("the model (required)"),
    CLI_OPT_SPILL_TO,
    CLI_OPT_SPILL_MODEL,
    CLI_OPT_QUOTA_H(CLI_HELP_QUOTA),
    CLI_OPT_MAX_SPILL_H("--max-spill-minutes-pct X",
                        "the cheapest reservation with at most X% of minutes spilling"),
    CLI_OPT_MAX_THROTTLED_H("with --spill-to none or --quota-tpm: every search allows at\n"
                            "most N throttled minutes (default 0: no traffic dropped)"),
    CLI_OPT_TERM_H("commitment term in months: any term the catalog lists (the\n"
                   "shipped one: 1 or 3); its discount applies; a month is 730\n"
                   "hours (default 1)"),
    CLI_OPT_SCALE_H("what-if: multiply all demand by F"),
    CLI_OPT_CACHE_DELTA_H("what-if: move D of the cacheable prompt (regular + cache\n"
                          "read) from regular to cache-read tokens (negative: back)"),
    CLI_OPTS_WINDOW,
    CLI_OPT_TIER,
    CLI_OPTS_SOURCE,
    CLI_OPTS_PLACE,
    CLI_OPT_PRICING,
    CLI_OPT_WINDOW_BY_H("a reservation per calendar month, compared with one flat\n"
                        "reservation; a partial first or last month pays the whole\n"
                        "term (reported as unused commitment)"),
    CLI_OPT_WINDOWS_H("explicit windows: one from,to pair of timestamps per line;\n"
                      "gaps between them are priced at on-demand Standard"),
    CLI_OPT_TRAIN_H("backtest: size on data before T, replay on data after it,\n"
                    "next to the in-hindsight optimum for that later period"),
    CLI_OPT_FORCE_H(CLI_HELP_FORCE),
    {"route-tiers", required_argument, 0x300, 0, "--route-tiers LIST",
     "route these requested tiers to the reservation (comma-separated:\n"
     "priority, default, flex; reserved always is); default: the\n"
     "cheapest subset of the tiers with traffic", "route_tiers"},
    {"assume-offered", no_argument, 0x301, 0, "--assume-offered",
     "explore a reservation although the catalog says the model's\n"
     "Reserved tier is not offered (every output says so)", "assume_offered"},
    {"move-to-flex", required_argument, 0x302, 0, "--move-to-flex PCT",
     "what-if: move PCT% (0-100) of default traffic to Flex, which\n"
     "stays per minute in its own tier; reports the saving alone and\n"
     "with the reservation recommended for the moved traffic", "move_to_flex_pct"},
    {"move-to-batch", required_argument, 0x303, 0, "--move-to-batch PCT",
     "what-if: move PCT% (0-100) of default traffic to Batch\n"
     "(asynchronous: out of the per-minute stream, at the catalog's\n"
     "batch price); with --move-to-flex at most 100 in all", "move_to_batch_pct"},
    {"burst-factor", required_argument, 0x304, 0, "--burst-factor F",
     "a unit-based model enforced per second (Vertex GSU): its\n"
     "per-second peak is F x the minute's average (1 to 60;\n"
     "default 1.5; refused for one enforced per minute)", "burst_factor"},
    {"served-pct", required_argument, 0x305, 0, "--served-pct PCT",
     "a unit-based model that throttles its overflow: the fewest\n"
     "units serving at least PCT% of weighted tokens (default 100)", "service_level"},
    CLI_OPT_FORMAT,
    CLI_OPT_BUSY_TIMEOUT_WIDE,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(recommend_opts);

static const cli_table recommend_table = {
    "usage: tierplan recommend --model ID [OPTIONS]\n"
    "\n"
    "Sizes a reservation: simulates reservations at the P25/P50/P90/P99 of effective input\n"
    "and output TPM, the exact cost-optimal reservation on the catalog's grid (0, or the\n"
    "minimum plus whole steps), no reservation, and all Priority, and recommends one.\n"
    "\n"
    "options:\n",
    28, recommend_opts, ""};

/* What recommend parses on top of the plan options. */
typedef struct rec_args {
    plan_opts po;
    sizing_opts z;
    double move_to_flex_pct, move_to_batch_pct; /* the tier-mix what-if: 0 unless given */
    int has_move;
    tp_units_options uo; /* --burst-factor, --served-pct: a unit-based provider's model */
} rec_args;

/* --move-to-flex / --move-to-batch PCT: 0, or the usage exit code naming what is accepted. */
static int move_option(rec_args *a, int c, const char *arg)
{
    double *to = c == 0x302 ? &a->move_to_flex_pct : &a->move_to_batch_pct;
    if (parse_double(arg, 0, 100, to) != 0)
        return usage_error("recommend", "%s: \"%s\" is not a percentage from 0 to 100",
                           c == 0x302 ? "--move-to-flex" : "--move-to-batch", arg);
    a->has_move = 1;
    return 0;
}

/* Combinations the options cannot express (0, or the usage exit code). */
static int rec_check(rec_args *a)
{
    int rc = plan_check(&a->po, "recommend");
    if (rc == 0)
        rc = sizing_check(&a->z, &a->po, "recommend");
    if (rc != 0 || !a->has_move)
        return rc;
    if (a->move_to_flex_pct + a->move_to_batch_pct > 100)
        return usage_error("recommend", "--move-to-flex %g and --move-to-batch %g move more "
                                        "than 100%% of the default traffic (at most 100 in all)",
                           a->move_to_flex_pct, a->move_to_batch_pct);
    if (a->z.by_month || a->z.windows_path != NULL || a->z.have_train)
        return usage_error("recommend", "%s",
                           "--move-to-flex and --move-to-batch apply to a single window only");
    return 0;
}

/* Parses and checks recommend's command line: 0, OPT_HELP, or an exit code. */
static int rec_parse(rec_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &recommend_table);
    int c, rc;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        rc = plan_option(&a->po, "recommend", c, optarg);
        if (rc == OPT_NOT_MINE)
            rc = sizing_option(&a->z, "recommend", c, optarg);
        if (rc == OPT_NOT_MINE && c == 0x300)
            rc = route_tiers_option("recommend", optarg, &a->z.ro.route_tiers);
        if (rc == OPT_NOT_MINE && c == 0x301) {
            a->z.ro.assume_offered = 1;
            rc = 0;
        }
        if (rc == OPT_NOT_MINE && (c == 0x302 || c == 0x303))
            rc = move_option(a, c, optarg);
        if (rc == OPT_NOT_MINE && c == 0x304)
            rc = parse_double(optarg, 1, 60, &a->uo.burst_factor) != 0
                     ? usage_error("recommend", "--burst-factor: \"%s\" is not a factor from 1 "
                                                "to 60",
                                   optarg)
                     : 0;
        if (rc == OPT_NOT_MINE && c == 0x305) {
            double pct;
            rc = parse_double(optarg, 0, 100, &pct) != 0 || pct <= 0
                     ? usage_error("recommend", "--served-pct: \"%s\" is not a percentage "
                                                "above 0 up to 100",
                                   optarg)
                     : 0;
            a->uo.service_level = pct / 100;
        }
        if (rc == OPT_NOT_MINE) {
            if (c != 'h')
                return usage_error("recommend", "%s", "invalid option");
            cli_help_print(&recommend_table, stdout);
            return OPT_HELP;
        }
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("recommend", "unexpected argument \"%s\"", argv[optind]);
    return rec_check(a);
}

/* Seasonal windows or a backtest: the library plans, this prints. */
static int recommend_windows(const plan_opts *po, const tp_rec_options *ro, int by_month,
                             const char *windows_path, int have_train, int64_t train_until,
                             int force, tp_store *store, const tp_series *series,
                             const tp_pricing *pricing, const tp_model_price *price)
{
    tp_error err;
    tp_window *w = NULL;
    size_t n = 0;
    char *out = NULL;
    tp_seasonal *plan = NULL;
    tp_backtest bt;
    int rc = 0;
    tp_error_clear(&err);
    if (have_train) {
        if (tp_plan_backtest(store, &po->d.q, train_until, price, ro, force, &bt, &err) != TP_OK ||
            tp_report_backtest(po->d.q.model, pricing, price, ro, &bt, po->d.fmt, &out, &err) !=
                TP_OK)
            rc = fail(&err);
        goto done;
    }
    if (by_month) {
        int64_t from = tp_series_from_minute(series);
        if (tp_window_split_months(from, from + (int64_t)tp_series_minutes(series), &w, &n,
                                   &err) != TP_OK) {
            rc = fail(&err);
            goto done;
        }
    } else if (tp_window_load(windows_path, &w, &n, &err) != TP_OK) {
        rc = fail(&err);
        goto done;
    }
    /* a month split rarely starts and ends on month boundaries: its partial ends are allowed */
    const unsigned flags = (force ? TP_PLAN_FORCE : 0u) | (by_month ? TP_PLAN_PARTIAL_ENDS : 0u);
    if (tp_plan_seasonal(store, &po->d.q, w, n, price, ro, flags, &plan, &err) != TP_OK ||
        tp_report_seasonal(po->d.q.model, pricing, price, ro, plan, po->d.fmt, &out, &err) !=
            TP_OK)
        rc = fail(&err);
done:
    if (out != NULL)
        print_report(out, po->d.fmt);
    free(out);
    free(w);
    tp_plan_seasonal_free(plan);
    return rc;
}

/* A unit-based provider's model (Azure PTU, Vertex GSU): every term at its optimum in units,
 * the resizing lower bounds, the plan recommended (docs/model.md, "Other
 * providers"). The Bedrock-only options are refused. */
static int recommend_units(const rec_args *a, const tp_series *series,
                           const tp_pricing *pricing, const tp_model_price *price)
{
    tp_error err;
    tp_whatif *whatif = NULL;
    tp_units_plan plan;
    char *out = NULL;
    int rc = 0;
    tp_error_clear(&err);
    if (a->z.by_month || a->z.windows_path != NULL || a->z.have_train || a->has_move ||
        a->z.ro.route_tiers != 0 || a->z.delta != 0 || a->po.quota_tpm > 0)
        return usage_error("recommend",
                           "model \"%s\" is sold in units (%s): --window-by, --windows, "
                           "--train-until, --move-to-*, --route-tiers, --cache-hit-delta and "
                           "--quota-tpm apply to Bedrock models only",
                           a->po.d.q.model, tp_pricing_provider_name(price->provider));
    /* a unit plan prices every term the catalog lists, spills to Standard or throttles as
     * the entry says, and meets --served-pct: these would be silently unused */
    if (a->z.ro.term_months != 0 || a->po.spill_to != TP_SPILL_TO_STANDARD ||
        a->po.spill_model != TP_SPILL_COUPLED || a->z.ro.has_max_spill_minutes_pct ||
        a->z.ro.has_max_throttled_minutes)
        return usage_error("recommend",
                           "model \"%s\" is sold in units (%s): --term-months, --spill-to, "
                           "--spill-model, --max-spill-minutes-pct and --max-throttled-minutes "
                           "apply to Bedrock models only (a unit plan prices every term of its "
                           "catalog entry, overflows as the entry says and takes --served-pct)",
                           a->po.d.q.model, tp_pricing_provider_name(price->provider));
    if (tp_plan_check_window(series, a->z.force, &err) != TP_OK)
        return fail(&err);
    tp_demand demand = tp_series_demand(series);
    if (a->z.scale != 1) {
        if (tp_whatif_apply(&demand, a->z.scale, 0, &whatif, &err) != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        demand = tp_whatif_demand(whatif);
    }
    if (tp_units_plan_run(&demand, price, &a->uo, &plan, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_units_report rep = {series, pricing, price, &a->uo, &plan, a->z.scale};
    if (tp_report_units(&rep, a->po.d.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, a->po.d.fmt);
cleanup:
    free(out);
    tp_whatif_free(whatif);
    return rc;
}

/* One window: apply the what-if, recommend, print. */
static int recommend_single(const rec_args *a, const tp_series *series,
                            const tp_pricing *pricing, const tp_model_price *price)
{
    tp_error err;
    tp_whatif *whatif[TP_SERVICE_COUNT] = {NULL};
    tp_whatif_tiers *moved = NULL;
    tp_whatif_mix mix;
    tp_recommendation rec;
    char *out = NULL;
    int rc = 0;
    tp_error_clear(&err);
    if (tp_plan_check_window(series, a->z.force, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_tier_demand td = tp_series_route_demand(series);
    /* a reservation is billed 730 h a calendar month (docs/model.md, "Terms"): its rate over
     * the window scaled by billed / real hours, as project and simulate bill it, so that the
     * optimization and every total are what is billed */
    const tp_model_price billed_price =
        tp_pricing_bill_span(price, td.from_minute, td.from_minute + (int64_t)td.minutes);
    const tp_model_price *billed = &billed_price;
    /* the what-if applies to every tier alike */
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        if (td.tier[t].input_tpm == NULL || (a->z.scale == 1 && a->z.delta == 0))
            continue;
        if (tp_whatif_apply(&td.tier[t], a->z.scale, a->z.delta, &whatif[t], &err) != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        td.tier[t] = tp_whatif_demand(whatif[t]);
    }
    /* the tier-mix what-if: size the moved demand, price the move against td as it was */
    tp_tier_demand sized = td;
    if (a->has_move) {
        if (tp_whatif_move_tiers(&td, a->move_to_flex_pct, a->move_to_batch_pct, &moved,
                                 &err) != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        sized = tp_whatif_tiers_demand(moved);
    }
    if (tp_recommend_tiers_run(&sized, billed, &a->z.ro, &rec, &err) != TP_OK ||
        (a->has_move &&
         tp_whatif_mix_price(&td, moved, billed, a->z.ro.quota_tpm,
                             &rec.candidates[rec.recommended], &mix, &err) != TP_OK) ||
        /* the flat region of one stream: all the traffic in the default tier */
        (rec.present == TP_ROUTE_TIER(TP_SERVICE_DEFAULT) &&
         tp_recommend_flat_region(&sized.tier[TP_SERVICE_DEFAULT], billed, &a->z.ro, &rec,
                                  &err) != TP_OK)) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_rec_report rep = {series, pricing, price, &a->z.ro, &rec, a->z.scale, a->z.delta};
    if (tp_report_rec_mix(&rep, a->po.d.q.keys, a->po.d.q.n_keys, a->has_move ? &mix : NULL,
                          a->po.d.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, a->po.d.fmt);
cleanup:
    free(out);
    for (int t = 0; t < TP_SERVICE_COUNT; t++)
        tp_whatif_free(whatif[t]);
    tp_whatif_tiers_free(moved);
    return rc;
}

int cmd_recommend(int argc, char **argv)
{
    rec_args a = {0};
    int rc;
    tp_error err;
    tp_store *store = NULL;
    tp_pricing *pricing = NULL;
    tp_series *series = NULL;
    tp_model_price price;
    tp_error_clear(&err);
    a.z.scale = 1.0;
    rc = rec_parse(&a, argc, argv);
    if (rc != 0) {
        if (rc == OPT_HELP)
            rc = 0;
        goto cleanup;
    }
    if (plan_load(&a.po, &pricing, &price, &store, &series, &err) != 0) {
        rc = fail(&err);
        goto cleanup;
    }
    if (price.provider == TP_PROVIDER_BEDROCK &&
        (a.uo.burst_factor > 0 || a.uo.service_level > 0)) {
        rc = usage_error("recommend",
                         "--burst-factor and --served-pct apply to a model sold in units; "
                         "catalog entry \"%s\" is a Bedrock entry",
                         price.entry);
        goto cleanup;
    }
    if (price.provider != TP_PROVIDER_BEDROCK && !price.unit.per_second &&
        a.uo.burst_factor > 0) {
        rc = usage_error("recommend",
                         "--burst-factor applies to a provider enforcing per second; catalog "
                         "entry \"%s\" (%s) is enforced per minute",
                         price.entry, tp_pricing_provider_name(price.provider));
        goto cleanup;
    }
    if (price.provider != TP_PROVIDER_BEDROCK && !price.unit.throttle &&
        a.uo.service_level > 0) {
        rc = usage_error("recommend",
                         "--served-pct applies to a model whose overflow is throttled; catalog "
                         "entry \"%s\" spills it to on-demand",
                         price.entry);
        goto cleanup;
    }
    if (price.provider != TP_PROVIDER_BEDROCK)
        rc = recommend_units(&a, series, pricing, &price);
    else if (a.z.by_month || a.z.windows_path != NULL || a.z.have_train)
        rc = recommend_windows(&a.po, &a.z.ro, a.z.by_month, a.z.windows_path, a.z.have_train,
                               a.z.train_until, a.z.force, store, series, pricing, &price);
    else
        rc = recommend_single(&a, series, pricing, &price);
cleanup:
    demand_opts_free(&a.po.d);
    tp_series_free(series);
    tp_store_close(store);
    tp_pricing_free(pricing);
    return rc;
}
