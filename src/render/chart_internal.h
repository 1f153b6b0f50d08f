/* chart_internal.h - what the chart kinds share: the drawing context, label placement with
 * overlap checks, nice axis scales, axes, legends and min/max downsampling. */
#ifndef TIERPLAN_CHART_INTERNAL_H
#define TIERPLAN_CHART_INTERNAL_H

#include <locale.h>

#include "render/chart.h"

/* Margins shared by the charts with a value axis on the left. */
#define CHART_LEFT 72.0
#define CHART_RIGHT 24.0
#define CHART_TOP 66.0      /* below the title (y 20), the legend row (y 42), the axis title */
#define CHART_BOTTOM 58.0   /* x tick labels, x axis title, caption */
#define CHART_FONT 11.0     /* tick labels, legend */
#define CHART_INK "#222"
#define CHART_GRID "#ddd"
/* A white outline behind a label drawn over data, so lines under it do not cross its letters. */
#define CHART_HALO "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" " \
                   "stroke-linejoin=\"round\""
#define CHART_BOLD_HALO "font-weight=\"bold\" " CHART_HALO

typedef struct chart_cx {
    strbuf *b;
    chart_layout *lay; /* the caller's, or `own` */
    chart_layout own;
    int nomem;         /* a box could not be recorded */
    char id[40];
    double h;
    /* the caller's numeric locale, restored by cx_end */
    locale_t locale_prev;
} chart_cx;

typedef struct chart_area {
    double x, y, w, h;
} chart_area;

/* An axis from lo to hi with a tick every `step` (a 1, 2, 2.5 or 5 times a power of ten). */
typedef struct chart_scale {
    double lo, hi, step;
} chart_scale;

enum { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END };
enum { NUM_TPM, NUM_USD, NUM_PCT };
enum { LEG_LINE, LEG_FILL, LEG_HATCH, LEG_DOT, LEG_DIAMOND, LEG_FAN };

typedef struct chart_legend_item {
    int kind;
    const char *color;
    const char *dash; /* stroke-dasharray or NULL */
    const char *label;
} chart_legend_item;

/* Opens the <svg> (height h), its hatch patterns and the title; switches to the C locale. */
void cx_begin(chart_cx *c, strbuf *b, chart_layout *lay, const chart_frame *f, double h);
/* Writes the caption and </svg>, restores the locale; TP_ERR_NOMEM if anything failed. */
tp_status cx_end(chart_cx *c, const chart_frame *f, tp_error *err);
/* Frees what cx_begin took without writing more (an argument error after cx_begin). */
void cx_abort(chart_cx *c);

/* Places a text label with baseline (x, y). If its box would overlap a placed label, it moves
 * by dy up to `tries` times; if it still overlaps (or tries is 0), it is dropped. A box beyond
 * the chart's sides is shifted inside. `attrs` is extra raw attributes (trusted) or NULL.
 * Returns 1 when placed. */
int cx_text(chart_cx *c, double x, double y, int anchor, double size, const char *text,
            const char *attrs, double dy, int tries);
/* Like cx_text for a string from input: cut to max_chars characters with "..." in the middle
 * (model ids differ at both ends; the full string goes into a <title> tooltip when cut). */
int cx_text_cut(chart_cx *c, double x, double y, int anchor, double size, const char *text,
                size_t max_chars, const char *attrs);

/* Copies src into dst (size bytes, at least 8), cut to max_chars characters (at least 5) with
 * "..." in the middle when longer; never splits a UTF-8 sequence. */
void chart_cut(char *dst, size_t size, const char *src, size_t max_chars);
/* Characters (UTF-8 code points) in s. */
size_t chart_chars(const char *s);
/* Size of a buffer that holds any number chart_num writes. */
#define CHART_NUM 64
/* An axis or label number: "12.3K", "$1,234", "25%". */
void chart_num(char buf[CHART_NUM], double v, int kind);

chart_scale chart_nice(double lo, double hi, int max_ticks);
double chart_y(chart_area a, chart_scale s, double v);
double chart_x(chart_area a, chart_scale s, double v);

/* Horizontal grid lines, tick labels on the left, the axis title above the area. */
void chart_axis_y(chart_cx *c, chart_area a, chart_scale s, int kind, const char *title);
/* Vertical tick labels under the area, the axis title centred below them. */
void chart_axis_x(chart_cx *c, chart_area a, chart_scale s, int kind, const char *title);
/* The plot frame (left and bottom axis lines). */
void chart_axes_lines(chart_cx *c, chart_area a);
/* One legend row at y 42 from x 10; items that do not fit are dropped. */
void chart_legend(chart_cx *c, const chart_legend_item *items, size_t n);

/* Splits n values into `cols` columns (cols <= n) and writes each column's minimum and
 * maximum; NAN counts as 0. Column k holds values [k * n / cols, (k + 1) * n / cols). */
void chart_downsample(const double *v, size_t n, size_t cols, double *mn, double *mx);

#endif
