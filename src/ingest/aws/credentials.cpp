#include "ingest/aws/credentials.h"

#include "base/strings.h"

namespace ecsguard::ingest::aws {
namespace {

void ReplaceAll(std::string* text, std::string_view needle) {
  if (needle.empty()) return;
  for (size_t pos = text->find(needle); pos != std::string::npos;
       pos = text->find(needle, pos + kRedacted.size())) {
    text->replace(pos, needle.size(), kRedacted);
  }
}

}  // namespace

std::string Describe(const Credentials& c) {
  std::string id =
      c.access_key_id.size() > 8
          ? c.access_key_id.substr(0, 4) + "…" + c.access_key_id.substr(c.access_key_id.size() - 4)
          : std::string("…");
  std::string out = fmt::format("{} from {}", id, c.provider.empty() ? "unknown" : c.provider);
  if (!c.session_token.empty()) out += ", session token";
  if (c.expiration) out += ", expires " + FormatIso8601(*c.expiration);
  return out;
}

std::string RedactSecrets(std::string_view text, const Credentials& c) {
  std::string out(text);
  ReplaceAll(&out, c.session_token);
  ReplaceAll(&out, c.secret_access_key);
  return out;
}

Result<Credentials> RefreshingCredentialSource::Get() {
  std::lock_guard lock(mu_);
  auto now = clock_.Now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_window_)) {
    return *cached_;
  }
  Result<Credentials> fresh = fetch_();
  if (fresh.ok()) {
    cached_ = *fresh;
    return fresh;
  }
  if (cached_ && cached_->expiration && now < *cached_->expiration) return *cached_;
  cached_.reset();
  return fresh;
}

void RefreshingCredentialSource::Invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
}

}  // namespace ecsguard::ingest::aws
