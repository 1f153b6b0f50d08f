/* report_fleet.c - the fleet report as JSON and CSV, and the one dispatcher over its formats
 * (text and markdown: report_fleet_text.c; HTML: report_fleet_html.c). */
#include "tierplan/report.h"
#include "tierplan/fleet.h"

#include <math.h>
#include <stdio.h>

#include "render/place.h"
#include "render/report_check.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

tp_rec_report report_fleet_rec(const tp_fleet *f, const tp_fleet_model *m)
{
    const tp_fleet_options *o = &f->options;
    tp_rec_report r = {m->stats->series, o->pricing, &m->price, &m->rec_options, &m->rec,
                       o->scale > 0 ? o->scale : 1, o->cache_hit_delta};
    return r;
}

void report_fleet_window(const tp_fleet_options *o, char *buf, size_t size)
{
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    const tp_window_spec *w = o->window;
    if (w != NULL && !o->has_from && !o->has_to) {
        /* a rolling window: each model's own dates show beside it */
        char f[TP_WINDOW_BOUND_BUF], t[TP_WINDOW_BOUND_BUF];
        snprintf(buf, size, "%s .. %s (relative to %s)",
                 w->from.kind ? tp_window_bound_format(&w->from, f) : "start",
                 w->to.kind ? tp_window_bound_format(&w->to, t) : "end",
                 w->has_now ? tp_timestamp_format(w->now_minute * 60, a)
                            : "each model's newest data");
    } else if (o->has_from && o->has_to)
        snprintf(buf, size, "%s .. %s", tp_timestamp_format(o->from_minute * 60, a),
                 tp_timestamp_format(o->to_minute * 60, b));
    else if (o->has_from)
        snprintf(buf, size, "from %s", tp_timestamp_format(o->from_minute * 60, a));
    else if (o->has_to)
        snprintf(buf, size, "until %s", tp_timestamp_format(o->to_minute * 60, b));
    else
        snprintf(buf, size, "all data");
}

/* A rolling window as given ("-14d", a timestamp, or null) and its anchor: the same options
 * on two days give the same block, so that their outputs compare as like with like. */
static void window_spec_json(cJSON *w, const tp_window_spec *ws)
{
    char a[TP_TIME_BUF];
    report_json_window_bounds(w, ws);
    if (ws->has_now)
        cJSON_AddStringToObject(w, "anchor", tp_timestamp_format(ws->now_minute * 60, a));
    else
        cJSON_AddStringToObject(w, "anchor", "newest_data");
}

/* Every option that shaped the figures, so that unlike outputs can be told apart. */
static void options_json(cJSON *root, const tp_fleet *f)
{
    const tp_fleet_options *o = &f->options;
    char a[TP_TIME_BUF];
    cJSON *opt = cJSON_AddObjectToObject(root, "options");
    cJSON *w = cJSON_AddObjectToObject(opt, "window");
    if (o->window != NULL && !o->has_from && !o->has_to) {
        window_spec_json(w, o->window);
    } else if (o->has_from)
        cJSON_AddStringToObject(w, "from", tp_timestamp_format(o->from_minute * 60, a));
    else
        cJSON_AddNullToObject(w, "from");
    if (o->has_to)
        cJSON_AddStringToObject(w, "to", tp_timestamp_format(o->to_minute * 60, a));
    else
        cJSON_AddNullToObject(w, "to");
    cJSON *tiers = cJSON_AddArrayToObject(opt, "tiers");
    for (size_t i = 0; i < o->n_tiers; i++)
        report_json_push(tiers, cJSON_CreateString(o->tiers[i]));
    if (o->models != NULL) {
        cJSON *ms = cJSON_AddArrayToObject(opt, "models");
        for (size_t i = 0; i < o->n_models; i++)
            report_json_push(ms, cJSON_CreateString(o->models[i]));
    } else {
        cJSON_AddStringToObject(opt, "models", "all");
    }
    cJSON_AddStringToObject(opt, "spill_to", tp_simulate_spill_to_name(o->rec.spill_to));
    cJSON_AddStringToObject(opt, "spill_model", tp_simulate_spill_model_name(o->rec.spill_model));
    report_json_num_or_null(opt, "quota_tpm", o->rec.quota_tpm > 0 ? o->rec.quota_tpm : NAN);
    cJSON_AddNumberToObject(opt, "term_months", tp_recommend_term_months(&o->rec));
    report_json_num_or_null(opt, "max_spill_minutes_pct",
                            o->rec.has_max_spill_minutes_pct ? o->rec.max_spill_minutes_pct : NAN);
    report_json_num_or_null(opt, "max_throttled_minutes",
                            o->rec.has_max_throttled_minutes ? (double)o->rec.max_throttled_minutes
                                                             : NAN);
    cJSON *wi = cJSON_AddObjectToObject(opt, "what_if");
    cJSON_AddNumberToObject(wi, "scale", o->scale > 0 ? o->scale : 1);
    cJSON_AddNumberToObject(wi, "cache_hit_delta", o->cache_hit_delta);
    cJSON_AddBoolToObject(opt, "force", o->force != 0);
    /* --route-tiers: the routing every model is held to (null: each its cheapest) */
    if (o->rec.route_tiers != 0)
        report_json_routed(opt, o->rec.route_tiers | TP_ROUTE_TIER(TP_SERVICE_RESERVED));
    else
        cJSON_AddNullToObject(opt, "routed_tiers");
    cJSON_AddBoolToObject(opt, "assume_offered", o->rec.assume_offered != 0);
    if (o->window_by_month)
        cJSON_AddStringToObject(opt, "window_by", "month");
    if (o->n_windows > 0) {
        cJSON *ws = cJSON_AddArrayToObject(opt, "windows");
        for (size_t i = 0; i < o->n_windows; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "from",
                                    tp_timestamp_format(o->windows[i].from_minute * 60, a));
            cJSON_AddStringToObject(x, "to", tp_timestamp_format(o->windows[i].to_minute * 60, a));
            report_json_push(ws, x);
        }
    }
    if (o->has_train_until)
        cJSON_AddStringToObject(opt, "train_until",
                                tp_timestamp_format(o->train_until_minute * 60, a));
    cJSON_AddBoolToObject(opt, "plan_file", o->plan != NULL);
}

/* A model's plan file entry: the keys it set (per-model options already show in its
 * recommendation's term and service level). */
static void plan_json(cJSON *m, const tp_plan_entry *e)
{
    cJSON *p = cJSON_AddObjectToObject(m, "plan");
    if (e->has_term_months)
        cJSON_AddNumberToObject(p, "term_months", e->term_months);
    if (e->has_max_spill_minutes_pct)
        cJSON_AddNumberToObject(p, "max_spill_minutes_pct", e->max_spill_minutes_pct);
    if (e->has_max_throttled_minutes)
        cJSON_AddNumberToObject(p, "max_throttled_minutes", (double)e->max_throttled_minutes);
    if (e->has_reserve_input_tpm)
        cJSON_AddNumberToObject(p, "reserve_input_tpm", e->reserve_input_tpm);
    if (e->has_reserve_output_tpm)
        cJSON_AddNumberToObject(p, "reserve_output_tpm", e->reserve_output_tpm);
    if (e->has_growth_pct_per_month)
        cJSON_AddNumberToObject(p, "growth_pct_per_month", e->growth_pct_per_month);
}

void report_json_routed(cJSON *o, tp_route_set routed)
{
    cJSON *rt = cJSON_AddArrayToObject(o, "routed_tiers");
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        if (routed & TP_ROUTE_TIER(k))
            report_json_push(rt, cJSON_CreateString(tp_series_tier_name((tp_service_tier)k)));
}

/* The model's provider, its plan in units (null for a Bedrock model or one without data) and
 * units_note, null since the report sizes units (kept for readers of older outputs): last,
 * so that the keys before keep their order. */
static void units_json(cJSON *o, const tp_fleet_model *m)
{
    cJSON_AddStringToObject(o, "provider", tp_pricing_provider_name(m->price.provider));
    cJSON_AddNullToObject(o, "units_note");
    report_fleet_units_json(o, m);
}

static cJSON *model_json(const tp_fleet *f, const tp_fleet_model *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "model", m->model);
    /* where it was recorded: null unknown, "*" regions merged (place.h, as stats says) */
    place_json(o, m->region, m->account);
    cJSON_AddStringToObject(o, "status", tp_fleet_status_name(m->status));
    if (m->status != TP_FLEET_OK) {
        cJSON_AddStringToObject(o, "reason", m->no_data_reason);
        cJSON_AddNullToObject(o, "coverage_pct");
        cJSON_AddNullToObject(o, "stats");
        cJSON_AddNullToObject(o, "recommendation");
        cJSON_AddNullToObject(o, "routed_tiers");
        cJSON_AddNullToObject(o, "held");
        report_json_observed(o, NULL);
        plan_json(o, &m->plan);
        report_fleet_windows_json(o, f, m);
        units_json(o, m);
        return o;
    }
    /* coverage by the exports' spans: null when unknown (data ingested without spans) */
    report_json_num_or_null(o, "coverage_pct", m->coverage_pct);
    report_json_put(o, "stats", report_json_stats_model(m->stats));
    if (m->in_units) {
        /* no Bedrock recommendation: its plan is "units_plan" */
        cJSON_AddNullToObject(o, "recommendation");
        cJSON_AddNullToObject(o, "routed_tiers");
        cJSON_AddBoolToObject(o, "reserved_offered", 0);
        cJSON_AddBoolToObject(o, "assumed_offered", 0);
        cJSON_AddNullToObject(o, "held");
        report_json_observed(o, NULL);
        plan_json(o, &m->plan);
        report_fleet_windows_json(o, f, m);
        units_json(o, m);
        return o;
    }
    const tp_rec_report rep = report_fleet_rec(f, m);
    report_json_put(o, "recommendation", report_json_rec(&rep));
    /* what the recommended plan routes to its reservation ([] for none) and the offer it
     * was sized under, at the model's top level for the fleet's readers (issue 19) */
    const tp_candidate *best = &m->rec.candidates[m->rec.recommended];
    report_json_routed(o, best->input_tpm > 0 || best->output_tpm > 0 ? best->routed_tiers : 0);
    cJSON_AddBoolToObject(o, "reserved_offered", m->price.reserved_offered != 0);
    cJSON_AddBoolToObject(o, "assumed_offered", m->rec.assumed_offered != 0);
    if (m->has_held) {
        cJSON *h = report_json_candidate(&m->held);
        cJSON_DeleteItemFromObject(h, "basis");
        report_json_put(o, "held", h);
    } else {
        cJSON_AddNullToObject(o, "held");
    }
    report_json_observed(o, m->has_observed ? &m->observed : NULL);
    plan_json(o, &m->plan);
    report_fleet_windows_json(o, f, m);
    units_json(o, m);
    return o;
}

/* Rates of a fleet total: per hour and per month of 730 hours. */
static void rates_json(cJSON *parent, const char *name, double per_hour, double per_month)
{
    cJSON *r = cJSON_AddObjectToObject(parent, name);
    cJSON_AddNumberToObject(r, "per_hour", per_hour);
    cJSON_AddNumberToObject(r, "per_month", per_month);
}

/* The totals t as the fleet object and each group give them. */
static void totals_json(cJSON *fl, const tp_fleet_totals *t)
{
    cJSON_AddNumberToObject(fl, "models_ok", (double)t->n_ok);
    cJSON_AddNumberToObject(fl, "models_no_data", (double)t->n_no_data);
    cJSON_AddStringToObject(fl, "basis", "the recommended reservation of each model, as rates "
                                         "(models have different windows)");
    cJSON *usd = cJSON_AddObjectToObject(fl, "cost_usd");
    rates_json(usd, "reserved", t->reserved_per_hour_usd, t->reserved_per_month_usd);
    rates_json(usd, "spill", t->spill_per_hour_usd, t->spill_per_month_usd);
    rates_json(usd, "total", t->total_per_hour_usd, t->total_per_month_usd);
    rates_json(usd, "on_demand_baseline", t->on_demand_per_hour_usd, t->on_demand_per_month_usd);
    rates_json(usd, "savings", t->savings_per_hour_usd, t->savings_per_month_usd);
    cJSON *term = cJSON_AddObjectToObject(fl, "per_term_usd");
    cJSON_AddStringToObject(term, "basis", "each model over its own term");
    cJSON_AddNumberToObject(term, "reserved", t->reserved_per_term_usd);
    cJSON_AddNumberToObject(term, "spill", t->spill_per_term_usd);
    cJSON_AddNumberToObject(term, "total", t->total_per_term_usd);
    cJSON_AddNumberToObject(term, "on_demand_baseline", t->on_demand_per_term_usd);
    cJSON_AddNumberToObject(term, "savings", t->savings_per_term_usd);
    cJSON *held = cJSON_AddObjectToObject(fl, "held");
    cJSON_AddNumberToObject(held, "models", (double)t->n_held);
    rates_json(held, "total", t->held_total_per_hour_usd, t->held_total_per_month_usd);
}

static void fleet_json(cJSON *root, const tp_fleet *f)
{
    cJSON *fl = cJSON_AddObjectToObject(root, "fleet");
    totals_json(fl, &f->totals);
    report_fleet_seasonal_json(fl, f);
    /* a reservation is bought in one account for one region: the totals per place */
    cJSON *groups = cJSON_AddArrayToObject(root, "groups");
    for (size_t g = 0; g < f->n_groups; g++) {
        cJSON *o = cJSON_CreateObject();
        place_json(o, f->groups[g].region, f->groups[g].account);
        totals_json(o, &f->groups[g].totals);
        report_json_push(groups, o);
    }
    /* every provider's sized models apart, in USD as the fleet's (they add up to it) */
    cJSON *providers = cJSON_AddArrayToObject(root, "providers");
    for (size_t k = 0; k < f->n_providers; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "provider",
                                tp_pricing_provider_name(f->providers[k].provider));
        totals_json(o, &f->providers[k].totals);
        report_json_push(providers, o);
    }
}

static tp_status fleet_json_render(const tp_fleet *f, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    options_json(root, f);
    cJSON *pr = cJSON_AddObjectToObject(root, "pricing");
    cJSON_AddStringToObject(pr, "source", tp_pricing_source(f->options.pricing));
    cJSON_AddStringToObject(pr, "sha256", tp_pricing_sha256(f->options.pricing));
    cJSON *models = cJSON_AddArrayToObject(root, "models");
    for (size_t i = 0; i < f->n; i++)
        report_json_push(models, model_json(f, &f->models[i]));
    fleet_json(root, f);
    return report_print_json(root, out, err);
}

static const char csv_header[] =
    "model,status,basis,recommended,window_from,window_to,window_minutes,term_months,"
    "term_discount,spill_model,spill_to,quota_tpm,scale,cache_hit_delta,max_spill_minutes_pct,"
    "max_throttled_minutes,input_tpm,output_tpm,cost_per_hour_usd,cost_per_month_usd,"
    "cost_per_term_usd,reserved_per_hour_usd,spill_per_hour_usd,on_demand_per_hour_usd,"
    "savings_per_month_usd,savings_pct,utilization_input,utilization_output,spill_minutes,"
    "spill_minutes_pct,throttled_minutes,plan,window_total_usd,unused_commitment_usd,"
    "routed_tiers,provider,units,unit_term,per_unit_hour_usd,served_pct,region,account,"
    "output_units\n";

/* The columns every row of a sized model repeats: window and options. */
static void csv_options(strbuf *b, const tp_fleet *f, const tp_fleet_model *m,
                        const tp_window *w)
{
    const tp_rec_options *ro = &m->rec_options;
    char a[TP_TIME_BUF];
    report_csv_word(b, tp_timestamp_format(w->from_minute * 60, a));
    report_csv_word(b, tp_timestamp_format(w->to_minute * 60, a));
    render_csv_num(b, (double)(w->to_minute - w->from_minute));
    render_csv_num(b, m->rec.term_months);
    render_csv_num(b, m->rec.term_discount);
    report_csv_word(b, tp_simulate_spill_model_name(ro->spill_model));
    report_csv_word(b, tp_simulate_spill_to_name(ro->spill_to));
    render_csv_num(b, ro->quota_tpm > 0 ? ro->quota_tpm : NAN);
    render_csv_num(b, f->options.scale > 0 ? f->options.scale : 1);
    render_csv_num(b, f->options.cache_hit_delta);
    render_csv_num(b, ro->has_max_spill_minutes_pct ? ro->max_spill_minutes_pct : NAN);
    render_csv_num(b, ro->has_max_throttled_minutes ? (double)ro->max_throttled_minutes : NAN);
}

/* A totals row: a group's (status group_total, its region and account), a provider's
 * (provider_total, its provider) or the fleet's (fleet_total, no model, provider, region or
 * account); the recommended reservations' rates. */
static void csv_total(strbuf *b, const char *status, const char *provider, const char *region,
                      const char *account, const tp_fleet_totals *t)
{
    report_csv_word(b, status); /* the first cell, model, empty */
    report_csv_word(b, "recommended");
    report_csv_word(b, "true");
    for (int k = 0; k < 12; k++) /* window and options: each model's own */
        sb_puts(b, ",");
    sb_puts(b, ",,"); /* input and output TPM: not added over models */
    const double v[] = {t->total_per_hour_usd,    t->total_per_month_usd,
                        t->total_per_term_usd,    t->reserved_per_hour_usd,
                        t->spill_per_hour_usd,    t->on_demand_per_hour_usd,
                        t->savings_per_month_usd, t->savings_pct};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        render_csv_num(b, v[i]);
    for (int k = 0; k < 5; k++) /* utilization and minutes: per model only */
        sb_puts(b, ",");
    report_csv_word(b, "whole");
    sb_puts(b, ",,,");
    if (provider[0] != '\0') /* a provider's total names it */
        report_csv_word(b, provider);
    else
        sb_puts(b, ",");
    sb_puts(b, ",,,,");
    place_csv(b, region, account);
    sb_puts(b, ",\n"); /* output units: a two-pool model's rows only */
}

/* One row: a candidate over window w of plan ("whole": the model's whole window). */
typedef struct csv_row {
    strbuf *b;
    const tp_fleet *f;
    const tp_fleet_model *m;
} csv_row;

static void csv_candidate(const csv_row *r, const char *plan, const tp_window *w,
                          const tp_candidate *x, const char *basis, int recommended,
                          double unused_usd)
{
    strbuf *b = r->b;
    const double v[] = {x->input_tpm,          x->output_tpm,
                        x->cost_per_hour_usd,  x->cost_per_month_usd,
                        x->cost_per_term_usd,  x->reserved_per_hour_usd,
                        x->spill_per_hour_usd, x->on_demand_per_hour_usd,
                        x->savings_per_month_usd, x->sim.savings_pct,
                        x->sim.utilization_input, x->sim.utilization_output,
                        (double)x->sim.spill_minutes, x->sim.spill_minutes_pct,
                        (double)x->sim.throttled_minutes};
    enc_csv(b, r->m->model);
    report_csv_word(b, "ok");
    report_csv_word(b, basis);
    report_csv_word(b, recommended ? "true" : "false");
    csv_options(b, r->f, r->m, w);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        render_csv_num(b, v[i]);
    report_csv_word(b, plan);
    render_csv_num(b, x->sim.total_usd);
    render_csv_num(b, unused_usd);
    /* the tiers the row's reservation serves: none without one */
    char routes[64];
    tp_simulate_route_format(x->input_tpm > 0 || x->output_tpm > 0 ? x->routed_tiers : 0,
                             routes, sizeof routes);
    report_csv_word(b, routes);
    report_csv_word(b, tp_pricing_provider_name(r->m->price.provider));
    sb_puts(b, ",,,,"); /* units: a unit model's rows only */
    place_csv(b, r->m->region, r->m->account); /* region and account, as every CSV */
    sb_puts(b, ",\n"); /* output units (appended last): a two-pool model's rows only */
}

static void csv_plan_row(void *ctx, const char *plan, const tp_window *w, const tp_candidate *c,
                         int recommended, double unused_usd)
{
    csv_row *r = ctx;
    /* a gap or an on-demand row reserves nothing: its basis says so, not a percentile's */
    csv_candidate(r, plan, w, c,
                  c->input_tpm > 0 || c->output_tpm > 0 ? tp_recommend_basis_name(c->basis)
                                                        : "on_demand",
                  recommended, unused_usd);
}

/* A row without figures: a model without data, or whose windows could not be planned. */
static void csv_empty(strbuf *b, const tp_fleet_model *m, const char *status, const char *plan)
{
    enc_csv(b, m->model);
    report_csv_word(b, status);
    for (int k = 0; k < 29; k++) /* every figure column empty */
        sb_puts(b, ",");
    report_csv_word(b, plan);
    sb_puts(b, ",,,");
    /* the provider is known only where the catalog entry was read (a model sized) */
    if (m->status == TP_FLEET_OK)
        report_csv_word(b, tp_pricing_provider_name(m->price.provider));
    else
        sb_puts(b, ",");
    sb_puts(b, ",,,,");
    place_csv(b, m->region, m->account);
    sb_puts(b, ",\n");
}

/* The rows of a model sized in units: each term its entry sells (basis "units", the one
 * recommended true), its figures in the Bedrock columns where they mean the same (costs,
 * spill minutes), its units, term, price and served share in their own. */
static void csv_units(strbuf *b, const tp_fleet *f, const tp_fleet_model *m)
{
    const int64_t from = tp_series_from_minute(m->stats->series);
    const int64_t to = from + (int64_t)tp_series_minutes(m->stats->series);
    const double minutes = (double)(to - from);
    char a[TP_TIME_BUF];
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!m->units_plan.sold[t])
            continue;
        const tp_units_result *r = &m->units_plan.term[t];
        const double h = r->billed_hours > 0 ? r->billed_hours : 1;
        const int rec = t == (int)m->units_plan.recommended_term;
        enc_csv(b, m->model);
        report_csv_word(b, "ok");
        report_csv_word(b, "units");
        report_csv_word(b, rec ? "true" : "false");
        report_csv_word(b, tp_timestamp_format(from * 60, a));
        report_csv_word(b, tp_timestamp_format(to * 60, a));
        render_csv_num(b, minutes);
        sb_puts(b, ",,,"); /* term_months, term_discount (the unit term says it), spill_model */
        /* overflow as a Bedrock row says it: to on-demand Standard, or throttled */
        report_csv_word(b, m->price.unit.throttle ? "throttle" : "standard");
        sb_puts(b, ","); /* quota: Bedrock's */
        render_csv_num(b, f->options.scale > 0 ? f->options.scale : 1);
        sb_puts(b, ",,,,,"); /* cache-hit what-if, limits, input and output TPM: Bedrock's */
        double v[] = {r->total_usd / h,
                      r->total_usd / h * TP_HOURS_PER_MONTH,
                      r->total_usd / h * tp_fleet_unit_term_hours((tp_unit_term)t),
                      r->units_usd / h,
                      r->spill_usd / h,
                      r->on_demand_usd / h,
                      (r->on_demand_usd - r->total_usd) / h * TP_HOURS_PER_MONTH,
                      r->on_demand_usd > 0
                          ? 100 * (r->on_demand_usd - r->total_usd) / r->on_demand_usd
                          : NAN};
        if (r->pools) { /* two pools: whole days of units, spill over the billed hours, as the
                         * JSON and text (tp_fleet_units_per_month), not all over whole days */
            double mo[4];
            tp_fleet_units_per_month(m, r, &mo[0], &mo[1], &mo[2], &mo[3]);
            const double ph = 1.0 / TP_HOURS_PER_MONTH;
            v[0] = mo[2] * ph;
            v[1] = mo[2];
            v[2] = mo[2] * ph * tp_fleet_unit_term_hours((tp_unit_term)t);
            v[3] = mo[0] * ph;
            v[4] = mo[1] * ph;
            v[5] = mo[3] * ph;
            v[6] = mo[3] - mo[2];
        }
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            render_csv_num(b, v[i]);
        sb_puts(b, ",,"); /* utilization: Bedrock's */
        render_csv_num(b, (double)r->minutes_over);
        render_csv_num(b, minutes > 0 ? 100 * (double)r->minutes_over / minutes : NAN);
        sb_puts(b, ",");
        report_csv_word(b, "whole");
        render_csv_num(b, r->total_usd);
        sb_puts(b, ",,"); /* unused commitment, routed tiers: Bedrock's */
        report_csv_word(b, tp_pricing_provider_name(m->price.provider));
        render_csv_num(b, (double)r->units);
        report_csv_word(b, tp_pricing_unit_term_name((tp_unit_term)t));
        if (r->pools) /* two prices, one a pool: neither is the plan's (the text shows "-") */
            sb_puts(b, ",");
        else
            render_csv_num(b, r->per_unit_hour_usd);
        render_csv_num(b, 100 * r->served_share);
        place_csv(b, m->region, m->account);
        /* two pools: `units` is the input pool's, the output pool's last (appended after
         * region and account so that readers of the older columns keep working) */
        if (r->pools)
            render_csv_num(b, (double)r->output_units);
        else
            sb_puts(b, ",");
        sb_puts(b, "\n");
    }
}

static tp_status fleet_csv(const tp_fleet *f, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, csv_header);
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        if (m->status != TP_FLEET_OK) {
            csv_empty(&b, m, "no_data", "whole");
            continue;
        }
        if (m->in_units) {
            csv_units(&b, f, m);
            if (m->windows_error != NULL)
                csv_empty(&b, m, "windows_failed",
                          f->options.has_train_until ? "backtest" : "seasonal");
            continue;
        }
        csv_row r = {&b, f, m};
        const int64_t from = tp_series_from_minute(m->stats->series);
        const tp_window whole = {from, from + (int64_t)tp_series_minutes(m->stats->series)};
        for (size_t k = 0; k < m->rec.n_candidates; k++)
            csv_candidate(&r, "whole", &whole, &m->rec.candidates[k],
                          tp_recommend_basis_name(m->rec.candidates[k].basis),
                          k == m->rec.recommended, 0);
        if (m->has_held)
            csv_candidate(&r, "whole", &whole, &m->held, "held", 0, 0);
        report_fleet_plan_rows(m, csv_plan_row, &r);
        if (m->windows_error != NULL)
            csv_empty(&b, m, "windows_failed",
                      f->options.has_train_until ? "backtest" : "seasonal");
    }
    for (size_t g = 0; g < f->n_groups; g++)
        csv_total(&b, "group_total", "", f->groups[g].region, f->groups[g].account,
                  &f->groups[g].totals);
    for (size_t k = 0; k < f->n_providers; k++)
        csv_total(&b, "provider_total", tp_pricing_provider_name(f->providers[k].provider), "",
                  "", &f->providers[k].totals);
    csv_total(&b, "fleet_total", "", "", "", &f->totals);
    return sb_finish(&b, out, err);
}

/* Every figure finite (NAN only where it means undefined), before any format renders. */
static tp_status fleet_check(const tp_fleet *f, tp_error *err)
{
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        if (m->status != TP_FLEET_OK)
            continue;
        if (m->in_units) {
            const tp_status rc = report_fleet_units_check(m, err);
            if (rc != TP_OK)
                return rc;
            continue;
        }
        tp_status rc = report_check_rec(&m->rec, err);
        if (rc == TP_OK)
            rc = report_fleet_windows_check(m, err);
        if (rc == TP_OK && m->has_held)
            rc = report_check_candidate(&m->held, "held reservation", err);
        if (rc == TP_OK)
            rc = report_check_summary(&m->stats->effective_input, m->model, "effective_input",
                                      err);
        if (rc != TP_OK)
            return rc;
    }
    const tp_fleet_totals *t = &f->totals;
    const double v[] = {t->reserved_per_hour_usd, t->spill_per_hour_usd, t->total_per_hour_usd,
                        t->on_demand_per_hour_usd, t->total_per_term_usd,
                        t->reserved_per_term_usd, t->spill_per_term_usd,
                        t->on_demand_per_term_usd, t->held_total_per_hour_usd};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if (!isfinite(v[k]))
            return tp_error_set(err, TP_ERR_INVALID, "a figure is not finite (fleet total = %g)",
                                v[k]);
    return TP_OK;
}

tp_status tp_report_fleet(const tp_fleet *f, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = fleet_check(f, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_TEXT: return report_fleet_text(f, out, err);
    case TP_FORMAT_JSON: return fleet_json_render(f, out, err);
    case TP_FORMAT_CSV: return fleet_csv(f, out, err);
    case TP_FORMAT_MARKDOWN: return report_fleet_markdown(f, out, err);
    case TP_FORMAT_HTML: return report_fleet_html(f, out, err);
    }
    return report_unknown_format(fmt, err);
}
