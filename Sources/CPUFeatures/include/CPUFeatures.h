#ifndef ARCADE_CPU_FEATURES_H
#define ARCADE_CPU_FEATURES_H

#include <stdint.h>

/// The register state the operating system saves on a context switch (XCR0, read with XGETBV): bits 1–2 are
/// SSE and AVX, bits 5–7 the AVX-512 opmask and upper ZMM registers. 0 on CPUs without XGETBV (callers check
/// CPUID's OSXSAVE bit first, since the instruction faults there) and on other architectures.
uint64_t arcade_enabled_register_state(void);

#endif
