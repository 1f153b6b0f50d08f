/* series_describe.c - what a loaded series tells its readers (the accessors) and the words of series.c's "no data" errors: what the store holds instead of a
 * model, and the window a query asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "series/series_internal.h"
#include "store/store_rows.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

int64_t series_newest_minute(const tp_series *s)
{
    int64_t newest = -1;
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        const double *v = s->values[k];
        size_t i = s->minutes;
        while (v != NULL && i > 0 && v[i - 1] == 0)
            i--;
        if (v != NULL && i > 0 && (int64_t)(i - 1) > newest)
            newest = (int64_t)(i - 1);
    }
    return newest < 0 ? -1 : s->from_minute + newest;
}

void series_release_values(tp_series *s, tp_store *st)
{
    for (int k = 0; k < TP_METRIC_COUNT; k++) {
        if (st != NULL)
            store_buffer_give(st, s->values[k], (s->minutes ? s->minutes : 1) * sizeof(double));
        else
            free(s->values[k]);
        s->values[k] = NULL;
    }
    series_free_parts(s); /* the parts alias values[] or are the series' own */
}

/* Appends what the store holds instead of the model: the ids that differ from it only by a
 * cross-region prefix ("did you mean"), then every stored model (the first 20). */
tp_status series_suggest_models(tp_store *st, const char *model, strbuf *b, tp_error *err)
{
    char **models = NULL;
    size_t n = 0;
    tp_status rc = tp_store_models(st, &models, &n, err);
    if (rc != TP_OK)
        return rc;
    const char *sep = "; did you mean ";
    for (size_t i = 0; i < n; i++)
        if (strcmp(models[i], model) != 0 &&
            strcmp(util_strip_region(models[i]), util_strip_region(model)) == 0) {
            sb_printf(b, "%s%s", sep, models[i]);
            sep = " or ";
        }
    const char *list = sep[0] == ' ' ? "? models in the store: " : "; models in the store: ";
    if (n == 0)
        sb_puts(b, "; the database holds no data yet (tierplan ingest loads some)");
    for (size_t i = 0; i < n && i < 20; i++)
        sb_printf(b, "%s%s", i == 0 ? list : ", ", models[i]);
    if (n > 20)
        sb_printf(b, " and %zu more", n - 20);
    tp_strv_free(models, n);
    return TP_OK;
}

/* Appends the window the query asked for: " in the window A .. B", " from A on", " before B". */
void series_describe_window(strbuf *b, const tp_series_query *q)
{
    char a[TP_TIME_BUF], z[TP_TIME_BUF];
    if (q->has_from && q->has_to)
        sb_printf(b, " in the window %s .. %s", tp_timestamp_format(q->from_minute * 60, a),
                  tp_timestamp_format(q->to_minute * 60, z));
    else if (q->has_from)
        sb_printf(b, " from %s on", tp_timestamp_format(q->from_minute * 60, a));
    else if (q->has_to)
        sb_printf(b, " before %s", tp_timestamp_format(q->to_minute * 60, z));
}

const int64_t *tp_series_ingests(const tp_series *s, size_t *n)
{
    *n = s->n_ingests;
    return s->ingests;
}

const char *tp_series_model(const tp_series *s) { return s->model; }
int64_t tp_series_from_minute(const tp_series *s) { return s->from_minute; }
size_t tp_series_minutes(const tp_series *s) { return s->minutes; }
size_t tp_series_minutes_with_data(const tp_series *s) { return s->minutes_with_data; }

int64_t tp_series_uncovered(const tp_series *s, const tp_window **spans, size_t *n_spans)
{
    if (spans != NULL)
        *spans = s->uncovered;
    if (n_spans != NULL)
        *n_spans = s->n_uncovered;
    return s->uncovered_minutes;
}

size_t tp_series_log_minutes(const tp_series *s) { return s->log_minutes; }

const double *tp_series_values(const tp_series *s, tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT ? s->values[m] : NULL;
}

const char *tp_series_sources(const tp_series *s, tp_metric m)
{
    return (unsigned)m < TP_METRIC_COUNT && s->sources[m] != NULL ? s->sources[m] : "";
}

size_t tp_series_resolution(const tp_series *s, tp_metric m, size_t i, int *period_s,
                            size_t *minutes)
{
    if ((unsigned)m >= TP_METRIC_COUNT)
        return 0;
    if (i < s->n_res[m]) {
        if (period_s != NULL)
            *period_s = s->res[m][i].period_s;
        if (minutes != NULL)
            *minutes = s->res[m][i].minutes;
    }
    return s->n_res[m];
}

tp_demand tp_series_demand(const tp_series *s)
{
    tp_demand d;
    d.input_tpm = tp_series_values(s, TP_METRIC_INPUT);
    d.output_tpm = tp_series_values(s, TP_METRIC_OUTPUT);
    d.cache_read_tpm = tp_series_values(s, TP_METRIC_CACHE_READ);
    d.cache_write_tpm = tp_series_values(s, TP_METRIC_CACHE_WRITE);
    d.minutes = tp_series_minutes(s);
    d.from_minute = tp_series_from_minute(s);
    return d;
}

static const char *const tier_names[TP_SERVICE_COUNT] = {"reserved", "priority", "default",
                                                         "flex"};

const char *tp_series_tier_name(tp_service_tier t)
{
    return (unsigned)t < TP_SERVICE_COUNT ? tier_names[t] : "?";
}

tp_status tp_series_tier_parse(const char *name, tp_service_tier *out, tp_error *err)
{
    for (int t = 0; name != NULL && t < TP_SERVICE_COUNT; t++)
        if (strcasecmp(name, tier_names[t]) == 0) {
            *out = (tp_service_tier)t;
            return TP_OK;
        }
    if (name != NULL && strcasecmp(name, "standard") == 0) {
        *out = TP_SERVICE_DEFAULT;
        return TP_OK;
    }
    return tp_error_set(err, TP_ERR_USAGE,
                        "unknown service tier \"%s\" (accepted: reserved, priority, default "
                        "(or standard), flex)",
                        name != NULL ? name : "");
}

const char *tp_series_family_name(tp_tier_family f)
{
    switch (f) {
    case TP_FAMILY_TOTAL: return "total";
    case TP_FAMILY_SERVICE: return "service_tier";
    case TP_FAMILY_RESOLVED: return "resolved_tier";
    case TP_FAMILY_BOTH: return "service_tier+resolved_tier";
    }
    return "?";
}

tp_tier_family tp_series_family(const tp_series *s) { return s->family; }

/* A demand of s's window with the arrays of a[] (each may be NULL). */
static tp_demand demand_of(const tp_series *s, double *const a[TP_METRIC_COUNT])
{
    tp_demand d;
    d.input_tpm = a[TP_METRIC_INPUT];
    d.output_tpm = a[TP_METRIC_OUTPUT];
    d.cache_read_tpm = a[TP_METRIC_CACHE_READ];
    d.cache_write_tpm = a[TP_METRIC_CACHE_WRITE];
    d.minutes = s->minutes;
    d.from_minute = s->from_minute;
    return d;
}

tp_demand tp_series_tier_demand(const tp_series *s, tp_tier_axis axis, tp_service_tier t,
                                int *known)
{
    double *none[TP_METRIC_COUNT] = {NULL};
    *known = (axis == TP_AXIS_ASKED && (s->family == TP_FAMILY_SERVICE ||
                                        s->family == TP_FAMILY_BOTH)) ||
             (axis == TP_AXIS_SERVED && (s->family == TP_FAMILY_RESOLVED ||
                                         s->family == TP_FAMILY_BOTH));
    if (!*known || (unsigned)t >= TP_SERVICE_COUNT) {
        *known = *known && (unsigned)t < TP_SERVICE_COUNT;
        return demand_of(s, none);
    }
    return demand_of(s, s->axis[axis][t]);
}

tp_demand tp_series_tier_pair_demand(const tp_series *s, tp_service_tier asked,
                                     tp_service_tier served, int *known)
{
    double *a[TP_METRIC_COUNT] = {NULL};
    *known = s->family == TP_FAMILY_BOTH && (unsigned)asked < TP_SERVICE_COUNT &&
             (unsigned)served < TP_SERVICE_COUNT;
    for (int m = 0; *known && m < TP_METRIC_COUNT; m++)
        a[m] = s->part[asked][served][m] != NULL ? s->part[asked][served][m] : s->zeros;
    return demand_of(s, a);
}

tp_tier_demand tp_series_route_demand(const tp_series *s)
{
    double *none[TP_METRIC_COUNT] = {NULL};
    tp_tier_demand r = {0};
    r.minutes = s->minutes;
    r.from_minute = s->from_minute;
    r.family = s->family;
    /* the tier asked for where the family tells it, else the served tier as its stand-in */
    const int axis = s->family == TP_FAMILY_RESOLVED ? TP_AXIS_SERVED : TP_AXIS_ASKED;
    for (int t = 0; t < TP_SERVICE_COUNT; t++)
        r.tier[t] = demand_of(s, s->family != TP_FAMILY_TOTAL && s->tier_present[axis][t]
                                     ? s->axis[axis][t]
                                     : none);
    if (s->family == TP_FAMILY_TOTAL)
        r.tier[TP_SERVICE_DEFAULT] = tp_series_demand(s);
    return r;
}

const char *tp_series_region(const tp_series *s)
{
    return s->region != NULL ? s->region : "";
}

const char *tp_series_account(const tp_series *s)
{
    return s->account != NULL ? s->account : "";
}

int tp_series_merge_warning(const char *model, const char *region, const char *account,
                            char *buf, size_t size)
{
    static const char *const profiles[] = {"us.", "eu.", "apac.", "global."};
    if (model == NULL || region == NULL || strcmp(region, "*") != 0)
        return 0;
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
        if (strncmp(model, profiles[i], strlen(profiles[i])) == 0)
            return 0;
    if (buf != NULL && size > 0)
        snprintf(buf, size,
                 "model %.300s (account %s): --merge-regions sums its regions, but it is not a "
                 "cross-region inference profile (us., eu., apac., global.): a model bought per "
                 "region is sized on each region's own demand (docs/model.md, \"Merged "
                 "regions\"); the sum hides one region's spill in another's slack",
                 model, tp_store_place_name(account));
    return 1;
}

/* Appends the places of v matched (match[i]) as "us-east-1 (account 123456789012)". */
static void list_places(strbuf *b, const tp_store_place *v, size_t n, const unsigned char *match)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!match[i])
            continue;
        sb_printf(b, "%s%s (account %s)", k++ > 0 ? ", " : "", tp_store_place_name(v[i].region),
                  tp_store_place_name(v[i].account));
    }
}

tp_status series_choose_place(tp_store *st, const tp_series_query *q, tp_series_query *out,
                              tp_store_place **places, size_t *n_places,
                              const char **region_shown, const char **account_shown,
                              tp_error *err)
{
    unsigned char *match = NULL;
    strbuf b = {0};
    char *text = NULL;
    size_t n_match = 0, first = 0, n_accounts = 0, n_regions = 0;
    *out = *q;
    *region_shown = q->region != NULL ? q->region : "";
    *account_shown = q->account != NULL ? q->account : "";
    /* the places of the source read: metrics, else (none of them where asked) logs */
    const int logs = q->source == TP_SOURCE_LOGS || q->n_keys > 0;
    tp_status rc = store_places_of(st, q->model, logs ? STORE_PLACES_LOGS : STORE_PLACES_METRICS,
                                   places, n_places, err);
    if (rc == TP_OK && !logs && q->source == TP_SOURCE_AUTO) {
        int any = 0;
        for (size_t i = 0; i < *n_places; i++)
            any |= (q->region == NULL || strcmp((*places)[i].region, q->region) == 0) &&
                   (q->account == NULL || strcmp((*places)[i].account, q->account) == 0);
        tp_store_place *lp = NULL;
        size_t n_lp = 0;
        if (!any &&
            (rc = store_places_of(st, q->model, STORE_PLACES_LOGS, &lp, &n_lp, err)) == TP_OK &&
            n_lp > 0) {
            tp_store_places_free(*places, *n_places);
            *places = lp; /* else the metrics' places: the error names them */
            *n_places = n_lp;
            lp = NULL;
            n_lp = 0;
        }
        tp_store_places_free(lp, n_lp);
    }
    if (rc != TP_OK || *n_places == 0)
        goto cleanup; /* no data at all: the loaders say so, with suggestions */
    const tp_store_place *v = *places;
    if ((match = calloc(*n_places, 1)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < *n_places; i++) {
        match[i] = (q->region == NULL || strcmp(v[i].region, q->region) == 0) &&
                   (q->account == NULL || strcmp(v[i].account, q->account) == 0);
        if (!match[i])
            continue;
        if (n_match++ == 0)
            first = i;
        int new_account = 1, new_region = 1;
        for (size_t j = 0; j < i; j++) {
            new_account &= !(match[j] && strcmp(v[j].account, v[i].account) == 0);
            new_region &= !(match[j] && strcmp(v[j].region, v[i].region) == 0);
        }
        n_accounts += new_account;
        n_regions += new_region;
    }
    if (n_match == 0) {
        for (size_t i = 0; i < *n_places; i++)
            match[i] = 1;
        list_places(&b, v, *n_places, match);
        if ((rc = sb_finish(&b, &text, err)) == TP_OK)
            rc = tp_error_set(err, TP_ERR_NOT_FOUND,
                              "no data for model \"%s\" in region %s, account %s; it is stored "
                              "in %s",
                              q->model, q->region != NULL ? tp_store_place_name(q->region) : "any",
                              q->account != NULL ? tp_store_place_name(q->account) : "any", text);
        goto cleanup;
    }
    if (q->merge_regions && n_accounts > 1) {
        list_places(&b, v, *n_places, match);
        if ((rc = sb_finish(&b, &text, err)) == TP_OK)
            rc = tp_error_set_field(err, TP_ERR_USAGE, NULL,
                                    "model %s is stored in more than one account: %s; "
                                    "{merge_regions} sums the regions of one account (a "
                                    "reservation is bought in one): pass {account}",
                                    q->model, text);
        goto cleanup;
    }
    if (!q->merge_regions && n_match > 1) {
        list_places(&b, v, *n_places, match);
        if ((rc = sb_finish(&b, &text, err)) == TP_OK)
            rc = tp_error_set_field(err, TP_ERR_USAGE, NULL,
                                    "model %s is recorded in more than one place: %s; pass "
                                    "{region} (and {account}) to choose one, or {merge_regions} "
                                    "to sum its regions (one reservation for a cross-region "
                                    "inference profile)",
                                    q->model, text);
        goto cleanup;
    }
    out->account = v[first].account;
    *account_shown = v[first].account;
    if (q->merge_regions) {
        out->region = NULL; /* every region of the account, summed */
        *region_shown = n_regions > 1 ? "*" : v[first].region;
    } else {
        out->region = v[first].region;
        *region_shown = v[first].region;
    }
cleanup:
    if (text == NULL && b.data != NULL && !b.failed && rc == TP_OK)
        free(b.data);
    free(text);
    free(match);
    return rc;
}
