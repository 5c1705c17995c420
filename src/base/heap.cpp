#include "base/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ECSGUARD_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define ECSGUARD_OWN_ALLOCATOR 1
#endif
#endif

namespace ecsguard {

bool PrepareHeapForLargeInputs(size_t reserve_bytes) {
#if defined(ECSGUARD_OWN_ALLOCATOR) || !defined(__GLIBC__)
  (void)reserve_bytes;
  return false;
#else
  constexpr size_t kMiB = size_t{1} << 20;
  // Blocks up to 32 MiB (glibc's largest setting) come from the heap and go back to it when
  // freed; the heap's free top is kept up to the reservation.
  // mallopt takes an int: a reservation of 1 GiB or more is cut to 1 GiB.
  reserve_bytes = std::min(reserve_bytes, size_t{1} << 30);
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB)) != 1) return false;
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * reserve_bytes - 1));
  // Grow the heap's address space by the reservation now (one allocation that does not fit in
  // the heap's top asks the system for its size plus the top pad), then grow it by 8 MiB at a
  // time.
  char* before = static_cast<char*>(sbrk(0));
  mallopt(M_TOP_PAD, static_cast<int>(reserve_bytes));
  void* block = std::malloc(kMiB);
  asm volatile("" : : "g"(block) : "memory");  // a pair the compiler may not remove
  std::free(block);
  mallopt(M_TOP_PAD, static_cast<int>(8 * kMiB));
  char* after = static_cast<char*>(sbrk(0));
  if (before == reinterpret_cast<char*>(-1) || after <= before) return false;
  // madvise takes a page-aligned start; the heap's end is page-aligned already.
  auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  auto start = reinterpret_cast<uintptr_t>(before) / page * page;
  return madvise(reinterpret_cast<void*>(start), reinterpret_cast<uintptr_t>(after) - start,
                 MADV_HUGEPAGE) == 0;
#endif
}

}  // namespace ecsguard
