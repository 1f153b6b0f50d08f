/* fuzz_insights.c - libFuzzer harness: query results (aws logs get-query-results output of
 * any query, aws athena get-query-results output, lines of Athena's CSV) through
 * ingest_logs_insights, ingest_logs_athena_json and log_csv_split, with and without --model
 * and --field. What must hold (docs/formats.md, "Query results"): rows numbered from 1 in
 * order, a status call only once and last, every row taken has a model, a key and counts that
 * are whole numbers from 0 to 1e12, and a CSV line splits into values within its buffer. A
 * broken promise aborts. */
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

/* Each line of data through the CSV splitter: values lie in the buffer, NUL-terminated. */
static void split_lines(const char *d, size_t size)
{
    static char buf[4096];
    const char *val[16];
    for (size_t at = 0; at < size;) {
        const char *nl = memchr(d + at, '\n', size - at);
        const size_t len = nl != NULL ? (size_t)(nl - (d + at)) : size - at;
        const int n = log_csv_split(d + at, len, buf, sizeof buf, val, 16);
        check(n >= -1 && n <= 16, 0, "a field count out of range");
        for (int i = 0; i < n; i++)
            check(val[i] == NULL || (val[i] >= buf && val[i] + strlen(val[i]) < buf + sizeof buf),
                  (size_t)i, "a CSV value outside its buffer");
        at += len + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const by[] = {NULL, "operation", "metadata:team"};
    static const char *const fields[] = {"model=deployment", "time=when", "input_tokens=in"};
    for (size_t i = 0; i < sizeof by / sizeof by[0]; i++) {
        tp_ingest_options o = {0};
        if (i > 0) { /* a default model and columns named by the caller */
            o.model = "m";
            o.fields = fields;
            o.n_fields = i == 2 ? 3 : 1;
        }
        for (int athena = 0; athena < 2; athena++) {
            seen s = {0, 0};
            tp_error err;
            log_cols lc;
            log_cols_init(&lc, &o, by[i]);
            tp_status rc = athena ? ingest_logs_athena_json("fuzz.json", (const char *)data, size,
                                                            &lc, on_row, &s, &err)
                                  : ingest_logs_insights("fuzz.json", (const char *)data, size, &lc,
                                                         on_row, &s, &err);
            log_cols_deinit(&lc);
            if (rc != TP_OK && rc != TP_ERR_PARSE && rc != TP_ERR_NOMEM) {
                fprintf(stderr, "fuzz_insights: unexpected status %d: %s\n", (int)rc, err.message);
                abort();
            }
        }
    }
    split_lines((const char *)data, size);
    return 0;
}
