/* test_zstream.c - the gzip reader's cap on inflated bytes (a decompression bomb stops early,
 * naming the file; honest inputs pass), and a bomb ingested as invocation logs stores nothing. */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/zstream.h"
#include "test_util.h"

void register_tests(void);

#define MIB ((size_t)1 << 20)

/* data[0, len) as one gzip member (level 9); *out_len its size. Caller frees. */
static unsigned char *gzip_of(const unsigned char *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    CU_ASSERT_EQUAL_FATAL(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len);
    unsigned char *out = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    zs.next_in = (unsigned char *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    CU_ASSERT_EQUAL_FATAL(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

/* Reads gz through a zstream (prefix: its first 2 bytes, as ingest passes the sniffed ones)
 * with the given floor; returns the status of the last call, the content bytes handed out in
 * *content and the chunks in *chunks. */
static tp_status read_through(const unsigned char *gz, size_t n, int threaded,
                              unsigned long long floor, size_t *content, size_t *chunks,
                              tp_error *err)
{
    FILE *f = fmemopen((void *)(uintptr_t)(gz + 2), n - 2, "rb");
    zstream *z = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    tp_status rc = zstream_open("bomb.json.gz", gz, 2, f, threaded, floor, &z, err);
    const char *chunk = NULL;
    size_t len = 0;
    *content = *chunks = 0;
    while (rc == TP_OK && (rc = zstream_next(z, &chunk, &len, err)) == TP_OK && len > 0) {
        *content += len;
        (*chunks)++;
    }
    zstream_close(z);
    fclose(f);
    return rc;
}

/* 64 MiB of zeros gzip to about 65 KB (deflate's 1032:1). With a floor of 1 MiB the cap is
 * max(1 MiB, 100 x the compressed bytes read); the reader reads all of them (under its 256 KiB
 * buffer) before the first chunk, so the cap is 100 x n, about 6.5 MB, and the chunk that
 * reaches it fails: k = ceil(100 n / 1 MiB) chunks, k - 1 handed out (6 for n = 65,000:
 * 6,500,000 / 1,048,576 = 6.2 -> k = 7). Without the cap, 64 chunks. */
static void test_bomb_stops(void)
{
    unsigned char *zeros = calloc(64, MIB);
    size_t n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(zeros);
    unsigned char *gz = gzip_of(zeros, 64 * MIB, &n);
    CU_ASSERT(n > 60000 && n < 70000);
    const size_t k = (100 * n + MIB - 1) / MIB;
    for (int threaded = 0; threaded <= 1; threaded++) {
        size_t content = 0, chunks = 0;
        tp_error err;
        CU_ASSERT_EQUAL(read_through(gz, n, threaded, MIB, &content, &chunks, &err),
                        TP_ERR_TOO_BIG);
        CU_ASSERT_EQUAL(chunks, k - 1);
        CU_ASSERT_EQUAL(content, (k - 1) * MIB);
        CU_ASSERT_STRING_EQUAL(err.message,
                               "bomb.json.gz: gzip content over 1048576 bytes and over 100 "
                               "times its compressed size (a decompression bomb?); raise the "
                               "floor with max_file_bytes if it is genuine");
        CU_ASSERT_EQUAL(err.n_mentions, 1); /* the CLI writes --max-input-mb there */
    }
    /* a floor above the content: the whole 64 MiB, in 64 chunks */
    size_t content = 0, chunks = 0;
    tp_error err;
    CU_ASSERT_EQUAL(read_through(gz, n, 1, 64 * MIB, &content, &chunks, &err), TP_OK);
    CU_ASSERT_EQUAL(content, 64 * MIB);
    CU_ASSERT_EQUAL(chunks, 64);
    free(gz);
    free(zeros);
}

/* Honest inputs pass: 8 MiB of log-like lines (about 5:1, well under 100:1) past a 1 MiB floor,
 * and 512 KiB of zeros (1000:1) under it. */
static void test_honest_inputs_pass(void)
{
    unsigned char *text = malloc(8 * MIB);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    uint64_t r = 7;
    for (size_t i = 0; i < 8 * MIB; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        text[i] = (unsigned char)((i % 80) == 79 ? '\n' : "{\"abcdef:,0123456789}"[(r >> 33) % 20]);
    }
    size_t n = 0, content = 0, chunks = 0;
    tp_error err;
    unsigned char *gz = gzip_of(text, 8 * MIB, &n);
    CU_ASSERT(8 * MIB / n < 100);
    CU_ASSERT_EQUAL(read_through(gz, n, 1, MIB, &content, &chunks, &err), TP_OK);
    CU_ASSERT_EQUAL(content, 8 * MIB);
    free(gz);
    memset(text, 0, MIB / 2);
    gz = gzip_of(text, MIB / 2, &n);
    CU_ASSERT(MIB / 2 / n > 100);
    CU_ASSERT_EQUAL(read_through(gz, n, 0, MIB, &content, &chunks, &err), TP_OK);
    CU_ASSERT_EQUAL(content, MIB / 2);
    free(gz);
    free(text);
}

/* A bomb of invocation-log lines (one record, repeated) ingested with --max-input-mb 1: the
 * command fails naming the file and the option, and the record ingested before stays. */
static void test_bomb_ingest_stores_nothing(void)
{
    static const char rec[] =
        "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":"
        "\"2025-08-15T12:44:54Z\",\"modelId\":\"amazon.nova-pro-v1:0\",\"identity\":{\"arn\":"
        "\"arn:aws:sts::123456789012:assumed-role/TeamA/s\"},\"input\":{\"inputTokenCount\":100},"
        "\"output\":{\"outputTokenCount\":50}}\n";
    tp_store *s = open_mem();
    tp_ingest_options o = {0};
    tp_ingest_summary sum;
    tp_error err;
    o.max_file_bytes = MIB;
    CU_ASSERT_EQUAL_FATAL(ingest_one(s, &o, "first.json", rec, &sum, &err), TP_OK);
    const size_t len = 16 * MIB, rl = strlen(rec);
    char *lines = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(lines);
    for (size_t i = 0; i < len; i++)
        lines[i] = rec[i % rl];
    size_t n = 0;
    unsigned char *gz = gzip_of((unsigned char *)lines, len, &n);
    tp_ingest *ing = NULL;
    CU_ASSERT_EQUAL_FATAL(tp_ingest_begin(s, &o, &ing, &err), TP_OK);
    CU_ASSERT_EQUAL(tp_ingest_buffer(ing, "bomb.json.gz", (const char *)gz, n, &sum, &err),
                    TP_ERR_TOO_BIG);
    ASSERT_CONTAINS(err.message, "bomb.json.gz: gzip content over 1048576 bytes and over 100 "
                                 "times its compressed size");
    tp_ingest_free(ing);
    /* what the first command stored: one object, 100 input tokens in minute 12:44 */
    sqlite3_stmt *st = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(s->db, "SELECT (SELECT COUNT(*) FROM ingests), "
                                                    "(SELECT COUNT(*) FROM log_minutes)",
                                             -1, &st, NULL),
                          SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_step(st), SQLITE_ROW);
    CU_ASSERT_EQUAL(sqlite3_column_int(st, 0), 1);
    CU_ASSERT_EQUAL(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    free(gz);
    free(lines);
    tp_store_close(s);
}

void register_tests(void)
{
    CU_pSuite s = CU_add_suite("zstream", NULL, NULL);
    ADD(s, test_bomb_stops);
    ADD(s, test_honest_inputs_pass);
    ADD(s, test_bomb_ingest_stores_nothing);
}
