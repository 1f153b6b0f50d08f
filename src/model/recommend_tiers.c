/* recommend_tiers.c - sizing by service tier: which requested tiers to route to the
 * reservation and how large it is, the exact optimum over every routing subset
 * (docs/model.md, "Service tiers"). */
#include "tierplan/recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"
#include "model/simulate_tiers_internal.h"

#define PRI_BIT TP_ROUTE_TIER(TP_SERVICE_PRIORITY)
#define RES_BIT TP_ROUTE_TIER(TP_SERVICE_RESERVED)

/* The routed traffic of one subset, summed, and the quota its spill is left each minute. */
typedef struct routed {
    double *in, *out, *cr, *cw, *quota_at; /* owned; quota_at NULL without a quota */
    tp_demand d;
    double own_thr_minutes; /* minutes where the traffic not routed is over the quota alone */
} routed;

static void routed_free(routed *r)
{
    free(r->in);
    free(r->out);
    free(r->cr);
    free(r->cw);
    free(r->quota_at);
}

static tp_status routed_alloc(routed *r, size_t n, int quota, tp_error *err)
{
    const size_t m = n > 0 ? n : 1;
    memset(r, 0, sizeof *r);
    r->in = malloc(m * sizeof *r->in);
    r->out = malloc(m * sizeof *r->out);
    r->cr = malloc(m * sizeof *r->cr);
    r->cw = malloc(m * sizeof *r->cw);
    if (quota)
        r->quota_at = malloc(m * sizeof *r->quota_at);
    if (!r->in || !r->out || !r->cr || !r->cw || (quota && !r->quota_at))
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

static void routed_fill(routed *r, const tp_tier_demand *d, tp_route_set routed_set,
                        tp_route_set present, const tp_rec_options *o, double out_weight)
{
    tp_sim_options so = {0};
    so.quota_tpm = o->quota_tpm;
    so.spill_to = o->spill_to;
    r->own_thr_minutes = 0;
    for (size_t t = 0; t < d->minutes; t++) {
        double in = 0, out = 0, cr = 0, cw = 0;
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if (!(routed_set & present & TP_ROUTE_TIER(k)))
                continue;
            in += d->tier[k].input_tpm[t];
            out += d->tier[k].output_tpm[t];
            cr += d->tier[k].cache_read_tpm[t];
            cw += d->tier[k].cache_write_tpm[t];
        }
        r->in[t] = in;
        r->out[t] = out;
        r->cr[t] = cr;
        r->cw[t] = cw;
        if (r->quota_at != NULL) {
            double thr_u;
            const double u = sim_tiers_quota_use(d, routed_set, present, out_weight, t);
            const sim_quota q = sim_tiers_minute_quota(&so, out_weight, u, &thr_u);
            /* < 0: over the quota by itself; 0: nothing left; > 0: what is left */
            r->quota_at[t] = thr_u > 0 && u > 0 ? -1.0 : q.exhausted ? 0.0 : q.quota_tpm;
            r->own_thr_minutes += thr_u > 0 && u > 0;
        }
    }
    const tp_demand dd = {r->in, r->out, r->cr, r->cw, d->minutes, d->from_minute};
    r->d = dd;
}

/* A candidate's rates from its simulation (as recommend_candidates.c's). */
static void rates(tp_candidate *c, int months)
{
    const tp_sim_result *s = &c->sim;
    const double hours = s->hours > 0 ? s->hours : 1;
    c->cost_per_hour_usd = s->total_usd / hours;
    c->cost_per_month_usd = c->cost_per_hour_usd * TP_HOURS_PER_MONTH;
    c->cost_per_term_usd = c->cost_per_month_usd * months;
    c->savings_per_month_usd = s->savings_usd / hours * TP_HOURS_PER_MONTH;
    c->reserved_per_hour_usd = s->reserved_usd / hours;
    c->spill_per_hour_usd = (s->spill_usd + s->unrouted_usd) / hours;
    c->on_demand_per_hour_usd = s->baseline_usd / hours;
}

/* Candidate `basis` at (ri, ro) with `set` routed, simulated by tier at prices p (term
 * applied). No reservation and all Priority route nothing and everything respectively. */
static tp_status tier_candidate(const tp_tier_demand *d, const tp_model_price *p,
                                const tp_rec_options *o, tp_basis basis, double ri, double ro,
                                tp_route_set set, int months, tp_candidate *c, tp_error *err)
{
    tp_sim_options so = {0};
    tp_sim_tiers_result r;
    so.reserve_input_tpm = ri;
    so.reserve_output_tpm = ro;
    so.spill_model = o->spill_model;
    so.spill_to = o->spill_to;
    so.quota_tpm = o->quota_tpm;
    if (basis == TP_BASIS_ON_DEMAND) {
        so.spill_to = TP_SPILL_TO_STANDARD;
        set = 0;
    } else if (basis == TP_BASIS_ALL_PRIORITY) {
        so.spill_to = TP_SPILL_TO_PRIORITY; /* everything routed to nothing: all at Priority */
        set = TP_ROUTE_ALL;
    }
    memset(c, 0, sizeof *c);
    tp_status rc = tp_simulate_tiers_run(d, p, &so, set, &r, err);
    if (rc != TP_OK)
        return rc;
    c->basis = basis;
    c->input_tpm = ri;
    c->output_tpm = ro;
    c->sim = r.sim;
    c->routed_tiers = r.routed;
    memcpy(c->tier, r.tier, sizeof c->tier);
    rates(c, months);
    return TP_OK;
}

/* Whether plan c meets the service level: throttled minutes, and for a service-level pick the
 * spill minutes (no reservation counts every minute with traffic as spilling, as
 * tp_recommend_run's "no reservation" does). */
static int meets(const tp_candidate *c, const tp_rec_options *o, int slo, double spill_minutes)
{
    if ((double)c->sim.throttled_minutes > rec_throttle_limit(o))
        return 0;
    return !slo || spill_minutes <= rec_spill_limit(o, c->sim.minutes);
}

/* The search state across subsets. */
typedef struct tiers_run {
    const tp_tier_demand *d;
    const tp_model_price *price; /* the catalog's */
    tp_model_price p;            /* the term applied */
    const tp_rec_options *o;
    int months, slo;
    tp_route_set present;
    routed r;
    tp_candidate best; /* the cheapest reservation so far (with a service level: meeting it) */
    int have_best;
    /* with a service level, the cheapest reservation whatever its spill minutes (throttling
     * still bounded): the "optimal" candidate, as tp_recommend_run's */
    tp_candidate best_opt;
    int have_best_opt;
    tp_route_set best_set;
    tp_recommendation probe; /* the last subset's search (grid, break-even) */
} tiers_run;

/* a costs less than b beyond rounding (a tie keeps the subset found first) */
static int cheaper(const tp_candidate *a, const tp_candidate *b)
{
    return a->sim.total_usd < b->sim.total_usd - 1e-12 * fabs(b->sim.total_usd);
}

/* One subset: the exact search on its routed sum, then its point simulated by tier. */
static tp_status search_subset(tiers_run *x, tp_route_set set, tp_recommendation *out,
                               tp_error *err)
{
    const tp_rec_options *o = x->o;
    const tp_model_price *pr = x->price;
    double pts[4] = {0, 0, 0, 0};
    routed_fill(&x->r, x->d, set, x->present, o, pr->quota_output_weight);
    rec_batch b = {.one_pass = 1, .quota_at = x->r.quota_at, .thr_offset = x->r.own_thr_minutes,
                   .points = pts};
    /* the joint minimum (0 on both sides or at least the minimum on both): 0 is compared
     * apart as no reservation; with priority routed a zero input reservation only moves
     * Priority traffic to Standard, which is no reservation's business either */
    b.kmin.i = pr->reserved_minimum_input_tpm > 0 || (set & x->present & PRI_BIT) ? 1 : 0;
    b.kmin.o = pr->reserved_minimum_output_tpm > 0 ? 1 : 0;
    tp_error e;
    tp_status rc = rec_run_batch(&x->r.d, pr, o, &b, &x->probe, &e);
    if (rc == TP_ERR_INVALID && strstr(e.message, "service level") != NULL)
        return TP_OK; /* no size of this subset meets it */
    if (rc != TP_OK) {
        if (err != NULL)
            *err = e;
        return rc;
    }
    const double ri = x->slo ? pts[2] : pts[0], ro = x->slo ? pts[3] : pts[1];
    const int opt_apart = pts[0] != ri || pts[1] != ro; /* else the same point */
    if (x->slo && opt_apart && (pts[0] != 0 || pts[1] != 0)) {
        tp_candidate c_opt;
        rc = tier_candidate(x->d, &x->p, o, TP_BASIS_OPTIMAL, pts[0], pts[1], set, x->months,
                            &c_opt, err);
        if (rc != TP_OK)
            return rc;
        if (!x->have_best_opt || cheaper(&c_opt, &x->best_opt)) {
            x->best_opt = c_opt;
            x->have_best_opt = 1;
        }
    }
    if (ri == 0 && ro == 0)
        return TP_OK; /* no reservation: compared apart */
    tp_candidate c;
    rc = tier_candidate(x->d, &x->p, o, x->slo ? TP_BASIS_SLO : TP_BASIS_OPTIMAL, ri, ro, set,
                        x->months, &c, err);
    if (rc != TP_OK)
        return rc;
    if (out->n_routes < sizeof out->routes / sizeof out->routes[0]) {
        tp_route_option *ro_ = &out->routes[out->n_routes++];
        ro_->routed = c.routed_tiers;
        ro_->input_tpm = ri;
        ro_->output_tpm = ro;
        ro_->total_usd = c.sim.total_usd;
        ro_->savings_usd = c.sim.savings_usd;
    }
    if (x->slo && !opt_apart && (!x->have_best_opt || cheaper(&c, &x->best_opt))) {
        x->best_opt = c;
        x->have_best_opt = 1;
    }
    if (!x->have_best || cheaper(&c, &x->best)) {
        x->best = c;
        x->best_set = set;
        x->have_best = 1;
    }
    out->grid_input_points = x->probe.grid_input_points;
    out->grid_output_points = x->probe.grid_output_points;
    out->break_even_utilization_input = x->probe.break_even_utilization_input;
    out->break_even_utilization_output = x->probe.break_even_utilization_output;
    return TP_OK;
}

/* The percentile candidates of the chosen subset, simulated by tier; a percentile that
 * rounds to 0 on one side only is raised to that side's minimum (the joint rule). */
static tp_status percentiles(tiers_run *x, tp_recommendation *out, size_t *nc, tp_error *err)
{
    tp_recommendation one;
    routed_fill(&x->r, x->d, x->best_set, x->present, x->o, x->price->quota_output_weight);
    tp_rec_options plain = *x->o;
    /* only the percentiles are read: no service level, no quota needed for them */
    plain.has_max_spill_minutes_pct = plain.has_max_throttled_minutes = 0;
    plain.quota_tpm = 0;
    if (plain.spill_to == TP_SPILL_TO_NONE)
        plain.spill_to = TP_SPILL_TO_STANDARD;
    const rec_batch b = {.one_pass = 1};
    tp_status rc = rec_run_batch(&x->r.d, x->price, &plain, &b, &one, err);
    if (rc != TP_OK)
        return rc;
    const double min_i = x->p.reserved_minimum_input_tpm, min_o = x->p.reserved_minimum_output_tpm;
    for (size_t k = 0; k < 4; k++) {
        double ri = one.candidates[k].input_tpm, ro = one.candidates[k].output_tpm;
        if ((ri == 0) != (ro == 0) && (min_i > 0 || min_o > 0)) {
            ri = ri > min_i ? ri : min_i;
            ro = ro > min_o ? ro : min_o;
        }
        rc = tier_candidate(x->d, &x->p, x->o, one.candidates[k].basis, ri, ro, x->best_set,
                            x->months, &out->candidates[(*nc)++], err);
        if (rc != TP_OK)
            return rc;
    }
    return TP_OK;
}

/* Short on purpose: the text and JSON name the catalog's source and date beside it, and a
 * source quoted here was cut at the buffer's end. The entry's key (at most 255 bytes) and the
 * rest fit the 512-byte reason whole. */
static void not_offered_reason(tp_recommendation *out, const tp_rec_options *o,
                               const tp_model_price *p)
{
    tp_error e;
    tp_error_set_field(&e, TP_OK, NULL,
                       "the Reserved tier is not offered for this model (catalog entry \"%s\"): "
                       "no reservation; {assume_offered} explores one",
                       p->entry);
    tp_error_rename(&e, o->field_name, o->field_name_ctx, out->reason, sizeof out->reason);
}

tp_status tp_recommend_tiers_run(const tp_tier_demand *d, const tp_model_price *price,
                                 const tp_rec_options *o, tp_recommendation *out, tp_error *err)
{
    tiers_run x;
    tp_candidate nores, allp, all_spill;
    size_t nc = 0;
    memset(&x, 0, sizeof x);
    memset(out, 0, sizeof *out);
    x.d = d;
    x.price = price;
    x.o = o;
    x.slo = o->has_max_spill_minutes_pct || o->has_max_throttled_minutes ||
            o->spill_to == TP_SPILL_TO_NONE;
    out->tiered = 1;
    out->offered = price->reserved_offered;
    if (d->minutes == 0)
        return tp_error_set(err, TP_ERR_INVALID, "recommend: an empty window");
    tp_status rc = sim_tiers_check(d, price, &x.present, err);
    if (rc != TP_OK)
        return rc;
    out->present = x.present;
    const int has_reserved_prices = price->reserved_input_per_1k_tpm_hour_usd >= 0 &&
                                    price->reserved_output_per_1k_tpm_hour_usd >= 0;
    if (!price->reserved_offered && o->assume_offered && !has_reserved_prices)
        return tp_error_set_field(err, TP_ERR_USAGE, "assume_offered",
                                  "{assume_offered}: the catalog entry \"%s\" has no reserved "
                                  "prices to explore a reservation with (reserved_per_1k_tpm_hour)",
                                  price->entry);
    const int search = price->reserved_offered || o->assume_offered;
    out->assumed_offered = !price->reserved_offered && o->assume_offered;
    x.months = tp_recommend_term_months(o);
    double discount = 1;
    if (search || has_reserved_prices) {
        if (!has_reserved_prices)
            return tp_error_set(err, TP_ERR_INVALID,
                                "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                                price->entry);
        if ((rc = rec_apply_term(price, x.months, &x.p, &discount, err)) != TP_OK)
            return rc;
    } else {
        x.p = *price;
    }
    out->term_months = x.months;
    out->term_hours = x.months * TP_HOURS_PER_MONTH;
    out->term_discount = discount;
    out->break_even_utilization_input = out->break_even_utilization_output = NAN;
    /* no reservation, all Priority, and every minute with traffic as spilling (for the
     * service level's "no reservation") */
    if ((rc = tier_candidate(d, &x.p, o, TP_BASIS_ON_DEMAND, 0, 0, 0, x.months, &nores, err)) !=
            TP_OK ||
        (rc = tier_candidate(d, &x.p, o, TP_BASIS_ALL_PRIORITY, 0, 0, 0, x.months, &allp, err)) !=
            TP_OK ||
        (rc = tier_candidate(d, &x.p, o, TP_BASIS_OPTIMAL, 0, 0, TP_ROUTE_ALL, x.months,
                             &all_spill, err)) != TP_OK)
        return rc;
    if (!search) {
        out->candidates[nc++] = nores;
        out->candidates[nc++] = allp;
        out->recommended = 0;
        out->n_candidates = nc;
        not_offered_reason(out, o, price);
        return TP_OK;
    }
    if ((rc = routed_alloc(&x.r, d->minutes, o->quota_tpm > 0, err)) != TP_OK)
        goto cleanup;
    const tp_route_set free_tiers = x.present & ~RES_BIT;
    if (o->route_tiers != 0) {
        rc = search_subset(&x, o->route_tiers | RES_BIT, out, err);
    } else {
        /* every subset of the tiers with traffic (at most 2^3) */
        for (tp_route_set s = free_tiers;; s = (s - 1) & free_tiers) {
            if (((s | RES_BIT) & x.present) != 0 &&
                (rc = search_subset(&x, s | RES_BIT, out, err)) != TP_OK)
                goto cleanup;
            if (s == 0)
                break;
        }
    }
    if (rc != TP_OK)
        goto cleanup;
    const int nores_ok = meets(&nores, o, x.slo, (double)all_spill.sim.spill_minutes);
    if (!x.have_best && !nores_ok) {
        rc = tp_error_set(err, TP_ERR_INVALID,
                          "no reservation on the grid meets the service level");
        goto cleanup;
    }
    if (!x.have_best)
        x.best_set = o->route_tiers != 0 ? (o->route_tiers | RES_BIT)
                                         : (RES_BIT | TP_ROUTE_TIER(TP_SERVICE_DEFAULT));
    if ((rc = percentiles(&x, out, &nc, err)) != TP_OK)
        goto cleanup;
    /* no reservation wins unless a reservation is cheaper (ties: no reservation) */
    const int pick_nores =
        nores_ok && (!x.have_best || nores.sim.total_usd <= x.best.sim.total_usd);
    tp_candidate chosen = pick_nores ? nores : x.best;
    /* the optimum: with a service level, the cheapest whatever its spill minutes (the
     * throttling bound holds for every candidate) */
    tp_candidate optimum = chosen;
    if (x.slo) {
        const int nores_opt = meets(&nores, o, 0, 0);
        if (x.have_best_opt && (!nores_opt || cheaper(&x.best_opt, &nores)))
            optimum = x.best_opt;
        else if (nores_opt)
            optimum = nores;
    }
    optimum.basis = TP_BASIS_OPTIMAL;
    if (!x.slo)
        out->recommended = nc;
    out->candidates[nc++] = optimum;
    out->candidates[nc++] = nores;
    out->candidates[nc++] = allp;
    if (x.slo) {
        chosen.basis = TP_BASIS_SLO;
        out->recommended = nc;
        out->candidates[nc++] = chosen;
    }
    out->n_candidates = nc;
    rec_write_reason(out, o, x.slo, d->minutes, &out->candidates[out->recommended]);
cleanup:
    routed_free(&x.r);
    return rc;
}
