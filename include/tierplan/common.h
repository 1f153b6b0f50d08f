/* common.h - status codes, error detail, diagnostics and the string-array free shared by every
 * tierplan module. */
#ifndef TIERPLAN_COMMON_H
#define TIERPLAN_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(TP_BUILDING_LIBRARY) && defined(__GNUC__)
#define TP_API __attribute__((visibility("default")))
#else
#define TP_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every library call that can fail. TP_OK is zero, errors are negative. */
typedef enum tp_status {
    TP_OK = 0,
    TP_ERR_NOMEM = -1,   /**< an allocation failed */
    TP_ERR_IO = -2,      /**< a file could not be opened, read or written */
    TP_ERR_PARSE = -3,   /**< malformed input (JSON, CSV, timestamp) */
    TP_ERR_INVALID = -4, /**< well-formed input with an invalid value */
    TP_ERR_DB = -5,      /**< SQLite reported an error */
    TP_ERR_CONFLICT = -6,/**< two different values for one key in one ingest */
    TP_ERR_TOO_BIG = -7, /**< an input exceeded its documented size cap */
    TP_ERR_NOT_FOUND = -8,/**< no data for what was asked */
    TP_ERR_USAGE = -9    /**< the caller passed invalid arguments */
} tp_status;

/** At most this many request fields named in one message (tp_error.mentions). */
#define TP_ERROR_MENTIONS 4

/** Where a message names a request field: message[at .. at + len) is the field's name. */
typedef struct tp_error_mention {
    size_t at, len;
} tp_error_mention;

/**
 * Human-readable detail for a failed call. The caller owns it (usually on the stack).
 *
 * Messages are written in the API's terms: an error about a request field (a member of an
 * options struct, or a function's parameter) names it by its C name, bare, as a word of the
 * sentence: "quota_tpm must be a non-negative number", "span_to must be after span_from".
 * field says which field the error concerns, and mentions where in message each field is
 * named, in order, so that a program with its own names for them (the CLI's options) can
 * replace exactly those words and nothing else.
 */
typedef struct tp_error {
    tp_status status;
    char message[1024]; /**< one line: "file:line: what" or "file: $.path: what" */
    char field[32];     /**< the request field the error concerns ("quota_tpm"), "" for none */
    size_t n_mentions;  /**< entries of mentions in use */
    tp_error_mention mentions[TP_ERROR_MENTIONS]; /**< the fields message names, in order */
} tp_error;

/** Receives non-fatal warnings (partial CloudWatch data, inferred periods ...). */
typedef void (*tp_warn_fn)(void *ctx, const char *message);

/** Names a status code ("ok", "out of memory", ...). Never NULL; the string is static. */
TP_API const char *tp_status_str(tp_status status);

/** Clears err (status TP_OK, empty message, no field). err may be NULL; the caller owns err. */
TP_API void tp_error_clear(tp_error *err);

/**
 * Sets err to status and a printf-style message (truncated to fit err->message); returns
 * status so that callers can write `return tp_error_set(err, TP_ERR_PARSE, "...")`.
 * err may be NULL; the caller owns err.
 */
TP_API tp_status tp_error_set(tp_error *err, tp_status status, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/**
 * As tp_error_set, for an error about a request field: err->field is set to field (NULL or
 * "": none), and each `{name}` in fmt, a field's C name in braces, is written without its
 * braces and recorded in err->mentions (at most TP_ERROR_MENTIONS; braces are marks only in
 * fmt, never in its arguments). `tp_error_set_field(err, TP_ERR_USAGE, "span_to", "{span_to}
 * must be after {span_from}")` writes "span_to must be after span_from".
 */
TP_API tp_status tp_error_set_field(tp_error *err, tp_status status, const char *field,
                                    const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/**
 * A program's own name for a request field (the CLI's "--quota-tpm" for "quota_tpm"), written
 * to buf (size bytes) or any string that outlives the call; NULL keeps the field's name. May
 * be called from the library's worker threads at once.
 */
typedef const char *(*tp_field_name_fn)(void *ctx, const char *field, char *buf,
                                         size_t size);

/**
 * Writes err->message to buf (size bytes, truncated) with each field it names
 * (err->mentions) replaced by name(ctx, field); name NULL keeps the message as it is.
 * @return buf
 */
TP_API const char *tp_error_rename(const tp_error *err, tp_field_name_fn name, void *ctx,
                                   char *buf, size_t size);

/**
 * Prepends prefix ("model m: ") to err->message, keeping its mentions in step, for a caller
 * that adds context to an error it passes on. err may be NULL.
 */
TP_API void tp_error_prefix(tp_error *err, const char *prefix);

/** The library version string, "MAJOR.MINOR.PATCH". Static: never freed. */
TP_API const char *tp_version(void);

/**
 * Frees an array of n strings returned by the library (tp_store_models, ...): each string,
 * then the array. NULL is allowed.
 */
TP_API void tp_strv_free(char **v, size_t n);

#ifdef __cplusplus
}
#endif
#endif
