#!/bin/sh
# install_check.sh - installs tierplan into a scratch prefix and uses it as a user would:
# the program run from / finds the installed price catalog, and a program built with
# `pkg-config libtierplan` links and runs against the installed library.
#
# usage: install_check.sh SOURCE_ROOT     (takes about as long as a build)
set -eu
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson setup "$tmp/build" "$src" --prefix="$tmp/p" -Dbenchmarks=false >/dev/null
meson compile -C "$tmp/build" >/dev/null
meson install -C "$tmp/build" >/dev/null
libdir=$(dirname "$(find "$tmp/p" -name 'libtierplan.so.0' | head -n 1)")
export LD_LIBRARY_PATH="$libdir"
unset TIERPLAN_PRICING TIERPLAN_DB || true
passed=0

cd /
"$tmp/p/bin/tierplan" ingest --db "$tmp/t.db" "$src/data/sample-nova-pro.json" >/dev/null
"$tmp/p/bin/tierplan" simulate --db "$tmp/t.db" --model amazon.nova-pro-v1:0 \
    --reserve-input-tpm 100000 --reserve-output-tpm 30000 >"$tmp/sim.txt"
grep -q "prices: $tmp/p/share/tierplan/pricing.json" "$tmp/sim.txt"
passed=$((passed + 1))

cat >"$tmp/embed.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <tierplan/tierplan.h>
int main(void)
{
    tp_store *s = NULL;
    tp_error err;
    if (tp_store_open(":memory:", &s, &err) != TP_OK)
        return 1;
    tp_store_close(s);
    printf("%s\n", tp_version());
    return strcmp(tp_version(), "") == 0;
}
C
PKG_CONFIG_PATH="$libdir/pkgconfig" cc -o "$tmp/embed" "$tmp/embed.c" \
    $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs libtierplan)
"$tmp/embed" >/dev/null
passed=$((passed + 1))
echo "install check: $passed passed, 0 failed"
