#pragma once

// FakeAws: a Transport that answers AWS calls by service and operation, for collector tests
// whose calls run in parallel (FakeTransport's ordered script cannot say which call comes
// first). Handlers see the decoded request: the JSON body of JSON-protocol calls, the form
// parameters of query-protocol calls. Every call is recorded. Thread-safe.
//
// FakeAwsSession() makes a Session on it with static keys from a fake environment, a fixed
// clock and sleeps that return at once.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/strings.h"
#include "ingest/aws/aws.h"

namespace ecsguard::ingest::aws::testing {

struct FakeCall {
  std::string service;  // the host's first label: "ecs", "ec2", "elasticloadbalancing", "sts"
  std::string region;   // "" for global endpoints
  std::string operation;
  nlohmann::json json;                      // JSON protocol
  std::map<std::string, std::string> form;  // query protocol
  std::string access_key;                   // from the Authorization header

  // The values of a query list parameter: List("TargetGroupArns.member") -> .1, .2, ...
  std::vector<std::string> List(const std::string& prefix) const {
    std::vector<std::string> out;
    for (int i = 1;; ++i) {
      auto it = form.find(fmt::format("{}.{}", prefix, i));
      if (it == form.end()) return out;
      out.push_back(it->second);
    }
  }
};

using FakeHandler = std::function<HttpResponse(const FakeCall&)>;

inline HttpResponse Json(const nlohmann::json& body) { return MakeResponse(200, body.dump()); }
inline HttpResponse JsonError(int status, const std::string& code, const std::string& message) {
  return MakeResponse(status, nlohmann::json{{"__type", code}, {"message", message}}.dump());
}
inline HttpResponse Xml(const std::string& body) { return MakeResponse(200, body); }
inline HttpResponse QueryError(int status, const std::string& code, const std::string& message) {
  return MakeResponse(status, fmt::format("<ErrorResponse><Error><Code>{}</Code><Message>{}"
                                          "</Message></Error></ErrorResponse>",
                                          code, message));
}

class FakeAws final : public Transport {
 public:
  // Answers `operation` of `service` (any region) with `handler`.
  void On(const std::string& service, const std::string& operation, FakeHandler handler) {
    std::lock_guard lock(mu_);
    handlers_[service + ":" + operation] = std::move(handler);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    FakeCall call = Decode(request);
    FakeHandler handler;
    {
      std::lock_guard lock(mu_);
      calls_.push_back(call);
      auto it = handlers_.find(call.service + ":" + call.operation);
      if (it != handlers_.end()) handler = it->second;
    }
    if (!handler) {
      return JsonError(400, "UnknownOperationException",
                       fmt::format("FakeAws: no handler for {}:{}", call.service, call.operation));
    }
    return handler(call);
  }

  std::vector<FakeCall> Calls(const std::string& service, const std::string& operation) const {
    std::lock_guard lock(mu_);
    std::vector<FakeCall> out;
    for (const FakeCall& c : calls_) {
      if (c.service == service && c.operation == operation) out.push_back(c);
    }
    return out;
  }
  size_t Count(const std::string& service, const std::string& operation) const {
    return Calls(service, operation).size();
  }
  size_t Total() const {
    std::lock_guard lock(mu_);
    return calls_.size();
  }

 private:
  static FakeCall Decode(const HttpRequest& request) {
    FakeCall call;
    Result<Url> url = ParseUrl(request.url);
    if (url.ok()) {
      auto labels = Split(url->host, '.');
      call.service = std::string(labels[0]);
      if (labels.size() == 4) call.region = std::string(labels[1]);
    }
    std::string auth(FindHeader(request.headers, "Authorization").value_or(""));
    if (size_t at = auth.find("Credential="); at != std::string::npos) {
      call.access_key = auth.substr(at + 11, auth.find('/', at) - at - 11);
    }
    if (auto target = FindHeader(request.headers, "X-Amz-Target")) {
      call.operation = std::string(target->substr(target->find('.') + 1));
      call.json = nlohmann::json::parse(request.body, nullptr, false);
      return call;
    }
    for (std::string_view pair : Split(request.body, '&')) {
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      call.form[PercentDecode(pair.substr(0, eq))] = PercentDecode(pair.substr(eq + 1));
    }
    call.operation = call.form["Action"];
    return call;
  }

  mutable std::mutex mu_;
  std::map<std::string, FakeHandler> handlers_;
  std::vector<FakeCall> calls_;
};

// A Session on `transport`: static keys, region us-east-1, no config files, no waiting.
inline std::unique_ptr<Session> FakeAwsSession(Transport* transport, const Clock* clock,
                                               std::string region = "us-east-1") {
  static MapEnvironment env({{"AWS_ACCESS_KEY_ID", "AKIDFAKE"},
                             {"AWS_SECRET_ACCESS_KEY", "fake-secret"},
                             {"AWS_CONFIG_FILE", "/nonexistent/ecsguard-test-config"},
                             {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ecsguard-test-creds"}});
  SessionOptions options;
  options.region = std::move(region);
  SessionDeps deps;
  deps.env = &env;
  deps.transport = transport;
  deps.clock = clock;
  deps.sleep = [](std::chrono::milliseconds) {};
  deps.random = [] { return 0.5; };
  Result<std::unique_ptr<Session>> session = Session::Create(options, deps);
  return session.ok() ? std::move(session).value() : nullptr;
}

}  // namespace ecsguard::ingest::aws::testing
