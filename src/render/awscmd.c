/* awscmd.c - generates the CloudWatch export commands printed by `tierplan export-cmd`. */
#include "tierplan/awscmd.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "render/awscmd_internal.h"
#include "tierplan/store.h"
#include "tierplan/timestamp.h"

/* Query ids, one per entry of util_metric_names. */
static const char *const export_ids[UTIL_N_METRIC_NAMES] = {
    "input", "output", "cacheread", "cachewrite", "invocations", "throttles"};

static int64_t floor_to(int64_t t, int64_t p)
{
    return util_floor_div(t, p) * p;
}

size_t tp_awscmd_ranges(int64_t start_s, int64_t end_s, int64_t now_s, tp_awscmd_range out[3])
{
    static const int periods[3] = {3600, 300, 60};
    const int64_t now = floor_to(now_s, 60);
    /* the oldest start each period allows, rounded up to the period (so, younger) */
    const int64_t limit[4] = {-floor_to(-(now - TP_AWSCMD_AGE_3600_S), 3600),
                              -floor_to(-(now - TP_AWSCMD_AGE_300_S), 300),
                              now - TP_AWSCMD_AGE_60_S, INT64_MAX};
    size_t n = 0;
    for (int k = 0; k < 3; k++) {
        const int64_t p = periods[k];
        int64_t from = start_s > limit[k] ? start_s : limit[k];
        int64_t to = end_s < limit[k + 1] ? end_s : limit[k + 1];
        if (to <= from)
            continue;
        if (from == start_s && floor_to(from, p) >= limit[k])
            from = floor_to(from, p); /* whole periods: the first one starts no later */
        if (to == end_s)
            to = floor_to(to, p);
        if (to <= from)
            continue;
        out[n].period_s = (int)p;
        out[n].from_s = from;
        out[n].to_s = to;
        n++;
    }
    return n;
}

/* TP_OK, or TP_ERR_USAGE saying why model cannot be an AWS id (they hold no quote, space or
 * shell character: the id goes into the printed command unquoted). */
static tp_status check_model(const char *model, tp_error *err)
{
    if (model == NULL || model[0] == '\0')
        return tp_error_set_field(err, TP_ERR_USAGE, "models", "{models} is required");
    for (const char *c = model; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("._:/-", *c) != NULL))
            return tp_error_set_field(err, TP_ERR_USAGE, "models",
                                      "model id \"%s\" has a character AWS ids never "
                                      "have ('%c')",
                                      model, *c);
    return TP_OK;
}

/* The file name part of a model id: the whole id (cut to a fixed length, two models' exports
 * would be named alike), ':' and '/' as '_'. */
static void put_slug(strbuf *b, const char *model)
{
    for (const char *c = model; *c; c++)
        sb_printf(b, "%c", *c == ':' || *c == '/' ? '_' : *c);
}

/* "20261010T0000Z": the end in file names (no ':', which some file systems refuse). */
static void compact_time(int64_t t, char out[TP_TIME_BUF])
{
    char iso[TP_TIME_BUF];
    tp_timestamp_format(t, iso);
    /* YYYY-MM-DDTHH:MM:SSZ -> YYYYMMDDTHHMMZ */
    const int pick[] = {0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 14, 15};
    size_t n = 0;
    for (size_t i = 0; i < sizeof pick / sizeof pick[0]; i++)
        out[n++] = iso[pick[i]];
    out[n++] = 'Z';
    out[n] = '\0';
}

void awscmd_put_shell_word(strbuf *b, const char *s)
{
    sb_puts(b, "'");
    for (const char *c = s; *c; c++) {
        if (*c == '\'')
            sb_puts(b, "'\\''");
        else
            sb_printf(b, "%c", *c);
    }
    sb_puts(b, "'");
}

void awscmd_put_where(strbuf *b, const char *region, const char *profile)
{
    /* the region's shape is checked (letters, digits, '-'): no quoting needed */
    if (region != NULL)
        sb_printf(b, " --region %s", region);
    if (profile != NULL) {
        sb_puts(b, " --profile ");
        awscmd_put_shell_word(b, profile);
    }
}

tp_status awscmd_check_place(const char *region, const char *account, const char *profile,
                             tp_error *err)
{
    if (region != NULL && !tp_store_region_valid(region))
        return tp_error_set_field(err, TP_ERR_USAGE, "region",
                                  "{region}: \"%s\" is not a region name (us-east-1, "
                                  "eu-west-1, ...)",
                                  region);
    if (account != NULL && !tp_store_account_valid(account))
        return tp_error_set_field(err, TP_ERR_USAGE, "account",
                                  "{account}: \"%s\" is not an AWS account id (12 digits)",
                                  account);
    if (profile != NULL) {
        int ctrl = profile[0] == '\0';
        for (const char *c = profile; *c; c++)
            ctrl |= (unsigned char)*c < 0x20 || *c == 0x7f;
        if (ctrl)
            return tp_error_set_field(err, TP_ERR_USAGE, "profile",
                                      "{profile} must be a non-empty name without control "
                                      "characters");
    }
    return TP_OK;
}

/* The export's file name up to its end tag: tierplan-MODEL[-REGION] (two regions' exports of
 * one model never share a name). */
static void put_file_stem(strbuf *b, const tp_awscmd_options *o, const char *model)
{
    sb_puts(b, "tierplan-");
    if (model != NULL)
        put_slug(b, model);
    else
        sb_puts(b, "*");
    if (o->region != NULL)
        sb_printf(b, "-%s", o->region);
}

static void put_command(strbuf *b, const tp_awscmd_options *o, const char *model,
                        const tp_awscmd_range *r, const char *end_tag)
{
    char from[TP_TIME_BUF], to[TP_TIME_BUF];
    tp_timestamp_format(r->from_s, from);
    tp_timestamp_format(r->to_s, to);
    sb_printf(b, "# period %d s: %s .. %s\n", r->period_s, from, to);
    sb_puts(b, "aws cloudwatch get-metric-data");
    awscmd_put_where(b, o->region, o->profile);
    sb_printf(b,
              " --output json --scan-by TimestampAscending "
              "--start-time %s --end-time %s --metric-data-queries '[",
              from, to);
    for (size_t m = 0; m < UTIL_N_METRIC_NAMES; m++) {
        sb_printf(b,
                  "%s{\"Id\":\"%s\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/Bedrock\","
                  "\"MetricName\":\"%s\",\"Dimensions\":[{\"Name\":\"ModelId\",\"Value\":\"%s\"}]},"
                  "\"Period\":%d,\"Stat\":\"Sum\"},\"Label\":\"ModelId=%s %s Period=%d "
                  "Start=%s End=%s",
                  m ? "," : "", export_ids[m], util_metric_names[m], model, r->period_s, model,
                  util_metric_names[m], r->period_s, from, to);
        /* ingest stores the data under the place the label names */
        if (o->region != NULL)
            sb_printf(b, " Region=%s", o->region);
        if (o->account != NULL)
            sb_printf(b, " Account=%s", o->account);
        sb_puts(b, "\",\"ReturnData\":true}");
    }
    /* written under NAME.part and renamed when whole: a failed command leaves no file a
     * glob of *.json would ingest as an export (stop() is in the script's preamble) */
    strbuf name = {0};
    put_file_stem(&name, o, model);
    sb_printf(&name, "-%s-%ds.json", end_tag, r->period_s);
    const char *nm = name.data != NULL ? name.data : "";
    sb_printf(b, "]' > '%s.part' || stop '%s'\nmv -f '%s.part' '%s'\n", nm, nm, nm, nm);
    b->failed |= name.failed;
    free(name.data);
}

/* Before the first command: the script stops at the first aws command that fails, with
 * status 3 (a failed step, never the 1 of a verdict), removing that command's partial file.
 * $? on entering stop() is the failed command's status. */
static void put_preamble(strbuf *b)
{
    sb_puts(b, "# run it as a script (sh FILE): an aws command that fails stops it (status 3)"
               " and\n# leaves no partial file (each export is written to NAME.part, renamed "
               "when whole)\n"
               "set -u\n"
               "stop() { s=$?; rm -f \"$1.part\"; echo \"export stopped: the aws command for $1"
               " failed (status $s)\" >&2; exit 3; }\n");
}

static tp_status check_options(const tp_awscmd_options *o, int days, tp_error *err)
{
    if (o->models == NULL || o->n_models == 0)
        return tp_error_set_field(err, TP_ERR_USAGE, "models", "{models} is required");
    if (o->n_models > TP_AWSCMD_MAX_MODELS)
        return tp_error_set_field(err, TP_ERR_USAGE, "n_models", "at most %d models",
                                  TP_AWSCMD_MAX_MODELS);
    for (size_t i = 0; i < o->n_models; i++) {
        tp_status rc = check_model(o->models[i], err);
        if (rc != TP_OK)
            return rc;
    }
    if (days < 1 || days > TP_AWSCMD_MAX_DAYS)
        return tp_error_set_field(err, TP_ERR_USAGE, "days",
                                  "{days} must be 1 to %d (CloudWatch keeps no more)",
                                  TP_AWSCMD_MAX_DAYS);
    if (o->end_s < 0 || o->end_s > TP_TIME_MAX_S)
        return tp_error_set_field(err, TP_ERR_USAGE, "end_s", "the end is not within 1970 .. 9999");
    if (o->now_s < 0 || o->now_s > TP_TIME_MAX_S)
        return tp_error_set_field(err, TP_ERR_USAGE, "now_s", "the end is not within 1970 .. 9999");
    return awscmd_check_place(o->region, o->account, o->profile, err);
}

tp_status tp_awscmd_build_with(const tp_awscmd_options *o, char **out, tp_error *err)
{
    strbuf b = {0};
    const int days = o->days != 0 ? o->days : 14;
    size_t n_commands = 0;
    *out = NULL;
    tp_status rc = check_options(o, days, err);
    if (rc != TP_OK)
        return rc;
    const int64_t end_s = floor_to(o->end_s > 0 ? o->end_s : o->now_s, 60);
    char end_tag[TP_TIME_BUF], a[TP_TIME_BUF], z[TP_TIME_BUF], now[TP_TIME_BUF];
    compact_time(end_s, end_tag);
    sb_printf(&b, "# tierplan export-cmd: periods as CloudWatch allows them at %s\n",
              tp_timestamp_format(floor_to(o->now_s, 60), now));
    for (size_t i = 0; i < o->n_models; i++) {
        const char *model = o->models[i];
        const int from_store = o->start_s != NULL && o->start_s[i] >= 0;
        const int64_t start_s = from_store ? o->start_s[i] : end_s - (int64_t)days * 86400;
        tp_awscmd_range r[3];
        const size_t n = tp_awscmd_ranges(start_s, end_s, o->now_s, r);
        sb_printf(&b, "# %s: %s .. %s\n", model, tp_timestamp_format(start_s, a),
                  tp_timestamp_format(end_s, z));
        if (from_store)
            sb_puts(&b, "#   (from where the database's data ends, less the overlap)\n");
        if (n == 0 && start_s < end_s) {
            /* a span CloudWatch no longer holds: commands that return nothing, or a comment
             * a job would not read, would pass for an export */
            rc = tp_error_set(err, TP_ERR_NOT_FOUND,
                              "%s: %s .. %s ends more than %d days before %s: CloudWatch no "
                              "longer keeps that span (nothing to export)",
                              model, a, z, TP_AWSCMD_MAX_DAYS, now);
            goto cleanup;
        }
        if (n == 0)
            sb_puts(&b, "# nothing to export: the database already holds the span\n");
        if (n > 0 && n_commands == 0)
            put_preamble(&b);
        for (size_t k = 0; k < n; k++)
            put_command(&b, o, model, &r[k], end_tag);
        n_commands += n;
    }
    if (n_commands == 0)
        return sb_finish(&b, out, err);
    sb_puts(&b, "# then: tierplan ingest ");
    put_file_stem(&b, o, o->n_models == 1 ? o->models[0] : NULL);
    sb_printf(&b, "-%s-*.json\n", end_tag);
    return sb_finish(&b, out, err);
cleanup:
    free(b.data);
    return rc;
}

tp_status tp_awscmd_build(const char *model, int days, int64_t now_s, char **out,
                          tp_error *err)
{
    tp_awscmd_options o = {0};
    o.models = &model;
    o.n_models = 1;
    o.days = days > 0 ? days : -1; /* 0 is no default here: the caller asked for no days */
    o.now_s = now_s;
    return tp_awscmd_build_with(&o, out, err);
}
