/* fuzz_plan.c - libFuzzer harness: the plan file reader (tp_plan_file_parse). Whatever it
 * accepts must keep docs/user-guide.md's promises ("The plan file"): model ids unique (a key
 * given twice is refused at every level), each value in its documented range, and a model's
 * entry merged over "default". A broken promise aborts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tierplan/plan.h"

static void check(int ok, const char *model, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_plan: model \"%s\": %s\n", model, what);
        abort();
    }
}

static int in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

/* A name to read "default" by (the harness skips the merge check if the file names it). */
#define NO_SUCH_MODEL "\x01 no such model"

/* The entry of model (or of one the file does not name) and its ranges; with merged, that
 * what "default" sets the model has too. */
static void check_entry(const tp_plan_file *p, const char *model, int merged)
{
    const tp_plan_entry e = tp_plan_file_entry(p, model);
    const tp_plan_entry d = tp_plan_file_entry(p, NO_SUCH_MODEL);
    check(!e.has_term_months || (e.term_months >= 1 && e.term_months <= 120), model,
          "term_months outside 1 to 120");
    check(!e.has_max_spill_minutes_pct || in(e.max_spill_minutes_pct, 0, 100), model,
          "max_spill_minutes_pct outside 0 to 100");
    check(!e.has_max_throttled_minutes || e.max_throttled_minutes >= 0, model,
          "max_throttled_minutes negative");
    check(!e.has_reserve_input_tpm || in(e.reserve_input_tpm, 0, 1e15), model,
          "reserve_input_tpm outside 0 to 1e15");
    check(!e.has_reserve_output_tpm || in(e.reserve_output_tpm, 0, 1e15), model,
          "reserve_output_tpm outside 0 to 1e15");
    check(!e.has_growth_pct_per_month || (e.growth_pct_per_month > -100 &&
                                          in(e.growth_pct_per_month, -100, 1000)),
          model, "growth_pct_per_month outside (-100, 1000]");
    /* "default" under every model: what default sets, the model has too */
    check(!merged || ((!d.has_term_months || e.has_term_months) &&
                      (!d.has_max_spill_minutes_pct || e.has_max_spill_minutes_pct) &&
                      (!d.has_reserve_input_tpm || e.has_reserve_input_tpm) &&
                      (!d.has_growth_pct_per_month || e.has_growth_pct_per_month)),
          model, "a key of \"default\" lost in the merge");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_plan_file *p = NULL;
    tp_error err;
    if (tp_plan_file_parse("fuzz.json", (const char *)data, size, &p, &err) != TP_OK) {
        check(p == NULL, "", "a failed parse returned a plan file");
        check(strncmp(err.message, "fuzz.json: ", 11) == 0 ||
                  strcmp(err.message, "out of memory") == 0,
              "", "an error that does not name the file");
        return 0;
    }
    const size_t n = tp_plan_file_model_count(p);
    const char **ids = n > 0 ? malloc(n * sizeof *ids) : NULL;
    check(n == 0 || ids != NULL, "", "out of memory in the harness");
    for (size_t i = 0; i < n; i++) {
        ids[i] = tp_plan_file_model_id(p, i);
        check(ids[i] != NULL, "", "a NULL model id");
        }
    int named = 0; /* the sentinel is a model of the file: "default" cannot be read apart */
    for (size_t i = 0; i < n; i++)
        named |= strcmp(ids[i], NO_SUCH_MODEL) == 0;
    for (size_t i = 0; i < n; i++)
        check_entry(p, ids[i], !named);
    check(tp_plan_file_model_id(p, n) == NULL, "", "an id past the count");
    check_entry(p, "", !named);
    if (n > 1) {
        qsort(ids, n, sizeof *ids, cmp_str);
        for (size_t i = 1; i < n; i++)
            check(strcmp(ids[i - 1], ids[i]) != 0, ids[i], "a model id kept twice");
    }
    free(ids);
    tp_plan_file_free(p);
    return 0;
}
