/* report_fleet_text.c - the fleet report for people: text (100 columns) and markdown (for
 * wikis and pull requests), numbers for people in both. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/cnum.h"
#include "render/place.h"
#include "render/report_internal.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"

/* The two styles share every sentence; only tables and headings differ. */
typedef struct style {
    int md;
} style;

static const char *const metric_label[TP_METRIC_COUNT] = {"input", "output", "cache read",
                                                          "cache write"};

/* The model id of entry i (place_count_text). */
static const char *entry_model(const void *v, size_t i)
{
    return ((const tp_fleet *)v)->models[i].model;
}

/* The header: what was asked for and the options that shaped every figure. */
static void head(strbuf *b, const tp_fleet *f, style st)
{
    const tp_fleet_options *o = &f->options;
    const tp_fleet_totals *t = &f->totals;
    char w[128], line[512], q[NUMFMT_BUF], count[96];
    report_fleet_window(o, w, sizeof w);
    sb_printf(b, "%stierplan fleet report: %s (%zu sized, %zu without data)\n\n",
              st.md ? "# " : "", place_count_text(count, sizeof count, f, f->n, entry_model),
              t->n_ok, t->n_no_data);
    int n = snprintf(line, sizeof line, "options: window %s; spill %s to %s", w,
                     tp_simulate_spill_model_name(o->rec.spill_model),
                     tp_simulate_spill_to_name(o->rec.spill_to));
    if (o->rec.quota_tpm > 0) {
        numfmt_short(q, o->rec.quota_tpm);
        n += snprintf(line + n, sizeof line - (size_t)n, ", quota %s TPM", q);
    }
    n += snprintf(line + n, sizeof line - (size_t)n, "; term %d month%s",
                  tp_recommend_term_months(&o->rec),
                  tp_recommend_term_months(&o->rec) == 1 ? "" : "s");
    if (o->rec.has_max_spill_minutes_pct)
        n += snprintf(line + n, sizeof line - (size_t)n, "; at most %g%% of minutes spilling",
                      o->rec.max_spill_minutes_pct);
    if (o->rec.has_max_throttled_minutes)
        n += snprintf(line + n, sizeof line - (size_t)n, "; at most %ld throttled minutes",
                      o->rec.max_throttled_minutes);
    if ((o->scale > 0 && o->scale != 1) || o->cache_hit_delta != 0)
        n += snprintf(line + n, sizeof line - (size_t)n, "; what-if: demand x %g, cache-hit "
                      "share %+g", o->scale > 0 ? o->scale : 1, o->cache_hit_delta);
    if (o->plan != NULL)
        snprintf(line + n, sizeof line - (size_t)n, "; a plan file sets per-model options");
    render_wrapped(b, "", line);
    sb_puts(b, st.md ? "\nprices: " : "prices: ");
    (st.md ? enc_md_text : enc_text)(b, tp_pricing_source(o->pricing));
    sb_printf(b, " (sha256 %.16s...)\n", tp_pricing_sha256(o->pricing));
}

/* A paragraph wrapped at 100 columns, its text encoded for the style. */
static void wrapped(strbuf *b, style st, const char *prefix, const char *text)
{
    (st.md ? render_wrapped_md : render_wrapped)(b, prefix, text);
}

/* Window, resolution and burn-down factors of one model. */
static void model_window(strbuf *b, const tp_fleet_model *m, style st)
{
    const tp_series *s = m->stats->series;
    char from[TP_TIME_BUF], to[TP_TIME_BUF], a[NUMFMT_BUF], c[NUMFMT_BUF];
    char line[1024], fr[40], fw[40];
    const int64_t f = tp_series_from_minute(s);
    numfmt_count(a, (double)tp_series_minutes(s));
    numfmt_count(c, (double)tp_series_minutes_with_data(s));
    sb_printf(b, "%swindow %s .. %s (%s minutes, %s with data)\n", st.md ? "\n- " : "",
              tp_timestamp_format(f * 60, from),
              tp_timestamp_format((f + (int64_t)tp_series_minutes(s)) * 60, to), a, c);
    const int64_t unc = tp_series_uncovered(s, NULL, NULL);
    if (unc > 0) { /* docs/model.md, "Metrics or logs" */
        numfmt_fixed(a, (double)unc / 60, unc % 60 == 0 ? 0 : 1);
        numfmt_pct(c, 100.0 * (double)unc / (double)tp_series_minutes(s));
        snprintf(line, sizeof line,
                 "warning: %s h of the window (%s) covered by neither metric exports nor "
                 "invocation logs, read as zero demand",
                 a, c);
        wrapped(b, st, st.md ? "- " : "", line);
    }
    int n = snprintf(line, sizeof line, "resolution:");
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        const size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr && n < (int)sizeof line - 64; r++) {
            int period;
            size_t mins;
            tp_series_resolution(s, k, r, &period, &mins);
            numfmt_count(a, (double)mins);
            n += snprintf(line + n, sizeof line - (size_t)n, "%s %s %ds x %s min",
                          r == 0 ? (k == 0 ? "" : ";") : ",", r == 0 ? metric_label[k] : "",
                          period, a);
        }
    }
    wrapped(b, st, st.md ? "- " : "", line);
    if (m->in_units)
        return; /* burn-down is Bedrock's: units weigh tokens by the entry's weights */
    cnum_format(fr, sizeof fr, m->stats->burn_down_cache_read);
    cnum_format(fw, sizeof fw, m->stats->burn_down_cache_write);
    snprintf(line, sizeof line, "burn-down: a cache-read token counts %s (%s), a cache-write "
             "token %s (%s); %s", fr, m->stats->cache_read_from, fw, m->stats->cache_write_from,
             m->stats->factors_from);
    wrapped(b, st, st.md ? "- " : "", line);
}

/* The percentiles table: 12 + 6 x 11 = 78 columns. */
static void percentiles(strbuf *b, const tp_fleet_model *m, style st)
{
    static const char *const cols[6] = {"P25", "P50", "P90", "P99", "max", "mean"};
    if (st.md)
        sb_puts(b, "\n| TPM | P25 | P50 | P90 | P99 | max | mean |\n|---|--:|--:|--:|--:|--:|--:|\n");
    else {
        sb_printf(b, "\n%-16s", "TPM");
        for (int j = 0; j < 6; j++)
            sb_printf(b, " %10s", cols[j]);
        sb_puts(b, "\n");
    }
    /* effective input is burned down, Bedrock's: not a unit model's */
    for (int k = 0; k <= (m->in_units ? TP_METRIC_COUNT - 1 : TP_METRIC_COUNT); k++) {
        const tp_summary *t = k < TP_METRIC_COUNT ? &m->stats->tpm[k] : &m->stats->effective_input;
        const double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                             t->mean_tpm};
        const char *label = k < TP_METRIC_COUNT ? metric_label[k] : "effective input";
        sb_printf(b, st.md ? "| %s |" : "%-16s", label);
        for (int j = 0; j < 6; j++) {
            char num[NUMFMT_BUF];
            numfmt_short(num, v[j]);
            sb_printf(b, st.md ? " %s |" : " %10s", num);
        }
        sb_puts(b, "\n");
    }
}

/* The candidates: 13 + 2 x 9 + 10 + 12 + 8 + 3 x 8 = 85 columns. */
static void candidates(strbuf *b, const tp_fleet_model *m, style st)
{
    const tp_recommendation *rec = &m->rec;
    if (st.md)
        sb_puts(b, "\n| candidate | input TPM | output TPM | per hour | per month | savings | "
                   "util in | util out | spill |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    else
        sb_printf(b, "\n%-13s %8s %8s %10s %12s %8s %7s %7s %7s\n", "candidate", "in TPM",
                  "out TPM", "per hour", "per month", "savings", "util in", "utilout", "spill");
    const size_t n = rec->n_candidates + (m->has_held ? 1 : 0);
    for (size_t k = 0; k < n; k++) {
        const int held = k == rec->n_candidates;
        const tp_candidate *x = held ? &m->held : &rec->candidates[k];
        char v[8][NUMFMT_BUF], name[32];
        const char *mark = k == rec->recommended ? (st.md ? "**" : "*") : (st.md ? "" : " ");
        snprintf(name, sizeof name, "%s%s%s", mark,
                 held ? "held" : tp_recommend_basis_name(x->basis), st.md ? mark : "");
        numfmt_short(v[0], x->input_tpm);
        numfmt_short(v[1], x->output_tpm);
        numfmt_usd(v[2], x->cost_per_hour_usd);
        numfmt_usd(v[3], x->cost_per_month_usd);
        numfmt_pct(v[4], x->sim.savings_pct);
        numfmt_pct(v[5], 100 * x->sim.utilization_input);
        numfmt_pct(v[6], 100 * x->sim.utilization_output);
        numfmt_pct(v[7], x->sim.spill_minutes_pct);
        if (st.md)
            sb_printf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, v[0], v[1],
                      v[2], v[3], v[4], v[5], v[6], v[7]);
        else
            sb_printf(b, "%-13s %8s %8s %10s %12s %8s %7s %7s %7s\n", name, v[0], v[1], v[2],
                      v[3], v[4], v[5], v[6], v[7]);
    }
}

/* The recommended reservation, why, what it costs and what it leaves over. */
static void recommendation(strbuf *b, const tp_fleet_model *m, style st)
{
    const tp_recommendation *rec = &m->rec;
    const tp_candidate *r = &rec->candidates[rec->recommended];
    char a[NUMFMT_BUF], c[NUMFMT_BUF], d[NUMFMT_BUF], line[1024];
    numfmt_short(a, r->input_tpm);
    numfmt_short(c, r->output_tpm);
    sb_printf(b, "\n%srecommended%s: %s effective input TPM, %s output TPM (%s)\n",
              st.md ? "**" : "", st.md ? "**" : "", a, c, tp_recommend_basis_name(r->basis));
    if (rec->tiered && !m->price.reserved_offered) {
        /* as recommend says it: the catalog's word and where it comes from */
        const tp_model_price *p = &m->price;
        snprintf(line, sizeof line, "Reserved tier not offered for %s%s%s%s%s%s", m->model,
                 p->reserved_offered_source[0] || p->reserved_offered_as_of[0] ? " (" : "",
                 p->reserved_offered_source, p->reserved_offered_as_of[0] ? ", as of " : "",
                 p->reserved_offered_as_of,
                 p->reserved_offered_source[0] || p->reserved_offered_as_of[0] ? ")" : "");
        wrapped(b, st, st.md ? "\n" : "", line);
        if (rec->assumed_offered)
            sb_printf(b, "%sASSUMED OFFERED (--assume-offered): explored anyway\n",
                      st.md ? "\n" : "");
    }
    if (rec->tiered) {
        char routes[64];
        tp_simulate_route_format(r->routed_tiers, routes, sizeof routes);
        sb_printf(b, "%srouted tiers: %s\n", st.md ? "\n" : "",
                  r->input_tpm == 0 && r->output_tpm == 0 ? "none (no reservation)" : routes);
    }
    wrapped(b, st, "reason: ", rec->reason);
    numfmt_usd(a, r->cost_per_hour_usd);
    numfmt_usd(c, r->cost_per_month_usd);
    numfmt_usd(d, r->cost_per_term_usd);
    sb_printf(b, "%scost: %s/hour, %s/month, %s over the %d-month term (reserved price x %g)\n",
              st.md ? "\n" : "", a, c, d, rec->term_months, rec->term_discount);
    numfmt_usd(a, r->savings_per_month_usd);
    numfmt_pct(c, r->sim.savings_pct);
    sb_printf(b, "%ssavings vs on-demand (each token at its tier's price): %s/month (%s)\n",
              st.md ? "\n" : "", a, c);
    numfmt_pct(a, 100 * rec->break_even_utilization_input);
    numfmt_pct(c, 100 * rec->break_even_utilization_output);
    numfmt_pct(d, 100 * r->sim.utilization_input);
    snprintf(line, sizeof line, "utilization: break-even %s input, %s output; achieved %s input",
             a, c, d);
    numfmt_pct(a, 100 * r->sim.utilization_output);
    sb_printf(b, "%s%s, %s output\n", st.md ? "\n" : "", line, a);
    numfmt_count(a, (double)r->sim.spill_minutes);
    numfmt_pct(c, r->sim.spill_minutes_pct);
    numfmt_count(d, (double)r->sim.throttled_minutes);
    sb_printf(b, "%sspill: %s minutes (%s of the window); throttled: %s minutes\n",
              st.md ? "\n" : "", a, c, d);
    if (m->has_held) {
        const tp_candidate *h = &m->held;
        numfmt_short(a, h->input_tpm);
        numfmt_short(c, h->output_tpm);
        numfmt_usd(d, h->cost_per_month_usd);
        snprintf(line, sizeof line, "held: %s input TPM, %s output TPM cost %s/month", a, c, d);
        numfmt_usd(a, m->held_extra_per_month_usd);
        numfmt_count(c, (double)h->sim.spill_minutes);
        sb_printf(b, "%s%s, %s/month more than recommended; %s spill minutes\n",
                  st.md ? "\n" : "", line, a, c);
    }
    if (m->has_observed)
        report_text_observed(b, st.md ? "\n" : "", &m->observed);
    if (m->plan.has_growth_pct_per_month)
        sb_printf(b, "%splan: growth %g%% per month (for projections)\n", st.md ? "\n" : "",
                  m->plan.growth_pct_per_month);
}

/* A region or account as people read it: "unknown" for "", "all" for merged regions. */
static const char *place_shown(const char *v)
{
    return v != NULL && strcmp(v, "*") == 0 ? "all (merged)" : tp_store_place_name(v);
}

static void model_section(strbuf *b, const tp_fleet *f, const tp_fleet_model *m, style st)
{
    if (st.md) {
        sb_puts(b, "\n## ");
        enc_md_text(b, m->model);
    } else {
        sb_puts(b, "\n== model ");
        enc_text(b, m->model);
    }
    /* a model is sized per place: the heading says which */
    (st.md ? place_md : place_text)(b, m->region, m->account);
    /* and who sells it, once its catalog entry is read, when not Bedrock */
    if (m->status == TP_FLEET_OK && m->price.provider != TP_PROVIDER_BEDROCK)
        sb_printf(b, " [%s]", tp_pricing_provider_name(m->price.provider));
    sb_puts(b, "\n");
    if (m->status != TP_FLEET_OK) {
        wrapped(b, st, st.md ? "\nno data: " : "no data: ", m->no_data_reason);
        return;
    }
    model_window(b, m, st);
    percentiles(b, m, st);
    if (m->in_units) {
        /* its plan in units, not Bedrock's candidates (docs/model.md, "Other providers") */
        report_fleet_units_text(b, m, st.md);
        if (m->windows_error != NULL)
            wrapped(b, st, st.md ? "\nseasonal windows: " : "seasonal windows: ",
                    m->windows_error);
        return;
    }
    candidates(b, m, st);
    recommendation(b, m, st);
    /* the seasonal plan's or backtest's text, when it follows, ends with the same note */
    const int windows_say_it = !st.md && report_fleet_windows_asked(&f->options) &&
                               m->windows_error == NULL;
    if (m->price.example_reserved && !windows_say_it)
        wrapped(b, st, st.md ? "\nnote: " : "note: ", report_example_note);
    report_fleet_windows_text(b, f, m, st.md);
}

/* Whole dollars for the fleet tables: "$7,913". */
static void usd_whole(char buf[NUMFMT_BUF], double v)
{
    numfmt_usd(buf, round(v));
    char *dot = strchr(buf, '.');
    if (dot != NULL)
        *dot = '\0';
}

/* The text table's two TPM columns and the space between them: a unit model's cell. */
#define UNITS_CELL 15

/* One row of the fleet table: a model's recommendation, or a group's total (m NULL). */
static void table_row(strbuf *b, const tp_fleet_model *m, const tp_fleet_totals *t, style st)
{
    char v[7][NUMFMT_BUF];
    /* a model sold in units: its units held and their name, never in a TPM column's format
     * (text: one cell across both TPM columns, on a line of its own below the row when too
     * wide; markdown: input and output units in their columns) */
    char units[2 * NUMFMT_BUF + 32] = "", below[2 * NUMFMT_BUF + 80] = "";
    for (int k = 0; k < 7; k++)
        snprintf(v[k], sizeof v[k], "-");
    if (m != NULL && m->status == TP_FLEET_OK && m->in_units) {
        if (st.md && m->price.unit.pools) {
            report_fleet_units_cell(units, sizeof units, m, REPORT_UNITS_INPUT);
            report_fleet_units_cell(below, sizeof below, m, REPORT_UNITS_OUTPUT);
        } else if (st.md) {
            report_fleet_units_cell(units, sizeof units, m, REPORT_UNITS_BOTH);
        } else {
            report_fleet_units_cell(units, sizeof units, m, REPORT_UNITS_BOTH);
            if (strlen(units) > UNITS_CELL) {
                char l[2 * NUMFMT_BUF + 32];
                report_fleet_units_cell(l, sizeof l, m, REPORT_UNITS_LONG);
                snprintf(below, sizeof below, "%*s units: %s", 22, "", l);
                snprintf(units, sizeof units, "(below)");
            }
        }
        usd_whole(v[2], m->rec_reserved_per_month_usd);
        usd_whole(v[3], m->rec_spill_per_month_usd);
        usd_whole(v[4], m->rec_total_per_month_usd);
        usd_whole(v[5], m->rec_on_demand_per_month_usd);
        numfmt_pct(v[6], report_fleet_units_savings_pct(m));
    } else if (m != NULL && m->status == TP_FLEET_OK) {
        const tp_candidate *c = &m->rec.candidates[m->rec.recommended];
        numfmt_short(v[0], c->input_tpm);
        numfmt_short(v[1], c->output_tpm);
        usd_whole(v[2], m->rec_reserved_per_month_usd);
        usd_whole(v[3], m->rec_spill_per_month_usd);
        usd_whole(v[4], m->rec_total_per_month_usd);
        usd_whole(v[5], m->rec_on_demand_per_month_usd);
        numfmt_pct(v[6], c->sim.savings_pct);
    } else if (m == NULL) {
        usd_whole(v[2], t->reserved_per_month_usd);
        usd_whole(v[3], t->spill_per_month_usd);
        usd_whole(v[4], t->total_per_month_usd);
        usd_whole(v[5], t->on_demand_per_month_usd);
        numfmt_pct(v[6], t->savings_pct);
    }
    const char *status = m != NULL ? tp_fleet_status_name(m->status) : "";
    if (st.md) {
        sb_puts(b, "| ");
        if (m != NULL)
            enc_md_text(b, m->model);
        else
            sb_puts(b, "**total**");
        sb_printf(b, " | %s | %s | %s | %s | %s | %s | %s | %s |\n", status,
                  units[0] != '\0' ? units : v[0], below[0] != '\0' ? below : v[1], v[2], v[3],
                  v[4], v[5], v[6]);
    } else if (units[0] != '\0') {
        enc_text_cell_whole(b, m->model, 22, RENDER_TEXT_COLUMNS);
        sb_printf(b, " %-7s %*s %10s %10s %10s %10s %7s\n", status, UNITS_CELL, units, v[2],
                  v[3], v[4], v[5], v[6]);
        if (below[0] != '\0')
            sb_printf(b, "%s\n", below);
    } else {
        /* an id never cut: a longer one on its own line, the row under it */
        enc_text_cell_whole(b, m != NULL ? m->model : "  total", 22, RENDER_TEXT_COLUMNS);
        sb_printf(b, " %-7s %7s %7s %10s %10s %10s %10s %7s\n", status, v[0], v[1], v[2], v[3],
                  v[4], v[5], v[6]);
    }
}

/* One row per model: 22 + 7 + 2 x 7 + 4 x 10 + 7 + 8 spaces = 98 columns; grouped by account
 * and region (a reservation is bought in one account for one region), each group with its
 * total. */
static void fleet_table(strbuf *b, const tp_fleet *f, style st)
{
    if (st.md)
        sb_puts(b, "\n## fleet\n\nEach model's recommended reservation, per month of 730 hours\n"
                   "(models have different windows, so the fleet adds rates), by account and\n"
                   "region.\n\n"
                   "| model | status | input TPM | output TPM | reserved/month | spill/month | "
                   "total/month | on-demand/month | savings |\n"
                   "|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    else
        sb_printf(b, "\n== fleet: each model's recommendation per month (730 hours)\n%-22s "
                     "%-7s %7s %7s %10s %10s %10s %10s %7s\n",
                  "model", "status", "in TPM", "out TPM", "reserved", "spill", "total",
                  "on-demand", "savings");
    if (f->n_groups == 0) /* a fleet put together without its groups (tests): ungrouped */
        for (size_t i = 0; i < f->n; i++)
            table_row(b, &f->models[i], NULL, st);
    for (size_t g = 0; g < f->n_groups; g++) {
        const tp_fleet_group *G = &f->groups[g];
        if (st.md) {
            sb_puts(b, "| **account ");
            enc_md_text(b, place_shown(G->account));
            sb_puts(b, ", region ");
            enc_md_text(b, place_shown(G->region));
            sb_puts(b, "** | | | | | | | | |\n");
        } else {
            sb_puts(b, "account ");
            enc_text(b, place_shown(G->account));
            sb_puts(b, ", region ");
            enc_text(b, place_shown(G->region));
            sb_puts(b, ":\n");
        }
        for (size_t i = 0; i < f->n; i++) {
            const tp_fleet_model *m = &f->models[i];
            const char *a = m->account != NULL ? m->account : "";
            const char *r = m->region != NULL ? m->region : "";
            if (strcmp(a, G->account) == 0 && strcmp(r, G->region) == 0)
                table_row(b, m, NULL, st);
        }
        table_row(b, NULL, &G->totals, st);
    }
    int units = 0, pools = 0;
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        units |= m->status == TP_FLEET_OK && m->in_units;
        pools |= m->status == TP_FLEET_OK && m->in_units && m->price.unit.pools;
    }
    if (units) /* all Bedrock: the table as it always was */
        sb_printf(b, "%sa model sold in units shows the units it holds, not TPM%s\n",
                  st.md ? "\n" : "",
                  pools ? (st.md ? " (two pools: input and output units)"
                                 : " (two pools: input + output units)")
                        : "");
}

/* The fleet's sized models by provider, per month of 730 hours, all in USD: 12 + 7 + 4 x 12 +
 * 8 + 6 spaces = 81 columns. */
static void provider_table(strbuf *b, const tp_fleet *f, style st)
{
    if (!report_fleet_other_providers(f))
        return; /* all Bedrock: the fleet's totals say it all */
    if (st.md)
        sb_puts(b, "\n| provider | models | reserved/month | spill/month | total/month | "
                   "on-demand/month | savings |\n|---|--:|--:|--:|--:|--:|--:|\n");
    else
        sb_printf(b, "\n== fleet by provider, per month (730 hours), USD\n%-12s %7s %12s %12s "
                     "%12s %12s %8s\n",
                  "provider", "models", "reserved", "spill", "total", "on-demand", "savings");
    for (size_t k = 0; k < f->n_providers; k++) {
        const tp_fleet_totals *t = &f->providers[k].totals;
        char v[6][NUMFMT_BUF];
        snprintf(v[0], sizeof v[0], "%zu", t->n_ok);
        usd_whole(v[1], t->reserved_per_month_usd);
        usd_whole(v[2], t->spill_per_month_usd);
        usd_whole(v[3], t->total_per_month_usd);
        usd_whole(v[4], t->on_demand_per_month_usd);
        numfmt_pct(v[5], t->savings_pct);
        sb_printf(b, st.md ? "| %s | %s | %s | %s | %s | %s | %s |\n"
                           : "%-12s %7s %12s %12s %12s %12s %8s\n",
                  tp_pricing_provider_name(f->providers[k].provider), v[0], v[1], v[2], v[3],
                  v[4], v[5]);
    }
}

/* Fleet totals as rates: per hour, per month, per term (each model over its own term). */
static void fleet_totals_table(strbuf *b, const tp_fleet *f, style st)
{
    const tp_fleet_totals *t = &f->totals;
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
    if (st.md)
        sb_puts(b, "\n| fleet total | per hour | per month | per term |\n|---|--:|--:|--:|\n");
    else
        sb_printf(b, "\n%-20s %14s %16s %16s\n", "fleet total", "per hour", "per month",
                  "per term");
    for (int k = 0; k < 5; k++) {
        char h[NUMFMT_BUF], mo[NUMFMT_BUF], te[NUMFMT_BUF];
        numfmt_usd(h, hour[k]);
        numfmt_usd(mo, month[k]);
        numfmt_usd(te, term[k]);
        sb_printf(b, st.md ? "| %s | %s | %s | %s |\n" : "%-20s %14s %16s %16s\n", label[k], h,
                  mo, te);
    }
    char a[NUMFMT_BUF];
    numfmt_pct(a, t->savings_pct);
    sb_printf(b,
              "%sthe fleet saves %s against on-demand (each token at its tier's price);\n"
              "per term adds each model over its own term\n",
              st.md ? "\n" : "", a);
    if (t->n_held > 0) {
        char h[NUMFMT_BUF];
        numfmt_usd(h, t->held_total_per_month_usd);
        sb_printf(b, "%sheld reservations (%zu model%s): %s/month in total\n", st.md ? "\n" : "",
                  t->n_held, t->n_held == 1 ? "" : "s", h);
    }
}

static tp_status render(const tp_fleet *f, style st, char **out, tp_error *err)
{
    strbuf b = {0};
    head(&b, f, st);
    for (size_t i = 0; i < f->n; i++)
        model_section(&b, f, &f->models[i], st);
    fleet_table(&b, f, st);
    provider_table(&b, f, st);
    fleet_totals_table(&b, f, st);
    report_fleet_seasonal_table(&b, f, st.md);
    return sb_finish(&b, out, err);
}

tp_status report_fleet_text(const tp_fleet *f, char **out, tp_error *err)
{
    const style st = {0};
    return render(f, st, out, err);
}

tp_status report_fleet_markdown(const tp_fleet *f, char **out, tp_error *err)
{
    const style st = {1};
    return render(f, st, out, err);
}
