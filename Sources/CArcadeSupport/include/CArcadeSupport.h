#ifndef ARCADE_SUPPORT_H
#define ARCADE_SUPPORT_H

#include <stdint.h>

// Sequentially consistent atomics on a plain 64-bit word and a pause hint, for the C interface's worker pool.
// In C so the package needs neither the Synchronization module (macOS 15) nor a newer deployment target.

static inline int64_t arcade_atomic_load(const int64_t *word) { return __atomic_load_n(word, __ATOMIC_SEQ_CST); }
static inline void arcade_atomic_store(int64_t *word, int64_t value) { __atomic_store_n(word, value, __ATOMIC_SEQ_CST); }
static inline int64_t arcade_atomic_add(int64_t *word, int64_t delta) { return __atomic_add_fetch(word, delta, __ATOMIC_SEQ_CST); }
static inline int64_t arcade_atomic_exchange(int64_t *word, int64_t value) {
  return __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
}

/// Tells the core it is in a spin loop (x86 PAUSE, Arm YIELD): kinder to a sibling hyperthread and to power.
static inline void arcade_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield");
#endif
}

#endif
