/* ingest_logs.c - streaming ingest of Bedrock model invocation logs: JSON lines, a record or
 * an array of records, plain or gzip, summed per minute, model and attribution key, and added
 * once per source object (docs/formats.md, "Invocation logs"). Memory is bounded by the
 * chunks in flight, one record and the minute sums between flushes, not by the records. */
#define _POSIX_C_SOURCE 200809L
#include "ingest/logs/ingest_logs.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "store/store_rows.h"
#include "base/util.h"
#include "base/zstream.h"

#define FLUSH_CELLS ((size_t)1 << 13) /* minute sums held before they are added to the store */
/* The sums of one minute, model, place and key, with the strings in one allocation. */
typedef struct cell {
    char *model; /* "model\0key\0region\0account\0" */
    const char *key, *region, *account;
    int64_t minute;
    store_log_sums v;
} cell;

typedef struct log_ctx {
    tp_store *store;
    const tp_ingest_options *opts;
    const char *name, *attr_by;
    enum ingest_logs_kind kind;
    const char *unit; /* what the numbers of warnings count: "line" or "row" */
    tp_ingest_summary *sum;
    store_log_writer *w;
    str_index cells_ix; /* "model\0key\0minute" -> index in cells */
    cell *cells;
    size_t n_cells, cap_cells;
    str_index keys;       /* metadata attribution: "model\0key" seen, and per model count */
    str_index key_counts; /* model -> distinct keys (loaded from the store at first sight) */
    str_index guarded;    /* "model\0region\0account" whose place was checked */
    /* the command's --region/--account, else the S3 path's: what records without a region
     * or accountId were recorded in */
    tp_ingest_options place_opts;
    char path_region[TP_STORE_REGION_MAX + 1], path_account[24];
    problem malformed, no_tokens, unknown_schema, no_key, too_long, key_not_text;
    log_cols cols; /* query results: the role of each column */
    int csv_cols[64]; /* Athena CSV: the header's columns (n_csv_cols; -1 before it) */
    int n_csv_cols;
    char *csv_buf; /* a line's values */
    size_t csv_cap;
    int64_t first, last; /* minutes with records (first > last: none) */
    char content_sha[65]; /* of the inflated content */
    /* the splitter */
    int mode; /* 0 undecided, 1 JSON lines, 2 documents (a record, records, an array) */
    char *rec;
    size_t len, cap;
    int overflow, in_obj, depth, in_str, esc, junk;
    uint64_t line, rec_line;
} log_ctx;

static void warn(const log_ctx *c, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warn(const log_ctx *c, const char *fmt, ...)
{
    if (c->opts->warn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->opts->warn(c->opts->warn_ctx, msg);
}

/* ---- minute sums ---- */

static void cells_clear(log_ctx *c)
{
    for (size_t i = 0; i < c->n_cells; i++)
        free(c->cells[i].model);
    c->n_cells = 0;
    str_index_deinit(&c->cells_ix);
    memset(&c->cells_ix, 0, sizeof c->cells_ix);
}

/* Adds the held sums to the store (additively) and forgets them. */
static tp_status flush(log_ctx *c, tp_error *err)
{
    tp_status rc = TP_OK;
    for (size_t i = 0; i < c->n_cells && rc == TP_OK; i++) {
        const cell *k = &c->cells[i];
        rc = store_log_writer_add(c->w, k->model, k->region, k->account, c->attr_by, k->key,
                                  k->minute, &k->v, err);
    }
    c->sum->points += c->n_cells;
    cells_clear(c);
    return rc;
}

/* "model\0key" of a record: model and key are at most TP_INGEST_MAX_ID_BYTES (longer ones
 * are refused when read), so they always fit; the minute follows in a cell's key. */
#define PAIR_BYTES (2 * (TP_INGEST_MAX_ID_BYTES + 1) + TP_STORE_REGION_MAX + 1 + 24)
static tp_status too_long(const log_record *r, tp_error *err)
{
    return tp_error_set(err, TP_ERR_INVALID, "model %.40s...: an id or key over %d bytes",
                        r->model, TP_INGEST_MAX_ID_BYTES);
}

/* The key a record is summed under: metadata keys past INGEST_LOGS_MAX_KEYS of a model are
 * folded into "other". A key stored before is kept whatever the count; the store is asked
 * about each key once an input and counted once a model (not read whole for every object). */
static tp_status cap_key(log_ctx *c, log_record *r, tp_error *err)
{
    if (strncmp(c->attr_by, "metadata:", 9) != 0)
        return TP_OK;
    char buf[PAIR_BYTES];
    const int n = snprintf(buf, sizeof buf, "%s%c%s", r->model, 0, r->key);
    size_t count = 0, one;
    int stored = 0;
    if (n < 0 || (size_t)n >= sizeof buf)
        return too_long(r, err); /* never: both were checked when read */
    if (str_index_find(&c->keys, buf, (size_t)n, &one))
        return TP_OK;
    tp_status rc = store_log_key_exists(c->store, r->model, c->attr_by, r->key, &stored, err);
    if (rc == TP_OK && !str_index_find(&c->key_counts, r->model, strlen(r->model), &count)) {
        int64_t n_stored = 0;
        rc = store_log_keys_stored(c->store, r->model, c->attr_by, &n_stored, err);
        count = (size_t)n_stored;
    }
    if (rc != TP_OK)
        return rc;
    if (!stored && count >= INGEST_LOGS_MAX_KEYS) {
        r->key = "other";
        c->sum->log_folded++;
    } else if (str_index_put(&c->keys, buf, (size_t)n, 1) != 0) {
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    } else {
        count += !stored;
    }
    if (str_index_put(&c->key_counts, r->model, strlen(r->model), count) != 0)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    return TP_OK;
}

/* Sets r->region and r->account to where the record was served: its own region and
 * accountId, else the command's --region/--account or the S3 path's; checks their shape and
 * that they agree with the command's (an error naming the input and line), and, once per
 * model and place of the input, that the place does not merge into another
 * (ingest_place_guard). */
static tp_status place_record(log_ctx *c, log_record *r, uint64_t line, tp_error *err)
{
    const ingest_decoded dec = {.name = c->name};
    char at[48];
    const char *region = NULL, *account = NULL;
    snprintf(at, sizeof at, "%s %llu", c->unit, (unsigned long long)line);
    /* the place the S3 path names stands in for the options when they give none */
    const char *by_path = "its S3 path";
    tp_status rc = ingest_place_check_in(&c->place_opts, &dec, at, "region", r->region,
                                         "record", c->opts->region == NULL ? by_path : NULL,
                                         &region, err);
    if (rc == TP_OK)
        rc = ingest_place_check_in(&c->place_opts, &dec, at, "account", r->account, "record",
                                   c->opts->account == NULL ? by_path : NULL, &account, err);
    if (rc != TP_OK)
        return rc;
    r->region = region;
    r->account = account;
    char buf[PAIR_BYTES];
    const int n = snprintf(buf, sizeof buf, "%s%c%s%c%s", r->model, 0, region, 0, account);
    size_t one;
    if (n < 0 || (size_t)n >= sizeof buf)
        return too_long(r, err); /* never: each part was checked when read */
    if (str_index_find(&c->guarded, buf, (size_t)n, &one))
        return TP_OK;
    if ((rc = ingest_place_guard(c->store, c->opts, c->name, 1, r->model, region, account, err)) !=
        TP_OK)
        return rc;
    return str_index_put(&c->guarded, buf, (size_t)n, 1) != 0
               ? tp_error_set(err, TP_ERR_NOMEM, "out of memory")
               : TP_OK;
}

static tp_status add_record(log_ctx *c, log_record *r, uint64_t line, tp_error *err)
{
    /* --model: every record is that model's, as every metric datapoint is (a log's own
     * modelId is Bedrock's; the id given is how the catalog prices it) */
    if (c->opts->model != NULL)
        r->model = c->opts->model;
    tp_status rc = place_record(c, r, line, err);
    if (rc == TP_OK)
        rc = cap_key(c, r, err);
    char key[PAIR_BYTES + sizeof r->minute];
    size_t ml = strlen(r->model), kl = strlen(r->key), at = 0;
    const size_t rl = strlen(r->region), al = strlen(r->account);
    if (rc != TP_OK)
        return rc;
    const size_t sl = ml + kl + rl + al + 4; /* the four strings with their NULs */
    if (sl + sizeof r->minute > sizeof key)
        return too_long(r, err); /* never: each was checked when read */
    memcpy(key, r->model, ml + 1);
    memcpy(key + ml + 1, r->key, kl + 1);
    memcpy(key + ml + kl + 2, r->region, rl + 1);
    memcpy(key + ml + kl + rl + 3, r->account, al + 1);
    memcpy(key + sl, &r->minute, sizeof r->minute);
    const size_t klen = sl + sizeof r->minute;
    if (!str_index_find(&c->cells_ix, key, klen, &at)) {
        if (c->n_cells >= FLUSH_CELLS && (rc = flush(c, err)) != TP_OK)
            return rc;
        if (UTIL_GROW(c->cells, c->cap_cells, c->n_cells + 1) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        cell *k = &c->cells[c->n_cells];
        memset(k, 0, sizeof *k);
        if ((k->model = malloc(sl)) == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        memcpy(k->model, key, sl);
        k->key = k->model + ml + 1;
        k->region = k->key + kl + 1;
        k->account = k->region + rl + 1;
        k->minute = r->minute;
        at = c->n_cells++;
        if (str_index_put(&c->cells_ix, key, klen, at) != 0)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    }
    store_log_sums_add(&c->cells[at].v, &r->v);
    c->sum->log_stored++;
    if (c->first > c->last || r->minute < c->first)
        c->first = r->minute;
    if (c->first > c->last || r->minute > c->last)
        c->last = r->minute;
    return TP_OK;
}

/* A record without its attribute_by field, or whose key is not text, counts under "unknown",
 * and is named in a warning: a mistyped metadata KEY, or keys a caller filled with control
 * characters, would otherwise move demand to "unknown" unseen. */
static void note_key(log_ctx *c, const log_record *r, uint64_t line)
{
    if (r->key_problem != NULL)
        log_problem_note(&c->key_not_text, line, r->key_problem);
    else if (r->keyless && strncmp(c->attr_by, "metadata:", 9) == 0)
        log_problem_note(&c->no_key, line, NULL);
}

/* One record's text (a line, or an object of a document), starting at line `line`. */
static tp_status take_record(log_ctx *c, const char *text, size_t len, uint64_t line, tp_error *err)
{
    log_record r;
    cJSON *doc = NULL;
    const char *why = NULL;
    char version[LOG_WHY_BUF];
    tp_status rc = TP_OK;
    c->sum->records++;
    switch (log_record_parse(text, len, c->attr_by, &r, &doc, &why, version, sizeof version)) {
    case LOG_MALFORMED: log_problem_note(&c->malformed, line, why); break;
    case LOG_NOMEM: rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory"); break;
    case LOG_UNKNOWN_SCHEMA: log_problem_note(&c->unknown_schema, line, why); break;
    case LOG_TOO_LONG: log_problem_note(&c->too_long, line, why); break;
    case LOG_NO_TOKENS:
        log_problem_note(&c->no_tokens, line, NULL);
        note_key(c, &r, line);
        c->sum->log_no_tokens++;
        rc = add_record(c, &r, line, err);
        break;
    case LOG_OK:
        note_key(c, &r, line);
        c->sum->log_errors += r.v.errors > 0;
        rc = add_record(c, &r, line, err);
        break;
    }
    cJSON_Delete(doc);
    return rc;
}

static tp_status insights_row(void *ctx, log_record *r, size_t row, const char *why,
                              tp_error *err);

/* A line of Athena's CSV result: the first names the columns, each other is a minute's sums. */
static tp_status take_csv_line(log_ctx *c, const char *text, size_t len, uint64_t line,
                               tp_error *err)
{
    const char *val[64];
    if (len + 1 > c->csv_cap) {
        char *nb = realloc(c->csv_buf, len + 1);
        if (nb == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        c->csv_buf = nb, c->csv_cap = len + 1;
    }
    const int n = log_csv_split(text, len, c->csv_buf, c->csv_cap, val, 64);
    if (c->n_csv_cols < 0) { /* the header */
        if (n <= 0)
            return tp_error_set(err, TP_ERR_PARSE, "%s: line %llu: not a CSV header", c->name,
                                (unsigned long long)line);
        for (int i = 0; i < n; i++) {
            c->csv_cols[i] = -1; /* a nameless column is read as none */
            if (val[i] != NULL &&
                (c->csv_cols[i] = log_cols_find(&c->cols, val[i], strlen(val[i]))) < 0)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        }
        c->n_csv_cols = n;
        return TP_OK;
    }
    log_record r;
    const char *why = n < 0                  ? "not a CSV line (an unclosed quote?)"
                      : n != c->n_csv_cols ? "not as many values as the header has columns"
                                           : log_cols_row(&c->cols, c->csv_cols, val,
                                                          (size_t)n, &r);
    return insights_row(c, &r, line, why, err);
}

/* A line or record refused before it is parsed (over 16 MiB, cut off, text outside a
 * record): counted in records, as every record read is either stored or refused. */
static void refuse(log_ctx *c, uint64_t line, const char *why)
{
    c->sum->records++;
    log_problem_note(&c->malformed, line, why);
}

/* ---- the splitter: records out of chunks ---- */

/* Appends to the record being read; past INGEST_LOGS_MAX_RECORD it only notes the overflow. */
static tp_status rec_append(log_ctx *c, const char *p, size_t n, tp_error *err)
{
    if (c->overflow || c->len + n > INGEST_LOGS_MAX_RECORD) {
        c->overflow = 1;
        return TP_OK;
    }
    if (c->len + n > c->cap) {
        size_t ncap = c->cap ? c->cap : 1 << 16;
        while (ncap < c->len + n)
            ncap *= 2;
        char *nb = realloc(c->rec, ncap);
        if (nb == NULL)
            return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        c->rec = nb;
        c->cap = ncap;
    }
    memcpy(c->rec + c->len, p, n);
    c->len += n;
    return TP_OK;
}

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)p[i]))
            return 0;
    return 1;
}

/* Ends the line held (with the overflow check); the held text is then empty. */
static tp_status end_line(log_ctx *c, const char *p, size_t n, tp_error *err)
{
    tp_status rc = TP_OK;
    c->line++;
    if (c->overflow)
        refuse(c, c->line, "a line over 16 MiB");
    else if (!blank(p, n))
        rc = c->kind == INGEST_LOGS_ATHENA_CSV ? take_csv_line(c, p, n, c->line, err)
                                               : take_record(c, p, n, c->line, err);
    c->len = 0;
    c->overflow = 0;
    return rc;
}

/* JSON lines: each line a record; a line split between chunks is held in c->rec. */
static tp_status feed_lines(log_ctx *c, const char *d, size_t n, tp_error *err)
{
    tp_status rc = TP_OK;
    size_t i = 0;
    while (i < n && rc == TP_OK) {
        const char *nl = memchr(d + i, '\n', n - i);
        const size_t end = nl != NULL ? (size_t)(nl - d) : n;
        if (nl == NULL)
            return rec_append(c, d + i, end - i, err);
        if (c->len > 0 || c->overflow) {
            if ((rc = rec_append(c, d + i, end - i, err)) == TP_OK)
                rc = end_line(c, c->rec, c->len, err);
        } else {
            rc = end_line(c, d + i, end - i, err); /* the common case: no copy */
        }
        i = end + 1;
    }
    return rc;
}

/* Documents: records are the top-level objects, alone, one after another or in an array. */
static tp_status feed_docs(log_ctx *c, const char *d, size_t n, tp_error *err)
{
    tp_status rc = TP_OK;
    size_t start = 0; /* of the part of an object in this chunk not yet appended */
    for (size_t i = 0; i < n && rc == TP_OK; i++) {
        const char ch = d[i];
        if (!c->in_obj) {
            if (ch == '\n')
                c->line++, c->junk = 0;
            if (c->junk || isspace((unsigned char)ch) || ch == ',' || ch == '[' || ch == ']')
                continue;
            if (ch != '{') {
                refuse(c, c->line + 1, "text outside a record");
                c->junk = 1;
                continue;
            }
            c->in_obj = 1, c->depth = 0, c->in_str = 0, c->esc = 0;
            c->rec_line = c->line + 1;
            c->len = 0;
            c->overflow = 0;
            start = i;
        }
        if (ch == '\n')
            c->line++;
        if (c->in_str) {
            if (c->esc)
                c->esc = 0;
            else if (ch == '\\')
                c->esc = 1;
            else if (ch == '"')
                c->in_str = 0;
        } else if (ch == '"') {
            c->in_str = 1;
        } else if (ch == '{' || ch == '[') {
            c->depth++;
        } else if ((ch == '}' || ch == ']') && --c->depth == 0) {
            c->in_obj = 0;
            if ((rc = rec_append(c, d + start, i + 1 - start, err)) != TP_OK)
                break;
            if (c->overflow)
                refuse(c, c->rec_line, "a record over 16 MiB");
            else
                rc = take_record(c, c->rec, c->len, c->rec_line, err);
        }
    }
    if (rc == TP_OK && c->in_obj)
        rc = rec_append(c, d + start, n - start, err);
    return rc;
}

/* The first chunk decides: a first line that is a whole object makes JSON lines. */
static void choose_mode(log_ctx *c, const char *d, size_t n)
{
    size_t i = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && isspace((unsigned char)d[i]))
        i++;
    c->mode = 1;
    if (c->kind == INGEST_LOGS_ATHENA_CSV)
        return; /* lines */
    if (i < n && d[i] == '[') {
        c->mode = 2;
    } else if (i < n && d[i] == '{') {
        const char *nl = memchr(d + i, '\n', n - i);
        size_t e = nl != NULL ? (size_t)(nl - d) : n;
        while (e > i && isspace((unsigned char)d[e - 1]))
            e--;
        if (nl != NULL && (e - i < 2 || d[e - 1] != '}'))
            c->mode = 2;
    }
}

static tp_status feed(log_ctx *c, const char *d, size_t n, tp_error *err)
{
    if (c->mode == 0) {
        choose_mode(c, d, n);
        if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) /* a byte order mark is no record */
            d += 3, n -= 3;
    }
    return c->mode == 1 ? feed_lines(c, d, n, err) : feed_docs(c, d, n, err);
}

static tp_status feed_end(log_ctx *c, tp_error *err)
{
    if (c->mode == 1 && (c->len > 0 || c->overflow))
        return end_line(c, c->rec, c->len, err);
    if (c->mode == 2 && c->in_obj)
        refuse(c, c->rec_line, "a record cut off at the end of the input");
    return TP_OK;
}

/* ---- reporting ---- */

static void warn_problem(const log_ctx *c, const problem *p, const char *one, const char *many)
{
    log_problem_warn(p, c->name, c->unit, one, many, c->opts->warn, c->opts->warn_ctx);
}

static void report(const log_ctx *c)
{
    warn_problem(c, &c->malformed, "malformed record skipped", "malformed records skipped");
    warn_problem(c, &c->unknown_schema, "record of an unknown schemaVersion skipped",
                 "records of an unknown schemaVersion skipped");
    warn_problem(c, &c->too_long, "record refused", "records refused");
    warn_problem(c, &c->no_tokens, "record without token counts, counted as a request",
                 "records without token counts, counted as requests");
    if (c->no_key.n > 0) { /* a mistyped KEY puts every record under "unknown" */
        char one[160], many[160];
        snprintf(one, sizeof one, "record without requestMetadata.%.60s, attributed to \"unknown\"",
                 c->attr_by + 9);
        snprintf(many, sizeof many,
                 "records without requestMetadata.%.60s, attributed to \"unknown\"", c->attr_by + 9);
        warn_problem(c, &c->no_key, one, many);
    }
    warn_problem(c, &c->key_not_text, "record whose attribution key is not text, attributed to "
                 "\"unknown\"", "records whose attribution key is not text, attributed to "
                 "\"unknown\"");
    if (c->sum->log_folded > 0)
        warn(c, "%s: more than %d distinct %s keys per model: %zu records folded into \"other\"",
             c->name, INGEST_LOGS_MAX_KEYS, c->attr_by, c->sum->log_folded);
}

/* Objects are known by name: the same records under another name (stdin, then the file; a
 * gzip copy of a plain file) are added again. Warn when the content is an object's before. */
static tp_status warn_same_content(const log_ctx *c, tp_error *err)
{
    char *other = NULL;
    tp_status rc = store_log_same_content(c->store, c->sum->sha256, c->content_sha,
                                          c->sum->ingest_id, &other, err);
    if (rc == TP_OK && other != NULL)
        warn(c, "%s: same content as %s ingested before: added again", c->name, other);
    free(other);
    return rc;
}

/* Reads the whole input through the splitter. */
static tp_status read_all(log_ctx *c, zstream *z, tp_error *err)
{
    tp_status rc;
    const char *chunk = NULL;
    size_t n = 0;
    while ((rc = zstream_next(z, &chunk, &n, err)) == TP_OK && n > 0)
        if ((rc = feed(c, chunk, n, err)) != TP_OK)
            return rc;
    if (rc == TP_OK)
        rc = feed_end(c, err);
    if (rc == TP_OK)
        rc = flush(c, err);
    return rc;
}

static tp_status insights_row(void *ctx, log_record *r, size_t row, const char *why,
                              tp_error *err)
{
    log_ctx *c = ctx;
    if (r == NULL) { /* the query had not finished: its rows are a part */
        warn(c, "%s: query status %s, not Complete: the results may be partial", c->name, why);
        return TP_OK;
    }
    c->sum->records++;
    if (why == log_why_long_model || why == log_why_long_key) {
        log_problem_note(&c->too_long, row, why);
        return TP_OK;
    }
    if (why != NULL) {
        log_problem_note(&c->malformed, row, why);
        return TP_OK;
    }
    c->sum->log_errors += (size_t)r->v.errors;
    note_key(c, r, row);
    return add_record(c, r, row, err);
}

/* Logs Insights results: one JSON document of at most 10,000 rows, read whole (under the
 * input cap) and parsed at once. */
static tp_status read_insights(log_ctx *c, zstream *z, tp_error *err)
{
    tp_status rc;
    const char *chunk = NULL;
    size_t n = 0;
    c->len = 0;
    while ((rc = zstream_next(z, &chunk, &n, err)) == TP_OK && n > 0) {
        if (c->len + n > c->opts->max_file_bytes)
            return tp_error_set_field(err, TP_ERR_TOO_BIG, NULL,
                                      "%s: over the input cap of %zu bytes (raise it with "
                                      "{max_file_bytes})",
                                      c->name, c->opts->max_file_bytes);
        if (c->len + n > c->cap) {
            char *nb = realloc(c->rec, (c->len + n) * 2);
            if (nb == NULL)
                return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            c->rec = nb, c->cap = (c->len + n) * 2;
        }
        memcpy(c->rec + c->len, chunk, n);
        c->len += n;
    }
    if (rc == TP_OK && c->kind == INGEST_LOGS_ATHENA_JSON)
        rc = ingest_logs_athena_json(c->name, c->rec, c->len, &c->cols, insights_row, c, err);
    else if (rc == TP_OK)
        rc = ingest_logs_insights(c->name, c->rec, c->len, &c->cols, insights_row, c, err);
    return rc == TP_OK ? flush(c, err) : rc;
}

/* Reads and stores an input whose ingests row is sum->ingest_id; fills sha256. */
static tp_status run(log_ctx *c, const char *prefix, size_t plen, FILE *f, tp_error *err)
{
    zstream *z = NULL;
    locale_t prev = cnum_enter(); /* cJSON reads numbers with LC_NUMERIC's decimal point */
    tp_status rc = store_log_writer_open(c->store, &c->w, err);
    /* The prefix is the whole input when it is shorter than INGEST_LOGS_SNIFF (the callers
     * read that much or to the end): then f has nothing more to read and a reader thread
     * nothing to read ahead; starting one for each of many small objects cost more than the
     * object. */
    const int whole = plen < INGEST_LOGS_SNIFF;
    if (rc == TP_OK)
        rc = zstream_open(c->name, prefix, plen, whole ? NULL : f, !whole && f != NULL,
                          c->opts->max_file_bytes, &z, err);
    if (rc == TP_OK)
        rc = c->kind == INGEST_LOGS_INSIGHTS || c->kind == INGEST_LOGS_ATHENA_JSON
                 ? read_insights(c, z, err)
                 : read_all(c, z, err);
    if (rc == TP_OK) {
        zstream_sha256(z, c->sum->sha256);
        zstream_content_sha256(z, c->content_sha);
    }
    zstream_close(z);
    cnum_restore(prev);
    return rc;
}

static void ctx_deinit(log_ctx *c)
{
    cells_clear(c);
    free(c->cells);
    free(c->rec);
    free(c->csv_buf);
    log_cols_deinit(&c->cols);
    str_index_deinit(&c->keys);
    str_index_deinit(&c->key_counts);
    str_index_deinit(&c->guarded);
    store_log_writer_close(c->w);
}

/* The place an S3 key (or a synced copy's path) names: `AWSLogs/{account}/
 * BedrockModelInvocationLogs/{region}/`. It stands in for records without a region or
 * accountId; a command's --region or --account that names another is refused. */
static tp_status path_place(log_ctx *c, const char *path, tp_error *err)
{
    static const char logs[] = "/BedrockModelInvocationLogs/";
    const char *a = strstr(path, "AWSLogs/");
    const char *b = a != NULL ? strstr(a, logs) : NULL;
    c->place_opts = *c->opts;
    if (b == NULL)
        return TP_OK;
    const char *acct = a + 8, *reg = b + sizeof logs - 1, *end = strchr(reg, '/');
    const size_t an = (size_t)(b - acct), rn = end != NULL ? (size_t)(end - reg) : 0;
    if (an == 0 || an >= sizeof c->path_account || rn == 0 || rn >= sizeof c->path_region)
        return TP_OK; /* not the layout Bedrock writes: the path says nothing */
    memcpy(c->path_account, acct, an);
    memcpy(c->path_region, reg, rn);
    if (!tp_store_account_valid(c->path_account) || !tp_store_region_valid(c->path_region))
        return TP_OK;
    const char *given[2] = {c->opts->region, c->opts->account};
    const char *found[2] = {c->path_region, c->path_account};
    if (given[0] != NULL && strcmp(given[0], found[0]) != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: its S3 path names region %s, which disagrees with "
                                  "{region} %s: nothing stored",
                                  c->name, found[0], given[0]);
    if (given[1] != NULL && strcmp(given[1], found[1]) != 0)
        return tp_error_set_field(err, TP_ERR_INVALID, NULL,
                                  "%s: its S3 path names account %s, which disagrees with "
                                  "{account} %s: nothing stored",
                                  c->name, found[1], given[1]);
    c->place_opts.region = c->path_region;
    c->place_opts.account = c->path_account;
    return TP_OK;
}

tp_status ingest_logs_input(tp_store *store, const tp_ingest_options *opts, const char *name,
                            const char *object, enum ingest_logs_kind kind, const char *prefix,
                            size_t plen, FILE *f, tp_ingest_summary *sum, tp_error *err)
{
    log_ctx c = {0};
    char by_hash[80];
    int found = 0, savepoint = 0;
    tp_status rc = TP_OK;
    memset(sum, 0, sizeof *sum);
    sum->format = kind == INGEST_LOGS_INSIGHTS      ? "logs-insights"
                  : kind == INGEST_LOGS_ATHENA_CSV  ? "athena-csv"
                  : kind == INGEST_LOGS_ATHENA_JSON ? "athena-json"
                                                    : "invocation-log";
    c.kind = kind;
    c.unit = kind == INGEST_LOGS_INSIGHTS || kind == INGEST_LOGS_ATHENA_JSON ? "row" : "line";
    c.n_csv_cols = -1;
    c.store = store, c.opts = opts, c.name = name, c.sum = sum;
    c.attr_by = opts->attribute_by != NULL ? opts->attribute_by : "identity";
    log_cols_init(&c.cols, opts, c.attr_by);
    c.first = 1, c.last = 0;
    if ((rc = path_place(&c, object != NULL ? object : name, err)) != TP_OK)
        goto cleanup;
    if (!store_batch_open(store) && (rc = store_batch_begin(store, err)) != TP_OK)
        goto cleanup;
    if (object != NULL && (rc = store_log_object_find(store, object, &found, err)) != TP_OK)
        goto cleanup;
    if (found) { /* added before: a no-op, not even read */
        sum->duplicate = 1;
        goto cleanup;
    }
    if (object == NULL && (rc = store_log_savepoint(store, err)) == TP_OK)
        savepoint = 1;
    if (rc != TP_OK ||
        (rc = store_ingest_add(store, name, sum->format, &sum->ingest_id, err)) != TP_OK ||
        (rc = run(&c, prefix, plen, f, err)) != TP_OK)
        goto cleanup;
    if (object == NULL) {
        snprintf(by_hash, sizeof by_hash, "sha256:%s", sum->sha256);
        object = by_hash;
        if ((rc = store_log_object_find(store, object, &found, err)) != TP_OK)
            goto cleanup;
    }
    sum->documents = 1;
    sum->first_minute = c.first, sum->last_minute = c.last;
    sum->log_malformed = c.malformed.n;
    sum->log_unknown_schema = c.unknown_schema.n;
    sum->log_too_long = c.too_long.n;
    if (kind != INGEST_LOGS_RECORDS)
        log_cols_ignored(&c.cols, sum);
    if (sum->records > 0 && sum->log_stored == 0) { /* read, and nothing of it taken */
        report(&c); /* each reason with its lines, before the error names the commonest */
        const problem *ps[3] = {&c.malformed, &c.too_long, &c.unknown_schema};
        rc = log_problem_nothing_stored(ps, 3, name, c.unit, sum->records,
                                        kind != INGEST_LOGS_RECORDS, err);
        goto cleanup;
    }
    if (kind != INGEST_LOGS_RECORDS && sum->log_stored > 0 && !log_cols_has_tokens(&c.cols)) {
        rc = log_problem_no_tokens(name, sum, err); /* zeros stored would be "ingested" */
        goto cleanup;
    }
    if (found) {
        sum->duplicate = 1;
        goto cleanup; /* the savepoint is rolled back: nothing of it stays */
    }
    if ((rc = store_log_object_add(store, object, sum->ingest_id, (int64_t)sum->records, c.first,
                                   c.last, err)) != TP_OK ||
        (rc = store_ingest_finish(store, sum->ingest_id, sum->sha256, (int64_t)sum->records,
                                  (int64_t)sum->points, 0, 0, 0, err)) != TP_OK ||
        (rc = warn_same_content(&c, err)) != TP_OK)
        goto cleanup;
    report(&c);
cleanup:
    if (savepoint) {
        tp_error ignored;
        const int keep = rc == TP_OK && !sum->duplicate;
        const tp_status end = store_log_savepoint_end(store, keep, keep ? err : &ignored);
        if (rc == TP_OK)
            rc = end;
    }
    ctx_deinit(&c);
    return rc;
}
