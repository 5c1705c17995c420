#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "base/heap.h"
#include "cli/app.h"

int main(int argc, char** argv) {
  ecsguard::PrepareHeapForLargeInputs();
  std::ios::sync_with_stdio(false);
  ecsguard::cli::Io io{std::cout, std::cerr, isatty(STDOUT_FILENO) != 0,
                       isatty(STDERR_FILENO) != 0};
  std::vector<std::thread> background;
  io.background = &background;
  int code = ecsguard::cli::Run(argc, argv, io);
  // A report that did not reach stdout (a full disk, a closed pipe) is a failed run, not a
  // clean one: exit 3 whatever the scan found.
  errno = 0;
  std::cout.flush();
  bool written = static_cast<bool>(std::cout);
  int write_errno = errno;
  for (std::thread& t : background) t.join();
  if (!written) {
    std::string why =
        write_errno != 0 ? std::string(": ") + std::strerror(write_errno) : std::string();
    return ecsguard::cli::Fail(
        io, ecsguard::Error(ecsguard::ErrorCode::kIo, "cannot write to standard output" + why));
  }
  return code;
}
