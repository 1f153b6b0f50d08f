/* report_fleet_html.c - the fleet report as one self-contained page (XHTML-clean, no network,
 * no scripts, styles inline, readable when printed) with inline SVG charts from chart.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "fleet/fleet_charts.h"
#include "render/place.h"
#include "render/report_internal.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"

/* The model id of entry i (place_count_text). */
static const char *entry_model(const void *v, size_t i)
{
    return ((const tp_fleet *)v)->models[i].model;
}

static const char page_style[] =
    "<style>\n"
    "body{font-family:sans-serif;color:#111;background:#fff;max-width:1100px;margin:1em auto;"
    "padding:0 1em;line-height:1.4}\n"
    "h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:2px solid #333;margin-top:2em}\n"
    "h3{font-size:1.05em;margin-top:1.4em}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}\n"
    "th,td{padding:3px 6px;border-bottom:1px solid #ccc;text-align:right;white-space:nowrap}\n"
    /* headers wrap (figures never do), so that a wide table fits the page */
    "th{white-space:normal;vertical-align:bottom}\n"
    "table.wide{font-size:.85em}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "tr.rec td{font-weight:bold;background:#eef3fb}\n"
    ".key{font-size:1.1em;background:#f4f4f4;border-left:4px solid #2a5db0;padding:.5em .8em}\n"
    ".note{color:#444;font-size:.9em}\n"
    ".warning{background:#fff4e5;border-left:4px solid #b35900;padding:.4em .8em}\n"
    "svg{display:block;max-width:100%;height:auto;margin:.8em 0}\n"
    "@media print{body{max-width:none}h2{break-before:page}svg,table{break-inside:avoid}}\n"
    "</style>\n</head>\n<body>\n";

void report_html_head(strbuf *b, const char *title)
{
    sb_puts(b, "<!DOCTYPE html>\n"
               "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
               "<meta charset=\"utf-8\"/>\n<title>");
    chart_escape(b, title);
    sb_puts(b, "</title>\n");
    sb_puts(b, page_style);
}

/* <td>text</td> with text escaped. */
static void td(strbuf *b, const char *text)
{
    sb_puts(b, "<td>");
    chart_escape(b, text);
    sb_puts(b, "</td>");
}

static void head(strbuf *b, const tp_fleet *f)
{
    const tp_fleet_options *o = &f->options;
    const tp_fleet_totals *t = &f->totals;
    char w[128], a[NUMFMT_BUF], c[NUMFMT_BUF], d[NUMFMT_BUF], count[96];
    report_fleet_window(o, w, sizeof w);
    report_html_head(b, "tierplan fleet report");
    sb_printf(b, "<h1>tierplan fleet report</h1>\n<p>%s: %zu sized, %zu without data. "
                 "Window: ",
              place_count_text(count, sizeof count, f, f->n, entry_model), t->n_ok,
              t->n_no_data);
    chart_escape(b, w);
    sb_printf(b, "; spill %s to %s; term %d month%s",
              tp_simulate_spill_model_name(o->rec.spill_model),
              tp_simulate_spill_to_name(o->rec.spill_to), tp_recommend_term_months(&o->rec),
              tp_recommend_term_months(&o->rec) == 1 ? "" : "s");
    if (o->rec.quota_tpm > 0) {
        numfmt_short(a, o->rec.quota_tpm);
        sb_printf(b, "; quota %s TPM", a);
    }
    if (o->rec.has_max_spill_minutes_pct)
        sb_printf(b, "; at most %g%% of minutes spilling", o->rec.max_spill_minutes_pct);
    if ((o->scale > 0 && o->scale != 1) || o->cache_hit_delta != 0)
        sb_printf(b, "; what-if: demand x %g, cache-hit share %+g", o->scale > 0 ? o->scale : 1,
                  o->cache_hit_delta);
    if (o->plan != NULL)
        sb_puts(b, "; a plan file sets per-model options");
    sb_puts(b, ".<br/>Prices: ");
    chart_escape(b, tp_pricing_source(o->pricing));
    sb_printf(b, " (sha256 %.16s...)</p>\n", tp_pricing_sha256(o->pricing));
    numfmt_usd(a, t->total_per_month_usd);
    numfmt_usd(c, t->on_demand_per_month_usd);
    numfmt_usd(d, t->savings_per_month_usd);
    sb_printf(b, "<p class=\"key\">Fleet, with each model's recommended reservation: <b>%s/month"
                 "</b> against %s/month on-demand, saving <b>%s/month</b>.</p>\n",
              a, c, d);
}

/* A region or account as people read it: "unknown" for "", "all (merged)" for "*". */
static const char *html_place(const char *v)
{
    return v != NULL && strcmp(v, "*") == 0 ? "all (merged)" : tp_store_place_name(v);
}

/* The fleet table, totals as rates and the cost bars. */
static tp_status fleet_section(strbuf *b, const tp_fleet *f, tp_error *err)
{
    const tp_fleet_totals *t = &f->totals;
    chart_fleet_bar *bars = calloc(f->n > 0 ? f->n : 1, sizeof *bars);
    /* each bar's label: the model and its place where known (three places of one model are
     * three bars); raw text, which the chart encodes */
    strbuf *labels = calloc(f->n > 0 ? f->n : 1, sizeof *labels);
    size_t nb = 0;
    int nomem = 0;
    if (bars == NULL || labels == NULL) {
        free(bars);
        free(labels);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    sb_puts(b, "<section id=\"fleet\">\n<h2>Fleet</h2>\n<p>Each model's recommended reservation "
               "per month of 730 hours: models have different windows, so the fleet adds rates."
               "</p>\n<table>\n<tr><th>model</th><th>account</th><th>region</th>"
               "<th>status</th><th>provider</th><th>input TPM or units</th>"
               "<th>output TPM or units</th><th>reserved/month</th><th>spill/month</th>"
               "<th>total/month</th><th>on-demand/month</th><th>savings</th></tr>\n");
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        char v[7][NUMFMT_BUF];
        for (int k = 0; k < 7; k++)
            snprintf(v[k], sizeof v[k], "-");
        if (m->status == TP_FLEET_OK) {
            const tp_candidate *c = &m->rec.candidates[m->rec.recommended];
            if (m->in_units && m->price.unit.pools) { /* input units in, output units out */
                report_fleet_units_cell(v[0], sizeof v[0], m, REPORT_UNITS_INPUT);
                report_fleet_units_cell(v[1], sizeof v[1], m, REPORT_UNITS_OUTPUT);
            } else if (m->in_units) /* the size in units; no output reservation */
                report_fleet_units_cell(v[0], sizeof v[0], m, REPORT_UNITS_BOTH);
            else {
                numfmt_short(v[0], c->input_tpm);
                numfmt_short(v[1], c->output_tpm);
            }
            numfmt_usd(v[2], m->rec_reserved_per_month_usd);
            numfmt_usd(v[3], m->rec_spill_per_month_usd);
            numfmt_usd(v[4], m->rec_total_per_month_usd);
            numfmt_usd(v[5], m->rec_on_demand_per_month_usd);
            numfmt_pct(v[6], m->in_units ? report_fleet_units_savings_pct(m)
                                         : c->sim.savings_pct);
            sb_puts(&labels[nb], m->model);
            if (m->region[0] != '\0' || m->account[0] != '\0')
                place_text(&labels[nb], m->region, m->account);
            nomem |= labels[nb].failed;
            bars[nb].model = labels[nb].data;
            bars[nb].reserved_usd_per_month = m->rec_reserved_per_month_usd;
            bars[nb].spill_usd_per_month = m->rec_spill_per_month_usd;
            bars[nb].total_usd_per_month = m->rec_bar_per_month_usd;
            bars[nb].on_demand_usd_per_month = m->rec_on_demand_per_month_usd;
            nb++;
        }
        sb_puts(b, "<tr>");
        td(b, m->model);
        td(b, html_place(m->account));
        td(b, html_place(m->region));
        td(b, tp_fleet_status_name(m->status));
        td(b, m->status == TP_FLEET_OK ? tp_pricing_provider_name(m->price.provider) : "-");
        for (int k = 0; k < 7; k++)
            td(b, v[k]);
        sb_puts(b, "</tr>\n");
    }
    /* a reservation is bought in one account for one region: the totals per place */
    sb_puts(b, "</table>\n<table>\n<tr><th>account</th><th>region</th><th>models sized</th>"
               "<th>reserved/month</th><th>spill/month</th><th>total/month</th>"
               "<th>on-demand/month</th><th>savings</th></tr>\n");
    for (size_t g = 0; g < f->n_groups; g++) {
        const tp_fleet_totals *gt = &f->groups[g].totals;
        char v[6][NUMFMT_BUF];
        snprintf(v[0], sizeof v[0], "%zu", gt->n_ok);
        numfmt_usd(v[1], gt->reserved_per_month_usd);
        numfmt_usd(v[2], gt->spill_per_month_usd);
        numfmt_usd(v[3], gt->total_per_month_usd);
        numfmt_usd(v[4], gt->on_demand_per_month_usd);
        numfmt_pct(v[5], gt->savings_pct);
        sb_puts(b, "<tr>");
        td(b, html_place(f->groups[g].account));
        td(b, html_place(f->groups[g].region));
        for (int k = 0; k < 6; k++)
            td(b, v[k]);
        sb_puts(b, "</tr>\n");
    }
    /* every provider's sized models apart, all in USD (all Bedrock: the totals say it) */
    if (report_fleet_other_providers(f))
        sb_puts(b, "</table>\n<table>\n<tr><th>provider</th><th>models sized</th>"
                   "<th>reserved/month</th><th>spill/month</th><th>total/month</th>"
                   "<th>on-demand/month</th><th>savings</th></tr>\n");
    for (size_t k = 0; k < f->n_providers && report_fleet_other_providers(f); k++) {
        const tp_fleet_totals *pt = &f->providers[k].totals;
        char v[6][NUMFMT_BUF];
        snprintf(v[0], sizeof v[0], "%zu", pt->n_ok);
        numfmt_usd(v[1], pt->reserved_per_month_usd);
        numfmt_usd(v[2], pt->spill_per_month_usd);
        numfmt_usd(v[3], pt->total_per_month_usd);
        numfmt_usd(v[4], pt->on_demand_per_month_usd);
        numfmt_pct(v[5], pt->savings_pct);
        sb_puts(b, "<tr>");
        td(b, tp_pricing_provider_name(f->providers[k].provider));
        for (int k2 = 0; k2 < 6; k2++)
            td(b, v[k2]);
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table>\n<table>\n<tr><th>fleet total</th><th>per hour</th><th>per month</th>"
               "<th>per term</th></tr>\n");
    const char *const label[5] = {"reserved", "spill", "total", "on-demand baseline", "savings"};
    const double hour[5] = {t->reserved_per_hour_usd, t->spill_per_hour_usd,
                            t->total_per_hour_usd, t->on_demand_per_hour_usd,
                            t->savings_per_hour_usd};
    const double month[5] = {t->reserved_per_month_usd, t->spill_per_month_usd,
                             t->total_per_month_usd, t->on_demand_per_month_usd,
                             t->savings_per_month_usd};
    const double term[5] = {t->reserved_per_term_usd, t->spill_per_term_usd,
                            t->total_per_term_usd, t->on_demand_per_term_usd,
                            t->savings_per_term_usd};
    for (int k = 0; k < 5; k++) {
        char h[NUMFMT_BUF], mo[NUMFMT_BUF], te[NUMFMT_BUF];
        numfmt_usd(h, hour[k]);
        numfmt_usd(mo, month[k]);
        numfmt_usd(te, term[k]);
        sb_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", label[k], h, mo,
                  te);
    }
    sb_puts(b, "</table>\n<p class=\"note\">Per term adds each model over its own term.</p>\n");
    report_fleet_seasonal_html(b, f);
    tp_status rc = nomem ? tp_error_set(err, TP_ERR_NOMEM, "out of memory") : TP_OK;
    if (nb > 0 && rc == TP_OK) {
        chart_fleet_args fa = {{"fleet", "Fleet cost per month by model",
                                "Bars: reserved then hatched spill; the marker is what the same "
                                "tokens cost on-demand."},
                               bars, nb};
        rc = chart_fleet(b, &fa, NULL, err);
    }
    sb_puts(b, "</section>\n");
    for (size_t i = 0; i < nb; i++)
        free(labels[i].data);
    free(labels);
    free(bars);
    return rc;
}

/* Percentiles of one model, and its candidates with the recommended row marked. */
static void model_tables(strbuf *b, const tp_fleet_model *m)
{
    static const char *const metric[TP_METRIC_COUNT] = {"input", "output", "cache read",
                                                        "cache write"};
    sb_puts(b, "<h3>Tokens per minute</h3>\n<table>\n<tr><th>TPM</th><th>P25</th><th>P50</th>"
               "<th>P90</th><th>P99</th><th>max</th><th>mean</th></tr>\n");
    for (int k = 0; k <= TP_METRIC_COUNT; k++) {
        const tp_summary *t = k < TP_METRIC_COUNT ? &m->stats->tpm[k] : &m->stats->effective_input;
        const double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                             t->mean_tpm};
        sb_printf(b, "<tr><td>%s</td>", k < TP_METRIC_COUNT ? metric[k] : "effective input");
        for (int j = 0; j < 6; j++) {
            char num[NUMFMT_BUF];
            numfmt_short(num, v[j]);
            td(b, num);
        }
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table>\n<h3>Candidate reservations</h3>\n<table>\n<tr><th>candidate</th>"
               "<th>input TPM</th><th>output TPM</th><th>per hour</th><th>per month</th>"
               "<th>savings</th><th>util in</th><th>util out</th><th>spill (% of minutes)</th>"
               "</tr>\n");
    const size_t n = m->rec.n_candidates + (m->has_held ? 1 : 0);
    for (size_t k = 0; k < n; k++) {
        const int held = k == m->rec.n_candidates;
        const tp_candidate *x = held ? &m->held : &m->rec.candidates[k];
        char v[8][NUMFMT_BUF];
        numfmt_short(v[0], x->input_tpm);
        numfmt_short(v[1], x->output_tpm);
        numfmt_usd(v[2], x->cost_per_hour_usd);
        numfmt_usd(v[3], x->cost_per_month_usd);
        numfmt_pct(v[4], x->sim.savings_pct);
        numfmt_pct(v[5], 100 * x->sim.utilization_input);
        numfmt_pct(v[6], 100 * x->sim.utilization_output);
        numfmt_pct(v[7], x->sim.spill_minutes_pct);
        sb_printf(b, "<tr%s><td>%s%s</td>", k == m->rec.recommended ? " class=\"rec\"" : "",
                  held ? "held" : tp_recommend_basis_name(x->basis),
                  k == m->rec.recommended ? " (recommended)" : "");
        for (int j = 0; j < 8; j++)
            td(b, v[j]);
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table>\n");
}

/* The recommendation in words: what to buy, why, and what it costs. */
static void model_key(strbuf *b, const tp_fleet_model *m)
{
    const tp_candidate *r = &m->rec.candidates[m->rec.recommended];
    const tp_series *s = m->stats->series;
    char a[NUMFMT_BUF], c[NUMFMT_BUF], d[NUMFMT_BUF], e[NUMFMT_BUF];
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    const int64_t f0 = tp_series_from_minute(s);
    numfmt_count(a, (double)tp_series_minutes(s));
    sb_printf(b, "<p>Window %s .. %s (%s minutes). Burn-down: cache read %g, cache write %g ",
              tp_timestamp_format(f0 * 60, from),
              tp_timestamp_format((f0 + (int64_t)tp_series_minutes(s)) * 60, to), a,
              m->stats->burn_down_cache_read, m->stats->burn_down_cache_write);
    sb_puts(b, "(");
    chart_escape(b, m->stats->factors_from);
    sb_puts(b, ").</p>\n");
    const int64_t unc = tp_series_uncovered(s, NULL, NULL);
    if (unc > 0) { /* docs/model.md, "Metrics or logs"; as the text and markdown reports say */
        numfmt_fixed(a, (double)unc / 60, unc % 60 == 0 ? 0 : 1);
        numfmt_pct(c, 100.0 * (double)unc / (double)tp_series_minutes(s));
        char line[256];
        snprintf(line, sizeof line,
                 "Warning: %s h of the window (%s) covered by neither metric exports nor "
                 "invocation logs, read as zero demand.",
                 a, c);
        sb_puts(b, "<p class=\"warning\">");
        chart_escape(b, line);
        sb_puts(b, "</p>\n");
    }
    numfmt_short(a, r->input_tpm);
    numfmt_short(c, r->output_tpm);
    numfmt_usd(d, r->cost_per_month_usd);
    numfmt_usd(e, r->savings_per_month_usd);
    sb_printf(b, "<p class=\"key\">Recommended: <b>%s effective input TPM, %s output TPM</b> "
                 "for <b>%s/month</b>, saving %s/month against on-demand. Why: ",
              a, c, d, e);
    chart_escape(b, m->rec.reason);
    numfmt_usd(a, r->cost_per_hour_usd);
    numfmt_usd(c, r->cost_per_term_usd);
    sb_printf(b, ".<br/>%s/hour, %s over the %d-month term.", a, c, m->rec.term_months);
    numfmt_pct(a, 100 * m->rec.break_even_utilization_input);
    numfmt_pct(c, 100 * r->sim.utilization_input);
    numfmt_count(d, (double)r->sim.spill_minutes);
    numfmt_count(e, (double)r->sim.throttled_minutes);
    sb_printf(b, " Break-even utilization %s input, achieved %s; %s spill minutes, %s throttled."
                 "</p>\n",
              a, c, d, e);
    if (m->has_held) {
        numfmt_short(a, m->held.input_tpm);
        numfmt_short(c, m->held.output_tpm);
        numfmt_usd(d, m->held.cost_per_month_usd);
        sb_printf(b, "<p>Held reservation: %s input TPM, %s output TPM, %s/month.</p>\n", a, c,
                  d);
    }
}

static tp_status chart_demand(strbuf *b, const tp_fleet_model *m, size_t i, tp_error *err)
{
    const tp_fleet_charts *c = m->charts;
    const tp_candidate *r = &m->rec.candidates[m->rec.recommended];
    char id[32];
    snprintf(id, sizeof id, "m%zu-ts", i);
    chart_ts_series se[2] = {{"effective input", c->e, r->input_tpm},
                             {"output", c->o, r->output_tpm}};
    chart_ts_args ta = {{id, "Demand over time (TPM)",
                         "Lines: the recommended reservation; hatched: minutes that spill to "
                         "on-demand."},
                        c->from_minute * 60, 60, c->n, se, 2};
    return chart_timeseries(b, &ta, NULL, err);
}

static tp_status chart_duration_curve(strbuf *b, const tp_fleet_model *m, size_t i,
                                      tp_error *err)
{
    const tp_fleet_charts *c = m->charts;
    const tp_summary s = c->e_summary;
    char id[32];
    snprintf(id, sizeof id, "m%zu-dur", i);
    chart_pctl p[4] = {{25, s.p25_tpm}, {50, s.p50_tpm}, {90, s.p90_tpm}, {99, s.p99_tpm}};
    chart_duration_args da = {{id, "Demand-duration curve",
                               "How many minutes need at least a given TPM: a reservation "
                               "above the curve's knee sits idle."},
                              "effective input", c->e, c->n, p, 4};
    return chart_duration(b, &da, NULL, err);
}

static tp_status chart_cost_curve(strbuf *b, const tp_fleet_model *m, size_t i, tp_error *err)
{
    const tp_fleet_charts *c = m->charts;
    const tp_recommendation *rec = &m->rec;
    const tp_candidate *r = &rec->candidates[rec->recommended];
    chart_point cand[4];
    char id[32], label[4][8];
    size_t nc = 0;
    double on_demand = NAN;
    for (size_t k = 0; k < rec->n_candidates; k++)
        if (rec->candidates[k].basis == TP_BASIS_ON_DEMAND)
            on_demand = rec->candidates[k].cost_per_month_usd;
    for (; nc < c->n_marks; nc++) {
        snprintf(label[nc], sizeof label[nc], "P%s", tp_recommend_basis_name(c->mark_basis[nc]) + 1);
        cand[nc].label = label[nc];
        cand[nc].x = c->mark_input_tpm[nc];
        cand[nc].y = c->mark_usd_per_month[nc];
    }
    snprintf(id, sizeof id, "m%zu-cost", i);
    chart_cost_args ca = {{id, "Total cost per month vs input reservation",
                           "At the recommended output reservation; the dashed line is on-demand "
                           "for everything."},
                          c->curve_input_tpm, c->curve_usd_per_month, c->n_curve,
                          {"recommended", r->input_tpm, r->cost_per_month_usd},
                          cand, nc, on_demand};
    return chart_cost(b, &ca, NULL, err);
}

/* A model sold in units: the percentiles of its tokens and of its weighted demand (what its
 * units serve: docs/model.md, "Other providers"). */
static void units_tables(strbuf *b, const tp_fleet_model *m)
{
    static const char *const metric[TP_METRIC_COUNT] = {"input", "output", "cache read",
                                                        "cache write"};
    const tp_unit_price *u = &m->price.unit;
    const tp_fleet_charts *c = m->charts;
    sb_puts(b, "<h3>Tokens per minute</h3>\n<table>\n<tr><th>TPM</th><th>P25</th><th>P50</th>"
               "<th>P90</th><th>P99</th><th>max</th><th>mean</th></tr>\n");
    for (int k = 0; k <= TP_METRIC_COUNT; k++) {
        if (k == TP_METRIC_COUNT && c == NULL)
            break;
        /* the last row: the weighted demand the units meet (the what-if's scale applied) */
        const tp_summary *t = k < TP_METRIC_COUNT ? &m->stats->tpm[k] : &c->e_summary;
        const double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm,
                             t->p99_tpm, t->max_tpm, t->mean_tpm};
        sb_printf(b, "<tr><td>%s</td>",
                  k < TP_METRIC_COUNT ? metric[k]
                                      : (u->pools ? "input pool (weighted)" : "weighted"));
        for (int j = 0; j < 6; j++) {
            char num[NUMFMT_BUF];
            numfmt_short(num, v[j]);
            td(b, num);
        }
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table>\n");
    if (c == NULL)
        return;
    char line[320], cap[NUMFMT_BUF];
    numfmt_count(cap, u->capacity_tpm_per_unit);
    if (u->pools)
        snprintf(line, sizeof line,
                 "Input pool (weighted): input + cache read x %g + cache write x %g, what an "
                 "input unit's %s TPM serves; an output unit serves output tokens.",
                 u->cache_read_weight, u->cache_write_weight, cap);
    else
        snprintf(line, sizeof line,
                 "Weighted: input + output x %g + cache read x %g + cache write x %g, what a "
                 "%s's %s TPM serves.",
                 u->output_weight, u->cache_read_weight, u->cache_write_weight, u->name, cap);
    sb_puts(b, "<p class=\"note\">");
    chart_escape(b, line);
    sb_puts(b, "</p>\n");
}

/* A model sold in units: its weighted demand over time against the capacity of the units held
 * (two pools: each pool against its own), its demand-duration curve and hour of week. */
static tp_status units_charts(strbuf *b, const tp_fleet_model *m, size_t i, tp_error *err)
{
    const tp_fleet_charts *c = m->charts;
    const tp_units_result *r = &m->units_rec;
    const tp_unit_price *u = &m->price.unit;
    const double bf = r->burst_factor > 0 ? r->burst_factor : 1;
    char id[32], caption[320], size[2 * NUMFMT_BUF + 32];
    tp_status rc;
    report_fleet_units_cell(size, sizeof size, m, REPORT_UNITS_LONG);
    /* a minute's weighted TPM x the burst factor meets the capacity: drawn as capacity / bf */
    snprintf(caption, sizeof caption,
             "Lines: the capacity of the %s held%s; hatched: minutes over it, %s.", size,
             bf != 1 ? " divided by the burst factor (a per-second peak of the minute's "
                       "average meets it)"
                     : "",
             u->throttle ? "throttled" : "whose excess spills to on-demand");
    snprintf(id, sizeof id, "m%zu-ts", i);
    chart_ts_series se[2] = {
        {u->pools ? "input pool (weighted)" : "weighted", c->e, r->capacity_tpm / bf},
        {"output", c->o, r->output_capacity_tpm / bf}};
    chart_ts_args ta = {{id, "Demand over time (weighted TPM)", caption},
                        c->from_minute * 60,
                        60,
                        c->n,
                        se,
                        u->pools ? 2 : 1};
    if ((rc = chart_timeseries(b, &ta, NULL, err)) != TP_OK)
        return rc;
    const tp_summary s = c->e_summary;
    chart_pctl p[4] = {{25, s.p25_tpm}, {50, s.p50_tpm}, {90, s.p90_tpm}, {99, s.p99_tpm}};
    snprintf(id, sizeof id, "m%zu-dur", i);
    chart_duration_args da = {{id, "Demand-duration curve",
                               "How many minutes need at least a given weighted TPM: units "
                               "above the curve's knee sit idle."},
                              u->pools ? "input pool (weighted)" : "weighted",
                              c->e,
                              c->n,
                              p,
                              4};
    if ((rc = chart_duration(b, &da, NULL, err)) != TP_OK)
        return rc;
    snprintf(id, sizeof id, "m%zu-how", i);
    chart_heatmap_args ha = {
        {id, "Hour of week (UTC)", "Mean weighted TPM per hour: darker cells are busier."},
        "mean weighted TPM",
        c->how_e};
    return chart_heatmap(b, &ha, NULL, err);
}

static tp_status model_section(strbuf *b, const tp_fleet_model *m, size_t i, tp_error *err)
{
    char id[32];
    tp_status rc = TP_OK;
    sb_puts(b, "<section class=\"model\">\n<h2>");
    chart_escape(b, m->model);
    place_text_enc(b, m->region, m->account, chart_escape);
    if (m->status == TP_FLEET_OK && m->price.provider != TP_PROVIDER_BEDROCK)
        sb_printf(b, " [%s]", tp_pricing_provider_name(m->price.provider));
    sb_puts(b, "</h2>\n");
    if (m->status != TP_FLEET_OK) {
        sb_puts(b, "<p>No data: ");
        chart_escape(b, m->no_data_reason);
        sb_puts(b, "</p>\n</section>\n");
        return TP_OK;
    }
    if (m->in_units) {
        /* its plan in units, not Bedrock's candidates: the percentiles of its weighted
         * demand and charts of it against the units' capacity */
        report_fleet_units_html(b, m);
        units_tables(b, m);
        if (m->charts != NULL && (rc = units_charts(b, m, i, err)) != TP_OK)
            return rc;
        if (m->windows_error != NULL) {
            sb_puts(b, "<p class=\"note\">Seasonal windows: ");
            chart_escape(b, m->windows_error);
            sb_puts(b, "</p>\n");
        }
        sb_puts(b, "</section>\n");
        return TP_OK;
    }
    model_key(b, m);
    model_tables(b, m);
    report_fleet_windows_html(b, m);
    if (m->charts != NULL) {
        snprintf(id, sizeof id, "m%zu-how", i);
        chart_heatmap_args ha = {{id, "Hour of week (UTC)",
                                  "Mean effective input TPM per hour: darker cells are busier."},
                                 "mean effective input TPM", m->charts->how_e};
        if ((rc = chart_demand(b, m, i, err)) != TP_OK ||
            (rc = chart_duration_curve(b, m, i, err)) != TP_OK ||
            (rc = chart_cost_curve(b, m, i, err)) != TP_OK ||
            (rc = chart_heatmap(b, &ha, NULL, err)) != TP_OK)
            return rc;
    }
    if (m->price.example_reserved) {
        sb_puts(b, "<p class=\"note\">Note: ");
        chart_escape(b, report_example_note);
        sb_puts(b, "</p>\n");
    }
    sb_puts(b, "</section>\n");
    return TP_OK;
}

tp_status report_fleet_html(const tp_fleet *f, char **out, tp_error *err)
{
    strbuf b = {0};
    tp_status rc;
    head(&b, f);
    if ((rc = fleet_section(&b, f, err)) != TP_OK)
        goto cleanup;
    for (size_t i = 0; i < f->n; i++)
        if ((rc = model_section(&b, &f->models[i], i, err)) != TP_OK)
            goto cleanup;
    sb_puts(&b, "<p class=\"note\">Made by tierplan ");
    chart_escape(&b, tp_version());
    sb_puts(&b, ".</p>\n</body>\n</html>\n");
    return sb_finish(&b, out, err);
cleanup:
    free(b.data);
    return rc;
}
