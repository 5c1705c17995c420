// CloudFormation front end: YAML (yaml-cpp events, short tags, aliases) and JSON, then template
// reading and intrinsic resolution. The first byte picks the syntax so one corpus covers both.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/iac/iac.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const char* name = (data[0] & 1) ? "fuzz.template.json" : "fuzz.yaml";
  ecsguard::ingest::IacResult r = ecsguard::ingest::LoadIacText(text, name);
  (void)r;
  return 0;
}
