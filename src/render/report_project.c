/* report_project.c - a projection as JSON, tidy CSV, text (months as rows, 100 columns) and
 * markdown, and the dispatcher; the HTML page is report_project_html.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "render/place.h"
#include "render/report_internal.h"
#include "render/report_project.h"
#include "tierplan/report.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

const char report_project_reserved_note[] =
    "Reserved cost per calendar month is the fixed monthly charge (rate x 730 h, as billed); "
    "on-demand and spill use the month's real minutes (28 to 31 days).";
/* Two pools are bought by the day, not billed 730 h a month: said beside the note above,
 * which would otherwise read as their rule too (their section says it again). */
const char *report_project_pools_note(const tp_projection *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (report_project_is_pools(&p->models[i]))
            return "A model sold in two pools (openai-scale, xai) is bought by the day: its "
                   "units cost their price a unit-day x the month's days (28 to 31), not the "
                   "730 h rule, so its month differs from report's per-month figure (730 h).";
    return NULL;
}

const char report_project_quantile_note[] =
    "Each figure is its own quantile over the samples: a P10 cost is not P10 reserved plus "
    "P10 on-demand. Fleet quantiles come from the samples summed over models.";

static const tp_project_cell *cell_at(const tp_project_cell *cells, size_t m, int plan)
{
    return &cells[m * TP_PROJECT_PLAN_COUNT + (size_t)plan];
}

const tp_project_cell *report_project_cell(const tp_projection *p, size_t model, size_t m,
                                           int plan)
{
    return cell_at(model < p->n ? p->models[model].cells : p->fleet, m, plan);
}

const tp_project_cell *report_project_total(const tp_projection *p, size_t model, int plan)
{
    return model < p->n ? &p->models[model].totals[plan] : &p->fleet_totals[plan];
}

int report_project_total_days(const tp_projection *p)
{
    int d = 0;
    for (size_t m = 0; m < p->n_months; m++)
        d += p->months[m].days;
    return d;
}

void report_project_month(const tp_project_month *m, char buf[16])
{
    snprintf(buf, 16, "%04d-%02d", m->year % 10000, m->month % 100);
}

void report_project_row_label(const tp_projection *p, size_t m, char buf[64])
{
    char ym[16];
    if (m == p->n_months) {
        snprintf(buf, 64, "total");
        return;
    }
    report_project_month(&p->months[m], ym);
    if (p->months[m].observed_days > 0)
        snprintf(buf, 64, "%s (observed to %s-%02d)", ym, ym, p->months[m].observed_days % 100);
    else
        snprintf(buf, 64, "%s", ym);
}

void report_project_row(const tp_projection *p, size_t model, const tp_project_cell *c,
                        char v[REPORT_PROJECT_ROW_FIGURES][NUMFMT_BUF])
{
    for (int q = 0; q < TP_PROJECT_QUANTILES; q++)
        numfmt_usd(v[q], c->q[q].cost_usd);
    if (model < p->n && report_project_is_pools(&p->models[model])) {
        report_project_units_word(&p->models[model], c->units, v[3], NUMFMT_BUF);
        report_project_units_word(&p->models[model], c->output_units, v[4], NUMFMT_BUF);
    } else if (model < p->n && report_project_is_units(&p->models[model])) {
        report_project_units_word(&p->models[model], c->units, v[3], NUMFMT_BUF);
        snprintf(v[4], NUMFMT_BUF, "-");
    } else if (model < p->n) {
        numfmt_short(v[3], c->reserve_input_tpm);
        numfmt_short(v[4], c->reserve_output_tpm);
    } else {
        snprintf(v[3], NUMFMT_BUF, "-");
        snprintf(v[4], NUMFMT_BUF, "-");
    }
    numfmt_short(v[5], c->q[1].tokens);
    numfmt_short(v[6], c->q[1].reserved_tokens);
    numfmt_short(v[7], c->q[1].on_demand_tokens);
    numfmt_short(v[8], c->q[1].throttled_tokens);
}

void report_project_bootstrap_line(const tp_projection *p, char *buf, size_t size)
{
    snprintf(buf, size,
             "P10/P50/P90 over %zu samples (seed %lu): the projected days are blocks of two whole "
             "weeks of history (aligned on the weekday), scaled by growth; each sample draws its "
             "growth rate from N(rate, se^2) and today's level from its fit's standard error.",
             p->samples, p->seed);
}

void report_project_growth_line(const tp_project_model *m, char *buf, size_t size)
{
    const tp_growth *g = &m->growth;
    char r[NUMFMT_BUF], se[NUMFMT_BUF], f[NUMFMT_BUF], lv[NUMFMT_BUF];
    numfmt_pct(r, 100 * g->rate);
    numfmt_pct(se, 100 * g->se);
    numfmt_pct(f, 100 * g->rate_fitted);
    numfmt_pct(lv, 100 * g->level_se);
    if (g->form == TP_GROWTH_GIVEN)
        snprintf(buf, size,
                 "growth: given, %s per month (compounding), standard error %s; today's level "
                 "+/- %s (%zu days)",
                 r, se, lv, g->n_days);
    else
        snprintf(buf, size,
                 "growth: fitted %s, %s per month (fit %s shrunk by its uncertainty), standard "
                 "error %s (Newey-West); today's level +/- %s (%zu days with data; residual sum "
                 "of squares compound %.4g, linear %.4g tokens^2)",
                 tp_project_growth_form_name(g->form), r, f, se, lv, g->n_days,
                 g->rss_compound, g->rss_linear);
}

int report_project_growth_warning(const tp_project_model *m, char *buf, size_t size)
{
    const tp_growth *g = &m->growth;
    char r[NUMFMT_BUF], se[NUMFMT_BUF];
    if (g->form == TP_GROWTH_GIVEN || g->warn == 0)
        return 0;
    numfmt_pct(r, 100 * g->rate_fitted);
    numfmt_pct(se, 100 * g->se);
    snprintf(buf, size,
             "fitted growth %s a month, standard error %s, %s%s%s: weak evidence; give a rate "
             "with --growth-pct-per-month R (and --growth-sd-pct S), or growth_pct_per_month "
             "in the plan file",
             r, se, g->warn & TP_GROWTH_WARN_SHORT ? "from fewer than 28 days" : "",
             g->warn == (TP_GROWTH_WARN_SHORT | TP_GROWTH_WARN_STEEP) ? " and " : "",
             g->warn & TP_GROWTH_WARN_STEEP ? "beyond +/-20% a month" : "");
    return 1;
}

int report_project_observed_line(const tp_projection *p, char *buf, size_t size)
{
    char mon[16];
    if (p->n_months == 0 || p->months[0].observed_days == 0)
        return 0;
    report_project_month(&p->months[0], mon);
    snprintf(buf, size,
             "%s is the current month: its days to %s-%02d are observed where a model has whole "
             "days of history (as they were), its other days projected",
             mon, mon, p->months[0].observed_days);
    return 1;
}

int report_project_is_units(const tp_project_model *m)
{
    return m->price.provider != TP_PROVIDER_BEDROCK;
}

int report_project_is_pools(const tp_project_model *m)
{
    return report_project_is_units(m) && m->price.unit.pools;
}

void report_project_units_word(const tp_project_model *m, int64_t n, char *buf, size_t size)
{
    char c[32];
    report_count(c, sizeof c, (double)n);
    snprintf(buf, size, "%s %s", c, m->price.unit.name); /* letters and digits (the catalog) */
}

/* "1 month": the unit terms as people say them. */
const char *report_project_unit_term_label(tp_unit_term t)
{
    static const char *const label[TP_UNIT_TERM_COUNT] = {"hourly", "1 week", "1 month",
                                                          "3 months", "1 year"};
    return (unsigned)t < TP_UNIT_TERM_COUNT ? label[t] : "?";
}

int report_project_units_line(const tp_project_model *m, char *buf, size_t size)
{
    const tp_unit_price *u = &m->price.unit;
    char cap[64], w[4][32], price[40];
    if (!report_project_is_units(m))
        return 0;
    if (u->pools) { /* two pools: each pool's unit, price per day and the month's days */
        char cin[64], cout[64], pin[NUMFMT_BUF], pout[NUMFMT_BUF], wr[32], ww[32];
        report_fmt_tpm(cin, sizeof cin, u->input_pool.capacity_tpm_per_unit);
        report_fmt_tpm(cout, sizeof cout, u->output_pool.capacity_tpm_per_unit);
        numfmt_usd(pin, u->input_pool.per_unit_day_usd);
        numfmt_usd(pout, u->output_pool.per_unit_day_usd);
        locale_t prev = cnum_enter();
        snprintf(wr, sizeof wr, "%g", u->input_pool.cache_read_weight);
        snprintf(ww, sizeof ww, "%g", u->input_pool.cache_write_weight);
        cnum_restore(prev);
        snprintf(buf, size,
                 "units: sold in two pools (%s): an input %s = %s input TPM (cache read x%s, "
                 "cache write x%s) at %s a day, an output %s = %s output TPM at %s a day; the "
                 "recommended plan holds, in every sample, each pool's optimum in %ss on the "
                 "month's P50 projected path, resized each month and billed by the day (a "
                 "month its days; docs/model.md, \"Projection of two pools\"); each pool's "
                 "overflow %s",
                 tp_pricing_provider_name(m->price.provider), u->name, cin, wr, ww, pin, u->name,
                 cout, pout, u->name,
                 u->throttle ? "is throttled (429)" : "spills to on-demand Standard");
        return 1;
    }
    report_fmt_tpm(cap, sizeof cap, u->capacity_tpm_per_unit);
    locale_t prev = cnum_enter();
    snprintf(w[0], sizeof w[0], "%g", u->output_weight);
    snprintf(w[1], sizeof w[1], "%g", u->cache_read_weight);
    snprintf(w[2], sizeof w[2], "%g", u->cache_write_weight);
    snprintf(w[3], sizeof w[3], "%g", m->unit_burst_factor);
    snprintf(price, sizeof price, "%.4f", u->per_unit_hour_usd[m->unit_term]);
    cnum_restore(prev);
    char burst[64] = "";
    if (u->per_second)
        snprintf(burst, sizeof burst, "; demand x%s for the peak second", w[3]);
    const int monthly = m->unit_term >= TP_UNIT_1_MONTH;
    snprintf(buf, size,
             "units: sold in units (%s): 1 %s = %s weighted TPM (output x%s, cache read x%s, "
             "cache write x%s%s); the recommended plan holds the %s it sizes at each term start "
             "on the P50 projected path, on the %s term ($%s a unit-hour, billed %s: the term "
             "of least cost on the P50 path of the first month), in every sample; overflow %s",
             tp_pricing_provider_name(m->price.provider), u->name, cap, w[0], w[1], w[2], burst,
             u->name, report_project_unit_term_label(m->unit_term), price,
             monthly ? "730 h a month" : "the month's own hours",
             u->throttle ? "is throttled (429)" : "spills to on-demand Standard");
    return 1;
}

int report_project_beyond_line(const tp_projection *p, size_t model, char *buf, size_t size)
{
    const tp_project_model *m = &p->models[model];
    char usd[NUMFMT_BUF], ri[NUMFMT_BUF], ro[NUMFMT_BUF];
    if (m->beyond_months == 0)
        return 0;
    numfmt_usd(usd, m->beyond_reserved_usd);
    if (report_project_is_units(m)) {
        char units[80];
        report_project_units_word(m, m->beyond_units, units, sizeof units);
        snprintf(buf, size,
                 "committed beyond the horizon: the last term of the recommended plan runs %d "
                 "month%s past it, %s held, %s more (sized and priced on its whole term)",
                 m->beyond_months, m->beyond_months == 1 ? "" : "s", units, usd);
        return 1;
    }
    numfmt_short(ri, m->beyond_input_tpm);
    numfmt_short(ro, m->beyond_output_tpm);
    snprintf(buf, size,
             "committed beyond the horizon: the last term of the recommended plan runs %d month%s "
             "past it, %s / %s TPM reserved, %s more (sized and priced on its whole term)",
             m->beyond_months, m->beyond_months == 1 ? "" : "s", ri, ro, usd);
    return 1;
}

void report_project_history_line(const tp_project_model *m, char *buf, size_t size)
{
    char a[TP_TIME_BUF], b[TP_TIME_BUF], drop[160] = "";
    const size_t nd = m->days_dropped_partial + m->days_dropped_unknown;
    tp_timestamp_format(m->history_from_minute * 60, a);
    tp_timestamp_format((m->history_to_minute - 1) * 60, b); /* the last day, not the end */
    if (nd > 0)
        snprintf(drop, sizeof drop,
                 "; %zu day%s dropped (%zu partial, %zu with no datapoint and no export span)",
                 nd, nd == 1 ? "" : "s", m->days_dropped_partial, m->days_dropped_unknown);
    snprintf(buf, size, "history: %.10s .. %.10s, %zu whole UTC day%s used%s%s", a, b,
             m->history_days, m->history_days == 1 ? "" : "s", drop,
             m->weekly_shape_kept ? ", drawn by weekday"
                                  : "; fewer than 7 days (or a weekday missing): the weekly "
                                    "shape is not kept, days are drawn from every weekday");
}

int report_project_spread_line(const tp_project_model *m, char *buf, size_t size)
{
    if (m->single_day_weekdays == 0)
        return 0;
    snprintf(buf, size,
             "band: %s, so the day-to-day spread cannot be estimated; the P10 .. P90 band shows "
             "only the growth's uncertainty there (give more history for a wider, truer band)",
             m->weekly_shape_kept ? "some weekday has a single history day"
                                  : "there is a single history day");
    return 1;
}

/* The routed set of a cell as a list, "none (no reservation)" without a reservation. */
static void routes_of(const tp_project_cell *c, char *buf, size_t size)
{
    if (c->reserve_input_tpm == 0 && c->reserve_output_tpm == 0)
        snprintf(buf, size, "none (no reservation)");
    else
        tp_simulate_route_format(c->routed_tiers, buf, size);
}

void report_project_routes_line(const tp_projection *p, size_t model, char *buf, size_t size)
{
    size_t at = 0;
    char r[64], prev[64] = "";
    at += (size_t)snprintf(buf, size, "routed tiers: recommended");
    for (size_t mo = 0; mo < p->n_months && at < size; mo++) {
        const tp_project_cell *c = report_project_cell(p, model, mo, TP_PROJECT_RECOMMENDED);
        routes_of(c, r, sizeof r);
        if (mo > 0 && strcmp(r, prev) == 0)
            continue;
        char mon[16];
        report_project_month(&p->months[mo], mon);
        at += (size_t)snprintf(buf + at, size - at, mo == 0 ? " %s" : "; from %s: %s",
                               mo == 0 ? r : mon, r);
        snprintf(prev, sizeof prev, "%s", r);
    }
    const tp_project_cell *h = report_project_cell(p, model, 0, TP_PROJECT_HELD);
    if (h->has && at < size) {
        routes_of(h, r, sizeof r);
        snprintf(buf + at, size - at, "; held %s", r);
    }
}

int report_project_offer_line(const tp_project_model *m, char *buf, size_t size)
{
    const tp_model_price *p = &m->price;
    if (m->offered)
        return 0;
    const int src = p->reserved_offered_source[0] || p->reserved_offered_as_of[0];
    snprintf(buf, size, "Reserved tier not offered for %s%s%s%s%s%s%s", m->model,
             src ? " (" : "", p->reserved_offered_source,
             p->reserved_offered_source[0] && p->reserved_offered_as_of[0] ? ", " : "",
             p->reserved_offered_as_of[0] ? "as of " : "", p->reserved_offered_as_of,
             src ? ")" : "");
    if (m->assumed_offered) {
        const size_t n = strlen(buf);
        snprintf(buf + n, size - n, "; ASSUMED OFFERED (--assume-offered): explored anyway");
    }
    return 1;
}

/* ---- checks ---- */

static tp_status check_cells(const tp_projection *p, size_t model, const char *who,
                             tp_error *err)
{
    for (size_t m = 0; m < p->n_months; m++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            const tp_project_cell *c = report_project_cell(p, model, m, pl);
            if (!c->has)
                continue;
            const double *v = (const double *)c->q;
            for (size_t k = 0; k < sizeof(c->q) / (sizeof(double)); k++)
                if (!isfinite(v[k]))
                    return tp_error_set(err, TP_ERR_INVALID,
                                        "a figure is not finite (%s, %s, month %zu = %g)", who,
                                        tp_project_plan_name((tp_project_plan)pl), m, v[k]);
        }
    return TP_OK;
}

static tp_status project_check(const tp_projection *p, tp_error *err)
{
    tp_status rc = TP_OK;
    for (size_t i = 0; i < p->n && rc == TP_OK; i++) {
        const tp_growth *g = &p->models[i].growth;
        if (!isfinite(g->rate) || !isfinite(g->se))
            return tp_error_set(err, TP_ERR_INVALID, "a figure is not finite (%s, growth)",
                                p->models[i].model);
        rc = check_cells(p, i, p->models[i].model, err);
    }
    for (size_t i = 0; i <= p->n && rc == TP_OK; i++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            const tp_project_cell *c = report_project_total(p, i, pl);
            const double *v = (const double *)c->q;
            for (size_t k = 0; c->has && k < sizeof(c->q) / (sizeof(double)); k++)
                if (!isfinite(v[k]))
                    return tp_error_set(err, TP_ERR_INVALID,
                                        "a figure is not finite (%s, %s, total)",
                                        i < p->n ? p->models[i].model : "fleet",
                                        tp_project_plan_name((tp_project_plan)pl));
        }
    return rc == TP_OK ? check_cells(p, p->n, "fleet", err) : rc;
}

/* ---- JSON ---- */

static void json_figs(cJSON *o, const char *name, const tp_project_figures *f)
{
    cJSON *q = cJSON_AddObjectToObject(o, name);
    cJSON_AddNumberToObject(q, "cost_usd", f->cost_usd);
    cJSON_AddNumberToObject(q, "reserved_usd", f->reserved_usd);
    cJSON_AddNumberToObject(q, "on_demand_usd", f->on_demand_usd);
    cJSON_AddNumberToObject(q, "tokens", f->tokens);
    cJSON_AddNumberToObject(q, "reserved_tokens", f->reserved_tokens);
    cJSON_AddNumberToObject(q, "on_demand_tokens", f->on_demand_tokens);
    cJSON_AddNumberToObject(q, "throttled_tokens", f->throttled_tokens);
}

static void json_plans(cJSON *o, const tp_projection *p, size_t model)
{
    cJSON *plans = cJSON_AddObjectToObject(o, "plans");
    for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
        if (!report_project_cell(p, model, 0, pl)->has) {
            cJSON_AddNullToObject(plans, tp_project_plan_name((tp_project_plan)pl));
            continue;
        }
        cJSON *arr = cJSON_AddArrayToObject(plans, tp_project_plan_name((tp_project_plan)pl));
        for (size_t m = 0; m < p->n_months; m++) {
            const tp_project_cell *c = report_project_cell(p, model, m, pl);
            cJSON *row = cJSON_CreateObject();
            char mon[16];
            row = report_json_push(arr, row);
            report_project_month(&p->months[m], mon);
            cJSON_AddStringToObject(row, "month", mon);
            if (model < p->n) {
                cJSON_AddNumberToObject(row, "reserve_input_tpm", c->reserve_input_tpm);
                cJSON_AddNumberToObject(row, "reserve_output_tpm", c->reserve_output_tpm);
                if (report_project_is_units(&p->models[model]))
                    cJSON_AddNumberToObject(row, "units", (double)c->units);
                if (report_project_is_pools(&p->models[model])) /* units: the input units */
                    cJSON_AddNumberToObject(row, "output_units", (double)c->output_units);
                cJSON_AddBoolToObject(row, "term_start", c->term_start);
                cJSON_AddBoolToObject(row, "term_end", c->term_end);
                report_json_routed(row, c->reserve_input_tpm > 0 || c->reserve_output_tpm > 0
                                            ? c->routed_tiers
                                            : 0);
            }
            for (int q = 0; q < TP_PROJECT_QUANTILES; q++)
                json_figs(row, tp_project_quantile_name(q), &c->q[q]);
        }
    }
    /* over the horizon: the quantiles of each sample's sum over the months */
    cJSON *tot = cJSON_AddObjectToObject(o, "totals");
    for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
        const tp_project_cell *c = report_project_total(p, model, pl);
        if (!c->has) {
            cJSON_AddNullToObject(tot, tp_project_plan_name((tp_project_plan)pl));
            continue;
        }
        cJSON *row = cJSON_AddObjectToObject(tot, tp_project_plan_name((tp_project_plan)pl));
        cJSON_AddNumberToObject(row, "months", (double)p->n_months);
        cJSON_AddNumberToObject(row, "days", report_project_total_days(p));
        for (int q = 0; q < TP_PROJECT_QUANTILES; q++)
            json_figs(row, tp_project_quantile_name(q), &c->q[q]);
    }
}

static cJSON *json_model(const tp_projection *p, size_t i)
{
    const tp_project_model *m = &p->models[i];
    const tp_growth *g = &m->growth;
    cJSON *o = cJSON_CreateObject(), *h, *gr;
    char a[TP_TIME_BUF];
    cJSON_AddStringToObject(o, "model", m->model);
    place_json(o, m->region, m->account); /* each place of a model is its own entry */
    h = cJSON_AddObjectToObject(o, "history");
    cJSON_AddStringToObject(h, "from", tp_timestamp_format(m->history_from_minute * 60, a));
    cJSON_AddStringToObject(h, "to", tp_timestamp_format(m->history_to_minute * 60, a));
    cJSON_AddNumberToObject(h, "days", (double)m->history_days);
    cJSON_AddNumberToObject(h, "days_dropped_partial", (double)m->days_dropped_partial);
    cJSON_AddNumberToObject(h, "days_dropped_unknown", (double)m->days_dropped_unknown);
    cJSON_AddBoolToObject(h, "weekly_shape_kept", m->weekly_shape_kept);
    cJSON_AddNumberToObject(h, "single_day_weekdays", m->single_day_weekdays);
    cJSON_AddBoolToObject(h, "spread_estimated", m->single_day_weekdays == 0);
    gr = cJSON_AddObjectToObject(o, "growth");
    cJSON_AddStringToObject(gr, "source", g->form == TP_GROWTH_GIVEN ? "given" : "fitted");
    cJSON_AddStringToObject(gr, "form", tp_project_growth_form_name(g->form));
    cJSON_AddNumberToObject(gr, "rate_pct_per_month", 100 * g->rate);
    cJSON_AddNumberToObject(gr, "fitted_pct_per_month", 100 * g->rate_fitted);
    cJSON_AddNumberToObject(gr, "se_pct_per_month", 100 * g->se);
    cJSON_AddNumberToObject(gr, "level_se_pct", 100 * g->level_se);
    cJSON_AddNumberToObject(gr, "level_rate_corr", g->level_rate_corr);
    cJSON_AddNumberToObject(gr, "days", (double)g->n_days);
    char wl[512];
    if (report_project_growth_warning(m, wl, sizeof wl))
        cJSON_AddStringToObject(gr, "warning", wl);
    else
        cJSON_AddNullToObject(gr, "warning");
    report_json_num_or_null(gr, "rss_compound", g->rss_compound);
    report_json_num_or_null(gr, "rss_linear", g->rss_linear);
    cJSON_AddNumberToObject(o, "term_months", m->term_months);
    cJSON_AddNumberToObject(o, "term_discount", m->term_discount);
    if (report_project_is_units(m)) { /* a model sold in units: its unit and term */
        const tp_unit_price *u = &m->price.unit;
        cJSON_AddStringToObject(o, "provider", tp_pricing_provider_name(m->price.provider));
        cJSON *um = cJSON_AddObjectToObject(o, "unit");
        cJSON_AddStringToObject(um, "name", u->name);
        cJSON_AddNumberToObject(um, "capacity_tpm_per_unit", u->capacity_tpm_per_unit);
        cJSON_AddBoolToObject(um, "per_second", u->per_second);
        cJSON_AddNumberToObject(um, "output_weight", u->output_weight);
        cJSON_AddNumberToObject(um, "cache_read_weight", u->cache_read_weight);
        cJSON_AddNumberToObject(um, "cache_write_weight", u->cache_write_weight);
        cJSON_AddNumberToObject(um, "minimum_units", (double)u->minimum_units);
        cJSON_AddNumberToObject(um, "step_units", (double)u->step_units);
        cJSON_AddStringToObject(um, "overflow", u->throttle ? "throttle" : "spill");
        cJSON_AddStringToObject(um, "term", tp_pricing_unit_term_name(m->unit_term));
        cJSON_AddNumberToObject(um, "per_unit_hour_usd", u->per_unit_hour_usd[m->unit_term]);
        cJSON_AddNumberToObject(um, "burst_factor", m->unit_burst_factor);
        if (u->pools) { /* two pools: each pool's unit (the fields above: the input pool) */
            cJSON *pl = cJSON_AddObjectToObject(um, "pools");
            const tp_unit_pool *pp[2] = {&u->input_pool, &u->output_pool};
            for (int q = 0; pl != NULL && q < 2; q++) {
                cJSON *po = cJSON_AddObjectToObject(pl, q ? "output" : "input");
                if (po == NULL)
                    break;
                cJSON_AddNumberToObject(po, "capacity_tpm_per_unit", pp[q]->capacity_tpm_per_unit);
                cJSON_AddNumberToObject(po, "cache_read_weight", pp[q]->cache_read_weight);
                cJSON_AddNumberToObject(po, "cache_write_weight", pp[q]->cache_write_weight);
                cJSON_AddNumberToObject(po, "minimum_units", (double)pp[q]->minimum_units);
                cJSON_AddNumberToObject(po, "step_units", (double)pp[q]->step_units);
                cJSON_AddNumberToObject(po, "per_unit_day_usd", pp[q]->per_unit_day_usd);
            }
            cJSON_AddNumberToObject(um, "minimum_days", (double)u->minimum_days);
        }
    }
    cJSON_AddStringToObject(o, "pricing_entry", m->price.entry);
    cJSON *tp = cJSON_AddArrayToObject(o, "tiers_present");
    for (int k = 0; k < TP_SERVICE_COUNT; k++)
        if (m->present & TP_ROUTE_TIER(k))
            report_json_push(tp, cJSON_CreateString(tp_series_tier_name((tp_service_tier)k)));
    cJSON_AddBoolToObject(o, "reserved_offered", m->offered);
    cJSON_AddBoolToObject(o, "assumed_offered", m->assumed_offered);
    if (m->beyond_months > 0) {
        cJSON *bh = cJSON_AddObjectToObject(o, "committed_beyond_horizon");
        cJSON_AddNumberToObject(bh, "months", m->beyond_months);
        cJSON_AddNumberToObject(bh, "reserve_input_tpm", m->beyond_input_tpm);
        cJSON_AddNumberToObject(bh, "reserve_output_tpm", m->beyond_output_tpm);
        if (report_project_is_units(m))
            cJSON_AddNumberToObject(bh, "units", (double)m->beyond_units);
        cJSON_AddNumberToObject(bh, "reserved_usd", m->beyond_reserved_usd);
    } else {
        cJSON_AddNullToObject(o, "committed_beyond_horizon");
    }
    json_plans(o, p, i);
    return o;
}

/* The history window as given: {"from","to"} (null when not given), with a rolling window's
 * bounds as written and its "anchor" (a --now, or "last_whole_day": the end of each model's
 * last whole UTC day); each model's resolved window is its "history". */
static void window_json(cJSON *opt, const tp_projection *p)
{
    const tp_project_load *l = &p->load;
    char t[TP_TIME_BUF];
    cJSON *w = cJSON_AddObjectToObject(opt, "window");
    if (p->has_load && l->window != NULL && !l->has_from && !l->has_to) {
        const tp_window_spec *ws = l->window;
        report_json_window_bounds(w, ws);
        cJSON_AddStringToObject(w, "anchor",
                                ws->has_now ? tp_timestamp_format(ws->now_minute * 60, t)
                                            : "last_whole_day");
        return;
    }
    if (p->has_load && l->has_from)
        cJSON_AddStringToObject(w, "from", tp_timestamp_format(l->from_minute * 60, t));
    else
        cJSON_AddNullToObject(w, "from");
    if (p->has_load && l->has_to)
        cJSON_AddStringToObject(w, "to", tp_timestamp_format(l->to_minute * 60, t));
    else
        cJSON_AddNullToObject(w, "to");
}

/* Every option that shaped the figures, as report's options block does, so that unlike
 * outputs can be told apart: null where an option was not given. */
static void options_json(cJSON *root, const tp_projection *p)
{
    const tp_project_options *o = &p->options;
    char mon[16];
    cJSON *opt = cJSON_AddObjectToObject(root, "options");
    cJSON_AddNumberToObject(opt, "months", (double)p->n_months);
    if (o->has_start) {
        snprintf(mon, sizeof mon, "%04d-%02d", o->start_year % 10000, o->start_month % 100);
        cJSON_AddStringToObject(opt, "start", mon);
    } else {
        cJSON_AddNullToObject(opt, "start");
    }
    if (p->n_months > 0) {
        report_project_month(&p->months[0], mon);
        cJSON_AddStringToObject(opt, "first_month", mon);
    }
    window_json(opt, p);
    cJSON *tiers = cJSON_AddArrayToObject(opt, "tiers");
    for (size_t i = 0; p->has_load && i < p->load.n_tiers; i++)
        report_json_push(tiers, cJSON_CreateString(p->load.tiers[i]));
    cJSON_AddNumberToObject(opt, "samples", (double)p->samples);
    cJSON_AddNumberToObject(opt, "seed", (double)p->seed);
    cJSON *g = cJSON_AddObjectToObject(opt, "growth");
    cJSON_AddStringToObject(g, "source", o->has_growth ? "given" : "fitted");
    report_json_num_or_null(g, "pct_per_month", o->has_growth ? o->growth_pct_per_month : NAN);
    cJSON_AddNumberToObject(g, "sd_pct", o->has_growth_sd ? o->growth_sd_pct
                                                          : TP_GROWTH_DEFAULT_SD_PCT);
    cJSON_AddNumberToObject(opt, "term_months", tp_recommend_term_months(&o->rec));
    report_json_num_or_null(opt, "max_spill_minutes_pct",
                            o->rec.has_max_spill_minutes_pct ? o->rec.max_spill_minutes_pct : NAN);
    report_json_num_or_null(opt, "max_throttled_minutes",
                            o->rec.has_max_throttled_minutes ? (double)o->rec.max_throttled_minutes
                                                             : NAN);
    cJSON_AddStringToObject(opt, "spill_model", tp_simulate_spill_model_name(o->rec.spill_model));
    cJSON_AddStringToObject(opt, "spill_to", tp_simulate_spill_to_name(o->rec.spill_to));
    report_json_num_or_null(opt, "quota_tpm", o->rec.quota_tpm > 0 ? o->rec.quota_tpm : NAN);
    if (o->rec.route_tiers != 0)
        report_json_routed(opt, o->rec.route_tiers);
    else
        cJSON_AddNullToObject(opt, "routed_tiers");
    cJSON_AddBoolToObject(opt, "assume_offered", o->rec.assume_offered);
    if (o->has_held) {
        cJSON *h = cJSON_AddObjectToObject(opt, "held");
        cJSON_AddNumberToObject(h, "reserve_input_tpm", o->held_input_tpm);
        cJSON_AddNumberToObject(h, "reserve_output_tpm", o->held_output_tpm);
    } else {
        cJSON_AddNullToObject(opt, "held");
    }
    if (o->plan != NULL) {
        cJSON *pf = cJSON_AddObjectToObject(opt, "plan_file");
        if (o->plan_path != NULL) {
            cJSON_AddStringToObject(pf, "path", o->plan_path);
            cJSON_AddStringToObject(pf, "sha256", p->plan_sha256);
        }
    } else {
        cJSON_AddNullToObject(opt, "plan_file");
    }
}

static tp_status project_json(const tp_projection *p, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = cJSON_CreateObject(), *arr, *fl;
    char line[512];
    options_json(root, p);
    if (p->pricing != NULL) {
        cJSON *pr = cJSON_AddObjectToObject(root, "pricing");
        cJSON_AddStringToObject(pr, "source", tp_pricing_source(p->pricing));
        cJSON_AddStringToObject(pr, "sha256", tp_pricing_sha256(p->pricing));
    }
    arr = cJSON_AddArrayToObject(root, "notes");
    report_json_push(arr, cJSON_CreateString(report_project_reserved_note));
    if (report_project_pools_note(p) != NULL)
        report_json_push(arr, cJSON_CreateString(report_project_pools_note(p)));
    report_json_push(arr, cJSON_CreateString(report_project_quantile_note));
    report_project_bootstrap_line(p, line, sizeof line);
    report_json_push(arr, cJSON_CreateString(line));
    if (report_project_observed_line(p, line, sizeof line))
        report_json_push(arr, cJSON_CreateString(line));
    for (size_t i = 0; i < p->n; i++)
        if (report_project_offer_line(&p->models[i], line, sizeof line))
            report_json_push(arr, cJSON_CreateString(line));
    arr = cJSON_AddArrayToObject(root, "months");
    for (size_t m = 0; m < p->n_months; m++) {
        cJSON *mo = cJSON_CreateObject();
        char mon[16];
        report_project_month(&p->months[m], mon);
        cJSON_AddStringToObject(mo, "month", mon);
        cJSON_AddNumberToObject(mo, "days", p->months[m].days);
        cJSON_AddNumberToObject(mo, "observed_days", p->months[m].observed_days);
        report_json_push(arr, mo);
    }
    arr = cJSON_AddArrayToObject(root, "models");
    for (size_t i = 0; i < p->n; i++)
        report_json_push(arr, json_model(p, i));
    fl = cJSON_AddObjectToObject(root, "fleet");
    cJSON_AddNumberToObject(fl, "models", (double)p->n);
    cJSON_AddNumberToObject(fl, "held_models", (double)p->n_held);
    json_plans(fl, p, p->n);
    return report_print_json(root, out, err);
}

/* ---- CSV ---- */

/* One CSV row: a month's cell (mo < n_months) or the horizon's total (mo == n_months). */
static void csv_row(strbuf *b, const tp_projection *p, size_t model, size_t mo, int pl, int q,
                    const tp_project_cell *c)
{
    const tp_project_model *m = model < p->n ? &p->models[model] : NULL;
    const int total = mo == p->n_months;
    const tp_project_figures *f = &c->q[q];
    char mon[16];
    if (total)
        snprintf(mon, sizeof mon, "total");
    else
        report_project_month(&p->months[mo], mon);
    enc_csv(b, m != NULL ? "model" : "fleet");
    sb_puts(b, ",");
    enc_csv(b, m != NULL ? m->model : "");
    report_csv_word(b, mon);
    render_csv_num(b, total ? report_project_total_days(p) : p->months[mo].days);
    render_csv_num(b, total ? 0 : p->months[mo].observed_days);
    report_csv_word(b, tp_project_plan_name((tp_project_plan)pl));
    report_csv_word(b, tp_project_quantile_name(q));
    const double v[7] = {f->cost_usd, f->reserved_usd, f->on_demand_usd, f->tokens,
                         f->reserved_tokens, f->on_demand_tokens, f->throttled_tokens};
    for (int k = 0; k < 7; k++)
        render_csv_num(b, v[k]);
    /* a model sold in units reserves no TPM: empty (its units are in the other formats) */
    const int tpm = m != NULL && !total && !report_project_is_units(m);
    render_csv_num(b, tpm ? c->reserve_input_tpm : NAN);
    render_csv_num(b, tpm ? c->reserve_output_tpm : NAN);
    report_csv_word(b, c->term_end ? "true" : "false");
    char routes[64] = "";
    if (m != NULL && (c->reserve_input_tpm > 0 || c->reserve_output_tpm > 0))
        tp_simulate_route_format(c->routed_tiers, routes, sizeof routes);
    report_csv_word(b, routes);
    if (m == NULL) { /* the fleet has no growth of its own: empty fields */
        sb_puts(b, ",,");
    } else {
        report_csv_word(b, m->growth.form == TP_GROWTH_GIVEN ? "given" : "fitted");
        report_csv_word(b, tp_project_growth_form_name(m->growth.form));
    }
    render_csv_num(b, m != NULL ? 100 * m->growth.rate : NAN);
    render_csv_num(b, m != NULL ? 100 * m->growth.se : NAN);
    /* the last two columns, as every CSV; the fleet's empty */
    place_csv(b, m != NULL ? m->region : "", m != NULL ? m->account : "");
    sb_puts(b, "\n");
}

static void csv_rows(strbuf *b, const tp_projection *p, size_t model)
{
    for (size_t mo = 0; mo <= p->n_months; mo++)
        for (int pl = 0; pl < TP_PROJECT_PLAN_COUNT; pl++) {
            const tp_project_cell *c = mo < p->n_months ? report_project_cell(p, model, mo, pl)
                                                        : report_project_total(p, model, pl);
            if (!c->has)
                continue;
            for (int q = 0; q < TP_PROJECT_QUANTILES; q++)
                csv_row(b, p, model, mo, pl, q, c);
        }
}

static tp_status project_csv(const tp_projection *p, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, "scope,model,month,days,observed_days,plan,quantile,cost_usd,reserved_usd,on_demand_usd,tokens,"
                "reserved_tokens,on_demand_tokens,throttled_tokens,reserve_input_tpm,"
                "reserve_output_tpm,term_end,routed_tiers,growth_source,growth_form,growth_pct_per_month,"
                "growth_se_pct_per_month,region,account\n");
    for (size_t i = 0; i <= p->n; i++)
        csv_rows(&b, p, i);
    return sb_finish(&b, out, err);
}

tp_status tp_report_project(const tp_projection *p, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = project_check(p, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_TEXT: return report_project_text(p, 0, out, err);
    case TP_FORMAT_JSON: return project_json(p, out, err);
    case TP_FORMAT_CSV: return project_csv(p, out, err);
    case TP_FORMAT_MARKDOWN: return report_project_text(p, 1, out, err);
    case TP_FORMAT_HTML: return report_project_html(p, out, err);
    }
    return report_unknown_format(fmt, err);
}
