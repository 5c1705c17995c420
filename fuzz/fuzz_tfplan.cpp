// `terraform show -json` reader: JSON parsing, module walking, after_unknown marking and the
// container_definitions JSON inside it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/iac/iac.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ecsguard::ingest::IacResult r = ecsguard::ingest::LoadIacText(text, "plan.json");
  (void)r;
  return 0;
}
