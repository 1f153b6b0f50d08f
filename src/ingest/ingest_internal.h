/* ingest_internal.h - what the ingest pipeline (ingest.c) and its decoders (ingest_json.c,
 * ingest_csv.c) share: decoded points, groups and inputs (helpers in ingest_decoded.c), and
 * the decoder entry points. */
#ifndef TIERPLAN_INGEST_INTERNAL_H
#define TIERPLAN_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tierplan/ingest.h"
#include "tierplan/series.h"
#include "base/strindex.h"

/* One datapoint as read, before it is stored. loc locates it in the input: the array index
 * in JSON, the line number in CSV. Plain value, owns nothing. */
typedef struct ingest_point {
    int64_t ts_s;
    double value;
    uint32_t loc;
} ingest_point;

/* Points of one series key read from one place in the input. Owns every string and pts
 * (free with ingest_group_deinit); elem points at a string literal. When packed is set, the
 * other strings live in model's allocation (one malloc per group: a CSV of many series holds
 * as many groups). */
typedef struct ingest_group {
    char *model, *metric, *service_tier, *resolved_tier;
    char *region, *account; /* "" when unknown (after ingest_place_resolve) */
    int packed;
    int period_s;     /* 0 until known */
    int has_end;      /* the label said End=<ISO>: end_s is the export's as-of */
    int64_t end_s;
    int has_start;    /* the label said Start=<ISO>: [start_s, end_s) is the span asked for */
    int64_t start_s;
    int64_t series_id; /* set when stored */
    int64_t as_of_s;   /* set when stored: End=, else --as-of, else last timestamp + period */
    char *where;      /* e.g. "$.MetricDataResults[2]" or "document 2, $.Datapoints" */
    const char *elem; /* JSON array the loc indexes ("Values", "Datapoints"), NULL for CSV */
    ingest_point *pts;
    size_t n, cap;
} ingest_group;

/* One entry of MetricDataResults, for the completeness check of the command. Owns its
 * strings. key tells pages of one query from another: its Id and its label, as the AWS CLI
 * repeats both on every page (one export's Ids recur in the next export's files). The Id
 * ("?" when absent) is key[0, id_len), the label follows the newline: one allocation, as a
 * file may hold hundreds of thousands of results. */
typedef struct ingest_result {
    char *key;    /* Id, "\n", label */
    size_t id_len;
    char *where;  /* "file: document 2, $.MetricDataResults[0]" */
    char *status; /* StatusCode when not Complete, else NULL */
    int said_complete; /* StatusCode is "Complete" (not only absent) */
} ingest_result;

/* A get-metric-data document as decoded: its results and whether it has a NextToken.
 * Owns where and res (free with ingest_page_deinit). */
typedef struct ingest_page {
    char *where; /* "file" or "file (document 2)" */
    ingest_result *res;
    size_t n_res;
    int has_next;
} ingest_page;

/* The sums of one minute of invocation logs a CSV line of source "logs" names (tierplan
 * export writes them: docs/formats.md), in this order. */
#define INGEST_LOG_SUMS 6
extern const char *const ingest_log_sum_names[INGEST_LOG_SUMS];

/* One minute of invocation log sums read from CSV: the sums of one (model, place, attribution,
 * key, minute), gathered from its lines (a sum not given is 0). Its strings live in one
 * allocation, model's (free with free(model)). */
typedef struct ingest_log_row {
    char *model, *region, *account, *attr_by, *key;
    int64_t minute;
    int64_t sums[INGEST_LOG_SUMS]; /* requests, errors, input, output, cache read and write */
    unsigned have;                 /* bit k: sum k was given (twice is refused) */
    size_t line;                   /* its first line */
} ingest_log_row;

/* One input as a decoder leaves it: everything needed to store it, and no database handle,
 * so that decoding can run on another thread. Owns groups, pages and warnings (free with
 * ingest_decoded_deinit); name is borrowed from the caller and must outlive it. */
typedef struct ingest_decoded {
    const char *name;   /* the input's name, for messages */
    const char *format; /* "get-metric-data", "get-metric-statistics", "mixed", "csv" (static) */
    size_t documents;   /* JSON documents read (1 for CSV) */
    ingest_group *groups; /* in input order; none of them empty */
    size_t n_groups, cap_groups;
    /* Results without a datapoint, kept for their key and span only (pts NULL, n 0): an
     * export of an idle day covers its span all the same (ingest_store_groups) */
    ingest_group *empties;
    size_t n_empties, cap_empties;
    ingest_page *pages; /* get-metric-data documents, in input order */
    size_t n_pages, cap_pages;
    char **warnings; /* raised while decoding, emitted when the input is stored */
    size_t n_warnings, cap_warnings;
    ingest_log_row *log_rows; /* CSV lines of source "logs", per minute and key */
    size_t n_log_rows, cap_log_rows;
    size_t log_lines; /* the lines they were read from */
} ingest_decoded;

/* The decoders. Each reads data[0, len) (need not be terminated) into dec, which the caller
 * zero-initialised with its name set; on error err names the input and where in it, and dec
 * holds whatever was decoded so far (the caller still frees it). They read only opts
 * (model, metric and tier overrides), so they may run on any thread. */
tp_status ingest_decode_json(const tp_ingest_options *opts, ingest_decoded *dec,
                             const char *data, size_t len, tp_error *err);
/* The two ways ingest_decode_json reads JSON. ingest_json_scan is the streaming scanner of
 * get-metric-data documents (ingest_json_scan.c): it returns 1 when it read the whole of data
 * into dec exactly as the cJSON path would, else 0 with dec untouched (it declines anything
 * it does not recognise or that the cJSON path would refuse, so that path reports it), or -1
 * with dec untouched and err set (TP_ERR_NOMEM) when it ran out of memory.
 * ingest_decode_json_tree is the cJSON path, for any JSON. ingest_decode_json tries the
 * first, then the second. */
int ingest_json_scan(const tp_ingest_options *opts, ingest_decoded *dec, const char *data,
                     size_t len, tp_error *err);
tp_status ingest_decode_json_tree(const tp_ingest_options *opts, ingest_decoded *dec,
                                  const char *data, size_t len, tp_error *err);

/* Pieces of the get-metric-data decoder both paths share (ingest_json.c). page_open starts
 * the page record of a document (docname "" or "document N, ") with room for n results and
 * its NextToken's presence; note_result adds a result at where to the last page (its Id, or
 * NULL for none; its StatusCode, or NULL for none): the caller made room; group_open starts
 * group g at where with the series key its label and opts give. */
tp_status ingest_json_page_open(ingest_decoded *dec, const char *docname, size_t n,
                               int has_next, tp_error *err);
tp_status ingest_json_note_result(ingest_decoded *dec, const char *where, const char *id,
                                  const char *label, const char *status, tp_error *err);
tp_status ingest_json_group_open(const tp_ingest_options *opts, const ingest_decoded *dec,
                                 ingest_group *g, const char *where, const char *elem,
                                 const char *label, tp_error *err);

tp_status ingest_decode_csv(const tp_ingest_options *opts, ingest_decoded *dec,
                            const char *data, size_t len, tp_error *err);

/* Frees what dec owns and zeroes it (its name too). */
void ingest_decoded_deinit(ingest_decoded *dec);
void ingest_group_deinit(ingest_group *g);
void ingest_page_deinit(ingest_page *pg);
void ingest_result_deinit(ingest_result *r);

/* Appends a point; 0, or -1 when out of memory (g unchanged). */
int ingest_group_push(ingest_group *g, int64_t ts_s, double value, uint32_t loc);

/* Moves g into dec's groups, leaving g empty; a g without a datapoint goes to dec's
 * empties instead (its key and span only), or is freed when it has no key. */
tp_status ingest_take_group(ingest_decoded *dec, ingest_group *g, tp_error *err);

/* Keeps a printf-style warning for when dec is stored. A warning lost to memory exhaustion
 * is not worth failing the ingest, so this cannot fail. */
void ingest_warn(ingest_decoded *dec, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- storing (ingest_store.c): on the command's thread, in input order ---- */

struct store_day; /* store_internal.h: decoders see no store internals */

/* Stores the groups of one decoded input as ingest ingest_id (its row already added):
 * decides each group's period and as-of, records the as-of, and merges every point into the
 * day rows (day is scratch). Fills sum's points, counts, minutes and series. Warnings go to
 * opts->warn. */
tp_status ingest_store_groups(tp_store *store, const tp_ingest_options *opts,
                              ingest_decoded *dec, int64_t ingest_id, struct store_day *day,
                              tp_ingest_summary *sum, tp_error *err);

/* Adds the invocation log sums of a CSV input (dec->log_rows, from tierplan export) as ingest
 * ingest_id: additive like any log object, known by the input's sha256 (sum->sha256), so the
 * same file adds its sums once (a warning says so when it was added before). Refuses, as log
 * ingests do, sums without a region into a store holding the model under one. Counts the
 * lines in sum->points and in sum->inserted (or sum->unchanged when added before). */
tp_status ingest_store_log_rows(tp_store *store, const tp_ingest_options *opts,
                                ingest_decoded *dec, int64_t ingest_id, tp_ingest_summary *sum,
                                tp_error *err);

/* Whether each get-metric-data query of the command is complete, whatever the order of its
 * pages among the inputs (a shell glob puts page-10 before page-2). A query is its Id and
 * label. It is complete when a result of it says StatusCode Complete, or has no StatusCode
 * on a page without a NextToken; else it is incomplete: its pages stop at a NextToken, or
 * CloudWatch said PartialData (or an error) at its end. A page with a NextToken whose
 * queries are all complete is warned about when no other page holds one of its queries
 * (nothing of its continuation was given). Owns all it holds (free with
 * ingest_queries_deinit); zero-initialise. */
typedef struct ingest_query ingest_query;
typedef struct ingest_pending ingest_pending;
typedef struct ingest_queries {
    ingest_query *q;
    size_t n, cap;
    str_index by_key;      /* query key -> index in q */
    ingest_pending *pending; /* the pages with a NextToken */
    size_t n_pending, cap_pending;
    size_t n_pages_seen;     /* pages added so far */
} ingest_queries;

/* Takes pg's results (and pg itself when it waits for its next page). */
tp_status ingest_queries_add(ingest_queries *qs, ingest_page *pg, tp_error *err);
/* One warning per incomplete query, in the order the queries first appeared. */
void ingest_queries_warn(const ingest_queries *qs, const tp_ingest_options *opts);
void ingest_queries_deinit(ingest_queries *qs);

/* Warns (through opts->warn) about points that lie more than INGEST_STRAY_DAYS from all
 * other data of their series, in this input and in the store (before this input is stored):
 * a stray timestamp (a 2020 point beside 2026 data) makes the series' span years long.
 * Run after every group is prepared (series_id set), before any is stored. */
#define INGEST_STRAY_DAYS 400
tp_status ingest_warn_strays(tp_store *store, const tp_ingest_options *opts,
                             const ingest_decoded *dec, tp_error *err);

/* Checks a region or account read from an input (at `where`, e.g. "$.MetricDataResults[2]
 * .Label" or "line 4") against its shape and the command's --region/--account (opts): *value
 * (NULL when the input said none) is replaced by opts' value when the input said none, and by
 * "" when neither did. TP_ERR_INVALID naming the input, the place in it and both values when
 * they disagree or the value is malformed; TP_ERR_NOMEM. what: "region" or "account". */
tp_status ingest_place_resolve(const tp_ingest_options *opts, const ingest_decoded *dec,
                               const char *where, const char *what, char **value,
                               tp_error *err);
/* Refuses (TP_ERR_CONFLICT, naming the input, the model, the places stored and the option to
 * pass) data of model without a region into a store that holds the model under a region, and
 * data without an account into a region where the store holds the model under an account
 * (of the same kind of data: log sums when logs, else metric series):
 * they would be merged into one place's minutes silently. Region-tagged data into a store
 * that holds the model only without a region is kept apart, with a warning (opts->warn). */
tp_status ingest_place_guard(tp_store *store, const tp_ingest_options *opts, const char *name,
                             int logs, const char *model, const char *region,
                             const char *account, tp_error *err);

/* The same check without copying: *out is value, opts' value or "" (static or borrowed). */
tp_status ingest_place_check(const tp_ingest_options *opts, const ingest_decoded *dec,
                             const char *where, const char *what, const char *value,
                             const char **out, tp_error *err);
/* ingest_place_check naming the value's real source in a disagreement: in (NULL: a label's
 * Region=/Account=; "column": a CSV column; "record": a log record's field), and what set
 * opts' value (NULL: the option --region/--account; else, e.g., "its S3 path"). */
tp_status ingest_place_check_in(const tp_ingest_options *opts, const ingest_decoded *dec,
                                const char *where, const char *what, const char *value,
                                const char *in, const char *forced_by, const char **out,
                                tp_error *err);

/* Why text[0, len) cannot be a model id, tier or metric name: NULL when it is valid UTF-8
 * without control characters, else "invalid UTF-8" or "a control character". */
const char *ingest_text_problem(const char *text, size_t len);

/* The largest value a point of a period of period_s may hold: 1e12 tokens per minute of it
 * (more than any account's quota by orders of magnitude; larger is a corrupt export). */
#define INGEST_MAX_TOKENS_PER_MINUTE 1e12

/* Reads a timestamp given as a number (or the text of one): seconds since the epoch, or
 * milliseconds when v >= 1e11 (the AWS CLI writes either). Returns 0 with *out_s set, 1 when
 * v is no time (negative, not finite, past year 9999), 2 when it is not on a whole minute. */
int ingest_epoch_number(double v, int64_t *out_s);

/* Nonzero when period_s is a period tierplan can hold: a whole number of minutes, in
 * seconds, from 60 to 86400 (--period, Period= labels, the CSV period_s column). */
int ingest_period_valid(double period_s);

/* Why v cannot be stored as a datapoint: NULL when it is a finite number >= 0, else
 * "not a finite number" or "negative" (for messages). */
const char *ingest_value_problem(double v);

#endif
