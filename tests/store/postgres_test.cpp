// The store suite on a real PostgreSQL server. Under ctest the server is the one the
// store_postgres fixture started (ECSGUARD_TEST_POSTGRES_STATE names its state file); run
// directly, the binary starts its own with the same script and stops it at the end. Each test
// gets a new database on that server. Skips only when PostgreSQL's binaries are not installed.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store_suite.h"
#include "support.h"

namespace ecsguard::store::testing {
namespace {

struct Command {
  int status = -1;
  std::string output;
};

Command RunScript(const std::string& args) {
  std::string script = ecsguard::testing::SourcePath("tests/store/postgres_server.sh");
  std::string command = fmt::format("sh '{}' {} 2>&1", script, args);
  Command out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buffer;
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    out.output.append(buffer.data(), n);
  int status = pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// The server for this process: found or started in SetUp, stopped in TearDown when ours.
class PostgresServer : public ::testing::Environment {
 public:
  void SetUp() override {
    if (const char* state = std::getenv("ECSGUARD_TEST_POSTGRES_STATE")) {
      std::ifstream in(state);
      std::string dir, second;
      if (!std::getline(in, dir) || !std::getline(in, second)) {
        error_ = fmt::format(
            "the PostgreSQL fixture left no state in {} (did the "
            "store_postgres_server_start test run?)",
            state);
        return;
      }
      if (second.starts_with("skip: ")) {
        skip_ = second.substr(6);
      } else {
        admin_url_ = second;
      }
      return;
    }
    std::string templ = (std::filesystem::temp_directory_path() / "ecsguard-pg.XXXXXX").string();
    if (!mkdtemp(templ.data())) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = templ;
    Command start = RunScript(fmt::format("start '{}'", dir_));
    if (start.status == 77) {
      skip_ = start.output;
      RunScript(fmt::format("stop '{}'", dir_));
      dir_.clear();
    } else if (start.status != 0) {
      error_ = "could not start PostgreSQL:\n" + start.output;
    } else {
      admin_url_ = std::string(Trim(start.output));
    }
  }

  void TearDown() override {
    if (!dir_.empty()) RunScript(fmt::format("stop '{}'", dir_));
  }

  std::string admin_url_;
  std::string skip_;
  std::string error_;

 private:
  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
    return s;
  }
  std::string dir_;
};

PostgresServer* const server =
    static_cast<PostgresServer*>(::testing::AddGlobalTestEnvironment(new PostgresServer));

void ExecuteOn(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* res = PQexec(conn, sql.c_str());
  EXPECT_TRUE(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
      << PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
}

class PostgresBackend : public Backend {
 public:
  std::string Unavailable() override { return server->skip_; }
  std::string FreshDatabase() override {
    if (!server->error_.empty()) {
      ADD_FAILURE() << server->error_;
      return "";
    }
    std::string name = fmt::format("t_{}_{}", ::getpid(), counter_++);
    ExecuteOn(server->admin_url_, fmt::format("CREATE DATABASE {}", name));
    const std::string& admin = server->admin_url_;
    return admin.substr(0, admin.rfind('/') + 1) + name;
  }
  void Execute(const std::string& url, const std::string& sql) override { ExecuteOn(url, sql); }

 private:
  std::atomic<int> counter_{0};
};

}  // namespace

Backend& TheBackend() {
  static PostgresBackend backend;
  return backend;
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreTest, ::testing::Values("postgresql"));

namespace {

TEST(StorePostgresTest, UnknownDatabaseIsAnIoErrorNamingTheServer) {
  if (!server->skip_.empty()) GTEST_SKIP() << server->skip_;
  ASSERT_TRUE(server->error_.empty()) << server->error_;
  const std::string& admin = server->admin_url_;
  std::string url = admin.substr(0, admin.rfind('/') + 1) + "no_such_database";
  url.insert(url.find('@'), ":pa55word-x");
  auto store = Store::Open(url);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), ErrorCode::kIo);
  EXPECT_NE(store.error().message().find("no_such_database"), std::string::npos)
      << store.error().message();
  EXPECT_EQ(store.error().message().find("pa55word-x"), std::string::npos);
}

TEST(StorePostgresTest, PostgresSchemeAliasAndSqlErrorsAreValues) {
  if (!server->skip_.empty()) GTEST_SKIP() << server->skip_;
  ASSERT_TRUE(server->error_.empty()) << server->error_;
  std::string url = TheBackend().FreshDatabase();
  url.replace(0, std::string("postgresql").size(), "postgres");
  auto store = Store::Open(url);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  ASSERT_TRUE((*store)->Migrate().ok());
  // Break the schema behind the Store's back: the write fails as a value and leaves no scan.
  TheBackend().Execute(url, "ALTER TABLE scan_coverage ADD CONSTRAINT no_cells CHECK (false)");
  posture::ScanResult scan;
  scan.info.kind = "aws";
  scan.coverage.push_back(posture::Coverage{"111122223333", "eu-west-1"});
  auto id = (*store)->RecordScan(scan);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code(), ErrorCode::kIo);
  EXPECT_NE(id.error().message().find("no_cells"), std::string::npos) << id.error().message();
  auto list = (*store)->ListScans(0);
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_TRUE(list->empty()) << "the scan row was rolled back with its cells";
}

}  // namespace
}  // namespace ecsguard::store::testing
