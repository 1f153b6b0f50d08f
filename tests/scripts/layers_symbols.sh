#!/bin/sh
# layers_symbols.sh - the stage layering of src/ (docs/design.md, "Layout") checked on what the
# library's objects call, which layers.sh (includes) cannot see: a function declared in a public
# header is visible to every stage, so a stage could still call one a later stage defines. Each
# object of libtierplan is named by meson after its source path (src/model/plan.c ->
# model_plan.c.o), which gives its stage. Usage: layers_symbols.sh BUILD_DIR. Prints one line per
# call up the pipeline and exits 1 when there is any.
set -u
build=${1:?usage: layers_symbols.sh BUILD_DIR}
objs=$(find "$build/src" -path '*libtierplan*' -name '*.c.o' | sort)
[ -n "$objs" ] || { echo "layers_symbols.sh: no objects of libtierplan under $build/src"; exit 2; }
for o in $objs; do
    stage=$(basename "$o" | sed 's/_.*//')
    nm -g --defined-only "$o" | awk -v s="$stage" -v o="$(basename "$o")" 'NF == 3 {print "D", s, $3, o}'
    nm -u "$o" | awk -v s="$stage" -v o="$(basename "$o")" '{print "U", s, $NF, o}'
done | awk '
function rank(s) {
    if (s == "base") return 0; if (s == "store") return 1; if (s == "ingest") return 2
    if (s == "series") return 3; if (s == "model") return 4; if (s == "fleet") return 5
    if (s == "render") return 6; if (s == "cli") return 7
    return -1
}
$1 == "D" { where[$3] = $2; file[$3] = $4; next }
{ uses[++n] = $0 }
END {
    bad = 0
    for (i = 1; i <= n; i++) {
        split(uses[i], u, " ")
        if (rank(u[2]) < 0) { print u[4] ": not in a stage of the pipeline"; bad++; continue }
        if (!(u[3] in where)) continue
        if (rank(where[u[3]]) > rank(u[2])) {
            printf "%s (src/%s) calls %s of %s, in the later stage src/%s\n", u[4], u[2], u[3],
                   file[u[3]], where[u[3]]
            bad++
        }
    }
    exit bad > 0
}'
