/* report_rec.c - a recommendation (every candidate, the recommended one and why) as text,
 * JSON or CSV. */
#include "tierplan/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/place.h"
#include "render/report_internal.h"
#include "render/report_check.h"
#include "tierplan/timestamp.h"

cJSON *report_json_rec(const tp_rec_report *rep)
{
    const tp_series *s = rep->series;
    const tp_recommendation *rec = rep->rec;
    const tp_rec_options *o = rep->options;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddStringToObject(root, "model", tp_series_model(s));
    report_json_series_window(root, s);
    /* which dimension family the demand was read from (docs/model.md, "Dimension families") */
    cJSON_AddStringToObject(root, "tier_family", tp_series_family_name(tp_series_family(s)));

    cJSON_AddStringToObject(root, "spill_to", tp_simulate_spill_to_name(o->spill_to));
    cJSON_AddStringToObject(root, "spill_model", tp_simulate_spill_model_name(o->spill_model));
    report_json_num_or_null(root, "quota_tpm", o->quota_tpm > 0 ? o->quota_tpm : NAN);
    cJSON *term = cJSON_AddObjectToObject(root, "term");
    cJSON_AddNumberToObject(term, "months", rec->term_months);
    cJSON_AddNumberToObject(term, "hours", rec->term_hours);
    cJSON_AddNumberToObject(term, "discount", rec->term_discount);
    cJSON *wi = cJSON_AddObjectToObject(root, "what_if");
    cJSON_AddNumberToObject(wi, "scale", rep->scale);
    cJSON_AddNumberToObject(wi, "cache_hit_delta", rep->cache_hit_delta);
    cJSON *cands = cJSON_AddArrayToObject(root, "candidates");
    for (size_t k = 0; k < rec->n_candidates; k++)
        report_json_push(cands, report_json_candidate(&rec->candidates[k]));
    cJSON *best = report_json_candidate(&rec->candidates[rec->recommended]);
    best = report_json_put(root, "recommended", best);
    cJSON_AddStringToObject(best, "reason", rec->reason);
    cJSON *be = cJSON_AddObjectToObject(best, "break_even_utilization");
    report_json_num_or_null(be, "input", rec->break_even_utilization_input);
    report_json_num_or_null(be, "output", rec->break_even_utilization_output);
    if (rec->has_flat_region) { /* the sizes within 0.5% of its cost (recommend.h) */
        cJSON *fr = cJSON_AddObjectToObject(best, "flat_region");
        cJSON *fi = cJSON_AddArrayToObject(fr, "input_tpm");
        cJSON *fo = cJSON_AddArrayToObject(fr, "output_tpm");
        for (int k = 0; k < 2; k++) {
            report_json_push(fi, cJSON_CreateNumber(rec->flat_input_tpm[k]));
            report_json_push(fo, cJSON_CreateNumber(rec->flat_output_tpm[k]));
        }
    } else
        cJSON_AddNullToObject(best, "flat_region");
    if (rec->tiered) {
        cJSON_AddBoolToObject(root, "reserved_offered", rep->price->reserved_offered != 0);
        cJSON_AddBoolToObject(root, "assumed_offered", rec->assumed_offered != 0);
        cJSON *routes = cJSON_AddArrayToObject(root, "routes");
        for (size_t k = 0; k < rec->n_routes; k++) {
            const tp_route_option *x = &rec->routes[k];
            cJSON *r = cJSON_CreateObject();
            if (r == NULL)
                break;
            cJSON *rt = cJSON_AddArrayToObject(r, "routed_tiers");
            for (int t = 0; t < TP_SERVICE_COUNT && (x->input_tpm > 0 || x->output_tpm > 0); t++)
                if (x->routed & TP_ROUTE_TIER(t))
                    report_json_push(rt, cJSON_CreateString(tp_series_tier_name((tp_service_tier)t)));
            cJSON_AddNumberToObject(r, "input_tpm", x->input_tpm);
            cJSON_AddNumberToObject(r, "output_tpm", x->output_tpm);
            cJSON_AddNumberToObject(r, "total_usd", x->total_usd);
            cJSON_AddNumberToObject(r, "savings_usd", x->savings_usd);
            /* filled first, then attached: a push that fails frees it whole */
            report_json_push(routes, r);
        }
    }
    cJSON *grid_o = cJSON_AddObjectToObject(root, "grid");
    cJSON_AddNumberToObject(grid_o, "step_tpm", rep->price->reserved_step_tpm);
    cJSON_AddNumberToObject(grid_o, "minimum_input_tpm", rep->price->reserved_minimum_input_tpm);
    cJSON_AddNumberToObject(grid_o, "minimum_output_tpm", rep->price->reserved_minimum_output_tpm);
    cJSON_AddNumberToObject(grid_o, "input_points", (double)rec->grid_input_points);
    cJSON_AddNumberToObject(grid_o, "output_points", (double)rec->grid_output_points);
    report_json_pricing(root, rep->pricing, rep->price);
    report_json_ingests(root, s);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    if (rep->price->example_reserved)
        report_json_push(notes, cJSON_CreateString(report_example_note));
    if (rec->assumed_offered)
        report_json_push(notes, cJSON_CreateString("assumed offered: the catalog says the "
                                                   "Reserved tier is not offered for this "
                                                   "model (--assume-offered)"));
    if (report_series_coarse(s))
        report_json_push(notes, cJSON_CreateString(report_coarse_note));
    if (rep->scale != 1 || rep->cache_hit_delta != 0)
        report_json_push(notes, cJSON_CreateString("what-if: demand was changed before "
                                                       "sizing (see what_if)"));
    return root;
}

/* The attribution keys a recommendation was sized on (none: the whole model), and the
 * tier-mix what-if it was sized after (NULL: none). */
typedef struct rec_keys {
    const char *const *keys;
    size_t n;
    const tp_whatif_mix *mix;
} rec_keys;

/* "what_if" gains the tier-mix move: its shares always, "tier_mix" null without a move. */
static void rec_json_mix(cJSON *root, const tp_whatif_mix *m)
{
    cJSON *wi = cJSON_GetObjectItemCaseSensitive(root, "what_if");
    if (wi == NULL)
        return;
    cJSON_AddNumberToObject(wi, "move_to_flex_pct", m != NULL ? m->move_to_flex_pct : 0);
    cJSON_AddNumberToObject(wi, "move_to_batch_pct", m != NULL ? m->move_to_batch_pct : 0);
    if (m == NULL) {
        cJSON_AddNullToObject(wi, "tier_mix");
        return;
    }
    cJSON *t = cJSON_AddObjectToObject(wi, "tier_mix");
    cJSON_AddNumberToObject(t, "moved_to_flex_tokens", m->moved_to_flex_tokens);
    cJSON_AddNumberToObject(t, "moved_to_batch_tokens", m->moved_to_batch_tokens);
    cJSON_AddNumberToObject(t, "batch_usd_per_month", m->batch_usd_per_month);
    cJSON_AddNumberToObject(t, "baseline_usd_per_month", m->baseline_usd_per_month);
    cJSON_AddNumberToObject(t, "moved_usd_per_month", m->moved_usd_per_month);
    cJSON_AddNumberToObject(t, "saving_alone_usd_per_month", m->saving_alone_usd_per_month);
    report_json_num_or_null(t, "saving_alone_pct", m->saving_alone_pct);
    cJSON *r = cJSON_AddObjectToObject(t, "with_reservation");
    cJSON_AddNumberToObject(r, "input_tpm", m->with_reservation_input_tpm);
    cJSON_AddNumberToObject(r, "output_tpm", m->with_reservation_output_tpm);
    cJSON_AddNumberToObject(r, "usd_per_month", m->with_reservation_usd_per_month);
    cJSON_AddNumberToObject(r, "saving_usd_per_month", m->saving_with_reservation_usd_per_month);
    report_json_num_or_null(r, "saving_pct", m->saving_with_reservation_pct);
}

/* The tier-mix what-if as text: the move, then the month without it, with it alone and with
 * it and the recommended reservation. */
static void rec_text_mix(strbuf *b, const tp_whatif_mix *m)
{
    char a[64], c[64], d[64];
    report_count(a, sizeof a, m->moved_to_flex_tokens);
    report_count(c, sizeof c, m->moved_to_batch_tokens);
    sb_printf(b, "\ntier-mix what-if: %g%% of default traffic to Flex, %g%% to Batch\n",
              m->move_to_flex_pct, m->move_to_batch_pct);
    sb_printf(b, "  moved: %s tokens to Flex, %s tokens to Batch\n", a, c);
    report_usd(a, sizeof a, m->baseline_usd_per_month);
    sb_printf(b, "  %-40s %14s/month\n", "no move, no reservation", a);
    report_usd(a, sizeof a, m->moved_usd_per_month);
    report_usd(c, sizeof c, m->saving_alone_usd_per_month);
    report_pct(d, sizeof d, m->saving_alone_pct);
    sb_printf(b, "  %-40s %14s/month, saving %s (%s)\n", "moved, no reservation", a, c, d);
    report_usd(a, sizeof a, m->with_reservation_usd_per_month);
    report_usd(c, sizeof c, m->saving_with_reservation_usd_per_month);
    report_pct(d, sizeof d, m->saving_with_reservation_pct);
    sb_printf(b, "  %-40s %14s/month, saving %s (%s)\n", "moved, with the recommended reservation",
              a, c, d);
    report_usd(a, sizeof a, m->batch_usd_per_month);
    sb_printf(b, "  (Batch at the catalog's batch prices: %s/month, in both moved lines; the\n"
                 "  candidates above price only the traffic left in the per-minute stream)\n",
              a);
}

static tp_status rec_json(const tp_rec_report *rep, const rec_keys *k, char **out, tp_error *err)
{
    report_json_start();
    cJSON *root = report_json_rec(rep);
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    /* after "model"; here, not in report_json_rec: the fleet's entry carries its own place */
    place_json_at(root, 1, tp_series_region(rep->series), tp_series_account(rep->series));
    rec_json_mix(root, k->mix);
    if (k->n > 0) { /* only then: a whole model's shape stays as it was */
        cJSON_AddStringToObject(root, "source", "logs");
        cJSON *keys = cJSON_AddArrayToObject(root, "keys");
        for (size_t i = 0; i < k->n; i++)
            report_json_push(keys, cJSON_CreateString(k->keys[i]));
    }
    return report_print_json(root, out, err);
}

/* Under a candidate's row when it throttles: what it drops and what that traffic is worth,
 * so that a cheap row is never read as a saving. */
static void rec_throttle_line(strbuf *b, const tp_sim_result *r)
{
    char m[NUMFMT_BUF], t[NUMFMT_BUF], v[NUMFMT_BUF];
    if (r->throttled_minutes == 0)
        return;
    numfmt_count(m, (double)r->throttled_minutes);
    numfmt_count(t, r->throttled_tokens);
    numfmt_usd(v, r->throttled_value_usd);
    sb_printf(b, "  THROTTLES %s minute%s, %s tokens (%s at Standard prices, not served)\n", m,
              r->throttled_minutes == 1 ? "" : "s", t, v);
}

static tp_status rec_text(const tp_rec_report *rep, const rec_keys *rk, char **out,
                          tp_error *err)
{
    const tp_series *s = rep->series;
    const tp_recommendation *rec = rep->rec;
    const tp_rec_options *o = rep->options;
    strbuf b = {0};
    char from[TP_TIME_BUF], to[TP_TIME_BUF], a[64], c[64], d[64];
    int64_t f = tp_series_from_minute(s);
    enc_text_in(&b, "model ", tp_series_model(s), "");
    place_text(&b, tp_series_region(s), tp_series_account(s));
    sb_puts(&b, "\n");
    report_count(a, sizeof a, (double)tp_series_minutes(s));
    sb_printf(&b, "window %s .. %s (%s minute%s); tiers from: %s\n",
              tp_timestamp_format(f * 60, from),
              tp_timestamp_format((f + (int64_t)tp_series_minutes(s)) * 60, to), a,
              tp_series_minutes(s) == 1 ? "" : "s", tp_series_family_name(tp_series_family(s)));
    if (rk->n > 0) {
        strbuf k = {0};
        char *keys = NULL;
        for (size_t i = 0; i < rk->n; i++)
            sb_printf(&k, "%s%s", i ? ", " : "", rk->keys[i]);
        sb_puts(&k, " (invocation logs)");
        if (sb_finish(&k, &keys, NULL) == TP_OK)
            render_wrapped(&b, "keys: ", keys);
        free(keys);
    }
    sb_printf(&b, "spill %s to %s", tp_simulate_spill_model_name(o->spill_model),
              tp_simulate_spill_to_name(o->spill_to));
    if (o->quota_tpm > 0) {
        report_fmt_tpm(a, sizeof a, o->quota_tpm);
        sb_printf(&b, ", quota %s TPM", a);
    }
    sb_printf(&b, "; term %d month%s (reserved price x %g)\n", rec->term_months,
              rec->term_months == 1 ? "" : "s", rec->term_discount);
    if (rep->scale != 1 || rep->cache_hit_delta != 0)
        sb_printf(&b, "what-if: demand x %g, cache-hit share %+g\n", rep->scale,
                  rep->cache_hit_delta);
    if (rk->mix != NULL)
        sb_printf(&b, "what-if: sized after moving %g%% of default traffic to Flex and %g%% to "
                      "Batch (below)\n",
                  rk->mix->move_to_flex_pct, rk->mix->move_to_batch_pct);
    sb_printf(&b, "\n%-13s %11s %11s %10s %13s %9s %7s %8s %7s\n", "candidate", "input TPM",
              "output TPM", "per hour", "per month", "savings", "util in", "util out",
              "spill");
    for (size_t k = 0; k < rec->n_candidates; k++) {
        const tp_candidate *x = &rec->candidates[k];
        char mark = k == rec->recommended ? '*' : ' ';
        report_fmt_tpm(a, sizeof a, x->input_tpm);
        report_fmt_tpm(c, sizeof c, x->output_tpm);
        sb_printf(&b, "%c%-12s %11s %11s", mark, tp_recommend_basis_name(x->basis), a, c);
        report_usd(a, sizeof a, x->cost_per_hour_usd);
        report_usd(c, sizeof c, x->cost_per_month_usd);
        report_pct(d, sizeof d, x->sim.savings_pct);
        sb_printf(&b, " %10s %13s %9s", a, c, d);
        report_pct(a, sizeof a, 100 * x->sim.utilization_input);
        report_pct(c, sizeof c, 100 * x->sim.utilization_output);
        report_pct(d, sizeof d, x->sim.spill_minutes_pct);
        sb_printf(&b, " %7s %8s %7s\n", a, c, d);
        rec_throttle_line(&b, &x->sim);
    }
    const tp_candidate *r = &rec->candidates[rec->recommended];
    report_fmt_tpm(a, sizeof a, r->input_tpm);
    report_fmt_tpm(c, sizeof c, r->output_tpm);
    sb_printf(&b, "\nrecommended (*): %s effective input TPM, %s output TPM\n", a, c);
    if (rec->tiered && !rep->price->reserved_offered) {
        /* the model id and the catalog's source, whole (never cut), wrapped to the page;
         * render_wrapped encodes them (untrusted) */
        strbuf line = {0};
        char *text = NULL;
        const tp_model_price *p = rep->price;
        sb_printf(&line, "Reserved tier not offered for %s", tp_series_model(s));
        if (p->reserved_offered_source[0] || p->reserved_offered_as_of[0])
            sb_printf(&line, " (%s%s%s%s)", p->reserved_offered_source,
                      p->reserved_offered_source[0] && p->reserved_offered_as_of[0] ? ", " : "",
                      p->reserved_offered_as_of[0] ? "as of " : "", p->reserved_offered_as_of);
        if (sb_finish(&line, &text, NULL) == TP_OK)
            render_wrapped(&b, "", text);
        free(text);
        if (rec->assumed_offered)
            sb_puts(&b, "ASSUMED OFFERED (--assume-offered): explored anyway\n");
    }
    if (rec->tiered) {
        char routes[64];
        tp_simulate_route_format(r->routed_tiers, routes, sizeof routes);
        sb_printf(&b, "routed tiers: %s\n", r->input_tpm == 0 && r->output_tpm == 0
                                                 ? "none (no reservation)" : routes);
        report_tiers_text(&b, r->routed_tiers, r->tier, r->sim.reserved_usd);
    }
    render_wrapped(&b, "reason: ", rec->reason);
    report_usd(a, sizeof a, r->cost_per_hour_usd);
    report_usd(c, sizeof c, r->cost_per_month_usd);
    report_usd(d, sizeof d, r->cost_per_term_usd);
    sb_printf(&b, "cost: %s/hour, %s/month, %s over the %d-month term\n", a, c, d,
              rec->term_months);
    report_usd(a, sizeof a, r->savings_per_month_usd);
    report_pct(c, sizeof c, r->sim.savings_pct);
    sb_printf(&b, "savings vs on-demand (each token at its tier's price): %s/month (%s)\n", a, c);
    report_pct(a, sizeof a, 100 * rec->break_even_utilization_input);
    report_pct(c, sizeof c, 100 * rec->break_even_utilization_output);
    sb_printf(&b, "break-even utilization: %s input, %s output\n", a, c);
    if (rk->mix != NULL)
        rec_text_mix(&b, rk->mix);
    report_prices_text(&b, rep->pricing, rep->price);
    if (rep->price->example_reserved)
        render_wrapped(&b, "note: ", report_example_note);
    if (report_series_coarse(s))
        render_wrapped(&b, "note: ", report_coarse_note);
    report_uncovered_text(&b, s);
    return sb_finish(&b, out, err);
}

static tp_status rec_csv(const tp_rec_report *rep, char **out, tp_error *err)
{
    const tp_recommendation *rec = rep->rec;
    strbuf b = {0};
    sb_puts(&b, "model,basis,recommended,input_tpm,output_tpm,reserved_usd,spill_usd,total_usd,"
                "baseline_usd,savings_usd,savings_pct,cost_per_hour_usd,cost_per_month_usd,"
                "cost_per_term_usd,utilization_input,utilization_output,spill_minutes,"
                "spill_minutes_pct,throttled_minutes,term_months,throttled_tokens,"
                "throttled_value_usd,served_value_usd,assumed_offered");
    report_csv_tiers_header(&b);
    sb_puts(&b, ",region,account\n");
    for (size_t k = 0; k < rec->n_candidates; k++) {
        const tp_candidate *x = &rec->candidates[k];
        const double v[] = {x->input_tpm,          x->output_tpm,
                            x->sim.reserved_usd,   x->sim.spill_usd,
                            x->sim.total_usd,      x->sim.baseline_usd,
                            x->sim.savings_usd,    x->sim.savings_pct,
                            x->cost_per_hour_usd,  x->cost_per_month_usd,
                            x->cost_per_term_usd,  x->sim.utilization_input,
                            x->sim.utilization_output, (double)x->sim.spill_minutes,
                            x->sim.spill_minutes_pct, (double)x->sim.throttled_minutes};
        enc_csv(&b, tp_series_model(rep->series));
        report_csv_word(&b, tp_recommend_basis_name(x->basis));
        report_csv_word(&b, k == rec->recommended ? "true" : "false");
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            render_csv_num(&b, v[i]);
        render_csv_num(&b, (double)rec->term_months);
        render_csv_num(&b, x->sim.throttled_tokens);
        render_csv_num(&b, x->sim.throttled_value_usd);
        render_csv_num(&b, x->sim.served_value_usd);
        /* --assume-offered marks every row, as the text and JSON say it */
        report_csv_word(&b, rec->assumed_offered ? "true" : "false");
        /* by tier where sized by tier (tp_recommend_tiers_run), else empty */
        report_csv_tiers(&b, x->input_tpm > 0 || x->output_tpm > 0 ? x->routed_tiers : 0,
                         rec->tiered ? x->tier : NULL);
        place_csv(&b, tp_series_region(rep->series), tp_series_account(rep->series));
        sb_puts(&b, "\n");
    }
    return sb_finish(&b, out, err);
}

tp_status tp_report_rec(const tp_rec_report *rep, tp_format fmt, char **out, tp_error *err)
{
    return tp_report_rec_keys(rep, NULL, 0, fmt, out, err);
}

tp_status tp_report_rec_keys(const tp_rec_report *rep, const char *const *keys, size_t n_keys,
                             tp_format fmt, char **out, tp_error *err)
{
    return tp_report_rec_mix(rep, keys, n_keys, NULL, fmt, out, err);
}

tp_status tp_report_rec_mix(const tp_rec_report *rep, const char *const *keys, size_t n_keys,
                            const tp_whatif_mix *mix, tp_format fmt, char **out, tp_error *err)
{
    const rec_keys k = {keys, n_keys, mix};
    *out = NULL;
    tp_status rc = report_check_rec(rep->rec, err);
    if (rc != TP_OK)
        return rc;
    switch (fmt) {
    case TP_FORMAT_TEXT: return rec_text(rep, &k, out, err);
    case TP_FORMAT_JSON: return rec_json(rep, &k, out, err);
    case TP_FORMAT_CSV: return rec_csv(rep, out, err);
    case TP_FORMAT_MARKDOWN: /* fleet reports only */
    case TP_FORMAT_HTML: break;
    }
    return report_unknown_format(fmt, err);
}
