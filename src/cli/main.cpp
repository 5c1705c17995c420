#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "base/heap.h"
#include "cli/app.h"

int main(int argc, char** argv) {
  ecsguard::PrepareHeapForLargeInputs();
  std::ios::sync_with_stdio(false);
  ecsguard::cli::Io io{std::cout, std::cerr, isatty(STDOUT_FILENO) != 0,
                       isatty(STDERR_FILENO) != 0};
  int code = ecsguard::cli::Run(argc, argv, io);
  // A report that did not reach stdout (a full disk, a closed pipe) is a failed run, not a
  // clean one: exit 3 whatever the scan found.
  errno = 0;
  std::cout.flush();
  if (!std::cout) {
    std::string why = errno != 0 ? std::string(": ") + std::strerror(errno) : std::string();
    return ecsguard::cli::Fail(
        io, ecsguard::Error(ecsguard::ErrorCode::kIo, "cannot write to standard output" + why));
  }
  return code;
}
