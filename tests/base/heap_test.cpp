#include "base/heap.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace ecsguard {
namespace heap_test {

// The VmFlags line of the mapping in /proc/self/smaps that holds `address`, or "".
std::string VmFlagsOf(const void* address) {
  auto a = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= a && a < to;
      continue;
    }
    if (inside && line.starts_with("VmFlags:")) return line;
  }
  return "";
}

bool TransparentHugePagesOff() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(f, modes);
  return modes.empty() || modes.find("[never]") != std::string::npos;
}

TEST(HeapTest, LargeBlocksComeFromTheAdvisedHeapAndStayUsable) {
  bool advised = PrepareHeapForLargeInputs(size_t{64} << 20);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  EXPECT_FALSE(advised) << "a sanitizer's allocator is not glibc's heap";
  GTEST_SKIP() << "sanitizer build: the heap is the sanitizer's";
#endif
  if (TransparentHugePagesOff()) GTEST_SKIP() << "transparent huge pages are off on this machine";
  ASSERT_TRUE(advised);
  // A block of several megabytes: from the heap (not a mapping of its own), in the advised part.
  constexpr size_t kBlock = size_t{8} << 20;
  auto* block = static_cast<unsigned char*>(std::malloc(kBlock));
  ASSERT_NE(block, nullptr);
  std::memset(block, 0xA5, kBlock);
  std::string flags = VmFlagsOf(block + kBlock / 2);
  EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  EXPECT_EQ(block[0], 0xA5);
  EXPECT_EQ(block[kBlock - 1], 0xA5);
  std::free(block);
  // Freed memory is reused, and allocation goes on as usual past the reservation.
  void* big = std::malloc(size_t{96} << 20);
  ASSERT_NE(big, nullptr);
  std::memset(big, 1, size_t{96} << 20);
  std::free(big);
}

}  // namespace heap_test
}  // namespace ecsguard
