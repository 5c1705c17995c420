#include <unistd.h>

#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  ecsguard::cli::Io io{std::cout, std::cerr, isatty(STDOUT_FILENO) != 0,
                       isatty(STDERR_FILENO) != 0};
  int code = ecsguard::cli::Run(argc, argv, io);
  std::cout.flush();
  return code;
}
