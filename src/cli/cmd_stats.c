/* cmd_stats.c - the commands that read stored points back: stats, export and export-cmd. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "optable.h"
#include "options.h"

/* ---- stats ---- */

static const cli_opt stats_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("only this model (default: every model)"),
    CLI_OPTS_WINDOW,
    CLI_OPT_TIER_H("sum these resolved tiers, e.g. default,priority (default: the\n"
                   "model's total, else the sum of its tiers)"),
    CLI_OPT_PRICING_H("price catalog for the burn-down factors of effective input\n"
                      "(default: $TIERPLAN_PRICING, else data/pricing.json, else the\n"
                      "installed catalog; without one: cache read 0.1, cache write 1.0)"),
    CLI_OPT_FORMAT,
    CLI_OPTS_SOURCE_H("metrics or logs (default: metrics where the model has metric data\n"
                      "in the window, else invocation logs)"),
    CLI_OPTS_PLACE,
    CLI_OPT_BUSY_TIMEOUT,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(stats_opts);

static const cli_table stats_table = {
    "usage: tierplan stats [OPTIONS]\n"
    "\n"
    "Prints P25, P50, P90, P99, max and mean tokens per minute of input, output, cache-read\n"
    "and cache-write tokens for each model, over every minute of the window: minutes with\n"
    "no datapoint count as zero (CloudWatch omits idle minutes). A model stored in several\n"
    "regions or accounts gets one entry per place; --region and --account keep some.\n"
    "\n"
    "options:\n",
    21, stats_opts,
    "Where a model has both metric exports and invocation logs, the text output ends with\n"
    "the logs/metrics token ratio over the metric window (logs cover only the Converse and\n"
    "InvokeModel families, so they can hold fewer tokens).\n"};

int cmd_stats(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &stats_table);
    demand_opts o = {0};
    tp_stats_request req = {0};
    tp_pricing *pricing = NULL;
    char *out = NULL;
    int c, rc = 0;
    tp_error err;
    tp_store *store = NULL;
    tp_stats_report *stats = NULL;
    tp_error_clear(&err);
    o.fmt = TP_FORMAT_TEXT;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        int taken = demand_option(&o, "stats", c, optarg);
        if (taken != OPT_NOT_MINE) {
            if ((rc = taken) != 0)
                goto cleanup;
            continue;
        }
        if (c == 'h') {
            cli_help_print(&stats_table, stdout);
            goto cleanup;
        }
        rc = usage_error("stats", "%s", "invalid option");
        goto cleanup;
    }
    if (optind < argc) {
        rc = usage_error("stats", "unexpected argument \"%s\"", argv[optind]);
        goto cleanup;
    }
    if ((rc = window_check(&o, "stats")) != 0)
        goto cleanup;
    /* without --pricing a missing catalog is fine: stats falls back to default factors */
    if (open_pricing(o.pricing_path, o.pricing_path != NULL, &pricing, &err) != 0) {
        rc = fail(&err);
        goto cleanup;
    }
    req.model = o.q.model;
    req.has_from = o.q.has_from;
    req.has_to = o.q.has_to;
    req.from_minute = o.q.from_minute;
    req.to_minute = o.q.to_minute;
    req.window = o.q.window;
    req.tiers = o.q.tiers;
    req.n_tiers = o.q.n_tiers;
    req.pricing = pricing;
    req.source = o.q.source;
    req.keys = o.q.keys;
    req.n_keys = o.q.n_keys;
    req.region = o.q.region;
    req.account = o.q.account;
    req.merge_regions = o.q.merge_regions;
    req.field_name = cli_option_name; /* an omitted model's reason names the options */
    req.compare_sources = o.fmt == TP_FORMAT_TEXT; /* only the text shows the comparison */
    if (open_db(o.db, 0, &store, &err) != TP_OK ||
        tp_stats_report_compute(store, &req, &stats, &err) != TP_OK ||
        tp_report_stats(&req, stats, o.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    for (size_t i = 0; i < stats->n; i++) {
        char msg[1024];
        const tp_series *s = stats->models[i].series;
        if (tp_series_merge_warning(tp_series_model(s), tp_series_region(s),
                                    tp_series_account(s), msg, sizeof msg))
            print_warning(NULL, msg);
    }
    print_report(out, o.fmt); /* its text ends with the logs/metrics token ratios */
cleanup:
    free(out);
    tp_stats_report_free(stats);
    demand_opts_free(&o);
    tp_pricing_free(pricing);
    tp_store_close(store);
    return rc;
}

/* ---- export ---- */

static const cli_opt export_opts[] = {
    CLI_OPT_DB,
    CLI_OPT_MODEL_H("only this model (default: every model)"),
    {"format", required_argument, 'F', 0, "--format csv", "the output format (csv is the only one)",
     NULL},
    CLI_OPT_OUTPUT_H("write to FILE instead of standard output; FILE is replaced only\n"
                     "once the whole export is written (never left half-written)"),
    {"region", required_argument, OPT_REGION, 0, "--region R",
     "only data recorded in region R (unknown: data without a region)", "region"},
    {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",
     "only data of AWS account ID (unknown: data without one)", "account"},
    CLI_OPT_BUSY_TIMEOUT,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(export_opts);

static const cli_table export_table = {
    "usage: tierplan export [OPTIONS]\n"
    "\n"
    "Writes everything stored, metric points and invocation log sums, as CSV\n"
    "(timestamp,model,metric,value,tier,service_tier,period_s,region,account,source,\n"
    "attribute_by,key), a file 'tierplan ingest' reads back into an empty database: the same\n"
    "points and sums, not the export spans (coverage), each series' as-of time or the\n"
    "ingests table (docs/formats.md).\n"
    "\n"
    "options:\n",
    21, export_opts, ""};

/* err = "PATH: cannot write: REASON" for errno value e (0: unknown). Returns -1. */
static int write_failed(tp_error *err, const char *path, int e)
{
    tp_error_set(err, TP_ERR_IO, "%s: cannot write: %s", path,
                 e != 0 ? strerror(e) : "write error");
    return -1;
}

/* Exports to path without ever leaving a partial file there: the CSV goes to a temporary
 * file beside it (same directory, so that rename is atomic), reaches the disk (fsync) and only
 * then replaces path. On any error the temporary file is removed and path is untouched.
 * 0, or -1 with err set. */
static int export_to_file(tp_store *store, const char *model, const char *region,
                          const char *account, const char *path, tp_error *err)
{
    static const char suffix[] = ".tmp.XXXXXX";
    const size_t n = strlen(path);
    char *tmp = malloc(n + sizeof suffix);
    FILE *f = NULL;
    int rc = -1, fd = -1, created = 0;
    if (tmp == NULL) {
        tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, suffix, sizeof suffix);
    if ((fd = mkstemp(tmp)) < 0) {
        write_failed(err, path, errno);
        goto cleanup;
    }
    created = 1;
    /* mkstemp creates 0600; the export is an ordinary file like one fopen would create */
    const mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || (f = fdopen(fd, "w")) == NULL) {
        write_failed(err, path, errno);
        close(fd);
        goto cleanup;
    }
    if (tp_store_export_csv_at(store, model, region, account, f, NULL, err) != TP_OK) {
        if (ferror(f)) { /* else a database error: err says which */
            errno = 0;
            fflush(f); /* tries the unwritten rest again, so that errno says why it fails */
            write_failed(err, path, errno);
        }
        goto cleanup;
    }
    FILE *closing = f;
    f = NULL;
    /* fsync: a full disk on a file system that allocates late shows here, not at rename */
    if (fsync(fileno(closing)) != 0) {
        write_failed(err, path, errno);
        fclose(closing);
        goto cleanup;
    }
    if (fclose(closing) != 0 || rename(tmp, path) != 0) {
        write_failed(err, path, errno);
        goto cleanup;
    }
    created = 0; /* renamed: it is path now */
    rc = 0;
cleanup:
    if (f != NULL)
        fclose(f);
    if (created)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* A filter that matches nothing is an error naming it (exit 1: no data), not an empty CSV. */
static tp_status export_filter_check(tp_store *store, const char *model, const char *region,
                                     const char *account, tp_error *err)
{
    tp_store_place *v = NULL;
    size_t n = 0, match = 0;
    tp_status rc = tp_store_places(store, model, &v, &n, err);
    for (size_t i = 0; i < n && rc == TP_OK; i++)
        match += (region == NULL || strcmp(v[i].region, region) == 0) &&
                 (account == NULL || strcmp(v[i].account, account) == 0);
    tp_store_places_free(v, n);
    if (rc != TP_OK || match > 0)
        return rc;
    return tp_error_set(err, TP_ERR_NOT_FOUND, "no data stored%s%s%s%s%s%s",
                        model != NULL ? " for model " : "", model != NULL ? model : "",
                        region != NULL ? " in region " : "",
                        region != NULL ? tp_store_place_name(region) : "",
                        account != NULL ? (region != NULL ? ", account " : " in account ") : "",
                        account != NULL ? tp_store_place_name(account) : "");
}

int cmd_export(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &export_table);
    const char *db = NULL, *model = NULL, *path = NULL, *region = NULL, *account = NULL;
    int c, rc = 0;
    tp_error err;
    tp_store *store = NULL;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case OPT_BUSY_TIMEOUT:
            if ((rc = busy_timeout_option("export", optarg)) != 0)
                return rc;
            break;
        case 'm': model = optarg; break;
        case 'F':
            if (strcmp(optarg, "csv") != 0)
                return usage_error("export", "--format: \"%s\" is not supported (csv)", optarg);
            break;
        case 'o': path = optarg; break;
        case OPT_REGION:
            if ((rc = place_option("export", c, optarg, &region)) != 0)
                return rc;
            break;
        case OPT_ACCOUNT:
            if ((rc = place_option("export", c, optarg, &account)) != 0)
                return rc;
            break;
        case 'h': cli_help_print(&export_table, stdout); return 0;
        default: return usage_error("export", "%s", "invalid option");
        }
    }
    if (optind < argc)
        return usage_error("export", "unexpected argument \"%s\"", argv[optind]);
    if (open_db(db, 0, &store, &err) != TP_OK ||
        ((model != NULL || region != NULL || account != NULL) &&
         export_filter_check(store, model, region, account, &err) != TP_OK)) {
        rc = fail(&err);
        goto cleanup;
    }
    if (path != NULL ? export_to_file(store, model, region, account, path, &err) != 0
                     : tp_store_export_csv_at(store, model, region, account, stdout, NULL,
                                              &err) != TP_OK)
        rc = fail(&err);
cleanup:
    tp_store_close(store);
    return rc;
}

/* ---- export-cmd ---- */

static const cli_opt exportcmd_opts[] = {
    /* CLI_OPT_MODEL_H's option, filling tp_awscmd_options.models */
    {"model", required_argument, 'm', 0, "--model ID",
     "model id, inference profile id or ARN (required; repeat for more)", "models"},
    {"days", required_argument, 'n', 0, "--days N",
     "days of history before the end, 1 to 455 (default: 14)", "days"},
    {"end", required_argument, 'e', 0, "--end T",
     "end of the export (ISO 8601; default: now), rounded down to the\n"
     "minute and each command's period", "end_s"},
    {"since-store", no_argument, 'S', 0, "--since-store",
     "start each model where its data in the database ends, less\n"
     "--overlap-minutes for late datapoints (a model not stored yet:\n"
     "--days)", NULL},
    {"overlap-minutes", required_argument, 'o', 0, "--overlap-minutes N",
     "overlap with the stored data, 0 to 10080 (default: 60)", NULL},
    CLI_OPT_DB_H("database file for --since-store (default: $TIERPLAN_DB, else\n"
                 "./" TP_DEFAULT_DB ")"),
    {"now", required_argument, 'N', 0, "--now T",
     "when the commands will run (default: now), for reproducible output", "now_s"},
    {"region", required_argument, OPT_REGION, 0, "--region R",
     "export from region R (us-east-1): --region in every aws command,\n"
     "Region=R in every label (ingest stores the data under R), R in\n"
     "the file names; --since-store reads R's data (default: the AWS\n"
     "CLI's region, data stored without a region)", "region"},
    {"account", required_argument, OPT_ACCOUNT, 0, "--account ID",
     "label the data Account=ID (the AWS account, 12 digits)", "account"},
    {"profile", required_argument, 'p', 0, "--profile P",
     "run the aws commands with --profile P (the AWS CLI profile)", "profile"},
    CLI_OPT_BUSY_TIMEOUT,
    CLI_OPT_HELP,
    CLI_END};
CLI_OPTS_FIT(exportcmd_opts);

static const cli_table exportcmd_table = {
    "usage: tierplan export-cmd --model ID [--model ID ...] [--days N | --since-store] "
    "[OPTIONS]\n"
    "\n"
    "Prints aws cloudwatch get-metric-data commands that export each model's token metrics\n"
    "(input, output, cache read/write, invocations, throttles) with labels tierplan reads\n"
    "(Period=, Start= and End= of each command). CloudWatch answers 60 s periods for data up\n"
    "to 15 days old, 300 s up to 63 days, 3600 s up to 455 days (ages counted from when the\n"
    "command runs), so a span gets one command per period; the 60 s range starts 14 d 23 h\n"
    "before now. Files are named tierplan-MODEL[-REGION]-END-PERIODs.json: daily exports,\n"
    "and two regions' exports, never overwrite each other. Without --region (--profile) the\n"
    "region (credentials) come from your AWS CLI configuration and the data are stored\n"
    "without a region.\n"
    "\n"
    "options:\n",
    23, exportcmd_opts,
    "With --source logs: a Logs Insights export of invocation logs (export-cmd --source logs\n"
    "--help); with --source athena: invocation logs in S3 summed by Athena (export-cmd\n"
    "--source athena --help); with --provider azure|gcp|openai: another provider's token\n"
    "metrics (export-cmd --provider azure --help).\n"};

typedef struct exportcmd_args {
    model_list models;
    long days, overlap_min;
    int64_t end_s, now_s;
    int since_store, have_days;
    const char *db;
    const char *region, *account, *profile; /* checked by tp_awscmd_build_with */
} exportcmd_args;

static int exportcmd_option(exportcmd_args *a, int c, const char *arg)
{
    switch (c) {
    case 'm': return model_list_add(&a->models, "export-cmd", arg);
    case 'n':
        a->have_days = 1;
        if (parse_int(arg, 1, TP_AWSCMD_MAX_DAYS, &a->days) != 0)
            return usage_error("export-cmd", "--days: \"%s\" is not a number from 1 to 455", arg);
        return 0;
    case 'e':
    case 'N':
        if (tp_timestamp_parse(arg, strlen(arg), c == 'e' ? &a->end_s : &a->now_s, NULL) != TP_OK ||
            (c == 'e' ? a->end_s : a->now_s) <= 0)
            return usage_error("export-cmd", "--%s: \"%s\" is not an ISO 8601 time after 1970",
                               c == 'e' ? "end" : "now", arg);
        return 0;
    case 'S': a->since_store = 1; return 0;
    case 'o':
        if (parse_int(arg, 0, 10080, &a->overlap_min) != 0)
            return usage_error("export-cmd", "--overlap-minutes: \"%s\" is not a number from 0 "
                                             "to 10080",
                               arg);
        return 0;
    case 'd': a->db = arg; return 0;
    case OPT_REGION:
    case OPT_ACCOUNT:
        /* checked here too, before --since-store opens the database: a usage error first */
        if (c == OPT_REGION ? !tp_store_region_valid(arg) : !tp_store_account_valid(arg))
            return usage_error("export-cmd",
                               c == OPT_REGION ? "--region: \"%s\" is not a region name "
                                                 "(us-east-1, eu-west-1, ...)"
                                               : "--account: \"%s\" is not an AWS account id "
                                                 "(12 digits)",
                               arg);
        *(c == OPT_REGION ? &a->region : &a->account) = arg;
        return 0;
    case 'p': a->profile = arg; return 0;
    case OPT_BUSY_TIMEOUT: return busy_timeout_option("export-cmd", arg);
    case 'h': cli_help_print(&exportcmd_table, stdout); return OPT_HELP;
    default: return usage_error("export-cmd", "%s", "invalid option");
    }
}

/* Each model's start: where its stored data ends, less the overlap (-1: not stored). */
static int since_store(const exportcmd_args *a, int64_t *start_s)
{
    tp_store *store = NULL;
    tp_error err;
    int rc = 0;
    if (open_db(a->db, 0, &store, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    for (size_t i = 0; i < a->models.n; i++) {
        int64_t end_minute = 0;
        int found = 0;
        /* without --region, one region's end must not stand for another's: a model stored in
         * several regions needs --region (the one the commands export from) */
        if (a->region == NULL) {
            tp_store_place *v = NULL;
            size_t n = 0, regions = 0;
            if (tp_store_places(store, a->models.ids[i], &v, &n, &err) != TP_OK) {
                rc = fail(&err);
                goto cleanup;
            }
            char list[256] = "";
            size_t used = 0;
            for (size_t k = 0; k < n; k++) {
                int seen = 0;
                for (size_t j = 0; j < k && !seen; j++)
                    seen = strcmp(v[j].region, v[k].region) == 0;
                if (seen)
                    continue;
                int w = snprintf(list + used, sizeof list - used, "%s%s", regions ? ", " : "",
                                 tp_store_place_name(v[k].region));
                if (w > 0 && (size_t)w < sizeof list - used)
                    used += (size_t)w;
                regions++;
            }
            tp_store_places_free(v, n);
            if (regions > 1) {
                rc = usage_error("export-cmd",
                                 "--since-store: model %s is stored in several regions (%s): "
                                 "pass --region, the one these commands export from",
                                 a->models.ids[i], list);
                goto cleanup;
            }
        }
        /* the region's data only: another region's newer data would skip this one's gap */
        if (tp_inventory_model_end_at(store, a->models.ids[i], a->region, a->account,
                                      &end_minute, &found, &err) != TP_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        start_s[i] = found ? end_minute * 60 - a->overlap_min * 60 : -1;
    }
cleanup:
    tp_store_close(store);
    return rc;
}

int cmd_export_cmd(int argc, char **argv)
{
    cli_getopt g;
    cli_getopt_init(&g, &exportcmd_table);
    exportcmd_args a = {0};
    tp_awscmd_options o = {0};
    int64_t *starts = NULL;
    char *out = NULL;
    int c, rc = 0;
    tp_error err;
    tp_error_clear(&err);
    if (export_cmd_wants_source(argc, argv, "logs"))
        return cmd_export_cmd_logs(argc, argv);
    if (export_cmd_wants_source(argc, argv, "athena"))
        return cmd_export_cmd_athena(argc, argv);
    if (export_cmd_wants_provider(argc, argv))
        return cmd_export_cmd_provider(argc, argv);
    a.days = 14;
    a.overlap_min = 60;
    while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1)
        if ((rc = exportcmd_option(&a, c, optarg)) != 0)
            goto cleanup;
    if (optind < argc) {
        rc = usage_error("export-cmd", "unexpected argument \"%s\"", argv[optind]);
        goto cleanup;
    }
    if (a.models.n == 0) {
        rc = usage_error("export-cmd", "%s", "--model is required");
        goto cleanup;
    }
    o.models = a.models.ids;
    o.n_models = a.models.n;
    o.days = (int)a.days;
    o.now_s = a.now_s > 0 ? a.now_s : (int64_t)time(NULL);
    o.end_s = a.end_s;
    o.region = a.region;
    o.account = a.account;
    o.profile = a.profile;
    if (a.since_store) {
        if ((starts = malloc(a.models.n * sizeof *starts)) == NULL) {
            rc = usage_error("export-cmd", "%s", "out of memory");
            goto cleanup;
        }
        if ((rc = since_store(&a, starts)) != 0)
            goto cleanup;
        o.start_s = starts;
    }
    if (tp_awscmd_build_with(&o, &out, &err) != TP_OK) {
        rc = err.status == TP_ERR_USAGE ? lib_usage_error("export-cmd", &err) : fail(&err);
        goto cleanup;
    }
    print_report(out, TP_FORMAT_TEXT);
cleanup:
    if (rc == OPT_HELP)
        rc = 0;
    /* a job runs the commands printed: an export that cannot be made is a failed step (3),
     * never the 1 of a verdict (a span CloudWatch no longer keeps, no database) */
    if (rc == EXIT_VERDICT)
        rc = EXIT_FAIL;
    free(out);
    free(starts);
    model_list_free(&a.models);
    return rc;
}
