/* project_boot.c - the bootstrap of a projection: a model's history as whole days drawn by
 * weekday, the draws every model shares, and each sample's days scaled by growth
 * (docs/model.md, "Projection"). */
#include <math.h>
#include <string.h>

#include "model/project_internal.h"
#include "base/util.h"

#define DAY_MINUTES 1440

/* Per day, tier t's raw tokens and their value at its own tier's prices (reserved traffic,
 * without a reservation, at Standard: tp_simulate_tier_price). */
static tp_status tier_days(proj_hist *h, const tp_model_price *p, int t, tp_error *err)
{
    const tp_demand *x = &h->td.tier[t];
    const double *v = p->tier_per_million_usd[tp_simulate_tier_price((tp_service_tier)t)];
    h->tier_usd[t] = calloc(h->n_days ? h->n_days : 1, sizeof *h->tier_usd[t]);
    h->tier_tokens[t] = calloc(h->n_days ? h->n_days : 1, sizeof *h->tier_tokens[t]);
    if (h->tier_usd[t] == NULL || h->tier_tokens[t] == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < h->n_days; k++) {
        double u = 0, n = 0;
        for (size_t m = k * DAY_MINUTES; m < (k + 1) * DAY_MINUTES; m++) {
            const double in = x->input_tpm[m], o = x->output_tpm[m], cr = x->cache_read_tpm[m],
                         cw = x->cache_write_tpm[m];
            u += (in * v[TP_METRIC_INPUT] + o * v[TP_METRIC_OUTPUT] +
                  cr * v[TP_METRIC_CACHE_READ] + cw * v[TP_METRIC_CACHE_WRITE]) /
                 1e6;
            n += in + cr + cw + o;
        }
        h->tier_usd[t][k] = u;
        h->tier_tokens[t][k] = n;
        if (n > 0)
            h->present |= TP_ROUTE_TIER(t);
    }
    return TP_OK;
}

tp_status proj_hist_init(proj_hist *h, const tp_demand *d, const tp_tier_demand *td,
                         const unsigned char *used, const tp_model_price *p, tp_error *err)
{
    memset(h, 0, sizeof *h);
    h->d = *d;
    if (td != NULL) {
        h->td = *td;
    } else { /* no split: all default */
        h->td.tier[TP_SERVICE_DEFAULT] = *d;
        h->td.minutes = d->minutes;
        h->td.from_minute = d->from_minute;
    }
    h->used = used;
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
        if (used != NULL && !used[k])
            continue; /* not a whole day: never drawn */
        const int w = project_weekday(h->first_day + (int64_t)k);
        h->pool[w][h->n_pool[w]++] = k;
        h->n_used++;
    }
    h->weekly = 1;
    for (int w = 0; w < 7; w++)
        h->weekly = h->weekly && h->n_pool[w] > 0;
    if (!h->weekly) /* under a week: every weekday draws from every day */
        for (int w = 0; w < 7; w++) {
            h->n_pool[w] = 0;
            for (size_t k = 0; k < n; k++)
                if (used == NULL || used[k])
                    h->pool[w][h->n_pool[w]++] = k;
        }
    for (int w = 0; w < 7; w++)
        h->single += h->n_pool[w] == 1;
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        if (h->td.tier[t].input_tpm == NULL)
            continue;
        tp_status rc = tier_days(h, p, t, err);
        if (rc != TP_OK)
            return rc;
    }
    return TP_OK;
}

void proj_hist_free(proj_hist *h)
{
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        free(h->tier_usd[t]);
        free(h->tier_tokens[t]);
    }
    free(h->value_usd);
    free(h->tokens);
    free(h->eff_tokens);
    for (int w = 0; w < 7; w++)
        free(h->pool[w]);
    memset(h, 0, sizeof *h);
}

/* splitmix64's step: seeds the per-sample generators. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: one stream per sample. */
static uint64_t xoshiro(uint64_t st[4])
{
    const uint64_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 45);
    return r;
}

/* Uniform in [0, 1) from the top 53 bits. */
static double uniform01(uint64_t st[4])
{
    return (double)(xoshiro(st) >> 11) * 0x1.0p-53;
}

void proj_sample_stream(unsigned long seed, size_t s, uint64_t st[4])
{
    /* the seed mixed, then the sample number: distinct samples start distinct streams */
    uint64_t x = (uint64_t)seed;
    x = splitmix64(&x) ^ (uint64_t)s;
    for (int i = 0; i < 4; i++)
        st[i] = splitmix64(&x);
}

double proj_stream_uniform(uint64_t st[4])
{
    return uniform01(st);
}

double proj_stream_normal(uint64_t st[4])
{
    /* Box-Muller on two uniforms: always two, so the day draws after it start in one place */
    const double u1 = 1.0 - uniform01(st), u2 = uniform01(st);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

tp_status proj_draws_make(proj_draws *dr, size_t samples, int64_t first_day, size_t n_days,
                          unsigned long seed, tp_error *err)
{
    memset(dr, 0, sizeof *dr);
    dr->samples = samples;
    dr->n_days = n_days;
    dr->first_day = first_day;
    dr->u = malloc(samples * n_days * sizeof *dr->u);
    dr->z = malloc(samples * sizeof *dr->z);
    dr->z2 = malloc(samples * sizeof *dr->z2);
    if (dr->u == NULL || dr->z == NULL || dr->z2 == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    /* each sample its own stream from the seed and its number, the growth draw first and then
     * its level, then the days in date order: a longer horizon only appends draws, so the
     * months it shares with a shorter one come out the same */
    for (size_t s = 0; s < samples; s++) {
        uint64_t st[4];
        proj_sample_stream(seed, s, st);
        dr->z[s] = proj_stream_normal(st);
        dr->z2[s] = proj_stream_normal(st);
        for (size_t k = 0; k < n_days; k++)
            dr->u[s * n_days + k] = uniform01(st);
    }
    return TP_OK;
}

void proj_draws_free(proj_draws *dr)
{
    free(dr->u);
    free(dr->z);
    free(dr->z2);
    memset(dr, 0, sizeof *dr);
}

/* The history day drawn alone for projected day D: pool[w][floor(u |pool|)]. */
static size_t draw_day(const proj_hist *h, int w, double u)
{
    size_t j = (size_t)(u * (double)h->n_pool[w]);
    if (j >= h->n_pool[w])
        j = h->n_pool[w] - 1;
    return h->pool[w][j];
}

tp_status proj_path_make(proj_path *pp, const proj_hist *h, const proj_draws *dr,
                         const tp_growth *g, tp_error *err)
{
    size_t cap = 0;
    pp->day = NULL;
    pp->scale = NULL;
    return proj_path_remake(pp, &cap, h, dr, g, err);
}

tp_status proj_path_remake(proj_path *pp, size_t *cap, const proj_hist *h, const proj_draws *dr,
                           const tp_growth *g, tp_error *err)
{
    const size_t n = dr->samples * dr->n_days;
    const int64_t last = h->first_day + (int64_t)h->n_days - 1;
    if (*cap < n || pp->day == NULL || pp->scale == NULL) {
        proj_path_free(pp);
        *cap = 0;
        pp->day = malloc((n ? n : 1) * sizeof *pp->day);
        pp->scale = malloc((n ? n : 1) * sizeof *pp->scale);
        if (pp->day == NULL || pp->scale == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        *cap = n;
    }
    const double rho = g->level_rate_corr, rho_c = sqrt(fmax(0.0, 1.0 - rho * rho));
    for (size_t s = 0; s < dr->samples; s++) {
        /* the sample's rate from N(rate, se^2); a compound rate stays above -100% */
        double rate = g->rate + g->se * dr->z[s];
        if (g->form != TP_GROWTH_LINEAR && rate < -0.99)
            rate = -0.99;
        /* today's level, drawn with the fit's correlation to the rate */
        const double zl = rho * dr->z[s] + rho_c * dr->z2[s];
        const double level = g->form == TP_GROWTH_LINEAR ? fmax(0.0, 1.0 + g->level_se * zl)
                                                         : exp(g->level_se * zl);
        size_t h0 = 0; /* the block's first history day */
        for (size_t k = 0; k < dr->n_days; k++) {
            const int64_t D = dr->first_day + (int64_t)k;
            const size_t at = s * dr->n_days + k;
            const double u = dr->u[at];
            const int w = project_weekday(D);
            /* circular blocks of whole weeks, aligned on the weekday: a block starts at a
             * history day of D's weekday (drawn at every block start, observed or not, so that
             * the block's other days keep their weekdays) */
            if (h->weekly && k % PROJ_BLOCK_DAYS == 0)
                h0 = draw_day(h, w, u);
            if (D >= h->first_day && D <= last &&
                (h->used == NULL || h->used[D - h->first_day])) {
                /* observed: the day itself, as it was */
                pp->day[at] = (uint32_t)(D - h->first_day);
                pp->scale[at] = 1.0;
                continue;
            }
            size_t hd;
            if (!h->weekly) {
                hd = draw_day(h, w, u); /* under a week: days drawn alone */
            } else {
                /* the block runs on day by day, wrapping back a week at a time past the end;
                 * a day the history lacks is drawn alone */
                hd = h0 + k % PROJ_BLOCK_DAYS;
                while (hd >= h->n_days)
                    hd -= 7;
                if (h->used != NULL && !h->used[hd])
                    hd = draw_day(h, w, u);
            }
            const double back = (double)(h->first_day + (int64_t)hd - last);
            pp->day[at] = (uint32_t)hd;
            pp->scale[at] =
                level * project_growth(g, rate, (double)(D - last)) / project_level(g, back);
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
                           size_t s, size_t k0, size_t k1, tp_tier_demand *d, double **block,
                           tp_error *err)
{
    const size_t n = (k1 - k0) * DAY_MINUTES;
    size_t tiers = 0;
    memset(d, 0, sizeof *d);
    for (int t = 0; t < TP_SERVICE_COUNT; t++)
        tiers += (h->present & TP_ROUTE_TIER(t)) != 0;
    double *b = malloc((tiers ? tiers : 1) * 4 * n * sizeof *b);
    *block = b;
    if (b == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        if (!(h->present & TP_ROUTE_TIER(t)))
            continue; /* a tier without traffic keeps no arrays */
        const tp_demand *x = &h->td.tier[t];
        double *in = b, *out = b + n, *cr = b + 2 * n, *cw = b + 3 * n;
        b += 4 * n;
        for (size_t k = k0; k < k1; k++) {
            const size_t hd = pp->day[s * dr->n_days + k];
            const double g = pp->scale[s * dr->n_days + k];
            const size_t src = hd * DAY_MINUTES, dst = (k - k0) * DAY_MINUTES;
            for (size_t m = 0; m < DAY_MINUTES; m++) {
                in[dst + m] = g * x->input_tpm[src + m];
                out[dst + m] = g * x->output_tpm[src + m];
                cr[dst + m] = g * x->cache_read_tpm[src + m];
                cw[dst + m] = g * x->cache_write_tpm[src + m];
            }
        }
        tp_demand *y = &d->tier[t];
        y->input_tpm = in;
        y->output_tpm = out;
        y->cache_read_tpm = cr;
        y->cache_write_tpm = cw;
        y->minutes = n;
        y->from_minute = (dr->first_day + (int64_t)k0) * DAY_MINUTES;
    }
    d->minutes = n;
    d->from_minute = (dr->first_day + (int64_t)k0) * DAY_MINUTES;
    d->family = h->td.family;
    return TP_OK;
}
