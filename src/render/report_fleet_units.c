/* report_fleet_units.c - a fleet model sized in units (Azure PTU, Vertex GSU) in the fleet
 * report's formats: its plan in units instead of the Bedrock candidates (docs/formats.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/chart.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"

/* A window's USD per month of 730 billed hours (as tp_fleet_model's rec_*_per_month_usd). */
static double per_month(double usd, const tp_units_result *r)
{
    return usd * TP_HOURS_PER_MONTH / (r->billed_hours > 0 ? r->billed_hours : 1);
}

double report_fleet_units_savings_pct(const tp_fleet_model *m)
{
    const tp_units_result *r = &m->units_rec;
    return r->on_demand_usd > 0 ? 100 * (r->on_demand_usd - r->total_usd) / r->on_demand_usd
                                : NAN;
}

void report_fleet_units_size(char *buf, size_t size, const tp_fleet_model *m)
{
    snprintf(buf, size, "%lld %s", (long long)m->units_rec.units, m->price.unit.name);
}

const char *report_fleet_units_overflow(const tp_fleet_model *m)
{
    return m->price.unit.throttle ? "throttle" : "spill";
}

/* One term's figures: units, price, window and monthly costs. */
static cJSON *term_json(const tp_units_result *r, tp_unit_term t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "term", tp_pricing_unit_term_name(t));
    cJSON_AddNumberToObject(o, "units", (double)r->units);
    cJSON_AddNumberToObject(o, "per_unit_hour_usd", r->per_unit_hour_usd);
    cJSON_AddNumberToObject(o, "units_per_month_usd", per_month(r->units_usd, r));
    cJSON_AddNumberToObject(o, "spill_per_month_usd", per_month(r->spill_usd, r));
    cJSON_AddNumberToObject(o, "total_per_month_usd", per_month(r->total_usd, r));
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
    cJSON_AddNumberToObject(p, "units_per_month_usd", per_month(r->units_usd, r));
    cJSON_AddNumberToObject(p, "spill_per_month_usd", per_month(r->spill_usd, r));
    cJSON_AddNumberToObject(p, "total_per_month_usd", per_month(r->total_usd, r));
    cJSON_AddNumberToObject(p, "on_demand_per_month_usd", per_month(r->on_demand_usd, r));
    report_json_num_or_null(p, "savings_pct", report_fleet_units_savings_pct(m));
    cJSON_AddNumberToObject(p, "window_total_usd", r->total_usd);
    cJSON_AddNumberToObject(p, "window_on_demand_usd", r->on_demand_usd);
    cJSON_AddNumberToObject(p, "billed_hours", r->billed_hours);
    cJSON_AddNumberToObject(p, "served_pct", 100 * r->served_share);
    cJSON_AddNumberToObject(p, "minutes_over", (double)r->minutes_over);
    cJSON_AddNumberToObject(p, "peak_weighted_tpm", r->peak_weighted_tpm);
    cJSON_AddBoolToObject(p, "example_prices", u->example != 0);
    cJSON *terms = cJSON_AddArrayToObject(p, "terms");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        if (m->units_plan.sold[t])
            report_json_push(terms, term_json(&m->units_plan.term[t], (tp_unit_term)t));
}

/* What a unit is and how overflow goes, in words. */
static void unit_model_line(char *buf, size_t size, const tp_fleet_model *m)
{
    const tp_unit_price *u = &m->price.unit;
    char cap[NUMFMT_BUF];
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
        char v[6][NUMFMT_BUF], name[32];
        snprintf(name, sizeof name, "%s%s%s", rec ? (md ? "**" : "*") : (md ? "" : " "),
                 tp_pricing_unit_term_name((tp_unit_term)t), rec && md ? "**" : "");
        numfmt_count(v[0], (double)r->units);
        snprintf(v[1], sizeof v[1], "$%.4f", r->per_unit_hour_usd);
        numfmt_usd(v[2], per_month(r->units_usd, r));
        numfmt_usd(v[3], per_month(r->spill_usd, r));
        numfmt_usd(v[4], per_month(r->total_usd, r));
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
    sb_printf(b, "\n%srecommended%s: %s on %s at $%.4f/unit-hour (the term of least total)\n",
              md ? "**" : "", md ? "**" : "", size,
              tp_pricing_unit_term_name(m->units_plan.recommended_term), r->per_unit_hour_usd);
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
    sb_printf(b, " on %s</b> at $%.4f/unit-hour for <b>%s/month</b> against %s/month on "
                 "demand; %s of weighted tokens served, %s minutes over capacity.</p>\n",
              tp_pricing_unit_term_name(m->units_plan.recommended_term), r->per_unit_hour_usd,
              a, c, d, e);
    sb_puts(b, "<h3>Terms</h3>\n<table>\n<tr><th>term</th><th>units</th><th>per unit-hour</th>"
               "<th>units/month</th><th>spill/month</th><th>total/month</th><th>on units</th>"
               "</tr>\n");
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (!m->units_plan.sold[t])
            continue;
        const tp_units_result *x = &m->units_plan.term[t];
        const int rec = t == (int)m->units_plan.recommended_term;
        char v[6][NUMFMT_BUF];
        numfmt_count(v[0], (double)x->units);
        snprintf(v[1], sizeof v[1], "$%.4f", x->per_unit_hour_usd);
        numfmt_usd(v[2], per_month(x->units_usd, x));
        numfmt_usd(v[3], per_month(x->spill_usd, x));
        numfmt_usd(v[4], per_month(x->total_usd, x));
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
