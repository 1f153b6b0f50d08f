/* series_describe.c - the words of series.c's "no data" errors: what the store holds instead
 * of a model, and the window a query asked for. */
#define STORE_NO_SQLITE_API /* store_internal.h: no SQLite API here */
#include <string.h>

#include "series_internal.h"
#include "store_internal.h"
#include "tierplan/timestamp.h"
#include "util.h"

/* Appends what the store holds instead of the model: the ids that differ from it only by a
 * cross-region prefix ("did you mean"), then every stored model (the first 20). */
tp_status series_suggest_models(tp_store *st, const char *model, strbuf *b, tp_error *err)
{
    char **models = NULL;
    size_t n = 0;
    tp_status rc = tp_store_models(st, &models, &n, err);
    if (rc != TP_OK)
        return rc;
    const char *sep = "; did you mean ";
    for (size_t i = 0; i < n; i++)
        if (strcmp(models[i], model) != 0 &&
            strcmp(util_strip_region(models[i]), util_strip_region(model)) == 0) {
            sb_printf(b, "%s%s", sep, models[i]);
            sep = " or ";
        }
    const char *list = sep[0] == ' ' ? "? models in the store: " : "; models in the store: ";
    if (n == 0)
        sb_puts(b, "; the database holds no data yet (tierplan ingest loads some)");
    for (size_t i = 0; i < n && i < 20; i++)
        sb_printf(b, "%s%s", i == 0 ? list : ", ", models[i]);
    if (n > 20)
        sb_printf(b, " and %zu more", n - 20);
    tp_strv_free(models, n);
    return TP_OK;
}

/* Appends the window the query asked for: " in the window A .. B", " from A on", " before B". */
void series_describe_window(strbuf *b, const tp_series_query *q)
{
    char a[TP_TIME_BUF], z[TP_TIME_BUF];
    if (q->has_from && q->has_to)
        sb_printf(b, " in the window %s .. %s", tp_time_format(q->from_minute * 60, a),
                  tp_time_format(q->to_minute * 60, z));
    else if (q->has_from)
        sb_printf(b, " from %s on", tp_time_format(q->from_minute * 60, a));
    else if (q->has_to)
        sb_printf(b, " before %s", tp_time_format(q->to_minute * 60, z));
}

