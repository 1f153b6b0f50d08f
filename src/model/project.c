/* project.c - one model's projection: its growth, the four plans month by month over every
 * bootstrap sample, and the quantiles of each month (docs/model.md, "Projection"). */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/plan_tiers.h"
#include "tierplan/timestamp.h"
#include "model/project_internal.h"
#include "model/recommend_batch.h"
#include "base/sha256.h"

/* Fields of tp_project_figures, all doubles: quantiles are taken field by field. */
#define N_FIGS (sizeof(tp_project_figures) / sizeof(double))

const char *tp_project_plan_name(tp_project_plan p)
{
    static const char *const names[TP_PROJECT_PLAN_COUNT] = {"on_demand", "all_priority",
                                                             "recommended", "held"};
    return (unsigned)p < TP_PROJECT_PLAN_COUNT ? names[p] : "?";
}

double tp_project_quantile(int q)
{
    return q == 0 ? 0.1 : q == 2 ? 0.9 : 0.5;
}

const char *tp_project_quantile_name(int q)
{
    return q == 0 ? "p10" : q == 2 ? "p90" : "p50";
}

static int dbl_cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts doubles ascending (none is NaN): quicksort (median of three) down to short runs, then
 * insertion sort; written out rather than qsort, whose comparison through a pointer was a
 * twentieth of a projection's time. Equal values are equal bits here (no -0: the figures are
 * sums of non-negative terms), so the order is qsort's. */
static void dbl_sort(double *a, size_t n)
{
    while (n > 16) {
        double *lo = a, *hi = a + n - 1, *mid = a + n / 2, t;
        if (*mid < *lo)
            t = *mid, *mid = *lo, *lo = t;
        if (*hi < *lo)
            t = *hi, *hi = *lo, *lo = t;
        if (*hi < *mid)
            t = *hi, *hi = *mid, *mid = t;
        const double pivot = *mid;
        double *i = a, *j = a + n - 1;
        for (;;) {
            while (*i < pivot)
                i++;
            while (pivot < *j)
                j--;
            if (i >= j)
                break;
            t = *i, *i = *j, *j = t;
            i++, j--;
        }
        const size_t left = (size_t)(j - a) + 1;
        if (left < n - left) {
            dbl_sort(a, left);
            a += left;
            n -= left;
        } else {
            dbl_sort(a + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        const double x = a[i];
        size_t j = i;
        for (; j > 0 && x < a[j - 1]; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

void proj_total_quantiles(const proj_sums *ps, int plan, tp_project_figures *q, double *tmp)
{
    for (size_t f = 0; f < N_FIGS; f++) {
        for (size_t s = 0; s < ps->samples; s++) {
            double sum = 0;
            for (size_t m = 0; m < ps->n_months; m++)
                sum += ((const double *)proj_fig(ps, plan, m, s))[f];
            tmp[s] = sum;
        }
        dbl_sort(tmp, ps->samples);
        for (int k = 0; k < TP_PROJECT_QUANTILES; k++)
            ((double *)&q[k])[f] = gsl_stats_quantile_from_sorted_data(
                tmp, 1, ps->samples, tp_project_quantile(k));
    }
}

void proj_quantiles(const proj_sums *ps, int plan, size_t month, tp_project_figures *q,
                    double *tmp)
{
    for (size_t f = 0; f < N_FIGS; f++) {
        for (size_t s = 0; s < ps->samples; s++)
            tmp[s] = ((const double *)proj_fig(ps, plan, month, s))[f];
        dbl_sort(tmp, ps->samples);
        for (int k = 0; k < TP_PROJECT_QUANTILES; k++)
            ((double *)&q[k])[f] = gsl_stats_quantile_from_sorted_data(
                tmp, 1, ps->samples, tp_project_quantile(k));
    }
}

/* The given growth (the plan file's over the command's) with its level's uncertainty, else
 * the fit over the days with demand. */
static tp_status model_growth(const proj_ctx *c, const proj_hist *h, const tp_plan_entry *pe,
                              tp_growth *g, tp_error *err)
{
    memset(g, 0, sizeof *g);
    const int given = pe->has_growth_pct_per_month || c->o->has_growth;
    int64_t *day = malloc((h->n_days + 1) * sizeof *day);
    double *y = malloc((h->n_days + 1) * sizeof *y);
    size_t n = 0;
    tp_status rc;
    if (day == NULL || y == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < h->n_days; k++)
        if (h->eff_tokens[k] > 0 && (h->used == NULL || h->used[k])) {
            day[n] = h->first_day + (int64_t)k;
            y[n++] = h->eff_tokens[k];
        }
    const int64_t last = h->first_day + (int64_t)h->n_days - 1;
    if (given) {
        const double r = (pe->has_growth_pct_per_month ? pe->growth_pct_per_month
                                                       : c->o->growth_pct_per_month) /
                         100.0;
        const double sd = (c->o->has_growth_sd ? c->o->growth_sd_pct
                                               : TP_GROWTH_DEFAULT_SD_PCT) /
                          100.0;
        rc = tp_project_growth_given(day, y, n, last, r, sd, g, err);
    } else {
        rc = tp_project_growth_fit(day, y, n, last, g, err);
    }
cleanup:
    free(day);
    free(y);
    return rc;
}

/* The catalog's price factor for a term, or TP_ERR_INVALID naming the terms it has. */
static tp_status term_discount(const tp_model_price *p, int term, double *out, tp_error *err)
{
    for (int i = 0; i < p->n_terms; i++)
        if (p->term_months[i] == term) {
            *out = p->term_discount[i];
            return TP_OK;
        }
    return tp_error_set(err, TP_ERR_INVALID,
                        "the price catalog lists no %d-month term for \"%s\"", term, p->entry);
}

/* The first minute of a projected month (Unix minutes). */
static int64_t month_minute(const tp_project_month *mo)
{
    char buf[32];
    int64_t s = 0;
    snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00Z", mo->year, mo->month);
    (void)tp_timestamp_parse(buf, strlen(buf), &s, NULL); /* a month the projection made */
    return s / 60;
}

/* The fixed monthly charge of a reservation: rate x 730 h, as billed, whatever the days. */
static double monthly_reserved_usd(const tp_model_price *p, double Ri, double Ro, double disc)
{
    return TP_HOURS_PER_MONTH * disc *
           (Ri / 1000.0 * (Ri > 0 ? p->reserved_input_per_1k_tpm_hour_usd : 0) +
            Ro / 1000.0 * (Ro > 0 ? p->reserved_output_per_1k_tpm_hour_usd : 0));
}

/* The plan's reserved charge and total in every sample of month mm, and its cell's reservation. */
static void set_month(const proj_ctx *c, tp_project_model *m, proj_sums *ps, int plan, size_t mm,
                      double Ri, double Ro, double reserved_usd)
{
    for (size_t s = 0; s < c->samples; s++) {
        tp_project_figures *f = proj_fig(ps, plan, mm, s);
        f->reserved_usd = reserved_usd;
        f->cost_usd = reserved_usd + f->on_demand_usd;
    }
    tp_project_cell *cell = &m->cells[mm * TP_PROJECT_PLAN_COUNT + (size_t)plan];
    cell->has = 1;
    cell->reserve_input_tpm = Ri;
    cell->reserve_output_tpm = Ro;
}

tp_status proj_median_sample(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                             size_t k0, size_t k1, size_t *out, tp_error *err)
{
    double (*v)[2] = malloc(c->samples * sizeof *v);
    if (v == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const size_t nd = c->draws.n_days;
    for (size_t s = 0; s < c->samples; s++) {
        double sum = 0;
        for (size_t k = k0; k < k1; k++)
            sum += pp->scale[s * nd + k] * h->value_usd[pp->day[s * nd + k]];
        v[s][0] = sum;
        v[s][1] = (double)s;
    }
    qsort(v, c->samples, sizeof *v, dbl_cmp); /* compares the sums; equal sums stay put... */
    /* ...qsort is not stable: break ties by sample number explicitly */
    size_t mid = (c->samples - 1) / 2, lo = mid;
    while (lo > 0 && v[lo - 1][0] == v[mid][0])
        lo--;
    double best = v[lo][1];
    for (size_t i = lo; i < c->samples && v[i][0] == v[mid][0]; i++)
        best = fmin(best, v[i][1]);
    *out = (size_t)best;
    free(v);
    return TP_OK;
}

/* The reservation a term holds: the recommender's pick; without a service level (or a quota,
 * under which throttling is bounded) the cheapest of its candidates on the P50 path, reserving
 * nothing among them (its optimum is searched on a grid and can cost a few dollars more than
 * no reservation at all). */
const tp_candidate *proj_term_pick(const tp_recommendation *rec, const tp_rec_options *ro)
{
    const tp_candidate *best = &rec->candidates[rec->recommended];
    if (best->basis == TP_BASIS_SLO || ro->spill_to == TP_SPILL_TO_NONE || ro->quota_tpm > 0)
        return best; /* a bound on spill or throttling the other candidates may not meet */
    /* nothing reserved costs what its spill tier costs: Standard, or Priority */
    const tp_basis none =
        ro->spill_to == TP_SPILL_TO_PRIORITY ? TP_BASIS_ALL_PRIORITY : TP_BASIS_ON_DEMAND;
    for (size_t q = 0; q < rec->n_candidates; q++) {
        const tp_candidate *c = &rec->candidates[q];
        const int reserves = c->basis <= TP_BASIS_OPTIMAL;
        if ((reserves || c->basis == none) && c->sim.total_usd < best->sim.total_usd)
            best = c;
    }
    return best;
}

/* The plan a candidate stands for: its reservation, the tiers it routes (reserved always),
 * and its spill tier (no reservation pays Standard, all Priority Priority, as the recommender
 * simulated them). */
static proj_plan candidate_plan(const tp_candidate *r, const tp_rec_options *ro)
{
    proj_plan pl = {r->input_tpm, r->output_tpm, r->routed_tiers | TP_ROUTE_TIER(TP_SERVICE_RESERVED),
                    ro->spill_to, ro->spill_model, ro->quota_tpm};
    if (r->basis == TP_BASIS_ALL_PRIORITY) {
        pl.routed = TP_ROUTE_ALL;
        pl.spill_to = TP_SPILL_TO_PRIORITY;
    } else if (r->basis == TP_BASIS_ON_DEMAND) {
        pl.spill_to = TP_SPILL_TO_STANDARD;
    }
    return pl;
}

/* The recommended plan: at each term start, sized by service tier on the P50 path of the
 * term's whole months (a term running past the horizon too: the horizon never changes the
 * months it shows), then held over every sample of the months within the horizon. */
static tp_status plan_recommended(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                                  const tp_rec_options *ro, tp_project_model *m, proj_sums *ps,
                                  proj_order *ord, tp_error *err)
{
    const size_t T = (size_t)m->term_months;
    tp_status rc = TP_OK;
    for (size_t m0 = 0; m0 < c->n_months && rc == TP_OK; m0 += T) {
        /* the whole term: c's months run on past the horizon to the end of the last term */
        const size_t m1 = m0 + T, k0 = c->month_day[m0], k1 = c->month_day[m1];
        const size_t m_in = m1 < c->n_months ? m1 : c->n_months; /* shown */
        size_t s50 = 0;
        double *block = NULL;
        tp_tier_demand d;
        tp_recommendation rec;
        /* the recommender charges the reservation per hour of the demand it sees, but the term
         * is billed 730 h a month whatever the month's days (tp_pricing_billed_hours): its
         * hourly rate, scaled by billed over real hours, makes what it compares exactly what
         * is billed against the spill */
        tp_model_price billed = m->price;
        const int64_t from_minute = month_minute(&c->months[m0]);
        const double f =
            tp_pricing_billed_hours(from_minute, from_minute + (int64_t)(k1 - k0) * 1440) /
            (24.0 * (double)(k1 - k0));
        billed.reserved_input_per_1k_tpm_hour_usd *= f;
        billed.reserved_output_per_1k_tpm_hour_usd *= f;
        /* by tier, as recommend: the Reserved offer, the minimums and the routing hold; one
         * thread, for the projection runs its models on its own workers */
        if ((rc = proj_median_sample(c, h, pp, k0, k1, &s50, err)) != TP_OK ||
            (rc = proj_path_demand(h, pp, &c->draws, s50, k0, k1, &d, &block, err)) != TP_OK ||
            (rc = rec_tiers_run(&d, &billed, ro, 1, &rec, err)) != TP_OK) {
            free(block);
            break;
        }
        free(block);
        if (m0 == 0) {
            m->offered = rec.offered;
            m->assumed_offered = rec.assumed_offered;
        }
        const tp_candidate *r = proj_term_pick(&rec, ro);
        const proj_plan pl = candidate_plan(r, ro);
        rc = proj_cost_days(h, pp, &c->draws, &m->price, &pl, c->month_of, k0,
                            c->month_day[m_in], ps, TP_PROJECT_RECOMMENDED, ord, err);
        const double res = monthly_reserved_usd(&m->price, pl.Ri, pl.Ro, m->term_discount);
        if (m1 > c->n_months) { /* committed beyond the horizon */
            m->beyond_months = (int)(m1 - c->n_months);
            m->beyond_reserved_usd = res * (double)(m1 - c->n_months);
            m->beyond_input_tpm = pl.Ri;
            m->beyond_output_tpm = pl.Ro;
        }
        for (size_t mm = m0; mm < m_in; mm++) {
            set_month(c, m, ps, TP_PROJECT_RECOMMENDED, mm, pl.Ri, pl.Ro, res);
            tp_project_cell *cell = &m->cells[mm * TP_PROJECT_PLAN_COUNT + TP_PROJECT_RECOMMENDED];
            cell->term_start = mm == m0;
            cell->term_end = mm == m0 + T - 1;
            cell->routed_tiers = pl.Ri > 0 || pl.Ro > 0 ? pl.routed & (h->present | TP_ROUTE_TIER(TP_SERVICE_RESERVED)) : 0;
        }
    }
    return rc;
}

/* A plan with a reservation fixed over the whole horizon (none for the on-demand plans). */
static tp_status plan_fixed(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                            const proj_plan *pl, double disc, int plan, tp_project_model *m,
                            proj_sums *ps, proj_order *ord, tp_error *err)
{
    tp_status rc = proj_cost_days(h, pp, &c->draws, &m->price, pl, c->month_of, 0,
                                  c->month_day[c->n_months], ps, plan, ord, err);
    const double res = monthly_reserved_usd(&m->price, pl->Ri, pl->Ro, disc);
    for (size_t mm = 0; mm < c->n_months && rc == TP_OK; mm++)
        set_month(c, m, ps, plan, mm, pl->Ri, pl->Ro, res);
    return rc;
}

/* The recommend options of this model: the command's, with its plan file entry over them. */
static tp_rec_options model_rec_options(const proj_ctx *c, const tp_plan_entry *e)
{
    tp_rec_options ro = c->o->rec;
    if (e->has_term_months)
        ro.term_months = e->term_months;
    if (e->has_max_spill_minutes_pct) {
        ro.has_max_spill_minutes_pct = 1;
        ro.max_spill_minutes_pct = e->max_spill_minutes_pct;
    }
    if (e->has_max_throttled_minutes) {
        ro.has_max_throttled_minutes = 1;
        ro.max_throttled_minutes = e->max_throttled_minutes;
    }
    return ro;
}

/* Every plan of the model over every sample. */
static tp_status model_plans(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                             const tp_plan_entry *pe, tp_project_model *m, proj_sums *ps,
                             proj_order **kept, tp_error *err)
{
    const tp_rec_options ro = model_rec_options(c, pe);
    /* a model sold in units: no Bedrock quota, term or reservation in TPM (docs/model.md,
     * "Projection of a model sold in units") */
    const int units = m->price.provider != TP_PROVIDER_BEDROCK;
    const double quota_tpm = units ? 0 : ro.quota_tpm;
    proj_order *ord = NULL;
    tp_status rc = TP_OK;
    m->has_held = c->o->has_held || pe->has_reserve_input_tpm || pe->has_reserve_output_tpm;
    if (units && m->has_held)
        return tp_error_set(err, TP_ERR_USAGE,
                            "sold in units (%s): a held reservation in TPM does not apply "
                            "to it", /* the caller prefixes the model */
                            tp_pricing_provider_name(m->price.provider));
    if (!units) {
        m->term_months = tp_recommend_term_months(&ro);
        rc = term_discount(&m->price, m->term_months, &m->term_discount, err);
    }
    if (rc != TP_OK)
        return rc;
    if (kept != NULL) { /* the worker's, reused */
        rc = proj_order_reuse(kept, h->n_days, ro.spill_model, err);
        ord = *kept;
    } else {
        rc = proj_order_new(h->n_days, ro.spill_model, &ord, err);
    }
    if (rc != TP_OK)
        return rc;
    /* the on-demand plans run under the same quota as the reservations */
    /* no reservation: each tier at its own prices (reserved traffic at Standard); all
     * Priority: everything routed to nothing, at Priority */
    const proj_plan od = {0, 0, 0, TP_SPILL_TO_STANDARD, ro.spill_model, quota_tpm};
    const proj_plan pr = {0, 0, TP_ROUTE_ALL, TP_SPILL_TO_PRIORITY, ro.spill_model, quota_tpm};
    if ((rc = plan_fixed(c, h, pp, &od, 1, TP_PROJECT_ON_DEMAND, m, ps, ord, err)) != TP_OK ||
        (rc = plan_fixed(c, h, pp, &pr, 1, TP_PROJECT_ALL_PRIORITY, m, ps, ord, err)) != TP_OK)
        goto cleanup;
    if (units) {
        rc = proj_units_recommended(c, h, pp, m, ps, err);
        goto cleanup;
    }
    if (m->has_held) {
        /* it serves the tiers --route-tiers names, else reserved and default */
        proj_plan held = {c->o->held_input_tpm, c->o->held_output_tpm,
                          plan_tiers_fixed_route(&ro), ro.spill_to, ro.spill_model,
                          ro.quota_tpm};
        if (pe->has_reserve_input_tpm || pe->has_reserve_output_tpm) {
            held.Ri = pe->has_reserve_input_tpm ? pe->reserve_input_tpm : 0;
            held.Ro = pe->has_reserve_output_tpm ? pe->reserve_output_tpm : 0;
        }
        if ((held.Ri > 0 && m->price.reserved_input_per_1k_tpm_hour_usd < 0) ||
            (held.Ro > 0 && m->price.reserved_output_per_1k_tpm_hour_usd < 0)) {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "the price catalog has no reserved_per_1k_tpm_hour for \"%s\"",
                              m->price.entry);
            goto cleanup;
        }
        if ((rc = plan_fixed(c, h, pp, &held, m->term_discount, TP_PROJECT_HELD, m, ps, ord,
                             err)) != TP_OK)
            goto cleanup;
        for (size_t mm = 0; mm < c->n_months; mm++)
            m->cells[mm * TP_PROJECT_PLAN_COUNT + TP_PROJECT_HELD].routed_tiers =
                held.Ri > 0 || held.Ro > 0 ? held.routed : 0;
    }
    rc = plan_recommended(c, h, pp, &ro, m, ps, ord, err);
cleanup:
    if (kept == NULL)
        proj_order_free(ord);
    return rc;
}

void proj_scratch_free(proj_scratch *sc)
{
    proj_order_free(sc->ord);
    proj_path_free(&sc->path);
    memset(sc, 0, sizeof *sc);
}

tp_status proj_model_run(const proj_ctx *c, const tp_demand *d, const tp_tier_demand *td,
                         const unsigned char *used, const tp_plan_entry *pe,
                         tp_project_model *m, proj_sums *ps, tp_error *err)
{
    return proj_model_run_with(c, d, td, used, pe, m, ps, NULL, err);
}

tp_status proj_model_run_with(const proj_ctx *c, const tp_demand *d, const tp_tier_demand *td,
                              const unsigned char *used, const tp_plan_entry *pe,
                              tp_project_model *m, proj_sums *ps, proj_scratch *sc,
                              tp_error *err)
{
    proj_hist h;
    proj_path own = {0};
    size_t own_cap = 0;
    proj_path *const path = sc != NULL ? &sc->path : &own;
    size_t *const path_cap = sc != NULL ? &sc->path_cap : &own_cap;
    double *tmp = NULL;
    tp_status rc;
    memset(ps, 0, sizeof *ps);
    if ((rc = proj_hist_init(&h, d, td, used, &m->price, err)) != TP_OK)
        goto cleanup;
    m->present = h.present;
    m->history_from_minute = d->from_minute;
    m->history_to_minute = d->from_minute + (int64_t)d->minutes;
    m->history_days = h.n_used;
    m->weekly_shape_kept = h.weekly;
    m->single_day_weekdays = h.single;
    if ((rc = model_growth(c, &h, pe, &m->growth, err)) != TP_OK ||
        (rc = proj_path_remake(path, path_cap, &h, &c->draws, &m->growth, err)) != TP_OK)
        goto cleanup;
    const proj_path pp = *path;
    ps->n_months = c->n_months;
    ps->samples = c->samples;
    ps->figs = calloc(TP_PROJECT_PLAN_COUNT * c->n_months * c->samples, sizeof *ps->figs);
    m->cells = calloc(TP_PROJECT_PLAN_COUNT * c->n_months, sizeof *m->cells);
    tmp = malloc(c->samples * sizeof *tmp);
    if (ps->figs == NULL || m->cells == NULL || tmp == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = model_plans(c, &h, &pp, pe, m, ps, sc != NULL ? &sc->ord : NULL, err)) != TP_OK)
        goto cleanup;
    for (size_t mm = 0; mm < c->n_months; mm++)
        for (int p = 0; p < TP_PROJECT_PLAN_COUNT; p++) {
            tp_project_cell *cell = &m->cells[mm * TP_PROJECT_PLAN_COUNT + (size_t)p];
            if (cell->has)
                proj_quantiles(ps, p, mm, cell->q, tmp);
        }
    if (c->o->keep_samples) {
        const size_t nc = TP_PROJECT_PLAN_COUNT * c->n_months * c->samples;
        if ((m->sample_cost_usd = malloc(nc * sizeof *m->sample_cost_usd)) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t k = 0; k < nc; k++)
            m->sample_cost_usd[k] = ps->figs[k].cost_usd; /* the same layout */
    }
    for (int p = 0; p < TP_PROJECT_PLAN_COUNT; p++) {
        m->totals[p].has = m->cells[p].has;
        if (m->totals[p].has)
            proj_total_quantiles(ps, p, m->totals[p].q, tmp);
    }
cleanup:
    free(tmp);
    proj_path_free(&own);
    proj_hist_free(&h);
    return rc;
}

tp_status proj_file_sha256(const char *path, char hex[65], tp_error *err)
{
    FILE *f = fopen(path, "rb");
    unsigned char buf[8192];
    sha256_ctx c;
    size_t n;
    if (f == NULL)
        return tp_error_set(err, TP_ERR_IO, "%s: cannot read the plan file again to hash it",
                            path);
    sha256_init(&c);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, buf, n);
    const int bad = ferror(f);
    fclose(f);
    if (bad)
        return tp_error_set(err, TP_ERR_IO, "%s: read error while hashing it", path);
    sha256_final(&c, hex);
    return TP_OK;
}
