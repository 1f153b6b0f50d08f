/* fuzz_windows.c - libFuzzer harness: the windows file parser and the ISO 8601 timestamp
 * parser. Accepted windows must be as documented (sorted, non-empty, not overlapping) and
 * every accepted timestamp must format to text that parses back to the same instant (the
 * export writes what ingest reads). A broken promise aborts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tierplan/plan.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"

static void fail(const char *what, const char *text, size_t len)
{
    fprintf(stderr, "fuzz_windows: %s: \"%.*s\"\n", what, (int)(len < 200 ? len : 200), text);
    abort();
}

/* Parses one timestamp; when accepted, formats it and parses that back. */
static void time_roundtrip(const char *text, size_t len)
{
    int64_t t = 0, back = 0;
    char buf[TP_TIME_BUF];
    tp_error err;
    if (tp_timestamp_parse(text, len, &t, &err) != TP_OK)
        return;
    tp_timestamp_format(t, buf);
    if (tp_timestamp_parse(buf, strlen(buf), &back, NULL) != TP_OK)
        fail("accepted, but its formatted form is not accepted", buf, strlen(buf));
    if (back != t)
        fail("formats to a different instant", text, len);
}

/* Runs every line, and every comma-separated field of it, through time_roundtrip. */
static void each_line(const char *text, size_t len)
{
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t ll = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
        const char *line = text + off;
        time_roundtrip(line, ll);
        size_t start = 0;
        for (size_t i = 0; i <= ll; i++)
            if (i == ll || line[i] == ',') {
                time_roundtrip(line + start, i - start);
                start = i + 1;
            }
        off += ll + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    tp_window *w = NULL;
    size_t n = 0;
    tp_error err;
    if (tp_window_parse("fuzz.windows", text, size, &w, &n, &err) == TP_OK) {
        if (n == 0 || w == NULL)
            fail("accepted with no windows", text, size);
        for (size_t i = 0; i < n; i++) {
            if (w[i].to_minute <= w[i].from_minute) {
                char msg[128];
                snprintf(msg, sizeof msg, "window %zu is empty [%" PRId64 ", %" PRId64 ")", i,
                         w[i].from_minute, w[i].to_minute);
                fail(msg, text, size);
            }
            if (i > 0 && w[i].from_minute < w[i - 1].to_minute)
                fail("windows unsorted or overlapping", text, size);
        }
    }
    free(w);
    each_line(text, size);
    return 0;
}
