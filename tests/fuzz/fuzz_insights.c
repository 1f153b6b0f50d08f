/* fuzz_insights.c - libFuzzer harness: Logs Insights results (aws logs get-query-results
 * output) through ingest_logs_insights. What must hold (docs/formats.md, "Logs Insights"):
 * rows numbered from 1 in order, a status call only once and last, and every row taken has a
 * model, a key and counts that are whole numbers from 0 to 1e12. A broken promise aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ingest/logs/ingest_logs.h"

typedef struct seen {
    size_t rows;
    int status_seen;
} seen;

static void check(int ok, size_t row, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_insights: row %zu: %s\n", row, what);
        abort();
    }
}

static int count_ok(int64_t v)
{
    return v >= 0 && v <= (int64_t)1000000000000LL;
}

static tp_status on_row(void *ctx, log_record *r, size_t row, const char *why, tp_error *err)
{
    seen *s = ctx;
    (void)err;
    check(!s->status_seen, row, "a call after the status");
    if (r == NULL) { /* the query's status, not Complete */
        check(row == 0 && why != NULL, row, "a status call without a status");
        s->status_seen = 1;
        return TP_OK;
    }
    check(row == s->rows + 1, row, "rows not numbered in order from 1");
    s->rows = row;
    if (why != NULL)
        return TP_OK;
    check(r->model != NULL && r->model[0] != '\0', row, "a row taken without a model");
    check(r->key != NULL && r->key[0] != '\0', row, "a row taken without a key");
    check(r->minute >= 0, row, "a minute before 1970");
    check(count_ok(r->v.requests) && count_ok(r->v.errors) && count_ok(r->v.input_tokens) &&
              count_ok(r->v.output_tokens) && count_ok(r->v.cache_read_tokens) &&
              count_ok(r->v.cache_write_tokens),
          row, "a count outside 0 to 1e12");
    return TP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const by[] = {NULL, "operation", "metadata:team"};
    for (size_t i = 0; i < sizeof by / sizeof by[0]; i++) {
        seen s = {0, 0};
        tp_error err;
        tp_status rc =
            ingest_logs_insights("fuzz.json", (const char *)data, size, by[i], on_row, &s, &err);
        if (rc != TP_OK && rc != TP_ERR_PARSE && rc != TP_ERR_NOMEM) {
            fprintf(stderr, "fuzz_insights: unexpected status %d: %s\n", (int)rc, err.message);
            abort();
        }
    }
    return 0;
}
