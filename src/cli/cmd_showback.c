/* cmd_showback.c - tierplan showback: a reservation's cost (Bedrock reserved TPM, or a unit
 * model's units held) split among the attribution keys of a model's invocation logs. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "optable.h"


enum { OPT_ALL = 0x200, OPT_SPREAD, OPT_UNITS, OPT_TERM, OPT_BURST, OPT_SERVED, OPT_OUT_UNITS };

static const cli_opt showback_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("the model (or --all: every model with invocation logs, each\n"
                    "region and account apart)"),
    CLI_OPTS_PLACE,
    CLI_OPTS_WINDOW_H("the window (default: the span of the model's logs); a\n"
                      "relative bound (-6h, -14d) counts back from the end of\n"
                      "the model's logs, or from --now T",
                      "the last SPAN of the logs: --last 6h is --from -6h",
                      "anchor relative bounds at T instead"),
    {"reserve-input-tpm", required_argument, 'i', 0, "--reserve-input-tpm N",
     "reserved effective input TPM (with --reserve-output-tpm;\n"
     "default: the reservation tierplan recommend recommends)", "reserve_input_tpm"},
    {"reserve-output-tpm", required_argument, 'o', 0, "--reserve-output-tpm N",
     "reserved output TPM", "reserve_output_tpm"},
    CLI_OPT_SPILL_TO_H("standard (default), priority or none"),
    CLI_OPT_SPILL_MODEL,
    CLI_OPT_QUOTA_H("on-demand quota for spilled traffic"),
    CLI_OPT_MAX_SPILL_H("--max-spill-minutes-pct P, --max-throttled-minutes N, --term-months N\n",
                        "the service level and term of the recommended reservation\n"
                        "(as for recommend; not with --reserve-*-tpm)"),
    CLI_HIDDEN("max-throttled-minutes", required_argument, 'X', "max_throttled_minutes"),
    CLI_HIDDEN("term-months", required_argument, 'n', "term_months"),
    {"units", required_argument, OPT_UNITS, 0, "--units N",
     "a model sold in units (Azure PTU, Vertex GSU): the units held\n"
     "(two pools, OpenAI Scale Tier and xAI: the input units;\n"
     "default: the plan tierplan recommend recommends)", "units"},
    {"output-units", required_argument, OPT_OUT_UNITS, 0, "--output-units N",
     "two pools: the output units held, with --units (default 0)", "output_units"},
    {"term", required_argument, OPT_TERM, 0, "--term T",
     "their term: hourly, 1_week, 1_month, 3_months or 1_year\n"
     "(with --units: default the shortest the entry sells;\n"
     "without: the recommended units on that term)", "unit_term"},
    {"burst-factor", required_argument, OPT_BURST, 0, "--burst-factor F",
     "a unit model enforced per second: its per-second peak is F\n"
     "x the minute's average (1 to 60; default 1.5)", "burst_factor"},
    {"served-pct", required_argument, OPT_SERVED, 0, "--served-pct PCT",
     "a unit model that throttles: the recommended units serve\n"
     "at least PCT% of weighted tokens (default 100)", "service_level"},
    {"spread-idle", no_argument, OPT_SPREAD, 0, "--spread-idle",
     "spread idle reserved capacity over the keys by their share\n"
     "of the window's demand instead of its own line", "spread_idle"},
    CLI_OPT_PRICING_H("price catalog"),
    CLI_OPT_FORMAT_H("text (default), csv, json, markdown or focus (FinOps FOCUS\n"
                     "1.2 cost and usage rows, CSV: docs/formats.md)"),
    CLI_OPT_BUSY_TIMEOUT_H("seconds to wait for a lock another process holds"),
    CLI_HIDDEN("all", no_argument, OPT_ALL, NULL),
    CLI_HIDDEN("tier", required_argument, 'T', "tiers"),
    CLI_HIDDEN("source", required_argument, OPT_SOURCE, "source"),
    CLI_HIDDEN("key", required_argument, OPT_KEY, "keys"),
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(showback_opts);

static const cli_table showback_table = {
    "usage: tierplan showback --model ID|--all [OPTIONS]\n"
    "\n"
    "Splits the cost of a reservation among the attribution keys of the model's invocation\n"
    "logs (ingest --attribute-by), minute by minute: the reserved capacity used in a minute\n"
    "is shared in proportion to the keys' effective input (and output) demand, and what\n"
    "spills is charged to the keys that spilled it at the spill price. Idle reserved capacity\n"
    "is its own line. Cents are allocated by largest remainder, so the keys add up to the\n"
    "total exactly (docs/model.md, \"Showback\"). A model sold in units: the units' cost is\n"
    "shared by the keys' weighted tokens, and what overflows spills or is throttled\n"
    "(docs/model.md, \"Other providers\").\n"
    "\n"
    "options:\n",
    28, showback_opts, ""};

typedef struct sb_args {
    plan_opts po;
    sizing_opts z; /* service level and term of the recommended reservation */
    int sizing;    /* one of them was given */
    tp_showback_options so;
    int all, have_in, have_out;
    int64_t units;          /* --units */
    int64_t output_units;   /* --output-units */
    int have_output_units;
    tp_unit_term term;      /* --term */
    int have_units, have_term;
    tp_units_options uo;    /* --burst-factor, --served-pct */
    tp_format fmt;
    int focus; /* --format focus: FOCUS rows (CSV) */
} sb_args;

static int sb_option(sb_args *a, int c, const char *arg)
{
    tp_error err;
    switch (c) {
    case 'i':
        a->have_in = 1;
        return parse_tpm(arg, &a->so.reserve_input_tpm) == 0
                   ? 0
                   : usage_error("showback", "--reserve-input-tpm: \"%s\" is not a TPM >= 0", arg);
    case 'o':
        a->have_out = 1;
        return parse_tpm(arg, &a->so.reserve_output_tpm) == 0
                   ? 0
                   : usage_error("showback", "--reserve-output-tpm: \"%s\" is not a TPM >= 0", arg);
    case 'F':
        a->focus = strcmp(arg, "focus") == 0;
        if (a->focus) { /* CSV rows: one header in --all, as csv */
            a->fmt = TP_FORMAT_CSV;
            return 0;
        }
        if (tp_format_parse(arg, &a->fmt, &err) != TP_OK || a->fmt == TP_FORMAT_HTML)
            return usage_error("showback",
                               "--format: \"%s\" is not text, csv, json, markdown or focus", arg);
        return 0;
    case OPT_UNITS: {
        char *end = NULL;
        const long long n = strtoll(arg, &end, 10);
        a->have_units = 1, a->units = n;
        return end != arg && *end == '\0' && n >= 0 && n <= 100000000
                   ? 0
                   : usage_error("showback", "--units: \"%s\" is not a whole number of units >= 0",
                                 arg);
    }
    case OPT_OUT_UNITS: {
        char *end = NULL;
        const long long n = strtoll(arg, &end, 10);
        a->have_output_units = 1, a->output_units = n;
        return end != arg && *end == '\0' && n >= 0 && n <= 100000000
                   ? 0
                   : usage_error("showback",
                                 "--output-units: \"%s\" is not a whole number of units >= 0",
                                 arg);
    }
    case OPT_TERM:
        for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
            if (strcmp(arg, tp_pricing_unit_term_name((tp_unit_term)t)) == 0) {
                a->have_term = 1, a->term = (tp_unit_term)t;
                return 0;
            }
        return usage_error("showback",
                           "--term: \"%s\" is not hourly, 1_week, 1_month, 3_months or 1_year",
                           arg);
    case OPT_BURST:
        return parse_double(arg, 1, 60, &a->uo.burst_factor) != 0
                   ? usage_error("showback", "--burst-factor: \"%s\" is not a factor from 1 to 60",
                                 arg)
                   : 0;
    case OPT_SERVED: {
        double pct = 0;
        if (parse_double(arg, 0, 100, &pct) != 0 || pct <= 0)
            return usage_error("showback",
                               "--served-pct: \"%s\" is not a percentage above 0 up to 100", arg);
        a->uo.service_level = pct / 100;
        return 0;
    }
    case OPT_ALL: a->all = 1; return 0;
    case OPT_SPREAD: a->so.spread_idle = 1; return 0;
    case 'x':
    case 'X':
    case 'n': a->sizing = 1; return sizing_option(&a->z, "showback", c, arg);
    case OPT_SOURCE:
    case OPT_KEY:
    case 'T': return usage_error("showback", "%s", "--source, --key and --tier do not apply");
    default: return plan_option(&a->po, "showback", c, arg);
    }
}

static int sb_parse(sb_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &showback_table);
    int c, rc;
    a->fmt = TP_FORMAT_TEXT;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        if (c == 'h') {
            cli_help_print(&showback_table, stdout);
            return OPT_HELP;
        }
        if ((rc = sb_option(a, c, optarg)) == OPT_NOT_MINE)
            return usage_error("showback", "%s", "invalid option");
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("showback", "unexpected argument \"%s\"", argv[optind]);
    if ((a->po.d.q.model == NULL) == !a->all)
        return usage_error("showback", "%s", "give --model ID or --all");
    if (a->have_in != a->have_out)
        return usage_error("showback", "%s",
                           "--reserve-input-tpm and --reserve-output-tpm go together");
    if (a->all && (a->have_in || a->have_units))
        return usage_error("showback", "%s",
                           "--all shows back each model's recommended "
                           "reservation: no --reserve-*-tpm, --units or --output-units");
    if (a->have_output_units && !a->have_units)
        return usage_error("showback", "%s",
                           "--output-units goes with --units (the input units held)");
    if (a->have_units && a->uo.service_level > 0)
        return usage_error("showback", "%s",
                           "--served-pct sizes the recommended units: not with --units");
    if (a->sizing && a->have_in)
        return usage_error("showback", "%s",
                           "--max-spill-minutes-pct, --max-throttled-minutes "
                           "and --term-months size the recommended "
                           "reservation: not with --reserve-*-tpm");
    a->z.scale = 1;
    if ((rc = sizing_check(&a->z, &a->po, "showback")) != 0)
        return rc;
    a->so.spill_model = a->po.spill_model;
    a->so.spill_to = a->po.spill_to;
    a->so.quota_tpm = a->po.quota_tpm;
    return window_check(&a->po.d, "showback");
}

/* The recommended reservation of the model's logs (demand s), and the prices with its term
 * discount. */
static tp_status recommend(const tp_series *s, const sb_args *a, tp_model_price *price,
                           tp_showback_options *so, tp_error *err)
{
    tp_recommendation rec;
    /* by service tier, as recommend: a model whose Reserved tier is not offered reserves
     * nothing, and the minimums hold */
    const tp_tier_demand d = tp_series_route_demand(s);
    tp_status rc = tp_recommend_tiers_run(&d, price, &a->z.ro, &rec, err);
    if (rc != TP_OK)
        return rc;
    so->reserve_input_tpm = rec.candidates[rec.recommended].input_tpm;
    so->reserve_output_tpm = rec.candidates[rec.recommended].output_tpm;
    so->routed_tiers = rec.candidates[rec.recommended].routed_tiers;
    price->reserved_input_per_1k_tpm_hour_usd *= rec.term_discount;
    price->reserved_output_per_1k_tpm_hour_usd *= rec.term_discount;
    return TP_OK;
}

/* Options of the other kind of reservation given for model: 0, or TP_ERR_USAGE with err set
 * naming them (with --all, those of the other kind are not applied: not checked). */
static tp_status misfit(const sb_args *a, const char *model, const tp_model_price *p,
                        tp_error *err)
{
    const char *prov = tp_pricing_provider_name(p->provider);
    if (p->provider == TP_PROVIDER_BEDROCK) {
        if (!a->all && (a->have_units || a->have_term || a->uo.burst_factor > 0 ||
                        a->uo.service_level > 0))
            return tp_error_set(err, TP_ERR_USAGE,
                                "--units, --output-units, --term, --burst-factor and "
                                "--served-pct apply to a model sold in units; catalog entry "
                                "\"%s\" is a Bedrock entry",
                                p->entry);
        return TP_OK;
    }
    if (a->have_output_units && !p->unit.pools)
        return tp_error_set(err, TP_ERR_USAGE,
                            "--output-units: catalog entry \"%s\" (%s) sells one pool of units "
                            "(give --units)",
                            p->entry, prov);
    if (!a->all && (a->have_in || a->sizing || a->po.spill_to != TP_SPILL_TO_STANDARD ||
                    a->po.spill_model != TP_SPILL_COUPLED || a->po.quota_tpm > 0))
        return tp_error_set(err, TP_ERR_USAGE,
                            "model \"%s\" is sold in units (%s, catalog entry \"%s\"): "
                            "--reserve-*-tpm, --spill-to, --spill-model, --quota-tpm, "
                            "--max-spill-minutes-pct, --max-throttled-minutes and --term-months "
                            "apply to Bedrock models only (give --units and --term; overflow "
                            "is the entry's)",
                            model, prov, p->entry);
    if (a->have_term && !(p->unit.per_unit_hour_usd[a->term] > 0)) {
        char sold[128] = ""; /* the terms it sells, named as --term takes them */
        for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
            if (p->unit.per_unit_hour_usd[t] > 0)
                snprintf(sold + strlen(sold), sizeof sold - strlen(sold), "%s%s",
                         sold[0] ? ", " : "", tp_pricing_unit_term_name((tp_unit_term)t));
        return tp_error_set(err, TP_ERR_USAGE,
                            "--term %s: catalog entry \"%s\" (%s) sells no such term (it sells: "
                            "%s)",
                            tp_pricing_unit_term_name(a->term), p->entry, prov,
                            sold[0] ? sold : "none");
    }
    if (p->unit.pools) { /* each count on its own pool's grid */
        const tp_unit_pool *pl[2] = {&p->unit.input_pool, &p->unit.output_pool};
        const int64_t n[2] = {a->units, a->output_units};
        for (int q = 0; q < 2 && a->have_units; q++)
            if (n[q] > 0 && (n[q] < pl[q]->minimum_units ||
                             (n[q] - pl[q]->minimum_units) % pl[q]->step_units != 0))
                return tp_error_set(err, TP_ERR_USAGE,
                                    "%s %lld: catalog entry \"%s\" (%s) sells 0, or %lld %s "
                                    "units and up in steps of %lld",
                                    q ? "--output-units" : "--units", (long long)n[q], p->entry,
                                    prov, (long long)pl[q]->minimum_units,
                                    q ? "output" : "input", (long long)pl[q]->step_units);
    } else
    if (a->have_units && a->units > 0 &&
        (a->units < p->unit.minimum_units ||
         (a->units - p->unit.minimum_units) % p->unit.step_units != 0))
        return tp_error_set(err, TP_ERR_USAGE,
                            "--units %lld: catalog entry \"%s\" (%s) deploys 0, or %lld %s and "
                            "up in steps of %lld",
                            (long long)a->units, p->entry, prov,
                            (long long)p->unit.minimum_units, p->unit.name,
                            (long long)p->unit.step_units);
    if (!a->all && a->uo.burst_factor > 0 && !p->unit.per_second)
        return tp_error_set(err, TP_ERR_USAGE,
                            "--burst-factor applies to a provider enforcing per second; catalog "
                            "entry \"%s\" (%s) is enforced per minute",
                            p->entry, prov);
    if (!a->all && a->uo.service_level > 0 && !p->unit.throttle)
        return tp_error_set(err, TP_ERR_USAGE,
                            "--served-pct applies to a model whose overflow is throttled; "
                            "catalog entry \"%s\" spills it to on-demand",
                            p->entry);
    return TP_OK;
}

/* The units shown back for a unit model: those given, or the plan recommend recommends for
 * the logs' demand s (on --term when given), with the burst factor and service level that
 * fit the entry. */
static tp_status held_units(const tp_series *s, const sb_args *a, const tp_model_price *price,
                            tp_showback_options *so, tp_error *err)
{
    tp_units_options uo = {0};
    const tp_unit_price *u = &price->unit;
    /* --all: each applies to the models it fits (one model: misfit refused the others) */
    uo.burst_factor = u->per_second ? a->uo.burst_factor : 0;
    uo.service_level = u->throttle ? a->uo.service_level : 0;
    memset(so, 0, sizeof *so);
    so->spread_idle = a->so.spread_idle;
    so->max_keys = a->so.max_keys;
    so->burst_factor = uo.burst_factor;
    if (a->have_units) { /* on --term, else the shortest term the entry sells */
        so->units = a->units;
        so->output_units = u->pools ? a->output_units : 0;
        so->unit_term = a->term;
        for (int t = TP_UNIT_TERM_COUNT - 1; !a->have_term && t >= 0; t--)
            if (u->per_unit_hour_usd[t] > 0)
                so->unit_term = (tp_unit_term)t;
        return TP_OK;
    }
    const tp_demand d = tp_series_demand(s);
    if (a->have_term) {
        tp_units_result r;
        uo.term = a->term;
        tp_status rc = tp_units_optimum(&d, price, &uo, &r, err);
        if (rc == TP_OK)
            so->units = r.units, so->unit_term = a->term;
        if (rc == TP_OK && u->pools)
            so->output_units = r.output_units;
        return rc;
    }
    tp_units_plan plan;
    tp_status rc = tp_units_plan_run(&d, price, &uo, &plan, err);
    if (rc == TP_OK)
        so->unit_term = plan.recommended_term, so->units = plan.term[plan.recommended_term].units;
    if (rc == TP_OK && u->pools)
        so->output_units = plan.term[plan.recommended_term].output_units;
    return rc;
}

/* One model's showback; *no_logs is set (and TP_ERR_NOT_FOUND returned) when the model has no
 * invocation logs in the window, *skip (and TP_ERR_USAGE) when options do not fit it. at: the
 * place to read (--all), or NULL for the options' filters. */
static tp_status one_model(tp_store *store, const tp_pricing *pricing, const sb_args *a,
                           const char *model, const tp_store_place *at, tp_showback **out,
                           int *no_logs, int *skip, tp_error *err)
{
    tp_series_query q = a->po.d.q;
    tp_showback_options so = a->so;
    tp_model_price price;
    tp_series *s = NULL;
    *out = NULL;
    q.model = model;
    q.source = TP_SOURCE_LOGS;
    if (at != NULL) { /* merged: every region of the place's account */
        q.region = q.merge_regions ? NULL : at->region;
        q.account = at->account;
    }
    /* options that do not fit the model's provider are refused whether or not it has logs
     * (looked up quietly here; any other lookup problem is reported below, after the logs) */
    const int found = tp_pricing_lookup(pricing, model, &price, NULL, NULL, err) == TP_OK;
    if (found && misfit(a, model, &price, err) != TP_OK) {
        *skip = 1;
        return TP_ERR_USAGE;
    }
    tp_status rc = tp_series_load(store, &q, &s, err);
    *no_logs = rc == TP_ERR_NOT_FOUND;
    if (*no_logs && found && price.provider != TP_PROVIDER_BEDROCK) { /* say what it needs */
        char was[sizeof err->message];
        snprintf(was, sizeof was, "%s", err->message);
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "%s: model sold in units (%s), showback needs per-key usage: "
                            "invocation logs (ingest --attribute-by) or CSV rows with source "
                            "logs and a key (docs/formats.md, \"CSV\"); metric exports have none",
                            was, tp_pricing_provider_name(price.provider));
    }
    char msg[1024];
    if (rc == TP_OK && tp_series_merge_warning(model, tp_series_region(s), tp_series_account(s),
                                               msg, sizeof msg))
        print_warning(NULL, msg);
    if (rc == TP_OK)
        rc = tp_pricing_lookup(pricing, model, &price, print_warning, NULL, err);
    if (rc == TP_OK && price.provider != TP_PROVIDER_BEDROCK)
        rc = held_units(s, a, &price, &so, err);
    else if (rc == TP_OK && !a->have_in)
        rc = recommend(s, a, &price, &so, err);
    if (rc == TP_OK)
        rc = tp_showback_run(store, &q, &price, &so, out, err);
    tp_series_free(s);
    return rc;
}

/* Appends text (its CSV header dropped unless first) to *buf: showback --all's CSV is held
 * until every model is shown, to know whether it needs the unit columns. 0, or -1 (no
 * memory). */
static int append_csv(char **buf, size_t *len, const char *text, int first)
{
    if (!first)
        text = strchr(text, '\n') != NULL ? strchr(text, '\n') + 1 : "";
    const size_t n = strlen(text);
    char *grown = realloc(*buf, *len + n + 1);
    if (grown == NULL)
        return -1;
    memcpy(grown + *len, text, n + 1);
    *buf = grown, *len += n;
    return 0;
}

/* Prints one model's output; in --all, CSV keeps one header and JSON makes an array. */
static void emit(const sb_args *a, const char *text, size_t k)
{
    if (a->all && a->fmt == TP_FORMAT_CSV && k > 0)
        text = strchr(text, '\n') != NULL ? strchr(text, '\n') + 1 : "";
    if (a->all && a->fmt == TP_FORMAT_JSON)
        fputs(k == 0 ? "[\n" : ",\n", stdout);
    else if (a->all && k > 0 && a->fmt != TP_FORMAT_CSV)
        putchar('\n');
    fputs(text, stdout);
}

int cmd_showback(int argc, char **argv)
{
    sb_args a = {0};
    tp_error err;
    tp_store *store = NULL;
    tp_pricing *pricing = NULL;
    tp_store_place *places = NULL;
    char *out = NULL, *csv = NULL, *csv_wide = NULL;
    size_t n = 0, shown = 0, csv_len = 0, csv_wide_len = 0;
    int any_units = 0;
    int rc = sb_parse(&a, argc, argv);
    /* --all as CSV: one header, with the unit columns when a model is sold in units */
    const int held_csv = a.all && a.fmt == TP_FORMAT_CSV && !a.focus;
    tp_error_clear(&err);
    if (rc != 0)
        goto cleanup;
    if (open_db(a.po.d.db, 0, &store, &err) != TP_OK ||
        open_pricing(a.po.d.pricing_path, 1, &pricing, &err) != 0 ||
        (a.all && tp_store_places(store, NULL, &places, &n, &err) != TP_OK)) {
        rc = fail(&err);
        goto cleanup;
    }
    /* --all: each place of each model apart (as stats and report list them), those the
     * filters keep; with --merge-regions the regions of an account as one */
    const tp_series_query *f = &a.po.d.q;
    const tp_store_place *last = NULL; /* the place last read */
    for (size_t i = 0; i < (a.all ? n : 1); i++) {
        int no_logs = 0, skip = 0;
        const tp_store_place *at = a.all ? &places[i] : NULL;
        if (at != NULL && ((f->region != NULL && strcmp(at->region, f->region) != 0) ||
                           (f->account != NULL && strcmp(at->account, f->account) != 0)))
            continue;
        if (at != NULL && f->merge_regions && last != NULL && strcmp(last->model, at->model) == 0 &&
            strcmp(last->account, at->account) == 0)
            continue; /* sorted by model, account, region: shown with the first */
        last = at;
        tp_showback *sb = NULL;
        tp_status st = one_model(store, pricing, &a, at != NULL ? at->model : f->model, at, &sb,
                                 &no_logs, &skip, &err);
        if (no_logs && a.all)
            continue; /* a model of metric exports only: nothing to show back */
        if (skip && a.all) {
            print_warning(NULL, err.message); /* --all: the others are still shown */
            continue;
        }
        if (st == TP_OK && held_csv) { /* both forms, until the end says which */
            char *wide = NULL;
            st = tp_report_showback_csv(sb, 0, &out, &err);
            if (st == TP_OK)
                st = tp_report_showback_csv(sb, 1, &wide, &err);
            if (st == TP_OK && (append_csv(&csv, &csv_len, out, shown == 0) != 0 ||
                                append_csv(&csv_wide, &csv_wide_len, wide, shown == 0) != 0))
                st = tp_error_set(&err, TP_ERR_NOMEM, "out of memory");
            any_units |= st == TP_OK && sb->provider != TP_PROVIDER_BEDROCK;
            free(wide);
        } else if (st == TP_OK) {
            st = a.focus ? tp_report_showback_focus(sb, &out, &err)
                         : tp_report_showback(sb, a.fmt, &out, &err);
        }
        tp_showback_free(sb);
        if (st != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        if (!held_csv)
            emit(&a, out, shown);
        shown++;
        free(out);
        out = NULL;
    }
    if (held_csv && shown > 0)
        fputs(any_units ? csv_wide : csv, stdout);
    if (a.all && shown == 0) {
        if (f->region != NULL || f->account != NULL)
            tp_error_set(&err, TP_ERR_NOT_FOUND,
                         "no model has invocation logs to show back in %s%s%s%s%s",
                         f->region != NULL ? "region " : "",
                         f->region != NULL ? tp_store_place_name(f->region) : "",
                         f->region != NULL && f->account != NULL ? ", " : "",
                         f->account != NULL ? "account " : "",
                         f->account != NULL ? tp_store_place_name(f->account) : "");
        else
            tp_error_set(&err, TP_ERR_NOT_FOUND, "no model has invocation logs to show back");
        rc = fail(&err);
    } else if (a.all && a.fmt == TP_FORMAT_JSON) {
        fputs("]\n", stdout);
    }
cleanup:
    free(out);
    free(csv);
    free(csv_wide);
    tp_store_places_free(places, n);
    tp_pricing_free(pricing);
    tp_store_close(store);
    demand_opts_free(&a.po.d);
    return rc == OPT_HELP ? 0 : rc;
}
