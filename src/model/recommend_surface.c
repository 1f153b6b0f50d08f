/* recommend_surface.c - the exact cost surface under an on-demand quota or with nowhere to
 * spill: for each output reservation, one pass gives cost, throttled and spill minutes at every
 * input grid point (docs/model.md, "Recommendation", "With a quota"). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/recommend_internal.h"

/* With the output reservation fixed, a minute's cost as a function of the input reservation
 * Ri is piecewise linear between a few breakpoints (coupled: m V min(c, max(b, 1 - Ri/e))),
 * so each minute adds its pieces to difference arrays over the input grid and one prefix sum
 * gives the cost everywhere. The one exception is the independent model in a minute whose
 * output spills while its spill is over the quota: there the billed share Q / q is a ratio of
 * linear functions of Ri. That minute is throttled there, so it is evaluated exactly, grid
 * point by grid point, only where the throttled-minutes bound leaves the point feasible. */
/* What the row pass reads of one minute, packed and stored in row order: the pass reads memory
 * in sequence. */
typedef struct pmin {
    double e, vin, vout; /* effective input; Standard value of each side (rec_terms) */
    double a, b;         /* quota-weighted input (input + cache write) and output */
    double o;            /* output TPM */
    size_t k;            /* index into the rec_terms arrays */
    double q;            /* the quota left to the spill this minute (rec_minute_quota) */
    int lim, exh;        /* a quota applies; none of it is left (all spill throttled) */
    int own;             /* traffic not routed is over the quota: counted by the caller */
} pmin;

struct rec_surface {
    const rec_terms *t;
    pmin *mins;              /* in order[] order */
    const rec_grid *gi, *go;
    size_t *order;           /* minutes by the output grid index from which they stop spilling */
    size_t *start;           /* go->n + 1: order[start[j + 1] ..] spill output at gp(j) */
    size_t *thr_end0, *sp_end0; /* per minute (row order), no output spill: prefix ends */
    /* the minutes order[0 .. added) whose output no longer spills, accumulated once as rows
     * go up (gi->n + 1 each): difference arrays of cost A + B Ri and histograms of
     * thr_end0, sp_end0 */
    double *dA0, *dB0;
    size_t *ht0, *hs0;
    size_t added;
    /* the current row */
    double *dA, *dB, *cost;
    size_t *ht, *hs, *throttled, *spill;
    size_t *def_k, *def_end; /* deferred (nonlinear) minutes and the end of their region */
    size_t n_def;
    double row_ro;   /* the output reservation of the row last counted */
    size_t *thr_out; /* rec_surface_row_ends: receives the active minutes' throttled ends */
    const size_t *ends_thr, *ends_sp; /* ... the caller's arrays, written up to ends_upto */
    size_t ends_upto;
};

void rec_surface_free(rec_surface *s)
{
    if (s == NULL)
        return;
    free(s->order);
    free(s->mins);
    free(s->start);
    free(s->thr_end0);
    free(s->sp_end0);
    free(s->dA0);
    free(s->dB0);
    free(s->ht0);
    free(s->hs0);
    free(s->dA);
    free(s->dB);
    free(s->cost);
    free(s->ht);
    free(s->hs);
    free(s->throttled);
    free(s->spill);
    free(s->def_k);
    free(s->def_end);
    free(s);
}

/* First input grid index at or above x, clamped to n (INFINITY: n). Piece boundaries need no
 * exactness: the cost is continuous in Ri, so both sides agree at a breakpoint. */
static size_t idx_at(const rec_grid *g, double x)
{
    if (!(x < INFINITY))
        return g->n;
    if (!(x > 0))
        return 0;
    const size_t k = rec_g_ceil(g, x);
    return k < g->n ? k : g->n;
}

/* Adds sign x (alpha + beta Ri) on [lo, hi) of Ri. */
static void add_piece(const rec_grid *g, double *dA, double *dB, double lo, double hi,
                      double alpha, double beta, double sign)
{
    const size_t a = idx_at(g, lo), b = idx_at(g, hi);
    if (a >= b)
        return;
    dA[a] += sign * alpha;
    dB[a] += sign * beta;
    dA[b] -= sign * alpha;
    dB[b] -= sign * beta;
}

/* The row's context for one minute's pieces. */
typedef struct piece_ctx {
    const rec_surface *s;
    double *dA, *dB;
    double sign;
    size_t *def_end; /* receives the end of a deferred region, or stays 0 */
} piece_ctx;

/* Coupled: m V min(c, max(b, r)), r = max(0, 1 - Ri/e), c = Q / (quota-weighted tokens). */
static void pieces_coupled(const piece_ctx *p, const pmin *x, double b)
{
    const rec_terms *t = p->s->t;
    const rec_grid *g = p->s->gi;
    const double m = t->mult * (x->vin + x->vout), e = x->e;
    if (!(m > 0))
        return;
    const double qt = x->a + x->b;
    const double c = x->lim && qt > 0 ? x->q / qt : INFINITY;
    if (!(e > 0) || b >= c) {
        add_piece(g, p->dA, p->dB, 0, INFINITY, m * (b < c ? b : c), 0, p->sign);
        return;
    }
    const double x1 = c < 1 ? e * (1 - c) : 0, x2 = e * (1 - b);
    if (x1 > 0)
        add_piece(g, p->dA, p->dB, 0, x1, m * c, 0, p->sign);
    add_piece(g, p->dA, p->dB, x1, x2, m, -m / e, p->sign);
    if (b > 0)
        add_piece(g, p->dA, p->dB, x2, INFINITY, m * b, 0, p->sign);
}

/* Independent: m min(1, Q / q) (r V_in + b V_out), q = r A + b B. */
static void pieces_independent(const piece_ctx *p, const pmin *x, double b)
{
    const rec_terms *t = p->s->t;
    const rec_grid *g = p->s->gi;
    const double m = t->mult, e = x->e, vin = x->vin, vout = x->vout;
    if (!(m > 0))
        return;
    const double Q = x->q, A = x->a;
    const double bB = b * x->b;
    /* r = 0 (Ri >= e): only the output side spills */
    if (b > 0) {
        const double f0 = x->lim && bB > Q ? Q / bB : 1;
        add_piece(g, p->dA, p->dB, e > 0 ? e : 0, INFINITY, m * f0 * b * vout, 0, p->sign);
    }
    if (!(e > 0))
        return;
    double u = 0; /* over the quota (billed share below 1) for Ri < u */
    if (x->lim) {
        const double rstar = A > 0 ? (Q - bB) / A : bB > Q ? -INFINITY : INFINITY;
        u = rstar >= 1 ? 0 : rstar <= 0 ? e : e * (1 - rstar);
    }
    if (u > 0 && b == 0) {
        /* no output spill: q = r A, billed share Q / q, so the cost is flat: m V_in Q / A */
        if (A > 0)
            add_piece(g, p->dA, p->dB, 0, u, m * vin * Q / A, 0, p->sign);
    } else if (u > 0) {
        *p->def_end = idx_at(g, u);
    }
    add_piece(g, p->dA, p->dB, u, e, m * (vin + b * vout), -m * vin / e, p->sign);
}

static void add_pieces(const piece_ctx *p, const pmin *x, double b)
{
    if (p->s->t->coupled)
        pieces_coupled(p, x, b);
    else
        pieces_independent(p, x, b);
}

/* The minute exactly as tp_simulate_run sees it at (gp(a), ro). */
static sim_minute minute_at(const rec_surface *s, size_t k, size_t a, double ro)
{
    const rec_terms *t = s->t;
    const sim_quota q = rec_minute_quota(t, k);
    return sim_minute_eval(t->in[k], t->cr[k], t->cw[k], t->o[k], t->e[k], rec_gp(s->gi, a), ro,
                           t->coupled, &q);
}

/* The end of the prefix of input grid indices at which minute k throttles (which = 1) or
 * spills (0) at output ro: the guess from the formulas, corrected with sim_minute_eval so that
 * the counts are tp_simulate_run's bit for bit. Both shrink as Ri grows. */
static size_t prefix_end(const rec_surface *s, size_t k, double ro, size_t guess, int which)
{
    const size_t n = s->gi->n;
    size_t end = guess < n ? guess : n;
    for (;;) {
        if (end > 0) {
            const sim_minute m = minute_at(s, k, end - 1, ro);
            if (!(which ? sim_minute_throttles(&m) : sim_minute_spills(&m))) {
                end--;
                continue;
            }
        }
        if (end < n) {
            const sim_minute m = minute_at(s, k, end, ro);
            if (which ? sim_minute_throttles(&m) : sim_minute_spills(&m)) {
                end++;
                continue;
            }
        }
        return end;
    }
}

/* Where minute k stops spilling at output share b: everywhere when its output spills, else
 * below e (corrected by prefix_end: e may sit on a grid point). */
static size_t spill_end(const rec_surface *s, const pmin *x, double ro, double b)
{
    if (b > 0)
        return s->gi->n; /* s_out > 0: the minute spills whatever Ri is */
    return prefix_end(s, x->k, ro, idx_at(s->gi, x->e), 0);
}

/* The input reservation below which a minute throttles at output share b (docs/model.md,
 * "With a quota"): INFINITY for always, 0 for never. *sure is cleared when a comparison that
 * decided "always" was within rounding. */
static double throttle_bound(const rec_surface *s, const pmin *x, double b, int *sure)
{
    const rec_terms *t = s->t;
    const double Q = x->q, e = x->e, A = x->a, B = x->b;
    *sure = 1;
    if (t->quota.to == TP_SPILL_TO_NONE)
        return b > 0 ? INFINITY : e;
    if (!x->lim)
        return 0;
    if (t->coupled) {
        const double c = A + B > 0 ? Q / (A + B) : INFINITY;
        *sure = !(fabs(b - c) <= 1e-9 * c);
        return b > c ? INFINITY : c < 1 ? e * (1 - c) : 0;
    }
    *sure = !(fabs(b * B - Q) <= 1e-9 * Q);
    if (b * B > Q)
        return INFINITY;
    const double rstar = A > 0 ? (Q - b * B) / A : INFINITY;
    return rstar < 1 ? e * (1 - rstar) : 0;
}

/* The end of minute k's throttled prefix. Where the bound is clearly between two grid points
 * (further than rounding could move it) the formula is the answer; near a grid point
 * prefix_end decides with tp_simulate_run's own arithmetic. */
static size_t throttle_end(const rec_surface *s, const pmin *pm, double ro, double b)
{
    const rec_grid *g = s->gi;
    const size_t k = pm->k;
    int sure;
    if (pm->own)
        return 0; /* throttled by traffic not routed: the caller counts it once */
    const double x = throttle_bound(s, pm, b, &sure);
    if (!(x < INFINITY))
        return sure ? g->n : prefix_end(s, k, ro, g->n, 1);
    if (!(x > 0))
        return prefix_end(s, k, ro, 0, 1);
    const size_t end = idx_at(g, x);
    const double tol = 1e-9 * (1 + x);
    if (end > 0 && end < g->n && rec_gp(g, end) - x > tol && x - rec_gp(g, end - 1) > tol)
        return end;
    return prefix_end(s, k, ro, end, 1);
}

tp_status rec_surface_new(const rec_terms *t, const rec_grid *gi, const rec_grid *go,
                          rec_surface **out, tp_error *err)
{
    const size_t n = t->n, gn = gi->n + 1;
    size_t *jo = NULL;
    rec_surface *s = calloc(1, sizeof *s);
    *out = NULL;
    if (s == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    s->t = t;
    s->gi = gi;
    s->go = go;
    jo = malloc(n * sizeof *jo);
    s->order = malloc(n * sizeof *s->order);
    s->mins = malloc(n * sizeof *s->mins);
    s->start = calloc(go->n + 1, sizeof *s->start);
    s->thr_end0 = malloc(n * sizeof *s->thr_end0);
    s->sp_end0 = malloc(n * sizeof *s->sp_end0);
    s->def_k = malloc(n * sizeof *s->def_k);
    s->def_end = malloc(n * sizeof *s->def_end);
    s->dA0 = calloc(gn, sizeof *s->dA0);
    s->dB0 = calloc(gn, sizeof *s->dB0);
    s->dA = malloc(gn * sizeof *s->dA);
    s->dB = malloc(gn * sizeof *s->dB);
    s->cost = malloc(gn * sizeof *s->cost);
    s->ht0 = calloc(gn, sizeof *s->ht0);
    s->hs0 = calloc(gn, sizeof *s->hs0);
    s->ht = malloc(gn * sizeof *s->ht);
    s->hs = malloc(gn * sizeof *s->hs);
    s->throttled = malloc(gn * sizeof *s->throttled);
    s->spill = malloc(gn * sizeof *s->spill);
    if (!jo || !s->order || !s->mins || !s->start || !s->thr_end0 || !s->sp_end0 || !s->def_k ||
        !s->def_end || !s->dA0 || !s->dB0 || !s->dA || !s->dB || !s->cost || !s->ht0 ||
        !s->hs0 || !s->ht || !s->hs || !s->throttled || !s->spill) {
        free(jo);
        rec_surface_free(s);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        /* the first output grid index at which minute k's output no longer spills, exactly
         * as sim_over_share decides it; the grid covers the largest output */
        size_t j = rec_g_ceil(go, t->o[k]);
        j = j < go->n ? j : go->n - 1;
        while (j > 0 && sim_over_share(t->o[k], rec_gp(go, j - 1)) == 0)
            j--;
        while (j + 1 < go->n && sim_over_share(t->o[k], rec_gp(go, j)) > 0)
            j++;
        jo[k] = j;
        s->start[j + 1]++;
    }
    for (size_t j = 0; j < go->n; j++)
        s->start[j + 1] += s->start[j];
    /* counting sort by jo; start is restored by walking it back */
    for (size_t k = 0; k < n; k++)
        s->order[s->start[jo[k]]++] = k;
    for (size_t q = 0; q < n; q++) {
        const size_t k = s->order[q];
        const sim_quota mq = rec_minute_quota(t, k);
        const pmin x = {t->e[k], t->v_in[k], t->v_out[k], t->in[k] + t->cw[k],
                        t->o[k] * t->quota.out_weight, t->o[k], k, mq.quota_tpm,
                        t->quota.quota_tpm > 0, mq.exhausted,
                        t->quota_at != NULL && t->quota.quota_tpm > 0 && t->quota_at[k] < 0};
        s->mins[q] = x;
        s->thr_end0[q] = throttle_end(s, &s->mins[q], INFINITY, 0);
        s->sp_end0[q] = spill_end(s, &s->mins[q], INFINITY, 0);
    }
    for (size_t j = go->n; j-- > 0;)
        s->start[j + 1] = s->start[j];
    s->start[0] = 0;
    free(jo);
    *out = s;
    return TP_OK;
}

/* Brings the accumulated minutes without output spill up to row j (rows usually come in
 * increasing order; an earlier row starts the accumulation over). */
static void row_inactive(rec_surface *s, size_t j)
{
    const size_t gn = s->gi->n + 1, upto = s->start[j + 1];
    size_t dummy = 0;
    const piece_ctx base = {s, s->dA0, s->dB0, 1.0, &dummy};
    if (upto < s->added) {
        memset(s->dA0, 0, gn * sizeof *s->dA0);
        memset(s->dB0, 0, gn * sizeof *s->dB0);
        memset(s->ht0, 0, gn * sizeof *s->ht0);
        memset(s->hs0, 0, gn * sizeof *s->hs0);
        s->added = 0;
    }
    for (; s->added < upto; s->added++) {
        const size_t q = s->added;
        add_pieces(&base, &s->mins[q], 0);
        s->ht0[s->thr_end0[q]]++;
        s->hs0[s->sp_end0[q]]++;
    }
}

/* Minutes whose output spills at ro: their pieces and prefixes depend on the row. */
static void row_active(rec_surface *s, size_t j, double ro)
{
    const rec_terms *t = s->t;
    size_t def_end = 0;
    const piece_ctx plus = {s, s->dA, s->dB, 1.0, &def_end};
    s->n_def = 0;
    for (size_t p = s->start[j + 1]; p < t->n; p++) {
        const pmin *x = &s->mins[p];
        const double b = sim_over_share(x->o, ro);
        def_end = 0;
        add_pieces(&plus, x, b);
        if (def_end > 0) {
            s->def_k[s->n_def] = x->k;
            s->def_end[s->n_def++] = def_end;
        }
        const size_t te = throttle_end(s, x, ro, b);
        s->ht[te]++;
        if (s->thr_out != NULL)
            s->thr_out[x->k] = te;
        s->hs[s->gi->n]++; /* its output spills: it spills at every input reservation */
    }
}

/* Row j's throttled and spill minutes at every input grid index, and its difference arrays. */
static void row_counts(rec_surface *s, size_t j, double ro)
{
    const size_t n = s->gi->n, gn = n + 1;
    row_inactive(s, j);
    memcpy(s->dA, s->dA0, gn * sizeof *s->dA);
    memcpy(s->dB, s->dB0, gn * sizeof *s->dB);
    memcpy(s->ht, s->ht0, gn * sizeof *s->ht);
    memcpy(s->hs, s->hs0, gn * sizeof *s->hs);
    row_active(s, j, ro);
    /* a minute with prefix end E throttles (spills) at every index below E */
    size_t thr = 0, sp = 0;
    for (size_t a = n; a-- > 0;) {
        thr += s->ht[a + 1];
        sp += s->hs[a + 1];
        s->throttled[a] = thr;
        s->spill[a] = sp;
    }
}

/* Row j's costs, exact from input index `from` on (row_counts first). */
static rec_row row_costs(rec_surface *s, double ro, size_t from)
{
    const rec_terms *t = s->t;
    const rec_grid *gi = s->gi;
    const size_t n = gi->n;
    double acc_a = 0, acc_b = 0;
    for (size_t a = 0; a < n; a++) {
        acc_a += s->dA[a];
        acc_b += s->dB[a];
        const double ri = rec_gp(gi, a);
        s->cost[a] = t->c_in * ri + t->c_out * ro + acc_a + acc_b * ri;
    }
    for (size_t d = 0; d < s->n_def; d++) {
        const size_t k = s->def_k[d];
        for (size_t a = from; a < s->def_end[d]; a++) {
            const sim_minute m = minute_at(s, k, a, ro);
            s->cost[a] += t->mult * (1.0 - m.thr) * (m.s_in * t->v_in[k] + m.s_out * t->v_out[k]);
        }
    }
    const rec_row row = {s->cost, s->throttled, s->spill, from};
    return row;
}

rec_row rec_surface_row(rec_surface *s, size_t j, double max_throttled)
{
    REC_GRID_INDEX_OK(s->go, j);
    const double ro = s->row_ro = rec_gp(s->go, j);
    row_counts(s, j, ro);
    size_t from = 0;
    while (from < s->gi->n && (double)s->throttled[from] > max_throttled)
        from++;
    return row_costs(s, ro, from);
}

void rec_surface_row_ends(rec_surface *s, size_t j, size_t *thr_end, size_t *sp_end)
{
    REC_GRID_INDEX_OK(s->go, j);
    const size_t upto = s->start[j + 1];
    s->row_ro = rec_gp(s->go, j);
    s->thr_out = thr_end;
    row_counts(s, j, s->row_ro);
    s->thr_out = NULL;
    /* a minute whose output no longer spills keeps the ends computed once: written when it
     * joins (rows go up; an earlier row or other arrays start over); the others spill at every
     * input reservation, and row_active wrote their throttled ends */
    if (upto < s->ends_upto || thr_end != s->ends_thr || sp_end != s->ends_sp) {
        s->ends_upto = 0;
        s->ends_thr = thr_end;
        s->ends_sp = sp_end;
    }
    for (size_t q = s->ends_upto; q < upto; q++) {
        thr_end[s->mins[q].k] = s->thr_end0[q];
        sp_end[s->mins[q].k] = s->sp_end0[q];
    }
    s->ends_upto = upto;
    for (size_t q = upto; q < s->t->n; q++)
        sp_end[s->mins[q].k] = s->gi->n;
}

rec_row rec_surface_row_costs(rec_surface *s, size_t from)
{
    return row_costs(s, s->row_ro, from < s->gi->n ? from : s->gi->n);
}
