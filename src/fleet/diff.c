/* diff.c - what changed between two snapshots: one row per model, sorted by the size of its
 * cost change, computed once for the text, JSON and markdown renderers (diff_render.c). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/diff_result.h"
#include "base/numfmt.h"

const df_figure_def df_figures[DF_COUNT] = {
    {"input_tpm", "reserved input TPM", DF_TPM},
    {"output_tpm", "reserved output TPM", DF_TPM},
    {"cost_per_month_usd", "cost per month", DF_USD},
    {"savings_per_month_usd", "savings per month", DF_USD},
    {"utilization_input_pct", "utilization input", DF_PCT},
    {"utilization_output_pct", "utilization output", DF_PCT},
    {"spill_minutes", "spill minutes", DF_MINUTES},
    {"spill_minutes_pct", "spill minutes share", DF_PCT},
    {"window_minutes", "window minutes", DF_MINUTES},
    {"minutes_with_data", "minutes with data", DF_MINUTES},
    {"coverage_pct", "coverage", DF_PCT},
    {"units", "units", DF_UNIT_COUNT},
    {"output_units", "output units", DF_UNIT_COUNT},
};

int df_is_key(int k)
{
    return k < DF_KEY_COUNT || k == DF_UNITS || k == DF_OUTPUT_UNITS;
}

int df_row_in_units(const df_row *r)
{
    return !isnan(r->old_v[DF_UNITS]) || !isnan(r->new_v[DF_UNITS]);
}

const char *df_status_name(df_status s)
{
    static const char *const names[] = {"changed", "unchanged", "added", "removed"};
    return names[s];
}

double df_change(double old_v, double new_v)
{
    return new_v - old_v; /* NAN when either is */
}

double df_change_pct(double old_v, double new_v)
{
    if (isnan(old_v) || isnan(new_v) || (old_v == 0 && new_v != 0))
        return NAN;
    return old_v == 0 ? 0 : (new_v - old_v) / fabs(old_v) * 100;
}

void df_format(char *buf, double v, df_unit unit, int sign)
{
    char num[NUMFMT_BUF];
    switch (unit) {
    case DF_TPM: numfmt_fixed(num, v, 1); break;
    case DF_USD: numfmt_usd(num, v); break;
    case DF_PCT:
        /* a change of a share is in percentage points, not a percentage of it */
        if (sign && !isnan(v)) {
            char pp[NUMFMT_BUF];
            numfmt_fixed(pp, v, 1);
            snprintf(num, sizeof num, "%.*s pp", NUMFMT_BUF - 4, pp);
        } else {
            numfmt_pct(num, v);
        }
        break;
    case DF_MINUTES:
    case DF_UNIT_COUNT: numfmt_count(num, v); break;
    }
    /* a change reads as one: "+$12.00", "-3.5%", "0" (render_* never fill their buffer) */
    const size_t plus = sign && v > 0 && !isnan(v);
    const size_t len = strnlen(num, NUMFMT_BUF - 2);
    buf[0] = '+';
    memcpy(buf + plus, num, len);
    buf[plus + len] = '\0';
}

static void figures(const tp_snapshot_model *m, double v[DF_COUNT])
{
    for (int k = 0; k < DF_COUNT; k++)
        v[k] = NAN;
    if (m == NULL || !m->sized)
        return;
    const double x[DF_COUNT] = {m->input_tpm,          m->output_tpm,
                                m->cost_per_month_usd, m->savings_per_month_usd,
                                m->utilization_input_pct, m->utilization_output_pct,
                                m->spill_minutes,      m->spill_minutes_pct,
                                m->window_minutes,     m->minutes_with_data,
                                m->coverage_pct,       m->units,
                                m->output_units};
    memcpy(v, x, sizeof x);
}

/* Equal for a reader: both unknown, or within a billionth (figures read back from JSON keep
 * 17 digits; the tolerance only absorbs the last one). */
static int same_figure(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static void fill_row(const df_diff *d, df_row *r)
{
    figures(r->old_m, r->old_v);
    figures(r->new_m, r->new_v);
    for (int k = 0; k < DF_COUNT; k++) {
        r->change[k] = df_change(r->old_v[k], r->new_v[k]);
        r->change_pct[k] = df_change_pct(r->old_v[k], r->new_v[k]);
    }
    r->comparable = 1;
    if (r->old_m == NULL || r->new_m == NULL) {
        r->status = r->old_m == NULL ? DF_ADDED : DF_REMOVED;
    } else {
        r->comparable = tp_snapshot_comparable(d->old_s, r->old_m, d->new_s, r->new_m, r->why,
                                               sizeof r->why);
        r->status = DF_UNCHANGED;
        for (int k = 0; k < DF_COUNT; k++)
            if (df_is_key(k) && !same_figure(r->old_v[k], r->new_v[k]))
                r->status = DF_CHANGED;
    }
    const double o = isnan(r->old_v[DF_COST]) ? 0 : r->old_v[DF_COST];
    const double n = isnan(r->new_v[DF_COST]) ? 0 : r->new_v[DF_COST];
    r->cost_impact_usd = n - o;
}

static int row_order(const void *pa, const void *pb)
{
    const df_row *a = pa, *b = pb;
    const int ua = a->status == DF_UNCHANGED, ub = b->status == DF_UNCHANGED;
    if (ua != ub)
        return ua - ub;
    const double ia = fabs(a->cost_impact_usd), ib = fabs(b->cost_impact_usd);
    if (ia != ib)
        return ia < ib ? 1 : -1;
    const tp_snapshot_model *ma = a->new_m != NULL ? a->new_m : a->old_m;
    const tp_snapshot_model *mb = b->new_m != NULL ? b->new_m : b->old_m;
    int c = strcmp(ma->model, mb->model);
    if (c == 0)
        c = strcmp(ma->account, mb->account);
    return c != 0 ? c : strcmp(ma->region, mb->region);
}

tp_status df_build(const tp_snapshot *old_s, const tp_snapshot *new_s, df_diff *d,
                   tp_error *err)
{
    memset(d, 0, sizeof *d);
    d->old_s = old_s;
    d->new_s = new_s;
    d->same_catalog = strcmp(old_s->pricing_sha256, new_s->pricing_sha256) == 0;
    if ((d->rows = calloc(old_s->n + new_s->n + 1, sizeof *d->rows)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < new_s->n; i++) {
        d->rows[d->n].new_m = &new_s->models[i];
        /* by model and place: a model moved to another region is another reservation */
        d->rows[d->n++].old_m = tp_snapshot_find_at(old_s, new_s->models[i].model,
                                                    new_s->models[i].region,
                                                    new_s->models[i].account);
    }
    for (size_t i = 0; i < old_s->n; i++)
        if (tp_snapshot_find_at(new_s, old_s->models[i].model, old_s->models[i].region,
                                old_s->models[i].account) == NULL)
            d->rows[d->n++].old_m = &old_s->models[i];
    for (size_t i = 0; i < d->n; i++) {
        df_row *r = &d->rows[i];
        fill_row(d, r);
        d->n_unchanged += r->status == DF_UNCHANGED;
        if (!isnan(r->old_v[DF_COST])) {
            d->old_cost_usd += r->old_v[DF_COST];
            d->old_savings_usd += r->old_v[DF_SAVINGS];
        }
        if (!isnan(r->new_v[DF_COST])) {
            d->new_cost_usd += r->new_v[DF_COST];
            d->new_savings_usd += r->new_v[DF_SAVINGS];
        }
    }
    d->cost_change_usd = df_change(d->old_cost_usd, d->new_cost_usd);
    d->cost_change_pct = df_change_pct(d->old_cost_usd, d->new_cost_usd);
    d->savings_change_usd = df_change(d->old_savings_usd, d->new_savings_usd);
    d->savings_change_pct = df_change_pct(d->old_savings_usd, d->new_savings_usd);
    qsort(d->rows, d->n, sizeof *d->rows, row_order);
    return TP_OK;
}

void df_free(df_diff *d)
{
    free(d->rows);
    d->rows = NULL;
}
