/* fuzz.h - the libFuzzer entry point every harness in tests/fuzz defines, declared once so
 * that the harnesses build under -Wmissing-prototypes and replay.c can call it. */
#ifndef TIERPLAN_FUZZ_H
#define TIERPLAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/** Runs one input through the harness. Returns 0; a finding aborts (or trips a sanitizer).
 * libFuzzer calls it for every input it tries; replay.c for every file it is given. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
