/* place.h - a model entry's place (region and account, store.h tp_store_place) as every
 * renderer shows it (docs/formats.md, "Regions and accounts"): JSON strings, null where
 * unknown; CSV cells, empty where unknown; in text "(region R, account A)", "unknown" where
 * unknown. A region of "*" means the regions were merged (--merge-regions). */
#ifndef TIERPLAN_RENDER_PLACE_H
#define TIERPLAN_RENDER_PLACE_H

#include <cjson/cJSON.h>

#include "base/strbuf.h"

/* Adds "region" and "account" to o: the value, or null for "" (unknown). */
void place_json(cJSON *o, const char *region, const char *account);

/* place_json, the two inserted at position index of o's members (after "model": 1). */
void place_json_at(cJSON *o, int index, const char *region, const char *account);

/* Appends ",REGION,ACCOUNT" (empty cells where unknown) to a CSV row. */
void place_csv(strbuf *b, const char *region, const char *account);

/* Appends " (region R, account A)" ("unknown" where unknown; "regions merged" for "*"). */
void place_text(strbuf *b, const char *region, const char *account);

/* place_text's words, each value written by enc (enc_md_text for markdown, chart_escape for
 * HTML): one wording in every format. */
void place_text_enc(strbuf *b, const char *region, const char *account,
                    void (*enc)(strbuf *, const char *));

/* How many entries a fleet, projection or diff holds, given the model id of each (n entries,
 * ids[i] read through get(v, i)): "6 models" when each is a model of its own, "2 models in 6
 * places" when a model is stored in several places (one entry per place). Writes to buf
 * (NUL-terminated, size bytes) and returns it. */
const char *place_count_text(char *buf, size_t size, const void *v, size_t n,
                             const char *(*get)(const void *v, size_t i));

/* place_text in markdown. */
void place_md(strbuf *b, const char *region, const char *account);

#endif
