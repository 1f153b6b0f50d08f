/* timestamp.h - ISO-8601 timestamp parsing and formatting in UTC, independent of TZ and locale. */
#ifndef TIERPLAN_TIMESTAMP_H
#define TIERPLAN_TIMESTAMP_H

#include "tierplan/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The last instant tierplan accepts, 9999-12-31T23:59:59Z: every accepted instant formats
 * back to a four-digit year. The first is the Unix epoch, 1970-01-01T00:00:00Z. */
#define TP_TIME_MAX_S INT64_C(253402300799)

/**
 * Parses an ISO-8601 timestamp into seconds since the Unix epoch (UTC).
 *
 * Accepted: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`, each optionally with
 * fractional seconds (`.123456`, truncated), a space instead of `T`, and a zone of `Z`,
 * `+HH:MM`, `-HH:MM`, `+HHMM` or `+HH`. A timestamp without zone is taken as UTC.
 *
 * @param text the timestamp; need not be NUL-terminated
 * @param len  number of bytes of text to parse (all must be consumed)
 * @param out_epoch_s receives whole seconds since 1970-01-01T00:00:00Z (unchanged on error)
 * @param err receives what is wrong (the text, up to 64 bytes of it, and the field); may be
 *        NULL when the caller words its own message
 * @return TP_OK, or TP_ERR_PARSE when the text is not such a timestamp, a field is out of
 *         range (month 13, 31 April, hour 24 ...), or the instant (after its offset) lies
 *         outside 1970-01-01T00:00Z .. TP_TIME_MAX_S
 */
TP_API tp_status tp_timestamp_parse(const char *text, size_t len, int64_t *out_epoch_s,
                                    tp_error *err);

/** Buffer size for tp_timestamp_format: "YYYY-MM-DDTHH:MM:SSZ" plus NUL, with room for large
 * years. */
#define TP_TIME_BUF 32

/** Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ` into the caller's buf (TP_TIME_BUF bytes);
 * returns buf. Nothing is allocated. */
TP_API char *tp_timestamp_format(int64_t epoch_s, char buf[TP_TIME_BUF]);

#ifdef __cplusplus
}
#endif
#endif
