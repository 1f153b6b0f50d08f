/* series_internal.h - the helpers series.c shares with series_describe.c (private). */
#ifndef TIERPLAN_SERIES_INTERNAL_H
#define TIERPLAN_SERIES_INTERNAL_H

#include "strbuf.h"
#include "tierplan/series.h"
#include "tierplan/store.h"

/* Appends to b what the store holds instead of model: the ids that differ from it only by a
 * cross-region prefix ("did you mean"), then every stored model (the first 20). */
tp_status series_suggest_models(tp_store *st, const char *model, strbuf *b, tp_error *err);

/* Appends the window q asked for: " in the window A .. B", " from A on", " before B". */
void series_describe_window(strbuf *b, const tp_series_query *q);

#endif
