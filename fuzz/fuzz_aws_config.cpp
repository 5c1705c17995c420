// libFuzzer target: the AWS layer's small text parsers: the shared config INI, URLs and the
// canonical forms SigV4 derives from them, timestamps, credential_process command lines.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/aws/config.h"
#include "ingest/aws/credential_providers.h"
#include "ingest/aws/sigv4.h"
#include "ingest/aws/url.h"

using namespace ecsguard::ingest::aws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)ParseIni(input, "fuzz");
  (void)ParseTimestamp(input);
  (void)SplitCommandLine(input);
  (void)CanonicalQueryString(input);
  (void)CanonicalUri(input, true, true);
  (void)PercentDecode(input);
  ecsguard::Result<Url> url = ParseUrl(input);
  if (url.ok()) {
    HttpRequest request;
    request.url = std::string(input);
    request.headers = {{"X-Fuzz", std::string(input)}};
    (void)CanonicalRequest(request, SigningParams{"us-east-1", "ecs", {}});
    (void)Sign(&request, Credentials{"AKID", "SECRET", "TOKEN"}, SigningParams{"r", "s", {}});
  }
  return 0;
}
