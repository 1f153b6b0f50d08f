#!/bin/sh
# layers_symbols_selftest.sh - layers_symbols.sh must catch a call up the pipeline: two objects
# compiled here, a base one calling a function the render one defines (and the render one
# calling base, which is allowed), laid out as meson lays out libtierplan's objects.
# Usage: layers_symbols_selftest.sh LAYERS_SYMBOLS_SH CC [CC ARGS...]
set -u
script=${1:?usage: layers_symbols_selftest.sh LAYERS_SYMBOLS_SH CC...}
shift
work=$(mktemp -d)
objdir="$work/src/libtierplan.so.0.p"
mkdir -p "$objdir"
printf 'int render_line(int);\nint base_up(int x) { return render_line(x); }\nint base_down(int x) { return x; }\n' >"$work/a.c"
printf 'int base_down(int);\nint render_line(int x) { return base_down(x) + 1; }\n' >"$work/b.c"
"$@" -c "$work/a.c" -o "$objdir/base_a.c.o" && "$@" -c "$work/b.c" -o "$objdir/render_b.c.o" || {
    echo "cannot compile the self-test's objects"; rm -rf "$work"; exit 2; }
out=$(sh "$script" "$work")
rc=$?
rm -rf "$work"
expected='base_a.c.o (src/base) calls render_line of render_b.c.o, in the later stage src/render'
if [ "$rc" -ne 1 ] || [ "$out" != "$expected" ]; then
    echo "layers_symbols.sh exited $rc and printed:"; printf '%s\n' "$out"
    echo "expected exit 1 and exactly: $expected"
    exit 1
fi
