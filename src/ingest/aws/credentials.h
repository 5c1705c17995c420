#pragma once

// Credentials and where they come from. A CredentialSource hands out current credentials;
// RefreshingCredentialSource caches what a fetch function returns and fetches again shortly
// before it expires. The providers that know about files, the environment, STS, SSO, containers
// and instance metadata are in credential_providers.h.
//
// Secrets never leave the process: Describe() and the fmt formatter show the access key id
// masked and never the secret key or session token; RedactSecrets() scrubs them from text that
// came back from elsewhere (an AWS error message can echo a signed header).

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/result.h"

namespace ecsguard::ingest::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string provider;  // what produced them: "environment", "assume-role", "imds", ...
};

// "AKID…MPLE from environment, session token, expires 2026-11-28T22:21:39Z": no secrets.
std::string Describe(const Credentials& credentials);

// `text` with every occurrence of the secret key and of the session token replaced by
// "<redacted>".
std::string RedactSecrets(std::string_view text, const Credentials& credentials);

// Thread-safe: Get and Invalidate may be called from many threads.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // Credentials valid now. Errors are AwsErrorKind::kCredentials-worthy: nothing configured, a
  // provider that failed; their messages never contain secrets.
  virtual Result<Credentials> Get() = 0;
  // Drops cached credentials so the next Get fetches new ones (after an ExpiredToken answer).
  virtual void Invalidate() {}
};

class StaticCredentialSource final : public CredentialSource {
 public:
  explicit StaticCredentialSource(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> Get() override { return credentials_; }

 private:
  Credentials credentials_;
};

// Caches the credentials `fetch` returns. Fetches again once less than `refresh_window` is left
// before they expire (credentials without an expiration are kept for good); when that refresh
// fails while the cached ones are still valid, keeps using them.
class RefreshingCredentialSource : public CredentialSource {
 public:
  using Fetch = std::function<Result<Credentials>()>;
  static constexpr std::chrono::seconds kDefaultRefreshWindow{300};

  RefreshingCredentialSource(Fetch fetch, const Clock& clock,
                             std::chrono::seconds refresh_window = kDefaultRefreshWindow)
      : fetch_(std::move(fetch)), clock_(clock), refresh_window_(refresh_window) {}

  Result<Credentials> Get() override;
  void Invalidate() override;

 private:
  Fetch fetch_;
  const Clock& clock_;
  std::chrono::seconds refresh_window_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

}  // namespace ecsguard::ingest::aws

template <>
struct fmt::formatter<ecsguard::ingest::aws::Credentials> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const ecsguard::ingest::aws::Credentials& c, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(ecsguard::ingest::aws::Describe(c), ctx);
  }
};
