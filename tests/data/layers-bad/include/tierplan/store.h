#include "base/util.h"
#include "tierplan/common.h"
