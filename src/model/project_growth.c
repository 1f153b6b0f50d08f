/* project_growth.c - the growth of a model's daily demand: least squares with day-of-week
 * terms, compound (on logs) against linear, and the monthly rate with its standard error
 * (docs/model.md, "Growth"). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/project_internal.h"
#include "tierplan/project.h"

const char *tp_project_growth_form_name(tp_growth_form f)
{
    return f == TP_GROWTH_COMPOUND ? "compound" : f == TP_GROWTH_LINEAR ? "linear" : "given";
}

int project_weekday(int64_t day)
{
    /* 1970-01-01 (day 0) was a Thursday: Monday is 0 */
    return (int)((day % 7 + 7 + 3) % 7);
}

/* One least-squares fit of y on [1, day - last_day, weekday dummies]: the coefficients, the
 * slope's standard error and the fitted values. The design has the weekdays present but the
 * first as dummies, so it is never singular by construction. */
typedef struct fit {
    double c[8];
    double se_b;
} fit;

static tp_status fit_one(const int64_t *day, const double *y, size_t n, int64_t last_day,
                         const int col_of[7], size_t p, fit *f, tp_error *err)
{
    tp_status rc = TP_OK;
    gsl_matrix *X = gsl_matrix_calloc(n, p), *cov = gsl_matrix_alloc(p, p);
    gsl_vector *Y = gsl_vector_alloc(n), *c = gsl_vector_alloc(p);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p);
    double chisq;
    if (X == NULL || cov == NULL || Y == NULL || c == NULL || w == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        gsl_matrix_set(X, i, 0, 1.0);
        gsl_matrix_set(X, i, 1, (double)(day[i] - last_day));
        const int col = col_of[project_weekday(day[i])];
        if (col > 1)
            gsl_matrix_set(X, i, (size_t)col, 1.0);
        gsl_vector_set(Y, i, y[i]);
    }
    if (gsl_multifit_linear(X, Y, c, cov, &chisq, w) != GSL_SUCCESS) {
        rc = tp_error_set(err, TP_ERR_INVALID, "the growth fit failed");
        goto cleanup;
    }
    memset(f, 0, sizeof *f);
    for (size_t k = 0; k < p; k++)
        f->c[k] = gsl_vector_get(c, k);
    f->se_b = sqrt(fmax(0.0, gsl_matrix_get(cov, 1, 1)));
cleanup:
    gsl_matrix_free(X);
    gsl_matrix_free(cov);
    gsl_vector_free(Y);
    gsl_vector_free(c);
    gsl_multifit_linear_free(w);
    return rc;
}

/* The fitted value of day d (on the scale the fit was made on). */
static double fitted(const fit *f, int64_t d, int64_t last_day, const int col_of[7])
{
    const int col = col_of[project_weekday(d)];
    return f->c[0] + f->c[1] * (double)(d - last_day) + (col > 1 ? f->c[col] : 0.0);
}

/* Both fits, and the choice between them. */
static tp_status growth_fits(const int64_t *day, const double *tokens, size_t n,
                             int64_t last_day, tp_growth *g, tp_error *err)
{
    int col_of[7], present[7] = {0};
    size_t p = 2;
    tp_status rc = TP_OK;
    double *logy = malloc(n * sizeof *logy);
    fit lin, cmp;
    if (logy == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        present[project_weekday(day[i])] = 1;
        logy[i] = log(tokens[i]);
    }
    /* the first weekday present is the reference; each later one gets a column */
    int first = 1;
    for (int k = 0; k < 7; k++) {
        col_of[k] = 0;
        if (!present[k])
            continue;
        if (first)
            first = 0;
        else
            col_of[k] = (int)p++;
    }
    if ((rc = fit_one(day, tokens, n, last_day, col_of, p, &lin, err)) != TP_OK ||
        (rc = fit_one(day, logy, n, last_day, col_of, p, &cmp, err)) != TP_OK)
        goto cleanup;
    double rss_l = 0, rss_c = 0, weekday_sum = 0;
    for (size_t i = 0; i < n; i++) {
        const double rl = tokens[i] - fitted(&lin, day[i], last_day, col_of);
        const double rc_ = tokens[i] - exp(fitted(&cmp, day[i], last_day, col_of));
        rss_l += rl * rl;
        rss_c += rc_ * rc_;
    }
    for (int k = 0; k < 7; k++)
        weekday_sum += col_of[k] > 1 ? lin.c[col_of[k]] : 0.0;
    g->n_days = n;
    g->rss_linear = rss_l;
    g->rss_compound = rss_c;
    if (rss_c <= rss_l) {
        const double e = exp(TP_DAYS_PER_MONTH * cmp.c[1]);
        g->form = TP_GROWTH_COMPOUND;
        g->rate = e - 1.0;
        g->se = TP_DAYS_PER_MONTH * e * cmp.se_b; /* delta method */
        g->level_tokens = NAN;
    } else {
        /* the level at the last day with the weekday terms averaged over the week */
        const double level = lin.c[0] + weekday_sum / 7.0;
        g->form = TP_GROWTH_LINEAR;
        g->level_tokens = level;
        if (!(level > 0)) {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "the linear growth fit falls to zero by the last day of history");
            goto cleanup;
        }
        g->rate = TP_DAYS_PER_MONTH * lin.c[1] / level;
        g->se = TP_DAYS_PER_MONTH * lin.se_b / level;
    }
cleanup:
    free(logy);
    return rc;
}

tp_status tp_project_growth_fit(const int64_t *day, const double *tokens, size_t n,
                                int64_t last_day, tp_growth *out, tp_error *err)
{
    memset(out, 0, sizeof *out);
    /* Two ways to give the growth: the options' field (a mention: the CLI shows its option)
     * and the plan file's JSON key of the same name (plain words: a file's key is no option;
     * "growth_pct_per_month in the plan file" is also what the CLI prints). */
    if (n < TP_GROWTH_MIN_DAYS)
        return tp_error_set_field(err, TP_ERR_USAGE, "growth_pct_per_month",
                                  "%zu day%s of history with data, fewer than %d: too few to "
                                  "fit a growth rate; give one with {growth_pct_per_month} (or "
                                  "growth_pct_per_month in the plan file)",
                                  n, n == 1 ? "" : "s", TP_GROWTH_MIN_DAYS);
    for (size_t i = 0; i < n; i++)
        if (!(tokens[i] > 0) || !isfinite(tokens[i]))
            return tp_error_set(err, TP_ERR_INVALID, "growth fit: day %zu has no demand", i);
    /* the design is n >= 14 rows by at most 8 columns: GSL's handler (which aborts) is only
     * called for mismatched sizes, which cannot happen here */
    return growth_fits(day, tokens, n, last_day, out, err);
}

double project_level(const tp_growth *g, double days_from_end)
{
    /* the trend at a history day relative to the last one, from the central fit */
    if (g->form == TP_GROWTH_LINEAR) {
        const double v = 1.0 + g->rate * days_from_end / TP_DAYS_PER_MONTH;
        return v > 0.01 ? v : 0.01;
    }
    return pow(1.0 + g->rate, days_from_end / TP_DAYS_PER_MONTH);
}

double project_growth(const tp_growth *g, double rate, double days_from_end)
{
    if (g->form == TP_GROWTH_LINEAR) {
        const double v = 1.0 + rate * days_from_end / TP_DAYS_PER_MONTH;
        return v > 0 ? v : 0;
    }
    return pow(1.0 + rate, days_from_end / TP_DAYS_PER_MONTH);
}
