/* report_internal.h - what the report renderers share (private): JSON blocks, numbers for
 * people, notes and CSV words, on top of render.h. One file per kind of report (report_stats.c,
 * report_sim.c, report_rec.c, report_plan.c), each with one static renderer per format and one
 * public function that checks the figures and switches on the format. */
#ifndef TIERPLAN_REPORT_INTERNAL_H
#define TIERPLAN_REPORT_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "render/render.h"
#include "base/strbuf.h"
#include "tierplan/fleet.h"
#include "tierplan/plan.h"
#include "tierplan/pricing.h"
#include "tierplan/recommend.h"
#include "tierplan/report.h"
#include "tierplan/series.h"
#include "tierplan/simulate.h"
#include "tierplan/stats.h"

/* ---- JSON blocks (every cJSON_Add* tolerates a NULL parent after a failed allocation;
 * report_print_json then fails with TP_ERR_NOMEM) ---- */

/* A window as the user gave it: "from" and "to" as written ("-14d", "2026-10", a timestamp),
 * null where not given. */
void report_json_window_bounds(cJSON *w, const tp_window_spec *ws);

/* "from", "to" (ISO 8601) and "minutes" of a window, into o. */
void report_json_window(cJSON *o, const tp_window *w);
/* "window":{"from","to","minutes","minutes_with_data"} of a loaded series; returns it. */
cJSON *report_json_series_window(cJSON *parent, const tp_series *s);
/* "ingests":[ids] the series' points came from. */
void report_json_ingests(cJSON *root, const tp_series *s);
/* name: v, or null when v is NAN (an undefined figure). */
void report_json_num_or_null(cJSON *o, const char *name, double v);
/* cost_usd, savings_pct, utilization, spill, throttled, throttled_value_usd of a simulation. */
void report_json_sim_figures(cJSON *o, const tp_sim_result *r);
/* "example_prices" and "pricing":{source, sha256, entry, burn_down} the figures rest on. */
void report_json_pricing(cJSON *root, const tp_pricing *pricing, const tp_model_price *price);
/* A candidate: basis, reservation, simulation figures, costs per hour/month/term; the caller
 * owns the object (NULL when out of memory). */
cJSON *report_json_candidate(const tp_candidate *c);
/* A plan by service tier: "routed_tiers": [...] and "by_tier": {tier: {"tokens",
 * "before_usd", "after": {"reserved_tokens", "on_demand_tokens", "on_demand_usd",
 * "throttled_tokens"}}} for the tiers with tokens. */
void report_json_tiers(cJSON *o, tp_route_set routed, const tp_sim_tier *tier);
/* The same as text: one line per tier with tokens, before and after, then the reservation. */
void report_tiers_text(strbuf *b, tp_route_set routed, const tp_sim_tier *tier,
                       double reserved_usd);
/* The same as CSV columns, always present (empty where a plan is not by tier): the header's
 * ",routed_tiers,<tier>_tokens,<tier>_before_usd,<tier>_reserved_tokens,
 * <tier>_on_demand_tokens,<tier>_after_usd,<tier>_throttled_tokens" for every tier in order,
 * and a row's values (tier NULL: empty). */
void report_csv_tiers_header(strbuf *b);
void report_csv_tiers(strbuf *b, tp_route_set routed, const tp_sim_tier *tier);
/* The stats object of one model, as the stats report's "models" entries; the caller owns it
 * (NULL when out of memory). */
cJSON *report_json_stats_model(const tp_model_stats *ms);
/* The whole recommend JSON object (tp_report_rec's root); the caller owns it (NULL when out of
 * memory). */
cJSON *report_json_rec(const tp_rec_report *rep);
/* The whole seasonal plan and backtest JSON objects (tp_report_seasonal's and
 * tp_report_backtest's roots); the caller owns them (NULL when out of memory). */
cJSON *report_json_seasonal(const char *model, const tp_pricing *pricing,
                            const tp_model_price *price, const tp_rec_options *o,
                            const tp_seasonal *s);
cJSON *report_json_backtest(const char *model, const tp_pricing *pricing,
                            const tp_model_price *price, const tp_rec_options *o,
                            const tp_backtest *bt);
/* A JSON report begins here: a cJSON_Add* whose allocation fails drops its member and the
 * builders do not check each one, so this clears errno, and report_json_lost (which
 * report_print_json asks) reads the ENOMEM a failed malloc leaves, so that the report fails
 * rather than print with members missing. Called once per report, not by nested blocks. */
void report_json_start(void);
/* 1 when an allocation failed since report_json_start. */
int report_json_lost(void);
/* Attach item to array (push) or to object under key (put) and return it; when that fails (a
 * NULL parent or a failed allocation) delete item, which cJSON leaves with the caller, and
 * return NULL, which every cJSON_Add* accepts as a parent. */
cJSON *report_json_push(cJSON *array, cJSON *item);
cJSON *report_json_put(cJSON *object, const char *key, cJSON *item);
/* Prints root in the C locale into *out (caller frees) and deletes root, whatever happens;
 * TP_ERR_NOMEM when report_json_lost. */
tp_status report_print_json(cJSON *root, char **out, tp_error *err);

/* ---- numbers for people into a caller's buffer (size >= NUMFMT_BUF) ---- */

void report_fmt_tpm(char *buf, size_t size, double v); /* a rate: one decimal, "93,998.0" */
void report_usd(char *buf, size_t size, double v);     /* "$12,345.67" */
void report_pct(char *buf, size_t size, double v);     /* "64.9%" */
void report_count(char *buf, size_t size, double v);   /* "828,123" */

/* ---- text ---- */

/* The lines naming the prices used: catalog, entry, hash, burn-down factors. */
void report_prices_text(strbuf *b, const tp_pricing *pricing, const tp_model_price *price);
/* Nonzero when some minute of s rests on data coarser than a minute. */
int report_series_coarse(const tp_series *s);
/* Under a text report: a warning naming how many hours of s's window neither metric exports
 * nor invocation logs cover, and where (the first REPORT_UNCOVERED_SHOWN spans); nothing
 * when every minute is covered. */
#define REPORT_UNCOVERED_SHOWN 5
void report_uncovered_text(strbuf *b, const tp_series *s);

/* ---- CSV: fields go through enc_csv (first field, text from input),
 * render_csv_num (numbers) or report_csv_word ---- */

/* Appends ",<word>" for a word the library chose (a metric key, an enum name, an ISO 8601
 * timestamp, true/false): bare as today's outputs have it, but quoted by enc_csv should
 * it ever hold a comma, quote, line break or edge space. */
void report_csv_word(strbuf *b, const char *word);

/* TP_ERR_USAGE for a format a report kind does not render (the dispatchers' fallback). */
tp_status report_unknown_format(tp_format fmt, tp_error *err);

/* ---- the fleet report: report_fleet.c (JSON, CSV, the dispatcher), report_fleet_text.c (text,
 * markdown), report_fleet_html.c (the HTML page); figures checked before any of them ---- */

/* "routed_tiers": the tiers of routed in tier order ([] for none; report_fleet.c), for the
 * outputs that carry a plan's routing (report, project, showback). */
void report_json_routed(cJSON *o, tp_route_set routed);
tp_status report_fleet_text(const tp_fleet *f, char **out, tp_error *err);
tp_status report_fleet_markdown(const tp_fleet *f, char **out, tp_error *err);
tp_status report_fleet_html(const tp_fleet *f, char **out, tp_error *err);
/* The recommendation report of one sized model (borrowing from m and the fleet). */
tp_rec_report report_fleet_rec(const tp_fleet *f, const tp_fleet_model *m);
/* "window: all data", "window: from X", "window: X .. Y" into buf (size >= 96). */
void report_fleet_window(const tp_fleet_options *o, char *buf, size_t size);

/* A model's seasonal plan or backtest (report_fleet_windows.c), one row at a time in time order:
 * plan "window", "gap", "flat", or the backtest's "train", "test_trained", "test_hindsight",
 * "test_on_demand"; recommended says whether the row's reservation is its plan's pick. */
typedef void (*report_plan_row_fn)(void *ctx, const char *plan, const tp_window *w,
                                   const tp_candidate *c, int recommended, double unused_usd);
void report_fleet_plan_rows(const tp_fleet_model *m, report_plan_row_fn fn, void *ctx);
/* Nonzero when the fleet was asked for seasonal windows, or a backtest. */
int report_fleet_seasonal_asked(const tp_fleet_options *o);
int report_fleet_windows_asked(const tp_fleet_options *o);
/* The seasonal plan or backtest figures all finite, as tp_report_seasonal/backtest check them. */
tp_status report_fleet_windows_check(const tp_fleet_model *m, tp_error *err);
/* In a model's object: "seasonal"/"backtest" (as recommend's JSON), "windows_error". */
void report_fleet_windows_json(cJSON *o, const tp_fleet *f, const tp_fleet_model *m);
/* In the fleet object: "seasonal" rates over the models with a seasonal plan. */
void report_fleet_seasonal_json(cJSON *fleet, const tp_fleet *f);
/* A model's section part: text (recommend's own text) or a markdown table; and as HTML. */
void report_fleet_windows_text(strbuf *b, const tp_fleet *f, const tp_fleet_model *m, int md);
void report_fleet_windows_html(strbuf *b, const tp_fleet_model *m);
/* The fleet's seasonal table: per model and summed, per month of 730 hours. */
void report_fleet_seasonal_table(strbuf *b, const tp_fleet *f, int md);
void report_fleet_seasonal_html(strbuf *b, const tp_fleet *f);

/* The HTML pages' head (report_fleet_html.c): doctype, title (escaped), the one style sheet,
 * up to the opened <body>. */
void report_html_head(strbuf *b, const char *title);

/* ---- notes said by several reports ---- */

extern const char report_coarse_note[];  /* some minutes rest on coarse data */
extern const char report_example_note[]; /* the catalog's reserved prices are examples */

/* ---- a fleet model sized in units (report_fleet_units.c; tp_fleet_model.in_units) ---- */

/* "units_plan": its plan in units, or null for a Bedrock model or one without data. */
void report_fleet_units_json(cJSON *o, const tp_fleet_model *m);
/* The unit model, the terms table, the recommended term, its cost, what it serves (text
 * and markdown: md 1) or the same as HTML. */
void report_fleet_units_text(strbuf *b, const tp_fleet_model *m, int md);
void report_fleet_units_html(strbuf *b, const tp_fleet_model *m);
/* "15 PTU": the recommended count and the unit's name, in buf. */
void report_fleet_units_size(char *buf, size_t size, const tp_fleet_model *m);
/* The recommended units with the unit's name, for the fleet tables, in buf: one pool
 * "38,500 GSU" (whatever `which`); two pools REPORT_UNITS_BOTH "8 + 25 units" (input +
 * output), REPORT_UNITS_LONG "8 input + 25 output units", REPORT_UNITS_INPUT "8 input units",
 * REPORT_UNITS_OUTPUT "25 output units". */
enum { REPORT_UNITS_BOTH, REPORT_UNITS_LONG, REPORT_UNITS_INPUT, REPORT_UNITS_OUTPUT };
void report_fleet_units_cell(char *buf, size_t size, const tp_fleet_model *m, int which);
/* What the plan saves against on-demand, in % of it; NAN without on-demand cost. */
double report_fleet_units_savings_pct(const tp_fleet_model *m);
/* "spill" or "throttle": what the entry does with overflow. */
const char *report_fleet_units_overflow(const tp_fleet_model *m);
/* 1 when a sized model of f is sold by another provider than Bedrock (the reports then show
 * the totals per provider). */
int report_fleet_other_providers(const tp_fleet *f);
/* Every figure of the plan finite. */
tp_status report_fleet_units_check(const tp_fleet_model *m, tp_error *err);

/* A held reservation as its metrics show it (report_observed.c): "observed" into parent, an
 * object or null (ob NULL: no traffic asked for reserved); and the line "<indent>held
 * reservation: 71.0% used, overflow in 3.2% of minutes; the simulation within 0.4%". */
void report_json_observed(cJSON *parent, const tp_sim_observed *ob);
void report_text_observed(strbuf *b, const char *indent, const tp_sim_observed *ob);

#endif
