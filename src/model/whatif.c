/* whatif.c - what-if demand: scaled traffic and a changed cache-hit share. */
#include "tierplan/whatif.h"

#include <math.h>
#include <stdlib.h>

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
