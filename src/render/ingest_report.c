/* ingest_report.c - an ingest command's summary for machines (ingest --format json). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "tierplan/report.h"
#include "tierplan/ingest.h"
#include "render/report_internal.h"
#include "tierplan/timestamp.h"

static void add_strings(cJSON *o, const char *key, const char *const *v, size_t n)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (size_t i = 0; i < n; i++)
        report_json_push(a, cJSON_CreateString(v[i]));
}

/* Invocation logs add records, not points: what was read, counted, skipped and whether the
 * object was ingested before (then nothing was added). */
static void add_logs(cJSON *o, const tp_ingest_summary *s)
{
    cJSON *l = cJSON_AddObjectToObject(o, "logs");
    cJSON_AddNumberToObject(l, "records", (double)s->records);
    cJSON_AddNumberToObject(l, "stored", (double)s->log_stored);
    cJSON_AddNumberToObject(l, "refused", (double)(s->log_unknown_schema + s->log_malformed +
                                                   s->log_too_long));
    cJSON_AddNumberToObject(l, "errors", (double)s->log_errors);
    cJSON_AddNumberToObject(l, "no_tokens", (double)s->log_no_tokens);
    cJSON_AddNumberToObject(l, "unknown_schema", (double)s->log_unknown_schema);
    cJSON_AddNumberToObject(l, "malformed", (double)s->log_malformed);
    cJSON_AddNumberToObject(l, "too_long", (double)s->log_too_long);
    cJSON_AddNumberToObject(l, "folded", (double)s->log_folded);
    cJSON_AddBoolToObject(l, "duplicate", s->duplicate != 0);
    if (strcmp(s->format, "invocation-log") == 0)
        return;
    /* query results: the columns no row used, as many as the summary holds, and how many */
    cJSON *ign = cJSON_AddArrayToObject(l, "ignored_columns");
    const char *name = s->ignored_columns;
    for (size_t i = 0; i < s->n_ignored_listed; i++, name += strlen(name) + 1)
        report_json_push(ign, cJSON_CreateString(name));
    cJSON_AddNumberToObject(l, "n_ignored_columns", (double)s->n_ignored_columns);
}

static void add_file(cJSON *files, const tp_ingest_file_report *f, int stored)
{
    const tp_ingest_summary *s = f->summary;
    char a[TP_TIME_BUF];
    cJSON *o = cJSON_CreateObject();
    o = report_json_push(files, o);
    cJSON_AddStringToObject(o, "file", f->name);
    if (s->format != NULL)
        cJSON_AddStringToObject(o, "format", s->format);
    else
        cJSON_AddNullToObject(o, "format");
    cJSON_AddNumberToObject(o, "documents", (double)s->documents);
    cJSON_AddNumberToObject(o, "points", (double)s->points);
    cJSON_AddNumberToObject(o, "series", (double)s->series);
    cJSON_AddNumberToObject(o, "new", (double)s->inserted);
    cJSON_AddNumberToObject(o, "unchanged", (double)s->unchanged);
    cJSON_AddNumberToObject(o, "replaced", (double)s->replaced);
    cJSON_AddNumberToObject(o, "kept_newer", (double)s->kept_newer);
    if (s->points > 0) {
        /* the minutes with data: first, and last (the start of the last period) */
        cJSON *w = cJSON_AddObjectToObject(o, "window");
        cJSON_AddStringToObject(w, "from", tp_timestamp_format(s->first_minute * 60, a));
        cJSON_AddStringToObject(w, "to", tp_timestamp_format(s->last_minute * 60, a));
    } else {
        cJSON_AddNullToObject(o, "window");
    }
    if (stored && s->ingest_id > 0) /* ids start at 1: a refused command stored nothing */
        cJSON_AddNumberToObject(o, "ingest_id", (double)s->ingest_id);
    else
        cJSON_AddNullToObject(o, "ingest_id");
    cJSON_AddStringToObject(o, "sha256", s->sha256);
    if (s->format != NULL &&
        (strcmp(s->format, "invocation-log") == 0 || strcmp(s->format, "logs-insights") == 0 ||
         strncmp(s->format, "athena-", 7) == 0))
        add_logs(o, s);
    add_strings(o, "warnings", f->warnings, f->n_warnings);
}

tp_status tp_report_ingest(const tp_ingest_file_report *files, size_t n_files,
                           const char *const *warnings, size_t n_warnings, int stored,
                           int strict, char **out, tp_error *err)
{
    size_t total = n_warnings;
    *out = NULL;
    report_json_start();
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return tp_error_set(err, TP_ERR_NOMEM, "out of memory");
    cJSON_AddBoolToObject(root, "stored", stored != 0);
    cJSON_AddBoolToObject(root, "strict", strict != 0);
    cJSON *fa = cJSON_AddArrayToObject(root, "files");
    for (size_t i = 0; i < n_files; i++) {
        add_file(fa, &files[i], stored);
        total += files[i].n_warnings;
    }
    add_strings(root, "warnings", warnings, n_warnings);
    cJSON_AddNumberToObject(root, "warning_count", (double)total);
    *out = report_json_lost() ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    return *out != NULL ? TP_OK : tp_error_set(err, TP_ERR_NOMEM, "out of memory");
}
