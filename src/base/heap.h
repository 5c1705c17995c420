#pragma once

#include <cstddef>

namespace ecsguard {

// Sets up the process heap for scans of large inputs; call once, first thing in main(), before
// any thread starts. Every first touch of a 4 KiB page costs a page fault, and on virtual
// machines a fault costs microseconds (about 11 µs on the 2-core machine of
// docs/PERFORMANCE.md): a 100k-revision scan spent more CPU in faults than in the check and the
// reports together. So glibc is told to keep freed memory for reuse instead of returning it to
// the system at once (large blocks come from the heap, not from a mapping of their own that
// free() unmaps), and `reserve_bytes` of address space at the heap's end are advised for
// transparent huge pages (MADV_HUGEPAGE), where one fault maps 2 MiB. Nothing is touched here,
// so the resident size does not grow until the memory is used.
//
// Best effort: a kernel without transparent huge pages, a refused advice or an allocator that
// is not glibc's (a sanitizer build) leaves the heap as it was. Returns whether the advice was
// taken.
bool PrepareHeapForLargeInputs(size_t reserve_bytes = size_t{256} << 20);

}  // namespace ecsguard
