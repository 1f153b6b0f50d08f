/* test_tiers.c - service tiers: the tiered simulation (per-tier baseline, routing, the shared
 * quota) against hand-worked figures, and the routing search against brute force. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_batch.h"
#include "model/recommend_internal.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/simulate.h"

#include "test_fixtures.h"

void register_tests(void);

#define NEAR(a, b) CU_ASSERT(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))

static const char *catalog = TEST_TIERED_CATALOG; /* test_fixtures.h */

static tp_model_price price;

static int setup(void) { return test_price_of_m(catalog, &price); }

/* The issue's traffic, one hour, every minute alike: default 10,000 input + 1,000 output,
 * priority 5,000 + 500, flex 8,000 + 800 TPM. */
#define HOUR 60
static double d_in[HOUR], d_out[HOUR], p_in[HOUR], p_out[HOUR], f_in[HOUR], f_out[HOUR],
    zero[HOUR];

static tp_tier_demand issue_demand(void)
{
    tp_tier_demand d;
    memset(&d, 0, sizeof d);
    for (int t = 0; t < HOUR; t++) {
        d_in[t] = 10000;
        d_out[t] = 1000;
        p_in[t] = 5000;
        p_out[t] = 500;
        f_in[t] = 8000;
        f_out[t] = 800;
        zero[t] = 0;
    }
    d.minutes = HOUR;
    const tp_demand def = {d_in, d_out, zero, zero, HOUR, 0},
                    pri = {p_in, p_out, zero, zero, HOUR, 0},
                    flx = {f_in, f_out, zero, zero, HOUR, 0};
    d.tier[TP_SERVICE_DEFAULT] = def;
    d.tier[TP_SERVICE_PRIORITY] = pri;
    d.tier[TP_SERVICE_FLEX] = flx;
    d.tier[TP_SERVICE_RESERVED].minutes = HOUR;
    return d;
}

static tp_sim_tiers_result run(const tp_tier_demand *d, double ri, double ro, tp_route_set s,
                               double quota)
{
    tp_sim_options o = {0};
    tp_sim_tiers_result r;
    tp_error err;
    o.reserve_input_tpm = ri;
    o.reserve_output_tpm = ro;
    o.quota_tpm = quota;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_tiers_run(d, &price, &o, s, &r, &err), TP_OK);
    return r;
}

#define DEF TP_ROUTE_TIER(TP_SERVICE_DEFAULT)
#define PRI TP_ROUTE_TIER(TP_SERVICE_PRIORITY)
#define FLX TP_ROUTE_TIER(TP_SERVICE_FLEX)

/* Baseline, per hour, each tier at the tier that served it:
 *   default  10000 x 60 x 3/1e6 = 1.80 + 1000 x 60 x 15/1e6 = 0.90 -> 2.70
 *   priority 1.75 x (5000 x 60 x 3/1e6 = 0.90 + 500 x 60 x 15/1e6 = 0.45) = 2.3625
 *   flex     0.5 x (8000 x 60 x 3/1e6 = 1.44 + 800 x 60 x 15/1e6 = 0.72) = 1.08
 *   total 6.1425 (all at Standard it would be 2.70 + 1.35 + 2.16 = 6.21).
 * Routing default with R = 10,000 / 1,000: reserved 10 x 0.12 + 1 x 0.60 = 1.80, nothing
 *   spills; priority and flex stay: 2.3625 + 1.08; total 5.2425, saving 0.90.
 * Routing default + priority, R = 15,000 / 1,500: reserved 1.80 + 0.90 = 2.70, flex 1.08:
 *   total 3.78, saving 2.3625: priority's 5,000 / 500 cost 0.9 reserved against 2.3625, so
 *   routing it saves 1.4625 on top of default's 0.90.
 * Routing flex too, R = 23,000 / 2,300: reserved 2.76 + 1.38 = 4.14 > 3.78: flex's share
 *   reserved costs 8 x 0.12 + 0.8 x 0.6 = 1.44 against 1.08 at Flex: it loses 0.36. */
static void test_issue_baseline(void)
{
    const tp_tier_demand d = issue_demand();
    tp_sim_tiers_result r = run(&d, 0, 0, 0, 0);
    NEAR(r.sim.baseline_usd, 6.1425);
    NEAR(r.tier[TP_SERVICE_DEFAULT].baseline_usd, 2.70);
    NEAR(r.tier[TP_SERVICE_PRIORITY].baseline_usd, 2.3625);
    NEAR(r.tier[TP_SERVICE_FLEX].baseline_usd, 1.08);
    NEAR(r.sim.total_usd, 6.1425); /* no reservation: everything in its own tier */
    NEAR(r.sim.savings_usd, 0);
    CU_ASSERT_EQUAL(r.present, DEF | PRI | FLX);

    r = run(&d, 10000, 1000, DEF, 0);
    NEAR(r.sim.reserved_usd, 1.80);
    NEAR(r.sim.spill_usd, 0);
    NEAR(r.sim.unrouted_usd, 3.4425);
    NEAR(r.sim.total_usd, 5.2425);
    NEAR(r.sim.savings_usd, 0.90);
    NEAR(r.tier[TP_SERVICE_DEFAULT].reserved_tokens, 11000.0 * 60);
    NEAR(r.tier[TP_SERVICE_PRIORITY].on_demand_usd, 2.3625);

    r = run(&d, 15000, 1500, DEF | PRI, 0);
    NEAR(r.sim.total_usd, 3.78);
    NEAR(r.sim.savings_usd, 2.3625);
    const double with_priority = r.sim.total_usd;

    r = run(&d, 23000, 2300, DEF | PRI | FLX, 0);
    NEAR(r.sim.total_usd, 4.14);
    NEAR(r.sim.total_usd - with_priority, 0.36);
    CU_ASSERT(r.sim.total_usd > with_priority);
}

/* Routed overflow goes to Standard. Routing default with R = 8,000 / 1,000, coupled: each
 * minute e = 10,000 > 8,000, s_in = 1 - 8000/10000 = 0.2, output 1,000 <= 1,000: s = 0.2 on
 * both sides; the spill is 0.2 x (10000 x 3 + 1000 x 15)/1e6 = 0.009 a minute, 0.54 an hour;
 * reserved 8 x 0.12 + 0.60 = 1.56; unrouted 3.4425: total 5.5425. The default tier served on
 * demand: 0.2 x 11,000 x 60 = 132,000 tokens, by the reservation 528,000. */
static void test_overflow(void)
{
    const tp_tier_demand d = issue_demand();
    const tp_sim_tiers_result r = run(&d, 8000, 1000, DEF, 0);
    NEAR(r.sim.spill_usd, 0.54);
    NEAR(r.sim.reserved_usd, 1.56);
    NEAR(r.sim.total_usd, 5.5425);
    NEAR(r.tier[TP_SERVICE_DEFAULT].on_demand_tokens, 132000);
    NEAR(r.tier[TP_SERVICE_DEFAULT].reserved_tokens, 528000);
    NEAR(r.tier[TP_SERVICE_DEFAULT].on_demand_usd, 0.54);
    CU_ASSERT_EQUAL(r.sim.spill_minutes, 60);
}

/* The on-demand quota, shared by priority, default and flex: unrouted traffic takes it first.
 * Routing default at R = 8,000 / 1,000 (coupled, s = 0.2), unrouted use per minute
 * u = 5000 + 500 + 8000 + 800 = 14,300 (output weight 1); the spill's quota use is
 * 0.2 x 11,000 = 2,200.
 *   quota 20,000: 5,700 left >= 2,200: nothing throttled, as without a quota.
 *   quota 15,000: 700 left: thr = (2200 - 700)/2200 = 15/22 of the spill: billed
 *     0.54 x 7/22, throttled value 0.54 x 15/22 (default at Standard), 60 throttled minutes.
 *   quota 10,000: unrouted alone is over: thr_u = 4300/14300 of it is throttled, billed
 *     3.4425 x 10000/14300; nothing is left for the spill: all of it throttled, billed 0. */
static void test_quota_shared(void)
{
    const tp_tier_demand d = issue_demand();
    tp_sim_tiers_result r = run(&d, 8000, 1000, DEF, 20000);
    NEAR(r.sim.total_usd, 5.5425);
    CU_ASSERT_EQUAL(r.sim.throttled_minutes, 0);

    r = run(&d, 8000, 1000, DEF, 15000);
    NEAR(r.sim.spill_usd, 0.54 * 7 / 22);
    NEAR(r.sim.throttled_value_usd, 0.54 * 15 / 22);
    NEAR(r.sim.unrouted_usd, 3.4425);
    CU_ASSERT_EQUAL(r.sim.throttled_minutes, 60);
    CU_ASSERT_EQUAL(r.unrouted_throttled_minutes, 0);

    r = run(&d, 8000, 1000, DEF, 10000);
    NEAR(r.sim.unrouted_usd, 3.4425 * 10000 / 14300);
    NEAR(r.sim.spill_usd, 0);
    NEAR(r.sim.throttled_value_usd, 3.4425 * 4300 / 14300 + 0.54);
    CU_ASSERT_EQUAL(r.unrouted_throttled_minutes, 60);
    CU_ASSERT_EQUAL(r.sim.throttled_minutes, 60);
}

/* The all-default case is tp_simulate_run: the same figures. */
static void test_all_default_matches(void)
{
    tp_tier_demand d = issue_demand();
    memset(&d.tier[TP_SERVICE_PRIORITY], 0, sizeof d.tier[0]);
    memset(&d.tier[TP_SERVICE_FLEX], 0, sizeof d.tier[0]);
    for (int q = 0; q < 2; q++) {
        tp_sim_options o = {0};
        tp_sim_result one;
        tp_error err;
        o.reserve_input_tpm = 8000;
        o.reserve_output_tpm = 900;
        o.quota_tpm = q ? 2000 : 0;
        o.spill_model = TP_SPILL_INDEPENDENT;
        CU_ASSERT_EQUAL(tp_simulate_run(&d.tier[TP_SERVICE_DEFAULT], &price, &o, &one, &err),
                        TP_OK);
        tp_sim_tiers_result r;
        CU_ASSERT_EQUAL(tp_simulate_tiers_run(&d, &price, &o, DEF, &r, &err), TP_OK);
        NEAR(r.sim.total_usd, one.total_usd);
        NEAR(r.sim.baseline_usd, one.baseline_usd);
        NEAR(r.sim.throttled_value_usd, one.throttled_value_usd);
        NEAR(r.sim.utilization_input, one.utilization_input);
        CU_ASSERT_EQUAL(r.sim.throttled_minutes, one.throttled_minutes);
        CU_ASSERT_EQUAL(r.sim.spill_minutes, one.spill_minutes);
    }
}

static void test_route_parse(void)
{
    tp_route_set s = 0;
    tp_error err;
    char buf[64];
    CU_ASSERT_EQUAL(tp_simulate_route_parse("default,priority", &s, &err), TP_OK);
    CU_ASSERT_EQUAL(s, DEF | PRI | TP_ROUTE_TIER(TP_SERVICE_RESERVED));
    CU_ASSERT_STRING_EQUAL(tp_simulate_route_format(s, buf, sizeof buf),
                           "reserved,priority,default");
    CU_ASSERT_EQUAL(tp_simulate_route_parse("default,gold", &s, &err), TP_ERR_USAGE);
    CU_ASSERT(strstr(err.message, "\"gold\"") != NULL);
    CU_ASSERT(strstr(err.message, "reserved, priority, default, flex") != NULL);
    CU_ASSERT_EQUAL(tp_simulate_route_parse("", &s, &err), TP_ERR_USAGE);
}

/* A small hand-built window: 24 minutes of three tiers with uneven, overlapping peaks. */
#define N 24
static double bd_in[N], bd_out[N], bp_in[N], bp_out[N], bf_in[N], bf_out[N], bz[N];

static tp_tier_demand brute_demand(void)
{
    tp_tier_demand d;
    memset(&d, 0, sizeof d);
    for (int t = 0; t < N; t++) {
        bd_in[t] = 6000 + 1000 * ((t * 7) % 5);
        bd_out[t] = 800 + 150 * ((t * 3) % 4);
        bp_in[t] = (t % 3 == 0) ? 4000 : 1500;
        bp_out[t] = (t % 3 == 0) ? 600 : 200;
        bf_in[t] = 3000 + 500 * (t % 4);
        bf_out[t] = 300;
        bz[t] = 0;
    }
    d.minutes = N;
    const tp_demand def = {bd_in, bd_out, bz, bz, N, 0}, pri = {bp_in, bp_out, bz, bz, N, 0},
                    flx = {bf_in, bf_out, bz, bz, N, 0};
    d.tier[TP_SERVICE_DEFAULT] = def;
    d.tier[TP_SERVICE_PRIORITY] = pri;
    d.tier[TP_SERVICE_FLEX] = flx;
    return d;
}

/* The cheapest plan by exhaustive evaluation through tp_simulate_tiers_run: no reservation,
 * or for every routing subset every grid point (0 on both sides or at least the minimum on
 * both; with priority routed at least one input step), feasible under the throttle bound. */
static double brute_best(const tp_tier_demand *d, const tp_model_price *p,
                         const tp_rec_options *ro, tp_route_set only)
{
    double best = INFINITY;
    tp_error err;
    const double k_thr = ro->quota_tpm > 0 ? (ro->has_max_throttled_minutes
                                                  ? (double)ro->max_throttled_minutes : 0)
                                           : INFINITY;
    tp_sim_options o = {0};
    o.spill_model = ro->spill_model;
    o.spill_to = ro->spill_to;
    o.quota_tpm = ro->quota_tpm;
    tp_sim_tiers_result r;
    CU_ASSERT_EQUAL_FATAL(tp_simulate_tiers_run(d, p, &o, 0, &r, &err), TP_OK);
    if ((double)r.sim.throttled_minutes <= k_thr)
        best = r.sim.total_usd;
    const tp_route_set tiers = DEF | PRI | FLX;
    for (tp_route_set s = 1; s <= tiers; s++) {
        if ((s & ~tiers) || (only && s != only))
            continue;
        const double step = p->reserved_step_tpm;
        const double lo_i = p->reserved_minimum_input_tpm > 0 ? p->reserved_minimum_input_tpm
                            : (s & PRI)                    ? step : 0;
        const double lo_o = p->reserved_minimum_output_tpm;
        for (double ri = lo_i; ri <= 40000; ri += (ri == 0 && lo_i == 0 ? step : step))
            for (double ro_ = lo_o; ro_ <= 6000; ro_ += step) {
                if (ri == 0 && ro_ == 0)
                    continue;
                o.reserve_input_tpm = ri;
                o.reserve_output_tpm = ro_;
                CU_ASSERT_EQUAL_FATAL(tp_simulate_tiers_run(d, p, &o, s, &r, &err), TP_OK);
                if ((double)r.sim.throttled_minutes <= k_thr && r.sim.total_usd < best)
                    best = r.sim.total_usd;
            }
    }
    return best;
}

/* The routing search against brute force: coupled and independent, with and without the
 * catalog's minimums, with a quota, over every subset and with the subset fixed. */
static void test_brute_force(void)
{
    const tp_tier_demand d = brute_demand();
    const double minimums[2][2] = {{0, 0}, {10000, 1000}};
    const double quotas[3] = {0, 9000, 16000};
    for (int mm = 0; mm < 2; mm++)
        for (int coupled = 0; coupled < 2; coupled++)
            for (int qi = 0; qi < 3; qi++)
                for (int fixed = 0; fixed < 2; fixed++) {
                    tp_model_price p = price;
                    p.reserved_minimum_input_tpm = minimums[mm][0];
                    p.reserved_minimum_output_tpm = minimums[mm][1];
                    p.reserved_step_tpm = 500;
                    tp_rec_options o = {0};
                    o.spill_model = coupled ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
                    o.quota_tpm = quotas[qi];
                    o.route_tiers = fixed ? DEF | PRI : 0;
                    tp_recommendation rec;
                    tp_error err;
                    const tp_status rc = tp_recommend_tiers_run(&d, &p, &o, &rec, &err);
                    const double want = brute_best(&d, &p, &o, fixed ? DEF | PRI : 0);
                    if (!isfinite(want)) {
                        CU_ASSERT_EQUAL(rc, TP_ERR_INVALID);
                        continue;
                    }
                    CU_ASSERT_EQUAL_FATAL(rc, TP_OK);
                    const tp_candidate *c = &rec.candidates[rec.recommended];
                    if (fabs(c->sim.total_usd - want) > 1e-9 * (1 + want))
                        printf("\nmin %d coupled %d quota %g fixed %d: search %.12g (%g/%g "
                               "routed %x), brute %.12g\n",
                               mm, coupled, quotas[qi], fixed, c->sim.total_usd, c->input_tpm,
                               c->output_tpm, c->routed_tiers, want);
                    NEAR(c->sim.total_usd, want);
                    /* a reservation is 0 on both sides or at least the minimum on both */
                    CU_ASSERT((c->input_tpm == 0 && c->output_tpm == 0) ||
                              (c->input_tpm >= p.reserved_minimum_input_tpm &&
                               c->output_tpm >= p.reserved_minimum_output_tpm));
                }
}

/* The issue's traffic: the search routes default and priority, never flex (reserved at 2/3
 * of Standard is dearer than Flex at 1/2), and reserves 15,000 / 1,500. */
static void test_issue_routing(void)
{
    const tp_tier_demand d = issue_demand();
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    tp_model_price p = price;
    p.reserved_step_tpm = 500; /* 1,500 on the grid */
    CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *c = &rec.candidates[rec.recommended];
    CU_ASSERT_EQUAL(c->routed_tiers, DEF | PRI | TP_ROUTE_TIER(TP_SERVICE_RESERVED));
    NEAR(c->input_tpm, 15000);
    NEAR(c->output_tpm, 1500);
    NEAR(c->sim.total_usd, 3.78);
    CU_ASSERT(rec.n_routes >= 7);
}

/* Not offered: no reservation, and a reason naming the catalog's source; assumed: explored. */
static void test_not_offered(void)
{
    const tp_tier_demand d = issue_demand();
    tp_model_price p = price;
    p.reserved_offered = 0;
    strcpy(p.reserved_offered_source, "Bedrock user guide, Service tiers");
    strcpy(p.reserved_offered_as_of, "2026-02");
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *c = &rec.candidates[rec.recommended];
    CU_ASSERT_EQUAL(c->input_tpm, 0);
    CU_ASSERT_EQUAL(rec.offered, 0);
    CU_ASSERT(strstr(rec.reason, "not offered") != NULL);
    /* the reason names the entry, never quotes the source (the text does, beside it) */
    CU_ASSERT(strstr(rec.reason, "(catalog entry \"m\")") != NULL);
    CU_ASSERT(strstr(rec.reason, "2026-02") == NULL);
    o.assume_offered = 1;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_EQUAL(rec.assumed_offered, 1);
    NEAR(rec.candidates[rec.recommended].input_tpm, 15000);
    p.reserved_input_per_1k_tpm_hour_usd = -1;
    CU_ASSERT_EQUAL(tp_recommend_tiers_run(&d, &p, &o, &rec, &err), TP_ERR_USAGE);
}

/* The fleet's fast path (rec_tiers_run_batch): all traffic default, no minimums, no quota,
 * no service level: the single stream searched with the caller's kept buffers gives the
 * tiered search's recommendation to the bit, candidate by candidate (coupled, independent,
 * spill to Priority, a 3-month term, default routed by --route-tiers; the service levels and
 * spill to none, variants 2 and 4, take the tiered path in both). */
static void test_single_stream_fast_path(void)
{
    enum { NM = 3 * 1440 };
    static double in[NM], out[NM], cr[NM], cw[NM];
    uint64_t st = 11;
    for (int t = 0; t < NM; t++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        const double w = 1 + 0.5 * sin(t * 6.283185307179586 / 1440);
        in[t] = 20000 * w + (double)(st >> 51);
        out[t] = 2000 * w + (double)(st >> 55);
        cr[t] = (double)(st >> 52);
        cw[t] = (double)(st >> 54);
    }
    tp_tier_demand d;
    memset(&d, 0, sizeof d);
    d.minutes = NM;
    const tp_demand x = {in, out, cr, cw, NM, 0};
    d.tier[TP_SERVICE_DEFAULT] = x;
    for (int v = 0; v < 6; v++) {
        tp_rec_options o = {0};
        o.spill_model = v == 1 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
        o.has_max_spill_minutes_pct = v == 2, o.max_spill_minutes_pct = 5;
        o.spill_to = v == 3 ? TP_SPILL_TO_PRIORITY : v == 4 ? TP_SPILL_TO_NONE : TP_SPILL_TO_STANDARD;
        o.has_max_throttled_minutes = v == 4, o.max_throttled_minutes = 30;
        o.term_months = v == 5 ? 3 : 0;
        o.route_tiers = v == 5 ? DEF : 0;
        tp_model_price p = price;
        p.n_terms = 2, p.term_months[1] = 3, p.term_discount[1] = 0.9;
        rec_scratch scr = {0};
        const rec_batch b = {NULL, &scr, 1, NULL, 0, {0, 0}, NULL, NULL, 0};
        tp_recommendation a, f;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(rec_tiers_run(&d, &p, &o, 1, &a, &err), TP_OK);
        CU_ASSERT_EQUAL_FATAL(rec_tiers_run_batch(&d, &p, &o, 1, &b, &f, &err), TP_OK);
        rec_scratch_free(&scr);
        CU_ASSERT_EQUAL(a.n_candidates, f.n_candidates);
        CU_ASSERT_EQUAL(a.recommended, f.recommended);
        /* the candidates to the bit (both simulated by tier, the same lanes) */
        CU_ASSERT(a.n_candidates == f.n_candidates &&
                  memcmp(a.candidates, f.candidates, a.n_candidates * sizeof a.candidates[0]) == 0);
        CU_ASSERT(memcmp(a.routes, f.routes, a.n_routes * sizeof a.routes[0]) == 0);
        CU_ASSERT_STRING_EQUAL(a.reason, f.reason);
        CU_ASSERT_EQUAL(a.present, f.present);
        CU_ASSERT_EQUAL(a.tiered, f.tiered);
        CU_ASSERT_EQUAL(a.offered, f.offered);
        CU_ASSERT_EQUAL(a.term_months, f.term_months);
        NEAR(a.term_discount, f.term_discount);
        CU_ASSERT_EQUAL(a.n_routes, f.n_routes);
        CU_ASSERT_EQUAL(a.routes[0].routed, f.routes[0].routed);
        NEAR(a.routes[0].input_tpm, f.routes[0].input_tpm);
        NEAR(a.routes[0].total_usd, f.routes[0].total_usd);
        for (size_t k = 0; k < a.n_candidates && k < f.n_candidates; k++) {
            const tp_candidate *ca = &a.candidates[k], *cf = &f.candidates[k];
            CU_ASSERT_EQUAL(ca->basis, cf->basis);
            CU_ASSERT_EQUAL(ca->routed_tiers, cf->routed_tiers);
            NEAR(ca->input_tpm, cf->input_tpm);
            NEAR(ca->output_tpm, cf->output_tpm);
            NEAR(ca->sim.total_usd, cf->sim.total_usd);
            NEAR(ca->sim.baseline_usd, cf->sim.baseline_usd);
            NEAR(ca->sim.spill_usd + ca->sim.unrouted_usd, cf->sim.spill_usd + cf->sim.unrouted_usd);
            CU_ASSERT_EQUAL(ca->sim.spill_minutes, cf->sim.spill_minutes);
            CU_ASSERT_EQUAL(ca->sim.throttled_minutes, cf->sim.throttled_minutes);
            NEAR(ca->cost_per_month_usd, cf->cost_per_month_usd);
            NEAR(ca->spill_per_hour_usd, cf->spill_per_hour_usd);
            const tp_sim_tier *ta = &ca->tier[TP_SERVICE_DEFAULT], *tf = &cf->tier[TP_SERVICE_DEFAULT];
            NEAR(ta->tokens, tf->tokens);
            NEAR(ta->baseline_usd, tf->baseline_usd);
            NEAR(ta->reserved_tokens, tf->reserved_tokens);
            NEAR(ta->on_demand_tokens, tf->on_demand_tokens);
            NEAR(ta->on_demand_usd, tf->on_demand_usd);
            NEAR(ta->throttled_tokens, tf->throttled_tokens);
            if (ca->basis != cf->basis || ca->input_tpm != cf->input_tpm)
                printf("\n  variant %d candidate %zu: basis %d/%d input %g/%g\n", v, k,
                       (int)ca->basis, (int)cf->basis, ca->input_tpm, cf->input_tpm);
        }
    }
}

/* The routing search reads each subset's routed tiers directly (rec_terms_fill_tiers, and
 * rec_run_batch with b.tiers) rather than their sum written out: for every subset of four
 * tiers of random traffic with cache reads and writes (idle minutes and -0.0 among them), the
 * terms, their extents and the search's points equal, to the bit, those of the sum added
 * from 0 in tier order and searched as a demand of its own. */
static void test_tier_sums_direct(void)
{
    enum { NM = 2000 };
    static double v[TP_SERVICE_COUNT][4][NM], sum[4][NM];
    static double ta[4][NM], tb[4][NM];
    uint64_t st = 5;
    tp_tier_demand d;
    memset(&d, 0, sizeof d);
    d.minutes = NM;
    for (int k = 0; k < TP_SERVICE_COUNT; k++) {
        for (int t = 0; t < NM; t++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            const double x = (t % 97 == 0) ? (k == 1 ? -0.0 : 0.0)
                                           : 1000.0 * (k + 1) + (double)(st >> 48) / 7.0;
            v[k][0][t] = x;
            v[k][1][t] = x / 9.0;
            v[k][2][t] = (st >> 20) % 3 == 0 ? x / 3.0 : 0;
            v[k][3][t] = (st >> 30) % 4 == 0 ? x / 11.0 : 0;
        }
        const tp_demand x = {v[k][0], v[k][1], v[k][2], v[k][3], NM, 0};
        d.tier[k] = x;
    }
    tp_model_price p = price;
    p.reserved_step_tpm = 250;
    for (tp_route_set set = 1; set < (1u << TP_SERVICE_COUNT); set++)
        for (int coupled = 0; coupled < 2; coupled++) {
            for (int m = 0; m < 4; m++)
                for (int t = 0; t < NM; t++) {
                    double a = 0;
                    for (int k = 0; k < TP_SERVICE_COUNT; k++)
                        if (set & TP_ROUTE_TIER(k))
                            a += v[k][m][t];
                    sum[m][t] = a;
                }
            const tp_demand s = {sum[0], sum[1], sum[2], sum[3], NM, 0};
            tp_rec_options o = {0};
            o.spill_model = coupled ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
            o.has_max_spill_minutes_pct = coupled, o.max_spill_minutes_pct = 10;
            rec_terms a = {0}, b = {0};
            a.e = ta[0], a.o = ta[1], a.v_in = ta[2], a.v_out = ta[3];
            b.e = tb[0], b.o = tb[1], b.v_in = tb[2], b.v_out = tb[3];
            rec_terms_extent xa, xb;
            rec_terms_fill(&a, &s, &p, &o, &xa);
            rec_terms_fill_tiers(&b, &d, set, &p, &o, &xb);
            CU_ASSERT(memcmp(ta, tb, sizeof ta) == 0);
            CU_ASSERT(memcmp(&xa, &xb, sizeof xa) == 0);
            CU_ASSERT(a.n == b.n && a.c_in == b.c_in && a.c_out == b.c_out && a.mult == b.mult &&
                      a.coupled == b.coupled);
            CU_ASSERT(b.in == NULL && b.cr == NULL && b.cw == NULL);
            double pa[6] = {-1, -1, -1, -1, -1, -1}, pb[6] = {-2, -2, -2, -2, -2, -2};
            rec_batch ba = {.one_pass = 1, .points = pa};
            rec_batch bb = {.one_pass = 1, .points = pb, .tiers = &d, .tier_set = set};
            const tp_demand none = {NULL, NULL, NULL, NULL, NM, 0};
            tp_recommendation ra, rb;
            tp_error err;
            CU_ASSERT_EQUAL_FATAL(rec_run_batch(&s, &p, &o, &ba, &ra, &err), TP_OK);
            CU_ASSERT_EQUAL_FATAL(rec_run_batch(&none, &p, &o, &bb, &rb, &err), TP_OK);
            CU_ASSERT(memcmp(pa, pb, sizeof pa) == 0);
            CU_ASSERT_EQUAL(ra.grid_input_points, rb.grid_input_points);
            CU_ASSERT_EQUAL(ra.grid_output_points, rb.grid_output_points);
            CU_ASSERT(memcmp(&ra.break_even_utilization_input, &rb.break_even_utilization_input,
                             sizeof(double)) == 0);
            /* a sum of tiers is searched only where the raw minutes are not needed */
            o.quota_tpm = 5000;
            CU_ASSERT_EQUAL(rec_run_batch(&none, &p, &o, &bb, &rb, &err), TP_ERR_USAGE);
        }
}

/* The percentile candidates of the routing search are those tp_recommend_run gives the
 * chosen subset's sum (its P25..P99 points, no minimums here), each simulated by tier with
 * that subset routed: to the bit, on three random windows of three tiers (the search now
 * simulates them beside the subsets' points when it can tell the chosen subset beforehand). */
static void test_percentiles_of_chosen(void)
{
    enum { NM = 3000 };
    static double v[TP_SERVICE_COUNT][4][NM], sum[4][NM];
    uint64_t st = 17;
    for (int w = 0; w < 3; w++) {
        tp_tier_demand d;
        memset(&d, 0, sizeof d);
        d.minutes = NM;
        for (int k = TP_SERVICE_PRIORITY; k < TP_SERVICE_COUNT; k++) {
            const double scale = 2000.0 * (1 + (k + w) % 3);
            for (int t = 0; t < NM; t++) {
                st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                const double x = scale * (1 + 0.5 * sin(t / 200.0 + k)) + (double)(st >> 52);
                v[k][0][t] = x;
                v[k][1][t] = x / (7 + k);
                v[k][2][t] = w == 1 ? x / 4 : 0;
                v[k][3][t] = w == 1 ? x / 20 : 0;
            }
            const tp_demand x = {v[k][0], v[k][1], v[k][2], v[k][3], NM, 0};
            d.tier[k] = x;
        }
        tp_rec_options o = {0};
        o.spill_model = w == 2 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
        tp_recommendation rec, one;
        tp_error err;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_tiers_run(&d, &price, &o, &rec, &err), TP_OK);
        const tp_route_set chosen = rec.candidates[0].routed_tiers;
        CU_ASSERT(chosen & (DEF | PRI | FLX));
        for (int m = 0; m < 4; m++)
            for (int t = 0; t < NM; t++) {
                double a = 0;
                for (int k = 0; k < TP_SERVICE_COUNT; k++)
                    if (chosen & TP_ROUTE_TIER(k))
                        a += v[k][m][t];
                sum[m][t] = a;
            }
        const tp_demand s = {sum[0], sum[1], sum[2], sum[3], NM, 0};
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s, &price, &o, &one, &err), TP_OK);
        for (int q = 0; q < 4; q++) {
            const tp_candidate *c = &rec.candidates[q], *r = &one.candidates[q];
            CU_ASSERT_EQUAL(c->basis, TP_BASIS_P25 + q);
            CU_ASSERT_EQUAL(r->basis, TP_BASIS_P25 + q);
            CU_ASSERT_EQUAL(c->routed_tiers, chosen);
            CU_ASSERT(c->input_tpm == r->input_tpm && c->output_tpm == r->output_tpm);
            tp_sim_options so = {0};
            so.reserve_input_tpm = r->input_tpm;
            so.reserve_output_tpm = r->output_tpm;
            so.spill_model = o.spill_model;
            tp_sim_tiers_result x;
            CU_ASSERT_EQUAL_FATAL(tp_simulate_tiers_run(&d, &price, &so, chosen, &x, &err), TP_OK);
            CU_ASSERT(memcmp(&x.sim, &c->sim, sizeof x.sim) == 0);
            CU_ASSERT(memcmp(x.tier, c->tier, sizeof x.tier) == 0);
        }
    }
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("tiers", setup, NULL);
    CU_add_test(s, "issue baseline", test_issue_baseline);
    CU_add_test(s, "overflow to standard", test_overflow);
    CU_add_test(s, "shared quota", test_quota_shared);
    CU_add_test(s, "all default matches", test_all_default_matches);
    CU_add_test(s, "route parse", test_route_parse);
    CU_add_test(s, "brute force", test_brute_force);
    CU_add_test(s, "issue routing", test_issue_routing);
    CU_add_test(s, "not offered", test_not_offered);
    CU_add_test(s, "single stream fast path", test_single_stream_fast_path);
    CU_add_test(s, "tier sums read directly", test_tier_sums_direct);
    CU_add_test(s, "percentiles of the chosen subset", test_percentiles_of_chosen);
}
