/* report_project.h - what the projection's renderers share (private): the cells, the words of
 * the notes and the lines every format says. */
#ifndef TIERPLAN_REPORT_PROJECT_H
#define TIERPLAN_REPORT_PROJECT_H

#include <stddef.h>
#include <stdint.h>

#include "render/render.h"
#include "tierplan/project.h"

/* Model `model`'s cell of month m and plan, or the fleet's when model == p->n. */
const tp_project_cell *report_project_cell(const tp_projection *p, size_t model, size_t m,
                                           int plan);
/* Model `model`'s total over the horizon of a plan, or the fleet's when model == p->n. */
const tp_project_cell *report_project_total(const tp_projection *p, size_t model, int plan);
/* The days of the horizon. */
int report_project_total_days(const tp_projection *p);
/* A fitted growth that deserves a second look (short history, steep rate): the line, with
 * the rate, its standard error and how to give one: 1, else 0 (buf untouched). */
int report_project_growth_warning(const tp_project_model *m, char *buf, size_t size);
/* The current month's observed and projected days: 1, else 0 (buf untouched). */
int report_project_observed_line(const tp_projection *p, char *buf, size_t size);
/* The recommended plan's commitment past the horizon: 1, else 0 (buf untouched). */
int report_project_beyond_line(const tp_projection *p, size_t model, char *buf, size_t size);
/* 1: a model sold in units (its price's provider is not bedrock). */
int report_project_is_units(const tp_project_model *m);
/* "15 PTU": n of the model's units. */
/* 1: a model sold in two pools (openai-scale, xai): cells hold input and output units. */
int report_project_is_pools(const tp_project_model *m);
void report_project_units_word(const tp_project_model *m, int64_t n, char *buf, size_t size);
/* "1 month": a unit term as people say it (static). */
const char *report_project_unit_term_label(tp_unit_term t);
/* A model sold in units: its unit, weights, term and overflow in one line: 1, else 0 (buf
 * untouched). */
int report_project_units_line(const tp_project_model *m, char *buf, size_t size);
/* "YYYY-MM" */
void report_project_month(const tp_project_month *m, char buf[16]);
/* A table row's first cell (markdown and HTML): "total" for the row past the last month (m ==
 * p->n_months), else "YYYY-MM", with "(observed to YYYY-MM-DD)" on the current month. */
void report_project_row_label(const tp_projection *p, size_t m, char buf[64]);
/* The figures of a table row (markdown and HTML), for people: v[0..2] the P10/P50/P90 cost,
 * v[3] and v[4] the reservation's input and output TPM ("-" for the fleet), v[5..8] the P50
 * tokens, reserved, on demand and throttled. */
#define REPORT_PROJECT_ROW_FIGURES 9
void report_project_row(const tp_projection *p, size_t model, const tp_project_cell *c,
                        char v[REPORT_PROJECT_ROW_FIGURES][NUMFMT_BUF]);
/* One line each, into buf: the bootstrap, a model's growth, a model's history. */
void report_project_bootstrap_line(const tp_projection *p, char *buf, size_t size);
void report_project_growth_line(const tp_project_model *m, char *buf, size_t size);
void report_project_history_line(const tp_project_model *m, char *buf, size_t size);
/* When some weekday has a single history day, that the spread cannot be estimated: 1, else 0
 * (buf untouched). */
int report_project_spread_line(const tp_project_model *m, char *buf, size_t size);
/* The tiers each reservation serves: the recommended plan's per term (where it changes) and
 * the held one's, "none (no reservation)" where nothing is reserved. */
void report_project_routes_line(const tp_projection *p, size_t model, char *buf, size_t size);
/* Where the catalog says the model's Reserved tier is not offered, the line recommend prints
 * ("Reserved tier not offered for MODEL (SOURCE, as of DATE)"), and whether it was explored
 * anyway: 1, else 0 (buf untouched). */
int report_project_offer_line(const tp_project_model *m, char *buf, size_t size);

extern const char report_project_reserved_note[]; /* 730 h reserved, real minutes on demand */
/* The billing note of two-pool models (by the day), or NULL when p has none. Static text. */
const char *report_project_pools_note(const tp_projection *p);
extern const char report_project_quantile_note[]; /* quantiles per figure; fleet from sums */

/* Text (md = 0, 100 columns) or markdown (md = 1); and the HTML page. */
tp_status report_project_text(const tp_projection *p, int md, char **out, tp_error *err);
tp_status report_project_html(const tp_projection *p, char **out, tp_error *err);

#endif
