/* whatif.c - what-if demand: scaled traffic and a changed cache-hit share; a tier-mix move
 * to Flex or Batch and what it saves. */
#include "tierplan/whatif.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/metric.h"

#include "model/simulate_internal.h"

struct tp_whatif {
    double *in, *out, *cr, *cw; /* owned; d's pointers point here */
    tp_demand d;
};

tp_status tp_whatif_apply(const tp_demand *d, double scale, double delta, tp_whatif **out,
                          tp_error *err)
{
    *out = NULL;
    tp_status rc = sim_demand_check(d, err);
    if (rc != TP_OK)
        return rc;
    if (!(scale >= 0) || !isfinite(scale))
        return tp_error_set_field(err, TP_ERR_USAGE, "scale", "{scale} must be a number >= 0");
    if (!(delta >= -1 && delta <= 1))
        return tp_error_set_field(err, TP_ERR_USAGE, "cache_hit_delta",
                                  "{cache_hit_delta} must be within [-1, 1]");
    tp_whatif *w = calloc(1, sizeof *w);
    size_t n = d->minutes ? d->minutes : 1; /* malloc(0) may return NULL */
    if (w == NULL || !(w->in = malloc(n * sizeof *w->in)) ||
        !(w->out = malloc(n * sizeof *w->out)) || !(w->cr = malloc(n * sizeof *w->cr)) ||
        !(w->cw = malloc(n * sizeof *w->cw))) {
        tp_whatif_free(w);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < d->minutes; k++) {
        double i = d->input_tpm[k] * scale, r = d->cache_read_tpm[k] * scale;
        double moved = delta * (i + r); /* share of the cacheable prompt that changes side */
        if (moved > i)
            moved = i;
        if (-moved > r)
            moved = -r;
        w->in[k] = i - moved;
        w->cr[k] = r + moved;
        w->cw[k] = d->cache_write_tpm[k] * scale;
        w->out[k] = d->output_tpm[k] * scale;
    }
    w->d = *d;
    w->d.input_tpm = w->in;
    w->d.output_tpm = w->out;
    w->d.cache_read_tpm = w->cr;
    w->d.cache_write_tpm = w->cw;
    *out = w;
    return TP_OK;
}

tp_demand tp_whatif_demand(const tp_whatif *w)
{
    return w->d;
}

void tp_whatif_free(tp_whatif *w)
{
    if (w == NULL)
        return;
    free(w->in);
    free(w->out);
    free(w->cr);
    free(w->cw);
    free(w);
}

/* ---- the tier-mix what-if (docs/model.md, "Tier-mix what-if") ---- */

struct tp_whatif_tiers {
    double *buf; /* owned: default's four arrays, then flex's, minutes doubles each */
    tp_tier_demand d;
    double batch_tokens[TP_METRIC_COUNT];
    double flex_tokens;
    double flex_pct, batch_pct;
};

static int pct_ok(double p)
{
    return p >= 0 && p <= 100; /* false for NAN too */
}

/* The four arrays of a tier, in tp_metric order (input, output, cache read, cache write). */
static const double *tier_array(const tp_demand *t, int m)
{
    return m == TP_METRIC_INPUT    ? t->input_tpm
           : m == TP_METRIC_OUTPUT ? t->output_tpm
           : m == TP_METRIC_CACHE_READ ? t->cache_read_tpm
                                       : t->cache_write_tpm;
}

static tp_demand tier_from(double *base, size_t n, const tp_tier_demand *d)
{
    const tp_demand t = {base, base + n, base + 2 * n, base + 3 * n, d->minutes, d->from_minute};
    return t;
}

tp_status tp_whatif_move_tiers(const tp_tier_demand *d, double flex_pct, double batch_pct,
                               tp_whatif_tiers **out, tp_error *err)
{
    *out = NULL;
    if (!pct_ok(flex_pct))
        return tp_error_set_field(err, TP_ERR_USAGE, "move_to_flex_pct",
                                  "{move_to_flex_pct} must be a percentage from 0 to 100");
    if (!pct_ok(batch_pct))
        return tp_error_set_field(err, TP_ERR_USAGE, "move_to_batch_pct",
                                  "{move_to_batch_pct} must be a percentage from 0 to 100");
    if (flex_pct + batch_pct > 100)
        return tp_error_set_field(err, TP_ERR_USAGE, "move_to_batch_pct",
                                  "{move_to_flex_pct} and {move_to_batch_pct} add up to more "
                                  "than 100%% of the default traffic");
    const tp_demand *def = &d->tier[TP_SERVICE_DEFAULT], *flex = &d->tier[TP_SERVICE_FLEX];
    tp_status rc = sim_demand_check(def, err);
    if (rc != TP_OK || (rc = sim_demand_check(flex, err)) != TP_OK)
        return rc;
    tp_whatif_tiers *w = calloc(1, sizeof *w);
    const size_t n = d->minutes;
    if (w == NULL || (w->buf = malloc((n ? 8 * n : 1) * sizeof *w->buf)) == NULL) {
        tp_whatif_tiers_free(w);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    w->d = *d;
    w->flex_pct = flex_pct;
    w->batch_pct = batch_pct;
    const double f = flex_pct / 100, b = batch_pct / 100;
    const int has_def = def->input_tpm != NULL, has_flex = flex->input_tpm != NULL;
    /* per minute and kind: default keeps 1 - f - b, flex gains f, Batch takes b */
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        const double *dv = has_def ? tier_array(def, m) : NULL;
        const double *fv = has_flex ? tier_array(flex, m) : NULL;
        double *nd = w->buf + (size_t)m * n, *nf = w->buf + (size_t)(4 + m) * n;
        for (size_t t = 0; t < n; t++) {
            const double x = dv != NULL ? dv[t] : 0;
            nd[t] = x - x * f - x * b;
            nf[t] = (fv != NULL ? fv[t] : 0) + x * f;
            w->flex_tokens += x * f;
            w->batch_tokens[m] += x * b;
        }
    }
    if (has_def)
        w->d.tier[TP_SERVICE_DEFAULT] = tier_from(w->buf, n, d);
    /* flex has traffic now if it had some or some moved there */
    if (has_flex || (has_def && f > 0))
        w->d.tier[TP_SERVICE_FLEX] = tier_from(w->buf + 4 * n, n, d);
    *out = w;
    return TP_OK;
}

tp_tier_demand tp_whatif_tiers_demand(const tp_whatif_tiers *w)
{
    return w->d;
}

void tp_whatif_tiers_batch_tokens(const tp_whatif_tiers *w, double tokens[TP_METRIC_COUNT])
{
    for (int m = 0; m < TP_METRIC_COUNT; m++)
        tokens[m] = w->batch_tokens[m];
}

void tp_whatif_tiers_free(tp_whatif_tiers *w)
{
    if (w == NULL)
        return;
    free(w->buf);
    free(w);
}

/* Demand d without a reservation (every tier at its own price, the quota shared). */
static tp_status no_reservation(const tp_tier_demand *d, const tp_model_price *p, double quota,
                                tp_sim_tiers_result *r, tp_error *err)
{
    tp_sim_options o = {0};
    o.spill_to = TP_SPILL_TO_STANDARD;
    o.quota_tpm = quota;
    return tp_simulate_tiers_run(d, p, &o, 0, r, err);
}

static double pct_of(double part, double whole)
{
    return whole > 0 ? 100 * part / whole : NAN;
}

tp_status tp_whatif_mix_price(const tp_tier_demand *before, const tp_whatif_tiers *w,
                              const tp_model_price *p, double quota_tpm,
                              const tp_candidate *rec, tp_whatif_mix *out, tp_error *err)
{
    memset(out, 0, sizeof *out);
    double batch_usd = 0;
    for (int m = 0; m < TP_METRIC_COUNT; m++) {
        const double tokens = w->batch_tokens[m], usd = p->tier_per_million_usd[TP_TIER_BATCH][m];
        out->moved_to_batch_tokens += tokens;
        if (!(tokens > 0))
            continue;
        if (!isfinite(usd))
            return tp_error_set(err, TP_ERR_INVALID,
                                "the price catalog entry \"%s\" has no batch price for %s "
                                "tokens (a \"batch\" tier multiplier or "
                                "on_demand_per_million_by_tier.batch; docs/pricing.md)",
                                p->entry, tp_metric_key((tp_metric)m));
        batch_usd += tokens * usd / 1e6;
    }
    tp_sim_tiers_result b, a;
    tp_status rc = no_reservation(before, p, quota_tpm, &b, err);
    if (rc != TP_OK || (rc = no_reservation(&w->d, p, quota_tpm, &a, err)) != TP_OK)
        return rc;
    /* per month: window USD / window billed hours x 730 (one window, one rate;
     * tp_pricing_rate_hours) */
    const double k = TP_HOURS_PER_MONTH / tp_pricing_rate_hours(p, (double)before->minutes / 60);
    out->move_to_flex_pct = w->flex_pct;
    out->move_to_batch_pct = w->batch_pct;
    out->moved_to_flex_tokens = w->flex_tokens;
    out->batch_usd_per_month = batch_usd * k;
    out->baseline_usd_per_month = b.sim.total_usd * k;
    out->moved_usd_per_month = (a.sim.total_usd + batch_usd) * k;
    out->saving_alone_usd_per_month = out->baseline_usd_per_month - out->moved_usd_per_month;
    out->saving_alone_pct = pct_of(out->saving_alone_usd_per_month, out->baseline_usd_per_month);
    out->with_reservation_input_tpm = rec->input_tpm;
    out->with_reservation_output_tpm = rec->output_tpm;
    out->with_reservation_usd_per_month = rec->cost_per_month_usd + out->batch_usd_per_month;
    out->saving_with_reservation_usd_per_month =
        out->baseline_usd_per_month - out->with_reservation_usd_per_month;
    out->saving_with_reservation_pct =
        pct_of(out->saving_with_reservation_usd_per_month, out->baseline_usd_per_month);
    return TP_OK;
}
