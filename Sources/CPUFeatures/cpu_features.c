#include "CPUFeatures.h"

// Swift cannot reach XGETBV: the toolchain's intrinsic needs an XSAVE target, which the default build lacks, so
// the one instruction lives here.
uint64_t arcade_enabled_register_state(void) {
#if defined(__x86_64__)
  uint32_t low, high;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return ((uint64_t)high << 32) | low;
#else
  return 0;
#endif
}
