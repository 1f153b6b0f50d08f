/* fuzz_ingest.c - libFuzzer harness: any bytes through the ingest pipeline (format detection,
 * JSON and CSV decoding, validation, storing) on an in-memory store, rolled back each time. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "tierplan/ingest.h"
#include "tierplan/store.h"

/* One store for the whole run: opening one costs the schema, and each input's ingest is
 * rolled back, so no input sees another's data. Reachable until exit (not a leak). */
static tp_store *g_store;

static void drop_warning(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

/* Ingests data once with opts (through a stream when via_stream) and rolls it back. */
static void ingest_once(const tp_ingest_options *opts, const uint8_t *data, size_t size,
                        int via_stream)
{
    tp_error err;
    tp_ingest *ing = NULL;
    tp_ingest_summary sum;
    FILE *f = NULL;
    if (tp_ingest_begin(g_store, opts, &ing, &err) != TP_OK)
        abort(); /* valid options on a healthy store: a failure here is a finding */
    if (!via_stream) {
        tp_ingest_buffer(ing, "fuzz-input", (const char *)data, size, &sum, &err);
    } else if (size > 0 && (f = fmemopen((void *)(uintptr_t)data, size, "rb")) != NULL) {
        tp_ingest_stream(ing, "<fuzz-stream>", f, &sum, &err);
    }
    /* A second input in the same command: fails cleanly after an error, else merges. */
    tp_ingest_buffer(ing, "fuzz-again", (const char *)data, size, NULL, &err);
    if (f != NULL)
        fclose(f);
    tp_ingest_free(ing); /* rolls back */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_error err;
    if (g_store == NULL && tp_store_open(":memory:", &g_store, &err) != TP_OK)
        abort();
    /* The content alone decides the format; the options decide what labels need not say.
     * get-metric-statistics documents only ingest with a model given. */
    tp_ingest_options plain = {0};
    plain.warn = drop_warning;
    ingest_once(&plain, data, size, 0);
    tp_ingest_options given = plain;
    given.model = "amazon.nova-pro-v1:0";
    given.metric = "InputTokenCount";
    given.tier = "priority";
    given.period_s = 300;
    /* A cap of exactly the input's size: the streaming reader's boundary (cap + 1 refuses). */
    given.max_file_bytes = size;
    ingest_once(&given, data, size, 1);
    return 0;
}
