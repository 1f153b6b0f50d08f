#!/bin/sh
# layers_selftest.sh - layers.sh must catch each kind of violation in tests/data/layers-bad and
# pass the allowed includes beside them: without this, a layers.sh that found nothing would pass.
set -u
script=${1:?usage: layers_selftest.sh LAYERS_SH BAD_TREE}
tree=${2:?usage: layers_selftest.sh LAYERS_SH BAD_TREE}
out=$(sh "$script" "$tree")
rc=$?
fail=0
if [ "$rc" -ne 1 ]; then echo "layers.sh exited $rc on the bad tree, not 1"; fail=1; fi
expect() {
    if ! printf '%s\n' "$out" | grep -qF -- "$1"; then echo "missing: $1"; fail=1; fi
}
expect 'src/render/report.c:2: src/render includes "model/recommend_internal.h", another stage'"'"'s internal header'
expect 'src/cli/main.c:1: the CLI includes "store/store_rows.h": it sees the public headers only'
expect 'include/tierplan/store.h:1: a public header includes "base/util.h"'
expect 'src/model/plan.c:1: src/model includes "render/render.h", a header of the later stage src/render'
expect 'src/model/plan.c:2: "simulate_internal.h": include a private header by its path from src/'
expect 'src/base/util.c:1: "../store/store_internal.h" climbs out with ../'
expect 'src/extra/x.c:1: src/extra is not a stage of the pipeline'
expect 'src/render/chart.c:1: src/render includes "model/recommend_internal.h", another stage'"'"'s internal header'
# the allowed includes next to them (<stdio.h>, <cjson/cJSON.h> too) raise nothing: exactly the
# eight lines above
n=$(printf '%s\n' "$out" | grep -c .)
if [ "$n" -ne 8 ]; then echo "expected 8 violations, got $n:"; printf '%s\n' "$out"; fail=1; fi
exit $fail
