#pragma once

// The Transport that talks to the network, over libcurl: HTTP/1.1 keep-alive connections are
// reused (a pool of easy handles, each keeping its own connections), TLS peers and host names are
// always verified, redirects are not followed, and only http and https are spoken.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/aws/http.h"

namespace ecsguard::ingest::aws {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  // A request that receives nothing for this long fails (curl's low-speed limit): a silent
  // endpoint fails fast while a large answer that keeps arriving is never cut off by it.
  std::chrono::milliseconds read_timeout{30000};
  // The whole request at most; a request may set a shorter limit of its own.
  std::chrono::milliseconds request_timeout{120000};
  std::string ca_bundle;  // "" is the system's (AWS_CA_BUNDLE)
  size_t max_response_bytes = size_t{512} << 20;
};

// Thread-safe.
class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  void* Acquire();  // a CURL* easy handle from the pool, or a new one
  void Release(void* handle);

  CurlOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;
};

}  // namespace ecsguard::ingest::aws
