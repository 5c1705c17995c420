// The store suite on SQLite (a temporary file per test), and what does not need a database:
// URL parsing and redaction.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "store_suite.h"
#include "support.h"

namespace ecsguard::store::testing {
namespace {

class SqliteBackend : public Backend {
 public:
  ~SqliteBackend() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string Unavailable() override { return ""; }
  std::string FreshDatabase() override {
    if (dir_.empty()) {
      std::string templ =
          (std::filesystem::temp_directory_path() / "ecsguard-store.XXXXXX").string();
      if (!mkdtemp(templ.data())) ADD_FAILURE() << "mkdtemp failed";
      dir_ = templ;
    }
    // A directory that does not exist yet: Open creates it.
    return fmt::format("sqlite:{}/db{}/history.db", dir_, counter_++);
  }
  void Execute(const std::string& url, const std::string& sql) override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(url.substr(7).c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_free(error);
    sqlite3_close(db);
  }

 private:
  std::string dir_;
  std::atomic<int> counter_{0};
};

}  // namespace

Backend& TheBackend() {
  static SqliteBackend backend;
  return backend;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values("sqlite"));

namespace {

TEST(StoreOpenTest, SqliteUrlsAndBarePaths) {
  std::string dir = TheBackend().FreshDatabase();
  dir = std::filesystem::path(dir.substr(7)).parent_path().string();
  for (std::string url : {"sqlite:" + dir + "/a.db", "sqlite://" + dir + "/b.db", dir + "/c.db"}) {
    auto store = Store::Open(url);
    ASSERT_TRUE(store.ok()) << url << ": " << store.error().ToString();
    EXPECT_EQ((*store)->display_url(), url);
    ASSERT_TRUE((*store)->Migrate().ok());
  }
  for (const char* name : {"a.db", "b.db", "c.db"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + name)) << name;
  }
  auto memory = Store::Open("sqlite::memory:");
  ASSERT_TRUE(memory.ok()) << memory.error().ToString();
  ASSERT_TRUE((*memory)->Migrate().ok());
  EXPECT_TRUE((*memory)->ListScans(1)->empty());
}

TEST(StoreOpenTest, BadUrlsAreInvalidArguments) {
  for (std::string url : {"", "sqlite:", "mysql://root:pw@localhost/db", "sqlite://"}) {
    auto store = Store::Open(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.error().code(), ErrorCode::kInvalidArgument) << url;
  }
  auto mysql = Store::Open("mysql://root:topsecret@localhost/db");
  EXPECT_EQ(mysql.error().message().find("topsecret"), std::string::npos);
}

TEST(StoreOpenTest, NotADatabaseIsAnIoError) {
  std::string path = ecsguard::testing::SourcePath("examples/exceptions.yaml");
  auto store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), ErrorCode::kIo);
  EXPECT_NE(store.error().message().find(path), std::string::npos) << store.error().message();
}

TEST(StoreOpenTest, PostgresErrorsNeverCarryThePassword) {
  // Port 1 on loopback refuses at once: the error is the connection failure.
  for (std::string url : {"postgresql://ecsguard:s3cr3t-pw@127.0.0.1:1/history",
                          "postgres://ecsguard@127.0.0.1:1/history?password=s3cr3t-pw"}) {
    auto store = Store::Open(url);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code(), ErrorCode::kIo);
    EXPECT_EQ(store.error().ToString().find("s3cr3t-pw"), std::string::npos)
        << store.error().ToString();
    EXPECT_NE(store.error().message().find("***"), std::string::npos) << store.error().message();
    EXPECT_NE(store.error().message().find("cannot connect"), std::string::npos);
  }
}

// libpq's keyword/value form is PostgreSQL, never a SQLite file whose name holds the password;
// no message names the password.
TEST(StoreOpenTest, KeywordConnectionStringsArePostgres) {
  std::string cwd = std::filesystem::current_path().string();
  for (std::string url : {"host=127.0.0.1 port=1 dbname=history password=s3cr3t-pw",
                          "host=127.0.0.1 port=1 password='s3cr3t pw' dbname=history"}) {
    auto store = Store::Open(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.error().code(), ErrorCode::kIo);
    EXPECT_NE(store.error().message().find("PostgreSQL"), std::string::npos)
        << store.error().message();
    EXPECT_NE(store.error().message().find("cannot connect"), std::string::npos);
    EXPECT_EQ(store.error().ToString().find("s3cr3t"), std::string::npos)
        << store.error().ToString();
    EXPECT_NE(store.error().message().find("password=***"), std::string::npos);
  }
  for (const auto& entry : std::filesystem::directory_iterator(cwd)) {
    EXPECT_EQ(entry.path().filename().string().find("s3cr3t"), std::string::npos);
  }
}

TEST(StoreOpenTest, DefaultDatabaseFollowsXdg) {
  EXPECT_EQ(DefaultDatabaseUrl("/data", "/home/u"), "sqlite:/data/ecsguard/ecsguard.db");
  EXPECT_EQ(DefaultDatabaseUrl("", "/home/u"), "sqlite:/home/u/.local/share/ecsguard/ecsguard.db");
  EXPECT_EQ(DefaultDatabaseUrl("relative", "/home/u"),
            "sqlite:/home/u/.local/share/ecsguard/ecsguard.db");
  EXPECT_EQ(DefaultDatabaseUrl("", ""), "");
}

TEST(StoreSqliteTest, NoEnvironmentValueReachesTheDatabaseFiles) {
  std::string url = TheBackend().FreshDatabase();
  auto store = Store::Open(url);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Migrate().ok());
  ASSERT_TRUE(
      (*store)
          ->PutRevisions({CachedRevision{
              "arn:aws:ecs:r:1:task-definition/a:1", "1", "r", "t",
              R"({"containerDefinitions":[{"environment":[{"name":"K","value":"hunter2-zq"}]}]})"}})
          .ok());
  store->reset();
  std::string path = url.substr(7);
  for (const std::string& file : {path, path + "-wal"}) {
    if (!std::filesystem::exists(file)) continue;
    std::string bytes = ecsguard::testing::ReadFileOrDie(file);
    EXPECT_EQ(bytes.find("hunter2-zq"), std::string::npos) << file;
  }
}

}  // namespace
}  // namespace ecsguard::store::testing
