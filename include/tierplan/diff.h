/* diff.h - snapshots of what a recommendation says (read back from a recommend or report JSON
 * output, or taken from a fleet just sized) and what changed between two of them, for the
 * scheduled job that compares today's plan with yesterday's. */
#ifndef TIERPLAN_DIFF_H
#define TIERPLAN_DIFF_H

#include "tierplan/common.h"
#include "tierplan/fleet.h"
#include "tierplan/snapshot.h"
#include "tierplan/format.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Model rows in a markdown diff at most (the comment stays under 60 lines). */
#define TP_DIFF_MARKDOWN_ROWS 40

#ifdef __cplusplus
}
#endif
#endif
