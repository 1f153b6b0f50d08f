/* showback.c - a reservation's cost (Bedrock reserved TPM, or units held) split among
 * attribution keys minute by minute, with cents allocated by largest remainder (docs/model.md,
 * "Showback" and "Other providers"). */
#define _POSIX_C_SOURCE 200809L
#include "tierplan/showback.h"
#include "tierplan/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strindex.h"
#include "model/showback_cents.h"
#include "model/simulate_internal.h"
#include "series/series_lib.h"
#include "store/store_logs.h"
#include "base/util.h"

/* One key while the minutes are walked. */
typedef struct acc {
    char *key;
    double e, o; /* window demand */
    double reserved_in, reserved_out, spill, baseline;
    double tokens, spill_tokens, throttled_tokens; /* raw, all kinds */
    double wt;              /* units: window weighted tokens */
    double spill_in, spill_out; /* two pools: the spill of each pool */
    double in, cr, cw, out; /* this minute's tokens */
    int in_minute;          /* listed in walk.cur */
} acc;

typedef struct walk {
    const tp_model_price *p;
    const tp_showback_options *o;
    double rin_min, rout_min; /* reserved cost per minute of each dimension */
    acc *keys;
    size_t n, cap;
    str_index ix;
    size_t *cur; /* keys with tokens in the current minute */
    size_t n_cur, cap_cur;
    int64_t minute;
    double spill_usd, baseline_usd;
    const double *od; /* the on-demand prices per million of the tier serving the logs */
    size_t max_keys; /* a new key past this many stops the walk: over is set */
    int nomem, over;
    const tp_unit_price *u; /* units held (NULL: a Bedrock reservation) */
    double cap_tpm, bf;     /* their capacity (weighted TPM) and the burst factor */
    double cap_out_tpm;     /* two pools: the output pool's capacity (output TPM) */
    double spill_in_usd, spill_out_usd; /* two pools: each pool's spill */
} walk;

/* The minute's weighted tokens of one key, as units.c weighs a minute's demand. */
static double weighted(const tp_unit_price *u, const acc *a)
{
    return a->in + a->out * u->output_weight + a->cr * u->cache_read_weight +
           a->cw * u->cache_write_weight;
}

/* Units held (docs/model.md, "Other providers"): the minute's weighted tokens W x burst meet
 * the capacity C; the capacity used, min(W x bf, C) / C of the minute's cost, is shared by the
 * keys' weighted tokens; above C the excess share (W x bf - C) / (W x bf) of every token kind
 * of every key overflows (units.c's rule, per key: it is linear in the tokens), spilled at
 * on-demand Standard prices or throttled (reported, not charged). */
static void close_minute_units(walk *w)
{
    const tp_unit_price *u = w->u;
    double W = 0;
    for (size_t j = 0; j < w->n_cur; j++)
        W += weighted(u, &w->keys[w->cur[j]]);
    const double D = W * w->bf, C = w->cap_tpm;
    const double used = C > 0 ? (D < C ? D : C) / C * w->rin_min : 0;
    const double share = D > C ? (D - C) / D : 0;
    for (size_t j = 0; j < w->n_cur; j++) {
        acc *a = &w->keys[w->cur[j]];
        const double wk = weighted(u, a), raw = a->in + a->cr + a->cw + a->out;
        a->wt += wk;
        a->e += a->in + a->cr * u->cache_read_weight + a->cw * u->cache_write_weight;
        a->o += a->out;
        if (W > 0)
            a->reserved_in += used * wk / W;
        const double b = (a->in * w->od[TP_METRIC_INPUT] + a->cr * w->od[TP_METRIC_CACHE_READ] +
                          a->cw * w->od[TP_METRIC_CACHE_WRITE] + a->out * w->od[TP_METRIC_OUTPUT]) /
                         1e6;
        a->tokens += raw;
        if (u->throttle) {
            a->throttled_tokens += share * raw;
        } else {
            a->spill_tokens += share * raw;
            a->spill += share * b;
            w->spill_usd += share * b;
        }
        a->baseline += b;
        w->baseline_usd += b;
        a->in = a->cr = a->cw = a->out = 0;
        a->in_minute = 0;
    }
    w->n_cur = 0;
}

/* Two pools (docs/model.md, "Showback of two pools"): each pool on its own. The input pool
 * meets E = sum of the keys' e = input + cache_read x w_cr + cache_write x w_cw, the output
 * pool O = sum of their output tokens, each x burst. A pool's capacity used, min(D, C) / C of
 * its cost this minute, is shared by the keys' share of its weighted tokens (e / E, o / O);
 * above C the pool's excess share (D - C) / D of each key's tokens of its kinds overflows
 * (input, cache reads and writes; or output), spilled at on-demand Standard prices or
 * throttled, as tp_units_eval's eval_pools (units.c). */
static void close_minute_pools(walk *w)
{
    const tp_unit_price *u = w->u;
    const double wr = u->input_pool.cache_read_weight, ww = u->input_pool.cache_write_weight;
    double E = 0, O = 0;
    for (size_t j = 0; j < w->n_cur; j++) {
        const acc *a = &w->keys[w->cur[j]];
        E += a->in + a->cr * wr + a->cw * ww;
        O += a->out;
    }
    const double Din = E * w->bf, Dout = O * w->bf, Cin = w->cap_tpm, Cout = w->cap_out_tpm;
    const double used_in = Cin > 0 ? (Din < Cin ? Din : Cin) / Cin * w->rin_min : 0;
    const double used_out = Cout > 0 ? (Dout < Cout ? Dout : Cout) / Cout * w->rout_min : 0;
    const double s_in = Din > Cin ? (Din - Cin) / Din : 0;
    const double s_out = Dout > Cout ? (Dout - Cout) / Dout : 0;
    const double *od = w->od;
    for (size_t j = 0; j < w->n_cur; j++) {
        acc *a = &w->keys[w->cur[j]];
        const double e = a->in + a->cr * wr + a->cw * ww, raw_in = a->in + a->cr + a->cw;
        a->e += e;
        a->o += a->out;
        a->wt += e + a->out;
        if (E > 0)
            a->reserved_in += used_in * e / E;
        if (O > 0)
            a->reserved_out += used_out * a->out / O;
        const double b_in = (a->in * od[TP_METRIC_INPUT] + a->cr * od[TP_METRIC_CACHE_READ] +
                             a->cw * od[TP_METRIC_CACHE_WRITE]) /
                            1e6;
        const double b_out = a->out * od[TP_METRIC_OUTPUT] / 1e6;
        const double over = s_in * raw_in + s_out * a->out;
        a->tokens += raw_in + a->out;
        if (u->throttle) {
            a->throttled_tokens += over;
        } else {
            a->spill_tokens += over;
            a->spill_in += s_in * b_in;
            a->spill_out += s_out * b_out;
            a->spill += s_in * b_in + s_out * b_out;
            w->spill_in_usd += s_in * b_in;
            w->spill_out_usd += s_out * b_out;
            w->spill_usd += s_in * b_in + s_out * b_out;
        }
        a->baseline += b_in + b_out;
        w->baseline_usd += b_in + b_out;
        a->in = a->cr = a->cw = a->out = 0;
        a->in_minute = 0;
    }
    w->n_cur = 0;
}

/* Shares the current minute among its keys. */
static void close_minute(walk *w)
{
    if (w->u != NULL && w->u->pools) {
        close_minute_pools(w);
        return;
    }
    if (w->u != NULL) {
        close_minute_units(w);
        return;
    }
    const tp_model_price *p = w->p;
    const double f = p->burn_down_cache_read, wr = p->burn_down_cache_write;
    const double Ri = w->o->reserve_input_tpm, Ro = w->o->reserve_output_tpm;
    double in = 0, cr = 0, cw = 0, out = 0;
    for (size_t j = 0; j < w->n_cur; j++) {
        const acc *a = &w->keys[w->cur[j]];
        in += a->in, cr += a->cr, cw += a->cw, out += a->out;
    }
    const double E = util_burn_down_tpm(in, cr, cw, f, wr);
    const sim_quota quota = {w->o->spill_to, w->o->quota_tpm, p->quota_output_weight, 0};
    const sim_minute m =
        sim_minute_eval(in, cr, cw, out, E, Ri, Ro, w->o->spill_model == TP_SPILL_COUPLED, &quota);
    const double mult = w->o->spill_to == TP_SPILL_TO_PRIORITY
                            ? p->tier_multiplier[TP_TIER_PRIORITY]
                        : w->o->spill_to == TP_SPILL_TO_NONE ? 0.0
                                                             : p->tier_multiplier[TP_TIER_STANDARD];
    /* the capacity used this minute, shared by demand; the rest is idle */
    const double used_in = Ri > 0 ? (E < Ri ? E : Ri) / Ri * w->rin_min : 0;
    const double used_out = Ro > 0 ? (out < Ro ? out : Ro) / Ro * w->rout_min : 0;
    for (size_t j = 0; j < w->n_cur; j++) {
        acc *a = &w->keys[w->cur[j]];
        const double e = util_burn_down_tpm(a->in, a->cr, a->cw, f, wr);
        a->e += e;
        a->o += a->out;
        if (E > 0)
            a->reserved_in += used_in * e / E;
        if (out > 0)
            a->reserved_out += used_out * a->out / out;
        /* its own spilled tokens at their prices: the minute's spill is linear in them */
        const double s = mult * (1.0 - m.thr) *
                         (a->in * m.s_in * p->input_per_million_usd +
                          a->cr * m.s_in * p->cache_read_per_million_usd +
                          a->cw * m.s_in * p->cache_write_per_million_usd +
                          a->out * m.s_out * p->output_per_million_usd) /
                         1e6;
        a->spill += s;
        w->spill_usd += s;
        /* the tokens it spilled: served on demand, or throttled (m.thr of them) */
        const double spilled = (a->in + a->cr + a->cw) * m.s_in + a->out * m.s_out;
        a->tokens += a->in + a->cr + a->cw + a->out;
        a->spill_tokens += (1.0 - m.thr) * spilled;
        a->throttled_tokens += m.thr * spilled;
        /* on demand, at the prices of the tier that served it (docs/model.md, "Service
         * tiers"): the logs carry no tier, their traffic is default, served at Standard */
        const double b = (a->in * w->od[TP_METRIC_INPUT] + a->cr * w->od[TP_METRIC_CACHE_READ] +
                          a->cw * w->od[TP_METRIC_CACHE_WRITE] + a->out * w->od[TP_METRIC_OUTPUT]) /
                         1e6;
        a->baseline += b;
        w->baseline_usd += b;
        a->in = a->cr = a->cw = a->out = 0;
        a->in_minute = 0;
    }
    w->n_cur = 0;
}

static int take_row(void *ctx, int64_t minute, const char *key, const store_log_sums *v)
{
    walk *w = ctx;
    size_t at = 0;
    if (w->n_cur > 0 && minute != w->minute)
        close_minute(w);
    w->minute = minute;
    if (!str_index_find(&w->ix, key, strlen(key), &at)) {
        if (w->n >= w->max_keys)
            return w->over = 1;
        if (UTIL_GROW(w->keys, w->cap, w->n + 1) != 0)
            return w->nomem = 1;
        memset(&w->keys[w->n], 0, sizeof w->keys[w->n]);
        if ((w->keys[w->n].key = strdup(key)) == NULL)
            return w->nomem = 1;
        at = w->n++;
        if (str_index_put(&w->ix, w->keys[at].key, strlen(key), at) != 0)
            return w->nomem = 1;
    }
    acc *a = &w->keys[at];
    if (!a->in_minute) { /* first row of the key this minute */
        if (UTIL_GROW(w->cur, w->cap_cur, w->n_cur + 1) != 0)
            return w->nomem = 1;
        w->cur[w->n_cur++] = at;
        a->in_minute = 1;
    }
    a->in += (double)v->input_tokens, a->cr += (double)v->cache_read_tokens;
    a->cw += (double)v->cache_write_tokens, a->out += (double)v->output_tokens;
    return 0;
}

static int cmp_acc(const void *x, const void *y)
{
    return strcmp(((const acc *)x)->key, ((const acc *)y)->key);
}

/* Builds the lines from the keys: idle spread or its own line, then the cents. */
static tp_status make_lines(walk *w, tp_showback *sb, double reserved_in_usd,
                            double reserved_out_usd, tp_error *err)
{
    double used_in = 0, used_out = 0, e = 0, o = 0;
    /* one pool of units: one capacity, spread by the weighted tokens (no output side); two
     * pools spread each pool's idle units as a Bedrock reservation's two dimensions */
    const int one_pool = w->u != NULL && !w->u->pools, pools = w->u != NULL && w->u->pools;
    if (w->n > 1)
        qsort(w->keys, w->n, sizeof *w->keys, cmp_acc);
    for (size_t i = 0; i < w->n; i++) {
        used_in += w->keys[i].reserved_in, used_out += w->keys[i].reserved_out;
        e += one_pool ? w->keys[i].wt : w->keys[i].e, o += w->keys[i].o;
    }
    if (one_pool)
        o = 0, sb->weighted_tokens = e;
    if (pools) {
        sb->weighted_tokens = e + o;
        sb->input_weighted_tokens = e, sb->output_weighted_tokens = o;
    }
    double idle_in = reserved_in_usd - used_in, idle_out = reserved_out_usd - used_out;
    sb->idle_usd = idle_in + idle_out;
    if (pools)
        sb->input_idle_usd = idle_in, sb->output_idle_usd = idle_out;
    const size_t n = w->n + 1;
    double *res = calloc(n, sizeof *res), *sp = calloc(n, sizeof *sp);
    int64_t *rc_c = calloc(n, sizeof *rc_c), *sp_c = calloc(n, sizeof *sp_c);
    sb->lines = calloc(n, sizeof *sb->lines);
    tp_status rc = TP_OK;
    if (res == NULL || sp == NULL || rc_c == NULL || sp_c == NULL || sb->lines == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < w->n; i++) {
        const acc *a = &w->keys[i];
        res[i] = a->reserved_in + a->reserved_out;
        if (sb->options.spread_idle) /* by the key's share of the window's demand */
            res[i] += (e > 0 ? idle_in * (one_pool ? a->wt : a->e) / e : 0) +
                      (o > 0 ? idle_out * a->o / o : 0);
        sp[i] = a->spill;
    }
    /* two pools: what cannot be spread of each pool stays on the idle line */
    const double idle_in_left = sb->options.spread_idle && e > 0 ? 0 : idle_in;
    const double idle_out_left = sb->options.spread_idle && o > 0 ? 0 : idle_out;
    /* what cannot be spread (no demand on a side) stays on the idle line */
    res[w->n] = sb->options.spread_idle ? (e > 0 ? 0 : idle_in) + (o > 0 ? 0 : idle_out)
                                        : idle_in + idle_out;
    sb->reserved_cents = llround(sb->reserved_usd * 100.0);
    sb->spill_cents = llround(sb->spill_usd * 100.0);
    sb->total_cents = sb->reserved_cents + sb->spill_cents;
    if (showback_cents(res, n, sb->reserved_cents, rc_c) != 0 ||
        showback_cents(sp, n, sb->spill_cents, sp_c) != 0) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const int idle = i == w->n;
        if (idle && rc_c[i] == 0 && res[i] < 0.005 && sb->options.spread_idle)
            continue; /* spread entirely: no idle line */
        tp_showback_line *l = &sb->lines[sb->n_lines++];
        if (idle && (l->key = strdup("(idle)")) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        if (!idle) { /* the showback takes the key */
            l->key = w->keys[i].key;
            w->keys[i].key = NULL;
        }
        l->idle = idle;
        l->effective_input_tokens = idle ? 0 : w->keys[i].e;
        l->output_tokens = idle ? 0 : w->keys[i].o;
        l->reserved_usd = res[i], l->spill_usd = sp[i];
        l->on_demand_baseline_usd = idle ? 0 : w->keys[i].baseline;
        l->tokens = idle ? 0 : w->keys[i].tokens;
        l->spill_tokens = idle ? 0 : w->keys[i].spill_tokens;
        l->throttled_tokens = idle ? 0 : w->keys[i].throttled_tokens;
        l->weighted_tokens = idle ? 0 : w->keys[i].wt;
        l->reserved_cents = rc_c[i], l->spill_cents = sp_c[i];
        l->total_cents = rc_c[i] + sp_c[i];
        if (pools && idle) {
            l->input_units_usd = idle_in_left, l->output_units_usd = idle_out_left;
        } else if (pools) {
            const acc *a = &w->keys[i];
            const int spread = sb->options.spread_idle;
            l->input_units_usd = a->reserved_in + (spread && e > 0 ? idle_in * a->e / e : 0);
            l->output_units_usd = a->reserved_out + (spread && o > 0 ? idle_out * a->o / o : 0);
            l->input_spill_usd = a->spill_in, l->output_spill_usd = a->spill_out;
        }
    }
cleanup:
    free(res), free(sp), free(rc_c), free(sp_c);
    return rc;
}

/* Units held of a unit model: on the entry's grid, on a term it sells, and none of the Bedrock
 * reservation's options (silently unused otherwise). */
static tp_status check_units(const tp_model_price *p, const tp_showback_options *o,
                             tp_error *err)
{
    const tp_unit_price *u = &p->unit;
    const char *prov = tp_pricing_provider_name(p->provider);
    if (!u->pools && o->output_units != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, "output_units",
                                  "showback: catalog entry \"%s\" (%s) sells one pool of units: "
                                  "no output units",
                                  p->entry, prov);
    if (o->reserve_input_tpm != 0 || o->reserve_output_tpm != 0 || o->quota_tpm != 0 ||
        o->spill_to != TP_SPILL_TO_STANDARD || o->spill_model != TP_SPILL_COUPLED ||
        o->routed_tiers != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, "reserve_input_tpm",
                                  "showback: model sold in units (%s, catalog entry \"%s\"): "
                                  "reserved TPM, quota, spill tier, spill model and routed tiers "
                                  "are a Bedrock reservation's; give {units} held instead "
                                  "(overflow is the entry's)",
                                  prov, p->entry);
    if ((unsigned)o->unit_term >= TP_UNIT_TERM_COUNT ||
        !(u->per_unit_hour_usd[o->unit_term] > 0))
        return tp_error_set_field(err, TP_ERR_INVALID, "unit_term",
                                  "showback: catalog entry \"%s\" sells no %s term",
                                  p->entry, tp_pricing_unit_term_name(o->unit_term));
    if (u->pools) { /* each count on its own pool's grid */
        const tp_unit_pool *pl[2] = {&u->input_pool, &u->output_pool};
        const int64_t n[2] = {o->units, o->output_units};
        for (int q = 0; q < 2; q++)
            if (n[q] < 0 || (n[q] > 0 && (n[q] < pl[q]->minimum_units ||
                                          (n[q] - pl[q]->minimum_units) % pl[q]->step_units != 0)))
                return tp_error_set_field(err, TP_ERR_INVALID, q ? "output_units" : "units",
                                          "showback: %lld %s units is not on catalog entry "
                                          "\"%s\"'s grid (0, or %lld + a multiple of %lld)",
                                          (long long)n[q], q ? "output" : "input", p->entry,
                                          (long long)pl[q]->minimum_units,
                                          (long long)pl[q]->step_units);
    } else if (o->units < 0 ||
               (o->units > 0 && (o->units < u->minimum_units ||
                                 (o->units - u->minimum_units) % u->step_units != 0)))
        return tp_error_set_field(err, TP_ERR_INVALID, "units",
                                  "showback: %lld %s is not on catalog entry \"%s\"'s grid "
                                  "(0, or %lld + a multiple of %lld)",
                                  (long long)o->units, u->name, p->entry,
                                  (long long)u->minimum_units, (long long)u->step_units);
    if (o->burst_factor != 0 && !(o->burst_factor >= 1 && o->burst_factor <= 60))
        return tp_error_set_field(err, TP_ERR_INVALID, "burst_factor",
                                  "showback: burst factor %g is outside 1..60", o->burst_factor);
    return TP_OK;
}

/* tp_simulate_run's checks of the same options: the same reservation is simulated minute by
 * minute, so it is refused for the same reasons (the quota's too). */
static tp_status check(const tp_model_price *p, const tp_showback_options *o, tp_error *err)
{
    if (p->provider != TP_PROVIDER_BEDROCK)
        return check_units(p, o, err);
    if (o->units != 0 || o->output_units != 0 || o->unit_term != TP_UNIT_HOURLY ||
        o->burst_factor != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, "units",
                                  "showback: catalog entry \"%s\" is a Bedrock entry: it has no "
                                  "{units}, term or burst factor (reserve TPM instead)",
                                  p->entry);
    if (o->routed_tiers != 0 && !(o->routed_tiers & TP_ROUTE_TIER(TP_SERVICE_DEFAULT)) &&
        (o->reserve_input_tpm > 0 || o->reserve_output_tpm > 0))
        return tp_error_set_field(err, TP_ERR_INVALID, "route_tiers",
                                  "showback: invocation logs carry no service tier (their "
                                  "traffic is default), and {route_tiers} leaves default out: "
                                  "the reservation would serve none of it");
    tp_sim_options so = {0};
    so.reserve_input_tpm = o->reserve_input_tpm;
    so.reserve_output_tpm = o->reserve_output_tpm;
    so.quota_tpm = o->quota_tpm;
    so.spill_to = o->spill_to;
    so.spill_model = o->spill_model;
    return sim_check(p, &so, err);
}

/* The window: the query's bounds (a relative window resolved), else the span of the model's
 * logs. */
static tp_status window(tp_store *st, const tp_series_query *q, const tp_model_price *p,
                        int64_t *lo, int64_t *hi, tp_error *err)
{
    int found = 0;
    int64_t first = 0, last = 0;
    /* the place asked for (NULL: any): a reservation serves one region's traffic */
    const store_place at = {q->region, q->account};
    tp_status rc = store_log_span_at(st, q->model, &at, NULL, 0, &found, &first, &last, err);
    if (rc != TP_OK)
        return rc;
    if (!found && p->provider != TP_PROVIDER_BEDROCK) /* its metrics carry no keys */
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "no per-key usage for model \"%s\" (%s): showback needs invocation "
                            "logs (ingest --attribute-by) or CSV rows with source logs and a key "
                            "(docs/formats.md, \"CSV\"); its metric exports have no keys",
                            q->model, tp_pricing_provider_name(p->provider));
    if (!found)
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "no invocation logs for model \"%s\": showback needs them", q->model);
    if ((rc = series_logs_window(q, first, last, lo, hi, err)) != TP_OK)
        return rc;
    if (*hi <= *lo)
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "no invocation logs for model \"%s\" in the window", q->model);
    return TP_OK;
}

/* TP_ERR_TOO_BIG naming the window's distinct keys and the cap. */
static tp_status too_many_keys(tp_store *st, const char *model, const store_place *at,
                               int64_t lo, int64_t hi, size_t cap, tp_error *err)
{
    int64_t n = 0;
    tp_status rc = store_log_key_count_at(st, model, at, lo, hi, &n, err);
    if (rc != TP_OK)
        return rc;
    return tp_error_set(err, TP_ERR_TOO_BIG,
                        "showback of \"%s\": %lld distinct keys in the window, over the cap of "
                        "%zu (TP_SHOWBACK_MAX_KEYS): ingest with a coarser --attribute-by, or "
                        "show back a shorter window",
                        model, (long long)n, cap);
}

tp_status tp_showback_run(tp_store *store, const tp_series_query *q, const tp_model_price *p,
                          const tp_showback_options *o, tp_showback **out, tp_error *err)
{
    walk w = {0};
    tp_showback *sb = NULL;
    int64_t lo = 0, hi = 0;
    tp_store_place *places = NULL;
    size_t n_places = 0;
    const char *region_shown = "", *account_shown = "";
    tp_series_query qp;
    store_place at = {NULL, NULL};
    *out = NULL;
    tp_status rc = check(p, o, err);
    if (rc != TP_OK)
        return rc;
    /* one place's logs: a model in several without a choice is refused naming them (as the
     * loaders refuse it), never summed over places a reservation cannot serve at once */
    tp_series_query ql = *q;
    ql.source = TP_SOURCE_LOGS;
    if ((rc = series_choose_place(store, &ql, &qp, &places, &n_places, &region_shown,
                                  &account_shown, err)) != TP_OK)
        goto cleanup;
    q = &qp;
    at.region = q->region; /* the place chosen (region NULL: merged) */
    at.account = q->account;
    if ((rc = window(store, q, p, &lo, &hi, err)) != TP_OK)
        goto cleanup;
    if ((sb = calloc(1, sizeof *sb)) == NULL || (sb->model = strdup(q->model)) == NULL ||
        (sb->region = strdup(region_shown)) == NULL ||
        (sb->account = strdup(account_shown)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    sb->from_minute = lo, sb->minutes = (size_t)(hi - lo), sb->options = *o;
    sb->reserve_input_tpm = o->reserve_input_tpm, sb->reserve_output_tpm = o->reserve_output_tpm;
    /* the reservation as simulate bills it: the window's billed hours (730 a calendar month,
     * docs/model.md "Terms") x TPM / 1000 x price per 1K TPM-hour */
    const double hours = tp_pricing_billed_hours(lo, hi), Ri = o->reserve_input_tpm,
                 Ro = o->reserve_output_tpm;
    double rin = Ri > 0 ? hours * Ri / 1000.0 * p->reserved_input_per_1k_tpm_hour_usd : 0;
    double rout = Ro > 0 ? hours * Ro / 1000.0 * p->reserved_output_per_1k_tpm_hour_usd : 0;
    sb->provider = p->provider;
    if (p->provider != TP_PROVIDER_BEDROCK) {
        /* units held: units x the term's price x the hours it is paid for, as tp_units_eval
         * prices them (units.c term_hours: the window's own hours hourly and for a week, its
         * billed hours for a month and longer; docs/model.md "Other providers") */
        sb->unit = p->unit;
        sb->units = o->units, sb->unit_term = o->unit_term;
        sb->per_unit_hour_usd = p->unit.per_unit_hour_usd[o->unit_term];
        sb->price_hours = o->unit_term == TP_UNIT_HOURLY || o->unit_term == TP_UNIT_1_WEEK
                              ? (double)(hi - lo) / 60.0
                              : hours;
        sb->capacity_tpm = (double)o->units * p->unit.capacity_tpm_per_unit;
        sb->burst_factor = o->burst_factor > 0 ? o->burst_factor
                           : p->unit.per_second ? TP_UNITS_BURST_DEFAULT
                                                : 1.0;
        rin = (double)o->units * sb->per_unit_hour_usd * sb->price_hours;
        if (p->unit.pools) {
            /* two pools bought by the day: each pool's units x its price per unit-day x the
             * window's billed days, a day begun paid whole (units.c eval_pools) */
            const tp_unit_pool *ip = &p->unit.input_pool, *op = &p->unit.output_pool;
            sb->output_units = o->output_units;
            sb->billed_days = ceil((double)sb->minutes / 1440.0);
            sb->price_hours = sb->billed_days * 24;
            sb->capacity_tpm = (double)o->units * ip->capacity_tpm_per_unit;
            sb->output_capacity_tpm = (double)o->output_units * op->capacity_tpm_per_unit;
            sb->burst_factor = o->burst_factor > 0 ? o->burst_factor : 1.0;
            sb->input_units_usd = rin = (double)o->units * ip->per_unit_day_usd * sb->billed_days;
            sb->output_units_usd = rout =
                (double)o->output_units * op->per_unit_day_usd * sb->billed_days;
            w.cap_out_tpm = sb->output_capacity_tpm;
        }
        w.u = &sb->unit, w.cap_tpm = sb->capacity_tpm, w.bf = sb->burst_factor;
    }
    sb->reserved_usd = rin + rout;
    sb->routed_tiers = (Ri > 0 || Ro > 0) && p->provider == TP_PROVIDER_BEDROCK
                           ? (o->routed_tiers != 0 ? o->routed_tiers
                                                   : TP_ROUTE_TIER(TP_SERVICE_DEFAULT)) |
                                 TP_ROUTE_TIER(TP_SERVICE_RESERVED)
                           : 0;
    w.od = p->tier_per_million_usd[w.u != NULL ? TP_TIER_STANDARD /* as units.c */
                                               : tp_simulate_tier_price(TP_SERVICE_DEFAULT)];
    w.p = p, w.o = o, w.max_keys = o->max_keys > 0 ? o->max_keys : TP_SHOWBACK_MAX_KEYS;
    w.ix.borrow = 1; /* the keys' own copies: they outlive the walk */
    w.rin_min = rin / (double)sb->minutes, w.rout_min = rout / (double)sb->minutes;
    if ((rc = store_log_key_minutes_at(store, q->model, &at, lo, hi, take_row, &w, err)) !=
        TP_OK)
        goto cleanup;
    if (w.nomem) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (w.over) {
        rc = too_many_keys(store, q->model, &at, lo, hi, w.max_keys, err);
        goto cleanup;
    }
    if (w.n_cur > 0)
        close_minute(&w);
    str_index_deinit(&w.ix); /* not needed for the lines: its slots go before they are made */
    free(w.cur);
    w.cur = NULL;
    sb->spill_usd = w.spill_usd;
    sb->input_spill_usd = w.spill_in_usd, sb->output_spill_usd = w.spill_out_usd;
    sb->on_demand_baseline_usd = w.baseline_usd;
    if ((rc = make_lines(&w, sb, rin, rout, err)) != TP_OK)
        goto cleanup;
    *out = sb;
    sb = NULL;
cleanup:
    for (size_t i = 0; i < w.n; i++)
        free(w.keys[i].key);
    free(w.keys);
    free(w.cur);
    str_index_deinit(&w.ix);
    tp_showback_free(sb);
    tp_store_places_free(places, n_places);
    return rc;
}

void tp_showback_free(tp_showback *sb)
{
    if (sb == NULL)
        return;
    for (size_t i = 0; i < sb->n_lines; i++)
        free(sb->lines[i].key);
    free(sb->lines);
    free(sb->model);
    free(sb->region);
    free(sb->account);
    free(sb);
}
