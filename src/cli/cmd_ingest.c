/* cmd_ingest.c - tierplan ingest: loads CloudWatch exports, CSV or invocation logs into the
 * database. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"

static const char *ingest_usage =
    "usage: tierplan ingest [OPTIONS] FILE|DIR... | -\n"
    "\n"
    "Loads CloudWatch exports into the database in one transaction: if any file is bad,\n"
    "nothing of the command is stored. The format is detected from the content:\n"
    "  - aws cloudwatch get-metric-data output (several pages or documents are merged)\n"
    "  - aws cloudwatch get-metric-statistics output (the Sum statistic)\n"
    "  - CSV: timestamp,model,metric,value[,tier] (header optional; also what export writes)\n"
    "  - Bedrock model invocation logs: JSON lines, a record or an array of records, plain\n"
    "    or gzip; summed per minute, model and attribution key, each object added once\n"
    "'-' reads standard input. A directory is read recursively (a synced S3 prefix of logs;\n"
    "data/ folders and the permission check object are skipped).\n"
    "\n"
    "options:\n"
    "  --db PATH          database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID         model id for all data (default: ModelId= in each label)\n"
    "  --metric NAME      metric for all data (default: the metric named in each label)\n"
    "  --tier T           resolved service tier for all data (default: none, the total)\n"
    "  --period SECONDS   period of the data, a multiple of 60 (default: Period= in the\n"
    "                     label, else 60 when timestamps are 60 s apart; else refused)\n"
    "  --as-of TIME       when the files were exported (ISO 8601), for labels without\n"
    "                     End=: the most recent export wins each minute (default: each\n"
    "                     series' last timestamp + period)\n"
    "  --max-input-mb N   refuse files larger than N MiB (default: 256; logs are streamed\n"
    "                     and not capped)\n"
    "  --attribute-by K   invocation logs: the key each record is summed under: identity\n"
    "                     (default: identity.arn, a session cut to its role), operation,\n"
    "                     region or metadata:KEY (requestMetadata's KEY)\n"
    "  --busy-timeout S   seconds to wait for another writer to commit (default: 60)\n"
    "  -q, --quiet        print no per-file summary\n"
    "  -h, --help         show this help\n";

/* An input of invocation logs: records, errors, minute sums, span; what was skipped. */
static void print_log_summary(const char *name, const tp_ingest_summary *s)
{
    char a[TP_TIME_BUF], b[TP_TIME_BUF];
    if (s->duplicate) {
        printf("%s: %s, ingested before: nothing added\n", name, s->format);
        return;
    }
    printf("%s: %s, %zu %s%s (%zu error%s), %zu minute sum%s", name, s->format, s->records,
           strcmp(s->format, "logs-insights") == 0 ? "row" : "record",
           s->records == 1 ? "" : "s", s->log_errors, s->log_errors == 1 ? "" : "s", s->points,
           s->points == 1 ? "" : "s");
    if (s->first_minute <= s->last_minute && s->points > 0)
        printf(", %s .. %s", tp_time_format(s->first_minute * 60, a),
               tp_time_format(s->last_minute * 60, b));
    putchar('\n');
    if (s->log_malformed + s->log_unknown_schema + s->log_no_tokens + s->log_folded > 0)
        printf("  %zu malformed and %zu of unknown schema skipped; %zu without tokens; "
               "%zu folded into other\n",
               s->log_malformed, s->log_unknown_schema, s->log_no_tokens, s->log_folded);
}

/* One line per file, in the order given; "-" is shown as <stdin>. */
static void print_summaries(char *const *files, const tp_ingest_summary *sums, int nfiles)
{
    for (int i = 0; i < nfiles; i++) {
        const tp_ingest_summary *s = &sums[i];
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        const char *name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
        if (s->format != NULL && (strcmp(s->format, "invocation-log") == 0 ||
                                  strcmp(s->format, "logs-insights") == 0)) {
            print_log_summary(name, s);
            continue;
        }
        if (s->points == 0) {
            printf("%s: %s, no datapoints\n", name, s->format ? s->format : "?");
            continue;
        }
        /* two lines, so that the counts stay within 100 columns beside a file name */
        printf("%s: %s, %zu point%s in %zu series, %s .. %s\n", name, s->format, s->points,
               s->points == 1 ? "" : "s", s->series, tp_time_format(s->first_minute * 60, a),
               tp_time_format(s->last_minute * 60, b));
        printf("  %zu new, %zu replaced, %zu unchanged, %zu kept newer\n", s->inserted,
               s->replaced, s->unchanged, s->kept_newer);
    }
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

/* Expands the inputs, stores them in one command and prints what each contributed. */
static int run_ingest(const char *db, const tp_ingest_options *io, char **args, int nargs,
                      int quiet)
{
    int rc = 0;
    tp_error err;
    tp_store *store = NULL;
    tp_ingest *ing = NULL;
    tp_ingest_summary *sums = NULL;
    char **files = NULL;
    int nfiles = 0;
    tp_error_clear(&err);
    if (expand_inputs(args, nargs, &files, &nfiles, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    sums = calloc((size_t)nfiles + 1, sizeof *sums);
    if (sums == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        rc = EXIT_FAIL;
        goto cleanup;
    }
    if (open_db(db, 1, &store, &err) != TP_OK ||
        tp_ingest_begin(store, io, &ing, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    if (ingest_inputs(ing, (const char *const *)files, (size_t)nfiles, sums, &err) != TP_OK) {
        rc = fail(&err);
        fprintf(stderr, "%s: nothing from this command was stored\n", prog);
        goto cleanup;
    }
    if (tp_ingest_commit(ing, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    if (!quiet)
        print_summaries(files, sums, nfiles);
cleanup:
    tp_strv_free(files, (size_t)nfiles);
    tp_ingest_free(ing);
    tp_store_close(store);
    free(sums);
    return rc;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"model", required_argument, NULL, 'm'},
        {"metric", required_argument, NULL, 'M'}, {"tier", required_argument, NULL, 't'},
        {"period", required_argument, NULL, 'p'}, {"max-input-mb", required_argument, NULL, 'x'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"as-of", required_argument, NULL, 'a'},  BUSY_TIMEOUT_LONG_OPTION,
        {"attribute-by", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0}};
    tp_ingest_options io = {0};
    const char *db = NULL;
    int quiet = 0, c, rc = 0;
    long v;
    io.warn = print_warning;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case OPT_BUSY_TIMEOUT:
            if ((rc = busy_timeout_option("ingest", optarg)) != 0)
                return rc;
            break;
        case 'm': io.model = optarg; break;
        case 'M':
            if (!tp_metric_is_known(optarg))
                return usage_error("ingest", "--metric: unknown metric \"%s\" (docs/formats.md "
                                             "lists the metrics tierplan reads)",
                                   optarg);
            io.metric = optarg;
            break;
        case 't': io.tier = optarg; break;
        case 'p':
            if (parse_int(optarg, 60, 86400, &v) != 0 || v % 60 != 0)
                return usage_error("ingest", "--period: \"%s\" is not a multiple of 60 from 60 "
                                             "to 86400",
                                   optarg);
            io.period_s = (int)v;
            break;
        case 'x':
            if (parse_int(optarg, 1, 1L << 20, &v) != 0)
                return usage_error("ingest", "--max-input-mb: \"%s\" is not a number from 1 to "
                                             "1048576",
                                   optarg);
            io.max_file_bytes = (size_t)v << 20;
            break;
        case 'a':
            if (tp_time_parse(optarg, strlen(optarg), &io.as_of_s, NULL) != TP_OK ||
                io.as_of_s <= 0)
                return usage_error("ingest", "--as-of: \"%s\" is not an ISO 8601 time after "
                                             "1970",
                                   optarg);
            break;
        case 'A':
            if (!attribute_by_valid(optarg))
                return usage_error("ingest", "--attribute-by: \"%s\" is not identity, "
                                             "operation, region or metadata:KEY",
                                   optarg);
            io.attribute_by = optarg;
            break;
        case 'q': quiet = 1; break;
        case 'h': fputs(ingest_usage, stdout); return 0;
        default: return usage_error("ingest", "%s", "invalid option");
        }
    }
    if (optind >= argc)
        return usage_error("ingest", "%s", "no input files (give FILE... or - for stdin)");
    rc = run_ingest(db, &io, &argv[optind], argc - optind, quiet);
    return rc;
}
