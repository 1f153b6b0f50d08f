/* chart.h - inline SVG charts for the HTML report, drawn from plain arrays the caller fills.
 *
 * Charts are pure rendering: no store access, no printing. Each function appends one complete
 * <svg> element (fixed 960-unit-wide viewBox, generic font family, no scripts, no external
 * references) to a strbuf: axes, tick labels, an axis title with the unit, a legend and a
 * one-line caption. Every string that came from input (model ids, titles) is XML-escaped.
 * Meaning never rests on colour alone: spill and spill cost are hatched, series differ in dash
 * pattern, heatmap cells carry their value.
 *
 * Every text label placed is recorded with an estimated box (width = characters x font size x
 * 0.6, height = font size); a label that would overlap one already placed is nudged or dropped,
 * so that no two boxes overlap. Pass a chart_layout to see the boxes (tests do), or NULL.
 *
 * No string from input is ever cut (docs/user-guide.md: names are never cut): a long title,
 * legend label, series name or model id wraps onto more lines and the chart grows to hold it;
 * a wrapped label carries the whole string once more in a <title>. */
#ifndef TIERPLAN_CHART_H
#define TIERPLAN_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "tierplan/common.h"

/* Width of every chart's viewBox, in SVG user units (pixels at 100% zoom). */
#define CHART_WIDTH 960

/* The estimated box of one text label, in viewBox units; y grows downwards. */
typedef struct chart_box {
    double x, y, w, h;
} chart_box;

/* The labels one chart placed. The chart function appends to it; free with chart_layout_free
 * (the struct itself is the caller's, usually on the stack, zero-initialised). */
typedef struct chart_layout {
    chart_box *box;
    size_t n, cap;
} chart_layout;

void chart_layout_free(chart_layout *layout);

/* 1 when the two boxes share interior area (touching edges do not count). */
int chart_boxes_overlap(const chart_box *a, const chart_box *b);

/* Appends s escaped for XML text and attribute values (& < > " '). Control characters XML
 * forbids and invalid UTF-8 become '?', so the document stays well-formed whatever s holds. */
void chart_escape(strbuf *b, const char *s);

/* What every chart has. All strings are the caller's and are escaped when written. */
typedef struct chart_frame {
    const char *id;      /* prefix for element ids (hatch patterns), unique within the page;
                          * characters other than [A-Za-z0-9_-] become '_'. NULL: "chart" */
    const char *title;   /* heading inside the chart */
    const char *caption; /* a line under the chart: what to look at (wraps when long) */
} chart_frame;

/* One series of a time series: per-minute (or per-step) values. */
typedef struct chart_ts_series {
    const char *name;    /* "effective input", "output" */
    const double *tpm;   /* n values, tokens per minute; NAN where unknown (drawn as 0) */
    double reserved_tpm; /* the reservation drawn as a line, spill shaded above it; NAN: none */
} chart_ts_series;

typedef struct chart_ts_args {
    chart_frame frame;
    int64_t start_s;   /* UTC epoch seconds of value 0 */
    int64_t step_s;    /* seconds between values (60) */
    size_t n;          /* values per series */
    const chart_ts_series *series;
    size_t n_series;   /* 1 to 4: one panel each, stacked, sharing the time axis */
} chart_ts_args;

/* Time series, one panel per series. Windows longer than the plot is wide are downsampled to
 * one column per pixel holding that column's minimum and maximum, so a peak is always drawn
 * and a year stays a few hundred KB. */
tp_status chart_timeseries(strbuf *out, const chart_ts_args *a, chart_layout *layout,
                           tp_error *err);

/* One marked percentile of a demand-duration curve. */
typedef struct chart_pctl {
    double pct; /* 99 for P99: the value exceeded in (100 - pct)% of minutes */
    double tpm;
} chart_pctl;

typedef struct chart_duration_args {
    chart_frame frame;
    const char *series_name; /* "effective input TPM" */
    const double *tpm;       /* n per-minute values in any order (the chart sorts a copy) */
    size_t n;
    const chart_pctl *pctl;  /* markers, e.g. P25/P50/P90/P99 */
    size_t n_pctl;
} chart_duration_args;

/* Demand-duration curve: values sorted descending over "% of minutes", percentiles marked. */
tp_status chart_duration(strbuf *out, const chart_duration_args *a, chart_layout *layout,
                         tp_error *err);

/* A labelled point on the cost curve (a candidate reservation). */
typedef struct chart_point {
    const char *label; /* "P90", "P99" ... escaped */
    double x, y;
} chart_point;

typedef struct chart_cost_args {
    chart_frame frame;
    const double *input_tpm;      /* n grid points, ascending */
    const double *usd_per_month;  /* total cost at each grid point */
    size_t n;
    chart_point optimum;          /* label may be NULL: "optimum" */
    const chart_point *candidates;
    size_t n_candidates;
    double on_demand_usd_per_month; /* baseline line; NAN: none */
} chart_cost_args;

/* Total cost per month versus input reservation, optimum, candidates and on-demand marked. */
tp_status chart_cost(strbuf *out, const chart_cost_args *a, chart_layout *layout,
                     tp_error *err);

typedef struct chart_heatmap_args {
    chart_frame frame;
    const char *value_name; /* "mean effective input TPM" */
    const double *tpm;      /* 168 values: index day * 24 + hour, day 0 = Monday, UTC; NAN: no
                             * data */
} chart_heatmap_args;

/* Hour-of-week heatmap: 7 rows by 24 cells, each shaded and labelled with its value. */
tp_status chart_heatmap(strbuf *out, const chart_heatmap_args *a, chart_layout *layout,
                        tp_error *err);

/* One model of the fleet chart. */
typedef struct chart_fleet_bar {
    const char *model;               /* escaped, never cut: wrapped in the label column (full
                                      * id in a tooltip), the row growing to hold it */
    double reserved_usd_per_month;
    double spill_usd_per_month;
    double total_usd_per_month;      /* reserved + spill: the bar's end and its label */
    double on_demand_usd_per_month;  /* marker; NAN: none */
} chart_fleet_bar;

typedef struct chart_fleet_args {
    chart_frame frame;
    const chart_fleet_bar *bars;
    size_t n; /* 1 to 200; the chart grows 26 units per model, 13 more per extra line of a
               * wrapped id */
} chart_fleet_args;

/* Fleet cost: one horizontal bar per model, reserved then spill stacked, on-demand marked. */
tp_status chart_fleet(strbuf *out, const chart_fleet_args *a, chart_layout *layout,
                      tp_error *err);

/* One series of a fan chart (projection). */
typedef struct chart_fan_series {
    const char *name;
    const double *p10, *p50, *p90; /* n_months values each */
} chart_fan_series;

typedef struct chart_fan_args {
    chart_frame frame;
    const char *unit;  /* y axis title, e.g. "TPM" or "USD/month" */
    int usd;           /* 1: tick labels as dollars */
    int start_year, start_month; /* month of value 0 (month 1-12) */
    size_t n_months;   /* 2 to 120 */
    const chart_fan_series *series;
    size_t n_series;   /* 1 to 4 */
} chart_fan_args;

/* Fan chart: months on x, a P10-P90 band and a P50 line per series. */
tp_status chart_fan(strbuf *out, const chart_fan_args *a, chart_layout *layout, tp_error *err);

#endif
