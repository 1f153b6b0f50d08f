/* place.c - a model entry's region and account in JSON, CSV and text (place.h). */
#include "render/place.h"

#include <stdio.h>
#include <string.h>

#include "render/encode.h"
#include "render/report_internal.h"
#include "tierplan/store.h"

/* null for "" (or NULL): a consumer tests one value for "unknown", never a magic string */
static void put_or_null(cJSON *o, const char *key, const char *v)
{
    if (v == NULL || v[0] == '\0')
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddStringToObject(o, key, v);
}

void place_json(cJSON *o, const char *region, const char *account)
{
    put_or_null(o, "region", region);
    put_or_null(o, "account", account);
}

/* an empty cell for "" (unknown), as tp_store_export_csv writes it */
static void csv_cell(strbuf *b, const char *v)
{
    if (v == NULL || v[0] == '\0')
        sb_puts(b, ",");
    else
        report_csv_word(b, v);
}

void place_csv(strbuf *b, const char *region, const char *account)
{
    csv_cell(b, region);
    csv_cell(b, account);
}

void place_json_at(cJSON *o, int index, const char *region, const char *account)
{
    const int n = cJSON_GetArraySize(o);
    place_json(o, region, account);
    /* the members from index on move behind the two (cJSON 1.7.15 inserts into no object):
     * each keeps its key */
    for (int k = index; k < n; k++)
        cJSON_AddItemToArray(o, cJSON_DetachItemFromArray(o, index));
}

void place_text_enc(strbuf *b, const char *region, const char *account,
                    void (*enc)(strbuf *, const char *))
{
    if (region != NULL && strcmp(region, "*") == 0) {
        sb_puts(b, " (regions merged");
    } else {
        sb_puts(b, " (region ");
        enc(b, tp_store_place_name(region));
    }
    sb_puts(b, ", account ");
    enc(b, tp_store_place_name(account));
    sb_puts(b, ")");
}

void place_text(strbuf *b, const char *region, const char *account)
{
    place_text_enc(b, region, account, enc_text);
}

void place_md(strbuf *b, const char *region, const char *account)
{
    place_text_enc(b, region, account, enc_md_text);
}

const char *place_count_text(char *buf, size_t size, const void *v, size_t n,
                             const char *(*get)(const void *v, size_t i))
{
    size_t models = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(get(v, j), get(v, i)) == 0;
        models += !seen;
    }
    if (models == n)
        snprintf(buf, size, "%zu model%s", n, n == 1 ? "" : "s");
    else
        snprintf(buf, size, "%zu model%s in %zu places", models, models == 1 ? "" : "s", n);
    return buf;
}
