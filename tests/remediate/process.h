#pragma once

// Subprocesses for the integration tests: run a program to completion, or keep a server
// running for the duration of a test.

#include <sys/types.h>

#include <string>
#include <vector>

namespace ecsguard::remediate::testing {

struct ProcessResult {
  int exit_code = -1;  // 127: could not start
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) with the environment plus `extra_env` ("NAME=value"), stdin
// from `stdin_text`. XDG_DATA_HOME points at a private directory, so scans never touch the
// user's history database.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env = {},
                         const std::string& stdin_text = "");

// Whether `program` is on the PATH.
bool OnPath(const std::string& program);

// A loopback TCP port nobody listens on right now.
int FreePort();

// A background process, stopped (SIGTERM, then SIGKILL) when the object goes away.
class Server {
 public:
  Server(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
         const std::string& log_path);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  bool running() const;
  // Waits until something accepts connections on 127.0.0.1:port.
  bool WaitForPort(int port, int timeout_ms) const;

 private:
  pid_t pid_ = -1;
};

// The private data home the processes get (history database).
const std::string& DataHome();

}  // namespace ecsguard::remediate::testing
