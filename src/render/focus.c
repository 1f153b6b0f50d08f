/* focus.c - projections and showbacks as FinOps FOCUS 1.2 cost and usage rows (CSV): one row per
 * charge and period (docs/formats.md, "FOCUS export"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "base/util.h"
#include "render/render.h"
#include "tierplan/project.h"
#include "tierplan/report.h"
#include "tierplan/showback.h"
#include "tierplan/timestamp.h"

/* The columns, in this order: FOCUS's own, then x_ columns for what FOCUS lacks. */
static const char focus_header[] =
    "BilledCost,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,"
    "ChargeDescription,ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,"
    "CommitmentDiscountCategory,CommitmentDiscountId,CommitmentDiscountStatus,"
    "CommitmentDiscountType,ConsumedQuantity,ConsumedUnit,EffectiveCost,ListCost,RegionId,"
    "ResourceId,ServiceCategory,ServiceName,SubAccountId,x_Plan,x_Tier,x_Key,x_Quantile\n";

/* One row. Strings NULL are FOCUS nulls (an empty field); a reservation's rows carry its id. */
typedef struct focus_row {
    double billed_usd, effective_usd, list_usd;
    const char *category;    /* "Usage" or "Purchase" */
    const char *description; /* the library's words */
    const char *frequency;   /* "Recurring" or "Usage-Based" */
    int64_t charge_from_s, charge_to_s, bill_from_s, bill_to_s;
    const char *commitment_id; /* NULL: not a reservation's row */
    const char *status;        /* "Used", "Unused" or NULL */
    int has_quantity;
    double tokens;
    const char *model, *region, *account;     /* from input: enc_csv */
    const char *plan, *tier, *key, *quantile; /* key from input */
    const char *service;         /* ServiceName: NULL is Amazon Bedrock */
    const char *commitment_type; /* CommitmentDiscountType: NULL is Reserved Tier */
} focus_row;

/* ServiceName of a provider's capacity: the service its bill names. */
static const char *service_name(tp_provider p)
{
    switch (p) {
    case TP_PROVIDER_BEDROCK: return "Amazon Bedrock";
    case TP_PROVIDER_AZURE_PTU: return "Azure OpenAI";
    case TP_PROVIDER_VERTEX_GSU: return "Vertex AI";
    case TP_PROVIDER_OPENAI_SCALE: return "OpenAI API";
    case TP_PROVIDER_XAI: return "xAI API";
    case TP_PROVIDER_ALIBABA: return "Alibaba Cloud Model Studio";
    case TP_PROVIDER_COUNT: break;
    }
    return tp_pricing_provider_name(p);
}

/* A field: "" for NULL (a FOCUS null), else the string through the CSV encoder. */
static void field_str(strbuf *b, const char *s, int first)
{
    if (!first)
        sb_puts(b, ",");
    if (s != NULL && *s != '\0')
        enc_csv(b, s);
}

static void field_num(strbuf *b, double v, int first)
{
    char num[NUMFMT_BUF] = "";
    cnum_format(num, sizeof num, v == 0 ? 0.0 : v); /* never "-0" */
    sb_printf(b, "%s%s", first ? "" : ",", num);
}

static void field_time(strbuf *b, int64_t epoch_s)
{
    char t[TP_TIME_BUF];
    sb_printf(b, ",%s", tp_timestamp_format(epoch_s, t));
}

static void put_row(strbuf *b, const focus_row *r)
{
    field_num(b, r->billed_usd, 1);
    field_str(b, "USD", 0);
    field_time(b, r->bill_to_s);
    field_time(b, r->bill_from_s);
    field_str(b, r->category, 0);
    field_str(b, r->description, 0);
    field_str(b, r->frequency, 0);
    field_time(b, r->charge_to_s);
    field_time(b, r->charge_from_s);
    /* a Bedrock reservation commits to a quantity (TPM), not to spend */
    field_str(b, r->commitment_id != NULL ? "Usage" : NULL, 0);
    field_str(b, r->commitment_id, 0);
    field_str(b, r->status, 0);
    field_str(b,
              r->commitment_id == NULL       ? NULL
              : r->commitment_type != NULL ? r->commitment_type
                                           : "Reserved Tier",
              0);
    if (r->has_quantity)
        field_num(b, r->tokens, 0);
    else
        sb_puts(b, ",");
    field_str(b, r->has_quantity ? "Tokens" : NULL, 0);
    field_num(b, r->effective_usd, 0);
    field_num(b, r->list_usd, 0);
    field_str(b, r->region, 0);
    field_str(b, r->model, 0);
    field_str(b, "AI and Machine Learning", 0);
    field_str(b, r->service != NULL ? r->service : "Amazon Bedrock", 0);
    field_str(b, r->account, 0);
    field_str(b, r->plan, 0);
    field_str(b, r->tier, 0);
    field_str(b, r->key, 0);
    field_str(b, r->quantile, 0);
    sb_puts(b, "\n");
}

/* Unix seconds of the first of year-month (month 1-12). */
static int64_t month_start_s(int year, int month)
{
    char buf[32];
    int64_t s = 0;
    snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00Z", year, month);
    (void)tp_timestamp_parse(buf, strlen(buf), &s, NULL); /* a month the projection made */
    return s;
}

/* "Reserved Tier: 20000 input TPM, 4000 output TPM": the reservation in the library's words. */
static void reservation_words(char *buf, size_t n, double in_tpm, double out_tpm)
{
    char a[NUMFMT_BUF], c[NUMFMT_BUF];
    cnum_format(a, sizeof a, in_tpm);
    cnum_format(c, sizeof c, out_tpm);
    snprintf(buf, n, "Reserved Tier: %s input TPM, %s output TPM", a, c);
}

/* The rows of one plan's month at one quantile: a reservation's fixed charge (Purchase, billed)
 * and its amortization over the tokens it served (Usage, Used), then what went on demand. */
static void project_cell_rows(strbuf *b, const tp_projection *p, const tp_project_model *m,
                              size_t mm, int plan, int q, const char *commitment_id)
{
    const tp_project_cell *c = &m->cells[mm * TP_PROJECT_PLAN_COUNT + (size_t)plan];
    const tp_project_figures *f = &c->q[q];
    const tp_project_month *mo = &p->months[mm];
    const int64_t from = month_start_s(mo->year, mo->month);
    const int64_t to = util_month_add(from, 1);
    char words[160];
    focus_row r = {0};
    r.charge_from_s = r.bill_from_s = from;
    r.charge_to_s = r.bill_to_s = to;
    r.model = m->model, r.region = m->region, r.account = m->account;
    r.plan = tp_project_plan_name((tp_project_plan)plan);
    r.quantile = tp_project_quantile_name(q);
    if (m->price.provider != TP_PROVIDER_BEDROCK) {
        r.service = service_name(m->price.provider);
        r.commitment_type = "Provisioned Throughput";
    }
    /* a model sold in units holds units, not TPM (docs/model.md, "Projection of a model
     * sold in units") */
    const int reserves = c->reserve_input_tpm > 0 || c->reserve_output_tpm > 0 || c->units > 0 ||
                         c->output_units > 0;
    if (reserves) {
        if (m->price.unit.pools) { /* two pools: both counts, bought by the day */
            snprintf(words, sizeof words,
                     "Provisioned units: %lld input + %lld output, %lld-day minimum",
                     (long long)c->units, (long long)c->output_units,
                     (long long)m->price.unit.minimum_days);
        } else if (c->units > 0) {
            char n[NUMFMT_BUF];
            cnum_format(n, sizeof n, (double)c->units);
            snprintf(words, sizeof words, "Provisioned units: %s %s, %s term", n,
                     m->price.unit.name, tp_pricing_unit_term_name(m->unit_term));
        } else {
            reservation_words(words, sizeof words, c->reserve_input_tpm, c->reserve_output_tpm);
        }
        r.description = words;
        r.commitment_id = commitment_id;
        r.tier = "reserved";
        r.category = "Purchase", r.frequency = "Recurring";
        r.billed_usd = r.list_usd = f->reserved_usd;
        r.effective_usd = 0; /* amortized on the Used row */
        put_row(b, &r);
        r.category = "Usage", r.frequency = "Usage-Based", r.status = "Used";
        r.billed_usd = 0;
        r.effective_usd = r.list_usd = f->reserved_usd;
        r.has_quantity = 1, r.tokens = f->reserved_tokens;
        put_row(b, &r);
    }
    if (!reserves || f->on_demand_usd != 0 || f->on_demand_tokens != 0) {
        r.commitment_id = NULL, r.status = NULL;
        r.category = "Usage", r.frequency = "Usage-Based";
        r.description = reserves ? "On-demand tokens beyond the reservation" : "On-demand tokens";
        r.tier = plan == TP_PROJECT_ALL_PRIORITY ? "priority" : "on_demand";
        r.billed_usd = r.effective_usd = r.list_usd = f->on_demand_usd;
        r.has_quantity = 1, r.tokens = f->on_demand_tokens;
        put_row(b, &r);
    }
}

/* Every figure a row takes is finite: a FOCUS cost is never null or "nan". */
static tp_status check_finite(const tp_projection *p, tp_error *err)
{
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < p->n_months * TP_PROJECT_PLAN_COUNT; k++)
            for (int q = 0; q < TP_PROJECT_QUANTILES; q++) {
                const tp_project_figures *f = &p->models[i].cells[k].q[q];
                if (p->models[i].cells[k].has &&
                    (!isfinite(f->reserved_usd) || !isfinite(f->on_demand_usd) ||
                     !isfinite(f->reserved_tokens) || !isfinite(f->on_demand_tokens)))
                    return tp_error_set(err, TP_ERR_INVALID,
                                        "a figure is not finite (%s, month %zu)",
                                        p->models[i].model, k / TP_PROJECT_PLAN_COUNT + 1);
            }
    return TP_OK;
}

tp_status tp_report_project_focus(const tp_projection *p, char **out, tp_error *err)
{
    strbuf b = {0};
    strbuf id = {0};
    *out = NULL;
    tp_status st = check_finite(p, err);
    if (st != TP_OK)
        return st;
    sb_puts(&b, focus_header);
    for (size_t i = 0; i < p->n; i++) {
        const tp_project_model *m = &p->models[i];
        for (int plan = 0; plan < TP_PROJECT_PLAN_COUNT; plan++) {
            size_t term_from = 0; /* the month the reservation's current term began */
            for (size_t mm = 0; mm < p->n_months; mm++) {
                const tp_project_cell *c = &m->cells[mm * TP_PROJECT_PLAN_COUNT + (size_t)plan];
                if (!c->has)
                    continue;
                if (c->term_start)
                    term_from = mm;
                /* one id a term: the model, its place, the plan and the term's first month */
                char ym[16];
                snprintf(ym, sizeof ym, "%04d-%02d", p->months[term_from].year,
                         p->months[term_from].month);
                id.len = 0;
                sb_printf(&id, "%s/%s/%s/%s/%s", m->model, m->region, m->account,
                          tp_project_plan_name((tp_project_plan)plan), ym);
                for (int q = 0; q < TP_PROJECT_QUANTILES; q++)
                    project_cell_rows(&b, p, m, mm, plan, q, id.failed ? "" : id.data);
            }
        }
    }
    const int id_failed = id.failed;
    free(id.data);
    if (id_failed) {
        free(b.data);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    return sb_finish(&b, out, err);
}

tp_status tp_report_showback_focus(const tp_showback *sb, char **out, tp_error *err)
{
    strbuf b = {0}, id = {0};
    char words[160];
    *out = NULL;
    sb_puts(&b, focus_header);
    const int64_t from = sb->from_minute * 60, to = (sb->from_minute + (int64_t)sb->minutes) * 60;
    const int units = sb->provider != TP_PROVIDER_BEDROCK;
    const int reserves = units ? sb->units > 0 || sb->output_units > 0
                               : sb->reserve_input_tpm > 0 || sb->reserve_output_tpm > 0;
    const char *spill_tier = sb->options.spill_to == TP_SPILL_TO_PRIORITY ? "priority" : "standard";
    const char *held_tier = units ? "units" : "reserved";
    focus_row r = {0};
    r.charge_from_s = from, r.charge_to_s = to;
    /* the calendar months the window falls in */
    r.bill_from_s = util_month_start(from);
    r.bill_to_s = util_month_add(to - 1, 1);
    r.model = sb->model, r.region = sb->region, r.account = sb->account;
    r.service = service_name(sb->provider);
    if (units) { /* units held: the provider, the count and the term in the library's words */
        r.commitment_type = "Provisioned Throughput";
        if (sb->unit.pools) /* two pools: both counts, bought by the day */
            snprintf(words, sizeof words,
                     "Provisioned units (%s): %lld input + %lld output, %lld-day minimum",
                     tp_pricing_provider_name(sb->provider), (long long)sb->units,
                     (long long)sb->output_units, (long long)sb->unit.minimum_days);
        else
            snprintf(words, sizeof words, "Provisioned units (%s): %lld %s, %s term",
                 tp_pricing_provider_name(sb->provider), (long long)sb->units, sb->unit.name,
                 tp_pricing_unit_term_name(sb->unit_term));
    } else {
        reservation_words(words, sizeof words, sb->reserve_input_tpm, sb->reserve_output_tpm);
    }
    sb_printf(&id, "%s/%s/%s/held", sb->model, sb->region, sb->account);
    if (id.failed) {
        free(id.data);
        free(b.data);
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    if (reserves) { /* the window's charge for the reservation, billed once */
        r.description = words, r.commitment_id = id.data, r.tier = held_tier;
        r.category = "Purchase", r.frequency = "Recurring";
        r.billed_usd = r.list_usd = (double)sb->reserved_cents / 100.0;
        r.effective_usd = 0;
        put_row(&b, &r);
    }
    for (size_t i = 0; i < sb->n_lines; i++) {
        const tp_showback_line *l = &sb->lines[i];
        const double reserved_usd = (double)l->reserved_cents / 100.0;
        const double served = l->tokens - l->spill_tokens - l->throttled_tokens;
        r.key = l->idle ? NULL : l->key;
        r.category = "Usage", r.frequency = "Usage-Based";
        if (reserves && (l->reserved_cents != 0 || (!l->idle && served > 0))) {
            r.description = words, r.commitment_id = id.data, r.tier = held_tier;
            r.status = l->idle ? "Unused" : "Used";
            r.billed_usd = 0;
            r.effective_usd = r.list_usd = reserved_usd;
            r.has_quantity = !l->idle, r.tokens = served > 0 ? served : 0;
            put_row(&b, &r);
        }
        if (l->spill_cents != 0 || l->spill_tokens > 0) {
            r.description = !reserves ? "On-demand tokens"
                            : units   ? "On-demand tokens beyond the units"
                                      : "On-demand tokens beyond the reservation";
            r.commitment_id = NULL, r.status = NULL, r.tier = spill_tier;
            r.billed_usd = r.effective_usd = r.list_usd = (double)l->spill_cents / 100.0;
            r.has_quantity = 1, r.tokens = l->spill_tokens;
            put_row(&b, &r);
        }
    }
    free(id.data);
    return sb_finish(&b, out, err);
}
