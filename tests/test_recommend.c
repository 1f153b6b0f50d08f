/* test_recommend.c - the optimum and service levels against brute force; terms and what-if. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_fixtures.h"
#include "tierplan/tierplan.h"

void register_tests(void);

static uint64_t rng = 7;
static double uni(void)
{
    return test_uniform(&rng);
}

typedef struct series4 {
    double in[200], out[200], cr[200], cw[200];
    tp_demand d;
} series4;

/* Random bursty minutes; cache_write_heavy puts most of the input in cache writes. */
static void make_series(series4 *s, size_t n, int cache_write_heavy)
{
    for (size_t k = 0; k < n; k++) {
        double burst = uni() < 0.1 ? 4 : 1;
        s->in[k] = uni() < 0.15 ? 0 : floor(burst * 20000 * uni());
        s->cr[k] = floor(burst * 60000 * uni() * uni());
        s->cw[k] = cache_write_heavy ? floor(burst * 30000 * uni()) : (uni() < 0.8 ? 0 : 3000);
        s->out[k] = floor(burst * 6000 * uni());
    }
    s->d.input_tpm = s->in;
    s->d.output_tpm = s->out;
    s->d.cache_read_tpm = s->cr;
    s->d.cache_write_tpm = s->cw;
    s->d.minutes = n;
    s->d.from_minute = 0;
}

/* Brute force: every grid pair simulated by tp_simulate_run; the cheapest total (optionally among
 * pairs with at most max_spill spill minutes). */
static double brute(const tp_demand *d, const tp_model_price *p, const tp_rec_options *o,
                    const tp_recommendation *rec, double max_spill, double discount)
{
    tp_model_price q = *p;
    q.reserved_input_per_1k_tpm_hour_usd *= discount;
    q.reserved_output_per_1k_tpm_hour_usd *= discount;
    double best = INFINITY;
    for (size_t a = 0; a < rec->grid_input_points + 2; a++)
        for (size_t b = 0; b < rec->grid_output_points + 2; b++) {
            tp_sim_options so = {0};
            tp_sim_result r;
            double ri = a == 0 ? 0 : q.reserved_minimum_input_tpm > 0
                                         ? q.reserved_minimum_input_tpm + (a - 1) * q.reserved_step_tpm
                                         : a * q.reserved_step_tpm;
            double ro = b == 0 ? 0 : q.reserved_minimum_output_tpm > 0
                                         ? q.reserved_minimum_output_tpm + (b - 1) * q.reserved_step_tpm
                                         : b * q.reserved_step_tpm;
            so.reserve_input_tpm = ri;
            so.reserve_output_tpm = ro;
            so.spill_model = o->spill_model;
            so.spill_to = o->spill_to;
            so.quota_tpm = o->quota_tpm;
            if (tp_simulate_run(d, &q, &so, &r, NULL) != TP_OK)
                return NAN;
            if ((double)r.spill_minutes > max_spill)
                continue;
            if (r.total_usd < best)
                best = r.total_usd;
        }
    return best;
}

static const tp_candidate *find(const tp_recommendation *r, tp_basis b)
{
    for (size_t k = 0; k < r->n_candidates; k++)
        if (r->candidates[k].basis == b)
            return &r->candidates[k];
    return NULL;
}

/* The optimum equals brute force on randomized series: both spill models, standard and
 * priority spill, cache-write-heavy data, a grid with a minimum, and a coarse step. */
static void test_optimum_matches_brute_force(void)
{
    int mismatches = 0, cases = 0;
    for (int round = 0; round < 24; round++) {
        series4 s;
        make_series(&s, 40 + (size_t)(uni() * 120), round % 3 == 0);
        tp_model_price p = base_price(3);
        if (round % 4 == 1) {
            p.reserved_minimum_input_tpm = 10000;
            p.reserved_minimum_output_tpm = 2000;
        }
        if (round % 5 == 2)
            p.reserved_step_tpm = 2500;
        /* make reservations worth it sometimes and not others */
        p.reserved_input_per_1k_tpm_hour_usd = 0.03 + 0.2 * uni();
        p.reserved_output_per_1k_tpm_hour_usd = 0.2 + 1.0 * uni();
        for (int mode = 0; mode < 2; mode++)
            for (int to = 0; to < 2; to++) {
                tp_rec_options o = {0};
                tp_recommendation rec;
                tp_error err;
                o.spill_model = (tp_spill_model)mode;
                o.spill_to = (tp_spill_to)to;
                o.term_months = round % 2 ? 3 : 1;
                CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s.d, &p, &o, &rec, &err), TP_OK);
                const tp_candidate *opt = find(&rec, TP_BASIS_OPTIMAL);
                CU_ASSERT_PTR_NOT_NULL_FATAL(opt);
                double b = brute(&s.d, &p, &o, &rec, INFINITY, o.term_months == 3 ? 0.9 : 1.0);
                cases++;
                if (fabs(opt->sim.total_usd - b) > 1e-9 * (1 + b)) {
                    mismatches++;
                    fprintf(stderr, "\n  round %d mode %d to %d: optimum %.12f vs brute %.12f",
                            round, mode, to, opt->sim.total_usd, b);
                }
                /* the optimum is never beaten by another candidate of the same spill tier */
                for (size_t k = 0; k < rec.n_candidates; k++)
                    if (rec.candidates[k].basis <= TP_BASIS_P99)
                        CU_ASSERT(opt->sim.total_usd <= rec.candidates[k].sim.total_usd + 1e-9);
            }
    }
    CU_ASSERT_EQUAL(mismatches, 0);
    CU_ASSERT_EQUAL(cases, 96);
}

/* With a quota the cost is not convex; the surface search must still equal brute force. */
static void test_quota_optimum(void)
{
    for (int round = 0; round < 4; round++) {
        series4 s;
        make_series(&s, 30, round == 1);
        tp_model_price p = base_price(3);
        p.reserved_step_tpm = 5000;
        tp_rec_options o = {0};
        tp_recommendation rec;
        tp_error err;
        o.spill_model = round % 2 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
        o.quota_tpm = 15000;
        /* any number of throttled minutes allowed: the unconstrained optimum (the default
         * allows none; test_recommend_quota checks the constrained searches) */
        o.has_max_throttled_minutes = 1;
        o.max_throttled_minutes = 1000;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s.d, &p, &o, &rec, &err), TP_OK);
        double b = brute(&s.d, &p, &o, &rec, INFINITY, 1.0);
        CU_ASSERT_DOUBLE_EQUAL(find(&rec, TP_BASIS_OPTIMAL)->sim.total_usd, b, 1e-9 * (1 + b));
    }
}

/* Service levels: the SLO candidate meets the bound, and nothing cheaper on the grid does;
 * at the boundary (K = the spill minutes of the unconstrained optimum) it is the optimum. */
static void test_service_level(void)
{
    for (int round = 0; round < 8; round++) {
        series4 s;
        make_series(&s, 100, round % 2);
        tp_model_price p = base_price(3);
        tp_rec_options o = {0};
        tp_recommendation rec;
        tp_error err;
        o.spill_model = round % 4 < 2 ? TP_SPILL_COUPLED : TP_SPILL_INDEPENDENT;
        o.has_max_spill_minutes_pct = 1;
        o.max_spill_minutes_pct = 5.0; /* at most 5 of 100 minutes */
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s.d, &p, &o, &rec, &err), TP_OK);
        const tp_candidate *c = find(&rec, TP_BASIS_SLO);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        CU_ASSERT_EQUAL(rec.candidates[rec.recommended].basis, TP_BASIS_SLO);
        CU_ASSERT(c->sim.spill_minutes <= 5);
        double b = brute(&s.d, &p, &o, &rec, 5, 1.0);
        CU_ASSERT_DOUBLE_EQUAL(c->sim.total_usd, b, 1e-9 * (1 + b));
        /* boundary: allowing exactly the optimum's spill minutes gives the optimum's cost */
        const tp_candidate *opt = find(&rec, TP_BASIS_OPTIMAL);
        o.max_spill_minutes_pct = (double)opt->sim.spill_minutes;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&s.d, &p, &o, &rec, &err), TP_OK);
        CU_ASSERT_DOUBLE_EQUAL(find(&rec, TP_BASIS_SLO)->sim.total_usd, opt->sim.total_usd,
                               1e-9);
    }
}

/* --spill-to none: nothing spills into cost, so by default the recommendation is the
 * cheapest reservation with no throttled minute: the largest demand rounded up to the grid.
 * Series: effective input {1500, 0, 2500} (cache reads burn down: 2000 x 0.1 = 200 + 2300),
 * output {100, 0, 900}: with step 1000 that is (3000, 1000). */
/* A tp_field_name_fn: "--" and the field with '-' for '_' (the CLI's option names). */
static const char *as_option(void *ctx, const char *field, char *buf, size_t size)
{
    (void)ctx;
    snprintf(buf, size, "--%s", field);
    for (char *c = buf; *c != '\0'; c++)
        *c = *c == '_' ? '-' : *c;
    return buf;
}

static void test_spill_none(void)
{
    double in[] = {1500, 0, 2300}, cr[] = {0, 0, 2000}, cw[] = {0, 0, 0}, out[] = {100, 0, 900};
    tp_demand d = {in, out, cr, cw, 3, 0};
    tp_model_price p = base_price(3);
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    o.spill_to = TP_SPILL_TO_NONE;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *c = &rec.candidates[rec.recommended];
    CU_ASSERT_EQUAL(c->basis, TP_BASIS_SLO);
    CU_ASSERT_EQUAL(c->input_tpm, 3000);
    CU_ASSERT_EQUAL(c->output_tpm, 1000);
    CU_ASSERT_EQUAL(c->sim.throttled_minutes, 0);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(rec.reason, "with spill_to none overflow is throttled, not billed"));
    /* allowing one throttled minute drops the peak minute: (2000, 1000)? minute 2 needs
     * e 2500 / o 900; dropping it leaves e 1500 / o 100: (2000, 1000) */
    o.has_max_throttled_minutes = 1;
    o.max_throttled_minutes = 1;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    c = &rec.candidates[rec.recommended];
    CU_ASSERT_EQUAL(c->input_tpm, 2000);
    CU_ASSERT_EQUAL(c->output_tpm, 1000);
    CU_ASSERT_EQUAL(c->sim.throttled_minutes, 1);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(rec.reason, "; it throttles 1 minutes (max_throttled_minutes 1 allows it)"));
    o.field_name = as_option;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(rec.reason,
                                  "with --spill-to none overflow is throttled, not billed: the "
                                  "cheapest reservation with at most 1 throttled minutes; it "
                                  "throttles 1 minutes (--max-throttled-minutes 1 allows it)"));
}

/* Terms and hand-checked arithmetic. One minute of 60000 regular input TPM, nothing else,
 * reservation of 60000 input TPM on a 3-month term (discount 0.9):
 *   reserved per hour = 60 x 0.12 x 0.9 = 6.48 USD; per month 6.48 x 730 = 4730.4;
 *   per term 3 x 4730.4 = 14191.2.
 * Break-even input utilization = 0.12 x 0.9 / 1000 per TPM-hour / (60 tokens x 3 / 1e6)
 *   = 0.000108 / 0.00018 = 0.6. Output: 0.60 x 0.9 / 1000 / (60 x 15 / 1e6) = 0.6. */
static void test_terms(void)
{
    double in[] = {60000}, zero[] = {0};
    tp_demand d = {in, zero, zero, zero, 1, 0};
    tp_model_price p = base_price(3);
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    o.term_months = 3;
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 0; /* forces the reservation to cover the minute: 60000 */
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    CU_ASSERT_EQUAL(rec.term_months, 3);
    CU_ASSERT_DOUBLE_EQUAL(rec.term_discount, 0.9, 0);
    const tp_candidate *c = &rec.candidates[rec.recommended];
    CU_ASSERT_EQUAL(c->input_tpm, 60000);
    CU_ASSERT_EQUAL(c->output_tpm, 0);
    CU_ASSERT_DOUBLE_EQUAL(c->cost_per_hour_usd, 6.48, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c->cost_per_month_usd, 4730.4, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(c->cost_per_term_usd, 14191.2, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(rec.break_even_utilization_input, 0.6, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(rec.break_even_utilization_output, 0.6, 1e-12);
    o.term_months = 12;
    CU_ASSERT_EQUAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_ERR_INVALID);
    /* a term the catalog does not list: the error names the terms it has and how to add one */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "has no 12-month term (it lists 1, 3, 6 months)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "reserved_term_discount a \"12\" member"));
}

/* Each candidate's reserved, spill and on-demand rates per hour. One minute of 60,000 input
 * TPM, the 3-month term (discount 0.9): the reservation of 60,000 TPM costs 60 x 0.12 x 0.9 =
 * $6.48 an hour and spills nothing; on demand the minute's 60,000 tokens cost 60,000 x $3/M =
 * $0.18, $10.80 an hour, which is every candidate's baseline and the spill of "no
 * reservation"; all Priority spills at 1.75 x 10.80 = $18.90 an hour. */
static void test_candidate_rates(void)
{
    double in[] = {60000}, zero[] = {0};
    tp_demand d = {in, zero, zero, zero, 1, 0};
    tp_model_price p = base_price(3);
    tp_rec_options o = {0};
    tp_recommendation rec;
    tp_error err;
    o.term_months = 3;
    o.has_max_spill_minutes_pct = 1;
    o.max_spill_minutes_pct = 0;
    CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
    const tp_candidate *c = &rec.candidates[rec.recommended];
    CU_ASSERT_DOUBLE_EQUAL(c->reserved_per_hour_usd, 6.48, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c->spill_per_hour_usd, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->on_demand_per_hour_usd, 10.8, 1e-9);
    const tp_candidate *od = find(&rec, TP_BASIS_ON_DEMAND);
    const tp_candidate *ap = find(&rec, TP_BASIS_ALL_PRIORITY);
    CU_ASSERT_PTR_NOT_NULL_FATAL(od);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ap);
    CU_ASSERT_DOUBLE_EQUAL(od->reserved_per_hour_usd, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(od->spill_per_hour_usd, 10.8, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(od->on_demand_per_hour_usd, 10.8, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ap->reserved_per_hour_usd, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ap->spill_per_hour_usd, 18.9, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(ap->on_demand_per_hour_usd, 10.8, 1e-9);
    /* the term in hours: 3 months of 730 */
    CU_ASSERT_DOUBLE_EQUAL(rec.term_hours, 2190, 0);
}

/* What-if: scale 2 doubles every count; a cache-hit delta of +0.25 moves a quarter of
 * (regular + cache-read) input to cache reads, clamped at zero. Minute: input 100, cache read
 * 300 -> scaled 200 / 600; moved 0.25 x 800 = 200 -> input 0, cache read 800. With -0.5:
 * moved -400 -> input 600, cache read 200. */
static void test_whatif(void)
{
    double in[] = {100}, cr[] = {300}, cw[] = {10}, out[] = {50};
    tp_demand d = {in, out, cr, cw, 1, 0};
    tp_whatif *w = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_whatif_apply(&d, 2.0, 0.25, &w, &err), TP_OK);
    tp_demand x = tp_whatif_demand(w);
    CU_ASSERT_EQUAL(x.input_tpm[0], 0);
    CU_ASSERT_EQUAL(x.cache_read_tpm[0], 800);
    CU_ASSERT_EQUAL(x.cache_write_tpm[0], 20);
    CU_ASSERT_EQUAL(x.output_tpm[0], 100);
    tp_whatif_free(w);
    CU_ASSERT_EQUAL_FATAL(tp_whatif_apply(&d, 2.0, -0.5, &w, &err), TP_OK);
    x = tp_whatif_demand(w);
    CU_ASSERT_EQUAL(x.input_tpm[0], 600);
    CU_ASSERT_EQUAL(x.cache_read_tpm[0], 200);
    tp_whatif_free(w);
    CU_ASSERT_EQUAL(tp_whatif_apply(&d, -1, 0, &w, &err), TP_ERR_USAGE);
    CU_ASSERT_EQUAL(tp_whatif_apply(&d, 1, 1.5, &w, &err), TP_ERR_USAGE);
}

/* 2026-01-15 .. 2026-03-10 splits at the month boundaries: 17 days of January (24480
 * minutes), all 28 of February (40320), 9 of March (12960). */
static void test_windows_by_month(void)
{
    tp_window *w = NULL;
    size_t n = 0;
    tp_error err;
    int64_t jan15 = 1767225600 / 60 + 14 * 1440, mar10 = jan15 + 54 * 1440; /* 17 + 28 + 9 */
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(jan15, mar10, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_EQUAL(w[0].to_minute - w[0].from_minute, 17 * 1440);
    CU_ASSERT_EQUAL(w[1].to_minute - w[1].from_minute, 28 * 1440);
    CU_ASSERT_EQUAL(w[2].to_minute - w[2].from_minute, 9 * 1440);
    CU_ASSERT_EQUAL(w[2].to_minute, mar10);
    free(w);
}

static void test_windows_parse(void)
{
    tp_window *w = NULL;
    size_t n = 0;
    tp_error err;
    const char *ok = "from,to\n# tax season\n2026-03-01,2026-05-01\n\n2026-01-01,2026-03-01\n";
    CU_ASSERT_EQUAL_FATAL(tp_window_parse("w.csv", ok, strlen(ok), &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT(w[0].from_minute < w[1].from_minute); /* sorted */
    CU_ASSERT_EQUAL(w[0].to_minute, w[1].from_minute);
    free(w);
    const char *bad = "2026-01-01,2026-02-01\nsoon,later\n";
    CU_ASSERT_EQUAL(tp_window_parse("w.csv", bad, strlen(bad), &w, &n, &err), TP_ERR_PARSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "w.csv:2: expected \"from,to\""));
    const char *overlap = "2026-01-01,2026-02-15\n2026-02-01,2026-03-01\n";
    CU_ASSERT_EQUAL(tp_window_parse("w.csv", overlap, strlen(overlap), &w, &n, &err),
                    TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "windows overlap"));
    const char *backwards = "2026-02-01,2026-01-01\n";
    CU_ASSERT_EQUAL(tp_window_parse("w.csv", backwards, strlen(backwards), &w, &n, &err),
                    TP_ERR_INVALID);
}

/* Two months of hourly data: January steady, February ("tax season") three times busier.
 * Hourly sums are spread evenly over their minutes. */
static tp_store *two_months(void)
{
    tp_store *s = NULL;
    tp_error err;
    CU_ASSERT_EQUAL_FATAL(tp_store_open(":memory:", &s, &err), TP_OK);
    size_t cap = 64 * 24 * 4 * 80 + 64, len = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    len += (size_t)snprintf(csv, cap, "timestamp,model,metric,value,period_s\n");
    int64_t t0 = 1767225600; /* 2026-01-01 */
    for (int h = 0; h < (31 + 28) * 24; h++) {
        char ts[TP_TIME_BUF];
        double busy = h >= 31 * 24 ? 3.0 : 1.0;
        double diurnal = 0.5 + 0.5 * ((h % 24) >= 8 && (h % 24) < 20);
        double in = floor(60 * 20000 * busy * diurnal * (0.8 + 0.4 * uni()));
        tp_timestamp_format(t0 + (int64_t)h * 3600, ts);
        len += (size_t)snprintf(csv + len, cap - len, "%s,m,InputTokenCount,%.0f,3600\n", ts, in);
        len += (size_t)snprintf(csv + len, cap - len,
                                "%s,m,OutputTokenCount,%.0f,3600\n", ts, floor(in * 0.2));
    }
    tp_ingest *ing = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, NULL, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_buffer(ing, "two.csv", csv, len, NULL, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_ingest_commit(ing, &err), TP_OK);
    tp_ingest_free(ing);
    free(csv);
    return s;
}

/* Per-window reservations never cost more than one flat reservation: the flat one is a
 * choice each window could have made. January (31 days = 44640 minutes) gets less than
 * February (28 days = 40320 minutes); the flat span is 84960 minutes. */
static void test_seasonal(void)
{
    tp_store *s = two_months();
    tp_model_price p = base_price(3);
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_window *w = NULL;
    size_t n = 0;
    tp_seasonal *plan = NULL;
    tp_error err;
    q.model = "m";
    int64_t jan = 1767225600 / 60, mar = jan + 59 * 1440;
    CU_ASSERT_EQUAL_FATAL(tp_window_split_months(jan, mar, &w, &n, &err), TP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL_FATAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_OK);
    CU_ASSERT_EQUAL(plan->windows[0].recommended.sim.minutes, 44640);
    CU_ASSERT_EQUAL(plan->windows[1].recommended.sim.minutes, 40320);
    CU_ASSERT_EQUAL(plan->flat.sim.minutes, 84960);
    CU_ASSERT(plan->windows[0].recommended.input_tpm < plan->windows[1].recommended.input_tpm);
    CU_ASSERT(plan->seasonal_total_usd <= plan->flat_total_usd + 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(plan->seasonal_total_usd,
                           plan->windows[0].recommended.sim.total_usd +
                               plan->windows[1].recommended.sim.total_usd,
                           1e-9);
    tp_plan_seasonal_free(plan);
    /* a window shorter than the term is refused */
    o.term_months = 3;
    CU_ASSERT_EQUAL(tp_plan_seasonal(s, &q, w, n, &p, &o, 0, &plan, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "shorter than the 3-month commitment term"));
    free(w);
    tp_store_close(s);
}

/* Sized on January, replayed on February: the hindsight optimum for February is never beaten
 * by the trained reservation (regret >= 0), and busier February spills more under it. */
static void test_backtest(void)
{
    tp_store *s = two_months();
    tp_model_price p = base_price(3);
    tp_rec_options o = {0};
    tp_series_query q = {0};
    tp_backtest bt;
    tp_error err;
    q.model = "m";
    int64_t feb = 1767225600 / 60 + 31 * 1440;
    CU_ASSERT_EQUAL_FATAL(tp_plan_backtest(s, &q, feb, &p, &o, 0, &bt, &err), TP_OK);
    CU_ASSERT_EQUAL(bt.train.to_minute, feb);
    CU_ASSERT_EQUAL(bt.test.from_minute, feb);
    CU_ASSERT_EQUAL(bt.trained_on_test.input_tpm, bt.trained.input_tpm);
    CU_ASSERT_EQUAL(bt.trained_on_test.sim.minutes, 40320);
    CU_ASSERT(bt.regret_usd >= -1e-9);
    CU_ASSERT_DOUBLE_EQUAL(bt.regret_usd,
                           bt.trained_on_test.sim.total_usd - bt.hindsight.sim.total_usd, 1e-9);
    CU_ASSERT(bt.trained_on_test.sim.spill_minutes_pct > bt.trained.sim.spill_minutes_pct);
    CU_ASSERT_EQUAL(tp_plan_backtest(s, &q, feb + 100 * 1440, &p, &o, 0, &bt, &err),
                    TP_ERR_USAGE);
    tp_store_close(s);
}

/* A minute's effective input that is positive but tiny against the step (1e-10 tokens on a
 * 1,000-TPM grid) once rounded up to grid index 0 and then bucket 0 - 1: a write out of
 * bounds. It needs grid point 1 (1,000 TPM) to be served; every search takes it, coupled,
 * independent and under a quota, and a demand too large for the grid is a clear error. */
static void test_tiny_and_huge_demand(void)
{
    double in[] = {1e-10, 0}, zero[] = {0, 0}, out[] = {0, 1e-12};
    tp_demand d = {in, out, zero, zero, 2, 0};
    tp_model_price p = base_price(3);
    tp_recommendation rec;
    tp_error err;
    for (int round = 0; round < 4; round++) {
        tp_rec_options o = {0};
        o.spill_model = round % 2 ? TP_SPILL_INDEPENDENT : TP_SPILL_COUPLED;
        if (round >= 2)
            o.quota_tpm = 1000;
        CU_ASSERT_EQUAL_FATAL(tp_recommend_run(&d, &p, &o, &rec, &err), TP_OK);
        /* reserving 1,000 TPM for 1e-10 tokens costs more than spilling them: nothing */
        CU_ASSERT_EQUAL(rec.candidates[rec.recommended].input_tpm, 0);
        CU_ASSERT(rec.grid_input_points >= 2);
        /* the P99 candidate rounds the tiny demand up to the first grid point, 1,000 TPM */
        CU_ASSERT_EQUAL(find(&rec, TP_BASIS_P99)->input_tpm, 1000);
    }
    double huge[] = {1e12, 1e12};
    tp_demand h = {huge, zero, zero, zero, 2, 0};
    p.reserved_step_tpm = 1;
    tp_rec_options o = {0};
    CU_ASSERT_EQUAL(tp_recommend_run(&h, &p, &o, &rec, &err), TP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "too fine for a demand of 1e+12 TPM"));
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("recommend", NULL, NULL);
    CU_add_test(s, "tiny and huge demand", test_tiny_and_huge_demand);
    CU_add_test(s, "optimum matches brute force", test_optimum_matches_brute_force);
    CU_add_test(s, "quota optimum", test_quota_optimum);
    CU_add_test(s, "service level", test_service_level);
    CU_add_test(s, "spill to none", test_spill_none);
    CU_add_test(s, "terms", test_terms);
    CU_add_test(s, "candidate rates and term hours", test_candidate_rates);
    CU_add_test(s, "what-if", test_whatif);
    CU_add_test(s, "windows by month", test_windows_by_month);
    CU_add_test(s, "windows file", test_windows_parse);
    CU_add_test(s, "seasonal", test_seasonal);
    CU_add_test(s, "backtest", test_backtest);
}
