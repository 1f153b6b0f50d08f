/* ingest_csv.c - decodes CSV input: timestamp,model,metric,value[,tier], or with a header
 * naming the columns in any order (the header also allows service_tier, period_s, region,
 * account, and source, attribute_by and key: the invocation log sums tierplan export writes). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"
#include "tierplan/timestamp.h"
#include "base/util.h"

/* A CSV line longer than this is refused: nothing tierplan reads comes close (a log sum's
 * line holds a model id and a key of up to 2,048 bytes each). */
#define CSV_MAX_LINE 8192
#define CSV_MAX_FIELDS 16

enum {
    COL_TS, COL_MODEL, COL_METRIC, COL_VALUE, COL_TIER, COL_STIER, COL_PERIOD, COL_REGION,
    COL_ACCOUNT, COL_SOURCE, COL_ATTR, COL_KEY, N_COLS
};
static const char *const col_names[N_COLS] = {
    "timestamp", "model",   "metric", "value",        "tier", "service_tier",
    "period_s",  "region",  "account", "source", "attribute_by", "key"};

const char *const ingest_log_sum_names[INGEST_LOG_SUMS] = {
    "requests", "errors", "input_tokens", "output_tokens", "cache_read_tokens",
    "cache_write_tokens"};

/* The state of one CSV input between lines. */
typedef struct csv_reader {
    const tp_ingest_options *opts;
    ingest_decoded *dec;
    int map[N_COLS]; /* column index of each known field, -1 when absent */
    int ncols;       /* fields per line, once known (0 before the first line) */
    int have_header;
    int seen_row; /* a non-blank line was read: the header, if any, is behind */
    size_t line;  /* 1-based number of the current line */
    str_index groups; /* series key -> index in dec->groups */
    str_index logs;   /* log row key -> index in dec->log_rows */
} csv_reader;

/* Splits one CSV line (RFC 4180 quoting) into at most max fields, unquoting into buf.
 * Returns the field count, or -1 for a malformed quote or too many fields. */
static int csv_split(const char *line, size_t len, char *buf, char **fields, int max)
{
    int n = 0;
    size_t i = 0;
    char *o = buf;
    for (;;) {
        if (n == max)
            return -1;
        fields[n++] = o;
        if (i < len && line[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        *o++ = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                *o++ = line[i++];
            }
            if (i < len && line[i] != ',')
                return -1;
        } else {
            while (i < len && line[i] != ',')
                *o++ = line[i++];
        }
        *o++ = '\0';
        if (i >= len)
            return n;
        i++; /* the comma */
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Whether the first line is a header: it names a column and does not start with a
 * timestamp (a headerless line always does; a bad one is reported as such). */
static int is_header(char **f, int nf)
{
    int64_t ts;
    if (tp_timestamp_parse(f[0], strlen(f[0]), &ts, NULL) == TP_OK)
        return 0;
    for (int i = 0; i < nf; i++)
        for (int k = 0; k < N_COLS; k++)
            if (strcasecmp(f[i], col_names[k]) == 0)
                return 1;
    return 0;
}

/* Reads the header line: which column holds each known field. */
static tp_status csv_header(csv_reader *r, char **f, int nf, tp_error *err)
{
    for (int i = 0; i < N_COLS; i++)
        r->map[i] = -1;
    for (int i = 0; i < nf; i++) {
        int k = 0;
        while (k < N_COLS && strcasecmp(f[i], col_names[k]) != 0)
            k++;
        if (k == N_COLS || r->map[k] >= 0)
            return tp_error_set(err, TP_ERR_PARSE,
                                "%s:%zu: %s column \"%s\" (expected timestamp, model, metric, "
                                "value and optionally tier, service_tier, period_s, region, "
                                "account, source, attribute_by, key)",
                                r->dec->name, r->line, k == N_COLS ? "unknown" : "duplicate",
                                f[i]);
        r->map[k] = i;
    }
    for (int k = 0; k <= COL_VALUE; k++)
        if (r->map[k] < 0)
            return tp_error_set(err, TP_ERR_PARSE, "%s:%zu: missing column \"%s\"",
                                r->dec->name, r->line, col_names[k]);
    r->have_header = 1;
    r->ncols = nf;
    return TP_OK;
}

/* The group of this series key among the groups decoded so far, added when new; NULL when
 * out of memory. CSV groups are named by the line that started them. A new group's strings
 * are packed in one allocation, "model\0metric\0tier\0stier\0region\0account\0" then the
 * period's bytes (the key the index borrows), then "line N\0". */
static ingest_group *csv_group(csv_reader *r, const char *model, const char *metric,
                               const char *tier, const char *stier, const char *region,
                               const char *account, int period_s)
{
    ingest_decoded *dec = r->dec;
    /* the fields (from one line, or the command's region and account) with NULs, the period,
     * where */
    char key[CSV_MAX_LINE + 2 * TP_STORE_REGION_MAX + 64];
    size_t kn = 0, gi, off[6];
    const char *parts[6] = {model, metric, tier, stier, region, account};
    for (int i = 0; i < 6; i++) {
        size_t n = strlen(parts[i]) + 1;
        off[i] = kn;
        memcpy(key + kn, parts[i], n);
        kn += n;
    }
    memcpy(key + kn, &period_s, sizeof period_s);
    kn += sizeof period_s;
    if (str_index_find(&r->groups, key, kn, &gi))
        return &dec->groups[gi];
    const int wn = snprintf(key + kn, sizeof key - kn, "line %zu", r->line) + 1;
    char *block = malloc(kn + (size_t)wn);
    if (block != NULL)
        memcpy(block, key, kn + (size_t)wn);
    if (block == NULL || UTIL_GROW(dec->groups, dec->cap_groups, dec->n_groups + 1) != 0 ||
        str_index_put(&r->groups, block, kn, dec->n_groups) != 0) {
        free(block);
        return NULL;
    }
    ingest_group *g = &dec->groups[dec->n_groups++];
    memset(g, 0, sizeof *g);
    g->packed = 1;
    g->model = block;
    g->metric = block + off[1];
    g->resolved_tier = block + off[2];
    g->service_tier = block + off[3];
    g->region = block + off[4];
    g->account = block + off[5];
    g->where = block + kn;
    g->period_s = period_s;
    return g;
}

/* Refuses a model id or tier that is not valid UTF-8 or holds control characters: they
 * would be stored and printed as given. */
static tp_status csv_text(const csv_reader *r, const char *what, const char *text,
                          tp_error *err)
{
    const char *why = ingest_text_problem(text, strlen(text));
    if (why == NULL)
        return TP_OK;
    return tp_error_set(err, TP_ERR_INVALID, "%s:%zu: %s holds %s", r->dec->name, r->line, what,
                        why);
}

/* Reads the optional period_s field; 0 when absent or empty. */
static tp_status csv_period(const csv_reader *r, char **f, int *period_s, tp_error *err)
{
    *period_s = 0;
    if (r->map[COL_PERIOD] < 0 || f[r->map[COL_PERIOD]][0] == '\0')
        return TP_OK;
    double p;
    const char *pf = f[r->map[COL_PERIOD]];
    if (cnum_parse(pf, strlen(pf), &p) != 0 || !ingest_period_valid(p))
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: period_s \"%s\" is not a whole number of minutes in "
                            "seconds",
                            r->dec->name, r->line, pf);
    *period_s = (int)p;
    return TP_OK;
}

/* The log row of this key and minute among those decoded so far, added when new (its
 * strings packed in one allocation, "model\0region\0account\0attr_by\0key\0" then the
 * minute's bytes: the key the index borrows); NULL when out of memory. */
static ingest_log_row *csv_log_row_of(csv_reader *r, const char *const parts[5], int64_t minute)
{
    ingest_decoded *dec = r->dec;
    char key[CSV_MAX_LINE + 2 * TP_STORE_REGION_MAX + 64];
    size_t kn = 0, off[5], i;
    for (int k = 0; k < 5; k++) {
        const size_t n = strlen(parts[k]) + 1;
        off[k] = kn;
        memcpy(key + kn, parts[k], n);
        kn += n;
    }
    memcpy(key + kn, &minute, sizeof minute);
    kn += sizeof minute;
    if (str_index_find(&r->logs, key, kn, &i))
        return &dec->log_rows[i];
    char *block = malloc(kn);
    if (block != NULL)
        memcpy(block, key, kn);
    if (block == NULL || UTIL_GROW(dec->log_rows, dec->cap_log_rows, dec->n_log_rows + 1) != 0 ||
        str_index_put(&r->logs, block, kn, dec->n_log_rows) != 0) {
        free(block);
        return NULL;
    }
    ingest_log_row *row = &dec->log_rows[dec->n_log_rows++];
    memset(row, 0, sizeof *row);
    row->model = block;
    row->region = block + off[1];
    row->account = block + off[2];
    row->attr_by = block + off[3];
    row->key = block + off[4];
    row->minute = minute;
    row->line = r->line;
    return row;
}

/* Reads a data line of source "logs": one sum (metric) of one minute of invocation logs of a
 * model, place, attribution and key (docs/formats.md, "CSV"). */
static tp_status csv_log_line(csv_reader *r, char **f, const char *model, int64_t ts_s,
                              tp_error *err)
{
    const char *name = r->dec->name;
    const int *map = r->map;
    const char *metric = f[map[COL_METRIC]], *vf = f[map[COL_VALUE]];
    const char *attr = map[COL_ATTR] >= 0 ? f[map[COL_ATTR]] : "";
    const char *key = map[COL_KEY] >= 0 ? f[map[COL_KEY]] : "";
    const char *region = NULL, *account = NULL;
    char at[32];
    int k = 0;
    double v;
    tp_status rc;
    snprintf(at, sizeof at, "line %zu", r->line);
    while (k < INGEST_LOG_SUMS && strcmp(metric, ingest_log_sum_names[k]) != 0)
        k++;
    if (k == INGEST_LOG_SUMS)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: \"%s\" is no sum of invocation logs (expected requests, "
                            "errors, input_tokens, output_tokens, cache_read_tokens or "
                            "cache_write_tokens)",
                            name, r->line, metric);
    if (cnum_parse(vf, strlen(vf), &v) != 0 || !(v >= 0 && v <= INGEST_MAX_TOKENS_PER_MINUTE) ||
        v != (double)(int64_t)v)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: %s \"%s\" is not a whole number from 0 to 1e12", name,
                            r->line, metric, vf);
    if ((map[COL_TIER] >= 0 && f[map[COL_TIER]][0] != '\0') ||
        (map[COL_STIER] >= 0 && f[map[COL_STIER]][0] != '\0'))
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: a sum of invocation logs has no tier or service_tier",
                            name, r->line);
    if (map[COL_PERIOD] >= 0 && f[map[COL_PERIOD]][0] != '\0' &&
        strcmp(f[map[COL_PERIOD]], "60") != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: period_s \"%s\": sums of invocation logs are per minute (60)",
                            name, r->line, f[map[COL_PERIOD]]);
    if (attr[0] == '\0' || key[0] == '\0')
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: a sum of invocation logs needs its attribute_by and key",
                            name, r->line);
    if (strlen(model) > TP_INGEST_MAX_ID_BYTES || strlen(key) > TP_INGEST_MAX_ID_BYTES)
        return tp_error_set(err, TP_ERR_INVALID, "%s:%zu: %s over %d bytes", name, r->line,
                            strlen(key) > TP_INGEST_MAX_ID_BYTES ? "key" : "model",
                            TP_INGEST_MAX_ID_BYTES);
    tp_error ignored;
    if (ingest_logs_check_attr(attr, &ignored) != TP_OK)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: attribute_by \"%s\" is not identity, metadata:KEY, "
                            "operation or region",
                            name, r->line, attr);
    if ((rc = csv_text(r, "key", key, err)) != TP_OK ||
        (rc = ingest_place_check(r->opts, r->dec, at, "region",
                                 map[COL_REGION] >= 0 ? f[map[COL_REGION]] : NULL, &region,
                                 err)) != TP_OK ||
        (rc = ingest_place_check(r->opts, r->dec, at, "account",
                                 map[COL_ACCOUNT] >= 0 ? f[map[COL_ACCOUNT]] : NULL, &account,
                                 err)) != TP_OK)
        return rc;
    const char *const parts[5] = {model, region, account, attr, key};
    ingest_log_row *row = csv_log_row_of(r, parts, util_floor_div(ts_s, 60));
    if (row == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    if (row->have & (1u << k))
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: %s of this minute, model and key given twice (line %zu)",
                            name, r->line, metric, row->line);
    row->have |= 1u << k;
    row->sums[k] = (int64_t)v;
    r->dec->log_lines++;
    return TP_OK;
}

/* Reads one data line of nf trimmed fields into its group. */
static tp_status csv_row(csv_reader *r, char **f, int nf, tp_error *err)
{
    tp_status rc;
    const char *name = r->dec->name;
    const int *map = r->map;
    if (!r->have_header && r->ncols == 0)
        r->ncols = nf < 4 ? 4 : nf;
    if (nf != r->ncols || (!r->have_header && nf > 5))
        return tp_error_set(err, TP_ERR_PARSE, "%s:%zu: %d fields, expected %d", name, r->line,
                            nf, r->have_header ? r->ncols : (nf > 5 ? 5 : r->ncols));
    int64_t ts;
    double v;
    const char *model = r->opts->model ? r->opts->model : f[map[COL_MODEL]];
    const char *metric = r->opts->metric ? r->opts->metric : f[map[COL_METRIC]];
    const char *tier = r->opts->tier                               ? r->opts->tier
                       : map[COL_TIER] >= 0 && map[COL_TIER] < nf ? f[map[COL_TIER]]
                                                                  : "";
    const char *stier = map[COL_STIER] >= 0 ? f[map[COL_STIER]] : "";
    const char *region = NULL, *account = NULL;
    char at[32];
    snprintf(at, sizeof at, "line %zu", r->line);
    const char *tsf = f[map[COL_TS]], *vf = f[map[COL_VALUE]], *why;
    int period_s;
    if (tp_timestamp_parse(tsf, strlen(tsf), &ts, NULL) != TP_OK)
        return tp_error_set(err, TP_ERR_PARSE, "%s:%zu: unparsable timestamp \"%s\"", name,
                            r->line, tsf);
    if (cnum_parse(vf, strlen(vf), &v) != 0)
        return tp_error_set(err, TP_ERR_PARSE, "%s:%zu: value \"%s\" is not a number", name,
                            r->line, vf);
    if ((why = ingest_value_problem(v)) != NULL)
        return tp_error_set(err, TP_ERR_INVALID, "%s:%zu: value %s is %s", name, r->line, vf,
                            why);
    if (model[0] == '\0')
        return tp_error_set(err, TP_ERR_INVALID, "%s:%zu: empty model", name, r->line);
    const char *source = map[COL_SOURCE] >= 0 ? f[map[COL_SOURCE]] : "";
    if (strcmp(source, "logs") == 0) {
        if ((rc = csv_text(r, "model", model, err)) != TP_OK)
            return rc;
        return csv_log_line(r, f, model, ts, err);
    }
    if (source[0] != '\0' && strcmp(source, "metrics") != 0)
        return tp_error_set(err, TP_ERR_INVALID,
                            "%s:%zu: source \"%s\" is neither metrics nor logs", name, r->line,
                            source);
    if ((rc = csv_text(r, "metric", metric, err)) != TP_OK)
        return rc;
    if (!tp_metric_is_known(metric))
        return tp_error_set(err, TP_ERR_INVALID, "%s:%zu: unknown metric \"%s\"", name,
                            r->line, metric);
    if ((rc = csv_period(r, f, &period_s, err)) != TP_OK ||
        (rc = csv_text(r, "model", model, err)) != TP_OK ||
        (rc = csv_text(r, "tier", tier, err)) != TP_OK ||
        (rc = csv_text(r, "service_tier", stier, err)) != TP_OK ||
        (rc = ingest_place_check_in(r->opts, r->dec, at, "region",
                                    map[COL_REGION] >= 0 ? f[map[COL_REGION]] : NULL, "column",
                                    NULL, &region, err)) != TP_OK ||
        (rc = ingest_place_check_in(r->opts, r->dec, at, "account",
                                    map[COL_ACCOUNT] >= 0 ? f[map[COL_ACCOUNT]] : NULL,
                                    "column", NULL, &account, err)) != TP_OK)
        return rc;
    ingest_group *g = csv_group(r, model, metric, tier, stier, region, account, period_s);
    if (g == NULL || ingest_group_push(g, ts, v, (uint32_t)r->line) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

tp_status ingest_decode_csv(const tp_ingest_options *opts, ingest_decoded *dec,
                            const char *data, size_t len, tp_error *err)
{
    tp_status rc = TP_OK;
    char *buf = NULL;
    size_t bufcap = 0, off = 0;
    csv_reader r = {opts, dec, {0}, 0, 0, 0, 0, {0}, {0}};
    r.groups.borrow = 1; /* the keys are the groups' own packed strings */
    r.logs.borrow = 1;
    for (int i = 0; i < N_COLS; i++)
        r.map[i] = i < 5 ? i : -1; /* headerless: timestamp,model,metric,value[,tier] */
    dec->format = "csv";
    dec->documents = 1;
    while (off < len) {
        const char *ls = data + off;
        const char *nl = memchr(ls, '\n', len - off);
        size_t ll = nl != NULL ? (size_t)(nl - ls) : len - off;
        off += ll + (nl != NULL);
        r.line++;
        if (ll > 0 && ls[ll - 1] == '\r')
            ll--;
        if (ll >= CSV_MAX_LINE) {
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: line longer than %d bytes", dec->name,
                              r.line, CSV_MAX_LINE);
            goto cleanup;
        }
        if (memchr(ls, '\0', ll) != NULL) { /* it would cut its field short, silently */
            rc = tp_error_set(err, TP_ERR_PARSE, "%s:%zu: NUL byte in the line", dec->name,
                              r.line);
            goto cleanup;
        }
        if (bufcap < ll + 16) { /* unquoting never lengthens a field; +16 for terminators */
            free(buf);
            bufcap = 2 * ll + 16;
            if ((buf = malloc(bufcap)) == NULL) {
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
        }
        char *f[CSV_MAX_FIELDS];
        int nf = csv_split(ls, ll, buf, f, CSV_MAX_FIELDS);
        if (nf < 0) {
            rc = tp_error_set(err, TP_ERR_PARSE,
                              "%s:%zu: malformed CSV (quotes or too many fields)", dec->name,
                              r.line);
            goto cleanup;
        }
        if (nf == 1 && trim(f[0])[0] == '\0')
            continue; /* blank line */
        for (int i = 0; i < nf; i++)
            f[i] = trim(f[i]);
        if (!r.seen_row && is_header(f, nf))
            rc = csv_header(&r, f, nf, err);
        else
            rc = csv_row(&r, f, nf, err);
        r.seen_row = 1;
        if (rc != TP_OK)
            goto cleanup;
    }
cleanup:
    str_index_deinit(&r.groups);
    str_index_deinit(&r.logs);
    free(buf);
    return rc;
}
