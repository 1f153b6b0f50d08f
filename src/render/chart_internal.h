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

/* Wrapping: characters per line and line pitch of each kind of text. Nothing from input is
 * ever cut: a string longer than its line wraps, and the chart grows to hold it. */
#define TITLE_CHARS 100   /* 15 units bold, from x 10 */
#define TITLE_LINE 18.0
#define CAPTION_CHARS 128 /* 12 units */
#define CAPTION_LINE 15.0
#define LEGEND_CHARS 139  /* CHART_FONT: a whole row, less the swatch */
#define LEGEND_ROW 18.0   /* from one legend row to the next */
#define LEGEND_LINE 13.0  /* between the lines of one wrapped label */
#define AXIS_Y_CHARS 60   /* 12 units bold, above the plot */
#define AXIS_Y_LINE 14.0

typedef struct chart_cx {
    strbuf *b;
    chart_layout *lay; /* the caller's, or `own` */
    chart_layout own;
    int nomem;         /* a box could not be recorded */
    char id[40];
    double h;        /* the whole chart's height */
    double top;      /* what a long title, legend or the chart's own extra add above the body:
                      * every y below the legend adds it */
    double legend_y; /* baseline of the legend's first row */
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

/* Opens the <svg>, its hatch patterns, the title and the legend (leg, n_leg; none when 0);
 * switches to the C locale. body_h is the height with a one-line title, a one-row legend and
 * a one-line caption; cx_begin adds what a longer title, legend or caption takes, plus
 * extra_top (room the chart needs above its body, such as its own legend's or a y-axis
 * title's extra lines), and sets c->h and c->top. */
void cx_begin(chart_cx *c, strbuf *b, chart_layout *lay, const chart_frame *f,
              const chart_legend_item *leg, size_t n_leg, double extra_top, double body_h);
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
/* Like cx_text for a string from input, which is never cut: wrapped onto lines of at most
 * max_chars characters (breaking after . - : / _ @ or a space where one falls in the line's
 * second half, else between characters, never inside one) line_h apart, the first at
 * baseline y. Wrapped, it is one <text> holding the whole string in a <title> and a <tspan>
 * per line. Placed whole or not at all (when a line would overlap a placed label); returns
 * the lines placed, 0 when dropped. */
size_t cx_text_wrap(chart_cx *c, double x, double y, int anchor, double size, const char *text,
                    size_t max_chars, double line_h, const char *attrs);
/* Byte length of the first line of s wrapped at max_chars characters (as cx_text_wrap). */
size_t chart_wrap_next(const char *s, size_t max_chars);
/* Lines s takes wrapped at max_chars (1 for an empty string), and the widest in characters. */
size_t chart_wrap_lines(const char *s, size_t max_chars);
size_t chart_wrap_width(const char *s, size_t max_chars);
/* Characters (UTF-8 code points) in s. */
size_t chart_chars(const char *s);
/* Size of a buffer that holds any number chart_num writes. */
#define CHART_NUM 64
/* An axis or label number: "12.3K", "$1,234", "25%". */
void chart_num(char buf[CHART_NUM], double v, int kind);

chart_scale chart_nice(double lo, double hi, int max_ticks);
double chart_y(chart_area a, chart_scale s, double v);
double chart_x(chart_area a, chart_scale s, double v);

/* Height a y-axis title takes above the area beyond one line: add it to the area's y. */
double chart_axis_y_extra(const char *title);
/* Horizontal grid lines, tick labels on the left, the axis title above the area (wrapped at
 * AXIS_Y_CHARS, its last line just above the area). */
void chart_axis_y(chart_cx *c, chart_area a, chart_scale s, int kind, const char *title);
/* Vertical tick labels under the area, the axis title centred below them (the chart's own
 * short text, on one line). */
void chart_axis_x(chart_cx *c, chart_area a, chart_scale s, int kind, const char *title);
/* The plot frame (left and bottom axis lines). */
void chart_axes_lines(chart_cx *c, chart_area a);
/* The legend from x 10 at c->legend_y (cx_begin draws it): items flow onto as many rows as
 * they need, long labels wrap; chart_legend_extra is the height beyond one row. */
void chart_legend(chart_cx *c, const chart_legend_item *items, size_t n);
double chart_legend_extra(const chart_legend_item *items, size_t n);

/* Splits n values into `cols` columns (cols <= n) and writes each column's minimum and
 * maximum; NAN counts as 0. Column k holds values [k * n / cols, (k + 1) * n / cols). */
void chart_downsample(const double *v, size_t n, size_t cols, double *mn, double *mx);

#endif
