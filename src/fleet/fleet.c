/* fleet.c - sizes every model of a fleet on worker threads (one read-only store handle each)
 * and sums the fleet's rates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "fleet/fleet_internal.h"
#include "fleet/fleet_windows.h"
#include "model/plan_tiers.h"
#include "model/recommend_batch.h"
#include "series/series_lib.h"
#include "base/strbuf.h"
#include "tierplan/inventory.h"
#include "tierplan/plan.h"
#include "tierplan/whatif.h"

const char *tp_fleet_status_name(tp_fleet_status s)
{
    return s == TP_FLEET_OK ? "ok" : "no_data";
}

/* What one model's worker leaves behind besides the model itself. */
typedef struct slot {
    tp_status rc;
    tp_error err;
    strbuf warnings; /* catalog warnings, one per line, emitted in model order afterwards */
} slot;

/* What the workers share: results land in each model's own slot, so the output does not
 * depend on which worker sized which model. */
typedef struct fleet_job {
    const tp_fleet_options *o;
    tp_fleet *f;
    slot *slots;
} fleet_job;

/* A worker's own: its store handle, opened at its first model. */
typedef struct worker_ctx {
    tp_store *store;
    tp_status open_rc;
    tp_error open_err;
    rec_scratch scr; /* the recommender's per-minute arrays, kept from model to model */
} worker_ctx;

static void collect_warning(void *ctx, const char *msg)
{
    strbuf *b = ctx;
    sb_printf(b, "%s\n", msg);
}

/* The plan file's options over the command's. */
static void apply_plan(tp_rec_options *ro, const tp_plan_entry *e)
{
    if (e->has_term_months)
        ro->term_months = e->term_months;
    if (e->has_max_spill_minutes_pct) {
        ro->has_max_spill_minutes_pct = 1;
        ro->max_spill_minutes_pct = e->max_spill_minutes_pct;
    }
    if (e->has_max_throttled_minutes) {
        ro->has_max_throttled_minutes = 1;
        ro->max_throttled_minutes = e->max_throttled_minutes;
    }
}

/* The reservation the plan file says is held, simulated by tier on the demand sized on: it
 * serves the tiers --route-tiers names, else reserved and default (plan_tiers.h). */
static tp_status size_held(tp_fleet_model *m, const tp_tier_demand *d, tp_error *err)
{
    tp_model_price p;
    double discount;
    if (!m->plan.has_reserve_input_tpm && !m->plan.has_reserve_output_tpm)
        return TP_OK;
    tp_status rc = rec_apply_term(&m->billed_price, m->rec.term_months, &p, &discount, err);
    if (rc == TP_OK)
        rc = plan_tiers_candidate(d, &p, &m->rec_options, TP_BASIS_OPTIMAL,
                                  m->plan.reserve_input_tpm, m->plan.reserve_output_tpm,
                                  plan_tiers_fixed_route(&m->rec_options), m->rec.term_months,
                                  &m->held, err);
    m->has_held = rc == TP_OK;
    return rc;
}

/* The held reservation as its metrics show it (simulate.h, tp_simulate_observe_series): on
 * the demand as loaded, what-ifs aside, for it is what the reservation did serve. */
static tp_status observe_held(tp_fleet_model *m, tp_error *err)
{
    tp_sim_options so = {0};
    if (!m->has_held)
        return TP_OK;
    so.reserve_input_tpm = m->plan.reserve_input_tpm;
    so.reserve_output_tpm = m->plan.reserve_output_tpm;
    so.spill_model = m->rec_options.spill_model;
    return tp_simulate_observe_series(m->stats->series, &m->billed_price, &so, &m->has_observed,
                                      &m->observed, err);
}

/* How much of the model's window ingested exports covered (NAN: unknown). */
static tp_status model_coverage(tp_store *store, tp_fleet_model *m, tp_error *err)
{
    tp_coverage c;
    const int64_t from = tp_series_from_minute(m->stats->series);
    /* the place's own exports ("*": the regions merged, any region of the account) */
    const tp_status rc = tp_inventory_coverage_at(
        store, m->model, m->region == NULL || strcmp(m->region, "*") == 0 ? NULL : m->region,
        m->account, from,
        from + (int64_t)tp_series_minutes(m->stats->series), &c, err);
    m->coverage_pct = rc == TP_OK && c.known ? 100 * c.share : NAN;
    return rc;
}

/* The demand d by tier, with the what-if applied to every tier alike (wi[t] receives each
 * tier's changed copy; without a what-if d stays as loaded). */
static tp_status tiers_whatif(const tp_fleet_options *o, tp_tier_demand *d,
                              tp_whatif *wi[TP_SERVICE_COUNT], tp_error *err)
{
    if (!((o->scale > 0 && o->scale != 1) || o->cache_hit_delta != 0))
        return TP_OK;
    for (int t = 0; t < TP_SERVICE_COUNT; t++) {
        if (d->tier[t].input_tpm == NULL)
            continue;
        tp_status rc = tp_whatif_apply(&d->tier[t], o->scale > 0 ? o->scale : 1,
                                       o->cache_hit_delta, &wi[t], err);
        if (rc != TP_OK)
            return rc;
        d->tier[t] = tp_whatif_demand(wi[t]);
    }
    return TP_OK;
}

/* What the charts draw: the whole demand (every tier summed, the what-if applied). */
static tp_status size_charts(const tp_fleet_options *o, tp_fleet_model *m, tp_error *err)
{
    tp_whatif *wi = NULL;
    const tp_demand raw = tp_series_demand(m->stats->series);
    const int whatif = (o->scale > 0 && o->scale != 1) || o->cache_hit_delta != 0;
    tp_status rc = TP_OK;
    if (whatif && (rc = tp_whatif_apply(&raw, o->scale > 0 ? o->scale : 1, o->cache_hit_delta,
                                        &wi, err)) != TP_OK)
        return rc;
    const tp_demand d = whatif ? tp_whatif_demand(wi) : raw;
    rc = fleet_charts_compute(&d, &m->billed_price, &m->rec_options, &m->rec, &m->charts, err);
    tp_whatif_free(wi);
    return rc;
}

/* The Bedrock keys of a plan file entry that mean nothing in units, for the warning ("" none). */
static void bedrock_plan_keys(const tp_plan_entry *e, char *buf, size_t size)
{
    const struct {
        int set;
        const char *key;
    } k[] = {{e->has_term_months, "term_months"},
             {e->has_max_spill_minutes_pct, "max_spill_minutes_pct"},
             {e->has_max_throttled_minutes, "max_throttled_minutes"},
             {e->has_reserve_input_tpm, "reserve_input_tpm"},
             {e->has_reserve_output_tpm, "reserve_output_tpm"}};
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (k[i].set && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n > 0 ? ", " : "", k[i].key);
}

/* The sizing options given that only a Bedrock reservation takes, by their option names
 * ("" when none). */
static void bedrock_option_names(const tp_rec_options *r, char *buf, size_t size)
{
    const struct {
        int set;
        const char *name;
    } k[] = {{r->term_months > 1, "--term-months"},
             {r->spill_to != TP_SPILL_TO_STANDARD, "--spill-to"},
             {r->spill_model != TP_SPILL_COUPLED, "--spill-model"},
             {r->quota_tpm > 0, "--quota-tpm"},
             {r->has_max_spill_minutes_pct, "--max-spill-minutes-pct"},
             {r->has_max_throttled_minutes, "--max-throttled-minutes"},
             {r->assume_offered != 0, "--assume-offered"}};
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (k[i].set && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n > 0 ? ", " : "", k[i].name);
}

/* A model sold in units (docs/model.md, "Other providers"): every term its entry sells at its
 * optimum, the term of least total recommended, as tierplan recommend sizes it with its
 * default options (burst factor, full service level); on the whole demand, every tier summed,
 * demand x the what-if's scale. What only Bedrock sizes is said, not silently dropped. */
static tp_status size_units(const tp_fleet_options *o, tp_fleet_model *m, strbuf *warnings,
                            tp_error *err)
{
    tp_whatif *wi = NULL;
    tp_units_options uo = {0}; /* recommend's defaults */
    tp_demand d = tp_series_demand(m->stats->series);
    char keys[160];
    tp_status rc = TP_OK;
    m->in_units = 1;
    m->billed_price = m->price;
    if (o->warn != NULL && o->cache_hit_delta != 0)
        sb_printf(warnings,
                  "model \"%s\" is sold in units (%s): the cache-hit what-if applies to "
                  "Bedrock models only; it is sized without it\n",
                  m->model, tp_pricing_provider_name(m->price.provider));
    bedrock_option_names(&o->rec, keys, sizeof keys);
    if (o->warn != NULL && keys[0] != '\0')
        sb_printf(warnings,
                  "model \"%s\" is sold in units (%s): %s apply to Bedrock models only and are "
                  "not used for it (its units overflow as its catalog entry says, on the term "
                  "of least total)\n",
                  m->model, tp_pricing_provider_name(m->price.provider), keys);
    bedrock_plan_keys(&m->plan, keys, sizeof keys);
    if (o->warn != NULL && keys[0] != '\0')
        sb_printf(warnings,
                  "model \"%s\" is sold in units (%s): its plan file entry's %s apply to "
                  "Bedrock models only and are not used\n",
                  m->model, tp_pricing_provider_name(m->price.provider), keys);
    if (o->scale > 0 && o->scale != 1) {
        if ((rc = tp_whatif_apply(&d, o->scale, 0, &wi, err)) != TP_OK)
            goto cleanup;
        d = tp_whatif_demand(wi);
    }
    if ((rc = tp_units_plan_run(&d, &m->price, &uo, &m->units_plan, err)) != TP_OK)
        goto cleanup;
    m->units_rec = m->units_plan.term[m->units_plan.recommended_term];
    if (o->charts) /* the demand sized on, weighted as the units meet it */
        rc = fleet_charts_units(&d, &m->price, &m->charts, err);
cleanup:
    tp_whatif_free(wi);
    return rc;
}

/* Loads, sizes and (with charts) prepares one model. A model without data is no failure.
 * Every model is sized by tier (tp_recommend_tiers_run): the catalog's Reserved offer and
 * minimums hold, each token's baseline is its own tier's price, and only the routed tiers
 * count against the reservation; a demand without a tier dimension is all default. */
static tp_status size_model(tp_store *store, const tp_fleet_options *o, tp_fleet_model *m,
                            rec_scratch *scr, strbuf *warnings, tp_error *err)
{
    tp_whatif *wi[TP_SERVICE_COUNT] = {NULL};
    tp_series_query q = fleet_query(o, m);
    m->plan = tp_plan_file_entry_at(o->plan, m->model, m->region, m->account, m->only_place);
    m->rec_options = o->rec;
    m->coverage_pct = NAN;
    m->newest_minute = -1;
    apply_plan(&m->rec_options, &m->plan);
    tp_status rc = tp_stats_model(store, &q, o->pricing, &m->stats, err);
    if (rc == TP_ERR_NOT_FOUND) {
        m->status = TP_FLEET_NO_DATA;
        if ((m->no_data_reason = strdup(err->message)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        return TP_OK;
    }
    if (rc != TP_OK)
        goto cleanup;
    char merged[1024];
    if (o->warn != NULL && tp_series_merge_warning(m->model, tp_series_region(m->stats->series),
                                                   m->account, merged, sizeof merged))
        collect_warning(warnings, merged);
    /* too little data to size from is this entry's own status, as no data is (one short
     * place must not fail the fleet; docs/user-guide.md, "report") */
    if (tp_plan_check_window(m->stats->series, o->force, err) != TP_OK) {
        char msg[sizeof err->message];
        tp_error_rename(err, o->field_name, o->field_name_ctx, msg, sizeof msg);
        tp_error_clear(err);
        m->status = TP_FLEET_NO_DATA;
        m->newest_minute = series_newest_minute(m->stats->series); /* for the staleness gate */
        tp_stats_model_free(m->stats);
        m->stats = NULL;
        if ((m->no_data_reason = strdup(msg)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        return TP_OK;
    }
    if ((rc = model_coverage(store, m, err)) != TP_OK ||
        (rc = tp_pricing_lookup(o->pricing, m->model, &m->price,
                                o->warn != NULL ? collect_warning : NULL, warnings, err)) !=
            TP_OK)
        goto cleanup;
    if (m->price.provider != TP_PROVIDER_BEDROCK) {
        rc = size_units(o, m, warnings, err);
        goto cleanup;
    }
    tp_tier_demand d = tp_series_route_demand(m->stats->series);
    /* a reservation is billed 730 h a calendar month (docs/model.md, "Terms"): its rate over
     * the window's hours scaled by billed / real hours, as project and simulate bill it, so
     * that the sizing and every total are what is billed */
    m->billed_price = tp_pricing_bill_span(&m->price, d.from_minute,
                                           d.from_minute + (int64_t)d.minutes);
    /* Without a what-if the demand is sized as loaded, and the stats' percentiles of the
     * effective input and output are the recommender's own: all default traffic is then
     * searched as one stream with them and the worker's kept arrays (rec_tiers_run_batch) */
    const int whatif = (o->scale > 0 && o->scale != 1) || o->cache_hit_delta != 0;
    const rec_hints hints = {m->stats->effective_input, m->stats->tpm[TP_METRIC_OUTPUT],
                             m->stats->burn_down_cache_read, m->stats->burn_down_cache_write};
    /* the stats' percentiles are of the whole demand: hints only where the default tier's
     * arrays are that demand's own */
    const tp_demand whole = tp_series_demand(m->stats->series);
    rec_batch batch;
    memset(&batch, 0, sizeof batch);
    batch.hints = !whatif && d.tier[TP_SERVICE_DEFAULT].input_tpm == whole.input_tpm &&
                          d.tier[TP_SERVICE_DEFAULT].output_tpm == whole.output_tpm &&
                          d.tier[TP_SERVICE_DEFAULT].cache_read_tpm == whole.cache_read_tpm &&
                          d.tier[TP_SERVICE_DEFAULT].cache_write_tpm == whole.cache_write_tpm
                      ? &hints
                      : NULL;
    batch.scr = scr;
    batch.one_pass = o->jobs > 1;
    if ((rc = tiers_whatif(o, &d, wi, err)) != TP_OK ||
        /* the fleet's workers share the processors: one thread per model when several */
        (rc = rec_tiers_run_batch(&d, &m->billed_price, &m->rec_options, o->jobs > 1 ? 1 : 0,
                                  &batch, &m->rec, err)) != TP_OK ||
        /* the flat region of one stream: all the traffic in the default tier */
        (m->rec.present == TP_ROUTE_TIER(TP_SERVICE_DEFAULT) &&
         (rc = tp_recommend_flat_region(&d.tier[TP_SERVICE_DEFAULT], &m->billed_price,
                                        &m->rec_options, &m->rec, err)) != TP_OK) ||
        (rc = size_held(m, &d, err)) != TP_OK || (rc = observe_held(m, err)) != TP_OK)
        goto cleanup;
    if (o->charts)
        rc = size_charts(o, m, err);
cleanup:
    for (int t = 0; t < TP_SERVICE_COUNT; t++)
        tp_whatif_free(wi[t]);
    return rc;
}

/* Prefixes err's message with the model and its place, unless it already names the model. */
static void name_model(tp_error *err, const tp_fleet_model *m)
{
    if (strstr(err->message, m->model) != NULL)
        return;
    char prefix[sizeof err->message];
    snprintf(prefix, sizeof prefix, "model %s (region %s, account %s): ", m->model,
             tp_store_place_name(m->region), tp_store_place_name(m->account));
    tp_error_prefix(err, prefix);
}

/* What is kept of a sized model's per-minute demand: its newest minute with data, not the
 * arrays, which go back to the worker's store handle for the next model's load. */
static void release_minutes(tp_fleet_model *m, tp_store *store)
{
    if (m->stats == NULL)
        return; /* no data, or too little: size_model set newest_minute */
    m->newest_minute = series_newest_minute(m->stats->series);
    series_release_values(m->stats->series, store);
}

static tp_status size_task(void *arg, void *ctx, size_t i)
{
    fleet_job *p = arg;
    worker_ctx *w = ctx;
    slot *s = &p->slots[i];
    tp_error_clear(&s->err);
    if (w->store == NULL && w->open_rc == TP_OK) {
        tp_store_open_options so = {0};
        so.flags = TP_STORE_READONLY;
        so.busy_timeout_ms = p->o->busy_timeout_ms;
        tp_error_clear(&w->open_err);
        w->open_rc = tp_store_open_with(p->o->db_path, &so, &w->store, &w->open_err);
    }
    if (w->open_rc != TP_OK) {
        s->rc = w->open_rc;
        s->err = w->open_err;
        return s->rc;
    }
    s->rc = size_model(w->store, p->o, &p->f->models[i], &w->scr, &s->warnings, &s->err);
    if (s->rc == TP_OK) /* in the same worker: the output does not depend on jobs */
        s->rc = fleet_windows_plan(w->store, p->o, &p->f->models[i], &s->err);
    release_minutes(&p->f->models[i], w->store);
    if (s->rc != TP_OK)
        name_model(&s->err, &p->f->models[i]);
    return s->rc;
}

static void worker_done(void *arg, void *ctx)
{
    worker_ctx *w = ctx;
    (void)arg;
    tp_store_close(w->store);
    rec_scratch_free(&w->scr);
}

tp_series_query fleet_query(const tp_fleet_options *o, const tp_fleet_model *m)
{
    tp_series_query q = {m->model, o->has_from, o->has_to, o->from_minute, o->to_minute,
                         o->tiers, o->n_tiers, o->window, TP_SOURCE_AUTO, NULL, 0, NULL, NULL, 0};
    q.account = m->account;
    /* merged: every region of the account, summed (the loader names it "*") */
    q.merge_regions = o->merge_regions;
    q.region = o->merge_regions ? NULL : m->region;
    return q;
}

int fleet_model_in(const tp_fleet_model *m, const char *account, const char *region)
{
    const char *a = m->account != NULL ? m->account : "";
    const char *r = m->region != NULL ? m->region : "";
    return (account == NULL || strcmp(a, account) == 0) &&
           (region == NULL || strcmp(r, region) == 0);
}

/* Appends the entry (model, region, account) to f (f->models holds room). */
static tp_status add_place(tp_fleet *f, const char *model, const char *region,
                           const char *account, tp_error *err)
{
    tp_fleet_model *m = &f->models[f->n];
    m->model = strdup(model);
    m->region = strdup(region);
    m->account = strdup(account);
    f->n++; /* freed with the fleet, whole or not */
    if (m->model == NULL || m->region == NULL || m->account == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

/* Whether place p passes o's filters. */
static int place_wanted(const tp_fleet_options *o, const tp_store_place *p)
{
    return (o->region == NULL || strcmp(p->region, o->region) == 0) &&
           (o->account == NULL || strcmp(p->account, o->account) == 0);
}

/* Whether any of model's places passes o's filters. */
static int place_wanted_model(const tp_fleet_options *o, const tp_store_place *v, size_t n,
                              const char *model)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].model, model) == 0 && place_wanted(o, &v[i]))
            return 1;
    return 0;
}

/* The entries of one model: its places (v, n of them, sorted by account then region) that
 * pass the filters, the regions of an account as one with merge_regions; a model asked for
 * without such a place is one entry without data (the filters' place, else unknown). */
static tp_status model_places(const tp_fleet_options *o, tp_fleet *f, const char *model,
                              const tp_store_place *v, size_t n, tp_error *err)
{
    const size_t first = f->n;
    tp_status rc = TP_OK;
    for (size_t i = 0; i < n && rc == TP_OK; i++) {
        if (strcmp(v[i].model, model) != 0 || !place_wanted(o, &v[i]))
            continue;
        if (!o->merge_regions) {
            rc = add_place(f, model, v[i].region, v[i].account, err);
            continue;
        }
        tp_fleet_model *last = f->n > first ? &f->models[f->n - 1] : NULL;
        if (last != NULL && strcmp(last->account, v[i].account) == 0) {
            if (strcmp(last->region, v[i].region) != 0 && strcmp(last->region, "*") != 0) {
                char *star = strdup("*"); /* regions summed, as tp_series_region names them */
                if (star == NULL)
                    return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                free(last->region);
                last->region = star;
            }
            continue;
        }
        rc = add_place(f, model, v[i].region, v[i].account, err);
    }
    if (rc == TP_OK && f->n == first)
        rc = add_place(f, model, o->region != NULL ? o->region : "",
                       o->account != NULL ? o->account : "", err);
    /* a plan file entry without a place applies to a model's only place (plan.h): only as
     * stored, whatever the filters, so that --region does not move a held reservation */
    size_t stored = 0;
    for (size_t i = 0; i < n; i++)
        stored += strcmp(v[i].model, model) == 0 &&
                  !(o->merge_regions && i > 0 && strcmp(v[i - 1].model, model) == 0 &&
                    strcmp(v[i - 1].account, v[i].account) == 0);
    for (size_t i = first; i < f->n; i++)
        f->models[i].only_place = stored <= 1;
    return rc;
}

/* The places of the models asked for, or of every stored one (read with a store handle of its
 * own, closed at once). */
static tp_status fleet_models(const tp_fleet_options *o, tp_fleet *f, tp_error *err)
{
    tp_store_place *v = NULL;
    size_t n = 0;
    tp_store *store = NULL;
    tp_store_open_options so = {0};
    so.flags = TP_STORE_READONLY;
    so.busy_timeout_ms = o->busy_timeout_ms;
    tp_status rc = tp_store_open_with(o->db_path, &so, &store, err);
    if (rc != TP_OK || (rc = tp_store_places(store, NULL, &v, &n, err)) != TP_OK)
        goto cleanup;
    /* at most one entry per place, or per model asked for without one */
    const size_t room = n + (o->models != NULL ? o->n_models : 0);
    if (room > 0 && (f->models = calloc(room, sizeof *f->models)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (o->models != NULL) {
        for (size_t i = 0; i < o->n_models && rc == TP_OK; i++)
            rc = model_places(o, f, o->models[i], v, n, err);
        goto cleanup;
    }
    for (size_t i = 0; i < n && rc == TP_OK; i++) {
        if (i > 0 && strcmp(v[i].model, v[i - 1].model) == 0)
            continue; /* the places are sorted by model: the first of each lists them all */
        /* every stored model: one the filters leave no place of is not listed */
        if (place_wanted_model(o, v, n, v[i].model))
            rc = model_places(o, f, v[i].model, v, n, err);
    }
cleanup:
    tp_store_places_free(v, n);
    tp_store_close(store);
    return rc;
}

double tp_fleet_unit_term_hours(tp_unit_term t)
{
    switch (t) {
    case TP_UNIT_1_WEEK: return 168;
    case TP_UNIT_3_MONTHS: return 3 * TP_HOURS_PER_MONTH;
    case TP_UNIT_1_YEAR: return 12 * TP_HOURS_PER_MONTH;
    default: return TP_HOURS_PER_MONTH;
    }
}

void tp_fleet_units_per_month(const tp_fleet_model *m, const tp_units_result *r,
                              double *units_usd, double *spill_usd, double *total_usd,
                              double *on_demand_usd)
{
    double h = r->billed_hours, hu = r->billed_hours;
    if (r->pools) { /* billed_hours there are the whole days' (units.h) */
        const int64_t from = tp_series_from_minute(m->stats->series);
        h = tp_pricing_billed_hours(from, from + (int64_t)tp_series_minutes(m->stats->series));
        hu = r->price_hours;
    }
    h = h > 0 ? h : 1;
    hu = hu > 0 ? hu : 1;
    *units_usd = r->units_usd / hu * TP_HOURS_PER_MONTH;
    *spill_usd = r->spill_usd / h * TP_HOURS_PER_MONTH;
    *total_usd = *units_usd + *spill_usd;
    *on_demand_usd = r->on_demand_usd / h * TP_HOURS_PER_MONTH;
}

/* A model sized in units into the rates t: its recommended term's figures per month
 * (tp_fleet_units_per_month) / 730 per hour, x the term's hours per term. */
static void add_units(tp_fleet_model *m, tp_fleet_totals *t)
{
    const tp_units_result *r = &m->units_rec;
    const double term_h = tp_fleet_unit_term_hours(m->units_plan.recommended_term);
    tp_fleet_units_per_month(m, r, &m->rec_reserved_per_month_usd, &m->rec_spill_per_month_usd,
                             &m->rec_total_per_month_usd, &m->rec_on_demand_per_month_usd);
    m->rec_bar_per_month_usd = m->rec_reserved_per_month_usd + m->rec_spill_per_month_usd;
    const double per_h = 1.0 / TP_HOURS_PER_MONTH;
    t->n_ok++;
    t->reserved_per_hour_usd += m->rec_reserved_per_month_usd * per_h;
    t->spill_per_hour_usd += m->rec_spill_per_month_usd * per_h;
    t->total_per_hour_usd += m->rec_total_per_month_usd * per_h;
    t->on_demand_per_hour_usd += m->rec_on_demand_per_month_usd * per_h;
    t->reserved_per_term_usd += m->rec_reserved_per_month_usd * per_h * term_h;
    t->spill_per_term_usd += m->rec_spill_per_month_usd * per_h * term_h;
    t->total_per_term_usd += m->rec_total_per_month_usd * per_h * term_h;
    t->on_demand_per_term_usd += m->rec_on_demand_per_month_usd * per_h * term_h;
}

/* Fleet rates: every model's recommendation per hour (of the account and region, NULL: any),
 * summed into t; per term with its own term. */
static void totals_of(tp_fleet *f, const char *account, const char *region, int provider,
                      tp_fleet_totals *t)
{
    for (size_t i = 0; i < f->n; i++) {
        tp_fleet_model *m = &f->models[i];
        if (!fleet_model_in(m, account, region))
            continue;
        /* a provider's subtotal: its sized models (one without data has no entry read) */
        if (provider >= 0 && (m->status != TP_FLEET_OK || (int)m->price.provider != provider))
            continue;
        if (m->status != TP_FLEET_OK) {
            t->n_no_data++;
            continue;
        }
        if (m->in_units) {
            add_units(m, t);
            continue;
        }
        const tp_candidate *c = &m->rec.candidates[m->rec.recommended];
        /* per billed hour (tp_pricing_rate_hours): x 730 is the monthly charge */
        const double h = tp_pricing_rate_hours(&m->billed_price, c->sim.hours);
        const double term_h = TP_HOURS_PER_MONTH * m->rec.term_months;
        const double pm = TP_HOURS_PER_MONTH / h;
        m->rec_reserved_per_month_usd = c->sim.reserved_usd * pm;
        /* sized by tier, the traffic never routed is paid on demand as spill is */
        const double spill = c->sim.spill_usd + c->sim.unrouted_usd;
        m->rec_spill_per_month_usd = spill * pm;
        m->rec_total_per_month_usd = c->sim.total_usd * pm;
        m->rec_on_demand_per_month_usd = c->sim.baseline_usd * pm;
        m->rec_bar_per_month_usd = m->rec_reserved_per_month_usd + m->rec_spill_per_month_usd;
        t->n_ok++;
        t->reserved_per_hour_usd += c->sim.reserved_usd / h;
        t->spill_per_hour_usd += spill / h;
        t->total_per_hour_usd += c->sim.total_usd / h;
        t->on_demand_per_hour_usd += c->sim.baseline_usd / h;
        t->reserved_per_term_usd += c->sim.reserved_usd / h * term_h;
        t->spill_per_term_usd += spill / h * term_h;
        t->total_per_term_usd += c->sim.total_usd / h * term_h;
        t->on_demand_per_term_usd += c->sim.baseline_usd / h * term_h;
        if (m->has_held) {
            m->held_extra_per_month_usd = m->held.cost_per_month_usd - c->cost_per_month_usd;
            t->n_held++;
            t->held_total_per_hour_usd += m->held.sim.total_usd / h;
        }
    }
    t->savings_per_hour_usd = t->on_demand_per_hour_usd - t->total_per_hour_usd;
    t->savings_per_term_usd = t->on_demand_per_term_usd - t->total_per_term_usd;
    t->reserved_per_month_usd = t->reserved_per_hour_usd * TP_HOURS_PER_MONTH;
    t->spill_per_month_usd = t->spill_per_hour_usd * TP_HOURS_PER_MONTH;
    t->total_per_month_usd = t->total_per_hour_usd * TP_HOURS_PER_MONTH;
    t->on_demand_per_month_usd = t->on_demand_per_hour_usd * TP_HOURS_PER_MONTH;
    t->savings_per_month_usd = t->savings_per_hour_usd * TP_HOURS_PER_MONTH;
    t->held_total_per_month_usd = t->held_total_per_hour_usd * TP_HOURS_PER_MONTH;
    t->savings_pct = t->on_demand_per_hour_usd > 0
                         ? 100 * t->savings_per_hour_usd / t->on_demand_per_hour_usd
                         : NAN;
}

void fleet_totals(tp_fleet *f)
{
    totals_of(f, NULL, NULL, -1, &f->totals);
}

tp_status fleet_providers(tp_fleet *f, tp_error *err)
{
    int seen[TP_PROVIDER_COUNT] = {0};
    for (size_t i = 0; i < f->n; i++)
        if (f->models[i].status == TP_FLEET_OK)
            seen[f->models[i].price.provider] = 1;
    for (int p = 0; p < TP_PROVIDER_COUNT; p++)
        f->n_providers += (size_t)seen[p];
    if (f->n_providers == 0)
        return TP_OK;
    if ((f->providers = calloc(f->n_providers, sizeof *f->providers)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (int p = 0; p < TP_PROVIDER_COUNT; p++) {
        if (!seen[p])
            continue;
        f->providers[k].provider = (tp_provider)p;
        totals_of(f, NULL, NULL, p, &f->providers[k].totals);
        fleet_windows_totals_of(f, NULL, NULL, p, &f->providers[k].totals);
        k++;
    }
    return TP_OK;
}

static int group_cmp(const void *pa, const void *pb)
{
    const tp_fleet_group *a = pa, *b = pb;
    const int c = strcmp(a->account, b->account);
    return c != 0 ? c : strcmp(a->region, b->region);
}

tp_status fleet_groups(tp_fleet *f, tp_error *err)
{
    if (f->n == 0)
        return TP_OK;
    if ((f->groups = calloc(f->n, sizeof *f->groups)) == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        const tp_fleet_model *m = &f->models[i];
        const char *a = m->account != NULL ? m->account : "";
        const char *r = m->region != NULL ? m->region : "";
        size_t g = 0;
        while (g < f->n_groups &&
               (strcmp(f->groups[g].account, a) != 0 || strcmp(f->groups[g].region, r) != 0))
            g++;
        if (g == f->n_groups) {
            f->groups[g].account = a;
            f->groups[g].region = r;
            f->n_groups++;
        }
    }
    qsort(f->groups, f->n_groups, sizeof *f->groups, group_cmp);
    for (size_t g = 0; g < f->n_groups; g++) {
        tp_fleet_group *G = &f->groups[g];
        totals_of(f, G->account, G->region, -1, &G->totals);
        fleet_windows_totals_of(f, G->account, G->region, -1, &G->totals);
    }
    return TP_OK;
}

/* Runs the workers; returns the first failure in model order, after the warnings before it. */
static tp_status run_pool(const tp_fleet_options *o, tp_fleet *f, slot *slots, tp_error *err)
{
    fleet_job p = {o, f, slots};
    size_t jobs = o->jobs > 1 ? (size_t)o->jobs : 1;
    jobs = jobs < f->n ? jobs : (f->n > 0 ? f->n : 1);
    const pool_spec spec = {f->n, jobs, sizeof(worker_ctx), size_task, NULL, worker_done, &p};
    /* the models' failures are in their slots, reported below after the warnings before them */
    const tp_status rc = pool_run(&spec, NULL, err);
    if (rc != TP_OK)
        return rc;
    for (size_t i = 0; i < f->n; i++) {
        if (slots[i].warnings.failed) /* a warning lost is a failure, not a quieter report */
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        if (o->warn != NULL && slots[i].warnings.len > 0) {
            char *save = NULL;
            for (char *line = strtok_r(slots[i].warnings.data, "\n", &save); line != NULL;
                 line = strtok_r(NULL, "\n", &save))
                o->warn(o->warn_ctx, line);
        }
        if (slots[i].rc != TP_OK) {
            if (err != NULL)
                *err = slots[i].err;
            return slots[i].rc;
        }
    }
    return TP_OK;
}

tp_status tp_fleet_run(const tp_fleet_options *o, tp_fleet **out, tp_error *err)
{
    slot *slots = NULL;
    size_t n_slots = 0;
    tp_status rc;
    tp_fleet *f = calloc(1, sizeof *f);
    *out = NULL;
    if (f == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    f->options = *o;
    if (o->pricing == NULL) {
        rc = tp_error_set(err, TP_ERR_USAGE, "the fleet report needs a price catalog");
        goto cleanup;
    }
    if ((rc = fleet_windows_check(o, err)) != TP_OK || (rc = fleet_models(o, f, err)) != TP_OK)
        goto cleanup;
    /* a filter that matches nothing is an error naming it, not an empty report */
    if (f->n == 0 && (o->region != NULL || o->account != NULL)) {
        rc = tp_error_set(err, TP_ERR_NOT_FOUND, "no model is stored in %s%s%s%s%s",
                          o->region != NULL ? "region " : "",
                          o->region != NULL ? tp_store_place_name(o->region) : "",
                          o->region != NULL && o->account != NULL ? ", " : "",
                          o->account != NULL ? "account " : "",
                          o->account != NULL ? tp_store_place_name(o->account) : "");
        goto cleanup;
    }
    if (f->n > 0 && (slots = calloc(f->n, sizeof *slots)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    n_slots = f->n;
    if ((rc = run_pool(o, f, slots, err)) != TP_OK)
        goto cleanup;
    fleet_totals(f);
    fleet_windows_totals(f);
    if ((rc = fleet_groups(f, err)) != TP_OK || (rc = fleet_providers(f, err)) != TP_OK)
        goto cleanup;
    *out = f;
    f = NULL;
cleanup:
    for (size_t i = 0; i < n_slots; i++)
        free(slots[i].warnings.data);
    free(slots);
    tp_fleet_free(f);
    return rc;
}

void tp_fleet_free(tp_fleet *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->models[i].model);
        free(f->models[i].region);
        free(f->models[i].account);
        free(f->models[i].no_data_reason);
        tp_stats_model_free(f->models[i].stats);
        fleet_charts_free(f->models[i].charts);
        fleet_windows_free(&f->models[i]);
    }
    free(f->models);
    free(f->groups);
    free(f->providers);
    free(f);
}
