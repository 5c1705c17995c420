// Terraform's JSON syntax (.tf.json): JSON into the HCL syntax tree (templates parsed inside
// strings, at their place in the file), variable types and their conversion, then the reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/iac/iac.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ecsguard::ingest::IacResult r = ecsguard::ingest::LoadIacText(text, "fuzz.tf.json");
  (void)r;
  return 0;
}
