/* report_units.c - a unit-based provider's plan (Azure PTU, Vertex GSU; OpenAI Scale Tier and
 * xAI's two pools) as text or JSON. */
#include "tierplan/report.h"

#include <math.h>
#include <stdio.h>

#include "base/cnum.h"
#include "render/place.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"

static const char units_example_note[] =
    "the catalog marks this entry's unit prices as examples, not published prices:\n"
    "  check the provider's price before committing money";
static const char units_capacity_note[] =
    "the catalog marks this entry's capacity per unit and token weights as examples, not\n"
    "  checked against the provider's page: check them before sizing a purchase";
static const char units_split_label[] =
    "lower bound with perfect hourly resizing (not a plan)";

/* per billed hour (docs/model.md, "Terms"): a window's USD / its billed hours */
static double per_hour(double usd, double billed_hours)
{
    return billed_hours > 0 ? usd / billed_hours : 0;
}

/* A term as people read it: "1 month" (JSON keeps the catalog's keys, "1_month"). */
static const char *term_label(int t)
{
    static const char *const label[TP_UNIT_TERM_COUNT] = {"hourly", "1 week", "1 month",
                                                          "3 months", "1 year"};
    return (unsigned)t < TP_UNIT_TERM_COUNT ? label[t] : "?";
}

/* "15 PTU": the unit's name is letters and digits only (the catalog refuses others), so it
 * needs no encoding. */
static void units_word(char *buf, size_t size, const tp_unit_price *u, int64_t n)
{
    char c[40];
    report_count(c, sizeof c, (double)n);
    snprintf(buf, size, "%s %s", c, u->name);
}

static tp_status units_json(const tp_units_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_units_plan *pl = rep->plan;
    const tp_unit_price *u = &rep->price->unit;
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(root, "model", tp_series_model(s));
    place_json(root, tp_series_region(s), tp_series_account(s));
    cJSON_AddStringToObject(root, "provider", tp_pricing_provider_name(rep->price->provider));
    report_json_series_window(root, s);
    cJSON *um = cJSON_AddObjectToObject(root, "unit");
    cJSON_AddStringToObject(um, "name", u->name);
    cJSON_AddNumberToObject(um, "capacity_tpm_per_unit", u->capacity_tpm_per_unit);
    cJSON_AddBoolToObject(um, "per_second", u->per_second);
    cJSON_AddNumberToObject(um, "output_weight", u->output_weight);
    cJSON_AddNumberToObject(um, "cache_read_weight", u->cache_read_weight);
    cJSON_AddNumberToObject(um, "cache_write_weight", u->cache_write_weight);
    cJSON_AddNumberToObject(um, "minimum_units", (double)u->minimum_units);
    cJSON_AddNumberToObject(um, "step_units", (double)u->step_units);
    cJSON_AddStringToObject(um, "overflow", u->throttle ? "throttle" : "spill");
    const tp_units_result *any = &pl->term[pl->recommended_term];
    cJSON_AddNumberToObject(root, "burst_factor", any->burst_factor);
    if (u->throttle)
        cJSON_AddNumberToObject(root, "service_level",
                                rep->options->service_level > 0 ? rep->options->service_level
                                                                : 1.0);
    else
        cJSON_AddNullToObject(root, "service_level");
    if (rep->scale > 0 && rep->scale != 1)
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(root, "what_if"), "scale", rep->scale);
    else
        cJSON_AddNullToObject(root, "what_if");
    cJSON_AddNumberToObject(root, "weighted_tokens", any->weighted_tokens);
    cJSON_AddNumberToObject(root, "peak_weighted_tpm", any->peak_weighted_tpm);
    cJSON *terms = cJSON_AddArrayToObject(root, "terms");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!pl->sold[t])
            continue;
        const tp_units_result *r = &pl->term[t];
        cJSON *o = report_json_push(terms, cJSON_CreateObject());
        if (o == NULL)
            continue;
        cJSON_AddStringToObject(o, "term", tp_pricing_unit_term_name((tp_unit_term)t));
        cJSON_AddNumberToObject(o, "units", (double)r->units);
        cJSON_AddNumberToObject(o, "capacity_tpm", r->capacity_tpm);
        cJSON_AddNumberToObject(o, "per_unit_hour_usd", r->per_unit_hour_usd);
        cJSON_AddNumberToObject(o, "units_usd", r->units_usd);
        cJSON_AddNumberToObject(o, "spill_usd", r->spill_usd);
        cJSON_AddNumberToObject(o, "total_usd", r->total_usd);
        cJSON_AddNumberToObject(o, "per_hour_usd", per_hour(r->total_usd, r->billed_hours));
        cJSON_AddNumberToObject(o, "minutes_over", (double)r->minutes_over);
        cJSON_AddNumberToObject(o, "served_share", r->served_share);
        /* spilled_tokens or throttled_tokens as before; over_tokens always (the same) */
        const char *const over_keys[] = {u->throttle ? "throttled_tokens" : "spilled_tokens",
                                         "over_tokens"};
        for (int k = 0; k < 2; k++) {
            cJSON *ov = cJSON_AddObjectToObject(o, over_keys[k]);
            cJSON_AddNumberToObject(ov, "input", r->over_tokens[TP_METRIC_INPUT]);
            cJSON_AddNumberToObject(ov, "output", r->over_tokens[TP_METRIC_OUTPUT]);
            cJSON_AddNumberToObject(ov, "cache_read", r->over_tokens[TP_METRIC_CACHE_READ]);
            cJSON_AddNumberToObject(ov, "cache_write", r->over_tokens[TP_METRIC_CACHE_WRITE]);
        }
    }
    cJSON *splits = cJSON_AddArrayToObject(root, "reservation_and_hourly");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!pl->has_split[t])
            continue;
        const tp_units_split_result *sp = &pl->split[t];
        cJSON *o = report_json_push(splits, cJSON_CreateObject());
        if (o == NULL)
            continue;
        cJSON_AddStringToObject(o, "term", tp_pricing_unit_term_name((tp_unit_term)t));
        cJSON_AddStringToObject(o, "kind", "lower_bound");
        cJSON_AddStringToObject(o, "note", units_split_label);
        cJSON_AddNumberToObject(o, "reserved_units", (double)sp->reserved_units);
        cJSON_AddNumberToObject(o, "reserved_usd", sp->reserved_usd);
        cJSON_AddNumberToObject(o, "hourly_unit_hours", sp->hourly_unit_hours);
        cJSON_AddNumberToObject(o, "hourly_usd", sp->hourly_usd);
        cJSON_AddNumberToObject(o, "spill_usd", sp->spill_usd);
        cJSON_AddNumberToObject(o, "total_usd", sp->total_usd);
        cJSON_AddNumberToObject(o, "per_hour_usd", per_hour(sp->total_usd, sp->billed_hours));
        cJSON_AddNumberToObject(o, "peak_units", (double)sp->peak_units);
        cJSON_AddNumberToObject(o, "largest_hourly_deployment_units", (double)sp->peak_units);
    }
    if (u->throttle)
        cJSON_AddNullToObject(root, "on_demand_usd");
    else
        cJSON_AddNumberToObject(root, "on_demand_usd", pl->on_demand_usd);
    cJSON *rec = cJSON_AddObjectToObject(root, "recommended");
    cJSON_AddStringToObject(rec, "plan", "term");
    cJSON_AddStringToObject(rec, "term", tp_pricing_unit_term_name(pl->recommended_term));
    cJSON_AddNumberToObject(rec, "units", (double)pl->term[pl->recommended_term].units);
    cJSON_AddNumberToObject(rec, "total_usd", pl->recommended_total_usd);
    cJSON_AddNumberToObject(rec, "per_hour_usd", per_hour(pl->recommended_total_usd, any->billed_hours));
    cJSON *pr = cJSON_AddObjectToObject(root, "pricing");
    cJSON_AddStringToObject(pr, "source", tp_pricing_source(rep->pricing));
    cJSON_AddStringToObject(pr, "sha256", tp_pricing_sha256(rep->pricing));
    cJSON_AddStringToObject(pr, "entry", rep->price->entry);
    cJSON_AddBoolToObject(root, "example_prices", u->example);
    cJSON_AddBoolToObject(root, "example_capacity", u->capacity_example);
    report_json_ingests(root, s);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (u->example)
        report_json_push(notes, cJSON_CreateString(units_example_note));
    if (u->capacity_example)
        report_json_push(notes, cJSON_CreateString(units_capacity_note));
    if (report_series_coarse(s))
        report_json_push(notes, cJSON_CreateString(report_coarse_note));
    return report_print_json(root, out, err);
}

/* The two lines every text plan starts with: the model, its place and provider; its window. */
static void model_window_text(strbuf *b, const tp_units_report *rep)
{
    const tp_series *s = rep->series;
    const int64_t first = tp_series_from_minute(s);
    const size_t minutes = tp_series_minutes(s);
    char from[TP_TIME_BUF], to[TP_TIME_BUF], a[64];
    enc_text_in(b, "model ", tp_series_model(s), "");
    place_text(b, tp_series_region(s), tp_series_account(s));
    sb_printf(b, " on %s\n", tp_pricing_provider_name(rep->price->provider));
    report_count(a, sizeof a, (double)minutes);
    sb_printf(b, "window %s .. %s (%s minute%s)\n", tp_timestamp_format(first * 60, from),
              tp_timestamp_format((first + (int64_t)minutes) * 60, to), a,
              minutes == 1 ? "" : "s");
}

static tp_status units_text(const tp_units_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_units_plan *pl = rep->plan;
    const tp_unit_price *u = &rep->price->unit;
    const tp_units_result *any = &pl->term[pl->recommended_term];
    strbuf b = {0};
    char a[64], c[64], d[64], e[64], f[64], g[64], line[512];
    model_window_text(&b, rep);
    report_fmt_tpm(a, sizeof a, u->capacity_tpm_per_unit);
    locale_t prev = cnum_enter();
    snprintf(c, sizeof c, "%g", u->output_weight);
    snprintf(d, sizeof d, "%g", u->cache_read_weight);
    snprintf(e, sizeof e, "%g", u->cache_write_weight);
    snprintf(f, sizeof f, "%g", any->burst_factor);
    cnum_restore(prev);
    sb_printf(&b, "unit: 1 %s = %s weighted TPM; weights: output x%s, cache read x%s, cache "
                  "write x%s\n",
              u->name, a, c, d, e);
    report_count(a, sizeof a, (double)u->minimum_units);
    report_count(c, sizeof c, (double)u->step_units);
    sb_printf(&b, "deployments: 0, or %s %s and up in steps of %s; overflow %s\n", a, u->name, c,
              u->throttle ? "throttled (429)" : "spills to on-demand Standard");
    report_fmt_tpm(a, sizeof a, any->peak_weighted_tpm);
    report_count(c, sizeof c, any->weighted_tokens);
    sb_printf(&b, "weighted demand: peak %s TPM (burst x%s%s); %s weighted tokens\n", a, f,
              u->per_second ? ", per second" : "", c);
    if (u->throttle) {
        report_pct(a, sizeof a,
                   100 * (rep->options->service_level > 0 ? rep->options->service_level : 1));
        sb_printf(&b, "service level: at least %s of weighted tokens served\n", a);
    }
    if (rep->scale > 0 && rep->scale != 1)
        sb_printf(&b, "what-if: demand x %g\n", rep->scale);
    /* throttled: the tokens refused, where spill shows the money it costs */
    sb_printf(&b, "\n%-9s %10s %14s %10s %13s %13s %11s %8s\n", "term", "units", "capacity TPM",
              "$/unit-h", u->throttle ? "throttled tok" : "spill", "total", "per hour",
              u->throttle ? "served" : "on units");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!pl->sold[t])
            continue;
        const tp_units_result *r = &pl->term[t];
        units_word(a, sizeof a, u, r->units);
        report_fmt_tpm(c, sizeof c, r->capacity_tpm);
        prev = cnum_enter();
        snprintf(d, sizeof d, "$%.4f", r->per_unit_hour_usd);
        cnum_restore(prev);
        if (u->throttle)
            report_count(e, sizeof e,
                         r->over_tokens[TP_METRIC_INPUT] + r->over_tokens[TP_METRIC_OUTPUT] +
                             r->over_tokens[TP_METRIC_CACHE_READ] +
                             r->over_tokens[TP_METRIC_CACHE_WRITE]);
        else
            report_usd(e, sizeof e, r->spill_usd);
        report_usd(f, sizeof f, r->total_usd);
        report_usd(g, sizeof g, per_hour(r->total_usd, r->billed_hours));
        sb_printf(&b, "%-9s %10s %14s %10s %13s %13s %11s", term_label(t),
                  a, c, d, e, f, g);
        report_pct(a, sizeof a, 100 * r->served_share);
        sb_printf(&b, " %8s\n", a);
    }
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!pl->has_split[t] || !(pl->split[t].hourly_unit_hours > 0))
            continue;
        const tp_units_split_result *sp = &pl->split[t];
        units_word(a, sizeof a, u, sp->reserved_units);
        report_count(c, sizeof c, sp->hourly_unit_hours);
        report_usd(d, sizeof d, sp->total_usd);
        report_usd(e, sizeof e, per_hour(sp->total_usd, sp->billed_hours));
        units_word(f, sizeof f, u, sp->peak_units);
        sb_printf(&b, "%s reservation of %s + hourly units above it: %s, %s an hour\n",
                  term_label(t), a, d, e);
        sb_printf(&b, "  %s: %s %s-hours hourly,\n", units_split_label, c, u->name);
        sb_printf(&b, "  largest hourly deployment %s\n", f);
    }
    if (!u->throttle) {
        report_usd(a, sizeof a, pl->on_demand_usd);
        report_usd(c, sizeof c, per_hour(pl->on_demand_usd, any->billed_hours));
        sb_printf(&b, "all on-demand Standard: %s, %s an hour\n", a, c);
    }
    const int64_t n = pl->term[pl->recommended_term].units;
    units_word(a, sizeof a, u, n);
    report_usd(c, sizeof c, pl->recommended_total_usd);
    report_usd(d, sizeof d, per_hour(pl->recommended_total_usd, any->billed_hours));
    if (n == 0)
        snprintf(line, sizeof line, "recommended: no %s: %s: %s over the window, %s an hour",
                 u->name, u->throttle ? "everything throttled" : "all on-demand Standard", c, d);
    else
        snprintf(line, sizeof line, "recommended: %s on the %s term: %s over the window, %s an "
                 "hour", a, term_label(pl->recommended_term), c, d);
    sb_puts(&b, "\n");
    render_wrapped(&b, "", line); /* a long count or sum stays within 100 columns */
    if (u->example)
        sb_printf(&b, "note: %s\n", units_example_note);
    if (u->capacity_example)
        sb_printf(&b, "note: %s\n", units_capacity_note);
    if (report_series_coarse(s))
        sb_printf(&b, "note: %s\n", report_coarse_note);
    enc_text_in(&b, "prices: ", tp_pricing_source(rep->pricing), "");
    enc_text_in(&b, " (entry ", rep->price->entry, ")\n");
    return sb_finish(&b, out, err);
}

/* ---- Two pools (openai-scale, xai): input and output units bought per day ---- */

static const char pools_coupled_note[] =
    "each pool overflows on its own (docs/model.md, \"Two pools\"); if a minute over either\n"
    "  pool spilled the larger share of all its tokens, the spill would be the coupled figure";

/* "2 units", "1 unit": a lower-case name (the two-pool default "unit") takes a plural; an
 * abbreviation ("TU") does not. Letters and digits only, as units_word. */
static void pool_word(char *buf, size_t size, const tp_unit_price *u, const char *kind,
                      int64_t n)
{
    char c[40];
    report_count(c, sizeof c, (double)n);
    const int plural = n != 1 && u->name[0] >= 'a' && u->name[0] <= 'z';
    snprintf(buf, size, "%s %s%s%s", c, kind, u->name, plural ? "s" : "");
}

/* A figure a billed day, on the billing rule of the per-month figures (docs/model.md, "Two
 * pools", "Billed days"): the units held at their price a day (units_usd / billed days: a day
 * begun is paid whole), spill and on-demand over the window's billed hours x 24 (a billed day
 * is 24 of the 730 billed hours of a month), so that a figure a day x 730 / 24 is the fleet's
 * figure a month. */
static double window_billed_hours(const tp_series *s)
{
    const int64_t from = tp_series_from_minute(s);
    return tp_pricing_billed_hours(from, from + (int64_t)tp_series_minutes(s));
}

static double per_day(const tp_series *s, const tp_units_result *r, double units_usd,
                      double other_usd)
{
    const double h = window_billed_hours(s);
    return (r->billed_days > 0 ? units_usd / r->billed_days : 0) + (h > 0 ? other_usd / h * 24 : 0);
}

static void pool_json(cJSON *o, const tp_unit_pool *pool, int input)
{
    cJSON_AddNumberToObject(o, "tpm_per_unit", pool->capacity_tpm_per_unit);
    if (input) {
        cJSON_AddNumberToObject(o, "cache_read_weight", pool->cache_read_weight);
        cJSON_AddNumberToObject(o, "cache_write_weight", pool->cache_write_weight);
    }
    cJSON_AddNumberToObject(o, "minimum_units", (double)pool->minimum_units);
    cJSON_AddNumberToObject(o, "step_units", (double)pool->step_units);
    cJSON_AddNumberToObject(o, "per_unit_day_usd", pool->per_unit_day_usd);
}

static tp_status pools_json(const tp_units_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_units_plan *pl = rep->plan;
    const tp_unit_price *u = &rep->price->unit;
    const tp_units_result *r = &pl->term[pl->recommended_term];
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(root, "model", tp_series_model(s));
    place_json(root, tp_series_region(s), tp_series_account(s));
    cJSON_AddStringToObject(root, "provider", tp_pricing_provider_name(rep->price->provider));
    report_json_series_window(root, s);
    cJSON *um = cJSON_AddObjectToObject(root, "unit");
    cJSON_AddStringToObject(um, "name", u->name);
    cJSON_AddBoolToObject(um, "pools", 1);
    pool_json(cJSON_AddObjectToObject(um, "input"), &u->input_pool, 1);
    pool_json(cJSON_AddObjectToObject(um, "output"), &u->output_pool, 0);
    cJSON_AddNumberToObject(um, "minimum_days", (double)u->minimum_days);
    cJSON_AddStringToObject(um, "overflow", u->throttle ? "throttle" : "spill");
    cJSON_AddNumberToObject(root, "burst_factor", r->burst_factor);
    if (u->throttle)
        cJSON_AddNumberToObject(root, "service_level",
                                rep->options->service_level > 0 ? rep->options->service_level
                                                                : 1.0);
    else
        cJSON_AddNullToObject(root, "service_level");
    if (rep->scale > 0 && rep->scale != 1)
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(root, "what_if"), "scale", rep->scale);
    else
        cJSON_AddNullToObject(root, "what_if");
    cJSON_AddNumberToObject(root, "billed_days", r->billed_days);
    cJSON *pools = cJSON_AddObjectToObject(root, "pools");
    const char *const names[2] = {"input", "output"};
    const int64_t units[2] = {r->units, r->output_units};
    const double cap[2] = {r->capacity_tpm, r->output_capacity_tpm};
    const double price[2] = {r->per_unit_day_usd, r->output_per_unit_day_usd};
    const double cost[2] = {r->input_units_usd, r->output_units_usd};
    const double spill[2] = {r->input_spill_usd, r->output_spill_usd};
    const double w[2] = {r->input_weighted_tokens, r->output_weighted_tokens};
    const double over[2] = {r->input_over_weighted_tokens, r->output_over_weighted_tokens};
    const double over_min[2] = {(double)r->input_minutes_over, (double)r->output_minutes_over};
    const double peak[2] = {r->peak_weighted_tpm, r->output_peak_tpm};
    for (int q = 0; q < 2; q++) {
        cJSON *o = cJSON_AddObjectToObject(pools, names[q]);
        cJSON_AddNumberToObject(o, "units", (double)units[q]);
        cJSON_AddNumberToObject(o, "capacity_tpm", cap[q]);
        cJSON_AddNumberToObject(o, "per_unit_day_usd", price[q]);
        cJSON_AddNumberToObject(o, "units_usd", cost[q]);
        if (u->throttle)
            cJSON_AddNullToObject(o, "spill_usd");
        else
            cJSON_AddNumberToObject(o, "spill_usd", spill[q]);
        cJSON_AddNumberToObject(o, "weighted_tokens", w[q]);
        cJSON_AddNumberToObject(o, "over_weighted_tokens", over[q]);
        cJSON_AddNumberToObject(o, "minutes_over", over_min[q]);
        cJSON_AddNumberToObject(o, "peak_tpm", peak[q]);
        cJSON_AddNumberToObject(o, "served_share", w[q] > 0 ? 1 - over[q] / w[q] : 1);
    }
    cJSON *ov = cJSON_AddObjectToObject(root, "over_tokens");
    cJSON_AddNumberToObject(ov, "input", r->over_tokens[TP_METRIC_INPUT]);
    cJSON_AddNumberToObject(ov, "output", r->over_tokens[TP_METRIC_OUTPUT]);
    cJSON_AddNumberToObject(ov, "cache_read", r->over_tokens[TP_METRIC_CACHE_READ]);
    cJSON_AddNumberToObject(ov, "cache_write", r->over_tokens[TP_METRIC_CACHE_WRITE]);
    cJSON_AddNumberToObject(root, "units_usd", r->units_usd);
    if (u->throttle) {
        cJSON_AddNullToObject(root, "spill_usd");
        cJSON_AddNullToObject(root, "coupled_spill_usd");
        cJSON_AddNullToObject(root, "on_demand_usd");
    } else {
        cJSON_AddNumberToObject(root, "spill_usd", r->spill_usd);
        cJSON_AddNumberToObject(root, "coupled_spill_usd", r->coupled_spill_usd);
        cJSON_AddNumberToObject(root, "on_demand_usd", pl->on_demand_usd);
    }
    cJSON_AddNumberToObject(root, "total_usd", r->total_usd);
    cJSON_AddNumberToObject(root, "minutes_over", (double)r->minutes_over);
    cJSON_AddNumberToObject(root, "commitment_usd", r->commitment_usd);
    cJSON *rec = cJSON_AddObjectToObject(root, "recommended");
    cJSON_AddStringToObject(rec, "plan", "pools");
    cJSON_AddNumberToObject(rec, "input_units", (double)r->units);
    cJSON_AddNumberToObject(rec, "output_units", (double)r->output_units);
    cJSON_AddNumberToObject(rec, "total_usd", r->total_usd);
    cJSON_AddNumberToObject(rec, "per_day_usd", per_day(s, r, r->units_usd, r->spill_usd));
    cJSON_AddNumberToObject(rec, "commitment_usd", r->commitment_usd);
    cJSON *pr = cJSON_AddObjectToObject(root, "pricing");
    cJSON_AddStringToObject(pr, "source", tp_pricing_source(rep->pricing));
    cJSON_AddStringToObject(pr, "sha256", tp_pricing_sha256(rep->pricing));
    cJSON_AddStringToObject(pr, "entry", rep->price->entry);
    cJSON_AddBoolToObject(root, "example_prices", u->example);
    cJSON_AddBoolToObject(root, "example_capacity", u->capacity_example);
    report_json_ingests(root, s);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (!u->throttle)
        report_json_push(notes, cJSON_CreateString(pools_coupled_note));
    if (u->example)
        report_json_push(notes, cJSON_CreateString(units_example_note));
    if (u->capacity_example)
        report_json_push(notes, cJSON_CreateString(units_capacity_note));
    if (report_series_coarse(s))
        report_json_push(notes, cJSON_CreateString(report_coarse_note));
    return report_print_json(root, out, err);
}

/* "$110.00" with the locale's decimal point kept out */
static void usd_exact(char *buf, size_t size, double v)
{
    locale_t prev = cnum_enter();
    snprintf(buf, size, "$%.2f", v);
    cnum_restore(prev);
}

static tp_status pools_text(const tp_units_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_units_plan *pl = rep->plan;
    const tp_unit_price *u = &rep->price->unit;
    const tp_units_result *r = &pl->term[pl->recommended_term];
    strbuf b = {0};
    char a[64], c[64], d[64], e[64], f[64], g[64], line[512];
    model_window_text(&b, rep);
    report_fmt_tpm(a, sizeof a, u->input_pool.capacity_tpm_per_unit);
    locale_t prev = cnum_enter();
    snprintf(c, sizeof c, "%g", u->input_pool.cache_read_weight);
    snprintf(d, sizeof d, "%g", u->input_pool.cache_write_weight);
    snprintf(f, sizeof f, "%g", r->burst_factor);
    cnum_restore(prev);
    usd_exact(e, sizeof e, u->input_pool.per_unit_day_usd);
    sb_printf(&b, "input unit: %s TPM of input + cache read x%s + cache write x%s, %s a day\n",
              a, c, d, e);
    report_fmt_tpm(a, sizeof a, u->output_pool.capacity_tpm_per_unit);
    usd_exact(e, sizeof e, u->output_pool.per_unit_day_usd);
    sb_printf(&b, "output unit: %s output TPM, %s a day\n", a, e);
    report_count(a, sizeof a, (double)u->input_pool.minimum_units);
    report_count(c, sizeof c, (double)u->input_pool.step_units);
    report_count(d, sizeof d, (double)u->output_pool.minimum_units);
    report_count(e, sizeof e, (double)u->output_pool.step_units);
    sb_printf(&b, "purchases: 0, or input %s and up in steps of %s, output %s and up in steps "
                  "of %s\n",
              a, c, d, e);
    report_count(a, sizeof a, (double)u->minimum_days);
    report_count(c, sizeof c, r->billed_days);
    sb_printf(&b, "bought per day for at least %s days; the window is billed %s day%s (a day "
                  "begun is paid)\n",
              a, c, r->billed_days == 1 ? "" : "s");
    sb_printf(&b, "overflow: %s, each pool on its own\n",
              u->throttle ? "throttled (429)" : "spills to on-demand Standard");
    if (u->throttle) {
        report_pct(a, sizeof a,
                   100 * (rep->options->service_level > 0 ? rep->options->service_level : 1));
        sb_printf(&b, "service level: each pool serves at least %s of its tokens\n", a);
    }
    if (r->burst_factor != 1)
        sb_printf(&b, "burst: x%s\n", f);
    if (rep->scale > 0 && rep->scale != 1)
        sb_printf(&b, "what-if: demand x %g\n", rep->scale);
    sb_printf(&b, "\n%-7s %9s %13s %13s %12s %13s %12s %8s\n", "pool", "units", "capacity TPM",
              "peak TPM", "units cost", u->throttle ? "throttled tok" : "spill", "minutes over",
              u->throttle ? "served" : "on units");
    const char *const names[2] = {"input", "output"};
    const int64_t units[2] = {r->units, r->output_units};
    const double cap[2] = {r->capacity_tpm, r->output_capacity_tpm};
    const double peak[2] = {r->peak_weighted_tpm, r->output_peak_tpm};
    const double cost[2] = {r->input_units_usd, r->output_units_usd};
    const double spill[2] = {r->input_spill_usd, r->output_spill_usd};
    const double w[2] = {r->input_weighted_tokens, r->output_weighted_tokens};
    const double over[2] = {r->input_over_weighted_tokens, r->output_over_weighted_tokens};
    const size_t over_min[2] = {r->input_minutes_over, r->output_minutes_over};
    for (int q = 0; q < 2; q++) {
        pool_word(a, sizeof a, u, "", units[q]);
        report_fmt_tpm(c, sizeof c, cap[q]);
        report_fmt_tpm(d, sizeof d, peak[q]);
        report_usd(e, sizeof e, cost[q]);
        /* throttled: the pool's tokens refused (input: input and cache tokens, unweighted) */
        if (u->throttle)
            report_count(f, sizeof f,
                         q == 0 ? r->over_tokens[TP_METRIC_INPUT] +
                                      r->over_tokens[TP_METRIC_CACHE_READ] +
                                      r->over_tokens[TP_METRIC_CACHE_WRITE]
                                : r->over_tokens[TP_METRIC_OUTPUT]);
        else
            report_usd(f, sizeof f, spill[q]);
        report_count(g, sizeof g, (double)over_min[q]);
        sb_printf(&b, "%-7s %9s %13s %13s %12s %13s %12s", names[q], a, c, d, e, f, g);
        report_pct(a, sizeof a, 100 * (w[q] > 0 ? 1 - over[q] / w[q] : 1));
        sb_printf(&b, " %8s\n", a);
    }
    if (!u->throttle) {
        report_usd(a, sizeof a, pl->on_demand_usd);
        report_usd(c, sizeof c, per_day(s, r, 0, pl->on_demand_usd));
        sb_printf(&b, "all on-demand Standard: %s, %s a billed day\n", a, c);
        report_usd(a, sizeof a, r->coupled_spill_usd);
        report_usd(c, sizeof c, r->units_usd + r->coupled_spill_usd);
        sb_printf(&b, "coupled (a minute over either pool spills whole): spill %s, total %s\n",
                  a, c);
    }
    report_usd(c, sizeof c, r->total_usd);
    report_usd(d, sizeof d, per_day(s, r, r->units_usd, r->spill_usd));
    if (r->units == 0 && r->output_units == 0) {
        const int plural = u->name[0] >= 'a' && u->name[0] <= 'z';
        snprintf(line, sizeof line, "recommended: no %s%s: %s: %s over the window, %s a billed "
                 "day", u->name, plural ? "s" : "",
                 u->throttle ? "everything throttled" : "all on-demand Standard", c, d);
        sb_puts(&b, "\n");
        render_wrapped(&b, "", line);
    } else {
        pool_word(a, sizeof a, u, "input ", r->units);
        pool_word(e, sizeof e, u, "output ", r->output_units);
        snprintf(line, sizeof line, "recommended: %s + %s: %s over the window, %s a billed day",
                 a, e, c, d);
        sb_puts(&b, "\n");
        render_wrapped(&b, "", line); /* a long count or sum stays within 100 columns */
        report_usd(a, sizeof a, r->commitment_usd);
        report_count(c, sizeof c, fmax(r->billed_days, (double)u->minimum_days));
        sb_printf(&b, "  the purchase commits at least %s (%s days)\n", a, c);
    }
    if (!u->throttle)
        sb_printf(&b, "note: %s\n", pools_coupled_note);
    if (u->example)
        sb_printf(&b, "note: %s\n", units_example_note);
    if (u->capacity_example)
        sb_printf(&b, "note: %s\n", units_capacity_note);
    if (report_series_coarse(s))
        sb_printf(&b, "note: %s\n", report_coarse_note);
    enc_text_in(&b, "prices: ", tp_pricing_source(rep->pricing), "");
    enc_text_in(&b, " (entry ", rep->price->entry, ")\n");
    return sb_finish(&b, out, err);
}

tp_status tp_report_units(const tp_units_report *r, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    if (r->plan->pools && fmt == TP_FORMAT_JSON)
        return pools_json(r, out, err);
    if (r->plan->pools && fmt == TP_FORMAT_TEXT)
        return pools_text(r, out, err);
    if (fmt == TP_FORMAT_JSON)
        return units_json(r, out, err);
    if (fmt == TP_FORMAT_TEXT)
        return units_text(r, out, err);
    return tp_error_set(err, TP_ERR_USAGE,
                        "a unit-based provider's plan is rendered as text or JSON only");
}
