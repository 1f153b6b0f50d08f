/* fuzz_pricing.c - libFuzzer harness: the price catalog parser and model lookup. Whatever the
 * parser accepts must keep the documented promises (docs/pricing.md): finite, non-negative
 * numbers, term discounts in (0, 1], terms ascending. A broken promise aborts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tierplan/pricing.h"

static void drop_warning(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

static void check(int ok, const char *model, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_pricing: model \"%s\": %s\n", model, what);
        abort();
    }
}

static int price_ok(double v) { return isfinite(v) && v >= 0; }

/* Looks model up and checks what comes back. */
static void lookup(const tp_pricing *p, const char *model)
{
    tp_model_price mp;
    tp_error err;
    if (tp_pricing_lookup(p, model, &mp, drop_warning, NULL, &err) != TP_OK)
        return;
    check(memchr(mp.entry, '\0', sizeof mp.entry) != NULL, model, "entry not terminated");
    check(price_ok(mp.input_per_million_usd) && price_ok(mp.output_per_million_usd) &&
              price_ok(mp.cache_read_per_million_usd) && price_ok(mp.cache_write_per_million_usd),
          model, "on-demand price negative or not finite");
    /* Reserved prices: < 0 means "none", else finite. */
    check(isfinite(mp.reserved_input_per_1k_tpm_hour_usd) &&
              isfinite(mp.reserved_output_per_1k_tpm_hour_usd),
          model, "reserved price not finite");
    check(price_ok(mp.burn_down_cache_read) && price_ok(mp.burn_down_cache_write) &&
              price_ok(mp.quota_output_weight) && price_ok(mp.reserved_minimum_input_tpm) &&
              price_ok(mp.reserved_minimum_output_tpm) && price_ok(mp.reserved_step_tpm),
          model, "factor, weight, minimum or step negative or not finite");
    check(mp.n_terms >= 0 && mp.n_terms <= 8, model, "n_terms out of range");
    for (int i = 0; i < mp.n_terms; i++) {
        check(mp.term_months[i] > 0 && (i == 0 || mp.term_months[i] > mp.term_months[i - 1]),
              model, "terms not ascending");
        check(isfinite(mp.term_discount[i]) && mp.term_discount[i] > 0 &&
                  mp.term_discount[i] <= 1,
              model, "term discount outside (0, 1]");
    }
    /* standard and priority are required; flex and batch are -1 when the catalog has none */
    for (int t = 0; t < TP_TIER_COUNT; t++)
        check(price_ok(mp.tier_multiplier[t]) ||
                  (t >= TP_TIER_FLEX && mp.tier_multiplier[t] == -1),
              model, "tier multiplier negative or not finite");
}

/* Looks up the first quoted strings of the input (the catalog's own keys among them), bare,
 * behind a cross-region prefix and inside an ARN: the paths of tp_pricing_lookup. */
static void lookup_input_strings(const tp_pricing *p, const char *text, size_t len)
{
    char id[300], buf[400];
    size_t found = 0;
    for (size_t i = 0; i < len && found < 32; i++) {
        if (text[i] != '"')
            continue;
        size_t j = i + 1;
        while (j < len && text[j] != '"' && j - i - 1 < sizeof id - 1)
            j++;
        if (j >= len || text[j] != '"')
            break;
        memcpy(id, text + i + 1, j - i - 1);
        id[j - i - 1] = '\0';
        lookup(p, id);
        snprintf(buf, sizeof buf, "us.%s", id);
        lookup(p, buf);
        snprintf(buf, sizeof buf, "arn:aws:bedrock:us-east-1::foundation-model/%s", id);
        lookup(p, buf);
        found++;
        i = j;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_pricing *p = NULL;
    tp_error err;
    if (tp_pricing_parse("fuzz.json", (const char *)data, size, &p, &err) != TP_OK)
        return 0;
    if (strlen(tp_pricing_sha256(p)) != 64 || strcmp(tp_pricing_source(p), "fuzz.json") != 0)
        abort();
    static const char *const fixed[] = {
        "amazon.nova-pro-v1:0",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
        "arn:",
        "*",
        "",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        lookup(p, fixed[i]);
    lookup_input_strings(p, (const char *)data, size);
    tp_pricing_free(p);
    return 0;
}
