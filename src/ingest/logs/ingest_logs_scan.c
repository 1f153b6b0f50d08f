/* ingest_logs_scan.c - the fast path of reading an invocation log record: a validating scan
 * that keeps the few fields tierplan reads and skips the rest (the request and response
 * bodies are most of a record) without building a document. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "ingest/ingest_internal.h"
#include "ingest/logs/ingest_logs.h"

#define MAX_DEPTH 64

typedef struct scan {
    const char *p, *end;
    int depth;
} scan;

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

static int hex4(const char *q)
{
    for (int i = 0; i < 4; i++)
        if (!((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'a' && q[i] <= 'f') ||
              (q[i] >= 'A' && q[i] <= 'F')))
            return 0;
    return 1;
}

/* A string at s->p: its raw content [*raw, *raw + *n) and whether it holds escapes. Linear
 * in the string: the closing quote found is kept until an escaped quote passes it (searching
 * again after each escape made a string of k escapes cost k times its length). */
static int str(scan *s, const char **raw, size_t *n, int *esc)
{
    if (s->p >= s->end || *s->p != '"')
        return -1;
    const char *q = ++s->p, *qt = NULL;
    *esc = 0;
    for (;;) {
        if (qt == NULL || qt < q)
            qt = memchr(q, '"', (size_t)(s->end - q));
        if (qt == NULL)
            return -1;
        const char *bs = memchr(q, '\\', (size_t)(qt - q));
        if (bs == NULL) {
            q = qt;
            break;
        }
        *esc = 1;
        q = bs + 1;
        if (q >= s->end)
            return -1;
        if (*q == 'u') {
            if (s->end - q < 5 || !hex4(q + 1))
                return -1;
            q += 5;
        } else if (*q != '\0' && strchr("\"\\/bfnrt", *q) != NULL) {
            q++;
        } else {
            return -1;
        }
    }
    *raw = s->p;
    *n = (size_t)(q - s->p);
    s->p = q + 1;
    return 0;
}

/* A number; *whole is 1 (and *out its value) for a non-negative integer of at most 13
 * digits, the only kind a token count may be here. */
static int num(scan *s, int64_t *out, int *whole)
{
    const char *q = s->p, *e = s->end;
    int64_t v = 0;
    int digits = 0;
    *whole = 1;
    if (q < e && *q == '-')
        q++, *whole = 0;
    if (q >= e || *q < '0' || *q > '9')
        return -1;
    if (*q == '0')
        q++, digits = 1;
    else
        for (; q < e && *q >= '0' && *q <= '9'; q++, digits++)
            if (digits < 14)
                v = v * 10 + (*q - '0');
    if (q < e && *q == '.') {
        *whole = 0;
        if (++q >= e || *q < '0' || *q > '9')
            return -1;
        while (q < e && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        *whole = 0;
        if (++q < e && (*q == '+' || *q == '-'))
            q++;
        if (q >= e || *q < '0' || *q > '9')
            return -1;
        while (q < e && *q >= '0' && *q <= '9')
            q++;
    }
    if (digits > 13)
        *whole = 0;
    *out = v;
    s->p = q;
    return 0;
}

static int skip_value(scan *s);

/* Skips an object or array at s->p (its opening bracket). */
static int skip_container(scan *s)
{
    const char close = *s->p == '{' ? '}' : ']';
    const int obj = close == '}';
    if (++s->depth > MAX_DEPTH)
        return -1;
    s->p++;
    ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++, s->depth--;
        return 0;
    }
    for (;;) {
        const char *k;
        size_t n;
        int esc;
        if (obj) {
            if (str(s, &k, &n, &esc) != 0)
                return -1;
            ws(s);
            if (s->p >= s->end || *s->p++ != ':')
                return -1;
        }
        if (skip_value(s) != 0)
            return -1;
        ws(s);
        if (s->p >= s->end)
            return -1;
        if (*s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (*s->p++ != close)
            return -1;
        s->depth--;
        return 0;
    }
}

static int literal(scan *s, const char *word)
{
    const size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return -1;
    s->p += n;
    return 0;
}

static int skip_value(scan *s)
{
    const char *raw;
    size_t n;
    int esc, whole;
    int64_t v;
    ws(s);
    if (s->p >= s->end)
        return -1;
    switch (*s->p) {
    case '"': return str(s, &raw, &n, &esc);
    case '{':
    case '[': return skip_container(s);
    case 't': return literal(s, "true");
    case 'f': return literal(s, "false");
    case 'n': return literal(s, "null");
    default: return num(s, &v, &whole);
    }
}

/* A string value kept in buf (NUL-terminated), or NULL when the value is no string (it is
 * skipped). -1 for what the fast path leaves to the full parser. */
static int keep_str(scan *s, char *buf, size_t size, const char **out)
{
    const char *raw;
    size_t n;
    int esc;
    ws(s);
    if (s->p < s->end && *s->p != '"') {
        *out = NULL;
        return skip_value(s);
    }
    if (str(s, &raw, &n, &esc) != 0 || esc || n >= size)
        return -1;
    memcpy(buf, raw, n);
    buf[n] = '\0';
    *out = buf;
    return 0;
}

/* A token count: null is absent; else a whole number up to 1e12 (anything else: -1). */
static int keep_count(scan *s, int64_t *out, int *present)
{
    int whole = 0;
    ws(s);
    if (s->p < s->end && *s->p == 'n') {
        *present = 0;
        return literal(s, "null");
    }
    if (num(s, out, &whole) != 0 || !whole || *out > (int64_t)INGEST_MAX_TOKENS_PER_MINUTE)
        return -1;
    *present = 1;
    return 0;
}

/* The members of the object at s->p; for each name among names[0..n) seen the first time,
 * calls take(ctx, index) to read the value, else skips it. A value that is no object is
 * skipped (as the full parser finds no member in it). */
typedef int (*take_fn)(scan *s, void *ctx, int index);
static int members(scan *s, const char *const *names, int n, take_fn take, void *ctx)
{
    unsigned seen = 0;
    ws(s);
    if (s->p >= s->end || *s->p != '{')
        return skip_value(s);
    s->p++;
    ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 0;
    }
    for (;;) {
        const char *k;
        size_t kn;
        int esc, i = 0;
        if (str(s, &k, &kn, &esc) != 0 || esc)
            return -1;
        ws(s);
        if (s->p >= s->end || *s->p++ != ':')
            return -1;
        while (i < n && (strlen(names[i]) != kn || memcmp(names[i], k, kn) != 0))
            i++;
        if (i < n && !(seen & 1u << i)) {
            seen |= 1u << i;
            if (take(s, ctx, i) != 0)
                return -1;
        } else if (skip_value(s) != 0) {
            return -1;
        }
        ws(s);
        if (s->p >= s->end)
            return -1;
        if (*s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        return *s->p++ == '}' ? 0 : -1;
    }
}

typedef struct rec_ctx {
    log_record *rec;
    log_fields *f;
    const char *attribute_by; /* normalised: "identity", "operation", "region", "metadata:K" */
} rec_ctx;

static int take_one_str(scan *s, void *ctx, int index)
{
    rec_ctx *c = ctx;
    (void)index;
    return keep_str(s, c->rec->raw_key, sizeof c->rec->raw_key, &c->f->key);
}

static int take_input(scan *s, void *ctx, int index)
{
    rec_ctx *c = ctx;
    int unused;
    static const int slot[3] = {0, 2, 3}; /* input, cache read, cache write */
    return keep_count(s, &c->f->tok[slot[index]], index == 0 ? &c->f->has_in : &unused);
}

static int take_output(scan *s, void *ctx, int index)
{
    rec_ctx *c = ctx;
    (void)index;
    return keep_count(s, &c->f->tok[1], &c->f->has_out);
}

enum {
    K_TYPE,
    K_VERSION,
    K_TS,
    K_MODEL,
    K_ERROR,
    K_IDENTITY,
    K_META,
    K_INPUT,
    K_OUTPUT,
    K_OP,
    K_REGION,
    K_ACCOUNT,
    K_COUNT
};
static const char *const top_names[K_COUNT] = {
    "schemaType",      "schemaVersion", "timestamp", "modelId",   "errorCode", "identity",
    "requestMetadata", "input",         "output",    "operation", "region", "accountId"};

static int take_top(scan *s, void *ctx, int index)
{
    static const char *const arn[] = {"arn"};
    static const char *const in_names[] = {"inputTokenCount", "cacheReadInputTokenCount",
                                           "cacheWriteInputTokenCount"};
    static const char *const out_names[] = {"outputTokenCount"};
    rec_ctx *c = ctx;
    log_record *r = c->rec;
    log_fields *f = c->f;
    const char *by = c->attribute_by;
    switch (index) {
    case K_TYPE: return keep_str(s, r->raw_type, sizeof r->raw_type, &f->type);
    case K_VERSION: return keep_str(s, r->raw_version, sizeof r->raw_version, &f->version);
    case K_TS: return keep_str(s, r->raw_ts, sizeof r->raw_ts, &f->timestamp);
    case K_MODEL: return keep_str(s, r->raw_model, sizeof r->raw_model, &f->model);
    case K_ERROR:
        ws(s);
        f->has_error = !(s->p < s->end && *s->p == 'n');
        return skip_value(s);
    case K_IDENTITY:
        return strcmp(by, "identity") == 0 ? members(s, arn, 1, take_one_str, c) : skip_value(s);
    case K_META:
        if (strncmp(by, "metadata:", 9) == 0) {
            const char *const key[] = {by + 9};
            return members(s, key, 1, take_one_str, c);
        }
        return skip_value(s);
    case K_INPUT: return members(s, in_names, 3, take_input, c);
    case K_OUTPUT: return members(s, out_names, 1, take_output, c);
    case K_REGION:
        /* kept whatever the attribution: where the request was served */
        if (keep_str(s, r->raw_region, sizeof r->raw_region, &f->region) != 0)
            return -1; /* a long or escaped one: the full parser decides */
        if (strcmp(by, "region") == 0)
            f->key = f->region;
        return 0;
    case K_ACCOUNT: return keep_str(s, r->raw_account, sizeof r->raw_account, &f->account);
    case K_OP:
        return strcmp(by, top_names[index]) == 0
                   ? keep_str(s, r->raw_key, sizeof r->raw_key, &f->key)
                   : skip_value(s);
    default: return skip_value(s);
    }
}

int log_record_scan(const char *text, size_t len, const char *attribute_by, log_record *rec,
                    log_fields *f)
{
    scan s = {text, text + len, 0};
    rec_ctx c = {rec, f, attribute_by != NULL ? attribute_by : "identity"};
    memset(f, 0, sizeof *f);
    /* a raw NUL is left to the full parser, which refuses it (docs/formats.md, "Invocation
     * logs"): one pass over the record costs less than a check in every string */
    if (memchr(text, '\0', len) != NULL)
        return -1;
    ws(&s);
    if (s.p >= s.end || *s.p != '{')
        return -1;
    if (members(&s, top_names, K_COUNT, take_top, &c) != 0)
        return -1;
    ws(&s);
    return s.p == s.end ? 0 : -1;
}
