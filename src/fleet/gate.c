/* gate.c - the checks of `tierplan check`: every threshold turned on, per model and for the
 * fleet, each with its value and verdict (rendered by gate_render.c). */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/gate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"
#include "tierplan/timestamp.h"

const char *tp_gate_verdict_name(tp_verdict v)
{
    return v == TP_VERDICT_PASS ? "pass" : v == TP_VERDICT_FAIL ? "fail" : "n/a";
}

/* A gate under construction; errors are sticky (checked once at the end). */
typedef struct builder {
    tp_gate *g;
    int failed; /* out of memory */
    const char *region, *account; /* the place of the model being checked */
    /* the routed tiers of the plan its next checks are of (has_routed: a sized model) */
    tp_route_set routed;
    int has_routed;
} builder;

/* What plan c routes to its reservation: nothing when it reserves nothing. */
static tp_route_set routed_of(const tp_candidate *c)
{
    return c->input_tpm > 0 || c->output_tpm > 0 ? c->routed_tiers : 0;
}

/* What a check is: key, label, unit. */
typedef struct check_def {
    const char *what, *label, *unit;
} check_def;

static const check_def MODEL_COST = {"model_monthly_cost_usd", "cost per month",
                                     "usd_per_month"};
static const check_def FLEET_COST = {"fleet_monthly_cost_usd", "fleet cost per month",
                                     "usd_per_month"};
static const check_def UTIL_IN = {"held_utilization_input_pct", "held input utilization",
                                  "pct"};
static const check_def UTIL_OUT = {"held_utilization_output_pct", "held output utilization",
                                   "pct"};
static const check_def UTIL_NONE = {"held_utilization_pct", "held utilization", "pct"};
static const check_def SPILL = {"spill_minutes_pct", "spill minutes", "pct"};
static const check_def HELD_OVERFLOW = {"held_overflow_minutes_pct", "held overflow minutes",
                                        "pct"};
static const check_def SAVINGS_VS_HELD = {"savings_vs_held_pct",
                                          "recommended saves vs held", "pct"};
static const check_def THROTTLED = {"throttled_minutes", "throttled minutes", "minutes"};
static const check_def CHANGE_IN = {"change_input_tpm_pct", "change of recommended input TPM",
                                    "pct"};
static const check_def CHANGE_OUT = {"change_output_tpm_pct",
                                     "change of recommended output TPM", "pct"};
static const check_def CHANGE_COST = {"change_monthly_cost_pct", "change of cost per month",
                                      "pct"};
static const check_def COST_CHANGE = {"change_cost_pct", "change of cost per month",
                                      "pct"};
static const check_def CHANGE_ANY = {"change_pct", "change from the baseline", "pct"};
static const check_def CHANGE_UNITS = {"change_units_pct", "change of recommended units",
                                      "pct"};
static const check_def COVERAGE = {"coverage_pct", "coverage", "pct"};
static const check_def STALE = {"stale_hours", "hours since the newest data", "hours"};

/* v at the precision a check of this unit prints at most (gate_render.c widens % and hours to
 * 3 decimals to tell two figures apart; dollars print cents, minutes whole): a gate compares
 * what it prints, so a value equal to its threshold as printed holds. 20,000 -> 31,000 TPM is
 * +55.00000000000001 % in doubles: at 3 decimals 55.000, not above a limit of 55. */
static double at_print(const check_def *d, double v)
{
    const double scale = strcmp(d->unit, "usd_per_month") == 0 ? 100
                         : strcmp(d->unit, "minutes") == 0    ? 1
                                                              : 1000;
    if (!isfinite(v) || fabs(v) * scale > 1e15)
        return v; /* beyond what rounding to the scale can change */
    return round(v * scale) / scale;
}

/* Appends a check; its verdict follows from value and threshold, both at the precision they
 * print (at_print), unless verdict >= 0 forces one. note is printf-style. */
static tp_gate_check *add(builder *b, const char *model, const check_def *d, double value,
                          double threshold, int fails_below, int verdict, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 8, 9)))
#endif
    ;

static tp_gate_check *add(builder *b, const char *model, const check_def *d, double value,
                          double threshold, int fails_below, int verdict, const char *fmt, ...)
{
    tp_gate *g = b->g;
    tp_gate_check *v = realloc(g->checks, (g->n + 1) * sizeof *v);
    va_list ap;
    if (v == NULL) {
        b->failed = 1;
        return NULL;
    }
    g->checks = v;
    tp_gate_check *c = &v[g->n];
    memset(c, 0, sizeof *c);
    if (model != NULL && (c->model = strdup(model)) == NULL) {
        b->failed = 1;
        return NULL;
    }
    if (model != NULL) {
        c->region = b->region != NULL ? b->region : "";
        c->account = b->account != NULL ? b->account : "";
        c->routed_tiers = b->routed;
        c->has_routed_tiers = b->has_routed;
    }
    g->n++;
    c->what = d->what;
    c->label = d->label;
    c->unit = d->unit;
    c->value = value;
    c->threshold = threshold;
    c->fails_below = fails_below;
    if (verdict >= 0)
        c->verdict = (tp_verdict)verdict;
    else {
        const double pv = at_print(d, value), pt = at_print(d, threshold);
        c->verdict = (fails_below ? pv < pt : pv > pt) ? TP_VERDICT_FAIL : TP_VERDICT_PASS;
    }
    g->n_failed += c->verdict == TP_VERDICT_FAIL;
    va_start(ap, fmt);
    vsnprintf(c->note, sizeof c->note, fmt, ap);
    va_end(ap);
    return c;
}

static void add_note(builder *b, const char *text)
{
    tp_gate *g = b->g;
    char **v = realloc(g->notes, (g->n_notes + 1) * sizeof *v);
    if (v == NULL || (v[g->n_notes] = strdup(text)) == NULL) {
        if (v != NULL)
            g->notes = v;
        b->failed = 1;
        return;
    }
    g->notes = v;
    g->n_notes++;
}

/* A model without a held reservation: n/a, saying how to give one. */
static void no_held(builder *b, const tp_fleet_model *m, const tp_gate_options *o,
                    const check_def *d, double t, int fails_below)
{
    add(b, m->model, d, NAN, t, fails_below, TP_VERDICT_NA, "no held reservation (%s)",
        o->held_hint != NULL ? o->held_hint : "the plan file's reserve_*_tpm");
}

/* Utilization of the held reservation: as its metrics show it where traffic asked for
 * reserved (what the reservation served, observed.c), else as simulated at the held size. */
static void check_held(builder *b, const tp_fleet_model *m, const tp_gate_options *o)
{
    const tp_candidate *h = &m->held;
    const double t = o->utilization_below_pct;
    char num[NUMFMT_BUF];
    if (!m->has_held) {
        no_held(b, m, o, &UTIL_NONE, t, 1);
        return;
    }
    const int obs = m->has_observed;
    const char *how = obs ? "observed in the metrics" : "simulated";
    const double ui = obs ? m->observed.utilization_input : h->sim.utilization_input;
    const double uo = obs ? m->observed.utilization_output : h->sim.utilization_output;
    /* a dimension that reserves nothing has no utilization to fall short */
    if (h->input_tpm > 0) {
        numfmt_fixed(num, h->input_tpm, 0);
        add(b, m->model, &UTIL_IN, 100 * ui, t, 1, -1, "held %s input TPM, %s", num, how);
    }
    if (h->output_tpm > 0) {
        numfmt_fixed(num, h->output_tpm, 0);
        add(b, m->model, &UTIL_OUT, 100 * uo, t, 1, -1, "held %s output TPM, %s", num, how);
    }
}

/* The share of minutes the held reservation overflowed: observed where the metrics show it
 * (traffic asked reserved, served default), else its simulated spill. */
static void check_held_overflow(builder *b, const tp_fleet_model *m, const tp_gate_options *o)
{
    const double t = o->held_overflow_minutes_pct_above;
    if (!m->has_held) {
        no_held(b, m, o, &HELD_OVERFLOW, t, 0);
        return;
    }
    if (m->has_observed)
        add(b, m->model, &HELD_OVERFLOW, m->observed.overflow_minutes_pct, t, 0, -1,
            "%zu of %zu minutes, observed in the metrics", m->observed.overflow_minutes,
            m->observed.minutes);
    else
        add(b, m->model, &HELD_OVERFLOW, m->held.sim.spill_minutes_pct, t, 0, -1, "%s",
            "held reservation, simulated");
}

/* What the recommended plan saves against the held one, in % of the held plan's cost:
 * (held - recommended) / held x 100 (docs/model.md, "Gates"). */
static void check_savings_vs_held(builder *b, const tp_fleet_model *m, const tp_candidate *r,
                                  const tp_gate_options *o)
{
    const double t = o->savings_vs_held_pct_above;
    char held[NUMFMT_BUF], rec[NUMFMT_BUF];
    if (!m->has_held) {
        no_held(b, m, o, &SAVINGS_VS_HELD, t, 0);
        return;
    }
    const double hc = m->held.cost_per_month_usd, rec_usd = r->cost_per_month_usd;
    numfmt_usd(held, hc);
    numfmt_usd(rec, rec_usd);
    if (!(hc > 0)) {
        add(b, m->model, &SAVINGS_VS_HELD, NAN, t, 0, TP_VERDICT_NA,
            "the held plan costs %s per month: no share to save", held);
        return;
    }
    add(b, m->model, &SAVINGS_VS_HELD, (hc - rec_usd) / hc * 100, t, 0, -1,
        "held %s, recommended %s per month", held, rec);
}

/* One change check: |new - old| / old in % against the threshold; from 0 any change fails. */
static void check_change_one(builder *b, const char *model, const check_def *d, double old_v,
                             double new_v, double threshold, const double *flat)
{
    char o[NUMFMT_BUF + 8], n[NUMFMT_BUF + 8], num[NUMFMT_BUF];
    /* the figures compared, with their unit: dollars (the label says a month) or TPM */
    const int usd = d == &CHANGE_COST || d == &COST_CHANGE;
    (usd ? numfmt_usd : numfmt_count)(num, old_v);
    snprintf(o, sizeof o, "%s%s", num, usd ? "" : " TPM");
    (usd ? numfmt_usd : numfmt_count)(num, new_v);
    snprintf(n, sizeof n, "%s%s", num, usd ? "" : " TPM");
    if (old_v == 0) {
        add(b, model, d, new_v == 0 ? 0 : NAN, threshold, 0,
            new_v == 0 ? TP_VERDICT_PASS : TP_VERDICT_FAIL, "baseline %s, now %s%s", o, n,
            new_v == 0 ? "" : " (any change from 0 fails)");
        return;
    }
    const double pct = (new_v - old_v) / fabs(old_v) * 100;
    if (flat != NULL && new_v >= flat[0] && new_v <= flat[1] && new_v != old_v) {
        /* the cost curve is flat there: the size moved, what it costs did not */
        char lo[NUMFMT_BUF], hi[NUMFMT_BUF], p[NUMFMT_BUF];
        numfmt_count(lo, flat[0]);
        numfmt_count(hi, flat[1]);
        numfmt_fixed(p, pct, 1);
        add(b, model, d, 0, threshold, 0, TP_VERDICT_PASS,
            "baseline %s, now %s (%s%s%%): inside the baseline's flat region %s-%s TPM, no "
            "change", o, n, pct > 0 ? "+" : "", p, lo, hi);
        return;
    }
    /* either way: the magnitude against the limit, both as printed */
    add(b, model, d, pct, threshold, 0,
        at_print(d, fabs(pct)) > at_print(d, threshold) ? TP_VERDICT_FAIL : TP_VERDICT_PASS,
        "baseline %s, now %s", o, n);
}

/* The baseline's model to compare with, or NULL after an n/a check d saying why not. */
static const tp_snapshot_model *comparable(builder *b, const tp_snapshot *cur,
                                           const tp_snapshot_model *now, const check_def *d,
                                           double t, const tp_gate_options *o)
{
    const tp_snapshot_model *was =
        tp_snapshot_find_at(o->baseline, now->model, now->region, now->account);
    char why[256];
    if (was == NULL || !was->sized) {
        add(b, now->model, d, NAN, t, 0, TP_VERDICT_NA, "%s",
            was == NULL ? "not in the baseline" : "no data in the baseline");
        return NULL;
    }
    if (!tp_snapshot_comparable(o->baseline, was, cur, now, why, sizeof why)) {
        add(b, now->model, d, NAN, t, 0, TP_VERDICT_NA,
            "not compared: the baseline was made with %s", why);
        return NULL;
    }
    return was;
}

/* The size change (and the cost's, unless it has a gate of its own): a size inside the
 * baseline's flat region is no change. */
static void check_change(builder *b, const tp_snapshot *cur, size_t i, const tp_gate_options *o)
{
    const tp_snapshot_model *now = &cur->models[i];
    const double t = o->change_pct_above;
    const tp_snapshot_model *was = comparable(b, cur, now, &CHANGE_ANY, t, o);
    if (was == NULL)
        return;
    check_change_one(b, now->model, &CHANGE_IN, was->input_tpm, now->input_tpm, t,
                     was->has_flat ? was->flat_input_tpm : NULL);
    check_change_one(b, now->model, &CHANGE_OUT, was->output_tpm, now->output_tpm, t,
                     was->has_flat ? was->flat_output_tpm : NULL);
    if (!o->has_cost_change)
        check_change_one(b, now->model, &CHANGE_COST, was->cost_per_month_usd,
                         now->cost_per_month_usd, t, NULL);
}

/* The recommended plan's cost per month against the baseline's. */
static void check_cost_change(builder *b, const tp_snapshot *cur, size_t i,
                              const tp_gate_options *o)
{
    const tp_snapshot_model *now = &cur->models[i];
    const double t = o->cost_change_pct_above;
    const tp_snapshot_model *was = comparable(b, cur, now, &COST_CHANGE, t, o);
    if (was != NULL)
        check_change_one(b, now->model, &COST_CHANGE, was->cost_per_month_usd,
                         now->cost_per_month_usd, t, NULL);
}

/* A gate that means nothing for a model sold in units: n/a, saying why. */
static void units_na(builder *b, const tp_fleet_model *m, const check_def *d, double t,
                     int fails_below, const char *why)
{
    add(b, m->model, d, NAN, t, fails_below, TP_VERDICT_NA, "sold in units (%s): %s",
        tp_pricing_provider_name(m->price.provider), why);
}

/* The size change of a model sold in units: its units against the baseline's, when both
 * are in units on the same term (and the cost's, unless it has a gate of its own). */
static void check_change_units(builder *b, const tp_fleet_model *fm, const tp_snapshot *cur,
                               size_t i, const tp_gate_options *o)
{
    const tp_snapshot_model *now = &cur->models[i];
    const double t = o->change_pct_above;
    const tp_snapshot_model *was = comparable(b, cur, now, &CHANGE_ANY, t, o);
    if (was == NULL)
        return;
    if (strcmp(was->units_term, now->units_term) != 0)
        add(b, fm->model, &CHANGE_UNITS, NAN, t, 0, TP_VERDICT_NA,
            "not compared: the baseline recommended the %s term, now %s", was->units_term,
            now->units_term);
    else {
        /* |new - old| / old in %, as the TPM change; from 0 any change fails. Two pools: each
         * pool's count, the larger change decides (docs/model.md, "Two pools") */
        const int pools = !isnan(was->output_units) && !isnan(now->output_units);
        const double ov[2] = {was->units, pools ? was->output_units : 0};
        const double nv[2] = {now->units, pools ? now->output_units : 0};
        double pct = 0;
        int from_zero = 0;
        for (int k = 0; k < 1 + pools; k++) {
            if (ov[k] == 0)
                from_zero |= nv[k] != 0;
            else if (fabs((nv[k] - ov[k]) / ov[k] * 100) > fabs(pct))
                pct = (nv[k] - ov[k]) / ov[k] * 100;
        }
        char was_s[64], now_s[64];
        if (pools) {
            snprintf(was_s, sizeof was_s, "%.0f input + %.0f output units", ov[0], ov[1]);
            snprintf(now_s, sizeof now_s, "%.0f + %.0f", nv[0], nv[1]);
        } else {
            snprintf(was_s, sizeof was_s, "%.0f %s", ov[0], fm->price.unit.name);
            snprintf(now_s, sizeof now_s, "%.0f", nv[0]);
        }
        if (from_zero)
            add(b, fm->model, &CHANGE_UNITS, NAN, t, 0, TP_VERDICT_FAIL,
                "baseline %s, now %s (any change from 0 fails)", was_s, now_s);
        else
            add(b, fm->model, &CHANGE_UNITS, pct, t, 0,
                at_print(&CHANGE_UNITS, fabs(pct)) > at_print(&CHANGE_UNITS, t)
                    ? TP_VERDICT_FAIL
                    : TP_VERDICT_PASS,
                "baseline %s, now %s (%s)", was_s, now_s, now->units_term);
    }
    if (!o->has_cost_change)
        check_change_one(b, fm->model, &CHANGE_COST, was->cost_per_month_usd,
                         now->cost_per_month_usd, t, NULL);
}

/* The checks of a model sold in units (docs/model.md, "Gates"): cost, spill and throttling
 * of its recommended plan in units, its units and cost against the baseline, coverage; the
 * held reservation's checks do not apply (a held reservation is Bedrock TPM), said per
 * model. */
static void check_units(builder *b, const tp_fleet_model *m, const tp_snapshot *cur, size_t i,
                        const tp_gate_options *o)
{
    const tp_units_result *r = &m->units_rec;
    const int throttle = m->price.unit.throttle;
    char plan[128];
    if (r->pools)
        snprintf(plan, sizeof plan, "recommended plan in units: %lld input + %lld output units "
                 "on %s", (long long)r->units, (long long)r->output_units,
                 tp_pricing_unit_term_name(m->units_plan.recommended_term));
    else
        snprintf(plan, sizeof plan, "recommended plan in units: %lld %s on %s",
                 (long long)r->units, m->price.unit.name,
                 tp_pricing_unit_term_name(m->units_plan.recommended_term));
    b->has_routed = 0; /* tiers are routed to a Bedrock reservation only */
    b->routed = 0;
    if (o->has_model_cost)
        add(b, m->model, &MODEL_COST, m->rec_total_per_month_usd,
            o->model_monthly_cost_above_usd, 0, -1, "%s", plan);
    static const char held_why[] = "a held reservation is given in Bedrock TPM, not in units";
    if (o->has_utilization)
        units_na(b, m, &UTIL_NONE, o->utilization_below_pct, 1, held_why);
    if (o->has_held_overflow)
        units_na(b, m, &HELD_OVERFLOW, o->held_overflow_minutes_pct_above, 0, held_why);
    if (o->has_savings_vs_held)
        units_na(b, m, &SAVINGS_VS_HELD, o->savings_vs_held_pct_above, 0, held_why);
    const double minutes = r->hours * 60;
    const double over_pct = minutes > 0 ? 100 * (double)r->minutes_over / minutes : 0;
    if (o->has_spill)
        add(b, m->model, &SPILL, throttle ? 0 : over_pct, o->spill_minutes_pct_above, 0, -1,
            "%s%s", plan, throttle ? " (overflow is throttled, never spilled)" : "");
    if (o->has_throttled)
        add(b, m->model, &THROTTLED, throttle ? (double)r->minutes_over : 0,
            o->throttled_minutes_above, 0, -1, "%s%s", plan,
            throttle ? "" : " (overflow spills to on-demand, never throttled)");
    if (o->has_change)
        check_change_units(b, m, cur, i, o);
    if (o->has_cost_change)
        check_cost_change(b, cur, i, o);
}

static void check_stale(builder *b, const tp_fleet_model *m, const tp_gate_options *o)
{
    char at[TP_TIME_BUF];
    /* a place with too little data to size from still has its newest minute */
    const int64_t newest = m->newest_minute;
    if (newest < 0) {
        add(b, m->model, &STALE, NAN, o->stale_hours_above, 0, TP_VERDICT_FAIL, "%s",
            "no data in the window");
        return;
    }
    add(b, m->model, &STALE, (double)(o->now_minute - (newest + 1)) / 60, o->stale_hours_above, 0,
        -1, "newest data at %s", tp_timestamp_format(newest * 60, at));
}

static void check_coverage(builder *b, const tp_fleet_model *m, const tp_gate_options *o)
{
    if (!o->has_coverage)
        return;
    const double cov = m->coverage_pct;
    if (isnan(cov))
        add(b, m->model, &COVERAGE, NAN, o->coverage_below_pct, 1, TP_VERDICT_NA, "%s",
            "coverage unknown: data ingested without export spans");
    else
        add(b, m->model, &COVERAGE, cov, o->coverage_below_pct, 1, -1, "%s",
            "of the window inside exported spans");
}

static void check_model(builder *b, const tp_fleet *f, size_t i, const tp_snapshot *cur,
                        const tp_gate_options *o)
{
    const tp_fleet_model *m = &f->models[i];
    const int sized = m->status == TP_FLEET_OK;
    b->has_routed = sized;
    b->routed = sized ? routed_of(&m->rec.candidates[m->rec.recommended]) : 0;
    if (o->has_stale)
        check_stale(b, m, o);
    if (!sized)
        return; /* nothing sized: only its staleness can be told */
    if (m->in_units) {
        check_units(b, m, cur, i, o);
        check_coverage(b, m, o);
        return;
    }
    const tp_candidate *r = &m->rec.candidates[m->rec.recommended];
    /* spill and throttling of what runs: the held reservation where there is one */
    const tp_candidate *run = m->has_held ? &m->held : r;
    const char *which = m->has_held ? "held reservation" : "recommended reservation";
    if (o->has_model_cost)
        add(b, m->model, &MODEL_COST, r->cost_per_month_usd, o->model_monthly_cost_above_usd, 0,
            -1, "%s", "recommended reservation");
    /* the held reservation's checks are of the held plan's routing */
    b->has_routed = m->has_held; /* none held: no plan, null */
    b->routed = m->has_held ? routed_of(&m->held) : 0;
    if (o->has_utilization)
        check_held(b, m, o);
    if (o->has_held_overflow)
        check_held_overflow(b, m, o);
    b->has_routed = 1;
    b->routed = routed_of(r);
    if (o->has_savings_vs_held)
        check_savings_vs_held(b, m, r, o);
    b->routed = routed_of(run);
    if (o->has_spill)
        add(b, m->model, &SPILL, run->sim.spill_minutes_pct, o->spill_minutes_pct_above, 0, -1,
            "%s", which);
    if (o->has_throttled)
        add(b, m->model, &THROTTLED, (double)run->sim.throttled_minutes,
            o->throttled_minutes_above, 0, -1, "%s", which);
    b->routed = routed_of(r);
    if (o->has_change)
        check_change(b, cur, i, o);
    if (o->has_cost_change)
        check_cost_change(b, cur, i, o);
    check_coverage(b, m, o);
}

tp_status tp_gate_run(const tp_fleet *f, const tp_gate_options *o, tp_gate **out,
                      tp_error *err)
{
    builder b = {calloc(1, sizeof(tp_gate)), 0, NULL, NULL, 0, 0};
    tp_snapshot *cur = NULL;
    tp_status rc = TP_OK;
    *out = NULL;
    const int vs_baseline = o->has_change || o->has_cost_change;
    if (vs_baseline && o->baseline == NULL) {
        rc = tp_error_set(err, TP_ERR_USAGE, "the change checks need a baseline");
        goto cleanup;
    }
    if (b.g == NULL || (vs_baseline && tp_snapshot_from_fleet(f, &cur, err) != TP_OK)) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (vs_baseline && strcmp(o->baseline->pricing_sha256, cur->pricing_sha256) != 0)
        add_note(&b, "the baseline was made with another price catalog: changes are not "
                     "compared");
    if (o->has_fleet_cost)
        add(&b, NULL, &FLEET_COST, f->totals.total_per_month_usd,
            o->fleet_monthly_cost_above_usd, 0, -1, "%zu model%s with data, recommended",
            f->totals.n_ok, f->totals.n_ok == 1 ? "" : "s");
    for (size_t i = 0; i < f->n; i++) {
        b.region = f->models[i].region; /* each model's checks are of its place */
        b.account = f->models[i].account;
        check_model(&b, f, i, cur, o);
    }
    if (b.failed) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    *out = b.g;
    b.g = NULL;
cleanup:
    tp_snapshot_free(cur);
    tp_gate_free(b.g);
    return rc;
}

void tp_gate_free(tp_gate *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->n; i++)
        free(g->checks[i].model);
    for (size_t i = 0; i < g->n_notes; i++)
        free(g->notes[i]);
    free(g->checks);
    free(g->notes);
    free(g);
}
