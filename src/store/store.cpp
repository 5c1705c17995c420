#include "store/store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "store/internal/connection.h"

namespace ecsguard::store {
namespace {

using nlohmann::json;

void RedactEnvironment(json& j) {
  if (j.is_array()) {
    for (json& item : j) RedactEnvironment(item);
    return;
  }
  if (!j.is_object()) return;
  for (auto& [key, value] : j.items()) {
    if (key == "environment" && value.is_array()) {
      for (json& entry : value) {
        if (entry.is_object() && entry.contains("value")) entry["value"] = "<redacted>";
      }
    } else {
      RedactEnvironment(value);
    }
  }
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?#", start);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // Query parameters such as ?password=... or &sslpassword=...
  size_t query = out.find('?');
  while (query != std::string::npos) {
    size_t key = query + 1;
    size_t eq = out.find('=', key);
    size_t amp = out.find('&', key);
    if (eq == std::string::npos) break;
    if (amp == std::string::npos || eq < amp) {
      std::string name = ToLower(std::string_view(out).substr(key, eq - key));
      size_t value_end = amp == std::string::npos ? out.size() : amp;
      if (name.find("password") != std::string::npos) {
        out.replace(eq + 1, value_end - eq - 1, "***");
        amp = out.find('&', eq);
      }
    }
    query = amp;
  }
  return out;
}

std::string DefaultDatabaseUrl(std::string_view xdg_data_home, std::string_view home) {
  // XDG: a relative $XDG_DATA_HOME is invalid and ignored.
  if (!xdg_data_home.empty() && xdg_data_home.front() == '/') {
    return fmt::format("sqlite:{}/ecsguard/ecsguard.db", xdg_data_home);
  }
  if (!home.empty()) return fmt::format("sqlite:{}/.local/share/ecsguard/ecsguard.db", home);
  return "";
}

Result<std::string> RedactEnvironmentValues(std::string_view describe_json) {
  json j = json::parse(describe_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(ErrorCode::kInvalidArgument, "the body is not JSON");
  RedactEnvironment(j);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view url) {
  std::string display = RedactUrl(url);
  if (url.empty()) return Error(ErrorCode::kInvalidArgument, "the database URL is empty");
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    ASSIGN_OR_RETURN(auto connection, internal::OpenPostgres(std::string(url), display));
    return internal::MakeSqlStore(std::move(connection), std::move(display));
  }
  std::string path;
  if (url.starts_with("sqlite:")) {
    std::string_view rest = url.substr(7);
    if (rest.starts_with("//")) rest.remove_prefix(2);  // sqlite:///abs/path
    path = std::string(rest);
  } else if (url.find("://") != std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("unsupported database URL \"{}\" (use sqlite:PATH, a file path, or "
                             "postgresql://...)",
                             display));
  } else {
    path = std::string(url);
  }
  if (path.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("the database URL \"{}\" names no file", display));
  }
  ASSIGN_OR_RETURN(auto connection, internal::OpenSqlite(path, display));
  return internal::MakeSqlStore(std::move(connection), std::move(display));
}

}  // namespace ecsguard::store
