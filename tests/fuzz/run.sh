#!/bin/sh
# run.sh - runs each libFuzzer harness for a bounded time on a scratch copy of its seed corpus
# and regressions (the checkout is never written), and fails on any crash, leak or abort.
#
# usage: tests/fuzz/run.sh BUILD_DIR [SECONDS [NAME...]]
#   BUILD_DIR  a clang build configured with -Dfuzz=true (docs/reliability.md)
#   SECONDS    per harness, default 60
#   NAME       ingest, roundtrip, pricing, windows, logs, insights, plan, snapshot (default: all)
# A crashing input is kept, with the log, in the scratch directory printed at the end.
# tests/fuzz/known/NAME/ (inputs that still fail, awaiting a fix elsewhere) is not used.
set -u
build=$1
secs=${2:-60}
[ $# -ge 2 ] && shift 2 || shift $#
names=${*:-ingest roundtrip pricing windows logs insights plan snapshot}
src=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tierplan-fuzz.XXXXXX")
failed=""

for name in $names; do
    bin=$build/tests/fuzz/fuzz_$name
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin missing (configure with CC=clang and -Dfuzz=true)"
        exit 2
    fi
    dir=$work/$name
    mkdir -p "$dir/corpus" "$dir/crash"
    cp "$src/corpus/$name"/* "$dir/corpus/"
    cp "$src/regressions/$name"/* "$dir/corpus/" 2>/dev/null
    dict=
    case $name in
    ingest | roundtrip) dict=-dict=$src/ingest.dict ;;
    pricing) dict=-dict=$src/pricing.dict ;;
    windows) dict=-dict=$src/windows.dict ;;
    logs | insights) dict=-dict=$src/logs.dict ;;
    plan | snapshot) dict=-dict=$src/plan.dict ;;
    esac
    echo "== fuzz_$name for ${secs} s"
    # The library checks its input caps itself; -max_len keeps inputs near the seeds' size.
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$bin" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$dir/crash/" "$dir/corpus" >"$dir/log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units)' "$dir/log" | head -1
    else
        tail -n 60 "$dir/log"
        echo "fuzz: fuzz_$name FAILED; input and log: $(ls "$dir"/crash/* 2>/dev/null) $dir/log"
        failed="$failed $name"
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz: crashes in:$failed (inputs kept under $work)"
    exit 1
fi
rm -rf "$work"
echo "fuzz: no crashes"
