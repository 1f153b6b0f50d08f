/* awscmd_internal.h - what the metric and the Logs Insights export scripts share: where the
 * aws commands run (region, profile) and the account the data are labelled with. */
#ifndef TIERPLAN_RENDER_AWSCMD_INTERNAL_H
#define TIERPLAN_RENDER_AWSCMD_INTERNAL_H

#include "base/strbuf.h"
#include "tierplan/common.h"

/* Appends s as one shell word: in single quotes, each ' as '\'' (the profile, any name the
 * user gives). */
void awscmd_put_shell_word(strbuf *b, const char *s);

/* Appends " --region R" and " --profile 'P'" for those given (NULL: none), the options every
 * aws command of a script carries. region must have passed awscmd_check_place. */
void awscmd_put_where(strbuf *b, const char *region, const char *profile);

/* Checks a region (tp_store_region_valid's shape), an account (12 digits) and a profile
 * (non-empty, no control characters), each NULL when not given: TP_OK, or TP_ERR_USAGE naming
 * the request field ("region", "account", "profile"). */
tp_status awscmd_check_place(const char *region, const char *account, const char *profile,
                             tp_error *err);

#endif
