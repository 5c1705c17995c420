#pragma once

// The narrow SQL seam under SqlStore: one connection, text in and text out. SQLite and
// PostgreSQL differ only in what Dialect names (identity column, placeholders, write
// transactions, the migration lock, the current time); the statements themselves are written
// once, in the neutral form Render() understands.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace ecsguard::store {
class Store;
}  // namespace ecsguard::store

namespace ecsguard::store::internal {

using Param = std::variant<std::nullptr_t, int64_t, std::string>;
// Every column comes back as text (integers in decimal); SQL NULL is nullopt.
using Row = std::vector<std::optional<std::string>>;

struct Dialect {
  std::string_view name;            // "sqlite", "postgresql"
  std::string_view id_column;       // replaces {id}: an auto-increment 64-bit primary key
  std::string_view now;             // replaces {now}: current UTC time as ISO 8601 text
  bool numbered_placeholders;       // `$1, $2` instead of `?`
  std::string_view begin_write;     // starts a transaction that will write
  std::string_view migration_lock;  // run first in the migration transaction ("" for none)
  std::string_view table_exists;    // one row when the table named by the parameter exists
};

extern const Dialect kSqliteDialect;
extern const Dialect kPostgresDialect;

// Neutral SQL -> dialect SQL: {id} and {now} are replaced, `?` placeholders numbered when the
// dialect wants `$n`. Quoted literals are left alone.
std::string Render(std::string_view sql, const Dialect& dialect);

class Connection {
 public:
  virtual ~Connection() = default;
  virtual const Dialect& dialect() const = 0;
  // Runs one statement (neutral SQL) with positional parameters; returns its rows, if any.
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<Param>& params = {}) = 0;
  // Whether the last failed Query is worth retrying the whole transaction for: the database
  // was busy, a serialization failure, a deadlock.
  virtual bool LastErrorRetryable() const = 0;
};

// `display` names the database in error messages (a URL with its password masked).
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, std::string display);
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url, std::string display);

// The Store over a connection (thread-safe: it serialises calls).
std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> connection, std::string display);

// The migrations, in order; each statement in neutral SQL.
struct Migration {
  int version;
  std::string_view name;
  std::vector<std::string_view> statements;
};
const std::vector<Migration>& Migrations();

}  // namespace ecsguard::store::internal
