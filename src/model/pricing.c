/* pricing.c - loads and validates the price catalog; looks up a model's prices. */
#include "tierplan/pricing.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "base/sha256.h"
#include "base/util.h"
#include "tierplan/recommend.h"

typedef struct entry {
    char *key;
    tp_model_price price;
} entry;

struct tp_pricing {
    char *source;
    char sha256[65];
    entry *entries;
    size_t n;
    double tier_multiplier[TP_TIER_COUNT];
    int reserved_offered_default; /* for entries without reserved_offered; -1: not given */
    char reserved_offered_source[256];  /* for entries without their own */
    char reserved_offered_as_of[32];
};

static const char *const tier_names[TP_TIER_COUNT] = {"standard", "priority", "flex", "batch"};

const char *tp_pricing_tier_name(tp_tier t)
{
    return (unsigned)t < TP_TIER_COUNT ? tier_names[t] : "?";
}

/* Refuses an object that names a member twice: cJSON keeps both, and a lookup that takes the
 * first would silently ignore the second (a catalog is money: no guessing which was meant). */
static tp_status unique_members(const char *file, const char *path, const cJSON *obj,
                                tp_error *err)
{
    int oom;
    const cJSON *dup = cnum_json_duplicate(obj, &oom);
    if (oom)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (dup != NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s%s%s: given twice", file, path,
                            path[0] ? "." : "", dup->string);
    return TP_OK;
}

/* Checks that every member of obj is one of the allowed names, each at most once. */
static tp_status only_fields(const char *file, const char *path, const cJSON *obj,
                             const char *const *allowed, tp_error *err)
{
    const cJSON *it;
    tp_status rc = unique_members(file, path, obj, err);
    if (rc != TP_OK)
        return rc;
    cJSON_ArrayForEach(it, obj)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(it->string, *a) == 0;
        if (!ok)
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s%s%s: unknown field", file, path,
                                path[0] ? "." : "", it->string);
    }
    return TP_OK;
}

/* Reads a non-negative finite number; absent -> def (or an error when def < 0 means
 * "required"). */
static tp_status number(const char *file, const char *path, const cJSON *obj, const char *name,
                        double def, double *out, tp_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (v == NULL) {
        if (def < 0)
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: missing", file, path, name);
        *out = def;
        return TP_OK;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: not a number", file, path, name);
    if (v->valuedouble < 0) {
        char num[40];
        cnum_format(num, sizeof num, v->valuedouble);
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: negative value %s", file, path,
                            name, num);
    }
    *out = v->valuedouble;
    return TP_OK;
}

static tp_status object(const char *file, const char *path, const cJSON *parent,
                        const char *name, int required, const cJSON **out, tp_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    *out = NULL;
    if (v == NULL)
        return required ? tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: missing", file, path,
                                       name)
                        : TP_OK;
    if (!cJSON_IsObject(v))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: not an object", file, path, name);
    *out = v;
    return TP_OK;
}

/* "reserved_term_discount": {"<months>": factor, ...}, kept sorted by months. */
static tp_status parse_terms(const char *file, const char *sub, const cJSON *o,
                             tp_model_price *p, tp_error *err)
{
    const cJSON *t;
    tp_status rc;
    p->n_terms = 0;
    cJSON_ArrayForEach(t, o)
    {
        char *end = NULL;
        long months = strtol(t->string, &end, 10);
        if (end == t->string || *end != '\0' || months < 1 || months > 120)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.%s: a term is a whole number of months", file, sub,
                                t->string);
        if (p->n_terms == 8)
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s: at most 8 terms", file, sub);
        for (int j = 0; j < p->n_terms; j++)
            if (p->term_months[j] == months) /* "3" and "03" are one term */
                return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: the %ld-month term is given twice",
                                    file, sub, t->string, months);
        double f;
        if ((rc = number(file, sub, o, t->string, -1, &f, err)) != TP_OK)
            return rc;
        if (f <= 0 || f > 1)
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: a discount factor is in (0, 1]",
                                file, sub, t->string);
        int k = p->n_terms++;
        while (k > 0 && p->term_months[k - 1] > months) {
            p->term_months[k] = p->term_months[k - 1];
            p->term_discount[k] = p->term_discount[k - 1];
            k--;
        }
        p->term_months[k] = (int)months;
        p->term_discount[k] = f;
    }
    return TP_OK;
}

/* An optional sub-object `name` of m whose members are all numbers from `fields`: each
 * number is read into the matching out[i], defaulting to defs[i] (-1: required). */
static tp_status parse_numbers(const char *file, const char *path, const cJSON *m,
                               const char *name, const char *const *fields, const double *defs,
                               double *const *out, tp_error *err)
{
    const cJSON *o;
    char sub[460];
    tp_status rc = object(file, path, m, name, defs == NULL, &o, err);
    if (rc != TP_OK || o == NULL)
        return rc;
    snprintf(sub, sizeof sub, "%s.%s", path, name);
    if ((rc = only_fields(file, sub, o, fields, err)) != TP_OK)
        return rc;
    for (size_t i = 0; fields[i] != NULL; i++)
        if ((rc = number(file, sub, o, fields[i], defs ? defs[i] : -1, out[i], err)) != TP_OK)
            return rc;
    return TP_OK;
}

const char *tp_pricing_factor_origin_name(tp_factor_origin o)
{
    return o == TP_FACTOR_DERIVED ? "derived from prices"
                                  : o == TP_FACTOR_DEFAULT ? "default" : "explicit";
}

/* Burn-down factors the entry does not give (NAN after parsing). A cache-read token burns
 * reserved capacity at the model's own cache-read discount ("the same burn-down rate
 * conversion" as its cache-read pricing: docs/pricing.md), so without an explicit factor it is
 * cache_read / input, rounded to 9 decimals so that 0.30 / 3.00 is exactly 0.1. A cache write
 * is never derived: it burns 1.0 unless the entry says otherwise. */
static void resolve_burn_down(tp_model_price *p)
{
    p->burn_down_cache_read_origin = p->burn_down_cache_write_origin = TP_FACTOR_EXPLICIT;
    if (isnan(p->burn_down_cache_read)) {
        if (p->input_per_million_usd > 0) {
            const double f = p->cache_read_per_million_usd / p->input_per_million_usd;
            p->burn_down_cache_read = round(f * 1e9) / 1e9;
            p->burn_down_cache_read_origin = TP_FACTOR_DERIVED;
        } else {
            p->burn_down_cache_read = 0.1;
            p->burn_down_cache_read_origin = TP_FACTOR_DEFAULT;
        }
    }
    if (isnan(p->burn_down_cache_write)) {
        p->burn_down_cache_write = 1.0;
        p->burn_down_cache_write_origin = TP_FACTOR_DEFAULT;
    }
}

/* The price blocks of one entry: on-demand (required), reserved, burn-down, minimums. */
static tp_status parse_price_blocks(const char *file, const char *path, const cJSON *m,
                                    tp_model_price *p, tp_error *err)
{
    static const char *const io[] = {"input", "output", NULL};
    static const char *const od[] = {"input", "output", "cache_read", "cache_write", NULL};
    static const char *const bd[] = {"cache_read", "cache_write", NULL};
    static const double required[] = {-1, -1};
    static const double bd_defaults[] = {NAN, NAN}; /* absent: resolved by the caller */
    static const double zero[] = {0, 0};
    double *const od_out[] = {&p->input_per_million_usd, &p->output_per_million_usd,
                              &p->cache_read_per_million_usd, &p->cache_write_per_million_usd};
    double *const res_out[] = {&p->reserved_input_per_1k_tpm_hour_usd,
                               &p->reserved_output_per_1k_tpm_hour_usd};
    double *const bd_out[] = {&p->burn_down_cache_read, &p->burn_down_cache_write};
    double *const min_out[] = {&p->reserved_minimum_input_tpm, &p->reserved_minimum_output_tpm};
    tp_status rc;
    /* defs NULL: the block is required and so is each of its numbers */
    if ((rc = parse_numbers(file, path, m, "on_demand_per_million", od, NULL, od_out, err)) !=
        TP_OK)
        return rc;
    p->reserved_input_per_1k_tpm_hour_usd = p->reserved_output_per_1k_tpm_hour_usd = -1;
    if ((rc = parse_numbers(file, path, m, "reserved_per_1k_tpm_hour", io, required, res_out,
                            err)) != TP_OK)
        return rc;
    p->burn_down_cache_read = p->burn_down_cache_write = NAN;
    if ((rc = parse_numbers(file, path, m, "burn_down", bd, bd_defaults, bd_out, err)) != TP_OK)
        return rc;
    resolve_burn_down(p);
    return parse_numbers(file, path, m, "reserved_minimum_tpm", io, zero, min_out, err);
}

/* Upper bounds on catalog numbers: far beyond any real price, they keep a typo (or 1e300) from
 * turning into infinite costs or grids of absurd size. docs/pricing.md lists them. */
#define MAX_PRICE_USD 1e6
#define MAX_STEP_TPM 1e9
#define MAX_FACTOR 100.0

static tp_status over(const char *file, const char *path, const char *field, double v,
                      double lo, double hi, tp_error *err)
{
    char a[40], b[40], c[40];
    cnum_format(a, sizeof a, v);
    cnum_format(b, sizeof b, lo);
    cnum_format(c, sizeof c, hi);
    return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: %s is outside %s..%s", file, path,
                        field, a, b, c);
}

static tp_status check_bounds(const char *file, const char *path, const tp_model_price *p,
                              tp_error *err)
{
    const struct {
        const char *field;
        double v, lo, hi;
    } checks[] = {
        {"on_demand_per_million.input", p->input_per_million_usd, 0, MAX_PRICE_USD},
        {"on_demand_per_million.output", p->output_per_million_usd, 0, MAX_PRICE_USD},
        {"on_demand_per_million.cache_read", p->cache_read_per_million_usd, 0, MAX_PRICE_USD},
        {"on_demand_per_million.cache_write", p->cache_write_per_million_usd, 0, MAX_PRICE_USD},
        {"reserved_per_1k_tpm_hour.input", p->reserved_input_per_1k_tpm_hour_usd, -1,
         MAX_PRICE_USD},
        {"reserved_per_1k_tpm_hour.output", p->reserved_output_per_1k_tpm_hour_usd, -1,
         MAX_PRICE_USD},
        {"reserved_step_tpm", p->reserved_step_tpm, 1, MAX_STEP_TPM},
        {"reserved_minimum_tpm.input", p->reserved_minimum_input_tpm, 0, MAX_STEP_TPM},
        {"reserved_minimum_tpm.output", p->reserved_minimum_output_tpm, 0, MAX_STEP_TPM},
        {"quota_output_weight", p->quota_output_weight, 0, MAX_FACTOR},
        {"burn_down.cache_read", p->burn_down_cache_read, 0, MAX_FACTOR},
        {"burn_down.cache_write", p->burn_down_cache_write, 0, MAX_FACTOR},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (!(checks[i].v >= checks[i].lo && checks[i].v <= checks[i].hi))
            return over(file, path, checks[i].field, checks[i].v, checks[i].lo < 0 ? 0 : checks[i].lo,
                        checks[i].hi, err);
    return TP_OK;
}

/* Every tier of an entry: its published prices where it gives them, else the Standard price
 * x the tier's multiplier (the entry's own `tiers`, else the catalog's), an example; NAN for a
 * tier with neither (docs/pricing.md, "Prices per tier"). */
static void fill_tier_prices(tp_model_price *p, const double pub[TP_TIER_COUNT][TP_METRIC_COUNT],
                             const int published[TP_TIER_COUNT])
{
    const double standard[TP_METRIC_COUNT] = {
        p->input_per_million_usd, p->output_per_million_usd, p->cache_read_per_million_usd,
        p->cache_write_per_million_usd};
    for (int t = 0; t < TP_TIER_COUNT; t++) {
        for (int k = 0; k < TP_METRIC_COUNT; k++)
            p->tier_per_million_usd[t][k] =
                published[t] ? pub[t][k]
                : p->tier_multiplier[t] >= 0 ? standard[k] * p->tier_multiplier[t]
                                             : NAN;
        p->tier_price_published[t] = published[t];
    }
}

/* A "tiers" object (the catalog's or an entry's): multipliers by tier name, 0..MAX_FACTOR;
 * out[t] stays -1 for a tier it does not name. path is "tiers" or "models.X.tiers". */
static tp_status parse_multipliers(const char *file, const char *path, const cJSON *obj,
                                   double out[TP_TIER_COUNT], tp_error *err)
{
    const cJSON *t;
    tp_status rc;
    for (int k = 0; k < TP_TIER_COUNT; k++)
        out[k] = -1;
    if ((rc = unique_members(file, path, obj, err)) != TP_OK)
        return rc;
    cJSON_ArrayForEach(t, obj)
    {
        int k = 0;
        while (k < TP_TIER_COUNT && strcmp(t->string, tier_names[k]) != 0)
            k++;
        if (k == TP_TIER_COUNT)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.%s: unknown tier (standard, priority, flex, batch)", file,
                                path, t->string);
        if ((rc = number(file, path, obj, t->string, -1, &out[k], err)) != TP_OK)
            return rc;
        if (out[k] > MAX_FACTOR)
            return over(file, path, t->string, out[k], 0, MAX_FACTOR, err);
    }
    return TP_OK;
}

/* An optional string member copied into out[cap]: a longer one is refused, never cut. */
static tp_status text(const char *file, const char *path, const cJSON *obj, const char *name,
                      char *out, size_t cap, tp_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (v == NULL)
        return TP_OK;
    if (!cJSON_IsString(v))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: not a string", file, path, name);
    size_t n = strlen(v->valuestring);
    if (n >= cap)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: %zu characters (at most %zu)", file,
                            path, name, n, cap - 1);
    memcpy(out, v->valuestring, n + 1);
    return TP_OK;
}

/* An optional true/false member: *given says whether it was there. */
static tp_status boolean(const char *file, const char *path, const cJSON *obj, const char *name,
                         int *out, int *given, tp_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    *given = v != NULL;
    if (v == NULL)
        return TP_OK;
    if (!cJSON_IsBool(v))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.%s: not true or false", file, path,
                            name);
    *out = cJSON_IsTrue(v);
    return TP_OK;
}

/* Two prices agree when they differ by no more than rounding: 1e-9 of the larger, so that
 * 0.08 x 1.75 and a published 0.14 are one price. */
static int same_price(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)) + 1e-12;
}

static const char *const metric_names[TP_METRIC_COUNT] = {"input", "output", "cache_read",
                                                          "cache_write"};

/* "on_demand_per_million_by_tier": {"priority": {input, output, cache_read, cache_write,
 * source?, as_of?, note?}, "flex": ..., "batch": ...}. Every price of a tier is required (no
 * money defaults). A tier the entry also gives a multiplier for (its own "tiers") must agree
 * with it: mult[t] x the Standard price, metric by metric; the catalog's multipliers are
 * examples and never contradict a published price. */
static tp_status parse_tier_prices(const char *file, const char *path, const cJSON *m,
                                   const double entry_mult[TP_TIER_COUNT],
                                   const tp_model_price *p,
                                   double pub[TP_TIER_COUNT][TP_METRIC_COUNT],
                                   int published[TP_TIER_COUNT], tp_error *err)
{
    static const char *const fields[] = {"input", "output", "cache_read", "cache_write",
                                         "source", "as_of", "note", NULL};
    const double standard[TP_METRIC_COUNT] = {
        p->input_per_million_usd, p->output_per_million_usd, p->cache_read_per_million_usd,
        p->cache_write_per_million_usd};
    const cJSON *o, *t;
    char sub[460], tier_path[560];
    tp_status rc = object(file, path, m, "on_demand_per_million_by_tier", 0, &o, err);
    if (rc != TP_OK || o == NULL)
        return rc;
    snprintf(sub, sizeof sub, "%s.on_demand_per_million_by_tier", path);
    if ((rc = unique_members(file, sub, o, err)) != TP_OK)
        return rc;
    cJSON_ArrayForEach(t, o)
    {
        int k = 0;
        while (k < TP_TIER_COUNT && strcmp(t->string, tier_names[k]) != 0)
            k++;
        if (k == TP_TIER_STANDARD)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.standard: the Standard price is on_demand_per_million",
                                file, sub);
        if (k == TP_TIER_COUNT)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.%s: unknown tier (priority, flex, batch)", file, sub,
                                t->string);
        snprintf(tier_path, sizeof tier_path, "%s.%s", sub, t->string);
        if (!cJSON_IsObject(t))
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s: not an object", file, tier_path);
        if ((rc = only_fields(file, tier_path, t, fields, err)) != TP_OK)
            return rc;
        for (int j = 0; j < TP_METRIC_COUNT; j++) {
            if ((rc = number(file, tier_path, t, metric_names[j], -1, &pub[k][j], err)) != TP_OK)
                return rc;
            if (pub[k][j] > MAX_PRICE_USD)
                return over(file, tier_path, metric_names[j], pub[k][j], 0, MAX_PRICE_USD, err);
            if (entry_mult[k] >= 0 && !same_price(pub[k][j], standard[j] * entry_mult[k])) {
                char a[40], b[40], c[40], d[40];
                cnum_format(a, sizeof a, pub[k][j]);
                cnum_format(b, sizeof b, entry_mult[k]);
                cnum_format(c, sizeof c, standard[j]);
                cnum_format(d, sizeof d, standard[j] * entry_mult[k]);
                return tp_error_set(err, TP_ERR_INVALID,
                                    "%s: %s.%s: %s contradicts the entry's tiers.%s: %s x "
                                    "on_demand_per_million.%s %s = %s",
                                    file, tier_path, metric_names[j], a, t->string, b,
                                    metric_names[j], c, d);
            }
        }
        char scratch[256];
        if ((rc = text(file, tier_path, t, "source", scratch, sizeof scratch, err)) != TP_OK ||
            (rc = text(file, tier_path, t, "as_of", scratch, sizeof scratch, err)) != TP_OK ||
            (rc = text(file, tier_path, t, "note", scratch, sizeof scratch, err)) != TP_OK)
            return rc;
        published[k] = 1;
    }
    return TP_OK;
}

/* The tiers of one entry: its own multipliers over the catalog's, then its prices per tier. */
static tp_status parse_tiers(const char *file, const char *path, const cJSON *m,
                             const tp_pricing *cat, tp_model_price *p, tp_error *err)
{
    double entry_mult[TP_TIER_COUNT], pub[TP_TIER_COUNT][TP_METRIC_COUNT];
    int published[TP_TIER_COUNT] = {0};
    const cJSON *o;
    char sub[460];
    tp_status rc = object(file, path, m, "tiers", 0, &o, err);
    if (rc != TP_OK)
        return rc;
    for (int k = 0; k < TP_TIER_COUNT; k++)
        entry_mult[k] = -1;
    if (o != NULL) {
        snprintf(sub, sizeof sub, "%s.tiers", path);
        if ((rc = parse_multipliers(file, sub, o, entry_mult, err)) != TP_OK)
            return rc;
    }
    for (int k = 0; k < TP_TIER_COUNT; k++)
        p->tier_multiplier[k] = entry_mult[k] >= 0 ? entry_mult[k] : cat->tier_multiplier[k];
    if ((rc = parse_tier_prices(file, path, m, entry_mult, p, pub, published, err)) != TP_OK)
        return rc;
    fill_tier_prices(p, (const double(*)[TP_METRIC_COUNT])pub, published);
    return TP_OK;
}

/* Whether the Reserved tier is sold for this entry's model, and who says so: the entry's own
 * reserved_offered, else the catalog's reserved_offered_default, else whether the entry has
 * reserved prices; each
 * of source and as_of the entry's, else the catalog's (docs/pricing.md, "The Reserved
 * offer"). */
static tp_status parse_offer(const char *file, const char *path, const cJSON *m,
                             const tp_pricing *cat, tp_model_price *p, tp_error *err)
{
    int given;
    tp_status rc;
    /* a catalog that says nothing (one written before the flag): an entry with reserved
     * prices is offered, those prices being its author's claim that capacity can be bought */
    p->reserved_offered = cat->reserved_offered_default >= 0
                              ? cat->reserved_offered_default
                              : p->reserved_input_per_1k_tpm_hour_usd >= 0 ||
                                    p->reserved_output_per_1k_tpm_hour_usd >= 0;
    memcpy(p->reserved_offered_source, cat->reserved_offered_source,
           sizeof p->reserved_offered_source);
    memcpy(p->reserved_offered_as_of, cat->reserved_offered_as_of,
           sizeof p->reserved_offered_as_of);
    if ((rc = boolean(file, path, m, "reserved_offered", &p->reserved_offered, &given, err)) !=
            TP_OK ||
        (rc = text(file, path, m, "reserved_offered_source", p->reserved_offered_source,
                   sizeof p->reserved_offered_source, err)) != TP_OK)
        return rc;
    return text(file, path, m, "reserved_offered_as_of", p->reserved_offered_as_of,
                sizeof p->reserved_offered_as_of, err);
}

static const char *const provider_names[TP_PROVIDER_COUNT] = {
    "bedrock", "azure-ptu", "vertex-gsu", "openai-scale", "xai", "alibaba"};

const char *tp_pricing_provider_name(tp_provider p)
{
    return (unsigned)p < TP_PROVIDER_COUNT ? provider_names[p] : "?";
}

static const char *const unit_term_names[TP_UNIT_TERM_COUNT] = {"hourly", "1_week", "1_month",
                                                                "3_months", "1_year"};

const char *tp_pricing_unit_term_name(tp_unit_term t)
{
    return (unsigned)t < TP_UNIT_TERM_COUNT ? unit_term_names[t] : "?";
}

/* Bounds of a unit entry (docs/pricing.md, "Providers"). */
#define MAX_UNITS 1000000
#define MAX_UNIT_TPM 1e9

/* A whole number of units in 1..MAX_UNITS (required). */
static tp_status whole_units(const char *file, const char *path, const cJSON *o,
                             const char *name, int64_t *out, tp_error *err)
{
    double v;
    tp_status rc = number(file, path, o, name, -1, &v, err);
    if (rc != TP_OK)
        return rc;
    if (v < 1 || v > MAX_UNITS || v != floor(v))
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.%s: a whole number of units from 1 to %d", file, path, name,
                            MAX_UNITS);
    *out = (int64_t)v;
    return TP_OK;
}

/* "per_unit_hour": a number (the hourly price) or {"hourly": x, "1_month": y, ...}, each
 * price in (0, MAX_PRICE_USD]; at least one term. */
static tp_status parse_unit_prices(const char *file, const char *path, const cJSON *o,
                                   tp_unit_price *u, tp_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "per_unit_hour");
    char sub[560];
    tp_status rc;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        u->per_unit_hour_usd[t] = -1;
    snprintf(sub, sizeof sub, "%s.per_unit_hour", path);
    if (v == NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: missing", file, sub);
    if (cJSON_IsNumber(v)) {
        if ((rc = number(file, path, o, "per_unit_hour", -1, &u->per_unit_hour_usd[0], err)) !=
            TP_OK)
            return rc;
        if (!(u->per_unit_hour_usd[0] > 0 && u->per_unit_hour_usd[0] <= MAX_PRICE_USD))
            return over(file, path, "per_unit_hour", u->per_unit_hour_usd[0], 0, MAX_PRICE_USD,
                        err);
        return TP_OK;
    }
    if (!cJSON_IsObject(v))
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: a price per unit-hour, or an object by term", file, sub);
    static const char *const allowed[] = {"hourly", "1_week", "1_month", "3_months", "1_year",
                                          NULL};
    if ((rc = only_fields(file, sub, v, allowed, err)) != TP_OK)
        return rc;
    int n = 0;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++) {
        if (cJSON_GetObjectItemCaseSensitive(v, unit_term_names[t]) == NULL)
            continue;
        if ((rc = number(file, sub, v, unit_term_names[t], -1, &u->per_unit_hour_usd[t], err)) !=
            TP_OK)
            return rc;
        if (!(u->per_unit_hour_usd[t] > 0 && u->per_unit_hour_usd[t] <= MAX_PRICE_USD))
            return over(file, sub, unit_term_names[t], u->per_unit_hour_usd[t], 0,
                        MAX_PRICE_USD, err);
        n++;
    }
    if (n == 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: no term (hourly, 1_week, 1_month, 3_months, 1_year)", file,
                            sub);
    /* a commitment priced at or above no commitment is a catalog error */
    for (int t = TP_UNIT_HOURLY + 1; t < TP_UNIT_TERM_COUNT; t++)
        if (u->per_unit_hour_usd[TP_UNIT_HOURLY] > 0 &&
            u->per_unit_hour_usd[t] >= u->per_unit_hour_usd[TP_UNIT_HOURLY])
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.%s: %g is not below the hourly price %g", file, sub,
                                unit_term_names[t], u->per_unit_hour_usd[t],
                                u->per_unit_hour_usd[TP_UNIT_HOURLY]);
    return TP_OK;
}

/* The entry's "units": the reservation model of a unit-based provider. */
static tp_status parse_units(const char *file, const char *path, const cJSON *m,
                             tp_model_price *p, tp_error *err)
{
    static const char *const fields[] = {
        "name", "input_tpm_per_unit", "tokens_per_second_per_unit", "output_weight",
        "cache_read_weight", "cache_write_weight", "minimum_units", "step_units",
        "per_unit_hour", "overflow", "example", "capacity_example", "source", "as_of", "note",
        NULL};
    static const char *const weights[] = {"output_weight", "cache_read_weight",
                                          "cache_write_weight"};
    tp_unit_price *u = &p->unit;
    const cJSON *o;
    char sub[460], scratch[256];
    tp_status rc = object(file, path, m, "units", 1, &o, err);
    if (rc != TP_OK)
        return rc;
    snprintf(sub, sizeof sub, "%s.units", path);
    if ((rc = only_fields(file, sub, o, fields, err)) != TP_OK)
        return rc;
    snprintf(u->name, sizeof u->name, "%s",
             p->provider == TP_PROVIDER_AZURE_PTU    ? "PTU"
             : p->provider == TP_PROVIDER_VERTEX_GSU ? "GSU"
                                                     : "unit");
    if ((rc = text(file, sub, o, "name", u->name, sizeof u->name, err)) != TP_OK)
        return rc;
    /* a name is shown as it is in every format: letters and digits only */
    int name_ok = u->name[0] != '\0';
    for (const char *c = u->name; *c != '\0'; c++)
        name_ok &= (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');
    if (!name_ok)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.name: 1 to 15 letters and digits (\"PTU\", \"GSU\")", file,
                            sub);
    const int has_tpm = cJSON_GetObjectItemCaseSensitive(o, "input_tpm_per_unit") != NULL;
    const int has_tps = cJSON_GetObjectItemCaseSensitive(o, "tokens_per_second_per_unit") != NULL;
    if (has_tpm == has_tps)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s: give one of input_tpm_per_unit and "
                            "tokens_per_second_per_unit",
                            file, sub);
    const char *cap_name = has_tpm ? "input_tpm_per_unit" : "tokens_per_second_per_unit";
    double cap;
    if ((rc = number(file, sub, o, cap_name, -1, &cap, err)) != TP_OK)
        return rc;
    const double cap_tpm = has_tpm ? cap : cap * 60;
    if (!(cap > 0 && cap_tpm <= MAX_UNIT_TPM))
        return over(file, sub, cap_name, cap, 0, has_tpm ? MAX_UNIT_TPM : MAX_UNIT_TPM / 60,
                    err);
    u->capacity_tpm_per_unit = cap_tpm;
    u->per_second = has_tps;
    double *const wout[] = {&u->output_weight, &u->cache_read_weight, &u->cache_write_weight};
    for (int i = 0; i < 3; i++) {
        if ((rc = number(file, sub, o, weights[i], -1, wout[i], err)) != TP_OK)
            return rc;
        if (*wout[i] > MAX_FACTOR)
            return over(file, sub, weights[i], *wout[i], 0, MAX_FACTOR, err);
    }
    /* an output token costs at least an input token's capacity, and a cached token no more
     * than an output token's: a weight outside that is a typo, not a provider's rule */
    if (u->output_weight < 1)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.output_weight: %g is below 1 (an output token weighs at "
                            "least an input token)",
                            file, sub, u->output_weight);
    for (int i = 1; i < 3; i++)
        if (*wout[i] > u->output_weight)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.%s: %g is above output_weight %g (0..output_weight)",
                                file, sub, weights[i], *wout[i], u->output_weight);
    if ((rc = whole_units(file, sub, o, "minimum_units", &u->minimum_units, err)) != TP_OK ||
        (rc = whole_units(file, sub, o, "step_units", &u->step_units, err)) != TP_OK ||
        (rc = parse_unit_prices(file, sub, o, u, err)) != TP_OK)
        return rc;
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(o, "overflow");
    if (ov == NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.overflow: missing", file, sub);
    if (!cJSON_IsString(ov) ||
        (strcmp(ov->valuestring, "spill") != 0 && strcmp(ov->valuestring, "throttle") != 0))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.overflow: \"spill\" or \"throttle\"",
                            file, sub);
    u->throttle = strcmp(ov->valuestring, "throttle") == 0;
    int given;
    if ((rc = boolean(file, sub, o, "example", &u->example, &given, err)) != TP_OK ||
        (rc = boolean(file, sub, o, "capacity_example", &u->capacity_example, &given, err)) !=
            TP_OK ||
        (rc = text(file, sub, o, "source", scratch, sizeof scratch, err)) != TP_OK ||
        (rc = text(file, sub, o, "as_of", scratch, sizeof scratch, err)) != TP_OK)
        return rc;
    return text(file, sub, o, "note", scratch, sizeof scratch, err);
}

/* Bounds of a two-pool entry: a term of days (docs/pricing.md, "Two pools"). */
#define MAX_UNIT_DAYS 3650

/* One pool of a two-pool entry: "input" (with its cache weights) or "output". */
static tp_status parse_pool(const char *file, const char *path, const cJSON *units,
                            const char *name, tp_unit_pool *pool, tp_error *err)
{
    static const char *const in_fields[] = {"tpm_per_unit", "cache_read_weight",
                                            "cache_write_weight", "minimum_units",
                                            "step_units", "per_unit_day", NULL};
    static const char *const out_fields[] = {"tpm_per_unit", "minimum_units", "step_units",
                                             "per_unit_day", NULL};
    const int input = strcmp(name, "input") == 0;
    const cJSON *o;
    char sub[520];
    tp_status rc = object(file, path, units, name, 1, &o, err);
    if (rc != TP_OK)
        return rc;
    snprintf(sub, sizeof sub, "%s.%s", path, name);
    if ((rc = only_fields(file, sub, o, input ? in_fields : out_fields, err)) != TP_OK ||
        (rc = number(file, sub, o, "tpm_per_unit", -1, &pool->capacity_tpm_per_unit, err)) !=
            TP_OK)
        return rc;
    if (!(pool->capacity_tpm_per_unit > 0 && pool->capacity_tpm_per_unit <= MAX_UNIT_TPM))
        return over(file, sub, "tpm_per_unit", pool->capacity_tpm_per_unit, 0, MAX_UNIT_TPM,
                    err);
    if (input) {
        /* a cached token takes no more of the input pool than an uncached one: a weight above
         * 1 is a typo, not a provider's rule */
        static const char *const weights[] = {"cache_read_weight", "cache_write_weight"};
        double *const w[] = {&pool->cache_read_weight, &pool->cache_write_weight};
        for (int i = 0; i < 2; i++) {
            if ((rc = number(file, sub, o, weights[i], -1, w[i], err)) != TP_OK)
                return rc;
            if (*w[i] > 1)
                return over(file, sub, weights[i], *w[i], 0, 1, err);
        }
    }
    if ((rc = whole_units(file, sub, o, "minimum_units", &pool->minimum_units, err)) != TP_OK ||
        (rc = whole_units(file, sub, o, "step_units", &pool->step_units, err)) != TP_OK ||
        (rc = number(file, sub, o, "per_unit_day", -1, &pool->per_unit_day_usd, err)) != TP_OK)
        return rc;
    if (!(pool->per_unit_day_usd > 0 && pool->per_unit_day_usd <= MAX_PRICE_USD))
        return over(file, sub, "per_unit_day", pool->per_unit_day_usd, 0, MAX_PRICE_USD, err);
    return TP_OK;
}

/* The "units" of a two-pool provider (openai-scale, xai): input and output units bought per
 * day for at least minimum_days. The one-pool fields mirror the input pool (pricing.h). */
static tp_status parse_pools(const char *file, const char *path, const cJSON *m,
                             tp_model_price *p, tp_error *err)
{
    static const char *const fields[] = {
        "name", "input", "output", "minimum_days", "overflow", "example", "capacity_example",
        "source", "as_of", "note", NULL};
    tp_unit_price *u = &p->unit;
    const cJSON *o;
    char sub[460], scratch[256];
    double days;
    tp_status rc = object(file, path, m, "units", 1, &o, err);
    if (rc != TP_OK)
        return rc;
    snprintf(sub, sizeof sub, "%s.units", path);
    if ((rc = only_fields(file, sub, o, fields, err)) != TP_OK)
        return rc;
    snprintf(u->name, sizeof u->name, "%s", "unit");
    if ((rc = text(file, sub, o, "name", u->name, sizeof u->name, err)) != TP_OK)
        return rc;
    int name_ok = u->name[0] != '\0';
    for (const char *c = u->name; *c != '\0'; c++)
        name_ok &= (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');
    if (!name_ok)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.name: 1 to 15 letters and digits (\"unit\")", file, sub);
    if ((rc = parse_pool(file, sub, o, "input", &u->input_pool, err)) != TP_OK ||
        (rc = parse_pool(file, sub, o, "output", &u->output_pool, err)) != TP_OK ||
        (rc = number(file, sub, o, "minimum_days", -1, &days, err)) != TP_OK)
        return rc;
    if (days < 1 || days > MAX_UNIT_DAYS || days != floor(days))
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.minimum_days: a whole number of days from 1 to %d", file,
                            sub, MAX_UNIT_DAYS);
    u->minimum_days = (int64_t)days;
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(o, "overflow");
    if (ov == NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.overflow: missing", file, sub);
    if (!cJSON_IsString(ov) ||
        (strcmp(ov->valuestring, "spill") != 0 && strcmp(ov->valuestring, "throttle") != 0))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.overflow: \"spill\" or \"throttle\"",
                            file, sub);
    u->throttle = strcmp(ov->valuestring, "throttle") == 0;
    int given;
    if ((rc = boolean(file, sub, o, "example", &u->example, &given, err)) != TP_OK ||
        (rc = boolean(file, sub, o, "capacity_example", &u->capacity_example, &given, err)) !=
            TP_OK ||
        (rc = text(file, sub, o, "source", scratch, sizeof scratch, err)) != TP_OK ||
        (rc = text(file, sub, o, "as_of", scratch, sizeof scratch, err)) != TP_OK ||
        (rc = text(file, sub, o, "note", scratch, sizeof scratch, err)) != TP_OK)
        return rc;
    /* the one-pool view, for callers that read it: the input pool, sold on one term */
    u->pools = 1;
    u->capacity_tpm_per_unit = u->input_pool.capacity_tpm_per_unit;
    u->per_second = 0;
    u->output_weight = 0;
    u->cache_read_weight = u->input_pool.cache_read_weight;
    u->cache_write_weight = u->input_pool.cache_write_weight;
    u->minimum_units = u->input_pool.minimum_units;
    u->step_units = u->input_pool.step_units;
    for (int t = 0; t < TP_UNIT_TERM_COUNT; t++)
        u->per_unit_hour_usd[t] = -1;
    u->per_unit_hour_usd[TP_UNIT_1_MONTH] = u->input_pool.per_unit_day_usd / 24;
    return TP_OK;
}

/* The entry's "provider" (bedrock when absent) and, for a unit-based one, its "units". */
static tp_status parse_provider(const char *file, const char *path, const cJSON *m,
                                tp_model_price *p, tp_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "provider");
    p->provider = TP_PROVIDER_BEDROCK;
    if (v != NULL) {
        int k = 0;
        if (!cJSON_IsString(v))
            return tp_error_set(err, TP_ERR_INVALID, "%s: %s.provider: not a string", file,
                                path);
        while (k < TP_PROVIDER_COUNT && strcmp(v->valuestring, provider_names[k]) != 0)
            k++;
        if (k == TP_PROVIDER_COUNT)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.provider: unknown provider \"%.60s\" (bedrock, "
                                "azure-ptu, vertex-gsu, openai-scale, xai, alibaba)",
                                file, path, v->valuestring);
        p->provider = (tp_provider)k;
    }
    if (p->provider == TP_PROVIDER_ALIBABA)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: %s.provider: alibaba reserves TPM per day within chosen "
                            "8-hour time windows, which tierplan does not plan yet "
                            "(docs/pricing.md, \"Providers\")",
                            file, path);
    if (p->provider == TP_PROVIDER_BEDROCK) {
        if (cJSON_GetObjectItemCaseSensitive(m, "units") != NULL)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.units: only for a unit-based provider (azure-ptu, "
                                "vertex-gsu, openai-scale, xai)",
                                file, path);
        return TP_OK;
    }
    /* Bedrock's reservation fields mean nothing to units: refused, not ignored */
    static const char *const bedrock_only[] = {
        "reserved_per_1k_tpm_hour", "reserved_term_discount", "quota_output_weight",
        "burn_down", "reserved_minimum_tpm", "reserved_step_tpm", "reserved_example",
        "reserved_offered", "reserved_offered_source", "reserved_offered_as_of", NULL};
    for (int i = 0; bedrock_only[i] != NULL; i++)
        if (cJSON_GetObjectItemCaseSensitive(m, bedrock_only[i]) != NULL)
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.%s: a Bedrock field; entry sold in units (%s) takes "
                                "its reservation from units",
                                file, path, bedrock_only[i], provider_names[p->provider]);
    const int pools =
        p->provider == TP_PROVIDER_OPENAI_SCALE || p->provider == TP_PROVIDER_XAI;
    tp_status rc = pools ? parse_pools(file, path, m, p, err) : parse_units(file, path, m, p, err);
    if (rc != TP_OK || p->unit.throttle)
        return rc;
    /* spill is billed on demand: a free input or output token would make spill free */
    static const char *const kinds[] = {"input", "output"};
    for (int k = 0; k < 2; k++)
        if (!(p->tier_per_million_usd[TP_TIER_STANDARD][k] > 0))
            return tp_error_set(err, TP_ERR_INVALID,
                                "%s: %s.on_demand_per_million.%s: %g; overflow \"spill\" "
                                "needs an on-demand price above 0",
                                file, path, kinds[k], p->tier_per_million_usd[TP_TIER_STANDARD][k]);
    return TP_OK;
}

static tp_status parse_model(const char *file, const char *key, const cJSON *m,
                             const tp_pricing *cat, tp_model_price *p, tp_error *err)
{
    static const char *const fields[] = {
        "on_demand_per_million", "on_demand_per_million_by_tier", "tiers",
        "reserved_per_1k_tpm_hour", "reserved_term_discount", "quota_output_weight", "burn_down",
        "reserved_minimum_tpm", "reserved_step_tpm", "reserved_example", "reserved_offered",
        "reserved_offered_source", "reserved_offered_as_of", "source", "as_of", "note",
        "provider", "units", NULL};
    char path[400];
    tp_status rc;
    const cJSON *o;
    memset(p, 0, sizeof *p);
    /* entry is a fixed buffer in the public struct: a longer key is refused, never cut */
    if (strlen(key) >= sizeof p->entry)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s: models: a key of %zu characters (at most %zu): \"%.40s...\"",
                            file, strlen(key), sizeof p->entry - 1, key);
    memcpy(p->entry, key, strlen(key) + 1);
    snprintf(path, sizeof path, "models.%s", key);
    if (!cJSON_IsObject(m))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s: not an object", file, path);
    if ((rc = only_fields(file, path, m, fields, err)) != TP_OK ||
        (rc = parse_price_blocks(file, path, m, p, err)) != TP_OK)
        return rc;

    p->n_terms = 1; /* a 1-month term at list price unless the catalog says otherwise */
    p->term_months[0] = 1;
    p->term_discount[0] = 1.0;
    if ((rc = object(file, path, m, "reserved_term_discount", 0, &o, err)) != TP_OK)
        return rc;
    if (o != NULL) {
        char sub[460];
        snprintf(sub, sizeof sub, "%s.reserved_term_discount", path);
        if ((rc = parse_terms(file, sub, o, p, err)) != TP_OK)
            return rc;
    }
    if ((rc = number(file, path, m, "quota_output_weight", 1.0, &p->quota_output_weight, err)) !=
            TP_OK ||
        (rc = number(file, path, m, "reserved_step_tpm", 1000, &p->reserved_step_tpm, err)) !=
            TP_OK)
        return rc;
    if (p->reserved_step_tpm <= 0)
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.reserved_step_tpm: must be positive",
                            file, path);
    if ((rc = check_bounds(file, path, p, err)) != TP_OK)
        return rc;
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(m, "reserved_example");
    if (ex != NULL && !cJSON_IsBool(ex))
        return tp_error_set(err, TP_ERR_INVALID, "%s: %s.reserved_example: not true or false",
                            file, path);
    p->example_reserved = cJSON_IsTrue(ex);
    if ((rc = parse_tiers(file, path, m, cat, p, err)) != TP_OK ||
        (rc = parse_provider(file, path, m, p, err)) != TP_OK)
        return rc;
    return parse_offer(file, path, m, cat, p, err);
}

tp_status tp_pricing_parse(const char *name, const char *json, size_t len, tp_pricing **out,
                           tp_error *err)
{
    static const char *const top[] = {"currency", "tiers", "models", "source", "note",
                                      "reserved_offered_default", "reserved_offered_source",
                                      "reserved_offered_as_of", NULL};
    tp_status rc = TP_OK;
    cJSON *doc = NULL;
    tp_pricing *p = NULL;
    *out = NULL;
    if (len > TP_PRICING_MAX_BYTES)
        return tp_error_set(err, TP_ERR_TOO_BIG, "%s: over the catalog cap of %zu bytes", name,
                            TP_PRICING_MAX_BYTES);
    int oom;
    doc = cnum_json_parse(json, len, NULL, 0, &oom);
    if (oom)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (doc == NULL) {
        size_t line = 1;
        const char *ep = cJSON_GetErrorPtr();
        for (const char *c = json; ep != NULL && c < ep && c < json + len; c++)
            line += *c == '\n';
        return tp_error_set(err, TP_ERR_PARSE, "%s:%zu: malformed JSON", name, line);
    }
    p = calloc(1, sizeof *p);
    if (p == NULL || (p->source = strdup(name)) == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    sha256_hex(json, len, p->sha256);
    if (!cJSON_IsObject(doc)) {
        rc = tp_error_set(err, TP_ERR_INVALID, "%s: $: not an object", name);
        goto cleanup;
    }
    if ((rc = only_fields(name, "", doc, top, err)) != TP_OK)
        goto cleanup;
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(doc, "currency");
    if (!cJSON_IsString(cur) || strcmp(cur->valuestring, "USD") != 0) {
        rc = tp_error_set(err, TP_ERR_INVALID, "%s: currency: must be \"USD\"", name);
        goto cleanup;
    }
    const cJSON *tiers, *models;
    int given;
    if ((rc = object(name, "$", doc, "tiers", 1, &tiers, err)) != TP_OK ||
        (rc = object(name, "$", doc, "models", 1, &models, err)) != TP_OK ||
        (rc = unique_members(name, "models", models, err)) != TP_OK ||
        (rc = parse_multipliers(name, "tiers", tiers, p->tier_multiplier, err)) != TP_OK)
        goto cleanup;
    if ((rc = boolean(name, "$", doc, "reserved_offered_default", &p->reserved_offered_default,
                      &given, err)) != TP_OK)
        goto cleanup;
    if (!given)
        p->reserved_offered_default = -1;
    if ((rc = text(name, "$", doc, "reserved_offered_source", p->reserved_offered_source,
                   sizeof p->reserved_offered_source, err)) != TP_OK ||
        (rc = text(name, "$", doc, "reserved_offered_as_of", p->reserved_offered_as_of,
                   sizeof p->reserved_offered_as_of, err)) != TP_OK)
        goto cleanup;
    for (int k = 0; k < 2; k++) /* standard and priority are what spill is billed at */
        if (p->tier_multiplier[k] < 0) {
            rc = tp_error_set(err, TP_ERR_INVALID, "%s: tiers.%s: missing", name, tier_names[k]);
            goto cleanup;
        }
    size_t n = (size_t)cJSON_GetArraySize(models);
    p->entries = calloc(n ? n : 1, sizeof *p->entries);
    if (p->entries == NULL) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, models)
    {
        entry *e = &p->entries[p->n];
        if ((rc = parse_model(name, m->string, m, p, &e->price, err)) != TP_OK)
            goto cleanup;
        if ((e->key = strdup(m->string)) == NULL) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        p->n++;
    }
    *out = p;
    p = NULL;
cleanup:
    cJSON_Delete(doc);
    tp_pricing_free(p);
    return rc;
}

tp_status tp_pricing_load(const char *path, tp_pricing **out, tp_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    tp_status rc = util_read_capped(path, TP_PRICING_MAX_BYTES, "a price catalog", &buf, &len, err);
    if (rc == TP_OK)
        rc = tp_pricing_parse(path, buf, len, out, err);
    free(buf);
    return rc;
}

void tp_pricing_free(tp_pricing *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->entries[i].key);
    free(p->entries);
    free(p->source);
    free(p);
}

const char *tp_pricing_sha256(const tp_pricing *p) { return p->sha256; }
const char *tp_pricing_source(const tp_pricing *p) { return p->source; }

static const entry *find(const tp_pricing *p, const char *key, size_t len)
{
    for (size_t i = 0; i < p->n; i++)
        if (strlen(p->entries[i].key) == len && strncmp(p->entries[i].key, key, len) == 0)
            return &p->entries[i];
    return NULL;
}

tp_status tp_pricing_lookup(const tp_pricing *p, const char *model, tp_model_price *out,
                            tp_warn_fn warn, void *warn_ctx, tp_error *err)
{
    const entry *e = find(p, model, strlen(model));
    const char *id = model;
    /* arn:aws:bedrock:REGION:[ACCOUNT]:foundation-model/ID or .../inference-profile/ID */
    if (e == NULL && strncmp(model, "arn:", 4) == 0) {
        const char *slash = strrchr(model, '/');
        if (slash != NULL && (strstr(model, ":foundation-model/") != NULL ||
                              strstr(model, ":inference-profile/") != NULL)) {
            id = slash + 1;
            e = find(p, id, strlen(id));
        }
    }
    const char *bare = util_strip_region(id);
    if (e == NULL && bare != id)
        e = find(p, bare, strlen(bare));
    if (e == NULL && (e = find(p, "*", 1)) != NULL && warn != NULL) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "%s: no price entry for model \"%s\": using the catalog's \"*\" entry",
                 p->source, model);
        warn(warn_ctx, msg);
    }
    if (e == NULL)
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "%s: no price entry for model \"%s\"%s (add one to the catalog)",
                            p->source, model,
                            strstr(model, "application-inference-profile") != NULL
                                ? ": an application inference profile ARN names no model"
                                : "");
    *out = e->price;
    return TP_OK;
}

double tp_pricing_billed_hours(int64_t from_minute, int64_t to_minute)
{
    double billed = 0;
    for (int64_t cur = from_minute; cur < to_minute;) {
        const int64_t month_from = util_month_start(cur * 60) / 60;
        const int64_t month_to = util_month_add(cur * 60, 1) / 60;
        const int64_t end = month_to < to_minute ? month_to : to_minute;
        /* 730 x minutes / month minutes: exact integers multiplied first, so a whole month is
         * exactly 730 */
        billed += TP_HOURS_PER_MONTH * (double)(end - cur) / (double)(month_to - month_from);
        cur = end;
    }
    return billed;
}

tp_model_price tp_pricing_bill_span(const tp_model_price *p, int64_t from_minute,
                                    int64_t to_minute)
{
    tp_model_price b = *p;
    if (to_minute <= from_minute)
        return b;
    const double f = tp_pricing_billed_hours(from_minute, to_minute) /
                     ((double)(to_minute - from_minute) / 60.0);
    if (b.reserved_input_per_1k_tpm_hour_usd > 0)
        b.reserved_input_per_1k_tpm_hour_usd *= f;
    if (b.reserved_output_per_1k_tpm_hour_usd > 0)
        b.reserved_output_per_1k_tpm_hour_usd *= f;
    b.billed_per_span_hour = (p->billed_per_span_hour > 0 ? p->billed_per_span_hour : 1) * f;
    return b;
}

double tp_pricing_rate_hours(const tp_model_price *p, double hours)
{
    const double h = hours * (p->billed_per_span_hour > 0 ? p->billed_per_span_hour : 1);
    return h > 0 ? h : 1;
}
