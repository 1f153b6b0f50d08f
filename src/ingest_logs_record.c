/* ingest_logs_record.c - one Bedrock model invocation log record: its fields, the modelId
 * and identity normalisation, and the attribution key. Bodies are never copied. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest_internal.h"
#include "ingest_logs.h"
#include "tierplan/timestamp.h"

tp_status ingest_logs_check_attr(const char *a, tp_error *err)
{
    if (a == NULL || strcmp(a, "identity") == 0 || strcmp(a, "operation") == 0 ||
        strcmp(a, "region") == 0)
        return TP_OK;
    if (strncmp(a, "metadata:", 9) == 0 && a[9] != '\0' &&
        ingest_text_problem(a + 9, strlen(a + 9)) == NULL)
        return TP_OK;
    return tp_error_set(err, TP_ERR_USAGE,
                        "--attribute-by: \"%s\" is not identity, metadata:KEY, operation or "
                        "region",
                        a);
}

const char *log_model_id(const char *id, char *buf, size_t size)
{
    /* CloudWatch names foundation models and system inference profiles by their id, and
     * application inference profiles, provisioned, custom and imported models by ARN. */
    static const char *const strip[] = {":foundation-model/", ":inference-profile/"};
    if (strncmp(id, "arn:", 4) != 0)
        return id;
    for (size_t i = 0; i < sizeof strip / sizeof strip[0]; i++) {
        const char *at = strstr(id, strip[i]);
        if (at != NULL && at[strlen(strip[i])] != '\0') {
            snprintf(buf, size, "%s", at + strlen(strip[i]));
            return buf;
        }
    }
    return id;
}

const char *log_identity(const char *arn, char *buf, size_t size)
{
    const char *at = strstr(arn, ":assumed-role/");
    if (strncmp(arn, "arn:", 4) != 0 || at == NULL)
        return arn;
    const char *role = at + strlen(":assumed-role/");
    const char *slash = strchr(role, '/');
    if (slash == NULL || slash == role)
        return arn;
    snprintf(buf, size, "%.*s", (int)(slash - arn), arn);
    return buf;
}

/* A token count: absent reads as 0 with *present 0; else a whole number >= 0 and at most
 * INGEST_MAX_TOKENS_PER_MINUTE (a larger one is a corrupt record). Returns 0, -1 if bad. */
static int token_count(const cJSON *parent, const char *name, int64_t *out, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    *out = 0;
    if (present != NULL)
        *present = 0;
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble > INGEST_MAX_TOKENS_PER_MINUTE || v->valuedouble != floor(v->valuedouble))
        return -1;
    *out = (int64_t)v->valuedouble;
    if (present != NULL)
        *present = 1;
    return 0;
}

static const char *text_of(const cJSON *parent, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The attribution key of a record; "unknown" when the record lacks the field. */
static void choose_key(const cJSON *doc, const char *attribute_by, log_record *rec)
{
    const char *k = NULL;
    if (attribute_by == NULL || strcmp(attribute_by, "identity") == 0) {
        const char *arn = text_of(cJSON_GetObjectItemCaseSensitive(doc, "identity"), "arn");
        k = arn != NULL ? log_identity(arn, rec->key_buf, sizeof rec->key_buf) : NULL;
    } else if (strcmp(attribute_by, "operation") == 0 || strcmp(attribute_by, "region") == 0) {
        k = text_of(doc, attribute_by);
    } else { /* metadata:KEY */
        k = text_of(cJSON_GetObjectItemCaseSensitive(doc, "requestMetadata"), attribute_by + 9);
    }
    if (k == NULL || *k == '\0' || ingest_text_problem(k, strlen(k)) != NULL)
        k = "unknown";
    rec->key = k;
}

/* The token counts; LOG_NO_TOKENS when a request without errorCode has neither count. */
static enum log_outcome read_tokens(const cJSON *doc, log_record *rec, const char **why)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(doc, "input");
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(doc, "output");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(doc, "errorCode");
    int has_in = 0, has_out = 0;
    rec->v.requests = 1;
    if (ec != NULL && !cJSON_IsNull(ec)) {
        rec->v.errors = 1; /* a failed request: counted, its tokens (if any) are not demand */
        return LOG_OK;
    }
    if (token_count(in, "inputTokenCount", &rec->v.input_tokens, &has_in) != 0 ||
        token_count(in, "cacheReadInputTokenCount", &rec->v.cache_read_tokens, NULL) != 0 ||
        token_count(in, "cacheWriteInputTokenCount", &rec->v.cache_write_tokens, NULL) != 0 ||
        token_count(out, "outputTokenCount", &rec->v.output_tokens, &has_out) != 0) {
        *why = "a token count that is not a whole number from 0 to 1e12";
        return LOG_MALFORMED;
    }
    return has_in || has_out ? LOG_OK : LOG_NO_TOKENS;
}

enum log_outcome log_record_parse(const char *text, size_t len, const char *attribute_by,
                                  log_record *rec, cJSON **doc_out, const char **why, char *why_buf,
                                  size_t why_size)
{
    memset(&rec->v, 0, sizeof rec->v);
    *why = NULL;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    *doc_out = doc;
    if (doc == NULL || !cJSON_IsObject(doc)) {
        *why = "not a JSON object";
        return LOG_MALFORMED;
    }
    const char *type = text_of(doc, "schemaType"), *version = text_of(doc, "schemaVersion");
    if (type != NULL && strcmp(type, "ModelInvocationLog") != 0) {
        *why = "schemaType is not ModelInvocationLog";
        return LOG_MALFORMED;
    }
    if (version != NULL && strcmp(version, "1.0") != 0) {
        snprintf(why_buf, why_size, "%.40s", version);
        *why = why_buf;
        return LOG_UNKNOWN_SCHEMA;
    }
    const char *model = text_of(doc, "modelId"), *ts = text_of(doc, "timestamp");
    int64_t t = 0;
    if (model == NULL || *model == '\0' || ingest_text_problem(model, strlen(model)) != NULL) {
        *why = "no modelId";
        return LOG_MALFORMED;
    }
    if (ts == NULL || tp_time_parse(ts, strlen(ts), &t, NULL) != TP_OK) {
        *why = "no timestamp in ISO 8601";
        return LOG_MALFORMED;
    }
    rec->model = log_model_id(model, rec->model_buf, sizeof rec->model_buf);
    rec->minute = t / 60; /* t >= 0: tp_time_parse refuses times before 1970 */
    choose_key(doc, attribute_by, rec);
    return read_tokens(doc, rec, why);
}
