#include "store/store_rows.h"
#include "options.h"
#include "tierplan/store.h"
