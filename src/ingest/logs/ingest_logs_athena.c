/* ingest_logs_athena.c - the result of `tierplan export-cmd --source athena`'s query, as Athena
 * writes it: CSV (every value quoted, NULL empty) or `aws athena get-query-results` JSON; its
 * rows are per-minute sums judged by ingest_logs_columns.c (docs/formats.md, "Athena"). */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "base/cnum.h"
#include "ingest/logs/ingest_logs.h"

int log_csv_split(const char *line, size_t len, char *buf, size_t size, const char **val,
                  size_t n_max)
{
    size_t i = 0, at = 0, n = 0;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    for (;;) {
        if (n == n_max)
            return -1;
        if (i < len && line[i] == '"') { /* quoted: "" is a quote, a comma or the end follows */
            val[n++] = buf + at;
            for (i++;; i++) {
                if (i >= len)
                    return -1; /* unclosed: a value across lines is not read */
                if (line[i] == '"' && i + 1 < len && line[i + 1] == '"')
                    i++;
                else if (line[i] == '"')
                    break;
                if (at + 1 >= size)
                    return -1;
                buf[at++] = line[i];
            }
            i++;
            if (at + 1 >= size)
                return -1;
            buf[at++] = '\0';
        } else { /* unquoted: Athena writes NULL as nothing; anything else is taken as it is */
            const size_t start = i;
            while (i < len && line[i] != ',')
                i++;
            if (i > start && memchr(line + start, '"', i - start) != NULL)
                return -1;
            if (i == start) {
                val[n++] = NULL;
            } else {
                if (at + (i - start) + 1 > size)
                    return -1;
                val[n++] = buf + at;
                memcpy(buf + at, line + start, i - start);
                at += i - start;
                buf[at++] = '\0';
            }
        }
        if (i == len)
            return (int)n;
        if (line[i] != ',')
            return -1; /* text after a closing quote */
        i++;
    }
}

/* A row of Data cells ({"VarCharValue": "..."}; {} is NULL) into val. */
static size_t row_values(const cJSON *data, const char **val, size_t n_max)
{
    size_t n = 0;
    const cJSON *cell;
    cJSON_ArrayForEach(cell, data)
    {
        if (n == n_max)
            break;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cell, "VarCharValue");
        val[n++] = cJSON_IsString(v) ? v->valuestring : NULL;
    }
    return n;
}

#define MAX_COLS 64 /* the query has ten; a result with more is not this query's */

tp_status ingest_logs_athena_json(const char *name, const char *data, size_t len, log_cols *lc,
                                  insights_row_fn fn, void *ctx, tp_error *err)
{
    tp_status rc = TP_OK;
    int oom, col[MAX_COLS];
    const char *names[MAX_COLS], *val[MAX_COLS];
    size_t n_cols = 0, i = 0;
    cJSON *doc = cnum_json_parse(data, len, NULL, 0, &oom);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(doc, "ResultSet");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(set, "Rows");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(set, "ResultSetMetadata");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(meta, "ColumnInfo"), *c, *row;
    if (oom) {
        rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (doc == NULL || !cJSON_IsArray(rows) || !cJSON_IsArray(info)) {
        rc = tp_error_set(err, TP_ERR_PARSE,
                          "%s: not aws athena get-query-results output (no ResultSet with Rows "
                          "and ResultSetMetadata.ColumnInfo)",
                          name);
        goto cleanup;
    }
    cJSON_ArrayForEach(c, info)
    {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(c, "Name");
        if (n_cols == MAX_COLS || !cJSON_IsString(nm)) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s: ResultSetMetadata.ColumnInfo[%zu]: %s", name,
                              n_cols, n_cols == MAX_COLS ? "more than 64 columns" : "no Name");
            goto cleanup;
        }
        names[n_cols] = nm->valuestring;
        if ((col[n_cols] = log_cols_find(lc, nm->valuestring, strlen(nm->valuestring))) < 0) {
            rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        n_cols++;
    }
    cJSON_ArrayForEach(row, rows)
    {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(row, "Data");
        const size_t n = cJSON_IsArray(d) ? row_values(d, val, MAX_COLS) : 0;
        int header = row == rows->child && n == n_cols; /* the first page's first row names */
        for (size_t k = 0; header && k < n; k++)        /* the columns: not a row of sums */
            header = val[k] != NULL && strcmp(val[k], names[k]) == 0;
        if (header)
            continue;
        log_record r;
        const char *why = !cJSON_IsArray(d) ? "not a row (no Data)"
                          : n != n_cols     ? "not as many values as columns"
                                            : log_cols_row(lc, col, val, n, &r);
        if ((rc = fn(ctx, &r, ++i, why, err)) != TP_OK)
            goto cleanup;
    }
cleanup:
    cJSON_Delete(doc);
    return rc;
}
