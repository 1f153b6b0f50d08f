/* options.c - option parsing and error printing shared by the tierplan commands. */
#define _POSIX_C_SOURCE 200809L
#include "options.h"
#include "optable.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const prog = "tierplan";

/* Writes prefix and text to stderr with every control character, escape and bidi control (an
 * ANSI escape in a file name or an option, say) shown escaped by tp_format_text_escape, as
 * reports are on stdout: a message never drives the terminal. Text is broken at spaces so that
 * lines stay within 100 columns (continuation lines indented by two); a word longer than that
 * (a path, say) is never cut. */
static void print_message(const char *prefix, const char *raw)
{
    const size_t need = tp_format_text_escape(NULL, 0, raw) + 1;
    char *text = malloc(need);
    if (text == NULL) { /* the message is lost, not its escaping */
        fprintf(stderr, "%s(a message: out of memory)\n", prefix);
        return;
    }
    tp_format_text_escape(text, need, raw);
    size_t col = strlen(prefix);
    fputs(prefix, stderr);
    for (const char *p = text; *p != '\0';) {
        const size_t word = strcspn(p, " ");
        fwrite(p, 1, word, stderr);
        col += word;
        p += word;
        if (*p != ' ')
            continue;
        p++;
        const size_t next = strcspn(p, " ");
        if (col + 1 + next > 100 && next > 0) {
            fputs("\n  ", stderr);
            col = 2;
        } else {
            fputc(' ', stderr);
            col++;
        }
    }
    fputc('\n', stderr);
    free(text);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    char prefix[256], text[2048];
    va_list ap;
    snprintf(prefix, sizeof prefix, "%s %s: ", prog, cmd);
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    print_message(prefix, text);
    fprintf(stderr, "try '%s %s --help'\n", prog, cmd);
    return EXIT_USAGE;
}

int lib_usage_error(const char *cmd, const tp_error *err)
{
    char text[2048];
    return usage_error(cmd, "%s", cli_error_text(err, text, sizeof text));
}

int fail(const tp_error *err)
{
    char prefix[64];
    char text[2048];
    snprintf(prefix, sizeof prefix, "%s: error: ", prog);
    print_message(prefix, cli_error_text(err, text, sizeof text));
    /* the library's TP_ERR_USAGE is a usage error found late (a model's own relative window
     * resolved empty): exit 2 like one found while parsing */
    return err->status == TP_ERR_USAGE       ? EXIT_USAGE
           : err->status == TP_ERR_NOT_FOUND ? EXIT_VERDICT
                                              : EXIT_FAIL;
}

void print_warning(void *ctx, const char *msg)
{
    char prefix[64];
    (void)ctx;
    snprintf(prefix, sizeof prefix, "%s: warning: ", prog);
    print_message(prefix, msg);
}

/* The first write error on standard output: errno is long overwritten by the time the
 * command ends, so print_report keeps it for stdout_finish. */
static int stdout_errno;

void print_report(const char *out, tp_format fmt)
{
    /* flushed here, so that the error is the write's own and not a later call's */
    if ((fputs(out, stdout) == EOF || (fmt == TP_FORMAT_JSON && fputc('\n', stdout) == EOF) ||
         fflush(stdout) == EOF) &&
        stdout_errno == 0)
        stdout_errno = errno != 0 ? errno : EIO;
}

int stdout_finish(int rc)
{
    errno = 0;
    int failed = fflush(stdout) == EOF || ferror(stdout);
    int e = stdout_errno != 0 ? stdout_errno : errno;
    /* closing reports what a flush can miss (an NFS server's deferred error, say) */
    if (fclose(stdout) == EOF && !failed) {
        failed = 1;
        e = errno;
    }
    if (!failed || rc != 0)
        return rc; /* a command that failed has said why already */
    fprintf(stderr, "%s: error: writing the report: %s\n", prog, strerror(e != 0 ? e : EIO));
    return EXIT_FAIL;
}

int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    /* strtol skips leading space and clamps an overflow to LONG_MAX with ERANGE: both would
     * turn a mistyped count into another one */
    if (s[0] == '\0' || isspace((unsigned char)s[0]))
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno == ERANGE || end == s || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int parse_double(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    if (s[0] == '\0' || isspace((unsigned char)s[0]))
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    /* ERANGE: an overflow (HUGE_VAL) or an underflow to 0 or a subnormal; !(v >= lo) also
     * refuses NaN, and a finite hi refuses infinity */
    if (errno == ERANGE || end == s || *end != '\0' || !(v >= lo) || !(v <= hi))
        return -1;
    *out = v;
    return 0;
}

int parse_tpm(const char *s, double *out)
{
    return parse_double(s, 0, 1e15, out);
}

int parse_minute(const char *s, int64_t *out_minute)
{
    int64_t t;
    if (tp_timestamp_parse(s, strlen(s), &t, NULL) != TP_OK)
        return -1;
    /* floor, not truncation: a second before 1970 belongs to the minute before */
    *out_minute = t >= 0 ? t / 60 : -((-t + 59) / 60);
    return 0;
}

const char *db_path(const char *opt)
{
    if (opt != NULL)
        return opt;
    const char *env = getenv("TIERPLAN_DB");
    return env != NULL && env[0] != '\0' ? env : TP_DEFAULT_DB;
}

/* The price catalog: --pricing, else $TIERPLAN_PRICING, else ./data/pricing.json (a
 * checkout), else the installed copy. */
int open_pricing(const char *opt, int required, tp_pricing **out, tp_error *err)
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

int tier_list_parse(tier_list *tl, const char *cmd, const char *arg)
{
    free(tl->buf);
    /* strtok_r writes into its string: split a copy, argv stays as the user gave it */
    if ((tl->buf = strdup(arg)) == NULL)
        return EXIT_FAIL;
    tl->n = 0;
    for (char *save = NULL, *t = strtok_r(tl->buf, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        if (tl->n == TIER_LIST_MAX)
            return usage_error(cmd, "--tier: %s", "at most 16 tiers");
        tl->names[tl->n++] = t;
    }
    return 0;
}

void tier_list_free(tier_list *tl)
{
    free(tl->buf);
    tl->buf = NULL;
    tl->n = 0;
}

int place_option(const char *cmd, int c, const char *arg, const char **out)
{
    const int region = c == OPT_REGION;
    if (strcmp(arg, "unknown") == 0) {
        *out = "";
        return 0;
    }
    if (region ? !tp_store_region_valid(arg) : !tp_store_account_valid(arg))
        return usage_error(cmd,
                           region ? "--region: \"%s\" is not a region name (us-east-1, "
                                    "eu-central-2, us-gov-west-1 ...) nor unknown"
                                  : "--account: \"%s\" is not an AWS account id (12 digits) "
                                    "nor unknown",
                           arg);
    *out = arg;
    return 0;
}

int demand_option(demand_opts *o, const char *cmd, int c, const char *arg)
{
    tp_error err;
    int rc;
    switch (c) {
    case 'd': o->db = arg; return 0;
    case OPT_BUSY_TIMEOUT: return busy_timeout_option(cmd, arg);
    case 'm': o->q.model = arg; return 0;
    case 'P': o->pricing_path = arg; return 0;
    case 'f': o->from_text = arg; return 0;
    case 't': o->to_text = arg; return 0;
    case OPT_LAST: o->last_text = arg; return 0;
    case OPT_NOW: o->now_text = arg; return 0;
    case OPT_SOURCE:
        if (strcmp(arg, "metrics") != 0 && strcmp(arg, "logs") != 0)
            return usage_error(cmd, "--source: \"%s\" is neither metrics nor logs", arg);
        o->q.source = strcmp(arg, "logs") == 0 ? TP_SOURCE_LOGS : TP_SOURCE_METRICS;
        return 0;
    case OPT_REGION: return place_option(cmd, c, arg, &o->q.region);
    case OPT_ACCOUNT: return place_option(cmd, c, arg, &o->q.account);
    case OPT_MERGE_REGIONS: o->q.merge_regions = 1; return 0;
    case OPT_KEY:
        if (o->q.n_keys == KEY_LIST_MAX)
            return usage_error(cmd, "--key: at most %d keys", KEY_LIST_MAX);
        o->keys[o->q.n_keys++] = arg;
        o->q.keys = o->keys;
        return 0;
    case 'T':
        rc = tier_list_parse(&o->tiers, cmd, arg);
        o->q.tiers = o->tiers.names;
        o->q.n_tiers = o->tiers.n;
        return rc;
    case 'F':
        if (tp_format_parse(arg, &o->fmt, &err) != TP_OK)
            return lib_usage_error(cmd, &err);
        if ((o->fmt == TP_FORMAT_MARKDOWN || o->fmt == TP_FORMAT_HTML) &&
            strcmp(cmd, "report") != 0 && strcmp(cmd, "project") != 0)
            return usage_error(cmd, "--format %s is for tierplan report and project; %s takes "
                                    "text, json or csv",
                               arg, cmd);
        return 0;
    default: return OPT_NOT_MINE;
    }
}

/* --last SPAN: a relative start ("30d" is -30d) with a span above 0. */
static int last_option(demand_opts *o, const char *cmd, int64_t now_s)
{
    char rel[64];
    if (o->from_text != NULL || o->to_text != NULL)
        return usage_error(cmd, "%s", "--last excludes --from and --to");
    snprintf(rel, sizeof rel, "-%s", o->last_text);
    if (strlen(o->last_text) > 32 ||
        tp_window_bound_parse(rel, 0, now_s, &o->win.from, NULL) != TP_OK ||
        o->win.from.kind != TP_BOUND_BEFORE || o->win.from.amount == 0)
        return usage_error(cmd, "--last: \"%s\" is not a span such as 12h, 30d, 8w or 3mo",
                           o->last_text);
    return 0;
}

int window_check(demand_opts *o, const char *cmd)
{
    tp_error err;
    int64_t now_s = (int64_t)time(NULL);
    int rc;
    if (o->q.n_keys > 0 && o->q.source == TP_SOURCE_METRICS)
        return usage_error(cmd, "%s", "--key selects invocation logs: not with --source metrics");
    if (o->now_text != NULL) {
        if (tp_timestamp_parse(o->now_text, strlen(o->now_text), &now_s, NULL) != TP_OK)
            return usage_error(cmd, "--now: \"%s\" is not an ISO 8601 timestamp", o->now_text);
        o->win.has_now = 1;
        o->win.now_minute = now_s / 60;
    }
    if (o->last_text != NULL && (rc = last_option(o, cmd, now_s)) != 0)
        return rc;
    if (o->from_text != NULL &&
        tp_window_bound_parse(o->from_text, 0, now_s, &o->win.from, &err) != TP_OK)
        return usage_error(cmd, "--from: %s", err.message);
    if (o->to_text != NULL && tp_window_bound_parse(o->to_text, 1, now_s, &o->win.to, &err) != TP_OK)
        return usage_error(cmd, "--to: %s", err.message);
    tp_series_query r;
    o->q.window = &o->win;
    /* fixed bounds resolve here, and relative ones too when --now anchors them: an empty
     * window is a usage error before anything is loaded */
    if (tp_series_query_resolve(&o->q, 0, &r, &err) != TP_OK &&
        (o->win.has_now || (o->win.from.kind != TP_BOUND_BEFORE &&
                            o->win.to.kind != TP_BOUND_BEFORE)))
        return lib_usage_error(cmd, &err);
    if (o->win.from.kind == TP_BOUND_BEFORE && o->win.to.kind == TP_BOUND_BEFORE &&
        !o->win.has_now &&
        (o->win.from.unit == TP_UNIT_MONTH) == (o->win.to.unit == TP_UNIT_MONTH)) {
        /* both before the same anchor in like units: --from -1d --to -2d is empty for every
         * model, as a usage error like an inverted fixed window (months and days mixed depend
         * on the anchor's month: the library says so per model) */
        tp_window_spec w = o->win;
        tp_series_query q = o->q;
        w.has_now = 1;
        w.now_minute = now_s / 60;
        q.window = &w;
        if (tp_series_query_resolve(&q, 0, &r, &err) != TP_OK)
            return usage_error(cmd, "--from %s --to %s: the window ends before it starts "
                                    "(--to must be after --from)",
                               o->from_text, o->to_text);
    }
    if (o->win.from.kind == TP_BOUND_BEFORE || o->win.to.kind == TP_BOUND_BEFORE)
        return 0; /* each model's own window: the library resolves it */
    o->q = r;
    o->q.window = NULL;
    return 0;
}

void demand_opts_free(demand_opts *o)
{
    tier_list_free(&o->tiers);
    o->q.tiers = NULL;
    o->q.n_tiers = 0;
}

int plan_option(plan_opts *po, const char *cmd, int c, const char *arg)
{
    tp_error err;
    switch (c) {
    case 's':
        return tp_simulate_spill_to_parse(arg, &po->spill_to, &err) == TP_OK
                   ? 0
                   : lib_usage_error(cmd, &err);
    case 'S':
        return tp_simulate_spill_model_parse(arg, &po->spill_model, &err) == TP_OK
                   ? 0
                   : lib_usage_error(cmd, &err);
    case 'q':
        if (parse_tpm(arg, &po->quota_tpm) != 0 || po->quota_tpm <= 0)
            return usage_error(cmd, "--quota-tpm: \"%s\" is not a TPM > 0", arg);
        return 0;
    default: return demand_option(&po->d, cmd, c, arg);
    }
}

int plan_check(plan_opts *po, const char *cmd)
{
    if (po->d.q.model == NULL)
        return usage_error(cmd, "%s", "--model is required");
    return window_check(&po->d, cmd);
}

int plan_load(const plan_opts *po, tp_pricing **pricing, tp_model_price *price,
              tp_store **store, tp_series **series, tp_error *err)
{
    /* the data first: a mistyped model or an empty window is named as such, not as a model
     * the price catalog lacks */
    if (open_db(po->d.db, 0, store, err) != TP_OK ||
        tp_series_load(*store, &po->d.q, series, err) != TP_OK ||
        open_pricing(po->d.pricing_path, 1, pricing, err) != 0 ||
        tp_pricing_lookup(*pricing, po->d.q.model, price, print_warning, NULL, err) != TP_OK)
        return -1;
    /* one series per command: the loader's working arrays are not kept beside the search's */
    tp_store_release_buffers(*store);
    char msg[1024];
    if (tp_series_merge_warning(tp_series_model(*series), tp_series_region(*series),
                                tp_series_account(*series), msg, sizeof msg))
        print_warning(NULL, msg);
    return 0;
}

/* The one command of this process reads it when it opens the database. */
static long busy_timeout_s = BUSY_TIMEOUT_DEFAULT_S;

int busy_timeout_option(const char *cmd, const char *arg)
{
    long v;
    if (parse_int(arg, 0, BUSY_TIMEOUT_MAX_S, &v) != 0)
        return usage_error(cmd, "--busy-timeout: \"%s\" is not a whole number of seconds from 0 "
                                "to %d",
                           arg, BUSY_TIMEOUT_MAX_S);
    busy_timeout_s = v;
    return 0;
}

int busy_timeout_ms(void)
{
    /* the library reads 0 as its default: not waiting at all is negative there */
    return busy_timeout_s > 0 ? (int)(busy_timeout_s * 1000) : -1;
}

tp_status open_db(const char *opt, int writer, tp_store **out, tp_error *err)
{
    tp_store_open_options o = {0};
    o.flags = writer ? TP_STORE_CREATE : TP_STORE_READONLY;
    /* the library reads 0 as its default: not waiting at all is negative there */
    o.busy_timeout_ms = busy_timeout_s > 0 ? (int)(busy_timeout_s * 1000) : -1;
    o.warn = print_warning;
    return tp_store_open_with(db_path(opt), &o, out, err);
}

int model_list_add(model_list *l, const char *cmd, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->ids[i], id) == 0)
            return usage_error(cmd, "--model \"%s\" is given twice", id);
    if (l->n == MODEL_LIST_MAX)
        return usage_error(cmd, "at most %d --model options", MODEL_LIST_MAX);
    const char **v = realloc(l->ids, (l->n + 1) * sizeof *v);
    if (v == NULL)
        return usage_error(cmd, "%s", "out of memory");
    l->ids = v;
    l->ids[l->n++] = id;
    return 0;
}

void model_list_free(model_list *l)
{
    free(l->ids);
    l->ids = NULL;
    l->n = 0;
}

int jobs_option(const char *cmd, const char *arg, int *out)
{
    long v;
    if (parse_int(arg, 1, 256, &v) != 0)
        return usage_error(cmd, "--jobs: \"%s\" is not a whole number from 1 to 256", arg);
    *out = (int)v;
    return 0;
}

int default_jobs(void)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

int write_file_atomic(const char *path, const char *text, int newline, tp_error *err)
{
    const size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    FILE *f = NULL;
    int rc = -1;
    if (tmp == NULL) {
        tp_error_set(err, TP_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    if ((f = fopen(tmp, "w")) == NULL) {
        tp_error_set(err, TP_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        goto cleanup;
    }
    const int bad = fputs(text, f) == EOF || (newline && fputc('\n', f) == EOF);
    const int close_bad = fclose(f) != 0;
    f = NULL;
    if (bad || close_bad) {
        tp_error_set(err, TP_ERR_IO, "%s: write error: %s", path, strerror(errno));
        remove(tmp);
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        tp_error_set(err, TP_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        remove(tmp);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(tmp);
    return rc;
}

int sizing_option(sizing_opts *z, const char *cmd, int c, const char *arg)
{
    long v;
    switch (c) {
    case 'x':
        if (parse_double(arg, 0, 100, &z->ro.max_spill_minutes_pct) != 0)
            return usage_error(cmd, "--max-spill-minutes-pct: \"%s\" is not a percentage", arg);
        z->ro.has_max_spill_minutes_pct = 1;
        return 0;
    case 'X':
        if (parse_int(arg, 0, LONG_MAX, &v) != 0)
            return usage_error(cmd, "--max-throttled-minutes: \"%s\" is not a count", arg);
        z->ro.has_max_throttled_minutes = 1;
        z->ro.max_throttled_minutes = v;
        return 0;
    case 'n':
        /* whether the catalog lists the term is the library's check, naming the terms it has */
        if (parse_int(arg, 1, 120, &v) != 0)
            return usage_error(cmd, "--term-months: \"%s\" is not a whole number of months from 1 "
                                    "to 120",
                               arg);
        z->ro.term_months = (int)v;
        return 0;
    case 'k':
        if (parse_double(arg, 0, 1e6, &z->scale) != 0)
            return usage_error(cmd, "--scale: \"%s\" is not a factor from 0 to 1000000", arg);
        return 0;
    case 'D':
        if (parse_double(arg, -1, 1, &z->delta) != 0)
            return usage_error(cmd, "--cache-hit-delta: \"%s\" is not within [-1, 1]", arg);
        return 0;
    case 'Z': z->force = 1; return 0;
    case 'W':
        if (strcmp(arg, "month") != 0)
            return usage_error(cmd, "--window-by: \"%s\" is not \"month\"", arg);
        z->by_month = 1;
        return 0;
    case 'w': z->windows_path = arg; return 0;
    case 'U':
        if (parse_minute(arg, &z->train_until) != 0)
            return usage_error(cmd, "--train-until: \"%s\" is not an ISO 8601 timestamp", arg);
        z->have_train = 1;
        return 0;
    default: return OPT_NOT_MINE;
    }
}

int sizing_check(sizing_opts *z, const plan_opts *po, const char *cmd)
{
    z->ro.spill_model = po->spill_model;
    z->ro.spill_to = po->spill_to;
    z->ro.quota_tpm = po->quota_tpm;
    z->ro.field_name = cli_option_name; /* the reason names the options */
    if (z->ro.has_max_throttled_minutes && po->spill_to != TP_SPILL_TO_NONE &&
        po->quota_tpm <= 0)
        return usage_error(cmd, "%s",
                           "--max-throttled-minutes needs --spill-to none or --quota-tpm "
                           "(without either nothing is throttled)");
    if (z->by_month + (z->windows_path != NULL) + z->have_train > 1)
        return usage_error(cmd, "%s", "--window-by, --windows and --train-until exclude each other");
    if ((z->by_month || z->windows_path != NULL || z->have_train) &&
        (z->scale != 1 || z->delta != 0))
        return usage_error(cmd, "%s", "--scale and --cache-hit-delta apply to a single window only");
    return 0;
}

int route_tiers_option(const char *cmd, const char *arg, tp_route_set *out)
{
    tp_error err;
    if (tp_simulate_route_parse(arg, out, &err) != TP_OK) {
        char msg[sizeof err.message];
        tp_error_rename(&err, NULL, NULL, msg, sizeof msg);
        const char *what = strstr(msg, ": "); /* after the field's own name */
        return usage_error(cmd, "--route-tiers: %s", what != NULL ? what + 2 : msg);
    }
    return 0;
}

int refuse_unit_models(const char *cmd, const tp_pricing *pricing, const char *const *ids,
                       size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tp_model_price price;
        tp_error err;
        if (tp_pricing_lookup(pricing, ids[i], &price, NULL, NULL, &err) != TP_OK ||
            price.provider == TP_PROVIDER_BEDROCK)
            continue;
        return usage_error(cmd,
                           "model \"%s\" is sold in units (%s, catalog entry \"%s\"): %s "
                           "plans Bedrock reservations; plan it in units with tierplan "
                           "recommend --model %s",
                           ids[i], tp_pricing_provider_name(price.provider), price.entry, cmd,
                           ids[i]);
    }
    return 0;
}
