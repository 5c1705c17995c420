#pragma once

// HTTP as the AWS layer sees it: a request, a response, and the Transport that turns one into
// the other. CurlTransport (curl_transport.h) talks to the network; FakeTransport below answers
// from a script and records what it was asked, so every caller can be tested hermetically.

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace ecsguard::ingest::aws {

// In the order sent or received; names keep their case and compare case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

// The value of the first header called `name` (any case), or nothing.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);
// Removes every header called `name`, then appends `name: value`.
void SetHeader(Headers* headers, std::string_view name, std::string value);
void RemoveHeader(Headers* headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, percent-encoded as it goes on the wire
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // whole-request limit; 0 means the transport's default
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

HttpResponse MakeResponse(int status, std::string body, Headers headers = {});

// Sends requests. Implementations are thread-safe: Send may be called from many threads.
class Transport {
 public:
  virtual ~Transport() = default;

  // Any HTTP status is a response, not an error. Errors: kIo when the network failed (refused,
  // reset, timed out, name not resolved: worth retrying), kConfiguration when TLS verification
  // failed, kInvalidArgument for a URL that cannot be sent, kInternal for anything else.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// A scripted Transport for tests. Each scripted answer is for requests whose method equals
// `method` ("" matches any) and whose URL contains `url_part`; answers are used once each, in
// the order given. A request no answer matches fails with kInternal. Thread-safe.
class FakeTransport final : public Transport {
 public:
  void Respond(std::string method, std::string url_part, HttpResponse response);
  void Fail(std::string method, std::string url_part, Error error);

  Result<HttpResponse> Send(const HttpRequest& request) override;

  std::vector<HttpRequest> requests() const;  // everything sent so far, in order
  size_t unused() const;                      // scripted answers not yet used

 private:
  struct Answer {
    std::string method;
    std::string url_part;
    Result<HttpResponse> result;
  };
  mutable std::mutex mu_;
  std::deque<Answer> answers_;
  std::vector<HttpRequest> requests_;
};

}  // namespace ecsguard::ingest::aws
