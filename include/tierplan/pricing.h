/* pricing.h - the price catalog: on-demand and reserved prices, tier multipliers, burn-down. */
#ifndef TIERPLAN_PRICING_H
#define TIERPLAN_PRICING_H

#include "tierplan/common.h"
#include "tierplan/metric.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded price catalog. Opaque; free with tp_pricing_free. */
typedef struct tp_pricing tp_pricing;

/** Spill / on-demand tiers with a price multiplier in the catalog. */
typedef enum tp_tier {
    TP_TIER_STANDARD = 0,
    TP_TIER_PRIORITY,
    TP_TIER_FLEX,
    TP_TIER_BATCH,
    TP_TIER_COUNT
} tp_tier;

/** Catalog name of a tier ("standard", ...): a static string, "?" for an unknown t. */
TP_API const char *tp_pricing_tier_name(tp_tier t);

/** Cap on a catalog file: it is a small hand-written document. */
#define TP_PRICING_MAX_BYTES ((size_t)4 << 20)

/** Where a burn-down factor came from (docs/pricing.md, "Burn-down factors"). */
typedef enum tp_factor_origin {
    TP_FACTOR_EXPLICIT = 0, /**< the entry's `burn_down` object */
    TP_FACTOR_DERIVED,      /**< cache-read price / input price: reserved capacity burns a
                                 cached token at the model's cache-read discount */
    TP_FACTOR_DEFAULT       /**< nothing to go by: cache read 0.1, cache write 1.0 */
} tp_factor_origin;

/** "explicit", "derived from prices" or "default": a static string, never NULL. */
TP_API const char *tp_pricing_factor_origin_name(tp_factor_origin o);

/** Who sells the capacity, and so how it is bought (docs/pricing.md, "Providers"). */
typedef enum tp_provider {
    TP_PROVIDER_BEDROCK = 0, /**< reserved input and output TPM (the default) */
    TP_PROVIDER_AZURE_PTU,   /**< Azure OpenAI / Foundry provisioned throughput units */
    TP_PROVIDER_VERTEX_GSU,  /**< Vertex AI Provisioned Throughput, GSUs, enforced per second */
    TP_PROVIDER_OPENAI_SCALE, /**< OpenAI Scale Tier: input and output units bought per day */
    TP_PROVIDER_XAI,          /**< xAI: input and output units per day (the same shape) */
    TP_PROVIDER_ALIBABA,      /**< Alibaba Model Studio reserved TPM: named, not planned yet */
    TP_PROVIDER_COUNT
} tp_provider;

/** Catalog name of a provider ("bedrock", "azure-ptu", ...): static, "?" when unknown. */
TP_API const char *tp_pricing_provider_name(tp_provider p);

/** Terms a unit is sold on, each with its own price per unit-hour. */
typedef enum tp_unit_term {
    TP_UNIT_HOURLY = 0, /**< no commitment, billed per hour deployed */
    TP_UNIT_1_WEEK,
    TP_UNIT_1_MONTH,
    TP_UNIT_3_MONTHS,
    TP_UNIT_1_YEAR,
    TP_UNIT_TERM_COUNT
} tp_unit_term;

/** Catalog name of a term ("hourly", "1_week", "1_month", "3_months", "1_year"): static,
 * "?" when unknown. */
TP_API const char *tp_pricing_unit_term_name(tp_unit_term t);

/** One pool of a two-pool provider (openai-scale, xai: the entry's `units.input` and
 * `units.output`): units of capacity bought per day (docs/pricing.md, "Two pools"). */
typedef struct tp_unit_pool {
    double capacity_tpm_per_unit; /**< tokens a unit serves per minute (input pool: weighted
                                       input-kind tokens; output pool: output tokens) */
    double cache_read_weight;     /**< input pool: capacity a cache-read token takes (0..1);
                                       0 on the output pool */
    double cache_write_weight;    /**< input pool: ... a cache-write token (0..1); 0 on output */
    int64_t minimum_units;        /**< the smallest purchase (> 0) */
    int64_t step_units;           /**< purchases above it grow in these steps (> 0) */
    double per_unit_day_usd;      /**< price of one unit for one day (> 0) */
} tp_unit_pool;

/** A unit-based provider's reservation model (the catalog entry's `units`). */
typedef struct tp_unit_price {
    char name[16];                /**< what a unit is called: "PTU", "GSU", "unit" */
    double capacity_tpm_per_unit; /**< weighted tokens a unit serves per minute:
                                       input_tpm_per_unit, or tokens_per_second_per_unit x 60 */
    int per_second;               /**< 1: enforced per second (tokens_per_second_per_unit) */
    double output_weight;         /**< weighted tokens per output token */
    double cache_read_weight;     /**< ... per cache-read token */
    double cache_write_weight;    /**< ... per cache-write token */
    int64_t minimum_units;        /**< the smallest deployment (> 0) */
    int64_t step_units;           /**< deployments above it grow in these steps (> 0) */
    /** Price of one unit for one hour by term; < 0 where the term is not sold. */
    double per_unit_hour_usd[TP_UNIT_TERM_COUNT];
    int throttle;                 /**< 1: overflow is refused (429); 0: it spills to on-demand */
    int example;                  /**< 1: the unit prices are examples, not published */
    /** 1: the capacity per unit and the weights are examples, not checked against the
     * provider's page (`capacity_example`) */
    int capacity_example;
    /** 1: two pools bought per day (openai-scale, xai): input_pool and output_pool hold the
     * reservation model. The one-pool fields above then mirror the input pool (capacity,
     * cache weights, minimum, step; output_weight 0) and per_unit_hour_usd prices only
     * TP_UNIT_1_MONTH (the commitment of at least minimum_days), at the input pool's price per
     * day / 24: read the pools, not those (docs/model.md, "Other providers"). */
    int pools;
    tp_unit_pool input_pool;  /**< input units: input, cache-read and cache-write tokens */
    tp_unit_pool output_pool; /**< output units: output tokens */
    int64_t minimum_days;     /**< the least days a unit is bought for (>= 1; 30 for both) */
} tp_unit_price;

/** Everything the model needs about one model's prices (all USD). */
typedef struct tp_model_price {
    char entry[256]; /**< the catalog key that matched (an id or "*"); a catalog with a longer
                          key is refused */
    double input_per_million_usd;     /**< on-demand Standard price of a regular input token */
    double output_per_million_usd;
    double cache_read_per_million_usd;
    double cache_write_per_million_usd;
    double reserved_input_per_1k_tpm_hour_usd;  /**< < 0 when the catalog has none */
    double reserved_output_per_1k_tpm_hour_usd; /**< < 0 when the catalog has none */
    double burn_down_cache_read;      /**< reserved-capacity weight of a cache-read token */
    double burn_down_cache_write;     /**< ... of a cache-write token */
    tp_factor_origin burn_down_cache_read_origin;  /**< explicit, derived or default */
    tp_factor_origin burn_down_cache_write_origin; /**< explicit or default (never derived) */
    double quota_output_weight;       /**< weight of an output token against on-demand quota */
    double reserved_minimum_input_tpm, reserved_minimum_output_tpm;
    double reserved_step_tpm;
    int term_months[8];               /**< terms with a discount, ascending */
    double term_discount[8];          /**< price factor of each term (1.0: none) */
    int n_terms;
    int example_reserved;             /**< 1: the reserved prices are examples, not quotes */
    /** The entry's own "tiers" multiplier where it gives one, else the catalog's; < 0 for a
     * tier neither names. */
    double tier_multiplier[TP_TIER_COUNT];
    /** On-demand price per million tokens by tier and token kind ([tp_tier][tp_metric]):
     * the entry's published tier prices (on_demand_per_million_by_tier) where it gives them,
     * else the Standard price x tier_multiplier (an example); NAN where there is neither
     * (docs/pricing.md, "Prices per tier"). */
    double tier_per_million_usd[TP_TIER_COUNT][TP_METRIC_COUNT];
    int tier_price_published[TP_TIER_COUNT]; /**< 1: from the entry, 0: from a multiplier */
    /** 1: the Reserved tier is sold for this model: the entry's reserved_offered, else the
     * catalog's reserved_offered_default, else 0 (docs/pricing.md, "The Reserved offer") */
    int reserved_offered;
    char reserved_offered_source[256]; /**< where that is said: the entry's, else the
                                            catalog's ("" when neither gives one) */
    char reserved_offered_as_of[32];   /**< and as of when (same rule) */
    /** The billed hours per hour of the span the reserved prices were scaled for
     * (tp_pricing_bill_span); 0 (unscaled, as the catalog gives them) reads as 1. Figures per
     * hour divide a window's USD by its hours times this: per billed hour (docs/model.md,
     * "Terms"). */
    double billed_per_span_hour;
    tp_provider provider; /**< the entry's `provider` (bedrock unless given) */
    tp_unit_price unit;   /**< its `units` (a unit-based provider only; zero for bedrock) */
} tp_model_price;

/**
 * Loads and validates a catalog (format: docs/pricing.md). Errors name the file and the
 * field, e.g. "pricing.json: models.x.on_demand_per_million.input: negative price -1".
 * @param out receives the catalog; the caller frees it with tp_pricing_free
 */
TP_API tp_status tp_pricing_load(const char *path, tp_pricing **out, tp_error *err);

/**
 * As tp_pricing_load, from memory: json[0, len) is borrowed (need not be terminated) and name
 * is copied for messages and tp_pricing_source.
 * @param out receives the catalog; the caller frees it with tp_pricing_free
 */
TP_API tp_status tp_pricing_parse(const char *name, const char *json, size_t len,
                                  tp_pricing **out, tp_error *err);

/** Frees a catalog. NULL is allowed. */
TP_API void tp_pricing_free(tp_pricing *p);

/** SHA-256 (hex) of the catalog file's bytes, for audit trails; owned by p, valid until
 * tp_pricing_free. */
TP_API const char *tp_pricing_sha256(const tp_pricing *p);
/** The name the catalog was loaded under (its path); owned by p, valid until tp_pricing_free. */
TP_API const char *tp_pricing_source(const tp_pricing *p);

/**
 * Finds the prices of a model: the exact id; else the id without a cross-region prefix
 * (us., eu., apac., global., us-gov., jp., au., ca.) or an ARN's
 * foundation-model/ or inference-profile/ prefix; else the catalog's "*" entry, with a
 * warning naming the model. An application inference profile ARN carries no model id and
 * needs its own entry.
 * @param out receives a copy of the entry's prices (the caller owns it; nothing to free)
 * @param warn receives the "*" warning (may be NULL)
 * @return TP_ERR_NOT_FOUND (naming the model) when nothing matches
 */
TP_API tp_status tp_pricing_lookup(const tp_pricing *p, const char *model, tp_model_price *out,
                                   tp_warn_fn warn, void *warn_ctx, tp_error *err);

/**
 * The hours a reservation is billed for the span [from_minute, to_minute) (Unix minutes):
 * 730 for each calendar month, whatever its days (Bedrock bills a fixed price per 1K TPM
 * a month), and for part of a month its share of that month's 730: 730 x (the span's hours in
 * the month / the month's hours). The one rule of every command (docs/model.md, "Terms").
 * Whole calendar months give exactly 730 each; 0 for an empty span.
 */
TP_API double tp_pricing_billed_hours(int64_t from_minute, int64_t to_minute);

/**
 * p with its reserved prices per 1K TPM-hour scaled by billed / real hours of the span
 * [from_minute, to_minute) (tp_pricing_billed_hours over the span's hours), so that whatever
 * prices a reservation per hour of the span bills it the rule's hours: what simulate and
 * showback charge for a window. A price < 0 (none in the catalog) stays as it is; an empty
 * span returns p unchanged.
 */
TP_API tp_model_price tp_pricing_bill_span(const tp_model_price *p, int64_t from_minute,
                                           int64_t to_minute);

/**
 * The hours a figure per hour divides a window's USD by, for a window of `hours` priced at p:
 * hours x p's billed_per_span_hour (tp_pricing_bill_span), so that a reservation's cost per
 * hour is its catalog rate and per month (x 730) its monthly charge; `hours` when p is
 * unscaled. 1 when that is not > 0.
 */
TP_API double tp_pricing_rate_hours(const tp_model_price *p, double hours);

#ifdef __cplusplus
}
#endif
#endif
