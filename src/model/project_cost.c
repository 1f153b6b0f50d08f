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


typedef struct spill_index {
    size_t sides, n_days;
    size_t *off, *poff, *cnt; /* [day * sides + side]: where its k and its prefix sums start */
    double *k;                /* thresholds, ascending per segment */
    double *pv, *pvk, *pt, *ptk; /* prefix sums, one longer per segment than k */
    size_t used_k, used_p;       /* allocated for every minute of every day: never grown */
} spill_index;

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

static void index_free(spill_index *ix)
{
    free(ix->off);
    free(ix->poff);
    free(ix->cnt);
    free(ix->k);
    free(ix->pv);
    free(ix->pvk);
    free(ix->pt);
    free(ix->ptk);
    memset(ix, 0, sizeof *ix);
}

/* Each history day's minutes (per side) in the order of their thresholds at the last
 * reservation indexed: the next term's reservation orders them almost alike, so sorting from
 * there is nearly linear (docs/performance.md, "Projections"). */
struct proj_order {
    size_t n_days, sides;
    uint16_t *perm; /* [(day * sides + side) * 1440 + i] */
    int ready;      /* 0 until the first index is built */
    spill_index ix; /* the index, its arrays allocated once and reused by every build */
};

tp_status proj_order_new(size_t n_days, tp_spill_model model, proj_order **out, tp_error *err)
{
    proj_order *o = calloc(1, sizeof *o);
    *out = NULL;
    if (o == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    o->n_days = n_days;
    o->sides = model == TP_SPILL_COUPLED ? 1 : 2;
    if ((o->perm = malloc(n_days * o->sides * DAY_MINUTES * sizeof *o->perm)) == NULL) {
        free(o);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    *out = o;
    return TP_OK;
}

void proj_order_free(proj_order *o)
{
    if (o != NULL) {
        free(o->perm);
        index_free(&o->ix);
    }
    free(o);
}

/* Appends segment seg: the first n minutes of tmp (sorted) of history day `day`, side `side`
 * (coupled 0: everything; independent 0: input, 1: output), with prefix sums. */
static void index_push(spill_index *ix, size_t seg, const thr *tmp, size_t n,
                       const proj_hist *h, const tp_model_price *p, size_t day, int side)
{
    const double pi = p->input_per_million_usd / 1e6, po = p->output_per_million_usd / 1e6,
                 pr = p->cache_read_per_million_usd / 1e6,
                 pw = p->cache_write_per_million_usd / 1e6;
    const int coupled = ix->sides == 1;
    const size_t np = ix->used_p + n + 1;
    ix->off[seg] = ix->used_k;
    ix->poff[seg] = ix->used_p;
    ix->cnt[seg] = n;
    double *pv = ix->pv + ix->used_p, *pvk = ix->pvk + ix->used_p, *pt = ix->pt + ix->used_p,
           *ptk = ix->ptk + ix->used_p;
    pv[0] = pvk[0] = pt[0] = ptk[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const size_t m = day * DAY_MINUTES + tmp[i].m;
        const double in = h->d.input_tpm[m], o = h->d.output_tpm[m],
                     cr = h->d.cache_read_tpm[m], cw = h->d.cache_write_tpm[m];
        const double vi = in * pi + cr * pr + cw * pw, ti = in + cr + cw;
        const double v = coupled ? vi + o * po : side == 0 ? vi : o * po;
        const double t = coupled ? ti + o : side == 0 ? ti : o;
        const double k = tmp[i].k;
        ix->k[ix->used_k + i] = k;
        pv[i + 1] = pv[i] + v;
        pvk[i + 1] = pvk[i] + v * k;
        pt[i + 1] = pt[i] + t;
        ptk[i + 1] = ptk[i] + t * k;
    }
    ix->used_k += n;
    ix->used_p = np;
}

/* The thresholds of one side of a history day's minutes, in ord's order, sorted; ord keeps
 * the new order. */
static void day_sorted(const proj_hist *h, const tp_model_price *p, const proj_plan *pl,
                       proj_order *ord, size_t day, int side, thr *tmp)
{
    uint16_t *perm = ord->perm + (day * ord->sides + (size_t)side) * DAY_MINUTES;
    for (size_t i = 0; i < DAY_MINUTES; i++) {
        const size_t mm = ord->ready ? perm[i] : i, m = day * DAY_MINUTES + mm;
        const double o = h->d.output_tpm[m];
        const double e = util_burn_down_tpm(h->d.input_tpm[m], h->d.cache_read_tpm[m],
                                            h->d.cache_write_tpm[m], p->burn_down_cache_read,
                                            p->burn_down_cache_write);
        /* as the simulation: an idle side spills nothing (no 0/0) */
        const double ki = e > 0 ? pl->Ri / e : INFINITY, ko = o > 0 ? pl->Ro / o : INFINITY;
        tmp[i].k = ord->sides == 1 ? (ki < ko ? ki : ko) : side == 0 ? ki : ko;
        tmp[i].m = mm;
    }
    if (!ord->ready || !thr_insertion(tmp, DAY_MINUTES, 16 * DAY_MINUTES))
        thr_sort(tmp, DAY_MINUTES);
    for (size_t i = 0; i < DAY_MINUTES; i++)
        perm[i] = (uint16_t)tmp[i].m;
}

/* The index of reservation (Ri, Ro) over every history day, exact for day d up to the scale
 * g_max[d] (the largest it is drawn at: the minutes beyond it are left out). */
static tp_status index_build(spill_index *ix, const proj_hist *h, const tp_model_price *p,
                             const proj_plan *pl, const double *g_max, proj_order *ord,
                             tp_error *err)
{
    thr *tmp = malloc(DAY_MINUTES * sizeof *tmp);
    ix->used_k = ix->used_p = 0;
    if (ix->off == NULL) { /* the first build: every later one reuses the arrays */
        ix->sides = ord->sides;
        ix->n_days = h->n_days;
        ix->off = calloc(h->n_days * ix->sides, sizeof *ix->off);
        ix->poff = calloc(h->n_days * ix->sides, sizeof *ix->poff);
        ix->cnt = calloc(h->n_days * ix->sides, sizeof *ix->cnt);
        /* room for every minute: pages never written are never touched */
        const size_t nk = h->n_days * ix->sides * DAY_MINUTES, np = nk + h->n_days * ix->sides;
        ix->k = malloc(nk * sizeof *ix->k);
        ix->pv = malloc(np * sizeof *ix->pv);
        ix->pvk = malloc(np * sizeof *ix->pvk);
        ix->pt = malloc(np * sizeof *ix->pt);
        ix->ptk = malloc(np * sizeof *ix->ptk);
    }
    if (tmp == NULL || ix->off == NULL || ix->poff == NULL || ix->cnt == NULL || ix->k == NULL ||
        ix->pv == NULL || ix->pvk == NULL || ix->pt == NULL || ix->ptk == NULL) {
        free(tmp);
        index_free(ix);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    for (size_t day = 0; day < h->n_days; day++)
        for (int side = 0; side < (int)ix->sides; side++) {
            day_sorted(h, p, pl, ord, day, side, tmp);
            size_t n = 0;
            while (n < DAY_MINUTES && tmp[n].k <= g_max[day])
                n++;
            index_push(ix, day * ix->sides + (size_t)side, tmp, n, h, p, day, side);
        }
    ord->ready = 1;
    free(tmp);
    return TP_OK;
}

/* The spilled value (USD at multiplier 1) and raw tokens of history day `day` at scale g. */
static void index_query(const spill_index *ix, size_t day, double g, double *v, double *t)
{
    *v = *t = 0;
    for (size_t side = 0; side < ix->sides; side++) {
        const size_t seg = day * ix->sides + side, n = ix->cnt[seg], poff = ix->poff[seg];
        const double *k = n > 0 ? ix->k + ix->off[seg] : NULL;
        size_t lo = 0, hi = n; /* the number of thresholds below g */
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            if (k[mid] < g)
                lo = mid + 1;
            else
                hi = mid;
        }
        *v += g * ix->pv[poff + lo] - ix->pvk[poff + lo];
        *t += g * ix->pt[poff + lo] - ix->ptk[poff + lo];
    }
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

/* Per history day, the largest scale any sample draws it at on projected days [k0, k1). */
static void max_scales(const proj_path *pp, const proj_draws *dr, size_t k0, size_t k1,
                       double *g_max, size_t n_days)
{
    memset(g_max, 0, n_days * sizeof *g_max);
    for (size_t s = 0; s < dr->samples; s++)
        for (size_t k = k0; k < k1; k++) {
            const size_t i = s * dr->n_days + k;
            g_max[pp->day[i]] = fmax(g_max[pp->day[i]], pp->scale[i]);
        }
}

/* The plan over the demand as one stream: every tier with traffic routed (or, with nothing
 * reserved and the spill at Standard, paying Standard as its own tier would). */
static tp_status cost_total(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                            const tp_model_price *price, const proj_plan *pl,
                            const size_t *month_of, size_t k0, size_t k1, proj_sums *ps,
                            int plan, proj_order *ord, tp_error *err)
{
    tp_status rc = TP_OK;
    spill_index *ix = &ord->ix;
    double *buf = NULL, *g_max = NULL;
    const int direct = pl->quota_tpm > 0, none = pl->Ri == 0 && pl->Ro == 0;
    const double mult = pl->spill_to == TP_SPILL_TO_PRIORITY ? price->tier_multiplier[TP_TIER_PRIORITY]
                        : pl->spill_to == TP_SPILL_TO_NONE   ? 0.0
                                                             : price->tier_multiplier[TP_TIER_STANDARD];
    if (direct && (buf = malloc(4 * DAY_MINUTES * sizeof *buf)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (!direct && !none) {
        if ((g_max = malloc(h->n_days * sizeof *g_max)) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        max_scales(pp, dr, k0, k1, g_max, h->n_days);
        if ((rc = index_build(ix, h, price, pl, g_max, ord, err)) != TP_OK)
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
                    index_query(ix, hd, g, &spill_v, &spill_t);
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
    free(g_max);
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
    double *sum = NULL, *u_usd = NULL, *u_tok = NULL, *g_max = NULL, *buf = NULL;
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
        g_max = malloc((h->n_days ? h->n_days : 1) * sizeof *g_max);
        if (sum == NULL || u_usd == NULL || u_tok == NULL || g_max == NULL) {
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
            max_scales(pp, dr, k0, k1, g_max, h->n_days);
            if ((rc = index_build(&ord->ix, &rh, price, pl, g_max, ord, err)) != TP_OK)
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
                    index_query(&ord->ix, hd, g, &spill_v, &spill_t);
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
    free(g_max);
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
