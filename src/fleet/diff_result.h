/* diff_result.h - the finished rows of a diff, computed once by the fleet stage (diff.c) for
 * every renderer (render/diff_render.c). */
#ifndef TIERPLAN_DIFF_RESULT_H
#define TIERPLAN_DIFF_RESULT_H

#include "base/strbuf.h"
#include "tierplan/diff.h"

/* The figures a diff compares, in the order shown. */
enum {
    DF_INPUT_TPM,
    DF_OUTPUT_TPM,
    DF_COST,
    DF_SAVINGS,
    DF_UTIL_IN,
    DF_UTIL_OUT,
    DF_SPILL_MINUTES,
    DF_SPILL_PCT,
    DF_KEY_COUNT, /* the figures above decide whether a model changed */
    DF_WINDOW_MINUTES = DF_KEY_COUNT,
    DF_MINUTES_WITH_DATA,
    DF_COVERAGE,
    /* a model sold in units: its units (two pools: input units) and a two-pool model's output
     * units, NAN for a Bedrock model; they decide a change too (df_is_key) */
    DF_UNITS,
    DF_OUTPUT_UNITS,
    DF_COUNT
};

typedef enum df_unit { DF_TPM, DF_USD, DF_PCT, DF_MINUTES, DF_UNIT_COUNT } df_unit;

/* 1: figure k decides whether a model changed (the reservation, its cost and service). */
int df_is_key(int k);

/* 1: row r sized a model in units on either side (its units figures are shown, not TPM). */
struct df_row;
int df_row_in_units(const struct df_row *r);

typedef struct df_figure_def {
    const char *key;   /* JSON name */
    const char *label; /* for people */
    df_unit unit;
} df_figure_def;

extern const df_figure_def df_figures[DF_COUNT];

typedef enum df_status { DF_CHANGED, DF_UNCHANGED, DF_ADDED, DF_REMOVED } df_status;

typedef struct df_row {
    const tp_snapshot_model *old_m, *new_m; /* either may be NULL (added, removed) */
    df_status status;
    int comparable;
    char why[256];          /* why not comparable */
    double old_v[DF_COUNT], new_v[DF_COUNT]; /* NAN where unknown */
    double change[DF_COUNT], change_pct[DF_COUNT]; /* new - old and in % (df_change_pct) */
    double cost_impact_usd; /* new - old monthly cost (a missing side counts 0) */
} df_row;

typedef struct df_diff {
    const tp_snapshot *old_s, *new_s;
    df_row *rows; /* changed, added and removed first by |cost impact|, then unchanged */
    size_t n, n_unchanged;
    double old_cost_usd, new_cost_usd, old_savings_usd, new_savings_usd;
    double cost_change_usd, cost_change_pct, savings_change_usd, savings_change_pct;
    int same_catalog;
} df_diff;

/* The name of a row's status: "changed", "unchanged", "added", "removed". */
const char *df_status_name(df_status s);

/* change and change_pct of a figure: NAN where a side is unknown; the percentage is NAN from
 * 0 to anything else (any change from 0 is infinite), 0 from 0 to 0. */
double df_change(double old_v, double new_v);
double df_change_pct(double old_v, double new_v);

/* A figure for people into buf (NUMFMT_BUF): with sign, a change. */
void df_format(char *buf, double v, df_unit unit, int sign);

/* The diff of two snapshots (both borrowed: they must outlive d): every model of either, with
 * its figures and status, and the fleet's sums. TP_ERR_NOMEM only. Free with df_free. */
tp_status df_build(const tp_snapshot *old_s, const tp_snapshot *new_s, df_diff *d,
                   tp_error *err);
/* Frees d's rows. */
void df_free(df_diff *d);

#endif
