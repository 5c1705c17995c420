#include <fmt/format.h>
#include <libpq-fe.h>

#include "base/strings.h"
#include "store/internal/connection.h"

namespace ecsguard::store::internal {
namespace {

// libpq's default notice processor prints to stderr; library code never prints.
void IgnoreNotice(void*, const char*) {}

// libpq messages span lines ("...failed: Connection refused\n\tIs the server running...").
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) {
    bool space = c == '\n' || c == '\t' || c == ' ';
    if (!space) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  return out;
}

// The password the URL carries, as libpq decodes it ("" when none).
std::string PasswordOf(const std::string& url) {
  std::string password;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  PQfreemem(error);
  if (!options) return password;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val) password = o->val;
  }
  PQconninfoFree(options);
  return password;
}

// Belt and braces: libpq does not echo passwords, but no message of ours may carry one.
std::string Scrub(std::string text, const std::string& password) {
  if (password.size() < 3) return text;
  for (size_t at = text.find(password); at != std::string::npos; at = text.find(password, at + 3)) {
    text.replace(at, password.size(), "***");
  }
  return text;
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, std::string display, std::string password)
      : conn_(conn), display_(std::move(display)), password_(std::move(password)) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  const Dialect& dialect() const override { return kPostgresDialect; }
  bool LastErrorRetryable() const override { return retryable_; }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params) override {
    retryable_ = false;
    std::string rendered = Render(sql, kPostgresDialect);
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        text[i] = std::to_string(*n);
        values[i] = text[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    // Parameters travel separately from the statement text: nothing is ever spliced into SQL.
    PGresult* res = PQexecParams(conn_, rendered.c_str(), static_cast<int>(params.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string_view sqlstate = state ? state : "";
      // serialization_failure, deadlock_detected, lock_not_available
      retryable_ = sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03";
      std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
      return Error(ErrorCode::kIo,
                   fmt::format("PostgreSQL {}: {}{}", display_, Scrub(OneLine(message), password_),
                               sqlstate.empty() ? "" : fmt::format(" (SQLSTATE {})", sqlstate)));
    }
    std::vector<Row> rows;
    int n = PQntuples(res);
    int columns = PQnfields(res);
    rows.reserve(static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
      Row row;
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(
              std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  PGconn* conn_;
  std::string display_;
  std::string password_;
  bool retryable_ = false;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url, std::string display) {
  // The URL comes last so its own settings win over these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "ecsguard", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) {
    return Error(ErrorCode::kIo, fmt::format("PostgreSQL {}: out of memory", display));
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Scrub(OneLine(PQerrorMessage(conn)), PasswordOf(url));
    PQfinish(conn);
    return Error(ErrorCode::kIo,
                 fmt::format("PostgreSQL {}: cannot connect: {}", display, message));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<Connection>(
      std::make_unique<PostgresConnection>(conn, std::move(display), PasswordOf(url)));
}

}  // namespace ecsguard::store::internal
