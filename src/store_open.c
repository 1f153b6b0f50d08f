/* store_open.c - the public ways to open a database: which paths and modes are accepted, and
 * whether a missing file is created; store.c does the SQLite work. */
#define STORE_NO_SQLITE_API /* store_internal.h: the SQLite work is store.c's */
#include <string.h>
#include <unistd.h>

#include "store_internal.h"

tp_status tp_store_open(const char *path, tp_store **out, tp_error *err)
{
    return tp_store_open_mode(path, TP_STORE_CREATE, out, err);
}

tp_status tp_store_open_mode(const char *path, unsigned flags, tp_store **out, tp_error *err)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return tp_error_set(err, TP_ERR_USAGE, "database: empty path");
    if ((flags & ~TP_STORE_CREATE) != 0)
        return tp_error_set(err, TP_ERR_USAGE, "database: unknown open flags 0x%x", flags);
    /* ":memory:" is never a file: there is nothing to find, only something to create */
    const int create = (flags & TP_STORE_CREATE) != 0 || strcmp(path, ":memory:") == 0;
    /* A reader given a mistyped path must fail and leave no empty database behind. SQLite
     * opened without SQLITE_OPEN_CREATE creates nothing; this check only names the problem
     * (SQLite would say "unable to open database file"). */
    if (!create && access(path, F_OK) != 0)
        return tp_error_set(err, TP_ERR_NOT_FOUND,
                            "%s: no database there (tierplan ingest creates one)", path);
    return store_open_db(path, create, out, err);
}
