/* fuzz_roundtrip.c - libFuzzer harness: whatever ingests must export as CSV that ingests
 * back to the same content, i.e. export(ingest(export(ingest(x)))) == export(ingest(x)),
 * byte for byte. A difference aborts with both exports on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tierplan/ingest.h"
#include "tierplan/store.h"

static void drop_warning(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

static void die(const char *what, const tp_error *err)
{
    fprintf(stderr, "fuzz_roundtrip: %s: %s\n", what, err != NULL ? err->message : "");
    abort();
}

/* Ingests data into a new in-memory store and commits it. Returns the store, or NULL when
 * the input is refused (an ordinary outcome for fuzz input). */
static tp_store *ingest_new(const tp_ingest_options *opts, const char *data, size_t size)
{
    tp_error err;
    tp_store *store = NULL;
    tp_ingest *ing = NULL;
    if (tp_store_open(":memory:", &store, &err) != TP_OK)
        die("open", &err);
    if (tp_ingest_begin(store, opts, &ing, &err) != TP_OK)
        die("begin", &err);
    if (tp_ingest_buffer(ing, "fuzz-input", data, size, NULL, &err) != TP_OK ||
        tp_ingest_commit(ing, &err) != TP_OK) {
        tp_ingest_free(ing);
        tp_store_close(store);
        return NULL;
    }
    tp_ingest_free(ing);
    return store;
}

/* Exports all of store as CSV into a new buffer (*out, caller frees, *len bytes). */
static void export_all(tp_store *store, char **out, size_t *len)
{
    tp_error err;
    FILE *f = open_memstream(out, len);
    if (f == NULL)
        die("open_memstream", NULL);
    if (tp_store_export_csv(store, NULL, f, NULL, &err) != TP_OK)
        die("export", &err);
    if (fclose(f) != 0)
        die("fclose", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_ingest_options opts = {0};
    opts.warn = drop_warning;
    tp_store *store = ingest_new(&opts, (const char *)data, size);
    if (store == NULL) {
        /* get-metric-statistics documents name no model: give one, as `--model` would. */
        opts.model = "amazon.nova-pro-v1:0";
        if ((store = ingest_new(&opts, (const char *)data, size)) == NULL)
            return 0;
    }
    char *first = NULL, *second = NULL;
    size_t first_len = 0, second_len = 0;
    export_all(store, &first, &first_len);
    tp_store_close(store);

    /* The export is read back with default options: it must say everything itself. */
    tp_ingest_options plain = {0};
    plain.warn = drop_warning;
    if ((store = ingest_new(&plain, first, first_len)) == NULL) {
        /* An empty store exports a bare header, which is not an input; anything else is. */
        if (strchr(first, '\n') == first + first_len - 1) {
            free(first);
            return 0;
        }
        fprintf(stderr, "fuzz_roundtrip: the export does not ingest:\n%.4000s\n", first);
        abort();
    }
    export_all(store, &second, &second_len);
    tp_store_close(store);
    if (first_len != second_len || memcmp(first, second, first_len) != 0) {
        fprintf(stderr, "fuzz_roundtrip: exports differ\n--- first\n%.4000s\n--- second\n%.4000s\n",
                first, second);
        abort();
    }
    free(first);
    free(second);
    return 0;
}
