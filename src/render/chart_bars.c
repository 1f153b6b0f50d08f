/* chart_bars.c - the cost charts and the heatmap: cost versus input reservation, the
 * hour-of-week heatmap and the fleet's cost bars. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart_internal.h"

#define PLOT_W (CHART_WIDTH - CHART_LEFT - CHART_RIGHT)
#define COST_H 340.0

static void cost_marks(chart_cx *c, chart_area a, chart_scale sx, chart_scale sy,
                       const chart_cost_args *ar)
{
    char num[CHART_NUM], usd[CHART_NUM], label[400];
    double ox = chart_x(a, sx, ar->optimum.x), oy = chart_y(a, sy, ar->optimum.y);
    /* the optimum's label first: it is the one a reader must find */
    chart_num(num, ar->optimum.x, NUM_TPM);
    chart_num(usd, ar->optimum.y, NUM_USD);
    snprintf(label, sizeof label, "%.120s: %s TPM, %s/month", /* the caller's own word */
             ar->optimum.label != NULL ? ar->optimum.label : "optimum", num, usd);
    if (!cx_text(c, ox, oy + 22, ANCHOR_MIDDLE, CHART_FONT, label, CHART_BOLD_HALO, 14, 4))
        cx_text(c, ox, oy - 12, ANCHOR_MIDDLE, CHART_FONT, label, CHART_BOLD_HALO, -14, 4);
    if (isfinite(ar->on_demand_usd_per_month)) {
        double y = chart_y(a, sy, ar->on_demand_usd_per_month);
        sb_printf(c->b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#666\" stroke-width=\"1.5\" "
                  "stroke-dasharray=\"2 3\"/>\n", a.x, y, a.x + a.w);
        chart_num(usd, ar->on_demand_usd_per_month, NUM_USD);
        snprintf(label, sizeof label, "on-demand %s/month", usd);
        cx_text(c, a.x + a.w - 2, y - 5, ANCHOR_END, CHART_FONT, label, CHART_HALO, 15, 1);
    }
    for (size_t i = 0; i < ar->n_candidates; i++) {
        const chart_point *p = &ar->candidates[i];
        double x = chart_x(a, sx, p->x), y = chart_y(a, sy, p->y);
        sb_printf(c->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#fff\" stroke=\"%s\" "
                  "stroke-width=\"1.5\"/>\n", x, y, CHART_INK);
        if (!cx_text(c, x, y - 9, ANCHOR_MIDDLE, CHART_FONT, p->label, CHART_HALO, -13, 3))
            cx_text(c, x, y + 19, ANCHOR_MIDDLE, CHART_FONT, p->label, CHART_HALO, 13, 3);
    }
    sb_printf(c->b, "<path d=\"M%.1f %.1fl7 7-7 7-7-7z\" fill=\"%s\" stroke=\"#fff\"/>\n", ox,
              oy - 7, CHART_INK);
}

tp_status chart_cost(strbuf *out, const chart_cost_args *a, chart_layout *layout,
                     tp_error *err)
{
    if (a == NULL || a->n == 0 || a->input_tpm == NULL || a->usd_per_month == NULL ||
        (a->n_candidates > 0 && a->candidates == NULL))
        return tp_error_set(err, TP_ERR_USAGE, "cost chart: no grid points");
    double xmax = a->optimum.x, ymax = a->optimum.y;
    for (size_t i = 0; i < a->n; i++) {
        xmax = a->input_tpm[i] > xmax ? a->input_tpm[i] : xmax;
        ymax = a->usd_per_month[i] > ymax ? a->usd_per_month[i] : ymax;
    }
    if (isfinite(a->on_demand_usd_per_month) && a->on_demand_usd_per_month > ymax)
        ymax = a->on_demand_usd_per_month;
    chart_cx c;
    chart_legend_item leg[] = {{LEG_LINE, "#1f5fa8", NULL, "total cost (reserved + spill)"},
                               {LEG_DIAMOND, CHART_INK, NULL, "optimum"},
                               {LEG_DOT, "#fff", NULL, "percentile candidates"},
                               {LEG_LINE, "#666", "2 3", "on-demand for the same usage"}};
    cx_begin(&c, out, layout, &a->frame, leg, 4, 0, COST_H);
    chart_area area = {CHART_LEFT, CHART_TOP + c.top, PLOT_W, COST_H - CHART_TOP - CHART_BOTTOM};
    chart_scale sx = chart_nice(0, xmax, 8), sy = chart_nice(0, ymax * 1.08, 5);
    chart_axis_y(&c, area, sy, NUM_USD, "total USD/month");
    chart_axis_x(&c, area, sx, NUM_TPM, "input TPM reserved (at the chosen output reservation)");
    sb_puts(c.b, "<path fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2.5\" "
            "stroke-linejoin=\"round\" d=\"");
    for (size_t i = 0; i < a->n; i++)
        sb_printf(c.b, "%c%.1f %.1f", i == 0 ? 'M' : 'L', chart_x(area, sx, a->input_tpm[i]),
                  chart_y(area, sy, a->usd_per_month[i]));
    sb_puts(c.b, "\"/>\n");
    chart_axes_lines(&c, area);
    cost_marks(&c, area, sx, sy, a);
    return cx_end(&c, &a->frame, err);
}

/* Yellow-green-blue ramp: light for little demand, dark for much; t in [0, 1]. */
static void ramp(double t, char buf[8], int *dark)
{
    static const unsigned char stops[][3] = {
        {255, 255, 217}, {199, 233, 180}, {65, 182, 196}, {34, 94, 168}, {8, 29, 88}};
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double f = t * 4;
    int i = f >= 4 ? 3 : (int)f;
    f -= i;
    int rgb[3];
    for (int k = 0; k < 3; k++)
        rgb[k] = (int)lround(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
    snprintf(buf, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    *dark = t > 0.5;
}

/* The value name wraps at HEAT_NAME_CHARS (never cut); the ramp sits beside its first line. */
#define HEAT_NAME_CHARS 60

static double heat_legend_extra(const char *name)
{
    return (double)(chart_wrap_lines(name, HEAT_NAME_CHARS) - 1) * LEGEND_LINE;
}

static void heat_legend(chart_cx *c, const char *name, double lo, double hi)
{
    char num[CHART_NUM];
    double x = 10, y = c->legend_y;
    size_t len = strlen(name);
    char *text = malloc(len + 2);
    if (text == NULL) {
        c->nomem = 1;
        return;
    }
    memcpy(text, name, len);
    memcpy(text + len, ":", 2);
    cx_text_wrap(c, x, y, ANCHOR_START, CHART_FONT, text, HEAT_NAME_CHARS, LEGEND_LINE,
                 "font-weight=\"bold\"");
    x += (double)chart_wrap_width(text, HEAT_NAME_CHARS) * CHART_FONT * 0.6 + 8;
    free(text);
    chart_num(num, lo, NUM_TPM);
    cx_text(c, x, y, ANCHOR_START, CHART_FONT, num, NULL, 0, 0);
    x += (double)chart_chars(num) * CHART_FONT * 0.6 + 6;
    sb_printf(c->b, "<defs><linearGradient id=\"%s-ramp\">", c->id);
    for (int i = 0; i <= 4; i++) {
        char col[8];
        int dark;
        ramp(i / 4.0, col, &dark);
        sb_printf(c->b, "<stop offset=\"%d%%\" stop-color=\"%s\"/>", i * 25, col);
    }
    sb_printf(c->b, "</linearGradient></defs>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"160\" "
              "height=\"12\" fill=\"url(#%s-ramp)\" stroke=\"%s\"/>\n", x, y - 10, c->id,
              CHART_INK);
    x += 166;
    chart_num(num, hi, NUM_TPM);
    cx_text(c, x, y, ANCHOR_START, CHART_FONT, num, NULL, 0, 0);
    x += (double)chart_chars(num) * CHART_FONT * 0.6 + 24;
    sb_printf(c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" "
              "fill=\"url(#%s-nodata)\" stroke=\"%s\"/>\n", x, y - 10, c->id, CHART_INK);
    cx_text(c, x + 22, y, ANCHOR_START, CHART_FONT, "no data", NULL, 0, 0);
}

tp_status chart_heatmap(strbuf *out, const chart_heatmap_args *a, chart_layout *layout,
                        tp_error *err)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (a == NULL || a->tpm == NULL)
        return tp_error_set(err, TP_ERR_USAGE, "heatmap: no values");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < 168; i++)
        if (isfinite(a->tpm[i])) {
            lo = a->tpm[i] < lo ? a->tpm[i] : lo;
            hi = a->tpm[i] > hi ? a->tpm[i] : hi;
        }
    if (lo > hi)
        lo = hi = 0;
    const char *name = a->value_name != NULL ? a->value_name : "mean TPM";
    chart_area area = {CHART_LEFT, CHART_TOP + 6, PLOT_W, 7 * 28};
    double h = area.y + area.h + CHART_BOTTOM, cw = area.w / 24, ch = 28;
    chart_cx c;
    cx_begin(&c, out, layout, &a->frame, NULL, 0, heat_legend_extra(name), h);
    area.y += c.top;
    heat_legend(&c, name, lo, hi);
    for (int d = 0; d < 7; d++) {
        double y = area.y + d * ch;
        cx_text(&c, area.x - 8, y + ch / 2 + 4, ANCHOR_END, CHART_FONT, days[d], NULL, 0, 0);
        for (int hr = 0; hr < 24; hr++) {
            double v = a->tpm[d * 24 + hr], x = area.x + hr * cw;
            char col[8], num[CHART_NUM], fill[64];
            int dark = 0;
            if (!isfinite(v)) {
                snprintf(fill, sizeof fill, "url(#%s-nodata)", c.id);
            } else {
                ramp(hi > lo ? (v - lo) / (hi - lo) : 0, col, &dark);
                snprintf(fill, sizeof fill, "%s", col);
            }
            sb_printf(c.b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                      "fill=\"%s\" stroke=\"#fff\"/>\n", x, y, cw, ch, fill);
            if (!isfinite(v))
                continue;
            chart_num(num, v, NUM_TPM);
            /* the value is printed: the colour is never the only way to read a cell */
            cx_text(&c, x + cw / 2, y + ch / 2 + 3.5, ANCHOR_MIDDLE, 9.5, num,
                    dark ? "fill=\"#fff\"" : NULL, 0, 0);
        }
    }
    for (int hr = 0; hr < 24; hr++) {
        char label[8];
        snprintf(label, sizeof label, "%02d", hr);
        cx_text(&c, area.x + (hr + 0.5) * cw, area.y + area.h + 16, ANCHOR_MIDDLE, CHART_FONT,
                label, NULL, 0, 0);
    }
    cx_text(&c, area.x + area.w / 2, area.y + area.h + 33, ANCHOR_MIDDLE, 12,
            "hour of day (UTC)", NULL, 0, 0);
    return cx_end(&c, &a->frame, err);
}

#define FLEET_ROW 26.0  /* a model whose id fits one line */
#define FLEET_LINE 13.0 /* each further line of a wrapped id */
#define FLEET_LEFT 260.0
#define FLEET_W (CHART_WIDTH - FLEET_LEFT - 90.0)
/* The label column: FLEET_LEFT less 20 units of margin, at CHART_FONT's 6.6 units a character
 * (36 characters; "us.anthropic.claude-sonnet-4-5-20250929-v1:0" takes two lines). */
#define FLEET_CHARS ((size_t)((FLEET_LEFT - 20) / (CHART_FONT * 0.6)))

/* Extra lines of a model's label: its row is FLEET_LINE taller for each. */
static double fleet_extra(const chart_fleet_bar *b)
{
    return (double)(chart_wrap_lines(b->model != NULL ? b->model : "", FLEET_CHARS) - 1) *
           FLEET_LINE;
}

/* One model's row from y: the bar centred in the row, the id whole beside it, wrapped when
 * long (a numbered key would send the reader elsewhere to find which bar is which). */
static void fleet_row(chart_cx *c, chart_area a, chart_scale s, const chart_fleet_bar *b,
                      double y)
{
    const double extra = fleet_extra(b);
    double x0 = a.x, xr = chart_x(a, s, b->reserved_usd_per_month);
    double xs = chart_x(a, s, b->total_usd_per_month);
    char usd[CHART_NUM], label[128];
    /* the label's lines from the row's top line; the bar moves down half the extra height,
     * so that it sits at the middle of the lines */
    cx_text_wrap(c, a.x - 8, y + 13, ANCHOR_END, CHART_FONT, b->model, FLEET_CHARS, FLEET_LINE,
                 NULL);
    y += extra / 2;
    sb_printf(c->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"#1f5fa8\"/>\n"
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"url(#%s-spill)\" "
              "stroke=\"#b2182b\" stroke-width=\"0.8\"/>\n",
              x0, y + 1, xr - x0, xr, y + 1, xs - xr, c->id);
    double xend = xs;
    if (isfinite(b->on_demand_usd_per_month)) {
        double xo = chart_x(a, s, b->on_demand_usd_per_month);
        sb_printf(c->b, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n"
                  "<path d=\"M%.1f %.1fl5 5-5 5-5-5z\" fill=\"%s\" stroke=\"#fff\"/>\n",
                  xo, y - 2, y + 20, CHART_INK, xo, y + 4, CHART_INK);
        xend = xo + 5 > xend ? xo + 5 : xend;
    }
    chart_num(usd, b->total_usd_per_month, NUM_USD);
    snprintf(label, sizeof label, "%s/month", usd);
    cx_text(c, xend + 6, y + 13, ANCHOR_START, CHART_FONT, label, CHART_HALO, 0, 0);
}

tp_status chart_fleet(strbuf *out, const chart_fleet_args *a, chart_layout *layout,
                      tp_error *err)
{
    if (a == NULL || a->n == 0 || a->n > 200 || a->bars == NULL)
        return tp_error_set(err, TP_ERR_USAGE, "fleet chart: 1 to 200 models");
    double top = 0, rows_h = 0;
    for (size_t i = 0; i < a->n; i++) {
        const chart_fleet_bar *b = &a->bars[i];
        if (!(b->reserved_usd_per_month >= 0) || !(b->spill_usd_per_month >= 0))
            return tp_error_set(err, TP_ERR_USAGE, "fleet chart: a negative or missing cost");
        top = b->total_usd_per_month > top ? b->total_usd_per_month : top;
        top = b->on_demand_usd_per_month > top ? b->on_demand_usd_per_month : top;
        rows_h += FLEET_ROW + fleet_extra(b);
    }
    chart_area area = {FLEET_LEFT, CHART_TOP + 8, FLEET_W, rows_h};
    double h = area.y + area.h + CHART_BOTTOM;
    chart_cx c;
    chart_legend_item leg[] = {{LEG_FILL, "#1f5fa8", NULL, "reserved"},
                               {LEG_HATCH, "spill", NULL, "spill (on-demand rate above it)"},
                               {LEG_DIAMOND, CHART_INK, NULL, "on-demand for the same usage"}};
    cx_begin(&c, out, layout, &a->frame, leg, 3, 0, h);
    area.y += c.top;
    chart_scale s = chart_nice(0, top, 6);
    int nt = (int)floor((s.hi - s.lo) / s.step + 0.5);
    sb_printf(c.b, "<path stroke=\"%s\" d=\"", CHART_GRID);
    for (int i = 1; i <= nt; i++)
        sb_printf(c.b, "M%.1f %.1fV%.1f", chart_x(area, s, i * s.step), area.y, area.y + area.h);
    sb_puts(c.b, "\"/>\n");
    double y = area.y + 4;
    for (size_t i = 0; i < a->n; i++) {
        fleet_row(&c, area, s, &a->bars[i], y);
        y += FLEET_ROW + fleet_extra(&a->bars[i]);
    }
    chart_axis_x(&c, area, s, NUM_USD, "USD per month (rates: fleet totals add per month)");
    cx_text(&c, area.x - 8, area.y - 6, ANCHOR_END, 12, "model", "font-weight=\"bold\"", 0, 0);
    chart_axes_lines(&c, area);
    return cx_end(&c, &a->frame, err);
}
