/* ingest_logs.h - what the ingest pipeline (ingest.c) and the invocation log modules
 * (ingest_logs.c, ingest_logs_record.c, ingest_logs_insights.c) share. */
#ifndef TIERPLAN_INGEST_LOGS_H
#define TIERPLAN_INGEST_LOGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/strindex.h"
#include "store/store_logs.h"
#include "tierplan/ingest.h"

/* How many bytes of an input ingest looks at to tell its kind. */
#define INGEST_LOGS_SNIFF ((size_t)64 << 10)

/* What the first bytes of an input say it is. */
enum ingest_logs_kind {
    INGEST_NOT_LOGS = 0,  /* a metric export or CSV: the whole-file path */
    INGEST_LOGS_RECORDS,  /* invocation log records (JSON lines, a record, an array; gzip) */
    INGEST_LOGS_INSIGHTS, /* aws logs get-query-results output */
    INGEST_LOGS_ATHENA_CSV,  /* Athena's CSV result of export-cmd --source athena's query */
    INGEST_LOGS_ATHENA_JSON, /* aws athena get-query-results output */
};
enum ingest_logs_kind ingest_logs_sniff(const char *data, size_t len);

/* Largest record (or line) read: a record's bodies are in it, and Bedrock moves bodies over
 * 100 KB to separate objects; a larger record is counted as malformed and skipped. */
#define INGEST_LOGS_MAX_RECORD ((size_t)16 << 20)

/* Distinct metadata keys kept per model; the rest are folded into "other" (with a warning). */
#define INGEST_LOGS_MAX_KEYS 1000

/* One kind of problem in an input (ingest_logs_problem.c): how often, and each reason apart
 * with its own count and first line numbers, so that a warning never gives one line's reason
 * for another's. */
#define LOG_PROBLEM_LINES 5   /* line numbers named per reason */
#define LOG_PROBLEM_REASONS 8 /* reasons counted apart; the rest are counted together */
typedef struct log_reason {
    size_t n;
    uint64_t lines[LOG_PROBLEM_LINES];
    char why[64];
} log_reason;
typedef struct problem {
    size_t n;
    log_reason r[LOG_PROBLEM_REASONS];
    size_t n_r;
} problem;

/* Counts one problem at line (why may be NULL: no reason to give). */
void log_problem_note(problem *p, uint64_t line, const char *why);

/* One warning per reason through warn: "NAME: COUNT ONE|MANY (UNITs LINES): WHY". */
void log_problem_warn(const problem *p, const char *name, const char *unit, const char *one,
                      const char *many, tp_warn_fn warn, void *warn_ctx);

/* When nothing of an input could be stored: TP_ERR_NOT_FOUND with the commonest reason of the
 * n_ps problems (of records rows or lines read, in unit) and its fix, naming the options by
 * their fields ({model}, {fields}); columns: query results (their fixes), else records. */
tp_status log_problem_nothing_stored(const problem *const *ps, size_t n_ps, const char *name,
                                     const char *unit, size_t records, int columns,
                                     tp_error *err);
/* The error (TP_ERR_NOT_FOUND) for query results with rows and no token column: sum's ignored
 * columns listed (cut short) and the fix, {fields} ROLE=NAME. */
tp_status log_problem_no_tokens(const char *name, const tp_ingest_summary *sum, tp_error *err);

/* Checks opts->attribute_by: NULL, "identity", "operation", "region" or "metadata:KEY". */
tp_status ingest_logs_check_attr(const char *attribute_by, tp_error *err);

/* The reasons a record with a too long id is refused (TP_INGEST_MAX_ID_BYTES): the S3 path
 * and the Logs Insights path give the same, and count them in log_too_long. */
extern const char log_why_long_model[], log_why_long_key[];

/* One record's contribution, as read (strings borrowed from the parsed document). Ids are
 * never cut: the raw buffers hold what the fast path keeps (a longer string goes to the full
 * parser), and key_buf a prefix of the key (an assumed role of its session ARN). */
typedef struct log_record {
    const char *model; /* normalised model id (points into raw_model or the document) */
    const char *key;   /* attribution key */
    int64_t minute;    /* Unix minute of its timestamp */
    store_log_sums v;
    int keyless; /* 1: the record lacks the attribute_by field, or key_problem: key is "unknown" */
    /* Why the attribution key read is not text (a control character, invalid UTF-8), or NULL:
     * such a record counts under "unknown", with a warning (its demand is never dropped). */
    const char *key_problem;
    /* Where the request was served (the record's region and accountId; NULL: absent) */
    const char *region, *account;
    char raw_region[TP_STORE_REGION_MAX + 1], raw_account[24];
    char key_buf[TP_INGEST_MAX_ID_BYTES + 1];
    char raw_model[TP_INGEST_MAX_ID_BYTES + 1], raw_key[TP_INGEST_MAX_ID_BYTES + 1];
    char raw_ts[64], raw_type[64], raw_version[48];
} log_record;

/* What a record was. */
enum log_outcome {
    LOG_OK,             /* counted, with tokens (or an errorCode: a request, no tokens) */
    LOG_NO_TOKENS,      /* counted as a request without tokens, warned about */
    LOG_UNKNOWN_SCHEMA, /* skipped: schemaVersion not one tierplan reads */
    LOG_MALFORMED,      /* skipped: not JSON, or not a record (why says which field) */
    LOG_TOO_LONG,       /* refused: its modelId or key is over TP_INGEST_MAX_ID_BYTES */
    LOG_NOMEM,          /* not judged: the parser ran out of memory */
};

/* What a record says, before it is judged: strings NUL-terminated (NULL: absent or not a
 * string), the token counts (input, output, cache read, cache write) and their presence. */
typedef struct log_fields {
    const char *type, *version, *timestamp, *model, *key;
    const char *region, *account; /* the record's region and accountId */
    int has_error;  /* errorCode present and not null */
    int bad_tokens; /* a count that is not a whole number from 0 to 1e12 */
    int has_in, has_out;
    int64_t tok[4];
} log_fields;

/* Judges the fields into rec (see log_record_parse). */
enum log_outcome log_fields_decide(const log_fields *f, const char *attribute_by, log_record *rec,
                                   const char **why, char *why_buf, size_t why_size);

/* The fast path (ingest_logs_scan.c): reads the fields of text[0, len) without building a
 * document, keeping its strings in rec's raw buffers. 0 with *f filled, or -1 when the text
 * is anything it does not handle (invalid JSON, a raw NUL in a string, an escape in a name or
 * value it keeps, a count with a fraction, exponent or sign, a kept string over
 * TP_INGEST_MAX_ID_BYTES, nesting deeper than 64): the full parser then decides. */
int log_record_scan(const char *text, size_t len, const char *attribute_by, log_record *rec,
                    log_fields *f);

/* Room for a reason log_record_parse writes into why_buf (a schema version, a modelId that is
 * not text and why). */
#define LOG_WHY_BUF 64

/* Parses one record of text[0, len) into rec, choosing its key by attribute_by. why receives a
 * reason for LOG_MALFORMED (static, or written into why_buf: LOG_WHY_BUF bytes), and the
 * schema version seen for LOG_UNKNOWN_SCHEMA (copied into why_buf). *doc receives the parsed
 * document, which the caller frees with cJSON_Delete after it is done with rec (NULL when not
 * JSON). */
struct cJSON;
enum log_outcome log_record_parse(const char *text, size_t len, const char *attribute_by,
                                  log_record *rec, struct cJSON **doc, const char **why,
                                  char *why_buf, size_t why_size);

/* log_record_parse through cJSON only (what the fast path falls back on; for tests). Beyond
 * cJSON it refuses a raw NUL, text after the object, and a \u0000 or lone surrogate in a
 * name or value read (docs/formats.md, "Invocation logs"). */
enum log_outcome log_record_parse_full(const char *text, size_t len, const char *attribute_by,
                                       log_record *rec, struct cJSON **doc, const char **why,
                                       char *why_buf, size_t why_size);

/* Normalises a modelId (an id or an ARN) to CloudWatch's ModelId dimension (docs/formats.md,
 * "Invocation logs"): id itself or its tail (a pointer into id). */
const char *log_model_id(const char *id);
/* Normalises an identity ARN: an assumed-role session is cut to its role (copied into buf);
 * NULL when that role ARN does not fit in size (never cut). */
const char *log_identity(const char *arn, char *buf, size_t size);

/* ---- query results (ingest_logs_columns.c): the role of each column ---- */

/* What a column of query results can be: the roles of tp_ingest_options.fields (time ..
 * requests), then two recognised by name only. */
enum log_role {
    LR_TIME,
    LR_MODEL,
    LR_INPUT,
    LR_OUTPUT,
    LR_CACHE_READ,
    LR_CACHE_WRITE,
    LR_KEY,
    LR_REGION,
    LR_ACCOUNT,
    LR_REQUESTS,
    LR_ERRORS,     /* a per-minute row's count of failed requests */
    LR_ERROR_CODE, /* a per-request row's errorCode: a failed request when not empty */
    LR_N
};

/* Distinct column names an input may have (a query returns a few dozen): more are refused. */
#define LOG_COLS_MAX_NAMES 512

typedef struct log_col {
    char *name;
    signed char rank[LR_N]; /* per role: -1 not of it, else lower is preferred */
    int used;               /* chosen for a role in some row */
} log_col;

/* An input's columns. log_cols_init, then log_cols_find per name, log_cols_row per row;
 * log_cols_deinit frees. */
typedef struct log_cols {
    const char *attribute_by, *default_model; /* borrowed */
    const char *field[LR_N];                  /* the caller's column per role, or NULL */
    char key_alias[80];                       /* the attribution field's normalised name */
    str_index names;                          /* name -> index in info */
    log_col *info;
    size_t n, cap;
} log_cols;

/* Why a row is not one (pointers compared: ingest_logs_input names the fix). */
extern const char log_why_no_time[], log_why_no_model[], log_why_bad_time[],
    log_why_bad_count[];

/* The role --field ROLE names (LR_TIME .. LR_REQUESTS), or -1. */
int log_cols_role_of(const char *role);
/* Checks tp_ingest_options.fields: ROLE=NAME, a known role once, NAME text. */
tp_status ingest_logs_check_fields(const char *const *fields, size_t n, tp_error *err);
/* o borrowed (model, fields) for the lifetime of lc; attribute_by NULL is identity. */
void log_cols_init(log_cols *lc, const tp_ingest_options *o, const char *attribute_by);
void log_cols_deinit(log_cols *lc);
/* The index of column name[0, len) for log_cols_row (added at first sight); -1 when out of
 * memory, -2 past LOG_COLS_MAX_NAMES names. */
int log_cols_find(log_cols *lc, const char *name, size_t len);
/* Judges a row of n cells (col[i] from log_cols_find or -1: skipped; val[i] NULL: absent)
 * into r, taking per role the preferred column present. NULL, or why it is not a row. Strings
 * of r point into val (or the options). */
const char *log_cols_row(log_cols *lc, const int *col, const char *const *val, size_t n,
                         log_record *r);
/* 1 when a column seen plays a token role (input, output, cache read or write), else 0. */
int log_cols_has_tokens(const log_cols *lc);
/* The columns seen and never used, into sum's ignored list. */
void log_cols_ignored(const log_cols *lc, tp_ingest_summary *sum);

/* Logs Insights results (ingest_logs_insights.c): calls fn for each row of data[0, len) with
 * the row's sums as a record (row numbers from 1), or with why set (and r unset) for a row
 * that is not one; and once more with r NULL, row 0 and why the query's status when that is
 * not Complete. TP_ERR_PARSE when data is not get-query-results JSON. */
typedef tp_status (*insights_row_fn)(void *ctx, log_record *r, size_t row, const char *why,
                                     tp_error *err);
tp_status ingest_logs_insights(const char *name, const char *data, size_t len, log_cols *lc,
                               insights_row_fn fn, void *ctx, tp_error *err);

/* Athena's get-query-results JSON (ingest_logs_athena.c): as ingest_logs_insights, the columns
 * named by ResultSetMetadata (a first row of the names is the header, not a row). */
tp_status ingest_logs_athena_json(const char *name, const char *data, size_t len, log_cols *lc,
                                  insights_row_fn fn, void *ctx, tp_error *err);

/* One line of Athena's CSV result (ingest_logs_athena.c): the fields of line[0, len), quoted
 * ("", "a ""b""") or not (empty: NULL), into at most n_max values of val (pointing into buf,
 * size bytes). The number of fields, or -1 when the line is not CSV (an unclosed quote, text
 * after a closing quote, more than n_max fields, over size). */
int log_csv_split(const char *line, size_t len, char *buf, size_t size, const char **val,
                  size_t n_max);

/* Ingests one input of invocation logs (or Logs Insights results): its first plen bytes were
 * read from f into prefix, INGEST_LOGS_SNIFF bytes or to its end (f NULL: prefix is all of
 * it). object identifies it for additivity (NULL: "sha256:<hex>" of its
 * bytes, known at its end). Fills summary. Begins the store's write batch if needed. */
tp_status ingest_logs_input(tp_store *store, const tp_ingest_options *opts, const char *name,
                            const char *object, enum ingest_logs_kind kind, const char *prefix,
                            size_t plen, FILE *f, tp_ingest_summary *summary, tp_error *err);

/* The identity of a file for additivity: from its AWSLogs/ component on (the S3 key, however
 * the prefix was synced), else its absolute path. Caller frees. NULL when out of memory. */
char *ingest_logs_object_of_path(const char *path);

#endif
