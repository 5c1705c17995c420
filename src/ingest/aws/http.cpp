#include "ingest/aws/http.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"

namespace ecsguard::ingest::aws {

std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

void RemoveHeader(Headers* headers, std::string_view name) {
  std::erase_if(*headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

void SetHeader(Headers* headers, std::string_view name, std::string value) {
  RemoveHeader(headers, name);
  headers->emplace_back(std::string(name), std::move(value));
}

HttpResponse MakeResponse(int status, std::string body, Headers headers) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

void FakeTransport::Respond(std::string method, std::string url_part, HttpResponse response) {
  std::lock_guard lock(mu_);
  answers_.push_back({std::move(method), std::move(url_part), std::move(response)});
}

void FakeTransport::Fail(std::string method, std::string url_part, Error error) {
  std::lock_guard lock(mu_);
  answers_.push_back({std::move(method), std::move(url_part), std::move(error)});
}

Result<HttpResponse> FakeTransport::Send(const HttpRequest& request) {
  std::lock_guard lock(mu_);
  requests_.push_back(request);
  auto it = std::find_if(answers_.begin(), answers_.end(), [&](const Answer& a) {
    return (a.method.empty() || a.method == request.method) &&
           request.url.find(a.url_part) != std::string::npos;
  });
  if (it == answers_.end()) {
    return Error(ErrorCode::kInternal, fmt::format("FakeTransport: nothing scripted for {} {}",
                                                   request.method, request.url));
  }
  Result<HttpResponse> result = std::move(it->result);
  answers_.erase(it);
  return result;
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeTransport::unused() const {
  std::lock_guard lock(mu_);
  return answers_.size();
}

}  // namespace ecsguard::ingest::aws
