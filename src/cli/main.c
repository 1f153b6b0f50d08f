/* main.c - the tierplan command line: parses arguments, calls libtierplan, prints results. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tierplan/tierplan.h"

enum { EXIT_FAIL = 1, EXIT_USAGE = 2 };

static const char *prog = "tierplan";

static const char *main_usage =
    "usage: tierplan COMMAND [OPTIONS]\n"
    "\n"
    "Plan reserved LLM inference capacity from CloudWatch token metrics.\n"
    "\n"
    "commands:\n"
    "  ingest      load CloudWatch exports or CSV into the database\n"
    "  stats       P25/P50/P90/P99/max/mean TPM per model\n"
    "  simulate    cost of a reservation with per-minute spillover to on-demand\n"
    "  recommend   the reservation to buy: exact cost optimum, service levels, terms\n"
    "  export      write stored points as CSV\n"
    "  export-cmd  print aws commands that export what tierplan needs\n"
    "  version     print the version\n"
    "\n"
    "Every command takes --db PATH (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "and --help. Exit status: 0 success, 1 failure, 2 usage error.\n";

static int usage_error(const char *cmd, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s %s: ", prog, cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry '%s %s --help'\n", prog, cmd);
    return EXIT_USAGE;
}

static int fail(const tp_error *err)
{
    fprintf(stderr, "%s: error: %s\n", prog, err->message);
    return EXIT_FAIL;
}

static const char *db_path(const char *opt)
{
    if (opt != NULL)
        return opt;
    const char *env = getenv("TIERPLAN_DB");
    return env != NULL && env[0] != '\0' ? env : TP_DEFAULT_DB;
}

static void print_warning(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s: warning: %s\n", prog, msg);
}

/* Prints a rendered report; JSON gets the newline cJSON leaves off. */
static void print_report(const char *out, tp_format fmt)
{
    fputs(out, stdout);
    if (fmt == TP_FORMAT_JSON)
        fputc('\n', stdout);
}

/* Parses a whole decimal integer within [lo, hi]. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_minute(const char *s, int64_t *out_minute)
{
    int64_t t;
    if (tp_time_parse(s, strlen(s), &t) != TP_OK)
        return -1;
    *out_minute = t >= 0 ? t / 60 : -((-t + 59) / 60);
    return 0;
}

/* The price catalog: --pricing, else $TIERPLAN_PRICING, else ./data/pricing.json (a
 * checkout), else the installed copy. required: fail when none is found. */
static int open_pricing(const char *opt, int required, tp_pricing **out, tp_error *err)
{
    const char *env = getenv("TIERPLAN_PRICING");
    const char *path = opt != NULL                     ? opt
                       : env != NULL && env[0] != '\0' ? env
                       : access("data/pricing.json", R_OK) == 0 ? "data/pricing.json"
                       : access(TP_PRICING_INSTALLED, R_OK) == 0 ? TP_PRICING_INSTALLED
                                                                : NULL;
    *out = NULL;
    if (path == NULL) {
        if (!required)
            return 0;
        tp_error_set(err, TP_ERR_NOT_FOUND,
                     "no price catalog: pass --pricing FILE or set TIERPLAN_PRICING (tierplan "
                     "ships data/pricing.json)");
        return -1;
    }
    return tp_pricing_load(path, out, err) == TP_OK ? 0 : -1;
}

/* ---- ingest ---- */

static const char *ingest_usage =
    "usage: tierplan ingest [OPTIONS] FILE... | -\n"
    "\n"
    "Loads CloudWatch exports into the database in one transaction: if any file is bad,\n"
    "nothing of the command is stored. The format is detected from the content:\n"
    "  - aws cloudwatch get-metric-data output (several pages or documents are merged)\n"
    "  - aws cloudwatch get-metric-statistics output (the Sum statistic)\n"
    "  - CSV: timestamp,model,metric,value[,tier] (header optional; also what export writes)\n"
    "'-' reads standard input.\n"
    "\n"
    "options:\n"
    "  --db PATH          database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID         model id for all data (default: ModelId= in each label)\n"
    "  --metric NAME      metric for all data (default: the metric named in each label)\n"
    "  --tier T           resolved service tier for all data (default: none, the total)\n"
    "  --period SECONDS   period of the data, a multiple of 60 (default: Period= in the\n"
    "                     label, else inferred from timestamp spacing)\n"
    "  --max-input-mb N   refuse files larger than N MiB (default: 256)\n"
    "  -q, --quiet        print no per-file summary\n"
    "  -h, --help         show this help\n";

static int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"model", required_argument, NULL, 'm'},
        {"metric", required_argument, NULL, 'M'}, {"tier", required_argument, NULL, 't'},
        {"period", required_argument, NULL, 'p'}, {"max-input-mb", required_argument, NULL, 'x'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    tp_ingest_options io = {0};
    const char *db = NULL;
    int quiet = 0, c, rc = 0;
    long v;
    tp_error err;
    tp_store *store = NULL;
    tp_ingest *ing = NULL;
    tp_ingest_summary *sums = NULL;
    tp_error_clear(&err);
    io.warn = print_warning;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'm': io.model = optarg; break;
        case 'M': io.metric = optarg; break;
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
        case 'q': quiet = 1; break;
        case 'h': fputs(ingest_usage, stdout); return 0;
        default: return usage_error("ingest", "%s", "invalid option");
        }
    }
    if (optind >= argc)
        return usage_error("ingest", "%s", "no input files (give FILE... or - for stdin)");
    int nfiles = argc - optind;
    sums = calloc((size_t)nfiles, sizeof *sums);
    if (sums == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return EXIT_FAIL;
    }
    if (tp_store_open(db_path(db), &store, &err) != TP_OK ||
        tp_ingest_begin(store, &io, &ing, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    if (tp_ingest_files(ing, (const char *const *)&argv[optind], (size_t)nfiles, sums, &err) !=
        TP_OK) {
        rc = fail(&err);
        fprintf(stderr, "%s: nothing from this command was stored\n", prog);
        goto cleanup;
    }
    if (tp_ingest_commit(ing, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    for (int i = 0; i < nfiles && !quiet; i++) {
        const tp_ingest_summary *s = &sums[i];
        char a[TP_TIME_BUF], b[TP_TIME_BUF];
        const char *name = strcmp(argv[optind + i], "-") == 0 ? "<stdin>" : argv[optind + i];
        if (s->points == 0) {
            printf("%s: %s, no datapoints\n", name, s->format ? s->format : "?");
            continue;
        }
        printf("%s: %s, %zu points in %zu series, %s .. %s, %zu new, %zu replaced, %zu "
               "unchanged\n",
               name, s->format, s->points, s->series, tp_time_format(s->first_minute * 60, a),
               tp_time_format(s->last_minute * 60, b), s->inserted, s->replaced, s->unchanged);
    }
cleanup:
    tp_ingest_free(ing);
    tp_store_close(store);
    free(sums);
    return rc;
}

/* ---- stats ---- */

static const char *stats_usage =
    "usage: tierplan stats [OPTIONS]\n"
    "\n"
    "Prints P25, P50, P90, P99, max and mean tokens per minute of input, output, cache-read\n"
    "and cache-write tokens for each model, over every minute of the window: minutes with\n"
    "no datapoint count as zero (CloudWatch omits idle minutes).\n"
    "\n"
    "options:\n"
    "  --db PATH          database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID         only this model (default: every model)\n"
    "  --from T           window start, inclusive (ISO 8601, UTC unless an offset is given)\n"
    "  --to T             window end, exclusive (default: the model's first to last minute)\n"
    "  --tier LIST        sum these resolved tiers, e.g. default,priority (default: the\n"
    "                     model's total, else the sum of its tiers)\n"
    "  --pricing FILE     price catalog for the burn-down factors of effective input\n"
    "                     (default: $TIERPLAN_PRICING, else data/pricing.json, else the\n"
    "                     installed catalog; without one: cache read 0.1, cache write 1.0)\n"
    "  --format F         text (default), json or csv\n"
    "  -h, --help         show this help\n";

static int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"model", required_argument, NULL, 'm'},
        {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
        {"tier", required_argument, NULL, 'T'}, {"format", required_argument, NULL, 'F'},
        {"pricing", required_argument, NULL, 'P'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    tp_stats_request req = {0};
    const char *pricing_path = NULL;
    tp_pricing *pricing = NULL;
    tp_format fmt = TP_FORMAT_TEXT;
    const char *db = NULL;
    char *tiers_buf = NULL, *out = NULL;
    const char *tiers[16];
    int c, rc = 0;
    tp_error err;
    tp_store *store = NULL;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'm': req.model = optarg; break;
        case 'f':
            if (parse_minute(optarg, &req.from_minute) != 0)
                return usage_error("stats", "--from: \"%s\" is not an ISO 8601 timestamp",
                                   optarg);
            req.has_from = 1;
            break;
        case 't':
            if (parse_minute(optarg, &req.to_minute) != 0)
                return usage_error("stats", "--to: \"%s\" is not an ISO 8601 timestamp", optarg);
            req.has_to = 1;
            break;
        case 'T':
            free(tiers_buf);
            tiers_buf = strdup(optarg);
            if (tiers_buf == NULL)
                return EXIT_FAIL;
            req.n_tiers = 0;
            for (char *save = NULL, *t = strtok_r(tiers_buf, ",", &save); t != NULL;
                 t = strtok_r(NULL, ",", &save)) {
                if (req.n_tiers == 16) {
                    free(tiers_buf);
                    return usage_error("stats", "--tier: %s", "at most 16 tiers");
                }
                tiers[req.n_tiers++] = t;
            }
            req.tiers = tiers;
            break;
        case 'F':
            if (tp_format_parse(optarg, &fmt, &err) != TP_OK) {
                free(tiers_buf);
                return usage_error("stats", "%s", err.message);
            }
            break;
        case 'P': pricing_path = optarg; break;
        case 'h': free(tiers_buf); fputs(stats_usage, stdout); return 0;
        default: free(tiers_buf); return usage_error("stats", "%s", "invalid option");
        }
    }
    if (optind < argc) {
        free(tiers_buf);
        return usage_error("stats", "unexpected argument \"%s\"", argv[optind]);
    }
    if (req.has_from && req.has_to && req.to_minute <= req.from_minute) {
        free(tiers_buf);
        return usage_error("stats", "%s", "--to must be after --from");
    }
    if (open_pricing(pricing_path, pricing_path != NULL, &pricing, &err) != 0) {
        rc = fail(&err);
        goto cleanup;
    }
    req.pricing = pricing;
    if (tp_store_open(db_path(db), &store, &err) != TP_OK ||
        tp_report_stats(store, &req, fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, fmt);
cleanup:
    free(out);
    free(tiers_buf);
    tp_pricing_free(pricing);
    tp_store_close(store);
    return rc;
}

static int parse_tpm(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= 0) || v > 1e15)
        return -1;
    *out = v;
    return 0;
}

/* ---- options shared by simulate and recommend ---- */

/* The demand window, tiers, prices and spill handling a reservation is evaluated under. */
typedef struct plan_opts {
    const char *db, *pricing_path;
    tp_series_query q;
    const char *tiers[16];
    char *tiers_buf; /* owned: strtok_r'd copy of --tier */
    tp_spill_model spill_model;
    tp_spill_to spill_to;
    double quota_tpm;
    tp_format fmt;
} plan_opts;

enum { OPT_NOT_MINE = -1 };

/* Handles one option common to simulate and recommend: 0 when taken, OPT_NOT_MINE when not
 * one of them, else the usage-error exit code. */
static int plan_option(plan_opts *po, const char *cmd, int c, const char *arg)
{
    tp_error err;
    switch (c) {
    case 'd': po->db = arg; return 0;
    case 'm': po->q.model = arg; return 0;
    case 'P': po->pricing_path = arg; return 0;
    case 's':
        return tp_spill_to_parse(arg, &po->spill_to, &err) == TP_OK
                   ? 0
                   : usage_error(cmd, "%s", err.message);
    case 'S':
        return tp_spill_model_parse(arg, &po->spill_model, &err) == TP_OK
                   ? 0
                   : usage_error(cmd, "%s", err.message);
    case 'q':
        if (parse_tpm(arg, &po->quota_tpm) != 0 || po->quota_tpm <= 0)
            return usage_error(cmd, "--quota-tpm: \"%s\" is not a TPM > 0", arg);
        return 0;
    case 'f':
        if (parse_minute(arg, &po->q.from_minute) != 0)
            return usage_error(cmd, "--from: \"%s\" is not an ISO 8601 timestamp", arg);
        po->q.has_from = 1;
        return 0;
    case 't':
        if (parse_minute(arg, &po->q.to_minute) != 0)
            return usage_error(cmd, "--to: \"%s\" is not an ISO 8601 timestamp", arg);
        po->q.has_to = 1;
        return 0;
    case 'T':
        free(po->tiers_buf);
        if ((po->tiers_buf = strdup(arg)) == NULL)
            return EXIT_FAIL;
        po->q.n_tiers = 0;
        for (char *save = NULL, *t = strtok_r(po->tiers_buf, ",", &save); t != NULL;
             t = strtok_r(NULL, ",", &save)) {
            if (po->q.n_tiers == 16)
                return usage_error(cmd, "--tier: %s", "at most 16 tiers");
            po->tiers[po->q.n_tiers++] = t;
        }
        po->q.tiers = po->tiers;
        return 0;
    case 'F':
        return tp_format_parse(arg, &po->fmt, &err) == TP_OK ? 0
                                                             : usage_error(cmd, "%s", err.message);
    default: return OPT_NOT_MINE;
    }
}

#define PLAN_LONG_OPTIONS                                                                      \
    {"db", required_argument, NULL, 'd'}, {"model", required_argument, NULL, 'm'},             \
        {"spill-to", required_argument, NULL, 's'},                                            \
        {"spill-model", required_argument, NULL, 'S'},                                         \
        {"quota-tpm", required_argument, NULL, 'q'}, {"from", required_argument, NULL, 'f'},   \
        {"to", required_argument, NULL, 't'}, {"tier", required_argument, NULL, 'T'},          \
        {"pricing", required_argument, NULL, 'P'}, {"format", required_argument, NULL, 'F'},   \
        {"help", no_argument, NULL, 'h'}

/* After parsing: checks shared by both commands (0, or the usage exit code). */
static int plan_check(const plan_opts *po, const char *cmd)
{
    if (po->q.model == NULL)
        return usage_error(cmd, "%s", "--model is required");
    if (po->q.has_from && po->q.has_to && po->q.to_minute <= po->q.from_minute)
        return usage_error(cmd, "%s", "--to must be after --from");
    return 0;
}

/* Loads the catalog, the model's prices and its demand. */
static int plan_load(const plan_opts *po, tp_pricing **pricing, tp_model_price *price,
                     tp_store **store, tp_series **series, tp_error *err)
{
    if (open_pricing(po->pricing_path, 1, pricing, err) != 0 ||
        tp_pricing_lookup(*pricing, po->q.model, price, print_warning, NULL, err) != TP_OK ||
        tp_store_open(db_path(po->db), store, err) != TP_OK ||
        tp_series_load(*store, &po->q, series, err) != TP_OK)
        return -1;
    return 0;
}

/* ---- simulate ---- */

static const char *simulate_usage =
    "usage: tierplan simulate --model ID --reserve-input-tpm N --reserve-output-tpm N [OPTIONS]\n"
    "\n"
    "Simulates a reservation minute by minute over the window: what the reservation serves,\n"
    "what spills over to on-demand, and what it all costs against running everything at\n"
    "on-demand Standard prices. The input reservation is in effective (burned-down) TPM:\n"
    "input + cache_write x w + cache_read x f, with the catalog's factors (0.1, 1.0 default).\n"
    "\n"
    "options:\n"
    "  --db PATH               database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID              the model (required)\n"
    "  --reserve-input-tpm N   reserved effective input TPM (required; 0 for none)\n"
    "  --reserve-output-tpm N  reserved output TPM (required; 0 for none)\n"
    "  --spill-to T            standard (default), priority, or none (overflow is throttled)\n"
    "  --spill-model M         coupled (default: a request needs both input and output\n"
    "                          capacity) or independent\n"
    "  --quota-tpm N           on-demand quota for spilled traffic (input + cache write +\n"
    "                          output x quota_output_weight); above it spill is throttled\n"
    "  --from T, --to T        the window, half-open UTC [from, to) (default: all data)\n"
    "  --tier LIST             sum these resolved tiers instead of the model's total\n"
    "  --pricing FILE          price catalog (default: $TIERPLAN_PRICING, else\n"
    "                          data/pricing.json, else the installed catalog)\n"
    "  --per-minute FILE.csv   write the minute-by-minute trace\n"
    "  --format F              text (default), json or csv\n"
    "  -h, --help              show this help\n";

static int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {
        PLAN_LONG_OPTIONS,
        {"reserve-input-tpm", required_argument, NULL, 'i'},
        {"reserve-output-tpm", required_argument, NULL, 'o'},
        {"per-minute", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0}};
    plan_opts po = {0};
    tp_sim_options so = {0};
    const char *trace_path = NULL;
    char *out = NULL;
    int c, rc = 0, have_in = 0, have_out = 0;
    tp_error err;
    tp_store *store = NULL;
    tp_pricing *pricing = NULL;
    tp_series *series = NULL;
    tp_model_price price;
    tp_sim_result result;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int taken = plan_option(&po, "simulate", c, optarg);
        if (taken != OPT_NOT_MINE) {
            if ((rc = taken) != 0)
                goto cleanup;
            continue;
        }
        switch (c) {
        case 'i':
            if (parse_tpm(optarg, &so.reserve_input_tpm) != 0) {
                rc = usage_error("simulate", "--reserve-input-tpm: \"%s\" is not a TPM >= 0",
                                 optarg);
                goto cleanup;
            }
            have_in = 1;
            break;
        case 'o':
            if (parse_tpm(optarg, &so.reserve_output_tpm) != 0) {
                rc = usage_error("simulate", "--reserve-output-tpm: \"%s\" is not a TPM >= 0",
                                 optarg);
                goto cleanup;
            }
            have_out = 1;
            break;
        case 'M': trace_path = optarg; break;
        case 'h': fputs(simulate_usage, stdout); goto cleanup;
        default: rc = usage_error("simulate", "%s", "invalid option"); goto cleanup;
        }
    }
    if (optind < argc) {
        rc = usage_error("simulate", "unexpected argument \"%s\"", argv[optind]);
        goto cleanup;
    }
    if ((rc = plan_check(&po, "simulate")) != 0)
        goto cleanup;
    if (!have_in || !have_out) {
        rc = usage_error("simulate", "%s",
                         "--reserve-input-tpm and --reserve-output-tpm are required");
        goto cleanup;
    }
    so.spill_model = po.spill_model;
    so.spill_to = po.spill_to;
    so.quota_tpm = po.quota_tpm;
    if (plan_load(&po, &pricing, &price, &store, &series, &err) != 0) {
        rc = fail(&err);
        goto cleanup;
    }
    if (trace_path != NULL && (so.trace = fopen(trace_path, "w")) == NULL) {
        tp_error_set(&err, TP_ERR_IO, "%s: cannot write", trace_path);
        rc = fail(&err);
        goto cleanup;
    }
    tp_demand demand = tp_series_demand(series);
    if (tp_sim_run(&demand, &price, &so, &result, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_sim_report rep = {series, pricing, &price, &so, &result};
    if (tp_report_sim(&rep, po.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, po.fmt);
cleanup:
    if (so.trace != NULL && fclose(so.trace) != 0 && rc == 0) {
        tp_error_set(&err, TP_ERR_IO, "%s: write error", trace_path);
        rc = fail(&err);
    }
    free(out);
    free(po.tiers_buf);
    tp_series_free(series);
    tp_store_close(store);
    tp_pricing_free(pricing);
    return rc;
}

/* ---- recommend ---- */

static const char *recommend_usage =
    "usage: tierplan recommend --model ID [OPTIONS]\n"
    "\n"
    "Sizes a reservation: simulates reservations at the P25/P50/P90/P99 of effective input\n"
    "and output TPM, the exact cost-optimal reservation on the catalog's grid (0, or the\n"
    "minimum plus whole steps), no reservation, and all Priority, and recommends one.\n"
    "\n"
    "options:\n"
    "  --db PATH                 database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID                the model (required)\n"
    "  --spill-to T              standard (default), priority, or none\n"
    "  --spill-model M           coupled (default) or independent\n"
    "  --quota-tpm N             on-demand quota for spilled traffic (optimum by exhaustive\n"
    "                            search of the grid: slow on long windows)\n"
    "  --max-spill-minutes-pct X the cheapest reservation with at most X%% of minutes spilling\n"
    "  --max-throttled-minutes N with --spill-to none: at most N throttled minutes (default 0)\n"
    "  --term-months N           commitment term, 1, 3 or 6 (a month is 730 hours); the\n"
    "                            catalog's term discount applies (default 1)\n"
    "  --scale F                 what-if: multiply all demand by F\n"
    "  --cache-hit-delta D       what-if: move D of the cacheable prompt (regular + cache\n"
    "                            read) from regular to cache-read tokens (negative: back)\n"
    "  --from T, --to T          the window, half-open UTC [from, to) (default: all data)\n"
    "  --tier LIST               sum these resolved tiers instead of the model's total\n"
    "  --pricing FILE            price catalog (default: $TIERPLAN_PRICING, else\n"
    "                            data/pricing.json, else the installed catalog)\n"
    "  --window-by month         a reservation per calendar month, compared with one flat\n"
    "                            reservation (each window at least the term)\n"
    "  --windows FILE            explicit windows: one from,to pair of timestamps per line\n"
    "  --train-until T           backtest: size on data before T, replay on data after it,\n"
    "                            next to the in-hindsight optimum for that later period\n"
    "  --force                   size even from less than a day of data\n"
    "  --format F                text (default), json or csv\n"
    "  -h, --help                show this help\n";

/* Seasonal windows or a backtest: the library plans, this prints. */
static int recommend_windows(const plan_opts *po, const tp_rec_options *ro, int by_month,
                             const char *windows_path, int have_train, int64_t train_until,
                             int force, tp_store *store, const tp_series *series,
                             const tp_pricing *pricing, const tp_model_price *price)
{
    tp_error err;
    tp_window *w = NULL;
    size_t n = 0;
    char *out = NULL;
    tp_seasonal *plan = NULL;
    tp_backtest bt;
    int rc = 0;
    tp_error_clear(&err);
    if (have_train) {
        if (tp_plan_backtest(store, &po->q, train_until, price, ro, force, &bt, &err) != TP_OK ||
            tp_report_backtest(po->q.model, pricing, price, ro, &bt, po->fmt, &out, &err) !=
                TP_OK)
            rc = fail(&err);
        goto done;
    }
    if (by_month) {
        int64_t from = tp_series_from_minute(series);
        if (tp_window_split_months(from, from + (int64_t)tp_series_minutes(series), &w, &n,
                                   &err) != TP_OK) {
            rc = fail(&err);
            goto done;
        }
    } else if (tp_window_load(windows_path, &w, &n, &err) != TP_OK) {
        rc = fail(&err);
        goto done;
    }
    if (tp_plan_seasonal(store, &po->q, w, n, price, ro, force, &plan, &err) != TP_OK ||
        tp_report_seasonal(po->q.model, pricing, price, ro, plan, po->fmt, &out, &err) != TP_OK)
        rc = fail(&err);
done:
    if (out != NULL)
        print_report(out, po->fmt);
    free(out);
    free(w);
    tp_plan_seasonal_free(plan);
    return rc;
}

static int cmd_recommend(int argc, char **argv)
{
    static const struct option opts[] = {
        PLAN_LONG_OPTIONS,
        {"max-spill-minutes-pct", required_argument, NULL, 'x'},
        {"max-throttled-minutes", required_argument, NULL, 'X'},
        {"term-months", required_argument, NULL, 'n'},
        {"scale", required_argument, NULL, 'k'},
        {"cache-hit-delta", required_argument, NULL, 'D'},
        {"force", no_argument, NULL, 'Z'},
        {"window-by", required_argument, NULL, 'W'},
        {"windows", required_argument, NULL, 'w'},
        {"train-until", required_argument, NULL, 'U'},
        {NULL, 0, NULL, 0}};
    plan_opts po = {0};
    tp_rec_options ro = {0};
    const char *windows_path = NULL;
    int by_month = 0, have_train = 0;
    int64_t train_until = 0;
    double scale = 1.0, delta = 0.0;
    int c, rc = 0, force = 0;
    long v;
    char *out = NULL, *end = NULL;
    tp_error err;
    tp_store *store = NULL;
    tp_pricing *pricing = NULL;
    tp_series *series = NULL;
    tp_whatif *whatif = NULL;
    tp_model_price price;
    tp_recommendation rec;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int taken = plan_option(&po, "recommend", c, optarg);
        if (taken != OPT_NOT_MINE) {
            if ((rc = taken) != 0)
                goto cleanup;
            continue;
        }
        switch (c) {
        case 'x':
            ro.max_spill_minutes_pct = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(ro.max_spill_minutes_pct >= 0) ||
                ro.max_spill_minutes_pct > 100) {
                rc = usage_error("recommend",
                                 "--max-spill-minutes-pct: \"%s\" is not a percentage", optarg);
                goto cleanup;
            }
            ro.has_max_spill_minutes_pct = 1;
            break;
        case 'X':
            if (parse_int(optarg, 0, LONG_MAX, &v) != 0) {
                rc = usage_error("recommend", "--max-throttled-minutes: \"%s\" is not a count",
                                 optarg);
                goto cleanup;
            }
            ro.has_max_throttled_minutes = 1;
            ro.max_throttled_minutes = v;
            break;
        case 'n':
            if (parse_int(optarg, 1, 6, &v) != 0 || (v != 1 && v != 3 && v != 6)) {
                rc = usage_error("recommend", "--term-months: \"%s\" is not 1, 3 or 6", optarg);
                goto cleanup;
            }
            ro.term_months = (int)v;
            break;
        case 'k':
            scale = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(scale >= 0) || scale > 1e6) {
                rc = usage_error("recommend", "--scale: \"%s\" is not a factor >= 0", optarg);
                goto cleanup;
            }
            break;
        case 'D':
            delta = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(delta >= -1 && delta <= 1)) {
                rc = usage_error("recommend", "--cache-hit-delta: \"%s\" is not within [-1, 1]",
                                 optarg);
                goto cleanup;
            }
            break;
        case 'Z': force = 1; break;
        case 'W':
            if (strcmp(optarg, "month") != 0) {
                rc = usage_error("recommend", "--window-by: \"%s\" is not \"month\"", optarg);
                goto cleanup;
            }
            by_month = 1;
            break;
        case 'w': windows_path = optarg; break;
        case 'U':
            if (parse_minute(optarg, &train_until) != 0) {
                rc = usage_error("recommend", "--train-until: \"%s\" is not an ISO 8601 "
                                              "timestamp",
                                 optarg);
                goto cleanup;
            }
            have_train = 1;
            break;
        case 'h': fputs(recommend_usage, stdout); goto cleanup;
        default: rc = usage_error("recommend", "%s", "invalid option"); goto cleanup;
        }
    }
    if (optind < argc) {
        rc = usage_error("recommend", "unexpected argument \"%s\"", argv[optind]);
        goto cleanup;
    }
    if ((rc = plan_check(&po, "recommend")) != 0)
        goto cleanup;
    if (ro.has_max_throttled_minutes && po.spill_to != TP_SPILL_TO_NONE && po.quota_tpm <= 0) {
        rc = usage_error("recommend", "%s",
                         "--max-throttled-minutes needs --spill-to none (without a quota "
                         "nothing else is throttled)");
        goto cleanup;
    }
    if (by_month + (windows_path != NULL) + have_train > 1) {
        rc = usage_error("recommend", "%s",
                         "--window-by, --windows and --train-until exclude each other");
        goto cleanup;
    }
    if ((by_month || windows_path != NULL || have_train) && (scale != 1 || delta != 0)) {
        rc = usage_error("recommend", "%s",
                         "--scale and --cache-hit-delta apply to a single window only");
        goto cleanup;
    }
    ro.spill_model = po.spill_model;
    ro.spill_to = po.spill_to;
    ro.quota_tpm = po.quota_tpm;
    if (plan_load(&po, &pricing, &price, &store, &series, &err) != 0) {
        rc = fail(&err);
        goto cleanup;
    }
    if (by_month || windows_path != NULL || have_train) {
        rc = recommend_windows(&po, &ro, by_month, windows_path, have_train, train_until, force,
                               store, series, pricing, &price);
        goto cleanup;
    }
    if (tp_plan_check_window(series, force, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_demand demand = tp_series_demand(series);
    if (tp_whatif_apply(&demand, scale, delta, &whatif, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    demand = tp_whatif_demand(whatif);
    if (tp_rec_run(&demand, &price, &ro, &rec, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    tp_rec_report rep = {series, pricing, &price, &ro, &rec, scale, delta};
    if (tp_report_rec(&rep, po.fmt, &out, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    print_report(out, po.fmt);
cleanup:
    free(out);
    free(po.tiers_buf);
    tp_whatif_free(whatif);
    tp_series_free(series);
    tp_store_close(store);
    tp_pricing_free(pricing);
    return rc;
}

/* ---- export ---- */

static const char *export_usage =
    "usage: tierplan export [OPTIONS]\n"
    "\n"
    "Writes stored points as CSV (timestamp,model,metric,value,tier,service_tier,period_s),\n"
    "a file 'tierplan ingest' reads back unchanged.\n"
    "\n"
    "options:\n"
    "  --db PATH          database file (default: $TIERPLAN_DB, else ./" TP_DEFAULT_DB ")\n"
    "  --model ID         only this model (default: every model)\n"
    "  --format csv       the output format (csv is the only one)\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "  -h, --help         show this help\n";

static int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"model", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *db = NULL, *model = NULL, *path = NULL;
    int c, rc = 0;
    tp_error err;
    tp_store *store = NULL;
    FILE *out = NULL;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'm': model = optarg; break;
        case 'F':
            if (strcmp(optarg, "csv") != 0)
                return usage_error("export", "--format: \"%s\" is not supported (csv)", optarg);
            break;
        case 'o': path = optarg; break;
        case 'h': fputs(export_usage, stdout); return 0;
        default: return usage_error("export", "%s", "invalid option");
        }
    }
    if (optind < argc)
        return usage_error("export", "unexpected argument \"%s\"", argv[optind]);
    if (tp_store_open(db_path(db), &store, &err) != TP_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    out = path != NULL ? fopen(path, "w") : stdout;
    if (out == NULL) {
        tp_error_set(&err, TP_ERR_IO, "%s: cannot write", path);
        rc = fail(&err);
        goto cleanup;
    }
    if (tp_store_export_csv(store, model, out, NULL, &err) != TP_OK)
        rc = fail(&err);
cleanup:
    if (out != NULL && out != stdout && fclose(out) != 0 && rc == 0) {
        tp_error_set(&err, TP_ERR_IO, "%s: write error", path);
        rc = fail(&err);
    }
    tp_store_close(store);
    return rc;
}

/* ---- export-cmd ---- */

static const char *exportcmd_usage =
    "usage: tierplan export-cmd --model ID [--days N]\n"
    "\n"
    "Prints aws cloudwatch get-metric-data commands that export the model's token metrics\n"
    "(input, output, cache read/write, invocations, throttles) with labels tierplan reads.\n"
    "CloudWatch keeps 1-minute data 15 days, 5-minute data 63 days and hourly data 455\n"
    "days, so longer histories get one command per period. Region and credentials come\n"
    "from your AWS CLI configuration.\n"
    "\n"
    "options:\n"
    "  --model ID         model id, inference profile id or ARN (required)\n"
    "  --days N           days of history, 1 to 455 (default: 14)\n"
    "  -h, --help         show this help\n";

static int cmd_export_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
                                         {"days", required_argument, NULL, 'n'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *model = NULL;
    long days = 14;
    int c;
    char *out = NULL;
    tp_error err;
    tp_error_clear(&err);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': model = optarg; break;
        case 'n':
            if (parse_int(optarg, 1, TP_AWSCMD_MAX_DAYS, &days) != 0)
                return usage_error("export-cmd", "--days: \"%s\" is not a number from 1 to 455",
                                   optarg);
            break;
        case 'd': break; /* accepted everywhere; export-cmd does not use the database */
        case 'h': fputs(exportcmd_usage, stdout); return 0;
        default: return usage_error("export-cmd", "%s", "invalid option");
        }
    }
    if (optind < argc)
        return usage_error("export-cmd", "unexpected argument \"%s\"", argv[optind]);
    if (model == NULL)
        return usage_error("export-cmd", "%s", "--model is required");
    if (tp_awscmd_build(model, (int)days, (int64_t)time(NULL), &out, &err) != TP_OK)
        return err.status == TP_ERR_USAGE ? usage_error("export-cmd", "%s", err.message)
                                          : fail(&err);
    fputs(out, stdout);
    free(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("tierplan %s\n", tp_version());
        return 0;
    }
    /* getopt_long starts at argv[1]: hand each command its own argv with the command as [0] */
    argc--;
    argv++;
    if (strcmp(cmd, "ingest") == 0)
        return cmd_ingest(argc, argv);
    if (strcmp(cmd, "stats") == 0)
        return cmd_stats(argc, argv);
    if (strcmp(cmd, "simulate") == 0)
        return cmd_simulate(argc, argv);
    if (strcmp(cmd, "recommend") == 0)
        return cmd_recommend(argc, argv);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(argc, argv);
    if (strcmp(cmd, "export-cmd") == 0)
        return cmd_export_cmd(argc, argv);
    fprintf(stderr, "%s: unknown command \"%s\"\n\n%s", prog, cmd, main_usage);
    return EXIT_USAGE;
}
