/* report_fleet_units.c - a fleet model sized in units (Azure PTU, Vertex GSU) in the fleet
 * report's formats: its plan in units instead of the Bedrock candidates (docs/formats.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"

/* A term's figures per month of 730 billed hours (tp_fleet_units_per_month). */
typedef struct month_usd {
    double units, spill, total, on_demand;
} month_usd;

static month_usd per_month(const tp_fleet_model *m, const tp_units_result *r)
{
    month_usd v;
    tp_fleet_units_per_month(m, r, &v.units, &v.spill, &v.total, &v.on_demand);
    return v;
}

double report_fleet_units_savings_pct(const tp_fleet_model *m)
{
    const tp_units_result *r = &m->units_rec;
    return r->on_demand_usd > 0 ? 100 * (r->on_demand_usd - r->total_usd) / r->on_demand_usd
                                : NAN;
}

void report_fleet_units_size(char *buf, size_t size, const tp_fleet_model *m)
{
    char in[NUMFMT_BUF], out[NUMFMT_BUF]; /* "38,500": a count to buy, whole and readable */
    numfmt_count(in, (double)m->units_rec.units);
    numfmt_count(out, (double)m->units_rec.output_units);
    if (m->price.unit.pools) /* two pools: both counts (docs/model.md, "Two pools") */
        snprintf(buf, size, "%s input + %s output units", in, out);
    else
        snprintf(buf, size, "%s %s", in, m->price.unit.name);
}

/* The unit's name after a count of n: a lower-case name ("unit") takes a plural, an
 * abbreviation ("PTU") does not (as recommend's text says it). */
static const char *unit_plural(const tp_unit_price *u, int64_t n)
{
    return n != 1 && u->name[0] >= 'a' && u->name[0] <= 'z' ? "s" : "";
}

void report_fleet_units_cell(char *buf, size_t size, const tp_fleet_model *m, int which)
{
    const tp_unit_price *u = &m->price.unit;
    const tp_units_result *r = &m->units_rec;
    char in[NUMFMT_BUF], out[NUMFMT_BUF];
    numfmt_count(in, (double)r->units);
    numfmt_count(out, (double)r->output_units);
    if (!u->pools)
        snprintf(buf, size, "%s %s%s", in, u->name, unit_plural(u, r->units));
    else if (which == REPORT_UNITS_INPUT)
        snprintf(buf, size, "%s input %s%s", in, u->name, unit_plural(u, r->units));
    else if (which == REPORT_UNITS_OUTPUT)
        snprintf(buf, size, "%s output %s%s", out, u->name, unit_plural(u, r->output_units));
    else if (which == REPORT_UNITS_LONG)
        snprintf(buf, size, "%s input + %s output %s%s", in, out, u->name,
                 unit_plural(u, r->units + r->output_units == 1 ? 1 : 2));
    else
        snprintf(buf, size, "%s + %s %s%s", in, out, u->name,
                 unit_plural(u, r->units + r->output_units == 1 ? 1 : 2));
}

/* A term's count for a table cell: "N", or "N + M" input and output units of two pools. */
#define CELL_BUF (2 * NUMFMT_BUF + 4)
static void units_cell(char *buf, const tp_units_result *r)
{
    if (r->pools) {
        char in[NUMFMT_BUF], out[NUMFMT_BUF];
        numfmt_count(in, (double)r->units);
        numfmt_count(out, (double)r->output_units);
        snprintf(buf, CELL_BUF, "%s + %s", in, out);
    } else {
        numfmt_count(buf, (double)r->units);
    }
}

/* A term's price for a table cell: per unit-hour, "-" for two pools (priced per unit-day,
 * both prices in the model line). */
static void price_cell(char *buf, const tp_units_result *r)
{
    if (r->pools)
        snprintf(buf, NUMFMT_BUF, "-");
    else
        snprintf(buf, NUMFMT_BUF, "$%.4f", r->per_unit_hour_usd);
}

/* The recommended plan's price in words: "at $X/unit-hour", or the two pools' prices a day. */
static void price_words(char *buf, size_t size, const tp_fleet_model *m)
{
    const tp_unit_price *u = &m->price.unit;
    if (u->pools)
        snprintf(buf, size, "at $%.2f and $%.2f a unit-day for at least %lld days",
                 u->input_pool.per_unit_day_usd, u->output_pool.per_unit_day_usd,
                 (long long)u->minimum_days);
    else
        snprintf(buf, size, "at $%.4f/unit-hour", m->units_rec.per_unit_hour_usd);
}

const char *report_fleet_units_overflow(const tp_fleet_model *m)
{
    return m->price.unit.throttle ? "throttle" : "spill";
}

/* One term's figures: units, price, window and monthly costs. */
static cJSON *term_json(const tp_fleet_model *m, const tp_units_result *r, tp_unit_term t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "term", tp_pricing_unit_term_name(t));
    cJSON_AddNumberToObject(o, "units", (double)r->units);
    cJSON_AddNumberToObject(o, "per_unit_hour_usd", r->per_unit_hour_usd);
    cJSON_AddNumberToObject(o, "units_per_month_usd", per_month(m, r).units);
    cJSON_AddNumberToObject(o, "spill_per_month_usd", per_month(m, r).spill);
    cJSON_AddNumberToObject(o, "total_per_month_usd", per_month(m, r).total);
    cJSON_AddNumberToObject(o, "window_total_usd", r->total_usd);
    cJSON_AddNumberToObject(o, "served_pct", 100 * r->served_share);
    cJSON_AddNumberToObject(o, "minutes_over", (double)r->minutes_over);
    return o;
}

void report_fleet_units_json(cJSON *o, const tp_fleet_model *m)
{
    if (m->status != TP_FLEET_OK || !m->in_units) {
        cJSON_AddNullToObject(o, "units_plan");
        return;
    }
    const tp_units_result *r = &m->units_rec;
    const tp_unit_price *u = &m->price.unit;
    cJSON *p = cJSON_AddObjectToObject(o, "units_plan");
    cJSON_AddStringToObject(p, "unit", u->name);
    cJSON_AddNumberToObject(p, "capacity_tpm_per_unit", u->capacity_tpm_per_unit);
    cJSON_AddNumberToObject(p, "minimum_units", (double)u->minimum_units);
    cJSON_AddNumberToObject(p, "step_units", (double)u->step_units);
    cJSON_AddStringToObject(p, "overflow", report_fleet_units_overflow(m));
    cJSON_AddNumberToObject(p, "burst_factor", r->burst_factor);
    cJSON_AddStringToObject(p, "term", tp_pricing_unit_term_name(m->units_plan.recommended_term));
    cJSON_AddNumberToObject(p, "units", (double)r->units);
    cJSON_AddNumberToObject(p, "capacity_tpm", r->capacity_tpm);
    cJSON_AddNumberToObject(p, "per_unit_hour_usd", r->per_unit_hour_usd);
    cJSON_AddNumberToObject(p, "units_per_month_usd", per_month(m, r).units);
    cJSON_AddNumberToObject(p, "spill_per_month_usd", per_month(m, r).spill);
    cJSON_AddNumberToObject(p, "total_per_month_usd", per_month(m, r).total);
    cJSON_AddNumberToObject(p, "on_demand_per_month_usd", per_month(m, r).on_demand);
    report_json_num_or_null(p, "savings_pct", report_fleet_units_savings_pct(m));
    cJSON_AddNumberToObject(p, "window_total_usd", r->total_usd);
    cJSON_AddNumberToObject(p, "window_on_demand_usd", r->on_demand_usd);
    cJSON_AddNumberToObject(p, "billed_hours", r->billed_hours);
    cJSON_AddNumberToObject(p, "served_pct", 100 * r->served_share);
    cJSON_AddNumberToObject(p, "minutes_over", (double)r->minutes_over);
    cJSON_AddNumberToObject(p, "peak_weighted_tpm", r->peak_weighted_tpm);
    cJSON_AddBoolToObject(p, "example_prices", u->example != 0);
    if (u->pools) { /* two pools: `units` and `capacity_*` above are the input pool's */
        cJSON *q = cJSON_AddObjectToObject(p, "pools");
        cJSON_AddNumberToObject(q, "input_units", (double)r->units);
        cJSON_AddNumberToObject(q, "output_units", (double)r->output_units);
        cJSON_AddNumberToObject(q, "input_tpm_per_unit", u->input_pool.capacity_tpm_per_unit);
        cJSON_AddNumberToObject(q, "output_tpm_per_unit", u->output_pool.capacity_tpm_per_unit);
        cJSON_AddNumberToObject(q, "input_per_unit_day_usd", u->input_pool.per_unit_day_usd);
        cJSON_AddNumberToObject(q, "output_per_unit_day_usd", u->output_pool.per_unit_day_usd);
        cJSON_AddNumberToObject(q, "minimum_days", (double)u->minimum_days);
        cJSON_AddNumberToObject(q, "billed_days", r->billed_days);
        cJSON_AddNumberToObject(q, "commitment_usd", r->commitment_usd);
    }
    cJSON *terms = cJSON_AddArrayToObject(p, "terms");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        if (m->units_plan.sold[t])
            report_json_push(terms, term_json(m, &m->units_plan.term[t], (tp_unit_term)t));
}

/* What a unit is and how overflow goes, in words. */
static void unit_model_line(char *buf, size_t size, const tp_fleet_model *m)
{
    const tp_unit_price *u = &m->price.unit;
    char cap[NUMFMT_BUF], out[NUMFMT_BUF];
    if (u->pools) {
        numfmt_count(cap, u->input_pool.capacity_tpm_per_unit);
        numfmt_count(out, u->output_pool.capacity_tpm_per_unit);
        snprintf(buf, size,
                 "sold in two pools (%s): an input unit serves %s TPM of input (cache read "
                 "x%g, cache write x%g), an output unit %s output TPM, each bought per day for "
                 "at least %lld days; overflow %s",
                 tp_pricing_provider_name(m->price.provider), cap,
                 u->input_pool.cache_read_weight, u->input_pool.cache_write_weight, out,
                 (long long)u->minimum_days,
                 u->throttle ? "is throttled" : "spills to on-demand Standard");
        return;
    }
    numfmt_count(cap, u->capacity_tpm_per_unit);
    snprintf(buf, size,
             "sold in units (%s): a %s serves %s weighted TPM%s, minimum %lld, step %lld; "
             "overflow %s",
             tp_pricing_provider_name(m->price.provider), u->name, cap,
             u->per_second ? " (enforced per second)" : "", (long long)u->minimum_units,
             (long long)u->step_units,
             u->throttle ? "is throttled" : "spills to on-demand Standard");
}

/* The terms table: 9 + 8 + 13 + 3 x 12 + 8 + 6 spaces = 80 columns. */
static void terms_table(strbuf *b, const tp_fleet_model *m, int md)
{
    if (md)
        sb_puts(b, "\n| term | units | per unit-hour | units/month | spill/month | total/month "
                   "| on units |\n|---|--:|--:|--:|--:|--:|--:|\n");
    else
        sb_printf(b, "\n%-9s %8s %13s %12s %12s %12s %8s\n", "term", "units", "$/unit-hour",
                  "units/month", "spill/month", "total/month", "on units");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!m->units_plan.sold[t])
            continue;
        const tp_units_result *r = &m->units_plan.term[t];
        const int rec = t == (int)m->units_plan.recommended_term;
        char v[6][CELL_BUF], name[32];
        snprintf(name, sizeof name, "%s%s%s", rec ? (md ? "**" : "*") : (md ? "" : " "),
                 tp_pricing_unit_term_name((tp_unit_term)t), rec && md ? "**" : "");
        units_cell(v[0], r);
        price_cell(v[1], r);
        numfmt_usd(v[2], per_month(m, r).units);
        numfmt_usd(v[3], per_month(m, r).spill);
        numfmt_usd(v[4], per_month(m, r).total);
        numfmt_pct(v[5], 100 * r->served_share);
        if (md)
            sb_printf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", name, v[0], v[1], v[2], v[3],
                      v[4], v[5]);
        else
            sb_printf(b, "%-9s %8s %13s %12s %12s %12s %8s\n", name, v[0], v[1], v[2], v[3],
                      v[4], v[5]);
    }
}

void report_fleet_units_text(strbuf *b, const tp_fleet_model *m, int md)
{
    const tp_units_result *r = &m->units_rec;
    char line[512], a[NUMFMT_BUF], c[NUMFMT_BUF], d[NUMFMT_BUF], e[NUMFMT_BUF], size[64];
    const char *nl = md ? "\n" : "";
    unit_model_line(line, sizeof line, m);
    (md ? render_wrapped_md : render_wrapped)(b, nl, line);
    terms_table(b, m, md);
    report_fleet_units_size(size, sizeof size, m);
    char price[160];
    price_words(price, sizeof price, m);
    snprintf(line, sizeof line, "%s on %s %s (%s)", size,
             tp_pricing_unit_term_name(m->units_plan.recommended_term), price,
             m->price.unit.pools ? "the one offer" : "the term of least total");
    strbuf w = {0}; /* the words after the label, encoded for the format, wrapped whole */
    sb_puts(&w, md ? "**recommended**: " : "recommended: ");
    if (md)
        enc_md_text(&w, line);
    else
        sb_puts(&w, line);
    sb_puts(b, "\n");
    render_wrapped_raw(b, "", w.data != NULL ? w.data : "");
    b->failed |= w.failed;
    free(w.data);
    numfmt_usd(a, m->rec_total_per_month_usd);
    numfmt_usd(c, m->rec_reserved_per_month_usd);
    numfmt_usd(d, m->rec_spill_per_month_usd);
    numfmt_usd(e, m->rec_on_demand_per_month_usd);
    char pct[NUMFMT_BUF];
    numfmt_pct(pct, report_fleet_units_savings_pct(m));
    snprintf(line, sizeof line,
             "cost: %s/month (units %s, spill %s) against %s/month on demand, saving %s", a, c,
             d, e, pct);
    (md ? render_wrapped_md : render_wrapped)(b, nl, line);
    numfmt_pct(a, 100 * r->served_share);
    numfmt_count(c, (double)r->minutes_over);
    numfmt_fixed(d, r->burst_factor, 2);
    sb_printf(b, "%sserved: %s of weighted tokens; %s minutes over capacity (%s); burst factor "
                 "%s\n",
              nl, a, c, m->price.unit.throttle ? "throttled" : "spilled", d);
    if (m->price.unit.example || m->price.unit.capacity_example)
        (md ? render_wrapped_md : render_wrapped)(
            b, md ? "\nnote: " : "note: ",
            "the catalog marks this entry's unit prices or capacity per unit as examples, not "
            "published figures: check them with the provider before committing money");
}

void report_fleet_units_html(strbuf *b, const tp_fleet_model *m)
{
    const tp_units_result *r = &m->units_rec;
    char line[512], a[NUMFMT_BUF], c[NUMFMT_BUF], d[NUMFMT_BUF], e[NUMFMT_BUF], size[64];
    const tp_series *s = m->stats->series;
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    const int64_t f0 = tp_series_from_minute(s);
    numfmt_count(a, (double)tp_series_minutes(s));
    sb_printf(b, "<p>Window %s .. %s (%s minutes). ", tp_timestamp_format(f0 * 60, from),
              tp_timestamp_format((f0 + (int64_t)tp_series_minutes(s)) * 60, to), a);
    unit_model_line(line, sizeof line, m);
    line[0] = 'S'; /* a sentence */
    chart_escape(b, line);
    sb_puts(b, ".</p>\n");
    report_fleet_units_size(size, sizeof size, m);
    numfmt_usd(a, m->rec_total_per_month_usd);
    numfmt_usd(c, m->rec_on_demand_per_month_usd);
    numfmt_pct(d, 100 * r->served_share);
    numfmt_count(e, (double)r->minutes_over);
    sb_puts(b, "<p class=\"key\">Recommended: <b>");
    chart_escape(b, size);
    char price[160];
    price_words(price, sizeof price, m);
    sb_printf(b, " on %s</b> %s for <b>%s/month</b> against %s/month on "
                 "demand; %s of weighted tokens served, %s minutes over capacity.</p>\n",
              tp_pricing_unit_term_name(m->units_plan.recommended_term), price, a, c, d, e);
    sb_puts(b, "<h3>Terms</h3>\n<table>\n<tr><th>term</th><th>units</th><th>per unit-hour</th>"
               "<th>units/month</th><th>spill/month</th><th>total/month</th><th>on units</th>"
               "</tr>\n");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!m->units_plan.sold[t])
            continue;
        const tp_units_result *x = &m->units_plan.term[t];
        const int rec = t == (int)m->units_plan.recommended_term;
        char v[6][CELL_BUF];
        units_cell(v[0], x);
        price_cell(v[1], x);
        numfmt_usd(v[2], per_month(m, x).units);
        numfmt_usd(v[3], per_month(m, x).spill);
        numfmt_usd(v[4], per_month(m, x).total);
        numfmt_pct(v[5], 100 * x->served_share);
        sb_printf(b, "<tr%s><td>%s%s</td>", rec ? " class=\"rec\"" : "",
                  tp_pricing_unit_term_name((tp_unit_term)t), rec ? " (recommended)" : "");
        for (int k = 0; k < 6; k++) {
            sb_puts(b, "<td>");
            chart_escape(b, v[k]);
            sb_puts(b, "</td>");
        }
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table>\n");
    if (m->price.unit.example || m->price.unit.capacity_example)
        sb_puts(b, "<p class=\"note\">Note: the catalog marks this entry's unit prices or "
                   "capacity per unit as examples, not published figures: check them with the "
                   "provider before committing money.</p>\n");
}

tp_status report_fleet_units_check(const tp_fleet_model *m, tp_error *err)
{
    const tp_units_result *r = &m->units_rec;
    const double v[] = {r->units_usd, r->spill_usd, r->total_usd, r->on_demand_usd,
                        r->billed_hours, r->served_share, m->rec_total_per_month_usd};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if (!isfinite(v[k]))
            return tp_error_set(err, TP_ERR_INVALID,
                                "a figure of model %s's plan in units is not finite (%g)",
                                m->model, v[k]);
    return TP_OK;
}

int report_fleet_other_providers(const tp_fleet *f)
{
    for (size_t k = 0; k < f->n_providers; k++)
        if (f->providers[k].provider != TP_PROVIDER_BEDROCK)
            return 1;
    return 0;
}
