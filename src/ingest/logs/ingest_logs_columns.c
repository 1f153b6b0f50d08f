/* ingest_logs_columns.c - the columns of query results (Logs Insights, Athena): the role each
 * column plays, by the names people give them or by tp_ingest_options.fields (ROLE=NAME), and
 * a row's values judged into one record's sums (docs/formats.md, "Query results"). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "base/util.h"
#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"
#include "tierplan/timestamp.h"

const char log_why_no_time[] = "no time (a column like @timestamp or minute)";
const char log_why_no_model[] = "no model id (a column like modelId or model)";
const char log_why_bad_time[] = "a time that is not one (2025-08-15 12:44:00.000 or ISO 8601)";
const char log_why_bad_count[] = "a count that is not a whole number from 0 to 1e12";

/* The roles --field names (the rest are recognised by name only), in LR_ order. */
static const char *const role_names[LR_N] = {"time",
                                             "model",
                                             "input_tokens",
                                             "output_tokens",
                                             "cache_read_tokens",
                                             "cache_write_tokens",
                                             "key",
                                             "region",
                                             "account",
                                             "requests",
                                             NULL,
                                             NULL};

/* Column names per role, normalised (lowercase letters and digits only: `input.inputTokenCount`
 * is inputinputtokencount, `bin(1m)` bin1m), the preferred first: a row with two columns of a
 * role takes the earlier and the other is ignored. docs/formats.md lists them. */
static const char *const aliases[LR_N][10] = {
    [LR_TIME] = {"minute", "bin1m", "bin1min", "bin60s", "timestamp", "time"},
    [LR_MODEL] = {"modelid", "model"},
    [LR_INPUT] = {"inputtokens", "inputinputtokencount", "inputtokencount", "usageinputtokens",
                  "suminputinputtokencount"},
    [LR_OUTPUT] = {"outputtokens", "outputoutputtokencount", "outputtokencount",
                   "usageoutputtokens", "sumoutputoutputtokencount"},
    [LR_CACHE_READ] = {"cachereadtokens", "inputcachereadinputtokencount",
                       "cachereadinputtokencount", "cachereadinputtokens",
                       "usagecachereadinputtokens", "suminputcachereadinputtokencount"},
    [LR_CACHE_WRITE] = {"cachewritetokens", "inputcachewriteinputtokencount",
                        "cachewriteinputtokencount", "cachewriteinputtokens",
                        "usagecachewriteinputtokens", "suminputcachewriteinputtokencount"},
    [LR_KEY] = {"attrkey", "key"}, /* then the attribute_by field's own names (key_alias) */
    [LR_REGION] = {"region"},
    [LR_ACCOUNT] = {"accountid", "account"},
    [LR_REQUESTS] = {"requests", "count", "requestcount", "invocations"},
    [LR_ERRORS] = {"errors", "counterrorcode"},
    [LR_ERROR_CODE] = {"errorcode"},
};

/* Normalises name into buf (size bytes): lowercase letters and digits; 0, or -1 when it does
 * not fit (no alias is that long). */
static int normalise(const char *name, size_t len, char *buf, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        const unsigned char ch = (unsigned char)name[i];
        if (!isalnum(ch) || ch >= 0x80)
            continue;
        if (n + 1 >= size)
            return -1;
        buf[n++] = (char)tolower(ch);
    }
    buf[n] = '\0';
    return 0;
}

int log_cols_role_of(const char *role)
{
    for (int k = 0; k < LR_N; k++)
        if (role_names[k] != NULL && strcmp(role, role_names[k]) == 0)
            return k;
    return -1;
}

tp_status ingest_logs_check_fields(const char *const *fields, size_t n, tp_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *f = fields[i], *eq = f != NULL ? strchr(f, '=') : NULL;
        char role[32];
        if (eq == NULL || eq == f || eq[1] == '\0' || (size_t)(eq - f) >= sizeof role)
            return tp_error_set_field(err, TP_ERR_USAGE, "fields",
                                      "{fields}: \"%s\" is not ROLE=NAME", f != NULL ? f : "");
        memcpy(role, f, (size_t)(eq - f));
        role[eq - f] = '\0';
        if (log_cols_role_of(role) < 0)
            return tp_error_set_field(err, TP_ERR_USAGE, "fields",
                                      "{fields}: unknown role \"%s\" (time, model, input_tokens, "
                                      "output_tokens, cache_read_tokens, cache_write_tokens, key, "
                                      "region, account or requests)",
                                      role);
        if (strlen(eq + 1) > TP_INGEST_MAX_ID_BYTES ||
            ingest_text_problem(eq + 1, strlen(eq + 1)) != NULL)
            return tp_error_set_field(err, TP_ERR_USAGE, "fields",
                                      "{fields}: the column name of %s is not text", role);
        for (size_t j = 0; j < i; j++)
            if (strncmp(fields[j], f, (size_t)(eq - f) + 1) == 0)
                return tp_error_set_field(err, TP_ERR_USAGE, "fields",
                                          "{fields}: role %s given twice", role);
    }
    return TP_OK;
}

void log_cols_init(log_cols *lc, const tp_ingest_options *o, const char *attribute_by)
{
    memset(lc, 0, sizeof *lc);
    lc->attribute_by = attribute_by != NULL ? attribute_by : "identity";
    lc->default_model = o != NULL ? o->model : NULL;
    for (size_t i = 0; o != NULL && i < o->n_fields; i++) {
        const char *eq = strchr(o->fields[i], '=');
        char role[32];
        if (eq == NULL || (size_t)(eq - o->fields[i]) >= sizeof role)
            continue; /* checked by tp_ingest_begin */
        memcpy(role, o->fields[i], (size_t)(eq - o->fields[i]));
        role[eq - o->fields[i]] = '\0';
        const int k = log_cols_role_of(role);
        if (k >= 0)
            lc->field[k] = eq + 1;
    }
    /* the attribution key's own field, as the export's queries and the records name it */
    const char *by = lc->attribute_by;
    if (strcmp(by, "identity") == 0) {
        snprintf(lc->key_alias, sizeof lc->key_alias, "identityarn");
    } else if (strcmp(by, "operation") == 0 || strcmp(by, "region") == 0) {
        snprintf(lc->key_alias, sizeof lc->key_alias, "%s", by);
    } else if (strncmp(by, "metadata:", 9) == 0) {
        char k[sizeof lc->key_alias - 16]; /* after "requestmetadata" */
        if (normalise(by + 9, strlen(by + 9), k, sizeof k) == 0)
            snprintf(lc->key_alias, sizeof lc->key_alias, "requestmetadata%.63s", k);
    }
}

void log_cols_deinit(log_cols *lc)
{
    for (size_t i = 0; i < lc->n; i++)
        free(lc->info[i].name);
    free(lc->info);
    str_index_deinit(&lc->names);
    memset(lc, 0, sizeof *lc);
}

/* The ranks of a column name per role (-1: not of it; 0 the --field name, then the aliases). */
static void ranks_of(const log_cols *lc, const char *name, size_t len, signed char *rank)
{
    char norm[64];
    const int fits = normalise(name, len, norm, sizeof norm) == 0;
    for (int k = 0; k < LR_N; k++) {
        rank[k] = -1;
        if (lc->field[k] != NULL) { /* named by the caller: only that column, by its name */
            if (strlen(lc->field[k]) == len && memcmp(lc->field[k], name, len) == 0)
                rank[k] = 0;
            continue;
        }
        if (!fits)
            continue;
        for (int a = 0; a < 10 && aliases[k][a] != NULL; a++)
            if (strcmp(norm, aliases[k][a]) == 0) {
                rank[k] = (signed char)(a + 1);
                break;
            }
        if (k == LR_KEY && rank[k] < 0 && lc->key_alias[0] != '\0' &&
            strcmp(norm, lc->key_alias) == 0)
            rank[k] = 9;
    }
}

int log_cols_find(log_cols *lc, const char *name, size_t len)
{
    size_t at = 0;
    if (str_index_find(&lc->names, name, len, &at))
        return (int)at;
    if (lc->n >= LOG_COLS_MAX_NAMES)
        return -2; /* no query has that many: not results tierplan reads */
    if (UTIL_GROW(lc->info, lc->cap, lc->n + 1) != 0)
        return -1;
    log_col *c = &lc->info[lc->n];
    memset(c, 0, sizeof *c);
    if ((c->name = malloc(len + 1)) == NULL)
        return -1;
    memcpy(c->name, name, len);
    c->name[len] = '\0';
    ranks_of(lc, name, len, c->rank);
    if (str_index_put(&lc->names, name, len, lc->n) != 0) {
        free(c->name);
        return -1;
    }
    return (int)lc->n++;
}

/* The minute of a time: "2025-08-15 12:44:00.000" (Logs Insights, Athena; a trailing " UTC"
 * is allowed) or ISO 8601. */
static int minute_of(const char *v, int64_t *out)
{
    char buf[64];
    int64_t t = 0;
    size_t n = strlen(v);
    if (n > 4 && strcmp(v + n - 4, " UTC") == 0)
        n -= 4;
    if (n == 0 || n >= sizeof buf - 1)
        return -1;
    memcpy(buf, v, n);
    buf[n] = '\0';
    if (n > 10 && buf[10] == ' ')
        buf[10] = 'T';
    if (tp_timestamp_parse(buf, n, &t, NULL) != TP_OK)
        return -1;
    *out = t >= 0 ? t / 60 : -1;
    return t >= 0 ? 0 : -1;
}

/* A count given as a string ("123", "123.0"); absent or empty is 0. -1 when it is not a whole
 * number from 0 to 1e12. */
static int count_of(const char *v, int64_t *out)
{
    double d = 0;
    *out = 0;
    if (v == NULL || *v == '\0')
        return 0;
    if (cnum_parse(v, strlen(v), &d) != 0 || !isfinite(d) || d < 0 ||
        d > INGEST_MAX_TOKENS_PER_MINUTE || d != floor(d))
        return -1;
    *out = (int64_t)d;
    return 0;
}

/* Judges the values chosen per role into r; NULL, or why the row is not one. */
static const char *decide(const log_cols *lc, const char *const val[LR_N], log_record *r)
{
    const char *model = val[LR_MODEL], *key = val[LR_KEY];
    memset(&r->v, 0, sizeof r->v);
    if (val[LR_TIME] == NULL || *val[LR_TIME] == '\0')
        return log_why_no_time;
    if (minute_of(val[LR_TIME], &r->minute) != 0)
        return log_why_bad_time;
    if (model == NULL || *model == '\0')
        model = lc->default_model;
    if (model != NULL && strlen(model) > TP_INGEST_MAX_ID_BYTES)
        return log_why_long_model; /* refused whole: a cut id would merge models */
    if (model == NULL || *model == '\0')
        return log_why_no_model;
    const char *bad = ingest_text_problem(model, strlen(model));
    if (bad != NULL) /* the S3 path's reasons: ingest_text_problem gives one of two */
        return strcmp(bad, "invalid UTF-8") == 0 ? "a modelId that is not text (invalid UTF-8)"
                                                 : "a modelId that is not text (a control "
                                                   "character)";
    if (key != NULL && strlen(key) > TP_INGEST_MAX_ID_BYTES)
        return log_why_long_key;
    static const int roles[6] = {LR_REQUESTS, LR_ERRORS,     LR_INPUT,
                                 LR_OUTPUT,   LR_CACHE_READ, LR_CACHE_WRITE};
    int64_t *dst[6] = {&r->v.requests,          &r->v.errors,
                       &r->v.input_tokens,      &r->v.output_tokens,
                       &r->v.cache_read_tokens, &r->v.cache_write_tokens};
    for (int k = 0; k < 6; k++)
        if (count_of(val[roles[k]], dst[k]) != 0)
            return log_why_bad_count;
    if (val[LR_REQUESTS] == NULL) { /* a row per request (per-minute rows count theirs) */
        r->v.requests = 1;
        if (val[LR_ERRORS] == NULL && val[LR_ERROR_CODE] != NULL && *val[LR_ERROR_CODE]) {
            /* a failed request, as in the records: counted, its tokens are not demand */
            memset(&r->v, 0, sizeof r->v);
            r->v.requests = r->v.errors = 1;
        }
    }
    r->model = log_model_id(model);
    r->region = val[LR_REGION] != NULL && *val[LR_REGION] ? val[LR_REGION] : NULL;
    r->account = val[LR_ACCOUNT] != NULL && *val[LR_ACCOUNT] ? val[LR_ACCOUNT] : NULL;
    if (key != NULL && strcmp(lc->attribute_by, "identity") == 0)
        key = log_identity(key, r->key_buf, sizeof r->key_buf); /* fits: a prefix of key */
    r->key_problem = key != NULL && *key != '\0' ? ingest_text_problem(key, strlen(key)) : NULL;
    r->keyless = key == NULL || *key == '\0' || r->key_problem != NULL;
    r->key = r->keyless ? "unknown" : key;
    return NULL;
}

const char *log_cols_row(log_cols *lc, const int *col, const char *const *val, size_t n,
                         log_record *r)
{
    const char *chosen[LR_N] = {NULL};
    int best[LR_N], used[LR_N];
    for (int k = 0; k < LR_N; k++)
        best[k] = 100, used[k] = -1;
    for (size_t i = 0; i < n; i++) {
        if (col[i] < 0 || val[i] == NULL)
            continue;
        const signed char *rank = lc->info[col[i]].rank;
        for (int k = 0; k < LR_N; k++)
            if (rank[k] >= 0 && rank[k] < best[k]) {
                best[k] = rank[k];
                chosen[k] = val[i];
                used[k] = col[i];
            }
    }
    for (int k = 0; k < LR_N; k++)
        if (used[k] >= 0)
            lc->info[used[k]].used = 1;
    return decide(lc, chosen, r);
}

int log_cols_has_tokens(const log_cols *lc)
{
    for (size_t i = 0; i < lc->n; i++)
        for (int k = LR_INPUT; k <= LR_CACHE_WRITE; k++)
            if (lc->info[i].rank[k] >= 0)
                return 1;
    return 0;
}

void log_cols_ignored(const log_cols *lc, tp_ingest_summary *sum)
{
    size_t at = 0;
    sum->n_ignored_columns = 0;
    memset(sum->ignored_columns, 0, sizeof sum->ignored_columns);
    for (size_t i = 0; i < lc->n; i++) {
        const log_col *c = &lc->info[i];
        if (c->used || strcmp(c->name, "@ptr") == 0) /* @ptr: Logs Insights' row pointer */
            continue;
        const size_t len = strlen(c->name);
        sum->n_ignored_columns++;
        if (at + len + 1 < sizeof sum->ignored_columns) { /* NUL-separated, as many as fit */
            memcpy(sum->ignored_columns + at, c->name, len + 1);
            at += len + 1;
            sum->n_ignored_listed++;
        }
    }
}
