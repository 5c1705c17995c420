#pragma once

// The store test suite runs unchanged against every backend. Each test binary defines one
// Backend (SQLite in store_sqlite_test, a real PostgreSQL server in store_postgres_test) and
// instantiates the suite with it: INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ...).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"

namespace ecsguard::store::testing {

class Backend {
 public:
  virtual ~Backend() = default;
  // Why the backend cannot run here ("" when it can); the suite skips with this message.
  virtual std::string Unavailable() = 0;
  // A URL naming a new, empty database; fails the current test when it cannot.
  virtual std::string FreshDatabase() = 0;
  // Runs one SQL statement outside the Store (to set up states the Store never writes).
  virtual void Execute(const std::string& url, const std::string& sql) = 0;
};

// Defined by each test binary.
Backend& TheBackend();

class StoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override;
  // Opens (and migrates) a Store on this test's database; another call opens another
  // connection to the same database.
  std::unique_ptr<Store> OpenStore(bool migrate = true);

  std::string url_;
};

}  // namespace ecsguard::store::testing
