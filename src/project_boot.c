/* project_boot.c - the bootstrap of a projection: a model's history as whole days drawn by
 * weekday, the draws every model shares, and each sample's days scaled by growth
 * (docs/model.md, "Projection"). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "project_internal.h"
#include "util.h"

#define DAY_MINUTES 1440

tp_status proj_hist_init(proj_hist *h, const tp_demand *d, const tp_model_price *p,
                         tp_error *err)
{
    memset(h, 0, sizeof *h);
    h->d = *d;
    h->first_day = util_floor_div(d->from_minute, DAY_MINUTES);
    h->n_days = d->minutes / DAY_MINUTES;
    const size_t n = h->n_days;
    h->value_usd = calloc(n, sizeof *h->value_usd);
    h->tokens = calloc(n, sizeof *h->tokens);
    h->eff_tokens = calloc(n, sizeof *h->eff_tokens);
    for (int w = 0; w < 7; w++)
        h->pool[w] = calloc(n, sizeof *h->pool[w]);
    for (int w = 0; w < 7; w++)
        if (h->pool[w] == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (h->value_usd == NULL || h->tokens == NULL || h->eff_tokens == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const double pi = p->input_per_million_usd / 1e6, po = p->output_per_million_usd / 1e6,
                 pr = p->cache_read_per_million_usd / 1e6,
                 pw = p->cache_write_per_million_usd / 1e6;
    for (size_t k = 0; k < n; k++) {
        double v = 0, t = 0, e = 0;
        for (size_t m = k * DAY_MINUTES; m < (k + 1) * DAY_MINUTES; m++) {
            const double in = d->input_tpm[m], o = d->output_tpm[m], cr = d->cache_read_tpm[m],
                         cw = d->cache_write_tpm[m];
            v += in * pi + cr * pr + cw * pw + o * po;
            t += in + cr + cw + o;
            e += util_burn_down_tpm(in, cr, cw, p->burn_down_cache_read,
                                    p->burn_down_cache_write) +
                 o;
        }
        h->value_usd[k] = v;
        h->tokens[k] = t;
        h->eff_tokens[k] = e;
        const int w = project_weekday(h->first_day + (int64_t)k);
        h->pool[w][h->n_pool[w]++] = k;
    }
    h->weekly = 1;
    for (int w = 0; w < 7; w++)
        h->weekly = h->weekly && h->n_pool[w] > 0;
    if (!h->weekly) /* under a week: every weekday draws from every day */
        for (int w = 0; w < 7; w++) {
            h->n_pool[w] = n;
            for (size_t k = 0; k < n; k++)
                h->pool[w][k] = k;
        }
    return TP_OK;
}

void proj_hist_free(proj_hist *h)
{
    free(h->value_usd);
    free(h->tokens);
    free(h->eff_tokens);
    for (int w = 0; w < 7; w++)
        free(h->pool[w]);
    memset(h, 0, sizeof *h);
}

tp_status proj_draws_make(proj_draws *dr, size_t samples, int64_t first_day, size_t n_days,
                          unsigned long seed, tp_error *err)
{
    tp_status rc = TP_OK;
    gsl_rng *ru = gsl_rng_alloc(gsl_rng_mt19937), *rz = gsl_rng_alloc(gsl_rng_mt19937);
    memset(dr, 0, sizeof *dr);
    dr->samples = samples;
    dr->n_days = n_days;
    dr->first_day = first_day;
    dr->u = malloc(samples * n_days * sizeof *dr->u);
    dr->z = malloc(samples * sizeof *dr->z);
    if (ru == NULL || rz == NULL || dr->u == NULL || dr->z == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* two streams, so that the day draws are the seed's first uniforms in order (sample by
     * sample, day by day) whatever the growth draws take */
    gsl_rng_set(ru, seed);
    gsl_rng_set(rz, seed + 1);
    for (size_t i = 0; i < samples * n_days; i++)
        dr->u[i] = gsl_rng_uniform(ru);
    for (size_t s = 0; s < samples; s++)
        dr->z[s] = gsl_ran_ugaussian(rz);
cleanup:
    gsl_rng_free(ru);
    gsl_rng_free(rz);
    return rc;
}

void proj_draws_free(proj_draws *dr)
{
    free(dr->u);
    free(dr->z);
    memset(dr, 0, sizeof *dr);
}

tp_status proj_path_make(proj_path *pp, const proj_hist *h, const proj_draws *dr,
                         const tp_growth *g, tp_error *err)
{
    const size_t n = dr->samples * dr->n_days;
    const int64_t last = h->first_day + (int64_t)h->n_days - 1;
    pp->day = malloc(n * sizeof *pp->day);
    pp->scale = malloc(n * sizeof *pp->scale);
    if (pp->day == NULL || pp->scale == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t s = 0; s < dr->samples; s++) {
        /* the sample's rate from N(rate, se^2); a compound rate stays above -100% */
        double rate = g->rate + g->se * dr->z[s];
        if (g->form != TP_GROWTH_LINEAR && rate < -0.99)
            rate = -0.99;
        for (size_t k = 0; k < dr->n_days; k++) {
            const int64_t D = dr->first_day + (int64_t)k;
            const int w = project_weekday(D);
            size_t j = (size_t)(dr->u[s * dr->n_days + k] * (double)h->n_pool[w]);
            if (j >= h->n_pool[w])
                j = h->n_pool[w] - 1;
            const size_t hd = h->pool[w][j];
            const double back = (double)(h->first_day + (int64_t)hd - last);
            pp->day[s * dr->n_days + k] = (uint32_t)hd;
            pp->scale[s * dr->n_days + k] =
                project_growth(g, rate, (double)(D - last)) / project_level(g, back);
        }
    }
    return TP_OK;
}

void proj_path_free(proj_path *pp)
{
    free(pp->day);
    free(pp->scale);
    memset(pp, 0, sizeof *pp);
}

tp_status proj_path_demand(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                           size_t s, size_t k0, size_t k1, tp_demand *d, double **block,
                           tp_error *err)
{
    const size_t n = (k1 - k0) * DAY_MINUTES;
    double *b = malloc(4 * n * sizeof *b);
    *block = b;
    if (b == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    double *in = b, *out = b + n, *cr = b + 2 * n, *cw = b + 3 * n;
    for (size_t k = k0; k < k1; k++) {
        const size_t hd = pp->day[s * dr->n_days + k];
        const double g = pp->scale[s * dr->n_days + k];
        const size_t src = hd * DAY_MINUTES, dst = (k - k0) * DAY_MINUTES;
        for (size_t m = 0; m < DAY_MINUTES; m++) {
            in[dst + m] = g * h->d.input_tpm[src + m];
            out[dst + m] = g * h->d.output_tpm[src + m];
            cr[dst + m] = g * h->d.cache_read_tpm[src + m];
            cw[dst + m] = g * h->d.cache_write_tpm[src + m];
        }
    }
    d->input_tpm = in;
    d->output_tpm = out;
    d->cache_read_tpm = cr;
    d->cache_write_tpm = cw;
    d->minutes = n;
    d->from_minute = (dr->first_day + (int64_t)k0) * DAY_MINUTES;
    return TP_OK;
}
