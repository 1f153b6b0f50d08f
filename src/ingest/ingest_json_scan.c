/* ingest_json_scan.c - the streaming scanner of CloudWatch get-metric-data JSON: reads
 * MetricDataResults[].{Id, Label, Timestamps, Values, StatusCode, Messages}, NextToken and
 * Messages of one or more concatenated documents straight into decoded groups, without
 * building a cJSON tree (the tree's nodes, their mallocs and strtod cost most of the time).
 *
 * It either reads the whole input or declines with nothing changed: anything it does not
 * recognise (another key, a duplicate key, a value of another type, an escape it does not
 * decode, a number outside JSON's grammar) or anything the cJSON path would report as an error
 * (a bad timestamp or value, a key the label does not give) makes it decline, and
 * ingest_decode_json reads the input with cJSON as before, reporting what it reports. What it
 * accepts it stores exactly as the cJSON path does (tests/test_ingest_scan.c and the
 * differential fuzz harness tests/fuzz/fuzz_ingest.c compare the two). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cnum.h"
#include "base/util.h"
#include "ingest/ingest_internal.h"
#include "tierplan/timestamp.h"

/* Objects and arrays nested deeper than this inside Messages are declined (cJSON takes 1000). */
#define SCAN_MAX_DEPTH 64
/* A number token longer than this is declined (cJSON reads at most 63 characters of one). */
#define SCAN_MAX_NUMBER 40

typedef struct scan_buf {
    char *s;
    size_t n, cap;
} scan_buf;

typedef struct scan {
    const char *p, *end;
    const tp_ingest_options *opts;
    ingest_decoded *dec;
    int64_t *ts; /* the current result's Timestamps and Values (reused for every result) */
    size_t n_ts, cap_ts;
    double *vals;
    size_t n_vals, cap_vals;
    scan_buf id, label, status, text;
    size_t cap_res; /* room in the last page's res */
    char day[10];   /* the date "YYYY-MM-DD" of the last timestamp tp_timestamp_parse read */
    int64_t day_s;  /* its midnight, seconds since the epoch; day[0] is 0 until one is read */
    int oom;        /* declined for want of memory: reported, not retried with cJSON */
} scan;

static int is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline void skip_ws(scan *s)
{
    /* the AWS CLI indents every item: runs of spaces go eight at a time */
    while (s->end - s->p >= 8 && memcmp(s->p, "        ", 8) == 0)
        s->p += 8;
    while (s->p < s->end && is_ws(*s->p))
        s->p++;
}

/* Consumes c (after white space): 1, else 0. */
static int eat(scan *s, char c)
{
    skip_ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

static int buf_add(scan *s, scan_buf *b, const char *text, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->n + n + 1)
            ncap *= 2;
        char *ns = realloc(b->s, ncap);
        if (ns == NULL) {
            s->oom = 1;
            return -1;
        }
        b->s = ns;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, text, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Reads a string into b (decoded, terminated): 0, or -1 to decline. Control characters,
 * \u0000 and surrogate escapes are declined (cJSON would cut the string or pair them). */
static int scan_string(scan *s, scan_buf *b)
{
    b->n = 0;
    if (buf_add(s, b, "", 0) != 0 || !eat(s, '"'))
        return -1;
    for (;;) {
        const char *q = s->p;
        while (q < s->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
            q++;
        if (q > s->p && buf_add(s, b, s->p, (size_t)(q - s->p)) != 0)
            return -1;
        s->p = q;
        if (q >= s->end || (unsigned char)*q < 0x20)
            return -1;
        s->p++;
        if (*q == '"')
            return 0;
        if (s->p >= s->end)
            return -1;
        char c = *s->p++, out[3];
        size_t n = 1;
        switch (c) {
        case '"':
        case '\\':
        case '/': out[0] = c; break;
        case 'b': out[0] = '\b'; break;
        case 'f': out[0] = '\f'; break;
        case 'n': out[0] = '\n'; break;
        case 'r': out[0] = '\r'; break;
        case 't': out[0] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (s->end - s->p < 4 || hex4(s->p, &cp) != 0 || cp == 0 ||
                (cp >= 0xD800 && cp <= 0xDFFF))
                return -1;
            s->p += 4;
            if (cp < 0x80) {
                out[0] = (char)cp;
            } else if (cp < 0x800) {
                out[0] = (char)(0xC0 | (cp >> 6));
                out[1] = (char)(0x80 | (cp & 0x3F));
                n = 2;
            } else {
                out[0] = (char)(0xE0 | (cp >> 12));
                out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[2] = (char)(0x80 | (cp & 0x3F));
                n = 3;
            }
            break;
        }
        default: return -1;
        }
        if (buf_add(s, b, out, n) != 0)
            return -1;
    }
}

/* Reads a key (no escapes) and the colon after it; *k and *kn name it in the input. */
static int scan_key(scan *s, const char **k, size_t *kn)
{
    if (!eat(s, '"'))
        return -1;
    const char *q = s->p;
    while (q < s->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
        q++;
    if (q >= s->end || *q != '"')
        return -1;
    *k = s->p;
    *kn = (size_t)(q - s->p);
    s->p = q + 1;
    return eat(s, ':') ? 0 : -1;
}

static int key_is(const char *k, size_t kn, const char *name)
{
    return kn == strlen(name) && memcmp(k, name, kn) == 0;
}

/* 10^0 .. 10^22: every one exact in a double. */
static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Reads a number in JSON's grammar into *out, the double strtod (what cJSON calls) gives for
 * it: a mantissa of at most 2^53 scaled by 10^-22 .. 10^22 is one correctly rounded
 * multiplication or division of exact doubles (Clinger's fast path), equal to strtod's
 * correctly rounded result; any other number goes to strtod. 0, or -1 to decline. */
static int scan_number(scan *s, double *out)
{
    skip_ws(s);
    const char *t = s->p, *q = s->p;
    /* digits past the longest number read are left for the check after the token */
    const char *end = s->end - s->p > SCAN_MAX_NUMBER ? s->p + SCAN_MAX_NUMBER : s->end;
    int neg = 0, exact = 1, digits = 0;
    uint64_t m = 0;
    int e10 = 0;
    if (q < end && *q == '-') {
        neg = 1;
        q++;
    }
    if (q >= end || *q < '0' || *q > '9')
        return -1;
    if (*q == '0') {
        q++;
    } else {
        for (; q < end && *q >= '0' && *q <= '9'; q++) {
            if (digits < 19) {
                m = m * 10 + (uint64_t)(*q - '0');
                digits++;
            } else {
                exact = 0;
            }
        }
    }
    if (q < end && *q == '.') {
        q++;
        if (q >= end || *q < '0' || *q > '9')
            return -1;
        for (; q < end && *q >= '0' && *q <= '9'; q++) {
            if (m == 0 && *q == '0') {
                e10--;
            } else if (digits < 19) {
                m = m * 10 + (uint64_t)(*q - '0');
                digits++;
                e10--;
            } else {
                exact = 0;
            }
        }
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        int eneg = 0, ev = 0;
        q++;
        if (q < end && (*q == '+' || *q == '-'))
            eneg = *q++ == '-';
        if (q >= end || *q < '0' || *q > '9')
            return -1;
        for (; q < end && *q >= '0' && *q <= '9'; q++)
            if (ev < 10000)
                ev = ev * 10 + (*q - '0');
        e10 += eneg ? -ev : ev;
    }
    if (q >= s->end || (!is_ws(*q) && *q != ',' && *q != ']' && *q != '}'))
        return -1;
    s->p = q;
    if (exact && m <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
        double v = (double)m;
        v = e10 < 0 ? v / pow10_exact[-e10] : v * pow10_exact[e10];
        *out = neg ? -v : v;
        return 0;
    }
    return cnum_parse(t, (size_t)(q - t), out) == 0 ? 0 : -1;
}

/* Skips any JSON value (Messages), checking its syntax as strictly as the rest. */
static int skip_value(scan *s, int depth)
{
    double v;
    skip_ws(s);
    if (s->p >= s->end || depth > SCAN_MAX_DEPTH)
        return -1;
    char c = *s->p;
    if (c == '"')
        return scan_string(s, &s->text);
    if (c == '{' || c == '[') {
        const char close = c == '{' ? '}' : ']';
        s->p++;
        if (eat(s, close))
            return 0;
        do {
            const char *k;
            size_t kn;
            if ((c == '{' && scan_key(s, &k, &kn) != 0) || skip_value(s, depth + 1) != 0)
                return -1;
        } while (eat(s, ','));
        return eat(s, close) ? 0 : -1;
    }
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(s->end - s->p) >= n && memcmp(s->p, words[i], n) == 0) {
            s->p += n;
            return 0;
        }
    }
    return scan_number(s, &v);
}

static int two_digits(const char *p)
{
    return p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'
               ? (p[0] - '0') * 10 + (p[1] - '0')
               : -1;
}

/* The seconds into its day of a timestamp t[0, n) in the forms the AWS CLI writes,
 * "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS+00:00" (hours 00-23, minutes and seconds
 * 00-59), or -1 for any other text. */
static int64_t time_of_day(const char *t, size_t n)
{
    if (!((n == 20 && t[19] == 'Z') || (n == 25 && memcmp(t + 19, "+00:00", 6) == 0)) ||
        t[10] != 'T' || t[13] != ':' || t[16] != ':')
        return -1;
    const int hh = two_digits(t + 11), mi = two_digits(t + 14), ss = two_digits(t + 17);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59)
        return -1;
    return hh * 3600 + mi * 60 + ss;
}

/* An ISO 8601 timestamp t[0, n) as tp_timestamp_parse reads it: 0 with *out, or -1. Most
 * timestamps of an export share their date with the one before: when the date is the one
 * tp_timestamp_parse last read, and the rest is a time of day in a form time_of_day knows,
 * the instant is that date's midnight plus the time of day, which is what tp_timestamp_parse
 * computes (days_from_civil * 86400 + the time of day - a zero offset) after the same range
 * check. */
static int scan_iso(scan *s, const char *t, size_t n, int64_t *out)
{
    const int64_t tod = n >= 20 ? time_of_day(t, n) : -1;
    if (tod >= 0 && s->day[0] != '\0' && memcmp(t, s->day, 10) == 0) {
        const int64_t v = s->day_s + tod;
        if (v < 0 || v > TP_TIME_MAX_S)
            return -1;
        *out = v;
        return 0;
    }
    if (tp_timestamp_parse(t, n, out, NULL) != TP_OK)
        return -1;
    if (tod >= 0) {
        memcpy(s->day, t, 10);
        s->day_s = *out - tod;
    }
    return 0;
}

/* A timestamp item as the cJSON path's ts_item reads it: 0 with *out, -1 to decline. */
static int scan_timestamp(scan *s, int64_t *out)
{
    double v;
    skip_ws(s);
    if (s->p < s->end && *s->p == '"') {
        /* without escapes, read in place */
        const char *t = s->p + 1, *q = t;
        while (q < s->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
            q++;
        if (q < s->end && *q == '"') {
            s->p = q + 1;
            if (scan_iso(s, t, (size_t)(q - t), out) == 0)
                return 0;
            if (cnum_parse(t, (size_t)(q - t), &v) != 0)
                return -1;
        } else {
            if (scan_string(s, &s->text) != 0)
                return -1;
            if (tp_timestamp_parse(s->text.s, s->text.n, out, NULL) == TP_OK)
                return 0;
            if (cnum_parse(s->text.s, s->text.n, &v) != 0)
                return -1;
        }
    } else if (scan_number(s, &v) != 0) {
        return -1;
    }
    return ingest_epoch_number(v, out) == 0 ? 0 : -1;
}

/* Reads Timestamps (values 0) or Values (values 1) into the scratch arrays. */
static int scan_points(scan *s, int values)
{
    if (!eat(s, '['))
        return -1;
    size_t *n = values ? &s->n_vals : &s->n_ts;
    *n = 0;
    if (eat(s, ']'))
        return 0;
    do {
        if (values) {
            if (UTIL_GROW(s->vals, s->cap_vals, s->n_vals + 1) != 0)
                return s->oom = 1, -1;
            if (scan_number(s, &s->vals[s->n_vals]) != 0 ||
                ingest_value_problem(s->vals[s->n_vals]) != NULL)
                return -1;
            s->n_vals++;
        } else {
            if (UTIL_GROW(s->ts, s->cap_ts, s->n_ts + 1) != 0)
                return s->oom = 1, -1;
            if (scan_timestamp(s, &s->ts[s->n_ts]) != 0)
                return -1;
            s->n_ts++;
        }
    } while (eat(s, ','));
    return eat(s, ']') ? 0 : -1;
}

/* One entry of MetricDataResults, number ri of the document named docname. */
static int scan_result(scan *s, const char *docname, int ri)
{
    enum { ID = 1, LABEL = 2, TSS = 4, VALS = 8, STATUS = 16, MESSAGES = 32 };
    unsigned seen = 0;
    if (!eat(s, '{'))
        return -1;
    if (!eat(s, '}')) {
        do {
            const char *k;
            size_t kn;
            unsigned bit;
            int rc;
            if (scan_key(s, &k, &kn) != 0)
                return -1;
            if (key_is(k, kn, "Id")) {
                bit = ID;
                rc = scan_string(s, &s->id);
            } else if (key_is(k, kn, "Label")) {
                bit = LABEL;
                rc = scan_string(s, &s->label);
            } else if (key_is(k, kn, "Timestamps")) {
                bit = TSS;
                rc = scan_points(s, 0);
            } else if (key_is(k, kn, "Values")) {
                bit = VALS;
                rc = scan_points(s, 1);
            } else if (key_is(k, kn, "StatusCode")) {
                bit = STATUS;
                rc = scan_string(s, &s->status);
            } else if (key_is(k, kn, "Messages")) {
                bit = MESSAGES;
                rc = skip_value(s, 0);
            } else {
                return -1;
            }
            if (rc != 0 || (seen & bit) != 0)
                return -1;
            seen |= bit;
        } while (eat(s, ','));
        if (!eat(s, '}'))
            return -1;
    }
    if ((seen & (TSS | VALS)) != (TSS | VALS) || s->n_ts != s->n_vals)
        return -1;

    ingest_decoded *dec = s->dec;
    ingest_page *pg = &dec->pages[dec->n_pages - 1];
    if (UTIL_GROW(pg->res, s->cap_res, pg->n_res + 1) != 0)
        return s->oom = 1, -1;
    memset(&pg->res[pg->n_res], 0, sizeof pg->res[0]);
    char where[256];
    snprintf(where, sizeof where, "%s$.MetricDataResults[%d]", docname, ri);
    const char *label = seen & LABEL ? s->label.s : "";
    tp_error err;
    ingest_group g = {0};
    tp_status st;
    if ((st = ingest_json_note_result(dec, where, seen & ID ? s->id.s : NULL, label,
                                      seen & STATUS ? s->status.s : NULL, &err)) != TP_OK ||
        (st = ingest_json_group_open(s->opts, dec, &g, where, "Values", label, &err)) != TP_OK)
        goto cleanup;
    if (s->n_ts > 0 && (g.pts = malloc(s->n_ts * sizeof *g.pts)) == NULL) {
        st = TP_ERR_NOMEM;
        goto cleanup;
    }
    g.cap = s->n_ts; /* exactly, as the cJSON path */
    for (size_t j = 0; j < s->n_ts; j++)
        g.pts[j] = (ingest_point){s->ts[j], s->vals[j], (uint32_t)j};
    g.n = s->n_ts;
    st = ingest_take_group(dec, &g, &err);
cleanup:
    ingest_group_deinit(&g);
    s->oom |= st == TP_ERR_NOMEM;
    return st == TP_OK ? 0 : -1;
}

/* One document (an object) named docname. */
static int scan_doc(scan *s, const char *docname)
{
    enum { RESULTS = 1, NEXT = 2, MESSAGES = 4 };
    unsigned seen = 0;
    int has_next = 0;
    ingest_page *pg = NULL;
    tp_error err;
    if (!eat(s, '{'))
        return -1;
    do {
        const char *k;
        size_t kn;
        unsigned bit;
        if (scan_key(s, &k, &kn) != 0)
            return -1;
        if (key_is(k, kn, "MetricDataResults")) {
            bit = RESULTS;
            if ((seen & bit) != 0 || !eat(s, '['))
                return -1;
            if (ingest_json_page_open(s->dec, docname, 0, 0, &err) != TP_OK)
                return s->oom = 1, -1; /* it fails only for want of memory */
            pg = &s->dec->pages[s->dec->n_pages - 1];
            s->cap_res = 1;
            if (!eat(s, ']')) {
                int ri = 0;
                do {
                    if (scan_result(s, docname, ri++) != 0)
                        return -1;
                } while (eat(s, ','));
                if (!eat(s, ']'))
                    return -1;
            }
        } else if (key_is(k, kn, "NextToken")) {
            bit = NEXT;
            if (scan_string(s, &s->text) != 0)
                return -1;
            has_next = s->text.n > 0;
        } else if (key_is(k, kn, "Messages")) {
            bit = MESSAGES;
            if (skip_value(s, 0) != 0)
                return -1;
        } else {
            return -1; /* Datapoints (get-metric-statistics) and anything else */
        }
        if ((seen & bit) != 0)
            return -1;
        seen |= bit;
    } while (eat(s, ','));
    if (!eat(s, '}') || pg == NULL)
        return -1;
    pg->has_next = has_next;
    return 0;
}

/* Reads every document, naming them ("document N, ") when multi. */
static int scan_all(scan *s, const char *data, size_t len, int multi)
{
    size_t ndoc = 0;
    s->p = data;
    s->end = data + len;
    for (skip_ws(s); s->p < s->end; skip_ws(s)) {
        char docname[48] = "";
        ndoc++;
        if (multi)
            snprintf(docname, sizeof docname, "document %zu, ", ndoc);
        if (scan_doc(s, docname) != 0)
            return -1;
        skip_ws(s);
        if (!multi && s->p < s->end)
            return 1; /* more than one document: named from the first */
    }
    if (ndoc == 0)
        return -1;
    s->dec->documents = ndoc;
    s->dec->format = "get-metric-data";
    return 0;
}

int ingest_json_scan(const tp_ingest_options *opts, ingest_decoded *dec, const char *data,
                     size_t len, tp_error *err)
{
    if (dec->n_groups != 0 || dec->n_empties != 0 || dec->n_pages != 0 || dec->n_warnings != 0 ||
        dec->documents != 0)
        return 0;
    scan s = {0};
    ingest_decoded tmp = {0};
    int rc = -1;
    s.opts = opts;
    s.dec = &tmp;
    for (int multi = 0; multi < 2 && rc != 0; multi++) {
        ingest_decoded_deinit(&tmp);
        tmp.name = dec->name;
        if ((rc = scan_all(&s, data, len, multi)) < 0)
            break;
    }
    free(s.ts);
    free(s.vals);
    free(s.id.s);
    free(s.label.s);
    free(s.status.s);
    free(s.text.s);
    if (rc != 0) {
        ingest_decoded_deinit(&tmp);
        if (s.oom) {
            tp_error_set(err, TP_ERR_NOMEM, "out of memory");
            return -1;
        }
        return 0;
    }
    *dec = tmp;
    return 1;
}
