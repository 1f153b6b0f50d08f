/* cmd_ingest.c - tierplan ingest: loads CloudWatch exports, CSV or invocation logs into the
 * database. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "optable.h"

#define OPT_FIELD 0x1b0 /* --field ROLE=NAME */

static const cli_opt ingest_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("model id for all data, log records too (default: ModelId= in each\n"
                    "label, a record's modelId); query results: the model of rows\n"
                    "without one"),
    {"metric", required_argument, 'M', 0, "--metric NAME",
     "metric for all data (default: the metric named in each label)", "metric"},
    {"tier", required_argument, 't', 0, "--tier T",
     "resolved service tier for all data (default: none, the total)", "tier"},
    {"period", required_argument, 'p', 0, "--period SECONDS",
     "period of the data, a multiple of 60 (default: Period= in the\n"
     "label, else 60 when timestamps are 60 s apart; else refused)", "period_s"},
    {"as-of", required_argument, 'a', 0, "--as-of TIME",
     "when the files were exported (ISO 8601), for labels without\n"
     "End=: the most recent export wins each minute (default: each\n"
     "series' last timestamp + period)", "as_of_s"},
    {"span-from", required_argument, 'f', 0, "--span-from T, --span-to T\n",
     "the span the files' exports asked CloudWatch for (ISO 8601),\n"
     "for coverage (tierplan series); default: Start= and End= of\n"
     "each label", "span_from_s"},
    CLI_HIDDEN("span-to", required_argument, 'T', "span_to_s"),
    {"region", required_argument, OPT_REGION, 0, "--region R, --account ID\n",
     "where all the data was recorded: its AWS region (us-east-1) and\n"
     "account (12 digits); default: Region= and Account= of each label,\n"
     "the CSV's region and account columns, a log record's region and\n"
     "accountId (else its S3 path); a label that disagrees is refused", "region"},
    CLI_HIDDEN("account", required_argument, OPT_ACCOUNT, "account"),
    {"strict", no_argument, 'S', 0, "--strict",
     "any warning (docs/user-guide.md lists them) fails the command:\n"
     "exit 3, nothing stored", NULL},
    CLI_OPT_FORMAT_H("text (default) or json: the summary for machines, per file"),
    {"max-input-mb", required_argument, 'x', 0, "--max-input-mb N",
     "refuse files larger than N MiB (default: 256; logs are streamed\n"
     "and not capped)", "max_file_bytes"},
    {"attribute-by", required_argument, 'A', 0, "--attribute-by K",
     "invocation logs: the key each record is summed under: identity\n"
     "(default: identity.arn, a session cut to its role), operation,\n"
     "region or metadata:KEY (requestMetadata's KEY)", "attribute_by"},
    {"field", required_argument, OPT_FIELD, 0, "--field ROLE=NAME",
     "query results (Logs Insights, Athena): column NAME holds ROLE:\n"
     "time, model, input_tokens, output_tokens, cache_read_tokens,\n"
     "cache_write_tokens, key, region, account or requests; repeatable\n"
     "(default: the names docs/formats.md lists)", "fields"},
    CLI_OPT_BUSY_TIMEOUT_H("seconds to wait for another writer to commit (default: 60)"),
    {"quiet", no_argument, 'q', 1, "-q, --quiet", "print no per-file summary", NULL},
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(ingest_opts);

static const cli_table ingest_table = {
    "usage: tierplan ingest [OPTIONS] FILE|DIR... | -\n"
    "\n"
    "Loads CloudWatch exports into the database in one transaction: if any file is bad,\n"
    "nothing of the command is stored. The format is detected from the content:\n"
    "  - aws cloudwatch get-metric-data output (several pages or documents are merged)\n"
    "  - aws cloudwatch get-metric-statistics output (the Sum statistic)\n"
    "  - CSV: timestamp,model,metric,value[,tier] (header optional; also what export writes)\n"
    "  - Bedrock model invocation logs: JSON lines, a record or an array of records, plain\n"
    "    or gzip; summed per minute, model and attribution key, each object added once\n"
    "  - query results: aws logs get-query-results (per request or per minute), Athena's\n"
    "    CSV or get-query-results JSON of export-cmd --source athena's query\n"
    "  - other providers' tokens per minute (export-cmd --provider): Azure Monitor metrics,\n"
    "    Cloud Monitoring time series (Vertex AI), OpenAI usage API buckets\n"
    "A file of logs or results from which nothing could be stored fails with exit 1.\n"
    "'-' reads standard input. A directory is read recursively (a synced S3 prefix of logs;\n"
    "data/ folders and the permission check object are skipped).\n"
    "\n"
    "options:\n",
    21, ingest_opts, ""};

/* Every warning of the command, kept for --strict and --format json as it is printed. */
typedef struct warn_log {
    char **msgs;
    size_t n, cap;
    int lost; /* out of memory: counted, not kept */
} warn_log;

/* A tp_warn_fn: prints the warning and keeps it (ctx is the warn_log). */
static void log_warning(void *ctx, const char *msg)
{
    warn_log *l = ctx;
    print_warning(NULL, msg);
    if (l->n == l->cap) {
        const size_t cap = l->cap ? 2 * l->cap : 8;
        char **v = realloc(l->msgs, cap * sizeof *v);
        if (v == NULL) {
            l->lost++;
            return;
        }
        l->msgs = v;
        l->cap = cap;
    }
    if ((l->msgs[l->n] = strdup(msg)) == NULL)
        l->lost++;
    else
        l->n++;
}

static void warn_log_free(warn_log *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->msgs[i]);
    free(l->msgs);
}

static const char *input_name(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

/* The input a warning is about: the longest name the message starts with, followed by ':'
 * or ' ' (every ingest warning starts with its input's name); -1 for the command. */
static int warning_file(const char *msg, char *const *files, int nfiles)
{
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; i < nfiles; i++) {
        const char *name = input_name(files[i]);
        const size_t n = strlen(name);
        if (n > best_len && strncmp(msg, name, n) == 0 && (msg[n] == ':' || msg[n] == ' ')) {
            best = i;
            best_len = n;
        }
    }
    return best;
}

/* The summary as JSON, each warning under its input. 0, or an exit code. */
static int print_json(char *const *files, const tp_ingest_summary *sums, int nfiles,
                      const warn_log *log, int stored, int strict)
{
    tp_ingest_file_report *fr = calloc((size_t)nfiles, sizeof *fr);
    const char **own = calloc(log->n + 1, sizeof *own), **cmd = calloc(log->n + 1, sizeof *cmd);
    size_t n_cmd = 0, used = 0;
    char *out = NULL;
    tp_error err;
    int rc = 0;
    if (fr == NULL || own == NULL || cmd == NULL) {
        tp_error_set(&err, TP_ERR_NOMEM, "out of memory");
        rc = fail(&err);
        goto cleanup;
    }
    /* own holds the warnings grouped by file: file i's run starts where file i - 1's ends */
    for (int i = 0; i < nfiles; i++) {
        fr[i].name = input_name(files[i]);
        fr[i].summary = &sums[i];
        fr[i].warnings = &own[used];
        for (size_t k = 0; k < log->n; k++)
            if (warning_file(log->msgs[k], files, nfiles) == i)
                own[used + fr[i].n_warnings++] = log->msgs[k];
        used += fr[i].n_warnings;
    }
    for (size_t k = 0; k < log->n; k++)
        if (warning_file(log->msgs[k], files, nfiles) < 0)
            cmd[n_cmd++] = log->msgs[k];
    if (tp_report_ingest(fr, (size_t)nfiles, cmd, n_cmd, stored, strict, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, TP_FORMAT_JSON);
cleanup:
    free(out);
    free(fr);
    free(own);
    free(cmd);
    return rc;
}

/* An input of invocation logs: records, errors, minute sums, span; what was skipped. */
static void print_log_summary(const char *name, const tp_ingest_summary *s)
{
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    if (s->duplicate) {
        printf("%s: %s, ingested before: nothing added\n", name, s->format);
        return;
    }
    const int width =
        printf("%s: %s, %zu %s%s (%zu error%s), %zu minute sum%s", name, s->format, s->records,
               strcmp(s->format, "invocation-log") == 0 ? "record" : "row",
               s->records == 1 ? "" : "s", s->log_errors, s->log_errors == 1 ? "" : "s",
               s->points, s->points == 1 ? "" : "s");
    /* ", <from> .. <to>" is 46 columns: on a line of its own where it would pass 100 */
    if (s->first_minute <= s->last_minute && s->points > 0)
        printf("%s%s .. %s", width + 46 > 100 ? "\n  " : ", ",
               tp_timestamp_format(s->first_minute * 60, a),
               tp_timestamp_format(s->last_minute * 60, b));
    putchar('\n');
    if (s->log_malformed + s->log_unknown_schema + s->log_no_tokens + s->log_folded > 0)
        printf("  %zu malformed and %zu of unknown schema skipped; %zu without tokens; "
               "%zu folded into other\n",
               s->log_malformed, s->log_unknown_schema, s->log_no_tokens, s->log_folded);
    if (s->n_ignored_columns > 0) { /* wrapped at 100 columns */
        int col = printf("  ignored column%s:", s->n_ignored_columns == 1 ? "" : "s");
        const char *c = s->ignored_columns;
        for (size_t i = 0; i < s->n_ignored_listed; i++, c += strlen(c) + 1) {
            char shown[96];
            tp_format_text_escape(shown, sizeof shown, c);
            const int w = (int)strlen(shown) + 2;
            if (col + w > 100) {
                fputs("\n   ", stdout);
                col = 3;
            }
            col += printf(" %s%s", shown, i + 1 < s->n_ignored_columns ? "," : "");
        }
        if (s->n_ignored_listed < s->n_ignored_columns)
            printf(" and %zu more", s->n_ignored_columns - s->n_ignored_listed);
        putchar('\n');
    }
}

/* One line per file, in the order given; "-" is shown as <stdin>; a file's name as the
 * library escapes text for a terminal (a name is anything but '/' and NUL). */
static void print_summaries(char *const *files, const tp_ingest_summary *sums, int nfiles)
{
    char *name = NULL;
    for (int i = 0; i < nfiles; i++) {
        const tp_ingest_summary *s = &sums[i];
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        const char *raw = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
        const size_t need = tp_format_text_escape(NULL, 0, raw) + 1;
        char *grown = realloc(name, need);
        if (grown == NULL)
            break; /* out of memory: the summary stops short, the ingest is done */
        name = grown;
        tp_format_text_escape(name, need, raw);
        if (s->format != NULL &&
            (strcmp(s->format, "invocation-log") == 0 || strcmp(s->format, "logs-insights") == 0 ||
             strncmp(s->format, "athena-", 7) == 0)) {
            print_log_summary(name, s);
            continue;
        }
        if (s->points == 0) {
            printf("%s: %s, no datapoints\n", name, s->format ? s->format : "?");
            continue;
        }
        /* two lines, so that the counts stay within 100 columns beside a file name */
        printf("%s: %s, %zu point%s in %zu series, %s .. %s\n", name, s->format, s->points,
               s->points == 1 ? "" : "s", s->series, tp_timestamp_format(s->first_minute * 60, a),
               tp_timestamp_format(s->last_minute * 60, b));
        printf("  %zu new, %zu replaced, %zu unchanged, %zu kept newer\n", s->inserted,
               s->replaced, s->unchanged, s->kept_newer);
    }
    free(name);
}

/* "-" is standard input, decided here and not in the library; each run of files between two
 * "-" goes through tp_ingest_files, which decodes the next file while it stores this one. */
static tp_status ingest_inputs(tp_ingest *ing, const char *const *paths, size_t n,
                               tp_ingest_summary *sums, tp_error *err)
{
    size_t run;
    for (size_t i = 0; i < n; i += run) {
        tp_status st;
        if (strcmp(paths[i], "-") == 0) {
            run = 1;
            st = tp_ingest_stream(ing, "<stdin>", stdin, &sums[i], err);
        } else {
            for (run = 1; i + run < n && strcmp(paths[i + run], "-") != 0; run++)
                ;
            st = tp_ingest_files(ing, &paths[i], run, &sums[i], err);
        }
        if (st != TP_OK)
            return st;
    }
    return TP_OK;
}

static int attribute_by_valid(const char *a)
{
    return strcmp(a, "identity") == 0 || strcmp(a, "operation") == 0 ||
           strcmp(a, "region") == 0 || (strncmp(a, "metadata:", 9) == 0 && a[9] != '\0');
}

/* The inputs of the command line, a directory replaced by the files under it. */
static tp_status expand_inputs(char **args, int n, char ***out, int *out_n, tp_error *err)
{
    char **v = NULL;
    size_t nv = 0, cap = 0;
    tp_status rc = TP_OK;
    for (int i = 0; i < n && rc == TP_OK; i++) {
        char **one = NULL;
        size_t k = 0;
        if ((rc = tp_ingest_expand_path(args[i], &one, &k, err)) != TP_OK)
            break;
        if (nv + k > cap) {
            size_t ncap = cap ? cap : 16;
            while (ncap < nv + k)
                ncap *= 2;
            char **nb = realloc(v, ncap * sizeof *v);
            if (nb == NULL) {
                tp_strv_free(one, k);
                rc = tp_error_set(err, TP_ERR_NOMEM, "out of memory");
                break;
            }
            v = nb;
            cap = ncap;
        }
        if (k > 0) /* an empty directory: nothing to take (and one is NULL) */
            memcpy(v + nv, one, k * sizeof *one);
        nv += k;
        free(one);
    }
    if (rc == TP_OK && nv == 0)
        rc = tp_error_set(err, TP_ERR_IO, "no files under %s", args[0]);
    if (rc != TP_OK) {
        tp_strv_free(v, nv);
        return rc;
    }
    *out = v;
    *out_n = (int)nv;
    return TP_OK;
}

/* What ingest parses. */
#define MAX_FIELDS 16 /* --field: one per role at most */
typedef struct ingest_args {
    tp_ingest_options io;
    const char *fields[MAX_FIELDS];
    const char *db;
    int quiet, strict, json;
    int64_t span_from_s, span_to_s; /* -1 until given */
} ingest_args;

/* --as-of, --span-from, --span-to: an instant after 1970 into *out. 0, or an exit code. */
static int time_option(const char *name, const char *arg, int64_t *out)
{
    if (tp_timestamp_parse(arg, strlen(arg), out, NULL) != TP_OK || *out <= 0)
        return usage_error("ingest", "--%s: \"%s\" is not an ISO 8601 time after 1970", name,
                           arg);
    return 0;
}

static int ingest_option(ingest_args *a, int c, const char *arg)
{
    long v;
    tp_error err;
    tp_format fmt;
    switch (c) {
    case 'd': a->db = arg; return 0;
    case OPT_BUSY_TIMEOUT: return busy_timeout_option("ingest", arg);
    case 'm': a->io.model = arg; return 0;
    case 'M':
        if (!tp_metric_is_known(arg))
            return usage_error("ingest", "--metric: unknown metric \"%s\" (docs/formats.md "
                                         "lists the metrics tierplan reads)",
                               arg);
        a->io.metric = arg;
        return 0;
    case 't': a->io.tier = arg; return 0;
    case 'p':
        if (parse_int(arg, 60, 86400, &v) != 0 || v % 60 != 0)
            return usage_error("ingest", "--period: \"%s\" is not a multiple of 60 from 60 "
                                         "to 86400",
                               arg);
        a->io.period_s = (int)v;
        return 0;
    case 'x':
        if (parse_int(arg, 1, 1L << 20, &v) != 0)
            return usage_error("ingest", "--max-input-mb: \"%s\" is not a number from 1 to "
                                         "1048576",
                               arg);
        a->io.max_file_bytes = (size_t)v << 20;
        return 0;
    case 'a': return time_option("as-of", arg, &a->io.as_of_s);
    case 'f': return time_option("span-from", arg, &a->span_from_s);
    case 'T': return time_option("span-to", arg, &a->span_to_s);
    case 'F':
        if (tp_format_parse(arg, &fmt, &err) != TP_OK ||
            (fmt != TP_FORMAT_TEXT && fmt != TP_FORMAT_JSON))
            return usage_error("ingest", "--format: \"%s\" is not text or json", arg);
        a->json = fmt == TP_FORMAT_JSON;
        return 0;
    case 'S': a->strict = 1; return 0;
    case 'A':
        if (!attribute_by_valid(arg))
            return usage_error("ingest", "--attribute-by: \"%s\" is not identity, operation, "
                                         "region or metadata:KEY",
                               arg);
        a->io.attribute_by = arg;
        return 0;
    case 'q': a->quiet = 1; return 0;
    case OPT_FIELD:
        if (a->io.n_fields == MAX_FIELDS)
            return usage_error("ingest", "--field: more than %d", MAX_FIELDS);
        a->fields[a->io.n_fields++] = arg;
        a->io.fields = a->fields;
        return 0;
    case OPT_REGION:
    case OPT_ACCOUNT:
        if (strcmp(arg, "unknown") == 0)
            return usage_error("ingest", "--%s unknown: leave it out (data without one is "
                                         "stored as unknown)",
                               c == OPT_REGION ? "region" : "account");
        return place_option("ingest", c, arg, c == OPT_REGION ? &a->io.region : &a->io.account);
    case 'h': cli_help_print(&ingest_table, stdout); return OPT_HELP;
    default: return usage_error("ingest", "%s", "invalid option");
    }
}

static int ingest_parse(ingest_args *a, int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &ingest_table);
    int c, rc;
    a->span_from_s = a->span_to_s = -1;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1)
        if ((rc = ingest_option(a, c, optarg)) != 0)
            return rc;
    if ((a->span_from_s < 0) != (a->span_to_s < 0))
        return usage_error("ingest", "%s", "--span-from and --span-to go together");
    if (a->span_from_s >= 0) {
        if (a->span_to_s <= a->span_from_s)
            return usage_error("ingest", "%s", "--span-to must be after --span-from");
        a->io.span_from_s = a->span_from_s;
        a->io.span_to_s = a->span_to_s;
    }
    if (optind >= argc)
        return usage_error("ingest", "%s", "no input files (give FILE... or - for stdin)");
    return 0;
}

/* Removes the database file this command created (and its -wal and -shm): a failed first
 * ingest leaves no empty database behind to pass for a stored history. */
static void remove_created(const char *path)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char *p = malloc(strlen(path) + strlen(tails[i]) + 1);
        if (p == NULL)
            return;
        strcpy(p, path);
        strcat(p, tails[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            fprintf(stderr, "%s: warning: %s: could not remove the new database: %s\n", prog,
                    p, strerror(errno));
        free(p);
    }
}

/* Ingests, then commits unless --strict met a warning: 0, or an exit code after saying why.
 * *refused says that --strict refused the command's warnings (its summary still shows); err
 * receives the failure's status and message. */
static int ingest_run(ingest_args *a, char *const *files, int nfiles, tp_ingest_summary *sums,
                      const warn_log *log, int *refused, tp_error *err)
{
    tp_store *store = NULL;
    tp_ingest *ing = NULL;
    int rc = 0;
    struct stat st;
    const char *path = db_path(a->db);
    const int existed = stat(path, &st) == 0;
    *refused = 0;
    if (open_db(a->db, 1, &store, err) != TP_OK ||
        tp_ingest_begin(store, &a->io, &ing, err) != TP_OK) {
        rc = fail(err);
        goto cleanup;
    }
    if (ingest_inputs(ing, (const char *const *)files, (size_t)nfiles, sums, err) != TP_OK) {
        rc = fail(err);
        fprintf(stderr, "%s: nothing from this command was stored\n", prog);
        goto cleanup;
    }
    /* every warning is out once the inputs are finished: strict decides before committing */
    if (tp_ingest_finish(ing, err) != TP_OK) {
        rc = fail(err);
        fprintf(stderr, "%s: nothing from this command was stored\n", prog);
        goto cleanup;
    }
    if (a->strict && log->n + (size_t)log->lost > 0) {
        fprintf(stderr, "%s: error: --strict: %zu warning%s; nothing from this command was "
                        "stored\n",
                prog, log->n + (size_t)log->lost, log->n + (size_t)log->lost == 1 ? "" : "s");
        rc = EXIT_FAIL;
        *refused = 1;
        goto cleanup;
    }
    if (tp_ingest_commit(ing, err) != TP_OK) { /* rolled back whole: one transaction */
        rc = fail(err);
        fprintf(stderr, "%s: nothing from this command was stored\n", prog);
    }
cleanup:
    tp_ingest_free(ing);
    tp_store_close(store);
    if (rc != 0) {
        /* nothing was stored: no ingest id to show */
        for (int i = 0; i < nfiles; i++)
            sums[i].ingest_id = 0;
        if (!existed && store != NULL)
            remove_created(path);
    }
    return rc;
}

int cmd_ingest(int argc, char **argv)
{
    ingest_args a = {0};
    warn_log log = {0};
    tp_ingest_summary *sums = NULL;
    char **files = NULL;
    int nfiles = 0, refused = 0;
    tp_error err;
    int rc = ingest_parse(&a, argc, argv);
    if (rc != 0)
        return rc == OPT_HELP ? 0 : rc;
    a.io.warn = log_warning;
    a.io.warn_ctx = &log;
    a.io.field_name = cli_option_name; /* warnings name the options */
    tp_error_clear(&err);
    /* a directory stands for the files under it (a synced S3 prefix of invocation logs) */
    if (expand_inputs(&argv[optind], argc - optind, &files, &nfiles, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    if ((sums = calloc((size_t)nfiles, sizeof *sums)) == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        rc = EXIT_FAIL;
        goto cleanup;
    }
    rc = ingest_run(&a, files, nfiles, sums, &log, &refused, &err);
    /* a failed input stops the command before its summary; --strict's refusal does not */
    if (a.json && (rc == 0 || refused)) {
        const int jrc = print_json(files, sums, nfiles, &log, rc == 0, a.strict);
        rc = rc != 0 ? rc : jrc;
    } else if (rc == 0 && !a.quiet) {
        print_summaries(files, sums, nfiles);
    }
cleanup:
    tp_strv_free(files, (size_t)nfiles);
    free(sums);
    warn_log_free(&log);
    /* an ingest's only verdict is "nothing could be stored" from an input of logs or query
     * results (TP_ERR_NOT_FOUND: exit 1, like any command that finds no data); whatever else
     * stopped it is a failed step (3) */
    return rc == EXIT_VERDICT && err.status != TP_ERR_NOT_FOUND ? EXIT_FAIL : rc;
}
