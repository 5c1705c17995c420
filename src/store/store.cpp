#include "store/store.h"

#include <fmt/format.h>

#include <cctype>

#include "base/strings.h"
#include "store/internal/connection.h"

namespace ecsguard::store {
namespace {

// libpq's other form, "host=db dbname=ecsguard password=...": it starts with a keyword and '='.
// (Taken for a file name, it would put the password into a file name.)
bool IsKeywordConnectionString(std::string_view url) {
  std::string_view text = Trim(url);
  size_t key = 0;
  while (key < text.size() &&
         (std::isalpha(static_cast<unsigned char>(text[key])) || text[key] == '_')) {
    ++key;
  }
  if (key == 0) return false;
  text.remove_prefix(key);
  return Trim(text).starts_with('=');
}

}  // namespace

std::string DefaultDatabaseUrl(std::string_view xdg_data_home, std::string_view home) {
  // XDG: a relative $XDG_DATA_HOME is invalid and ignored.
  if (!xdg_data_home.empty() && xdg_data_home.front() == '/') {
    return fmt::format("sqlite:{}/ecsguard/ecsguard.db", xdg_data_home);
  }
  if (!home.empty()) return fmt::format("sqlite:{}/.local/share/ecsguard/ecsguard.db", home);
  return "";
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view url) {
  std::string display = RedactPasswords(url);
  if (url.empty()) return Error(ErrorCode::kInvalidArgument, "the database URL is empty");
  if (url.starts_with("postgresql://") || url.starts_with("postgres://") ||
      IsKeywordConnectionString(url)) {
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
