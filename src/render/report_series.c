/* report_series.c - the series listing (tierplan series) as text, JSON and CSV. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/place.h"
#include "render/render.h"
#include "render/report_internal.h"
#include "tierplan/report.h"
#include "tierplan/inventory.h"
#include "tierplan/timestamp.h"

/* "total", the resolved tier, or "service/resolved" when the series names a service tier. */
static void tier_text(const tp_series_entry *e, char *buf, size_t size)
{
    if (e->service_tier[0] != '\0')
        snprintf(buf, size, "%s/%s", e->service_tier,
                 e->resolved_tier[0] != '\0' ? e->resolved_tier : "-");
    else
        snprintf(buf, size, "%s", e->resolved_tier[0] != '\0' ? e->resolved_tier : "total");
}

/* "2026-10-07 00:02": a minute, short enough for two in a table row. */
static void short_minute(int64_t minute, char out[TP_TIME_BUF])
{
    tp_timestamp_format(minute * 60, out);
    out[10] = ' ';
    out[16] = '\0';
}

static void periods_text(const tp_series_entry *e, char *buf, size_t size, const char *sep)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < e->n_periods && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%d", i ? sep : "", e->periods_s[i]);
}

static void text_entry(strbuf *b, const tp_series_entry *e)
{
    char tier[128], per[64], a[TP_TIME_BUF], z[TP_TIME_BUF], n[NUMFMT_BUF],
        c[NUMFMT_BUF];
    tier_text(e, tier, sizeof tier);
    periods_text(e, per, sizeof per, ",");
    strcat(per, " s");
    short_minute(e->first_minute, a);
    short_minute(e->end_minute - 1, z);
    numfmt_count(n, (double)e->minutes_with_data);
    if (e->coverage_known)
        numfmt_pct(c, e->coverage * 100);
    else
        snprintf(c, sizeof c, "unknown");
    sb_puts(b, "  ");
    enc_text_pad(b, e->metric, 25);
    sb_puts(b, " ");
    enc_text_pad(b, tier, 8);
    sb_printf(b, " %-8s %s .. %s %8s %7s\n", per, a, z, n, c);
    for (size_t g = 0; g < e->n_gaps && g < TP_INVENTORY_TEXT_GAPS; g++) {
        char h[NUMFMT_BUF];
        numfmt_fixed(h, (double)(e->gaps[g].to_minute - e->gaps[g].from_minute) / 60.0, 1);
        short_minute(e->gaps[g].from_minute, a);
        short_minute(e->gaps[g].to_minute, z);
        sb_printf(b, "    uncovered %s .. %s (%s h)\n", a, z, h);
    }
    if (e->n_gaps > TP_INVENTORY_TEXT_GAPS)
        sb_printf(b, "    ... and %zu more uncovered span%s (--format json lists them all)\n",
                  e->n_gaps - TP_INVENTORY_TEXT_GAPS,
                  e->n_gaps - TP_INVENTORY_TEXT_GAPS == 1 ? "" : "s");
}

static tp_status series_text(const tp_inventory *inv, char **out, tp_error *err)
{
    strbuf b = {0};
    if (inv->n == 0)
        sb_puts(&b, "no series stored; see tierplan export-cmd and tierplan ingest\n");
    for (size_t i = 0; i < inv->n; i++) {
        const tp_series_entry *e = &inv->entries[i];
        const tp_series_entry *prev = i > 0 ? &inv->entries[i - 1] : NULL;
        /* a heading per model and place: each place's coverage is its own */
        if (prev == NULL || strcmp(e->model, prev->model) != 0 ||
            strcmp(e->region, prev->region) != 0 || strcmp(e->account, prev->account) != 0) {
            enc_text_in(&b, i ? "\nmodel " : "model ", e->model, "");
            place_text(&b, e->region, e->account);
            sb_puts(&b, "\n");
            sb_printf(&b, "  %-25s %-8s %-8s %-36s %8s %7s\n", "metric", "tier", "periods",
                      "first .. last minute (UTC)", "minutes", "covered");
        }
        text_entry(&b, e);
    }
    if (inv->n > 0) {
        sb_puts(&b, "\n");
        render_wrapped(&b, "",
                       "minutes: minutes with a datapoint (CloudWatch omits idle minutes). "
                       "covered: share of first .. last inside the span of some ingested "
                       "export (its Start= and End=, or ingest --span-from/--span-to); "
                       "unknown: no export of the series recorded its span. Uncovered spans "
                       "of an hour or more are listed.");
    }
    return sb_finish(&b, out, err);
}

static tp_status series_json(const tp_inventory *inv, char **out, tp_error *err)
{
    char a[TP_TIME_BUF];
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "series");
    for (size_t i = 0; i < inv->n; i++) {
        const tp_series_entry *e = &inv->entries[i];
        cJSON *o = cJSON_CreateObject();
        o = report_json_push(arr, o);
        cJSON_AddStringToObject(o, "model", e->model);
        place_json(o, e->region, e->account);
        cJSON_AddStringToObject(o, "metric", e->metric);
        cJSON_AddStringToObject(o, "service_tier", e->service_tier);
        cJSON_AddStringToObject(o, "resolved_tier", e->resolved_tier);
        cJSON *p = cJSON_AddArrayToObject(o, "periods_s");
        for (size_t k = 0; k < e->n_periods; k++)
            report_json_push(p, cJSON_CreateNumber(e->periods_s[k]));
        cJSON_AddStringToObject(o, "first_minute", tp_timestamp_format(e->first_minute * 60, a));
        cJSON_AddStringToObject(o, "last_minute", tp_timestamp_format((e->end_minute - 1) * 60, a));
        cJSON_AddNumberToObject(o, "minutes_with_data", (double)e->minutes_with_data);
        cJSON_AddBoolToObject(o, "coverage_known", e->coverage_known != 0);
        report_json_num_or_null(o, "coverage_pct", e->coverage_known ? e->coverage * 100 : NAN);
        cJSON *g = cJSON_AddArrayToObject(o, "uncovered");
        for (size_t k = 0; k < e->n_gaps; k++) {
            cJSON *x = cJSON_CreateObject();
            x = report_json_push(g, x);
            cJSON_AddStringToObject(x, "from", tp_timestamp_format(e->gaps[k].from_minute * 60, a));
            cJSON_AddStringToObject(x, "to", tp_timestamp_format(e->gaps[k].to_minute * 60, a));
            cJSON_AddNumberToObject(x, "minutes",
                                    (double)(e->gaps[k].to_minute - e->gaps[k].from_minute));
        }
    }
    *out = report_json_lost() ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    return *out != NULL ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}

static tp_status series_csv(const tp_inventory *inv, char **out, tp_error *err)
{
    strbuf b = {0};
    char a[TP_TIME_BUF], z[TP_TIME_BUF], per[64];
    sb_puts(&b, "model,metric,service_tier,resolved_tier,periods_s,first_minute,last_minute,"
                "minutes_with_data,coverage_pct,uncovered,region,account\n");
    for (size_t i = 0; i < inv->n; i++) {
        const tp_series_entry *e = &inv->entries[i];
        enc_csv(&b, e->model);
        sb_puts(&b, ",");
        enc_csv(&b, e->metric);
        sb_puts(&b, ",");
        enc_csv(&b, e->service_tier);
        sb_puts(&b, ",");
        enc_csv(&b, e->resolved_tier);
        periods_text(e, per, sizeof per, ";");
        report_csv_word(&b, per);
        report_csv_word(&b, tp_timestamp_format(e->first_minute * 60, a));
        report_csv_word(&b, tp_timestamp_format((e->end_minute - 1) * 60, a));
        render_csv_num(&b, (double)e->minutes_with_data);
        render_csv_num(&b, e->coverage_known ? e->coverage * 100 : NAN);
        /* the uncovered spans in one quoted field, FROM/TO;FROM/TO (timestamps hold no
         * quote or comma) */
        sb_puts(&b, ",\"");
        for (size_t k = 0; k < e->n_gaps; k++)
            sb_printf(&b, "%s%s/%s", k ? ";" : "",
                      tp_timestamp_format(e->gaps[k].from_minute * 60, a),
                      tp_timestamp_format(e->gaps[k].to_minute * 60, z));
        sb_puts(&b, "\"");
        place_csv(&b, e->region, e->account);
        sb_puts(&b, "\n");
    }
    return sb_finish(&b, out, err);
}

tp_status tp_report_series(const tp_inventory *inv, tp_format fmt, char **out, tp_error *err)
{
    *out = NULL;
    switch (fmt) {
    case TP_FORMAT_TEXT: return series_text(inv, out, err);
    case TP_FORMAT_JSON: return series_json(inv, out, err);
    case TP_FORMAT_CSV: return series_csv(inv, out, err);
    default: return report_unknown_format(fmt, err);
    }
}
