#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>

#include "store/internal/connection.h"

namespace ecsguard::store::internal {
namespace {

// Long enough for another writer's whole scan to commit; writers queue instead of failing.
constexpr int kBusyTimeoutMs = 30000;

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::string display) : db_(db), display_(std::move(display)) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  const Dialect& dialect() const override { return kSqliteDialect; }
  bool LastErrorRetryable() const override { return retryable_; }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params) override {
    retryable_ = false;
    sqlite3_stmt* stmt = nullptr;
    auto cached = statements_.find(std::string(sql));
    if (cached != statements_.end()) {
      stmt = cached->second;
    } else {
      std::string rendered = Render(sql, kSqliteDialect);
      if (sqlite3_prepare_v2(db_, rendered.c_str(), static_cast<int>(rendered.size()), &stmt,
                             nullptr) != SQLITE_OK) {
        return Fail("prepare");
      }
      statements_.emplace(std::string(sql), stmt);
    }
    // Leave the statement reset whatever happens, so it holds no lock between calls.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};

    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        // Not copied: `params` outlives the statement's use of it (reset above, on return).
        rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return Fail("bind");
    }
    std::vector<Row> rows;
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail("step");
      Row row;
      int columns = sqlite3_column_count(stmt);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          row.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  Error Fail(std::string_view what) {
    int code = sqlite3_extended_errcode(db_);
    retryable_ = (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
    return Error(ErrorCode::kIo, fmt::format("SQLite {}: {} ({}: {})", display_,
                                             sqlite3_errmsg(db_), what, sqlite3_errstr(code)));
  }

  sqlite3* db_;
  std::string display_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
  bool retryable_ = false;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, std::string display) {
  if (path != ":memory:") {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error(ErrorCode::kIo, fmt::format("SQLite {}: cannot create the directory {}: {}",
                                               display, parent.string(), ec.message()));
    }
  }
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (SqlStore serialises its calls), so
  // SQLite's own lock around every call is not needed.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error(ErrorCode::kIo, fmt::format("SQLite {}: cannot open: {}", display, message));
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  auto connection = std::make_unique<SqliteConnection>(db, std::move(display));
  // WAL lets readers run beside the one writer; NORMAL sync is durable at checkpoints and safe
  // in WAL mode. The first statement also proves the file is a database. A checkpoint waits on
  // the disk three times (tens of milliseconds each on a VM): one scan's record (a few thousand
  // pages for a 100k-revision estate) is checkpointed when the connection closes, which
  // `scan` does off its critical path (cli::Io::background), rather than when it commits; the
  // log is still checkpointed once it passes 64 MiB.
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                             "PRAGMA foreign_keys = ON", "PRAGMA wal_autocheckpoint = 16384"}) {
    auto r = connection->Query(pragma, {});
    if (!r.ok()) return std::move(r).error();
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace ecsguard::store::internal
