/* chart_plot.c - the charts of values along an axis: time series with reservation and spill,
 * the demand-duration curve, and the projection fan chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/chart_internal.h"
#include "base/util.h"

#define PLOT_W (CHART_WIDTH - CHART_LEFT - CHART_RIGHT)
#define TS_PITCH 150.0 /* one time-series panel: its title row, plot and gap */
#define TS_PLOT_H 112.0

static const char *const colors[] = {"#1f5fa8", "#b35806", "#1b7837", "#762a83"};
static const char *const dashes[] = {"none", "7 3", "2 3", "9 3 2 3"};

/* The x of column k of cols across the area: its centre when downsampled, else its edges
 * (edge 0 = left, 1 = right) so that one value reads as one step. */
static double col_x(chart_area a, size_t k, size_t cols, int downsampled, int edge)
{
    double w = a.w / (double)cols;
    return a.x + (double)k * w + (downsampled ? w / 2 : edge * w);
}

/* The area from 0 up to each column's maximum (drawn first, under the spill hatching). */
static void draw_demand_area(chart_cx *c, chart_area a, chart_scale s, const double *mx,
                             size_t cols, int ds, const char *color)
{
    double y0 = chart_y(a, s, 0);
    sb_printf(c->b, "<path fill=\"%s\" fill-opacity=\"0.25\" stroke=\"none\" d=\"M%.1f %.1f", color,
              a.x, y0);
    for (size_t k = 0; k < cols; k++) {
        sb_printf(c->b, "L%.1f %.1f", col_x(a, k, cols, ds, 0), chart_y(a, s, mx[k]));
        if (!ds)
            sb_printf(c->b, "L%.1f %.1f", col_x(a, k, cols, ds, 1), chart_y(a, s, mx[k]));
    }
    sb_printf(c->b, "L%.1f %.1fZ\"/>\n", a.x + a.w, y0);
}

/* The demand itself, drawn last so that the spill hatching never hides it: when downsampled
 * the min-max band of each column, else the outline of the steps. */
static void draw_demand_line(chart_cx *c, chart_area a, chart_scale s, const double *mn,
                             const double *mx, size_t cols, int ds, const char *color)
{
    sb_printf(c->b, "<path fill=\"%s\" fill-opacity=\"0.45\" stroke=\"%s\" stroke-width=\"0.7\" "
              "stroke-linejoin=\"round\" d=\"", ds ? color : "none", color);
    for (size_t k = 0; k < cols; k++) {
        sb_printf(c->b, "%c%.1f %.1f", k == 0 ? 'M' : 'L', col_x(a, k, cols, ds, 0),
                  chart_y(a, s, mx[k]));
        if (!ds)
            sb_printf(c->b, "L%.1f %.1f", col_x(a, k, cols, ds, 1), chart_y(a, s, mx[k]));
    }
    if (ds) /* back along the minima: the band a column's values span */
        for (size_t k = cols; k-- > 0;)
            sb_printf(c->b, "L%.1f %.1f", col_x(a, k, cols, ds, 0), chart_y(a, s, mn[k]));
    sb_puts(c->b, ds ? "Z\"/>\n" : "\"/>\n");
}

/* Hatched area between the reservation and the demand above it, one subpath per run. */
static void draw_spill(chart_cx *c, chart_area a, chart_scale s, const double *mx, size_t cols,
                       int ds, double res)
{
    double yr = chart_y(a, s, res);
    sb_printf(c->b, "<path fill=\"url(#%s-spill)\" stroke=\"#b2182b\" stroke-width=\"0.8\" d=\"",
              c->id);
    for (size_t k = 0; k < cols; k++) {
        if (!(mx[k] > res))
            continue;
        double x_start = ds ? a.x + (double)k * a.w / (double)cols : col_x(a, k, cols, 0, 0);
        sb_printf(c->b, "M%.1f %.1f", x_start, yr);
        size_t j = k;
        for (; j < cols && mx[j] > res; j++) {
            sb_printf(c->b, "L%.1f %.1f", col_x(a, j, cols, ds, 0), chart_y(a, s, mx[j]));
            if (!ds)
                sb_printf(c->b, "L%.1f %.1f", col_x(a, j, cols, ds, 1), chart_y(a, s, mx[j]));
        }
        double x_end = a.x + (double)j * a.w / (double)cols;
        sb_printf(c->b, "L%.1f %.1fZ", x_end, yr);
        k = j;
    }
    sb_puts(c->b, "\"/>\n");
}

/* style 0: "01-15 13:00", 1: "2025-01-15", 2: "2025-01" (UTC) */
static void fmt_utc(char *buf, size_t size, int64_t t, int style)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL)
        snprintf(buf, size, "?");
    else if (style == 0)
        snprintf(buf, size, "%02d-%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min);
    else if (style == 1)
        snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        snprintf(buf, size, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

/* Time ticks under the area: the finest step giving at most one label per 95 units. */
static void time_axis(chart_cx *c, chart_area a, int64_t start_s, int64_t span_s)
{
    static const int64_t steps_s[] = {60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600,
                                      86400, 2 * 86400, 7 * 86400, 14 * 86400};
    static const int steps_mon[] = {1, 2, 3, 6, 12, 24, 60};
    size_t max_ticks = (size_t)(a.w / 95);
    int64_t step = 0;
    int months = 0;
    for (size_t i = 0; i < sizeof steps_s / sizeof *steps_s && step == 0; i++)
        if (span_s / steps_s[i] <= (int64_t)max_ticks)
            step = steps_s[i];
    for (size_t i = 0; i < sizeof steps_mon / sizeof *steps_mon && step == 0 && months == 0; i++)
        if (span_s / (steps_mon[i] * 30 * 86400LL) < (int64_t)max_ticks)
            months = steps_mon[i];
    if (step == 0 && months == 0)
        months = 120;
    int style = step != 0 && step < 86400 ? 0 : step != 0 ? 1 : 2;
    int64_t t = step != 0 ? util_floor_div(start_s + step - 1, step) * step
                          : util_month_add(start_s, start_s == util_month_start(start_s) ? 0 : 1);
    double bottom = a.y + a.h;
    for (; t <= start_s + span_s; t = step != 0 ? t + step : util_month_add(t, months)) {
        char label[48];
        double x = a.x + (double)(t - start_s) / (double)span_s * a.w;
        fmt_utc(label, sizeof label, t, style);
        sb_printf(c->b, "<path stroke=\"%s\" d=\"M%.1f %.1fv4\"/>\n", CHART_INK, x, bottom);
        cx_text(c, x, bottom + 16, ANCHOR_MIDDLE, CHART_FONT, label, NULL, 0, 0);
    }
    cx_text(c, a.x + a.w / 2, bottom + 33, ANCHOR_MIDDLE, 12, "time (UTC)", NULL, 0, 0);
}

/* "name suffix" in memory the caller frees; NULL when out of memory. A name is never cut, so
 * the title is as long as it needs. */
static char *join(const char *name, const char *suffix)
{
    size_t a = strlen(name), b = strlen(suffix);
    char *t = malloc(a + b + 1);
    if (t != NULL) {
        memcpy(t, name, a);
        memcpy(t + a, suffix, b + 1);
    }
    return t;
}

static void ts_panel(chart_cx *c, chart_area a, const chart_ts_series *se, const char *title,
                     size_t n, size_t cols, double *mn, double *mx, size_t idx)
{
    int ds = cols < n;
    chart_downsample(se->tpm, n, cols, mn, mx);
    double top = isfinite(se->reserved_tpm) ? se->reserved_tpm : 0;
    for (size_t k = 0; k < cols; k++)
        top = mx[k] > top ? mx[k] : top;
    chart_scale s = chart_nice(0, top, 4);
    chart_axis_y(c, a, s, NUM_TPM, title);
    draw_demand_area(c, a, s, mx, cols, ds, colors[idx % 4]);
    const int reserved = isfinite(se->reserved_tpm) && se->reserved_tpm >= 0;
    if (reserved)
        draw_spill(c, a, s, mx, cols, ds, se->reserved_tpm);
    draw_demand_line(c, a, s, mn, mx, cols, ds, colors[idx % 4]);
    if (reserved) {
        char num[CHART_NUM], label[128];
        double y = chart_y(a, s, se->reserved_tpm);
        sb_printf(c->b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
                  "stroke-dasharray=\"6 3\"/>\n", a.x, y, a.x + a.w, CHART_INK);
        chart_num(num, se->reserved_tpm, NUM_TPM);
        snprintf(label, sizeof label, "reserved %s TPM", num);
        cx_text(c, a.x + a.w - 2, y - 4, ANCHOR_END, CHART_FONT, label, CHART_BOLD_HALO, 16, 1);
    }
    chart_axes_lines(c, a);
}

tp_status chart_timeseries(strbuf *out, const chart_ts_args *a, chart_layout *layout,
                           tp_error *err)
{
    if (a == NULL || a->n == 0 || a->n_series == 0 || a->n_series > 4 || a->step_s <= 0 ||
        a->series == NULL)
        return tp_error_set(err, TP_ERR_USAGE, "time-series chart: 1 to 4 series of values");
    for (size_t i = 0; i < a->n_series; i++)
        if (a->series[i].tpm == NULL)
            return tp_error_set(err, TP_ERR_USAGE, "time-series chart: series without values");
    size_t cols = a->n < (size_t)PLOT_W ? a->n : (size_t)PLOT_W;
    double *mn = malloc(cols * sizeof *mn), *mx = malloc(cols * sizeof *mx);
    char *title[4] = {NULL, NULL, NULL, NULL};
    double extra[4] = {0, 0, 0, 0}, extras = 0;
    tp_status st = TP_OK;
    for (size_t i = 0; i < a->n_series; i++) {
        title[i] = join(a->series[i].name != NULL ? a->series[i].name : "demand", " (TPM)");
        if (title[i] == NULL)
            break;
        extra[i] = chart_axis_y_extra(title[i]); /* a long name's title pushes its panel down */
        extras += extra[i];
    }
    if (mn == NULL || mx == NULL || title[a->n_series - 1] == NULL) {
        st = tp_error_set(err, TP_ERR_NOMEM, "out of memory drawing a chart");
        goto cleanup;
    }
    double h = CHART_TOP + 18 + extras + (double)(a->n_series - 1) * TS_PITCH + TS_PLOT_H +
               CHART_BOTTOM;
    chart_cx c;
    chart_legend_item leg[6] = {
        {LEG_LINE, CHART_INK, "6 3", "reservation"},
        {LEG_HATCH, "spill", NULL, "spill above the reservation"},
    };
    size_t nleg = 2;
    for (size_t i = 0; i < a->n_series; i++) {
        chart_legend_item it = {LEG_FILL, colors[i % 4], NULL,
                                a->series[i].name != NULL ? a->series[i].name : "demand"};
        leg[nleg++] = it;
    }
    cx_begin(&c, out, layout, &a->frame, leg, nleg, 0, h);
    chart_area area = {CHART_LEFT, CHART_TOP + 18 + c.top, PLOT_W, TS_PLOT_H};
    for (size_t i = 0; i < a->n_series; i++) {
        area.y += extra[i];
        ts_panel(&c, area, &a->series[i], title[i], a->n, cols, mn, mx, i);
        if (i + 1 < a->n_series)
            area.y += TS_PITCH;
    }
    time_axis(&c, area, a->start_s, (int64_t)a->n * a->step_s);
    st = cx_end(&c, &a->frame, err);
cleanup:
    for (size_t i = 0; i < 4; i++)
        free(title[i]);
    free(mn);
    free(mx);
    return st;
}

static int cmp_desc(const void *pa, const void *pb)
{
    double x = *(const double *)pa, y = *(const double *)pb;
    return (x < y) - (x > y);
}

/* A percentile's dashed drop line, its dot on the curve and its label, nudged upwards past
 * labels already placed (close percentiles stack instead of overlapping). */
static void duration_mark(chart_cx *c, chart_area a, chart_scale sy, const chart_pctl *p)
{
    chart_scale sx = {0, 100, 10};
    double x = chart_x(a, sx, 100 - p->pct), y = chart_y(a, sy, p->tpm);
    char num[CHART_NUM], label[128];
    sb_printf(c->b, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-dasharray=\"3 3\"/>\n"
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#fff\" stroke=\"%s\" "
              "stroke-width=\"1.5\"/>\n", x, a.y + a.h, y, CHART_INK, x, y, CHART_INK);
    chart_num(num, p->tpm, NUM_TPM);
    snprintf(label, sizeof label, "P%g %s", p->pct, num);
    /* above the point, stacking upwards, while that stays inside the plot; else below it */
    int up = (int)floor((y - 6 - a.y - CHART_FONT * 0.8) / 13);
    if (up >= 0 && cx_text(c, x + 5, y - 6, ANCHOR_START, CHART_FONT, label, CHART_BOLD_HALO,
                           -13, up < 3 ? up : 3))
        return;
    int down = (int)floor((a.y + a.h - 4 - (y + 15)) / 13);
    if (down >= 0)
        cx_text(c, x + 5, y + 15, ANCHOR_START, CHART_FONT, label, CHART_BOLD_HALO, 13,
                down < 8 ? down : 8);
}

tp_status chart_duration(strbuf *out, const chart_duration_args *a, chart_layout *layout,
                         tp_error *err)
{
    if (a == NULL || a->n == 0 || a->tpm == NULL || (a->n_pctl > 0 && a->pctl == NULL))
        return tp_error_set(err, TP_ERR_USAGE, "duration chart: no values");
    size_t cols = a->n < (size_t)PLOT_W ? a->n : (size_t)PLOT_W;
    double *sorted = malloc(a->n * sizeof *sorted);
    double *mn = malloc(cols * sizeof *mn), *mx = malloc(cols * sizeof *mx);
    char *title = join(a->series_name != NULL ? a->series_name : "demand", " (TPM)");
    tp_status st = TP_OK;
    if (sorted == NULL || mn == NULL || mx == NULL || title == NULL) {
        st = tp_error_set(err, TP_ERR_NOMEM, "out of memory drawing a chart");
        goto cleanup;
    }
    for (size_t i = 0; i < a->n; i++)
        sorted[i] = isnan(a->tpm[i]) ? 0 : a->tpm[i];
    qsort(sorted, a->n, sizeof *sorted, cmp_desc);
    chart_downsample(sorted, a->n, cols, mn, mx);
    chart_cx c;
    chart_legend_item leg[] = {{LEG_FILL, colors[0], NULL, "per-minute TPM, highest first"},
                               {LEG_DOT, "#fff", NULL, "P90: the TPM exceeded in 10% of minutes"}};
    const double title_extra = chart_axis_y_extra(title);
    cx_begin(&c, out, layout, &a->frame, leg, 2, title_extra, 320);
    chart_area area = {CHART_LEFT, CHART_TOP + c.top, PLOT_W, 320 - CHART_TOP - CHART_BOTTOM};
    chart_scale sy = chart_nice(0, mx[0], 5), sx = {0, 100, 10};
    chart_axis_y(&c, area, sy, NUM_TPM, title);
    chart_axis_x(&c, area, sx, NUM_PCT, "share of minutes at or above this TPM");
    draw_demand_area(&c, area, sy, mx, cols, cols < a->n, colors[0]);
    draw_demand_line(&c, area, sy, mn, mx, cols, cols < a->n, colors[0]);
    chart_axes_lines(&c, area);
    for (size_t i = 0; i < a->n_pctl; i++)
        if (a->pctl[i].pct >= 0 && a->pctl[i].pct <= 100 && isfinite(a->pctl[i].tpm))
            duration_mark(&c, area, sy, &a->pctl[i]);
    st = cx_end(&c, &a->frame, err);
cleanup:
    free(title);
    free(sorted);
    free(mn);
    free(mx);
    return st;
}

static double fan_x(chart_area a, size_t i, size_t n)
{
    return a.x + (double)i / (double)(n - 1) * a.w;
}

/* Month labels under the area, every 1, 2, 3, 6, 12 or 24 months: at most one per 80 units. */
static void month_axis(chart_cx *c, chart_area a, int year, int month, size_t n)
{
    static const size_t every[] = {1, 2, 3, 6, 12, 24};
    size_t k = 24;
    for (size_t i = 0; i < sizeof every / sizeof *every; i++)
        if ((double)(n - 1) / (double)every[i] * 80 <= a.w) {
            k = every[i];
            break;
        }
    double bottom = a.y + a.h;
    for (size_t i = 0; i < n; i += k) {
        char label[32];
        long m = (long)(month - 1) + (long)i;
        snprintf(label, sizeof label, "%04ld-%02ld", year + m / 12, m % 12 + 1);
        sb_printf(c->b, "<path stroke=\"%s\" d=\"M%.1f %.1fv4\"/>\n", CHART_INK, fan_x(a, i, n),
                  bottom);
        cx_text(c, fan_x(a, i, n), bottom + 16, ANCHOR_MIDDLE, CHART_FONT, label, NULL, 0, 0);
    }
    cx_text(c, a.x + a.w / 2, bottom + 33, ANCHOR_MIDDLE, 12, "month", NULL, 0, 0);
}

static void fan_series(chart_cx *c, chart_area a, chart_scale s, const chart_fan_series *se,
                       size_t n, size_t idx)
{
    const char *color = colors[idx % 4];
    sb_printf(c->b, "<path fill=\"%s\" fill-opacity=\"0.18\" stroke=\"%s\" stroke-width=\"0.8\" "
              "stroke-opacity=\"0.6\" d=\"", color, color);
    for (size_t i = 0; i < n; i++)
        sb_printf(c->b, "%c%.1f %.1f", i == 0 ? 'M' : 'L', fan_x(a, i, n), chart_y(a, s, se->p90[i]));
    for (size_t i = n; i-- > 0;)
        sb_printf(c->b, "L%.1f %.1f", fan_x(a, i, n), chart_y(a, s, se->p10[i]));
    sb_printf(c->b, "Z\"/>\n<path fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
              "stroke-dasharray=\"%s\" d=\"", color, dashes[idx % 4]);
    for (size_t i = 0; i < n; i++)
        sb_printf(c->b, "%c%.1f %.1f", i == 0 ? 'M' : 'L', fan_x(a, i, n), chart_y(a, s, se->p50[i]));
    sb_puts(c->b, "\"/>\n");
}

tp_status chart_fan(strbuf *out, const chart_fan_args *a, chart_layout *layout, tp_error *err)
{
    if (a == NULL || a->n_months < 2 || a->n_months > 120 || a->n_series == 0 ||
        a->n_series > 4 || a->series == NULL || a->start_month < 1 || a->start_month > 12)
        return tp_error_set(err, TP_ERR_USAGE, "fan chart: 2 to 120 months, 1 to 4 series");
    double top = 0, bottom = 0;
    for (size_t j = 0; j < a->n_series; j++) {
        const chart_fan_series *se = &a->series[j];
        if (se->p10 == NULL || se->p50 == NULL || se->p90 == NULL)
            return tp_error_set(err, TP_ERR_USAGE, "fan chart: a series without P10/P50/P90");
        for (size_t i = 0; i < a->n_months; i++) {
            top = isfinite(se->p90[i]) && se->p90[i] > top ? se->p90[i] : top;
            bottom = isfinite(se->p10[i]) && se->p10[i] < bottom ? se->p10[i] : bottom;
        }
    }
    char *title = join(a->unit != NULL ? a->unit : "", " (line: P50, band: P10 to P90)");
    if (title == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory drawing a chart");
    chart_cx c;
    chart_legend_item leg[4];
    size_t nleg = 0;
    for (size_t j = 0; j < a->n_series; j++) {
        chart_legend_item it = {LEG_FAN, colors[j], dashes[j],
                                a->series[j].name != NULL ? a->series[j].name : "series"};
        leg[nleg++] = it;
    }
    cx_begin(&c, out, layout, &a->frame, leg, nleg, chart_axis_y_extra(title), 320);
    chart_area area = {CHART_LEFT, CHART_TOP + c.top, PLOT_W, 320 - CHART_TOP - CHART_BOTTOM};
    chart_scale s = chart_nice(bottom, top, 5);
    chart_axis_y(&c, area, s, a->usd ? NUM_USD : NUM_TPM, title);
    free(title);
    month_axis(&c, area, a->start_year, a->start_month, a->n_months);
    for (size_t j = 0; j < a->n_series; j++)
        fan_series(&c, area, s, &a->series[j], a->n_months, j);
    chart_axes_lines(&c, area);
    return cx_end(&c, &a->frame, err);
}
