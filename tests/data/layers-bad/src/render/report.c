/* reaches into the model stage internals */
#include "model/recommend_internal.h"
#include "render/render.h"
#include "base/strbuf.h"
