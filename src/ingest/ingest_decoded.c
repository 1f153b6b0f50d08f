/* ingest_decoded.c - the decoded input of ingest_internal.h (groups of points, pages,
 * warnings) and the checks both decoders share: periods, values. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "base/util.h"

int ingest_period_valid(double period_s)
{
    return period_s >= 60 && period_s <= 86400 && fmod(period_s, 60) == 0;
}

/* 1e11 s is the year 5138 and 1e11 ms is 1973: no CloudWatch datapoint is either, so the
 * size of the number tells the unit. */
int ingest_epoch_number(double v, int64_t *out_s)
{
    const double last_s = 253402300740.0; /* 9999-12-31T23:59:00Z */
    if (!isfinite(v) || v < 0)
        return 1;
    const int ms = v >= 1e11;
    if (ms ? v > last_s * 1000 : v > last_s)
        return 1;
    /* fmod is exact, so 1794137040.5 s or 1794137040500 ms is caught, not truncated */
    if (fmod(v, ms ? 60000.0 : 60.0) != 0)
        return 2;
    *out_s = (int64_t)(ms ? v / 1000 : v);
    return 0;
}

const char *ingest_value_problem(double v)
{
    if (!isfinite(v))
        return "not a finite number";
    return v < 0 ? "negative" : NULL;
}

const char *ingest_text_problem(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        const unsigned c = s[i];
        if (c < 0x20 || c == 0x7f)
            return "a control character";
        if (c < 0x80) {
            i++;
            continue;
        }
        /* the length of the sequence, and the range of its second byte that rules out
         * overlong forms, surrogates and code points past U+10FFFF (RFC 3629) */
        size_t n;
        unsigned lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            n = 2;
        else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else
            return "invalid UTF-8";
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
            return "invalid UTF-8";
        for (size_t k = 2; k < n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return "invalid UTF-8";
        if (c == 0xc2 && s[i + 1] < 0xa0)
            return "a control character"; /* C1 controls U+0080..U+009F */
        i += n;
    }
    return NULL;
}

void ingest_group_deinit(ingest_group *g)
{
    free(g->model);
    if (!g->packed) {
        free(g->metric);
        free(g->service_tier);
        free(g->resolved_tier);
        free(g->region);
        free(g->account);
        free(g->where);
    }
    free(g->pts);
    memset(g, 0, sizeof *g);
}

void ingest_result_deinit(ingest_result *r)
{
    free(r->key);
    free(r->where);
    free(r->status);
    memset(r, 0, sizeof *r);
}

void ingest_page_deinit(ingest_page *pg)
{
    free(pg->where);
    for (size_t i = 0; i < pg->n_res; i++)
        ingest_result_deinit(&pg->res[i]);
    free(pg->res);
    memset(pg, 0, sizeof *pg);
}

void ingest_decoded_deinit(ingest_decoded *dec)
{
    for (size_t i = 0; i < dec->n_groups; i++)
        ingest_group_deinit(&dec->groups[i]);
    for (size_t i = 0; i < dec->n_empties; i++)
        ingest_group_deinit(&dec->empties[i]);
    free(dec->empties);
    for (size_t i = 0; i < dec->n_pages; i++)
        ingest_page_deinit(&dec->pages[i]);
    tp_strv_free(dec->warnings, dec->n_warnings);
    for (size_t i = 0; i < dec->n_log_rows; i++)
        free(dec->log_rows[i].model);
    free(dec->log_rows);
    free(dec->groups);
    free(dec->pages);
    memset(dec, 0, sizeof *dec);
}

int ingest_group_push(ingest_group *g, int64_t ts_s, double value, uint32_t loc)
{
    if (g->n == g->cap) {
        /* from 2, not UTIL_GROW's 16: a CSV of many series holds many groups of one point */
        size_t ncap = g->cap ? g->cap * 2 : 2;
        ingest_point *np = ncap > SIZE_MAX / sizeof *np ? NULL : realloc(g->pts, ncap * sizeof *np);
        if (np == NULL)
            return -1;
        g->pts = np;
        g->cap = ncap;
    }
    g->pts[g->n++] = (ingest_point){ts_s, value, loc};
    return 0;
}

tp_status ingest_take_group(ingest_decoded *dec, ingest_group *g, tp_error *err)
{
    if (g->n == 0) {
        /* no datapoint: kept apart for its span when it has a key and may have a span */
        if (g->model == NULL || g->metric == NULL) {
            ingest_group_deinit(g);
            return TP_OK;
        }
        if (UTIL_GROW(dec->empties, dec->cap_empties, dec->n_empties + 1) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        free(g->pts);
        g->pts = NULL;
        g->cap = 0;
        dec->empties[dec->n_empties++] = *g;
        memset(g, 0, sizeof *g);
        return TP_OK;
    }
    if (UTIL_GROW(dec->groups, dec->cap_groups, dec->n_groups + 1) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    dec->groups[dec->n_groups++] = *g;
    memset(g, 0, sizeof *g);
    return TP_OK;
}

void ingest_warn(ingest_decoded *dec, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (UTIL_GROW(dec->warnings, dec->cap_warnings, dec->n_warnings + 1) != 0)
        return;
    if ((dec->warnings[dec->n_warnings] = strdup(msg)) != NULL)
        dec->n_warnings++;
}

tp_status ingest_place_check(const tp_ingest_options *opts, const ingest_decoded *dec,
                             const char *where, const char *what, const char *value,
                             const char **out, tp_error *err)
{
    return ingest_place_check_in(opts, dec, where, what, value, NULL, NULL, out, err);
}

tp_status ingest_place_check_in(const tp_ingest_options *opts, const ingest_decoded *dec,
                                const char *where, const char *what, const char *value,
                                const char *in, const char *forced_by, const char **out,
                                tp_error *err)
{
    const int is_region = strcmp(what, "region") == 0;
    const char *forced = is_region ? opts->region : opts->account;
    const char *word = is_region ? "Region" : "Account";
    if (value == NULL || value[0] == '\0') {
        *out = forced != NULL ? forced : "";
        return TP_OK;
    }
    if (!(is_region ? tp_store_region_valid(value) : tp_store_account_valid(value)))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: %s \"%.64s\" is not %s: nothing stored",
                            dec->name, where, what, value,
                            is_region ? "a region name (us-east-1, eu-central-2, "
                                        "us-gov-west-1 ...)"
                                      : "an AWS account id (12 digits)");
    if (forced != NULL && strcmp(forced, value) != 0) {
        /* each value named by where it came from: a label's Region=, a CSV column, a log
         * record; the option, or the S3 path the logs were read from */
        char got[128], against[128];
        if (in == NULL)
            snprintf(got, sizeof got, "%s=%s", word, value);
        else if (strcmp(in, "column") == 0)
            snprintf(got, sizeof got, "%s %s (its %s column)", what, value, what);
        else
            snprintf(got, sizeof got, "the record's %s %s", what, value);
        if (forced_by != NULL) {
            snprintf(against, sizeof against, "the %s %s %s names", what, forced, forced_by);
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s: %s disagrees with %s: nothing "
                                "stored", dec->name, where, got, against);
        }
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  is_region ? "%s: %s: %s disagrees with {region} %s: nothing "
                                              "stored"
                                            : "%s: %s: %s disagrees with {account} %s: "
                                              "nothing stored",
                                  dec->name, where, got, forced);
    }
    *out = value;
    return TP_OK;
}

tp_status ingest_place_resolve(const tp_ingest_options *opts, const ingest_decoded *dec,
                               const char *where, const char *what, char **value,
                               tp_error *err)
{
    const char *got = NULL;
    tp_status rc = ingest_place_check(opts, dec, where, what, *value, &got, err);
    if (rc != TP_OK || got == *value)
        return rc;
    char *copy = strdup(got);
    if (copy == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    free(*value);
    *value = copy;
    return TP_OK;
}
