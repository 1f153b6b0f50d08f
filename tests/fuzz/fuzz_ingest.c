/* fuzz_ingest.c - libFuzzer harness: any bytes through the ingest pipeline (format detection,
 * JSON and CSV decoding, validation, storing) on an in-memory store, rolled back each time.
 * Differential too: the streaming get-metric-data scanner (ingest_json_scan.c, what ingest
 * tries first) must, whenever it accepts the bytes, have decoded what the cJSON path decodes
 * from them; a disagreement aborts, naming it. */
#include <stdio.h>
#include <stdlib.h>

#include "../scan_compare.h"
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

/* The scanner against the cJSON path on data with opts. */
static void scan_differential(const tp_ingest_options *opts, const uint8_t *data, size_t size)
{
    ingest_decoded a = {0}, b = {0};
    tp_error e1, e2;
    char why[200];
    a.name = b.name = "fuzz-input";
    const int scanned = ingest_json_scan(opts, &a, (const char *)data, size, &e1);
    if (scanned == 1) {
        const tp_status tree = ingest_decode_json_tree(opts, &b, (const char *)data, size, &e2);
        if (tree == TP_OK && !scan_decoded_eq(&a, &b, why, sizeof why)) {
            fprintf(stderr, "fuzz_ingest: the scanner and cJSON disagree: %s\n", why);
            abort();
        }
        if (tree != TP_OK && tree != TP_ERR_NOMEM) {
            fprintf(stderr, "fuzz_ingest: the scanner accepted what cJSON refuses: %s\n",
                    e2.message);
            abort();
        }
    } else if (a.n_groups + a.n_pages + a.n_empties + a.documents != 0) {
        fprintf(stderr, "fuzz_ingest: the scanner declined but left data behind\n");
        abort();
    }
    ingest_decoded_deinit(&a);
    ingest_decoded_deinit(&b);
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
    scan_differential(&plain, data, size);
    tp_ingest_options given = plain;
    given.model = "amazon.nova-pro-v1:0";
    given.metric = "InputTokenCount";
    given.tier = "priority";
    given.period_s = 300;
    /* A cap of exactly the input's size: the streaming reader's boundary (cap + 1 refuses). */
    given.max_file_bytes = size;
    ingest_once(&given, data, size, 1);
    scan_differential(&given, data, size);
    return 0;
}
