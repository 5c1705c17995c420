// libFuzzer target: the AWS layer's XML reader and the JSON / XML error parsers. The first line
// of the input becomes the x-amzn-ErrorType header, the rest the body.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/aws/protocol.h"
#include "ingest/aws/xml.h"

using namespace ecsguard::ingest::aws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ecsguard::Result<XmlElement> doc = ParseXml(input, XmlLimits{.max_depth = 32});
  if (doc.ok()) (void)QueryResult(*doc, "AssumeRole").Find("Credentials/AccessKeyId");

  size_t newline = input.find('\n');
  HttpResponse response;
  response.status = size > 0 ? 400 + data[0] % 200 : 500;
  if (newline != std::string_view::npos) {
    response.headers.emplace_back("x-amzn-ErrorType", std::string(input.substr(0, newline)));
    response.body = std::string(input.substr(newline + 1));
  } else {
    response.body = std::string(input);
  }
  // Every error response stands for some kind of AWS error, whatever its body says.
  if (!KindOf(ParseJsonError(response)) || !KindOf(ParseXmlError(response))) __builtin_trap();
  return 0;
}
