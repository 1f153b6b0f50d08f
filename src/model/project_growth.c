/* project_growth.c - the growth of a model's daily demand: least squares with day-of-week
 * terms, compound (on logs) against linear, and the monthly rate with its standard error
 * (docs/model.md, "Growth"). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
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

/* One least-squares fit of y on [1, day - last_day, weekday dummies] (or, with no weekday
 * column, [1, day - last_day]): the coefficients and their Newey-West covariance. The design
 * has the weekdays present but the first as dummies, so it is never singular by construction.
 * with_trend 0: the trend column is left out (the level fit of a given rate). */
typedef struct fit {
    double c[8];
    double V[8][8]; /* Newey-West covariance of c */
    size_t p;
    int trend;      /* column 1 is the trend */
} fit;

double project_lag1(const double *e, size_t n)
{
    double num = 0, den = 0;
    for (size_t t = 0; t < n; t++) {
        den += e[t] * e[t];
        if (t > 0)
            num += e[t] * e[t - 1];
    }
    return den > 0 && n >= 2 ? num / den : 0.0;
}

size_t project_hac_lag(double rho, size_t n)
{
    /* Andrews (1991), Bartlett kernel, AR(1) plug-in */
    if (n < 2)
        return 0;
    rho = fmax(-0.97, fmin(0.97, rho));
    const double alpha = 4 * rho * rho / ((1 - rho) * (1 - rho) * (1 + rho) * (1 + rho));
    const double L = floor(1.1447 * cbrt(alpha * (double)n));
    return L < (double)(n - 1) ? (size_t)L : n - 1;
}

double project_prewhiten_rho(double r1, size_t n)
{
    /* within [0, 0.95]: no prewhitening against negative dependence, and 1 / (1 - rho)^2 at
     * most 400. (Kendall's small-sample correction, r1 + (1 + 3 r1) / n, was tried: the
     * calibration benchmark held 92% in P10..P90 with it, against 80-88% without.) */
    if (n < 2)
        return 0;
    return fmax(0.0, fmin(0.95, r1));
}

/* Newey-West covariance of OLS coefficients with AR(1) prewhitening (Andrews and Monahan
 * 1992, one rho for every column): v_t = x_t e_t, eta_t = v_t - rho v_(t-1) (t >= 1),
 * S_eta = sum over lags l = -L..L of (1 - |l| / (L + 1)) sum_t eta_t eta_(t-l)' with L by
 * project_hac_lag for eta's own dependence, S = S_eta / (1 - rho)^2 x n / (n - 1); then
 * V = A S A x n / (n - p), A = (X'X)^-1. The lags count the days with data in order
 * (docs/model.md, "Growth"). */
static void hac_cov(const gsl_matrix *X, const gsl_vector *e, const gsl_matrix *A, double rho,
                    fit *f)
{
    const size_t n = X->size1, p = X->size2;
    double S[8][8] = {{0}}, AS[8][8] = {{0}};
    if (n >= 2) {
        double *eta = calloc(n * p, sizeof *eta), *u = calloc(n, sizeof *u);
        if (eta == NULL || u == NULL) {
            free(eta);
            free(u);
            rho = 0; /* fall back to White's: no temporary */
        }
        const size_t m = n - 1; /* eta_1 .. eta_(n-1) */
        for (size_t t = 1; eta != NULL && u != NULL && t < n; t++) {
            u[t - 1] = gsl_vector_get(e, t) - rho * gsl_vector_get(e, t - 1);
            for (size_t a = 0; a < p; a++)
                eta[(t - 1) * p + a] = gsl_matrix_get(X, t, a) * gsl_vector_get(e, t) -
                                       rho * gsl_matrix_get(X, t - 1, a) * gsl_vector_get(e, t - 1);
        }
        if (eta != NULL && u != NULL) {
            const size_t L = project_hac_lag(project_lag1(u, m), m);
            for (size_t l = 0; l <= L; l++) {
                const double w = 1.0 - (double)l / (double)(L + 1);
                for (size_t t = l; t < m; t++)
                    for (size_t a = 0; a < p; a++)
                        for (size_t b = 0; b < p; b++) {
                            const double v = eta[t * p + a] * eta[(t - l) * p + b];
                            const double v2 = eta[(t - l) * p + a] * eta[t * p + b];
                            S[a][b] += w * (l == 0 ? v : v + v2);
                        }
            }
            const double k = (double)n / (double)m / ((1 - rho) * (1 - rho));
            for (size_t a = 0; a < p; a++)
                for (size_t b = 0; b < p; b++)
                    S[a][b] *= k;
            free(eta);
            free(u);
        } else {
            for (size_t t = 0; t < n; t++)
                for (size_t a = 0; a < p; a++)
                    for (size_t b = 0; b < p; b++)
                        S[a][b] += gsl_vector_get(e, t) * gsl_vector_get(e, t) *
                                   gsl_matrix_get(X, t, a) * gsl_matrix_get(X, t, b);
        }
    }
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++)
            for (size_t k = 0; k < p; k++)
                AS[a][b] += gsl_matrix_get(A, a, k) * S[k][b];
    const double dof = n > p ? (double)n / (double)(n - p) : 1.0;
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++) {
            double v = 0;
            for (size_t k = 0; k < p; k++)
                v += AS[a][k] * gsl_matrix_get(A, k, b);
            f->V[a][b] = v * dof;
        }
}

static tp_status fit_one(const int64_t *day, const double *y, size_t n, int64_t last_day,
                         const int col_of[7], size_t p, int with_trend, double rho, fit *f,
                         tp_error *err)
{
    tp_status rc = TP_OK;
    gsl_matrix *X = gsl_matrix_calloc(n, p), *cov = gsl_matrix_alloc(p, p);
    gsl_matrix *A = gsl_matrix_calloc(p, p);
    gsl_vector *Y = gsl_vector_alloc(n), *c = gsl_vector_alloc(p), *e = gsl_vector_alloc(n);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p);
    double chisq;
    if (X == NULL || cov == NULL || A == NULL || Y == NULL || c == NULL || e == NULL ||
        w == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        gsl_matrix_set(X, i, 0, 1.0);
        if (with_trend)
            gsl_matrix_set(X, i, 1, (double)(day[i] - last_day));
        const int col = col_of[project_weekday(day[i])];
        if (col > 1)
            gsl_matrix_set(X, i, (size_t)(col - !with_trend), 1.0);
        gsl_vector_set(Y, i, y[i]);
    }
    if (gsl_multifit_linear(X, Y, c, cov, &chisq, w) != GSL_SUCCESS) {
        rc = tp_error_set(err, TP_ERR_INVALID, "the growth fit failed");
        goto cleanup;
    }
    memset(f, 0, sizeof *f);
    f->p = p;
    f->trend = with_trend;
    for (size_t k = 0; k < p; k++)
        f->c[k] = gsl_vector_get(c, k);
    /* (X'X)^-1 by Cholesky: X has full column rank by construction */
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, X, X, 0.0, A);
    if (gsl_linalg_cholesky_decomp1(A) != GSL_SUCCESS || gsl_linalg_cholesky_invert(A) != 0) {
        rc = tp_error_set(err, TP_ERR_INVALID, "the growth fit failed (singular design)");
        goto cleanup;
    }
    gsl_multifit_linear_residuals(X, Y, c, e);
    hac_cov(X, e, A, rho, f);
cleanup:
    gsl_matrix_free(X);
    gsl_matrix_free(cov);
    gsl_matrix_free(A);
    gsl_vector_free(Y);
    gsl_vector_free(c);
    gsl_vector_free(e);
    gsl_multifit_linear_free(w);
    return rc;
}

/* The fitted value of day d (on the scale the fit was made on). */
static double fitted(const fit *f, int64_t d, int64_t last_day, const int col_of[7])
{
    const int col = col_of[project_weekday(d)];
    const double wk = col > 1 ? f->c[col - !f->trend] : 0.0;
    return f->c[0] + (f->trend ? f->c[1] * (double)(d - last_day) : 0.0) + wk;
}

/* The level at the last day with the weekday terms averaged over the week, c'beta, its
 * variance c'Vc and its covariance with the trend (column 1) c'V e1. */
static void level_of(const fit *f, const int col_of[7], double *level, double *var,
                     double *cov_b)
{
    double c[8] = {1.0};
    for (int k = 0; k < 7; k++)
        if (col_of[k] > 1)
            c[col_of[k] - !f->trend] += 1.0 / 7.0;
    *level = *var = *cov_b = 0;
    for (size_t a = 0; a < f->p; a++) {
        *level += c[a] * f->c[a];
        for (size_t b = 0; b < f->p; b++)
            *var += c[a] * f->V[a][b] * c[b];
        if (f->trend)
            *cov_b += c[a] * f->V[a][1];
    }
}

/* Residuals of an exact fit are rounding, not spread: a relative standard error of the level
 * under 1e-9 is none. */
static void level_floor(tp_growth *g)
{
    if (!(g->level_se > 1e-9))
        g->level_se = g->level_rate_corr = 0;
}

/* The weekday columns: the first weekday present is the reference, each later one gets a
 * column from 2 on; none with fewer than TP_GROWTH_WEEKDAY_DAYS days. Returns the columns. */
static size_t weekday_columns(const int64_t *day, size_t n, int col_of[7])
{
    int present[7] = {0}, first = 1;
    size_t p = 2;
    for (size_t i = 0; i < n; i++)
        present[project_weekday(day[i])] = 1;
    for (int k = 0; k < 7; k++) {
        col_of[k] = 0;
        if (!present[k] || n < TP_GROWTH_WEEKDAY_DAYS)
            continue;
        if (first)
            first = 0;
        else
            col_of[k] = (int)p++;
    }
    return p;
}

/* The prewhitening rho of a history: the lag-1 autocorrelation of its log daily totals about
 * their weekday means (no trend: a trend fitted first would absorb the slow wander whose
 * strength rho must measure; a real trend of a few percent a month barely moves it), bounded
 * by project_prewhiten_rho. */
static double dependence_rho(const int64_t *day, const double *logy, size_t n)
{
    double sum[7] = {0}, cnt[7] = {0};
    double *e = calloc(n ? n : 1, sizeof *e);
    if (e == NULL)
        return 0.95; /* the widest: never narrower for want of memory */
    for (size_t i = 0; i < n; i++) {
        sum[project_weekday(day[i])] += logy[i];
        cnt[project_weekday(day[i])] += 1;
    }
    for (size_t i = 0; i < n; i++) {
        const int w = project_weekday(day[i]);
        e[i] = logy[i] - sum[w] / cnt[w];
    }
    const double r = project_prewhiten_rho(project_lag1(e, n), n);
    free(e);
    return r;
}

/* Both fits, and the choice between them. */
static tp_status growth_fits(const int64_t *day, const double *tokens, size_t n,
                             int64_t last_day, tp_growth *g, tp_error *err)
{
    int col_of[7];
    const size_t p = weekday_columns(day, n, col_of);
    tp_status rc = TP_OK;
    double *logy = malloc(n * sizeof *logy);
    fit lin, cmp;
    if (logy == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        logy[i] = log(tokens[i]);
    const double rho = dependence_rho(day, logy, n);
    if ((rc = fit_one(day, tokens, n, last_day, col_of, p, 1, rho, &lin, err)) != TP_OK ||
        (rc = fit_one(day, logy, n, last_day, col_of, p, 1, rho, &cmp, err)) != TP_OK)
        goto cleanup;
    double rss_l = 0, rss_c = 0;
    for (size_t i = 0; i < n; i++) {
        const double rl = tokens[i] - fitted(&lin, day[i], last_day, col_of);
        const double rc_ = tokens[i] - exp(fitted(&cmp, day[i], last_day, col_of));
        rss_l += rl * rl;
        rss_c += rc_ * rc_;
    }
    g->n_days = n;
    g->rss_linear = rss_l;
    g->rss_compound = rss_c;
    double level, var, cov_b;
    if (rss_c <= rss_l) {
        const double e = exp(TP_DAYS_PER_MONTH * cmp.c[1]), se_b = sqrt(fmax(0, cmp.V[1][1]));
        level_of(&cmp, col_of, &level, &var, &cov_b);
        g->form = TP_GROWTH_COMPOUND;
        g->rate_fitted = e - 1.0;
        g->se = TP_DAYS_PER_MONTH * e * se_b; /* delta method */
        g->level_tokens = NAN;
        g->level_se = sqrt(fmax(0, var)); /* on the log scale */
        g->level_rate_corr = var > 0 && se_b > 0 ? cov_b / (g->level_se * se_b) : 0;
    } else {
        const double se_b = sqrt(fmax(0, lin.V[1][1]));
        level_of(&lin, col_of, &level, &var, &cov_b);
        g->form = TP_GROWTH_LINEAR;
        g->level_tokens = level;
        if (!(level > 0)) {
            rc = tp_error_set(err, TP_ERR_INVALID,
                              "the linear growth fit falls to zero by the last day of history");
            goto cleanup;
        }
        g->rate_fitted = TP_DAYS_PER_MONTH * lin.c[1] / level;
        g->se = TP_DAYS_PER_MONTH * se_b / level;
        g->level_se = sqrt(fmax(0, var)) / level; /* relative */
        g->level_rate_corr = var > 0 && se_b > 0 ? cov_b / (sqrt(var) * se_b) : 0;
    }
    g->level_rate_corr = fmax(-1.0, fmin(1.0, g->level_rate_corr));
    level_floor(g);
    /* shrunk toward zero by its uncertainty: positive-part James-Stein, r (1 - se^2/r^2)+ */
    const double r = g->rate_fitted;
    g->rate = project_shrink(r, g->se);
    g->warn = (n < TP_GROWTH_WARN_DAYS ? TP_GROWTH_WARN_SHORT : 0) |
              (fabs(r) > TP_GROWTH_WARN_RATE ? TP_GROWTH_WARN_STEEP : 0);
cleanup:
    free(logy);
    return rc;
}

/* ---- level shifts (docs/model.md, "Level shifts") ---- */

/* Least squares of z on [1, t, step] (with_step) or [1, t]: returns the RSS and, with the step,
 * the coefficients and the variance factor c'(X'X)^-1 c of the level at t = 0 after the step
 * (c = (1, 0, 1)). Sums are passed in: S = [n, St, Stt], the step's [Ss, Sts] (Sss = Ss), the
 * z moments [Sz, Stz, Ssz, Szz]. */
static double split_rss(const double S[3], double Ss, double Sts, const double Z[4],
                        int with_step, double coef[3], double *cvc)
{
    if (!with_step) {
        const double det = S[0] * S[2] - S[1] * S[1];
        if (!(fabs(det) > 0))
            return NAN;
        const double a = (S[2] * Z[0] - S[1] * Z[1]) / det, b = (S[0] * Z[1] - S[1] * Z[0]) / det;
        return Z[3] - a * Z[0] - b * Z[1];
    }
    const double M[3][3] = {{S[0], S[1], Ss}, {S[1], S[2], Sts}, {Ss, Sts, Ss}};
    const double b[3] = {Z[0], Z[1], Z[2]};
    double inv[3][3];
    inv[0][0] = M[1][1] * M[2][2] - M[1][2] * M[2][1];
    inv[0][1] = M[0][2] * M[2][1] - M[0][1] * M[2][2];
    inv[0][2] = M[0][1] * M[1][2] - M[0][2] * M[1][1];
    inv[1][0] = M[1][2] * M[2][0] - M[1][0] * M[2][2];
    inv[1][1] = M[0][0] * M[2][2] - M[0][2] * M[2][0];
    inv[1][2] = M[0][2] * M[1][0] - M[0][0] * M[1][2];
    inv[2][0] = M[1][0] * M[2][1] - M[1][1] * M[2][0];
    inv[2][1] = M[0][1] * M[2][0] - M[0][0] * M[2][1];
    inv[2][2] = M[0][0] * M[1][1] - M[0][1] * M[1][0];
    const double det = M[0][0] * inv[0][0] + M[0][1] * inv[1][0] + M[0][2] * inv[2][0];
    if (!(fabs(det) > 1e-12 * S[0] * S[2] * Ss))
        return NAN;
    double rss = Z[3];
    for (int a = 0; a < 3; a++) {
        coef[a] = 0;
        for (int k = 0; k < 3; k++)
            coef[a] += inv[a][k] / det * b[k];
        rss -= coef[a] * b[a];
    }
    *cvc = (inv[0][0] + inv[0][2] + inv[2][0] + inv[2][2]) / det;
    return rss;
}

/* The scan on ln y (log_scale) or on y over its mean. */
static tp_status shift_scan(const int64_t *day, const double *tokens, size_t n,
                            int64_t last_day, int log_scale, tp_level_shift *out, tp_error *err)
{
    memset(out, 0, sizeof *out);
    const size_t trim = (size_t)fmax(TP_SHIFT_MIN_DAYS, ceil(0.15 * (double)n));
    if (n < 3 * TP_SHIFT_MIN_DAYS || n < 2 * trim + 1)
        return TP_OK;
    double *z = malloc(n * sizeof *z), *e = malloc(n * sizeof *e);
    double sum[7] = {0}, cnt[7] = {0};
    double mean = 0;
    tp_status rc = TP_OK;
    if (z == NULL || e == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        mean += tokens[i] / (double)n;
    for (size_t i = 0; i < n; i++) {
        z[i] = log_scale ? log(tokens[i]) : tokens[i] / mean;
        sum[project_weekday(day[i])] += z[i];
        cnt[project_weekday(day[i])] += 1;
    }
    double S[3] = {(double)n, 0, 0}, Z[4] = {0};
    for (size_t i = 0; i < n; i++) {
        const double t = (double)(day[i] - last_day);
        z[i] -= sum[project_weekday(day[i])] / cnt[project_weekday(day[i])];
        S[1] += t, S[2] += t * t;
        Z[0] += z[i], Z[1] += t * z[i], Z[3] += z[i] * z[i];
    }
    double coef[3], cvc = 0;
    const double rss0 = split_rss(S, 0, 0, Z, 0, coef, &cvc);
    double best = INFINITY, best_coef[3] = {0}, best_cvc = 0;
    size_t at = 0;
    for (size_t k = trim; k + trim <= n; k++) {
        /* the step is 1 on days k .. n-1 */
        double Ss = 0, Sts = 0, Zs[4] = {Z[0], Z[1], 0, Z[3]};
        for (size_t i = k; i < n; i++) {
            const double t = (double)(day[i] - last_day);
            Ss += 1, Sts += t, Zs[2] += z[i];
        }
        const double rss = split_rss(S, Ss, Sts, Zs, 1, coef, &cvc);
        if (rss < best) {
            best = rss, at = k, best_cvc = cvc;
            memcpy(best_coef, coef, sizeof coef);
        }
    }
    if (!isfinite(best) || !(rss0 > 0) || at == 0)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        e[i] = z[i] - best_coef[0] - best_coef[1] * (double)(day[i] - last_day) -
               (i >= at ? best_coef[2] : 0.0);
    const double rho = project_prewhiten_rho(project_lag1(e, n), n);
    const double s2 = fmax(0.0, best) / (double)(n - 3);
    const double lrv = (1 + rho) / (1 - rho); /* long-run over short-run variance of AR(1) */
    out->at = at;
    out->step_log = best_coef[2];
    out->f_stat = s2 > 0 ? (rss0 - best) / s2 / lrv : (rss0 > best ? INFINITY : 0.0);
    out->level_se = sqrt(fmax(0.0, s2 * lrv * best_cvc));
    out->found = out->f_stat >= TP_SHIFT_CRITICAL_F;
cleanup:
    free(z);
    free(e);
    return rc;
}

tp_status tp_project_level_shift(const int64_t *day, const double *tokens, size_t n,
                                 int64_t last_day, tp_level_shift *out, tp_error *err)
{
    return shift_scan(day, tokens, n, last_day, 1, out, err);
}

tp_status tp_project_growth_fit(const int64_t *day, const double *tokens, size_t n,
                                int64_t last_day, tp_growth *out, tp_error *err)
{
    memset(out, 0, sizeof *out);
    /* Two ways to give the growth: the options' field (a mention: the CLI shows its option)
     * and the plan file's JSON key of the same name (plain words: a file's key is no option;
     * "growth_pct_per_month in the plan file" is also what the CLI prints). */
    if (n < TP_GROWTH_MIN_DAYS)
        return tp_error_set_field(err, TP_ERR_INVALID, "growth_pct_per_month",
                                  "%zu whole day%s of history with data, fewer than %d: too few "
                                  "to fit a growth rate; give one with {growth_pct_per_month} "
                                  "(or growth_pct_per_month in the plan file), or load more "
                                  "history",
                                  n, n == 1 ? "" : "s", TP_GROWTH_MIN_DAYS);
    for (size_t i = 0; i < n; i++)
        if (!(tokens[i] > 0) || !isfinite(tokens[i]))
            return tp_error_set(err, TP_ERR_INVALID, "growth fit: day %zu has no demand", i);
    /* the design is n >= 7 rows by at most 8 columns, weekday columns only from 14 rows: GSL's
     * handler (which aborts) is only called for mismatched sizes, which cannot happen here */
    tp_level_shift sh;
    tp_status rc = tp_project_level_shift(day, tokens, n, last_day, &sh, err);
    if (rc != TP_OK)
        return rc;
    if (sh.found) {
        /* a step must show on both scales: linear growth is concave in logs, and compound
         * growth convex in tokens, and either can pass for a step on the other's scale */
        tp_level_shift lin;
        if ((rc = shift_scan(day, tokens, n, last_day, 0, &lin, err)) != TP_OK)
            return rc;
        sh.found = lin.found;
    }
    if (!sh.found) {
        rc = growth_fits(day, tokens, n, last_day, out, err);
        out->shift_factor = 1.0;
        return rc;
    }
    /* a level shift: the days before it brought to the new level, then fitted as usual. The
     * shift moves the band's centre but never narrows it: the rate's and the level's standard
     * errors are at least the unadjusted fit's, and the level's at least the split fit's. */
    tp_growth plain;
    rc = growth_fits(day, tokens, n, last_day, &plain, err);
    if (rc != TP_OK)
        return rc;
    double *adj = malloc(n * sizeof *adj);
    if (adj == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const double f = exp(sh.step_log);
    for (size_t i = 0; i < n; i++)
        adj[i] = i < sh.at ? tokens[i] * f : tokens[i];
    rc = growth_fits(day, adj, n, last_day, out, err);
    free(adj);
    if (rc != TP_OK)
        return rc;
    out->shifted = 1;
    out->shift_factor = f;
    out->shift_days_from_end = (double)(day[sh.at] - last_day);
    out->se = fmax(out->se, plain.se);
    out->rate = project_shrink(out->rate_fitted, out->se);
    const double level_se = fmax(out->level_se, fmax(plain.level_se, sh.level_se));
    if (level_se > out->level_se) {
        /* the level's covariance with the rate is kept: its correlation shrinks */
        out->level_rate_corr *= out->level_se / level_se;
        out->level_se = level_se;
    }
    return TP_OK;
}

tp_status tp_project_growth_given(const int64_t *day, const double *tokens, size_t n,
                                  int64_t last_day, double rate, double sd, tp_growth *out,
                                  tp_error *err)
{
    memset(out, 0, sizeof *out);
    out->form = TP_GROWTH_GIVEN;
    out->shift_factor = 1.0; /* a given rate's history is not searched for a shift */
    out->rate = out->rate_fitted = rate;
    out->se = sd;
    out->rss_compound = out->rss_linear = out->level_tokens = NAN;
    int col_of[7];
    const size_t p = weekday_columns(day, n, col_of) - 1; /* no trend column */
    if (n < p + 2)
        return TP_OK; /* too few days to estimate the level's spread */
    for (size_t i = 0; i < n; i++)
        if (!(tokens[i] > 0) || !isfinite(tokens[i]))
            return tp_error_set(err, TP_ERR_INVALID, "growth: day %zu has no demand", i);
    double *y = malloc(n * sizeof *y);
    if (y == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    const double lr = log1p(rate) / TP_DAYS_PER_MONTH;
    for (size_t i = 0; i < n; i++)
        y[i] = log(tokens[i]) - lr * (double)(day[i] - last_day);
    fit f;
    tp_status rc = fit_one(day, y, n, last_day, col_of, p, 0, dependence_rho(day, y, n), &f,
                           err);
    if (rc == TP_OK) {
        double level, var, cov_b;
        level_of(&f, col_of, &level, &var, &cov_b);
        out->level_se = sqrt(fmax(0, var));
        out->n_days = n;
        level_floor(out);
    }
    free(y);
    return rc;
}

double project_shrink(double rate, double se)
{
    /* positive-part James-Stein: the posterior mean under a normal prior about 0 whose
     * variance is estimated as rate^2 - se^2 (0 when the rate is within one se of 0) */
    return rate != 0 ? rate * fmax(0.0, 1.0 - se * se / (rate * rate)) : 0.0;
}

double project_level(const tp_growth *g, double days_from_end)
{
    /* the trend at a history day relative to the last one, from the fit as fitted (the
     * shrunk rate is the one going forward: a day of history is brought to the fit's level
     * today, the best estimate of where demand stands); a day before a level shift stood at
     * the old level: divided by it too, it is at the new */
    const double old = g->shifted && days_from_end < g->shift_days_from_end
                           ? 1.0 / g->shift_factor
                           : 1.0;
    if (g->form == TP_GROWTH_LINEAR) {
        const double v = 1.0 + g->rate_fitted * days_from_end / TP_DAYS_PER_MONTH;
        return (v > 0.01 ? v : 0.01) * old;
    }
    return pow(1.0 + g->rate_fitted, days_from_end / TP_DAYS_PER_MONTH) * old;
}

double project_growth(const tp_growth *g, double rate, double days_from_end)
{
    if (g->form == TP_GROWTH_LINEAR) {
        const double v = 1.0 + rate * days_from_end / TP_DAYS_PER_MONTH;
        return v > 0 ? v : 0;
    }
    return pow(1.0 + rate, days_from_end / TP_DAYS_PER_MONTH);
}
