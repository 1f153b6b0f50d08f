/* project_cost.c - what a fixed reservation costs on every sample's projected days: exact per
 * day from sorted thresholds and prefix sums without a quota, a direct simulation of the
 * scaled day under one (docs/model.md, "Projection: the exact spill of a scaled day"). */
#include <math.h>
#include <string.h>

#include "model/plan_tiers.h"
#include "model/project_internal.h"
#include "base/util.h"

#define DAY_MINUTES 1440

/* A minute of a history day and its threshold: it spills from scale k up, its share
 * max(0, 1 - k/g) of g times its tokens, so the day's spill at scale g is the sum over k < g
 * of (g - k) x (value, tokens). */
typedef struct thr {
    double k;
    size_t m; /* the minute within its day */
} thr;



/* Sorts by k ascending: quicksort (median of three) down to short runs, then insertion sort.
 * Written out rather than qsort: the comparison inlined, this is most of a projection's time. */
static void thr_sort(thr *a, size_t n)
{
    while (n > 16) {
        thr *lo = a, *hi = a + n - 1, *mid = a + n / 2, t;
        if (mid->k < lo->k)
            t = *mid, *mid = *lo, *lo = t;
        if (hi->k < lo->k)
            t = *hi, *hi = *lo, *lo = t;
        if (hi->k < mid->k)
            t = *hi, *hi = *mid, *mid = t;
        const double pivot = mid->k;
        thr *i = a, *j = a + n - 1;
        for (;;) {
            while (i->k < pivot)
                i++;
            while (pivot < j->k)
                j--;
            if (i >= j)
                break;
            t = *i, *i = *j, *j = t;
            i++, j--;
        }
        /* recurse into the smaller part, loop on the larger: the stack stays O(log n) */
        const size_t left = (size_t)(j - a) + 1;
        if (left < n - left) {
            thr_sort(a, left);
            a += left;
            n -= left;
        } else {
            thr_sort(a + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        const thr x = a[i];
        size_t j = i;
        for (; j > 0 && x.k < a[j - 1].k; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Insertion sort by k that gives up (returning 0) after `budget` moves: from a nearly sorted
 * start it is linear; from a scrambled one thr_sort finishes the job. */
static int thr_insertion(thr *a, size_t n, size_t budget)
{
    size_t moves = 0;
    for (size_t i = 1; i < n; i++) {
        const thr x = a[i];
        size_t j = i;
        for (; j > 0 && x.k < a[j - 1].k; j--)
            a[j] = a[j - 1];
        a[j] = x;
        if ((moves += i - j) > budget)
            return 0;
    }
    return 1;
}

/* What every build of an index over a history reads per minute, worked out once with the
 * operations index_push and day_sorted used to repeat per build (so every bit is the same):
 * the burnt-down input e and the output o the thresholds divide, and per side (coupled 0:
 * everything; independent 0: input, 1: output) the value (USD at multiplier 1) and the raw
 * tokens the prefix sums add. One block: e is its start. */
typedef struct minute_terms {
    double *e, *o, *v[2], *t[2];
    size_t cap; /* doubles allocated at e: kept for the next history that fits */
} minute_terms;

static void terms_free(minute_terms *mt)
{
    free(mt->e);
    memset(mt, 0, sizeof *mt);
}

static tp_status terms_make(minute_terms *mt, const proj_hist *h, const tp_model_price *p,
                            size_t sides, tp_error *err)
{
    const size_t n = h->n_days * DAY_MINUTES;
    const double pi = p->input_per_million_usd / 1e6, po = p->output_per_million_usd / 1e6,
                 pr = p->cache_read_per_million_usd / 1e6,
                 pw = p->cache_write_per_million_usd / 1e6;
    const size_t need = (2 + 2 * sides) * (n ? n : 1);
    double *b = mt->e;
    if (b == NULL || mt->cap < need) { /* else the block of an earlier history, reused */
        terms_free(mt);
        if ((b = malloc(need * sizeof *b)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        mt->cap = need;
    }
    mt->e = b;
    mt->o = b + n;
    for (size_t side = 0; side < sides; side++) {
        mt->v[side] = b + (2 + 2 * side) * n;
        mt->t[side] = b + (3 + 2 * side) * n;
    }
    for (size_t m = 0; m < n; m++) {
        const double in = h->d.input_tpm[m], o = h->d.output_tpm[m],
                     cr = h->d.cache_read_tpm[m], cw = h->d.cache_write_tpm[m];
        mt->e[m] = util_burn_down_tpm(in, cr, cw, p->burn_down_cache_read,
                                      p->burn_down_cache_write);
        mt->o[m] = o;
        const double vi = in * pi + cr * pr + cw * pw, ti = in + cr + cw;
        if (sides == 1) {
            mt->v[0][m] = vi + o * po;
            mt->t[0][m] = ti + o;
        } else {
            mt->v[0][m] = vi;
            mt->t[0][m] = ti;
            mt->v[1][m] = o * po;
            mt->t[1][m] = o;
        }
    }
    return TP_OK;
}

/* Each history day's minutes (per side) in the order of their thresholds at the last
 * reservation indexed: the next term's reservation orders them almost alike, so sorting from
 * there is nearly linear (docs/performance.md, "Projections"). */
struct proj_order {
    size_t n_days, sides;
    uint16_t *perm; /* [(day * sides + side) * 1440 + i] */
    int ready;      /* 0 until the first reservation is swept */
    minute_terms mt; /* of the model's whole history (cost_total's sweeps) */
    int mt_ready;    /* 0 until mt holds them */
    size_t perm_cap; /* entries allocated at perm */
};

tp_status proj_order_new(size_t n_days, tp_spill_model model, proj_order **out, tp_error *err)
{
    *out = NULL;
    const tp_status rc = proj_order_reuse(out, n_days, model, err);
    if (rc != TP_OK) { /* nothing half-made is left to the caller */
        proj_order_free(*out);
        *out = NULL;
    }
    return rc;
}

tp_status proj_order_reuse(proj_order **o, size_t n_days, tp_spill_model model, tp_error *err)
{
    const size_t sides = model == TP_SPILL_COUPLED ? 1 : 2, need = n_days * sides * DAY_MINUTES;
    if (*o == NULL && (*o = calloc(1, sizeof **o)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    proj_order *x = *o;
    x->n_days = n_days;
    x->sides = sides;
    x->ready = x->mt_ready = 0; /* a new history: nothing carries over but the arrays */
    if (x->perm == NULL || x->perm_cap < need) {
        free(x->perm);
        x->perm_cap = 0;
        if ((x->perm = malloc((need ? need : 1) * sizeof *x->perm)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        x->perm_cap = need;
    }
    return TP_OK;
}

void proj_order_free(proj_order *o)
{
    if (o != NULL) {
        free(o->perm);
        terms_free(&o->mt);
    }
    free(o);
}

/* The thresholds of one side of a history day's minutes, in ord's order, sorted; ord keeps
 * the new order. */
static void day_sorted(const minute_terms *mt, const proj_plan *pl, proj_order *ord, size_t day,
                       int side, thr *tmp)
{
    uint16_t *perm = ord->perm + (day * ord->sides + (size_t)side) * DAY_MINUTES;
    const double *de = mt->e + day * DAY_MINUTES, *dout = mt->o + day * DAY_MINUTES;
    const double Ri = pl->Ri, Ro = pl->Ro;
    /* as the simulation: an idle side spills nothing (no 0/0). In minute order first, the
     * quotients taken whatever the divisor and the idle ones replaced after (the same bits
     * where they are kept), so that the loop has no branch and the compiler may vectorise
     * it; then gathered in ord's order */
    double kb[DAY_MINUTES];
    if (ord->sides == 1) {
        for (size_t m = 0; m < DAY_MINUTES; m++) {
            const double qi = Ri / de[m], qo = Ro / dout[m];
            const double ki = de[m] > 0 ? qi : INFINITY, ko = dout[m] > 0 ? qo : INFINITY;
            kb[m] = ki < ko ? ki : ko;
        }
    } else {
        const double *x = side == 0 ? de : dout, r = side == 0 ? Ri : Ro;
        for (size_t m = 0; m < DAY_MINUTES; m++) {
            const double q = r / x[m];
            kb[m] = x[m] > 0 ? q : INFINITY;
        }
    }
    for (size_t i = 0; i < DAY_MINUTES; i++) {
        const size_t mm = ord->ready ? perm[i] : i;
        tmp[i].k = kb[mm];
        tmp[i].m = mm;
    }
    if (!ord->ready || !thr_insertion(tmp, DAY_MINUTES, 16 * DAY_MINUTES))
        thr_sort(tmp, DAY_MINUTES);
    for (size_t i = 0; i < DAY_MINUTES; i++)
        perm[i] = (uint16_t)tmp[i].m;
}

/* The spill of reservation pl on every sample's projected days [k0, k1), exact (docs/model.md,
 * "Projection: the exact spill of a scaled day"): query q = s x (k1 - k0) + (k - k0) gets the
 * spilled value (USD at multiplier 1) out_v[q] and raw tokens out_t[q] of its history day at
 * its scale g, g x (sum of V) - (sum of V k) over the day's minutes with threshold k < g, per
 * side, summed in threshold order. Each history day's thresholds are sorted from ord's order
 * (every day, drawn or not: the order carries to the next reservation) and swept once with
 * the day's queries in scale order: the running sums at a query are bit for bit the prefix
 * sums an index of the day would hold there. */
static tp_status spill_sweep(const proj_hist *h, const minute_terms *mt, const proj_plan *pl,
                             const proj_path *pp, const proj_draws *dr, size_t k0, size_t k1,
                             proj_order *ord, double *out_v, double *out_t, tp_error *err)
{
    const size_t nk = k1 - k0, nq = dr->samples * nk, nd = h->n_days;
    thr *tmp = malloc(DAY_MINUTES * sizeof *tmp);
    size_t *start = calloc(nd + 1, sizeof *start);
    thr *qs = malloc((nq ? nq : 1) * sizeof *qs); /* a query: k its scale, m its number */
    if (tmp == NULL || start == NULL || qs == NULL) {
        free(tmp);
        free(start);
        free(qs);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    /* the queries grouped by history day (a counting sort), each day's by scale */
    for (size_t s = 0; s < dr->samples; s++)
        for (size_t k = k0; k < k1; k++)
            start[pp->day[s * dr->n_days + k] + 1]++;
    for (size_t d = 0; d < nd; d++)
        start[d + 1] += start[d];
    for (size_t s = 0; s < dr->samples; s++)
        for (size_t k = k0; k < k1; k++) {
            const size_t i = s * dr->n_days + k, q = s * nk + (k - k0);
            qs[start[pp->day[i]]++] = (thr){pp->scale[i], q};
            out_v[q] = out_t[q] = 0;
        }
    for (size_t d = nd; d > 0; d--) /* back to each day's first */
        start[d] = start[d - 1];
    start[0] = 0;
    for (size_t day = 0; day < nd; day++) {
        thr *dq = qs + start[day];
        const size_t n = start[day + 1] - start[day];
        thr_sort(dq, n); /* by scale: equal scales read the same sums, in any order */
        for (int side = 0; side < (int)ord->sides; side++) {
            day_sorted(mt, pl, ord, day, side, tmp);
            const double *dv = mt->v[side] + day * DAY_MINUTES,
                         *dt = mt->t[side] + day * DAY_MINUTES;
            double sv = 0, svk = 0, st = 0, stk = 0;
            size_t i = 0;
            for (size_t j = 0; j < n; j++) {
                const double g = dq[j].k;
                for (; i < DAY_MINUTES && tmp[i].k < g; i++) {
                    const double v = dv[tmp[i].m], t = dt[tmp[i].m], k = tmp[i].k;
                    sv += v;
                    svk += v * k;
                    st += t;
                    stk += t * k;
                }
                out_v[dq[j].m] += g * sv - svk;
                out_t[dq[j].m] += g * st - stk;
            }
        }
    }
    ord->ready = 1;
    free(tmp);
    free(start);
    free(qs);
    return TP_OK;
}

/* One scaled history day simulated as it is (under a quota the spill is not a function of
 * the thresholds alone). buf holds 4 x 1440 values. */
static tp_status direct_day(const proj_hist *h, const tp_model_price *p, const proj_plan *pl,
                            size_t day, double g, double *buf, double *od_usd, double *spill_t,
                            double *thr_t, tp_error *err)
{
    const size_t src = day * DAY_MINUTES;
    for (size_t m = 0; m < DAY_MINUTES; m++) {
        buf[m] = g * h->d.input_tpm[src + m];
        buf[DAY_MINUTES + m] = g * h->d.output_tpm[src + m];
        buf[2 * DAY_MINUTES + m] = g * h->d.cache_read_tpm[src + m];
        buf[3 * DAY_MINUTES + m] = g * h->d.cache_write_tpm[src + m];
    }
    const tp_demand d = {buf, buf + DAY_MINUTES, buf + 2 * DAY_MINUTES, buf + 3 * DAY_MINUTES,
                         DAY_MINUTES, 0};
    tp_sim_options so;
    tp_sim_result r;
    memset(&so, 0, sizeof so);
    so.reserve_input_tpm = pl->Ri;
    so.reserve_output_tpm = pl->Ro;
    so.spill_model = pl->spill_model;
    so.spill_to = pl->spill_to;
    so.quota_tpm = pl->quota_tpm;
    tp_status rc = tp_simulate_run(&d, p, &so, &r, err);
    *od_usd = r.spill_usd;
    *spill_t = r.spill_input_tokens + r.spill_output_tokens;
    *thr_t = r.throttled_tokens;
    return rc;
}

/* The plan over the demand as one stream: every tier with traffic routed (or, with nothing
 * reserved and the spill at Standard, paying Standard as its own tier would). */
static tp_status cost_total(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                            const tp_model_price *price, const proj_plan *pl,
                            const size_t *month_of, size_t k0, size_t k1, proj_sums *ps,
                            int plan, proj_order *ord, tp_error *err)
{
    tp_status rc = TP_OK;
    double *buf = NULL, *sp_v = NULL, *sp_t = NULL;
    const int direct = pl->quota_tpm > 0, none = pl->Ri == 0 && pl->Ro == 0;
    const double mult = pl->spill_to == TP_SPILL_TO_PRIORITY ? price->tier_multiplier[TP_TIER_PRIORITY]
                        : pl->spill_to == TP_SPILL_TO_NONE   ? 0.0
                                                             : price->tier_multiplier[TP_TIER_STANDARD];
    if (direct && (buf = malloc(4 * DAY_MINUTES * sizeof *buf)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (!direct && !none) {
        const size_t nq = dr->samples * (k1 - k0);
        sp_v = malloc((nq ? nq : 1) * sizeof *sp_v);
        sp_t = malloc((nq ? nq : 1) * sizeof *sp_t);
        if (sp_v == NULL || sp_t == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        if (!ord->mt_ready && (rc = terms_make(&ord->mt, h, price, ord->sides, err)) == TP_OK)
            ord->mt_ready = 1;
        if (rc != TP_OK ||
            (rc = spill_sweep(h, &ord->mt, pl, pp, dr, k0, k1, ord, sp_v, sp_t, err)) != TP_OK)
            goto cleanup;
    }
    for (size_t s = 0; s < dr->samples && rc == TP_OK; s++)
        for (size_t k = k0; k < k1; k++) {
            const size_t hd = pp->day[s * dr->n_days + k];
            const double g = pp->scale[s * dr->n_days + k];
            const double all_t = g * h->tokens[hd];
            double od_usd, spill_v, spill_t, thr_t = 0;
            if (direct) {
                if ((rc = direct_day(h, price, pl, hd, g, buf, &od_usd, &spill_t, &thr_t, err)) !=
                    TP_OK)
                    break;
            } else {
                if (none) {
                    spill_v = g * h->value_usd[hd];
                    spill_t = all_t;
                } else {
                    spill_v = sp_v[s * (k1 - k0) + (k - k0)];
                    spill_t = sp_t[s * (k1 - k0) + (k - k0)];
                }
                od_usd = mult * spill_v;
                thr_t = pl->spill_to == TP_SPILL_TO_NONE ? spill_t : 0;
            }
            tp_project_figures *f = proj_fig(ps, plan, month_of[k], s);
            f->on_demand_usd += od_usd;
            f->tokens += all_t;
            f->reserved_tokens += all_t - spill_t;
            f->on_demand_tokens += spill_t - thr_t;
            f->throttled_tokens += thr_t;
        }
cleanup:
    free(buf);
    free(sp_v);
    free(sp_t);
    return rc;
}

/* One scaled history day by tier simulated as it is (under a quota). buf holds 4 x 1440
 * values per tier with traffic. */
static tp_status direct_day_tiers(const proj_hist *h, const tp_model_price *p,
                                  const proj_plan *pl, size_t day, double g, double *buf,
                                  double *od_usd, double *res_t, double *od_t, double *thr_t,
                                  tp_error *err)
{
    tp_tier_demand d;
    memset(&d, 0, sizeof d);
    d.minutes = DAY_MINUTES;
    const size_t src = day * DAY_MINUTES;
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        if (!(h->present & TP_ROUTE_TIER(t)))
            continue;
        const tp_demand *x = &h->td.tier[t];
        for (size_t m = 0; m < DAY_MINUTES; m++) {
            buf[m] = g * x->input_tpm[src + m];
            buf[DAY_MINUTES + m] = g * x->output_tpm[src + m];
            buf[2 * DAY_MINUTES + m] = g * x->cache_read_tpm[src + m];
            buf[3 * DAY_MINUTES + m] = g * x->cache_write_tpm[src + m];
        }
        const tp_demand y = {buf, buf + DAY_MINUTES, buf + 2 * DAY_MINUTES,
                             buf + 3 * DAY_MINUTES, DAY_MINUTES, 0};
        d.tier[t] = y;
        buf += 4 * DAY_MINUTES;
    }
    tp_sim_options so;
    tp_sim_tiers_result r;
    memset(&so, 0, sizeof so);
    so.reserve_input_tpm = pl->Ri;
    so.reserve_output_tpm = pl->Ro;
    so.spill_model = pl->spill_model;
    so.spill_to = pl->spill_to;
    so.quota_tpm = pl->quota_tpm;
    tp_status rc = tp_simulate_tiers_run(&d, p, &so, pl->routed, &r, err);
    *od_usd = r.sim.spill_usd + r.sim.unrouted_usd;
    *res_t = *od_t = *thr_t = 0;
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        *res_t += r.tier[t].reserved_tokens;
        *od_t += r.tier[t].on_demand_tokens;
        *thr_t += r.tier[t].throttled_tokens;
    }
    return rc;
}

/* The plan with some traffic not routed (docs/model.md, "Service tiers"): the routed tiers'
 * sum absorbed by the reservation, exactly per scaled day as cost_total does, its overflow at
 * the spill tier; the other tiers, linear in the scale, at their own tier's prices. Under a
 * quota, shared by the tiers, each scaled day is simulated by tier. */
static tp_status cost_split(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                            const tp_model_price *price, const proj_plan *pl,
                            tp_route_set unrouted, const size_t *month_of, size_t k0, size_t k1,
                            proj_sums *ps, int plan, proj_order *ord, tp_error *err)
{
    const size_t n = h->n_days * DAY_MINUTES;
    const int direct = pl->quota_tpm > 0, none = pl->Ri == 0 && pl->Ro == 0;
    const tp_route_set routed = h->present & ~unrouted;
    const double mult = pl->spill_to == TP_SPILL_TO_PRIORITY ? price->tier_multiplier[TP_TIER_PRIORITY]
                        : pl->spill_to == TP_SPILL_TO_NONE   ? 0.0
                                                             : price->tier_multiplier[TP_TIER_STANDARD];
    double *sum = NULL, *u_usd = NULL, *u_tok = NULL, *buf = NULL, *sp_v = NULL, *sp_t = NULL;
    const size_t nq = dr->samples * (k1 - k0);
    proj_hist rh; /* the routed tiers' sum, as one stream */
    tp_status rc = TP_OK;
    memset(&rh, 0, sizeof rh);
    if (direct) {
        if ((buf = malloc(TP_SERVICE_COUNT * 4 * DAY_MINUTES * sizeof *buf)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    } else {
        sum = malloc(4 * (n ? n : 1) * sizeof *sum);
        u_usd = calloc(h->n_days ? h->n_days : 1, sizeof *u_usd);
        u_tok = calloc(h->n_days ? h->n_days : 1, sizeof *u_tok);
        sp_v = malloc((nq ? nq : 1) * sizeof *sp_v);
        sp_t = malloc((nq ? nq : 1) * sizeof *sp_t);
        if (sum == NULL || u_usd == NULL || u_tok == NULL || sp_v == NULL || sp_t == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        for (int t = 0; t < TP_SERVICE_COUNT; t++)
            if (unrouted & TP_ROUTE_TIER(t))
                for (size_t k = 0; k < h->n_days; k++) {
                    u_usd[k] += h->tier_usd[t][k];
                    u_tok[k] += h->tier_tokens[t][k];
                }
        const tp_demand sd =
            plan_tiers_sum(&h->td, routed, sum, sum + n, sum + 2 * n, sum + 3 * n);
        if ((rc = proj_hist_init(&rh, &sd, NULL, h->used, price, err)) != TP_OK)
            goto cleanup;
        if (!none && routed != 0) {
            minute_terms mt = {0}; /* of the routed sum: this build's own */
            if ((rc = terms_make(&mt, &rh, price, ord->sides, err)) == TP_OK)
                rc = spill_sweep(&rh, &mt, pl, pp, dr, k0, k1, ord, sp_v, sp_t, err);
            terms_free(&mt);
            if (rc != TP_OK)
                goto cleanup;
        }
    }
    for (size_t s = 0; s < dr->samples && rc == TP_OK; s++)
        for (size_t k = k0; k < k1; k++) {
            const size_t hd = pp->day[s * dr->n_days + k];
            const double g = pp->scale[s * dr->n_days + k];
            double od_usd, res_t, od_t, thr_t;
            if (direct) {
                if ((rc = direct_day_tiers(h, price, pl, hd, g, buf, &od_usd, &res_t, &od_t,
                                           &thr_t, err)) != TP_OK)
                    break;
            } else {
                double spill_v = 0, spill_t = 0;
                if (routed != 0 && none) {
                    spill_v = g * rh.value_usd[hd];
                    spill_t = g * rh.tokens[hd];
                } else if (routed != 0) {
                    spill_v = sp_v[s * (k1 - k0) + (k - k0)];
                    spill_t = sp_t[s * (k1 - k0) + (k - k0)];
                }
                thr_t = pl->spill_to == TP_SPILL_TO_NONE ? spill_t : 0;
                od_usd = mult * spill_v + g * u_usd[hd];
                res_t = (routed != 0 ? g * rh.tokens[hd] : 0) - spill_t;
                od_t = spill_t - thr_t + g * u_tok[hd];
            }
            tp_project_figures *f = proj_fig(ps, plan, month_of[k], s);
            f->on_demand_usd += od_usd;
            f->tokens += g * h->tokens[hd];
            f->reserved_tokens += res_t;
            f->on_demand_tokens += od_t;
            f->throttled_tokens += thr_t;
        }
cleanup:
    proj_hist_free(&rh);
    free(sum);
    free(u_usd);
    free(u_tok);
    free(sp_v);
    free(sp_t);
    free(buf);
    return rc;
}

tp_status proj_cost_days(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                         const tp_model_price *price, const proj_plan *pl, const size_t *month_of,
                         size_t k0, size_t k1, proj_sums *ps, int plan, proj_order *ord,
                         tp_error *err)
{
    /* the traffic the reservation does not serve; with nothing reserved and the spill at
     * Standard, default traffic pays Standard either way (reserved traffic always is routed) */
    tp_route_set unrouted =
        h->present & ~(pl->routed | TP_ROUTE_TIER(TP_SERVICE_RESERVED));
    if (pl->Ri == 0 && pl->Ro == 0 && pl->spill_to == TP_SPILL_TO_STANDARD)
        unrouted &= ~TP_ROUTE_TIER(TP_SERVICE_DEFAULT);
    if (unrouted == 0)
        return cost_total(h, pp, dr, price, pl, month_of, k0, k1, ps, plan, ord, err);
    return cost_split(h, pp, dr, price, pl, unrouted, month_of, k0, k1, ps, plan, ord, err);
}
