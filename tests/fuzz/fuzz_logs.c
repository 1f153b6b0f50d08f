/* fuzz_logs.c - libFuzzer harness, differential: each invocation-log record through the fast
 * path (ingest_logs_scan.c, what ingest uses) and through cJSON alone (ingest_logs_record.c,
 * what the fast path falls back on) must come out the same: the outcome, the reason, and every
 * field of a counted record. The input is one record; a disagreement aborts, naming the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "ingest/logs/ingest_logs.h"

static const char *g_by;

static void differ(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz_logs: fast path and cJSON disagree on %s (attribute_by %s): "
                    "\"%s\" vs \"%s\"\n",
            what, g_by != NULL ? g_by : "(default)", a, b);
    abort();
}

static void same_str(const char *what, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
        differ(what, a != NULL ? a : "(null)", b != NULL ? b : "(null)");
}

static void same_int(const char *what, long long a, long long b)
{
    char x[32], y[32];
    if (a == b)
        return;
    snprintf(x, sizeof x, "%lld", a);
    snprintf(y, sizeof y, "%lld", b);
    differ(what, x, y);
}

/* The record once each way with attribute_by by. */
static void compare(const char *text, size_t len, const char *by)
{
    log_record r1, r2;
    cJSON *d1 = NULL, *d2 = NULL;
    const char *w1 = NULL, *w2 = NULL;
    char v1[LOG_WHY_BUF] = "", v2[LOG_WHY_BUF] = "";
    g_by = by;
    const enum log_outcome o1 = log_record_parse(text, len, by, &r1, &d1, &w1, v1, sizeof v1);
    const enum log_outcome o2 = log_record_parse_full(text, len, by, &r2, &d2, &w2, v2, sizeof v2);
    if (o1 != LOG_NOMEM && o2 != LOG_NOMEM) {
        same_int("the outcome (0 ok, 1 no tokens, 2 unknown schema, 3 malformed)", o1, o2);
        same_str("the reason", w1, w2);
        /* o1 != o2 only when tolerated: the records' fields are then not both set */
        if (o1 == o2 && (o1 == LOG_OK || o1 == LOG_NO_TOKENS)) {
            same_str("the model", r1.model, r2.model);
            same_str("the key", r1.key, r2.key);
            same_int("the minute", r1.minute, r2.minute);
            same_int("keyless", r1.keyless, r2.keyless);
            same_int("requests", r1.v.requests, r2.v.requests);
            same_int("errors", r1.v.errors, r2.v.errors);
            same_int("input tokens", r1.v.input_tokens, r2.v.input_tokens);
            same_int("output tokens", r1.v.output_tokens, r2.v.output_tokens);
            same_int("cache read tokens", r1.v.cache_read_tokens, r2.v.cache_read_tokens);
            same_int("cache write tokens", r1.v.cache_write_tokens, r2.v.cache_write_tokens);
        }
    }
    cJSON_Delete(d1);
    cJSON_Delete(d2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const by[] = {NULL, "operation", "region", "metadata:team"};
    /* one record: ingest never hands the parser more (INGEST_LOGS_MAX_RECORD) */
    if (size > INGEST_LOGS_MAX_RECORD)
        return 0;
    for (size_t i = 0; i < sizeof by / sizeof by[0]; i++)
        compare((const char *)data, size, by[i]);
    return 0;
}
