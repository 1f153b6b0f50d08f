/* report_sim.c - a simulation as text, JSON or CSV. */
#include "tierplan/report.h"

#include <math.h>
#include <stdio.h>

#include "base/cnum.h"
#include "render/place.h"
#include "render/report_internal.h"
#include "render/report_check.h"
#include "tierplan/timestamp.h"

static tp_status sim_json(const tp_sim_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_sim_result *r = rep->result;
    const tp_sim_options *o = rep->options;
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(root, "model", tp_series_model(s));
    place_json(root, tp_series_region(s), tp_series_account(s));
    cJSON *w = report_json_series_window(root, s);
    cJSON_AddNumberToObject(w, "hours", r->hours);
    /* which dimension family the demand was read from (docs/model.md, "Dimension families") */
    cJSON_AddStringToObject(root, "tier_family", tp_series_family_name(tp_series_family(s)));
    cJSON *res = cJSON_AddObjectToObject(root, "reservation");
    cJSON_AddNumberToObject(res, "input_tpm", o->reserve_input_tpm);
    cJSON_AddNumberToObject(res, "output_tpm", o->reserve_output_tpm);
    cJSON_AddStringToObject(root, "spill_to", tp_simulate_spill_to_name(o->spill_to));
    cJSON_AddStringToObject(root, "spill_model", tp_simulate_spill_model_name(o->spill_model));
    if (o->quota_tpm > 0)
        cJSON_AddNumberToObject(root, "quota_tpm", o->quota_tpm);
    else
        cJSON_AddNullToObject(root, "quota_tpm");
    if (rep->scale > 0 && rep->scale != 1)
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(root, "what_if"), "scale", rep->scale);
    else
        cJSON_AddNullToObject(root, "what_if");
    report_json_sim_figures(root, r);
    if (rep->tiers != NULL) /* simulate --route-tiers: as recommend's candidates have it */
        report_json_tiers(root, rep->tiers->routed, rep->tiers->tier);
    report_json_observed(root, rep->observed);
    report_json_num_or_null(root, "blended_usd_per_million_tokens", r->blended_usd_per_million);
    report_json_pricing(root, rep->pricing, rep->price);
    report_json_ingests(root, s);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (rep->price->example_reserved)
        report_json_push(notes, cJSON_CreateString(report_example_note));
    if (report_series_coarse(s))
        report_json_push(notes, cJSON_CreateString(report_coarse_note));
    return report_print_json(root, out, err);
}

static tp_status sim_text(const tp_sim_report *rep, char **out, tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_sim_result *r = rep->result;
    const tp_sim_options *o = rep->options;
    strbuf b = {0};
    char from[TP_TIME_BUF], to[TP_TIME_BUF], a[64], c[64];
    int64_t f = tp_series_from_minute(s);
    enc_text_in(&b, "model ", tp_series_model(s), "");
    place_text(&b, tp_series_region(s), tp_series_account(s));
    sb_puts(&b, "\n");
    report_count(a, sizeof a, (double)r->minutes);
    sb_printf(&b, "window %s .. %s (%s minute%s); tiers from: %s\n",
              tp_timestamp_format(f * 60, from), tp_timestamp_format((f + (int64_t)r->minutes) * 60, to),
              a, r->minutes == 1 ? "" : "s", tp_series_family_name(tp_series_family(s)));
    report_fmt_tpm(a, sizeof a, o->reserve_input_tpm);
    report_fmt_tpm(c, sizeof c, o->reserve_output_tpm);
    sb_printf(&b, "reservation: %s effective input TPM, %s output TPM\n", a, c);
    sb_printf(&b, "spill %s to %s", tp_simulate_spill_model_name(o->spill_model),
              tp_simulate_spill_to_name(o->spill_to));
    if (o->quota_tpm > 0) {
        report_fmt_tpm(a, sizeof a, o->quota_tpm);
        sb_printf(&b, ", on-demand quota %s TPM", a);
    }
    if (rep->scale > 0 && rep->scale != 1)
        sb_printf(&b, "\nwhat-if: demand x %g", rep->scale);
    sb_puts(&b, "\n\n");
    const struct {
        const char *name;
        double v;
    } costs[] = {{"reserved", r->reserved_usd},
                 {"spill", r->spill_usd},
                 {"total", r->total_usd},
                 {"on-demand baseline", r->baseline_usd},
                 {"throttled value", r->throttled_value_usd},
                 {"served at Standard", r->served_value_usd},
                 {"savings", r->savings_usd}};
    for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++) {
        report_usd(a, sizeof a, costs[i].v);
        sb_printf(&b, "%-20s %14s\n", costs[i].name, a);
    }
    report_pct(a, sizeof a, r->savings_pct);
    sb_printf(&b, "%-20s %14s\n", "savings", a);
    report_pct(a, sizeof a, 100 * r->utilization_input);
    report_pct(c, sizeof c, 100 * r->utilization_output);
    sb_printf(&b, "%-20s %14s input, %s output\n", "utilization", a, c);
    report_pct(a, sizeof a, r->spill_minutes_pct);
    report_count(c, sizeof c, (double)r->spill_minutes);
    sb_printf(&b, "%-20s %14s (%s of minutes)\n", "spill minutes", c, a);
    report_count(a, sizeof a, r->spill_input_tokens);
    report_count(c, sizeof c, r->spill_effective_input_tokens);
    sb_printf(&b, "%-20s %14s input tokens (%s effective), ", "spilled", a, c);
    report_count(a, sizeof a, r->spill_output_tokens);
    sb_printf(&b, "%s output tokens\n", a);
    report_count(a, sizeof a, r->throttled_tokens);
    report_count(c, sizeof c, (double)r->throttled_minutes);
    sb_printf(&b, "%-20s %14s tokens in %s minute%s%s\n", "throttled", a, c,
              r->throttled_minutes == 1 ? "" : "s",
              r->throttled_minutes > 0 ? "  THROTTLES" : "");
    if (isnan(r->blended_usd_per_million)) {
        sb_printf(&b, "%-20s %14s\n", "blended price", "n/a");
    } else {
        locale_t prev = cnum_enter();
        snprintf(a, sizeof a, "$%.4f", r->blended_usd_per_million);
        cnum_restore(prev);
        sb_printf(&b, "%-20s %14s per 1M tokens served\n", "blended price", a);
    }
    if (rep->tiers != NULL) {
        char routes[64];
        sb_printf(&b, "\nrouted tiers: %s\n",
                  tp_simulate_route_format(rep->tiers->routed, routes, sizeof routes));
        report_tiers_text(&b, rep->tiers->routed, rep->tiers->tier, r->reserved_usd);
    }
    if (rep->observed != NULL)
        report_text_observed(&b, "", rep->observed);
    report_prices_text(&b, rep->pricing, rep->price);
    if (rep->price->example_reserved)
        render_wrapped(&b, "note: ", report_example_note);
    if (report_series_coarse(s))
        render_wrapped(&b, "note: ", report_coarse_note);
    report_uncovered_text(&b, s);
    return sb_finish(&b, out, err);
}

static tp_status sim_csv(const tp_sim_report *rep, char **out, tp_error *err)
{
    const tp_sim_result *r = rep->result;
    const tp_sim_options *o = rep->options;
    strbuf b = {0};
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    int64_t f = tp_series_from_minute(rep->series);
    sb_puts(&b, "model,from,to,minutes,reserve_input_tpm,reserve_output_tpm,spill_to,spill_model,"
                "reserved_usd,spill_usd,total_usd,baseline_usd,savings_usd,savings_pct,"
                "utilization_input,utilization_output,spill_minutes,spill_minutes_pct,"
                "spill_input_tokens,spill_effective_input_tokens,spill_output_tokens,"
                "throttled_minutes,throttled_tokens,example_prices,throttled_value_usd,"
                "served_value_usd,scale");
    report_csv_tiers_header(&b);
    sb_puts(&b, ",region,account\n");
    enc_csv(&b, tp_series_model(rep->series));
    report_csv_word(&b, tp_timestamp_format(f * 60, from));
    report_csv_word(&b, tp_timestamp_format((f + (int64_t)r->minutes) * 60, to));
    render_csv_num(&b, (double)r->minutes);
    render_csv_num(&b, o->reserve_input_tpm);
    render_csv_num(&b, o->reserve_output_tpm);
    report_csv_word(&b, tp_simulate_spill_to_name(o->spill_to));
    report_csv_word(&b, tp_simulate_spill_model_name(o->spill_model));
    const double w[] = {r->reserved_usd,      r->spill_usd,          r->total_usd,
                        r->baseline_usd,      r->savings_usd,        r->savings_pct,
                        r->utilization_input, r->utilization_output, (double)r->spill_minutes,
                        r->spill_minutes_pct, r->spill_input_tokens, r->spill_effective_input_tokens,
                        r->spill_output_tokens, (double)r->throttled_minutes, r->throttled_tokens};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        render_csv_num(&b, w[i]);
    report_csv_word(&b, rep->price->example_reserved ? "true" : "false");
    render_csv_num(&b, r->throttled_value_usd);
    render_csv_num(&b, r->served_value_usd);
    render_csv_num(&b, rep->scale > 0 ? rep->scale : 1);
    report_csv_tiers(&b, rep->tiers != NULL ? rep->tiers->routed : 0,
                     rep->tiers != NULL ? rep->tiers->tier : NULL);
    place_csv(&b, tp_series_region(rep->series), tp_series_account(rep->series));
    sb_puts(&b, "\n");
    return sb_finish(&b, out, err);
}

tp_status tp_report_sim(const tp_sim_report *rep, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    tp_status rc = report_check_sim(rep->result, "simulation", err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_TEXT: return sim_text(rep, out, err);
    case TP_FORMAT_JSON: return sim_json(rep, out, err);
    case TP_FORMAT_CSV: return sim_csv(rep, out, err);
    case TP_FORMAT_MARKDOWN: /* fleet reports only */
    case TP_FORMAT_HTML: break;
    }
    return report_unknown_format(fmt, err);
}
