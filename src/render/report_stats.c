/* report_stats.c - the stats report: what the stats layer computed, as text, JSON or CSV. */
#include "tierplan/report.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/cnum.h"
#include "render/report_internal.h"
#include "render/report_check.h"
#include "render/place.h"
#include "tierplan/stats.h"
#include "tierplan/timestamp.h"

static cJSON *summary_json(const tp_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "p25", s->p25_tpm);
    cJSON_AddNumberToObject(o, "p50", s->p50_tpm);
    cJSON_AddNumberToObject(o, "p90", s->p90_tpm);
    cJSON_AddNumberToObject(o, "p99", s->p99_tpm);
    cJSON_AddNumberToObject(o, "max", s->max_tpm);
    cJSON_AddNumberToObject(o, "mean", s->mean_tpm);
    return o;
}

cJSON *report_json_stats_model(const tp_model_stats *ms)
{
    const tp_series *s = ms->series;
    cJSON *m = cJSON_CreateObject();
    if (m == NULL)
        return NULL;
    cJSON_AddStringToObject(m, "model", tp_series_model(s));
    report_json_series_window(m, s);
    cJSON_AddStringToObject(m, "tier_family", tp_series_family_name(tp_series_family(s)));
    cJSON *res = cJSON_AddObjectToObject(m, "resolution");
    cJSON *used = cJSON_AddObjectToObject(m, "series_used");
    cJSON *tpm = cJSON_AddObjectToObject(m, "tpm");
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        cJSON *arr = cJSON_AddArrayToObject(res, tp_metric_key(k));
        size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            size_t minutes;
            tp_series_resolution(s, k, r, &period, &minutes);
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "period_s", period);
            cJSON_AddNumberToObject(e, "minutes", (double)minutes);
            report_json_push(arr, e);
        }
        cJSON_AddStringToObject(used, tp_metric_key(k), tp_series_sources(s, k));
        report_json_put(tpm, tp_metric_key(k), summary_json(&ms->tpm[k]));
    }
    report_json_put(tpm, "effective_input", summary_json(&ms->effective_input));
    cJSON *bd = cJSON_AddObjectToObject(m, "burn_down");
    cJSON_AddNumberToObject(bd, "cache_read", ms->burn_down_cache_read);
    cJSON_AddNumberToObject(bd, "cache_write", ms->burn_down_cache_write);
    cJSON_AddStringToObject(bd, "from", ms->factors_from);
    cJSON_AddStringToObject(bd, "cache_read_from", ms->cache_read_from);
    cJSON_AddStringToObject(bd, "cache_write_from", ms->cache_write_from);
    cJSON *notes = cJSON_AddArrayToObject(m, "notes");
    if (ms->coarse)
        report_json_push(notes, cJSON_CreateString(report_coarse_note));
    return m;
}

/* by_service_tier / by_resolved_tier: per tier with traffic, its percentiles as in tpm;
 * null along an axis the model's dimension family does not tell. */
static void tiers_json(cJSON *m, const tp_stats_tiers *t)
{
    const char *const key[2] = {"by_service_tier", "by_resolved_tier"};
    for (int a = 0; a < 2; a++) {
        const tp_stats_tier_axis *x = &t->axis[a];
        if (!x->known) {
            cJSON_AddNullToObject(m, key[a]);
            continue;
        }
        cJSON *o = cJSON_AddObjectToObject(m, key[a]);
        for (int k = 0; k < TP_SERVICE_COUNT; k++) {
            if (!x->present[k])
                continue;
            cJSON *tier = cJSON_CreateObject();
            for (int j = 0; j < TP_METRIC_COUNT; j++)
                report_json_put(tier, tp_metric_key(j), summary_json(&x->tpm[k][j]));
            report_json_put(o, tp_series_tier_name((tp_service_tier)k), tier);
        }
    }
}

/* Under the stats table, the demand per tier asked for and per tier served (where the
 * family tells them), input and output: 15 + 6 x 13 = 93 columns, as the table. */
static void tiers_text(strbuf *b, const tp_stats_tiers *t)
{
    sb_printf(b, "tiers from: %s", tp_series_family_name(t->family));
    if (t->family == TP_FAMILY_TOTAL) {
        sb_puts(b, " (the series tell no service tier)\n");
        return;
    }
    sb_printf(b, "\n%-15s %12s %12s %12s %12s %12s %12s\n", "TPM by tier", "in p50", "in p99",
              "in max", "out p50", "out p99", "out max");
    const char *const axis[2] = {"asked", "served"};
    for (int a = 0; a < 2; a++)
        for (int k = 0; t->axis[a].known && k < TP_SERVICE_COUNT; k++) {
            const tp_summary *in = &t->axis[a].tpm[k][TP_METRIC_INPUT];
            const tp_summary *out = &t->axis[a].tpm[k][TP_METRIC_OUTPUT];
            const double v[6] = {in->p50_tpm,  in->p99_tpm,  in->max_tpm,
                                 out->p50_tpm, out->p99_tpm, out->max_tpm};
            char label[32];
            if (!t->axis[a].present[k])
                continue;
            snprintf(label, sizeof label, "%s %s", axis[a],
                     tp_series_tier_name((tp_service_tier)k));
            sb_printf(b, "%-15s", label);
            for (int j = 0; j < 6; j++) {
                char num[NUMFMT_BUF];
                report_fmt_tpm(num, sizeof num, v[j]);
                sb_printf(b, " %12s", num);
            }
            sb_puts(b, "\n");
        }
}

/* The attribution keys asked for, and so the source: only when keys were given (the shape of
 * a whole model's stats stays as it was). */
static void keys_json(cJSON *m, const tp_stats_request *req)
{
    if (req->n_keys == 0)
        return;
    cJSON_AddStringToObject(m, "source", "logs");
    cJSON *a = cJSON_AddArrayToObject(m, "keys");
    for (size_t i = 0; i < req->n_keys; i++)
        report_json_push(a, cJSON_CreateString(req->keys[i]));
}

static void keys_text(strbuf *b, const tp_stats_request *req)
{
    strbuf k = {0};
    char *text = NULL;
    if (req->n_keys == 0)
        return;
    for (size_t i = 0; i < req->n_keys; i++)
        sb_printf(&k, "%s%s", i ? ", " : "", req->keys[i]);
    sb_puts(&k, " (invocation logs)");
    if (sb_finish(&k, &text, NULL) == TP_OK)
        render_wrapped(b, "keys: ", text);
    free(text);
}

static tp_status stats_json(const tp_stats_request *req, const tp_model_stats *ms,
                             const tp_stats_tiers *tiers, size_t n,
                             const tp_stats_omitted *omitted, size_t n_omitted, char **out,
                             tp_error *err)
{
    tp_status rc = TP_OK;
    report_json_start();
    cJSON *root = cJSON_CreateObject(), *models = cJSON_AddArrayToObject(root, "models");
    if (root == NULL || models == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        cJSON *m = report_json_stats_model(&ms[i]);
        if (m == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        /* beside "model" (not in report_json_stats_model: the fleet's entry has its own) */
        place_json_at(m, 1, tp_series_region(ms[i].series), tp_series_account(ms[i].series));
        if (tiers != NULL)
            tiers_json(m, &tiers[i]);
        keys_json(m, req);
        report_json_push(models, m);
    }
    /* a model whose window is over the limit is listed with why; one without data is not */
    cJSON *sk = NULL;
    for (size_t i = 0; i < n_omitted; i++) {
        if (omitted[i].status != TP_ERR_TOO_BIG)
            continue;
        if (sk == NULL)
            sk = cJSON_AddArrayToObject(root, "skipped");
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "model", omitted[i].model);
        place_json(e, omitted[i].region, omitted[i].account);
        cJSON_AddStringToObject(e, "reason", omitted[i].reason);
        report_json_push(sk, e);
    }
    return report_print_json(root, out, err);
cleanup:
    cJSON_Delete(root);
    return rc;
}

/* One row of the stats table: a label and six figures. */
static void stats_row(strbuf *b, const char *label, const tp_summary *t)
{
    const double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm, t->mean_tpm};
    sb_printf(b, "%-15s", label);
    for (int j = 0; j < 6; j++) {
        char num[NUMFMT_BUF];
        report_fmt_tpm(num, sizeof num, v[j]);
        sb_printf(b, " %12s", num);
    }
    sb_puts(b, "\n");
}

/* Which stored series made up each metric, at which resolutions, one line per metric. */
static void stats_sources(strbuf *b, const tp_series *s)
{
    sb_puts(b, "series used:\n");
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        strbuf line = {0};
        char prefix[24], *text = NULL;
        snprintf(prefix, sizeof prefix, "  %-13s ", tp_metric_key(k));
        sb_puts(&line, tp_series_sources(s, k)); /* render_wrapped encodes it */
        size_t nr = tp_series_resolution(s, k, 0, NULL, NULL);
        for (size_t r = 0; r < nr; r++) {
            int period;
            size_t mins;
            char n[NUMFMT_BUF];
            tp_series_resolution(s, k, r, &period, &mins);
            numfmt_count(n, (double)mins);
            sb_printf(&line, "%s%ds x %s min", r ? ", " : "; ", period, n);
        }
        if (sb_finish(&line, &text, NULL) == TP_OK)
            render_wrapped(b, prefix, text);
        else
            b->failed = 1; /* the report's sb_finish says so */
        free(text);
    }
}

/* The stats table fits 100 columns: 15 + 6 x 13 = 93; what made each row follows below it. */
static tp_status stats_text(const tp_stats_request *req, const tp_model_stats *ms,
                             const tp_stats_tiers *tiers, size_t n,
                             const tp_stats_omitted *omitted, size_t n_omitted, const char *tail,
                             char **out, tp_error *err)
{
    strbuf b = {0};
    if (n == 0)
        sb_puts(&b, "no data yet; see tierplan export-cmd and tierplan ingest\n");
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF], a[NUMFMT_BUF], c[NUMFMT_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        if (i > 0)
            sb_puts(&b, "\n");
        enc_text_in(&b, "model ", tp_series_model(s), "");
        place_text(&b, tp_series_region(s), tp_series_account(s));
        sb_puts(&b, "\n");
        numfmt_count(a, (double)minutes);
        numfmt_count(c, (double)tp_series_minutes_with_data(s));
        sb_printf(
            &b, "window %s .. %s (%s minute%s, %s with data)\n", tp_timestamp_format(f * 60, from),
            tp_timestamp_format((f + (int64_t)minutes) * 60, to), a, minutes == 1 ? "" : "s", c);
        keys_text(&b, req);
        sb_printf(&b, "%-15s %12s %12s %12s %12s %12s %12s\n", "TPM", "p25", "p50", "p90", "p99",
                  "max", "mean");
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            stats_row(&b, tp_metric_key(k), &ms[i].tpm[k]);
        stats_row(&b, "effective_input", &ms[i].effective_input);
        if (tiers != NULL)
            tiers_text(&b, &tiers[i]);
        stats_sources(&b, s);
        cnum_format(a, sizeof a, ms[i].burn_down_cache_read);
        cnum_format(c, sizeof c, ms[i].burn_down_cache_write);
        sb_printf(&b, "effective_input = input + %s x cache_write + %s x cache_read\n", c, a);
        enc_text_in(&b, "  (", ms[i].factors_from, ")\n");
        if (ms[i].coarse)
            render_wrapped(&b, "note: ", report_coarse_note);
        report_uncovered_text(&b, s);
    }
    for (size_t i = 0; i < n_omitted; i++) {
        if (omitted[i].status != TP_ERR_TOO_BIG)
            continue;
        enc_text_in(&b, "\nmodel ", omitted[i].model, "");
        place_text(&b, omitted[i].region, omitted[i].account);
        sb_puts(&b, ": skipped\n");
        render_wrapped(&b, "  ", omitted[i].reason);
    }
    sb_puts(&b, tail);
    return sb_finish(&b, out, err);
}

static tp_status stats_csv(const tp_model_stats *ms, size_t n, char **out, tp_error *err)
{
    strbuf b = {0};
    sb_puts(&b, "model,metric,from,to,minutes,minutes_with_data,p25_tpm,p50_tpm,p90_tpm,"
                "p99_tpm,max_tpm,mean_tpm,tier_family,region,account\n");
    for (size_t i = 0; i < n; i++) {
        const tp_series *s = ms[i].series;
        char from[TP_TIME_BUF], to[TP_TIME_BUF];
        int64_t f = tp_series_from_minute(s);
        size_t minutes = tp_series_minutes(s);
        tp_timestamp_format(f * 60, from);
        tp_timestamp_format((f + (int64_t)minutes) * 60, to);
        for (int k = 0; k <= TP_METRIC_COUNT; k++) {
            const tp_summary *t = k < TP_METRIC_COUNT ? &ms[i].tpm[k] : &ms[i].effective_input;
            double v[6] = {t->p25_tpm, t->p50_tpm, t->p90_tpm, t->p99_tpm, t->max_tpm,
                           t->mean_tpm};
            enc_csv(&b, tp_series_model(s));
            report_csv_word(&b, k < TP_METRIC_COUNT ? tp_metric_key(k) : "effective_input");
            report_csv_word(&b, from);
            report_csv_word(&b, to);
            render_csv_num(&b, (double)minutes);
            render_csv_num(&b, (double)tp_series_minutes_with_data(s));
            for (int j = 0; j < 6; j++)
                render_csv_num(&b, v[j]);
            report_csv_word(&b, tp_series_family_name(tp_series_family(s)));
            place_csv(&b, tp_series_region(s), tp_series_account(s));
            sb_puts(&b, "\n");
        }
    }
    return sb_finish(&b, out, err);
}

/* Under the text, for each model with both metric exports and invocation logs (of every
 * key), the logs/metrics token ratio over the minutes both cover (tp_stats_sources). */
static tp_status stats_ratios(const tp_stats_report *r, char **out, tp_error *err)
{
    strbuf b = {0};
    for (size_t i = 0; i < r->n; i++) {
        const tp_stats_sources *c = &r->sources[i];
        char l[NUMFMT_BUF], m[NUMFMT_BUF], x[NUMFMT_BUF], text[512];
        if (!c->both)
            continue;
        numfmt_count(l, c->logs_tokens);
        numfmt_count(m, c->metric_tokens);
        numfmt_fixed(x, c->logs_per_metric, 3);
        const tp_series *s = r->models[i].series;
        snprintf(text, sizeof text,
                 "%s (region %s, account %s): invocation logs hold %s x the tokens of the "
                 "metric exports (%s / %s tokens)",
                 tp_series_model(s), tp_store_place_name(tp_series_region(s)),
                 tp_store_place_name(tp_series_account(s)), x, l, m);
        render_wrapped(&b, "", text);
    }
    return sb_finish(&b, out, err);
}

/* One renderer per format; a new format is a new case (the compiler names a switch that
 * lacks one). */
static tp_status stats_render(const tp_stats_request *req, const tp_stats_report *r,
                              tp_format fmt, char **out, tp_error *err)
{
    char *tail = NULL;
    tp_status rc;
    switch (fmt) {
    case TP_FORMAT_TEXT:
        if ((rc = stats_ratios(r, &tail, err)) == TP_OK)
            rc = stats_text(req, r->models, r->tiers, r->n, r->omitted, r->n_omitted, tail, out,
                            err);
        free(tail);
        return rc;
    case TP_FORMAT_JSON:
        return stats_json(req, r->models, r->tiers, r->n, r->omitted, r->n_omitted, out, err);
    case TP_FORMAT_CSV: return stats_csv(r->models, r->n, out, err);
    case TP_FORMAT_MARKDOWN: /* fleet reports only */
    case TP_FORMAT_HTML: break;
    }
    return report_unknown_format(fmt, err);
}

tp_status tp_report_stats(const tp_stats_request *req, const tp_stats_report *r, tp_format fmt,
                          char **out, tp_error *err)
{
    const tp_model_stats *ms = r->models;
    tp_status rc;
    *out = NULL;
    for (size_t i = 0; i < r->n; i++)
        for (int k = 0; k <= TP_METRIC_COUNT; k++) /* k == TP_METRIC_COUNT: effective input */
            if ((rc = report_check_summary(
                     k < TP_METRIC_COUNT ? &ms[i].tpm[k] : &ms[i].effective_input,
                     tp_series_model(ms[i].series),
                     k < TP_METRIC_COUNT ? tp_metric_key(k) : "effective_input", err)) != TP_OK)
                return rc;
    return stats_render(req, r, fmt, out, err);
}
