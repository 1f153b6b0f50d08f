/* tierplan.h - umbrella header: the whole public API of libtierplan. */
#ifndef TIERPLAN_TIERPLAN_H
#define TIERPLAN_TIERPLAN_H

#include "tierplan/common.h"
#include "tierplan/timestamp.h"
#include "tierplan/window.h"
#include "tierplan/metric.h"
#include "tierplan/store.h"
#include "tierplan/ingest.h"
#include "tierplan/series.h"
#include "tierplan/stats.h"
#include "tierplan/pricing.h"
#include "tierplan/simulate.h"
#include "tierplan/recommend.h"
#include "tierplan/whatif.h"
#include "tierplan/plan.h"
#include "tierplan/format.h"
#include "tierplan/report.h"
#include "tierplan/fleet.h"
#include "tierplan/project.h"
#include "tierplan/awscmd.h"
#include "tierplan/snapshot.h"
#include "tierplan/diff.h"
#include "tierplan/gate.h"
#include "tierplan/inventory.h"
#include "tierplan/awscmd_logs.h"
#include "tierplan/provcmd.h"
#include "tierplan/awscmd_athena.h"
#include "tierplan/showback.h"
#include "tierplan/units.h"

#endif
