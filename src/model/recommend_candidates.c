/* recommend_candidates.c - the candidates of a recommendation: their simulations (one by one
 * or several in one pass), the term's prices, "all Priority" and the sentence saying why one
 * is recommended (docs/model.md, "Recommendation"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/recommend_internal.h"

/* The simulation options of candidate `basis` at (ri, ro). */
static tp_sim_options candidate_options(const tp_rec_options *o, tp_basis basis, double ri,
                                        double ro)
{
    tp_sim_options so = {0};
    so.reserve_input_tpm = ri;
    so.reserve_output_tpm = ro;
    so.spill_model = o->spill_model;
    so.spill_to = o->spill_to;
    so.quota_tpm = o->quota_tpm;
    /* no reservation, all at on-demand Standard (Priority): under the same quota as every
     * other row, so that a zero reservation throttles here exactly as it would elsewhere */
    if (basis == TP_BASIS_ON_DEMAND || basis == TP_BASIS_ALL_PRIORITY)
        so.spill_to = basis == TP_BASIS_ALL_PRIORITY ? TP_SPILL_TO_PRIORITY
                                                     : TP_SPILL_TO_STANDARD;
    return so;
}

/* A candidate's rates from its simulation. */
static void candidate_costs(tp_candidate *c, const tp_model_price *p, int months)
{
    /* per billed hour (tp_pricing_rate_hours): x 730 is the monthly charge */
    const double hours = tp_pricing_rate_hours(p, c->sim.hours);
    c->cost_per_hour_usd = c->sim.total_usd / hours;
    c->cost_per_month_usd = c->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    c->cost_per_term_usd = c->cost_per_month_usd * months;
    c->savings_per_month_usd = c->sim.savings_usd / hours * TP_HOURS_PER_MONTH;
    c->reserved_per_hour_usd = c->sim.reserved_usd / hours;
    c->spill_per_hour_usd = c->sim.spill_usd / hours;
    c->on_demand_per_hour_usd = c->sim.baseline_usd / hours;
}

tp_status rec_simulate_candidate(const tp_demand *d, const tp_model_price *p,
                                 const tp_rec_options *o, tp_basis basis, double ri, double ro,
                                 int months, tp_candidate *c, tp_error *err)
{
    const tp_sim_options so = candidate_options(o, basis, ri, ro);
    memset(c, 0, sizeof *c);
    c->basis = basis;
    c->input_tpm = ri;
    c->output_tpm = ro;
    tp_status rc = tp_simulate_run(d, p, &so, &c->sim, err);
    if (rc != TP_OK)
        return rc;
    candidate_costs(c, p, months);
    return TP_OK;
}

tp_status rec_simulate_candidates(const tp_demand *d, const tp_model_price *p,
                                  const tp_rec_options *o, size_t n, const tp_basis *basis,
                                  const double *ri, const double *ro, int months,
                                  tp_candidate *c, tp_error *err)
{
    tp_sim_options so[SIM_MAX_LANES] = {{0}};
    tp_sim_result r[SIM_MAX_LANES];
    if (n > SIM_MAX_LANES)
        return tp_error_set(err, TP_ERR_USAGE, "more than %d candidates in one pass",
                            SIM_MAX_LANES);
    for (size_t k = 0; k < n; k++)
        so[k] = candidate_options(o, basis[k], ri[k], ro[k]);
    tp_status rc = sim_run_many(d, p, so, n, r, err);
    if (rc != TP_OK)
        return rc;
    for (size_t k = 0; k < n; k++) {
        memset(&c[k], 0, sizeof c[k]);
        c[k].basis = basis[k];
        c[k].input_tpm = ri[k];
        c[k].output_tpm = ro[k];
        c[k].sim = r[k];
        candidate_costs(&c[k], p, months);
    }
    return TP_OK;
}

tp_status rec_apply_term(const tp_model_price *in, int months, tp_model_price *out,
                         double *discount, tp_error *err)
{
    *out = *in;
    for (int k = 0; k < in->n_terms; k++)
        if (in->term_months[k] == months) {
            *discount = in->term_discount[k];
            out->reserved_input_per_1k_tpm_hour_usd *= *discount;
            out->reserved_output_per_1k_tpm_hour_usd *= *discount;
            return TP_OK;
        }
    /* name the terms the entry has and how to add one: the user's next step, not a guess */
    char terms[96] = "";
    size_t used = 0;
    for (int k = 0; k < in->n_terms && used < sizeof terms; k++)
        used += (size_t)snprintf(terms + used, sizeof terms - used, "%s%d", k ? ", " : "",
                                 in->term_months[k]);
    return tp_error_set(err, TP_ERR_INVALID,
                        "the price catalog entry \"%s\" has no %d-month term (it lists %s "
                        "month%s); to add one, give the entry's reserved_term_discount a \"%d\" "
                        "member with the term's price factor (docs/pricing.md)",
                        in->entry, months, terms, in->n_terms == 1 && in->term_months[0] == 1
                                                      ? "" : "s",
                        months);
}

/* "All Priority" is "no reservation" with every token billed at the priority multiplier:
 * the same simulation with the spill cost scaled (R = 0 spills everything; what the quota
 * throttles does not depend on the tier). */
void rec_derive_all_priority(const tp_candidate *od, const tp_model_price *p, int months,
                                tp_candidate *ap)
{
    const double ratio = p->tier_multiplier[TP_TIER_STANDARD] > 0
                             ? p->tier_multiplier[TP_TIER_PRIORITY] /
                                   p->tier_multiplier[TP_TIER_STANDARD]
                             : p->tier_multiplier[TP_TIER_PRIORITY];
    *ap = *od;
    ap->basis = TP_BASIS_ALL_PRIORITY;
    tp_sim_result *r = &ap->sim;
    r->spill_usd = od->sim.spill_usd * ratio;
    sim_totals(r);
    const double hours = tp_pricing_rate_hours(p, r->hours);
    ap->cost_per_hour_usd = r->total_usd / hours;
    ap->cost_per_month_usd = ap->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    ap->cost_per_term_usd = ap->cost_per_month_usd * months;
    ap->savings_per_month_usd = r->savings_usd / hours * TP_HOURS_PER_MONTH;
    ap->spill_per_hour_usd = r->spill_usd / hours; /* the rest is on-demand's, copied above */
}

/* Why the recommended candidate was chosen, in one sentence; never "cheapest" for a plan that
 * drops traffic without saying so. */
void rec_write_reason(tp_recommendation *out, const tp_rec_options *o, int slo,
                         size_t n, const tp_candidate *rec)
{
    char thr[160] = "";
    tp_error e; /* a sentence naming options' fields, renamed into the caller's terms */
    const double k_thr = rec_throttle_limit(o), k_spill = rec_spill_limit(o, n);
    if (rec->sim.throttled_minutes > 0) {
        tp_error_set_field(&e, TP_OK, NULL,
                           "; it throttles %zu minutes ({max_throttled_minutes} %.0f allows "
                           "it), and throttled tokens count as no saving",
                           rec->sim.throttled_minutes, k_thr);
        tp_error_rename(&e, o->field_name, o->field_name_ctx, thr, sizeof thr);
    } else if (rec_can_throttle(o))
        snprintf(thr, sizeof thr, "; nothing is throttled%s",
                 o->quota_tpm > 0 ? " by the quota" : "");
    if (slo && o->spill_to == TP_SPILL_TO_NONE && !o->has_max_spill_minutes_pct) {
        tp_error_set_field(&e, TP_OK, NULL,
                           "with {spill_to} none overflow is throttled, not billed: the "
                           "cheapest reservation with at most %.0f throttled minutes%s",
                           k_thr, thr);
        tp_error_rename(&e, o->field_name, o->field_name_ctx, out->reason, sizeof out->reason);
    } else if (slo && o->has_max_spill_minutes_pct)
        snprintf(out->reason, sizeof out->reason,
                 "the cheapest reservation on the grid with at most %.0f of %zu minutes "
                 "spilling%s",
                 k_spill, n, thr);
    else if (rec->input_tpm == 0 && rec->output_tpm == 0 && rec->sim.throttled_minutes == 0)
        snprintf(out->reason, sizeof out->reason,
                 "no reservation pays for itself at these prices: on-demand is cheapest%s", thr);
    else
        snprintf(out->reason, sizeof out->reason,
                 "the lowest total cost (reserved + spill) on the grid, %s spill to %s%s%s",
                 tp_simulate_spill_model_name(o->spill_model),
                 tp_simulate_spill_to_name(o->spill_to), o->quota_tpm > 0 ? " under the quota" : "",
                 thr);
}

int rec_hints_apply(const rec_hints *h, const tp_model_price *p)
{
    return h != NULL && h->burn_down_cache_read == p->burn_down_cache_read &&
           h->burn_down_cache_write == p->burn_down_cache_write;
}

