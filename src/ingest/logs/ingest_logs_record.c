/* ingest_logs_record.c - one Bedrock model invocation log record: its fields, the modelId
 * and identity normalisation, and the attribution key. Bodies are never copied. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"
#include "tierplan/timestamp.h"

tp_status ingest_logs_check_attr(const char *a, tp_error *err)
{
    if (a == NULL || strcmp(a, "identity") == 0 || strcmp(a, "operation") == 0 ||
        strcmp(a, "region") == 0)
        return TP_OK;
    if (strncmp(a, "metadata:", 9) == 0 && a[9] != '\0' &&
        ingest_text_problem(a + 9, strlen(a + 9)) == NULL)
        return TP_OK;
    return tp_error_set_field(err, TP_ERR_USAGE, "attribute_by",
                              "{attribute_by}: \"%s\" is not identity, metadata:KEY, operation "
                              "or region",
                              a);
}

const char log_why_long_model[] = "modelId over 2048 bytes";
const char log_why_long_key[] = "attribution key over 2048 bytes";
_Static_assert(TP_INGEST_MAX_ID_BYTES == 2048, "the reasons above name the limit");

const char *log_model_id(const char *id)
{
    /* CloudWatch names foundation models and system inference profiles by their id, and
     * application inference profiles, provisioned, custom and imported models by ARN. */
    static const char *const strip[] = {":foundation-model/", ":inference-profile/"};
    if (strncmp(id, "arn:", 4) != 0)
        return id;
    for (size_t i = 0; i < sizeof strip / sizeof strip[0]; i++) {
        const char *at = strstr(id, strip[i]);
        if (at != NULL && at[strlen(strip[i])] != '\0')
            return at + strlen(strip[i]);
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
    const size_t n = (size_t)(slash - arn);
    if (n >= size)
        return NULL;
    memcpy(buf, arn, n);
    buf[n] = '\0';
    return buf;
}

/* A token count: absent or null reads as 0 with *present 0; else a whole number >= 0 and at
 * most INGEST_MAX_TOKENS_PER_MINUTE (a larger one is a corrupt record). 0, or -1 if bad. */
static int token_count(const cJSON *parent, const char *name, int64_t *out, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    *out = 0;
    *present = 0;
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble > INGEST_MAX_TOKENS_PER_MINUTE || v->valuedouble != floor(v->valuedouble))
        return -1;
    *out = (int64_t)v->valuedouble;
    *present = 1;
    return 0;
}

static const char *text_of(const cJSON *parent, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The fields of a parsed document (strings borrowed from it). */
static void fields_of(const cJSON *doc, const char *attribute_by, log_fields *f)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(doc, "input");
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(doc, "output");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(doc, "errorCode");
    memset(f, 0, sizeof *f);
    f->type = text_of(doc, "schemaType");
    f->version = text_of(doc, "schemaVersion");
    f->timestamp = text_of(doc, "timestamp");
    f->model = text_of(doc, "modelId");
    f->region = text_of(doc, "region");
    f->account = text_of(doc, "accountId");
    if (attribute_by == NULL || strcmp(attribute_by, "identity") == 0)
        f->key = text_of(cJSON_GetObjectItemCaseSensitive(doc, "identity"), "arn");
    else if (strcmp(attribute_by, "operation") == 0 || strcmp(attribute_by, "region") == 0)
        f->key = text_of(doc, attribute_by);
    else /* metadata:KEY */
        f->key =
            text_of(cJSON_GetObjectItemCaseSensitive(doc, "requestMetadata"), attribute_by + 9);
    f->has_error = ec != NULL && !cJSON_IsNull(ec);
    int unused;
    f->bad_tokens = token_count(in, "inputTokenCount", &f->tok[0], &f->has_in) != 0 ||
                    token_count(in, "cacheReadInputTokenCount", &f->tok[2], &unused) != 0 ||
                    token_count(in, "cacheWriteInputTokenCount", &f->tok[3], &unused) != 0 ||
                    token_count(out, "outputTokenCount", &f->tok[1], &f->has_out) != 0;
}

enum log_outcome log_fields_decide(const log_fields *f, const char *attribute_by, log_record *rec,
                                   const char **why, char *why_buf, size_t why_size)
{
    int64_t t = 0;
    memset(&rec->v, 0, sizeof rec->v);
    *why = NULL;
    if (f->type != NULL && strcmp(f->type, "ModelInvocationLog") != 0) {
        *why = "schemaType is not ModelInvocationLog";
        return LOG_MALFORMED;
    }
    if (f->version != NULL && strcmp(f->version, "1.0") != 0) {
        snprintf(why_buf, why_size, "%.40s", f->version);
        *why = why_buf;
        return LOG_UNKNOWN_SCHEMA;
    }
    if (f->model != NULL && strlen(f->model) > TP_INGEST_MAX_ID_BYTES) {
        *why = log_why_long_model; /* refused whole: a cut id would merge models */
        return LOG_TOO_LONG;
    }
    if (f->model == NULL || *f->model == '\0') {
        *why = "no modelId";
        return LOG_MALFORMED;
    }
    const char *bad = ingest_text_problem(f->model, strlen(f->model));
    if (bad != NULL) { /* refused, not renamed: an id is never rewritten */
        snprintf(why_buf, why_size, "a modelId that is not text (%s)", bad);
        *why = why_buf;
        return LOG_MALFORMED;
    }
    if (f->timestamp == NULL ||
        tp_timestamp_parse(f->timestamp, strlen(f->timestamp), &t, NULL) != TP_OK) {
        *why = "no timestamp in ISO 8601";
        return LOG_MALFORMED;
    }
    const char *k = f->key;
    if (k != NULL && strlen(k) > TP_INGEST_MAX_ID_BYTES) {
        *why = log_why_long_key;
        return LOG_TOO_LONG;
    }
    rec->model = log_model_id(f->model);
    rec->region = f->region;
    rec->account = f->account;
    rec->minute = t / 60; /* t >= 0: tp_timestamp_parse refuses times before 1970 */
    if (k != NULL && (attribute_by == NULL || strcmp(attribute_by, "identity") == 0))
        k = log_identity(k, rec->key_buf, sizeof rec->key_buf); /* fits: a prefix of k */
    rec->key_problem = k != NULL && *k != '\0' ? ingest_text_problem(k, strlen(k)) : NULL;
    rec->keyless = k == NULL || *k == '\0' || rec->key_problem != NULL;
    rec->key = rec->keyless ? "unknown" : k;
    rec->v.requests = 1;
    if (f->has_error) {
        rec->v.errors = 1; /* a failed request: counted, its tokens (if any) are not demand */
        return LOG_OK;
    }
    if (f->bad_tokens) {
        *why = "a token count that is not a whole number from 0 to 1e12";
        return LOG_MALFORMED;
    }
    rec->v.input_tokens = f->tok[0], rec->v.output_tokens = f->tok[1];
    rec->v.cache_read_tokens = f->tok[2], rec->v.cache_write_tokens = f->tok[3];
    return f->has_in || f->has_out ? LOG_OK : LOG_NO_TOKENS;
}

static unsigned hex_value(const char *q)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        const char c = q[i];
        const unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                           : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                           : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                  : 16u;
        if (d > 15)
            return 0x10000; /* not hex: cJSON refuses the text anyway */
        v = v * 16 + d;
    }
    return v;
}

/* The \u escapes of text[0, len) cJSON cannot read faithfully: \u0000 (it ends the string
 * there) and a lone surrogate (it refuses the whole document). With copy NULL, counts them;
 * else rewrites them in copy (a copy of text): variant 0 makes \u0000 \u0001 and a lone
 * surrogate \ufffd, variant 1 keeps \u0000 and makes a lone surrogate \ufffe. */
static size_t odd_escapes(const char *text, size_t len, char *copy, int variant)
{
    size_t n = 0;
    const char *e = text + len;
    for (const char *p = text; (p = memchr(p, '\\', (size_t)(e - p))) != NULL;) {
        const char *q = p;
        while (q < e && *q == '\\')
            q++;
        const size_t run = (size_t)(q - p); /* an even run is escaped backslashes */
        p = q;
        if (run % 2 == 0 || e - q < 5 || *q != 'u')
            continue;
        const unsigned v = hex_value(q + 1);
        const char *fix = NULL;
        p = q + 5;
        if (v >= 0xd800 && v <= 0xdbff && e - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
            hex_value(p + 2) >= 0xdc00 && hex_value(p + 2) <= 0xdfff)
            p += 6; /* a pair */
        else if (v == 0)
            fix = variant == 0 ? "0001" : "0000";
        else if (v >= 0xd800 && v <= 0xdfff)
            fix = variant == 0 ? "fffd" : "fffe";
        if (fix != NULL && copy != NULL)
            memcpy(copy + (q + 1 - text), fix, 4);
        n += fix != NULL;
    }
    return n;
}

static int same_text(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* The fields of a text with odd escapes (odd_escapes), read twice with them rewritten two
 * ways: when a field read differs, such an escape is in a name or value tierplan reads and
 * the record is refused (*in_field 1); in a body (skipped) it is harmless. *doc receives the
 * first reading (NULL: not JSON). -1 when out of memory. */
static int read_odd(const char *text, size_t len, const char *attribute_by, cJSON **doc,
                    size_t *end_off, log_fields *f, int *in_field)
{
    const char *end = NULL;
    char *copy = malloc(len);
    int oom = 0;
    cJSON *other = NULL;
    *doc = NULL;
    *in_field = 0;
    if (copy == NULL)
        return -1;
    for (int variant = 0; variant < 2 && !oom; variant++) {
        memcpy(copy, text, len);
        odd_escapes(text, len, copy, variant);
        cJSON *d = cnum_json_parse(copy, len, &end, 0, &oom);
        if (variant == 0) {
            *doc = d;
            *end_off = d != NULL ? (size_t)(end - copy) : 0;
        } else
            other = d;
    }
    if (*doc != NULL && other != NULL) {
        log_fields g;
        fields_of(*doc, attribute_by, f);
        fields_of(other, attribute_by, &g);
        *in_field = !same_text(f->type, g.type) || !same_text(f->version, g.version) ||
                    !same_text(f->timestamp, g.timestamp) || !same_text(f->model, g.model) ||
                    !same_text(f->key, g.key) || f->has_error != g.has_error ||
                    f->bad_tokens != g.bad_tokens || f->has_in != g.has_in ||
                    f->has_out != g.has_out || memcmp(f->tok, g.tok, sizeof f->tok) != 0;
    }
    cJSON_Delete(other);
    free(copy);
    return oom ? -1 : 0;
}

enum log_outcome log_record_parse_full(const char *text, size_t len, const char *attribute_by,
                                       log_record *rec, cJSON **doc_out, const char **why,
                                       char *why_buf, size_t why_size)
{
    log_fields f;
    int oom = 0, in_field = 0;
    const char *end = NULL;
    size_t end_off = 0;
    cJSON *doc = NULL;
    memset(&rec->v, 0, sizeof rec->v);
    *doc_out = NULL;
    /* cJSON reads a raw NUL as whitespace or as the end of a string: never a record */
    if (memchr(text, '\0', len) != NULL) {
        *why = "a NUL character";
        return LOG_MALFORMED;
    }
    if (odd_escapes(text, len, NULL, 0) == 0) {
        doc = cnum_json_parse(text, len, &end, 0, &oom);
        end_off = doc != NULL ? (size_t)(end - text) : 0;
    } else if (read_odd(text, len, attribute_by, &doc, &end_off, &f, &in_field) != 0) {
        oom = 1;
    }
    *doc_out = doc;
    if (oom)
        return LOG_NOMEM;
    if (doc == NULL || !cJSON_IsObject(doc)) {
        *why = "not a JSON object";
        return LOG_MALFORMED;
    }
    while (end_off < len && (text[end_off] == ' ' || text[end_off] == '\t' ||
                             text[end_off] == '\r' || text[end_off] == '\n'))
        end_off++;
    if (end_off != len) { /* cJSON stops after the first value; the fast path does not */
        *why = "text after the record";
        return LOG_MALFORMED;
    }
    if (in_field) {
        *why = "a \\u0000 or a lone surrogate in a field read";
        return LOG_MALFORMED;
    }
    if (end != NULL) /* else read_odd read the fields */
        fields_of(doc, attribute_by, &f);
    return log_fields_decide(&f, attribute_by, rec, why, why_buf, why_size);
}

enum log_outcome log_record_parse(const char *text, size_t len, const char *attribute_by,
                                  log_record *rec, cJSON **doc_out, const char **why, char *why_buf,
                                  size_t why_size)
{
    log_fields f;
    *doc_out = NULL;
    /* the fast path reads what it needs and skips the bodies; anything unusual (an escape in
     * a field it keeps, a fraction, invalid JSON) goes to cJSON, which decides */
    if (log_record_scan(text, len, attribute_by, rec, &f) == 0)
        return log_fields_decide(&f, attribute_by, rec, why, why_buf, why_size);
    return log_record_parse_full(text, len, attribute_by, rec, doc_out, why, why_buf, why_size);
}
