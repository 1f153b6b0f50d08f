/* cmd_showback.c - tierplan showback: a reservation's cost split among the attribution keys of
 * a model's invocation logs. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "optable.h"


enum { OPT_ALL = 0x200, OPT_SPREAD };

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
    "total exactly (docs/model.md, \"Showback\").\n"
    "\n"
    "options:\n",
    28, showback_opts, ""};

typedef struct sb_args {
    plan_opts po;
    sizing_opts z; /* service level and term of the recommended reservation */
    int sizing;    /* one of them was given */
    tp_showback_options so;
    int all, have_in, have_out;
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
    if (a->all && a->have_in)
        return usage_error("showback", "%s",
                           "--all shows back each model's recommended "
                           "reservation: no --reserve-*-tpm");
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

/* One model's showback, rendered; *no_logs is set (and TP_ERR_NOT_FOUND returned) when the
 * model has no invocation logs in the window. at: the place to read (--all), or NULL for the
 * options' filters. */
static tp_status one_model(tp_store *store, const tp_pricing *pricing, const sb_args *a,
                           const char *model, const tp_store_place *at, char **out, int *no_logs,
                           int *units, tp_error *err)
{
    tp_series_query q = a->po.d.q;
    tp_showback_options so = a->so;
    tp_model_price price;
    tp_showback *sb = NULL;
    tp_series *s = NULL;
    q.model = model;
    q.source = TP_SOURCE_LOGS;
    if (at != NULL) { /* merged: every region of the place's account */
        q.region = q.merge_regions ? NULL : at->region;
        q.account = at->account;
    }
    /* a model sold in units is refused whether or not it has logs (looked up quietly here;
     * any other lookup problem is reported below, after the logs, as before) */
    if (tp_pricing_lookup(pricing, model, &price, NULL, NULL, err) == TP_OK &&
        price.provider != TP_PROVIDER_BEDROCK) {
        /* showback splits a Bedrock reservation's cost; units are planned by recommend */
        *units = 1;
        return tp_error_set(err, TP_ERR_USAGE,
                            "model \"%s\" is sold in units (%s, catalog entry \"%s\"): "
                            "showback splits a Bedrock reservation's cost; plan it in units "
                            "with tierplan recommend --model %s",
                            model, tp_pricing_provider_name(price.provider), price.entry,
                            model);
    }
    tp_status rc = tp_series_load(store, &q, &s, err);
    *no_logs = rc == TP_ERR_NOT_FOUND;
    char msg[1024];
    if (rc == TP_OK && tp_series_merge_warning(model, tp_series_region(s), tp_series_account(s),
                                               msg, sizeof msg))
        print_warning(NULL, msg);
    if (rc == TP_OK)
        rc = tp_pricing_lookup(pricing, model, &price, print_warning, NULL, err);
    if (rc == TP_OK && !a->have_in)
        rc = recommend(s, a, &price, &so, err);
    if (rc == TP_OK)
        rc = tp_showback_run(store, &q, &price, &so, &sb, err);
    if (rc == TP_OK)
        rc = a->focus ? tp_report_showback_focus(sb, out, err)
                      : tp_report_showback(sb, a->fmt, out, err);
    tp_series_free(s);
    tp_showback_free(sb);
    return rc;
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
    char *out = NULL;
    size_t n = 0, shown = 0;
    int rc = sb_parse(&a, argc, argv);
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
        int no_logs = 0, units = 0;
        const tp_store_place *at = a.all ? &places[i] : NULL;
        if (at != NULL && ((f->region != NULL && strcmp(at->region, f->region) != 0) ||
                           (f->account != NULL && strcmp(at->account, f->account) != 0)))
            continue;
        if (at != NULL && f->merge_regions && last != NULL && strcmp(last->model, at->model) == 0 &&
            strcmp(last->account, at->account) == 0)
            continue; /* sorted by model, account, region: shown with the first */
        last = at;
        tp_status st = one_model(store, pricing, &a, at != NULL ? at->model : f->model, at, &out,
                                 &no_logs, &units, &err);
        if (no_logs && a.all)
            continue; /* a model of metric exports only: nothing to show back */
        if (units && a.all) {
            print_warning(NULL, err.message); /* --all: the others are still shown */
            continue;
        }
        if (st != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        emit(&a, out, shown++);
        free(out);
        out = NULL;
    }
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
    tp_store_places_free(places, n);
    tp_pricing_free(pricing);
    tp_store_close(store);
    demand_opts_free(&a.po.d);
    return rc == OPT_HELP ? 0 : rc;
}
