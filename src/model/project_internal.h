/* project_internal.h - what the projection's files share (private): a model's history as whole
 * days, the bootstrap draws, the exact spill index and the per-sample month sums. */
#ifndef TIERPLAN_PROJECT_INTERNAL_H
#define TIERPLAN_PROJECT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tierplan/project.h"

/* ---- growth (project_growth.c) ---- */

/* Weekday of a Unix day number, Monday 0 .. Sunday 6. */
int project_weekday(int64_t day);
/* The fitted trend of a history day days_from_end (<= 0) before the last, relative to the
 * last day: what a drawn day is divided by to bring it to today's level. */
double project_level(const tp_growth *g, double days_from_end);
/* A fitted rate shrunk toward zero by its standard error: rate x max(0, 1 - se^2 / rate^2). */
double project_shrink(double rate, double se);
/* The lag-1 autocorrelation of e (sum e_t e_(t-1) / sum e_t^2; 0 without spread). */
double project_lag1(const double *e, size_t n);
/* The Newey-West lag for n values of lag-1 autocorrelation rho: Andrews' AR(1) plug-in for
 * the Bartlett kernel, floor(1.1447 (alpha n)^(1/3)), alpha = 4 rho^2 / ((1 - rho)^2
 * (1 + rho)^2), rho within +/-0.97; at most n - 1. */
size_t project_hac_lag(double rho, size_t n);
/* The prewhitening rho from a lag-1 autocorrelation r1 of n values: r1 within [0, 0.95]. */
double project_prewhiten_rho(double r1, size_t n);
/* The growth from the last history day to a day days_from_end after it at monthly rate. */
double project_growth(const tp_growth *g, double rate, double days_from_end);

/* ---- history and draws (project_boot.c) ---- */

/* A model's history: whole UTC days of demand, and what each day sums to. */
typedef struct proj_hist {
    tp_demand d;         /* borrowed arrays: n_days x 1440 minutes from first_day */
    int64_t first_day;   /* Unix day of d's minute 0 */
    size_t n_days;
    double *value_usd;   /* per day: all tokens at Standard per-token prices (multiplier 1) */
    double *tokens;      /* per day: raw tokens, all kinds */
    double *eff_tokens;  /* per day: effective input + output tokens (the growth fit's y) */
    size_t *pool[7];     /* day indices to draw from for each weekday */
    size_t n_pool[7];
    int weekly;          /* 1: each weekday draws its own weekday; 0: every day */
    const unsigned char *used; /* per day: 1 whole (drawn, fitted), 0 dropped; NULL: all */
    size_t n_used;
    int single;          /* weekdays with a single day to draw from (7: one day in all) */
    /* the same days by requested tier (docs/model.md, "Service tiers"): d is their sum */
    tp_tier_demand td;   /* borrowed arrays, NULL where a tier has no traffic */
    tp_route_set present; /* the tiers with traffic */
    double *tier_usd[TP_SERVICE_COUNT];    /* per day: the tier's tokens at its own tier's
                                              prices (reserved at Standard); NULL if absent */
    double *tier_tokens[TP_SERVICE_COUNT]; /* per day: the tier's raw tokens */
} proj_hist;

/* used: per day of d, whether it is whole (borrowed), or NULL for every day. td: d split by
 * requested tier (borrowed, of d's minutes), or NULL: all of d is default traffic. */
tp_status proj_hist_init(proj_hist *h, const tp_demand *d, const tp_tier_demand *td,
                         const unsigned char *used, const tp_model_price *p, tp_error *err);
void proj_hist_free(proj_hist *h);

/* The draws every model shares: u[s * n_days + k] uniform in [0, 1) for projected day k of
 * sample s, z[s] and z2[s] standard normals for the sample's growth and level. */
typedef struct proj_draws {
    size_t samples, n_days;
    int64_t first_day;   /* Unix day of projected day 0 */
    double *u, *z, *z2;
} proj_draws;

/* The bootstrap's blocks: whole weeks (docs/model.md, "The bootstrap"). */
#define PROJ_BLOCK_DAYS 14

/* Sample s's random stream (xoshiro256** seeded by splitmix64 from the seed, then xor s):
 * proj_draws_make draws its growth z first (Box-Muller, two uniforms), its level z2 (two
 * more), then one uniform per projected day in date order. Exposed for the tests' hand working. */
void proj_sample_stream(unsigned long seed, size_t s, uint64_t st[4]);
double proj_stream_uniform(uint64_t st[4]);
double proj_stream_normal(uint64_t st[4]);

tp_status proj_draws_make(proj_draws *dr, size_t samples, int64_t first_day, size_t n_days,
                          unsigned long seed, tp_error *err);
void proj_draws_free(proj_draws *dr);

/* Each (sample, projected day) of one model: the history day drawn and its scale. */
typedef struct proj_path {
    uint32_t *day;   /* samples x n_days */
    double *scale;
} proj_path;

tp_status proj_path_make(proj_path *pp, const proj_hist *h, const proj_draws *dr,
                         const tp_growth *g, tp_error *err);
/* proj_path_make into pp's arrays when *cap (the entries they hold, 0 for none) is enough,
 * else into new ones (pp's freed): a worker's models reuse one path's pages. */
tp_status proj_path_remake(proj_path *pp, size_t *cap, const proj_hist *h, const proj_draws *dr,
                           const tp_growth *g, tp_error *err);
void proj_path_free(proj_path *pp);

/* Demand of sample s over projected days [k0, k1) by requested tier, each tier with traffic
 * scaled as the total is (the same history day and scale): arrays the caller frees with
 * free() (one block; *d points into it). */
tp_status proj_path_demand(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                           size_t s, size_t k0, size_t k1, tp_tier_demand *d, double **block,
                           tp_error *err);

/* ---- costing (project_cost.c) ---- */

/* How every plan spills: the options of the run (spill model, spill tier, quota). */
typedef struct proj_plan {
    double Ri, Ro;           /* the reservation */
    tp_route_set routed;     /* the requested tiers it serves (reserved always); the others
                                pay on demand at their own tier's prices */
    tp_spill_to spill_to;
    tp_spill_model spill_model;
    double quota_tpm;
} proj_plan;

/* Per (plan, month, sample) figures of one model: figs[(plan * n_months + m) * samples + s]. */
typedef struct proj_sums {
    size_t n_months, samples;
    tp_project_figures *figs;
} proj_sums;

static inline tp_project_figures *proj_fig(const proj_sums *ps, int plan, size_t m, size_t s)
{
    return &ps->figs[((size_t)plan * ps->n_months + m) * ps->samples + s];
}

/* Each history day's minutes in threshold order, kept from one reservation to the next. */
typedef struct proj_order proj_order;
tp_status proj_order_new(size_t n_days, tp_spill_model model, proj_order **out, tp_error *err);
void proj_order_free(proj_order *o);
/* proj_order_new into *o (NULL: a new one) for another history, its arrays kept where they
 * are large enough: nothing of the previous history's order carries over. */
tp_status proj_order_reuse(proj_order **o, size_t n_days, tp_spill_model model, tp_error *err);

/* Adds plan pl's cost and tokens over projected days [k0, k1) (month_of[k] maps a day to its
 * month) of every sample into the figures of `plan`; reserved_usd is set by the caller. */
tp_status proj_cost_days(const proj_hist *h, const proj_path *pp, const proj_draws *dr,
                         const tp_model_price *price, const proj_plan *pl, const size_t *month_of,
                         size_t k0, size_t k1, proj_sums *ps, int plan, proj_order *ord,
                         tp_error *err);

/* ---- one model (project.c) ---- */

/* What every model's projection shares. */
typedef struct proj_ctx {
    const tp_project_options *o;
    size_t samples;
    const tp_project_month *months;
    size_t n_months;
    const size_t *month_of;  /* per projected day: its month */
    const size_t *month_day; /* n_months + max term + 1: the first projected day of each
                                month, running on past the horizon to the end of the longest
                                term (draws.n_days covers those days too) */
    proj_draws draws;
} proj_ctx;

/* Projects one model whose history d holds whole days (td: d by requested tier, or NULL: all
 * default; used: which are whole, or NULL): growth, every plan, the quantiles of each month
 * into m->cells (allocated here), and the per-sample figures into *ps (allocated here; the
 * caller frees ps->figs) for the fleet's sums. */
tp_status proj_model_run(const proj_ctx *c, const tp_demand *d, const tp_tier_demand *td,
                         const unsigned char *used, const tp_plan_entry *pe,
                         tp_project_model *m, proj_sums *ps, tp_error *err);

/* What a worker keeps from one model to the next: arrays sized by the history or the draws,
 * reused so that their pages are not faulted in and cleared again per model. Zeroed before
 * the first model; freed by proj_scratch_free. */
typedef struct proj_scratch {
    proj_order *ord;
    proj_path path;
    size_t path_cap;
} proj_scratch;
void proj_scratch_free(proj_scratch *sc);

/* proj_model_run with sc's arrays (NULL: the model's own). */
tp_status proj_model_run_with(const proj_ctx *c, const tp_demand *d, const tp_tier_demand *td,
                              const unsigned char *used, const tp_plan_entry *pe,
                              tp_project_model *m, proj_sums *ps, proj_scratch *sc,
                              tp_error *err);

/* The reservation a term holds: the recommender's pick; without a service level, spill-to
 * none or a quota, the cheapest of its reserving candidates and the no-reservation one of the
 * spill tier (Standard: on_demand; Priority: all_priority), by total over the P50 path. */
const tp_candidate *proj_term_pick(const tp_recommendation *rec, const tp_rec_options *ro);

/* The sample whose on-demand value over days [k0, k1) is the median (the lower one for an
 * even count; ties by sample number): the P50 path a term's reservation is sized on. */
tp_status proj_median_sample(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                             size_t k0, size_t k1, size_t *out, tp_error *err);

/* ---- a model sold in units (project_units.c) ---- */

/* The longest term a unit is sold on, in months (1_year): the days run on that far. */
#define PROJ_UNITS_MAX_TERM_MONTHS 12

/* A unit model's history days, each's minutes sorted by weighted demand x burst factor with
 * suffix sums: a scaled day's overflow by binary search, exact (project_units.c). */
typedef struct proj_units_index proj_units_index;
/* Over n_days whole days of hd (borrowed for the call), as tp_units_eval weighs and prices
 * them with p's unit and Standard prices and the burst factor. */
tp_status proj_units_index_new(const tp_demand *hd, size_t n_days, const tp_model_price *p,
                               double burst_factor, proj_units_index **out, tp_error *err);
/* Two pools (p->unit.pools): the input pool's index (output 0: input, cache reads and
 * writes at its weights) or the output pool's (output 1: output tokens), as tp_units_eval. */
tp_status proj_units_pool_index_new(const tp_demand *hd, size_t n_days, const tp_model_price *p,
                                    int output, double burst_factor, proj_units_index **out,
                                    tp_error *err);
void proj_units_index_free(proj_units_index *ix);
/* History day `day` scaled by g on capacity_tpm weighted TPM: the overflow's on-demand value
 * (what spills cost; 0 throttled is the caller's) and its raw tokens, as tp_units_eval. */
void proj_units_day(const proj_units_index *ix, size_t day, double g, double capacity_tpm,
                    double *over_usd, double *over_tokens);

/* The recommended plan of a model sold in units (m->price.provider not bedrock) over every
 * sample (docs/model.md, "Projection of a model sold in units"): the term tp_units_plan_run
 * recommends on the P50 path of the first month; at each term start the units
 * tp_units_optimum sizes on the P50 path of the term's whole months, held in every sample,
 * each month priced as tp_units_eval prices the sample's days of the month, from the index. */
tp_status proj_units_recommended(const proj_ctx *c, const proj_hist *h, const proj_path *pp,
                                 tp_project_model *m, proj_sums *ps, tp_error *err);

/* The sha256 of a file's bytes (the plan file's, for the record). */
tp_status proj_file_sha256(const char *path, char hex[65], tp_error *err);

/* Quantiles of each figure of a plan's sum over the months, sample by sample, into q. */
void proj_total_quantiles(const proj_sums *ps, int plan, tp_project_figures *q, double *tmp);

/* Quantiles of each figure of (plan, month) over the samples into q; tmp holds samples. */
void proj_quantiles(const proj_sums *ps, int plan, size_t month, tp_project_figures *q,
                    double *tmp);

#endif
