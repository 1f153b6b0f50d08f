#include "render/render.h"
#include "simulate_internal.h"
