/* plan.c - windows, seasonal plans and backtests: the recommender's only reader of the store. */
#include "tierplan/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/plan_internal.h"
#include "model/plan_tiers.h"
#include "model/recommend_internal.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"
#include "base/util.h"

tp_status tp_plan_check_window(const tp_series *s, int force, tp_error *err)
{
    if (tp_series_minutes(s) >= TP_RECOMMEND_MIN_MINUTES || force)
        return TP_OK;
    /* the place too: one short place of a model stored in several must be found */
    const char *region = tp_series_region(s), *account = tp_series_account(s);
    char place[128] = "";
    if ((region != NULL && region[0] != '\0') || (account != NULL && account[0] != '\0'))
        snprintf(place, sizeof place, " (region %s, account %s)", tp_store_place_name(region),
                 tp_store_place_name(account));
    return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                              "only %zu minute%s of data for \"%s\"%s: too little to size a "
                              "reservation from (at least %d); ingest more history or pass "
                              "{force}",
                              tp_series_minutes(s), tp_series_minutes(s) == 1 ? "" : "s",
                              tp_series_model(s), place, TP_RECOMMEND_MIN_MINUTES);
}

/* ---- windows ---- */

tp_status tp_window_split_months(int64_t from_minute, int64_t to_minute, tp_window **out,
                                 size_t *n, tp_error *err)
{
    tp_window *w = NULL;
    size_t cap = 0, k = 0;
    *out = NULL;
    *n = 0;
    if (to_minute <= from_minute)
        return tp_error_set(err, TP_ERR_USAGE, "windows: an empty span");
    for (int64_t cur = from_minute; cur < to_minute; k++) {
        /* the first minute of the next calendar month, or the span's end */
        int64_t next = util_month_add(cur * 60, 1) / 60;
        if (next > to_minute)
            next = to_minute;
        if (UTIL_GROW(w, cap, k + 1) != 0) {
            free(w);
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
        w[k].from_minute = cur;
        w[k].to_minute = next;
        cur = next;
    }
    *out = w;
    *n = k;
    return TP_OK;
}

static int cmp_window(const void *a, const void *b)
{
    const tp_window *x = a, *y = b;
    return x->from_minute < y->from_minute ? -1 : x->from_minute > y->from_minute;
}

/* The next line of text[*off, len) without its line break and surrounding blanks. */
static const char *next_line(const char *text, size_t len, size_t *off, size_t *line_len)
{
    const char *ls = text + *off, *nl = memchr(ls, '\n', len - *off);
    size_t ll = nl ? (size_t)(nl - ls) : len - *off;
    *off += ll + (nl != NULL);
    while (ll > 0 && (ls[ll - 1] == '\r' || ls[ll - 1] == ' ' || ls[ll - 1] == '\t'))
        ll--;
    while (ll > 0 && (*ls == ' ' || *ls == '\t'))
        ls++, ll--;
    *line_len = ll;
    return ls;
}

tp_status tp_window_parse(const char *name, const char *text, size_t len, tp_window **out,
                          size_t *n, tp_error *err)
{
    tp_window *w = NULL;
    size_t k = 0, cap = 0, line = 0, off = 0;
    tp_status rc = TP_OK;
    *out = NULL;
    *n = 0;
    while (off < len) {
        size_t ll;
        const char *ls = next_line(text, len, &off, &ll);
        line++;
        if (ll == 0 || *ls == '#')
            continue;
        const char *comma = memchr(ls, ',', ll);
        if (line == 1 && ll == 7 && memcmp(ls, "from,to", 7) == 0)
            continue;
        int64_t a, b;
        if (comma == NULL || tp_timestamp_parse(ls, (size_t)(comma - ls), &a, NULL) != TP_OK ||
            tp_timestamp_parse(comma + 1, ll - (size_t)(comma - ls) - 1, &b, NULL) != TP_OK) {
            rc = tp_error_set(err, TP_ERR_PARSE,
                              "%s:%zu: expected \"from,to\" as two ISO 8601 timestamps", name,
                              line);
            goto cleanup;
        }
        /* windows are whole minutes: compare after rounding down, or 00:00:10 .. 00:00:20
         * would pass as a window and be empty */
        const int64_t from_minute = util_floor_div(a, 60), to_minute = util_floor_div(b, 60);
        if (to_minute <= from_minute) {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "%s:%zu: the window ends before it starts, or within its first "
                              "minute",
                              name, line);
            goto cleanup;
        }
        if (UTIL_GROW(w, cap, k + 1) != 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        w[k].from_minute = from_minute;
        w[k].to_minute = to_minute;
        k++;
    }
    if (k == 0) {
        rc = tp_error_set(err, TP_ERR_PARSE, "%s: no windows", name);
        goto cleanup;
    }
    qsort(w, k, sizeof *w, cmp_window);
    for (size_t i = 1; i < k; i++)
        if (w[i].from_minute < w[i - 1].to_minute) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s: windows overlap", name);
            goto cleanup;
        }
    *out = w;
    *n = k;
    w = NULL;
cleanup:
    free(w);
    return rc;
}

tp_status tp_window_load(const char *path, tp_window **out, size_t *n, tp_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    *n = 0;
    tp_status rc = util_read_capped(path, TP_WINDOW_FILE_MAX_BYTES, "a windows file", &text, &len,
                                    err);
    if (rc == TP_OK && len > TP_WINDOW_FILE_MAX_BYTES)
        rc = tp_error_set(err, TP_ERR_TOO_BIG, "%s: over the windows-file cap of %d bytes (1 MiB)",
                          path, TP_WINDOW_FILE_MAX_BYTES);
    else if (rc == TP_OK)
        rc = tp_window_parse(path, text, len, out, n, err);
    free(text);
    return rc;
}

/* ---- seasonal plans and backtests ---- */

/* A service level applies when the recommender enforces a bound: spill minutes, or throttled
 * minutes wherever traffic can be throttled (a quota or --spill-to none: 0 unless given). */
static int has_service_level(const tp_rec_options *o)
{
    return rec_throttle_limit(o) < INFINITY || rec_spill_limit(o, 0) < INFINITY;
}

/* Loads [from, to) of the model; TP_ERR_INVALID without data, or under a day unless force. */
static tp_status load_window(tp_store *store, const tp_series_query *q, tp_window win,
                             int force, tp_series **out, tp_error *err)
{
    tp_series_query wq = *q;
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    wq.has_from = wq.has_to = 1;
    wq.from_minute = win.from_minute;
    wq.to_minute = win.to_minute;
    tp_status rc = tp_series_load(store, &wq, out, err);
    if (rc != TP_OK)
        return rc;
    if (tp_series_minutes_with_data(*out) == 0 ||
        (!force && tp_series_minutes(*out) < TP_RECOMMEND_MIN_MINUTES)) {
        tp_series_free(*out);
        *out = NULL;
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "window %s .. %s: too little data to size from (pass {force})",
                            tp_timestamp_format(win.from_minute * 60, a),
                            tp_timestamp_format(win.to_minute * 60, b));
    }
    return TP_OK;
}

/* Loads [from, to) of the model and recommends; *best receives the recommended candidate. */
static tp_status recommend_window(tp_store *store, const tp_series_query *q, tp_window win,
                                  const tp_model_price *price, const tp_rec_options *o,
                                  int force, tp_candidate *best, char *reason, size_t rsize,
                                  tp_error *err)
{
    tp_series *s = NULL;
    tp_recommendation rec;
    tp_status rc = load_window(store, q, win, force, &s, err);
    if (rc != TP_OK)
        return rc;
    /* by service tier, as recommend: the offer, the minimums, routing, per-tier baselines */
    const tp_tier_demand d = tp_series_route_demand(s);
    if ((rc = tp_recommend_tiers_run(&d, price, o, &rec, err)) != TP_OK)
        goto cleanup;
    *best = rec.candidates[rec.recommended];
    if (reason != NULL)
        snprintf(reason, rsize, "%s", rec.reason);
cleanup:
    tp_series_free(s);
    return rc;
}

/* Whether a window of `minutes` is shorter than the commitment term. */
static int shorter_than_term(int64_t minutes, int months)
{
    return minutes < (int64_t)months * TP_TERM_MONTH_MIN_MINUTES;
}

/* The hours a window is billed (docs/model.md, "Terms" and "Seasonal windows"): the whole
 * term, months x 730 hours, when shorter than it; else its months at 730 hours each
 * (tp_pricing_billed_hours: a calendar month is 730 hours whatever its days). */
static double billed_hours(const tp_window *w, int months)
{
    return shorter_than_term(w->to_minute - w->from_minute, months)
               ? months * TP_HOURS_PER_MONTH
               : tp_pricing_billed_hours(w->from_minute, w->to_minute);
}

/* The reserved prices a window pays: its billed hours written as a rate over its own hours, so
 * the recommender sizes the window for what is billed (a fixed charge when it pays the whole
 * term) and every figure includes it. */
static tp_model_price billed_price(const tp_model_price *price, const tp_window *w, int months)
{
    tp_model_price p = *price;
    const int64_t minutes = w->to_minute - w->from_minute;
    if (minutes > 0) {
        const double f = billed_hours(w, months) / ((double)minutes / 60.0);
        if (p.reserved_input_per_1k_tpm_hour_usd > 0)
            p.reserved_input_per_1k_tpm_hour_usd *= f;
        if (p.reserved_output_per_1k_tpm_hour_usd > 0)
            p.reserved_output_per_1k_tpm_hour_usd *= f;
    }
    return p;
}

/* The part of c's reserved cost beyond the window's own share of its months: 0 unless it paid
 * the term. */
static double unused_commitment(const tp_candidate *c, const tp_window *w, int months)
{
    if (!shorter_than_term(w->to_minute - w->from_minute, months))
        return 0;
    return c->sim.reserved_usd * (1.0 - tp_pricing_billed_hours(w->from_minute, w->to_minute) /
                                            (months * TP_HOURS_PER_MONTH));
}

/* A window shorter than the term is refused unless the flags admit it. */
static tp_status check_term(const tp_window *w, const tp_rec_options *o, unsigned flags,
                            int at_end, tp_error *err)
{
    const int months = tp_recommend_term_months(o);
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    if (!shorter_than_term(w->to_minute - w->from_minute, months) || (flags & TP_PLAN_FORCE) ||
        (at_end && (flags & TP_PLAN_PARTIAL_ENDS)))
        return TP_OK;
    return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                              "window %s .. %s is shorter than the %d-month commitment term: "
                              "pass {force} to price it as a whole term (the unused part is "
                              "reported)",
                        tp_timestamp_format(w->from_minute * 60, a),
                        tp_timestamp_format(w->to_minute * 60, b), months);
}

/* The gaps between windows, each priced on demand from the span's demand, every token at the
 * tier that served it. */
static tp_status price_gaps(tp_seasonal *s, const tp_tier_demand *span,
                            const tp_model_price *price, const tp_rec_options *o, tp_error *err)
{
    for (size_t i = 1; i < s->n; i++) {
        const tp_window g = {s->windows[i - 1].window.to_minute,
                             s->windows[i].window.from_minute};
        if (g.to_minute <= g.from_minute)
            continue;
        const tp_tier_demand d =
            plan_tiers_slice(span, (size_t)(g.from_minute - span->from_minute),
                             (size_t)(g.to_minute - g.from_minute));
        tp_gap *gap = &s->gaps[s->n_gaps++];
        gap->window = g;
        tp_status rc = plan_tiers_candidate(&d, price, o, TP_BASIS_ON_DEMAND, 0, 0, 0,
                                            tp_recommend_term_months(o), &gap->on_demand, err);
        if (rc != TP_OK)
            return rc;
        s->gap_total_usd += gap->on_demand.sim.total_usd;
    }
    return TP_OK;
}

/* The flat reservation over the span: the recommender's choice (by tier), or with a service
 * level the cheapest reservation meeting it inside every window (plan_flat.c) for the traffic
 * of the tiers the span's own recommendation routes (--route-tiers, else its cheapest subset;
 * reserved and default when it reserves nothing), simulated by tier. A model whose Reserved
 * tier is not offered gets no reservation either way. */
static tp_status plan_flat(tp_seasonal *s, const tp_tier_demand *span,
                           const tp_model_price *price, const tp_rec_options *o, tp_error *err)
{
    const int months = tp_recommend_term_months(o);
    const tp_model_price billed = billed_price(price, &s->span, months);
    plan_range *r = NULL;
    double *sum = NULL;
    tp_recommendation rec;
    tp_error e;
    tp_error_clear(&e);
    tp_status rc = tp_recommend_tiers_run(span, &billed, o, &rec, &e);
    if (rc == TP_ERR_INVALID && s->service_level && strstr(e.message, "service level") != NULL) {
        rc = TP_OK; /* the span as a whole meets none: each window's bound is what counts */
        memset(&s->flat, 0, sizeof s->flat);
    } else if (rc != TP_OK) {
        if (err != NULL)
            *err = e;
        goto cleanup;
    } else {
        s->flat = rec.candidates[rec.recommended];
    }
    if (s->service_level && (price->reserved_offered || o->assume_offered)) {
        tp_model_price p;
        double discount, ri, ro;
        const tp_candidate *best = &s->flat;
        const tp_route_set routed = best->input_tpm > 0 || best->output_tpm > 0
                                        ? best->routed_tiers
                                        : plan_tiers_fixed_route(o);
        const size_t n = span->minutes > 0 ? span->minutes : 1;
        if ((r = malloc(s->n * sizeof *r)) == NULL ||
            (sum = malloc(4 * n * sizeof *sum)) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        const tp_demand routed_sum =
            plan_tiers_sum(span, routed, sum, sum + n, sum + 2 * n, sum + 3 * n);
        for (size_t i = 0; i < s->n; i++) {
            r[i].from = (size_t)(s->windows[i].window.from_minute - s->span.from_minute);
            r[i].to = (size_t)(s->windows[i].window.to_minute - s->span.from_minute);
        }
        if ((rc = rec_apply_term(&billed, months, &p, &discount, err)) != TP_OK ||
            (rc = plan_flat_slo(&routed_sum, &p, o, r, s->n, &ri, &ro, err)) != TP_OK ||
            (rc = plan_tiers_candidate(span, &p, o, TP_BASIS_SLO, ri, ro, routed, months,
                                       &s->flat, err)) != TP_OK)
            goto cleanup;
        /* no reservation, every token on demand in its own tier, is a flat plan too where it
         * meets the level (as tp_recommend_tiers_run weighs it: nothing throttled beyond the
         * bound, and with a spill bound every minute counts as spilling, so it never does) */
        tp_candidate nores;
        if ((rc = plan_tiers_candidate(span, &p, o, TP_BASIS_ON_DEMAND, 0, 0, 0, months, &nores,
                                       err)) != TP_OK)
            goto cleanup;
        if (!o->has_max_spill_minutes_pct &&
            (double)nores.sim.throttled_minutes <= rec_throttle_limit(o) &&
            nores.sim.total_usd <= s->flat.sim.total_usd) {
            s->flat = nores;
            s->flat.basis = TP_BASIS_SLO;
        }
    }
    if (rc == TP_OK) {
        s->flat_whole_term =
            shorter_than_term(s->span.to_minute - s->span.from_minute, months);
        s->flat_billed_hours = billed_hours(&s->span, months);
        s->flat_unused_commitment_usd = unused_commitment(&s->flat, &s->span, months);
        s->flat_total_usd = s->flat.sim.total_usd;
    }
cleanup:
    free(r);
    free(sum);
    return rc;
}

/* Each window's own recommendation, at the prices it pays. */
static tp_status plan_windows(tp_seasonal *s, tp_store *store, const tp_series_query *q,
                              const tp_model_price *price, const tp_rec_options *o,
                              unsigned flags, tp_error *err)
{
    const int months = tp_recommend_term_months(o);
    for (size_t i = 0; i < s->n; i++) {
        tp_window_plan *w = &s->windows[i];
        const int64_t minutes = w->window.to_minute - w->window.from_minute;
        const tp_model_price billed = billed_price(price, &w->window, months);
        tp_status rc = recommend_window(store, q, w->window, &billed, o, flags & TP_PLAN_FORCE,
                                        &w->recommended, w->reason, sizeof w->reason, err);
        if (rc != TP_OK)
            return rc;
        w->whole_term = shorter_than_term(minutes, months);
        w->billed_hours = billed_hours(&w->window, months);
        w->unused_commitment_usd = unused_commitment(&w->recommended, &w->window, months);
        s->unused_commitment_usd += w->unused_commitment_usd;
        s->seasonal_total_usd += w->recommended.sim.total_usd;
    }
    return TP_OK;
}

tp_status tp_plan_seasonal(tp_store *store, const tp_series_query *q, const tp_window *windows,
                           size_t n, const tp_model_price *price, const tp_rec_options *o,
                           unsigned flags, tp_seasonal **out, tp_error *err)
{
    tp_status rc = TP_OK;
    tp_series *span = NULL;
    tp_model_price p;
    double discount;
    *out = NULL;
    if (n == 0)
        return tp_error_set(err, TP_ERR_USAGE, "seasonal: no windows");
    for (size_t i = 0; i < n; i++)
        if ((rc = check_term(&windows[i], o, flags, i == 0 || i == n - 1, err)) != TP_OK)
            return rc;
    tp_seasonal *s = calloc(1, sizeof *s);
    if (s == NULL || (s->windows = calloc(n, sizeof *s->windows)) == NULL ||
        (s->gaps = calloc(n, sizeof *s->gaps)) == NULL) {
        tp_plan_seasonal_free(s);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    s->n = n;
    s->span.from_minute = windows[0].from_minute;
    s->span.to_minute = windows[n - 1].to_minute;
    s->service_level = has_service_level(o);
    s->max_throttled_minutes = rec_throttle_limit(o);
    for (size_t i = 0; i < n; i++)
        s->windows[i].window = windows[i];
    if ((rc = plan_windows(s, store, q, price, o, flags, err)) != TP_OK ||
        (rc = load_window(store, q, s->span, 1, &span, err)) != TP_OK)
        goto cleanup;
    const tp_tier_demand d = tp_series_route_demand(span);
    if ((rc = rec_apply_term(price, tp_recommend_term_months(o), &p, &discount, err)) != TP_OK ||
        (rc = price_gaps(s, &d, &p, o, err)) != TP_OK ||
        (rc = plan_flat(s, &d, price, o, err)) != TP_OK)
        goto cleanup;
    s->seasonal_total_usd += s->gap_total_usd;
    s->seasonal_savings_usd = s->flat_total_usd - s->seasonal_total_usd;
    *out = s;
    s = NULL;
cleanup:
    tp_series_free(span);
    tp_plan_seasonal_free(s);
    return rc;
}

void tp_plan_seasonal_free(tp_seasonal *s)
{
    if (s == NULL)
        return;
    free(s->windows);
    free(s->gaps);
    free(s);
}

/* Whether the trained reservation meets o's service level on the test window: the bounds
 * tp_recommend_run sizes for (its own rules, a quota's default of no throttled minute included),
 * checked on what the simulation counted (docs/model.md, "Backtest"). */
static int service_level_met(const tp_backtest *bt)
{
    const tp_sim_result *r = &bt->trained_on_test.sim;
    return (double)r->spill_minutes <= bt->max_spill_minutes &&
           (double)r->throttled_minutes <= bt->max_throttled_minutes;
}

/* The trained reservation and "no reservation", replayed on the test window. */
static tp_status replay_on_test(tp_store *store, const tp_series_query *q,
                                const tp_model_price *price, const tp_rec_options *o,
                                tp_backtest *out, tp_error *err)
{
    tp_series *test = NULL;
    tp_series_query tq = *q;
    tq.has_from = tq.has_to = 1;
    tq.from_minute = out->test.from_minute;
    tq.to_minute = out->test.to_minute;
    tp_status rc = tp_series_load(store, &tq, &test, err);
    if (rc != TP_OK)
        return rc;
    /* replayed by tier, routing what the trained plan routes */
    const tp_tier_demand d = tp_series_route_demand(test);
    const tp_candidate *tr = &out->trained;
    const tp_route_set routed = tr->routed_tiers != 0 ? tr->routed_tiers
                                                      : plan_tiers_fixed_route(o);
    tp_model_price p;
    double discount;
    int months = tp_recommend_term_months(o);
    if ((rc = rec_apply_term(price, months, &p, &discount, err)) != TP_OK)
        goto cleanup;
    if ((rc = plan_tiers_candidate(&d, &p, o, tr->basis, tr->input_tpm, tr->output_tpm,
                                   tr->input_tpm > 0 || tr->output_tpm > 0 ? routed : 0, months,
                                   &out->trained_on_test, err)) != TP_OK ||
        (rc = plan_tiers_candidate(&d, &p, o, TP_BASIS_ON_DEMAND, 0, 0, 0, months,
                                   &out->on_demand_test, err)) != TP_OK)
        goto cleanup;
    out->has_service_level = has_service_level(o);
    out->max_spill_minutes = rec_spill_limit(o, out->trained_on_test.sim.minutes);
    out->max_throttled_minutes = rec_throttle_limit(o);
    out->service_level_met = service_level_met(out);
    /* the hindsight plan meets the level: against a plan that misses it, no regret is fair */
    out->regret_usd = out->service_level_met
                          ? out->trained_on_test.sim.total_usd - out->hindsight.sim.total_usd
                          : NAN;
cleanup:
    tp_series_free(test);
    return rc;
}
tp_status tp_plan_backtest(tp_store *store, const tp_series_query *q, int64_t train_until,
                           const tp_model_price *price, const tp_rec_options *o, int force,
                           tp_backtest *out, tp_error *err)
{
    tp_series *all = NULL;
    tp_status rc;
    memset(out, 0, sizeof *out);
    /* the whole span: the query's window, or the model's data */
    if ((rc = tp_series_load(store, q, &all, err)) != TP_OK)
        return rc;
    const int64_t from = tp_series_from_minute(all),
                  to = from + (int64_t)tp_series_minutes(all);
    tp_series_free(all);
    if (train_until <= from || train_until >= to)
        return tp_error_set_field(err, TP_ERR_USAGE, "train_until_minute",
                                  "{train_until_minute} must fall inside the data's window, "
                                  "leaving data on both sides");
    out->train.from_minute = from;
    out->train.to_minute = train_until;
    out->test.from_minute = train_until;
    out->test.to_minute = to;
    /* each window billed by the rule (docs/model.md, "Terms"): 730 h a calendar month, a part
     * of a month its share, as simulate bills it */
    const tp_model_price train_price =
        tp_pricing_bill_span(price, out->train.from_minute, out->train.to_minute);
    const tp_model_price test_price =
        tp_pricing_bill_span(price, out->test.from_minute, out->test.to_minute);
    if ((rc = recommend_window(store, q, out->train, &train_price, o, force, &out->trained, NULL,
                               0, err)) != TP_OK ||
        (rc = recommend_window(store, q, out->test, &test_price, o, force, &out->hindsight, NULL,
                               0, err)) != TP_OK)
        return rc;
    return replay_on_test(store, q, &test_price, o, out, err);
}
